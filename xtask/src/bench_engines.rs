//! `cargo xtask bench engines [--rows N,N…] [--parts K]` (issue 14): the fall pack's aggregation
//! where the data is a folder of Parquet files, by `samsyn run --engine datafusion` and by DuckDB
//! running the query of `samsyn sql`, beside Samsyn's own streaming read of the CSV, each as a
//! whole process with its peak memory, at each size; and a check that DataFusion's tables are
//! Samsyn's. The Parquet files are written from the seeded sample as `cargo xtask sample-data
//! --format both` writes them (`parquet_parts.rs`).
//! Not part of `cargo xtask test`: figures depend on the machine.

use std::path::{Path, PathBuf};

use crate::bench_pack::{measure_process, python_env, sample_in, Measured};
use crate::{root, step, target_dir};

/// DuckDB's memory limit (it spills past it), about twice what the DataFusion executor's
/// parts need: both bounded, so the figures show memory as the rows grow.
const DUCKDB_MEMORY: &str = "2GiB";

const USAGE: &str = "usage: cargo xtask bench engines [--rows N,N…] [--parts K]
  --rows  event rows of the sample county, comma-separated (default 1000000,10000000)
  --parts Parquet files per table (default 8)";

/// `samsyn` with DataFusion, built with the `engines` profile (optimised, no fat LTO).
fn samsyn_with_datafusion() -> Result<PathBuf, String> {
    crate::run(
        "cargo",
        &[
            "build",
            "--quiet",
            "--profile",
            "engines",
            "-p",
            "samsyn-cli",
            "--features",
            "datafusion",
        ],
    )?;
    Ok(target_dir().join("engines").join("samsyn"))
}

