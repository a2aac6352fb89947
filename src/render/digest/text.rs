//! `email.txt`: the plain-text part of the digest, listing the same
//! articles and links as `email.html` (titles, summaries, UTM-tagged URLs,
//! view-in-browser and footer placeholder links).
//!
//! Every theme template renders with autoescaping, this one included, so a
//! theme cannot accidentally emit unescaped values into HTML. Plain text has
//! no markup to protect, though, and `&amp;` in a text e-mail is just wrong.
//! So the text template renders escaped like the others and the result is
//! decoded once with [`unescape`], the exact inverse of the theme's escape
//! function: values come out byte-for-byte as they went in, and template
//! literal text is untouched unless it spells one of those five entities.

use crate::diagnostics::Diagnostic;

use super::view::{fill_placeholders, Digests, IssueView};

/// Inverse of `html::escape_html`: decodes `&amp;` `&lt;` `&gt;` `&quot;`
/// `&#x27;` in one left-to-right pass (so `&amp;lt;` becomes `&lt;`).
pub fn unescape(text: &str) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#x27;", '\''),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            Some((entity, c)) => {
                out.push(*c);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Renders `email.txt` for `view` (the view `email.html` ended up using).
pub fn render_text(digests: &Digests, view: &IssueView) -> Result<String, Diagnostic> {
    let rendered = digests
        .index
        .theme
        .render("digest_email.txt", &digests.context(view))?;
    Ok(fill_placeholders(&tidy(&unescape(&rendered)), digests))
}

/// Template conditionals leave stray blank lines: trim the start, keep at
/// most one blank line in a row, end with exactly one newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        blank_run = if line.is_empty() { blank_run + 1 } else { 0 };
        if blank_run <= 1 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::escape_html;

    #[test]
    fn unescape_inverts_the_theme_escape() {
        for s in [
            "a & b <c> \"d\" 'e'",
            "&amp;lt; literal",
            "R&D?x=1&y=2",
            "&",
            "&#x27",
            "无",
        ] {
            assert_eq!(unescape(&escape_html(s)), s);
        }
    }
}
