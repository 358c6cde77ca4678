//! Ingest benchmark: writes a seeded 1 M-row events CSV to a temporary file, then reads it from
//! disk in 1 MiB chunks (as the CLI and the browser do) through the inspect plan and the counts
//! plan, printing MB/s, rows/s and peak memory (VmHWM from /proc/self/status).
//!
//! `cargo run --profile native -p samsyn-core --example bench_ingest -- [--rows N] [--bad-every K] [--keep PATH] [--input PATH]`
//! (`--bad-every K`: every K-th row has an unknown kommun and an age of 150, to time the problem
//! path and show that kept problems stay bounded).
//! (`cargo xtask bench ingest` calls it). The last line is one JSON object for xtask. Nothing
//! asserts a time (CONVENTIONS §6).

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use samsyn_core::counts::CountPerKommun;
use samsyn_core::ingest::{FileReader, ReadOptions, RecordSink};
use samsyn_core::inspect::Inspect;

#[path = "common/mod.rs"]
mod common;
use common::{peak_memory_mb, Rng};

const CHUNK_BYTES: usize = 1 << 20;
const SEED: u64 = 0x5A4D_5359_4E00_0001;

fn generate(path: &Path, rows: u64, bad_every: u64) -> std::io::Result<u64> {
    let kommuner = [
        "2401", "2403", "2404", "2409", "2417", "2418", "2421", "2422", "2425", "2460", "2462",
        "2463", "2480", "2481", "2482",
    ];
    let centres = [
        "Ålidhem",
        "Teg",
        "Ersboda",
        "Mariehem",
        "Sävar",
        "Lycksele",
        "Skellefteå centrum",
        "Vilhelmina",
    ];
    let types = ["besök", "telefon", "digitalt", "hembesök", "inläggning"];
    let causes = ["I10", "E11", "J44", "S72", "F32", "M54", "R53"];
    let mut rng = Rng(SEED);
    let mut out = BufWriter::with_capacity(CHUNK_BYTES, File::create(path)?);
    writeln!(
        out,
        "event_id,person_id,year,date,deso,kommun,vardcentral,sex,age,event_type,cause,value"
    )?;
    for id in 1..=rows {
        let bad = bad_every > 0 && id % bad_every == 0;
        let k = if bad {
            "9999"
        } else {
            kommuner[rng.below(kommuner.len() as u64) as usize]
        };
        let (year, month, day) = (2020 + rng.below(5), 1 + rng.below(12), 1 + rng.below(28));
        writeln!(
            out,
            "{id},P{:06},{year},{year}-{month:02}-{day:02},{k}C{:04},{k},{},{},{},{},{},{}.{:02}",
            rng.below(200_000),
            1000 + rng.below(60),
            centres[rng.below(centres.len() as u64) as usize],
            if rng.below(2) == 0 { "K" } else { "M" },
            if bad { 150 } else { rng.below(101) },
            types[rng.below(types.len() as u64) as usize],
            causes[rng.below(causes.len() as u64) as usize],
            rng.below(1000),
            rng.below(100),
        )?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

struct Pass {
    name: &'static str,
    seconds: f64,
    rows: u64,
    problems: u64,
}

fn run(
    name: &'static str,
    path: &Path,
    plan: &mut dyn RecordSink,
) -> Result<(Pass, u64), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut file = File::open(path)?;
    let mut reader = FileReader::new("events.csv", ReadOptions::default());
    let mut buf = vec![0u8; CHUNK_BYTES];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        reader.push(&buf[..n], plan)?;
    }
    let outcome = reader.finish(plan)?;
    let seconds = start.elapsed().as_secs_f64();
    Ok((
        Pass {
            name,
            seconds,
            rows: outcome.stats.rows,
            problems: outcome.problems.total,
        },
        outcome.stats.bytes,
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let rows: u64 = arg("--rows")
        .map(|r| r.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let keep = arg("--keep").map(PathBuf::from);
    let bad_every: u64 = arg("--bad-every")
        .map(|r| r.parse())
        .transpose()?
        .unwrap_or(0);
    let input = arg("--input").map(PathBuf::from);
    let path = input.clone().or_else(|| keep.clone()).unwrap_or_else(|| {
        std::env::temp_dir().join(format!("samsyn-bench-ingest-{}.csv", std::process::id()))
    });

    let t = Instant::now();
    let bytes = match &input {
        // An existing file, e.g. `cargo xtask sample-data --rows N` (what `cargo xtask bench
        // ingest` passes), so the native and the browser figures are for the same bytes.
        Some(p) => std::fs::metadata(p)?.len(),
        None => generate(&path, rows, bad_every)?,
    };
    let mb = bytes as f64 / 1e6;
    println!(
        "{} {mb:.1} MB in {:.2} s ({})",
        if input.is_some() {
            "input"
        } else {
            "generated"
        },
        t.elapsed().as_secs_f64(),
        path.display()
    );
    let peak_after_generate = peak_memory_mb().unwrap_or(0.0);

    let mut inspect = Inspect::default();
    let (inspect_pass, _) = run("inspect", &path, &mut inspect)?;
    let mut counts = CountPerKommun::default();
    let (counts_pass, _) = run("counts", &path, &mut counts)?;
    let peak = peak_memory_mb().unwrap_or(0.0);
    if keep.is_none() && input.is_none() {
        let _ = std::fs::remove_file(&path);
    }

    println!(
        "{:<8} {:>10} {:>12} {:>9} {:>9}",
        "pass", "MB/s", "rows/s", "seconds", "problems"
    );
    for p in [&inspect_pass, &counts_pass] {
        println!(
            "{:<8} {:>10.1} {:>12.0} {:>9.2} {:>9}",
            p.name,
            mb / p.seconds,
            p.rows as f64 / p.seconds,
            p.seconds,
            p.problems
        );
    }
    println!("peak memory (VmHWM): {peak:.1} MB (after generating: {peak_after_generate:.1} MB)");
    let pass_json = |p: &Pass| {
        format!(
            "{{\"mb_per_s\":{:.1},\"rows_per_s\":{:.0},\"seconds\":{:.3},\"rows\":{},\"problems\":{}}}",
            mb / p.seconds,
            p.rows as f64 / p.seconds,
            p.seconds,
            p.rows,
            p.problems
        )
    };
    let rows = counts_pass.rows;
    println!(
        "{{\"bench\":\"ingest\",\"rows\":{rows},\"mb\":{mb:.1},\"inspect\":{},\"counts\":{},\"peak_mb\":{peak:.1}}}",
        pass_json(&inspect_pass),
        pass_json(&counts_pass)
    );
    Ok(())
}
