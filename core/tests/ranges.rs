//! Issue 13, "use the cores the machine has": a file read as byte ranges, each into a plan of
//! its own, and merged in file order gives what one pass gives, bit for bit — the same cells,
//! sums, problems (with their rows), refused rows and results — or the merge says why it
//! cannot (`OnePass`) and the shell reads the file in one pass. Checked on the sample county
//! with bad rows of every kind injected anywhere and cuts anywhere (proptest), and case by case
//! for each reason a merge must refuse. The CLI's threads are checked in `cli/tests/threads.rs`.

use proptest::prelude::*;
use samsyn_core::ingest::dialect::SAMPLE_BYTES;
use samsyn_core::ingest::ranges::{self, MergeRanges, OnePass};
use samsyn_core::ingest::FileReader;
use samsyn_core::notebook::exec::{
    prepare, read_input, Input, InputPart, InputPlan, Prepared, Session,
};
use samsyn_core::notebook::Notebook;

/// The first `lines` lines of the sample county's events (header included).
fn sample_events(lines: usize) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../sample-data/events.csv");
    let text = std::fs::read_to_string(path).expect(
        "sample-data/events.csv is generated, not committed: `cargo xtask sample-data` writes it \
         (`cargo xtask test` does so before the tests)",
    );
    let mut out = String::new();
    for line in text.lines().take(lines) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn example(name: &str) -> Notebook {
    let path = format!("{}/../notebooks/{name}", env!("CARGO_MANIFEST_DIR"));
    Notebook::open(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A notebook counting the events without a row id: exact copies are found by their hash.
fn without_row_id() -> Notebook {
    Notebook::open(
        r#"{"format": "samsyn-notebook", "version": 1, "title": "t", "cells": [
  {"type": "data", "id": "events", "name": "events",
   "keys": {"deso": "deso", "provider": "vardcentral", "date": "date", "sex": "sex", "age": "age"}},
  {"type": "indicators", "id": "ind", "indicators": [
    {"id": "falls", "name": "Fall", "measure": "count",
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "fall_injury"}]}},
    {"id": "visits", "name": "Hembesök", "measure": "count",
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "home_visit"},
                                                 {"column": "value", "op": ">=", "value": 1}]}}]},
  {"type": "table", "id": "falls_table", "indicator": "falls", "level": "kommun,year"},
  {"type": "table", "id": "visits_table", "indicator": "visits", "level": "vardcentral,year"}
]}"#,
    )
    .unwrap()
}

