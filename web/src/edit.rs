//! Editing a notebook: pure functions from a notebook and an [`Edit`] to a new notebook, and the
//! [`History`] of notebooks behind Ångra / Gör om. Nothing here touches the page, so it is
//! tested natively; the editor component only turns clicks into edits.
//!
//! Every edit is checked as the file would be when opened ([`Notebook::check`]), so a notebook
//! in the editor always saves to a file that opens again to the same value. An edit that would
//! break it is refused with a message, and the notebook is left as it was.

use std::rc::Rc;

use samsyn_core::classify::Polarity;
use samsyn_core::indicators::definition::{CondValue, MeasureType, Number, Op};
use samsyn_core::indicators::definition::{Indicator, Measure};
use samsyn_core::indicators::Level;
use samsyn_core::notebook::fields::{ChartKind, ParamKind};
use samsyn_core::notebook::fields::{Column, Field, Sort};
use samsyn_core::notebook::format::{
    id_problem, ChartCell, DataCell, IdProblem, IndicatorsCell, ParametersCell, RollupCell,
    RowFilter, TableCell, TextCell, MAX_ID_CHARS,
};
use samsyn_core::notebook::{Cell, Notebook};

pub use crate::edit_cells::{CellEdit, KeyRole};
pub use crate::edit_indicator::{IndicatorEdit, LightMethod};
use crate::i18n::Lang;

/// The levels a table's form offers (a notebook may hold others; they are kept and offered too).
pub const COMMON_LEVELS: [&str; 6] = [
    "lan,year",
    "kommun,year",
    "deso,year",
    "provider,year",
    "kommun,provider,year",
    "kommun,sex,year",
];

/// A level in words, for the form's select.
pub fn level_label(level: &str, lang: Lang) -> String {
    let word = |c: &str| match c {
        "lan" => lang.t("länet", "the county"),
        "kommun" => lang.t("kommun", "municipality"),
        "deso" => lang.t("DeSO-område", "DeSO area"),
        "provider" => lang.t("vårdcentral", "health centre"),
        "sex" => lang.t("kön", "sex"),
        "year" => lang.t("år", "year"),
        "age_group" => lang.t("åldersgrupp", "age group"),
        _ => "",
    };
    let words: Vec<&str> = level.split(',').map(|c| word(c.trim())).collect();
    if words.iter().any(|w| w.is_empty()) {
        level.to_owned()
    } else {
        format!("{} ({level})", words.join(" × "))
    }
}

/// The polarities an indicator's form offers, in order.
pub const POLARITIES: [Polarity; 3] = [
    Polarity::HighIsGood,
    Polarity::LowIsGood,
    Polarity::NoJudgement,
];

/// A polarity's name in the file (as serde writes it).
pub fn polarity_name(p: Polarity) -> &'static str {
    match p {
        Polarity::HighIsGood => "high_is_good",
        Polarity::LowIsGood => "low_is_good",
        Polarity::NoJudgement => "no_judgement",
    }
}

/// A polarity in words.
pub fn polarity_label(p: Polarity, lang: Lang) -> &'static str {
    match p {
        Polarity::HighIsGood => lang.t("högt är bra", "high is good"),
        Polarity::LowIsGood => lang.t("lågt är bra", "low is good"),
        Polarity::NoJudgement => lang.t("ingen bedömning", "no judgement"),
    }
}

/// A kind of cell the editor can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewCell {
    Text,
    Table,
    Parameters,
    Data,
    Indicators,
    Chart,
    Rollup,
}

impl NewCell {
    /// Every kind, in the order the add buttons list them.
    pub const ALL: [NewCell; 7] = [
        NewCell::Text,
        NewCell::Table,
        NewCell::Chart,
        NewCell::Indicators,
        NewCell::Data,
        NewCell::Parameters,
        NewCell::Rollup,
    ];

    /// Its name in the file (`type`), also the class of its add button (`add-chart`).
    pub fn name(self) -> &'static str {
        match self {
            NewCell::Text => "text",
            NewCell::Table => "table",
            NewCell::Parameters => "parameters",
            NewCell::Data => "data",
            NewCell::Indicators => "indicators",
            NewCell::Chart => "chart",
            NewCell::Rollup => "rollup",
        }
    }

    /// The button's text and what it adds, in words (for its accessible name).
    pub fn words(self, lang: Lang) -> (&'static str, &'static str) {
        match self {
            NewCell::Text => (
                lang.t("+ Text", "+ Text"),
                lang.t("en textcell", "a text cell"),
            ),
            NewCell::Table => (
                lang.t("+ Tabell", "+ Table"),
                lang.t("en tabell", "a table"),
            ),
            NewCell::Parameters => (
                lang.t("+ Parametrar", "+ Parameters"),
                lang.t("en parametercell", "a parameter cell"),
            ),
            NewCell::Data => (
                lang.t("+ Data", "+ Data"),
                lang.t("en datacell", "a data cell"),
            ),
            NewCell::Indicators => (
                lang.t("+ Indikatorer", "+ Indicators"),
                lang.t("en indikatorcell", "an indicator cell"),
            ),
            NewCell::Chart => (
                lang.t("+ Diagram", "+ Chart"),
                lang.t("ett diagram", "a chart"),
            ),
            NewCell::Rollup => (
                lang.t("+ Länets avläsning", "+ County read-out"),
                lang.t("länets avläsning", "a county read-out"),
            ),
        }
    }
}

/// A cell's kind in words.
pub fn kind_label(cell: &Cell, lang: Lang) -> &'static str {
    match cell {
        Cell::Text(_) => lang.t("Text", "Text"),
        Cell::Parameters(_) => lang.t("Parametrar", "Parameters"),
        Cell::Data(_) => lang.t("Data", "Data"),
        Cell::Indicators(_) => lang.t("Indikatorer", "Indicators"),
        Cell::Table(_) => lang.t("Tabell", "Table"),
        Cell::Chart(_) => lang.t("Diagram", "Chart"),
        Cell::Rollup(_) => lang.t("Länets avläsning", "County read-out"),
    }
}

/// One change to a notebook. Cells are named by id (unique in a notebook), so that an edit
/// means the same cell after another was moved.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    SetTitle(String),
    MoveUp(String),
    MoveDown(String),
    Duplicate(String),
    Delete(String),
    /// A new cell after the cell of this id, or first when `None`.
    Insert {
        after: Option<String>,
        kind: NewCell,
    },
    SetMarkdown {
        cell: String,
        markdown: String,
    },
    SetTableTitle {
        cell: String,
        title: String,
    },
    SetTableIndicator {
        cell: String,
        indicator: String,
    },
    /// A level as written in the file (`kommun,year`) or a parameter (`$level`).
    SetTableLevel {
        cell: String,
        level: String,
    },
    /// `None`: the default order (by unit), not written in the file.
    SetTableSort {
        cell: String,
        sort: Option<Sort>,
    },
    /// Shows or hides one column.
    SetTableColumn {
        cell: String,
        column: Column,
        shown: bool,
    },
    SetMeasure {
        cell: String,
        indicator: String,
        measure: MeasureType,
    },
    /// As typed: `1000`, `100 000`, `0,5`; empty for the measure's default.
    SetMultiplier {
        cell: String,
        indicator: String,
        text: String,
    },
    SetPolarity {
        cell: String,
        indicator: String,
        polarity: Polarity,
    },
    /// The value of the `at`-th condition of an indicator's numerator (or denominator), as
    /// typed: a number where the condition compares numbers, a list (`a, b`) for `in`.
    SetConditionValue {
        cell: String,
        indicator: String,
        denominator: bool,
        at: usize,
        value: String,
    },
    /// An edit of a parameter, data, chart or roll-up cell.
    Cell {
        cell: String,
        edit: CellEdit,
    },
    /// A new indicator at the end of an indicator cell.
    AddIndicator {
        cell: String,
    },
    /// Refused while a table, chart or read-out shows it.
    RemoveIndicator {
        cell: String,
        indicator: String,
    },
    /// An edit of one indicator.
    Indicator {
        cell: String,
        indicator: String,
        edit: IndicatorEdit,
    },
}

