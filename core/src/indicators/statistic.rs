//! The statistic of each unit with its intervals, from its pooled sums and only by the methods
//! of [`crate::stats`] (PHEindicatormethods, methods.md §1–§3): counts, crude rates, Wilson
//! shares, Student t means (from streamed moments), DSRs against ESP2013 and ISRs. The value and
//! its limits are computed at the indicator's confidence level, and at 95 % and 99.8 % for the
//! comparisons of the lights.
//!
//! The ISR's reference is the pooled data of the same period and non-unit parts (the county), as
//! an internal standard; a DSR's standard is ESP2013 over the indicator's ages, built once per
//! indicator ([`Method`]).

use std::collections::HashMap;

use super::accumulate::{UnitAcc, UnitSums};
use super::definition::{Indicator, MeasureType};
use super::levels::{Level, Period};
use super::units::{county_parts, Units};
use crate::classify::traffic_light::Estimate;
use crate::classify::{format_number, format_number_in};
use crate::error::Message;
use crate::number_format::Language;
use crate::standard_pop::bands::{band_label, band_range, BANDS};
use crate::standard_pop::StandardPopulation;
use crate::stats::{
    crude_rate, dsr_aligned, expected_aligned, isr_from_totals, mean_from_moments,
    phe_count_limits, proportion, Confidence, DsrConfig, IsrConfig, IsrReference, StatsError,
    PER_100K,
};

/// How one indicator's statistic is computed, set up once per run.
pub(crate) struct Method {
    measure: MeasureType,
    confidence: Confidence,
    multiplier: f64,
    /// The indicator's 5-year bands, inclusive.
    bands: (usize, usize),
    /// A DSR's standard: ESP2013 over the indicator's bands (`None` for other measures).
    standard: Option<Result<StandardPopulation, Message>>,
}

impl Method {
    pub(crate) fn of(ind: &Indicator) -> Method {
        // The ages were checked when the spec was compiled; all bands otherwise.
        let (lo, hi) = band_range(ind.ages.min, ind.ages.max).unwrap_or((0, BANDS as u8 - 1));
        let bands = (usize::from(lo), usize::from(hi));
        Method {
            measure: ind.measure,
            confidence: ind
                .confidence
                .as_ref()
                .and_then(|c| c.value())
                .and_then(|c| Confidence::new(c).ok())
                .unwrap_or_default(),
            multiplier: ind.multiplier(),
            bands,
            standard: (ind.measure == MeasureType::Dsr).then(|| {
                StandardPopulation::esp2013_bands(bands.0, bands.1).map_err(|e| words(&e))
            }),
        }
    }
}

/// A unit's statistic: the estimate, the cases counted, and why there is no value.
pub(crate) struct Stat {
    pub est: Estimate,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// The denominator shown: for a mean the number of values, for an ISR the expected count.
    pub denominator: f64,
    pub cases: f64,
    pub note: Option<Message>,
}

/// Non-unit parts and period: a county group.
type GroupKey = (Vec<String>, Period);

/// The ISR references of a level: per county group, its units' pooled band rates.
pub(crate) type References = HashMap<GroupKey, Result<IsrReference, Message>>;

/// The internal ISR references of one indicator's sums at a level (empty for other measures).
pub(crate) fn isr_references(
    method: &Method,
    units: &Units<'_>,
    level: &Level,
    accs: &UnitSums,
) -> References {
    if method.measure != MeasureType::Isr {
        return HashMap::new();
    }
    let mut pooled: HashMap<GroupKey, (Vec<f64>, Vec<f64>)> = HashMap::new();
    for ((id, p), acc) in accs {
        let parts = units.parts(level, *id);
        let e = pooled
            .entry((county_parts(level, &parts), *p))
            .or_insert_with(|| (vec![0.0; BANDS], vec![0.0; BANDS]));
        for (b, (x, n)) in acc.band_num.iter().zip(&acc.band_den).enumerate() {
            if let (Some(sx), Some(sn)) = (e.0.get_mut(b), e.1.get_mut(b)) {
                *sx += x;
                *sn += n;
            }
        }
    }
    pooled
        .into_iter()
        .map(|(k, (x, n))| {
            let bands = x.into_iter().zip(n).enumerate().map(|(b, (x, n))| {
                let label = u8::try_from(b).map_or("?", band_label);
                (label.to_owned(), x, n)
            });
            (k, IsrReference::pooled(bands).map_err(|e| words(&e)))
        })
        .collect()
}

