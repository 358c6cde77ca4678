// The fall pack in DuckDB-Wasm (cargo xtask bench pack): `window.duckdbPack(events, population,
// sql)` takes the two File objects and the statements of pack.sql as pack_common.py fills them
// in (with the files named events.csv and population.csv), and returns the timings and the
// result rows in pack_common.COLUMNS order.
import * as duckdb from './node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';

const DIST = new URL('./node_modules/@duckdb/duckdb-wasm/dist/', import.meta.url).href;

// A BigInt (DuckDB's BIGINT) as a Number, for JSON; other values as they are.
const plain = (v) => (typeof v === 'bigint' ? Number(v) : v);

window.duckdbPack = async (events, population, sql) => {
  const t0 = performance.now();
  // The exception-handling build: Chromium has Wasm exceptions (no threads: no cross-origin isolation).
  const worker = new Worker(`${DIST}duckdb-browser-eh.worker.js`);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(`${DIST}duckdb-eh.wasm`);
  const conn = await db.connect();
  const t1 = performance.now();
  await db.registerFileHandle('events.csv', events, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  await db.registerFileHandle('population.csv', population, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  for (const s of [...sql.constants, ...sql.load]) await conn.query(s);
  const t2 = performance.now();
  const rows = [];
  for (const q of sql.queries) {
    const table = await conn.query(q);
    const cols = Array.from({ length: table.numCols }, (_, c) => table.getChildAt(c));
    for (let r = 0; r < table.numRows; r++) rows.push(cols.map((col) => plain(col.get(r))));
  }
  const t3 = performance.now();
  await conn.close();
  await db.terminate();
  return JSON.stringify({
    version: duckdb.PACKAGE_VERSION ?? null,
    init_ms: t1 - t0, load_ms: t2 - t1, query_ms: t3 - t2, total_ms: t3 - t0, rows,
  });
};
document.getElementById('status').textContent = 'ready';
