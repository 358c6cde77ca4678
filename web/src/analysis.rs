//! The example analysis in the browser: an indicator spec run over named data files with the
//! same core engine as `samsyn indicators`, each file streamed once into its plan.

use std::rc::Rc;

use samsyn_core::indicators::definition::IndicatorSpec;
use samsyn_core::indicators::finish::Results;
use samsyn_core::indicators::levels::Level;
use samsyn_core::indicators::{compile, Compiled, ReadSource};
use samsyn_core::ingest::{Fan, FileReader, ReadOptions, RecordSink};
use samsyn_core::stats::disclosure::Protection;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::read_file::{stream_into, Timing};

/// The example spec: falls among the elderly, admissions after falls, access to the health
/// centre, avoidable admissions and home visits (the indicators of the source documents).
pub const EXAMPLE_SPEC: &str = include_str!("../../notebooks/specs/elderly-and-access.json");

/// The levels the page shows: each kommun and the county, per year.
pub const LEVELS: [&str; 2] = ["kommun,year", "lan,year"];

/// The sample file each data name of the example spec reads.
pub fn sample_file(data_name: &str) -> Option<&'static str> {
    match data_name {
        "events" | "requests" => Some("events.csv"),
        "population" => Some("population.csv"),
        "areas" => Some("areas.csv"),
        _ => None,
    }
}

/// A finished run.
#[derive(Debug)]
pub struct Analysis {
    pub spec: IndicatorSpec,
    pub results: Results,
    /// Data name, file name and rows read, for the page (never the data).
    pub files: Vec<(String, String, u64)>,
    pub timing: Timing,
}

/// Runs `spec` over the bundled synthetic sample files.
pub async fn run_example() -> Result<Rc<Analysis>, String> {
    let spec: IndicatorSpec =
        serde_json::from_str(EXAMPLE_SPEC).map_err(|e| format!("the example spec: {e}"))?;
    let levels = LEVELS
        .iter()
        .map(|l| Level::parse(l))
        .collect::<Result<Vec<_>, _>>()?;
    let compiled = compile(&spec)
        .map_err(|e| e.to_string())?
        .for_levels(&levels);
    let started = Timing::now_ms();
    // Data names read from the same file share one pass over it.
    let mut by_file: Vec<(&str, Vec<String>)> = Vec::new();
    for name in compiled.data_names() {
        let file =
            sample_file(&name).ok_or_else(|| format!("the example has no file for '{name}'"))?;
        match by_file.iter_mut().find(|(f, _)| *f == file) {
            Some((_, names)) => names.push(name),
            None => by_file.push((file, vec![name])),
        }
    }
    let mut read = Vec::new();
    let mut files = Vec::new();
    let mut bytes = 0;
    for (file, names) in &by_file {
        let blob = fetch(&format!("sample-data/{file}")).await?;
        bytes += blob.size();
        for (name, source) in names
            .iter()
            .zip(read_into(&compiled, names, file, &blob).await?)
        {
            files.push((name.clone(), file.to_string(), source.stats.rows));
            read.push(source);
        }
    }
    // What the page shows is masked as any export is (primary and complementary suppression
    // at the default floor).
    let results = samsyn_core::export::protected(
        &compiled.finish(&read, &levels).map_err(|e| e.to_string())?,
        Protection::default().threshold(None),
    );
    Ok(Rc::new(Analysis {
        spec,
        results,
        files,
        timing: Timing::since(started, bytes),
    }))
}

/// Streams one file once into the plans of the data names `names` (in that order).
pub async fn read_into(
    compiled: &Compiled,
    names: &[String],
    file: &str,
    blob: &gloo::file::Blob,
) -> Result<Vec<ReadSource>, String> {
    let mut plans: Vec<_> = names.iter().map(|n| compiled.plan(n)).collect();
    let mut fan = Fan::new(plans.iter_mut().map(|p| p as &mut dyn RecordSink).collect());
    let outcome = stream_into(
        blob,
        FileReader::new(file, ReadOptions::default()),
        &mut fan,
    )
    .await?;
    let mut problems = std::iter::once(outcome.problems).chain(std::mem::take(&mut fan.problems));
    Ok(plans
        .into_iter()
        .map(|p| p.finish(outcome.stats.clone(), problems.next().unwrap_or_default()))
        .collect())
}

/// Fetches a file of the page's own origin (the bundled sample data; nothing remote).
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
