//! What one cell's text could be: missing, an integer, a number, a date (read by
//! [`crate::dates`], the one date parser), a yes/no value. Each test is cheap and allocates
//! nothing, since the inspect pass runs them on every cell of a file.

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

pub use crate::dates::DateFormat;

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
    fn numbers() {
        assert_eq!(number("-12", Decimal::Point), Some((-12.0, true)));
        assert_eq!(number("1 234", Decimal::Comma), Some((1234.0, true)));
        assert_eq!(number("12,5", Decimal::Comma), Some((12.5, false)));
        assert_eq!(number("12,0", Decimal::Comma), Some((12.0, false)));
        assert_eq!(number("x", Decimal::Comma), None);
        assert!(has_leading_zero("0180") && !has_leading_zero("0"));
    }
}
