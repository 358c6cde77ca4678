//! The first look at any file: per column its type, role, missing and distinct values and range,
//! and a validation report of every value that cannot be used, in one streaming pass.
//!
//! Types are inferred without holding the column: every cell is tested against each candidate
//! type (integer, decimal, the date formats, yes/no) and only counts, the range and the first
//! failing cells are kept. At the end the most specific type that (nearly) every value fits is
//! chosen, and the values that do not fit it are reported. Codes stay text: a column whose role is
//! a kommun, DeSO or län code, or whose values have leading zeros. Role checks (kommun and DeSO
//! codes, ages 0–120, counts ≥ 0, sex K or M) run on every cell as it streams by, and the checks
//! across columns of [`crate::row_checks`] (the kommun that of the DeSO code, the year that of
//! the date) on every row: the messages are those a notebook run gives for the same row (issue
//! 10). Exact duplicates are left to the plans, which refuse them: the file view describes the
//! file as it is, and fixtures and aggregated tables repeat rows on purpose. A date column's bad values are those the one date parser
//! ([`crate::dates`]) refuses. A `region` column whose values are all four digits is suggested
//! as the kommun (SCB's tables name both `region`).

pub mod summary;
pub mod values;

use std::collections::HashSet;

use serde::Serialize;

use crate::areas::{self, KommunCode};
use crate::error::{Error, Location, Message, Problem, Problems};
use crate::hashing::FxBuild;
use crate::ingest::{
    read_bytes, Decimal, Dialect, Flow, ReadOptions, ReadOutcome, ReadStats, RecordSink, Row,
    Source,
};
use crate::row_checks::{self, Refusal};
use crate::table::roles::{Role, RoleChoices};
use values::DateFormat;

/// At most this many distinct values are remembered per column; beyond it the count is a floor.
pub const DISTINCT_CAP: usize = 10_000;
/// At most this many values that do not fit a candidate type are remembered per column.
const FAILURES_KEPT: usize = Problems::KEEP;
/// Oldest plausible age in years (the oldest Swede recorded was 112).
pub const MAX_AGE_YEARS: f64 = row_checks::MAX_AGE_YEARS as f64;

/// The inferred type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Integer,
    Decimal,
    Date,
    Boolean,
    Text,
    /// Every value is missing.
    Empty,
}

impl ColumnType {
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Date => "date",
            ColumnType::Boolean => "boolean",
            ColumnType::Text => "text",
            ColumnType::Empty => "empty",
        }
    }
}

/// What inspecting found about one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnReport {
    pub name: String,
    #[serde(rename = "type")]
    pub column_type: ColumnType,
    /// For dates: the format they are written in.
    pub date_format: Option<DateFormat>,
    /// The role suggested by the header name.
    pub role: Option<Role>,
    /// Numbers-looking codes (leading zeros, or a code role) kept as text.
    pub code: bool,
    pub missing: u64,
    /// Distinct values (a floor when `distinct_capped`).
    pub distinct: u64,
    pub distinct_capped: bool,
    pub min: Option<String>,
    pub max: Option<String>,
    /// The column's values, sorted, when it has at most [`OFFERED_VALUES`] (a code list, the
    /// event types): what the editor offers for a condition before a run. Shown on this
    /// machine only, never in a report.
    pub values: Vec<String>,
}

/// Most distinct values a column may have for [`ColumnReport::values`] to list them.
pub const OFFERED_VALUES: usize = 200;

/// The result of inspecting a file.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub columns: Vec<ColumnReport>,
    pub stats: ReadStats,
    /// Rows not used (ragged, or cut by a broken quote); each has a problem.
    pub skipped_rows: u64,
    /// Their row numbers (the first [`Problems::KEEP`]).
    pub skipped_row_numbers: Vec<u64>,
    /// Sorted by row, then column.
    pub problems: Problems,
    pub source: Source,
}

