//! One entry point for every file format: [`FileReader`] picks the reader from the file name and
//! first bytes, and every reader hands its rows to the same [`RecordSink`] plans.
//!
//! Delimited text streams chunk by chunk through [`TextReader`]. Excel, OpenDocument, PX and
//! Parquet files are small in practice (a sheet, a statistics table) and their formats need the
//! whole file (a zip directory at the end, a PX header before the data), so their bytes are
//! collected and read at [`FileReader::finish`]; their rows still stream into the plan one by
//! one, as UTF-8 text, so a plan is written once for all formats.

use serde::Serialize;

use super::csv::Record;
use super::{
    Decimal, Dialect, DialectOverrides, Flow, ReadStats, RecordSink, Row, TextEncoding, TextReader,
};
use crate::error::{Error, Location, Problems};

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

enum Inner {
    /// The first bytes, until the format is known.
    Undecided(Vec<u8>),
    Text(TextReader),
    /// A whole-file format: its bytes so far.
    Whole(Format, Vec<u8>),
}

/// Reads any supported file into a [`RecordSink`]: feed chunks with [`FileReader::push`], then
/// call [`FileReader::finish`].
///
/// ```
/// use samsyn_core::ingest::{FileReader, ReadOptions};
/// use samsyn_core::counts::CountPerKommun;
/// let mut plan = CountPerKommun::default();
/// let mut reader = FileReader::new("befolkning.csv", ReadOptions::default());
/// reader.push(b"kommun;antal\n2480;5\n", &mut plan).unwrap();
/// let outcome = reader.finish(&mut plan).unwrap();
/// assert_eq!(outcome.stats.rows, 1);
/// ```
pub struct FileReader {
    file: String,
    options: ReadOptions,
    inner: Inner,
}

/// The most bytes held of a file read whole (workbook, PX, Parquet): 1 GiB (1 073 741 824
/// bytes), so that a huge file is refused as it is fed instead of filling memory.
pub const MAX_WHOLE_FILE_BYTES: usize = 1 << 30;

/// How many bytes decide the format of a file whose name does not.
const MAGIC_BYTES: usize = 16;

impl FileReader {
    /// A reader for the file named `file`; the name picks the format where it can.
    pub fn new(file: &str, options: ReadOptions) -> Self {
        let format = options.format.or_else(|| Format::from_name(file));
        let inner = match format {
            Some(Format::Text) => Inner::Text(TextReader::new(file, options.text)),
            Some(f) => Inner::Whole(f, Vec::new()),
            None => Inner::Undecided(Vec::new()),
        };
        FileReader {
            file: file.to_owned(),
            options,
            inner,
        }
    }

    /// Data rows handed to the plan so far: the progress to show. Whole-file formats are read
    /// at [`FileReader::finish`], so they stay at 0 until then.
    pub fn rows_read(&self) -> u64 {
        match &self.inner {
            Inner::Text(reader) => reader.stats().rows,
            Inner::Undecided(_) | Inner::Whole(..) => 0,
        }
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn RecordSink) -> Result<(), Error> {
        match &mut self.inner {
            Inner::Text(reader) => reader.push(chunk, sink),
            Inner::Whole(format, bytes) => {
                collect_whole(&self.file, *format, bytes, chunk, MAX_WHOLE_FILE_BYTES)
            }
            Inner::Undecided(start) => {
                start.extend_from_slice(chunk);
                if start.len() >= MAGIC_BYTES {
                    let start = std::mem::take(start);
                    self.decide(&start);
                    return self.push(&start, sink);
                }
                Ok(())
            }
        }
    }

    fn decide(&mut self, start: &[u8]) {
        self.inner = match Format::from_magic(start) {
            Format::Text => Inner::Text(TextReader::new(&self.file, self.options.text)),
            f => Inner::Whole(f, Vec::with_capacity(start.len())),
        };
    }

