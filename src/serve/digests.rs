//! Newsletter digests in incremental rebuilds. A digest issue holds the
//! public articles of its segment (audiences, optional specialties) first
//! published in its window, with their full bodies. When articles change,
//! only segments that one of them matches now or matched before are looked
//! at; for those, the issues of the old and the new model are compared, and
//! an issue is re-rendered when it is new, when its window or article list
//! changed (which covers an article moving to another date, and a first
//! article that shifts every issue date of a segment without a `start`), or
//! when it holds a changed article. Issues that no longer exist (their
//! window is now empty) are removed. The segment's issue list and Atom feed
//! are re-rendered for every segment looked at. All files come from the
//! same functions `build` uses, so they equal a full build's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::model::newsletter::{matches, Issue};
use crate::model::{Site, State};
use crate::render::digest::{issue_files, render_segment_subset, segment_issues, Digests};
use crate::render::index::Index;

/// What the digests need after an article change.
#[derive(Default)]
pub struct DigestChanges {
    /// (path relative to the output folder, text) to write.
    pub files: Vec<(String, String)>,
    /// Files of issues that no longer exist, relative to the output folder.
    pub remove: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

/// Digest files that can differ between `old` and the site of `index` when
/// the articles at `changed` (paths under `content/`) changed. `changed`
/// should also hold articles whose rendered body may change, such as pages
/// linking to an article that moved.
pub fn digest_changes(old: &Site, index: &Index, changed: &BTreeSet<PathBuf>) -> DigestChanges {
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
        if !touched {
            continue;
        }
        let before = segment_issues(old, newsletter, old.today, false);
        let after = segment_issues(new, newsletter, new.today, false);
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
