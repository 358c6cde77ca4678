//! The edits of one indicator ([`IndicatorEdit`]): its name, source, numerator and
//! denominator, conditions, ages, light rule and its threshold. Applied by
//! [`crate::edit::apply`], pure and tested natively; `indicator_form.rs` turns the form's events
//! into these edits.

use samsyn_core::classify::traffic_light::CiLevels;
use samsyn_core::indicators::definition::{
    Against, CondValue, Condition, Indicator, LightRule, Measure, MeasureType, Number, Op,
};

use crate::edit::EditError;
use crate::i18n::Lang;

/// The light rules a form offers, by their name in the file (`method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LightMethod {
    None,
    Target,
    Benchmark,
    Quantiles,
    Trend,
}

impl LightMethod {
    pub const ALL: [LightMethod; 5] = [
        LightMethod::None,
        LightMethod::Target,
        LightMethod::Benchmark,
        LightMethod::Quantiles,
        LightMethod::Trend,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LightMethod::None => "none",
            LightMethod::Target => "target",
            LightMethod::Benchmark => "benchmark",
            LightMethod::Quantiles => "quantiles",
            LightMethod::Trend => "trend",
        }
    }

    pub fn parse(s: &str) -> Option<LightMethod> {
        LightMethod::ALL.into_iter().find(|m| m.name() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LightMethod::None => lang.t("inget ljus", "no light"),
            LightMethod::Target => lang.t("målvärde (gränser)", "target (cut-offs)"),
            LightMethod::Benchmark => lang.t(
                "jämförelse (konfidensintervall)",
                "benchmark (confidence interval)",
            ),
            LightMethod::Quantiles => lang.t(
                "kvartiler (bästa/sämsta andel)",
                "quartiles (best/worst share)",
            ),
            LightMethod::Trend => lang.t("trend över perioder", "trend over periods"),
        }
    }

    pub fn of(rule: &LightRule) -> LightMethod {
        match rule {
            LightRule::None => LightMethod::None,
            LightRule::Target { .. } => LightMethod::Target,
            LightRule::Benchmark { .. } => LightMethod::Benchmark,
            LightRule::Quantiles { .. } => LightMethod::Quantiles,
            LightRule::Trend { .. } => LightMethod::Trend,
        }
    }

    /// A rule of this method with its usual settings, to change by the form.
    fn default_rule(self) -> LightRule {
        match self {
            LightMethod::None => LightRule::None,
            LightMethod::Target => LightRule::Target {
                green: 0.0,
                red: 0.0,
            },
            LightMethod::Benchmark => LightRule::Benchmark {
                against: Against::County,
                levels: CiLevels::default(),
                name: None,
            },
            LightMethod::Quantiles => LightRule::Quantiles {
                green_share: 0.25,
                red_share: 0.25,
            },
            LightMethod::Trend => LightRule::Trend { periods: 3 },
        }
    }
}

/// The comparison operators a condition's form offers, with their names in the file.
pub const OPS: [(Op, &str); 7] = [
    (Op::Eq, "="),
    (Op::Ne, "!="),
    (Op::Lt, "<"),
    (Op::Le, "<="),
    (Op::Gt, ">"),
    (Op::Ge, ">="),
    (Op::In, "in"),
];

/// An operator's name in the file.
pub fn op_name(op: Op) -> &'static str {
    OPS.iter()
        .find(|(o, _)| *o == op)
        .map(|(_, n)| *n)
        .unwrap_or("=")
}

/// Most periods a trend rule may look back over.
pub const MAX_TREND_PERIODS: usize = 50;

