//! Disclosure control: what a run may publish without giving away small counts
//! (methods.md §6.2). `suppression.rs` hides cells (primary and complementary suppression);
//! the user's floor is [`crate::stats::disclosure::Protection`].

mod suppression;

pub use suppression::{nested_indicators, suppress, SuppressionCounts};

/// Whether `text` quotes a number from 1 to `threshold` − 1 (a diagnostic that would give a
/// small count away). Numbers are runs of digits; `1 234` reads as two numbers, which only
/// errs on the side of caution.
pub fn quotes_small_count(text: &str, threshold: f64) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|t| t.parse::<f64>().ok())
        .any(|n| n > 0.0 && n < threshold)
}
