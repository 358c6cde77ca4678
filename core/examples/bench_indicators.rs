//! Benchmark (issue 6): 12 indicators × (county, 15 kommuner, ~300 DeSO, ~35 health centres) ×
//! 5 years × sex, over more than 1 M event rows and a DeSO × sex × age band × year population.
//!
//! Run: `cargo run --profile native -p samsyn-core --example bench_indicators [EVENTS POP AREAS]`.
//! Without arguments it writes seeded synthetic files to the temp folder first (streamed to
//! disk, so the peak memory is the engine's, not the generator's), then reads each file once in
//! 1 MB chunks into the plans, as the CLI does, and prints the time of each step and the
//! process's peak memory (VmHWM). No test asserts a time (CONVENTIONS.md §6). Method sources:
//! see `samsyn_core::indicators`.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use samsyn_core::areas::VASTERBOTTEN_KOMMUNER;
use samsyn_core::indicators::{compile, IndicatorSpec, Level};
use samsyn_core::ingest::{DialectOverrides, TextReader};

#[path = "common/mod.rs"]
mod common;
use common::{peak_memory_mb, Rng};

const DESO_PER_KOMMUN: usize = 20;
const YEARS: std::ops::RangeInclusive<u32> = 2021..=2025;
const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

fn generate(dir: &Path) -> std::io::Result<(PathBuf, PathBuf, PathBuf, u64)> {
    let (ev, pop, areas) = (
        dir.join("bench_events.csv"),
        dir.join("bench_population.csv"),
        dir.join("bench_areas.csv"),
    );
    let mut rng = Rng(0x5A45_5359_4E32_0006);
    let mut e = BufWriter::new(File::create(&ev)?);
    let mut p = BufWriter::new(File::create(&pop)?);
    let mut a = BufWriter::new(File::create(&areas)?);
    writeln!(e, "date,deso,vardcentral,sex,age,event_type,cause,value")?;
    writeln!(p, "year,deso,sex,age_band,population")?;
    writeln!(a, "deso,vardcentral")?;
    let mut rows = 0u64;
    for (k, (kommun, name)) in VASTERBOTTEN_KOMMUNER.iter().enumerate() {
        // 2–3 health centres a kommun: 35 in all.
        let centres = 2 + (k % 3 == 0) as usize;
        for d in 0..DESO_PER_KOMMUN {
            let kind = ["A", "B", "C"][d % 3];
            let deso = format!("{kommun}{kind}{:03}0", d + 1);
            let centre = format!("{name} HC {}", d % centres + 1);
            writeln!(a, "{deso},{centre}")?;
            for year in YEARS {
                for sex in ["K", "M"] {
                    for (b, band) in BANDS.iter().enumerate() {
                        let n = 20 + rng.below(60);
                        writeln!(p, "{year},{deso},{sex},{band},{n}")?;
                        // Events per person-year rise with age; ~ 1.1 M rows in all.
                        let per_person = 0.05 + 0.04 * b as f64;
                        let events = (n as f64 * per_person) as u64 + rng.below(3);
                        for _ in 0..events {
                            let age = b as u64 * 5 + rng.below(5);
                            let month = 1 + rng.below(12);
                            let (t, cause, value) = match rng.below(10) {
                                0 => ("fall_injury", "home", 1),
                                1..=3 => (
                                    "admission",
                                    ["fall", "stroke", "other"][rng.below(3) as usize],
                                    1 + rng.below(9),
                                ),
                                4 => ("avoidable_admission", "copd", 1 + rng.below(6)),
                                5 | 6 => {
                                    ("home_visit", ["doctor", "nurse"][rng.below(2) as usize], 1)
                                }
                                _ => (
                                    "assessed_within_3_days",
                                    "phone",
                                    (rng.below(10) < 8) as u64,
                                ),
                            };
                            let listed = if rng.below(8) == 0 {
                                format!("{name} HC {}", (d + 1) % centres + 1)
                            } else {
                                centre.clone()
                            };
                            writeln!(
                                e,
                                "{year}-{month:02}-15,{deso},{listed},{sex},{age},{t},{cause},{value}"
                            )?;
                            rows += 1;
                        }
                    }
                }
            }
        }
    }
    e.flush()?;
    p.flush()?;
    a.flush()?;
    Ok((ev, pop, areas, rows))
}

