//! Rates, shares, age standardisation and their confidence intervals, exactly as
//! PHEindicatormethods v2.1.0 computes them (methods.md §1–§4; the reference for every number).
//!
//! Pure functions over plain numbers and slices: no I/O, nothing about files or notebooks. Inputs
//! are checked and every problem is a [`StatsError`] saying what is wrong and where; nothing here
//! panics on input values. The confidence level is a [`Confidence`] parameter everywhere
//! (0.95 by default; 0.998 and any level PHE accepts are supported).

pub mod byar;
pub mod confidence;
pub mod crude_rate;
pub mod disclosure;
pub mod distributions;
pub mod dsr;
pub mod error;
pub mod funnel;
pub mod isr;
pub mod mean;
pub mod poisson;
pub mod wilson;

pub use confidence::Confidence;
pub use crude_rate::{crude_rate, Rate};
pub use disclosure::Disclosure;
pub use dsr::{dsr, dsr_aligned, Dsr, DsrConfig, DsrNote};
pub use error::StatsError;
pub use isr::{expected_aligned, isr, isr_from_totals, Isr, IsrConfig, IsrReference};
pub use mean::{mean, mean_from_moments, Mean, Moments};
pub use poisson::{phe_count_limits, CountLimits, PoissonMethod};
pub use wilson::{proportion, Proportion};

/// PHE's default multiplier for rates and DSRs: per 100 000.
pub const PER_100K: f64 = 100_000.0;
