//! Reading small tables keyed by age band (a standard population, an ISR reference) from a
//! user's file, with the same streaming reader as every other file.
//!
//! Method source: none (plumbing). The tables are tiny, so the plan keeps every row; any bad row
//! makes the whole table unusable, since a standard with a band missing would silently change
//! every DSR computed with it.

use crate::counts::parse_number;
use crate::error::{Error, Location, Message, Problems};
use crate::ingest::{read_bytes, Decimal, Dialect, Flow, ReadOptions, RecordSink, Row};
use crate::stats::isr::IsrReference;
use crate::table::roles::{find_column, normalise_header, Role};

use super::StandardPopulation;

/// A numeric column wanted from a band table.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    /// Header names accepted, in the form [`normalise_header`] gives.
    names: &'static [&'static str],
    role: Option<Role>,
}

/// Rows of a band table: the band label and the wanted numbers (`None` where a column is absent).
#[derive(Debug, Default)]
struct BandTablePlan {
    wanted: Vec<Wanted>,
    /// When the file has exactly two columns and a wanted column is not found by name, take
    /// the column that is not the band.
    two_column_fallback: bool,
    band_col: usize,
    value_cols: Vec<Option<usize>>,
    columns: Vec<String>,
    decimal: Option<Decimal>,
    rows: Vec<(String, Vec<Option<f64>>)>,
}

impl RecordSink for BandTablePlan {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.columns = names.to_vec();
        self.decimal = Some(dialect.decimal);
        self.band_col = find_column(names, Role::AgeBand)
            .or_else(|| find_column(names, Role::Age))
            .unwrap_or(0);
        self.value_cols = self
            .wanted
            .iter()
            .map(|w| {
                names
                    .iter()
                    .position(|n| w.names.contains(&normalise_header(n).as_str()))
                    .or_else(|| w.role.and_then(|r| find_column(names, r)))
            })
            .collect();
        if self.two_column_fallback && names.len() == 2 {
            let other = if self.band_col == 0 { 1 } else { 0 };
            for c in &mut self.value_cols {
                c.get_or_insert(other);
            }
        }
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        let band = match row.text(self.band_col) {
            Ok(Some(t)) if !t.trim().is_empty() => t.trim().to_owned(),
            Ok(_) => {
                problems.error(
                    row.at(self.band_col),
                    Message::both("the age band is empty", "uppgift om åldersgrupp saknas"),
                );
                return Flow::Continue;
            }
            Err(message) => {
                problems.error(row.at(self.band_col), message);
                return Flow::Continue;
            }
        };
        let mut values = Vec::with_capacity(self.value_cols.len());
        for col in &self.value_cols {
            let Some(c) = *col else {
                values.push(None);
                continue;
            };
            let text = match row.text(c) {
                Ok(t) => t.unwrap_or_default(),
                Err(message) => {
                    problems.error(row.at(c), message);
                    return Flow::Continue;
                }
            };
            match parse_number(&text, self.decimal.unwrap_or(Decimal::Point)) {
                Some(v) if v >= 0.0 => values.push(Some(v)),
                Some(v) => {
                    problems.error(
                        row.at(c),
                        Message::both(
                            format!("{v} is negative; it must be zero or more"),
                            format!("{v} är negativt; det måste vara noll eller mer"),
                        ),
                    );
                    return Flow::Continue;
                }
                None => {
                    let t = text.trim();
                    problems.error(
                        row.at(c),
                        Message::both(
                            format!("'{t}' is not a number"),
                            format!("'{t}' är inte ett tal"),
                        ),
                    );
                    return Flow::Continue;
                }
            }
        }
        self.rows.push((band, values));
        Flow::Continue
    }
}

/// Reads a whole band table held in memory; any problem is an error.
fn read(file: &str, bytes: &[u8], mut plan: BandTablePlan) -> Result<BandTablePlan, Error> {
    let problems = read_bytes(file, bytes, ReadOptions::default(), &mut plan)?.problems;
    if let Some(first) = problems.kept.first() {
        let (more, more_sv) = match problems.total {
            1 => (String::new(), String::new()),
            n => (
                format!(" (and {} more problems)", n - 1),
                format!(" (och {} problem till)", n - 1),
            ),
        };
        return Err(Error::Unreadable {
            at: first.location.clone(),
            message: Message::both(
                format!("{}{more}", first.message),
                format!(
                    "{}{more_sv}",
                    first.message_sv.as_deref().unwrap_or(&first.message)
                ),
            ),
        });
    }
    Ok(plan)
}

fn missing(file: &str, plan: &BandTablePlan, wanted: Message) -> Error {
    Error::MissingColumn {
        at: Location::file(file),
        wanted: Box::new(wanted),
        found: plan.columns.join(", "),
    }
}

fn stats_error(file: &str, e: crate::stats::StatsError) -> Error {
    Error::Unreadable {
        at: Location::file(file),
        message: Message::both(e.to_string(), e.swedish()),
    }
}