/// Values of one column that did not fit a candidate type.
#[derive(Debug, Default)]
struct Failures {
    count: u64,
    first: Vec<(u64, Box<str>)>,
}

impl Failures {
    fn push(&mut self, row: u64, value: &str) {
        self.count += 1;
        if self.first.len() < FAILURES_KEPT {
            self.first.push((row, value.into()));
        }
    }
}

#[derive(Debug)]
struct ColumnState {
    name: String,
    role: Option<Role>,
    present: u64,
    missing: u64,
    not_integer: u64,
    not_number: Failures,
    not_boolean: u64,
    not_date: [Failures; 4],
    /// Values no date format reads: the bad values of a date column.
    not_any_date: Failures,
    date_range: [(u32, u32); 4],
    leading_zero: bool,
    /// Every value is exactly four digits (a `region` column of kommun codes).
    all_four_digits: bool,
    distinct: HashSet<Box<str>, FxBuild>,
    distinct_capped: bool,
    number_range: Option<(f64, f64)>,
    text_range: Option<(String, String)>,
}

impl ColumnState {
    fn new(name: &str, role: Option<Role>) -> Self {
        ColumnState {
            name: name.to_owned(),
            role,
            present: 0,
            missing: 0,
            not_integer: 0,
            not_number: Failures::default(),
            not_boolean: 0,
            not_date: Default::default(),
            not_any_date: Failures::default(),
            date_range: [(u32::MAX, 0); 4],
            leading_zero: false,
            all_four_digits: true,
            distinct: HashSet::default(),
            distinct_capped: false,
            number_range: None,
            text_range: None,
        }
    }

    fn numeric_role(&self) -> bool {
        matches!(
            self.role,
            Some(Role::Count | Role::Population | Role::Value | Role::Age | Role::Year)
        )
    }

    /// The distinct values, sorted, if there are few enough to offer ([`OFFERED_VALUES`]).
    fn offered_values(&self) -> Vec<String> {
        if self.distinct_capped || self.distinct.len() > OFFERED_VALUES {
            return Vec::new();
        }
        let mut values: Vec<String> = self.distinct.iter().map(|v| v.to_string()).collect();
        values.sort_unstable();
        values
    }

    fn code_role(&self) -> bool {
        matches!(self.role, Some(Role::Kommun | Role::Deso | Role::Lan))
    }

    /// Tests one present (non-missing) value against every candidate type.
    fn observe(&mut self, row: u64, t: &str, decimal: Decimal) {
        self.present += 1;
        if !self.distinct_capped && !self.distinct.contains(t) {
            if self.distinct.len() < DISTINCT_CAP {
                self.distinct.insert(t.into());
            } else {
                self.distinct_capped = true;
            }
        }
        match &mut self.text_range {
            None => self.text_range = Some((t.to_owned(), t.to_owned())),
            Some((lo, hi)) => {
                if t < lo.as_str() {
                    *lo = t.to_owned();
                } else if t > hi.as_str() {
                    *hi = t.to_owned();
                }
            }
        }
        self.leading_zero |= values::has_leading_zero(t);
        self.all_four_digits &= t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
        match values::number(t, decimal) {
            Some((v, integer)) => {
                if !integer {
                    self.not_integer += 1;
                }
                self.number_range = Some(match self.number_range {
                    None => (v, v),
                    Some((lo, hi)) => (lo.min(v), hi.max(v)),
                });
            }
            None => {
                self.not_integer += 1;
                self.not_number.push(row, t);
            }
        }
        if !values::is_boolean(t) {
            self.not_boolean += 1;
        }
        let mut a_date = false;
        for (k, format) in DateFormat::ALL.into_iter().enumerate() {
            // Once a format has failed often it cannot win; stop paying for it.
            let (Some(fails), Some(range)) = (self.not_date.get_mut(k), self.date_range.get_mut(k))
            else {
                continue;
            };
            if fails.count > self.present / 2 + 1 {
                fails.count += 1;
                continue;
            }
            match format.parse(t) {
                Some(key) => {
                    *range = (range.0.min(key), range.1.max(key));
                    a_date = true;
                }
                None => fails.push(row, t),
            }
        }
        if !a_date && crate::dates::parse_date(t).is_none() {
            self.not_any_date.push(row, t);
        }
    }

