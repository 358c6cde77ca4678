//! The notebook editor on the page: the cells in order with their kind and id, buttons to move,
//! duplicate, delete, collapse and add cells, forms for text, table and indicator cells, Ångra /
//! Gör om, and saving the notebook as a file. Every change is an [`Edit`] applied by
//! [`crate::edit`]; this module only turns the page's events into edits and shows the result.

use std::rc::Rc;

use samsyn_core::notebook::fields::{Column, Sort};
use samsyn_core::notebook::format::TableCell;
use samsyn_core::notebook::markdown::markdown_to_html;
use samsyn_core::notebook::output::{CellOutput, InputSummary};
use samsyn_core::notebook::{Cell, Notebook};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::cell_forms::{chart_form, data_form, parameters_form, rollup_form};
use crate::cell_output::OutputCell;
use crate::download::download;
use crate::edit::{
    self, indicator_ids, kind_label, level_label, shown_columns, Edit, NewCell, COMMON_LEVELS,
};
use crate::i18n::Lang;
use crate::indicator_form::indicators_form;

/// The outputs of the last run by cell id, in cell order.
pub type Outputs = Rc<Vec<(String, Rc<CellOutput>)>>;

pub use crate::workbench::{EditorAction, EditorState, Refusal};

pub(crate) type Dispatch = UseReducerDispatcher<EditorState>;

/// A callback for an input or change event that turns the element's value into an edit.
pub(crate) fn on_value<E: AsRef<web_sys::Event> + 'static>(
    dispatch: &Dispatch,
    field: String,
    edit: impl Fn(String) -> Option<Edit> + 'static,
) -> Callback<E> {
    let dispatch = dispatch.clone();
    Callback::from(move |e: E| {
        let Some(target) = e.as_ref().target() else {
            return;
        };
        let value = if let Some(i) = target.dyn_ref::<HtmlInputElement>() {
            i.value()
        } else if let Some(s) = target.dyn_ref::<HtmlSelectElement>() {
            s.value()
        } else if let Some(t) = target.dyn_ref::<HtmlTextAreaElement>() {
            t.value()
        } else {
            return;
        };
        if let Some(edit) = edit(value.clone()) {
            dispatch.dispatch(EditorAction::Apply {
                field: field.clone(),
                text: value,
                edit,
            });
        }
    })
}

pub(crate) fn on_click(dispatch: &Dispatch, field: String, edit: Edit) -> Callback<MouseEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |_| {
        dispatch.dispatch(EditorAction::Apply {
            field: field.clone(),
            text: String::new(),
            edit: edit.clone(),
        })
    })
}

/// The refusal's message under the field it is for, if there is one.
pub(crate) fn refusal_for(state: &EditorState, field: &str, lang: Lang) -> Html {
    match &state.refusal {
        Some(r) if r.field == field => html! {
            <p id={format!("{field}-error")} class="error field-error" role="alert">{ r.error.text(lang) }</p>
        },
        _ => html! {},
    }
}

/// What a text field shows: the refused text where it was typed, else the notebook's value.
pub(crate) fn shown_text(state: &EditorState, field: &str, value: &str) -> String {
    match &state.refusal {
        Some(r) if r.field == field => r.text.clone(),
        _ => value.to_owned(),
    }
}

pub(crate) fn invalid(state: &EditorState, field: &str) -> Option<&'static str> {
    matches!(&state.refusal, Some(r) if r.field == field).then_some("true")
}

pub(crate) fn described_by(state: &EditorState, field: &str) -> Option<String> {
    invalid(state, field).map(|_| format!("{field}-error"))
}

/// What every form's fields need: the editor, the language, and the end of a run of typing.
pub(crate) struct Form<'a> {
    pub state: &'a UseReducerHandle<EditorState>,
    pub lang: Lang,
    pub end_typing: &'a Callback<FocusEvent>,
}

