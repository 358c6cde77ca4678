//! Each unit's traffic light and its change from the previous period (Fingertips, methods.md
//! §5.1): grey when there is no value or too few cases, else by the indicator's rule — a target,
//! a benchmark (a value, the county, the previous period), quantiles within the county group,
//! or a trend over the last periods.

use std::collections::HashMap;

use super::definition::{Against, Indicator, LightRule};
use super::levels::{Level, Period};
use super::table::UnitRow;
use super::units::county_parts;
use crate::classify::quantiles::quantile_lights;
use crate::classify::traffic_light::{benchmark_light, target_light, CiLevels};
use crate::classify::trend::{change_from_previous, trend_light, Point};
use crate::classify::{both, format_number_in, Classified, Light, Polarity};
use crate::error::Message;
use crate::number_format::Language;

/// Whether the light of `indicator` compares with the county's values, which the caller then
/// computes for [`classify_rows`].
pub(crate) fn needs_county(indicator: &Indicator) -> bool {
    matches!(
        indicator.light,
        LightRule::Benchmark {
            against: Against::County,
            ..
        }
    )
}

/// What each light of `rule` means, in `lang`, for the legend under a table or chart, so that
/// a reader sees what yellow is compared with without opening a reason. Empty when the rule
/// colours nothing (no rule, or a polarity without judgement).
pub fn light_legend(rule: &LightRule, polarity: Polarity, lang: Language) -> Vec<(Light, String)> {
    if polarity == Polarity::NoJudgement {
        return Vec::new();
    }
    let n = |v: f64| format_number_in(v, lang);
    let [green, yellow, red] = match rule {
        LightRule::None => return Vec::new(),
        LightRule::Target { green, red } => [
            lang.pick(
                format!("når målet (gräns för grönt {})", n(*green)),
                format!("meets the target (green from {})", n(*green)),
            ),
            lang.pick(
                format!("mellan gränserna {} och {}", n(*red), n(*green)),
                format!("between the limits {} and {}", n(*red), n(*green)),
            ),
            lang.pick(
                format!("når inte målet (gräns för rött {})", n(*red)),
                format!("misses the target (red from {})", n(*red)),
            ),
        ],
        LightRule::Benchmark {
            against,
            levels,
            name,
        } => {
            let default = match against {
                Against::County => lang.pick("länet", "the county").to_owned(),
                Against::Previous => lang
                    .pick("föregående period", "the previous period")
                    .to_owned(),
                Against::Value(v) => format!("{} ({})", lang.pick("riket", "the country"), n(*v)),
            };
            let name = name.clone().unwrap_or(default);
            let ci = match levels {
                CiLevels::One95 => lang.pick("95 % KI", "95% CI"),
                CiLevels::One998 => lang.pick("99,8 % KI", "99.8% CI"),
                CiLevels::Two => lang.pick("95 % och 99,8 % KI", "95% and 99.8% CI"),
            };
            [
                lang.pick(
                    format!("bättre än {name} (hela {ci} på den bättre sidan)"),
                    format!("better than {name} (the whole {ci} on the better side)"),
                ),
                lang.pick(
                    format!("ingen säker skillnad mot {name} ({name} inom {ci})"),
                    format!("no clear difference from {name} ({name} within the {ci})"),
                ),
                lang.pick(
                    format!("sämre än {name} (hela {ci} på den sämre sidan)"),
                    format!("worse than {name} (the whole {ci} on the worse side)"),
                ),
            ]
        }
        LightRule::Quantiles {
            green_share,
            red_share,
        } => {
            let share = |s: f64| n(s * 100.0);
            [
                lang.pick(
                    format!("bland de {} % bästa enheterna i länet", share(*green_share)),
                    format!(
                        "among the best {}% of the county's units",
                        share(*green_share)
                    ),
                ),
                lang.pick(
                    "mellan de bästa och de sämsta".to_owned(),
                    "between the best and the worst".to_owned(),
                ),
                lang.pick(
                    format!("bland de {} % sämsta enheterna i länet", share(*red_share)),
                    format!(
                        "among the worst {}% of the county's units",
                        share(*red_share)
                    ),
                ),
            ]
        }
        LightRule::Trend { periods } => [
            lang.pick(
                format!("säker förbättring över de senaste {periods} perioderna"),
                format!("a clear improvement over the last {periods} periods"),
            ),
            lang.pick(
                "ingen säker förändring".to_owned(),
                "no clear change".to_owned(),
            ),
            lang.pick(
                format!("säker försämring över de senaste {periods} perioderna"),
                format!("a clear worsening over the last {periods} periods"),
            ),
        ],
    };
    let grey = lang
        .pick(
            "för få fall, eller inget att jämföra med",
            "too few cases, or nothing to compare with",
        )
        .to_owned();
    vec![
        (Light::Green, green),
        (Light::Yellow, yellow),
        (Light::Red, red),
        (Light::Grey, grey),
    ]
}

fn point_of(r: &UnitRow) -> Option<Point> {
    match (r.value, r.estimate.lower_95, r.estimate.upper_95) {
        (Some(value), Some(lower), Some(upper)) => Some(Point {
            value,
            lower,
            upper,
        }),
        _ => None,
    }
}

