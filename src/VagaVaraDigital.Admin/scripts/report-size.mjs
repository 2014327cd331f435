// Reports the initial JavaScript (the entry chunk and what index.html preloads) gzipped, and fails the
// build above the budget of issue 9 (300 KB). Lazy chunks (the county map's shapes) are listed apart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const out = new URL('../../VagaVaraDigital.Api/wwwroot/app/', import.meta.url).pathname;
const budget = 300 * 1024;
const html = readFileSync(join(out, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(join(out, f)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const initialSize = initial.reduce((s, f) => s + gz(f), 0);
const lazy = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`));
console.log(`Initial JavaScript (gzip): ${kb(initialSize)} of ${kb(budget)} budget — ${initial.join(', ')}`);
for (const f of lazy) console.log(`  lazy chunk assets/${f}: ${kb(gz(`assets/${f}`))} gzip`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html) || /<style/.test(html)) {
  console.error('index.html has an inline script or style: the CSP forbids them.');
  process.exit(1);
}
if (initialSize > budget) {
  console.error(`Initial JavaScript is over budget (${kb(initialSize)} > ${kb(budget)}).`);
  process.exit(1);
}
