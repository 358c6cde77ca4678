//! `cargo xtask dist --single-file` (issue 12): `dist/samsyn.html`, the whole app in one file
//! that opens from `file://` with no server: trunk's release build with its JS glue run inline,
//! the WebAssembly module as base64 in a data block, the example notebooks and a small seeded
//! sample (the default county's population and areas, [`SAMPLE_ROWS`] event rows) as texts in
//! another (`globalThis.samsynFiles`, which the app and its worker read before any fetch, see
//! `web/src/notebook_run.rs`), and a strict CSP: no connection anywhere (`connect-src 'none'`),
//! the one inline script allowed by its SHA-256 hash, the worker from `blob:` only.
//!
//! Standard library only, like the rest of xtask: base64 and SHA-256 are written out below
//! (RFC 4648, FIPS 180-4) and checked against known vectors in the tests.

use std::path::{Path, PathBuf};

use crate::{root, step, target_dir};
use xtask::sample_data;

/// Event rows of the inline sample: enough for every example notebook to show lights, small
/// enough to keep the file a few MB.
pub const SAMPLE_ROWS: u64 = 40_000;

/// The policy of the single file: nothing but itself.
const CSP: &str = "default-src 'none'; script-src 'wasm-unsafe-eval' 'sha256-{HASH}'; \
style-src 'unsafe-inline'; img-src data: blob:; worker-src blob:; connect-src 'none'; \
form-action 'none'; base-uri 'none'; object-src 'none'";

/// Writes `dist/samsyn.html` from trunk's build in `dist` and returns its path.
pub fn build(dist: &Path) -> Result<PathBuf, String> {
    step("One file: dist/samsyn.html (the Wasm, the glue, the examples and a small sample inline)");
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let (mut glue, mut wasm) = (None, None);
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        match name.as_deref() {
            Some(n) if n.starts_with("samsyn-web") && n.ends_with("_bg.wasm") => wasm = Some(path),
            Some(n) if n.starts_with("samsyn-web") && n.ends_with(".js") => glue = Some(path),
            _ => {}
        }
    }
    let glue = glue.ok_or("dist/ holds no samsyn-web*.js (run cargo xtask dist first)")?;
    let wasm = wasm.ok_or("dist/ holds no samsyn-web*_bg.wasm")?;
    let glue = String::from_utf8(read(&glue)?).map_err(|e| e.to_string())?;
    if glue.contains("</script") {
        return Err("the JS glue holds '</script' and cannot be inlined".into());
    }
    let html = String::from_utf8(read(&dist.join("index.html"))?).map_err(|e| e.to_string())?;
    let files = bundled_files()?;
    let script = format!(
        // In a block: the glue's own names (`wasm`, …) are at the module's top level.
        "{glue}\n{{\n\
         globalThis.samsynGlueSource = {};\n\
         globalThis.samsynWorkerType = 'classic';\n\
         globalThis.samsynFiles = JSON.parse(document.getElementById('samsyn-files').textContent);\n\
         const base64 = document.getElementById('samsyn-wasm').textContent.trim();\n\
         const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));\n\
         const instance = await __wbg_init({{ module_or_path: bytes }});\n\
         window.wasmBindings = {{ {} }};\n\
         dispatchEvent(new CustomEvent('TrunkApplicationStarted', {{ detail: {{ wasm: instance }} }}));\n\
         }}\n",
        json_string(&classic_script(&glue)),
        exported_functions(&glue).join(", ")
    );
    let csp = CSP.replace("{HASH}", &base64(&sha256(script.as_bytes())));
    let head_end = html
        .find("</head>")
        .ok_or("dist/index.html has no </head>")?;
    let mut head = strip_trunk_loader(&html[..head_end])?;
    head = replace_csp(&head, &csp)?;
    let body = &html[head_end..];
    let body_end = body
        .rfind("</body>")
        .ok_or("dist/index.html has no </body>")?;
    let mut out = String::with_capacity(wasm_len(&wasm)? * 4 / 3 + files.len() + 200_000);
    out.push_str(&head);
    out.push_str("</head>");
    out.push_str(&body[7..body_end]);
    out.push_str("<script type=\"application/json\" id=\"samsyn-files\">");
    out.push_str(&files);
    out.push_str("</script>\n<script type=\"application/octet-stream\" id=\"samsyn-wasm\">");
    out.push_str(&base64(&read(&wasm)?));
    out.push_str("</script>\n<script type=\"module\">");
    out.push_str(&script);
    out.push_str("</script>\n");
    out.push_str(&body[body_end..]);
    let path = dist.join("samsyn.html");
    std::fs::write(&path, &out).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "single file: {} {} bytes ({:.2} MB)",
        path.display(),
        out.len(),
        out.len() as f64 / 1e6
    );
    Ok(path)
}

fn wasm_len(p: &Path) -> Result<usize, String> {
    std::fs::metadata(p)
        .map(|m| m.len() as usize)
        .map_err(|e| format!("{}: {e}", p.display()))
}

