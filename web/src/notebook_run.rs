//! Notebooks in the browser: a notebook file (an example served beside the app, or one the user
//! opens) run on the user's own files, or on the bundled synthetic sample files, with the same
//! core run and the same self-contained report as `samsyn run`. The files never leave the page.

use samsyn_core::ingest::FileReader;
use samsyn_core::notebook::exec::prepare_with;
use samsyn_core::notebook::from_spec::open_notebook_or_spec;
use samsyn_core::notebook::output::CellOutput;
use samsyn_core::notebook::{prepare, report, Input, Notebook, Session};
use samsyn_core::stats::disclosure::Protection;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::read_file::{stream_into, BlobChunks};

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
pub fn outline(text: &str) -> Result<(Notebook, Outline), String> {
    let notebook = open_notebook_or_spec(text)
        .map_err(|e| e.to_string())?
        .notebook;
    let outline = outline_of(&notebook)?;
    Ok((notebook, outline))
}

/// A notebook's parameters and the inputs it reads (after every edit: a cell added or an
/// indicator changed may change them).
pub fn outline_of(notebook: &Notebook) -> Result<Outline, String> {
    let prepared = prepare(notebook, &[]).map_err(|e| e.to_string())?;
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

/// The text of an example notebook served beside the app.
pub async fn example_text(file: &str) -> Result<String, String> {
    let blob = fetch(&format!("notebooks/{file}")).await?;
    blob_text(&blob).await.map_err(|e| format!("{file}: {e}"))
}

/// The whole text of a small file (a notebook).
pub async fn blob_text(blob: &gloo::file::Blob) -> Result<String, String> {
    String::from_utf8(blob_bytes(blob).await?).map_err(|e| e.to_string())
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
    pub reused: Vec<String>,
    /// From the start of the run to the report, in milliseconds.
    pub ms: f64,
}

/// Runs `notebook` with `params` on `files` (by input name) under the user's `protection`;
/// returns the report's HTML and which files were read.
pub async fn run(
    notebook: &Notebook,
    params: &[(String, String)],
    files: &[(String, InputFile)],
    protection: Protection,
) -> Result<RunOutcome, String> {
    let started = crate::read_file::Timing::now_ms();
    let (mut read, mut reused) = (Vec::new(), Vec::new());
    let prepared = prepare_with(notebook, params, protection).map_err(|e| e.to_string())?;
    let mut inputs: Vec<Input> = Vec::new();
    for name in prepared.input_names() {
        let (file, blob) = match files.iter().find(|(n, _)| *n == name).map(|(_, f)| f) {
            Some(InputFile::Own { name, blob }) => (name.clone(), blob.clone()),
            _ => {
                let sample = sample_file(&name).ok_or_else(|| {
                    format!("Välj en fil för «{name}». / Choose a file for '{name}'.")
                })?;
                (
                    sample.to_owned(),
                    fetch(&format!("sample-data/{sample}")).await?,
                )
            }
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
                input
            }
            None => {
                read.push(name.clone());
                let mut plan = prepared.input_plan(&name);
                let reader = FileReader::new(&file, prepared.read_options(&name));
                let outcome = stream_into(&blob, reader, &mut plan).await?;
                plan.finish(&file, fingerprint, outcome.stats, outcome.problems)
            }
        };
        inputs.push(input);
    }
    let results = CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let results = c.session.run(&prepared, &inputs).map_err(|e| e.to_string());
        // Keep this run's inputs (one per name and file) for the next.
        c.inputs
            .retain(|i| !inputs.iter().any(|n| n.source.name == i.source.name));
        c.inputs.extend(inputs);
        results
    })?;
    Ok(RunOutcome {
        html: report::render_made(&results, env!("CARGO_PKG_VERSION"), report::MadeIn::Browser),
        cells: results.cells.clone(),
        read,
        reused,
        ms: crate::read_file::Timing::now_ms() - started,
    })
}

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

async fn blob_bytes(blob: &gloo::file::Blob) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut chunks = BlobChunks::new(blob)?;
    while let Some(chunk) = chunks.next().await? {
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Fetches a file of the page's own origin (the bundled sample data and example notebooks;
/// nothing remote).
pub async fn fetch(path: &str) -> Result<gloo::file::Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(path))
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
