//! The streaming plan of one data source: every indicator that counts or sums rows of the source
//! is served by one pass over it.
//!
//! Method source: PHEindicatormethods sums numerators and denominators within the finest groups
//! before computing (methods.md §1.2, §12). Each row's keys (area, health centre, period, sex,
//! 5-year age band) are read once and interned to a dense cell id; each indicator side whose
//! conditions match adds to flat arrays indexed by that cell. Memory grows with the number of
//! distinct cells, and with rows only by the exact-duplicate check's hash, about 16 bytes a row
//! (as much again for a contract's row id; none with `allow_duplicate_rows`).
//!
//! Every row is accounted for (issue 10, [`RowLedger`]): a row is used only if it has the
//! header's shape, is not an exact copy of an earlier row, keeps the data cell's contract
//! ([`crate::contract`]), has readable keys that pass the default checks of
//! [`crate::row_checks`] (kommun one of SCB's and that of the DeSO code, year that of the date,
//! age a whole number 0–120, sex K or M), and every condition it meets and value it sums can be
//! read. Otherwise it is refused as a whole, with a located problem (a condition's unreadable
//! value once per distinct value, with its count of rows), and counted under a value-free reason.
//! Conditions on text are tested before numeric ones, so a numeric value is only needed on rows
//! whose text conditions match. The months seen per year are kept, so a year at the edge of the
//! data that it covers only in part (an extract ending in March) is flagged.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::hashing::FxBuild;

use super::cells::same_sides;
pub use super::cells::{
    CellKey, GeoKind, Side, SideRequest, SideSums, BANDS, NO_BAND, NO_PROVIDER,
};
use super::cube::{Cube, Reread};
use super::definition::{CondValue, Condition, Op, SourceSpec};
use super::levels::find_column;
use crate::contract::{Contract, ContractCheck};
use crate::counts::parse_number;
use crate::error::{Error, Location, Message, Problems};
use crate::ingest::ranges::{MergeRanges, OnePass};
use crate::ingest::{Decimal, Dialect, Flow, ReadStats, RecordSink, Row};
use crate::ledger::{self, RowLedger, Seen, SeenRows, DUPLICATE_ROW, DUPLICATE_ROW_SV};
use crate::row_checks::{self as checks, Breach, Refusal};
use crate::standard_pop::bands::{band_of_age, band_of_label};
use crate::table::roles::{Role, RoleChoices};

pub use crate::row_checks::parse_sex;

#[derive(Debug, Clone)]
enum Test {
    NumCmp(Op, f64),
    TextEq(String),
    TextNe(String),
    InList(Vec<String>),
}

#[derive(Debug, Clone)]
struct CompiledSide {
    /// Column, condition (for messages) and test; text tests first.
    conditions: Vec<(usize, Condition, Test)>,
    /// Per condition: its column's place among the cube's tested columns and its memo.
    lookup: Vec<(usize, usize)>,
    sum: Option<usize>,
    bands: (u8, u8),
}

/// Columns checked by default for their role, keys or not (a `kommun` column beside the DeSO
/// key must agree with it).
#[derive(Debug, Clone, Copy, Default)]
struct RoleCols {
    deso: Option<usize>,
    kommun: Option<usize>,
    year: Option<usize>,
    date: Option<usize>,
    sex: Option<usize>,
    age: Option<usize>,
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
    /// The source has dates (so months, when a level needs them).
    pub has_date: bool,
    pub has_sex: bool,
    pub has_band: bool,
    pub geos: Vec<String>,
    pub providers: Vec<String>,
    pub cells: Vec<CellKey>,
    pub sides: Vec<SideSums>,
    pub stats: ReadStats,
    pub skipped_rows: u64,
    pub problems: Problems,
    /// Rows read, used and refused by reason.
    pub rows: RowLedger,
    /// Years the dates cover only in part, at the start or end of the data: year and the
    /// months covered (bit 0 January), from the first to the last month seen.
    pub partial_years: Vec<(u16, u16)>,
    /// Columns a condition tests that hold a different value in nearly every used row
    /// (identifiers), with their distinct values: such conditions are refused.
    pub identifiers: Vec<(String, u64)>,
    /// Every used row by finest cell and tested values: other conditions, age ranges and
    /// periods are answered from it ([`SourceData::for_requests`]).
    pub cube: std::sync::Arc<Cube>,
    /// The sides `cells` and `sides` were made for.
    pub requests: Vec<SideRequest>,
}

impl SourceData {
    /// Whether [`SourceData::for_requests`] would answer, without deriving anything.
    pub fn answers(&self, requests: &[SideRequest], months: bool) -> Result<(), Reread> {
        let months = months && self.has_date;
        if same_sides(&self.requests, requests, true) && self.has_month == months {
            return Ok(());
        }
        self.cube.answers(requests, months)
    }

    /// The source as if read for `requests` (with months when `months`), from its cube; the
    /// same data when they are the requests it was read for. `Err` when the file must be read
    /// again.
    pub fn for_requests(
        &self,
        requests: &[SideRequest],
        months: bool,
    ) -> Result<std::borrow::Cow<'_, SourceData>, Reread> {
        let months = months && self.has_date;
        if same_sides(&self.requests, requests, true) && self.has_month == months {
            return Ok(std::borrow::Cow::Borrowed(self));
        }
        let (cells, sides) = self.cube.derive(requests, months)?;
        Ok(std::borrow::Cow::Owned(SourceData {
            cells,
            sides,
            requests: requests.to_vec(),
            has_month: months,
            name: self.name.clone(),
            geos: self.geos.clone(),
            providers: self.providers.clone(),
            stats: self.stats.clone(),
            problems: self.problems.clone(),
            rows: self.rows.clone(),
            partial_years: self.partial_years.clone(),
            identifiers: self.identifiers.clone(),
            cube: std::sync::Arc::clone(&self.cube),
            ..*self
        }))
    }
}

/// A value a condition cannot compare, seen in some rows: reported once with its count.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct BadCondition {
    first_row: u64,
    rows: u64,
    column: usize,
    message: Message,
}

