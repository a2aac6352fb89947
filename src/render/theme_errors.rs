//! Template errors a theme author can act on: the file that failed (the
//! site's override in `themes/<name>/templates/`, or the built-in file),
//! and the line. Tera names the templates involved in its error chain
//! (`while rendering 'base.html'`, `error happened in 'macros.html'`) and
//! the failing expression (``Variable `page.x` not found``), but gives no
//! line for a render error; the line is where that expression is written
//! in the failed template. A syntax error carries its own `--> line:col`.
//! Every template is parsed on its own first, so a theme with several
//! syntax errors shows them all in one run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// Where each template of a loaded theme came from, and its text.
#[derive(Debug, Default)]
pub struct Origins(BTreeMap<String, Origin>);

#[derive(Debug)]
struct Origin {
    /// As shown in errors: `themes/mine/templates/article.html`, or
    /// `themes/default/templates/article.html` for the built-in file.
    shown: PathBuf,
    built_in: bool,
    text: String,
}

impl Origins {
    /// Records template `name` (path under `templates/`) read from `shown`
    /// (`None`: the built-in theme's file).
    pub fn insert(&mut self, name: &str, shown: Option<PathBuf>, text: &str) {
        let built_in = shown.is_none();
        let shown =
            shown.unwrap_or_else(|| PathBuf::from(format!("themes/default/templates/{name}")));
        self.0.insert(
            name.to_string(),
            Origin {
                shown,
                built_in,
                text: text.to_string(),
            },
        );
    }

    /// Every template that does not parse, each at its own line.
    pub fn syntax_errors(&self) -> Vec<Diagnostic> {
        self.0
            .iter()
            .filter(|(name, _)| !name.ends_with(".css"))
            .filter_map(|(name, origin)| {
                let e = tera::Template::new(name, None, &origin.text).err()?;
                let message = error_chain(&e);
                let (line, column) = arrow_position(&message).unwrap_or((0, 0));
                // Pest draws the line; the words are after its `= `.
                let words = message
                    .lines()
                    .rev()
                    .find_map(|l| l.trim().strip_prefix("= "))
                    .map_or_else(|| one_line(&message), |w| format!("syntax error: {w}"));
                Some(
                    Diagnostic::error("template", &origin.shown, words)
                        .at(line, column)
                        .hint(self.hint(
                            name,
                            "fix the template syntax; see https://keats.github.io/tera/docs/",
                        )),
                )
            })
            .collect()
    }

    /// A failure to put the parsed templates together (a missing parent
    /// or include), at the template that names it.
    pub fn link_error(&self, theme: &str, e: &tera::Error) -> Diagnostic {
        let message = error_chain(e);
        let failed = quoted(&message)
            .into_iter()
            .find(|n| self.0.contains_key(n.as_str()));
        let file = failed.as_ref().map_or_else(
            || PathBuf::from(format!("themes/{theme}/templates")),
            |n| self.0[n.as_str()].shown.clone(),
        );
        Diagnostic::error("template", file, one_line(&message))
            .hint("a template extends, includes or imports one that does not exist")
    }

    /// A render error of `template`, at the file and line that failed.
    pub fn render_error(&self, template: &str, e: &tera::Error) -> Diagnostic {
        let message = error_chain(e);
        let name = self.failed_template(template, &message);
        let Some(origin) = self.0.get(&name) else {
            return Diagnostic::error(
                "template",
                format!("themes/default/templates/{template}"),
                one_line(&message),
            );
        };
        let (line, column) = culprit(&message)
            .and_then(|token| find_in(&origin.text, &token))
            .unwrap_or((0, 0));
        Diagnostic::error("template", &origin.shown, one_line(&message))
            .at(line, column)
            .hint(self.hint(
                &name,
                "a template refers to a value the page does not have (docs/themes.md lists each template's variables)",
            ))
    }

    fn hint(&self, name: &str, advice: &str) -> String {
        match self.0.get(name) {
            Some(o) if o.built_in => format!(
                "{advice}; this is the built-in theme's file: `healthpress theme eject templates/{name}` copies it to edit"
            ),
            _ => advice.to_string(),
        }
    }

    /// The template the error happened in: a macro's file, the parent
    /// template Tera names (`error happened in 'base.html'`; for a child
    /// template Tera's "active" template is the child even inside the
    /// parent's text), the template named as rendering, else the one
    /// asked for.
    fn failed_template(&self, asked: &str, message: &str) -> String {
        let known = |n: &String| self.0.contains_key(n.as_str());
        if let Some(call) = after_all(message, "error while rendering macro `").pop() {
            let macro_name = call.split("::").nth(1).unwrap_or(&call).to_string();
            let defined_in = self.0.iter().find(|(_, o)| {
                o.text.contains(&format!("macro {macro_name}("))
                    || o.text.contains(&format!("macro {macro_name} ("))
            });
            if let Some((n, _)) = defined_in {
                return n.clone();
            }
        }
        if let Some(n) = after_all(message, "error happened in '")
            .into_iter()
            .rfind(known)
        {
            return n;
        }
        if let Some(n) = after_all(message, "while rendering '")
            .into_iter()
            .rfind(known)
        {
            return n;
        }
        asked.to_string()
    }
}

/// Tera nests the useful message in its error sources.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// The texts that follow each `prefix` in `message`, up to the closing
/// quote or backtick.
fn after_all(message: &str, prefix: &str) -> Vec<String> {
    let close = prefix.chars().last().unwrap_or('\'');
    message
        .split(prefix)
        .skip(1)
        .filter_map(|rest| rest.split(close).next())
        .map(str::to_string)
        .collect()
}

