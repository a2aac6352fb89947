//! Newsletter digests: one issue per segment (calendar.yaml `newsletters`)
//! per issue date up to today, holding the segment's public articles first
//! published since the previous issue ([`crate::model::newsletter`] decides
//! dates and windows; a window with no article makes no issue). Each issue
//! is written as `digests/<segment>/<date>/` `index.html` (web view),
//! `email.html` (inline-CSS table layout, see [`email`]) and `email.txt`
//! (see [`text`]); each segment also gets an issue list and a full-content
//! Atom feed for e-mail platforms' RSS automation. [`render_digests`] is the
//! build's single entry point; [`render_one`] serves `healthpress digest`.

pub mod email;
pub mod links;
pub mod text;
mod web;

use std::borrow::Cow;

use chrono::{Duration, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::calendar::Newsletter;
use crate::config::newsletter::FooterLink;
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkResolver;
use crate::model::newsletter::{issues, Issue};
use crate::model::{Site, State};
use crate::output::Staging;

use super::index::{AnyLinks, Index, PublicLinks};
use links::Utm;

/// One article as a digest shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DigestArticle {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub date: String,
    pub lang: String,
    /// Root-relative URL, for the web view (on-site links are not tagged).
    pub path: String,
    /// Absolute URL with the issue's UTM tags, for e-mail.
    pub email_url: String,
    /// Rendered body for e-mail (absolute, tagged links); `None` once the
    /// size budget has cut it down to the summary.
    pub body: Option<String>,
    /// "Name, title" of the reviewing doctor.
    pub reviewer: Option<String>,
}

/// A footer link as templates see it: its label and an opaque sentinel
/// `href` that is swapped for the platform token after rendering.
#[derive(Debug, Clone, Serialize)]
pub struct FooterLinkView {
    pub label: String,
    pub href: String,
}

/// Everything the three issue templates receive as `issue`.
#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    pub segment: String,
    pub name: String,
    pub from_name: String,
    pub date: String,
    /// First day the issue covers (the day after the previous issue).
    pub from: String,
    pub lang: String,
    pub web_url: String,
    pub list_url: String,
    pub feed_url: String,
    pub articles: Vec<DigestArticle>,
    /// Articles left out of the e-mail to stay under the size budget; the
    /// web view always has all of them.
    pub hidden: usize,
    pub preheader: String,
    pub preview: bool,
    pub footer_links: Vec<FooterLinkView>,
    pub address: Option<String>,
    pub footer: Option<String>,
}

/// The three rendered files of one issue.
#[derive(Debug)]
pub struct IssueFiles {
    pub web: String,
    pub email: String,
    pub text: String,
    pub warnings: Vec<Diagnostic>,
}

/// What every issue of one build shares.
pub struct Digests<'a> {
    pub index: &'a Index<'a>,
    resolver: Box<dyn LinkResolver + Sync + 'a>,
    footer: Vec<FooterLink>,
    preview: bool,
}

/// Root-relative URL of a segment's digest folder.
pub fn segment_path(index: &Index, segment: &str) -> String {
    format!("{}digests/{segment}/", index.urls.base_path)
}

/// The issues of `newsletter` through `until` that hold at least one
/// article: published ones only, or with `preview` also approved articles
/// scheduled for later.
pub fn segment_issues(
    site: &Site,
    newsletter: &Newsletter,
    until: NaiveDate,
    preview: bool,
) -> Vec<Issue> {
    let include = |s: State| s == State::Published || (preview && s == State::Scheduled);
    let mut found = issues(site, newsletter, until, include);
    found.retain(|issue| !issue.articles.is_empty());
    found
}

