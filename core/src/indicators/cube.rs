//! The cube of one source (issue 11, "a cube, not a re-read"): every used row, counted into a
//! compact cell keyed by its finest cell ([`CellKey`]: area, health centre, period, sex, 5-year
//! band) *and* by the values of the columns the notebook's conditions test (event type, cause,
//! a 0/1 flag), each interned to a dense id once per distinct value. Per cell: the rows, and
//! for each column an indicator sums, Σ value, the values' moments (`stats::Moments`), the rows with a readable value and
//! those without.
//!
//! An indicator side is then [`Cube::derive`]d from the cube: its conditions are evaluated once
//! per distinct value, not per row, and the cells whose values match are summed into the
//! side's arrays. So changing a condition's value, the operator, the age range, a level or a
//! period is answered from the cube without reading the file again; only a condition or sum on
//! a column the cube does not hold needs the file ([`Reread`] says why).
//!
//! Exactness: a row is refused whole when a condition cannot read its value, or a summed value
//! is not a number, on a side it would count for. The plan refuses such rows as it reads, for
//! the conditions it was made for. For other conditions the cube answers only if no row it
//! holds would now be refused and no row was refused for a condition or sum when it was read
//! (such a row might count now); otherwise [`Reread`]. Every row of a cube cell has the same
//! values in the tested columns, so a condition's outcome is the same for all of them.
//!
//! Memory: one cell per distinct (finest cell, tested values), at most one per used row. A
//! tested column with more than [`MAX_VALUES`] distinct values (a continuous amount) keeps
//! further values as the outcome of the conditions the plan was made for, so those conditions
//! still come from the cube and a change of them needs the file.

use std::collections::HashMap;

use super::cells::{same_sides, CellKey, SideRequest, SideSums, NO_BAND};
use super::definition::{Condition, Op};
use super::levels::find_column;
use crate::counts::parse_number;
use crate::error::Message;
use crate::hashing::FxBuild;
use crate::ingest::ranges::OnePass;
use crate::ingest::{Decimal, Row};
use crate::stats::Moments;

/// Distinct values kept as values per tested column; past it, the outcome of the plan's own
/// conditions on the value is kept instead.
pub const MAX_VALUES: usize = 1 << 16;

/// Values longer than this are kept as the outcome of the plan's conditions, never as
/// themselves: a file cannot make the cube hold long texts (a code is a few bytes).
pub const MAX_VALUE_BYTES: usize = 256;

/// Why the cube cannot answer a request: the file must be read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reread(pub Message);

/// One column the conditions test, its values interned.
#[derive(Debug, Clone, Default)]
struct Tested {
    /// Index in the file's header.
    column: usize,
    ids: HashMap<Box<str>, u32, FxBuild>,
    /// Per id: the value (trimmed), or for ids past [`MAX_VALUES`] an outcome pattern.
    values: Vec<Value>,
    /// The plan's own conditions on this column, in the order of the pattern's bits.
    own: Vec<Condition>,
    outcome_ids: HashMap<u64, u32, FxBuild>,
    unreadable: Option<u32>,
    /// The field's bytes as read (before decoding and trimming) → its value id: a repeated
    /// value is decoded, trimmed and looked up once (only for values kept as values).
    raw_ids: HashMap<Box<[u8]>, u32, FxBuild>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Value {
    Text(Box<str>),
    /// Not valid text in the file's encoding: no condition can test it.
    Unreadable,
    /// Bit `i` set: the row meets `own[i]`.
    Outcome(u64),
}

/// One column a side sums.
#[derive(Debug, Clone, Default)]
struct Summed {
    column: usize,
    sum: Vec<f64>,
    /// The values' moments (means), per cell.
    moments: Vec<Moments>,
    /// Rows with a value that is a number of zero or more.
    rows: Vec<f64>,
    /// Rows whose value is missing or not such a number.
    bad: Vec<u32>,
    /// The cells with such rows.
    bad_cells: Vec<u32>,
}

/// What the plan of an earlier byte range needs of a later range's cube ([`Cube::merge_part`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CubePart {
    /// Per tested column: how many distinct values it kept as themselves, and every value by
    /// its id.
    tested: Vec<(usize, Vec<Value>)>,
    sums: bool,
    full: bool,
    months: bool,
    tuples: Vec<u32>,
    tuple_bands: Vec<u32>,
    keys: Vec<CellKey>,
    cell_key: Vec<u32>,
    cell_tuple: Vec<u32>,
    rows: Vec<f64>,
    first_row: Vec<u64>,
    refused_for_conditions: bool,
}

