//! What the app shows about one file: how it was read, its columns with types and roles (the
//! user may change a role), rows per kommun, and every problem with its row and column.

use std::rc::Rc;

use samsyn_core::counts::KommunCounts;
use samsyn_core::inspect::{ColumnReport, ColumnType, Inspection};
use samsyn_core::number_format;
use samsyn_core::table::roles::Role;
use samsyn_core::Severity;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::read_file::{FileView, Timing};

/// A shared result; two are equal when they are the same result (results are never edited).
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub name: String,
    pub view: Shared<FileView>,
    pub timing: Timing,
    pub lang: Lang,
    /// The user chose a role for a column (`None`: no role).
    pub on_role: Callback<(String, Option<Role>)>,
}

#[function_component(FileReport)]
pub fn file_report(props: &Props) -> Html {
    let Props {
        name,
        view,
        timing,
        lang,
        on_role,
    } = props;
    let lang = *lang;
    let i = &view.0.inspection;
    html! {
        <section id="result">
            <h2>{ name }</h2>
            <p id="row-count" data-rows={i.stats.rows.to_string()} data-skipped={i.skipped_rows.to_string()}>
                { format!("{} {} · {} {} · {} {}",
                    lang.number(i.stats.rows as f64), lang.t("rader lästa", "rows read"),
                    lang.number(i.skipped_rows as f64), lang.t("överhoppade", "skipped"),
                    lang.number(i.problems.total as f64), lang.t("problem", "problems")) }
            </p>
            <p class="dialect">{ how_read(i, lang) }</p>
            <p id="timing" class="dialect" data-ms={format!("{:.1}", timing.elapsed_ms)}
               data-bytes={timing.bytes.to_string()} data-wasm-memory={timing.wasm_memory_bytes.to_string()}>
                { format!("{} {} s ({} MB, {} MB/s)", lang.t("Läst på", "Read in"),
                    lang.number((timing.elapsed_ms / 100.0).round() / 10.0),
                    lang.number(timing.bytes as f64 / 1e6),
                    lang.number(if timing.elapsed_ms > 0.0 { timing.bytes as f64 / 1e3 / timing.elapsed_ms } else { 0.0 })) }
            </p>
            <h3>{ lang.t("Antal per kommun", "Counts per municipality") }</h3>
            { counts_view(&view.0.counts, lang) }
            <h3>{ lang.t("Kolumner", "Columns") }</h3>
            { columns_view(&i.columns, lang, on_role) }
            { problems_view(i, lang) }
        </section>
    }
}

fn how_read(i: &Inspection, lang: Lang) -> String {
    let s = i.summary();
    let d = s.dialect;
    let mut parts = Vec::new();
    let format = d.format.label();
    parts.push(format!("{}: {format}", lang.t("Format", "Format")));
    if let Some(e) = d.encoding {
        parts.push(format!("{}: {e}", lang.t("teckenkodning", "encoding")));
    }
    if let Some(delimiter) = d.delimiter {
        let shown = if delimiter == "\t" {
            lang.t("tabb", "tab")
        } else {
            delimiter
        };
        parts.push(format!("{} «{shown}»", lang.t("avgränsare", "delimiter")));
    }
    if let Some(decimal) = d.decimal {
        parts.push(format!(
            "{} «{decimal}»",
            lang.t("decimaltecken", "decimal mark")
        ));
    }
    if let Some(sheet) = d.sheet {
        parts.push(format!("{}: {sheet}", lang.t("blad", "sheet")));
    }
    parts.join(" · ")
}

fn type_label(t: ColumnType, lang: Lang) -> &'static str {
    match t {
        ColumnType::Integer => lang.t("heltal", "integer"),
        ColumnType::Decimal => lang.t("decimaltal", "decimal"),
        ColumnType::Date => lang.t("datum", "date"),
        ColumnType::Boolean => lang.t("ja/nej", "yes/no"),
        ColumnType::Text => "text",
        ColumnType::Empty => lang.t("tom", "empty"),
    }
}

fn role_label(role: Role, lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => role.label_sv(),
        Lang::En => role.label_en(),
    }
}

