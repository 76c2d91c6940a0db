// One server: facts, current values, time-aligned charts for a range, its devices, top
// processes, its alerts and events; rename, rotate the agent's token, delete.
import { api, stream, type ServerDetail } from '../api';
import type { Page } from '../app';
import { lineChart } from '../charts';
import { confirmDialog, copyBox, dialog, errorBox, fill, h, link } from '../dom';
import * as f from '../format';
import { t, type Key } from '../i18n';
import { mergeStatus } from '../live';
import { DETAIL_CHARTS, rangeLabel, RANGES } from '../metrics';
import { alertList, eventList } from './alerts';
import { cores, groupBadge, meter, stateBadge } from './list';

const table = (keys: Key[], rows: (string | Node)[][], empty: string, head = keys.map((k) => t(k))) =>
	rows.length === 0
		? h('p', { class: 'muted' }, empty)
		: h('div', { class: 'table-wrap' }, h('table', { class: 'plain' },
			h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))),
			h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', { 'data-label': head[i] }, c)))))));

const toLocalInput = (ms: number, zone: string) => {
	const off = f.zoneOffsetS(ms, zone) * 1000;
	return new Date(ms + off).toISOString().slice(0, 16);
};
const fromLocalInput = (v: string, zone: string) => {
	const guess = Date.parse(v + 'Z');
	return guess - f.zoneOffsetS(guess, zone) * 1000;
};

