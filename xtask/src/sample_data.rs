//! `cargo xtask sample-data`: a seeded, invented county modelled on Västerbotten (issue 7).
//!
//! Writes `population.csv`, `events.csv`, `areas.csv`, `vardcentraler.csv`, `survey.csv` and a
//! `README.md` describing them. Everything is synthetic: the 15 kommun codes and names and their
//! rough sizes are real (SCB, population 2023 rounded), DeSO areas, health centres, persons,
//! events and survey answers are invented. Age gradients follow the shape of Swedish figures
//! (older inland kommuner; falls, admissions and avoidable admissions rising steeply with age),
//! not their exact values.
//!
//! Determinism: the random numbers come from xoshiro256** seeded by SplitMix64 (Blackman &
//! Vigna 2018), written out in `random.rs`, and the only floating-point operations are +, −,
//! ×, ÷ (IEEE 754, exactly rounded) plus our own `exp` built from them, so the same seed gives
//! the same bytes on every platform and every future Rust. Each part of the county draws from
//! its own stream, so changing how events are drawn does not move the areas. A test pins the
//! output (`events.csv` of a small run included); another checks that the committed files in
//! `sample-data/` are what the generator writes.
//!
//! Volume: every person has all their falls, admissions, avoidable admissions and home visits
//! at realistic rates, so rates computed as events ÷ `population.csv` are the county's real
//! levels. Care requests (`assessed_within_3_days`, about 1.5 a person a year, 2 M rows over
//! the five years) are written for a sample of one person in [`DEFAULT_CARE_SAMPLE`] only:
//! they serve for shares (assessed within 3 days), not rates. The default `events.csv` is
//! about 270 000 rows, 27 MB; it is not committed but generated on demand (about a second,
//! see [`ensure_default`]); the other files are committed and stay under 5 MB each.
//!
//! `--bad-rows N` (issue 10) injects N bad rows of the kinds in `bad_rows.rs` into
//! `events.csv`, spread over the file, and lists them in `bad-rows.csv` (row, kind); the clean
//! rows stay byte for byte those of the same seed without the option.
//!
//! `--rows N` (benchmarks) scales the default run: below the default's volume it keeps the
//! events of a random fraction N ÷ default rows of persons (care requests one in 32 of those);
//! above, the population itself is multiplied by an integer factor and the fraction is taken
//! from that bigger county, so benchmarks can ask for 10 M rows. Events are streamed through a
//! `BufWriter`: memory stays flat (about 3 MB) whatever N.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod bad_rows;
mod county;
mod events;
mod random;
mod rates;
mod readme;
mod survey;
#[cfg(test)]
mod tests;

use county::{build_county, population_of_year, County, BANDS, HEALTH_CENTRES, KOMMUNER, SEXES};
use county::{BAND_65, BAND_80, BAND_LABELS};

/// The seed of the committed files in `sample-data/` (issue 7).
pub const DEFAULT_SEED: u64 = 7;
/// Care requests are written for one person in this many (every other event type for every
/// person): use them for shares, not rates.
pub const DEFAULT_CARE_SAMPLE: u32 = 32;
/// The years covered.
pub const FIRST_YEAR: u16 = 2021;
pub const LAST_YEAR: u16 = 2025;

const USAGE: &str =
    "usage: cargo xtask sample-data [--rows N] [--bad-rows N] [--out DIR] [--seed S]
  --rows N   about N rows in events.csv, for benchmarks (default: every person's events,
             care requests of one person in 32: about 270 000 rows; smaller N keeps a
             fraction of persons, larger N multiplies the population)
  --bad-rows N
             inject N bad rows (ragged, bad ages, DeSO codes, dates, sex, event types,
             values, kommun, blank, duplicate, not UTF-8) into events.csv, listed in
             bad-rows.csv; the other rows are those of the run without it
  --out DIR  where to write the files (default: sample-data/ in the workspace)
  --seed S   the random seed, an unsigned integer (default: 7)
  --format csv|parquet|both
             parquet: events, population and survey as folders NAME-parquet/ of Parquet
             files (every column text), as a data lake holds them, instead of the CSV
             files; both: beside them (default csv; written by DuckDB, installed on first
             use into the build folder)
  --partitions K
             the events in K Parquet files (default 8)";

