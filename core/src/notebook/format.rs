//! The notebook file: a recipe for an analysis, never its data. JSON with a format name and a
//! version; every struct keeps the fields it does not know in `extra`, so that a file saved by a
//! newer Samsyn and opened here loses nothing when saved again.
//!
//! The format is documented in `docs/notebook-format.md` and by the JSON Schema
//! `docs/notebook.schema.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::fields::ChartKind;
use super::fields::{check_number_param, Column, Declared, Field, ParamKind, PeriodFilter, Sort};
use crate::contract::Contract;
use crate::error::Message;
use crate::indicators::definition::{AgeGroup, Indicator, MappingSpec, RollupConfig, SourceSpec};
use crate::indicators::Level;
use crate::number_format::Language;

/// The value of `format` in every notebook file.
pub const FORMAT_NAME: &str = "samsyn-notebook";
/// The newest format version this Samsyn reads and the one it writes.
pub const FORMAT_VERSION: u32 = 1;

type Extra = Map<String, Value>;

/// A notebook: title, cells in order, and optionally a marked result snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Notebook {
    /// Always `samsyn-notebook`.
    pub format: String,
    /// The format version the file was saved in.
    pub version: u32,
    /// The title; may refer to parameters (`Fall bland äldre i $kommun`).
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub cells: Vec<Cell>,
    /// Aggregated, suppressed results, only when the analyst asked for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Snapshot>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One cell. The `type` field says which.
// A notebook has tens of cells: boxing the larger variants would save nothing worth the noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cell {
    Text(TextCell),
    Parameters(ParametersCell),
    Data(DataCell),
    Indicators(IndicatorsCell),
    Table(TableCell),
    Chart(ChartCell),
    Rollup(RollupCell),
}

impl Cell {
    /// The cell's id (unique in the notebook).
    pub fn id(&self) -> &str {
        match self {
            Cell::Text(c) => &c.id,
            Cell::Parameters(c) => &c.id,
            Cell::Data(c) => &c.id,
            Cell::Indicators(c) => &c.id,
            Cell::Table(c) => &c.id,
            Cell::Chart(c) => &c.id,
            Cell::Rollup(c) => &c.id,
        }
    }
}

impl Cell {
    /// The parameters its typed fields still refer to, with the field: after substitution none.
    pub fn field_params(&self) -> Vec<(&'static str, &str)> {
        let mut out: Vec<(&'static str, &str)> = Vec::new();
        let (level, filter) = match self {
            Cell::Table(t) => {
                out.extend(t.sort.params().into_iter().map(|p| ("sort", p)));
                for c in &t.columns {
                    out.extend(c.params().into_iter().map(|p| ("columns", p)));
                }
                (&t.level, &t.filter)
            }
            Cell::Chart(c) => (&c.level, &c.filter),
            Cell::Rollup(r) => (&r.level, &r.filter),
            Cell::Indicators(ic) => {
                for ind in &ic.indicators {
                    if let Some(crate::indicators::definition::Number::Param(p)) = &ind.confidence {
                        out.push(("confidence", p));
                    }
                }
                return out;
            }
            _ => return out,
        };
        out.extend(level.params().into_iter().map(|p| ("level", p)));
        out.extend(
            filter
                .period
                .params()
                .into_iter()
                .map(|p| ("filter.period", p)),
        );
        out
    }
}

/// Markdown: the story, the 5P dialogue headings, decisions and actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TextCell {
    pub id: String,
    pub markdown: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Values other cells refer to as `$name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParametersCell {
    pub id: String,
    pub parameters: Vec<Parameter>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One parameter: a name, a Swedish label and a default, overridable at run time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Parameter {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// What the value is: `kommun`, `provider`, `year`, `number`, `text`; none is text.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "kind_or_empty"
    )]
    pub kind: Option<ParamKind>,
    pub default: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A parameter's kind; an empty text is no kind, as it was before kinds were typed.
fn kind_or_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ParamKind>, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() {
        Ok(None)
    } else {
        ParamKind::parse_field(&s)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

/// A named input: what file it expects and how its columns map. Never the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DataCell {
    pub id: String,
    /// The name given on the command line (`--data NAME=FILE`).
    pub name: String,
    /// What file is expected, in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub expects: String,
    /// The columns that carry keys (DeSO, kommun, date, age, …) and so their roles.
    #[serde(default)]
    pub keys: SourceSpec,
    /// Columns the file must have (beyond the keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<DialectCell>,
    /// Fewest data rows accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_rows: Option<u64>,
    /// What the rows must be beyond the keys' defaults: a unique row id, allowed values, numeric
    /// ranges. A row that breaks it is refused with a located problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<Contract>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Dialect overrides for a delimited text file; absent fields are guessed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DialectCell {
    /// One character: `;`, `,`, `\t` or `|`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// `,` or `.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_header: Option<bool>,
    /// The sheet of a workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A set of indicators (the indicator definitions of `samsyn indicators`), with the mappings
/// and age groups they use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IndicatorsCell {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    pub indicators: Vec<Indicator>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<MappingSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub age_groups: Vec<AgeGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<RollupConfig>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which rows of a table: all, or those of one unit / period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RowFilter {
    /// Only rows whose unit (any key) equals this, e.g. `$kommun`. Empty: all.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// `latest`, a period label (`2024`), a range (`2019..2023`) or empty for all periods.
    #[serde(default, skip_serializing_if = "Field::is_empty")]
    pub period: Field<PeriodFilter>,
    /// Only rows whose unit starts with this (a kommun code selects its DeSO areas).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit_prefix: String,
}

