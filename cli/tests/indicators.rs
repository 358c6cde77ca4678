//! `samsyn indicators` end to end on a small dataset generated here (seeded, shaped like
//! `sample-data/`), with the realistic spec `tests/data/indicators/sample_spec.json`: the files
//! are written, and the county's numerators equal the sums over kommuner, DeSO areas and health
//! centres for every indicator and year.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

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
    assert_eq!(hierarchy, "indicator,level,message\n");
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
