//! `HEALTHPRESS_TIMINGS=1`: how long each phase of a build took, on
//! stderr, for profiling large sites without a profiler. Off by default,
//! and never part of any output.

use std::time::Instant;

/// Whether `HEALTHPRESS_TIMINGS` is set.
pub fn enabled() -> bool {
    std::env::var_os("HEALTHPRESS_TIMINGS").is_some()
}

/// With timings on, prints the time since `since` for `phase`. This
/// module is the one place below the CLI that prints: profiling output on
/// request, never part of what a command reports.
pub fn since(phase: &str, since: &Instant) {
    if enabled() {
        eprintln!("timing: {phase} {:>6} ms", since.elapsed().as_millis());
    }
}

/// Times consecutive phases: each [`Laps::lap`] prints the time since the
/// previous one (or since [`Laps::new`]).
pub struct Laps {
    enabled: bool,
    /// Indent of nested phases (the render phase's parts).
    indent: &'static str,
    last: Instant,
}

impl Laps {
    pub fn new(indent: &'static str) -> Laps {
        Laps {
            enabled: enabled(),
            indent,
            last: Instant::now(),
        }
    }

    pub fn lap(&mut self, phase: &str) {
        if self.enabled {
            eprintln!(
                "timing: {}{phase:<8} {:>6} ms",
                self.indent,
                self.last.elapsed().as_millis()
            );
        }
        self.last = Instant::now();
    }
}
