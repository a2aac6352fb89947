//! Build progress: the library reports phases and counts through
//! `build::Progress` (it never prints); the CLI draws a line only on a
//! terminal, so a piped build's output is unchanged, and `--quiet` prints
//! nothing but problems.
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::{output_text, ArticleSpec, Fixture};
use healthpress::build::{build_with, BuildOptions, Progress};

const TODAY: &str = "2026-11-23";

#[derive(Default)]
struct Recorded {
    phases: Mutex<Vec<String>>,
    files: AtomicUsize,
}

impl Progress for Recorded {
    fn phase(&self, name: &str, _items: Option<usize>) {
        self.phases.lock().unwrap().push(name.to_string());
    }
    fn wrote(&self, files: usize) {
        self.files.fetch_add(files, Ordering::Relaxed);
    }
}

#[test]
fn the_build_reports_its_phases_and_files() {
    let site = Fixture::new();
    for i in 0..3 {
        site.article(&ArticleSpec::new(&format!("a{i}"), &format!("文章{i}")));
    }
    let mut options = BuildOptions::new(site.root());
    options.as_of = healthpress::config::dates::parse_date(TODAY);
    let progress = Recorded::default();
    let report = build_with(&options, &progress).unwrap();
    let phases = progress.phases.lock().unwrap().clone();
    for phase in [
        "loading the site",
        "indexing articles",
        "rendering articles",
    ] {
        assert!(phases.iter().any(|p| p == phase), "{phase} in {phases:?}");
    }
    assert_eq!(
        progress.files.load(Ordering::Relaxed),
        report.public.files + report.editorial.files,
        "{phases:?}"
    );
}

#[test]
fn a_piped_build_prints_no_progress_and_quiet_prints_nothing() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("one", "第一篇"));
    let out = site.run(&["build", "--as-of", TODAY]);
    assert!(out.status.success(), "{}", output_text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("rendering"), "{stderr}");
    let out = site.run(&["build", "--quiet", "--as-of", TODAY]);
    assert!(out.status.success(), "{}", output_text(&out));
    let text = output_text(&out);
    assert!(
        !text.contains("healthpress: wrote"),
        "quiet: no summary\n{text}"
    );
    assert!(!text.contains("published,"), "{text}");
}
