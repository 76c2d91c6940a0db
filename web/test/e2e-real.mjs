// Issue 22's browser checks against the REAL server: the fake Bot API, serversan-server with the
// bot role, and the real agent reporting every second into a server Alice added with /add
// (real-stack.mjs). In headless Chromium: the one-time link logs in once; the list shows Alice's
// server with values that change without a reload; the detail's charts draw; a CPU threshold
// changed in Settings is what the bot's /threshold then says; Bob reaches none of Alice's server
// by URL or API; the Mini App logs in with init data signed by the bot token; a group's server
// (getChatMember from the fake) shows for a member of the group once she used the bot there
// (/list in the group), with the group's title. Screenshots of every
// page (phone and desktop, light and dark, and Bob's empty dashboard) go to
// $SERVERSAN_ARTIFACTS/web-screenshots-real (default build/web-screenshots-real).
// Usage: node test/e2e-real.mjs SERVER_BIN AGENT_BIN FAKE_TELEGRAM_BIN
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, launch, run, test } from './harness.mjs';
import { BOT_TOKEN, startStack } from './real-stack.mjs';

const [serverBin, agentBin, fakeBin] = process.argv.slice(2);
if (!fakeBin) {
	console.error('usage: node test/e2e-real.mjs SERVER_BIN AGENT_BIN FAKE_TELEGRAM_BIN');
	process.exit(2);
}
const ROOT = new URL('../../', import.meta.url).pathname;
const SHOTS = join(process.env.SERVERSAN_ARTIFACTS || join(ROOT, 'build'), 'web-screenshots-real');

const ALICE = { id: 1001, first_name: 'Alice' };
const BOB = { id: 1002, first_name: 'Bob' };
const stack = await startStack({ server: serverBin, agent: agentBin, fake: fakeBin });
let serverId = 0;
const { browser, close } = await launch();

/** A page logged in as `user` through a fresh one-time link and its button. */
async function loggedIn(user, { width = 1280, height = 800, colorScheme = 'light', path = '/' } = {}) {
	const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.setDefaultTimeout(60_000); // a loaded CI machine: waits end when the page is ready, not sooner
	await page.goto(stack.loginLink(user.id));
	// Waiting from before the click: the 303 to / may land before a later wait would start, and a
	// loaded machine may take long to fire `load`; the URL changing is what counts here.
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/login'), { waitUntil: 'commit', timeout: 90_000 }),
		page.locator('form button').first().click(),
	]);
	await page.waitForLoadState('domcontentloaded');
	if (path !== '/') await page.goto(stack.url + path);
	return { context, page };
}
/** A page of the user whose cookies `state` holds (context.storageState() after one login): the
 *  screenshots' sixteen pages cost two logins, under the server's login rate limit (10, then one
 *  every 6 s per address), which a fast run would otherwise reach before the tests after them. */
async function pageWith(state, { width, height, colorScheme }) {
	const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1, storageState: state });
	const page = await context.newPage();
	page.setDefaultTimeout(60_000);
	return { context, page };
}
async function sessionOf(user) {
	const { context } = await loggedIn(user);
	const state = await context.storageState();
	await context.close();
	return state;
}
const cpuCell = (page) => page.textContent(`tr[data-id="${serverId}"] td[data-label=CPU] .meter-value`);

test('Alice and Bob /start the bot; Alice /adds web1 and the real agent reports every second', async () => {
	assert((await stack.say(ALICE, '/start')).includes('Alice'), 'greets Alice');
	assert((await stack.say(BOB, '/start')).includes('Bob'), 'greets Bob');
	stack.startAgent(await stack.addServer(ALICE, 'web1'));
	// Its first report: the API (as Alice, through a link spent by fetch) lists it online.
	const { context, page } = await loggedIn(ALICE);
	const first = await page.waitForFunction(async () => {
		const r = await (await fetch('/api/v1/servers')).json();
		return r.servers.find((s) => s.name === 'web1' && s.state === 'online' && s.cpu !== null);
	}, null, { timeout: 60000, polling: 250 });
	serverId = (await first.jsonValue()).id;
	await context.close();
});