export const detailPage: Page = async (root, ctx, params) => {
	const id = Number(params.id);
	const head = h('div', { class: 'toolbar' }, link('/', { class: 'back' }, t('detail.back')), h('h1', { class: 'bone-text' }, '\u00a0'));
	const facts = h('section', { class: 'panel facts' }, h('div', { class: 'bone block' }));
	const now = h('section', { class: 'now' }, ...Array.from({ length: 6 }, () => h('div', { class: 'card skeleton' }, h('span', { class: 'bone' }))));
	const rangeBar = h('div', { class: 'ranges', role: 'group', 'aria-label': t('detail.range') });
	const charts = h('div', { class: 'charts' }, ...DETAIL_CHARTS.map(() => h('div', { class: 'chart' })));
	const devices = h('div', { class: 'grid2' });
	const procs = h('section', { class: 'panel' }, h('h2', {}, t('detail.processes')));
	const alerts = h('section', { class: 'panel' }, h('h2', {}, t('detail.alerts')));
	const events = h('section', { class: 'panel' }, h('h2', {}, t('detail.events')));
	fill(root, head, facts, now,
		h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('detail.charts')), rangeBar), charts),
		devices, procs, h('div', { class: 'grid2' }, alerts, events));

	let d: ServerDetail;
	try {
		d = await api.server(id);
	} catch (e) {
		fill(root, head, errorBox(e));
		return;
	}

	const drawHead = () => {
		// A group's server: its admins change it; a member sees why the buttons are not there.
		const mayChange = !d.group || d.group.admin;
		fill(head, link('/', { class: 'back' }, t('detail.back')), h('h1', {}, d.name), stateBadge(d.state, d.firing),
			d.group ? groupBadge(d.group) : '', h('span', { class: 'grow' }),
			...(mayChange ? [
				h('button', { type: 'button', onclick: rename }, t('detail.rename')),
				h('button', { type: 'button', onclick: rotate }, t('detail.rotate')),
				h('button', { type: 'button', class: 'danger', onclick: remove }, t('detail.delete'))]
				: [h('span', { class: 'muted' }, t('group.read_only'))]));
	};
	const drawFacts = () => {
		const fx = d.facts ?? ({} as ServerDetail['facts']);
		const item = (k: Key, v: string | Node[] | null | undefined) => [h('dt', {}, t(k)), h('dd', {}, v && v.length ? v : f.DASH)];
		fill(facts, h('dl', {},
			item('fact.host', d.hostname), item('fact.system', [[d.os, fx.os_version].filter(Boolean).join(' '), d.arch].filter(Boolean).join(' · ')),
			item('fact.kernel', fx.kernel), item('fact.cpu', [fx.cpu_model, d.cores ? cores(d.cores) : null].filter(Boolean).join(' · ')),
			item('fact.virt', fx.virtualization), item('fact.memory', d.ram_total ? f.bytes(d.ram_total) : null),
			item('fact.booted', fx.boot_ms ? f.localTime(fx.boot_ms, ctx.zone) : null), item('fact.uptime', f.duration(d.uptime_s)),
			item('fact.last_report', d.last_seen_ms ? [document.createTextNode(`${f.localTime(d.last_seen_ms, ctx.zone)} `), h('span', { class: 'nowrap' }, t('fact.ago', { ago: f.ago(d.last_seen_ms, Date.now()) }))] : t('time.never')),
			item('fact.agent', [fx.agent_version, fx.interval_s ? t('fact.every', { s: fx.interval_s >= 10 ? Math.round(fx.interval_s) : +fx.interval_s.toFixed(1) }) : null].filter(Boolean).join(' · ')),
			item('fact.tags', d.tags.join(', '))));
	};
	const drawNow = () => {
		const card = (label: string, body: Node | string) => h('div', { class: 'card' }, h('span', { class: 'card-label' }, label), body);
		const usedOf = (used: number | null, total: number) => t('list.used_of', { used: f.bytes(used), total: f.bytes(total) });
		fill(now,
			card(t('card.cpu'), meter(d.cpu, d.cores ? cores(d.cores) : undefined)),
			card(t('card.ram'), meter(d.ram, d.ram_total ? usedOf(d.ram_used, d.ram_total) : undefined)),
			card(t('card.swap'), meter(d.swap)),
			card(d.disk_mount ? t('card.disk_at', { mount: d.disk_mount }) : t('card.disk'), meter(d.disk, d.disk_total ? usedOf(d.disk_used, d.disk_total) : undefined)),
			card(t('card.load'), h('span', { class: 'big' }, f.load(d.load1))),
			card(t('card.net'), h('span', { class: 'net' }, `↓ ${f.rate(d.net_rx)}`, h('br'), `↑ ${f.rate(d.net_tx)}`)));
	};
	drawHead();
	drawFacts();
	drawNow();

	fill(devices,
		h('section', { class: 'panel' }, h('h2', {}, t('dev.filesystems')),
			table(['dev.mount', 'dev.type', 'dev.used', 'dev.size', 'dev.use', 'dev.inodes'], d.filesystems.map((x) => [x.mount, x.fs, f.bytes(x.used), f.bytes(x.total), meter(x.percent), f.percent(x.inodes_percent)]), t('dev.no_fs'))),
		h('section', { class: 'panel' }, h('h2', {}, t('dev.interfaces')),
			table(['dev.interface', 'dev.received', 'dev.sent'], d.interfaces.map((x) => [x.name, f.rate(x.rx), f.rate(x.tx)]), t('dev.no_if')),
			d.disks.length ? h('h3', {}, t('dev.disks')) : null,
			d.disks.length ? table(['dev.disk', 'dev.read', 'dev.write', 'dev.busy'], d.disks.map((x) => [x.name, f.rate(x.read), f.rate(x.write), f.percent(x.busy)]), '') : null,
			d.temperatures.length ? h('h3', {}, t('dev.temps')) : null,
			d.temperatures.length ? table(['dev.sensor', 'dev.temp'], d.temperatures.map((x) => [x.name, f.byUnit('celsius', x.celsius)]), '') : null));
	procs.append(
		d.processes_ms ? h('p', { class: 'muted' }, t('proc.as_of', { time: f.localTime(d.processes_ms, ctx.zone) })) : '',
		table(['proc.pid', 'proc.name', 'proc.cpu', 'proc.mem'], d.processes.map((p) => [String(p.pid), p.name, f.percent(p.cpu), f.bytes(p.rss)]), t('proc.none')));

	api.alerts(id).then((a) => alerts.append(alertList(a, ctx.zone, false)), (e) => alerts.append(errorBox(e)));
	api.events(id, undefined, 30).then((ev) => events.append(eventList(ev, ctx.zone, false)), (e) => events.append(errorBox(e)));

	// Charts: one request per metric for the range, all charts share one cursor.
	let destroyers: (() => void)[] = [];
	ctx.onLeave(() => destroyers.forEach((x) => x()));
	let range: [number, number] = [Date.now() - RANGES[0][1], Date.now()];
	let active = RANGES[0][0];
	const customFrom = h('input', { type: 'datetime-local', 'aria-label': t('range.from') });
	const customTo = h('input', { type: 'datetime-local', 'aria-label': t('range.to') });
	const custom = h('form', { class: 'custom', hidden: true }, customFrom, customTo, h('button', { type: 'submit' }, t('range.show')));
	custom.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const a = fromLocalInput(customFrom.value, ctx.zone), b = fromLocalInput(customTo.value, ctx.zone);
		if (a < b) show('Custom', [a, b]);
	});
	const drawRangeBar = () => {
		fill(rangeBar,
			...RANGES.map(([label, span]) => h('button', { type: 'button', 'aria-pressed': String(active === label), onclick: () => show(label, [Date.now() - span, Date.now()]) }, rangeLabel(label))),
			h('button', { type: 'button', 'aria-pressed': String(active === 'Custom'), onclick: () => { custom.hidden = !custom.hidden; } }, t('range.custom')),
			custom);
		customFrom.value = toLocalInput(range[0], ctx.zone);
		customTo.value = toLocalInput(range[1], ctx.zone);
	};
	async function show(label: string, r: [number, number]): Promise<void> {
		active = label;
		range = r;
		drawRangeBar();
		destroyers.forEach((x) => x());
		destroyers = [];
		const t0 = performance.now();
		// All requests first, then all charts in one go: they appear together, aligned.
		const fetched = await Promise.all(DETAIL_CHARTS.map((defs) =>
			Promise.all(defs.map((m) => api.series(id, m.metric, r[0], r[1], 600, m.device ?? ''))).catch((e: unknown) => e as Error)));
		if (range !== r) return; // another range was chosen meanwhile
		const t1 = performance.now();
		fetched.forEach((series, i) => {
			const el = charts.children[i] as HTMLElement;
			const defs = DETAIL_CHARTS[i];
			if (series instanceof Error) return fill(el, errorBox(series));
			const c = lineChart(el, series.map((s, j) => ({ label: defs[j].label, t: s.t, v: s.v })), {
				title: defs.map((m) => m.label).join(' · '), unit: defs[0].unit, zone: ctx.zone, sync: `server-${id}`, range: r,
				onZoom: (from, to) => show('Custom', [from, to]),
			});
			destroyers.push(c.destroy);
		});
		// For web/test/bench.mjs: requests + drawing, and drawing alone up to the next frame.
		await new Promise((res) => requestAnimationFrame(() => setTimeout(res)));
		const t2 = performance.now();
		Object.assign(window, { __ssCharts: { range: label, totalMs: t2 - t0, drawMs: t2 - t1, charts: fetched.length } });
	}
	drawRangeBar();
	void show(active, range);

	ctx.onLeave(stream({
		status: (s) => {
			if (s.id !== id) return;
			const list = [d as typeof s];
			mergeStatus(list, s);
			d = { ...d, ...list[0] };
			drawHead();
			drawNow();
		},
	}));

	async function rename(): Promise<void> {
		const input = h('input', { type: 'text', value: d.name, maxlength: 64, required: true, 'aria-label': t('rename.new') });
		const out = h('div');
		const form = h('form', { class: 'stack' }, h('label', {}, t('rename.name'), input), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('rename.save'))), out);
		const dlg = dialog(t('rename.title'), [form]);
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			try {
				const s = await api.rename(id, input.value.trim());
				d = { ...d, ...s };
				drawHead();
				dlg.close();
			} catch (e) {
				fill(out, errorBox(e));
			}
		});
		input.select();
	}
	async function rotate(): Promise<void> {
		if (!(await confirmDialog(t('rotate.ask'), t('rotate.text', { name: d.name }), t('rotate.ok')))) return;
		try {
			const r = await api.rotateToken(id);
			dialog(t('rotate.new_line'), [h('p', {}, t('rotate.run')), copyBox(r.install)]);
		} catch (e) {
			dialog(t('rotate.title'), [errorBox(e)]);
		}
	}
	async function remove(): Promise<void> {
		if (!(await confirmDialog(t('delete.ask', { name: d.name }), t('delete.text'), t('delete.ok')))) return;
		try {
			await api.remove(id);
			ctx.go('/');
		} catch (e) {
			dialog(t('delete.ok'), [errorBox(e)]);
		}
	}
};