/// What [`Cube::sides`] makes of one request.
struct SidePlan {
    /// Per tuple of tested values: whether the side counts its rows.
    counts: Vec<bool>,
    sum: Option<usize>,
    bands: (u8, u8),
}

/// Up to four value ids below 2¹⁶ − 1 in one word (each id plus one, so no tuple packs to
/// another's word); `None` for other tuples.
fn pack_ids(ids: &[u32]) -> Option<u64> {
    if ids.len() > 4 {
        return None;
    }
    let mut p = 0u64;
    for &id in ids {
        let id = u16::try_from(id.checked_add(1)?).ok()?;
        p = p << 16 | u64::from(id);
    }
    Some(p)
}

/// Bit `b` for each band `b` of `bands`, and bit 31 for rows without an age (always counted).
fn band_mask(bands: (u8, u8)) -> u32 {
    let mut m = 1u32 << 31;
    for b in bands.0..=bands.1.min(30) {
        m |= 1 << b;
    }
    m
}

fn in_bands(band: u8, bands: (u8, u8)) -> bool {
    band == NO_BAND || (bands.0..=bands.1).contains(&band)
}

/// The cube of one source.
#[derive(Debug, Clone)]
pub struct Cube {
    header: Vec<String>,
    decimal: Decimal,
    tested: Vec<Tested>,
    summed: Vec<Summed>,
    /// Finest cells, interned.
    keys: Vec<CellKey>,
    key_ids: HashMap<CellKey, u32, FxBuild>,
    /// Tuples of tested values, interned (`tested.len()` ids each).
    tuples: Vec<u32>,
    tuple_ids: HashMap<Box<[u32]>, u32, FxBuild>,
    /// The same for tuples [`pack_ids`] fits in a word (either map holds a tuple, never both).
    small_tuple_ids: HashMap<u64, u32, FxBuild>,
    /// Per tuple: the bands of its rows (bit 31: rows without an age).
    tuple_bands: Vec<u32>,
    /// Cube cells: (finest cell, tuple) → id.
    cell_ids: HashMap<(u32, u32), u32, FxBuild>,
    cell_key: Vec<u32>,
    cell_tuple: Vec<u32>,
    rows: Vec<f64>,
    /// The first row (as numbered in the file) of each cell, to keep the first-seen order.
    first_row: Vec<u64>,
    /// Months are kept in the cells.
    pub months: bool,
    /// The plan's requests when it read the file, and whether it refused rows for a
    /// condition or a sum (then only those requests are answered).
    own: Vec<SideRequest>,
    refused_for_conditions: bool,
    /// Set when an allocation limit was reached: the cube answers nothing.
    full: bool,
    scratch: Vec<u32>,
}

impl Default for Cube {
    fn default() -> Self {
        Cube::new(&[], Decimal::Point, &[], false)
    }
}

impl Cube {
    /// A cube for a file with `header`, holding the columns `requests` test and sum.
    pub fn new(
        header: &[String],
        decimal: Decimal,
        requests: &[SideRequest],
        months: bool,
    ) -> Self {
        let mut tested: Vec<Tested> = Vec::new();
        let mut summed: Vec<Summed> = Vec::new();
        for r in requests {
            for c in &r.conditions {
                let Some(col) = find_column(header, &c.column) else {
                    continue;
                };
                let at = match tested.iter().position(|t| t.column == col) {
                    Some(i) => i,
                    None => {
                        tested.push(Tested {
                            column: col,
                            ..Tested::default()
                        });
                        tested.len() - 1
                    }
                };
                if !tested[at].own.contains(c) && tested[at].own.len() < 64 {
                    tested[at].own.push(c.clone());
                }
            }
            if let Some(col) = r.sum.as_deref().and_then(|s| find_column(header, s)) {
                if !summed.iter().any(|s| s.column == col) {
                    summed.push(Summed {
                        column: col,
                        ..Summed::default()
                    });
                }
            }
        }
        Cube {
            header: header.to_vec(),
            decimal,
            tested,
            summed,
            keys: Vec::new(),
            key_ids: HashMap::default(),
            tuples: Vec::new(),
            tuple_ids: HashMap::default(),
            small_tuple_ids: HashMap::default(),
            tuple_bands: Vec::new(),
            cell_ids: HashMap::default(),
            cell_key: Vec::new(),
            cell_tuple: Vec::new(),
            rows: Vec::new(),
            first_row: Vec::new(),
            months,
            own: requests.to_vec(),
            refused_for_conditions: false,
            full: false,
            scratch: Vec::new(),
        }
    }