impl Edit {
    /// Edits of one text field, typed a key at a time: consecutive edits of the same field make
    /// one step of the history, not one per key.
    fn typing_key(&self) -> Option<String> {
        match self {
            Edit::SetTitle(_) => Some("title".into()),
            Edit::SetMarkdown { cell, .. } => Some(format!("markdown/{cell}")),
            Edit::SetTableTitle { cell, .. } => Some(format!("table-title/{cell}")),
            Edit::SetConditionValue {
                cell,
                indicator,
                denominator,
                at,
                ..
            } => Some(format!("condition/{cell}/{indicator}/{denominator}/{at}")),
            Edit::Cell { cell, edit } => edit.typing_key().map(|k| format!("{k}/{cell}")),
            Edit::Indicator {
                cell,
                indicator,
                edit,
            } => edit.typing_key().map(|k| format!("{k}/{cell}/{indicator}")),
            _ => None,
        }
    }
}

/// Why an edit was refused. Worded in each language by [`EditError::text`].
#[derive(Debug, Clone, PartialEq)]
pub enum EditError {
    NoCell(String),
    NoIndicator(String),
    /// The edit is for another kind of cell.
    WrongKind(String),
    AlreadyFirst,
    AlreadyLast,
    /// A table must show at least one column.
    NoColumns,
    BadLevel(String),
    BadMultiplier(String),
    /// A condition that compares numbers was given a text.
    BadConditionNumber(String),
    NoCondition,
    NoParameter,
    /// A name (of a parameter, an input) that is not a valid name: the name and why.
    BadName(String, IdProblem),
    /// A name another parameter or input already has.
    NameTaken(String),
    /// A parameter's default that does not fit its kind.
    BadParameterDefault {
        kind: ParamKind,
        default: String,
    },
    BadPeriod(String),
    /// An indicator side names an input that no data cell declares.
    NoSource(String),
    /// A rate, share or standardised measure needs a denominator.
    DenominatorNeeded,
    NoDenominator,
    /// A condition needs a column.
    NoColumn,
    BadNumber(String),
    BadAge(String),
    AgesReversed(u32, u32),
    BadShare(String),
    BadTrendPeriods(String),
    BadMinCases(String),
    /// A light rule's setting for another rule than the indicator has.
    OtherLightRule,
    /// The indicator is shown by this cell.
    IndicatorInUse {
        indicator: String,
        cell: String,
    },
    /// The notebook would not open again as it is ([`Notebook::check`]); core's message.
    Invalid(String),
}

impl EditError {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (EditError::NoCell(id), Lang::Sv) => format!("Det finns ingen cell «{id}»."),
            (EditError::NoCell(id), Lang::En) => format!("There is no cell '{id}'."),
            (EditError::NoIndicator(id), Lang::Sv) => {
                format!("Det finns ingen indikator «{id}».")
            }
            (EditError::NoIndicator(id), Lang::En) => format!("There is no indicator '{id}'."),
            (EditError::WrongKind(id), Lang::Sv) => {
                format!("Cellen «{id}» är inte av det slaget.")
            }
            (EditError::WrongKind(id), Lang::En) => format!("The cell '{id}' is not of that kind."),
            (EditError::AlreadyFirst, _) => lang
                .t("Cellen är redan först.", "The cell is already first.")
                .into(),
            (EditError::AlreadyLast, _) => lang
                .t("Cellen är redan sist.", "The cell is already last.")
                .into(),
            (EditError::NoColumns, _) => lang
                .t(
                    "En tabell måste visa minst en kolumn.",
                    "A table must show at least one column.",
                )
                .into(),
            (EditError::BadLevel(m), Lang::Sv) => format!("Nivån godtas inte: {m}"),
            (EditError::BadLevel(m), Lang::En) => format!("The level is not accepted: {m}"),
            (EditError::BadMultiplier(t), Lang::Sv) => format!(
                "«{t}» är inte ett positivt tal. Skriv till exempel 100, 1000 eller 100 000, eller lämna tomt för standardvärdet."
            ),
            (EditError::BadMultiplier(t), Lang::En) => format!(
                "'{t}' is not a positive number. Write e.g. 100, 1000 or 100 000, or leave it empty for the default."
            ),
            (EditError::BadConditionNumber(t), Lang::Sv) => {
                format!("«{t}» är inte ett tal, och villkoret jämför tal.")
            }
            (EditError::BadConditionNumber(t), Lang::En) => {
                format!("'{t}' is not a number, and the condition compares numbers.")
            }
            (EditError::NoCondition, _) => lang
                .t("Villkoret finns inte.", "There is no such condition.")
                .into(),
            (EditError::NoParameter, _) => lang
                .t("Parametern finns inte.", "There is no such parameter.")
                .into(),
            (EditError::BadName(n, why), Lang::Sv) => format!(
                "«{n}» kan inte vara ett namn: {}. Använd bokstäverna A–Z och a–z, siffror, '_' och '-'.",
                why.swedish()
            ),
            (EditError::BadName(n, why), Lang::En) => format!(
                "'{n}' cannot be a name: {why}. Use the letters A–Z and a–z, digits, '_' and '-'."
            ),
            (EditError::NameTaken(n), Lang::Sv) => {
                format!("Namnet «{n}» används redan i anteckningsboken.")
            }
            (EditError::NameTaken(n), Lang::En) => {
                format!("The name '{n}' is already used in the notebook.")
            }
            (EditError::BadParameterDefault { kind, default }, Lang::Sv) => format!(
                "«{default}» passar inte en parameter av slaget {}: {}.",
                kind.swedish(),
                match kind {
                    ParamKind::Number => "skriv ett tal (0,9 eller 20)",
                    ParamKind::Kommun => "skriv en kommunkod med fyra siffror (2480)",
                    ParamKind::Year => "skriv ett år med fyra siffror (2024) eller latest",
                    ParamKind::Text | ParamKind::Provider => "skriv en text",
                }
            ),
            (EditError::BadParameterDefault { kind, default }, Lang::En) => format!(
                "'{default}' does not fit a parameter of kind {}: {}.",
                kind.english(),
                match kind {
                    ParamKind::Number => "write a number (0.9 or 20)",
                    ParamKind::Kommun => "write a kommun code of four digits (2480)",
                    ParamKind::Year => "write a year of four digits (2024) or latest",
                    ParamKind::Text | ParamKind::Provider => "write a text",
                }
            ),
            (EditError::BadPeriod(m), Lang::Sv) => format!(
                "Perioden godtas inte: {m}. Skriv latest, ett år (2024), ett intervall (2019..2023) eller lämna tomt för alla."
            ),
            (EditError::BadPeriod(m), Lang::En) => format!(
                "The period is not accepted: {m}. Write latest, a year (2024), a range (2019..2023) or leave it empty for all."
            ),
            (EditError::NoSource(s), Lang::Sv) => format!(
                "Det finns ingen datacell «{s}»; lägg till en datacell med det namnet först."
            ),
            (EditError::NoSource(s), Lang::En) => {
                format!("There is no data cell '{s}'; add a data cell of that name first.")
            }
            (EditError::DenominatorNeeded, _) => lang
                .t(
                    "Måttet behöver en nämnare; välj måttet antal för att ta bort den.",
                    "The measure needs a denominator; choose the measure count to remove it.",
                )
                .into(),
            (EditError::NoDenominator, _) => lang
                .t(
                    "Indikatorn har ingen nämnare; välj en källa för nämnaren först.",
                    "The indicator has no denominator; choose a source for it first.",
                )
                .into(),
            (EditError::NoColumn, _) => lang
                .t(
                    "Välj en kolumn för villkoret.",
                    "Choose a column for the condition.",
                )
                .into(),
            (EditError::BadNumber(t), Lang::Sv) => format!("«{t}» är inte ett tal."),
            (EditError::BadNumber(t), Lang::En) => format!("'{t}' is not a number."),
            (EditError::BadAge(t), Lang::Sv) => format!(
                "«{t}» är ingen åldersgräns: skriv hela år på en femårsklass gräns (från 65, till 79), högst 120."
            ),
            (EditError::BadAge(t), Lang::En) => format!(
                "'{t}' is no age limit: write whole years on a five-year band's edge (from 65, to 79), at most 120."
            ),
            (EditError::AgesReversed(a, b), Lang::Sv) => {
                format!("Åldrarna slutar ({b}) innan de börjar ({a}).")
            }
            (EditError::AgesReversed(a, b), Lang::En) => {
                format!("The ages end ({b}) before they start ({a}).")
            }
            (EditError::BadShare(t), Lang::Sv) => format!(
                "«{t}» är ingen andel över 0 och högst 0,5 (till exempel 0,25 för en fjärdedel)."
            ),
            (EditError::BadShare(t), Lang::En) => format!(
                "'{t}' is not a share above 0 and at most 0.5 (e.g. 0.25 for a quarter)."
            ),
            (EditError::BadTrendPeriods(t), Lang::Sv) => format!(
                "«{t}» är inte ett antal perioder från 3 till {}.",
                crate::edit_indicator::MAX_TREND_PERIODS
            ),
            (EditError::BadTrendPeriods(t), Lang::En) => format!(
                "'{t}' is not a number of periods from 3 to {}.",
                crate::edit_indicator::MAX_TREND_PERIODS
            ),
            (EditError::BadMinCases(t), Lang::Sv) => format!(
                "«{t}» är inget minsta antal fall: skriv ett tal från 1, eller lämna tomt för standardvärdet 5."
            ),
            (EditError::BadMinCases(t), Lang::En) => format!(
                "'{t}' is no fewest number of cases: write a number from 1, or leave it empty for the default 5."
            ),
            (EditError::OtherLightRule, _) => lang
                .t(
                    "Indikatorn har ett annat slags ljus; välj regeln först.",
                    "The indicator has another light rule; choose the rule first.",
                )
                .into(),
            (EditError::IndicatorInUse { indicator, cell }, Lang::Sv) => format!(
                "Indikatorn «{indicator}» visas i cellen «{cell}»; ändra eller ta bort den cellen först."
            ),
            (EditError::IndicatorInUse { indicator, cell }, Lang::En) => format!(
                "The indicator '{indicator}' is shown in the cell '{cell}'; change or delete that cell first."
            ),
            (EditError::Invalid(m), Lang::Sv) => {
                format!("Ändringen skulle göra anteckningsboken ogiltig: {m}")
            }
            (EditError::Invalid(m), Lang::En) => {
                format!("The change would make the notebook invalid: {m}")
            }
        }
    }
}

