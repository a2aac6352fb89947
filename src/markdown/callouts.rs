//! Callouts: GitHub's alert syntax (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
//! `[!WARNING]`, `[!CAUTION]`, parsed by pulldown-cmark's GFM option) and
//! the health-specific `> [!EMERGENCY]` for danger signs, which names the
//! site's emergency number (site.yaml `content: emergency_number:`) as a
//! `tel:` link.
//!
//! A callout is `<div class="callout callout-KIND">` opening with a
//! `<p class="callout-label">` that says in words what kind of box it is
//! (the theme colours it too, but colour alone tells a colour-blind or
//! screen-reader user nothing). E-mail clients ignore the theme's CSS, so
//! [`email_tables`] turns the same markup into one-cell tables with inline
//! styles.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::Settings;
use crate::html::escape_html;

/// The callout kinds, by the word after `[!`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
    Emergency,
}

impl Kind {
    pub fn from_gfm(kind: BlockQuoteKind) -> Kind {
        match kind {
            BlockQuoteKind::Note => Kind::Note,
            BlockQuoteKind::Tip => Kind::Tip,
            BlockQuoteKind::Important => Kind::Important,
            BlockQuoteKind::Warning => Kind::Warning,
            BlockQuoteKind::Caution => Kind::Caution,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Tip => "tip",
            Kind::Important => "important",
            Kind::Warning => "warning",
            Kind::Caution => "caution",
            Kind::Emergency => "emergency",
        }
    }

    /// The label when the theme has none (`callout_<kind>` in i18n.yaml).
    fn fallback_label(self) -> &'static str {
        match self {
            Kind::Note => "Note",
            Kind::Tip => "Tip",
            Kind::Important => "Important",
            Kind::Warning => "Warning",
            Kind::Caution => "Caution",
            Kind::Emergency => "Emergency",
        }
    }

    /// (border, background, label colour) for e-mail; WCAG AA on white
    /// and on the background.
    fn email_colours(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::Note => ("#0b4f8a", "#eef4fa", "#0b4f8a"),
            Kind::Tip => ("#1a7f37", "#eef8f0", "#16632c"),
            Kind::Important => ("#6f42c1", "#f4f0fb", "#5a32a3"),
            Kind::Warning => ("#9a6700", "#fff8e5", "#7a5200"),
            Kind::Caution => ("#b42318", "#fdf0ef", "#9b1c13"),
            Kind::Emergency => ("#b42318", "#b42318", "#ffffff"),
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "note" => Kind::Note,
            "tip" => Kind::Tip,
            "important" => Kind::Important,
            "warning" => Kind::Warning,
            "caution" => Kind::Caution,
            "emergency" => Kind::Emergency,
            _ => return None,
        })
    }
}

/// The opening HTML of a callout of `kind`; `number` is the emergency
/// number (emergency boxes only).
pub(crate) fn open(kind: Kind, settings: &Settings, number: Option<&str>) -> String {
    let name = kind.name();
    let label = escape_html(settings.label(&format!("callout_{name}"), kind.fallback_label()));
    let mut html =
        format!("<div class=\"callout callout-{name}\"><p class=\"callout-label\">{label}");
    if let (Kind::Emergency, Some(number)) = (kind, number) {
        let call = escape_html(settings.label("callout_emergency_call", "Call"));
        let digits: String = number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        html.push_str(&format!(
            " <span class=\"callout-call\">{call} <a class=\"callout-phone\" href=\"tel:{digits}\">{}</a></span>",
            escape_html(number)
        ));
    }
    html.push_str("</p>\n");
    html
}

pub(crate) const CLOSE: &str = "</div>\n";

