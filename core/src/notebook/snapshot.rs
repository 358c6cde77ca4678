//! A result snapshot kept in the notebook file: only when the analyst asks for it, only
//! aggregated (the rows of the notebook's tables, never records), and only after small-count
//! suppression: a row whose numerator or denominator is between 1 and the disclosure threshold
//! − 1 keeps its keys and light but loses its numbers. The snapshot says all this in the file.
//!
//! Method source: the disclosure threshold of methods.md §6.2 (counts 1–4 are not shown).

use serde_json::Map;

use super::format::{Cell, Notebook};
pub use super::format::{Snapshot, SnapshotRow, SnapshotTable};
use super::output::NotebookResults;

/// The value of `snapshot.kind`.
pub const SNAPSHOT_KIND: &str = "aggregated-suppressed";

/// The snapshot of a run: the indicator × level of every table cell, suppressed.
pub fn take(nb: &Notebook, r: &NotebookResults, threshold: f64) -> Snapshot {
    let mut tables = Vec::new();
    let Some(raw) = &r.results else {
        return empty(r, threshold);
    };
    // The same primary and complementary suppression as every other export.
    let results = crate::export::protected(raw, threshold);
    for cell in &nb.cells {
        let Cell::Table(t) = cell else { continue };
        let Some(level) = t.level.value() else {
            continue;
        };
        let Some(lt) = results
            .tables
            .iter()
            .find(|x| x.indicator == t.indicator && x.level == *level)
        else {
            continue;
        };
        if tables
            .iter()
            .any(|x: &SnapshotTable| x.indicator == t.indicator && x.level == level.file_name())
        {
            continue;
        }
        let rows = lt
            .rows
            .iter()
            .map(|row| {
                let finite = |v: f64| v.is_finite().then_some(v);
                SnapshotRow {
                    keys: row.keys.clone(),
                    period: row.period.clone(),
                    numerator: finite(row.numerator),
                    denominator: finite(row.denominator),
                    value: row.value,
                    lower: row.lower,
                    upper: row.upper,
                    light: row.light.label().to_owned(),
                    suppressed: row.suppressed,
                }
            })
            .collect();
        tables.push(SnapshotTable {
            indicator: t.indicator.clone(),
            level: level.file_name(),
            rows,
        });
    }
    Snapshot {
        tables,
        ..empty(r, threshold)
    }
}

fn empty(r: &NotebookResults, threshold: f64) -> Snapshot {
    Snapshot {
        kind: SNAPSHOT_KIND.into(),
        note: format!(
            "Sammanräknade resultat sparade på begäran. Antal mellan 1 och {} är borttagna (röjandeskydd); inga enskilda poster finns i filen.",
            threshold - 1.0
        ),
        disclosure_threshold: threshold,
        parameters: r.params.clone(),
        tables: Vec::new(),
        extra: Map::new(),
    }
}
