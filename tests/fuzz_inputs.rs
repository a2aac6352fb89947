//! Property-based fuzzing of the three inputs editors write: front matter,
//! Markdown bodies and calendar.yaml. Inputs are built from the tokens that
//! broke parsers before (aliases, anchors, empty strings, fences, deep
//! nesting, BOMs, NULs, CRLF, huge repetitions), so a bounded number of
//! cases reaches the interesting corners. Properties: nothing panics or
//! hangs (each case is bounded by the caps), every error points at a line
//! of the file, and rendered HTML is inert.
//!
//! `cargo test` runs 128 cases per target; for a longer run set
//! `PROPTEST_CASES`, e.g. `PROPTEST_CASES=20000 cargo test --release --test fuzz_inputs`.
//! A failing input is shrunk by proptest; add it to tests/fixtures/hostile/.

use std::path::Path;

use healthpress::config::{yaml, Calendar, SiteConfig};
use healthpress::diagnostics::Diagnostic;
use healthpress::load::frontmatter::parse_article;
use healthpress::markdown::{render, LinkProblem, LinkResolver, MarkdownInput, Settings};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128)
}

/// Pieces joined into a document; `repeat` multiplies one of them.
fn document(tokens: &'static [&'static str], max_tokens: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => proptest::sample::select(tokens).prop_map(str::to_string),
        1 => (proptest::sample::select(tokens), 2..3_000usize).prop_map(|(t, n)| t.repeat(n)),
        1 => "[ -~\u{4e00}-\u{4e10}\t\n]{0,12}",
    ];
    proptest::collection::vec(piece, 0..max_tokens).prop_map(|pieces| pieces.concat())
}

const YAML_TOKENS: &[&str] = &[
    "title",
    "slug",
    "date",
    "summary",
    "audience",
    "specialty",
    "season",
    "authors",
    "sources",
    "review",
    "status",
    "reviewer",
    "fingerprint",
    "lang",
    "updated",
    "expires",
    "tags",
    "seasons",
    "observances",
    "newsletters",
    "slots",
    "id",
    "article",
    "segment",
    "cadence",
    "day",
    "start",
    "from",
    "to",
    "name",
    ": ",
    ":",
    "\n",
    "\r\n",
    "  ",
    "    ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "\"",
    "'",
    "\"\"",
    "''",
    "#",
    "---",
    "...",
    "!!str ",
    "!x ",
    "|",
    ">",
    "? ",
    "\t",
    "\u{feff}",
    "\0",
    "\u{85}",
    "2026-02-30",
    "2026-11-01",
    "12-01",
    "13-40",
    "approved",
    "draft",
    "aproved",
    "seniors",
    "parents",
    "weekly",
    "monday",
    "儿童发热",
    "~",
    "null",
    "true",
    "1e3",
    "0x1F",
    "-1",
    "%YAML 1.2\n",
    "<<: *a",
    "\\u0000",
    "\\",
    "..",
    "/",
    "%",
];

const MARKDOWN_TOKENS: &[&str] = &[
    "#",
    "## ",
    "\n",
    "\n\n",
    "> ",
    ">",
    "- ",
    "* ",
    "1. ",
    "  ",
    "    ",
    "```",
    "```rust\n",
    "```perl\n",
    "~~~",
    "`",
    "*",
    "_",
    "**",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "[x](a.md)",
    "[x](kids/fever.md#a)",
    "[y](../../etc/passwd.md)",
    "[z](javascript:alert(1))",
    "![i](data:text/html,x)",
    "<div>",
    "</div>",
    "<details>",
    "</details>",
    "<summary>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg><set onbegin=x>",
    "<a href=\"javascript:x\">",
    "<p>",
    "<br>",
    "|",
    "| a | b |\n",
    "|---|---|\n",
    "[^1]",
    "[^1]: note\n",
    "{#id}",
    "{.c}",
    "{onclick=x}",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "\\",
    "- [ ] ",
    "- [x] ",
    "儿童发热",
    "text ",
    "\t",
    "\r\n",
    "\0",
    "\u{feff}",
    "<",
    ">",
    "$a+",
    "((((",
    "<https://example.org>",
    "www.example.org",
    "***",
    "---\n",
    "===\n",
];

fn article_text(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}")
}

