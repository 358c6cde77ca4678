//! The finish step: the finest cells of each source rolled up to a level, the statistic of each
//! unit with its interval, its traffic light and its change from the previous period.
//!
//! Method source: PHEindicatormethods (methods.md §1–§3) for the statistics, computed from the
//! pooled numerator and denominator of each unit, so that a county value is exactly the value of
//! its pooled lower-level data; Fingertips (§5.1) for the lights. Two design choices, said here:
//! a source with years only (a population table) spread over half-years, quarters or months
//! gives each sub-period its share of the year (person-time); the ISR's reference is the pooled
//! data of the same period (the county), as an internal standard.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::definition::{Against, IndicatorSpec, LightRule, MapFrom, MapTo, MeasureType};
use super::hierarchy_check::{self, HierarchyIssue};
use super::levels::{Dim, Level, Mappings, Period};
use super::plan::{sex_label, CellKey, GeoKind, Side, SourceData, BANDS, NO_BAND, NO_PROVIDER};
use super::{Compiled, IndicatorError, ReadSource};
use crate::classify::quantiles::quantile_lights;
use crate::classify::traffic_light::{benchmark_light, target_light, Estimate};
use crate::classify::trend::{change_from_previous, trend_light, Point};
use crate::classify::{format_number, Classified, Light, Polarity};
use crate::error::Problems;
use crate::rollup::{rollup, unit_summaries, RollupRow, UnitSummary};
use crate::spc::{control_chart, ChartKind, SpcPoint};
use crate::standard_pop::{esp2013, StandardPopulation};
use crate::stats::distributions::student_t_upper_quantile;
use crate::stats::{crude_rate, phe_count_limits, proportion, Confidence, DsrConfig};

/// The value written for a unit a mapping file does not cover.
pub const UNMAPPED: &str = "(saknas)";

/// One unit (and period) of one indicator at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    /// One value per non-period dimension of the level.
    pub keys: Vec<String>,
    pub period: Option<String>,
    pub numerator: f64,
    /// For an ISR: the expected count.
    pub denominator: f64,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub lower_998: Option<f64>,
    pub upper_998: Option<f64>,
    pub light: Light,
    pub reason: String,
    /// Change from the unit's previous period, with its z value.
    pub change: Option<f64>,
    pub change_z: Option<f64>,
    /// Why there is no value (PHE's DSR rule, no population, …).
    pub note: Option<String>,
    pub period_code: Period,
    /// Cases counted against `min_cases`.
    pub cases: f64,
    /// The value with its 95 % and 99.8 % limits (for comparisons).
    pub estimate: Estimate,
    /// Masked for export: a count below the disclosure threshold ([`UnitRow::suppress`]).
    pub suppressed: bool,
    /// Set when the data cover the period only in part (`coverage.rs`): why it is not whole.
    pub partial: Option<String>,
}

impl UnitRow {
    /// Hides what would disclose a count: the numerator (and the denominator when
    /// `denominator` is set), the value, its limits, its change and its light. Which rows are
    /// hidden is decided by [`crate::privacy::suppress`]; methods.md §6.2.
    pub fn mask(&mut self, denominator: bool) {
        self.suppressed = true;
        self.numerator = f64::NAN;
        if denominator {
            self.denominator = f64::NAN;
        }
        self.value = None;
        self.lower = None;
        self.upper = None;
        self.lower_998 = None;
        self.upper_998 = None;
        self.change = None;
        self.change_z = None;
        self.cases = f64::NAN;
        self.estimate = Default::default();
        self.light = Light::Grey;
        self.reason = "Visas inte (röjandeskydd)".into();
        self.note = None;
    }
}

