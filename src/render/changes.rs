//! What an article edit touches, for renderers asked to redo only that
//! ([`super::renderer::Scope::Edit`]). [`diff_sites`] compares the model
//! the output shows with the new one (only files re-read since then can
//! differ); [`Edit`] carries both to the renderers, and [`Reach`] works out,
//! once per edit, which public pages can show the changed articles: their
//! pages, the pages whose "related" lists change or contain them, pages
//! that may link to an article that vanished or moved, and the term pages
//! and feeds of every term they have or had. When nothing any listing
//! shows of an article has changed, only its own page is affected.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::config::site::TAXONOMIES;
use crate::model::{Article, Site, State};

use super::feeds::{self, FEED_LENGTH};
use super::index::Index;
use super::theme::Theme;
use super::views::card;

/// A part of the model that an output's files can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Anything of an article that is public before or after an edit: its
    /// text, front matter or publishing state.
    PublicArticles,
    /// Anything of any article, drafts and scheduled ones included.
    AnyArticle,
    /// `site.yaml`.
    Config,
    /// `calendar.yaml`.
    Calendar,
    /// The theme's templates, labels and assets.
    Theme,
    /// The site's `static/` folder.
    StaticFiles,
}

/// An edit of article files, as renderers see it: the model the output
/// folder was rendered from, and how the new one differs.
pub struct Edit<'a> {
    /// The model the output currently shows.
    pub old: &'a Site,
    pub theme: &'a Theme,
    pub diff: &'a Diff,
    old_index: OnceLock<Index<'a>>,
    reach: OnceLock<Reach>,
}

impl<'a> Edit<'a> {
    pub fn new(old: &'a Site, theme: &'a Theme, diff: &'a Diff) -> Edit<'a> {
        Edit {
            old,
            theme,
            diff,
            old_index: OnceLock::new(),
            reach: OnceLock::new(),
        }
    }

    /// Whether the edit changed `part` of the model. An edit only ever
    /// covers article files: any other change is a full rebuild.
    pub fn touched(&self, part: Part) -> bool {
        match part {
            Part::PublicArticles => !self.diff.public.is_empty(),
            Part::AnyArticle => !self.diff.public.is_empty() || !self.diff.private.is_empty(),
            Part::Config | Part::Calendar | Part::Theme | Part::StaticFiles => false,
        }
    }

    /// The published index of the old model, built on first use.
    pub fn old_index(&self) -> &Index<'a> {
        self.old_index
            .get_or_init(|| Index::new(self.old, self.theme))
    }

    /// Which public pages the edit reaches; `new` is the new model's index.
    /// Computed once and shared by every renderer.
    pub fn reach(&self, new: &Index) -> &Reach {
        self.reach.get_or_init(|| Reach::new(self, new))
    }
}

/// How far an article change reaches, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// Every listing, feed entry and sitemap entry of the changed articles
    /// is as it was (the common body edit): only their own pages and, if
    /// they are among the newest, the site feed change.
    OwnPage,
    /// Same place in every list but a new card (title, summary...): the
    /// pages showing that card change.
    SamePlaces,
    /// Anything else: everything that lists the articles now or did.
    General,
}

impl Extent {
    pub fn label(self) -> &'static str {
        match self {
            Extent::OwnPage => "own page",
            Extent::SamePlaces => "same places",
            Extent::General => "general",
        }
    }
}

/// The public pages an edit reaches (see [`Edit::reach`]).
pub struct Reach {
    pub extent: Extent,
    /// Changed articles public in the new model (indices into it).
    pub changed_now: Vec<usize>,
    /// Article pages to re-render (indices into the new model).
    pub pages: Vec<usize>,
    /// Public articles that may link to one that vanished or moved: their
    /// pages and digest entries render differently (or now fail).
    pub linking: Vec<usize>,
    /// (taxonomy, term) and (audience, specialty) pairs to re-render.
    pub terms: TermSet,
    pub crosses: TermSet,
    /// Whether the site feed (`/atom.xml`) can differ.
    pub main_feed: bool,
    /// Whether the sitemap can differ.
    pub sitemap: bool,
    /// Whether the site's newest public change moved: a feed with no
    /// entries shows it as its `updated` time ([`feeds::site_updated`]),
    /// so every empty feed differs.
    pub site_updated: bool,
}

