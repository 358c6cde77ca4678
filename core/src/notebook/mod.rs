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

//!
//! Modules, each using only those listed before it (no cycles):
//! `fields` (typed fields) ← `format` (the file's types) ← `migrate`, `open` (reading a file) · `output` (what a run
//! gives) · `markdown` · `substitute` ← `prepare` ← `view` (table, chart, roll-up cells) ←
//! `exec` (`Session`) · `report` (HTML) and `snapshot` read `output` and `format` only.

pub mod exec;
pub mod fields;
pub mod format;
pub mod from_spec;
pub mod markdown;
pub mod migrate;
mod open;
pub mod output;
pub mod prepare;
pub mod report;
pub mod snapshot;
mod substitute;
mod view;

pub use exec::{run_in_memory, Session};
pub use format::{Cell, FormatError, Notebook, FORMAT_NAME, FORMAT_VERSION};
pub use output::{CellOutput, NotebookResults};
pub use prepare::{prepare, read_input, Input, NotebookError, Prepared};
pub use view::framework_cells;
