//! A run's outputs in the page, each under its cell: tables as real `<table>`s that sort by a
//! column (numbers as numbers), lights as a symbol and a word on a colour (never the colour
//! alone), core's charts as inline SVG, the roll-up read-out with its questions, text cells'
//! safe HTML and a data cell's rows read, used and refused. Tables download as CSV in two
//! dialects (core's writer) and charts as `.svg`; what is shown and exported is what core's
//! disclosure control left, nothing is added.

use std::cmp::Ordering;
use std::rc::Rc;

use samsyn_core::classify::Light;
use samsyn_core::export::{rewrite_csv, CsvDialect};
use samsyn_core::notebook::output::{CellOutput, InputSummary, TableOutput, TableRow};
use samsyn_core::number_format::format_fixed;
use yew::prelude::*;

use crate::download::{download, download_bytes};
use crate::i18n::Lang;

/// A text of a table cell as a number, read as the page writes numbers (spaces, non-breaking
/// or thin, as thousands separators; a decimal comma; a true minus sign). An interval
/// (`1,2–3,4`) sorts by its lower limit. `None` for any other text.
pub fn number_of(text: &str) -> Option<f64> {
    let plain = |t: &str| -> Option<f64> {
        let t: String = t
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| match c {
                '\u{2212}' => '-',
                ',' => '.',
                c => c,
            })
            .collect();
        let digits = t.strip_prefix('-').unwrap_or(&t);
        let ok = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().filter(|b| *b == b'.').count() <= 1
            && digits.bytes().next().is_some_and(|b| b.is_ascii_digit());
        if ok {
            t.parse().ok().filter(|v: &f64| v.is_finite())
        } else {
            None
        }
    };
    plain(text).or_else(|| {
        let (lower, upper) = text.split_once('–')?;
        plain(upper)?;
        plain(lower)
    })
}

/// How a field sorts: a light by how serious it is, a number as a number, other text by its
/// characters; empty and masked fields (`–`, `<5`) sort last either way.
#[derive(Debug, PartialEq, PartialOrd)]
enum Key<'a> {
    Light(u8),
    Number(f64),
    Text(&'a str),
}

fn key_of(field: &(String, Option<Light>)) -> Option<Key<'_>> {
    let (text, light) = field;
    if let Some(l) = light {
        return Some(Key::Light(match l {
            Light::Red => 0,
            Light::Yellow => 1,
            Light::Green => 2,
            Light::Grey => 3,
        }));
    }
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "–" || trimmed.starts_with('<') {
        return None;
    }
    Some(number_of(trimmed).map_or(Key::Text(trimmed), Key::Number))
}

/// The order of `rows` sorted by `column`: the rows' indices, stable (equal keys keep the
/// table's order), fields without a value last in both directions.
pub fn sorted_rows(rows: &[TableRow], column: usize, ascending: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let key = |i: usize| {
        rows.get(i)
            .and_then(|r| r.fields.get(column))
            .and_then(key_of)
    };
    order.sort_by(|&a, &b| match (key(a), key(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            // Numbers before text when a column mixes them.
            let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            if ascending {
                o
            } else {
                o.reverse()
            }
        }
    });
    order
}

/// A table as CSV in `dialect`: core's CSV of the table (full precision, suppressed numbers
/// empty), written again by core's writer.
pub fn table_csv(table: &TableOutput, dialect: CsvDialect) -> String {
    match dialect {
        CsvDialect::Plain => table.csv.clone(),
        other => rewrite_csv(&table.csv, other),
    }
}

/// The file name of a table's CSV in `dialect`.
pub fn csv_file_name(table: &TableOutput, dialect: CsvDialect) -> String {
    match dialect {
        CsvDialect::Plain => table.file_name.clone(),
        CsvDialect::SwedishExcel => {
            let stem = table
                .file_name
                .strip_suffix(".csv")
                .unwrap_or(&table.file_name);
            format!("{stem}-excel.csv")
        }
    }
}

/// The workbook's type (ECMA-376).
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The name a table's workbook is saved under: its CSV's name as `.xlsx`.
pub fn xlsx_file_name(table: &TableOutput) -> String {
    let stem = table
        .file_name
        .strip_suffix(".csv")
        .unwrap_or(&table.file_name);
    format!("{stem}.xlsx")
}

/// A chart as a file of its own (core's SVG already names its namespace).
pub fn svg_file(svg: &str) -> String {
    if svg.contains("xmlns=") {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n")
    } else {
        let named = svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{named}\n")
    }
}