/// Reads a user's standard population from a table of `age_band,population` (any delimiter or
/// decimal comma; the weight column may also be called `weight`, `stdpop` or `vikt`; a
/// two-column table needs no particular names). The standard is named `name`.
pub fn read_standard(name: &str, file: &str, bytes: &[u8]) -> Result<StandardPopulation, Error> {
    let plan = read(
        file,
        bytes,
        BandTablePlan {
            wanted: vec![Wanted {
                names: &[
                    "weight",
                    "stdpop",
                    "standardpopulation",
                    "standardbefolkning",
                    "vikt",
                ],
                role: Some(Role::Population),
            }],
            two_column_fallback: true,
            ..Default::default()
        },
    )?;
    if plan.value_cols.first().copied().flatten().is_none() {
        return Err(missing(
            file,
            &plan,
            Message::both(
                "the standard population (a column named population, weight or stdpop)",
                "standardbefolkningen (en kolumn som heter population, weight eller stdpop)",
            ),
        ));
    }
    let bands = plan
        .rows
        .into_iter()
        .map(|(band, values)| (band, values.first().copied().flatten().unwrap_or(0.0)));
    StandardPopulation::new(name, bands).map_err(|e| stats_error(file, e))
}

/// Reads an ISR reference: by age band either `count` and `population` (also `ref_count`,
/// `ref_population`, `antal`, `befolkning`), or a `rate` per person.
pub fn read_reference(file: &str, bytes: &[u8]) -> Result<IsrReference, Error> {
    let plan = read(
        file,
        bytes,
        BandTablePlan {
            wanted: vec![
                Wanted {
                    names: &["refcount", "referencecount", "observed"],
                    role: Some(Role::Count),
                },
                Wanted {
                    names: &["refpopulation", "referencepopulation", "refpop"],
                    role: Some(Role::Population),
                },
                Wanted {
                    names: &["rate", "refrate", "referencerate"],
                    role: None,
                },
            ],
            ..Default::default()
        },
    )?;
    let col = |i: usize| plan.value_cols.get(i).copied().flatten();
    let bands = plan.rows.iter().map(|(b, _)| b.clone());
    let value = |i: usize| {
        plan.rows
            .iter()
            .map(move |(_, v)| v.get(i).copied().flatten().unwrap_or(0.0))
    };
    let reference = match (col(0), col(1), col(2)) {
        (Some(_), Some(_), _) => IsrReference::from_counts(
            bands
                .zip(value(0))
                .zip(value(1))
                .map(|((b, x), n)| (b, x, n)),
        ),
        (_, _, Some(_)) => IsrReference::from_rates(bands.zip(value(2))),
        _ => {
            return Err(missing(
                file,
                &plan,
                Message::both(
                    "the reference: columns count and population, or a column rate",
                    "referensen: kolumnerna count och population, eller en kolumn rate",
                ),
            ))
        }
    };
    reference.map_err(|e| stats_error(file, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_standard_with_semicolons_and_decimal_comma() {
        let s = read_standard(
            "Mini",
            "std.csv",
            "Åldersgrupp;Vikt\n0-64;80,5\n65+;19,5\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(s.name(), "Mini");
        assert_eq!(s.weights(), &[80.5, 19.5]);
    }

    #[test]
    fn reads_a_reference_as_counts_or_as_rates() {
        let r = read_reference(
            "ref.csv",
            b"age_band,ref_count,ref_population\n0-64,10,1000\n65+,30,1000\n",
        )
        .unwrap();
        assert_eq!(r.rates(), &[0.01, 0.03]);
        assert_eq!(r.overall_rate(), Some(0.02));
        let r = read_reference(
            "ref.csv",
            "Åldersgrupp;rate\n0-64;0,01\n65+;0,03\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(r.rates(), &[0.01, 0.03]);
        assert_eq!(r.overall_rate(), None);
        let e = read_reference("ref.csv", b"age_band,deaths\n0-64,1\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "ref.csv: no column for the reference: columns count and population, or a column rate; the columns are age_band, deaths. Rename the column in the file, or name one of these instead."
        );
    }

    #[test]
    fn a_bad_row_makes_the_standard_unusable() {
        let e =
            read_standard("X", "std.csv", b"age_band,population\n0-64,80\n65+,x\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "std.csv, row 3, column 'population': 'x' is not a number"
        );
        let e =
            read_standard("X", "std.csv", b"age_band,population\n0-64,80\n0-64,20\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "std.csv: age band '0-64' appears more than once in the standard population 'X'"
        );
        assert_eq!(
            e.swedish(),
            "std.csv: åldersgruppen '0-64' förekommer mer än en gång i standardbefolkningen 'X'"
        );
        let e = read_standard(
            "X",
            "std.csv",
            b"age_band,population
0-64,80
65+,-2
",
        )
        .unwrap_err();
        assert!(
            e.swedish()
                .starts_with("std.csv, rad 3, kolumn 'population': "),
            "{}",
            e.swedish()
        );
    }
}
