//! Samsyn's developer commands, run as `cargo xtask <command>`.
//!
//! Every command first makes sure the tools it needs are there, installing what is missing from
//! the package registries only (crates.io, npm, Debian) and saying what it does, since a first
//! setup takes about 12 minutes on two cores. Run again, it skips what is already installed at
//! the right version.

mod bench_engines;
mod bench_pack;
mod csp;
mod fuzz;
mod parquet_parts;
mod setup;
mod single_file;
mod web_server;

use std::path::{Path, PathBuf};

use std::process::{Command, ExitCode};
use xtask::sample_data;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve          set up what is missing, build the app (release) and serve it on http://127.0.0.1:8080
  test           every test: native, WebAssembly in headless Chromium, end-to-end in the built app
  e2e            only the end-to-end tests (release build, headless Chromium)
  dist [--single-file]
                 release build into dist/, printing the .wasm size (raw and gzipped);
                 --single-file also writes dist/samsyn.html, the whole app with the example
                 notebooks and a small sample in one file that opens from file:// (size printed)
  bench ingest [--rows N]
                 parse throughput (MB/s, rows/s) and peak memory for an N-row events CSV
                 (default 1 000 000), natively and in WebAssembly in headless Chromium
  bench edits [--rows N]
                 the time of each notebook edit answered from the cube (condition value,
                 age range, light rule, level, disclosure threshold) on the N-row sample
  bench pack [--rows N] [--runs R] [--native]
                 the fall pack (DSR 65+, rate 80+, share assessed; county and kommun per year):
                 samsyn run against DuckDB and Polars (Python, installed on first use) on the
                 same N-row sample (default 1 000 000), then Samsyn against DuckDB-Wasm in
                 headless Chromium (unless --native): times, memory, and the same numbers
  bench engines [--rows N,N…] [--parts K]
                 the fall pack from K Parquet files: samsyn run --engine datafusion and DuckDB
                 (the query of samsyn sql) beside samsyn run on the CSV, at each size (default
                 1 000 000 and 10 000 000 rows): times, memory, and the same tables
  bench workbench [--rows N] [--runs R]
                 the app as a user drives it on the N-row sample (default 1 000 000): from Kör
                 to the first results (engine in its Web Worker), the longest gap in the page's
                 event loop meanwhile, and from an edit of a condition value to updated results;
                 the same run on the page's thread for comparison
  sample-data [--rows N] [--bad-rows N] [--out DIR] [--seed S]
                 write the synthetic Västerbotten sample data (see sample-data/README.md);
                 --bad-rows N injects N bad rows into events.csv, listed in bad-rows.csv
  setup          only install what is missing (wasm32 target, trunk, wasm-bindgen-cli, chromium, npm tools)
  tidy           check the layering rules (core depends on no browser crate; no module of
                 core uses a module that uses it back)
  graph          print the module graph of core (module → the modules it uses)
  fuzz [TARGET] [--runs N] [--seconds S] [--keep-going] [--sanitizer address|none]
                 run the cargo-fuzz targets (csv text px workbook notebook) one at a time,
                 nice -n 15, from fuzz/seeds (default 10 000 000 runs each; needs cargo-fuzz;
                 --sanitizer none: without ASan, for more runs per second)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("e2e") => e2e(),
        Some("dist") => match args.get(1).map(String::as_str) {
            None => dist().map(|_| ()),
            Some("--single-file") => dist().and_then(|d| single_file::build(&d)).map(|_| ()),
            Some(other) => Err(format!("unknown option '{other}' for dist\n\n{USAGE}")),
        },
        Some("setup") => setup::all(),
        Some("bench") => bench(&args[1..]),
        Some("sample-data") => sample_data_command(&args[1..]),
        Some("tidy") => tidy(),
        Some("graph") => graph().map(|g| print!("{g}")),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command '{other}'\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Prints a step so that a long first run says what it is doing.
pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// Runs a command from the workspace root with `node_modules/.bin` first on PATH (for npm's
/// wasm-opt); fails with the command line when it fails.
pub fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let status = command(program, args)
        .status()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Where builds go: `CARGO_TARGET_DIR`, else `~/.cache/samsyn/target`.
