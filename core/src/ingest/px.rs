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

use super::source::{Feeder, Format, ReadOutcome, Source};
use super::{Flow, RecordSink};
use crate::error::{Error, Location};

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
    let unreadable = |message: String| Error::Unreadable {
        at: Location::file(file),
        message,
    };
    let text = decode(bytes);
    let (keywords, data) = parse_header(&text).map_err(unreadable)?;
    let find = |name: &str, sub: Option<&str>| {
        keywords
            .iter()
            .filter(|k| k.name.eq_ignore_ascii_case(name))
            .filter(|k| match sub {
                Some(s) => k.subkeys.first().map(String::as_str) == Some(s),
                None => true,
            })
            // The default language has no `[lang]`; prefer it.
            .min_by_key(|k| k.lang.is_some())
    };
    let list = |name: &str| {
        find(name, None)
            .map(|k| k.values.clone())
            .unwrap_or_default()
    };
    let mut variables = list("STUB");
    variables.extend(list("HEADING"));
    if variables.is_empty() {
        return Err(unreadable(
            "no STUB or HEADING keyword: this is not a PX table".into(),
        ));
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
                return Err(unreadable(format!(
                    "the variable '{v}' has no VALUES; the file is cut or not a PX table"
                )))
            }
        };
        if chosen.is_empty() {
            return Err(unreadable(format!("the variable '{v}' has no values")));
        }
        labels.push(chosen);
    }
    let cells = labels
        .iter()
        .try_fold(1u64, |n, l| n.checked_mul(l.len() as u64))
        .ok_or_else(|| unreadable("the table is too large".into()))?;
    let mut source = Source::new(Format::Px, super::source::typed_dialect());
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
            format!(
                "DATA holds {read} values but the VALUES describe {cells} cells; the file may be cut or edited by hand"
            ),
        );
    }
    Ok(ReadOutcome {
        stats: feeder.stats,
        problems: feeder.problems,
        source,
    })
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
fn parse_header(text: &str) -> Result<(Vec<Keyword>, &str), String> {
    let mut keywords = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Err("no DATA= part: the file is cut or not a PX file".into());
        }
        let eq = find_unquoted(rest, '=')
            .ok_or_else(|| "a keyword without '=': the file is cut or not a PX file".to_string())?;
        let (key, after) = (
            rest.get(..eq).unwrap_or_default(),
            rest.get(eq + 1..).unwrap_or_default(),
        );
        let (name, lang, subkeys) = parse_key(key);
        if name.eq_ignore_ascii_case("DATA") {
            return Ok((keywords, after));
        }
        let end = find_unquoted(after, ';').ok_or_else(|| {
            format!("the keyword {name} does not end with ';': the file is cut or not a PX file")
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
}
