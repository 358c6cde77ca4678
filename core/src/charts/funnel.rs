//! Funnel plot: each unit's value against its denominator, with the baseline and the 95 % and
//! 99,8 % control limits that narrow as the denominator grows.
//!
//! Method source: Spiegelhalter, "Funnel plots for comparing institutional performance" (Stat
//! Med 2005) and PHE's funnel plot tool; the limits themselves come from
//! [`crate::stats::funnel`]. The value axis covers the points, the baseline and the limits from
//! the smallest unit's denominator on; the curves are clipped to the plot, since at tiny
//! denominators they run off any sensible scale.

use std::fmt::Write;

use super::axis::{extent, nice_ticks, x_axis, y_axis, Scale};
use super::svg::{escape, format_value, frame, label, num, units, PALETTE};
use crate::classify::Light;
use crate::indicators::finish::UnitRow;
use crate::number_format::Language;
use crate::stats::funnel::FunnelLimits;

/// A unit: its denominator (x) and value (y).
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelPoint {
    pub label: String,
    pub denominator: f64,
    pub value: f64,
    pub light: Option<Light>,
    /// Drawn larger, outlined and labelled.
    pub highlight: bool,
}

/// The limits at one denominator, in the unit of the values (as `FunnelLimits::phe_clipped`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunnelLimit {
    pub denominator: f64,
    pub lower_95: f64,
    pub upper_95: f64,
    pub lower_998: f64,
    pub upper_998: f64,
}

impl FunnelPoint {
    /// A unit's row of an indicator table as a point, not highlighted; `None` without a value.
    pub fn from_row(row: &UnitRow) -> Option<FunnelPoint> {
        Some(FunnelPoint {
            label: row.keys.join(", "),
            denominator: row.denominator,
            value: row.value?,
            light: Some(row.light),
            highlight: false,
        })
    }
}

impl FunnelLimit {
    /// The limits `limits` (already in the values' unit) at `denominator`.
    pub fn at(denominator: f64, limits: FunnelLimits) -> Self {
        FunnelLimit {
            denominator,
            lower_95: limits.lower_95,
            upper_95: limits.upper_95,
            lower_998: limits.lower_998,
            upper_998: limits.upper_998,
        }
    }
}

/// A limit curve: its class, which limit, and its dash pattern.
type Curve = (&'static str, fn(&FunnelLimit) -> f64, &'static str);

const WIDTH: f64 = 720.0;
const PLOT_X0: f64 = 72.0;
const PLOT_X1: f64 = 696.0;
const PLOT_Y0: f64 = 60.0;
const PLOT_Y1: f64 = 340.0;

