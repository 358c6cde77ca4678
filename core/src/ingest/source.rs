//! One entry point for every file format: [`FileReader`] picks the reader from the file name and
//! first bytes, and every reader hands its rows to the same [`RecordSink`] plans.
//!
//! Delimited text streams chunk by chunk through [`TextReader`]. Excel, OpenDocument, PX and
//! Parquet files are small in practice (a sheet, a statistics table) and their formats need the
//! whole file (a zip directory at the end, a PX header before the data), so their bytes are
//! collected and read at [`FileReader::finish`]; their rows still stream into the plan one by
//! one, as UTF-8 text, so a plan is written once for all formats.

use super::{RecordSink, TextReader};
use crate::error::{Error, Location, Message};

pub use super::whole::{typed_dialect, Format, ReadOptions, ReadOutcome, Source};

enum Inner {
    /// The first bytes, until the format is known.
    Undecided(Vec<u8>),
    /// Boxed: the reader is large, the other states a vector.
    Text(Box<TextReader>),
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
            Some(Format::Text) => Inner::Text(Box::new(TextReader::new(file, options.text))),
            Some(f) => Inner::Whole(f, Vec::new()),
            None => Inner::Undecided(Vec::new()),
        };
        FileReader {
            file: file.to_owned(),
            options,
            inner,
        }
    }

    /// What a reader of a later byte range of this text file needs, once the header is read
    /// ([`super::ranges`]); `None` for other formats and text that cannot be cut into ranges.
    pub fn continuation(&self) -> Option<super::continuation::Continuation> {
        match &self.inner {
            Inner::Text(reader) => reader.continuation(),
            Inner::Undecided(_) | Inner::Whole(..) => None,
        }
    }

    /// A reader of a byte range of text file `file` that starts at a line start below the
    /// header ([`TextReader::continuing`]).
    pub fn continuing(
        file: &str,
        options: ReadOptions,
        continuation: &super::continuation::Continuation,
        sink: &mut dyn RecordSink,
    ) -> Result<Self, Error> {
        Ok(FileReader {
            file: file.to_owned(),
            options,
            inner: Inner::Text(Box::new(TextReader::continuing(file, continuation, sink)?)),
        })
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
            Format::Text => Inner::Text(Box::new(TextReader::new(&self.file, self.options.text))),
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
                        message: Message::both(
                            "internal: text read as a whole file",
                            "internt fel: text lästes som en hel fil",
                        ),
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
        message: Message::both(
            "Arrow files cannot be read by this build of Samsyn; save the table as CSV or Excel",
            "Arrow-filer kan inte läsas av den här versionen av Samsyn; spara tabellen som CSV eller Excel",
        ),
    })
}

#[cfg(not(feature = "parquet"))]
fn read_parquet(file: &str, _: &[u8], _: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
    Err(Error::Unreadable {
        at: Location::file(file),
        message: Message::both(
            "Parquet files cannot be read by this build of Samsyn; save the table as CSV or Excel",
            "Parquet-filer kan inte läsas av den här versionen av Samsyn; spara tabellen som CSV eller Excel",
        ),
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
            message: Message::both(
                format!(
                    "the file is larger than {} bytes, the most Samsyn holds of a file it reads whole ({}); \
                     save the table as CSV, which Samsyn reads in a stream whatever its size",
                    super::group_digits(u64::try_from(limit).unwrap_or(u64::MAX)),
                    format.label()
                ),
                format!(
                    "filen är större än {} byte, det mesta Samsyn håller av en fil som läses hel ({}); \
                     spara tabellen som CSV, som Samsyn läser i en ström oavsett storlek",
                    super::group_digits(u64::try_from(limit).unwrap_or(u64::MAX)),
                    format.label()
                ),
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
