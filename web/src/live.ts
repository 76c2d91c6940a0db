// Merging the stream's updates into what the page shows (pure, so the unit tests cover it).
// A status event carries a whole ServerSummary; a stale one (an older last_seen_ms than the row
// has, as after a reconnect's replay) must not move a row back in time.
import type { Alert, ServerSummary } from './api';

export type MergeResult = 'updated' | 'added' | 'stale';

/** Applies one status event to the list (in place); says what happened. */
export function mergeStatus(list: ServerSummary[], s: ServerSummary): MergeResult {
	const i = list.findIndex((x) => x.id === s.id);
	if (i < 0) {
		list.push(s);
		return 'added';
	}
	const old = list[i];
	if (old.last_seen_ms !== null && s.last_seen_ms !== null && s.last_seen_ms < old.last_seen_ms) return 'stale';
	// Fields the event leaves out keep their value (a status event may be a partial summary).
	list[i] = { ...old, ...s };
	return 'updated';
}

const alertKey = (a: Alert) => `${a.server}\u0000${a.kind}\u0000${a.device ?? ''}`;

/** Applies one alert event: firing/pending replaces or adds; resolved removes. */
export function mergeAlert(list: Alert[], a: Alert): Alert[] {
	const key = alertKey(a);
	const rest = list.filter((x) => alertKey(x) !== key);
	if (a.state === 'resolved') return rest;
	return [a, ...rest];
}

/** The fleet's firing count per server after an alert event (for the list's badge). */
export function firingDelta(list: Alert[], a: Alert): number {
	const had = list.some((x) => alertKey(x) === alertKey(a) && x.state === 'firing');
	const has = a.state === 'firing';
	return had === has ? 0 : has ? 1 : -1;
}

export type SortKey = 'name' | 'state' | 'cpu' | 'ram' | 'disk' | 'net' | 'load' | 'uptime' | 'last_seen';

const STATE_ORDER = { offline: 0, new: 1, online: 2 } as const;

function sortValue(s: ServerSummary, key: SortKey): number | string | null {
	switch (key) {
		case 'name': return s.name.toLowerCase();
		case 'state': return STATE_ORDER[s.state] ?? 3;
		case 'net': return s.net_rx === null && s.net_tx === null ? null : (s.net_rx ?? 0) + (s.net_tx ?? 0);
		case 'load': return s.load1;
		case 'uptime': return s.uptime_s;
		case 'last_seen': return s.last_seen_ms;
		default: return s[key];
	}
}

/** Sorted copy; unknown values (null) last whatever the direction; ties by name. */
export function sortServers(list: ServerSummary[], key: SortKey, desc: boolean): ServerSummary[] {
	return [...list].sort((a, b) => {
		const va = sortValue(a, key), vb = sortValue(b, key);
		if (va === null && vb !== null) return 1;
		if (vb === null && va !== null) return -1;
		let c = 0;
		if (va !== null && vb !== null) c = va < vb ? -1 : va > vb ? 1 : 0;
		if (desc) c = -c;
		return c || a.name.localeCompare(b.name) || a.id - b.id;
	});
}

/** Filter by name, hostname or tag (case-insensitive; "tag:web" matches tags only). */
export function matchesFilter(s: ServerSummary, filter: string): boolean {
	const f = filter.trim().toLowerCase();
	if (!f) return true;
	if (f.startsWith('tag:')) {
		const t = f.slice(4).trim();
		return s.tags.some((x) => x.toLowerCase() === t);
	}
	return (
		s.name.toLowerCase().includes(f) ||
		(s.hostname ?? '').toLowerCase().includes(f) ||
		s.tags.some((x) => x.toLowerCase().includes(f))
	);
}
