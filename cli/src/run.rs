//! `samsyn run NOTEBOOK --data NAME=FILE … --out DIR [--param key=value …] [--snapshot FILE]`:
//! runs a notebook on the user's files and writes each table as CSV and one self-contained
//! HTML report (`report.html`). A thin shell: files are streamed into the core's plans; the
//! core runs the notebook and renders the report.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use clap::Args;
use samsyn_core::notebook::snapshot::{self, DEFAULT_DISCLOSURE_THRESHOLD};
use samsyn_core::notebook::{prepare, report, CellOutput, Input, Notebook, Session};

#[derive(Args)]
pub struct RunArgs {
    /// The notebook file (`*.samsyn.json`).
    notebook: PathBuf,
    /// An input of the notebook and its file, e.g. `--data events=events.csv`.
    #[arg(long = "data", value_name = "NAME=FILE")]
    data: Vec<String>,
    /// A parameter value, e.g. `--param kommun=2482`.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Folder for report.html and the tables' CSV files (made if missing).
    #[arg(long, default_value = "rapport")]
    out: PathBuf,
    /// Also save a copy of the notebook with an aggregated, suppressed result snapshot here.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    /// Counts from 1 to this − 1 are removed from the snapshot.
    #[arg(long, default_value_t = DEFAULT_DISCLOSURE_THRESHOLD)]
    disclosure_threshold: f64,
}

fn pairs(items: &[String], flag: &str) -> anyhow::Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|d| {
            d.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| anyhow!("{flag} '{d}': write it as NAME=VALUE"))
        })
        .collect()
}

/// Runs `samsyn run …`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.notebook)
        .with_context(|| format!("{}: cannot read the notebook", args.notebook.display()))?;
    let nb = Notebook::open(&text).map_err(|e| anyhow!("{}: {e}", args.notebook.display()))?;
    let files = pairs(&args.data, "--data")?;
    let params = pairs(&args.params, "--param")?;
    let prepared = prepare(&nb, &params)?;
    let mut inputs = Vec::new();
    for name in prepared.input_names() {
        let Some((_, path)) = files.iter().find(|(n, _)| *n == name) else {
            bail!("no file for the input '{name}'; give it as --data {name}=FILE");
        };
        inputs.push(read_input(&prepared, &name, Path::new(path))?);
    }
    let results = Session::default().run(&prepared, &inputs)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot make the folder", args.out.display()))?;
    let mut tables = 0;
    for (_, out) in &results.cells {
        match &**out {
            CellOutput::Table(t) => {
                let path = args.out.join(&t.file_name);
                std::fs::write(&path, &t.csv).with_context(|| format!("{}", path.display()))?;
                tables += 1;
            }
            CellOutput::Error { message } => eprintln!("samsyn: a cell could not run: {message}"),
            _ => {}
        }
    }
    let html = report::render(&results, env!("CARGO_PKG_VERSION"));
    let report_path = args.out.join("report.html");
    std::fs::write(&report_path, html).with_context(|| format!("{}", report_path.display()))?;
    for i in &results.inputs {
        eprintln!(
            "{}: {} ({} rows read, {} used, {} refused; {} problems)",
            i.name,
            i.file,
            i.rows,
            i.used,
            i.refused_total(),
            i.problems
        );
        for (reason, n) in &i.refused {
            eprintln!("  {n} refused: {reason}");
        }
    }
    eprintln!(
        "wrote {} and {tables} tables to {}",
        report_path.display(),
        args.out.display()
    );
    if let Some(path) = &args.snapshot {
        let mut with = nb.clone();
        with.snapshot = Some(snapshot::take(&nb, &results, args.disclosure_threshold));
        std::fs::write(path, with.save()).with_context(|| format!("{}", path.display()))?;
        eprintln!(
            "wrote the notebook with a suppressed result snapshot to {}",
            path.display()
        );
    }
    Ok(())
}

/// Streams one file into its input plan. The fingerprint is the file's name, size and time.
fn read_input(
    prepared: &samsyn_core::notebook::Prepared,
    name: &str,
    path: &Path,
) -> anyhow::Result<Input> {
    let mut plan = prepared.input_plan(name);
    let outcome = crate::read::read_path(path, prepared.read_options(name), &mut plan)?;
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    if let Ok(m) = std::fs::metadata(path) {
        m.len().hash(&mut h);
        m.modified().ok().hash(&mut h);
    }
    Ok(plan.finish(
        &crate::read::file_name(path),
        h.finish(),
        outcome.stats,
        outcome.problems,
    ))
}
