//! Opening older notebook files: each format version's file is lifted to the next, one step at
//! a time, until it is the current version. A file from a newer version is refused with a
//! message saying so (never half-read).
//!
//! Version 1 is the first; `tests/data/notebooks/v1_frozen.samsyn.json` is a version-1 file
//! kept unchanged forever, and a test opens it with every later Samsyn.

use serde_json::Value;

use super::format::{FormatError, FORMAT_NAME, FORMAT_VERSION};

/// Checks the format name and version, and migrates an older file to [`FORMAT_VERSION`].
pub fn migrate(mut value: Value) -> Result<Value, FormatError> {
    let Some(obj) = value.as_object_mut() else {
        return Err(FormatError::NotANotebook("(not an object)".into()));
    };
    match obj.get("format").and_then(Value::as_str) {
        Some(FORMAT_NAME) => {}
        Some(other) => return Err(FormatError::NotANotebook(other.to_owned())),
        None => return Err(FormatError::NotANotebook("(missing)".into())),
    }
    let version =
        obj.get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| FormatError::Invalid {
                version: FORMAT_VERSION,
                message: "the field \"version\" must be a whole number".into(),
            })?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(FormatError::TooNew(version));
    }
    if version == 0 {
        return Err(FormatError::Invalid {
            version: FORMAT_VERSION,
            message: "version 0 does not exist; the first version is 1".into(),
        });
    }
    // Steps `1 → 2`, `2 → 3`, … go here when there are later versions; each rewrites `value`
    // and sets its "version".
    Ok(value)
}
