//! Benchmark entry of `cargo xtask bench pack` (issue 13): a notebook run on two `File`s, as
//! `samsyn run --no-disclosure-control` does natively, timed inside the page. Called from the
//! page's `window.wasmBindings`; the app itself does not use it.

use samsyn_core::ingest::FileReader;
use samsyn_core::notebook::exec::prepare_with;
use samsyn_core::notebook::{CellOutput, Notebook, Session};
use samsyn_core::stats::disclosure::Protection;
use wasm_bindgen::JsValue;

use crate::read_file::{stream_into, Timing};

/// Runs `notebook` (its text) with its inputs `events` and `population` and no disclosure
/// control; returns `{"read_ms", "compute_ms", "ms", "rows", "bytes", "wasm_memory", "tables"}`
/// as JSON text, `tables` mapping each table cell's id to its CSV (what `samsyn run` writes).
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn bench_notebook(
    notebook: String,
    events: web_sys::File,
    population: web_sys::File,
) -> Result<String, JsValue> {
    let err = |e: String| JsValue::from_str(&e);
    let started = Timing::now_ms();
    let nb = Notebook::open(&notebook).map_err(|e| err(e.to_string()))?;
    let prepared = prepare_with(&nb, &[], Protection::off()).map_err(|e| err(e.to_string()))?;
    let (mut inputs, mut rows, mut bytes) = (Vec::new(), 0, 0);
    for name in prepared.input_names() {
        let file = match name.as_str() {
            "events" => &events,
            "population" => &population,
            other => return Err(err(format!("no file for the input '{other}'"))),
        };
        let blob = gloo::file::Blob::from(web_sys::Blob::from(file.clone()));
        bytes += blob.size();
        // As the app reads: a large text file in parts by several workers at once.
        let parts = crate::range_read::read_in_parts(
            &prepared,
            &nb,
            &[],
            &name,
            &file.name(),
            &blob,
            &mut |_, _| Ok(()),
        )
        .await
        .map_err(err)?;
        let (plan, outcome) = match parts {
            Some((plan, outcome, _)) => (plan, outcome),
            None => {
                let mut plan = prepared.input_plan(&name);
                let reader = FileReader::new(&file.name(), prepared.read_options(&name));
                let outcome = stream_into(&blob, reader, &mut plan).await.map_err(err)?;
                (plan, outcome)
            }
        };
        let input = plan.finish(&file.name(), 0, outcome.stats, outcome.problems);
        rows += input.source.stats.rows;
        inputs.push(input);
    }
    let read_ms = Timing::now_ms() - started;
    let results = Session::default()
        .run(&prepared, &inputs)
        .map_err(|e| err(e.to_string()))?;
    let t = Timing::since(started, bytes);
    let tables: serde_json::Map<String, serde_json::Value> = results
        .cells
        .iter()
        .filter_map(|(id, cell)| match &**cell {
            CellOutput::Table(t) => Some((id.to_string(), t.csv.clone().into())),
            _ => None,
        })
        .collect();
    let out = serde_json::json!({
        "read_ms": read_ms,
        "compute_ms": t.elapsed_ms - read_ms,
        "ms": t.elapsed_ms,
        "rows": rows,
        "bytes": t.bytes,
        "wasm_memory": t.wasm_memory_bytes,
        "tables": tables,
    });
    Ok(out.to_string())
}

/// Benchmark entry of `cargo xtask bench workbench`: how a big `NotebookResults` best crosses
/// from the engine's worker to the page. Runs `notebook` on `events` and `population` (the
/// protected run the app does), then times `rounds` round trips each way, as the worker and the
/// page would do them, with the browser's `structuredClone` standing in for `postMessage`:
/// JSON text (`serde_json::to_string`, clone, `from_str`) and a JS object tree
/// (serde-wasm-bindgen `to_value`, clone, `from_value`). Returns
/// `{"json_ms", "swb_ms", "json_bytes", "rounds"}` (milliseconds per round trip) as JSON text.
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn bench_transfer(
    notebook: String,
    events: web_sys::File,
    population: web_sys::File,
    rounds: u32,
) -> Result<String, JsValue> {
    use samsyn_core::notebook::NotebookResults;
    use wasm_bindgen::JsCast;

    use crate::js_api::{run_notebook, InputBlob, RunOptions};

    let err = |e: String| JsValue::from_str(&e);
    let files: Vec<InputBlob> = [("events", events), ("population", population)]
        .into_iter()
        .map(|(input, f)| InputBlob {
            input: input.to_owned(),
            file: f.name(),
            blob: gloo::file::Blob::from(web_sys::Blob::from(f)),
        })
        .collect();
    let run = run_notebook(
        &notebook,
        &files,
        &RunOptions::default(),
        &mut |_, _, _, _| Ok(()),
    )
    .await
    .map_err(err)?;
    let results = run.results;
    let clone: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"structuredClone".into())?
            .dyn_into()
            .map_err(|_| err("no structuredClone".into()))?;
    let rounds = rounds.max(1);
    let mut json_bytes = 0;
    let started = Timing::now_ms();
    for _ in 0..rounds {
        let text = serde_json::to_string(&results).map_err(|e| err(e.to_string()))?;
        json_bytes = text.len();
        let moved = clone.call1(&JsValue::NULL, &JsValue::from_str(&text))?;
        let back: NotebookResults = serde_json::from_str(&moved.as_string().unwrap_or_default())
            .map_err(|e| err(e.to_string()))?;
        if back.cells.len() != results.cells.len() {
            return Err(err("JSON lost cells".into()));
        }
    }
    let json_ms = (Timing::now_ms() - started) / f64::from(rounds);
    let started = Timing::now_ms();
    for _ in 0..rounds {
        let value = serde_wasm_bindgen::to_value(&results).map_err(|e| err(e.to_string()))?;
        let moved = clone.call1(&JsValue::NULL, &value)?;
        let back: NotebookResults =
            serde_wasm_bindgen::from_value(moved).map_err(|e| err(e.to_string()))?;
        if back.cells.len() != results.cells.len() {
            return Err(err("serde-wasm-bindgen lost cells".into()));
        }
    }
    let swb_ms = (Timing::now_ms() - started) / f64::from(rounds);
    Ok(serde_json::json!({
        "json_ms": json_ms,
        "swb_ms": swb_ms,
        "json_bytes": json_bytes,
        "rounds": rounds,
    })
    .to_string())
}
