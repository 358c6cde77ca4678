//! Benchmark and target comparisons, exactly as UK Fingertips makes them.
//!
//! Method source: Fingertips `SingleOverlappingCIsForOneCILevelComparer`,
//! `…ForTwoCILevelsComparer`, `SingleValueTargetComparer` and `RangeTargetComparer`
//! (methods.md §5.1), checked against `tests/data/indicators/rag_benchmark.csv`,
//! `rag_target.csv` and `rag_target_range.csv`. The Swedish reason texts are Samsyn's.

use super::{both, format_number_in, format_with_ci_in, Classified, Light, Polarity};
use crate::error::Message;
use crate::number_format::Language;

/// The outcome of comparing a unit with a benchmark (Fingertips Significance with its labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    NotCompared,
    Similar,
    Better,
    Worse,
    /// Two CI levels: outside the 99.8 % interval, good side.
    Best,
    /// Two CI levels: outside the 99.8 % interval, bad side.
    Worst,
    /// No-judgement polarity.
    Higher,
    Lower,
    Higher998,
    Lower998,
}

impl Comparison {
    /// Fingertips' label (as in the reference vectors).
    pub fn label(self) -> &'static str {
        match self {
            Comparison::NotCompared => "Not compared",
            Comparison::Similar => "Similar",
            Comparison::Better => "Better",
            Comparison::Worse => "Worse",
            Comparison::Best => "Best",
            Comparison::Worst => "Worst",
            Comparison::Higher => "Higher",
            Comparison::Lower => "Lower",
            Comparison::Higher998 => "Higher (99.8%)",
            Comparison::Lower998 => "Lower (99.8%)",
        }
    }

    /// The light: better → green, similar → yellow, worse → red; no judgement → grey.
    pub fn light(self) -> Light {
        match self {
            Comparison::Better | Comparison::Best => Light::Green,
            Comparison::Similar => Light::Yellow,
            Comparison::Worse | Comparison::Worst => Light::Red,
            _ => Light::Grey,
        }
    }

    /// Swedish words: "Bättre än", "I nivå med", "Sämre än", …
    pub fn swedish(self) -> &'static str {
        match self {
            Comparison::NotCompared => "Ej jämförd med",
            Comparison::Similar => "I nivå med",
            Comparison::Better => "Bättre än",
            Comparison::Worse => "Sämre än",
            Comparison::Best => "Klart bättre (99,8 %) än",
            Comparison::Worst => "Klart sämre (99,8 %) än",
            Comparison::Higher => "Högre än",
            Comparison::Lower => "Lägre än",
            Comparison::Higher998 => "Klart högre (99,8 %) än",
            Comparison::Lower998 => "Klart lägre (99,8 %) än",
        }
    }

    /// English words: "Better than", "Similar to", "Worse than", …
    pub fn english(self) -> &'static str {
        match self {
            Comparison::NotCompared => "Not compared with",
            Comparison::Similar => "Similar to",
            Comparison::Better => "Better than",
            Comparison::Worse => "Worse than",
            Comparison::Best => "Clearly better (99.8 %) than",
            Comparison::Worst => "Clearly worse (99.8 %) than",
            Comparison::Higher => "Higher than",
            Comparison::Lower => "Lower than",
            Comparison::Higher998 => "Clearly higher (99.8 %) than",
            Comparison::Lower998 => "Clearly lower (99.8 %) than",
        }
    }
}

/// An estimate with its 95 % (and optionally 99.8 %) limits.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Estimate {
    pub value: Option<f64>,
    pub lower_95: Option<f64>,
    pub upper_95: Option<f64>,
    pub lower_998: Option<f64>,
    pub upper_998: Option<f64>,
}

