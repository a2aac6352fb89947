//! Times the compliance scan alone on a site's articles, the way `build`
//! runs it (one shared `Linter`, files scanned in parallel with rayon),
//! and once more on one thread. For the cost figure in docs/compliance.md:
//!
//! ```sh
//! python3 /work/shared/bench/gen_corpus.py --tool healthpress --pages 10000 --out /tmp/site
//! cargo run --release --example compliance_bench -- /tmp/site/content
//! cargo run --example compliance_bench -- /tmp/site/content --errors   # plus every error
//! ```
//! `--errors` prints each error (`file:line:column rule: message`) and the
//! number of files with one: the articles `build` would withhold.

use std::path::PathBuf;
use std::time::Instant;

use healthpress::compliance::{ComplianceConfig, Linter};
use healthpress::diagnostics::Severity;
use rayon::prelude::*;

fn main() {
    let list_errors = std::env::args().any(|a| a == "--errors");
    let Some(dir) = std::env::args().skip(1).find(|a| a != "--errors") else {
        eprintln!("usage: compliance_bench CONTENT_DIR [--errors]");
        std::process::exit(2);
    };
    let files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            Some((
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).ok()?,
            ))
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let started = Instant::now();
    let linter = Linter::new(&ComplianceConfig::default(), &[]).expect("built-in rules");
    let built = started.elapsed();
    let started = Instant::now();
    // Each file's diagnostic count and its errors as printable lines.
    let scans: Vec<(usize, Vec<String>)> = files
        .par_iter()
        .map(|(path, text)| {
            let scan = linter.scan(path, text);
            let errors = scan
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    format!(
                        "{}:{}:{} {}: {}",
                        path.display(),
                        d.line,
                        d.column,
                        d.rule,
                        d.message
                    )
                })
                .collect();
            (scan.diagnostics.len(), errors)
        })
        .collect();
    let parallel = started.elapsed();
    let found: usize = scans.iter().map(|(n, _)| n).sum();
    // The one-thread pass is for the cost figure; a listing skips it.
    let serial = (!list_errors).then(|| {
        let started = Instant::now();
        let again: usize = files
            .iter()
            .map(|(path, text)| linter.scan(path, text).diagnostics.len())
            .sum();
        assert_eq!(found, again);
        started.elapsed()
    });
    println!(
        "{} files, {:.1} MB: rules built in {} ms; scan {} ms on {} threads (first pass, \
         includes loading the jieba dictionary: {} ms), {} on one thread; {} diagnostics",
        files.len(),
        bytes as f64 / 1e6,
        built.as_millis(),
        parallel.as_millis(),
        rayon::current_num_threads(),
        healthpress::compliance::dictionary_load_time().map_or(0, |d| d.as_millis()),
        serial.map_or("not timed".to_string(), |d| format!("{} ms", d.as_millis())),
        found
    );
    if list_errors {
        for (_, errors) in &scans {
            for line in errors {
                println!("{line}");
            }
        }
        let withheld = scans.iter().filter(|(_, e)| !e.is_empty()).count();
        println!("{withheld} of {} files have an error", files.len());
    }
}