/// One change to one indicator. `denominator` says which side a side's edit is for.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorEdit {
    SetName(String),
    /// The input a side reads; for the denominator, empty removes it.
    SetSource {
        denominator: bool,
        source: String,
    },
    /// The column a side sums; empty: it counts rows.
    SetSum {
        denominator: bool,
        column: String,
    },
    /// A new condition `column = ""` at the end of a side.
    AddCondition {
        denominator: bool,
        column: String,
    },
    RemoveCondition {
        denominator: bool,
        at: usize,
    },
    SetConditionColumn {
        denominator: bool,
        at: usize,
        column: String,
    },
    SetConditionOp {
        denominator: bool,
        at: usize,
        op: Op,
    },
    /// As typed: whole years, each end may be empty.
    SetAges {
        min: String,
        max: String,
    },
    SetLightMethod(LightMethod),
    /// A target rule's cut-offs, as typed.
    SetTarget {
        green: String,
        red: String,
    },
    /// `county`, `previous`, or a value typed in (the national value).
    SetBenchmark(String),
    /// The benchmark's interval level(s): `95`, `99.8` or `both`.
    SetBenchmarkLevels(String),
    /// The benchmark's name in the reasons and legend ("riket", "målvärdet"); empty: the
    /// default for what it compares with.
    SetBenchmarkName(String),
    /// A quartile rule's shares, as typed (`0,25`).
    SetQuantiles {
        green: String,
        red: String,
    },
    SetTrendPeriods(String),
    /// The fewest cases for a light, as typed; empty: the default (5).
    SetMinCases(String),
}

impl IndicatorEdit {
    /// The text field this edit types into, for the history's typing steps.
    pub fn typing_key(&self) -> Option<&'static str> {
        match self {
            IndicatorEdit::SetName(_) => Some("name"),
            IndicatorEdit::SetBenchmarkName(_) => Some("benchmark-name"),
            _ => None,
        }
    }
}

fn number(text: &str) -> Result<f64, EditError> {
    let written: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    Number::parse(&written).ok_or_else(|| EditError::BadNumber(text.trim().to_owned()))
}

fn side(ind: &mut Indicator, denominator: bool) -> Result<&mut Measure, EditError> {
    if denominator {
        ind.denominator.as_mut().ok_or(EditError::NoDenominator)
    } else {
        Ok(&mut ind.numerator)
    }
}

/// An age end as typed: empty, or whole years 0–120 on a five-year band's edge.
fn age(text: &str, is_max: bool) -> Result<Option<u32>, EditError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || EditError::BadAge(t.to_owned());
    let years: u32 = t.parse().map_err(|_| bad())?;
    let on_edge = if is_max {
        (years + 1).is_multiple_of(5)
    } else {
        years.is_multiple_of(5)
    };
    if years > 120 || !on_edge {
        return Err(bad());
    }
    Ok(Some(years))
}

/// A share of units, as typed: above 0 and at most 0,5.
fn share(text: &str) -> Result<f64, EditError> {
    let v = number(text)?;
    if v > 0.0 && v <= 0.5 {
        Ok(v)
    } else {
        Err(EditError::BadShare(text.trim().to_owned()))
    }
}

/// A condition's value when its operator becomes `op`: a list for `in`, a number for `<`, `>`
/// and their kin, else as it was.
fn value_for(value: &CondValue, op: Op) -> Result<CondValue, EditError> {
    let text = match value {
        CondValue::Number(n) => n.to_string(),
        CondValue::Text(t) => t.clone(),
        CondValue::List(l) => l.join(", "),
    };
    Ok(match op {
        Op::In => match value {
            CondValue::List(l) => CondValue::List(l.clone()),
            _ if text.is_empty() => CondValue::List(Vec::new()),
            _ => CondValue::List(vec![text]),
        },
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            CondValue::Number(Number::parse(&text).ok_or(EditError::BadConditionNumber(text))?)
        }
        Op::Eq | Op::Ne => match value {
            CondValue::List(l) => CondValue::Text(l.first().cloned().unwrap_or_default()),
            other => other.clone(),
        },
    })
}

