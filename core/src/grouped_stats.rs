//! The finish step of a grouped statistic: one proportion, rate, DSR or ISR per group of an
//! [`Aggregated`] file, and the result as a CSV table.
//!
//! Method source: the statistics themselves are in [`crate::stats`] (PHEindicatormethods v2.1.0,
//! methods.md §1–§3); this module only applies them per group. A group whose numbers cannot give
//! a statistic (a zero population, numerator above denominator) gets a row whose note says why,
//! and the other groups are still computed.
//!
//! Disclosure control (methods.md §6.2), applied by [`compute`] when the config has a threshold:
//! - *Primary*: a row whose numerator or denominator is from 1 to threshold − 1 is masked: its
//!   numerator, denominator, value and limits are left empty and its note says why.
//! - *Complementary*: the rows of an output add up to totals that are printed alongside, by
//!   another run with fewer `--by` columns (rows with the same values are pooled, so `--by lan`
//!   gives the sum of `--by lan,kommun`). So for each `--by` column, the rows that agree on all
//!   the other columns form a group whose total is derivable; where exactly one row of such a
//!   group is masked, the unmasked row with the smallest non-zero numerator (then denominator)
//!   is masked too, so that the first cannot be computed as the total minus the rest. This is
//!   repeated until no group has a single masked row (each pass only adds masks). A group of one
//!   row is its own total, which is masked wherever it is printed.
//!
//! Without a threshold (the user's explicit `--no-disclosure-control`), nothing is masked and
//! the CSV gets a column [`crate::export::PROTECTION_COLUMN`] saying so on every row.

use std::collections::HashMap;

use crate::aggregate::Aggregated;
use crate::classify::format_number;
use crate::export::{masked_note, CsvWriter, Field, NOT_PROTECTED, PROTECTION_COLUMN};
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

/// Settings shared by all statistics. The default is the 95 % level and the suggested
/// disclosure floor ([`crate::stats::disclosure::DEFAULT_FLOOR`]): protection is turned off only
/// by saying `disclosure: None`.
#[derive(Debug, Clone, Copy)]
pub struct GroupedConfig {
    pub confidence: Confidence,
    /// Masks rows with a small numerator or denominator, and their complements; `None` masks
    /// nothing and marks the output as not protected.
    pub disclosure: Option<Disclosure>,
}

impl Default for GroupedConfig {
    fn default() -> Self {
        GroupedConfig {
            confidence: Confidence::default(),
            disclosure: Some(Disclosure::below(crate::stats::disclosure::DEFAULT_FLOOR)),
        }
    }
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
    /// The row must not be published (disclosure control); the CSV blanks its numbers.
    pub suppressed: bool,
}

