//! What one cell's text could be: missing, an integer, a number, a date in one of the formats
//! Swedish statistics use, a yes/no value. Each test is cheap and allocates nothing, since the
//! inspect pass runs them on every cell of a file.

use serde::Serialize;

use crate::counts::parse_number;
use crate::ingest::Decimal;

/// Markers that mean "no value": empty, `NA`, SCB's `..` and `.`, Excel's `NULL`.
pub fn is_missing(t: &str) -> bool {
    t.is_empty()
        || matches!(t, ".." | "." | "..." | ":")
        || t.eq_ignore_ascii_case("na")
        || t.eq_ignore_ascii_case("n/a")
        || t.eq_ignore_ascii_case("null")
}

/// Plain digits with a leading zero, like `0180` or `00123`: a code, not a number.
pub fn has_leading_zero(t: &str) -> bool {
    t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit())
}

/// The value of a number, or `None`. Plain integers take a fast path; everything else goes to
/// [`parse_number`] (decimal comma, thousands separators).
pub fn number(t: &str, decimal: Decimal) -> Option<(f64, bool)> {
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let v = digits
            .bytes()
            .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        let v = if t.starts_with('-') { -v } else { v };
        return Some((v as f64, true));
    }
    // Most text cells fail on the first character; spare them parse_number's buffer.
    let starts_like_number = t
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | ',' | '−'));
    if !starts_like_number {
        return None;
    }
    let v = parse_number(t, decimal)?;
    let has_separator = t.contains(decimal.as_char()) || t.contains(['e', 'E']);
    Some((v, !has_separator && v.fract() == 0.0))
}

/// `Ja`/`Nej`, `1`/`0` and their English and spreadsheet forms.
pub fn is_boolean(t: &str) -> bool {
    const WORDS: [&str; 10] = [
        "ja", "nej", "j", "n", "true", "false", "yes", "no", "sant", "falskt",
    ];
    t == "0" || t == "1" || WORDS.iter().any(|w| t.eq_ignore_ascii_case(w))
}

/// Date formats found in Swedish statistics files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DateFormat {
    /// 2024-03-01 (ISO 8601; also with a time after it, as Excel dates with a time are shown).
    #[serde(rename = "YYYY-MM-DD")]
    IsoDate,
    /// 20240301 (a date written as one number).
    #[serde(rename = "YYYYMMDD")]
    Compact,
    /// 2024M03 (SCB's month notation).
    #[serde(rename = "YYYYMmm")]
    ScbMonth,
    /// 2024-03 (a month).
    #[serde(rename = "YYYY-MM")]
    IsoMonth,
}

impl DateFormat {
    pub const ALL: [DateFormat; 4] = [
        DateFormat::IsoDate,
        DateFormat::Compact,
        DateFormat::ScbMonth,
        DateFormat::IsoMonth,
    ];

    /// An example for messages.
    pub fn example(self) -> &'static str {
        match self {
            DateFormat::IsoDate => "2024-03-01",
            DateFormat::Compact => "20240301",
            DateFormat::ScbMonth => "2024M03",
            DateFormat::IsoMonth => "2024-03",
        }
    }

    /// The date as `yyyymmdd` (day 0 for a month), if `t` is one in this format.
    pub fn parse(self, t: &str) -> Option<u32> {
        let b = t.as_bytes();
        let (y, m, d) = match self {
            DateFormat::IsoDate => {
                let ok = (b.len() == 10 || (b.len() == 19 && b.get(10) == Some(&b' ')))
                    && b.get(4) == Some(&b'-')
                    && b.get(7) == Some(&b'-');
                if !ok {
                    return None;
                }
                (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?)
            }
            DateFormat::Compact if b.len() == 8 => {
                (digits(b, 0, 4)?, digits(b, 4, 2)?, digits(b, 6, 2)?)
            }
            DateFormat::ScbMonth if b.len() == 7 && b.get(4) == Some(&b'M') => {
                (digits(b, 0, 4)?, digits(b, 5, 2)?, 0)
            }
            DateFormat::IsoMonth if b.len() == 7 && b.get(4) == Some(&b'-') => {
                (digits(b, 0, 4)?, digits(b, 5, 2)?, 0)
            }
            _ => return None,
        };
        let month_ok = (1..=12).contains(&m);
        let day_ok = match self {
            DateFormat::ScbMonth | DateFormat::IsoMonth => true,
            _ => d >= 1 && d <= days_in_month(y, m),
        };
        ((1800..=2200).contains(&y) && month_ok && day_ok).then_some(y * 10_000 + m * 100 + d)
    }

    /// A `yyyymmdd` key written back in ISO form.
    pub fn show(self, key: u32) -> String {
        let (y, m, d) = (key / 10_000, key / 100 % 100, key % 100);
        match self {
            DateFormat::IsoDate | DateFormat::Compact => format!("{y:04}-{m:02}-{d:02}"),
            DateFormat::ScbMonth | DateFormat::IsoMonth => format!("{y:04}-{m:02}"),
        }
    }
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<u32> {
    b.get(start..start + len)?.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A number as a person writes it: whole numbers without `.0`.
pub fn show_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(DateFormat::IsoDate.parse("2024-03-01"), Some(20240301));
        assert_eq!(DateFormat::IsoDate.parse("2024-02-30"), None);
        assert_eq!(DateFormat::Compact.parse("20240229"), Some(20240229));
        assert_eq!(DateFormat::Compact.parse("20230229"), None);
        assert_eq!(DateFormat::ScbMonth.parse("2024M03"), Some(20240300));
        assert_eq!(DateFormat::IsoMonth.parse("2024-13"), None);
        assert_eq!(DateFormat::IsoMonth.show(20240300), "2024-03");
    }

    #[test]
    fn numbers() {
        assert_eq!(number("-12", Decimal::Point), Some((-12.0, true)));
        assert_eq!(number("1 234", Decimal::Comma), Some((1234.0, true)));
        assert_eq!(number("12,5", Decimal::Comma), Some((12.5, false)));
        assert_eq!(number("12,0", Decimal::Comma), Some((12.0, false)));
        assert_eq!(number("x", Decimal::Comma), None);
        assert!(has_leading_zero("0180") && !has_leading_zero("0"));
    }
}