/// At most this many distinct unreadable condition values are reported one by one; later ones
/// get a problem per row.
const BAD_CONDITIONS_KEPT: usize = Problems::KEEP;
/// Distinct values remembered per key column (a county has a few thousand DeSO codes, dates
/// and ages); past it, a value is read the long way.
const KEY_MEMO_MAX: usize = 1 << 16;
/// All twelve months seen in a year.
const ALL_MONTHS: u16 = 0x0FFF;

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
    /// Every used row, by finest cell and the values its conditions test.
    cube: Cube,
    skipped: u64,
    matched: Vec<Option<f64>>,
    /// The cube's value ids of the row being taken (its tested columns).
    row_ids: Vec<u32>,
    /// Per condition, per value id of its column: 0 not yet tested, 1 false, 2 true.
    cond_memo: Vec<Vec<u8>>,
    /// Per key (area, health centre, period, sex, band): a column's bytes → what they gave.
    key_memo: [HashMap<Box<[u8]>, u32, FxBuild>; 5],
    keep_months: bool,
    roles: RoleCols,
    contract: Option<Contract>,
    contract_check: Option<ContractCheck>,
    seen: SeenRows,
    ledger: RowLedger,
    bad_conditions: HashMap<(usize, String), BadCondition, FxBuild>,
    /// Per column a condition tests: the distinct values seen in used rows, to refuse
    /// conditions on identifiers.
    distinct: Vec<Distinct>,
    months_seen: BTreeMap<u16, u16>,
    /// The file's name and header, for the problems raised at the end.
    file: String,
    column_names: Vec<String>,
    /// Rows are groups of an aggregated table ([`SourcePlan::grouped`]).
    grouped: bool,
    /// Source rows in the row being taken (1 but for a group).
    weight: u64,
}

impl SourcePlan {
    /// A plan for source `name` serving `requests`.
    pub fn new(
        name: &str,
        spec: SourceSpec,
        requests: Vec<SideRequest>,
        keep_months: bool,
    ) -> Self {
        SourcePlan {
            name: name.to_owned(),
            spec,
            matched: vec![None; requests.len()],
            row_ids: Vec::new(),
            cond_memo: Vec::new(),
            key_memo: Default::default(),
            requests,
            compiled: Vec::new(),
            cols: KeyCols::default(),
            decimal: Decimal::Point,
            geo_ids: HashMap::default(),
            geos: Vec::new(),
            provider_ids: HashMap::default(),
            providers: Vec::new(),
            cube: Cube::default(),
            skipped: 0,
            keep_months,
            roles: RoleCols::default(),
            contract: None,
            contract_check: None,
            seen: SeenRows::default(),
            ledger: RowLedger::default(),
            bad_conditions: HashMap::default(),
            distinct: Vec::new(),
            months_seen: BTreeMap::new(),
            file: String::new(),
            column_names: Vec::new(),
            grouped: false,
            weight: 1,
        }
    }

    /// The plan reading an aggregated table (issue 14, `samsyn sql`): each row stands for the
    /// source rows of one group, alike in every column the plan reads, and is checked as
    /// one of them ([`SourcePlan::record_group`]). The query has refused exact duplicates
    /// and repeated row ids already, so those checks are left out here.
    pub fn grouped(mut self) -> Self {
        self.grouped = true;
        self
    }

