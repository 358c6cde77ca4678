//! Swedish area codes: län (county), kommun (municipality) and DeSO (small area), checked and,
//! where Excel dropped a leading zero, repaired.
//!
//! Source: SCB, "Kommunkoder och länskoder" (codes in force since 2007; the 21 län and their
//! two-digit codes) and SCB's DeSO description (kommun code, area type A/B/C, four digits).

use std::borrow::Cow;

/// The 21 län codes and names (SCB).
pub const LAN: [(&str, &str); 21] = [
    ("01", "Stockholms län"),
    ("03", "Uppsala län"),
    ("04", "Södermanlands län"),
    ("05", "Östergötlands län"),
    ("06", "Jönköpings län"),
    ("07", "Kronobergs län"),
    ("08", "Kalmar län"),
    ("09", "Gotlands län"),
    ("10", "Blekinge län"),
    ("12", "Skåne län"),
    ("13", "Hallands län"),
    ("14", "Västra Götalands län"),
    ("17", "Värmlands län"),
    ("18", "Örebro län"),
    ("19", "Västmanlands län"),
    ("20", "Dalarnas län"),
    ("21", "Gävleborgs län"),
    ("22", "Västernorrlands län"),
    ("23", "Jämtlands län"),
    ("24", "Västerbottens län"),
    ("25", "Norrbottens län"),
];

/// Västerbotten's 15 kommuner (SCB codes), the county the sample data is modelled on.
pub const VASTERBOTTEN_KOMMUNER: [(&str, &str); 15] = [
    ("2401", "Nordmaling"),
    ("2403", "Bjurholm"),
    ("2404", "Vindeln"),
    ("2409", "Robertsfors"),
    ("2417", "Norsjö"),
    ("2418", "Malå"),
    ("2421", "Storuman"),
    ("2422", "Sorsele"),
    ("2425", "Dorotea"),
    ("2460", "Vännäs"),
    ("2462", "Vilhelmina"),
    ("2463", "Åsele"),
    ("2480", "Umeå"),
    ("2481", "Lycksele"),
    ("2482", "Skellefteå"),
];

/// The name of a län code, if it is one.
pub fn lan_name(code: &str) -> Option<&'static str> {
    LAN.iter().find(|(c, _)| *c == code).map(|&(_, n)| n)
}

/// The name of a kommun code, where Samsyn knows it.
pub fn kommun_name(code: &str) -> Option<&'static str> {
    VASTERBOTTEN_KOMMUNER
        .iter()
        .find(|(c, _)| *c == code)
        .map(|&(_, n)| n)
}

/// A checked kommun code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KommunCode<'a> {
    /// Four digits with a real län prefix.
    Valid(&'a str),
    /// Three digits: Excel read `0180` as the number 180. The code with its zero put back.
    Repaired(String),
}

impl KommunCode<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            KommunCode::Valid(s) => s,
            KommunCode::Repaired(s) => s,
        }
    }
}

/// Checks a kommun code: four digits whose first two are a län code. Three digits whose
/// zero-padded form is valid are repaired. The error says what is wrong, in words for the user.
pub fn check_kommun(value: &str) -> Result<KommunCode<'_>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("the kommun code is missing".into());
    }
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "'{v}' is not a kommun code (four digits, e.g. 2480)"
        ));
    }
    let code: Cow<'_, str> = match v.len() {
        4 => Cow::Borrowed(v),
        3 => Cow::Owned(format!("0{v}")),
        _ => {
            return Err(format!(
                "'{v}' is not a kommun code (four digits, e.g. 2480)"
            ))
        }
    };
    if lan_name(&code[..2]).is_none() {
        return Err(format!(
            "'{v}' is not a kommun code: no län has the code {}",
            &code[..2]
        ));
    }
    Ok(match code {
        Cow::Borrowed(c) => KommunCode::Valid(c),
        Cow::Owned(c) => KommunCode::Repaired(c),
    })
}

/// Checks a DeSO code: a kommun code, an area type `A`, `B` or `C`, and four digits
/// (e.g. `2480C1010`). Returns the kommun code it lies in.
pub fn check_deso(value: &str) -> Result<&str, String> {
    let v = value.trim();
    let bytes = v.as_bytes();
    let well_formed = bytes.len() == 9
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && matches!(bytes[4], b'A' | b'B' | b'C')
        && bytes[5..].iter().all(u8::is_ascii_digit);
    if !well_formed {
        return Err(format!(
            "'{v}' is not a DeSO code (kommun code, A/B/C, four digits, e.g. 2480C1010)"
        ));
    }
    match check_kommun(&v[..4]) {
        Ok(_) => Ok(&v[..4]),
        Err(_) => Err(format!(
            "'{v}' is not a DeSO code: {} is not a kommun code",
            &v[..4]
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kommun_codes() {
        assert_eq!(check_kommun("2480"), Ok(KommunCode::Valid("2480")));
        assert_eq!(check_kommun(" 0180 "), Ok(KommunCode::Valid("0180")));
        assert_eq!(check_kommun("180"), Ok(KommunCode::Repaired("0180".into())));
        assert_eq!(
            check_kommun("9980"),
            Err("'9980' is not a kommun code: no län has the code 99".into())
        );
        assert_eq!(
            check_kommun("Umeå"),
            Err("'Umeå' is not a kommun code (four digits, e.g. 2480)".into())
        );
        assert_eq!(check_kommun(""), Err("the kommun code is missing".into()));
    }

    #[test]
    fn deso_codes() {
        assert_eq!(check_deso("2480C1010"), Ok("2480"));
        assert!(check_deso("2480X1010").is_err());
        assert!(check_deso("9980C1010")
            .unwrap_err()
            .contains("9980 is not a kommun code"));
    }
}