/// `cargo xtask sample-data`: the generator (the library's), then the Parquet folders asked for.
fn sample_data_command(args: &[String]) -> Result<(), String> {
    let (options, rest) = parquet_parts::take_options(args)?;
    sample_data::run(&rest)?;
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(());
    }
    parquet_parts::write(&parquet_parts::out_dir(&rest), &options)
}

pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("samsyn").join("target")
}

pub fn command(program: &str, args: &[&str]) -> Command {
    let root = root();
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(&root);
    let bin = root.join("node_modules").join(".bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(paths) {
        cmd.env("PATH", joined);
    }
    // Build caches live outside the clone, so a fresh clone builds fast on a warm machine.
    cmd.env("CARGO_TARGET_DIR", target_dir());
    // Never let trunk look for a newer version or download a tool.
    cmd.env("TRUNK_OFFLINE", "true")
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    cmd
}

fn serve() -> Result<(), String> {
    setup::all()?;
    dist()?;
    let dist = root().join("dist");
    step("Serving the app (Ctrl-C stops)");
    println!("Open http://127.0.0.1:8080/ and click \"Öppna exempeldata\" to read the bundled synthetic sample.");
    web_server::serve(&dist, 8080)
}

fn dist() -> Result<PathBuf, String> {
    dist_with(&[])
}

/// The release build of the app into `dist/` with the web crate's `features` (the benchmarks
/// ask for `bench`, which the app users get leaves out).
pub fn dist_with(features: &[&str]) -> Result<PathBuf, String> {
    setup::build_tools()?;
    // The app serves the example events file, which is generated rather than committed.
    sample_data::ensure_default(&root())?;
    step("Release build of the web app (cargo, wasm-bindgen, wasm-opt -O3; a few minutes)");
    let joined = features.join(",");
    let mut args = vec!["build", "--release", "--offline"];
    if !features.is_empty() {
        args.extend(["--features", &joined]);
    }
    run("trunk", &args)?;
    let dist = root().join("dist");
    csp::harden(&dist)?;
    print_wasm_size(&dist)?;
    Ok(dist)
}

fn print_wasm_size(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let raw = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
            let gz = Command::new("gzip")
                .args(["-9", "-c"])
                .arg(&path)
                .output()
                .map_err(|e| format!("gzip: {e}"))?
                .stdout
                .len();
            println!(
                "wasm size: {} raw {raw} bytes ({:.2} MB), gzip -9 {gz} bytes ({:.2} MB)",
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                raw as f64 / 1e6,
                gz as f64 / 1e6
            );
        }
    }
    Ok(())
}

fn test() -> Result<(), String> {
    setup::all()?;
    tidy()?;
    // Core's range tests read the sample county's events, which are generated, not committed.
    sample_data::ensure_default(&root())?;
    step("Native tests (core, cli, xtask)");
    run(
        "cargo",
        &[
            "test",
            "--workspace",
            "--exclude",
            "samsyn-web",
            "--exclude",
            "samsyn-datafusion",
        ],
    )?;
    step("The DataFusion executor (issue 14; DataFusion takes minutes to build the first time)");
    run("cargo", &["test", "-p", "samsyn-datafusion"])?;
    run(
        "cargo",
        &[
            "test",
            "-p",
            "samsyn-cli",
            "--features",
            "datafusion",
            "--test",
            "engine_datafusion",
        ],
    )?;
    step("The SQL export run by DuckDB and Spark: the same numbers from aggregated tables (issue 14)");
    setup::java()?;
    let python = bench_pack::python_env(
        "sql-venv",
        &root().join("tests").join("sql").join("requirements.txt"),
    )?;
    let status = command(
        "cargo",
        &[
            "test",
            "-p",
            "samsyn-cli",
            "--test",
            "sql_engines",
            "--",
            "--ignored",
            "--test-threads",
            "1",
        ],
    )
    .env("SAMSYN_PYTHON", &python)
    .status()
    .map_err(|e| format!("could not start cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the SQL export tests failed ({status})"));
    }
    step("The web app's pure parts natively (the notebook editor's edits)");
    run("cargo", &["test", "-p", "samsyn-web", "--lib"])?;
    step("WebAssembly tests in headless Chromium (wasm-bindgen-test)");
    run(
        "cargo",
        &[
            "test",
            "-p",
            "samsyn-web",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )?;
    e2e()?;
    println!("\nAll tests passed.");
    Ok(())
}

