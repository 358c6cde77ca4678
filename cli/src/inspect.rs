//! `samsyn inspect FILE`: what Samsyn sees in a file (format, dialect, columns with types and
//! roles, rows, problems), read in chunks and handed to core's `Inspect` plan.

use std::path::Path;
use std::process::ExitCode;

use samsyn_core::ingest::dialect::parse_delimiter;
use samsyn_core::ingest::{Decimal, DialectOverrides, ReadOptions, TextEncoding};
use samsyn_core::inspect::{Inspect, Inspection};

use crate::EXIT_UNREADABLE;

/// How to read delimited text, where the guess is wrong.
#[derive(clap::Args, Debug, Default)]
pub struct TextArgs {
    /// Delimiter: , ; | or tab.
    #[arg(long)]
    delimiter: Option<String>,
    /// Encoding: utf-8, windows-1252 (latin1), utf-16le, utf-16be.
    #[arg(long)]
    encoding: Option<String>,
    /// Decimal separator: , or .
    #[arg(long)]
    decimal: Option<String>,
    /// Whether the first row holds the column names: yes or no.
    #[arg(long)]
    header: Option<String>,
}

impl TextArgs {
    fn overrides(&self) -> anyhow::Result<DialectOverrides> {
        let bad =
            |what: &str, v: &str, want: &str| anyhow::anyhow!("--{what} {v}: expected {want}");
        Ok(DialectOverrides {
            delimiter: self
                .delimiter
                .as_deref()
                .map(|d| parse_delimiter(d).ok_or_else(|| bad("delimiter", d, ", ; | or tab")))
                .transpose()?,
            encoding: self
                .encoding
                .as_deref()
                .map(|e| {
                    TextEncoding::from_label(e).ok_or_else(|| {
                        bad("encoding", e, "utf-8, windows-1252, utf-16le or utf-16be")
                    })
                })
                .transpose()?,
            decimal: self
                .decimal
                .as_deref()
                .map(|d| Decimal::from_label(d).ok_or_else(|| bad("decimal", d, ", or .")))
                .transpose()?,
            has_header: self
                .header
                .as_deref()
                .map(|h| match h.to_ascii_lowercase().as_str() {
                    "yes" | "ja" | "true" => Ok(true),
                    "no" | "nej" | "false" => Ok(false),
                    _ => Err(bad("header", h, "yes or no")),
                })
                .transpose()?,
            quote: None,
        })
    }
}

/// Runs the subcommand; exit 0 when the file was read (even with problems), 2 when it was not.
pub fn run(path: &Path, sheet: Option<String>, text_args: &TextArgs, json: bool) -> ExitCode {
    match inspect(path, sheet, text_args) {
        Ok(inspection) => {
            if json {
                let mut s = serde_json::to_string_pretty(&inspection.summary()).unwrap_or_default();
                s.push('\n');
                print!("{s}");
            } else {
                print!("{}", text(&inspection));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("samsyn: {e:#}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}

fn inspect(path: &Path, sheet: Option<String>, text_args: &TextArgs) -> anyhow::Result<Inspection> {
    let name = crate::read::file_name(path);
    let options = ReadOptions {
        sheet,
        text: text_args.overrides()?,
        ..ReadOptions::default()
    };
    let mut plan = Inspect::default();
    let outcome = crate::read::read_path(path, options, &mut plan)?;
    Ok(plan.finish(&name, outcome))
}

fn text(i: &Inspection) -> String {
    let s = i.summary();
    let d = &s.dialect;
    let mut out = String::new();
    let format = serde_json::to_value(d.format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    out.push_str(&format!("format: {format}"));
    if let Some(delimiter) = d.delimiter {
        let shown = if delimiter == "\t" { "tab" } else { delimiter };
        out.push_str(&format!(
            ", delimiter '{shown}', decimal '{}', encoding {}",
            d.decimal.unwrap_or("."),
            d.encoding.unwrap_or("?")
        ));
    }
    out.push_str(if d.header {
        ", header row"
    } else {
        ", no header row"
    });
    if let Some(sheet) = &d.sheet {
        out.push_str(&format!(", sheet '{sheet}' of {}", s.sheets.join(", ")));
    }
    out.push('\n');
    out.push_str("column\ttype\trole\tmissing\tdistinct\tmin\tmax\n");
    for c in &s.columns {
        let role = c.role.map(|r| r.key()).unwrap_or("-");
        let ty = match c.date_format {
            Some(f) => format!(
                "date ({})",
                serde_json::to_value(f)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ),
            None => c.column_type.name().to_owned(),
        };
        out.push_str(&format!(
            "{}\t{ty}\t{role}\t{}\t{}\t{}\t{}\n",
            c.name,
            c.missing,
            c.distinct,
            c.min.as_deref().unwrap_or(""),
            c.max.as_deref().unwrap_or("")
        ));
    }
    out.push_str(&format!(
        "{} rows read, {} skipped, {} blank; {} problems\n",
        s.rows, s.skipped_rows, s.blank_rows, s.problems_total
    ));
    for p in &i.problems.kept {
        out.push_str(&format!("  {p}\n"));
    }
    if i.problems.not_kept() > 0 {
        out.push_str(&format!("  … and {} more\n", i.problems.not_kept()));
    }
    out
}
