//! Value axes: round ticks in 1-2-5 steps and the linear map from data to the drawing.
//!
//! Method: Heckbert's "nice numbers" (Graphics Gems, 1990), restricted to steps of 1, 2 and 5
//! times a power of ten, the ticks covering the data.

/// The ticks of an axis and the range they cover.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub values: Vec<f64>,
    /// Decimals that show the step exactly (step 0,2 → 1).
    pub decimals: usize,
}

/// At most this many ticks, whatever the data.
const MAX_TICKS: usize = 40;

/// Round ticks covering `lo..=hi`, about `target` of them. Non-finite bounds give 0..1; equal
/// bounds are widened (10 % either side, or 0..1 around zero).
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if !(hi - lo).is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    if hi - lo <= f64::EPSILON * lo.abs().max(hi.abs()) {
        if lo == 0.0 {
            hi = 1.0;
        } else {
            let pad = lo.abs() * 0.1;
            lo -= pad;
            hi += pad;
        }
    }
    let target = target.clamp(2, 20);
    let raw = (hi - lo) / f64::from(u32::try_from(target).unwrap_or(5));
    let exponent = decimal_exponent(raw);
    let magnitude = pow10(exponent);
    let exponent = f64::from(exponent);
    let norm = raw / magnitude;
    let factor = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = factor * magnitude;
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let decimals = if factor == 10.0 {
        (-(exponent + 1.0)).max(0.0)
    } else {
        (-exponent).max(0.0)
    };
    // Bounded (≤ 300) before converting.
    let decimals = decimals.min(12.0) as usize;
    let mut values = Vec::new();
    for i in 0..=MAX_TICKS {
        let v = start + step * f64::from(u32::try_from(i).unwrap_or(0));
        if v > end + step * 1e-9 {
            break;
        }
        values.push(round_to(v, decimals));
    }
    let lo = values.first().copied().unwrap_or(start);
    let hi = values.last().copied().unwrap_or(end);
    Ticks {
        lo,
        hi: if hi > lo { hi } else { lo + step },
        values,
        decimals,
    }
}

/// 10^e from IEEE basic operations only: `log10` and `powf` come from the platform's maths
/// library (glibc natively, Rust's libm on wasm32) and may differ in the last bit, which could
/// move a tick and break "the same bytes everywhere". Exact up to 10^22; beyond, repeated
/// multiplication, which is deterministic too.
fn pow10(e: i32) -> f64 {
    const EXACT: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let e = e.clamp(-330, 310);
    let k = e.unsigned_abs();
    let mut p = 1.0;
    let mut left = k;
    while left > 22 {
        p *= 1e22;
        left -= 22;
    }
    p *= EXACT
        .get(usize::try_from(left).unwrap_or(0))
        .copied()
        .unwrap_or(1.0);
    if e < 0 {
        1.0 / p
    } else {
        p
    }
}

/// ⌊log10 x⌋ for a positive finite `x`, settled with [`pow10`] so it is the same on every
/// platform (the platform's `log10` only gives the first guess).
fn decimal_exponent(x: f64) -> i32 {
    if !(x.is_finite() && x > 0.0) {
        return 0;
    }
    // Bounded by ±400 before converting.
    let mut e = x.log10().floor().clamp(-400.0, 400.0) as i32;
    while e > -330 && pow10(e) > x {
        e -= 1;
    }
    while e < 310 && pow10(e + 1) <= x {
        e += 1;
    }
    e
}

/// `v` rounded to `decimals`, to print ticks without binary noise (0.30000000000000004).
fn round_to(v: f64, decimals: usize) -> f64 {
    let p = pow10(i32::try_from(decimals).unwrap_or(0));
    let r = (v * p).round() / p;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// A linear map from the data range `d0..d1` to the drawing range `r0..r1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        Scale { d0, d1, r0, r1 }
    }

    /// The drawing coordinate of `v`, clamped a little beyond the range so a wild value can not
    /// produce an unreadable coordinate.
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        let t = if span.is_finite() && span != 0.0 {
            (v - self.d0) / span
        } else {
            0.5
        };
        let t = if t.is_finite() {
            t.clamp(-0.5, 1.5)
        } else {
            0.5
        };
        self.r0 + t * (self.r1 - self.r0)
    }
}

