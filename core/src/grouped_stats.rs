//! The finish step of a grouped statistic: one proportion, rate, DSR or ISR per group of an
//! [`Aggregated`] file, and the result as a CSV table.
//!
//! Method source: the statistics themselves are in [`crate::stats`] (PHEindicatormethods v2.1.0,
//! methods.md §1–§3); this module only applies them per group. A group whose numbers cannot give
//! a statistic (a zero population, numerator above denominator) gets a row whose note says why,
//! and the other groups are still computed.

use std::fmt::Write as _;

use crate::aggregate::Aggregated;
use crate::standard_pop::{band_lower_age, StandardPopulation};
use crate::stats::dsr::{dsr_aligned, DsrConfig};
use crate::stats::isr::{isr, IsrConfig, IsrReference};
use crate::stats::{crude_rate, proportion, Confidence, Disclosure, StatsError};

/// Which statistic to compute per group.
#[derive(Debug, Clone)]
pub enum Statistic {
    /// numerator/denominator × multiplier with a Wilson interval.
    Proportion { multiplier: f64 },
    /// count/population × multiplier, exact/Byar limits.
    Rate { multiplier: f64 },
    /// Directly standardised rate × multiplier, Dobson limits.
    /// With `ages_from`, only the standard's bands from that age up are used, and the data's
    /// younger bands are left out (e.g. a 65+ DSR from a file with all ages).
    Dsr {
        standard: StandardPopulation,
        multiplier: f64,
        ages_from: Option<u32>,
    },
    /// Indirectly standardised ratio (observed/expected × multiplier).
    Isr {
        reference: IsrReference,
        multiplier: f64,
    },
}

/// Settings shared by all statistics.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupedConfig {
    pub confidence: Confidence,
    /// Marks values whose numerator is below a threshold; `None` marks nothing.
    pub disclosure: Option<Disclosure>,
}

/// One group's result.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    pub group: Vec<String>,
    /// Numerator, count, total count or observed.
    pub numerator: f64,
    /// Denominator, population, total population or expected.
    pub denominator: f64,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// Why the value is missing or to be suppressed.
    pub note: Option<String>,
    /// The value must not be published (disclosure threshold); the CSV blanks it.
    pub suppressed: bool,
}

/// Results of all groups.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedTable {
    pub by: Vec<String>,
    /// The standard population's name, for a DSR.
    pub standard: Option<String>,
    pub rows: Vec<GroupResult>,
}

/// Computes the statistic for every group. Errors only for what concerns the whole file (age
/// bands that do not match the standard or reference); group-level problems become notes.
pub fn compute(
    data: &Aggregated,
    statistic: &Statistic,
    config: &GroupedConfig,
) -> Result<GroupedTable, StatsError> {
    let confidence = config.confidence;
    let mut rows = Vec::with_capacity(data.groups.len());
    let mut standard_name = None;
    match statistic {
        Statistic::Proportion { multiplier } => {
            for g in 0..data.groups.len() {
                let (x, n) = data.totals(g);
                let r = proportion(x, n, *multiplier, confidence)
                    .map(|p| (Some(p.value), Some(p.lower), Some(p.upper)));
                rows.push(row(data, g, x, n, r, None, config));
            }
        }
        Statistic::Rate { multiplier } => {
            for g in 0..data.groups.len() {
                let (x, n) = data.totals(g);
                let r = crude_rate(x, n, *multiplier, confidence)
                    .map(|p| (Some(p.value), Some(p.lower), Some(p.upper)));
                rows.push(row(data, g, x, n, r, None, config));
            }
        }
        Statistic::Dsr {
            standard,
            multiplier,
            ages_from,
        } => {
            let restricted;
            let standard = match ages_from {
                Some(age) => {
                    restricted = standard.from_age(*age)?;
                    &restricted
                }
                None => standard,
            };
            standard_name = Some(standard.name().to_owned());
            // Bands younger than `ages_from` are not part of this DSR.
            let used: Vec<usize> = (0..data.bands.len())
                .filter(|&b| match (ages_from, data.bands.get(b)) {
                    (Some(age), Some(band)) => band_lower_age(band).is_none_or(|a| a >= *age),
                    _ => true,
                })
                .collect();
            let used_labels: Vec<&str> = used
                .iter()
                .filter_map(|&b| data.bands.get(b).map(String::as_str))
                .collect();
            let order: Vec<usize> = standard
                .align(&used_labels)?
                .into_iter()
                .filter_map(|i| used.get(i).copied())
                .collect();
            let dsr_config = DsrConfig {
                confidence,
                multiplier: *multiplier,
                disclosure: config.disclosure,
            };
            let nb = data.bands.len();
            let (mut counts, mut pops) = (Vec::new(), Vec::new());
            for g in 0..data.groups.len() {
                counts.clear();
                pops.clear();
                for &b in &order {
                    let i = g * nb + b;
                    let present = data.present.get(i).copied().unwrap_or(false);
                    counts.push(data.numerator.get(i).copied().unwrap_or(f64::NAN));
                    pops.push(if present {
                        data.denominator.get(i).copied().unwrap_or(f64::NAN)
                    } else {
                        f64::NAN
                    });
                }
                let x: f64 = counts.iter().sum();
                let n: f64 = pops.iter().filter(|p| p.is_finite()).sum();
                let (result, note) = match dsr_aligned(standard, &counts, &pops, &dsr_config) {
                    Ok(d) => (Ok((d.value, d.lower, d.upper)), d.note.map(|n| n.text())),
                    Err(e) => (Err(e), None),
                };
                let no_disclosure = GroupedConfig {
                    disclosure: None,
                    ..*config
                };
                let mut r = row(data, g, x, n, result, note, &no_disclosure);
                // The DSR applies the disclosure threshold itself (to the total count).
                r.suppressed = r
                    .note
                    .as_deref()
                    .is_some_and(|t| t.starts_with("suppressed"))
                    || config.disclosure.is_some_and(|d| d.suppresses(x));
                rows.push(r);
            }
        }
        Statistic::Isr {
            reference,
            multiplier,
        } => {
            reference.align(&data.bands)?;
            let isr_config = IsrConfig {
                confidence,
                ratio_multiplier: *multiplier,
                ..IsrConfig::default()
            };
            for g in 0..data.groups.len() {
                let bands: Vec<(&str, f64, f64)> = data
                    .cells(g)
                    .filter(|c| c.3)
                    .map(|(b, x, n, _)| (b, x, n))
                    .collect();
                let observed = data.totals(g).0;
                match isr(reference, &bands, &isr_config) {
                    Ok(r) => rows.push(row(
                        data,
                        g,
                        r.observed,
                        r.expected,
                        Ok((Some(r.ratio), Some(r.lower), Some(r.upper))),
                        None,
                        config,
                    )),
                    Err(e) => rows.push(row(data, g, observed, f64::NAN, Err(e), None, config)),
                }
            }
        }
    }
    Ok(GroupedTable {
        by: data.by.clone(),
        standard: standard_name,
        rows,
    })
}

