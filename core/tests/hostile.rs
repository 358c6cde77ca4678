//! The hostile corpus (issue 10): every `tests/data/hostile/files/<file>` is inspected and
//! compared with `<file>.expected.json`: the rows read and refused, the problems with row,
//! column and exact message, or the error that refuses the file, and `exit_code`, what
//! `samsyn inspect` must return (checked by `cli/tests/inspect_hostile.rs`). Text files are also
//! read in small chunks, which must give the same. `UPDATE_EXPECT=1 cargo test -p samsyn-core
//! --test hostile` writes the expected files of new cases, for review. Files too large to commit
//! are made here: a 50 MB field and a 50 MB unclosed quote fed in chunks.

mod common;

use std::path::{Path, PathBuf};

use samsyn_core::ingest::{FileReader, ReadOptions};
use samsyn_core::inspect::{inspect_bytes, Inspect};
use serde_json::{json, Value};

fn files_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/hostile/files")
}

fn expected_path(case: &Path) -> PathBuf {
    let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
    case.with_file_name(format!("{name}.expected.json"))
}

/// What a case is checked on: the summary's figures and problems, or the error.
fn observe_summary(result: Result<samsyn_core::inspect::summary::Summary, String>) -> Value {
    match result {
        Err(e) => json!({ "error": e, "exit_code": 2 }),
        Ok(s) => json!({
            "rows": s.rows,
            "skipped_rows": s.skipped_rows,
            "blank_rows": s.blank_rows,
            "columns": s.columns.len(),
            "problems_total": s.problems_total,
            "problems": s.problems.iter().map(|p| json!({
                "row": p.row, "column": p.column, "message": p.message,
            })).collect::<Vec<_>>(),
            "exit_code": 0,
        }),
    }
}

fn observe(name: &str, bytes: &[u8]) -> Value {
    observe_summary(
        inspect_bytes(name, bytes, ReadOptions::default())
            .map(|i| i.summary())
            .map_err(|e| e.to_string()),
    )
}

/// The same file fed to a [`FileReader`] in chunks of `chunk` bytes.
fn observe_chunked(name: &str, chunks: &mut dyn Iterator<Item = &[u8]>) -> Value {
    let mut plan = Inspect::default();
    let mut reader = FileReader::new(name, ReadOptions::default());
    let mut result = Ok(());
    for c in chunks {
        result = reader.push(c, &mut plan);
        if result.is_err() {
            break;
        }
    }
    observe_summary(
        result
            .and_then(|()| reader.finish(&mut plan))
            .map(|o| plan.finish(name, o).summary())
            .map_err(|e| e.to_string()),
    )
}

fn check(case: &Path) -> Result<(), String> {
    let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let bytes = std::fs::read(case).map_err(|e| format!("{name}: {e}"))?;
    let actual = observe(name, &bytes);
    let expected_file = expected_path(case);
    let expected: Value = match std::fs::read_to_string(&expected_file) {
        Ok(text) => {
            serde_json::from_str(&text).map_err(|e| format!("{name}: bad expected JSON: {e}"))?
        }
        Err(_) if std::env::var_os("UPDATE_EXPECT").is_some() => {
            return common::write_expected(&expected_file, &actual);
        }
        Err(_) => return Err(format!("{name}: no {}", expected_file.display())),
    };
    common::compare(name, &expected, &actual)?;
    if name.ends_with(".csv") {
        for chunk in [1, 7, 4096] {
            if observe_chunked(name, &mut bytes.chunks(chunk)) != actual {
                return Err(format!("{name}: read in chunks of {chunk} differs"));
            }
        }
    }
    Ok(())
}

#[test]
fn hostile_corpus() {
    common::check_all(&common::cases(&files_dir()), 15, check);
}

/// 50 MB fed 64 KiB at a time, starting at `open` on row 3.
fn fifty_megabytes(open: &'static [u8]) -> impl Iterator<Item = &'static [u8]> {
    const BLOCK: &[u8] = &[b'x'; 1 << 16];
    let head: [&'static [u8]; 2] = [b"kommun,cause\n2480,I10\n2481,", open];
    head.into_iter()
        .chain(std::iter::repeat_n(BLOCK, 50_000_000 / BLOCK.len()))
        .chain(std::iter::once(&b"\n2482,J18\n"[..]))
}

/// What inspecting the 50 MB file starting with `open` gives: `rows` read, `skipped` refused
/// and the one problem's message.
fn refused(open: &'static [u8], rows: u64, skipped: u64, message: &str) {
    let got = observe_chunked("big.csv", &mut fifty_megabytes(open));
    assert_eq!(
        got,
        json!({
            "rows": rows, "skipped_rows": skipped, "blank_rows": 0, "columns": 2,
            "problems_total": 1,
            "problems": [{ "row": 3, "column": null, "message": message }],
            "exit_code": 0,
        })
    );
}

#[test]
fn issue_10_a_fifty_megabyte_field_is_one_refused_row() {
    refused(
        b"",
        2,
        1,
        "row 3 could not be read: the row is longer than 1 048 576 bytes (1 MiB), the most Samsyn reads as one row; check the delimiter, or shorten the field",
    );
}

#[test]
fn issue_10_a_fifty_megabyte_unclosed_quote_refuses_the_rest() {
    refused(
        b"\"",
        1,
        2,
        "rows 3–4 could not be read: the quote opened in row 3, column 'cause', is never closed",
    );
}