const SPEC: &str = r#"{
  "sources": {
    "events": {"deso": "deso", "date": "date", "sex": "sex", "age": "age"},
    "requests": {"deso": "deso", "provider": "vardcentral", "date": "date", "sex": "sex", "age": "age"},
    "population": {"deso": "deso", "year": "year", "sex": "sex", "age_band": "age_band"}
  },
  "mappings": [{"source": "areas", "from": "deso", "to": "provider", "from_column": "deso", "to_column": "vardcentral"}],
  "indicators": [
    {"id": "falls65_dsr", "name": "Fallskador 65+ DSR", "polarity": "low_is_good", "measure": "dsr", "ages": {"min": 65},
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "fall_injury"}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "benchmark", "against": "county"}},
    {"id": "falls80", "name": "Fallskador 80+", "polarity": "low_is_good", "measure": "rate", "multiplier": 1000, "ages": {"min": 80},
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "fall_injury"}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "benchmark", "against": "county", "levels": "two"}},
    {"id": "fall_adm80", "name": "Inskrivningar fall 80+", "polarity": "low_is_good", "measure": "rate", "multiplier": 1000, "ages": {"min": 80},
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "admission"}, {"column": "cause", "op": "=", "value": "fall"}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "quantiles"}},
    {"id": "admissions_dsr", "name": "Slutenvård DSR", "polarity": "low_is_good", "measure": "dsr",
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "admission"}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "benchmark", "against": "county"}},
    {"id": "admissions_isr", "name": "Slutenvård ISR", "polarity": "low_is_good", "measure": "isr",
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "admission"}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "benchmark", "against": {"value": 100}}},
    {"id": "avoidable65", "name": "Undvikbar slutenvård 65+", "polarity": "low_is_good", "measure": "rate", "multiplier": 1000, "ages": {"min": 65},
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "avoidable_admission"}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "benchmark", "against": "previous"}},
    {"id": "doctor_visits65", "name": "Läkarhembesök 65+", "polarity": "high_is_good", "measure": "rate", "multiplier": 1000, "ages": {"min": 65},
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "home_visit"}, {"column": "cause", "op": "=", "value": "doctor"}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "trend", "periods": 3}},
    {"id": "nurse_visits", "name": "Sjuksköterskebesök", "polarity": "no_judgement", "measure": "count",
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "home_visit"}, {"column": "cause", "op": "=", "value": "nurse"}]}},
    {"id": "assessed3d", "name": "Bedömda inom 3 dagar", "polarity": "high_is_good", "measure": "share",
     "numerator": {"source": "requests", "where": [{"column": "event_type", "op": "=", "value": "assessed_within_3_days"}, {"column": "value", "op": "=", "value": 1}]},
     "denominator": {"source": "requests", "where": [{"column": "event_type", "op": "=", "value": "assessed_within_3_days"}]},
     "light": {"method": "target", "green": 85, "red": 75}},
    {"id": "los", "name": "Vårdtid", "polarity": "low_is_good", "measure": "mean",
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "admission"}], "sum": "value"},
     "light": {"method": "quantiles"}},
    {"id": "los_avoidable", "name": "Vårdtid undvikbar", "polarity": "low_is_good", "measure": "mean",
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "avoidable_admission"}], "sum": "value"},
     "light": {"method": "quantiles"}},
    {"id": "stroke65", "name": "Stroke 65+", "polarity": "low_is_good", "measure": "rate", "ages": {"min": 65},
     "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "admission"}, {"column": "cause", "op": "in", "value": ["stroke"]}]},
     "denominator": {"source": "population", "sum": "population"}, "light": {"method": "benchmark", "against": "county"}}
  ]
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t0 = Instant::now();
    let (ev, pop, areas, generated) = match args.as_slice() {
        [e, p, a] => (PathBuf::from(e), PathBuf::from(p), PathBuf::from(a), 0),
        _ => generate(&std::env::temp_dir())?,
    };
    if generated > 0 {
        println!(
            "generated {generated} event rows in {:.2} s (peak memory so far {})",
            t0.elapsed().as_secs_f64(),
            peak_memory_mb()
                .map(|m| format!("{m:.1} MB"))
                .unwrap_or_else(|| "unknown".into())
        );
    }
    let spec: IndicatorSpec = serde_json::from_str(SPEC)?;
    let levels: Vec<Level> = [
        "lan,sex,year",
        "kommun,sex,year",
        "deso,sex,year",
        "provider,sex,year",
    ]
    .iter()
    .map(|l| Level::parse(l))
    .collect::<Result<_, _>>()?;
    let compiled = compile(&spec)?.for_levels(&levels);
    let files = [
        ("events", &ev),
        ("requests", &ev),
        ("population", &pop),
        ("areas", &areas),
    ];
    let start = Instant::now();
    let mut read = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    for name in compiled.data_names() {
        let path = files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
            .ok_or("no file")?;
        let t = Instant::now();
        let mut plan = compiled.plan(&name);
        let mut reader = TextReader::new(&path.display().to_string(), DialectOverrides::default());
        let mut f = File::open(path)?;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            reader.push(buf.get(..n).unwrap_or_default(), &mut plan)?;
        }
        let (stats, problems, _) = reader.finish(&mut plan)?;
        let s = t.elapsed().as_secs_f64();
        println!(
            "read {name:<10} {:>9} rows, {:>6.1} MB in {s:.2} s ({:.0} rows/s), {} problems",
            stats.rows,
            stats.bytes as f64 / 1e6,
            stats.rows as f64 / s,
            problems.total
        );
        read.push(plan.finish(stats, problems));
    }
    let read_s = start.elapsed().as_secs_f64();
    let peak_after_read = peak_memory_mb();
    let t = Instant::now();
    let results = compiled.finish(&read, &levels)?;
    let finish_s = t.elapsed().as_secs_f64();
    let rows: usize = results.tables.iter().map(|t| t.rows.len()).sum();
    for level in [
        "lan_sex_year",
        "kommun_sex_year",
        "deso_sex_year",
        "provider_sex_year",
    ] {
        let units = results
            .tables
            .iter()
            .find(|t| t.level.file_name() == level)
            .map(|t| t.rows.len())
            .unwrap_or(0);
        println!("  {level:<18} {units:>6} unit-rows per indicator (units × sex × years)");
    }
    println!(
        "{} indicators × {} levels = {} tables, {rows} result rows, {} roll-up rows, {} hierarchy notes",
        spec.indicators.len(),
        levels.len(),
        results.tables.len(),
        results.rollup.len(),
        results.hierarchy.len()
    );
    println!(
        "peak memory after reading {}",
        peak_after_read
            .map(|m| format!("{m:.1} MB"))
            .unwrap_or_else(|| "unknown".into())
    );
    println!(
        "time: read {read_s:.2} s + finish {finish_s:.2} s = {:.2} s; peak memory (VmHWM) {}",
        read_s + finish_s,
        peak_memory_mb()
            .map(|m| format!("{m:.1} MB"))
            .unwrap_or_else(|| "unknown".into())
    );
    Ok(())
}
