//! The engine from JavaScript, without the UI (`docs/javascript.md`): `run(notebookJson, files,
//! options)` gives a notebook's results as a plain JS object and `report(...)` its
//! self-contained HTML report, both computed by the same core run as the app and `samsyn run`.
//! The files are streamed from the page's own `File` objects in chunks; nothing leaves the page.
//!
//! Protection is always on: the caller may raise the disclosure floor (default 5), never switch
//! it off, and a notebook can only raise it further. A session is kept between calls, so a second
//! call with an edited notebook and the same files answers from the cubes of the first when it
//! can (`read` and `reused` in the results say which).

use std::cell::RefCell;

use samsyn_core::ingest::{FileReader, RecordSink};
use samsyn_core::notebook::exec::prepare_with;
use samsyn_core::notebook::{
    report as html_report, Input, Notebook, NotebookResults, Prepared, Session,
};
use samsyn_core::number_format::Language;
use samsyn_core::stats::disclosure::Protection;
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::Worded;
use crate::notebook_run::fingerprint;
use crate::read_file::BlobChunks;

/// What a run is doing, as `onProgress` is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A chunk of an input's file was read (bytes and rows so far in that file).
    Read,
    /// An input was answered from the session's earlier read of the same file, not read.
    Reuse,
    /// Every input is in; the cells are being computed.
    Compute,
}

impl Stage {
    /// The name JavaScript sees.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Reuse => "reuse",
            Stage::Compute => "compute",
        }
    }
}

/// Told the stage, the input, and the bytes and rows read of it; an `Err` stops the run.
pub type OnProgress<'a> = dyn FnMut(Stage, &str, u64, u64) -> Result<(), String> + 'a;

/// The caller's options, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunOptions {
    pub params: Vec<(String, String)>,
    pub protection: Protection,
    /// What the cells and the report are worded in; `None`: the page's language.
    pub language: Option<Language>,
}

impl RunOptions {
    /// Options with the disclosure floor `threshold` (core's `Protection::at`: 1 or more).
    /// There is no way to switch protection off through this API.
    pub fn with_threshold(threshold: f64) -> Result<RunOptions, String> {
        let protection = Protection::at(threshold).map_err(|_| {
            format!(
                "disclosureThreshold must be a number of 1 or more (it is {threshold}); \
                 protection cannot be switched off through the JavaScript API"
            )
        })?;
        Ok(RunOptions {
            protection,
            ..RunOptions::default()
        })
    }
}

/// One input's file, as the caller gave it.
#[derive(Debug, Clone)]
pub struct InputBlob {
    /// The notebook's input name.
    pub input: String,
    /// The file's own name (what the report names), or the input name for a bare `Blob`.
    pub file: String,
    pub blob: gloo::file::Blob,
}

/// A run's results and which inputs were read from their files and which were answered from the
/// session's earlier reads.
#[derive(Debug, Clone, Serialize)]
pub struct JsRun {
    #[serde(flatten)]
    pub results: NotebookResults,
    pub read: Vec<String>,
    pub reused: Vec<String>,
}

/// What the API keeps between calls: the session's cached cells and the inputs read.
#[derive(Default)]
struct JsSession {
    session: Session,
    inputs: Vec<Input>,
}

thread_local! {
    static SESSION: RefCell<JsSession> = RefCell::new(JsSession::default());
}

/// Runs `notebook_json` on `files` under `options`, telling `on_progress` per chunk read; an
/// `Err` from `on_progress` stops the run with that error. Errors are messages, never panics.
pub async fn run_notebook(
    notebook_json: &str,
    files: &[InputBlob],
    options: &RunOptions,
    on_progress: &mut OnProgress<'_>,
) -> Result<JsRun, String> {
    let notebook = Notebook::open(notebook_json).map_err(|e| crate::i18n::Worded::worded(&e))?;
    let mut prepared =
        prepare_with(&notebook, &options.params, options.protection).map_err(|e| e.worded())?;
    prepared.language = options
        .language
        .unwrap_or_else(|| crate::i18n::message_lang().number_language());
    let mut run = Gathered::default();
    let gathered = gather(&prepared, files, on_progress, &mut run).await;
    let computing = gathered.and_then(|()| on_progress(Stage::Compute, "", 0, 0));
    let Gathered {
        inputs,
        read,
        reused,
    } = run;
    let results = SESSION.with(|s| {
        let mut s = s.borrow_mut();
        let results =
            computing.and_then(|()| s.session.run(&prepared, &inputs).map_err(|e| e.worded()));
        // Keep this call's inputs (one per input name) for the next, also those read or taken
        // before a failure or a cancel, so that a retry does not read them again.
        s.inputs
            .retain(|i| !inputs.iter().any(|n| n.source.name == i.source.name));
        s.inputs.extend(inputs);
        results
    })?;
    Ok(JsRun {
        results,
        read,
        reused,
    })
}

