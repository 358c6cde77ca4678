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
//! output; another checks that the committed `sample-data/` is what the generator writes.
//!
//! Size: events for every person at realistic rates would be about 2 M rows (200 MB). The
//! default run writes the whole population and the events of a random sample of persons, one
//! in [`DEFAULT_PERSON_SAMPLE`]: about 73 000 rows, under 8 MB. `--rows N` chooses the sampling
//! fraction for about N rows; beyond the whole county's volume the population itself is
//! multiplied by an integer factor, so benchmarks can ask for 10 M rows. Events are streamed
//! through a `BufWriter`: memory stays flat (about 3 MB) whatever N.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod county;
mod events;
mod random;
mod rates;
mod readme;
mod survey;
#[cfg(test)]
mod tests;

use county::{build_county, population_of_year, County, BANDS, HEALTH_CENTRES, KOMMUNER, SEXES};
use county::{BAND_65, BAND_LABELS};

/// The seed of the committed files in `sample-data/` (issue 7).
pub const DEFAULT_SEED: u64 = 7;
/// The default run keeps the events of one person in this many (the population is whole).
pub const DEFAULT_PERSON_SAMPLE: u32 = 32;
/// The years covered.
pub const FIRST_YEAR: u16 = 2021;
pub const LAST_YEAR: u16 = 2025;

const USAGE: &str = "usage: cargo xtask sample-data [--rows N] [--out DIR] [--seed S]
  --rows N   about N rows in events.csv (default: events of one person in 32, about 73 000 rows)
  --out DIR  where to write the files (default: sample-data/ in the workspace)
  --seed S   the random seed, an unsigned integer (default: 7)";

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
        "wrote {} ({} event rows, {} population rows, {} DeSO, {} health centres) in {seconds:.1} s",
        options.out.display(),
        summary.event_rows,
        summary.population_rows,
        summary.deso_count,
        summary.vc_count
    );
    Ok(())
}

#[derive(Debug, Clone)]
struct Options {
    rows: Option<u64>,
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
    /// Rows per event type (in `EVENT_TYPES` order): all ages, and ages 65+.
    event_rows_by_type: [[u64; 2]; 5],
    population_rows: u64,
    /// Person-years over all years: all ages, and ages 65+.
    person_years: [u64; 2],
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
        None => (1.0 / f64::from(DEFAULT_PERSON_SAMPLE), 1),
        Some(rows) => {
            let f = rows as f64 / events::expected_full_rows(&county);
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
    let (population_rows, person_years) = write_population(dir, &county, population_scale)?;
    let (event_rows, event_rows_by_type) = events::write_events(
        dir,
        &county,
        options.seed,
        person_fraction,
        population_scale,
    )?;
    survey::write_survey(dir, &county, options.seed, population_scale)?;
    let summary = Summary {
        event_rows,
        event_rows_by_type,
        population_rows,
        person_years,
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

/// Writes `population.csv`; returns its rows and the person-years (all ages, 65+).
fn write_population(dir: &Path, county: &County, scale: u64) -> Result<(u64, [u64; 2]), String> {
    let name = "population.csv";
    let mut w = create(dir, name)?;
    let err = io_err(name);
    writeln!(w, "year,deso,kommun,sex,age_band,population").map_err(&err)?;
    let mut rows = 0;
    let mut person_years = [0, 0];
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
                }
            }
        }
    }
    w.flush().map_err(&err)?;
    Ok((rows, person_years))
}
