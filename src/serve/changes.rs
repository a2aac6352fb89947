//! Rendering an article change for `serve`: picks how far the change
//! reaches (its own page, the pages showing its card, or everything that
//! lists it now or did), renders those public pages in memory, writes the
//! ones whose bytes changed and removes pages that no longer exist. The
//! article pages are written first; the digest issues the change touches
//! ([`super::digests`]) follow, so saving an article shows its page as
//! soon as possible. The editorial views are handled after this, in
//! [`super::editorial`].

use std::collections::BTreeSet;
use std::time::Instant;

use rayon::prelude::*;

use super::affected::{
    affected_articles, affected_terms, listing_views_unchanged, referrers, related_containing,
    same_dates, same_places, Diff, TermSet,
};
use super::digests::digest_changes;
use super::files::{remove_file_and_empty_dirs, remove_stale_listing, write_if_changed};
use super::incremental::{phase, Model, RebuildError, Report};
use crate::diagnostics::Diagnostic;
use crate::render::article::render_article_bytes;
use crate::render::feeds;
use crate::render::index::{Index, PublicLinks};
use crate::render::listing::{self, file_for, Page};

/// An output file: its path under the serve folder and its bytes.
type File = (String, Vec<u8>);

/// How far an article change reaches; see `Model::render_changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    OwnPage,
    SamePlaces,
    General,
}

