//! The finish step, which only orchestrates: the finest cells of each source mapped to each
//! level's units ([`super::units`]) and summed ([`super::accumulate`]), the statistic of each
//! unit with its intervals ([`super::statistic`], by [`crate::stats`]), its traffic light and
//! change ([`super::lights`]), the partial years ([`super::coverage`]), the hierarchy check, and
//! from the tables the control charts, county read-out and unit summaries ([`Results::new`]).
//!
//! Method source: PHEindicatormethods (methods.md §1–§3) for the statistics, computed from the
//! pooled numerator and denominator of each unit, so that a county value is exactly the value of
//! its pooled lower-level data; Fingertips (§5.1) for the lights.

use std::collections::HashMap;
use std::sync::Arc;

use super::accumulate::accumulate;
use super::definition::IndicatorSpec;
use super::levels::{Level, Mappings};
use super::lights::{classify_rows, needs_county};
use super::plan::SourceData;
use super::statistic::{isr_references, reference_of, statistic, Method};
use super::units::Units;
use super::{coverage, hierarchy_check, Compiled, IndicatorError, ReadSource};
use crate::classify::Light;
use crate::error::Message;

// The paths other crates and modules use (`indicators::finish::UnitRow`, …).
pub use super::results::Results;
pub use super::spc_series::SpcSeries;
pub use super::table::{LevelTable, UnitRow};
pub use super::units::UNMAPPED;

/// One run of the finish step: the sources read, the units mapped so far, and each indicator's
/// method (with its standard population), built once.
struct Ctx<'a> {
    spec: &'a IndicatorSpec,
    sources: HashMap<&'a str, &'a SourceData>,
    units: Units<'a>,
    methods: Vec<Method>,
}

/// Computes one indicator at one level without lights: rows sorted by unit and period.
fn compute_rows(ctx: &Ctx<'_>, ind: usize, level: &Level) -> Result<Vec<UnitRow>, IndicatorError> {
    let (Some(indicator), Some(method)) = (ctx.spec.indicators.get(ind), ctx.methods.get(ind))
    else {
        return Ok(Vec::new());
    };
    let accs = accumulate(&ctx.units, &ctx.sources, ind, indicator, level)?;
    let references = isr_references(method, &ctx.units, level, &accs);
    let mut rows: Vec<UnitRow> = accs
        .iter()
        .map(|((id, p), acc)| {
            let parts = ctx.units.parts(level, *id);
            let s = statistic(method, acc, reference_of(&references, level, &parts, *p));
            UnitRow {
                keys: parts,
                period: level.period.map(|d| p.label(d)),
                numerator: acc.num,
                denominator: s.denominator,
                value: s.est.value,
                lower: s.lower,
                upper: s.upper,
                lower_998: s.est.lower_998,
                upper_998: s.est.upper_998,
                light: Light::Grey,
                reason: Message::default(),
                change: None,
                change_z: None,
                note: s.note,
                period_code: *p,
                cases: s.cases,
                estimate: s.est,
                suppressed: false,
                partial: None,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.keys.cmp(&b.keys).then(a.period_code.cmp(&b.period_code)));
    Ok(rows)
}

/// Each indicator's rows at the county level of a level ([`Level::county`]), computed when
/// first asked for.
#[derive(Default)]
struct Counties(HashMap<(usize, Level), Vec<UnitRow>>);

impl Counties {
    fn rows(
        &mut self,
        ctx: &Ctx<'_>,
        ind: usize,
        level: &Level,
    ) -> Result<&[UnitRow], IndicatorError> {
        let key = (ind, level.county());
        if !self.0.contains_key(&key) {
            let rows = compute_rows(ctx, ind, &key.1)?;
            self.0.insert(key.clone(), rows);
        }
        Ok(self.0.get(&key).map_or(&[], Vec::as_slice))
    }
}

/// A condition on an identifier singles out persons ("falls where person_id != X"): refused.
fn refuse_identifier_conditions(
    spec: &IndicatorSpec,
    sources: &HashMap<&str, &SourceData>,
) -> Result<(), IndicatorError> {
    for ind in &spec.indicators {
        for (field, m) in ind.measures() {
            let Some(data) = sources.get(m.source.as_str()) else {
                continue;
            };
            for c in &m.conditions {
                if let Some((_, distinct)) =
                    data.identifiers.iter().find(|(col, _)| *col == c.column)
                {
                    return Err(IndicatorError::IdentifierCondition {
                        indicator: ind.id.clone(),
                        field: format!("{field}.where"),
                        column: c.column.clone(),
                        distinct: *distinct,
                        rows: data.rows.used,
                    });
                }
            }
        }
    }
    Ok(())
}

impl Compiled {
    /// The finish step: every indicator at every level, with lights, the county read-out and the
    /// hierarchy check.
    /// `read` may be owned or borrowed sources (a session keeps its inputs and lends them).
    pub fn finish<R: std::borrow::Borrow<ReadSource>>(
        &self,
        read: &[R],
        levels: &[Level],
    ) -> Result<Results, IndicatorError> {
        let mut mappings = Mappings::default();
        let mut sources = HashMap::new();
        let read: Vec<&ReadSource> = read.iter().map(|r| r.borrow()).collect();
        let read = read.as_slice();
        let derived = self.source_data(read)?;
        for r in read {
            for (from, to, pairs) in &r.mappings {
                mappings.insert(*from, *to, pairs.clone());
            }
        }
        for (name, d) in &derived {
            sources.insert(*name, d.as_ref());
        }
        for name in self.data_names() {
            if !read.iter().any(|r| r.name == name) {
                return Err(IndicatorError::NoData(name));
            }
        }
        refuse_identifier_conditions(&self.spec, &sources)?;
        let ctx = Ctx {
            spec: &self.spec,
            sources,
            units: Units::new(&self.spec.age_groups, mappings),
            methods: self.spec.indicators.iter().map(Method::of).collect(),
        };
        let mut tables = Vec::new();
        // The county's rows of an indicator per county level, computed once: every level's
        // lights compare with them, and every table's hierarchy check adds up to them.
        let mut counties = Counties::default();
        for (i, ind) in self.spec.indicators.iter().enumerate() {
            for level in levels {
                let mut rows = compute_rows(&ctx, i, level)?;
                let county = if needs_county(ind) {
                    counties.rows(&ctx, i, level)?
                } else {
                    &[]
                };
                classify_rows(ind, level, &mut rows, county);
                tables.push(LevelTable {
                    indicator: ind.id.clone(),
                    indicator_index: i,
                    level: level.clone(),
                    rows,
                });
            }
        }
        coverage::flag_partial(&mut tables, &self.spec.indicators, &ctx.sources);
        let mut hierarchy = Vec::new();
        for t in &tables {
            let county = counties.rows(&ctx, t.indicator_index, &t.level)?;
            hierarchy.extend(hierarchy_check::adds_up(t, county));
        }
        for (i, ind) in self.spec.indicators.iter().enumerate() {
            if let Some(den) = &ind.denominator {
                if let (Some(n), Some(d)) = (
                    ctx.sources.get(ind.numerator.source.as_str()),
                    ctx.sources.get(den.source.as_str()),
                ) {
                    hierarchy.extend(hierarchy_check::missing_denominator(&ind.id, i, n, d));
                }
            }
        }
        let problems = read
            .iter()
            .map(|r| (r.name.clone(), r.problems.clone()))
            .collect();
        Ok(Results::new(
            Arc::new(self.spec.clone()),
            tables,
            hierarchy,
            problems,
        ))
    }
}
