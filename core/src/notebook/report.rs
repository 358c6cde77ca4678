//! The report: one self-contained HTML file (inline CSS with print rules, charts as inline SVG,
//! no scripts, no external resources) that opens in any browser and prints well. Swedish.
//!
//! Markdown is rendered safely by [`super::markdown`] (untrusted input: no raw HTML, no
//! loaded images, only safe links). The report carries its own Content-Security-Policy (nothing but inline
//! styles and `data:` images), so even a mistake here cannot make it call home when opened.

use std::fmt::Write;

pub use super::markdown::{markdown_to_html, safe_link, MARKDOWN_HTML_BYTES};
use super::output::{CellOutput, NotebookResults};
use crate::classify::Light;
use crate::number_format::{self, Language};

/// The report's own Content-Security-Policy: no scripts, no fetches, no frames, no forms; only
/// its inline styles and `data:` images.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Shown at the top and, in print, on every page of a report made without disclosure control.
const UNPROTECTED_BANNER: &str = "<div class=\"unprotected\" role=\"alert\"><strong>Ej röjandeskyddad.</strong> Små antal visas i denna rapport. Den är bara för eget bruk: dela den inte. <span lang=\"en\">(Not protected: small counts are shown. For your own use only; do not share.)</span></div>\n";

const CSS: &str = "
.unprotected{background:#7a0000;color:#fff;padding:.4rem .8rem;margin:0 0 1rem;border:2px solid #000}
@media screen{.unprotected{position:sticky;top:0;z-index:1}}
@media print{.unprotected{position:fixed;top:0;left:0;right:0;-webkit-print-color-adjust:exact;print-color-adjust:exact}body{padding-top:3rem}}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.1rem}
.params{color:#444}.cell{margin:1.2rem 0}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0;width:100%}
th,td{border:1px solid #bbb;padding:.2rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.hl td{font-weight:bold;background:#fff7d6}
td.l-green,tr.hl td.l-green{background:#157f3b;color:#fff}td.l-yellow,tr.hl td.l-yellow{background:#fee08b;color:#000}
td.l-red,tr.hl td.l-red{background:#d73027;color:#fff}td.l-grey,tr.hl td.l-grey{background:#ddd;color:#000}
.data{background:#f4f6f8;padding:.5rem .8rem;border-left:4px solid #5b7fa6}
.error{background:#fde;padding:.5rem .8rem;border-left:4px solid #c00}
.warn{color:#8a4b00}
svg{max-width:100%;height:auto}
footer{margin-top:3rem;border-top:1px solid #ccc;font-size:.8rem;color:#444}
@media print{body{margin:0;max-width:none;font-size:10pt}.cell{break-inside:avoid}h2{break-after:avoid}
td.l-green,td.l-yellow,td.l-red,td.l-grey,tr.hl td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
";

fn light_class(l: Light) -> &'static str {
    match l {
        Light::Green => "l-green",
        Light::Yellow => "l-yellow",
        Light::Red => "l-red",
        Light::Grey => "l-grey",
    }
}

fn looks_numeric(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '–' | '-' | ' ' | '.'))
}

/// Where a report was made, said on a line of its own so that two reports of the same run,
/// one from the app and one from `samsyn run`, differ in that line alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MadeIn {
    /// The app, in the user's browser.
    Browser,
    /// `samsyn run` on the command line.
    CommandLine,
}

impl MadeIn {
    fn line(self) -> &'static str {
        match self {
            MadeIn::Browser => "<p class=\"made\">Rapporten gjordes i webbläsaren (Samsyn-appen).</p>\n",
            MadeIn::CommandLine => "<p class=\"made\">Rapporten gjordes med <code>samsyn run</code> på kommandoraden.</p>\n",
        }
    }
}

/// The whole report, without a line saying where it was made.
pub fn render(r: &NotebookResults, samsyn_version: &str) -> String {
    render_report(r, samsyn_version, None)
}

/// The whole report, with the line saying where it was made (in its footer).
pub fn render_made(r: &NotebookResults, samsyn_version: &str, made: MadeIn) -> String {
    render_report(r, samsyn_version, Some(made))
}

fn render_report(r: &NotebookResults, samsyn_version: &str, made: Option<MadeIn>) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\"><meta name=\"referrer\" content=\"no-referrer\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}{}</title><style>{CSS}</style></head><body>\n",
        if r.protected { "" } else { "EJ RÖJANDESKYDDAD – " },
        esc(&r.title),
    );
    if !r.protected {
        h.push_str(UNPROTECTED_BANNER);
    }
    let _ = writeln!(h, "<h1>{}</h1>", esc(&r.title));
    if !r.description.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(&r.description));
    }
    if !r.params.is_empty() {
        let p = r
            .params
            .iter()
            .map(|(k, v)| format!("{} = {}", esc(k), esc(v)))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(h, "<p class=\"params\">Parametrar: {p}</p>");
    }
    for (id, out) in &r.cells {
        let _ = write!(h, "<section class=\"cell\" id=\"{}\">", esc(id));
        cell(&mut h, out);
        h.push_str("</section>\n");
    }
    let files = r
        .inputs
        .iter()
        .map(|i| {
            format!(
                "{} = {} ({} rader{})",
                esc(&i.name),
                esc(&i.file),
                count(i.rows),
                if i.problems > 0 {
                    format!(", {} problem", count(i.problems))
                } else {
                    String::new()
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let params = if r.params.is_empty() {
        "inga".to_owned()
    } else {
        r.params
            .iter()
            .map(|(k, v)| format!("{}={}", esc(k), esc(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        h,
        "<footer>\n{}<p>Beräknat med Samsyn {} på den egna datorn: <strong>data har aldrig lämnat datorn</strong>. Rapporten innehåller bara sammanräknade resultat.</p><p>Anteckningsbok: {} (formatversion {}). Parametrar: {}. Lästa filer: {}.</p><p>{}</p></footer>\n</body></html>\n",
        made.map(MadeIn::line).unwrap_or_default(),
        esc(samsyn_version),
        esc(&r.title),
        r.version,
        params,
        files,
        protection_note(r)
    );
    h
}

/// What the footer says of small-count protection.
fn protection_note(r: &NotebookResults) -> String {
    if !r.protected {
        return "Röjandeskydd: <strong>avstängt</strong> av användaren; små antal visas. Endast för eget bruk.".into();
    }
    let t = number_format::format_trimmed(r.disclosure_threshold, 2, Language::Swedish);
    let below = number_format::format_trimmed(
        (r.disclosure_threshold - 1.0).max(1.0),
        2,
        Language::Swedish,
    );
    format!(
        "Röjandeskydd: antal från 1 till {below} visas inte (tröskel {t}), och där ett dolt antal kunde räknas fram ur summor och skillnader döljs också ett annat (sekundär röjandekontroll)."
    )
}

/// How many refused rows a data cell lists by row number (all are counted by reason).
const REFUSED_ROWS_SHOWN: usize = 50;

fn cell(h: &mut String, out: &CellOutput) {
    match out {
        CellOutput::Text { html } => h.push_str(html),
        CellOutput::Parameters { values } => {
            h.push_str("<table><tr><th>Parameter</th><th>Värde</th></tr>");
            for (name, label, v) in values {
                let l = if label.is_empty() { name } else { label };
                let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", esc(l), esc(v));
            }
            h.push_str("</table>");
        }
        CellOutput::Data {
            summary,
            expects,
            messages,
            messages_sv,
        } => {
            // The report is Swedish: its problems too (English in outputs saved before
            // `messages_sv` existed).
            let messages = if messages_sv.len() == messages.len() {
                messages_sv
            } else {
                messages
            };
            let _ = write!(
                h,
                "<div class=\"data\"><strong>Indata «{}»</strong>: {} ({} rader lästa, {} använda, {} avvisade). {}",
                esc(&summary.name),
                esc(&summary.file),
                count(summary.rows),
                count(summary.used),
                count(summary.refused_total()),
                esc(expects)
            );
            // Reasons and row numbers only: never a value from the file.
            if !summary.refused.is_empty() {
                h.push_str(
                    "<table class=\"refused\"><tr><th>Avvisade rader, skäl</th><th>Rader</th></tr>",
                );
                for (reason, n) in &summary.refused {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td></tr>",
                        esc(&reason.swedish()),
                        count(*n)
                    );
                }
                h.push_str("</table>");
                let shown: Vec<String> = summary
                    .refused_rows
                    .iter()
                    .take(REFUSED_ROWS_SHOWN)
                    .map(|(row, reason)| format!("rad {row}: {}", esc(&reason.swedish())))
                    .collect();
                let more = summary.refused_total().saturating_sub(shown.len() as u64);
                let _ = write!(
                    h,
                    "<p class=\"refused-rows\">{}{}</p>",
                    shown.join("; "),
                    if more > 0 {
                        format!(" (och {more} till)")
                    } else {
                        String::new()
                    }
                );
            }
            if !messages.is_empty() {
                h.push_str("<ul class=\"warn\">");
                for m in messages {
                    let _ = write!(h, "<li>{}</li>", esc(m));
                }
                h.push_str("</ul>");
            }
            h.push_str("</div>");
        }
        CellOutput::Indicators { title, rows } => {
            if !title.is_empty() {
                let _ = write!(h, "<h3>{}</h3>", esc(title));
            }
            h.push_str("<table><tr><th>Indikator</th><th>Mått</th><th>Enhet</th></tr>");
            for [_, name, unit, measure] in rows {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(name),
                    esc(measure),
                    esc(unit)
                );
            }
            h.push_str("</table>");
        }
        CellOutput::Table(t) => {
            let _ = write!(h, "<h3>{}</h3><table><thead><tr>", esc(&t.title));
            for c in &t.header {
                let _ = write!(h, "<th>{}</th>", esc(c));
            }
            h.push_str("</tr></thead><tbody>");
            for row in &t.rows {
                h.push_str(if row.highlight {
                    "<tr class=\"hl\">"
                } else {
                    "<tr>"
                });
                for (text, light) in &row.fields {
                    match light {
                        Some(l) => {
                            let _ =
                                write!(h, "<td class=\"{}\">{}</td>", light_class(*l), esc(text));
                        }
                        None if looks_numeric(text) => {
                            let _ = write!(h, "<td class=\"num\">{}</td>", esc(text));
                        }
                        None => {
                            let _ = write!(h, "<td>{}</td>", esc(text));
                        }
                    }
                }
                h.push_str("</tr>");
            }
            let _ = write!(
                h,
                "</tbody></table><p class=\"params\">{} rader; också som {}.</p>",
                count(t.rows.len() as u64),
                esc(&t.file_name)
            );
        }
        CellOutput::Chart {
            title: _,
            svg,
            gaps,
        } => {
            // The SVG comes from our own chart code, which escapes its text.
            let _ = write!(h, "<figure>{svg}</figure>");
            if !gaps.is_empty() {
                let _ = write!(
                    h,
                    "<p><strong>Saknar indikator ({} av {}):</strong> {}.</p>",
                    gaps.len(),
                    super::view::SHIFTS.len() * super::view::DIMENSIONS.len(),
                    esc(&gaps.join("; "))
                );
            }
        }
        CellOutput::Rollup { title, lines } => {
            let _ = write!(
                h,
                "<h3>{}</h3><table><tr><th>Indikator</th><th>Område</th><th>Period</th><th>Grön</th><th>Gul</th><th>Röd</th><th>Ej klassad</th><th>Bedömning</th><th>Fråga</th><th>Röda enheter</th></tr>",
                esc(title)
            );
            for l in lines {
                let light = match l.verdict.as_str() {
                    "övervägande röd" => Some(Light::Red),
                    "övervägande gul" => Some(Light::Yellow),
                    "övervägande grön" => Some(Light::Green),
                    _ => None,
                };
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&l.indicator),
                    esc(&l.scope_unit),
                    esc(&l.period),
                    l.counts[0],
                    l.counts[1],
                    l.counts[2],
                    l.counts[3],
                    light.map(light_class).unwrap_or(""),
                    esc(&l.verdict),
                    esc(&l.question),
                    esc(&l.red_units.join(", "))
                );
            }
            h.push_str("</table>");
        }
        CellOutput::Error {
            message,
            message_sv,
        } => {
            let _ = write!(
                h,
                "<div class=\"error\">Cellen kunde inte köras: {}</div>",
                esc(message_sv.as_deref().unwrap_or(message))
            );
        }
    }
}

/// A count as the report writes it: `17 194`.
fn count(n: u64) -> String {
    number_format::format_fixed(n as f64, 0, Language::Swedish)
}
