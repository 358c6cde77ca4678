//! The first look at a file: rows per kommun (and the sum of a count column, if there is one),
//! in one streaming pass.
//!
//! This is the smallest complete plan: it resolves the kommun column once from the header,
//! interns each kommun code to a dense id, and counts into flat arrays; the finish step turns
//! those into an Arrow table. Where a file has DeSO codes but no kommun column, the kommun is
//! the DeSO code's first four digits.

use std::collections::HashMap;

use crate::hashing::FxBuild;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};

use crate::areas::{self, KommunCode};
use crate::error::{Error, Location, Message, Problems};
use crate::ingest::{
    read_bytes, Decimal, Dialect, DialectOverrides, Flow, ReadOptions, ReadStats, RecordSink, Row,
};
use crate::table::roles::{Role, RoleChoices};

/// Rows per kommun in one file, with everything the user needs to trust it.
#[derive(Debug, Clone)]
pub struct KommunCounts {
    /// Columns `kommun` (code), `kommun_name` (where known), `rows`, and `sum` (of the count
    /// column, when the file has one), sorted by code.
    pub table: RecordBatch,
    /// The column the kommun came from, and whether it was derived from DeSO codes.
    pub kommun_column: String,
    pub from_deso: bool,
    /// The column summed, if any.
    pub sum_column: Option<String>,
    /// The year whose population the sums are, when the summed column is a population and the
    /// file has a year column: a population is a stock, and five years of it summed would be
    /// five times the people.
    pub sum_year: Option<u16>,
    pub stats: ReadStats,
    /// Rows read but not counted (a problem in the row); each has a problem.
    pub skipped_rows: u64,
    pub problems: Problems,
    pub dialect: Dialect,
}

/// One line of [`KommunCounts`] in plain values, for display.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KommunCountRow {
    pub kommun: String,
    pub kommun_name: Option<String>,
    pub rows: u64,
    pub sum: Option<f64>,
}

impl KommunCounts {
    /// The table as plain rows (typed access to the Arrow columns).
    pub fn rows(&self) -> Vec<KommunCountRow> {
        let col = |name: &str| self.table.column_by_name(name);
        let codes = col("kommun").and_then(|a| a.as_any().downcast_ref::<StringArray>());
        let names = col("kommun_name").and_then(|a| a.as_any().downcast_ref::<StringArray>());
        let rows = col("rows").and_then(|a| a.as_any().downcast_ref::<UInt64Array>());
        let sums = col("sum").and_then(|a| a.as_any().downcast_ref::<Float64Array>());
        let (Some(codes), Some(names), Some(rows)) = (codes, names, rows) else {
            return Vec::new();
        };
        (0..self.table.num_rows())
            .map(|i| KommunCountRow {
                kommun: codes.value(i).to_owned(),
                kommun_name: names.is_valid(i).then(|| names.value(i).to_owned()),
                rows: rows.value(i),
                sum: sums.map(|s| s.value(i)),
            })
            .collect()
    }
}

/// What a raw kommun-column value is.
#[derive(Debug, Clone)]
enum Verdict {
    /// A kommun (its dense id), with the warning to give on every row if it was repaired.
    Kommun { id: usize, warning: Option<Message> },
    /// Not a kommun code: the message for every row that has it.
    Bad(Message),
}

/// The plan: a [`RecordSink`] that counts rows per kommun.
#[derive(Debug, Default)]
pub struct CountPerKommun {
    roles: RoleChoices,
    kommun_col: usize,
    from_deso: bool,
    sum_col: Option<usize>,
    /// The year column, when the sum is a population (a stock, summed within one year).
    year_col: Option<usize>,
    /// The population per kommun and year, when there is a year column.
    by_year: HashMap<(u32, u16), f64, FxBuild>,
    columns: Vec<String>,
    decimal: Option<Decimal>,
    /// What each distinct raw value of the kommun column was found to be: checked once, then
    /// looked up for every row (no decoding, no allocation on the common path).
    verdicts: HashMap<Box<[u8]>, Verdict, FxBuild>,
    ids: HashMap<Box<str>, u32, FxBuild>,
    codes: Vec<Box<str>>,
    rows: Vec<u64>,
    sums: Vec<f64>,
    skipped: u64,
}

