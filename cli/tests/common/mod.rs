//! What the tests that compare a notebook's numbers share: the seeded sample county, the
//! example notebooks' inputs, every unit row of a run as text, and a comparison of such texts.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use samsyn_core::notebook::exec::{prepare, read_input, Input, NotebookResults, Prepared, Session};
use samsyn_core::notebook::Notebook;
use samsyn_core::number_format::Language;

/// The workspace's root (this module serves tests of `cli` and of `engines/datafusion`).
pub fn root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .find(|d| d.join("Cargo.lock").exists())
        .unwrap_or(crate_dir)
        .to_path_buf()
}

/// Every example notebook in `notebooks/`.
pub const EXAMPLE_NOTEBOOKS: [&str; 6] = [
    "falls",
    "county_lights",
    "dialogue_health_centre",
    "framework",
    "elderly_and_access",
    "bench_pack",
];

/// [`rows_of`] with the unit rows sorted (the order of units follows the order rows are met,
/// which an aggregated table does not keep).
pub fn sorted_rows(r: &NotebookResults) -> String {
    let rows = rows_of(r);
    let mut lines: Vec<&str> = rows.lines().collect();
    let header = lines.remove(0);
    lines.sort_unstable();
    format!("{header}\n{}\n", lines.join("\n"))
}

/// The path of the example notebook `name` (`notebooks/NAME.samsyn.json`).
pub fn notebook_path(name: &str) -> PathBuf {
    root().join("notebooks").join(format!("{name}.samsyn.json"))
}

/// The example notebook `name`, opened.
pub fn notebook(name: &str) -> Notebook {
    Notebook::open(&std::fs::read_to_string(notebook_path(name)).unwrap()).unwrap()
}

/// Every input of `prepared` read from its sample file in `dir`.
pub fn sample_inputs(prepared: &Prepared, dir: &Path) -> Vec<Input> {
    prepared
        .input_names()
        .iter()
        .map(|input| sample_input(prepared, input, dir))
        .collect()
}

/// One input of `prepared` read from its sample file in `dir`.
pub fn sample_input(prepared: &Prepared, input: &str, dir: &Path) -> Input {
    let file = file_of(input);
    let bytes = std::fs::read(dir.join(file)).unwrap();
    read_input(prepared, input, file, &bytes).unwrap()
}

/// The example notebook `name` run on the sample files in `dir`, with its default parameters.
pub fn run_on_sample(name: &str, dir: &Path) -> NotebookResults {
    let prepared = prepare(&notebook(name), &[]).unwrap();
    Session::default()
        .run(&prepared, &sample_inputs(&prepared, dir))
        .unwrap()
}

/// The seeded sample county of `rows` event rows with `bad_rows` bad rows, in a fresh folder.
pub fn sample_with(test: &str, seed: u64, rows: u64, bad_rows: u64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    xtask::sample_data::write_sample(&dir, seed, Some(rows), bad_rows).unwrap();
    dir
}

/// The sample file an example notebook's input reads.
pub fn file_of(input: &str) -> &'static str {
    match input {
        "requests" | "events" => "events.csv",
        "population" => "population.csv",
        "areas" => "areas.csv",
        "survey" => "survey.csv",
        "vardcentraler" => "vardcentraler.csv",
        other => panic!("an example notebook reads an input this test does not know: {other}"),
    }
}

pub fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:?}")).unwrap_or_default()
}

/// Every unit row of the notebook's indicator results, one tab-separated line each.
pub fn rows_of(r: &NotebookResults) -> String {
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
                row.note
                    .clone()
                    .unwrap_or_default()
                    .text(Language::Swedish)
                    .to_owned(),
                row.partial
                    .clone()
                    .unwrap_or_default()
                    .text(Language::Swedish)
                    .to_owned(),
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
/// a relative `tolerance` (absolute below 1), the rest exactly.
pub fn assert_same(what: &str, expected: &str, actual: &str, tolerance: f64) {
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
                    (x - y).abs() <= tolerance * x.abs().max(1.0),
                    "{what} line {}: {y} ≠ {x}\n{la}\nexpected {le}",
                    i + 1
                ),
                _ => assert_eq!(x, y, "{what} line {}:\n{la}\nexpected {le}", i + 1),
            }
        }
    }
}
