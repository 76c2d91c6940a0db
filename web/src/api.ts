// Every call the dashboard makes to the server, after docs/api.md. The one place that knows
// paths, methods, the CSRF header and the error shape: a change of the contract stays here.
import { t } from './i18n';

export interface Me {
	user_id: number;
	name: string;
	admin: boolean;
	language: string;
	time_zone: string;
	csrf: string;
	via: string;
}

export interface ServerSummary {
	id: number;
	name: string;
	chat_id: number;
	state: 'online' | 'offline' | 'new';
	last_seen_ms: number | null;
	hostname: string | null;
	os: string | null;
	arch: string | null;
	cpu: number | null;
	ram: number | null;
	ram_used: number | null;
	ram_total: number | null;
	swap: number | null;
	disk: number | null;
	/** The fullest filesystem, which `disk` describes. */
	disk_mount?: string | null;
	disk_used: number | null;
	disk_total: number | null;
	net_rx: number | null;
	net_tx: number | null;
	load1: number | null;
	cores: number | null;
	uptime_s: number | null;
	firing: number;
	tags: string[];
	/** A Telegram group's server (null: the user's own); `admin`: this user may change it.
	 * Status events leave it out (the list's value stays). */
	group?: { id: number; title: string | null; admin: boolean } | null;
}

export interface ServerDetail extends ServerSummary {
	facts: {
		kernel: string | null;
		os_version: string | null;
		cpu_model: string | null;
		virtualization: string | null;
		cpu_physical: number | null;
		boot_ms: number | null;
		agent_version: string | null;
		interval_s: number | null;
	};
	filesystems: { mount: string; fs: string; used: number; total: number; percent: number; inodes_percent: number | null }[];
	interfaces: { name: string; rx: number | null; tx: number | null }[];
	disks: { name: string; read: number | null; write: number | null; busy: number | null }[];
	temperatures: { name: string; celsius: number | null }[];
	processes: { pid: number; name: string; cpu: number | null; rss: number | null }[];
	processes_ms: number | null;
}

export interface Series {
	server: number;
	metric: string;
	device: string;
	unit: string;
	tier: string;
	step_ms: number;
	t: number[];
	v: (number | null)[];
	min?: (number | null)[];
	max?: (number | null)[];
}

export interface Alert {
	server: number;
	server_name: string;
	kind: string;
	device: string;
	state: 'pending' | 'firing' | 'resolved';
	severity: string;
	since_ms: number;
	value: number | null;
	threshold: number | null;
}

export interface Event {
	id: number;
	ts_ms: number;
	kind: string;
	server: number;
	server_name: string;
	detail: string;
}

/** An effective alert rule (as the bot's /threshold shows it). `source`: builtin, chat or server. */
export interface Rule {
	server?: number | null;
	kind: string;
	device?: string;
	threshold: number;
	clear?: number | null;
	for_s: number;
	severity: string;
	enabled: boolean;
	source?: string;
	unit?: string;
	/** The Telegram chat this rule's alerts go to, when set with /threshold ... here (groups are negative). */
	route_chat?: number | null;
}

/** The chat's notification settings, as /notify (store::ChatSettings). */
export interface NotifySettings {
	chat_id?: number;
	notify: boolean;
	muted_kinds: string[];
	quiet_from_min: number | null;
	quiet_to_min: number | null;
	quiet_lets_critical: boolean;
	silent_warnings: boolean;
	reminder_s: number;
	digest_hour: number | null;
	time_zone: string;
}

export interface Session {
	id: string | number;
	via: string;
	created_ms: number;
	last_seen_ms: number;
	expires_ms: number;
	user_agent: string;
	ip: string;
	current: boolean;
}

export interface Token {
	id: number;
	name: string;
	prefix: string;
	created_ms: number;
	last_used_ms: number | null;
	revoked_ms: number | null;
}

/** An answer other than 2xx, with the server's JSON error when it sent one. */
export class ApiError extends Error {
	constructor(public status: number, public code: string, message: string) {
		super(message);
	}
}

let csrf = '';
let onUnauthorized: () => void = () => {};

