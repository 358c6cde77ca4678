// cargo xtask bench pack, in the browser: the fall pack in DuckDB-Wasm and in Samsyn (the built
// app's `bench_notebook` export), side by side in one headless Chromium (Debian's), on the same
// CSV files attached to each page as File objects; a fresh page per engine and run.
// usage: node bench/pack-browser.mjs URL SQL.json EVENTS.csv POPULATION.csv OUT.csv RUNS
//            [APP_URL NOTEBOOK OUT_DIR]
// URL serves bench/ (pack.html); SQL.json is `pack_common.py sql events.csv population.csv`;
// APP_URL serves the release app (dist/), NOTEBOOK is the pack notebook.
// Prints one JSON line per engine and run and one with each engine's medians; writes DuckDB's
// last rows to OUT.csv (pack_common.COLUMNS order) and Samsyn's last tables to OUT_DIR/<id>.csv,
// for the xtask to check against `samsyn run`.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [url, sqlFile, events, population, out, runsArg, appUrl, notebookFile, outDir] = process.argv.slice(2);
const notebook = notebookFile ? readFileSync(notebookFile, 'utf8') : null;
const runs = Number(runsArg ?? 3);
const sql = JSON.parse(readFileSync(sqlFile, 'utf8'));
const COLUMNS = ['indicator', 'level', 'unit', 'period', 'numerator', 'denominator', 'value', 'lower', 'upper'];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const results = [];
const samsyn = [];
const samsyn2 = [];
try {
  for (let i = 0; i < runs; i++) {
    // A fresh page per run: nothing cached in DuckDB between runs.
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`${url}pack.html`);
    await page.waitForFunction(() => document.getElementById('status').textContent === 'ready');
    await page.setInputFiles('#files', [events, population]);
    const r = JSON.parse(await page.evaluate((sql) => {
      const f = document.getElementById('files').files;
      return window.duckdbPack(f[0], f[1], sql);
    }, sql));
    results.push(r);
    console.log(JSON.stringify({
      engine: `DuckDB-Wasm ${r.version ?? ''} (headless Chromium)`.replace('  ', ' '), run: i + 1,
      init_s: +(r.init_ms / 1000).toFixed(3), load_s: +(r.load_ms / 1000).toFixed(3),
      query_s: +(r.query_ms / 1000).toFixed(3), total_s: +(r.total_ms / 1000).toFixed(3),
    }));
    await page.close();
    if (notebook) {
      samsyn.push(await runSamsyn(i));
      // The same with the events read by two workers at once (range_read.rs), whatever the cores.
      samsyn2.push(await runSamsyn(i, 2));
    }
  }
} finally {
  await browser.close();
}
// Samsyn in the release app: the same files, the pack notebook, timed inside the page.
async function runSamsyn(i, workers) {
  const page = await browser.newPage();
  if (workers) await page.addInitScript((w) => { globalThis.samsynReadWorkers = w; }, workers);
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(appUrl);
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_notebook);
  // A detached input of our own, so that the app does not read the files itself.
  await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'bench-files'; document.body.append(i); });
  await page.setInputFiles('#bench-files', [events, population]);
  const r = JSON.parse(await page.evaluate((nb) => {
    const f = document.getElementById('bench-files').files;
    return window.wasmBindings.bench_notebook(nb, f[0], f[1]);
  }, notebook));
  console.log(JSON.stringify({
    engine: `Samsyn${workers ? `, ${workers} workers` : ''} (headless Chromium)`, run: i + 1, load_s: +(r.read_ms / 1000).toFixed(3),
    query_s: +(r.compute_ms / 1000).toFixed(3), total_s: +(r.ms / 1000).toFixed(3),
    wasm_memory_mb: +(r.wasm_memory / 1e6).toFixed(1),
  }));
  await page.close();
  return r;
}

for (const [label, rs, dir] of [['Samsyn', samsyn, outDir], ['Samsyn, 2 workers', samsyn2, `${outDir}-2workers`]]) {
  if (!rs.length) continue;
  const ms = (k) => +(median(rs.map((r) => r[k])) / 1000).toFixed(3);
  console.log(JSON.stringify({
    engine: label, median_of: runs, load_s: ms('read_ms'), query_s: ms('compute_ms'), total_s: ms('ms'),
    wasm_memory_mb: +(median(rs.map((r) => r.wasm_memory)) / 1e6).toFixed(1),
  }));
  mkdirSync(dir, { recursive: true });
  for (const [id, csv] of Object.entries(rs[rs.length - 1].tables)) writeFileSync(join(dir, `${id}.csv`), csv);
}
const m = (k) => +(median(results.map((r) => r[k])) / 1000).toFixed(3);
// The load of the summary: from nothing to the tables loaded, starting DuckDB's worker included.
for (const r of results) r.open_ms = r.init_ms + r.load_ms;
console.log(JSON.stringify({ engine: 'DuckDB-Wasm', median_of: runs, init_s: m('init_ms'), load_s: m('open_ms'), query_s: m('query_ms'), total_s: m('total_ms') }));
const last = results[results.length - 1];
const field = (v) => (v === null || v === undefined || Number.isNaN(v) ? '' : String(v));
writeFileSync(out, [COLUMNS.join(','), ...last.rows.map((r) => r.map(field).join(','))].join('\n') + '\n');