/// Every diagnostic names a line of the file (or the whole file, 0) and a rule.
fn located(diagnostics: &[Diagnostic], text: &str) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count() + 1;
    for d in diagnostics {
        prop_assert!(!d.rule.is_empty(), "{d:?}");
        prop_assert!(d.line <= lines, "line {} of {lines}: {d}", d.line);
        prop_assert!(!d.message.is_empty());
    }
    Ok(())
}

/// No element or attribute a browser would run, as the HTML parses.
fn inert(html: &str) -> Result<(), TestCaseError> {
    let doc = scraper::Html::parse_fragment(html);
    for node in doc.root_element().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        prop_assert!(
            !["script", "svg", "math", "iframe", "object", "embed", "style", "set"].contains(&name),
            "<{}> in {}",
            name,
            html
        );
        for (attr, value) in element.attrs() {
            let value = value.trim().to_ascii_lowercase();
            prop_assert!(!attr.starts_with("on"), "{}= in {}", attr, html);
            prop_assert!(attr != "style", "style= in {}", html);
            prop_assert!(
                !value.starts_with("javascript:") && !value.starts_with("data:"),
                "{}={} in {}",
                attr,
                value,
                html
            );
        }
    }
    Ok(())
}

struct NoArticles;

impl LinkResolver for NoArticles {
    fn resolve(&self, target: &Path) -> Result<String, LinkProblem> {
        match target.to_str() {
            Some("a.md") | Some("kids/fever.md") => Ok("/articles/a/".into()),
            _ => Err(LinkProblem::Missing("no such article".into())),
        }
    }
}

const SITE: &str = "title: t\nbase_url: https://x.org\ntaxonomies:\n  audience:\n    parents: { name: P }\n    seniors: { name: S }\n  specialty:\n    pediatrics: { name: Ped }\n  season: [winter]\npeople:\n  dr-li: { name: Li, title: 主任医师 }\n";

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn front_matter_never_panics_and_errors_point_at_lines(
        front in document(YAML_TOKENS, 60),
        body in document(MARKDOWN_TOKENS, 10),
    ) {
        let text = article_text(&front, &body);
        match parse_article("content/a.md".into(), "a.md".into(), text.clone(), "zh-Hans") {
            Ok(article) => prop_assert_eq!(&*article.raw, text.as_str()),
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                located(&problems, &text)?;
            }
        }
    }

    #[test]
    fn a_valid_article_with_one_hostile_value_is_refused_at_that_line(
        key in proptest::sample::select(&["audience", "specialty", "season", "authors", "slug", "title", "date", "lang"][..]),
        value in document(YAML_TOKENS, 6),
    ) {
        let lines = [
            "title: T".to_string(), "date: 2026-11-01".into(), "summary: S".into(),
            "audience: [parents]".into(), "specialty: [pediatrics]".into(), "season: [winter]".into(),
        ];
        let mut front: Vec<String> = lines.iter().filter(|l| !l.starts_with(&format!("{key}:"))).cloned().collect();
        front.push(format!("{key}: {}", value.replace(['\n', '\r'], " ")));
        let text = article_text(&front.join("\n"), "body\n");
        if let Err(problems) = parse_article("content/a.md".into(), "a.md".into(), text.clone(), "zh-Hans") {
            located(&problems, &text)?;
        }
    }

    #[test]
    fn markdown_renders_inert_html_and_located_diagnostics(body in document(MARKDOWN_TOKENS, 80)) {
        let input = MarkdownInput {
            body: &body,
            body_line: 12,
            file: Path::new("content/a.md"),
            source_dir: Path::new(""),
            settings: &Settings::DEFAULT,
        };
        let (rendered, diagnostics) = render(&input, &NoArticles);
        inert(&rendered.html)?;
        for d in &diagnostics {
            prop_assert!(d.line >= 12 && d.line <= 12 + body.split('\n').count(), "{}", d);
        }
    }

    #[test]
    fn calendar_yaml_never_panics_and_errors_point_at_lines(text in document(YAML_TOKENS, 80)) {
        let config: SiteConfig = serde_yaml::from_str(SITE).unwrap();
        match yaml::parse::<Calendar>(Path::new("calendar.yaml"), &text, 1) {
            Ok(calendar) => {
                let problems = healthpress::validate::calendar::check_calendar(&config, &calendar, &text, &[]);
                located(&problems, &text)?;
            }
            Err(problem) => located(&[problem], &text)?,
        }
    }
}