    /// The type chosen from the counts, and the failures to report for it.
    fn decide(&self) -> (ColumnType, Option<DateFormat>, Option<&Failures>) {
        let n = self.present;
        if n == 0 {
            return (ColumnType::Empty, None, None);
        }
        if self.code_role() || (self.leading_zero && !self.numeric_role()) {
            return (ColumnType::Text, None, None);
        }
        if !self.numeric_role() {
            if self.not_boolean == 0 {
                return (ColumnType::Boolean, None, None);
            }
            if let Some(k) = self.not_date.iter().position(|f| f.count == 0) {
                return (ColumnType::Date, DateFormat::ALL.get(k).copied(), None);
            }
        }
        let numbers = n - self.not_number.count;
        let integers = n - self.not_integer;
        let numeric_type = if integers == numbers {
            ColumnType::Integer
        } else {
            ColumnType::Decimal
        };
        if self.not_number.count == 0 || (self.numeric_role() && numbers > 0) {
            return (numeric_type, None, Some(&self.not_number));
        }
        // Mostly numbers, a few not: a numeric column with bad values.
        let mostly = |fails: u64| fails * 2 < n;
        let best_date = (0..4)
            .filter_map(|k| self.not_date.get(k).map(|f| (k, f)))
            .min_by_key(|(_, f)| f.count);
        if let Some((k, dates)) = best_date {
            if !self.numeric_role() && mostly(dates.count) && dates.count < self.not_number.count {
                return (
                    ColumnType::Date,
                    DateFormat::ALL.get(k).copied(),
                    Some(dates),
                );
            }
        }
        if mostly(self.not_number.count) {
            return (numeric_type, None, Some(&self.not_number));
        }
        (ColumnType::Text, None, None)
    }

    /// The column's report, the kept values that do not fit its type, and how many more did not.
    fn report(&self) -> (ColumnReport, Vec<(u64, Message)>, u64) {
        let (column_type, date_format, failures) = self.decide();
        // A date column's bad values are those no date format reads, as in every plan.
        let failures = match column_type {
            ColumnType::Date => failures.map(|_| &self.not_any_date),
            _ => failures,
        };
        let (min, max) = match (column_type, date_format) {
            (ColumnType::Integer | ColumnType::Decimal, _) => self
                .number_range
                .map(|(lo, hi)| (values::show_number(lo), values::show_number(hi)))
                .unzip(),
            (ColumnType::Date, Some(f)) => {
                let k = DateFormat::ALL.iter().position(|d| *d == f).unwrap_or(0);
                self.date_range
                    .get(k)
                    .filter(|(lo, hi)| lo <= hi)
                    .map(|&(lo, hi)| (f.show(lo), f.show(hi)))
                    .unzip()
            }
            _ => self.text_range.clone().unzip(),
        };
        let messages = failures
            .map(|f| {
                f.first
                    .iter()
                    .map(|(row, v)| {
                        let message = match date_format {
                            Some(_) => crate::dates::not_a_date_worded(v),
                            None => Message::both(
                                format!("'{v}' is not a number"),
                                format!("'{v}' är inte ett tal"),
                            ),
                        };
                        (*row, message)
                    })
                    .collect()
            })
            .unwrap_or_default();
        // SCB's `region` holds län or kommun codes; four digits throughout are kommuner.
        let role = match self.role {
            Some(Role::Lan) if self.present > 0 && self.all_four_digits => Some(Role::Kommun),
            role => role,
        };
        let report = ColumnReport {
            name: self.name.clone(),
            column_type,
            date_format,
            role,
            code: column_type == ColumnType::Text && (self.code_role() || self.leading_zero),
            missing: self.missing,
            distinct: self.distinct.len() as u64,
            distinct_capped: self.distinct_capped,
            min,
            max,
            values: self.offered_values(),
        };
        let not_kept = failures.map_or(0, |f| f.count.saturating_sub(f.first.len() as u64));
        (report, messages, not_kept)
    }
}

