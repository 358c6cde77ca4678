//! An indicator table's rows as CSV: the columns and fields that the notebook's table CSV and
//! `samsyn indicators` share, so both write a unit the same way.

use super::Field;
use crate::indicators::UnitRow;

/// The columns after the level's own (its dimensions, then the period).
pub const UNIT_ROW_COLUMNS: [&str; 7] = [
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "light",
    "reason",
];

/// A row's fields for the level's columns and [`UNIT_ROW_COLUMNS`]; `reason` is the row's own or,
/// for a masked row, the masked one ([`super::masked_reason`]). Masked numbers are empty.
pub fn unit_row_fields<'a>(row: &'a UnitRow, reason: &'a str) -> impl Iterator<Item = Field<'a>> {
    row.keys
        .iter()
        .chain(row.period.iter())
        .map(|k| Field::Text(k))
        .chain([
            Field::Number(row.numerator),
            Field::Number(row.denominator),
            Field::Maybe(row.value),
            Field::Maybe(row.lower),
            Field::Maybe(row.upper),
            Field::Text(row.light.label()),
            Field::Text(reason),
        ])
}
