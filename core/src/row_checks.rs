//! The checks a row's values must pass before a plan uses it, with one message per kind of
//! problem, the same in the file view (inspect) and every notebook run (issue 10).
//!
//! Each check returns the value read or a [`Breach`]: the located problem's message (which may
//! quote the value, since it stays on the user's machine) and a value-free [`Refusal`], the
//! reason rows are counted under in reports ("age outside 0–120", never the age). Where a
//! notebook gives no contract, these are the defaults for the known roles: a kommun code is one
//! of SCB's 290 and equals the first four digits of the row's DeSO code, a year equals the
//! year of the row's date, an age is a whole number 0–120 (the oldest Swede recorded was 112),
//! a sex is K or M (or a word or SCB code for them).

use std::fmt;

use crate::areas::{self, KommunCode};
use crate::counts::parse_number;
use crate::dates::{self, Date};
use crate::error::Message;
use crate::ingest::Decimal;

/// Oldest plausible age in years (the oldest Swede recorded was 112).
pub const MAX_AGE_YEARS: u8 = 120;

/// Why a row was refused, in words that hold no value from the file.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Refusal {
    /// Too many or too few fields for the header.
    Shape,
    Blank,
    /// A quoted field never closed (the reader could not hand the row over).
    UnclosedQuote,
    /// A field is not valid text in the file's encoding.
    NotText,
    /// A key (area, date, sex, age, …) is empty.
    EmptyKey,
    Deso,
    Kommun,
    KommunNotDeso,
    Lan,
    Date,
    Year,
    YearNotDate,
    Sex,
    AgeNotNumber,
    AgeNotWhole,
    AgeRange,
    AgeBand,
    /// A value a condition compares cannot be read as what the condition needs.
    Condition,
    /// A value to sum is not a number of zero or more.
    Sum,
    /// The same bytes as an earlier row.
    Duplicate,
    /// The contract's row id was seen before (or is empty).
    DuplicateId,
    /// A column's value is not among the contract's allowed values.
    NotAllowed(String),
    /// A column's value is not a number, or not a whole one, where the contract wants one.
    NotNumber(String),
    /// A column's value is outside the contract's range.
    OutOfRange(String),
    /// A mapping file's row has an empty or unreadable value.
    Mapping,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Shape => f.write_str("wrong number of fields"),
            Refusal::Blank => f.write_str("blank row"),
            Refusal::UnclosedQuote => f.write_str("quoted field not closed"),
            Refusal::NotText => f.write_str("text not valid in the file's encoding"),
            Refusal::EmptyKey => f.write_str("key value empty"),
            Refusal::Deso => f.write_str("not a DeSO code"),
            Refusal::Kommun => f.write_str("not one of SCB's kommun codes"),
            Refusal::KommunNotDeso => f.write_str("kommun differs from the DeSO code's"),
            Refusal::Lan => f.write_str("not a län code"),
            Refusal::Date => f.write_str("not a date"),
            Refusal::Year => f.write_str("not a year"),
            Refusal::YearNotDate => f.write_str("year differs from the date's"),
            Refusal::Sex => f.write_str("sex not K or M"),
            Refusal::AgeNotNumber => f.write_str("age not a number"),
            Refusal::AgeNotWhole => f.write_str("age not a whole number"),
            Refusal::AgeRange => write!(f, "age outside 0–{MAX_AGE_YEARS}"),
            Refusal::AgeBand => f.write_str("not a 5-year age band"),
            Refusal::Condition => f.write_str("condition value cannot be compared"),
            Refusal::Sum => f.write_str("value to sum not a number of zero or more"),
            Refusal::Duplicate => f.write_str("exact duplicate of an earlier row"),
            Refusal::DuplicateId => f.write_str("row id empty or seen before"),
            Refusal::NotAllowed(c) => write!(f, "'{c}' not an allowed value"),
            Refusal::NotNumber(c) => write!(f, "'{c}' not a number"),
            Refusal::OutOfRange(c) => write!(f, "'{c}' outside its range"),
            Refusal::Mapping => f.write_str("mapping value empty"),
        }
    }
}