/// Writes the default files (seed 7) into `root/sample-data/` if `events.csv` is missing
/// there, as `cargo xtask serve`, `test` and `dist` need it; does nothing if it exists.
pub fn ensure_default(root: &Path) -> Result<(), String> {
    let out = root.join("sample-data");
    if out.join("events.csv").exists() {
        return Ok(());
    }
    println!(
        "sample-data/events.csv is missing: generating it (cargo xtask sample-data, about a second)"
    );
    generate(&Options {
        rows: None,
        bad_rows: 0,
        out,
        seed: DEFAULT_SEED,
    })
    .map(|_| ())
}

/// Writes the sample county of `seed` into `out`: about `rows` event rows (`None`: the
/// default run), with `bad_rows` bad rows injected and listed in `bad-rows.csv`. Returns the
/// clean event rows written. What `cargo xtask sample-data` does, for tests of other crates.
pub fn write_sample(
    out: &Path,
    seed: u64,
    rows: Option<u64>,
    bad_rows: u64,
) -> Result<u64, String> {
    generate(&Options {
        rows,
        bad_rows,
        out: out.to_path_buf(),
        seed,
    })
    .map(|s| s.event_rows)
}

/// Runs `cargo xtask sample-data` with the arguments after `sample-data`.
pub fn run(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return Ok(());
    }
    let options = parse_args(args)?;
    let started = Instant::now();
    let summary = generate(&options)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "wrote {} ({} event rows{}, {} population rows, {} DeSO, {} health centres) in {seconds:.1} s",
        options.out.display(),
        summary.event_rows,
        if summary.bad_rows > 0 {
            format!(" and {} bad rows listed in bad-rows.csv", summary.bad_rows)
        } else {
            String::new()
        },
        summary.population_rows,
        summary.deso_count,
        summary.vc_count
    );
    Ok(())
}

#[derive(Debug, Clone)]
struct Options {
    rows: Option<u64>,
    /// Bad rows to inject into `events.csv` (`--bad-rows`).
    bad_rows: u64,
    out: PathBuf,
    seed: u64,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut options = Options {
        rows: None,
        bad_rows: 0,
        out: workspace.join("sample-data"),
        seed: DEFAULT_SEED,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--rows" => {
                let v = value()?;
                let rows: u64 = v
                    .replace('_', "")
                    .parse()
                    .map_err(|_| format!("--rows: '{v}' is not a whole number\n{USAGE}"))?;
                if rows == 0 {
                    return Err(format!("--rows must be at least 1\n{USAGE}"));
                }
                options.rows = Some(rows);
            }
            "--bad-rows" => {
                let v = value()?;
                options.bad_rows = v
                    .replace('_', "")
                    .parse()
                    .map_err(|_| format!("--bad-rows: '{v}' is not a whole number\n{USAGE}"))?;
            }
            "--out" => options.out = PathBuf::from(value()?),
            "--seed" => {
                let v = value()?;
                options.seed = v
                    .parse()
                    .map_err(|_| format!("--seed: '{v}' is not an unsigned integer\n{USAGE}"))?;
            }
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    Ok(options)
}

/// What a run wrote, for the console and the README.
struct Summary {
    event_rows: u64,
    /// Bad rows injected into `events.csv` (not in `event_rows`).
    bad_rows: u64,
    events: events::EventTally,
    population_rows: u64,
    /// Person-years over all years: all ages, ages 65+, ages 80+.
    person_years: [u64; 3],
    /// Person-years over all years per age band.
    person_years_by_band: [u64; BANDS],
    deso_count: usize,
    vc_count: usize,
    person_fraction: f64,
    population_scale: u64,
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>, String> {
    let path = dir.join(name);
    File::create(&path)
        .map(|f| BufWriter::with_capacity(1 << 16, f))
        .map_err(|e| format!("cannot create {}: {e}", path.display()))
}

fn io_err(name: &str) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("cannot write {name}: {e}")
}

