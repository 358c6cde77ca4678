//! Samsyn in the browser: a thin Yew shell over `samsyn-core`.
//!
//! The shell reads the user's file in chunks (nothing leaves the machine), feeds the chunks to a
//! core plan, and shows what comes back. No statistics live here. Notebook runs go to a Web
//! Worker running this same module (`worker.rs`, started by `worker_client.rs`).

pub mod app;
pub mod autosave;
#[cfg(feature = "bench")]
pub mod bench;
pub mod cell_forms;
pub mod cell_output;
pub mod chart_png;
pub mod download;
pub mod edit;
pub mod edit_cells;
pub mod edit_indicator;
pub mod file_picker;
pub mod file_report;
pub mod i18n;
pub mod indicator_form;
pub mod js_api;
pub mod notebook_editor;
pub mod notebook_panel;
pub mod notebook_run;
pub mod peek;
pub mod range_read;
pub mod read_file;
pub mod run_state;
pub mod workbench;
pub mod worker;
pub mod worker_client;
pub mod xlsx;

use wasm_bindgen::JsCast;

/// Id of the element that shows a crash message.
pub const FATAL_ID: &str = "fatal";

/// A panic in WebAssembly stops the app. Instead of a silent dead page, show what happened and
/// that the user's files were never sent anywhere, so reloading loses nothing but the view.
pub fn install_panic_guard() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!(
            "Samsyn stötte på ett internt fel och måste laddas om. Dina filer har inte skickats någonstans. \
             / Samsyn hit an internal error and must be reloaded. Your files were not sent anywhere. ({info})"
        );
        web_sys::console::error_1(&message.clone().into());
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(FATAL_ID))
            .and_then(|e| e.dyn_into::<web_sys::Element>().ok());
        if let Some(element) = element {
            element.set_text_content(Some(&message));
            let _ = element.set_attribute("style", "display:block");
        }
    }));
}

/// Benchmark entry (`cargo xtask bench ingest`): reads `file` with one plan, `"read"` (only the
/// browser's stream of chunks, counting line ends: the floor under every plan), `"counts"` (rows
/// per kommun: the shape of an indicator plan, only the columns it needs) or `"inspect"` (the
/// first look the page does: every cell typed and checked, plus the counts), and returns
/// `{"ms", "rows", "bytes", "wasm_memory"}` as JSON text. Called from the page's
/// `window.wasmBindings`; the app itself does not use it (built only with the `bench` feature).
#[cfg(feature = "bench")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn bench_read(
    file: web_sys::File,
    plan: String,
) -> Result<String, wasm_bindgen::JsValue> {
    use std::cell::Cell;
    use std::rc::Rc;

    use samsyn_core::counts::CountPerKommun;
    use samsyn_core::ingest::{FileReader, ReadOptions};
    use wasm_bindgen::JsValue;

    let name = file.name();
    let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
    let started = read_file::Timing::now_ms();
    let rows = match plan.as_str() {
        "read" => {
            let mut chunks =
                read_file::BlobChunks::new(&blob).map_err(|e| JsValue::from_str(&e))?;
            let mut lines = 0u64;
            while let Some(chunk) = chunks.next().await.map_err(|e| JsValue::from_str(&e))? {
                lines += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            }
            lines
        }
        "counts" => {
            let mut counts = CountPerKommun::default();
            let reader = FileReader::new(&name, ReadOptions::default());
            read_file::stream_into(&blob, reader, &mut counts)
                .await
                .map_err(|e| JsValue::from_str(&e))?
                .stats
                .rows
        }
        "inspect" => {
            let view = read_file::read_blob(
                &name,
                &blob,
                &Default::default(),
                &|_| {},
                Rc::new(Cell::new(false)),
            )
            .await
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
            view.inspection.stats.rows
        }
        other => return Err(JsValue::from_str(&format!("unknown plan '{other}'"))),
    };
    let t = read_file::Timing::since(started, blob.size());
    Ok(format!(
        "{{\"ms\":{:.1},\"rows\":{rows},\"bytes\":{},\"wasm_memory\":{}}}",
        t.elapsed_ms, t.bytes, t.wasm_memory_bytes
    ))
}

/// Benchmark entry (`cargo xtask bench ingest`): the example analysis notebook's indicators
/// over the given files, by the notebook's input names; returns
/// `{"ms", "rows", "bytes", "wasm_memory", "tables"}` as JSON text.
#[cfg(feature = "bench")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn bench_pack(
    events: web_sys::File,
    population: web_sys::File,
    areas: web_sys::File,
) -> Result<String, wasm_bindgen::JsValue> {
    use samsyn_core::ingest::{Fan, FileReader, ReadOptions, RecordSink};
    use samsyn_core::notebook::{prepare, Notebook};
    use wasm_bindgen::JsValue;

    let err = |e: String| JsValue::from_str(&e);
    let nb = Notebook::open(notebook_run::EXAMPLE_ANALYSIS).map_err(|e| err(e.to_string()))?;
    let started = read_file::Timing::now_ms();
    let prepared = prepare(&nb, &[]).map_err(|e| err(e.to_string()))?;
    let (mut read, mut rows, mut bytes) = (Vec::new(), 0, 0);
    // As `samsyn indicators` does: inputs read from the same file share one pass over it.
    let mut by_file: Vec<(&web_sys::File, Vec<String>)> = Vec::new();
    for name in prepared.compiled.data_names() {
        let file = match name.as_str() {
            "events" | "requests" => &events,
            "population" => &population,
            "areas" => &areas,
            other => return Err(err(format!("no file for '{other}'"))),
        };
        match by_file.iter_mut().find(|(f, _)| std::ptr::eq(*f, file)) {
            Some((_, names)) => names.push(name),
            None => by_file.push((file, vec![name])),
        }
    }
    for (file, names) in &by_file {
        let blob = gloo::file::Blob::from(web_sys::Blob::from((*file).clone()));
        bytes += blob.size();
        let mut plans: Vec<_> = names.iter().map(|n| prepared.input_plan(n)).collect();
        let mut fan = Fan::new(plans.iter_mut().map(|p| p as &mut dyn RecordSink).collect());
        let reader = FileReader::new(&file.name(), ReadOptions::default());
        let outcome = read_file::stream_into(&blob, reader, &mut fan)
            .await
            .map_err(err)?;
        let mut problems =
            std::iter::once(outcome.problems).chain(std::mem::take(&mut fan.problems));
        for plan in plans {
            let problems = problems.next().unwrap_or_default();
            let input = plan.finish(&file.name(), 0, outcome.stats.clone(), problems);
            rows += input.source.stats.rows;
            read.push(input.source);
        }
    }
    let results = prepared
        .compiled
        .finish(&read, &prepared.levels)
        .map_err(|e| err(e.to_string()))?;
    let t = read_file::Timing::since(started, bytes);
    Ok(format!(
        "{{\"ms\":{:.1},\"rows\":{rows},\"bytes\":{},\"wasm_memory\":{},\"tables\":{}}}",
        t.elapsed_ms,
        t.bytes,
        t.wasm_memory_bytes,
        results.tables.len()
    ))
}
