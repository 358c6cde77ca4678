//! `samsyn stat` end to end: small files in, CSV out, compared with the reference vectors in
//! `tests/data/stats/` (independently computed; see its README) to relative error 1e-9.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const TOLERANCE: f64 = 1e-9;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/stats")
        .join(name)
}

/// A fresh folder for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-cli-stat-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Parses simple CSV (quoted fields may contain commas) into rows of column → text.
fn parse(text: &str) -> Vec<HashMap<String, String>> {
    let split = |line: &str| -> Vec<String> {
        let (mut fields, mut cur, mut quoted) = (Vec::new(), String::new(), false);
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        fields
    };
    let mut lines = text.lines();
    let header = split(lines.next().unwrap());
    lines
        .map(|l| header.iter().cloned().zip(split(l)).collect())
        .collect()
}

fn close(got: &str, want: &str, what: &str) {
    if want.is_empty() {
        assert!(got.is_empty(), "{what}: expected empty, got {got}");
        return;
    }
    let (g, w): (f64, f64) = (got.parse().unwrap(), want.parse().unwrap());
    let err = if w == 0.0 {
        g.abs()
    } else {
        ((g - w) / w).abs()
    };
    assert!(err <= TOLERANCE, "{what}: got {g}, expected {w}");
}

fn samsyn(args: &[&str]) -> String {
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "samsyn {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn dsr_per_area_matches_the_vectors_all_ages_and_65_plus() {
    let input = data("dsr_esp2013_inputs.csv");
    let expected = parse(&std::fs::read_to_string(data("dsr_esp2013_expected.csv")).unwrap());
    for (subset, conf, extra) in [
        ("all_ages", "0.95", vec![]),
        ("65+", "0.998", vec!["--ages-from", "65"]),
    ] {
        let mut args = vec![
            "stat",
            "dsr",
            "--input",
            input.to_str().unwrap(),
            "--count",
            "count",
            "--population",
            "population",
            "--age-band",
            "age_band",
            "--by",
            "area",
            "--confidence",
            conf,
        ];
        args.extend(extra);
        let got = parse(&samsyn(&args));
        assert_eq!(got.len(), 6);
        for row in &got {
            let want = expected
                .iter()
                .find(|e| {
                    e["area"] == row["area"] && e["age_subset"] == subset && e["confidence"] == conf
                })
                .unwrap();
            let what = format!("{} {subset} {conf}", row["area"]);
            close(&row["numerator"], &want["total_count"], &what);
            close(&row["denominator"], &want["total_pop"], &what);
            close(&row["value"], &want["value"], &what);
            close(&row["lower"], &want["lower"], &what);
            close(&row["upper"], &want["upper"], &what);
            assert_eq!(row["note"], want["note"]);
            let standard = if subset == "65+" {
                "ESP2013 ages 65+"
            } else {
                "ESP2013"
            };
            assert_eq!(row["standard"], standard);
        }
    }
}

#[test]
fn dsr_with_a_standard_from_a_file_equals_esp2013_given_as_a_table() {
    let dir = scratch("standard");
    let mut table = String::from("Åldersgrupp;Befolkning\n");
    for row in parse(&std::fs::read_to_string(data("dsr_esp2013_inputs.csv")).unwrap()) {
        if row["area"] == "2480" {
            table.push_str(&format!("{};{}\n", row["age_band"], row["esp2013"]));
        }
    }
    let standard = write(&dir, "my_esp.csv", &table);
    let input = data("dsr_esp2013_inputs.csv");
    let args = |std: &str| {
        samsyn(&[
            "stat",
            "dsr",
            "--input",
            input.to_str().unwrap(),
            "--count",
            "count",
            "--population",
            "population",
            "--age-band",
            "age_band",
            "--by",
            "area",
            "--standard",
            std,
        ])
    };
    let from_file = args(standard.to_str().unwrap());
    let built_in = args("esp2013");
    assert_eq!(from_file.replace(",my_esp\n", ",ESP2013\n"), built_in);
}