/// A light's symbol: a different shape for each, so no light is told by its colour alone.
pub fn light_symbol(light: Light) -> &'static str {
    match light {
        Light::Green => "●",
        Light::Yellow => "▲",
        Light::Red => "■",
        Light::Grey => "○",
    }
}

fn light_word(light: Light, lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => light.swedish(),
        Lang::En => light.label(),
    }
}

fn light_class(light: Light) -> &'static str {
    match light {
        Light::Green => "light light-green",
        Light::Yellow => "light light-yellow",
        Light::Red => "light light-red",
        Light::Grey => "light light-grey",
    }
}

/// A light as the page shows it: symbol and word on its colour.
/// What each light means for the indicator's rule (core's words), each with its badge: what
/// yellow is compared with, without opening a reason.
fn legend_view(legend: &[(Light, String)], lang: Lang, id: &str) -> Html {
    if legend.is_empty() {
        return html! {};
    }
    html! {
        <ul class="light-legend" id={id.to_owned()} aria-label={lang.t("Vad ljusen betyder", "What the lights mean")}>
            { for legend.iter().map(|(light, meaning)| html! {
                <li>{ light_badge(*light, lang) }{ " " }{ meaning.clone() }</li>
            }) }
        </ul>
    }
}

pub fn light_badge(light: Light, lang: Lang) -> Html {
    html! {
        <span class={light_class(light)}>{ format!("{} {}", light_symbol(light), light_word(light, lang)) }</span>
    }
}

fn count(n: u64, lang: Lang) -> String {
    format_fixed(n as f64, 0, lang.number_language())
}

fn on_download(
    name: String,
    mime: &'static str,
    text: Rc<dyn Fn() -> String>,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        if let Err(e) = download(&name, mime, &text()) {
            web_sys::console::error_1(&e.into());
        }
    })
}

#[derive(Properties)]
pub struct OutputProps {
    /// The id of the cell the output belongs to.
    pub cell: AttrValue,
    pub output: Rc<CellOutput>,
    pub lang: Lang,
}

/// The same run's output by pointer: a table of thousands of rows or a chart is never compared,
/// copied or drawn again when the editor around it renders again, nor when a newer run gave
/// the cell the same output (the run state keeps the old one, `run_state.rs`).
impl PartialEq for OutputProps {
    fn eq(&self, other: &Self) -> bool {
        self.cell == other.cell
            && self.lang == other.lang
            && Rc::ptr_eq(&self.output, &other.output)
    }
}

/// A cell's output under the cell, drawn again only when it changed.
#[function_component(OutputCell)]
pub fn output_cell(props: &OutputProps) -> Html {
    output_view(&props.cell, &props.output, props.lang)
}

/// Rows a table shows at first and adds on each "Visa fler": a kommun table of the county
/// over five years (75 rows) is whole; a DeSO table of hundreds of rows is drawn a page at a
/// time, so that a result never holds the page's thread for thousands of rows nobody scrolls
/// to. Sorting orders every row; the exports always hold the whole table.
pub const TABLE_PAGE: usize = 100;

/// How many rows of `total` a table shows when `wanted` were asked for, and how many the
/// next "Visa fler" adds.
pub fn page_of(total: usize, wanted: usize) -> (usize, usize) {
    let shown = wanted.min(total);
    (shown, TABLE_PAGE.min(total - shown))
}

