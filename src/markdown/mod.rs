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
//! ids), `nesting.rs` (the depth cap), `reading.rs` (reading time),
//! `tables.rs` (cell alignment classes),
//! `callouts.rs` (`> [!NOTE]` boxes), `media.rs` (images, videos, local
//! files), `embeds.rs` (video players of allowlisted hosts),
//! `shortcodes.rs` (Hugo/Jekyll syntax warnings), `files.rs` (the local
//! files an article embeds), `render.rs` (the event pass).

mod callouts;
mod embeds;
mod files;
mod headings;
mod highlight;
mod links;
mod media;
mod nesting;
mod raw_video;
mod reading;
mod render;
mod sanitize;
mod shortcodes;
mod tables;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_content;

use std::collections::BTreeMap;
use std::path::Path;

use crate::assets::{FileProblem, Probe};
use crate::diagnostics::Diagnostic;

pub use files::{local_files, LocalRef};
pub use highlight::syntax_css;
pub(crate) use links::percent_decode;
pub use links::scheme_of;
pub use reading::reading_stats;

/// Reads the local files an article embeds (images, videos, downloads).
/// `Sync` because articles are rendered in parallel.
pub trait LocalFiles: Sync {
    /// `target` is a normalized path relative to `content/`, e.g.
    /// `kids/img/chart.png`. The probe or why the file cannot be used.
    fn probe(&self, target: &Path) -> Result<Probe, FileProblem>;
}

/// What the site allows and provides in article bodies (site.yaml
/// `content:` and the theme's labels). [`Settings::DEFAULT`] is a site with
/// no extras and no local files.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    /// Allowed link schemes, lower-case; empty means the defaults.
    pub link_schemes: &'a [String],
    /// Number shown in `> [!EMERGENCY]` boxes.
    pub emergency_number: Option<&'a str>,
    /// Allowlisted video hosts (`bilibili`, `tencent-video`, `youtube`).
    pub embeds: &'a [String],
    /// Video hosts defined in site.yaml (`content: embed_hosts:`); only
    /// those also listed in `embeds` are embedded.
    pub embed_hosts: &'a [crate::config::content::EmbedHost],
    /// UI labels in the article's language (`callout_note` ...).
    pub labels: Option<&'a BTreeMap<String, String>>,
    /// Local files; `None` leaves relative image paths as written.
    pub files: Option<&'a dyn LocalFiles>,
    /// Widths of responsive image variants.
    pub image_widths: &'a [u32],
    /// URL folder the article's files are published in, e.g. `/articles/fever/`.
    pub asset_base: &'a str,
    /// The article's language (captions' `srclang`, embed wording).
    pub lang: &'a str,
}

impl Settings<'static> {
    pub const DEFAULT: Settings<'static> = Settings {
        link_schemes: &[],
        emergency_number: None,
        embeds: &[],
        embed_hosts: &[],
        labels: None,
        files: None,
        image_widths: &[],
        asset_base: "",
        lang: "zh-Hans",
    };
}

impl Settings<'_> {
    /// The label `key` in the article's language, or `fallback`.
    pub(crate) fn label<'s>(&'s self, key: &str, fallback: &'s str) -> &'s str {
        self.labels
            .and_then(|l| l.get(key))
            .map_or(fallback, String::as_str)
    }
}

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
    /// Site settings for bodies: schemes, emergency number, embeds, files.
    pub settings: &'a Settings<'a>,
}

/// Maps links between articles to their published URLs. `Sync` because
/// articles are rendered in parallel.
pub trait LinkResolver: Sync {
    /// `target` is a normalized path relative to `content/`, e.g. `seniors/fall-prevention.md`.
    /// Returns the article's URL (e.g. `/articles/fall-prevention/`), or why not.
    fn resolve(&self, target: &Path) -> Result<String, LinkProblem>;

    /// How to judge URLs that are not `.md` links (absolute paths, full
    /// URLs on the site's address, relative paths, in Markdown links,
    /// images, autolinks and raw HTML `href`/`src`): `None` lets every safe
    /// URL through. Shared (`Arc`) because ammonia's attribute filter,
    /// which sees raw HTML's URLs, must own what it calls.
    fn url_check(&self) -> Option<std::sync::Arc<dyn UrlCheck>> {
        None
    }
}

/// Judges a URL that may name one of the site's article pages.
pub trait UrlCheck: Send + Sync {
    /// `Ok(())` for URLs that are fine to emit (not an article page, or a
    /// public one), the problem otherwise.
    fn check(&self, url: &str) -> Result<(), LinkProblem>;
}

/// Why a link between articles is not emitted as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// No such article: an error, the link text is shown without a link.
    Missing(String),
    /// The article exists but is not public: a warning, the link text is
    /// shown without a link, and nothing of the target is emitted.
    NotPublic(String),
    /// The article is public, but will not be soon (it expires or is
    /// withdrawn within the warning horizon): the link is kept (`url`),
    /// with a warning.
    EndingSoon { url: String, message: String },
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

/// A rendered body as an e-mail shows it: callouts become one-cell tables
/// with inline styles (clients ignore the theme's CSS), and video players
/// give way to their poster and link (no client plays them).
pub fn for_email(html: &str) -> String {
    embeds::strip_players(&callouts::email_tables(html))
}

/// A rendered body as a feed carries it: video players give way to their
/// poster and link (feed readers drop frames).
pub fn for_feed(html: &str) -> String {
    embeds::strip_players(html)
}

/// Renders one article body. Deterministic: the same input always gives the
/// same HTML and diagnostics (in source order).
pub fn render(input: &MarkdownInput, resolver: &dyn LinkResolver) -> (Rendered, Vec<Diagnostic>) {
    render::render(input, resolver)
}
