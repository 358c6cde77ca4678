// Ingest benchmark in the browser: the release app in Debian's headless Chromium reads a file
// with each plan through the app's own `bench_read` export, which measures inside the page.
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
const mb = statSync(file).size / 1e6;
for (const plan of ['read', 'counts', 'inspect']) {
  // A fresh page per plan, so the Wasm memory figure is that plan's own peak.
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('#file');
  // Attach the file without triggering the app's own read: a detached input of our own.
  await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.id = 'bench-file'; document.body.append(i); });
  await page.setInputFiles('#bench-file', file);
  const r = JSON.parse(await page.evaluate((plan) => window.wasmBindings.bench_read(document.getElementById('bench-file').files[0], plan), plan));
  console.log(JSON.stringify({
    where: 'wasm (headless Chromium)', plan, file_mb: +mb.toFixed(1), rows: r.rows,
    seconds: +(r.ms / 1000).toFixed(3), mb_per_s: +(mb / (r.ms / 1000)).toFixed(1),
    rows_per_s: Math.round(r.rows / (r.ms / 1000)), wasm_memory_mb: +(r.wasm_memory / 1e6).toFixed(1),
  }));
  await page.close();
}
// The example analysis's indicator pack (5 indicators, kommun and county per year) over the
// events (read twice: as events and as care requests), population and areas files beside FILE.
{
  const { dirname, join } = await import('node:path');
  const dir = dirname(file);
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('#file');
  await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'bench-files'; document.body.append(i); });
  await page.setInputFiles('#bench-files', ['events.csv', 'population.csv', 'areas.csv'].map((f) => join(dir, f)));
  const r = JSON.parse(await page.evaluate(() => { const f = document.getElementById('bench-files').files; return window.wasmBindings.bench_pack(f[0], f[1], f[2]); }));
  console.log(JSON.stringify({
    where: 'wasm (headless Chromium)', plan: 'indicator pack', rows_read: r.rows, mb_read: +(r.bytes / 1e6).toFixed(1),
    seconds: +(r.ms / 1000).toFixed(3), tables: r.tables, wasm_memory_mb: +(r.wasm_memory / 1e6).toFixed(1),
  }));
  await page.close();
}
await browser.close();