impl Results {
    /// A copy for export: every row that would disclose a count from 1 to `threshold` − 1,
    /// directly or by adding and subtracting shown rows, is masked ([`crate::privacy`]); the
    /// county read-out, unit summaries and control charts are made again from what is left.
    /// What leaves the machine goes through [`crate::export::protected`], which also rewords
    /// the diagnostics.
    pub fn suppressed(&self, threshold: f64) -> Results {
        let mut out = self.clone();
        let nested = crate::privacy::nested_indicators(&self.spec);
        out.suppression = crate::privacy::suppress(&mut out.tables, threshold, &nested);
        if out.suppression.primary + out.suppression.secondary > 0 {
            out.rollup = rollup(&self.spec, &out.tables);
            out.units = unit_summaries(&out.tables);
            // From the masked rows: a hidden point is left out of the centre line too, so the
            // centre of the shown points gives nothing away.
            out.spc = spc_series(&self.spec, &out.tables);
        }
        out
    }
}

/// An indicator at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelTable {
    pub indicator: String,
    pub indicator_index: usize,
    pub level: Level,
    pub rows: Vec<UnitRow>,
}

impl LevelTable {
    /// The row of a unit (keys as written) and period label.
    pub fn row(&self, keys: &[&str], period: Option<&str>) -> Option<&UnitRow> {
        self.rows.iter().find(|r| {
            r.keys.iter().map(String::as_str).eq(keys.iter().copied())
                && r.period.as_deref() == period
        })
    }
}

/// The control chart of one unit of a table with months or quarters.
#[derive(Debug, Clone, PartialEq)]
pub struct SpcSeries {
    pub indicator: String,
    pub level: String,
    pub keys: Vec<String>,
    pub kind: ChartKind,
    /// Period label and point, in order.
    pub points: Vec<(String, SpcPoint)>,
}

/// Everything a run gives.
#[derive(Debug, Clone)]
pub struct Results {
    pub tables: Vec<LevelTable>,
    /// p-charts (shares) and u-charts (rates) per unit, for levels by month or quarter.
    pub spc: Vec<SpcSeries>,
    pub rollup: Vec<RollupRow>,
    pub units: Vec<UnitSummary>,
    pub hierarchy: Vec<HierarchyIssue>,
    /// Problems per data name.
    pub problems: Vec<(String, Problems)>,
    /// The indicators these are results of (for suppression's relations and the read-out).
    pub spec: std::sync::Arc<IndicatorSpec>,
    /// What [`Results::suppressed`] hid; zero in unsuppressed results.
    pub suppression: crate::privacy::SuppressionCounts,
}

/// Non-unit parts and period: a county group.
type GroupKey = (Vec<String>, Period);

#[derive(Debug, Clone, Copy)]
enum Slot {
    At(Period),
    /// A year-only row at a finer period: spread over the year's sub-periods.
    Spread(u16),
}

/// Per level: unit parts interned, shared by all sources.
#[derive(Debug, Default)]
struct LevelIndex {
    ids: HashMap<Vec<String>, u32>,
    values: Vec<Vec<String>>,
}

impl LevelIndex {
    fn intern(&mut self, parts: Vec<String>) -> u32 {
        if let Some(&id) = self.ids.get(&parts) {
            return id;
        }
        let id = self.values.len() as u32;
        self.ids.insert(parts.clone(), id);
        self.values.push(parts);
        id
    }
}

#[derive(Debug, Clone, Default)]
struct UnitAcc {
    num: f64,
    num_sq: f64,
    num_rows: f64,
    den: f64,
    band_num: Vec<f64>,
    band_den: Vec<f64>,
}

/// Each cell's unit and period slot, or what the source lacks for the level.
type CellUnits = Result<Rc<Vec<(u32, Slot)>>, String>;

/// Per level: the units interned, and each source's cells mapped to them once.
#[derive(Debug, Default)]
struct UnitCache {
    index: LevelIndex,
    /// (source, side) → the unit and period slot of every cell, or what the source lacks.
    maps: HashMap<(String, Side), CellUnits>,
}

struct Ctx<'a> {
    spec: &'a IndicatorSpec,
    sources: HashMap<&'a str, &'a SourceData>,
    mappings: Mappings,
    cache: RefCell<HashMap<Level, UnitCache>>,
}

