//! Reads a browser `Blob` (a user's `File`) in chunks into core plans, with progress and
//! cancellation. Memory stays one chunk for delimited text, whatever the file size; workbooks and
//! PX files are read whole, as their formats need.

use std::cell::Cell;
use std::rc::Rc;

use gloo::file::Blob;
use samsyn_core::counts::{CountPerKommun, KommunCounts};
use samsyn_core::ingest::{FileReader, ReadOptions, Tee};
use samsyn_core::inspect::{Inspect, Inspection};
use samsyn_core::table::roles::RoleChoices;
use samsyn_core::Error;
use wasm_bindgen::JsCast;

/// Size of the slices read from the file.
pub const CHUNK_BYTES: u64 = 4 << 20;

/// How far a read has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub rows_done: u64,
}

/// How long a read took and how much memory the engine has used, shown to the user and read
/// by the benchmark (`cargo xtask bench ingest`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Timing {
    pub elapsed_ms: f64,
    pub bytes: u64,
    /// Size of the WebAssembly memory: it only grows, so this is the peak.
    pub wasm_memory_bytes: u64,
}

impl Timing {
    /// Milliseconds on the page's clock.
    pub fn now_ms() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    }

    /// The timing of a read that started at `started_ms` and read `bytes`.
    pub fn since(started_ms: f64, bytes: u64) -> Self {
        let memory = wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| {
                m.buffer()
                    .dyn_into::<js_sys::ArrayBuffer>()
                    .map(|b| b.byte_length())
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        Timing {
            elapsed_ms: Self::now_ms() - started_ms,
            bytes,
            wasm_memory_bytes: u64::from(memory),
        }
    }
}

/// What one read of a file gives: the inspection (types, roles, the validation report) and the
/// rows per kommun, or why they could not be counted.
#[derive(Debug, Clone)]
pub struct FileView {
    pub inspection: Inspection,
    pub counts: Result<KommunCounts, String>,
}

/// Reads `blob` once, inspecting it and counting rows per kommun, with the user's `roles`.
pub async fn read_blob(
    name: &str,
    blob: &Blob,
    roles: &RoleChoices,
    on_progress: &dyn Fn(Progress),
    cancel: Rc<Cell<bool>>,
) -> Result<FileView, Error> {
    read_blob_in_chunks(name, blob, CHUNK_BYTES, roles, on_progress, cancel).await
}

/// [`read_blob`] with a chosen chunk size (tests use small chunks to cross every boundary).
pub async fn read_blob_in_chunks(
    name: &str,
    blob: &Blob,
    chunk_bytes: u64,
    roles: &RoleChoices,
    on_progress: &dyn Fn(Progress),
    cancel: Rc<Cell<bool>>,
) -> Result<FileView, Error> {
    let chunk_bytes = chunk_bytes.max(1);
    let total = blob.size();
    let mut inspect = Inspect::with_roles(roles.clone());
    let mut counts = CountPerKommun::with_roles(roles.clone());
    let mut tee = Tee::new(&mut inspect, &mut counts);
    let mut reader = FileReader::new(name, ReadOptions::default());
    let mut start = 0u64;
    let mut rows_done = 0;
    while start < total {
        if cancel.get() {
            return Err(Error::Cancelled);
        }
        let end = (start + chunk_bytes).min(total);
        let chunk = read_slice(blob, start, end)
            .await
            .map_err(|message| Error::Unreadable {
                at: samsyn_core::Location::file(name),
                message: format!("the browser could not read the file ({message})"),
            })?;
        reader.push(&chunk, &mut tee)?;
        start = end;
        rows_done = rows_done.max(reader.rows_read());
        on_progress(Progress {
            bytes_done: start,
            bytes_total: total,
            rows_done,
        });
    }
    let outcome = reader.finish(&mut tee)?;
    let (second_error, second_problems) = (
        tee.second_error.take(),
        std::mem::take(&mut tee.second_problems),
    );
    on_progress(Progress {
        bytes_done: total,
        bytes_total: total,
        rows_done: outcome.stats.rows,
    });
    let counts = match second_error {
        Some(e) => Err(e.in_file(name).to_string()),
        None => Ok(counts.finish(
            outcome.stats.clone(),
            second_problems,
            outcome.source.dialect,
        )),
    };
    Ok(FileView {
        inspection: inspect.finish(name, outcome),
        counts,
    })
}

/// Reads bytes `start..end` of `blob` with `Blob.arrayBuffer()`, copied once into Wasm memory.
pub async fn read_slice(blob: &Blob, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let blob: &web_sys::Blob = blob.as_ref();
    let slice = blob
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|e| format!("{e:?}"))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(slice.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