/// Reads `bytes` as input `name` in ranges cut just past the first line end at or after each of
/// `cuts` (those inside the dialect's sample are moved past it), fed in chunks of `chunk`
/// bytes, and merges them (through the bytes a worker sends when `chunk` is odd); also returns
/// how many ranges there were.
fn in_ranges(
    prepared: &Prepared,
    name: &str,
    bytes: &[u8],
    cuts: &[usize],
    chunk: usize,
) -> (usize, Result<Input, OnePass>) {
    let file = "events.csv";
    let options = prepared.read_options(name);
    let head = SAMPLE_BYTES.min(bytes.len());
    let mut starts = vec![0usize];
    let mut cuts = cuts.to_vec();
    cuts.sort_unstable();
    for c in cuts {
        let c = c.max(head);
        let Some(i) = bytes.get(c..).and_then(ranges::line_start_in) else {
            continue;
        };
        let s = c + i;
        if s > *starts.last().unwrap() && s < bytes.len() {
            starts.push(s);
        }
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .copied()
        .chain([bytes.len()])
        .collect();
    let feed = |reader: &mut FileReader, plan: &mut InputPlan, from: usize, to: usize| {
        for piece in bytes[from..to].chunks(chunk) {
            reader.push(piece, plan).unwrap();
        }
    };
    let mut first = prepared.input_plan(name);
    let mut reader = FileReader::new(file, options.clone());
    feed(&mut reader, &mut first, 0, head.min(ends[0]));
    let continuation = reader.continuation();
    let mut parts = Vec::new();
    feed(&mut reader, &mut first, head.min(ends[0]), ends[0]);
    let outcome = reader.finish(&mut first).unwrap();
    parts.push((first, outcome));
    let n = starts.len();
    for k in 1..n {
        let continuation = continuation.as_ref().expect("the header is read");
        let mut plan = prepared.input_plan(name);
        let mut reader =
            FileReader::continuing(file, options.clone(), continuation, &mut plan).unwrap();
        feed(&mut reader, &mut plan, starts[k], ends[k]);
        let outcome = reader.finish(&mut plan).unwrap();
        parts.push((plan, outcome));
    }
    let mut parts = parts.into_iter();
    let first = parts.next().unwrap();
    // Half the time the later parts go through the bytes a worker sends.
    let later: Vec<_> = parts
        .map(|(plan, outcome)| {
            let (part, read) = (plan.into_part(), ranges::LaterRead::from(outcome));
            if chunk.is_multiple_of(2) {
                return (part, read);
            }
            let bytes = ranges::encode_part(&part, &read).unwrap();
            let (part, read): (InputPart, _) = ranges::decode_part(&bytes).unwrap();
            (part, read)
        })
        .collect();
    let merged = ranges::merge_parts(first, later).map(|(plan, outcome)| {
        let fingerprint = samsyn_core::hashing::bytes_fingerprint(file, bytes, None);
        plan.finish(file, fingerprint, outcome.stats, outcome.problems)
    });
    (n, merged)
}

/// Everything a read gives that a run or a report can see.
fn view(input: &Input) -> String {
    let s = &input.source;
    let d = s.data.as_ref().expect("a source");
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}\n{:?}",
        s.stats,
        s.problems,
        s.rows,
        d.cells,
        d.sides,
        d.geos,
        d.providers,
        d.partial_years,
        d.identifiers,
        d.skipped_rows,
        d.cube.len(),
        d.cube.tested_values(10_000),
    )
}

/// The notebook's results (what the report shows and the CSV files hold) as JSON.
fn results(prepared: &Prepared, inputs: &[Input]) -> serde_json::Value {
    let r = Session::default().run(prepared, inputs).unwrap();
    let mut v = serde_json::to_value(&r).unwrap();
    v.as_object_mut().unwrap().remove("computed");
    v
}

/// `Ok(true)` when the ranges merged into what one pass gives; `Ok(false)` when the merge
/// refused; `Err` when it merged into something else.
fn same_as_one_pass(
    nb: &Notebook,
    events: &str,
    cuts: &[usize],
    chunk: usize,
) -> Result<bool, String> {
    let prepared = prepare(nb, &[]).unwrap();
    let one = read_input(&prepared, "events", "events.csv", events.as_bytes()).unwrap();
    let (_, merged) = in_ranges(&prepared, "events", events.as_bytes(), cuts, chunk);
    let Ok(merged) = merged else {
        return Ok(false);
    };
    let (a, b) = (view(&one), view(&merged));
    if a != b {
        // The parts that differ, from where they start to differ.
        let diff: Vec<String> = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .map(|(i, (x, y))| {
                let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
                let from = at.saturating_sub(80);
                let cut = |t: &str| t.get(from..(at + 200).min(t.len())).unwrap_or(t).to_owned();
                format!(
                    "part {i}: one pass …{}\n        in ranges …{}",
                    cut(x),
                    cut(y)
                )
            })
            .collect();
        return Err(diff.join("\n"));
    }
    let others: Vec<Input> = prepared
        .input_names()
        .into_iter()
        .filter(|n| n != "events")
        .map(|n| {
            let bytes = match n.as_str() {
                "population" => population(),
                other => panic!("no test file for input '{other}'"),
            };
            read_input(&prepared, &n, &format!("{n}.csv"), bytes.as_bytes()).unwrap()
        })
        .collect();
    let with = |events: Input| {
        let mut inputs = vec![events];
        inputs.extend(others.iter().cloned());
        results(&prepared, &inputs)
    };
    if with(one) != with(merged) {
        return Err("the notebook's results differ".into());
    }
    Ok(true)
}

