//! A streaming, push-based CSV record splitter (RFC 4180 plus what Excel writes).
//!
//! Bytes arrive in chunks of any size (a browser `File.slice`, a native `read`); complete records
//! are handed to a callback with their row number as Excel shows it. Quoted fields may hold
//! delimiters, doubled quotes and line breaks; lines may end in CRLF, LF or CR. A blank line is a
//! row (Excel shows it as one), so row numbers stay those the user sees.
//!
//! Hostile text stays cheap: the splitter is a resumable state machine, so a record cut by a
//! chunk boundary is continued where it stopped, never rescanned (every byte is looked at a
//! bounded number of times, whatever the record's length). Memory is one record of at most
//! [`MAX_RECORD_BYTES`] and [`MAX_COLUMNS`] fields: a longer or wider record is not buffered but
//! skipped to its end and handed over as [`Refusal`], and a quote never closed is refused at the
//! end of the file. A refused record takes one row number per line it spans (the lines a stray
//! quote swallowed were most likely rows), so the rows after it keep the numbers the user sees.
//! Lines without quotes are split in place, straight from the chunk.
//!
//! Why not `csv-core`: it skips blank lines and counts only `\n`, so its positions would not be
//! the Excel rows users look up, and CR-only files (old Mac Excel) would be one line.

use memchr::{memchr, memchr2_iter, memchr3};

/// The longest record read as a row: 1 MiB. Real rows are a few hundred bytes; a longer one is
/// almost always a quote that swallowed the rest of the file, and buffering it would let one
/// line of a hostile file take all memory.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The most fields a record may have: 16 384, Excel's column limit ("Excel specifications and
/// limits", Microsoft). More is a wrong delimiter or not a table.
pub const MAX_COLUMNS: usize = 16_384;

/// Why a record could not be read; its fields are not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A quote opened in row `quote_row`, field `quote_field` (0-based), is not closed before
    /// the end of the file.
    UnclosedQuote { quote_row: u64, quote_field: usize },
    /// The record is longer than [`MAX_RECORD_BYTES`]; `quote` is where a quoted field that
    /// spans lines opened (row, 0-based field), the likely cause, if there is one.
    TooLong { quote: Option<(u64, usize)> },
    /// The record has more than [`MAX_COLUMNS`] fields.
    TooManyColumns,
}

