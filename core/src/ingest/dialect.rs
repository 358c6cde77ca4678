//! Guessing how a delimited text file is written: delimiter, header row, decimal separator.
//!
//! The guess looks at the first records only (a sample of at most [`SAMPLE_BYTES`]), so it costs
//! nothing on a large file, and every part of it can be overridden by the user.

use serde::Serialize;

use super::csv::{Flow, Splitter};
use super::encoding::TextEncoding;

/// How many bytes from the start of a file the guess reads.
pub const SAMPLE_BYTES: usize = 64 * 1024;
/// How many records of the sample the guess looks at.
const SAMPLE_RECORDS: usize = 200;

/// The decimal separator of numbers in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decimal {
    #[serde(rename = ".")]
    Point,
    #[serde(rename = ",")]
    Comma,
}

impl Decimal {
    pub fn as_char(self) -> char {
        match self {
            Decimal::Point => '.',
            Decimal::Comma => ',',
        }
    }
}

/// How a delimited text file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dialect {
    #[serde(serialize_with = "as_char")]
    pub delimiter: u8,
    #[serde(serialize_with = "as_char")]
    pub quote: u8,
    pub has_header: bool,
    /// Non-blank rows above the header that are not part of the table (a title, a note): rows
    /// with at most one filled field above rows that fill the table's width.
    #[serde(skip)]
    pub title_rows: u32,
    pub decimal: Decimal,
    pub encoding: TextEncoding,
}

fn as_char<S: serde::Serializer>(b: &u8, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(delimiter_name(*b))
}

/// A delimiter from a user's choice: `,` `;` `|`, or `tab` / `\t`.
pub fn parse_delimiter(label: &str) -> Option<u8> {
    match label.trim().to_ascii_lowercase().as_str() {
        "," | "comma" => Some(b','),
        ";" | "semicolon" => Some(b';'),
        "|" | "pipe" => Some(b'|'),
        "tab" | "\\t" | "\t" => Some(b'\t'),
        _ => None,
    }
}

impl Decimal {
    /// The decimal separator from a user's choice: `,` or `.`.
    pub fn from_label(label: &str) -> Option<Decimal> {
        match label.trim() {
            "," | "comma" => Some(Decimal::Comma),
            "." | "point" => Some(Decimal::Point),
            _ => None,
        }
    }
}

/// A delimiter as users name it.
pub fn delimiter_name(b: u8) -> &'static str {
    match b {
        b',' => ",",
        b';' => ";",
        b'\t' => "\t",
        b'|' => "|",
        b'"' => "\"",
        b'\'' => "'",
        _ => "?",
    }
}

/// Parts of a dialect the user has fixed; `None` means "guess".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DialectOverrides {
    pub delimiter: Option<u8>,
    pub has_header: Option<bool>,
    pub decimal: Option<Decimal>,
    pub encoding: Option<TextEncoding>,
    /// The quote character (`"` unless chosen; some systems write `'`).
    pub quote: Option<u8>,
}

const CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];

/// Guesses the dialect of `sample` (UTF-8 or Windows-1252 bytes, BOM removed).
pub fn guess(
    sample: &[u8],
    complete: bool,
    encoding: TextEncoding,
    overrides: DialectOverrides,
) -> Dialect {
    let quote = overrides.quote.unwrap_or(b'"');
    let delimiter = overrides.delimiter.unwrap_or_else(|| {
        let d = guess_delimiter(sample, complete, quote);
        if d == b',' && single_decimal_comma_column(&sample_rows(sample, complete, d, quote)) {
            // No delimiter in the file: any other candidate keeps each line one field.
            b';'
        } else {
            d
        }
    });
    let all_rows = sample_rows(sample, complete, delimiter, quote);
    let title_rows = count_title_rows(&all_rows);
    let rows = all_rows.get(title_rows..).unwrap_or_default();
    let decimal = overrides
        .decimal
        .unwrap_or_else(|| guess_decimal(rows, delimiter));
    let has_header = overrides
        .has_header
        .unwrap_or_else(|| guess_header(rows, decimal));
    Dialect {
        delimiter,
        quote,
        has_header,
        title_rows: u32::try_from(title_rows).unwrap_or(0),
        decimal,
        encoding: overrides.encoding.unwrap_or(encoding),
    }
}