fn population() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../sample-data/population.csv");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn clean_sample_in_ranges_is_the_one_pass_result() {
    let events = sample_events(4000);
    let len = events.len();
    for nb in [example("falls.samsyn.json"), without_row_id()] {
        for cuts in [
            vec![len / 2],
            vec![len / 4, len / 2, 3 * len / 4],
            vec![len / 3, len / 3 + 1],
        ] {
            assert_eq!(
                same_as_one_pass(&nb, &events, &cuts, 4096),
                Ok(true),
                "cuts {cuts:?}"
            );
        }
    }
    // The cuts really cut: 4 ranges were read.
    let prepared = prepare(&example("falls.samsyn.json"), &[]).unwrap();
    let (n, merged) = in_ranges(
        &prepared,
        "events",
        events.as_bytes(),
        &[len / 4, len / 2, 3 * len / 4],
        1 << 20,
    );
    assert_eq!(n, 4);
    assert!(merged.is_ok());
}

/// A line of the sample moved to the end of the file: far from the row it copies.
fn with_line_at_end(events: &str, line: usize, edit: impl Fn(&str) -> String) -> String {
    let copy = edit(events.lines().nth(line).unwrap());
    format!("{events}{copy}\n")
}

#[test]
fn a_row_repeating_a_row_of_an_earlier_range_is_read_in_one_pass() {
    let events = sample_events(3000);
    let cut = [events.len() / 2];
    // An exact copy, found by its hash without a row id and by its id with one.
    let copy = with_line_at_end(&events, 10, str::to_owned);
    assert_eq!(
        same_as_one_pass(&without_row_id(), &copy, &cut, 4096),
        Ok(false)
    );
    assert_eq!(
        same_as_one_pass(&example("falls.samsyn.json"), &copy, &cut, 4096),
        Ok(false)
    );
    // Another row with an earlier range's id.
    let repeated_id = with_line_at_end(&events, 10, |l| {
        let mut f: Vec<&str> = l.split(',').collect();
        f[10] = "another cause";
        f.join(",")
    });
    let prepared = prepare(&example("falls.samsyn.json"), &[]).unwrap();
    let (_, merged) = in_ranges(&prepared, "events", repeated_id.as_bytes(), &cut, 4096);
    assert_eq!(
        merged.err(),
        Some(OnePass(
            "a row or row id of a later range was seen in an earlier one"
        ))
    );
    // In the same range (both after the cut) they merge, and are refused as in one pass.
    let late = sample_events(3000);
    let tail_copy = with_line_at_end(&late, 2990, str::to_owned);
    assert_eq!(
        same_as_one_pass(&example("falls.samsyn.json"), &tail_copy, &cut, 4096),
        Ok(true)
    );
}

#[test]
fn a_cut_inside_a_quoted_field_is_read_in_one_pass() {
    let events = sample_events(3000);
    let mut lines: Vec<String> = events.lines().map(str::to_owned).collect();
    // A cause spanning two lines in the middle of the file.
    let mid = (lines.len() / 2..)
        .find(|&i| lines[i].contains(",other,"))
        .unwrap();
    lines[mid] = lines[mid].replacen(",other,", ",\"other\ncause\",", 1);
    let text = lines.join("\n") + "\n";
    let at = text.find("other\ncause").unwrap() + 2;
    let prepared = prepare(&without_row_id(), &[]).unwrap();
    let (n, merged) = in_ranges(&prepared, "events", text.as_bytes(), &[at], 4096);
    assert_eq!(n, 2);
    assert_eq!(
        merged.err(),
        Some(OnePass("a cut fell inside a quoted field"))
    );
    // Cut elsewhere, the quoted row is read whole in its range.
    assert_eq!(
        same_as_one_pass(&without_row_id(), &text, &[text.len() / 4], 4096),
        Ok(true)
    );
}