test('the one-time link logs in once; a second use shows the used page', async () => {
	const link = stack.loginLink(ALICE.id);
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	await page.goto(link);
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, 'login-link-phone-light.png') });
	await page.locator('form button').first().click();
	await page.waitForSelector(`table.servers tbody tr[data-id="${serverId}"]`);
	const other = await (await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' })).newPage();
	await other.goto(link);
	const again = await other.$('form button');
	if (again) await again.click();
	await other.waitForLoadState();
	await other.screenshot({ path: join(SHOTS, 'login-link-used-phone-dark.png') });
	const t = await other.textContent('body');
	assert(!(await other.$('table.servers')), 'the second use must not log in');
	assert(/no longer works/i.test(t) && t.includes('/web'), `the second use says why and how to get a new one: ${t}`);
	const me = (await other.context().request.get(`${stack.url}/api/v1/me`)).status();
	assert(me === 401, `no session from the second use: ${me}`);
	await other.context().close();
	await context.close();
});

test("the list shows Alice's web1 with the agent's values, changing without a reload (SSE)", async () => {
	const { context, page } = await loggedIn(ALICE);
	const row = `table.servers tbody tr[data-id="${serverId}"]`;
	await page.waitForSelector(row);
	let navigations = 0;
	page.on('framenavigated', () => navigations++);
	const text = await page.textContent(row);
	assert(text.includes('web1') && /\d+(\.\d)?%/.test(text) && /GiB|MiB/.test(text), `values with units: ${text}`);
	await page.waitForFunction(() => document.querySelector('.live')?.textContent === 'live', null, { timeout: 60000 });
	// Last seen and the CPU move with every report; any change of the row's text is a stream event applied.
	await page.waitForFunction(([sel, before]) => document.querySelector(sel)?.textContent !== before, [row, text], { timeout: 60000 });
	// The meter bars are as wide as their value (set through the CSSOM: the CSP drops style attributes).
	const ram = await page.$eval(`${row} td[data-label=RAM]`, (td) => [parseFloat(td.querySelector('.meter-value').textContent),
		td.querySelector('.meter-bar > span').getBoundingClientRect().width / td.querySelector('.meter-bar').getBoundingClientRect().width * 100]);
	assert(Math.abs(ram[0] - ram[1]) < 3, `the RAM bar is ${ram[1].toFixed(1)} % wide for ${ram[0]} %`);
	const cpu = await cpuCell(page);
	assert(/^\d+(\.\d)?%$/.test(cpu), `a real CPU value: ${cpu}`);
	assert(navigations === 0, 'no reload');
	await context.close();
});

test("the detail page draws the agent's history (canvas pixels)", async () => {
	const { context, page } = await loggedIn(ALICE, { path: `/servers/${serverId}` });
	await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 5, null, { timeout: 60000 });
	assert((await page.textContent('h1')).includes('web1'), 'its name');
	// A few seconds of one-second reports are enough for a line on the CPU chart.
	const painted = await page.$$eval('.chart canvas', (cs) => cs.map((c) => {
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
		return n;
	}));
	assert(painted[0] > 500, `painted pixels per chart: ${painted}`);
	// The agent's one-second reports come back as they are, for an hour and for a day.
	const tiers = await page.evaluate(async (id) => Promise.all([3600e3, 86400e3].map(async (span) => {
		const s = await (await fetch(`/api/v1/servers/${id}/series?metric=cpu.busy&from=${Date.now() - span}&to=${Date.now()}`)).json();
		return `${span / 3600e3} h: ${s.tier}, ${s.t.length} points`;
	})), serverId);
	console.log(`     series: ${tiers.join('; ')}`);
	await context.close();
});

test("a CPU threshold set to 77 % on web1 in Settings is what the bot's /threshold web1 shows", async () => {
	const { context, page } = await loggedIn(ALICE, { path: '/settings' });
	await page.waitForSelector(`select[aria-label="Rules of"] option[value="${serverId}"]`, { state: 'attached' });
	await page.selectOption('select[aria-label="Rules of"]', String(serverId));
	await page.waitForFunction(() => document.querySelector('tr[data-kind=cpu] .src'));
	const input = page.getByLabel('CPU threshold');
	await input.fill('77');
	await page.locator('tr[data-kind=cpu] button', { hasText: 'Save' }).click();
	await page.waitForFunction(() => document.querySelector('#thresholds .toast')?.textContent.includes('Saved'));
	await page.waitForFunction(() => document.querySelector('tr[data-kind=cpu] .src')?.textContent === 'this server');
	await context.close();
	const reply = await stack.say(ALICE, '/threshold web1');
	const cpuLine = reply.split('\n').find((l) => /CPU/.test(l)) ?? '';
	assert(/77\s?%/.test(cpuLine), `/threshold web1 shows 77 %: ${reply}`);
	console.log(`     bot: ${cpuLine.trim()}`);
});