/// A one-column file of numbers with decimal commas (`andel` / `12,5` / `7,25`) split by `,`:
/// a one-field header over rows that are all `digits,digits`.
fn single_decimal_comma_column(rows: &[Vec<String>]) -> bool {
    let digits = |f: &str| {
        let f = f.trim().trim_start_matches('-');
        !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit())
    };
    let Some((first, rest)) = rows.split_first() else {
        return false;
    };
    first.len() == 1
        && !rest.is_empty()
        && rest
            .iter()
            .all(|r| r.len() == 2 && r.iter().all(|f| digits(f)))
}

/// How many leading rows fill at most one field while the table below fills two or more.
fn count_title_rows(rows: &[Vec<String>]) -> usize {
    let filled = |r: &Vec<String>| r.iter().filter(|f| !f.trim().is_empty()).count();
    let title = rows.iter().take_while(|r| filled(r) <= 1).count();
    // Only titles above a real table: the rest must have at least two filled fields.
    let table_below = rows
        .get(title..)
        .is_some_and(|rest| !rest.is_empty() && rest.iter().take(20).all(|r| filled(r) >= 2));
    if title > 0 && title <= 10 && table_below {
        title
    } else {
        0
    }
}

fn sample_rows(sample: &[u8], complete: bool, delimiter: u8, quote: u8) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut splitter = Splitter::new(delimiter, quote);
    let mut on = |r: &super::csv::Record<'_>| {
        if !r.is_blank() {
            rows.push(
                r.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            );
        }
        if rows.len() >= SAMPLE_RECORDS {
            Flow::Stop
        } else {
            Flow::Continue
        }
    };
    splitter.push(sample, &mut on);
    if complete {
        splitter.finish(&mut on);
    }
    rows
}

/// The candidate that splits the sample's rows into the same number (> 1) of fields most often.
fn guess_delimiter(sample: &[u8], complete: bool, quote: u8) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for &d in &CANDIDATES {
        let rows = sample_rows(sample, complete, d, quote);
        let mut counts: Vec<usize> = rows.iter().map(Vec::len).collect();
        counts.sort_unstable();
        // The most common field count and how many rows have it.
        let (mut mode, mut mode_n, mut run_start) = (0, 0, 0);
        for i in 0..=counts.len() {
            if i == counts.len() || counts[i] != counts[run_start] {
                if i - run_start > mode_n {
                    mode = counts[run_start];
                    mode_n = i - run_start;
                }
                run_start = i;
            }
        }
        if mode > 1 && (mode_n > best.1 || (mode_n == best.1 && mode > best.2)) {
            best = (d, mode_n, mode);
        }
    }
    best.0
}

fn guess_decimal(rows: &[Vec<String>], delimiter: u8) -> Decimal {
    if delimiter == b',' {
        return Decimal::Point;
    }
    let (mut comma, mut point) = (0, 0);
    for field in rows.iter().skip(1).flatten() {
        let t = field.trim();
        let digits_around = |sep: char| {
            t.split_once(sep).is_some_and(|(a, b)| {
                let a = a.trim_start_matches('-');
                !a.is_empty()
                    && !b.is_empty()
                    && a.chars()
                        .all(|c| c.is_ascii_digit() || c == ' ' || c == '\u{a0}' || c == '\u{202f}')
                    && b.chars().all(|c| c.is_ascii_digit())
            })
        };
        if digits_around(',') {
            comma += 1;
        } else if digits_around('.') && t.matches('.').count() == 1 {
            point += 1;
        }
    }
    if comma > point {
        Decimal::Comma
    } else {
        Decimal::Point
    }
}

