//! `samsyn run NOTEBOOK --data NAME=FILE … --out DIR [--param key=value …] [--snapshot FILE]
//! [--language sv|en]`:
//! runs a notebook (or an older indicator spec, converted) on the user's files and writes each table as CSV and one self-contained
//! HTML report (`report.html`). A thin shell: files are streamed into the core's plans; the
//! core runs the notebook and renders the report.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use clap::Args;
use samsyn_core::ingest::ranges::MergeRanges;
use samsyn_core::notebook::exec::prepare_with;
use samsyn_core::notebook::snapshot;
use samsyn_core::notebook::{report, CellOutput, Input, Session};
use samsyn_core::stats::disclosure::{Protection, DEFAULT_FLOOR};

#[derive(Args)]
pub struct RunArgs {
    /// The notebook file (`*.samsyn.json`).
    notebook: PathBuf,
    /// An input of the notebook and its file, e.g. `--data events=events.csv`.
    #[arg(long = "data", value_name = "NAME=FILE")]
    data: Vec<String>,
    /// An input given as the aggregated table the query of `samsyn sql` made of it where the
    /// data is (CSV with its header), e.g. `--aggregates events=events_agg.csv`.
    #[arg(long = "aggregates", value_name = "NAME=FILE")]
    aggregates: Vec<String>,
    /// Who reads the sources given with --data: `samsyn` (this process, streaming), or
    /// `datafusion` (Apache DataFusion on every core, spilling to disk: a file, a folder or a
    /// glob of CSV or Parquet files larger than memory; needs a samsyn built with the
    /// `datafusion` feature).
    #[arg(long, default_value = "samsyn", value_name = "ENGINE")]
    engine: String,
    /// Threads reading one large text file (`samsyn` engine): the file is cut at line ends
    /// and the parts read at once, with the same result as one thread, bit for bit. Default:
    /// the machine's cores (at most 8); 1 reads every file in one pass.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// A parameter value, e.g. `--param kommun=2482`.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Folder for report.html and the tables' CSV files (made if missing).
    #[arg(long, default_value = "rapport")]
    out: PathBuf,
    /// Also save a copy of the notebook with an aggregated, suppressed result snapshot here.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    /// Your small-count floor: counts from 1 to this − 1 are hidden in everything written
    /// (report, CSV, snapshot), with complementary suppression. A notebook can raise it, never
    /// lower it.
    #[arg(long, default_value_t = DEFAULT_FLOOR, value_name = "N")]
    disclosure_threshold: f64,
    /// Switch small-count protection off, for your own use only: the report then says on every
    /// page that it is not protected. Not allowed with --snapshot.
    #[arg(long)]
    no_disclosure_control: bool,
    #[command(flatten)]
    language: crate::language::LanguageArgs,
}

