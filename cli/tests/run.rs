//! `samsyn run` end to end: every example notebook in `notebooks/` runs on a small dataset with
//! the sample data's columns (written here), writes `report.html` and its tables' CSV files,
//! and `--param kommun=…` gives each kommun its own report from the same notebook.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samsyn-cli-run-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const DESOS: [(&str, &str, &str); 4] = [
    ("2480C1010", "2480", "Tomtebo vårdcentral"),
    ("2480A0010", "2480", "Sävar hälsocentral"),
    ("2482C1010", "2482", "Anderstorps hälsocentral"),
    ("2482A0010", "2482", "Byske hälsocentral"),
];

/// Files shaped like `sample-data/`, with counts from a fixed formula.
fn generate(dir: &Path) {
    let mut pop = String::from("year,deso,kommun,sex,age_band,population\n");
    let mut ev = String::from(
        "event_id,person_id,year,date,deso,kommun,vardcentral,sex,age,event_type,cause,value\n",
    );
    let mut areas = String::from("deso,kommun,kommun_name,deso_type,vardcentral\n");
    let mut vcs = String::from("vardcentral,kommun,owner\n");
    let mut survey = String::from("year,vardcentral,question,respondents,positive\n");
    let mut id = 0u32;
    for (i, (deso, kommun, vc)) in DESOS.iter().enumerate() {
        areas.push_str(&format!("{deso},{kommun},x,C,{vc}\n"));
        vcs.push_str(&format!("{vc},{kommun},region\n"));
        for year in 2022..=2024u32 {
            for q in [
                "continuity_coordination",
                "respect_treatment",
                "participation_involvement",
                "easy_to_get_care_evenings",
                "trust",
            ] {
                let n = 60 + 7 * i as u32 + year % 5;
                survey.push_str(&format!(
                    "{year},{vc},{q},{n},{}\n",
                    n * (60 + 5 * i as u32) / 100
                ));
            }
            for (s, sex) in ["K", "M"].iter().enumerate() {
                for band in 0..19u32 {
                    let label = if band == 18 {
                        "90+".to_owned()
                    } else {
                        format!("{}-{}", band * 5, band * 5 + 4)
                    };
                    let p = 80 + (band * 13 + i as u32 * 29 + year * 7 + s as u32 * 11) % 90;
                    pop.push_str(&format!("{year},{deso},{kommun},{sex},{label},{p}\n"));
                    if band < 13 {
                        continue;
                    }
                    let age = band * 5 + 2;
                    let k = (band + i as u32 + year + s as u32) % 7;
                    let mut push = |t: &str, cause: &str, value: u32| {
                        id += 1;
                        ev.push_str(&format!("{id},{},{year},{year}-0{}-15,{deso},{kommun},{vc},{sex},{age},{t},{cause},{value}\n", 100 + id % 50, 1 + id % 9));
                    };
                    for _ in 0..(3 + k) {
                        push("fall_injury", "home", 1);
                        push("admission", "fall", 2);
                    }
                    for j in 0..(4 + k) {
                        push("assessed_within_3_days", "phone", u32::from(j % 5 != 0));
                        push("avoidable_admission", "copd", 3);
                        push("home_visit", "doctor", 1);
                    }
                }
            }
        }
    }
    for (name, text) in [
        ("events.csv", ev),
        ("population.csv", pop),
        ("areas.csv", areas),
        ("vardcentraler.csv", vcs),
        ("survey.csv", survey),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn notebook(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../notebooks")
        .join(format!("{name}.samsyn.json"))
}

fn run(dir: &Path, name: &str, data: &[&str], extra: &[&str], out: &str) -> String {
    let mut cmd = Command::cargo_bin("samsyn").unwrap();
    cmd.arg("run").arg(notebook(name));
    for d in data {
        cmd.arg("--data").arg(format!(
            "{d}={}",
            dir.join(format!("{}.csv", d_file(d))).display()
        ));
    }
    cmd.args(extra).arg("--out").arg(dir.join(out));
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("could not run"), "{name}: {stderr}");
    std::fs::read_to_string(dir.join(out).join("report.html")).unwrap()
}

fn d_file(name: &str) -> &str {
    if name == "requests" {
        "events"
    } else {
        name
    }
}

#[test]
fn every_example_notebook_runs_and_writes_its_report() {
    let dir = scratch("all");
    generate(&dir);
    let cases: [(&str, &[&str]); 4] = [
        ("falls", &["events", "population"]),
        (
            "county_lights",
            &["events", "requests", "population", "areas"],
        ),
        ("dialogue_health_centre", &["events", "survey"]),
        (
            "framework",
            &["events", "population", "survey", "vardcentraler"],
        ),
    ];
    for (name, data) in cases {
        let html = run(&dir, name, data, &[], name);
        assert!(
            html.starts_with("<!DOCTYPE html>") && html.contains("</html>"),
            "{name}"
        );
    }
    assert!(dir.join("falls").join("t-dsr-kommun.csv").exists());
    let csv = std::fs::read_to_string(dir.join("falls").join("t-dsr-lan.csv")).unwrap();
    assert!(csv.starts_with("lan,year,numerator,denominator,value"));
    assert_eq!(csv.lines().count(), 4, "{csv}");
}

#[test]
fn param_kommun_gives_each_municipality_its_own_report() {
    let dir = scratch("param");
    generate(&dir);
    let data = ["events", "population"];
    let skelleftea = run(&dir, "falls", &data, &["--param", "kommun=2482"], "k2482");
    let umea = run(&dir, "falls", &data, &["--param", "kommun=2480"], "k2480");
    assert_ne!(skelleftea, umea);
    assert!(skelleftea.contains("<title>Fall bland äldre – 2482 Skellefteå</title>"));
    assert!(umea.contains("<title>Fall bland äldre – 2480 Umeå</title>"));
    assert!(skelleftea.contains("<tr class=\"hl\"><td>2482 Skellefteå</td>"));
    assert!(umea.contains("<tr class=\"hl\"><td>2480 Umeå</td>"));
    let deso = std::fs::read_to_string(dir.join("k2482").join("t-dsr-deso.csv")).unwrap();
    assert!(
        deso.lines().skip(1).all(|l| l.starts_with("2482")),
        "{deso}"
    );
}

#[test]
fn language_en_words_the_report_and_its_charts_in_english() {
    let dir = scratch("language");
    generate(&dir);
    let data = ["events", "population"];
    let sv = run(&dir, "falls", &data, &["--param", "kommun=2482"], "sv");
    let en = run(
        &dir,
        "falls",
        &data,
        &["--param", "kommun=2482", "--language", "en"],
        "en",
    );
    assert!(sv.contains("<html lang=\"sv\""), "{}", &sv[..200]);
    assert!(en.contains("<html lang=\"en\""), "{}", &en[..200]);
    // The charts speak the report's language: their descriptions, light words and intervals.
    assert!(sv.contains("Stapeldiagram, ") && sv.contains("Linjediagram, "));
    assert!(en.contains("Bar chart, ") && en.contains("Line chart, "));
    for swedish in [
        "Stapeldiagram",
        "Linjediagram",
        "enheter",
        "(KI ",
        "Parametrar",
    ] {
        assert!(
            !en.contains(swedish),
            "the English report still says {swedish}"
        );
    }
    assert!(en.contains("(CI ") && en.contains("Parameters"));
    // The same numbers: the tables' CSV files are machine-readable, whatever the language.
    let table = |lang: &str| std::fs::read_to_string(dir.join(lang).join("t-dsr-lan.csv")).unwrap();
    assert_eq!(
        table("sv")
            .lines()
            .map(|l| l.split(',').take(5).collect::<Vec<_>>())
            .collect::<Vec<_>>(),
        table("en")
            .lines()
            .map(|l| l.split(',').take(5).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    );
    let refused = Command::cargo_bin("samsyn")
        .unwrap()
        .args(["run", "--language", "fr"])
        .arg(notebook("falls"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && stderr.contains("invalid value 'fr'"),
        "{stderr}"
    );
    assert!(stderr.contains("sv") && stderr.contains("en"), "{stderr}");
}

#[test]
fn unknown_param_and_newer_notebook_are_refused() {
    let dir = scratch("refuse");
    generate(&dir);
    let mut cmd = Command::cargo_bin("samsyn").unwrap();
    let out = cmd
        .arg("run")
        .arg(notebook("falls"))
        .arg("--param")
        .arg("kommune=2480")
        .arg("--out")
        .arg(dir.join("x"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no parameter 'kommune'"));
    let newer = std::fs::read_to_string(notebook("falls"))
        .unwrap()
        .replacen("\"version\": 1", "\"version\": 2", 1);
    let path = dir.join("newer.samsyn.json");
    std::fs::write(&path, newer).unwrap();
    let out = Command::cargo_bin("samsyn")
        .unwrap()
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("saved by a newer Samsyn (format version 2)")
    );
}

#[test]
fn snapshot_is_written_only_on_request_and_opens_again() {
    let dir = scratch("snapshot");
    generate(&dir);
    let data = ["events", "population"];
    run(&dir, "falls", &data, &[], "plain");
    assert_eq!(
        std::fs::read_dir(dir.join("plain"))
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json"))
            .count(),
        0
    );
    let path = dir.join("with.samsyn.json");
    let snap_arg = path.display().to_string();
    run(
        &dir,
        "falls",
        &data,
        &["--snapshot", &snap_arg, "--disclosure-threshold", "50"],
        "snap",
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let nb = samsyn_core::notebook::Notebook::open(&text).unwrap();
    let snap = nb.snapshot.expect("a snapshot");
    assert_eq!(snap.kind, "aggregated-suppressed");
    assert_eq!(snap.disclosure_threshold, 50.0);
    let rows: Vec<_> = snap.tables.iter().flat_map(|t| &t.rows).collect();
    assert!(rows.iter().any(|r| r.suppressed));
    assert!(rows
        .iter()
        .all(|r| r.numerator.is_none_or(|n| n == 0.0 || n >= 50.0)));
    // The original notebook is untouched.
    let original = std::fs::read_to_string(notebook("falls")).unwrap();
    assert!(!original.contains("snapshot"));
}