impl RecordSink for CountPerKommun {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.columns = names.to_vec();
        self.decimal = Some(dialect.decimal);
        if let Some(i) = self.roles.find(names, Role::Kommun) {
            self.kommun_col = i;
        } else if let Some(i) = self.roles.find(names, Role::Deso) {
            self.kommun_col = i;
            self.from_deso = true;
        } else {
            return Err(Error::MissingColumn {
                at: Location::file(""),
                wanted: Box::new(Message::both(
                    "the kommun (a column named kommun, kommunkod or deso)",
                    "kommunen (en kolumn som heter kommun, kommunkod eller deso)",
                )),
                found: names.join(", "),
            });
        }
        let population = self.roles.find(names, Role::Population);
        self.sum_col = population.or_else(|| self.roles.find(names, Role::Count));
        self.year_col = population.and_then(|_| self.roles.find(names, Role::Year));
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        if !row.has_header_shape(problems) {
            self.skipped += 1;
            return Flow::Continue;
        }
        let id = self.kommun_id(row, problems);
        let amount = match self.sum_col {
            Some(c) => match self.amount(row, c) {
                Ok(v) => Some(v),
                Err(message) => {
                    problems.error(row.at(c), message);
                    None
                }
            },
            None => Some(0.0),
        };
        let year = match self.year_col {
            Some(c) => match Self::year(row, c) {
                Ok(y) => Some(y),
                Err(message) => {
                    problems.error(row.at(c), message);
                    self.skipped += 1;
                    return Flow::Continue;
                }
            },
            None => None,
        };
        let (Some(id), Some(amount)) = (id, amount) else {
            self.skipped += 1;
            return Flow::Continue;
        };
        if let (Some(n), Some(s)) = (self.rows.get_mut(id), self.sums.get_mut(id)) {
            *n += 1;
            *s += amount;
        }
        if let (Some(y), Ok(k)) = (year, u32::try_from(id)) {
            *self.by_year.entry((k, y)).or_insert(0.0) += amount;
        }
        Flow::Continue
    }
}

impl CountPerKommun {
    /// A count that finds its columns by the user's choices of roles over the suggestions.
    pub fn with_roles(roles: RoleChoices) -> Self {
        CountPerKommun {
            roles,
            ..CountPerKommun::default()
        }
    }

    /// The dense id of the row's kommun; `None` with a problem. Each distinct raw value is
    /// decoded and checked once; a code is repaired (with a warning on every row) where Excel
    /// dropped its leading zero.
    fn kommun_id(&mut self, row: &Row<'_>, problems: &mut Problems) -> Option<usize> {
        let c = self.kommun_col;
        let raw = row.record.get(c)?;
        let verdict = match self.verdicts.get(raw) {
            Some(v) => v.clone(),
            None => {
                let v = match row.text(c) {
                    Ok(text) => self.judge(text.as_deref().unwrap_or_default()),
                    Err(message) => Verdict::Bad(message),
                };
                self.verdicts.insert(raw.into(), v.clone());
                v
            }
        };
        match verdict {
            Verdict::Kommun { id, warning } => {
                if let Some(w) = warning {
                    problems.warning(row.at(c), w);
                }
                Some(id)
            }
            Verdict::Bad(message) => {
                problems.error(row.at(c), message);
                None
            }
        }
    }

    /// Checks one distinct value of the kommun column.
    fn judge(&mut self, text: &str) -> Verdict {
        let checked = if self.from_deso {
            areas::check_deso_worded(text).and_then(areas::check_kommun_worded)
        } else {
            areas::check_kommun_worded(text)
        };
        let code = match checked {
            Ok(code) => code,
            Err(message) => {
                return Verdict::Bad(message.and("; the row is skipped", "; raden hoppas över"))
            }
        };
        let warning = match &code {
            KommunCode::Repaired(fixed) => Some(areas::lost_leading_zero(text, fixed)),
            KommunCode::Valid(_) => None,
        };
        match self.intern(code.as_str()) {
            Some(id) => Verdict::Kommun { id, warning },
            None => Verdict::Bad(Message::both(
                "too many distinct kommun codes; the row is skipped",
                "för många olika kommunkoder; raden hoppas över",
            )),
        }
    }

