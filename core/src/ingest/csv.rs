//! A streaming, push-based CSV record splitter (RFC 4180 plus what Excel writes).
//!
//! Bytes arrive in chunks of any size (a browser `File.slice`, a native `read`); complete records
//! are handed to a callback with their row number as Excel shows it. Quoted fields may hold
//! delimiters, doubled quotes and line breaks; lines may end in CRLF, LF or CR. A blank line is a
//! row (Excel shows it as one), so row numbers stay those the user sees. Memory is one chunk plus
//! one record, whatever the file size.
//!
//! Why not `csv-core`: it skips blank lines and counts only `\n`, so its positions would not be
//! the Excel rows users look up, and CR-only files (old Mac Excel) would be one line.

use memchr::{memchr, memchr2, memchr3, memchr_iter};

/// One record: its fields as raw bytes (quotes removed, `""` unescaped) and its row.
#[derive(Debug)]
pub struct Record<'a> {
    data: &'a [u8],
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 0 when the fields were copied end
    /// to end, 1 when they are read in place from a line without quotes (the delimiter).
    gap: usize,
    /// 1-based row as Excel shows it (the header, if any, is row 1).
    pub row: u64,
    /// A quoted field was not closed before the end of the file.
    pub unterminated_quote: bool,
    /// Text follows a closing quote (`"a"b`): a quote is probably missing, and the record may
    /// have swallowed the rows up to the next quote.
    pub stray_quote: bool,
}

impl<'a> Record<'a> {
    /// A record from its fields laid end to end in `data`, `ends[i]` being where field `i`
    /// ends: how readers of other formats (Excel, PX, Parquet) hand rows to the same plans.
    pub fn new(data: &'a [u8], ends: &'a [usize], row: u64) -> Self {
        Record {
            data,
            ends,
            gap: 0,
            row,
            unterminated_quote: false,
            stray_quote: false,
        }
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The raw bytes of field `i`, if the record has that many fields.
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 {
            0
        } else {
            *self.ends.get(i - 1)? + self.gap
        };
        self.data.get(start..end)
    }

    /// True when every field is empty or white space: an empty row.
    pub fn is_blank(&self) -> bool {
        if self.gap == 0 {
            return self.data.iter().all(|b| b.is_ascii_whitespace());
        }
        self.iter()
            .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
    }

    /// All fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// Whether the callback wants more records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// The record splitter. Feed it bytes with [`Splitter::push`], then call [`Splitter::finish`].
#[derive(Debug)]
pub struct Splitter {
    delimiter: u8,
    quote: u8,
    buf: Vec<u8>,
    pos: usize,
    fields: Vec<u8>,
    ends: Vec<usize>,
    next_row: u64,
    stopped: bool,
    stray_quote: bool,
}

enum Step {
    /// A line without quotes at `start..end`, its fields split in place (`ends` relative to
    /// `start`); the next record starts at `next`.
    Line {
        start: usize,
        end: usize,
        next: usize,
    },
    /// A record ended at this position.
    Record {
        next: usize,
        unterminated_quote: bool,
    },
    /// The record is not complete in the buffer.
    NeedMore,
}

impl Splitter {
    pub fn new(delimiter: u8, quote: u8) -> Self {
        Splitter {
            delimiter,
            quote,
            buf: Vec::new(),
            pos: 0,
            fields: Vec::new(),
            ends: Vec::new(),
            next_row: 1,
            stopped: false,
            stray_quote: false,
        }
    }

    /// The row number the next record will get.
    pub fn next_row(&self) -> u64 {
        self.next_row
    }

