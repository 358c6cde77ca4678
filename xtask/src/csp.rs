//! The served build's Content-Security-Policy (issue 12): after trunk has written
//! `dist/index.html`, its inline scripts (trunk's loader) are allowed by their SHA-256 hash
//! instead of `'unsafe-inline'`, and the policy closes what the app never uses. The page may
//! still load its own files (`'self'`: the glue, the Wasm, the examples and the sample), and
//! nothing else.

use std::path::Path;

use crate::single_file::{base64, sha256};

/// The served build's policy; `{HASHES}` becomes the inline scripts' hashes.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {HASHES}; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
worker-src 'self' blob:; form-action 'none'; base-uri 'none'; object-src 'none'";

/// Rewrites the CSP of `dist/index.html` as above.
pub fn harden(dist: &Path) -> Result<(), String> {
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let hashes: Vec<String> = inline_scripts(&html)
        .iter()
        .map(|s| format!("'sha256-{}'", base64(&sha256(s.as_bytes()))))
        .collect();
    if hashes.is_empty() {
        return Err("dist/index.html has no inline script: trunk's loader changed?".into());
    }
    let csp = CSP.replace("{HASHES}", &hashes.join(" "));
    let html = crate::single_file::replace_csp(&html, &csp)?;
    std::fs::write(&path, html).map_err(|e| format!("{}: {e}", path.display()))
}

/// The text of every `<script>` element without a `src` (what a hash must match, exactly).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let tail = &rest[at..];
        let Some(open_end) = tail.find('>') else {
            break;
        };
        let tag = &tail[..open_end];
        let body = &tail[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        let is_data = tag.contains("application/json") || tag.contains("application/octet-stream");
        if !tag.contains(" src=") && !is_data {
            out.push(&body[..close]);
        }
        rest = &body[close + "</script>".len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_code_is_hashed() {
        let html = "<script type=\"module\">a()</script><script src=\"x.js\"></script>\
                    <script type=\"application/json\">{}</script><script>\nb()\n</script>";
        assert_eq!(inline_scripts(html), vec!["a()", "\nb()\n"]);
    }
}
