//! `samsyn`: Samsyn's engine on the command line. A thin shell: it reads files from disk in
//! chunks, hands them to `samsyn-core`, and prints or writes what comes back.

mod convert;
mod disclosure;
mod indicators;
mod inspect;
mod language;
mod read;
mod run;
mod sql;
mod stat;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use samsyn_core::counts::{CountPerKommun, KommunCounts};
use samsyn_core::ingest::ReadOptions;

#[derive(Parser)]
#[command(
    name = "samsyn",
    version,
    about = "Joint follow-up of good and close care: indicators from your own files, computed on your machine."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Rows per kommun in a CSV file (and the sum of its count or population column), with the
    /// problems found.
    Counts {
        /// The file to read (CSV, TSV or other delimited text).
        file: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Also print (to stderr) the time taken, throughput and peak memory.
        #[arg(long)]
        timing: bool,
    },
    /// Rates, shares, age-standardised rates and ratios per group, with confidence intervals.
    Stat(stat::StatArgs),
    /// What Samsyn sees in a file (CSV/TSV/text, Excel, PX, Parquet): dialect, columns with
    /// types and roles, rows, and every problem with its row and column.
    Inspect {
        file: PathBuf,
        /// The sheet of a workbook (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        text: inspect::TextArgs,
    },
    /// Every indicator of a notebook at every level, with traffic lights and the county
    /// read-out, as CSV files.
    Indicators(indicators::IndicatorArgs),
    /// Saves an older indicator spec as a notebook.
    Convert(convert::ConvertArgs),
    /// Runs a notebook on your files: each table as CSV and one self-contained HTML report.
    Run(run::RunArgs),
    /// Writes, per source of a notebook, the SQL query that makes its aggregated table where
    /// the data is (DuckDB, Spark, PostgreSQL), for `samsyn run --aggregates`.
    Sql(sql::SqlArgs),
}

/// Exit code when a file could not be read at all.
const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Counts { file, json, timing } => match timed(timing, || counts(&file)) {
            Ok(counts) => {
                let out = if json {
                    counts_json(&counts)
                } else {
                    counts_text(&counts)
                };
                print!("{out}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("samsyn: {e:#}");
                ExitCode::from(EXIT_UNREADABLE)
            }
        },
        Command::Stat(args) => match stat::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("samsyn: {e:#}");
                ExitCode::from(EXIT_UNREADABLE)
            }
        },
        Command::Inspect {
            file,
            sheet,
            json,
            text,
        } => inspect::run(&file, sheet, &text, json),
        Command::Indicators(args) => match indicators::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("samsyn: {e:#}");
                ExitCode::from(EXIT_UNREADABLE)
            }
        },
        Command::Convert(args) => match convert::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("samsyn: {e:#}");
                ExitCode::from(EXIT_UNREADABLE)
            }
        },
        Command::Sql(args) => match sql::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("samsyn: {e:#}");
                ExitCode::from(EXIT_UNREADABLE)
            }
        },
        Command::Run(args) => match run::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("samsyn: {e:#}");
                ExitCode::from(EXIT_UNREADABLE)
            }
        },
    }
}

/// Runs `f`, and with `show` prints its time, throughput and the process's peak memory.
fn timed(
    show: bool,
    f: impl FnOnce() -> anyhow::Result<KommunCounts>,
) -> anyhow::Result<KommunCounts> {
    let start = std::time::Instant::now();
    let result = f();
    if let (true, Ok(c)) = (show, &result) {
        let s = start.elapsed().as_secs_f64();
        let mb = c.stats.bytes as f64 / 1e6;
        eprintln!(
            "timing: {mb:.1} MB, {} rows in {s:.3} s: {:.1} MB/s, {:.0} rows/s; peak memory {}",
            c.stats.rows,
            mb / s,
            c.stats.rows as f64 / s,
            peak_memory()
                .map(|kb| format!("{:.1} MB", kb as f64 / 1e3))
                .unwrap_or_else(|| "unknown".into())
        );
    }
    result
}

/// The process's peak resident memory in kB (Linux), from /proc/self/status.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn counts(path: &Path) -> anyhow::Result<KommunCounts> {
    let mut plan = CountPerKommun::default();
    let outcome = read::read_path(path, ReadOptions::default(), &mut plan)?;
    Ok(plan.finish(outcome.stats, outcome.problems, outcome.source.dialect))
}

fn counts_text(c: &KommunCounts) -> String {
    let mut out = String::new();
    let sum_header = c
        .sum_column
        .as_deref()
        .map(|s| match c.sum_year {
            // A population is the latest year's, not the sum over years.
            Some(y) => format!("\t{s} {y}"),
            None => format!("\t{s}"),
        })
        .unwrap_or_default();
    out.push_str(&format!("kommun\tnamn\trows{sum_header}\n"));
    for r in c.rows() {
        let sum = r.sum.map(|s| format!("\t{s}")).unwrap_or_default();
        out.push_str(&format!(
            "{}\t{}\t{}{sum}\n",
            r.kommun,
            r.kommun_name.unwrap_or_default(),
            r.rows
        ));
    }
    out.push_str(&format!(
        "{} rows read, {} skipped, {} blank; {} problems\n",
        c.stats.rows, c.skipped_rows, c.stats.blank_rows, c.problems.total
    ));
    for p in &c.problems.kept {
        out.push_str(&format!("  {p}\n"));
    }
    if c.problems.not_kept() > 0 {
        out.push_str(&format!("  … and {} more\n", c.problems.not_kept()));
    }
    out
}

fn counts_json(c: &KommunCounts) -> String {
    let value = serde_json::json!({
        "rows": c.stats.rows,
        "skipped_rows": c.skipped_rows,
        "blank_rows": c.stats.blank_rows,
        "kommun_column": c.kommun_column,
        "sum_column": c.sum_column,
        "sum_year": c.sum_year,
        "dialect": c.dialect,
        "counts": c.rows(),
        "problems": c.problems.kept.iter().map(|p| serde_json::json!({
            "row": p.location.row, "column": p.location.column, "severity": p.severity, "message": p.message,
        })).collect::<Vec<_>>(),
        "problems_total": c.problems.total,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
