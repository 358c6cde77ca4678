//! Proportions with Wilson score confidence intervals.
//!
//! Source: Wilson (1927), Newcombe & Altman (2000), as PHEindicatormethods implements it in
//! `phe_proportion` and `wilson_lower` / `wilson_upper` (`R/Proportions.R`, `R/utils.R`, v2.1.0;
//! methods.md §1.1). The limits at x = 0 and x = n are pinned to exactly 0 and 1.

use super::confidence::Confidence;
use super::error::{non_negative, positive, Place, Quantity, StatsError};

/// A proportion x/n × multiplier with its Wilson interval (on the same scale).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    pub numerator: f64,
    pub denominator: f64,
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The proportion x/n × `multiplier` (1 for a fraction, 100 for a percentage) with its Wilson
/// score interval. Requires 0 ≤ x ≤ n, n > 0 (PHE's rules); x need not be whole.
pub fn proportion(
    numerator: f64,
    denominator: f64,
    multiplier: f64,
    confidence: Confidence,
) -> Result<Proportion, StatsError> {
    let x = non_negative(numerator, Place::Total, Quantity::Numerator)?;
    let n = positive(denominator, Place::Total, Quantity::Denominator)?;
    let m = positive(multiplier, Place::Total, Quantity::Multiplier)?;
    if x > n {
        return Err(StatsError::NumeratorAboveDenominator {
            at: Place::Total,
            numerator: x,
            denominator: n,
        });
    }
    let (lower, upper) = wilson_limits(x, n, confidence);
    Ok(Proportion {
        numerator: x,
        denominator: n,
        value: x / n * m,
        lower: lower * m,
        upper: upper * m,
    })
}

/// Wilson score limits for x of n, as fractions (0 ≤ x ≤ n, n > 0 assumed).
pub fn wilson_limits(x: f64, n: f64, confidence: Confidence) -> (f64, f64) {
    let z = confidence.z();
    let z2 = z * z;
    let root = z * (z2 + 4.0 * x * (1.0 - x / n)).sqrt();
    let denom = 2.0 * (n + z2);
    let lower = if x == 0.0 {
        0.0
    } else {
        (2.0 * x + z2 - root) / denom
    };
    let upper = if x == n {
        1.0
    } else {
        (2.0 * x + z2 + root) / denom
    };
    (lower.max(0.0), upper.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PHE's published test values (methods.md §10).
    #[test]
    fn phe_worked_examples() {
        let p = proportion(65.0, 100.0, 1.0, Confidence::p95()).unwrap();
        assert!((p.lower / 0.552544432969 - 1.0).abs() < 1e-11);
        assert!((p.upper / 0.736357517569 - 1.0).abs() < 1e-11);
        let p = proportion(1045.0, 5000.0, 1.0, Confidence::p998()).unwrap();
        assert!((p.lower / 0.191793817990 - 1.0).abs() < 1e-11);
        assert!((p.upper / 0.227315629025 - 1.0).abs() < 1e-11);
    }

    #[test]
    fn bad_inputs_are_errors_with_reasons() {
        let c = Confidence::p95();
        assert_eq!(
            proportion(5.0, 4.0, 1.0, c).unwrap_err().to_string(),
            "the total: the numerator 5 is larger than the denominator 4; a proportion needs numerator ≤ denominator"
        );
        assert!(proportion(1.0, 0.0, 1.0, c).is_err());
        assert!(proportion(-1.0, 3.0, 1.0, c).is_err());
        assert!(proportion(f64::NAN, 3.0, 1.0, c).is_err());
    }
}
