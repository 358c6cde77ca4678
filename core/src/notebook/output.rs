//! What a notebook run gives: every cell's output in cell order, and the inputs as the report
//! names them. Plain data, serialisable (the browser moves it between a worker and the page);
//! produced by [`super::exec`], read by [`super::report`], [`super::snapshot`] and the apps.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::prepare::Input;
use crate::classify::Light;
use crate::indicators::Results;
use crate::number_format::Language;
use crate::privacy::SuppressionCounts;
use crate::row_checks::Refusal;

/// One input as the report names it: never its contents. Every row read is used or refused
/// (`rows == used + Σ refused`); refusals are counted by a reason that holds no value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// The file's columns, as its header names them (for the editor's forms).
    #[serde(default)]
    pub columns: Vec<String>,
    /// The distinct values of the columns the notebook's conditions test, at most
    /// [`OFFERED_VALUES`] each: what the editor offers for a condition. Never in the report.
    #[serde(default)]
    pub values: Vec<(String, Vec<String>)>,
}

/// Most distinct values of one column an [`InputSummary`] keeps for the editor.
pub const OFFERED_VALUES: usize = crate::inspect::OFFERED_VALUES;

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
            columns: input.columns.clone(),
            values: input
                .source
                .data
                .as_ref()
                .map(|d| d.cube.tested_values(OFFERED_VALUES))
                .unwrap_or_default(),
        }
    }

    /// All refused rows.
    pub fn refused_total(&self) -> u64 {
        self.refused.iter().map(|(_, n)| n).sum()
    }
}

/// A table cell's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableOutput {
    pub title: String,
    pub indicator: String,
    /// The name of the CSV file the CLI writes (`<cell id>.csv`).
    pub file_name: String,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
    /// The same table as CSV, with full-precision numbers.
    pub csv: String,
    /// What each light means for this indicator's rule, in the run's language
    /// ([`crate::indicators::light_legend`]); empty when it has no lights.
    #[serde(default)]
    pub legend: Vec<(Light, String)>,
}

/// One row of a table: its fields (with the light of the light column) and whether it is the
/// highlighted unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    pub fields: Vec<(String, Option<Light>)>,
    pub highlight: bool,
}

/// One line of a roll-up cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupLine {
    /// The indicator's name.
    pub indicator: String,
    /// The red units, always named (seed 000).
    pub red_units: Vec<String>,
    pub scope_unit: String,
    pub period: String,
    pub counts: [usize; 4],
    pub verdict: String,
    /// The colour the verdict is predominantly (none when mixed or unclassified).
    #[serde(default)]
    pub verdict_light: Option<Light>,
    pub question: String,
    pub text: String,
}

/// What one cell gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        /// The same messages in Swedish, one for one (the app shows them on the Swedish page;
        /// the Swedish report too). Empty in outputs saved before it existed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        messages_sv: Vec<String>,
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
        /// What each light of a bar chart or funnel plot means (as a table's `legend`).
        #[serde(default)]
        legend: Vec<(Light, String)>,
    },
    Rollup {
        title: String,
        lines: Vec<RollupLine>,
    },
    /// The cell could not run; the rest of the notebook still does. `message` in English,
    /// `message_sv` in Swedish (absent in results saved before it was worded).
    Error {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_sv: Option<String>,
    },
}

/// Everything a run gives, in cell order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotebookResults {
    pub title: String,
    pub description: String,
    pub version: u32,
    pub params: Vec<(String, String)>,
    pub inputs: Vec<InputSummary>,
    #[serde(with = "shared_cells")]
    pub cells: Vec<(String, Rc<CellOutput>)>,
    /// How many cells were computed in this run (not taken from the cache).
    pub computed: usize,
    /// Indicator results, for snapshots. Not serialised: a run moved to another thread (the
    /// browser's worker → page) carries what its cells show, and a snapshot is taken where
    /// the run was.
    #[serde(skip)]
    pub results: Option<Rc<Results>>,
    /// The threshold the shown numbers were suppressed at (0: protection off).
    pub disclosure_threshold: f64,
    /// Whether small counts were protected; `false` only by the user's explicit choice, and
    /// then the report says so on every page.
    pub protected: bool,
    /// Rows hidden by primary and complementary suppression (over every level computed).
    #[serde(with = "SuppressionCountsDef")]
    pub suppression: SuppressionCounts,
    /// The language the cells are worded in, and the report is written in.
    #[serde(default)]
    pub language: Language,
}

/// [`SuppressionCounts`] as serde sees it (the type itself lives in `privacy`).
#[derive(Serialize, Deserialize)]
#[serde(remote = "SuppressionCounts")]
struct SuppressionCountsDef {
    primary: usize,
    secondary: usize,
}

/// The cells of a run: shared (`Rc`) in memory, plain values when serialised.
mod shared_cells {
    use std::rc::Rc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::CellOutput;

    pub fn serialize<S: Serializer>(
        cells: &[(String, Rc<CellOutput>)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let plain: Vec<(&str, &CellOutput)> = cells
            .iter()
            .map(|(id, c)| (id.as_str(), c.as_ref()))
            .collect();
        plain.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, Rc<CellOutput>)>, D::Error> {
        let plain: Vec<(String, CellOutput)> = Vec::deserialize(d)?;
        Ok(plain.into_iter().map(|(id, c)| (id, Rc::new(c))).collect())
    }
}