#[test]
fn a_plan_that_sums_values_is_not_split() {
    let prepared = prepare(&example("falls.samsyn.json"), &[]).unwrap();
    assert!(prepared.input_plan("events").splittable());
    // Population is summed: adding in another order could change the last bit.
    assert!(!prepared.input_plan("population").splittable());
}

/// A bad row of one of the kinds the sample's injected file has, made from a good line.
fn spoil(line: &str, kind: u8) -> String {
    let fields: Vec<&str> = line.split(',').collect();
    let set = |i: usize, v: &str| {
        let mut f = fields.clone();
        f[i] = v;
        f.join(",")
    };
    match kind % 14 {
        0 => line.to_owned(),                      // an exact copy
        1 => fields[..fields.len() - 1].join(","), // ragged
        2 => set(8, "abc"),
        3 => set(8, "-3"),
        4 => set(4, "9999X0001"),
        5 => set(3, "2021-02-30"),
        6 => set(7, "X"),
        7 => set(9, "unknown"),
        8 => set(11, "1,0"),
        9 => String::new(), // blank
        10 => set(11, "ja"),
        11 => set(10, "\"two\nlines\""),
        12 => set(5, "0180"), // kommun disagrees with the DeSO code
        _ => set(2, "1999"),  // year disagrees with the date
    }
}

/// The file of the sample's first `lines` lines with `bad` rows inserted: (where, kind, the
/// line it is made from).
fn spoiled(lines: usize, bad: &[(usize, u8, usize)]) -> String {
    let mut out: Vec<String> = sample_events(lines).lines().map(str::to_owned).collect();
    for (at, kind, from) in bad {
        let source = out[1 + from % (out.len() - 1)].clone();
        out.insert(1 + at % (out.len() - 1), spoil(&source, *kind));
    }
    out.join("\n") + "\n"
}

/// Cases the random test below once found.
#[test]
fn found_cases_give_the_one_pass_result() {
    // Three ranges; a copy of a row of the third (with an unreadable age) in the second:
    // the third must be checked against the first two together.
    let text = spoiled(2500, &[(671, 2, 1679)]);
    let cuts = [(0.6743391710829455 * text.len() as f64) as usize, 0];
    assert_eq!(
        same_as_one_pass(&example("falls.samsyn.json"), &text, &cuts, 1 << 20),
        Ok(false)
    );
    let prepared = prepare(&example("falls.samsyn.json"), &[]).unwrap();
    let (n, merged) = in_ranges(&prepared, "events", text.as_bytes(), &cuts, 1 << 20);
    assert_eq!(n, 3);
    assert_eq!(
        merged.err(),
        Some(OnePass(
            "a row or row id of a later range was seen in an earlier one"
        ))
    );
}

/// Bad rows anywhere, cuts anywhere, chunks of any size: merged ranges give the one-pass
/// result or refuse to merge; and most of the time they merge.
#[test]
fn ranges_give_the_one_pass_result_or_refuse() {
    use proptest::test_runner::{Config, TestRunner};
    let strategy = (
        proptest::collection::vec((0usize..2500, 0u8..14, 0usize..2500), 0..6),
        proptest::collection::vec(0.0f64..1.0, 1..4),
        prop_oneof![Just(1usize << 20), 1000usize..70_000],
        any::<bool>(),
    );
    let merged = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(Config::with_cases(32));
    runner
        .run(&strategy, |(bad, cuts, chunk, row_id)| {
            let text = spoiled(2500, &bad);
            let cuts: Vec<usize> = cuts
                .iter()
                .map(|c| (c * text.len() as f64) as usize)
                .collect();
            let nb = if row_id {
                example("falls.samsyn.json")
            } else {
                without_row_id()
            };
            match same_as_one_pass(&nb, &text, &cuts, chunk) {
                Ok(true) => merged.set(merged.get() + 1),
                Ok(false) => {}
                Err(e) => return Err(TestCaseError::fail(e)),
            }
            Ok(())
        })
        .unwrap();
    assert!(
        merged.get() >= 12,
        "only {} of 32 cases merged",
        merged.get()
    );
}
