//! The streaming plan of one data source: every indicator that counts or sums rows of the source
//! is served by one pass over it.
//!
//! Method source: PHEindicatormethods sums numerators and denominators within the finest groups
//! before computing (methods.md §1.2, §12). Each row's keys (area, health centre, period, sex,
//! 5-year age band) are read once and interned to a dense cell id; each indicator side whose
//! conditions match adds to flat arrays indexed by that cell. Memory grows with the number of
//! distinct cells, never with rows. A row with a bad key is skipped with a problem naming file,
//! row and column; a bad value to sum skips that row for that indicator only.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::hashing::FxBuild;

use super::definition::{CondValue, Condition, Op, SourceSpec};
use super::levels::find_column;
use crate::areas::{check_deso, check_kommun};
use crate::counts::parse_number;
use crate::error::{Error, Location, Problems};
use crate::ingest::{Decimal, Dialect, Flow, ReadStats, RecordSink, Row};
use crate::standard_pop::{esp2013, normalise_band};

/// The 5-year bands every source is read into (ESP2013's 19 bands, `0-4` … `90+`).
pub const BANDS: usize = esp2013::BANDS.len();
/// Band id of a row without age.
pub const NO_BAND: u8 = u8::MAX;
/// Provider id of a row without a provider.
pub const NO_PROVIDER: u32 = u32::MAX;

/// The finest geography a source has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoKind {
    Deso,
    Kommun,
    Lan,
    None,
}

/// The finest cell of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellKey {
    /// Interned area code (`NO_PROVIDER`-like `u32::MAX` when the source has no area).
    pub geo: u32,
    pub provider: u32,
    pub year: u16,
    /// 1–12, or 0 when the source has years only.
    pub month: u8,
    /// 0 not given, 1 woman (K), 2 man (M).
    pub sex: u8,
    pub band: u8,
}

/// Which side of an indicator a measure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Side {
    #[default]
    Numerator,
    Denominator,
}

/// One indicator side that reads this source.
#[derive(Debug, Clone)]
pub struct SideRequest {
    pub indicator: usize,
    pub indicator_id: String,
    pub side: Side,
    pub conditions: Vec<Condition>,
    pub sum: Option<String>,
    /// Bands (inclusive) the indicator covers.
    pub bands: (u8, u8),
    /// Keep Σ value² per cell (means).
    pub need_sq: bool,
}

#[derive(Debug, Clone)]
enum Test {
    NumCmp(Op, f64),
    TextEq(String),
    TextNe(String),
    InList(Vec<String>),
}

#[derive(Debug, Clone)]
struct CompiledSide {
    conditions: Vec<(usize, Test)>,
    sum: Option<usize>,
    bands: (u8, u8),
}

/// The sums of one indicator side per cell.
#[derive(Debug, Clone, Default)]
pub struct SideSums {
    pub indicator: usize,
    pub side: Side,
    /// Σ value (rows counted as 1).
    pub sum: Vec<f64>,
    /// Σ value², for means (empty otherwise).
    pub sum_sq: Vec<f64>,
    /// Matching rows, when a column is summed (empty otherwise: then rows = `sum`).
    pub rows: Vec<f64>,
    pub need_sq: bool,
    pub need_rows: bool,
}