impl Reach {
    fn new(edit: &Edit, i1: &Index) -> Reach {
        let (old, new, diff) = (edit.old, i1.site, edit.diff);
        let changed_now: Vec<usize> = i1
            .published
            .iter()
            .copied()
            .filter(|&i| diff.public.contains(&new.articles[i].content_path))
            .collect();
        let in_site_feed = i1
            .published
            .iter()
            .take(FEED_LENGTH)
            .any(|i| changed_now.contains(i));
        let extent = if listing_views_unchanged(old, i1, &diff.public) {
            Extent::OwnPage
        } else if same_places(old, i1, &diff.public) {
            Extent::SamePlaces
        } else {
            Extent::General
        };
        // Links to an article that vanished or moved, and to one that has
        // just become public (a link to an article that is not public is
        // rendered as text, so it turns into a link now), render anew.
        let mut targets = diff.gone.clone();
        for &i in &changed_now {
            let a = &new.articles[i];
            let was_public_here = old.articles.iter().zip(&old.states).any(|(o, s)| {
                o.content_path == a.content_path && s.is_public() && o.slug == a.slug
            });
            if !was_public_here {
                targets.push((a.content_path.clone(), a.slug.clone()));
            }
        }
        let linking = if targets.is_empty() {
            Vec::new()
        } else {
            referrers(new, &targets)
        };
        let (pages, terms, crosses, main_feed) = match extent {
            Extent::OwnPage => (
                changed_now.clone(),
                TermSet::new(),
                TermSet::new(),
                in_site_feed,
            ),
            Extent::SamePlaces => {
                let (terms, crosses) = affected_terms(old, new, &diff.public);
                let pages = related_containing(i1, &diff.public);
                (pages, terms, crosses, in_site_feed)
            }
            Extent::General => {
                let mut pages = affected_articles(edit.old_index(), i1, &diff.public);
                if !linking.is_empty() {
                    pages.extend(linking.iter().copied());
                    pages.sort_unstable();
                    pages.dedup();
                }
                let (terms, crosses) = affected_terms(old, new, &diff.public);
                (pages, terms, crosses, true)
            }
        };
        // The sitemap shows URLs and last-modified dates, in site order.
        let sitemap = extent == Extent::General || !same_dates(old, new, &diff.public);
        let site_updated = extent != Extent::OwnPage
            && feeds::site_updated(old, &old.published())
                != feeds::site_updated(new, &i1.published);
        Reach {
            extent,
            changed_now,
            pages,
            linking,
            terms,
            crosses,
            main_feed,
            sitemap,
            site_updated,
        }
    }
}

/// How two models differ, by article file.
pub struct Diff {
    /// Public before or after (or both), text or state changed.
    pub public: BTreeSet<PathBuf>,
    /// Not public before or after (drafts etc.), text changed.
    pub private: BTreeSet<PathBuf>,
    /// Public before, and now unpublished, removed or at another URL: the
    /// old slug. Pages linking to it must be re-rendered (or now fail).
    pub gone: Vec<(PathBuf, String)>,
}

pub fn diff_sites(old: &Site, new: &Site, dirty: &BTreeSet<PathBuf>) -> Diff {
    fn find<'s>(s: &'s Site, path: &Path) -> Option<(&'s Article, State)> {
        let i = s.articles.iter().position(|a| a.content_path == path)?;
        Some((&s.articles[i], s.states[i]))
    }
    let mut diff = Diff {
        public: BTreeSet::new(),
        private: BTreeSet::new(),
        gone: Vec::new(),
    };
    for path in dirty {
        let (a, b) = (find(old, path), find(new, path));
        fn public(x: Option<(&Article, State)>) -> Option<&Article> {
            x.filter(|(_, s)| s.is_public()).map(|(a, _)| a)
        }
        match (a, b) {
            (Some((x, sx)), Some((y, sy)))
                if x.raw == y.raw
                    && x.embedded == y.embedded
                    && x.source == y.source
                    && sx == sy => {}
            (None, None) => {}
            _ => match (public(a), public(b)) {
                (None, None) => {
                    diff.private.insert(path.clone());
                }
                (was, now) => {
                    if let Some(was) = was {
                        if now.is_none_or(|now| now.slug != was.slug) {
                            diff.gone.push((path.clone(), was.slug.clone()));
                        }
                    }
                    diff.public.insert(path.clone());
                }
            },
        }
    }
    diff
}

