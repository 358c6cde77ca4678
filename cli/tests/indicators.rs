//! `samsyn indicators` end to end on a small dataset generated here (seeded, shaped like
//! `sample-data/`), with the realistic spec `tests/data/indicators/sample_spec.json`: the files
//! are written, and the county's numerators equal the sums over kommuner, DeSO areas and health
//! centres for every indicator and year.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use samsyn_core::export::UNIT_ROW_COLUMNS;

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-cli-ind-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

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
        .filter(|l| !l.is_empty())
        .map(|l| header.iter().cloned().zip(split(l)).collect())
        .collect()
}

/// A seeded dataset: 3 kommuner × 2 DeSO, 2 health centres per kommun, 2021–2023.
fn generate(dir: &Path) {
    let mut seed: u64 = 42;
    let mut rand = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let desos = [
        "2480C1010",
        "2480C1020",
        "2481A0010",
        "2481B2010",
        "2422A0010",
        "2422A0020",
    ];
    let bands = [
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
    ];
    let mut pop = String::from("year,deso,kommun,sex,age_band,population\n");
    let mut areas = String::from("deso,kommun,vardcentral\n");
    let mut ev = String::from(
        "event_id,person_id,year,date,deso,kommun,vardcentral,sex,age,event_type,cause,value\n",
    );
    let mut id = 0;
    for (i, d) in desos.iter().enumerate() {
        let k = &d[..4];
        let vc = format!("HC {k}-{}", i % 2);
        areas.push_str(&format!("{d},{k},{vc}\n"));
        for year in 2021..=2023 {
            for sex in ["K", "M"] {
                for (b, band) in bands.iter().enumerate() {
                    let n = 20 + rand(60);
                    pop.push_str(&format!("{year},{d},{k},{sex},{band},{n}\n"));
                    let age = b as u64 * 5 + rand(5);
                    let rate = if b >= 13 { 8 } else { 1 };
                    for t in [
                        "fall_injury",
                        "admission",
                        "avoidable_admission",
                        "home_visit",
                    ] {
                        for _ in 0..rand(rate + 1) {
                            id += 1;
                            let cause = match t {
                                "admission" => ["fall", "stroke"][rand(2) as usize],
                                "home_visit" => ["doctor", "nurse"][rand(2) as usize],
                                _ => "home",
                            };
                            let month = 1 + rand(12);
                            // Some persons are listed at the other centre of their kommun.
                            let listed = if rand(8) == 0 {
                                format!("HC {k}-{}", (i + 1) % 2)
                            } else {
                                vc.clone()
                            };
                            ev.push_str(&format!(
                                "{id},{id},{year},{year}-{month:02}-15,{d},{k},{listed},{sex},{age},{t},{cause},1\n"
                            ));
                        }
                    }
                    for _ in 0..rand(4) {
                        id += 1;
                        let v = u64::from(rand(10) < 8);
                        ev.push_str(&format!(
                            "{id},{id},{year},{year}-03-10,{d},{k},{vc},{sex},{age},assessed_within_3_days,phone,{v}\n"
                        ));
                    }
                }
            }
        }
    }
    std::fs::write(dir.join("population.csv"), pop).unwrap();
    std::fs::write(dir.join("areas.csv"), areas).unwrap();
    std::fs::write(dir.join("events.csv"), ev).unwrap();
}