fn position(nb: &Notebook, id: &str) -> Result<usize, EditError> {
    nb.cells
        .iter()
        .position(|c| c.id() == id)
        .ok_or_else(|| EditError::NoCell(id.to_owned()))
}

fn table_mut<'a>(nb: &'a mut Notebook, id: &str) -> Result<&'a mut TableCell, EditError> {
    let at = position(nb, id)?;
    match &mut nb.cells[at] {
        Cell::Table(t) => Ok(t),
        _ => Err(EditError::WrongKind(id.to_owned())),
    }
}

fn indicator_mut<'a>(
    nb: &'a mut Notebook,
    cell: &str,
    indicator: &str,
) -> Result<&'a mut samsyn_core::indicators::definition::Indicator, EditError> {
    let at = position(nb, cell)?;
    let Cell::Indicators(ic) = &mut nb.cells[at] else {
        return Err(EditError::WrongKind(cell.to_owned()));
    };
    ic.indicators
        .iter_mut()
        .find(|i| i.id == indicator)
        .ok_or_else(|| EditError::NoIndicator(indicator.to_owned()))
}

/// Sets a cell's id (each kind keeps it in its own struct).
fn set_id(cell: &mut Cell, id: String) {
    match cell {
        Cell::Text(c) => c.id = id,
        Cell::Parameters(c) => c.id = id,
        Cell::Data(c) => c.id = id,
        Cell::Indicators(c) => c.id = id,
        Cell::Table(c) => c.id = id,
        Cell::Chart(c) => c.id = id,
        Cell::Rollup(c) => c.id = id,
    }
}

/// An id not yet used in `nb`: `base-2`, `base-3`, … (shortened so that it stays a valid id).
pub fn unique_id(nb: &Notebook, base: &str) -> String {
    let taken = |id: &str| nb.cells.iter().any(|c| c.id() == id);
    let base = if id_problem(base).is_none() {
        base
    } else {
        "cell"
    };
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let keep = MAX_ID_CHARS - suffix.len();
            // Ids are ASCII (checked above), so a byte cut is a character cut.
            format!("{}{suffix}", &base[..base.len().min(keep)])
        })
        .find(|id| !taken(id))
        .unwrap_or_else(|| "cell".to_owned())
}

/// The indicator ids of all indicator cells, in order.
pub fn indicator_ids(nb: &Notebook) -> Vec<String> {
    nb.cells
        .iter()
        .filter_map(|c| match c {
            Cell::Indicators(ic) => Some(ic.indicators.iter().map(|i| i.id.clone())),
            _ => None,
        })
        .flatten()
        .collect()
}

fn new_cell(nb: &Notebook, kind: NewCell) -> Cell {
    match kind {
        NewCell::Text => Cell::Text(TextCell {
            id: unique_id(nb, "text"),
            markdown: String::new(),
            extra: Default::default(),
        }),
        NewCell::Table => Cell::Table(TableCell {
            id: unique_id(nb, "table"),
            title: String::new(),
            indicator: indicator_ids(nb).into_iter().next().unwrap_or_default(),
            level: Field::parse("kommun,year").unwrap_or_default(),
            filter: RowFilter::default(),
            sort: Field::default(),
            columns: Vec::new(),
            highlight: String::new(),
            extra: Default::default(),
        }),
        NewCell::Parameters => Cell::Parameters(ParametersCell {
            id: unique_id(nb, "params"),
            parameters: Vec::new(),
            extra: Default::default(),
        }),
        NewCell::Data => {
            let taken: Vec<String> = nb.data_cells().keys().map(|k| k.to_string()).collect();
            let name = (1..)
                .map(|n| {
                    if n == 1 {
                        "data".to_owned()
                    } else {
                        format!("data_{n}")
                    }
                })
                .find(|n| !taken.contains(n))
                .unwrap_or_default();
            Cell::Data(DataCell {
                id: unique_id(nb, &name),
                name,
                expects: String::new(),
                keys: Default::default(),
                required_columns: Vec::new(),
                dialect: None,
                min_rows: None,
                contract: None,
                extra: Default::default(),
            })
        }
        NewCell::Indicators => Cell::Indicators(IndicatorsCell {
            id: unique_id(nb, "indicators"),
            title: String::new(),
            indicators: vec![new_indicator(nb)],
            mappings: Vec::new(),
            age_groups: Vec::new(),
            rollup: None,
            extra: Default::default(),
        }),
        NewCell::Chart => Cell::Chart(ChartCell {
            id: unique_id(nb, "chart"),
            chart: ChartKind::Bar,
            title: String::new(),
            indicators: indicator_ids(nb).into_iter().take(1).collect(),
            level: Field::parse("kommun,year").unwrap_or_default(),
            filter: crate::edit_cells::latest(),
            highlight: String::new(),
            extra: Default::default(),
        }),
        NewCell::Rollup => Cell::Rollup(RollupCell {
            id: unique_id(nb, "rollup"),
            title: String::new(),
            indicators: Vec::new(),
            level: Field::parse("kommun,year").unwrap_or_default(),
            filter: crate::edit_cells::latest(),
            extra: Default::default(),
        }),
    }
}

