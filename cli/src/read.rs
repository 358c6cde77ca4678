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

/// Opens a notebook file; an older indicator spec is converted (`notebook::from_spec`). The
/// second value says whether it was, so the command can say how to save it as a notebook.
pub fn open_notebook(path: &Path) -> anyhow::Result<(samsyn_core::notebook::Notebook, bool)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the notebook: {e}", path.display()))?;
    let opened = samsyn_core::notebook::from_spec::open_notebook_or_spec(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok((opened.notebook, opened.converted_from_spec))
}

/// What a command says on stderr after it ran a converted indicator spec.
pub fn converted_note(path: &Path) -> String {
    format!(
        "samsyn: note: {} was converted from an indicator spec; save it as a notebook with `samsyn convert {} --out NAME.samsyn.json`",
        path.display(),
        path.display()
    )
}
