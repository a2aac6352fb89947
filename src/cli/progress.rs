//! Progress on a terminal for builds that take a while: a spinner line on
//! stderr naming the phase and what is done so far (`rendering articles ·
//! 1,200 files`), shown only after about a second (quick builds print
//! nothing extra), never when stderr is not a terminal (CI logs, pipes)
//! or with `--quiet`. The build reports phases through
//! [`crate::build::Progress`]; only this layer draws.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::Progress;

/// How long a build runs before its progress line appears.
const SHOW_AFTER: Duration = Duration::from_millis(1000);

/// A spinner on stderr, hidden until [`SHOW_AFTER`].
pub struct Terminal {
    bar: ProgressBar,
    files: AtomicUsize,
}

impl Terminal {
    /// The progress line, or `None` when it must not be drawn (`quiet`, or
    /// stderr is not a terminal).
    pub fn start(quiet: bool) -> Option<Terminal> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message("loading the site");
        let later = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if !later.is_finished() {
                later.set_draw_target(ProgressDrawTarget::stderr());
                later.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Some(Terminal {
            bar,
            files: AtomicUsize::new(0),
        })
    }

    /// Removes the line before the summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Terminal {
    fn phase(&self, name: &str, items: Option<usize>) {
        let files = self.files.load(Ordering::Relaxed);
        let what = match items {
            Some(n) => format!("{name} ({n})"),
            None => name.to_string(),
        };
        self.bar.set_message(if files == 0 {
            what
        } else {
            format!("{what} · {files} files written")
        });
    }

    fn wrote(&self, files: usize) {
        self.files.fetch_add(files, Ordering::Relaxed);
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