fn valid(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

/// Orients a "value above the benchmark" result by polarity.
fn orient(above: bool, outer: bool, polarity: Polarity) -> Comparison {
    match (polarity, above, outer) {
        (Polarity::NoJudgement, true, false) => Comparison::Higher,
        (Polarity::NoJudgement, false, false) => Comparison::Lower,
        (Polarity::NoJudgement, true, true) => Comparison::Higher998,
        (Polarity::NoJudgement, false, true) => Comparison::Lower998,
        (Polarity::HighIsGood, true, false) | (Polarity::LowIsGood, false, false) => {
            Comparison::Better
        }
        (Polarity::HighIsGood, false, false) | (Polarity::LowIsGood, true, false) => {
            Comparison::Worse
        }
        (Polarity::HighIsGood, true, true) | (Polarity::LowIsGood, false, true) => Comparison::Best,
        (Polarity::HighIsGood, false, true) | (Polarity::LowIsGood, true, true) => {
            Comparison::Worst
        }
    }
}

/// One CI level (95 %): similar when the benchmark lies inside the interval.
pub fn compare_one_level(e: &Estimate, benchmark: f64, polarity: Option<Polarity>) -> Comparison {
    let (Some(polarity), Some(v), Some(l), Some(u)) = (
        polarity,
        valid(e.value),
        valid(e.lower_95),
        valid(e.upper_95),
    ) else {
        return Comparison::NotCompared;
    };
    if !benchmark.is_finite() {
        return Comparison::NotCompared;
    }
    if l <= benchmark && benchmark <= u {
        return Comparison::Similar;
    }
    orient(v >= benchmark, false, polarity)
}

/// Two CI levels (95 % and 99.8 %): outside the 99.8 % interval is Best/Worst.
pub fn compare_two_levels(e: &Estimate, benchmark: f64, polarity: Option<Polarity>) -> Comparison {
    let (Some(polarity), Some(v), Some(l95), Some(u95), Some(l998), Some(u998)) = (
        polarity,
        valid(e.value),
        valid(e.lower_95),
        valid(e.upper_95),
        valid(e.lower_998),
        valid(e.upper_998),
    ) else {
        return Comparison::NotCompared;
    };
    if !benchmark.is_finite() {
        return Comparison::NotCompared;
    }
    if l95 <= benchmark && benchmark <= u95 {
        return Comparison::Similar;
    }
    if l998 <= benchmark && benchmark <= l95 {
        return orient(true, false, polarity);
    }
    if u95 <= benchmark && benchmark <= u998 {
        return orient(false, false, polarity);
    }
    orient(v >= benchmark, true, polarity)
}

/// Which CI levels a benchmark comparison uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CiLevels {
    /// 95 % only.
    #[default]
    One95,
    /// 99.8 % only (treated as the one level).
    One998,
    /// 95 % and 99.8 %.
    Two,
}

/// A benchmark comparison as a light with its reason: "Sämre än länet: 412 (95 % KI 380–446) mot
/// 361", "Worse than the county: 412 (95 % CI 380–446) against 361". `benchmark_name` is the
/// benchmark's name in each language.
pub fn benchmark_light(
    e: &Estimate,
    benchmark: f64,
    benchmark_name: &Message,
    polarity: Polarity,
    levels: CiLevels,
) -> Classified {
    let (comparison, lower, upper, level) = match levels {
        CiLevels::One95 => (
            compare_one_level(e, benchmark, Some(polarity)),
            e.lower_95,
            e.upper_95,
            0.95,
        ),
        CiLevels::One998 => {
            let e998 = Estimate {
                lower_95: e.lower_998,
                upper_95: e.upper_998,
                ..*e
            };
            (
                compare_one_level(&e998, benchmark, Some(polarity)),
                e.lower_998,
                e.upper_998,
                0.998,
            )
        }
        CiLevels::Two => (
            compare_two_levels(e, benchmark, Some(polarity)),
            e.lower_95,
            e.upper_95,
            0.95,
        ),
    };
    let Some(value) = valid(e.value) else {
        return Classified::grey(Message::both(
            "No value to compare",
            "Inget värde att jämföra",
        ));
    };
    Classified::new(
        comparison.light(),
        both(|l| {
            format!(
                "{} {}: {} {} {}",
                l.pick(comparison.swedish(), comparison.english()),
                benchmark_name.text(l),
                format_with_ci_in(value, lower, upper, level, l),
                l.pick("mot", "against"),
                format_number_in(benchmark, l)
            )
        }),
    )
}

/// Fingertips' target label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetRag {
    Green,
    Amber,
    Red,
}

impl TargetRag {
    pub fn label(self) -> &'static str {
        match self {
            TargetRag::Green => "Green",
            TargetRag::Amber => "Amber",
            TargetRag::Red => "Red",
        }
    }

    pub fn light(self) -> Light {
        match self {
            TargetRag::Green => Light::Green,
            TargetRag::Amber => Light::Yellow,
            TargetRag::Red => Light::Red,
        }
    }
}