/// Funnel plot: points by denominator (x) and value (y), the baseline and the 95 % and 99,8 %
/// limit curves; every word and number in `lang`.
pub fn funnel_chart(
    title: &str,
    unit: &str,
    points: &[FunnelPoint],
    limits: &[FunnelLimit],
    baseline: f64,
    lang: Language,
) -> String {
    let good: Vec<&FunnelPoint> = points
        .iter()
        .filter(|p| p.denominator.is_finite() && p.value.is_finite() && p.denominator >= 0.0)
        .collect();
    let mut limits: Vec<&FunnelLimit> = limits
        .iter()
        .filter(|l| l.denominator.is_finite() && l.denominator > 0.0)
        .collect();
    limits.sort_by(|a, b| a.denominator.total_cmp(&b.denominator));
    let baseline = Some(baseline).filter(|b| b.is_finite());

    let mut desc = format!(
        "{}, {}",
        lang.pick("Trattdiagram", "Funnel plot"),
        units(good.len(), lang)
    );
    if !unit.is_empty() {
        let _ = write!(desc, ", {unit}");
    }
    desc.push('.');
    if let Some(b) = baseline {
        let _ = write!(
            desc,
            " {} {}.",
            lang.pick("Baslinje", "Baseline"),
            format_value(b, lang)
        );
    }
    let items: Vec<String> = good.iter().map(|p| point_text(p, lang)).collect();
    if !items.is_empty() {
        let _ = write!(desc, " {}.", items.join("; "));
    }

    let height = PLOT_Y1 + 76.0;
    let mut body = String::new();
    let max_x = extent(good.iter().map(|p| p.denominator)).map(|e| e.1);
    let max_x = max_x.or_else(|| extent(limits.iter().map(|l| l.denominator)).map(|e| e.1));
    let Some(max_x) = max_x.filter(|_| !good.is_empty() || baseline.is_some()) else {
        super::svg::empty_note(&mut body, WIDTH / 2.0, (PLOT_Y0 + PLOT_Y1) / 2.0, lang);
        return frame("funnel-chart", WIDTH, height, title, &desc, &body);
    };
    let min_x = extent(good.iter().map(|p| p.denominator)).map_or(0.0, |e| e.0);
    // A little room right of the largest unit, so its point is not cut by the frame.
    let xt = nice_ticks(0.0, max_x * 1.04, 6);
    let x = Scale::new(xt.lo, xt.hi, PLOT_X0, PLOT_X1);
    let in_view = limits
        .iter()
        .filter(|l| l.denominator >= min_x && l.denominator <= xt.hi)
        .flat_map(|l| [l.lower_998, l.upper_998, l.lower_95, l.upper_95]);
    let ys = good.iter().map(|p| p.value).chain(baseline).chain(in_view);
    let (lo, hi) = extent(ys).unwrap_or((0.0, 1.0));
    let yt = nice_ticks(lo, hi, 5);
    let y = Scale::new(yt.lo, yt.hi, PLOT_Y1, PLOT_Y0);
    y_axis(&mut body, &yt, &y, (PLOT_X0, PLOT_X1), unit, lang);
    let x_unit = lang.pick("Nämnare", "Denominator");
    x_axis(&mut body, &xt, &x, (PLOT_Y0, PLOT_Y1), x_unit, lang);

    let _ = write!(
        body,
        "<clipPath id=\"{id}-plot\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g class=\"limits\" clip-path=\"url(#{id}-plot)\">",
        num(PLOT_X0),
        num(PLOT_Y0),
        num(PLOT_X1 - PLOT_X0),
        num(PLOT_Y1 - PLOT_Y0),
        id = super::svg::ID,
    );
    let curves: [Curve; 4] = [
        ("limit limit-998", |l| l.lower_998, ""),
        ("limit limit-998", |l| l.upper_998, ""),
        (
            "limit limit-95",
            |l| l.lower_95,
            " stroke-dasharray=\"5 4\"",
        ),
        (
            "limit limit-95",
            |l| l.upper_95,
            " stroke-dasharray=\"5 4\"",
        ),
    ];
    for (class, get, dash) in curves {
        let mut d = String::new();
        let mut pen_down = false;
        for l in &limits {
            let v = get(l);
            if v.is_finite() {
                let _ = write!(
                    d,
                    "{}{} {}",
                    if pen_down { "L" } else { "M" },
                    num(x.map(l.denominator)),
                    num(y.map(v))
                );
                pen_down = true;
            } else {
                pen_down = false;
            }
        }
        if !d.is_empty() {
            let _ = write!(
                body,
                "<path class=\"{class}\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"{dash}/>",
                PALETTE.muted
            );
        }
    }
    if let Some(b) = baseline {
        let py = num(y.map(b));
        let _ = write!(
            body,
            "<line class=\"baseline\" x1=\"{}\" x2=\"{}\" y1=\"{py}\" y2=\"{py}\" stroke=\"{}\" stroke-width=\"2\"/>",
            num(PLOT_X0),
            num(PLOT_X1),
            PALETTE.accent
        );
    }
    body.push_str("</g>\n");

    // Highlighted units last, so they are on top.
    let order = good
        .iter()
        .filter(|p| !p.highlight)
        .chain(good.iter().filter(|p| p.highlight));
    for p in order {
        let fill = p.light.map_or(PALETTE.accent, |l| PALETTE.light(l));
        let (cx, cy) = (x.map(p.denominator), y.map(p.value));
        let (r, stroke, stroke_width) = if p.highlight {
            (7.0, PALETTE.text, 2.0)
        } else {
            (5.0, "#ffffff", 1.0)
        };
        let _ = write!(
            body,
            "<circle class=\"point{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"><title>{}</title></circle>",
            if p.highlight { " highlight" } else { "" },
            num(cx),
            num(cy),
            num(r),
            num(stroke_width),
            escape(&point_text(p, lang))
        );
        if p.highlight {
            let right = cx < PLOT_X1 - 160.0;
            label(
                &mut body,
                &format!(
                    "class=\"point-label\" x=\"{}\" y=\"{}\" dy=\"0.32em\" text-anchor=\"{}\" font-weight=\"600\"",
                    num(if right { cx + 11.0 } else { cx - 11.0 }),
                    num(cy),
                    if right { "start" } else { "end" }
                ),
                &p.label,
                24,
            );
        }
    }
    body.push('\n');
    legend(&mut body, baseline.is_some(), !limits.is_empty(), lang);
    frame("funnel-chart", WIDTH, height, title, &desc, &body)
}