/// The inputs of a call so far, and which were read and which reused.
#[derive(Default)]
struct Gathered {
    inputs: Vec<Input>,
    read: Vec<String>,
    reused: Vec<String>,
}

/// Each input the notebook reads, from the session when an earlier read answers it, else
/// streamed from its file.
async fn gather(
    prepared: &Prepared,
    files: &[InputBlob],
    on_progress: &mut OnProgress<'_>,
    run: &mut Gathered,
) -> Result<(), String> {
    for name in prepared.input_names() {
        let Some(given) = files.iter().find(|f| f.input == name) else {
            let given: Vec<&str> = files.iter().map(|f| f.input.as_str()).collect();
            return Err(format!(
                "no file for the input '{name}' (files given: {})",
                if given.is_empty() {
                    "none".to_owned()
                } else {
                    given.join(", ")
                }
            ));
        };
        let fingerprint = fingerprint(&given.file, &given.blob).await?;
        let kept = SESSION.with(|s| {
            let mut s = s.borrow_mut();
            let at = s.inputs.iter().position(|i| {
                i.source.name == name
                    && i.fingerprint == fingerprint
                    && prepared.reusable(i).is_ok()
            })?;
            Some(s.inputs.swap_remove(at))
        });
        if let Some(input) = kept {
            let rows = input.source.rows.read;
            run.inputs.push(input);
            run.reused.push(name.clone());
            on_progress(Stage::Reuse, &name, given.blob.size(), rows)?;
            continue;
        }
        let mut plan = prepared.input_plan(&name);
        let reader = FileReader::new(&given.file, prepared.read_options(&name));
        let outcome = stream_reporting(&given.blob, reader, &mut plan, &mut |bytes, rows| {
            on_progress(Stage::Read, &name, bytes, rows)
        })
        .await?;
        run.read.push(name.clone());
        run.inputs
            .push(plan.finish(&given.file, fingerprint, outcome.stats, outcome.problems));
    }
    Ok(())
}

/// Streams `blob` through `reader` into `sink`, telling `progress` the bytes and rows read after
/// every chunk (the browser's chunks, usually 64 KiB) and once at the end; memory stays one
/// chunk.
pub(crate) async fn stream_reporting(
    blob: &gloo::file::Blob,
    mut reader: FileReader,
    sink: &mut dyn RecordSink,
    progress: &mut dyn FnMut(u64, u64) -> Result<(), String>,
) -> Result<samsyn_core::ingest::ReadOutcome, String> {
    let mut chunks = BlobChunks::new(blob)?;
    let mut bytes = 0u64;
    while let Some(chunk) = chunks.next().await? {
        reader.push(&chunk, sink).map_err(|e| e.worded())?;
        bytes += chunk.len() as u64;
        progress(bytes, reader.rows_read())?;
    }
    let outcome = reader.finish(sink).map_err(|e| e.worded())?;
    // The reader holds back its first 64 KiB to tell the dialect: the rows are all in now.
    progress(bytes, outcome.stats.rows)?;
    Ok(outcome)
}

/// `run(notebookJson, files, options?)` for JavaScript: a promise of the results as a plain
/// object (`NotebookResults` with `read` and `reused`), rejected with an `Error` naming what
/// was wrong.
#[wasm_bindgen(js_name = run)]
pub async fn js_run(
    notebook_json: String,
    files: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let run = run_from_js(&notebook_json, &files, &options).await?;
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    run.serialize(&serializer).map_err(|e| {
        js_error(&format!(
            "the results could not be handed to JavaScript: {e}"
        ))
    })
}

/// `report(notebookJson, files, options?)` for JavaScript: the same run, a promise of core's
/// self-contained HTML report (what `samsyn run` writes as `report.html`).
#[wasm_bindgen(js_name = report)]
pub async fn js_report(
    notebook_json: String,
    files: JsValue,
    options: JsValue,
) -> Result<String, JsValue> {
    let run = run_from_js(&notebook_json, &files, &options).await?;
    Ok(html_report::render(&run.results, env!("CARGO_PKG_VERSION")))
}