/// The smallest and largest of finite values, or `None`.
pub(crate) fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Horizontal grid lines with tick labels left of `x0` and the unit above the axis.
pub(crate) fn y_axis(
    out: &mut String,
    ticks: &Ticks,
    y: &Scale,
    (x0, x1): (f64, f64),
    unit: &str,
    lang: crate::number_format::Language,
) {
    use super::svg::{escape, format_fixed, num, PALETTE};
    use std::fmt::Write;
    out.push_str("<g class=\"axis y-axis\">");
    for &v in &ticks.values {
        let py = num(y.map(v));
        let _ = write!(
            out,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{py}\" y2=\"{py}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{py}\" dy=\"0.32em\" text-anchor=\"end\" font-size=\"11\" fill=\"{}\">{}</text>",
            num(x0),
            num(x1),
            PALETTE.grid,
            num(x0 - 6.0),
            PALETTE.muted,
            escape(&format_fixed(v, ticks.decimals, lang)),
        );
    }
    if !unit.is_empty() {
        let _ = write!(
            out,
            "<text class=\"unit\" x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\">{}</text>",
            num(x0 - 6.0),
            num(y.r1 - 12.0),
            PALETTE.muted,
            escape(unit)
        );
    }
    out.push_str("</g>\n");
}

/// Vertical grid lines from `y0` to `y1` with tick labels below and the unit under them.
pub(crate) fn x_axis(
    out: &mut String,
    ticks: &Ticks,
    x: &Scale,
    (y0, y1): (f64, f64),
    unit: &str,
    lang: crate::number_format::Language,
) {
    use super::svg::{escape, format_fixed, num, PALETTE};
    use std::fmt::Write;
    out.push_str("<g class=\"axis x-axis\">");
    for &v in &ticks.values {
        let px = num(x.map(v));
        let _ = write!(
            out,
            "<line x1=\"{px}\" x2=\"{px}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{px}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
            num(y0),
            num(y1),
            PALETTE.grid,
            num(y1 + 16.0),
            PALETTE.muted,
            escape(&format_fixed(v, ticks.decimals, lang)),
        );
    }
    if !unit.is_empty() {
        let _ = write!(
            out,
            "<text class=\"unit\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
            num((x.r0 + x.r1) / 2.0),
            num(y1 + 34.0),
            PALETTE.muted,
            escape(unit)
        );
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        let t = nice_ticks(0.0, 43.2, 5);
        assert_eq!(t.values, [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(t.decimals, 0);
        let t = nice_ticks(0.12, 0.97, 5);
        assert_eq!(t.values, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(t.decimals, 1);
        let t = nice_ticks(0.0, 12_500.0, 5);
        assert_eq!(t.values, [0.0, 5000.0, 10_000.0, 15_000.0]);
    }

    #[test]
    fn degenerate_ranges_do_not_panic() {
        let t = nice_ticks(5.0, 5.0, 5);
        assert!(t.lo < 5.0 && t.hi > 5.0);
        let t = nice_ticks(0.0, 0.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        let t = nice_ticks(f64::NAN, f64::INFINITY, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        let t = nice_ticks(-f64::MAX, f64::MAX, 5);
        assert!(t.values.len() <= MAX_TICKS + 1);
        let t = nice_ticks(1e-300, 2e-300, 5);
        assert!(t.hi > t.lo);
    }

    #[test]
    fn powers_of_ten_are_exact() {
        assert_eq!(pow10(3), 1000.0);
        assert_eq!(pow10(-2), 0.01);
        assert_eq!(decimal_exponent(1000.0), 3);
        assert_eq!(decimal_exponent(999.999), 2);
        assert_eq!(decimal_exponent(0.1), -1);
        assert_eq!(decimal_exponent(0.099_999), -2);
        assert_eq!(decimal_exponent(f64::MAX), 308);
        assert_eq!(decimal_exponent(f64::MIN_POSITIVE), -308);
    }

    #[test]
    fn scale_maps_linearly() {
        let s = Scale::new(0.0, 10.0, 100.0, 200.0);
        assert_eq!(s.map(5.0), 150.0);
        assert_eq!(Scale::new(1.0, 1.0, 0.0, 10.0).map(1.0), 5.0);
        assert_eq!(s.map(f64::NAN), 150.0);
    }
}
