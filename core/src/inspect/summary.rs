//! The inspection as plain, serialisable values: what `samsyn inspect --json` prints and what the
//! test corpus's `.expected.json` files hold.

use serde::Serialize;

use super::{ColumnType, Inspection};
use crate::error::Severity;
use crate::ingest::dialect::delimiter_name;
use crate::ingest::Format;
use crate::table::roles::Role;

/// How the file was read, as shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DialectSummary {
    pub format: Format,
    /// Delimited text only.
    pub delimiter: Option<&'static str>,
    pub decimal: Option<&'static str>,
    pub encoding: Option<&'static str>,
    pub header: bool,
    /// Workbooks only.
    pub sheet: Option<String>,
}

/// One column, as shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    pub name: String,
    #[serde(rename = "type")]
    pub column_type: ColumnType,
    pub role: Option<Role>,
    pub date_format: Option<super::values::DateFormat>,
    pub missing: u64,
    pub distinct: u64,
    pub min: Option<String>,
    pub max: Option<String>,
}

/// One problem, as shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProblemSummary {
    pub row: Option<u64>,
    pub column: Option<String>,
    pub severity: Severity,
    pub message: String,
}

/// The whole inspection, as shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Data rows read (not the header, not blank rows).
    pub rows: u64,
    pub blank_rows: u64,
    /// Title or note rows above the header, passed over.
    pub title_rows: u64,
    pub skipped_rows: u64,
    pub skipped_row_numbers: Vec<u64>,
    pub columns: Vec<ColumnSummary>,
    pub dialect: DialectSummary,
    pub sheets: Vec<String>,
    pub problems: Vec<ProblemSummary>,
    pub problems_total: u64,
}

impl Inspection {
    /// The inspection as plain values.
    pub fn summary(&self) -> Summary {
        let d = &self.source.dialect;
        let text = self.source.format == Format::Text;
        Summary {
            rows: self.stats.rows,
            blank_rows: self.stats.blank_rows,
            title_rows: self.source.title_rows,
            skipped_rows: self.skipped_rows,
            skipped_row_numbers: self.skipped_row_numbers.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| ColumnSummary {
                    name: c.name.clone(),
                    column_type: c.column_type,
                    role: c.role,
                    date_format: c.date_format,
                    missing: c.missing,
                    distinct: c.distinct,
                    min: c.min.clone(),
                    max: c.max.clone(),
                })
                .collect(),
            dialect: DialectSummary {
                format: self.source.format,
                delimiter: text.then(|| delimiter_name(d.delimiter)),
                decimal: text.then_some(match d.decimal {
                    crate::ingest::Decimal::Point => ".",
                    crate::ingest::Decimal::Comma => ",",
                }),
                encoding: text.then(|| d.encoding.name()),
                header: d.has_header,
                sheet: self.source.sheet.clone(),
            },
            sheets: self.source.sheets.clone(),
            problems: self
                .problems
                .kept
                .iter()
                .map(|p| ProblemSummary {
                    row: p.location.row,
                    column: p.location.column.clone(),
                    severity: p.severity,
                    message: p.message.clone(),
                })
                .collect(),
            problems_total: self.problems.total,
        }
    }
}
