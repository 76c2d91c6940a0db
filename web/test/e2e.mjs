// The dashboard in real headless Chromium against the server under test (harness.mjs): login,
// the live list, sorting and filtering, the add dialog, a chart's pixels, a threshold sent with
// the CSRF header, the 401 page; then screenshots of every page at phone and desktop widths in
// light and dark, into $SERVERSAN_ARTIFACTS/web-screenshots (default build/web-screenshots).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, launch, loggedIn, run, startServer, test } from './harness.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const SHOTS = join(process.env.SERVERSAN_ARTIFACTS || join(ROOT, 'build'), 'web-screenshots');

const server = await startServer();
const { browser, close } = await launch();
// The catalogue's keys and English texts, read from the source (this test runs plain node).
const EN_SOURCE = readFileSync(new URL('../src/i18n_en.ts', import.meta.url), 'utf8');
const ZH_SOURCE = readFileSync(new URL('../src/i18n_zh.ts', import.meta.url), 'utf8');
const entries = (src) => new Map([...src.matchAll(/^\t'([\w.]+)': '((?:[^'\\]|\\.)*)',$/gm)].map((m) => [m[1], m[2]]));
const EN_TEXTS = entries(EN_SOURCE), ZH_TEXTS = entries(ZH_SOURCE);
/** What of the English table shows on a page that should be all Chinese: a raw key, or an English
 * sentence (two words or more, no placeholder) that Chinese words differently. */
async function leaks(page) {
	const text = await page.evaluate(() => {
		// Not what the server wrote (an event's detail) nor what the user typed: those stay as they are.
		const own = (n) => !n.parentElement?.closest('.detail, input, textarea, script, style');
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		const words = [];
		for (let n = walk.nextNode(); n; n = walk.nextNode()) if (own(n)) words.push(n.textContent);
		const attrs = [...document.querySelectorAll('[aria-label],[title],[placeholder]')]
			.flatMap((e) => ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a) ?? ''));
		return [...words, document.title, ...attrs].join('\n');
	});
	const keys = [...EN_TEXTS.keys()].filter((k) => text.includes(k));
	const english = [...EN_TEXTS].filter(([k, v]) => /\w+ \w+/.test(v) && !v.includes('{') && ZH_TEXTS.get(k) !== v && text.includes(v)).map(([, v]) => v);
	return [...keys, ...english];
}
const rowsText = (page) => page.$$eval('table.servers tbody tr[data-id]', (trs) => trs.map((tr) => tr.textContent));

test('without a session the page says how to get a login link', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(server.url + '/servers/3');
	await page.getByRole('heading', { name: 'Log in to ServerSan' }).waitFor();
	const text = await page.textContent('main');
	assert(text.includes('/web') && text.includes('serversan-server web login-link'), `401 page text: ${text}`);
	await context.close();
});

test('a one-time login link logs in once; a second use fails', async () => {
	const link = await server.loginLink();
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(link);
	await page.locator('form button').first().click();
	await page.waitForSelector('table.servers tbody tr[data-id]');
	const other = await (await browser.newContext()).newPage();
	await other.goto(link);
	const again = await other.$('button');
	if (again) await again.click();
	const t = await other.textContent('body');
	assert(!(await other.$('table.servers')), 'the second use must not log in');
	assert(/used|expired|invalid/i.test(t), `second use says why: ${t}`);
	await other.context().close();
	await context.close();
});

test('the list shows 100 servers whose values change without a reload (SSE)', async () => {
	const { context, page } = await loggedIn(browser, server);
	await page.waitForSelector('table.servers tbody tr[data-id]');
	let navigations = 0;
	page.on('framenavigated', () => navigations++);
	const before = await rowsText(page);
	assert(before.length === 100, `rows: ${before.length}`);
	assert(/\d+(\.\d)?%/.test(before[0]) && /GiB|MiB/.test(before.join()), `values with units: ${before[0]}`);
	await page.waitForFunction((b) => [...document.querySelectorAll('table.servers tbody tr[data-id]')].some((tr, i) => tr.textContent !== b[i]), before, { timeout: 60000 });
	const live = await page.textContent('.live');
	assert(live === 'live', `stream indicator: ${live}`);
	assert(navigations === 0, 'no reload');
	await context.close();
});

