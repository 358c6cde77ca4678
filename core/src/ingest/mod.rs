//! Reading the files analysts have, in one streaming pass.
//!
//! [`FileReader`] is the entry point for any format (text, Excel, PX, Parquet); it hands rows to
//! the same [`RecordSink`] plans. For delimited text, a shell (browser or CLI) feeds a [`TextReader`] the bytes of a file in chunks of any size;
//! the reader detects the encoding and dialect from the first [`dialect::SAMPLE_BYTES`], then
//! hands each record, with its Excel row number, to a [`RecordSink`]: a plan that keeps only
//! what it needs. Nothing holds the whole text. Progress is what the shell has fed; cancelling
//! is to stop feeding.

mod biff;
mod continuation;
pub mod csv;
pub mod dialect;
pub mod encoding;
pub mod excel;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod px;
pub mod ranges;
mod sheet;
pub mod source;
pub mod tee;
pub mod whole;

use std::borrow::Cow;

pub use self::csv::{Flow, Record, Refusal};
pub use dialect::{Decimal, Dialect, DialectOverrides};
pub use encoding::TextEncoding;
pub use source::{read_bytes, FileReader, Format, ReadOptions, ReadOutcome, Source};
pub use tee::{Fan, Tee};

use crate::error::{Error, Location, Message, Problems};

/// What a plan does with the records of one file.
pub trait RecordSink {
    /// Called once with the column names (from the header, or `column 1` … without one),
    /// before any record. An error here (a required column missing) stops the read.
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error>;
    /// Called for every data row that is not blank.
    fn record(&mut self, record: &Row<'_>, problems: &mut Problems) -> Flow;
}

/// A data row as a plan sees it: raw fields plus what is needed to decode and locate them.
pub struct Row<'a> {
    pub record: &'a Record<'a>,
    pub encoding: TextEncoding,
    pub file: &'a str,
    pub columns: &'a [String],
}

impl<'a> Row<'a> {
    /// 1-based row as Excel shows it.
    pub fn row(&self) -> u64 {
        self.record.row
    }

    /// Field `i` as text; `Err` with a message when it is not valid in the file's encoding,
    /// `Ok(None)` when the row is too short to have it.
    pub fn text(&self, i: usize) -> Result<Option<Cow<'a, str>>, Message> {
        match self.record.get(i) {
            None => Ok(None),
            Some(bytes) => encoding::decode_field(bytes, self.encoding).map(Some).ok_or_else(|| {
                Message::both(
                    "the text is not valid UTF-8; if the file was saved by Excel as \"CSV (semikolonavgränsad)\", \
                     choose the encoding Windows-1252",
                    "texten går inte att läsa som UTF-8; om filen sparades i Excel som \"CSV (semikolonavgränsad)\", \
                     välj teckenkodningen Windows-1252",
                )
            }),
        }
    }

    /// Whether the row has the header's number of fields; extra fields that are empty (Excel's
    /// trailing `;;`) do not count. A ragged row gets a problem and should be skipped.
    pub fn has_header_shape(&self, problems: &mut Problems) -> bool {
        let (have, want) = (self.record.len(), self.columns.len());
        let extra_empty = (want..have).all(|i| {
            self.record
                .get(i)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        });
        if have == want || (have > want && extra_empty) {
            return true;
        }
        problems.error(
            Location::row(self.file, self.row()),
            Message::both(
                format!("the row has {have} fields but the header has {want}; the row is skipped"),
                format!("raden har {have} fält men rubrikraden har {want}; raden hoppas över"),
            ),
        );
        false
    }

    /// The location of field `i` for a problem message.
    pub fn at(&self, i: usize) -> Location {
        match self.columns.get(i) {
            Some(name) => Location::cell(self.file, self.row(), name),
            None => Location::cell(self.file, self.row(), &format!("column {}", i + 1)),
        }
    }
}

