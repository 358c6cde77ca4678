//! Every reference vector for the statistics core (`tests/data/stats/`, from PHEindicatormethods'
//! formulas; see its README) checked to relative error 1e-9.

use std::collections::HashMap;
use std::path::PathBuf;

use samsyn_core::standard_pop::StandardPopulation;
use samsyn_core::stats::byar::{byar_lower, byar_upper};
use samsyn_core::stats::dsr::{dsr, BandCount};
use samsyn_core::stats::funnel::{
    proportion_baseline, proportion_limits, proportion_significance, ratio_limits,
};
use samsyn_core::stats::isr::{isr, IsrConfig, IsrReference};
use samsyn_core::stats::poisson::{exact_lower, exact_upper, phe_count_limits};
use samsyn_core::stats::{crude_rate, proportion, Confidence, DsrConfig};

const TOLERANCE: f64 = 1e-9;

type Row = HashMap<String, String>;

fn read(name: &str) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/stats")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let rows: Vec<Row> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect();
    assert!(!rows.is_empty(), "{name} has no rows");
    rows
}

fn num(row: &Row, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col}: {:?}", row[col]))
}

/// Checks a value against a cell; an empty cell means the value must be absent.
fn check(file: &str, row: &Row, col: &str, got: Option<f64>) {
    let want = row
        .get(col)
        .unwrap_or_else(|| panic!("{file}: no column {col}"));
    match (want.is_empty(), got) {
        (true, None) => {}
        (true, Some(g)) => panic!("{file} {row:?}: {col} should be empty, got {g}"),
        (false, None) => panic!("{file} {row:?}: {col} should be {want}, got nothing"),
        (false, Some(g)) => {
            let w: f64 = want.parse().unwrap();
            let err = if w == 0.0 {
                g.abs()
            } else {
                ((g - w) / w).abs()
            };
            assert!(
                err <= TOLERANCE,
                "{file} {row:?}: {col} = {g}, expected {w} (relative error {err:e})"
            );
        }
    }
}

fn confidence(row: &Row) -> Confidence {
    Confidence::new(num(row, "confidence")).unwrap()
}

#[test]
fn wilson_proportions() {
    let file = "wilson_proportions.csv";
    for row in read(file) {
        let p = proportion(
            num(&row, "numerator"),
            num(&row, "denominator"),
            num(&row, "multiplier"),
            confidence(&row),
        )
        .unwrap();
        check(file, &row, "value", Some(p.value));
        check(file, &row, "lower", Some(p.lower));
        check(file, &row, "upper", Some(p.upper));
    }
}

#[test]
fn poisson_counts_exact_byar_and_phe_rule() {
    let file = "poisson_counts.csv";
    for row in read(file) {
        let (x, c) = (num(&row, "count"), confidence(&row));
        check(file, &row, "exact_lower", Some(exact_lower(x, c)));
        check(file, &row, "exact_upper", Some(exact_upper(x, c)));
        check(file, &row, "byar_lower", byar_lower(x, c));
        check(file, &row, "byar_upper", Some(byar_upper(x, c)));
        let phe = phe_count_limits(x, c).unwrap();
        check(file, &row, "phe_lower", Some(phe.lower));
        check(file, &row, "phe_upper", Some(phe.upper));
        assert_eq!(phe.method.label(), row["phe_method"]);
    }
}

#[test]
fn crude_rates() {
    let file = "crude_rates.csv";
    for row in read(file) {
        let r = crude_rate(
            num(&row, "count"),
            num(&row, "population"),
            num(&row, "multiplier"),
            confidence(&row),
        )
        .unwrap();
        check(file, &row, "value", Some(r.value));
        check(file, &row, "lower", Some(r.lower));
        check(file, &row, "upper", Some(r.upper));
        assert_eq!(r.method.label(), row["method"]);
    }
}

/// (band, count, population) rows of one area.
type AreaBands = (String, Vec<(String, f64, f64)>);

/// (band, count, population) by area, in file order.
fn dsr_inputs() -> Vec<AreaBands> {
    let esp = StandardPopulation::esp2013();
    let mut areas: Vec<AreaBands> = Vec::new();
    for row in read("dsr_esp2013_inputs.csv") {
        let band = row["age_band"].clone();
        // The vectors carry the ESP2013 weight: the built-in table must agree.
        let p = esp.position(&band).unwrap();
        assert_eq!(
            esp.weights()[p],
            num(&row, "esp2013"),
            "ESP2013 weight of {band}"
        );
        let item = (band, num(&row, "count"), num(&row, "population"));
        match areas.iter_mut().find(|(a, _)| *a == row["area"]) {
            Some((_, v)) => v.push(item),
            None => areas.push((row["area"].clone(), vec![item])),
        }
    }
    areas
}

