//! Issue 11, the cube: a source read for one set of conditions answers another from its cube,
//! and the counts it gives are those of counting the rows by hand with the new conditions
//! (an oracle that shares nothing with the engine), whenever it says it can answer; when it
//! says it cannot, the reason is one of the documented ones.

use proptest::prelude::*;
use samsyn_core::indicators::{compile, read_in_memory, IndicatorSpec, Level};
use serde_json::json;

const KOMMUNER: [&str; 2] = ["2480", "2482"];
const TYPES: [&str; 3] = ["fall", "admission", "visit"];
/// Values of the tested `value` column: numbers, and text a numeric condition cannot read.
const VALUES: [&str; 5] = ["0", "1", "2", "", "ja"];

#[derive(Debug, Clone)]
struct Row {
    kommun: usize,
    year: u16,
    age: u8,
    kind: usize,
    value: usize,
}

/// A count of rows where `event_type = kind` and, optionally, `value >= v`, aged `min`+.
#[derive(Debug, Clone)]
struct Cond {
    kind: usize,
    at_least: Option<f64>,
    min_age: u8,
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (0..2usize, 2021u16..2023, 0u8..100, 0..3usize, 0..40usize).prop_map(
            |(kommun, year, age, kind, v)| Row {
                kommun,
                year,
                age,
                kind,
                // Mostly numbers; now and then a value no numeric condition can read.
                value: match v {
                    0..=12 => 0,
                    13..=25 => 1,
                    26..=37 => 2,
                    38 => 3,
                    _ => 4,
                },
            },
        ),
        1..80,
    )
}

fn cond() -> impl Strategy<Value = Cond> {
    (
        0..3usize,
        prop::option::of(0.0..2.5f64),
        prop::sample::select(vec![0u8, 40, 65, 80]),
    )
        .prop_map(|(kind, at_least, min_age)| Cond {
            kind,
            at_least: at_least.map(|x| x.round()),
            min_age,
        })
}

fn csv(rows: &[Row]) -> String {
    let mut s = String::from("id,kommun,year,age,event_type,value\n");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!(
            "{i},{},{},{},{},{}\n",
            KOMMUNER[r.kommun], r.year, r.age, TYPES[r.kind], VALUES[r.value]
        ));
    }
    s
}

fn spec(c: &Cond) -> IndicatorSpec {
    let mut conditions = vec![json!({"column": "event_type", "op": "=", "value": TYPES[c.kind]})];
    if let Some(v) = c.at_least {
        conditions.push(json!({"column": "value", "op": ">=", "value": v}));
    }
    serde_json::from_value(json!({
        "version": 1,
        "sources": {"events": {"kommun": "kommun", "year": "year", "age": "age"}},
        "indicators": [{
            "id": "n", "name": "n", "measure": "count",
            "ages": {"min": c.min_age},
            "numerator": {"source": "events", "where": conditions}
        }]
    }))
    .unwrap()
}

/// A count per (kommun, year).
type Count = ((String, u16), f64);

/// What the new conditions give, by hand: rows refused whole when the numeric condition cannot
/// read their value (the text test passing first), counted per kommun and year otherwise.
fn oracle(rows: &[Row], c: &Cond) -> (Vec<Count>, bool) {
    let mut counts = std::collections::BTreeMap::new();
    let mut refused = false;
    for r in rows {
        if r.kind != c.kind || r.age < c.min_age / 5 * 5 {
            continue;
        }
        if let Some(v) = c.at_least {
            match VALUES[r.value].parse::<f64>() {
                Ok(x) if x >= v => {}
                Ok(_) => continue,
                Err(_) => {
                    refused = true;
                    continue;
                }
            }
        }
        *counts
            .entry((KOMMUNER[r.kommun].to_owned(), r.year))
            .or_insert(0.0) += 1.0;
    }
    (counts.into_iter().collect(), refused)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn an_edit_answered_from_the_cube_counts_what_a_hand_count_does(
        rows in rows(), first in cond(), second in cond()
    ) {
        let level = Level::parse("kommun,year").unwrap();
        let data = csv(&rows);
        let a = compile(&spec(&first)).unwrap().for_levels(std::slice::from_ref(&level));
        let read = read_in_memory(&a, "events", "events.csv", data.as_bytes()).unwrap();
        let b = compile(&spec(&second)).unwrap().for_levels(std::slice::from_ref(&level));
        let (expected, refuses) = oracle(&rows, &second);
        match b.answers(&read) {
            Ok(()) => {
                // Answered: the rows the new conditions would refuse cannot be among them.
                prop_assert!(!refuses || oracle(&rows, &first).1, "answered though rows would be refused");
                let results = b.finish(&[&read], std::slice::from_ref(&level)).unwrap();
                let got: Vec<Count> = results.tables[0]
                    .rows
                    .iter()
                    .filter(|r| r.numerator > 0.0)
                    .map(|r| ((r.keys[0].clone(), r.period_code.year), r.numerator))
                    .collect();
                let expected: Vec<_> = expected.into_iter().filter(|(_, n)| *n > 0.0).collect();
                prop_assert_eq!(got, expected);
            }
            Err(e) => {
                let e = e.to_string();
                prop_assert!(
                    e.contains("cannot read some of the values")
                        || e.contains("rows were refused for a condition")
                        || e.contains("was not read for a condition"),
                    "{}", e
                );
                // It says so only when it must: rows would be refused, were refused, or a
                // column is new.
                prop_assert!(
                    refuses || oracle(&rows, &first).1 || (first.at_least.is_none() && second.at_least.is_some()),
                    "{}", e
                );
            }
        }
    }
}

/// A tested column's long values are kept only as the outcome of the plan's own conditions:
/// the same conditions are answered from the cube, another value of them needs the file.
#[test]
fn long_values_are_kept_as_outcomes_not_texts() {
    let level = Level::parse("kommun,year").unwrap();
    let long = "x".repeat(300);
    let mut data = String::from("id,kommun,year,age,event_type,value\n");
    for i in 0..40 {
        let kind = if i % 2 == 0 { long.as_str() } else { "fall" };
        data.push_str(&format!("{i},2480,2022,70,{kind},1\n"));
    }
    let first = Cond {
        kind: 0,
        at_least: None,
        min_age: 0,
    };
    let a = compile(&spec(&first))
        .unwrap()
        .for_levels(std::slice::from_ref(&level));
    let read = read_in_memory(&a, "events", "events.csv", data.as_bytes()).unwrap();
    // The plan's own condition (event_type = fall): 20 rows, from the cube.
    let r = a.finish(&[&read], std::slice::from_ref(&level)).unwrap();
    assert_eq!(r.tables[0].rows[0].numerator, 20.0);
    // Another value of it: the long texts were not kept, so the file is needed.
    let other = Cond {
        kind: 1,
        at_least: None,
        min_age: 0,
    };
    let b = compile(&spec(&other))
        .unwrap()
        .for_levels(std::slice::from_ref(&level));
    let err = b.answers(&read).unwrap_err().to_string();
    assert!(err.contains("longer ones, than the cube keeps"), "{err}");
}