/// Public articles that may link to the `gone` ones: a link names the
/// target's file (a `.md` link) or its slug (an `/articles/<slug>/` URL),
/// so one of them appears in the source unless the link is escaped (`%xx`,
/// `&#..;`), and such sources are included too.
fn referrers(site: &Site, gone: &[(PathBuf, String)]) -> Vec<usize> {
    let stems: Vec<String> = gone
        .iter()
        .filter_map(|(p, _)| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .chain(gone.iter().map(|(_, slug)| slug.clone()))
        .collect();
    site.published()
        .into_par_iter()
        .filter(|&i| {
            let body = site.articles[i].body();
            stems.iter().any(|s| body.contains(s.as_str()))
                || ((body.contains("md") || body.contains("articles"))
                    && (body.contains('%') || body.contains("&#")))
        })
        .collect()
}

/// Position of the article at `path` in `list` (indices into `site.articles`).
fn place<'s>(site: &'s Site, list: &[usize], path: &Path) -> Option<(usize, &'s Article)> {
    let k = list
        .iter()
        .position(|&i| site.articles[i].content_path == path)?;
    Some((k, &site.articles[list[k]]))
}

/// True when every changed article keeps its place in the published order,
/// its terms, and everything listings, feeds and the sitemap show of it:
/// its card (title, URL, summary, date, language, audience, specialty) and
/// its feed entry fields (dates, authors). Then no listing page, term feed,
/// sitemap entry or other article's "related" list can differ.
fn listing_views_unchanged(old: &Site, i1: &Index, changed: &BTreeSet<PathBuf>) -> bool {
    let new = i1.site;
    let old_published = old.published();
    changed.iter().all(|path| {
        let (Some((k0, a)), Some((k1, b))) = (
            place(old, &old_published, path),
            place(new, &i1.published, path),
        ) else {
            return false;
        };
        let card = |x: &Article| serde_json::to_string(&card(&new.config, &i1.urls, x)).ok();
        k0 == k1
            && TAXONOMIES.iter().all(|t| a.terms(t) == b.terms(t))
            && a.last_modified() == b.last_modified()
            && a.authors == b.authors
            && a.title == b.title
            && a.summary == b.summary
            && a.lang == b.lang
            && card(a) == card(b)
    })
}

/// True when every changed article is public before and after, at the same
/// position in the published order, with the same terms. Then every list
/// (term pages, feeds, related windows) holds the same articles in the same
/// order, and only what shows a changed article's card or entry can differ.
fn same_places(old: &Site, i1: &Index, changed: &BTreeSet<PathBuf>) -> bool {
    let new = i1.site;
    let old_published = old.published();
    changed.iter().all(|path| {
        match (
            place(old, &old_published, path),
            place(new, &i1.published, path),
        ) {
            (Some((k0, a)), Some((k1, b))) => {
                k0 == k1 && TAXONOMIES.iter().all(|t| a.terms(t) == b.terms(t))
            }
            _ => false,
        }
    })
}

/// True when the changed articles' last-modified dates are unchanged.
fn same_dates(old: &Site, new: &Site, changed: &BTreeSet<PathBuf>) -> bool {
    let date = |s: &Site, p: &PathBuf| {
        s.articles
            .iter()
            .find(|a| &a.content_path == p)
            .map(|a| a.last_modified())
    };
    changed.iter().all(|p| date(old, p) == date(new, p))
}

