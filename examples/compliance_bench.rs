//! Times the compliance scan alone on a site's articles, the way `build`
//! runs it (one shared `Linter`, files scanned in parallel with rayon),
//! and once more on one thread. For the cost figure in docs/compliance.md:
//!
//! ```sh
//! python3 /work/shared/bench/gen_corpus.py --tool healthpress --pages 10000 --out /tmp/site
//! cargo run --release --example compliance_bench -- /tmp/site/content
//! ```

use std::path::PathBuf;
use std::time::Instant;

use healthpress::compliance::{ComplianceConfig, Linter};
use rayon::prelude::*;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: compliance_bench CONTENT_DIR");
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
    let found: usize = files
        .par_iter()
        .map(|(path, text)| linter.scan(path, text).diagnostics.len())
        .sum();
    let parallel = started.elapsed();
    let started = Instant::now();
    let again: usize = files
        .iter()
        .map(|(path, text)| linter.scan(path, text).diagnostics.len())
        .sum();
    let serial = started.elapsed();
    assert_eq!(found, again);
    println!(
        "{} files, {:.1} MB: rules built in {} ms; scan {} ms on {} threads (first pass, \
         includes loading the jieba dictionary: {} ms), {} ms on one thread; {} diagnostics",
        files.len(),
        bytes as f64 / 1e6,
        built.as_millis(),
        parallel.as_millis(),
        rayon::current_num_threads(),
        healthpress::compliance::dictionary_load_time().map_or(0, |d| d.as_millis()),
        serial.as_millis(),
        found
    );
}