/// Figures of one finished read.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReadStats {
    /// Bytes fed.
    pub bytes: u64,
    /// Data rows handed to the plan (not the header, not blank rows).
    pub rows: u64,
    /// Blank rows passed over.
    pub blank_rows: u64,
    /// Blank rows below the header, which plans account for as refused rows (blank rows above
    /// the header are not data), and their row numbers (the first [`Problems::KEEP`]).
    pub blank_data_rows: u64,
    pub blank_row_numbers: Vec<u64>,
    /// Rows the reader could not hand to the plan (a quote never closed, a row over
    /// [`csv::MAX_RECORD_BYTES`] or [`csv::MAX_COLUMNS`]): every row such a record took, under
    /// one problem per record.
    pub skipped_rows: u64,
    /// Their row numbers (the first [`Problems::KEEP`]).
    pub skipped_row_numbers: Vec<u64>,
    /// Row numbers the text took, header and title rows included (the next record's row
    /// would be one more): where a later byte range's rows start ([`ranges`]).
    #[serde(skip)]
    pub rows_numbered: u64,
    /// The text ended inside a record (a quote still open, or no line end after the last
    /// record): a byte range cut there did not end at a line start ([`ranges`]).
    #[serde(skip)]
    pub open_at_end: bool,
}

enum State {
    /// Collecting the sample used to guess the encoding and dialect.
    Sampling(Vec<u8>),
    Reading(Box<Reading>),
}

struct Reading {
    dialect: Dialect,
    splitter: csv::Splitter,
    transcoder: Option<encoding::Transcoder>,
    transcoded: Vec<u8>,
    columns: Option<Vec<String>>,
    /// Title rows passed over so far.
    titles_seen: u32,
}

/// Streams one delimited text file into a [`RecordSink`].
pub struct TextReader {
    file: String,
    overrides: DialectOverrides,
    state: State,
    stats: ReadStats,
    problems: Problems,
    failed: Option<Error>,
    stopped: bool,
}

impl TextReader {
    /// A reader for the file named `file` (the name is only used in messages).
    pub fn new(file: &str, overrides: DialectOverrides) -> Self {
        TextReader {
            file: file.to_owned(),
            overrides,
            state: State::Sampling(Vec::new()),
            stats: ReadStats::default(),
            problems: Problems::default(),
            failed: None,
            stopped: false,
        }
    }

    /// The dialect, once the sample has been read.
    pub fn dialect(&self) -> Option<&Dialect> {
        match &self.state {
            State::Reading(r) => Some(&r.dialect),
            State::Sampling(_) => None,
        }
    }

    /// Once the header is read, what a reader of a later byte range of this file needs
    /// ([`ranges`]); `None` before, for text that is transcoded (UTF-16, whose line ends are
    /// not single bytes), or when the read failed or stopped.
    pub fn continuation(&self) -> Option<continuation::Continuation> {
        let State::Reading(r) = &self.state else {
            return None;
        };
        if self.failed.is_some() || self.stopped || r.transcoder.is_some() {
            return None;
        }
        Some(continuation::Continuation {
            dialect: r.dialect,
            columns: r.columns.clone()?,
        })
    }

    /// A reader of a byte range of a file that starts at a line start below the header, given
    /// what the reader of its start found ([`TextReader::continuation`]); its rows are numbered
    /// from 1 until [`ranges::merge`] places them. `sink` is given the header here.
    pub fn continuing(
        file: &str,
        continuation: &continuation::Continuation,
        sink: &mut dyn RecordSink,
    ) -> Result<Self, Error> {
        let dialect = continuation.dialect;
        sink.columns(&continuation.columns, &dialect)
            .map_err(|e| e.in_file(file))?;
        let mut reader = TextReader::new(file, DialectOverrides::default());
        reader.state = State::Reading(Box::new(Reading {
            dialect,
            splitter: csv::Splitter::new(dialect.delimiter, dialect.quote),
            transcoder: None,
            transcoded: Vec::new(),
            columns: Some(continuation.columns.clone()),
            titles_seen: dialect.title_rows,
        }));
        Ok(reader)
    }

    /// Bytes fed and rows read so far: the progress to show.
    pub fn stats(&self) -> &ReadStats {
        &self.stats
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn RecordSink) -> Result<(), Error> {
        self.stats.bytes += chunk.len() as u64;
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        match &mut self.state {
            State::Sampling(sample) => {
                sample.extend_from_slice(chunk);
                if sample.len() >= dialect::SAMPLE_BYTES {
                    let sample = std::mem::take(sample);
                    self.start(&sample, false, sink)?;
                }
            }
            State::Reading(_) => self.split(chunk, false, sink)?,
        }
        self.check()
    }

