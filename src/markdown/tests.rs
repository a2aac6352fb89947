//! Whole-pipeline tests of [`super::render`]: each extension, link policy with
//! positions, raw HTML sanitizing, highlighting and robustness against
//! pathological input. Helpers' own unit tests live beside them.

use std::path::Path;

use super::*;
use crate::diagnostics::Severity;

struct Site;

impl LinkResolver for Site {
    fn resolve(&self, target: &Path) -> Result<String, String> {
        match target.to_str() {
            Some("seniors/fall-prevention.md") => Ok("/articles/fall-prevention/".into()),
            Some("kids/fever.md") => Ok("/articles/fever/".into()),
            Some("kids/draft.md") => Err("the article is not published".into()),
            _ => Err("no such article".into()),
        }
    }
}

fn render_at(body: &str, body_line: usize) -> (Rendered, Vec<Diagnostic>) {
    let input = MarkdownInput {
        body,
        body_line,
        file: Path::new("content/kids/fever.md"),
        source_dir: Path::new("kids"),
        settings: &Settings::DEFAULT,
    };
    render(&input, &Site)
}

fn html(body: &str) -> String {
    render_at(body, 1).0.html
}

fn rules(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.rule.as_str()).collect()
}

/// Nothing a browser could execute, whatever the sanitizer did.
fn assert_inert(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "javascript:",
        "onerror",
        "onload",
        "onbegin",
        "<svg",
        "<set",
        "<math",
        "data:",
        "vbscript:",
        "style=",
    ] {
        assert!(!lower.contains(bad), "`{bad}` survived in {html}");
    }
}

#[test]
fn extensions_render() {
    let out = html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
    assert!(out.contains("<th class=\"align-left\">a</th>"), "{out}");
    assert!(out.contains("<td class=\"align-center\">2</td>"), "{out}");
    assert!(out.contains("<td class=\"align-right\">3</td>"), "{out}");
    assert!(!out.contains("style="), "{out}");

    let out = html("Text[^1].\n\n[^1]: Note.\n");
    assert!(out.contains("class=\"footnote-reference\""), "{out}");
    assert!(
        out.contains("class=\"footnote-definition\" id=\"1\""),
        "{out}"
    );

    assert!(html("~~old~~").contains("<del>old</del>"));

    // Each checkbox is labelled by its item's text (accessible name).
    let out = html("- [x] done\n- [ ] todo *now*\n");
    assert!(
        out.contains("<li><label class=\"task\"><input disabled=\"\" type=\"checkbox\" checked=\"\"> done</label></li>"),
        "{out}"
    );
    assert!(out.contains("todo <em>now</em></label></li>"), "{out}");
    // A nested list or a loose item's paragraph closes the label first.
    let out = html("- [ ] parent\n  - child\n");
    assert!(
        out.contains("parent</label>\n<ul>") || out.contains("parent</label><ul>"),
        "{out}"
    );
    let out = html("- [ ] loose\n\n- [x] item\n");
    assert_eq!(
        out.matches("<label").count(),
        out.matches("</label>").count(),
        "{out}"
    );

    let out = html("# Title {#custom .lead}\n");
    assert!(
        out.contains("<h1 id=\"custom\" class=\"lead\">Title</h1>"),
        "{out}"
    );
}

#[test]
fn heading_ids_cjk_duplicates_and_explicit() {
    let (r, d) = render_at(
        "# 儿童发热\n\n## Fever in `kids`\n\n## Fever in kids\n\n## ？？\n\n## Later {#er-tong-fa-re}\n",
        1,
    );
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "er-tong-fa-re-2",
            "fever-in-kids",
            "fever-in-kids-2",
            "section-4",
            "er-tong-fa-re"
        ]
    );
    assert_eq!(r.headings[1].text, "Fever in kids");
    assert_eq!(r.headings[0].level, 1);
    assert!(r.html.contains("<h1 id=\"er-tong-fa-re-2\">"), "{}", r.html);
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn heading_event_attributes_are_dropped() {
    let (r, d) = render_at("# Hi {#hi onclick=alert(1)}\n", 1);
    assert!(!r.html.contains("onclick"), "{}", r.html);
    assert_eq!(rules(&d), ["heading-attribute"]);
}

