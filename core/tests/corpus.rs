//! The ingest corpus: every `tests/data/ingest/<case>.<ext>` is inspected and compared with
//! `<case>.expected.json` (rows, dialect, columns with type and role, and every problem with its
//! row, column and exact message; or the error for a file that cannot be read). A new case is
//! two files. `UPDATE_EXPECT=1 cargo test -p samsyn-core --test corpus` writes the expected files
//! of new cases (review them before committing); a case that needs options starts as an
//! expected file holding only `{"options": {…}}`.

mod common;

use std::path::{Path, PathBuf};

use samsyn_core::ingest::dialect::parse_delimiter;
use samsyn_core::ingest::{Decimal, DialectOverrides, FileReader, ReadOptions, TextEncoding};
use samsyn_core::inspect::{inspect_bytes, Inspect};
use serde_json::{json, Value};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ingest")
}

fn expected_path(case: &Path) -> PathBuf {
    let stem = case.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    case.with_file_name(format!("{stem}.expected.json"))
}

/// The case's `options`: `sheet`, and the text overrides `delimiter`, `encoding`, `decimal`,
/// `header` (as the CLI takes them).
fn options(expected: &Value) -> ReadOptions {
    let o = &expected["options"];
    let text = |k: &str| o[k].as_str();
    ReadOptions {
        sheet: text("sheet").map(str::to_owned),
        text: DialectOverrides {
            delimiter: text("delimiter").and_then(parse_delimiter),
            encoding: text("encoding").and_then(TextEncoding::from_label),
            decimal: text("decimal").and_then(Decimal::from_label),
            has_header: text("header").map(|h| h == "yes"),
            quote: None,
        },
        ..ReadOptions::default()
    }
}

/// What a case is checked on: the inspection reduced to the fields the expected files hold.
fn observe(name: &str, bytes: &[u8], options: ReadOptions) -> Value {
    match inspect_bytes(name, bytes, options) {
        Err(e) => json!({ "error": e.to_string() }),
        Ok(i) => {
            let s = serde_json::to_value(i.summary()).expect("summary serialises");
            json!({
                "rows": s["rows"],
                "skipped_rows": s["skipped_rows"],
                "dialect": s["dialect"],
                "columns": s["columns"].as_array().map(|cs| cs.iter().map(|c| json!({
                    "name": c["name"], "type": c["type"], "role": c["role"],
                })).collect::<Vec<_>>()),
                "problems": s["problems"].as_array().map(|ps| ps.iter().map(|p| json!({
                    "row": p["row"], "column": p["column"], "message": p["message"],
                })).collect::<Vec<_>>()),
            })
        }
    }
}

/// Reads the file again in small chunks through [`FileReader`]; must equal the whole read.
fn observe_chunked(name: &str, bytes: &[u8], options: ReadOptions, chunk: usize) -> Value {
    let mut plan = Inspect::default();
    let mut reader = FileReader::new(name, options);
    let mut result = Ok(());
    for c in bytes.chunks(chunk) {
        result = reader.push(c, &mut plan);
        if result.is_err() {
            break;
        }
    }
    let outcome = result.and_then(|()| reader.finish(&mut plan));
    match outcome {
        Err(e) => json!({ "error": e.to_string() }),
        Ok(o) => serde_json::to_value(plan.finish(name, o).summary()).expect("serialises"),
    }
}

fn check(case: &Path) -> Result<(), String> {
    let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let bytes = std::fs::read(case).map_err(|e| format!("{name}: {e}"))?;
    let expected_file = expected_path(case);
    let expected: Value = match std::fs::read_to_string(&expected_file) {
        Ok(text) => {
            serde_json::from_str(&text).map_err(|e| format!("{name}: bad expected JSON: {e}"))?
        }
        Err(_) if std::env::var_os("UPDATE_EXPECT").is_some() => {
            let actual = observe(name, &bytes, ReadOptions::default());
            return common::write_expected(&expected_file, &actual);
        }
        Err(_) => return Err(format!("{name}: no {}", expected_file.display())),
    };
    let only_options = expected.get("rows").is_none() && expected.get("error").is_none();
    if only_options && std::env::var_os("UPDATE_EXPECT").is_some() {
        // A new case that needs options starts as `{"options": …}`; fill in what it gives.
        let mut actual = observe(name, &bytes, options(&expected));
        if let Some(a) = actual.as_object_mut() {
            a.insert("options".into(), expected["options"].clone());
        }
        return common::write_expected(&expected_file, &actual);
    }
    let mut actual = observe(name, &bytes, options(&expected));
    if let (Some(o), Some(a)) = (expected.get("options"), actual.as_object_mut()) {
        a.insert("options".into(), o.clone());
    }
    common::compare(name, &expected, &actual)?;
    check_row_count(name, &bytes, &expected)?;
    let whole = observe_chunked(name, &bytes, options(&expected), usize::MAX);
    for chunk in [1, 7, 4096] {
        if bytes.len() > 20_000 && chunk < 4096 {
            continue;
        }
        let chunked = observe_chunked(name, &bytes, options(&expected), chunk);
        if chunked != whole {
            return Err(format!(
                "{name}: read in chunks of {chunk} differs from a whole read"
            ));
        }
    }
    Ok(())
}

