//! The page's side of the engine's worker (`worker.rs`): starts it, sends it runs with the
//! user's `File`s, turns its replies into [`RunAction`]s, and stops it when the user cancels.
//!
//! **How the worker starts** (one binary: the page's own WebAssembly module, no second build).
//! A module worker is made from a `blob:` URL of [`BOOTSTRAP`], a few lines of script; its first
//! message carries the address of wasm-bindgen's JS glue (`import.meta.url` of the glue the page
//! itself loaded) and the page's compiled `WebAssembly.Module` (`wasm_bindgen::module()`), which
//! the worker instantiates without fetching or compiling anything. For a single HTML file opened
//! from `file://` (glue and Wasm inlined), that file sets `globalThis.samsynGlueSource` to the
//! inlined glue's text before the app starts: the worker's `blob:` script is then that text with
//! [`INLINE_BOOTSTRAP`] after it, so it imports nothing (a `blob:` import would need `blob:` in
//! `script-src`); the module is handed over the same way, and the page's inline files
//! (`globalThis.samsynFiles`: the example notebooks and the sample) go first, so that the
//! worker's fetch of a sample file finds them (`cargo xtask dist --single-file`). Chromium starts
//! no module worker from a `blob:` URL of a `file://` page, so the single file gives the glue
//! rewritten as a classic script and sets `globalThis.samsynWorkerType = 'classic'`. Either way the
//! CSP needs only `worker-src 'self' blob:` (`blob:` in the single file).
//!
//! **Cancelling** terminates the worker and the next run starts a fresh one. A cooperative flag
//! could stop a read between chunks but not `Session::run` or the report, which hold the
//! worker's thread for seconds on large inputs; terminating stops at once whatever it is doing
//! and frees the memory of the half-read file. The cost is the session's cubes: the next run
//! reads its files again.

use std::cell::RefCell;
use std::rc::Rc;

use samsyn_core::notebook::NotebookResults;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::notebook_run::RunOutcome;
use crate::run_state::{Reply, RunAction};
use crate::worker::RunRequest;

/// The worker's script: waits for the glue's address and the module, initialises them (which
/// runs no app: `main` returns without a window), then hands the messages that came meanwhile
/// to [`crate::worker::worker_start`].
pub const BOOTSTRAP: &str = r#"self.onmessage = async (first) => {
  self.samsynBoot = first.data;
  const pending = [];
  self.onmessage = (e) => pending.push(e.data);
  try {
    const glue = await import(first.data.glue);
    await glue.default({ module_or_path: first.data.module });
    glue.worker_start(pending);
  } catch (e) {
    self.postMessage({ kind: 'failed', generation: 0, message: String((e && e.message) || e) });
  }
};
"#;

/// The worker's script after the glue's own text (single-file builds): the glue's local
/// `__wbg_init` (its default export) and `worker_start` are in scope.
pub const INLINE_BOOTSTRAP: &str = r#"
self.onmessage = async (first) => {
  self.samsynBoot = first.data;
  const pending = [];
  self.onmessage = (e) => pending.push(e.data);
  try {
    await __wbg_init({ module_or_path: first.data.module });
    worker_start(pending);
  } catch (e) {
    self.postMessage({ kind: 'failed', generation: 0, message: String((e && e.message) || e) });
  }
};
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// The glue's text when a single-file build gave it (`globalThis.samsynGlueSource`).
fn inline_glue() -> Option<String> {
    js_sys::Reflect::get(&js_sys::global(), &"samsynGlueSource".into())
        .ok()
        .and_then(|v| v.as_string())
}

/// A statement giving the worker the page's `globalThis.samsynFiles`, if it has them.
fn inline_files() -> String {
    let files = js_sys::Reflect::get(&js_sys::global(), &"samsynFiles".into())
        .ok()
        .filter(|f| f.is_object())
        .and_then(|f| js_sys::JSON::stringify(&f).ok())
        .and_then(|j| j.as_string());
    match files {
        Some(json) => format!("globalThis.samsynFiles = {json};\n"),
        None => String::new(),
    }
}

