//! Statistical process control for process measures over time: p-charts for shares, u-charts
//! for rates, with the common special-cause rules flagged.
//!
//! Method source: methods.md §9 — p-chart centre p̄ = Σx/Σn, limits p̄ ± 3√(p̄(1−p̄)/nᵢ) clipped
//! to [0, 1]; u-chart ū = Σc/Σn, limits ū ± 3√(ū/nᵢ), lower clipped at 0. Rules: the Western
//! Electric rules (a point beyond 3σ; 2 of 3 successive points beyond 2σ on one side; 4 of 5
//! beyond 1σ on one side; 8 in a row on one side of the centre) and a trend of 6 points steadily
//! rising or falling in z-score (NHS "Making Data Count"; methods.md §9 lists 5–7 across sources). Laney's
//! p′/u′ for over-dispersed large denominators is not implemented.

use serde::Serialize;

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Shares: binomial variation.
    P,
    /// Rates per exposure: Poisson variation.
    U,
}

/// A special-cause signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Outside the 3σ limits.
    BeyondLimits,
    /// 2 of 3 successive points beyond 2σ on the same side (flagged on the last of them).
    TwoOfThreeBeyond2Sigma,
    /// 4 of 5 successive points beyond 1σ on the same side.
    FourOfFiveBeyond1Sigma,
    /// 8 successive points on the same side of the centre.
    RunOfEight,
    /// 6 successive points each higher (or each lower) than the one before.
    TrendOfSix,
}

impl Signal {
    /// Swedish words for the rule.
    pub fn swedish(self) -> &'static str {
        match self {
            Signal::BeyondLimits => "utanför styrgränserna",
            Signal::TwoOfThreeBeyond2Sigma => "2 av 3 bortom 2σ",
            Signal::FourOfFiveBeyond1Sigma => "4 av 5 bortom 1σ",
            Signal::RunOfEight => "8 i rad på samma sida",
            Signal::TrendOfSix => "6 i rad stigande eller fallande",
        }
    }

    /// The rule in English.
    pub fn english(self) -> &'static str {
        match self {
            Signal::BeyondLimits => "outside the control limits",
            Signal::TwoOfThreeBeyond2Sigma => "2 of 3 beyond 2σ",
            Signal::FourOfFiveBeyond1Sigma => "4 of 5 beyond 1σ",
            Signal::RunOfEight => "8 in a row on one side",
            Signal::TrendOfSix => "6 in a row rising or falling",
        }
    }

    /// The rule in `lang`.
    pub fn word(self, lang: crate::number_format::Language) -> &'static str {
        lang.pick(self.swedish(), self.english())
    }
}

/// Points in a row on one side of the centre that signal a shift (Western Electric).
pub const RUN_LENGTH: usize = 8;
/// Points in a row steadily rising or falling that signal a trend (NHS Making Data Count).
pub const TREND_LENGTH: usize = 6;
/// Width of the control limits in standard deviations.
pub const SIGMA_LIMITS: f64 = 3.0;

/// One period of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpcPoint {
    pub numerator: f64,
    pub denominator: f64,
    /// x/n × multiplier; `None` when n = 0.
    pub value: Option<f64>,
    pub centre: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub signals: Vec<Signal>,
}

impl SpcPoint {
    /// Masks a point for export when its numerator or denominator is from 1 to `threshold` − 1
    /// (as [`crate::indicators::UnitRow::mask`]): the small count, the value and the limits,
    /// which give the denominator away (they are centre ± 3σ with σ from n). The centre line
    /// pools every period and stays; methods.md §6.2.
    pub fn suppress(&mut self, threshold: f64) {
        let floor = crate::stats::Disclosure::below(threshold);
        let small_denominator = floor.suppresses(self.denominator);
        if floor.suppresses(self.numerator) || small_denominator {
            self.numerator = f64::NAN;
            if small_denominator {
                self.denominator = f64::NAN;
            }
            (self.value, self.lower, self.upper) = (None, None, None);
        }
    }
}

/// A p- or u-chart of (numerator, denominator) per period, values × `multiplier`.
pub fn control_chart(kind: ChartKind, points: &[(f64, f64)], multiplier: f64) -> Vec<SpcPoint> {
    let (sx, sn) = points
        .iter()
        .filter(|(x, n)| x.is_finite() && n.is_finite() && *n > 0.0 && *x >= 0.0)
        .fold((0.0, 0.0), |(a, b), (x, n)| (a + x, b + n));
    let centre = if sn > 0.0 { sx / sn } else { f64::NAN };
    // z-scores for the zone rules; `None` for periods without data.
    let mut zs: Vec<Option<f64>> = Vec::with_capacity(points.len());
    let mut out: Vec<SpcPoint> = points
        .iter()
        .map(|&(x, n)| {
            if !(n > 0.0 && n.is_finite() && x.is_finite() && centre.is_finite()) {
                zs.push(None);
                return SpcPoint {
                    numerator: x,
                    denominator: n,
                    value: None,
                    centre: centre * multiplier,
                    lower: None,
                    upper: None,
                    signals: Vec::new(),
                };
            }
            let sigma = match kind {
                ChartKind::P => (centre * (1.0 - centre) / n).sqrt(),
                ChartKind::U => (centre / n).sqrt(),
            };
            let v = x / n;
            let mut lower = centre - SIGMA_LIMITS * sigma;
            let mut upper = centre + SIGMA_LIMITS * sigma;
            lower = lower.max(0.0);
            if kind == ChartKind::P {
                upper = upper.min(1.0);
            }
            let z = if sigma > 0.0 {
                (v - centre) / sigma
            } else {
                0.0
            };
            zs.push(Some(z));
            let mut signals = Vec::new();
            if v > upper || v < lower {
                signals.push(Signal::BeyondLimits);
            }
            SpcPoint {
                numerator: x,
                denominator: n,
                value: Some(v * multiplier),
                centre: centre * multiplier,
                lower: Some(lower * multiplier),
                upper: Some(upper * multiplier),
                signals,
            }
        })
        .collect();
    flag_zone_rules(&zs, &mut out);
    out
}

