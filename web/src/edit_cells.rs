//! The edits of parameter, data, chart and roll-up cells ([`CellEdit`]), applied by
//! [`crate::edit::apply`]. Pure functions over the notebook, tested natively; the forms in
//! `cell_forms.rs` only turn the page's events into these edits.

use samsyn_core::indicators::Level;
use samsyn_core::notebook::fields::{ChartKind, Field, ParamKind, PeriodFilter};
use samsyn_core::notebook::format::{id_problem, Parameter, RowFilter};
use samsyn_core::notebook::{Cell, Notebook};

use crate::edit::EditError;
use crate::i18n::Lang;

/// A column role of a data cell: which key of a row a column gives (the notebook's `keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    Deso,
    Kommun,
    Lan,
    Provider,
    Year,
    Date,
    Sex,
    Age,
    AgeBand,
}

impl KeyRole {
    /// Every role, in the order the form lists them.
    pub const ALL: [KeyRole; 9] = [
        KeyRole::Deso,
        KeyRole::Kommun,
        KeyRole::Lan,
        KeyRole::Provider,
        KeyRole::Year,
        KeyRole::Date,
        KeyRole::Sex,
        KeyRole::Age,
        KeyRole::AgeBand,
    ];

    /// The role's name in the file (a field of `keys`).
    pub fn name(self) -> &'static str {
        match self {
            KeyRole::Deso => "deso",
            KeyRole::Kommun => "kommun",
            KeyRole::Lan => "lan",
            KeyRole::Provider => "provider",
            KeyRole::Year => "year",
            KeyRole::Date => "date",
            KeyRole::Sex => "sex",
            KeyRole::Age => "age",
            KeyRole::AgeBand => "age_band",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            KeyRole::Deso => lang.t("DeSO-område", "DeSO area"),
            KeyRole::Kommun => lang.t("kommun", "municipality"),
            KeyRole::Lan => lang.t("län", "county"),
            KeyRole::Provider => lang.t("vårdcentral", "health centre"),
            KeyRole::Year => lang.t("år", "year"),
            KeyRole::Date => lang.t("datum", "date"),
            KeyRole::Sex => lang.t("kön", "sex"),
            KeyRole::Age => lang.t("ålder (år)", "age (years)"),
            KeyRole::AgeBand => lang.t("åldersklass (65-69)", "age band (65-69)"),
        }
    }

    /// The column a data cell gives this role, if any.
    pub fn column(self, keys: &samsyn_core::indicators::definition::SourceSpec) -> Option<&str> {
        match self {
            KeyRole::Deso => keys.deso.as_deref(),
            KeyRole::Kommun => keys.kommun.as_deref(),
            KeyRole::Lan => keys.lan.as_deref(),
            KeyRole::Provider => keys.provider.as_deref(),
            KeyRole::Year => keys.year.as_deref(),
            KeyRole::Date => keys.date.as_deref(),
            KeyRole::Sex => keys.sex.as_deref(),
            KeyRole::Age => keys.age.as_deref(),
            KeyRole::AgeBand => keys.age_band.as_deref(),
        }
    }

    fn slot(
        self,
        keys: &mut samsyn_core::indicators::definition::SourceSpec,
    ) -> &mut Option<String> {
        match self {
            KeyRole::Deso => &mut keys.deso,
            KeyRole::Kommun => &mut keys.kommun,
            KeyRole::Lan => &mut keys.lan,
            KeyRole::Provider => &mut keys.provider,
            KeyRole::Year => &mut keys.year,
            KeyRole::Date => &mut keys.date,
            KeyRole::Sex => &mut keys.sex,
            KeyRole::Age => &mut keys.age,
            KeyRole::AgeBand => &mut keys.age_band,
        }
    }
}

