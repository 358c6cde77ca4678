//! Samsyn's engine: the same indicators, computed the same way, at every level.
//!
//! Files come in as bytes (a shell reads them: the browser from a `File`, the CLI from disk),
//! are read in one streaming pass by a plan that keeps only what it needs ([`ingest`]), and
//! leave as small Arrow tables. Nothing here does I/O, reads a clock, starts a thread or knows
//! about the browser; the same code runs natively and in WebAssembly.

pub mod aggregate;
pub mod areas;
pub mod charts;
pub mod classify;
pub mod contract;
pub mod counts;
pub mod dates;
pub mod error;
pub mod export;
pub mod grouped_stats;
pub mod hashing;
pub mod indicators;
pub mod ingest;
pub mod inspect;
pub mod ledger;
pub mod need;
pub mod notebook;
pub mod number_format;
pub mod privacy;
pub mod rollup;
pub mod row_checks;
pub mod spc;
pub mod standard_pop;
pub mod stats;
pub mod table;

pub use error::{Error, Location, Problem, Problems, Severity};