    /// The header columns the cube reads from each row: tested, then summed.
    pub fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.tested
            .iter()
            .map(|t| t.column)
            .chain(self.summed.iter().map(|s| s.column))
    }

    /// Notes that the plan refused a row for a condition or a sum.
    pub fn refused_for_condition(&mut self) {
        self.refused_for_conditions = true;
    }

    /// The value id of each tested column in `row` (in the order of [`Cube::tested_columns`]),
    /// into `ids`. A value seen before is found by its bytes, without decoding it.
    pub fn row_ids(&mut self, row: &Row<'_>, ids: &mut Vec<u32>) {
        ids.clear();
        for t in &mut self.tested {
            let raw = row.record.get(t.column).unwrap_or_default();
            if let Some(&id) = t.raw_ids.get(raw) {
                ids.push(id);
                continue;
            }
            let id = match row.text(t.column) {
                Ok(text) => intern_value(t, text.as_deref().unwrap_or("").trim(), self.decimal),
                Err(_) => intern_unreadable(t),
            };
            if matches!(
                t.values.get(id as usize),
                Some(Value::Text(_) | Value::Unreadable)
            ) && t.raw_ids.len() < MAX_VALUES
                && raw.len() <= MAX_VALUE_BYTES
            {
                t.raw_ids.insert(raw.into(), id);
            }
            ids.push(id);
        }
    }

    /// The columns the cube tests, in the order of [`Cube::row_ids`].
    pub fn tested_columns(&self) -> Vec<usize> {
        self.tested.iter().map(|t| t.column).collect()
    }

    /// Each tested column by its header name with its distinct values (trimmed, non-empty,
    /// sorted), at most `max` of them: what an editor offers for a condition's value.
    pub fn tested_values(&self, max: usize) -> Vec<(String, Vec<String>)> {
        self.tested
            .iter()
            .filter_map(|t| {
                let name = self.header.get(t.column)?;
                let mut values: Vec<String> = t
                    .values
                    .iter()
                    .filter_map(|v| match v {
                        Value::Text(s) if !s.is_empty() => Some(s.to_string()),
                        _ => None,
                    })
                    .collect();
                values.sort();
                values.truncate(max);
                Some((name.clone(), values))
            })
            .collect()
    }

    /// The text of a tested column's value id, when it is kept as a value.
    pub fn value_text(&self, tested: usize, id: u32) -> Option<&str> {
        match self.tested.get(tested)?.values.get(id as usize)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Whether value `id` of tested column `tested` stands for the outcome of the plan's
    /// conditions on values past the column's first [`MAX_VALUES`] (not only a long value).
    pub fn is_past_max_values(&self, tested: usize, id: u32) -> bool {
        self.tested.get(tested).is_some_and(|t| {
            t.ids.len() >= MAX_VALUES
                && matches!(t.values.get(id as usize), Some(Value::Outcome(_)))
        })
    }

    /// Adds a used row in its finest cell `key`.
    pub fn add(&mut self, key: CellKey, row: &Row<'_>) {
        let mut ids = std::mem::take(&mut self.scratch);
        self.row_ids(row, &mut ids);
        self.add_ids(key, row, &ids, 1);
        self.scratch = ids;
    }

    /// Adds `weight` used rows alike (1 for a row of a file; a group's rows for a row of an
    /// aggregated table) whose tested values are `ids` ([`Cube::row_ids`]).
    pub fn add_ids(&mut self, key: CellKey, row: &Row<'_>, ids: &[u32], weight: u64) {
        let w = weight as f64;
        if self.full {
            return;
        }
        // A tuple of up to four small ids is found by one machine word.
        let packed = pack_ids(ids);
        let known = match packed {
            Some(p) => self.small_tuple_ids.get(&p),
            None => self.tuple_ids.get(ids),
        };
        let tuple = match known {
            Some(&t) => t,
            None => {
                let n = self.tuple_bands.len();
                let Some(t) = u32::try_from(n).ok().filter(|&t| t < u32::MAX) else {
                    self.full = true;
                    return;
                };
                self.tuples.extend_from_slice(ids);
                match packed {
                    Some(p) => self.small_tuple_ids.insert(p, t),
                    None => self.tuple_ids.insert(ids.into(), t),
                };
                self.tuple_bands.push(0);
                t
            }
        };
        if let Some(b) = self.tuple_bands.get_mut(tuple as usize) {
            *b |= if key.band == NO_BAND {
                1 << 31
            } else {
                1 << key.band.min(30)
            };
        }
        let Some(key_id) = intern(&mut self.key_ids, &mut self.keys, key) else {
            self.full = true;
            return;
        };
        let cell = match self.cell_ids.get(&(key_id, tuple)) {
            Some(&c) => c as usize,
            None => {
                let Some(c) = u32::try_from(self.cell_key.len())
                    .ok()
                    .filter(|&c| c < u32::MAX)
                else {
                    self.full = true;
                    return;
                };
                self.cell_ids.insert((key_id, tuple), c);
                self.cell_key.push(key_id);
                self.cell_tuple.push(tuple);
                self.rows.push(0.0);
                self.first_row.push(row.row());
                for s in &mut self.summed {
                    s.sum.push(0.0);
                    s.moments.push(Moments::default());
                    s.rows.push(0.0);
                    s.bad.push(0);
                }
                c as usize
            }
        };
        self.rows[cell] += w;
        for s in &mut self.summed {
            match row
                .text(s.column)
                .ok()
                .flatten()
                .and_then(|t| parse_number(&t, self.decimal))
            {
                Some(v) if v >= 0.0 => {
                    s.sum[cell] += v * w;
                    s.moments[cell].push_weighted(v, w);
                    s.rows[cell] += w;
                }
                _ => {
                    if s.bad[cell] == 0 {
                        s.bad_cells.push(cell as u32);
                    }
                    let n = u32::try_from(weight).unwrap_or(u32::MAX);
                    s.bad[cell] = s.bad[cell].saturating_add(n);
                }
            }
        }
    }

    /// What [`Cube::merge_part`] needs of this cube, to send it to the plan of an earlier
    /// byte range of the same file ([`crate::ingest::ranges`]).
    pub fn into_part(self) -> CubePart {
        CubePart {
            tested: self
                .tested
                .into_iter()
                .map(|t| (t.ids.len(), t.values))
                .collect(),
            sums: !self.summed.is_empty(),
            full: self.full,
            months: self.months,
            tuples: self.tuples,
            tuple_bands: self.tuple_bands,
            keys: self.keys,
            cell_key: self.cell_key,
            cell_tuple: self.cell_tuple,
            rows: self.rows,
            first_row: self.first_row,
            refused_for_conditions: self.refused_for_conditions,
        }
    }

    /// Adds the cube of a later byte range of the same file (read by a plan made for the
    /// same requests; [`crate::ingest::ranges`]), as if its rows had come after this cube's:
    /// the same value, tuple, key and cell ids, in the same first-seen order, as one pass
    /// gives. `geos` and `providers` map the later plan's area and health-centre ids to this
    /// plan's; its rows were numbered from 1 with `row_offset` rows before them. Sums are not
    /// merged (adding in another order can change the last bit): a cube that sums refuses.
    /// Returns, per tested column, the later cube's value ids as this cube's.
    pub fn merge_part(
        &mut self,
        later: CubePart,
        geos: &[u32],
        providers: &[u32],
        row_offset: u64,
    ) -> Result<Vec<Vec<u32>>, OnePass> {
        if !self.summed.is_empty() || later.sums {
            return Err(OnePass(
                "the plan sums values, whose order of adding matters",
            ));
        }
        if self.full || later.full {
            return Err(OnePass(
                "the source has more distinct cells than Samsyn keeps",
            ));
        }
        if self.tested.len() != later.tested.len() || self.months != later.months {
            return Err(OnePass("the ranges were read by different plans"));
        }
        let n = later.cell_key.len();
        if [
            later.cell_tuple.len(),
            later.rows.len(),
            later.first_row.len(),
        ] != [n; 3]
            || later.tuples.len() != later.tuple_bands.len() * self.tested.len()
        {
            return Err(OnePass("the part of a later range does not hold together"));
        }
        let mut value_maps = Vec::with_capacity(self.tested.len());
        for (t, (later_ids, later_values)) in self.tested.iter_mut().zip(&later.tested) {
            // Past the cap, a value one pass would have kept as itself may be an outcome here.
            if *later_ids >= MAX_VALUES {
                return Err(OnePass("a tested column has too many distinct values"));
            }
            let mut map = Vec::with_capacity(later_values.len());
            for v in later_values {
                let id = match v {
                    Value::Text(text) => match t.ids.get(&**text) {
                        Some(&id) => id,
                        None if t.ids.len() >= MAX_VALUES => {
                            return Err(OnePass("a tested column has too many distinct values"))
                        }
                        None => {
                            let id = t.values.len() as u32;
                            t.ids.insert(text.clone(), id);
                            t.values.push(v.clone());
                            id
                        }
                    },
                    Value::Unreadable => intern_unreadable(t),
                    Value::Outcome(bits) => {
                        let values = &mut t.values;
                        *t.outcome_ids.entry(*bits).or_insert_with(|| {
                            values.push(Value::Outcome(*bits));
                            (values.len() - 1) as u32
                        })
                    }
                };
                map.push(id);
            }
            value_maps.push(map);
        }
        let width = self.tested.len();
        let mut tuple_map = Vec::with_capacity(later.tuple_bands.len());
        let mut ids = vec![0u32; width];
        for (t, &bands) in later.tuple_bands.iter().enumerate() {
            let old = later
                .tuples
                .get(t * width..(t + 1) * width)
                .unwrap_or_default();
            for ((id, &o), map) in ids.iter_mut().zip(old).zip(&value_maps) {
                *id = map.get(o as usize).copied().unwrap_or(u32::MAX);
            }
            let packed = pack_ids(&ids);
            let known = match packed {
                Some(p) => self.small_tuple_ids.get(&p),
                None => self.tuple_ids.get(ids.as_slice()),
            };
            let tuple = match known {
                Some(&tuple) => tuple,
                None => {
                    let tuple = u32::try_from(self.tuple_bands.len())
                        .ok()
                        .filter(|&t| t < u32::MAX)
                        .ok_or(OnePass(
                            "the source has more distinct cells than Samsyn keeps",
                        ))?;
                    self.tuples.extend_from_slice(&ids);
                    match packed {
                        Some(p) => self.small_tuple_ids.insert(p, tuple),
                        None => self.tuple_ids.insert(ids.as_slice().into(), tuple),
                    };
                    self.tuple_bands.push(0);
                    tuple
                }
            };
            self.tuple_bands[tuple as usize] |= bands;
            tuple_map.push(tuple);
        }
        let remap = |id: u32, map: &[u32], none: u32| {
            if id == none {
                Some(none)
            } else {
                map.get(id as usize).copied()
            }
        };
        // Room for the later cube's keys and cells, as if all were new: one growth, not many.
        self.keys.reserve(later.keys.len());
        self.key_ids.reserve(later.keys.len());
        self.cell_ids.reserve(later.cell_key.len());
        self.cell_key.reserve(later.cell_key.len());
        self.cell_tuple.reserve(later.cell_key.len());
        self.rows.reserve(later.cell_key.len());
        self.first_row.reserve(later.cell_key.len());
        let mut key_map = Vec::with_capacity(later.keys.len());
        for k in &later.keys {
            let key = CellKey {
                geo: remap(k.geo, geos, u32::MAX).ok_or(OnePass("an area id is unknown"))?,
                provider: remap(k.provider, providers, super::cells::NO_PROVIDER)
                    .ok_or(OnePass("a health-centre id is unknown"))?,
                ..*k
            };
            let id = intern(&mut self.key_ids, &mut self.keys, key).ok_or(OnePass(
                "the source has more distinct cells than Samsyn keeps",
            ))?;
            key_map.push(id);
        }
        let cells = later
            .cell_key
            .iter()
            .zip(&later.cell_tuple)
            .zip(later.rows.iter().zip(&later.first_row));
        for ((&k, &t), (&rows, &first_row)) in cells {
            let (Some(&key), Some(&tuple)) = (key_map.get(k as usize), tuple_map.get(t as usize))
            else {
                return Err(OnePass("a cell of a later range is unknown"));
            };
            match self.cell_ids.get(&(key, tuple)) {
                Some(&cell) => {
                    if let Some(r) = self.rows.get_mut(cell as usize) {
                        *r += rows;
                    }
                }
                None => {
                    let cell = u32::try_from(self.cell_key.len())
                        .ok()
                        .filter(|&c| c < u32::MAX)
                        .ok_or(OnePass(
                            "the source has more distinct cells than Samsyn keeps",
                        ))?;
                    self.cell_ids.insert((key, tuple), cell);
                    self.cell_key.push(key);
                    self.cell_tuple.push(tuple);
                    self.rows.push(rows);
                    self.first_row.push(first_row.saturating_add(row_offset));
                }
            }
        }
        self.refused_for_conditions |= later.refused_for_conditions;
        Ok(value_maps)
    }

    /// The finest cell of cube cell `cell` (always there: both are made together).
    fn key_of(&self, cell: usize) -> Option<CellKey> {
        self.keys.get(*self.cell_key.get(cell)? as usize).copied()
    }

    /// Cells in the cube (for measurements).
    pub fn len(&self) -> usize {
        self.cell_key.len()
    }

    /// Whether the cube holds no row.
    pub fn is_empty(&self) -> bool {
        self.cell_key.is_empty()
    }

    /// Whether [`Cube::derive`] can answer `requests` (with months when `months`).
    pub fn answers(&self, requests: &[SideRequest], months: bool) -> Result<(), Reread> {
        self.sides(requests, months).map(|_| ())
    }

    /// Per request: which tuples of tested values it counts (`None`: a value it would test
    /// cannot be read), its summed column and its bands; `Err` when the cube cannot answer.
    /// Costs the distinct values and tuples, never the cells (but those with unreadable sums).
    fn sides(&self, requests: &[SideRequest], months: bool) -> Result<Vec<SidePlan>, Reread> {
        if self.full {
            return Err(Reread(Message::both(
                "the source has more distinct cells than Samsyn keeps",
                "källan har fler olika celler än Samsyn sparar",
            )));
        }
        if months && !self.months {
            return Err(Reread(Message::both(
                "the source was read by year; a level by month needs its months",
                "källan lästes per år; en nivå per månad behöver källans månader",
            )));
        }
        let same = same_sides(&self.own, requests, false);
        if self.refused_for_conditions && !same {
            return Err(Reread(Message::both(
                "rows were refused for a condition or a value to sum when the file was read; \
                 with other conditions they may count",
                "rader avvisades för ett villkor eller ett värde att summera när filen lästes; \
                 med andra villkor kan de räknas",
            )));
        }
        // Per request: per condition, the tested column and each value's outcome.
        let mut sides = Vec::with_capacity(requests.len());
        for r in requests {
            let mut conds: Vec<(usize, Vec<Option<bool>>, bool)> = Vec::new();
            for c in &r.conditions {
                let col = find_column(&self.header, &c.column)
                    .and_then(|col| self.tested.iter().position(|t| t.column == col))
                    .ok_or_else(|| {
                        Reread(Message::both(
                            format!("the column '{}' was not read for a condition", c.column),
                            format!("kolumnen '{}' lästes inte för något villkor", c.column),
                        ))
                    })?;
                let t = &self.tested[col];
                let own = t.own.iter().position(|o| o == c);
                let numeric = !matches!(
                    (c.op, &c.value),
                    (Op::In, _) | (Op::Eq | Op::Ne, super::definition::CondValue::Text(_))
                );
                let mut outcome = Vec::with_capacity(t.values.len());
                for v in &t.values {
                    outcome.push(match v {
                        Value::Text(text) => test(c, text, self.decimal),
                        Value::Unreadable => None,
                        Value::Outcome(bits) => match own {
                            Some(i) => Some(bits >> i & 1 == 1),
                            None => {
                                return Err(Reread(Message::both(
                                    format!(
                                        "'{}' has more distinct values, or longer ones, than the cube keeps, so \
                                         only the notebook's own conditions on it are answered",
                                        c.column
                                    ),
                                    format!(
                                        "'{}' har fler olika värden, eller längre värden, än kuben sparar, så \
                                         bara anteckningsbokens egna villkor på kolumnen besvaras",
                                        c.column
                                    ),
                                )))
                            }
                        },
                    });
                }
                conds.push((col, outcome, numeric));
            }
            // Text tests first, as the plan tests them.
            conds.sort_by_key(|(_, _, numeric)| *numeric);
            let sum = match r.sum.as_deref() {
                None => None,
                Some(s) => Some(
                    find_column(&self.header, s)
                        .and_then(|col| self.summed.iter().position(|x| x.column == col))
                        .ok_or_else(|| {
                            Reread(Message::both(
                                format!("the column '{s}' was not read to sum"),
                                format!("kolumnen '{s}' lästes inte för att summeras"),
                            ))
                        })?,
                ),
            };
            // Each tuple's outcome, once: text tests first, the first false ends it.
            let d = self.tested.len();
            let n = self.tuple_bands.len();
            let mut counts = Vec::with_capacity(n);
            for t in 0..n {
                let values = &self.tuples[t * d..t * d + d];
                let mut outcome = Some(true);
                for (col, by_value, _) in &conds {
                    match by_value.get(values[*col] as usize).copied().flatten() {
                        Some(true) => {}
                        Some(false) => {
                            outcome = Some(false);
                            break;
                        }
                        None => {
                            // Refused rows, if any row with these values is in the side's
                            // ages: the cube holds them as used.
                            if self
                                .tuple_bands
                                .get(t)
                                .is_some_and(|b| b & band_mask(r.bands) != 0)
                            {
                                let column = &self.header[self.tested[*col].column];
                                return Err(Reread(Message::both(
                                    format!(
                                        "a condition on '{column}' cannot read some of the values it \
                                         would now test, so those rows must be refused"
                                    ),
                                    format!(
                                        "ett villkor på '{column}' kan inte läsa en del av de värden det \
                                         nu skulle pröva, så de raderna måste avvisas"
                                    ),
                                )));
                            }
                            outcome = Some(false);
                            break;
                        }
                    }
                }
                counts.push(outcome == Some(true));
            }
            if let Some(s) = sum {
                let summed = &self.summed[s];
                for &cell in &summed.bad_cells {
                    let cell = cell as usize;
                    let Some(band) = self.key_of(cell).map(|k| k.band) else {
                        continue;
                    };
                    let counted = counts.get(self.cell_tuple[cell] as usize).copied();
                    if counted == Some(true) && in_bands(band, r.bands) {
                        let column = &self.header[summed.column];
                        return Err(Reread(Message::both(
                            format!("some rows would now sum '{column}' where it is not a number"),
                            format!("några rader skulle nu summera '{column}' där värdet inte är ett tal"),
                        )));
                    }
                }
            }
            sides.push(SidePlan {
                counts,
                sum,
                bands: r.bands,
            });
        }
        Ok(sides)
    }

    /// The finest cells and each request's sums over them, as the plan would have made them
    /// reading the file for `requests`: cells in the order their first counted row was read.
    pub fn derive(
        &self,
        requests: &[SideRequest],
        months: bool,
    ) -> Result<(Vec<CellKey>, Vec<SideSums>), Reread> {
        let sides = self.sides(requests, months)?;
        // Derived finest cells, with the first row counted in each.
        let mut ids: HashMap<CellKey, u32, FxBuild> = HashMap::default();
        let mut keys: Vec<CellKey> = Vec::new();
        let mut first: Vec<u64> = Vec::new();
        let mut out: Vec<SideSums> = requests
            .iter()
            .map(|r| SideSums {
                indicator: r.indicator,
                side: r.side,
                need_sq: r.need_sq,
                need_rows: r.sum.is_some(),
                ..SideSums::default()
            })
            .collect();
        let mut matched: Vec<Option<(f64, Moments, f64)>> = vec![None; requests.len()];
        for cell in 0..self.cell_key.len() {
            let Some(key) = self.key_of(cell) else {
                continue;
            };
            let tuple = self.cell_tuple[cell] as usize;
            let mut any = false;
            for (slot, side) in matched.iter_mut().zip(&sides) {
                *slot = None;
                if !side.counts.get(tuple).copied().unwrap_or(false)
                    || !in_bands(key.band, side.bands)
                {
                    continue;
                }
                let sum = &side.sum;
                *slot = Some(match sum {
                    None => {
                        // Each counted row is a value of 1.
                        let mut m = Moments::default();
                        m.push_weighted(1.0, self.rows[cell]);
                        (self.rows[cell], m, self.rows[cell])
                    }
                    Some(s) => {
                        let s = &self.summed[*s];
                        (s.sum[cell], s.moments[cell], s.rows[cell])
                    }
                });
                any = true;
            }
            if !any {
                continue;
            }
            let key = CellKey {
                month: if months { key.month } else { 0 },
                ..key
            };
            let id = match ids.get(&key) {
                Some(&id) => {
                    let f = &mut first[id as usize];
                    *f = (*f).min(self.first_row[cell]);
                    id as usize
                }
                None => {
                    let id = keys.len();
                    ids.insert(key, id as u32);
                    keys.push(key);
                    first.push(self.first_row[cell]);
                    for s in &mut out {
                        s.sum.push(0.0);
                        if s.need_sq {
                            s.moments.push(Moments::default());
                        }
                        if s.need_rows {
                            s.rows.push(0.0);
                        }
                    }
                    id
                }
            };
            for (m, s) in matched.iter().zip(&mut out) {
                let Some((sum, moments, rows)) = m else {
                    continue;
                };
                s.sum[id] += sum;
                if s.need_sq {
                    s.moments[id].merge(moments);
                }
                if s.need_rows {
                    s.rows[id] += rows;
                }
            }
        }
        // The order the plan would have met the cells in.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by_key(|&i| first[i]);
        let keys = order.iter().map(|&i| keys[i]).collect();
        for s in &mut out {
            let pick = |v: &Vec<f64>| -> Vec<f64> {
                if v.is_empty() {
                    Vec::new()
                } else {
                    order.iter().map(|&i| v[i]).collect()
                }
            };
            s.sum = pick(&s.sum);
            s.rows = pick(&s.rows);
            if !s.moments.is_empty() {
                s.moments = order.iter().map(|&i| s.moments[i]).collect();
            }
        }
        Ok((keys, out))
    }
}

