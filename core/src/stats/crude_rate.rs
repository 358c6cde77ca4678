//! Crude rates per N with PHE's confidence limits: exact Poisson below 10 events, Byar's from 10.
//!
//! Source: PHEindicatormethods `phe_rate` (`R/Rates.R`, v2.1.0; methods.md §1.2): value = x/n·M,
//! limits = L/n·M and U/n·M, default M = 100 000.
//!
//! A count above the population is allowed: rates count events (visits, falls), and one person
//! can have several, as PHE allows.

use super::confidence::Confidence;
use super::error::{non_negative, positive, Place, Quantity, StatsError};
use super::poisson::{phe_count_limits, PoissonMethod};

/// A crude rate x/n × multiplier with its limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub count: f64,
    pub population: f64,
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: PoissonMethod,
}

/// The crude rate of `count` events in `population` per `multiplier` (e.g. 100 000).
pub fn crude_rate(
    count: f64,
    population: f64,
    multiplier: f64,
    confidence: Confidence,
) -> Result<Rate, StatsError> {
    let x = non_negative(count, Place::Total, Quantity::Count)?;
    let n = positive(population, Place::Total, Quantity::Population)?;
    let m = positive(multiplier, Place::Total, Quantity::Multiplier)?;
    let limits = phe_count_limits(x, confidence)?;
    Ok(Rate {
        count: x,
        population: n,
        value: x / n * m,
        lower: limits.lower / n * m,
        upper: limits.upper / n * m,
        method: limits.method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published values have 12 decimals.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-11
    }

    /// PHE's published test values for `phe_rate` per 100 (methods.md §10).
    #[test]
    fn phe_worked_examples() {
        let r = crude_rate(1.0, 100.0, 100.0, Confidence::p95()).unwrap();
        assert!(close(r.lower, 0.025317807984) && close(r.upper, 5.571643390939));
        assert_eq!(r.method, PoissonMethod::Exact);
        let r = crude_rate(5.0, 100.0, 100.0, Confidence::p998()).unwrap();
        assert!(close(r.lower, 0.739371731918) && close(r.upper, 16.454745203680));
        let r = crude_rate(20.0, 100.0, 100.0, Confidence::p95()).unwrap();
        assert!(close(r.lower, 12.211428834876) && close(r.upper, 30.889880369197));
        assert_eq!(r.method, PoissonMethod::Byar);
    }

    #[test]
    fn zero_population_is_an_error() {
        let e = crude_rate(3.0, 0.0, 1e5, Confidence::p95()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the total: the population is 0; it must be greater than zero"
        );
    }
}
