//! Invariants of the statistics core (proptest), and the hand-written quantiles against
//! independent values: closed forms where they exist, statrs (a dev-dependency oracle) elsewhere.

use proptest::prelude::*;
use samsyn_core::aggregate::{aggregate, AggregateSpec};
use samsyn_core::grouped_stats::{compute, GroupedConfig, Statistic};
use samsyn_core::standard_pop::StandardPopulation;
use samsyn_core::stats::distributions::{
    chi_square_quantile, chi_square_upper_quantile, student_t_upper_quantile,
};
use samsyn_core::stats::dsr::dsr_aligned;
use samsyn_core::stats::isr::{isr, IsrConfig, IsrReference};
use samsyn_core::stats::{crude_rate, mean, proportion, Confidence, DsrConfig};
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

fn level() -> impl Strategy<Value = Confidence> {
    prop_oneof![
        Just(Confidence::p95()),
        Just(Confidence::p998()),
        (0.9f64..0.9999).prop_map(|c| Confidence::new(c).unwrap()),
    ]
}

// ---------------------------------------------------------------------------------------------
// Quantiles against independent values.

#[test]
fn student_t_matches_closed_forms_for_1_and_2_degrees_of_freedom() {
    for q in [0.25, 0.1, 0.05, 0.025, 0.005, 0.001, 1e-6] {
        // ν = 1 (Cauchy): t = cot(πq); ν = 2: t = (1 − 2q)/√(2q(1 − q)).
        let cauchy = 1.0 / (std::f64::consts::PI * q).tan();
        let two = (1.0 - 2.0 * q) / (2.0 * q * (1.0 - q)).sqrt();
        assert!(
            rel(student_t_upper_quantile(q, 1.0), cauchy) < 1e-12,
            "q={q}"
        );
        assert!(rel(student_t_upper_quantile(q, 2.0), two) < 1e-12, "q={q}");
    }
}

#[test]
fn mean_with_t_interval_matches_a_hand_computation() {
    // Values 1..=5: mean 3, s = √2.5, t(0.975, 4) from statrs.
    let m = mean(&[1.0, 2.0, 3.0, 4.0, 5.0], Confidence::p95()).unwrap();
    let t = StudentsT::new(0.0, 1.0, 4.0).unwrap().inverse_cdf(0.975);
    let half = t * 2.5f64.sqrt() / 5f64.sqrt();
    assert!(rel(m.lower, 3.0 - half) < 1e-9 && rel(m.upper, 3.0 + half) < 1e-9);
    assert!(mean(&[1.0], Confidence::p95()).is_err());
    assert!(mean(&[1.0, f64::NAN], Confidence::p95()).is_err());
}

