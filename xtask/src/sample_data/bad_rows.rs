//! `--bad-rows N`: the sample county's `events.csv` with N bad rows injected, spread over the
//! file, and `bad-rows.csv` beside it listing each one's row (as Excel numbers it, the header
//! being row 1) and kind (issue 10).
//!
//! The clean file is written first, then read back line by line and written again with the bad
//! rows inserted: every clean row is byte for byte the row of the clean run with the same seed,
//! so a notebook that refuses exactly the bad rows gives exactly the clean numbers. The file is
//! split into N equal stretches and one bad row goes after a random clean row of each (the
//! stream `STREAM_BAD_ROWS`, so the same seed gives the same file). Kinds take turns in
//! [`KINDS`] order; a bad row is a copy of the clean row before it with one thing broken and an
//! `event_id` of its own above every clean one (so it is refused for its kind, not as a
//! repeated id), except the exact duplicate, which copies the row whole. Bytes that are not
//! UTF-8 go in the last bad row, and only if it lies past the first 64 KiB (the sample Samsyn
//! guesses the encoding from; before it, the file would be read as Windows-1252 and be valid
//! text); otherwise that row gets the next kind.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use super::random::{Rng, STREAM_BAD_ROWS};
use super::{create, io_err};

/// A kind of bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TooManyFields,
    TooFewFields,
    AgeNotNumber,
    AgeNegative,
    AgeImplausible,
    DesoUnknown,
    DesoMalformed,
    DateImpossible,
    DateNotIso,
    YearNotDate,
    SexUnknown,
    EventTypeUnknown,
    ValueNotBinary,
    ValueUnreadable,
    KommunNotDeso,
    Blank,
    Duplicate,
    NotUtf8,
}

/// Every kind, in the order they take turns.
pub const KINDS: [Kind; 18] = [
    Kind::TooManyFields,
    Kind::AgeNotNumber,
    Kind::DesoUnknown,
    Kind::DateImpossible,
    Kind::YearNotDate,
    Kind::SexUnknown,
    Kind::EventTypeUnknown,
    Kind::ValueNotBinary,
    Kind::KommunNotDeso,
    Kind::Blank,
    Kind::Duplicate,
    Kind::TooFewFields,
    Kind::AgeNegative,
    Kind::AgeImplausible,
    Kind::DesoMalformed,
    Kind::DateNotIso,
    Kind::ValueUnreadable,
    Kind::NotUtf8,
];

impl Kind {
    /// The kind's name in `bad-rows.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TooManyFields => "too_many_fields",
            Kind::TooFewFields => "too_few_fields",
            Kind::AgeNotNumber => "age_not_a_number",
            Kind::AgeNegative => "age_negative",
            Kind::AgeImplausible => "age_implausible",
            Kind::DesoUnknown => "deso_unknown",
            Kind::DesoMalformed => "deso_malformed",
            Kind::DateImpossible => "date_impossible",
            Kind::DateNotIso => "date_not_iso",
            Kind::YearNotDate => "year_not_the_date_year",
            Kind::SexUnknown => "sex_unknown",
            Kind::EventTypeUnknown => "event_type_unknown",
            Kind::ValueNotBinary => "value_not_0_or_1",
            Kind::ValueUnreadable => "value_unreadable",
            Kind::KommunNotDeso => "kommun_not_the_deso_kommun",
            Kind::Blank => "blank_row",
            Kind::Duplicate => "exact_duplicate",
            Kind::NotUtf8 => "not_utf8",
        }
    }
}

/// Where the encoding guess looks (Samsyn's `dialect::SAMPLE_BYTES`, 64 KiB).
const ENCODING_SAMPLE_BYTES: u64 = 64 * 1024;

/// The columns of `events.csv`, by position.
const EVENT_ID: usize = 0;
const YEAR: usize = 2;
const DATE: usize = 3;
const DESO: usize = 4;
const KOMMUN: usize = 5;
const SEX: usize = 7;
const AGE: usize = 8;
const EVENT_TYPE: usize = 9;
const VALUE: usize = 11;

