//! Reading PC-Axis (`.px`) files, the format of SCB's and the regions' statistics databases,
//! as a long table: one column per variable (its codes where the file has `CODES`, else its
//! values) and a `value` column, one row per cell of the cube.
//!
//! Format (Statistics Sweden, "PX-file format specification", 2013): keywords
//! `KEY[lang]("sub","keys")=value;` up to `DATA=`, values quoted strings (adjacent strings are
//! concatenated, commas separate list items) or bare tokens; the text encoding is `CODEPAGE`
//! (usually windows-1252; valid UTF-8 is read as UTF-8 whatever it says). `STUB` and `HEADING` list the variables; the data cube is written row
//! by row with the first variable varying slowest. In `DATA`, `"."`, `".."`, `"..."`, `"...."`
//! and `":"` mark missing values (read as empty); `"-"` means "nil" (SCB: *noll*), read as 0.
//! No Rust crate reads PX (crates.md), hence this one.

use std::borrow::Cow;

use super::whole::{Feeder, Format, ReadOutcome, Source};
use super::{Flow, RecordSink};
use crate::error::{Error, Location, Message};

/// The most cells a PX table may describe: 100 million. PxWeb's own downloads stop far below
/// this (SCB's API gives 150 000 cells a request); more is a hostile or broken file whose
/// `VALUES` multiply to a cube no file holds.
pub const MAX_CELLS: u64 = 100_000_000;

/// One keyword line of the header.
#[derive(Debug)]
struct Keyword {
    name: String,
    lang: Option<String>,
    subkeys: Vec<String>,
    values: Vec<String>,
}

/// Reads a PX file held in `bytes` into `sink`.
pub fn read(file: &str, bytes: &[u8], sink: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
    let unreadable = |message: Message| Error::Unreadable {
        at: Location::file(file),
        message,
    };
    let text = decode(bytes);
    let (keywords, data) = parse_header(&text).map_err(unreadable)?;
    let index = KeywordIndex::new(&keywords);
    let find = |name: &str, sub: Option<&str>| index.get(&keywords, name, sub);
    let list = |name: &str| {
        find(name, None)
            .map(|k| k.values.clone())
            .unwrap_or_default()
    };
    let mut variables = list("STUB");
    variables.extend(list("HEADING"));
    if variables.is_empty() {
        return Err(unreadable(Message::both(
            "no STUB or HEADING keyword: this is not a PX table",
            "inget STUB- eller HEADING-nyckelord: det här är ingen PX-tabell",
        )));
    }
    // Per variable, the text written in its column: the codes if given, else the values.
    let mut labels: Vec<Vec<String>> = Vec::with_capacity(variables.len());
    for v in &variables {
        let values = find("VALUES", Some(v)).map(|k| k.values.clone());
        let codes = find("CODES", Some(v)).map(|k| k.values.clone());
        let chosen = match (codes, values) {
            (Some(c), Some(vals)) if c.len() == vals.len() => c,
            (Some(c), None) => c,
            (_, Some(vals)) => vals,
            (None, None) => {
                return Err(unreadable(Message::both(
                    format!("the variable '{v}' has no VALUES; the file is cut or not a PX table"),
                    format!(
                        "variabeln '{v}' har inga VALUES; filen är avklippt eller ingen PX-tabell"
                    ),
                )))
            }
        };
        if chosen.is_empty() {
            return Err(unreadable(Message::both(
                format!("the variable '{v}' has no values"),
                format!("variabeln '{v}' har inga värden"),
            )));
        }
        labels.push(chosen);
    }
    // Checked before any row is made: a few VALUES lines can describe more cells than any
    // file holds (and the reader would otherwise spin through them).
    let cells = labels
        .iter()
        .try_fold(1u64, |n, l| n.checked_mul(u64::try_from(l.len()).ok()?))
        .filter(|&n| n <= MAX_CELLS)
        .ok_or_else(|| {
            let product = labels
                .iter()
                .map(|l| l.len().to_string())
                .collect::<Vec<_>>()
                .join(" × ");
            let max = super::group_digits(MAX_CELLS);
            unreadable(Message::both(
                format!(
                    "the VALUES describe {product} cells, more than the {max} Samsyn reads from \
                     one PX file; choose fewer values when you download the table, or split it \
                     into several files"
                ),
                format!(
                    "VALUES beskriver {product} celler, fler än de {max} Samsyn läser från en \
                     PX-fil; välj färre värden när du hämtar tabellen, eller dela upp den i \
                     flera filer"
                ),
            ))
        })?;
    let mut source = Source::new(Format::Px, super::whole::typed_dialect());
    source.units = find("UNITS", None).and_then(|k| k.values.first().cloned());
    let mut feeder = Feeder::new(file);
    feeder.stats.bytes = bytes.len() as u64;
    let mut names = variables.clone();
    names.push("value".into());
    feeder.header(names, sink)?;

    let mut index = vec![0usize; labels.len()];
    let mut read = 0u64;
    for token in DataTokens::new(data) {
        if read >= cells {
            read += 1;
            continue;
        }
        let row = read + 2;
        feeder.start_row();
        for (label, &i) in labels.iter().zip(&index) {
            feeder.cell(label.get(i).map(String::as_str).unwrap_or_default());
        }
        let value = match token {
            "." | ".." | "..." | "...." | "....." | "......" | ":" => "",
            "-" => "0",
            t => t,
        };
        feeder.cell(value);
        if feeder.end_row(row, sink) == Flow::Stop {
            break;
        }
        read += 1;
        // The odometer: the last variable varies fastest.
        for (i, label) in index.iter_mut().zip(&labels).rev() {
            *i += 1;
            if *i < label.len() {
                break;
            }
            *i = 0;
        }
    }
    if read != cells {
        feeder.problems.error(
            Location::file(file),
            Message::both(
                format!(
                    "DATA holds {read} values but the VALUES describe {cells} cells; the file may be cut or edited by hand"
                ),
                format!(
                    "DATA har {read} värden men VALUES beskriver {cells} celler; filen kan vara avkortad eller ändrad för hand"
                ),
            ),
        );
    }
    Ok(ReadOutcome {
        stats: feeder.stats,
        problems: feeder.problems,
        source,
    })
}

