//! Running a notebook: a pure function from (notebook, parameters, named inputs) to results.
//!
//! Parameters are substituted first (`$kommun` anywhere in a cell's strings), then the
//! indicator cells are gathered into one [`IndicatorSpec`] and compiled with
//! [`crate::indicators::compile`]; every level the table, chart and roll-up cells ask for is
//! finished in one pass over the read inputs. Each cell's output is cached under a hash of what
//! it depends on (its own text after substitution, and for cells with numbers the spec, levels
//! and inputs' fingerprints), so a [`Session`] recomputes only cells whose inputs changed.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use serde_json::Value;

use super::format::{limits, Cell, ChartCell, Notebook, RollupCell, RowFilter, TableCell};
use super::report::markdown_to_html;
use super::view;
use crate::classify::Light;
use crate::error::{Error, Problems};
use crate::indicators::{
    compile, Compiled, IndicatorError, IndicatorSpec, Level, Plan, ReadSource, Results,
};
use crate::ingest::{
    read_bytes, Decimal, Dialect, DialectOverrides, Flow, ReadOptions, ReadStats, RecordSink, Row,
};
use crate::row_checks::Refusal;
use crate::stats::disclosure::Protection;

/// A notebook that cannot run as a whole (a cell that cannot run gives an error in its place).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotebookError {
    #[error("--param {0}: the notebook has no parameter '{0}' (it has: {1})")]
    UnknownParameter(String, String),
    #[error("the parameter '{0}': {1}")]
    BadParameter(String, String),
    #[error("{0}")]
    Indicators(#[from] IndicatorError),
    #[error("the cell '{cell}' is not valid after substituting parameters: {message}")]
    BadCell { cell: String, message: String },
    #[error("no file given for the input '{0}'; give it as --data {0}=FILE")]
    MissingInput(String),
    #[error("{0}")]
    Read(String),
    #[error("{0}")]
    Format(#[from] super::format::FormatError),
}

/// A notebook with its parameters substituted, compiled and ready to read its inputs.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The notebook after substitution.
    pub notebook: Notebook,
    /// Parameter name → value, as used.
    pub params: Vec<(String, String)>,
    pub spec: IndicatorSpec,
    pub compiled: Compiled,
    /// Every level a cell asks for, plus the county level of each (for benchmarks).
    pub levels: Vec<Level>,
    /// Counts from 1 to this − 1 are masked in tables, charts and CSV files (the report is an
    /// export): the user's floor ([`Protection`]), raised if the notebook's parameter
    /// `disclosure_threshold` asks for more; 0 when the user switched protection off.
    pub disclosure_threshold: f64,
    /// The user's protection this was prepared under.
    pub protection: Protection,
}

/// [`prepare_with`] under the default protection (counts 1–4 suppressed).
pub fn prepare(nb: &Notebook, overrides: &[(String, String)]) -> Result<Prepared, NotebookError> {
    prepare_with(nb, overrides, Protection::default())
}

