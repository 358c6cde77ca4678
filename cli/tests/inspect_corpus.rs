//! `samsyn inspect --json` on every file of the ingest corpus gives the expected row count,
//! column names and types, every problem (row, column and exact message), and exit code (0
//! read, 2 unreadable).

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
            assert_eq!(problems(&actual), problems(&expected), "{name}: problems");
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} cases");
}

/// Each problem as (row, column, message).
fn problems(summary: &Value) -> Vec<(Value, Value, Value)> {
    summary["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].clone(), p["column"].clone(), p["message"].clone()))
        .collect()
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

/// A column the sample-data README describes: its name, type and role (if any).
type Expected<'a> = (&'a str, &'a str, Option<&'a str>);

/// `samsyn inspect` on each committed sample file: the row count is the file's line count less
/// the header, and the types and roles are what the sample-data README says.
#[test]
fn inspect_every_committed_sample_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let cases: [(&str, &[Expected]); 4] = [
        (
            "population.csv",
            &[
                ("year", "integer", Some("year")),
                ("deso", "text", Some("deso")),
                ("kommun", "text", Some("kommun")),
                ("sex", "text", Some("sex")),
                ("age_band", "text", Some("age_band")),
                ("population", "integer", Some("population")),
            ],
        ),
        (
            "areas.csv",
            &[
                ("deso", "text", Some("deso")),
                ("kommun", "text", Some("kommun")),
                ("kommun_name", "text", Some("kommun_name")),
                ("deso_type", "text", None),
                ("vardcentral", "text", Some("provider")),
            ],
        ),
        (
            "vardcentraler.csv",
            &[
                ("vardcentral", "text", Some("provider")),
                ("kommun", "text", Some("kommun")),
                ("owner", "text", None),
            ],
        ),
        (
            "survey.csv",
            &[
                ("year", "integer", Some("year")),
                ("vardcentral", "text", Some("provider")),
                ("question", "text", None),
                ("respondents", "integer", None),
                ("positive", "integer", None),
            ],
        ),
    ];
    for (file, columns) in cases {
        let path = dir.join(file);
        let lines = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count();
        let out = Command::cargo_bin("samsyn")
            .unwrap()
            .arg("inspect")
            .arg(&path)
            .arg("--json")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}");
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got["rows"].as_u64(), Some(lines as u64 - 1), "{file}: rows");
        assert_eq!(
            got["problems"].as_array().map(Vec::len),
            Some(0),
            "{file}: {}",
            got["problems"]
        );
        let got_columns: Vec<(String, String, Option<String>)> = got["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap_or_default().to_owned(),
                    c["type"].as_str().unwrap_or_default().to_owned(),
                    c["role"].as_str().map(str::to_owned),
                )
            })
            .collect();
        let want: Vec<(String, String, Option<String>)> = columns
            .iter()
            .map(|(n, t, r)| (n.to_string(), t.to_string(), r.map(str::to_owned)))
            .collect();
        assert_eq!(got_columns, want, "{file}: columns");
    }
}
