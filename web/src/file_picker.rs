//! Opening a file: a button, drag-and-drop, and the bundled example one click away.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// A file was chosen: its name and contents.
    pub on_file: Callback<(String, gloo::file::Blob)>,
    /// The example file was asked for.
    pub on_sample: Callback<()>,
    pub disabled: bool,
}

fn first_file(files: Option<web_sys::FileList>) -> Option<(String, gloo::file::Blob)> {
    let file = files?.get(0)?;
    let name = file.name();
    let blob: web_sys::Blob = file.into();
    Some((name, gloo::file::Blob::from(blob)))
}

#[function_component(FilePicker)]
pub fn file_picker(props: &Props) -> Html {
    let dragging = use_state(|| false);
    let lang = props.lang;
    let onchange = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
            if let Some(input) = input {
                if let Some(file) = first_file(input.files()) {
                    on_file.emit(file);
                }
                // Choosing the same file again must read it again.
                input.set_value("");
            }
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (dragging, on_file) = (dragging.clone(), props.on_file.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = first_file(e.data_transfer().and_then(|d| d.files())) {
                on_file.emit(file);
            }
        })
    };
    let on_sample = {
        let on_sample = props.on_sample.clone();
        Callback::from(move |_: MouseEvent| on_sample.emit(()))
    };
    let class = classes!("drop", (*dragging).then_some("dragging"));
    html! {
        <section id="drop" {class} {ondragover} {ondragleave} {ondrop}>
            <label class="button" for="file">{ lang.t("Öppna fil …", "Open file …") }</label>
            <input id="file" type="file" accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.ods,.px,text/csv,text/plain" {onchange} disabled={props.disabled} />
            <button id="open-sample" onclick={on_sample} disabled={props.disabled}>
                { lang.t("Öppna exempeldata (syntetisk)", "Open example data (synthetic)") }
            </button>
            <p class="hint">{ lang.t("… eller släpp en fil här (CSV, Excel, PX).", "… or drop a file here (CSV, Excel, PX).") }</p>
        </section>
    }
}
