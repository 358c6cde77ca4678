//! Reading a file from disk into a core plan, in chunks: the one place the CLI opens files.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use samsyn_core::ingest::{FileReader, ReadOptions, ReadOutcome, RecordSink};

/// Size of the chunks a file is read in.
pub const CHUNK_BYTES: usize = 1 << 20;

/// The name a file is called by in messages: its file name.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Streams the file at `path` (any format `samsyn inspect` reads) into `sink`.
pub fn read_path(
    path: &Path,
    options: ReadOptions,
    sink: &mut dyn RecordSink,
) -> anyhow::Result<ReadOutcome> {
    let name = file_name(path);
    let mut file = File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut reader = FileReader::new(&name, options);
    let mut buf = vec![0u8; CHUNK_BYTES];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else {
            break;
        };
        reader.push(chunk, sink)?;
    }
    Ok(reader.finish(sink)?)
}
