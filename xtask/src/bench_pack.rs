//! `cargo xtask bench pack [--rows N] [--runs R]` (issue 13): the fall pack
//! (`notebooks/bench_pack.samsyn.json`: a fall-injury DSR 65+ with Dobson limits, a crude
//! fall-admission rate 80+ and a share assessed within 3 days with Wilson limits, per county
//! and kommun and year) computed by Samsyn and by DuckDB and Polars on the same seeded sample
//! files, each as a whole process (start, imports, reading, computing, writing), with its peak
//! memory, and a check that every engine gives Samsyn's numbers to 1e-9 relative; then, in
//! headless Chromium, the release app's `bench_notebook` against DuckDB-Wasm on the same files
//! (`bench/pack-browser.mjs`), with the same check.
//!
//! The engines are Python packages installed on first use into `$CARGO_TARGET_DIR/bench-venv`
//! (`bench/requirements.txt`); their scripts are in `bench/`. Not part of `cargo xtask test` or
//! CI: figures depend on the machine and what else runs on it.

mod check;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{root, step, target_dir};
use xtask::sample_data;

/// The indicators and levels of the pack notebook (its table cells are `<indicator>-<level>`).
const INDICATORS: [&str; 3] = [
    "fall_injuries_65_dsr",
    "fall_admissions_80",
    "assessed_within_3_days",
];
const LEVELS: [&str; 2] = ["lan", "kommun"];
/// The largest relative difference allowed between Samsyn's numbers and an engine's.
const TOLERANCE: f64 = 1e-9;

const USAGE: &str = "usage: cargo xtask bench pack [--rows N] [--runs R] [--native]
  --rows N  events in the sample county (default 1 000 000)
  --runs R  runs of each engine; the median is shown (default 3)
  --native  only the native engines, not DuckDB-Wasm in headless Chromium";

struct Options {
    rows: u64,
    runs: usize,
    browser: bool,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        rows: 1_000_000,
        runs: 3,
        browser: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |what: &str| {
            it.next()
                .and_then(|n| n.replace('_', "").parse::<u64>().ok())
                .filter(|&n| n > 0)
                .ok_or(format!("{what} takes a whole number above 0\n\n{USAGE}"))
        };
        match a.as_str() {
            "--rows" => o.rows = value("--rows")?,
            "--native" => o.browser = false,
            "--runs" => {
                o.runs = usize::try_from(value("--runs")?).map_err(|e| e.to_string())?;
            }
            other => return Err(format!("unknown option '{other}'\n\n{USAGE}")),
        }
    }
    Ok(o)
}

/// One timed run of a whole process.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub seconds: f64,
    /// Peak resident memory in MB; `None` where it could not be read.
    pub peak_mb: Option<f64>,
}

/// Runs `cmd` to its end, timing it and reading its peak memory: from `/usr/bin/time -v` if
/// present, else by polling the child's `VmHWM` in /proc.
pub fn measure_process(program: &Path, args: &[String]) -> Result<Measured, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-v").arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", program.display()))?;
    let mut polled_kb = None;
    if !gnu_time.exists() {
        let status = format!("/proc/{}/status", child.id());
        while child.try_wait().map_err(|e| e.to_string())?.is_none() {
            if let Some(kb) = std::fs::read_to_string(&status)
                .ok()
                .as_deref()
                .and_then(|s| kb_after(s, "VmHWM:"))
            {
                polled_kb = Some(kb);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}):\n{stderr}",
            program.display(),
            out.status
        ));
    }
    let kb = if gnu_time.exists() {
        kb_after(&stderr, "Maximum resident set size (kbytes):")
    } else {
        polled_kb
    };
    Ok(Measured {
        seconds,
        peak_mb: kb.map(|kb| kb as f64 * 1024.0 / 1e6),
    })
}

/// The number after `label` on its line (`/usr/bin/time -v`, `/proc/PID/status`).
fn kb_after(text: &str, label: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    xs.retain(|x| x.is_finite());
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => xs.get(n / 2).copied(),
        _ => Some((xs[n / 2 - 1] + xs[n / 2]) / 2.0),
    }
}

/// Builds the `samsyn` binary with the profile `native` (release, opt-level 3, unwinding) and
/// returns its path.
pub fn native_samsyn() -> Result<PathBuf, String> {
    let args = [
        "build",
        "--quiet",
        "--profile",
        "native",
        "-p",
        "samsyn-cli",
    ];
    crate::run("cargo", &args)?;
    Ok(target_dir().join("native").join("samsyn"))
}