#[test]
fn ingest_corpus() {
    common::check_all(&common::cases(&corpus_dir()), 40, check);
}

/// Data rows counted by hand where the line rule of [`check_row_count`] does not apply: every
/// workbook and PX case, and text whose lines are not its rows. Each says why.
const HAND_COUNTED: &[(&str, u64, &str)] = &[
    (
        "befolkning_region_kon_ar.px",
        12,
        "3 regions × 2 sexes × 2 years",
    ),
    ("broken_px_bad_value.px", 2, "2 regions × 1 year"),
    (
        "broken_px_truncated.px",
        3,
        "4 cells described, 3 values in DATA",
    ),
    ("px_utf8_english.px", 2, "2 municipalities × 1 year"),
    ("broken_ods_ages.ods", 3, "4 table rows: the header and 3"),
    ("ods_befolkning.ods", 2, "3 table rows: the header and 2"),
    (
        "broken_workbook_bad_values.xlsx",
        3,
        "title in row 1, header in row 3, rows 4–6",
    ),
    (
        "workbook_pick_sheet.xlsx",
        3,
        "sheet Befolkning: header, rows 2–4",
    ),
    (
        "workbook_three_sheets.xlsx",
        4,
        "first sheet: title, note, header in row 4, rows 5–8",
    ),
    (
        "broken_quote_swallows_rows.csv",
        1,
        "row 2 swallows row 3 through a stray quote",
    ),
    (
        "broken_unclosed_quote.csv",
        1,
        "the quote of row 3 is never closed: rows 3–4 refused",
    ),
    (
        "quoted_fields.csv",
        3,
        "one quoted field holds a line break",
    ),
    (
        "title_rows_above_table.csv",
        2,
        "two title rows and a blank row above the header",
    ),
];

/// Checks the expected `rows` against a count that does not come from the reader: for text,
/// the lines that hold anything but white space and delimiters, less the header; for the rest,
/// [`HAND_COUNTED`].
fn check_row_count(name: &str, bytes: &[u8], expected: &Value) -> Result<(), String> {
    let Some(rows) = expected["rows"].as_u64() else {
        return Ok(());
    };
    let counted = match HAND_COUNTED.iter().find(|(case, ..)| *case == name) {
        Some(&(_, n, _)) => n,
        None => {
            let text: Vec<u8> = match bytes {
                [0xFF, 0xFE, rest @ ..] => rest.iter().step_by(2).copied().collect(),
                [0xFE, 0xFF, rest @ ..] => rest.iter().skip(1).step_by(2).copied().collect(),
                _ => bytes.to_vec(),
            };
            let lines = text
                .split(|&b| b == b'\n' || b == b'\r')
                .filter(|l| l.iter().any(|b| !b" \t;,|".contains(b)))
                .count() as u64;
            let header = u64::from(expected["dialect"]["header"] == json!(true));
            lines - header
        }
    };
    if rows != counted {
        return Err(format!(
            "{name}: expected {rows} rows, but the file has {counted}"
        ));
    }
    Ok(())
}

#[test]
fn every_hand_counted_case_exists() {
    let names: Vec<String> = common::cases(&corpus_dir())
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
        .collect();
    for (case, ..) in HAND_COUNTED {
        assert!(
            names.iter().any(|n| n == case),
            "{case} is not in the corpus"
        );
    }
}

/// Paste one case here to debug it alone.
#[test]
fn smoke() {
    let i = inspect_bytes(
        "smoke.csv",
        b"kommun;antal\n2480;5\n",
        ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(i.summary().rows, 1);
}