/// Whether the blockquote whose events are `quote` (from its `Start`
/// through its content, before the `End`) begins with `[!EMERGENCY]`. If
/// so, removes the marker (blanking events in place, so indices of earlier
/// events stay valid) and returns true.
pub(crate) fn take_emergency_marker(quote: &mut [Event]) -> bool {
    const MARKER: &str = "[!EMERGENCY]";
    if !matches!(quote.get(1), Some(Event::Start(Tag::Paragraph))) {
        return false;
    }
    // The marker may arrive as several text events (`[`, `!EMERGENCY`, `]`).
    let mut text = String::new();
    let mut end = 2;
    while let Some(Event::Text(t)) = quote.get(end) {
        text.push_str(t);
        end += 1;
        if text.len() >= MARKER.len() {
            break;
        }
    }
    if text.len() < MARKER.len()
        || !text.is_char_boundary(MARKER.len())
        || !text[..MARKER.len()].eq_ignore_ascii_case(MARKER)
    {
        return false;
    }
    let rest = text[MARKER.len()..].trim_start().to_string();
    for event in &mut quote[2..end] {
        *event = Event::Text(CowStr::Borrowed(""));
    }
    if !rest.is_empty() {
        quote[end - 1] = Event::Text(CowStr::from(rest));
        return true;
    }
    if let Some(Event::Text(next)) = quote.get(end) {
        let trimmed = next.trim_start().to_string();
        quote[end] = Event::Text(CowStr::from(trimmed));
        return true;
    }
    // The marker stood alone on its line: drop the line break after it,
    // or the whole paragraph if it held nothing else.
    match quote.get(end) {
        Some(Event::SoftBreak | Event::HardBreak) => quote[end] = Event::Text(CowStr::Borrowed("")),
        Some(Event::End(TagEnd::Paragraph)) => {
            quote[1] = Event::Text(CowStr::Borrowed(""));
            quote[end] = Event::Text(CowStr::Borrowed(""));
        }
        _ => {}
    }
    true
}

/// Rewrites the callouts of a rendered body as e-mail tables: one cell
/// with a coloured border, inline styles only.
pub(crate) fn email_tables(html: &str) -> String {
    const OPEN: &str = "<div class=\"callout callout-";
    if !html.contains(OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 512);
    // Positions (in `html`) of the `</div>` closing each callout, and
    // whether it is an emergency box (its links are white on red).
    let mut closes: Vec<(usize, bool)> = Vec::new();
    let mut i = 0;
    while i < html.len() {
        if closes.last().map(|c| c.0) == Some(i) {
            closes.pop();
            out.push_str("</td></tr></table>");
            i += "</div>".len();
            continue;
        }
        if html[i..].starts_with(OPEN) {
            let after = &html[i + OPEN.len()..];
            let name_len = after.find('"').unwrap_or(0);
            if let (Some(kind), Some(close)) =
                (Kind::from_name(&after[..name_len]), matching_close(html, i))
            {
                let (border, background, label) = kind.email_colours();
                let text = if kind == Kind::Emergency {
                    "#ffffff"
                } else {
                    "#1a1a1a"
                };
                out.push_str(&format!(
                    "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;border-collapse:collapse;margin:0 0 12px;\"><tr><td style=\"border:0;border-left:4px solid {border};background-color:{background};color:{text};padding:10px 14px;\">"
                ));
                closes.push((close, kind == Kind::Emergency));
                i += OPEN.len() + name_len + 2; // past `KIND">`
                if let Some(rest) = html[i..].strip_prefix("<p class=\"callout-label\">") {
                    out.push_str(&format!(
                        "<p style=\"margin:0 0 8px;font-weight:bold;color:{label};\">"
                    ));
                    i = html.len() - rest.len();
                }
                continue;
            }
        }
        if closes.last().is_some_and(|c| c.1) && html[i..].starts_with("<a ") {
            out.push_str("<a style=\"color:#ffffff;font-weight:bold;\" ");
            i += 3;
            continue;
        }
        let c = html[i..].chars().next().expect("in bounds");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Byte offset of the `</div>` that closes the `<div` at `start`.
fn matching_close(html: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(rel) = html[i..].find("<") {
        let at = i + rel;
        let rest = &html[at..];
        if rest.starts_with("<div") && rest[4..].starts_with([' ', '>']) {
            depth += 1;
        } else if rest.starts_with("</div>") {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        }
        i = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_tables_replace_nested_callouts() {
        let html = "<div class=\"callout callout-warning\"><p class=\"callout-label\">警告</p>\n<p>a</p><div class=\"footnote-definition\">x</div><div class=\"callout callout-note\"><p class=\"callout-label\">说明</p>\n<p>b</p></div>\n</div>\n<p>after</p>";
        let out = email_tables(html);
        assert_eq!(out.matches("<table").count(), 2, "{out}");
        assert_eq!(out.matches("</table>").count(), 2, "{out}");
        assert!(out.contains("<div class=\"footnote-definition\">x</div>"));
        assert!(out.ends_with("</td></tr></table>\n<p>after</p>"), "{out}");
        assert!(!out.contains("callout-label"), "{out}");
        assert!(
            out.contains("font-weight:bold;color:#7a5200;\">警告</p>"),
            "{out}"
        );
    }
}