#[test]
fn md_links_resolve_with_fragment() {
    let (r, d) = render_at(
        "See [falls](../seniors/fall-prevention.md#stairs) and [x](fever.md).",
        1,
    );
    assert!(
        r.html
            .contains("<a href=\"/articles/fall-prevention/#stairs\">falls</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<a href=\"/articles/fever/\">x</a>"),
        "{}",
        r.html
    );
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn broken_links_report_line_and_column_in_the_source_file() {
    let body = "First line.\n\n冬季 [draft](draft.md) and [gone](../nope.md#x)\n";
    let (r, d) = render_at(body, 5);
    assert_eq!(rules(&d), ["broken-link", "broken-link"]);
    assert!(d
        .iter()
        .all(|d| d.severity == Severity::Error && d.hint.is_some()));
    assert_eq!((d[0].line, d[0].column), (7, 4));
    assert!(d[0].message.contains("not published"), "{}", d[0].message);
    assert_eq!((d[1].line, d[1].column), (7, 26));
    assert_eq!(d[0].file, Path::new("content/kids/fever.md"));
    assert!(!r.html.contains("<a"), "{}", r.html);
    assert!(
        r.html.contains("draft") && r.html.contains("gone"),
        "{}",
        r.html
    );
}

#[test]
fn links_escaping_the_content_root_are_errors() {
    let (r, d) = render_at("x\n[up](../../../etc/passwd.md)", 1);
    assert_eq!(rules(&d), ["broken-link"]);
    assert_eq!((d[0].line, d[0].column), (2, 1));
    assert!(d[0].message.contains("outside"), "{}", d[0].message);
    assert!(!r.html.contains("<a"), "{}", r.html);
}

#[test]
fn other_links_pass_through() {
    let out = html("[a](https://x.org) [b](/about/) [c](#top) [d](mailto:a@b.cn) [e](tel:120) [f](img/a.png) <https://who.int> <a@b.cn>");
    for href in [
        "https://x.org",
        "/about/",
        "#top",
        "mailto:a@b.cn",
        "tel:120",
        "img/a.png",
        "https://who.int",
    ] {
        assert!(
            out.contains(&format!("href=\"{href}\"")),
            "{href} missing in {out}"
        );
    }
}

#[test]
fn unsafe_links_and_images_are_removed() {
    let body = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](<java\tscript:alert(1)>) \
        [d](&#106;avascript&colon;alert(1)) [e](data:text/html;base64,PHNjcmlwdD4=) \
        [f](vbscript:x) [g](file:///etc/passwd) <javascript:alert(1)> \
        ![alt text](javascript:alert(1)) ![pic](data:image/png;base64,AAAA)";
    let (r, d) = render_at(body, 1);
    // The autolink's URL stays as visible text; only live markup matters.
    for live in ["<a", "<img", "href", "src="] {
        assert!(!r.html.contains(live), "{live} in {}", r.html);
    }
    assert!(
        r.html.contains("alt text") && r.html.contains(">a "),
        "{}",
        r.html
    );
    assert_eq!(d.len(), 10, "{d:?}");
    assert!(d.iter().all(|d| d.rule == "unsafe-link" && d.is_error()));
}

#[test]
fn raw_html_attacks_produce_no_executable_markup() {
    let attacks = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>",
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<style>body{display:none}</style>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
        "text <span onclick=\"alert(1)\">inline</span> text",
    ];
    for attack in attacks {
        let (r, d) = render_at(attack, 1);
        assert_inert(&r.html);
        let raw: Vec<_> = d.iter().filter(|d| d.rule == "raw-html").collect();
        assert_eq!(raw.len(), 1, "{attack}: {d:?}");
        assert_eq!(raw[0].severity, Severity::Warning);
    }
    let (_, d) = render_at("<script>alert(1)</script>", 1);
    assert_eq!(d[0].message, "raw HTML `<script>` was removed");
}

#[test]
fn harmless_html_and_comments_are_silent() {
    let (r, d) = render_at(
        "<!-- healthpress-allow: cure-guarantee -->\n\nText <!-- inline -->.\n",
        1,
    );
    assert!(d.is_empty(), "{d:?}");
    assert!(!r.html.contains("<!--"), "{}", r.html);

    let body = "# T\n\n<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n\n```rust\nfn f() {}\n```\n\n- [x] ok\n";
    let (r, d) = render_at(body, 1);
    assert!(d.is_empty(), "{d:?}");
    for kept in [
        "<details>",
        "<summary>",
        "<h1 id=\"t\">",
        "class=\"hl-",
        "type=\"checkbox\"",
        "disabled",
    ] {
        assert!(r.html.contains(kept), "{kept} lost in {}", r.html);
    }
}

#[test]
fn code_is_highlighted_with_classes() {
    let (r, d) = render_at(
        "```python\nprint('<hi>')\n```\n\n```\nplain <b>\n```\n\n```nosuchlang\nx\n```\n",
        1,
    );
    assert!(d.is_empty(), "{d:?}");
    assert!(
        r.html
            .contains("<pre class=\"hl-code\"><code class=\"language-python\">"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<pre><code>plain &lt;b&gt;\n</code></pre>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<code class=\"language-nosuchlang\">x"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("style="), "{}", r.html);
}

#[test]
fn oversized_code_is_not_highlighted() {
    let body = format!("intro\n\n```rust\n{}```\n", "let x = 1;\n".repeat(2_001));
    let (r, d) = render_at(&body, 10);
    assert_eq!(rules(&d), ["code-not-highlighted"]);
    assert_eq!((d[0].line, d[0].column), (12, 1));
    assert!(!r.html.contains("hl-"));
}

#[test]
fn reading_stats_count_visible_text() {
    let (r, _) = render_at(
        "# 发热\n\n孩子发热时多喝水。Drink water often.\n\n<https://example.org/very/long>\n",
        1,
    );
    assert_eq!(r.reading.cjk_chars, 2 + 8);
    assert_eq!(r.reading.words, 3);
    assert_eq!(r.reading.minutes, 1);
}

#[test]
fn output_is_deterministic() {
    let body = "# A\n\n## A\n\n[x](nope.md) <b onclick=x>y</b>\n\n```rust\nfn a() {}\n```\n";
    assert_eq!(render_at(body, 3), render_at(body, 3));
}

#[test]
fn pathological_inputs_do_not_panic() {
    let inputs = [
        "[".repeat(50_000),
        "*a".repeat(50_000),
        "> ".repeat(10_000) + "deep",
        ">\n".repeat(5_000),
        "a\0b\0[x](\0.md)\0<\0script>".to_string(),
        "[x](<unterminated [y]( [z]: <> ![](".to_string(),
        "[^".repeat(10_000),
        "](".repeat(20_000),
        "<a href=".repeat(5_000),
        "# {#}\n#{#x x}\n[](.md)[](#)[](..md)[](/.md)[](%ff.md)[](%.md)".to_string(),
        "| a |\n|---|\n".to_string() + &"| x | y | z |\n".repeat(1_000),
        "- ".repeat(2_000) + "x",
        "```\u{feff}\u{200b}\n\0\n```".to_string(),
    ];
    for input in &inputs {
        let (r, _) = render_at(input, 1);
        assert!(r.reading.minutes >= 1);
    }
}
