//! Funnel plot control limits (95 % and 99.8 %) for proportions, ratios and rates, and each
//! unit's significance against them.
//!
//! Source: PHEindicatormethods `calculate_funnel_limits` / `assign_funnel_significance`
//! (`R/Funnels.R`, `R/utils.R`, v2.1.0; methods.md §4). Proportion limits use the exact
//! simplification of PHE's `sigma_adjustment`, p0 ∓ z·√(p0(1−p0)/n) (methods.md §4.1). Ratio
//! limits use the closed form of PHE's bisection (`poisson_funnel`): the expected count at which
//! O lies on a Poisson tail, E = χ²_{1−p}(2O+2)/2 and χ²_p(2O)/2 (methods.md §4.2). That closed
//! form is exact; PHE's bisection differs from it by up to 4.7e-5 relative.

use super::confidence::Confidence;
use super::distributions::{gamma_quantile, Tail};
use super::error::{non_negative, positive, Place, Quantity, StatsError};
use super::poisson::phe_count_limits;

/// A unit's position relative to the funnel, with PHE's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Significance {
    Low001,
    Low025,
    NotSignificant,
    High025,
    High001,
}

impl Significance {
    /// PHE's label.
    pub fn label(self) -> &'static str {
        match self {
            Significance::Low001 => "Low (0.001)",
            Significance::Low025 => "Low (0.025)",
            Significance::NotSignificant => "Not significant",
            Significance::High025 => "High (0.025)",
            Significance::High001 => "High (0.001)",
        }
    }
}

/// Control limits at one denominator, at 95 % and 99.8 %.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunnelLimits {
    pub lower_95: f64,
    pub upper_95: f64,
    pub lower_998: f64,
    pub upper_998: f64,
}

/// Baseline p0 = Σx/Σn of a set of units (all numerators ≤ denominators).
pub fn proportion_baseline(units: &[(f64, f64)]) -> Result<f64, StatsError> {
    let (mut sx, mut sn) = (0.0, 0.0);
    for (i, &(x, n)) in units.iter().enumerate() {
        let x = non_negative(x, Place::Item(i), Quantity::Numerator)?;
        let n = positive(n, Place::Item(i), Quantity::Denominator)?;
        if x > n {
            return Err(StatsError::NumeratorAboveDenominator {
                at: Place::Item(i),
                numerator: x,
                denominator: n,
            });
        }
        sx += x;
        sn += n;
    }
    positive(sn, Place::Total, Quantity::Denominator)?;
    Ok(sx / sn)
}

/// Proportion funnel limits at denominator n around baseline p0, as fractions, unclipped.
pub fn proportion_limits(p0: f64, n: f64) -> FunnelLimits {
    let sd = (p0 * (1.0 - p0) / n).sqrt();
    let (z95, z998) = (Confidence::p95().z(), Confidence::p998().z());
    FunnelLimits {
        lower_95: p0 - z95 * sd,
        upper_95: p0 + z95 * sd,
        lower_998: p0 - z998 * sd,
        upper_998: p0 + z998 * sd,
    }
}

impl FunnelLimits {
    /// As PHE outputs proportion limits: × multiplier, lower clipped at 0 and upper at 100
    /// (PHE hard-codes 100 whatever the multiplier).
    pub fn phe_clipped(&self, multiplier: f64) -> FunnelLimits {
        let clip = |v: f64| (v * multiplier).clamp(0.0, 100.0);
        FunnelLimits {
            lower_95: (self.lower_95 * multiplier).max(0.0),
            upper_95: clip(self.upper_95),
            lower_998: (self.lower_998 * multiplier).max(0.0),
            upper_998: clip(self.upper_998),
        }
    }
}

/// PHE's significance of x/n against proportion limits (fractions), strict inequalities.
pub fn proportion_significance(x: f64, n: f64, limits: &FunnelLimits) -> Significance {
    let p = x / n;
    if p < limits.lower_998 {
        Significance::Low001
    } else if p < limits.lower_95 {
        Significance::Low025
    } else if p > limits.upper_998 {
        Significance::High001
    } else if p > limits.upper_95 {
        Significance::High025
    } else {
        Significance::NotSignificant
    }
}

/// Ratio funnel at an observed count: the expected counts at which O is on each limit and the
/// ratio limits O/E.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioFunnelPoint {
    /// E with P(X ≤ O | E) = p: the lower ratio limit is O/E.
    pub expected_at_lower: f64,
    pub lower_ratio: f64,
    /// E with P(X ≥ O | E) = p: the upper ratio limit is O/E (infinite at O = 0).
    pub expected_at_upper: f64,
    pub upper_ratio: f64,
}