    /// The dense id of a kommun code, new codes getting the next id.
    fn intern(&mut self, code: &str) -> Option<usize> {
        if let Some(&id) = self.ids.get(code) {
            return Some(id as usize);
        }
        let id = self.codes.len();
        self.ids.insert(code.into(), u32::try_from(id).ok()?);
        self.codes.push(code.into());
        self.rows.push(0);
        self.sums.push(0.0);
        Some(id)
    }

    /// The row's year, for a population summed within one year.
    fn year(row: &Row<'_>, c: usize) -> Result<u16, Message> {
        let text = row.text(c)?.unwrap_or_default();
        crate::dates::parse_year(text.trim()).ok_or_else(|| {
            crate::dates::not_a_year_worded(text.trim())
                .and("; the row is skipped", "; raden hoppas över")
        })
    }

    fn amount(&self, row: &Row<'_>, c: usize) -> Result<f64, Message> {
        let text = row.text(c)?.unwrap_or_default();
        let value =
            parse_number(&text, self.decimal.unwrap_or(Decimal::Point)).ok_or_else(|| {
                let t = text.trim();
                Message::both(
                    format!("'{t}' is not a number; the row is skipped"),
                    format!("'{t}' är inte ett tal; raden hoppas över"),
                )
            })?;
        if value < 0.0 {
            return Err(Message::both(
                format!("a count cannot be negative ({value}); the row is skipped"),
                format!("ett antal kan inte vara negativt ({value}); raden hoppas över"),
            ));
        }
        Ok(value)
    }

    /// The finish step: sorts by kommun code and builds the Arrow table.
    pub fn finish(self, stats: ReadStats, problems: Problems, dialect: Dialect) -> KommunCounts {
        // A code all of whose rows were skipped (e.g. a bad count) is not a result.
        let mut order: Vec<usize> = (0..self.codes.len())
            .filter(|&i| self.rows.get(i).is_some_and(|&n| n > 0))
            .collect();
        order.sort_by(|&a, &b| self.codes[a].cmp(&self.codes[b]));
        let code = |i: &usize| self.codes.get(*i).map(|c| &**c).unwrap_or_default();
        let kommun = StringArray::from_iter_values(order.iter().map(code));
        let names = StringArray::from(
            order
                .iter()
                .map(|i| areas::kommun_name(code(i)))
                .collect::<Vec<_>>(),
        );
        let rows = UInt64Array::from_iter_values(
            order
                .iter()
                .map(|&i| self.rows.get(i).copied().unwrap_or(0)),
        );
        let mut fields = vec![
            Field::new("kommun", DataType::Utf8, false),
            Field::new("kommun_name", DataType::Utf8, true),
            Field::new("rows", DataType::UInt64, false),
        ];
        let mut columns: Vec<ArrayRef> = vec![Arc::new(kommun), Arc::new(names), Arc::new(rows)];
        // A population is summed within its latest year, where the file has years.
        let sum_year = self.by_year.keys().map(|&(_, y)| y).max();
        if self.sum_col.is_some() {
            fields.push(Field::new("sum", DataType::Float64, false));
            columns.push(Arc::new(Float64Array::from_iter_values(order.iter().map(
                |&i| match (sum_year, u32::try_from(i)) {
                    (Some(y), Ok(k)) => self.by_year.get(&(k, y)).copied().unwrap_or(0.0),
                    _ => self.sums.get(i).copied().unwrap_or(0.0),
                },
            ))));
        }
        // The schema and columns are built together above, so this cannot fail; fall back to
        // an empty table rather than panic if it ever did.
        let table = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .unwrap_or_else(|_| RecordBatch::new_empty(Arc::new(Schema::empty())));
        let column_name = |i: usize| self.columns.get(i).cloned().unwrap_or_default();
        KommunCounts {
            table,
            kommun_column: column_name(self.kommun_col),
            from_deso: self.from_deso,
            sum_column: self.sum_col.map(column_name),
            sum_year,
            stats,
            skipped_rows: self.skipped,
            problems,
            dialect,
        }
    }
}

/// Parses a number as Swedish files write it: decimal comma or point, thousands grouped with
/// spaces, no-break spaces or thin spaces (`1 234,5`). `None` when it is not a number.
pub fn parse_number(text: &str, decimal: Decimal) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    // The common case, plain digits (and a point where points are decimal marks), needs no copy.
    let plain = t
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'-' || (b == b'.' && decimal == Decimal::Point));
    if plain {
        return t.parse::<f64>().ok().filter(|v| v.is_finite());
    }
    let mut buf = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => {}
            ',' if decimal == Decimal::Comma => buf.push('.'),
            '−' => buf.push('-'),
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' => {
                buf.push(c)
            }
            _ => return None,
        }
    }
    if decimal == Decimal::Comma && t.contains('.') {
        return None;
    }
    buf.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Counts rows per kommun in a whole file held in memory, in any format (tests, small files).