impl Ctx<'_> {
    fn age_group(&self, band: u8) -> String {
        let label = esp2013::BANDS.get(band as usize).copied().unwrap_or("?");
        if self.spec.age_groups.is_empty() {
            return label.to_owned();
        }
        let lower = u32::from(band) * 5;
        self.spec
            .age_groups
            .iter()
            .find(|g| g.min <= lower && g.max.is_none_or(|m| lower <= m))
            .map(|g| g.name.clone())
            .unwrap_or_else(|| "(utanför åldersgrupperna)".to_owned())
    }

    /// The kommun of a cell, from its code or its health centre.
    fn kommun(&self, src: &SourceData, cell: &CellKey) -> Option<String> {
        match src.geo_kind {
            GeoKind::Deso | GeoKind::Kommun => src
                .geos
                .get(cell.geo as usize)
                .and_then(|g| g.get(..4))
                .map(str::to_owned),
            _ => self.provider(src, cell).and_then(|p| {
                self.mappings
                    .get(MapFrom::Provider, MapTo::Kommun, &p)
                    .map(str::to_owned)
            }),
        }
    }

    /// The health centre of a cell: its own column, or the DeSO's catchment.
    fn provider(&self, src: &SourceData, cell: &CellKey) -> Option<String> {
        if src.has_provider && cell.provider != NO_PROVIDER {
            return src.providers.get(cell.provider as usize).cloned();
        }
        if src.geo_kind == GeoKind::Deso {
            let deso = src.geos.get(cell.geo as usize)?;
            return Some(
                self.mappings
                    .get(MapFrom::Deso, MapTo::Provider, deso)
                    .unwrap_or(UNMAPPED)
                    .to_owned(),
            );
        }
        None
    }

    /// The unit parts and period slot of a cell at a level; `Err(what is missing)`.
    fn cell_unit(
        &self,
        src: &SourceData,
        cell: &CellKey,
        level: &Level,
        side: Side,
    ) -> Result<(Vec<String>, Slot), String> {
        let mut parts = Vec::with_capacity(level.dims.len());
        for d in &level.dims {
            let v =
                match d {
                    Dim::Deso => match src.geo_kind {
                        GeoKind::Deso => src.geos.get(cell.geo as usize).cloned(),
                        _ => return Err("a DeSO column".into()),
                    },
                    Dim::Kommun => match self.kommun(src, cell) {
                        Some(k) => Some(k),
                        None if src.geo_kind == GeoKind::None
                            && src.has_provider
                            && self.mappings.has(MapFrom::Provider, MapTo::Kommun) =>
                        {
                            Some(UNMAPPED.to_owned())
                        }
                        None => {
                            return Err(
                                "a kommun or DeSO column (or a mapping provider → kommun)".into()
                            )
                        }
                    },
                    Dim::Lan => match src.geo_kind {
                        GeoKind::Lan => src.geos.get(cell.geo as usize).cloned(),
                        _ => Some(
                            self.kommun(src, cell)
                                .and_then(|k| k.get(..2).map(str::to_owned))
                                // Without area codes all data are the county's.
                                .unwrap_or_else(|| "län".to_owned()),
                        ),
                    },
                    Dim::Subregion => {
                        if !self.mappings.has(MapFrom::Kommun, MapTo::Subregion) {
                            return Err("a mapping kommun → subregion".into());
                        }
                        let k = self.kommun(src, cell).ok_or("a kommun or DeSO column")?;
                        Some(
                            self.mappings
                                .get(MapFrom::Kommun, MapTo::Subregion, &k)
                                .unwrap_or(UNMAPPED)
                                .to_owned(),
                        )
                    }
                    Dim::Provider => match self.provider(src, cell) {
                        Some(p) => Some(p),
                        None => return Err(
                            "a provider column (or a DeSO column and a mapping deso → provider)"
                                .into(),
                        ),
                    },
                    Dim::Team => {
                        if !self.mappings.has(MapFrom::Provider, MapTo::Team) {
                            return Err("a mapping provider → team".into());
                        }
                        let p = self.provider(src, cell).ok_or("a provider column")?;
                        Some(
                            self.mappings
                                .get(MapFrom::Provider, MapTo::Team, &p)
                                .unwrap_or(UNMAPPED)
                                .to_owned(),
                        )
                    }
                    Dim::Sex => {
                        if !src.has_sex {
                            return Err("a sex column".into());
                        }
                        Some(sex_label(cell.sex).to_owned())
                    }
                    Dim::AgeGroup => {
                        if cell.band == NO_BAND {
                            return Err("an age or age band column".into());
                        }
                        Some(self.age_group(cell.band))
                    }
                    _ => None,
                };
            parts.push(v.unwrap_or_else(|| UNMAPPED.to_owned()));
        }
        let slot = match level.period {
            None => Slot::At(Period { year: 0, sub: 0 }),
            Some(_) if !src.has_period => return Err("a year or date column".into()),
            Some(Dim::Year) => Slot::At(Period {
                year: cell.year,
                sub: 0,
            }),
            Some(p) if src.has_month => Slot::At(Period::of_month(cell.year, cell.month, p)),
            Some(_) if side == Side::Denominator => Slot::Spread(cell.year),
            Some(_) => return Err("a date column (for periods shorter than a year)".into()),
        };
        Ok((parts, slot))
    }
}