    /// The plan checking `contract` too (a notebook's data cell).
    pub fn with_contract(mut self, contract: Option<Contract>) -> Self {
        self.contract = contract.filter(|c| !c.is_empty());
        self
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

    /// The finished sums. The problems of unreadable condition values (one per distinct value)
    /// are added to `problems`.
    pub fn finish(self, stats: ReadStats, mut problems: Problems) -> SourceData {
        let geo_kind = self.geo_kind();
        let mut bad: Vec<&BadCondition> = self.bad_conditions.values().collect();
        bad.sort_by_key(|b| (b.first_row, b.column));
        for b in bad {
            let at = match self.column_names.get(b.column) {
                Some(c) => Location::cell(&self.file, b.first_row, c),
                None => Location::row(&self.file, b.first_row),
            };
            // One row: the message as the file view gives it; more: how many share it.
            let message = if b.rows == 1 {
                b.message.clone()
            } else {
                let (n, first) = (b.rows, b.first_row);
                b.message.clone().and(
                    &format!("; {n} rows with it are refused, the first at row {first}"),
                    &format!("; {n} rader med det värdet avvisas, den första på rad {first}"),
                )
            };
            problems.error(at, message);
        }
        let partial_years = if self.spec.date.is_some() {
            partial_years(&self.months_seen)
        } else {
            Vec::new()
        };
        let rows = self.ledger.finish(&stats);
        let used = rows.used;
        // The plan's own sides always come from its cube (the rows that would fail them were
        // refused as they were read).
        let months = self.keep_months && self.spec.date.is_some();
        let (cells, sides) = match self.cube.derive(&self.requests, months) {
            Ok(d) => d,
            Err(Reread(why)) => {
                problems.error(
                    Location::file(&self.file),
                    Message::both(
                        format!("the rows were not counted: {}", why.en),
                        format!(
                            "raderna räknades inte: {}",
                            why.sv.as_deref().unwrap_or(&why.en)
                        ),
                    ),
                );
                (Vec::new(), Vec::new())
            }
        };
        let identifiers = self
            .distinct
            .iter()
            .filter(|d| {
                let n = d.count as f64;
                used >= IDENTIFIER_MIN_ROWS
                    && (d.count >= DISTINCT_KEPT || n >= IDENTIFIER_SHARE * used as f64)
            })
            .filter_map(|d| Some((self.column_names.get(d.column)?.clone(), d.count as u64)))
            .collect();
        SourceData {
            identifiers,
            name: self.name,
            geo_kind,
            has_provider: self.spec.provider.is_some(),
            has_month: self.spec.date.is_some() && self.keep_months,
            has_period: self.spec.date.is_some() || self.spec.year.is_some(),
            has_date: self.spec.date.is_some(),
            has_sex: self.spec.sex.is_some(),
            has_band: self.spec.age.is_some() || self.spec.age_band.is_some(),
            geos: self.geos.iter().map(|s| s.to_string()).collect(),
            providers: self.providers.iter().map(|s| s.to_string()).collect(),
            cells,
            sides,
            cube: std::sync::Arc::new(self.cube),
            requests: self.requests,
            stats,
            skipped_rows: self.skipped,
            problems,
            rows,
            partial_years,
        }
    }

    /// A key column's trimmed text; empty refuses the row. `what` names the key in English
    /// (`the {what} is empty`), `what_sv` in Swedish (`uppgift om {what_sv} saknas`).
    fn key_text<'r>(
        row: &Row<'r>,
        c: usize,
        what: &str,
        what_sv: &str,
    ) -> Result<Cow<'r, str>, Located> {
        match row.text(c) {
            Ok(Some(Cow::Borrowed(t))) if !t.trim().is_empty() => Ok(Cow::Borrowed(t.trim())),
            Ok(Some(t)) if !t.trim().is_empty() => Ok(Cow::Owned(t.trim().to_owned())),
            Ok(_) => Err((
                Some(c),
                Breach::worded(
                    Refusal::EmptyKey,
                    Message::both(
                        format!("the {what} is empty"),
                        format!("uppgift om {what_sv} saknas"),
                    ),
                ),
            )),
            Err(m) => Err((Some(c), Breach::worded(Refusal::NotText, m))),
        }
    }

    /// A non-key column's text for a default check: `None` when empty (nothing to check).
    fn role_text<'r>(row: &Row<'r>, c: Option<usize>) -> Result<Option<Cow<'r, str>>, Located> {
        let Some(c) = c else { return Ok(None) };
        match row.text(c) {
            Ok(Some(t)) if !t.trim().is_empty() => Ok(Some(t)),
            Ok(_) => Ok(None),
            Err(m) => Err((Some(c), Breach::worded(Refusal::NotText, m))),
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

    /// Interns an area or provider; a table full (2³² − 1 values) refuses the row.
    fn interned(
        ids: &mut HashMap<Box<str>, u32, FxBuild>,
        values: &mut Vec<Box<str>>,
        v: &str,
        c: usize,
    ) -> Result<u32, Located> {
        Self::intern(ids, values, v).ok_or_else(|| {
            (
                Some(c),
                Breach::worded(
                    Refusal::EmptyKey,
                    Message::both(
                        "too many distinct values to keep",
                        "för många olika värden att hålla reda på",
                    ),
                ),
            )
        })
    }

    /// The cell of a row, or the first key that breaks a check. Each key column's bytes seen
    /// in a row that passed are remembered with what they gave, so a repeated value (a DeSO
    /// code, a date, an age) is decoded, trimmed, checked and looked up once.
    fn cell_key(&mut self, row: &Row<'_>) -> Result<CellKey, Located> {
        let c = self.cols;
        let columns = [
            c.deso.or(c.kommun).or(c.lan),
            c.provider,
            c.date.or(c.year),
            c.sex,
            c.age.or(c.age_band),
        ];
        let mut parts = [0u32; 5];
        let mut all = true;
        for ((col, memo), part) in columns.iter().zip(&self.key_memo).zip(&mut parts) {
            if let Some(col) = col {
                let raw = row.record.get(*col).unwrap_or_default();
                match memo.get(raw) {
                    Some(&v) => *part = v,
                    None => {
                        all = false;
                        break;
                    }
                }
            }
        }
        if all {
            return Ok(CellKey {
                geo: if columns[0].is_some() {
                    parts[0]
                } else {
                    u32::MAX
                },
                provider: if columns[1].is_some() {
                    parts[1]
                } else {
                    NO_PROVIDER
                },
                year: (parts[2] >> 8) as u16,
                month: (parts[2] & 0xFF) as u8,
                sex: parts[3] as u8,
                band: if columns[4].is_some() {
                    parts[4] as u8
                } else {
                    NO_BAND
                },
            });
        }
        let key = self.cell_key_read(row)?;
        let values = [
            key.geo,
            key.provider,
            u32::from(key.year) << 8 | u32::from(key.month),
            u32::from(key.sex),
            u32::from(key.band),
        ];
        for ((col, memo), v) in columns.iter().zip(&mut self.key_memo).zip(values) {
            if let Some(col) = col {
                let raw = row.record.get(*col).unwrap_or_default();
                if memo.len() < KEY_MEMO_MAX
                    && raw.len() <= super::cube::MAX_VALUE_BYTES
                    && !memo.contains_key(raw)
                {
                    memo.insert(raw.into(), v);
                }
            }
        }
        Ok(key)
    }

    /// [`SourcePlan::cell_key`] the long way: every key decoded, checked and interned.
    fn cell_key_read(&mut self, row: &Row<'_>) -> Result<CellKey, Located> {
        let c = self.cols;
        let geo = if let Some(i) = c.deso {
            let t = Self::key_text(row, i, "DeSO code", "DeSO-kod")?;
            // A code seen before was checked then: look it up first.
            if let Some(&id) = self.geo_ids.get(t.as_ref()) {
                id
            } else {
                checks::deso(&t).map_err(|b| (Some(i), b))?;
                Self::interned(&mut self.geo_ids, &mut self.geos, &t, i)?
            }
        } else if let Some(i) = c.kommun {
            let t = Self::key_text(row, i, "kommun code", "kommunkod")?;
            let code = checks::kommun(&t).map_err(|b| (Some(i), b))?;
            Self::interned(&mut self.geo_ids, &mut self.geos, code.as_str(), i)?
        } else if let Some(i) = c.lan {
            let t = Self::key_text(row, i, "län code", "länskod")?;
            if crate::areas::lan_name(&t).is_none() {
                return Err((
                    Some(i),
                    Breach::worded(
                        Refusal::Lan,
                        Message::both(
                            format!("'{t}' is not a län code (two digits, e.g. 24)"),
                            format!("'{t}' är ingen länskod (två siffror, t.ex. 24)"),
                        ),
                    ),
                ));
            }
            Self::interned(&mut self.geo_ids, &mut self.geos, &t, i)?
        } else {
            u32::MAX
        };
        let provider = match c.provider {
            Some(i) => {
                let t = Self::key_text(row, i, "health centre", "vårdcentral")?;
                Self::interned(&mut self.provider_ids, &mut self.providers, &t, i)?
            }
            None => NO_PROVIDER,
        };
        let (year, month) = if let Some(i) = c.date {
            let t = Self::key_text(row, i, "date", "datum")?;
            let d = checks::date(&t).map_err(|b| (Some(i), b))?;
            (d.year, d.month)
        } else if let Some(i) = c.year {
            let t = Self::key_text(row, i, "year", "år")?;
            (checks::year(&t).map_err(|b| (Some(i), b))?, 0)
        } else {
            (0, 0)
        };
        let sex = match c.sex {
            Some(i) => {
                let t = Self::key_text(row, i, "sex", "kön")?;
                checks::sex(&t).map_err(|b| (Some(i), b))?
            }
            None => 0,
        };
        let band = if let Some(i) = c.age {
            let t = Self::key_text(row, i, "age", "ålder")?;
            let age = checks::age(&t, self.decimal).map_err(|b| (Some(i), b))?;
            band_of_age(age)
        } else if let Some(i) = c.age_band {
            let t = Self::key_text(row, i, "age band", "åldersgrupp")?;
            band_of_label(&t).ok_or_else(|| {
                (
                    Some(i),
                    Breach::worded(
                        Refusal::AgeBand,
                        Message::both(
                            format!("'{t}' is not a 5-year age band (0-4, 5-9, …, 85-89, 90+)"),
                            format!("'{t}' är ingen femårsklass (0-4, 5-9, …, 85-89, 90+)"),
                        ),
                    ),
                )
            })?
        } else {
            NO_BAND
        };
        Ok(CellKey {
            geo,
            provider,
            year,
            month,
            sex,
            band,
        })
    }

    /// The default checks of the known roles on columns that are not keys, and across columns:
    /// the kommun that of the DeSO code, the year that of the date.
    fn check_roles(&self, row: &Row<'_>, key: &CellKey) -> Result<(), Located> {
        let r = self.roles;
        let k = self.cols;
        // The DeSO key was read and checked for the cell: take it from there.
        let deso: Option<Cow<'_, str>> = match k.deso {
            Some(_) => self.geos.get(key.geo as usize).map(|d| Cow::Borrowed(&**d)),
            None => {
                let t = Self::role_text(row, r.deso)?;
                if let Some(t) = &t {
                    checks::deso(t).map_err(|b| (r.deso, b))?;
                }
                t
            }
        };
        // Fast paths on the bytes as read, for the common row: a kommun column holding the
        // DeSO key's first four digits, a year column holding the date key's year.
        let raw = |c: Option<usize>| c.and_then(|c| row.record.get(c)).map(checks::trim_like_str);
        let kommun_of_deso = k.deso.is_some()
            && match (raw(r.kommun), deso.as_deref()) {
                (Some(b), Some(d)) => b.len() == 4 && d.as_bytes().get(..4) == Some(b),
                _ => false,
            };
        let kommun = if kommun_of_deso {
            None
        } else {
            Self::role_text(row, r.kommun)?
        };
        // A `kommun` column that is not a key and holds names (`Umeå`) is not checked as codes.
        let names = k.kommun.is_none()
            && kommun
                .as_deref()
                .is_some_and(|t| !t.trim().bytes().all(|b| b.is_ascii_digit()));
        if let Some(t) = kommun.filter(|_| !names) {
            let t = t.trim();
            // The kommun of a checked DeSO code is one of SCB's: the common case costs a compare.
            let of_deso = deso.as_deref().and_then(|d| d.trim().get(..4));
            if of_deso != Some(t) {
                let code = checks::kommun(t).map_err(|b| (r.kommun, b))?;
                if let Some(d) = &deso {
                    checks::kommun_matches_deso(code.as_str(), d.trim())
                        .map_err(|b| (r.kommun, b))?;
                }
            }
        }
        // The date key gave the cell its year; a date column that is not a key is read here.
        let date_year = match (k.date, r.date) {
            (Some(_), _) => Some(key.year),
            (None, c) => match Self::role_text(row, c)? {
                Some(t) => Some(checks::date(&t).map_err(|b| (c, b))?.year),
                None => None,
            },
        };
        // A year key without a date was checked for the cell.
        let year_of_date = match (date_year, raw(r.year)) {
            (Some(dy), Some(b)) => {
                std::str::from_utf8(b)
                    .ok()
                    .and_then(crate::dates::parse_year)
                    == Some(dy)
            }
            _ => false,
        };
        if (k.year.is_none() || date_year.is_some()) && !year_of_date {
            if let Some(t) = Self::role_text(row, r.year)? {
                let y = checks::year(&t).map_err(|b| (r.year, b))?;
                if let Some(dy) = date_year.filter(|dy| *dy != y) {
                    // Only now is the date's text needed, for the message.
                    let text = r
                        .date
                        .and_then(|c| row.text(c).ok().flatten())
                        .unwrap_or_default();
                    let d = crate::dates::Date {
                        year: dy,
                        month: 1,
                        day: 1,
                    };
                    checks::year_matches_date(y, d, &text).map_err(|b| (r.year, b))?;
                }
            }
        }
        if k.sex.is_none() {
            if let Some(t) = Self::role_text(row, r.sex)? {
                checks::sex(&t).map_err(|b| (r.sex, b))?;
            }
        }
        if k.age.is_none() {
            if let Some(t) = Self::role_text(row, r.age)? {
                checks::age(&t, self.decimal).map_err(|b| (r.age, b))?;
            }
        }
        Ok(())
    }

    /// Notes an unreadable condition value (once per distinct value, with a count).
    fn bad_condition(
        &mut self,
        row: &Row<'_>,
        col: usize,
        message: Message,
        problems: &mut Problems,
    ) {
        let raw = row
            .record
            .get(col)
            .map(|b| String::from_utf8_lossy(b).trim().to_owned())
            .unwrap_or_default();
        if let Some(b) = self.bad_conditions.get_mut(&(col, raw.clone())) {
            b.rows = b.rows.saturating_add(self.weight);
            return;
        }
        if self.bad_conditions.len() >= BAD_CONDITIONS_KEPT {
            problems.error(row.at(col), self.of_group(message));
            return;
        }
        self.bad_conditions.insert(
            (col, raw),
            BadCondition {
                first_row: row.row(),
                rows: self.weight,
                column: col,
                message,
            },
        );
    }

    /// Checks a row and adds it to its cell; `Err` names the column and breach that refuse it
    /// (no column: the problem is already noted).
    fn take(&mut self, row: &Row<'_>, problems: &mut Problems) -> Result<(), Located> {
        if !row.has_header_shape(problems) {
            return Err((None, Breach::already_noted(Refusal::Shape)));
        }
        let check_duplicates = !self.grouped
            && !self
                .contract
                .as_ref()
                .is_some_and(|c| c.allow_duplicate_rows);
        let id_column = self
            .contract_check
            .as_ref()
            .and_then(ContractCheck::row_id_column);
        let seen = match id_column {
            Some(c) => {
                let id = row.text(c).ok().map(|t| t.unwrap_or_default());
                let id = id.as_deref().map(str::trim);
                self.seen.check(row.record, id, check_duplicates)
            }
            None if check_duplicates && self.seen.seen_before(row.record) => Seen::Duplicate,
            None => Seen::New,
        };
        if seen == Seen::Duplicate {
            problems.error(Location::row(row.file, row.row()), ledger::duplicate_row());
            return Err((None, Breach::already_noted(Refusal::Duplicate)));
        }
        if let Some(check) = &mut self.contract_check {
            check
                .check(row, seen == Seen::RepeatedId)
                .map_err(|(c, b)| (Some(c), b))?;
        }
        let key = self.cell_key(row)?;
        self.check_roles(row, &key)?;
        let mut matched = std::mem::take(&mut self.matched);
        let mut refused = None;
        self.cube.row_ids(row, &mut self.row_ids);
        'sides: for (slot, side) in matched.iter_mut().zip(&self.compiled) {
            *slot = None;
            if key.band != NO_BAND && (key.band < side.bands.0 || key.band > side.bands.1) {
                continue;
            }
            for ((c, cond, t), &(tested, memo)) in side.conditions.iter().zip(&side.lookup) {
                let id = self.row_ids.get(tested).copied();
                let known = id
                    .and_then(|id| self.cond_memo.get(memo)?.get(id as usize).copied())
                    .unwrap_or(0);
                let outcome = match known {
                    1 => Ok(false),
                    2 => Ok(true),
                    _ => {
                        let r = test_text(row, self.decimal, *c, cond, t);
                        // Only a value kept as itself is remembered (not an outcome class).
                        if let (Ok(b), Some(id)) = (&r, id) {
                            if self.cube.value_text(tested, id).is_some() {
                                if let Some(m) = self.cond_memo.get_mut(memo) {
                                    let at = id as usize;
                                    if m.len() <= at {
                                        m.resize(at + 1, 0);
                                    }
                                    m[at] = if *b { 2 } else { 1 };
                                }
                            }
                        }
                        r
                    }
                };
                match outcome {
                    Ok(true) => {}
                    Ok(false) => continue 'sides,
                    Err(message) => {
                        refused = Some((*c, message));
                        break 'sides;
                    }
                }
            }
            *slot = match side.sum {
                None => Some(1.0),
                Some(c) => match row.text(c) {
                    Ok(Some(t)) => match parse_number(&t, self.decimal) {
                        Some(v) if v >= 0.0 => Some(v),
                        _ => {
                            self.matched = matched;
                            return Err((
                                Some(c),
                                Breach::worded(Refusal::Sum, {
                                    let t = t.trim();
                                    Message::both(
                                        format!("'{t}' is not a number of zero or more"),
                                        format!("'{t}' är inte ett tal som är noll eller mer"),
                                    )
                                }),
                            ));
                        }
                    },
                    Ok(None) => {
                        self.matched = matched;
                        return Err((
                            Some(c),
                            Breach::worded(
                                Refusal::Sum,
                                Message::both(
                                    "the value to sum is missing",
                                    "värdet att summera saknas",
                                ),
                            ),
                        ));
                    }
                    Err(m) => {
                        self.matched = matched;
                        return Err((Some(c), Breach::worded(Refusal::NotText, m)));
                    }
                },
            };
        }
        if let Some((c, message)) = refused {
            self.matched = matched;
            self.bad_condition(row, c, message, problems);
            return Err((None, Breach::already_noted(Refusal::Condition)));
        }
        if key.month != 0 {
            *self.months_seen.entry(key.year).or_insert(0) |= 1 << (key.month - 1);
        }
        let key = CellKey {
            month: if self.keep_months { key.month } else { 0 },
            ..key
        };
        self.cube.add_ids(key, row, &self.row_ids, self.weight);
        self.matched = matched;
        Ok(())
    }
}

