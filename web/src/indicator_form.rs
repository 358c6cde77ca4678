//! The form of an indicator cell: add and remove indicators; per indicator its name, measure,
//! multiplier, polarity, the source, sum and conditions of numerator and denominator, the
//! ages, and the light rule with its settings and threshold. Columns and values are offered
//! from the file the last run read for the source (its columns, and the distinct values of the
//! columns the conditions test); before a run they are typed. Every change is an [`Edit`].

use samsyn_core::classify::traffic_light::CiLevels;
use samsyn_core::indicators::definition::{
    Against, CondValue, Indicator, LightRule, Measure, MeasureType, Op,
};
use samsyn_core::notebook::format::IndicatorsCell;
use samsyn_core::notebook::Notebook;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::edit::{polarity_label, polarity_name, Edit, IndicatorEdit, LightMethod, POLARITIES};
use crate::edit_indicator::{op_name, OPS};
use crate::i18n::Lang;
use crate::notebook_editor::{input_summary, on_click, refusal_for, EditorAction, Form, Outputs};

fn cond_text(v: &CondValue) -> String {
    match v {
        CondValue::Number(n) => n.to_string(),
        CondValue::Text(t) => t.clone(),
        CondValue::List(l) => l.join(", "),
    }
}

fn op_words(op: Op, lang: Lang) -> &'static str {
    match op {
        Op::Eq => lang.t("= är", "= is"),
        Op::Ne => lang.t("≠ är inte", "≠ is not"),
        Op::Lt => "<",
        Op::Le => "≤",
        Op::Gt => ">",
        Op::Ge => "≥",
        Op::In => lang.t("är en av", "is one of"),
    }
}

fn number_text(v: f64) -> String {
    v.to_string()
}

/// An indicator cell: its indicators' forms and a button to add one.
pub(crate) fn indicators_form(
    form: &Form<'_>,
    nb: &Notebook,
    ic: &IndicatorsCell,
    outputs: &Outputs,
) -> Html {
    let (state, lang) = (form.state, form.lang);
    let d = state.dispatcher();
    let add = format!("add-indicator-{}", ic.id);
    html! {
        <div class="indicators-cell">
            { for ic.indicators.iter().map(|ind| indicator_form(form, nb, &ic.id, ind, outputs)) }
            <button id={add.clone()} onclick={on_click(&d, add.clone(), Edit::AddIndicator { cell: ic.id.clone() })}>
                { lang.t("+ Indikator", "+ Indicator") }</button>
            { refusal_for(state, &add, lang) }
        </div>
    }
}

/// Makes the edits of one indicator.
#[derive(Clone)]
struct Target {
    cell: String,
    indicator: String,
}

impl Target {
    fn edit(&self, edit: IndicatorEdit) -> Edit {
        Edit::Indicator {
            cell: self.cell.clone(),
            indicator: self.indicator.clone(),
            edit,
        }
    }

    fn on(
        &self,
        make: impl Fn(String) -> Option<IndicatorEdit> + 'static,
    ) -> impl Fn(String) -> Option<Edit> {
        let t = self.clone();
        move |v| make(v).map(|e| t.edit(e))
    }
}

