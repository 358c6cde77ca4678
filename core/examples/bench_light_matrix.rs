//! Benchmark (issue 10): a notebook's light matrix and trend over 50 000 health centres × 2
//! indicators × 2 years (100 000 rows), the size that took 33 s while the view searched its
//! rows once per unit.
//!
//! Run: `cargo run --release -p samsyn-core --example bench_light_matrix [UNITS]`. It makes the
//! seeded input in memory, reads it into the notebook's plan, runs the notebook once and prints
//! the time of each step and the process's peak memory (VmHWM). It asserts the matrix's and the
//! trend's shape (one row and one line per unit), never a time (CONVENTIONS.md §6).

use std::hash::{Hash, Hasher};
use std::time::Instant;

use samsyn_core::notebook::{prepare, read_input, CellOutput, Notebook, Session};

#[path = "common/mod.rs"]
mod common;
use common::{peak_memory_mb, Rng};

const UNITS: usize = 50_000;

/// The notebook: one data cell, two indicators at provider level, a light matrix and a trend.
fn notebook() -> Notebook {
    let json = serde_json::json!({
        "format": "samsyn-notebook", "version": 1, "title": "Många vårdcentraler",
        "cells": [
            { "type": "data", "id": "visits", "name": "visits",
              "keys": { "provider": "vardcentral", "year": "year" } },
            { "type": "indicators", "id": "ind", "indicators": [
                { "id": "answered", "name": "Andel besvarade", "measure": "share", "unit": "%",
                  "polarity": "high_is_good",
                  "numerator": { "source": "visits", "sum": "answered" },
                  "denominator": { "source": "visits", "sum": "asked" },
                  "light": { "method": "quantiles" } },
                { "id": "visits", "name": "Besök", "measure": "count", "unit": "antal",
                  "polarity": "high_is_good",
                  "numerator": { "source": "visits", "sum": "asked" },
                  "light": { "method": "quantiles" } }
            ] },
            { "type": "chart", "id": "matrix", "chart": "light_matrix", "level": "provider,year",
              "filter": { "period": "latest" } },
            { "type": "chart", "id": "trend", "chart": "trend", "level": "provider,year",
              "indicators": ["answered"] }
        ]
    });
    serde_json::from_value(json).expect("the benchmark's notebook is valid")
}

/// `units` health centres, each with 2024 and 2025: asked 20–119, answered up to that.
fn input(units: usize) -> String {
    let mut rng = Rng(0x5A45_5359_4E00_0010);
    let mut text = String::from("vardcentral,year,asked,answered\n");
    for u in 0..units {
        for year in [2024, 2025] {
            let asked = 20 + rng.below(100);
            let answered = rng.below(asked + 1);
            text.push_str(&format!("VC {u:05},{year},{asked},{answered}\n"));
        }
    }
    text
}

fn main() {
    let units = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(UNITS);
    let t = Instant::now();
    let text = input(units);
    let made = t.elapsed();
    let t = Instant::now();
    let prepared = prepare(&notebook(), &[]).expect("the notebook prepares");
    let input = read_input(&prepared, "visits", "visits.csv", text.as_bytes()).expect("reads");
    let read = t.elapsed();
    let t = Instant::now();
    let out = Session::default()
        .run(&prepared, &[input])
        .expect("the notebook runs");
    let run = t.elapsed();
    let svg = |id: &str| match out.cells.iter().find(|(c, _)| c == id).map(|(_, o)| &**o) {
        Some(CellOutput::Chart { svg, .. }) => svg.clone(),
        other => panic!("cell {id}: {other:?}"),
    };
    let matrix = svg("matrix");
    let shape = format!("Matris med trafikljus, {units} enheter × 2 indikatorer.");
    assert!(matrix.contains(&shape), "the matrix is not {units} × 2");
    let trend = svg("trend");
    // One series per unit and the county (a unit whose counts are all masked has no line).
    let series = trend.matches("<g class=\"series").count();
    assert_eq!(series, units + 1, "the trend has {series} series");
    // A digest of both charts, to compare the bytes of two builds (e.g. before and after a change).
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&matrix, &trend).hash(&mut h);
    println!(
        "{units} units × 2 indicators × 2 years ({} rows): input made in {:.2} s, read in {:.2} s, \
         notebook run (finish, matrix, trend) in {:.2} s; matrix SVG {:.1} MB, trend SVG {:.1} MB; \
         peak memory {} MB; digest of both charts {:016x}",
        2 * units,
        made.as_secs_f64(),
        read.as_secs_f64(),
        run.as_secs_f64(),
        matrix.len() as f64 / 1e6,
        trend.len() as f64 / 1e6,
        peak_memory_mb().map_or("?".into(), |m| format!("{m:.0}")),
        h.finish(),
    );
}
