//! What Samsyn writes for other programs and people to read: the one CSV writer ([`csv`]) behind
//! every CSV file of the engine, the CLI and the notebook, an indicator row's fields
//! ([`unit_rows`]), and the words every export uses to say
//! how it is protected against disclosing small counts (methods.md §6.2).

pub mod csv;
pub mod unit_rows;

pub use csv::{CsvWriter, Field};
pub use unit_rows::{unit_row_fields, UNIT_ROW_COLUMNS};

use crate::classify::format_number;
use crate::indicators::Results;

/// Indicator results as they may leave the machine at the disclosure floor `threshold`: the
/// tables through [`Results::suppressed`], and also the control-chart points
/// ([`crate::spc::SpcPoint::suppress`]) and the hierarchy check's messages
/// ([`crate::indicators::hierarchy_check::HierarchyIssue::suppressed`]), which quote counts too.
pub fn protected(results: &Results, threshold: f64) -> Results {
    let mut out = results.suppressed(threshold);
    for s in &mut out.spc {
        s.points.iter_mut().for_each(|(_, p)| p.suppress(threshold));
    }
    out.hierarchy = out
        .hierarchy
        .iter()
        .map(|h| h.suppressed(threshold))
        .collect();
    out
}

/// The column an export gets when the user turned disclosure control off.
pub const PROTECTION_COLUMN: &str = "protection";

/// What that column says on every row: a spreadsheet user sees it beside each number.
pub const NOT_PROTECTED: &str =
    "NOT PROTECTED: small counts are shown (--no-disclosure-control); do not publish";

/// The reason shown instead of a masked row's own reason (which may quote its count).
pub fn masked_reason(threshold: f64) -> String {
    format!(
        "Färre än {} fall: visas inte (röjandeskydd)",
        format_number(threshold)
    )
}

/// The note of a row masked because its own numerator or denominator is small.
pub fn masked_note(threshold: f64) -> String {
    format!(
        "suppressed: a count below the disclosure threshold of {}",
        format_number(threshold)
    )
}
