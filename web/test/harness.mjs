// What the browser tests and the bench share: starting the server under test (the mock, or the
// real serversan-server when SERVERSAN_WEB_SERVER names its binary), launching Debian's Chromium
// through playwright-core (never a downloaded browser), logging in with a one-time link, and a
// tiny test runner whose closing line is "N passed, N failed".
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startMock } from './mock-server.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** The server under test: { url, loginLink(), stop() }. */
export async function startServer(opts = {}) {
	const bin = process.env.SERVERSAN_WEB_SERVER;
	if (!bin) return startMock({ servers: 100, ...opts });
	// The real binary on a fresh data directory; its web root is this build's dist.
	const data = mkdtempSync(join(tmpdir(), 'ss-web-'));
	const port = 20000 + Math.floor(Math.random() * 20000);
	// web.root (config key) through its environment name: this build's dist, whatever the binary's default.
	const env = { ...process.env, SERVERSAN_SERVER_WEB_ROOT: new URL('../dist/', import.meta.url).pathname };
	const proc = spawn(bin, ['--data-dir', data, 'serve', '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'inherit', 'inherit'] });
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 100; i++) {
		try { if ((await fetch(`${url}/healthz`)).ok) break; } catch {}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url,
		async loginLink() {
			return execFileSync(bin, ['--data-dir', data, 'web', 'login-link', '--url', url, '--url-only'], { encoding: 'utf8', env }).trim();
		},
		async stop() {
			proc.kill('SIGTERM');
			await new Promise((r) => proc.once('exit', r));
			rmSync(data, { recursive: true, force: true });
		},
	};
}

// playwright-core's launch() gives Chromium a new empty profile of its own (it refuses
// --user-data-dir, which belongs to launchPersistentContext).
export async function launch() {
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
	return { browser, close: () => browser.close() };
}

/** A logged-in page at `path` (spends a fresh one-time link through its button, as a user would). */
export async function loggedIn(browser, server, { width = 1280, height = 800, colorScheme = 'light', path = '/', language = 'en' } = {}) {
	const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.setDefaultTimeout(60_000); // a loaded CI machine: waits end when the page is ready, not sooner
	await page.goto(await server.loginLink(language));
	// Waiting from before the click: the 303 to / may land before a later wait would start, and a
	// loaded machine may take long to fire `load`; the URL changing is what counts here.
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/login'), { waitUntil: 'commit', timeout: 90_000 }),
		page.locator('form button[type=submit], form button').first().click(), // the page's one button spends the link
	]);
	await page.waitForLoadState('domcontentloaded');
	if (path !== '/') await page.goto(server.url + path);
	return { context, page };
}

const tests = [];
export const test = (name, fn) => tests.push({ name, fn });

export async function run() {
	let passed = 0, failed = 0;
	for (const t of tests) {
		const t0 = Date.now();
		try {
			await t.fn();
			passed++;
			console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
		} catch (e) {
			failed++;
			console.log(`FAIL ${t.name}\n     ${(e?.stack ?? String(e)).split('\n').slice(0, 4).join('\n     ')}`);
		}
	}
	console.log(`${passed} passed, ${failed} failed`);
	return failed === 0;
}

export function assert(cond, msg) {
	if (!cond) throw new Error(`assertion failed: ${msg}`);
}
