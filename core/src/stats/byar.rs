//! Byar's approximation to the Poisson confidence limits of a count.
//!
//! Source: Breslow & Day (1987), as PHEindicatormethods implements it in `byars_lower` /
//! `byars_upper` (`R/utils.R`, v2.1.0; methods.md §1.2):
//! L = x(1 − 1/(9x) − z/(3√x))³, U = (x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³.

use super::confidence::Confidence;

/// Byar's lower limit for a count x ≥ 0; `None` where PHE gives NA: at x = 0 (the formula
/// divides by zero) and when the limit comes out negative (e.g. x = 1 at 99.8 %).
pub fn byar_lower(count: f64, confidence: Confidence) -> Option<f64> {
    if count.is_nan() || count <= 0.0 {
        return None;
    }
    let z = confidence.z();
    let lower = count * (1.0 - 1.0 / (9.0 * count) - z / (3.0 * count.sqrt())).powi(3);
    (lower >= 0.0).then_some(lower)
}

/// Byar's upper limit for a count x ≥ 0.
pub fn byar_upper(count: f64, confidence: Confidence) -> f64 {
    let z = confidence.z();
    let x1 = count + 1.0;
    x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * x1.sqrt())).powi(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published values have 12 decimals.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-11
    }

    /// PHE's published test values (methods.md §10).
    #[test]
    fn phe_worked_examples() {
        let c95 = Confidence::p95();
        let c998 = Confidence::p998();
        assert!(close(byar_lower(65.0, c95).unwrap(), 50.163187710459));
        assert!(close(byar_upper(65.0, c95), 82.849138545940));
        assert!(close(byar_lower(1.0, c95).unwrap(), 0.013072132902));
        assert!(close(byar_upper(1.0, c95), 5.563755582475));
        assert!(close(byar_lower(1045.0, c998).unwrap(), 947.940703561037));
        assert!(close(byar_upper(1045.0, c998), 1148.806160988033));
        assert!(close(byar_lower(10.0, c998).unwrap(), 2.916318374696));
        assert!(close(byar_upper(10.0, c998), 24.193724927881));
        assert_eq!(byar_lower(1.0, c998), None);
        assert!(close(byar_upper(1.0, c998), 9.362180217908));
        assert_eq!(byar_lower(0.0, c95), None);
    }
}
