//! The app: state as a reducer over [`Action`], a file picker, and the report of the last file.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use samsyn_core::table::roles::{Role, RoleChoices};
use samsyn_core::Error;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::file_picker::FilePicker;
use crate::file_report::{FileReport, Shared};
use crate::i18n::{Both, Lang};
use crate::notebook_panel::NotebookPanel;
use crate::read_file::{read_blob, FileView, Progress, Timing};

/// Where the bundled example file is served from (same origin; nothing remote).
pub const SAMPLE_URL: &str = "sample-data/events.csv";
pub const SAMPLE_NAME: &str = "events.csv";

/// The file the user opened: kept (as the browser's reference, not its bytes) so that it can be
/// read again when the user changes a column's role.
#[derive(Clone)]
pub struct OpenFile {
    pub name: String,
    pub blob: Rc<gloo::file::Blob>,
}

impl PartialEq for OpenFile {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.blob, &other.blob)
    }
}

impl fmt::Debug for OpenFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OpenFile({})", self.name)
    }
}

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Status {
    #[default]
    Idle,
    Reading {
        name: String,
        progress: Progress,
    },
    Done {
        name: String,
        view: Shared<FileView>,
        timing: Timing,
    },
    Failed {
        name: String,
        /// In both languages: a switch of language re-words it.
        message: Both,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    pub lang: Lang,
    pub status: Status,
    pub file: Option<OpenFile>,
    /// The user's choices of column roles for the open file.
    pub roles: RoleChoices,
}

pub enum Action {
    SwitchLang,
    /// A new file: forget the roles chosen for the previous one.
    Open(OpenFile),
    SetRole {
        column: String,
        role: Option<Role>,
    },
    Start {
        name: String,
        bytes_total: u64,
    },
    Progress(Progress),
    Done {
        name: String,
        /// Shared already: the view is large and moves into the state as is.
        view: Rc<FileView>,
        timing: Timing,
    },
    Failed {
        name: String,
        message: Both,
    },
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SwitchLang => next.lang = next.lang.other(),
            Action::Open(file) => {
                next.file = Some(file);
                next.roles = RoleChoices::default();
            }
            Action::SetRole { column, role } => next.roles.set(&column, role),
            Action::Start { name, bytes_total } => {
                next.status = Status::Reading {
                    name,
                    progress: Progress {
                        bytes_total,
                        ..Progress::default()
                    },
                }
            }
            Action::Progress(p) => {
                if let Status::Reading { progress, .. } = &mut next.status {
                    *progress = p;
                }
            }
            Action::Done { name, view, timing } => {
                next.status = Status::Done {
                    name,
                    view: Shared(view),
                    timing,
                }
            }
            Action::Failed { name, message } => next.status = Status::Failed { name, message },
        }
        Rc::new(next)
    }
}

/// Reads `file` with `roles` into the state, with progress.
fn start_read(
    state: UseReducerDispatcher<State>,
    cancel: Rc<Cell<bool>>,
    file: OpenFile,
    roles: RoleChoices,
) {
    cancel.set(false);
    let OpenFile { name, blob } = file;
    state.dispatch(Action::Start {
        name: name.clone(),
        bytes_total: blob.size(),
    });
    let started = Timing::now_ms();
    spawn_local(async move {
        let progress = {
            let state = state.clone();
            move |p: Progress| state.dispatch(Action::Progress(p))
        };
        match read_blob(&name, &blob, &roles, &progress, cancel).await {
            Ok(view) => {
                let timing = Timing::since(started, view.inspection.stats.bytes);
                state.dispatch(Action::Done {
                    name,
                    view: Rc::new(view),
                    timing,
                })
            }
            Err(e) => state.dispatch(Action::Failed {
                name,
                message: error_text(&e),
            }),
        }
    });
}

/// Opens a new file: remembers it and reads it with the suggested roles.
fn open(
    state: UseReducerDispatcher<State>,
    cancel: Rc<Cell<bool>>,
    name: String,
    blob: gloo::file::Blob,
) {
    let file = OpenFile {
        name,
        blob: Rc::new(blob),
    };
    state.dispatch(Action::Open(file.clone()));
    start_read(state, cancel, file, RoleChoices::default());
}

fn error_text(e: &Error) -> Both {
    match e {
        Error::Cancelled => Both::new("Inläsningen avbröts.", "Reading was cancelled."),
        e => Both::of(e),
    }
}

