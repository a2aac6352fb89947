//! HTML text escaping, shared by the templates (Tera's escape function),
//! the Markdown renderer (code block classes), the digests and `serve`'s
//! own pages. Nothing here knows about the site.

/// Escapes the five characters that matter in HTML text and quoted
/// attributes. Tera's default also escapes `/`, which bloats every URL.
/// Copies runs of plain text whole: most values (titles, URLs, labels) have
/// nothing to escape, and this runs for every value on every page.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut plain_from = 0;
    for (at, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        // Safe to slice: the five bytes are ASCII, so never inside a
        // multi-byte character.
        out.push_str(&input[plain_from..at]);
        out.push_str(entity);
        plain_from = at + 1;
    }
    out.push_str(&input[plain_from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_html_escapes_the_five_and_keeps_the_rest() {
        assert_eq!(escape_html(""), "");
        assert_eq!(
            escape_html("儿童发热 /articles/a1/"),
            "儿童发热 /articles/a1/"
        );
        assert_eq!(
            escape_html("<a href=\"x\">R&D 'é'</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D &#x27;é&#x27;&lt;/a&gt;"
        );
        assert_eq!(escape_html("&"), "&amp;");
    }
}
