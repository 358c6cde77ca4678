// Ingest benchmark in the browser: the release app in Debian's headless Chromium reads a file
// chosen through the file input, and we read back the timing the app measured itself.
// usage (cargo xtask bench ingest runs it): node tests/bench/ingest-wasm.mjs URL FILE
import { chromium } from 'playwright-core';
import { statSync } from 'node:fs';

const [url, file] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
await page.goto(url);
await page.waitForSelector('#file');
const wall0 = performance.now();
await page.setInputFiles('#file', file);
await page.waitForSelector('#timing, #error', { timeout: 600_000 });
const wall = performance.now() - wall0;
const error = await page.$('#error');
if (error) { console.error(await error.innerText()); process.exit(1); }
const t = await page.$eval('#timing', (e) => ({ ms: Number(e.dataset.ms), bytes: Number(e.dataset.bytes), wasm: Number(e.dataset.wasmMemory) }));
const rows = Number(await page.getAttribute('#row-count', 'data-rows'));
const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const mb = statSync(file).size / 1e6;
const result = {
  where: 'wasm (headless Chromium)',
  file_mb: +mb.toFixed(1),
  rows,
  seconds: +(t.ms / 1000).toFixed(3),
  mb_per_s: +(mb / (t.ms / 1000)).toFixed(1),
  rows_per_s: Math.round(rows / (t.ms / 1000)),
  wasm_memory_mb: +(t.wasm / 1e6).toFixed(1),
  js_heap_mb: +((metrics.JSHeapUsedSize ?? 0) / 1e6).toFixed(1),
  wall_seconds_incl_upload: +(wall / 1000).toFixed(3),
};
console.log(JSON.stringify(result));
await browser.close();
