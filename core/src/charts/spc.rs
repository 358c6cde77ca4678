//! Control chart (SPC) of one unit from an [`SpcSeries`]: the values over periods, the centre
//! line, the 3σ control limits as steps (they vary with each period's denominator) and the
//! special-cause points marked and explained.
//!
//! Method source: [`crate::spc`] (p- and u-charts, Western Electric rules and the NHS "Making Data
//! Count" trend rule); the drawing follows Making Data Count's charts: grey common-cause points,
//! special causes highlighted, with words, not colour alone, saying why.

use std::fmt::Write;

use super::axis::{extent, nice_ticks, y_axis, Scale};
use super::svg::{escape, finite, format_value, frame, num, text_width, truncate, PALETTE};
use crate::indicators::finish::SpcSeries;
use crate::number_format::Language;
use crate::spc::ChartKind;

/// A stepped line: its class, the value per period, its colour and dash pattern.
type StepLine<'a> = (
    &'static str,
    Box<dyn Fn(usize) -> Option<f64> + 'a>,
    &'static str,
    &'static str,
);

const WIDTH: f64 = 720.0;
const PLOT_X0: f64 = 72.0;
const PLOT_X1: f64 = 696.0;
const PLOT_Y0: f64 = 60.0;
const PLOT_Y1: f64 = 300.0;

