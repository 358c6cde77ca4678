//! Benchmark (issue 11): the time of each edit an opened notebook answers from its sources'
//! cubes, on the seeded sample county at 1 M event rows (`cargo xtask sample-data`'s files).
//!
//! Run: `cargo xtask bench edits [--rows N]`, or
//! `cargo run --profile native -p samsyn-cli --example bench_edits -- [ROWS]`.
//! Prints the first read and run, then per edit: prepare (substitute and compile), the check
//! that no file is needed, and the run from the cubes, as the median of 5. No test asserts a
//! time (CONVENTIONS.md §6); `cli/tests/cube_edits.rs` checks that the results are those of a
//! fresh read.

use std::path::Path;
use std::time::Instant;

use samsyn_core::notebook::exec::{prepare_with, read_input, Session};
use samsyn_core::notebook::Notebook;
use samsyn_core::stats::disclosure::Protection;
use serde_json::{json, Value};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn indicator<'a>(nb: &'a mut Value, id: &str) -> &'a mut Value {
    nb["cells"]
        .as_array_mut()
        .and_then(|cells| cells.iter_mut().find(|c| c["type"] == "indicators"))
        .and_then(|c| c["indicators"].as_array_mut())
        .and_then(|is| is.iter_mut().find(|i| i["id"] == id))
        .expect("the falls notebook has this indicator")
}

fn main() {
    let rows: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("samsyn-bench-edits-{rows}"));
    if !dir.join("events.csv").is_file() {
        std::fs::create_dir_all(&dir).expect("a temp folder");
        xtask::sample_data::write_sample(&dir, 7, Some(rows), 0).expect("the sample county");
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../notebooks/falls.samsyn.json");
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("falls.samsyn.json"))
            .expect("JSON");
    let open = |v: &Value| Notebook::open(&v.to_string()).expect("the notebook opens");

    let t = Instant::now();
    let prepared = prepare_with(&open(&original), &[], Protection::default()).expect("prepare");
    let mut bytes = 0;
    let inputs: Vec<_> = prepared
        .input_names()
        .iter()
        .map(|name| {
            let file = if name == "events" {
                "events.csv"
            } else {
                "population.csv"
            };
            let data = std::fs::read(dir.join(file)).expect("the sample file");
            bytes += data.len();
            read_input(&prepared, name, file, &data).expect("read")
        })
        .collect();
    let read = ms(t);
    let mut session = Session::default();
    let t = Instant::now();
    session.run(&prepared, &inputs).expect("run");
    let run = ms(t);
    let cube_cells: usize = inputs
        .iter()
        .filter_map(|i| i.source.data.as_ref())
        .map(|d| d.cube.len())
        .sum();
    let events_rows = inputs
        .iter()
        .find(|i| i.source.name == "events")
        .map_or(0, |i| i.source.rows.read);
    println!(
        "falls.samsyn.json on {events_rows} event rows ({:.1} MB read): read {read:.0} ms, first run {run:.0} ms; {cube_cells} cube cells",
        bytes as f64 / 1e6
    );

    let mut edits: Vec<(&str, Value, Protection)> = Vec::new();
    let mut nb = original.clone();
    indicator(&mut nb, "fall_admissions_80")["numerator"]["where"][1]["value"] = json!("infection");
    edits.push((
        "condition value (cause = infection)",
        nb,
        Protection::default(),
    ));
    let mut nb = original.clone();
    indicator(&mut nb, "fall_admissions_80")["ages"] = json!({"min": 65, "max": 79});
    edits.push(("age range (65-79)", nb, Protection::default()));
    let mut nb = original.clone();
    indicator(&mut nb, "fall_admissions_80")["light"] =
        json!({"method": "benchmark", "against": {"value": 20}});
    edits.push(("light rule (target 20)", nb, Protection::default()));
    let mut nb = original.clone();
    for c in nb["cells"].as_array_mut().into_iter().flatten() {
        if c["level"] == "kommun,year" {
            c["level"] = json!("kommun,sex,year");
        }
    }
    edits.push(("level (kommun,sex,year)", nb, Protection::default()));
    edits.push((
        "disclosure threshold (10)",
        original.clone(),
        Protection::at(10.0).expect("a floor"),
    ));
    edits.push((
        "nothing (every cell reused)",
        original.clone(),
        Protection::default(),
    ));

    println!(
        "{:<36} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "edit", "prepare", "check", "run", "total", "report"
    );
    for (what, nb, protection) in edits {
        let (mut p, mut c, mut r, mut total) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // The HTML report of the edited run, which the app renders only when it is asked for.
        let mut html = Vec::new();
        for _ in 0..5 {
            // A new session each time, holding the first run's outputs, as the app's after
            // one run and one edit.
            let mut s = Session::default();
            s.run(&prepared, &inputs).expect("run");
            let t0 = Instant::now();
            let edited = prepare_with(&open(&nb), &[], protection).expect("prepare");
            let t1 = Instant::now();
            for i in &inputs {
                edited.reusable(i).expect("answered from the cube");
            }
            let t2 = Instant::now();
            let results = s.run(&edited, &inputs).expect("run");
            p.push((t1 - t0).as_secs_f64() * 1000.0);
            c.push((t2 - t1).as_secs_f64() * 1000.0);
            r.push(ms(t2));
            total.push(ms(t0));
            let t3 = Instant::now();
            let report = samsyn_core::notebook::report::render(&results, "bench");
            html.push(ms(t3));
            std::hint::black_box(report);
        }
        println!(
            "{what:<36} {:>8.1}ms {:>8.1}ms {:>8.1}ms {:>8.1}ms {:>8.1}ms",
            median(p),
            median(c),
            median(r),
            median(total),
            median(html)
        );
    }
}
