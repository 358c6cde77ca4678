//! Opening an older indicator spec as a notebook: the notebook is the one file format, and an
//! indicator spec (the JSON of [`IndicatorSpec`] that `samsyn indicators` read before the
//! notebook existed, e.g. `notebooks/specs/elderly-and-access.json`) is lifted into one.
//!
//! The rules, so that the notebook lowers back to the same spec (`exec::prepare`) and gives the
//! same numbers (`tests/data/notebooks/spec_v1_frozen.json` is a spec file kept unchanged
//! forever; a test runs it both ways):
//! - each source becomes a data cell named as the source, with its key columns; a mapping file
//!   that is not a source gets a data cell of its own without keys;
//! - the indicators, mappings, age groups and read-out rule become one indicators cell;
//! - what `samsyn indicators` wrote at its default levels (the county and the kommuner, per
//!   year) becomes one table cell per indicator and level, with every column, and a roll-up
//!   cell at the kommun level (`rollup.csv`).
//!
//! The notebook is built as JSON and read by the notebook's own types, so it is exactly what a
//! version-1 notebook file with these cells would open as.

use serde_json::{json, Map, Value};

use super::format::{limits, FormatError, Notebook, FORMAT_NAME, FORMAT_VERSION};
use crate::indicators::{IndicatorSpec, Level};

/// The levels `samsyn indicators` wrote when none was given, in its order.
pub const SPEC_LEVELS: [&str; 2] = ["lan,year", "kommun,year"];

/// The columns a converted table cell shows: everything `samsyn indicators` wrote.
const TABLE_COLUMNS: [&str; 9] = [
    "unit",
    "period",
    "numerator",
    "denominator",
    "value",
    "interval",
    "light",
    "reason",
    "change",
];

/// A file opened by [`open_notebook_or_spec`]: a notebook, and whether it was converted from an
/// indicator spec (the shell then says so and how to save it).
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub notebook: Notebook,
    pub converted_from_spec: bool,
}

/// Whether a parsed file is an indicator spec rather than a notebook: an object with
/// `indicators` and `sources` and no `format`.
pub fn is_indicator_spec(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        !o.contains_key("format") && o.contains_key("indicators") && o.contains_key("sources")
    })
}

/// Opens a notebook file, or an older indicator spec file converted by [`from_spec`].
pub fn open_notebook_or_spec(text: &str) -> Result<Opened, FormatError> {
    if text.len() > limits::FILE_BYTES {
        // The notebook's own message names the limit.
        return Notebook::open(text).map(|notebook| Opened {
            notebook,
            converted_from_spec: false,
        });
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| FormatError::NotJson(e.to_string()))?;
    if !is_indicator_spec(&value) {
        return Notebook::open(text).map(|notebook| Opened {
            notebook,
            converted_from_spec: false,
        });
    }
    let spec: IndicatorSpec = serde_json::from_value(value).map_err(|e| FormatError::Invalid {
        version: FORMAT_VERSION,
        message: format!("the file is an indicator spec, but not a valid one: {e}"),
    })?;
    Ok(Opened {
        notebook: from_spec(&spec)?,
        converted_from_spec: true,
    })
}

/// The notebook of an indicator spec (the rules are in the module's documentation).
pub fn from_spec(spec: &IndicatorSpec) -> Result<Notebook, FormatError> {
    if spec.version != 1 {
        return Err(FormatError::Invalid {
            version: FORMAT_VERSION,
            message: format!(
                "the indicator spec has version {}; only version 1 specs can be converted",
                spec.version
            ),
        });
    }
    let invalid = |e: serde_json::Error| FormatError::Invalid {
        version: FORMAT_VERSION,
        message: format!("the indicator spec could not be converted: {e}"),
    };
    let mut cells = vec![json!({
        "type": "text",
        "id": "intro",
        "markdown": "Konverterad från en indikatorspecifikation: indikatorerna för länet och kommunerna per år, med trafikljus och länets sammanfattning.",
    })];
    let mut used_ids: Vec<String> = vec!["intro".into()];
    let mut data = |name: &str, keys: Value, expects: String, cells: &mut Vec<Value>| {
        let id = if is_cell_id(name) && !used_ids.iter().any(|u| u == name) {
            name.to_owned()
        } else {
            format!("data-{}", used_ids.len())
        };
        used_ids.push(id.clone());
        cells.push(json!({
            "type": "data",
            "id": id,
            "name": name,
            "expects": expects,
            "keys": keys,
        }));
    };
    for (name, keys) in &spec.sources {
        let keys = serde_json::to_value(keys).map_err(invalid)?;
        data(
            name,
            keys,
            format!("Källan '{name}' i indikatorspecifikationen."),
            &mut cells,
        );
    }
    let mut mapping_files: Vec<&str> = Vec::new();
    for m in &spec.mappings {
        if !spec.sources.contains_key(&m.source) && !mapping_files.contains(&m.source.as_str()) {
            mapping_files.push(&m.source);
        }
    }
    for name in mapping_files {
        data(
            name,
            json!({}),
            format!("Kopplingsfilen '{name}' i indikatorspecifikationen."),
            &mut cells,
        );
    }
    cells.push(json!({
        "type": "indicators",
        "id": "indicators",
        "indicators": serde_json::to_value(&spec.indicators).map_err(invalid)?,
        "mappings": serde_json::to_value(&spec.mappings).map_err(invalid)?,
        "age_groups": serde_json::to_value(&spec.age_groups).map_err(invalid)?,
        "rollup": serde_json::to_value(spec.rollup).map_err(invalid)?,
    }));
    for level in SPEC_LEVELS {
        let file_name = Level::parse(level)
            .map(|l| l.file_name())
            .unwrap_or_else(|_| level.replace(',', "_"));
        for (i, ind) in spec.indicators.iter().enumerate() {
            cells.push(json!({
                "type": "table",
                "id": format!("t{}-{file_name}", i + 1),
                "title": ind.name,
                "indicator": ind.id,
                "level": level,
                "columns": TABLE_COLUMNS,
            }));
        }
    }
    cells.push(json!({
        "type": "rollup",
        "id": "rollup",
        "title": "Länets sammanfattning",
        "level": "kommun,year",
    }));
    let mut nb = Map::new();
    nb.insert("format".into(), json!(FORMAT_NAME));
    nb.insert("version".into(), json!(FORMAT_VERSION));
    nb.insert("title".into(), json!("Indikatorer"));
    nb.insert("cells".into(), Value::Array(cells));
    let notebook: Notebook = serde_json::from_value(Value::Object(nb)).map_err(invalid)?;
    notebook.check()?;
    Ok(notebook)
}