impl Form<'_> {
    /// A labelled text input that applies `edit` as typed (`typing`: on each key, one step of
    /// the history; else when the field is left), with a refusal shown under it.
    pub fn text(
        &self,
        field: &str,
        label: &str,
        value: &str,
        typing: bool,
        edit: impl Fn(String) -> Option<Edit> + 'static,
    ) -> Html {
        let (state, lang) = (self.state, self.lang);
        let d = state.dispatcher();
        let shown = shown_text(state, field, value);
        let (oninput, onchange) = if typing {
            (
                Some(on_value::<InputEvent>(&d, field.to_owned(), edit)),
                None,
            )
        } else {
            (None, Some(on_value::<Event>(&d, field.to_owned(), edit)))
        };
        html! {
            <>
            <label for={field.to_owned()}>{ label.to_owned() }</label>
            <input id={field.to_owned()} type="text" value={shown} {oninput} {onchange} onblur={self.end_typing.clone()}
                aria-invalid={invalid(state, field)} aria-describedby={described_by(state, field)} />
            { refusal_for(state, field, lang) }
            </>
        }
    }

    /// A labelled select of `(value, words)` options that applies `edit` when changed.
    pub fn select(
        &self,
        field: &str,
        label: &str,
        options: &[(String, String)],
        selected: &str,
        edit: impl Fn(String) -> Option<Edit> + 'static,
    ) -> Html {
        let state = self.state;
        let onchange = on_value::<Event>(&state.dispatcher(), field.to_owned(), edit);
        html! {
            <>
            <label for={field.to_owned()}>{ label.to_owned() }</label>
            <select id={field.to_owned()} {onchange}
                aria-invalid={invalid(state, field)} aria-describedby={described_by(state, field)}>
                { for options.iter().map(|(v, words)| html! {
                    <option value={v.clone()} selected={v == selected}>{ words.clone() }</option>
                }) }
            </select>
            { refusal_for(state, field, self.lang) }
            </>
        }
    }

    /// A column: a select of the file's `columns` (with `empty` first, when given) once a run
    /// read it, else a text input.
    pub fn column(
        &self,
        field: &str,
        label: &str,
        columns: Option<&[String]>,
        current: &str,
        empty: Option<&str>,
        edit: impl Fn(String) -> Option<Edit> + 'static,
    ) -> Html {
        match columns {
            Some(cols) => {
                let mut options: Vec<(String, String)> = empty
                    .map(|e| vec![(String::new(), e.to_owned())])
                    .unwrap_or_default();
                if !current.is_empty() && !cols.iter().any(|c| c == current) {
                    let missing = self.lang.t("saknas i filen", "not in the file");
                    options.push((current.to_owned(), format!("{current} ({missing})")));
                }
                options.extend(cols.iter().map(|c| (c.clone(), c.clone())));
                self.select(field, label, &options, current, edit)
            }
            None => self.text(field, label, current, false, edit),
        }
    }
}

/// What the last run read for the input `name`: its file's columns and the values of the
/// columns tested (none before a run).
pub(crate) fn input_summary<'a>(outputs: &'a Outputs, name: &str) -> Option<&'a InputSummary> {
    outputs.iter().find_map(|(_, o)| match &**o {
        CellOutput::Data { summary, .. } if summary.name == name => Some(summary),
        _ => None,
    })
}