/// The end-to-end tests alone: release build, served on loopback, driven in headless Chromium.
fn e2e() -> Result<(), String> {
    setup::all()?;
    let dist = dist()?;
    let single = single_file::build(&dist)?;
    step("End-to-end tests: the built app in headless Chromium (playwright-core)");
    let server = web_server::spawn(&dist)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let status = command("node", &["--test", "--test-reporter=spec", "tests/e2e/"])
        .env("SAMSYN_URL", &url)
        .env("SAMSYN_SINGLE_FILE", &single)
        .status()
        .map_err(|e| format!("could not start node: {e}"))?;
    if !status.success() {
        return Err(format!("end-to-end tests failed ({status})"));
    }
    Ok(())
}

/// Layering: `samsyn-core` must not use any browser crate (it runs natively as well). Checked on
/// its direct dependencies: arrow's chrono reaches js-sys on wasm32 for the time zone, which
/// core never calls.
fn tidy() -> Result<(), String> {
    step("Tidy: samsyn-core depends on no browser crate");
    let out = command(
        "cargo",
        &[
            "tree",
            "-p",
            "samsyn-core",
            "-e",
            "normal",
            "--depth",
            "1",
            "--prefix",
            "none",
            "--target",
            "all",
        ],
    )
    .output()
    .map_err(|e| format!("cargo tree: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let tree = String::from_utf8_lossy(&out.stdout);
    let forbidden = [
        "yew",
        "gloo",
        "web-sys",
        "js-sys",
        "wasm-bindgen",
        "samsyn-web",
        "samsyn-cli",
    ];
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| forbidden.contains(name))
        .collect();
    if !found.is_empty() {
        return Err(format!(
            "samsyn-core must not depend on {} (see ARCHITECTURE.md)",
            found.join(", ")
        ));
    }
    println!("ok: samsyn-core's dependencies are browser-free");
    let g = xtask::module_graph::graph(&root().join("core/src"))?;
    let cycles = xtask::module_graph::cycles(&g);
    if !cycles.is_empty() {
        let list: Vec<String> = cycles.iter().map(|(_, c)| format!("  {c}")).collect();
        return Err(format!(
            "modules of samsyn-core use each other (cargo xtask graph shows all uses):\n{}",
            list.join("\n")
        ));
    }
    println!("ok: no module of samsyn-core uses a module that uses it back");
    Ok(())
}

/// The module graph of `core`, as text, with its cycles at the end.
fn graph() -> Result<String, String> {
    let g = xtask::module_graph::graph(&root().join("core/src"))?;
    let mut s = xtask::module_graph::render(&g);
    for (set, c) in xtask::module_graph::cycles(&g) {
        s.push_str(&format!("cycle of {} modules: {c}\n", set.len()));
    }
    Ok(s)
}

fn bench(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("ingest") => {
            let rows = match args.get(1).map(String::as_str) {
                Some("--rows") => args
                    .get(2)
                    .and_then(|n| n.replace('_', "").parse::<u64>().ok())
                    .ok_or("--rows takes a whole number")?,
                Some(other) => return Err(format!("unknown option '{other}'")),
                None => 1_000_000,
            };
            bench_ingest(rows)
        }
        Some("pack") => bench_pack::run(&args[1..]),
        Some("engines") => bench_engines::run(&args[1..]),
        Some("workbench") => bench_workbench(&args[1..]),
        Some("edits") => {
            let mut cmd = command(
                "cargo",
                &[
                    "run",
                    "--profile",
                    "native",
                    "-p",
                    "samsyn-cli",
                    "--example",
                    "bench_edits",
                    "--",
                ],
            );
            if let (Some("--rows"), Some(n)) = (args.get(1).map(String::as_str), args.get(2)) {
                cmd.arg(n);
            }
            let status = cmd.status().map_err(|e| format!("cargo run: {e}"))?;
            if status.success() {
                Ok(())
            } else {
                Err(format!("bench edits failed ({status})"))
            }
        }
        _ => Err(format!(
            "usage: cargo xtask bench ingest|edits|pack|engines|workbench [--rows N]\n\n{USAGE}"
        )),
    }
}

