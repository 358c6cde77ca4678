//! The forms of parameter, data, chart and roll-up cells. Each control is labelled and turns
//! its change into a [`CellEdit`] (applied and checked by `edit.rs`); a refusal shows under
//! its field. A data cell's column roles are offered from the columns of the file the last run
//! read for it, or typed before a run.

use samsyn_core::notebook::fields::{ChartKind, ParamKind};
use samsyn_core::notebook::format::{ChartCell, DataCell, ParametersCell, RollupCell, RowFilter};
use samsyn_core::notebook::Notebook;
use yew::prelude::*;

use crate::edit::{indicator_ids, level_label, CellEdit, Edit, KeyRole, COMMON_LEVELS};
use crate::i18n::Lang;
use crate::notebook_editor::{input_summary, on_click, refusal_for, Form, Outputs};

fn on(cell: &str, make: impl Fn(String) -> CellEdit + 'static) -> impl Fn(String) -> Option<Edit> {
    let cell = cell.to_owned();
    move |v| {
        Some(Edit::Cell {
            cell: cell.clone(),
            edit: make(v),
        })
    }
}

fn words(lang: Lang, sv: &str, en: &str) -> String {
    match lang {
        Lang::Sv => sv.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// A parameter cell: each parameter's name, label, kind and default; add and remove.
pub(crate) fn parameters_form(form: &Form<'_>, p: &ParametersCell) -> Html {
    let (state, lang) = (form.state, form.lang);
    let d = state.dispatcher();
    let id = p.id.clone();
    let mut kinds = vec![(
        String::new(),
        words(lang, "text (ingen typ)", "text (no kind)"),
    )];
    kinds.extend(ParamKind::ALL.iter().map(|k| {
        (
            k.name().to_owned(),
            match lang {
                Lang::Sv => k.swedish().to_owned(),
                Lang::En => k.english().to_owned(),
            },
        )
    }));
    let add_field = format!("parameter-add-{id}");
    html! {
        <div class="parameters-cell">
            { for p.parameters.iter().enumerate().map(|(at, param)| {
                let f = |what: &str| format!("parameter-{what}-{id}-{at}");
                let remove = f("remove");
                html! {
                    <fieldset class="parameter form-grid" data-parameter={param.name.clone()}>
                        <legend>{ format!("{} ${}", lang.t("Parameter", "Parameter"), param.name) }</legend>
                        { form.text(&f("name"), lang.t("Namn ($namn)", "Name ($name)"), &param.name, false,
                            on(&id, move |name| CellEdit::SetParameterName { at, name })) }
                        { form.text(&f("label"), lang.t("Etikett", "Label"), &param.label, true,
                            on(&id, move |label| CellEdit::SetParameterLabel { at, label })) }
                        { form.select(&f("kind"), lang.t("Slag", "Kind"), &kinds,
                            param.kind.map(ParamKind::name).unwrap_or(""),
                            on(&id, move |v| CellEdit::SetParameterKind { at, kind: ParamKind::parse(&v).ok() })) }
                        { form.text(&f("default"), lang.t("Standardvärde", "Default"), &param.default, false,
                            on(&id, move |default| CellEdit::SetParameterDefault { at, default })) }
                        <button id={remove.clone()} class="remove" onclick={on_click(&d, remove.clone(), Edit::Cell { cell: id.clone(), edit: CellEdit::RemoveParameter(at) })}>
                            { format!("{} ${}", lang.t("Ta bort", "Remove"), param.name) }</button>
                        { refusal_for(state, &remove, lang) }
                    </fieldset>
                }
            }) }
            <button id={add_field.clone()} onclick={on_click(&d, add_field.clone(), Edit::Cell { cell: id.clone(), edit: CellEdit::AddParameter })}>
                { lang.t("+ Parameter", "+ Parameter") }</button>
            { refusal_for(state, &add_field, lang) }
        </div>
    }
}

/// A data cell: the input's name, what file it expects, the column of each role (chosen among
/// the file's columns once one is chosen for the input, or a run has read it) and the columns
/// it must have.
pub(crate) fn data_form(form: &Form<'_>, d: &DataCell, outputs: &Outputs) -> Html {
    let lang = form.lang;
    let id = d.id.clone();
    let f = |what: &str| format!("datacell-{what}-{id}");
    let columns = input_summary(outputs, &d.name).map(|s| s.columns.clone());
    html! {
        <div class="data-cell form-grid">
            { form.text(&f("name"), lang.t("Namn på indata", "Input name"), &d.name, false,
                on(&id, CellEdit::SetDataName)) }
            { form.text(&f("expects"), lang.t("Förväntad fil (i ord)", "Expected file (in words)"), &d.expects, true,
                on(&id, CellEdit::SetDataExpects)) }
            <fieldset class="roles form-grid">
                <legend>{ lang.t("Kolumnernas roller", "The columns' roles") }</legend>
                if columns.is_none() {
                    <p class="hint">{ lang.t(
                        "Skriv kolumnernas namn, eller välj en fil för indatat (under Indata) och välj sedan bland filens kolumner.",
                        "Type the columns' names, or choose a file for the input (under Inputs) and then choose among the file's columns.") }</p>
                }
                { for KeyRole::ALL.iter().map(|role| {
                    let role = *role;
                    let field = format!("datacell-key-{id}-{}", role.name());
                    let current = role.column(&d.keys).unwrap_or("");
                    let edit = on(&id, move |column| CellEdit::SetDataKey { role, column });
                    form.column(&field, role.label(lang), columns.as_deref(), current, Some(lang.t("(ingen)", "(none)")), edit)
                }) }
            </fieldset>
            { form.text(&f("required"), lang.t("Kolumner som måste finnas (komma emellan)", "Columns it must have (comma-separated)"),
                &d.required_columns.join(", "), false, on(&id, CellEdit::SetRequiredColumns)) }
        </div>
    }
}

/// The indicator, level and period of a chart or read-out (`prefix` names their fields).
fn scope_fields(
    form: &Form<'_>,
    nb: &Notebook,
    prefix: &str,
    id: &str,
    indicators: &[String],
    level: &str,
    filter: &RowFilter,
) -> Html {
    let lang = form.lang;
    let f = |what: &str| format!("{prefix}-{what}-{id}");
    let mut offered = vec![(
        String::new(),
        words(lang, "alla indikatorer", "all indicators"),
    )];
    offered.extend(indicator_ids(nb).into_iter().map(|i| (i.clone(), i)));
    let chosen = indicators.first().cloned().unwrap_or_default();
    if !offered.iter().any(|(v, _)| *v == chosen) {
        offered.push((chosen.clone(), chosen.clone()));
    }
    let mut levels: Vec<(String, String)> = COMMON_LEVELS
        .iter()
        .map(|l| (l.to_string(), level_label(l, lang)))
        .collect();
    if !levels.iter().any(|(l, _)| l == level) {
        levels.insert(0, (level.to_owned(), level_label(level, lang)));
    }
    html! {
        <>
        { form.select(&f("indicator"), lang.t("Indikator", "Indicator"), &offered, &chosen,
            on(id, CellEdit::SetIndicator)) }
        { form.select(&f("level"), lang.t("Nivå", "Level"), &levels, level, on(id, CellEdit::SetLevel)) }
        { form.text(&f("period"), lang.t("Perioder (latest, 2024, 2019..2023; tomt: alla)", "Periods (latest, 2024, 2019..2023; empty: all)"),
            filter.period.text(), false, on(id, CellEdit::SetPeriod)) }
        </>
    }
}

/// A chart cell: title, kind (from the enum), indicator, level and period.
pub(crate) fn chart_form(form: &Form<'_>, nb: &Notebook, c: &ChartCell) -> Html {
    let lang = form.lang;
    let kinds: Vec<(String, String)> = ChartKind::ALL
        .iter()
        .map(|k| {
            let w = match lang {
                Lang::Sv => k.swedish(),
                Lang::En => k.english(),
            };
            (k.name().to_owned(), w.to_owned())
        })
        .collect();
    let id = c.id.clone();
    let cell = id.clone();
    html! {
        <div class="chart-cell form-grid">
            { form.text(&format!("chart-title-{id}"), lang.t("Rubrik", "Title"), &c.title, true,
                on(&id, CellEdit::SetTitle)) }
            { form.select(&format!("chart-kind-{id}"), lang.t("Diagramtyp", "Chart kind"), &kinds, c.chart.name(),
                move |v| ChartKind::parse(&v).ok().map(|k| Edit::Cell { cell: cell.clone(), edit: CellEdit::SetChartKind(k) })) }
            { scope_fields(form, nb, "chart", &id, &c.indicators, c.level.text(), &c.filter) }
        </div>
    }
}

/// A county read-out: title, indicator (or all), level and period.
pub(crate) fn rollup_form(form: &Form<'_>, nb: &Notebook, r: &RollupCell) -> Html {
    let lang = form.lang;
    let id = r.id.clone();
    html! {
        <div class="rollup-cell form-grid">
            { form.text(&format!("rollup-title-{id}"), lang.t("Rubrik", "Title"), &r.title, true,
                on(&id, CellEdit::SetTitle)) }
            { scope_fields(form, nb, "rollup", &id, &r.indicators, r.level.text(), &r.filter) }
        </div>
    }
}
