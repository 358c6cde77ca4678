//! `samsyn inspect --json` on every file of the ingest corpus gives the expected row count,
//! column names and types, and exit code (0 read, 2 unreadable).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

#[test]
fn inspect_every_corpus_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ingest");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for expected_path in entries {
        let name = expected_path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let Some(stem) = name.strip_suffix(".expected.json") else {
            continue;
        };
        let case = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let n = p.file_name().unwrap().to_str().unwrap();
                n.starts_with(&format!("{stem}.")) && !n.ends_with(".json")
            })
            .unwrap_or_else(|| panic!("no input for {name}"));
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let mut cmd = Command::cargo_bin("samsyn").unwrap();
        cmd.arg("inspect").arg(&case).arg("--json");
        for key in ["sheet", "delimiter", "encoding", "decimal", "header"] {
            if let Some(value) = expected["options"][key].as_str() {
                cmd.arg(format!("--{key}")).arg(value);
            }
        }
        let out = cmd.output().unwrap();
        if let Some(error) = expected["error"].as_str() {
            assert_eq!(out.status.code(), Some(2), "{name}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(error), "{name}: {stderr}");
        } else {
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let actual: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(actual["rows"], expected["rows"], "{name}: rows");
            let columns = |v: &Value| -> Vec<(Value, Value, Value)> {
                v["columns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| (c["name"].clone(), c["type"].clone(), c["role"].clone()))
                    .collect()
            };
            assert_eq!(columns(&actual), columns(&expected), "{name}: columns");
            for key in ["delimiter", "decimal", "encoding"] {
                assert_eq!(
                    actual["dialect"][key], expected["dialect"][key],
                    "{name}: {key}"
                );
            }
            assert_eq!(
                actual["problems"].as_array().unwrap().len(),
                expected["problems"].as_array().unwrap().len(),
                "{name}: problems"
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} cases");
}

#[test]
fn missing_file_exits_2() {
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .args(["inspect", "/nonexistent/x.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