/// The years at the edges of the data that are covered only in part: the first year from its
/// first month seen, the last year up to its last month seen. A month without rows in between
/// (a rare event, a quiet July) is not a gap in coverage; an extract that starts in April or
/// ends in March is.
fn partial_years(months_seen: &BTreeMap<u16, u16>) -> Vec<(u16, u16)> {
    let (Some((&first_year, &first)), Some((&last_year, &last))) =
        (months_seen.first_key_value(), months_seen.last_key_value())
    else {
        return Vec::new();
    };
    // From the lowest month seen in the first year, to the highest in the last.
    let from = ALL_MONTHS & !((1u16 << first.trailing_zeros()) - 1);
    let to = ALL_MONTHS >> last.leading_zeros().saturating_sub(4);
    let mut out = Vec::new();
    for year in [first_year, last_year] {
        let covered = match (year == first_year, year == last_year) {
            (true, true) => from & to,
            (true, false) => from,
            _ => to,
        };
        if covered != ALL_MONTHS && out.last().map(|(y, _)| *y) != Some(year) {
            out.push((year, covered));
        }
    }
    out
}

/// A breach and the column it concerns (`None`: the problem is already noted).
type Located = (Option<usize>, Breach);

/// A condition as the notebook writes it, for messages: `value >= 1`.
fn describe(c: &Condition) -> String {
    let op = match c.op {
        Op::Eq => "=",
        Op::Ne => "!=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::In => "in",
    };
    let value = match &c.value {
        CondValue::Number(x) => x.to_string(),
        CondValue::Text(t) => t.clone(),
        CondValue::List(vs) => format!("[{}]", vs.join(", ")),
    };
    format!("{} {op} {value}", c.column)
}

