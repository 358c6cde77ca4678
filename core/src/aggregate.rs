//! Summing a numerator and a denominator column per group (and age band) in one streaming pass:
//! the input side of every grouped statistic.
//!
//! Method source: PHEindicatormethods sums numerators and denominators within groups before
//! computing (methods.md §1.2, "Grouped input"); rows with the same group values and age band are
//! summed first. The plan interns the group values and the age band to dense ids and sums into
//! flat arrays, so memory grows with the number of distinct cells, not rows. Every row is checked;
//! a bad row is skipped with a problem naming file, row and column.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::counts::parse_number;
use crate::error::{Error, Location, Message, Problems};
use crate::ingest::{read_bytes, Decimal, Dialect, Flow, ReadOptions, ReadStats, RecordSink, Row};

/// Which columns to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AggregateSpec {
    /// Columns whose values form the group (may be empty: one group, the whole file).
    pub by: Vec<String>,
    /// The age band column, for standardised statistics.
    pub age_band: Option<String>,
    /// The numerator / count column.
    pub numerator: String,
    /// The denominator / population column.
    pub denominator: String,
}

/// Sums per group × age band.
#[derive(Debug, Clone, Default)]
pub struct Aggregated {
    /// The `by` column names, as given.
    pub by: Vec<String>,
    /// Group values, sorted; `groups[g]` has one value per `by` column.
    pub groups: Vec<Vec<String>>,
    /// Age bands as first seen (one empty band when there is no age band column).
    pub bands: Vec<String>,
    /// Sums, group-major: cell (g, b) is at `g * bands.len() + b`.
    pub numerator: Vec<f64>,
    pub denominator: Vec<f64>,
    /// Whether any row fell in the cell.
    pub present: Vec<bool>,
    pub stats: ReadStats,
    /// Rows read but not summed; each has a problem.
    pub skipped_rows: u64,
    pub problems: Problems,
}

impl Aggregated {
    /// The cells of group `g`, one per band: (band, numerator, denominator, present).
    pub fn cells(&self, g: usize) -> impl Iterator<Item = (&str, f64, f64, bool)> + '_ {
        let nb = self.bands.len();
        self.bands.iter().enumerate().map(move |(b, band)| {
            let i = g * nb + b;
            (
                band.as_str(),
                self.numerator.get(i).copied().unwrap_or(0.0),
                self.denominator.get(i).copied().unwrap_or(0.0),
                self.present.get(i).copied().unwrap_or(false),
            )
        })
    }

    /// Group `g`'s totals over all bands.
    pub fn totals(&self, g: usize) -> (f64, f64) {
        self.cells(g)
            .fold((0.0, 0.0), |(x, n), (_, a, b, _)| (x + a, n + b))
    }
}

/// The plan: a [`RecordSink`] summing two columns per group and band.
#[derive(Debug, Default)]
pub struct Aggregate {
    spec: AggregateSpec,
    columns: Vec<String>,
    decimal: Option<Decimal>,
    by_cols: Vec<usize>,
    band_col: Option<usize>,
    num_col: usize,
    den_col: usize,
    group_ids: HashMap<Box<str>, u32>,
    group_values: Vec<Vec<Box<str>>>,
    band_ids: HashMap<Box<str>, u32>,
    bands: Vec<Box<str>>,
    cell_ids: HashMap<(u32, u32), u32>,
    cell_key: Vec<(u32, u32)>,
    num: Vec<f64>,
    den: Vec<f64>,
    skipped: u64,
    key: String,
}

/// A value's problem, and that its row is skipped.
fn skipped(message: Message) -> Message {
    message.and("; the row is skipped", "; raden hoppas över")
}

/// Separates group values in an interning key (a control character no one types).
const KEY_SEPARATOR: char = '\u{1f}';

impl Aggregate {
    pub fn new(spec: AggregateSpec) -> Self {
        Aggregate {
            spec,
            ..Default::default()
        }
    }