/// Every table CSV in `dir`, each sorted by line.
fn tables(dir: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let p = e.map_err(|e| e.to_string())?.path();
        if p.extension().is_some_and(|x| x == "csv") {
            let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines.sort();
            out.push((p.display().to_string(), lines));
        }
    }
    out.sort();
    Ok(out)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut sizes = vec![1_000_000u64, 10_000_000];
    let mut parts = 8u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rows" => {
                sizes = it
                    .next()
                    .ok_or(USAGE)?
                    .split(',')
                    .map(|n| {
                        n.replace('_', "")
                            .parse::<u64>()
                            .map_err(|_| USAGE.to_owned())
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--parts" => {
                parts = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or(USAGE)?;
            }
            other => return Err(format!("unknown option '{other}'\n\n{USAGE}")),
        }
    }
    let py = python_env("bench-venv", &root().join("bench").join("requirements.txt"))?;
    let samsyn = samsyn_with_datafusion()?;
    let notebook = root().join("notebooks").join("bench_pack.samsyn.json");
    let mut lines = Vec::new();
    for rows in sizes {
        let dir = target_dir().join("bench-pack").join(format!("rows-{rows}"));
        sample_in(&dir, rows)?;
        let (events, population) = (dir.join("events.csv"), dir.join("population.csv"));
        let (ev_pq, pop_pq) = (dir.join("events-parquet"), dir.join("population-parquet"));
        crate::parquet_parts::write_table(&py, &events, &ev_pq, parts)?;
        crate::parquet_parts::write_table(&py, &population, &pop_pq, 1)?;
        let sql = dir.join("sql");
        crate::run(
            &samsyn.display().to_string(),
            &[
                "sql",
                &notebook.display().to_string(),
                "--dialect",
                "duckdb",
                "--header",
                &format!("events={}", events.display()),
                "--header",
                &format!("population={}", population.display()),
                "--out",
                &sql.display().to_string(),
            ],
        )?;
        step(&format!("{rows} rows: measuring"));
        let s = |p: &Path| p.display().to_string();
        let streaming_out = dir.join("out-samsyn");
        let df_out = dir.join("out-datafusion");
        let duck_out = dir.join("out-duckdb");
        let duck_finished = dir.join("out-duckdb-finished");
        for out in [&streaming_out, &df_out, &duck_out, &duck_finished] {
            let _ = std::fs::remove_dir_all(out);
        }
        let duckdb_args = |limit: Option<&str>, out: &Path| {
            let mut a = vec![
                s(&root().join("bench").join("engines_duckdb.py")),
                s(&sql),
                s(out),
            ];
            a.extend(limit.map(|l| format!("--memory-limit={l}")));
            a.push(format!("events={}", s(&ev_pq)));
            a.push(format!("population={}", s(&pop_pq)));
            a
        };
        let runs: Vec<(&str, PathBuf, Vec<String>)> = vec![
            (
                "samsyn run (CSV, streaming, 1 core)",
                samsyn.clone(),
                vec![
                    "run".into(),
                    s(&notebook),
                    "--data".into(),
                    format!("events={}", s(&events)),
                    "--data".into(),
                    format!("population={}", s(&population)),
                    "--out".into(),
                    s(&streaming_out),
                ],
            ),
            (
                "samsyn run --engine datafusion (Parquet)",
                samsyn.clone(),
                vec![
                    "run".into(),
                    s(&notebook),
                    "--engine".into(),
                    "datafusion".into(),
                    "--data".into(),
                    format!("events={}", s(&ev_pq)),
                    "--data".into(),
                    format!("population={}", s(&pop_pq)),
                    "--out".into(),
                    s(&df_out),
                ],
            ),
            (
                "DuckDB, the query of samsyn sql (Parquet, 2 GiB)",
                py.clone(),
                duckdb_args(Some(DUCKDB_MEMORY), &duck_out),
            ),
            (
                "DuckDB, the query of samsyn sql (Parquet, no limit)",
                py.clone(),
                duckdb_args(None, &duck_out),
            ),
            (
                "samsyn run --aggregates (DuckDB's tables)",
                samsyn.clone(),
                vec![
                    "run".into(),
                    s(&notebook),
                    "--aggregates".into(),
                    format!("events={}", s(&duck_out.join("events.csv"))),
                    "--aggregates".into(),
                    format!("population={}", s(&duck_out.join("population.csv"))),
                    "--out".into(),
                    s(&duck_finished),
                ],
            ),
        ];
        let mut failed = Vec::new();
        for (label, program, args) in runs {
            // DuckDB without a limit only when it failed within the limit.
            if label.ends_with("no limit)") && !failed.iter().any(|f: &&str| f.contains("2 GiB")) {
                continue;
            }
            let line = match measure_process(&program, &args) {
                Ok(Measured { seconds, peak_mb }) => format!(
                    "{rows:>11} rows  {label:<52} {seconds:>8.2} s  {:>9} MB",
                    peak_mb.map_or("?".into(), |m| format!("{m:.0}"))
                ),
                Err(e) => {
                    failed.push(label);
                    let why = e
                        .lines()
                        .rev()
                        .find(|l| l.contains("Error") || l.contains("error"));
                    format!(
                        "{rows:>11} rows  {label:<52} failed: {}",
                        why.unwrap_or("see above").trim()
                    )
                }
            };
            println!("{line}");
            lines.push(line);
        }
        let a = tables(&streaming_out)?;
        for (engine, out) in [("DataFusion", &df_out), ("DuckDB", &duck_finished)] {
            if !out.exists() {
                let line = format!("{rows:>11} rows  {engine}: no tables to compare (it failed)");
                println!("{line}");
                lines.push(line);
                continue;
            }
            let b = tables(out)?;
            let same = a.len() == b.len()
                && a.iter().zip(&b).all(|((_, x), (_, y))| x == y)
                && !a.is_empty();
            let check = format!(
                "{rows:>11} rows  {engine}: the {} tables are Samsyn's, line for line: {}",
                b.len(),
                if same { "yes" } else { "NO" }
            );
            println!("{check}");
            lines.push(check);
            if !same {
                return Err(format!(
                    "{rows} rows: {engine}'s tables differ from Samsyn's"
                ));
            }
        }
    }
    println!("\n{}", lines.join("\n"));
    Ok(())
}