test('inside Telegram: the Mini App script, then POST /auth/miniapp with the init data, then the list', async () => {
	const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
	const page = await context.newPage();
	// Telegram's script from the internet is replaced by a stand-in that plays the WebApp object.
	const initData = 'query_id=AAF&user=%7B%22id%22%3A1000%7D&auth_date=1765100000&hash=abc123';
	await page.route('https://telegram.org/js/telegram-web-app.js', (route) => route.fulfill({
		contentType: 'text/javascript',
		body: `window.Telegram = { WebApp: { initData: ${JSON.stringify(initData)}, colorScheme: 'dark',
			themeParams: { bg_color: '#17212b', text_color: '#f5f5f5', button_color: '#5288c1' }, ready() {}, expand() {} } };`,
	}));
	const [req] = await Promise.all([
		page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/miniapp')),
		page.goto(`${server.url}/#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0`),
	]);
	assert(JSON.parse(req.postData()).init_data === initData, `init_data sent: ${req.postData()}`);
	await page.waitForSelector('table.servers tbody tr[data-id]');
	const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	assert(bg === 'rgb(23, 33, 43)', `Telegram's bg_color followed: ${bg}`);
	assert((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', "Telegram's colour scheme");
	await context.close();
});

test('outside Telegram nothing is loaded from the internet', async () => {
	const { context, page } = await loggedIn(browser, server);
	const outside = [];
	page.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) outside.push(r.url()); });
	for (const path of ['/', '/servers/3', '/compare', '/alerts', '/settings']) {
		await page.goto(server.url + path);
		await page.waitForLoadState('networkidle').catch(() => {});
	}
	assert(outside.length === 0, `requests elsewhere: ${outside}`);
	await context.close();
});

test('sorting by CPU and filtering by tag', async () => {
	const { context, page } = await loggedIn(browser, server);
	await page.waitForSelector('table.servers tbody tr[data-id]');
	// Click and read in one task: the stream changes values every second and rows keep their place
	// until the next sort, so a read a moment later may see a row that has moved on.
	const cpus = await page.evaluate(() => {
		document.querySelector('th[data-key=cpu] button').click();
		return [...document.querySelectorAll('table.servers tbody tr[data-id] td[data-label=CPU] .meter-value')].map((e) => e.textContent);
	});
	const nums = cpus.filter((c) => c !== '–').map(parseFloat);
	assert(nums.length > 50 && nums.every((v, i) => i === 0 || v <= nums[i - 1]), `descending CPU: ${nums.slice(0, 8)}`);
	assert(cpus.slice(nums.length).every((c) => c === '–'), 'unknown last');
	assert((await page.getAttribute('th[data-key=cpu]', 'aria-sort')) === 'descending', 'aria-sort');
	await page.fill('input.filter', 'tag:db');
	const visible = await page.$$eval('table.servers tbody tr[data-id]:not([hidden])', (trs) => trs.map((t) => t.querySelector('.server-link').textContent));
	assert(visible.length === 10 && visible.every((n) => n.startsWith('db-')), `filtered: ${visible}`);
	assert((await page.textContent('.count')) === '10 of 100', 'count');
	assert(page.url().includes('q=tag%3Adb') && page.url().includes('sort=cpu'), `state in the URL: ${page.url()}`);
	await context.close();
});

test('keyboard: skip link first, sort by Enter on a header, the add dialog opens and Esc closes it', async () => {
	const { context, page } = await loggedIn(browser, server);
	await page.waitForSelector('table.servers tbody tr[data-id]');
	await page.keyboard.press('Tab');
	assert((await page.evaluate(() => document.activeElement.textContent)) === 'Skip to content', 'skip link first');
	const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	let reached = false;
	for (let i = 0; i < 20 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.evaluate(() => document.activeElement.closest?.('th')?.dataset.key === 'ram');
	}
	assert(reached, 'the RAM header is reachable by Tab');
	const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	assert(outline === 'solid', `focus ring on the focused button: ${outline} (skip link: ${ring})`);
	await page.keyboard.press('Enter');
	assert((await page.getAttribute('th[data-key=ram]', 'aria-sort')) === 'descending', 'Enter sorts');
	await page.getByRole('button', { name: '+ Add server' }).focus();
	await page.keyboard.press('Enter');
	await page.waitForSelector('dialog[open]');
	assert((await page.evaluate(() => document.activeElement.getAttribute('aria-label'))) === 'Server name', 'focus in the dialog');
	await page.keyboard.press('Escape');
	await page.waitForSelector('dialog', { state: 'detached' });
	await context.close();
});