/// Results of all groups.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedTable {
    pub by: Vec<String>,
    /// The standard population's name, for a DSR.
    pub standard: Option<String>,
    pub rows: Vec<GroupResult>,
    /// The disclosure control applied; `None`: the output is not protected.
    pub disclosure: Option<Disclosure>,
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
                rows.push(row(data, g, x, n, r, None));
            }
        }
        Statistic::Rate { multiplier } => {
            for g in 0..data.groups.len() {
                let (x, n) = data.totals(g);
                let r = crude_rate(x, n, *multiplier, confidence)
                    .map(|p| (Some(p.value), Some(p.lower), Some(p.upper)));
                rows.push(row(data, g, x, n, r, None));
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
            // Disclosure control is applied to every statistic alike, below.
            let dsr_config = DsrConfig {
                confidence,
                multiplier: *multiplier,
                disclosure: None,
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
                let r = row(data, g, x, n, result, note);
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
                    )),
                    Err(e) => rows.push(row(data, g, observed, f64::NAN, Err(e), None)),
                }
            }
        }
    }
    if let Some(d) = config.disclosure {
        protect(&mut rows, d);
    }
    Ok(GroupedTable {
        by: data.by.clone(),
        standard: standard_name,
        rows,
        disclosure: config.disclosure,
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
) -> GroupResult {
    let group = data.groups.get(g).cloned().unwrap_or_default();
    let ((value, lower, upper), note) = match result {
        Ok(limits) => (limits, note),
        Err(e) => ((None, None, None), Some(e.to_string())),
    };
    GroupResult {
        group,
        numerator,
        denominator,
        value,
        lower,
        upper,
        note,
        suppressed: false,
    }
}

/// Primary and complementary suppression (see the module's documentation).
fn protect(rows: &mut [GroupResult], d: Disclosure) {
    let primary = masked_note(d.min_count);
    for r in rows.iter_mut() {
        if d.suppresses(r.numerator) || d.suppresses(r.denominator) {
            r.suppressed = true;
            r.note = Some(primary.clone());
        }
    }
    let columns = rows.first().map_or(0, |r| r.group.len());
    let complement = format!(
        "suppressed: complementary to a masked row of its group that the total would give away (threshold {})",
        format_number(d.min_count)
    );
    // Each pass masks at least one more row or ends, so there are at most rows + 1 passes.
    for _ in 0..=rows.len() {
        let mut changed = false;
        for left_out in 0..columns {
            // The rows that agree on every column but `left_out`, in order of appearance.
            let mut groups: HashMap<Vec<&str>, Vec<usize>> = HashMap::new();
            for (i, r) in rows.iter().enumerate() {
                let key = r
                    .group
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != left_out)
                    .map(|(_, v)| v.as_str())
                    .collect();
                groups.entry(key).or_default().push(i);
            }
            let mut to_mask = Vec::new();
            for members in groups.values() {
                let masked = members
                    .iter()
                    .filter(|&&i| rows.get(i).is_some_and(|r| r.suppressed))
                    .count();
                if masked != 1 || members.len() < 2 {
                    continue;
                }
                let open = members
                    .iter()
                    .filter_map(|&i| rows.get(i).map(|r| (i, r)))
                    .filter(|(_, r)| !r.suppressed);
                let smallest = |nonzero: fn(&GroupResult) -> bool| {
                    open.clone()
                        .filter(|(_, r)| nonzero(r))
                        .min_by(|(_, a), (_, b)| {
                            a.numerator
                                .total_cmp(&b.numerator)
                                .then(a.denominator.total_cmp(&b.denominator))
                        })
                        .map(|(i, _)| i)
                };
                if let Some(i) =
                    smallest(|r| r.numerator > 0.0).or_else(|| smallest(|r| r.denominator > 0.0))
                {
                    to_mask.push(i);
                }
            }
            for i in to_mask {
                if let Some(r) = rows.get_mut(i) {
                    if !r.suppressed {
                        r.suppressed = true;
                        r.note = Some(complement.clone());
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
}

impl GroupedTable {
    /// The table as CSV: the group columns, then numerator, denominator, value, lower, upper,
    /// note (and standard, for a DSR; and `protection`, when not protected). Numbers in full
    /// precision (shortest round-trip form); a suppressed row's numbers are left empty.
    pub fn to_csv(&self) -> String {
        let mut out = CsvWriter::new();
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
        let unprotected = self
            .disclosure
            .is_none()
            .then_some(Field::Text(NOT_PROTECTED));
        if unprotected.is_some() {
            header.push(PROTECTION_COLUMN);
        }
        out.header(&header);
        for r in &self.rows {
            let shown = |v: Option<f64>| if r.suppressed { None } else { v };
            out.record(
                r.group
                    .iter()
                    .map(|g| Field::Text(g))
                    .chain([
                        Field::Maybe(shown(Some(r.numerator))),
                        Field::Maybe(shown(Some(r.denominator))),
                        Field::Maybe(shown(r.value)),
                        Field::Maybe(shown(r.lower)),
                        Field::Maybe(shown(r.upper)),
                        Field::Text(r.note.as_deref().unwrap_or_default()),
                    ])
                    .chain(self.standard.as_deref().map(Field::Text))
                    .chain(unprotected),
            );
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{aggregate, AggregateSpec};

    fn proportions(csv: &str, by: &[&str], disclosure: Option<Disclosure>) -> GroupedTable {
        let spec = AggregateSpec {
            by: by.iter().map(|b| b.to_string()).collect(),
            age_band: None,
            numerator: "ja".into(),
            denominator: "svar".into(),
        };
        let data = aggregate("p.csv", csv.as_bytes(), spec).unwrap();
        let config = GroupedConfig {
            disclosure,
            ..GroupedConfig::default()
        };
        compute(&data, &Statistic::Proportion { multiplier: 1.0 }, &config).unwrap()
    }

    /// Each row as (group, numerator or empty, denominator or empty, note).
    fn shown(t: &GroupedTable) -> Vec<(String, String, String, String)> {
        let csv = t.to_csv();
        let columns = t.by.len();
        csv.lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.splitn(columns + 6, ',').collect();
                let at = |i: usize| f.get(i).copied().unwrap_or_default().to_owned();
                (
                    f[..columns].join(" "),
                    at(columns),
                    at(columns + 1),
                    at(columns + 5),
                )
            })
            .collect()
    }

    #[test]
    fn unprotected_output_says_so_on_every_row() {
        let t = proportions("vc,ja,svar\nA,65,100\nB,\"5\",4\nA,0,0\n", &["vc"], None);
        assert_eq!(
            t.to_csv(),
            "vc,numerator,denominator,value,lower,upper,note,protection\n\
             A,65,100,0.65,0.5525444329688797,0.7363575175690247,,NOT PROTECTED: small counts are shown (--no-disclosure-control); do not publish\n\
             B,5,4,,,,the total: the numerator 5 is larger than the denominator 4; a proportion needs numerator ≤ denominator,NOT PROTECTED: small counts are shown (--no-disclosure-control); do not publish\n"
        );
    }

    #[test]
    fn small_numerators_and_denominators_are_masked_even_in_error_rows() {
        // B's note would have quoted its denominator 4; C has a numerator of 2; D's 0 is shown.
        let primary = "suppressed: a count below the disclosure threshold of 5";
        let t = proportions(
            "vc,ja,svar\nA,65,100\nB,5,4\nC,2,50\nD,0,80\nE,40,90\n",
            &["vc"],
            Some(Disclosure::below(5.0)),
        );
        let rows = shown(&t);
        assert_eq!(rows[1], ("B".into(), "".into(), "".into(), primary.into()));
        assert_eq!(rows[2], ("C".into(), "".into(), "".into(), primary.into()));
        assert_eq!(rows[3].1, "0");
        // Two rows are masked, so no complement is needed.
        assert_eq!((rows[0].1.as_str(), rows[4].1.as_str()), ("65", "40"));
    }

    #[test]
    fn one_masked_row_in_a_group_gets_a_complement() {
        // 2480 K (3) is masked. Worked by hand: over kon, 2480's only other row M is masked; over
        // kommun, K has 2480 masked, so the smallest open K, 2482 (7), is masked, and M likewise
        // (2482, 9). Then every group has two masked rows or none: 2481 stays visible.
        let csv = "kommun,kon,ja,svar\n\
                   2480,K,3,100\n2480,M,12,110\n\
                   2481,K,20,200\n2481,M,30,210\n\
                   2482,K,7,50\n2482,M,9,60\n";
        let t = proportions(csv, &["kommun", "kon"], Some(Disclosure::below(5.0)));
        let primary = "suppressed: a count below the disclosure threshold of 5";
        let complement = "suppressed: complementary to a masked row of its group that the total would give away (threshold 5)";
        let masked =
            |g: &str, note: &str| (g.to_owned(), String::new(), String::new(), note.to_owned());
        assert_eq!(
            shown(&t),
            vec![
                masked("2480 K", primary),
                masked("2480 M", complement),
                ("2481 K".into(), "20".into(), "200".into(), "".into()),
                ("2481 M".into(), "30".into(), "210".into(), "".into()),
                masked("2482 K", complement),
                masked("2482 M", complement),
            ]
        );
        // One --by column: the complement is the smallest non-zero numerator, not a zero.
        let t = proportions(
            "vc,ja,svar\nA,3,100\nB,0,100\nC,9,100\nD,8,100\n",
            &["vc"],
            Some(Disclosure::below(5.0)),
        );
        let rows = shown(&t);
        assert_eq!(rows[1].1, "0");
        assert_eq!(rows[2].1, "9");
        assert_eq!(rows[3], masked("D", complement));
    }
}
