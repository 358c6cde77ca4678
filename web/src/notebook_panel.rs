//! Notebooks in the app: pick an example or open a notebook file, set its parameters, choose
//! your own file for each input (or use the sample file), run, and read or download the report:
//! the same file and the same report as `samsyn run`.

use std::rc::Rc;

use samsyn_core::areas::VASTERBOTTEN_KOMMUNER;
use samsyn_core::notebook::output::CellOutput;
use samsyn_core::notebook::Notebook;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::autosave::{self, Kept, StorageError};
use crate::edit::new_notebook;
use crate::i18n::{Both, Lang};
use crate::notebook_editor::{editor_view, Outputs};
use crate::notebook_run::{
    example_text, outline, outline_of, sample_file, Outline, RunOutcome, EXAMPLES,
};
use crate::run_state::{Generations, RunAction, RunState, Status as RunStatus};
use crate::workbench::{EditorAction, EditorState, Screen, Workbench, WorkbenchAction};
use crate::worker_client::Engine;

/// How long edits must pause before the results are run again (a word typed, not a letter).
const RERUN_AFTER_MS: i32 = 250;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The file the user opened in the file view above, offered to the notebook's inputs (a
    /// run never takes it, or the bundled sample, without her saying so).
    #[prop_or_default]
    pub opened: Option<crate::app::OpenFile>,
}

/// The notebook's outline, worked out again only when the notebook changes (by pointer: every
/// edit gives a new notebook).
#[derive(Clone)]
struct Current(Rc<Notebook>);

impl PartialEq for Current {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The user's own file for an input (the browser's `File`, handed to the engine's worker).
#[derive(Clone)]
struct OwnFile(String, web_sys::File);

impl PartialEq for OwnFile {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && self.1.size() == other.1.size()
    }
}

/// The workbench's state (`workbench.rs`) with the user's own files.
type Bench = Workbench<OwnFile>;

/// Which request for a notebook is the newest, for the answers that arrive later: an answer
/// to an older one (a slow example fetched after the user started a new notebook) is dropped,
/// never shown over the newer. The workbench records the same number.
#[derive(Clone, Default)]
struct Loads(Rc<std::cell::Cell<u64>>);

impl Loads {
    /// A new request: every earlier one is stale from now on.
    fn next(&self, bench: &UseReducerDispatcher<Bench>) -> u64 {
        let load = self.0.get() + 1;
        self.0.set(load);
        bench.dispatch(WorkbenchAction::Request { load });
        load
    }
    fn is_current(&self, load: u64) -> bool {
        self.0.get() == load
    }
}

/// Where the answer to a request for a notebook goes.
#[derive(Clone)]
struct Answer {
    loads: Loads,
    load: u64,
    bench: UseReducerDispatcher<Bench>,
    editor: UseReducerDispatcher<EditorState>,
}

impl Answer {
    /// Opens the notebook into the editor (restored from storage at `restored`), or says why
    /// not; nothing if a newer request came first.
    fn give(self, name: String, opened: Result<(Notebook, Option<f64>), Both>) {
        if !self.loads.is_current(self.load) {
            return;
        }
        let outcome = opened.map(|(notebook, restored)| {
            self.editor.dispatch(match restored {
                Some(_) => EditorAction::Restore { name, notebook },
                None => EditorAction::Load { name, notebook },
            });
            restored
        });
        self.bench.dispatch(WorkbenchAction::Answer {
            load: self.load,
            outcome,
        });
    }

    /// A notebook's text, opened (an older indicator spec converted) or refused.
    fn text(self, name: String, text: Result<String, Both>) {
        let opened = text.and_then(|t| outline(&t)).map(|(nb, _)| (nb, None));
        self.give(name, opened)
    }
}

/// Fetches the example `file` and opens it into the editor, unless a newer request came first.
fn open_example(answer: Answer, file: String) {
    spawn_local(async move {
        let text = example_text(&file).await;
        answer.text(file, text)
    });
}

