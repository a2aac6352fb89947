//! `check`: every problem in the site in one run, for pull requests. It runs
//! what the build validates (loading, front matter, site.yaml, calendar,
//! taxonomy terms, people, slugs, the theme, links between articles) and
//! adds the compliance linter and the review rules, without writing any
//! output (the public site is test-rendered into a scratch folder that is
//! deleted). Unlike the build it does not stop when loading finds errors: an
//! article whose front matter is broken is still scanned for compliance.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use crate::build::render_folder;
use crate::compliance::{Linter, Suppression};
use crate::diagnostics::{self, Diagnostic};
use crate::load;
use crate::model::{today_in, Site, State};
use crate::output::Staging;
use crate::render::body::BodyRenderer;
use crate::render::index::{AnyLinks, Index, PublicLinks};
use crate::render::theme::Theme;
use crate::render::views::Urls;
use crate::render::Folder;
use crate::validate;

/// Problems that stop `check` before it can look at articles: the site's
/// configuration is missing or unusable. The CLI exits 2 on these.
#[derive(Debug, Error)]
pub enum CheckError {
    /// site.yaml is missing, unreadable or does not parse.
    #[error("the site configuration is unusable")]
    Config(Vec<Diagnostic>),
    /// The `compliance:` section of site.yaml does not make a rule set.
    #[error("site.yaml compliance: {0}")]
    Rules(String),
}

#[derive(Debug, Default)]
pub struct CheckReport {
    pub today: Option<NaiveDate>,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Every valid suppression comment, whether or not it hid anything.
    pub suppressions: Vec<Suppression>,
    pub articles: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// What [`check_site`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Judge publishing and review dates as of this day (default: today in
    /// the site's time zone).
    pub as_of: Option<NaiveDate>,
    /// Test-render the whole public site and its digests, so template and
    /// output problems surface too. `approve`, which only needs the errors
    /// in a few files, turns it off.
    pub dry_render: bool,
    /// Warn ahead of time about links to articles that end or go live
    /// within this many days.
    pub horizon_days: i64,
    /// Judge every article's links as if it were public (only public
    /// targets count). `approve` sets it: the article it signs off is about
    /// to go live, and a link to a draft, a stale approval or an expired
    /// article would then show as plain text.
    pub links_as_public: bool,
}

/// The default warning horizon of `check --horizon`.
pub const DEFAULT_HORIZON_DAYS: i64 = 14;