/// A new indicator: a count of the rows of the notebook's first input, to change by its form.
fn new_indicator(nb: &Notebook) -> Indicator {
    let taken = indicator_ids(nb);
    let id = (1..)
        .map(|n| {
            if n == 1 {
                "indicator".to_owned()
            } else {
                format!("indicator-{n}")
            }
        })
        .find(|id| !taken.contains(id))
        .unwrap_or_default();
    Indicator {
        id,
        name: "Ny indikator".into(),
        name_en: None,
        description: String::new(),
        shift: None,
        dimension: None,
        kind: None,
        polarity: Polarity::default(),
        measure: MeasureType::Count,
        multiplier: None,
        unit: String::new(),
        ages: Default::default(),
        numerator: Measure {
            source: nb
                .data_cells()
                .keys()
                .next()
                .map(|k| k.to_string())
                .unwrap_or_default(),
            conditions: Vec::new(),
            sum: None,
        },
        denominator: None,
        light: Default::default(),
        min_cases: None,
        confidence: None,
        extra: Default::default(),
    }
}

/// The cells that show the indicator `id` (a table, or a chart or read-out naming it).
fn shown_by(nb: &Notebook, id: &str) -> Option<String> {
    nb.cells.iter().find_map(|c| {
        let shows = match c {
            Cell::Table(t) => t.indicator == id,
            Cell::Chart(ch) => ch.indicators.iter().any(|i| i == id),
            Cell::Rollup(r) => r.indicators.iter().any(|i| i == id),
            _ => false,
        };
        shows.then(|| c.id().to_owned())
    })
}

/// The columns a table shows (its own list, or the default when it names none).
pub fn shown_columns(t: &TableCell) -> Vec<Column> {
    if t.columns.is_empty() {
        Column::DEFAULT.to_vec()
    } else {
        t.columns
            .iter()
            .filter_map(|c| c.value().copied())
            .collect()
    }
}

/// `nb` after `edit`, or why not. `nb` itself is never changed.
pub fn apply(nb: &Notebook, edit: &Edit) -> Result<Notebook, EditError> {
    let mut next = nb.clone();
    match edit {
        Edit::SetTitle(title) => next.title = title.clone(),
        Edit::MoveUp(id) => {
            let at = position(&next, id)?;
            if at == 0 {
                return Err(EditError::AlreadyFirst);
            }
            next.cells.swap(at - 1, at);
        }
        Edit::MoveDown(id) => {
            let at = position(&next, id)?;
            if at + 1 >= next.cells.len() {
                return Err(EditError::AlreadyLast);
            }
            next.cells.swap(at, at + 1);
        }
        Edit::Duplicate(id) => {
            let at = position(&next, id)?;
            let mut copy = next.cells[at].clone();
            set_id(&mut copy, unique_id(&next, id));
            next.cells.insert(at + 1, copy);
        }
        Edit::Delete(id) => {
            let at = position(&next, id)?;
            next.cells.remove(at);
        }
        Edit::Insert { after, kind } => {
            let at = match after {
                Some(id) => position(&next, id)? + 1,
                None => 0,
            };
            let cell = new_cell(&next, *kind);
            next.cells.insert(at, cell);
        }
        Edit::SetMarkdown { cell, markdown } => {
            let at = position(&next, cell)?;
            let Cell::Text(t) = &mut next.cells[at] else {
                return Err(EditError::WrongKind(cell.clone()));
            };
            t.markdown = markdown.clone();
        }
        Edit::SetTableTitle { cell, title } => table_mut(&mut next, cell)?.title = title.clone(),
        Edit::SetTableIndicator { cell, indicator } => {
            if !indicator_ids(&next).contains(indicator) {
                return Err(EditError::NoIndicator(indicator.clone()));
            }
            table_mut(&mut next, cell)?.indicator = indicator.clone();
        }
        Edit::SetTableLevel { cell, level } => {
            let text = level.trim();
            if text.is_empty() {
                return Err(EditError::BadLevel(
                    "a table needs a level (e.g. kommun,year)".into(),
                ));
            }
            let field = Field::<Level>::parse(text).map_err(EditError::BadLevel)?;
            table_mut(&mut next, cell)?.level = field;
        }
        Edit::SetTableSort { cell, sort } => {
            table_mut(&mut next, cell)?.sort = sort.map(Field::of).unwrap_or_default();
        }
        Edit::SetTableColumn {
            cell,
            column,
            shown,
        } => {
            let t = table_mut(&mut next, cell)?;
            let was_default = t.columns.is_empty();
            let mut columns: Vec<Field<Column>> = if was_default {
                Column::DEFAULT.iter().map(|c| Field::of(*c)).collect()
            } else {
                t.columns.clone()
            };
            let has = columns.iter().any(|c| c.value() == Some(column));
            if *shown && !has {
                // In the order forms list them, among the columns already shown.
                let rank = |c: &Column| Column::ALL.iter().position(|a| a == c);
                let at = columns
                    .iter()
                    .position(|c| c.value().and_then(rank) > rank(column))
                    .unwrap_or(columns.len());
                columns.insert(at, Field::of(*column));
            } else if !*shown && has {
                columns.retain(|c| c.value() != Some(column));
                if columns.is_empty() {
                    return Err(EditError::NoColumns);
                }
            }
            let is_default = columns.len() == Column::DEFAULT.len()
                && columns
                    .iter()
                    .zip(Column::DEFAULT.iter())
                    .all(|(a, b)| a.value() == Some(b));
            // A table that named no columns keeps naming none while it shows the default.
            t.columns = if was_default && is_default {
                Vec::new()
            } else {
                columns
            };
        }
        Edit::SetMeasure {
            cell,
            indicator,
            measure,
        } => indicator_mut(&mut next, cell, indicator)?.measure = *measure,
        Edit::SetMultiplier {
            cell,
            indicator,
            text,
        } => {
            let written: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let multiplier = if written.is_empty() {
                None
            } else {
                match Number::parse(&written) {
                    Some(v) if v > 0.0 => Some(v),
                    _ => return Err(EditError::BadMultiplier(text.trim().to_owned())),
                }
            };
            indicator_mut(&mut next, cell, indicator)?.multiplier = multiplier;
        }
        Edit::SetPolarity {
            cell,
            indicator,
            polarity,
        } => indicator_mut(&mut next, cell, indicator)?.polarity = *polarity,
        Edit::SetConditionValue {
            cell,
            indicator,
            denominator,
            at,
            value,
        } => {
            let ind = indicator_mut(&mut next, cell, indicator)?;
            let measure = if *denominator {
                ind.denominator.as_mut()
            } else {
                Some(&mut ind.numerator)
            };
            let condition = measure
                .and_then(|m| m.conditions.get_mut(*at))
                .ok_or(EditError::NoCondition)?;
            let typed = value.trim();
            condition.value = match (&condition.value, condition.op) {
                (CondValue::List(_), _) | (_, Op::In) => CondValue::List(
                    typed
                        .split(',')
                        .map(|v| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                        .collect(),
                ),
                (CondValue::Number(_), _) => CondValue::Number(
                    Number::parse(typed)
                        .ok_or_else(|| EditError::BadConditionNumber(typed.to_owned()))?,
                ),
                (CondValue::Text(_), _) => CondValue::Text(typed.to_owned()),
            };
        }
        Edit::Cell { cell, edit } => {
            let at = position(&next, cell)?;
            crate::edit_cells::apply_cell(&mut next, at, edit)?;
        }
        Edit::AddIndicator { cell } => {
            let indicator = new_indicator(&next);
            let at = position(&next, cell)?;
            let Cell::Indicators(ic) = &mut next.cells[at] else {
                return Err(EditError::WrongKind(cell.clone()));
            };
            ic.indicators.push(indicator);
        }
        Edit::RemoveIndicator { cell, indicator } => {
            indicator_mut(&mut next, cell, indicator)?;
            if let Some(by) = shown_by(&next, indicator) {
                return Err(EditError::IndicatorInUse {
                    indicator: indicator.clone(),
                    cell: by,
                });
            }
            let at = position(&next, cell)?;
            if let Cell::Indicators(ic) = &mut next.cells[at] {
                ic.indicators.retain(|i| i.id != *indicator);
            }
        }
        Edit::Indicator {
            cell,
            indicator,
            edit,
        } => {
            let sources: Vec<String> = next.data_cells().keys().map(|k| k.to_string()).collect();
            let ind = indicator_mut(&mut next, cell, indicator)?;
            crate::edit_indicator::apply_indicator(ind, edit, &sources)?;
        }
    }
    // As the file would be checked when opened again.
    next.check()
        .map_err(|e| EditError::Invalid(e.to_string()))?;
    Ok(next)
}

/// Most steps Ångra can go back.
pub const HISTORY_STEPS: usize = 200;

/// The notebook being edited with its past and its undone future: every edit gives a new
/// notebook (the old ones are shared, never changed).
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    past: Vec<Rc<Notebook>>,
    present: Rc<Notebook>,
    future: Vec<Rc<Notebook>>,
    /// The field the last edit typed into, if it was a text field.
    typing: Option<String>,
    /// The notebook as last saved or opened, to tell whether there are unsaved changes.
    saved: Rc<Notebook>,
}

