//! Reads a browser `Blob` (a user's `File`) in chunks into a core plan, with progress and
//! cancellation. Memory stays one chunk, whatever the file size.

use std::cell::Cell;
use std::rc::Rc;

use gloo::file::Blob;
use samsyn_core::counts::{with_file, CountPerKommun, KommunCounts};
use samsyn_core::ingest::{DialectOverrides, TextReader};
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

/// Counts rows per kommun in `blob`, reporting progress after each chunk. Setting `cancel`
/// stops the read after the current chunk.
pub async fn count_blob(
    name: &str,
    blob: &Blob,
    on_progress: &dyn Fn(Progress),
    cancel: Rc<Cell<bool>>,
) -> Result<KommunCounts, Error> {
    count_blob_in_chunks(name, blob, CHUNK_BYTES, on_progress, cancel).await
}

/// [`count_blob`] with a chosen chunk size (tests use small chunks to cross every boundary).
pub async fn count_blob_in_chunks(
    name: &str,
    blob: &Blob,
    chunk_bytes: u64,
    on_progress: &dyn Fn(Progress),
    cancel: Rc<Cell<bool>>,
) -> Result<KommunCounts, Error> {
    let chunk_bytes = chunk_bytes.max(1);
    let total = blob.size();
    let mut plan = CountPerKommun::default();
    let mut reader = TextReader::new(name, DialectOverrides::default());
    let mut start = 0u64;
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
        reader
            .push(&chunk, &mut plan)
            .map_err(|e| with_file(e, name))?;
        start = end;
        on_progress(Progress {
            bytes_done: start,
            bytes_total: total,
            rows_done: reader.stats().rows,
        });
    }
    let (stats, problems, dialect) = reader.finish(&mut plan).map_err(|e| with_file(e, name))?;
    on_progress(Progress {
        bytes_done: total,
        bytes_total: total,
        rows_done: stats.rows,
    });
    Ok(plan.finish(stats, problems, dialect))
}

/// Reads bytes `start..end` of `blob` with `Blob.arrayBuffer()`, copied once into Wasm memory.
async fn read_slice(blob: &Blob, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let blob: &web_sys::Blob = blob.as_ref();
    let slice = blob
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|e| format!("{e:?}"))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(slice.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
