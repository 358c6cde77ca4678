//! Reading an aggregated table instead of a source's rows (issue 14, "beyond one machine").
//!
//! `samsyn sql` writes, per source, a query that an engine (DuckDB, Spark, PostgreSQL) runs
//! where the data is ([`super::sql`]). Its result has the columns the plan reads, under their
//! own names, and two more: [`ROWS`], how many source rows the group holds, and [`REFUSAL`],
//! empty for a group of rows to check, or the reason the query refused them (exact duplicates,
//! empty or repeated row ids). Every other check is the plan's own: a group is checked as one of
//! its rows and counted for all of them, so the numbers and the rows refused by reason are
//! those a read of the source itself gives.

use super::plan::SourcePlan;
use crate::error::{Error, Location, Message, Problems};
use crate::ingest::Row;
use crate::row_checks::Refusal;

/// The column of the number of source rows in a group.
pub const ROWS: &str = "samsyn_rows";
/// The column of the reason the query refused a group's rows ([`REFUSED_DUPLICATE`],
/// [`REFUSED_ROW_ID`]), empty for rows to check.
pub const REFUSAL: &str = "samsyn_refusal";
/// Rows that repeat an earlier row field for field.
pub const REFUSED_DUPLICATE: &str = "duplicate";
/// Rows whose row id is empty or repeats another row's.
pub const REFUSED_ROW_ID: &str = "row_id";

/// Where the group columns are in an aggregated table.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupColumns {
    rows: usize,
    refusal: usize,
}

impl GroupColumns {
    /// The group columns in the header `names` of the aggregated table of source `source`.
    pub fn find(source: &str, names: &[String]) -> Result<Self, Error> {
        let find = |wanted: &str| {
            names.iter().position(|n| n.trim() == wanted).ok_or_else(|| Error::MissingColumn {
                at: Location::file(""),
                wanted: Box::new(Message::both(
                    format!(
                        "the column '{wanted}' of an aggregated table of '{source}' (the result of the query `samsyn sql` writes)"
                    ),
                    format!(
                        "kolumnen '{wanted}' i en aggregerad tabell för '{source}' (resultatet av frågan som `samsyn sql` skriver)"
                    ),
                )),
                found: names.join(", "),
            })
        };
        Ok(GroupColumns {
            rows: find(ROWS)?,
            refusal: find(REFUSAL)?,
        })
    }

    /// Feeds one row of the aggregated table to `plan`.
    pub fn record(&self, plan: &mut SourcePlan, row: &Row<'_>, problems: &mut Problems) {
        let text = |c: usize| row.text(c).ok().flatten().map(|t| t.trim().to_owned());
        let rows = match text(self.rows).map(|t| t.parse::<u64>()) {
            Some(Ok(n)) => n,
            other => {
                let shown = match other {
                    Some(_) => text(self.rows).unwrap_or_default(),
                    None => String::new(),
                };
                problems.error(
                    row.at(self.rows),
                    Message::both(
                        format!(
                            "'{shown}' is not a number of rows: this is not the table the query of `samsyn sql` makes, and the row is left out"
                        ),
                        format!(
                            "'{shown}' är inte ett antal rader: det här är inte tabellen som frågan från `samsyn sql` ger, och raden tas inte med"
                        ),
                    ),
                );
                return;
            }
        };
        match text(self.refusal).as_deref() {
            None | Some("") => plan.record_group(row, rows, problems),
            Some(REFUSED_DUPLICATE) => {
                plan.refused_by_query(row, Refusal::Duplicate, rows, problems)
            }
            Some(REFUSED_ROW_ID) => {
                plan.refused_by_query(row, Refusal::DuplicateId, rows, problems)
            }
            Some(other) => {
                // Counted as refused, never dropped: the reason names the column.
                problems.error(
                    row.at(self.refusal),
                    Message::both(
                        format!(
                            "'{other}' is not a reason the query of `samsyn sql` gives ({REFUSED_DUPLICATE} or {REFUSED_ROW_ID})"
                        ),
                        format!(
                            "'{other}' är inte ett skäl som frågan från `samsyn sql` anger ({REFUSED_DUPLICATE} eller {REFUSED_ROW_ID})"
                        ),
                    ),
                );
                plan.refused_by_query(row, Refusal::NotAllowed(REFUSAL.into()), rows, problems)
            }
        }
    }
}
