//! One large text file read by several Web Workers at once (issue 13): the browser's side of
//! `samsyn_core::ingest::ranges`, as the CLI's threads are natively.
//!
//! The worker running a notebook (or the page, for the benchmark) reads the file's first chunk
//! itself, which tells the dialect and the header ([`Continuation`]); cuts the file at line ends
//! into as many byte ranges as the machine has cores (at most 8, each at least 4 MiB); starts one
//! helper worker per later range (the same WebAssembly module, started as the engine's worker
//! is, `worker_client.rs`), hands each its `Blob` (the browser passes the `File` object, not its
//! bytes), its range, and the notebook to make the same plan from; and reads the first range
//! itself meanwhile. Each helper streams its `Blob.slice`, and sends back its plan as a part
//! (postcard bytes, transferred, not copied), which this side merges in file order. The result is
//! the one-pass result bit for bit, or `None` (the merge refused: a cut inside a quoted field, a
//! row repeating one of an earlier range, a helper that failed): then the caller reads the file
//! in one pass. Helpers are started for one read and terminated when it ends, also when the read
//! stops early (the run was superseded), so none outlives its read.

use gloo::file::Blob;
use samsyn_core::ingest::ranges::{self, Continuation, LaterRead, MergeRanges};
use samsyn_core::ingest::{FileReader, ReadOutcome};
use samsyn_core::notebook::exec::{prepare, InputPart, InputPlan, Prepared};
use samsyn_core::notebook::Notebook;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Worded;
use crate::notebook_run::blob_bytes;
use crate::read_file::BlobChunks;

use samsyn_core::ingest::ranges::SPLIT_MIN_BYTES;

/// The first chunk, read before the cuts: it holds the dialect's sample and the header.
const HEAD_BYTES: u64 = 1 << 20;

/// How far past a cut its line end is looked for.
const WINDOW_BYTES: u64 = 64 << 10;

/// What a helper is asked to read: a range of one input's file, for the notebook's plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RangeJob {
    /// The notebook as saved and its parameters: the helper makes the same plan from them.
    pub notebook: String,
    pub params: Vec<(String, String)>,
    pub input: String,
    pub file: String,
    /// The dialect and header, as the reader of the file's start found them (JSON).
    pub continuation: String,
    pub start: u64,
    pub end: u64,
    /// The helper words its errors in English (else Swedish), as the run that asked for it.
    #[serde(default)]
    pub english: bool,
}

/// How many ranges a file of `size` bytes is read in: 1 for a small file; else one worker per
/// core but one (the browser streams every worker's bytes from its own process, which needs a
/// core: on 2 cores, two workers were measured slower than one, 2.0 s against 1.1 s for 100
/// MB), at most 8, each range at least half of [`SPLIT_MIN_BYTES`]. A page (or test) can set
/// `globalThis.samsynReadWorkers`; the engine's worker is told it when it starts.
pub fn parts_for(size: u64) -> usize {
    if size < SPLIT_MIN_BYTES {
        return 1;
    }
    let most = usize::try_from(size / (SPLIT_MIN_BYTES / 2)).unwrap_or(usize::MAX);
    read_workers().clamp(1, 8).min(most)
}

/// The workers to read a large file with: `samsynReadWorkers` if the page set it (in a worker:
/// as its bootstrap was told), else the cores but one.
pub fn read_workers() -> usize {
    let global = js_sys::global();
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
    let chosen = get(&global, "samsynReadWorkers")
        .and_then(|v| v.as_f64())
        .or_else(|| get(&global, "samsynBoot").and_then(|b| get(&b, "readWorkers")?.as_f64()));
    if let Some(n) = chosen.filter(|n| *n >= 1.0) {
        return n as usize;
    }
    let cores = get(&global, "navigator")
        .and_then(|n| get(&n, "hardwareConcurrency"))
        .and_then(|c| c.as_f64())
        .map_or(1, |c| c as usize);
    cores.saturating_sub(1).max(1)
}

