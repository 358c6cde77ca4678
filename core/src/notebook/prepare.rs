//! Preparing a notebook to run: parameters checked and substituted ([`super::substitute`]), the
//! indicator cells gathered into one [`IndicatorSpec`] and compiled with
//! [`crate::indicators::compile`] for every level the table, chart and roll-up cells ask for,
//! and the sinks each input file is read into.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use super::fields::ParamKind;
use super::format::{limits, Cell, ChartCell, Notebook, RollupCell, TableCell};
use super::substitute::substitute;
use crate::error::{Error, Problems};
use crate::indicators::{
    compile, Compiled, IndicatorError, IndicatorSpec, Level, Plan, ReadSource,
};
use crate::ingest::{
    read_bytes, Decimal, Dialect, DialectOverrides, Flow, ReadOptions, ReadStats, RecordSink, Row,
};
use crate::number_format::Language;
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

impl NotebookError {
    /// The error in Swedish, for the Swedish page (`Display` is the English). The words of the
    /// JSON parser inside a notebook's format errors, and the aggregated-table errors of
    /// `samsyn sql`, stay English.
    pub fn swedish(&self) -> String {
        match self {
            NotebookError::UnknownParameter(name, known) => {
                format!("anteckningsboken har ingen parameter '{name}' (den har: {known})")
            }
            NotebookError::BadParameter(name, why) => format!("parametern '{name}': {why}"),
            NotebookError::Indicators(e) => e.swedish(),
            NotebookError::BadCell { cell, message } => {
                format!("cellen '{cell}' är inte giltig när parametrarna satts in: {message}")
            }
            NotebookError::MissingInput(name) => {
                format!("ingen fil har getts för indata '{name}'; välj en fil för den")
            }
            NotebookError::Read(message) => message.clone(),
            NotebookError::Format(e) => e.swedish(),
        }
    }
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
    /// The language the cells and the report are worded in: the user's, set by the shell
    /// after preparing (Swedish unless it says otherwise); never the notebook's.
    pub language: Language,
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
    // Every value against its parameter's kind (the defaults were checked when opened).
    for p in &declared {
        let value = params.iter().find(|(n, _)| *n == p.name).map(|(_, v)| v);
        if let (Some(kind), Some(v)) = (p.kind, value) {
            if let Some(reason) = kind.problem(v) {
                return Err(NotebookError::BadParameter(
                    p.name.clone(),
                    format!("{reason} (the parameter is of kind '{}')", kind.name()),
                ));
            }
        }
    }
    // A kommun parameter also gives its name: `$kommun_name`.
    for p in &declared {
        if p.kind == Some(ParamKind::Kommun) {
            let code = params
                .iter()
                .find(|(n, _)| *n == p.name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let name = crate::areas::kommun_name(&code).unwrap_or(&code).to_owned();
            params.push((format!("{}_name", p.name), name));
        }
    }
    let notebook = substitute(nb, &params).map_err(|b| NotebookError::BadCell {
        cell: b.cell,
        message: b.message,
    })?;
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
                // Empty: no level (the framework chart); a parameter is substituted by now.
                let Some(l) = level.value().cloned() else {
                    if level.params().is_empty() {
                        continue;
                    }
                    return Err(NotebookError::BadCell {
                        cell: id.clone(),
                        message: format!("field 'level': '{}' was not substituted", level.text()),
                    });
                };
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
        language: Language::default(),
    })
}

/// The county level of a level: its unit dimensions replaced by the county.
pub fn county_of(level: &Level) -> Level {
    let mut c = level.county();
    c.dims.insert(0, crate::indicators::Dim::Lan);
    c
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

    /// The sink an input's aggregated table is read into (issue 14, `samsyn run --aggregates`):
    /// the same plan, taking each row as a group of source rows ([`crate::indicators::grouped`]).
    pub fn aggregate_plan(&self, name: &str) -> Result<InputPlan, NotebookError> {
        let mut input = self.input_plan(name);
        input.plan = input.plan.grouped().map_err(NotebookError::Read)?;
        Ok(input)
    }

    /// The query that makes the aggregated table of source `name` where its data is (issue
    /// 14, `samsyn sql`), in `dialect`; `header` is the table's columns when known.
    pub fn aggregate_query(
        &self,
        name: &str,
        dialect: crate::indicators::sql::SqlDialect,
        header: Option<&[String]>,
    ) -> Result<String, NotebookError> {
        self.source_query(name, header)?
            .write(dialect)
            .map_err(NotebookError::Read)
    }

    /// What decides which part of source `name`'s table a row can be aggregated in apart from
    /// the others ([`crate::indicators::sql::SourceQuery::partition_key`]).
    pub fn aggregate_partition_key(
        &self,
        name: &str,
        dialect: crate::indicators::sql::SqlDialect,
        header: &[String],
    ) -> Result<Vec<String>, NotebookError> {
        self.source_query(name, Some(header))?
            .partition_key(dialect)
            .map_err(NotebookError::Read)
    }

    fn source_query<'a>(
        &'a self,
        name: &'a str,
        header: Option<&'a [String]>,
    ) -> Result<crate::indicators::sql::SourceQuery<'a>, NotebookError> {
        let contract = self
            .notebook
            .data_cells()
            .get(name)
            .and_then(|d| d.contract.as_ref());
        self.compiled
            .source_query(name, contract, header)
            .ok_or_else(|| {
                NotebookError::Read(format!(
                    "the indicators count no rows of '{name}', so it has no aggregating query"
                ))
            })
    }

    /// What reading an input depends on besides its file: the data cell's keys, contract
    /// and dialect, the mappings read from it, and its source's key columns.
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
        let source = self
            .spec
            .sources
            .get(name)
            .map(|s| serde_json::to_string(s).unwrap_or_default());
        hash_of(&(cell, mappings, source))
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

/// What the plan of an earlier byte range needs of a later range's [`InputPlan`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct InputPart {
    plan: crate::indicators::PlanPart,
    columns: Vec<String>,
    read_key: u64,
}

impl crate::ingest::ranges::MergeRanges for InputPlan {
    type Part = InputPart;

    fn splittable(&self) -> bool {
        self.plan.splittable()
    }

    fn into_part(self) -> InputPart {
        InputPart {
            plan: self.plan.into_part(),
            columns: self.columns,
            read_key: self.read_key,
        }
    }

    fn merge_part(
        &mut self,
        later: InputPart,
        row_offset: u64,
    ) -> Result<(), crate::ingest::ranges::OnePass> {
        if later.columns != self.columns || later.read_key != self.read_key {
            return Err(crate::ingest::ranges::OnePass(
                "the ranges were read by different plans",
            ));
        }
        self.plan.merge_part(later.plan, row_offset)
    }
}

impl InputPlan {
    /// The finished input. `fingerprint` identifies the file ([`crate::hashing::file_fingerprint`]:
    /// its name, size, time and ends) so that unchanged inputs reuse cached cells.
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

pub(crate) fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}
