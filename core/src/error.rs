//! Errors and problems, each with the place in the user's file it concerns.
//!
//! Two kinds of trouble: an [`Error`] stops reading a file (it cannot be read at all), a
//! [`Problem`] is collected and reading goes on (a bad value, a ragged row). Both carry a
//! [`Location`] so that the user can find the cell: file name, row as Excel shows it (the header
//! is row 1), and column name.

use std::fmt;

use serde::Serialize;

/// Where in a user's file something is: file name, 1-based row as Excel shows it, column name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    /// 1-based row as the user sees it in Excel (the header row is row 1); `None` for the file.
    pub row: Option<u64>,
    /// Column name from the header (or `column N` when there is no header).
    pub column: Option<String>,
}

impl Location {
    /// The whole file.
    pub fn file(file: &str) -> Self {
        Location {
            file: file.to_owned(),
            row: None,
            column: None,
        }
    }

    /// One row of a file.
    pub fn row(file: &str, row: u64) -> Self {
        Location {
            file: file.to_owned(),
            row: Some(row),
            column: None,
        }
    }

    /// One cell of a file.
    pub fn cell(file: &str, row: u64, column: &str) -> Self {
        Location {
            file: file.to_owned(),
            row: Some(row),
            column: Some(column.to_owned()),
        }
    }
}

impl Location {
    /// The place in Swedish, for the Swedish page: `fil.csv, rad 3, kolumn 'ålder'`.
    pub fn swedish(&self) -> String {
        let mut s = self.file.clone();
        if let Some(row) = self.row {
            s.push_str(&format!(", rad {row}"));
        }
        if let Some(column) = &self.column {
            s.push_str(&format!(", kolumn '{column}'"));
        }
        s
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        Ok(())
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The value was used after a repair (e.g. a lost leading zero put back); worth knowing.
    Warning,
    /// The value or row could not be used; it is counted as skipped.
    Error,
}

/// A problem's words: the English message (what the CLI, the JSON and every test print) and,
/// where core has one, the same message worded in Swedish for the Swedish page. Both quote the
/// same values in `'…'`, so [`without_quoted`] works on either. There is no conversion from a
/// bare string: a problem is worded in both languages with [`Message::both`] (and a
/// [`crate::row_checks::Breach`] with `Breach::worded`), so that the Swedish page does not fall
/// back to English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct Message {
    pub en: String,
    pub sv: Option<String>,
}

impl Message {
    /// A message in both languages.
    pub fn both(en: impl Into<String>, sv: impl Into<String>) -> Self {
        Message {
            en: en.into(),
            sv: Some(sv.into()),
        }
    }

    /// The message in `lang` (the English where it has no Swedish).
    pub fn text(&self, lang: crate::number_format::Language) -> &str {
        match lang {
            crate::number_format::Language::Swedish => self.sv.as_deref().unwrap_or(&self.en),
            crate::number_format::Language::English => &self.en,
        }
    }

    /// Whether it says nothing.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.sv.as_deref().is_none_or(str::is_empty)
    }

    /// The same message with `suffix_en` / `suffix_sv` appended to each wording.
    pub fn and(self, suffix_en: &str, suffix_sv: &str) -> Self {
        Message {
            en: format!("{}{suffix_en}", self.en),
            sv: self.sv.map(|sv| format!("{sv}{suffix_sv}")),
        }
    }
}

/// Something wrong with one value or row; reading went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub location: Location,
    pub severity: Severity,
    /// In English.
    pub message: String,
    /// The message in Swedish, where core words it (row checks and reading); `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_sv: Option<String>,
}

impl Problem {
    /// The problem as a report meant to be shared may show it: its place (file, row, column)
    /// and its message with every quoted value (`'…'`, as messages quote cell contents)
    /// replaced by an ellipsis, so no value from the data travels with the report.
    pub fn without_values(&self) -> String {
        format!("{}: {}", self.location, without_quoted(&self.message))
    }

    /// [`Problem::without_values`] in Swedish (the English words where core has no Swedish).
    pub fn without_values_swedish(&self) -> String {
        let message = self.message_sv.as_deref().unwrap_or(&self.message);
        format!("{}: {}", self.location.swedish(), without_quoted(message))
    }