test('the add dialog shows the install line with a Copy button', async () => {
	const { context, page } = await loggedIn(browser, server);
	await page.getByRole('button', { name: '+ Add server' }).click();
	await page.getByLabel('Server name').fill('new-box');
	await page.getByRole('button', { name: 'Add', exact: true }).click();
	const code = await page.waitForSelector('dialog .copybox code');
	assert((await code.textContent()).startsWith('curl '), 'install line');
	assert(await page.$('dialog .copybox button.copy'), 'copy button');
	await context.close();
});

test('the detail page draws its charts (canvas pixels)', async () => {
	const { context, page } = await loggedIn(browser, server, { path: '/servers/3' });
	await page.waitForSelector('.chart canvas');
	await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 5);
	const painted = await page.$$eval('.chart canvas', (cs) => cs.map((c) => {
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
		return n;
	}));
	assert(painted.every((n) => n > 2000), `painted pixels per chart: ${painted}`);
	const heading = await page.textContent('h1');
	assert(heading.length > 0, 'name shown');
	await page.getByRole('button', { name: '30 d' }).click();
	await page.waitForFunction(() => window.__ssCharts?.range === '30 d');
	// Drag across the CPU chart: every chart shows that stretch (a custom range), fetched anew.
	const over = await page.locator('.chart .u-over').first().boundingBox();
	await page.mouse.move(over.x + over.width * 0.4, over.y + over.height / 2);
	await page.mouse.down();
	await page.mouse.move(over.x + over.width * 0.6, over.y + over.height / 2, { steps: 5 });
	await page.mouse.up();
	await page.waitForFunction(() => window.__ssCharts?.range === 'Custom');
	const [from, to] = await page.evaluate(() => [...document.querySelectorAll('.custom input')].map((i) => Date.parse(i.value + 'Z')));
	const days = (to - from) / 86400e3;
	assert(days > 4 && days < 8, `about a fifth of 30 days chosen: ${days.toFixed(1)} d`);
	await context.close();
});

test('a group\'s server: its badge in the list; a member sees no Rename or Delete, an admin does', async () => {
	const { context, page } = await loggedIn(browser, server, { path: '/' });
	await page.waitForSelector('table.servers tbody tr[data-id="4"] .tag.group');
	const badge = await page.textContent('tr[data-id="4"] .tag.group');
	assert(badge.includes('Ops team'), `the group's name on its badge: ${badge}`);
	assert((await page.textContent('tr[data-id="7"] .tag.group')).includes('Telegram group'), 'an unnamed group');
	assert((await page.$$('tr[data-id="3"] .tag.group')).length === 0, 'no badge on a private server');
	await page.goto(server.url + '/servers/4');
	await page.waitForSelector('.toolbar h1:not(.bone-text)');
	const bar = await page.textContent('.toolbar');
	assert(!bar.includes('Rename') && !bar.includes('Delete'), `a member has no Rename or Delete: ${bar}`);
	assert(bar.includes("Only the group's admins can change this server."), `the member is told why: ${bar}`);
	await page.screenshot({ path: join(SHOTS, 'group-member-detail-desktop.png') });
	await page.goto(server.url + '/servers/7');
	await page.waitForSelector('.toolbar h1:not(.bone-text)');
	assert((await page.textContent('.toolbar')).includes('Rename'), 'an admin of the group may rename');
	// Settings: the member's group server's thresholds are shown, not editable.
	await page.goto(server.url + '/settings');
	await page.waitForSelector('#thresholds select option[value="4"]', { state: 'attached' });
	const label = await page.textContent('#thresholds select option[value="4"]');
	assert(label.includes('Ops team'), `the group in the server's name: ${label}`);
	await page.selectOption('#thresholds select', '4');
	await page.waitForFunction(() => document.querySelector('#thresholds .toast')?.textContent.includes("Only the group's admins"));
	assert(await page.$eval('#thresholds tbody input.num', (el) => el.disabled), 'a member cannot edit the group server\'s thresholds');
	await page.selectOption('#thresholds select', '7');
	await page.waitForFunction(() => !document.querySelector('#thresholds .toast')?.textContent.includes("Only the group's admins"));
	await page.waitForFunction(() => !document.querySelector('#thresholds tbody input.num')?.disabled);
	await context.close();
});

