//! Primary and complementary (secondary) suppression over everything one run publishes.
//!
//! Method (methods.md §6.2; Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
//! ch. 4; the `SIMPLEHEURISTIC` of the R package sdcTable): a count from 1 to the threshold − 1
//! is suppressed (primary). Then, in every additive relation the results contain, a suppressed
//! cell must never be the only unknown, or it could be recovered by adding or subtracting the
//! shown numbers. The relations are:
//! - a finer level and a coarser one of the same indicator (DeSO areas → their kommun, kommuner
//!   → the county, sex or age groups → their total, quarters → their year): the parts of one
//!   total, found from the codes (a DeSO code starts with its kommun code, a kommun code with
//!   its län code) or, for a county with one row, from any unit;
//! - two indicators whose numerators differ only by conditions or ages (all falls, and falls
//!   where `person_id != X`): the larger equals the smaller plus an unseen remainder.
//!
//! A relation whose parts do not sum to its total exactly has a remainder (units not shown, a
//! condition's complement); that remainder can be computed by anyone, so it counts as a cell of
//! its own that cannot be hidden, only protected by hiding one of the others. When a relation
//! has exactly one suppressed member, the visible part with the smallest count that is not 0
//! is suppressed too (the total only when no part is left), and this repeats until no relation
//! changes, since relations share cells. Numerators and denominators are protected separately
//! (denominators first; a hidden denominator hides its numerator).
//!
//! Limits, said plainly: this protects against recovery from any single relation (the attack
//! of sdcTable's `attack()` on one equation). A determined intruder solving many relations at
//! once as a linear system can sometimes narrow a hidden cell to an interval; the optimal
//! methods (HiTaS, OPT) that rule that out are not implemented. SCB's cell key method (noise
//! instead of blanking) is the documented alternative (docs/disclosure-control.md).

use std::collections::HashMap;

use crate::indicators::definition::{Indicator, IndicatorSpec};
use crate::indicators::{Dim, LevelTable, Period};

/// One published count: a row of a level table.
type CellId = usize;

/// `total = Σ parts + remainder`, where the remainder is known to anyone who sees the others.
#[derive(Debug, Clone)]
struct Relation {
    total: CellId,
    parts: Vec<CellId>,
}

/// How many cells were suppressed, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuppressionCounts {
    /// Rows with a count from 1 to the threshold − 1.
    pub primary: usize,
    /// Rows hidden so that no primary one can be derived.
    pub secondary: usize,
}

/// Pairs `(outer, inner)` of indicator indices where every numerator row of `inner` is also a
/// numerator row of `outer`: same source and summed column, `inner`'s conditions include all
/// of `outer`'s, and `inner`'s ages lie within `outer`'s.
pub fn nested_indicators(spec: &IndicatorSpec) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, a) in spec.indicators.iter().enumerate() {
        for (j, b) in spec.indicators.iter().enumerate() {
            if i != j && contains(a, b) && !(contains(b, a) && j < i) {
                out.push((i, j));
            }
        }
    }
    out
}

/// Whether `inner`'s numerator rows are a subset of `outer`'s.
fn contains(outer: &Indicator, inner: &Indicator) -> bool {
    let (o, n) = (&outer.numerator, &inner.numerator);
    let ages_within = outer.ages.min.unwrap_or(0) <= inner.ages.min.unwrap_or(0)
        && inner.ages.max.unwrap_or(u32::MAX) <= outer.ages.max.unwrap_or(u32::MAX);
    o.source == n.source
        && o.sum == n.sum
        && ages_within
        && o.conditions.iter().all(|c| n.conditions.contains(c))
}

/// Which count of a row a pass protects.
#[derive(Clone, Copy)]
enum Count {
    Numerator,
    Denominator,
}