impl History {
    pub fn new(nb: Notebook) -> Self {
        let nb = Rc::new(nb);
        History {
            past: Vec::new(),
            present: nb.clone(),
            future: Vec::new(),
            typing: None,
            saved: nb,
        }
    }

    /// A notebook restored from the browser's storage: its changes were never saved as a
    /// file, so it counts as unsaved until it is.
    pub fn restored(nb: Notebook) -> Self {
        let mut h = History::new(nb);
        h.saved = Rc::new(Notebook::new(""));
        h
    }

    pub fn notebook(&self) -> &Rc<Notebook> {
        &self.present
    }

    /// Applies `edit`; a refused edit changes nothing. An edit that changes nothing is no step.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        let next = apply(&self.present, edit)?;
        if next == *self.present {
            return Ok(());
        }
        let key = edit.typing_key();
        let continues_typing = key.is_some() && key == self.typing && self.future.is_empty();
        if !continues_typing {
            self.past.push(self.present.clone());
            if self.past.len() > HISTORY_STEPS {
                self.past.remove(0);
            }
        }
        self.present = Rc::new(next);
        self.future.clear();
        self.typing = key;
        Ok(())
    }

    /// Ends a run of typing, so that the next keystroke starts a new step (a field left).
    pub fn end_typing(&mut self) {
        self.typing = None;
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.past.pop() else {
            return false;
        };
        self.future
            .push(std::mem::replace(&mut self.present, previous));
        self.typing = None;
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(next) = self.future.pop() else {
            return false;
        };
        self.past.push(std::mem::replace(&mut self.present, next));
        self.typing = None;
        true
    }

    /// Whether the notebook differs from the one last saved or opened.
    pub fn unsaved(&self) -> bool {
        *self.present != *self.saved
    }

    /// The file text to save; the notebook counts as saved from now on.
    pub fn save(&mut self) -> String {
        self.saved = self.present.clone();
        self.present.save()
    }
}

/// The name a notebook is saved under: its title made safe for a file name, `.samsyn.json`.
pub fn file_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned: String = cleaned.trim().trim_matches('.').chars().take(80).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "anteckningsbok.samsyn.json".to_owned()
    } else {
        format!("{cleaned}.samsyn.json")
    }
}

/// A new notebook: a title and no cells, to build by the add buttons and forms.
const EMPTY: &str =
    r#"{"format": "samsyn-notebook", "version": 1, "title": "Ny anteckningsbok", "cells": []}"#;

/// A new, empty notebook.
pub fn new_notebook() -> Result<Notebook, crate::i18n::Both> {
    Notebook::open(EMPTY).map_err(|e| crate::i18n::Both::of(&e))
}