impl SideSums {
    /// Matching rows in cell `i`.
    pub fn rows_at(&self, i: usize) -> f64 {
        if self.need_rows {
            self.rows.get(i).copied().unwrap_or(0.0)
        } else {
            self.sum.get(i).copied().unwrap_or(0.0)
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct KeyCols {
    deso: Option<usize>,
    kommun: Option<usize>,
    lan: Option<usize>,
    provider: Option<usize>,
    year: Option<usize>,
    date: Option<usize>,
    sex: Option<usize>,
    age: Option<usize>,
    age_band: Option<usize>,
}

/// The finished sums of one source.
#[derive(Debug, Clone)]
pub struct SourceData {
    pub name: String,
    pub geo_kind: GeoKind,
    pub has_provider: bool,
    pub has_month: bool,
    pub has_period: bool,
    pub has_sex: bool,
    pub has_band: bool,
    pub geos: Vec<String>,
    pub providers: Vec<String>,
    pub cells: Vec<CellKey>,
    pub sides: Vec<SideSums>,
    pub stats: ReadStats,
    pub skipped_rows: u64,
    pub problems: Problems,
}

/// The [`RecordSink`] of one source.
#[derive(Debug)]
pub struct SourcePlan {
    name: String,
    spec: SourceSpec,
    requests: Vec<SideRequest>,
    compiled: Vec<CompiledSide>,
    cols: KeyCols,
    decimal: Decimal,
    geo_ids: HashMap<Box<str>, u32, FxBuild>,
    geos: Vec<Box<str>>,
    provider_ids: HashMap<Box<str>, u32, FxBuild>,
    providers: Vec<Box<str>>,
    cell_ids: HashMap<CellKey, u32, FxBuild>,
    cells: Vec<CellKey>,
    sums: Vec<SideSums>,
    skipped: u64,
    matched: Vec<Option<f64>>,
    keep_months: bool,
}

impl SourcePlan {
    /// A plan for source `name` serving `requests`.
    pub fn new(
        name: &str,
        spec: SourceSpec,
        requests: Vec<SideRequest>,
        keep_months: bool,
    ) -> Self {
        let sums = requests
            .iter()
            .map(|r| SideSums {
                indicator: r.indicator,
                side: r.side,
                need_sq: r.need_sq,
                need_rows: r.sum.is_some(),
                ..SideSums::default()
            })
            .collect();
        SourcePlan {
            name: name.to_owned(),
            spec,
            matched: vec![None; requests.len()],
            requests,
            compiled: Vec::new(),
            cols: KeyCols::default(),
            decimal: Decimal::Point,
            geo_ids: HashMap::default(),
            geos: Vec::new(),
            provider_ids: HashMap::default(),
            providers: Vec::new(),
            cell_ids: HashMap::default(),
            cells: Vec::new(),
            sums,
            skipped: 0,
            keep_months,
        }
    }

    fn geo_kind(&self) -> GeoKind {
        if self.spec.deso.is_some() {
            GeoKind::Deso
        } else if self.spec.kommun.is_some() {
            GeoKind::Kommun
        } else if self.spec.lan.is_some() {
            GeoKind::Lan
        } else {
            GeoKind::None
        }
    }

    /// The finished sums.
    pub fn finish(self, stats: ReadStats, problems: Problems) -> SourceData {
        let geo_kind = self.geo_kind();
        SourceData {
            name: self.name,
            geo_kind,
            has_provider: self.spec.provider.is_some(),
            has_month: self.spec.date.is_some() && self.keep_months,
            has_period: self.spec.date.is_some() || self.spec.year.is_some(),
            has_sex: self.spec.sex.is_some(),
            has_band: self.spec.age.is_some() || self.spec.age_band.is_some(),
            geos: self.geos.iter().map(|s| s.to_string()).collect(),
            providers: self.providers.iter().map(|s| s.to_string()).collect(),
            cells: self.cells,
            sides: self.sums,
            stats,
            skipped_rows: self.skipped,
            problems,
        }
    }

    fn key_text<'r>(
        row: &Row<'r>,
        c: usize,
        what: &str,
        problems: &mut Problems,
    ) -> Option<Cow<'r, str>> {
        match row.text(c) {
            Ok(Some(Cow::Borrowed(t))) if !t.trim().is_empty() => Some(Cow::Borrowed(t.trim())),
            Ok(Some(t)) if !t.trim().is_empty() => Some(t),
            Ok(_) => {
                problems.error(
                    row.at(c),
                    format!("the {what} is empty; the row is skipped"),
                );
                None
            }
            Err(m) => {
                problems.error(row.at(c), format!("{m}; the row is skipped"));
                None
            }
        }
    }

    fn intern(
        ids: &mut HashMap<Box<str>, u32, FxBuild>,
        values: &mut Vec<Box<str>>,
        v: &str,
    ) -> Option<u32> {
        if let Some(&id) = ids.get(v) {
            return Some(id);
        }
        let id = u32::try_from(values.len()).ok().filter(|&i| i < u32::MAX)?;
        ids.insert(v.into(), id);
        values.push(v.into());
        Some(id)
    }

    /// The cell of a row, or `None` (with a problem) when a key is bad.
    fn cell_key(&mut self, row: &Row<'_>, problems: &mut Problems) -> Option<CellKey> {
        let c = self.cols;
        let geo = if let Some(i) = c.deso {
            let t = Self::key_text(row, i, "DeSO code", problems)?;
            // A code seen before was checked then: look it up first.
            if let Some(&id) = self.geo_ids.get(t.trim()) {
                id
            } else {
                // `check_deso` returns the kommun; the area is the DeSO code itself.
                match check_deso(t.trim()) {
                    Ok(_) => Self::intern(&mut self.geo_ids, &mut self.geos, t.trim())?,
                    Err(m) => {
                        problems.error(row.at(i), format!("{m}; the row is skipped"));
                        return None;
                    }
                }
            }
        } else if let Some(i) = c.kommun {
            let t = Self::key_text(row, i, "kommun code", problems)?;
            match check_kommun(t.trim()) {
                Ok(code) => Self::intern(&mut self.geo_ids, &mut self.geos, code.as_str())?,
                Err(m) => {
                    problems.error(row.at(i), format!("{m}; the row is skipped"));
                    return None;
                }
            }
        } else if let Some(i) = c.lan {
            let t = Self::key_text(row, i, "län code", problems)?;
            let t = t.trim();
            if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
                problems.error(
                    row.at(i),
                    format!("'{t}' is not a län code (two digits, e.g. 24); the row is skipped"),
                );
                return None;
            }
            Self::intern(&mut self.geo_ids, &mut self.geos, t)?
        } else {
            u32::MAX
        };
        let provider = match c.provider {
            Some(i) => {
                let t = Self::key_text(row, i, "health centre", problems)?;
                Self::intern(&mut self.provider_ids, &mut self.providers, t.trim())?
            }
            None => NO_PROVIDER,
        };
        let (year, month) = if let Some(i) = c.date {
            let t = Self::key_text(row, i, "date", problems)?;
            match parse_date(t.trim()) {
                Some((y, m)) => (y, if self.keep_months { m } else { 0 }),
                None => {
                    problems.error(
                        row.at(i),
                        format!(
                            "'{}' is not a date like 2023-04-17; the row is skipped",
                            t.trim()
                        ),
                    );
                    return None;
                }
            }
        } else if let Some(i) = c.year {
            let t = Self::key_text(row, i, "year", problems)?;
            match parse_year(t.trim()) {
                Some(y) => (y, 0),
                None => {
                    problems.error(
                        row.at(i),
                        format!("'{}' is not a year like 2023; the row is skipped", t.trim()),
                    );
                    return None;
                }
            }
        } else {
            (0, 0)
        };
        let sex = match c.sex {
            Some(i) => {
                let t = Self::key_text(row, i, "sex", problems)?;
                match parse_sex(t.trim()) {
                    Some(s) => s,
                    None => {
                        problems.error(
                            row.at(i),
                            format!(
                                "'{}' is not a sex; write K (kvinna) or M (man); the row is skipped",
                                t.trim()
                            ),
                        );
                        return None;
                    }
                }
            }
            None => 0,
        };
        let band = if let Some(i) = c.age {
            let t = Self::key_text(row, i, "age", problems)?;
            match parse_number(&t, self.decimal).filter(|a| (0.0..=130.0).contains(a)) {
                // In range 0..=130, so the truncation to a band is exact.
                Some(a) => ((a as u32 / 5).min(BANDS as u32 - 1)) as u8,
                None => {
                    problems.error(
                        row.at(i),
                        format!(
                            "'{}' is not an age from 0 to 130; the row is skipped",
                            t.trim()
                        ),
                    );
                    return None;
                }
            }
        } else if let Some(i) = c.age_band {
            let t = Self::key_text(row, i, "age band", problems)?;
            match band_of_label(&t) {
                Some(b) => b,
                None => {
                    problems.error(
                        row.at(i),
                        format!(
                            "'{}' is not a 5-year age band (0-4, 5-9, …, 85-89, 90+); the row is skipped",
                            t.trim()
                        ),
                    );
                    return None;
                }
            }
        } else {
            NO_BAND
        };
        Some(CellKey {
            geo,
            provider,
            year,
            month,
            sex,
            band,
        })
    }

