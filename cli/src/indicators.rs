//! `samsyn indicators SPEC.json --data NAME=FILE … [--level kommun,year] [--out DIR]`: every
//! indicator of a spec at every level, with lights, as one CSV per indicator and level, plus the
//! county read-out (`rollup.csv`), each unit's indicators by colour (`units.csv`) and the
//! hierarchy check (`hierarchy.csv`).
//!
//! A thin shell: it reads each file once in chunks into the core's plan and writes what the
//! core's finish step returns. No statistics here.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use clap::Args;
use samsyn_core::classify::Light;
use samsyn_core::indicators::{compile, IndicatorSpec, Level, ReadSource, Results};
use samsyn_core::ingest::{Fan, ReadOptions, RecordSink};
use samsyn_core::rollup::Scope;

/// How many problems per file are printed before "… and N more".
const PROBLEMS_SHOWN: usize = 10;

#[derive(Args)]
pub struct IndicatorArgs {
    /// The indicator spec (JSON): sources, mappings and indicators.
    spec: PathBuf,
    /// A data source of the spec and its file, e.g. `--data events=events.csv`. One file may be
    /// given under several names.
    #[arg(long = "data", value_name = "NAME=FILE")]
    data: Vec<String>,
    /// A level, e.g. `kommun,year`, `lan,year` (the county), `deso,sex,year`, `provider,quarter`.
    /// Repeat for several. Default: `lan,year` and `kommun,year`.
    #[arg(long = "level")]
    levels: Vec<String>,
    /// Folder for the CSV files (made if missing).
    #[arg(long, default_value = "indikatorer")]
    out: PathBuf,
}