/// The keywords by name (upper case) and first subkey, so that looking up each variable's
/// `VALUES` and `CODES` does not scan every keyword: a table with many variables used to take
/// time quadratic in their number.
struct KeywordIndex {
    /// (name, first subkey or "") → the keywords' positions, in file order.
    by_key: rustc_hash::FxHashMap<(String, String), Vec<usize>>,
}

impl KeywordIndex {
    fn new(keywords: &[Keyword]) -> Self {
        let mut by_key: rustc_hash::FxHashMap<(String, String), Vec<usize>> =
            rustc_hash::FxHashMap::default();
        for (i, k) in keywords.iter().enumerate() {
            let name = k.name.to_ascii_uppercase();
            let sub = k.subkeys.first().cloned().unwrap_or_default();
            by_key.entry((name.clone(), sub)).or_default().push(i);
            if !k.subkeys.is_empty() {
                // A lookup without a subkey takes any keyword of that name.
                by_key.entry((name, String::new())).or_default().push(i);
            }
        }
        KeywordIndex { by_key }
    }

    /// The keyword `name` (with first subkey `sub`, if given), preferring the default language
    /// (no `[lang]`), else the first in the file.
    fn get<'k>(
        &self,
        keywords: &'k [Keyword],
        name: &str,
        sub: Option<&str>,
    ) -> Option<&'k Keyword> {
        let key = (
            name.to_ascii_uppercase(),
            sub.unwrap_or_default().to_owned(),
        );
        let found = self
            .by_key
            .get(&key)?
            .iter()
            .filter_map(|&i| keywords.get(i));
        found.min_by_key(|k| k.lang.is_some())
    }
}

