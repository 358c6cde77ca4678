//! Numbers as people read them: the one formatter of the web app, the SVG charts and the
//! report, in Swedish and English.
//!
//! - Swedish: a no-break space between thousands (`12 345`; it never breaks a number over two
//!   lines), a decimal comma, and the real minus sign U+2212 (`−1 234,5`), as Språkrådet's
//!   *Svenska skrivregler* and SCB's publications write them.
//! - English: a comma between thousands, a decimal point, the same minus sign (`−1,234.5`).
//!
//! A column or a measure has one number of decimals ([`column_decimals`]), so values in a
//! column line up and never change precision from row to row. A value that rounds to zero is
//! never negative (`−0,0` is `0,0`), and a value that is not finite is a dash (`–`).
//!
//! Machine-readable output (CSV) does not go through here: it keeps Rust's shortest round-trip
//! form (`export::csv`).

/// The language a number, and what the notebook shows and reports, is written in: Swedish
/// first, English second. Chosen by the user (the app's language, `samsyn run --language`),
/// never by a notebook.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Language {
    #[default]
    #[serde(rename = "sv")]
    Swedish,
    #[serde(rename = "en")]
    English,
}

impl Language {
    /// The words of this language of a pair: `lang.pick("Län", "County")`.
    pub fn pick<T>(self, swedish: T, english: T) -> T {
        match self {
            Language::Swedish => swedish,
            Language::English => english,
        }
    }

    /// The BCP 47 tag (`lang` of an HTML page).
    pub fn tag(self) -> &'static str {
        self.pick("sv", "en")
    }

    /// The thousands separator and the decimal mark.
    fn marks(self) -> (char, char) {
        match self {
            Language::Swedish => ('\u{a0}', ','),
            Language::English => (',', '.'),
        }
    }
}

/// A unit as it is shown ("per 1 000 invånare"): a space next to a digit becomes a no-break
/// space, so that "per 1 000" never breaks over two lines and the number stays whole.
pub fn unit_text(unit: &str) -> String {
    let chars: Vec<char> = unit.chars().collect();
    let digit = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c == ' ' && (digit(i.checked_sub(1)) || digit(i.checked_add(1))) {
                '\u{a0}'
            } else {
                c
            }
        })
        .collect()
}

/// What a missing or non-finite number is shown as.
pub const DASH: &str = "–";

/// The most decimals ever printed.
const MAX_DECIMALS: usize = 12;

/// `v` (≥ 0) moved up to the next value at `decimals` when it lies exactly half-way, so that
/// 1 234,25 prints as 1 234,3 (as Excel and a reader round), not 1 234,2 (Rust's ties to even);
/// any other value prints as Rust rounds it, correctly from its binary value.
fn half_away_from_zero(v: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let scaled = v * scale;
    if scaled.is_finite() && scaled < 1e15 && (scaled - scaled.trunc()) == 0.5 {
        scaled.ceil() / scale
    } else {
        v
    }
}

/// `v` with exactly `decimals` decimals (at most 12) in `language`.
pub fn format_fixed(v: f64, decimals: usize, language: Language) -> String {
    if !v.is_finite() {
        return DASH.to_owned();
    }
    let decimals = decimals.min(MAX_DECIMALS);
    let s = format!("{:.*}", decimals, half_away_from_zero(v.abs(), decimals));
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let (group, point) = language.marks();
    let mut out = String::with_capacity(s.len() + 8);
    if v < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('−');
    }
    let digits = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// `v` with at most `max_decimals` decimals, trailing zeros dropped (`12`, `12,5`): for
/// counts and sizes that are whole numbers most of the time.
pub fn format_trimmed(v: f64, max_decimals: usize, language: Language) -> String {
    let s = format_fixed(v, max_decimals, language);
    let (_, point) = language.marks();
    match s.split_once(point) {
        Some((int, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.to_owned()
            } else {
                format!("{int}{point}{frac}")
            }
        }
        None => s,
    }
}

/// The decimals a value gets by its size, when it stands alone: 412; 36,7; 2,16 (a whole
/// number gets none).
pub fn decimals_by_size(v: f64) -> usize {
    let a = v.abs();
    if !v.is_finite() || a >= 100.0 || v.fract() == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    }
}

/// A value alone (a tooltip, a sentence), with the decimals of its size.
pub fn format_value(v: f64, language: Language) -> String {
    format_fixed(v, decimals_by_size(v), language)
}