    /// Ends the file: the last record is read and the figures and problems returned.
    pub fn finish(
        mut self,
        sink: &mut dyn RecordSink,
    ) -> Result<(ReadStats, Problems, Dialect), Error> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if let State::Sampling(sample) = &mut self.state {
            let sample = std::mem::take(sample);
            if sample.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
                return Err(Error::EmptyFile {
                    at: Location::file(&self.file),
                });
            }
            self.start(&sample, true, sink)?;
        } else {
            if let State::Reading(r) = &self.state {
                self.stats.open_at_end = r.splitter.in_record();
            }
            self.split(&[], true, sink)?;
        }
        self.check()?;
        let State::Reading(reading) = self.state else {
            return Err(Error::EmptyFile {
                at: Location::file(&self.file),
            });
        };
        if reading.columns.is_none() {
            return Err(Error::EmptyFile {
                at: Location::file(&self.file),
            });
        }
        self.stats.rows_numbered = reading.splitter.next_row() - 1;
        Ok((self.stats, self.problems, reading.dialect))
    }

    fn check(&mut self) -> Result<(), Error> {
        match &self.failed {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn start(
        &mut self,
        sample: &[u8],
        complete: bool,
        sink: &mut dyn RecordSink,
    ) -> Result<(), Error> {
        // The guesses look at the first SAMPLE_BYTES only, however the file was chunked, so a
        // file reads the same whole or in pieces.
        let head = sample.get(..dialect::SAMPLE_BYTES).unwrap_or(sample);
        let head_complete = complete && head.len() == sample.len();
        let encoding = self
            .overrides
            .encoding
            .unwrap_or_else(|| encoding::detect(head, head_complete));
        if !encoding.needs_transcoding() && memchr::memchr(0, head).is_some() {
            let e = Error::Unreadable {
                at: Location::file(&self.file),
                message: Message::both(
                    "the file holds binary data, not text; a workbook must keep its .xlsx, .xls or .ods name",
                    "filen innehåller binära data, inte text; en arbetsbok måste behålla sitt namn på .xlsx, .xls eller .ods",
                ),
            };
            self.failed = Some(e.clone());
            return Err(e);
        }
        let bom = if sample_has_bom(sample, encoding) {
            encoding.bom_len()
        } else {
            0
        };
        let body = sample.get(bom..).unwrap_or_default();
        let head_body = head.get(bom..).unwrap_or_default();
        let mut transcoder = encoding
            .needs_transcoding()
            .then(|| encoding::Transcoder::new(encoding));
        let (text, head_text): (Cow<'_, [u8]>, Cow<'_, [u8]>) = match &mut transcoder {
            Some(t) => {
                let mut out = Vec::new();
                t.push(body, &mut out, complete);
                let mut head_out = Vec::new();
                encoding::Transcoder::new(encoding).push(head_body, &mut head_out, head_complete);
                (Cow::Owned(out), Cow::Owned(head_out))
            }
            None => (Cow::Borrowed(body), Cow::Borrowed(head_body)),
        };
        let dialect = dialect::guess(&head_text, head_complete, encoding, self.overrides);
        self.state = State::Reading(Box::new(Reading {
            dialect,
            splitter: csv::Splitter::new(dialect.delimiter, dialect.quote),
            transcoder,
            transcoded: Vec::new(),
            columns: None,
            titles_seen: 0,
        }));
        self.split_text(&text, complete, sink)
    }

    fn split(&mut self, chunk: &[u8], last: bool, sink: &mut dyn RecordSink) -> Result<(), Error> {
        let State::Reading(reading) = &mut self.state else {
            return Ok(());
        };
        if let Some(t) = &mut reading.transcoder {
            let mut out = std::mem::take(&mut reading.transcoded);
            out.clear();
            t.push(chunk, &mut out, last);
            let result = self.split_text(&out, last, sink);
            if let State::Reading(reading) = &mut self.state {
                reading.transcoded = out;
            }
            result
        } else {
            self.split_text(chunk, last, sink)
        }
    }

    fn split_text(
        &mut self,
        text: &[u8],
        last: bool,
        sink: &mut dyn RecordSink,
    ) -> Result<(), Error> {
        if self.stopped {
            return Ok(());
        }
        let State::Reading(reading) = &mut self.state else {
            return Ok(());
        };
        let Reading {
            dialect,
            splitter,
            columns,
            titles_seen,
            ..
        } = &mut **reading;
        let (file, stats, problems, failed, stopped) = (
            &self.file,
            &mut self.stats,
            &mut self.problems,
            &mut self.failed,
            &mut self.stopped,
        );
        let mut on_record = |record: &Record<'_>| -> Flow {
            if let Some(refusal) = record.refused {
                let message = refusal_message(record, refusal, columns.as_deref());
                if columns.is_none() {
                    // Before the header: there is no table to go on with.
                    *failed = Some(Error::Unreadable {
                        at: Location::file(file),
                        message: message.clone(),
                    });
                    return Flow::Stop;
                }
                problems.error(Location::row(file, record.row), message);
                // One problem, but every row it took is counted as not read.
                let lines = record.lines.max(1);
                stats.skipped_rows += lines;
                let room = Problems::KEEP.saturating_sub(stats.skipped_row_numbers.len());
                stats
                    .skipped_row_numbers
                    .extend((record.row..record.row + lines).take(room));
                return Flow::Continue;
            }
            if record.stray_quote {
                let swallowed = match record.lines {
                    0 | 1 => None,
                    2 => Some(("the next line".to_owned(), "nästa rad".to_owned())),
                    n => {
                        let n = group_digits(n - 1);
                        Some((
                            format!("the next {n} lines"),
                            format!("de {n} följande raderna"),
                        ))
                    }
                };
                let message = if let Some((swallowed, swallowed_sv)) = swallowed {
                    Message::both(
                        format!(
                            "text follows a closing quote (a \" is probably missing), so this row swallowed {swallowed} of the file up to that quote; check the quotes in this row"
                        ),
                        format!(
                            "text följer efter ett avslutande citattecken (troligen saknas ett \"), så raden har tagit med {swallowed_sv} i filen fram till det citattecknet; kontrollera citattecknen på raden"
                        ),
                    )
                } else {
                    Message::both(
                        "text follows a closing quote (a \" is probably missing), so this row may have swallowed the rows below it up to the next \"; check the row",
                        "text följer efter ett avslutande citattecken (troligen saknas ett \"), så raden kan ha tagit med raderna under den fram till nästa \"; kontrollera raden",
                    )
                };
                problems.warning(Location::row(file, record.row), message);
            }
            if columns.is_none() {
                if record.is_blank() {
                    stats.blank_rows += 1;
                    return Flow::Continue;
                }
                if *titles_seen < dialect.title_rows {
                    *titles_seen += 1;
                    return Flow::Continue;
                }
                let names = header_names(record, dialect, file, problems);
                if let Err(e) = sink.columns(&names, dialect) {
                    *failed = Some(e.in_file(file));
                    return Flow::Stop;
                }
                *columns = Some(names);
                if dialect.has_header {
                    return Flow::Continue;
                }
                // Without a header the first record is also the first data row.
            }
            if record.is_blank() {
                stats.blank_rows += 1;
                stats.blank_data_rows += 1;
                if stats.blank_row_numbers.len() < Problems::KEEP {
                    stats.blank_row_numbers.push(record.row);
                }
                return Flow::Continue;
            }
            stats.rows += 1;
            let names = columns.as_deref().unwrap_or_default();
            let row = Row {
                record,
                encoding: dialect.encoding,
                file,
                columns: names,
            };
            let flow = sink.record(&row, problems);
            if flow == Flow::Stop {
                *stopped = true;
            }
            flow
        };
        splitter.push(text, &mut on_record);
        if last {
            splitter.finish(&mut on_record);
        }
        Ok(())
    }
}
/// What a refused record says: the rows it took, why, and what to do.
fn refusal_message(record: &Record<'_>, refusal: Refusal, columns: Option<&[String]>) -> Message {
    let first = record.row;
    let last = first + record.lines.max(1) - 1;
    let (rows, rows_sv) = if last > first {
        let span = format!("{}–{}", group_digits(first), group_digits(last));
        (format!("rows {span}"), format!("raderna {span}"))
    } else {
        let row = group_digits(first);
        (format!("row {row}"), format!("rad {row}"))
    };
    let column = |field: usize| match columns.and_then(|c| c.get(field)) {
        Some(name) => name.clone(),
        None => format!("column {}", field + 1),
    };
    match refusal {
        Refusal::UnclosedQuote {
            quote_row,
            quote_field,
        } => {
            let (row, column) = (group_digits(quote_row), column(quote_field));
            Message::both(
                format!(
                    "{rows} could not be read: the quote opened in row {row}, column '{column}', is never closed"
                ),
                format!(
                    "{rows_sv} kunde inte läsas: citattecknet som öppnas på rad {row}, kolumn '{column}', stängs aldrig"
                ),
            )
        }
        Refusal::TooLong { quote } => {
            let (cause, cause_sv) = match quote {
                Some((row, field)) => {
                    let (row, column) = (group_digits(row), column(field));
                    (
                        format!(
                            "the quote opened in row {row}, column '{column}', spans several lines: a \" is probably missing"
                        ),
                        format!(
                            "citattecknet som öppnas på rad {row}, kolumn '{column}', sträcker sig över flera rader: troligen saknas ett \""
                        ),
                    )
                }
                None => (
                    "check the delimiter, or shorten the field".to_owned(),
                    "kontrollera avgränsaren eller korta fältet".to_owned(),
                ),
            };
            let most = group_digits(csv::MAX_RECORD_BYTES as u64);
            Message::both(
                format!(
                    "{rows} could not be read: the row is longer than {most} bytes (1 MiB), the most Samsyn reads as one row; {cause}"
                ),
                format!(
                    "{rows_sv} kunde inte läsas: raden är längre än {most} byte (1 MiB), gränsen för vad Samsyn läser som en rad; {cause_sv}"
                ),
            )
        }
        Refusal::TooManyColumns => {
            let most = group_digits(csv::MAX_COLUMNS as u64);
            Message::both(
                format!(
                    "{rows} could not be read: it has more than {most} columns, Excel's limit; check the delimiter, or split the table into files of at most {most} columns"
                ),
                format!(
                    "{rows_sv} kunde inte läsas: fler än {most} kolumner, vilket är Excels gräns; kontrollera avgränsaren eller dela upp tabellen i filer med högst {most} kolumner"
                ),
            )
        }
    }
}

