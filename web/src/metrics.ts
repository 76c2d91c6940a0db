// The metrics the pages chart, by the store's names (docs/api.md's `metric`), with their units.
// Labels are getters: they are read when a page draws, in the language chosen by then.
import { t, type Key } from './i18n';

export interface MetricDef {
	metric: string;
	readonly label: string;
	unit: string;
	device?: string;
}

const def = (metric: string, key: Key, unit: string, device?: string): MetricDef => ({
	metric, unit, ...(device ? { device } : {}),
	get label() { return t(key); },
});

export const DETAIL_CHARTS: MetricDef[][] = [
	[def('cpu.busy', 'metric.cpu', 'percent')],
	[def('mem.percent', 'metric.ram', 'percent'), def('swap.percent', 'metric.swap', 'percent')],
	[def('load.1', 'metric.load1', 'load')],
	[def('net.rx', 'metric.rx', 'bytes_per_s'), def('net.tx', 'metric.tx', 'bytes_per_s')],
	[def('fs.percent', 'metric.disk_root', 'percent', '/')],
];

export const COMPARE_METRICS: MetricDef[] = [
	def('cpu.busy', 'metric.cpu', 'percent'),
	def('mem.percent', 'metric.ram', 'percent'),
	def('fs.percent', 'metric.disk_root', 'percent', '/'),
	def('load.1', 'metric.load1', 'load'),
	def('net.rx', 'metric.net_rx', 'bytes_per_s'),
	def('net.tx', 'metric.net_tx', 'bytes_per_s'),
];

/** [id, span in ms]; the id is what URLs and tests name ("24 h"), rangeLabel() what people read. */
export const RANGES: [string, number][] = [
	['1 h', 3600_000], ['24 h', 86400_000], ['7 d', 7 * 86400_000], ['30 d', 30 * 86400_000],
];
export const rangeLabel = (id: string): string => t(`range.${id.replace(' ', '')}` as Key);

const KIND_UNITS: Record<string, string> = {
	cpu: 'percent', ram: 'percent', swap: 'percent', disk: 'percent', inodes: 'percent', load: 'load',
	net_in: 'bytes_per_s', net_out: 'bytes_per_s', io: 'percent', temp: 'celsius', offline: 'minutes',
};

/** The alert kinds (alerts::alert_kinds()) with their names and units, for Settings. */
export const KINDS: Record<string, { readonly label: string; unit: string }> = Object.fromEntries(
	Object.entries(KIND_UNITS).map(([k, unit]) => [k, { unit, get label() { return t(`kind.${k}` as Key); } }]));