/// Substitutes parameters, gathers the indicator cells into one spec and compiles it.
/// `overrides` are `--param key=value` pairs; each must name a declared parameter. The
/// notebook is untrusted: it is checked again ([`Notebook::check`]) and it can raise the
/// user's disclosure floor, never lower it.
pub fn prepare_with(
    nb: &Notebook,
    overrides: &[(String, String)],
    protection: Protection,
) -> Result<Prepared, NotebookError> {
    nb.check()?;
    for (k, v) in overrides {
        if v.chars().count() > limits::PARAMETER_VALUE_CHARS {
            return Err(NotebookError::BadParameter(
                k.clone(),
                format!(
                    "the value is longer than {} characters",
                    limits::PARAMETER_VALUE_CHARS
                ),
            ));
        }
    }
    let declared = nb.parameters();
    let mut params: Vec<(String, String)> = declared
        .iter()
        .map(|p| (p.name.clone(), p.default.clone()))
        .collect();
    for (k, v) in overrides {
        match params.iter_mut().find(|(n, _)| n == k) {
            Some(slot) => slot.1 = v.clone(),
            None => {
                let known = declared
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(NotebookError::UnknownParameter(k.clone(), known));
            }
        }
    }
    // A kommun parameter also gives its name: `$kommun_name`.
    for p in &declared {
        if p.kind == "kommun" {
            let code = params
                .iter()
                .find(|(n, _)| *n == p.name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let name = crate::areas::kommun_name(&code).unwrap_or(&code).to_owned();
            params.push((format!("{}_name", p.name), name));
        }
    }
    let notebook = substitute(nb, &params)?;
    let mut spec = IndicatorSpec {
        version: 1,
        sources: BTreeMap::new(),
        mappings: Vec::new(),
        age_groups: Vec::new(),
        indicators: Vec::new(),
        rollup: Default::default(),
    };
    let mut levels: Vec<Level> = Vec::new();
    for cell in &notebook.cells {
        match cell {
            Cell::Data(d) => {
                spec.sources.insert(d.name.clone(), d.keys.clone());
            }
            Cell::Indicators(i) => {
                spec.indicators.extend(i.indicators.iter().cloned());
                spec.mappings.extend(i.mappings.iter().cloned());
                spec.age_groups.extend(i.age_groups.iter().cloned());
                if let Some(r) = i.rollup {
                    spec.rollup = r;
                }
            }
            Cell::Table(TableCell { level, id, .. })
            | Cell::Chart(ChartCell { level, id, .. })
            | Cell::Rollup(RollupCell { level, id, .. }) => {
                if level.is_empty() {
                    continue;
                }
                let l = Level::parse(level).map_err(|message| NotebookError::BadCell {
                    cell: id.clone(),
                    message,
                })?;
                for l in [county_of(&l), l] {
                    if !levels.contains(&l) {
                        levels.push(l);
                    }
                }
            }
            _ => {}
        }
    }
    // Sources no indicator reads are not compiled into plans (e.g. only a mapping file).
    // A condition on a declared row id singles out one record: refused before anything is read.
    let data = notebook.data_cells();
    for cell in &notebook.cells {
        let Cell::Indicators(ic) = cell else { continue };
        for ind in &ic.indicators {
            for (field, m) in ind.measures() {
                let row_id = data
                    .get(m.source.as_str())
                    .and_then(|d| d.contract.as_ref())
                    .and_then(|c| c.row_id.as_deref());
                if let Some(c) = m
                    .conditions
                    .iter()
                    .find(|c| Some(c.column.as_str()) == row_id)
                {
                    return Err(NotebookError::BadCell {
                        cell: ic.id.clone(),
                        message: format!(
                            "indicator '{}': {field}.where tests '{}', the row id of '{}': a condition on an identifier could single out one person or record, so it is refused",
                            ind.id, c.column, m.source
                        ),
                    });
                }
            }
        }
    }
    // Each level is one pass over the cells for every indicator: bounded, so that a notebook
    // naming hundreds of levels cannot keep the tab busy for hours.
    if levels.len() > limits::LEVELS {
        return Err(NotebookError::BadCell {
            cell: "(levels)".into(),
            message: format!(
                "the notebook asks for {} levels (with their counties); at most {} are allowed: split it into several notebooks",
                levels.len(),
                limits::LEVELS
            ),
        });
    }
    let compiled = compile(&spec)?.for_levels(&levels);
    // The notebook may only raise the user's floor.
    let asked = match params.iter().find(|(n, _)| n == "disclosure_threshold") {
        Some((_, v)) => Some(
            v.trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|t| t.is_finite() && *t >= 0.0)
                .ok_or_else(|| {
                    NotebookError::BadParameter(
                        "disclosure_threshold".into(),
                        "the value is not a number of zero or more".into(),
                    )
                })?,
        ),
        None => None,
    };
    let disclosure_threshold = protection.threshold(asked);
    Ok(Prepared {
        notebook,
        params,
        spec,
        compiled,
        levels,
        disclosure_threshold,
        protection,
    })
}