/// The sample county's files for `rows` events, generated (seed 7) on first use.
fn sample(rows: u64) -> Result<PathBuf, String> {
    let dir = target_dir().join("bench-pack").join(format!("rows-{rows}"));
    sample_in(&dir, rows)?;
    Ok(dir)
}

/// Writes the sample county with about `rows` events (seed 7) into `dir` unless its events
/// and population files are there already.
pub fn sample_in(dir: &Path, rows: u64) -> Result<(), String> {
    if dir.join("events.csv").exists() && dir.join("population.csv").exists() {
        return Ok(());
    }
    step(&format!(
        "Generating the sample county with about {rows} event rows into {}",
        dir.display()
    ));
    sample_data::run(&[
        "--rows".into(),
        rows.to_string(),
        "--out".into(),
        dir.display().to_string(),
    ])
}

/// The bench's Python, with DuckDB and Polars, made on first use.
fn python() -> Result<PathBuf, String> {
    python_env("bench-venv", &root().join("bench").join("requirements.txt"))
}

/// A Python virtual environment `name` in the build folder with the packages of
/// `requirements`, made on first use and again when the requirements change (the bench's, and
/// the SQL export test's in `cargo xtask test`).
pub fn python_env(name: &str, requirements: &Path) -> Result<PathBuf, String> {
    let venv = target_dir().join(name);
    let py = venv.join("bin").join("python");
    let stamp = venv.join("requirements.txt");
    let wanted = std::fs::read_to_string(requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    if py.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&*wanted) {
        return Ok(py);
    }
    step(&format!(
        "Installing the Python packages of {} into {}",
        requirements.display(),
        venv.display()
    ));
    let venv_s = venv.display().to_string();
    crate::run("python3", &["-m", "venv", &venv_s])?;
    let req = requirements.display().to_string();
    let py_s = py.display().to_string();
    crate::run(
        &py_s,
        &["-m", "pip", "install", "--quiet", "--requirement", &req],
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(py)
}

/// An engine under test: its label and how to run it on (events, population, out).
struct Engine {
    label: String,
    program: PathBuf,
    args: Vec<String>,
    /// Where its numbers end up (a folder of table CSVs for Samsyn, one CSV for the others).
    out: PathBuf,
}

struct Row {
    label: String,
    seconds: Option<f64>,
    peak_mb: Option<f64>,
    numbers: String,
}

/// Runs the native half of the bench, printing its table; fails if an engine's numbers differ.
pub fn run(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let dir = sample(o.rows)?;
    let events = dir.join("events.csv").display().to_string();
    let population = dir.join("population.csv").display().to_string();
    step("Building samsyn (profile native: release, opt-level 3)");
    let samsyn_bin = native_samsyn()?;
    let py = python()?;
    let work = target_dir().join("bench-pack").join("out");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let notebook = root().join("notebooks").join("bench_pack.samsyn.json");
    // Samsyn with its default threads (the machine's cores), then with one: the same files,
    // byte for byte (issue 13).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let samsyn = |threads: usize| {
        let out = work.join(format!("samsyn-{threads}"));
        let plural = if threads == 1 { "" } else { "s" };
        Engine {
            label: format!("samsyn run (native, {threads} thread{plural})"),
            program: samsyn_bin.clone(),
            args: vec![
                "run".into(),
                notebook.display().to_string(),
                "--data".into(),
                format!("events={events}"),
                "--data".into(),
                format!("population={population}"),
                "--no-disclosure-control".into(),
                "--threads".into(),
                threads.to_string(),
                "--out".into(),
                out.display().to_string(),
            ],
            out,
        }
    };
    let script = |name: &str, label: &str| {
        let out = work.join(format!("{name}.csv"));
        Engine {
            label: label.to_owned(),
            program: py.clone(),
            args: vec![
                root()
                    .join("bench")
                    .join(format!("pack_{name}.py"))
                    .display()
                    .to_string(),
                events.clone(),
                population.clone(),
                out.display().to_string(),
            ],
            out,
        }
    };
    let mut engines = vec![samsyn(cores)];
    if cores > 1 {
        engines.push(samsyn(1));
    }
    engines.extend([
        script(
            "duckdb",
            &format!("DuckDB {} (Python)", version(&py, "duckdb")),
        ),
        script(
            "polars",
            &format!("Polars {} (Python)", version(&py, "polars")),
        ),
    ]);
    let mb = std::fs::metadata(&events)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0);
    step(&format!(
        "The fall pack on {events} ({mb:.0} MB), {} runs each, whole process",
        o.runs
    ));
    let mut rows = Vec::new();
    let mut reference = None;
    let mut failed = Vec::new();
    for engine in &engines {
        let mut runs = Vec::new();
        for i in 0..o.runs {
            let m = measure_process(&engine.program, &engine.args)?;
            println!(
                "{{\"engine\":\"{}\",\"run\":{},\"seconds\":{:.3},\"peak_mb\":{}}}",
                engine.label,
                i + 1,
                m.seconds,
                m.peak_mb.map_or("null".into(), |v| format!("{v:.1}"))
            );
            runs.push(m);
        }
        let numbers = if reference.is_none() {
            let t = check::read_samsyn_dir(&engine.out, &INDICATORS, &LEVELS)?;
            let n = format!("reference ({} rows)", t.len());
            reference = Some(t);
            n
        } else if engine.out.is_dir() {
            // Samsyn with other threads: every file the same as the reference run's.
            let first = &engines[0].out;
            if same_files(first, &engine.out)? {
                "the same files as the first run, byte for byte".to_owned()
            } else {
                failed.push(format!(
                    "{}: its files differ from those of {}",
                    engine.label, engines[0].label
                ));
                "DIFFERENT files".to_owned()
            }
        } else {
            let text = std::fs::read_to_string(&engine.out)
                .map_err(|e| format!("{}: {e}", engine.out.display()))?;
            let table = check::read_engine(&text, &engine.out.display().to_string())?;
            let a = check::compare(reference.as_ref().unwrap_or(&table), &table);
            let mut n = format!("{} rows, largest rel. difference {:.1e}", a.rows, a.max_rel);
            if let Some((k, field)) = &a.max_at {
                n.push_str(&format!(" ({} {} {} {field})", k.0, k.2, k.3));
            }
            if !a.ok(TOLERANCE) {
                failed.push(format!(
                    "{}: numbers differ from Samsyn's (largest rel. difference {:.1e}, allowed {TOLERANCE:e}):\n  {}",
                    engine.label,
                    a.max_rel,
                    a.problems.iter().take(10).cloned().collect::<Vec<_>>().join("\n  ")
                ));
                n.push_str(" — DIFFERENT");
            }
            n
        };
        rows.push(Row {
            label: engine.label.clone(),
            seconds: median(runs.iter().map(|m| m.seconds).collect()),
            peak_mb: median(runs.iter().filter_map(|m| m.peak_mb).collect()),
            numbers,
        });
    }
    print!("{}", table(&rows, o.runs));
    if o.browser {
        let reference = reference.ok_or("no Samsyn numbers to check against")?;
        if let Err(e) = browser(&o, &py, &work, &events, &population, &reference) {
            failed.push(e);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

/// Whether folders `a` and `b` hold the same files with the same bytes.
fn same_files(a: &Path, b: &Path) -> Result<bool, String> {
    let list = |d: &Path| -> Result<Vec<(String, Vec<u8>)>, String> {
        let mut files = Vec::new();
        for e in std::fs::read_dir(d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            files.push((
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                bytes,
            ));
        }
        files.sort();
        Ok(files)
    };
    Ok(list(a)? == list(b)?)
}

/// The browser half: DuckDB-Wasm in headless Chromium on the same files (bench/pack.html,
/// served from bench/ on loopback), its load, query and total time as medians, and its numbers
/// checked against Samsyn's native ones.
fn browser(
    o: &Options,
    py: &Path,
    work: &Path,
    events: &str,
    population: &str,
    reference: &check::Table,
) -> Result<(), String> {
    let bench = root().join("bench");
    if !bench
        .join("node_modules/@duckdb/duckdb-wasm/package.json")
        .exists()
        || !bench
            .join("node_modules/playwright-core/package.json")
            .exists()
    {
        step("Installing DuckDB-Wasm and playwright-core (bench/package.json) into bench/node_modules");
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(&bench)
            .status()
            .map_err(|e| format!("could not start npm: {e}"))?;
        if !status.success() {
            return Err(format!("npm install in bench/ failed ({status})"));
        }
    }
    // The statements of pack.sql with the files under the names the page registers them by.
    let sql = Command::new(py)
        .arg(bench.join("pack_common.py"))
        .args(["sql", "events.csv", "population.csv"])
        .output()
        .map_err(|e| format!("pack_common.py sql: {e}"))?;
    if !sql.status.success() {
        return Err(format!(
            "pack_common.py sql failed: {}",
            String::from_utf8_lossy(&sql.stderr)
        ));
    }
    let sql_file = work.join("duckdb-wasm-sql.json");
    std::fs::write(&sql_file, &sql.stdout).map_err(|e| format!("{}: {e}", sql_file.display()))?;
    let out = work.join("duckdb-wasm.csv");
    let server = crate::web_server::spawn(&bench)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    // Samsyn's side: the release app, as `cargo xtask bench ingest` builds and serves it.
    crate::setup::all()?;
    let dist = crate::dist_with(&["bench"])?;
    let app = crate::web_server::spawn(&dist)?;
    let app_url = format!("http://127.0.0.1:{}/", app.port);
    let samsyn_out = work.join("samsyn-wasm");
    let notebook = root().join("notebooks").join("bench_pack.samsyn.json");
    step(&format!(
        "DuckDB-Wasm and Samsyn side by side in headless Chromium on the same files, {} runs",
        o.runs
    ));
    let driver = Command::new("node")
        .arg(bench.join("pack-browser.mjs"))
        .arg(&url)
        .arg(&sql_file)
        .args([events, population])
        .arg(&out)
        .arg(o.runs.to_string())
        .arg(&app_url)
        .arg(&notebook)
        .arg(&samsyn_out)
        .current_dir(&bench)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start node: {e}"))?;
    let stdout = String::from_utf8_lossy(&driver.stdout);
    print!("{stdout}");
    if !driver.status.success() {
        return Err(format!("the DuckDB-Wasm run failed ({})", driver.status));
    }
    let text = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let duck = check::compare(
        reference,
        &check::read_engine(&text, &out.display().to_string())?,
    );
    let ours = check::compare(
        reference,
        &check::read_samsyn_dir(&samsyn_out, &INDICATORS, &LEVELS)?,
    );
    let two_out = PathBuf::from(format!("{}-2workers", samsyn_out.display()));
    let ours_two = check::compare(
        reference,
        &check::read_samsyn_dir(&two_out, &INDICATORS, &LEVELS)?,
    );
    let medians = |engine: &str| {
        let tag = format!("\"engine\":\"{engine}\",\"median_of\"");
        let line = stdout.lines().rev().find(|l| l.contains(&tag));
        let get = |k: &str| line.and_then(|l| json_number(l, k));
        [
            get("load_s"),
            get("query_s"),
            get("total_s"),
            get("wasm_memory_mb"),
        ]
    };
    let (s, s2, d) = (
        medians("Samsyn"),
        medians("Samsyn, 2 workers"),
        medians("DuckDB-Wasm"),
    );
    let opt = |v: Option<f64>, p: usize| v.map_or("–".to_owned(), |v| format!("{v:.p$}"));
    let ratio = |s: [Option<f64>; 4]| match (s[2], d[2]) {
        (Some(s), Some(d)) if d > 0.0 => Some(s / d),
        _ => None,
    };
    println!(
        "\n{:<28} {:>8} {:>9} {:>8} {:>10} {:>9}  numbers (against samsyn run)",
        "in Chromium (median)", "load s", "compute s", "total s", "Wasm MB", "÷ DuckDB"
    );
    for (label, m, a, r) in [
        ("Samsyn (release app)", s, &ours, ratio(s)),
        ("Samsyn, 2 reading workers", s2, &ours_two, ratio(s2)),
        ("DuckDB-Wasm", d, &duck, Some(1.0)),
    ] {
        println!(
            "{label:<28} {:>8} {:>9} {:>8} {:>10} {:>9}  {} rows, largest rel. difference {:.1e}",
            opt(m[0], 3),
            opt(m[1], 3),
            opt(m[2], 3),
            opt(m[3], 1),
            opt(r, 2),
            a.rows,
            a.max_rel
        );
    }
    println!("(DuckDB-Wasm: load includes starting its worker and Wasm; its memory is in the worker, not measured. Samsyn: load is reading the files into the plans, compute the notebook run; by default one worker per core but one, here also two whatever the cores; Wasm MB is the page's, not its reading workers')");
    let bad: Vec<String> = [
        ("Samsyn in the browser", &ours),
        ("Samsyn in the browser, 2 workers", &ours_two),
        ("DuckDB-Wasm", &duck),
    ]
    .iter()
    .filter(|(_, a)| !a.ok(TOLERANCE))
    .map(|(label, a)| {
        format!(
            "{label}: numbers differ from samsyn run's (largest rel. difference {:.1e}):\n  {}",
            a.max_rel,
            a.problems
                .iter()
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n  ")
        )
    })
    .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad.join("\n"))
    }
}

