//! Opening a notebook file: size limit, JSON, migration to the current version
//! ([`super::migrate`]), the types (each cell on its own, so that an error names its cell) and
//! the checks of [`Notebook::check`].

use serde_json::Value;

use super::format::{limits, FormatError, Notebook, FORMAT_VERSION};

impl Notebook {
    /// Opens a notebook file of any version up to [`FORMAT_VERSION`], migrating older ones.
    pub fn open(text: &str) -> Result<Notebook, FormatError> {
        if text.len() > limits::FILE_BYTES {
            return Err(FormatError::TooLarge {
                what: "the file (bytes)",
                found: text.len(),
                limit: limits::FILE_BYTES,
                fix: "A notebook holds the recipe, never data: remove data pasted into it.",
            });
        }
        let value: Value =
            serde_json::from_str(text).map_err(|e| FormatError::NotJson(e.to_string()))?;
        let value = crate::notebook::migrate::migrate(value)?;
        let nb: Notebook = serde_json::from_value(value).map_err(|e| FormatError::Invalid {
            version: FORMAT_VERSION,
            message: e.to_string(),
        })?;
        nb.check()?;
        Ok(nb)
    }
}