/// The editor: toolbar, title and the cells.
pub fn editor_view(
    state: &UseReducerHandle<EditorState>,
    lang: Lang,
    on_new: Callback<MouseEvent>,
    outputs: &Outputs,
) -> Html {
    let dispatch = state.dispatcher();
    let nb = state.history.notebook().clone();
    let undo = {
        let d = dispatch.clone();
        Callback::from(move |_| d.dispatch(EditorAction::Undo))
    };
    let redo = {
        let d = dispatch.clone();
        Callback::from(move |_| d.dispatch(EditorAction::Redo))
    };
    let save = {
        let (d, nb) = (dispatch.clone(), nb.clone());
        Callback::from(move |_| {
            let text = nb.save();
            match download(&edit::file_name(&nb.title), "application/json", &text) {
                Ok(()) => d.dispatch(EditorAction::Saved),
                Err(e) => web_sys::console::error_1(&e.into()),
            }
        })
    };
    let end_typing = {
        let d = dispatch.clone();
        Callback::from(move |_: FocusEvent| d.dispatch(EditorAction::EndTyping))
    };
    let title_field = "notebook-title".to_string();
    let on_title =
        on_value::<InputEvent>(&dispatch, title_field.clone(), |v| Some(Edit::SetTitle(v)));
    let add_first = add_buttons(&dispatch, None, lang);
    html! {
        <section id="editor" aria-labelledby="editor-heading">
            <h3 id="editor-heading">{ lang.t("Redigera anteckningsboken", "Edit the notebook") }</h3>
            <div class="toolbar" role="toolbar" aria-label={lang.t("Anteckningsboken", "The notebook")}>
                <button id="undo" onclick={undo} disabled={!state.history.can_undo()}>{ lang.t("Ångra", "Undo") }</button>
                <button id="redo" onclick={redo} disabled={!state.history.can_redo()}>{ lang.t("Gör om", "Redo") }</button>
                <button id="new-notebook" onclick={on_new}>{ lang.t("Ny anteckningsbok", "New notebook") }</button>
                <button id="save-notebook" onclick={save}>{ lang.t("Spara anteckningsboken", "Save the notebook") }</button>
                if state.history.unsaved() {
                    <span id="unsaved" class="hint">{ lang.t("Ändringar som inte är sparade", "Unsaved changes") }</span>
                }
            </div>
            <p class="field">
                <label for={title_field.clone()}>{ lang.t("Titel", "Title") }</label>
                <input id={title_field.clone()} type="text" class="wide" value={nb.title.clone()}
                    oninput={on_title} onblur={end_typing.clone()} />
            </p>
            if nb.cells.is_empty() {
                <p id="empty-notebook" class="hint">{ lang.t(
                    "Anteckningsboken är tom. Börja med en datacell för varje fil analysen läser (+ Data), lägg sedan till indikatorer, tabeller och diagram. Varje cell fylls i med formulär.",
                    "The notebook is empty. Start with a data cell for each file the analysis reads (+ Data), then add indicators, tables and charts. Each cell is filled in by forms.") }</p>
            }
            { add_first }
            <ol id="cells">
                { for nb.cells.iter().enumerate().map(|(i, cell)| cell_view(state, &nb, i, cell, lang, &end_typing, outputs)) }
            </ol>
        </section>
    }
}

fn add_buttons(dispatch: &Dispatch, after: Option<&str>, lang: Lang) -> Html {
    let key = after.unwrap_or("");
    let field = format!("add-{key}");
    let edit = |kind| Edit::Insert {
        after: after.map(str::to_owned),
        kind,
    };
    let (where_sv, where_en) = match after {
        Some(id) => (format!("efter «{id}»"), format!("after '{id}'")),
        None => ("först".to_owned(), "first".to_owned()),
    };
    html! {
        <div class="add-cell">
            <span class="hint" aria-hidden="true">{ lang.t("Lägg till:", "Add:") }</span>
            { for NewCell::ALL.iter().map(|kind| {
                let (text, what) = kind.words(lang);
                // The visible word first, so that speech input can say what the eye sees
                // (WCAG 2.5.3, label in name).
                let shown = text.trim_start_matches('+').trim();
                let label = match lang {
                    Lang::Sv => format!("{shown}: lägg till {what} {where_sv}"),
                    Lang::En => format!("{shown}: add {what} {where_en}"),
                };
                html! {
                    <button class={format!("add-{}", kind.name())} data-after={key.to_owned()} aria-label={label}
                        onclick={on_click(dispatch, field.clone(), edit(*kind))}>{ text }</button>
                }
            }) }
        </div>
    }
}

fn cell_type(cell: &Cell) -> &'static str {
    match cell {
        Cell::Text(_) => "text",
        Cell::Parameters(_) => "parameters",
        Cell::Data(_) => "data",
        Cell::Indicators(_) => "indicators",
        Cell::Table(_) => "table",
        Cell::Chart(_) => "chart",
        Cell::Rollup(_) => "rollup",
    }
}

