//! `samsyn`: Samsyn's engine on the command line. A thin shell: it reads files from disk in
//! chunks, hands them to `samsyn-core`, and prints or writes what comes back.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod inspect;

use clap::{Parser, Subcommand};
use samsyn_core::counts::{CountPerKommun, KommunCounts};
use samsyn_core::ingest::{DialectOverrides, TextReader};

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
    },
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
}

/// Exit code when a file could not be read at all.
const EXIT_UNREADABLE: u8 = 2;
/// Size of the chunks a file is read in.
const CHUNK_BYTES: usize = 1 << 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Counts { file, json } => match counts(&file) {
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
        Command::Inspect {
            file,
            sheet,
            json,
            text,
        } => inspect::run(&file, sheet, &text, json),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn counts(path: &Path) -> anyhow::Result<KommunCounts> {
    let name = file_name(path);
    let mut file = File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut plan = CountPerKommun::default();
    let mut reader = TextReader::new(&name, DialectOverrides::default());
    let mut buf = vec![0u8; CHUNK_BYTES];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        reader
            .push(&buf[..n], &mut plan)
            .map_err(|e| samsyn_core::counts::with_file(e, &name))?;
    }
    let (stats, problems, dialect) = reader
        .finish(&mut plan)
        .map_err(|e| samsyn_core::counts::with_file(e, &name))?;
    Ok(plan.finish(stats, problems, dialect))
}

fn counts_text(c: &KommunCounts) -> String {
    let mut out = String::new();
    let sum_header = c
        .sum_column
        .as_deref()
        .map(|s| format!("\t{s}"))
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
