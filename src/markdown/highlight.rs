//! Syntax highlighting of fenced code blocks with syntect.
//!
//! Output uses CSS classes (`hl-*`) and never inline `style=` attributes, so
//! sites can keep a strict `style-src 'self'` Content-Security-Policy; the
//! matching stylesheet comes from [`syntax_css`]. Loading syntect's syntax
//! set costs tens of milliseconds, so it happens once, lazily, and only when a
//! document has a fenced block with a language tag. syntect has no timeout,
//! so very large blocks are left unhighlighted instead of risking a stall.

use std::sync::LazyLock;

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Limits past which a block is shown as plain code, with a warning. syntect
/// has no timeout; its cost grows with line length (regex work per line),
/// block size, and with the markup it produces: a token-dense line such as
/// `$a+$a+...` yields a `<span>` per character, about 100 bytes of HTML per
/// byte of code (20 Perl blocks of 100 such lines took 3.2 GB). Real code
/// stays far below all of these.
pub(crate) const MAX_LINES: usize = 2_000;
pub(crate) const MAX_LINE_CHARS: usize = 4_000;
pub(crate) const MAX_BLOCK_BYTES: usize = 256 * 1024;
/// Highlighted markup an article may produce in all; past it, the block
/// being highlighted and every later one are plain.
pub(crate) const MAX_ARTICLE_HTML: usize = 4 * 1024 * 1024;
/// Deepest stack of syntax scopes a highlighted block may build.
pub(crate) const MAX_SCOPE_DEPTH: usize = 64;
/// WCAG AA contrast for normal text; health pages are read by older people
/// and on poor hospital screens.
const MIN_CONTRAST: f64 = 4.5;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

pub(crate) enum Highlight {
    /// Complete `<pre>...</pre>` markup.
    Html(String),
    /// No language, or one syntect does not know: render as plain code.
    Plain,
    /// Known language but the block was not highlighted; the reason is for
    /// the warning.
    Skipped(String),
}

/// The language token of a fence info string: ```` ```rust,ignore title ````
/// -> `rust`.
pub(crate) fn language(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or("")
}

/// Highlights `code` as `lang`, within the limits above; `budget` is what
/// is left of the article's [`MAX_ARTICLE_HTML`] and is charged the markup
/// produced.
pub(crate) fn highlight(lang: &str, code: &str, budget: &mut usize) -> Highlight {
    if lang.is_empty() {
        return Highlight::Plain;
    }
    let syntaxes = &*SYNTAXES;
    let Some(syntax) = syntaxes.find_syntax_by_token(lang) else {
        return Highlight::Plain;
    };
    if code.len() > MAX_BLOCK_BYTES {
        return Highlight::Skipped(format!("it is larger than {} KB", MAX_BLOCK_BYTES / 1024));
    }
    let mut lines = 0usize;
    for line in code.lines() {
        lines += 1;
        // Byte length bounds the char count, so most lines skip the count.
        if line.len() > MAX_LINE_CHARS && line.chars().count() > MAX_LINE_CHARS {
            return Highlight::Skipped(format!(
                "it has a line longer than {MAX_LINE_CHARS} characters"
            ));
        }
    }
    if lines > MAX_LINES {
        return Highlight::Skipped(format!("it is longer than {MAX_LINES} lines"));
    }

    // syntect's ClassedHTMLGenerator, with the scope depth watched per line.
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut open_spans: isize = 0;
    let mut body = String::with_capacity(code.len() * 2);
    for line in LinesWithEndings::from(code) {
        let spans = state
            .parse_line(line, syntaxes)
            .map_err(|e| e.to_string())
            .and_then(|ops| {
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes)
                    .map_err(|e| e.to_string())
            });
        match spans {
            Ok((html, delta)) => {
                open_spans += delta;
                body.push_str(&html);
            }
            Err(e) => return Highlight::Skipped(format!("the highlighter failed: {e}")),
        }
        if scopes.len() > MAX_SCOPE_DEPTH {
            return Highlight::Skipped(format!(
                "its syntax nests more than {MAX_SCOPE_DEPTH} levels"
            ));
        }
        if body.len() > *budget {
            *budget = 0;
            return Highlight::Skipped(format!(
                "highlighting the article's code would produce more than {} MB of markup",
                MAX_ARTICLE_HTML >> 20
            ));
        }
    }
    *budget -= body.len();
    for _ in 0..open_spans {
        body.push_str("</span>");
    }

    let mut html = String::with_capacity(body.len() + 64);
    html.push_str("<pre class=\"hl-code\"><code class=\"language-");
    html.push_str(&crate::html::escape_html(lang));
    html.push_str("\">");
    html.push_str(&body);
    html.push_str("</code></pre>\n");
    Highlight::Html(html)
}