fn indicator_form(
    form: &Form<'_>,
    nb: &Notebook,
    cell: &str,
    ind: &Indicator,
    outputs: &Outputs,
) -> Html {
    let (state, lang) = (form.state, form.lang);
    let d = state.dispatcher();
    let key = format!("{cell}-{}", ind.id);
    let f = |what: &str| format!("{what}-{key}");
    let t = Target {
        cell: cell.to_owned(),
        indicator: ind.id.clone(),
    };
    let (c, i) = (cell.to_owned(), ind.id.clone());
    let measures: Vec<(String, String)> = MeasureType::ALL
        .iter()
        .map(|m| {
            let w = if lang == Lang::Sv {
                m.swedish()
            } else {
                m.english()
            };
            (m.name().to_owned(), w.to_owned())
        })
        .collect();
    let on_measure = move |v: String| {
        MeasureType::parse(&v).ok().map(|measure| Edit::SetMeasure {
            cell: c.clone(),
            indicator: i.clone(),
            measure,
        })
    };
    let (c, i) = (cell.to_owned(), ind.id.clone());
    let on_multiplier = move |text| {
        Some(Edit::SetMultiplier {
            cell: c.clone(),
            indicator: i.clone(),
            text,
        })
    };
    let (c, i) = (cell.to_owned(), ind.id.clone());
    let polarities: Vec<(String, String)> = POLARITIES
        .iter()
        .map(|p| {
            (
                polarity_name(*p).to_owned(),
                polarity_label(*p, lang).to_owned(),
            )
        })
        .collect();
    let on_polarity = move |v: String| {
        POLARITIES
            .iter()
            .find(|p| polarity_name(**p) == v)
            .map(|p| Edit::SetPolarity {
                cell: c.clone(),
                indicator: i.clone(),
                polarity: *p,
            })
    };
    let multiplier = ind.multiplier.map(number_text).unwrap_or_default();
    let remove = f("remove-indicator");
    let (min, max) = (
        ind.ages.min.map(|a| a.to_string()).unwrap_or_default(),
        ind.ages.max.map(|a| a.to_string()).unwrap_or_default(),
    );
    let (max_now, min_now) = (max.clone(), min.clone());
    let min_cases = ind.min_cases.map(number_text).unwrap_or_default();
    html! {
        <fieldset class="indicator-form form-grid" data-indicator={ind.id.clone()}>
            <legend>{ format!("{} ({})", ind.name, ind.id) }</legend>
            { form.text(&f("indicator-name"), lang.t("Namn", "Name"), &ind.name, true,
                t.on(|v| Some(IndicatorEdit::SetName(v)))) }
            { form.select(&f("measure"), lang.t("Mått", "Measure"), &measures, ind.measure.name(), on_measure) }
            { form.text(&f("multiplier"), lang.t("Per hur många (tomt: standard)", "Per how many (empty: default)"),
                &multiplier, false, on_multiplier) }
            { form.select(&f("polarity"), lang.t("Riktning", "Polarity"), &polarities, polarity_name(ind.polarity), on_polarity) }
            { side_form(form, nb, &t, &key, Some(&ind.numerator), false, outputs) }
            { side_form(form, nb, &t, &key, ind.denominator.as_ref(), true, outputs) }
            { form.text(&f("ages-min"), lang.t("Ålder från (tomt: alla)", "Ages from (empty: all)"), &min, false,
                t.on(move |min| Some(IndicatorEdit::SetAges { min, max: max_now.clone() }))) }
            { form.text(&f("ages-max"), lang.t("Ålder till och med (tomt: och äldre)", "Ages up to (empty: and older)"), &max, false,
                t.on(move |max| Some(IndicatorEdit::SetAges { min: min_now.clone(), max }))) }
            { light_form(form, &t, &key, ind) }
            { form.text(&f("min-cases"), lang.t("Minsta antal fall för ett ljus (tomt: 5)", "Fewest cases for a light (empty: 5)"),
                &min_cases, false, t.on(|v| Some(IndicatorEdit::SetMinCases(v)))) }
            <button id={remove.clone()} class="remove" onclick={on_click(&d, remove.clone(), Edit::RemoveIndicator { cell: cell.to_owned(), indicator: ind.id.clone() })}>
                { format!("{} «{}»", lang.t("Ta bort indikatorn", "Remove the indicator"), ind.id) }</button>
            { refusal_for(state, &remove, lang) }
        </fieldset>
    }
}

/// The value of the element `id` (a select or an input), read when a button is pressed.
fn element_value(id: &str) -> Option<String> {
    let element = web_sys::window()?.document()?.get_element_by_id(id)?;
    if let Some(s) = element.dyn_ref::<HtmlSelectElement>() {
        return Some(s.value());
    }
    element.dyn_ref::<HtmlInputElement>().map(|i| i.value())
}