/// The ratio funnel at observed count O for a two-sided level (p = α/2 each side).
pub fn ratio_limits(observed: f64, confidence: Confidence) -> Result<RatioFunnelPoint, StatsError> {
    let o = non_negative(observed, Place::Total, Quantity::Count)?;
    let p = confidence.alpha() / 2.0;
    let expected_at_lower = gamma_quantile(o + 1.0, p, Tail::Upper);
    let expected_at_upper = if o > 0.0 {
        gamma_quantile(o, p, Tail::Lower)
    } else {
        0.0
    };
    Ok(RatioFunnelPoint {
        expected_at_lower,
        lower_ratio: o / expected_at_lower,
        expected_at_upper,
        upper_ratio: if o > 0.0 {
            o / expected_at_upper
        } else {
            f64::INFINITY
        },
    })
}

/// Rate funnel limits at observed count O around baseline rate r0 (per person), × multiplier:
/// the ratio limits scaled by the baseline.
pub fn rate_limits(
    observed: f64,
    baseline_rate: f64,
    multiplier: f64,
    confidence: Confidence,
) -> Result<(f64, f64), StatsError> {
    let r = ratio_limits(observed, confidence)?;
    let scale = baseline_rate * multiplier;
    Ok((r.lower_ratio * scale, r.upper_ratio * scale))
}

/// PHE's significance of an observed/expected pair: 1 (or `baseline` for rates, with E = the
/// denominator × baseline) outside O's limits at 99.8 % or 95 % (exact below 10, Byar's above).
pub fn ratio_significance(observed: f64, expected: f64) -> Result<Significance, StatsError> {
    let e = positive(expected, Place::Total, Quantity::Expected)?;
    let l95 = phe_count_limits(observed, Confidence::p95())?;
    let l998 = phe_count_limits(observed, Confidence::p998())?;
    Ok(if 1.0 < l998.lower / e {
        Significance::High001
    } else if 1.0 < l95.lower / e {
        Significance::High025
    } else if 1.0 > l998.upper / e {
        Significance::Low001
    } else if 1.0 > l95.upper / e {
        Significance::Low025
    } else {
        Significance::NotSignificant
    })
}

/// Significance of a crude rate's count against baseline rate r0 (per person): the ratio test
/// with expected = population × r0.
pub fn rate_significance(
    observed: f64,
    population: f64,
    baseline_rate: f64,
) -> Result<Significance, StatsError> {
    let n = positive(population, Place::Total, Quantity::Population)?;
    ratio_significance(observed, n * baseline_rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected labels worked by hand from the limits of 20 and 5 in `poisson_counts.csv`:
    /// 20 → Byar 95 % 12.211–30.890, 99.8 % 8.923–38.085; 5 → exact 95 % 1.623–11.668.
    #[test]
    fn ratio_significance_follows_phes_order() {
        let label = |o: f64, e: f64| ratio_significance(o, e).unwrap().label();
        assert_eq!(label(20.0, 8.0), "High (0.001)"); // 8.923/8 > 1
        assert_eq!(label(20.0, 10.0), "High (0.025)"); // 12.211/10 > 1 > 8.923/10
        assert_eq!(label(20.0, 25.0), "Not significant");
        assert_eq!(label(20.0, 35.0), "Low (0.025)"); // 30.890/35 < 1 < 38.085/35
        assert_eq!(label(20.0, 40.0), "Low (0.001)"); // 38.085/40 < 1
        assert_eq!(label(5.0, 1.5), "High (0.025)"); // 1.623/1.5 > 1
        assert_eq!(
            rate_significance(20.0, 1000.0, 0.01).unwrap(),
            Significance::High025
        );
        assert!(ratio_significance(3.0, 0.0).is_err());
    }

    /// A rate funnel is the ratio funnel scaled by the baseline (`funnel_ratio_limits.csv`, O = 1).
    #[test]
    fn rate_limits_scale_the_ratio_limits() {
        let (lower, upper) = rate_limits(1.0, 0.002, 1000.0, Confidence::p95()).unwrap();
        assert!((lower / (0.1794802592043649 * 2.0) - 1.0).abs() < 1e-12);
        assert!((upper / (39.49789020520721 * 2.0) - 1.0).abs() < 1e-12);
        let zero = ratio_limits(0.0, Confidence::p95()).unwrap();
        assert_eq!((zero.lower_ratio, zero.upper_ratio), (0.0, f64::INFINITY));
    }
}
