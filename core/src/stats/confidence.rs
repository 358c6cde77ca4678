//! The confidence level of an interval, checked once, with its z value.
//!
//! Source: PHEindicatormethods `R/utils.R` (validation) and methods.md notation:
//! z = Φ⁻¹(conf + α/2), `qnorm(confidence + (1 - confidence)/2)` in PHE.

use super::distributions::normal_upper_quantile;
use super::error::StatsError;

/// A two-sided confidence level in [0.9, 1), as PHE accepts it (90–100 is read as a percentage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confidence {
    level: f64,
    z: f64,
}

impl Confidence {
    /// 95 %, PHE's default.
    pub const DEFAULT_LEVEL: f64 = 0.95;
    /// 99.8 %, the outer funnel/benchmark level ("3 sigma").
    pub const LEVEL_998: f64 = 0.998;

    /// A checked level: 0.9 ≤ level < 1, or 90 ≤ level < 100 (a percentage).
    pub fn new(level: f64) -> Result<Self, StatsError> {
        let level = if (90.0..100.0).contains(&level) {
            level / 100.0
        } else {
            level
        };
        // PHE also allows exactly 1 (limits [0, 1] for proportions); Samsyn does not, since
        // Poisson limits are infinite there.
        if !(0.9..1.0).contains(&level) {
            return Err(StatsError::Confidence { level });
        }
        Ok(Confidence {
            level,
            z: normal_upper_quantile((1.0 - level) / 2.0),
        })
    }

    /// 95 %.
    pub fn p95() -> Self {
        Confidence {
            level: 0.95,
            z: 1.959_963_984_540_054,
        }
    }

    /// 99.8 %.
    pub fn p998() -> Self {
        Confidence {
            level: 0.998,
            z: 3.090_232_306_167_813,
        }
    }

    /// The level as a fraction (0.95).
    pub fn level(self) -> f64 {
        self.level
    }

    /// α = 1 − level.
    pub fn alpha(self) -> f64 {
        1.0 - self.level
    }

    /// z = Φ⁻¹(level + α/2).
    pub fn z(self) -> f64 {
        self.z
    }
}

impl Default for Confidence {
    fn default() -> Self {
        Confidence::p95()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_agree_with_the_computed_z() {
        assert!((Confidence::new(0.95).unwrap().z() - Confidence::p95().z()).abs() < 4e-15);
        assert!((Confidence::new(0.998).unwrap().z() - Confidence::p998().z()).abs() < 4e-15);
        assert_eq!(Confidence::new(95.0).unwrap().level(), 0.95);
        assert!(Confidence::new(0.5).is_err());
        assert!(Confidence::new(1.0).is_err());
        assert!(Confidence::new(f64::NAN).is_err());
    }
}