/// The number after `"key":` in a one-line JSON object (the driver's own output).
fn json_number(line: &str, key: &str) -> Option<f64> {
    let rest = line.split(&format!("\"{key}\":")).nth(1)?;
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest.get(..end)?.trim().parse().ok()
}

/// The engine's version from its package (for the table's label).
fn version(py: &Path, package: &str) -> String {
    Command::new(py)
        .args([
            "-c",
            &format!("import {package}; print({package}.__version__)"),
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "?".into())
}

/// The summary table; the first row is the reference the ratios are to.
fn table(rows: &[Row], runs: usize) -> String {
    let base = rows.first().and_then(|r| r.seconds);
    let mut s = format!(
        "\n{:<28} {:>14} {:>12} {:>10}  numbers\n",
        "engine",
        format!("total s (×{runs})"),
        "peak MB",
        "÷ Samsyn"
    );
    let opt = |v: Option<f64>, p: usize| v.map_or("–".to_owned(), |v| format!("{v:.p$}"));
    for r in rows {
        let ratio = match (r.seconds, base) {
            (Some(t), Some(b)) if b > 0.0 => Some(t / b),
            _ => None,
        };
        s.push_str(&format!(
            "{:<28} {:>14} {:>12} {:>10}  {}\n",
            r.label,
            opt(r.seconds, 3),
            opt(r.peak_mb, 1),
            opt(ratio, 2),
            r.numbers
        ));
    }
    s.push_str("(total: median wall time of the whole process; peak MB: median peak resident memory; ÷ Samsyn: time over Samsyn's)\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_default_and_parse() {
        let o = options(&[]).unwrap();
        assert_eq!((o.rows, o.runs), (1_000_000, 3));
        let a: Vec<String> = ["--rows", "10_000", "--runs", "5"].map(String::from).into();
        let o = options(&a).unwrap();
        assert_eq!((o.rows, o.runs), (10_000, 5));
        let err = options(&["--rows".into(), "0".into()]).err().unwrap();
        assert!(
            err.starts_with("--rows takes a whole number above 0"),
            "{err}"
        );
        let err = options(&["--fast".into()]).err().unwrap();
        assert!(err.starts_with("unknown option '--fast'"), "{err}");
    }

    #[test]
    fn peak_memory_is_read_from_time_and_proc() {
        let time = "\tCommand being timed: \"x\"\n\tMaximum resident set size (kbytes): 90048\n";
        assert_eq!(
            kb_after(time, "Maximum resident set size (kbytes):"),
            Some(90048)
        );
        let proc = "Name:\tx\nVmHWM:\t   12345 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(kb_after(proc, "VmHWM:"), Some(12345));
        assert_eq!(kb_after("nothing", "VmHWM:"), None);
    }

    #[test]
    fn numbers_are_read_from_the_drivers_json_lines() {
        let l = r#"{"engine":"DuckDB-Wasm","median_of":3,"init_s":0.881,"total_s":3.1}"#;
        assert_eq!(json_number(l, "init_s"), Some(0.881));
        assert_eq!(json_number(l, "total_s"), Some(3.1));
        assert_eq!(json_number(l, "engine"), None);
        assert_eq!(json_number(l, "load_s"), None);
    }

    #[test]
    fn medians_of_odd_and_even_runs() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }

    #[test]
    fn the_table_gives_ratios_to_the_first_row() {
        let row = |label: &str, s: f64| Row {
            label: label.into(),
            seconds: Some(s),
            peak_mb: Some(10.0),
            numbers: "n".into(),
        };
        let t = table(&[row("samsyn", 2.0), row("duckdb", 1.0)], 3);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines[2].starts_with("samsyn") && lines[2].contains(" 1.00 "),
            "{t}"
        );
        assert!(
            lines[3].starts_with("duckdb") && lines[3].contains(" 0.50 "),
            "{t}"
        );
    }
}
