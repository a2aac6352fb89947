//! docs/themes.md cannot drift from the built-in theme: every template file
//! under themes/default/templates/ has a section there, each section names
//! every context variable its template reads, and every label key of
//! themes/default/i18n.yaml is listed. The variables are found by parsing
//! each template with Tera and walking its syntax tree (names bound by
//! `for`, `set` and macro arguments are not context variables). A failure
//! says exactly which lines to add, so whoever adds a template or a label
//! knows what to document.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use tera::ast::{Expr, ExprVal, Node};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Root names (`page` of `page.title`, `labels` of `labels[key]`) an
/// expression reads that `bound` does not hold.
fn expr_vars(expr: &Expr, bound: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    val_vars(&expr.val, bound, out);
    for filter in &expr.filters {
        for arg in filter.args.values() {
            expr_vars(arg, bound, out);
        }
    }
}

fn ident(path: &str, bound: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    let root = path.split(['.', '[']).next().unwrap_or(path);
    // Tera's own names: the loop object, the whole context, `super()`.
    if !root.is_empty() && !bound.contains(root) && !["loop", "__tera_context"].contains(&root) {
        out.insert(root.to_string());
        // And the field read of it (`page.title`), except labels (`t.x`),
        // which the Labels section lists.
        let field = path.split('[').next().unwrap_or(path).split('.').nth(1);
        if let (Some(field), false) = (field, root == "t") {
            out.insert(format!("{root}.{field}"));
        }
    }
    // `labels[key]`: the key expression inside brackets reads a variable too.
    for inner in path.split('[').skip(1) {
        let inner = inner.split(']').next().unwrap_or("");
        if !inner.starts_with(['"', '\'']) && !inner.chars().all(|c| c.is_ascii_digit()) {
            ident(inner, bound, out);
        }
    }
}

fn val_vars(val: &ExprVal, bound: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    match val {
        ExprVal::Ident(path) => ident(path, bound, out),
        ExprVal::Math(m) => {
            expr_vars(&m.lhs, bound, out);
            expr_vars(&m.rhs, bound, out);
        }
        ExprVal::Logic(l) => {
            expr_vars(&l.lhs, bound, out);
            expr_vars(&l.rhs, bound, out);
        }
        ExprVal::Test(t) => {
            ident(&t.ident, bound, out);
            for arg in &t.args {
                expr_vars(arg, bound, out);
            }
        }
        ExprVal::MacroCall(call) => {
            for arg in call.args.values() {
                expr_vars(arg, bound, out);
            }
        }
        ExprVal::FunctionCall(call) => {
            for arg in call.args.values() {
                expr_vars(arg, bound, out);
            }
        }
        ExprVal::Array(items) => {
            for item in items {
                expr_vars(item, bound, out);
            }
        }
        ExprVal::StringConcat(concat) => {
            for v in &concat.values {
                val_vars(v, bound, out);
            }
        }
        ExprVal::In(i) => {
            expr_vars(&i.lhs, bound, out);
            expr_vars(&i.rhs, bound, out);
        }
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
    }
}

/// Walks `nodes` in order; `set` binds its name from there on.
fn node_vars(nodes: &[Node], bound: &mut BTreeSet<String>, out: &mut BTreeSet<String>) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, e) => expr_vars(e, bound, out),
            Node::Set(_, set) => {
                expr_vars(&set.value, bound, out);
                bound.insert(set.key.clone());
            }
            Node::FilterSection(_, section, _) => {
                for arg in section.filter.args.values() {
                    expr_vars(arg, bound, out);
                }
                node_vars(&section.body, bound, out);
            }
            Node::Block(_, block, _) => node_vars(&block.body, bound, out),
            Node::Forloop(_, for_loop, _) => {
                expr_vars(&for_loop.container, bound, out);
                let mut inner = bound.clone();
                inner.insert(for_loop.value.clone());
                inner.extend(for_loop.key.clone());
                node_vars(&for_loop.body, &mut inner, out);
                if let Some(empty) = &for_loop.empty_body {
                    node_vars(empty, &mut bound.clone(), out);
                }
            }
            Node::If(branches, _) => {
                for (_, cond, body) in &branches.conditions {
                    expr_vars(cond, bound, out);
                    node_vars(body, &mut bound.clone(), out);
                }
                if let Some((_, body)) = &branches.otherwise {
                    node_vars(body, &mut bound.clone(), out);
                }
            }
            // A macro sees only its arguments, never the page's context.
            Node::MacroDefinition(..) => {}
            _ => {}
        }
    }
}