    fn number(&self, row: &Row<'_>, c: usize, problems: &mut Problems) -> Option<f64> {
        let text = match row.text(c) {
            Ok(t) => t.unwrap_or_default(),
            Err(message) => {
                problems.error(row.at(c), skipped(message));
                return None;
            }
        };
        if text.trim().is_empty() {
            problems.error(
                row.at(c),
                Message::both(
                    "the cell is empty; write 0 if there were none; the row is skipped",
                    "cellen är tom; skriv 0 om det inte fanns några; raden hoppas över",
                ),
            );
            return None;
        }
        match parse_number(&text, self.decimal.unwrap_or(Decimal::Point)) {
            Some(v) if v >= 0.0 => Some(v),
            Some(v) => {
                problems.error(
                    row.at(c),
                    Message::both(
                        format!("{v} is negative; counts and populations must be zero or more; the row is skipped"),
                        format!("{v} är negativt; antal och befolkning måste vara noll eller mer; raden hoppas över"),
                    ),
                );
                None
            }
            None => {
                let t = text.trim();
                problems.error(
                    row.at(c),
                    Message::both(
                        format!("'{t}' is not a number; the row is skipped"),
                        format!("'{t}' är inte ett tal; raden hoppas över"),
                    ),
                );
                None
            }
        }
    }

    /// A field, trimmed; borrowed from the record when the file is UTF-8 (no allocation per row).
    fn text<'a>(row: &Row<'a>, c: usize, problems: &mut Problems) -> Option<Cow<'a, str>> {
        match row.text(c) {
            Ok(Some(Cow::Borrowed(t))) => Some(Cow::Borrowed(t.trim())),
            Ok(Some(Cow::Owned(t))) => Some(Cow::Owned(t.trim().to_owned())),
            Ok(None) => Some(Cow::Borrowed("")),
            Err(message) => {
                problems.error(row.at(c), skipped(message));
                None
            }
        }
    }

    fn cell(&mut self, group: u32, band: u32) -> Option<usize> {
        if let Some(&id) = self.cell_ids.get(&(group, band)) {
            return Some(id as usize);
        }
        let id = self.cell_key.len();
        self.cell_ids.insert((group, band), u32::try_from(id).ok()?);
        self.cell_key.push((group, band));
        self.num.push(0.0);
        self.den.push(0.0);
        Some(id)
    }

    /// The finish step: dense, sorted arrays.
    pub fn finish(self, stats: ReadStats, problems: Problems) -> Aggregated {
        let mut order: Vec<usize> = (0..self.group_values.len()).collect();
        order.sort_by(|&a, &b| self.group_values.get(a).cmp(&self.group_values.get(b)));
        let mut rank = vec![0usize; order.len()];
        for (r, &g) in order.iter().enumerate() {
            if let Some(slot) = rank.get_mut(g) {
                *slot = r;
            }
        }
        let nb = self.bands.len().max(1);
        let size = order.len() * nb;
        let (mut numerator, mut denominator, mut present) =
            (vec![0.0; size], vec![0.0; size], vec![false; size]);
        for (((&(g, b), &x), &n), _) in self.cell_key.iter().zip(&self.num).zip(&self.den).zip(0..)
        {
            let Some(&r) = rank.get(g as usize) else {
                continue;
            };
            let i = r * nb + b as usize;
            if let (Some(sx), Some(sn), Some(p)) = (
                numerator.get_mut(i),
                denominator.get_mut(i),
                present.get_mut(i),
            ) {
                *sx = x;
                *sn = n;
                *p = true;
            }
        }
        let groups = order
            .iter()
            .filter_map(|&g| self.group_values.get(g))
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .collect();
        let bands = if self.bands.is_empty() {
            vec![String::new()]
        } else {
            self.bands.iter().map(|s| s.to_string()).collect()
        };
        Aggregated {
            by: self.spec.by,
            groups,
            bands,
            numerator,
            denominator,
            present,
            stats,
            skipped_rows: self.skipped,
            problems,
        }
    }
}