/// The sex code as written in results.
pub fn sex_label(s: u8) -> &'static str {
    match s {
        1 => "K",
        2 => "M",
        _ => "alla",
    }
}

impl RecordSink for SourcePlan {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.decimal = dialect.decimal;
        self.column_names = names.to_vec();
        let source = self.name.clone();
        let find = |field: &str, column: &Option<String>| -> Result<Option<usize>, Error> {
            match column {
                None => Ok(None),
                Some(c) => find_column(names, c)
                    .map(Some)
                    .ok_or_else(|| Error::MissingColumn {
                        at: Location::file(""),
                        wanted: Box::new(Message::both(
                            format!("the column '{c}' that the data cell '{source}' gives for the key {field}"),
                            format!("kolumnen '{c}' som datacellen '{source}' anger för nyckeln {field}"),
                        )),
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
            let (side, side_sv) = match r.side {
                Side::Numerator => ("numerator", "täljaren"),
                Side::Denominator => ("denominator", "nämnaren"),
            };
            let missing = |what: &str, c: &str| Error::MissingColumn {
                at: Location::file(""),
                wanted: Box::new(Message::both(
                    format!(
                        "the column '{c}' of indicator '{}' ({side}.{what})",
                        r.indicator_id
                    ),
                    format!(
                        "kolumnen '{c}' i indikatorn '{}' ({side_sv}, {what})",
                        r.indicator_id
                    ),
                )),
                found: names.join(", "),
            };
            let mut conditions = Vec::with_capacity(r.conditions.len());
            for cond in &r.conditions {
                let col = find_column(names, &cond.column)
                    .ok_or_else(|| missing("where", &cond.column))?;
                let test = compile_test(cond).map_err(|m| Error::Unreadable {
                    at: Location::file(""),
                    message: Message::both(
                        format!(
                            "indicator '{}', {side}.where on '{}': {}",
                            r.indicator_id, cond.column, m.en
                        ),
                        format!(
                            "indikatorn '{}', villkoret i {side_sv} på '{}': {}",
                            r.indicator_id,
                            cond.column,
                            m.swedish()
                        ),
                    ),
                })?;
                conditions.push((col, cond.clone(), test));
            }
            // Text tests first: a numeric value is needed only where the text conditions match.
            conditions.sort_by_key(|(_, _, t)| matches!(t, Test::NumCmp(..)));
            let sum = match &r.sum {
                Some(c) => Some(find_column(names, c).ok_or_else(|| missing("sum", c))?),
                None => None,
            };
            compiled.push(CompiledSide {
                conditions,
                lookup: Vec::new(),
                sum,
                bands: r.bands,
            });
        }
        self.cube = Cube::new(names, self.decimal, &self.requests, self.keep_months);
        // Each condition's outcome is remembered per value id of its column: a repeated
        // value is tested once.
        let tested = self.cube.tested_columns();
        self.distinct = Vec::new();
        for side in &compiled {
            for (c, _, _) in &side.conditions {
                if !self.distinct.iter().any(|d| d.column == *c) {
                    if let Some(at) = tested.iter().position(|t| t == c) {
                        self.distinct.push(Distinct {
                            column: *c,
                            tested: at,
                            ..Distinct::default()
                        });
                    }
                }
            }
        }
        let mut memos = 0;
        for side in &mut compiled {
            side.lookup = side
                .conditions
                .iter()
                .map(|(c, _, _)| {
                    memos += 1;
                    (
                        tested.iter().position(|t| t == c).unwrap_or(usize::MAX),
                        memos - 1,
                    )
                })
                .collect();
        }
        self.cond_memo = vec![Vec::new(); memos];
        self.compiled = compiled;
        // Columns checked for their role: the key, or else the column whose name suggests it.
        let roles = RoleChoices::default().roles_of(names);
        let by_role = |role: Role| roles.iter().position(|r| *r == Some(role));
        let k = self.cols;
        self.roles = RoleCols {
            deso: k.deso.or_else(|| by_role(Role::Deso)),
            kommun: k.kommun.or_else(|| by_role(Role::Kommun)),
            year: k.year.or_else(|| by_role(Role::Year)),
            date: k.date.or_else(|| by_role(Role::Date)),
            sex: k.sex.or_else(|| by_role(Role::Sex)),
            age: k.age.or_else(|| by_role(Role::Age)),
        };
        self.contract_check = match &self.contract {
            Some(c) if self.grouped => {
                let without_id = Contract {
                    row_id: None,
                    ..c.clone()
                };
                Some(ContractCheck::new(
                    &without_id,
                    &self.name,
                    names,
                    self.decimal,
                )?)
            }
            Some(c) => Some(ContractCheck::new(c, &self.name, names, self.decimal)?),
            None => None,
        };
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        self.weight = 1;
        self.record_one(row, problems)
    }
}

impl SourcePlan {
    /// A row of an aggregated table standing for `rows` source rows alike in every column
    /// the plan reads ([`SourcePlan::grouped`]): used or refused as one, counted `rows` times.
    pub fn record_group(&mut self, row: &Row<'_>, rows: u64, problems: &mut Problems) {
        if rows == 0 {
            return;
        }
        self.weight = rows;
        self.record_one(row, problems);
        self.weight = 1;
    }

    /// Rows the aggregating query refused itself (exact duplicates, empty or repeated row ids),
    /// counted under `reason` with one problem for them all.
    pub fn refused_by_query(
        &mut self,
        row: &Row<'_>,
        reason: Refusal,
        rows: u64,
        problems: &mut Problems,
    ) {
        if rows == 0 {
            return;
        }
        if self.file.is_empty() {
            self.file = row.file.to_owned();
        }
        let (what, what_sv) = match reason {
            Refusal::Duplicate => (DUPLICATE_ROW, DUPLICATE_ROW_SV),
            Refusal::DuplicateId => (
                "the row id is empty or was seen in an earlier row",
                "rad-id:t är tomt eller fanns på en tidigare rad",
            ),
            _ => (
                "the aggregating query refused them for a reason Samsyn does not know",
                "den aggregerande frågan avvisade dem av ett skäl som Samsyn inte känner till",
            ),
        };
        problems.error(
            Location::row(row.file, row.row()),
            Message::both(
                format!("{what}: {rows} rows of the source, refused by the aggregating query"),
                format!("{what_sv}: {rows} rader i källan, avvisade av den aggregerande frågan"),
            ),
        );
        self.skipped = self.skipped.saturating_add(rows);
        self.ledger.refuse_rows(row.row(), &reason, rows);
    }

    /// A message about the row being taken, saying how many source rows it stands for.
    fn of_group(&self, message: impl Into<Message>) -> Message {
        let message = message.into();
        if self.weight == 1 {
            message
        } else {
            let w = self.weight;
            message.and(
                &format!(" ({w} rows of the source)"),
                &format!(" ({w} rader i källan)"),
            )
        }
    }

    fn record_one(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        if self.file.is_empty() {
            self.file = row.file.to_owned();
        }
        match self.take(row, problems) {
            Ok(()) => {
                self.ledger.use_rows(self.weight);
                self.note_distinct();
            }
            Err((column, breach)) => {
                let refusal = breach.refusal.clone();
                if matches!(refusal, Refusal::Condition | Refusal::Sum) {
                    self.cube.refused_for_condition();
                }
                // An already noted breach has no message of its own.
                if !breach.message.is_empty() {
                    let at = match column {
                        Some(c) => row.at(c),
                        None => Location::row(row.file, row.row()),
                    };
                    problems.error(at, self.of_group(breach));
                }
                self.skipped = self.skipped.saturating_add(self.weight);
                self.ledger.refuse_rows(row.row(), &refusal, self.weight);
            }
        }
        Flow::Continue
    }
}

/// What the plan of an earlier byte range of a file needs of a later range's plan to merge it
/// ([`MergeRanges`]), in a form that can be sent between workers.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct SourcePart {
    splittable: bool,
    geos: Vec<Box<str>>,
    providers: Vec<Box<str>>,
    cube: super::cube::CubePart,
    seen: crate::ledger::SeenPart,
    ledger: RowLedger,
    bad_conditions: Vec<((usize, String), BadCondition)>,
    /// Per tested column: the distinct values counted, and the bitset of their ids.
    distinct: Vec<(usize, Vec<u64>)>,
    months_seen: Vec<(u16, u16)>,
    skipped: u64,
    file: String,
}

impl MergeRanges for SourcePlan {
    type Part = SourcePart;

