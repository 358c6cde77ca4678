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

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use samsyn_core::notebook::exec::{prepare, read_input, NotebookResults, Session};
use samsyn_core::notebook::Notebook;

const ROWS: u64 = 20_000;
const SEED: u64 = 7;
const NOTEBOOKS: [&str; 4] = [
    "falls",
    "county_lights",
    "dialogue_health_centre",
    "framework",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn golden(name: &str) -> PathBuf {
    root().join("tests/data/golden").join(name)
}

fn sample(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-golden-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    xtask::sample_data::write_sample(&dir, SEED, Some(ROWS), 0).unwrap();
    dir
}

fn file_of(input: &str) -> &str {
    match input {
        "requests" | "events" => "events.csv",
        "population" => "population.csv",
        "areas" => "areas.csv",
        "survey" => "survey.csv",
        "vardcentraler" => "vardcentraler.csv",
        other => panic!("an example notebook reads an input this test does not know: {other}"),
    }
}

fn run(name: &str, dir: &Path) -> NotebookResults {
    let path = root().join("notebooks").join(format!("{name}.samsyn.json"));
    let nb = Notebook::open(&std::fs::read_to_string(path).unwrap()).unwrap();
    let prepared = prepare(&nb, &[]).unwrap();
    let inputs: Vec<_> = prepared
        .input_names()
        .iter()
        .map(|input| {
            let file = file_of(input);
            let bytes = std::fs::read(dir.join(file)).unwrap();
            read_input(&prepared, input, file, &bytes).unwrap()
        })
        .collect();
    Session::default().run(&prepared, &inputs).unwrap()
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:?}")).unwrap_or_default()
}

/// Every unit row of the notebook's indicator results, one tab-separated line each.
fn rows_of(r: &NotebookResults) -> String {
    let results = r.results.as_ref().expect("the notebook has indicators");
    let shown = results.suppressed(r.disclosure_threshold);
    let mut out = String::from(
        "indicator\tlevel\tkeys\tperiod\tnumerator\tdenominator\tvalue\tlower\tupper\tlower_998\tupper_998\tcases\tchange\tchange_z\tlight\tnote\tpartial\thidden\n",
    );
    for (table, shown_table) in results.tables.iter().zip(&shown.tables) {
        assert_eq!(table.rows.len(), shown_table.rows.len());
        let level = table.level.file_name();
        for (row, shown_row) in table.rows.iter().zip(&shown_table.rows) {
            let line = [
                table.indicator.clone(),
                level.clone(),
                row.keys.join("|"),
                row.period.clone().unwrap_or_default(),
                num(Some(row.numerator)),
                num(Some(row.denominator)),
                num(row.value),
                num(row.lower),
                num(row.upper),
                num(row.lower_998),
                num(row.upper_998),
                num(Some(row.cases)),
                num(row.change),
                num(row.change_z),
                row.light.label().to_owned(),
                row.note.clone().unwrap_or_default(),
                row.partial.clone().unwrap_or_default(),
                shown_row.suppressed.to_string(),
            ]
            .join("\t");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// `expected` and `actual` agree line by line and field by field; fields that are numbers to
/// a relative 1e-12 (absolute below 1), the rest exactly.
fn assert_same(what: &str, expected: &str, actual: &str) {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    assert_eq!(
        e.len(),
        a.len(),
        "{what}: {} lines, expected {}",
        a.len(),
        e.len()
    );
    for (i, (le, la)) in e.iter().zip(&a).enumerate() {
        let split =
            |l: &'static str| move |s: &str| s.split(l).map(str::to_owned).collect::<Vec<_>>();
        let sep = if le.contains('\t') { "\t" } else { "," };
        let (fe, fa) = (split(sep)(le), split(sep)(la));
        assert_eq!(
            fe.len(),
            fa.len(),
            "{what} line {}: {la}\nexpected {le}",
            i + 1
        );
        for (x, y) in fe.iter().zip(&fa) {
            match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(x), Ok(y)) if x.is_finite() && y.is_finite() => assert!(
                    (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                    "{what} line {}: {y} ≠ {x}\n{la}\nexpected {le}",
                    i + 1
                ),
                _ => assert_eq!(x, y, "{what} line {}:\n{la}\nexpected {le}", i + 1),
            }
        }
    }
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
    assert_same(name, &expected, actual);
}

#[test]
fn example_notebooks_give_the_numbers_of_the_release_before() {
    let dir = sample("notebooks");
    for name in NOTEBOOKS {
        let r = run(name, &dir);
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