/// The bad row of `kind` made from the clean `line`; `id` is its own event id.
fn bad_line(kind: Kind, line: &str, id: u64) -> Vec<u8> {
    if kind == Kind::Duplicate {
        return line.as_bytes().to_vec();
    }
    if kind == Kind::Blank {
        return Vec::new();
    }
    let mut f: Vec<String> = line.split(',').map(str::to_owned).collect();
    let set = |f: &mut Vec<String>, i: usize, v: String| {
        if let Some(x) = f.get_mut(i) {
            *x = v;
        }
    };
    let get = |f: &[String], i: usize| f.get(i).cloned().unwrap_or_default();
    set(&mut f, EVENT_ID, id.to_string());
    let year = get(&f, YEAR);
    match kind {
        Kind::TooManyFields => f.push("extra".into()),
        Kind::TooFewFields => {
            f.pop();
        }
        Kind::AgeNotNumber => set(&mut f, AGE, "okänd".into()),
        Kind::AgeNegative => set(&mut f, AGE, "-4".into()),
        Kind::AgeImplausible => set(&mut f, AGE, "150".into()),
        Kind::DesoUnknown => {
            // A well-formed code in a kommun SCB does not have (Västerbotten has no 2499).
            let d = get(&f, DESO);
            set(
                &mut f,
                DESO,
                format!("2499{}", d.get(4..).unwrap_or("C0001")),
            );
        }
        Kind::DesoMalformed => {
            let d = get(&f, DESO);
            set(
                &mut f,
                DESO,
                format!(
                    "{}X{}",
                    d.get(..4).unwrap_or("2480"),
                    d.get(5..).unwrap_or("0001")
                ),
            );
        }
        Kind::DateImpossible => set(&mut f, DATE, format!("{year}-02-30")),
        Kind::DateNotIso => {
            let d = get(&f, DATE);
            let (m, day) = (d.get(5..7).unwrap_or("03"), d.get(8..10).unwrap_or("15"));
            set(&mut f, DATE, format!("{day}/{m}/{year}"));
        }
        Kind::YearNotDate => {
            let y: u32 = year.parse().unwrap_or(2023);
            set(&mut f, YEAR, (y - 1).to_string());
        }
        Kind::SexUnknown => set(&mut f, SEX, "X".into()),
        Kind::EventTypeUnknown => set(&mut f, EVENT_TYPE, "fall".into()),
        Kind::ValueNotBinary => {
            set(&mut f, EVENT_TYPE, "assessed_within_3_days".into());
            set(&mut f, VALUE, "2".into());
        }
        Kind::ValueUnreadable => {
            // A decimal comma, quoted so that the comma stays in the field.
            set(&mut f, EVENT_TYPE, "assessed_within_3_days".into());
            set(&mut f, VALUE, "\"1,0\"".into());
        }
        Kind::KommunNotDeso => {
            let k = get(&f, KOMMUN);
            set(
                &mut f,
                KOMMUN,
                if k == "2480" {
                    "2482".into()
                } else {
                    "2480".into()
                },
            );
        }
        Kind::NotUtf8 | Kind::Blank | Kind::Duplicate => {}
    }
    let mut out = f.join(",").into_bytes();
    if kind == Kind::NotUtf8 {
        // `fall_injury` with a Windows-1252 `ä` (0xE4) inside: not UTF-8.
        let text = String::from_utf8_lossy(&out).into_owned();
        let fields: Vec<&str> = text.split(',').collect();
        out = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if i == EVENT_TYPE {
                out.extend_from_slice(b"f\xE4ll_injury");
            } else {
                out.extend_from_slice(field.as_bytes());
            }
        }
    }
    out
}

/// Injects `n` bad rows into `dir/events.csv` (of `clean_rows` data rows) and writes
/// `dir/bad-rows.csv`. Returns the bad rows written.
pub fn inject(dir: &Path, seed: u64, n: u64, clean_rows: u64) -> Result<u64, String> {
    if n == 0 || clean_rows == 0 {
        return Ok(0);
    }
    let n = n.min(clean_rows);
    // One clean row per stretch: the bad row goes after it.
    let mut rng = Rng::stream(seed, STREAM_BAD_ROWS);
    let stretch = clean_rows / n;
    let after: Vec<u64> = (0..n)
        .map(|k| k * stretch + 1 + rng.below(stretch.max(1)))
        .collect();
    let name = "events.csv";
    let path = dir.join(name);
    let tmp = dir.join("events.csv.tmp");
    let err = io_err(name);
    let input = BufReader::new(File::open(&path).map_err(&err)?);
    let mut out = BufWriter::with_capacity(1 << 16, File::create(&tmp).map_err(&err)?);
    let mut list = create(dir, "bad-rows.csv")?;
    let list_err = io_err("bad-rows.csv");
    writeln!(list, "row,kind").map_err(&list_err)?;
    let mut next = after.iter().copied().peekable();
    let (mut written_rows, mut bytes, mut injected) = (0u64, 0u64, 0u64);
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(&err)?;
        out.write_all(line.as_bytes()).map_err(&err)?;
        out.write_all(b"\n").map_err(&err)?;
        written_rows += 1;
        bytes += line.len() as u64 + 1;
        // Line 0 is the header; data line i is clean row i.
        if next.peek() != Some(&(i as u64)) {
            continue;
        }
        next.next();
        let mut kind = KINDS
            .get(injected as usize % (KINDS.len() - 1))
            .copied()
            .unwrap_or(Kind::Blank);
        if injected + 1 == n && bytes > ENCODING_SAMPLE_BYTES {
            kind = Kind::NotUtf8;
        }
        let bad = bad_line(kind, &line, clean_rows + injected + 1);
        out.write_all(&bad).map_err(&err)?;
        out.write_all(b"\n").map_err(&err)?;
        written_rows += 1;
        bytes += bad.len() as u64 + 1;
        injected += 1;
        // Excel's row of the bad row: `written_rows` lines so far, the header is row 1.
        writeln!(list, "{written_rows},{}", kind.as_str()).map_err(&list_err)?;
    }
    out.flush().map_err(&err)?;
    list.flush().map_err(&list_err)?;
    drop(out);
    fs::rename(&tmp, &path).map_err(&err)?;
    Ok(injected)
}
