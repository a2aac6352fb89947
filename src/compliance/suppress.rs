//! Suppression comments: `<!-- healthpress-allow: rule-id: reason -->`.
//! A reviewed exception is written next to the text it excuses, with the
//! reason, so the next reviewer sees why and `check` can list every one.
//! A comment that shares its line with content covers that line; a comment
//! alone on its line covers the next line with content, skipping blank lines
//! and further suppression-only lines so several can be stacked above one
//! paragraph. Several ids may be given, separated by commas.

use std::sync::OnceLock;

use regex::Regex;

use super::LineIndex;

pub(crate) const MARKER: &str = "healthpress-allow";

/// One parsed comment. `rules` may be empty and `reason` blank: those are
/// reported, not silently ignored.
pub(crate) struct Directive {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub rules: Vec<String>,
    pub reason: String,
    /// The line whose diagnostics it suppresses, if any.
    pub target: Option<usize>,
}

fn comment_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"<!--[ \t]*healthpress-allow\b[ \t]*:?([^\n]*?)-->")
            .expect("suppression pattern is a valid regex")
    })
}

pub(crate) fn parse(text: &str, lines: &LineIndex) -> Vec<Directive> {
    let mut directives: Vec<Directive> = comment_regex()
        .captures_iter(text)
        .map(|c| {
            let whole = c.get(0).expect("group 0 always matches");
            let body = c.get(1).map_or("", |m| m.as_str()).trim();
            let (ids, reason) = body.split_once(':').unwrap_or((body, ""));
            Directive {
                start: whole.start(),
                end: whole.end(),
                line: lines.line_of(whole.start()),
                rules: ids
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                reason: reason.trim().to_string(),
                target: None,
            }
        })
        .collect();
    let spans: Vec<(usize, usize)> = directives.iter().map(|d| (d.start, d.end)).collect();
    let has_content = |line: usize| !only_directives(text, lines, &spans, line);
    for d in &mut directives {
        d.target = if has_content(d.line) {
            Some(d.line)
        } else {
            (d.line + 1..=lines.count()).find(|&n| has_content(n))
        };
    }
    directives
}

/// True for a line that is blank or holds nothing but suppression comments.
fn only_directives(text: &str, lines: &LineIndex, spans: &[(usize, usize)], line: usize) -> bool {
    let (line_start, line_end) = lines.range(line);
    let mut pos = line_start;
    for &(start, end) in spans
        .iter()
        .filter(|(s, _)| *s >= line_start && *s < line_end)
    {
        if !text[pos..start].trim().is_empty() {
            return false;
        }
        pos = end;
    }
    pos >= line_end || text[pos..line_end].trim().is_empty()
}
