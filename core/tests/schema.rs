//! The JSON Schema of the notebook format, `docs/notebook.schema.json`, is generated from the
//! types (schemars, feature `schema`, on only for tests so the wasm module does not carry it).
//! This test fails when the committed schema is not what the types give; run it with
//! `UPDATE_SCHEMA=1` to rewrite the file, and review the diff.

use samsyn_core::notebook::Notebook;

const SCHEMA: &str = "../docs/notebook.schema.json";

#[test]
fn committed_schema_matches_the_types() {
    let schema = schemars::schema_for!(Notebook);
    let mut text = serde_json::to_string_pretty(&schema).unwrap();
    text.push('\n');
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(SCHEMA, &text).unwrap();
    }
    let committed = std::fs::read_to_string(SCHEMA).unwrap_or_default();
    assert!(
        committed == text,
        "docs/notebook.schema.json is out of date; run UPDATE_SCHEMA=1 cargo test -p samsyn-core --test schema"
    );
}

#[test]
fn schema_names_every_cell_type() {
    let text = std::fs::read_to_string(SCHEMA).unwrap();
    for t in [
        "text",
        "parameters",
        "data",
        "indicators",
        "table",
        "chart",
        "rollup",
    ] {
        assert!(text.contains(&format!("\"const\": \"{t}\"")), "{t}");
    }
    assert!(text.contains("light_matrix") && text.contains("framework"));
}
