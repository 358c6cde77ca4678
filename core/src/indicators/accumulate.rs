//! One indicator's cells summed to a level's units: per unit and period the numerator and
//! denominator, by 5-year band for the standardised measures, and the numerator values'
//! [`Moments`] for a mean. Every level is a sum of the same finest cells, so a county value is
//! that of its pooled parts; nothing here divides.

use std::collections::HashMap;

use super::definition::{Indicator, MeasureType};
use super::levels::{Level, Period};
use super::plan::{Side, SourceData};
use super::units::{Slot, Units};
use super::IndicatorError;
use crate::hashing::FxBuild;
use crate::standard_pop::bands::BANDS;
use crate::stats::Moments;

/// A unit's sums in one period.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnitAcc {
    pub num: f64,
    /// The numerator's values, for a mean (their count is its weight `n`).
    pub moments: Moments,
    pub den: f64,
    /// By 5-year band, for a DSR or ISR (empty otherwise).
    pub band_num: Vec<f64>,
    pub band_den: Vec<f64>,
}

/// The sums of one indicator at one level, per unit (interned by `units`) and period.
pub(crate) type UnitSums = HashMap<(u32, Period), UnitAcc, FxBuild>;

/// Rolls one indicator's cells up to a level: per unit (interned parts, period) the sums.
pub(crate) fn accumulate(
    units: &Units<'_>,
    sources: &HashMap<&str, &SourceData>,
    ind: usize,
    indicator: &Indicator,
    level: &Level,
) -> Result<UnitSums, IndicatorError> {
    let banded = matches!(indicator.measure, MeasureType::Dsr | MeasureType::Isr);
    let per_year = level.period.map(Period::per_year).unwrap_or(1);
    let mut out: UnitSums = HashMap::default();
    let mut sides = vec![(Side::Numerator, &indicator.numerator)];
    if let Some(d) = &indicator.denominator {
        if indicator.measure != MeasureType::Count && indicator.measure != MeasureType::Mean {
            sides.push((Side::Denominator, d));
        }
    }
    for (side, measure) in sides {
        let src = *sources
            .get(measure.source.as_str())
            .ok_or_else(|| IndicatorError::NoData(measure.source.clone()))?;
        let Some(sums) = src
            .sides
            .iter()
            .find(|s| s.indicator == ind && s.side == side)
        else {
            continue;
        };
        let map =
            units
                .cells(src, side, level)
                .map_err(|what| IndicatorError::LevelNotInSource {
                    indicator: indicator.id.clone(),
                    level: level.columns().join(","),
                    what,
                    source_name: src.name.clone(),
                })?;
        for (i, (cell, &(id, slot))) in src.cells.iter().zip(map.iter()).enumerate() {
            let rows = sums.rows_at(i);
            if rows <= 0.0 {
                continue;
            }
            let sum = sums.sum.get(i).copied().unwrap_or(0.0);
            let moments = sums.moments.get(i);
            let (first, subs, share) = match slot {
                Slot::At(p) => (p, 1, 1.0),
                Slot::Spread(year) => {
                    (Period { year, sub: 1 }, per_year, 1.0 / f64::from(per_year))
                }
            };
            for k in 0..subs {
                let p = Period {
                    sub: first.sub + k,
                    ..first
                };
                let acc = out.entry((id, p)).or_insert_with(|| UnitAcc {
                    band_num: if banded { vec![0.0; BANDS] } else { Vec::new() },
                    band_den: if banded { vec![0.0; BANDS] } else { Vec::new() },
                    ..UnitAcc::default()
                });
                let band = cell.band as usize;
                match side {
                    Side::Numerator => {
                        acc.num += sum * share;
                        if let Some(m) = moments {
                            acc.moments.merge(&m.scaled(share));
                        }
                        if let Some(b) = acc.band_num.get_mut(band) {
                            *b += sum * share;
                        }
                    }
                    Side::Denominator => {
                        acc.den += sum * share;
                        if let Some(b) = acc.band_den.get_mut(band) {
                            *b += sum * share;
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}