/// Adds lights and changes to a level's rows (sorted by unit and period). `county` is the
/// indicator's rows at the county of `level` when [`needs_county`], else ignored.
pub(crate) fn classify_rows(
    indicator: &Indicator,
    level: &Level,
    rows: &mut [UnitRow],
    county: &[UnitRow],
) {
    let polarity = indicator.polarity;
    let min = indicator.min_cases();
    // Changes from the previous period.
    let by_key: HashMap<(Vec<String>, Period), usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.keys.clone(), r.period_code), i))
        .collect();
    if let Some(pd) = level.period {
        let changes: Vec<(usize, f64, Option<f64>)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let prev = rows.get(*by_key.get(&(r.keys.clone(), r.period_code.previous(pd)))?)?;
                let (a, b) = (point_of(prev)?, point_of(r)?);
                let (d, z, _) = change_from_previous(&a, &b, polarity);
                Some((i, d, z))
            })
            .collect();
        for (i, d, z) in changes {
            if let Some(r) = rows.get_mut(i) {
                r.change = Some(d);
                r.change_z = z;
            }
        }
    }
    // The grey lights first: no value, too few cases, no judgement.
    let too_few = |r: &UnitRow| -> Option<Classified> {
        if r.value.is_none() {
            return Some(Classified::grey(
                r.note
                    .clone()
                    .unwrap_or_else(|| Message::both("No value", "Inget värde")),
            ));
        }
        if r.cases < min {
            return Some(Classified::grey(both(|l| {
                format!(
                    "{}: {} ({} {})",
                    l.pick("För få fall", "Too few cases"),
                    format_number_in(r.cases, l),
                    l.pick("minst", "at least"),
                    format_number_in(min, l)
                )
            })));
        }
        None
    };
    let lights: Vec<Classified> = match &indicator.light {
        LightRule::None => rows
            .iter()
            .map(|r| {
                too_few(r).unwrap_or_else(|| {
                    Classified::grey(Message::both(
                        "No light rule chosen",
                        "Ingen ljusregel vald",
                    ))
                })
            })
            .collect(),
        LightRule::Target { green, red } => rows
            .iter()
            .map(|r| too_few(r).unwrap_or_else(|| target_light(r.value, *green, *red, polarity)))
            .collect(),
        LightRule::Benchmark {
            against,
            levels,
            name,
        } => {
            let county: HashMap<(&[String], Period), Option<f64>> = match against {
                Against::County => county
                    .iter()
                    .map(|r| ((r.keys.as_slice(), r.period_code), r.value))
                    .collect(),
                _ => HashMap::new(),
            };
            rows.iter()
                .map(|r| {
                    if let Some(g) = too_few(r) {
                        return g;
                    }
                    let (bench, default_name) = match against {
                        Against::Value(v) => (Some(*v), ("riket", "the country")),
                        Against::County => (
                            county
                                .get(&(county_parts(level, &r.keys).as_slice(), r.period_code))
                                .copied()
                                .flatten(),
                            ("länet", "the county"),
                        ),
                        Against::Previous => (
                            level.period.and_then(|pd| {
                                let i =
                                    by_key.get(&(r.keys.clone(), r.period_code.previous(pd)))?;
                                rows.get(*i)?.value
                            }),
                            ("föregående period", "the previous period"),
                        ),
                    };
                    let Some(bench) = bench else {
                        return Classified::grey(Message::both(
                            format!("No value for {} to compare with", default_name.1),
                            format!("Inget värde för {} att jämföra med", default_name.0),
                        ));
                    };
                    // A name the notebook gives is its author's words, in either language.
                    let name = match name {
                        Some(n) => Message::both(n.clone(), n.clone()),
                        None => Message::both(default_name.1, default_name.0),
                    };
                    benchmark_light(&r.estimate, bench, &name, polarity, *levels)
                })
                .collect()
        }
        LightRule::Quantiles {
            green_share,
            red_share,
        } => {
            let mut out: Vec<Classified> = rows
                .iter()
                .map(|_| Classified::grey(Message::default()))
                .collect();
            let mut groups: HashMap<(Vec<String>, Period), Vec<usize>> = HashMap::new();
            for (i, r) in rows.iter().enumerate() {
                groups
                    .entry((county_parts(level, &r.keys), r.period_code))
                    .or_default()
                    .push(i);
            }
            for members in groups.values() {
                let values: Vec<Option<f64>> = members
                    .iter()
                    .map(|&i| {
                        rows.get(i)
                            .filter(|r| too_few(r).is_none())
                            .and_then(|r| r.value)
                    })
                    .collect();
                let lights = quantile_lights(&values, polarity, *green_share, *red_share);
                for (&i, l) in members.iter().zip(lights) {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = l;
                    }
                }
            }
            rows.iter()
                .zip(out)
                .map(|(r, l)| too_few(r).unwrap_or(l))
                .collect()
        }
        LightRule::Trend { periods } => rows
            .iter()
            .map(|r| {
                let Some(pd) = level.period else {
                    return Classified::grey(Message::both(
                        "A trend needs a period in the level",
                        "En trend behöver en period i nivån",
                    ));
                };
                let mut points = Vec::with_capacity(*periods);
                let mut p = r.period_code;
                for _ in 0..*periods {
                    let row = by_key.get(&(r.keys.clone(), p)).and_then(|&i| rows.get(i));
                    points.push(row.filter(|x| too_few(x).is_none()).and_then(point_of));
                    p = p.previous(pd);
                }
                points.reverse();
                trend_light(&points, polarity, *periods)
            })
            .collect(),
    };
    for (r, l) in rows.iter_mut().zip(lights) {
        r.light = l.light;
        r.reason = l.reason;
    }
    if polarity == Polarity::NoJudgement {
        for r in rows.iter_mut() {
            r.light = Light::Grey;
        }
    }
}