/// The source, sum and conditions of the numerator or the denominator.
fn side_form(
    form: &Form<'_>,
    nb: &Notebook,
    t: &Target,
    key: &str,
    side: Option<&Measure>,
    denominator: bool,
    outputs: &Outputs,
) -> Html {
    let (state, lang) = (form.state, form.lang);
    let d = state.dispatcher();
    let name = if denominator {
        "denominator"
    } else {
        "numerator"
    };
    let f = |what: &str| format!("{what}-{key}-{name}");
    let mut sources: Vec<(String, String)> = if denominator {
        vec![(
            String::new(),
            lang.t("ingen nämnare", "no denominator").to_owned(),
        )]
    } else {
        Vec::new()
    };
    sources.extend(
        nb.data_cells()
            .keys()
            .map(|k| (k.to_string(), k.to_string())),
    );
    let source = side.map(|m| m.source.as_str()).unwrap_or("");
    let summary = input_summary(outputs, source);
    let columns = summary.map(|s| s.columns.as_slice());
    let legend = if denominator {
        lang.t("Nämnare", "Denominator")
    } else {
        lang.t("Täljare", "Numerator")
    };
    let add_field = f("add-condition");
    let new_field = f("new-condition");
    let add = {
        let (d, t, new_field, add_field) =
            (d.clone(), t.clone(), new_field.clone(), add_field.clone());
        Callback::from(move |_: MouseEvent| {
            let column = element_value(&new_field).unwrap_or_default();
            d.dispatch(EditorAction::Apply {
                field: add_field.clone(),
                text: String::new(),
                edit: t.edit(IndicatorEdit::AddCondition {
                    denominator,
                    column,
                }),
            });
        })
    };
    html! {
        <fieldset class="side form-grid" data-side={name}>
            <legend>{ legend }</legend>
            { form.select(&f("source"), lang.t("Källa (indata)", "Source (input)"), &sources, source,
                t.on(move |source| Some(IndicatorEdit::SetSource { denominator, source }))) }
            if let Some(m) = side {
                { form.column(&f("sum"), lang.t("Summera kolumnen (tomt: räkna rader)", "Sum the column (empty: count rows)"),
                    columns, m.sum.as_deref().unwrap_or(""), Some(lang.t("räkna rader", "count rows")),
                    t.on(move |column| Some(IndicatorEdit::SetSum { denominator, column }))) }
                { for m.conditions.iter().enumerate().map(|(at, cond)| {
                    let field = format!("condition-{key}-{name}-{at}");
                    let values: Vec<String> = summary
                        .and_then(|s| s.values.iter().find(|(c, _)| *c == cond.column))
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    let list = format!("{field}-values");
                    let remove = format!("{field}-remove");
                    let ops: Vec<(String, String)> = OPS.iter().map(|(o, n)| (n.to_string(), op_words(*o, lang).to_owned())).collect();
                    let on_value = {
                        let (d, t, field) = (d.clone(), t.clone(), field.clone());
                        Callback::from(move |e: Event| {
                            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                                d.dispatch(EditorAction::Apply {
                                    field: field.clone(),
                                    text: i.value(),
                                    edit: Edit::SetConditionValue {
                                        cell: t.cell.clone(), indicator: t.indicator.clone(), denominator, at, value: i.value(),
                                    },
                                });
                            }
                        })
                    };
                    html! {
                        <div class="condition form-grid" data-condition={at.to_string()}>
                            { form.column(&format!("{field}-column"),
                                &format!("{} {} {}", lang.t("Villkor", "Condition"), at + 1, lang.t("kolumn", "column")),
                                columns, &cond.column, None,
                                t.on(move |column| Some(IndicatorEdit::SetConditionColumn { denominator, at, column }))) }
                            { form.select(&format!("{field}-op"), lang.t("jämförelse", "comparison"), &ops, op_name(cond.op),
                                t.on(move |v| OPS.iter().find(|(_, n)| *n == v).map(|(op, _)| IndicatorEdit::SetConditionOp { denominator, at, op: *op }))) }
                            <label for={field.clone()}>{ format!("{} ({}: {})", lang.t("värde", "value"), cond.column,
                                if cond.op == Op::In { lang.t("komma emellan", "comma-separated") } else { lang.t("ett värde", "one value") }) }</label>
                            <input id={field.clone()} type="text" list={(!values.is_empty()).then(|| list.clone())}
                                value={crate::notebook_editor::shown_text(state, &field, &cond_text(&cond.value))}
                                aria-invalid={crate::notebook_editor::invalid(state, &field)}
                                aria-describedby={crate::notebook_editor::described_by(state, &field)} onchange={on_value} />
                            if !values.is_empty() {
                                <datalist id={list}>{ for values.iter().map(|v| html! { <option value={v.clone()} /> }) }</datalist>
                            }
                            { refusal_for(state, &field, lang) }
                            <button id={remove.clone()} class="remove"
                                onclick={on_click(&d, remove.clone(), t.edit(IndicatorEdit::RemoveCondition { denominator, at }))}>
                                { format!("{} {}", lang.t("Ta bort villkor", "Remove condition"), at + 1) }</button>
                        </div>
                    }
                }) }
                <div class="add-condition">
                    { match columns {
                        Some(cols) => html! {
                            <>
                            <label for={new_field.clone()}>{ lang.t("Nytt villkor på kolumnen", "New condition on the column") }</label>
                            <select id={new_field.clone()}>
                                { for cols.iter().map(|c| html! { <option value={c.clone()}>{ c.clone() }</option> }) }
                            </select>
                            </>
                        },
                        None => html! {
                            <>
                            <label for={new_field.clone()}>{ lang.t("Nytt villkor på kolumnen", "New condition on the column") }</label>
                            <input id={new_field.clone()} type="text" />
                            </>
                        },
                    } }
                    <button id={add_field.clone()} onclick={add}>{ lang.t("+ Villkor", "+ Condition") }</button>
                    { refusal_for(state, &add_field, lang) }
                </div>
            }
        </fieldset>
    }
}

