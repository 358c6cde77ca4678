//! The mapping of a source's finest cells to a level's units: which unit (the level's
//! non-period parts: area, health centre, team, sex, age group …) and which period slot each
//! cell falls in, with the mapping files (DeSO → health centre → team or kommun, kommun →
//! sub-region). A level's units are interned once for all sources, and each source's cells are
//! mapped to a level once for every indicator that reads them.
//!
//! A source with years only (a population table) at a finer period is spread over the year's
//! sub-periods ([`Slot::Spread`]: person-time, each its share of the year).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::hashing::FxBuild;

use super::definition::{AgeGroup, MapFrom, MapTo};
use super::levels::{Dim, Level, Mappings, Period};
use super::plan::{sex_label, CellKey, GeoKind, Side, SourceData, NO_BAND, NO_PROVIDER};
use crate::standard_pop::bands::{band_label, band_start};

/// The value written for a unit a mapping file does not cover.
pub const UNMAPPED: &str = "(saknas)";

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

/// The period a cell's sums go to at a level.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot {
    At(Period),
    /// A year-only row at a finer period: spread over the year's sub-periods.
    Spread(u16),
}

/// Per level: unit parts interned, shared by all sources.
#[derive(Debug, Default)]
struct LevelIndex {
    ids: HashMap<Vec<String>, u32, FxBuild>,
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

/// Each cell's unit and period slot, or what the source lacks for the level.
pub(crate) type CellUnits = Result<Rc<Vec<(u32, Slot)>>, String>;

/// Per level: the units interned, and each source's cells mapped to them once.
#[derive(Debug, Default)]
struct UnitCache {
    index: LevelIndex,
    /// (source, side) → the unit and period slot of every cell, or what the source lacks.
    maps: HashMap<(String, Side), CellUnits>,
}

/// The units of every level of one run: the spec's age groups, the mapping files read, and
/// what has been mapped so far.
pub(crate) struct Units<'a> {
    age_groups: &'a [AgeGroup],
    mappings: Mappings,
    cache: RefCell<HashMap<Level, UnitCache>>,
}

impl<'a> Units<'a> {
    pub(crate) fn new(age_groups: &'a [AgeGroup], mappings: Mappings) -> Self {
        Units {
            age_groups,
            mappings,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// The unit and period slot of every cell of `src` (read for `side`) at `level`, or what
    /// the source lacks for the level; worked out once per source, side and level, for all
    /// indicators.
    pub(crate) fn cells(&self, src: &SourceData, side: Side, level: &Level) -> CellUnits {
        let mut caches = self.cache.borrow_mut();
        let cache = caches.entry(level.clone()).or_default();
        let key = (src.name.clone(), side);
        if let Some(done) = cache.maps.get(&key) {
            return done.clone();
        }
        let mut map = Vec::with_capacity(src.cells.len());
        let mut failed = None;
        // A unit depends on a cell's area, health centre, sex and band, not its period: worked
        // out once per such combination (a year's cells share it with every other year's).
        let mut memo: HashMap<(u32, u32, u8, u8), u32, FxBuild> = HashMap::default();
        for cell in &src.cells {
            let key = (cell.geo, cell.provider, cell.sex, cell.band);
            let unit = match memo.get(&key) {
                Some(&id) => Ok(id),
                None => self.cell_parts(src, cell, level).map(|parts| {
                    let id = cache.index.intern(parts);
                    memo.insert(key, id);
                    id
                }),
            };
            match unit.and_then(|id| Ok((id, Self::cell_slot(src, cell, level, side)?))) {
                Ok(entry) => map.push(entry),
                Err(what) => {
                    failed = Some(what);
                    break;
                }
            }
        }
        let done = failed.map_or_else(|| Ok(Rc::new(map)), Err);
        cache.maps.insert(key, done.clone());
        done
    }

    /// The parts of unit `id` at `level` (empty for an id never given out).
    pub(crate) fn parts(&self, level: &Level, id: u32) -> Vec<String> {
        self.cache
            .borrow()
            .get(level)
            .and_then(|c| c.index.values.get(id as usize))
            .cloned()
            .unwrap_or_default()
    }

    fn age_group(&self, band: u8) -> String {
        let label = band_label(band);
        if self.age_groups.is_empty() {
            return label.to_owned();
        }
        let lower = band_start(band);
        self.age_groups
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

    /// A unit through a mapping file: the value `key` maps to ([`UNMAPPED`] when the file does
    /// not have it), or what is missing: the mapping, or the key's column.
    fn mapped(
        &self,
        (from, to, mapping): (MapFrom, MapTo, &str),
        key: impl FnOnce() -> Option<String>,
        column: &str,
    ) -> Result<String, String> {
        if !self.mappings.has(from, to) {
            return Err(format!("a mapping {mapping}"));
        }
        let k = key().ok_or(column)?;
        Ok(self
            .mappings
            .get(from, to, &k)
            .unwrap_or(UNMAPPED)
            .to_owned())
    }

    /// The unit parts of a cell at a level; `Err(what is missing)`.
    fn cell_parts(
        &self,
        src: &SourceData,
        cell: &CellKey,
        level: &Level,
    ) -> Result<Vec<String>, String> {
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
                    Dim::Subregion => Some(self.mapped(
                        (MapFrom::Kommun, MapTo::Subregion, "kommun → subregion"),
                        || self.kommun(src, cell),
                        "a kommun or DeSO column",
                    )?),
                    Dim::Provider => match self.provider(src, cell) {
                        Some(p) => Some(p),
                        None => return Err(
                            "a provider column (or a DeSO column and a mapping deso → provider)"
                                .into(),
                        ),
                    },
                    Dim::Team => Some(self.mapped(
                        (MapFrom::Provider, MapTo::Team, "provider → team"),
                        || self.provider(src, cell),
                        "a provider column",
                    )?),
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
        Ok(parts)
    }

    /// The period slot of a cell at a level; `Err(what is missing)`.
    fn cell_slot(
        src: &SourceData,
        cell: &CellKey,
        level: &Level,
        side: Side,
    ) -> Result<Slot, String> {
        Ok(match level.period {
            None => Slot::At(Period { year: 0, sub: 0 }),
            Some(_) if !src.has_period => return Err("a year or date column".into()),
            Some(Dim::Year) => Slot::At(Period {
                year: cell.year,
                sub: 0,
            }),
            Some(p) if src.has_month => Slot::At(Period::of_month(cell.year, cell.month, p)),
            Some(_) if side == Side::Denominator => Slot::Spread(cell.year),
            Some(_) => return Err("a date column (for periods shorter than a year)".into()),
        })
    }
}