impl<'a> Digests<'a> {
    /// `preview` resolves links to any article (the CLI's `--preview`);
    /// otherwise only public articles are link targets.
    pub fn new(index: &'a Index<'a>, preview: bool) -> Result<Digests<'a>, Diagnostic> {
        let site = index.site;
        // Validation reports a bad `newsletter:` section at its line; a
        // site that got this far has a valid one.
        let footer = site
            .config
            .newsletter
            .footer_links()
            .map_err(|why| Diagnostic::error("newsletter-config", "site.yaml", why))?;
        let resolver: Box<dyn LinkResolver + Sync + 'a> = if preview {
            Box::new(AnyLinks::new(site, &index.urls))
        } else {
            Box::new(PublicLinks::new(site, &index.urls))
        };
        Ok(Digests {
            index,
            resolver,
            footer,
            preview,
        })
    }

    /// Article `i`'s body HTML: the public page's (rendered once per build,
    /// see [`Index::public_body`]), or in preview one whose links may lead
    /// to articles not yet public.
    fn body(&self, i: usize) -> Cow<'_, str> {
        if self.preview {
            Cow::Owned(
                self.index
                    .body_renderer
                    .render(&self.index.site.articles[i], self.resolver.as_ref())
                    .0
                    .html,
            )
        } else {
            Cow::Borrowed(self.index.public_body(i, self.resolver.as_ref()))
        }
    }

    fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        let lang = &self.index.site.config.language;
        self.index.theme.labels_for(lang, lang)
    }

    /// The view of one issue, with full bodies (e-mail fitting may drop them).
    pub fn issue_view(&self, newsletter: &Newsletter, issue: &Issue) -> IssueView {
        let index = self.index;
        let site = index.site;
        let config = &site.config;
        let urls = &index.urls;
        let lang = config.language.clone();
        let utm = Utm::new(&issue.segment, issue.date);
        let seg_path = segment_path(index, &issue.segment);
        let articles: Vec<DigestArticle> = issue
            .articles
            .iter()
            .map(|&i| {
                let a = &site.articles[i];
                let path = urls.article(&a.slug);
                let body = self.body(i);
                let reviewer = a.review.reviewer.as_ref().and_then(|id| {
                    config.people.get(id).map(|p| {
                        let v = super::views::person_view(id, p, &lang);
                        match v.title {
                            Some(t) => format!("{} {t}", v.name),
                            None => v.name,
                        }
                    })
                });
                DigestArticle {
                    slug: a.slug.clone(),
                    title: a.title.clone(),
                    summary: a.summary.clone(),
                    date: a.date.to_string(),
                    lang: a.lang.clone(),
                    email_url: utm.tag(&urls.absolute(&path), &a.slug),
                    path,
                    body: Some(links::rewrite_body(
                        &crate::markdown::for_email(&links::prefix_ids(
                            &body,
                            &format!("{}--", a.slug),
                        )),
                        &urls.origin,
                        &urls.base_path,
                        Some(&utm),
                        &a.title,
                    )),
                    reviewer,
                }
            })
            .collect();
        let labels = self.labels();
        let name = newsletter.display_name(&lang).to_string();
        let nl = &config.newsletter;
        IssueView {
            segment: issue.segment.clone(),
            from_name: nl
                .from_name
                .clone()
                .or_else(|| config.publisher.as_ref().map(|p| p.name.clone()))
                .unwrap_or_else(|| config.title.clone()),
            name,
            date: issue.date.to_string(),
            from: (issue.window_start + Duration::days(1)).to_string(),
            lang,
            web_url: urls.absolute(&format!("{seg_path}{}/", issue.date)),
            list_url: urls.absolute(&seg_path),
            feed_url: urls.absolute(&format!("{seg_path}atom.xml")),
            preheader: email::preheader(&articles),
            articles,
            hidden: 0,
            preview: self.preview,
            footer_links: self
                .footer
                .iter()
                .enumerate()
                .map(|(n, l)| FooterLinkView {
                    label: labels.get(l.label).cloned().unwrap_or_default(),
                    href: email::sentinel(n),
                })
                .collect(),
            address: nl.address.clone(),
            footer: nl.footer.clone(),
        }
    }

    /// Context shared by the e-mail and text templates.
    fn context(&self, view: &IssueView) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &self.index.site_view);
        ctx.insert("t", self.labels());
        ctx.insert("issue", view);
        ctx
    }

    /// Renders all three files of one issue.
    pub fn render_issue(
        &self,
        newsletter: &Newsletter,
        issue: &Issue,
    ) -> Result<IssueFiles, Diagnostic> {
        let full = self.issue_view(newsletter, issue);
        let web = web::issue_page(self.index, &full)?;
        let (email, fitted, warnings) = email::render_fitted(self, full)?;
        let text = text::render_text(self, &fitted)?;
        Ok(IssueFiles {
            web,
            email,
            text,
            warnings,
        })
    }
}