    /// The problem in Swedish for the Swedish page: the place in Swedish and the Swedish
    /// message, or the English one where core has no Swedish wording for it.
    pub fn swedish(&self) -> String {
        format!(
            "{}: {}",
            self.location.swedish(),
            self.message_sv.as_deref().unwrap_or(&self.message)
        )
    }
}

/// `text` with every `'quoted'` span replaced by `'…'`. A span opens at a `'` after a space,
/// an opening bracket or the start, and closes at the next `'` followed by a space,
/// punctuation or the end (so `'O'Brien'` is one span); an unclosed span runs to the end.
pub fn without_quoted(text: &str) -> String {
    let b = text.as_bytes();
    let opens = |i: usize| {
        i.checked_sub(1)
            .and_then(|p| b.get(p))
            .is_none_or(|c| matches!(c, b' ' | b'(' | b'[' | b'\t' | b':' | b'='))
    };
    let closes = |i: usize| {
        b.get(i + 1)
            .is_none_or(|c| c.is_ascii_whitespace() || b".,;:)!?]".contains(c))
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b.get(i) == Some(&b'\'') && opens(i) {
            out.push_str(text.get(last..i).unwrap_or_default());
            out.push_str("'…'");
            let mut j = i + 1;
            while j < b.len() && !(b.get(j) == Some(&b'\'') && closes(j)) {
                j += 1;
            }
            i = j + 1;
            last = i.min(b.len());
            continue;
        }
        i += 1;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Problems of one read, kept bounded: a file with a million bad rows must not need a million
/// messages in memory. Every problem is counted; the first [`Problems::KEEP`] are kept in full.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Problems {
    pub kept: Vec<Problem>,
    /// All problems, including those not kept.
    pub total: u64,
}

impl Problems {
    /// How many problems are kept with their full text.
    pub const KEEP: usize = 1000;

    pub fn push(&mut self, problem: Problem) {
        self.total += 1;
        if self.kept.len() < Self::KEEP {
            self.kept.push(problem);
        }
    }

    pub fn error(&mut self, location: Location, message: impl Into<Message>) {
        let Message { en, sv } = message.into();
        self.push(Problem {
            location,
            severity: Severity::Error,
            message: en,
            message_sv: sv,
        });
    }

    pub fn warning(&mut self, location: Location, message: impl Into<Message>) {
        let Message { en, sv } = message.into();
        self.push(Problem {
            location,
            severity: Severity::Warning,
            message: en,
            message_sv: sv,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Problems that were counted but not kept.
    pub fn not_kept(&self) -> u64 {
        self.total - self.kept.len() as u64
    }

    /// Adds the problems of a later part of the same file, whose rows were numbered from 1
    /// with `row_offset` rows before it: as if they had been raised after these.
    pub fn append_later(&mut self, later: Problems, row_offset: u64) {
        self.total = self.total.saturating_add(later.total);
        let room = Self::KEEP.saturating_sub(self.kept.len());
        self.kept
            .extend(later.kept.into_iter().take(room).map(|mut p| {
                p.location.row = p.location.row.map(|r| r.saturating_add(row_offset));
                p
            }));
    }
}

impl fmt::Display for Message {
    /// The English wording (what the CLI and the logs print).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl Message {
    /// The Swedish wording, or the English where there is none.
    pub fn swedish(&self) -> &str {
        self.sv.as_deref().unwrap_or(&self.en)
    }
}

/// A file could not be read at all. Its words come in English (`Display`, for the CLI) and
/// in Swedish ([`Error::swedish`], for the Swedish page), as a [`Problem`]'s do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{at}: the file is empty")]
    EmptyFile { at: Location },
    /// `wanted` says which column in both languages (`the column 'x' of indicator 'y'`).
    #[error("{at}: no column for {wanted}; the columns are {found}. Rename the column in the file, or name one of these instead.")]
    MissingColumn {
        at: Location,
        /// Boxed: an error stays small, as it passes through every reader's `Result`.
        wanted: Box<Message>,
        found: String,
    },
    #[error("{at}: {message}")]
    Unreadable { at: Location, message: Message },
    #[error("reading was cancelled")]
    Cancelled,
}

impl Error {
    /// Puts the file name into an error raised by a plan, which sees rows but not the file's
    /// name; readers call this, so every error names its file.
    pub fn in_file(self, file: &str) -> Error {
        let fill = |at: Location| {
            if at.file.is_empty() {
                Location {
                    file: file.to_owned(),
                    ..at
                }
            } else {
                at
            }
        };
        match self {
            Error::EmptyFile { at } => Error::EmptyFile { at: fill(at) },
            Error::MissingColumn { at, wanted, found } => Error::MissingColumn {
                at: fill(at),
                wanted,
                found,
            },
            Error::Unreadable { at, message } => Error::Unreadable {
                at: fill(at),
                message,
            },
            Error::Cancelled => Error::Cancelled,
        }
    }

    /// The error in Swedish, for the Swedish page: the place in Swedish and the Swedish
    /// wording (core words every read error in both languages).
    pub fn swedish(&self) -> String {
        match self {
            Error::EmptyFile { at } => format!("{}: filen är tom", at.swedish()),
            Error::MissingColumn { at, wanted, found } => format!(
                "{}: ingen kolumn för {}; kolumnerna är {found}. Byt namn på kolumnen i filen, \
                 eller ange en av dessa i stället.",
                at.swedish(),
                wanted.swedish()
            ),
            Error::Unreadable { at, message } => {
                format!("{}: {}", at.swedish(), message.swedish())
            }
            Error::Cancelled => "läsningen avbröts".to_owned(),
        }
    }

    /// The place the error concerns, if it concerns a file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::EmptyFile { at }
            | Error::MissingColumn { at, .. }
            | Error::Unreadable { at, .. } => Some(at),
            Error::Cancelled => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_12_a_problem_reads_in_swedish_where_core_words_it() {
        let mut problems = Problems::default();
        problems.error(
            Location::cell("e.csv", 4, "ålder"),
            Message::both(
                "age '130' is outside 0–120",
                "åldern '130' ligger utanför 0–120",
            ),
        );
        // A message without Swedish can still be built by hand (its fields are public).
        let english_only = Message {
            en: "only in English".into(),
            sv: None,
        };
        problems.warning(Location::row("e.csv", 5), english_only);
        let [age, other] = &problems.kept[..] else {
            panic!("two problems")
        };
        assert_eq!(
            age.to_string(),
            "e.csv, row 4, column 'ålder': age '130' is outside 0–120"
        );
        assert_eq!(
            age.swedish(),
            "e.csv, rad 4, kolumn 'ålder': åldern '130' ligger utanför 0–120"
        );
        assert_eq!(
            age.without_values_swedish(),
            "e.csv, rad 4, kolumn 'ålder': åldern '…' ligger utanför 0–120"
        );
        assert_eq!(other.swedish(), "e.csv, rad 5: only in English");
        assert_eq!(other.message_sv, None);
        let m = Message::both("bad", "dålig").and("; skipped", "; hoppas över");
        assert_eq!(
            (m.en.as_str(), m.sv.as_deref()),
            ("bad; skipped", Some("dålig; hoppas över"))
        );
    }

    #[test]
    fn quoted_values_are_left_out() {
        assert_eq!(
            without_quoted("'19121212-1212' is not a DeSO code (9 characters); the row is skipped"),
            "'…' is not a DeSO code (9 characters); the row is skipped"
        );
        assert_eq!(
            without_quoted("'O'Brien' is not a number"),
            "'…' is not a number"
        );
        assert_eq!(without_quoted("value 'abc"), "value '…'");
        assert_eq!(
            without_quoted("expected 'K' or 'M', found 'x'."),
            "expected '…' or '…', found '…'."
        );
        assert_eq!(without_quoted("no quotes here"), "no quotes here");
        let p = Problem {
            location: Location::cell("e.csv", 3, "deso"),
            severity: Severity::Error,
            message: "'Anna Andersson' is not a DeSO code".into(),
            message_sv: None,
        };
        assert_eq!(
            p.without_values(),
            "e.csv, row 3, column 'deso': '…' is not a DeSO code"
        );
    }
}
