//! The UI's two languages: Swedish first, English second.

use samsyn_core::number_format::{self, Language};

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

    /// A number as this language writes it, with at most one decimal: `12 345,5` or
    /// `12,345.5` (core's `number_format`, the one formatter of the app, charts and report).
    pub fn number(self, value: f64) -> String {
        number_format::format_trimmed(value, 1, self.number_language())
    }

    /// The language numbers are written in.
    pub fn number_language(self) -> Language {
        match self {
            Lang::Sv => Language::Swedish,
            Lang::En => Language::English,
        }
    }
}