impl RecordSink for Aggregate {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.columns = names.to_vec();
        self.decimal = Some(dialect.decimal);
        let find = |wanted: &str, (role, role_sv): (&str, &str)| -> Result<usize, Error> {
            names
                .iter()
                .position(|n| n == wanted)
                .or_else(|| {
                    names
                        .iter()
                        .position(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
                })
                .ok_or_else(|| Error::MissingColumn {
                    at: Location::file(""),
                    wanted: Box::new(Message::both(
                        format!("{role} '{wanted}'"),
                        format!("{role_sv} '{wanted}'"),
                    )),
                    found: names.join(", "),
                })
        };
        self.by_cols = self
            .spec
            .by
            .iter()
            .map(|b| find(b, ("the group column", "gruppkolumnen")))
            .collect::<Result<_, _>>()?;
        self.band_col = match &self.spec.age_band {
            Some(b) => Some(find(b, ("the age band column", "åldersgruppskolumnen"))?),
            None => None,
        };
        self.num_col = find(
            &self.spec.numerator,
            ("the numerator/count column", "täljar-/antalskolumnen"),
        )?;
        self.den_col = find(
            &self.spec.denominator,
            (
                "the denominator/population column",
                "nämnar-/befolkningskolumnen",
            ),
        )?;
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        if !row.has_header_shape(problems) {
            self.skipped += 1;
            return Flow::Continue;
        }
        let x = self.number(row, self.num_col, problems);
        let n = self.number(row, self.den_col, problems);
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        let mut ok = true;
        for (i, &c) in self.by_cols.iter().enumerate() {
            match Self::text(row, c, problems) {
                Some(t) => {
                    if i > 0 {
                        key.push(KEY_SEPARATOR);
                    }
                    key.push_str(&t);
                }
                None => ok = false,
            }
        }
        let band = match self.band_col {
            Some(c) => match Self::text(row, c, problems) {
                Some(t) if t.is_empty() => {
                    problems.error(
                        row.at(c),
                        Message::both(
                            "the age band is empty; the row is skipped",
                            "uppgift om åldersgrupp saknas; raden hoppas över",
                        ),
                    );
                    None
                }
                other => other,
            },
            None => Some(Cow::Borrowed("")),
        };
        let (Some(x), Some(n), Some(band), true) = (x, n, band, ok) else {
            self.key = key;
            self.skipped += 1;
            return Flow::Continue;
        };
        let group = match self.group_ids.get(key.as_str()) {
            Some(&g) => Some(g),
            None => u32::try_from(self.group_values.len()).ok().inspect(|&g| {
                self.group_ids.insert(key.as_str().into(), g);
                let values = if self.by_cols.is_empty() {
                    Vec::new()
                } else {
                    key.split(KEY_SEPARATOR).map(Into::into).collect()
                };
                self.group_values.push(values);
            }),
        };
        self.key = key;
        let band_id = match self.band_ids.get(&*band) {
            Some(&b) => Some(b),
            None if self.band_col.is_some() => u32::try_from(self.bands.len()).ok().inspect(|&b| {
                self.band_ids.insert((*band).into(), b);
                self.bands.push((*band).into());
            }),
            None => Some(0),
        };
        let cell = match (group, band_id) {
            (Some(g), Some(b)) => self.cell(g, b),
            _ => None,
        };
        match cell {
            Some(c) => {
                if let (Some(sx), Some(sn)) = (self.num.get_mut(c), self.den.get_mut(c)) {
                    *sx += x;
                    *sn += n;
                }
            }
            None => {
                problems.error(
                    Location::row(row.file, row.row()),
                    Message::both(
                        "too many distinct groups to count; the row is skipped",
                        "för många olika grupper att räkna; raden hoppas över",
                    ),
                );
                self.skipped += 1;
            }
        }
        Flow::Continue
    }
}

