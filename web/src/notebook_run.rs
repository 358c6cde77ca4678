//! Notebooks in the browser: a notebook file (an example served beside the app, or one the user
//! opens) run on the user's own files, or on the bundled synthetic sample files, with the same
//! core run and the same self-contained report as `samsyn run`. The files never leave the page.

use crate::i18n::Both;
use samsyn_core::ingest::FileReader;
use samsyn_core::notebook::exec::prepare_with;
use samsyn_core::notebook::from_spec::open_notebook_or_spec;
use samsyn_core::notebook::output::CellOutput;
use samsyn_core::notebook::{prepare, report, Input, Notebook, NotebookResults, Session};
use samsyn_core::stats::disclosure::Protection;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::js_api::stream_reporting;
use crate::read_file::BlobChunks;
use crate::run_state::{RunProgress, Stage};

/// The example analysis (what the app's hand-written example showed: the indicators of
/// `notebooks/specs/elderly-and-access.json` per kommun and for the county, with lights and the
/// county read-out), as a notebook.
pub const EXAMPLE_ANALYSIS: &str = include_str!("../../notebooks/elderly_and_access.samsyn.json");

/// The example notebooks served beside the app: file name and title.
pub const EXAMPLES: [(&str, &str); 5] = [
    ("falls.samsyn.json", "Fall bland äldre"),
    (
        "elderly_and_access.samsyn.json",
        "Äldre och tillgänglighet (exempelanalysen)",
    ),
    (
        "county_lights.samsyn.json",
        "Länets trafikljus över kommuner och vårdcentraler",
    ),
    (
        "dialogue_health_centre.samsyn.json",
        "Dialogbaserad uppföljning av en vårdcentral",
    ),
    (
        "framework.samsyn.json",
        "Indikatorramverket: förflyttningar × dimensioner",
    ),
];

/// The sample file for each input name the example notebooks use.
pub fn sample_file(input: &str) -> Option<&'static str> {
    match input {
        "events" | "requests" => Some("events.csv"),
        "population" => Some("population.csv"),
        "areas" => Some("areas.csv"),
        "survey" => Some("survey.csv"),
        "vardcentraler" => Some("vardcentraler.csv"),
        _ => None,
    }
}

/// What the page needs to ask for before a run: parameters and inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// The title with the parameters' defaults filled in.
    pub title: String,
    /// Name, label, kind, default.
    pub params: Vec<(String, String, String, String)>,
    /// Input name and what file it expects, in words.
    pub inputs: Vec<(String, String)>,
}

/// Reads a notebook's text (an older indicator spec is converted, `notebook::from_spec`): its
/// parameters and the inputs it reads.
pub fn outline(text: &str) -> Result<(Notebook, Outline), Both> {
    // In both languages: the page shows the one it speaks at the moment.
    let notebook = open_notebook_or_spec(text)
        .map_err(|e| Both::of(&e))?
        .notebook;
    let outline = outline_of(&notebook)?;
    Ok((notebook, outline))
}

/// A notebook's parameters and the inputs it reads (after every edit: a cell added or an
/// indicator changed may change them).
pub fn outline_of(notebook: &Notebook) -> Result<Outline, Both> {
    let prepared = prepare(notebook, &[]).map_err(|e| Both::of(&e))?;
    let data = notebook.data_cells();
    let inputs = prepared
        .input_names()
        .into_iter()
        .map(|n| {
            let expects = data
                .get(n.as_str())
                .map(|d| d.expects.clone())
                .unwrap_or_default();
            (n, expects)
        })
        .collect();
    let params = notebook
        .parameters()
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.label.clone(),
                p.kind.map(|k| k.name().to_owned()).unwrap_or_default(),
                p.default.clone(),
            )
        })
        .collect();
    Ok(Outline {
        title: prepared.notebook.title.clone(),
        params,
        inputs,
    })
}

/// The notebook's title with the parameter values the user chose (the defaults for the rest),
/// so that the heading says the kommun chosen, not the default's; `None` when a value does not
/// fit its parameter (the run then says why).
pub fn title_with(notebook: &Notebook, params: &[(String, String)]) -> Option<String> {
    prepare(notebook, params).ok().map(|p| p.notebook.title)
}

/// The text of an example notebook served beside the app.
pub async fn example_text(file: &str) -> Result<String, Both> {
    let blob = fetch(&format!("notebooks/{file}")).await.map_err(|e| {
        Both::new(
            format!("exemplet kunde inte hämtas från sidans egen adress ({e})"),
            format!("the example could not be fetched from the page's own address ({e})"),
        )
    })?;
    blob_text(&blob).await.map_err(|e| e.about(file))
}

