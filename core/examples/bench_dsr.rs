//! Benchmark: DSRs with 95 % Dobson limits (PHEindicatormethods `calculate_dsr`, methods.md §2)
//! for 100 000 groups × 19 ESP2013 bands, on seeded synthetic data.
//!
//! Run: `cargo run --release -p samsyn-core --example bench_dsr`. Prints figures only; no test
//! asserts a time (CONVENTIONS.md §6).

use std::hint::black_box;
use std::time::Instant;

use samsyn_core::aggregate::{aggregate, AggregateSpec};
use samsyn_core::grouped_stats::{compute, GroupedConfig, Statistic};
use samsyn_core::standard_pop::StandardPopulation;
use samsyn_core::stats::dsr::dsr_aligned;
use samsyn_core::stats::DsrConfig;

#[path = "common/mod.rs"]
mod common;
use common::Rng;

const GROUPS: usize = 100_000;

fn main() {
    let esp = StandardPopulation::esp2013();
    let bands = esp.bands().len();
    let mut rng = Rng(0x5A45_5359_4E32_0026);
    let mut counts = Vec::with_capacity(GROUPS * bands);
    let mut pops = Vec::with_capacity(GROUPS * bands);
    for _ in 0..GROUPS {
        for b in 0..bands {
            let n = 50 + rng.below(5_000);
            // Older bands have higher rates, like most primary-care outcomes.
            let rate_per_mille = 1 + b as u64 * 3;
            counts.push(rng.below(n * rate_per_mille / 1000 + 2) as f64);
            pops.push(n as f64);
        }
    }
    let config = DsrConfig::default();

    // 1. The statistic alone: one call per group on aligned slices.
    let start = Instant::now();
    let mut shown = 0usize;
    let mut checksum = 0.0;
    for (x, n) in counts.chunks_exact(bands).zip(pops.chunks_exact(bands)) {
        if let Ok(d) = dsr_aligned(&esp, x, n, &config) {
            if let (Some(v), Some(l), Some(u)) = (d.value, d.lower, d.upper) {
                shown += 1;
                checksum += v + l + u;
            }
        }
    }
    let dsr_time = start.elapsed();
    black_box(checksum);

    // 2. End to end from CSV text: the streaming aggregate plan (group × band sums), then the
    //    grouped DSR step, as `samsyn stat dsr` runs it.
    let mut csv = String::with_capacity(GROUPS * bands * 24);
    csv.push_str("group;age_band;count;population\n");
    for (g, (x, n)) in counts
        .chunks_exact(bands)
        .zip(pops.chunks_exact(bands))
        .enumerate()
    {
        for ((band, x), n) in esp.bands().iter().zip(x).zip(n) {
            csv.push_str(&format!("G{g:06};{band};{x};{n}\n"));
        }
    }
    let spec = AggregateSpec {
        by: vec!["group".into()],
        age_band: Some("age_band".into()),
        numerator: "count".into(),
        denominator: "population".into(),
    };
    let start = Instant::now();
    let data = aggregate("bench.csv", csv.as_bytes(), spec).expect("synthetic data is valid");
    let aggregate_time = start.elapsed();
    let start = Instant::now();
    let statistic = Statistic::Dsr {
        standard: esp.clone(),
        multiplier: 1e5,
        ages_from: None,
    };
    let table = compute(&data, &statistic, &GroupedConfig::default()).expect("bands match");
    let grouped_time = start.elapsed();
    black_box(&table);

    let per_group = |t: std::time::Duration| t.as_secs_f64() * 1e9 / GROUPS as f64;
    println!("DSR with 95 % Dobson limits, {GROUPS} groups × {bands} ESP2013 bands");
    println!(
        "  dsr_aligned only          {:>9.1} ms  ({:.0} ns/group; {shown} groups shown, rest < 10 events)",
        dsr_time.as_secs_f64() * 1e3,
        per_group(dsr_time)
    );
    println!(
        "  aggregate plan, {} rows, {:.1} MB CSV  {:>9.1} ms",
        data.stats.rows,
        csv.len() as f64 / 1e6,
        aggregate_time.as_secs_f64() * 1e3
    );
    println!(
        "  grouped DSR step          {:>9.1} ms  ({:.0} ns/group; {} rows out)",
        grouped_time.as_secs_f64() * 1e3,
        per_group(grouped_time),
        table.rows.len()
    );
}