/// The ISR reference of a unit's county group.
pub(crate) fn reference_of<'r>(
    references: &'r References,
    level: &Level,
    parts: &[String],
    period: Period,
) -> Option<&'r Result<IsrReference, Message>> {
    references.get(&(county_parts(level, parts), period))
}

/// The value, its limits at the indicator's level, at 95 % and at 99.8 %.
type Lims = (
    f64,
    Option<(f64, f64)>,
    Option<(f64, f64)>,
    Option<(f64, f64)>,
);

/// The statistic of one unit from its sums; `reference` is its county group's, for an ISR.
pub(crate) fn statistic(
    method: &Method,
    acc: &UnitAcc,
    reference: Option<&Result<IsrReference, Message>>,
) -> Stat {
    let conf = method.confidence;
    let (c95, c998) = (Confidence::p95(), Confidence::p998());
    let m = method.multiplier;
    let (lims, den, cases): (Result<Lims, Message>, f64, f64) = match method.measure {
        MeasureType::Count => {
            let f = |c: Confidence| {
                phe_count_limits(acc.num, c)
                    .ok()
                    .map(|l| (l.lower, l.upper))
            };
            (Ok((acc.num, f(conf), f(c95), f(c998))), acc.den, acc.num)
        }
        MeasureType::Rate | MeasureType::Share => {
            // A rate's cases are its events; a share's, the persons it is a share of.
            let (r, cases) = if method.measure == MeasureType::Rate {
                let r = at_levels(
                    conf,
                    |c| crude_rate(acc.num, acc.den, m, c),
                    |r| (r.value, r.lower, r.upper),
                );
                (r, acc.num)
            } else {
                let p = at_levels(
                    conf,
                    |c| proportion(acc.num, acc.den, m, c),
                    |p| (p.value, p.lower, p.upper),
                );
                (p, acc.den)
            };
            (r.map_err(|e| denominator_note(acc.den, &e)), acc.den, cases)
        }
        MeasureType::Mean => {
            let n = acc.moments.n;
            let r = if n < 2.0 {
                Err(Message::both(
                    format!(
                        "A mean needs at least 2 values; there are {}",
                        format_number_in(n, Language::English)
                    ),
                    format!(
                        "Ett medelvärde behöver minst 2 värden; här finns {}",
                        format_number(n)
                    ),
                ))
            } else {
                at_levels(
                    conf,
                    |c| mean_from_moments(&acc.moments, c),
                    |x| (x.value * m, x.lower * m, x.upper * m),
                )
                .map_err(|e| prefixed("No mean", "Inget medelvärde", &e))
            };
            (r, n, n)
        }
        MeasureType::Dsr => {
            let (lo, hi) = method.bands;
            let counts = acc.band_num.get(lo..=hi).unwrap_or_default();
            let pops = acc.band_den.get(lo..=hi).unwrap_or_default();
            let r = match &method.standard {
                None => Err(Message::both(
                    "No DSR: no standard population",
                    "Ingen DSR: ingen standardbefolkning",
                )),
                Some(Err(e)) => Err(e.clone()),
                Some(Ok(std)) => {
                    let f = |c| {
                        dsr_aligned(
                            std,
                            counts,
                            pops,
                            &DsrConfig {
                                confidence: c,
                                multiplier: m,
                                disclosure: None,
                            },
                        )
                    };
                    match f(conf) {
                        Err(e) => Err(prefixed("No DSR", "Ingen DSR", &e)),
                        Ok(d) => match (d.value, d.note) {
                            (Some(v), _) => Ok((
                                v,
                                d.lower.zip(d.upper),
                                f(c95).ok().and_then(|d| d.lower.zip(d.upper)),
                                f(c998).ok().and_then(|d| d.lower.zip(d.upper)),
                            )),
                            (None, _) => Err(Message::both(
                                "No DSR: fewer than 10 cases in all",
                                "Ingen DSR: färre än 10 fall sammanlagt",
                            )),
                        },
                    }
                }
            };
            (r, acc.den, acc.num)
        }
        MeasureType::Isr => {
            let reference = match reference {
                Some(Ok(r)) => Ok(r),
                Some(Err(e)) => Err(Message::both(
                    format!("No ISR: {}", e.en),
                    format!("Ingen ISR: {}", e.text(Language::Swedish)),
                )),
                None => Err(Message::both(
                    "No ISR: no reference",
                    "Ingen ISR: ingen referens",
                )),
            };
            let expected = match &reference {
                Ok(r) => expected_aligned(r, &acc.band_den),
                Err(_) => 0.0,
            };
            let r = reference.and_then(|reference| {
                if expected.is_nan() || expected <= 0.0 {
                    return Err(Message::both(
                        "The expected count is 0 (no population at those ages)",
                        "Förväntat antal är 0 (ingen befolkning i åldrarna)",
                    ));
                }
                let config = |confidence| IsrConfig {
                    confidence,
                    ratio_multiplier: m,
                    rate_multiplier: PER_100K,
                };
                at_levels(
                    conf,
                    |c| isr_from_totals(reference, acc.num, expected, &config(c)),
                    |i| (i.ratio, i.lower, i.upper),
                )
                .map_err(|e| prefixed("No ISR", "Ingen ISR", &e))
            });
            (r, expected, acc.num)
        }
    };
    match lims {
        Err(note) => Stat {
            est: Estimate::default(),
            lower: None,
            upper: None,
            denominator: den,
            cases,
            note: Some(note),
        },
        Ok((value, l, l95, l998)) => Stat {
            est: Estimate {
                value: Some(value),
                lower_95: l95.map(|x| x.0),
                upper_95: l95.map(|x| x.1),
                lower_998: l998.map(|x| x.0),
                upper_998: l998.map(|x| x.1),
            },
            lower: l.map(|x| x.0),
            upper: l.map(|x| x.1),
            denominator: den,
            cases,
            note: None,
        },
    }
}