/// One change to a parameter, data, chart or roll-up cell.
#[derive(Debug, Clone, PartialEq)]
pub enum CellEdit {
    /// A new parameter `name` (text, empty default) at the end of a parameter cell.
    AddParameter,
    RemoveParameter(usize),
    SetParameterName {
        at: usize,
        name: String,
    },
    SetParameterLabel {
        at: usize,
        label: String,
    },
    /// `None`: no kind (text).
    SetParameterKind {
        at: usize,
        kind: Option<ParamKind>,
    },
    SetParameterDefault {
        at: usize,
        default: String,
    },
    /// The input's name; the indicators that read it follow.
    SetDataName(String),
    SetDataExpects(String),
    /// The column that gives `role`; empty: none.
    SetDataKey {
        role: KeyRole,
        column: String,
    },
    /// As typed: names separated by commas.
    SetRequiredColumns(String),
    SetChartKind(ChartKind),
    /// A chart's or roll-up's title.
    SetTitle(String),
    /// The one indicator of a chart or roll-up; empty: all of the notebook's.
    SetIndicator(String),
    /// A chart's or roll-up's level, as in the file (`kommun,year`).
    SetLevel(String),
    /// A chart's or roll-up's periods: `latest`, `2024`, `2019..2023`; empty: all.
    SetPeriod(String),
}

impl CellEdit {
    /// The text field this edit types into, for the history's typing steps.
    pub fn typing_key(&self) -> Option<&'static str> {
        match self {
            CellEdit::SetParameterName { .. } => Some("parameter-name"),
            CellEdit::SetParameterLabel { .. } => Some("parameter-label"),
            CellEdit::SetParameterDefault { .. } => Some("parameter-default"),
            CellEdit::SetDataExpects(_) => Some("expects"),
            CellEdit::SetTitle(_) => Some("title"),
            _ => None,
        }
    }
}

/// A name not yet taken: `base`, `base_2`, `base_3`, …
fn unique_name(taken: &[&str], base: &str) -> String {
    if !taken.contains(&base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|n| !taken.contains(&n.as_str()))
        .unwrap_or_else(|| base.to_owned())
}

fn parameter_mut(params: &mut [Parameter], at: usize) -> Result<&mut Parameter, EditError> {
    params.get_mut(at).ok_or(EditError::NoParameter)
}

/// Reads a level as typed; empty is refused (a chart and a roll-up need one).
fn level_field(text: &str) -> Result<Field<Level>, EditError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(EditError::BadLevel(
            "a chart or read-out needs a level (e.g. kommun,year)".into(),
        ));
    }
    Field::<Level>::parse(text).map_err(EditError::BadLevel)
}

fn period_field(text: &str) -> Result<Field<PeriodFilter>, EditError> {
    Field::<PeriodFilter>::parse(text.trim()).map_err(EditError::BadPeriod)
}