/// One record: its fields as raw bytes (quotes removed, `""` unescaped) and its row.
#[derive(Debug)]
pub struct Record<'a> {
    data: &'a [u8],
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 0 when the fields were copied end
    /// to end, 1 when they are read in place from a line without quotes (the delimiter).
    gap: usize,
    /// The byte that separates fields in the file (the delimiter; a control character for
    /// formats without one): a record's fields joined by it are the same bytes whether they were
    /// read in place or copied, so [`Record::fields_hash`] hashes a line without copying it.
    joiner: u8,
    /// 1-based row as Excel shows it (the header, if any, is row 1).
    pub row: u64,
    /// Lines of the file the record spans (more than 1 when a quoted field holds line breaks).
    pub lines: u64,
    /// Set when the record could not be read; it then has no fields and takes the row numbers
    /// `row ..= row + lines - 1`.
    pub refused: Option<Refusal>,
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
            joiner: JOINER,
            row,
            lines: 1,
            refused: None,
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

    /// A 64-bit hash of the first `n` fields (XXH3, unseeded: the same on every machine and in
    /// every run), equal for two records with the same fields however they were quoted. A line
    /// read in place is hashed where it lies; a copied record is first joined in `buf`.
    pub fn fields_hash(&self, n: usize, buf: &mut Vec<u8>) -> u64 {
        let n = n.min(self.ends.len());
        let Some(last) = n.checked_sub(1).and_then(|i| self.ends.get(i)) else {
            return twox_hash::XxHash3_64::oneshot(&[]);
        };
        // Where each field ends in the joined bytes, folded (FxHash's step): with the bytes,
        // they tell the fields apart (`"a,b",c` from `a,"b,c"`).
        let mut shape = n as u64;
        let mut joined_end = |end: usize| {
            shape = (shape.rotate_left(5) ^ end as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
        };
        let bytes = if self.gap == 1 {
            self.ends.iter().take(n).for_each(|&e| joined_end(e));
            self.data.get(..*last).unwrap_or_default()
        } else {
            buf.clear();
            for i in 0..n {
                if i > 0 {
                    buf.push(self.joiner);
                }
                buf.extend_from_slice(self.get(i).unwrap_or_default());
                joined_end(buf.len());
            }
            &buf[..]
        };
        // The shape's bits spread before they are mixed in (SplitMix64's finaliser).
        let mut z = shape;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        twox_hash::XxHash3_64::oneshot(bytes) ^ z ^ (z >> 31)
    }

    /// All fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// What separates the fields of a record from a format without a delimiter (Excel, PX,
/// Parquet), when they are joined to be hashed.
const JOINER: u8 = 0x1F;

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
    /// The bytes that end a field, a line or an unquoted stretch: the delimiter, the quote,
    /// CR and LF.
    special: [bool; 256],
    /// The record in progress, copied field after field (at most [`MAX_RECORD_BYTES`]).
    fields: Vec<u8>,
    ends: Vec<usize>,
    state: State,
    /// A record has begun and is not finished.
    in_record: bool,
    /// Raw bytes of the record so far, quotes and delimiters included.
    record_bytes: usize,
    /// Line breaks inside quoted fields of the record so far.
    breaks: u64,
    /// The last byte taken into a quoted field was a line break (for the lines of a record cut
    /// by the end of the file).
    after_break: bool,
    /// The last byte taken was a CR, so an LF right after it is the same line break.
    after_cr: bool,
    /// Where the quoted field in progress opened: line breaks before it, field index.
    open_quote: (u64, usize),
    /// The first quoted field of the record that spanned lines: line breaks before it, field.
    spanning_quote: Option<(u64, usize)>,
    too_long: bool,
    too_wide: bool,
    stray_quote: bool,
    /// The previous chunk ended with a CR that ended a record: an LF first in the next chunk
    /// belongs to it.
    skip_lf: bool,
    next_row: u64,
    stopped: bool,
    /// Bytes the searches have looked at, for the test that the work is linear.
    scanned: u64,
}

/// Where the record in progress stands, so that the next chunk goes on from there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first of a doubled `""`.
    QuoteInQuoted,
}

impl Splitter {
    pub fn new(delimiter: u8, quote: u8) -> Self {
        let mut special = [false; 256];
        for b in [delimiter, quote, b'\n', b'\r'] {
            special[usize::from(b)] = true;
        }
        Splitter {
            delimiter,
            quote,
            special,
            fields: Vec::new(),
            ends: Vec::new(),
            state: State::FieldStart,
            in_record: false,
            record_bytes: 0,
            breaks: 0,
            after_break: false,
            after_cr: false,
            open_quote: (0, 0),
            spanning_quote: None,
            too_long: false,
            too_wide: false,
            stray_quote: false,
            skip_lf: false,
            next_row: 1,
            stopped: false,
            scanned: 0,
        }
    }

    /// The row number the next record will get.
    pub fn next_row(&self) -> u64 {
        self.next_row
    }

    /// Whether a record is in progress (the text fed so far does not end at a line start).
    pub fn in_record(&self) -> bool {
        self.in_record
    }

    /// Bytes held for the record in progress (allocated, not only used): stays below
    /// [`MAX_RECORD_BYTES`] plus [`MAX_COLUMNS`] field ends whatever is fed.
    pub fn buffered_capacity(&self) -> usize {
        self.fields.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }

    /// Bytes looked at so far: a bounded multiple of the bytes fed (the work is linear).
    pub fn bytes_scanned(&self) -> u64 {
        self.scanned
    }

    /// Counts the bytes a search looked at: up to its hit, or all of `hay`.
    fn looked(&mut self, hay: &[u8], hit: Option<usize>) {
        let n = hit.map_or(hay.len(), |k| k + 1);
        self.scanned = self
            .scanned
            .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
    }