/// Writes every file into `options.out`.
fn generate(options: &Options) -> Result<Summary, String> {
    let county = build_county(options.seed);
    let (person_fraction, population_scale) = match options.rows {
        None => (1.0, 1),
        Some(rows) => {
            let f = rows as f64 / events::expected_default_rows(&county, DEFAULT_CARE_SAMPLE);
            if f <= 1.0 {
                (f, 1)
            } else {
                let scale = f.ceil() as u64;
                (f / scale as f64, scale)
            }
        }
    };
    let dir = &options.out;
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    write_vardcentraler(dir)?;
    write_areas(dir, &county)?;
    let (population_rows, person_years, person_years_by_band) =
        write_population(dir, &county, population_scale)?;
    let events = events::write_events(
        dir,
        &county,
        options.seed,
        person_fraction,
        DEFAULT_CARE_SAMPLE,
        population_scale,
    )?;
    let bad_rows = bad_rows::inject(dir, options.seed, options.bad_rows, events.rows)?;
    if bad_rows == 0 {
        // A run without bad rows leaves no stale list from an earlier one.
        let _ = fs::remove_file(dir.join("bad-rows.csv"));
    }
    survey::write_survey(dir, &county, options.seed, population_scale)?;
    let summary = Summary {
        event_rows: events.rows,
        bad_rows,
        events,
        population_rows,
        person_years,
        person_years_by_band,
        deso_count: county.desos.len(),
        vc_count: HEALTH_CENTRES.len(),
        person_fraction,
        population_scale,
    };
    readme::write_readme(dir, options, &summary)?;
    Ok(summary)
}

fn write_vardcentraler(dir: &Path) -> Result<(), String> {
    let name = "vardcentraler.csv";
    let mut w = create(dir, name)?;
    let err = io_err(name);
    writeln!(w, "vardcentral,kommun,owner").map_err(&err)?;
    for h in &HEALTH_CENTRES {
        writeln!(w, "{},{},{}", h.name, h.kommun, h.owner.as_str()).map_err(&err)?;
    }
    w.flush().map_err(&err)
}

fn write_areas(dir: &Path, county: &County) -> Result<(), String> {
    let name = "areas.csv";
    let mut w = create(dir, name)?;
    let err = io_err(name);
    writeln!(w, "deso,kommun,kommun_name,deso_type,vardcentral").map_err(&err)?;
    for d in &county.desos {
        let (Some(k), Some(h)) = (KOMMUNER.get(d.kommun), HEALTH_CENTRES.get(d.vc)) else {
            continue;
        };
        writeln!(w, "{},{},{},{},{}", d.code, k.code, k.name, d.kind, h.name).map_err(&err)?;
    }
    w.flush().map_err(&err)
}

/// Writes `population.csv`; returns its rows and the person-years (all ages, 65+, 80+).
fn write_population(
    dir: &Path,
    county: &County,
    scale: u64,
) -> Result<(u64, [u64; 3], [u64; BANDS]), String> {
    let name = "population.csv";
    let mut w = create(dir, name)?;
    let err = io_err(name);
    writeln!(w, "year,deso,kommun,sex,age_band,population").map_err(&err)?;
    let mut rows = 0;
    let mut person_years = [0, 0, 0];
    let mut by_band = [0; BANDS];
    for year in FIRST_YEAR..=LAST_YEAR {
        let population = population_of_year(county, year, scale);
        for (deso, cells) in county.desos.iter().zip(&population) {
            let kommun = KOMMUNER.get(deso.kommun).map_or("", |k| k.code);
            for (sex, label) in SEXES.iter().enumerate() {
                for (band, band_label) in BAND_LABELS.iter().enumerate() {
                    let n = cells.get(sex * BANDS + band).copied().unwrap_or(0);
                    writeln!(w, "{year},{},{kommun},{label},{band_label},{n}", deso.code)
                        .map_err(&err)?;
                    rows += 1;
                    person_years[0] += n;
                    if band >= BAND_65 {
                        person_years[1] += n;
                    }
                    if band >= BAND_80 {
                        person_years[2] += n;
                    }
                    if let Some(py) = by_band.get_mut(band) {
                        *py += n;
                    }
                }
            }
        }
    }
    w.flush().map_err(&err)?;
    Ok((rows, person_years, by_band))
}