#[function_component(NotebookPanel)]
pub fn notebook_panel(props: &Props) -> Html {
    let lang = props.lang;
    let bench = use_reducer(Bench::default);
    let loads = (*use_state(Loads::default)).clone();
    let editor = use_reducer(EditorState::default);
    let current = Current(editor.history.notebook().clone());
    let outlined = use_memo(current.clone(), |c| outline_of(&c.0));
    // Runs go to the engine's worker, each with a generation: only the newest is shown.
    let run_state = use_reducer(RunState::default);
    let generations = (*use_state(Generations::default)).clone();
    let engine = use_mut_ref(|| None::<Engine>);
    let storage_error = use_state(|| None::<StorageError>);
    let recent = use_state(|| autosave::recent().unwrap_or_default());
    // Set by the start screen's one click: run the notebook as soon as it is open.
    let run_when_open = use_mut_ref(|| false);
    // A notebook kept from an earlier visit comes back; else the start screen shows.
    {
        let (bench, editor, loads) = (bench.dispatcher(), editor.dispatcher(), loads.clone());
        let storage_error = storage_error.clone();
        use_effect_with((), move |_| {
            let kept = autosave::kept().unwrap_or_else(|e| {
                storage_error.set(Some(e));
                None
            });
            match kept.and_then(|k| k.open().ok().map(|nb| (k, nb))) {
                Some((k, notebook)) => {
                    let load = loads.next(&bench);
                    let answer = Answer {
                        loads,
                        load,
                        bench,
                        editor,
                    };
                    answer.give(k.name, Ok((notebook, Some(k.saved_at_ms))));
                }
                None => bench.dispatch(WorkbenchAction::ShowStart),
            }
        });
    }
    // Every edit is kept in the browser's storage (the notebook, never data); a notebook
    // saved as a file is no longer offered back.
    {
        let unsaved = editor.history.unsaved();
        let (name, nb) = (editor.name.clone(), current.0.clone());
        let (storage_error, recent) = (storage_error.clone(), recent.clone());
        use_effect_with((current.clone(), unsaved), move |_| {
            let outcome = if unsaved {
                let kept = Kept::of(&name, &nb, autosave::now_ms());
                autosave::keep(&kept).map(|()| recent.set(autosave::recent().unwrap_or_default()))
            } else {
                match autosave::kept() {
                    Ok(Some(k)) if k.name == name && k.notebook == nb.save() => {
                        autosave::forget_current()
                    }
                    Ok(_) => Ok(()),
                    Err(e) => Err(e),
                }
            };
            // Storage switched off is said once, at the start; a refused write every time.
            match outcome {
                Err(e @ StorageError::Refused(_)) => storage_error.set(Some(e)),
                Err(StorageError::Unavailable) => {}
                Ok(()) => {
                    if matches!(*storage_error, Some(StorageError::Refused(_))) {
                        storage_error.set(None)
                    }
                }
            }
        });
    }
    // Leaving the page with unsaved changes asks first.
    {
        let unsaved = editor.history.unsaved();
        use_effect_with(unsaved, move |&unsaved| {
            let listener = unsaved.then(|| {
                let closure = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(
                    |e: web_sys::Event| {
                        e.prevent_default();
                        // Older browsers show the dialog only when `returnValue` is set.
                        let _ = js_sys::Reflect::set(&e, &"returnValue".into(), &"".into());
                    },
                );
                if let Some(w) = web_sys::window() {
                    let _ = w.add_event_listener_with_callback(
                        "beforeunload",
                        closure.as_ref().unchecked_ref(),
                    );
                }
                closure
            });
            move || {
                if let (Some(closure), Some(w)) = (listener, web_sys::window()) {
                    let _ = w.remove_event_listener_with_callback(
                        "beforeunload",
                        closure.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    // A new request for a notebook: the old one's parameters, files and run are forgotten.
    let request = {
        let (bench, editor, loads) = (bench.dispatcher(), editor.dispatcher(), loads.clone());
        let run_state = run_state.dispatcher();
        move || {
            let load = loads.next(&bench);
            run_state.dispatch(RunAction::Reset);
            Answer {
                loads: loads.clone(),
                load,
                bench: bench.clone(),
                editor: editor.clone(),
            }
        }
    };
    let on_example = {
        let request = request.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                open_example(request(), s.value());
            }
        })
    };
    // An example from the start screen, run at once on the sample data when `run` is set.
    let on_start_example = {
        let (request, run_when_open) = (request.clone(), run_when_open.clone());
        Callback::from(move |(file, run): (String, bool)| {
            let answer = request();
            *run_when_open.borrow_mut() = run;
            open_example(answer, file);
        })
    };
    let on_new = {
        let request = request.clone();
        Callback::from(move |_: MouseEvent| {
            request().give("ny".into(), new_notebook().map(|nb| (nb, None)));
        })
    };
    let on_open = {
        let request = request.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
            let answer = request();
            spawn_local(
                async move { answer.text(name, crate::notebook_run::blob_text(&blob).await) },
            );
        })
    };
    let on_recent = {
        let request = request.clone();
        Callback::from(move |k: Kept| {
            let opened = k.open().map(|nb| (nb, Some(k.saved_at_ms)));
            request().give(k.name, opened);
        })
    };
    let set_param = {
        let bench = bench.dispatcher();
        Callback::from(move |(name, value): (String, String)| {
            bench.dispatch(WorkbenchAction::SetParam { name, value })
        })
    };
    let set_file = {
        let bench = bench.dispatcher();
        Callback::from(move |(input, own): (String, OwnFile)| {
            bench.dispatch(WorkbenchAction::SetFile {
                input: input.clone(),
                file: own.clone(),
            });
            // A first look at the file, so that the forms offer its columns and values now.
            let bench = bench.clone();
            spawn_local(async move {
                let blob = gloo::file::Blob::from(web_sys::Blob::from(own.1));
                if let Some(summary) = crate::peek::peek(&input, &own.0, &blob).await {
                    bench.dispatch(WorkbenchAction::Peeked { input, summary });
                }
            });
        })
    };
    let run_now = {
        let (outlined, current, bench) = (outlined.clone(), current.clone(), bench.clone());
        let (run_state, generations, engine) =
            (run_state.dispatcher(), generations.clone(), engine.clone());
        Callback::from(move |()| {
            let Ok(outline) = (*outlined).clone() else {
                return;
            };
            let inputs: Vec<String> = outline.inputs.iter().map(|(n, _)| n.clone()).collect();
            let generation = generations.next();
            let (request, own) = bench.request(
                &current.0,
                &inputs,
                generation,
                &page_base(),
                lang == Lang::En,
            );
            let own: Vec<web_sys::File> = own.into_iter().map(|f| f.1).collect();
            run_state.dispatch(RunAction::Start { generation });
            let mut engine = engine.borrow_mut();
            let engine = engine.get_or_insert_with(|| {
                let run_state = run_state.clone();
                Engine::new(move |action| run_state.dispatch(action))
            });
            if let Err(message) = engine.run(&request, &own) {
                run_state.dispatch(RunAction::Failed {
                    generation,
                    message,
                });
            }
        })
    };
    let on_run = {
        let run_now = run_now.clone();
        Callback::from(move |_: MouseEvent| run_now.emit(()))
    };
    // The start screen's one click: the example runs as soon as it is open.
    {
        let ready = bench.screen == Screen::Open && outlined.is_ok();
        let (run_when_open, run_now) = (run_when_open.clone(), run_now.clone());
        use_effect_with((current.clone(), ready), move |(_, ready)| {
            if *ready && std::mem::take(&mut *run_when_open.borrow_mut()) {
                run_now.emit(());
            }
        });
    }
    // Results on screen follow the notebook: an edit of a cell or a parameter, or a switch of
    // language (cells, charts and report are worded in the run's language), runs again once
    // the edits pause, from the inputs the engine already holds (the cube answers what it can;
    // a newer run supersedes an older one). Nothing runs before the user's first Kör.
    {
        let deps = (current.clone(), bench.params.clone(), lang);
        let last = use_mut_ref(|| deps.clone());
        let pending = use_mut_ref(|| None::<i32>);
        // After a failed run too: the edit may fix it, and its message follows the language.
        let shown =
            run_state.shown.is_some() || matches!(run_state.status, RunStatus::Failed { .. });
        use_effect_with(deps, move |deps| {
            let changed = *last.borrow() != *deps;
            *last.borrow_mut() = deps.clone();
            if changed && shown {
                if let Some(window) = web_sys::window() {
                    if let Some(id) = pending.borrow_mut().take() {
                        window.clear_timeout_with_handle(id);
                    }
                    let run =
                        wasm_bindgen::closure::Closure::once_into_js(move || run_now.emit(()));
                    *pending.borrow_mut() = window
                        .set_timeout_with_callback_and_timeout_and_arguments_0(
                            run.unchecked_ref(),
                            RERUN_AFTER_MS,
                        )
                        .ok();
                }
            }
        });
    }
    let on_cancel = {
        let (run_state, engine) = (run_state.dispatcher(), engine.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(engine) = &*engine.borrow() {
                engine.cancel();
            }
            run_state.dispatch(RunAction::Cancel);
        })
    };
    // The report as the frame's text, once per result, not on every render (each keystroke in
    // the editor renders); downloaded as a `Blob` when asked for, never encoded into a link.
    let report = use_memo(run_state.shown.clone(), |shown| {
        shown
            .as_ref()
            .map(|outcome| AttrValue::from(outcome.html.clone()))
    });
    let on_download = {
        let report = report.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(html) = report.as_ref() {
                if let Err(e) = crate::download::download("rapport.html", "text/html", html) {
                    web_sys::console::error_1(&e.into());
                }
            }
        })
    };
    let on_floor = {
        let bench = bench.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                bench.dispatch(WorkbenchAction::SetFloor(input.value()));
            }
        })
    };
    let on_protection = {
        let bench = bench.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                bench.dispatch(WorkbenchAction::SetProtectionOff(input.checked()));
            }
        })
    };
    // A first result is drawn a few cells a frame, so that drawing a whole notebook's tables
    // and charts (thousands of elements) never holds the page's thread at once; a newer result
    // updates the cells drawn in place and draws the rest the same way.
    let drawn = use_state(|| 0usize);
    // The report's frame (a document of about 1 MB for the sample) is built only while its
    // preview is open: parsing it again after every edit cost more than the edit itself.
    let preview_open = use_state(|| false);
    let on_preview_toggle = {
        let preview_open = preview_open.clone();
        Callback::from(move |e: Event| {
            if let Some(details) = e.target_dyn_into::<web_sys::Element>() {
                preview_open.set(details.has_attribute("open"));
            }
        })
    };
    let total = run_state.shown.as_ref().map_or(0, |o| o.cells.len());
    {
        let drawn = drawn.clone();
        use_effect_with((*drawn, total), move |&(now, total)| {
            if total == 0 && now != 0 {
                drawn.set(0);
            } else if now < total {
                let next = (now + CELLS_PER_FRAME).min(total);
                // Owned by the browser until it runs once: a stale one only draws sooner.
                let step = wasm_bindgen::closure::Closure::once_into_js(move || drawn.set(next));
                if let Some(w) = web_sys::window() {
                    let _ = w.request_animation_frame(step.unchecked_ref());
                }
            }
        });
    }
    let all_drawn = *drawn >= total;
    // The cells' outputs, then the first looks at the inputs' files (found by the forms only;
    // a run's own summary of an input comes first).
    let outputs: Outputs = {
        let mut all: Vec<(String, Rc<CellOutput>)> = match &run_state.shown {
            Some(outcome) => outcome.cells.iter().take(*drawn).cloned().collect(),
            None => Vec::new(),
        };
        all.extend(bench.peeks.iter().cloned());
        Rc::new(all)
    };
    // The heading with the kommun (or other values) chosen, not the defaults'.
    let title = use_memo((current.clone(), bench.params.clone()), |(c, params)| {
        crate::notebook_run::title_with(&c.0, params)
    });
    let title = match (&*title, &*outlined) {
        (Some(t), _) => t.clone(),
        (None, Ok(outline)) => outline.title.clone(),
        (None, Err(_)) => String::new(),
    };
    let example_name = editor.name.clone();
    let open = bench.screen == Screen::Open;
    let runnable = open && outlined.is_ok();
    html! {
        <>
        // The workbench: what the run needs (notebook, parameters, files, protection, Kör) on
        // one side, the notebook's cells with their results beside it (index.html's CSS puts
        // them side by side on a wide screen, one after the other on a narrow one).
        <section id="notebooks" class="drop workbench">
            // One file input for a notebook, named by the start screen's label and the side's.
            <input id="notebook-file" type="file" accept=".json,.samsyn.json,application/json" onchange={on_open} />
            if bench.screen == Screen::Start {
                { start_view(lang, &on_start_example, on_new.clone(), &recent, &on_recent) }
            } else {
            if let (true, Ok(outline)) = (open, &*outlined) {
                { params_view(outline, &bench, lang, &set_param) }
            }
            <div class="workbench-side">
            <label for="notebook-select">{ lang.t("Exempel", "Example") }</label>
            <select id="notebook-select" onchange={on_example}>
                { for EXAMPLES.iter().map(|(file, title)| html! {
                    <option value={*file} selected={example_name == *file}>{ *title }</option>
                }) }
            </select>
            <label class="button" for="notebook-file">{ lang.t("Öppna anteckningsbok …", "Open notebook …") }</label>
            { match &bench.screen {
                Screen::Starting | Screen::Start => html! {},
                Screen::Loading => html! { <p>{ lang.t("Läser anteckningsboken …", "Reading the notebook …") }</p> },
                Screen::Failed(message) => html! { <p id="notebook-error" class="error">{ message.get(lang) }</p> },
                Screen::Open => match &*outlined {
                    Ok(outline) => outline_view(&example_name, outline, &title, &bench.files, props.opened.as_ref(), lang, &set_file),
                    Err(message) => html! {
                        <p id="notebook-problem" class="error" role="alert">{ format!("{} {}",
                            lang.t("Anteckningsboken kan inte köras så här:", "The notebook cannot run like this:"), message.get(lang)) }</p>
                    },
                },
            } }
            if let Some(at) = bench.restored {
                <p id="restored" class="note" role="status">{ format!("{} ({} {}).",
                    lang.t("Återställd från webbläsarens lagring", "Restored from the browser's storage"),
                    lang.t("ändrad", "changed"), autosave::time_text(at)) }</p>
            }
            if let Some(e) = &*storage_error {
                <p id="storage-error" class="error" role="alert">{ e.text(lang) }</p>
            }
            { recent_view(&recent, lang, &on_recent) }
            if !open {
                <button id="new-notebook" onclick={on_new.clone()}>{ lang.t("Ny anteckningsbok", "New notebook") }</button>
            }
            <fieldset id="disclosure-settings">
                <legend>{ lang.t("Röjandeskydd", "Disclosure control") }</legend>
                <label for="disclosure-floor">{ lang.t("Dölj antal under", "Hide counts below") }</label>
                <input id="disclosure-floor" type="number" min="1" step="1" value={bench.floor.to_string()}
                    disabled={bench.protection_off} onchange={on_floor} />
                <p class="hint">{ lang.t(
                    "Gäller allt som visas och exporteras. En anteckningsbok kan höja gränsen, aldrig sänka den.",
                    "Applies to everything shown and exported. A notebook can raise the floor, never lower it.") }</p>
                <label>
                    <input id="disclosure-off" type="checkbox" checked={bench.protection_off} onchange={on_protection} />
                    { lang.t("Stäng av röjandeskyddet (bara för eget bruk)", "Switch disclosure control off (for your own use only)") }
                </label>
                if bench.protection_off {
                    <p id="disclosure-warning" class="error" role="alert">{ lang.t(
                        "Varning: små antal visas. Rapporten märks som ej röjandeskyddad på varje sida och får inte delas.",
                        "Warning: small counts are shown. The report is marked as not protected on every page and must not be shared.") }</p>
                }
            </fieldset>
            // A click while a run goes starts a newer one, which supersedes it.
            <button id="run-notebook" onclick={on_run} disabled={!runnable}>
                { lang.t("Kör", "Run") }
            </button>
            if report.is_some() {
                <button id="notebook-download" onclick={on_download}>
                    { lang.t("Ladda ner rapport (HTML)", "Download the report (HTML)") }
                </button>
            }
            <p class="hint">{ lang.t(
                "En anteckningsbok är receptet, aldrig data: samma fil ger varje kommun sin egen rapport på sina egna filer. Filerna lämnar aldrig webbläsaren.",
                "A notebook is the recipe, never the data: the same file gives each municipality its own report on its own files. The files never leave the browser.") }</p>
            </div>
            <div class="workbench-main">
                if open {
                    { editor_view(&editor, lang, on_new.clone(), &outputs) }
                }
            </div>
            }
        </section>
        { run_status_view(&run_state, lang, on_cancel) }
        // Said once every cell is drawn: from then on the page shows the whole result.
        if let (Some(outcome), true) = (&run_state.shown, all_drawn) {
            // The report is our own core's output (every text escaped, no scripts); the frame is
            // sandboxed all the same.
            <p id="notebook-reads" data-read={outcome.read.len().to_string()} data-reused={outcome.reused.len().to_string()} data-parts={outcome.in_parts.iter().map(|(n, k)| format!("{n}:{k}")).collect::<Vec<_>>().join(",")} data-ms={format!("{:.0}", outcome.ms)}>
                { reads_text(outcome, lang) }
            </p>
            <details id="report-preview" open={*preview_open} ontoggle={on_preview_toggle}>
                <summary>{ lang.t("Visa rapporten som den laddas ner", "Show the report as downloaded") }</summary>
                if *preview_open {
                    <iframe id="notebook-report" title={lang.t("Rapport", "Report")} sandbox="" srcdoc={(*report).clone()} />
                }
            </details>
        }
        </>
    }
}