/// A cell id as [`Notebook::check`] allows it.
fn is_cell_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::exec::prepare;
    use crate::notebook::Cell;

    fn frozen() -> String {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/notebooks/spec_v1_frozen.json"
        );
        std::fs::read_to_string(path).expect("the frozen spec is part of the test")
    }

    #[test]
    fn the_frozen_spec_opens_as_a_notebook_that_lowers_to_the_same_spec() {
        let text = frozen();
        let spec: IndicatorSpec = serde_json::from_str(&text).unwrap();
        let opened = open_notebook_or_spec(&text).unwrap();
        assert!(opened.converted_from_spec);
        let prepared = prepare(&opened.notebook, &[]).unwrap();
        // The mapping file 'areas' is an input without keys; the rest is the spec itself.
        let mut lowered = prepared.spec.clone();
        assert_eq!(
            lowered.sources.remove("areas"),
            Some(Default::default()),
            "{:?}",
            lowered.sources.keys()
        );
        assert_eq!(lowered, spec);
        let levels: Vec<String> = prepared.levels.iter().map(|l| l.file_name()).collect();
        assert_eq!(levels, ["lan_year", "kommun_year"]);
        let mut names = prepared.input_names();
        names.sort();
        assert_eq!(names, ["areas", "events", "population", "requests"]);
        // One table per indicator and level, and the read-out.
        let tables = opened
            .notebook
            .cells
            .iter()
            .filter(|c| matches!(c, Cell::Table(_)))
            .count();
        assert_eq!(tables, 2 * spec.indicators.len());
        assert!(opened
            .notebook
            .cells
            .iter()
            .any(|c| matches!(c, Cell::Rollup(_))));
        // Saved and opened again, it is the same notebook.
        let again = Notebook::open(&opened.notebook.save()).unwrap();
        assert_eq!(again, opened.notebook);
    }

    #[test]
    fn a_notebook_is_opened_as_it_is() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/notebooks/v1_frozen.samsyn.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let opened = open_notebook_or_spec(&text).unwrap();
        assert!(!opened.converted_from_spec);
        assert_eq!(opened.notebook, Notebook::open(&text).unwrap());
    }

    #[test]
    fn a_bad_spec_is_refused_with_the_reason() {
        let e = open_notebook_or_spec(r#"{"sources": {}, "indicators": 3}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("The notebook does not follow format version 1: the file is an indicator spec, but not a valid one: invalid type: integer `3`, expected a sequence"),
            "{e}"
        );
        let e = open_notebook_or_spec(r#"{"version": 2, "sources": {}, "indicators": []}"#)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "The notebook does not follow format version 1: the indicator spec has version 2; only version 1 specs can be converted"
        );
        let e = open_notebook_or_spec("[1]").unwrap_err();
        assert_eq!(e, FormatError::NotANotebook("(not an object)".into()));
    }

    #[test]
    fn a_source_name_that_is_no_cell_id_gets_one() {
        let spec: IndicatorSpec = serde_json::from_str(
            r#"{"sources": {"min fil": {"kommun": "k"}, "intro": {}}, "indicators": []}"#,
        )
        .unwrap();
        let nb = from_spec(&spec).unwrap();
        let data: Vec<(&str, &str)> = nb
            .cells
            .iter()
            .filter_map(|c| match c {
                Cell::Data(d) => Some((d.id.as_str(), d.name.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(data, [("data-1", "intro"), ("data-2", "min fil")]);
    }
}