/// Runs `samsyn indicators …`.
pub fn run(args: IndicatorArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.spec)
        .with_context(|| format!("{}: cannot read the spec", args.spec.display()))?;
    let spec: IndicatorSpec = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{}: the spec is not valid: {e}", args.spec.display()))?;
    let compiled = compile(&spec)?;
    let mut files = Vec::new();
    for d in &args.data {
        let (name, file) = d
            .split_once('=')
            .ok_or_else(|| anyhow!("--data '{d}': write it as NAME=FILE"))?;
        files.push((name.trim().to_owned(), PathBuf::from(file.trim())));
    }
    let level_texts = if args.levels.is_empty() {
        vec!["lan,year".to_owned(), "kommun,year".to_owned()]
    } else {
        args.levels.clone()
    };
    let levels = level_texts
        .iter()
        .map(|l| Level::parse(l).map_err(|e| anyhow!("--level {l}: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let compiled = compiled.for_levels(&levels);
    for (name, path) in &files {
        if !path.is_file() {
            bail!("--data {name}={}: there is no such file", path.display());
        }
    }
    // Sources read from the same file share one pass over it.
    let mut by_file: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for name in compiled.data_names() {
        let Some((_, path)) = files.iter().find(|(n, _)| *n == name) else {
            bail!("no file for the data source '{name}'; give it as --data {name}=FILE");
        };
        match by_file.iter_mut().find(|(p, _)| p == path) {
            Some((_, names)) => names.push(name),
            None => by_file.push((path.clone(), vec![name])),
        }
    }
    let mut read = Vec::new();
    for (path, names) in &by_file {
        read.extend(read_file(&compiled, names, path)?);
    }
    let results = compiled.finish(&read, &levels)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot make the folder", args.out.display()))?;
    write_results(&results, &args.out)?;
    report(&results, &read, &args.out);
    Ok(())
}

/// Reads `path` once into the plans of every source in `names`.
fn read_file(
    compiled: &samsyn_core::indicators::Compiled,
    names: &[String],
    path: &Path,
) -> anyhow::Result<Vec<ReadSource>> {
    let mut plans: Vec<_> = names.iter().map(|n| compiled.plan(n)).collect();
    let mut fan = Fan::new(plans.iter_mut().map(|p| p as &mut dyn RecordSink).collect());
    let outcome = crate::read::read_path(path, ReadOptions::default(), &mut fan)?;
    let mut problems = std::iter::once(outcome.problems).chain(std::mem::take(&mut fan.problems));
    Ok(plans
        .into_iter()
        .map(|plan| plan.finish(outcome.stats.clone(), problems.next().unwrap_or_default()))
        .collect())
}

/// A CSV field, quoted when needed.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn num(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn line(fields: &[String]) -> String {
    let mut s = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    s.push('\n');
    s
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut f = File::create(path).with_context(|| format!("{}", path.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("{}", path.display()))
}

/// Writes every table, the read-out, the units and the hierarchy check.
pub fn write_results(r: &Results, out: &Path) -> anyhow::Result<()> {
    for t in &r.tables {
        let mut header: Vec<String> = t.level.columns().iter().map(|c| c.to_string()).collect();
        header.extend(
            [
                "numerator",
                "denominator",
                "value",
                "lower",
                "upper",
                "light",
                "reason",
                "change",
                "change_z",
                "note",
            ]
            .map(String::from),
        );
        let mut text = line(&header);
        for row in &t.rows {
            let mut f: Vec<String> = row.keys.clone();
            if let Some(p) = &row.period {
                f.push(p.clone());
            }
            f.extend([
                row.numerator.to_string(),
                row.denominator.to_string(),
                num(row.value),
                num(row.lower),
                num(row.upper),
                row.light.label().to_owned(),
                row.reason.clone(),
                num(row.change),
                num(row.change_z),
                row.note.clone().unwrap_or_default(),
            ]);
            text.push_str(&line(&f));
        }
        write_file(
            &out.join(format!("{}__{}.csv", t.indicator, t.level.file_name())),
            &text,
        )?;
    }
    let mut text = line(
        &[
            "indicator",
            "level",
            "scope",
            "scope_unit",
            "period",
            "green",
            "yellow",
            "red",
            "not_classified",
            "share_green",
            "share_yellow",
            "share_red",
            "verdict",
            "text",
            "red_units",
        ]
        .map(String::from),
    );
    for x in &r.rollup {
        let shares = x.shares();
        text.push_str(&line(&[
            x.indicator.clone(),
            x.level.clone(),
            match x.scope {
                Scope::County => "lan".into(),
                Scope::Kommun => "kommun".into(),
            },
            x.scope_unit.clone(),
            x.period.clone().unwrap_or_default(),
            x.green.to_string(),
            x.yellow.to_string(),
            x.red.to_string(),
            x.not_classified.to_string(),
            num(shares.map(|s| s.0)),
            num(shares.map(|s| s.1)),
            num(shares.map(|s| s.2)),
            x.verdict.swedish().to_owned(),
            x.text.clone(),
            x.red_units.join("; "),
        ]));
    }
    write_file(&out.join("rollup.csv"), &text)?;
    let mut text = line(
        &[
            "level",
            "unit",
            "period",
            Light::Green.label(),
            Light::Yellow.label(),
            Light::Red.label(),
            Light::Grey.label(),
        ]
        .map(String::from),
    );
    for u in &r.units {
        text.push_str(&line(&[
            u.level.clone(),
            u.unit.clone(),
            u.period.clone().unwrap_or_default(),
            u.green.join("; "),
            u.yellow.join("; "),
            u.red.join("; "),
            u.not_classified.join("; "),
        ]));
    }
    write_file(&out.join("units.csv"), &text)?;
    if !r.spc.is_empty() {
        let mut text = line(
            &[
                "indicator",
                "level",
                "unit",
                "period",
                "chart",
                "numerator",
                "denominator",
                "value",
                "centre",
                "lower",
                "upper",
                "signals",
            ]
            .map(String::from),
        );
        for s in &r.spc {
            for (period, p) in &s.points {
                text.push_str(&line(&[
                    s.indicator.clone(),
                    s.level.clone(),
                    s.keys.join(" "),
                    period.clone(),
                    format!("{:?}", s.kind).to_lowercase(),
                    p.numerator.to_string(),
                    p.denominator.to_string(),
                    num(p.value),
                    p.centre.to_string(),
                    num(p.lower),
                    num(p.upper),
                    p.signals
                        .iter()
                        .map(|x| x.swedish())
                        .collect::<Vec<_>>()
                        .join("; "),
                ]));
            }
        }
        write_file(&out.join("spc.csv"), &text)?;
    }
    let mut text = line(&["indicator", "level", "message"].map(String::from));
    for h in &r.hierarchy {
        text.push_str(&line(&[
            h.indicator.clone(),
            h.level.clone(),
            h.message.clone(),
        ]));
    }
    write_file(&out.join("hierarchy.csv"), &text)
}

fn report(r: &Results, read: &[ReadSource], out: &Path) {
    for s in read {
        eprintln!(
            "{}: {} rows read, {} problems",
            s.name, s.stats.rows, s.problems.total
        );
        for p in s.problems.kept.iter().take(PROBLEMS_SHOWN) {
            eprintln!("  {p}");
        }
        let more = s.problems.total.saturating_sub(PROBLEMS_SHOWN as u64);
        if more > 0 {
            eprintln!("  … and {more} more");
        }
    }
    if !r.hierarchy.is_empty() {
        eprintln!(
            "{} hierarchy notes (units without a denominator, unmapped units); see hierarchy.csv",
            r.hierarchy.len()
        );
    }
    eprintln!(
        "wrote {} tables, rollup.csv, units.csv and hierarchy.csv to {}",
        r.tables.len(),
        out.display()
    );
}