    /// A plan that sums values is read in one pass (adding in another order can change the
    /// last bit of a sum), as is an aggregated table.
    fn splittable(&self) -> bool {
        !self.grouped && self.requests.iter().all(|r| r.sum.is_none())
    }

    fn into_part(self) -> SourcePart {
        SourcePart {
            splittable: self.splittable(),
            geos: self.geos,
            providers: self.providers,
            cube: self.cube.into_part(),
            seen: self.seen.into_part(),
            ledger: self.ledger,
            bad_conditions: self.bad_conditions.into_iter().collect(),
            distinct: self
                .distinct
                .into_iter()
                .map(|d| (d.count, d.seen))
                .collect(),
            months_seen: self.months_seen.into_iter().collect(),
            skipped: self.skipped,
            file: self.file,
        }
    }

    fn merge_part(&mut self, later: SourcePart, row_offset: u64) -> Result<(), OnePass> {
        if !self.splittable() || !later.splittable {
            return Err(OnePass(
                "the plan sums values, whose order of adding matters",
            ));
        }
        if self.seen.meets(&later.seen) {
            return Err(OnePass(
                "a row or row id of a later range was seen in an earlier one",
            ));
        }
        if later.distinct.len() != self.distinct.len() {
            return Err(OnePass("the ranges were read by different plans"));
        }
        let new_conditions = later
            .bad_conditions
            .iter()
            .filter(|(k, _)| !self.bad_conditions.contains_key(k))
            .count();
        if self.bad_conditions.len() + new_conditions > BAD_CONDITIONS_KEPT {
            return Err(OnePass("too many unreadable condition values to merge"));
        }
        let map = |ids: &mut HashMap<Box<str>, u32, FxBuild>,
                   values: &mut Vec<Box<str>>,
                   later: &[Box<str>]|
         -> Result<Vec<u32>, OnePass> {
            later
                .iter()
                .map(|v| {
                    Self::intern(ids, values, v)
                        .ok_or(OnePass("too many distinct areas or health centres"))
                })
                .collect()
        };
        let geos = map(&mut self.geo_ids, &mut self.geos, &later.geos)?;
        let providers = map(
            &mut self.provider_ids,
            &mut self.providers,
            &later.providers,
        )?;
        let value_maps = self
            .cube
            .merge_part(later.cube, &geos, &providers, row_offset)?;
        for (d, (count, seen)) in self.distinct.iter_mut().zip(&later.distinct) {
            if d.count >= DISTINCT_KEPT || *count >= DISTINCT_KEPT {
                d.count = DISTINCT_KEPT;
                continue;
            }
            let Some(ids) = value_maps.get(d.tested) else {
                continue;
            };
            for (w, &word) in seen.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let old = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let Some(&id) = ids.get(old) else { continue };
                    let (word, bit) = (id as usize / 64, id % 64);
                    if d.seen.len() <= word {
                        d.seen.resize(word + 1, 0);
                    }
                    if d.seen[word] & (1 << bit) == 0 && d.count < DISTINCT_KEPT {
                        d.seen[word] |= 1 << bit;
                        d.count += 1;
                    }
                }
            }
        }
        for (key, b) in later.bad_conditions {
            match self.bad_conditions.get_mut(&key) {
                Some(mine) => mine.rows = mine.rows.saturating_add(b.rows),
                None => {
                    let first_row = b.first_row.saturating_add(row_offset);
                    self.bad_conditions
                        .insert(key, BadCondition { first_row, ..b });
                }
            }
        }
        for (year, months) in later.months_seen {
            *self.months_seen.entry(year).or_insert(0) |= months;
        }
        self.seen.absorb(later.seen);
        self.skipped = self.skipped.saturating_add(later.skipped);
        self.ledger.merge_later(later.ledger, row_offset);
        if self.file.is_empty() {
            self.file = later.file;
        }
        Ok(())
    }
}

