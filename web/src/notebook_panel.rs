//! Run an example notebook on the sample data and read its report here, or download it: the
//! same file and the same report as `samsyn run`.

use samsyn_core::areas::VASTERBOTTEN_KOMMUNER;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::notebook_run::{run_example, EXAMPLES};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

#[derive(Clone, PartialEq)]
enum Run {
    NotRun,
    Running,
    Done(AttrValue),
    Failed(String),
}

#[function_component(NotebookPanel)]
pub fn notebook_panel(props: &Props) -> Html {
    let lang = props.lang;
    let notebook = use_state(|| EXAMPLES[0].0.to_owned());
    let kommun = use_state(|| "2480".to_owned());
    let run = use_state(|| Run::NotRun);
    let on_notebook = {
        let notebook = notebook.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                notebook.set(s.value());
            }
        })
    };
    let on_kommun = {
        let kommun = kommun.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                kommun.set(s.value());
            }
        })
    };
    let on_run = {
        let (notebook, kommun, run) = (notebook.clone(), kommun.clone(), run.clone());
        Callback::from(move |_: MouseEvent| {
            let (file, params, run) = ((*notebook).clone(), vec![("kommun".to_owned(), (*kommun).clone())], run.clone());
            run.set(Run::Running);
            spawn_local(async move {
                run.set(match run_example(&file, &params).await {
                    Ok(html) => Run::Done(AttrValue::from(html)),
                    Err(message) => Run::Failed(message),
                });
            });
        })
    };
    let download = match &*run {
        Run::Done(html) => Some(format!(
            "data:text/html;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(html))
        )),
        _ => None,
    };
    html! {
        <>
        <section id="notebooks" class="drop">
            <label for="notebook-select">{ lang.t("Anteckningsbok", "Notebook") }</label>
            <select id="notebook-select" onchange={on_notebook}>
                { for EXAMPLES.iter().map(|(file, title)| html! {
                    <option value={*file} selected={*notebook == *file}>{ *title }</option>
                }) }
            </select>
            <label for="notebook-kommun">{ lang.t("Min kommun", "My municipality") }</label>
            <select id="notebook-kommun" onchange={on_kommun}>
                { for VASTERBOTTEN_KOMMUNER.iter().map(|(code, name)| html! {
                    <option value={*code} selected={*kommun == *code}>{ format!("{code} {name}") }</option>
                }) }
            </select>
            <button id="run-notebook" onclick={on_run} disabled={*run == Run::Running}>
                { lang.t("Kör på exempeldata", "Run on the example data") }
            </button>
            if let Some(href) = download {
                <a id="notebook-download" class="button" href={href} download="rapport.html">
                    { lang.t("Ladda ner rapporten (HTML)", "Download the report (HTML)") }
                </a>
            }
            <p class="hint">{ lang.t(
                "En anteckningsbok är receptet, aldrig data: samma fil ger varje kommun sin egen rapport. Samma rapport som samsyn run.",
                "A notebook is the recipe, never the data: the same file gives each municipality its own report. The same report as samsyn run.") }</p>
        </section>
        { match &*run {
            Run::NotRun => html! {},
            Run::Running => html! { <p id="notebook-running">{ lang.t("Kör anteckningsboken …", "Running the notebook …") }</p> },
            // The report is our own core's output (every text escaped, no scripts); the frame
            // is sandboxed all the same.
            Run::Done(html) => html! { <iframe id="notebook-report" title="Rapport" sandbox="" srcdoc={html.clone()} /> },
            Run::Failed(message) => html! { <p id="notebook-error" class="error">{ message }</p> },
        } }
        </>
    }
}
