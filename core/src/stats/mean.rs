//! Means with Student t confidence intervals.
//!
//! Source: PHEindicatormethods `phe_mean` (`R/Means.R`, v2.1.0; methods.md §1.3):
//! value = Σx/k, limits = value ∓ t_{1−α/2, k−1} · s/√k with s the sample standard deviation.
//! The t quantile is hand-written ([`super::distributions::student_t_upper_quantile`]).

use super::confidence::Confidence;
use super::distributions::student_t_upper_quantile;
use super::error::{Place, Quantity, StatsError};

/// A mean with its t interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mean {
    pub n: usize,
    pub value: f64,
    /// Sample standard deviation (divisor k − 1).
    pub sd: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The mean of `values` with its Student t interval; needs at least two values, all finite.
pub fn mean(values: &[f64], confidence: Confidence) -> Result<Mean, StatsError> {
    let k = values.len();
    if k < 2 {
        return Err(StatsError::TooFewValues { n: k });
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(StatsError::NotFinite {
            at: Place::Item(i),
            what: Quantity::Value,
        });
    }
    let kf = k as f64;
    let value = values.iter().sum::<f64>() / kf;
    let ss: f64 = values.iter().map(|v| (v - value) * (v - value)).sum();
    let sd = (ss / (kf - 1.0)).sqrt();
    let t = student_t_upper_quantile(confidence.alpha() / 2.0, kf - 1.0);
    let half = t * sd / kf.sqrt();
    Ok(Mean {
        n: k,
        value,
        sd,
        lower: value - half,
        upper: value + half,
    })
}
