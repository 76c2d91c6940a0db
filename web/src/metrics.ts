// The metrics the pages chart, by the store's names (docs/api.md's `metric`), with their units.
export interface MetricDef {
	metric: string;
	label: string;
	unit: string;
	device?: string;
}

export const DETAIL_CHARTS: MetricDef[][] = [
	[{ metric: 'cpu.busy', label: 'CPU', unit: 'percent' }],
	[{ metric: 'mem.percent', label: 'RAM', unit: 'percent' }, { metric: 'swap.percent', label: 'Swap', unit: 'percent' }],
	[{ metric: 'load.1', label: 'Load (1 min)', unit: 'load' }],
	[{ metric: 'net.rx', label: 'Received', unit: 'bytes_per_s' }, { metric: 'net.tx', label: 'Sent', unit: 'bytes_per_s' }],
	[{ metric: 'fs.percent', label: 'Disk /', unit: 'percent', device: '/' }],
];

export const COMPARE_METRICS: MetricDef[] = [
	{ metric: 'cpu.busy', label: 'CPU', unit: 'percent' },
	{ metric: 'mem.percent', label: 'RAM', unit: 'percent' },
	{ metric: 'fs.percent', label: 'Disk /', unit: 'percent', device: '/' },
	{ metric: 'load.1', label: 'Load (1 min)', unit: 'load' },
	{ metric: 'net.rx', label: 'Network received', unit: 'bytes_per_s' },
	{ metric: 'net.tx', label: 'Network sent', unit: 'bytes_per_s' },
];

export const RANGES: [string, number][] = [
	['1 h', 3600_000], ['24 h', 86400_000], ['7 d', 7 * 86400_000], ['30 d', 30 * 86400_000],
];

/** The alert kinds (alerts::alert_kinds()) with their names and units, for Settings. */
export const KINDS: Record<string, { label: string; unit: string }> = {
	cpu: { label: 'CPU', unit: 'percent' },
	ram: { label: 'RAM', unit: 'percent' },
	swap: { label: 'Swap', unit: 'percent' },
	disk: { label: 'Disk', unit: 'percent' },
	inodes: { label: 'Inodes', unit: 'percent' },
	load: { label: 'Load per core', unit: 'load' },
	net_in: { label: 'Network in', unit: 'bytes_per_s' },
	net_out: { label: 'Network out', unit: 'bytes_per_s' },
	io: { label: 'Disk busy', unit: 'percent' },
	temp: { label: 'Temperature', unit: 'celsius' },
	offline: { label: 'Offline', unit: 'minutes' },
};
