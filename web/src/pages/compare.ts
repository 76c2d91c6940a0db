// One metric across several servers on one chart, picked by hand or by tag.
import { api, type ServerSummary } from '../api';
import type { Page } from '../app';
import { lineChart, PALETTE } from '../charts';
import { errorBox, fill, h } from '../dom';
import { t, tn } from '../i18n';
import { matchesFilter } from '../live';
import { COMPARE_METRICS, rangeLabel, RANGES } from '../metrics';

const MAX = 10; // more lines than colours is a tangle

export const comparePage: Page = async (root, ctx) => {
	const p = new URLSearchParams(location.search);
	let metric = COMPARE_METRICS.find((m) => m.metric === p.get('metric')) ?? COMPARE_METRICS[0];
	let span = RANGES.find(([l]) => l === p.get('range'))?.[1] ?? RANGES[1][1];
	const chosen = new Set((p.get('servers') ?? '').split(',').filter(Boolean).map(Number));

	const chartEl = h('div', { class: 'chart' });
	const picker = h('div', { class: 'picker' }, h('span', { class: 'bone' }));
	const note = h('p', { class: 'muted', 'aria-live': 'polite' });
	const metricSel = h('select', { 'aria-label': t('compare.metric') }, ...COMPARE_METRICS.map((m) => h('option', { value: m.metric + '|' + (m.device ?? ''), selected: m === metric }, m.label)));
	const rangeSel = h('select', { 'aria-label': t('compare.range') }, ...RANGES.map(([l, s]) => h('option', { value: String(s), selected: s === span }, rangeLabel(l))));
	const tagSel = h('select', { 'aria-label': t('compare.by_tag') }, h('option', { value: '' }, t('compare.by_tag_opt')));
	fill(root,
		h('div', { class: 'toolbar' }, h('h1', {}, t('compare.title')), h('span', { class: 'grow' }), metricSel, rangeSel, tagSel),
		h('section', { class: 'panel' }, note, chartEl),
		h('section', { class: 'panel' }, h('h2', {}, t('compare.servers', { max: MAX })), picker));

	let servers: ServerSummary[];
	try {
		servers = (await api.servers()).servers.sort((a, b) => a.name.localeCompare(b.name));
	} catch (e) {
		fill(picker, errorBox(e));
		return;
	}
	if (chosen.size === 0) for (const s of servers.slice(0, 5)) chosen.add(s.id);
	const tags = [...new Set(servers.flatMap((s) => s.tags))].sort();
	for (const t of tags) tagSel.appendChild(h('option', { value: t }, t));

	let destroy: (() => void) | null = null;
	ctx.onLeave(() => destroy?.());

	// With a hundred servers the list is long: ticked ones first, and a box to find the others.
	const find = h('input', { type: 'search', class: 'filter', placeholder: t('compare.find'), 'aria-label': t('compare.find_label') });
	find.addEventListener('input', () => drawPicker());
	picker.before(find);
	const SHOWN = 24;
	const drawPicker = () => {
		const all = [...servers].sort((a, b) => Number(chosen.has(b.id)) - Number(chosen.has(a.id))).filter((s) => chosen.has(s.id) || matchesFilter(s, find.value));
		const shown = find.value ? all : all.slice(0, Math.max(SHOWN, chosen.size));
		fill(picker, ...shown.map(pick), all.length > shown.length ? h('p', { class: 'muted more' }, t('compare.more', { n: all.length - shown.length })) : null);
	};
	const pick = (s: ServerSummary) => {
		const i = [...chosen].indexOf(s.id);
		const box = h('input', { type: 'checkbox', checked: chosen.has(s.id), disabled: !chosen.has(s.id) && chosen.size >= MAX });
		box.addEventListener('change', () => {
			if (box.checked) chosen.add(s.id);
			else chosen.delete(s.id);
			drawPicker();
			void draw();
		});
		return h('label', { class: 'pick' }, box, h('span', { class: 'swatch', style: i >= 0 ? `background:${PALETTE[i % PALETTE.length]}` : '' }), s.name);
	};

	async function draw(): Promise<void> {
		const ids = [...chosen];
		history.replaceState(null, '', `/compare?metric=${metric.metric}&range=${RANGES.find(([, s]) => s === span)?.[0] ?? ''}&servers=${ids.join(',')}`);
		destroy?.();
		destroy = null;
		if (ids.length === 0) {
			note.textContent = t(servers.length ? 'compare.pick' : 'compare.none');
			fill(chartEl);
			return;
		}
		note.textContent = tn('compare.on', ids.length, { metric: metric.label });
		try {
			const to = Date.now();
			const series = await api.compare(metric.metric, ids, to - span, to, 600);
			const name = (id: number) => servers.find((s) => s.id === id)?.name ?? `#${id}`;
			const bySrv = new Map(series.map((s) => [s.server, s]));
			const lines = ids.map((id) => ({ label: name(id), t: bySrv.get(id)?.t ?? [], v: bySrv.get(id)?.v ?? [] }));
			destroy = lineChart(chartEl, lines, { title: '', unit: metric.unit, zone: ctx.zone, height: 320, range: [to - span, to] }).destroy;
		} catch (e) {
			fill(chartEl, errorBox(e));
		}
	}
	metricSel.addEventListener('change', () => {
		metric = COMPARE_METRICS.find((m) => m.metric + '|' + (m.device ?? '') === metricSel.value)!;
		void draw();
	});
	rangeSel.addEventListener('change', () => { span = Number(rangeSel.value); void draw(); });
	tagSel.addEventListener('change', () => {
		if (!tagSel.value) return;
		chosen.clear();
		for (const s of servers) if (s.tags.includes(tagSel.value) && chosen.size < MAX) chosen.add(s.id);
		tagSel.value = '';
		drawPicker();
		void draw();
	});
	drawPicker();
	await draw();
};
