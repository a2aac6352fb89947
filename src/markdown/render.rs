//! The single pass over pulldown-cmark's events. Each event is checked or
//! rewritten as it streams past (links resolved or dropped, code highlighted,
//! table alignment turned into classes, text counted for reading time) and
//! collected into a vector, because heading ids can only be chosen once all
//! explicit `{#id}`s in the document are known. pulldown-cmark's own HTML
//! writer then serializes the vector, and ammonia runs only if the source
//! contained raw HTML. Markup ammonia must not see (video players, the
//! `<video>` element) is held back as a sentinel and put in after it.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::callouts::{self, Kind as CalloutKind};
use super::headings::{self, PendingHeading};
use super::highlight::{self, Highlight};
use super::links;
use super::nesting::{Nesting, MAX_NESTING};
use super::reading::Counter;
use super::sanitize::{self, Findings};
use super::shortcodes;
use super::tables::Table;
use super::{Heading, LinkResolver, MarkdownInput, Rendered, UrlCheck};
use crate::diagnostics::{line_col, Diagnostic};

/// The Markdown dialect of articles; [`super::local_files`] parses with it too.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

#[path = "render_media.rs"]
mod media_events;

/// Start and end of a sentinel for held-back markup: private-use
/// characters, which pulldown-cmark and ammonia pass through as text.
const HELD_OPEN: char = '\u{E000}';
const HELD_CLOSE: char = '\u{E001}';

/// An image whose description (alt text) is being collected.
struct PendingImage<'a> {
    dest: CowStr<'a>,
    title: CowStr<'a>,
    alt: String,
    offset: usize,
    /// Images nested in the description (their text joins the alt).
    depth: usize,
}

/// An open blockquote: a GitHub alert, or a plain one that may turn out
/// to be an `[!EMERGENCY]` box (index of its start event, source offset).
enum Quote {
    Alert,
    Plain(usize, usize),
}

/// A fenced or indented code block being collected.
struct Code<'a> {
    kind: CodeBlockKind<'a>,
    text: String,
    offset: usize,
}

/// Per open link or image: was its start emitted (so its end must be)?
struct OpenLink {
    kept: bool,
    autolink: bool,
}

impl OpenLink {
    /// A dropped autolink's text is the URL it would have linked to, which
    /// must not reach the page either.
    fn hides_text(&self) -> bool {
        self.autolink && !self.kept
    }
}

struct Renderer<'a, 'i> {
    input: &'i MarkdownInput<'a>,
    resolver: &'i dyn LinkResolver,
    urls: Option<Arc<dyn UrlCheck>>,
    out: Vec<Event<'a>>,
    diagnostics: Vec<Diagnostic>,
    counter: Counter,
    headings: Vec<PendingHeading>,
    in_heading: bool,
    links: Vec<OpenLink>,
    image: Option<PendingImage<'a>>,
    /// Images shown so far: all but the first load lazily.
    images_shown: usize,
    quotes: Vec<Quote>,
    /// Index in `out` of the open paragraph's start (embeds replace it).
    paragraph: Option<usize>,
    /// Markup put in after sanitizing, by sentinel number.
    held: Vec<String>,
    autolink_depth: usize,
    code: Option<Code<'a>>,
    html_block: Option<(String, usize)>,
    table: Table,
    /// A task-list item's `<label>` is open: it wraps the checkbox and the
    /// item's text so the checkbox has an accessible name (axe `label`).
    task_label: bool,
    raw_html: bool,
    /// Offset of the first raw HTML fragment, where problems found in raw
    /// HTML as a whole are reported.
    first_raw: usize,
    findings: Findings,
    first_finding: usize,
    nesting: Nesting,
    /// Highlighted markup this article may still produce.
    highlight_budget: usize,
    /// Set once the article nests too deep: the rest is not rendered.
    too_deep: bool,
}

