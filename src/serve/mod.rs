//! `healthpress serve`: live preview. The site is built into a private
//! folder (`<root>/.healthpress-serve/public`, never `public/`), served on
//! 127.0.0.1 by default, and rebuilt when its sources change: article edits
//! incrementally ([`incremental`]), anything else in full. After every
//! rebuild, good or failed, open pages reload through a server-sent event
//! stream; a failed rebuild keeps the last good output and shows the
//! error, worded as `healthpress build` words it, as an overlay. Nothing
//! here prints: what a person should read is handed to the CLI as a
//! [`Message`].

mod background;
mod drafts;
pub mod files;
pub mod http;
pub mod incremental;
pub mod report;
mod rerender;
pub mod server;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use thiserror::Error;

use crate::diagnostics::Diagnostic;
use background::Finished;
use http::{HostPolicy, Router, Shared};
use incremental::{Model, Settings};
use report::{RebuildError, Report};
use watch::Change;

/// Name of the private folder in the site root that `serve` builds into.
pub const SERVE_DIR: &str = ".healthpress-serve";

/// Longest a burst of events may delay a rebuild.
const MAX_BATCH_WAIT: Duration = Duration::from_millis(2000);
/// An event this soon after a rebuild ended is part of a burst of saves...
const BURST_GAP: Duration = Duration::from_millis(500);
/// ...and the burst is rebuilt once it has been quiet this long.
const BURST_QUIET: Duration = Duration::from_millis(300);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub as_of: Option<NaiveDate>,
    pub debounce: Duration,
}

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {why}")]
    Bind { addr: SocketAddr, why: String },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error("no site.yaml in {0}")]
    NoSite(PathBuf),
}

/// What `serve` has to say, for the CLI to print.
#[derive(Debug)]
pub enum Message {
    /// The server is up.
    Serving {
        url: String,
        folder: PathBuf,
        drafts: bool,
    },
    /// It listens on an address other machines can reach.
    Exposed(IpAddr),
    /// A rebuild succeeded: its warnings, and a one-line summary.
    Rebuilt {
        warnings: Vec<Diagnostic>,
        summary: String,
    },
    /// A rebuild failed; the text is what `healthpress build` would print.
    Failed(String),
    /// The file watcher reported a problem.
    WatchError(String),
}

/// Runs the preview server until the process is stopped, handing every
/// message to `tell`.
pub fn run(options: &ServeOptions, tell: fn(Message)) -> Result<(), ServeError> {
    let root = options.root.clone();
    if !root.join("site.yaml").is_file() {
        return Err(ServeError::NoSite(root));
    }
    let settings = Settings {
        root: root.clone(),
        as_of: options.as_of,
        drafts: options.drafts,
        public_dir: root.join(SERVE_DIR).join("public"),
        editorial_dir: root.join(SERVE_DIR).join("editorial"),
    };
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(addr).map_err(|e| ServeError::Bind {
        addr,
        why: e.to_string(),
    })?;
    let local = listener.local_addr().unwrap_or(addr);
    if !options.bind.is_loopback() {
        tell(Message::Exposed(options.bind));
    }

    // Watch before the first build so no edit made during it is lost.
    let (tx, rx) = mpsc::channel();
    let _watcher = watch::start(&root, tx)?;

    let shared = Arc::new(Shared::default());
    let mut model = rebuild_full(&settings, &shared, "first build", tell);
    // Connections made during the first build wait in the listen queue.
    let router = Router {
        root: settings.public_dir.clone(),
        wechat: settings.editorial_dir.join("wechat"),
        hosts: HostPolicy { bind: options.bind },
        shared: Arc::clone(&shared),
    };
    server::start(listener, Arc::new(router), server::Limits::default());
    tell(Message::Serving {
        url: format!("http://{local}/"),
        folder: settings.public_dir.clone(),
        drafts: options.drafts,
    });

    let pacing = watch::Pacing {
        quiet: options.debounce,
        burst_gap: BURST_GAP,
        burst_quiet: BURST_QUIET,
        max_wait: MAX_BATCH_WAIT,
    };
    let mut last_rebuild = Some(Instant::now());
    while let Some(batch) = watch::next_batch(&rx, &pacing, last_rebuild) {
        for error in batch.errors {
            tell(Message::WatchError(error));
        }
        let paths = batch.paths;
        if paths.is_empty() {
            if model.as_ref().is_some_and(Model::day_changed) {
                if let Some(m) = model.as_mut() {
                    m.stop_background();
                    shared.set_quietly(|s| s.background = false);
                }
                model = rebuild_full(&settings, &shared, "a new day began", tell);
            }
            continue;
        }
        let Some(change) = watch::classify(&root, paths) else {
            continue;
        };
        // A newer change makes the last one's background work moot, and
        // nothing else may write to the serve folder while it runs.
        if let Some(m) = model.as_mut() {
            m.stop_background();
            shared.set_quietly(|s| s.background = false);
        }
        model = match (model, change) {
            (Some(mut m), Change::Articles(files)) => {
                let started = Instant::now();
                match m.update_articles(&files) {
                    Ok(Ok(report)) => {
                        finish(
                            &shared,
                            &settings,
                            Ok(&report),
                            false,
                            started,
                            Some(&m),
                            tell,
                        );
                        shared.set_quietly(|s| s.background = true);
                        let deferred = &report.deferred;
                        if !m.start_background(deferred, background_done(&shared, tell)) {
                            shared.set_quietly(|s| s.background = false);
                        }
                        Some(m)
                    }
                    // If the full build fails too, the output is still the last
                    // good one; a model that still describes it is kept, so
                    // the fix is rebuilt incrementally.
                    Ok(Err(fallback)) => {
                        let full = rebuild_full(&settings, &shared, &fallback.reason, tell);
                        if fallback.model_still_valid {
                            full.or(Some(m))
                        } else {
                            full
                        }
                    }
                    Err(e) => {
                        finish(&shared, &settings, Err(&e), false, started, None, tell);
                        Some(m)
                    }
                }
            }
            (_, Change::Full(reason)) => {
                rebuild_full(&settings, &shared, &format!("{reason} changed"), tell)
            }
            (None, Change::Articles(_)) => {
                rebuild_full(&settings, &shared, "retrying after an error", tell)
            }
        };
        last_rebuild = Some(Instant::now());
    }
    Ok(())
}

