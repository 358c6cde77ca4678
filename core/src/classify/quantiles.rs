//! Relative colours across units: best share green, worst share red, the middle yellow.
//!
//! Method source: Fingertips `QuintilesComparer` / `ValueCategoriesCalculator` (methods.md §5.1):
//! bounds by percentile rank r = (count − 1)·f + 1 with linear interpolation (Excel
//! `PERCENTILE.INC`), rounded to 10 decimals; category = the first i with value ≤ bound[i].
//! Kolada's colours (§5.2) are best 25 % / middle 50 % / worst 25 %; its exact cut-points are not
//! confirmed, so the shares are configuration (default 25/50/25, = Fingertips quartiles).

use super::{both, format_number_in, Classified, Light, Polarity};
use crate::error::Message;

/// Fingertips needs at least this many valid values for quartiles.
pub const MIN_UNITS: usize = 4;

/// `PERCENTILE.INC` of sorted values at fraction `f` (0…1); `None` when empty.
pub fn percentile_inc(sorted: &[f64], f: f64) -> Option<f64> {
    let n = sorted.len();
    let last = n.checked_sub(1)?;
    let r = last as f64 * f.clamp(0.0, 1.0);
    let lo = r.floor();
    let frac = r - lo;
    // r lies in [0, n−1], so the truncation is in range.
    let i = lo as usize;
    let a = *sorted.get(i)?;
    let b = sorted.get(i + 1).copied().unwrap_or(a);
    Some(a + frac * (b - a))
}

fn round10(x: f64) -> f64 {
    (x * 1e10).round() / 1e10
}

/// Fingertips bounds for k categories: [min, P(1/k), …, P((k−1)/k), max]; `None` with fewer than
/// k valid values.
pub fn fingertips_bounds(values: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.len() < k || k == 0 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    (0..=k)
        .map(|i| percentile_inc(&v, i as f64 / k as f64).map(round10))
        .collect()
}

/// The category 1…k of a value (1 = lowest values): the first i with value ≤ bound[i].
pub fn fingertips_category(value: f64, bounds: &[f64]) -> usize {
    let k = bounds.len().saturating_sub(1);
    (1..=k)
        .find(|&i| bounds.get(i).is_some_and(|b| value <= *b))
        .unwrap_or(k)
}

/// Quantile lights for units' values (`None` = no value): the `green_share` best green, the
/// `red_share` worst red, the rest yellow. Needs [`MIN_UNITS`] valid values.
pub fn quantile_lights(
    values: &[Option<f64>],
    polarity: Polarity,
    green_share: f64,
    red_share: f64,
) -> Vec<Classified> {
    let valid: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if polarity == Polarity::NoJudgement {
        return values
            .iter()
            .map(|_| {
                Classified::grey(Message::both(
                    "No assessment (the indicator has no direction)",
                    "Ingen bedömning (ingen riktning för indikatorn)",
                ))
            })
            .collect();
    }
    if valid.len() < MIN_UNITS {
        return values
            .iter()
            .map(|_| {
                Classified::grey(Message::both(
                    format!(
                        "Too few units with a value for quantiles ({} of at least {MIN_UNITS})",
                        valid.len()
                    ),
                    format!(
                        "För få enheter med värde för kvantiler ({} av minst {MIN_UNITS})",
                        valid.len()
                    ),
                ))
            })
            .collect();
    }
    let mut sorted = valid;
    sorted.sort_by(f64::total_cmp);
    // Fractions of the low and high cut: high-is-good puts red at the bottom.
    let (low_f, high_f) = match polarity {
        Polarity::LowIsGood => (green_share, 1.0 - red_share),
        _ => (red_share, 1.0 - green_share),
    };
    let low = percentile_inc(&sorted, low_f)
        .map(round10)
        .unwrap_or(f64::NAN);
    let high = percentile_inc(&sorted, high_f)
        .map(round10)
        .unwrap_or(f64::NAN);
    let (low_light, high_light) = match polarity {
        Polarity::LowIsGood => (Light::Green, Light::Red),
        _ => (Light::Red, Light::Green),
    };
    let n = format_number_in;
    // "Bland de 25 % lägsta: 3,1 (gräns 4,2)", "Among the 25 % highest: …".
    let extreme = |light, share: f64, side: (&str, &str), x: f64, limit: f64| {
        Classified::new(
            light,
            both(|l| {
                format!(
                    "{} {} % {}: {} ({} {})",
                    l.pick("Bland de", "Among the"),
                    n(share * 100.0, l),
                    l.pick(side.0, side.1),
                    n(x, l),
                    l.pick("gräns", "limit"),
                    n(limit, l)
                )
            }),
        )
    };
    values
        .iter()
        .map(|v| match v.filter(|x| x.is_finite()) {
            None => Classified::grey(Message::both("No value", "Inget värde")),
            Some(x) if x <= low => extreme(low_light, low_f, ("lägsta", "lowest"), x, low),
            Some(x) if x > high => {
                extreme(high_light, 1.0 - high_f, ("högsta", "highest"), x, high)
            }
            Some(x) => Classified::new(
                Light::Yellow,
                both(|l| {
                    format!(
                        "{}: {} ({} {} {} {})",
                        l.pick("I mitten", "In the middle"),
                        n(x, l),
                        l.pick("mellan", "between"),
                        n(low, l),
                        l.pick("och", "and"),
                        n(high, l)
                    )
                }),
            ),
        })
        .collect()
}