/// The plan: a [`RecordSink`] that inspects every cell.
#[derive(Debug, Default)]
pub struct Inspect {
    roles: RoleChoices,
    columns: Vec<ColumnState>,
    decimal: Option<Decimal>,
    skipped: u64,
    skipped_rows: Vec<u64>,
    /// The first column of each role checked across columns.
    cross: CrossColumns,
}

/// The columns of the checks across columns of a row.
#[derive(Debug, Default, Clone, Copy)]
struct CrossColumns {
    deso: Option<usize>,
    kommun: Option<usize>,
    date: Option<usize>,
    year: Option<usize>,
}

impl RecordSink for Inspect {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.columns = names
            .iter()
            .zip(self.roles.roles_of(names))
            .map(|(n, role)| ColumnState::new(n, role))
            .collect();
        self.decimal = Some(dialect.decimal);
        let of = |role: Role| self.columns.iter().position(|c| c.role == Some(role));
        self.cross = CrossColumns {
            deso: of(Role::Deso),
            kommun: of(Role::Kommun),
            date: of(Role::Date),
            year: of(Role::Year),
        };
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        if !row.has_header_shape(problems) {
            self.skip(row.row());
            return Flow::Continue;
        }
        check_across(self.cross, row, problems);
        let decimal = self.decimal.unwrap_or(Decimal::Point);
        for (i, column) in self.columns.iter_mut().enumerate() {
            let text = match row.text(i) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(message) => {
                    problems.error(row.at(i), message);
                    column.missing += 1;
                    continue;
                }
            };
            let t = text.trim();
            if values::is_missing(t) {
                column.missing += 1;
                continue;
            }
            // A repaired kommun code is counted as the code it was read as.
            match check_role(column.role, t, decimal, row, i, problems) {
                Some(fixed) => column.observe(row.row(), &fixed, decimal),
                None => column.observe(row.row(), t, decimal),
            }
        }
        Flow::Continue
    }
}

/// The checks across the columns of a row, as the plans make them: the kommun is the DeSO
/// code's, the year is the date's. Values that are bad in themselves are reported by their
/// column's checks, not here.
fn check_across(c: CrossColumns, row: &Row<'_>, problems: &mut Problems) {
    let text = |i: Option<usize>| {
        i.and_then(|i| row.text(i).ok().flatten())
            .map(|t| t.trim().to_owned())
            .filter(|t| !values::is_missing(t))
    };
    if let (Some(d), Some(k)) = (text(c.deso), text(c.kommun)) {
        if let (Ok(_), Ok(code)) = (areas::check_deso(&d), areas::check_kommun(&k)) {
            if let (Err(b), Some(i)) =
                (row_checks::kommun_matches_deso(code.as_str(), &d), c.kommun)
            {
                problems.error(row.at(i), b);
            }
        }
    }
    if let (Some(d), Some(y)) = (text(c.date), text(c.year)) {
        if let (Some(date), Some(year)) =
            (crate::dates::parse_date(&d), crate::dates::parse_year(&y))
        {
            if let (Err(b), Some(i)) = (row_checks::year_matches_date(year, date, &d), c.year) {
                problems.error(row.at(i), b);
            }
        }
    }
}