/// The whole text of a small file (a notebook).
pub async fn blob_text(blob: &gloo::file::Blob) -> Result<String, Both> {
    let bytes = blob_bytes(blob).await.map_err(|e| {
        Both::new(
            format!("filen kunde inte läsas ({e})"),
            format!("the file could not be read ({e})"),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        Both::new(
            format!("filen är inte text i UTF-8, som en anteckningsbok är ({e})"),
            format!("the file is not UTF-8 text, as a notebook is ({e})"),
        )
    })
}

/// One input's file: the user's own, or the sample file of that name.
pub enum InputFile {
    Own {
        name: String,
        blob: gloo::file::Blob,
    },
    Sample,
}

/// What a run gives the page: the report, and which inputs were read from their files and
/// which were answered from the inputs of an earlier run (their cubes).
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    pub html: String,
    /// Every cell's output by cell id, in cell order (shown under each cell).
    pub cells: Vec<(String, std::rc::Rc<CellOutput>)>,
    pub read: Vec<String>,
    /// Of those, the ones read in byte ranges by several workers at once, and in how many.
    pub in_parts: Vec<(String, usize)>,
    pub reused: Vec<String>,
    /// From the start of the run to the report, in milliseconds.
    pub ms: f64,
}

/// Told how far a run has come; an `Err` stops the run with that message (a newer request
/// superseded it).
pub type OnRunProgress<'a> = dyn FnMut(RunProgress) -> Result<(), String> + 'a;

/// Runs `notebook` with `params` on `files` (by input name) under the user's `protection`, in
/// the engine's worker (`worker.rs`); returns the results, the report's HTML and which files were
/// read. A sample file is fetched from `sample-data/` under `base` (the page's address: the
/// worker's own is a `blob:` URL). `on_progress` hears of every chunk read.
pub async fn run(
    notebook: &Notebook,
    params: &[(String, String)],
    files: &[(String, InputFile)],
    protection: Protection,
    base: &str,
    on_progress: &mut OnRunProgress<'_>,
) -> Result<(NotebookResults, RunOutcome), String> {
    let started = crate::read_file::Timing::now_ms();
    let (mut read, mut reused, mut in_parts) = (Vec::new(), Vec::new(), Vec::new());
    let mut prepared =
        prepare_with(notebook, params, protection).map_err(|e| crate::i18n::Worded::worded(&e))?;
    // The cells and the report in the language of the request (the worker is told it).
    prepared.language = crate::i18n::message_lang().number_language();
    let mut inputs: Vec<Input> = Vec::new();
    let names = prepared.input_names();
    let inputs_total = names.len();
    let outcome = async {
        for (inputs_done, name) in names.into_iter().enumerate() {
            let (file, blob) = match files.iter().find(|(n, _)| *n == name).map(|(_, f)| f) {
                Some(InputFile::Own { name, blob }) => (name.clone(), blob.clone()),
                _ => {
                    let sample = sample_file(&name).ok_or_else(|| {
                        format!("Välj en fil för «{name}». / Choose a file for '{name}'.")
                    })?;
                    let url = resolve(&format!("sample-data/{sample}"), base)?;
                    (sample.to_owned(), fetch(&url).await?)
                }
            };
            let mut progress = RunProgress {
                stage: Stage::Reuse,
                input: name.clone(),
                file: file.clone(),
                bytes_done: 0,
                bytes_total: blob.size(),
                rows_done: 0,
                inputs_done,
                inputs_total,
            };
            let fingerprint = fingerprint(&file, &blob).await?;
            // A file read for an earlier run serves this one if the cube answers (another
            // condition value, age range, level, period, light rule or threshold): no re-read.
            let cached = CACHE.with(|c| {
                let mut c = c.borrow_mut();
                let at = c.inputs.iter().position(|i| {
                    i.source.name == name
                        && i.fingerprint == fingerprint
                        && prepared.reusable(i).is_ok()
                })?;
                Some(c.inputs.swap_remove(at))
            });
            let input = match cached {
                Some(input) => {
                    reused.push(name.clone());
                    progress.bytes_done = progress.bytes_total;
                    progress.rows_done = input.source.rows.read;
                    inputs.push(input);
                    on_progress(progress)?;
                    continue;
                }
                None => {
                    read.push(name.clone());
                    progress.stage = Stage::Read;
                    on_progress(progress.clone())?;
                    let mut reported = 0u64;
                    let mut report = |bytes: u64, rows: u64| {
                        // The page re-renders on each report: about every 2 MB.
                        if bytes.saturating_sub(reported) < PROGRESS_EVERY_BYTES
                            && bytes < progress.bytes_total
                        {
                            return Ok(());
                        }
                        reported = bytes;
                        progress.bytes_done = bytes;
                        progress.rows_done = rows;
                        on_progress(progress.clone())
                    };
                    // A large text file in parts by several workers at once, if it can be.
                    let parts = crate::range_read::read_in_parts(
                        &prepared,
                        notebook,
                        params,
                        &name,
                        &file,
                        &blob,
                        &mut report,
                    )
                    .await?;
                    let (plan, outcome) = match parts {
                        Some((plan, outcome, n)) => {
                            in_parts.push((name.clone(), n));
                            (plan, outcome)
                        }
                        None => {
                            let mut plan = prepared.input_plan(&name);
                            let reader = FileReader::new(&file, prepared.read_options(&name));
                            let outcome =
                                stream_reporting(&blob, reader, &mut plan, &mut report).await?;
                            (plan, outcome)
                        }
                    };
                    plan.finish(&file, fingerprint, outcome.stats, outcome.problems)
                }
            };
            inputs.push(input);
        }
        on_progress(RunProgress {
            stage: Stage::Compute,
            input: String::new(),
            file: String::new(),
            bytes_done: 0,
            bytes_total: 0,
            rows_done: 0,
            inputs_done: inputs_total,
            inputs_total,
        })
    }
    .await;
    let results = CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let results = outcome.and_then(|()| {
            c.session
                .run(&prepared, &inputs)
                .map_err(|e| crate::i18n::Worded::worded(&e))
        });
        // Keep this run's inputs (one per name and file) for the next, also those read before
        // a failure or a newer request, so that the next run need not read them again.
        c.inputs
            .retain(|i| !inputs.iter().any(|n| n.source.name == i.source.name));
        c.inputs.extend(inputs);
        results
    })?;
    let outcome = RunOutcome {
        html: report::render_made(&results, env!("CARGO_PKG_VERSION"), report::MadeIn::Browser),
        cells: results.cells.clone(),
        read,
        in_parts,
        reused,
        ms: crate::read_file::Timing::now_ms() - started,
    };
    Ok((results, outcome))
}