/// The county level of a level: its unit dimensions replaced by the county.
pub fn county_of(level: &Level) -> Level {
    let mut c = level.county();
    c.dims.insert(0, crate::indicators::Dim::Lan);
    c
}

/// Replaces `$name` in every string of every cell and in the title, in one pass: at each `$`
/// the longest declared name that follows is replaced by its value, and a value is never
/// searched again, so parameters whose values refer to each other (`$a` = "$b$b") cannot
/// expand. The substituted notebook is bounded ([`limits::SUBSTITUTED_BYTES`]).
fn substitute(nb: &Notebook, params: &[(String, String)]) -> Result<Notebook, NotebookError> {
    let mut budget = Budget {
        left: limits::SUBSTITUTED_BYTES,
    };
    let mut out = nb.clone();
    out.title =
        replace_all(&nb.title, params, &mut budget).map_err(|m| NotebookError::BadCell {
            cell: "(title)".into(),
            message: m,
        })?;
    for cell in out.cells.iter_mut() {
        let bad = |message: String| NotebookError::BadCell {
            cell: cell.id().to_owned(),
            message,
        };
        let mut v = serde_json::to_value(&*cell).map_err(|e| bad(e.to_string()))?;
        walk(&mut v, params, &mut budget).map_err(bad)?;
        let new: Cell = serde_json::from_value(v).map_err(|e| bad(e.to_string()))?;
        if new.id() != cell.id() {
            return Err(bad("a parameter may not change a cell's id".into()));
        }
        *cell = new;
    }
    Ok(out)
}

/// What substitution may still write.
struct Budget {
    left: usize,
}