/// A notebook of each kind of cell the forms edit (a text, a kommun parameter, the events and
/// population files, one indicator and its table), for the tests of the edits.
#[cfg(test)]
pub fn template() -> Notebook {
    Notebook::open(include_str!("test_template.samsyn.json")).expect("the template opens")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn falls() -> Notebook {
        Notebook::open(include_str!("../../notebooks/falls.samsyn.json")).expect("opens")
    }

    fn ids(nb: &Notebook) -> Vec<&str> {
        nb.cells.iter().map(|c| c.id()).collect()
    }

    fn table<'a>(nb: &'a Notebook, id: &str) -> &'a TableCell {
        match nb.cells.iter().find(|c| c.id() == id) {
            Some(Cell::Table(t)) => t,
            _ => panic!("no table {id}"),
        }
    }

    #[test]
    fn moving_duplicating_deleting_and_inserting_cells() {
        let nb = falls();
        let before = ids(&nb).iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let moved = apply(&nb, &Edit::MoveDown("intro".into())).expect("moves");
        assert_eq!(&ids(&moved)[..2], &["params", "intro"]);
        assert_eq!(moved.cells.len(), nb.cells.len());
        assert_eq!(
            apply(&nb, &Edit::MoveUp("intro".into())),
            Err(EditError::AlreadyFirst)
        );
        let last = before.last().expect("cells").clone();
        assert_eq!(
            apply(&nb, &Edit::MoveDown(last.clone())),
            Err(EditError::AlreadyLast)
        );
        let up = apply(&moved, &Edit::MoveUp("intro".into())).expect("moves back");
        assert_eq!(up, nb);

        let dup = apply(&nb, &Edit::Duplicate("t-dsr-lan".into())).expect("duplicates");
        let at = ids(&dup)
            .iter()
            .position(|i| *i == "t-dsr-lan")
            .expect("kept");
        assert_eq!(ids(&dup)[at + 1], "t-dsr-lan-2");
        let (a, b) = (table(&dup, "t-dsr-lan"), table(&dup, "t-dsr-lan-2"));
        assert_eq!(
            (&a.indicator, a.level.text()),
            (&b.indicator, b.level.text())
        );
        let dup2 = apply(&dup, &Edit::Duplicate("t-dsr-lan".into())).expect("again");
        assert!(ids(&dup2).contains(&"t-dsr-lan-3"));

        let del = apply(&nb, &Edit::Delete("t-dsr-lan".into())).expect("deletes");
        assert_eq!(del.cells.len(), nb.cells.len() - 1);
        assert!(!ids(&del).contains(&"t-dsr-lan"));
        assert_eq!(
            apply(&del, &Edit::Delete("t-dsr-lan".into())),
            Err(EditError::NoCell("t-dsr-lan".into()))
        );

        let ins = apply(
            &nb,
            &Edit::Insert {
                after: Some("intro".into()),
                kind: NewCell::Table,
            },
        )
        .expect("inserts");
        assert_eq!(&ids(&ins)[..2], &["intro", "table"]);
        let t = table(&ins, "table");
        assert_eq!(
            (t.indicator.as_str(), t.level.text()),
            ("fall_injuries_65_dsr", "kommun,year")
        );
        let ins = apply(
            &ins,
            &Edit::Insert {
                after: None,
                kind: NewCell::Text,
            },
        )
        .expect("inserts");
        assert_eq!(&ids(&ins)[..3], &["text", "intro", "table"]);
    }

    #[test]
    fn table_forms_set_typed_fields_and_refuse_bad_input() {
        let nb = falls();
        let id = "t-dsr-kommun".to_string();
        let e = apply(
            &nb,
            &Edit::SetTableLevel {
                cell: id.clone(),
                level: "deso,year".into(),
            },
        )
        .expect("a level");
        assert_eq!(
            table(&e, &id).level.value().map(|l| l.columns().join(",")),
            Some("deso,year".into())
        );
        let err = apply(
            &nb,
            &Edit::SetTableLevel {
                cell: id.clone(),
                level: "kommun,yaer".into(),
            },
        )
        .expect_err("refused");
        assert!(
            matches!(&err, EditError::BadLevel(m) if m.contains("kommun,yaer")),
            "{err:?}"
        );
        assert!(err.text(Lang::Sv).starts_with("Nivån godtas inte: "));
        // A parameter that the notebook does not declare is refused by the file's own check.
        let err = apply(
            &nb,
            &Edit::SetTableLevel {
                cell: id.clone(),
                level: "$nivå_saknas".into(),
            },
        )
        .expect_err("refused");
        assert!(
            matches!(&err, EditError::BadLevel(_) | EditError::Invalid(_)),
            "{err:?}"
        );

        let s = apply(
            &nb,
            &Edit::SetTableSort {
                cell: id.clone(),
                sort: Some(Sort::Value),
            },
        )
        .expect("sorts");
        assert_eq!(table(&s, &id).sort.text(), "value");
        let s = apply(
            &s,
            &Edit::SetTableSort {
                cell: id.clone(),
                sort: None,
            },
        )
        .expect("default");
        assert!(table(&s, &id).sort.is_empty());

        assert_eq!(
            apply(
                &nb,
                &Edit::SetTableIndicator {
                    cell: id.clone(),
                    indicator: "nope".into()
                }
            ),
            Err(EditError::NoIndicator("nope".into()))
        );
        let i = apply(
            &nb,
            &Edit::SetTableIndicator {
                cell: id.clone(),
                indicator: "fall_admissions_80".into(),
            },
        )
        .expect("an indicator");
        assert_eq!(table(&i, &id).indicator, "fall_admissions_80");
        assert_eq!(
            apply(
                &nb,
                &Edit::SetTableTitle {
                    cell: "intro".into(),
                    title: "x".into()
                }
            ),
            Err(EditError::WrongKind("intro".into()))
        );
    }

    #[test]
    fn columns_are_toggled_in_form_order_and_never_all_hidden() {
        let nb = falls();
        // Names no columns: the default shows all but change.
        let id = "t-dsr-kommun".to_string();
        let col = |nb: &Notebook, c, shown| {
            apply(
                nb,
                &Edit::SetTableColumn {
                    cell: id.clone(),
                    column: c,
                    shown,
                },
            )
        };
        let names = |nb: &Notebook| -> Vec<String> {
            table(nb, &id)
                .columns
                .iter()
                .map(|c| c.text().to_owned())
                .collect()
        };
        let e = col(&nb, Column::Change, true).expect("shown");
        assert_eq!(
            names(&e),
            [
                "unit",
                "period",
                "numerator",
                "denominator",
                "value",
                "interval",
                "light",
                "reason",
                "change"
            ]
        );
        let e = col(&e, Column::Change, false).expect("hidden");
        assert!(names(&e).len() == 8);
        let e = col(&nb, Column::Interval, false).expect("hidden");
        assert_eq!(
            names(&e),
            [
                "unit",
                "period",
                "numerator",
                "denominator",
                "value",
                "light",
                "reason"
            ]
        );
        let e = col(&e, Column::Interval, true).expect("back, in its place");
        assert_eq!(shown_columns(table(&e, &id)), Column::DEFAULT.to_vec());
        // Hiding every column is refused at the last one.
        let mut e = nb.clone();
        for c in &Column::DEFAULT[..7] {
            e = col(&e, *c, false).expect("hidden");
        }
        assert_eq!(col(&e, Column::Reason, false), Err(EditError::NoColumns));
    }

    #[test]
    fn indicator_forms_set_measure_multiplier_and_polarity() {
        let nb = falls();
        let (cell, ind) = ("indicators".to_string(), "fall_admissions_80".to_string());
        let get = |nb: &Notebook| match nb.cells.iter().find(|c| c.id() == "indicators") {
            Some(Cell::Indicators(ic)) => ic
                .indicators
                .iter()
                .find(|i| i.id == "fall_admissions_80")
                .cloned()
                .expect("indicator"),
            _ => panic!("no indicators cell"),
        };
        let e = apply(
            &nb,
            &Edit::SetMultiplier {
                cell: cell.clone(),
                indicator: ind.clone(),
                text: " 100 000 ".into(),
            },
        )
        .expect("a multiplier");
        assert_eq!(get(&e).multiplier, Some(100_000.0));
        let e = apply(
            &e,
            &Edit::SetMultiplier {
                cell: cell.clone(),
                indicator: ind.clone(),
                text: "0,5".into(),
            },
        )
        .expect("a decimal comma");
        assert_eq!(get(&e).multiplier, Some(0.5));
        for bad in ["tusen", "-10", "0", "1e999"] {
            let err = apply(
                &nb,
                &Edit::SetMultiplier {
                    cell: cell.clone(),
                    indicator: ind.clone(),
                    text: bad.into(),
                },
            )
            .expect_err(bad);
            assert_eq!(err, EditError::BadMultiplier(bad.into()));
            assert!(err.text(Lang::Sv).contains("är inte ett positivt tal"));
        }
        let e = apply(
            &e,
            &Edit::SetMultiplier {
                cell: cell.clone(),
                indicator: ind.clone(),
                text: "".into(),
            },
        )
        .expect("the default");
        assert_eq!(get(&e).multiplier, None);
        let e = apply(
            &e,
            &Edit::SetMeasure {
                cell: cell.clone(),
                indicator: ind.clone(),
                measure: MeasureType::Share,
            },
        )
        .expect("a measure");
        assert_eq!(get(&e).measure, MeasureType::Share);
        let e = apply(
            &e,
            &Edit::SetPolarity {
                cell: cell.clone(),
                indicator: ind.clone(),
                polarity: Polarity::NoJudgement,
            },
        )
        .expect("a polarity");
        assert_eq!(get(&e).polarity, Polarity::NoJudgement);
        assert!(e.save().contains("\"polarity\": \"no_judgement\""));
        assert_eq!(polarity_name(Polarity::NoJudgement), "no_judgement");
    }

    #[test]
    fn an_edited_notebook_saved_opens_to_the_same_value() {
        let mut h = History::new(falls());
        for edit in [
            Edit::SetTitle("Fall – min version".into()),
            Edit::Insert {
                after: Some("intro".into()),
                kind: NewCell::Text,
            },
            Edit::SetMarkdown {
                cell: "text".into(),
                markdown: "# Rubrik\n\nMed **fetstil** och «citat».".into(),
            },
            Edit::Duplicate("t-dsr-deso".into()),
            Edit::SetTableLevel {
                cell: "t-dsr-deso-2".into(),
                level: "provider,year".into(),
            },
            Edit::SetTableColumn {
                cell: "t-dsr-deso-2".into(),
                column: Column::Change,
                shown: true,
            },
            Edit::SetTableSort {
                cell: "t-dsr-deso-2".into(),
                sort: Some(Sort::Value),
            },
            Edit::MoveUp("t-dsr-deso-2".into()),
            Edit::Delete("trend-adm".into()),
            Edit::SetMultiplier {
                cell: "indicators".into(),
                indicator: "fall_admissions_80".into(),
                text: "10 000".into(),
            },
        ] {
            h.apply(&edit).unwrap_or_else(|e| panic!("{edit:?}: {e:?}"));
        }
        assert!(h.unsaved());
        let text = h.save();
        assert!(!h.unsaved());
        let opened = Notebook::open(&text).expect("opens");
        assert_eq!(&opened, &**h.notebook());
        assert_eq!(opened.save(), text, "saved again, the same bytes");
        assert_eq!(file_name(&opened.title), "Fall – min version.samsyn.json");
    }

    #[test]
    fn undo_and_redo_walk_the_notebooks_and_typing_is_one_step() {
        let original = falls();
        let mut h = History::new(original.clone());
        assert!(!h.can_undo() && !h.can_redo());
        h.apply(&Edit::Delete("intro".into())).expect("deletes");
        let deleted = (**h.notebook()).clone();
        for text in ["F", "Fa", "Fal", "Fall"] {
            h.apply(&Edit::SetTitle(text.into())).expect("types");
        }
        assert_eq!(h.notebook().title, "Fall");
        // A refused edit is no step and changes nothing.
        let before = h.clone();
        assert!(h.apply(&Edit::MoveUp("nope".into())).is_err());
        assert_eq!(h, before);
        assert!(h.undo());
        assert_eq!(
            **h.notebook(),
            deleted,
            "the whole title typed was one step"
        );
        assert!(h.undo());
        assert_eq!(**h.notebook(), original);
        assert!(!h.undo());
        assert!(h.redo() && h.redo());
        assert_eq!(h.notebook().title, "Fall");
        assert!(!h.redo());
        // A new edit after an undo drops the undone future.
        assert!(h.undo());
        h.apply(&Edit::MoveDown("params".into())).expect("moves");
        assert!(!h.can_redo());
        // Leaving the field ends the step.
        h.apply(&Edit::SetTitle("A".into())).expect("types");
        h.end_typing();
        h.apply(&Edit::SetTitle("AB".into())).expect("types");
        assert!(h.undo());
        assert_eq!(h.notebook().title, "A");
    }

    #[test]
    fn an_edit_that_breaks_the_file_is_refused() {
        let nb = falls();
        let huge = "x".repeat(samsyn_core::notebook::format::limits::MARKDOWN_BYTES + 1);
        let err = apply(
            &nb,
            &Edit::SetMarkdown {
                cell: "intro".into(),
                markdown: huge,
            },
        )
        .expect_err("too large");
        assert!(
            matches!(&err, EditError::Invalid(m) if m.contains("Markdown")),
            "{err:?}"
        );
    }

    #[test]
    fn unique_ids_stay_valid_ids() {
        let mut nb = Notebook::new("t");
        let long = "a".repeat(MAX_ID_CHARS);
        nb.cells.push(Cell::Text(TextCell {
            id: long.clone(),
            markdown: String::new(),
            extra: Default::default(),
        }));
        let id = unique_id(&nb, &long);
        assert_eq!(id.len(), MAX_ID_CHARS);
        assert!(id.ends_with("-2") && id_problem(&id).is_none());
        assert_eq!(unique_id(&nb, "../x"), "cell");
    }

    fn condition(nb: &Notebook, at: usize) -> CondValue {
        match nb.cells.iter().find(|c| c.id() == "indicators") {
            Some(Cell::Indicators(ic)) => ic.indicators[1].numerator.conditions[at].value.clone(),
            _ => panic!("no indicators cell"),
        }
    }

    #[test]
    fn a_condition_value_keeps_its_type() {
        let nb = falls();
        let set = |nb: &Notebook, at, value: &str| {
            apply(
                nb,
                &Edit::SetConditionValue {
                    cell: "indicators".into(),
                    indicator: "fall_admissions_80".into(),
                    denominator: false,
                    at,
                    value: value.into(),
                },
            )
        };
        let e = set(&nb, 1, " illness ").expect("a text");
        assert_eq!(condition(&e, 1), CondValue::Text("illness".into()));
        assert_eq!(set(&nb, 2, "x"), Err(EditError::NoCondition));
        // A numeric condition refuses a text, by message.
        let mut numeric = nb.clone();
        if let Some(Cell::Indicators(ic)) =
            numeric.cells.iter_mut().find(|c| c.id() == "indicators")
        {
            ic.indicators[1].numerator.conditions[1].value = CondValue::Number(1.0);
        }
        let err = set(&numeric, 1, "ett").expect_err("refused");
        assert_eq!(
            err.text(Lang::Sv),
            "«ett» är inte ett tal, och villkoret jämför tal."
        );
        assert_eq!(
            condition(&set(&numeric, 1, "2,5").expect("a number"), 1),
            CondValue::Number(2.5)
        );
    }

    /// What the runner relies on (`notebook_run::run` keeps its inputs): after an edit of a
    /// condition's value or a table's level, the inputs read before serve the new notebook
    /// from their cubes, without reading the files again.
    #[test]
    fn an_edited_condition_or_level_is_answered_from_the_inputs_read_before() {
        use samsyn_core::notebook::{prepare, read_input};
        let nb = falls();
        let events = "deso,vardcentral,date,sex,age,event_type,cause,value,event_id\n\
            2480C1010,VC Ersboda,2023-03-01,K,84,admission,fall,0,1\n\
            2480C1010,VC Ersboda,2023-05-01,M,82,admission,illness,0,2\n\
            2482C1020,VC Norrböle,2024-01-02,K,70,fall_injury,fall,0,3\n";
        let population = "deso,year,sex,age_band,population\n\
            2480C1010,2023,K,80-84,120\n2480C1010,2023,M,80-84,100\n\
            2482C1020,2024,K,70-74,90\n";
        let prepared = prepare(&nb, &[]).expect("prepares");
        let inputs = [
            read_input(&prepared, "events", "events.csv", events.as_bytes()).expect("events"),
            read_input(
                &prepared,
                "population",
                "population.csv",
                population.as_bytes(),
            )
            .expect("population"),
        ];
        assert_eq!(
            (inputs[0].source.stats.rows, inputs[1].source.stats.rows),
            (3, 3)
        );
        // What the forms offer: the file's columns, and the values of the columns tested.
        let summary = samsyn_core::notebook::output::InputSummary::of("events", &inputs[0]);
        assert_eq!(
            summary.columns.join(","),
            "deso,vardcentral,date,sex,age,event_type,cause,value,event_id"
        );
        let values = |c: &str| {
            summary
                .values
                .iter()
                .find(|(n, _)| n == c)
                .map(|(_, v)| v.join(","))
        };
        assert_eq!(
            values("event_type").as_deref(),
            Some("admission,fall_injury")
        );
        assert_eq!(values("cause").as_deref(), Some("fall,illness"));
        assert_eq!(values("sex"), None, "a key column is no condition's");
        for edit in [
            Edit::SetConditionValue {
                cell: "indicators".into(),
                indicator: "fall_admissions_80".into(),
                denominator: false,
                at: 1,
                value: "illness".into(),
            },
            Edit::SetTableLevel {
                cell: "t-adm-all".into(),
                level: "kommun,sex,year".into(),
            },
        ] {
            let edited = apply(&nb, &edit).expect("applies");
            let prepared = prepare(&edited, &[]).expect("prepares");
            for input in &inputs {
                assert_eq!(
                    prepared.reusable(input).map_err(|e| e.to_string()),
                    Ok(()),
                    "{edit:?}"
                );
            }
        }
    }

    /// Every refusal the forms can show, word for word in both languages.
    #[test]
    fn refusals_are_worded_in_swedish_and_english() {
        let cases = [
            (
                EditError::NoParameter,
                "Parametern finns inte.",
                "There is no such parameter.",
            ),
            (
                EditError::BadPeriod("'2024..2019': the range ends (2019) before it starts (2024)".into()),
                "Perioden godtas inte: '2024..2019': the range ends (2019) before it starts (2024). Skriv latest, ett år (2024), ett intervall (2019..2023) eller lämna tomt för alla.",
                "The period is not accepted: '2024..2019': the range ends (2019) before it starts (2024). Write latest, a year (2024), a range (2019..2023) or leave it empty for all.",
            ),
            (
                EditError::BadParameterDefault {
                    kind: ParamKind::Number,
                    default: "fem".into(),
                },
                "«fem» passar inte en parameter av slaget tal: skriv ett tal (0,9 eller 20).",
                "'fem' does not fit a parameter of kind number: write a number (0.9 or 20).",
            ),
            (
                EditError::BadParameterDefault {
                    kind: ParamKind::Year,
                    default: "i år".into(),
                },
                "«i år» passar inte en parameter av slaget år: skriv ett år med fyra siffror (2024) eller latest.",
                "'i år' does not fit a parameter of kind year: write a year of four digits (2024) or latest.",
            ),
            (
                EditError::BadName("mitt år".into(), IdProblem::BadCharacter),
                "«mitt år» kan inte vara ett namn: det har ett tecken som inte är tillåtet. Använd bokstäverna A–Z och a–z, siffror, '_' och '-'.",
                "'mitt år' cannot be a name: it has a character that is not allowed. Use the letters A–Z and a–z, digits, '_' and '-'.",
            ),
            (
                EditError::NameTaken("events".into()),
                "Namnet «events» används redan i anteckningsboken.",
                "The name 'events' is already used in the notebook.",
            ),
            (
                EditError::NoSource("befolkning".into()),
                "Det finns ingen datacell «befolkning»; lägg till en datacell med det namnet först.",
                "There is no data cell 'befolkning'; add a data cell of that name first.",
            ),
            (
                EditError::DenominatorNeeded,
                "Måttet behöver en nämnare; välj måttet antal för att ta bort den.",
                "The measure needs a denominator; choose the measure count to remove it.",
            ),
            (
                EditError::NoDenominator,
                "Indikatorn har ingen nämnare; välj en källa för nämnaren först.",
                "The indicator has no denominator; choose a source for it first.",
            ),
            (
                EditError::NoColumn,
                "Välj en kolumn för villkoret.",
                "Choose a column for the condition.",
            ),
            (
                EditError::BadNumber("tjugo".into()),
                "«tjugo» är inte ett tal.",
                "'tjugo' is not a number.",
            ),
            (
                EditError::BadAge("67".into()),
                "«67» är ingen åldersgräns: skriv hela år på en femårsklass gräns (från 65, till 79), högst 120.",
                "'67' is no age limit: write whole years on a five-year band's edge (from 65, to 79), at most 120.",
            ),
            (
                EditError::AgesReversed(80, 64),
                "Åldrarna slutar (64) innan de börjar (80).",
                "The ages end (64) before they start (80).",
            ),
            (
                EditError::BadShare("0,6".into()),
                "«0,6» är ingen andel över 0 och högst 0,5 (till exempel 0,25 för en fjärdedel).",
                "'0,6' is not a share above 0 and at most 0.5 (e.g. 0.25 for a quarter).",
            ),
            (
                EditError::BadTrendPeriods("2".into()),
                "«2» är inte ett antal perioder från 3 till 50.",
                "'2' is not a number of periods from 3 to 50.",
            ),
            (
                EditError::BadMinCases("0".into()),
                "«0» är inget minsta antal fall: skriv ett tal från 1, eller lämna tomt för standardvärdet 5.",
                "'0' is no fewest number of cases: write a number from 1, or leave it empty for the default 5.",
            ),
            (
                EditError::OtherLightRule,
                "Indikatorn har ett annat slags ljus; välj regeln först.",
                "The indicator has another light rule; choose the rule first.",
            ),
            (
                EditError::IndicatorInUse {
                    indicator: "x".into(),
                    cell: "bar".into(),
                },
                "Indikatorn «x» visas i cellen «bar»; ändra eller ta bort den cellen först.",
                "The indicator 'x' is shown in the cell 'bar'; change or delete that cell first.",
            ),
        ];
        for (error, sv, en) in cases {
            assert_eq!(error.text(Lang::Sv), sv, "{error:?}");
            assert_eq!(error.text(Lang::En), en, "{error:?}");
        }
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("Fall / Umeå: 2024?"),
            "Fall - Umeå- 2024-.samsyn.json"
        );
        assert_eq!(file_name("  "), "anteckningsbok.samsyn.json");
        assert_eq!(file_name("..\u{0}"), "-.samsyn.json");
    }

    #[test]
    fn a_new_notebook_is_empty_and_grows_by_inserts_into_one_that_prepares() {
        let nb = new_notebook().expect("opens");
        assert_eq!(nb.title, "Ny anteckningsbok");
        assert!(nb.cells.is_empty());
        let prepared =
            samsyn_core::notebook::prepare(&nb, &[]).expect("an empty notebook prepares");
        assert!(prepared.input_names().is_empty());
        let mut nb = nb;
        for (after, kind) in [
            (None, NewCell::Data),
            (Some("data"), NewCell::Indicators),
            (Some("indicators"), NewCell::Table),
            (Some("table"), NewCell::Chart),
        ] {
            nb = apply(
                &nb,
                &Edit::Insert {
                    after: after.map(str::to_owned),
                    kind,
                },
            )
            .expect("inserts");
        }
        assert_eq!(ids(&nb), vec!["data", "indicators", "table", "chart"]);
        let prepared = samsyn_core::notebook::prepare(&nb, &[]).expect("prepares");
        assert_eq!(prepared.input_names(), vec!["data"]);
    }

    #[test]
    fn the_template_opens_and_prepares() {
        let nb = template();
        let prepared = samsyn_core::notebook::prepare(&nb, &[]).expect("prepares");
        assert_eq!(prepared.input_names(), vec!["events", "population"]);
        assert_eq!(indicator_ids(&nb).len(), 1);
    }
}