#[test]
fn crude_rates_summed_over_rows_in_a_swedish_file() {
    // falls_65plus_2480 (698 of 23 410) split over two rows, and three_events_deso; semicolons
    // and decimal commas as Swedish Excel writes them.
    let dir = scratch("rate");
    let input = write(
        &dir,
        "falls.csv",
        "fall;kommun;antal;befolkning\nA;2480;400;13 000\nA;2480;298;10 410\nB;2480C1010;3;1846,0\n",
    );
    let out = dir.join("out.csv");
    let stdout = samsyn(&[
        "stat",
        "rate",
        "--input",
        input.to_str().unwrap(),
        "--count",
        "antal",
        "--population",
        "befolkning",
        "--by",
        "fall,kommun",
        "--per",
        "100000",
        "--out",
        out.to_str().unwrap(),
        // The reference case has 3 events; the vectors are what is tested here.
        "--no-disclosure-control",
    ]);
    assert!(stdout.is_empty());
    let got = parse(&std::fs::read_to_string(&out).unwrap());
    let expected = parse(&std::fs::read_to_string(data("crude_rates.csv")).unwrap());
    for (row, case) in got.iter().zip(["falls_65plus_2480", "three_events_deso"]) {
        let want = expected
            .iter()
            .find(|e| e["case"] == case && e["confidence"] == "0.95")
            .unwrap();
        close(&row["numerator"], &want["count"], case);
        close(&row["denominator"], &want["population"], case);
        close(&row["value"], &want["value"], case);
        close(&row["lower"], &want["lower"], case);
        close(&row["upper"], &want["upper"], case);
    }
    assert_eq!(got[0]["kommun"], "2480");
}

/// Runs samsyn, which must succeed; gives standard output and standard error.
fn samsyn_with_stderr(args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "samsyn {args:?} failed: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

const PRIMARY: &str = "suppressed: a count below the disclosure threshold of 5";
const COMPLEMENT: &str = "suppressed: complementary to a masked row of its group that the total would give away (threshold 5)";
const NOT_PROTECTED: &str =
    "NOT PROTECTED: small counts are shown (--no-disclosure-control); do not publish";

#[test]
fn proportions_with_the_disclosure_threshold() {
    let dir = scratch("proportion");
    let input = write(
        &dir,
        "npe.csv",
        "vc,positiva,svar\nVC1,60,90\nVC1,5,10\nVC2,3,40\nVC3,10,50\n",
    );
    // The default floor is 5: VC2 (3 of 40) is masked, and VC3, the smallest other non-zero
    // count, with it, so that VC2 is not the county's total minus VC1 and VC3.
    let got = parse(&samsyn(&[
        "stat",
        "proportion",
        "--input",
        input.to_str().unwrap(),
        "--numerator",
        "positiva",
        "--denominator",
        "svar",
        "--by",
        "vc",
        "--confidence",
        "0.998",
    ]));
    let wilson = parse(&std::fs::read_to_string(data("wilson_proportions.csv")).unwrap());
    let want = wilson
        .iter()
        .find(|w| {
            w["case"] == "sixtyfive_of_hundred"
                && w["confidence"] == "0.998"
                && w["multiplier"] == "1"
        })
        .unwrap();
    close(&got[0]["value"], &want["value"], "VC1");
    close(&got[0]["lower"], &want["lower"], "VC1");
    close(&got[0]["upper"], &want["upper"], "VC1");
    for (row, note) in [(1, PRIMARY), (2, COMPLEMENT)] {
        let r = &got[row];
        assert_eq!(
            [
                &r["numerator"],
                &r["denominator"],
                &r["value"],
                &r["lower"],
                &r["upper"],
                &r["note"]
            ]
            .map(String::as_str),
            ["", "", "", "", "", note],
            "{}",
            r["vc"]
        );
    }
}

/// Every numerator and denominator of a `samsyn stat` CSV, as numbers.
fn counts_of(rows: &[HashMap<String, String>]) -> Vec<f64> {
    rows.iter()
        .flat_map(|r| [&r["numerator"], &r["denominator"]])
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().unwrap())
        .collect()
}