fn cell_view(
    state: &UseReducerHandle<EditorState>,
    nb: &Notebook,
    index: usize,
    cell: &Cell,
    lang: Lang,
    end_typing: &Callback<FocusEvent>,
    outputs: &Outputs,
) -> Html {
    let dispatch = state.dispatcher();
    let id = cell.id().to_owned();
    let output = outputs.iter().find(|(c, _)| *c == id).map(|(_, o)| o);
    let collapsed = state.collapsed.contains(&id);
    let kind = kind_label(cell, lang);
    let field = format!("cell-{id}");
    let toggle = {
        let (d, id) = (dispatch.clone(), id.clone());
        Callback::from(move |_| d.dispatch(EditorAction::Toggle(id.clone())))
    };
    let named = |sv: &str, en: &str| match lang {
        Lang::Sv => format!("{sv} «{id}»"),
        Lang::En => format!("{en} '{id}'"),
    };
    let body_id = format!("cell-body-{id}");
    let form = Form {
        state,
        lang,
        end_typing,
    };
    let last = index + 1 == nb.cells.len();
    html! {
        <li class="cell" data-cell={id.clone()} data-kind={cell_type(cell)}>
            <div class="cell-head">
                <span class="kind">{ kind }</span>
                <code class="cell-id">{ id.clone() }</code>
                <span class="cell-buttons">
                    <button class="move-up" aria-label={named("Flytta upp", "Move up")} disabled={index == 0}
                        onclick={on_click(&dispatch, field.clone(), Edit::MoveUp(id.clone()))}>{ "↑" }</button>
                    <button class="move-down" aria-label={named("Flytta ner", "Move down")} disabled={last}
                        onclick={on_click(&dispatch, field.clone(), Edit::MoveDown(id.clone()))}>{ "↓" }</button>
                    <button class="duplicate" aria-label={named("Duplicera", "Duplicate")}
                        onclick={on_click(&dispatch, field.clone(), Edit::Duplicate(id.clone()))}>{ lang.t("Duplicera", "Duplicate") }</button>
                    <button class="delete" aria-label={named("Ta bort", "Delete")}
                        onclick={on_click(&dispatch, field.clone(), Edit::Delete(id.clone()))}>{ lang.t("Ta bort", "Delete") }</button>
                    <button class="collapse" aria-expanded={(!collapsed).to_string()} aria-controls={body_id.clone()}
                        aria-label={named(if collapsed { "Fäll ut" } else { "Fäll ihop" }, if collapsed { "Expand" } else { "Collapse" })}
                        onclick={toggle}>{ if collapsed { lang.t("Fäll ut", "Expand") } else { lang.t("Fäll ihop", "Collapse") } }</button>
                </span>
            </div>
            { refusal_for(state, &field, lang) }
            if !collapsed {
                <div class="cell-body" id={body_id}>
                    { match cell {
                        Cell::Text(t) => text_form(state, &t.id, &t.markdown, lang, end_typing),
                        Cell::Table(t) => table_form(state, nb, t, lang, end_typing),
                        Cell::Indicators(ic) => indicators_form(&form, nb, ic, outputs),
                        Cell::Parameters(p) => parameters_form(&form, p),
                        Cell::Data(d) => data_form(&form, d, outputs),
                        Cell::Chart(c) => chart_form(&form, nb, c),
                        Cell::Rollup(r) => rollup_form(&form, nb, r),
                    } }
                </div>
            }
            if let Some(output) = output {
                <OutputCell cell={AttrValue::from(id.clone())} output={output.clone()} {lang} />
            }
            { add_buttons(&dispatch, Some(&id), lang) }
        </li>
    }
}

fn text_form(
    state: &UseReducerHandle<EditorState>,
    id: &str,
    markdown: &str,
    lang: Lang,
    end_typing: &Callback<FocusEvent>,
) -> Html {
    let field = format!("md-{id}");
    let cell = id.to_owned();
    let oninput = on_value::<InputEvent>(&state.dispatcher(), field.clone(), move |v| {
        Some(Edit::SetMarkdown {
            cell: cell.clone(),
            markdown: v,
        })
    });
    // The same safe rendering as the report: raw HTML escaped, only safe links, no images.
    let preview = Html::from_html_unchecked(AttrValue::from(markdown_to_html(markdown)));
    html! {
        <div class="text-cell">
            <p class="field">
                <label for={field.clone()}>{ lang.t("Text (Markdown)", "Text (Markdown)") }</label>
                <textarea id={field.clone()} rows="6" value={shown_text(state, &field, markdown)}
                    aria-invalid={invalid(state, &field)} aria-describedby={described_by(state, &field)}
                    {oninput} onblur={end_typing.clone()} />
            </p>
            { refusal_for(state, &field, lang) }
            <div class="preview" id={format!("preview-{id}")} aria-label={lang.t("Förhandsvisning", "Preview")} role="region">{ preview }</div>
        </div>
    }
}