/// A first row is data, not a header, only when it looks like the rows below it: a column that
/// is numeric below is numeric in the first row too, and at least one column is numeric.
fn guess_header(rows: &[Vec<String>], decimal: Decimal) -> bool {
    let Some((first, rest)) = rows.split_first() else {
        return true;
    };
    if rest.is_empty()
        || first
            .iter()
            .any(|h| crate::table::roles::suggest_role(h).is_some())
    {
        return true;
    }
    let mut numeric_columns = 0;
    for (c, value) in first.iter().enumerate() {
        let below: Vec<&String> = rest
            .iter()
            .filter_map(|r| r.get(c))
            .filter(|v| !v.trim().is_empty())
            .collect();
        let below_numeric = !below.is_empty() && below.iter().all(|v| looks_numeric(v, decimal));
        if below_numeric {
            if !looks_numeric(value, decimal) {
                return true;
            }
            numeric_columns += 1;
        }
    }
    numeric_columns == 0
}

fn looks_numeric(v: &str, decimal: Decimal) -> bool {
    let t = v.trim();
    let t = t.strip_prefix('-').unwrap_or(t);
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == decimal.as_char() || c == ' ' || c == '\u{a0}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str) -> Dialect {
        guess(
            s.as_bytes(),
            true,
            TextEncoding::Utf8,
            DialectOverrides::default(),
        )
    }

    #[test]
    fn swedish_excel_semicolon_with_decimal_comma() {
        let d = g("kommun;andel\n2480;12,5\n2481;7,25\n");
        assert_eq!(
            (d.delimiter, d.decimal, d.has_header),
            (b';', Decimal::Comma, true)
        );
    }

    #[test]
    fn comma_tab_pipe() {
        assert_eq!(g("a,b,c\n1,2,3\n").delimiter, b',');
        assert_eq!(g("a\tb\tc\n1\t2,5\t3\n").delimiter, b'\t');
        assert_eq!(g("a|b\n1|2\n").delimiter, b'|');
    }

    #[test]
    fn quoted_delimiters_do_not_mislead() {
        let d = g("namn,kommun\n\"Umeå; centrum\",2480\n\"Skellefteå; norr\",2482\n");
        assert_eq!(d.delimiter, b',');
    }

    #[test]
    fn one_column_of_decimal_commas_is_not_comma_separated() {
        let d = g("andel\n12,5\n7,25\n");
        assert_eq!((d.delimiter, d.decimal), (b';', Decimal::Comma));
        assert_eq!(g("a,b\n1,2\n").delimiter, b',');
    }

    #[test]
    fn title_rows_above_the_table() {
        let d = g("Befolkning i Västerbotten 2023\nKälla: SCB\n\nkommun;antal\n2480;5\n2481;7\n");
        assert_eq!((d.delimiter, d.title_rows, d.has_header), (b';', 2, true));
        assert_eq!(g("kommun\n2480\n").title_rows, 0);
    }

    #[test]
    fn every_part_can_be_overridden() {
        let o = DialectOverrides {
            delimiter: Some(b','),
            has_header: Some(false),
            decimal: Some(Decimal::Comma),
            encoding: Some(TextEncoding::Windows1252),
            quote: Some(b'\''),
        };
        let d = guess(b"kommun;andel\n2480;12.5\n", true, TextEncoding::Utf8, o);
        assert_eq!(
            (d.delimiter, d.has_header, d.decimal, d.encoding, d.quote),
            (
                b',',
                false,
                Decimal::Comma,
                TextEncoding::Windows1252,
                b'\''
            )
        );
    }

    #[test]
    fn headerless_numeric_file() {
        assert!(!g("2480;120\n2481;30\n").has_header);
        // Year columns as names are still a header when the rows below are text.
        // A known column name makes a header even when the other names are years.
        assert!(g("kommun;2021;2022\n2480;1;2\n").has_header);
    }
}