/// Large files go through [`crate::ingest::FileReader`] chunk by chunk with the same plan.
pub fn count_per_kommun(
    file: &str,
    bytes: &[u8],
    overrides: DialectOverrides,
) -> Result<KommunCounts, Error> {
    let mut plan = CountPerKommun::default();
    let options = ReadOptions {
        text: overrides,
        ..ReadOptions::default()
    };
    let outcome = read_bytes(file, bytes, options, &mut plan).map_err(|e| with_file(e, file))?;
    Ok(plan.finish(outcome.stats, outcome.problems, outcome.source.dialect))
}

/// Puts the file name into an error raised by a plan, which does not know it.
pub fn with_file(error: Error, file: &str) -> Error {
    error.in_file(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(counts: &KommunCounts) -> Vec<(String, u64)> {
        counts
            .rows()
            .into_iter()
            .map(|r| (r.kommun, r.rows))
            .collect()
    }

    #[test]
    fn events_per_kommun() {
        let csv = "event_id,kommun,age\n1,2480,70\n2,2482,81\n3,2480,66\n";
        let c = count_per_kommun("e.csv", csv.as_bytes(), DialectOverrides::default()).unwrap();
        assert_eq!(rows(&c), vec![("2480".into(), 2), ("2482".into(), 1)]);
        assert_eq!(c.stats.rows, 3);
        assert!(c.problems.is_empty());
        assert_eq!(c.rows()[0].kommun_name.as_deref(), Some("Umeå"));
    }

    #[test]
    fn windows_1252_semicolons_decimal_comma_and_repaired_codes() {
        let csv = b"Kommun;Namn;Befolkning\r\n180;Stockholm;1 000,5\r\n2480;Ume\xE5;130 000\r\n";
        let c = count_per_kommun("pop.csv", csv, DialectOverrides::default()).unwrap();
        assert_eq!(c.dialect.encoding, crate::ingest::TextEncoding::Windows1252);
        assert_eq!(c.dialect.decimal, Decimal::Comma);
        let r = c.rows();
        assert_eq!(r[0].kommun, "0180");
        assert_eq!(r[0].sum, Some(1000.5));
        assert_eq!(r[1].sum, Some(130000.0));
        assert_eq!(c.problems.kept[0].to_string(), "pop.csv, row 2, column 'Kommun': kommun code '180' lost its leading zero (Excel reads codes as numbers); read as 0180");
    }

    #[test]
    fn bad_rows_are_counted_and_located() {
        let csv = "kommun,antal\n2480,5\n9999,1\n2481\n2481,-2\n2481,x\n";
        let c = count_per_kommun("bad.csv", csv.as_bytes(), DialectOverrides::default()).unwrap();
        assert_eq!(rows(&c), vec![("2480".into(), 1)]);
        assert_eq!(c.skipped_rows, 4);
        let messages: Vec<String> = c.problems.kept.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "bad.csv, row 3, column 'kommun': '9999' is not a kommun code: no län has the code '99'; the row is skipped",
                "bad.csv, row 4: the row has 1 fields but the header has 2; the row is skipped",
                "bad.csv, row 5, column 'antal': a count cannot be negative (-2); the row is skipped",
                "bad.csv, row 6, column 'antal': 'x' is not a number; the row is skipped",
            ]
        );
    }

    #[test]
    fn a_population_over_several_years_is_the_latest_years_not_their_sum() {
        let text = b"year,kommun,population\n2023,2480,100\n2024,2480,110\n2023,2482,50\n2024,2482,55\n2024,2482,5\nabc,2480,7\n";
        let c = count_per_kommun("pop.csv", text, DialectOverrides::default()).unwrap();
        assert_eq!(c.sum_year, Some(2024));
        let sums: Vec<(String, u64, Option<f64>)> = c
            .rows()
            .into_iter()
            .map(|r| (r.kommun, r.rows, r.sum))
            .collect();
        // Rows of every year are counted; the population is 2024's.
        assert_eq!(
            sums,
            [
                ("2480".to_owned(), 2, Some(110.0)),
                ("2482".to_owned(), 3, Some(60.0))
            ]
        );
        // A row whose year cannot be read is refused, with its row and column.
        assert_eq!(c.skipped_rows, 1);
        let messages: Vec<String> = c.problems.kept.iter().map(ToString::to_string).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("pop.csv, row 7, column 'year': ")
                    && m.ends_with("; the row is skipped")),
            "{messages:?}"
        );
        // A count (a flow, not a stock) is summed over every row, years or not.
        let events = b"year,kommun,antal\n2023,2480,3\n2024,2480,4\n";
        let c = count_per_kommun("ev.csv", events, DialectOverrides::default()).unwrap();
        assert_eq!(c.sum_year, None);
        assert_eq!(c.rows()[0].sum, Some(7.0));
    }

    #[test]
    fn missing_kommun_column_names_the_columns() {
        let e = count_per_kommun("x.csv", b"a,b\n1,2\n", DialectOverrides::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv: no column for the kommun (a column named kommun, kommunkod or deso); the columns are a, b. Rename the column in the file, or name one of these instead."
        );
    }

    #[test]
    fn empty_file() {
        let e = count_per_kommun("empty.csv", b"\n\n", DialectOverrides::default()).unwrap_err();
        assert_eq!(e.to_string(), "empty.csv: the file is empty");
    }

    #[test]
    fn kommun_from_deso_and_chunked_reading_agree() {
        let mut csv = String::from("deso;kon;population\n");
        for i in 0..5000 {
            csv.push_str(&format!(
                "{}C{:04};K;{}\n",
                if i % 3 == 0 { "2482" } else { "2480" },
                1000 + i % 50,
                i % 7
            ));
        }
        let whole = count_per_kommun("p.csv", csv.as_bytes(), DialectOverrides::default()).unwrap();
        assert!(whole.from_deso);
        let mut plan = CountPerKommun::default();
        let mut reader = crate::ingest::TextReader::new("p.csv", DialectOverrides::default());
        for chunk in csv.as_bytes().chunks(997) {
            reader.push(chunk, &mut plan).unwrap();
        }
        let (stats, problems, dialect) = reader.finish(&mut plan).unwrap();
        let chunked = plan.finish(stats, problems, dialect);
        assert_eq!(whole.rows(), chunked.rows());
        assert_eq!(
            rows(&whole),
            vec![("2480".into(), 3333), ("2482".into(), 1667)]
        );
        let expected_2482: u64 = (0..5000u64).filter(|i| i % 3 == 0).map(|i| i % 7).sum();
        assert_eq!(whole.rows()[1].sum, Some(expected_2482 as f64));
    }

    #[test]
    fn counts_from_a_px_table() {
        let px = "STUB=\"region\";\nHEADING=\"år\";\nVALUES(\"region\")=\"Umeå\",\"Lycksele\";\n\
                  CODES(\"region\")=\"2480\",\"2481\";\nVALUES(\"år\")=\"2023\";\nDATA=\n5 7;\n";
        // "region" suggests the län; a PX table of kommuner needs the kommun column chosen.
        let e = count_per_kommun("b.px", px.as_bytes(), DialectOverrides::default()).unwrap_err();
        assert!(
            e.to_string().contains("the columns are region, år, value"),
            "{e}"
        );
        let px = px.replace("region", "kommun");
        let c = count_per_kommun("b.px", px.as_bytes(), DialectOverrides::default()).unwrap();
        assert_eq!(rows(&c), vec![("2480".into(), 1), ("2481".into(), 1)]);
    }

    #[test]
    fn numbers_as_swedes_write_them() {
        assert_eq!(parse_number("1 234,5", Decimal::Comma), Some(1234.5));
        assert_eq!(parse_number("1\u{a0}234", Decimal::Point), Some(1234.0));
        assert_eq!(parse_number("−3,5", Decimal::Comma), Some(-3.5));
        assert_eq!(parse_number("1.234,5", Decimal::Comma), None);
        assert_eq!(parse_number("12,5", Decimal::Point), None);
        assert_eq!(parse_number("", Decimal::Point), None);
        assert_eq!(parse_number("NaN", Decimal::Point), None);
    }
}