/// Files of one segment as (path relative to the output folder, text), and
/// the problems found rendering them.
pub type SegmentFiles = (Vec<(String, String)>, Vec<Diagnostic>);

/// Renders every segment's issues, issue lists and feeds into `out`.
/// Returns all problems found (errors fail the build; `out` is then
/// discarded, so nothing partial is published).
pub fn render_digests(index: &Index, out: &Staging) -> Vec<Diagnostic> {
    let digests = match Digests::new(index, false) {
        Ok(d) => d,
        Err(d) => return vec![d],
    };
    let site = index.site;
    // Segments render side by side (each also spreads its issues over the
    // threads), so one long segment does not leave a core idle; each writes
    // its files as soon as it is done, so they are not all held at once.
    let problems: Vec<Diagnostic> = site
        .calendar
        .newsletters
        .par_iter()
        .flat_map_iter(|newsletter| {
            let found = segment_issues(site, newsletter, site.today, false);
            let all: Vec<usize> = (0..found.len()).collect();
            let (files, mut problems) = render_segment_subset(&digests, newsletter, &found, &all);
            let failed_writes: Vec<Diagnostic> = files
                .par_iter()
                .filter_map(|(rel, text)| {
                    out.write(rel, text.as_bytes())
                        .err()
                        .map(|e| Diagnostic::error("output", rel, e.to_string()))
                })
                .collect();
            problems.extend(failed_writes);
            problems
        })
        .collect();
    problems
}

/// How many size warnings a segment shows one by one before the rest are
/// summed up: on a large site every weekly issue may need cutting, and 400
/// identical warnings would bury everything else a build says.
const SIZE_WARNINGS_SHOWN: usize = 3;

fn summarize_size_warnings(segment: &str, mut warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if warnings.len() <= SIZE_WARNINGS_SHOWN {
        return warnings;
    }
    let more = warnings.len() - SIZE_WARNINGS_SHOWN;
    warnings.truncate(SIZE_WARNINGS_SHOWN);
    // Named like the e-mails' own warnings (email.rs): relative to the
    // site, without the base path, which is part of URLs, not of files.
    let folder = format!("public/digests/{segment}");
    warnings.push(
        Diagnostic::warning(
            "digest-size",
            &folder,
            format!("{more} more issues were over {} KB with every article in full and were cut to fit, like the issues of this segment listed here", email::WARN_BYTES / 1024),
        )
        .hint("a shorter cadence or summaries-only e-mails keep issues under the size Gmail shows whole"),
    );
    warnings
}

// --- one segment's issues, all or a chosen subset -------------------------
// `render_digests` renders every issue with it; `serve`'s incremental
// rebuilds (src/serve/digests.rs) only the issues an edit touched, so the
// files are byte for byte the same either way.