/// Rolls one indicator's cells up to a level: per unit (interned parts, period) the sums.
fn accumulate(
    ctx: &Ctx<'_>,
    ind: usize,
    level: &Level,
) -> Result<HashMap<(u32, Period), UnitAcc>, IndicatorError> {
    let spec = ctx.spec;
    let indicator = spec
        .indicators
        .get(ind)
        .ok_or(IndicatorError::NoData(String::new()))?;
    let banded = matches!(indicator.measure, MeasureType::Dsr | MeasureType::Isr);
    let per_year = level.period.map(Period::per_year).unwrap_or(1);
    let mut out: HashMap<(u32, Period), UnitAcc> = HashMap::new();
    let mut sides = vec![(Side::Numerator, &indicator.numerator)];
    if let Some(d) = &indicator.denominator {
        if indicator.measure != MeasureType::Count && indicator.measure != MeasureType::Mean {
            sides.push((Side::Denominator, d));
        }
    }
    let mut caches = ctx.cache.borrow_mut();
    let cache = caches.entry(level.clone()).or_default();
    for (side, measure) in sides {
        let src = *ctx
            .sources
            .get(measure.source.as_str())
            .ok_or_else(|| IndicatorError::NoData(measure.source.clone()))?;
        let Some(sums) = src
            .sides
            .iter()
            .find(|s| s.indicator == ind && s.side == side)
        else {
            continue;
        };
        // The unit of each cell is worked out once per source, side and level, for all
        // indicators.
        let key = (src.name.clone(), side);
        if !cache.maps.contains_key(&key) {
            let mut map = Vec::with_capacity(src.cells.len());
            let mut failed = None;
            for cell in &src.cells {
                match ctx.cell_unit(src, cell, level, side) {
                    Ok((parts, slot)) => map.push((cache.index.intern(parts), slot)),
                    Err(what) => {
                        failed = Some(what);
                        break;
                    }
                }
            }
            cache
                .maps
                .insert(key.clone(), failed.map_or_else(|| Ok(Rc::new(map)), Err));
        }
        let map = match cache.maps.get(&key) {
            Some(Ok(m)) => Rc::clone(m),
            Some(Err(what)) => {
                return Err(IndicatorError::LevelNotInSource {
                    indicator: indicator.id.clone(),
                    level: level.columns().join(","),
                    what: what.clone(),
                    source_name: src.name.clone(),
                })
            }
            None => continue,
        };
        for (i, (cell, &(id, slot))) in src.cells.iter().zip(map.iter()).enumerate() {
            let rows = sums.rows_at(i);
            if rows <= 0.0 {
                continue;
            }
            let sum = sums.sum.get(i).copied().unwrap_or(0.0);
            let sq = sums.sum_sq.get(i).copied().unwrap_or(0.0);
            let (periods, share): (Vec<Period>, f64) = match slot {
                Slot::At(p) => (vec![p], 1.0),
                Slot::Spread(year) => (
                    (1..=per_year).map(|sub| Period { year, sub }).collect(),
                    1.0 / f64::from(per_year),
                ),
            };
            for p in periods {
                let acc = out.entry((id, p)).or_insert_with(|| UnitAcc {
                    band_num: if banded { vec![0.0; BANDS] } else { Vec::new() },
                    band_den: if banded { vec![0.0; BANDS] } else { Vec::new() },
                    ..UnitAcc::default()
                });
                let band = cell.band as usize;
                match side {
                    Side::Numerator => {
                        acc.num += sum * share;
                        acc.num_sq += sq * share;
                        acc.num_rows += rows * share;
                        if let Some(b) = acc.band_num.get_mut(band) {
                            *b += sum * share;
                        }
                    }
                    Side::Denominator => {
                        acc.den += sum * share;
                        if let Some(b) = acc.band_den.get_mut(band) {
                            *b += sum * share;
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A unit's statistic: the estimate, the cases counted, and why there is no value.
struct Stat {
    est: Estimate,
    lower: Option<f64>,
    upper: Option<f64>,
    denominator: f64,
    cases: f64,
    note: Option<String>,
}

fn statistic(ind: &super::definition::Indicator, acc: &UnitAcc, reference: Option<&[f64]>) -> Stat {
    let conf = ind
        .confidence
        .as_ref()
        .and_then(super::definition::Number::value)
        .and_then(|c| Confidence::new(c).ok())
        .unwrap_or_default();
    let (c95, c998) = (Confidence::p95(), Confidence::p998());
    let m = ind.multiplier();
    let none = |cases: f64, den: f64, note: String| Stat {
        est: Estimate::default(),
        lower: None,
        upper: None,
        denominator: den,
        cases,
        note: Some(note),
    };
    // (value, limits at conf, 95 %, 99.8 %)
    type Lims = (
        f64,
        Option<(f64, f64)>,
        Option<(f64, f64)>,
        Option<(f64, f64)>,
    );
    let (lims, den, cases): (Result<Lims, String>, f64, f64) = match ind.measure {
        MeasureType::Count => {
            let f = |c: Confidence| {
                phe_count_limits(acc.num, c)
                    .ok()
                    .map(|l| (l.lower, l.upper))
            };
            (Ok((acc.num, f(conf), f(c95), f(c998))), acc.den, acc.num)
        }
        MeasureType::Rate => {
            let f = |c| crude_rate(acc.num, acc.den, m, c);
            let r = match f(conf) {
                Ok(r) => Ok((
                    r.value,
                    Some((r.lower, r.upper)),
                    f(c95).ok().map(|r| (r.lower, r.upper)),
                    f(c998).ok().map(|r| (r.lower, r.upper)),
                )),
                Err(e) => Err(denominator_note(acc.den, &e.to_string())),
            };
            (r, acc.den, acc.num)
        }
        MeasureType::Share => {
            let f = |c| proportion(acc.num, acc.den, m, c);
            let r = match f(conf) {
                Ok(p) => Ok((
                    p.value,
                    Some((p.lower, p.upper)),
                    f(c95).ok().map(|p| (p.lower, p.upper)),
                    f(c998).ok().map(|p| (p.lower, p.upper)),
                )),
                Err(e) => Err(denominator_note(acc.den, &e.to_string())),
            };
            (r, acc.den, acc.den)
        }
        MeasureType::Mean => {
            let n = acc.num_rows;
            let r = if n < 2.0 {
                Err(format!(
                    "Ett medelvärde behöver minst 2 värden; här finns {}",
                    format_number(n)
                ))
            } else {
                let mean = acc.num / n;
                let var = ((acc.num_sq - acc.num * acc.num / n) / (n - 1.0)).max(0.0);
                let se = (var / n).sqrt();
                let f = |c: Confidence| {
                    let t = student_t_upper_quantile(c.alpha() / 2.0, n - 1.0);
                    Some((mean - t * se, mean + t * se))
                };
                Ok((
                    mean * m,
                    scale(f(conf), m),
                    scale(f(c95), m),
                    scale(f(c998), m),
                ))
            };
            (r, n, n)
        }
        MeasureType::Dsr => {
            let (lo, hi) = band_bounds(ind);
            let kept: Vec<(String, f64)> = (lo..=hi)
                .filter_map(|b| {
                    let label = esp2013::BANDS.get(b)?;
                    let w = esp2013::WEIGHTS.get(b)?;
                    Some(((*label).to_owned(), f64::from(*w)))
                })
                .collect();
            let counts = acc.band_num.get(lo..=hi).unwrap_or_default();
            let pops = acc.band_den.get(lo..=hi).unwrap_or_default();
            let r = match StandardPopulation::new("ESP2013", kept) {
                Err(e) => Err(e.to_string()),
                Ok(std) => {
                    let f = |c| {
                        crate::stats::dsr_aligned(
                            &std,
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
                        Err(e) => Err(format!("Ingen DSR: {e}")),
                        Ok(d) => match (d.value, d.note) {
                            (Some(v), _) => Ok((
                                v,
                                d.lower.zip(d.upper),
                                f(c95).ok().and_then(|d| d.lower.zip(d.upper)),
                                f(c998).ok().and_then(|d| d.lower.zip(d.upper)),
                            )),
                            (None, note) => Err(format!(
                                "Ingen DSR: färre än 10 fall ({})",
                                note.map(|n| n.text()).unwrap_or_default()
                            )),
                        },
                    }
                }
            };
            (r, acc.den, acc.num)
        }
        MeasureType::Isr => {
            let expected: f64 = match reference {
                Some(rates) => acc.band_den.iter().zip(rates).map(|(n, r)| n * r).sum(),
                None => 0.0,
            };
            let r = if expected > 0.0 {
                let f = |c| {
                    phe_count_limits(acc.num, c)
                        .ok()
                        .map(|l| (l.lower / expected * m, l.upper / expected * m))
                };
                Ok((acc.num / expected * m, f(conf), f(c95), f(c998)))
            } else {
                Err("Förväntat antal är 0 (ingen befolkning i åldrarna)".to_owned())
            };
            (r, expected, acc.num)
        }
    };
    match lims {
        Err(note) => none(cases, den, note),
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

fn scale(x: Option<(f64, f64)>, m: f64) -> Option<(f64, f64)> {
    x.map(|(a, b)| (a * m, b * m))
}

fn denominator_note(den: f64, error: &str) -> String {
    if den <= 0.0 {
        "Nämnaren är 0 (ingen befolkning eller inga fall att dela med)".to_owned()
    } else {
        format!("Inget värde: {error}")
    }
}

fn band_bounds(ind: &super::definition::Indicator) -> (usize, usize) {
    let lo = ind.ages.min.map(|a| (a / 5) as usize).unwrap_or(0);
    let hi = ind
        .ages
        .max
        .map(|a| (a / 5) as usize)
        .unwrap_or(BANDS - 1)
        .min(BANDS - 1);
    (lo, hi.max(lo))
}

/// The parts of a unit that are not units (sex, age group): what the county is matched on.
pub(crate) fn county_parts(level: &Level, parts: &[String]) -> Vec<String> {
    level
        .dims
        .iter()
        .zip(parts)
        .filter(|(d, _)| !d.is_unit())
        .map(|(_, p)| p.clone())
        .collect()
}

/// Computes one indicator at one level without lights: rows sorted by unit and period.
fn compute_rows(ctx: &Ctx<'_>, ind: usize, level: &Level) -> Result<Vec<UnitRow>, IndicatorError> {
    let Some(indicator) = ctx.spec.indicators.get(ind) else {
        return Ok(Vec::new());
    };
    let accs = accumulate(ctx, ind, level)?;
    let caches = ctx.cache.borrow();
    let empty = LevelIndex::default();
    let index = caches.get(level).map_or(&empty, |c| &c.index);
    // ISR reference: pooled band rates per (non-unit parts, period).
    let mut references: HashMap<GroupKey, (Vec<f64>, Vec<f64>)> = HashMap::new();
    if indicator.measure == MeasureType::Isr {
        for ((id, p), acc) in &accs {
            let parts = index.values.get(*id as usize).cloned().unwrap_or_default();
            let e = references
                .entry((county_parts(level, &parts), *p))
                .or_insert_with(|| (vec![0.0; BANDS], vec![0.0; BANDS]));
            for (b, (x, n)) in acc.band_num.iter().zip(&acc.band_den).enumerate() {
                if let (Some(sx), Some(sn)) = (e.0.get_mut(b), e.1.get_mut(b)) {
                    *sx += x;
                    *sn += n;
                }
            }
        }
    }
    let rates: HashMap<(Vec<String>, Period), Vec<f64>> = references
        .into_iter()
        .map(|(k, (x, n))| {
            (
                k,
                x.iter()
                    .zip(&n)
                    .map(|(x, n)| if *n > 0.0 { x / n } else { 0.0 })
                    .collect(),
            )
        })
        .collect();
    let mut rows: Vec<UnitRow> = accs
        .iter()
        .map(|((id, p), acc)| {
            let parts = index.values.get(*id as usize).cloned().unwrap_or_default();
            let reference = rates
                .get(&(county_parts(level, &parts), *p))
                .map(Vec::as_slice);
            let s = statistic(indicator, acc, reference);
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
                reason: String::new(),
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

/// Adds lights and changes to a level's rows.
fn classify_rows(
    ctx: &Ctx<'_>,
    ind: usize,
    level: &Level,
    rows: &mut [UnitRow],
) -> Result<(), IndicatorError> {
    let Some(indicator) = ctx.spec.indicators.get(ind) else {
        return Ok(());
    };
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
                r.note.clone().unwrap_or_else(|| "Inget värde".to_owned()),
            ));
        }
        if r.cases < min {
            return Some(Classified::grey(format!(
                "För få fall: {} (minst {})",
                format_number(r.cases),
                format_number(min)
            )));
        }
        None
    };
    let lights: Vec<Classified> = match &indicator.light {
        LightRule::None => rows
            .iter()
            .map(|r| too_few(r).unwrap_or_else(|| Classified::grey("Ingen ljusregel vald")))
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
            let county: HashMap<(Vec<String>, Period), Option<f64>> = match against {
                Against::County => {
                    let county_level = level.county();
                    compute_rows(ctx, ind, &county_level)?
                        .into_iter()
                        .map(|r| ((r.keys, r.period_code), r.value))
                        .collect()
                }
                _ => HashMap::new(),
            };
            rows.iter()
                .map(|r| {
                    if let Some(g) = too_few(r) {
                        return g;
                    }
                    let (bench, default_name) = match against {
                        Against::Value(v) => (Some(*v), "riket"),
                        Against::County => (
                            county
                                .get(&(county_parts(level, &r.keys), r.period_code))
                                .copied()
                                .flatten(),
                            "länet",
                        ),
                        Against::Previous => (
                            level.period.and_then(|pd| {
                                let i =
                                    by_key.get(&(r.keys.clone(), r.period_code.previous(pd)))?;
                                rows.get(*i)?.value
                            }),
                            "föregående period",
                        ),
                    };
                    let Some(bench) = bench else {
                        return Classified::grey(format!(
                            "Inget värde för {default_name} att jämföra med"
                        ));
                    };
                    let name = name.as_deref().unwrap_or(default_name);
                    benchmark_light(&r.estimate, bench, name, polarity, *levels)
                })
                .collect()
        }
        LightRule::Quantiles {
            green_share,
            red_share,
        } => {
            let mut out: Vec<Classified> = rows.iter().map(|_| Classified::grey("")).collect();
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
                    return Classified::grey("En trend behöver en period i nivån");
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
    Ok(())
}

impl Compiled {
    /// The finish step: every indicator at every level, with lights, the county read-out and the
    /// hierarchy check.
    pub fn finish(&self, read: &[ReadSource], levels: &[Level]) -> Result<Results, IndicatorError> {
        let mut mappings = Mappings::default();
        let mut sources = HashMap::new();
        for r in read {
            for (from, to, pairs) in &r.mappings {
                mappings.insert(*from, *to, pairs.clone());
            }
            if let Some(d) = &r.data {
                sources.insert(r.name.as_str(), d);
            }
        }
        for name in self.data_names() {
            if !read.iter().any(|r| r.name == name) {
                return Err(IndicatorError::NoData(name));
            }
        }
        // A condition on an identifier singles out persons ("falls where person_id != X").
        for ind in &self.spec.indicators {
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
        let ctx = Ctx {
            spec: &self.spec,
            sources,
            mappings,
            cache: RefCell::new(HashMap::new()),
        };
        let mut tables = Vec::new();
        for (i, ind) in self.spec.indicators.iter().enumerate() {
            for level in levels {
                let mut rows = compute_rows(&ctx, i, level)?;
                classify_rows(&ctx, i, level, &mut rows)?;
                tables.push(LevelTable {
                    indicator: ind.id.clone(),
                    indicator_index: i,
                    level: level.clone(),
                    rows,
                });
            }
        }
        super::coverage::flag_partial(&mut tables, &self.spec.indicators, &ctx.sources);
        let mut hierarchy = Vec::new();
        for t in &tables {
            let county = compute_rows(&ctx, t.indicator_index, &t.level.county())?;
            hierarchy.extend(hierarchy_check::adds_up(t, &county));
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
        let spc = spc_series(&self.spec, &tables);
        let rollup_rows = rollup(&self.spec, &tables);
        let units = unit_summaries(&tables);
        Ok(Results {
            tables,
            spc,
            rollup: rollup_rows,
            units,
            hierarchy,
            problems: read
                .iter()
                .map(|r| (r.name.clone(), r.problems.clone()))
                .collect(),
            spec: std::sync::Arc::new(self.spec.clone()),
            suppression: Default::default(),
        })
    }
}

/// Control charts for shares (p) and rates (u) at levels by month or quarter: one per unit,
/// over its periods in order (methods.md §9).
fn spc_series(spec: &IndicatorSpec, tables: &[LevelTable]) -> Vec<SpcSeries> {
    let mut out = Vec::new();
    for t in tables {
        if !matches!(t.level.period, Some(Dim::Month) | Some(Dim::Quarter)) {
            continue;
        }
        let Some(ind) = spec.indicators.get(t.indicator_index) else {
            continue;
        };
        let kind = match ind.measure {
            MeasureType::Share => ChartKind::P,
            MeasureType::Rate => ChartKind::U,
            _ => continue,
        };
        // Rows are sorted by unit, then period.
        let mut start = 0;
        while start < t.rows.len() {
            let keys = &t.rows[start].keys;
            let end = t.rows[start..]
                .iter()
                .position(|r| &r.keys != keys)
                .map_or(t.rows.len(), |p| start + p);
            let rows = &t.rows[start..end];
            let chart = control_chart(
                kind,
                &rows
                    .iter()
                    .map(|r| (r.numerator, r.denominator))
                    .collect::<Vec<_>>(),
                ind.multiplier(),
            );
            out.push(SpcSeries {
                indicator: t.indicator.clone(),
                level: t.level.file_name(),
                keys: keys.clone(),
                kind,
                points: rows
                    .iter()
                    .map(|r| r.period.clone().unwrap_or_default())
                    .zip(chart)
                    .collect(),
            });
            start = end;
        }
    }
    out
}
