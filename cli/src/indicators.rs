//! `samsyn indicators NOTEBOOK --data NAME=FILE … [--level kommun,year] [--out DIR]`: every
//! indicator of a notebook (or of an older indicator spec, converted) at every level, with lights, as one CSV per indicator and level, plus the
//! county read-out (`rollup.csv`), each unit's indicators by colour (`units.csv`) and the
//! hierarchy check (`hierarchy.csv`).
//!
//! A thin shell: it reads each file once in chunks into the core's plan and writes what the
//! core's finish step returns, masked below the disclosure threshold by `export::protected`
//! (unless `--no-disclosure-control`, and then every row of every file says so in a column
//! `protection`). No statistics here.
//!
//! Indicator ids become file names; core's `compile` allows only `[A-Za-z0-9_-]`, every name
//! must be one plain file name, and `crate::write` checks each target before writing any: no
//! symbolic link followed, no `--data` file or the notebook overwritten.

use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use clap::Args;
use samsyn_core::classify::Light;
use samsyn_core::export::{
    masked_reason_words, protected, suppressed_note, unit_row_fields, CsvWriter, Field,
    NOT_PROTECTED, PROTECTION_COLUMN, UNIT_ROW_COLUMNS,
};
use samsyn_core::indicators::{compile, Level, ReadSource, Results};
use samsyn_core::ingest::{Fan, RecordSink};
use samsyn_core::notebook::exec::{prepare_with, InputPlan, Prepared};
use samsyn_core::notebook::from_spec::SPEC_LEVELS;
use samsyn_core::number_format::Language;
use samsyn_core::rollup::Scope;
use samsyn_core::stats::disclosure::Protection;

use crate::disclosure::DisclosureArgs;

/// How many problems per file are printed before "… and N more".
const PROBLEMS_SHOWN: usize = 10;

#[derive(Args)]
pub struct IndicatorArgs {
    /// The notebook (`*.samsyn.json`) whose indicators to compute; an older indicator spec
    /// (JSON of sources, mappings and indicators) is converted on the way.
    notebook: PathBuf,
    /// An input of the notebook and its file, e.g. `--data events=events.csv`. One file may be
    /// given under several names.
    #[arg(long = "data", value_name = "NAME=FILE")]
    data: Vec<String>,
    /// A level, e.g. `kommun,year`, `lan,year` (the county), `deso,sex,year`, `provider,quarter`.
    /// Repeat for several. Default: the levels of the notebook's tables, charts and read-outs
    /// with their counties (for a converted spec `lan,year` and `kommun,year`).
    #[arg(long = "level")]
    levels: Vec<String>,
    /// A parameter value of the notebook, e.g. `--param kommun=2482`.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Folder for the CSV files (made if missing).
    #[arg(long, default_value = "indikatorer")]
    out: PathBuf,
    #[command(flatten)]
    disclosure: DisclosureArgs,
    #[command(flatten)]
    language: crate::language::LanguageArgs,
}