fn flag_zone_rules(zs: &[Option<f64>], out: &mut [SpcPoint]) {
    let side = |z: f64, k: f64| -> i8 {
        if z > k {
            1
        } else if z < -k {
            -1
        } else {
            0
        }
    };
    for i in 0..zs.len() {
        let window = |len: usize| -> Option<Vec<f64>> {
            let start = (i + 1).checked_sub(len)?;
            zs.get(start..=i)?.iter().copied().collect()
        };
        let mut add = |s: Signal| {
            if let Some(p) = out.get_mut(i) {
                if !p.signals.contains(&s) {
                    p.signals.push(s);
                }
            }
        };
        let Some(Some(zi)) = zs.get(i).copied() else {
            continue;
        };
        for (len, need, k, signal) in [
            (3, 2, 2.0, Signal::TwoOfThreeBeyond2Sigma),
            (5, 4, 1.0, Signal::FourOfFiveBeyond1Sigma),
        ] {
            if let Some(w) = window(len) {
                let s = side(zi, k);
                if s != 0 && w.iter().filter(|&&z| side(z, k) == s).count() >= need {
                    add(signal);
                }
            }
        }
        if let Some(w) = window(RUN_LENGTH) {
            if w.iter().all(|&z| z > 0.0) || w.iter().all(|&z| z < 0.0) {
                add(Signal::RunOfEight);
            }
        }
        if let Some(w) = window(TREND_LENGTH) {
            let pairs = || w.iter().zip(w.iter().skip(1));
            if pairs().all(|(a, b)| b > a) || pairs().all(|(a, b)| b < a) {
                add(Signal::TrendOfSix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::disclosure::DEFAULT_FLOOR;

    #[test]
    fn a_point_with_a_small_count_loses_it_and_its_limits() {
        let c = control_chart(
            ChartKind::P,
            &[(3.0, 100.0), (20.0, 100.0), (6.0, 4.0)],
            100.0,
        );
        let mut p: Vec<SpcPoint> = c.clone();
        p.iter_mut().for_each(|x| x.suppress(DEFAULT_FLOOR));
        assert!(p[0].numerator.is_nan() && p[0].denominator == 100.0);
        assert_eq!((p[0].value, p[0].lower, p[0].upper), (None, None, None));
        assert_eq!(p[1], c[1]);
        assert!(p[2].numerator.is_nan() && p[2].denominator.is_nan());
        assert_eq!(p[0].centre, c[0].centre);
    }

    #[test]
    fn p_chart_limits_and_signals_by_hand() {
        // Eight months at 5/100, then 20/100: p̄ = 60/900 = 0.0667, σ = √(p̄(1−p̄)/100) = 0.02494,
        // upper limit 0.0667 + 3σ = 0.1415: the last month is beyond it; the first eight are all
        // below the centre, a run of eight.
        let mut pts = vec![(5.0, 100.0); 8];
        pts.push((20.0, 100.0));
        let c = control_chart(ChartKind::P, &pts, 100.0);
        let p: f64 = 60.0 / 900.0;
        let sigma = (p * (1.0 - p) / 100.0).sqrt();
        assert!((c[0].centre - p * 100.0).abs() < 1e-12);
        assert!((c[0].upper.unwrap() - (p + 3.0 * sigma) * 100.0).abs() < 1e-9);
        assert!((c[0].lower.unwrap() - (p - 3.0 * sigma).max(0.0) * 100.0).abs() < 1e-9);
        assert_eq!(c[8].signals, vec![Signal::BeyondLimits]);
        assert!(c[7].signals.contains(&Signal::RunOfEight));
        assert!(!c[6].signals.contains(&Signal::RunOfEight));
    }

    #[test]
    fn u_chart_trend_of_six_and_empty_periods() {
        // Rising counts in equal exposure: a trend at the sixth point.
        let pts: Vec<(f64, f64)> = (0..6).map(|i| (10.0 + 2.0 * i as f64, 1000.0)).collect();
        let c = control_chart(ChartKind::U, &pts, 1000.0);
        assert!(c[5].signals.contains(&Signal::TrendOfSix));
        assert!(!c[4].signals.contains(&Signal::TrendOfSix));
        assert!((c[0].centre - 15.0).abs() < 1e-12);
        let c = control_chart(ChartKind::U, &[(1.0, 0.0), (2.0, 10.0)], 1.0);
        assert_eq!(c[0].value, None);
        assert_eq!(c[1].value, Some(0.2));
    }
}
