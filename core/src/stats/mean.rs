//! Means with Student t confidence intervals.
//!
//! Source: PHEindicatormethods `phe_mean` (`R/Means.R`, v2.1.0; methods.md §1.3):
//! value = Σx/k, limits = value ∓ t_{1−α/2, k−1} · s/√k with s the sample standard deviation.
//! The t quantile is hand-written ([`super::distributions::student_t_upper_quantile`]).
//!
//! [`mean`] is the two-pass reference over a slice. A streamed mean (a plan's cells, summed to a
//! unit) keeps [`Moments`] instead of Σx and Σx²: Σx² − (Σx)²/k cancels catastrophically when the
//! values are large beside their spread (1e9 + small), whereas Welford's update (Welford 1962;
//! weighted as West 1979) and the pairwise merge of Chan, Golub and LeVeque (1979) stay within a
//! few units in the last place of the two-pass result. The moments are kept about a shift (the
//! first value pushed), so that the mean's own rounding (an ulp of 1e9 is 1.2e-7) does not enter
//! the spread when cells are merged.

use super::confidence::Confidence;
use super::distributions::student_t_upper_quantile;
use super::error::{Place, Quantity, StatsError};

/// A mean with its t interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mean {
    pub n: usize,
    pub value: f64,
    /// Sample standard deviation (divisor k − 1).
    pub sd: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The mean of `values` with its Student t interval; needs at least two values, all finite.
pub fn mean(values: &[f64], confidence: Confidence) -> Result<Mean, StatsError> {
    let k = values.len();
    if k < 2 {
        return Err(StatsError::TooFewValues { n: k });
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(StatsError::NotFinite {
            at: Place::Item(i),
            what: Quantity::Value,
        });
    }
    let kf = k as f64;
    let value = values.iter().sum::<f64>() / kf;
    let ss: f64 = values.iter().map(|v| (v - value) * (v - value)).sum();
    Ok(with_interval(k, kf, value, ss, confidence))
}

/// The mean of streamed [`Moments`] with its Student t interval: the same [`Mean`] as [`mean`]
/// over the values pushed (to rounding). Needs a weight of at least two values, and finite
/// values; `n` is the total weight rounded down.
pub fn mean_from_moments(m: &Moments, confidence: Confidence) -> Result<Mean, StatsError> {
    if m.n.is_nan() || m.n < 2.0 {
        return Err(StatsError::TooFewValues {
            n: if m.n.is_finite() && m.n > 0.0 {
                m.n as usize
            } else {
                0
            },
        });
    }
    if !(m.mean().is_finite() && m.m2.is_finite()) {
        return Err(StatsError::NotFinite {
            at: Place::Total,
            what: Quantity::Value,
        });
    }
    Ok(with_interval(
        m.n as usize,
        m.n,
        m.mean(),
        m.m2.max(0.0),
        confidence,
    ))
}

/// The t interval of a mean `value` of weight `k` with Σ(x − value)² = `ss`.
fn with_interval(n: usize, k: f64, value: f64, ss: f64, confidence: Confidence) -> Mean {
    let sd = (ss / (k - 1.0)).sqrt();
    let t = student_t_upper_quantile(confidence.alpha() / 2.0, k - 1.0);
    let half = t * sd / k.sqrt();
    Mean {
        n,
        value,
        sd,
        lower: value - half,
        upper: value + half,
    }
}

/// The count, mean and sum of squared deviations of streamed values, mergeable: push values one
/// at a time ([`Moments::push`]), merge two accumulators ([`Moments::merge`]) in any order, and
/// weight a whole accumulator by a share ([`Moments::scaled`]) when its rows are spread.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    /// Σ weights (the number of values when each weighs 1).
    pub n: f64,
    /// The origin the mean is kept from: the first value pushed.
    shift: f64,
    /// The mean less `shift`.
    mean_less_shift: f64,
    /// Σ w·(x − mean)².
    pub m2: f64,
}

impl Moments {
    /// One value of weight 1.
    pub fn push(&mut self, x: f64) {
        self.push_weighted(x, 1.0);
    }

    /// One value of weight `w` (> 0; other weights are ignored).
    pub fn push_weighted(&mut self, x: f64, w: f64) {
        if w.is_nan() || w <= 0.0 {
            return;
        }
        if self.n == 0.0 {
            *self = Moments {
                n: w,
                shift: x,
                mean_less_shift: 0.0,
                m2: 0.0,
            };
            return;
        }
        let d = x - self.shift;
        self.n += w;
        let delta = d - self.mean_less_shift;
        self.mean_less_shift += delta * w / self.n;
        self.m2 += w * delta * (d - self.mean_less_shift);
    }