thread_local! {
    /// The bootstrap's `blob:` URL, made once for the page's lifetime.
    static BOOTSTRAP_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn bootstrap_url() -> Result<String, String> {
    if let Some(url) = BOOTSTRAP_URL.with(|u| u.borrow().clone()) {
        return Ok(url);
    }
    let parts = match inline_glue() {
        // The page's inline files go along, so that the worker's fetch finds them too.
        Some(glue) => js_sys::Array::of3(
            &inline_files().into(),
            &glue.into(),
            &INLINE_BOOTSTRAP.into(),
        ),
        None => js_sys::Array::of1(&BOOTSTRAP.into()),
    };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    BOOTSTRAP_URL.with(|u| *u.borrow_mut() = Some(url.clone()));
    Ok(url)
}

type OnAction = Rc<dyn Fn(RunAction)>;

/// A running worker and its handlers (kept alive as long as it is).
struct Running {
    worker: web_sys::Worker,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(JsValue)>,
}

/// The engine on its own thread, as the page holds it.
pub struct Engine {
    on_action: OnAction,
    running: RefCell<Option<Running>>,
    /// The generation of the last request sent, for errors that name no request.
    last: Rc<std::cell::Cell<u64>>,
    /// The worker failed to start or threw: the next run starts a fresh one.
    broken: Rc<std::cell::Cell<bool>>,
}

impl Engine {
    /// An engine whose replies become `on_action`; the worker starts with the first run.
    pub fn new(on_action: impl Fn(RunAction) + 'static) -> Engine {
        Engine {
            on_action: Rc::new(on_action),
            running: RefCell::new(None),
            last: Rc::default(),
            broken: Rc::default(),
        }
    }

    /// Sends a run with the user's `files` (indexed by the request's inputs) to the worker,
    /// starting one if none runs.
    pub fn run(&self, request: &RunRequest, files: &[web_sys::File]) -> Result<(), String> {
        self.last.set(request.generation);
        if self.broken.replace(false) {
            self.cancel();
        }
        if self.running.borrow().is_none() {
            let running = self.spawn()?;
            *self.running.borrow_mut() = Some(running);
        }
        let message = js_sys::Object::new();
        let serializer = serde_wasm_bindgen::Serializer::new();
        let value = serde::Serialize::serialize(request, &serializer).map_err(|e| e.to_string())?;
        let files: js_sys::Array = files.iter().map(JsValue::from).collect();
        js_sys::Reflect::set(&message, &"request".into(), &value).map_err(|e| format!("{e:?}"))?;
        js_sys::Reflect::set(&message, &"files".into(), &files).map_err(|e| format!("{e:?}"))?;
        let running = self.running.borrow();
        let worker = &running
            .as_ref()
            .ok_or("the engine's worker did not start")?
            .worker;
        worker.post_message(&message).map_err(|e| format!("{e:?}"))
    }

    /// Stops the worker at once, whatever it is doing; the next run starts a fresh one.
    pub fn cancel(&self) {
        if let Some(running) = self.running.borrow_mut().take() {
            running.worker.terminate();
        }
    }

    fn spawn(&self) -> Result<Running, String> {
        let worker = start_worker("samsyn-engine").map_err(|e| worker_failed(&e))?;
        let (on_action, last, broken) = (
            self.on_action.clone(),
            self.last.clone(),
            self.broken.clone(),
        );
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                match serde_wasm_bindgen::from_value::<Reply>(e.data()) {
                    Ok(reply) => {
                        // Only the bootstrap, which knows no request, says generation 0: it failed.
                        if reply.generation() == 0 {
                            broken.set(true);
                        }
                        on_action(action_of(reply, last.get()))
                    }
                    Err(err) => on_action(RunAction::Failed {
                        generation: last.get(),
                        message: format!("the engine's answer could not be read: {err}"),
                    }),
                }
            });
        let (on_action, last, broken) = (
            self.on_action.clone(),
            self.last.clone(),
            self.broken.clone(),
        );
        // An error in the worker's code is an `ErrorEvent`; a script that never loaded is a
        // plain `Event`, with no message.
        let on_error = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
            broken.set(true);
            let message = js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "its script did not load".to_owned());
            on_action(RunAction::Failed {
                generation: last.get(),
                message: worker_failed(&message),
            })
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Running {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

/// How this module's workers are started, from the page or from a worker: the bootstrap's
/// address, whether it is a classic script, and the glue's address (`None` in a worker that
/// was not told it).
fn boot() -> Result<(String, bool, JsValue), String> {
    let global = js_sys::global();
    if global.dyn_ref::<web_sys::Window>().is_some() {
        // A page opened from `file://` cannot start a module worker from a `blob:` URL
        // (Chromium refuses it): the single file gives its glue as a classic script and says so.
        let classic = js_sys::Reflect::get(&global, &"samsynWorkerType".into())
            .ok()
            .and_then(|t| t.as_string())
            .is_some_and(|t| t == "classic");
        return Ok((
            bootstrap_url()?,
            classic,
            GLUE_URL.with(Clone::clone).into(),
        ));
    }
    // In a worker: its own script, and what the bootstrap was told (`self.samsynBoot`).
    let scope: &web_sys::WorkerGlobalScope = global.unchecked_ref();
    let url = scope.location().href();
    let boot = js_sys::Reflect::get(&global, &"samsynBoot".into()).map_err(|e| format!("{e:?}"))?;
    let classic = js_sys::Reflect::get(&boot, &"classic".into())
        .ok()
        .and_then(|c| c.as_bool())
        .unwrap_or(false);
    let glue = js_sys::Reflect::get(&boot, &"glue".into()).unwrap_or(JsValue::UNDEFINED);
    Ok((url, classic, glue))
}

/// Starts a worker of this module named `name` and sends it what its bootstrap needs: the
/// glue's address and the compiled module (instantiated, not fetched or compiled again).
fn start_worker(name: &str) -> Result<web_sys::Worker, String> {
    let (url, classic, glue) = boot()?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(if classic {
        web_sys::WorkerType::Classic
    } else {
        web_sys::WorkerType::Module
    });
    options.set_name(name);
    let worker = web_sys::Worker::new_with_options(&url, &options).map_err(|e| format!("{e:?}"))?;
    let first = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&first, &k.into(), v).map(|_| ());
    // How many workers read a large file, as the page was told (`range_read::read_workers`).
    let workers = crate::range_read::read_workers() as f64;
    set("glue", &glue)
        .and_then(|()| set("module", &wasm_bindgen::module()))
        .and_then(|()| set("classic", &classic.into()))
        .and_then(|()| set("readWorkers", &workers.into()))
        .map_err(|e| format!("{e:?}"))?;
    worker.post_message(&first).map_err(|e| format!("{e:?}"))?;
    Ok(worker)
}

