//! The traffic-light rules against the shared Fingertips vectors (methods.md §5.1), copied to
//! `tests/data/indicators/` (see its README for the source).

use std::collections::HashMap;
use std::path::PathBuf;

use samsyn_core::classify::quantiles::{fingertips_bounds, fingertips_category, quantile_lights};
use samsyn_core::classify::traffic_light::{
    ci_vs_target, compare_one_level, compare_two_levels, range_target, value_vs_target, Estimate,
};
use samsyn_core::classify::{Light, Polarity};

type Row = HashMap<String, String>;

fn read(name: &str) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/indicators")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

fn num(r: &Row, k: &str) -> Option<f64> {
    r.get(k).and_then(|v| v.parse().ok())
}

fn polarity(s: &str) -> Option<Polarity> {
    match s {
        "high_is_good" => Some(Polarity::HighIsGood),
        "low_is_good" => Some(Polarity::LowIsGood),
        "bob" => Some(Polarity::NoJudgement),
        _ => None,
    }
}

#[test]
fn benchmark_comparisons_match_fingertips() {
    let rows = read("rag_benchmark.csv");
    assert_eq!(rows.len(), 28);
    for r in rows {
        let e = Estimate {
            value: num(&r, "value"),
            lower_95: num(&r, "lower_95"),
            upper_95: num(&r, "upper_95"),
            lower_998: num(&r, "lower_998"),
            upper_998: num(&r, "upper_998"),
        };
        let b = num(&r, "benchmark").unwrap();
        let p = polarity(&r["polarity"]);
        assert_eq!(
            compare_one_level(&e, b, p).label(),
            r["one_ci_level"],
            "{r:?}"
        );
        assert_eq!(
            compare_two_levels(&e, b, p).label(),
            r["two_ci_levels"],
            "{r:?}"
        );
    }
}

#[test]
fn targets_match_fingertips() {
    let rows = read("rag_target.csv");
    assert_eq!(rows.len(), 10);
    for r in rows {
        let p = polarity(&r["polarity"]).unwrap();
        let (v, l, u, t) = (
            num(&r, "value").unwrap(),
            num(&r, "lower_95").unwrap(),
            num(&r, "upper_95").unwrap(),
            num(&r, "target").unwrap(),
        );
        assert_eq!(
            value_vs_target(v, t, p).unwrap().label(),
            r["value_vs_target"],
            "{r:?}"
        );
        assert_eq!(
            ci_vs_target(l, u, t, p).unwrap().label(),
            r["ci_vs_target"],
            "{r:?}"
        );
    }
    let rows = read("rag_target_range.csv");
    assert_eq!(rows.len(), 14);
    for r in rows {
        let p = polarity(&r["polarity"]).unwrap();
        let rag = range_target(
            num(&r, "value").unwrap(),
            num(&r, "lower_limit").unwrap(),
            num(&r, "upper_limit").unwrap(),
            p,
        );
        assert_eq!(rag.unwrap().label(), r["rag"], "{r:?}");
    }
}

#[test]
fn quantiles_match_fingertips() {
    let rows = read("quantiles.csv");
    let values: Vec<f64> = rows.iter().map(|r| num(r, "value_pct").unwrap()).collect();
    let b5 = fingertips_bounds(&values, 5).unwrap();
    let b4 = fingertips_bounds(&values, 4).unwrap();
    let bounds = read("quantile_bounds.csv");
    for (k, b) in [("5", &b5), ("4", &b4)] {
        let want: Vec<f64> = bounds.iter().find(|r| r["k"] == k).unwrap()["bounds"]
            .split(' ')
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(want.len(), b.len());
        for (w, g) in want.iter().zip(b.iter()) {
            assert!((w - g).abs() < 1e-9, "k={k}: {want:?} vs {b:?}");
        }
    }
    for (r, &v) in rows.iter().zip(&values) {
        let q5 = fingertips_category(v, &b5);
        assert_eq!(q5.to_string(), r["fingertips_quintile"]);
        assert_eq!((6 - q5).to_string(), r["fingertips_quintile_high_is_good"]);
        assert_eq!(
            fingertips_category(v, &b4).to_string(),
            r["fingertips_quartile"]
        );
    }
    // 25/50/25 lights are Fingertips quartiles: quartile 4 green and 1 red when high is good.
    let lights = quantile_lights(
        &values.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
        Polarity::HighIsGood,
        0.25,
        0.25,
    );
    for (r, c) in rows.iter().zip(&lights) {
        let want = match r["fingertips_quartile"].as_str() {
            "4" => Light::Green,
            "1" => Light::Red,
            _ => Light::Yellow,
        };
        assert_eq!(c.light, want, "{r:?} {c:?}");
    }
    let low = quantile_lights(
        &values.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
        Polarity::LowIsGood,
        0.25,
        0.25,
    );
    for (r, c) in rows.iter().zip(&low) {
        let want = match r["fingertips_quartile"].as_str() {
            "1" => Light::Green,
            "4" => Light::Red,
            _ => Light::Yellow,
        };
        assert_eq!(c.light, want, "{r:?} {c:?}");
    }
}
