//! Do the units add up? Every level's numerators and denominators must sum to the county's, and
//! every area with cases must have a denominator.
//!
//! Method source: the requirement of seed 001 that local follow-up aggregates to sub-regional
//! and county level; the check compares sums of the same pooled cells (methods.md §5.3 asks to
//! show what could not be classified).

use std::collections::{HashMap, HashSet};

use super::levels::Period;
use super::plan::{Side, SourceData};
use super::table::{LevelTable, UnitRow};
use super::units::{county_parts, UNMAPPED};
use crate::classify::format_number;

/// Something that does not add up, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct HierarchyIssue {
    pub indicator: String,
    /// The level (`kommun_year`), or empty for the data.
    pub level: String,
    pub message: String,
    /// What the message says, with its numbers.
    pub kind: IssueKind,
}

/// The kinds of issue, with the counts their messages quote.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// A period's units sum to other (numerator, denominator) than the county's.
    DoesNotAddUp {
        period: String,
        units: (f64, f64),
        county: (f64, f64),
    },
    /// This much of the numerator is in no unit of the level.
    Unmapped { count: f64 },
    /// An area (and year) with cases but no denominator.
    NoDenominator {
        area: String,
        count: f64,
        numerator: String,
        denominator: String,
    },
}

impl IssueKind {
    fn message(&self, count: impl Fn(f64) -> String) -> String {
        match self {
            IssueKind::DoesNotAddUp {
                period,
                units,
                county,
            } => format!(
                "{period}: the units sum to {} / {} but the county has {} / {}",
                count(units.0),
                count(units.1),
                count(county.0),
                count(county.1)
            ),
            IssueKind::Unmapped { count: n } => format!(
                "{} of the numerator belong to no unit of this level (not in the mapping file); they are shown as {UNMAPPED}",
                count(*n)
            ),
            IssueKind::NoDenominator {
                area,
                count: n,
                numerator,
                denominator,
            } => format!(
                "{area}: {} in the numerator ('{numerator}') but no denominator in '{denominator}'; the area has no value and higher levels count these cases without their population",
                count(*n)
            ),
        }
    }
}

impl HierarchyIssue {
    fn new(indicator: &str, level: String, kind: IssueKind) -> Self {
        HierarchyIssue {
            indicator: indicator.to_owned(),
            level,
            message: kind.message(format_number),
            kind,
        }
    }

    /// A copy for export whose message writes every count from 1 to `threshold` − 1 as
    /// `<threshold` (methods.md §6.2): the check speaks of areas, and an area's few cases are as
    /// disclosive here as in a table.
    pub fn suppressed(&self, threshold: f64) -> Self {
        let floor = crate::stats::Disclosure::below(threshold);
        HierarchyIssue {
            message: self.kind.message(|n| {
                if floor.suppresses(n) {
                    format!("<{}", format_number(threshold))
                } else {
                    format_number(n)
                }
            }),
            ..self.clone()
        }
    }
}

/// Compares the sum over a level's units with the county rows of the same period.
pub fn adds_up(table: &LevelTable, county: &[UnitRow]) -> Vec<HierarchyIssue> {
    let mut sums: HashMap<(Vec<String>, Period), (f64, f64)> = HashMap::new();
    let mut unmapped = 0.0;
    for r in &table.rows {
        let e = sums
            .entry((county_parts(&table.level, &r.keys), r.period_code))
            .or_default();
        e.0 += r.numerator;
        e.1 += r.denominator;
        if r.keys.iter().any(|k| k == UNMAPPED) {
            unmapped += r.numerator;
        }
    }
    let mut out = Vec::new();
    let level = table.level.file_name();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    for c in county {
        let (num, den) = sums
            .get(&(c.keys.clone(), c.period_code))
            .copied()
            .unwrap_or_default();
        if !close(num, c.numerator) || !close(den, c.denominator) {
            out.push(HierarchyIssue::new(
                &table.indicator,
                level.clone(),
                IssueKind::DoesNotAddUp {
                    period: c.period.clone().unwrap_or_else(|| "alla perioder".into()),
                    units: (num, den),
                    county: (c.numerator, c.denominator),
                },
            ));
        }
    }
    if unmapped > 0.0 {
        out.push(HierarchyIssue::new(
            &table.indicator,
            level,
            IssueKind::Unmapped { count: unmapped },
        ));
    }
    out
}