/// A run reports its progress about this often, in bytes read.
pub const PROGRESS_EVERY_BYTES: u64 = 2 << 20;

/// What the page keeps between runs: the session's cached cells and results, and the inputs
/// read, so an edit the cubes answer reads no file again.
#[derive(Default)]
struct RunCache {
    session: Session,
    inputs: Vec<Input>,
}

thread_local! {
    static CACHE: std::cell::RefCell<RunCache> = std::cell::RefCell::new(RunCache::default());
}

/// A file's fingerprint (core's `file_fingerprint`): name, size, time and its two ends, read
/// as two small slices of the blob, never the whole file.
pub async fn fingerprint(file: &str, blob: &gloo::file::Blob) -> Result<u64, String> {
    use samsyn_core::hashing::{file_fingerprint, FINGERPRINT_CHUNK};
    let size = blob.size();
    let chunk = FINGERPRINT_CHUNK as u64;
    let head = blob_bytes(&blob.slice(0, size.min(chunk))).await?;
    let tail = blob_bytes(&blob.slice(size.saturating_sub(chunk), size)).await?;
    let modified = JsCast::dyn_ref::<web_sys::File>(AsRef::<wasm_bindgen::JsValue>::as_ref(blob))
        .map(|f| f.last_modified() as u64);
    Ok(file_fingerprint(file, size, modified, &head, &tail))
}

pub(crate) async fn blob_bytes(blob: &gloo::file::Blob) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut chunks = BlobChunks::new(blob)?;
    while let Some(chunk) = chunks.next().await? {
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// `path` as an absolute address under `base` (the page's own address).
pub fn resolve(path: &str, base: &str) -> Result<String, String> {
    web_sys::Url::new_with_base(path, base)
        .map(|u| u.href())
        .map_err(|e| format!("{path}: {e:?}"))
}

/// The file at `path` if the page holds it inline: a single-file build (`cargo xtask dist
/// --single-file`) sets `globalThis.samsynFiles` to its bundled files' texts by their path
/// (`notebooks/falls.samsyn.json`, `sample-data/events.csv`), on the page and in the worker.
/// `path` may be an address ending in such a path.
fn embedded(path: &str) -> Option<gloo::file::Blob> {
    let files = js_sys::Reflect::get(&js_sys::global(), &"samsynFiles".into()).ok()?;
    if !files.is_object() {
        return None;
    }
    let keys = js_sys::Object::keys(files.unchecked_ref::<js_sys::Object>());
    let key = keys
        .iter()
        .filter_map(|k| k.as_string())
        .find(|k| path == k || path.ends_with(&format!("/{k}")))?;
    let text = js_sys::Reflect::get(&files, &key.as_str().into())
        .ok()?
        .as_string()?;
    Some(gloo::file::Blob::new(text.as_str()))
}

/// Fetches a file of the page's own origin (the bundled sample data and example notebooks;
/// nothing remote), from the page or from the engine's worker; in a single-file build, the
/// page's inline copy.
pub async fn fetch(path: &str) -> Result<gloo::file::Blob, String> {
    if let Some(blob) = embedded(path) {
        return Ok(blob);
    }
    let global = js_sys::global();
    let promise = match global.dyn_ref::<web_sys::Window>() {
        Some(window) => window.fetch_with_str(path),
        None => global
            .dyn_ref::<web_sys::WorkerGlobalScope>()
            .ok_or("neither a page nor a worker")?
            .fetch_with_str(path),
    };
    let response = JsFuture::from(promise)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|e| format!("{e:?}"))?;
    if !response.ok() {
        return Err(format!("{path}: HTTP {}", response.status()));
    }
    let blob = JsFuture::from(response.blob().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let blob: web_sys::Blob = blob.dyn_into().map_err(|e| format!("{e:?}"))?;
    Ok(gloo::file::Blob::from(blob))
}
