//! What the data-driven corpus tests share: walking a folder's cases, and comparing what a
//! case gives with its expected JSON (written for review under `UPDATE_EXPECT=1`).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The input files of a corpus folder (not the expected files, scripts or hidden files),
/// sorted.
pub fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
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

/// Checks every case and fails with all failures at once.
pub fn check_all(cases: &[PathBuf], at_least: usize, check: impl Fn(&Path) -> Result<(), String>) {
    assert!(
        cases.len() >= at_least,
        "the corpus has {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Writes `actual` as the expected file (for review before committing).
pub fn write_expected(path: &Path, actual: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(actual).unwrap_or_default() + "\n";
    std::fs::write(path, text).map_err(|e| e.to_string())
}

/// `Err` showing both when they differ.
pub fn compare(name: &str, expected: &Value, actual: &Value) -> Result<(), String> {
    if actual == expected {
        return Ok(());
    }
    Err(format!(
        "{name}: expected\n{}\nbut got\n{}",
        serde_json::to_string_pretty(expected).unwrap_or_default(),
        serde_json::to_string_pretty(actual).unwrap_or_default()
    ))
}