/// Applies `edit` to the cell at `at` of `nb` (already a copy). The result is checked by the
/// caller ([`crate::edit::apply`]).
pub fn apply_cell(nb: &mut Notebook, at: usize, edit: &CellEdit) -> Result<(), EditError> {
    let id = nb.cells[at].id().to_owned();
    let wrong = || EditError::WrongKind(id.clone());
    let data_names: Vec<String> = nb.data_cells().keys().map(|k| k.to_string()).collect();
    let all_params: Vec<String> = nb.parameters().iter().map(|p| p.name.clone()).collect();
    let indicators = crate::edit::indicator_ids(nb);
    match (&mut nb.cells[at], edit) {
        (Cell::Parameters(pc), CellEdit::AddParameter) => {
            let taken: Vec<&str> = all_params.iter().map(String::as_str).collect();
            pc.parameters.push(Parameter {
                name: unique_name(&taken, "parameter"),
                label: String::new(),
                kind: None,
                default: String::new(),
                extra: Default::default(),
            });
        }
        (Cell::Parameters(pc), CellEdit::RemoveParameter(i)) => {
            if *i >= pc.parameters.len() {
                return Err(EditError::NoParameter);
            }
            pc.parameters.remove(*i);
        }
        (Cell::Parameters(pc), CellEdit::SetParameterName { at: i, name }) => {
            let name = name.trim();
            if let Some(reason) = id_problem(name) {
                return Err(EditError::BadName(name.to_owned(), reason));
            }
            let p = parameter_mut(&mut pc.parameters, *i)?;
            if p.name != name && all_params.iter().any(|n| n == name) {
                return Err(EditError::NameTaken(name.to_owned()));
            }
            p.name = name.to_owned();
        }
        (Cell::Parameters(pc), CellEdit::SetParameterLabel { at: i, label }) => {
            parameter_mut(&mut pc.parameters, *i)?.label = label.clone();
        }
        (Cell::Parameters(pc), CellEdit::SetParameterKind { at: i, kind }) => {
            let p = parameter_mut(&mut pc.parameters, *i)?;
            if let Some(k) = kind {
                if k.problem(&p.default).is_some() {
                    return Err(EditError::BadParameterDefault {
                        kind: *k,
                        default: p.default.clone(),
                    });
                }
            }
            p.kind = *kind;
        }
        (Cell::Parameters(pc), CellEdit::SetParameterDefault { at: i, default }) => {
            let p = parameter_mut(&mut pc.parameters, *i)?;
            let default = default.trim();
            if let Some(k) = p.kind {
                if k.problem(default).is_some() {
                    return Err(EditError::BadParameterDefault {
                        kind: k,
                        default: default.to_owned(),
                    });
                }
            }
            p.default = default.to_owned();
        }
        (Cell::Data(d), CellEdit::SetDataName(name)) => {
            let name = name.trim().to_owned();
            if let Some(reason) = id_problem(&name) {
                return Err(EditError::BadName(name, reason));
            }
            if d.name == name {
                return Ok(());
            }
            if data_names.contains(&name) {
                return Err(EditError::NameTaken(name));
            }
            let old = std::mem::replace(&mut d.name, name.clone());
            rename_source(nb, &old, &name);
        }
        (Cell::Data(d), CellEdit::SetDataExpects(text)) => d.expects = text.clone(),
        (Cell::Data(d), CellEdit::SetDataKey { role, column }) => {
            let column = column.trim();
            *role.slot(&mut d.keys) = (!column.is_empty()).then(|| column.to_owned());
        }
        (Cell::Data(d), CellEdit::SetRequiredColumns(text)) => {
            let mut columns: Vec<String> = Vec::new();
            for c in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                if !columns.iter().any(|k| k == c) {
                    columns.push(c.to_owned());
                }
            }
            d.required_columns = columns;
        }
        (Cell::Chart(c), CellEdit::SetChartKind(kind)) => c.chart = *kind,
        (Cell::Chart(c), CellEdit::SetTitle(t)) => c.title = t.clone(),
        (Cell::Rollup(r), CellEdit::SetTitle(t)) => r.title = t.clone(),
        (Cell::Chart(_) | Cell::Rollup(_), CellEdit::SetIndicator(ind))
            if !ind.is_empty() && !indicators.contains(ind) =>
        {
            return Err(EditError::NoIndicator(ind.clone()));
        }
        (Cell::Chart(c), CellEdit::SetIndicator(ind)) => {
            c.indicators = if ind.is_empty() {
                Vec::new()
            } else {
                vec![ind.clone()]
            }
        }
        (Cell::Rollup(r), CellEdit::SetIndicator(ind)) => {
            r.indicators = if ind.is_empty() {
                Vec::new()
            } else {
                vec![ind.clone()]
            }
        }
        (Cell::Chart(c), CellEdit::SetLevel(l)) => c.level = level_field(l)?,
        (Cell::Rollup(r), CellEdit::SetLevel(l)) => r.level = level_field(l)?,
        (Cell::Chart(c), CellEdit::SetPeriod(p)) => c.filter.period = period_field(p)?,
        (Cell::Rollup(r), CellEdit::SetPeriod(p)) => r.filter.period = period_field(p)?,
        _ => return Err(wrong()),
    }
    Ok(())
}

