//! Issue 13, "use the cores the machine has": `samsyn run --threads N` cuts a large text file
//! at line ends and reads the parts at once; what it writes is what one thread writes, byte for
//! byte, on a clean county and on one with bad rows of every kind. Where the parts cannot be
//! merged into the one-pass result (here: an exact copy of a row of an earlier part), it says
//! so and reads the file again in one pass. The merge itself is checked on cuts anywhere in
//! `core/tests/ranges.rs`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;
use common::{notebook_path, sample_with};

/// Over `samsyn`'s 8 MiB threshold for reading with threads (about 100 bytes a row).
const ROWS: u64 = 100_000;

/// `samsyn run NOTEBOOK` on the sample in `dir` with `threads`: stderr and the files written.
fn run(notebook: &str, dir: &Path, threads: usize, out: &Path) -> (String, Vec<(String, Vec<u8>)>) {
    let output = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("run")
        .arg(notebook_path(notebook))
        .arg("--data")
        .arg(format!("events={}", dir.join("events.csv").display()))
        .arg("--data")
        .arg(format!(
            "population={}",
            dir.join("population.csv").display()
        ))
        .arg("--out")
        .arg(out)
        .arg("--threads")
        .arg(threads.to_string())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).replace(&out.display().to_string(), "OUT");
    assert!(output.status.success(), "{stderr}");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    (stderr, files)
}

fn outs(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("out1"), dir.join("out3"))
}

#[test]
fn three_threads_write_what_one_thread_writes() {
    let dir = sample_with("threads-clean", 11, ROWS, 0);
    assert!(std::fs::metadata(dir.join("events.csv")).unwrap().len() > 8 << 20);
    let (one, three) = outs(&dir);
    let (err1, files1) = run("falls", &dir, 1, &one);
    let (err3, files3) = run("falls", &dir, 3, &three);
    assert!(files1.len() > 5, "{files1:?}");
    assert!(files1.iter().any(|(n, _)| n == "report.html"));
    for ((n1, b1), (n3, b3)) in files1.iter().zip(&files3) {
        assert_eq!(n1, n3);
        assert!(b1 == b3, "{n1} differs with 3 threads");
    }
    assert_eq!(files1.len(), files3.len());
    // Read in parts, not again in one pass, and the same account of the rows.
    assert!(!err3.contains("read again"), "{err3}");
    assert_eq!(err1, err3);
}

#[test]
fn bad_rows_give_the_same_files_with_threads() {
    let dir = sample_with("threads-bad", 7, ROWS, 32);
    let (one, three) = outs(&dir);
    let (err1, files1) = run("falls", &dir, 1, &one);
    let (err3, files3) = run("falls", &dir, 3, &three);
    assert!(files1 == files3, "the files differ with 3 threads");
    assert!(err1.contains(", 32 refused;"), "{err1}");
    assert!(
        err1.contains("refused: exact duplicate of an earlier row"),
        "{err1}"
    );
    assert_eq!(err1, err3);
}

#[test]
fn a_copy_of_a_row_of_an_earlier_part_is_found_by_reading_again_in_one_pass() {
    let dir = sample_with("threads-copy", 7, ROWS, 0);
    let events = dir.join("events.csv");
    let text = std::fs::read_to_string(&events).unwrap();
    let first_row = text.lines().nth(1).unwrap();
    std::fs::write(&events, format!("{text}{first_row}\n")).unwrap();
    let (one, three) = outs(&dir);
    let (err1, files1) = run("falls", &dir, 1, &one);
    let (err3, files3) = run("falls", &dir, 3, &three);
    assert!(files1 == files3, "the files differ with 3 threads");
    assert!(
        err1.contains("1 refused: exact duplicate of an earlier row"),
        "{err1}"
    );
    let note = "samsyn: note: events.csv is read again by one thread: ";
    let notes: Vec<&str> = err3.lines().filter(|l| l.starts_with(note)).collect();
    assert_eq!(
        notes,
        [format!(
            "{note}a row or row id of a later range was seen in an earlier one"
        )]
    );
    assert_eq!(
        err3.lines()
            .filter(|l| !l.starts_with(note))
            .collect::<Vec<_>>(),
        err1.lines().collect::<Vec<_>>()
    );
}
