//! Control charts of an indicator's units: for shares (p-charts) and rates (u-charts) at levels
//! by month or quarter, one series per unit over its periods in order (methods.md §9; the
//! limits are [`crate::spc`]'s).

use super::definition::{IndicatorSpec, MeasureType};
use super::levels::Dim;
use super::table::LevelTable;
use crate::spc::{control_chart, ChartKind, SpcPoint};

/// The control chart of one unit of a table with months or quarters.
#[derive(Debug, Clone, PartialEq)]
pub struct SpcSeries {
    pub indicator: String,
    pub level: String,
    pub keys: Vec<String>,
    pub kind: ChartKind,
    /// Period label and point, in order.
    pub points: Vec<(String, SpcPoint)>,
}

/// Control charts for shares (p) and rates (u) at levels by month or quarter: one per unit,
/// over its periods in order (methods.md §9).
pub fn spc_series(spec: &IndicatorSpec, tables: &[LevelTable]) -> Vec<SpcSeries> {
    let mut out = Vec::new();
    for t in tables {
        if !matches!(t.level.period, Some(Dim::Month) | Some(Dim::Quarter)) {
            continue;
        }
        let Some(ind) = spec.indicators.get(t.indicator_index) else {
            continue;
        };
        let kind = match ind.measure {
            MeasureType::Share => ChartKind::P,
            MeasureType::Rate => ChartKind::U,
            _ => continue,
        };
        // Rows are sorted by unit, then period.
        let mut start = 0;
        while start < t.rows.len() {
            let keys = &t.rows[start].keys;
            let end = t.rows[start..]
                .iter()
                .position(|r| &r.keys != keys)
                .map_or(t.rows.len(), |p| start + p);
            let rows = &t.rows[start..end];
            let chart = control_chart(
                kind,
                &rows
                    .iter()
                    .map(|r| (r.numerator, r.denominator))
                    .collect::<Vec<_>>(),
                ind.multiplier(),
            );
            out.push(SpcSeries {
                indicator: t.indicator.clone(),
                level: t.level.file_name(),
                keys: keys.clone(),
                kind,
                points: rows
                    .iter()
                    .map(|r| r.period.clone().unwrap_or_default())
                    .zip(chart)
                    .collect(),
            });
            start = end;
        }
    }
    out
}