/// Runs `samsyn indicators …`.
pub fn run(args: IndicatorArgs) -> anyhow::Result<()> {
    let (nb, converted) = crate::read::open_notebook(&args.notebook)?;
    let floor = args.disclosure.floor(None)?;
    let protection = match floor {
        Some(f) => Protection::at(f).map_err(|e| anyhow!("--disclosure-threshold: {e}"))?,
        None => Protection::off(),
    };
    let params = crate::run::pairs(&args.params, "--param")?;
    // The error as one message: `NotebookError` wraps core's errors as their own text.
    let mut prepared = prepare_with(&nb, &params, protection).map_err(|e| anyhow!("{e}"))?;
    let files = crate::run::pairs(&args.data, "--data")?;
    let levels = if !args.levels.is_empty() {
        parse_levels(&args.levels)?
    } else if prepared.levels.is_empty() {
        parse_levels(&SPEC_LEVELS.map(String::from))?
    } else {
        prepared.levels.clone()
    };
    // The notebook's indicators, lowered to its spec, compiled for exactly these levels.
    prepared.compiled = compile(&prepared.spec)?.for_levels(&levels);
    prepared.levels = levels;
    // The notebook may raise the floor (its parameter `disclosure_threshold`), never lower it.
    let floor = floor.map(|_| prepared.disclosure_threshold);
    for (name, path) in &files {
        if !Path::new(path).is_file() {
            bail!("--data {name}={path}: there is no such file");
        }
    }
    // Sources read from the same file (with the same dialect) share one pass over it.
    let mut by_file: Vec<(PathBuf, String, Vec<String>)> = Vec::new();
    for name in prepared.compiled.data_names() {
        let Some((_, path)) = files.iter().find(|(n, _)| *n == name) else {
            bail!("no file for the data source '{name}'; give it as --data {name}=FILE");
        };
        let path = PathBuf::from(path);
        let dialect = format!("{:?}", prepared.read_options(&name));
        match by_file
            .iter_mut()
            .find(|(p, d, _)| *p == path && *d == dialect)
        {
            Some((_, _, names)) => names.push(name),
            None => by_file.push((path, dialect, vec![name])),
        }
    }
    let mut read = Vec::new();
    for (path, _, names) in &by_file {
        read.extend(read_file(&prepared, names, path)?);
    }
    let results = prepared.compiled.finish(&read, &prepared.levels)?;
    let shown = match floor {
        Some(f) => protected(&results, f),
        None => results,
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot make the folder", args.out.display()))?;
    let inputs: Vec<&Path> = files
        .iter()
        .map(|(_, p)| Path::new(p))
        .chain([args.notebook.as_path()])
        .collect();
    let texts = result_files(&shown, floor, args.language.language());
    crate::write::write_files(&targets(&args.out, &texts)?, &inputs)?;
    report(&shown, &read, &args.out);
    if converted {
        eprintln!("{}", crate::read::converted_note(&args.notebook));
    }
    Ok(())
}

fn parse_levels(texts: &[String]) -> anyhow::Result<Vec<Level>> {
    texts
        .iter()
        .map(|l| Level::parse(l).map_err(|e| anyhow!("--level {l}: {e}")))
        .collect()
}

/// Reads `path` once into the input plans (the notebook's contract and dialect included) of
/// every source in `names`.
fn read_file(
    prepared: &Prepared,
    names: &[String],
    path: &Path,
) -> anyhow::Result<Vec<ReadSource>> {
    let Some(first) = names.first() else {
        return Ok(Vec::new());
    };
    let mut plans: Vec<InputPlan> = names.iter().map(|n| prepared.input_plan(n)).collect();
    let mut fan = Fan::new(plans.iter_mut().map(|p| p as &mut dyn RecordSink).collect());
    let outcome = crate::read::read_path(path, prepared.read_options(first), &mut fan)?;
    let mut problems = std::iter::once(outcome.problems).chain(std::mem::take(&mut fan.problems));
    let file = crate::read::file_name(path);
    Ok(plans
        .into_iter()
        .map(|plan| {
            plan.finish(
                &file,
                0,
                outcome.stats.clone(),
                problems.next().unwrap_or_default(),
            )
            .source
        })
        .collect())
}

/// The columns of every indicator table after the level's and core's [`UNIT_ROW_COLUMNS`].
const MORE_COLUMNS: [&str; 3] = ["change", "change_z", "note"];

/// One CSV file; when the output is not protected, every row says so in a last column.
struct Output {
    csv: CsvWriter,
    unprotected: bool,
}

impl Output {
    fn new<'a>(floor: Option<f64>, columns: impl IntoIterator<Item = &'a str>) -> Self {
        let unprotected = floor.is_none();
        let mut names: Vec<&str> = columns.into_iter().collect();
        if unprotected {
            names.push(PROTECTION_COLUMN);
        }
        let mut csv = CsvWriter::new();
        csv.header(&names);
        Output { csv, unprotected }
    }

    fn record<'a>(&mut self, fields: impl IntoIterator<Item = Field<'a>>) {
        let mark = self.unprotected.then_some(Field::Text(NOT_PROTECTED));
        self.csv.record(fields.into_iter().chain(mark));
    }

    fn finish(self) -> String {
        self.csv.finish()
    }
}

