//! Tests of the generator: same seed, same bytes; the invariants notebooks rely on.

use super::county::{kommun_total, BANDS, KOMMUNER};
use super::random::{exp, mix40, splitmix64, Rng};
use super::FIRST_YEAR;
use super::LAST_YEAR;
use super::*;
use std::collections::{HashMap, HashSet};

const FILES: [&str; 6] = [
    "population.csv",
    "events.csv",
    "areas.csv",
    "vardcentraler.csv",
    "survey.csv",
    "README.md",
];

/// The files committed in `sample-data/`: all but `events.csv`, which is generated on demand
/// (its bytes are pinned by `output_is_pinned`, its counts and levels by `README.md`).
const COMMITTED: [&str; 5] = [
    "population.csv",
    "areas.csv",
    "vardcentraler.csv",
    "survey.csv",
    "README.md",
];

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("samsyn-sample-data-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn small_run(name: &str, seed: u64, rows: u64) -> (PathBuf, Summary) {
    let out = temp_dir(name);
    let options = Options {
        rows: Some(rows),
        bad_rows: 0,
        out: out.clone(),
        seed,
    };
    let summary = generate(&options).expect("generate");
    (out, summary)
}

fn read_csv(dir: &Path, name: &str) -> Vec<Vec<String>> {
    let text = fs::read_to_string(dir.join(name)).expect("read");
    text.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn same_seed_gives_identical_bytes() {
    let (a, _) = small_run("a", 11, 3_000);
    let (b, _) = small_run("b", 11, 3_000);
    let (c, _) = small_run("c", 12, 3_000);
    for name in FILES {
        let fa = fs::read(a.join(name)).expect("read a");
        let fb = fs::read(b.join(name)).expect("read b");
        assert!(fa == fb, "{name} differs between two runs with one seed");
    }
    let ea = fs::read(a.join("events.csv")).expect("read a");
    let ec = fs::read(c.join("events.csv")).expect("read c");
    assert!(ea != ec, "another seed should give other events");
    for dir in [a, b, c] {
        let _ = fs::remove_dir_all(dir);
    }
}

#[test]
fn invariants_hold() {
    let (dir, summary) = small_run("inv", DEFAULT_SEED, 5_000);
    let codes: HashSet<&str> = KOMMUNER.iter().map(|k| k.code).collect();

    let areas = read_csv(&dir, "areas.csv");
    assert_eq!(
        areas[0],
        ["deso", "kommun", "kommun_name", "deso_type", "vardcentral"]
    );
    let desos: HashSet<String> = areas[1..].iter().map(|r| r[0].clone()).collect();
    let vcs: HashSet<String> = read_csv(&dir, "vardcentraler.csv")[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    assert!((30..=40).contains(&vcs.len()));
    for r in &areas[1..] {
        assert!(codes.contains(r[1].as_str()));
        assert!(r[0].starts_with(&r[1]) && r[0].len() == 9);
        assert!(vcs.contains(&r[4]));
    }

    let events = read_csv(&dir, "events.csv");
    assert_eq!(events[0].len(), 12);
    let n = (events.len() - 1) as f64;
    assert!(
        (4_500.0..5_500.0).contains(&n),
        "{n} event rows for --rows 5000"
    );
    assert_eq!(summary.event_rows as f64, n);
    let mut person_home: HashMap<&str, (&str, &str)> = HashMap::new();
    for r in &events[1..] {
        assert_eq!(r.len(), 12, "{r:?}");
        assert!(desos.contains(&r[4]), "unknown DeSO {}", r[4]);
        assert!(codes.contains(r[5].as_str()));
        assert!(vcs.contains(&r[6]));
        assert!(r[3].starts_with(&r[2]) && r[3].len() == 10);
        let age: u32 = r[8].parse().expect("age");
        match r[9].as_str() {
            "assessed_within_3_days" => assert!(r[11] == "0" || r[11] == "1"),
            "avoidable_admission" => assert!(age >= 65),
            "fall_injury" | "home_visit" => assert_eq!(r[11], "1"),
            "admission" => assert!(r[11].parse::<u32>().expect("stay") >= 1),
            other => panic!("unknown event type {other}"),
        }
        // A person lives in one DeSO and is listed at one health centre.
        let home = person_home.entry(&r[1]).or_insert((&r[4], &r[6]));
        assert_eq!(*home, (r[4].as_str(), r[6].as_str()));
    }

    let population = read_csv(&dir, "population.csv");
    let mut totals: HashMap<(u16, String), u64> = HashMap::new();
    for r in &population[1..] {
        assert!(desos.contains(&r[1]));
        assert!(r[1].starts_with(&r[2]));
        let year: u16 = r[0].parse().expect("year");
        *totals.entry((year, r[2].clone())).or_default() +=
            r[5].parse::<u64>().expect("population");
    }
    assert_eq!(
        population.len() - 1,
        5 * desos.len() * 2 * BANDS,
        "one row per year × DeSO × sex × band"
    );
    for year in FIRST_YEAR..=LAST_YEAR {
        for k in &KOMMUNER {
            assert_eq!(totals[&(year, k.code.to_string())], kommun_total(k, year));
        }
    }
    let county: u64 = KOMMUNER.iter().map(|k| kommun_total(k, 2023)).sum();
    assert!((265_000..285_000).contains(&county));

    for r in &read_csv(&dir, "survey.csv")[1..] {
        let respondents: u64 = r[3].parse().expect("respondents");
        let positive: u64 = r[4].parse().expect("positive");
        assert!(positive <= respondents);
        assert!(vcs.contains(&r[1]));
    }
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn own_exp_matches_std() {
    for x in [-30.0, -5.5, -1.0, -0.1, 0.0, 0.3, 1.0, 2.5, 10.0] {
        let (ours, std) = (exp(x), f64::exp(x));
        assert!(
            ((ours - std) / std).abs() < 1e-13,
            "exp({x}): {ours} vs {std}"
        );
    }
}

#[test]
fn xoshiro_reference_stream() {
    // Reference outputs of xoshiro256** from the state [1, 2, 3, 4] (Vigna's C code).
    let mut rng = Rng { s: [1, 2, 3, 4] };
    let first: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
    assert_eq!(first, [11520, 0, 1509978240, 1215971899390074240]);
    // SplitMix64 from 0 (Vigna's splitmix64.c).
    assert_eq!(splitmix64(&mut 0), 0xE220_A839_7B1D_CDAF);
    assert_eq!(mix40(0), 0);
    assert_ne!(mix40(1), mix40(2));
}

/// FNV-1a, 64 bits: a fingerprint of a generated file.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

#[test]
fn output_is_pinned() {
    // If this fails, the generator's output changed, events.csv (not committed, generated on
    // demand) included: the committed files in sample-data/ (README.md at least) change too.
    // Regenerate them with `cargo xtask sample-data` in the same commit and update the
    // fingerprints here.
    let (dir, _) = small_run("pin", 11, 2_000);
    let print: Vec<(&str, u64)> = ["population.csv", "events.csv", "survey.csv", "areas.csv"]
        .into_iter()
        .map(|name| (name, fnv1a(&fs::read(dir.join(name)).expect("read"))))
        .collect();
    let _ = fs::remove_dir_all(dir);
    assert_eq!(
        print,
        [
            ("population.csv", 18111171705587961964),
            ("events.csv", 3570284722341675770),
            ("survey.csv", 10850585909478800432),
            ("areas.csv", 15971752764196629048),
        ]
    );
}

#[test]
fn committed_files_are_current() {
    // The committed files in sample-data/ must be what `cargo xtask sample-data` writes today
    // (README.md states the rows and levels of events.csv, so it follows events.csv too), and
    // each must stay under 5 MB.
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let out = temp_dir("default");
    let options = Options {
        rows: None,
        bad_rows: 0,
        out: out.clone(),
        seed: DEFAULT_SEED,
    };
    let summary = generate(&options).expect("generate");
    for name in COMMITTED {
        let fresh = fs::read(out.join(name)).expect("read fresh");
        let old = fs::read(committed.join(name)).unwrap_or_default();
        assert!(
            fresh == old,
            "sample-data/{name} is stale: run `cargo xtask sample-data` and commit the result"
        );
        assert!(fresh.len() < 5 << 20, "sample-data/{name} is over 5 MB");
    }
    // The generated events.csv stays small enough to generate in a second and to load.
    let events = fs::metadata(out.join("events.csv"))
        .expect("events.csv")
        .len();
    assert!(events < 30 << 20, "events.csv is {events} bytes");
    // Every type but care requests is whole: the levels per 1 000 are the real ones.
    let per_1000_65 = |count: u64| 1000.0 * count as f64 / summary.person_years[1] as f64;
    let doctor = per_1000_65(summary.events.doctor_visits_65);
    assert!(
        (30.0..60.0).contains(&doctor),
        "{doctor} doctor home visits per 1 000 65+"
    );
    let falls_65 = per_1000_65(summary.events.by_type[0][1]);
    assert!(
        (15.0..30.0).contains(&falls_65),
        "{falls_65} fall injuries per 1 000 65+"
    );
    let _ = fs::remove_dir_all(out);
}

#[test]
fn ensure_default_writes_only_when_missing() {
    let root = temp_dir("ensure");
    let dir = root.join("sample-data");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("events.csv"), "kept").expect("write");
    ensure_default(&root).expect("present");
    assert_eq!(fs::read(dir.join("events.csv")).expect("read"), b"kept");
    assert!(!dir.join("population.csv").exists());
    let _ = fs::remove_dir_all(root);
}

#[test]
fn arguments() {
    let args = |list: &[&str]| list.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let options = parse_args(&args(&[
        "--rows",
        "10_000_000",
        "--seed",
        "3",
        "--out",
        "/x",
    ]))
    .expect("valid arguments");
    assert_eq!(options.rows, Some(10_000_000));
    assert_eq!(options.seed, 3);
    assert_eq!(options.out, PathBuf::from("/x"));
    let defaults = parse_args(&[]).expect("no arguments");
    assert_eq!((defaults.rows, defaults.seed), (None, DEFAULT_SEED));
    assert!(defaults.out.ends_with("sample-data"));
    let message = |list: &[&str]| parse_args(&args(list)).expect_err("should fail");
    assert!(message(&["--rows"]).starts_with("--rows needs a value"));
    assert!(message(&["--rows", "many"]).starts_with("--rows: 'many' is not a whole number"));
    assert!(message(&["--rows", "0"]).starts_with("--rows must be at least 1"));
    assert!(message(&["--size", "3"]).starts_with("unknown argument '--size'"));
}

#[test]
fn issue_10_bad_rows_are_spread_listed_and_leave_the_clean_rows_as_they_were() {
    let run = |name: &str, bad_rows: u64| {
        let out = temp_dir(name);
        let options = Options {
            rows: Some(5_000),
            bad_rows,
            out: out.clone(),
            seed: 3,
        };
        let summary = generate(&options).expect("generate");
        (out, summary)
    };
    let (clean, _) = run("clean", 0);
    let (bad, summary) = run("bad", 32);
    let (again, _) = run("again", 32);
    assert_eq!(summary.bad_rows, 32);
    let bytes = |d: &Path, n: &str| fs::read(d.join(n)).expect("read");
    // Deterministic for a seed.
    assert_eq!(bytes(&bad, "events.csv"), bytes(&again, "events.csv"));
    assert_eq!(bytes(&bad, "bad-rows.csv"), bytes(&again, "bad-rows.csv"));
    assert!(!clean.join("bad-rows.csv").exists());
    // The listed rows taken out, the file is the clean one, byte for byte.
    let list = String::from_utf8(bytes(&bad, "bad-rows.csv")).expect("utf-8");
    let listed: Vec<(usize, String)> = list
        .lines()
        .skip(1)
        .map(|l| {
            let (row, kind) = l.split_once(',').expect("row,kind");
            (row.parse().expect("row"), kind.to_owned())
        })
        .collect();
    assert_eq!(listed.len(), 32);
    let rows: HashSet<usize> = listed.iter().map(|(r, _)| *r).collect();
    let events = bytes(&bad, "events.csv");
    let lines: Vec<&[u8]> = events.split(|b| *b == b'\n').collect();
    let kept: Vec<&[u8]> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !rows.contains(&(i + 1)))
        .map(|(_, l)| *l)
        .collect();
    assert_eq!(kept.join(&b'\n'), bytes(&clean, "events.csv"));
    // Every kind, the bytes that are not UTF-8 past the first 64 KiB, spread over the file.
    let kinds: HashSet<&str> = listed.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(kinds.len(), bad_rows::KINDS.len(), "{kinds:?}");
    let (first, last) = (listed[0].0, listed[31].0);
    assert!(
        first < lines.len() / 16 && last > lines.len() * 15 / 16,
        "{first} {last}"
    );
    let before_utf8: usize = lines.iter().take(last - 1).map(|l| l.len() + 1).sum();
    assert_eq!(listed[31].1, "not_utf8");
    assert!(before_utf8 > 64 * 1024);
    assert!(std::str::from_utf8(lines[last - 1]).is_err());
    assert_eq!(
        lines[listed.iter().find(|(_, k)| k == "blank_row").unwrap().0 - 1],
        b""
    );
}
