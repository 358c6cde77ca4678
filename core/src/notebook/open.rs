//! Opening a notebook file: size limit, JSON, migration to the current version
//! ([`super::migrate`]), the types (each cell on its own, so that an error names its cell) and
//! the checks of [`Notebook::check`].

use serde_json::Value;

use super::format::{limits, Cell, FormatError, Notebook, FORMAT_VERSION};

fn invalid(e: serde_json::Error) -> FormatError {
    FormatError::Invalid {
        version: FORMAT_VERSION,
        message: e.to_string(),
    }
}

impl Notebook {
    /// Opens a notebook file of any version up to [`FORMAT_VERSION`], migrating older ones.
    pub fn open(text: &str) -> Result<Notebook, FormatError> {
        if text.len() > limits::FILE_BYTES {
            return Err(FormatError::TooLarge {
                what: ("the file (bytes)", "filen (byte)"),
                found: text.len(),
                limit: limits::FILE_BYTES,
                fix: (
                    "A notebook holds the recipe, never data: remove data pasted into it.",
                    "En anteckningsbok bär receptet, aldrig data: ta bort data som klistrats in i den.",
                ),
            });
        }
        let value: Value =
            serde_json::from_str(text).map_err(|e| FormatError::NotJson(e.to_string()))?;
        let mut value = super::migrate::migrate(value)?;
        // Each cell on its own, so that a field that is not what it must be names its cell.
        let cells = match value.get_mut("cells") {
            Some(Value::Array(a)) => Some(std::mem::take(a)),
            _ => None,
        };
        let mut nb: Notebook = serde_json::from_value(value).map_err(invalid)?;
        for (i, cell) in cells.into_iter().flatten().enumerate() {
            let id = match cell.get("id").and_then(Value::as_str) {
                Some(id) => format!("{id:.80}"),
                None => format!("#{}", i + 1),
            };
            let c: Cell = serde_json::from_value(cell).map_err(|e| FormatError::BadField {
                cell: id,
                message: e.to_string(),
            })?;
            nb.cells.push(c);
        }
        nb.check()?;
        Ok(nb)
    }
}
