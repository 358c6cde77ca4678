//! Periods the data cover only in part (issue 10): a year at the start or end of a dated
//! source that it covers in only some months (the current year so far, an extract cut in March)
//! is flagged on every row of that period, so that it is not read as a whole year. Coverage runs
//! from the first to the last month seen in the rows used
//! ([`super::plan::SourceData::partial_years`]): a month without rows inside the data (a rare
//! event) is not a gap. Sources with years only (a population table) say nothing about it.

use std::collections::HashMap;

use super::definition::Indicator;
use super::levels::{Dim, Period};
use super::plan::SourceData;
use super::table::LevelTable;
use crate::error::Message;

/// The months (bit 0 January) a period covers at the level's period dimension.
fn months_of(period: Period, dim: Dim) -> u16 {
    let span = |first: u8, n: u8| -> u16 {
        (first..first.saturating_add(n))
            .filter(|m| (1..=12).contains(m))
            .fold(0, |mask, m| mask | 1 << (m - 1))
    };
    match dim {
        Dim::Half => span(period.sub.saturating_sub(1) * 6 + 1, 6),
        Dim::Quarter => span(period.sub.saturating_sub(1) * 3 + 1, 3),
        Dim::Month => span(period.sub, 1),
        _ => span(1, 12),
    }
}

/// The note for a period some source of the indicator covers only in part.
fn note(
    indicator: &Indicator,
    sources: &HashMap<&str, &SourceData>,
    period: Period,
    dim: Dim,
) -> Option<Message> {
    let wanted = months_of(period, dim);
    let mut names = vec![indicator.numerator.source.as_str()];
    names.extend(indicator.denominator.as_ref().map(|d| d.source.as_str()));
    names.dedup();
    for name in names {
        let Some(data) = sources.get(name) else {
            continue;
        };
        let Some(&(_, seen)) = data.partial_years.iter().find(|(y, _)| *y == period.year) else {
            continue;
        };
        let covered = (seen & wanted).count_ones();
        if seen & wanted != wanted {
            let months = wanted.count_ones();
            return Some(Message::both(
                format!("Incomplete period: {name} covers {covered} of {months} months"),
                format!("Ofullständig period: {name} täcker {covered} av {months} månader"),
            ));
        }
    }
    None
}

/// Flags the rows of periods the data cover only in part.
pub fn flag_partial(
    tables: &mut [LevelTable],
    indicators: &[Indicator],
    sources: &HashMap<&str, &SourceData>,
) {
    for t in tables {
        let (Some(dim), Some(indicator)) = (t.level.period, indicators.get(t.indicator_index))
        else {
            continue;
        };
        for row in &mut t.rows {
            row.partial = note(indicator, sources, row.period_code, dim);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_of_periods() {
        let p = |sub| Period { year: 2024, sub };
        assert_eq!(months_of(p(0), Dim::Year), 0x0FFF);
        assert_eq!(months_of(p(2), Dim::Half), 0x0FC0);
        assert_eq!(months_of(p(1), Dim::Quarter), 0x0007);
        assert_eq!(months_of(p(3), Dim::Month), 0x0004);
    }
}