/// The head without trunk's loader (its module script and preload links, which fetch files).
fn strip_trunk_loader(head: &str) -> Result<String, String> {
    let mut out = String::with_capacity(head.len());
    let mut rest = head;
    loop {
        let script = rest.find("<script");
        let link = rest
            .find("<link rel=\"modulepreload\"")
            .or_else(|| rest.find("<link rel=\"preload\""));
        match (script, link) {
            (None, None) => break,
            (s, l) => {
                let at = match (s, l) {
                    (Some(s), Some(l)) => s.min(l),
                    (Some(s), None) => s,
                    (None, Some(l)) => l,
                    (None, None) => unreachable!(),
                };
                out.push_str(&rest[..at]);
                let tail = &rest[at..];
                let end = if tail.starts_with("<script") {
                    tail.find("</script>").map(|e| e + "</script>".len())
                } else {
                    tail.find('>').map(|e| e + 1)
                }
                .ok_or("an unclosed tag in dist/index.html")?;
                rest = &tail[end..];
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The head with its Content-Security-Policy meta tag's content replaced by `csp`.
pub fn replace_csp(head: &str, csp: &str) -> Result<String, String> {
    let at = head
        .find("http-equiv=\"Content-Security-Policy\"")
        .ok_or("dist/index.html has no CSP meta tag")?;
    let content = head[at..]
        .find("content=\"")
        .map(|c| at + c + "content=\"".len())
        .ok_or("the CSP meta tag has no content")?;
    let end = head[content..]
        .find('"')
        .map(|e| content + e)
        .ok_or("the CSP meta tag's content is not closed")?;
    Ok(format!("{}{csp}{}", &head[..content], &head[end..]))
}

/// The glue as a classic script, for the worker: Chromium starts no module worker from a
/// `blob:` URL of a `file://` page. Its exports become plain declarations, and
/// `import.meta.url` the worker's own address.
fn classic_script(glue: &str) -> String {
    glue.lines()
        .filter(|l| !l.trim_start().starts_with("export {"))
        .map(|l| l.strip_prefix("export ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("import.meta.url", "self.location.href")
}

/// The names of the functions the glue exports (the page's `window.wasmBindings`).
fn exported_functions(glue: &str) -> Vec<String> {
    glue.lines()
        .filter_map(|l| l.strip_prefix("export function "))
        .filter_map(|l| l.split('(').next())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

/// The example notebooks and the small sample, as a JSON object of texts by path.
fn bundled_files() -> Result<String, String> {
    let sample = target_dir().join("single-file-sample");
    sample_data::write_sample(&sample, sample_data::DEFAULT_SEED, Some(SAMPLE_ROWS), 0)?;
    let mut entries = Vec::new();
    let notebooks = root().join("notebooks");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&notebooks)
        .map_err(|e| format!("{}: {e}", notebooks.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".samsyn.json"))
        .collect();
    names.sort();
    for p in names {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        entries.push((format!("notebooks/{name}"), p));
    }
    for name in [
        "events.csv",
        "population.csv",
        "areas.csv",
        "survey.csv",
        "vardcentraler.csv",
    ] {
        entries.push((format!("sample-data/{name}"), sample.join(name)));
    }
    let mut json = String::from("{");
    for (i, (key, path)) in entries.iter().enumerate() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if i > 0 {
            json.push(',');
        }
        json.push_str(&json_string(key));
        json.push(':');
        json.push_str(&json_string(&text));
    }
    json.push('}');
    Ok(json)
}

/// `s` as a JSON string literal that is also safe inside an HTML `<script>` element (`<` is
/// written `\u003c`, so no `</script>` can end it).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SHA-256 (FIPS 180-4).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bits.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_and_base64_give_the_standards_vectors() {
        // FIPS 180-4 examples ("abc", the empty message) and one of two blocks.
        assert_eq!(
            base64(&sha256(b"abc")),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert_eq!(
            base64(&sha256(b"")),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            base64(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE="
        );
        // RFC 4648 §10.
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn a_json_string_cannot_end_its_script() {
        assert_eq!(
            json_string("a\"b\\c\n</script>\u{1}"),
            "\"a\\\"b\\\\c\\n\\u003c/script>\\u0001\""
        );
    }

    #[test]
    fn trunks_loader_and_csp_are_replaced() {
        let head =
            "<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\" />\
            <link rel=\"modulepreload\" href=\"/a.js\" crossorigin=\"anonymous\">\
            <script type=\"module\">import init from '/a.js';</script><style>x</style>";
        let stripped = strip_trunk_loader(head).unwrap();
        assert_eq!(
            replace_csp(&stripped, "default-src 'none'").unwrap(),
            "<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\" /><style>x</style>"
        );
        assert_eq!(
            exported_functions(
                "export function run(a) {\nexport function report(b, c) {\nfunction x() {"
            ),
            vec!["run", "report"]
        );
    }
}