#[test]
fn issue_10_no_count_below_the_floor_leaves_samsyn_stat() {
    // 4 kommuner × 2 sexes with counts 0–12 and populations 3–40 (seeded arithmetic).
    let dir = scratch("floor");
    let mut text = String::from("kommun,kon,antal,befolkning\n");
    for (i, k) in ["2480", "2481", "2482", "2483"].iter().enumerate() {
        for (j, sex) in ["K", "M"].iter().enumerate() {
            let n = (i * 7 + j * 5) % 13;
            let pop = 3 + (i * 11 + j * 17) % 38;
            text.push_str(&format!("{k},{sex},{n},{pop}\n"));
        }
    }
    let input = write(&dir, "small.csv", &text);
    let input = input.to_str().unwrap();
    let stat = |extra: &[&str]| {
        let mut args = vec![
            "stat",
            "rate",
            "--input",
            input,
            "--count",
            "antal",
            "--population",
            "befolkning",
            "--by",
            "kommun,kon",
        ];
        args.extend_from_slice(extra);
        samsyn_with_stderr(&args)
    };
    for floor in [5.0, 10.0] {
        let t = floor.to_string();
        let (out, stderr) = stat(&["--disclosure-threshold", &t]);
        assert_eq!(stderr, "");
        let rows = parse(&out);
        assert_eq!(rows.len(), 8);
        let leaked: Vec<f64> = counts_of(&rows)
            .into_iter()
            .filter(|&c| c >= 1.0 && c < floor)
            .collect();
        assert_eq!(leaked, Vec::<f64>::new(), "floor {floor}:\n{out}");
        assert!(!out.contains("protection"));
    }
    // The deprecated --suppress-below can raise the floor, not lower it.
    let (raised, stderr) = stat(&["--suppress-below", "10"]);
    assert_eq!(
        stderr,
        "samsyn: warning: --suppress-below is deprecated; use --disclosure-threshold 10\n"
    );
    assert_eq!(raised, stat(&["--disclosure-threshold", "10"]).0);
    let (kept, stderr) = stat(&["--suppress-below", "2"]);
    assert_eq!(
        stderr,
        "samsyn: warning: --suppress-below is deprecated (use --disclosure-threshold) and can only raise the floor; 2 is not above 5, so the floor stays 5\n"
    );
    assert_eq!(kept, stat(&[]).0);
    // Turned off, every count is shown, and every row says the file is not protected.
    let (out, stderr) = stat(&["--no-disclosure-control"]);
    assert_eq!(
        stderr,
        "samsyn: warning: --no-disclosure-control: counts below 5 are shown; the output is not protected, and every row says so in its column 'protection'\n"
    );
    let rows = parse(&out);
    assert!(counts_of(&rows).iter().any(|c| (1.0..5.0).contains(c)));
    assert!(
        rows.iter().all(|r| r["protection"] == NOT_PROTECTED),
        "{out}"
    );
}

