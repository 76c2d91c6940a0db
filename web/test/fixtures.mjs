// Plausible, deterministic fixture data for the mock API (docs/api.md shapes): a fleet of
// servers, their details, time series, alerts, events, rules and settings.
export const DAY = 86400_000;

// A small deterministic PRNG so screenshots and tests see the same fleet every run.
export function rng(seed) {
	let s = seed >>> 0 || 1;
	return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const ROLES = ['web', 'db', 'cache', 'worker', 'edge', 'ci', 'mail', 'backup', 'vpn', 'k8s'];
const OSES = ['Debian 12', 'Ubuntu 24.04', 'Ubuntu 22.04', 'Rocky Linux 9', 'Alpine 3.20'];
const GiB = 1024 ** 3;

export function makeFleet(n, now) {
	const r = rng(42);
	const servers = [];
	for (let i = 1; i <= n; i++) {
		const role = ROLES[(i - 1) % ROLES.length];
		const ramTotal = [2, 4, 8, 16, 32, 64][Math.floor(r() * 6)] * GiB;
		const diskTotal = [20, 40, 80, 160, 500, 1000][Math.floor(r() * 6)] * GiB;
		const cores = [1, 2, 4, 8, 16][Math.floor(r() * 5)];
		const state = i % 37 === 0 ? 'offline' : i === n ? 'new' : 'online';
		const s = {
			id: i, name: `${role}-${String(Math.ceil(i / ROLES.length)).padStart(2, '0')}`, chat_id: 1000, state,
			last_seen_ms: state === 'new' ? null : state === 'offline' ? now - (20 + i) * 60_000 : now - Math.floor(r() * 9000),
			hostname: null, os: state === 'new' ? null : OSES[i % OSES.length],
			arch: state === 'new' ? null : i % 9 === 0 ? 'aarch64' : 'x86_64',
			cpu: null, ram: null, ram_used: null, ram_total: state === 'new' ? null : ramTotal, swap: null,
			disk: null, disk_used: null, disk_total: state === 'new' ? null : diskTotal, net_rx: null, net_tx: null,
			load1: null, cores: state === 'new' ? null : cores, uptime_s: null, firing: 0,
			tags: [role, i % 3 === 0 ? 'eu' : i % 3 === 1 ? 'us' : 'asia'].concat(i % 10 === 1 ? ['prod'] : []),
			_base: { cpu: 3 + r() * 60, ram: 20 + r() * 60, disk: 10 + r() * 80, net: 2e3 + r() * 5e6, boot: now - Math.floor(r() * 90) * DAY - 3600_000 },
		};
		if (state !== 'new') s.hostname = `${s.name}.example.net`;
		// Two servers of a Telegram group: one where the user is a member, one where an admin.
		s.group = i === 4 ? { id: -100500, title: 'Ops team', admin: false } : i === 7 ? { id: -100600, title: null, admin: true } : null;
		if (i === 3) s._base.cpu = 93; // one busy server with a firing alert
		if (i === 5) s._base.disk = 96;
		if (state !== 'new') jiggle(s, now, r);
		servers.push(s);
	}
	for (const s of servers) if (s.id === 3 || s.id === 5 || s.state === 'offline') s.firing = 1;
	return servers;
}

/** New current values around the server's base (a report landed). */
export function jiggle(s, now, r = Math.random) {
	if (s.state === 'new') return;
	const b = s._base;
	if (s.state === 'offline') {
		Object.assign(s, { cpu: null, ram: null, ram_used: null, swap: null, disk: b.disk, disk_used: b.disk / 100 * s.disk_total, net_rx: null, net_tx: null, load1: null, uptime_s: null });
		return;
	}
	const cpu = Math.min(100, Math.max(0, b.cpu + (r() - 0.5) * 12));
	const ram = Math.min(100, Math.max(0, b.ram + (r() - 0.5) * 3));
	Object.assign(s, {
		cpu, ram, ram_used: ram / 100 * s.ram_total, swap: b.ram > 70 ? (b.ram - 70) : 0,
		disk: b.disk, disk_used: b.disk / 100 * s.disk_total,
		net_rx: b.net * (0.5 + r()), net_tx: b.net * 0.4 * (0.5 + r()),
		load1: cpu / 100 * s.cores * (0.8 + r() * 0.4), uptime_s: Math.floor((now - b.boot) / 1000), last_seen_ms: now,
	});
}

export const summary = (s) => {
	const { _base, ...rest } = s;
	return rest;
};

export function detail(s, now) {
	const r = rng(s.id * 7919);
	const d = summary(s);
	const known = s.state !== 'new';
	return {
		...d,
		facts: known ? {
			kernel: s.arch === 'aarch64' ? '6.1.0-28-arm64' : '6.1.0-28-amd64', os_version: null /* the mock's os already carries it */, cpu_model: s.arch === 'aarch64' ? 'Neoverse-N1' : 'AMD EPYC 7543P 32-Core Processor',
			virtualization: 'kvm', cpu_physical: 1, boot_ms: s._base.boot, agent_version: '0.9.0', interval_s: 10,
		} : { kernel: null, os_version: null, cpu_model: null, virtualization: null, cpu_physical: null, boot_ms: null, agent_version: null, interval_s: null },
		filesystems: known ? [
			{ mount: '/', fs: 'ext4', used: s.disk_used, total: s.disk_total, percent: s.disk, inodes_percent: 4 + r() * 20 },
			{ mount: '/boot', fs: 'ext4', used: 120e6, total: 487e6, percent: 24.6, inodes_percent: 1.1 },
			...(s.id % 4 === 0 ? [{ mount: '/var/lib/postgresql', fs: 'xfs', used: 312 * GiB, total: 500 * GiB, percent: 62.4, inodes_percent: 0.4 }] : []),
		] : [],
		interfaces: known ? [{ name: 'eth0', rx: s.net_rx, tx: s.net_tx }, { name: 'wg0', rx: 1200 + r() * 4000, tx: 800 + r() * 2000 }] : [],
		disks: known ? [{ name: 'vda', read: r() * 2e6, write: r() * 4e6, busy: r() * 30 }] : [],
		temperatures: known && s.arch === 'aarch64' ? [{ name: 'cpu_thermal', celsius: 48 + r() * 10 }] : [],
		processes: known ? [
			['postgres', 18.2, 1.4 * GiB], ['nginx', 6.3, 120e6], ['node', 4.1, 640e6], ['serversan-agent', 0.3, 14e6],
			['sshd', 0.1, 9e6], ['systemd-journald', 0.1, 60e6],
		].map(([name, cpu, rss], i) => ({ pid: 400 + i * 131 + s.id, name, cpu: cpu * (s.cpu ?? 0) / 30, rss })) : [],
		processes_ms: known ? s.last_seen_ms : null,
	};
}

const UNITS = { 'cpu.busy': 'percent', 'mem.percent': 'percent', 'swap.percent': 'percent', 'fs.percent': 'percent', 'load.1': 'load', 'net.rx': 'bytes_per_s', 'net.tx': 'bytes_per_s' };

/** A metric's series for [from, to], at most `points` points, from the tier that fits. */
export function series(s, metric, device, from, to, points) {
	points = Math.min(2000, Math.max(2, points || 600));
	const span = to - from;
	const tier = span <= 6 * 3600_000 ? ['raw', 10_000] : span <= 8 * DAY ? ['5m', 300_000] : ['1h', 3600_000];
	const step = Math.max(tier[1], Math.ceil(span / points / tier[1]) * tier[1]);
	const t = [], v = [];
	const b = s._base;
	const base = { 'cpu.busy': b.cpu, 'mem.percent': b.ram, 'swap.percent': Math.max(0, b.ram - 70), 'fs.percent': b.disk, 'load.1': b.cpu / 100 * (s.cores ?? 1), 'net.rx': b.net, 'net.tx': b.net * 0.4 }[metric] ?? 10;
	const start = Math.ceil(from / step) * step;
	const offlineFrom = s.state === 'offline' ? s.last_seen_ms : Infinity;
	for (let x = start; x <= to; x += step) {
		t.push(x);
		if (s.state === 'new' || x > offlineFrom || x < b.boot - 30 * DAY) { v.push(null); continue; }
		const day = Math.sin((x / DAY) * 2 * Math.PI + s.id);
		const wiggle = Math.sin(x / 977_000 + s.id * 3) * 0.5 + Math.sin(x / 131_000 + s.id) * 0.3;
		// Swings scale with the room left, so a busy server still moves below 100 %.
		const room = UNITS[metric] === 'percent' ? Math.min(base, 100 - base + 4) : base;
		let val = base + room * (0.35 * day + 0.25 * wiggle);
		if (metric === 'fs.percent') val = base - 8 * (to - x) / (30 * DAY);
		if (UNITS[metric] === 'percent') val = Math.min(100, Math.max(0, val));
		v.push(Math.max(0, val));
	}
	return { server: s.id, metric, device: device ?? '', unit: UNITS[metric] ?? '', tier: tier[0], step_ms: step, t, v };
}

export function alerts(servers, now) {
	const out = [];
	for (const s of servers) {
		if (s.id === 3) out.push({ server: 3, server_name: s.name, kind: 'cpu', device: '', state: 'firing', severity: 'warning', since_ms: now - 42 * 60_000, value: s.cpu, threshold: 90 });
		if (s.id === 5) out.push({ server: 5, server_name: s.name, kind: 'disk', device: '/', state: 'firing', severity: 'critical', since_ms: now - 3 * 3600_000, value: s.disk, threshold: 95 });
		if (s.state === 'offline') out.push({ server: s.id, server_name: s.name, kind: 'offline', device: '', state: 'firing', severity: 'critical', since_ms: s.last_seen_ms, value: null, threshold: 5 });
	}
	return out;
}

export function events(servers, now) {
	const r = rng(7);
	const kinds = [['alert_fired', 'CPU 93% ≥ 90% for 5 min'], ['alert_resolved', 'CPU back to 41%'], ['offline', 'no report for 5 min'], ['online', 'reporting again after 12 min'], ['added', 'server added'], ['token_rotated', 'agent token rotated']];
	const out = [];
	for (let i = 0; i < 240; i++) {
		const s = servers[Math.floor(r() * servers.length)];
		const [kind, detail] = kinds[Math.floor(r() * kinds.length)];
		out.push({ id: 240 - i, ts_ms: now - i * 47 * 60_000 - Math.floor(r() * 600_000), kind, server: s.id, server_name: s.name, detail });
	}
	return out;
}

export const BUILTIN_RULES = [
	['cpu', 90, 300, 'warning'], ['ram', 90, 600, 'warning'], ['swap', 80, 900, 'warning'], ['disk', 90, 0, 'critical'],
	['inodes', 90, 0, 'warning'], ['load', 2, 900, 'warning'], ['net_in', 100e6, 600, 'warning'], ['net_out', 100e6, 600, 'warning'],
	['io', 90, 900, 'warning'], ['temp', 85, 300, 'warning'], ['offline', 5, 300, 'critical'],
].map(([kind, threshold, for_s, severity]) => ({ kind, device: '', threshold, clear: null, for_s, severity, enabled: true, source: 'builtin' }));
