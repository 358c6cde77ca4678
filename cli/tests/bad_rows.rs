//! Issue 10, "no row is ever lost in silence": the example notebooks run on the sample county
//! of `cargo xtask sample-data --bad-rows 32` give exactly the numbers of the same county
//! without the bad rows, every bad row is refused, listed by its row with the reason its kind
//! calls for, and no other row is; for every input, rows read = rows used + rows refused.
//! `samsyn run` says the same on stderr.

use std::collections::BTreeMap;
use std::path::PathBuf;

use assert_cmd::Command;
use samsyn_core::notebook::exec::{prepare, read_input, CellOutput, NotebookResults};
use samsyn_core::notebook::Notebook;

mod common;
use common::{file_of, notebook_path, run_on_sample};

/// Small enough for a debug build, big enough that the last bad row lies past the 64 KiB the
/// encoding is guessed from.
const ROWS: u64 = 20_000;
const SEED: u64 = 7;
const BAD: u64 = 32;

const NOTEBOOKS: [&str; 4] = [
    "falls",
    "county_lights",
    "dialogue_health_centre",
    "framework",
];

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-bad-rows-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The reason a kind of bad row must be refused for (the value-free reasons of
/// `samsyn_core::row_checks::Refusal`).
fn expected_reason(kind: &str) -> &'static str {
    match kind {
        "too_many_fields" | "too_few_fields" => "wrong number of fields",
        "age_not_a_number" => "age not a number",
        "age_negative" | "age_implausible" => "age outside 0–120",
        "deso_unknown" | "deso_malformed" => "not a DeSO code",
        "date_impossible" | "date_not_iso" => "not a date",
        "year_not_the_date_year" => "year differs from the date's",
        // The notebooks' contracts allow K and M, and the five event types.
        "sex_unknown" => "'sex' not an allowed value",
        "event_type_unknown" => "'event_type' not an allowed value",
        // The contract's range for a care request's value, 0 or 1.
        "value_not_0_or_1" => "'value' outside its range",
        "value_unreadable" => "'value' not a number",
        "kommun_not_the_deso_kommun" => "kommun differs from the DeSO code's",
        "blank_row" => "blank row",
        "exact_duplicate" => "exact duplicate of an earlier row",
        "not_utf8" => "text not valid in the file's encoding",
        other => panic!("bad-rows.csv has a kind this test does not know: {other}"),
    }
}

/// Every cell but the data cells (which count rows): tables, charts, roll-ups.
fn numbers(r: &NotebookResults) -> Vec<(String, CellOutput)> {
    r.cells
        .iter()
        .filter(|(_, out)| !matches!(&**out, CellOutput::Data { .. }))
        .map(|(id, out)| (id.clone(), (**out).clone()))
        .collect()
}

