//! Example notebooks in the browser: the same notebook file, the same core run and the same
//! self-contained report as `samsyn run`, on the bundled synthetic sample files.

use samsyn_core::ingest::FileReader;
use samsyn_core::notebook::{prepare, report, Input, Notebook, Session};

use crate::analysis::fetch;
use crate::read_file::BlobChunks;

/// The example notebooks served beside the app: file name and title.
pub const EXAMPLES: [(&str, &str); 4] = [
    ("falls.samsyn.json", "Fall bland äldre"),
    ("county_lights.samsyn.json", "Länets trafikljus över kommuner och vårdcentraler"),
    ("dialogue_health_centre.samsyn.json", "Dialogbaserad uppföljning av en vårdcentral"),
    ("framework.samsyn.json", "Indikatorramverket: förflyttningar × dimensioner"),
];

/// The sample file for each input name the example notebooks use.
fn sample_file(input: &str) -> Option<&'static str> {
    match input {
        "events" | "requests" => Some("events.csv"),
        "population" => Some("population.csv"),
        "areas" => Some("areas.csv"),
        "survey" => Some("survey.csv"),
        "vardcentraler" => Some("vardcentraler.csv"),
        _ => None,
    }
}

/// Runs the example notebook `file` with `params` on the sample files; returns the report's HTML.
pub async fn run_example(file: &str, params: &[(String, String)]) -> Result<String, String> {
    let blob = fetch(&format!("notebooks/{file}")).await?;
    let mut bytes = Vec::new();
    let mut chunks = BlobChunks::new(&blob)?;
    while let Some(chunk) = chunks.next().await? {
        bytes.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(bytes).map_err(|e| format!("{file}: {e}"))?;
    let notebook = Notebook::open(&text).map_err(|e| format!("{file}: {e}"))?;
    // Only the parameters this notebook declares.
    let declared: Vec<String> = notebook.parameters().iter().map(|p| p.name.clone()).collect();
    let params: Vec<(String, String)> = params.iter().filter(|(k, _)| declared.contains(k)).cloned().collect();
    let prepared = prepare(&notebook, &params).map_err(|e| e.to_string())?;
    let mut inputs: Vec<Input> = Vec::new();
    for name in prepared.input_names() {
        let sample = sample_file(&name).ok_or_else(|| format!("no sample file for the input '{name}'"))?;
        let blob = fetch(&format!("sample-data/{sample}")).await?;
        let mut plan = prepared.input_plan(&name);
        let mut reader = FileReader::new(sample, prepared.read_options(&name));
        let mut chunks = BlobChunks::new(&blob)?;
        while let Some(chunk) = chunks.next().await? {
            reader.push(&chunk, &mut plan).map_err(|e| e.to_string())?;
        }
        let outcome = reader.finish(&mut plan).map_err(|e| e.to_string())?;
        inputs.push(plan.finish(sample, blob.size(), outcome.stats, outcome.problems));
    }
    let results = Session::default().run(&prepared, &inputs).map_err(|e| e.to_string())?;
    Ok(report::render(&results, env!("CARGO_PKG_VERSION")))
}