test("Bob reaches none of Alice's server: not in his list, 404 by API, not-found by URL", async () => {
	const { context, page } = await loggedIn(BOB);
	await page.waitForSelector('main h1');
	await page.waitForLoadState('networkidle').catch(() => {});
	assert(!(await page.$(`tr[data-id="${serverId}"]`)), "Alice's server is not in Bob's list");
	const empty = await page.textContent('p.empty');
	assert(empty.includes('No servers yet') && empty.includes('+ Add server') && empty.includes('/add'), `Bob's empty list says how to add one: ${empty}`);
	const api = await page.evaluate(async (id) => {
		const out = {};
		const csrf = (await (await fetch('/api/v1/me')).json()).csrf;
		const write = (method, path, body) => fetch(path, { method, headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
		out['PATCH server'] = (await write('PATCH', `/api/v1/servers/${id}`, { name: 'mine' })).status;
		out['PUT threshold'] = (await write('PUT', '/api/v1/thresholds', { server: id, kind: 'cpu', threshold: 50 })).status;
		out['DELETE server'] = (await write('DELETE', `/api/v1/servers/${id}`)).status;
		for (const p of [`/api/v1/servers/${id}`, `/api/v1/servers/${id}/series?metric=cpu.busy`, `/api/v1/thresholds?server=${id}`, `/api/v1/alerts?server=${id}`, `/api/v1/events?server=${id}`, `/api/v1/series?metric=cpu.busy&servers=${id}`])
			out[p] = (await fetch(p)).status;
		const list = await (await fetch('/api/v1/servers')).json();
		out.list = list.servers.length;
		return out;
	}, serverId);
	assert(Object.entries(api).every(([k, v]) => (k === 'list' ? v === 0 : v === 404)), `Bob's answers: ${JSON.stringify(api)}`);
	await page.goto(`${stack.url}/servers/${serverId}`);
	const err = await page.waitForSelector('.error');
	assert(/no such server/i.test(await err.textContent()), `the page: ${await err.textContent()}`);
	assert(!(await page.textContent('main')).includes('web1'), "no trace of Alice's server name");
	await context.close();
});

/** Init data as Telegram signs it: secret = HMAC_SHA256(key "WebAppData", bot token), hash over the sorted lines. */
function initData(user, authDate) {
	const fields = { auth_date: String(authDate), query_id: 'AAHdF6IQAAAAAN0XohDhrOrc', user: JSON.stringify(user) };
	const check = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
	const secret = createHmac('sha256', 'WebAppData').update(BOT_TOKEN).digest();
	const hash = createHmac('sha256', secret).update(check).digest('hex');
	return new URLSearchParams({ ...fields, hash }).toString();
}

test('the Mini App logs Bob in with init data signed by the bot token', async () => {
	const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
	const page = await context.newPage();
	const data = initData({ id: BOB.id, first_name: 'Bob', language_code: 'en' }, Math.floor(Date.now() / 1000));
	// Telegram's script from the internet is replaced by a stand-in that plays the WebApp object.
	await page.route('https://telegram.org/js/telegram-web-app.js', (route) => route.fulfill({
		contentType: 'text/javascript',
		body: `window.Telegram = { WebApp: { initData: ${JSON.stringify(data)}, colorScheme: 'light', themeParams: {}, ready() {}, expand() {} } };`,
	}));
	const [res] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/miniapp')),
		page.goto(`${stack.url}/#tgWebAppData=${encodeURIComponent(data)}&tgWebAppVersion=8.0`),
	]);
	assert(res.status() === 200, `miniapp login: ${res.status()} ${await res.text()}`);
	const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
	assert(me.user_id === BOB.id, `logged in as Bob: ${JSON.stringify(me)}`);
	await page.waitForSelector('main h1');
	// A forged signature gets nowhere.
	const forged = await page.evaluate(async (d) => (await fetch('/api/v1/auth/miniapp', { method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ init_data: d.replace(/hash=[0-9a-f]+/, 'hash=' + '0'.repeat(64)) }) })).status, data);
	assert(forged === 401, `forged init data: ${forged}`);
	await context.close();
});

