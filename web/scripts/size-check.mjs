// Fails the build when the page's script and styles together are over the budget, gzipped (what
// a browser downloads); prints the figure either way.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 150 * 1024;
const dir = new URL('../dist/assets/', import.meta.url).pathname;
let raw = 0, gz = 0;
const rows = [];
for (const f of readdirSync(dir)) {
	if (!/\.(js|css)$/.test(f)) continue;
	const buf = readFileSync(join(dir, f));
	const z = gzipSync(buf, { level: 9 }).length;
	raw += buf.length;
	gz += z;
	rows.push(`  ${f}: ${(buf.length / 1024).toFixed(1)} kB, ${(z / 1024).toFixed(1)} kB gzip`);
}
console.log(rows.join('\n'));
console.log(`size-check: script + styles ${(raw / 1024).toFixed(1)} kB, ${(gz / 1024).toFixed(1)} kB gzip (budget ${BUDGET / 1024} kB gzip)`);
if (gz > BUDGET) {
	console.error('size-check: over budget');
	process.exit(1);
}
