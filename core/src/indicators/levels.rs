//! Levels of reporting (län, kommun, DeSO, health centre, team, sex, age group, period) and the
//! hierarchies that lead from a row's codes to each level.
//!
//! Method source: SCB's codes (methods.md §6.3: a DeSO code starts with its kommun code, a kommun
//! code with its län code) and mapping files for what codes do not say (DeSO → health centre
//! catchment, health centre → team, kommun → sub-region). Every level is reached from the finest
//! cell, so higher levels are sums of the same cells (never averages of rates).

use std::collections::HashMap;

use super::definition::{MapFrom, MapTo, MappingSpec};
use crate::counts::with_file;
use crate::error::{Error, Location, Message, Problems};
use crate::ingest::{Dialect, Flow, RecordSink, Row};
use crate::row_checks::Refusal;

/// One dimension of a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    Lan,
    Subregion,
    Kommun,
    Deso,
    Provider,
    Team,
    Sex,
    AgeGroup,
    Year,
    Half,
    Quarter,
    Month,
}

impl Dim {
    /// The name used on the command line and as the CSV column.
    pub fn name(self) -> &'static str {
        match self {
            Dim::Lan => "lan",
            Dim::Subregion => "subregion",
            Dim::Kommun => "kommun",
            Dim::Deso => "deso",
            Dim::Provider => "provider",
            Dim::Team => "team",
            Dim::Sex => "sex",
            Dim::AgeGroup => "age_group",
            Dim::Year => "year",
            Dim::Half => "half_year",
            Dim::Quarter => "quarter",
            Dim::Month => "month",
        }
    }

    /// Parses a name (Swedish names accepted too).
    pub fn parse(s: &str) -> Option<Dim> {
        Some(match s.trim().to_lowercase().as_str() {
            "lan" | "län" | "county" | "region" => Dim::Lan,
            "subregion" | "delregion" | "nsv" | "narsjukvardsomrade" | "närsjukvårdsområde" => {
                Dim::Subregion
            }
            "kommun" | "municipality" => Dim::Kommun,
            "deso" => Dim::Deso,
            "provider" | "vardcentral" | "vårdcentral" | "utforare" | "utförare" | "hc" => {
                Dim::Provider
            }
            "team" => Dim::Team,
            "sex" | "kon" | "kön" => Dim::Sex,
            "age" | "age_group" | "alder" | "ålder" | "aldersgrupp" | "åldersgrupp" => {
                Dim::AgeGroup
            }
            "year" | "ar" | "år" => Dim::Year,
            "half" | "half_year" | "halvar" | "halvår" => Dim::Half,
            "quarter" | "kvartal" => Dim::Quarter,
            "month" | "manad" | "månad" => Dim::Month,
            _ => return None,
        })
    }

    /// Whether the dimension is geographic or organisational (a "unit" in the county read-out).
    pub fn is_unit(self) -> bool {
        matches!(
            self,
            Dim::Lan | Dim::Subregion | Dim::Kommun | Dim::Deso | Dim::Provider | Dim::Team
        )
    }

    /// Whether the dimension is a period.
    pub fn is_period(self) -> bool {
        matches!(self, Dim::Year | Dim::Half | Dim::Quarter | Dim::Month)
    }
}

/// A level: the dimensions results are broken down by, e.g. kommun × year.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Level {
    /// Non-period dimensions in the order given.
    pub dims: Vec<Dim>,
    /// At most one period dimension.
    pub period: Option<Dim>,
}

impl Level {
    /// Parses `kommun,year`. At most one period; no dimension twice.
    pub fn parse(s: &str) -> Result<Level, String> {
        let mut dims = Vec::new();
        let mut period = None;
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let d = Dim::parse(part).ok_or_else(|| {
                format!(
                    "unknown level '{}'; use lan, subregion, kommun, deso, provider, team, sex, age_group, year, half_year, quarter or month",
                    part.trim()
                )
            })?;
            if d.is_period() {
                if period.replace(d).is_some() {
                    return Err(format!("level '{s}' has more than one period"));
                }
            } else if dims.contains(&d) {
                return Err(format!("level '{s}' names {} twice", d.name()));
            } else {
                dims.push(d);
            }
        }
        Ok(Level { dims, period })
    }

    /// `kommun_year`, for file names.
    pub fn file_name(&self) -> String {
        self.columns().join("_")
    }

    /// Column names: the dimensions, then the period.
    pub fn columns(&self) -> Vec<&'static str> {
        self.dims
            .iter()
            .chain(self.period.iter())
            .map(|d| d.name())
            .collect()
    }

    /// The same level without unit dimensions: what "the county" means for it.
    pub fn county(&self) -> Level {
        Level {
            dims: self.dims.iter().copied().filter(|d| !d.is_unit()).collect(),
            period: self.period,
        }
    }
}

/// A period code: year and the number of the half-year, quarter or month (0 for a whole year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: u16,
    pub sub: u8,
}

impl Period {
    /// Sub-periods per year for a period dimension.
    pub fn per_year(dim: Dim) -> u8 {
        match dim {
            Dim::Half => 2,
            Dim::Quarter => 4,
            Dim::Month => 12,
            _ => 1,
        }
    }

    /// The period of a month (1–12) at the level's granularity.
    pub fn of_month(year: u16, month: u8, dim: Dim) -> Period {
        let sub = match dim {
            Dim::Half => (month.saturating_sub(1)) / 6 + 1,
            Dim::Quarter => (month.saturating_sub(1)) / 3 + 1,
            Dim::Month => month,
            _ => 0,
        };
        Period { year, sub }
    }

