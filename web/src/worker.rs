//! The engine's own thread: the same WebAssembly module as the page, started in a dedicated Web
//! Worker (`worker_client.rs` starts it), reads the user's `File`s (streamed with
//! `Blob.stream()`, never copied whole), runs `notebook::Session::run` and renders the HTML
//! report, so the page's event loop never waits on the engine. The session and the inputs read
//! (their cubes) live here, so an edit the cubes answer reads no file again.
//!
//! Each request carries the page's generation number; a request that a newer one overtook stops
//! at its next chunk, and the page drops whatever it still said (`run_state.rs`).

use std::cell::Cell;

use samsyn_core::notebook::Notebook;
use samsyn_core::stats::disclosure::Protection;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::notebook_run::{run, InputFile};
use crate::run_state::Reply;

/// One run, as the page asks for it. Crosses to the worker through serde-wasm-bindgen beside
/// the message's `files` (the `File` objects themselves, which the browser hands over without
/// copying their contents).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    pub generation: u64,
    /// The notebook as saved (`Notebook::save`): the format is the one thing that crosses.
    pub notebook: String,
    pub params: Vec<(String, String)>,
    /// The user's disclosure floor; `None` only when she switched protection off.
    pub floor: Option<f64>,
    /// The page's address, under which the sample files are fetched.
    pub base: String,
    pub inputs: Vec<RequestInput>,
    /// Errors are worded in English (else Swedish), the page's language when it asked.
    #[serde(default)]
    pub english: bool,
}

/// An input's file: the index of the user's own in the message's `files`, or the sample file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestInput {
    pub input: String,
    pub file: Option<usize>,
}

thread_local! {
    /// The newest generation this worker was asked for.
    static LATEST: Cell<u64> = const { Cell::new(0) };
}

/// The worker's entry, called by the bootstrap script once the module is initialised, with the
/// messages that arrived meanwhile. The Yew app never starts here (`main` returns at once
/// without a window).
#[wasm_bindgen]
pub fn worker_start(pending: js_sys::Array) {
    std::panic::set_hook(Box::new(|info| {
        let message = format!(
            "Beräkningen stötte på ett internt fel och startas om. Dina filer har inte skickats någonstans. \
             / The computation hit an internal error and is restarted. Your files were not sent anywhere. ({info})"
        );
        web_sys::console::error_1(&message.clone().into());
        post(&Reply::Failed {
            generation: LATEST.with(Cell::get),
            message,
        });
    }));
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
        |e: web_sys::MessageEvent| handle(e.data()),
    );
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; so does its handler.
    on_message.forget();
    for data in pending.iter() {
        handle(data);
    }
}

/// Posts `reply` to the page.
fn post(reply: &Reply) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let sent = serde_wasm_bindgen::to_value(reply)
        .map_err(|e| JsValue::from_str(&e.to_string()))
        .and_then(|v| scope.post_message(&v));
    if let Err(e) = sent {
        web_sys::console::error_1(&e);
    }
}

fn handle(data: JsValue) {
    // A helper's job: one byte range of a file (`range_read.rs`).
    if js_sys::Reflect::has(&data, &"range".into()).unwrap_or(false) {
        wasm_bindgen_futures::spawn_local(async move {
            let reply = crate::range_read::serve_range(data).await;
            let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let transfer = js_sys::Reflect::get(&reply, &"part".into())
                .ok()
                .and_then(|p| p.dyn_into::<js_sys::Uint8Array>().ok())
                .map(|p| js_sys::Array::of1(&p.buffer()))
                .unwrap_or_default();
            if let Err(e) = scope.post_message_with_transfer(&reply, &transfer) {
                web_sys::console::error_1(&e);
            }
        });
        return;
    }
    let request = js_sys::Reflect::get(&data, &"request".into())
        .map_err(|e| format!("{e:?}"))
        .and_then(|r| serde_wasm_bindgen::from_value::<RunRequest>(r).map_err(|e| e.to_string()));
    let request = match request {
        Ok(r) => r,
        Err(e) => {
            post(&Reply::Failed {
                generation: LATEST.with(Cell::get),
                message: format!("the engine was sent a request it cannot read: {e}"),
            });
            return;
        }
    };
    let files = js_sys::Reflect::get(&data, &"files".into())
        .map(|f| js_sys::Array::from(&f))
        .unwrap_or_default();
    LATEST.with(|l| l.set(l.get().max(request.generation)));
    wasm_bindgen_futures::spawn_local(async move {
        let generation = request.generation;
        let reply = serve(request, files)
            .await
            .unwrap_or_else(|message| Reply::Failed {
                generation,
                message,
            });
        post(&reply);
    });
}

/// The message a superseded run stops with (the page has dropped its generation already).
const SUPERSEDED: &str = "superseded by a newer request";

async fn serve(request: RunRequest, files: js_sys::Array) -> Result<Reply, String> {
    let generation = request.generation;
    crate::i18n::set_message_lang(if request.english {
        crate::i18n::Lang::En
    } else {
        crate::i18n::Lang::Sv
    });
    let notebook = Notebook::open(&request.notebook).map_err(|e| e.to_string())?;
    let protection = match request.floor {
        None => Protection::off(),
        Some(floor) => Protection::at(floor).map_err(|_| {
            format!("Röjandeskyddets gräns måste vara 1 eller mer (den är {floor}). / The disclosure floor must be 1 or more (it is {floor}).")
        })?,
    };
    let inputs: Vec<(String, InputFile)> = request
        .inputs
        .iter()
        .map(|i| {
            let own = i
                .file
                .and_then(|at| u32::try_from(at).ok())
                .map(|at| files.get(at))
                .and_then(|f| f.dyn_into::<web_sys::File>().ok());
            let file = match own {
                Some(f) => InputFile::Own {
                    name: f.name(),
                    blob: gloo::file::Blob::from(web_sys::Blob::from(f)),
                },
                None => InputFile::Sample,
            };
            (i.input.clone(), file)
        })
        .collect();
    let mut on_progress = |progress| {
        if LATEST.with(Cell::get) != generation {
            return Err(SUPERSEDED.to_owned());
        }
        post(&Reply::Progress {
            generation,
            progress,
        });
        Ok(())
    };
    let (results, outcome) = run(
        &notebook,
        &request.params,
        &inputs,
        protection,
        &request.base,
        &mut on_progress,
    )
    .await?;
    let results_json = serde_json::to_string(&results)
        .map_err(|e| format!("the results could not be handed to the page: {e}"))?;
    Ok(Reply::Done {
        generation,
        results_json,
        html: outcome.html,
        read: outcome.read,
        in_parts: outcome.in_parts,
        reused: outcome.reused,
        ms: outcome.ms,
    })
}