#[test]
fn dsr_esp2013_all_ages_and_65_plus() {
    let file = "dsr_esp2013_expected.csv";
    let inputs = dsr_inputs();
    let esp = StandardPopulation::esp2013();
    let esp65 = esp.from_age(65).unwrap();
    let rows = read(file);
    assert_eq!(rows.len(), 24);
    for row in rows {
        let (_, bands) = inputs.iter().find(|(a, _)| *a == row["area"]).unwrap();
        let standard = if row["age_subset"] == "65+" {
            &esp65
        } else {
            &esp
        };
        let data: Vec<BandCount<'_>> = bands
            .iter()
            .filter(|(b, _, _)| standard.position(b).is_some())
            .map(|(b, x, n)| BandCount {
                band: b,
                count: *x,
                population: *n,
            })
            .collect();
        let config = DsrConfig {
            confidence: confidence(&row),
            multiplier: num(&row, "multiplier"),
            disclosure: None,
        };
        let d = dsr(standard, &data, &config).unwrap();
        assert_eq!(d.total_count, num(&row, "total_count"));
        assert_eq!(d.total_population, num(&row, "total_pop"));
        assert_eq!(standard.total(), num(&row, "std_pop_total"));
        check(file, &row, "value", d.value);
        check(file, &row, "lower", d.lower);
        check(file, &row, "upper", d.upper);
        check(file, &row, "value_raw", Some(d.value_raw));
        check(file, &row, "lower_raw", d.lower_raw);
        check(file, &row, "upper_raw", d.upper_raw);
        check(file, &row, "vardsr", Some(d.variance));
        assert_eq!(d.suppressed().to_string(), row["suppressed"]);
        assert_eq!(d.note.map(|n| n.text()).unwrap_or_default(), row["note"]);
    }
}

#[test]
fn isr_against_the_reference() {
    let file = "isr_expected.csv";
    let reference = IsrReference::from_counts(read("isr_reference.csv").iter().map(|r| {
        (
            r["age_band"].clone(),
            num(r, "ref_count"),
            num(r, "ref_population"),
        )
    }))
    .unwrap();
    let inputs = dsr_inputs();
    for row in read(file) {
        let (_, bands) = inputs.iter().find(|(a, _)| *a == row["area"]).unwrap();
        let data: Vec<(&str, f64, f64)> =
            bands.iter().map(|(b, x, n)| (b.as_str(), *x, *n)).collect();
        for (scale, prefix) in [(1.0, "ratio"), (100.0, "ratio_x100")] {
            let config = IsrConfig {
                confidence: confidence(&row),
                ratio_multiplier: scale,
                rate_multiplier: 100_000.0,
            };
            let r = isr(&reference, &data, &config).unwrap();
            check(file, &row, "observed", Some(r.observed));
            check(file, &row, "expected", Some(r.expected));
            check(file, &row, prefix, Some(r.ratio));
            check(file, &row, &format!("{prefix}_lower"), Some(r.lower));
            check(file, &row, &format!("{prefix}_upper"), Some(r.upper));
            assert_eq!(r.method.label(), row["method"]);
            let rate = r.rate.unwrap();
            check(file, &row, "ref_rate_per_100000", Some(rate.reference_rate));
            check(file, &row, "rate_per_100000", Some(rate.value));
            check(file, &row, "rate_lower", Some(rate.lower));
            check(file, &row, "rate_upper", Some(rate.upper));
        }
    }
}

#[test]
fn funnel_proportion_points_and_significance() {
    let file = "funnel_proportion_points.csv";
    let units: Vec<(f64, f64)> = read("funnel_proportion_inputs.csv")
        .iter()
        .map(|r| (num(r, "numerator"), num(r, "denominator")))
        .collect();
    let p0 = proportion_baseline(&units).unwrap();
    for row in read(file) {
        let (x, n) = (num(&row, "numerator"), num(&row, "denominator"));
        let l = proportion_limits(p0, n);
        check(file, &row, "baseline", Some(p0));
        check(file, &row, "proportion", Some(x / n));
        check(file, &row, "lower_95", Some(l.lower_95));
        check(file, &row, "upper_95", Some(l.upper_95));
        check(file, &row, "lower_998", Some(l.lower_998));
        check(file, &row, "upper_998", Some(l.upper_998));
        assert_eq!(
            proportion_significance(x, n, &l).label(),
            row["significance"],
            "{row:?}"
        );
    }
}

#[test]
fn funnel_proportion_limits_grid_unclipped_and_as_phe_prints_them() {
    let file = "funnel_proportion_limits.csv";
    for row in read(file) {
        let l = proportion_limits(num(&row, "baseline"), num(&row, "population"));
        check(file, &row, "lower_95", Some(l.lower_95));
        check(file, &row, "upper_95", Some(l.upper_95));
        check(file, &row, "lower_998", Some(l.lower_998));
        check(file, &row, "upper_998", Some(l.upper_998));
        let c = l.phe_clipped(num(&row, "multiplier"));
        check(file, &row, "lower_95_pct_clipped", Some(c.lower_95));
        check(file, &row, "upper_95_pct_clipped", Some(c.upper_95));
        check(file, &row, "lower_998_pct_clipped", Some(c.lower_998));
        check(file, &row, "upper_998_pct_clipped", Some(c.upper_998));
    }
}

#[test]
fn funnel_ratio_limits_closed_form() {
    let file = "funnel_ratio_limits.csv";
    for row in read(file) {
        let o = num(&row, "observed");
        for (level, tag) in [(Confidence::p95(), "95"), (Confidence::p998(), "998")] {
            let r = ratio_limits(o, level).unwrap();
            check(
                file,
                &row,
                &format!("expected_at_lower_{tag}"),
                Some(r.expected_at_lower),
            );
            check(
                file,
                &row,
                &format!("lower_{tag}_ratio"),
                Some(r.lower_ratio),
            );
            check(
                file,
                &row,
                &format!("expected_at_upper_{tag}"),
                Some(r.expected_at_upper),
            );
            check(
                file,
                &row,
                &format!("upper_{tag}_ratio"),
                Some(r.upper_ratio),
            );
        }
    }
}
