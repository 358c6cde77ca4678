//! The JavaScript entry point (`web/src/js_api.rs`) in headless Chromium: a notebook run on
//! small `File`s built here, its numbers checked against a hand count of their rows, the
//! session's reuse of the inputs on a second call, and its refusals by message.

use samsyn_core::notebook::CellOutput;
use samsyn_web::js_api::{js_run, run_notebook, InputBlob, JsRun, RunOptions, Stage};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The new-notebook template: fall injuries 65+ per 1 000 per kommun and year, table `table`.
const NOTEBOOK: &str = include_str!("../src/test_template.samsyn.json");

/// Events in 2023: in 2480, 7 fall injuries at 70 (counted), 2 at 40 (under 65) and 3
/// admissions at 70 (another event type); in 2482, 6 fall injuries at 80.
fn events_csv() -> String {
    let mut s = String::from("deso,vardcentral,date,sex,age,event_type\n");
    let mut add = |n: usize, deso: &str, age: u32, kind: &str| {
        for i in 0..n {
            let sex = if i % 2 == 0 { "K" } else { "M" };
            s.push_str(&format!(
                "{deso},Hälsocentralen,2023-0{}-15,{sex},{age},{kind}\n",
                1 + i % 9
            ));
        }
    };
    add(7, "2480A0010", 70, "fall_injury");
    add(2, "2480A0010", 40, "fall_injury");
    add(3, "2480A0010", 70, "admission");
    add(6, "2482A0010", 80, "fall_injury");
    s
}

/// Population on 31 December 2023: 2480 has 400 + 300 aged 65+ (and 1 000 younger), 2482 has
/// 250 + `extra` aged 65+.
fn population_csv(extra: u32) -> String {
    format!(
        "year,deso,sex,age_band,population\n\
         2023,2480A0010,K,65-69,400\n\
         2023,2480A0010,M,70-74,300\n\
         2023,2480A0010,K,40-44,1000\n\
         2023,2482A0010,K,80-84,250\n\
         2023,2482A0010,M,65-69,{extra}\n"
    )
}

fn file(text: &str, name: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    web_sys::File::new_with_str_sequence(&parts, name).expect("a File")
}

fn inputs(events: &web_sys::File, population: &web_sys::File) -> Vec<InputBlob> {
    [("events", events), ("population", population)]
        .into_iter()
        .map(|(input, f)| InputBlob {
            input: input.to_owned(),
            file: f.name(),
            blob: gloo::file::Blob::from(web_sys::Blob::from(f.clone())),
        })
        .collect()
}

/// The numerator, denominator and value of `unit`'s row (by code) in the table cell `table`,
/// from its full-precision CSV.
fn table_row(run: &JsRun, unit: &str) -> (f64, f64, f64) {
    let Some(CellOutput::Table(table)) = run
        .results
        .cells
        .iter()
        .find(|(id, _)| id == "table")
        .map(|(_, c)| &**c)
    else {
        panic!("no table cell in {:?}", run.results.cells);
    };
    let mut lines = table.csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let row: Vec<&str> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[0].starts_with(unit))
        .unwrap_or_else(|| panic!("no row for {unit} in {}", table.csv));
    let number = |name: &str| row[column(name)].parse::<f64>().expect("a number");
    (number("numerator"), number("denominator"), number("value"))
}