/// Decodes the file: valid UTF-8 is UTF-8, anything else windows-1252. Valid UTF-8 wins over a
/// `CODEPAGE` that says otherwise: PxWeb writes UTF-8 files that keep `CODEPAGE="iso-8859-1"`,
/// and real windows-1252 text is almost never valid UTF-8.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Parses the keywords up to `DATA=`; returns them and the data text.
fn parse_header(text: &str) -> Result<(Vec<Keyword>, &str), Message> {
    let mut keywords = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Err(Message::both(
                "no DATA= part: the file is cut or not a PX file",
                "ingen DATA=-del: filen är avklippt eller ingen PX-fil",
            ));
        }
        let eq = find_unquoted(rest, '=').ok_or_else(|| {
            Message::both(
                "a keyword without '=': the file is cut or not a PX file",
                "ett nyckelord utan '=': filen är avklippt eller ingen PX-fil",
            )
        })?;
        let (key, after) = (
            rest.get(..eq).unwrap_or_default(),
            rest.get(eq + 1..).unwrap_or_default(),
        );
        let (name, lang, subkeys) = parse_key(key);
        if name.eq_ignore_ascii_case("DATA") {
            return Ok((keywords, after));
        }
        let end = find_unquoted(after, ';').ok_or_else(|| {
            Message::both(
                format!(
                    "the keyword {name} does not end with ';': the file is cut or not a PX file"
                ),
                format!(
                    "nyckelordet {name} slutar inte med ';': filen är avklippt eller ingen PX-fil"
                ),
            )
        })?;
        keywords.push(Keyword {
            name,
            lang,
            subkeys,
            values: parse_values(after.get(..end).unwrap_or_default()),
        });
        rest = after.get(end + 1..).unwrap_or_default();
    }
}

/// The byte position of `c` outside double quotes.
fn find_unquoted(s: &str, c: char) -> Option<usize> {
    let mut quoted = false;
    for (i, ch) in s.char_indices() {
        if ch == '"' {
            quoted = !quoted;
        } else if ch == c && !quoted {
            return Some(i);
        }
    }
    None
}

/// `VALUES[en]("region")` → (`VALUES`, `en`, [`region`]).
fn parse_key(key: &str) -> (String, Option<String>, Vec<String>) {
    let key = key.trim();
    let name_end = key.find(['[', '(']).unwrap_or(key.len());
    let name = key.get(..name_end).unwrap_or_default().trim().to_owned();
    let lang = key
        .find('[')
        .and_then(|a| {
            key.get(a + 1..)
                .and_then(|r| r.find(']').and_then(|b| r.get(..b)))
        })
        .map(|l| l.trim().to_owned());
    let subkeys = key
        .find('(')
        .and_then(|a| key.get(a..))
        .map(parse_values)
        .unwrap_or_default();
    (name, lang, subkeys)
}

/// `"a","b"` → [a, b]; `"long ""text"` "continued"` → [long text continued]; `5` → [5].
fn parse_values(raw: &str) -> Vec<String> {
    let raw = raw.trim().trim_start_matches('(').trim_end_matches(')');
    let mut values = Vec::new();
    let mut current = String::new();
    let mut in_item = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_item = true;
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    current.push(q);
                }
            }
            ',' => {
                values.push(std::mem::take(&mut current).trim().to_owned());
                in_item = false;
            }
            c if c.is_whitespace() => {}
            c => {
                in_item = true;
                current.push(c);
            }
        }
    }
    if in_item || !current.is_empty() {
        values.push(current.trim().to_owned());
    }
    values
}

/// The values of `DATA=`: quoted or bare tokens separated by white space (or commas), up to `;`.
struct DataTokens<'a> {
    rest: &'a str,
}

impl<'a> DataTokens<'a> {
    fn new(data: &'a str) -> Self {
        DataTokens { rest: data }
    }
}

