//! Markdown to HTML for articles: CommonMark plus tables, footnotes,
//! strikethrough, task lists and heading attributes, with the safety and
//! accessibility rules a hospital site needs applied in one pass over
//! pulldown-cmark's events (see `render.rs`).
//!
//! The integrator calls [`render`] once per article with its body and a
//! [`LinkResolver`]; it gets back HTML, the heading outline for a table of
//! contents, reading statistics and diagnostics (broken or unsafe links,
//! removed raw HTML, code that was too large to highlight). Rendering never
//! fails and never panics: problems are reported, and the offending piece is
//! rendered harmlessly (a broken link becomes plain text).
//!
//! Files: `links.rs` (URL policy, `.md` resolution), `sanitize.rs` (raw HTML
//! allowlist), `highlight.rs` (syntect, stylesheet), `headings.rs` (anchor
//! ids), `reading.rs` (reading time), `tables.rs` (cell alignment classes),
//! `render.rs` (the event pass).

pub mod embeds;
mod headings;
mod highlight;
mod links;
mod reading;
mod render;
mod sanitize;
mod tables;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::diagnostics::Diagnostic;

pub use highlight::syntax_css;
pub use reading::reading_stats;

/// One article body to render.
pub struct MarkdownInput<'a> {
    /// The article body: everything after the closing `---` of the front matter.
    pub body: &'a str,
    /// 1-based line number in the source file where `body` starts.
    pub body_line: usize,
    /// Site-relative path for diagnostics, e.g. `content/kids/fever.md`.
    pub file: &'a Path,
    /// Directory of the file relative to `content/`, e.g. `kids` (empty for
    /// top level). Relative `.md` links are resolved against it.
    pub source_dir: &'a Path,
}

/// Maps links between articles to their published URLs. `Sync` because
/// articles are rendered in parallel.
pub trait LinkResolver: Sync {
    /// `target` is a normalized path relative to `content/`, e.g. `seniors/fall-prevention.md`.
    /// Returns the article's URL (e.g. `/articles/fall-prevention/`) or Err(reason) when it is missing or unpublished.
    fn resolve(&self, target: &Path) -> Result<String, String>;
}

/// A heading of the article, in document order, for tables of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The `id` attribute actually emitted (unique within the article).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadingStats {
    pub cjk_chars: usize,
    pub words: usize,
    /// ceil(cjk_chars / 400 + words / 230), at least 1.
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub reading: ReadingStats,
}

/// Renders one article body. Deterministic: the same input always gives the
/// same HTML and diagnostics (in source order).
pub fn render(input: &MarkdownInput, resolver: &dyn LinkResolver) -> (Rendered, Vec<Diagnostic>) {
    render::render(input, resolver)
}