fn intern(
    ids: &mut HashMap<CellKey, u32, FxBuild>,
    keys: &mut Vec<CellKey>,
    k: CellKey,
) -> Option<u32> {
    if let Some(&id) = ids.get(&k) {
        return Some(id);
    }
    let id = u32::try_from(keys.len()).ok().filter(|&i| i < u32::MAX)?;
    ids.insert(k, id);
    keys.push(k);
    Some(id)
}

/// The id of the values that are not valid text.
fn intern_unreadable(t: &mut Tested) -> u32 {
    *t.unreadable.get_or_insert_with(|| {
        t.values.push(Value::Unreadable);
        (t.values.len() - 1) as u32
    })
}

/// A value's id in its column: the value itself below [`MAX_VALUES`], else the outcome of the
/// plan's own conditions on it.
fn intern_value(t: &mut Tested, text: &str, decimal: Decimal) -> u32 {
    if let Some(&id) = t.ids.get(text) {
        return id;
    }
    let value = if t.ids.len() < MAX_VALUES && text.len() <= MAX_VALUE_BYTES {
        Value::Text(text.into())
    } else {
        let mut bits = 0u64;
        for (i, c) in t.own.iter().enumerate() {
            if test(c, text, decimal) == Some(true) {
                bits |= 1 << i;
            }
        }
        // Outcomes are few (at most one per combination of the plan's conditions).
        let values = &mut t.values;
        return *t.outcome_ids.entry(bits).or_insert_with(|| {
            values.push(Value::Outcome(bits));
            (values.len() - 1) as u32
        });
    };
    let id = t.values.len() as u32;
    t.ids.insert(text.into(), id);
    t.values.push(value);
    id
}