/// Checks the site at `root`.
pub fn check_site(root: &Path, options: &CheckOptions) -> Result<CheckReport, CheckError> {
    let (sources, mut problems) = load::load(root);
    let Some(sources) = sources else {
        return Err(CheckError::Config(problems));
    };
    let linter = Linter::new(&sources.config.compliance, &sources.config.contact)
        .map_err(CheckError::Rules)?;
    let mut report = CheckReport::default();

    // The build's validations, in the build's order.
    problems.extend(validate::check_sources(&sources));
    let theme = match Theme::load(root, sources.config.theme_name()) {
        Ok(theme) => Some(theme),
        Err(theme_problems) => {
            problems.extend(theme_problems);
            None
        }
    };
    // Whether the build would get past validation: an article's own errors,
    // compliance and review findings do not stop a build (they withhold
    // that article); errors of site.yaml, calendar.yaml or the theme do.
    let (confined, site_wide) = validate::confined_to_articles(problems, &sources.articles);
    let build_valid = !site_wide.iter().any(Diagnostic::is_error);
    let mut problems = site_wide;
    problems.extend(confined.iter().cloned());

    // Compliance: parsed articles from memory; files that failed to parse
    // (named by a loading error) from disk, so their text is checked too.
    let parsed: BTreeSet<PathBuf> = sources.articles.iter().map(|a| a.source.clone()).collect();
    let mut scan = |file: &Path, text: &str, problems: &mut Vec<Diagnostic>| {
        let found = linter.scan(file, text);
        problems.extend(found.diagnostics);
        report.suppressions.extend(found.suppressions);
    };
    for article in &sources.articles {
        scan(&article.source, &article.raw, &mut problems);
    }
    let unparsed: BTreeSet<PathBuf> = problems
        .iter()
        .filter(|d| d.file.starts_with("content") && d.file.extension().is_some_and(|x| x == "md"))
        .map(|d| d.file.clone())
        .filter(|f| !parsed.contains(f))
        .collect();
    for file in unparsed {
        // Never follow a symbolic link (the loader refuses them too).
        let path = root.join(&file);
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(&path) {
            scan(&file, &text, &mut problems);
        }
    }

    // Publishing states, links and review rules.
    let today = today_in(&sources.config, options.as_of);
    report.today = Some(today);
    report.articles = sources.articles.len();
    let mut site = Site::from_parts(
        root,
        sources.config,
        sources.calendar,
        sources.articles,
        today,
        Vec::new(),
    );
    // The build withholds articles with errors of their own and with
    // compliance errors; so does the dry render (the errors themselves were
    // reported above).
    site.withhold_invalid(confined);
    site.withhold_noncompliant(&linter);

    // Render the public site as the build would, into a throwaway folder,
    // so template and output problems surface here too. Its article pages
    // report the problems in every published body.
    let mut bodies_rendered = false;
    if let Some(theme) = theme.as_ref().filter(|_| build_valid && options.dry_render) {
        match dry_render(&site, theme) {
            Ok(found) => {
                problems.extend(found);
                bodies_rendered = true;
            }
            Err(could_not) => problems.push(could_not),
        }
    }

    let urls = Urls::new(&site.config);
    let public = PublicLinks::with_horizon(&site, &urls, Some(options.horizon_days.max(0)));
    let any = AnyLinks::new(&site, &urls);
    let bodies = BodyRenderer::new(&site, theme.as_ref());
    for (i, article) in site.articles.iter().enumerate() {
        // A public page must only link to public pages (the build's rule);
        // an unpublished article only needs its link targets to exist.
        if site.states[i] != State::Published && !options.links_as_public {
            problems.extend(bodies.render(article, &any).1);
        } else {
            // The dry render reported the body's problems, but not the
            // links that will break within the horizon.
            let found = bodies.render(article, &public).1;
            problems.extend(
                found
                    .into_iter()
                    .filter(|d| !bodies_rendered || d.rule == "link-ending-soon"),
            );
        }
        // An article whose file does not read has its errors reported;
        // judging the sign-off of its defaulted fields would only add noise.
        if site.states[i] != State::Invalid {
            problems.extend(super::check_review(
                &site.config,
                article,
                &site.signoffs[i],
                today,
            ));
        }
    }

    diagnostics::sort(&mut problems);
    report.diagnostics = problems;
    report
        .suppressions
        .sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));
    Ok(report)
}

/// Renders the public site into a scratch folder under the system temp
/// folder, then deletes it; returns what rendering reported, or a warning
/// when the scratch folder could not be set up (nothing was rendered).
fn dry_render(site: &Site, theme: &Theme) -> Result<Vec<Diagnostic>, Diagnostic> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let scratch =
        std::env::temp_dir().join(format!("healthpress-check-{}-{nanos}", std::process::id()));
    let found = match std::fs::create_dir(&scratch) {
        Err(e) => Err(Diagnostic::warning(
            "dry-render",
            "site.yaml",
            format!(
                "could not test-render the site ({}: {e})",
                scratch.display()
            ),
        )),
        Ok(()) => {
            let mut index = Index::new(site, theme);
            // Images are probed (and their problems reported) by the
            // bodies; encoding variants into a scratch folder is wasted.
            index.publish_files = false;
            match Staging::new(&site.root, &scratch.join("public")) {
                Err(e) => Err(Diagnostic::warning(
                    "dry-render",
                    "site.yaml",
                    e.to_string(),
                )),
                Ok(staging) => {
                    let rendered = render_folder(&index, Folder::Public, &staging);
                    // A full scratch disk is one warning, not one per file.
                    match (staging.check_environment(), rendered) {
                        (Err(e), _) => Err(Diagnostic::warning(
                            "dry-render",
                            "site.yaml",
                            e.to_string(),
                        )),
                        (Ok(()), Ok(rendered)) => {
                            Ok([rendered.problems, rendered.confined].concat())
                        }
                        (Ok(()), Err(problems)) => Ok(problems),
                    }
                }
            }
        }
    };
    let _ = std::fs::remove_dir_all(&scratch);
    found
}