/// The checks a column's role asks for, on one present value; returns a repaired value.
fn check_role(
    role: Option<Role>,
    t: &str,
    decimal: Decimal,
    row: &Row<'_>,
    i: usize,
    problems: &mut Problems,
) -> Option<String> {
    match role {
        Some(Role::Kommun) => match areas::check_kommun_worded(t) {
            Ok(KommunCode::Valid(_)) => {}
            Ok(KommunCode::Repaired(fixed)) => {
                problems.warning(row.at(i), areas::lost_leading_zero(t, &fixed));
                return Some(fixed);
            }
            Err(message) => problems.error(row.at(i), message),
        },
        Some(Role::Lan)
            if t.len() == 2
                && t.bytes().all(|b| b.is_ascii_digit())
                && areas::lan_name(t).is_none() =>
        {
            problems.error(
                row.at(i),
                Message::both(
                    format!("'{t}' is not a län code (two digits, e.g. 24)"),
                    format!("'{t}' är ingen länskod (två siffror, t.ex. 24)"),
                ),
            );
        }
        Some(Role::Deso) => {
            if let Err(message) = areas::check_deso_worded(t) {
                problems.error(row.at(i), message);
            }
        }
        // A value that is not a number is reported by the column's type, with the same words.
        Some(Role::Age) => match row_checks::age(t, decimal) {
            Err(b) if b.refusal != Refusal::AgeNotNumber => problems.error(row.at(i), b),
            _ => {}
        },
        Some(Role::Sex) => {
            if let Err(b) = row_checks::sex(t) {
                problems.error(row.at(i), b);
            }
        }
        Some(Role::Count | Role::Population) => {
            if let Some((v, _)) = values::number(t, decimal) {
                if v < 0.0 {
                    let v = values::show_number(v);
                    problems.error(
                        row.at(i),
                        Message::both(
                            format!("a count cannot be negative ({v})"),
                            format!("ett antal kan inte vara negativt ({v})"),
                        ),
                    );
                }
            }
        }
        _ => {}
    }
    None
}

impl Inspect {
    /// An inspection that uses the user's choices of roles over the suggestions.
    pub fn with_roles(roles: RoleChoices) -> Self {
        Inspect {
            roles,
            ..Inspect::default()
        }
    }

    fn skip(&mut self, row: u64) {
        self.skipped += 1;
        if self.skipped_rows.len() < Problems::KEEP {
            self.skipped_rows.push(row);
        }
    }

    /// The finish step: decides the types, adds the values that do not fit them to the
    /// problems, and sorts the problems by row and column.
    pub fn finish(self, file: &str, outcome: ReadOutcome) -> Inspection {
        let ReadOutcome {
            stats,
            problems: mut read_problems,
            source,
        } = outcome;
        let mut columns = Vec::with_capacity(self.columns.len());
        for column in &self.columns {
            let (report, failures, not_kept) = column.report();
            for (row, message) in failures {
                read_problems.error(Location::cell(file, row, &column.name), message);
            }
            read_problems.total += not_kept;
            columns.push(report);
        }
        let position = |p: &Problem| {
            let column = p
                .location
                .column
                .as_deref()
                .and_then(|c| self.columns.iter().position(|s| s.name == c))
                .unwrap_or(usize::MAX);
            (p.location.row.unwrap_or(0), column)
        };
        read_problems.kept.sort_by_key(position);
        let (mut skipped, mut skipped_row_numbers) = (self.skipped, self.skipped_rows);
        skipped += stats.skipped_rows;
        skipped_row_numbers.extend(stats.skipped_row_numbers.iter().copied());
        skipped_row_numbers.sort_unstable();
        Inspection {
            columns,
            stats,
            skipped_rows: skipped,
            skipped_row_numbers,
            problems: read_problems,
            source,
        }
    }
}

/// Inspects a whole file held in memory (any format). Large text files go through
/// [`crate::ingest::FileReader`] chunk by chunk with the same plan.
pub fn inspect_bytes(file: &str, bytes: &[u8], options: ReadOptions) -> Result<Inspection, Error> {
    let mut plan = Inspect::default();
    let outcome = read_bytes(file, bytes, options, &mut plan)?;
    Ok(plan.finish(file, outcome))
}