/// A single target without intervals: high-is-good green when value ≥ target, low-is-good
/// green when value ≤ target. `None` for no-judgement polarity.
pub fn value_vs_target(value: f64, target: f64, polarity: Polarity) -> Option<TargetRag> {
    let green = match polarity {
        Polarity::HighIsGood => value >= target,
        Polarity::LowIsGood => value <= target,
        Polarity::NoJudgement => return None,
    };
    Some(if green {
        TargetRag::Green
    } else {
        TargetRag::Red
    })
}

/// A single target compared with the 95 % interval: the whole interval on the good side is
/// green, on the bad side red, straddling amber.
pub fn ci_vs_target(lower: f64, upper: f64, target: f64, polarity: Polarity) -> Option<TargetRag> {
    let (good_if_above, bad_if_above) = match polarity {
        Polarity::HighIsGood => (TargetRag::Green, TargetRag::Red),
        Polarity::LowIsGood => (TargetRag::Red, TargetRag::Green),
        Polarity::NoJudgement => return None,
    };
    Some(if lower >= target {
        good_if_above
    } else if upper < target {
        bad_if_above
    } else {
        TargetRag::Amber
    })
}

/// A range target (two limits, lower < upper): high-is-good red below the lower limit, green
/// from the upper limit, amber between; mirrored for low-is-good.
pub fn range_target(
    value: f64,
    lower_limit: f64,
    upper_limit: f64,
    polarity: Polarity,
) -> Option<TargetRag> {
    let (below, above) = match polarity {
        Polarity::HighIsGood => (TargetRag::Red, TargetRag::Green),
        Polarity::LowIsGood => (TargetRag::Green, TargetRag::Red),
        Polarity::NoJudgement => return None,
    };
    Some(if value < lower_limit {
        below
    } else if value >= upper_limit {
        above
    } else {
        TargetRag::Amber
    })
}

/// Target cut-offs as an analyst gives them: the value where green starts and where red starts.
/// High-is-good: green ≥ `green`, red < `red`; low-is-good: green < `green`, red ≥ `red`
/// (Fingertips' range comparer with lower/upper limit = the two cut-offs).
pub fn target_light(value: Option<f64>, green: f64, red: f64, polarity: Polarity) -> Classified {
    let Some(v) = valid(value) else {
        return Classified::grey(Message::both(
            "No value to compare with the target",
            "Inget värde att jämföra med målet",
        ));
    };
    let (lower, upper) = (green.min(red), green.max(red));
    let n = format_number_in;
    match range_target(v, lower, upper, polarity) {
        None => Classified::grey(both(|l| {
            format!(
                "{} ({} {})",
                l.pick("Ingen bedömning", "No assessment"),
                l.pick("värde", "value"),
                n(v, l)
            )
        })),
        Some(rag) => {
            let text = both(|l| match (rag, l) {
                (TargetRag::Green, Language::Swedish) => {
                    format!("Når målet: {} (gräns för grönt {})", n(v, l), n(green, l))
                }
                (TargetRag::Green, Language::English) => {
                    format!("Meets the target: {} (green from {})", n(v, l), n(green, l))
                }
                (TargetRag::Amber, Language::Swedish) => format!(
                    "Mellan gränserna: {} (gräns för grönt {}, för rött {})",
                    n(v, l),
                    n(green, l),
                    n(red, l)
                ),
                (TargetRag::Amber, Language::English) => format!(
                    "Between the limits: {} (green from {}, red from {})",
                    n(v, l),
                    n(green, l),
                    n(red, l)
                ),
                (TargetRag::Red, Language::Swedish) => {
                    format!("Når inte målet: {} (gräns för rött {})", n(v, l), n(red, l))
                }
                (TargetRag::Red, Language::English) => {
                    format!("Misses the target: {} (red from {})", n(v, l), n(red, l))
                }
            });
            Classified::new(rag.light(), text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_reads_like_the_brief() {
        let e = Estimate {
            value: Some(412.0),
            lower_95: Some(380.0),
            upper_95: Some(446.0),
            ..Estimate::default()
        };
        let county = Message::both("the county", "länet");
        let c = benchmark_light(&e, 361.0, &county, Polarity::LowIsGood, CiLevels::One95);
        assert_eq!(c.light, Light::Red);
        assert_eq!(c.swedish(), "Sämre än länet: 412 (95 % KI 380–446) mot 361");
        assert_eq!(
            c.reason.en,
            "Worse than the county: 412 (95 % CI 380–446) against 361"
        );
    }
}
