// cargo xtask bench workbench: the app as a user drives it, in Debian's headless Chromium
// (playwright-core), on the seeded sample county. Per run, a fresh page:
//   - the notebook "Fall bland äldre" with the user's own events and population files chosen;
//     from the click on "Kör" to the first results under the cells (the engine runs in its Web
//     Worker), and the longest gap in the page's event loop meanwhile (a 5 ms timer chain and
//     requestAnimationFrame, measured in the page), both while the progress shows and up to the
//     results drawn;
//   - an edit of a condition value (admissions' cause: fall → stroke) and "Kör" again: from the
//     edit to the updated results (answered from the worker's cubes, no file read);
//   - the same run on the page's own thread (window.wasmBindings.run, the JavaScript entry
//     point) for comparison: its time and its longest gap;
//   - once, how the results best cross from the worker: JSON text or serde-wasm-bindgen objects.
// usage: node tests/bench/workbench.mjs APP_URL EVENTS.csv POPULATION.csv RUNS NOTEBOOK
// Prints one JSON line per run and one with the medians. With SAMSYN_BENCH_PROFILE=FILE the
// page's thread is profiled (Chrome DevTools Protocol) from the edit to its results in the first
// run: the profile goes to FILE (open it in DevTools) and its 15 largest self times are printed.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';

const [url, events, population, runsArg, notebookFile] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const notebook = readFileSync(notebookFile, 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const profileFile = process.env.SAMSYN_BENCH_PROFILE;

/** The largest self times of a DevTools CPU profile, by function and place. */
const selfTimes = (profile, top = 15) => {
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const by = new Map();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() : ''}`.trim();
    by.set(key, (by.get(key) ?? 0) + (dt.get(n.id) ?? 0));
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ fn: k, ms: +(us / 1000).toFixed(1) }));
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

/** Starts the in-page monitor: gaps of a 5 ms timer chain, and frames. */
const MONITOR = () => {
  const m = { maxGap: 0, maxGapRunning: 0, frames: 0, stop: false };
  window.__monitor = m;
  let last = performance.now();
  const tick = () => {
    if (m.stop) return;
    const now = performance.now();
    const gap = now - last;
    m.maxGap = Math.max(m.maxGap, gap);
    if (document.querySelector('#run-progress')) m.maxGapRunning = Math.max(m.maxGapRunning, gap);
    last = now;
    setTimeout(tick, 5);
  };
  setTimeout(tick, 5);
  const frame = () => { if (!m.stop) { m.frames++; requestAnimationFrame(frame); } };
  requestAnimationFrame(frame);
};
const resetMonitor = () => { const m = window.__monitor; m.maxGap = 0; m.maxGapRunning = 0; m.frames = 0; };
const readMonitor = () => ({ ...window.__monitor });

/** Resolves, in the page, with the time `selector` appears after `start` (performance.now()). */
const waitIn = (page, selector, start) => page.evaluate(([selector, start]) => new Promise((resolve) => {
  const done = () => { if (document.querySelector(selector)) { resolve(performance.now() - start); return true; } return false; };
  if (done()) return;
  const o = new MutationObserver(() => { if (done()) o.disconnect(); });
  o.observe(document.body, { subtree: true, childList: true, attributes: true });
}), [selector, start]);

const all = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(url);
    await page.click('#start .start-example[data-notebook="falls.samsyn.json"]');
    await page.waitForSelector('#notebook-outline[data-notebook="falls.samsyn.json"] [data-input="population"]');
    await page.setInputFiles('#data-events', events);
    await page.setInputFiles('#data-population', population);
    await page.evaluate(MONITOR);
    // From the click to the results under the cells.
    const t0 = await page.evaluate(() => { const t = performance.now(); document.querySelector('#run-notebook').click(); return t; });
    const first = await waitIn(page, '#notebook-reads, #notebook-error', t0);
    if (await page.$('#notebook-error')) throw new Error(await page.innerText('#notebook-error'));
    await page.waitForTimeout(300); // let the drawing of the results end inside the measurement
    const m1 = await page.evaluate(readMonitor);
    const engineMs = Number(await page.getAttribute('#notebook-reads', 'data-ms'));
    // An edit of a condition value, and the run again: answered from the worker's cubes.
    await page.evaluate(resetMonitor);
    const field = '#condition-indicators-fall_admissions_80-numerator-1';
    await page.waitForSelector(field);
    const cdp = profileFile && i === 0 ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const t1 = await page.evaluate((field) => {
      const t = performance.now();
      const input = document.querySelector(field);
      input.value = 'stroke';
      input.dispatchEvent(new Event('change', { bubbles: true }));
      document.querySelector('#run-notebook').click();
      return t;
    }, field);
    const edit = await waitIn(page, '#notebook-reads[data-read="0"][data-reused="2"]', t1);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
      console.log(JSON.stringify({ profile: profileFile, edit_ms: Math.round(edit), self_times: selfTimes(profile) }));
    }
    await page.waitForTimeout(300);
    const m2 = await page.evaluate(readMonitor);
    // The same notebook on the page's own thread (the JavaScript entry point), for comparison.
    await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'bench-files'; document.body.append(i); });
    await page.setInputFiles('#bench-files', [events, population]);
    await page.evaluate(resetMonitor);
    const onPage = await page.evaluate(async (nb) => {
      const [events, population] = document.getElementById('bench-files').files;
      await new Promise((r) => setTimeout(r, 50));
      const t = performance.now();
      await window.wasmBindings.run(nb, { events, population });
      const ms = performance.now() - t;
      await new Promise((r) => setTimeout(r, 50));
      return ms;
    }, notebook);
    const m3 = await page.evaluate(readMonitor);
    const r = {
      run: i + 1,
      first_results_ms: Math.round(first),
      longest_gap_ms: Math.round(m1.maxGap),
      longest_gap_while_running_ms: Math.round(m1.maxGapRunning),
      worker_ms: engineMs,
      worker_edit_ms: Number(await page.getAttribute('#notebook-reads', 'data-ms')),
      edit_to_results_ms: Math.round(edit),
      longest_gap_edit_ms: Math.round(m2.maxGap),
      page_thread_run_ms: Math.round(onPage),
      page_thread_longest_gap_ms: Math.round(m3.maxGap),
    };
    if (i === 0) {
      await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'bench-files-2'; document.body.append(i); });
      await page.setInputFiles('#bench-files-2', [events, population]);
      const t = JSON.parse(await page.evaluate((nb) => {
        const [events, population] = document.getElementById('bench-files-2').files;
        return window.wasmBindings.bench_transfer(nb, events, population, 5);
      }, notebook));
      console.log(JSON.stringify({ transfer: 'NotebookResults worker → page (round trip with structuredClone)', json_ms: +t.json_ms.toFixed(1), serde_wasm_bindgen_ms: +t.swb_ms.toFixed(1), json_bytes: t.json_bytes, rounds: t.rounds }));
    }
    await page.evaluate(() => { window.__monitor.stop = true; });
    console.log(JSON.stringify(r));
    all.push(r);
    await page.close();
  }
} finally {
  await browser.close();
}
const keys = Object.keys(all[0]).filter((k) => k !== 'run');
console.log(JSON.stringify({ median_of: all.length, ...Object.fromEntries(keys.map((k) => [k, median(all.map((r) => r[k]))])) }));
