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
        self.withhold_noncompliant_with(linter, None, None);
    }

    /// [`Site::withhold_noncompliant`], taking each article's verdict from
    /// `earlier` (serve's last model) when it scanned the same text, else
    /// skipping the files `cache` knows were clean (and remembering the
    /// ones found clean now).
    pub fn withhold_noncompliant_with(
        &mut self,
        linter: &Linter,
        cache: Option<&ScanCache>,
        earlier: Option<&Site>,
    ) {
        // Scanning (segmentation included) is the costly part: in parallel,
        // then applied in article order so the output stays deterministic.
        use rayon::prelude::*;
        let states = &self.states;
        let by_path: Option<std::collections::HashMap<&Path, usize>> = earlier.map(|e| {
            let articles = e.articles.iter().enumerate();
            articles
                .map(|(j, a)| (a.content_path.as_path(), j))
                .collect()
        });
        let found: Vec<(usize, Vec<Diagnostic>)> = self
            .articles
            .par_iter()
            .enumerate()
            .filter(|(i, _)| matches!(states[*i], State::Published | State::Scheduled))
            .map(|(i, article)| {
                if let (Some(e), Some(map)) = (earlier, &by_path) {
                    if let Some(errors) = earlier_verdict(e, map, article) {
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

/// The compliance errors of `article` as `earlier` (a model of the same
/// site with the same compliance settings) found them, if it scanned the
/// very same text: an article it published or scheduled was clean, one it
/// withheld for compliance had the errors it kept. `serve` shares the text
/// of every file it did not re-read between models, so the same
/// allocation (`Arc::ptr_eq`) means the same, unchanged file.
fn earlier_verdict(
    earlier: &Site,
    by_path: &std::collections::HashMap<&Path, usize>,
    article: &Article,
) -> Option<Vec<Diagnostic>> {
    let &j = by_path.get(article.content_path.as_path())?;
    let old = &earlier.articles[j];
    if !std::sync::Arc::ptr_eq(&old.raw, &article.raw) || old.source != article.source {
        return None;
    }
    match earlier.states[j] {
        State::Published | State::Scheduled => Some(Vec::new()),
        State::ComplianceWithheld => Some(
            earlier
                .withheld
                .iter()
                .filter(|d| d.file == article.source && d.is_error())
                .cloned()
                .collect(),
        ),
        _ => None,
    }
}