    /// The period before this one.
    pub fn previous(self, dim: Dim) -> Period {
        let k = Self::per_year(dim);
        if self.sub > 1 {
            Period {
                year: self.year,
                sub: self.sub - 1,
            }
        } else {
            Period {
                year: self.year.saturating_sub(1),
                sub: if k > 1 { k } else { 0 },
            }
        }
    }

    /// `2023`, `2023H1`, `2023Q2`, `2023-04`.
    pub fn label(self, dim: Dim) -> String {
        match dim {
            Dim::Half => format!("{}H{}", self.year, self.sub),
            Dim::Quarter => format!("{}Q{}", self.year, self.sub),
            Dim::Month => format!("{}-{:02}", self.year, self.sub),
            _ => self.year.to_string(),
        }
    }
}

/// The hierarchies read from mapping files.
#[derive(Debug, Clone, Default)]
pub struct Mappings {
    maps: HashMap<(MapFrom, MapTo), HashMap<String, String>>,
}

impl Mappings {
    /// The `to` value of `from`, if mapped.
    pub fn get(&self, from: MapFrom, to: MapTo, key: &str) -> Option<&str> {
        self.maps
            .get(&(from, to))
            .and_then(|m| m.get(key))
            .map(String::as_str)
    }

    /// Whether a mapping from → to was given.
    pub fn has(&self, from: MapFrom, to: MapTo) -> bool {
        self.maps.contains_key(&(from, to))
    }

    /// Adds a finished mapping.
    pub fn insert(&mut self, from: MapFrom, to: MapTo, pairs: HashMap<String, String>) {
        self.maps.entry((from, to)).or_default().extend(pairs);
    }
}

/// A plan reading one mapping file: `from_column` → `to_column`, every row checked; a value
/// mapped to two different targets is a problem (the first is kept).
#[derive(Debug)]
pub struct MappingPlan {
    pub spec: MappingSpec,
    cols: Option<(usize, usize)>,
    pub pairs: HashMap<String, String>,
}

impl MappingPlan {
    pub fn new(spec: MappingSpec) -> Self {
        MappingPlan {
            spec,
            cols: None,
            pairs: HashMap::new(),
        }
    }
}

/// Finds a column by name (exact, then trimmed case-insensitive).
pub fn find_column(names: &[String], wanted: &str) -> Option<usize> {
    names.iter().position(|n| n == wanted).or_else(|| {
        names
            .iter()
            .position(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
    })
}

impl RecordSink for MappingPlan {
    fn columns(&mut self, names: &[String], _dialect: &Dialect) -> Result<(), Error> {
        let find = |c: &str| {
            find_column(names, c).ok_or_else(|| Error::MissingColumn {
                at: Location::file(""),
                wanted: Box::new(Message::both(
                    format!("the mapping column '{c}'"),
                    format!("mappningskolumnen '{c}'"),
                )),
                found: names.join(", "),
            })
        };
        self.cols = Some((find(&self.spec.from_column)?, find(&self.spec.to_column)?));
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        if self.cols.is_none() {
            return Flow::Stop;
        }
        // A refused row is counted by the file's plan (`Plan`), which asks `map_row` itself.
        let _ = self.map_row(row, problems);
        Flow::Continue
    }
}

impl MappingPlan {
    /// Takes one row's pair; a row whose values are empty or unreadable is refused.
    pub fn map_row(&mut self, row: &Row<'_>, problems: &mut Problems) -> Result<(), Refusal> {
        let Some((f, t)) = self.cols else {
            return Ok(());
        };
        let (from, to) = match (row.text(f), row.text(t)) {
            (Ok(Some(a)), Ok(Some(b))) if !a.trim().is_empty() && !b.trim().is_empty() => {
                (a.trim().to_owned(), b.trim().to_owned())
            }
            _ => {
                problems.error(
                    Location::row(row.file, row.row()),
                    Message::both(
                        "the mapping row has an empty or unreadable value; the row is skipped",
                        "raden i kopplingsfilen har ett tomt eller oläsligt värde; raden hoppas över",
                    ),
                );
                return Err(Refusal::Mapping);
            }
        };
        match self.pairs.get(&from) {
            Some(old) if *old != to => problems.error(
                row.at(t),
                Message::both(
                    format!("'{from}' is already mapped to '{old}'; '{to}' is ignored"),
                    format!("'{from}' är redan kopplat till '{old}'; '{to}' ignoreras"),
                ),
            ),
            Some(_) => {}
            None => {
                self.pairs.insert(from, to);
            }
        }
        Ok(())
    }
}

/// Puts the file name into an error of a mapping plan.
pub fn mapping_error(e: Error, file: &str) -> Error {
    with_file(e, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_name_files() {
        let l = Level::parse("kommun,år,kön").unwrap();
        assert_eq!(l.dims, vec![Dim::Kommun, Dim::Sex]);
        assert_eq!(l.period, Some(Dim::Year));
        assert_eq!(l.file_name(), "kommun_sex_year");
        assert_eq!(l.county().dims, vec![Dim::Sex]);
        assert!(Level::parse("kommun,year,month").is_err());
        assert!(Level::parse("planet")
            .unwrap_err()
            .contains("unknown level 'planet'"));
    }

    #[test]
    fn periods_step_back_over_the_new_year() {
        let q1 = Period::of_month(2023, 2, Dim::Quarter);
        assert_eq!(q1.label(Dim::Quarter), "2023Q1");
        assert_eq!(q1.previous(Dim::Quarter).label(Dim::Quarter), "2022Q4");
        assert_eq!(
            Period::of_month(2023, 7, Dim::Half).label(Dim::Half),
            "2023H2"
        );
        let y = Period { year: 2023, sub: 0 };
        assert_eq!(y.previous(Dim::Year).label(Dim::Year), "2022");
    }
}