/// How many more cells' outputs are drawn in each frame of a first result: one kept the
/// longest gap in the page's event loop at 80 ms on the 1 M-row sample (four: 160 ms, all at
/// once: 390 ms; `cargo xtask bench workbench`).
const CELLS_PER_FRAME: usize = 1;

/// The page's address (the engine's worker fetches the sample files under it).
fn page_base() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default()
}

/// The newest run: its progress with a cancel button, or how it ended.
fn run_status_view(state: &RunState, lang: Lang, on_cancel: Callback<MouseEvent>) -> Html {
    match &state.status {
        RunStatus::Idle | RunStatus::Done { .. } => html! {},
        RunStatus::Running {
            generation,
            progress,
        } => {
            let (text, percent) = match progress {
                Some(p) => (p.text(lang), Some(p.percent())),
                None => (
                    lang.t("Startar körningen …", "Starting the run …")
                        .to_owned(),
                    None,
                ),
            };
            html! {
                <section id="run-progress" data-generation={generation.to_string()} aria-busy="true">
                    // Said once by a screen reader; the figures change every 2 MB, so they are
                    // read on request (the bar's label), not announced.
                    <p id="notebook-running" role="status">{ lang.t("Kör anteckningsboken …", "Running the notebook …") }</p>
                    <p id="run-progress-text" aria-live="off">{ text }</p>
                    if let Some(percent) = percent {
                        <progress max="100" value={percent.to_string()} aria-labelledby="run-progress-text" />
                    } else {
                        <progress aria-labelledby="run-progress-text" />
                    }
                    <button id="cancel-run" onclick={on_cancel}>{ lang.t("Avbryt", "Cancel") }</button>
                </section>
            }
        }
        RunStatus::Failed { message, .. } => {
            html! { <p id="notebook-error" class="error">{ message }</p> }
        }
        RunStatus::Cancelled { .. } => html! {
            <p id="notebook-cancelled" role="status">{ lang.t(
                "Körningen avbröts. Inget resultat från den visas; tryck Kör för att köra igen.",
                "The run was cancelled. Nothing from it is shown; press Run to run again.") }</p>
        },
    }
}

