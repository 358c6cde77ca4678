//! `samsyn stat`: proportions, rates, DSRs and ISRs per group of a file, as CSV.
//!
//! A thin shell: it reads the file in chunks into the core's streaming aggregate plan, then calls
//! the core's grouped statistics and writes their CSV. No statistics here. Rows with small
//! counts, and their complements, are masked by core unless `--no-disclosure-control`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::{Args, Subcommand};
use samsyn_core::aggregate::{Aggregate, AggregateSpec, Aggregated};
use samsyn_core::error::Problems;
use samsyn_core::grouped_stats::{compute, GroupedConfig, Statistic};
use samsyn_core::ingest::{ReadOptions, ReadStats, RecordSink};
use samsyn_core::standard_pop::{table, StandardPopulation};
use samsyn_core::stats::{Confidence, Disclosure, PER_100K};

use crate::disclosure::DisclosureArgs;

/// How many problems are printed before "… and N more".
const PROBLEMS_SHOWN: usize = 20;

#[derive(Args)]
pub struct StatArgs {
    #[command(subcommand)]
    kind: StatKind,
}

/// Options every statistic has.
#[derive(Args)]
struct Common {
    /// The file to read (CSV, TSV or other delimited text).
    #[arg(long)]
    input: PathBuf,
    /// Columns to group by, comma-separated (rows with the same values are summed first).
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    /// Two-sided confidence level: 0.95, 0.998, or any level from 0.9 to 1.
    #[arg(long, default_value_t = Confidence::DEFAULT_LEVEL)]
    confidence: f64,
    /// Write the CSV here instead of to standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    disclosure: DisclosureArgs,
    /// Deprecated: use --disclosure-threshold. Can only raise the floor.
    #[arg(long, value_name = "N")]
    suppress_below: Option<f64>,
}

#[derive(Subcommand)]
enum StatKind {
    /// A share per group (numerator/denominator) with a Wilson score interval.
    Proportion {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        numerator: String,
        #[arg(long)]
        denominator: String,
        /// Multiplier: 1 for a fraction, 100 for a percentage.
        #[arg(long, default_value_t = 1.0)]
        per: f64,
    },
    /// A crude rate per group with exact (count < 10) or Byar limits.
    Rate {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        count: String,
        #[arg(long)]
        population: String,
        /// Rate per how many.
        #[arg(long, default_value_t = PER_100K)]
        per: f64,
    },
    /// A directly age-standardised rate per group with Dobson limits.
    Dsr {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        count: String,
        #[arg(long)]
        population: String,
        #[arg(long)]
        age_band: String,
        /// `esp2013`, or a file of age_band,population.
        #[arg(long, default_value = "esp2013")]
        standard: String,
        /// Use only the standard's bands from this age up (e.g. 65 for 65+).
        #[arg(long)]
        ages_from: Option<u32>,
        /// Rate per how many.
        #[arg(long, default_value_t = PER_100K)]
        per: f64,
    },
    /// An indirectly standardised ratio (observed/expected) per group.
    Isr {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        count: String,
        #[arg(long)]
        population: String,
        #[arg(long)]
        age_band: String,
        /// A file of age_band with count and population (or rate) of the reference.
        #[arg(long)]
        reference: PathBuf,
        /// Multiplier of the ratio: 1, or 100 for the SMR style.
        #[arg(long, default_value_t = 1.0)]
        per: f64,
    },
}

