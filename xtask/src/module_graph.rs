//! The module graph of a crate's sources, for `cargo xtask tidy` and its test (issue 11): which
//! file module uses which, and the cycles among them. Read from the text, standard library only.
//!
//! A module is a file (`indicators/finish.rs` is `indicators::finish`, `indicators/mod.rs` is
//! `indicators`). `a` uses `b` when `a`'s code names a path into `b`: `crate::b::…`,
//! `super::…`, `self::…`, or a child module by its name (`plan::SourcePlan`) — in `use`
//! declarations, grouped ones included, and anywhere in the code. Not counted: comments (doc
//! links are not imports), `pub use` (a re-export is a facade, not a use), `mod` declarations,
//! and `#[cfg(test)]` modules (a test may look at anything).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → the modules it uses (never itself).
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// The graph of the crate whose `src` folder is `src`.
pub fn graph(src: &Path) -> Result<Graph, String> {
    let mut files = Vec::new();
    collect(src, src, &mut files)?;
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let children_of = |module: &str| -> BTreeSet<String> {
        modules
            .iter()
            .filter_map(|m| {
                let rest = if module.is_empty() {
                    Some(m.as_str())
                } else {
                    m.strip_prefix(module)?.strip_prefix("::")
                };
                rest.filter(|r| !r.is_empty() && !r.contains("::"))
                    .map(str::to_owned)
            })
            .collect()
    };
    // What each module re-exports: item name → the absolute path it names.
    let mut reexports: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (module, text) in &files {
        let children = children_of(module);
        let children: BTreeSet<&str> = children.iter().map(String::as_str).collect();
        let mut items = BTreeMap::new();
        for path in paths(&reexport_decls(text)) {
            if let (Some(name), Some(abs)) = (path.last(), absolute(module, &path, &children)) {
                items.insert(name.clone(), abs);
            }
        }
        reexports.insert(module.clone(), items);
    }
    let mut graph = Graph::new();
    for (module, text) in &files {
        let code = code_only(text);
        let children = children_of(module);
        let children: BTreeSet<&str> = children.iter().map(String::as_str).collect();
        let mut uses = BTreeSet::new();
        for path in paths(&code) {
            let Some(mut abs) = absolute(module, &path, &children) else {
                continue;
            };
            // Through re-exports to the module that defines the item (a facade is no module).
            let mut target = longest_module(&abs, &modules);
            for _ in 0..8 {
                let Some(t) = target.clone() else { break };
                let depth = if t.is_empty() {
                    0
                } else {
                    t.split("::").count()
                };
                let Some(item) = abs.get(depth) else { break };
                let Some(to) = reexports.get(&t).and_then(|r| r.get(item)) else {
                    break;
                };
                let mut next = to.clone();
                next.extend(abs[depth + 1..].iter().cloned());
                abs = next;
                target = longest_module(&abs, &modules);
            }
            if let Some(target) = target {
                if target != *module && !target.is_empty() {
                    uses.insert(target);
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    Ok(graph)
}

/// The cycles: each strongly connected set of more than one module, with one cycle through it
/// written out (`a → b → a`).
pub fn cycles(graph: &Graph) -> Vec<(BTreeSet<String>, String)> {
    let names: Vec<&String> = graph.keys().collect();
    let index: BTreeMap<&String, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            graph[*n]
                .iter()
                .filter_map(|t| index.get(t).copied())
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for scc in strongly_connected(&edges) {
        if scc.len() < 2 {
            continue;
        }
        let set: BTreeSet<usize> = scc.iter().copied().collect();
        let start = *set.iter().next().unwrap();
        let path = shortest_cycle(&edges, &set, start);
        let text = path
            .iter()
            .map(|&i| names[i].as_str())
            .collect::<Vec<_>>()
            .join(" → ");
        out.push((set.iter().map(|&i| names[i].clone()).collect(), text));
    }
    out
}

/// The graph as text: one line per module, `a → b, c`.
pub fn render(graph: &Graph) -> String {
    let mut s = String::new();
    for (m, uses) in graph {
        let name = if m.is_empty() { "(crate)" } else { m };
        s.push_str(name);
        if !uses.is_empty() {
            s.push_str(" → ");
            s.push_str(&uses.iter().cloned().collect::<Vec<_>>().join(", "));
        }
        s.push('\n');
    }
    s
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap();
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push((parts.join("::"), text));
        }
    }
    Ok(())
}

/// The text without comments, string literals, `pub use` declarations and `#[cfg(test)]`
/// modules.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].bytes().take_while(|&b| b == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            i += body
                + rest[body..]
                    .find(&close)
                    .map_or(rest.len() - body, |e| e + close.len());
            out.push_str("\"\"");
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            i = (j + 1).min(bytes.len());
            out.push_str("\"\"");
        } else if bytes[i] == b'\''
            && rest.len() > 2
            && (rest.as_bytes()[1] == b'\\' || rest[1..].chars().nth(1) == Some('\''))
        {
            // A char literal ('"', '\'', 'x'); a lifetime has no closing quote.
            let len = if rest.as_bytes()[1] == b'\\' {
                rest[2..].find('\'').map_or(rest.len(), |e| e + 3)
            } else {
                1 + rest[1..].chars().next().unwrap().len_utf8() + 1
            };
            i += len;
            out.push_str("' '");
        } else if rest.starts_with("#[cfg(test)]") {
            // Skip the item that follows: up to its matching closing brace or its semicolon.
            let mut j = i + "#[cfg(test)]".len();
            let mut depth = 0usize;
            while j < bytes.len() {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    b';' if depth == 0 => {
                        j += 1;
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
            i = j;
        } else if (rest.starts_with("pub use ") || rest.starts_with("pub(crate) use "))
            && (i == 0 || !is_ident(bytes[i - 1]))
        {
            i += rest.find(';').map_or(rest.len(), |e| e + 1);
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The `pub use` declarations of a file (comments and tests left out), as code.
fn reexport_decls(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let at = match (rest.find("pub use "), rest.find("pub(crate) use ")) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        let line_start = rest[..at].rfind('\n').map_or(0, |n| n + 1);
        let tail = &rest[at..];
        let end = tail.find(';').map_or(tail.len(), |e| e + 1);
        if !rest[line_start..at].contains("//") {
            let decl = &tail[..end];
            out.push_str(decl.split_once("use ").map_or("", |(_, d)| d));
            out.push('\n');
        }
        rest = &tail[end..];
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every path of two or more segments in `code`, grouped `use` declarations expanded.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_ident(bytes[i]) || (i > 0 && (is_ident(bytes[i - 1]) || bytes[i - 1] == b':')) {
            i += 1;
            continue;
        }
        // A path starts here: idents joined by `::`, possibly ending in a `{…}` group.
        let (prefix, end) = path_at(code, i);
        if code[end..].starts_with("::{") {
            let open = end + 2;
            let close = matching(code, open);
            for tail in expand(&code[open + 1..close]) {
                let mut p = prefix.clone();
                p.extend(tail);
                out.push(p);
            }
            i = close + 1;
        } else {
            if prefix.len() > 1 {
                out.push(prefix);
            }
            i = end.max(i + 1);
        }
    }
    out
}

fn path_at(code: &str, start: usize) -> (Vec<String>, usize) {
    let bytes = code.as_bytes();
    let mut segs = Vec::new();
    let mut i = start;
    loop {
        let s = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        if s == i {
            break;
        }
        segs.push(code[s..i].to_owned());
        if code[i..].starts_with("::")
            && code[i + 2..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        {
            i += 2;
        } else {
            break;
        }
    }
    (segs, i)
}

fn matching(code: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (j, b) in code.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    code.len().saturating_sub(1)
}

/// The paths inside a `use` group: `a::{b, c}, d` → `[a, b], [a, c], [d]`.
fn expand(group: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = group.as_bytes();
    for j in 0..=bytes.len() {
        let b = bytes.get(j).copied().unwrap_or(b',');
        match b {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b',' if depth == 0 => {
                let part = group[start..j].trim();
                start = j + 1;
                if part.is_empty() {
                    continue;
                }
                let (prefix, end) = path_at(part, 0);
                if part[end..].starts_with("::{") {
                    let close = matching(part, end + 2);
                    for tail in expand(&part[end + 3..close]) {
                        let mut p = prefix.clone();
                        p.extend(tail);
                        out.push(p);
                    }
                } else {
                    out.push(prefix);
                }
            }
            _ => {}
        }
    }
    out
}

/// `path` as a path from the crate root, seen from `module`; `None` for paths into other crates.
fn absolute(module: &str, path: &[String], children: &BTreeSet<&str>) -> Option<Vec<String>> {
    let mut base: Vec<String> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(str::to_owned).collect()
    };
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(first) if children.contains(first) => {}
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

fn longest_module(path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|p| modules.contains(p))
}

/// Tarjan's algorithm, iteratively.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if *k == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on[v] = true;
            }
            if let Some(&w) = edges[v].get(*k) {
                *k += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut scc = Vec::new();
                while let Some(w) = stack.pop() {
                    on[w] = false;
                    scc.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(scc);
            }
        }
    }
    out
}