    fn test(&self, row: &Row<'_>, col: usize, test: &Test) -> bool {
        let Ok(Some(t)) = row.text(col) else {
            return false;
        };
        let t = t.trim();
        match test {
            Test::TextEq(v) => t == v,
            Test::TextNe(v) => t != v,
            Test::InList(vs) => vs.iter().any(|v| v == t),
            Test::NumCmp(op, v) => match parse_number(t, self.decimal) {
                None => false,
                Some(x) => match op {
                    Op::Eq => x == *v,
                    Op::Ne => x != *v,
                    Op::Lt => x < *v,
                    Op::Le => x <= *v,
                    Op::Gt => x > *v,
                    Op::Ge => x >= *v,
                    Op::In => false,
                },
            },
        }
    }
}

/// `2023-04-17` (or `2023-04`) → (2023, 4).
pub fn parse_date(s: &str) -> Option<(u16, u8)> {
    let mut parts = s.split(['-', '/']);
    let year = parse_year(parts.next()?)?;
    let month: u8 = parts.next()?.trim().parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

/// A year 1900–2199.
pub fn parse_year(s: &str) -> Option<u16> {
    let y: u16 = s.trim().parse().ok()?;
    (1900..2200).contains(&y).then_some(y)
}

/// K/F/kvinna/woman/2 → 1, M/man/1 → 2 (SCB codes women 2, men 1).
pub fn parse_sex(s: &str) -> Option<u8> {
    // The common one-letter codes without allocating (this runs for every row).
    match s {
        "K" | "k" | "F" | "f" => return Some(1),
        "M" | "m" => return Some(2),
        _ => {}
    }
    match s.to_lowercase().as_str() {
        "k" | "f" | "kvinna" | "kvinnor" | "woman" | "women" | "female" | "2" => Some(1),
        "m" | "man" | "män" | "men" | "male" | "1" => Some(2),
        _ => None,
    }
}

/// The sex code as written in results.
pub fn sex_label(s: u8) -> &'static str {
    match s {
        1 => "K",
        2 => "M",
        _ => "alla",
    }
}

