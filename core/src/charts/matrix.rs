//! Matrices: the traffic-light overview (units × indicators) and the framework of the six
//! shifts of Good and Close Care × quality, quantity and cost, with its gaps marked.
//!
//! Colour is never the only carrier: every light cell also says its word ("grön", "gul",
//! "röd", "ej klassad", or in English) and has a tooltip, so the matrix reads in greyscale and
//! aloud.
//! The framework's rows and columns follow seed 002 (see `indicators::definition`).

use std::fmt::Write;

use super::svg::{
    chars_fitting, counted, escape, frame, label, num, text_width, wrap, ID, PALETTE,
};
use crate::classify::Light;
use crate::indicators::definition::{Dimension, Shift};
use crate::number_format::Language;

/// One cell of the light matrix: its light and the tooltip text (e.g. the reason).
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixCell {
    pub light: Light,
    pub text: String,
}

const ROW_LABEL_X: f64 = 16.0;
const ROW_LABEL_WIDTH: f64 = 200.0;
const CELL_W: f64 = 76.0;
const CELL_H: f64 = 26.0;
const GAP: f64 = 2.0;
/// Longest column heading, in characters, before it is cut.
const HEADING_CHARS: usize = 26;

/// Traffic-light matrix: rows = units, columns = indicators, cells coloured by light with the
/// light's word in `lang` as text for accessibility (and a title tooltip per cell, e.g. the
/// reason). `cells[row][column]`; missing rows or columns count as empty cells.
pub fn light_matrix(
    title: &str,
    units: &[String],
    indicators: &[String],
    cells: &[Vec<Option<MatrixCell>>],
    lang: Language,
) -> String {
    let cell = |r: usize, c: usize| {
        cells
            .get(r)
            .and_then(|row| row.get(c))
            .and_then(Option::as_ref)
    };
    let mut counts = [0usize; 4];
    for r in 0..units.len() {
        for c in 0..indicators.len() {
            if let Some(m) = cell(r, c) {
                counts[light_index(m.light)] += 1;
            }
        }
    }
    let mut desc = format!(
        "{}, {} × {}.",
        lang.pick("Matris med trafikljus", "Traffic-light matrix"),
        super::svg::units(units.len(), lang),
        counted(
            indicators.len(),
            ["indikator", "indikatorer", "indicator", "indicators"],
            lang
        )
    );
    let parts: Vec<String> = [Light::Green, Light::Yellow, Light::Red, Light::Grey]
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| {
            let word = if n == 1 {
                l.word(lang)
            } else {
                plural(*l, lang)
            };
            format!("{n} {word}")
        })
        .collect();
    if !parts.is_empty() {
        let _ = write!(desc, " {}.", parts.join(", "));
    }
    // `role="img"` hides the cells from screen readers, so the description reads them out.
    for (r, unit) in units.iter().enumerate() {
        let row: Vec<String> = indicators
            .iter()
            .enumerate()
            .map(|(c, indicator)| match cell(r, c) {
                Some(m) => format!("{indicator} {}", m.light.word(lang)),
                None => format!("{indicator} {}", no_data(lang)),
            })
            .collect();
        if !row.is_empty() {
            let _ = write!(desc, " {unit}: {}.", row.join(", "));
        }
    }

    // Headings are written at 45°: their height is the longest heading's width × sin 45°.
    let longest = indicators
        .iter()
        .map(|s| s.chars().count().min(HEADING_CHARS))
        .max()
        .unwrap_or(0);
    let heading_height =
        text_width(&"x".repeat(longest), 11.0) * std::f64::consts::FRAC_1_SQRT_2 + 12.0;
    let top = 44.0 + heading_height;
    let x0 = ROW_LABEL_X + ROW_LABEL_WIDTH;
    let n_cols = f64::from(u32::try_from(indicators.len()).unwrap_or(u32::MAX));
    let n_rows = f64::from(u32::try_from(units.len()).unwrap_or(u32::MAX));
    // Room to the right for the last heading, which leans right; at least the other charts'
    // width, so text comes out the same size when they share a page.
    let width = (x0 + n_cols * CELL_W + heading_height + 16.0).max(720.0);
    let height = top + n_rows * CELL_H + 16.0;

    let mut body = String::new();
    if units.is_empty() || indicators.is_empty() {
        super::svg::empty_note(&mut body, width / 2.0, 72.0, lang);
        return frame("light-matrix", width, height.max(96.0), title, &desc, &body);
    }
    body.push_str("<g class=\"headings\">");
    for (c, name) in indicators.iter().enumerate() {
        let cx = x0 + CELL_W * f64::from(u32::try_from(c).unwrap_or(0)) + CELL_W / 2.0;
        label(
            &mut body,
            &format!(
                "class=\"heading\" transform=\"translate({} {}) rotate(-45)\" font-size=\"11\"",
                num(cx),
                num(top - 6.0)
            ),
            name,
            HEADING_CHARS,
        );
    }
    body.push_str("</g>\n");
    let max_label = chars_fitting(ROW_LABEL_WIDTH - 8.0, 12.0);
    for (r, unit) in units.iter().enumerate() {
        let y = top + CELL_H * f64::from(u32::try_from(r).unwrap_or(0));
        body.push_str("<g class=\"row\">");
        label(
            &mut body,
            &format!(
                "class=\"label\" x=\"{}\" y=\"{}\" dy=\"0.32em\"",
                num(ROW_LABEL_X),
                num(y + CELL_H / 2.0)
            ),
            unit,
            max_label,
        );
        for (c, indicator) in indicators.iter().enumerate() {
            let x = x0 + CELL_W * f64::from(u32::try_from(c).unwrap_or(0));
            let (fill, stroke, ink, word, tip, class) = match cell(r, c) {
                Some(m) => (
                    PALETTE.light(m.light),
                    PALETTE.light(m.light),
                    PALETTE.text_on(m.light),
                    m.light.word(lang),
                    format!("{unit} – {indicator}: {}", m.light.word(lang))
                        + &if m.text.is_empty() {
                            String::new()
                        } else {
                            format!(". {}", m.text)
                        },
                    format!("cell light-{}", m.light.label().replace(' ', "-")),
                ),
                None => (
                    "#ffffff",
                    PALETTE.grid,
                    PALETTE.muted,
                    "–",
                    format!("{unit} – {indicator}: {}", no_data(lang)),
                    "cell empty".to_owned(),
                ),
            };
            let _ = write!(
                body,
                "<g class=\"{class}\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\" dy=\"0.32em\" text-anchor=\"middle\" font-size=\"11\" fill=\"{ink}\">{}</text></g>",
                escape(&tip),
                num(x + GAP / 2.0),
                num(y + GAP / 2.0),
                num(CELL_W - GAP),
                num(CELL_H - GAP),
                num(x + CELL_W / 2.0),
                num(y + CELL_H / 2.0),
                escape(word)
            );
        }
        body.push_str("</g>\n");
    }
    frame("light-matrix", width, height, title, &desc, &body)
}