/** Called once on a 401 from any call: the app shows the "get a login link" page. */
export function setUnauthorizedHandler(f: () => void): void {
	onUnauthorized = f;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	let res: Response;
	try {
		res = await fetch(path, {
			method,
			headers,
			credentials: 'same-origin',
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	} catch {
		throw new ApiError(0, 'network', t('err.network'));
	}
	const text = await res.text();
	let json: any = null;
	try {
		json = text ? JSON.parse(text) : {};
	} catch {
		json = null;
	}
	if (!res.ok) {
		const e = json?.error;
		const err = new ApiError(res.status, e?.code ?? 'http', e?.message ?? `${res.status} ${res.statusText}`);
		if (res.status === 401) onUnauthorized();
		throw err;
	}
	if (json === null) throw new ApiError(res.status, 'bad_json', t('err.bad_json'));
	return json as T;
}

const q = (params: Record<string, string | number | null | undefined>) => {
	const s = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') s.set(k, String(v));
	const str = s.toString();
	return str ? `?${str}` : '';
};

const V1 = '/api/v1';
let early: Promise<{ servers: ServerSummary[]; now_ms: number }> | null = null;

export const api = {
	async me(): Promise<Me> {
		const me = await call<Me>('GET', `${V1}/me`);
		csrf = me.csrf;
		return me;
	},
	async miniAppLogin(initData: string): Promise<void> {
		await call('POST', `${V1}/auth/miniapp`, { init_data: initData });
	},
	logout: () => call<{}>('POST', `${V1}/logout`),
	sessions: () => call<{ sessions: Session[] }>('GET', `${V1}/sessions`).then((r) => r.sessions),
	revokeSession: (id: Session['id']) => call<{}>('DELETE', `${V1}/sessions/${encodeURIComponent(id)}`),
	tokens: () => call<{ tokens: Token[] }>('GET', `${V1}/tokens`).then((r) => r.tokens),
	createToken: (name: string) => call<{ id: number; name: string; token: string }>('POST', `${V1}/tokens`, { name }),
	revokeToken: (id: number) => call<{}>('DELETE', `${V1}/tokens/${id}`),

	/** The fleet; the first call takes the answer of prefetchServers() when there is one. */
	servers(): Promise<{ servers: ServerSummary[]; now_ms: number }> {
		const p = early ?? call<{ servers: ServerSummary[]; now_ms: number }>('GET', `${V1}/servers`);
		early = null;
		return p;
	},
	/** Starts GET /servers at start-up, beside /me, so the list does not wait for two round trips. */
	prefetchServers(): void {
		early = call<{ servers: ServerSummary[]; now_ms: number }>('GET', `${V1}/servers`);
		early.catch(() => {}); // the page that takes it reports the error
	},
	addServer: (name: string) => call<{ server: ServerSummary; install: string }>('POST', `${V1}/servers`, { name }),
	server: (id: number) => call<ServerDetail>('GET', `${V1}/servers/${id}`),
	rename: (id: number, name: string) => call<ServerSummary>('PATCH', `${V1}/servers/${id}`, { name }),
	remove: (id: number) => call<{}>('DELETE', `${V1}/servers/${id}`),
	rotateToken: (id: number) => call<{ install: string }>('POST', `${V1}/servers/${id}/token`),
	series: (id: number, metric: string, from: number, to: number, points = 600, device = '') =>
		call<Series>('GET', `${V1}/servers/${id}/series${q({ metric, device, from, to, points })}`),
	compare: (metric: string, servers: number[], from: number, to: number, points = 600) =>
		call<{ series: Series[] }>('GET', `${V1}/series${q({ metric, servers: servers.join(','), from, to, points })}`).then((r) => r.series),

	alerts: (server?: number, state?: string) => call<{ alerts: Alert[] }>('GET', `${V1}/alerts${q({ server, state })}`).then((r) => r.alerts),
	/** Newest first, whatever order the server sends; `before` (ms) pages to older ones. */
	events: (server?: number, before?: number, limit = 50) =>
		call<{ events: Event[] }>('GET', `${V1}/events${q({ server, before, limit })}`).then((r) => r.events.sort((a, b) => b.ts_ms - a.ts_ms || b.id - a.id)),

	thresholds: (server?: number) => call<{ rules: Rule[] }>('GET', `${V1}/thresholds${q({ server })}`).then((r) => r.rules),
	setThreshold: (rule: Rule) => call<Rule>('PUT', `${V1}/thresholds`, rule),
	resetThreshold: (kind: string, server?: number | null, device?: string) =>
		call<{}>('DELETE', `${V1}/thresholds${q({ server, kind, device })}`),
	notify: (chat?: number) => call<NotifySettings>('GET', `${V1}/notify${q({ chat })}`),
	setNotify: (s: NotifySettings, chat?: number) => call<NotifySettings>('PUT', `${V1}/notify${q({ chat })}`, s),
};

export type StreamHandlers = {
	status?: (s: ServerSummary) => void;
	alert?: (a: Alert) => void;
	/** The stream is (re)connected (true) or lost (false); EventSource reconnects by itself. */
	connection?: (open: boolean) => void;
};

/** Opens GET /api/v1/stream; returns the function that closes it. */
export function stream(h: StreamHandlers): () => void {
	const es = new EventSource(`${V1}/stream`, { withCredentials: true });
	const parse = (ev: MessageEvent) => {
		try {
			return JSON.parse(ev.data);
		} catch {
			return null;
		}
	};
	es.addEventListener('status', (ev) => {
		const s = parse(ev as MessageEvent);
		if (s) h.status?.(s);
	});
	es.addEventListener('alert', (ev) => {
		const a = parse(ev as MessageEvent);
		if (a) h.alert?.(a);
	});
	es.onopen = () => h.connection?.(true);
	es.onerror = () => h.connection?.(false);
	return () => es.close();
}
