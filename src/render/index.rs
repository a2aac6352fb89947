//! The published index: which articles are public, their cards, and the
//! article lists of every taxonomy term, computed once per build. Only
//! published articles ever enter it, which is what keeps drafts, scheduled,
//! expired and stale articles out of every listing, feed and sitemap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::config::site::TAXONOMIES;
use std::sync::Arc;

use crate::markdown::{LinkProblem, LinkResolver, UrlCheck};
use crate::model::{Site, State};

use super::article_urls::{ending_soon, not_public_reason, ArticleUrls};
use super::body::BodyRenderer;
use super::interrupt::Interrupt;
use super::languages::{lang_views, pick, LangView};
use super::qr_masks::QrMasks;
use super::theme::Theme;
use super::views::{card, Card, SiteView, Urls};

pub struct Index<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub urls: Urls,
    /// The site in its default language (`languages[0].site`).
    pub site_view: SiteView,
    /// The site in each of its languages, the default first.
    pub languages: Vec<LangView>,
    /// Whether languages other than the default have pages of their own
    /// (`languages:` in site.yaml): then every listing shows one language.
    pub multilingual: bool,
    /// Indices into `site.articles` of public articles, newest first.
    pub published: Vec<usize>,
    /// `cards[i]` is the card of `site.articles[i]` if it is public.
    pub cards: Vec<Option<Card>>,
    /// (taxonomy, term) -> public article indices, newest first.
    pub by_term: BTreeMap<(&'static str, String), Vec<usize>>,
    /// `bodies[i]` is article `i`'s public body HTML once rendered, so the
    /// site feed and the digests reuse the article page's body instead of
    /// rendering the Markdown again (a third of the digests' time on a
    /// large site). Read it through [`Index::public_body`].
    pub bodies: Vec<OnceLock<String>>,
    /// Renders bodies with the site's settings and local files.
    pub body_renderer: BodyRenderer<'a>,
    /// Whether the articles' local files are written (not in `check`'s
    /// dry render, where encoding image variants would be wasted).
    pub publish_files: bool,
    /// Where encoded image variants are kept between builds: the
    /// `.healthpress-cache/images/` beside the output (the build sets it).
    pub image_cache: std::path::PathBuf,
    /// Raised when the renders over this index are no longer wanted (see
    /// [`Interrupt`]); never in a build.
    pub interrupt: Interrupt,
    /// The QR masks chosen by earlier builds (a build opens and saves the
    /// site's; elsewhere an empty one).
    pub qr_masks: QrMasks,
}

impl<'a> Index<'a> {
    /// Article `i`'s public body HTML: the one its page rendered, or
    /// rendered now and kept. `resolver` must be the public one
    /// ([`PublicLinks`]); problems in the body are reported by the page.
    pub fn public_body(&self, i: usize, resolver: &dyn LinkResolver) -> &str {
        self.bodies[i].get_or_init(|| {
            self.body_renderer
                .render(&self.site.articles[i], resolver)
                .0
                .html
        })
    }

    pub fn new(site: &'a Site, theme: &'a Theme) -> Index<'a> {
        let urls = Urls::new(&site.config);
        let languages = lang_views(&site.config, theme, &urls, site.today);
        let site_view = languages[0].site.clone();
        let published = site.published();
        let mut cards = vec![None; site.articles.len()];
        let mut by_term: BTreeMap<(&'static str, String), Vec<usize>> = BTreeMap::new();
        for taxonomy in TAXONOMIES {
            for id in site.config.term_ids(taxonomy) {
                by_term.insert((taxonomy, id), Vec::new());
            }
        }
        for &i in &published {
            let article = &site.articles[i];
            cards[i] = Some(card(&site.config, &urls, article));
            for taxonomy in TAXONOMIES {
                for term in article.terms(taxonomy) {
                    by_term.entry((taxonomy, term.clone())).or_default().push(i);
                }
            }
        }
        Index {
            site,
            theme,
            urls,
            site_view,
            multilingual: site.config.is_multilingual(),
            languages,
            published,
            cards,
            by_term,
            bodies: (0..site.articles.len()).map(|_| OnceLock::new()).collect(),
            body_renderer: BodyRenderer::new(site, Some(theme)),
            publish_files: true,
            image_cache: crate::assets::cache_dir(&site.root.join("public")),
            interrupt: Interrupt::default(),
            qr_masks: QrMasks::none(),
        }
    }

    /// The site in the language of a page in `lang` (see
    /// [`super::languages::pick`]).
    pub fn lang(&self, lang: &str) -> &LangView {
        pick(&self.languages, lang)
    }

    pub fn card(&self, i: usize) -> &Card {
        self.cards[i]
            .as_ref()
            .expect("cards exist for every published article")
    }

    pub fn term_articles(&self, taxonomy: &str, term: &str) -> &[usize] {
        TAXONOMIES
            .iter()
            .find(|t| **t == taxonomy)
            .and_then(|t| self.by_term.get(&(*t, term.to_string())))
            .map_or(&[], Vec::as_slice)
    }

    /// The languages with pages of their own (home, listings, feeds): the
    /// default, and on a multilingual site every other.
    pub fn page_languages(&self) -> impl Iterator<Item = &LangView> {
        self.languages
            .iter()
            .enumerate()
            .filter(|(n, l)| *n == 0 || l.has_folder)
            .map(|(_, l)| l)
    }

