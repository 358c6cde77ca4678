//! `samsyn inspect --json` on every file of the hostile corpus (`tests/data/hostile/files`,
//! issue 10) exits with the expected code and says exactly what `<file>.expected.json` says:
//! the error on stderr, or the rows read and refused and every problem's message. A file too
//! large to commit (a 2 MB field) is written to a temporary folder here.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{json, Value};

fn inspect(path: &Path) -> (Option<i32>, String, Option<Value>) {
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("inspect")
        .arg(path)
        .arg("--json")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).ok();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        json,
    )
}

/// The figures `core/tests/hostile.rs` keeps, taken from the CLI's JSON.
fn observed(summary: &Value) -> Value {
    json!({
        "rows": summary["rows"],
        "skipped_rows": summary["skipped_rows"],
        "blank_rows": summary["blank_rows"],
        "columns": summary["columns"].as_array().map(Vec::len),
        "problems_total": summary["problems_total"],
        "problems": summary["problems"].as_array().unwrap().iter().map(|p| json!({
            "row": p["row"], "column": p["column"], "message": p["message"],
        })).collect::<Vec<_>>(),
        "exit_code": 0,
    })
}

#[test]
fn inspect_every_hostile_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/hostile/files");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_str().unwrap().to_owned();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.expected.json"))).unwrap(),
        )
        .unwrap();
        let (code, stderr, json) = inspect(&case);
        let exit = expected["exit_code"].as_i64().map(|c| c as i32);
        assert_eq!(code, exit, "{name}: exit code; {stderr}");
        if let Some(error) = expected["error"].as_str() {
            assert_eq!(stderr, format!("samsyn: {error}\n"), "{name}: stderr");
        } else {
            assert_eq!(observed(&json.unwrap()), expected, "{name}");
        }
    }
}

#[test]
fn issue_10_a_two_megabyte_field_is_one_refused_row() {
    let dir = std::env::temp_dir().join(format!("samsyn-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.csv");
    let mut bytes = b"kommun,cause\n2480,I10\n2481,".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 2 << 20));
    bytes.extend_from_slice(b"\n2482,J18\n");
    std::fs::write(&path, bytes).unwrap();
    let (code, stderr, json) = inspect(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    let json = json.unwrap();
    assert_eq!(
        (&json["rows"], &json["skipped_rows"]),
        (&json!(2), &json!(1))
    );
    assert_eq!(
        json["problems"][0]["message"],
        "row 3 could not be read: the row is longer than 1 048 576 bytes (1 MiB), the most Samsyn reads as one row; check the delimiter, or shorten the field"
    );
}