/// Areas (and years) with cases in the numerator but nothing in the denominator, e.g. a DeSO
/// missing from the population table.
pub fn missing_denominator(
    id: &str,
    indicator: usize,
    num: &SourceData,
    den: &SourceData,
) -> Vec<HierarchyIssue> {
    let (Some(ns), Some(ds)) = (
        num.sides
            .iter()
            .find(|s| s.indicator == indicator && s.side == Side::Numerator),
        den.sides
            .iter()
            .find(|s| s.indicator == indicator && s.side == Side::Denominator),
    ) else {
        return Vec::new();
    };
    if num.geos.is_empty() || den.geos.is_empty() {
        return Vec::new();
    }
    // Compare at the coarser of the two geographies (DeSO codes start with the kommun code).
    let len = den
        .geos
        .iter()
        .chain(&num.geos)
        .map(String::len)
        .min()
        .unwrap_or(0);
    let cut = |g: &'_ str| -> String { g.get(..len).unwrap_or(g).to_owned() };
    let present: HashSet<(String, u16)> = den
        .cells
        .iter()
        .enumerate()
        .filter(|(i, _)| ds.rows_at(*i) > 0.0)
        .filter_map(|(_, c)| Some((cut(den.geos.get(c.geo as usize)?), c.year)))
        .collect();
    let mut missing: HashMap<(String, u16), f64> = HashMap::new();
    for (i, c) in num.cells.iter().enumerate() {
        let x = ns.sum.get(i).copied().unwrap_or(0.0);
        if ns.rows_at(i) <= 0.0 {
            continue;
        }
        let Some(g) = num.geos.get(c.geo as usize) else {
            continue;
        };
        let key = (cut(g), c.year);
        if !present.contains(&key) {
            *missing.entry(key).or_default() += x;
        }
    }
    let mut keys: Vec<_> = missing.into_iter().collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    keys.into_iter()
        .map(|((g, y), x)| {
            let area = if y > 0 { format!("{g} {y}") } else { g };
            HierarchyIssue::new(
                id,
                String::new(),
                IssueKind::NoDenominator {
                    area,
                    count: x,
                    numerator: num.name.clone(),
                    denominator: den.name.clone(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::disclosure::DEFAULT_FLOOR;

    #[test]
    fn issue_10_exported_messages_hide_small_counts() {
        let issue = HierarchyIssue::new(
            "falls",
            String::new(),
            IssueKind::NoDenominator {
                area: "2480C1010 2023".into(),
                count: 3.0,
                numerator: "events".into(),
                denominator: "population".into(),
            },
        );
        let tail = "in the numerator ('events') but no denominator in 'population'; the area has no value and higher levels count these cases without their population";
        assert_eq!(issue.message, format!("2480C1010 2023: 3 {tail}"));
        assert_eq!(
            issue.suppressed(DEFAULT_FLOOR).message,
            format!("2480C1010 2023: <5 {tail}")
        );
        let sums = HierarchyIssue::new(
            "falls",
            "kommun_year".into(),
            IssueKind::DoesNotAddUp {
                period: "2023".into(),
                units: (4.0, 120.0),
                county: (0.0, 130.0),
            },
        );
        assert_eq!(
            sums.suppressed(DEFAULT_FLOOR).message,
            "2023: the units sum to <5 / 120 but the county has 0 / 130"
        );
        assert_eq!(
            HierarchyIssue::new("falls", "kommun_year".into(), IssueKind::Unmapped { count: 2.0 })
                .suppressed(10.0)
                .message,
            "<10 of the numerator belong to no unit of this level (not in the mapping file); they are shown as (saknas)"
        );
    }
}