test('screenshots of every page from the real server: phone and desktop, light and dark', async () => {
	mkdirSync(SHOTS, { recursive: true });
	const pages = [['list', '/'], ['detail', `/servers/${serverId}`], ['compare', '/compare'], ['alerts', '/alerts'], ['settings', '/settings']];
	const alice = await sessionOf(ALICE), bobs = await sessionOf(BOB);
	for (const [w, h, size] of [[360, 740, 'phone'], [1280, 860, 'desktop']]) {
		for (const scheme of ['light', 'dark']) {
			const { context, page } = await pageWith(alice, { width: w, height: h, colorScheme: scheme });
			// The real server's Content-Security-Policy (the mock sends none) drops what breaks it.
			const blocked = [];
			page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) blocked.push(m.text().slice(0, 200)); });
			for (const [name, path] of pages) {
				await page.goto(stack.url + path);
				await page.waitForLoadState('networkidle').catch(() => {});
				if (name === 'detail' || name === 'compare') await page.waitForSelector('.chart canvas');
				await page.waitForTimeout(400);
				await page.screenshot({ path: join(SHOTS, `${name}-${size}-${scheme}.png`), fullPage: true });
				if (name === 'settings') {
					// No bar over the sections (through the DOM: the real server's CSP forbids inline styles).
					await page.evaluate(() => document.querySelector('.top')?.style.setProperty('position', 'static'));
					for (const sec of ['thresholds', 'notifications', 'tokens', 'sessions'])
						await page.locator(`#${sec}`).screenshot({ path: join(SHOTS, `settings-${sec}-${size}-${scheme}.png`) });
				}
				const scroll = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
				assert(scroll <= 0, `${name} ${size} ${scheme}: no sideways scroll (${scroll}px)`);
				assert(blocked.length === 0, `${name}: the CSP blocked ${blocked}`);
			}
			await context.close();
			// Bob has no server: his list, alerts and compare pages as a new user sees them.
			const bob = await pageWith(bobs, { width: w, height: h, colorScheme: scheme });
			for (const [name, path] of [['list', '/'], ['alerts', '/alerts'], ['compare', '/compare']]) {
				await bob.page.goto(stack.url + path);
				await bob.page.waitForLoadState('networkidle').catch(() => {});
				await bob.page.waitForTimeout(300);
				await bob.page.screenshot({ path: join(SHOTS, `empty-${name}-${size}-${scheme}.png`), fullPage: true });
			}
			await bob.context.close();
		}
	}
	console.log(`     screenshots in ${SHOTS}`);
});

// Last: the fake answers "member" for anyone it was not told about (Bob's empty dashboard above
// must stay empty); the server asks only about groups the bot saw the user in.
test("a group's server shows on the dashboard of a member who used the bot in the group, who may not change it", async () => {
	const OPS = { id: -100777, type: 'supergroup', title: 'ops' };
	await stack.member(ALICE, OPS, 'member');
	stack.addServerOf(OPS.id, 'ops-db');
	const { context, page } = await loggedIn(ALICE);
	// Telegram is asked only about the groups the bot saw her in: none yet.
	const before = await page.evaluate(async () => (await (await fetch('/api/v1/servers')).json()).servers.map((x) => x.name));
	assert(!before.includes('ops-db'), `ops-db before Alice used the bot in ops: ${before}`);
	await stack.say(ALICE, '/list', OPS);
	await page.reload(); // the list (and the live stream) chose her groups when they loaded
	const got = await page.evaluate(async () => {
		const s = (await (await fetch('/api/v1/servers')).json()).servers.find((x) => x.name === 'ops-db');
		const csrf = (await (await fetch('/api/v1/me')).json()).csrf;
		const patch = s && (await fetch(`/api/v1/servers/${s.id}`, { method: 'PATCH', headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'mine' }) })).status;
		return { s, patch };
	});
	assert(got.s && got.s.group?.id === OPS.id && got.s.group.admin === false && got.s.group.title === 'ops', `ops-db for Alice, a member: ${JSON.stringify(got.s)}`);
	assert(got.patch === 403, `a member's rename: ${got.patch}`);
	await page.waitForSelector(`table.servers tbody tr[data-id="${got.s.id}"]`);
	await context.close();
});

const ok = await run();
await close();
if (!ok) console.log(stack.logs());
await stack.stop();
process.exit(ok ? 0 : 1);