impl Budget {
    fn take(&mut self, n: usize) -> Result<(), String> {
        self.left = self.left.checked_sub(n).ok_or_else(|| {
            format!(
                "with its parameters substituted the notebook would be larger than {} MB; shorten the parameter values or the texts that use them",
                limits::SUBSTITUTED_BYTES >> 20
            )
        })?;
        Ok(())
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn replace_all(
    s: &str,
    params: &[(String, String)],
    budget: &mut Budget,
) -> Result<String, String> {
    if !s.contains('$') {
        budget.take(s.len())?;
        return Ok(s.to_owned());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        budget.take(at)?;
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let run = after.bytes().take_while(|b| is_name_byte(*b)).count();
        // The longest declared name the run starts with.
        let hit = params
            .iter()
            .filter(|(n, _)| !n.is_empty() && n.len() <= run && after.starts_with(n.as_str()))
            .max_by_key(|(n, _)| n.len());
        match hit {
            Some((name, value)) => {
                budget.take(value.len())?;
                out.push_str(value);
                rest = &after[name.len()..];
            }
            None => {
                budget.take(1)?;
                out.push('$');
                rest = after;
            }
        }
    }
    budget.take(rest.len())?;
    out.push_str(rest);
    Ok(out)
}

fn walk(v: &mut Value, params: &[(String, String)], budget: &mut Budget) -> Result<(), String> {
    match v {
        Value::String(s) => *s = replace_all(s, params, budget)?,
        Value::Array(a) => {
            for x in a.iter_mut() {
                walk(x, params, budget)?;
            }
        }
        Value::Object(o) => {
            for x in o.values_mut() {
                walk(x, params, budget)?;
            }
        }
        _ => {}
    }
    Ok(())
}

impl Prepared {
    /// The input names the notebook reads (data cells and mapping files).
    pub fn input_names(&self) -> Vec<String> {
        let mut names = self.compiled.data_names();
        for d in self.notebook.data_cells().keys() {
            if !names.iter().any(|n| n == d) {
                names.push((*d).to_owned());
            }
        }
        names
    }

    /// The read options of an input (its data cell's dialect overrides).
    pub fn read_options(&self, name: &str) -> ReadOptions {
        let mut o = ReadOptions::default();
        let Some(d) = self
            .notebook
            .data_cells()
            .get(name)
            .and_then(|d| d.dialect.clone())
        else {
            return o;
        };
        o.text = DialectOverrides {
            delimiter: d
                .delimiter
                .as_deref()
                .map(|s| if s == "\\t" { "\t" } else { s })
                .and_then(|s| s.bytes().next()),
            has_header: d.has_header,
            decimal: match d.decimal.as_deref() {
                Some(",") => Some(Decimal::Comma),
                Some(".") => Some(Decimal::Point),
                _ => None,
            },
            ..DialectOverrides::default()
        };
        o.sheet = d.sheet;
        o
    }

    /// The sink an input is read into: the indicator plan, noting the column names.
    pub fn input_plan(&self, name: &str) -> InputPlan {
        let contract = self
            .notebook
            .data_cells()
            .get(name)
            .and_then(|d| d.contract.clone());
        InputPlan {
            plan: self.compiled.plan(name).with_contract(contract),
            columns: Vec::new(),
            read_key: self.read_key(name),
        }
    }

    /// What reading an input depends on besides its file: the data cell's keys, contract
    /// and dialect, the mappings read from it, and the columns its sides test and sum.
    fn read_key(&self, name: &str) -> u64 {
        let cell = self.notebook.data_cells().get(name).map(|d| {
            (
                serde_json::to_string(&d.keys).unwrap_or_default(),
                serde_json::to_string(&d.contract).unwrap_or_default(),
                serde_json::to_string(&d.dialect).unwrap_or_default(),
            )
        });
        let mappings: Vec<String> = self
            .spec
            .mappings
            .iter()
            .filter(|m| m.source == name)
            .map(|m| serde_json::to_string(m).unwrap_or_default())
            .collect();
        hash_of(&(
            cell,
            mappings,
            self.spec
                .sources
                .get(name)
                .map(|s| serde_json::to_string(s).unwrap_or_default()),
        ))
    }

    /// Whether `input`, read for an earlier form of this notebook, serves it as it is now
    /// without reading its file again: the same data cell and mappings, and sides the
    /// source's cube answers (another condition value, age range, level or period does; a
    /// condition on a column not read does not). `Err` says why not.
    pub fn reusable(&self, input: &Input) -> Result<(), NotebookError> {
        let name = &input.source.name;
        if input.read_key != self.read_key(name) {
            return Err(NotebookError::Read(format!(
                "the data cell '{name}' changed (its columns, contract or dialect): its file \
                 must be read again"
            )));
        }
        self.compiled.answers(&input.source)?;
        Ok(())
    }
}

/// An input being read: the indicator plan plus the header for the data cell's checks.
#[derive(Debug)]
pub struct InputPlan {
    plan: Plan,
    columns: Vec<String>,
    read_key: u64,
}

impl RecordSink for InputPlan {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.columns = names.to_vec();
        self.plan.columns(names, dialect)
    }
    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        self.plan.record(row, problems)
    }
}

impl InputPlan {
    /// The finished input. `fingerprint` identifies the file's content (a hash of its bytes,
    /// or of its path, size and time) so that unchanged inputs reuse cached cells.
    pub fn finish(
        self,
        file: &str,
        fingerprint: u64,
        stats: ReadStats,
        problems: Problems,
    ) -> Input {
        Input {
            file: file.to_owned(),
            columns: self.columns,
            fingerprint,
            read_key: self.read_key,
            source: self.plan.finish(stats, problems),
        }
    }
}

/// One read input.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file name (no folder), as shown in the report.
    pub file: String,
    pub columns: Vec<String>,
    pub fingerprint: u64,
    /// What the file was read for besides the file ([`Prepared::reusable`]).
    pub read_key: u64,
    pub source: ReadSource,
}

/// Reads an input held in memory (tests, the browser).
pub fn read_input(
    prepared: &Prepared,
    name: &str,
    file: &str,
    bytes: &[u8],
) -> Result<Input, Error> {
    let mut plan = prepared.input_plan(name);
    let outcome = read_bytes(file, bytes, prepared.read_options(name), &mut plan)?;
    let fingerprint = crate::hashing::bytes_fingerprint(file, bytes, None);
    Ok(plan.finish(file, fingerprint, outcome.stats, outcome.problems))
}