type Limits = (Option<f64>, Option<f64>, Option<f64>);

fn row(
    data: &Aggregated,
    g: usize,
    numerator: f64,
    denominator: f64,
    result: Result<Limits, StatsError>,
    note: Option<String>,
    config: &GroupedConfig,
) -> GroupResult {
    let group = data.groups.get(g).cloned().unwrap_or_default();
    match result {
        Ok((value, lower, upper)) => {
            let suppressed = config.disclosure.is_some_and(|d| d.suppresses(numerator));
            let note = note.or_else(|| {
                suppressed.then(|| {
                    format!(
                        "suppressed: count below the disclosure threshold of {}",
                        config.disclosure.map(|d| d.min_count).unwrap_or_default()
                    )
                })
            });
            GroupResult {
                group,
                numerator,
                denominator,
                value,
                lower,
                upper,
                note,
                suppressed,
            }
        }
        Err(e) => GroupResult {
            group,
            numerator,
            denominator,
            value: None,
            lower: None,
            upper: None,
            note: Some(e.to_string()),
            suppressed: false,
        },
    }
}

impl GroupedTable {
    /// The table as CSV: the group columns, then numerator, denominator, value, lower, upper,
    /// note (and standard, for a DSR). Numbers in full precision (shortest round-trip form);
    /// suppressed values and their numerator are left empty.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut header: Vec<&str> = self.by.iter().map(String::as_str).collect();
        header.extend([
            "numerator",
            "denominator",
            "value",
            "lower",
            "upper",
            "note",
        ]);
        if self.standard.is_some() {
            header.push("standard");
        }
        push_line(&mut out, header.iter().map(|h| h.to_string()));
        for r in &self.rows {
            let shown = |v: Option<f64>| if r.suppressed { None } else { v };
            let mut fields: Vec<String> = r.group.clone();
            fields.push(number(shown(Some(r.numerator))));
            fields.push(number(Some(r.denominator)));
            fields.push(number(shown(r.value)));
            fields.push(number(shown(r.lower)));
            fields.push(number(shown(r.upper)));
            fields.push(r.note.clone().unwrap_or_default());
            if let Some(s) = &self.standard {
                fields.push(s.clone());
            }
            push_line(&mut out, fields.into_iter());
        }
        out
    }
}

/// A number in Rust's shortest round-trip form; empty when absent or not finite.
fn number(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => String::new(),
    }
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            let _ = write!(out, "\"{}\"", f.replace('"', "\"\""));
        } else {
            out.push_str(&f);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{aggregate, AggregateSpec};

    #[test]
    fn proportions_per_group_with_notes_for_bad_groups() {
        let csv = "vc,ja,svar\nA,65,100\nB,\"5\",4\nA,0,0\n";
        let spec = AggregateSpec {
            by: vec!["vc".into()],
            age_band: None,
            numerator: "ja".into(),
            denominator: "svar".into(),
        };
        let data = aggregate("p.csv", csv.as_bytes(), spec).unwrap();
        let t = compute(
            &data,
            &Statistic::Proportion { multiplier: 1.0 },
            &GroupedConfig::default(),
        )
        .unwrap();
        assert_eq!(
            t.to_csv(),
            "vc,numerator,denominator,value,lower,upper,note\n\
             A,65,100,0.65,0.5525444329688797,0.7363575175690247,\n\
             B,5,4,,,,the total: the numerator 5 is larger than the denominator 4; a proportion needs numerator ≤ denominator\n"
        );
    }
}
