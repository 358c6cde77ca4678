//! `--language sv|en`: what `samsyn run` and `samsyn indicators` word their output in (headings,
//! lights, reasons, notes, the read-out, numbers in the report). The user's choice, never the
//! notebook's; Swedish when not given.

use clap::{Args, ValueEnum};
use samsyn_core::number_format::Language;

#[derive(Clone, Copy, ValueEnum)]
enum Choice {
    /// Svenska (the default).
    Sv,
    /// English.
    En,
}

#[derive(Args)]
pub struct LanguageArgs {
    /// The language of the report and of the words in the CSV files: `sv` (Swedish) or `en`
    /// (English).
    #[arg(long, value_enum, default_value = "sv", value_name = "LANG")]
    language: Choice,
}

impl LanguageArgs {
    /// The language chosen.
    pub fn language(&self) -> Language {
        match self.language {
            Choice::Sv => Language::Swedish,
            Choice::En => Language::English,
        }
    }
}