/// Prepares, reads the named files from memory and runs: the whole notebook in one call.
pub fn run_in_memory(
    nb: &Notebook,
    overrides: &[(String, String)],
    files: &[(&str, &str, &[u8])],
) -> Result<NotebookResults, NotebookError> {
    let prepared = prepare(nb, overrides)?;
    let mut inputs = Vec::new();
    for name in prepared.input_names() {
        let Some((_, file, bytes)) = files.iter().find(|(n, _, _)| *n == name) else {
            return Err(NotebookError::MissingInput(name));
        };
        inputs.push(
            read_input(&prepared, &name, file, bytes)
                .map_err(|e| NotebookError::Read(e.to_string()))?,
        );
    }
    Session::default().run(&prepared, &inputs)
}

fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// One input as the report names it: never its contents. Every row read is used or refused
/// (`rows == used + Σ refused`); refusals are counted by a reason that holds no value.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSummary {
    pub name: String,
    pub file: String,
    /// Rows read (data rows, blank rows below the header and rows cut by a broken quote).
    pub rows: u64,
    /// Rows that passed every check.
    pub used: u64,
    /// Refused rows per reason ("age outside 0–120").
    pub refused: Vec<(Refusal, u64)>,
    /// The first refused rows: Excel row and reason.
    pub refused_rows: Vec<(u64, Refusal)>,
    pub problems: u64,
}

impl InputSummary {
    /// The summary of a read input under the name the notebook gives it.
    pub fn of(name: &str, input: &Input) -> Self {
        let rows = &input.source.rows;
        InputSummary {
            name: name.to_owned(),
            file: input.file.clone(),
            rows: rows.read,
            used: rows.used,
            refused: rows.refused.iter().map(|(r, n)| (r.clone(), *n)).collect(),
            refused_rows: rows.refused_rows.clone(),
            problems: input.source.problems.total,
        }
    }

    /// All refused rows.
    pub fn refused_total(&self) -> u64 {
        self.refused.iter().map(|(_, n)| n).sum()
    }
}

/// A table cell's output.
#[derive(Debug, Clone, PartialEq)]
pub struct TableOutput {
    pub title: String,
    pub indicator: String,
    /// The name of the CSV file the CLI writes (`<cell id>.csv`).
    pub file_name: String,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
    /// The same table as CSV, with full-precision numbers.
    pub csv: String,
}

/// One row of a table: its fields (with the light of the light column) and whether it is the
/// highlighted unit.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub fields: Vec<(String, Option<Light>)>,
    pub highlight: bool,
}

/// One line of a roll-up cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupLine {
    /// The indicator's name.
    pub indicator: String,
    /// The red units, always named (seed 000).
    pub red_units: Vec<String>,
    pub scope_unit: String,
    pub period: String,
    pub counts: [usize; 4],
    pub verdict: String,
    pub question: String,
    pub text: String,
}

/// What one cell gives.
#[derive(Debug, Clone, PartialEq)]
pub enum CellOutput {
    /// Rendered, sanitised Markdown.
    Text {
        html: String,
    },
    Parameters {
        values: Vec<(String, String, String)>,
    },
    Data {
        summary: InputSummary,
        expects: String,
        /// Validation messages (missing columns, too few rows, the reader's problems).
        messages: Vec<String>,
    },
    Indicators {
        title: String,
        /// id, Swedish name, unit, measure
        rows: Vec<[String; 4]>,
    },
    Table(TableOutput),
    Chart {
        title: String,
        svg: String,
        /// For the framework: the shift × dimension cells without an indicator, in words.
        gaps: Vec<String>,
    },
    Rollup {
        title: String,
        lines: Vec<RollupLine>,
    },
    /// The cell could not run; the rest of the notebook still does.
    Error {
        message: String,
    },
}

