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
        let mut plan = prepared.input_plan(&name);
        let reader = FileReader::new(&file.name(), prepared.read_options(&name));
        let outcome = stream_into(&blob, reader, &mut plan).await.map_err(err)?;
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