/// One method run at the indicator's level `conf`, and at 95 % and 99.8 % for the lights:
/// `read` gives a run's value and limits. An error at `conf` is the statistic's; at the other
/// levels it only leaves those limits out.
fn at_levels<T, E>(
    conf: Confidence,
    run: impl Fn(Confidence) -> Result<T, E>,
    read: impl Fn(&T) -> (f64, f64, f64),
) -> Result<Lims, E> {
    let limits = |c| run(c).ok().map(|t| read(&t)).map(|(_, lo, hi)| (lo, hi));
    let (value, lower, upper) = read(&run(conf)?);
    Ok((
        value,
        Some((lower, upper)),
        limits(Confidence::p95()),
        limits(Confidence::p998()),
    ))
}

fn denominator_note(den: f64, error: &StatsError) -> Message {
    if den <= 0.0 {
        Message::both(
            "The denominator is 0 (no population or no cases to divide by)",
            "Nämnaren är 0 (ingen befolkning eller inga fall att dela med)",
        )
    } else {
        prefixed("No value", "Inget värde", error)
    }
}

/// A statistics error in both languages.
fn words(e: &StatsError) -> Message {
    Message::both(e.to_string(), e.swedish())
}

/// A statistics error after what it stopped: "No DSR: …" / "Ingen DSR: …".
fn prefixed(en: &str, sv: &str, e: &StatsError) -> Message {
    Message::both(format!("{en}: {e}"), format!("{sv}: {}", e.swedish()))
}
