// cargo xtask bench pack, in the browser: the fall pack in DuckDB-Wasm in headless Chromium
// (Debian's), on the same CSV files, attached to the page as File objects.
// usage: node bench/pack-browser.mjs URL SQL.json EVENTS.csv POPULATION.csv OUT.csv RUNS
// URL serves bench/ (pack.html); SQL.json is `pack_common.py sql events.csv population.csv`.
// Prints one JSON line per run and one with the medians; writes the last run's rows to OUT.csv
// in pack_common.COLUMNS order, for the xtask to check against Samsyn's.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';

const [url, sqlFile, events, population, out, runsArg] = process.argv.slice(2);
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
  }
} finally {
  await browser.close();
}
const m = (k) => +(median(results.map((r) => r[k])) / 1000).toFixed(3);
console.log(JSON.stringify({ engine: 'DuckDB-Wasm', median_of: runs, init_s: m('init_ms'), load_s: m('load_ms'), query_s: m('query_ms'), total_s: m('total_ms') }));
const last = results[results.length - 1];
const field = (v) => (v === null || v === undefined || Number.isNaN(v) ? '' : String(v));
writeFileSync(out, [COLUMNS.join(','), ...last.rows.map((r) => r.map(field).join(','))].join('\n') + '\n');