/// An indicator at a level, as a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TableCell {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    pub indicator: String,
    /// E.g. `kommun,year`.
    pub level: Field<Level>,
    #[serde(default)]
    pub filter: RowFilter,
    /// `unit` (default), `value` or `value_desc`.
    #[serde(default, skip_serializing_if = "Field::is_empty")]
    pub sort: Field<Sort>,
    /// Columns shown, of: unit, period, numerator, denominator, value, interval, light, reason,
    /// change. Empty: all but change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Field<Column>>,
    /// A unit to mark in bold (`$kommun`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub highlight: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChartCell {
    pub id: String,
    pub chart: ChartKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The indicator (bar, trend, funnel); for the light matrix, its indicators (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<String>,
    #[serde(default, skip_serializing_if = "Field::is_empty")]
    pub level: Field<Level>,
    #[serde(default)]
    pub filter: RowFilter,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub highlight: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The county read-out: per indicator the verdict over the units and its question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RollupCell {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Empty: all indicators.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<String>,
    pub level: Field<Level>,
    #[serde(default)]
    pub filter: RowFilter,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Results saved in a notebook, marked as aggregated and suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Snapshot {
    /// Always `aggregated-suppressed`.
    pub kind: String,
    /// In words, for whoever opens the file.
    pub note: String,
    pub disclosure_threshold: f64,
    /// The parameters of the run.
    pub parameters: Vec<(String, String)>,
    pub tables: Vec<SnapshotTable>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One indicator at one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SnapshotTable {
    pub indicator: String,
    pub level: String,
    pub rows: Vec<SnapshotRow>,
}

/// One unit and period. Numbers are absent when suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SnapshotRow {
    pub keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub light: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}

/// Why a file is not a notebook this Samsyn can open.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    #[error("This is not a Samsyn notebook: it is not valid JSON ({0}).")]
    NotJson(String),
    #[error(
        "This is not a Samsyn notebook: the field \"format\" is {0:?}, not \"samsyn-notebook\"."
    )]
    NotANotebook(String),
    #[error("This notebook was saved by a newer Samsyn (format version {0}); this version reads up to {max}. Update Samsyn to open it.", max = FORMAT_VERSION)]
    TooNew(u64),
    #[error("The notebook does not follow format version {version}: {message}")]
    Invalid { version: u32, message: String },
    #[error("Two cells have the id '{0}'; cell ids must be unique.")]
    DuplicateCellId(String),
    #[error("Cell {index} has the id {id:?}: {reason}. A cell id names the cell's files, so it may only use the letters A–Z and a–z, digits, '_' and '-', at most {max} characters.", max = MAX_ID_CHARS)]
    BadCellId {
        /// 1-based position of the cell.
        index: usize,
        /// The id, shortened to at most 80 characters for the message.
        id: String,
        reason: IdProblem,
    },
    /// A cell's field that is not what it must be, e.g. `cell 'trend': field 'level':
    /// 'kommun,yaer' is not a level: …`.
    #[error("cell '{cell}': {message}")]
    BadField { cell: String, message: String },
    #[error("The parameter {name:?} (cell '{cell}'): {}.", reason.text(Language::English))]
    BadParameter {
        cell: String,
        name: String,
        reason: Message,
    },
    #[error("The notebook is too large: {} is {found}, and at most {limit} is allowed. {}", what.0, fix.0)]
    TooLarge {
        /// What is too large, in English and Swedish.
        what: (&'static str, &'static str),
        found: usize,
        limit: usize,
        /// What to do, in English and Swedish.
        fix: (&'static str, &'static str),
    },
}