#[wasm_bindgen_test]
async fn run_computes_a_rate_by_hand_and_a_second_call_reuses_the_inputs() {
    let (events, population) = (
        file(&events_csv(), "events.csv"),
        file(&population_csv(250), "population.csv"),
    );
    let files = inputs(&events, &population);
    let mut seen: Vec<(Stage, String, u64, u64)> = Vec::new();
    let mut progress = |stage: Stage, input: &str, bytes: u64, rows: u64| {
        seen.push((stage, input.to_owned(), bytes, rows));
        Ok(())
    };
    let first = run_notebook(NOTEBOOK, &files, &RunOptions::default(), &mut progress)
        .await
        .expect("the notebook runs");
    assert_eq!(first.read, ["events", "population"]);
    assert!(first.reused.is_empty());
    assert_eq!(first.results.disclosure_threshold, 5.0);
    assert!(first.results.protected);
    // 7 fall injuries aged 65+ over 400 + 300 aged 65+, per 1 000.
    let (n, d, v) = table_row(&first, "2480");
    assert_eq!((n, d), (7.0, 700.0));
    assert!((v - 7.0 / 700.0 * 1000.0).abs() < 1e-12, "{v}");
    let (n, d, v) = table_row(&first, "2482");
    assert_eq!((n, d), (6.0, 500.0));
    assert!((v - 12.0).abs() < 1e-12, "{v}");
    // Every input's last read reports its whole file (18 events, 5 population rows).
    let last = |input: &str| {
        seen.iter()
            .rev()
            .find(|(s, i, _, _)| *s == Stage::Read && i == input)
            .map(|(_, _, b, r)| (*b, *r))
    };
    assert_eq!(last("events"), Some((events.size() as u64, 18)));
    assert_eq!(last("population"), Some((population.size() as u64, 5)));
    assert_eq!(seen.last().map(|s| s.0), Some(Stage::Compute));

    // An edit the cubes answer (another multiplier) reads no file again.
    let edited = NOTEBOOK.replace("\"multiplier\": 1000", "\"multiplier\": 100000");
    assert_ne!(edited, NOTEBOOK);
    let mut stages = Vec::new();
    let second = run_notebook(
        &edited,
        &files,
        &RunOptions::default(),
        &mut |stage, _, _, _| {
            stages.push(stage);
            Ok(())
        },
    )
    .await
    .expect("the edited notebook runs");
    assert!(second.read.is_empty(), "{:?}", second.read);
    assert_eq!(second.reused, ["events", "population"]);
    assert_eq!(stages, [Stage::Reuse, Stage::Reuse, Stage::Compute]);
    let (n, d, v) = table_row(&second, "2480");
    assert_eq!((n, d), (7.0, 700.0));
    assert!((v - 1000.0).abs() < 1e-9, "{v}");

    // A higher floor of the caller's own hides 2482's 6 cases (and, by complementary
    // suppression, what would give it away).
    let strict = RunOptions::with_threshold(7.0).expect("a floor of 7");
    let third = run_notebook(NOTEBOOK, &files, &strict, &mut |_, _, _, _| Ok(()))
        .await
        .expect("runs");
    assert_eq!(third.results.disclosure_threshold, 7.0);
    assert!(third.results.suppression.primary >= 1);
}

#[wasm_bindgen_test]
async fn run_refuses_by_message_and_never_switches_protection_off() {
    // Names of this test's own, so that no other test's inputs in the session match them.
    let events = file(&events_csv(), "events-2.csv");
    let population = file(&population_csv(251), "population-2.csv");
    let files = inputs(&events, &population);
    let mut quiet = |_: Stage, _: &str, _: u64, _: u64| Ok(());
    let e = run_notebook("{ not json", &files, &RunOptions::default(), &mut quiet)
        .await
        .expect_err("not a notebook");
    // Core's own message, as `Notebook::open` words it, in the page's language (Swedish here).
    let core = samsyn_core::notebook::Notebook::open("{ not json").expect_err("not a notebook");
    assert_eq!(e, core.swedish());
    assert!(
        e.starts_with("Detta är ingen anteckningsbok från Samsyn"),
        "{e}"
    );
    let e = run_notebook(NOTEBOOK, &files[..1], &RunOptions::default(), &mut quiet)
        .await
        .expect_err("no population file");
    assert_eq!(
        e,
        "no file for the input 'population' (files given: events)"
    );
    for threshold in [0.0, 0.5, -1.0, f64::NAN] {
        let e = RunOptions::with_threshold(threshold).expect_err("below 1");
        assert!(
            e.starts_with("disclosureThreshold must be a number of 1 or more")
                && e.ends_with("protection cannot be switched off through the JavaScript API"),
            "{e}"
        );
    }
    // An error from onProgress stops the run with it.
    let e = run_notebook(
        NOTEBOOK,
        &files,
        &RunOptions::default(),
        &mut |_, _, _, _| Err("stopped".to_owned()),
    )
    .await
    .expect_err("stopped");
    assert_eq!(e, "stopped");
    // What a failed call had read is kept: the call without a population file read events.
    let after = run_notebook(NOTEBOOK, &files, &RunOptions::default(), &mut quiet)
        .await
        .expect("runs");
    assert_eq!(after.reused, ["events"]);
    assert_eq!(after.read, ["population"]);
}

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &key.into()).expect("an object")
}

fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in entries {
        js_sys::Reflect::set(&o, &(*k).into(), v).expect("settable");
    }
    o.into()
}