/// The light rule: its method and that method's settings.
fn light_form(form: &Form<'_>, t: &Target, key: &str, ind: &Indicator) -> Html {
    let lang = form.lang;
    let f = |what: &str| format!("{what}-{key}");
    let methods: Vec<(String, String)> = LightMethod::ALL
        .iter()
        .map(|m| (m.name().to_owned(), m.label(lang).to_owned()))
        .collect();
    let settings = match &ind.light {
        LightRule::None => html! {},
        LightRule::Target { green, red } => {
            let (g, r) = (number_text(*green), number_text(*red));
            let (g2, r2) = (g.clone(), r.clone());
            html! {
                <>
                { form.text(&f("target-green"), lang.t("Grönt från", "Green from"), &g, false,
                    t.on(move |green| Some(IndicatorEdit::SetTarget { green, red: r2.clone() }))) }
                { form.text(&f("target-red"), lang.t("Rött från", "Red from"), &r, false,
                    t.on(move |red| Some(IndicatorEdit::SetTarget { green: g2.clone(), red }))) }
                </>
            }
        }
        LightRule::Benchmark {
            against,
            levels,
            name,
        } => {
            let level = match levels {
                CiLevels::One95 => "95",
                CiLevels::One998 => "99.8",
                CiLevels::Two => "both",
            };
            let level_options = vec![
                ("95".to_owned(), lang.t("95 % KI", "95% CI").to_owned()),
                (
                    "99.8".to_owned(),
                    lang.t("99,8 % KI", "99.8% CI").to_owned(),
                ),
                (
                    "both".to_owned(),
                    lang.t("95 % och 99,8 % KI", "95% and 99.8% CI").to_owned(),
                ),
            ];
            let name = name.clone().unwrap_or_default();
            let chosen = match against {
                Against::County => "county".to_owned(),
                Against::Previous => "previous".to_owned(),
                Against::Value(_) => "value".to_owned(),
            };
            let typed = match against {
                Against::Value(v) => number_text(*v),
                _ => String::new(),
            };
            let options = vec![
                (
                    "county".to_owned(),
                    lang.t("länet", "the county").to_owned(),
                ),
                (
                    "previous".to_owned(),
                    lang.t("föregående period", "the previous period")
                        .to_owned(),
                ),
                (
                    "value".to_owned(),
                    lang.t("ett värde (t.ex. riket)", "a value (e.g. national)")
                        .to_owned(),
                ),
            ];
            let current = if typed.is_empty() {
                "0".to_owned()
            } else {
                typed.clone()
            };
            html! {
                <>
                { form.select(&f("benchmark"), lang.t("Jämför med", "Compare with"), &options, &chosen,
                    t.on(move |v| Some(IndicatorEdit::SetBenchmark(if v == "value" { current.clone() } else { v })))) }
                if matches!(against, Against::Value(_)) {
                    { form.text(&f("benchmark-value"), lang.t("Jämförelsevärde", "Benchmark value"), &typed, false,
                        t.on(|v| Some(IndicatorEdit::SetBenchmark(v)))) }
                }
                { form.select(&f("benchmark-levels"), lang.t("Konfidensintervall", "Confidence interval"), &level_options, level,
                    t.on(|v| Some(IndicatorEdit::SetBenchmarkLevels(v)))) }
                { form.text(&f("benchmark-name"), lang.t("Jämförelsens namn (tomt: standard)", "The benchmark's name (empty: the default)"), &name, false,
                    t.on(|v| Some(IndicatorEdit::SetBenchmarkName(v)))) }
                </>
            }
        }
        LightRule::Quantiles {
            green_share,
            red_share,
        } => {
            let (g, r) = (number_text(*green_share), number_text(*red_share));
            let (g2, r2) = (g.clone(), r.clone());
            html! {
                <>
                { form.text(&f("quantile-green"), lang.t("Andel gröna (bästa)", "Share green (best)"), &g, false,
                    t.on(move |green| Some(IndicatorEdit::SetQuantiles { green, red: r2.clone() }))) }
                { form.text(&f("quantile-red"), lang.t("Andel röda (sämsta)", "Share red (worst)"), &r, false,
                    t.on(move |red| Some(IndicatorEdit::SetQuantiles { green: g2.clone(), red }))) }
                </>
            }
        }
        LightRule::Trend { periods } => html! {
            { form.text(&f("trend-periods"), lang.t("Antal perioder (minst 3)", "Periods (at least 3)"), &periods.to_string(), false,
                t.on(|v| Some(IndicatorEdit::SetTrendPeriods(v)))) }
        },
    };
    html! {
        <>
        { form.select(&f("light"), lang.t("Ljus", "Light"), &methods, LightMethod::of(&ind.light).name(),
            t.on(|v| LightMethod::parse(&v).map(IndicatorEdit::SetLightMethod))) }
        { settings }
        </>
    }
}
