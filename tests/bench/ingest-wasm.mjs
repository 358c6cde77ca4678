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
await browser.close();
