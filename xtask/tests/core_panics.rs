//! Issue 10, "never a panic": in WebAssembly a panic kills the page and the user's work with it,
//! so `core`'s library code (everything but its tests) calls no `unwrap`, `expect`, `panic!`,
//! `unreachable!`, `todo!` or `unimplemented!`: every failure is a value with a message. Checked
//! by plain `cargo test` on the source text, with comments, string literals and
//! `#[cfg(test)]` items (inline or in their own files) left out.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The source with comments and the contents of string and char literals blanked (newlines
/// kept, so that line numbers stay), so that braces and words in them count for nothing.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'/' && next == Some(b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && next == Some(b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if c == b'r' && matches!(next, Some(b'"') | Some(b'#')) && !ident_before(b, i) {
            // A raw string: r"…", r#"…"#, …
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.extend(std::iter::repeat_n(b' ', j + 1 - i));
            i = j + 1;
            while i < b.len() {
                if b[i] == b'"' && (0..hashes).all(|k| b.get(i + 1 + k) == Some(&b'#')) {
                    out.extend(std::iter::repeat_n(b' ', 1 + hashes));
                    i += 1 + hashes;
                    break;
                }
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if c == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
            out.push(b' ');
            i += 1;
        } else if c == b'\'' {
            // A char literal ('x', '\n', '\'', '{'), not a lifetime ('a).
            let end = if next == Some(b'\\') {
                b[i + 2..]
                    .iter()
                    .position(|&x| x == b'\'')
                    .map(|p| i + 2 + p)
            } else {
                let len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 1 + len)
            };
            match end {
                Some(e) => {
                    out.extend(std::iter::repeat_n(b' ', e + 1 - i));
                    i = e + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// `code` with every `#[cfg(test)]` item blanked (to its closing brace or semicolon); also the
/// names of the modules declared so in their own files.
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut out: Vec<u8> = code.as_bytes().to_vec();
    let mut test_mods = Vec::new();
    let mut from = 0;
    while let Some(p) = code[from..].find("#[cfg(test)]") {
        let start = from + p;
        let rest = &code[start + "#[cfg(test)]".len()..];
        let item = rest.trim_start();
        let item_at = start + "#[cfg(test)]".len() + (rest.len() - item.len());
        // `mod name;`: the module's own file is a test.
        if let Some(decl) = item.strip_prefix("mod ") {
            let name: String = decl
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if decl[name.len()..].trim_start().starts_with(';') {
                test_mods.push(name);
                from = item_at;
                continue;
            }
        }
        // Else blank to the item's end: the brace that closes its first `{`, or a `;` first.
        let bytes = code.as_bytes();
        let mut depth = 0usize;
        let mut end = bytes.len();
        for (k, &c) in bytes.iter().enumerate().skip(item_at) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                _ => {}
            }
        }
        for c in &mut out[start..end] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        from = end;
    }
    (String::from_utf8_lossy(&out).into_owned(), test_mods)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The calls that panic, in `core/src` outside tests: file, line and what.
fn panicking_calls(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut cleaned = Vec::new();
    let mut test_files: HashSet<PathBuf> = HashSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (code, test_mods) = without_tests(&code_only(&text));
        let dir = match f.file_name().and_then(|n| n.to_str()) {
            Some("mod.rs" | "lib.rs") => f.parent().unwrap().to_path_buf(),
            _ => f.with_extension(""),
        };
        for m in test_mods {
            test_files.insert(dir.join(format!("{m}.rs")));
            test_files.insert(dir.join(&m).join("mod.rs"));
        }
        cleaned.push((f.clone(), code));
    }
    let words = [
        ".unwrap()",
        ".expect(",
        "panic!(",
        "unreachable!(",
        "todo!(",
        "unimplemented!(",
    ];
    let mut found = Vec::new();
    for (f, code) in cleaned {
        if test_files.contains(&f) {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            for w in words {
                if line.contains(w) {
                    let rel = f.strip_prefix(src).unwrap_or(&f).display().to_string();
                    found.push(format!("core/src/{rel}:{}: {w}", n + 1));
                }
            }
        }
    }
    found
}

#[test]
fn core_library_code_never_panics_by_hand() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let found = panicking_calls(&src);
    assert!(
        found.is_empty(),
        "core must return errors, not panic (in WebAssembly a panic kills the page):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_calls_in_code_and_not_in_tests_comments_or_strings() {
    let text = r##"
/// Doc: x.unwrap() is fine here.
fn a() { let s = "call .unwrap() in a string"; let r = r#"panic!("x")"#; let c = '{'; }
fn b() -> u8 { Some(1).unwrap() }
#[cfg(test)]
mod tests {
    fn c() { None::<u8>.expect("in a test"); let s = "}"; }
}
fn d() { todo!() }
#[cfg(test)]
mod more;
"##;
    let (code, mods) = without_tests(&code_only(text));
    let hits: Vec<usize> = code
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(".unwrap()") || l.contains("todo!(") || l.contains(".expect("))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits, [4, 9]);
    assert_eq!(mods, ["more"]);
}