/// The first bytes of a delimited text file, cut after its last line end, for [`inspect_bytes`]
/// to look at the start of a large file (its columns, the values of those with few) without a
/// value cut in two. `None` when the bytes hold no line end (a single line, or a header longer
/// than the bytes): the caller reads more, or the whole file.
pub fn whole_lines(prefix: &[u8]) -> Option<&[u8]> {
    memchr::memrchr(b'\n', prefix).map(|end| &prefix[..=end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_of_a_file_is_cut_after_its_last_whole_line() {
        let text = b"kind;n\nvisit;1\nadmission;2\nfall_inj";
        let cut = whole_lines(text).expect("two lines end");
        assert_eq!(cut, b"kind;n\nvisit;1\nadmission;2\n");
        let i = inspect_bytes("t.csv", cut, ReadOptions::default()).expect("reads");
        assert_eq!(
            i.columns[0].values,
            vec!["admission", "visit"],
            "no value cut in two"
        );
        assert_eq!(whole_lines(b"no line end"), None);
    }

    fn inspect(csv: &str) -> Inspection {
        inspect_bytes("t.csv", csv.as_bytes(), ReadOptions::default()).unwrap()
    }

    #[test]
    fn every_bad_value_is_counted_though_only_the_first_are_kept() {
        // Each row has its number: rows that repeat an earlier row are problems of their own.
        let mut csv = String::from("rad;kommun;antal\n");
        for i in 0..3000 {
            csv.push_str(&format!(
                "{i};2480;{}\n",
                if i % 2 == 0 { "x" } else { "4" }
            ));
        }
        let i = inspect(&csv);
        assert_eq!(i.problems.total, 1500);
        assert_eq!(i.problems.kept.len(), 1000);
        assert_eq!(
            i.problems.kept[0].to_string(),
            "t.csv, row 2, column 'antal': 'x' is not a number"
        );
    }

    #[test]
    fn distinct_values_are_bounded() {
        let mut csv = String::from("id\n");
        for n in 0..(DISTINCT_CAP + 50) {
            csv.push_str(&format!("P{n}\n"));
        }
        let c = &inspect(&csv).columns[0];
        assert_eq!((c.distinct, c.distinct_capped), (DISTINCT_CAP as u64, true));
        assert!(c.values.is_empty(), "too many values to offer");
    }

    #[test]
    fn a_column_of_few_values_lists_them_sorted_and_one_of_many_does_not() {
        let mut csv = String::from("kind;id\n");
        for n in 0..(OFFERED_VALUES + 1) {
            let kind = ["visit", "admission", "fall_injury"][n % 3];
            csv.push_str(&format!("{kind};P{n}\n"));
        }
        csv.push_str(";P-missing\n");
        let i = inspect(&csv);
        assert_eq!(
            i.columns[0].values,
            vec!["admission", "fall_injury", "visit"]
        );
        assert_eq!(i.columns[1].distinct, OFFERED_VALUES as u64 + 2);
        assert!(i.columns[1].values.is_empty());
    }

    #[test]
    fn types_follow_most_values_and_roles() {
        let i = inspect(
            "a;b;c;d;e\n1;1,5;x;2024-01-01;Ja\n2;2;y;2024-01-02;Nej\n3;3;1;2024-01-03;ja\n",
        );
        let types: Vec<ColumnType> = i.columns.iter().map(|c| c.column_type).collect();
        assert_eq!(
            types,
            [
                ColumnType::Integer,
                ColumnType::Decimal,
                ColumnType::Text,
                ColumnType::Date,
                ColumnType::Boolean
            ]
        );
        // Mostly numbers with one stray text: a numeric column with a bad value.
        let i = inspect("x\n1\n2\n3\nq\n");
        assert_eq!(i.columns[0].column_type, ColumnType::Integer);
        assert_eq!(
            i.problems.kept[0].to_string(),
            "t.csv, row 5, column 'x': 'q' is not a number"
        );
    }
}
