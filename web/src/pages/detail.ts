// One server: facts, current values, time-aligned charts for a range, its devices, top
// processes, its alerts and events; rename, rotate the agent's token, delete.
import { api, stream, type ServerDetail } from '../api';
import type { Page } from '../app';
import { lineChart } from '../charts';
import { confirmDialog, copyBox, dialog, errorBox, fill, h, link } from '../dom';
import * as f from '../format';
import { mergeStatus } from '../live';
import { DETAIL_CHARTS, RANGES } from '../metrics';
import { alertList, eventList } from './alerts';
import { cores, meter, stateBadge } from './list';

const table = (head: string[], rows: (string | Node)[][], empty: string) =>
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
	const head = h('div', { class: 'toolbar' }, link('/', { class: 'back' }, '← Servers'), h('h1', { class: 'bone-text' }, '\u00a0'));
	const facts = h('section', { class: 'panel facts' }, h('div', { class: 'bone block' }));
	const now = h('section', { class: 'now' }, ...Array.from({ length: 6 }, () => h('div', { class: 'card skeleton' }, h('span', { class: 'bone' }))));
	const rangeBar = h('div', { class: 'ranges', role: 'group', 'aria-label': 'Chart range' });
	const charts = h('div', { class: 'charts' }, ...DETAIL_CHARTS.map(() => h('div', { class: 'chart' })));
	const devices = h('div', { class: 'grid2' });
	const procs = h('section', { class: 'panel' }, h('h2', {}, 'Top processes'));
	const alerts = h('section', { class: 'panel' }, h('h2', {}, 'Alerts'));
	const events = h('section', { class: 'panel' }, h('h2', {}, 'Events'));
	fill(root, head, facts, now,
		h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Charts'), rangeBar), charts),
		devices, procs, h('div', { class: 'grid2' }, alerts, events));

	let d: ServerDetail;
	try {
		d = await api.server(id);
	} catch (e) {
		fill(root, head, errorBox(e));
		return;
	}

	const drawHead = () => {
		fill(head, link('/', { class: 'back' }, '← Servers'), h('h1', {}, d.name), stateBadge(d.state, d.firing), h('span', { class: 'grow' }),
			h('button', { type: 'button', onclick: rename }, 'Rename'),
			h('button', { type: 'button', onclick: rotate }, 'Rotate token'),
			h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete'));
	};
	const drawFacts = () => {
		const fx = d.facts ?? ({} as ServerDetail['facts']);
		const item = (k: string, v: string | null | undefined) => [h('dt', {}, k), h('dd', {}, v || f.DASH)];
		fill(facts, h('dl', {},
			item('Host name', d.hostname), item('System', [[d.os, fx.os_version].filter(Boolean).join(' '), d.arch].filter(Boolean).join(' · ')),
			item('Kernel', fx.kernel), item('CPU', [fx.cpu_model, d.cores ? cores(d.cores) : null].filter(Boolean).join(' · ')),
			item('Virtualization', fx.virtualization), item('Memory', d.ram_total ? f.bytes(d.ram_total) : null),
			item('Booted', fx.boot_ms ? f.localTime(fx.boot_ms, ctx.zone) : null), item('Uptime', f.duration(d.uptime_s)),
			item('Last report', d.last_seen_ms ? `${f.localTime(d.last_seen_ms, ctx.zone)} (${f.ago(d.last_seen_ms, Date.now())})` : 'never'),
			item('Agent', [fx.agent_version, fx.interval_s ? `every ${fx.interval_s >= 10 ? Math.round(fx.interval_s) : +fx.interval_s.toFixed(1)} s` : null].filter(Boolean).join(' · ')),
			item('Tags', d.tags.join(', '))));
	};
	const drawNow = () => {
		const card = (label: string, body: Node | string) => h('div', { class: 'card' }, h('span', { class: 'card-label' }, label), body);
		fill(now,
			card('CPU', meter(d.cpu, d.cores ? cores(d.cores) : undefined)),
			card('RAM', meter(d.ram, d.ram_total ? `${f.bytes(d.ram_used)} of ${f.bytes(d.ram_total)}` : undefined)),
			card('Swap', meter(d.swap)),
			card(d.disk_mount ? `Disk ${d.disk_mount}` : 'Disk', meter(d.disk, d.disk_total ? `${f.bytes(d.disk_used)} of ${f.bytes(d.disk_total)}` : undefined)),
			card('Load', h('span', { class: 'big' }, f.load(d.load1))),
			card('Network', h('span', { class: 'net' }, `↓ ${f.rate(d.net_rx)}`, h('br'), `↑ ${f.rate(d.net_tx)}`)));
	};
	drawHead();
	drawFacts();
	drawNow();

	fill(devices,
		h('section', { class: 'panel' }, h('h2', {}, 'Filesystems'),
			table(['Mount', 'Type', 'Used', 'Size', 'Use', 'Inodes'], d.filesystems.map((x) => [x.mount, x.fs, f.bytes(x.used), f.bytes(x.total), meter(x.percent), f.percent(x.inodes_percent)]), 'No filesystems reported.')),
		h('section', { class: 'panel' }, h('h2', {}, 'Network interfaces'),
			table(['Interface', 'Received', 'Sent'], d.interfaces.map((x) => [x.name, f.rate(x.rx), f.rate(x.tx)]), 'No interfaces reported.'),
			d.disks.length ? h('h3', {}, 'Disks') : null,
			d.disks.length ? table(['Disk', 'Read', 'Write', 'Busy'], d.disks.map((x) => [x.name, f.rate(x.read), f.rate(x.write), f.percent(x.busy)]), '') : null,
			d.temperatures.length ? h('h3', {}, 'Temperatures') : null,
			d.temperatures.length ? table(['Sensor', 'Temperature'], d.temperatures.map((x) => [x.name, f.byUnit('celsius', x.celsius)]), '') : null));
	procs.append(
		d.processes_ms ? h('p', { class: 'muted' }, `As of ${f.localTime(d.processes_ms, ctx.zone)}`) : '',
		table(['PID', 'Process', 'CPU', 'Memory'], d.processes.map((p) => [String(p.pid), p.name, f.percent(p.cpu), f.bytes(p.rss)]), 'No processes reported yet.'));

	api.alerts(id).then((a) => alerts.append(alertList(a, ctx.zone, false)), (e) => alerts.append(errorBox(e)));
	api.events(id, undefined, 30).then((ev) => events.append(eventList(ev, ctx.zone, false)), (e) => events.append(errorBox(e)));

	// Charts: one request per metric for the range, all charts share one cursor.
	let destroyers: (() => void)[] = [];
	ctx.onLeave(() => destroyers.forEach((x) => x()));
	let range: [number, number] = [Date.now() - RANGES[0][1], Date.now()];
	let active = RANGES[0][0];
	const customFrom = h('input', { type: 'datetime-local', 'aria-label': 'From' });
	const customTo = h('input', { type: 'datetime-local', 'aria-label': 'To' });
	const custom = h('form', { class: 'custom', hidden: true }, customFrom, customTo, h('button', { type: 'submit' }, 'Show'));
	custom.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const a = fromLocalInput(customFrom.value, ctx.zone), b = fromLocalInput(customTo.value, ctx.zone);
		if (a < b) show('Custom', [a, b]);
	});
	const drawRangeBar = () => {
		fill(rangeBar,
			...RANGES.map(([label, span]) => h('button', { type: 'button', 'aria-pressed': String(active === label), onclick: () => show(label, [Date.now() - span, Date.now()]) }, label)),
			h('button', { type: 'button', 'aria-pressed': String(active === 'Custom'), onclick: () => { custom.hidden = !custom.hidden; } }, 'Custom…'),
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
		const input = h('input', { type: 'text', value: d.name, maxlength: 64, required: true, 'aria-label': 'New name' });
		const out = h('div');
		const form = h('form', { class: 'stack' }, h('label', {}, 'Name', input), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save')), out);
		const dlg = dialog('Rename server', [form]);
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
		if (!(await confirmDialog('Rotate the agent token?', `The agent on “${d.name}” stops reporting until it is reinstalled with the new line.`, 'Rotate'))) return;
		try {
			const r = await api.rotateToken(id);
			dialog('New install line', [h('p', {}, 'Run this on the server as root:'), copyBox(r.install)]);
		} catch (e) {
			dialog('Rotate token', [errorBox(e)]);
		}
	}
	async function remove(): Promise<void> {
		if (!(await confirmDialog(`Delete “${d.name}”?`, 'Its history and alerts are deleted too. This cannot be undone.', 'Delete'))) return;
		try {
			await api.remove(id);
			ctx.go('/');
		} catch (e) {
			dialog('Delete', [errorBox(e)]);
		}
	}
};
