//! Age bands: the one reading of a band label, and the 5-year bands every indicator source is
//! read into (ESP2013's 19 bands, `0-4` … `90+`; [`super::esp2013::BANDS`]).
//!
//! A label is compared after [`normalise_band`] (spaces, dash kinds, case); a user's standard or
//! reference may have any bands, so its labels are only normalised and, for "from age N", read
//! for their lowest age ([`band_lower_age`]). A data source's age or band is placed in a 5-year
//! band by [`band_of_age`] and [`band_of_label`]; an indicator's ages are a range of them
//! ([`band_range`]).

use super::esp2013;

/// The number of 5-year bands (19).
pub const BANDS: usize = esp2013::BANDS.len();

/// The last band (`90+`), open at the top.
const TOP: u8 = BANDS as u8 - 1;

/// An age band label in a comparable form: no spaces, dashes unified, lower case
/// (`"65 – 69"` and `"65-69"` are the same band).
pub fn normalise_band(label: &str) -> String {
    label
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '–' | '—' | '‐' | '−' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The lowest age of a band label (`"65-69"` → 65, `"90+"` → 90), if it starts with one.
pub fn band_lower_age(label: &str) -> Option<u32> {
    let digits: String = label
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The 5-year band of an age in whole years (90 and over: `90+`).
pub fn band_of_age(age: u8) -> u8 {
    (age / 5).min(TOP)
}

/// The 5-year band of a label (`65-69`, `65–69`, `90+`, `95+` → 90+).
pub fn band_of_label(label: &str) -> Option<u8> {
    let n = normalise_band(label);
    if let Some(p) = esp2013::BANDS.iter().position(|b| *b == n) {
        return u8::try_from(p).ok();
    }
    // `95+`, `100+`: the open top band.
    let open = n.strip_suffix('+')?;
    let age: u32 = open.parse().ok()?;
    (age >= 90).then_some(TOP)
}

/// The label of a 5-year band (`"?"` for a number that is none).
pub fn band_label(band: u8) -> &'static str {
    esp2013::BANDS
        .get(usize::from(band))
        .copied()
        .unwrap_or("?")
}

/// The lowest age of a 5-year band.
pub fn band_start(band: u8) -> u32 {
    u32::from(band) * 5
}

/// The band range for ages `min`..=`max`; both must be band edges.
pub fn band_range(min: Option<u32>, max: Option<u32>) -> Result<(u8, u8), String> {
    let lo = match min {
        None => 0,
        Some(a) if a % 5 == 0 && a <= 90 => (a / 5) as u8,
        Some(a) => {
            return Err(format!(
                "ages.min {a} is not the start of a 5-year band (0, 5, …, 90)"
            ))
        }
    };
    let hi = match max {
        None => TOP,
        Some(a) if a % 5 == 4 && a < 90 => (a / 5) as u8,
        Some(a) => {
            return Err(format!(
                "ages.max {a} is not the end of a 5-year band (4, 9, …, 89)"
            ))
        }
    };
    if lo > hi {
        return Err("ages.min is above ages.max".to_owned());
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_ages_fall_in_the_same_band() {
        assert_eq!(band_of_label("65 – 69"), Some(13));
        assert_eq!(band_of_age(67), 13);
        assert_eq!(band_of_label("90+"), Some(18));
        assert_eq!(band_of_label("100+"), Some(18));
        assert_eq!(band_of_age(104), 18);
        assert_eq!(band_of_label("85+"), None);
        assert_eq!(band_of_label("65-70"), None);
        assert_eq!((band_label(13), band_start(13)), ("65-69", 65));
        assert_eq!(band_label(19), "?");
        assert_eq!(band_lower_age(" 65-69"), Some(65));
    }

    #[test]
    fn ranges_are_band_edges() {
        assert_eq!(band_range(None, None), Ok((0, 18)));
        assert_eq!(band_range(Some(65), None), Ok((13, 18)));
        assert_eq!(band_range(Some(20), Some(64)), Ok((4, 12)));
        assert_eq!(
            band_range(Some(66), None).unwrap_err(),
            "ages.min 66 is not the start of a 5-year band (0, 5, …, 90)"
        );
        assert_eq!(
            band_range(None, Some(90)).unwrap_err(),
            "ages.max 90 is not the end of a 5-year band (4, 9, …, 89)"
        );
        assert_eq!(
            band_range(Some(70), Some(64)).unwrap_err(),
            "ages.min is above ages.max"
        );
    }
}
