//! Hostile notebooks (issue 10): `tests/data/hostile/notebooks/<case>.json` each describe one
//! attack on `samsyn run` as a patch of `notebooks/falls.samsyn.json` (JSON pointer → value,
//! `-` appends) plus extra arguments, and its exact expected outcome: exit code, messages on
//! stderr, which files are written, what the report must and must not contain, and the
//! smallest count any exported CSV may show. One test walks the folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-hostile-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small county: two kommuner, two DeSO areas each, with counts from 1 upwards so that some
/// cells are small. Person ids look like `P100`, so a leak is easy to see.
fn write_data(dir: &Path) {
    let mut pop = String::from("year,deso,kommun,sex,age_band,population\n");
    let mut ev = String::from(
        "event_id,person_id,year,date,deso,kommun,vardcentral,sex,age,event_type,cause,value\n",
    );
    let areas = [
        ("2480C1010", "2480", "Tomtebo vårdcentral"),
        ("2480A0010", "2480", "Sävar hälsocentral"),
        ("2482C1010", "2482", "Anderstorps hälsocentral"),
        ("2482A0010", "2482", "Byske hälsocentral"),
    ];
    let mut id = 0u32;
    for (a, (deso, kommun, vc)) in areas.iter().enumerate() {
        for year in 2022..=2024u32 {
            for sex in ["K", "M"] {
                for band in 0..19u32 {
                    let label = if band == 18 {
                        "90+".to_owned()
                    } else {
                        format!("{}-{}", band * 5, band * 5 + 4)
                    };
                    let p = 40 + (band * 17 + a as u32 * 31 + year * 3) % 70;
                    pop.push_str(&format!("{year},{deso},{kommun},{sex},{label},{p}\n"));
                    if band < 13 {
                        continue;
                    }
                    let n = (band + a as u32 * 3 + year) % 9;
                    for j in 0..n {
                        for (t, v) in [
                            ("fall_injury", 1),
                            ("admission", 1),
                            ("assessed_within_3_days", u32::from(j % 3 != 0)),
                        ] {
                            id += 1;
                            ev.push_str(&format!(
                                "{id},P{},{year},{year}-0{}-10,{deso},{kommun},{vc},{sex},{},{t},fall,{v}\n",
                                100 + id % 40,
                                1 + id % 9,
                                band * 5 + 1
                            ));
                        }
                    }
                }
            }
        }
    }
    std::fs::write(dir.join("events.csv"), ev).unwrap();
    std::fs::write(dir.join("population.csv"), pop).unwrap();
}

