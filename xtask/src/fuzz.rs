//! `cargo xtask fuzz [TARGET] [--runs N] [--seconds S] [--keep-going] [--sanitizer S]`: runs
//! the cargo-fuzz targets of `fuzz/` one at a time (all of them without TARGET), each in one
//! process at low priority (`nice -n 15`), starting from the seeds in `fuzz/seeds/<target>/`.
//! `--keep-going` runs libFuzzer's fork mode with one worker, which saves each crash and goes
//! on (to get past a known one). `--sanitizer none` builds without AddressSanitizer (cargo
//! fuzz's default is `address`): core has no `unsafe`, so what the fuzzer looks for there is a
//! panic, an abort, a hang or an allocation over the limit, which libFuzzer catches either
//! way, and without ASan's bookkeeping of every allocation a run is several times faster (csv:
//! about 7 000 runs/s on an idle core, against 1 300–1 900 with ASan). Each sanitizer builds
//! into a folder of its own.
//!
//! cargo-fuzz needs nightly Rust for its `-Z` flags; on a stable toolchain this sets
//! `RUSTC_BOOTSTRAP=1`, which lets stable accept them. Install it with
//! `cargo install cargo-fuzz --locked`. What a run adds to the corpus stays in the build
//! folder (`fuzz-corpus/<target>`), so the repository keeps only the seeds; crashes go to
//! `fuzz/artifacts/<target>/`, as do inputs that take over 30 s. libFuzzer ends each run with
//! `Done N runs in S second(s)`.

use crate::{command, root, step, target_dir};

/// Every target, in the order they run.
pub const TARGETS: [&str; 5] = ["csv", "text", "px", "workbook", "notebook"];

pub fn run(args: &[String]) -> Result<(), String> {
    let mut target = None;
    let mut runs = 10_000_000u64;
    let mut seconds = None;
    let mut keep_going = false;
    let mut sanitizer = "address".to_owned();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            rest.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--runs" => runs = number("--runs")?,
            "--seconds" => seconds = Some(number("--seconds")?),
            "--keep-going" => keep_going = true,
            "--sanitizer" => {
                sanitizer = rest
                    .next()
                    .filter(|s| {
                        ["address", "none", "memory", "thread", "leak"].contains(&s.as_str())
                    })
                    .ok_or("--sanitizer needs one of address, none, memory, thread, leak")?
                    .clone()
            }
            t if !t.starts_with('-') && target.is_none() => target = Some(t.to_owned()),
            other => return Err(format!("unknown argument '{other}' for fuzz")),
        }
    }
    let targets: Vec<&str> = match &target {
        Some(t) => match TARGETS.iter().find(|k| *k == t) {
            Some(k) => vec![*k],
            None => {
                return Err(format!(
                    "no fuzz target '{t}'; the targets are {}",
                    TARGETS.join(", ")
                ))
            }
        },
        None => TARGETS.to_vec(),
    };
    let build = match sanitizer.as_str() {
        "address" => target_dir().join("fuzz"),
        other => target_dir().join(format!("fuzz-{other}")),
    };
    for t in targets {
        step(&format!("Fuzzing {t} ({runs} runs at most)"));
        let corpus = target_dir().join("fuzz-corpus").join(t);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let seeds = root().join("fuzz").join("seeds").join(t);
        let mut cmd = command(
            "nice",
            // -O: fuzz/Cargo.toml's release profile decides the checks (see there).
            &["-n", "15", "cargo", "fuzz", "run", "-O", "--target-dir"],
        );
        cmd.arg(&build)
            .args(["--sanitizer", &sanitizer])
            .arg(t)
            .arg(&corpus)
            .arg(&seeds);
        // An input that takes seconds is a finding too (issue 10: no super-linear work).
        // One input may hold up to the readers' limits (512 MB unzipped for a workbook), and
        // the allocator keeps freed pages, so over millions of runs the process outgrows
        // libFuzzer's 2 GB RSS default without a leak: watch RSS at 6 GB, and still report
        // any single allocation over 2 GB.
        cmd.arg("--")
            .arg(format!("-runs={runs}"))
            // Wall-clock time: at nice 15 beside builds the fuzzer gets a sliver of a core
            // (an input of 0.4 s of CPU timed out at 12 s beside a benchmark), so 30 s.
            .arg("-timeout=30")
            .arg("-rss_limit_mb=6144")
            .arg("-malloc_limit_mb=2048");
        if let Some(s) = seconds {
            cmd.arg(format!("-max_total_time={s}"));
        }
        if keep_going {
            cmd.args([
                "-fork=1",
                "-ignore_crashes=1",
                "-ignore_timeouts=1",
                "-ignore_ooms=1",
            ]);
        }
        let status = cmd.env("RUSTC_BOOTSTRAP", "1").status().map_err(|e| {
            format!("could not start cargo fuzz (cargo install cargo-fuzz --locked): {e}")
        })?;
        if !status.success() {
            return Err(format!(
                "fuzz target {t} failed ({status}); see fuzz/artifacts/{t}/"
            ));
        }
    }
    Ok(())
}