#[test]
fn issue_10_bad_rows_are_refused_and_the_numbers_are_those_of_the_clean_county() {
    let root = scratch("notebooks");
    let (clean, bad) = (root.join("clean"), root.join("bad"));
    let clean_rows = xtask::sample_data::write_sample(&clean, SEED, Some(ROWS), 0).unwrap();
    assert_eq!(
        xtask::sample_data::write_sample(&bad, SEED, Some(ROWS), BAD).unwrap(),
        clean_rows
    );
    // The generator's list: row → kind.
    let listed: BTreeMap<u64, String> = std::fs::read_to_string(bad.join("bad-rows.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (row, kind) = l.split_once(',').unwrap();
            (row.parse().unwrap(), kind.to_owned())
        })
        .collect();
    assert_eq!(listed.len() as u64, BAD);
    assert!(listed.values().any(|k| k == "not_utf8"), "{listed:?}");
    let expected: Vec<(u64, String)> = listed
        .iter()
        .map(|(row, kind)| (*row, expected_reason(kind).to_owned()))
        .collect();

    for name in NOTEBOOKS {
        let (c, b) = (run_on_sample(name, &clean), run_on_sample(name, &bad));
        let with_numbers = numbers(&c)
            .iter()
            .filter(|(_, o)| match o {
                CellOutput::Table(t) => !t.rows.is_empty(),
                CellOutput::Chart { svg, .. } => svg.contains("<rect") || svg.contains("<path"),
                CellOutput::Rollup { lines, .. } => !lines.is_empty(),
                _ => false,
            })
            .count();
        assert!(
            with_numbers > 0,
            "{name}: no table, chart or roll-up to compare"
        );
        assert_eq!(
            numbers(&c),
            numbers(&b),
            "{name}: the bad rows changed a number"
        );
        for (clean_input, bad_input) in c.inputs.iter().zip(&b.inputs) {
            let input = bad_input.name.as_str();
            for s in [clean_input, bad_input] {
                assert_eq!(
                    s.rows,
                    s.used + s.refused_total(),
                    "{name}/{input}: read ≠ used + refused"
                );
            }
            assert_eq!(
                clean_input.refused_total(),
                0,
                "{name}/{input}: {:?}",
                clean_input.refused
            );
            if file_of(input) == "events.csv" {
                assert_eq!(bad_input.rows, clean_rows + BAD, "{name}/{input}");
                assert_eq!(bad_input.used, clean_rows, "{name}/{input}");
                let rows: Vec<(u64, String)> = bad_input
                    .refused_rows
                    .iter()
                    .map(|(r, reason)| (*r, reason.to_string()))
                    .collect();
                assert_eq!(rows, expected, "{name}/{input}");
            } else {
                assert_eq!(bad_input.refused_total(), 0, "{name}/{input}");
                assert_eq!(bad_input.used, clean_input.used, "{name}/{input}");
            }
        }
    }

    // The command line says it too.
    let out = root.join("report");
    let output = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("run")
        .arg(notebook_path("falls"))
        .arg("--data")
        .arg(format!("events={}", bad.join("events.csv").display()))
        .arg("--data")
        .arg(format!(
            "population={}",
            bad.join("population.csv").display()
        ))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summary = format!(
        "events: events.csv ({} rows read, {clean_rows} used, {BAD} refused;",
        clean_rows + BAD
    );
    assert!(stderr.contains(&summary), "{stderr}");
    assert!(
        stderr.contains("\n  4 refused: wrong number of fields\n"),
        "{stderr}"
    );
    assert!(stderr.contains("\n  2 refused: blank row\n"), "{stderr}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    // The report writes counts as Swedish does (`number_format`: `20 032`).
    let sv = |n: u64| samsyn_core::number_format::format_fixed(n as f64, 0, Default::default());
    assert!(report.contains(&format!(
        "{} rader lästa, {} använda, {} avvisade",
        sv(clean_rows + BAD),
        sv(clean_rows),
        sv(BAD)
    )));
}

/// The kinds the file view knows without a notebook (the others break the notebook's contract).
const KINDS_INSPECT_KNOWS: [&str; 13] = [
    "too_many_fields",
    "too_few_fields",
    "age_not_a_number",
    "age_negative",
    "age_implausible",
    "deso_unknown",
    "deso_malformed",
    "date_impossible",
    "date_not_iso",
    "year_not_the_date_year",
    "kommun_not_the_deso_kommun",
    "not_utf8",
    "sex_unknown",
];

#[test]
fn issue_10_the_file_view_and_a_notebook_run_report_the_same_problem_for_the_same_row() {
    let dir = scratch("same-problem");
    xtask::sample_data::write_sample(&dir, SEED, Some(ROWS), BAD).unwrap();
    let bytes = std::fs::read(dir.join("events.csv")).unwrap();
    let view =
        samsyn_core::inspect::inspect_bytes("events.csv", &bytes, Default::default()).unwrap();
    // The notebook without its contract, so that only the defaults speak.
    let mut nb = Notebook::open(&std::fs::read_to_string(notebook_path("falls")).unwrap()).unwrap();
    for cell in &mut nb.cells {
        if let samsyn_core::notebook::Cell::Data(d) = cell {
            d.contract = None;
        }
    }
    let prepared = prepare(&nb, &[]).unwrap();
    let input = read_input(&prepared, "events", "events.csv", &bytes).unwrap();
    let at = |problems: &samsyn_core::error::Problems, row: u64| -> Vec<String> {
        problems
            .kept
            .iter()
            .filter(|p| p.location.row == Some(row))
            .map(|p| p.to_string())
            .collect()
    };
    let list = std::fs::read_to_string(dir.join("bad-rows.csv")).unwrap();
    let mut compared = 0;
    for line in list.lines().skip(1) {
        let (row, kind) = line.split_once(',').unwrap();
        if !KINDS_INSPECT_KNOWS.contains(&kind) {
            continue;
        }
        let row: u64 = row.parse().unwrap();
        let (v, n) = (at(&view.problems, row), at(&input.source.problems, row));
        assert_eq!(v.len(), 1, "{kind} at row {row}: the file view says {v:?}");
        assert_eq!(v, n, "{kind} at row {row}");
        compared += 1;
    }
    assert!(compared >= 20, "{compared}");
    // E.g. the ragged row: the same words in both, not "is not an age" in one of them.
    let ragged: u64 = list
        .lines()
        .find_map(|l| l.strip_suffix(",too_many_fields"))
        .and_then(|r| r.parse().ok())
        .unwrap();
    assert_eq!(
        at(&input.source.problems, ragged),
        [format!("events.csv, row {ragged}: the row has 13 fields but the header has 12; the row is skipped")]
    );
}