impl Refusal {
    /// The reason in Swedish, for the report.
    pub fn swedish(&self) -> String {
        match self {
            Refusal::Shape => "fel antal fält".into(),
            Refusal::Blank => "tom rad".into(),
            Refusal::UnclosedQuote => "citattecken som aldrig stängs".into(),
            Refusal::NotText => "text som inte går att läsa i filens teckenkodning".into(),
            Refusal::EmptyKey => "tomt nyckelvärde".into(),
            Refusal::Deso => "inte en DeSO-kod".into(),
            Refusal::Kommun => "inte en av SCB:s kommunkoder".into(),
            Refusal::KommunNotDeso => "kommunen är inte DeSO-områdets".into(),
            Refusal::Lan => "inte en länskod".into(),
            Refusal::Date => "inte ett datum".into(),
            Refusal::Year => "inte ett år".into(),
            Refusal::YearNotDate => "året är inte datumets".into(),
            Refusal::Sex => "kön inte K eller M".into(),
            Refusal::AgeNotNumber => "ålder inte ett tal".into(),
            Refusal::AgeNotWhole => "ålder inte ett heltal".into(),
            Refusal::AgeRange => format!("ålder utanför 0–{MAX_AGE_YEARS}"),
            Refusal::AgeBand => "inte en femårsklass".into(),
            Refusal::Condition => "värde som ett villkor inte kan jämföra".into(),
            Refusal::Sum => "värde att summera är inte ett tal ≥ 0".into(),
            Refusal::Duplicate => "exakt kopia av en tidigare rad".into(),
            Refusal::DuplicateId => "rad-id tomt eller redan sett".into(),
            Refusal::NotAllowed(c) => format!("'{c}' har ett värde som inte är tillåtet"),
            Refusal::NotNumber(c) => format!("'{c}' är inte ett tal"),
            Refusal::OutOfRange(c) => format!("'{c}' utanför sitt intervall"),
            Refusal::Mapping => "tomt värde i kopplingsfilen".into(),
        }
    }
}

/// A value that breaks a check: the message for the located problem (in English and in
/// Swedish; both empty for [`Breach::already_noted`]) and the reason to count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub refusal: Refusal,
    pub message: String,
    pub message_sv: Option<String>,
}

impl Breach {
    /// A breach whose problem the caller has already noted (a ragged row, an exact duplicate,
    /// a condition's value): it refuses the row under `refusal` and adds no problem of its own.
    /// A breach with words is [`Breach::worded`], in both languages.
    pub fn already_noted(refusal: Refusal) -> Self {
        Breach {
            refusal,
            message: String::new(),
            message_sv: None,
        }
    }

    /// A breach worded in both languages.
    pub fn worded(refusal: Refusal, message: Message) -> Self {
        Breach {
            refusal,
            message: message.en,
            message_sv: message.sv,
        }
    }
}

impl From<Breach> for Message {
    fn from(b: Breach) -> Self {
        Message {
            en: b.message,
            sv: b.message_sv,
        }
    }
}

/// An age in whole years, 0–[`MAX_AGE_YEARS`].
pub fn age(t: &str, decimal: Decimal) -> Result<u8, Breach> {
    let t = t.trim();
    let out_of_range = || {
        Breach::worded(
            Refusal::AgeRange,
            Message::both(
                format!("age '{t}' is outside 0–{MAX_AGE_YEARS}"),
                format!("åldern '{t}' ligger utanför 0–{MAX_AGE_YEARS}"),
            ),
        )
    };
    // Plain digits, as nearly every file writes ages: no float needed.
    if let Ok(a) = t.parse::<u8>() {
        return if a <= MAX_AGE_YEARS {
            Ok(a)
        } else {
            Err(out_of_range())
        };
    }
    let Some(v) = parse_number(t, decimal) else {
        return Err(Breach::worded(
            Refusal::AgeNotNumber,
            Message::both(
                format!("'{t}' is not a number"),
                format!("'{t}' är inte ett tal"),
            ),
        ));
    };
    if !(0.0..=f64::from(MAX_AGE_YEARS)).contains(&v) {
        return Err(out_of_range());
    }
    if v.fract() != 0.0 {
        return Err(Breach::worded(
            Refusal::AgeNotWhole,
            Message::both(
                format!("age '{t}' is not a whole number of years"),
                format!("åldern '{t}' är inte ett helt antal år"),
            ),
        ));
    }
    // A whole number within 0..=120 written otherwise (`87,0`, `+87`): find it.
    (0..=MAX_AGE_YEARS)
        .find(|a| f64::from(*a) == v)
        .ok_or_else(out_of_range)
}

