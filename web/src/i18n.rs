//! The UI's two languages: Swedish first, English second.

use std::cell::Cell;
use std::fmt::Display;

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

thread_local! {
    /// The language errors from `core` are worded in on this thread: the page's, set as it
    /// renders; in the engine's worker, the language of the request it serves.
    static MESSAGES: Cell<Lang> = const { Cell::new(Lang::Sv) };
}

/// Errors from `core` on this thread are worded in `lang` from now on.
pub fn set_message_lang(lang: Lang) {
    MESSAGES.with(|m| m.set(lang));
}

/// The language errors from `core` are worded in on this thread.
pub fn message_lang() -> Lang {
    MESSAGES.with(Cell::get)
}

/// An error `core` words in both languages: `Display` in English, `swedish` in Swedish.
pub trait Worded: Display {
    fn swedish(&self) -> String;

    /// The error in the language of this thread's messages ([`set_message_lang`]).
    fn worded(&self) -> String {
        match message_lang() {
            Lang::Sv => self.swedish(),
            Lang::En => self.to_string(),
        }
    }
}

impl Worded for samsyn_core::Error {
    fn swedish(&self) -> String {
        samsyn_core::Error::swedish(self)
    }
}

impl Worded for samsyn_core::notebook::FormatError {
    fn swedish(&self) -> String {
        samsyn_core::notebook::FormatError::swedish(self)
    }
}

impl Worded for samsyn_core::notebook::NotebookError {
    fn swedish(&self) -> String {
        samsyn_core::notebook::NotebookError::swedish(self)
    }
}

/// A message worded in both languages, kept so: what is on screen follows a switch of language
/// (an error kept as the words of the moment would stay in the language it was made in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Both {
    pub sv: String,
    pub en: String,
}

impl Both {
    pub fn new(sv: impl Into<String>, en: impl Into<String>) -> Both {
        Both {
            sv: sv.into(),
            en: en.into(),
        }
    }

    /// An error `core` words in both languages.
    pub fn of(e: &(impl Worded + ?Sized)) -> Both {
        Both::new(e.swedish(), e.to_string())
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }

    /// `context` (a file's name) and the message: `«x.json»: …`.
    pub fn about(self, context: &str) -> Both {
        Both::new(
            format!("{context}: {}", self.sv),
            format!("{context}: {}", self.en),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_core_error_is_kept_in_both_languages() {
        let e = samsyn_core::Error::Cancelled;
        let both = Both::of(&e);
        assert_eq!(both.get(Lang::En), e.to_string());
        assert_eq!(both.get(Lang::Sv), e.swedish());
        assert_ne!(both.sv, both.en);
        assert_eq!(
            Both::new("fel", "wrong").about("a.json").get(Lang::Sv),
            "a.json: fel"
        );
    }
}
