//! Traffic lights: turning a value with its interval into green, yellow, red or "not classified",
//! always with the reason in words.
//!
//! Method source: the UK Fingertips comparers (methods.md §5.1: benchmark by confidence
//! intervals, targets, quantiles), Kolada's relative colours (§5.2) and an inverse-variance
//! weighted trend (see [`trend`]). The rules are checked against the shared Fingertips vectors
//! (`tests/data/indicators/rag_*.csv`, `quantiles.csv`).

pub mod quantiles;
pub mod traffic_light;
pub mod trend;

use serde::{Deserialize, Serialize};

/// Which direction is good for an indicator (Fingertips PolarityIds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// RagHighIsGood.
    #[default]
    HighIsGood,
    /// RagLowIsGood.
    LowIsGood,
    /// BlueOrangeBlue: higher or lower, no judgement; never coloured.
    NoJudgement,
}

/// A traffic light. `Grey` is "not classified": too few cases, no value, or no judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    Green,
    Yellow,
    Red,
    Grey,
}

impl Light {
    /// The word written in CSV files.
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
            Light::Grey => "not classified",
        }
    }

    /// The Swedish word.
    pub fn swedish(self) -> &'static str {
        match self {
            Light::Green => "grön",
            Light::Yellow => "gul",
            Light::Red => "röd",
            Light::Grey => "ej klassad",
        }
    }
}

/// A light with its reason in Swedish words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classified {
    pub light: Light,
    pub reason: String,
}

impl Classified {
    pub fn new(light: Light, reason: impl Into<String>) -> Self {
        Classified {
            light,
            reason: reason.into(),
        }
    }

    pub fn grey(reason: impl Into<String>) -> Self {
        Self::new(Light::Grey, reason)
    }
}

/// A number as Swedish text: decimal comma, precision by size (412; 36,7; 2,16).
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    let a = v.abs();
    let s = if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    s.replace('.', ",")
}

/// "412 (95 % KI 380–446)", or just the value when there are no limits.
pub fn format_with_ci(value: f64, lower: Option<f64>, upper: Option<f64>, level: f64) -> String {
    match (lower, upper) {
        (Some(l), Some(u)) => format!(
            "{} ({} % KI {}–{})",
            format_number(value),
            format_level(level),
            format_number(l),
            format_number(u)
        ),
        _ => format_number(value),
    }
}

/// A confidence level as a percentage: 0.95 → "95", 0.998 → "99,8".
pub fn format_level(level: f64) -> String {
    let pct = (level * 1000.0).round() / 10.0;
    if pct.fract() == 0.0 {
        format!("{pct:.0}")
    } else {
        format!("{pct:.1}").replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_swedish() {
        assert_eq!(format_number(412.3), "412");
        assert_eq!(format_number(36.66), "36,7");
        assert_eq!(format_number(2.163), "2,16");
        assert_eq!(
            format_with_ci(412.0, Some(380.0), Some(446.0), 0.95),
            "412 (95 % KI 380–446)"
        );
        assert_eq!(
            format_with_ci(412.0, Some(380.0), Some(446.0), 0.998),
            "412 (99,8 % KI 380–446)"
        );
    }
}