/// `20003` → `20 003`: digits in groups of three, as Swedish and SI write them.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn sample_has_bom(sample: &[u8], encoding: TextEncoding) -> bool {
    match encoding {
        TextEncoding::Utf8Bom => sample.starts_with(&[0xEF, 0xBB, 0xBF]),
        TextEncoding::Utf16Le => sample.starts_with(&[0xFF, 0xFE]),
        TextEncoding::Utf16Be => sample.starts_with(&[0xFE, 0xFF]),
        _ => false,
    }
}

/// Column names from the header row (or `column N` without one). Empty names get `column N`;
/// empty names at the end are dropped (Excel's trailing `;;`), and rows whose extra fields are
/// empty fit the header.
fn header_names(
    record: &Record<'_>,
    dialect: &Dialect,
    file: &str,
    problems: &mut Problems,
) -> Vec<String> {
    let mut len = record.len();
    if dialect.has_header {
        while len > 1
            && record
                .get(len - 1)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            len -= 1;
        }
    }
    (0..len)
        .map(|i| {
            let generic = || format!("column {}", i + 1);
            if !dialect.has_header {
                return generic();
            }
            let raw = record.get(i).unwrap_or_default();
            match encoding::decode_field(raw, dialect.encoding) {
                Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
                Some(_) => generic(),
                None => {
                    problems.error(
                        Location::cell(file, record.row, &generic()),
                        Message::both(
                            "the column name is not valid UTF-8; choose the encoding Windows-1252",
                            "kolumnnamnet går inte att läsa som UTF-8; välj teckenkodningen Windows-1252",
                        ),
                    );
                    generic()
                }
            }
        })
        .collect()
}
