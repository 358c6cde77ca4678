//! Issue 14, "the same numbers beyond one machine": for every example notebook, on the seeded
//! sample county clean and with injected bad rows, the queries `samsyn sql --dialect duckdb`
//! writes, run by DuckDB (the Python package) on the same files, give aggregated tables from
//! which `samsyn run --aggregates` computes every unit row's numbers as a read of the files
//! themselves does (to 1e-9), and the same rows refused by reason.
//!
//! Needs a Python with `duckdb` in `SAMSYN_PYTHON`: `cargo xtask test` makes one
//! (bench/requirements.txt) and runs this test with `--ignored`; plain `cargo test` lists it as
//! ignored rather than passing it without DuckDB.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use samsyn_core::ingest::{read_bytes, ReadOptions};
use samsyn_core::notebook::exec::{prepare, Input, NotebookResults, Session};

mod common;
use common::{assert_same, file_of, root, rows_of};

const ROWS: u64 = 20_000;
const SEED: u64 = 11;
const NOTEBOOKS: [&str; 6] = [
    "falls",
    "county_lights",
    "dialogue_health_centre",
    "framework",
    "elderly_and_access",
    "bench_pack",
];

/// The rows of the notebook's results sorted (the order of units follows the order rows are
/// met, which a grouped table does not keep).
fn sorted_rows(r: &NotebookResults) -> String {
    let rows = rows_of(r);
    let mut lines: Vec<&str> = rows.lines().collect();
    let header = lines.remove(0);
    lines.sort_unstable();
    format!("{header}\n{}\n", lines.join("\n"))
}

/// Per input: rows read, used, and refused per reason, leaving out the refused rows of
/// `left_out` (input name, rows) and every blank row: lines DuckDB's loader left out.
fn ledgers(inputs: &[Input], left_out: &[(String, Vec<u64>)]) -> Vec<String> {
    inputs
        .iter()
        .map(|i| {
            let r = &i.source.rows;
            let none = Vec::new();
            let out = left_out
                .iter()
                .find(|(n, _)| *n == i.source.name)
                .map_or(&none, |(_, rows)| rows);
            let mut refused = r.refused.clone();
            let mut read = r.read;
            if !left_out.is_empty() {
                assert_eq!(
                    r.refused_rows.len() as u64,
                    r.refused_total(),
                    "{}: every refused row of a file is listed",
                    i.source.name
                );
            }
            for (row, reason) in &r.refused_rows {
                if out.contains(row) || *reason == samsyn_core::row_checks::Refusal::Blank {
                    *refused.get_mut(reason).unwrap() -= 1;
                    read -= 1;
                }
            }
            let mut refused: Vec<String> = refused
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(reason, n)| format!("{reason}: {n}"))
                .collect();
            refused.sort();
            format!(
                "{}: read {read}, used {}; {}",
                i.source.name,
                r.used,
                refused.join("; ")
            )
        })
        .collect()
}

fn python() -> String {
    std::env::var("SAMSYN_PYTHON").expect(
        "SAMSYN_PYTHON must name a Python with duckdb (cargo xtask test makes one and sets it)",
    )
}

/// `samsyn sql` for the notebook, then DuckDB on the sample files: the aggregated tables, and
/// per source the lines DuckDB's loader left out.
fn aggregate(
    name: &str,
    path: &Path,
    sources: &[String],
    data: &Path,
    work: &Path,
) -> (PathBuf, Vec<(String, Vec<u64>)>) {
    let queries = work.join(format!("{name}-sql"));
    let mut cmd = Command::cargo_bin("samsyn").unwrap();
    cmd.arg("sql")
        .arg(path)
        .args(["--dialect", "duckdb", "--out"])
        .arg(&queries);
    for s in sources {
        cmd.arg("--header")
            .arg(format!("{s}={}", data.join(file_of(s)).display()));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "samsyn sql {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tables = work.join(format!("{name}-aggregates"));
    let out = Process::new(python())
        .arg(root().join("tests/sql/run_duckdb.py"))
        .arg(&queries)
        .arg(&tables)
        .args(
            sources
                .iter()
                .map(|s| format!("{s}={}", data.join(file_of(s)).display())),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "DuckDB on the queries of {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rejected = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("rejected "))
        .map(|l| {
            let (name, lines) = l.split_once(' ').unwrap_or((l, ""));
            let rows = lines.split(',').filter_map(|n| n.parse().ok()).collect();
            (name.to_owned(), rows)
        })
        .collect();
    (tables, rejected)
}

fn check_notebook(name: &str, data: &Path, bad_rows: bool) {
    let path = common::notebook_path(name);
    let prepared = prepare(&common::notebook(name), &[]).unwrap();
    let sources = prepared.compiled.source_names();
    assert!(!sources.is_empty(), "{name} counts no source");
    let direct = common::sample_inputs(&prepared, data);
    let (tables, rejected) = aggregate(name, &path, &sources, data, data);
    let grouped: Vec<Input> = prepared
        .input_names()
        .iter()
        .map(|input| {
            if !sources.contains(input) {
                return common::sample_input(&prepared, input, data);
            }
            let file = format!("{input}.csv");
            let bytes = std::fs::read(tables.join(&file)).unwrap();
            let mut plan = prepared.aggregate_plan(input).unwrap();
            let outcome = read_bytes(&file, &bytes, ReadOptions::default(), &mut plan).unwrap();
            plan.finish(&file, 0, outcome.stats, outcome.problems)
        })
        .collect();
    let what = format!("{name} ({})", if bad_rows { "bad rows" } else { "clean" });
    // Every row accounted for the same way, but for the lines DuckDB's loader left out.
    assert_eq!(
        ledgers(&grouped, &[]),
        ledgers(&direct, &rejected),
        "{what}: rows read, used and refused by reason"
    );
    if bad_rows {
        assert!(
            rejected.iter().any(|(_, rows)| !rows.is_empty()),
            "{what}: DuckDB's loader left out the ragged lines"
        );
        assert!(
            grouped.iter().any(|i| i.source.rows.refused_total() >= 10),
            "{what}: the bad values are refused from the groups too"
        );
    }
    let expected = Session::default().run(&prepared, &direct).unwrap();
    let actual = Session::default().run(&prepared, &grouped).unwrap();
    let (e, a) = (sorted_rows(&expected), sorted_rows(&actual));
    assert!(e.lines().count() > 10, "{what}: too few rows to compare");
    assert_same(&what, &e, &a, 1e-9);
}

#[test]
#[ignore = "needs DuckDB: cargo xtask test runs it with SAMSYN_PYTHON set"]
fn duckdb_aggregates_give_every_example_notebooks_numbers() {
    let clean = common::sample_with("sql-clean", SEED, ROWS, 0);
    let bad = common::sample_with("sql-bad", SEED, ROWS, 40);
    for name in NOTEBOOKS {
        check_notebook(name, &clean, false);
        check_notebook(name, &bad, true);
    }
}

#[test]
fn a_malformed_aggregated_table_is_refused_by_name() {
    let path = common::notebook_path("falls");
    let dir = common::sample_with("sql-malformed", SEED, 200, 0);
    let table = dir.join("events_agg.csv");
    std::fs::write(&table, "deso,date,sex,age\n2480C1010,2024-03,K,80\n").unwrap();
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("run")
        .arg(&path)
        .arg("--aggregates")
        .arg(format!("events={}", table.display()))
        .arg("--data")
        .arg(format!(
            "population={}",
            dir.join("population.csv").display()
        ))
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the column 'samsyn_rows' of an aggregated table of 'events' (the result of the query `samsyn sql` writes)"),
        "{err}"
    );
}
