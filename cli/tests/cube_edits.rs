//! Issue 11, "a cube, not a re-read": an opened notebook whose condition value, age range,
//! light rule, level or disclosure threshold changes is recomputed from the sources' cubes,
//! without reading a file again (the bytes read are counted), and gives exactly what reading
//! the files again for the edited notebook gives. A condition on a column that was not read,
//! or a changed data cell, says the file must be read again.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use samsyn_core::notebook::exec::{prepare, prepare_with, read_input, Input, Prepared, Session};
use samsyn_core::notebook::Notebook;
use samsyn_core::stats::disclosure::Protection;
use serde_json::{json, Value};

fn sample(test: &str, bad_rows: u64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-cube-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    xtask::sample_data::write_sample(&dir, 7, Some(20_000), bad_rows).unwrap();
    dir
}

fn falls() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../notebooks/falls.samsyn.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn open(v: &Value) -> Notebook {
    Notebook::open(&v.to_string()).unwrap()
}

/// Reads every input of `prepared` from `dir`, adding the bytes read to `bytes`.
fn read_all(prepared: &Prepared, dir: &Path, bytes: &Cell<usize>) -> Vec<Input> {
    prepared
        .input_names()
        .iter()
        .map(|name| {
            let file = if name == "events" {
                "events.csv"
            } else {
                "population.csv"
            };
            let data = std::fs::read(dir.join(file)).unwrap();
            bytes.set(bytes.get() + data.len());
            read_input(prepared, name, file, &data).unwrap()
        })
        .collect()
}

/// Every number of every indicator table, as text, to compare two runs.
fn numbers(r: &samsyn_core::notebook::exec::NotebookResults) -> Vec<String> {
    let results = r.results.as_ref().unwrap();
    let mut out = Vec::new();
    for t in &results.tables {
        for row in &t.rows {
            out.push(format!(
                "{} {} {:?} {:?} {} {} {:?} {:?} {:?} {}",
                t.indicator,
                t.level.file_name(),
                row.keys,
                row.period,
                row.numerator,
                row.denominator,
                row.value,
                row.lower,
                row.upper,
                row.light.label()
            ));
        }
    }
    out
}

fn indicator<'a>(nb: &'a mut Value, id: &str) -> &'a mut Value {
    nb["cells"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["type"] == "indicators")
        .unwrap()["indicators"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["id"] == id)
        .unwrap()
}

#[test]
fn edits_the_cube_answers_read_no_file_and_equal_a_fresh_read() {
    let dir = sample("edits", 0);
    let bytes = Cell::new(0);
    let original = falls();
    let prepared = prepare(&open(&original), &[]).unwrap();
    let inputs = read_all(&prepared, &dir, &bytes);
    let read_once = bytes.get();
    let mut session = Session::default();
    let first = session.run(&prepared, &inputs).unwrap();

    let mut edits: Vec<(&str, Value, Protection)> = Vec::new();
    // A condition's value: admissions after an infection instead of a fall.
    let mut nb = original.clone();
    indicator(&mut nb, "fall_admissions_80")["numerator"]["where"][1]["value"] = json!("infection");
    edits.push(("condition value", nb, Protection::default()));
    // An operator and a numeric condition: the care requests not assessed in time.
    let mut nb = original.clone();
    indicator(&mut nb, "assessed_within_3_days")["numerator"]["where"][1] =
        json!({"column": "value", "op": "<", "value": 1});
    edits.push(("numeric condition", nb, Protection::default()));
    // An age range.
    let mut nb = original.clone();
    indicator(&mut nb, "fall_admissions_80")["ages"] = json!({"min": 65, "max": 79});
    edits.push(("age range", nb, Protection::default()));
    // A light rule: against a target instead of the county.
    let mut nb = original.clone();
    indicator(&mut nb, "fall_admissions_80")["light"] =
        json!({"method": "benchmark", "against": {"value": 20}});
    edits.push(("light rule", nb, Protection::default()));
    // A level: the kommun tables by sex and year.
    let mut nb = original.clone();
    for c in nb["cells"].as_array_mut().unwrap() {
        if c["level"] == "kommun,year" {
            c["level"] = json!("kommun,sex,year");
        }
    }
    edits.push(("level", nb, Protection::default()));
    // The disclosure threshold.
    edits.push(("threshold", original.clone(), Protection::at(10.0).unwrap()));

    for (what, nb, protection) in edits {
        let nb = open(&nb);
        let edited = prepare_with(&nb, &[], protection).unwrap();
        for input in &inputs {
            edited
                .reusable(input)
                .unwrap_or_else(|e| panic!("{what}: {} must be reusable: {e}", input.source.name));
        }
        let before = bytes.get();
        let from_cube = session.run(&edited, &inputs).unwrap();
        assert_eq!(bytes.get(), before, "{what}: a file was read");
        // The same as reading the files again for the edited notebook.
        let fresh_inputs = read_all(&edited, &dir, &Cell::new(0));
        let fresh = Session::default().run(&edited, &fresh_inputs).unwrap();
        assert_eq!(numbers(&from_cube), numbers(&fresh), "{what}");
        assert_eq!(from_cube.cells, fresh.cells, "{what}: the cells differ");
        if what != "threshold" {
            assert_ne!(
                numbers(&from_cube),
                numbers(&first),
                "{what}: nothing changed"
            );
        } else {
            assert!(from_cube.suppression.primary > first.suppression.primary);
        }
    }
    assert_eq!(bytes.get(), read_once, "only the first run read the files");
}