/// Everything a run gives, in cell order.
#[derive(Debug, Clone)]
pub struct NotebookResults {
    pub title: String,
    pub description: String,
    pub version: u32,
    pub params: Vec<(String, String)>,
    pub inputs: Vec<InputSummary>,
    pub cells: Vec<(String, Rc<CellOutput>)>,
    /// How many cells were computed in this run (not taken from the cache).
    pub computed: usize,
    /// Indicator results, for snapshots.
    pub results: Option<Rc<Results>>,
    /// The threshold the shown numbers were suppressed at (0: protection off).
    pub disclosure_threshold: f64,
    /// Whether small counts were protected; `false` only by the user's explicit choice, and
    /// then the report says so on every page.
    pub protected: bool,
    /// Rows hidden by primary and complementary suppression (over every level computed).
    pub suppression: crate::privacy::SuppressionCounts,
}

/// A cache of cell outputs across runs of the same or an edited notebook.
#[derive(Debug, Default)]
pub struct Session {
    cells: HashMap<u64, Rc<CellOutput>>,
    results: Option<(u64, Rc<Results>)>,
    /// The results as shown (suppressed at a threshold), under the key of the results and
    /// the threshold.
    shown: Option<(u64, Rc<Results>)>,
}

impl Session {
    /// Runs every cell, reusing outputs whose inputs did not change since an earlier run.
    pub fn run(
        &mut self,
        prepared: &Prepared,
        inputs: &[Input],
    ) -> Result<NotebookResults, NotebookError> {
        let names = prepared.input_names();
        let mut read: Vec<&ReadSource> = Vec::new();
        let mut fingerprints = Vec::new();
        for name in &names {
            let Some(input) = inputs.iter().find(|i| &i.source.name == name) else {
                return Err(NotebookError::MissingInput(name.clone()));
            };
            read.push(&input.source);
            fingerprints.push((name.clone(), input.fingerprint, input.read_key));
        }
        let spec_json = serde_json::to_string(&prepared.spec).unwrap_or_default();
        let levels_text: Vec<String> = prepared.levels.iter().map(Level::file_name).collect();
        let results_key = hash_of(&(spec_json, levels_text, fingerprints));
        let results = match &self.results {
            Some((k, r)) if *k == results_key => Rc::clone(r),
            _ => {
                let r = Rc::new(prepared.compiled.finish(&read, &prepared.levels)?);
                self.results = Some((results_key, Rc::clone(&r)));
                r
            }
        };
        // What the cells show is exported: small counts are masked there, and so are the
        // changes that would give them back. The snapshot masks the raw results itself.
        let shown_key = hash_of(&(results_key, prepared.disclosure_threshold.to_bits()));
        let shown = match &self.shown {
            Some((k, r)) if *k == shown_key => Rc::clone(r),
            _ => {
                let r = Rc::new(crate::export::protected(
                    &results,
                    prepared.disclosure_threshold,
                ));
                self.shown = Some((shown_key, Rc::clone(&r)));
                r
            }
        };
        let summaries: Vec<InputSummary> = inputs
            .iter()
            .filter(|i| names.contains(&i.source.name))
            .map(|i| InputSummary::of(&i.source.name, i))
            .collect();
        let mut computed = 0;
        let mut cells = Vec::new();
        // Only what this run shows stays cached: an edited cell's old output goes.
        let mut kept = HashMap::new();
        for cell in &prepared.notebook.cells {
            let cell_json = serde_json::to_string(cell).unwrap_or_default();
            let uses_results = !matches!(cell, Cell::Text(_) | Cell::Parameters(_));
            let key = hash_of(&(
                cell_json,
                if uses_results { results_key } else { 0 },
                &prepared.params,
                prepared.disclosure_threshold.to_bits(),
            ));
            let out = match self.cells.get(&key).or_else(|| kept.get(&key)) {
                Some(o) => Rc::clone(o),
                None => {
                    computed += 1;
                    Rc::new(run_cell(cell, prepared, &shown, inputs))
                }
            };
            kept.insert(key, Rc::clone(&out));
            cells.push((cell.id().to_owned(), out));
        }
        self.cells = kept;
        Ok(NotebookResults {
            title: prepared.notebook.title.clone(),
            description: prepared.notebook.description.clone(),
            version: prepared.notebook.version,
            params: prepared.params.clone(),
            inputs: summaries,
            cells,
            computed,
            results: Some(results),
            disclosure_threshold: prepared.disclosure_threshold,
            protected: prepared.protection.enabled,
            suppression: shown.suppression,
        })
    }
}