/// Whether `text` meets `c`; `None` when it cannot be compared (a number is needed).
pub(crate) fn test(c: &Condition, text: &str, decimal: Decimal) -> Option<bool> {
    use super::definition::CondValue;
    let number = |v: &CondValue| match v {
        CondValue::Number(x) => Some(*x),
        CondValue::Text(t) => parse_number(t, Decimal::Point),
        CondValue::List(_) => None,
    };
    Some(match (c.op, &c.value) {
        (Op::In, CondValue::List(vs)) => vs.iter().any(|v| v.trim() == text),
        (Op::Eq, CondValue::Text(t)) => t.trim() == text,
        (Op::Ne, CondValue::Text(t)) => t.trim() != text,
        (op, v) => {
            let (x, v) = (parse_number(text, decimal)?, number(v)?);
            match op {
                Op::Eq => x == v,
                Op::Ne => x != v,
                Op::Lt => x < v,
                Op::Le => x <= v,
                Op::Gt => x > v,
                Op::Ge => x >= v,
                Op::In => return None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::pack_ids;

    #[test]
    fn small_tuples_pack_to_distinct_words_and_others_do_not_pack() {
        let tuples: [&[u32]; 6] = [&[], &[0], &[0, 0], &[1, 0], &[0, 1], &[65533, 7, 0, 2]];
        let words: Vec<u64> = tuples.iter().map(|t| pack_ids(t).unwrap()).collect();
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(pack_ids(&[65535]), None);
        assert_eq!(pack_ids(&[1, 2, 3, 4, 5]), None);
    }
}