/// Reads input `name` of `prepared` (the notebook `notebook` with `params`) from `blob` in
/// ranges at once, when the file is large enough and the plan allows it; `on_bytes` hears of
/// the bytes read (estimated from the first range) and rows, and can stop the read. Gives the
/// plan, the read and the number of ranges; `Ok(None)` when the file is to be read in one pass
/// instead.
pub async fn read_in_parts(
    prepared: &Prepared,
    notebook: &Notebook,
    params: &[(String, String)],
    name: &str,
    file: &str,
    blob: &Blob,
    on_bytes: &mut dyn FnMut(u64, u64) -> Result<(), String>,
) -> Result<Option<(InputPlan, ReadOutcome, usize)>, String> {
    let size = blob.size();
    let parts = parts_for(size);

    let mut first = prepared.input_plan(name);
    if parts < 2 || !first.splittable() {
        return Ok(None);
    }
    let options = prepared.read_options(name);
    let mut reader = FileReader::new(file, options);
    let head_end = size.min(HEAD_BYTES);
    let head = blob_bytes(&blob.slice(0, head_end)).await?;
    if reader.push(&head, &mut first).is_err() {
        // The one-pass read says what is wrong.
        return Ok(None);
    }
    let Some(continuation) = reader.continuation() else {
        return Ok(None);
    };
    let mut starts = vec![0u64];
    for k in 1..parts as u64 {
        let at = (size / parts as u64 * k).max(head_end);
        let window = blob_bytes(&blob.slice(at, size.min(at + WINDOW_BYTES))).await?;
        if let Some(i) = ranges::line_start_in(&window) {
            let start = at + i as u64;
            if start > *starts.last().unwrap_or(&0) && start < size {
                starts.push(start);
            }
        }
    }
    if starts.len() < 2 {
        return Ok(None);
    }
    let ends: Vec<u64> = starts.iter().skip(1).copied().chain([size]).collect();
    let helpers = Helpers::start(starts.len() - 1)?;
    let saved = notebook.save();
    let continuation_json = serde_json::to_string(&continuation).map_err(|e| e.to_string())?;
    let mut replies = Vec::new();
    for (k, worker) in helpers.workers.iter().enumerate() {
        let job = RangeJob {
            notebook: saved.clone(),
            params: params.to_vec(),
            input: name.to_owned(),
            file: file.to_owned(),
            continuation: continuation_json.clone(),
            english: crate::i18n::message_lang() == crate::i18n::Lang::En,
            start: starts[k + 1],
            end: ends[k + 1],
        };
        replies.push(next_message(worker));
        post_job(worker, &job, blob)?;
    }
    // The first range here, meanwhile: progress as if every range were as far.
    let scale = size as f64 / ends[0] as f64;
    let mut chunks = BlobChunks::new(&blob.slice(head_end, ends[0]))?;
    let mut done = head_end;
    while let Some(chunk) = chunks.next().await? {
        reader.push(&chunk, &mut first).map_err(|e| e.worded())?;
        done += chunk.len() as u64;
        let rows = (reader.rows_read() as f64 * scale) as u64;
        on_bytes(((done as f64 * scale) as u64).min(size), rows)?;
    }
    let outcome = reader.finish(&mut first).map_err(|e| e.worded())?;
    let mut later = Vec::new();
    for reply in replies {
        let data = JsFuture::from(reply)
            .await
            .map_err(|e| format!("a reading worker failed: {}", js_text(&e)))?;
        let data = js_sys::Reflect::get(&data, &"data".into()).map_err(|e| js_text(&e))?;
        let part = js_sys::Reflect::get(&data, &"part".into()).map_err(|e| js_text(&e))?;
        let Some(bytes) = part.dyn_ref::<js_sys::Uint8Array>() else {
            let error = js_sys::Reflect::get(&data, &"error".into())
                .ok()
                .and_then(|e| e.as_string())
                .unwrap_or_default();
            web_sys::console::warn_1(
                &format!(
                    "samsyn: {file} is read again in one pass: a reading worker failed ({error})"
                )
                .into(),
            );
            return Ok(None);
        };
        later.push(ranges::decode_part::<InputPart>(&bytes.to_vec())?);
    }
    drop(helpers);
    let n = later.len() + 1;
    let merged = ranges::merge_parts((first, outcome), later);
    match merged {
        Ok((plan, outcome)) => {
            on_bytes(size, outcome.stats.rows)?;
            Ok(Some((plan, outcome, n)))
        }
        Err(why) => {
            web_sys::console::info_1(
                &format!("samsyn: {file} is read again in one pass: {why}").into(),
            );
            Ok(None)
        }
    }
}