/// Sets `pointer` to `value`; a last segment `-` appends to an array.
fn patch(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let target = doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{pointer}"));
    match (target, last) {
        (Value::Array(a), "-") => a.push(value),
        (Value::Array(a), i) => a[i.parse::<usize>().unwrap()] = value,
        (Value::Object(o), k) => {
            o.insert(k.to_owned(), value);
        }
        _ => panic!("{pointer}"),
    }
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every count in the `numerator` and `denominator` columns of a CSV written by `run`.
fn counts(csv: &str) -> Vec<f64> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let cols: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| matches!(**h, "numerator" | "denominator"))
        .map(|(i, _)| i)
        .collect();
    lines
        .flat_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            cols.iter()
                .filter_map(|&c| f.get(c).and_then(|v| v.parse::<f64>().ok()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn hostile_notebooks_have_their_exact_outcome() {
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("notebooks/falls.samsyn.json")).unwrap(),
    )
    .unwrap();
    let cases_dir = root().join("tests/data/hostile/notebooks");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "the hostile corpus is missing");
    for case_path in cases {
        let name = case_path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(&case_path).unwrap()).unwrap();
        let dir = scratch(&name);
        let data = dir.join("data");
        std::fs::create_dir_all(&data).unwrap();
        write_data(&data);
        for r in case["data_replace"].as_array().into_iter().flatten() {
            let path = data.join("events.csv");
            let text = std::fs::read_to_string(&path).unwrap();
            let (from, to) = (r[0].as_str().unwrap(), r[1].as_str().unwrap());
            // A field with a quote is written quoted, as a spreadsheet would.
            let to = if to.contains('"') {
                format!("\"{}\"", to.replace('"', "\"\""))
            } else {
                to.to_owned()
            };
            std::fs::write(&path, text.replace(from, &to)).unwrap();
        }
        let events_before = std::fs::read(data.join("events.csv")).unwrap();
        let out = dir.join("out");
        let mut nb = base.clone();
        for p in case["patch"].as_array().unwrap() {
            patch(&mut nb, p[0].as_str().unwrap(), p[1].clone());
        }
        let nb_path = dir.join("notebook.samsyn.json");
        std::fs::write(&nb_path, nb.to_string()).unwrap();
        let fill = |s: &str| {
            s.replace("{out}", &out.display().to_string())
                .replace("{data}", &data.display().to_string())
        };
        let args: Vec<String> = case["args"]
            .as_array()
            .map(|a| a.iter().map(|x| fill(x.as_str().unwrap())).collect())
            .unwrap_or_default();
        let out_dir = match args.iter().position(|a| a == "--out") {
            Some(i) => PathBuf::from(&args[i + 1]),
            None => out.clone(),
        };
        let before = files_in(&out_dir);
        let mut cmd = Command::cargo_bin("samsyn").unwrap();
        cmd.arg("run").arg(&nb_path);
        cmd.arg("--data")
            .arg(format!("events={}", data.join("events.csv").display()));
        cmd.arg("--data").arg(format!(
            "population={}",
            data.join("population.csv").display()
        ));
        if !args.iter().any(|a| a == "--out") {
            cmd.arg("--out").arg(&out);
        }
        cmd.args(&args);
        let output = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            case["exit"].as_i64().map(|c| c as i32),
            "{name}: {stderr}"
        );
        for want in case["stderr"].as_array().unwrap() {
            let want = fill(want.as_str().unwrap());
            assert!(
                stderr.contains(&want),
                "{name}: stderr lacks {want:?}:\n{stderr}"
            );
        }
        let written: BTreeSet<String> = files_in(&out_dir).difference(&before).cloned().collect();
        match &case["written"] {
            Value::Array(a) => {
                let want: BTreeSet<String> =
                    a.iter().map(|x| x.as_str().unwrap().to_owned()).collect();
                assert_eq!(written, want, "{name}: files written");
            }
            _ => {
                // "tables": the report and one CSV per table cell, named by its id.
                let mut want: BTreeSet<String> = nb["cells"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["type"] == "table")
                    .map(|c| format!("{}.csv", c["id"].as_str().unwrap()))
                    .collect();
                want.insert("report.html".into());
                assert_eq!(written, want, "{name}: files written");
            }
        }
        if case["data_unchanged"].as_bool() == Some(true) {
            assert_eq!(
                std::fs::read(data.join("events.csv")).unwrap(),
                events_before,
                "{name}: the input was changed"
            );
        }
        if let Some(floor) = case["counts_at_least"].as_f64() {
            let mut seen = 0;
            for f in &written {
                if f.ends_with(".csv") {
                    for n in counts(&std::fs::read_to_string(out_dir.join(f)).unwrap()) {
                        assert!(n == 0.0 || n >= floor, "{name}/{f}: the count {n} is shown");
                        seen += 1;
                    }
                }
            }
            assert!(seen > 0, "{name}: no counts were exported at all");
        }
        for c in case["csv"].as_array().into_iter().flatten() {
            let (file, want) = (c[0].as_str().unwrap(), c[1].as_str().unwrap());
            let text = std::fs::read_to_string(out_dir.join(file)).unwrap();
            assert!(text.contains(want), "{name}/{file} lacks {want:?}:\n{text}");
        }
        for c in case["csv_lacks"].as_array().into_iter().flatten() {
            let (file, bad) = (c[0].as_str().unwrap(), c[1].as_str().unwrap());
            let text = std::fs::read_to_string(out_dir.join(file)).unwrap();
            assert!(!text.contains(bad), "{name}/{file} contains {bad:?}");
        }
        // Two tables of indicators that differ by a condition: where both numerators are
        // shown, their difference is a count too, and never a small one.
        let mut compared = 0;
        let pairs = case["differences"].as_array().map_or(0, Vec::len);
        for pair in case["differences"].as_array().into_iter().flatten() {
            let read = |i: usize| {
                let text =
                    std::fs::read_to_string(out_dir.join(pair[i].as_str().unwrap())).unwrap();
                let mut lines = text.lines();
                let header: Vec<String> = lines
                    .next()
                    .unwrap()
                    .split(',')
                    .map(str::to_owned)
                    .collect();
                let num = header.iter().position(|h| h == "numerator").unwrap();
                lines
                    .map(|l| {
                        let f: Vec<&str> = l.split(',').collect();
                        (f[..num].join(","), f[num].parse::<f64>().ok())
                    })
                    .collect::<std::collections::HashMap<_, _>>()
            };
            let (all, sub) = (read(0), read(1));
            for (unit, a) in &all {
                if let (Some(a), Some(Some(b))) = (a, sub.get(unit)) {
                    let d = a - b;
                    assert!(
                        d == 0.0 || d >= 5.0,
                        "{name}: {unit} differs by {d} between {pair:?}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(
            pairs == 0 || compared > 0,
            "{name}: no shown pair of rows to compare"
        );
        let report = std::fs::read_to_string(out_dir.join("report.html")).unwrap_or_default();
        for want in case["report"].as_array().into_iter().flatten() {
            let want = want.as_str().unwrap();
            assert!(report.contains(want), "{name}: the report lacks {want:?}");
        }
        for bad in case["report_lacks"].as_array().into_iter().flatten() {
            let bad = bad.as_str().unwrap();
            assert!(
                !report.to_lowercase().contains(&bad.to_lowercase()),
                "{name}: the report contains {bad:?}"
            );
        }
    }
}

#[test]
fn a_symbolic_link_in_the_output_folder_is_never_written_through() {
    let dir = scratch("symlink");
    write_data(&dir);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("report.html")).unwrap();
    let output = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("run")
        .arg(root().join("notebooks/falls.samsyn.json"))
        .arg("--data")
        .arg(format!("events={}", dir.join("events.csv").display()))
        .arg("--data")
        .arg(format!(
            "population={}",
            dir.join("population.csv").display()
        ))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("report.html: is a symbolic link; samsyn does not write through links"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

#[test]
fn limits_are_checked_before_the_work() {
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("notebooks/falls.samsyn.json")).unwrap(),
    )
    .unwrap();
    let dir = scratch("limits");
    write_data(&dir);
    let run = |nb: &Value| {
        let path = dir.join("nb.samsyn.json");
        std::fs::write(&path, nb.to_string()).unwrap();
        let o = Command::cargo_bin("samsyn")
            .unwrap()
            .arg("run")
            .arg(&path)
            .arg("--data")
            .arg(format!("events={}", dir.join("events.csv").display()))
            .arg("--data")
            .arg(format!(
                "population={}",
                dir.join("population.csv").display()
            ))
            .arg("--out")
            .arg(dir.join("out"))
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    // Substitution that would grow past its bound: 100 000 uses of a 1 000-character value.
    let mut nb = base.clone();
    patch(
        &mut nb,
        "/cells/1/parameters/-",
        serde_json::json!({"name": "big", "default": "x".repeat(1000)}),
    );
    patch(
        &mut nb,
        "/cells/0/markdown",
        Value::String("$big ".repeat(50_000)),
    );
    let (code, err) = run(&nb);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("with its parameters substituted the notebook would be larger than 16 MB"),
        "{err}"
    );
    // Too many cells.
    let mut nb = base.clone();
    for i in 0..500 {
        patch(
            &mut nb,
            "/cells/-",
            serde_json::json!({"type": "text", "id": format!("x{i}"), "markdown": "."}),
        );
    }
    let (code, err) = run(&nb);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("The notebook is too large: the number of cells is 526, and at most 500 is allowed. Split the analysis into several notebooks."),
        "{err}"
    );
    // A file over 4 MB.
    let mut nb = base.clone();
    patch(&mut nb, "/description", Value::String("y".repeat(5 << 20)));
    let (code, err) = run(&nb);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("The notebook is too large: the file (bytes) is"),
        "{err}"
    );
}
