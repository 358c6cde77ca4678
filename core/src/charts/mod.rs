//! Report charts as SVG text: plain data in, a string out.
//!
//! Used by the HTML report (`samsyn run`) and the web app alike, so a chart is the same byte for
//! byte wherever it is drawn: no I/O, no clock, no text measured through a browser (the reason
//! for hand-written SVG rather than plotters, crates.md "Charts"). Every chart is accessible
//! (`role="img"`, `<title>` and a `<desc>` that lists the numbers), scales to its container
//! (a fixed `viewBox`, `width="100%"`), writes numbers the Swedish way and takes its colours from
//! [`PALETTE`]. Non-finite numbers are skipped; no input panics.

mod axis;
mod bar;
#[cfg(test)]
mod examples;
mod funnel;
mod matrix;
mod spc;
mod svg;
mod trend;

pub use bar::{bar_chart, Bar};
pub use funnel::{funnel_chart, FunnelLimit, FunnelPoint};
pub use matrix::{framework_matrix, light_matrix, MatrixCell};
pub use spc::spc_chart;
pub use svg::{escape, format_fixed, format_value, Palette, PALETTE};
pub use trend::{trend_chart, Series, SeriesPoint, SeriesRole, MAX_CONTEXT_LINES};