/// Aggregates a whole file held in memory, in any format the readers know (tests, small
/// files); large files go through [`crate::ingest::FileReader`] chunk by chunk with the same plan.
pub fn aggregate(file: &str, bytes: &[u8], spec: AggregateSpec) -> Result<Aggregated, Error> {
    let mut plan = Aggregate::new(spec);
    let outcome = read_bytes(file, bytes, ReadOptions::default(), &mut plan)?;
    Ok(plan.finish(outcome.stats, outcome.problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(by: &[&str], band: Option<&str>) -> AggregateSpec {
        AggregateSpec {
            by: by.iter().map(|s| s.to_string()).collect(),
            age_band: band.map(str::to_owned),
            numerator: "antal".into(),
            denominator: "befolkning".into(),
        }
    }

    #[test]
    fn sums_rows_with_the_same_group_and_band() {
        let csv = "kommun;kon;band;antal;befolkning\n2481;K;0-64;1;10\n2480;M;65+;2;20\n2480;M;65+;3,5;30\n2480;M;0-64;4;40\n";
        let a = aggregate(
            "f.csv",
            csv.as_bytes(),
            spec(&["kommun", "kon"], Some("band")),
        )
        .unwrap();
        assert_eq!(a.groups, vec![vec!["2480", "M"], vec!["2481", "K"]]);
        assert_eq!(a.bands, vec!["0-64", "65+"]);
        let cells: Vec<_> = a.cells(0).collect();
        assert_eq!(
            cells,
            vec![("0-64", 4.0, 40.0, true), ("65+", 5.5, 50.0, true)]
        );
        assert_eq!(a.cells(1).nth(1), Some(("65+", 0.0, 0.0, false)));
        assert_eq!(a.totals(0), (9.5, 90.0));
    }

    #[test]
    fn bad_rows_are_skipped_with_located_problems() {
        let csv = "kommun,antal,befolkning\n2480,1,10\n2480,-1,10\n2480,,10\n2480,NaN,10\n2480,1\n";
        let a = aggregate("f.csv", csv.as_bytes(), spec(&["kommun"], None)).unwrap();
        assert_eq!(a.skipped_rows, 4);
        assert_eq!(a.totals(0), (1.0, 10.0));
        let messages: Vec<String> = a.problems.kept.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "f.csv, row 3, column 'antal': -1 is negative; counts and populations must be zero or more; the row is skipped",
                "f.csv, row 4, column 'antal': the cell is empty; write 0 if there were none; the row is skipped",
                "f.csv, row 5, column 'antal': 'NaN' is not a number; the row is skipped",
                "f.csv, row 6: the row has 2 fields but the header has 3; the row is skipped",
            ]
        );
    }

    #[test]
    fn issue_12_problems_of_a_read_are_worded_in_swedish() {
        let swedish = |a: &Aggregated| -> Vec<String> {
            a.problems.kept.iter().map(|p| p.swedish()).collect()
        };
        // A CSV file: bad counts, an empty age band, a ragged row, a quote never closed.
        let csv = "kommun,band,antal,befolkning\n2480,0-64,-1,10\n2480,0-64,,10\n2480,0-64,NaN,10\n2480,,1,10\n2480,0-64,1\n2480,\"0-64,1,10\n";
        let a = aggregate("f.csv", csv.as_bytes(), spec(&["kommun"], Some("band"))).unwrap();
        assert_eq!(
            swedish(&a),
            [
                "f.csv, rad 2, kolumn 'antal': -1 är negativt; antal och befolkning måste vara noll eller mer; raden hoppas över",
                "f.csv, rad 3, kolumn 'antal': cellen är tom; skriv 0 om det inte fanns några; raden hoppas över",
                "f.csv, rad 4, kolumn 'antal': 'NaN' är inte ett tal; raden hoppas över",
                "f.csv, rad 5, kolumn 'band': uppgift om åldersgrupp saknas; raden hoppas över",
                "f.csv, rad 6: raden har 3 fält men rubrikraden har 4; raden hoppas över",
                "f.csv, rad 7: rad 7 kunde inte läsas: citattecknet som öppnas på rad 7, kolumn 'band', stängs aldrig",
            ]
        );
        // Every problem has its Swedish wording, and the English is as it was.
        assert!(a.problems.kept.iter().all(|p| p.message_sv.is_some()));
        assert_eq!(
            a.problems.kept.get(2).map(|p| p.message.as_str()),
            Some("'NaN' is not a number; the row is skipped")
        );
        // A PX table whose DATA is cut short.
        let px = "CHARSET=\"ANSI\";\nSTUB=\"region\";\nVALUES(\"region\")=\"2480\",\"2481\";\nDATA=\n5;\n";
        let spec = AggregateSpec {
            by: vec!["region".into()],
            age_band: None,
            numerator: "value".into(),
            denominator: "value".into(),
        };
        let a = aggregate("t.px", px.as_bytes(), spec).unwrap();
        assert_eq!(
            a.problems.kept.last().and_then(|p| p.message_sv.as_deref()),
            Some("DATA har 1 värden men VALUES beskriver 2 celler; filen kan vara avkortad eller ändrad för hand")
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = aggregate("f.csv", b"kommun,antal\n2480,1\n", spec(&["kommun"], None)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.csv: no column for the denominator/population column 'befolkning'; the columns are kommun, antal. Rename the column in the file, or name one of these instead."
        );
    }
}