/// A shortest cycle from `start` back to it inside `set` (breadth first).
fn shortest_cycle(edges: &[Vec<usize>], set: &BTreeSet<usize>, start: usize) -> Vec<usize> {
    let mut prev: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if !set.contains(&w) {
                continue;
            }
            if w == start {
                let mut path = vec![start];
                let mut at = v;
                while at != start {
                    path.push(at);
                    at = prev[&at];
                }
                path.push(start);
                let last = path.len() - 1;
                path[1..last].reverse();
                return path;
            }
            if let std::collections::btree_map::Entry::Vacant(e) = prev.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (p, t) in files {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
    }

    #[test]
    fn finds_uses_of_every_spelling_and_the_cycle() {
        let dir = std::env::temp_dir().join(format!("samsyn-graph-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        write(
            &dir,
            &[
                ("lib.rs", "pub mod a; pub mod b; pub mod c;\n"),
                ("a/mod.rs", "mod x;\npub use x::Thing;\nfn f() { x::g(); }\n"),
                (
                    "a/x.rs",
                    "use crate::{b::{B, self}, c::C};\n// crate::c::nothing in a comment\nfn g() { let s = \"crate::b::no\"; }\n",
                ),
                ("b.rs", "use super::a::x::Thing;\n#[cfg(test)]\nmod tests { use crate::c::C; }\n"),
                ("c.rs", "pub struct C; fn f() -> std::io::Result<()> { crate::a::Thing::new(); Ok(()) }\n"),
            ],
        );
        let g = graph(&dir).unwrap();
        let uses = |m: &str| g[m].iter().cloned().collect::<Vec<_>>();
        assert_eq!(uses("a"), ["a::x"]);
        assert_eq!(uses("a::x"), ["b", "c"]);
        assert_eq!(uses("b"), ["a::x"]);
        assert_eq!(uses("c"), ["a::x"]);
        let cycles = cycles(&g);
        assert_eq!(cycles.len(), 1, "{cycles:?}");
        let (set, text) = &cycles[0];
        assert_eq!(set.iter().cloned().collect::<Vec<_>>(), ["a::x", "b", "c"]);
        assert!(
            text.starts_with("a::x → ") && text.ends_with(" → a::x"),
            "{text}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