test('an API error is shown plainly where the data would be', async () => {
	const { context, page } = await loggedIn(browser, server, { path: '/servers/99999' });
	const err = await page.waitForSelector('.error');
	assert((await err.textContent()).includes('no such server'), await err.textContent());
	await context.close();
});

test('compare: a tag picks its servers, one line each on one chart', async () => {
	const { context, page } = await loggedIn(browser, server, { path: '/compare' });
	await page.waitForSelector('.chart canvas');
	await page.selectOption('select[aria-label="Pick by tag"]', 'db');
	await page.waitForFunction(() => document.querySelectorAll('.chart .u-legend .u-series').length === 11);
	const names = await page.$$eval('.chart .u-legend .u-series th', (ths) => ths.slice(1).map((t) => t.textContent));
	assert(names.every((n) => n.startsWith('db-')), `lines: ${names}`);
	assert(page.url().includes('servers='), 'the choice is in the URL');
	await page.fill('input[aria-label="Find a server"]', 'web-0');
	const picks = await page.$$eval('.picker label', (ls) => ls.map((l) => l.textContent));
	assert(picks.filter((p) => p.startsWith('web-0')).length === 9 && picks.length === 19, `found: ${picks.length}`);
	await context.close();
});

test('a threshold changed in Settings is sent with the CSRF header and shown as this chat', async () => {
	const { context, page } = await loggedIn(browser, server, { path: '/settings' });
	const input = page.getByLabel('CPU threshold');
	await input.waitFor();
	await input.fill('85');
	const csrf = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).csrf);
	const [req] = await Promise.all([
		page.waitForRequest((r) => r.url().endsWith('/api/v1/thresholds') && r.method() === 'PUT'),
		page.locator('tr[data-kind=cpu] button', { hasText: 'Save' }).click(),
	]);
	assert(req.headers()['x-csrf-token'] === csrf && csrf, 'X-CSRF-Token is the csrf of /me');
	const body = JSON.parse(req.postData());
	assert(body.kind === 'cpu' && body.threshold === 85, `body ${req.postData()}`);
	await page.waitForFunction(() => document.querySelector('tr[data-kind=cpu] .src')?.textContent === 'this chat');
	assert((await page.textContent('#thresholds .toast')).includes('Saved'), 'saved note');
	// A state-changing call without the header is refused: the server's JSON error is shown as it is.
	const status = await page.evaluate(async () => (await fetch('/api/v1/thresholds', { method: 'PUT', body: '{}' })).status);
	assert(status === 403, `without CSRF: ${status}`);
	await context.close();
});

test('a Chinese user gets every page in Chinese, <html lang="zh-CN">, no English left over', async () => {
	const { context, page } = await loggedIn(browser, server, { language: 'zh-hans' });
	for (const [path, heading] of [['/', '服务器'], ['/servers/3', ''], ['/compare', '对比'], ['/alerts', '告警与事件'], ['/settings', '设置']]) {
		await page.goto(server.url + path);
		await page.waitForLoadState('networkidle').catch(() => {});
		if (path === '/servers/3') await page.waitForSelector('.chart canvas');
		if (path === '/settings') await page.waitForSelector('tr[data-kind=cpu]');
		assert((await page.getAttribute('html', 'lang')) === 'zh-CN', `${path}: html lang`);
		if (heading) assert((await page.textContent('h1')) === heading, `${path}: h1 ${await page.textContent('h1')}`);
		assert((await page.textContent('header.top nav')).includes('设置'), `${path}: nav in Chinese`);
		const left = await leaks(page);
		assert(left.length === 0, `${path}: English left: ${left.join(' | ')}`);
	}
	await context.close();
});

test('Settings switches the language in this browser, and back to Telegram\'s', async () => {
	const { context, page } = await loggedIn(browser, server, { path: '/settings' });
	await page.getByRole('radio', { name: '中文' }).check();
	await page.getByRole('heading', { name: '设置', level: 1 }).waitFor();
	assert((await page.getAttribute('html', 'lang')) === 'zh-CN', 'html lang after the switch');
	assert((await page.textContent('header.top nav')).includes('服务器'), 'the top bar follows');
	await page.goto(server.url + '/alerts');
	await page.getByRole('heading', { name: '告警与事件' }).waitFor(); // kept in this browser
	await page.goto(server.url + '/settings');
	assert((await page.getByRole('radio', { name: /跟随 Telegram/ }).count()) === 1, 'the Telegram choice is offered');
	await page.locator('input[name=lang][value=""]').check(); // its label turns English as it is checked
	await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
	assert((await page.evaluate(() => localStorage.getItem('ss-lang'))) === null, 'the choice is forgotten');
	await context.close();
});