fn run_cell(cell: &Cell, p: &Prepared, results: &Results, inputs: &[Input]) -> CellOutput {
    let r = match cell {
        Cell::Text(t) => Ok(CellOutput::Text {
            html: markdown_to_html(&t.markdown),
        }),
        Cell::Parameters(c) => Ok(CellOutput::Parameters {
            values: c
                .parameters
                .iter()
                .map(|x| {
                    let v = p
                        .params
                        .iter()
                        .find(|(n, _)| *n == x.name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    (x.name.clone(), x.label.clone(), v)
                })
                .collect(),
        }),
        Cell::Data(d) => Ok(data_cell(d, inputs)),
        Cell::Indicators(c) => Ok(CellOutput::Indicators {
            title: c.title.clone(),
            rows: c
                .indicators
                .iter()
                .map(|i| {
                    [
                        i.id.clone(),
                        i.name.clone(),
                        i.unit.clone(),
                        format!("{:?}", i.measure).to_lowercase(),
                    ]
                })
                .collect(),
        }),
        Cell::Table(t) => view::table(t, p, results).map(CellOutput::Table),
        Cell::Chart(c) => view::chart(c, p, results),
        Cell::Rollup(c) => view::rollup(c, p, results),
    };
    r.unwrap_or_else(|message| CellOutput::Error { message })
}

fn data_cell(d: &super::format::DataCell, inputs: &[Input]) -> CellOutput {
    let Some(input) = inputs.iter().find(|i| i.source.name == d.name) else {
        return CellOutput::Error {
            message: format!("no file was given for '{}'", d.name),
        };
    };
    let mut messages = Vec::new();
    let k = &d.keys;
    let keys = [
        &k.deso,
        &k.kommun,
        &k.lan,
        &k.provider,
        &k.year,
        &k.date,
        &k.sex,
        &k.age,
        &k.age_band,
    ];
    let wanted = keys
        .iter()
        .filter_map(|c| c.as_deref())
        .chain(d.required_columns.iter().map(String::as_str));
    for c in wanted {
        if !input.columns.iter().any(|x| x == c) {
            messages.push(format!(
                "Kolumnen '{c}' saknas i {} (kolumner: {}).",
                input.file,
                input.columns.join(", ")
            ));
        }
    }
    if let Some(min) = d.min_rows {
        if input.source.rows.used < min {
            messages.push(format!(
                "{} har {} användbara rader; minst {min} väntades.",
                input.file, input.source.rows.used
            ));
        }
    }
    for pr in input.source.problems.kept.iter().take(5) {
        messages.push(pr.without_values());
    }
    CellOutput::Data {
        summary: InputSummary::of(&d.name, input),
        expects: d.expects.clone(),
        messages,
    }
}

/// Whether a row passes a filter (period handled by the caller).
pub(crate) fn unit_matches(keys: &[String], f: &RowFilter) -> bool {
    (f.unit.is_empty() || keys.contains(&f.unit))
        && (f.unit_prefix.is_empty() || keys.iter().any(|k| k.starts_with(&f.unit_prefix)))
}

/// A unit as shown: its keys, with kommun names after kommun codes.
pub(crate) fn unit_label(keys: &[String]) -> String {
    keys.iter()
        .map(|k| match crate::areas::kommun_name(k) {
            Some(n) if k.len() == 4 => format!("{k} {n}"),
            _ => k.clone(),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