/// Distinct values kept per condition column: enough to tell an identifier (nearly one value a
/// row) from a code, at 8 bytes a value.
pub const DISTINCT_KEPT: usize = 1 << 16;

/// A condition column is an identifier when, over at least this many used rows, nearly every
/// row has its own value.
pub const IDENTIFIER_MIN_ROWS: u64 = 50;
/// "Nearly": at least this share of the used rows.
pub const IDENTIFIER_SHARE: f64 = 0.9;

/// The distinct values of a tested column in the used rows, by the cube's value ids (a value
/// is one id, so the row's ids are counted, never its text).
#[derive(Debug, Default)]
struct Distinct {
    column: usize,
    /// Its place among the cube's tested columns.
    tested: usize,
    /// A bit per value id seen.
    seen: Vec<u64>,
    count: usize,
}

impl SourcePlan {
    fn note_distinct(&mut self) {
        for d in &mut self.distinct {
            if d.count >= DISTINCT_KEPT {
                continue;
            }
            let Some(&id) = self.row_ids.get(d.tested) else {
                continue;
            };
            // Past the cube's distinct values, one id stands for many: as many as kept.
            if self.cube.is_past_max_values(d.tested, id) {
                d.count = DISTINCT_KEPT;
                continue;
            }
            let (word, bit) = (id as usize / 64, id % 64);
            if d.seen.len() <= word {
                d.seen.resize(word + 1, 0);
            }
            if d.seen[word] & (1 << bit) == 0 {
                d.seen[word] |= 1 << bit;
                d.count += 1;
            }
        }
    }
}

