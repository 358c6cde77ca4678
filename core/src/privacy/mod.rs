//! Disclosure control: what a run may publish without giving away small counts
//! (methods.md §6.2). `suppression.rs` hides cells (primary and complementary suppression);
//! the user's floor is [`crate::stats::disclosure::Protection`].

mod suppression;

pub use suppression::{nested_indicators, suppress, SuppressionCounts};
