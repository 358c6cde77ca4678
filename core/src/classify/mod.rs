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

use crate::error::Message;
use crate::number_format::Language;

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

    /// The English word shown on screen (the CSV's word too).
    pub fn english(self) -> &'static str {
        self.label()
    }

    /// The word in `lang`.
    pub fn word(self, lang: crate::number_format::Language) -> &'static str {
        lang.pick(self.swedish(), self.english())
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

/// A light with its reason in words, Swedish and English.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classified {
    pub light: Light,
    pub reason: Message,
}

impl Classified {
    pub fn new(light: Light, reason: Message) -> Self {
        Classified { light, reason }
    }

    pub fn grey(reason: Message) -> Self {
        Self::new(Light::Grey, reason)
    }

    /// The reason in Swedish.
    pub fn swedish(&self) -> &str {
        self.reason.text(Language::Swedish)
    }
}

/// A number as Swedish text: decimal comma, precision by size (412; 36,7; 2,16).
pub fn format_number(v: f64) -> String {
    format_number_in(v, Language::Swedish)
}

/// [`format_number`] in `lang` (English: a decimal point, 36.7).
pub fn format_number_in(v: f64, lang: Language) -> String {
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
    match lang {
        Language::Swedish => s.replace('.', ","),
        Language::English => s,
    }
}

/// "412 (95 % KI 380–446)", or just the value when there are no limits.
pub fn format_with_ci(value: f64, lower: Option<f64>, upper: Option<f64>, level: f64) -> String {
    format_with_ci_in(value, lower, upper, level, Language::Swedish)
}

/// [`format_with_ci`] in `lang`: "412 (95 % CI 380–446)".
pub fn format_with_ci_in(
    value: f64,
    lower: Option<f64>,
    upper: Option<f64>,
    level: f64,
    lang: Language,
) -> String {
    match (lower, upper) {
        (Some(l), Some(u)) => format!(
            "{} ({} % {} {}–{})",
            format_number_in(value, lang),
            format_level_in(level, lang),
            lang.pick("KI", "CI"),
            format_number_in(l, lang),
            format_number_in(u, lang)
        ),
        _ => format_number_in(value, lang),
    }
}

/// A confidence level as a percentage: 0.95 → "95", 0.998 → "99,8".
pub fn format_level(level: f64) -> String {
    format_level_in(level, Language::Swedish)
}

/// [`format_level`] in `lang` (English: 99.8).
pub fn format_level_in(level: f64, lang: Language) -> String {
    let pct = (level * 1000.0).round() / 10.0;
    if pct.fract() == 0.0 {
        format!("{pct:.0}")
    } else {
        format_number_in(pct, lang)
    }
}

/// A reason worded twice, from one function of the language: `both(|l| format!(…))`.
pub fn both(word: impl Fn(Language) -> String) -> Message {
    Message::both(word(Language::English), word(Language::Swedish))
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
