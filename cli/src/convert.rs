//! `samsyn convert SPEC.json --out NOTEBOOK.samsyn.json`: saves an older indicator spec as the
//! notebook it opens as (`notebook::from_spec`), so that it can be edited, shared and run as
//! any notebook. Written through `crate::write`: no symbolic link followed, the spec never
//! overwritten.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

#[derive(Args)]
pub struct ConvertArgs {
    /// The indicator spec (JSON of sources, mappings and indicators).
    spec: PathBuf,
    /// The notebook file to write (e.g. `indikatorer.samsyn.json`).
    #[arg(long)]
    out: PathBuf,
}

/// Runs `samsyn convert …`.
pub fn run(args: ConvertArgs) -> anyhow::Result<()> {
    let (nb, converted) = crate::read::open_notebook(&args.spec)?;
    if !converted {
        bail!(
            "{}: is already a notebook; there is nothing to convert",
            args.spec.display()
        );
    }
    let text = nb.save();
    crate::write::write_files(&[(args.out.clone(), text.as_str())], &[args.spec.as_path()])?;
    eprintln!(
        "wrote the notebook {} ({} cells); run it with `samsyn run {} --data NAME=FILE … --out DIR`",
        args.out.display(),
        nb.cells.len(),
        args.out.display()
    );
    Ok(())
}
