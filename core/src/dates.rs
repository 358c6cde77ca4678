//! The one date parser: every plan (inspect, indicators) reads dates and years here, so that a
//! value the file view accepts is a value every notebook run accepts, and the same bad value
//! gets the same message in both (issue 10).
//!
//! Formats are those of Swedish statistics files: ISO 8601 (`2024-03-01`, also with a time as
//! Excel writes it), a date as one number (`20240301`), SCB's month notation (`2024M03`) and an
//! ISO month (`2024-03`). Days are checked against the calendar (Gregorian leap years), so
//! `2024-02-30` is not a date. Anything else (`01/03/2024`, `1.3.2024`) is refused rather than
//! guessed: day-first and month-first cannot be told apart.

use serde::Serialize;

use crate::error::Message;

/// Years accepted in a date or a year column.
pub const YEARS: std::ops::RangeInclusive<u16> = 1800..=2200;

/// A date format found in Swedish statistics files.
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

/// A date read from a file; `day` is 0 when only the month is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    /// 1–12.
    pub month: u8,
    /// 1–31, or 0 for a month.
    pub day: u8,
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
        self.date(t)
            .map(|d| u32::from(d.year) * 10_000 + u32::from(d.month) * 100 + u32::from(d.day))
    }

    /// The date, if `t` is one in this format.
    pub fn date(self, t: &str) -> Option<Date> {
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
        let year = u16::try_from(y).ok().filter(|y| YEARS.contains(y))?;
        let month = u8::try_from(m).ok().filter(|m| (1..=12).contains(m))?;
        let day = u8::try_from(d).ok()?;
        let day_ok = match self {
            DateFormat::ScbMonth | DateFormat::IsoMonth => true,
            _ => day >= 1 && day <= days_in_month(year, month),
        };
        day_ok.then_some(Date { year, month, day })
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

/// A date in any of the formats, or `None`. Surrounding blanks are ignored.
///
/// ```
/// use samsyn_core::dates::{parse_date, Date};
/// let march = Date { year: 2024, month: 3, day: 1 };
/// assert_eq!(parse_date("2024-03-01"), Some(march));
/// assert_eq!(parse_date("20240301"), Some(march));
/// assert_eq!(parse_date("2024M03"), Some(Date { day: 0, ..march }));
/// assert_eq!(parse_date("2024-02-30"), None);
/// assert_eq!(parse_date("01/03/2024"), None);
/// ```
pub fn parse_date(t: &str) -> Option<Date> {
    let t = t.trim();
    DateFormat::ALL.iter().find_map(|f| f.date(t))
}

/// A year (four digits, within [`YEARS`]).
pub fn parse_year(t: &str) -> Option<u16> {
    let t = t.trim();
    if t.len() != 4 {
        return None;
    }
    t.parse::<u16>().ok().filter(|y| YEARS.contains(y))
}

/// The message for a value that is not a date, the same in the file view and every plan.
pub fn not_a_date(value: &str) -> String {
    format!(
        "'{}' is not a date (write 2024-03-01, 20240301, 2024-03 or 2024M03)",
        value.trim()
    )
}

/// The message for a value that is not a year.
pub fn not_a_year(value: &str) -> String {
    format!("'{}' is not a year like 2024", value.trim())
}

/// [`not_a_date`] with its Swedish wording.
pub fn not_a_date_worded(value: &str) -> Message {
    Message::both(
        not_a_date(value),
        format!(
            "'{}' är inte ett datum (skriv 2024-03-01, 20240301, 2024-03 eller 2024M03)",
            value.trim()
        ),
    )
}

/// [`not_a_year`] with its Swedish wording.
pub fn not_a_year_worded(value: &str) -> Message {
    Message::both(
        not_a_year(value),
        format!("'{}' är inte ett år som 2024", value.trim()),
    )
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<u32> {
    b.get(start..start + len)?.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Days in a month of the Gregorian calendar (`month` 1–12).
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(DateFormat::IsoDate.parse("2024-03-01"), Some(20240301));
        assert_eq!(
            DateFormat::IsoDate.parse("2024-03-01 13:45:00"),
            Some(20240301)
        );
        assert_eq!(DateFormat::IsoDate.parse("2024-02-30"), None);
        assert_eq!(DateFormat::Compact.parse("20240229"), Some(20240229));
        assert_eq!(DateFormat::Compact.parse("20230229"), None);
        assert_eq!(DateFormat::ScbMonth.parse("2024M03"), Some(20240300));
        assert_eq!(DateFormat::IsoMonth.parse("2024-13"), None);
        assert_eq!(DateFormat::IsoMonth.show(20240300), "2024-03");
    }

    #[test]
    fn issue_10_one_parser_for_every_plan() {
        // Accepted by inspect before, and now by the indicator plans too.
        assert_eq!(
            parse_date("2024M03").map(|d| (d.year, d.month)),
            Some((2024, 3))
        );
        assert_eq!(
            parse_date("20240301").map(|d| (d.year, d.month)),
            Some((2024, 3))
        );
        // The old indicator parser took these; they are not dates.
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("2024/03"), None);
        assert_eq!(parse_date("2024-3-1"), None);
        assert_eq!(parse_year("2024"), Some(2024));
        assert_eq!(parse_year("24"), None);
        assert_eq!(parse_year("1799"), None);
        assert_eq!(
            not_a_date(" 15/03/2024 "),
            "'15/03/2024' is not a date (write 2024-03-01, 20240301, 2024-03 or 2024M03)"
        );
    }
}