/// The 5-year band of a label (`65-69`, `65–69`, `90+`, `95+` → 90+).
pub fn band_of_label(label: &str) -> Option<u8> {
    let n = normalise_band(label);
    if let Some(p) = esp2013::BANDS.iter().position(|b| *b == n) {
        return u8::try_from(p).ok();
    }
    // `95+`, `100+`: the open top band.
    let open = n.strip_suffix('+')?;
    let age: u32 = open.parse().ok()?;
    (age >= 90).then_some(BANDS as u8 - 1)
}

/// The band range for ages `min`..=`max`; both must be band edges.
pub fn band_range(min: Option<u32>, max: Option<u32>) -> Result<(u8, u8), String> {
    let lo = match min {
        None => 0,
        Some(a) if a % 5 == 0 && a <= 90 => (a / 5) as u8,
        Some(a) => {
            return Err(format!(
                "ages.min {a} is not the start of a 5-year band (0, 5, …, 90)"
            ))
        }
    };
    let hi = match max {
        None => BANDS as u8 - 1,
        Some(a) if a % 5 == 4 && a < 90 => (a / 5) as u8,
        Some(a) => {
            return Err(format!(
                "ages.max {a} is not the end of a 5-year band (4, 9, …, 89)"
            ))
        }
    };
    if lo > hi {
        return Err("ages.min is above ages.max".to_owned());
    }
    Ok((lo, hi))
}