/// The light's word in the plural ("2 gula"; English words do not change).
fn plural(l: Light, lang: Language) -> &'static str {
    match l {
        Light::Green => lang.pick("gröna", "green"),
        Light::Yellow => lang.pick("gula", "yellow"),
        Light::Red => lang.pick("röda", "red"),
        Light::Grey => lang.pick("ej klassade", "not classified"),
    }
}

/// What an empty cell says.
fn no_data(lang: Language) -> &'static str {
    lang.pick("ingen uppgift", "no data")
}

fn light_index(l: Light) -> usize {
    match l {
        Light::Green => 0,
        Light::Yellow => 1,
        Light::Red => 2,
        Light::Grey => 3,
    }
}

const FW_LABEL_WIDTH: f64 = 200.0;
const FW_CELL_W: f64 = 200.0;
const FW_LINE: f64 = 15.0;
/// Indicator names listed in one cell before "+ n till".
const FW_MAX_LINES: usize = 4;

/// The shift × dimension framework (the six förflyttningar × quality/quantity/cost): each cell
/// lists the indicator names placed there; empty cells say "Ingen indikator" and are hatched as
/// a gap. Several entries for the same cell are merged.
pub fn framework_matrix(
    title: &str,
    cells: &[(Shift, Dimension, Vec<String>)],
    lang: Language,
) -> String {
    let names = |s: Shift, d: Dimension| -> Vec<&String> {
        cells
            .iter()
            .filter(|(cs, cd, _)| *cs == s && *cd == d)
            .flat_map(|(_, _, n)| n)
            .collect()
    };
    let gaps: Vec<String> = Shift::ALL
        .iter()
        .flat_map(|s| Dimension::ALL.iter().map(move |d| (*s, *d)))
        .filter(|(s, d)| names(*s, *d).is_empty())
        .map(|(s, d)| format!("{} × {}", s.word(lang), d.word(lang).to_lowercase()))
        .collect();
    let mut desc = format!(
        "{} {} {}",
        lang.pick(
            "Ramverk: sex förflyttningar × kvalitet, kvantitet och kostnad.",
            "Framework: six shifts × quality, quantity and cost."
        ),
        gaps.len(),
        lang.pick(
            "av 18 rutor saknar indikator",
            "of 18 cells have no indicator"
        )
    );
    if gaps.is_empty() {
        desc.push('.');
    } else {
        let _ = write!(desc, ": {}.", gaps.join("; "));
    }
    for s in Shift::ALL {
        for d in Dimension::ALL {
            let list = names(s, d);
            if !list.is_empty() {
                let list: Vec<&str> = list.iter().map(|n| n.as_str()).collect();
                let _ = write!(
                    desc,
                    " {} × {}: {}.",
                    s.word(lang),
                    d.word(lang).to_lowercase(),
                    list.join(", ")
                );
            }
        }
    }

    let x0 = 16.0 + FW_LABEL_WIDTH;
    let width = x0 + FW_CELL_W * 3.0 + 16.0;
    let name_chars = chars_fitting(FW_CELL_W - 16.0, 11.0);
    let mut body = String::new();
    let _ = write!(
        body,
        "<defs><pattern id=\"{ID}-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#f4f5f7\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"{}\" stroke-width=\"2\"/></pattern></defs>\n<g class=\"headings\">",
        PALETTE.grid
    );
    for (k, d) in Dimension::ALL.iter().enumerate() {
        let cx = x0 + FW_CELL_W * (f64::from(u32::try_from(k).unwrap_or(0)) + 0.5);
        let _ = write!(
            body,
            "<text class=\"heading\" x=\"{}\" y=\"60\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
            num(cx),
            d.word(lang)
        );
    }
    body.push_str("</g>\n");
    let mut y = 72.0;
    for s in Shift::ALL {
        let shift_lines = wrap(s.word(lang), chars_fitting(FW_LABEL_WIDTH - 12.0, 12.0));
        let per_cell: Vec<Vec<&String>> = Dimension::ALL.iter().map(|d| names(s, *d)).collect();
        let lines = per_cell
            .iter()
            .map(|n| n.len().min(FW_MAX_LINES + 1))
            .chain([shift_lines.len()])
            .max()
            .unwrap_or(1)
            .max(2);
        let h = f64::from(u32::try_from(lines).unwrap_or(1)) * FW_LINE + 16.0;
        body.push_str("<g class=\"row\">");
        let first = y + h / 2.0
            - FW_LINE * (f64::from(u32::try_from(shift_lines.len()).unwrap_or(1)) - 1.0) / 2.0;
        body.push_str("<text class=\"label\" font-weight=\"600\">");
        for (k, line) in shift_lines.iter().enumerate() {
            let _ = write!(
                body,
                "<tspan x=\"16\" y=\"{}\" dy=\"0.32em\">{}</tspan>",
                num(first + FW_LINE * f64::from(u32::try_from(k).unwrap_or(0))),
                escape(line)
            );
        }
        body.push_str("</text>");
        for (k, (d, list)) in Dimension::ALL.iter().zip(&per_cell).enumerate() {
            let x = x0 + FW_CELL_W * f64::from(u32::try_from(k).unwrap_or(0));
            let where_ = format!("{} × {}", s.word(lang), d.word(lang).to_lowercase());
            if list.is_empty() {
                let _ = write!(
                    body,
                    "<g class=\"cell gap\"><title>{}: {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#{ID}-hatch)\" stroke=\"{}\" stroke-dasharray=\"4 3\"/><text x=\"{}\" y=\"{}\" dy=\"0.32em\" text-anchor=\"middle\" font-size=\"11\" font-style=\"italic\" fill=\"{}\">{}</text></g>",
                    escape(&where_),
                    lang.pick("ingen indikator (lucka)", "no indicator (gap)"),
                    num(x + 1.0),
                    num(y + 1.0),
                    num(FW_CELL_W - 2.0),
                    num(h - 2.0),
                    PALETTE.muted,
                    num(x + FW_CELL_W / 2.0),
                    num(y + h / 2.0),
                    PALETTE.text,
                    lang.pick("Ingen indikator", "No indicator")
                );
                continue;
            }
            let all: Vec<String> = list.iter().map(|n| (*n).clone()).collect();
            let _ = write!(
                body,
                "<g class=\"cell filled\"><title>{}: {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eef4fb\" stroke=\"{}\"/>",
                escape(&where_),
                escape(&all.join(", ")),
                num(x + 1.0),
                num(y + 1.0),
                num(FW_CELL_W - 2.0),
                num(h - 2.0),
                PALETTE.accent
            );
            let shown = if list.len() > FW_MAX_LINES + 1 {
                FW_MAX_LINES
            } else {
                list.len()
            };
            let used = shown + usize::from(shown < list.len());
            // The list is centred in the cell, like "Ingen indikator".
            let line_y = |i: usize| {
                let k = f64::from(u32::try_from(i).unwrap_or(0));
                let n = f64::from(u32::try_from(used).unwrap_or(1));
                y + h / 2.0 + FW_LINE * (k - (n - 1.0) / 2.0)
            };
            for (i, name) in list.iter().take(shown).enumerate() {
                label(
                    &mut body,
                    &format!(
                        "class=\"indicator\" x=\"{}\" y=\"{}\" dy=\"0.32em\" font-size=\"11\"",
                        num(x + 10.0),
                        num(line_y(i))
                    ),
                    &format!("• {name}"),
                    name_chars,
                );
            }
            if shown < list.len() {
                let _ = write!(
                    body,
                    "<text class=\"more\" x=\"{}\" y=\"{}\" dy=\"0.32em\" font-size=\"11\" font-style=\"italic\" fill=\"{}\">+ {} {}</text>",
                    num(x + 10.0),
                    num(line_y(shown)),
                    PALETTE.muted,
                    list.len() - shown,
                    lang.pick("till", "more")
                );
            }
            body.push_str("</g>");
        }
        body.push_str("</g>\n");
        y += h;
    }
    frame("framework-matrix", width, y + 16.0, title, &desc, &body)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::number_format::Language::Swedish;

    pub(crate) fn light_example() -> (Vec<String>, Vec<String>, Vec<Vec<Option<MatrixCell>>>) {
        let units: Vec<String> = [
            "Vårdcentralen Norra",
            "Vårdcentralen Söder",
            "Hälsocentralen Väster & Öster",
        ]
        .map(String::from)
        .to_vec();
        let indicators: Vec<String> = [
            "Besök hos läkare",
            "Kontinuitet (andel besök hos samma läkare)",
            "Undvikbar slutenvård",
            "Vaccination <65 år",
        ]
        .map(String::from)
        .to_vec();
        let c = |light, text: &str| {
            Some(MatrixCell {
                light,
                text: text.to_owned(),
            })
        };
        let cells = vec![
            vec![
                c(Light::Green, "Bättre än länet"),
                c(Light::Yellow, "Som länet"),
                c(Light::Red, "Sämre än länet"),
                None,
            ],
            vec![
                c(Light::Yellow, "Som länet"),
                c(Light::Grey, "För få fall"),
                c(Light::Green, "Bättre än länet"),
                c(Light::Green, ""),
            ],
            vec![c(Light::Red, "Sämre än länet")],
        ];
        (units, indicators, cells)
    }

    pub(crate) fn framework_example() -> Vec<(Shift, Dimension, Vec<String>)> {
        vec![
            (
                Shift::InpatientToOutpatient,
                Dimension::Quantity,
                vec![
                    "Undvikbar slutenvård".into(),
                    "Återinskrivningar inom 30 dagar".into(),
                ],
            ),
            (
                Shift::ContinuityCoordination,
                Dimension::Quality,
                vec!["Kontinuitet hos läkare".into()],
            ),
            (
                Shift::HealthPromotionPrevention,
                Dimension::Quality,
                vec!["Vaccination <65 år".into()],
            ),
            (
                Shift::Accessibility,
                Dimension::Quantity,
                vec!["Digitala besök".into()],
            ),
            (
                Shift::Accessibility,
                Dimension::Cost,
                vec!["Kostnad per besök".into()],
            ),
        ]
    }

    #[test]
    fn light_cells_say_their_word_and_reason() {
        let (units, indicators, cells) = light_example();
        let svg = light_matrix("Översikt", &units, &indicators, &cells, Swedish);
        assert_eq!(svg.matches("<g class=\"cell ").count(), 12);
        assert_eq!(svg.matches("<g class=\"cell empty\"").count(), 4);
        assert_eq!(svg.matches("<g class=\"cell light-green\"").count(), 3);
        assert!(svg.contains(&format!("fill=\"{}\">gul</text>", PALETTE.text)));
        assert!(svg.contains(&format!("fill=\"{}\">röd</text>", PALETTE.on_dark)));
        assert!(svg.contains(
            "<title>Vårdcentralen Norra – Undvikbar slutenvård: röd. Sämre än länet</title>"
        ));
        assert!(svg.contains("Vaccination &lt;65 år") && svg.contains("Väster &amp; Öster"));
        assert!(svg.contains("rotate(-45)"));
    }

    #[test]
    fn framework_marks_exactly_the_empty_cells() {
        let svg = framework_matrix("Ramverk", &framework_example(), Swedish);
        assert_eq!(svg.matches("<g class=\"cell gap\"").count(), 18 - 5);
        assert_eq!(svg.matches("<g class=\"cell filled\"").count(), 5);
        assert_eq!(svg.matches(">Ingen indikator</text>").count(), 13);
        assert!(svg.contains("<title>Mer tillgänglig vård × kostnad: Kostnad per besök</title>"));
        assert!(svg.contains("url(#samsyn-framework-matrix-"));
        assert!(svg.contains("13 av 18 rutor saknar indikator"));
        let all_empty = framework_matrix("t", &[], Swedish);
        assert_eq!(all_empty.matches("<g class=\"cell gap\"").count(), 18);
        let many: Vec<String> = (1..=9).map(|i| format!("Indikator {i}")).collect();
        let svg = framework_matrix(
            "t",
            &[
                (Shift::PersonCentred, Dimension::Cost, many.clone()),
                (Shift::PersonCentred, Dimension::Cost, vec!["Tionde".into()]),
            ],
            Swedish,
        );
        assert_eq!(svg.matches("<g class=\"cell gap\"").count(), 17);
        assert!(svg.contains(">+ 6 till</text>"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert!(light_matrix("t", &[], &[], &[], Swedish).contains("Inga värden att visa"));
        let svg = light_matrix("t", &["a".into()], &["b".into()], &[], Swedish);
        assert_eq!(svg.matches("<g class=\"cell empty\"").count(), 1);
    }
}
