import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, setUnauthorizedHandler } from './api';

type Call = { url: string; init: RequestInit };
function fakeFetch(answers: Record<string, [number, unknown]>): Call[] {
	const calls: Call[] = [];
	vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
		calls.push({ url, init });
		const key = `${init.method} ${url.split('?')[0]}`;
		const [status, body] = answers[key] ?? [404, { error: { status: 404, code: 'not_found', message: 'no such route' } }];
		return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, statusText: 'X' });
	});
	return calls;
}
const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

afterEach(() => vi.unstubAllGlobals());

describe('api', () => {
	it('sends the csrf of /me on every state-changing request, never on GET', async () => {
		const calls = fakeFetch({
			'GET /api/v1/me': [200, { user_id: 1, name: 'a', admin: false, language: 'en', time_zone: 'UTC', csrf: 'tok123', via: 'link' }],
			'PUT /api/v1/thresholds': [200, {}],
			'DELETE /api/v1/servers/7': [200, {}],
			'GET /api/v1/servers': [200, { servers: [], now_ms: 1 }],
		});
		await api.me();
		await api.setThreshold({ kind: 'cpu', threshold: 85, for_s: 300, severity: 'warning', enabled: true });
		await api.remove(7);
		await api.servers();
		expect(header(calls[1], 'X-CSRF-Token')).toBe('tok123');
		expect(JSON.parse(calls[1].init.body as string)).toMatchObject({ kind: 'cpu', threshold: 85 });
		expect(header(calls[1], 'Content-Type')).toBe('application/json');
		expect(header(calls[2], 'X-CSRF-Token')).toBe('tok123');
		expect(header(calls[3], 'X-CSRF-Token')).toBeUndefined();
	});

	it('turns the JSON error into an ApiError with the server message', async () => {
		fakeFetch({ 'PATCH /api/v1/servers/3': [400, { error: { status: 400, code: 'bad_request', message: 'the name is too long' } }] });
		const e = await api.rename(3, 'x'.repeat(99)).catch((x) => x);
		expect(e).toBeInstanceOf(ApiError);
		expect(e.status).toBe(400);
		expect(e.code).toBe('bad_request');
		expect(e.message).toBe('the name is too long');
	});

	it('a non-JSON error page still gives a plain message', async () => {
		fakeFetch({ 'GET /api/v1/alerts': [502, '<html>Bad Gateway</html>'] });
		const e = await api.alerts().catch((x) => x);
		expect(e.status).toBe(502);
		expect(e.message).toMatch(/502/);
	});

	it('a 401 calls the unauthorized handler', async () => {
		fakeFetch({ 'GET /api/v1/events': [401, { error: { status: 401, code: 'unauthorized', message: 'not logged in' } }] });
		const seen = vi.fn();
		setUnauthorizedHandler(seen);
		await expect(api.events()).rejects.toMatchObject({ status: 401 });
		expect(seen).toHaveBeenCalledOnce();
	});

	it('builds query strings without empty parameters', async () => {
		const calls = fakeFetch({ 'GET /api/v1/servers/4/series': [200, { t: [], v: [] }], 'GET /api/v1/series': [200, { series: [] }], 'GET /api/v1/thresholds': [200, { rules: [] }] });
		await api.series(4, 'cpu.busy', 1000, 2000, 600);
		await api.compare('fs.percent', [1, 2, 3], 10, 20);
		await api.thresholds();
		expect(calls[0].url).toBe('/api/v1/servers/4/series?metric=cpu.busy&from=1000&to=2000&points=600');
		expect(calls[1].url).toBe('/api/v1/series?metric=fs.percent&servers=1%2C2%2C3&from=10&to=20&points=600');
		expect(calls[2].url).toBe('/api/v1/thresholds');
	});

	it('a network failure says the server cannot be reached', async () => {
		vi.stubGlobal('fetch', async () => { throw new TypeError('Failed to fetch'); });
		await expect(api.tokens()).rejects.toMatchObject({ status: 0, code: 'network' });
	});
});