/// The helper workers of one read, terminated when it ends.
struct Helpers {
    workers: Vec<web_sys::Worker>,
}

impl Helpers {
    fn start(n: usize) -> Result<Helpers, String> {
        let workers = (0..n)
            .map(|_| crate::worker_client::start_helper())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Helpers { workers })
    }
}

impl Drop for Helpers {
    fn drop(&mut self) {
        for w in &self.workers {
            w.terminate();
        }
    }
}

/// A promise of the next message from `worker` (rejected on an error in it).
fn next_message(worker: &web_sys::Worker) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    })
}

fn post_job(worker: &web_sys::Worker, job: &RangeJob, blob: &Blob) -> Result<(), String> {
    let message = js_sys::Object::new();
    let value = serde_wasm_bindgen::to_value(job).map_err(|e| e.to_string())?;
    js_sys::Reflect::set(&message, &"range".into(), &value).map_err(|e| js_text(&e))?;
    let blob: &JsValue = blob.as_ref();
    js_sys::Reflect::set(&message, &"blob".into(), blob).map_err(|e| js_text(&e))?;
    worker.post_message(&message).map_err(|e| js_text(&e))
}

/// A helper's work: the range of its job read into the notebook's plan, sent back as a part's
/// bytes (`{part}`, its buffer transferred) or as an error (`{error}`).
pub async fn serve_range(data: JsValue) -> JsValue {
    let reply = js_sys::Object::new();
    let result = read_range(&data).await;
    let set = |key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&reply, &key.into(), value);
    };
    match result {
        Ok(bytes) => set("part", &js_sys::Uint8Array::from(bytes.as_slice()).into()),
        Err(e) => set("error", &e.into()),
    }
    reply.into()
}

async fn read_range(data: &JsValue) -> Result<Vec<u8>, String> {
    let job = js_sys::Reflect::get(data, &"range".into()).map_err(|e| js_text(&e))?;
    let job: RangeJob = serde_wasm_bindgen::from_value(job).map_err(|e| e.to_string())?;
    crate::i18n::set_message_lang(if job.english {
        crate::i18n::Lang::En
    } else {
        crate::i18n::Lang::Sv
    });
    let blob = js_sys::Reflect::get(data, &"blob".into())
        .map_err(|e| js_text(&e))?
        .dyn_into::<web_sys::Blob>()
        .map_err(|e| js_text(&e))?;
    let notebook = Notebook::open(&job.notebook).map_err(|e| e.to_string())?;
    let prepared = prepare(&notebook, &job.params).map_err(|e| e.worded())?;
    let continuation: Continuation =
        serde_json::from_str(&job.continuation).map_err(|e| e.to_string())?;
    let mut plan = prepared.input_plan(&job.input);
    let mut reader = FileReader::continuing(
        &job.file,
        prepared.read_options(&job.input),
        &continuation,
        &mut plan,
    )
    .map_err(|e| e.worded())?;
    let blob = Blob::from(blob).slice(job.start, job.end);
    let mut chunks = BlobChunks::new(&blob)?;
    while let Some(chunk) = chunks.next().await? {
        reader.push(&chunk, &mut plan).map_err(|e| e.worded())?;
    }
    let outcome = reader.finish(&mut plan).map_err(|e| e.worded())?;
    ranges::encode_part(&plan.into_part(), &LaterRead::from(outcome))
}

fn js_text(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