proptest! {
    #[test]
    fn student_t_agrees_with_statrs(df in 1u32..500, q in 0.0005f64..0.3) {
        let ours = student_t_upper_quantile(q, f64::from(df));
        let theirs = StudentsT::new(0.0, 1.0, f64::from(df)).unwrap().inverse_cdf(1.0 - q);
        prop_assert!(rel(ours, theirs) < 1e-9, "df={} q={} ours={} statrs={}", df, q, ours, theirs);
    }

    /// statrs' chi-square `inverse_cdf` is a plain binary search that can stop far from the
    /// answer (e.g. df = 261, p = 0.2598: 245.54 where the quantile is 245.91; crates.md and
    /// methods.md §12 warn of it), so the oracle is statrs' CDF at our quantile.
    #[test]
    fn chi_square_quantiles_invert_statrs_cdf(df in 1u32..2000, p in 0.0005f64..0.9995) {
        let dist = ChiSquared::new(f64::from(df)).unwrap();
        let lower = chi_square_quantile(p, f64::from(df));
        prop_assert!(rel(dist.cdf(lower), p) < 1e-9, "df={} p={} x={}", df, p, lower);
        let upper = chi_square_upper_quantile(p, f64::from(df));
        prop_assert!(rel(dist.sf(upper), p) < 1e-9, "df={} q={} x={}", df, p, upper);
    }

    // -----------------------------------------------------------------------------------------
    // lower ≤ estimate ≤ upper.

    #[test]
    fn wilson_contains_the_estimate_and_stays_in_0_1(x in 0u32..5000, extra in 0u32..5000, c in level()) {
        let n = f64::from(x + extra.max(1));
        let p = proportion(f64::from(x), n, 1.0, c).unwrap();
        prop_assert!(0.0 <= p.lower && p.lower <= p.value && p.value <= p.upper && p.upper <= 1.0);
    }

    #[test]
    fn rate_contains_the_estimate(x in 0u32..100_000, n in 1u32..10_000_000, c in level()) {
        let r = crude_rate(f64::from(x), f64::from(n), 1e5, c).unwrap();
        prop_assert!(0.0 <= r.lower && r.lower <= r.value && r.value <= r.upper);
    }

    #[test]
    fn dsr_contains_the_estimate(
        counts in prop::collection::vec(0u32..500, 19),
        pops in prop::collection::vec(1u32..50_000, 19),
        c in level(),
    ) {
        let esp = StandardPopulation::esp2013();
        let counts: Vec<f64> = counts.into_iter().map(f64::from).collect();
        let pops: Vec<f64> = pops.into_iter().map(f64::from).collect();
        let config = DsrConfig { confidence: c, ..DsrConfig::default() };
        let d = dsr_aligned(&esp, &counts, &pops, &config).unwrap();
        if let (Some(v), Some(l), Some(u)) = (d.value, d.lower, d.upper) {
            prop_assert!(l <= v && v <= u, "{} {} {}", l, v, u);
        } else {
            prop_assert!(d.total_count < 10.0);
        }
    }

    #[test]
    fn isr_contains_the_estimate(
        counts in prop::collection::vec(0u32..200, 4),
        pops in prop::collection::vec(0u32..10_000, 4),
        c in level(),
    ) {
        let bands = ["0-19", "20-64", "65-79", "80+"];
        let reference = IsrReference::from_counts(
            bands.iter().zip([30.0, 200.0, 400.0, 500.0]).zip([1e5, 3e5, 8e4, 2e4])
                .map(|((b, x), n)| (b.to_string(), x, n)),
        ).unwrap();
        let data: Vec<(&str, f64, f64)> = bands.iter().zip(&counts).zip(&pops)
            .map(|((b, x), n)| (*b, f64::from(*x), f64::from(*n))).collect();
        let config = IsrConfig { confidence: c, ..IsrConfig::default() };
        match isr(&reference, &data, &config) {
            Ok(r) => prop_assert!(r.lower <= r.ratio && r.ratio <= r.upper),
            Err(_) => prop_assert!(pops.iter().all(|&n| n == 0)),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Intervals narrow as counts grow.

    #[test]
    fn intervals_narrow_as_counts_grow(x in 1u32..2000, n_extra in 1u32..2000, k in 2u32..50, c in level()) {
        let (x, n) = (f64::from(x), f64::from(x + n_extra));
        let k = f64::from(k);
        let small = proportion(x, n, 1.0, c).unwrap();
        let large = proportion(x * k, n * k, 1.0, c).unwrap();
        prop_assert!(large.upper - large.lower < small.upper - small.lower);
        let small = crude_rate(x, n, 1e5, c).unwrap();
        let large = crude_rate(x * k, n * k, 1e5, c).unwrap();
        prop_assert!(large.upper - large.lower < small.upper - small.lower);
    }

    // -----------------------------------------------------------------------------------------
    // DSR identities.

    #[test]
    fn dsr_equals_the_crude_rate_when_the_population_has_the_standards_shape(
        counts in prop::collection::vec(0u32..300, 19),
        scale in 0.01f64..20.0,
    ) {
        let esp = StandardPopulation::esp2013();
        let pops: Vec<f64> = esp.weights().iter().map(|w| w * scale).collect();
        let counts: Vec<f64> = counts.into_iter().map(f64::from).collect();
        let d = dsr_aligned(&esp, &counts, &pops, &DsrConfig::default()).unwrap();
        let crude = d.total_count / d.total_population * 1e5;
        prop_assert!(rel(d.value_raw, crude) < 1e-12, "{} vs {}", d.value_raw, crude);
    }

    #[test]
    fn equal_age_specific_rates_give_that_rate(
        pops in prop::collection::vec(1u32..100_000, 19),
        rate in 0.0001f64..0.5,
    ) {
        let esp = StandardPopulation::esp2013();
        let pops: Vec<f64> = pops.into_iter().map(f64::from).collect();
        let counts: Vec<f64> = pops.iter().map(|n| n * rate).collect();
        let d = dsr_aligned(&esp, &counts, &pops, &DsrConfig::default()).unwrap();
        prop_assert!(rel(d.value_raw, rate * 1e5) < 1e-12);
    }

    #[test]
    fn a_countys_dsr_is_the_dsr_of_its_areas_pooled(
        areas in prop::collection::vec(
            (prop::collection::vec(0u32..200, 19), prop::collection::vec(1u32..20_000, 19)),
            1..5,
        ),
    ) {
        // The areas' rows in one file, grouped by county: the aggregate plan pools them.
        let esp = StandardPopulation::esp2013();
        let mut csv = String::from("lan;kommun;band;antal;befolkning\n");
        let (mut pooled_x, mut pooled_n) = (vec![0.0; 19], vec![0.0; 19]);
        for (a, (xs, ns)) in areas.iter().enumerate() {
            for (b, band) in esp.bands().iter().enumerate() {
                csv.push_str(&format!("24;{a};{band};{};{}\n", xs[b], ns[b]));
                pooled_x[b] += f64::from(xs[b]);
                pooled_n[b] += f64::from(ns[b]);
            }
        }
        let spec = AggregateSpec {
            by: vec!["lan".into()],
            age_band: Some("band".into()),
            numerator: "antal".into(),
            denominator: "befolkning".into(),
        };
        let data = aggregate("areas.csv", csv.as_bytes(), spec).unwrap();
        let statistic = Statistic::Dsr { standard: esp.clone(), multiplier: 1e5, ages_from: None };
        let table = compute(&data, &statistic, &GroupedConfig::default()).unwrap();
        let direct = dsr_aligned(&esp, &pooled_x, &pooled_n, &DsrConfig::default()).unwrap();
        let county = &table.rows[0];
        prop_assert_eq!(table.rows.len(), 1);
        prop_assert_eq!(county.value, direct.value);
        prop_assert_eq!(county.lower, direct.lower);
        prop_assert_eq!(county.upper, direct.upper);
    }

    // -----------------------------------------------------------------------------------------
    // No panic from input.

    #[test]
    fn the_aggregate_plan_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let spec = AggregateSpec {
            by: vec!["a".into()],
            age_band: Some("b".into()),
            numerator: "c".into(),
            denominator: "d".into(),
        };
        let mut text = b"a,b,c,d\n".to_vec();
        text.extend(bytes);
        if let Ok(data) = aggregate("x.csv", &text, spec) {
            let esp = StandardPopulation::esp2013();
            for statistic in [
                Statistic::Proportion { multiplier: 1.0 },
                Statistic::Rate { multiplier: 1e5 },
                Statistic::Dsr { standard: esp, multiplier: 1e5, ages_from: None },
            ] {
                let _ = compute(&data, &statistic, &GroupedConfig::default());
            }
        }
    }

    #[test]
    fn statistics_never_panic_on_odd_numbers(
        x in prop_oneof![any::<f64>(), Just(f64::NAN), Just(0.0), Just(-1.0)],
        n in prop_oneof![any::<f64>(), Just(f64::INFINITY), Just(0.0)],
        c in level(),
    ) {
        let _ = proportion(x, n, 1.0, c);
        let _ = crude_rate(x, n, 1e5, c);
        let _ = dsr_aligned(&StandardPopulation::esp2013(), &[x; 19], &[n; 19], &DsrConfig::default());
    }
}

// ---------------------------------------------------------------------------------------------
// Streamed means: moments pushed in cells and merged in any order equal the two-pass mean.

proptest! {
    #[test]
    fn moments_in_cells_equal_the_two_pass_mean(
        offset in prop_oneof![Just(0.0), Just(1e9), -1e6f64..1e6],
        values in proptest::collection::vec(-100.0f64..100.0, 2..300),
        cuts in proptest::collection::vec(0usize..300, 0..20),
        c in level(),
    ) {
        use samsyn_core::stats::{mean_from_moments, Moments};
        let values: Vec<f64> = values.iter().map(|v| offset + v).collect();
        let want = mean(&values, c).unwrap();
        // Cells at the cut points, merged last to first.
        let mut cuts: Vec<usize> = cuts.into_iter().map(|x| x % values.len()).collect();
        cuts.extend([0, values.len()]);
        cuts.sort_unstable();
        cuts.dedup();
        let mut total = Moments::default();
        for w in cuts.windows(2).rev() {
            let mut cell = Moments::default();
            values[w[0]..w[1]].iter().for_each(|&x| cell.push(x));
            total.merge(&cell);
        }
        let got = mean_from_moments(&total, c).unwrap();
        prop_assert_eq!(got.n, want.n);
        // Relative to the values' scale: a mean near zero of values ±100 keeps only the
        // absolute precision of the sums (the two-pass mean is no more exact there).
        let scale = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let near = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * scale.max(b.abs());
        prop_assert!(near(got.value, want.value, 1e-12), "{} vs {}", got.value, want.value);
        // The sd to 1e-9 of itself (or absolutely, when the values are nearly all equal).
        prop_assert!((got.sd - want.sd).abs() <= 1e-9 * want.sd.max(1.0), "{} vs {}", got.sd, want.sd);
        prop_assert!(near(got.lower, want.lower, 1e-9) && near(got.upper, want.upper, 1e-9));
    }
}