/// Generates (once) an events CSV of `rows` rows and reads it natively and in the browser.
fn bench_ingest(rows: u64) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("samsyn-bench-{rows}"));
    let file = dir.join("events.csv");
    bench_pack::sample_in(&dir, rows)?;
    let file_str = file.display().to_string();
    step("Native: the inspect and counts plans over the same file (profile native: opt-level 3)");
    run(
        "cargo",
        &[
            "run",
            "--quiet",
            "--profile",
            "native",
            "-p",
            "samsyn-core",
            "--example",
            "bench_ingest",
            "--",
            "--input",
            &file_str,
        ],
    )?;
    step("Native: the example analysis's indicator pack (samsyn indicators, 5 indicators, kommun and county per year)");
    let samsyn = bench_pack::native_samsyn()?;
    let data = |name: &str, file: &str| format!("{name}={}", dir.join(file).display());
    let out_dir = dir.join("pack-out");
    for _ in 0..2 {
        let started = std::time::Instant::now();
        let out = Command::new(&samsyn)
            .arg("indicators")
            .arg(root().join("notebooks/specs/elderly-and-access.json"))
            .args([
                "--data",
                &data("events", "events.csv"),
                "--data",
                &data("requests", "events.csv"),
            ])
            .args([
                "--data",
                &data("population", "population.csv"),
                "--data",
                &data("areas", "areas.csv"),
            ])
            .args(["--level", "kommun,year", "--level", "lan,year", "--out"])
            .arg(&out_dir)
            .output()
            .map_err(|e| format!("{}: {e}", samsyn.display()))?;
        if !out.status.success() {
            return Err(format!(
                "samsyn indicators failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        println!(
            "{{\"where\":\"native\",\"plan\":\"indicator pack\",\"seconds\":{:.3}}}",
            started.elapsed().as_secs_f64()
        );
    }
    setup::all()?;
    let dist = dist_with(&["bench"])?;
    step("WebAssembly: the release app in headless Chromium reads the same file");
    let server = web_server::spawn(&dist)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    for _ in 0..2 {
        run("node", &["tests/bench/ingest-wasm.mjs", &url, &file_str])?;
    }
    Ok(())
}

/// `cargo xtask bench workbench`: the release app in headless Chromium on the seeded sample
/// county (the files `bench pack` uses), driven as a user would (`tests/bench/workbench.mjs`).
fn bench_workbench(args: &[String]) -> Result<(), String> {
    let (mut rows, mut runs) = (1_000_000u64, 3u32);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().map(|v| v.replace('_', ""));
        match arg.as_str() {
            "--rows" => {
                rows = value
                    .and_then(|v| v.parse().ok())
                    .ok_or("--rows takes a whole number")?
            }
            "--runs" => {
                runs = value
                    .and_then(|v| v.parse().ok())
                    .filter(|&r| r > 0)
                    .ok_or("--runs takes a whole number above 0")?
            }
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    let dir = target_dir().join("bench-pack").join(format!("rows-{rows}"));
    bench_pack::sample_in(&dir, rows)?;
    setup::all()?;
    let dist = dist_with(&["bench"])?;
    let server = web_server::spawn(&dist)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    step(&format!(
        "The workbench in headless Chromium on {rows} event rows, {runs} runs (load: {})",
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into())
    ));
    let events = dir.join("events.csv").display().to_string();
    let population = dir.join("population.csv").display().to_string();
    let notebook = root()
        .join("notebooks/falls.samsyn.json")
        .display()
        .to_string();
    run(
        "node",
        &[
            "tests/bench/workbench.mjs",
            &url,
            &events,
            &population,
            &runs.to_string(),
            &notebook,
        ],
    )
}