impl RecordSink for SourcePlan {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.decimal = dialect.decimal;
        let source = self.name.clone();
        let find = |field: &str, column: &Option<String>| -> Result<Option<usize>, Error> {
            match column {
                None => Ok(None),
                Some(c) => find_column(names, c)
                    .map(Some)
                    .ok_or_else(|| Error::MissingColumn {
                        at: Location::file(""),
                        wanted: format!("the column '{c}' given as sources.{source}.{field}"),
                        found: names.join(", "),
                    }),
            }
        };
        let s = &self.spec;
        self.cols = KeyCols {
            deso: find("deso", &s.deso)?,
            kommun: find("kommun", &s.kommun)?,
            lan: find("lan", &s.lan)?,
            provider: find("provider", &s.provider)?,
            year: find("year", &s.year)?,
            date: find("date", &s.date)?,
            sex: find("sex", &s.sex)?,
            age: find("age", &s.age)?,
            age_band: find("age_band", &s.age_band)?,
        };
        let mut compiled = Vec::with_capacity(self.requests.len());
        for r in &self.requests {
            let side = match r.side {
                Side::Numerator => "numerator",
                Side::Denominator => "denominator",
            };
            let missing = |what: &str, c: &str| Error::MissingColumn {
                at: Location::file(""),
                wanted: format!(
                    "the column '{c}' of indicator '{}' ({side}.{what})",
                    r.indicator_id
                ),
                found: names.join(", "),
            };
            let mut conditions = Vec::with_capacity(r.conditions.len());
            for cond in &r.conditions {
                let col = find_column(names, &cond.column)
                    .ok_or_else(|| missing("where", &cond.column))?;
                let test = compile_test(cond).map_err(|m| Error::Unreadable {
                    at: Location::file(""),
                    message: format!(
                        "indicator '{}', {side}.where on '{}': {m}",
                        r.indicator_id, cond.column
                    ),
                })?;
                conditions.push((col, test));
            }
            let sum = match &r.sum {
                Some(c) => Some(find_column(names, c).ok_or_else(|| missing("sum", c))?),
                None => None,
            };
            compiled.push(CompiledSide {
                conditions,
                sum,
                bands: r.bands,
            });
        }
        self.compiled = compiled;
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        let Some(key) = self.cell_key(row, problems) else {
            self.skipped += 1;
            return Flow::Continue;
        };
        let mut any = false;
        let mut matched = std::mem::take(&mut self.matched);
        for (slot, side) in matched.iter_mut().zip(&self.compiled) {
            *slot = None;
            if key.band != NO_BAND && (key.band < side.bands.0 || key.band > side.bands.1) {
                continue;
            }
            if !side.conditions.iter().all(|(c, t)| self.test(row, *c, t)) {
                continue;
            }
            let value = match side.sum {
                None => Some(1.0),
                Some(c) => {
                    match row.text(c) {
                        Ok(Some(t)) => match parse_number(&t, self.decimal) {
                            Some(v) if v >= 0.0 => Some(v),
                            _ => {
                                problems.error(
                                row.at(c),
                                format!("'{}' is not a number of zero or more; the row is not summed here", t.trim()),
                            );
                                None
                            }
                        },
                        _ => {
                            problems.error(row.at(c), "the value to sum is missing or unreadable; the row is not summed here");
                            None
                        }
                    }
                }
            };
            if value.is_some() {
                any = true;
            }
            *slot = value;
        }
        if any {
            let id = match self.cell_ids.get(&key) {
                Some(&id) => Some(id as usize),
                None => u32::try_from(self.cells.len()).ok().map(|id| {
                    self.cell_ids.insert(key, id);
                    self.cells.push(key);
                    for s in &mut self.sums {
                        s.sum.push(0.0);
                        if s.need_sq {
                            s.sum_sq.push(0.0);
                        }
                        if s.need_rows {
                            s.rows.push(0.0);
                        }
                    }
                    id as usize
                }),
            };
            if let Some(id) = id {
                for (v, s) in matched.iter().zip(&mut self.sums) {
                    let Some(v) = v else { continue };
                    if let Some(a) = s.sum.get_mut(id) {
                        *a += v;
                    }
                    if let Some(q) = s.sum_sq.get_mut(id) {
                        *q += v * v;
                    }
                    if let Some(n) = s.rows.get_mut(id) {
                        *n += 1.0;
                    }
                }
            }
        }
        self.matched = matched;
        Flow::Continue
    }
}

fn compile_test(c: &Condition) -> Result<Test, String> {
    let as_number = |v: &CondValue| -> Option<f64> {
        match v {
            CondValue::Number(x) => Some(*x),
            CondValue::Text(t) => parse_number(t, Decimal::Point),
            CondValue::List(_) => None,
        }
    };
    Ok(match (c.op, &c.value) {
        (Op::In, CondValue::List(vs)) => {
            Test::InList(vs.iter().map(|v| v.trim().to_owned()).collect())
        }
        (Op::In, _) => return Err("'in' needs a list of values".into()),
        (_, CondValue::List(_)) => return Err("a list of values needs the operator 'in'".into()),
        (Op::Eq, CondValue::Text(t)) => Test::TextEq(t.trim().to_owned()),
        (Op::Ne, CondValue::Text(t)) => Test::TextNe(t.trim().to_owned()),
        (op, v) => match as_number(v) {
            Some(x) => Test::NumCmp(op, x),
            None => return Err("comparing with <, <=, > or >= needs a number".into()),
        },
    })
}

/// Only used in messages: which source a side reads.
pub fn side_name(side: Side) -> &'static str {
    match side {
        Side::Numerator => "numerator",
        Side::Denominator => "denominator",
    }
}