impl FormatError {
    /// The error in Swedish, for the Swedish page (`Display` is the English). What comes from
    /// the JSON parser (serde's words) and a field's own check keeps its English words, quoted
    /// after the Swedish.
    pub fn swedish(&self) -> String {
        match self {
            FormatError::NotJson(e) => {
                format!("Detta är ingen anteckningsbok från Samsyn: den är inte giltig JSON ({e}).")
            }
            FormatError::NotANotebook(f) => format!(
                "Detta är ingen anteckningsbok från Samsyn: fältet \"format\" är {f:?}, inte \"samsyn-notebook\"."
            ),
            FormatError::TooNew(v) => format!(
                "Anteckningsboken sparades av en nyare Samsyn (formatversion {v}); den här versionen läser upp till {FORMAT_VERSION}. Uppdatera Samsyn för att öppna den."
            ),
            FormatError::Invalid { version, message } => {
                format!("Anteckningsboken följer inte formatversion {version}: {message}")
            }
            FormatError::DuplicateCellId(id) => {
                format!("Två celler har id:t '{id}'; cellernas id måste vara unika.")
            }
            FormatError::BadCellId { index, id, reason } => format!(
                "Cell {index} har id:t {id:?}: {}. Ett cell-id namnger cellens filer, så det får bara innehålla bokstäverna A–Z och a–z, siffror, '_' och '-', högst {MAX_ID_CHARS} tecken.",
                reason.swedish()
            ),
            FormatError::BadField { cell, message } => format!("cellen '{cell}': {message}"),
            FormatError::BadParameter { cell, name, reason } => format!(
                "Parametern {name:?} (cellen '{cell}'): {}.",
                reason.text(Language::Swedish)
            ),
            FormatError::TooLarge {
                what,
                found,
                limit,
                fix,
            } => format!(
                "Anteckningsboken är för stor: {} är {found}, och högst {limit} är tillåtet. {}",
                what.1, fix.1
            ),
        }
    }
}

/// Why a text cannot be a cell id or a parameter name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    Empty,
    TooLong,
    BadCharacter,
}

impl IdProblem {
    /// The reason in English (also its `Display`).
    pub fn english(self) -> &'static str {
        match self {
            IdProblem::Empty => "it is empty",
            IdProblem::TooLong => "it is too long",
            IdProblem::BadCharacter => "it has a character that is not allowed",
        }
    }

    /// The reason in Swedish.
    pub fn swedish(self) -> &'static str {
        match self {
            IdProblem::Empty => "det är tomt",
            IdProblem::TooLong => "det är för långt",
            IdProblem::BadCharacter => "det har ett tecken som inte är tillåtet",
        }
    }
}

impl std::fmt::Display for IdProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.english())
    }
}