/// Stylesheet for the highlight classes (InspiredGitHub, with colours that
/// fall below WCAG AA contrast darkened), followed by the table-alignment
/// classes the Markdown renderer emits instead of inline styles.
pub fn syntax_css() -> String {
    let themes = ThemeSet::load_defaults();
    let mut theme = themes
        .themes
        .get("InspiredGitHub")
        .cloned()
        .unwrap_or_default();
    raise_contrast(&mut theme);
    let mut css = css_for_theme_with_class_style(&theme, CLASS_STYLE).unwrap_or_default();
    css.push_str(
        "\n/* table cell alignment emitted by healthpress Markdown (no inline styles) */\n\
         .align-left { text-align: left; }\n\
         .align-center { text-align: center; }\n\
         .align-right { text-align: right; }\n",
    );
    css
}

fn raise_contrast(theme: &mut Theme) {
    let white = Color {
        r: 255,
        g: 255,
        b: 255,
        a: 255,
    };
    let page = theme.settings.background.unwrap_or(white);
    if let Some(fg) = theme.settings.foreground.as_mut() {
        darken_until_readable(fg, page);
    }
    for item in &mut theme.scopes {
        let background = item.style.background.unwrap_or(page);
        if let Some(fg) = item.style.foreground.as_mut() {
            darken_until_readable(fg, background);
        }
    }
}

fn darken_until_readable(fg: &mut Color, bg: Color) {
    // Light themes only: darkening converges on black, which always passes.
    for _ in 0..64 {
        if contrast(*fg, bg) >= MIN_CONTRAST {
            return;
        }
        fg.r = (fg.r as f64 * 0.92) as u8;
        fg.g = (fg.g as f64 * 0.92) as u8;
        fg.b = (fg.b as f64 * 0.92) as u8;
    }
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_only() {
        let mut budget = MAX_ARTICLE_HTML;
        let Highlight::Html(html) =
            highlight("rust", "fn main() { let x = \"<b>\"; }\n", &mut budget)
        else {
            panic!("rust should be highlighted");
        };
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn unknown_and_oversized_blocks_are_not_highlighted() {
        let skipped = |lang: &str, code: &str| {
            let mut budget = MAX_ARTICLE_HTML;
            matches!(highlight(lang, code, &mut budget), Highlight::Skipped(_))
        };
        let mut budget = MAX_ARTICLE_HTML;
        assert!(matches!(
            highlight("no-such-lang", "x", &mut budget),
            Highlight::Plain
        ));
        assert!(matches!(highlight("", "x", &mut budget), Highlight::Plain));
        assert_eq!(budget, MAX_ARTICLE_HTML);
        assert!(skipped("rust", &"a".repeat(MAX_LINE_CHARS + 1)));
        assert!(skipped("rust", &"x\n".repeat(MAX_LINES + 1)));
        let long_lines = format!("let x = \"{}\";\n", "a".repeat(1_000));
        assert!(
            skipped("rust", &long_lines.repeat(300)),
            "over {MAX_BLOCK_BYTES} bytes"
        );
        // A span per character: about 100 bytes of markup per byte of code.
        let dense = format!("{}\n", "$a+".repeat(1_000)).repeat(40);
        assert!(skipped("perl", &dense));
        assert!(!skipped("perl", "my $x = \"(a)\";\n"));
    }

    #[test]
    fn the_markup_budget_is_shared_by_the_articles_blocks() {
        let block = "fn f(a: u8) -> u8 { a + 1 }\n".repeat(50);
        let mut probe = MAX_ARTICLE_HTML;
        assert!(matches!(
            highlight("rust", &block, &mut probe),
            Highlight::Html(_)
        ));
        let cost = MAX_ARTICLE_HTML - probe;
        let mut budget = cost * 5 / 2;
        let results: Vec<bool> = (0..4)
            .map(|_| matches!(highlight("rust", &block, &mut budget), Highlight::Html(_)))
            .collect();
        assert_eq!(results, [true, true, false, false]);
    }

    #[test]
    fn stylesheet_is_prefixed_and_readable() {
        let css = syntax_css();
        assert!(css.contains(".hl-code"));
        assert!(css.contains(".align-center"));
        assert_eq!(css, syntax_css(), "stylesheet must be deterministic");
    }

    /// The committed theme stylesheet must match the generator; run
    /// `UPDATE_SYNTAX_CSS=1 cargo test --lib syntax_css_file` to rewrite it.
    #[test]
    fn syntax_css_file_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/static/syntax.css");
        if std::env::var_os("UPDATE_SYNTAX_CSS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, syntax_css()).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == syntax_css(),
            "{} is stale; regenerate it",
            path.display()
        );
    }
}