    /// Article `i`'s public versions (itself and its public translations):
    /// (language tag, root-relative URL), in the order of the site's
    /// languages. A translation that is not public is never in it.
    pub fn article_versions(&self, i: usize) -> Vec<(String, String)> {
        let site = self.site;
        let group = site.translations.group(i);
        let mut out: Vec<(usize, String, String)> = group
            .iter()
            .filter(|&&j| site.states[j].is_public())
            .map(|&j| {
                let a = &site.articles[j];
                let order = self
                    .languages
                    .iter()
                    .position(|l| l.tag == a.lang)
                    .unwrap_or(usize::MAX);
                (order, a.lang.clone(), self.urls.article(&a.slug))
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, lang, url)| (lang, url)).collect()
    }

    /// Whether a listing in `lang` shows article `i`: on a multilingual
    /// site only the articles in its language, otherwise every one.
    pub fn listed_in(&self, lang: &str, i: usize) -> bool {
        !self.multilingual || self.site.articles[i].lang == lang
    }

    /// Up to `n` public articles most like `i` (in its language, on a
    /// multilingual site): shared specialty counts most,
    /// then audience, then season; newer first on ties. Candidates come from
    /// a window around `i` in each of its term lists, so the cost per article
    /// stays constant however large the site grows.
    pub fn related(&self, i: usize, n: usize) -> Vec<usize> {
        const WINDOW: usize = 24;
        let article = &self.site.articles[i];
        let mut candidates: Vec<usize> = Vec::new();
        for taxonomy in ["specialty", "audience"] {
            for term in article.terms(taxonomy) {
                let list = self.term_articles(taxonomy, term);
                let pos = list.iter().position(|&x| x == i).unwrap_or(0);
                let from = pos.saturating_sub(WINDOW / 2);
                let to = (from + WINDOW).min(list.len());
                candidates.extend_from_slice(&list[from..to]);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let shared = |taxonomy: &str, other: usize| {
            let theirs = self.site.articles[other].terms(taxonomy);
            article
                .terms(taxonomy)
                .iter()
                .filter(|t| theirs.contains(t))
                .count()
        };
        let mut scored: Vec<(usize, usize)> = candidates
            .into_iter()
            .filter(|&c| c != i && self.listed_in(&article.lang, c))
            .map(|c| {
                (
                    shared("specialty", c) * 4 + shared("audience", c) * 2 + shared("season", c),
                    c,
                )
            })
            .filter(|(score, _)| *score > 0)
            .collect();
        // `site.articles` is newest first, so a lower index is newer.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(n).map(|(_, c)| c).collect()
    }
}

/// Resolves links to public article URLs. A link (in any form: relative
/// `.md`, absolute path, site URL, image, raw HTML) to an article that
/// exists but is not public is dropped with a warning, the text kept:
/// following it would show readers a 404, and naming it would leak it.
pub struct PublicLinks<'a> {
    by_path: BTreeMap<&'a Path, (usize, State)>,
    site: &'a Site,
    urls: &'a Urls,
    /// Warn about links to articles that end within this many days.
    horizon_days: Option<i64>,
    judge: Arc<ArticleUrls>,
}

impl<'a> PublicLinks<'a> {
    pub fn new(site: &'a Site, urls: &'a Urls) -> PublicLinks<'a> {
        PublicLinks::with_horizon(site, urls, None)
    }

    /// Like `new`, warning ahead of time (`check`) about links to public
    /// articles that expire or are withdrawn within `horizon_days`.
    pub fn with_horizon(
        site: &'a Site,
        urls: &'a Urls,
        horizon_days: Option<i64>,
    ) -> PublicLinks<'a> {
        let by_path = site
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.content_path.as_path(), (i, site.states[i])))
            .collect();
        PublicLinks {
            by_path,
            site,
            urls,
            horizon_days,
            judge: Arc::new(ArticleUrls::new(site, horizon_days)),
        }
    }
}

impl LinkResolver for PublicLinks<'_> {
    fn resolve(&self, target: &Path) -> Result<String, LinkProblem> {
        match self.by_path.get(target) {
            Some(&(i, State::Published)) => {
                let article = &self.site.articles[i];
                let url = self.urls.article(&article.slug);
                match self
                    .horizon_days
                    .and_then(|h| ending_soon(article, self.site.today, h))
                {
                    Some(message) => Err(LinkProblem::EndingSoon { url, message }),
                    None => Ok(url),
                }
            }
            Some(&(i, state)) => Err(LinkProblem::NotPublic(not_public_reason(
                &self.site.articles[i],
                state,
            ))),
            None => Err(LinkProblem::Missing(format!(
                "there is no article at content/{}",
                target.display()
            ))),
        }
    }

    fn url_check(&self) -> Option<Arc<dyn UrlCheck>> {
        Some(self.judge.clone())
    }
}

/// Resolves links to any existing article whatever its state; used when
/// previewing drafts and when `check` looks at unpublished articles.
pub struct AnyLinks<'a> {
    by_path: BTreeMap<PathBuf, String>,
    _site: std::marker::PhantomData<&'a ()>,
}

impl<'a> AnyLinks<'a> {
    pub fn new(site: &'a Site, urls: &Urls) -> AnyLinks<'a> {
        let by_path = site
            .articles
            .iter()
            .map(|a| (a.content_path.clone(), urls.article(&a.slug)))
            .collect();
        AnyLinks {
            by_path,
            _site: std::marker::PhantomData,
        }
    }
}

impl LinkResolver for AnyLinks<'_> {
    fn resolve(&self, target: &Path) -> Result<String, LinkProblem> {
        self.by_path.get(target).cloned().ok_or_else(|| {
            LinkProblem::Missing(format!(
                "there is no article at content/{}",
                target.display()
            ))
        })
    }
}