    /// Splits what can be split of `chunk` (and any earlier unfinished record).
    pub fn push(&mut self, chunk: &[u8], on_record: &mut dyn FnMut(&Record<'_>) -> Flow) {
        if self.stopped {
            return;
        }
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        self.buf.extend_from_slice(chunk);
        self.run(false, on_record);
        // Keep only the unfinished record.
        self.buf.drain(..self.pos);
        self.pos = 0;
    }

    /// Splits the rest: the end of input ends the last record.
    pub fn finish(&mut self, on_record: &mut dyn FnMut(&Record<'_>) -> Flow) {
        if !self.stopped {
            self.run(true, on_record);
        }
        self.buf.clear();
        self.pos = 0;
    }

    fn run(&mut self, last: bool, on_record: &mut dyn FnMut(&Record<'_>) -> Flow) {
        while self.pos < self.buf.len() {
            match self.split_one(last) {
                Step::NeedMore => return,
                Step::Line { start, end, next } => {
                    self.pos = next;
                    let record = Record {
                        data: self.buf.get(start..end).unwrap_or_default(),
                        ends: &self.ends,
                        gap: 1,
                        row: self.next_row,
                        unterminated_quote: false,
                        stray_quote: false,
                    };
                    self.next_row += 1;
                    if on_record(&record) == Flow::Stop {
                        self.stopped = true;
                        return;
                    }
                }
                Step::Record {
                    next,
                    unterminated_quote,
                } => {
                    self.pos = next;
                    let record = Record {
                        data: &self.fields,
                        ends: &self.ends,
                        gap: 0,
                        row: self.next_row,
                        unterminated_quote,
                        stray_quote: self.stray_quote,
                    };
                    self.next_row += 1;
                    if on_record(&record) == Flow::Stop {
                        self.stopped = true;
                        return;
                    }
                }
            }
        }
    }

    /// Splits one record starting at `self.pos`: in place when its line has no quote (the
    /// common case, no copying), else into `fields`/`ends`.
    fn split_one(&mut self, last: bool) -> Step {
        if let Some(step) = self.split_plain_line(last) {
            return step;
        }
        self.split_quoted(last)
    }

    /// The fast path: a line without quote characters. `None` when the line has a quote.
    fn split_plain_line(&mut self, last: bool) -> Option<Step> {
        let start = self.pos;
        let rest = self.buf.get(start..)?;
        let (end, next) = match memchr2(b'\n', b'\r', rest) {
            Some(k) => {
                let end = start + k;
                let next = match (rest.get(k), rest.get(k + 1)) {
                    (Some(b'\r'), Some(b'\n')) => end + 2,
                    (Some(b'\r'), None) if !last => return Some(Step::NeedMore),
                    _ => end + 1,
                };
                (end, next)
            }
            None if last => (self.buf.len(), self.buf.len()),
            None => return Some(Step::NeedMore),
        };
        let line = self.buf.get(start..end)?;
        if memchr(self.quote, line).is_some() {
            return None;
        }
        self.ends.clear();
        self.ends.extend(memchr_iter(self.delimiter, line));
        self.ends.push(line.len());
        Some(Step::Line { start, end, next })
    }

    /// The general path: quoted fields, copied with `""` unescaped into `fields`/`ends`.
    fn split_quoted(&mut self, last: bool) -> Step {
        let buf = &self.buf[..];
        let len = buf.len();
        let (delim, quote) = (self.delimiter, self.quote);
        self.fields.clear();
        self.ends.clear();
        let mut i = self.pos;
        let mut unterminated_quote = false;
        self.stray_quote = false;
        loop {
            // One field.
            if i < len && buf[i] == quote {
                i += 1;
                loop {
                    match memchr(quote, &buf[i..]) {
                        None if last => {
                            self.fields.extend_from_slice(&buf[i..]);
                            i = len;
                            unterminated_quote = true;
                            break;
                        }
                        None => return Step::NeedMore,
                        Some(k) => {
                            self.fields.extend_from_slice(&buf[i..i + k]);
                            i += k + 1;
                            if i < len && buf[i] == quote {
                                self.fields.push(quote);
                                i += 1;
                            } else if i >= len && !last {
                                return Step::NeedMore;
                            } else {
                                if buf
                                    .get(i)
                                    .is_some_and(|&b| b != delim && b != b'\n' && b != b'\r')
                                {
                                    self.stray_quote = true;
                                }
                                break;
                            }
                        }
                    }
                }
            }
            // Unquoted field, or text after a closing quote (kept as Excel does).
            match memchr3(delim, b'\n', b'\r', &buf[i..]) {
                None if last => {
                    self.fields.extend_from_slice(&buf[i..]);
                    i = len;
                }
                None => return Step::NeedMore,
                Some(k) => {
                    self.fields.extend_from_slice(&buf[i..i + k]);
                    i += k;
                }
            }
            self.ends.push(self.fields.len());
            let Some(&b) = buf.get(i) else {
                return Step::Record {
                    next: len,
                    unterminated_quote,
                };
            };
            i += 1;
            if b == delim {
                if i >= len && !last {
                    return Step::NeedMore;
                }
                if i >= len {
                    // A delimiter at the very end: one more, empty field.
                    self.ends.push(self.fields.len());
                    return Step::Record {
                        next: len,
                        unterminated_quote,
                    };
                }
                continue;
            }
            if b == b'\r' {
                if i < len && buf[i] == b'\n' {
                    i += 1;
                } else if i >= len && !last {
                    return Step::NeedMore;
                }
            }
            return Step::Record {
                next: i,
                unterminated_quote,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &[u8], chunk: usize) -> Vec<(u64, Vec<String>)> {
        let mut s = Splitter::new(b';', b'"');
        let mut out = Vec::new();
        let mut on = |r: &Record<'_>| {
            out.push((
                r.row,
                r.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            ));
            Flow::Continue
        };
        for c in input.chunks(chunk.max(1)) {
            s.push(c, &mut on);
        }
        s.finish(&mut on);
        out
    }

    #[test]
    fn same_records_whatever_the_chunk_size() {
        let input = b"a;b;c\r\n1;\"x;y\";3\r\n\r\n4;\"he said \"\"hi\"\"\";\"two\nlines\"\r5;6;7";
        let expected = vec![
            (1, vec!["a", "b", "c"]),
            (2, vec!["1", "x;y", "3"]),
            (3, vec![""]),
            (4, vec!["4", "he said \"hi\"", "two\nlines"]),
            (5, vec!["5", "6", "7"]),
        ];
        let expected: Vec<(u64, Vec<String>)> = expected
            .into_iter()
            .map(|(r, v)| (r, v.into_iter().map(String::from).collect()))
            .collect();
        for chunk in [1, 2, 3, 5, 7, 1000] {
            assert_eq!(split(input, chunk), expected, "chunk size {chunk}");
        }
    }

    #[test]
    fn trailing_delimiter_and_final_newline() {
        assert_eq!(
            split(b"a;b;\n", 2),
            vec![(1, vec!["a".into(), "b".into(), "".into()])]
        );
        assert_eq!(
            split(b"a;b;", 100),
            vec![(1, vec!["a".into(), "b".into(), "".into()])]
        );
    }

    #[test]
    fn unterminated_quote_is_flagged() {
        let mut s = Splitter::new(b',', b'"');
        let mut flagged = Vec::new();
        s.push(b"a,\"open\nb", &mut |r| {
            flagged.push(r.unterminated_quote);
            Flow::Continue
        });
        s.finish(&mut |r| {
            flagged.push(r.unterminated_quote);
            Flow::Continue
        });
        assert_eq!(flagged, vec![true]);
    }
}