    /// Ends the file and reads what was collected; returns the figures, problems and source.
    pub fn finish(mut self, sink: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
        if let Inner::Undecided(start) = &mut self.inner {
            let start = std::mem::take(start);
            self.decide(&start);
            self.push(&start, sink)?;
        }
        let file = self.file;
        match self.inner {
            Inner::Undecided(_) => Err(Error::EmptyFile {
                at: Location::file(&file),
            }),
            Inner::Text(reader) => {
                let (stats, problems, dialect) = reader.finish(sink)?;
                let mut source = Source::new(Format::Text, dialect);
                source.title_rows = u64::from(dialect.title_rows);
                Ok(ReadOutcome {
                    stats,
                    problems,
                    source,
                })
            }
            Inner::Whole(format, bytes) => {
                if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                    return Err(Error::EmptyFile {
                        at: Location::file(&file),
                    });
                }
                match format {
                    Format::Excel => super::excel::read(&file, &bytes, &self.options, sink),
                    Format::Px => super::px::read(&file, &bytes, sink),
                    Format::Parquet => read_parquet(&file, &bytes, sink),
                    Format::ArrowIpc => read_arrow_ipc(&file, &bytes, sink),
                    Format::Text => Err(Error::Unreadable {
                        at: Location::file(&file),
                        message: "internal: text read as a whole file".into(),
                    }),
                }
            }
        }
    }
}

#[cfg(feature = "parquet")]
fn read_parquet(file: &str, bytes: &[u8], sink: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
    super::parquet::read(file, bytes, sink)
}

#[cfg(feature = "parquet")]
fn read_arrow_ipc(
    file: &str,
    bytes: &[u8],
    sink: &mut dyn RecordSink,
) -> Result<ReadOutcome, Error> {
    super::parquet::read_arrow_ipc(file, bytes, sink)
}

#[cfg(not(feature = "parquet"))]
fn read_arrow_ipc(file: &str, _: &[u8], _: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
    Err(Error::Unreadable {
        at: Location::file(file),
        message:
            "Arrow files cannot be read by this build of Samsyn; save the table as CSV or Excel"
                .into(),
    })
}

#[cfg(not(feature = "parquet"))]
fn read_parquet(file: &str, _: &[u8], _: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
    Err(Error::Unreadable {
        at: Location::file(file),
        message:
            "Parquet files cannot be read by this build of Samsyn; save the table as CSV or Excel"
                .into(),
    })
}

/// Adds `chunk` to the bytes of a file read whole, unless they would pass `limit`.
fn collect_whole(
    file: &str,
    format: Format,
    bytes: &mut Vec<u8>,
    chunk: &[u8],
    limit: usize,
) -> Result<(), Error> {
    if bytes.len().saturating_add(chunk.len()) > limit {
        return Err(Error::Unreadable {
            at: Location::file(file),
            message: format!(
                "the file is larger than {} bytes, the most Samsyn holds of a file it reads whole ({}); \
                 save the table as CSV, which Samsyn reads in a stream whatever its size",
                super::group_digits(u64::try_from(limit).unwrap_or(u64::MAX)),
                format.label()
            ),
        });
    }
    bytes.extend_from_slice(chunk);
    Ok(())
}

/// Reads a whole file held in memory into `sink` (tests, small files, Excel and PX).
pub fn read_bytes(
    file: &str,
    bytes: &[u8],
    options: ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<ReadOutcome, Error> {
    let mut reader = FileReader::new(file, options);
    reader.push(bytes, sink)?;
    reader.finish(sink)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_file_format_is_refused_past_its_limit_while_fed() {
        let mut bytes = Vec::new();
        let fed: Vec<bool> = [b"abc", b"def", b"ghi"]
            .iter()
            .map(|c| collect_whole("big.xlsx", Format::Excel, &mut bytes, &c[..], 8).is_ok())
            .collect();
        assert_eq!((fed, bytes.len()), (vec![true, true, false], 6));
        assert_eq!(
            collect_whole("big.px", Format::Px, &mut Vec::new(), &[0; 9], 8)
                .unwrap_err()
                .to_string(),
            "big.px: the file is larger than 8 bytes, the most Samsyn holds of a file it reads \
             whole (PX); save the table as CSV, which Samsyn reads in a stream whatever its size"
        );
    }
}
