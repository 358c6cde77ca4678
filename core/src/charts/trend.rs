//! Trend lines: one line per unit over periods, highlighted units on top, thicker and in the
//! accent colour with their interval as a band; the rest thin and grey for context.
//!
//! The x axis is the union of the series' periods in order of first appearance (periods are
//! labels such as "2024" or "2024-03": the caller orders them). A missing or non-finite value
//! breaks the line rather than bridging the gap.

use std::fmt::Write;

use crate::indicators::finish::UnitRow;

use super::axis::{extent, nice_ticks, y_axis, Scale};
use super::svg::{
    chars_fitting, escape, finite, frame, label, num, text_width, truncate, units,
    value_with_interval, PALETTE,
};
use crate::number_format::Language;

/// A unit's value in one period, with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    pub period: String,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// One unit's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<SeriesPoint>,
    /// Drawn on top, thicker, in the accent colour, with its interval band.
    pub highlight: bool,
}

impl SeriesPoint {
    /// A unit's row of an indicator table as a point of its line (an empty period when the
    /// table has none).
    pub fn from_row(row: &UnitRow) -> SeriesPoint {
        SeriesPoint {
            period: row.period.clone().unwrap_or_default(),
            value: row.value,
            lower: row.lower,
            upper: row.upper,
        }
    }
}

const WIDTH: f64 = 720.0;
const PLOT_X0: f64 = 72.0;
const PLOT_X1: f64 = 696.0;
const PLOT_Y0: f64 = 60.0;
const PLOT_Y1: f64 = 300.0;
const LEGEND_ITEM: f64 = 208.0;
const LEGEND_ROW: f64 = 20.0;
/// Dash patterns telling highlighted series apart (the first is solid).
const DASHES: [&str; 4] = ["", "8 4", "2 3", "10 3 2 3"];

/// Trend lines per unit over periods (x = the union of periods in order of first appearance),
/// highlighted series drawn on top and thicker, with an interval band for highlighted series; a
/// legend; every word and number in `lang`.
pub fn trend_chart(title: &str, unit: &str, series: &[Series], lang: Language) -> String {
    let mut periods: Vec<&str> = Vec::new();
    for p in series.iter().flat_map(|s| &s.points) {
        if !periods.contains(&p.period.as_str()) {
            periods.push(&p.period);
        }
    }
    let slot = |period: &str| periods.iter().position(|p| *p == period);

    let mut desc = format!(
        "{}, {} {} {}",
        lang.pick("Linjediagram", "Line chart"),
        units(series.len(), lang),
        lang.pick("över", "over"),
        super::svg::periods(periods.len(), lang)
    );
    if let (Some(first), Some(last)) = (periods.first(), periods.last()) {
        let _ = write!(desc, " ({first}–{last})");
    }
    if !unit.is_empty() {
        let _ = write!(desc, ", {unit}");
    }
    desc.push('.');
    for s in series {
        let values: Vec<String> = s
            .points
            .iter()
            .map(|p| match finite(p.value) {
                Some(v) => {
                    let interval = value_with_interval(v, p.lower, p.upper, lang);
                    format!("{} {interval}", p.period)
                }
                None => format!("{} {}", p.period, lang.pick("saknas", "missing")),
            })
            .collect();
        let _ = write!(
            desc,
            " {}{}: {}.",
            s.label,
            if s.highlight {
                lang.pick(" (markerad)", " (highlighted)")
            } else {
                ""
            },
            values.join(", ")
        );
    }

    let data = series.iter().flat_map(|s| {
        s.points.iter().flat_map(move |p| {
            let band = if s.highlight {
                [p.lower, p.upper]
            } else {
                [None, None]
            };
            [p.value, band[0], band[1]]
        })
    });
    let data: Vec<f64> = data.filter_map(finite).collect();
    let mut body = String::new();
    let legend_rows = legend_rows(series.len());
    let height = PLOT_Y1 + 56.0 + LEGEND_ROW * legend_rows;
    let Some((lo, hi)) = extent(data.iter().copied()) else {
        super::svg::empty_note(&mut body, WIDTH / 2.0, (PLOT_Y0 + PLOT_Y1) / 2.0, lang);
        legend(&mut body, series);
        return frame("trend-chart", WIDTH, height, title, &desc, &body);
    };
    let ticks = nice_ticks(lo, hi, 5);
    let y = Scale::new(ticks.lo, ticks.hi, PLOT_Y1, PLOT_Y0);
    y_axis(&mut body, &ticks, &y, (PLOT_X0, PLOT_X1), unit, lang);

    // Periods sit in the middle of equal slots, so one period is centred.
    let n = f64::from(u32::try_from(periods.len().max(1)).unwrap_or(u32::MAX));
    let slot_width = (PLOT_X1 - PLOT_X0) / n;
    let px = |i: usize| PLOT_X0 + slot_width * (f64::from(u32::try_from(i).unwrap_or(0)) + 0.5);
    let longest = periods
        .iter()
        .map(|p| text_width(p, 11.0))
        .fold(0.0, f64::max);
    let every = ((longest + 10.0) / slot_width).ceil().clamp(1.0, 1000.0) as usize;
    body.push_str("<g class=\"axis x-axis\">");
    for (i, p) in periods.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = num(px(i));
        let _ = write!(
            body,
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
            num(PLOT_Y1),
            num(PLOT_Y1 + 4.0),
            PALETTE.muted,
            num(PLOT_Y1 + 18.0),
            PALETTE.muted,
            escape(&truncate(p, 16).unwrap_or_else(|| (*p).to_owned()))
        );
    }
    body.push_str("</g>\n");

    // Context first, highlighted on top.
    let order = series
        .iter()
        .filter(|s| !s.highlight)
        .chain(series.iter().filter(|s| s.highlight));
    let mut highlight_index = 0;
    for s in order {
        let points: Vec<(usize, &SeriesPoint)> = s
            .points
            .iter()
            .filter_map(|p| slot(&p.period).map(|i| (i, p)))
            .collect();
        let dash = if s.highlight {
            let d = DASHES[highlight_index % DASHES.len()];
            highlight_index += 1;
            d
        } else {
            ""
        };
        let (colour, width, radius) = if s.highlight {
            (PALETTE.accent, 3.0, 3.5)
        } else {
            (PALETTE.grey, 1.5, 2.0)
        };
        let _ = write!(
            body,
            "<g class=\"series{}\"><title>{}</title>",
            if s.highlight { " highlight" } else { "" },
            escape(&s.label)
        );
        if s.highlight {
            band(&mut body, &points, &y, &px);
        }
        let mut d = String::new();
        let mut pen_down = false;
        for (i, p) in &points {
            match finite(p.value) {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if pen_down { "L" } else { "M" },
                        num(px(*i)),
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
                "<path class=\"line\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{}/>",
                num(width),
                if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") }
            );
        }
        for (k, (i, p)) in points.iter().enumerate() {
            if let Some(v) = finite(p.value) {
                // A point with no neighbour on its line would be a speck: draw it larger.
                let joined = |j: Option<usize>| {
                    j.and_then(|j| points.get(j))
                        .is_some_and(|(_, q)| finite(q.value).is_some())
                };
                let alone = !joined(k.checked_sub(1)) && !joined(k.checked_add(1));
                let radius = if alone { radius + 1.5 } else { radius };
                let _ = write!(
                    body,
                    "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\"><title>{}</title></circle>",
                    num(px(*i)),
                    num(y.map(v)),
                    num(radius),
                    escape(&format!("{}, {}: {}", s.label, p.period, value_with_interval(v, p.lower, p.upper, lang)))
                );
            }
        }
        body.push_str("</g>\n");
    }
    legend(&mut body, series);
    frame("trend-chart", WIDTH, height, title, &desc, &body)
}

