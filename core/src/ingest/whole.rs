//! What every reader returns, and the part the whole-file formats (workbooks, PX, Parquet)
//! share: [`Feeder`] hands their rows to a plan one record at a time, as UTF-8 text, so a plan
//! is written once for all formats. [`super::source`] picks the reader; the readers use this,
//! never the picker.

use serde::Serialize;

use super::csv::Record;
use super::{Decimal, Dialect, DialectOverrides, Flow, ReadStats, RecordSink, Row, TextEncoding};
use crate::error::{Error, Problems};

/// The kind of file, as detected from its name and first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Delimited text: CSV, TSV, `.txt`.
    Text,
    /// A spreadsheet: `.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`.
    Excel,
    /// PC-Axis, the format of SCB's and the regions' statistics databases.
    Px,
    /// Apache Parquet (with the cargo feature `parquet`).
    Parquet,
    /// Arrow IPC file or stream: `.arrow`, `.feather` v2 (with the cargo feature `parquet`).
    #[serde(rename = "arrow")]
    ArrowIpc,
}

impl Format {
    /// The format's name as users know it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "CSV/text",
            Format::Excel => "Excel/ODS",
            Format::Px => "PX",
            Format::Parquet => "Parquet",
            Format::ArrowIpc => "Arrow IPC",
        }
    }

    /// The format named by a file's extension, if it names one.
    pub fn from_name(file: &str) -> Option<Format> {
        let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" | "tsv" | "txt" | "tab" | "skv" => Format::Text,
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Format::Excel,
            "px" => Format::Px,
            "parquet" | "pq" => Format::Parquet,
            "arrow" | "feather" | "ipc" | "arrows" => Format::ArrowIpc,
            _ => return None,
        })
    }

    /// The format the first bytes of a file show (zip or OLE → spreadsheet, `PAR1` → Parquet,
    /// a PX keyword → PX), else text.
    pub fn from_magic(start: &[u8]) -> Format {
        if start.starts_with(b"PK\x03\x04") || start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            Format::Excel
        } else if start.starts_with(b"PAR1") {
            Format::Parquet
        } else if start.starts_with(b"ARROW1") {
            Format::ArrowIpc
        } else if [
            &b"CHARSET="[..],
            b"AXIS-VERSION=",
            b"CODEPAGE=",
            b"LANGUAGE=",
        ]
        .iter()
        .any(|k| start.starts_with(k))
        {
            Format::Px
        } else {
            Format::Text
        }
    }
}

/// What the user chose about how to read a file; everything left `None` is guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Delimiter, header, decimal separator, encoding of delimited text.
    pub text: DialectOverrides,
    /// The sheet of a workbook (the first sheet when `None`).
    pub sheet: Option<String>,
    /// The format, when the name and content should not decide.
    pub format: Option<Format>,
}

/// How a file was read: its format and, for each format, what was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub format: Format,
    /// For text: the detected (or chosen) dialect. Other formats get a fixed one (UTF-8,
    /// decimal point, header), since their cells are typed.
    pub dialect: Dialect,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// All sheets of a workbook, in order.
    pub sheets: Vec<String>,
    /// Rows above the header that were passed over (a title, a note).
    pub title_rows: u64,
    /// The unit of a PX table's values (`UNITS`), if it has one.
    pub units: Option<String>,
}

/// Everything a finished read returns besides what the plan kept.
#[derive(Debug, Clone)]
pub struct ReadOutcome {
    pub stats: ReadStats,
    pub problems: Problems,
    pub source: Source,
}

impl Source {
    /// A source with nothing found yet but its format and dialect.
    pub fn new(format: Format, dialect: Dialect) -> Self {
        Source {
            format,
            dialect,
            sheet: None,
            sheets: Vec::new(),
            title_rows: 0,
            units: None,
        }
    }
}

/// The dialect of a format whose cells are typed: UTF-8 text, decimal point, a header row.
pub fn typed_dialect() -> Dialect {
    Dialect {
        delimiter: 0,
        quote: 0,
        has_header: true,
        title_rows: 0,
        decimal: Decimal::Point,
        encoding: TextEncoding::Utf8,
    }
}

/// Hands the rows of a whole-file format to a plan, one record at a time, as UTF-8 text.
pub(crate) struct Feeder<'a> {
    file: &'a str,
    dialect: Dialect,
    columns: Vec<String>,
    data: Vec<u8>,
    ends: Vec<usize>,
    pub stats: ReadStats,
    pub problems: Problems,
    stopped: bool,
}

impl<'a> Feeder<'a> {
    pub fn new(file: &'a str) -> Self {
        Feeder {
            file,
            dialect: typed_dialect(),
            columns: Vec::new(),
            data: Vec::new(),
            ends: Vec::new(),
            stats: ReadStats::default(),
            problems: Problems::default(),
            stopped: false,
        }
    }

    /// Gives the plan the column names; empty names become `column N`, and empty names at the
    /// end are dropped (a sheet's used range often reaches past the table).
    pub fn header(&mut self, names: Vec<String>, sink: &mut dyn RecordSink) -> Result<(), Error> {
        let mut names: Vec<String> = names.into_iter().map(|n| n.trim().to_owned()).collect();
        while names.last().is_some_and(String::is_empty) {
            names.pop();
        }
        for (i, n) in names.iter_mut().enumerate() {
            if n.is_empty() {
                *n = format!("column {}", i + 1);
            }
        }
        sink.columns(&names, &self.dialect)
            .map_err(|e| e.in_file(self.file))?;
        self.columns = names;
        Ok(())
    }

    /// Starts a new row.
    pub fn start_row(&mut self) {
        self.data.clear();
        self.ends.clear();
    }

    /// Adds one cell's text to the row.
    pub fn cell(&mut self, text: &str) {
        self.data.extend_from_slice(text.as_bytes());
        self.ends.push(self.data.len());
    }

    /// Adds one cell written by `write` to the row (no allocation per cell).
    pub fn cell_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        write(&mut self.data);
        self.ends.push(self.data.len());
    }

    /// Ends the row, numbered `row` as the user sees it, and hands it to the plan.
    pub fn end_row(&mut self, row: u64, sink: &mut dyn RecordSink) -> Flow {
        if self.stopped {
            return Flow::Stop;
        }
        // Trailing empty cells beyond the header are the used range, not data.
        while self.ends.len() > self.columns.len() {
            let n = self.ends.len();
            let start = if n >= 2 {
                self.ends.get(n - 2).copied().unwrap_or(0)
            } else {
                0
            };
            if self.ends.last().copied() != Some(start) {
                break;
            }
            self.ends.pop();
        }
        let record = Record::new(&self.data, &self.ends, row);
        if record.is_blank() {
            self.stats.blank_rows += 1;
            return Flow::Continue;
        }
        self.stats.rows += 1;
        let view = Row {
            record: &record,
            encoding: TextEncoding::Utf8,
            file: self.file,
            columns: &self.columns,
        };
        let flow = sink.record(&view, &mut self.problems);
        if flow == Flow::Stop {
            self.stopped = true;
        }
        flow
    }
}