/// A table cell's output: the table with sortable columns, and its exports.
#[function_component(OutputTable)]
pub fn output_table(props: &OutputProps) -> Html {
    let lang = props.lang;
    let CellOutput::Table(table) = props.output.as_ref() else {
        return html! {};
    };
    let sort = use_state(|| None::<(usize, bool)>);
    let wanted = use_state(|| TABLE_PAGE);
    let (shown, more) = page_of(table.rows.len(), *wanted);
    let order: Vec<usize> = match *sort {
        Some((column, ascending)) => sorted_rows(&table.rows, column, ascending),
        None => (0..table.rows.len()).collect(),
    };
    let cell = props.cell.to_string();
    let head = table.header.iter().enumerate().map(|(i, name)| {
        let (state, aria) = match *sort {
            Some((c, true)) if c == i => ("▲", "ascending"),
            Some((c, false)) if c == i => ("▼", "descending"),
            _ => ("", "none"),
        };
        let onclick = {
            let sort = sort.clone();
            Callback::from(move |_: MouseEvent| {
                let ascending = !matches!(*sort, Some((c, true)) if c == i);
                sort.set(Some((i, ascending)));
            })
        };
        let label = match lang {
            Lang::Sv => format!("Sortera efter {name}"),
            Lang::En => format!("Sort by {name}"),
        };
        html! {
            <th scope="col" aria-sort={aria}>
                <button class="sort" data-column={i.to_string()} title={label} {onclick}>
                    { name.clone() }<span class="sort-mark" aria-hidden="true">{ state }</span>
                </button>
            </th>
        }
    });
    let rows = order
        .iter()
        .take(shown)
        .filter_map(|&i| table.rows.get(i))
        .map(|row| {
            let fields = row.fields.iter().enumerate().map(|(j, (text, light))| {
                let content = match light {
                    Some(l) => light_badge(*l, lang),
                    None => html! { { text.clone() } },
                };
                let numeric = light.is_none() && number_of(text).is_some();
                if j == 0 {
                    html! { <th scope="row">{ content }</th> }
                } else {
                    html! { <td class={numeric.then_some("num")}>{ content }</td> }
                }
            });
            html! { <tr class={row.highlight.then_some("highlight")}>{ for fields }</tr> }
        });
    let text_of = |dialect| -> Rc<dyn Fn() -> String> {
        let output = props.output.clone();
        Rc::new(move || match output.as_ref() {
            CellOutput::Table(t) => table_csv(t, dialect),
            _ => String::new(),
        })
    };
    let excel = on_download(
        csv_file_name(table, CsvDialect::SwedishExcel),
        "text/csv",
        text_of(CsvDialect::SwedishExcel),
    );
    let plain = on_download(
        csv_file_name(table, CsvDialect::Plain),
        "text/csv",
        text_of(CsvDialect::Plain),
    );
    let xlsx = {
        let output = props.output.clone();
        Callback::from(move |_: MouseEvent| {
            if let CellOutput::Table(t) = output.as_ref() {
                let bytes = crate::xlsx::table_xlsx(&t.csv, &t.title);
                if let Err(e) = download_bytes(&xlsx_file_name(t), XLSX_MIME, &bytes) {
                    web_sys::console::error_1(&e.into());
                }
            }
        })
    };
    html! {
        <div class="output-table">
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby={format!("caption-{cell}")}>
                <table id={format!("table-{cell}")} data-rows={table.rows.len().to_string()} data-shown={shown.to_string()}>
                    <caption id={format!("caption-{cell}")}>{ table.title.clone() }</caption>
                    <thead><tr>{ for head }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            { legend_view(&table.legend, lang, &format!("legend-{cell}")) }
            if more > 0 {
                <p class="table-more" id={format!("more-{cell}")}>
                    <span role="status">{ rows_shown_text(shown, table.rows.len(), lang) }</span>{ " " }
                    <button id={format!("more-rows-{cell}")} onclick={{
                        let wanted = wanted.clone();
                        Callback::from(move |_: MouseEvent| wanted.set(shown + more))
                    }}>{ match lang {
                        Lang::Sv => format!("Visa {more} rader till"),
                        Lang::En => format!("Show {more} more rows"),
                    } }</button>{ " " }
                    <button id={format!("all-rows-{cell}")} onclick={{
                        let (wanted, total) = (wanted.clone(), table.rows.len());
                        Callback::from(move |_: MouseEvent| wanted.set(total))
                    }}>{ lang.t("Visa alla rader", "Show every row") }</button>
                </p>
            }
            <p class="exports">
                <button id={format!("csv-excel-{cell}")} onclick={excel}>{ lang.t("Ladda ner CSV för Excel", "Download CSV for Swedish Excel") }</button>
                <button id={format!("csv-plain-{cell}")} onclick={plain}>{ lang.t("Ladda ner CSV (komma, punkt)", "Download CSV (comma, point)") }</button>
                <button id={format!("xlsx-{cell}")} onclick={xlsx}>{ lang.t("Ladda ner Excel (.xlsx)", "Download Excel (.xlsx)") }</button>
            </p>
        </div>
    }
}

/// "Visar 100 av 1 234 rader." in the chosen language.
fn rows_shown_text(shown: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!(
            "Visar {} av {} rader.",
            count(shown as u64, lang),
            count(total as u64, lang)
        ),
        Lang::En => format!(
            "Showing {} of {} rows.",
            count(shown as u64, lang),
            count(total as u64, lang)
        ),
    }
}

