//! A data cell's contract: what the rows of an input must be, beyond the key columns' defaults
//! (issue 10). A row id column whose values are unique, the allowed values of a column (`sex`,
//! `event_type`), numeric ranges of a column. Every breach is a located problem and the row is
//! refused (counted in the input's [`crate::ledger::RowLedger`]).
//!
//! The contract is part of the notebook (`DataCell::contract`, optional and empty by default, so
//! every older file opens unchanged); it is checked against the header once, so a column it
//! names that the file lacks is an error before any row is read.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::counts::parse_number;
use crate::error::{Error, Location, Message};
use crate::hashing::FxBuild;
use crate::indicators::definition::{CondValue, Condition, Op};
use crate::indicators::levels::find_column;
use crate::ingest::{Decimal, Row};
use crate::row_checks::{trim_like_str, Breach, Refusal};

/// What the rows of one input must be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Contract {
    /// A column whose values identify a row: an empty or repeated value refuses the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_id: Option<String>,
    /// Column → the values it may hold (compared after trimming blanks).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allowed: BTreeMap<String, Vec<String>>,
    /// Column → the numbers it may hold.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ranges: BTreeMap<String, Range>,
    /// Rows that repeat an earlier row field for field are used, not refused: for files
    /// without a row id in which two events can be alike in every column. Also saves the
    /// 16 bytes a row the duplicate check keeps.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_duplicate_rows: bool,
    /// Fields this version does not know, kept for saving.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Numbers from `min` to `max` (both inclusive, either open), whole numbers only if `integer`;
/// with `when`, only on the rows whose text meets that condition (`event_type =
/// assessed_within_3_days`: a 0/1 value where only that event type has one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Range {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

impl Contract {
    /// Whether the contract asks for nothing.
    pub fn is_empty(&self) -> bool {
        self.row_id.is_none()
            && self.allowed.is_empty()
            && self.ranges.is_empty()
            && !self.allow_duplicate_rows
    }
}

/// A contract resolved against a file's header.
#[derive(Debug)]
pub struct ContractCheck {
    row_id: Option<usize>,
    allowed: Vec<(usize, String, HashSet<String, FxBuild>)>,
    ranges: Vec<(usize, String, Range, Option<When>)>,
    decimal: Decimal,
    /// Per column of `allowed`, then of `ranges`: the bytes of values that passed, so a
    /// repeated value is decoded, trimmed and checked once (at most [`PASSED_KEPT`] each).
    passed: Vec<HashSet<Box<[u8]>, FxBuild>>,
}

/// Values remembered as passed per checked column.
const PASSED_KEPT: usize = 4096;

/// Whether `raw` passed before; `false` when it must be checked.
fn passed_before(passed: &[HashSet<Box<[u8]>, FxBuild>], at: usize, raw: Option<&[u8]>) -> bool {
    raw.is_some_and(|r| passed.get(at).is_some_and(|p| p.contains(r)))
}

/// Notes that `raw` passed.
fn note_passed(passed: &mut [HashSet<Box<[u8]>, FxBuild>], at: usize, raw: Option<&[u8]>) {
    if let (Some(p), Some(r)) = (passed.get_mut(at), raw) {
        if p.len() < PASSED_KEPT && r.len() <= 64 {
            p.insert(r.into());
        }
    }
}

/// A range's `when`, resolved: the column and the texts that make it apply (or not, for `!=`).
#[derive(Debug)]
struct When {
    column: usize,
    values: Vec<String>,
    negate: bool,
}

impl ContractCheck {
    /// Resolves the contract's columns; a column the file lacks is an error.
    pub fn new(
        contract: &Contract,
        input: &str,
        names: &[String],
        decimal: Decimal,
    ) -> Result<Self, Error> {
        let find = |c: &str, field: &str| {
            find_column(names, c).ok_or_else(|| Error::MissingColumn {
                at: Location::file(""),
                wanted: Box::new(Message::both(
                    format!("the column '{c}' of the contract of '{input}' ({field})"),
                    format!("kolumnen '{c}' i kontraktet för '{input}' ({field})"),
                )),
                found: names.join(", "),
            })
        };
        let row_id = match &contract.row_id {
            Some(c) => Some(find(c, "row_id")?),
            None => None,
        };
        let mut allowed = Vec::new();
        for (c, values) in &contract.allowed {
            let set: HashSet<String, FxBuild> =
                values.iter().map(|v| v.trim().to_owned()).collect();
            allowed.push((find(c, "allowed")?, c.clone(), set));
        }
        let mut ranges = Vec::new();
        for (c, r) in &contract.ranges {
            let when = match &r.when {
                None => None,
                Some(w) => {
                    let (values, negate) = match (w.op, &w.value) {
                        (Op::Eq, CondValue::Text(t)) => (vec![t.trim().to_owned()], false),
                        (Op::Ne, CondValue::Text(t)) => (vec![t.trim().to_owned()], true),
                        (Op::Eq, CondValue::Number(x)) => (vec![x.to_string()], false),
                        (Op::In, CondValue::List(vs)) => {
                            (vs.iter().map(|v| v.trim().to_owned()).collect(), false)
                        }
                        _ => {
                            return Err(Error::Unreadable {
                                at: Location::file(""),
                                message: Message::both(
                                    format!(
                                        "the contract of '{input}': ranges.{c}.when compares text: use =, != or in"
                                    ),
                                    format!(
                                        "kontraktet för '{input}': ranges.{c}.when jämför text: använd =, != eller in"
                                    ),
                                ),
                            })
                        }
                    };
                    Some(When {
                        column: find(&w.column, "ranges.when")?,
                        values,
                        negate,
                    })
                }
            };
            ranges.push((find(c, "ranges")?, c.clone(), r.clone(), when));
        }
        let passed = vec![HashSet::default(); allowed.len() + ranges.len()];
        Ok(ContractCheck {
            row_id,
            allowed,
            ranges,
            decimal,
            passed,
        })
    }