/// Whether a row meets a condition; `Err` with the problem's text when its value cannot be
/// read or compared.
fn test_text(
    row: &Row<'_>,
    decimal: Decimal,
    col: usize,
    cond: &Condition,
    test: &Test,
) -> Result<bool, Message> {
    let t = match row.text(col) {
        Ok(Some(t)) => t,
        Ok(None) => Cow::Borrowed(""),
        // The reader's words, as the file view gives them for the same cell.
        Err(m) => return Err(m),
    };
    let t = t.trim();
    Ok(match test {
        Test::TextEq(v) => t == v,
        Test::TextNe(v) => t != v,
        Test::InList(vs) => vs.iter().any(|v| v == t),
        Test::NumCmp(op, v) => {
            let Some(x) = parse_number(t, decimal) else {
                let (column, condition) = (&cond.column, describe(cond));
                return Err(Message::both(
                    format!(
                        "'{t}' in '{column}' is not a number, so the condition {condition} cannot be tested"
                    ),
                    format!(
                        "'{t}' i '{column}' är inte ett tal, så villkoret {condition} kan inte prövas"
                    ),
                ));
            };
            match op {
                Op::Eq => x == *v,
                Op::Ne => x != *v,
                Op::Lt => x < *v,
                Op::Le => x <= *v,
                Op::Gt => x > *v,
                Op::Ge => x >= *v,
                Op::In => false,
            }
        }
    })
}

fn compile_test(c: &Condition) -> Result<Test, Message> {
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
        (Op::In, _) => {
            return Err(Message::both(
                "'in' needs a list of values",
                "'in' behöver en lista med värden",
            ))
        }
        (_, CondValue::List(_)) => {
            return Err(Message::both(
                "a list of values needs the operator 'in'",
                "en lista med värden behöver operatorn 'in'",
            ))
        }
        (Op::Eq, CondValue::Text(t)) => Test::TextEq(t.trim().to_owned()),
        (Op::Ne, CondValue::Text(t)) => Test::TextNe(t.trim().to_owned()),
        (op, v) => match as_number(v) {
            Some(x) => Test::NumCmp(op, x),
            None => {
                return Err(Message::both(
                    "comparing with <, <=, > or >= needs a number",
                    "jämförelse med <, <=, > eller >= behöver ett tal",
                ))
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_years_are_those_at_the_edges() {
        let seen = |v: &[(u16, u16)]| v.iter().copied().collect::<BTreeMap<u16, u16>>();
        // Full years, a quiet July in the middle one: nothing partial.
        let quiet_july = ALL_MONTHS & !(1 << 6);
        assert!(partial_years(&seen(&[
            (2023, ALL_MONTHS),
            (2024, quiet_july),
            (2025, ALL_MONTHS)
        ]))
        .is_empty());
        // An extract from April 2023 to March 2025, with gaps.
        assert_eq!(
            partial_years(&seen(&[
                (2023, 0b1111_1000_1000),
                (2024, ALL_MONTHS),
                (2025, 0b101)
            ])),
            [(2023, 0b1111_1111_1000), (2025, 0b111)]
        );
        // One year, February to October.
        assert_eq!(
            partial_years(&seen(&[(2024, 0b0010_0100_0010)])),
            [(2024, 0b0011_1111_1110)]
        );
    }
}
