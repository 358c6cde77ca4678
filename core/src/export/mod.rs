//! What Samsyn writes for other programs and people to read: the one CSV writer ([`csv`]) behind
//! every CSV file of the engine, the CLI and the notebook, an indicator row's fields
//! ([`unit_rows`]), and the words every export uses to say
//! how it is protected against disclosing small counts (methods.md §6.2).

pub mod csv;
pub mod unit_rows;

pub use csv::{rewrite as rewrite_csv, CsvWriter, Dialect as CsvDialect, Field};
pub use unit_rows::{unit_row_fields, UNIT_ROW_COLUMNS};

use crate::classify::format_number;

use crate::indicators::Results;
use crate::stats::Disclosure;

/// Indicator results as they may leave the machine at the disclosure floor `threshold`: the
/// tables through [`Results::suppressed`] (primary and complementary suppression, and no
/// change next to a hidden period), and what would give a masked count back:
/// - a control chart with a masked point: its centre line pools every period (Σx / Σn), so the
///   centre and the limits (centre ± 3σ) of the whole series are left out, and each masked point
///   loses its count and value ([`crate::spc::SpcPoint::suppress`]);
/// - the hierarchy check's messages, which quote counts
///   ([`crate::indicators::hierarchy_check::HierarchyIssue::suppressed`]).
pub fn protected(results: &Results, threshold: f64) -> Results {
    // Primary and complementary suppression, changes next to hidden periods, and the
    // read-out and control charts made from what is left (crate::privacy).
    let mut out = results.suppressed(threshold);
    let floor = Disclosure::below(threshold);
    for s in &mut out.spc {
        let any = s.points.iter().any(|(_, p)| {
            !p.numerator.is_finite()
                || floor.suppresses(p.numerator)
                || floor.suppresses(p.denominator)
        });
        if !any {
            continue;
        }
        for (_, p) in &mut s.points {
            p.suppress(threshold);
            (p.centre, p.lower, p.upper) = (f64::NAN, None, None);
        }
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

/// The reason shown instead of a masked row's own reason (which may quote its count). The same
/// for primary and complementary suppression, or it would tell which hidden count is small.
pub fn masked_reason(threshold: f64) -> String {
    format!(
        "Visas inte (röjandeskydd, tröskel {})",
        format_number(threshold)
    )
}

/// [`masked_reason`] in both languages.
pub fn masked_reason_words(threshold: f64) -> crate::error::Message {
    crate::error::Message::both(
        format!(
            "Not shown (disclosure control, threshold {})",
            crate::classify::format_number_in(threshold, crate::number_format::Language::English)
        ),
        masked_reason(threshold),
    )
}

/// The note of a row masked because its own numerator or denominator is small.
pub fn masked_note(threshold: f64) -> String {
    format!(
        "suppressed: a count below the disclosure threshold of {}",
        format_number(threshold)
    )
}

/// The note of a masked indicator row, whether its own counts are small or it protects another's
/// (secondary suppression), in `lang`.
pub fn suppressed_note(threshold: f64, lang: crate::number_format::Language) -> String {
    let threshold = crate::classify::format_number_in(threshold, lang);
    lang.pick(
        format!("dold (röjandeskydd, tröskel {threshold})"),
        format!("suppressed (disclosure control, threshold {threshold})"),
    )
}
