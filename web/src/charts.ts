// uPlot charts: fixed height (no layout jump), the user's time zone on the axis, values with
// units on hover, drag to zoom (reported back so the page can fetch a finer range), and a
// shared cursor for charts of one page (uPlot's cursor sync) so several metrics line up in time.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from './api';
import { byUnit } from './format';

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5'];

export interface ChartLine {
	label: string;
	t: number[]; // ms
	v: (number | null)[];
}

export interface ChartOptions {
	title: string;
	unit: string;
	zone: string;
	height?: number;
	sync?: string;
	/** Called with [from, to] in ms after the user dragged a range on the chart. */
	onZoom?: (from: number, to: number) => void;
}

/** Lines with different timestamps on one x axis (uPlot wants aligned data): the union of times, null where a line has no point. */
export function align(lines: ChartLine[]): uPlot.AlignedData {
	if (lines.length === 1) return [lines[0].t.map((t) => t / 1000), lines[0].v];
	const all = new Set<number>();
	for (const l of lines) for (const t of l.t) all.add(t);
	const xs = [...all].sort((a, b) => a - b);
	const index = new Map(xs.map((t, i) => [t, i]));
	const ys = lines.map((l) => {
		const y: (number | null)[] = new Array(xs.length).fill(null);
		l.t.forEach((t, i) => (y[index.get(t)!] = l.v[i]));
		return y;
	});
	return [xs.map((t) => t / 1000), ...ys];
}

export function seriesLine(s: Series, label: string): ChartLine {
	return { label, t: s.t, v: s.v };
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** A chart in `el` (which keeps its fixed height); returns it with a destroy(). */
export function lineChart(el: HTMLElement, lines: ChartLine[], o: ChartOptions): { chart: uPlot; destroy: () => void } {
	const height = o.height ?? 220;
	const fg = cssVar('--muted') || '#666';
	const grid = cssVar('--line') || '#ddd';
	const fmt = (v: number | null) => (v === null || v === undefined ? '–' : byUnit(o.unit, v));
	const percentScale = o.unit === 'percent';
	const opts: uPlot.Options = {
		title: o.title,
		width: Math.max(280, el.clientWidth || 600),
		height,
		tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), o.zone || 'UTC'),
		scales: { x: { time: true }, y: percentScale ? { range: (_u, _min, max) => [0, Math.max(100, max ?? 100)] } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
		axes: [
			{ stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
			{ stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 64, values: (_u, vals) => vals.map((v) => fmt(v)) },
		],
		cursor: {
			sync: o.sync ? { key: o.sync, setSeries: true } : undefined,
			drag: { x: true, y: false, setScale: false },
		},
		legend: { live: true },
		series: [
			{ label: 'Time', value: (_u, v) => (v === null ? '–' : new Intl.DateTimeFormat('en-GB', { timeZone: o.zone || 'UTC', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(v * 1000)) },
			...lines.map((l, i) => ({
				label: l.label,
				stroke: PALETTE[i % PALETTE.length],
				fill: lines.length === 1 ? PALETTE[0] + '22' : undefined,
				width: 1.5,
				spanGaps: false,
				points: { show: false },
				value: (_u: uPlot, v: number | null) => fmt(v),
			})),
		],
		hooks: {
			setSelect: [
				(u) => {
					if (u.select.width < 5) return;
					const from = u.posToVal(u.select.left, 'x') * 1000;
					const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
					u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
					if (o.onZoom) o.onZoom(Math.round(from), Math.round(to));
					else u.setScale('x', { min: from / 1000, max: to / 1000 });
				},
			],
		},
	};
	el.replaceChildren();
	const chart = new uPlot(opts, align(lines), el);
	const ro = new ResizeObserver(() => {
		const w = Math.max(280, el.clientWidth);
		if (Math.abs(w - chart.width) > 2) chart.setSize({ width: w, height });
	});
	ro.observe(el);
	return { chart, destroy: () => { ro.disconnect(); chart.destroy(); } };
}
