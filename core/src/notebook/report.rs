//! The report: one self-contained HTML file (inline CSS with print rules, charts as inline SVG,
//! no scripts, no external resources) that opens in any browser and prints well. In the
//! language the notebook was run in ([`NotebookResults::language`]): Swedish, or English.
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

/// Shown at the top and, in print, on every page of a report made without disclosure control
/// (in both languages, the report's own first).
fn unprotected_banner(lang: Language) -> &'static str {
    lang.pick(
        "<div class=\"unprotected\" role=\"alert\"><strong>Ej röjandeskyddad.</strong> Små antal visas i denna rapport. Den är bara för eget bruk: dela den inte. <span lang=\"en\">(Not protected: small counts are shown. For your own use only; do not share.)</span></div>\n",
        "<div class=\"unprotected\" role=\"alert\"><strong>Not protected.</strong> Small counts are shown in this report. It is for your own use only: do not share it. <span lang=\"sv\">(Ej röjandeskyddad: små antal visas. Bara för eget bruk; dela den inte.)</span></div>\n",
    )
}

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
td.l-green,tr.hl td.l-green,.legend .l-green{background:#157f3b;color:#fff}td.l-yellow,tr.hl td.l-yellow,.legend .l-yellow{background:#fee08b;color:#000}
td.l-red,tr.hl td.l-red,.legend .l-red{background:#d73027;color:#fff}td.l-grey,tr.hl td.l-grey,.legend .l-grey{background:#ddd;color:#000}
.data{background:#f4f6f8;padding:.5rem .8rem;border-left:4px solid #5b7fa6}
.error{background:#fde;padding:.5rem .8rem;border-left:4px solid #c00}
.warn{color:#8a4b00}
.legend{list-style:none;padding:0;margin:.3rem 0;font-size:.85rem}.legend li{margin:.15rem 0}.legend span{display:inline-block;min-width:5.5em;padding:0 .3rem;margin-right:.4rem}
svg{max-width:100%;height:auto}
footer{margin-top:3rem;border-top:1px solid #ccc;font-size:.8rem;color:#444}
@media print{body{margin:0;max-width:none;font-size:10pt}.cell{break-inside:avoid}h2{break-after:avoid}
.legend span,td.l-green,td.l-yellow,td.l-red,td.l-grey,tr.hl td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
";

/// What each light means, under a table or chart: the light's word on its colour (never the
/// colour alone) and its meaning.
fn light_legend_html(h: &mut String, legend: &[(Light, String)], lang: Language) {
    if legend.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<ul class=\"legend\" aria-label=\"{}\">",
        lang.pick("Vad ljusen betyder", "What the lights mean")
    );
    for (light, meaning) in legend {
        let _ = write!(
            h,
            "<li><span class=\"{}\">{}</span> {}</li>",
            light_class(*light),
            light.word(lang),
            esc(meaning)
        );
    }
    h.push_str("</ul>");
}

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
    fn line(self, lang: Language) -> &'static str {
        match (self, lang) {
            (MadeIn::Browser, Language::Swedish) => "<p class=\"made\">Rapporten gjordes i webbläsaren (Samsyn-appen).</p>\n",
            (MadeIn::CommandLine, Language::Swedish) => "<p class=\"made\">Rapporten gjordes med <code>samsyn run</code> på kommandoraden.</p>\n",
            (MadeIn::Browser, Language::English) => "<p class=\"made\">The report was made in the browser (the Samsyn app).</p>\n",
            (MadeIn::CommandLine, Language::English) => "<p class=\"made\">The report was made with <code>samsyn run</code> on the command line.</p>\n",
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
    let lang = r.language;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\"><meta name=\"referrer\" content=\"no-referrer\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}{}</title><style>{CSS}</style></head><body>\n",
        lang.tag(),
        if r.protected {
            ""
        } else {
            lang.pick("EJ RÖJANDESKYDDAD – ", "NOT PROTECTED – ")
        },
        esc(&r.title),
    );
    if !r.protected {
        h.push_str(unprotected_banner(lang));
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
        let _ = writeln!(
            h,
            "<p class=\"params\">{}: {p}</p>",
            lang.pick("Parametrar", "Parameters")
        );
    }
    for (id, out) in &r.cells {
        let _ = write!(h, "<section class=\"cell\" id=\"{}\">", esc(id));
        cell(&mut h, out, lang);
        h.push_str("</section>\n");
    }
    let files = r
        .inputs
        .iter()
        .map(|i| {
            format!(
                "{} = {} ({} {}{})",
                esc(&i.name),
                esc(&i.file),
                count(i.rows, lang),
                lang.pick("rader", "rows"),
                if i.problems > 0 {
                    format!(
                        ", {} {}",
                        count(i.problems, lang),
                        lang.pick(
                            "problem",
                            if i.problems == 1 {
                                "problem"
                            } else {
                                "problems"
                            }
                        )
                    )
                } else {
                    String::new()
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let params = if r.params.is_empty() {
        lang.pick("inga", "none").to_owned()
    } else {
        r.params
            .iter()
            .map(|(k, v)| format!("{}={}", esc(k), esc(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let made = made.map(|m| m.line(lang)).unwrap_or_default();
    let (version, title, format) = (esc(samsyn_version), esc(&r.title), r.version);
    let protection = protection_note(r);
    let _ = match lang {
        Language::Swedish => write!(
            h,
            "<footer>\n{made}<p>Beräknat med Samsyn {version} på den egna datorn: <strong>data har aldrig lämnat datorn</strong>. Rapporten innehåller bara sammanräknade resultat.</p><p>Anteckningsbok: {title} (formatversion {format}). Parametrar: {params}. Lästa filer: {files}.</p><p>{protection}</p></footer>\n</body></html>\n"
        ),
        Language::English => write!(
            h,
            "<footer>\n{made}<p>Computed with Samsyn {version} on this computer: <strong>the data never left the computer</strong>. The report holds aggregated results only.</p><p>Notebook: {title} (format version {format}). Parameters: {params}. Files read: {files}.</p><p>{protection}</p></footer>\n</body></html>\n"
        ),
    };
    h
}

/// What the footer says of small-count protection.
fn protection_note(r: &NotebookResults) -> String {
    let lang = r.language;
    if !r.protected {
        return lang
            .pick(
                "Röjandeskydd: <strong>avstängt</strong> av användaren; små antal visas. Endast för eget bruk.",
                "Disclosure control: <strong>switched off</strong> by the user; small counts are shown. For your own use only.",
            )
            .into();
    }
    let t = number_format::format_trimmed(r.disclosure_threshold, 2, lang);
    let below = number_format::format_trimmed((r.disclosure_threshold - 1.0).max(1.0), 2, lang);
    match lang {
        Language::Swedish => format!(
            "Röjandeskydd: antal från 1 till {below} visas inte (tröskel {t}), och där ett dolt antal kunde räknas fram ur summor och skillnader döljs också ett annat (sekundär röjandekontroll)."
        ),
        Language::English => format!(
            "Disclosure control: counts from 1 to {below} are not shown (threshold {t}), and where a hidden count could be worked out from sums and differences another is hidden too (secondary suppression)."
        ),
    }
}

/// How many refused rows a data cell lists by row number (all are counted by reason).
const REFUSED_ROWS_SHOWN: usize = 50;

fn cell(h: &mut String, out: &CellOutput, lang: Language) {
    match out {
        CellOutput::Text { html } => h.push_str(html),
        CellOutput::Parameters { values } => {
            let _ = write!(
                h,
                "<table><tr><th>Parameter</th><th>{}</th></tr>",
                lang.pick("Värde", "Value")
            );
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
            // The Swedish report's problems in Swedish too (English in outputs saved before
            // `messages_sv` existed).
            let messages = if lang == Language::Swedish && messages_sv.len() == messages.len() {
                messages_sv
            } else {
                messages
            };
            let (name, file, expects) = (esc(&summary.name), esc(&summary.file), esc(expects));
            let (rows, used, refused) = (
                count(summary.rows, lang),
                count(summary.used, lang),
                count(summary.refused_total(), lang),
            );
            let _ = match lang {
                Language::Swedish => write!(
                    h,
                    "<div class=\"data\"><strong>Indata «{name}»</strong>: {file} ({rows} rader lästa, {used} använda, {refused} avvisade). {expects}"
                ),
                Language::English => write!(
                    h,
                    "<div class=\"data\"><strong>Input “{name}”</strong>: {file} ({rows} rows read, {used} used, {refused} refused). {expects}"
                ),
            };
            // Reasons and row numbers only: never a value from the file.
            if !summary.refused.is_empty() {
                let _ = write!(
                    h,
                    "<table class=\"refused\"><tr><th>{}</th><th>{}</th></tr>",
                    lang.pick("Avvisade rader, skäl", "Refused rows, reason"),
                    lang.pick("Rader", "Rows")
                );
                let worded = |reason: &crate::row_checks::Refusal| match lang {
                    Language::Swedish => reason.swedish(),
                    Language::English => reason.to_string(),
                };
                for (reason, n) in &summary.refused {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td></tr>",
                        esc(&worded(reason)),
                        count(*n, lang)
                    );
                }
                h.push_str("</table>");
                let shown: Vec<String> = summary
                    .refused_rows
                    .iter()
                    .take(REFUSED_ROWS_SHOWN)
                    .map(|(row, reason)| {
                        format!(
                            "{} {row}: {}",
                            lang.pick("rad", "row"),
                            esc(&worded(reason))
                        )
                    })
                    .collect();
                let more = summary.refused_total().saturating_sub(shown.len() as u64);
                let _ = write!(
                    h,
                    "<p class=\"refused-rows\">{}{}</p>",
                    shown.join("; "),
                    if more > 0 {
                        format!(
                            " ({} {more} {})",
                            lang.pick("och", "and"),
                            lang.pick("till", "more")
                        )
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
            let _ = write!(
                h,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                lang.pick("Indikator", "Indicator"),
                lang.pick("Mått", "Measure"),
                lang.pick("Enhet", "Unit")
            );
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
                "</tbody></table><p class=\"params\">{} {}; {} {}.</p>",
                count(t.rows.len() as u64, lang),
                lang.pick("rader", "rows"),
                lang.pick("också som", "also as"),
                esc(&t.file_name)
            );
            light_legend_html(h, &t.legend, lang);
        }
        CellOutput::Chart {
            title: _,
            svg,
            gaps,
            legend,
        } => {
            // The SVG comes from our own chart code, which escapes its text.
            let _ = write!(h, "<figure>{svg}</figure>");
            light_legend_html(h, legend, lang);
            if !gaps.is_empty() {
                let _ = write!(
                    h,
                    "<p><strong>{} ({} {} {}):</strong> {}.</p>",
                    lang.pick("Saknar indikator", "No indicator"),
                    gaps.len(),
                    lang.pick("av", "of"),
                    crate::indicators::definition::Shift::ALL.len()
                        * crate::indicators::definition::Dimension::ALL.len(),
                    esc(&gaps.join("; "))
                );
            }
        }
        CellOutput::Rollup { title, lines } => {
            let _ = write!(h, "<h3>{}</h3><table><tr>", esc(title));
            for (sv, en) in [
                ("Indikator", "Indicator"),
                ("Område", "Area"),
                ("Period", "Period"),
                ("Grön", "Green"),
                ("Gul", "Yellow"),
                ("Röd", "Red"),
                ("Ej klassad", "Not classified"),
                ("Bedömning", "Verdict"),
                ("Fråga", "Question"),
                ("Röda enheter", "Red units"),
            ] {
                let _ = write!(h, "<th>{}</th>", lang.pick(sv, en));
            }
            h.push_str("</tr>");
            for l in lines {
                // Outputs saved before `verdict_light` existed say it in Swedish words.
                let light = l.verdict_light.or(match l.verdict.as_str() {
                    "övervägande röd" => Some(Light::Red),
                    "övervägande gul" => Some(Light::Yellow),
                    "övervägande grön" => Some(Light::Green),
                    _ => None,
                });
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
                "<div class=\"error\">{}: {}</div>",
                lang.pick("Cellen kunde inte köras", "The cell could not run"),
                esc(match lang {
                    Language::Swedish => message_sv.as_deref().unwrap_or(message),
                    Language::English => message,
                })
            );
        }
    }
}

/// A count as the report writes it: `17 194` (`17,194` in English).
fn count(n: u64, lang: Language) -> String {
    number_format::format_fixed(n as f64, 0, lang)
}
