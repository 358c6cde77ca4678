//! Change over time: the change from the previous period and a trend over N periods, each with
//! its significance.
//!
//! Method source: standard errors recovered from the 95 % limits, SE = (upper − lower)/(2·1.96)
//! (Altman & Bland, "How to obtain the confidence interval from a P value", BMJ 2011), then
//! (a) the difference of two independent estimates, z = (b − a)/√(SEa² + SEb²) (Altman & Bland,
//! "Interaction revisited", BMJ 2003), and (b) an inverse-variance weighted least-squares slope
//! over the periods with z = slope/SE(slope). A design choice, not a Fingertips rule: Fingertips
//! uses a chi-square test for trend on counts, which needs the numerators of every measure type.

use super::{both, format_number_in, Classified, Light, Polarity};
use crate::error::Message;
use crate::number_format::Language;

const Z95: f64 = 1.959_963_984_540_054;

/// A point of a series: value and 95 % limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Point {
    fn se(&self) -> Option<f64> {
        let se = (self.upper - self.lower) / (2.0 * Z95);
        (se.is_finite() && se > 0.0 && self.value.is_finite()).then_some(se)
    }
}

/// Direction and significance of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Improved,
    NoChange,
    Worsened,
    Up,
    Down,
    NotTested,
}

impl Change {
    pub fn light(self) -> Light {
        match self {
            Change::Improved => Light::Green,
            Change::NoChange => Light::Yellow,
            Change::Worsened => Light::Red,
            _ => Light::Grey,
        }
    }
}

fn direction(z: f64, polarity: Polarity) -> Change {
    if z.abs() < Z95 {
        return Change::NoChange;
    }
    match (polarity, z > 0.0) {
        (Polarity::HighIsGood, true) | (Polarity::LowIsGood, false) => Change::Improved,
        (Polarity::HighIsGood, false) | (Polarity::LowIsGood, true) => Change::Worsened,
        (Polarity::NoJudgement, true) => Change::Up,
        (Polarity::NoJudgement, false) => Change::Down,
    }
}

/// The change from `previous` to `current`: (difference, z, change).
pub fn change_from_previous(
    previous: &Point,
    current: &Point,
    polarity: Polarity,
) -> (f64, Option<f64>, Change) {
    let diff = current.value - previous.value;
    match (previous.se(), current.se()) {
        (Some(a), Some(b)) => {
            let z = diff / (a * a + b * b).sqrt();
            (diff, Some(z), direction(z, polarity))
        }
        _ => (diff, None, Change::NotTested),
    }
}

/// The weighted slope per period over the points (in order, one per period): (slope, z).
pub fn weighted_slope(points: &[Point]) -> Option<(f64, f64)> {
    let mut rows = Vec::with_capacity(points.len());
    for (t, p) in points.iter().enumerate() {
        let se = p.se()?;
        rows.push((t as f64, p.value, 1.0 / (se * se)));
    }
    if rows.len() < 3 {
        return None;
    }
    let sw: f64 = rows.iter().map(|r| r.2).sum();
    let tbar = rows.iter().map(|r| r.2 * r.0).sum::<f64>() / sw;
    let ybar = rows.iter().map(|r| r.2 * r.1).sum::<f64>() / sw;
    let stt: f64 = rows.iter().map(|r| r.2 * (r.0 - tbar).powi(2)).sum();
    let sty: f64 = rows.iter().map(|r| r.2 * (r.0 - tbar) * (r.1 - ybar)).sum();
    if stt <= 0.0 {
        return None;
    }
    let slope = sty / stt;
    let se = (1.0 / stt).sqrt();
    Some((slope, slope / se))
}

/// The trend light over the last `points.len()` periods.
pub fn trend_light(points: &[Option<Point>], polarity: Polarity, needed: usize) -> Classified {
    let have: Vec<Point> = points.iter().flatten().copied().collect();
    if have.len() < needed.max(3) || have.len() < points.len() {
        let (have, needed) = (have.len(), needed.max(3));
        return Classified::grey(Message::both(
            format!("Too few periods with a value for a trend ({have} of {needed})"),
            format!("För få perioder med värde för trend ({have} av {needed})"),
        ));
    }
    let Some((slope, z)) = weighted_slope(&have) else {
        return Classified::grey(Message::both(
            "The trend cannot be estimated (intervals are missing)",
            "Trenden kan inte skattas (intervall saknas)",
        ));
    };
    let change = direction(z, polarity);
    let words = |l: Language| match change {
        Change::Improved => l.pick("Signifikant förbättring", "Significant improvement"),
        Change::Worsened => l.pick("Signifikant försämring", "Significant worsening"),
        Change::NoChange => l.pick("Ingen signifikant förändring", "No significant change"),
        Change::Up => l.pick("Signifikant ökning", "Significant increase"),
        Change::Down => l.pick("Signifikant minskning", "Significant decrease"),
        Change::NotTested => l.pick("Ej testad", "Not tested"),
    };
    Classified::new(
        change.light(),
        both(|l| {
            format!(
                "{} {} {} {}: {} per period (z = {})",
                words(l),
                l.pick("över", "over"),
                have.len(),
                l.pick("perioder", "periods"),
                format_number_in(slope, l),
                format_number_in(z, l)
            )
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: f64) -> Point {
        Point {
            value: v,
            lower: v - 1.96,
            upper: v + 1.96,
        }
    }

    #[test]
    fn slope_of_a_straight_line_is_exact() {
        let (slope, z) = weighted_slope(&[p(10.0), p(12.0), p(14.0), p(16.0)]).unwrap();
        assert!((slope - 2.0).abs() < 1e-12);
        // SE of each point ≈ 1, Σ(t − t̄)² = 5, SE(slope) = 1/√5.
        assert!((z - 2.0 * 5f64.sqrt() * Z95 / 1.96).abs() < 1e-9);
        let c = trend_light(
            &[Some(p(10.0)), Some(p(12.0)), Some(p(14.0))],
            Polarity::LowIsGood,
            3,
        );
        assert_eq!(c.light, Light::Red);
        assert!(c
            .reason
            .swedish()
            .starts_with("Signifikant försämring över 3 perioder: 2 per period"));
    }

    #[test]
    fn previous_period_difference() {
        let (d, z, c) = change_from_previous(&p(10.0), &p(13.0), Polarity::HighIsGood);
        assert_eq!(d, 3.0);
        assert!((z.unwrap() - 3.0 / 2f64.sqrt() * Z95 / 1.96).abs() < 1e-9);
        assert_eq!(c, Change::Improved);
    }
}
