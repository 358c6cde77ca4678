//! The UI's two languages: Swedish first, English second.

/// The language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn t(self, sv: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    /// The other language (for the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }

    /// A number as this language writes it: `12 345,5` or `12,345.5`.
    pub fn number(self, value: f64) -> String {
        let negative = value < 0.0;
        let rounded = (value.abs() * 10.0).round() / 10.0;
        let whole = rounded.trunc() as u64;
        let tenth = ((rounded - rounded.trunc()) * 10.0).round() as u64;
        let (group, point) = match self {
            Lang::Sv => ('\u{a0}', ','),
            Lang::En => (',', '.'),
        };
        let digits = whole.to_string();
        let mut out = String::new();
        if negative {
            out.push('−');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if tenth > 0 {
            out.push(point);
            out.push_str(&tenth.to_string());
        }
        out
    }
}
