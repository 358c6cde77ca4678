//! Notebooks in the browser: a notebook file (an example served beside the app, or one the user
//! opens) run on the user's own files, or on the bundled synthetic sample files, with the same
//! core run and the same self-contained report as `samsyn run`. The files never leave the page.

use samsyn_core::ingest::FileReader;
use samsyn_core::notebook::exec::prepare_with;
use samsyn_core::notebook::{prepare, report, Input, Notebook, Session};
use samsyn_core::stats::disclosure::Protection;

use crate::analysis::fetch;
use crate::read_file::{stream_into, BlobChunks};

/// The example notebooks served beside the app: file name and title.
pub const EXAMPLES: [(&str, &str); 4] = [
    ("falls.samsyn.json", "Fall bland äldre"),
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

/// Reads a notebook's text: its parameters and the inputs it reads.
pub fn outline(text: &str) -> Result<(Notebook, Outline), String> {
    let notebook = Notebook::open(text).map_err(|e| e.to_string())?;
    let prepared = prepare(&notebook, &[]).map_err(|e| e.to_string())?;
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
    let title = prepared.notebook.title.clone();
    Ok((
        notebook,
        Outline {
            title,
            params,
            inputs,
        },
    ))
}

/// The text of an example notebook served beside the app.
pub async fn example_text(file: &str) -> Result<String, String> {
    let blob = fetch(&format!("notebooks/{file}")).await?;
    blob_text(&blob).await.map_err(|e| format!("{file}: {e}"))
}

/// The whole text of a small file (a notebook).
pub async fn blob_text(blob: &gloo::file::Blob) -> Result<String, String> {
    let mut bytes = Vec::new();
    let mut chunks = BlobChunks::new(blob)?;
    while let Some(chunk) = chunks.next().await? {
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// One input's file: the user's own, or the sample file of that name.
pub enum InputFile {
    Own {
        name: String,
        blob: gloo::file::Blob,
    },
    Sample,
}

/// Runs `notebook` with `params` on `files` (by input name) under the user's `protection`;
/// returns the report's HTML.
pub async fn run(
    notebook: &Notebook,
    params: &[(String, String)],
    files: &[(String, InputFile)],
    protection: Protection,
) -> Result<String, String> {
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
        let mut plan = prepared.input_plan(&name);
        let reader = FileReader::new(&file, prepared.read_options(&name));
        let outcome = stream_into(&blob, reader, &mut plan).await?;
        inputs.push(plan.finish(&file, blob.size(), outcome.stats, outcome.problems));
    }
    let results = Session::default()
        .run(&prepared, &inputs)
        .map_err(|e| e.to_string())?;
    Ok(report::render(&results, env!("CARGO_PKG_VERSION")))
}