/// Fetches the bundled example file from the page's own origin (or its inline copy).
async fn sample_blob() -> Result<gloo::file::Blob, String> {
    crate::notebook_run::fetch(SAMPLE_URL).await
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    let cancel = use_mut_ref(|| Rc::new(Cell::new(false)));
    let lang = state.lang;
    // Errors from core on the page's thread (the file view) are worded in its language.
    crate::i18n::set_message_lang(lang);

    let on_file = {
        let (dispatcher, cancel) = (state.dispatcher(), cancel.borrow().clone());
        Callback::from(move |(name, blob): (String, gloo::file::Blob)| {
            open(dispatcher.clone(), cancel.clone(), name, blob)
        })
    };
    let on_sample = {
        let (dispatcher, cancel) = (state.dispatcher(), cancel.borrow().clone());
        Callback::from(move |_| {
            let (dispatcher, cancel) = (dispatcher.clone(), cancel.clone());
            spawn_local(async move {
                match sample_blob().await {
                    Ok(blob) => open(dispatcher, cancel, SAMPLE_NAME.to_owned(), blob),
                    Err(e) => dispatcher.dispatch(Action::Failed {
                        name: SAMPLE_NAME.to_owned(),
                        message: Both::new(
                            format!("exempelfilen kunde inte hämtas från sidans egen adress ({e})"),
                            format!("the sample file could not be fetched from the page's own address ({e})"),
                        ),
                    }),
                }
            })
        })
    };
    let on_role = {
        let (state, cancel) = (state.clone(), cancel.borrow().clone());
        Callback::from(move |(column, role): (String, Option<Role>)| {
            let Some(file) = state.file.clone() else {
                return;
            };
            let mut roles = state.roles.clone();
            roles.set(&column, role);
            state.dispatch(Action::SetRole { column, role });
            start_read(state.dispatcher(), cancel.clone(), file, roles);
        })
    };
    let on_cancel = {
        let cancel = cancel.borrow().clone();
        Callback::from(move |_| cancel.set(true))
    };
    let switch_lang = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_| dispatcher.dispatch(Action::SwitchLang))
    };
    let reading = matches!(state.status, Status::Reading { .. });
    // The page's own `lang` follows the language it speaks, for screen readers' voices,
    // hyphenation and spelling (WCAG 3.1.1); index.html starts in Swedish.
    use_effect_with(lang, |&lang| {
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(root) = element {
            let _ = root.set_attribute("lang", lang.t("sv", "en"));
        }
    });

    html! {
        <>
        <header>
            <h1>{ "Samsyn" }</h1>
            <p class="tagline">{ lang.t("Gemensam uppföljning av god och nära vård", "Joint follow-up of good and close care") }</p>
            <button id="lang" class="link" onclick={switch_lang}>{ lang.t("In English", "På svenska") }</button>
        </header>
        <main>
            <p class="privacy">{ lang.t(
                "Dina filer läses här i webbläsaren. Inget skickas någonstans.",
                "Your files are read here, in the browser. Nothing is sent anywhere.") }</p>
            // The notebooks first (the start screen's three ways in), then a look at any file.
            <h2>{ lang.t("Anteckningsböcker", "Notebooks") }</h2>
            <NotebookPanel {lang} opened={state.file.clone()} />
            <h2>{ lang.t("Granska en fil", "Look at a file") }</h2>
            <p class="hint">{ lang.t(
                "Se vad en fil innehåller innan en analys läser den: kolumner, deras roller, antal per kommun och varje rad som inte går att använda, med rad och kolumn.",
                "See what a file holds before an analysis reads it: its columns, their roles, counts per municipality and every row that cannot be used, with its row and column.") }</p>
            <FilePicker {lang} {on_file} {on_sample} disabled={reading} />
            { status_view(&state.status, lang, on_cancel, on_role) }
        </main>
        </>
    }
}

fn status_view(
    status: &Status,
    lang: Lang,
    on_cancel: Callback<MouseEvent>,
    on_role: Callback<(String, Option<Role>)>,
) -> Html {
    match status {
        Status::Idle => html! {},
        Status::Reading { name, progress } => {
            let percent = (progress.bytes_done * 100)
                .checked_div(progress.bytes_total)
                .unwrap_or(0);
            html! {
                <section id="progress">
                    <p>{ format!("{} {name}: {percent} % ({} {})", lang.t("Läser", "Reading"),
                        lang.number(progress.rows_done as f64), lang.t("rader", "rows")) }</p>
                    <progress max="100" value={percent.to_string()} />
                    <button id="cancel" onclick={on_cancel}>{ lang.t("Avbryt", "Cancel") }</button>
                </section>
            }
        }
        Status::Done { name, view, timing } => {
            html! { <FileReport name={name.clone()} view={view.clone()} timing={*timing} {lang} {on_role} /> }
        }
        Status::Failed { name, message } => html! {
            <section id="error" class="error">
                <h2>{ format!("{}: {name}", lang.t("Filen kunde inte läsas", "The file could not be read")) }</h2>
                <p>{ message.get(lang) }</p>
            </section>
        },
    }
}