/// What serve does when a background job (the search re-index after an
/// edit) finished: tells the CLI, and the status endpoint, without
/// reloading open pages (their content did not change).
fn background_done(shared: &Arc<Shared>, tell: fn(Message)) -> Box<dyn FnOnce(Finished) + Send> {
    let shared = Arc::clone(shared);
    Box::new(move |finished: Finished| {
        shared.set_quietly(|s| s.background = false);
        tell(Message::Rebuilt {
            summary: format!(
                "healthpress: {} updated in the background: wrote {}, removed {} file(s) in {} ms",
                finished.names.join(", "),
                finished.written,
                finished.removed,
                finished.took.as_millis()
            ),
            warnings: finished.problems,
        });
    })
}

/// A full build; on failure the previous output stays (build is atomic)
/// and the model is dropped, so the next change retries in full.
fn rebuild_full(
    settings: &Settings,
    shared: &Shared,
    reason: &str,
    tell: fn(Message),
) -> Option<Model> {
    let started = Instant::now();
    match Model::full(settings) {
        Ok((model, mut report)) => {
            report.reason = reason.to_string();
            finish(
                shared,
                settings,
                Ok(&report),
                true,
                started,
                Some(&model),
                tell,
            );
            Some(model)
        }
        Err(e) => {
            finish(shared, settings, Err(&e), true, started, None, tell);
            None
        }
    }
}

/// Reports one rebuild to the CLI and tells the browsers.
#[allow(clippy::too_many_arguments)]
fn finish(
    shared: &Shared,
    settings: &Settings,
    result: Result<&Report, &RebuildError>,
    full: bool,
    started: Instant,
    model: Option<&Model>,
    tell: fn(Message),
) {
    let ms = started.elapsed().as_millis();
    let error = match result {
        Ok(report) => {
            let why = if report.reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", report.reason)
            };
            let mut shown = report.warnings.clone();
            shown.extend(report.withheld.iter().cloned());
            tell(Message::Rebuilt {
                warnings: shown,
                summary: format!(
                    "healthpress: {} rebuild{why}: rendered {}, wrote {}, removed {} file(s) in {ms} ms",
                    report.kind, report.rendered, report.written, report.removed
                ),
            });
            None
        }
        Err(e) => {
            let text = e.cli_text(&settings.public_dir);
            tell(Message::Failed(text.clone()));
            Some(text)
        }
    };
    // Articles withheld by their own errors: the rest of the preview is
    // current, and every page says which articles are missing and why.
    let withheld = match result {
        Ok(report) if report.withheld.iter().any(Diagnostic::is_error) => {
            Some(withheld_text(&report.withheld))
        }
        _ => None,
    };
    shared.update(|s| {
        s.rebuilds += 1;
        if error.is_none() {
            s.withheld = withheld;
        }
        if full {
            s.full_rebuilds += 1;
        }
        s.last_ms = ms;
        s.error = error;
        // A failed rebuild keeps the last good output, and so its base path.
        if let Some(m) = model {
            s.drafts = m.draft_pages.clone();
            s.edited = m.edited_pages();
            s.base_path = m.site.config.base_path();
        }
    });
}

/// The overlay text for articles withheld by errors: each error as the CLI
/// prints it, and what it means.
fn withheld_text(withheld: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = withheld.iter().filter(|d| d.is_error()).collect();
    let mut files: Vec<&std::path::Path> = errors.iter().map(|d| d.file.as_path()).collect();
    files.dedup();
    let mut text: String = errors.iter().map(|d| format!("{d}\n")).collect();
    text += &format!(
        "healthpress: {} article(s) withheld because of errors; `healthpress build` leaves them out of public/ too, and builds the rest of the site",
        files.len()
    );
    text
}
