//! `cargo xtask sample-data … --format parquet|both [--partitions K]` (issue 14): the sample's
//! large tables (`events`, `population`, `survey`) as folders `NAME-parquet/` of Parquet files,
//! as a data lake holds a table: the events in K files of about equal size, the others in one.
//! Each part is cut from the CSV at line ends and written by DuckDB (`bench/to_parquet.py`,
//! every column as text, as Samsyn reads them), one part at a time, so the disk holds one CSV
//! part beside the Parquet files. `parquet` then removes the CSV files, `both` keeps them.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::bench_pack::python_env;
use crate::{root, step};

/// The tables written as Parquet, and whether they are split into the K parts.
const TABLES: [(&str, bool); 3] = [("events", true), ("population", false), ("survey", false)];

/// The options `cargo xtask sample-data` takes here; the others go to the generator.
pub struct Options {
    pub format: Format,
    pub partitions: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Parquet,
    Both,
}

/// Takes `--format` and `--partitions` out of `args`.
pub fn take_options(args: &[String]) -> Result<(Options, Vec<String>), String> {
    let mut options = Options {
        format: Format::Csv,
        partitions: 8,
    };
    let mut partitions = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => {
                options.format = match it.next().map(String::as_str) {
                    Some("csv") => Format::Csv,
                    Some("parquet") => Format::Parquet,
                    Some("both") => Format::Both,
                    other => {
                        return Err(format!(
                            "--format takes csv, parquet or both, not {}",
                            other.unwrap_or("nothing")
                        ))
                    }
                }
            }
            "--partitions" => {
                partitions = Some(
                    it.next()
                        .and_then(|v| v.replace('_', "").parse::<u64>().ok())
                        .filter(|k| (1..=10_000).contains(k))
                        .ok_or("--partitions takes a whole number from 1 to 10 000")?,
                );
            }
            _ => rest.push(a.clone()),
        }
    }
    if let Some(k) = partitions {
        if options.format == Format::Csv {
            return Err("--partitions is for --format parquet or both".into());
        }
        options.partitions = k;
    }
    if options.format != Format::Csv && has_bad_rows(&rest) {
        return Err("--bad-rows writes rows of the wrong shape and bytes that are not UTF-8, which a Parquet table cannot hold: use --bad-rows with --format csv".into());
    }
    Ok((options, rest))
}

fn has_bad_rows(args: &[String]) -> bool {
    args.windows(2)
        .any(|w| w[0] == "--bad-rows" && w[1].replace('_', "").parse::<u64>().is_ok_and(|n| n > 0))
}

/// The generator's output folder in `args` (its `--out`, else `sample-data/`).
pub fn out_dir(args: &[String]) -> PathBuf {
    args.windows(2)
        .find(|w| w[0] == "--out")
        .map_or_else(|| root().join("sample-data"), |w| PathBuf::from(&w[1]))
}

/// Writes the Parquet folders of the sample in `dir`.
pub fn write(dir: &Path, options: &Options) -> Result<(), String> {
    if options.format == Format::Csv {
        return Ok(());
    }
    let py = python_env("bench-venv", &root().join("bench").join("requirements.txt"))?;
    for (table, split) in TABLES {
        let csv = dir.join(format!("{table}.csv"));
        let parts = if split { options.partitions } else { 1 };
        // The CSV was just written: a folder from an earlier run is stale.
        let out = dir.join(format!("{table}-parquet"));
        let _ = std::fs::remove_dir_all(&out);
        write_table(&py, &csv, &out, parts)?;
        if options.format == Format::Parquet {
            std::fs::remove_file(&csv).map_err(|e| format!("{}: {e}", csv.display()))?;
        }
    }
    let readme = dir.join("README.md");
    let mut text = std::fs::read_to_string(&readme).unwrap_or_default();
    text.push_str(&format!(
        "\n## As Parquet (`--format {}`)\n\n`events-parquet/` holds `events.csv` in {} Parquet \
         files of about equal size, `population-parquet/` and `survey-parquet/` the others in one \
         each: the same rows, every column as text{}. Give a folder to `samsyn run --engine \
         datafusion --data events=events-parquet …`.\n",
        if options.format == Format::Both {
            "both"
        } else {
            "parquet"
        },
        options.partitions,
        if options.format == Format::Both {
            ", beside the CSV files"
        } else {
            "; the CSV files of these three tables are not kept"
        }
    ));
    std::fs::write(&readme, text).map_err(|e| format!("{}: {e}", readme.display()))
}

/// Writes `csv` as `parts` Parquet files `part-NNN.parquet` in `out`, each from about an equal
/// share of its bytes, cut at line ends (the sample has no line break inside a field). A file
/// `.parts-K` marks a finished folder, which is kept as it is.
pub fn write_table(py: &Path, csv: &Path, out: &Path, parts: u64) -> Result<(), String> {
    let stamp = out.join(format!(".parts-{parts}"));
    if stamp.exists() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    step(&format!(
        "Writing {} as {parts} Parquet file(s) in {}",
        csv.display(),
        out.display()
    ));
    let err = |e: std::io::Error| format!("{}: {e}", csv.display());
    let size = std::fs::metadata(csv).map_err(err)?.len();
    let mut reader = BufReader::with_capacity(1 << 20, File::open(csv).map_err(err)?);
    let mut header = Vec::new();
    reader.read_until(b'\n', &mut header).map_err(err)?;
    let script = root().join("bench").join("to_parquet.py");
    let mut line = Vec::new();
    let mut read = header.len() as u64;
    for part in 0..parts {
        let end = size * (part + 1) / parts;
        let part_csv = out.join(format!("part-{part:03}.csv"));
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&part_csv).map_err(err)?);
        w.write_all(&header).map_err(err)?;
        while read < end || part + 1 == parts {
            line.clear();
            let n = reader.read_until(b'\n', &mut line).map_err(err)?;
            if n == 0 {
                break;
            }
            read += n as u64;
            w.write_all(&line).map_err(err)?;
        }
        w.flush().map_err(err)?;
        drop(w);
        let parquet = out.join(format!("part-{part:03}.parquet"));
        crate::run(
            &py.display().to_string(),
            &[
                &script.display().to_string(),
                &part_csv.display().to_string(),
                &parquet.display().to_string(),
            ],
        )?;
        std::fs::remove_file(&part_csv).map_err(err)?;
    }
    std::fs::write(&stamp, "").map_err(|e| format!("{}: {e}", stamp.display()))
}