#[test]
fn sample_spec_runs_and_every_level_adds_up_to_the_county() {
    let dir = scratch("sample");
    generate(&dir);
    let out = dir.join("out");
    let spec =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/indicators/sample_spec.json");
    let data = |n: &str, f: &str| format!("{n}={}", dir.join(f).display());
    Command::cargo_bin("samsyn")
        .unwrap()
        .arg("indicators")
        .arg(&spec)
        .args(["--data", &data("events", "events.csv")])
        .args(["--data", &data("requests", "events.csv")])
        .args(["--data", &data("population", "population.csv")])
        .args(["--data", &data("areas", "areas.csv")])
        .args([
            "--level",
            "lan,year",
            "--level",
            "kommun,year",
            "--level",
            "deso,year",
            "--level",
            "provider,year",
        ])
        .arg("--out")
        .arg(&out)
        // The sums are what is tested here; masked rows would leave gaps in them.
        .arg("--no-disclosure-control")
        .assert()
        .success();
    let ids = [
        "fall_injuries_65_dsr",
        "fall_admissions_80",
        "assessed_within_3_days",
        "avoidable_admissions_65",
        "doctor_home_visits_65",
    ];
    for id in ids {
        let read = |level: &str| {
            parse(&std::fs::read_to_string(out.join(format!("{id}__{level}.csv"))).unwrap())
        };
        let county = read("lan_year");
        assert_eq!(county.len(), 3, "{id}: one county row a year");
        for c in &county {
            let year = &c["year"];
            let want: f64 = c["numerator"].parse().unwrap();
            let want_den: f64 = c["denominator"].parse().unwrap();
            assert!(want > 0.0, "{id} {year}");
            for level in ["kommun_year", "deso_year", "provider_year"] {
                let rows = read(level);
                let (num, den) =
                    rows.iter()
                        .filter(|r| &r["year"] == year)
                        .fold((0.0, 0.0), |(a, b), r| {
                            (
                                a + r["numerator"].parse::<f64>().unwrap(),
                                b + r["denominator"].parse::<f64>().unwrap(),
                            )
                        });
                assert!(
                    (num - want).abs() < 1e-9,
                    "{id} {level} {year}: {num} vs {want}"
                );
                assert!(
                    (den - want_den).abs() < 1e-6 * want_den.max(1.0),
                    "{id} {level} {year}: {den} vs {want_den}"
                );
                for r in &rows {
                    assert!(
                        ["green", "yellow", "red", "not classified"].contains(&r["light"].as_str()),
                        "{r:?}"
                    );
                    assert!(!r["reason"].is_empty(), "{r:?}");
                }
            }
        }
    }
    let rollup = parse(&std::fs::read_to_string(out.join("rollup.csv")).unwrap());
    assert!(!rollup.is_empty());
    for r in &rollup {
        assert!(
            [
                "övervägande röd",
                "övervägande gul",
                "övervägande grön",
                "blandat",
                "ingen bedömning"
            ]
            .contains(&r["verdict"].as_str()),
            "{r:?}"
        );
        assert_ne!(r["level"], "lan_year", "the county alone is not read out");
    }
    // Every DeSO has a population: the hierarchy check has nothing to say.
    let hierarchy = std::fs::read_to_string(out.join("hierarchy.csv")).unwrap();
    assert_eq!(hierarchy, "indicator,level,message,protection\n");
    assert!(out.join("units.csv").exists());
}

#[test]
fn a_missing_data_file_is_named() {
    let spec =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/indicators/sample_spec.json");
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("indicators")
        .arg(&spec)
        .args(["--data", "events=nowhere.csv"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("nowhere.csv"), "{stderr}");
}

fn sample_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/indicators/sample_spec.json")
}

/// `samsyn indicators` on the generated data in `dir` with `spec`, `extra` arguments and the
/// data files; gives (exit code, stderr).
fn indicators(dir: &Path, spec: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let areas = dir.join("areas.csv");
    indicators_with_areas(dir, spec, &areas, extra)
}

/// The same with the areas mapping file given as `areas`.
fn indicators_with_areas(
    dir: &Path,
    spec: &Path,
    areas: &Path,
    extra: &[&str],
) -> (Option<i32>, String) {
    let data = |n: &str, f: &str| format!("{n}={}", dir.join(f).display());
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("indicators")
        .arg(spec)
        .args(["--data", &data("events", "events.csv")])
        .args(["--data", &data("requests", "events.csv")])
        .args(["--data", &data("population", "population.csv")])
        .args(["--data", &format!("areas={}", areas.display())])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every CSV file in `out` with its rows.
fn read_all(out: &Path) -> Vec<(String, Vec<HashMap<String, String>>)> {
    let mut files: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, parse(&std::fs::read_to_string(&p).unwrap()))
        })
        .collect()
}

const NOT_PROTECTED: &str =
    "NOT PROTECTED: small counts are shown (--no-disclosure-control); do not publish";

