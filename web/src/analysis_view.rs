//! The results of the example analysis: the county read-out and, per indicator, each kommun's
//! latest value with its interval, traffic light and the reason in words.

use samsyn_core::areas::kommun_name;
use samsyn_core::charts::{bar_chart, Bar};
use samsyn_core::classify::Light;
use samsyn_core::indicators::finish::{LevelTable, UnitRow};
use samsyn_core::indicators::levels::Dim;
use samsyn_core::rollup::Scope;
use yew::prelude::*;

use crate::analysis::Analysis;
use crate::file_report::Shared;
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared<Analysis>,
    pub lang: Lang,
}

fn light_class(light: Light) -> &'static str {
    match light {
        Light::Green => "light light-green",
        Light::Yellow => "light light-yellow",
        Light::Red => "light light-red",
        Light::Grey => "light light-grey",
    }
}

fn light_word(light: Light, lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => light.swedish(),
        Lang::En => light.label(),
    }
}

/// The latest period a table has values for.
fn latest_period(table: &LevelTable) -> Option<&str> {
    table.rows.iter().filter_map(|r| r.period.as_deref()).max()
}

fn interval(r: &UnitRow, lang: Lang) -> String {
    match (r.lower, r.upper) {
        (Some(lo), Some(hi)) => format!("{}–{}", lang.number(lo), lang.number(hi)),
        _ => String::new(),
    }
}

#[function_component(AnalysisView)]
pub fn analysis_view(props: &Props) -> Html {
    let a = &*props.analysis.0;
    let lang = props.lang;
    let files = a
        .files
        .iter()
        .map(|(name, file, rows)| {
            format!(
                "{name} = {file} ({} {})",
                lang.number(*rows as f64),
                lang.t("rader", "rows")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let is_kommun_year =
        |t: &&LevelTable| t.level.dims == [Dim::Kommun] && t.level.period == Some(Dim::Year);
    let is_county_year =
        |t: &&LevelTable| t.level.dims == [Dim::Lan] && t.level.period == Some(Dim::Year);
    html! {
        <section id="analysis">
            <h2>{ lang.t("Exempelanalys: äldres fall, slutenvård och tillgänglighet", "Example analysis: falls among the elderly, inpatient care and access") }</h2>
            <p id="analysis-timing" class="dialect" data-ms={format!("{:.1}", a.timing.elapsed_ms)}>
                { format!("{} {} s · {files}", lang.t("Beräknat på", "Computed in"), lang.number((a.timing.elapsed_ms / 100.0).round() / 10.0)) }
            </p>
            <h3>{ lang.t("Länets avläsning (senaste året)", "The county read-out (latest year)") }</h3>
            <table id="rollup">
                <thead><tr>
                    <th>{ lang.t("Indikator", "Indicator") }</th>
                    <th>{ lang.t("År", "Year") }</th>
                    <th class="num">{ lang.t("Grön", "Green") }</th>
                    <th class="num">{ lang.t("Gul", "Yellow") }</th>
                    <th class="num">{ lang.t("Röd", "Red") }</th>
                    <th>{ lang.t("Bedömning", "Verdict") }</th>
                    <th>{ lang.t("Fråga eller åtgärd", "Question or action") }</th>
                </tr></thead>
                <tbody>
                { for a.spec.indicators.iter().filter_map(|ind| {
                    let rows: Vec<_> = a.results.rollup.iter()
                        .filter(|r| r.indicator == ind.id && r.scope == Scope::County && r.level.starts_with("kommun"))
                        .collect();
                    let latest = rows.iter().filter_map(|r| r.period.as_deref()).max();
                    let r = rows.into_iter().find(|r| r.period.as_deref() == latest)?;
                    Some(html! {
                        <tr data-indicator={ind.id.clone()}>
                            <td>{ &ind.name }</td>
                            <td>{ r.period.clone().unwrap_or_default() }</td>
                            <td class="num">{ r.green }</td>
                            <td class="num">{ r.yellow }</td>
                            <td class="num">{ r.red }</td>
                            <td class="verdict">{ r.verdict.swedish() }</td>
                            <td>{ &r.text }</td>
                        </tr>
                    })
                }) }
                </tbody>
            </table>
            { for a.spec.indicators.iter().map(|ind| {
                let table = a.results.tables.iter().filter(is_kommun_year).find(|t| t.indicator == ind.id);
                let county = a.results.tables.iter().filter(is_county_year).find(|t| t.indicator == ind.id);
                let Some(table) = table else { return html! {} };
                let latest = latest_period(table);
                let county_row = county.and_then(|c| c.rows.iter().find(|r| r.period.as_deref() == latest));
                let bars: Vec<Bar> = table.rows.iter().filter(|r| r.period.as_deref() == latest).map(|r| {
                    let mut bar = Bar::from_row(r);
                    let code = r.keys.first().map(String::as_str).unwrap_or_default();
                    bar.label = kommun_name(code).map_or_else(|| code.to_owned(), str::to_owned);
                    bar
                }).collect();
                let benchmark = county_row.and_then(|c| c.value).map(|v| ("Länet", v));
                // The SVG comes from our own core, which escapes every text it writes.
                let chart = Html::from_html_unchecked(AttrValue::from(bar_chart(&ind.name, &ind.unit, &bars, benchmark)));
                html! {
                    <section class="indicator" data-indicator={ind.id.clone()}>
                        <h3>{ &ind.name }{ format!(" ({}, {})", ind.unit, latest.unwrap_or_default()) }</h3>
                        if let Some(c) = county_row {
                            <p class="county">{ format!("{}: {} ({} % KI {})", lang.t("Länet", "The county"),
                                c.value.map(|v| lang.number(v)).unwrap_or_default(), 95, interval(c, lang)) }</p>
                        }
                        <figure class="chart">{ chart }</figure>
                        <table>
                            <thead><tr>
                                <th>{ lang.t("Kommun", "Municipality") }</th>
                                <th class="num">{ lang.t("Värde", "Value") }</th>
                                <th>{ "95 % KI" }</th>
                                <th>{ lang.t("Ljus", "Light") }</th>
                                <th>{ lang.t("Motivering", "Reason") }</th>
                            </tr></thead>
                            <tbody>
                            { for table.rows.iter().filter(|r| r.period.as_deref() == latest).map(|r| {
                                let code = r.keys.first().cloned().unwrap_or_default();
                                let name = kommun_name(&code).unwrap_or_default();
                                html! {
                                    <tr data-unit={code.clone()}>
                                        <td>{ format!("{code} {name}") }</td>
                                        <td class="num">{ r.value.map(|v| lang.number(v)).unwrap_or_default() }</td>
                                        <td>{ interval(r, lang) }</td>
                                        <td class={light_class(r.light)}>{ light_word(r.light, lang) }</td>
                                        <td class="reason">{ r.note.clone().filter(|_| r.value.is_none()).unwrap_or_else(|| r.reason.clone()) }</td>
                                    </tr>
                                }
                            }) }
                            </tbody>
                        </table>
                    </section>
                }
            }) }
        </section>
    }
}
