//! What a source's plan makes and the finish step reads: the finest cell of a row
//! ([`CellKey`]), the indicator sides a source serves ([`SideRequest`]) and their sums per cell
//! ([`SideSums`]). Its own module so that the plan, the cube and the finish step share it
//! without using each other.

use super::definition::Condition;
use crate::stats::Moments;

pub use crate::standard_pop::bands::BANDS;
/// Band id of a row without age.
pub const NO_BAND: u8 = u8::MAX;
/// Provider id of a row without a provider.
pub const NO_PROVIDER: u32 = u32::MAX;

/// The finest geography a source has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoKind {
    Deso,
    Kommun,
    Lan,
    None,
}

/// The finest cell of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct CellKey {
    /// Interned area code (`NO_PROVIDER`-like `u32::MAX` when the source has no area).
    pub geo: u32,
    pub provider: u32,
    pub year: u16,
    /// 1–12, or 0 when the source has years only.
    pub month: u8,
    /// 0 not given, 1 woman (K), 2 man (M).
    pub sex: u8,
    pub band: u8,
}

/// Which side of an indicator a measure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Side {
    #[default]
    Numerator,
    Denominator,
}

/// One indicator side that reads this source.
#[derive(Debug, Clone)]
pub struct SideRequest {
    pub indicator: usize,
    pub indicator_id: String,
    pub side: Side,
    pub conditions: Vec<Condition>,
    pub sum: Option<String>,
    /// Bands (inclusive) the indicator covers.
    pub bands: (u8, u8),
    /// Keep the values' moments per cell (means).
    pub need_sq: bool,
}

/// The sums of one indicator side per cell.
#[derive(Debug, Clone, Default)]
pub struct SideSums {
    pub indicator: usize,
    pub side: Side,
    /// Σ value (rows counted as 1).
    pub sum: Vec<f64>,
    /// The values' moments, for means (empty otherwise).
    pub moments: Vec<Moments>,
    /// Matching rows, when a column is summed (empty otherwise: then rows = `sum`).
    pub rows: Vec<f64>,
    pub need_sq: bool,
    pub need_rows: bool,
}

impl SideRequest {
    /// Whether `self` reads the same rows as `other`: the same conditions, summed column and
    /// ages (which indicator and side it serves aside).
    pub fn reads_like(&self, other: &SideRequest) -> bool {
        self.conditions == other.conditions && self.sum == other.sum && self.bands == other.bands
    }
}

/// Whether two lists of sides read the same rows, in the same order ([`SideRequest::reads_like`]);
/// with `exactly`, for the same indicators and sides too.
pub fn same_sides(a: &[SideRequest], b: &[SideRequest], exactly: bool) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.reads_like(y)
                && (!exactly
                    || (x.indicator, x.side, x.need_sq) == (y.indicator, y.side, y.need_sq))
        })
}

impl SideSums {
    /// Matching rows in cell `i`.
    pub fn rows_at(&self, i: usize) -> f64 {
        if self.need_rows {
            self.rows.get(i).copied().unwrap_or(0.0)
        } else {
            self.sum.get(i).copied().unwrap_or(0.0)
        }
    }
}