fn table_form(
    state: &UseReducerHandle<EditorState>,
    nb: &Notebook,
    t: &TableCell,
    lang: Lang,
    end_typing: &Callback<FocusEvent>,
) -> Html {
    let d = state.dispatcher();
    let id = t.id.clone();
    let f = |name: &str| format!("{name}-{id}");
    let choice = |sv: &'static str, en: &'static str| lang.t(sv, en);
    let (title_f, ind_f, level_f, sort_f) = (
        f("table-title"),
        f("table-indicator"),
        f("table-level"),
        f("table-sort"),
    );
    let cell = id.clone();
    let on_title = on_value::<InputEvent>(&d, title_f.clone(), move |v| {
        Some(Edit::SetTableTitle {
            cell: cell.clone(),
            title: v,
        })
    });
    let cell = id.clone();
    let on_indicator = on_value::<Event>(&d, ind_f.clone(), move |v| {
        Some(Edit::SetTableIndicator {
            cell: cell.clone(),
            indicator: v,
        })
    });
    let cell = id.clone();
    let on_level = on_value::<Event>(&d, level_f.clone(), move |v| {
        Some(Edit::SetTableLevel {
            cell: cell.clone(),
            level: v,
        })
    });
    let cell = id.clone();
    let on_sort = on_value::<Event>(&d, sort_f.clone(), move |v| {
        Some(Edit::SetTableSort {
            cell: cell.clone(),
            sort: Sort::parse(&v).ok(),
        })
    });
    let mut indicators = indicator_ids(nb);
    if !indicators.contains(&t.indicator) {
        indicators.insert(0, t.indicator.clone());
    }
    let mut levels: Vec<String> = COMMON_LEVELS.iter().map(|l| l.to_string()).collect();
    if !levels.iter().any(|l| l == t.level.text()) {
        levels.insert(0, t.level.text().to_owned());
    }
    let shown = shown_columns(t);
    let sort = t.sort.value().copied();
    html! {
        <div class="table-cell form-grid">
            <label for={title_f.clone()}>{ choice("Rubrik", "Title") }</label>
            <input id={title_f.clone()} type="text" class="wide" value={t.title.clone()} oninput={on_title} onblur={end_typing.clone()} />
            <label for={ind_f.clone()}>{ choice("Indikator", "Indicator") }</label>
            <select id={ind_f.clone()} onchange={on_indicator}>
                { for indicators.iter().map(|i| html! { <option value={i.clone()} selected={*i == t.indicator}>{ i.clone() }</option> }) }
            </select>
            { refusal_for(state, &ind_f, lang) }
            <label for={level_f.clone()}>{ choice("Nivå", "Level") }</label>
            <select id={level_f.clone()} onchange={on_level} aria-invalid={invalid(state, &level_f)} aria-describedby={described_by(state, &level_f)}>
                { for levels.iter().map(|l| html! { <option value={l.clone()} selected={l == t.level.text()}>{ level_label(l, lang) }</option> }) }
            </select>
            { refusal_for(state, &level_f, lang) }
            <label for={sort_f.clone()}>{ choice("Ordning", "Order") }</label>
            <select id={sort_f.clone()} onchange={on_sort}>
                <option value="" selected={sort.is_none()}>{ choice("standard (efter enhet)", "default (by unit)") }</option>
                { for Sort::ALL.iter().map(|s| html! {
                    <option value={s.name()} selected={sort == Some(*s)}>{ if lang == Lang::Sv { s.swedish() } else { s.english() } }</option>
                }) }
            </select>
            <fieldset class="columns">
                <legend>{ choice("Kolumner", "Columns") }</legend>
                { for Column::ALL.iter().map(|c| {
                    let box_id = format!("column-{id}-{}", c.name());
                    let (dd, cell, column) = (d.clone(), id.clone(), *c);
                    let field = format!("columns-{id}");
                    let onchange = Callback::from(move |e: Event| {
                        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                            dd.dispatch(EditorAction::Apply {
                                field: field.clone(),
                                text: String::new(),
                                edit: Edit::SetTableColumn { cell: cell.clone(), column, shown: i.checked() },
                            });
                        }
                    });
                    html! {
                        <label class="check" for={box_id.clone()}>
                            <input id={box_id} type="checkbox" checked={shown.contains(c)} {onchange} />
                            { if lang == Lang::Sv { c.swedish() } else { c.english() } }
                        </label>
                    }
                }) }
            </fieldset>
            { refusal_for(state, &format!("columns-{id}"), lang) }
        </div>
    }
}
