//! The digest renderer. A build renders every segment's issues, issue list
//! and feed. After an edit, a digest issue holds the public articles of its
//! segment (audiences, optional specialties) first published in its window,
//! with their full bodies, so only segments that a changed article matches
//! now or matched before are looked at; for those, the issues of the old
//! and the new model are compared, and an issue is re-rendered when it is
//! new, when its window or article list changed (which covers an article
//! moving to another date, and a first article that shifts every issue date
//! of a segment without a `start`), or when it holds a changed article.
//! Issues that no longer exist (their window is now empty) are removed. The
//! segment's issue list and Atom feed are re-rendered for every segment
//! looked at. All files come from the same functions either way, so they
//! equal a full build's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::newsletter::{matches, Issue};
use crate::model::{Site, State};
use crate::output::Writer;

use super::{issue_files, render_segment_subset, segment_issues, Digests};
use crate::render::index::Index;
use crate::render::renderer::{Part, Rendered, Renderer, Scope};

/// Newsletter digests under `digests/` (see the module documentation).
pub struct DigestIssues;

impl Renderer for DigestIssues {
    fn name(&self) -> &'static str {
        "digests"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[
            Part::PublicArticles,
            Part::Config,
            Part::Calendar,
            Part::Theme,
        ]
    }

    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        match scope {
            Scope::Everything => render_all(index, out),
            Scope::Edit(edit) => {
                // Articles whose rendered body may change count as changed
                // too, such as pages linking to an article that moved.
                let mut touched = edit.diff.public.clone();
                let reach = edit.reach(index);
                touched.extend(
                    reach
                        .linking
                        .iter()
                        .map(|&i| index.site.articles[i].content_path.clone()),
                );
                let changes = digest_changes(edit.old, index, &touched, reach.site_updated);
                let mut rendered = Rendered {
                    partial: true,
                    problems: changes.problems,
                    removed: changes.remove,
                    ..Rendered::default()
                };
                let files = changes
                    .files
                    .into_iter()
                    .map(|(path, text)| (path, text.into_bytes()))
                    .collect();
                rendered.write_all(out, files, false);
                rendered
            }
        }
    }
}

/// Renders every segment's issues, issue lists and feeds into `out`.
fn render_all(index: &Index, out: &dyn Writer) -> Rendered {
    let mut rendered = Rendered::default();
    let digests = match Digests::new(index, false) {
        Ok(d) => d,
        Err(d) => {
            rendered.problems.push(d);
            return rendered;
        }
    };
    let site = index.site;
    // Segments render side by side (each also spreads its issues over the
    // threads), so one long segment does not leave a core idle; each writes
    // its files as soon as it is done, so they are not all held at once.
    let parts: Vec<Rendered> = site
        .calendar
        .newsletters
        .par_iter()
        .map(|newsletter| {
            let found = segment_issues(site, newsletter, site.today, false);
            let all: Vec<usize> = (0..found.len()).collect();
            let (files, problems) = render_segment_subset(&digests, newsletter, &found, &all);
            let mut part = Rendered {
                problems,
                ..Rendered::default()
            };
            let files = files
                .into_iter()
                .map(|(path, text)| (path, text.into_bytes()))
                .collect();
            part.write_all(out, files, false);
            part
        })
        .collect();
    for part in parts {
        rendered.files.extend(part.files);
        rendered.problems.extend(part.problems);
    }
    rendered
}

/// What the digests need after an article change.
#[derive(Default)]
struct DigestChanges {
    /// (path relative to the output folder, text) to write.
    files: Vec<(String, String)>,
    /// Files of issues that no longer exist, relative to the output folder.
    remove: Vec<String>,
    problems: Vec<Diagnostic>,
}

/// Digest files that can differ between `old` and the site of `index` when
/// the articles at `changed` (paths under `content/`) changed. `changed`
/// should also hold articles whose rendered body may change, such as pages
/// linking to an article that moved.
fn digest_changes(
    old: &Site,
    index: &Index,
    changed: &BTreeSet<PathBuf>,
    site_updated: bool,
) -> DigestChanges {
    let new = index.site;
    let mut out = DigestChanges::default();
    if new.calendar.newsletters.is_empty() || changed.is_empty() {
        return out;
    }
    let find = |site: &Site, path: &Path| {
        site.articles
            .iter()
            .position(|a| a.content_path == path)
            .filter(|&i| site.states[i] == State::Published)
    };
    let old_changed: Vec<usize> = changed.iter().filter_map(|p| find(old, p)).collect();
    let new_changed: Vec<usize> = changed.iter().filter_map(|p| find(new, p)).collect();
    let digests = match Digests::new(index, false) {
        Ok(d) => d,
        Err(d) => {
            out.problems.push(d);
            return out;
        }
    };
    for newsletter in &new.calendar.newsletters {
        let touched = old_changed
            .iter()
            .any(|&i| matches(newsletter, &old.articles[i]))
            || new_changed
                .iter()
                .any(|&i| matches(newsletter, &new.articles[i]));
        let after = segment_issues(new, newsletter, new.today, false);
        // An empty segment feed shows the site's newest change as its
        // `updated` time, which the edit may have moved.
        let empty_feed = after.iter().all(|issue| issue.articles.is_empty());
        let stale_empty_feed = site_updated && empty_feed;
        if !touched && !stale_empty_feed {
            continue;
        }
        let before = segment_issues(old, newsletter, old.today, false);
        // Article indices differ between the models; compare by file.
        let key = |site: &'_ Site, issue: &Issue| -> (chrono::NaiveDate, Vec<PathBuf>) {
            let files = issue
                .articles
                .iter()
                .map(|&i| site.articles[i].content_path.clone())
                .collect();
            (issue.window_start, files)
        };
        let was: BTreeMap<_, _> = before.iter().map(|i| (i.date, key(old, i))).collect();
        let chosen: Vec<usize> = after
            .iter()
            .enumerate()
            .filter(|(_, issue)| {
                let now = key(new, issue);
                now.1.iter().any(|p| changed.contains(p)) || was.get(&issue.date) != Some(&now)
            })
            .map(|(n, _)| n)
            .collect();
        let dates: BTreeSet<_> = after.iter().map(|i| i.date).collect();
        for issue in &before {
            if !dates.contains(&issue.date) {
                out.remove
                    .extend(issue_files(index, &newsletter.segment, issue.date));
            }
        }
        let (files, problems) = render_segment_subset(&digests, newsletter, &after, &chosen);
        out.files.extend(files);
        out.problems.extend(problems);
    }
    out
}
