//! The result of reading one file: rows per kommun, how the file was read, and its problems.

use std::rc::Rc;

use samsyn_core::counts::KommunCounts;
use samsyn_core::Severity;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::read_file::Timing;

/// A shared result; two are equal when they are the same result (results are never edited).
#[derive(Debug, Clone)]
pub struct Shared<T>(pub Rc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub name: String,
    pub counts: Shared<KommunCounts>,
    pub timing: Timing,
    pub lang: Lang,
}

#[function_component(CountsTable)]
pub fn counts_table(props: &Props) -> Html {
    let Props {
        name,
        counts,
        timing,
        lang,
    } = props;
    let c = &*counts.0;
    let lang = *lang;
    let rows = c.rows();
    let sum_header = c
        .sum_column
        .as_ref()
        .map(|s| html! { <th class="num">{ s }</th> });
    let d = &c.dialect;
    let delimiter = match d.delimiter {
        b'\t' => lang.t("tabb", "tab").to_owned(),
        b => (b as char).to_string(),
    };
    html! {
        <section id="result">
            <h2>{ format!("{}: {name}", lang.t("Antal per kommun", "Counts per municipality")) }</h2>
            <p id="row-count" data-rows={c.stats.rows.to_string()} data-skipped={c.skipped_rows.to_string()}>
                { format!("{} {} · {} {} · {} {}",
                    lang.number(c.stats.rows as f64), lang.t("rader lästa", "rows read"),
                    lang.number(c.skipped_rows as f64), lang.t("överhoppade", "skipped"),
                    lang.number(c.problems.total as f64), lang.t("problem", "problems")) }
            </p>
            <p class="dialect">{ format!("{}: {} · {} «{delimiter}» · {} «{}» · {}: {}{}",
                lang.t("Teckenkodning", "Encoding"), d.encoding.name(),
                lang.t("avgränsare", "delimiter"),
                lang.t("decimaltecken", "decimal mark"), d.decimal.as_char(),
                lang.t("kommun från kolumnen", "kommun from the column"), c.kommun_column,
                if c.from_deso { lang.t(" (DeSO-kodens fyra första siffror)", " (first four digits of the DeSO code)") } else { "" }) }
            </p>
            <p id="timing" class="dialect" data-ms={format!("{:.1}", timing.elapsed_ms)}
               data-bytes={timing.bytes.to_string()} data-wasm-memory={timing.wasm_memory_bytes.to_string()}>
                { format!("{} {} s ({} MB, {} MB/s)", lang.t("Läst på", "Read in"),
                    lang.number((timing.elapsed_ms / 100.0).round() / 10.0),
                    lang.number(timing.bytes as f64 / 1e6),
                    lang.number(if timing.elapsed_ms > 0.0 { timing.bytes as f64 / 1e3 / timing.elapsed_ms } else { 0.0 })) }
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
                        { for r.sum.map(|s| html! { <td class="num">{ lang.number(s) }</td> }) }
                    </tr>
                }) }
                </tbody>
            </table>
            { problems(c, lang) }
        </section>
    }
}

fn problems(c: &KommunCounts, lang: Lang) -> Html {
    if c.problems.is_empty() {
        return html! { <p id="problems-none" class="ok">{ lang.t("Inga problem hittades.", "No problems found.") }</p> };
    }
    let more = c.problems.not_kept();
    html! {
        <section>
            <h3>{ format!("{} ({})", lang.t("Problem", "Problems"), c.problems.total) }</h3>
            <ul id="problems">
            { for c.problems.kept.iter().map(|p| {
                let class = match p.severity { Severity::Error => "problem error", Severity::Warning => "problem warning" };
                html! { <li class={class}>{ p.to_string() }</li> }
            }) }
            </ul>
            if more > 0 {
                <p>{ format!("… {} {more}", lang.t("och fler:", "and more:")) }</p>
            }
        </section>
    }
}