#[test]
fn issue_10_a_floor_below_one_is_refused() {
    let input = data("dsr_esp2013_inputs.csv");
    for (t, shown) in [("0", "0"), ("0.5", "0.5"), ("-3", "-3"), ("NaN", "NaN")] {
        let out = Command::cargo_bin("samsyn")
            .unwrap()
            .args([
                "stat",
                "rate",
                "--input",
                input.to_str().unwrap(),
                "--count",
                "count",
                "--population",
                "population",
                "--disclosure-threshold",
                t,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("samsyn: --disclosure-threshold {shown}: the threshold must be at least 1 (counts from 1 to N − 1 are hidden); to show every count, say --no-disclosure-control instead\n")
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn isr_against_a_reference_file() {
    let input = data("dsr_esp2013_inputs.csv");
    let reference = data("isr_reference.csv");
    let got = parse(&samsyn(&[
        "stat",
        "isr",
        "--input",
        input.to_str().unwrap(),
        "--count",
        "count",
        "--population",
        "population",
        "--age-band",
        "age_band",
        "--by",
        "area",
        "--reference",
        reference.to_str().unwrap(),
        "--no-disclosure-control",
    ]));
    let expected = parse(&std::fs::read_to_string(data("isr_expected.csv")).unwrap());
    assert_eq!(got.len(), 6);
    for row in &got {
        let want = expected
            .iter()
            .find(|e| e["area"] == row["area"] && e["confidence"] == "0.95")
            .unwrap();
        let what = &row["area"];
        close(&row["numerator"], &want["observed"], what);
        close(&row["denominator"], &want["expected"], what);
        close(&row["value"], &want["ratio"], what);
        close(&row["lower"], &want["ratio_lower"], what);
        close(&row["upper"], &want["ratio_upper"], what);
    }
}

#[test]
fn mismatched_bands_and_missing_columns_are_clear_errors() {
    let dir = scratch("errors");
    let input = write(&dir, "bands.csv", "band,n,pop\n0-64,5,100\n65-74,3,50\n");
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .args([
            "stat",
            "dsr",
            "--input",
            input.to_str().unwrap(),
            "--count",
            "n",
            "--population",
            "pop",
            "--age-band",
            "band",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the age bands do not match the standard population 'ESP2013': missing from the data: 0-4, 5-9")
            && stderr.contains("not in the standard: 0-64, 65-74"),
        "{stderr}"
    );
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .args([
            "stat",
            "rate",
            "--input",
            input.to_str().unwrap(),
            "--count",
            "antal",
            "--population",
            "pop",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "samsyn: bands.csv: no column for the numerator/count column 'antal'; the columns are band, n, pop. Rename the column in the file, or name one of these instead.\n"
    );
}

#[test]
fn bad_rows_are_reported_on_stderr_and_skipped() {
    let dir = scratch("bad_rows");
    let input = write(&dir, "r.csv", "k,antal,pop\nA,1,100\nA,x,100\nA,2,0\n");
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .args([
            "stat",
            "rate",
            "--input",
            input.to_str().unwrap(),
            "--count",
            "antal",
            "--population",
            "pop",
            "--by",
            "k",
            // Counts of 1 and more are shown: the rows, not the floor, are tested here.
            "--disclosure-threshold",
            "1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "samsyn: 3 rows read, 1 skipped; 1 problems:\n  r.csv, row 3, column 'antal': 'x' is not a number; the row is skipped\n"
    );
    let got = parse(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        (got[0]["numerator"].as_str(), got[0]["denominator"].as_str()),
        ("3", "100")
    );
}

#[test]
fn issue_10_out_never_overwrites_the_input_nor_follows_a_link() {
    let dir = scratch("out_checks");
    let text = "k,antal,pop\nA,10,100\nB,20,200\n";
    let input = write(&dir, "in.csv", text);
    let run = |out: &Path| {
        let out = Command::cargo_bin("samsyn")
            .unwrap()
            .args(["stat", "rate", "--input", input.to_str().unwrap()])
            .args([
                "--count",
                "antal",
                "--population",
                "pop",
                "--by",
                "k",
                "--out",
            ])
            .arg(out)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The same file by another path.
    let detour = dir.join("sub/../in.csv");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    assert_eq!(
        run(&detour),
        (
            Some(2),
            format!(
                "samsyn: {}: is one of the input files; Samsyn does not overwrite its input. Choose another --out; nothing was written\n",
                detour.display()
            )
        )
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    #[cfg(unix)]
    {
        let victim = write(&dir, "victim.txt", "mine\n");
        let link = dir.join("link.csv");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert_eq!(
            run(&link),
            (
                Some(2),
                format!(
                    "samsyn: {}: is a symbolic link; Samsyn does not write through links. Remove it or choose another --out; nothing was written\n",
                    link.display()
                )
            )
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine\n");
    }
    // An ordinary file is replaced.
    let out = write(&dir, "out.csv", "old\n");
    assert_eq!(run(&out), (Some(0), String::new()));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("k,numerator,denominator,"));
}