/// Renders the issues `chosen` (indices into `found`, the segment's issues
/// as [`segment_issues`] returns them for the public build) and the
/// segment's `index.html` and `atom.xml`. Returns (path relative to the
/// output folder, text) pairs and every problem found.
pub fn render_segment_subset(
    digests: &Digests,
    newsletter: &Newsletter,
    found: &[Issue],
    chosen: &[usize],
) -> SegmentFiles {
    let index = digests.index;
    let base = &index.urls.base_path;
    let seg = segment_path(index, &newsletter.segment);
    let rel = |p: String| p.strip_prefix(base.as_str()).unwrap_or(&p).to_string();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut cut_to_fit = Vec::new();
    let rendered: Vec<Result<IssueFiles, Diagnostic>> = chosen
        .par_iter()
        .map(|&n| digests.render_issue(newsletter, &found[n]))
        .collect();
    for (&n, result) in chosen.iter().zip(rendered) {
        match result {
            Ok(f) => {
                let dir = format!("{seg}{}/", found[n].date);
                files.push((rel(format!("{dir}index.html")), f.web));
                files.push((rel(format!("{dir}email.html")), f.email));
                files.push((rel(format!("{dir}email.txt")), f.text));
                cut_to_fit.extend(f.warnings);
            }
            Err(d) => problems.push(d),
        }
    }
    problems.extend(summarize_size_warnings(&newsletter.segment, cut_to_fit));
    match web::segment_pages(digests, newsletter, found) {
        Ok(pages) => files.extend(
            pages
                .into_iter()
                .map(|(name, text)| (rel(format!("{seg}{name}")), text)),
        ),
        Err(d) => problems.push(d),
    }
    (files, problems)
}

/// Files of one issue, relative to the output folder (see
/// [`render_segment_subset`]).
pub fn issue_files(index: &Index, segment: &str, date: NaiveDate) -> [String; 3] {
    let base = &index.urls.base_path;
    let seg = segment_path(index, segment);
    let dir = format!("{seg}{date}/");
    let dir = dir.strip_prefix(base.as_str()).unwrap_or(&dir).to_string();
    ["index.html", "email.html", "email.txt"].map(|f| format!("{dir}{f}"))
}
// --- end serve subset ------------------------------------------------------

/// Which file of an issue `healthpress digest` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Email,
    Text,
    Web,
}

/// Renders one issue (`healthpress digest`): the issue of `segment` dated
/// `date`. With `preview`, approved articles scheduled after today count
/// too. Errors name the problem in words for the CLI.
pub fn render_one(
    index: &Index,
    segment: &str,
    date: NaiveDate,
    preview: bool,
    part: Part,
) -> Result<(String, Vec<Diagnostic>), String> {
    let site = index.site;
    let newsletter = site
        .calendar
        .newsletters
        .iter()
        .find(|n| n.segment == segment)
        .ok_or_else(|| {
            let known: Vec<&str> = site
                .calendar
                .newsletters
                .iter()
                .map(|n| n.segment.as_str())
                .collect();
            format!(
                "calendar.yaml has no newsletter segment `{segment}` (known: {})",
                known.join(", ")
            )
        })?;
    let all = issues(site, newsletter, date, |s| {
        s == State::Published || (preview && s == State::Scheduled)
    });
    let Some(issue) = all.iter().find(|i| i.date == date) else {
        let near: Vec<String> = all
            .iter()
            .rev()
            .take(3)
            .map(|i| i.date.to_string())
            .collect();
        return Err(format!(
            "{date} is not an issue date of `{segment}`; recent issue dates: {}",
            if near.is_empty() {
                "none".into()
            } else {
                near.join(", ")
            }
        ));
    };
    if !preview && date > site.today {
        return Err(format!(
            "the `{segment}` issue of {date} is after today ({}); --preview renders a future issue with the approved articles scheduled for it",
            site.today
        ));
    }
    if issue.articles.is_empty() {
        return Err(format!(
            "the `{segment}` issue of {date} has no {} articles, so there is no issue{}",
            if preview {
                "published or scheduled"
            } else {
                "published"
            },
            if preview {
                ""
            } else {
                "; --preview includes approved articles scheduled for later"
            }
        ));
    }
    let digests = Digests::new(index, preview).map_err(|d| d.to_string())?;
    let files = digests
        .render_issue(newsletter, issue)
        .map_err(|d| d.to_string())?;
    let text = match part {
        Part::Email => files.email,
        Part::Text => files.text,
        Part::Web => files.web,
    };
    Ok((text, files.warnings))
}
