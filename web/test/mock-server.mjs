// A mock of serversan-server's web side for developing the dashboard and for its browser tests:
// serves web/dist (index.html for any non-API GET), the JSON API of docs/api.md on fixture data
// for N servers, an SSE stream with status updates every second, the one-time login link flow
// (GET shows a page, POST spends it and sets ss_session) and the CSRF check.
//   node test/mock-server.mjs [--port 8090] [--servers 100]
// Or import { startMock } to run it inside a test. Loopback only.
import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { BUILTIN_RULES, alerts, detail, events, jiggle, makeFleet, series, summary } from './fixtures.mjs';

const DIST = new URL('../dist/', import.meta.url).pathname;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

export function startMock({ port = 0, servers: n = 100, zone = 'Europe/Berlin', tickMs = 1000 } = {}) {
	const now = () => Date.now();
	const fleet = makeFleet(n, now());
	let nextId = n + 1;
	const links = new Map(); // token → the Telegram language of the user it logs in
	const sessions = new Map(); // id -> { csrf, created_ms, ua, ip }
	const rules = { chat: new Map(), server: new Map() }; // key -> rule
	let notify = { chat_id: 1000, notify: true, muted_kinds: ['swap'], quiet_from_min: 23 * 60, quiet_to_min: 7 * 60, quiet_lets_critical: true, silent_warnings: false, reminder_s: 4 * 3600, digest_hour: 9, time_zone: zone };
	let tokens = [{ id: 1, name: 'grafana', prefix: 'ss_4f9a', created_ms: now() - 20 * 86400_000, last_used_ms: now() - 60_000, revoked_ms: null }];
	const evs = events(fleet, now());
	const clients = new Set();
	/** Every state-changing request, with its CSRF header (tests read it through the handle). */
	const writes = [];

	const json = (res, status, body, headers = {}) => {
		res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
		res.end(JSON.stringify(body));
	};
	const fail = (res, status, code, message) => json(res, status, { error: { status, code, message } });
	const cookie = (req) => /(?:^|;\s*)ss_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
	const readBody = (req) => new Promise((resolve) => {
		let b = '';
		req.on('data', (c) => (b += c));
		req.on('end', () => { try { resolve(b ? JSON.parse(b) : {}); } catch { resolve(null); } });
	});
	const byId = (id) => fleet.find((s) => s.id === Number(id));
	const ruleKey = (server, kind, device) => `${server ?? ''}|${kind}|${device ?? ''}`;

	function effectiveRules(server) {
		return BUILTIN_RULES.map((b) => {
			const s = server ? rules.server.get(ruleKey(server, b.kind, '')) : null;
			const c = rules.chat.get(ruleKey(null, b.kind, ''));
			return s ? { ...b, ...s, source: 'server' } : c ? { ...b, ...c, source: 'chat' } : b;
		});
	}

	function serveStatic(req, res, path) {
		let file = normalize(join(DIST, path));
		if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
		if (!existsSync(file)) return fail(res, 503, 'unavailable', 'web/dist is not built: run npm run build');
		res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache' });
		res.end(readFileSync(file));
	}

	function loginPage(res, token) {
		res.writeHead(links.has(token) ? 200 : 410, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(links.has(token)
			? `<!doctype html><meta name=viewport content="width=device-width"><title>Log in</title><form method=post><button type=submit>Open the dashboard</button></form>`
			: `<!doctype html><title>Link used or expired</title><h1>Link used or expired</h1><p>Send /web to the bot for a new one.</p>`);
	}

	async function api(req, res, url, sid) {
		const p = url.pathname.slice('/api/v1'.length);
		const m = req.method;
		const q = url.searchParams;
		if (p === '/auth/miniapp' && m === 'POST') {
			const b = await readBody(req);
			if (!b?.init_data || !String(b.init_data).includes('hash=')) return fail(res, 401, 'unauthorized', 'invalid init data');
			const id = randomBytes(12).toString('hex');
			sessions.set(id, { csrf: randomBytes(12).toString('hex'), created_ms: now(), via: 'miniapp', ua: req.headers['user-agent'] ?? '', ip: '127.0.0.1' });
			return json(res, 200, {}, { 'Set-Cookie': `ss_session=${id}; Path=/; HttpOnly; SameSite=Lax` });
		}
		const sess = sessions.get(sid);
		if (!sess) return fail(res, 401, 'unauthorized', 'not logged in');
		if (m !== 'GET') {
			writes.push({ method: m, path: p, csrf: req.headers['x-csrf-token'] ?? null });
			if (req.headers['x-csrf-token'] !== sess.csrf) return fail(res, 403, 'csrf', 'missing or wrong CSRF token');
		}
		const body = m === 'GET' || m === 'DELETE' ? {} : await readBody(req);
		if (body === null) return fail(res, 400, 'bad_request', 'the body is not JSON');
		let mm;
		if (p === '/me' && m === 'GET') return json(res, 200, { user_id: 1000, name: 'Alice', admin: true, language: sess.language ?? 'en', time_zone: notify.time_zone || 'UTC', csrf: sess.csrf, via: sess.via });
		if (p === '/logout' && m === 'POST') { sessions.delete(sid); return json(res, 200, {}, { 'Set-Cookie': 'ss_session=; Path=/; Max-Age=0' }); }
		if (p === '/sessions' && m === 'GET') return json(res, 200, { sessions: [...sessions].map(([id, s]) => ({ id, via: s.via, created_ms: s.created_ms, last_seen_ms: now(), expires_ms: s.created_ms + 30 * 86400_000, user_agent: s.ua.includes('Chrome') ? 'Chrome on Linux' : s.ua, ip: s.ip, current: id === sid })) });
		if ((mm = /^\/sessions\/(\w+)$/.exec(p)) && m === 'DELETE') { sessions.delete(mm[1]); return json(res, 200, {}); }
		if (p === '/tokens' && m === 'GET') return json(res, 200, { tokens });
		if (p === '/tokens' && m === 'POST') {
			if (!body.name) return fail(res, 400, 'bad_request', 'a token needs a name');
			const token = 'ss_' + randomBytes(20).toString('hex');
			const t = { id: tokens.length + 1, name: body.name, prefix: token.slice(0, 7), created_ms: now(), last_used_ms: null, revoked_ms: null };
			tokens.push(t);
			return json(res, 200, { id: t.id, name: t.name, token });
		}
		if ((mm = /^\/tokens\/(\d+)$/.exec(p)) && m === 'DELETE') { tokens = tokens.map((t) => (t.id === Number(mm[1]) ? { ...t, revoked_ms: now() } : t)); return json(res, 200, {}); }
		if (p === '/servers' && m === 'GET') return json(res, 200, { servers: fleet.map(summary), now_ms: now() });
		if (p === '/servers' && m === 'POST') {
			const name = String(body.name ?? '').trim();
			if (!name || name.length > 64) return fail(res, 400, 'bad_request', 'the name must be 1 to 64 characters');
			const s = { ...makeFleet(1, now())[0], id: nextId++, name, state: 'new', last_seen_ms: null, hostname: null, os: null, tags: [] };
			for (const k of ['cpu', 'ram', 'ram_used', 'ram_total', 'swap', 'disk', 'disk_used', 'disk_total', 'net_rx', 'net_tx', 'load1', 'cores', 'uptime_s', 'arch']) s[k] = null;
			fleet.push(s);
			return json(res, 200, { server: summary(s), install: `curl -fsSL http://127.0.0.1:${port}/download/install.sh | sudo sh -s -- --server http://127.0.0.1:${port} --token ${randomBytes(16).toString('hex')}` });
		}
		if ((mm = /^\/servers\/(\d+)(\/token|\/series)?$/.exec(p))) {
			const s = byId(mm[1]);
			if (!s) return fail(res, 404, 'not_found', 'no such server');
			if (!mm[2] && m === 'GET') return json(res, 200, detail(s, now()));
			if (!mm[2] && m === 'PATCH') {
				const name = String(body.name ?? '').trim();
				if (!name) return fail(res, 400, 'bad_request', 'the name must not be empty');
				s.name = name;
				return json(res, 200, summary(s));
			}
			if (!mm[2] && m === 'DELETE') { fleet.splice(fleet.indexOf(s), 1); return json(res, 200, {}); }
			if (mm[2] === '/token' && m === 'POST') return json(res, 200, { install: `curl -fsSL http://127.0.0.1:${port}/download/install.sh | sudo sh -s -- --token ${randomBytes(16).toString('hex')}` });
			if (mm[2] === '/series' && m === 'GET') {
				const to = Number(q.get('to')) || now(), from = Number(q.get('from')) || to - 3600_000;
				if (!q.get('metric')) return fail(res, 400, 'bad_request', 'metric is required');
				return json(res, 200, series(s, q.get('metric'), q.get('device'), from, to, Number(q.get('points')) || 600));
			}
		}
		if (p === '/series' && m === 'GET') {
			const to = Number(q.get('to')) || now(), from = Number(q.get('from')) || to - 3600_000;
			const ids = (q.get('servers') ?? '').split(',').filter(Boolean).map(Number);
			return json(res, 200, { series: ids.map(byId).filter(Boolean).map((s) => series(s, q.get('metric'), q.get('device'), from, to, Number(q.get('points')) || 600)) });
		}
		if (p === '/alerts' && m === 'GET') {
			const srv = q.get('server');
			return json(res, 200, { alerts: alerts(fleet, now()).filter((a) => !srv || a.server === Number(srv)) });
		}
		if (p === '/events' && m === 'GET') {
			const srv = q.get('server'), before = Number(q.get('before')) || Infinity, limit = Number(q.get('limit')) || 50;
			return json(res, 200, { events: evs.filter((e) => (!srv || e.server === Number(srv)) && e.ts_ms < before).slice(0, limit) });
		}
		if (p === '/thresholds' && m === 'GET') return json(res, 200, { rules: effectiveRules(q.get('server') ? Number(q.get('server')) : null) });
		if (p === '/thresholds' && m === 'PUT') {
			if (!BUILTIN_RULES.some((r) => r.kind === body.kind)) return fail(res, 400, 'bad_request', 'unknown alert kind');
			if (typeof body.threshold !== 'number' || !(body.threshold >= 0)) return fail(res, 400, 'bad_request', 'the threshold must be a number ≥ 0');
			const r = { kind: body.kind, device: body.device ?? '', threshold: body.threshold, clear: body.clear ?? null, for_s: body.for_s, severity: body.severity, enabled: body.enabled };
			(body.server ? rules.server : rules.chat).set(ruleKey(body.server ?? null, body.kind, ''), r);
			return json(res, 200, { ...r, server: body.server ?? null, source: body.server ? 'server' : 'chat' });
		}
		if (p === '/thresholds' && m === 'DELETE') {
			const srv = q.get('server');
			(srv ? rules.server : rules.chat).delete(ruleKey(srv ? Number(srv) : null, q.get('kind'), ''));
			return json(res, 200, {});
		}
		if (p === '/notify' && m === 'GET') return json(res, 200, notify);
		if (p === '/notify' && m === 'PUT') { notify = { ...notify, ...body }; return json(res, 200, notify); }
		if (p === '/stream' && m === 'GET') {
			res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
			res.write(': hello\n\n');
			clients.add(res);
			req.on('close', () => clients.delete(res));
			return;
		}
		return fail(res, 404, 'not_found', `no route ${m} ${p}`);
	}

	// A quarter of the fleet reports each second (each server every 4 s), as agents would.
	let turn = 0;
	const tick = setInterval(() => {
		const online = fleet.filter((s) => s.state === 'online');
		const batch = online.filter((_, i) => i % 4 === turn % 4);
		turn++;
		for (const s of batch) jiggle(s, now());
		for (const c of clients) for (const s of batch) c.write(`event: status\ndata: ${JSON.stringify(summary(s))}\n\n`);
	}, tickMs);

	const server = createServer(async (req, res) => {
		const url = new URL(req.url, 'http://x');
		try {
			let mm;
			if ((mm = /^\/login\/([\w-]+)$/.exec(url.pathname))) {
				if (req.method === 'GET') return loginPage(res, mm[1]);
				if (req.method === 'POST') {
					const language = links.get(mm[1]);
					if (!links.delete(mm[1])) return loginPage(res, mm[1]);
					const id = randomBytes(12).toString('hex');
					sessions.set(id, { csrf: randomBytes(12).toString('hex'), created_ms: now(), via: 'link', ua: req.headers['user-agent'] ?? '', ip: '127.0.0.1', language });
					res.writeHead(303, { Location: '/', 'Set-Cookie': `ss_session=${id}; Path=/; HttpOnly; SameSite=Lax` });
					return res.end();
				}
			}
			if (url.pathname.startsWith('/api/')) return await api(req, res, url, cookie(req));
			if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method_not_allowed', 'method not allowed');
			return serveStatic(req, res, url.pathname);
		} catch (e) {
			return fail(res, 500, 'internal', String(e));
		}
	});

	return new Promise((resolve) => {
		server.listen(port, '127.0.0.1', () => {
			port = server.address().port;
			resolve({
				url: `http://127.0.0.1:${port}`,
				/** A fresh one-time login link, for a user whose Telegram language is `language`. */
				async loginLink(language = 'en') {
					const t = randomBytes(16).toString('hex');
					links.set(t, language);
					return `http://127.0.0.1:${port}/login/${t}`;
				},
				writes,
				async stop() {
					clearInterval(tick);
					for (const c of clients) c.end();
					server.closeAllConnections?.();
					await new Promise((r) => server.close(r));
				},
			});
		});
	});
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
	const m = await startMock({ port: Number(arg('--port', 8090)), servers: Number(arg('--servers', 100)) });
	console.log(`mock ServerSan on ${m.url}\nlog in: ${await m.loginLink()}`);
}