/// K/F/kvinna/woman/2 → 1, M/man/1 → 2 (SCB codes women 2, men 1).
pub fn parse_sex(s: &str) -> Option<u8> {
    // The common one-letter codes without allocating (this runs for every row).
    match s {
        "K" | "k" | "F" | "f" => return Some(1),
        "M" | "m" => return Some(2),
        _ => {}
    }
    match s.to_lowercase().as_str() {
        "kvinna" | "kvinnor" | "woman" | "women" | "female" | "2" => Some(1),
        "man" | "män" | "men" | "male" | "1" => Some(2),
        _ => None,
    }
}

/// A sex code: 1 woman, 2 man.
pub fn sex(t: &str) -> Result<u8, Breach> {
    let t = t.trim();
    parse_sex(t).ok_or_else(|| {
        Breach::worded(
            Refusal::Sex,
            Message::both(
                format!("'{t}' is not a sex; write K (kvinna) or M (man)"),
                format!("'{t}' är inte ett kön; skriv K (kvinna) eller M (man)"),
            ),
        )
    })
}

/// A date in one of the formats of [`crate::dates`].
pub fn date(t: &str) -> Result<Date, Breach> {
    dates::parse_date(t).ok_or_else(|| Breach::worded(Refusal::Date, dates::not_a_date_worded(t)))
}

/// A year.
pub fn year(t: &str) -> Result<u16, Breach> {
    dates::parse_year(t).ok_or_else(|| Breach::worded(Refusal::Year, dates::not_a_year_worded(t)))
}

/// A kommun code (one of SCB's 290; a lost leading zero repaired).
pub fn kommun(t: &str) -> Result<KommunCode<'_>, Breach> {
    areas::check_kommun_worded(t).map_err(|m| Breach::worded(Refusal::Kommun, m))
}

/// A DeSO code; returns the kommun it lies in.
pub fn deso(t: &str) -> Result<&str, Breach> {
    areas::check_deso_worded(t).map_err(|m| Breach::worded(Refusal::Deso, m))
}

/// The row's kommun must be the kommun its DeSO code lies in (the code's first four digits).
pub fn kommun_matches_deso(kommun: &str, deso: &str) -> Result<(), Breach> {
    let of_deso = deso.get(..4).unwrap_or_default();
    if kommun == of_deso {
        return Ok(());
    }
    Err(Breach::worded(
        Refusal::KommunNotDeso,
        Message::both(
            format!("kommun '{kommun}' is not the kommun of DeSO '{deso}' ('{of_deso}')"),
            format!("kommunen '{kommun}' är inte DeSO-områdets '{deso}' kommun ('{of_deso}')"),
        ),
    ))
}

/// The row's year must be the year of its date.
pub fn year_matches_date(year: u16, date: Date, date_text: &str) -> Result<(), Breach> {
    if year == date.year {
        return Ok(());
    }
    let date_text = date_text.trim();
    Err(Breach::worded(
        Refusal::YearNotDate,
        Message::both(
            format!("year '{year}' is not the year of the date '{date_text}'"),
            format!("året '{year}' är inte datumets år '{date_text}'"),
        ),
    ))
}