fn point_text(p: &FunnelPoint, lang: Language) -> String {
    let mut s = format!(
        "{}: {} ({} {})",
        p.label,
        format_value(p.value, lang),
        lang.pick("nämnare", "denominator"),
        format_value(p.denominator, lang)
    );
    if let Some(l) = p.light {
        let _ = write!(s, ", {}", l.word(lang));
    }
    s
}

fn legend(body: &mut String, baseline: bool, limits: bool, lang: Language) {
    let y = num(PLOT_Y1 + 60.0);
    let mut items: Vec<(&str, &str, &str)> = Vec::new();
    if baseline {
        items.push((lang.pick("Baslinje", "Baseline"), PALETTE.accent, ""));
    }
    if limits {
        let (inner, outer) = lang.pick(
            ("95 % gränser", "99,8 % gränser"),
            ("95% limits", "99.8% limits"),
        );
        items.push((inner, PALETTE.muted, " stroke-dasharray=\"5 4\""));
        items.push((outer, PALETTE.muted, ""));
    }
    body.push_str("<g class=\"legend\">");
    let mut x = PLOT_X0;
    for (text, colour, dash) in items {
        let _ = write!(
            body,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/><text x=\"{}\" y=\"{y}\" dy=\"0.32em\" font-size=\"11\">{text}</text>",
            num(x),
            num(x + 26.0),
            num(x + 32.0),
        );
        x += 150.0;
    }
    body.push_str("</g>\n");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::number_format::Language::Swedish;
    use crate::stats::funnel::proportion_limits;

    pub(crate) fn example() -> (Vec<FunnelPoint>, Vec<FunnelLimit>, f64) {
        let p0 = 0.45;
        let limits = (1..=60)
            .map(|k| {
                let n = f64::from(k) * 50.0;
                FunnelLimit::at(n, proportion_limits(p0, n).phe_clipped(100.0))
            })
            .collect();
        let point = |label: &str, n: f64, v: f64, light, highlight| FunnelPoint {
            label: label.to_owned(),
            denominator: n,
            value: v,
            light: Some(light),
            highlight,
        };
        let points = vec![
            point("Vårdcentralen Norra", 1200.0, 52.0, Light::Green, true),
            point("Vårdcentralen Söder", 2400.0, 44.0, Light::Yellow, false),
            point("Hälsocentralen Väster", 1800.0, 38.5, Light::Red, false),
            point("Liten vårdcentral", 150.0, 51.0, Light::Grey, false),
            point("Vårdcentralen Öster", 900.0, 46.0, Light::Yellow, false),
        ];
        (points, limits, 45.0)
    }

    #[test]
    fn points_limits_and_baseline() {
        let (points, limits, baseline) = example();
        let svg = funnel_chart("Andel", "procent", &points, &limits, baseline, Swedish);
        assert_eq!(svg.matches("<circle class=\"point").count(), 5);
        assert_eq!(svg.matches("<circle class=\"point highlight\"").count(), 1);
        assert_eq!(svg.matches("class=\"limit limit-95\"").count(), 2);
        assert_eq!(svg.matches("class=\"limit limit-998\"").count(), 2);
        assert_eq!(svg.matches("class=\"baseline\"").count(), 1);
        assert!(svg.contains("class=\"point-label\""));
        assert!(svg.contains(&format!("fill=\"{}\"", PALETTE.red)));
        assert!(svg.contains(">99,8 % gränser</text>"));
        assert!(svg.contains("nämnare 1\u{a0}200"));
        // Ids of the clip path are filled in.
        assert!(!svg.contains("<ID>") && svg.contains("clip-path=\"url(#samsyn-funnel-chart-"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert!(funnel_chart("t", "", &[], &[], f64::NAN, Swedish).contains("Inga värden att visa"));
        let one = FunnelPoint {
            label: "<&>".into(),
            denominator: 10.0,
            value: 3.0,
            light: None,
            highlight: true,
        };
        let wild = FunnelPoint {
            label: "x".into(),
            denominator: f64::NAN,
            value: f64::INFINITY,
            light: None,
            highlight: false,
        };
        let lim = FunnelLimit {
            denominator: 10.0,
            lower_95: f64::NAN,
            upper_95: 5.0,
            lower_998: f64::NEG_INFINITY,
            upper_998: 6.0,
        };
        let svg = funnel_chart("t", "", &[one, wild], &[lim], 3.0, Swedish);
        assert_eq!(svg.matches("<circle class=\"point").count(), 1);
        assert!(svg.contains("&lt;&amp;&gt;") && !svg.contains("NaN") && !svg.contains("inf"));
    }
}