/// The interval band of a highlighted series, one polygon per run of periods with both limits.
fn band(body: &mut String, points: &[(usize, &SeriesPoint)], y: &Scale, px: &dyn Fn(usize) -> f64) {
    let mut runs: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new()];
    for (i, p) in points {
        match (finite(p.lower), finite(p.upper)) {
            (Some(l), Some(u)) => {
                if let Some(run) = runs.last_mut() {
                    run.push((px(*i), y.map(l), y.map(u)));
                }
            }
            _ => runs.push(Vec::new()),
        }
    }
    for run in runs.iter().filter(|r| !r.is_empty()) {
        let mut d = String::new();
        // A lone period gets a narrow band so its interval still shows.
        let half = if run.len() == 1 { 4.0 } else { 0.0 };
        for (k, (x, _, u)) in run.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if k == 0 { "M" } else { "L" },
                num(x - half),
                num(*u)
            );
            if half > 0.0 {
                let _ = write!(d, "L{} {}", num(x + half), num(*u));
            }
        }
        for (x, l, _) in run.iter().rev() {
            if half > 0.0 {
                let _ = write!(d, "L{} {}", num(x + half), num(*l));
            }
            let _ = write!(d, "L{} {}", num(x - half), num(*l));
        }
        d.push('Z');
        let _ = write!(
            body,
            "<path class=\"band\" d=\"{d}\" fill=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>",
            PALETTE.accent
        );
    }
}

fn legend_rows(n: usize) -> f64 {
    let per_row = ((PLOT_X1 - PLOT_X0) / LEGEND_ITEM).floor().max(1.0);
    (f64::from(u32::try_from(n).unwrap_or(u32::MAX)) / per_row).ceil()
}

