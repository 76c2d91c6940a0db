// Browser figures for the dashboard, in headless Chromium against the server under test
// (harness.mjs: the mock with 100 servers unless SERVERSAN_WEB_SERVER is set):
//   list paint: navigation start → the first frame with all 100 rows (targets < 300 ms)
//   30-day chart: drawing the detail page's five 30-day charts up to the next frame (target for
//   one: < 200 ms), and the whole 30 d switch (7 series fetched in parallel, then drawn)
// Prints the median of RUNS (default 7) loads. Usage: node test/bench.mjs
import { launch, loggedIn, startServer } from './harness.mjs';

const RUNS = Number(process.env.RUNS || 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await startServer();
const { browser, close } = await launch();
const { context, page } = await loggedIn(browser, server);

const list = [], steps = [];
for (let i = 0; i < RUNS; i++) {
	await page.goto(server.url + '/');
	await page.waitForFunction(() => window.__ssListPainted);
	const r = await page.evaluate(() => {
		const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
		return { ms: window.__ssListPainted, start: mark('ss:start'), me: mark('ss:me'), servers: mark('ss:servers'), built: mark('ss:rows'), rows: document.querySelectorAll('table.servers tbody tr[data-id]').length };
	});
	steps.push(r);
	if (r.rows < 100) throw new Error(`only ${r.rows} rows`);
	list.push(r.ms);
}

const draw = [], total = [];
for (let i = 0; i < RUNS; i++) {
	await page.goto(server.url + '/servers/3');
	await page.waitForFunction(() => window.__ssCharts?.range === '1 h');
	await page.getByRole('button', { name: '30 d' }).click();
	await page.waitForFunction(() => window.__ssCharts?.range === '30 d');
	const c = await page.evaluate(() => window.__ssCharts);
	draw.push(c.drawMs);
	total.push(c.totalMs);
}
const points = await page.evaluate(async () => (await (await fetch(`/api/v1/servers/3/series?metric=cpu.busy&from=${Date.now() - 30 * 86400e3}&to=${Date.now()}&points=600`)).json()).t.length);

const f = (x) => x.toFixed(1);
console.log(`web bench (${RUNS} runs, median; Chromium headless, ${process.env.SERVERSAN_WEB_SERVER ? 'serversan-server' : 'mock API'})`);
console.log(`  list paint, 100 servers:        ${f(median(list))} ms   (target < 300; min ${f(Math.min(...list))}, max ${f(Math.max(...list))})`);
const st = (k) => f(median(steps.map((x) => x[k])));
console.log(`    of which: script running at ${st('start')} ms, /me answered at ${st('me')}, /servers at ${st('servers')}, rows built at ${st('built')}, painted at ${f(median(list))}`);
console.log(`  30-day charts draw, 5 charts (${points} points each): ${f(median(draw))} ms   (target < 200 for one)`);
console.log(`  30 d switch, 5 charts + fetches: ${f(median(total))} ms`);
await context.close();
await close();
await server.stop();