/// Limits on what a notebook file may ask for, checked when it is opened. A notebook is
/// untrusted input, like a web page: none of these is reachable by a real analysis.
pub mod limits {
    /// The notebook file's size in bytes.
    pub const FILE_BYTES: usize = 4 << 20;
    /// Cells in one notebook.
    pub const CELLS: usize = 500;
    /// Indicators over all indicator cells.
    pub const INDICATORS: usize = 500;
    /// Declared parameters.
    pub const PARAMETERS: usize = 100;
    /// Characters of a parameter's value (its default or a value given at run time).
    pub const PARAMETER_VALUE_CHARS: usize = 1000;
    /// Bytes of one text cell's Markdown.
    pub const MARKDOWN_BYTES: usize = 256 << 10;
    /// Distinct levels the table, chart and roll-up cells ask for, their counties included.
    pub const LEVELS: usize = 64;
    /// Bytes of the notebook after parameters are substituted.
    pub const SUBSTITUTED_BYTES: usize = 16 << 20;
}

/// Longest cell id or parameter name.
pub const MAX_ID_CHARS: usize = 64;

/// Why `id` is not a valid cell id or parameter name, if it is not.
pub fn id_problem(id: &str) -> Option<IdProblem> {
    if id.is_empty() {
        Some(IdProblem::Empty)
    } else if id.chars().count() > MAX_ID_CHARS {
        Some(IdProblem::TooLong)
    } else if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Some(IdProblem::BadCharacter)
    } else {
        None
    }
}