/// Suppresses, in place, every row that would disclose a count from 1 to `threshold` − 1,
/// directly or through a relation (module doc). `nested` comes from [`nested_indicators`].
pub fn suppress(
    tables: &mut [LevelTable],
    threshold: f64,
    nested: &[(usize, usize)],
) -> SuppressionCounts {
    let mut cells: Vec<(usize, usize)> = Vec::new();
    let mut first = Vec::with_capacity(tables.len());
    for (t, table) in tables.iter().enumerate() {
        first.push(cells.len());
        cells.extend((0..table.rows.len()).map(|r| (t, r)));
    }
    let row = |c: CellId| cells.get(c).and_then(|&(t, r)| tables.get(t)?.rows.get(r));
    let count = |c: CellId, k: Count| {
        row(c)
            .map(|r| match k {
                Count::Numerator => r.numerator,
                Count::Denominator => r.denominator,
            })
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    let small = |v: f64| v.abs() > 1e-9 && v.abs() < threshold;
    let relations = relations(tables, &first, nested);

    let mut hidden_den: Vec<bool> = (0..cells.len())
        .map(|c| small(count(c, Count::Denominator)))
        .collect();
    protect(
        &relations,
        &mut hidden_den,
        |c| count(c, Count::Denominator),
        &small,
    );
    let mut hidden_num: Vec<bool> = (0..cells.len())
        .map(|c| hidden_den[c] || small(count(c, Count::Numerator)))
        .collect();
    let primary = (0..cells.len())
        .filter(|&c| small(count(c, Count::Numerator)) || small(count(c, Count::Denominator)))
        .count();
    protect(
        &relations,
        &mut hidden_num,
        |c| count(c, Count::Numerator),
        &small,
    );

    let mut counts = SuppressionCounts {
        primary,
        secondary: 0,
    };
    for (c, &(t, r)) in cells.iter().enumerate() {
        if !hidden_num[c] {
            continue;
        }
        let Some(row) = tables.get_mut(t).and_then(|x| x.rows.get_mut(r)) else {
            continue;
        };
        row.mask(hidden_den[c]);
        counts.secondary += 1;
    }
    counts.secondary -= counts.primary.min(counts.secondary);
    // A change from a hidden previous period would give that period's value away.
    for table in tables.iter_mut() {
        let Some(dim) = table.level.period else {
            continue;
        };
        let hidden: std::collections::HashSet<(Vec<String>, Period)> = table
            .rows
            .iter()
            .filter(|r| r.suppressed)
            .map(|r| (r.keys.clone(), r.period_code))
            .collect();
        if hidden.is_empty() {
            continue;
        }
        for r in table.rows.iter_mut() {
            if hidden.contains(&(r.keys.clone(), r.period_code.previous(dim))) {
                r.change = None;
                r.change_z = None;
            }
        }
    }
    counts
}

/// Hides more cells until no relation has exactly one hidden member, the remainder counting
/// as a member that is hidden when it is small and that cannot be hidden otherwise.
fn protect(
    relations: &[Relation],
    hidden: &mut [bool],
    count: impl Fn(CellId) -> f64,
    small: &impl Fn(f64) -> bool,
) {
    let mut of_cell: HashMap<CellId, Vec<usize>> = HashMap::new();
    for (i, rel) in relations.iter().enumerate() {
        for &c in rel.parts.iter().chain(std::iter::once(&rel.total)) {
            of_cell.entry(c).or_default().push(i);
        }
    }
    let is_hidden = |h: &[bool], c: CellId| h.get(c).copied().unwrap_or(false);
    let mut work: Vec<usize> = (0..relations.len()).collect();
    while let Some(i) = work.pop() {
        let Some(rel) = relations.get(i) else {
            continue;
        };
        let remainder = count(rel.total) - rel.parts.iter().map(|&c| count(c)).sum::<f64>();
        let members_hidden = rel
            .parts
            .iter()
            .chain(std::iter::once(&rel.total))
            .filter(|&&c| is_hidden(hidden, c))
            .count()
            + usize::from(small(remainder));
        if members_hidden != 1 {
            continue;
        }
        // The visible part with the smallest count above 0, else any visible part, else the
        // total.
        let visible_parts = || rel.parts.iter().copied().filter(|&c| !is_hidden(hidden, c));
        let by_count = |a: &CellId, b: &CellId| count(*a).total_cmp(&count(*b));
        let partner = visible_parts()
            .filter(|&c| count(c) > 1e-9)
            .min_by(by_count)
            .or_else(|| visible_parts().min_by(by_count))
            .or_else(|| (!is_hidden(hidden, rel.total)).then_some(rel.total));
        if let Some(p) = partner {
            if let Some(h) = hidden.get_mut(p) {
                *h = true;
            }
            work.extend(of_cell.get(&p).into_iter().flatten().copied());
        }
    }
}

/// The additive relations between the rows of `tables` (module doc).
fn relations(tables: &[LevelTable], first: &[usize], nested: &[(usize, usize)]) -> Vec<Relation> {
    let mut out = Vec::new();
    // Rows by (keys, period) per table, for lookups.
    let index: Vec<HashMap<(&[String], Period), usize>> = tables
        .iter()
        .map(|t| {
            t.rows
                .iter()
                .enumerate()
                .map(|(i, r)| ((r.keys.as_slice(), r.period_code), i))
                .collect()
        })
        .collect();
    let id = |t: usize, r: usize| first.get(t).map(|f| f + r);
    for (a, ta) in tables.iter().enumerate() {
        for (b, tb) in tables.iter().enumerate() {
            if a == b || ta.indicator_index != tb.indicator_index {
                continue;
            }
            let Some(map) = KeyMap::new(ta, tb) else {
                continue;
            };
            let mut groups: HashMap<usize, Vec<CellId>> = HashMap::new();
            for (r, row) in ta.rows.iter().enumerate() {
                let Some((keys, period)) = map.parent(&row.keys, row.period_code) else {
                    continue;
                };
                let Some(&total) = index
                    .get(b)
                    .and_then(|ix| ix.get(&(keys.as_slice(), period)))
                else {
                    continue;
                };
                if let (Some(t), Some(p)) = (id(b, total), id(a, r)) {
                    groups.entry(t).or_default().push(p);
                }
            }
            out.extend(
                groups
                    .into_iter()
                    .map(|(total, parts)| Relation { total, parts }),
            );
        }
    }
    for &(outer, inner) in nested {
        for (a, ta) in tables.iter().enumerate() {
            if ta.indicator_index != outer {
                continue;
            }
            for (b, tb) in tables.iter().enumerate() {
                if tb.indicator_index != inner || tb.level != ta.level {
                    continue;
                }
                for (r, row) in ta.rows.iter().enumerate() {
                    let other = index
                        .get(b)
                        .and_then(|ix| ix.get(&(row.keys.as_slice(), row.period_code)));
                    if let (Some(t), Some(p)) = (id(a, r), other.and_then(|&o| id(b, o))) {
                        out.push(Relation {
                            total: t,
                            parts: vec![p],
                        });
                    }
                }
            }
        }
    }
    out
}

/// How a row of a finer table finds its total in a coarser one.
struct KeyMap {
    /// Per dimension of the coarser table: where its key comes from.
    from: Vec<KeyFrom>,
    /// The finer and coarser period dimensions.
    periods: (Option<Dim>, Option<Dim>),
}

enum KeyFrom {
    Same(usize),
    /// The first `n` characters of a finer key (DeSO → kommun → län codes).
    Prefix(usize, usize),
    /// The coarser table's only key for this dimension (one county).
    Only(String),
}

impl KeyMap {
    /// `None` when `coarse` is not a coarsening of `fine` that the codes can show.
    fn new(fine: &LevelTable, coarse: &LevelTable) -> Option<KeyMap> {
        let (fd, cd) = (&fine.level.dims, &coarse.level.dims);
        if fd == cd && fine.level.period == coarse.level.period {
            return None;
        }
        let periods = (fine.level.period, coarse.level.period);
        match periods {
            (Some(f), Some(c)) => {
                let (pf, pc) = (Period::per_year(f), Period::per_year(c));
                if pc > pf || pf % pc != 0 {
                    return None;
                }
            }
            (None, Some(_)) => return None,
            _ => {}
        }
        let pos = |d: Dim| fd.iter().position(|x| *x == d);
        let mut from = Vec::new();
        for (i, d) in cd.iter().enumerate() {
            let f = match (pos(*d), d) {
                (Some(p), _) => KeyFrom::Same(p),
                (None, Dim::Kommun) => KeyFrom::Prefix(pos(Dim::Deso)?, 4),
                (None, Dim::Lan) => match pos(Dim::Kommun).or_else(|| pos(Dim::Deso)) {
                    Some(p) => KeyFrom::Prefix(p, 2),
                    None => {
                        let mut keys = coarse.rows.iter().filter_map(|r| r.keys.get(i));
                        let only = keys.next()?;
                        if keys.any(|k| k != only) {
                            return None;
                        }
                        KeyFrom::Only(only.clone())
                    }
                },
                _ => return None,
            };
            from.push(f);
        }
        // Coarser in at least one respect, and never finer in one.
        if from.len() == fd.len()
            && from.iter().all(|f| matches!(f, KeyFrom::Same(_)))
            && periods.0 == periods.1
        {
            return None;
        }
        Some(KeyMap { from, periods })
    }

    fn parent(&self, keys: &[String], period: Period) -> Option<(Vec<String>, Period)> {
        let mut out = Vec::with_capacity(self.from.len());
        for f in &self.from {
            out.push(match f {
                KeyFrom::Same(p) => keys.get(*p)?.clone(),
                KeyFrom::Prefix(p, n) => keys.get(*p)?.get(..*n)?.to_owned(),
                KeyFrom::Only(k) => k.clone(),
            });
        }
        let period = match self.periods {
            (Some(f), Some(c)) if f != c => {
                let months = 12 / Period::per_year(f).max(1);
                let month = if f == Dim::Year {
                    1
                } else {
                    (period.sub.saturating_sub(1)).saturating_mul(months) + 1
                };
                Period::of_month(period.year, month, c)
            }
            (Some(_), None) => Period { year: 0, sub: 0 },
            _ => period,
        };
        Some((out, period))
    }
}
