//! Newsletter digests: one issue per segment (calendar.yaml `newsletters`)
//! per issue date up to today, holding the segment's public articles first
//! published since the previous issue ([`crate::model::newsletter`] decides
//! dates and windows; a window with no article makes no issue). Each issue
//! is written as `digests/<segment>/<date>/` `index.html` (web view),
//! `email.html` (inline-CSS table layout, see [`email`]) and `email.txt`
//! (see [`text`]); each segment also gets an issue list and a full-content
//! Atom feed for e-mail platforms' RSS automation. [`issues::DigestIssues`]
//! is the renderer (every issue in a build, only the touched ones after an
//! edit); [`render_one`] serves `healthpress digest`.

pub mod email;
pub mod issues;
pub mod links;
pub mod text;
pub mod view;
mod web;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::calendar::Newsletter;
use crate::diagnostics::Diagnostic;
use crate::model::newsletter::{issues, Issue};
use crate::model::{Site, State};

use super::index::Index;
pub use view::{segment_path, DigestArticle, Digests, FooterLinkView, IssueView};

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

/// The three rendered files of one issue.
#[derive(Debug)]
pub struct IssueFiles {
    pub web: String,
    pub email: String,
    pub text: String,
    pub warnings: Vec<Diagnostic>,
}

impl Digests<'_> {
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
// `DigestIssues` renders every issue with it in a build, and after an edit
// only the issues the edit touched (issues.rs), so the
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