fn shortened(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

impl Notebook {
    /// An empty notebook in the current version.
    pub fn new(title: &str) -> Self {
        Notebook {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            title: title.into(),
            description: String::new(),
            cells: Vec::new(),
            snapshot: None,
            extra: Extra::new(),
        }
    }

    /// The checks of [`Notebook::open`] beyond the types: ids that can name files, parameter
    /// names and values, and the size limits of [`limits`].
    pub fn check(&self) -> Result<(), FormatError> {
        let too_large = |what, found, limit, fix| {
            if found > limit {
                Err(FormatError::TooLarge {
                    what,
                    found,
                    limit,
                    fix,
                })
            } else {
                Ok(())
            }
        };
        too_large(
            ("the number of cells", "antalet celler"),
            self.cells.len(),
            limits::CELLS,
            (
                "Split the analysis into several notebooks.",
                "Dela upp analysen i flera anteckningsböcker.",
            ),
        )?;
        let mut seen = std::collections::HashSet::new();
        for (i, c) in self.cells.iter().enumerate() {
            if let Some(reason) = id_problem(c.id()) {
                return Err(FormatError::BadCellId {
                    index: i + 1,
                    id: shortened(c.id()),
                    reason,
                });
            }
            if !seen.insert(c.id()) {
                return Err(FormatError::DuplicateCellId(c.id().to_owned()));
            }
            if let Cell::Text(t) = c {
                too_large(
                    (
                        "a text cell's Markdown (bytes)",
                        "en textcells Markdown (byte)",
                    ),
                    t.markdown.len(),
                    limits::MARKDOWN_BYTES,
                    (
                        "Shorten the text or split it over several cells.",
                        "Korta texten eller dela upp den på flera celler.",
                    ),
                )?;
            }
        }
        let indicators = self
            .cells
            .iter()
            .map(|c| match c {
                Cell::Indicators(i) => i.indicators.len(),
                _ => 0,
            })
            .sum();
        too_large(
            ("the number of indicators", "antalet indikatorer"),
            indicators,
            limits::INDICATORS,
            (
                "Split the analysis into several notebooks.",
                "Dela upp analysen i flera anteckningsböcker.",
            ),
        )?;
        let mut names = std::collections::HashSet::new();
        let mut count = 0;
        for c in &self.cells {
            let Cell::Parameters(pc) = c else { continue };
            for p in &pc.parameters {
                count += 1;
                let bad = |reason: Message| FormatError::BadParameter {
                    cell: pc.id.clone(),
                    name: shortened(&p.name),
                    reason,
                };
                if let Some(reason) = id_problem(&p.name) {
                    return Err(bad(Message::both(
                        format!("{reason}; a parameter name may only use A–Z, a–z, digits, '_' and '-', at most {MAX_ID_CHARS} characters"),
                        format!("{}; ett parameternamn får bara innehålla A–Z, a–z, siffror, '_' och '-', högst {MAX_ID_CHARS} tecken", reason.swedish()),
                    )));
                }
                if !names.insert(p.name.as_str()) {
                    return Err(bad(Message::both(
                        "it is declared twice",
                        "den anges två gånger",
                    )));
                }
                if p.default.chars().count() > limits::PARAMETER_VALUE_CHARS {
                    let max = limits::PARAMETER_VALUE_CHARS;
                    return Err(bad(Message::both(
                        format!("its default is longer than {max} characters"),
                        format!("dess standardvärde är längre än {max} tecken"),
                    )));
                }
            }
        }
        too_large(
            ("the number of parameters", "antalet parametrar"),
            count,
            limits::PARAMETERS,
            (
                "Remove parameters the notebook does not use.",
                "Ta bort parametrar som anteckningsboken inte använder.",
            ),
        )?;
        self.check_fields()
    }

    /// Each parameter's default against its kind, and each typed field's parameters against
    /// the declared ones ([`Field::check_params`]).
    fn check_fields(&self) -> Result<(), FormatError> {
        for c in &self.cells {
            let Cell::Parameters(pc) = c else { continue };
            for p in &pc.parameters {
                if let Some(reason) = p.kind.and_then(|k| k.problem(&p.default)) {
                    return Err(FormatError::BadParameter {
                        cell: pc.id.clone(),
                        name: p.name.clone(),
                        reason: Message::both(
                            format!("its default {reason}"),
                            format!("dess standardvärde: {reason}"),
                        ),
                    });
                }
            }
        }
        let declared: Vec<Declared> = self
            .parameters()
            .into_iter()
            .map(|p| Declared {
                name: &p.name,
                kind: p.kind,
                default: &p.default,
            })
            .collect();
        for c in &self.cells {
            let bad = |message: String| FormatError::BadField {
                cell: c.id().to_owned(),
                message,
            };
            match c {
                Cell::Table(t) => {
                    t.level.check_params(&declared).map_err(bad)?;
                    t.filter.period.check_params(&declared).map_err(bad)?;
                    t.sort.check_params(&declared).map_err(bad)?;
                    for col in &t.columns {
                        col.check_params(&declared).map_err(bad)?;
                    }
                }
                Cell::Chart(ChartCell { level, filter, .. })
                | Cell::Rollup(RollupCell { level, filter, .. }) => {
                    level.check_params(&declared).map_err(bad)?;
                    filter.period.check_params(&declared).map_err(bad)?;
                }
                Cell::Indicators(ic) => {
                    for ind in &ic.indicators {
                        if let Some(n) = &ind.confidence {
                            check_number_param("confidence", n, &declared, |v| {
                                crate::stats::Confidence::new(v)
                                    .map(|_| ())
                                    .map_err(|e| e.to_string())
                            })
                            .map_err(|e| bad(format!("indicator '{}': {e}", ind.id)))?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The file text: pretty JSON, two-space indent, a final newline. Saving what was opened
    /// gives the same text again.
    pub fn save(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The parameters declared by all parameter cells, in order.
    pub fn parameters(&self) -> Vec<&Parameter> {
        self.cells
            .iter()
            .filter_map(|c| match c {
                Cell::Parameters(p) => Some(p.parameters.iter()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The data cells by input name.
    pub fn data_cells(&self) -> BTreeMap<&str, &DataCell> {
        self.cells
            .iter()
            .filter_map(|c| match c {
                Cell::Data(d) => Some((d.name.as_str(), d)),
                _ => None,
            })
            .collect()
    }
}
