//! The layer rules of docs/architecture.md, checked on the source: no
//! import cycle between files, no import from a lower layer into an upper
//! one, and nothing below the CLI prints. The check reads every file under
//! `src/` (test code left out), finds every reference to another module of
//! the crate (`use crate::…`, `use super::…`, `crate::x::y` in code, and
//! a child module named directly), and resolves it to the file defining
//! that module.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Lower layers: they never import an upper one.
const LOWER: [&str; 14] = [
    "assets",
    "config",
    "load",
    "markdown",
    "compliance",
    "search",
    "validate",
    "model",
    "output",
    "diagnostics",
    "html",
    "pinyin",
    "timings",
    "wordseg",
];
/// Upper layers (and `build`, which sequences them).
const UPPER: [&str; 5] = ["render", "review", "serve", "cli", "build"];

/// Files allowed to print: the CLI, the entry point, and the opt-in
/// profiling output of `HEALTHPRESS_TIMINGS`.
fn may_print(module: &[String]) -> bool {
    matches!(
        module.first().map(String::as_str),
        None | Some("cli") | Some("main") | Some("timings")
    )
}

/// A source file: its module path (`["render", "index"]`) and its code,
/// without comments and test modules.
struct Source {
    file: PathBuf,
    module: Vec<String>,
    code: String,
}

fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without `//` comments, string literals and the
/// `#[cfg(test)]` module at its end (tests may import anything).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            if in_string {
                if c == '"' && prev != '\\' {
                    in_string = false;
                }
                prev = if c == '\\' && prev == '\\' { ' ' } else { c };
                k += 1;
                continue;
            }
            if c == '/' && chars.get(k + 1) == Some(&'/') {
                break;
            }
            if c == '"' {
                in_string = true;
                prev = ' ';
                kept.push_str("\"\"");
                k += 1;
                continue;
            }
            kept.push(c);
            k += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        // Test-only modules (`#[cfg(test)] mod tests;`).
        .filter(|p| p.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|path| {
            let rel = path.strip_prefix(&src).unwrap().to_path_buf();
            let text = fs::read_to_string(&path).unwrap();
            Source {
                module: module_of(&rel),
                code: code_of(&text),
                file: Path::new("src").join(rel),
            }
        })
        .collect()
}

/// Every `use` tree of `code` expanded into paths (`a::b::{c, d}` gives
/// `a::b::c` and `a::b::d`).
fn use_paths(code: &str) -> Vec<Vec<String>> {
    fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
        let tree = tree.trim();
        if tree.is_empty() {
            return;
        }
        if let Some(open) = tree.find('{') {
            let head: Vec<String> = tree[..open]
                .split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut depth = 0;
            let mut start = 0;
            let mut parts = Vec::new();
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&inner[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&inner[start..]);
            let base: Vec<String> = prefix.iter().cloned().chain(head).collect();
            for part in parts {
                expand(&base, part, out);
            }
        } else {
            let tree = tree.split(" as ").next().unwrap_or(tree);
            let mut path: Vec<String> = prefix.to_vec();
            path.extend(
                tree.split("::")
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && (*s != "self" || prefix.is_empty()))
                    .map(String::from),
            );
            out.push(path);
        }
    }
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = find_word(rest, "use ") {
        let after = &rest[at + 4..];
        let Some(end) = after.find(';') else { break };
        expand(&[], &after[..end], &mut out);
        rest = &after[end..];
    }
    out
}

/// Position of `word` in `text` where it starts a word.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// `code` without its `use` statements (their paths are read whole by
/// [`use_paths`]; a group's prefix alone names no module used).
fn without_uses(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = find_word(rest, "use ") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find(';') else {
            return out;
        };
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every `a::b::c` path in `code` (identifiers joined by `::`).
fn inline_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        if ident(chars[i]) && (i == 0 || !(ident(chars[i - 1]) || chars[i - 1] == ':')) {
            let mut path = Vec::new();
            let mut j = i;
            loop {
                let start = j;
                while j < chars.len() && ident(chars[j]) {
                    j += 1;
                }
                path.push(chars[start..j].iter().collect::<String>());
                if j + 2 < chars.len()
                    && chars[j] == ':'
                    && chars[j + 1] == ':'
                    && ident(chars[j + 2])
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if path.len() > 1 {
                out.push(path);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The file module a path refers to, from the file at `module`: the
/// longest prefix of the path that names a file of the crate.
fn resolve(
    path: &[String],
    module: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let (mut base, rest): (Vec<String>, &[String]) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("self") => (module.to_vec(), &path[1..]),
        Some("super") => {
            let mut base = module.to_vec();
            let mut k = 0;
            while path.get(k).map(String::as_str) == Some("super") {
                base.pop();
                k += 1;
            }
            (base, &path[k..])
        }
        Some(first) => {
            // A child module named directly (`email::render_fitted`).
            let mut child = module.to_vec();
            child.push(first.to_string());
            if !modules.contains(&child) {
                return None;
            }
            (module.to_vec(), path)
        }
        None => return None,
    };
    let mut found = base.clone();
    for segment in rest {
        base.push(segment.clone());
        if modules.contains(&base) {
            found = base.clone();
        } else {
            break;
        }
    }
    Some(found)
}

/// file module -> the file modules it refers to.
fn graph(sources: &[Source]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    let mut edges = BTreeMap::new();
    for s in sources {
        let mut targets = BTreeSet::new();
        let paths = use_paths(&s.code)
            .into_iter()
            .chain(inline_paths(&without_uses(&s.code)));
        for path in paths {
            if let Some(target) = resolve(&path, &s.module, &modules) {
                if target != s.module && !target.is_empty() {
                    targets.insert(target);
                }
            }
        }
        edges.insert(s.module.clone(), targets);
    }
    edges
}

fn name(module: &[String], sources: &[Source]) -> String {
    sources
        .iter()
        .find(|s| s.module == module)
        .map_or_else(|| module.join("::"), |s| s.file.display().to_string())
}

/// Import cycles: strongly connected components of more than one file
/// (Tarjan's algorithm).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        next: usize,
        found: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(v: &'a Vec<String>, st: &mut State<'a>) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v);
        let edges = st.edges;
        for w in edges.get(v).into_iter().flatten() {
            let Some((w, _)) = edges.get_key_value(w) else {
                continue;
            };
            if !st.index.contains_key(w) {
                visit(w, st);
                let low = st.low[w].min(st.low[v]);
                st.low.insert(v, low);
            } else if st.on_stack.contains(w) {
                let low = st.index[w].min(st.low[v]);
                st.low.insert(v, low);
            }
        }
        if st.low[v] == st.index[v] {
            let mut component = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                st.found.push(component);
            }
        }
    }
    let mut st = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !st.index.contains_key(v) {
            visit(v, &mut st);
        }
    }
    st.found
}