/// What a data cell read (what it expects is in the cell above, not said twice).
fn data_summary(
    summary: &InputSummary,
    messages: &[String],
    messages_sv: &[String],
    lang: Lang,
) -> Html {
    // The Swedish wording where the output has it (outputs saved before it existed have none).
    let messages = match lang {
        Lang::Sv if messages_sv.len() == messages.len() => messages_sv,
        _ => messages,
    };
    let refused: u64 = summary.refused_total();
    html! {
        <div class="output-data">
            <p>
                <strong>{ format!("«{}» ", summary.name) }</strong>{ summary.file.clone() }
            </p>
            <dl class="rows">
                <dt>{ lang.t("Rader lästa", "Rows read") }</dt><dd data-rows="read">{ count(summary.rows, lang) }</dd>
                <dt>{ lang.t("Använda", "Used") }</dt><dd data-rows="used">{ count(summary.used, lang) }</dd>
                <dt>{ lang.t("Avvisade", "Refused") }</dt><dd data-rows="refused">{ count(refused, lang) }</dd>
            </dl>
            if !summary.refused.is_empty() {
                <table class="refusals">
                    <caption>{ lang.t("Avvisade rader efter skäl", "Refused rows by reason") }</caption>
                    <thead><tr>
                        <th scope="col">{ lang.t("Skäl", "Reason") }</th>
                        <th scope="col">{ lang.t("Rader", "Rows") }</th>
                    </tr></thead>
                    <tbody>
                        { for summary.refused.iter().map(|(reason, n)| html! {
                            <tr>
                                <th scope="row">{ match lang { Lang::Sv => reason.swedish(), Lang::En => reason.to_string() } }</th>
                                <td class="num">{ count(*n, lang) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !messages.is_empty() {
                <ul class="warn">{ for messages.iter().map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
            }
        </div>
    }
}

/// One cell's output, under the cell `cell`.
fn output_view(cell: &str, output: &Rc<CellOutput>, lang: Lang) -> Html {
    let body = match output.as_ref() {
        // Core's Markdown: raw HTML escaped, only safe links, no images (as in the report).
        CellOutput::Text { html } => Html::from_html_unchecked(AttrValue::from(format!(
            "<div class=\"markdown\">{html}</div>"
        ))),
        CellOutput::Parameters { values } => html! {
            <dl class="output-params">
                { for values.iter().map(|(name, label, value)| html! { <>
                    <dt>{ if label.is_empty() { name.clone() } else { label.clone() } }</dt>
                    <dd>{ value.clone() }</dd>
                </> }) }
            </dl>
        },
        CellOutput::Data {
            summary,
            messages,
            messages_sv,
            ..
        } => data_summary(summary, messages, messages_sv, lang),
        CellOutput::Indicators { title, rows } => html! {
            <table class="output-indicators">
                <caption>{ if title.is_empty() { lang.t("Indikatorer", "Indicators").to_owned() } else { title.clone() } }</caption>
                <thead><tr>
                    <th scope="col">{ lang.t("Indikator", "Indicator") }</th>
                    <th scope="col">{ lang.t("Mått", "Measure") }</th>
                    <th scope="col">{ lang.t("Enhet", "Unit") }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|[_, name, unit, measure]| html! {
                        <tr><th scope="row">{ name.clone() }</th><td>{ measure.clone() }</td><td>{ unit.clone() }</td></tr>
                    }) }
                </tbody>
            </table>
        },
        CellOutput::Table(_) => html! {
            <OutputTable cell={AttrValue::from(cell.to_owned())} output={output.clone()} {lang} />
        },
        CellOutput::Chart {
            title,
            svg,
            gaps,
            legend,
        } => {
            let onclick = {
                let svg = svg.clone();
                on_download(
                    format!("{cell}.svg"),
                    "image/svg+xml",
                    Rc::new(move || svg_file(&svg)),
                )
            };
            let png = {
                let (name, svg) = (format!("{cell}.png"), svg.clone());
                Callback::from(move |_: MouseEvent| {
                    if let Err(e) = crate::chart_png::download_png(name.clone(), &svg) {
                        web_sys::console::error_1(&e.into());
                    }
                })
            };
            html! {
                <figure class="output-chart" id={format!("chart-{cell}")}>
                    // Our own chart code's SVG, every text escaped; it carries its own title and
                    // description for screen readers.
                    { Html::from_html_unchecked(AttrValue::from(svg.clone())) }
                    <figcaption>
                        { title.clone() }{ " " }
                        <button id={format!("svg-{cell}")} {onclick}>{ lang.t("Ladda ner SVG", "Download SVG") }</button>
                        <button id={format!("png-{cell}")} onclick={png}>{ lang.t("Ladda ner PNG", "Download PNG") }</button>
                    </figcaption>
                    if !gaps.is_empty() {
                        <p>{ format!("{} {}.", lang.t("Saknar indikator:", "No indicator:"), gaps.join("; ")) }</p>
                    }
                    { legend_view(legend, lang, &format!("legend-{cell}")) }
                </figure>
            }
        }
        CellOutput::Rollup { title, lines } => html! {
            <table class="output-rollup" id={format!("rollup-{cell}")}>
                <caption>{ title.clone() }</caption>
                <thead><tr>
                    <th scope="col">{ lang.t("Indikator", "Indicator") }</th>
                    <th scope="col">{ lang.t("Område", "Area") }</th>
                    <th scope="col">{ lang.t("Period", "Period") }</th>
                    <th scope="col">{ light_badge(Light::Green, lang) }</th>
                    <th scope="col">{ light_badge(Light::Yellow, lang) }</th>
                    <th scope="col">{ light_badge(Light::Red, lang) }</th>
                    <th scope="col">{ light_badge(Light::Grey, lang) }</th>
                    <th scope="col">{ lang.t("Bedömning", "Verdict") }</th>
                    <th scope="col">{ lang.t("Fråga", "Question") }</th>
                    <th scope="col">{ lang.t("Röda enheter", "Red units") }</th>
                </tr></thead>
                <tbody>
                    { for lines.iter().map(|l| html! {
                        <tr>
                            <th scope="row">{ l.indicator.clone() }</th>
                            <td>{ l.scope_unit.clone() }</td>
                            <td>{ l.period.clone() }</td>
                            { for l.counts.iter().map(|n| html! { <td class="num">{ n.to_string() }</td> }) }
                            <td>{ l.verdict.clone() }</td>
                            <td>{ l.question.clone() }</td>
                            <td>{ l.red_units.join(", ") }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
        CellOutput::Error {
            message,
            message_sv,
        } => {
            let said = match lang {
                Lang::Sv => message_sv.as_deref().unwrap_or(message),
                Lang::En => message,
            };
            html! {
                <p class="error" role="alert">{ format!("{} {said}", lang.t("Cellen kunde inte köras:", "The cell could not run:")) }</p>
            }
        }
    };
    html! {
        <div class="cell-output" id={format!("output-{cell}")} data-output={cell.to_owned()}>{ body }</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[&str]) -> TableRow {
        TableRow {
            fields: fields.iter().map(|f| ((*f).to_owned(), None)).collect(),
            highlight: false,
        }
    }

    #[test]
    fn a_long_table_is_shown_a_page_at_a_time() {
        assert_eq!(page_of(75, TABLE_PAGE), (75, 0), "a kommun table is whole");
        assert_eq!(page_of(750, TABLE_PAGE), (100, 100));
        assert_eq!(
            page_of(750, 700),
            (700, 50),
            "the last page is what is left"
        );
        assert_eq!(page_of(750, 750), (750, 0));
        assert_eq!(page_of(750, usize::MAX), (750, 0));
        assert_eq!(page_of(0, TABLE_PAGE), (0, 0));
        assert_eq!(
            rows_shown_text(100, 1234, Lang::Sv),
            "Visar 100 av 1\u{a0}234 rader."
        );
    }

    #[test]
    fn numbers_read_as_the_page_writes_them() {
        assert_eq!(number_of("17 194"), Some(17194.0));
        assert_eq!(number_of("1\u{a0}234,5"), Some(1234.5));
        assert_eq!(number_of("\u{2212}2,25"), Some(-2.25));
        assert_eq!(number_of("1,2–3,4"), Some(1.2));
        assert_eq!(number_of("2480 Umeå"), None);
        assert_eq!(number_of("<5"), None);
        assert_eq!(number_of("–"), None);
        assert_eq!(number_of(",5"), None);
        assert_eq!(number_of("1,2,3"), None);
    }

    #[test]
    fn numbers_sort_as_numbers_and_blanks_go_last() {
        let rows = [
            row(&["a", "9"]),
            row(&["b", "10"]),
            row(&["c", "<5"]),
            row(&["d", "1 000"]),
        ];
        assert_eq!(sorted_rows(&rows, 1, true), [0, 1, 3, 2]);
        assert_eq!(sorted_rows(&rows, 1, false), [3, 1, 0, 2]);
        assert_eq!(sorted_rows(&rows, 0, false), [3, 2, 1, 0]);
        // Out of range: the table's order.
        assert_eq!(sorted_rows(&rows, 7, true), [0, 1, 2, 3]);
    }
}
