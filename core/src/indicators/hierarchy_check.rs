//! Do the units add up? Every level's numerators and denominators must sum to the county's, and
//! every area with cases must have a denominator.
//!
//! Method source: the requirement of seed 001 that local follow-up aggregates to sub-regional
//! and county level; the check compares sums of the same pooled cells (methods.md §5.3 asks to
//! show what could not be classified).

use std::collections::{HashMap, HashSet};

use super::finish::{county_parts, LevelTable, UnitRow, UNMAPPED};
use super::levels::Period;
use super::plan::{Side, SourceData};
use crate::classify::format_number;

/// Something that does not add up, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct HierarchyIssue {
    pub indicator: String,
    /// The level (`kommun_year`), or empty for the data.
    pub level: String,
    pub message: String,
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
            out.push(HierarchyIssue {
                indicator: table.indicator.clone(),
                level: level.clone(),
                message: format!(
                    "{}: the units sum to {} / {} but the county has {} / {}",
                    c.period.clone().unwrap_or_else(|| "alla perioder".into()),
                    format_number(num),
                    format_number(den),
                    format_number(c.numerator),
                    format_number(c.denominator)
                ),
            });
        }
    }
    if unmapped > 0.0 {
        out.push(HierarchyIssue {
            indicator: table.indicator.clone(),
            level,
            message: format!(
                "{} of the numerator belong to no unit of this level (not in the mapping file); they are shown as {UNMAPPED}",
                format_number(unmapped)
            ),
        });
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
        .map(|((g, y), x)| HierarchyIssue {
            indicator: id.to_owned(),
            level: String::new(),
            message: format!(
                "{g}{}: {} in the numerator ('{}') but no denominator in '{}'; the area has no value and higher levels count these cases without their population",
                if y > 0 { format!(" {y}") } else { String::new() },
                format_number(x),
                num.name,
                den.name
            ),
        })
        .collect()
}