#[test]
fn a_condition_on_a_column_not_read_or_a_changed_data_cell_needs_the_file() {
    let dir = sample("reread", 0);
    let original = falls();
    let prepared = prepare(&open(&original), &[]).unwrap();
    let inputs = read_all(&prepared, &dir, &Cell::new(0));
    let events = inputs.iter().find(|i| i.source.name == "events").unwrap();

    let mut nb = original.clone();
    indicator(&mut nb, "fall_admissions_80")["numerator"]["where"]
        .as_array_mut()
        .unwrap()
        .push(json!({"column": "kommun", "op": "=", "value": "2480"}));
    let edited = prepare(&open(&nb), &[]).unwrap();
    let err = edited.reusable(events).unwrap_err().to_string();
    assert_eq!(
        err,
        "the data 'events' must be read again: the column 'kommun' was not read for a condition"
    );
    // Session::run says the same rather than count from a cube that cannot answer.
    let err = Session::default()
        .run(&edited, &inputs)
        .unwrap_err()
        .to_string();
    assert!(err.contains("must be read again"), "{err}");

    let mut nb = original.clone();
    for c in nb["cells"].as_array_mut().unwrap() {
        if c["id"] == "events" {
            c["keys"]["provider"] = Value::Null;
        }
    }
    let edited = prepare(&open(&nb), &[]).unwrap();
    let err = edited.reusable(events).unwrap_err().to_string();
    assert!(err.contains("the data cell 'events' changed"), "{err}");
}

#[test]
fn rows_refused_for_a_condition_send_an_edit_back_to_the_file() {
    // The bad rows include values of `value` that are not numbers. The notebook's contract
    // refuses them whatever the conditions, so an edit is still answered from the cube.
    let dir = sample("bad", 32);
    let mut original = falls();
    let prepared = prepare(&open(&original), &[]).unwrap();
    let inputs = read_all(&prepared, &dir, &Cell::new(0));
    let events = inputs.iter().find(|i| i.source.name == "events").unwrap();
    let mut nb = original.clone();
    indicator(&mut nb, "assessed_within_3_days")["numerator"]["where"][1]["value"] = json!(0);
    prepare(&open(&nb), &[]).unwrap().reusable(events).unwrap();
    // Without the contract, the condition `value = 1` refuses them; with another condition
    // they might count, so only reading the file again can say.
    for c in original["cells"].as_array_mut().unwrap() {
        if c["id"] == "events" {
            c["contract"] = Value::Null;
        }
    }
    let prepared = prepare(&open(&original), &[]).unwrap();
    let inputs = read_all(&prepared, &dir, &Cell::new(0));
    let events = inputs.iter().find(|i| i.source.name == "events").unwrap();
    assert!(
        events
            .source
            .rows
            .refused
            .keys()
            .any(|r| r.to_string() == "condition value cannot be compared"),
        "{:?}",
        events.source.rows.refused
    );
    // The same notebook is answered.
    prepared.reusable(events).unwrap();
    let mut nb = original.clone();
    indicator(&mut nb, "assessed_within_3_days")["numerator"]["where"][1]["value"] = json!(0);
    let edited = prepare(&open(&nb), &[]).unwrap();
    let err = edited.reusable(events).unwrap_err().to_string();
    assert!(err.contains("rows were refused for a condition"), "{err}");
}