/// One swatch per series, highlighted ones first, in rows under the axis.
fn legend(body: &mut String, series: &[Series]) {
    if series.is_empty() {
        return;
    }
    body.push_str("<g class=\"legend\">");
    let per_row = ((PLOT_X1 - PLOT_X0) / LEGEND_ITEM).floor().max(1.0) as usize;
    let max_chars = chars_fitting(LEGEND_ITEM - 36.0, 11.0);
    let ordered = series
        .iter()
        .filter(|s| s.highlight)
        .chain(series.iter().filter(|s| !s.highlight));
    let mut highlight_index = 0;
    for (k, s) in ordered.enumerate() {
        let col = f64::from(u32::try_from(k % per_row).unwrap_or(0));
        let row = f64::from(u32::try_from(k / per_row).unwrap_or(0));
        let x = PLOT_X0 + col * LEGEND_ITEM;
        let y = PLOT_Y1 + 44.0 + row * LEGEND_ROW;
        let (colour, width, dash) = if s.highlight {
            let d = DASHES[highlight_index % DASHES.len()];
            highlight_index += 1;
            (PALETTE.accent, 3.0, d)
        } else {
            (PALETTE.grey, 1.5, "")
        };
        let _ = write!(
            body,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"{}\"{}/>",
            num(x),
            num(x + 26.0),
            num(width),
            if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") },
            y = num(y),
        );
        label(
            body,
            &format!(
                "x=\"{}\" y=\"{}\" dy=\"0.32em\" font-size=\"11\"{}",
                num(x + 32.0),
                num(y),
                if s.highlight {
                    " font-weight=\"600\""
                } else {
                    ""
                }
            ),
            &s.label,
            max_chars,
        );
    }
    body.push_str("</g>\n");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::number_format::Language::Swedish;

    fn point(period: &str, value: Option<f64>, ci: Option<(f64, f64)>) -> SeriesPoint {
        SeriesPoint {
            period: period.to_owned(),
            value,
            lower: ci.map(|c| c.0),
            upper: ci.map(|c| c.1),
        }
    }

    pub(crate) fn example() -> Vec<Series> {
        let years = ["2021", "2022", "2023", "2024"];
        let make = |label: &str, values: [Option<f64>; 4], highlight: bool| Series {
            label: label.to_owned(),
            points: years
                .iter()
                .zip(values)
                .map(|(p, v)| point(p, v, v.map(|v| (v - 6.0, v + 6.0))))
                .collect(),
            highlight,
        };
        vec![
            make(
                "Vårdcentralen Norra",
                [Some(52.0), Some(55.5), Some(58.1), Some(62.4)],
                true,
            ),
            make(
                "Vårdcentralen Söder",
                [Some(47.0), Some(45.2), None, Some(48.0)],
                false,
            ),
            make(
                "Hälsocentralen Väster",
                [Some(35.0), Some(33.1), Some(30.2), Some(31.5)],
                false,
            ),
            make(
                "Länet",
                [Some(45.0), Some(46.1), Some(46.5), Some(47.2)],
                false,
            ),
        ]
    }

    #[test]
    fn highlighted_series_is_on_top_with_a_band() {
        let svg = trend_chart("Andel", "procent", &example(), Swedish);
        assert_eq!(svg.matches("<g class=\"series").count(), 4);
        assert_eq!(svg.matches("class=\"band\"").count(), 1);
        let last_series = svg.rfind("<g class=\"series").unwrap_or(0);
        assert!(svg[last_series..]
            .starts_with("<g class=\"series highlight\"><title>Vårdcentralen Norra"));
        // The gap in 2023 splits Söder's line in two pieces.
        let soder = &svg[svg.find("<title>Vårdcentralen Söder").unwrap_or(0)..];
        let path = &soder[soder.find(" d=\"").unwrap_or(0)..];
        let path = &path[..path.find("\" fill").unwrap_or(0)];
        assert_eq!(path.matches('M').count(), 2, "{path}");
        assert_eq!(svg.matches("<circle class=\"point\"").count(), 15);
        for year in ["2021", "2022", "2023", "2024"] {
            assert!(svg.contains(&format!(">{year}</text>")));
        }
    }

    #[test]
    fn periods_are_united_in_order_of_first_appearance() {
        let a = Series {
            label: "a".into(),
            points: vec![
                point("2023", Some(1.0), None),
                point("2024", Some(2.0), None),
            ],
            highlight: false,
        };
        let b = Series {
            label: "b".into(),
            points: vec![
                point("2022", Some(1.0), None),
                point("2023", Some(2.0), None),
            ],
            highlight: false,
        };
        let svg = trend_chart("t", "", &[a, b], Swedish);
        let pos = |p: &str| svg.find(&format!(">{p}</text>")).unwrap_or(usize::MAX);
        assert!(pos("2023") < pos("2024") && pos("2024") < pos("2022"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert!(trend_chart("t", "", &[], Swedish).contains("Inga värden att visa"));
        let single = Series {
            label: "<&>".into(),
            points: vec![point("2024", Some(5.0), Some((4.0, 6.0)))],
            highlight: true,
        };
        let svg = trend_chart("t", "", &[single], Swedish);
        assert!(svg.contains("&lt;&amp;&gt;") && !svg.contains("<&>"));
        assert_eq!(svg.matches("class=\"band\"").count(), 1);
        let wild = Series {
            label: "x".into(),
            points: vec![
                point("a", Some(f64::NAN), None),
                point("b", Some(f64::INFINITY), None),
            ],
            highlight: false,
        };
        let svg = trend_chart("t", "", &[wild], Swedish);
        assert!(svg.contains("Inga värden att visa") && !svg.contains("NaN"));
    }
}