/// Runs `samsyn stat …`.
pub fn run(args: StatArgs) -> anyhow::Result<()> {
    // Files read besides --input (a standard or reference table): never overwritten by --out.
    let mut read_too: Vec<PathBuf> = Vec::new();
    let (common, spec, statistic) = match args.kind {
        StatKind::Proportion {
            common,
            numerator,
            denominator,
            per,
        } => {
            let spec = spec(&common, numerator, denominator, None);
            (common, spec, Statistic::Proportion { multiplier: per })
        }
        StatKind::Rate {
            common,
            count,
            population,
            per,
        } => {
            let spec = spec(&common, count, population, None);
            (common, spec, Statistic::Rate { multiplier: per })
        }
        StatKind::Dsr {
            common,
            count,
            population,
            age_band,
            standard,
            ages_from,
            per,
        } => {
            if !standard.eq_ignore_ascii_case("esp2013") {
                read_too.push(PathBuf::from(&standard));
            }
            let standard = load_standard(&standard)?;
            let spec = spec(&common, count, population, Some(age_band));
            let statistic = Statistic::Dsr {
                standard,
                multiplier: per,
                ages_from,
            };
            (common, spec, statistic)
        }
        StatKind::Isr {
            common,
            count,
            population,
            age_band,
            reference,
            per,
        } => {
            read_too.push(reference.clone());
            let bytes = read_bytes(&reference)?;
            let reference = table::read_reference(&crate::read::file_name(&reference), &bytes)?;
            let spec = spec(&common, count, population, Some(age_band));
            let statistic = Statistic::Isr {
                reference,
                multiplier: per,
            };
            (common, spec, statistic)
        }
    };
    let config = GroupedConfig {
        confidence: Confidence::new(common.confidence)?,
        disclosure: common
            .disclosure
            .floor(common.suppress_below)?
            .map(Disclosure::below),
    };
    let data = aggregate(&common.input, spec)?;
    report_problems(&data);
    let table = compute(&data, &statistic, &config)?;
    let csv = table.to_csv();
    let inputs: Vec<&Path> = std::iter::once(common.input.as_path())
        .chain(read_too.iter().map(PathBuf::as_path))
        .collect();
    match &common.out {
        Some(path) => crate::write::write_files(&[(path.clone(), &csv)], &inputs)?,
        None => std::io::stdout().write_all(csv.as_bytes())?,
    }
    Ok(())
}

fn spec(
    common: &Common,
    numerator: String,
    denominator: String,
    age_band: Option<String>,
) -> AggregateSpec {
    AggregateSpec {
        by: common.by.iter().map(|b| b.trim().to_owned()).collect(),
        age_band,
        numerator,
        denominator,
    }
}

fn load_standard(choice: &str) -> anyhow::Result<StandardPopulation> {
    if choice.eq_ignore_ascii_case("esp2013") {
        return Ok(StandardPopulation::esp2013());
    }
    let path = Path::new(choice);
    let bytes = read_bytes(path)?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| choice.to_owned());
    Ok(table::read_standard(
        &name,
        &crate::read::file_name(path),
        &bytes,
    )?)
}

fn read_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Streams a file into a plan. The one place that knows file formats: delimited text today;
/// Excel and PX readers feed the same [`RecordSink`].
fn read_table(path: &Path, sink: &mut dyn RecordSink) -> anyhow::Result<(ReadStats, Problems)> {
    let outcome = crate::read::read_path(path, ReadOptions::default(), sink)?;
    Ok((outcome.stats, outcome.problems))
}

fn aggregate(path: &Path, spec: AggregateSpec) -> anyhow::Result<Aggregated> {
    let mut plan = Aggregate::new(spec);
    let (stats, problems) = read_table(path, &mut plan)?;
    Ok(plan.finish(stats, problems))
}

/// Problems go to standard error, so that standard output stays a clean CSV.
fn report_problems(data: &Aggregated) {
    if data.problems.is_empty() {
        return;
    }
    eprintln!(
        "samsyn: {} rows read, {} skipped; {} problems:",
        data.stats.rows, data.skipped_rows, data.problems.total
    );
    for p in data.problems.kept.iter().take(PROBLEMS_SHOWN) {
        eprintln!("  {p}");
    }
    let shown = data.problems.kept.len().min(PROBLEMS_SHOWN) as u64;
    if data.problems.total > shown {
        eprintln!("  … and {} more", data.problems.total - shown);
    }
}
