//! Notebooks: the shareable analysis file. A notebook is the recipe (which files it expects,
//! how their columns map, which indicators, levels, lights, tables and charts, and the story in
//! Markdown around them) that one analyst writes and another runs on her own data. It never
//! holds data; a result snapshot only on request, aggregated and suppressed.
//!
//! ```text
//! file --Notebook::open (migrate)--> Notebook --prepare(params)--> Prepared
//!   Prepared --input_plan(name)--> InputPlan (read any file into it) --> Input
//!   Session::run(&Prepared, &[Input]) --> NotebookResults --report::render--> HTML
//! ```

pub mod exec;
pub mod format;
pub mod from_spec;
pub mod migrate;
pub mod report;
pub mod snapshot;
mod view;

/// The chart functions the report draws with; `crate::charts` when merged.
use crate::charts;

pub use exec::{
    prepare, read_input, run_in_memory, CellOutput, Input, NotebookError, NotebookResults,
    Prepared, Session,
};
pub use format::{Cell, FormatError, Notebook, FORMAT_NAME, FORMAT_VERSION};
pub use view::framework_cells;
