//! Reading a file from disk into a core plan, in chunks: the one place the CLI opens files.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use std::io::{Seek, SeekFrom};

use samsyn_core::ingest::ranges::{self, MergeRanges};
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

use samsyn_core::ingest::ranges::SPLIT_MIN_BYTES;

/// Threads by default: the machine's cores, at most 8.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// How many byte ranges the file at `path` is read in with `threads` threads: 1 for a small
/// file, a file of another format or one that cannot be measured; ranges of at least
/// [`SPLIT_MIN_BYTES`] / 2 otherwise.
pub fn parts_for(path: &Path, threads: usize) -> usize {
    let Ok(size) = std::fs::metadata(path).map(|m| m.len()) else {
        return 1;
    };
    let text = matches!(
        samsyn_core::ingest::Format::from_name(&file_name(path)),
        Some(samsyn_core::ingest::Format::Text) | None
    );
    if !text || size < SPLIT_MIN_BYTES || threads < 2 {
        return 1;
    }
    let most = usize::try_from(size / (SPLIT_MIN_BYTES / 2)).unwrap_or(usize::MAX);
    threads.min(most).max(1)
}

/// Reads the text file at `path` in `plans.len()` byte ranges at once, one thread and one plan
/// each, cut at line ends, and merges the plans in file order (`samsyn_core::ingest::ranges`):
/// the result is that of one pass, bit for bit. `None` when the parts cannot be merged into
/// it (a cut inside a quoted field, a row repeating one of an earlier range, …), said on
/// stderr: then read the file in one pass. A file that cannot be cut (not text, UTF-16, a header past the first
/// chunk) is read in one pass here, by the first plan.
pub fn read_path_in_ranges<S>(
    path: &Path,
    options: ReadOptions,
    plans: Vec<S>,
) -> anyhow::Result<Option<(S, ReadOutcome)>>
where
    S: RecordSink + MergeRanges + Send,
{
    let name = file_name(path);
    let err = |e: std::io::Error| anyhow::anyhow!("{}: {e}", path.display());
    let mut plans = plans.into_iter();
    let Some(mut first) = plans.next() else {
        return Ok(None);
    };
    let mut file = File::open(path).map_err(err)?;
    let size = file.metadata().map_err(err)?.len();
    let mut reader = FileReader::new(&name, options.clone());
    let mut buf = vec![0u8; CHUNK_BYTES];
    let head = read_up_to(&mut file, &mut buf).map_err(err)?;
    reader.push(&buf[..head], &mut first)?;
    let pos = head as u64;
    // The cuts: just past the first line end at or after each k/n of the file.
    let parts = plans.len() + 1;
    let mut starts = vec![0u64];
    if let Some(_continuation) = reader.continuation() {
        for k in 1..parts {
            let at = (size / parts as u64 * k as u64).max(pos);
            let last = *starts.last().unwrap_or(&0);
            if let Some(start) = line_start_at(path, at).map_err(err)? {
                if start > last.max(pos) && start < size {
                    starts.push(start);
                }
            }
        }
    }
    let Some(continuation) = reader.continuation().filter(|_| starts.len() > 1) else {
        // One pass, by the first plan, going on from the head.
        loop {
            let n = file.read(&mut buf).map_err(err)?;
            let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else {
                break;
            };
            reader.push(chunk, &mut first)?;
        }
        let outcome = reader.finish(&mut first)?;
        return Ok(Some((first, outcome)));
    };
    let ends: Vec<Option<u64>> = starts
        .iter()
        .skip(1)
        .map(|&s| Some(s))
        .chain(std::iter::once(None))
        .collect();
    let later: Vec<S> = plans.take(starts.len() - 1).collect();
    let results = std::thread::scope(|scope| -> anyhow::Result<Vec<(S, ReadOutcome)>> {
        let handles: Vec<_> = later
            .into_iter()
            .zip(starts.iter().zip(&ends).skip(1))
            .map(|(mut plan, (&start, &end))| {
                let (name, options, continuation) = (&name, options.clone(), &continuation);
                scope.spawn(move || -> anyhow::Result<(S, ReadOutcome)> {
                    let mut file = File::open(path).map_err(err)?;
                    file.seek(SeekFrom::Start(start)).map_err(err)?;
                    let mut reader =
                        FileReader::continuing(name, options, continuation, &mut plan)?;
                    read_range(&mut file, start, end, &mut reader, &mut plan).map_err(err)??;
                    let outcome = reader.finish(&mut plan)?;
                    Ok((plan, outcome))
                })
            })
            .collect();
        // The first range on this thread, going on from the head.
        read_range(&mut file, pos, ends[0], &mut reader, &mut first).map_err(err)??;
        let outcome = reader.finish(&mut first)?;
        let mut results = vec![(first, outcome)];
        for h in handles {
            let part = h
                .join()
                .map_err(|_| anyhow::anyhow!("{}: a reading thread failed", path.display()))??;
            results.push(part);
        }
        Ok(results)
    })?;
    match ranges::merge(results) {
        Ok(merged) => Ok(Some(merged)),
        Err(why) => {
            eprintln!("samsyn: note: {name} is read again by one thread: {why}");
            Ok(None)
        }
    }
}

/// Feeds `reader` the bytes of `file` from `pos` (where the file stands) to `end` (`None`: to
/// the end of the file).
fn read_range<S: RecordSink>(
    file: &mut File,
    mut pos: u64,
    end: Option<u64>,
    reader: &mut FileReader,
    plan: &mut S,
) -> std::io::Result<Result<(), samsyn_core::error::Error>> {
    let mut buf = vec![0u8; CHUNK_BYTES];
    loop {
        let want = match end {
            Some(end) => usize::try_from(end.saturating_sub(pos)).unwrap_or(usize::MAX),
            None => usize::MAX,
        }
        .min(buf.len());
        if want == 0 {
            return Ok(Ok(()));
        }
        let n = file.read(&mut buf[..want])?;
        if n == 0 {
            return Ok(Ok(()));
        }
        pos += n as u64;
        if let Err(e) = reader.push(&buf[..n], plan) {
            return Ok(Err(e));
        }
    }
}

/// Fills `buf` as far as the file goes.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The offset just past the first line end at or after `at` in the file at `path`, looking at
/// most one chunk ahead; `None` when there is none there.
fn line_start_at(path: &Path, at: u64) -> std::io::Result<Option<u64>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(at))?;
    let mut window = vec![0u8; CHUNK_BYTES];
    let n = read_up_to(&mut file, &mut window)?;
    Ok(ranges::line_start_in(&window[..n]).map(|i| at + i as u64))
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
