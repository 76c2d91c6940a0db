// uPlot charts: fixed height (no layout jump), the user's time zone on the axis, values with
// units on hover, drag to zoom (reported back so the page can fetch a finer range), and a
// shared cursor for charts of one page (uPlot's cursor sync) so several metrics line up in time.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from './api';
import { byUnit } from './format';
import { t } from './i18n';

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
	/** The x axis spans this [from, to] in ms (the range asked for), not only the data's own
	 * stretch: a server that reported for five minutes shows five minutes of a 24 h axis. */
	range?: [number, number];
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

const BINARY_INCRS = Array.from({ length: 6 * 10 }, (_, i) => 2 ** (i % 10) * 1024 ** Math.floor(i / 10));

const dayFmt = new Map<string, Intl.DateTimeFormat>();
/** Axis ticks in the user's zone, 24-hour clock: "14:30", with "12-07" under the first tick of
 * each day; whole days as "12-07". */
export function timeTicks(splits: number[], incrS: number, zone: string): string[] {
	let f = dayFmt.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
		dayFmt.set(zone, f);
	}
	let lastDay = '';
	return splits.map((sec) => {
		const p: Record<string, string> = {};
		for (const x of f!.formatToParts(sec * 1000)) p[x.type] = x.value;
		const day = `${p.month}-${p.day}`;
		// Ticks closer than a minute (a few minutes of one-second reports) need the seconds, or
		// the axis repeats 21:50 21:50 21:50.
		const clock = incrS < 60 ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
		const first = day !== lastDay;
		lastDay = day;
		if (incrS >= 86400) return day;
		return first ? `${clock}\n${day}` : clock;
	});
}

/** The newest known value of a line (the legend shows it while the cursor is away). */
function lastKnown(data: (number | null | undefined)[]): number | null {
	for (let i = data.length - 1; i >= 0; i--) if (data[i] !== null && data[i] !== undefined) return data[i] as number;
	return null;
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
		...(o.title ? { title: o.title } : {}),
		width: Math.max(280, el.clientWidth || 600),
		height,
		tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), o.zone || 'UTC'),
		scales: { x: { time: true, ...(o.range ? { range: (): uPlot.Range.MinMax => [o.range![0] / 1000, o.range![1] / 1000] } : {}) }, y: percentScale ? { range: (_u, _min, max) => [0, Math.max(100, max ?? 100)] } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
		axes: [
			{ stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 44, values: (_u, splits, _a, _s, incr) => timeTicks(splits, incr, o.zone || 'UTC') },
			{
				stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: o.unit === 'bytes_per_s' ? 84 : 60,
				values: (_u, vals) => vals.map((v) => fmt(v)),
				// Byte rates tick at binary steps (256 KiB/s, 1 MiB/s), not at 977 KiB/s.
				...(o.unit === 'bytes_per_s' ? { incrs: BINARY_INCRS } : {}),
			},
		],
		cursor: {
			sync: o.sync ? { key: o.sync, setSeries: true } : undefined,
			drag: { x: true, y: false, setScale: false },
		},
		legend: { live: true },
		series: [
			{ label: t('chart.time'), value: (_u, v) => (v === null || v === undefined ? t('chart.latest') : timeTicks([v], 0, o.zone || 'UTC')[0].split('\n').reverse().join(' ')) },
			...lines.map((l, i) => ({
				label: l.label,
				stroke: PALETTE[i % PALETTE.length],
				fill: lines.length === 1 ? PALETTE[0] + '22' : undefined,
				width: 1.5,
				spanGaps: false,
				// A line of one or two points (a new server on a day's axis: one 5-minute bucket) draws as dots.
				points: { show: l.t.length <= 2, size: 6 },
				value: (u: uPlot, v: number | null, si: number, idx: number | null) => fmt(idx === null ? lastKnown(u.data[si] as (number | null)[]) : v),
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