impl<'a> Iterator for DataTokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self
            .rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() || rest.starts_with(';') {
            self.rest = "";
            return None;
        }
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            self.rest = quoted.get(end + 1..).unwrap_or_default();
            return quoted.get(..end);
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .unwrap_or(rest.len());
        self.rest = rest.get(end..).unwrap_or_default();
        rest.get(..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_keys() {
        assert_eq!(parse_values(r#""a","b c""#), vec!["a", "b c"]);
        assert_eq!(parse_values("\"long \"\n\"text\""), vec!["long text"]);
        assert_eq!(parse_values("1"), vec!["1"]);
        let (n, l, s) = parse_key(r#"VALUES[en]("region")"#);
        assert_eq!(
            (n.as_str(), l.as_deref(), s),
            ("VALUES", Some("en"), vec!["region".to_owned()])
        );
    }

    #[test]
    fn data_tokens() {
        let t: Vec<&str> = DataTokens::new(" 1 2.5 \"..\"\n\"-\" 7;").collect();
        assert_eq!(t, vec!["1", "2.5", "..", "-", "7"]);
    }

    /// A PX table of `n` variables, the first `two` with two values and the rest with one,
    /// and its cells numbered 0, 1, ….
    fn many_variables(n: usize, two: usize) -> String {
        let mut px = String::from("CHARSET=\"ANSI\";\nMATRIX=\"T\";\n");
        let names: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
        let quoted: Vec<String> = names.iter().map(|v| format!("\"{v}\"")).collect();
        px += &format!("STUB={};\n", quoted.join(","));
        let mut cells = 1;
        for (i, v) in names.iter().enumerate() {
            let values = if i < two { "\"a\",\"b\"" } else { "\"a\"" };
            cells *= if i < two { 2 } else { 1 };
            px += &format!("VALUES(\"{v}\")={values};\nCODES(\"{v}\")={values};\n");
        }
        let data: Vec<String> = (0..cells).map(|c| c.to_string()).collect();
        px + &format!("DATA=\n{};\n", data.join(" "))
    }

    /// Counts rows and keeps the last one.
    #[derive(Default)]
    struct Last {
        columns: usize,
        rows: u64,
        last: Vec<String>,
    }

    impl RecordSink for Last {
        fn columns(&mut self, names: &[String], _: &crate::ingest::Dialect) -> Result<(), Error> {
            self.columns = names.len();
            Ok(())
        }
        fn record(&mut self, row: &crate::ingest::Row<'_>, _: &mut crate::error::Problems) -> Flow {
            self.rows += 1;
            self.last = row
                .record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            Flow::Continue
        }
    }

    #[test]
    fn thirty_variables_give_one_row_per_cell() {
        let text = many_variables(30, 10);
        let mut sink = Last::default();
        let outcome = read("many.px", text.as_bytes(), &mut sink).unwrap();
        assert_eq!(
            (sink.columns, sink.rows, outcome.stats.rows),
            (31, 1024, 1024)
        );
        assert!(outcome.problems.is_empty());
        let mut last = vec!["b"; 10];
        last.extend(vec!["a"; 20]);
        last.push("1023");
        assert_eq!(sink.last, last);
    }

    #[test]
    fn ten_thousand_variables_are_looked_up_once_each() {
        // Quadratic lookups made this take minutes; it is one row of 10 001 columns.
        let text = many_variables(10_000, 0);
        let mut sink = Last::default();
        let outcome = read("many.px", text.as_bytes(), &mut sink).unwrap();
        assert_eq!((sink.columns, outcome.stats.rows), (10_001, 1));
    }

    #[test]
    fn a_cube_larger_than_the_limit_is_refused_before_reading() {
        let mut px = String::from("STUB=\"a\",\"b\",\"c\";\n");
        let thousand: Vec<String> = (0..1000).map(|i| format!("\"{i}\"")).collect();
        for v in ["a", "b", "c"] {
            px += &format!("VALUES(\"{v}\")={};\n", thousand.join(","));
        }
        px += "DATA=\n1 2 3;\n";
        let err = read("cube.px", px.as_bytes(), &mut Last::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cube.px: the VALUES describe 1000 × 1000 × 1000 cells, more than the 100 000 000 \
             Samsyn reads from one PX file; choose fewer values when you download the table, \
             or split it into several files"
        );
        assert_eq!(
            err.swedish(),
            "cube.px: VALUES beskriver 1000 × 1000 × 1000 celler, fler än de 100 000 000 Samsyn \
             läser från en PX-fil; välj färre värden när du hämtar tabellen, eller dela upp den \
             i flera filer"
        );
    }
}