/// Every indicator side and mapping that reads the input `old` reads `new` instead.
fn rename_source(nb: &mut Notebook, old: &str, new: &str) {
    for c in &mut nb.cells {
        let Cell::Indicators(ic) = c else { continue };
        for ind in &mut ic.indicators {
            for m in std::iter::once(&mut ind.numerator).chain(ind.denominator.as_mut()) {
                if m.source == old {
                    m.source = new.to_owned();
                }
            }
        }
        for m in &mut ic.mappings {
            if m.source == old {
                m.source = new.to_owned();
            }
        }
    }
}

/// The filter of a new chart or roll-up: the latest period.
pub fn latest() -> RowFilter {
    RowFilter {
        period: Field::parse("latest").unwrap_or_default(),
        ..RowFilter::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, Edit, NewCell};

    fn template() -> Notebook {
        crate::edit::template()
    }

    fn on(cell: &str, edit: CellEdit) -> Edit {
        Edit::Cell {
            cell: cell.into(),
            edit,
        }
    }

    /// `nb` after an edit of the template's parameter cell.
    fn param(nb: &Notebook, edit: CellEdit) -> Result<Notebook, EditError> {
        apply(nb, &on("params", edit))
    }

    fn cell<'a>(nb: &'a Notebook, id: &str) -> &'a Cell {
        nb.cells
            .iter()
            .find(|c| c.id() == id)
            .unwrap_or_else(|| panic!("no cell {id}"))
    }

    fn params(nb: &Notebook) -> &[Parameter] {
        match cell(nb, "params") {
            Cell::Parameters(p) => &p.parameters,
            _ => panic!("not parameters"),
        }
    }

    #[test]
    fn parameters_are_added_named_typed_and_removed() {
        let nb = template();
        let e = param(&nb, CellEdit::AddParameter).expect("adds");
        assert_eq!(params(&e).len(), 2);
        assert_eq!(params(&e)[1].name, "parameter");
        let e = param(
            &e,
            CellEdit::SetParameterName {
                at: 1,
                name: " year ".into(),
            },
        )
        .expect("named");
        let e = param(
            &e,
            CellEdit::SetParameterDefault {
                at: 1,
                default: "2024".into(),
            },
        )
        .expect("a default");
        let e = param(
            &e,
            CellEdit::SetParameterKind {
                at: 1,
                kind: Some(ParamKind::Year),
            },
        )
        .expect("a kind that fits the default");
        let e = param(
            &e,
            CellEdit::SetParameterLabel {
                at: 1,
                label: "Året".into(),
            },
        )
        .expect("a label");
        let p = &params(&e)[1];
        assert_eq!(
            (
                p.name.as_str(),
                p.label.as_str(),
                p.kind,
                p.default.as_str()
            ),
            ("year", "Året", Some(ParamKind::Year), "2024")
        );
        assert!(e
            .save()
            .contains("\"name\": \"year\",\n          \"label\": \"Året\",\n          \"kind\": \"year\",\n          \"default\": \"2024\""));

        // A default that does not fit the kind is refused, by message in both languages.
        let err = param(
            &e,
            CellEdit::SetParameterDefault {
                at: 0,
                default: "Umeå".into(),
            },
        )
        .expect_err("not a kommun code");
        assert_eq!(
            err.text(Lang::Sv),
            "«Umeå» passar inte en parameter av slaget kommun: skriv en kommunkod med fyra siffror (2480)."
        );
        assert_eq!(
            err.text(Lang::En),
            "'Umeå' does not fit a parameter of kind municipality: write a kommun code of four digits (2480)."
        );
        // So is a kind the default does not fit, and a name already taken or not a name.
        let latest = param(
            &e,
            CellEdit::SetParameterDefault {
                at: 1,
                default: "latest".into(),
            },
        )
        .expect("a year may be latest");
        let err = param(
            &latest,
            CellEdit::SetParameterKind {
                at: 1,
                kind: Some(ParamKind::Kommun),
            },
        )
        .expect_err("latest is no kommun");
        assert_eq!(
            err,
            EditError::BadParameterDefault {
                kind: ParamKind::Kommun,
                default: "latest".into()
            }
        );
        let err = param(
            &e,
            CellEdit::SetParameterName {
                at: 1,
                name: "kommun".into(),
            },
        )
        .expect_err("taken");
        assert_eq!(
            err.text(Lang::Sv),
            "Namnet «kommun» används redan i anteckningsboken."
        );
        let err = param(
            &e,
            CellEdit::SetParameterName {
                at: 1,
                name: "mitt år".into(),
            },
        )
        .expect_err("a space");
        assert!(
            err.text(Lang::En)
                .starts_with("'mitt år' cannot be a name: "),
            "{}",
            err.text(Lang::En)
        );
        // A parameter a field still uses cannot go: the file would not open again.
        let removed = param(&e, CellEdit::RemoveParameter(1)).expect("removes");
        assert_eq!(params(&removed).len(), 1);
        assert_eq!(
            param(&e, CellEdit::RemoveParameter(5)),
            Err(EditError::NoParameter)
        );
        assert_eq!(
            apply(&e, &on("intro", CellEdit::AddParameter)),
            Err(EditError::WrongKind("intro".into()))
        );
    }

    #[test]
    fn a_data_cell_renamed_takes_its_indicators_along_and_its_roles_are_set() {
        let nb = template();
        let e = apply(
            &nb,
            &on("events", CellEdit::SetDataName("handelser".into())),
        )
        .expect("renamed");
        let Cell::Data(d) = cell(&e, "events") else {
            panic!("data")
        };
        assert_eq!(d.name, "handelser");
        let Cell::Indicators(ic) = cell(&e, "indicators") else {
            panic!("indicators")
        };
        assert_eq!(ic.indicators[0].numerator.source, "handelser");
        assert_eq!(
            ic.indicators[0]
                .denominator
                .as_ref()
                .map(|m| m.source.as_str()),
            Some("population")
        );
        let err = apply(
            &nb,
            &on("events", CellEdit::SetDataName("population".into())),
        )
        .expect_err("taken");
        assert_eq!(err, EditError::NameTaken("population".into()));
        assert_eq!(
            err.text(Lang::En),
            "The name 'population' is already used in the notebook."
        );

        let e = apply(
            &nb,
            &on(
                "events",
                CellEdit::SetDataKey {
                    role: KeyRole::Kommun,
                    column: " kommun ".into(),
                },
            ),
        )
        .expect("a role");
        let e = apply(
            &e,
            &on(
                "events",
                CellEdit::SetDataKey {
                    role: KeyRole::Provider,
                    column: "".into(),
                },
            ),
        )
        .expect("no role");
        let e = apply(
            &e,
            &on(
                "events",
                CellEdit::SetRequiredColumns("event_type, cause,, event_type".into()),
            ),
        )
        .expect("columns");
        let e = apply(
            &e,
            &on(
                "events",
                CellEdit::SetDataExpects("En rad per händelse.".into()),
            ),
        )
        .expect("what it expects");
        let Cell::Data(d) = cell(&e, "events") else {
            panic!("data")
        };
        assert_eq!(d.keys.kommun.as_deref(), Some("kommun"));
        assert_eq!(d.keys.provider, None);
        assert_eq!(KeyRole::Deso.column(&d.keys), Some("deso"));
        assert_eq!(d.required_columns, ["event_type", "cause"]);
        assert_eq!(d.expects, "En rad per händelse.");
        let saved = e.save();
        assert!(saved.contains("\"kommun\": \"kommun\""), "{saved}");
        assert!(saved.contains("\"provider\": null"), "{saved}");
    }

    #[test]
    fn charts_and_readouts_are_added_and_set_from_the_enums() {
        let nb = template();
        let e = apply(
            &nb,
            &Edit::Insert {
                after: Some("table".into()),
                kind: NewCell::Chart,
            },
        )
        .expect("a chart");
        let Cell::Chart(c) = cell(&e, "chart") else {
            panic!("chart")
        };
        assert_eq!(
            (
                c.chart,
                c.indicators.clone(),
                c.level.text(),
                c.filter.period.text()
            ),
            (
                ChartKind::Bar,
                vec!["fall_injuries_65".to_string()],
                "kommun,year",
                "latest"
            )
        );
        let e = apply(&e, &on("chart", CellEdit::SetChartKind(ChartKind::Trend))).expect("kind");
        let e = apply(&e, &on("chart", CellEdit::SetPeriod("2022..2024".into()))).expect("range");
        let e = apply(&e, &on("chart", CellEdit::SetLevel("deso,year".into()))).expect("level");
        let e = apply(&e, &on("chart", CellEdit::SetTitle("Trend".into()))).expect("title");
        let Cell::Chart(c) = cell(&e, "chart") else {
            panic!("chart")
        };
        assert_eq!(
            (
                c.chart,
                c.title.as_str(),
                c.level.text(),
                c.filter.period.text()
            ),
            (ChartKind::Trend, "Trend", "deso,year", "2022..2024")
        );
        assert!(e.save().contains("\"chart\": \"trend\""));
        let err = apply(&e, &on("chart", CellEdit::SetPeriod("2024..2019".into())))
            .expect_err("backwards");
        assert!(
            err.text(Lang::Sv).starts_with("Perioden godtas inte: "),
            "{}",
            err.text(Lang::Sv)
        );
        assert!(err
            .text(Lang::Sv)
            .contains("ends (2019) before it starts (2024)"));
        let err = apply(&e, &on("chart", CellEdit::SetIndicator("nope".into())))
            .expect_err("no such indicator");
        assert_eq!(err.text(Lang::Sv), "Det finns ingen indikator «nope».");
        let e = apply(&e, &on("chart", CellEdit::SetIndicator("".into()))).expect("all");
        let Cell::Chart(c) = cell(&e, "chart") else {
            panic!("chart")
        };
        assert!(c.indicators.is_empty());
        let err = apply(&e, &on("chart", CellEdit::SetLevel("  ".into())))
            .expect_err("a level is needed");
        assert!(err
            .text(Lang::En)
            .starts_with("The level is not accepted: "));

        let e = apply(
            &nb,
            &Edit::Insert {
                after: None,
                kind: NewCell::Rollup,
            },
        )
        .expect("a read-out");
        let e = apply(
            &e,
            &on("rollup", CellEdit::SetLevel("provider,year".into())),
        )
        .expect("level");
        let e = apply(&e, &on("rollup", CellEdit::SetPeriod("".into()))).expect("all periods");
        let e = apply(&e, &on("rollup", CellEdit::SetTitle("Länet".into()))).expect("a title");
        let e = apply(
            &e,
            &on("rollup", CellEdit::SetIndicator("fall_injuries_65".into())),
        )
        .expect("one indicator");
        let Cell::Rollup(r) = cell(&e, "rollup") else {
            panic!("rollup")
        };
        assert_eq!(
            (
                r.title.as_str(),
                r.level.text(),
                r.filter.period.text(),
                r.indicators.clone()
            ),
            (
                "Länet",
                "provider,year",
                "",
                vec!["fall_injuries_65".to_string()]
            )
        );
        assert_eq!(
            apply(&e, &on("rollup", CellEdit::SetChartKind(ChartKind::Bar))),
            Err(EditError::WrongKind("rollup".into()))
        );
        // Every new kind of cell opens again as saved.
        let mut all = nb.clone();
        for kind in [
            NewCell::Parameters,
            NewCell::Data,
            NewCell::Indicators,
            NewCell::Chart,
            NewCell::Rollup,
        ] {
            all = apply(&all, &Edit::Insert { after: None, kind }).expect("inserts");
        }
        assert_eq!(all.cells.len(), nb.cells.len() + 5);
        assert_eq!(Notebook::open(&all.save()).expect("opens"), all);
        samsyn_core::notebook::prepare(&all, &[]).expect("the notebook still prepares");
    }
}