    /// Splits what can be split of `chunk` (and any earlier unfinished record).
    pub fn push(&mut self, chunk: &[u8], on_record: &mut dyn FnMut(&Record<'_>) -> Flow) {
        if self.stopped || chunk.is_empty() {
            return;
        }
        let mut i = 0;
        if std::mem::take(&mut self.skip_lf) && chunk.first() == Some(&b'\n') {
            i = 1;
        }
        while i < chunk.len() && !self.stopped {
            if !self.in_record {
                if let Some(next) = self.plain_line(chunk, i, on_record) {
                    i = next;
                    continue;
                }
            }
            match self.scan(chunk, i) {
                Some(next) => {
                    i = next;
                    self.emit(false, on_record);
                }
                None => return,
            }
        }
    }

    /// Splits the rest: the end of input ends the last record.
    pub fn finish(&mut self, on_record: &mut dyn FnMut(&Record<'_>) -> Flow) {
        if !self.stopped && self.in_record {
            if matches!(
                self.state,
                State::FieldStart | State::Unquoted | State::QuoteInQuoted
            ) {
                self.end_field();
            }
            self.emit(true, on_record);
        }
        self.reset_record();
    }

    /// The fast path: a whole line without quote characters in `chunk` at `start`, split in
    /// place. `None` when the line has a quote or is not complete in the chunk.
    fn plain_line(
        &mut self,
        chunk: &[u8],
        start: usize,
        on_record: &mut dyn FnMut(&Record<'_>) -> Flow,
    ) -> Option<usize> {
        let rest = chunk.get(start..)?;
        // One look at each byte: the delimiters' places up to the line's end. Fields are short
        // (a few bytes), where a search per field costs more than the bytes it passes.
        self.ends.clear();
        let (delimiter, quote) = (self.delimiter, self.quote);
        let mut end = None;
        for (k, &b) in rest.iter().enumerate() {
            if !self.special[usize::from(b)] {
                continue;
            }
            if b == delimiter {
                if self.ends.len() < MAX_COLUMNS {
                    self.ends.push(k);
                }
            } else if b == quote {
                self.looked(rest, Some(k));
                self.ends.clear();
                return None;
            } else {
                end = Some(k);
                break;
            }
        }
        self.looked(rest, end);
        let Some(k) = end else {
            self.ends.clear();
            return None;
        };
        let line = rest.get(..k)?;
        let next = match (rest.get(k), rest.get(k + 1)) {
            (Some(b'\r'), Some(b'\n')) => start + k + 2,
            (Some(b'\r'), None) => {
                self.skip_lf = true;
                start + k + 1
            }
            _ => start + k + 1,
        };
        let refused = if line.len() > MAX_RECORD_BYTES {
            Some(Refusal::TooLong { quote: None })
        } else if self.ends.len() >= MAX_COLUMNS {
            Some(Refusal::TooManyColumns)
        } else {
            self.ends.push(line.len());
            None
        };
        if refused.is_some() {
            self.ends.clear();
        }
        let record = Record {
            data: if refused.is_some() { &[] } else { line },
            ends: &self.ends,
            gap: 1,
            joiner: self.delimiter,
            row: self.next_row,
            lines: 1,
            refused,
            stray_quote: false,
        };
        self.next_row += 1;
        if on_record(&record) == Flow::Stop {
            self.stopped = true;
        }
        // The general path copies into the same `ends`.
        self.ends.clear();
        Some(next)
    }

    /// The general path, resumable: goes on with the record in progress over `chunk` from `i`,
    /// copying fields (quotes removed, `""` unescaped). `Some(next)` when the record ended
    /// before `next`; `None` when the chunk ran out first (its state is kept).
    fn scan(&mut self, chunk: &[u8], mut i: usize) -> Option<usize> {
        let (delim, quote) = (self.delimiter, self.quote);
        self.in_record = true;
        loop {
            let rest = chunk.get(i..).unwrap_or_default();
            match self.state {
                State::FieldStart => {
                    let &b = rest.first()?;
                    if b == quote {
                        self.state = State::Quoted;
                        self.open_quote = (self.breaks, self.ends.len());
                        self.count_bytes(1);
                        self.after_break = false;
                        self.after_cr = false;
                        i += 1;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
                State::Unquoted => {
                    let hit = memchr3(delim, b'\n', b'\r', rest);
                    self.looked(rest, hit);
                    let Some(k) = hit else {
                        self.take(rest);
                        return None;
                    };
                    self.take(rest.get(..k).unwrap_or_default());
                    self.end_field();
                    i += k + 1;
                    match rest.get(k) {
                        Some(&b) if b == delim => {
                            self.count_bytes(1);
                            self.state = State::FieldStart;
                        }
                        Some(b'\r') => {
                            match chunk.get(i) {
                                Some(b'\n') => i += 1,
                                Some(_) => {}
                                None => self.skip_lf = true,
                            }
                            return Some(i);
                        }
                        _ => return Some(i),
                    }
                }
                State::Quoted => {
                    let hit = memchr(quote, rest);
                    self.looked(rest, hit);
                    let Some(k) = hit else {
                        self.take_quoted(rest);
                        return None;
                    };
                    self.take_quoted(rest.get(..k).unwrap_or_default());
                    self.count_bytes(1);
                    self.state = State::QuoteInQuoted;
                    i += k + 1;
                }
                State::QuoteInQuoted => {
                    let &b = rest.first()?;
                    if b == quote {
                        self.take(&[quote]);
                        self.after_break = false;
                        self.after_cr = false;
                        self.state = State::Quoted;
                        i += 1;
                        continue;
                    }
                    // The field's closing quote; text after it is kept, as Excel does.
                    if self.breaks > self.open_quote.0 && self.spanning_quote.is_none() {
                        self.spanning_quote = Some(self.open_quote);
                    }
                    if b != delim && b != b'\n' && b != b'\r' {
                        self.stray_quote = true;
                    }
                    self.state = State::Unquoted;
                }
            }
        }
    }

    /// Counts `n` raw bytes of the record; past [`MAX_RECORD_BYTES`] it is no longer kept.
    fn count_bytes(&mut self, n: usize) {
        self.record_bytes = self.record_bytes.saturating_add(n);
        if self.record_bytes > MAX_RECORD_BYTES && !self.too_long {
            self.too_long = true;
            self.fields.clear();
            self.ends.clear();
        }
    }

    /// Adds field bytes to the record, unless it is already too long to keep.
    fn take(&mut self, bytes: &[u8]) {
        self.count_bytes(bytes.len());
        if self.too_long || bytes.is_empty() {
            return;
        }
        let needed = self.fields.len() + bytes.len();
        if needed > self.fields.capacity() {
            // Grow by doubling but never past the limit, so a long record cannot make the
            // buffer twice the limit.
            let target = needed.max(self.fields.capacity() * 2).min(MAX_RECORD_BYTES);
            self.fields.reserve_exact(target - self.fields.len());
        }
        self.fields.extend_from_slice(bytes);
    }

    /// Adds bytes of a quoted field, counting the line breaks in it.
    fn take_quoted(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        for k in memchr2_iter(b'\n', b'\r', bytes) {
            let is_lf = bytes.get(k) == Some(&b'\n');
            let after_cr = if k == 0 {
                self.after_cr
            } else {
                bytes.get(k - 1) == Some(&b'\r')
            };
            // CRLF is one break, counted at its CR.
            if !(is_lf && after_cr) {
                self.breaks += 1;
            }
        }
        self.after_cr = last == b'\r';
        self.after_break = last == b'\n' || last == b'\r';
        self.take(bytes);
    }

    /// Ends the field in progress.
    fn end_field(&mut self) {
        if self.too_long {
            return;
        }
        if self.ends.len() < MAX_COLUMNS {
            self.ends.push(self.fields.len());
        } else {
            self.too_wide = true;
        }
    }

    /// Hands the finished record to the callback and gets ready for the next one.
    fn emit(&mut self, end_of_file: bool, on_record: &mut dyn FnMut(&Record<'_>) -> Flow) {
        let unclosed = end_of_file && self.state == State::Quoted;
        // A record cut by the end of the file right after a line break does not reach the
        // next line.
        let lines = if unclosed && self.after_break {
            self.breaks.max(1)
        } else {
            self.breaks + 1
        };
        let row_of = |(breaks, field): (u64, usize)| (self.next_row + breaks, field);
        let refused = if unclosed {
            let (quote_row, quote_field) = row_of(self.open_quote);
            Some(Refusal::UnclosedQuote {
                quote_row,
                quote_field,
            })
        } else if self.too_long {
            Some(Refusal::TooLong {
                quote: self.spanning_quote.map(row_of),
            })
        } else if self.too_wide {
            Some(Refusal::TooManyColumns)
        } else {
            None
        };
        let record = Record {
            data: if refused.is_some() { &[] } else { &self.fields },
            ends: if refused.is_some() { &[] } else { &self.ends },
            gap: 0,
            joiner: self.delimiter,
            row: self.next_row,
            lines,
            refused,
            stray_quote: self.stray_quote && refused.is_none(),
        };
        self.next_row += if refused.is_some() { lines } else { 1 };
        if on_record(&record) == Flow::Stop {
            self.stopped = true;
        }
        self.reset_record();
    }

    fn reset_record(&mut self) {
        self.fields.clear();
        self.ends.clear();
        self.state = State::FieldStart;
        self.in_record = false;
        self.record_bytes = 0;
        self.breaks = 0;
        self.after_break = false;
        self.after_cr = false;
        self.spanning_quote = None;
        self.too_long = false;
        self.too_wide = false;
        self.stray_quote = false;
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

    /// Each record's [`Record::fields_hash`] over all its fields, in order.
    fn hashes(input: &[u8]) -> Vec<u64> {
        let mut s = Splitter::new(b';', b'"');
        let (mut out, mut buf) = (Vec::new(), Vec::new());
        let mut on = |r: &Record<'_>| {
            out.push(r.fields_hash(r.len(), &mut buf));
            Flow::Continue
        };
        s.push(input, &mut on);
        s.finish(&mut on);
        out
    }

    #[test]
    fn a_record_hashes_alike_read_in_place_or_copied_and_apart_when_its_fields_differ() {
        // Rows 1-3 have the same fields (in place; every field quoted, so copied; two fields
        // quoted); rows 4-5 join to the same bytes with different fields; row 6 has one field
        // fewer than row 1.
        let h = hashes(b"1;ab;c\n\"1\";\"ab\";c\n1;\"ab\";\"c\"\n\"a;b\";c\na;\"b;c\"\n1;ab\n");
        assert_eq!(h.len(), 6);
        assert_eq!((h[0], h[0]), (h[1], h[2]));
        assert_ne!(h[3], h[4]);
        assert_ne!(h[0], h[5]);
        // A record from a format without a delimiter (fields laid end to end) hashes as the
        // same fields joined by its own separator, so never like `1ab` or `1;ab` in one field.
        let mut buf = Vec::new();
        let ends = [1, 3];
        let joined = Record::new(b"1ab", &ends, 1).fields_hash(2, &mut buf);
        let one = Record::new(b"1ab", &[3], 1).fields_hash(1, &mut buf);
        assert_ne!(joined, one);
        assert_eq!(
            joined,
            Record::new(b"1ab", &ends, 9).fields_hash(2, &mut buf)
        );
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

    /// One record as (row, lines, refusal, number of fields).
    type Seen = (u64, u64, Option<Refusal>, usize);

    /// Every record fed in chunks of `chunk` bytes, and the most bytes buffered meanwhile.
    fn records(input: &[u8], chunk: usize) -> (Vec<Seen>, usize) {
        let mut s = Splitter::new(b',', b'"');
        let mut out = Vec::new();
        let mut most = 0;
        let mut on = |r: &Record<'_>| {
            out.push((r.row, r.lines, r.refused, r.len()));
            Flow::Continue
        };
        for c in input.chunks(chunk.max(1)) {
            s.push(c, &mut on);
            most = most.max(s.buffered_capacity());
        }
        s.finish(&mut on);
        (out, most)
    }

    #[test]
    fn unclosed_quote_takes_the_rest_of_the_file() {
        let input = b"a,b\n1,2\n3,\"open\n4,5\r\n6,7\n";
        for chunk in [1, 2, 5, 100] {
            assert_eq!(
                records(input, chunk).0,
                vec![
                    (1, 1, None, 2),
                    (2, 1, None, 2),
                    (
                        3,
                        3,
                        Some(Refusal::UnclosedQuote {
                            quote_row: 3,
                            quote_field: 1
                        }),
                        0
                    ),
                ],
                "chunk size {chunk}"
            );
        }
        // Without the final line break the last line still counts.
        assert_eq!(records(b"\"x\ny", 1).0[0].1, 2);
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_to_its_end_and_numbering_goes_on() {
        let mut input = b"a,b\n\"".to_vec();
        input.extend(std::iter::repeat_n(b"x\n", MAX_RECORD_BYTES / 2 + 10).flatten());
        input.extend_from_slice(b"\",1\nc,d\n");
        let lines = (MAX_RECORD_BYTES / 2 + 10) as u64 + 1;
        for chunk in [4096, usize::MAX] {
            let (got, most) = records(&input, chunk);
            assert_eq!(
                got,
                vec![
                    (1, 1, None, 2),
                    (
                        2,
                        lines,
                        Some(Refusal::TooLong {
                            quote: Some((2, 0))
                        }),
                        0
                    ),
                    (2 + lines, 1, None, 2),
                ],
                "chunk size {chunk}"
            );
            assert!(most <= MAX_RECORD_BYTES + 1024, "{most} bytes buffered");
        }
    }

    #[test]
    fn fifty_megabytes_in_one_field_keep_memory_bounded() {
        // One unquoted field and one unclosed quote, each 50 MB, fed 4 KiB at a time.
        const SIZE: usize = 50_000_000;
        for open in [&b""[..], b"\""] {
            let mut s = Splitter::new(b',', b'"');
            let mut got = Vec::new();
            let mut on = |r: &Record<'_>| {
                got.push((r.row, r.refused));
                Flow::Continue
            };
            s.push(b"h\n", &mut on);
            s.push(open, &mut on);
            let block = [b'x'; 4096];
            let mut most = 0;
            for _ in 0..SIZE / block.len() {
                s.push(&block, &mut on);
                most = most.max(s.buffered_capacity());
            }
            s.push(b"\nlast\n", &mut on);
            s.finish(&mut on);
            assert!(most <= MAX_RECORD_BYTES + 1024, "{most} bytes buffered");
            let expected = if open.is_empty() {
                vec![
                    (1, None),
                    (2, Some(Refusal::TooLong { quote: None })),
                    (3, None),
                ]
            } else {
                vec![
                    (1, None),
                    (
                        2,
                        Some(Refusal::UnclosedQuote {
                            quote_row: 2,
                            quote_field: 0,
                        }),
                    ),
                ]
            };
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn more_than_excel_columns_is_refused() {
        let wide = vec![b','; MAX_COLUMNS];
        let fits = vec![b','; MAX_COLUMNS - 1];
        let mut input = fits.clone();
        input.push(b'\n');
        input.extend_from_slice(&wide);
        input.push(b'\n');
        input.push(b'"');
        input.push(b'"');
        input.extend_from_slice(&wide);
        for chunk in [1000, usize::MAX] {
            assert_eq!(
                records(&input, chunk).0,
                vec![
                    (1, 1, None, MAX_COLUMNS),
                    (2, 1, Some(Refusal::TooManyColumns), 0),
                    (3, 1, Some(Refusal::TooManyColumns), 0),
                ]
            );
        }
    }

    #[test]
    fn the_work_is_linear_whatever_the_chunking() {
        // Not timed: counts the bytes the searches look at. A splitter that rescanned the
        // unfinished record on every chunk would look at ~n²/2c bytes (here ~5·10⁹).
        for open in [&b""[..], b"\"", b"\"a,b\"\"c\n"] {
            let mut s = Splitter::new(b',', b'"');
            let mut rows = 0;
            let mut on = |_: &Record<'_>| {
                rows += 1;
                Flow::Continue
            };
            s.push(b"h\n", &mut on);
            s.push(open, &mut on);
            let chunk = [b'x'; 1000];
            for _ in 0..10_000 {
                s.push(&chunk, &mut on);
            }
            s.push(b"\"\n1\n", &mut on);
            s.finish(&mut on);
            let fed = 10_000_000 + open.len() as u64 + 7;
            assert!(
                s.bytes_scanned() <= 3 * fed,
                "{} bytes scanned for {fed} fed",
                s.bytes_scanned()
            );
            assert_eq!(rows, 3, "{open:?}");
        }
    }
}