/// Every template file of the built-in theme (path under templates/) with
/// the context variables it reads; stylesheets have none.
fn templates() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(ROOT).join("themes/default/templates");
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut vars = BTreeSet::new();
        if !name.ends_with(".css") {
            let text = fs::read_to_string(entry.path()).unwrap();
            let template = tera::Template::new(&name, None, &text)
                .unwrap_or_else(|e| panic!("templates/{name} does not parse: {e}"));
            node_vars(&template.ast, &mut BTreeSet::new(), &mut vars);
        }
        found.insert(name, vars);
    }
    found
}

/// The text of docs/themes.md from the heading `### templates/<name>` to the
/// next heading of level 2 or 3.
fn section<'d>(doc: &'d str, name: &str) -> Option<&'d str> {
    let heading = format!("### `templates/{name}`");
    let start = doc.lines().position(|l| l.trim() == heading)?;
    let lines: Vec<&str> = doc.lines().collect();
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("## ") || l.starts_with("### "))
        .map_or(lines.len(), |k| start + 1 + k);
    let from = lines[..start].iter().map(|l| l.len() + 1).sum::<usize>();
    let to = lines[..end].iter().map(|l| l.len() + 1).sum::<usize>();
    Some(&doc[from..to.min(doc.len())])
}

/// Whether `text` documents `name`: `` `page` `` for a variable (or any of
/// its fields), `` `page.title` `` for a field.
fn mentions(text: &str, name: &str) -> bool {
    text.contains(&format!("`{name}`"))
        || !name.contains('.') && text.contains(&format!("`{name}."))
}

#[test]
fn docs_themes_md_documents_every_template_variable_and_label() {
    let doc =
        fs::read_to_string(Path::new(ROOT).join("docs/themes.md")).expect("docs/themes.md exists");
    // Objects many templates share (`site`, `page`, cards) are described
    // once; their fields count as documented for every template.
    let objects = doc.find("\n## Objects").map_or("", |at| {
        let end = doc[at + 1..]
            .find("\n## ")
            .map_or(doc.len(), |e| at + 1 + e);
        &doc[at..end]
    });
    let mut missing = Vec::new();
    for (name, vars) in templates() {
        let Some(text) = section(&doc, &name) else {
            let list: Vec<String> = vars.iter().map(|v| format!("`{v}`")).collect();
            missing.push(format!(
                "a section `### `templates/{name}`` (what the template renders), listing its context variables: {}",
                if list.is_empty() { "(none)".to_string() } else { list.join(", ") }
            ));
            continue;
        };
        let undocumented: Vec<String> = vars
            .iter()
            .filter(|v| !(mentions(text, v) || v.contains('.') && mentions(objects, v)))
            .map(|v| format!("`{v}`"))
            .collect();
        if !undocumented.is_empty() {
            missing.push(format!(
                "under `### `templates/{name}`` (a shared object's field may go under `## Objects`), what it now reads: {}",
                undocumented.join(", ")
            ));
        }
    }
    let labels_at = doc
        .find("\n## Labels")
        .expect("docs/themes.md has a `## Labels` section");
    let labels_doc = &doc[labels_at..];
    let i18n: BTreeMap<String, BTreeMap<String, String>> = serde_yaml::from_str(
        &fs::read_to_string(Path::new(ROOT).join("themes/default/i18n.yaml")).unwrap(),
    )
    .unwrap();
    let keys: BTreeSet<&String> = i18n.values().flat_map(|m| m.keys()).collect();
    let unlisted: Vec<String> = keys
        .into_iter()
        .filter(|k| !labels_doc.contains(&format!("`{k}`")))
        .map(|k| {
            let texts: Vec<String> = i18n
                .iter()
                .filter_map(|(lang, m)| m.get(k).map(|t| format!("{lang}: {t}")))
                .collect();
            format!("| `{k}` | {} |", texts.join("; "))
        })
        .collect();
    if !unlisted.is_empty() {
        missing.push(format!(
            "rows in the `## Labels` table for label keys of themes/default/i18n.yaml:\n{}",
            unlisted.join("\n")
        ));
    }
    assert!(
        missing.is_empty(),
        "docs/themes.md is out of date with themes/default/. Add:\n- {}",
        missing.join("\n- ")
    );
}

#[test]
fn the_variable_walk_sees_through_loops_sets_and_filters() {
    let template = tera::Template::new(
        "t.html",
        None,
        "{% set n = items | length %}{% for a in items %}{{ a.title }}{{ loop.index }}{{ labels[key] }}{% endfor %}\
         {% if page.x is defined and other %}{{ n }}{{ v | default(value=fallback) }}{% endif %}",
    )
    .unwrap();
    let mut vars = BTreeSet::new();
    node_vars(&template.ast, &mut BTreeSet::new(), &mut vars);
    let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
    assert_eq!(
        vars,
        ["fallback", "items", "key", "labels", "other", "page", "page.x", "v"]
    );
}