/// SPC chart (p- or u-chart) from an `SpcSeries`: centre line, control limits, points,
/// special-cause points marked. The y axis is in the series' values (numerator / denominator ×
/// the indicator's multiplier).
pub fn spc_chart(title: &str, series: &SpcSeries, lang: Language) -> String {
    let kind = match series.kind {
        ChartKind::P => lang.pick("p-diagram (andelar)", "p-chart (proportions)"),
        ChartKind::U => lang.pick("u-diagram (kvoter)", "u-chart (rates)"),
    };
    let unit = series.keys.join(", ");
    let specials: Vec<String> = series
        .points
        .iter()
        .filter(|(_, p)| !p.signals.is_empty() && finite(p.value).is_some())
        .map(|(period, p)| {
            let why: Vec<&str> = p.signals.iter().map(|s| s.word(lang)).collect();
            format!("{period} ({})", why.join(", "))
        })
        .collect();
    let mut desc = format!(
        "{}, {kind}, {} {} {}{}, {}.",
        lang.pick("Styrdiagram", "Control chart"),
        series.indicator,
        lang.pick("för", "for"),
        series.level,
        if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        },
        super::svg::periods(series.points.len(), lang)
    );
    if let Some((_, p)) = series.points.iter().find(|(_, p)| p.centre.is_finite()) {
        let _ = write!(
            desc,
            " {} {}.",
            lang.pick("Medellinje", "Centre line"),
            format_value(p.centre, lang)
        );
    }
    if specials.is_empty() {
        desc.push_str(lang.pick(" Inga särskilda orsaker.", " No special causes."));
    } else {
        let _ = write!(desc, " {}: {}.", special_cause(lang), specials.join("; "));
    }
    let values: Vec<String> = series
        .points
        .iter()
        .map(|(period, p)| match finite(p.value) {
            Some(v) => format!("{period} {}", format_value(v, lang)),
            None => format!("{period} {}", lang.pick("saknas", "missing")),
        })
        .collect();
    if !values.is_empty() {
        let _ = write!(
            desc,
            " {}: {}.",
            lang.pick("Värden", "Values"),
            values.join(", ")
        );
    }

    let height = PLOT_Y1 + 64.0;
    let mut body = String::new();
    let data = series
        .points
        .iter()
        .flat_map(|(_, p)| [p.value, Some(p.centre), p.lower, p.upper])
        .filter_map(finite);
    let Some((lo, hi)) = extent(data) else {
        super::svg::empty_note(&mut body, WIDTH / 2.0, (PLOT_Y0 + PLOT_Y1) / 2.0, lang);
        return frame("spc-chart", WIDTH, height, title, &desc, &body);
    };
    let ticks = nice_ticks(lo, hi, 5);
    let y = Scale::new(ticks.lo, ticks.hi, PLOT_Y1, PLOT_Y0);
    y_axis(&mut body, &ticks, &y, (PLOT_X0, PLOT_X1), "", lang);

    let n = f64::from(u32::try_from(series.points.len().max(1)).unwrap_or(u32::MAX));
    let slot = (PLOT_X1 - PLOT_X0) / n;
    let left = |i: usize| PLOT_X0 + slot * f64::from(u32::try_from(i).unwrap_or(0));
    let mid = |i: usize| left(i) + slot / 2.0;
    let longest = series
        .points
        .iter()
        .map(|(p, _)| text_width(p, 11.0))
        .fold(0.0, f64::max);
    let every = ((longest + 10.0) / slot).ceil().clamp(1.0, 1000.0) as usize;
    body.push_str("<g class=\"axis x-axis\">");
    for (i, (period, _)) in series.points.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = num(mid(i));
        let _ = write!(
            body,
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
            num(PLOT_Y1),
            num(PLOT_Y1 + 4.0),
            PALETTE.muted,
            num(PLOT_Y1 + 18.0),
            PALETTE.muted,
            escape(&truncate(period, 16).unwrap_or_else(|| period.clone()))
        );
    }
    body.push_str("</g>\n");

    // Limits and centre as steps over each period's slot.
    let step = |get: &dyn Fn(usize) -> Option<f64>| {
        let mut d = String::new();
        let mut pen_down = false;
        for i in 0..series.points.len() {
            match get(i).filter(|v| v.is_finite()) {
                Some(v) => {
                    let py = num(y.map(v));
                    let _ = write!(
                        d,
                        "{}{} {py}H{}",
                        if pen_down { "L" } else { "M" },
                        num(left(i)),
                        num(left(i) + slot)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        d
    };
    let point = |i: usize| series.points.get(i).map(|(_, p)| p);
    let lines: [StepLine; 3] = [
        (
            "limit upper",
            Box::new(|i| point(i).and_then(|p| p.upper)),
            PALETTE.muted,
            " stroke-dasharray=\"6 4\"",
        ),
        (
            "limit lower",
            Box::new(|i| point(i).and_then(|p| p.lower)),
            PALETTE.muted,
            " stroke-dasharray=\"6 4\"",
        ),
        (
            "centre",
            Box::new(|i| point(i).map(|p| p.centre)),
            PALETTE.text,
            "",
        ),
    ];
    for (class, get, colour, dash) in &lines {
        let d = step(get.as_ref());
        if !d.is_empty() {
            let _ = write!(
                body,
                "<path class=\"{class}\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"{dash}/>"
            );
        }
    }
    body.push('\n');

    let mut d = String::new();
    let mut pen_down = false;
    for (i, (_, p)) in series.points.iter().enumerate() {
        match finite(p.value) {
            Some(v) => {
                let _ = write!(
                    d,
                    "{}{} {}",
                    if pen_down { "L" } else { "M" },
                    num(mid(i)),
                    num(y.map(v))
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !d.is_empty() {
        let _ = write!(
            body,
            "<path class=\"line\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/>",
            PALETTE.grey
        );
    }
    for (i, (period, p)) in series.points.iter().enumerate() {
        let Some(v) = finite(p.value) else { continue };
        let mut tip = format!("{period}: {}", format_value(v, lang));
        if let (Some(l), Some(u)) = (finite(p.lower), finite(p.upper)) {
            let _ = write!(
                tip,
                " ({} {}–{})",
                lang.pick("styrgränser", "control limits"),
                format_value(l, lang),
                format_value(u, lang)
            );
        }
        let special = !p.signals.is_empty();
        if special {
            let why: Vec<&str> = p.signals.iter().map(|s| s.word(lang)).collect();
            let _ = write!(tip, ". {}: {}", special_cause(lang), why.join(", "));
        }
        let (class, r, fill, stroke) = if special {
            ("point special", 6.0, PALETTE.yellow, PALETTE.text)
        } else {
            ("point", 4.0, PALETTE.grey, "#ffffff")
        };
        let _ = write!(
            body,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"><title>{}</title></circle>",
            num(mid(i)),
            num(y.map(v)),
            num(r),
            escape(&tip)
        );
    }
    body.push('\n');
    legend(&mut body, !specials.is_empty(), lang);
    frame("spc-chart", WIDTH, height, title, &desc, &body)
}

/// "Särskild orsak" ("Special cause").
fn special_cause(lang: Language) -> &'static str {
    lang.pick("Särskild orsak", "Special cause")
}

fn legend(body: &mut String, specials: bool, lang: Language) {
    let y = num(PLOT_Y1 + 46.0);
    body.push_str("<g class=\"legend\">");
    let mut x = PLOT_X0;
    let _ = write!(
        body,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{y}\" dy=\"0.32em\" font-size=\"11\">{}</text>",
        num(x),
        num(x + 26.0),
        PALETTE.text,
        num(x + 32.0),
        lang.pick("Medellinje", "Centre line")
    );
    x += 120.0;
    let _ = write!(
        body,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"{}\" y=\"{y}\" dy=\"0.32em\" font-size=\"11\">{}</text>",
        num(x),
        num(x + 26.0),
        PALETTE.muted,
        num(x + 32.0),
        lang.pick("Styrgränser (3σ)", "Control limits (3σ)")
    );
    x += 150.0;
    let _ = write!(
        body,
        "<circle cx=\"{}\" cy=\"{y}\" r=\"4\" fill=\"{}\"/><text x=\"{}\" y=\"{y}\" dy=\"0.32em\" font-size=\"11\">{}</text>",
        num(x + 6.0),
        PALETTE.grey,
        num(x + 16.0),
        lang.pick("Slumpmässig variation", "Common-cause variation")
    );
    x += 170.0;
    if specials {
        let _ = write!(
            body,
            "<circle cx=\"{}\" cy=\"{y}\" r=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{y}\" dy=\"0.32em\" font-size=\"11\">{}</text>",
            num(x + 6.0),
            PALETTE.yellow,
            PALETTE.text,
            num(x + 16.0),
            special_cause(lang)
        );
    }
    body.push_str("</g>\n");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::number_format::Language::Swedish;
    use crate::spc::{control_chart, Signal, SpcPoint};

    pub(crate) fn example() -> SpcSeries {
        let counts = [
            (40.0, 100.0),
            (44.0, 110.0),
            (38.0, 95.0),
            (45.0, 105.0),
            (41.0, 100.0),
            (70.0, 102.0),
            (43.0, 98.0),
            (39.0, 90.0),
            (42.0, 100.0),
            (47.0, 120.0),
            (40.0, 97.0),
            (44.0, 101.0),
        ];
        let points = control_chart(ChartKind::P, &counts, 100.0);
        SpcSeries {
            indicator: "Kontinuitet".into(),
            level: "vårdcentral".into(),
            keys: vec!["Vårdcentralen Norra".into()],
            kind: ChartKind::P,
            points: (1..=12)
                .map(|m| format!("2024-{m:02}"))
                .zip(points)
                .collect(),
        }
    }

    #[test]
    fn centre_limits_and_special_causes() {
        let s = example();
        let n_special = s
            .points
            .iter()
            .filter(|(_, p)| !p.signals.is_empty())
            .count();
        assert!(n_special >= 1);
        let svg = spc_chart("Kontinuitet", &s, Swedish);
        assert_eq!(svg.matches("<circle class=\"point").count(), 12);
        assert_eq!(
            svg.matches("<circle class=\"point special\"").count(),
            n_special
        );
        assert_eq!(svg.matches("class=\"centre\"").count(), 1);
        assert_eq!(svg.matches("class=\"limit upper\"").count(), 1);
        assert_eq!(svg.matches("class=\"limit lower\"").count(), 1);
        assert!(svg.contains("Särskild orsak: utanför styrgränserna"));
        assert!(svg.contains("p-diagram (andelar)"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let mut s = example();
        s.points.clear();
        assert!(spc_chart("t", &s, Swedish).contains("Inga värden att visa"));
        s.points.push((
            "<&>".into(),
            SpcPoint {
                numerator: 1.0,
                denominator: 0.0,
                value: None,
                centre: f64::NAN,
                lower: None,
                upper: Some(f64::INFINITY),
                signals: vec![Signal::BeyondLimits],
            },
        ));
        let svg = spc_chart("t", &s, Swedish);
        assert!(svg.contains("Inga värden att visa") && !svg.contains("<&>"));
        s.points.push((
            "b".into(),
            SpcPoint {
                numerator: 1.0,
                denominator: 2.0,
                value: Some(50.0),
                centre: 50.0,
                lower: Some(50.0),
                upper: Some(50.0),
                signals: vec![],
            },
        ));
        let svg = spc_chart("t", &s, Swedish);
        assert_eq!(svg.matches("<circle class=\"point\"").count(), 1);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
