//! `samsyn sql NOTEBOOK --dialect duckdb|spark|postgres [--header NAME=FILE …] [--out DIR]`
//! (issue 14): per source the notebook counts, the query that makes its aggregated table where
//! the data is. `samsyn run NOTEBOOK --aggregates NAME=FILE …` finishes from the results, with
//! every check and disclosure control applied by Samsyn on the groups.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{anyhow, Context};
use clap::Args;
use samsyn_core::error::{Error, Problems};
use samsyn_core::indicators::sql::SqlDialect;
use samsyn_core::ingest::{Dialect, Flow, RecordSink, Row};
use samsyn_core::notebook::exec::prepare;

use crate::run::{pairs, OutputFolder};

#[derive(Args)]
pub struct SqlArgs {
    /// The notebook file (`*.samsyn.json`).
    notebook: PathBuf,
    /// The engine's SQL: duckdb, spark (3.4 or later) or postgres.
    #[arg(long)]
    dialect: String,
    /// A file of the table's data (only its header is read), e.g. `--header events=events.csv`:
    /// then the checks of columns that are not keys come along, and PostgreSQL can find exact
    /// duplicates.
    #[arg(long = "header", value_name = "NAME=FILE")]
    headers: Vec<String>,
    /// A parameter value, e.g. `--param kommun=2482` (conditions may depend on them).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Folder for one `NAME.sql` per source (made if missing); without it the queries are
    /// printed.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The header of a file: its first 64 KiB read by the reader `samsyn run` uses.
struct Header(Vec<String>);

impl RecordSink for Header {
    fn columns(&mut self, names: &[String], _dialect: &Dialect) -> Result<(), Error> {
        self.0 = names.to_vec();
        Ok(())
    }
    fn record(&mut self, _row: &Row<'_>, _problems: &mut Problems) -> Flow {
        Flow::Stop
    }
}

fn header_of(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .with_context(|| format!("{}", path.display()))?
        .take(64 * 1024)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}", path.display()))?;
    let mut h = Header(Vec::new());
    samsyn_core::ingest::read_bytes(
        &crate::read::file_name(path),
        &bytes,
        Default::default(),
        &mut h,
    )
    .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(h.0)
}

/// Runs `samsyn sql …`.
pub fn run(args: SqlArgs) -> anyhow::Result<()> {
    let dialect = SqlDialect::parse(&args.dialect).map_err(|e| anyhow!("--dialect: {e}"))?;
    let (nb, _) = crate::read::open_notebook(&args.notebook)?;
    let params = pairs(&args.params, "--param")?;
    let prepared = prepare(&nb, &params)?;
    let sources = prepared.compiled.source_names();
    let mut headers = Vec::new();
    for (name, path) in pairs(&args.headers, "--header")? {
        if !sources.contains(&name) {
            anyhow::bail!(
                "--header {name}: the notebook counts no rows of '{name}'; its sources are {}",
                sources.join(", ")
            );
        }
        headers.push((name, header_of(std::path::Path::new(&path))?));
    }
    let mut queries = Vec::new();
    for name in &sources {
        let header = headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, h)| h.as_slice());
        queries.push((name, prepared.aggregate_query(name, dialect, header)?));
    }
    match &args.out {
        Some(dir) => {
            let out = OutputFolder::new(dir, std::slice::from_ref(&args.notebook))?;
            for (name, q) in &queries {
                let path = out.write(&format!("{name}.sql"), q.as_bytes())?;
                eprintln!("wrote {}", path.display());
            }
            eprintln!(
                "run each query where its table is, save the result with its header, and finish with `samsyn run {} --aggregates NAME=FILE …`",
                args.notebook.display()
            );
        }
        None => {
            for (_, q) in &queries {
                println!("{q}");
            }
        }
    }
    Ok(())
}