async fn run_from_js(
    notebook_json: &str,
    files: &JsValue,
    options: &JsValue,
) -> Result<JsRun, JsValue> {
    let err = |e: String| js_error(&e);
    let files = files_from_js(files).map_err(err)?;
    let (options, on_progress) = options_from_js(options).map_err(err)?;
    let mut progress = |stage: Stage, input: &str, bytes: u64, rows: u64| {
        let Some(f) = &on_progress else {
            return Ok(());
        };
        let args = js_sys::Array::of4(
            &stage.name().into(),
            &JsValue::from_f64(bytes as f64),
            &JsValue::from_f64(rows as f64),
            &input.into(),
        );
        f.apply(&JsValue::NULL, &args)
            .map(|_| ())
            .map_err(|e| format!("onProgress threw: {}", js_message(&e)))
    };
    run_notebook(notebook_json, &files, &options, &mut progress)
        .await
        .map_err(err)
}

/// `{inputName: File}` (or a `Blob`) → the inputs.
fn files_from_js(files: &JsValue) -> Result<Vec<InputBlob>, String> {
    let object = files
        .dyn_ref::<js_sys::Object>()
        .filter(|_| !files.is_function())
        .ok_or("files must be an object mapping each input name to a File")?;
    js_sys::Object::entries(object)
        .iter()
        .map(|entry| {
            let entry = js_sys::Array::from(&entry);
            let input = entry.get(0).as_string().unwrap_or_default();
            let value = entry.get(1);
            let blob = value
                .dyn_ref::<web_sys::Blob>()
                .ok_or_else(|| format!("files.{input} must be a File or a Blob"))?;
            let file = value
                .dyn_ref::<web_sys::File>()
                .map(|f| f.name())
                .unwrap_or_else(|| input.clone());
            Ok(InputBlob {
                input,
                file,
                blob: gloo::file::Blob::from(blob.clone()),
            })
        })
        .collect()
}

/// The options object: `params`, `disclosureThreshold`, `language` and `onProgress`; any other key is
/// refused, so that a misspelt option is not silently ignored.
fn options_from_js(options: &JsValue) -> Result<(RunOptions, Option<js_sys::Function>), String> {
    if options.is_undefined() || options.is_null() {
        return Ok((RunOptions::default(), None));
    }
    let object = options
        .dyn_ref::<js_sys::Object>()
        .filter(|_| !options.is_function())
        .ok_or("options must be an object { params, disclosureThreshold, language, onProgress }")?;
    let (mut run, mut on_progress) = (RunOptions::default(), None);
    for entry in js_sys::Object::entries(object).iter() {
        let entry = js_sys::Array::from(&entry);
        let (key, value) = (entry.get(0).as_string().unwrap_or_default(), entry.get(1));
        if value.is_undefined() {
            continue;
        }
        match key.as_str() {
            "params" => run.params = params_from_js(&value)?,
            "disclosureThreshold" => {
                let threshold = value
                    .as_f64()
                    .ok_or("disclosureThreshold must be a number of 1 or more")?;
                run.protection = RunOptions::with_threshold(threshold)?.protection;
            }
            "language" => {
                run.language = Some(match value.as_string().as_deref() {
                    Some("sv") => Language::Swedish,
                    Some("en") => Language::English,
                    _ => return Err("language must be \"sv\" or \"en\"".into()),
                })
            }
            "onProgress" => {
                on_progress = Some(
                    value
                        .dyn_into::<js_sys::Function>()
                        .map_err(|_| "onProgress must be a function")?,
                )
            }
            other => {
                return Err(format!(
                    "unknown option '{other}' (the options are params, disclosureThreshold, language and onProgress)"
                ))
            }
        }
    }
    Ok((run, on_progress))
}

/// `{name: value}` with string (or number) values → the notebook's parameter overrides.
fn params_from_js(params: &JsValue) -> Result<Vec<(String, String)>, String> {
    let object = params
        .dyn_ref::<js_sys::Object>()
        .ok_or("params must be an object mapping parameter names to strings")?;
    js_sys::Object::entries(object)
        .iter()
        .map(|entry| {
            let entry = js_sys::Array::from(&entry);
            let name = entry.get(0).as_string().unwrap_or_default();
            let value = entry.get(1);
            let text = value
                .as_string()
                .or_else(|| value.as_f64().map(|n| n.to_string()))
                .ok_or_else(|| format!("params.{name} must be a string"))?;
            Ok((name, text))
        })
        .collect()
}

fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// What a thrown JS value says.
fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