#[test]
fn no_import_cycle_between_files() {
    let sources = sources();
    let edges = graph(&sources);
    let found: Vec<String> = cycles(&edges)
        .iter()
        .map(|c| {
            let files: Vec<String> = c.iter().map(|m| name(m, &sources)).collect();
            files.join(" <-> ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "import cycles (move what both sides need into a module of its own):\n{}",
        found.join("\n")
    );
}

#[test]
fn lower_layers_never_import_upper_ones() {
    let sources = sources();
    let edges = graph(&sources);
    let mut wrong = Vec::new();
    for (from, targets) in &edges {
        let Some(layer) = from.first() else { continue };
        if !LOWER.contains(&layer.as_str()) {
            continue;
        }
        for to in targets {
            if to.first().is_some_and(|t| UPPER.contains(&t.as_str())) {
                wrong.push(format!(
                    "{} imports {}",
                    name(from, &sources),
                    name(to, &sources)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "upward imports (lower: {LOWER:?}; upper: {UPPER:?}):\n{}",
        wrong.join("\n")
    );
    // Every top-level module is in one of the layers, so a new one cannot
    // slip past this test.
    for s in &sources {
        if let Some(top) = s.module.first() {
            assert!(
                LOWER.contains(&top.as_str()) || UPPER.contains(&top.as_str()) || top == "main",
                "{} is in no layer; add `{top}` to LOWER or UPPER here and in docs/architecture.md",
                s.file.display()
            );
        }
    }
}

#[test]
fn only_the_cli_prints() {
    let mut wrong = Vec::new();
    for s in sources() {
        if may_print(&s.module) {
            continue;
        }
        for mac in ["println!", "eprintln!", "print!", "eprint!", "dbg!"] {
            if find_word(&s.code, mac).is_some() {
                wrong.push(format!("{} uses {mac}", s.file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "only src/cli prints; return messages or diagnostics to it instead:\n{}",
        wrong.join("\n")
    );
}

/// The checker itself: a planted cycle and upward import are found.
#[test]
fn the_checker_finds_cycles_and_resolves_paths() {
    let code = code_of(
        "use crate::render::{index::Index, views::{card, Card}};\n\
         use super::body::render_body; // crate::serve::x in a comment\n\
         fn f() { crate::model::today_in(\"crate::cli::x\"); email::go(); }\n",
    );
    let modules: BTreeSet<Vec<String>> = [
        vec!["render".to_string()],
        vec!["render".into(), "index".into()],
        vec!["render".into(), "views".into()],
        vec!["render".into(), "body".into()],
        vec!["render".into(), "digest".into()],
        vec!["render".into(), "digest".into(), "email".into()],
        vec!["model".into()],
        vec!["serve".into()],
        vec!["cli".into()],
    ]
    .into();
    let here = vec!["render".to_string(), "digest".to_string()];
    let found: BTreeSet<Vec<String>> = use_paths(&code)
        .into_iter()
        .chain(inline_paths(&without_uses(&code)))
        .filter_map(|p| resolve(&p, &here, &modules))
        .collect();
    let expect: BTreeSet<Vec<String>> = [
        vec!["render".to_string(), "index".to_string()],
        vec!["render".into(), "views".into()],
        vec!["render".into(), "body".into()],
        vec!["model".into()],
        vec!["render".into(), "digest".into(), "email".into()],
    ]
    .into();
    assert_eq!(found, expect);

    let a = vec!["a".to_string()];
    let b = vec!["b".to_string()];
    let c = vec!["c".to_string()];
    let edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = [
        (a.clone(), [b.clone()].into()),
        (b.clone(), [c.clone()].into()),
        (c.clone(), [a.clone()].into()),
    ]
    .into();
    assert_eq!(cycles(&edges), vec![vec![a, b, c]]);
}