/// Every file `samsyn indicators` writes, as (file name, CSV text), from results already masked
/// for `floor` (`None`: not protected), their words (reasons, notes, verdicts) in `lang`.
pub fn result_files(r: &Results, floor: Option<f64>, lang: Language) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let masked = floor.map(|f| (masked_reason_words(f), suppressed_note(f, lang)));
    for t in &r.tables {
        let mut w = Output::new(
            floor,
            t.level
                .columns()
                .into_iter()
                .chain(UNIT_ROW_COLUMNS)
                .chain(MORE_COLUMNS),
        );
        for row in &t.rows {
            // A masked row's own reason and note may quote its counts.
            let (reason, note) = match (&masked, row.suppressed) {
                (Some((reason, note)), true) => (reason.text(lang), note.as_str()),
                _ => (
                    row.reason.text(lang),
                    row.note.as_ref().map_or("", |n| n.text(lang)),
                ),
            };
            w.record(unit_row_fields(row, reason).chain([
                Field::Maybe(row.change),
                Field::Maybe(row.change_z),
                Field::Text(note),
            ]));
        }
        files.push((
            format!("{}__{}.csv", t.indicator, t.level.file_name()),
            w.finish(),
        ));
    }
    let mut w = Output::new(
        floor,
        [
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
        ],
    );
    for x in &r.rollup {
        let shares = x.shares();
        let text = x.text_in(lang);
        let red_units = x.red_units.join("; ");
        w.record([
            Field::Text(&x.indicator),
            Field::Text(&x.level),
            Field::Text(match x.scope {
                Scope::County => "lan",
                Scope::Kommun => "kommun",
            }),
            Field::Text(&x.scope_unit),
            Field::Text(x.period.as_deref().unwrap_or_default()),
            Field::Number(x.green as f64),
            Field::Number(x.yellow as f64),
            Field::Number(x.red as f64),
            Field::Number(x.not_classified as f64),
            Field::Maybe(shares.map(|s| s.0)),
            Field::Maybe(shares.map(|s| s.1)),
            Field::Maybe(shares.map(|s| s.2)),
            Field::Text(x.verdict.word(lang)),
            Field::Text(&text),
            Field::Text(&red_units),
        ]);
    }
    files.push(("rollup.csv".into(), w.finish()));
    let mut w = Output::new(
        floor,
        [
            "level",
            "unit",
            "period",
            Light::Green.label(),
            Light::Yellow.label(),
            Light::Red.label(),
            Light::Grey.label(),
        ],
    );
    for u in &r.units {
        let lists = [&u.green, &u.yellow, &u.red, &u.not_classified].map(|l| l.join("; "));
        w.record(
            [
                Field::Text(&u.level),
                Field::Text(&u.unit),
                Field::Text(u.period.as_deref().unwrap_or_default()),
            ]
            .into_iter()
            .chain(lists.iter().map(|l| Field::Text(l))),
        );
    }
    files.push(("units.csv".into(), w.finish()));
    if !r.spc.is_empty() {
        let mut w = Output::new(
            floor,
            [
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
            ],
        );
        for s in &r.spc {
            let unit = s.keys.join(" ");
            let chart = format!("{:?}", s.kind).to_lowercase();
            for (period, p) in &s.points {
                let signals = p
                    .signals
                    .iter()
                    .map(|x| x.word(lang))
                    .collect::<Vec<_>>()
                    .join("; ");
                w.record([
                    Field::Text(&s.indicator),
                    Field::Text(&s.level),
                    Field::Text(&unit),
                    Field::Text(period),
                    Field::Text(&chart),
                    Field::Number(p.numerator),
                    Field::Number(p.denominator),
                    Field::Maybe(p.value),
                    Field::Number(p.centre),
                    Field::Maybe(p.lower),
                    Field::Maybe(p.upper),
                    Field::Text(&signals),
                ]);
            }
        }
        files.push(("spc.csv".into(), w.finish()));
    }
    let mut w = Output::new(floor, ["indicator", "level", "message"]);
    for h in &r.hierarchy {
        w.record([
            Field::Text(&h.indicator),
            Field::Text(&h.level),
            Field::Text(&h.message),
        ]);
    }
    files.push(("hierarchy.csv".into(), w.finish()));
    files
}

/// The paths of `files` in `out`; a name that is not one plain file name (ids and levels are
/// checked by core, so this is a second fence) is refused.
fn targets<'a>(
    out: &Path,
    files: &'a [(String, String)],
) -> anyhow::Result<Vec<(PathBuf, &'a str)>> {
    files
        .iter()
        .map(|(name, text)| {
            let mut parts = Path::new(name).components();
            match (parts.next(), parts.next()) {
                (Some(Component::Normal(_)), None) => Ok((out.join(name), text.as_str())),
                _ => bail!(
                    "{}: '{name}' is not a plain file name; nothing was written",
                    out.join(name).display()
                ),
            }
        })
        .collect()
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