/// A helper worker reading one byte range of a file (`range_read.rs`), from the page or from
/// the engine's worker (a worker started by a worker: Chrome 69, Firefox 44, Safari 15.5).
pub fn start_helper() -> Result<web_sys::Worker, String> {
    start_worker("samsyn-range")
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.cancel();
    }
}

fn worker_failed(detail: &str) -> String {
    format!(
        "Beräkningstråden kunde inte startas ({detail}). Ladda om sidan. / The engine's worker could not start ({detail}). Reload the page."
    )
}

/// A reply as the page's state takes it: a finished run's results decoded here. A reply from
/// the bootstrap (which knows no generation) is taken as the last request's.
fn action_of(reply: Reply, last: u64) -> RunAction {
    match reply {
        Reply::Progress {
            generation,
            progress,
        } => RunAction::Progress {
            generation,
            progress,
        },
        Reply::Failed {
            generation,
            message,
        } => RunAction::Failed {
            generation: if generation == 0 { last } else { generation },
            message,
        },
        Reply::Done {
            generation,
            results_json,
            html,
            read,
            in_parts,
            reused,
            ms,
        } => match serde_json::from_str::<NotebookResults>(&results_json) {
            Ok(results) => RunAction::Done {
                generation,
                outcome: Rc::new(RunOutcome {
                    html,
                    cells: results.cells,
                    read,
                    in_parts,
                    reused,
                    ms,
                }),
            },
            Err(e) => RunAction::Failed {
                generation,
                message: format!("the engine's results could not be read: {e}"),
            },
        },
    }
}