test('the 401 page follows the browser\'s language before anyone is known', async () => {
	const context = await browser.newContext({ locale: 'zh-CN' });
	const page = await context.newPage();
	await page.goto(server.url + '/');
	await page.getByRole('heading', { name: '登录 ServerSan' }).waitFor();
	assert((await leaks(page)).length === 0, `English on the 401 page: ${await leaks(page)}`);
	await context.close();
});

test('screenshots of every page: phone and desktop, light and dark', async () => {
	mkdirSync(SHOTS, { recursive: true });
	const pages = [['list', '/'], ['detail', '/servers/3'], ['compare', '/compare'], ['alerts', '/alerts'], ['settings', '/settings']];
	for (const [w, h, size] of [[360, 740, 'phone'], [1280, 860, 'desktop']]) {
		for (const scheme of ['light', 'dark']) {
			const { context, page } = await loggedIn(browser, server, { width: w, height: h, colorScheme: scheme });
			for (const [name, path] of pages) {
				await page.goto(server.url + path);
				await page.waitForLoadState('networkidle').catch(() => {});
				if (name === 'detail' || name === 'compare') await page.waitForSelector('.chart canvas');
				await page.waitForTimeout(300);
				await page.screenshot({ path: join(SHOTS, `${name}-${size}-${scheme}.png`), fullPage: name !== 'list' });
				// The long settings page also section by section, readable at a glance.
				if (name === 'settings') {
					await page.addStyleTag({ content: '.top { position: static !important; }' }); // no bar over the sections
					for (const sec of ['notifications', 'tokens', 'sessions']) {
						await page.locator(`#${sec}`).screenshot({ path: join(SHOTS, `settings-${sec}-${size}-${scheme}.png`) });
					}
				}
			}
			const scroll = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
			assert(scroll <= 0, `${size} ${scheme}: no sideways scroll on the settings page (${scroll}px)`);
			await context.close();
		}
	}
	const c = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const p = await c.newPage();
	await p.goto(server.url + '/');
	await p.getByRole('heading', { name: 'Log in to ServerSan' }).waitFor();
	await p.screenshot({ path: join(SHOTS, 'login-phone-light.png') });
	await c.close();
	console.log(`     screenshots in ${SHOTS}`);
});

test('screenshots of every page in Chinese: phone and desktop (light)', async () => {
	mkdirSync(SHOTS, { recursive: true });
	const pages = [['list', '/'], ['detail', '/servers/3'], ['compare', '/compare'], ['alerts', '/alerts'], ['settings', '/settings']];
	for (const [w, h, size] of [[360, 740, 'phone'], [1280, 860, 'desktop']]) {
		const { context, page } = await loggedIn(browser, server, { width: w, height: h, language: 'zh' });
		for (const [name, path] of pages) {
			await page.goto(server.url + path);
			await page.waitForLoadState('networkidle').catch(() => {});
			if (name === 'detail' || name === 'compare') await page.waitForSelector('.chart canvas');
			await page.waitForTimeout(300);
			await page.screenshot({ path: join(SHOTS, `zh-${name}-${size}.png`), fullPage: name !== 'list' });
			const scroll = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
			assert(scroll <= 0, `zh ${name} ${size}: no sideways scroll (${scroll}px)`);
			// Chinese words are wider than the English ones: no button or badge cut off.
			const clipped = await page.evaluate(() => [...document.querySelectorAll('button, .state, .nav-item, th, .card-label')]
				.filter((e) => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
			assert(clipped.length === 0, `zh ${name} ${size}: clipped: ${clipped}`);
		}
		await context.close();
	}
	const c = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
	const p = await c.newPage();
	await p.goto(server.url + '/');
	await p.getByRole('heading', { name: '登录 ServerSan' }).waitFor();
	await p.screenshot({ path: join(SHOTS, 'zh-login-phone.png') });
	await c.close();
});

const ok = await run();
await close();
await server.stop();
process.exit(ok ? 0 : 1);
