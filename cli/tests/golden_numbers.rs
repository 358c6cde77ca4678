//! Issue 11, "every existing test passes unchanged in meaning": the numbers of every example
//! notebook and of the example indicator spec, on the seeded sample county, are those the
//! release before the one-model refactor computed, to 1e-12.
//!
//! `tests/data/golden/` holds what that release printed (commit 103fc02, written with
//! `SAMSYN_BLESS=1 cargo test -p samsyn-cli --test golden_numbers`). A missing or different
//! fixture fails; blessing again is for a change of meaning, said in its commit.
//!
//! Per notebook: every unit row of every indicator and level, unsuppressed, with all its numbers,
//! its light, and whether the protected results hide it. Per spec: the CSV files of
//! `samsyn indicators` at its default levels.

use std::path::PathBuf;

use assert_cmd::Command;

mod common;
use common::{assert_same, root, rows_of, run_on_sample};

const ROWS: u64 = 20_000;
const SEED: u64 = 7;
const NOTEBOOKS: [&str; 4] = [
    "falls",
    "county_lights",
    "dialogue_health_centre",
    "framework",
];

fn golden(name: &str) -> PathBuf {
    root().join("tests/data/golden").join(name)
}

fn sample(test: &str) -> PathBuf {
    common::sample_with(&format!("golden-{test}"), SEED, ROWS, 0)
}

fn check(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("SAMSYN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the fixture is part of the test)", path.display()));
    assert_same(name, &expected, actual, 1e-12);
}

#[test]
fn example_notebooks_give_the_numbers_of_the_release_before() {
    let dir = sample("notebooks");
    for name in NOTEBOOKS {
        let r = run_on_sample(name, &dir);
        let rows = rows_of(&r);
        assert!(rows.lines().count() > 10, "{name}: too few rows to compare");
        check(&format!("{name}.tsv"), &rows);
    }
}

#[test]
fn example_spec_gives_the_numbers_of_the_release_before() {
    let dir = sample("spec");
    let out = dir.join("out");
    let spec = root().join("notebooks/specs/elderly-and-access.json");
    let text = std::fs::read_to_string(&spec).unwrap();
    let mut cmd = Command::cargo_bin("samsyn").unwrap();
    cmd.arg("indicators").arg(&spec).arg("--out").arg(&out);
    // Every source of the spec, from the sample file it names.
    let spec_json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut names: Vec<String> = spec_json["sources"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for m in spec_json["mappings"].as_array().into_iter().flatten() {
        names.push(m["source"].as_str().unwrap().to_owned());
    }
    names.sort();
    names.dedup();
    for name in &names {
        let file = match name.as_str() {
            "population" => "population.csv",
            "survey" => "survey.csv",
            "areas" => "areas.csv",
            _ => "events.csv",
        };
        cmd.arg("--data")
            .arg(format!("{name}={}", dir.join(file).display()));
    }
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert!(files.len() > 3, "{files:?}");
    let mut all = String::new();
    for f in &files {
        all.push_str(&format!("## {f}\n"));
        all.push_str(&std::fs::read_to_string(out.join(f)).unwrap());
    }
    check("elderly-and-access.csv", &all);
}