    /// Adds the values of `other`, as if they had been pushed here (Chan et al.).
    pub fn merge(&mut self, other: &Moments) {
        if other.n.is_nan() || other.n <= 0.0 {
            return;
        }
        if self.n == 0.0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        // Both means from this accumulator's origin: the shifts' difference is exact when they
        // are close, which is when the means' rounding would matter.
        let delta = (other.shift - self.shift) + other.mean_less_shift - self.mean_less_shift;
        self.mean_less_shift += delta * other.n / n;
        self.m2 += other.m2 + delta * delta * self.n * other.n / n;
        self.n = n;
    }

    /// Every value's weight times `share` (a year's rows spread over its months).
    pub fn scaled(&self, share: f64) -> Moments {
        Moments {
            n: self.n * share,
            m2: self.m2 * share,
            ..*self
        }
    }

    /// The mean of the values pushed (0 when none).
    pub fn mean(&self) -> f64 {
        self.shift + self.mean_less_shift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    /// Issue 11's hostile case: 1e9 + 0.1·i for i = 0..1000 (sd 28.88), pushed in cells of
    /// uneven sizes and merged, equals the two-pass mean to 1e-12 in value, sd and limits.
    #[test]
    fn streamed_moments_equal_the_two_pass_mean_on_large_values() {
        let values: Vec<f64> = (0..1000).map(|i| 1e9 + 0.1 * f64::from(i)).collect();
        let want = mean(&values, Confidence::p95()).unwrap();
        // Cells of 1, 2, …, 44 values (the last one shorter), merged in reverse order.
        let mut cells = Vec::new();
        let mut rest = values.as_slice();
        let mut size = 1;
        while !rest.is_empty() {
            let (cell, tail) = rest.split_at(size.min(rest.len()));
            let mut m = Moments::default();
            cell.iter().for_each(|&x| m.push(x));
            cells.push(m);
            rest = tail;
            size += 1;
        }
        let mut total = Moments::default();
        cells.iter().rev().for_each(|c| total.merge(c));
        let got = mean_from_moments(&total, Confidence::p95()).unwrap();
        assert_eq!(got.n, 1000);
        for (g, w) in [
            (got.value, want.value),
            (got.sd, want.sd),
            (got.lower, want.lower),
            (got.upper, want.upper),
        ] {
            assert!(rel(g, w) <= 1e-12, "{g} vs {w}");
        }
        // sd of 0, 0.1, …, 99.9: √(1000·1001/12)·0.1 = 28.88194360957494 (the data are 1e9 +
        // those to within an ulp of 1e9, 1.2e-7).
        assert!(rel(want.sd, 28.881_943_609_574_94) < 1e-8);

        // The formula this replaces, (Σx² − (Σx)²/k)/(k − 1) from the same one-pass sums:
        // Σx² ≈ 1e21, whose ulp (131 072) is a sixth of the whole Σ(x − x̄)² (833 332.5). It
        // gives sd 28.05742716678098 against 28.88194360949238: a relative error of 2.9e-2,
        // ten orders of magnitude over this test's 1e-12.
        let (s, sq) = values
            .iter()
            .fold((0.0, 0.0), |(s, q), x| (s + x, q + x * x));
        let k = values.len() as f64;
        let old_sd = ((sq - s * s / k) / (k - 1.0)).max(0.0).sqrt();
        assert!(rel(old_sd, want.sd) > 1e-2, "old formula gave {old_sd}");
    }

    #[test]
    fn weights_and_shares_are_repeated_values() {
        // 2, 4, 4, 6 as 2 (w 1), 4 (w 2), 6 (w 1); and as one accumulator halved then doubled.
        let mut w = Moments::default();
        w.push_weighted(2.0, 1.0);
        w.push_weighted(4.0, 2.0);
        w.push_weighted(6.0, 1.0);
        w.push_weighted(100.0, 0.0);
        let want = mean(&[2.0, 4.0, 4.0, 6.0], Confidence::p95()).unwrap();
        let got = mean_from_moments(&w, Confidence::p95()).unwrap();
        assert!(rel(got.value, want.value) < 1e-15 && rel(got.sd, want.sd) < 1e-15);
        let mut halves = w.scaled(0.5);
        halves.merge(&w.scaled(0.5));
        assert!(rel(halves.n, 4.0) < 1e-15 && rel(halves.m2, w.m2) < 1e-15);
        assert_eq!(halves.mean(), 4.0);
    }

    #[test]
    fn too_few_or_not_finite_is_an_error() {
        let mut m = Moments::default();
        assert_eq!(
            mean_from_moments(&m, Confidence::p95()).unwrap_err(),
            StatsError::TooFewValues { n: 0 }
        );
        m.push(3.0);
        assert_eq!(
            mean_from_moments(&m, Confidence::p95()).unwrap_err(),
            StatsError::TooFewValues { n: 1 }
        );
        m.push(f64::INFINITY);
        assert!(matches!(
            mean_from_moments(&m, Confidence::p95()),
            Err(StatsError::NotFinite { .. })
        ));
        // Merging into or from an empty accumulator changes nothing.
        let mut e = Moments::default();
        e.merge(&Moments::default());
        assert_eq!(e, Moments::default());
    }
}
