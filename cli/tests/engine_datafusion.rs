//! `samsyn run --engine datafusion` (issue 14, built with the `datafusion` feature): the same
//! tables as `--engine samsyn` on the same files, and a clear message for a file DataFusion's
//! CSV reader cannot take. Run by `cargo xtask test` as
//! `cargo test -p samsyn-cli --features datafusion --test engine_datafusion`.
#![cfg(feature = "datafusion")]

use std::path::Path;

use assert_cmd::Command;

mod common;

fn run(engine: &str, events: &Path, population: &Path, out: &Path) -> (bool, String) {
    let o = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("run")
        .arg(common::notebook_path("falls"))
        .args(["--engine", engine])
        .arg("--data")
        .arg(format!("events={}", events.display()))
        .arg("--data")
        .arg(format!("population={}", population.display()))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every table CSV of a run folder, each sorted by line (units come in the order rows are met).
fn tables(dir: &Path) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines.sort();
            (p.file_name().unwrap().to_string_lossy().into_owned(), lines)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn datafusion_writes_the_tables_samsyn_writes() {
    let data = common::sample_with("engine-datafusion", 17, 5_000, 0);
    let (events, population) = (data.join("events.csv"), data.join("population.csv"));
    let (ok, err) = run("samsyn", &events, &population, &data.join("samsyn"));
    assert!(ok, "{err}");
    let (ok, err) = run("datafusion", &events, &population, &data.join("datafusion"));
    assert!(ok, "{err}");
    assert!(err.contains("events: events.csv (DataFusion) ("), "{err}");
    let (a, b) = (
        tables(&data.join("samsyn")),
        tables(&data.join("datafusion")),
    );
    assert!(a.len() > 5, "{a:?}");
    assert_eq!(a, b);
}

#[test]
fn a_ragged_csv_is_refused_with_what_to_do() {
    let data = common::sample_with("engine-datafusion-ragged", 17, 500, 0);
    let events = data.join("events.csv");
    let mut text = std::fs::read_to_string(&events).unwrap();
    text.push_str("1,2,3\n");
    std::fs::write(&events, text).unwrap();
    let (ok, err) = run(
        "datafusion",
        &events,
        &data.join("population.csv"),
        &data.join("out"),
    );
    assert!(!ok);
    assert!(
        err.contains("DataFusion's CSV reader stops at a line with the wrong number of fields. Read the file with --engine samsyn"),
        "{err}"
    );
}
