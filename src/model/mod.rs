//! The site model: validated configuration, calendar and articles, with each
//! article's publishing state fixed for one "today". Every renderer reads
//! from this; nothing downstream re-reads files or re-derives states.

pub mod aliases;
pub mod article;
pub mod fingerprint;
pub mod newsletter;
pub mod scan_cache;
pub mod schedule;
pub mod shortlink;
pub mod signoff;
pub mod slug;
pub mod translations;
pub mod verdict;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::compliance::Linter;
use crate::config::{Calendar, SiteConfig};
use crate::diagnostics::{self, Diagnostic};
pub use article::{Article, State};
use scan_cache::ScanCache;

pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub calendar: Calendar,
    /// All articles, newest first (ties by slug), whatever their state.
    pub articles: Vec<Article>,
    /// `states[i]` is the state of `articles[i]` as of `today`.
    pub states: Vec<State>,
    /// `signoffs[i]`: how `articles[i]`'s approval was judged (fingerprint
    /// version, signature, verdict); the review dashboard and `check` show it.
    pub signoffs: Vec<signoff::SignOff>,
    /// The people's signing keys from site.yaml.
    pub keyring: signoff::Keyring,
    pub today: NaiveDate,
    /// Which articles translate one another.
    pub translations: translations::Translations,
    /// Warnings found while loading and validating (errors stop the
    /// pipeline before the model is made).
    pub warnings: Vec<Diagnostic>,
    /// The errors that withheld articles: compliance errors (state
    /// `ComplianceWithheld`) and the errors of an article's own file
    /// (state `Invalid`), for the build to print with file and line.
    pub withheld: Vec<Diagnostic>,
    /// Articles shown with their edits although the edits are not approved
    /// yet ([`Site::preview_edits`]): only `serve` asks for this; a build's
    /// model leaves it empty.
    pub edited: Vec<usize>,
    /// The compliance linter that decided them, kept so outputs that add
    /// text of their own (WeChat posts) are checked by the same rules
    /// without building it again (building it is the costly part).
    pub linter: Option<std::sync::Arc<Linter>>,
}

/// The day publishing decisions are made for: `--as-of` if given, else the
/// current date in the site's time zone (a build at 00:30 in Shanghai is
/// already "tomorrow" in UTC terms).
pub fn today_in(config: &SiteConfig, as_of: Option<NaiveDate>) -> NaiveDate {
    as_of.unwrap_or_else(|| {
        let now = chrono::Utc::now();
        match config.tz() {
            Some(tz) => now.with_timezone(&tz).date_naive(),
            None => now.date_naive(),
        }
    })
}

impl Site {
    /// Withholds every article named by one of `errors` (errors located in
    /// its own file: front matter, validation, a duplicate slug), keeping
    /// the errors in `withheld`. Decided per article: the rest of the site
    /// is unaffected, and links to it render as text like links to any
    /// article that is not public.
    pub fn withhold_invalid(&mut self, errors: Vec<Diagnostic>) {
        let files: std::collections::BTreeSet<&Path> =
            errors.iter().map(|d| d.file.as_path()).collect();
        for (i, article) in self.articles.iter().enumerate() {
            if files.contains(article.source.as_path()) {
                self.states[i] = State::Invalid;
            }
        }
        self.withheld.extend(errors);
        diagnostics::sort(&mut self.withheld);
    }

    /// Withholds every approved, due or scheduled article in which `linter`
    /// finds an error (review notes do not withhold), keeping the errors in
    /// `withheld`. Decided per article: the rest of the site is unaffected.
    pub fn withhold_noncompliant(&mut self, linter: &Linter) {
        self.withhold_noncompliant_cached(linter, None);
    }

    /// [`Site::withhold_noncompliant`], skipping the files `cache` knows
    /// were clean (and remembering the ones found clean now).
    pub fn withhold_noncompliant_cached(&mut self, linter: &Linter, cache: Option<&ScanCache>) {
        self.withhold_noncompliant_known(linter, cache, None);
    }

    /// [`Site::withhold_noncompliant_cached`] that first takes each
    /// article's verdict from `prior` when it has one: `serve` re-models
    /// the site after an edit, and only the edited files can differ.
    pub fn withhold_noncompliant_known(
        &mut self,
        linter: &Linter,
        cache: Option<&ScanCache>,
        prior: Option<&Prior>,
    ) {
        // Scanning (segmentation included) is the costly part: in parallel,
        // then applied in article order so the output stays deterministic.
        use rayon::prelude::*;
        let states = &self.states;
        let earlier = prior.map(Prior::by_path);
        let found: Vec<(usize, Vec<Diagnostic>)> = self
            .articles
            .par_iter()
            .enumerate()
            .filter(|(i, _)| matches!(states[*i], State::Published | State::Scheduled))
            .map(|(i, article)| {
                if let (Some(p), Some(map)) = (prior, &earlier) {
                    if let Some(errors) = p.verdict(map, article) {
                        return (i, errors);
                    }
                }
                let key = cache.map(|c| c.key(&article.source, &article.raw));
                if let (Some(c), Some(k)) = (cache, &key) {
                    if c.is_clean(k) {
                        return (i, Vec::new());
                    }
                    if let Some(errors) = c.errors(k) {
                        return (i, errors);
                    }
                }
                let errors: Vec<Diagnostic> = linter
                    .scan(&article.source, &article.raw)
                    .diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect();
                if let (Some(c), Some(k)) = (cache, key) {
                    if errors.is_empty() {
                        c.record_clean(k);
                    } else {
                        c.record_errors(k, &errors);
                    }
                }
                (i, errors)
            })
            .filter(|(_, errors)| !errors.is_empty())
            .collect();
        for (i, errors) in found {
            self.states[i] = State::ComplianceWithheld;
            self.withheld.extend(errors);
        }
        let states = &self.states;
        self.edited.retain(|&i| states[i].is_public());
        diagnostics::sort(&mut self.withheld);
    }