/// Every `'quoted'` text of `message`.
fn quoted(message: &str) -> Vec<String> {
    message
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// What to look for in the template: the expression, filter, function or
/// test the innermost error names.
fn culprit(message: &str) -> Option<String> {
    let inner = message.rsplit(": ").find(|part| {
        !part.starts_with("Failed to render") && !part.starts_with("error while rendering macro")
    })?;
    if let Some(token) = inner.split('`').nth(1) {
        return Some(token.to_string());
    }
    for kind in [
        "Filter call '",
        "Filter '",
        "Function call '",
        "Function '",
        "Test '",
    ] {
        if let Some(rest) = inner.split(kind).nth(1) {
            let name = rest.split('\'').next().unwrap_or("");
            return Some(match kind {
                "Filter call '" | "Filter '" => format!("| {name}"),
                "Test '" => format!("is {name}"),
                _ => format!("{name}("),
            });
        }
    }
    None
}

/// 1-based line and column of the first place `token` is written, trying
/// `|name` without the space for filters.
fn find_in(text: &str, token: &str) -> Option<(usize, usize)> {
    let offset = text
        .find(token)
        .or_else(|| text.find(&token.replace("| ", "|")))?;
    Some(crate::diagnostics::line_col(text, offset))
}

/// Line and column of a parse error's ` --> 3:5` marker.
fn arrow_position(message: &str) -> Option<(usize, usize)> {
    let rest = message.split("--> ").nth(1)?;
    let mut parts = rest.split(|c: char| !c.is_ascii_digit());
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column))
}

/// Tera's multi-line messages (a parse error draws the line) on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '|' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(files: &[(&str, Option<&str>, &str)]) -> (Origins, tera::Tera) {
        let mut origins = Origins::default();
        let mut tera = tera::Tera::default();
        for (name, shown, text) in files {
            origins.insert(name, shown.map(PathBuf::from), text);
        }
        tera.add_raw_templates(files.iter().map(|(n, _, t)| (*n, *t)))
            .unwrap();
        (origins, tera)
    }

    #[test]
    fn a_missing_variable_names_the_override_file_and_line() {
        let (origins, tera) = origins(&[
            ("base.html", None, "<html>\n{% block main %}{% endblock %}\n</html>"),
            (
                "article.html",
                Some("themes/mine/templates/article.html"),
                "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.nope }}</p>\n{% endblock %}",
            ),
        ]);
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"title": "t"}));
        let e = tera.render("article.html", &ctx).unwrap_err();
        let d = origins.render_error("article.html", &e);
        assert_eq!(d.file, PathBuf::from("themes/mine/templates/article.html"));
        assert_eq!((d.line, d.column), (4, 7), "{d:?}");
        assert!(d.message.contains("page.nope"), "{}", d.message);
        assert!(!d.hint.unwrap().contains("eject"));
    }

    #[test]
    fn an_error_in_the_built_in_base_names_it_and_says_how_to_eject() {
        let (origins, tera) = origins(&[
            (
                "base.html",
                None,
                "<html>\n<title>{{ site.title }}</title>\n{% block main %}{% endblock %}",
            ),
            (
                "article.html",
                Some("themes/mine/templates/article.html"),
                "{% extends \"base.html\" %}{% block main %}x{% endblock %}",
            ),
        ]);
        let e = tera
            .render("article.html", &tera::Context::new())
            .unwrap_err();
        let d = origins.render_error("article.html", &e);
        assert_eq!(d.file, PathBuf::from("themes/default/templates/base.html"));
        assert_eq!(d.line, 2, "{d:?}");
        assert!(d.hint.unwrap().contains("theme eject templates/base.html"));
    }

    #[test]
    fn an_error_inside_a_macro_names_the_macro_file() {
        let (origins, tera) = origins(&[
            (
                "macros.html",
                None,
                "{% macro card(a) %}\n{{ a.title | nosuchfilter }}\n{% endmacro card %}",
            ),
            (
                "term.html",
                None,
                "{% import \"macros.html\" as m %}{{ m::card(a=x) }}",
            ),
        ]);
        let mut ctx = tera::Context::new();
        ctx.insert("x", &serde_json::json!({"title": "t"}));
        let e = tera.render("term.html", &ctx);
        // Tera refuses an unknown filter when templates are added or when
        // rendering, depending on the version; either way the file is named.
        if let Err(e) = e {
            let d = origins.render_error("term.html", &e);
            assert_eq!(
                d.file,
                PathBuf::from("themes/default/templates/macros.html")
            );
        }
    }

    #[test]
    fn syntax_errors_of_every_template_are_reported_at_their_lines() {
        let mut origins = Origins::default();
        origins.insert(
            "a.html",
            Some("themes/mine/templates/a.html".into()),
            "ok\n{{ x ",
        );
        origins.insert(
            "b.html",
            Some("themes/mine/templates/b.html".into()),
            "{% if %}",
        );
        origins.insert("c.html", None, "{{ fine }}");
        let errors = origins.syntax_errors();
        let files: Vec<_> = errors.iter().map(|d| d.file.clone()).collect();
        assert_eq!(
            files,
            [
                PathBuf::from("themes/mine/templates/a.html"),
                PathBuf::from("themes/mine/templates/b.html")
            ]
        );
        assert_eq!(errors[0].line, 2, "{:?}", errors[0]);
        assert!(!errors[0].message.contains('\n'));
    }
}
