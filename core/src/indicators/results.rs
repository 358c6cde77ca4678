//! Everything a run of the indicators gives ([`Results`]): the tables, the control charts, the
//! county read-out, the hierarchy check and the problems of each source; and the copy of them
//! that may be published ([`Results::suppressed`]).

use std::sync::Arc;

use super::definition::IndicatorSpec;
use super::hierarchy_check::HierarchyIssue;
use super::spc_series::{spc_series, SpcSeries};
use super::table::LevelTable;
use crate::error::Problems;
use crate::privacy::{nested_indicators, suppress, SuppressionCounts};
use crate::rollup::{rollup, unit_summaries, RollupRow, UnitSummary};

/// Everything a run gives.
#[derive(Debug, Clone)]
pub struct Results {
    pub tables: Vec<LevelTable>,
    /// p-charts (shares) and u-charts (rates) per unit, for levels by month or quarter.
    pub spc: Vec<SpcSeries>,
    pub rollup: Vec<RollupRow>,
    pub units: Vec<UnitSummary>,
    pub hierarchy: Vec<HierarchyIssue>,
    /// Problems per data name.
    pub problems: Vec<(String, Problems)>,
    /// The indicators these are results of (for suppression's relations and the read-out).
    pub spec: Arc<IndicatorSpec>,
    /// What [`Results::suppressed`] hid; zero in unsuppressed results.
    pub suppression: SuppressionCounts,
}

impl Results {
    /// The results of `tables`: their control charts, county read-out and unit summaries made
    /// from them, unsuppressed.
    pub fn new(
        spec: Arc<IndicatorSpec>,
        tables: Vec<LevelTable>,
        hierarchy: Vec<HierarchyIssue>,
        problems: Vec<(String, Problems)>,
    ) -> Results {
        Results {
            spc: spc_series(&spec, &tables),
            rollup: rollup(&spec, &tables),
            units: unit_summaries(&tables),
            tables,
            hierarchy,
            problems,
            spec,
            suppression: SuppressionCounts::default(),
        }
    }

    /// A copy for export: every row that would disclose a count from 1 to `threshold` − 1,
    /// directly or by adding and subtracting shown rows, is masked ([`crate::privacy`]); the
    /// county read-out, unit summaries and control charts are made again from what is left.
    /// What leaves the machine goes through [`crate::export::protected`], which also rewords
    /// the diagnostics.
    pub fn suppressed(&self, threshold: f64) -> Results {
        let mut out = self.clone();
        let nested = nested_indicators(&self.spec);
        out.suppression = suppress(&mut out.tables, threshold, &nested);
        if out.suppression.primary + out.suppression.secondary > 0 {
            out.rollup = rollup(&self.spec, &out.tables);
            out.units = unit_summaries(&out.tables);
            // From the masked rows: a hidden point is left out of the centre line too, so the
            // centre of the shown points gives nothing away.
            out.spc = spc_series(&self.spec, &out.tables);
        }
        out
    }
}