#[test]
fn issue_10_no_count_below_the_floor_leaves_samsyn_indicators() {
    let dir = scratch("floor");
    generate(&dir);
    // DeSO × sex × year and kommun × month (spc.csv) have many counts of 1–4.
    let levels = ["--level", "deso,sex,year", "--level", "kommun,month"];
    let small = |c: f64, floor: f64| c >= 1.0 && c < floor;
    for (floor, flag) in [(5.0, None), (10.0, Some("10"))] {
        let out = dir.join(format!("out{floor}"));
        let mut args = levels.to_vec();
        args.extend(["--out", out.to_str().unwrap()]);
        if let Some(f) = flag {
            args.extend(["--disclosure-threshold", f]);
        }
        let (code, stderr) = indicators(&dir, &sample_spec(), &args);
        assert_eq!(code, Some(0), "{stderr}");
        let (mut checked, mut masked) = (0, 0);
        for (name, rows) in read_all(&out) {
            for r in &rows {
                assert!(!r.contains_key("protection"), "{name}");
                for col in ["numerator", "denominator"] {
                    let Some(v) = r.get(col) else { continue };
                    checked += 1;
                    if v.is_empty() {
                        masked += 1;
                        continue;
                    }
                    let c: f64 = v.parse().unwrap();
                    assert!(!small(c, floor), "{name}: {col} {c} below {floor}: {r:?}");
                }
            }
        }
        assert!(checked > 1000 && masked > 100, "{checked} {masked}");
        // Nothing gives a masked count back: not the next year's change (value − change), nor a
        // control chart's centre line (Σx / Σn over the series) or limits.
        let table = parse(
            &std::fs::read_to_string(out.join("fall_admissions_80__deso_sex_year.csv")).unwrap(),
        );
        let masked_at = |r: &HashMap<String, String>, year: i32| {
            table.iter().any(|p| {
                p["deso"] == r["deso"]
                    && p["sex"] == r["sex"]
                    && p["year"] == year.to_string()
                    && p["numerator"].is_empty()
            })
        };
        let mut after_masked = 0;
        for r in &table {
            let year: i32 = r["year"].parse().unwrap();
            if masked_at(r, year - 1) {
                after_masked += 1;
                assert_eq!(
                    (r["change"].as_str(), r["change_z"].as_str()),
                    ("", ""),
                    "{r:?}"
                );
            }
        }
        assert!(after_masked > 0);
        let spc = parse(&std::fs::read_to_string(out.join("spc.csv")).unwrap());
        let series_masked = |r: &HashMap<String, String>| {
            spc.iter().any(|p| {
                p["indicator"] == r["indicator"]
                    && p["unit"] == r["unit"]
                    && p["numerator"].is_empty()
            })
        };
        let mut hidden = 0;
        for r in &spc {
            if series_masked(r) {
                hidden += 1;
                assert_eq!(
                    [&r["centre"], &r["lower"], &r["upper"]].map(String::as_str),
                    ["", "", ""],
                    "{r:?}"
                );
            }
        }
        assert!(hidden > 0);
    }
    let out = dir.join("open");
    let mut args = levels.to_vec();
    args.extend(["--out", out.to_str().unwrap(), "--no-disclosure-control"]);
    let (code, stderr) = indicators(&dir, &sample_spec(), &args);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.starts_with("samsyn: warning: --no-disclosure-control: counts below 5 are shown; the output is not protected, and every row says so in its column 'protection'\n"),
        "{stderr}"
    );
    let mut shown = 0;
    for (name, rows) in read_all(&out) {
        for r in &rows {
            assert_eq!(r["protection"], NOT_PROTECTED, "{name}");
            shown += ["numerator", "denominator"]
                .iter()
                .filter_map(|c| r.get(*c))
                .filter(|v| small(v.parse().unwrap_or(0.0), 5.0))
                .count();
        }
    }
    assert!(shown > 100, "{shown}");
}

#[test]
fn issue_10_an_indicator_id_never_names_a_file_outside_out() {
    let dir = scratch("ids");
    generate(&dir);
    let text = std::fs::read_to_string(sample_spec()).unwrap();
    let allowed = "may hold only the letters A–Z and a–z, digits, '_' and '-'";
    let outside = dir.join("x");
    for (id, bad) in [("../events", '.'), (outside.to_str().unwrap(), '/')] {
        let spec = dir.join("spec.json");
        std::fs::write(
            &spec,
            text.replace(
                "\"id\": \"fall_admissions_80\"",
                &format!("\"id\": \"{id}\""),
            ),
        )
        .unwrap();
        let out = dir.join("out");
        let (code, stderr) = indicators(&dir, &spec, &["--out", out.to_str().unwrap()]);
        assert_eq!(code, Some(2));
        assert_eq!(
            stderr,
            format!("samsyn: indicator '{id}': id: '{bad}' is not allowed; an id names files, so it {allowed}\n")
        );
        assert!(!out.exists());
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["areas.csv", "events.csv", "population.csv", "spec.json"]
    );
    assert!(!dir.parent().unwrap().join("events__lan_year.csv").exists());
}

