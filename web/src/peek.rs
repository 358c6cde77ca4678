//! A first look at an input's file as soon as the user chooses it, before any run: its columns
//! and the values of its columns with few values (`core`'s inspection), so that the editor's
//! forms offer them (a column's role, a condition's column and value) without a run. Reads the
//! first [`PEEK_BYTES`] of a text file, cut after its last whole line; a workbook or PX file
//! whole up to [`PEEK_WHOLE_BYTES`], else not at all. On the page's thread: a look at 1 MiB takes
//! a few milliseconds. A run's own summary of the input, once there is one, comes first.

use gloo::file::Blob;
use samsyn_core::ingest::ReadOptions;
use samsyn_core::inspect::{inspect_bytes, whole_lines};
use samsyn_core::notebook::output::{CellOutput, InputSummary};

/// How much of a text file the first look reads.
pub const PEEK_BYTES: u64 = 1 << 20;
/// The largest workbook or PX file the first look reads (they are read whole).
pub const PEEK_WHOLE_BYTES: u64 = 8 << 20;

/// Formats that must be read whole (by the ending of the file's name).
const WHOLE: [&str; 8] = [
    ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".px", ".parquet", ".arrow",
];

/// The input `input`'s file `file` at a first look: its columns and offered values, or `None`
/// when it cannot be looked at cheaply (a large workbook) or not at all (the run will say why).
pub async fn peek(input: &str, file: &str, blob: &Blob) -> Option<InputSummary> {
    let lower = file.to_lowercase();
    let whole = WHOLE.iter().any(|ending| lower.ends_with(ending));
    let size = blob.size();
    let bytes = if whole {
        if size > PEEK_WHOLE_BYTES {
            return None;
        }
        crate::notebook_run::blob_bytes(blob).await.ok()?
    } else {
        let start = blob.slice(0, size.min(PEEK_BYTES));
        crate::notebook_run::blob_bytes(&start).await.ok()?
    };
    let bytes = if whole || size <= PEEK_BYTES {
        &bytes[..]
    } else {
        whole_lines(&bytes)?
    };
    let inspection = inspect_bytes(file, bytes, ReadOptions::default()).ok()?;
    Some(summary(input, file, &inspection))
}

/// An input's summary from a first look: its columns and values, no rows counted (a run
/// counts them).
pub fn summary(
    input: &str,
    file: &str,
    inspection: &samsyn_core::inspect::Inspection,
) -> InputSummary {
    InputSummary {
        name: input.to_owned(),
        file: file.to_owned(),
        rows: 0,
        used: 0,
        refused: Vec::new(),
        refused_rows: Vec::new(),
        problems: 0,
        columns: inspection.columns.iter().map(|c| c.name.clone()).collect(),
        values: inspection
            .columns
            .iter()
            .filter(|c| !c.values.is_empty())
            .map(|c| (c.name.clone(), c.values.clone()))
            .collect(),
    }
}

/// The key a first look goes under among the cells' outputs: no cell's id holds a `:`, so it
/// is never shown under a cell, only found by the forms (`notebook_editor::input_summary`).
pub fn key(input: &str) -> String {
    format!("peek:{input}")
}

/// The first look as the forms find it among the outputs.
pub fn as_output(summary: InputSummary) -> CellOutput {
    CellOutput::Data {
        summary,
        expects: String::new(),
        messages: Vec::new(),
        messages_sv: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_look_gives_the_columns_and_the_values_of_the_columns_with_few() {
        let text =
            "deso;event_type;age\n2480C1010;visit;70\n2480C1020;admission;81\n2480C1010;visit;90\n";
        let inspection =
            inspect_bytes("mine.csv", text.as_bytes(), ReadOptions::default()).expect("reads");
        let s = summary("events", "mine.csv", &inspection);
        assert_eq!(s.columns, vec!["deso", "event_type", "age"]);
        let values = |c: &str| {
            s.values
                .iter()
                .find(|(n, _)| n == c)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(
            values("event_type"),
            Some(vec!["admission".into(), "visit".into()])
        );
        assert_eq!(
            values("deso"),
            Some(vec!["2480C1010".into(), "2480C1020".into()])
        );
        assert_eq!((s.rows, s.used), (0, 0), "a first look counts no rows");
        assert!(!key("events")
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    }
}
