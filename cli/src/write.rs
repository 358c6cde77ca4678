//! Writing result files to disk: the one place the CLI creates files. Every target is checked
//! before any is written, so a run that fails a check leaves the disk as it was:
//! - a symbolic link is never followed (an attacker's link, or the user's, could point at any
//!   file the user may write);
//! - a folder is not replaced;
//! - an input of the run (compared by canonical path, so `a/../b.csv` is `b.csv`) is never
//!   overwritten.
//!
//! An old file is removed and the new one made with `create_new` (`O_EXCL`), which fails rather
//! than follow a link made between the check and the write.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// The canonical path a (possibly not yet existing) target would have.
fn canonical_target(target: &Path) -> Option<PathBuf> {
    if let Ok(p) = target.canonicalize() {
        return Some(p);
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(target.file_name()?))
}

/// Writes every `(path, text)` after checking them all (see the module); `inputs` are the files
/// the run read.
pub fn write_files(files: &[(PathBuf, &str)], inputs: &[&Path]) -> anyhow::Result<()> {
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    for (target, _) in files {
        match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => bail!(
                "{}: is a symbolic link; Samsyn does not write through links. Remove it or choose another --out; nothing was written",
                target.display()
            ),
            Ok(m) if m.is_dir() => bail!(
                "{}: is a folder; remove it or choose another --out; nothing was written",
                target.display()
            ),
            _ => {}
        }
        if canonical_target(target).is_some_and(|t| inputs.contains(&t)) {
            bail!(
                "{}: is one of the input files; Samsyn does not overwrite its input. Choose another --out; nothing was written",
                target.display()
            );
        }
    }
    for (target, text) in files {
        match std::fs::remove_file(target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e)
                    .with_context(|| format!("{}: cannot replace the file", target.display()));
            }
            _ => {}
        }
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
            .with_context(|| format!("{}: cannot write", target.display()))?;
        f.write_all(text.as_bytes())
            .with_context(|| format!("{}: cannot write", target.display()))?;
    }
    Ok(())
}