#[cfg(unix)]
#[test]
fn issue_10_a_symbolic_link_in_out_is_never_followed() {
    let dir = scratch("symlink");
    generate(&dir);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "mine\n").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("rollup.csv")).unwrap();
    let (code, stderr) = indicators(&dir, &sample_spec(), &["--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!(
            "samsyn: {}: is a symbolic link; Samsyn does not write through links. Remove it or choose another --out; nothing was written\n",
            out.join("rollup.csv").display()
        )
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine\n");
    // Nothing else was written either: every target is checked first.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn issue_10_an_input_file_is_never_overwritten() {
    let dir = scratch("input");
    generate(&dir);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // The areas mapping file lies in --out under the name of an output.
    let areas = std::fs::read_to_string(dir.join("areas.csv")).unwrap();
    std::fs::write(out.join("units.csv"), &areas).unwrap();
    // Given through a detour, so only canonical paths can see it is the same file.
    let detour = PathBuf::from(format!("{}/../out/units.csv", out.display()));
    let (code, stderr) = indicators_with_areas(
        &dir,
        &sample_spec(),
        &detour,
        &["--out", out.to_str().unwrap()],
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!(
            "samsyn: {}: is one of the input files; Samsyn does not overwrite its input. Choose another --out; nothing was written\n",
            out.join("units.csv").display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(out.join("units.csv")).unwrap(),
        areas
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

/// Every file in `out` as (name, bytes), sorted.
fn files_of(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn issue_11_a_spec_saved_as_a_notebook_gives_the_same_files() {
    let dir = scratch("convert");
    generate(&dir);
    let nb = dir.join("sample.samsyn.json");
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("convert")
        .arg(sample_spec())
        .arg("--out")
        .arg(&nb)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&nb).unwrap();
    assert!(text.contains("\"format\": \"samsyn-notebook\""), "{text}");
    let levels = ["--level", "deso,sex,year", "--level", "kommun,month"];
    let run = |file: &Path, to: &str| {
        let o = dir.join(to);
        let mut args = levels.to_vec();
        args.extend(["--out", o.to_str().unwrap()]);
        let (code, stderr) = indicators(&dir, file, &args);
        assert_eq!(code, Some(0), "{stderr}");
        (files_of(&o), stderr)
    };
    let (from_spec, spec_stderr) = run(&sample_spec(), "out-spec");
    let (from_nb, nb_stderr) = run(&nb, "out-nb");
    assert!(from_spec.len() > 4, "{:?}", from_spec.len());
    assert_eq!(
        from_spec, from_nb,
        "the notebook and its spec write different files"
    );
    let note = format!(
        "samsyn: note: {} was converted from an indicator spec; save it as a notebook with `samsyn convert {} --out NAME.samsyn.json`\n",
        sample_spec().display(),
        sample_spec().display()
    );
    assert!(spec_stderr.ends_with(&note), "{spec_stderr}");
    assert!(!nb_stderr.contains("converted"), "{nb_stderr}");
    // Converting a notebook, or over the spec itself, is refused and writes nothing.
    let again = Command::cargo_bin("samsyn")
        .unwrap()
        .args(["convert", nb.to_str().unwrap(), "--out"])
        .arg(dir.join("again.json"))
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        format!(
            "samsyn: {}: is already a notebook; there is nothing to convert\n",
            nb.display()
        )
    );
    assert!(!dir.join("again.json").exists());
}

#[test]
fn issue_11_without_levels_a_notebook_gives_the_levels_of_its_cells() {
    let dir = scratch("nb-levels");
    generate(&dir);
    // A notebook asking for the DeSO areas by year: its county comes along.
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_spec()).unwrap()).unwrap();
    let mut cells = vec![];
    for (name, keys) in spec["sources"].as_object().unwrap() {
        cells.push(serde_json::json!({"type": "data", "id": name, "name": name, "keys": keys}));
    }
    cells.push(serde_json::json!({
        "type": "indicators", "id": "ind", "indicators": spec["indicators"],
        "mappings": spec["mappings"], "age_groups": spec["age_groups"],
    }));
    let first = spec["indicators"][0]["id"].as_str().unwrap();
    cells.push(
        serde_json::json!({"type": "table", "id": "t", "indicator": first, "level": "deso,year"}),
    );
    let nb = dir.join("nb.samsyn.json");
    std::fs::write(
        &nb,
        serde_json::json!({"format": "samsyn-notebook", "version": 1, "title": "t", "cells": cells})
            .to_string(),
    )
    .unwrap();
    let o = dir.join("out");
    let (code, stderr) = indicators(&dir, &nb, &["--out", o.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let names: Vec<String> = files_of(&o).into_iter().map(|(n, _)| n).collect();
    let n = spec["indicators"].as_array().unwrap().len();
    assert_eq!(
        names
            .iter()
            .filter(|f| f.ends_with("__lan_year.csv"))
            .count(),
        n,
        "{names:?}"
    );
    assert_eq!(
        names
            .iter()
            .filter(|f| f.ends_with("__deso_year.csv"))
            .count(),
        n,
        "{names:?}"
    );
    assert!(
        !names.iter().any(|f| f.ends_with("__kommun_year.csv")),
        "{names:?}"
    );
}

#[test]
fn issue_11_the_example_analysis_notebook_gives_the_numbers_of_its_spec() {
    let dir = scratch("example-analysis");
    generate(&dir);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let run = |file: &Path, to: &str| {
        let o = dir.join(to);
        let (code, stderr) = indicators(&dir, file, &["--out", o.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{stderr}");
        files_of(&o)
    };
    let spec = run(
        &root.join("notebooks/specs/elderly-and-access.json"),
        "out-spec",
    );
    let nb = run(
        &root.join("notebooks/elderly_and_access.samsyn.json"),
        "out-nb",
    );
    assert!(spec.len() > 10, "{}", spec.len());
    assert_eq!(spec, nb);
}

#[test]
fn language_en_words_reasons_notes_and_verdicts_in_english_with_the_same_numbers() {
    let dir = scratch("language");
    generate(&dir);
    let levels = ["--level", "kommun,year", "--level", "deso,sex,year"];
    let run = |lang: &str| {
        let out = dir.join(lang);
        let mut args = levels.to_vec();
        args.extend(["--out", out.to_str().unwrap(), "--language", lang]);
        let (code, stderr) = indicators(&dir, &sample_spec(), &args);
        assert_eq!(code, Some(0), "{stderr}");
        read_all(&out)
    };
    let (sv, en) = (run("sv"), run("en"));
    assert_eq!(sv.len(), en.len());
    let words = |files: &[(String, Vec<HashMap<String, String>>)], column: &str| -> String {
        files
            .iter()
            .flat_map(|(_, rows)| rows.iter().filter_map(|r| r.get(column).cloned()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for ((name, sv_rows), (en_name, en_rows)) in sv.iter().zip(&en) {
        assert_eq!(name, en_name);
        assert_eq!(sv_rows.len(), en_rows.len(), "{name}");
        // The numbers and lights are the same; only the words change.
        for (a, b) in sv_rows.iter().zip(en_rows) {
            for column in UNIT_ROW_COLUMNS.iter().filter(|c| **c != "reason") {
                assert_eq!(a.get(*column), b.get(*column), "{name}: {column}");
            }
        }
    }
    let (sv_reasons, en_reasons) = (words(&sv, "reason"), words(&en, "reason"));
    assert!(sv_reasons.contains("Visas inte (röjandeskydd, tröskel 5)"));
    assert!(en_reasons.contains("Not shown (disclosure control, threshold 5)"));
    assert!(words(&sv, "note").contains("dold (röjandeskydd, tröskel 5)"));
    assert!(words(&en, "note").contains("suppressed (disclosure control, threshold 5)"));
    // No Swedish letter is left in what Samsyn wrote in English (the units are codes here).
    for text in [
        &en_reasons,
        &words(&en, "note"),
        &words(&en, "verdict"),
        &words(&en, "text"),
    ] {
        assert!(
            !text.contains(['å', 'ä', 'ö']),
            "{}",
            &text[..text.len().min(400)]
        );
    }
    assert_ne!(words(&sv, "verdict"), words(&en, "verdict"));
}