/// Applies `edit` to `ind`; `sources` are the notebook's input names.
pub fn apply_indicator(
    ind: &mut Indicator,
    edit: &IndicatorEdit,
    sources: &[String],
) -> Result<(), EditError> {
    let known = |s: &str| -> Result<(), EditError> {
        if sources.iter().any(|n| n == s) {
            Ok(())
        } else {
            Err(EditError::NoSource(s.to_owned()))
        }
    };
    match edit {
        IndicatorEdit::SetName(name) => ind.name = name.clone(),
        IndicatorEdit::SetSource {
            denominator: false,
            source,
        } => {
            known(source)?;
            ind.numerator.source = source.clone();
        }
        IndicatorEdit::SetSource {
            denominator: true,
            source,
        } => {
            if source.is_empty() {
                if matches!(
                    ind.measure,
                    MeasureType::Rate | MeasureType::Share | MeasureType::Dsr | MeasureType::Isr
                ) {
                    return Err(EditError::DenominatorNeeded);
                }
                ind.denominator = None;
            } else {
                known(source)?;
                match &mut ind.denominator {
                    Some(d) => d.source = source.clone(),
                    None => {
                        ind.denominator = Some(Measure {
                            source: source.clone(),
                            conditions: Vec::new(),
                            sum: None,
                        })
                    }
                }
            }
        }
        IndicatorEdit::SetSum {
            denominator,
            column,
        } => {
            let column = column.trim();
            side(ind, *denominator)?.sum = (!column.is_empty()).then(|| column.to_owned());
        }
        IndicatorEdit::AddCondition {
            denominator,
            column,
        } => {
            let column = column.trim();
            if column.is_empty() {
                return Err(EditError::NoColumn);
            }
            side(ind, *denominator)?.conditions.push(Condition {
                column: column.to_owned(),
                op: Op::Eq,
                value: CondValue::Text(String::new()),
            });
        }
        IndicatorEdit::RemoveCondition { denominator, at } => {
            let conditions = &mut side(ind, *denominator)?.conditions;
            if *at >= conditions.len() {
                return Err(EditError::NoCondition);
            }
            conditions.remove(*at);
        }
        IndicatorEdit::SetConditionColumn {
            denominator,
            at,
            column,
        } => {
            let column = column.trim();
            if column.is_empty() {
                return Err(EditError::NoColumn);
            }
            side(ind, *denominator)?
                .conditions
                .get_mut(*at)
                .ok_or(EditError::NoCondition)?
                .column = column.to_owned();
        }
        IndicatorEdit::SetConditionOp {
            denominator,
            at,
            op,
        } => {
            let c = side(ind, *denominator)?
                .conditions
                .get_mut(*at)
                .ok_or(EditError::NoCondition)?;
            c.value = value_for(&c.value, *op)?;
            c.op = *op;
        }
        IndicatorEdit::SetAges { min, max } => {
            let (min, max) = (age(min, false)?, age(max, true)?);
            if let (Some(a), Some(b)) = (min, max) {
                if a > b {
                    return Err(EditError::AgesReversed(a, b));
                }
            }
            ind.ages.min = min;
            ind.ages.max = max;
        }
        IndicatorEdit::SetLightMethod(m) => {
            if LightMethod::of(&ind.light) != *m {
                ind.light = m.default_rule();
            }
        }
        IndicatorEdit::SetTarget { green, red } => {
            let (g, r) = (number(green)?, number(red)?);
            let LightRule::Target { green, red } = &mut ind.light else {
                return Err(EditError::OtherLightRule);
            };
            (*green, *red) = (g, r);
        }
        IndicatorEdit::SetBenchmark(text) => {
            let chosen = match text.trim() {
                "county" => Against::County,
                "previous" => Against::Previous,
                other => Against::Value(number(other)?),
            };
            let LightRule::Benchmark { against, .. } = &mut ind.light else {
                return Err(EditError::OtherLightRule);
            };
            *against = chosen;
        }
        IndicatorEdit::SetBenchmarkLevels(text) => {
            let chosen = match text.trim() {
                "95" => CiLevels::One95,
                "99.8" => CiLevels::One998,
                "both" => CiLevels::Two,
                other => return Err(EditError::BadNumber(other.to_owned())),
            };
            let LightRule::Benchmark { levels, .. } = &mut ind.light else {
                return Err(EditError::OtherLightRule);
            };
            *levels = chosen;
        }
        IndicatorEdit::SetBenchmarkName(text) => {
            let LightRule::Benchmark { name, .. } = &mut ind.light else {
                return Err(EditError::OtherLightRule);
            };
            let t = text.trim();
            *name = (!t.is_empty()).then(|| t.to_owned());
        }
        IndicatorEdit::SetQuantiles { green, red } => {
            let (g, r) = (share(green)?, share(red)?);
            let LightRule::Quantiles {
                green_share,
                red_share,
            } = &mut ind.light
            else {
                return Err(EditError::OtherLightRule);
            };
            (*green_share, *red_share) = (g, r);
        }
        IndicatorEdit::SetTrendPeriods(text) => {
            let t = text.trim();
            let n: usize = t
                .parse()
                .ok()
                .filter(|n| (3..=MAX_TREND_PERIODS).contains(n))
                .ok_or_else(|| EditError::BadTrendPeriods(t.to_owned()))?;
            let LightRule::Trend { periods } = &mut ind.light else {
                return Err(EditError::OtherLightRule);
            };
            *periods = n;
        }
        IndicatorEdit::SetMinCases(text) => {
            ind.min_cases = if text.trim().is_empty() {
                None
            } else {
                let v = number(text)?;
                if !(1.0..=1e6).contains(&v) {
                    return Err(EditError::BadMinCases(text.trim().to_owned()));
                }
                Some(v)
            };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, Edit};
    use samsyn_core::notebook::{Cell, Notebook};

    fn template() -> Notebook {
        crate::edit::template()
    }

    fn on(indicator: &str, edit: IndicatorEdit) -> Edit {
        Edit::Indicator {
            cell: "indicators".into(),
            indicator: indicator.into(),
            edit,
        }
    }

    fn get<'a>(nb: &'a Notebook, id: &str) -> &'a Indicator {
        nb.cells
            .iter()
            .find_map(|c| match c {
                Cell::Indicators(ic) => ic.indicators.iter().find(|i| i.id == id),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no indicator {id}"))
    }

    const FALLS: &str = "fall_injuries_65";

    /// `nb` after an edit of the template's indicator.
    fn falls(nb: &Notebook, edit: IndicatorEdit) -> Result<Notebook, EditError> {
        apply(nb, &on(FALLS, edit))
    }

    #[test]
    fn indicators_are_added_named_and_removed_unless_a_cell_shows_them() {
        let nb = template();
        let e = apply(
            &nb,
            &Edit::AddIndicator {
                cell: "indicators".into(),
            },
        )
        .expect("adds");
        let new = get(&e, "indicator");
        assert_eq!(
            (
                new.measure,
                new.numerator.source.as_str(),
                new.denominator.is_none()
            ),
            (MeasureType::Count, "events", true)
        );
        let e = apply(
            &e,
            &on("indicator", IndicatorEdit::SetName("Vårdkontakter".into())),
        )
        .expect("named");
        assert_eq!(get(&e, "indicator").name, "Vårdkontakter");
        let again = apply(
            &e,
            &Edit::AddIndicator {
                cell: "indicators".into(),
            },
        )
        .expect("adds another");
        assert_eq!(
            crate::edit::indicator_ids(&again),
            [FALLS, "indicator", "indicator-2"]
        );
        let removed = apply(
            &again,
            &Edit::RemoveIndicator {
                cell: "indicators".into(),
                indicator: "indicator".into(),
            },
        )
        .expect("removes");
        assert_eq!(crate::edit::indicator_ids(&removed), [FALLS, "indicator-2"]);
        // The table shows the first: it stays, and says why.
        let err = apply(
            &e,
            &Edit::RemoveIndicator {
                cell: "indicators".into(),
                indicator: FALLS.into(),
            },
        )
        .expect_err("shown by a table");
        assert_eq!(
            err.text(Lang::Sv),
            "Indikatorn «fall_injuries_65» visas i cellen «table»; ändra eller ta bort den cellen först."
        );
        assert_eq!(
            err.text(Lang::En),
            "The indicator 'fall_injuries_65' is shown in the cell 'table'; change or delete that cell first."
        );
    }

    #[test]
    fn sources_sums_and_conditions_are_set_and_refused_by_message() {
        let nb = template();
        let e = falls(
            &nb,
            IndicatorEdit::AddCondition {
                denominator: false,
                column: "sex".into(),
            },
        )
        .expect("a condition");
        let e = apply(
            &e,
            &Edit::SetConditionValue {
                cell: "indicators".into(),
                indicator: FALLS.into(),
                denominator: false,
                at: 1,
                value: "K".into(),
            },
        )
        .expect("its value");
        let c = &get(&e, FALLS).numerator.conditions[1];
        assert_eq!(
            (c.column.as_str(), c.op, c.value.clone()),
            ("sex", Op::Eq, CondValue::Text("K".into()))
        );
        // To `in`: the value becomes a list; to `>=` a text that is no number is refused.
        let e2 = falls(
            &e,
            IndicatorEdit::SetConditionOp {
                denominator: false,
                at: 1,
                op: Op::In,
            },
        )
        .expect("in");
        assert_eq!(
            get(&e2, FALLS).numerator.conditions[1].value,
            CondValue::List(vec!["K".into()])
        );
        assert!(e2.save().contains("\"op\": \"in\""));
        let err = falls(
            &e,
            IndicatorEdit::SetConditionOp {
                denominator: false,
                at: 1,
                op: Op::Ge,
            },
        )
        .expect_err("K is no number");
        assert_eq!(
            err.text(Lang::Sv),
            "«K» är inte ett tal, och villkoret jämför tal."
        );
        let e3 = falls(
            &e,
            IndicatorEdit::SetConditionColumn {
                denominator: false,
                at: 1,
                column: "cause".into(),
            },
        )
        .expect("another column");
        assert_eq!(get(&e3, FALLS).numerator.conditions[1].column, "cause");
        let e4 = falls(
            &e,
            IndicatorEdit::RemoveCondition {
                denominator: false,
                at: 0,
            },
        )
        .expect("removed");
        assert_eq!(get(&e4, FALLS).numerator.conditions.len(), 1);
        assert_eq!(get(&e4, FALLS).numerator.conditions[0].column, "sex");
        assert_eq!(
            falls(
                &e,
                IndicatorEdit::RemoveCondition {
                    denominator: true,
                    at: 0
                }
            ),
            Err(EditError::NoCondition)
        );
        let err = falls(
            &nb,
            IndicatorEdit::AddCondition {
                denominator: false,
                column: " ".into(),
            },
        )
        .expect_err("no column");
        assert_eq!(err.text(Lang::En), "Choose a column for the condition.");

        // Sources: only inputs of the notebook; a rate keeps its denominator.
        let err = falls(
            &nb,
            IndicatorEdit::SetSource {
                denominator: false,
                source: "befolkning".into(),
            },
        )
        .expect_err("no such input");
        assert_eq!(
            err.text(Lang::Sv),
            "Det finns ingen datacell «befolkning»; lägg till en datacell med det namnet först."
        );
        let err = falls(
            &nb,
            IndicatorEdit::SetSource {
                denominator: true,
                source: "".into(),
            },
        )
        .expect_err("a rate needs one");
        assert_eq!(err, EditError::DenominatorNeeded);
        let count = apply(
            &nb,
            &Edit::SetMeasure {
                cell: "indicators".into(),
                indicator: FALLS.into(),
                measure: MeasureType::Count,
            },
        )
        .expect("a count");
        let count = falls(
            &count,
            IndicatorEdit::SetSource {
                denominator: true,
                source: "".into(),
            },
        )
        .expect("a count needs none");
        assert!(get(&count, FALLS).denominator.is_none());
        assert_eq!(
            falls(
                &count,
                IndicatorEdit::SetSum {
                    denominator: true,
                    column: "population".into()
                }
            ),
            Err(EditError::NoDenominator)
        );
        let back = falls(
            &count,
            IndicatorEdit::SetSource {
                denominator: true,
                source: "population".into(),
            },
        )
        .expect("a denominator again");
        let back = falls(
            &back,
            IndicatorEdit::SetSum {
                denominator: true,
                column: "population".into(),
            },
        )
        .expect("its sum");
        assert_eq!(
            get(&back, FALLS).denominator,
            get(&nb, FALLS).denominator,
            "as it was"
        );
    }

    #[test]
    fn ages_are_band_edges() {
        let nb = template();
        let set = |min: &str, max: &str| {
            falls(
                &nb,
                IndicatorEdit::SetAges {
                    min: min.into(),
                    max: max.into(),
                },
            )
        };
        let e = set("80", "").expect("80 and older");
        assert_eq!(
            (get(&e, FALLS).ages.min, get(&e, FALLS).ages.max),
            (Some(80), None)
        );
        let e = set(" 65 ", "79").expect("65–79");
        assert_eq!(
            (get(&e, FALLS).ages.min, get(&e, FALLS).ages.max),
            (Some(65), Some(79))
        );
        let e = set("", "").expect("all ages");
        assert_eq!(get(&e, FALLS).ages, Default::default());
        let err = set("67", "").expect_err("not an edge");
        assert_eq!(
            err.text(Lang::Sv),
            "«67» är ingen åldersgräns: skriv hela år på en femårsklass gräns (från 65, till 79), högst 120."
        );
        assert_eq!(set("65", "80"), Err(EditError::BadAge("80".into())));
        assert_eq!(set("sextio", ""), Err(EditError::BadAge("sextio".into())));
        let err = set("80", "64").expect_err("reversed");
        assert_eq!(
            err.text(Lang::En),
            "The ages end (64) before they start (80)."
        );
    }

    #[test]
    fn light_rules_with_their_settings_and_threshold() {
        let nb = template();
        let light = |nb: &Notebook| get(nb, FALLS).light.clone();
        let e = falls(&nb, IndicatorEdit::SetBenchmark("12,5".into())).expect("a value");
        assert!(matches!(
            light(&e),
            LightRule::Benchmark {
                against: Against::Value(v),
                ..
            } if v == 12.5
        ));
        let e = falls(&e, IndicatorEdit::SetBenchmark("previous".into())).expect("previous");
        assert!(e.save().contains("\"against\": \"previous\""));
        // The interval level and the benchmark's own name, and back to the default name.
        let e = falls(&e, IndicatorEdit::SetBenchmarkLevels("99.8".into())).expect("99.8 %");
        let e = falls(&e, IndicatorEdit::SetBenchmarkName(" riket ".into())).expect("a name");
        assert!(matches!(
            light(&e),
            LightRule::Benchmark { levels: CiLevels::One998, name: Some(n), .. } if n == "riket"
        ));
        let e = falls(&e, IndicatorEdit::SetBenchmarkLevels("both".into())).expect("both");
        let e = falls(&e, IndicatorEdit::SetBenchmarkName(String::new())).expect("no name");
        assert!(matches!(
            light(&e),
            LightRule::Benchmark {
                levels: CiLevels::Two,
                name: None,
                ..
            }
        ));
        assert!(falls(&e, IndicatorEdit::SetBenchmarkLevels("90".into())).is_err());
        let err =
            falls(&nb, IndicatorEdit::SetBenchmark("riket".into())).expect_err("not a number");
        assert_eq!(err.text(Lang::Sv), "«riket» är inte ett tal.");
        // Setting the target while the rule is a benchmark is refused.
        assert_eq!(
            falls(
                &nb,
                IndicatorEdit::SetTarget {
                    green: "1".into(),
                    red: "2".into()
                }
            ),
            Err(EditError::OtherLightRule)
        );
        let t = falls(&nb, IndicatorEdit::SetLightMethod(LightMethod::Target)).expect("target");
        let t = falls(
            &t,
            IndicatorEdit::SetTarget {
                green: "20".into(),
                red: "30,5".into(),
            },
        )
        .expect("cut-offs");
        assert_eq!(
            light(&t),
            LightRule::Target {
                green: 20.0,
                red: 30.5
            }
        );
        assert!(
            t.save().contains(
                "\"method\": \"target\",\n            \"green\": 20.0,\n            \"red\": 30.5"
            ),
            "{}",
            t.save()
        );
        let q =
            falls(&nb, IndicatorEdit::SetLightMethod(LightMethod::Quantiles)).expect("quartiles");
        assert_eq!(
            light(&q),
            LightRule::Quantiles {
                green_share: 0.25,
                red_share: 0.25
            }
        );
        let q = falls(
            &q,
            IndicatorEdit::SetQuantiles {
                green: "0,2".into(),
                red: "0.1".into(),
            },
        )
        .expect("shares");
        assert_eq!(
            light(&q),
            LightRule::Quantiles {
                green_share: 0.2,
                red_share: 0.1
            }
        );
        let err = falls(
            &q,
            IndicatorEdit::SetQuantiles {
                green: "0,6".into(),
                red: "0.1".into(),
            },
        )
        .expect_err("more than half");
        assert_eq!(
            err.text(Lang::En),
            "'0,6' is not a share above 0 and at most 0.5 (e.g. 0.25 for a quarter)."
        );
        let tr = falls(&nb, IndicatorEdit::SetLightMethod(LightMethod::Trend)).expect("trend");
        let tr = falls(&tr, IndicatorEdit::SetTrendPeriods("5".into())).expect("5");
        assert_eq!(light(&tr), LightRule::Trend { periods: 5 });
        let err = falls(&tr, IndicatorEdit::SetTrendPeriods("2".into())).expect_err("too few");
        assert_eq!(
            err.text(Lang::Sv),
            "«2» är inte ett antal perioder från 3 till 50."
        );
        let none = falls(&nb, IndicatorEdit::SetLightMethod(LightMethod::None)).expect("none");
        assert_eq!(light(&none), LightRule::None);
        // The same method again keeps its settings.
        let same = falls(&t, IndicatorEdit::SetLightMethod(LightMethod::Target)).expect("same");
        assert_eq!(light(&same), light(&t));

        let m = falls(&nb, IndicatorEdit::SetMinCases("10".into())).expect("10");
        assert_eq!(get(&m, FALLS).min_cases, Some(10.0));
        assert_eq!(get(&m, FALLS).min_cases(), 10.0);
        let m = falls(&m, IndicatorEdit::SetMinCases(" ".into())).expect("default");
        assert_eq!(get(&m, FALLS).min_cases, None);
        let err = falls(&nb, IndicatorEdit::SetMinCases("0".into())).expect_err("below one");
        assert_eq!(
            err.text(Lang::Sv),
            "«0» är inget minsta antal fall: skriv ett tal från 1, eller lämna tomt för standardvärdet 5."
        );
        assert_eq!(
            apply(&nb, &on("nope", IndicatorEdit::SetMinCases("5".into()))),
            Err(EditError::NoIndicator("nope".into()))
        );
    }
}
