import { describe, expect, it } from 'vitest';
import type { Alert, ServerSummary } from './api';
import { firingDelta, matchesFilter, mergeAlert, mergeStatus, sortServers } from './live';

const srv = (id: number, over: Partial<ServerSummary> = {}): ServerSummary => ({
	id, name: `web${id}`, chat_id: 1, state: 'online', last_seen_ms: 1000, hostname: `h${id}`, os: 'linux',
	arch: 'x86_64', cpu: 10, ram: 20, ram_used: 1, ram_total: 2, swap: 0, disk: 30, disk_used: 1, disk_total: 3,
	net_rx: 100, net_tx: 50, load1: 0.5, cores: 2, uptime_s: 60, firing: 0, tags: [], ...over,
});

describe('mergeStatus', () => {
	it('updates a row in place and keeps its position', () => {
		const list = [srv(1), srv(2), srv(3)];
		expect(mergeStatus(list, srv(2, { cpu: 99, last_seen_ms: 2000 }))).toBe('updated');
		expect(list.map((s) => s.id)).toEqual([1, 2, 3]);
		expect(list[1].cpu).toBe(99);
	});
	it('adds a server it has not seen', () => {
		const list = [srv(1)];
		expect(mergeStatus(list, srv(7))).toBe('added');
		expect(list.map((s) => s.id)).toEqual([1, 7]);
	});
	it('ignores an older report than the one shown', () => {
		const list = [srv(1, { last_seen_ms: 5000, cpu: 5 })];
		expect(mergeStatus(list, srv(1, { last_seen_ms: 4000, cpu: 80 }))).toBe('stale');
		expect(list[0].cpu).toBe(5);
	});
	it('keeps fields a partial event leaves out', () => {
		const list = [srv(1, { tags: ['pg'] })];
		const partial = { id: 1, cpu: 42, last_seen_ms: 2000 } as ServerSummary;
		mergeStatus(list, partial);
		expect(list[0].tags).toEqual(['pg']);
		expect(list[0].cpu).toBe(42);
		expect(list[0].name).toBe('web1');
	});
	it('a state change (offline) goes through', () => {
		const list = [srv(1)];
		mergeStatus(list, srv(1, { state: 'offline', cpu: null, last_seen_ms: 1000 }));
		expect(list[0].state).toBe('offline');
		expect(list[0].cpu).toBeNull();
	});
});

describe('mergeAlert', () => {
	const a = (over: Partial<Alert>): Alert => ({
		server: 1, server_name: 'web1', kind: 'cpu', device: '', state: 'firing', severity: 'warning',
		since_ms: 1, value: 95, threshold: 90, ...over,
	});
	it('adds, replaces and removes by server, kind and device', () => {
		let list: Alert[] = [];
		list = mergeAlert(list, a({ state: 'pending' }));
		expect(list).toHaveLength(1);
		expect(firingDelta(list, a({}))).toBe(1);
		list = mergeAlert(list, a({}));
		expect(list).toHaveLength(1);
		expect(list[0].state).toBe('firing');
		list = mergeAlert(list, a({ kind: 'disk', device: '/' }));
		expect(list).toHaveLength(2);
		expect(firingDelta(list, a({ state: 'resolved' }))).toBe(-1);
		list = mergeAlert(list, a({ state: 'resolved' }));
		expect(list.map((x) => x.kind)).toEqual(['disk']);
	});
});

describe('sortServers and matchesFilter', () => {
	const list = [srv(1, { name: 'b', cpu: 50 }), srv(2, { name: 'a', cpu: null }), srv(3, { name: 'c', cpu: 90, tags: ['pg'] })];
	it('sorts by a column with unknown values last both ways', () => {
		expect(sortServers(list, 'cpu', false).map((s) => s.name)).toEqual(['b', 'c', 'a']);
		expect(sortServers(list, 'cpu', true).map((s) => s.name)).toEqual(['c', 'b', 'a']);
		expect(sortServers(list, 'name', false).map((s) => s.name)).toEqual(['a', 'b', 'c']);
	});
	it('filters by name, hostname or tag', () => {
		expect(list.filter((s) => matchesFilter(s, 'B')).map((s) => s.name)).toEqual(['b']);
		expect(list.filter((s) => matchesFilter(s, 'tag:PG')).map((s) => s.name)).toEqual(['c']);
		expect(list.filter((s) => matchesFilter(s, 'h2')).map((s) => s.name)).toEqual(['a']);
		expect(list.filter((s) => matchesFilter(s, '  ')).length).toBe(3);
	});
});