pub(super) fn render<'a>(
    input: &MarkdownInput<'a>,
    resolver: &dyn LinkResolver,
) -> (Rendered, Vec<Diagnostic>) {
    let mut r = Renderer {
        input,
        resolver,
        urls: resolver.url_check(),
        out: Vec::with_capacity(input.body.len() / 8),
        diagnostics: Vec::new(),
        counter: Counter::default(),
        headings: Vec::new(),
        in_heading: false,
        links: Vec::new(),
        image: None,
        images_shown: 0,
        quotes: Vec::new(),
        paragraph: None,
        held: Vec::new(),
        autolink_depth: 0,
        code: None,
        html_block: None,
        table: Table::default(),
        task_label: false,
        raw_html: false,
        first_raw: 0,
        findings: Findings::default(),
        first_finding: 0,
        nesting: Nesting::default(),
        highlight_budget: highlight::MAX_ARTICLE_HTML,
        too_deep: false,
    };
    r.findings.schemes = input.settings.link_schemes.to_vec();
    for code in shortcodes::scan(input.body) {
        let name = if code.name.is_empty() {
            String::new()
        } else {
            format!(" `{}`", code.name)
        };
        let d = Diagnostic::warning(
            "shortcode",
            input.file,
            format!(
                "{}{name} is not supported and would be published as text",
                code.syntax
            ),
        )
        .hint(shortcodes::hint(&code.name));
        r.push_diagnostic(d, code.offset);
    }
    for (event, range) in Parser::new_ext(input.body, options()).into_offset_iter() {
        r.event(event, range);
    }
    r.finish()
}