    /// The row id's column, if the contract declares one.
    pub fn row_id_column(&self) -> Option<usize> {
        self.row_id
    }

    /// The first breach of the contract in a row, and the column it concerns. Whether the
    /// row's id was seen in an earlier row is `repeated_id` (the plan keeps the ids,
    /// [`crate::ledger::SeenRows::check`]).
    pub fn check(&mut self, row: &Row<'_>, repeated_id: bool) -> Result<(), (usize, Breach)> {
        let text = |i: usize| match row.text(i) {
            Ok(t) => Ok(t.unwrap_or_default()),
            Err(m) => Err((i, Breach::worded(Refusal::NotText, m))),
        };
        // ASCII bytes are their own text in every encoding read: the common field is checked
        // where it lies, without decoding.
        let ascii = |i: usize| {
            row.record
                .get(i)
                .filter(|b| b.is_ascii())
                .map(trim_like_str)
        };
        let new_id = |i: usize| !repeated_id && ascii(i).is_some_and(|id| !id.is_empty());
        if let Some(i) = self.row_id.filter(|&i| !new_id(i)) {
            let t = text(i)?;
            let id = t.trim();
            if id.is_empty() {
                return Err((
                    i,
                    Breach::worded(
                        Refusal::DuplicateId,
                        Message::both("the row id is empty", "rad-id:t är tomt"),
                    ),
                ));
            }
            if repeated_id {
                return Err((
                    i,
                    Breach::worded(
                        Refusal::DuplicateId,
                        Message::both(
                            format!("the row id '{id}' was seen in an earlier row"),
                            format!("rad-id:t '{id}' fanns redan på en tidigare rad"),
                        ),
                    ),
                ));
            }
        }
        for (at, (i, name, set)) in self.allowed.iter().enumerate() {
            let raw = row.record.get(*i);
            if passed_before(&self.passed, at, raw) {
                continue;
            }
            let t = text(*i)?;
            let v = t.trim();
            if !set.contains(v) {
                let mut listed: Vec<&str> = set.iter().map(String::as_str).collect();
                listed.sort_unstable();
                let listed = listed.join(", ");
                return Err((
                    *i,
                    Breach::worded(
                        Refusal::NotAllowed(name.clone()),
                        Message::both(
                            format!("'{v}' is not one of the values allowed in '{name}' ({listed})"),
                            format!(
                                "'{v}' finns inte bland de tillåtna värdena i kolumnen '{name}' ({listed})"
                            ),
                        ),
                    ),
                ));
            }
            note_passed(&mut self.passed, at, raw);
        }
        let first_range = self.allowed.len();
        for (at, (i, name, r, when)) in self.ranges.iter().enumerate() {
            let at = first_range + at;
            if let Some(w) = when {
                let applies = match ascii(w.column) {
                    Some(b) => w.values.iter().any(|v| v.as_bytes() == b),
                    None => {
                        let t = text(w.column)?;
                        w.values.iter().any(|v| v == t.trim())
                    }
                };
                if applies == w.negate {
                    continue;
                }
            }
            let raw = row.record.get(*i);
            if passed_before(&self.passed, at, raw) {
                continue;
            }
            let t = text(*i)?;
            let v = t.trim();
            let Some(x) = parse_number(v, self.decimal) else {
                return Err((
                    *i,
                    Breach::worded(
                        Refusal::NotNumber(name.clone()),
                        Message::both(
                            format!("'{v}' is not a number"),
                            format!("'{v}' är inte ett tal"),
                        ),
                    ),
                ));
            };
            if r.integer && x.fract() != 0.0 {
                return Err((
                    *i,
                    Breach::worded(
                        Refusal::NotNumber(name.clone()),
                        Message::both(
                            format!("'{v}' is not a whole number"),
                            format!("'{v}' är inte ett heltal"),
                        ),
                    ),
                ));
            }
            let below = r.min.is_some_and(|m| x < m);
            let above = r.max.is_some_and(|m| x > m);
            if below || above {
                let show = |b: Option<f64>| b.map_or_else(|| "…".to_owned(), |b| b.to_string());
                let (min, max) = (show(r.min), show(r.max));
                return Err((
                    *i,
                    Breach::worded(
                        Refusal::OutOfRange(name.clone()),
                        Message::both(
                            format!("{v} is outside the range of '{name}' ({min} to {max})"),
                            format!("{v} ligger utanför intervallet för kolumnen '{name}' ({min} till {max})"),
                        ),
                    ),
                ));
            }
            note_passed(&mut self.passed, at, raw);
        }
        Ok(())
    }
}