pub(crate) fn pairs(items: &[String], flag: &str) -> anyhow::Result<Vec<(String, String)>> {
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
    let (nb, converted) = crate::read::open_notebook(&args.notebook)?;
    let files = pairs(&args.data, "--data")?;
    let aggregates = pairs(&args.aggregates, "--aggregates")?;
    let params = pairs(&args.params, "--param")?;
    let protection = if args.no_disclosure_control {
        if args.snapshot.is_some() {
            bail!("--snapshot saves results to share, so it cannot be combined with --no-disclosure-control");
        }
        Protection::off()
    } else {
        Protection::at(args.disclosure_threshold)
            .map_err(|e| anyhow!("--disclosure-threshold: {e}"))?
    };
    let mut prepared = prepare_with(&nb, &params, protection)?;
    prepared.language = args.language.language();
    let mut inputs = Vec::new();
    let mut input_paths = vec![args.notebook.clone()];
    let names = prepared.input_names();
    let threads = match args.threads {
        Some(0) => bail!("--threads: give 1 or more"),
        Some(n) => n,
        None => crate::read::default_threads(),
    };
    let engine = Engine::new(&args.engine, threads)?;
    for (name, _) in files.iter().chain(&aggregates) {
        if !names.contains(name) {
            bail!(
                "the notebook has no input '{name}'; its inputs are {}",
                names.join(", ")
            );
        }
    }
    for name in names {
        let file = files.iter().find(|(n, _)| *n == name);
        let table = aggregates.iter().find(|(n, _)| *n == name);
        let input = match (file, table) {
            (Some(_), Some(_)) => {
                bail!("the input '{name}' is given both with --data and --aggregates; give one")
            }
            (Some((_, path)), None) => {
                input_paths.push(PathBuf::from(path));
                engine.read(&prepared, &name, path)?
            }
            (None, Some((_, path))) => {
                input_paths.push(PathBuf::from(path));
                read_aggregates(&prepared, &name, Path::new(path))?
            }
            (None, None) => {
                bail!("no file for the input '{name}'; give it as --data {name}=FILE")
            }
        };
        inputs.push(input);
    }
    let results = Session::default().run(&prepared, &inputs)?;
    let out = OutputFolder::new(&args.out, &input_paths)?;
    let mut tables = 0;
    for (id, cell) in &results.cells {
        match &**cell {
            CellOutput::Table(t) => {
                // The file is named by the cell id, checked when the notebook was opened.
                out.write(&format!("{id}.csv"), t.csv.as_bytes())?;
                tables += 1;
            }
            CellOutput::Error { message, .. } => {
                eprintln!("samsyn: a cell could not run: {message}")
            }
            _ => {}
        }
    }
    let html = report::render_made(
        &results,
        env!("CARGO_PKG_VERSION"),
        report::MadeIn::CommandLine,
    );
    let report_path = out.write("report.html", html.as_bytes())?;
    if results.protected {
        eprintln!(
            "disclosure control at {}: {} rows hidden for small counts, {} more so that none can be recomputed",
            prepared.disclosure_threshold, results.suppression.primary, results.suppression.secondary
        );
    } else {
        eprintln!("samsyn: WARNING: disclosure control is off; small counts are shown. The report and CSV files are for your own use only: do not share them.");
    }
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
        with.snapshot = Some(snapshot::take(&nb, &results, prepared.disclosure_threshold));
        refuse_inputs(path, &input_paths)?;
        refuse_link(path)?;
        std::fs::write(path, with.save()).with_context(|| format!("{}", path.display()))?;
        eprintln!(
            "wrote the notebook with a suppressed result snapshot to {}",
            path.display()
        );
    }
    if converted {
        eprintln!("{}", crate::read::converted_note(&args.notebook));
    }
    Ok(())
}

/// Streams one file into its input plan. The fingerprint is the file's name, size, time and
/// ends (`samsyn_core::hashing::file_fingerprint`).
fn read_input(
    prepared: &samsyn_core::notebook::Prepared,
    name: &str,
    path: &Path,
    threads: usize,
) -> anyhow::Result<Input> {
    let options = prepared.read_options(name);
    let parts = crate::read::parts_for(path, threads);
    if parts > 1 && prepared.input_plan(name).splittable() {
        let plans = (0..parts).map(|_| prepared.input_plan(name)).collect();
        if let Some((plan, outcome)) =
            crate::read::read_path_in_ranges(path, options.clone(), plans)?
        {
            return Ok(plan.finish(
                &crate::read::file_name(path),
                fingerprint(path),
                outcome.stats,
                outcome.problems,
            ));
        }
    }
    let mut plan = prepared.input_plan(name);
    let outcome = crate::read::read_path(path, options, &mut plan)?;
    Ok(plan.finish(
        &crate::read::file_name(path),
        fingerprint(path),
        outcome.stats,
        outcome.problems,
    ))
}

/// Who reads the sources given with --data.
enum Engine {
    /// This process, with this many threads for one large text file.
    Samsyn(usize),
    #[cfg(feature = "datafusion")]
    DataFusion {
        runtime: tokio::runtime::Runtime,
        ctx: samsyn_datafusion::SessionContext,
    },
}

impl Engine {
    fn new(name: &str, threads: usize) -> anyhow::Result<Engine> {
        match name {
            "samsyn" => Ok(Engine::Samsyn(threads)),
            #[cfg(feature = "datafusion")]
            "datafusion" => Ok(Engine::DataFusion {
                runtime: tokio::runtime::Runtime::new()
                    .context("--engine datafusion: cannot start its threads")?,
                ctx: samsyn_datafusion::context()
                    .map_err(|e| anyhow!("--engine datafusion: {e}"))?,
            }),
            #[cfg(not(feature = "datafusion"))]
            "datafusion" => bail!(
                "--engine datafusion: this samsyn was built without DataFusion; build it with `cargo build --release -p samsyn-cli --features datafusion`"
            ),
            other => bail!("--engine '{other}': write samsyn or datafusion"),
        }
    }