/// Which inputs the run read from their files and which it answered from what an earlier run
/// read (an edit the cubes answer reads no file again).
fn reads_text(outcome: &RunOutcome, lang: Lang) -> String {
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("«{n}»"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !outcome.read.is_empty() {
        parts.push(format!(
            "{} {}",
            lang.t("Lästa från fil:", "Read from file:"),
            list(&outcome.read)
        ));
    }
    for (name, n) in &outcome.in_parts {
        parts.push(format!(
            "«{name}» {n} {}",
            lang.t("delar samtidigt", "parts at once")
        ));
    }
    if !outcome.reused.is_empty() {
        parts.push(format!(
            "{} {}",
            lang.t(
                "Besvarade utan att läsa filen igen:",
                "Answered without reading the file again:"
            ),
            list(&outcome.reused)
        ));
    }
    parts.join(" · ")
}

/// The notebook's parameters ("Min kommun", years, …) in a bar above the workbench: what the
/// analyst changes most, first on the page and apart from the inputs.
fn params_view(
    outline: &Outline,
    bench: &Bench,
    lang: Lang,
    set_param: &Callback<(String, String)>,
) -> Html {
    if outline.params.is_empty() {
        return html! {};
    }
    let value_of = |name: &str, default: &str| bench.param(name, default);
    html! {
        <div id="notebook-params" class="param-bar" role="group" aria-label={lang.t("Parametrar", "Parameters")}>
            { for outline.params.iter().map(|(name, label, kind, default)| {
            let current = value_of(name, default);
            let shown = if label.is_empty() { name.clone() } else { label.clone() };
            let (n1, n2, cb1, cb2) = (name.clone(), name.clone(), set_param.clone(), set_param.clone());
            let on_select = Callback::from(move |e: Event| {
                if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() { cb1.emit((n1.clone(), s.value())) }
            });
            let on_text = Callback::from(move |e: Event| {
                if let Some(i) = e.target_dyn_into::<HtmlInputElement>() { cb2.emit((n2.clone(), i.value())) }
            });
            html! {
                <p class="param">
                    <label for={format!("param-{name}")}>{ shown }{ ": " }</label>
                    if kind == "kommun" {
                        <select id={format!("param-{name}")} onchange={on_select}>
                            { for VASTERBOTTEN_KOMMUNER.iter().map(|(code, kn)| html! {
                                <option value={*code} selected={current == *code}>{ format!("{code} {kn}") }</option>
                            }) }
                        </select>
                    } else if kind == "year" {
                        <select id={format!("param-{name}")} onchange={on_select}>
                            { for year_choices(&current).into_iter().map(|y| {
                                let text = if y == "latest" { lang.t("senaste året", "the latest year").to_owned() } else { y.clone() };
                                html! { <option value={y.clone()} selected={current == y}>{ text }</option> }
                            }) }
                        </select>
                    } else {
                        <input id={format!("param-{name}")} type="text" value={current.clone()} onchange={on_text} />
                    }
                </p>
            }
        }) }
        </div>
    }
}

/// How many years back a year parameter offers, counted from this year.
const YEARS_OFFERED: u32 = 15;

/// The choices of a year parameter: the latest year with data, then this year and the
/// [`YEARS_OFFERED`] before it, newest first, and the value in hand if it is none of these.
fn year_choices(current: &str) -> Vec<String> {
    let this_year = js_sys::Date::new_0().get_full_year();
    let mut years: Vec<String> = std::iter::once("latest".to_owned())
        .chain(
            (this_year.saturating_sub(YEARS_OFFERED)..=this_year)
                .rev()
                .map(|y| y.to_string()),
        )
        .collect();
    if !years.iter().any(|y| y == current) {
        years.insert(1, current.to_owned());
    }
    years
}

fn outline_view(
    name: &str,
    outline: &Outline,
    title: &str,
    files: &[(String, OwnFile)],
    opened: Option<&crate::app::OpenFile>,
    lang: Lang,
    set_file: &Callback<(String, OwnFile)>,
) -> Html {
    // The file opened above, as a `File` for the engine's worker (a file the user chose is
    // one already; the fetched sample is wrapped, without copying its bytes).
    let opened: Option<OwnFile> = opened.and_then(|o| {
        let blob: &web_sys::Blob = o.blob.as_ref().as_ref();
        let file = match blob.clone().dyn_into::<web_sys::File>() {
            Ok(f) => Some(f),
            Err(b) => web_sys::File::new_with_blob_sequence(&js_sys::Array::of1(&b), &o.name).ok(),
        };
        file.map(|f| OwnFile(o.name.clone(), f))
    });
    html! {
        <div id="notebook-outline" data-notebook={name.to_owned()}>
            <p id="outline-title"><strong>{ title.to_owned() }</strong></p>
            if !outline.inputs.is_empty() {
                <h3 id="inputs-heading">{ lang.t("Indata", "Inputs") }</h3>
            }
            { for outline.inputs.iter().map(|(name, expects)| {
                let chosen = files.iter().find(|(n, _)| n == name).map(|(_, f)| f.0.clone());
                let fallback = sample_file(name).map(|s| format!("{} {s}", lang.t("exempelfilen", "the sample file")));
                let shown = chosen.clone().or(fallback).unwrap_or_else(|| lang.t("välj en fil", "choose a file").to_owned());
                let (input, cb) = (name.clone(), set_file.clone());
                let onchange = Callback::from(move |e: Event| {
                    let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
                    if let Some(f) = i.files().and_then(|f| f.get(0)) {
                        let file_name = f.name();
                        cb.emit((input.clone(), OwnFile(file_name, f)));
                    }
                });
                html! {
                    <p class="input" data-input={name.clone()}>
                        <strong>{ format!("«{name}»") }</strong>{ format!(" {expects} ") }
                        <label class="button" for={format!("data-{name}")}>{ lang.t("Välj fil …", "Choose file …") }</label>
                        <input id={format!("data-{name}")} type="file" accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.ods,.px" {onchange} />
                        <span class="chosen">{ format!("→ {shown}") }</span>
                        { for opened.clone().filter(|o| chosen.as_deref() != Some(o.0.as_str())).map(|own| {
                            let (input, cb) = (name.clone(), set_file.clone());
                            let label = format!("{} «{}»", lang.t("Använd den öppnade filen", "Use the opened file"), own.0);
                            html! {
                                <button id={format!("use-opened-{name}")} class="link"
                                    onclick={Callback::from(move |_: MouseEvent| cb.emit((input.clone(), own.clone())))}>{ label }</button>
                            }
                        }) }
                    </p>
                }
            }) }
        </div>
    }
}

/// The start screen: three ways in (the example on the sample data in one click, a notebook
/// file, a new empty notebook), the other examples, and the notebooks kept from earlier visits.
fn start_view(
    lang: Lang,
    on_example: &Callback<(String, bool)>,
    on_new: Callback<MouseEvent>,
    recent: &[Kept],
    on_recent: &Callback<Kept>,
) -> Html {
    let (first, first_title) = EXAMPLES[0];
    let example = |file: &'static str, run: bool| {
        let cb = on_example.clone();
        Callback::from(move |_: MouseEvent| cb.emit((file.to_owned(), run)))
    };
    html! {
        <div id="start" class="start">
            <h3 id="start-heading">{ lang.t("Kom igång", "Get started") }</h3>
            <ul class="ways" aria-labelledby="start-heading">
                <li>
                    <button id="start-sample" class="primary" onclick={example(first, true)}>
                        { lang.t("Visa exemplet på exempeldata", "Show the example on sample data") }
                    </button>
                    <p class="hint">{ format!("«{first_title}» {}", lang.t(
                        "körs direkt på Samsyns påhittade exempelfiler (inga riktiga personer), med tabeller, diagram och trafikljus.",
                        "runs at once on Samsyn's made-up sample files (no real people), with tables, charts and lights.")) }</p>
                </li>
                <li>
                    <label id="start-open" class="button" for="notebook-file">
                        { lang.t("Öppna en anteckningsbok …", "Open a notebook …") }
                    </label>
                    <p class="hint">{ lang.t(
                        "En .samsyn.json-fil, till exempel från en annan kommun: receptet, aldrig data. Dina egna filer väljer du sedan.",
                        "A .samsyn.json file, for instance from another municipality: the recipe, never data. You then choose your own files.") }</p>
                </li>
                <li>
                    <button id="start-new" onclick={on_new}>{ lang.t("Ny tom anteckningsbok", "New empty notebook") }</button>
                    <p class="hint">{ lang.t(
                        "Bygg en egen analys med formulär: datacell, indikatorer, tabeller och diagram, utan kod.",
                        "Build your own analysis by forms: data cell, indicators, tables and charts, without code.") }</p>
                </li>
            </ul>
            <h4>{ lang.t("Fler exempel (öppnas utan att köras)", "More examples (opened without running)") }</h4>
            <ul class="examples">
                { for EXAMPLES.iter().map(|&(file, title)| html! {
                    <li><button class="link start-example" data-notebook={file} onclick={example(file, false)}>{ title }</button></li>
                }) }
            </ul>
            { recent_view(recent, lang, on_recent) }
        </div>
    }
}

/// The recent notebooks kept in the browser's storage, newest first, each reopened by a click.
fn recent_view(recent: &[Kept], lang: Lang, on_recent: &Callback<Kept>) -> Html {
    if recent.is_empty() {
        return html! {};
    }
    html! {
        <details id="recent">
            <summary>{ lang.t("Senaste anteckningsböcker", "Recent notebooks") }</summary>
            <ul>
                { for recent.iter().map(|k| {
                    let (cb, kept) = (on_recent.clone(), k.clone());
                    let title = if k.title.is_empty() { k.name.clone() } else { k.title.clone() };
                    html! {
                        <li>
                            <button class="link recent" data-name={k.name.clone()} onclick={Callback::from(move |_| cb.emit(kept.clone()))}>
                                { title }
                            </button>
                            <span class="hint">{ format!(" {}", autosave::time_text(k.saved_at_ms)) }</span>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}
