//! The ingest corpus: every `tests/data/ingest/<case>.<ext>` is inspected and compared with
//! `<case>.expected.json` (rows, dialect, columns with type and role, and every problem with its
//! row, column and exact message; or the error for a file that cannot be read). A new case is
//! two files. `UPDATE_EXPECT=1 cargo test -p samsyn-core --test corpus` writes the expected files
//! of new cases (review them before committing); a case that needs options starts as an
//! expected file holding only `{"options": {…}}`.

use std::path::{Path, PathBuf};

use samsyn_core::ingest::dialect::parse_delimiter;
use samsyn_core::ingest::{Decimal, DialectOverrides, FileReader, ReadOptions, TextEncoding};
use samsyn_core::inspect::{inspect_bytes, Inspect};
use serde_json::{json, Value};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ingest")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the corpus folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.ends_with(".json") && !name.ends_with(".py") && !name.starts_with('.')
        })
        .collect();
    cases.sort();
    cases
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
            let text = serde_json::to_string_pretty(&actual).unwrap_or_default() + "\n";
            std::fs::write(&expected_file, text).map_err(|e| e.to_string())?;
            return Ok(());
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
        let text = serde_json::to_string_pretty(&actual).unwrap_or_default() + "\n";
        std::fs::write(&expected_file, text).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let mut actual = observe(name, &bytes, options(&expected));
    if let (Some(o), Some(a)) = (expected.get("options"), actual.as_object_mut()) {
        a.insert("options".into(), o.clone());
    }
    if actual != expected {
        return Err(format!(
            "{name}: expected\n{}\nbut got\n{}",
            serde_json::to_string_pretty(&expected).unwrap_or_default(),
            serde_json::to_string_pretty(&actual).unwrap_or_default()
        ));
    }
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
    let cases = cases();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
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