async fn rejection(files: JsValue, options: JsValue) -> String {
    let e = js_run(NOTEBOOK.to_owned(), files, options)
        .await
        .expect_err("refused");
    String::from(e.dyn_into::<js_sys::Error>().expect("an Error").message())
}

#[wasm_bindgen_test]
async fn the_exported_run_takes_js_objects_and_gives_a_plain_object() {
    let events = file(&events_csv(), "events-3.csv");
    let population = file(&population_csv(252), "population-3.csv");
    let files = object(&[("events", events.into()), ("population", population.into())]);
    let calls = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let counter = calls.clone();
    let on_progress = wasm_bindgen::closure::Closure::<dyn Fn(JsValue, f64, f64)>::new(
        move |_: JsValue, _: f64, _: f64| counter.set(counter.get() + 1),
    );
    let options = object(&[
        ("params", object(&[("kommun", JsValue::from_str("2482"))])),
        ("onProgress", on_progress.as_ref().clone()),
    ]);
    let results = js_run(NOTEBOOK.to_owned(), files.clone(), options)
        .await
        .expect("runs");
    assert!(calls.get() >= 3, "{} progress calls", calls.get());
    assert_eq!(
        get(&results, "title").as_string().as_deref(),
        Some("Ny anteckningsbok – 2482 Skellefteå")
    );
    assert_eq!(get(&results, "disclosure_threshold").as_f64(), Some(5.0));
    assert_eq!(get(&results, "protected").as_bool(), Some(true));
    let read = js_sys::Array::from(&get(&results, "read"));
    assert_eq!(
        read.to_vec(),
        [JsValue::from_str("events"), "population".into()]
    );
    // The cells are [id, output] pairs; a table's CSV is there as text.
    let cells = js_sys::Array::from(&get(&results, "cells"));
    let table = cells
        .iter()
        .map(|c| js_sys::Array::from(&c))
        .find(|c| c.get(0).as_string().as_deref() == Some("table"))
        .expect("the table cell");
    let csv = get(&get(&table.get(1), "Table"), "csv")
        .as_string()
        .expect("csv");
    assert!(csv.lines().any(|l| l.starts_with("2482")), "{csv}");
    let header = |results: &JsValue| -> Vec<String> {
        let cells = js_sys::Array::from(&get(results, "cells"));
        let table = cells
            .iter()
            .map(|c| js_sys::Array::from(&c))
            .find(|c| c.get(0).as_string().as_deref() == Some("table"))
            .expect("the table cell");
        js_sys::Array::from(&get(&get(&table.get(1), "Table"), "header"))
            .iter()
            .filter_map(|h| h.as_string())
            .collect()
    };
    assert_eq!(get(&results, "language").as_string().as_deref(), Some("sv"));
    assert!(
        header(&results).iter().any(|h| h == "Täljare"),
        "{:?}",
        header(&results)
    );

    // In English, from the same inputs (nothing is read again), the cells are English.
    let english = object(&[
        ("params", object(&[("kommun", JsValue::from_str("2482"))])),
        ("language", JsValue::from_str("en")),
    ]);
    let results = js_run(NOTEBOOK.to_owned(), files.clone(), english)
        .await
        .expect("runs in English");
    assert_eq!(get(&results, "language").as_string().as_deref(), Some("en"));
    assert_eq!(js_sys::Array::from(&get(&results, "read")).length(), 0);
    let head = header(&results);
    assert!(head.iter().any(|h| h == "Numerator"), "{head:?}");
    assert!(!head.iter().any(|h| h == "Täljare"), "{head:?}");
    let french = object(&[("language", JsValue::from_str("fr"))]);
    assert_eq!(
        rejection(files.clone(), french).await,
        "language must be \"sv\" or \"en\""
    );

    // Refusals are rejected promises with an Error naming what was wrong.
    let threshold = object(&[("disclosureThreshold", JsValue::from_f64(0.0))]);
    assert!(rejection(files.clone(), threshold)
        .await
        .ends_with("protection cannot be switched off through the JavaScript API"));
    let typo = object(&[("param", object(&[]))]);
    assert_eq!(
        rejection(files.clone(), typo).await,
        "unknown option 'param' (the options are params, disclosureThreshold, language and onProgress)"
    );
    assert_eq!(
        rejection(JsValue::from_str("events.csv"), JsValue::UNDEFINED).await,
        "files must be an object mapping each input name to a File"
    );
}
