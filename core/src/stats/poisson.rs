//! Confidence limits for a Poisson count: exact (Garwood) limits, and PHE's rule choosing
//! between exact and Byar's limits.
//!
//! Source: Garwood (1936), chi-square form L = χ²_{α/2}(2x)/2, U = χ²_{1−α/2}(2x+2)/2; PHE's rule
//! (`phe_rate`, `calculate_ISRatio`, PHEindicatormethods v2.1.0): exact when x < 10, Byar's
//! otherwise (methods.md §1.2). The chi-square quantiles are solved on the gamma distribution
//! (χ²_p(2a)/2 is the gamma(a) quantile; methods.md §12).

use super::byar::{byar_lower, byar_upper};
use super::confidence::Confidence;
use super::distributions::{gamma_quantile, Tail};
use super::error::{non_negative, Place, Quantity, StatsError};

/// PHE uses exact limits below this count and Byar's from it on.
pub const EXACT_BELOW: f64 = 10.0;

/// How the limits of a count were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoissonMethod {
    /// Exact (Garwood) chi-square limits; PHE's label "Exact".
    Exact,
    /// Byar's approximation; PHE's label "Byars".
    Byar,
}

impl PoissonMethod {
    /// PHE's label for the method column.
    pub fn label(self) -> &'static str {
        match self {
            PoissonMethod::Exact => "Exact",
            PoissonMethod::Byar => "Byars",
        }
    }
}

/// Limits for a count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountLimits {
    pub lower: f64,
    pub upper: f64,
    pub method: PoissonMethod,
}

/// Exact lower limit: the L with P(X ≥ x | L) = α/2; 0 at x = 0.
pub fn exact_lower(count: f64, confidence: Confidence) -> f64 {
    if count <= 0.0 {
        return 0.0;
    }
    gamma_quantile(count, confidence.alpha() / 2.0, Tail::Lower)
}

/// Exact upper limit: the U with P(X ≤ x | U) = α/2.
pub fn exact_upper(count: f64, confidence: Confidence) -> f64 {
    gamma_quantile(count + 1.0, confidence.alpha() / 2.0, Tail::Upper)
}

/// Limits for a count by PHE's rule: exact below 10, Byar's from 10 on.
pub fn phe_count_limits(count: f64, confidence: Confidence) -> Result<CountLimits, StatsError> {
    let count = non_negative(count, Place::Total, Quantity::Count)?;
    if count < EXACT_BELOW {
        Ok(CountLimits {
            lower: exact_lower(count, confidence),
            upper: exact_upper(count, confidence),
            method: PoissonMethod::Exact,
        })
    } else {
        // From 10 on Byar's lower limit is positive for any level below 1 (z < 9.3).
        let lower = byar_lower(count, confidence).unwrap_or(0.0);
        Ok(CountLimits {
            lower,
            upper: byar_upper(count, confidence),
            method: PoissonMethod::Byar,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_count_upper_is_minus_log_half_alpha() {
        let c = Confidence::p95();
        let l = phe_count_limits(0.0, c).unwrap();
        assert_eq!(l.lower, 0.0);
        assert!((l.upper - (-(0.025f64).ln())).abs() < 1e-14);
        assert!(phe_count_limits(-1.0, c).is_err());
        assert!(phe_count_limits(f64::NAN, c).is_err());
    }
}