/// The one number of decimals for a column of values: none when every value is whole, else
/// by the size of the middle value (its median: 0 from 100, 1 from 10, else 2), so that the
/// column lines up and a share column that reaches 100 % still shows 82,9. Values that are not
/// finite are left out; an empty column gets none.
pub fn column_decimals(values: impl IntoIterator<Item = f64>) -> usize {
    let mut sizes: Vec<f64> = values
        .into_iter()
        .filter(|v| v.is_finite())
        .map(f64::abs)
        .collect();
    if sizes.iter().all(|v| v.fract() == 0.0) {
        return 0;
    }
    sizes.sort_by(f64::total_cmp);
    let middle = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
    if middle >= 100.0 {
        0
    } else if middle >= 10.0 {
        1
    } else {
        2
    }
}

/// `v` or the dash, with `decimals` decimals.
pub fn format_maybe(v: Option<f64>, decimals: usize, language: Language) -> String {
    v.map(|v| format_fixed(v, decimals, language))
        .unwrap_or_else(|| DASH.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exact_half_rounds_away_from_zero() {
        assert_eq!(format_fixed(1234.25, 1, Language::English), "1,234.3");
        assert_eq!(format_fixed(-0.125, 2, Language::Swedish), "−0,13");
        assert_eq!(format_fixed(2.5, 0, Language::Swedish), "3");
        // 2.675 is 2.67499… in binary, but a reader (and Excel) sees a half: 2.68.
        assert_eq!(format_fixed(2.675, 2, Language::English), "2.68");
        // Just below a half stays below.
        assert_eq!(format_fixed(2.6749, 2, Language::English), "2.67");
    }
    use Language::{English, Swedish};

    #[test]
    fn swedish_and_english() {
        assert_eq!(
            format_fixed(1234567.891, 1, Swedish),
            "1\u{a0}234\u{a0}567,9"
        );
        assert_eq!(format_fixed(1234567.891, 1, English), "1,234,567.9");
        assert_eq!(format_fixed(-1234.0, 0, Swedish), "\u{2212}1\u{a0}234");
        assert_eq!(format_fixed(-1234.5, 2, English), "\u{2212}1,234.50");
        assert_eq!(format_fixed(17194.0, 0, Swedish), "17\u{a0}194");
        assert_eq!(format_fixed(999.0, 0, Swedish), "999");
        // A half rounds away from zero, as in Excel.
        assert_eq!(format_fixed(0.5, 0, English), "1");
    }

    #[test]
    fn zero_is_never_negative_and_nothing_is_a_dash() {
        assert_eq!(format_fixed(-0.001, 1, Swedish), "0,0");
        assert_eq!(format_fixed(-0.0, 0, English), "0");
        assert_eq!(format_fixed(f64::NAN, 1, Swedish), "–");
        assert_eq!(format_fixed(f64::NEG_INFINITY, 1, English), "–");
        assert_eq!(format_maybe(None, 2, Swedish), "–");
        assert_eq!(format_maybe(Some(2.5), 2, Swedish), "2,50");
        // Far more decimals than exist are capped, never a panic.
        assert_eq!(format_fixed(1.0, usize::MAX, English), "1.000000000000");
        assert_eq!(format_fixed(f64::MAX, 0, English).len(), 309 + 102);
    }

    #[test]
    fn trimmed_drops_trailing_zeros() {
        assert_eq!(format_trimmed(12345.0, 1, Swedish), "12\u{a0}345");
        assert_eq!(format_trimmed(12345.54, 1, Swedish), "12\u{a0}345,5");
        assert_eq!(format_trimmed(0.04, 1, English), "0");
        assert_eq!(format_trimmed(-2.25, 2, English), "\u{2212}2.25");
    }

    #[test]
    fn decimals_by_size_and_by_column() {
        assert_eq!(format_value(412.3, Swedish), "412");
        assert_eq!(format_value(36.66, Swedish), "36,7");
        assert_eq!(format_value(2.163, Swedish), "2,16");
        assert_eq!(format_value(12345.6, Swedish), "12\u{a0}346");
        assert_eq!(format_value(3.0, English), "3");
        assert_eq!(
            unit_text("per 1 000 invånare"),
            "per\u{a0}1\u{a0}000\u{a0}invånare"
        );
        assert_eq!(unit_text("procent"), "procent");
        assert_eq!(unit_text("andel i %"), "andel i %");
        // One column, one precision: the middle value decides.
        assert_eq!(column_decimals([2.5, 36.66, 7.0]), 2);
        assert_eq!(column_decimals([36.66, 82.86, 100.0]), 1);
        assert_eq!(column_decimals([2.5, 0.3]), 2);
        assert_eq!(column_decimals([2257.0, 17194.25]), 0);
        assert_eq!(column_decimals([2257.5, 17194.25, 12.5]), 0);
        assert_eq!(column_decimals([12.0, 7.0, f64::NAN]), 0);
        assert_eq!(column_decimals(std::iter::empty()), 0);
    }
}