impl<'a> Renderer<'a, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.too_deep {
            return;
        }
        match &event {
            Event::Start(_) if self.nesting.open() => return self.nested_too_deep(range.start),
            Event::End(_) => self.nesting.close(),
            _ => {}
        }
        if let Some(image) = &mut self.image {
            match event {
                Event::Text(text) | Event::Code(text) => {
                    image.alt.push_str(&text);
                    self.counter.feed(&text);
                }
                Event::Start(Tag::Image { .. }) => image.depth += 1,
                Event::End(TagEnd::Image) if image.depth > 0 => image.depth -= 1,
                Event::End(TagEnd::Image) => self.end_image(),
                _ => {}
            }
            return;
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => {
                    code.text.push_str(&text);
                    self.counter.feed(&text);
                }
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        if let Some((block, _)) = &mut self.html_block {
            match event {
                Event::Html(html) | Event::Text(html) => block.push_str(&html),
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some((block, offset)) = self.html_block.take() {
                        self.raw_fragment(CowStr::from(block), offset);
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Text(text) => {
                if self.links.iter().any(OpenLink::hides_text) {
                    return;
                }
                self.text(&text);
                self.out.push(Event::Text(text));
            }
            Event::Code(text) => {
                self.text(&text);
                self.out.push(Event::Code(text));
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw_fragment(html, range.start),
            Event::SoftBreak | Event::HardBreak => {
                self.counter.boundary();
                self.out.push(event);
            }
            Event::TaskListMarker(checked) => {
                let checkbox = if checked {
                    "<label class=\"task\"><input disabled=\"\" type=\"checkbox\" checked=\"\"> "
                } else {
                    "<label class=\"task\"><input disabled=\"\" type=\"checkbox\"> "
                };
                self.out.push(Event::Html(CowStr::Borrowed(checkbox)));
                self.task_label = true;
            }
            Event::Start(tag) => {
                // A label holds phrasing content only: close it before a block.
                if !matches!(
                    tag,
                    Tag::Emphasis
                        | Tag::Strong
                        | Tag::Strikethrough
                        | Tag::Link { .. }
                        | Tag::Image { .. }
                        | Tag::Superscript
                        | Tag::Subscript
                ) {
                    self.close_task_label();
                }
                self.start(tag, range)
            }
            Event::End(tag) => {
                if matches!(tag, TagEnd::Paragraph | TagEnd::Item) {
                    self.close_task_label();
                }
                self.end(tag)
            }
            other => self.out.push(other),
        }
    }

    fn close_task_label(&mut self) {
        if std::mem::take(&mut self.task_label) {
            self.out.push(Event::Html(CowStr::Borrowed("</label>")));
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_heading {
            if let Some(heading) = self.headings.last_mut() {
                heading.text.push_str(text);
            }
        }
        // An autolink's text is its URL, which nobody reads aloud.
        if self.autolink_depth == 0 {
            self.counter.feed(text);
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                if !attrs.is_empty() {
                    // Arbitrary attributes would allow `{onclick=...}`.
                    let names: Vec<&str> = attrs.iter().map(|(k, _)| k.as_ref()).collect();
                    let d = Diagnostic::warning(
                        "heading-attribute",
                        self.input.file,
                        format!("heading attributes `{}` were ignored", names.join("`, `")),
                    )
                    .hint("only `{#id}` and `{.class}` are allowed on headings");
                    self.push_diagnostic(d, range.start);
                }
                self.headings.push(PendingHeading {
                    event_index: self.out.len(),
                    level: level as u8,
                    text: String::new(),
                    explicit: id.map(|id| id.to_string()),
                    offset: range.start,
                });
                self.in_heading = true;
                let tag = Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs: Vec::new(),
                };
                self.out.push(Event::Start(tag));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                let dest = if link_type == LinkType::Email {
                    Some(dest_url) // rendered as `mailto:`; never an article path
                } else if let Some(local) = self.local_link(&dest_url, range.start) {
                    local
                } else {
                    self.check_link(dest_url, range.start, "link")
                };
                let kept = dest.is_some();
                if let Some(dest_url) = dest {
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                if autolink {
                    self.autolink_depth += 1;
                }
                self.links.push(OpenLink { kept, autolink });
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some(PendingImage {
                    dest: dest_url,
                    title,
                    alt: String::new(),
                    offset: range.start,
                    depth: 0,
                });
            }
            Tag::BlockQuote(Some(kind)) => {
                self.quotes.push(Quote::Alert);
                let html = callouts::open(CalloutKind::from_gfm(kind), self.input.settings, None);
                self.out.push(Event::Html(CowStr::from(html)));
            }
            Tag::BlockQuote(None) => {
                self.quotes.push(Quote::Plain(self.out.len(), range.start));
                self.out.push(Event::Start(Tag::BlockQuote(None)));
            }
            Tag::Paragraph => {
                self.paragraph = Some(self.out.len());
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Tag::CodeBlock(kind) => {
                self.code = Some(Code {
                    kind,
                    text: String::new(),
                    offset: range.start,
                });
            }
            Tag::HtmlBlock => self.html_block = Some((String::new(), range.start)),
            Tag::Table(alignments) => {
                self.table.start(&alignments);
                // Wide tables scroll in their own box on a phone, not the
                // page; tabindex lets keyboard users scroll it.
                self.out.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-scroll\" tabindex=\"0\">",
                )));
                self.out.push(Event::Start(Tag::Table(alignments)));
            }
            Tag::TableHead => {
                self.table.start_head();
                self.out.push(Event::Start(Tag::TableHead));
            }
            Tag::TableRow => {
                self.table.start_row();
                self.out.push(Event::Start(Tag::TableRow));
            }
            Tag::TableCell => {
                let open = self.table.open_cell();
                self.out.push(Event::Html(CowStr::Borrowed(open)));
            }
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                self.in_heading = false;
                self.counter.boundary();
            }
            TagEnd::Link => {
                let open = self.links.pop();
                if open.as_ref().is_some_and(|l| l.autolink) {
                    self.autolink_depth = self.autolink_depth.saturating_sub(1);
                }
                if !open.is_some_and(|l| l.kept) {
                    return;
                }
            }
            TagEnd::Image => return, // collected in `event`
            TagEnd::TableHead => self.table.end_head(),
            TagEnd::Table => {
                self.out.push(Event::End(TagEnd::Table));
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
                return;
            }
            TagEnd::BlockQuote(_) => {
                self.counter.boundary();
                self.end_quote();
                return;
            }
            TagEnd::Paragraph => {
                self.counter.boundary();
                if self.embed_paragraph() {
                    return;
                }
            }
            TagEnd::TableCell => {
                self.counter.boundary();
                let close = self.table.close_cell();
                self.out.push(Event::Html(CowStr::Borrowed(close)));
                return;
            }
            TagEnd::Item => self.counter.boundary(),
            _ => {}
        }
        self.out.push(Event::End(tag));
    }

    /// Returns the destination to emit, or `None` to render the text only.
    fn check_link(&mut self, dest: CowStr<'a>, offset: usize, what: &str) -> Option<CowStr<'a>> {
        let (dest, diagnostic) =
            links::check(dest, self.input, self.resolver, self.urls.as_deref(), what);
        if let Some(diagnostic) = diagnostic {
            self.push_diagnostic(diagnostic, offset);
        }
        dest
    }

    fn raw_fragment(&mut self, html: CowStr<'a>, offset: usize) {
        if sanitize::is_comment_only(&html) {
            return;
        }
        if let Some(at) = self.nesting.raw_html(&html) {
            return self.nested_too_deep(offset + at);
        }
        if self.pasted_player(&html, offset) || self.pasted_video(&html, offset) {
            return;
        }
        if !self.raw_html {
            self.first_raw = offset;
        }
        self.raw_html = true;
        let first = self.findings.is_empty();
        if self.findings.scan(&html) && first {
            self.first_finding = offset;
        }
        self.out.push(Event::Html(html));
    }

    /// Stops rendering: an error at `offset`, and no HTML for the article.
    fn nested_too_deep(&mut self, offset: usize) {
        self.too_deep = true;
        self.out.clear();
        self.headings.clear();
        let d = Diagnostic::error(
            "too-deep",
            self.input.file,
            format!("Markdown lists, quotes and HTML elements are nested more than {MAX_NESTING} levels here"),
        )
        .hint("flatten the structure: close elements you opened, or split the list or quote");
        self.push_diagnostic(d, offset);
    }

    fn end_code_block(&mut self) {
        let Some(code) = self.code.take() else { return };
        self.counter.boundary();
        if let CodeBlockKind::Fenced(info) = &code.kind {
            let lang = highlight::language(info);
            match highlight::highlight(lang, &code.text, &mut self.highlight_budget) {
                Highlight::Html(html) => {
                    self.out.push(Event::Html(CowStr::from(html)));
                    return;
                }
                Highlight::Skipped(reason) => {
                    let d = Diagnostic::warning(
                        "code-not-highlighted",
                        self.input.file,
                        format!("`{lang}` code block was not highlighted: {reason}"),
                    )
                    .hint("split the block or move the code to a downloadable file");
                    self.push_diagnostic(d, code.offset);
                }
                Highlight::Plain => {}
            }
        }
        self.out.push(Event::Start(Tag::CodeBlock(code.kind)));
        self.out.push(Event::Text(CowStr::from(code.text)));
        self.out.push(Event::End(TagEnd::CodeBlock));
    }

    fn push_diagnostic(&mut self, diagnostic: Diagnostic, offset: usize) {
        let (line, column) = line_col(self.input.body, offset);
        let line = self.input.body_line.max(1) + line - 1;
        self.diagnostics.push(diagnostic.at(line, column));
    }

    fn finish(mut self) -> (Rendered, Vec<Diagnostic>) {
        let assigned = headings::assign_ids(&self.headings);
        for (i, original, used) in &assigned.renamed {
            let d = Diagnostic::warning(
                "duplicate-heading-id",
                self.input.file,
                format!("heading id `{original}` is used twice; this one became `{used}`"),
            );
            self.push_diagnostic(d, self.headings[*i].offset);
        }
        let mut outline = Vec::with_capacity(self.headings.len());
        for (heading, id) in self.headings.iter().zip(assigned.ids) {
            if let Some(Event::Start(Tag::Heading { id: slot, .. })) =
                self.out.get_mut(heading.event_index)
            {
                *slot = Some(CowStr::from(id.clone()));
            }
            outline.push(Heading {
                level: heading.level,
                id,
                text: heading.text.trim().to_string(),
            });
        }

        let mut html_out = String::with_capacity(self.input.body.len() * 3 / 2 + 64);
        html::push_html(&mut html_out, std::mem::take(&mut self.out).into_iter());
        if self.raw_html && !self.too_deep {
            let (cleaned, dropped) = sanitize::clean(
                &html_out,
                self.input.settings.link_schemes,
                self.urls.clone(),
            );
            html_out = cleaned;
            for (url, problem) in dropped {
                let (_, d) =
                    links::problem_diagnostic(problem, self.input, &url, "raw HTML link", None);
                self.push_diagnostic(d, self.first_raw);
            }
            if !self.findings.is_empty() {
                let d = Diagnostic::warning("raw-html", self.input.file, self.findings.message())
                    .hint(self.findings.hint());
                self.push_diagnostic(d, self.first_finding);
            }
        }
        if !self.held.is_empty() {
            html_out = put_back(&html_out, &self.held);
        }
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        let rendered = Rendered {
            html: html_out,
            headings: outline,
            reading: self.counter.finish(),
        };
        (rendered, self.diagnostics)
    }
}

/// Replaces the sentinels of held-back markup with the markup.
fn put_back(html: &str, held: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + held.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(HELD_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + HELD_OPEN.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n = after[..digits].parse::<usize>().ok();
        match (
            n.and_then(|n| held.get(n)),
            after[digits..].strip_prefix(HELD_CLOSE),
        ) {
            (Some(markup), Some(tail)) => {
                out.push_str(markup);
                rest = tail;
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}