fn columns_view(
    columns: &[ColumnReport],
    lang: Lang,
    on_role: &Callback<(String, Option<Role>)>,
) -> Html {
    html! {
        <table id="columns">
            <thead><tr>
                <th>{ lang.t("Kolumn", "Column") }</th>
                <th>{ lang.t("Typ", "Type") }</th>
                <th>{ lang.t("Roll", "Role") }</th>
                <th class="num">{ lang.t("Saknas", "Missing") }</th>
                <th class="num">{ lang.t("Olika värden", "Distinct") }</th>
                <th>{ "Min" }</th>
                <th>{ "Max" }</th>
            </tr></thead>
            <tbody>
            { for columns.iter().map(|c| {
                let column = c.name.clone();
                let on_role = on_role.clone();
                let onchange = Callback::from(move |e: Event| {
                    if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                        let role = Role::ALL.iter().copied().find(|r| r.key() == select.value());
                        on_role.emit((column.clone(), role));
                    }
                });
                let distinct = if c.distinct_capped { format!("≥ {}", lang.number(c.distinct as f64)) } else { lang.number(c.distinct as f64) };
                html! {
                    <tr data-column={c.name.clone()}>
                        <td>{ &c.name }</td>
                        <td>{ type_label(c.column_type, lang) }</td>
                        <td>
                            <select class="role" aria-label={format!("{} {}", lang.t("Roll för", "Role of"), c.name)} {onchange}>
                                <option value="" selected={c.role.is_none()}>{ "—" }</option>
                                { for Role::ALL.iter().map(|r| html! {
                                    <option value={r.key()} selected={c.role == Some(*r)}>{ role_label(*r, lang) }</option>
                                }) }
                            </select>
                        </td>
                        <td class="num">{ lang.number(c.missing as f64) }</td>
                        <td class="num">{ distinct }</td>
                        <td>{ c.min.clone().unwrap_or_default() }</td>
                        <td>{ c.max.clone().unwrap_or_default() }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

fn counts_view(counts: &Result<KommunCounts, crate::i18n::Both>, lang: Lang) -> Html {
    let c = match counts {
        Ok(c) => c,
        Err(message) => {
            return html! {
                <p id="counts-missing" class="warning">{ message.get(lang) }{ " " }
                    { lang.t("Välj rollen Kommun eller DeSO för en kolumn nedan.", "Choose the role Kommun or DeSO for a column below.") }
                </p>
            }
        }
    };
    let rows = c.rows();
    // One precision down the column: "3,0" beside "19,5", never "3".
    let sum_decimals = number_format::column_decimals(rows.iter().filter_map(|r| r.sum)).min(1);
    let sum_header = c.sum_column.as_ref().map(|s| match c.sum_year {
        // A population is the latest year's (a stock), not its sum over the years.
        Some(y) => html! { <th class="num" data-year={y.to_string()}>{ format!("{s} {y}") }</th> },
        None => html! { <th class="num">{ s }</th> },
    });
    html! {
        <>
        <p class="dialect">{ format!("{}: {}{}", lang.t("Kommun från kolumnen", "Kommun from the column"), c.kommun_column,
            if c.from_deso { lang.t(" (DeSO-kodens fyra första siffror)", " (first four digits of the DeSO code)") } else { "" }) }
            { if c.skipped_rows > 0 { format!(" · {} {}", lang.number(c.skipped_rows as f64), lang.t("rader kunde inte räknas", "rows could not be counted")) } else { String::new() } }
        </p>
        <table id="counts">
            <thead><tr>
                <th>{ lang.t("Kommunkod", "Code") }</th>
                <th>{ lang.t("Kommun", "Municipality") }</th>
                <th class="num">{ lang.t("Rader", "Rows") }</th>
                { for sum_header }
            </tr></thead>
            <tbody>
            { for rows.iter().map(|r| html! {
                <tr>
                    <td>{ &r.kommun }</td>
                    <td>{ r.kommun_name.clone().unwrap_or_default() }</td>
                    <td class="num">{ lang.number(r.rows as f64) }</td>
                    { for r.sum.map(|s| html! { <td class="num">{ number_format::format_fixed(s, sum_decimals, lang.number_language()) }</td> }) }
                </tr>
            }) }
            </tbody>
        </table>
        </>
    }
}

fn problems_view(i: &Inspection, lang: Lang) -> Html {
    if i.problems.is_empty() {
        return html! { <p id="problems-none" class="ok">{ lang.t("Inga problem hittades.", "No problems found.") }</p> };
    }
    let more = i.problems.not_kept();
    html! {
        <section>
            <h3>{ format!("{} ({})", lang.t("Problem", "Problems"), lang.number(i.problems.total as f64)) }</h3>
            <ul id="problems">
            { for i.problems.kept.iter().map(|p| {
                let class = match p.severity { Severity::Error => "problem error", Severity::Warning => "problem warning" };
                let text = match lang {
                    Lang::Sv => p.swedish(),
                    Lang::En => p.to_string(),
                };
                html! { <li class={class}>{ text }</li> }
            }) }
            </ul>
            if more > 0 {
                <p>{ format!("… {} {}", lang.t("och", "and"), lang.number(more as f64)) }{ lang.t(" till", " more") }</p>
            }
        </section>
    }
}