    /// Input `name` of `prepared` from `path` (a file; for DataFusion also a folder or glob).
    fn read(
        &self,
        prepared: &samsyn_core::notebook::Prepared,
        name: &str,
        path: &str,
    ) -> anyhow::Result<Input> {
        match self {
            Engine::Samsyn(threads) => read_input(prepared, name, Path::new(path), *threads),
            #[cfg(feature = "datafusion")]
            Engine::DataFusion { runtime, ctx } => {
                // Mapping files are small and need their own rows: Samsyn reads them.
                if !prepared.compiled.source_names().iter().any(|s| s == name)
                    || prepared.aggregate_plan(name).is_err()
                {
                    return read_input(prepared, name, Path::new(path), 1);
                }
                let delimiter = prepared.read_options(name).text.delimiter.unwrap_or(b',');
                let location = samsyn_datafusion::Location::guess(path, delimiter);
                runtime
                    .block_on(samsyn_datafusion::aggregate(ctx, prepared, name, &location))
                    .map_err(|e| anyhow!("{e}"))
            }
        }
    }
}

/// Reads the aggregated table of one input (`samsyn sql`'s query run where the data is): its
/// groups are checked and counted as the source's rows would be.
fn read_aggregates(
    prepared: &samsyn_core::notebook::Prepared,
    name: &str,
    path: &Path,
) -> anyhow::Result<Input> {
    let mut plan = prepared.aggregate_plan(name)?;
    // The table is written by the engine (a comma, a header), not as the data cell's file;
    // its values are the source's, so their decimal mark is the data cell's.
    let mut options = samsyn_core::ingest::ReadOptions::default();
    options.text.decimal = prepared.read_options(name).text.decimal;
    let outcome = crate::read::read_path(path, options, &mut plan)?;
    Ok(plan.finish(
        &crate::read::file_name(path),
        fingerprint(path),
        outcome.stats,
        outcome.problems,
    ))
}

fn fingerprint(path: &Path) -> u64 {
    use samsyn_core::hashing::{file_fingerprint, FINGERPRINT_CHUNK};
    use std::io::{Read, Seek, SeekFrom};
    let meta = std::fs::metadata(path).ok();
    let size = meta.as_ref().map_or(0, |m| m.len());
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as u64);
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = (&mut f)
            .take(FINGERPRINT_CHUNK as u64)
            .read_to_end(&mut head);
        if f.seek(SeekFrom::End(-(size.min(FINGERPRINT_CHUNK as u64) as i64)))
            .is_ok()
        {
            let _ = f.read_to_end(&mut tail);
        }
    }
    file_fingerprint(&path.to_string_lossy(), size, modified, &head, &tail)
}

/// The folder `samsyn run` writes into. Samsyn names every file in it (`report.html`,
/// `<cell id>.csv`); nothing is written outside it, through a symbolic link, or over a file
/// that was read as input.
pub(crate) struct OutputFolder {
    dir: PathBuf,
    inputs: Vec<PathBuf>,
}

impl OutputFolder {
    pub(crate) fn new(dir: &Path, inputs: &[PathBuf]) -> anyhow::Result<OutputFolder> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot make the folder", dir.display()))?;
        Ok(OutputFolder {
            dir: dir.to_path_buf(),
            inputs: inputs.to_vec(),
        })
    }

    /// Writes `name` (one path component, made by Samsyn) in the folder.
    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
        let plain = Path::new(name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
            && Path::new(name).components().count() == 1;
        if !plain {
            bail!(
                "refusing to write '{name}': an output file name must be a plain name inside --out"
            );
        }
        let path = self.dir.join(name);
        refuse_link(&path)?;
        refuse_inputs(&path, &self.inputs)?;
        std::fs::write(&path, bytes).with_context(|| format!("{}", path.display()))?;
        Ok(path)
    }
}

/// Never write through a symbolic link (it could point anywhere).
fn refuse_link(path: &Path) -> anyhow::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!(
            "{}: is a symbolic link; samsyn does not write through links. Remove it or choose another --out",
            path.display()
        );
    }
    Ok(())
}

/// Never overwrite a file that was read (the notebook or a --data file).
fn refuse_inputs(path: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let Ok(target) = std::fs::canonicalize(path) else {
        return Ok(()); // does not exist yet
    };
    if inputs
        .iter()
        .filter_map(|i| std::fs::canonicalize(i).ok())
        .any(|i| i == target)
    {
        bail!(
            "{}: is one of the files read by this run; samsyn never overwrites its input. Choose another --out",
            path.display()
        );
    }
    Ok(())
}