    /// The model of validated `config`, `calendar` and `articles`, with
    /// each article's state fixed for `today`. Loading and validating are
    /// the pipeline's steps before this one (`build::open_site`).
    pub fn from_parts(
        root: &Path,
        config: SiteConfig,
        calendar: Calendar,
        mut articles: Vec<Article>,
        today: NaiveDate,
        warnings: Vec<Diagnostic>,
    ) -> Site {
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        let (keyring, _) = signoff::Keyring::new(&config);
        // Verifying signatures is the costly part: in parallel.
        let signoffs: Vec<signoff::SignOff> = {
            use rayon::prelude::*;
            articles
                .par_iter()
                .map(|a| signoff::assess(&config.review, &keyring, a))
                .collect()
        };
        let states = articles
            .iter()
            .zip(&signoffs)
            .map(|(a, s)| a.state(today, s))
            .collect();
        let translations = translations::Translations::new(&articles);
        Site {
            translations,
            root: root.to_path_buf(),
            config,
            calendar,
            articles,
            states,
            signoffs,
            keyring,
            today,
            warnings,
            withheld: Vec::new(),
            edited: Vec::new(),
            linter: None,
        }
    }

    /// For `serve`'s preview: an article that would be public but for edits
    /// made after its sign-off (a stale fingerprint, dates and everything
    /// else in order) is shown with the edited text, as public, so the
    /// editor sees the edit and other pages' links to it keep working; the
    /// preview marks its page "edits not yet approved" (`edited`). Call it
    /// before [`Site::withhold_noncompliant`], which then judges the edited
    /// text. The public build never calls it: there the article stays
    /// withheld until it is approved again.
    pub fn preview_edits(&mut self) {
        for i in 0..self.articles.len() {
            let article = &self.articles[i];
            let due = article.date <= self.today
                && article.expires.is_none_or(|e| e > self.today)
                && article.withdrawn.is_none_or(|w| w > self.today);
            if self.states[i] == State::StaleApproval
                && self.signoffs[i].verdict == verdict::Verdict::Stale
                && due
            {
                self.states[i] = State::Published;
                self.edited.push(i);
            }
        }
    }

    /// Indices of public articles, newest first.
    pub fn published(&self) -> Vec<usize> {
        (0..self.articles.len())
            .filter(|&i| self.states[i].is_public())
            .collect()
    }

    /// Count of articles per state, for the build summary.
    pub fn state_counts(&self) -> BTreeMap<State, usize> {
        let mut counts = BTreeMap::new();
        for s in &self.states {
            *counts.entry(*s).or_insert(0) += 1;
        }
        counts
    }

    pub fn article_by_slug(&self, slug: &str) -> Option<usize> {
        self.articles.iter().position(|a| a.slug == slug)
    }
}

/// What an earlier model of the same site, with the same compliance
/// settings, already decided: `serve` passes its last model and the files
/// re-read since, so a rebuild scans only those.
pub struct Prior<'a> {
    pub site: &'a Site,
    /// Paths under `content/` of the files re-read since `site` was made.
    pub dirty: &'a std::collections::BTreeSet<PathBuf>,
}

impl Prior<'_> {
    fn by_path(&self) -> std::collections::HashMap<&Path, usize> {
        let articles = self.site.articles.iter().enumerate();
        articles
            .map(|(j, a)| (a.content_path.as_path(), j))
            .collect()
    }

    /// The compliance errors of `article` as the earlier model found them,
    /// if it scanned the same text: an article it published or scheduled
    /// was clean, one it withheld for compliance had the errors it kept.
    fn verdict(
        &self,
        by_path: &std::collections::HashMap<&Path, usize>,
        article: &Article,
    ) -> Option<Vec<Diagnostic>> {
        if self.dirty.contains(&article.content_path) {
            return None;
        }
        let &j = by_path.get(article.content_path.as_path())?;
        let old = &self.site.articles[j];
        // Not re-read, so the very same text (shared, not copied).
        if !std::sync::Arc::ptr_eq(&old.raw, &article.raw) || old.source != article.source {
            return None;
        }
        match self.site.states[j] {
            State::Published | State::Scheduled => Some(Vec::new()),
            State::ComplianceWithheld => Some(
                self.site
                    .withheld
                    .iter()
                    .filter(|d| d.file == article.source && d.is_error())
                    .cloned()
                    .collect(),
            ),
            _ => None,
        }
    }
}