/// With every list unchanged (`same_places`), the pages to re-render: the
/// changed articles and every public article whose related list (which
/// cannot have changed) shows one of them. Only articles sharing a
/// specialty or audience list with a changed article can show it.
fn related_containing(i1: &Index, changed: &BTreeSet<PathBuf>) -> Vec<usize> {
    let site = i1.site;
    let changed_now: BTreeSet<usize> = i1
        .published
        .iter()
        .copied()
        .filter(|&i| changed.contains(&site.articles[i].content_path))
        .collect();
    let mut candidates: BTreeSet<usize> = BTreeSet::new();
    for &i in &changed_now {
        for taxonomy in ["specialty", "audience"] {
            for term in site.articles[i].terms(taxonomy) {
                candidates.extend(i1.term_articles(taxonomy, term));
            }
        }
    }
    let mut out: Vec<usize> = candidates
        .into_par_iter()
        .filter(|j| {
            changed_now.contains(j) || i1.related(*j, 4).iter().any(|r| changed_now.contains(r))
        })
        .collect();
    out.sort_unstable();
    out
}

/// Article pages to re-render: the changed ones, and every public article
/// whose related list differs between the models or includes a changed
/// article. Only articles sharing a specialty or audience list with a
/// changed article can have their related list change.
fn affected_articles(i0: &Index, i1: &Index, changed: &BTreeSet<PathBuf>) -> Vec<usize> {
    let (old, new) = (i0.site, i1.site);
    let pos1: HashMap<&Path, usize> = new
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.content_path.as_path(), i))
        .collect();
    let pos0: HashMap<&Path, usize> = old
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.content_path.as_path(), i))
        .collect();
    let mut candidates: BTreeSet<&Path> = BTreeSet::new();
    for path in changed {
        for (site, pos) in [(old, &pos0), (new, &pos1)] {
            let Some(&i) = pos.get(path.as_path()) else {
                continue;
            };
            let a = &site.articles[i];
            for taxonomy in ["specialty", "audience"] {
                for term in a.terms(taxonomy) {
                    for ix in [i0, i1] {
                        let s = ix.site;
                        candidates.extend(
                            ix.term_articles(taxonomy, term)
                                .iter()
                                .map(|&j| s.articles[j].content_path.as_path()),
                        );
                    }
                }
            }
        }
    }
    fn names(site: &Site, list: Vec<usize>) -> Vec<&Path> {
        list.into_iter()
            .map(|j| site.articles[j].content_path.as_path())
            .collect()
    }
    let mut out: Vec<usize> = candidates
        .into_par_iter()
        .filter_map(|path| {
            let j1 = *pos1.get(path)?;
            if !new.states[j1].is_public() {
                return None;
            }
            if changed.contains(path) {
                return Some(j1);
            }
            let r1 = names(new, i1.related(j1, 4));
            let r0 = pos0.get(path).map(|&j0| names(old, i0.related(j0, 4)));
            let differs = r0.as_ref() != Some(&r1) || r1.iter().any(|p| changed.contains(*p));
            differs.then_some(j1)
        })
        .collect();
    out.sort_unstable();
    out
}

pub type TermSet = BTreeSet<(String, String)>;

/// (taxonomy, term) pairs and (audience, specialty) pairs the changed
/// articles have now or had before.
fn affected_terms(old: &Site, new: &Site, changed: &BTreeSet<PathBuf>) -> (TermSet, TermSet) {
    let mut terms = TermSet::new();
    let mut audiences = BTreeSet::new();
    let mut specialties = BTreeSet::new();
    for site in [old, new] {
        for a in site
            .articles
            .iter()
            .filter(|a| changed.contains(&a.content_path))
        {
            for t in TAXONOMIES {
                for x in a.terms(t) {
                    terms.insert((t.to_string(), x.clone()));
                }
            }
            audiences.extend(a.audience.iter().cloned());
            specialties.extend(a.specialty.iter().cloned());
        }
    }
    let crosses = audiences
        .iter()
        .flat_map(|a| specialties.iter().map(move |s| (a.clone(), s.clone())))
        .collect();
    (terms, crosses)
}