/// ASCII bytes trimmed as `str::trim` trims them (Unicode's white space in ASCII: tab, LF,
/// VT, FF, CR and space; `<[u8]>::trim_ascii` keeps VT), so that a check on a field's bytes
/// agrees with the same check on its text.
pub fn trim_like_str(b: &[u8]) -> &[u8] {
    let space = |c: &u8| matches!(c, b'\t'..=b'\r' | b' ');
    let start = b.iter().position(|c| !space(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !space(c)).map_or(start, |k| k + 1);
    b.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_trimmed_as_text_is() {
        for t in ["", " ", "\u{b}a b\t\r\n", "\u{b}", " x ", "x\u{c}"] {
            assert_eq!(trim_like_str(t.as_bytes()), t.trim().as_bytes(), "{t:?}");
        }
    }

    #[test]
    fn ages_are_whole_years_from_0_to_120() {
        assert_eq!(age("87", Decimal::Point), Ok(87));
        assert_eq!(age(" 0 ", Decimal::Point), Ok(0));
        assert_eq!(age("120", Decimal::Point), Ok(120));
        let e = age("121", Decimal::Point).unwrap_err();
        assert_eq!(e.message, "age '121' is outside 0–120");
        assert_eq!(e.refusal.to_string(), "age outside 0–120");
        assert_eq!(
            age("-3", Decimal::Point).unwrap_err().message,
            "age '-3' is outside 0–120"
        );
        assert_eq!(
            age("2,5", Decimal::Comma).unwrap_err().message,
            "age '2,5' is not a whole number of years"
        );
        assert_eq!(age("87,0", Decimal::Comma), Ok(87));
        assert_eq!(
            age("200", Decimal::Point).unwrap_err().refusal,
            Refusal::AgeRange
        );
        assert_eq!(
            age("admission", Decimal::Point).unwrap_err().message,
            "'admission' is not a number"
        );
    }

    #[test]
    fn issue_12_breaches_are_worded_in_swedish_beside_the_english() {
        let sv = |b: Breach| b.message_sv.expect("a Swedish wording");
        let e = age("130", Decimal::Point).unwrap_err();
        assert_eq!(e.message, "age '130' is outside 0–120");
        assert_eq!(sv(e), "åldern '130' ligger utanför 0–120");
        assert_eq!(
            sv(age("2,5", Decimal::Comma).unwrap_err()),
            "åldern '2,5' är inte ett helt antal år"
        );
        assert_eq!(
            sv(age("x", Decimal::Point).unwrap_err()),
            "'x' är inte ett tal"
        );
        let d = date("2023-02-30").unwrap_err();
        assert_eq!(
            d.message,
            "'2023-02-30' is not a date (write 2024-03-01, 20240301, 2024-03 or 2024M03)"
        );
        assert_eq!(
            sv(d),
            "'2023-02-30' är inte ett datum (skriv 2024-03-01, 20240301, 2024-03 eller 2024M03)"
        );
        assert_eq!(
            sv(year("20x4").unwrap_err()),
            "'20x4' är inte ett år som 2024"
        );
        assert_eq!(
            sv(sex("X").unwrap_err()),
            "'X' är inte ett kön; skriv K (kvinna) eller M (man)"
        );
        assert_eq!(
            sv(kommun("24XX").unwrap_err()),
            "'24XX' är ingen kommunkod (fyra siffror, t.ex. 2480)"
        );
        assert_eq!(
            sv(kommun("9980").unwrap_err()),
            "'9980' är ingen kommunkod: inget län har koden '99'"
        );
        assert_eq!(
            sv(deso("2480X1010").unwrap_err()),
            "'2480X1010' är ingen DeSO-kod (kommunkod, A/B/C, fyra siffror, t.ex. 2480C1010)"
        );
        assert_eq!(
            sv(kommun_matches_deso("2482", "2480C1010").unwrap_err()),
            "kommunen '2482' är inte DeSO-områdets '2480C1010' kommun ('2480')"
        );
        let march = dates::parse_date("2024-03-01").unwrap();
        assert_eq!(
            sv(year_matches_date(2023, march, " 2024-03-01 ").unwrap_err()),
            "året '2023' är inte datumets år '2024-03-01'"
        );
        // A breach whose problem is already noted has no words of its own.
        let noted = Breach::already_noted(Refusal::Sum);
        assert_eq!((noted.message.as_str(), noted.message_sv), ("", None));
    }

    #[test]
    fn cross_column_defaults() {
        assert!(kommun_matches_deso("2480", "2480C1010").is_ok());
        assert_eq!(
            kommun_matches_deso("2482", "2480C1010")
                .unwrap_err()
                .message,
            "kommun '2482' is not the kommun of DeSO '2480C1010' ('2480')"
        );
        let d = dates::parse_date("2024-03-01").unwrap();
        assert!(year_matches_date(2024, d, "2024-03-01").is_ok());
        assert_eq!(
            year_matches_date(2023, d, "2024-03-01")
                .unwrap_err()
                .message,
            "year '2023' is not the year of the date '2024-03-01'"
        );
        assert_eq!(sex("X").unwrap_err().refusal.to_string(), "sex not K or M");
        assert_eq!(sex("kvinna"), Ok(1));
        assert_eq!(sex("1"), Ok(2));
    }
}