impl Model {
    /// Renders what `diff` touches (some public article changed) into
    /// memory, then writes changed files. `i1` is the new site's index.
    pub(super) fn render_changes(&self, i1: &Index, diff: &Diff) -> Result<Report, RebuildError> {
        let mut report = Report::new("incremental", i1.site.warnings.clone());
        let t = Instant::now();
        let old = &self.site;
        let new = i1.site;
        // Three scopes, cheapest first. (1) The common edit (body text,
        // sources...) leaves every listing, feed entry and sitemap entry of
        // the article as it was: only its own page and, if it is among the
        // newest, the site feed change. (2) Same place in every list but a
        // new card (title, summary...): the pages showing that card change.
        // (3) Anything else: everything that lists the article now or did.
        let changed_now: Vec<usize> = i1
            .published
            .iter()
            .copied()
            .filter(|&i| diff.public.contains(&new.articles[i].content_path))
            .collect();
        let in_site_feed = i1
            .published
            .iter()
            .take(feeds::FEED_LENGTH)
            .any(|i| changed_now.contains(i));
        let scope = if listing_views_unchanged(old, i1, &diff.public) {
            Scope::OwnPage
        } else if same_places(old, i1, &diff.public) {
            Scope::SamePlaces
        } else {
            Scope::General
        };
        report.reason = match scope {
            Scope::OwnPage => "own page",
            Scope::SamePlaces => "same places",
            Scope::General => "general",
        }
        .to_string();
        // Public articles that may link to an article that vanished or moved:
        // their pages and digest entries render differently (or now fail).
        let linking = if diff.gone.is_empty() {
            Vec::new()
        } else {
            referrers(new, &diff.gone)
        };
        let (pages, terms, crosses, main_feed) = match scope {
            Scope::OwnPage => (
                changed_now.clone(),
                TermSet::new(),
                TermSet::new(),
                in_site_feed,
            ),
            Scope::SamePlaces => {
                let (terms, crosses) = affected_terms(old, new, &diff.public);
                let pages = related_containing(i1, &diff.public);
                (pages, terms, crosses, in_site_feed)
            }
            Scope::General => {
                let i0 = Index::new(old, &self.theme);
                let mut pages = affected_articles(&i0, i1, &diff.public);
                if !linking.is_empty() {
                    pages.extend(linking.iter().copied());
                    pages.sort_unstable();
                    pages.dedup();
                }
                let (terms, crosses) = affected_terms(old, new, &diff.public);
                (pages, terms, crosses, true)
            }
        };
        phase("affected", &t);

        let resolver = PublicLinks::new(new, &i1.urls);
        let mut problems: Vec<Diagnostic> = Vec::new();
        // Article pages as the full build renders them: each body is kept
        // in `i1.bodies`, so the digest step below does not render it again.
        let mut files: Vec<File> = Vec::new();
        let rendered: Vec<(Option<File>, Vec<Diagnostic>)> = pages
            .par_iter()
            .map(|&i| {
                let (html, mut found) = render_article_bytes(i1, i, &resolver);
                match html {
                    Ok(html) => {
                        let path = file_for(&i1.urls, &i1.urls.article(&new.articles[i].slug));
                        (Some((path, html)), found)
                    }
                    Err(d) => {
                        found.push(d);
                        (None, found)
                    }
                }
            })
            .collect();
        for (file, found) in rendered {
            files.extend(file);
            problems.extend(found);
        }
        let mut out: Vec<Page> = Vec::new();
        let mut collect = |r: Result<Vec<Page>, Diagnostic>| match r {
            Ok(p) => out.extend(p),
            Err(d) => problems.push(d),
        };
        phase("articles", &t);
        if scope != Scope::OwnPage {
            collect(listing::home_page(i1).map(|p| vec![p]));
            collect(listing::not_found_page(i1).map(|p| vec![p]));
            collect(listing::taxonomy_pages(i1));
            let keep = |t: &str, x: &str, cross: Option<(&str, &str)>| match cross {
                None => terms.contains(&(t.to_string(), x.to_string())),
                Some((_, s)) => crosses.contains(&(x.to_string(), s.to_string())),
            };
            // With every article in its old place, only the pages showing a
            // changed card differ; otherwise whole terms are re-rendered.
            let chunk = |items: &[usize]| {
                scope == Scope::General || items.iter().any(|i| changed_now.contains(i))
            };
            for r in listing::term_pages_where(i1, &keep, &chunk) {
                collect(r);
            }
        }
        phase("listings", &t);
        let keep_feed = |f: Option<(&str, &str)>| match f {
            None => main_feed,
            Some((t, x)) => terms.contains(&(t.to_string(), x.to_string())),
        };
        collect(feeds::feeds_where(i1, &keep_feed));
        phase("feeds", &t);
        // The sitemap shows URLs and last-modified dates, in site order.
        if scope == Scope::General || !same_dates(old, new, &diff.public) {
            collect(feeds::sitemap_and_robots(i1));
        }
        phase("sitemap", &t);
        crate::diagnostics::sort(&mut problems);
        if problems.iter().any(Diagnostic::is_error) {
            return Err(RebuildError::Invalid(problems));
        }
        report.warnings.extend(problems);
        files.extend(out.into_iter().map(|p| (p.path, p.html.into_bytes())));
        report.rendered = files.len();

        let produced: BTreeSet<String> = files.iter().map(|(path, _)| path.clone()).collect();
        for (path, bytes) in &files {
            if write_if_changed(&self.settings.public_dir, path, bytes)? {
                report.written += 1;
            }
        }
        // Pagination pages (and audience × specialty pages) that no longer
        // exist. Only a general change can remove pages; in the other scopes
        // some pages were deliberately not rendered.
        if scope == Scope::General {
            let mut bases: Vec<String> = Vec::new();
            for (t, x) in &terms {
                bases.push(
                    file_for(&i1.urls, &i1.urls.term(t, x))
                        .trim_end_matches("index.html")
                        .to_string(),
                );
            }
            for (a, s) in &crosses {
                let url = format!("{}specialty/{s}/", i1.urls.term("audience", a));
                bases.push(
                    file_for(&i1.urls, &url)
                        .trim_end_matches("index.html")
                        .to_string(),
                );
            }
            for base in bases {
                report.removed +=
                    remove_stale_listing(&self.settings.public_dir, &base, &produced)?;
            }
        }
        // Pages of articles no longer public (or moved to another slug).
        for (_, slug) in &diff.gone {
            let rel = file_for(&i1.urls, &i1.urls.article(slug));
            if !produced.contains(&rel)
                && remove_file_and_empty_dirs(&self.settings.public_dir, &rel)?
            {
                report.removed += 1;
            }
        }
        phase("write", &t);
        // Digests, after the pages above are on disk. An error here (a body
        // that no longer renders) makes the caller run a full build, which
        // reports it as the CLI does and rewrites the whole folder; the
        // pages were written, so the old model no longer describes them.
        let mut touched = diff.public.clone();
        touched.extend(
            linking
                .iter()
                .map(|&i| new.articles[i].content_path.clone()),
        );
        let digests = digest_changes(old, i1, &touched);
        let mut problems = digests.problems;
        crate::diagnostics::sort(&mut problems);
        if problems.iter().any(Diagnostic::is_error) {
            return Err(RebuildError::InvalidAfterWrite(problems));
        }
        report.warnings.extend(problems);
        report.rendered += digests.files.len();
        for (path, text) in &digests.files {
            if write_if_changed(&self.settings.public_dir, path, text.as_bytes())? {
                report.written += 1;
            }
        }
        for rel in &digests.remove {
            if remove_file_and_empty_dirs(&self.settings.public_dir, rel)? {
                report.removed += 1;
            }
        }
        phase("digests", &t);
        Ok(report)
    }
}
