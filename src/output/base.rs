//! What every part of the output module shares: the marker of our
//! folders, the error type, where the sibling trees of an output live,
//! deleting a whole tree, and the crash-test hook. Its own file so the
//! parts (guard, leftovers, recycle, swap) need not import `mod.rs`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Name of the file that marks a folder as healthpress output.
pub const MARKER: &str = ".healthpress-output";

#[derive(Debug, Error)]
pub enum OutputError {
    #[error("refusing to write output to {dir}: {why}")]
    Refused { dir: PathBuf, why: String },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("two pages want the same output file {0}")]
    Collision(PathBuf),
    #[error("output path {0} would leave the output folder")]
    Escapes(PathBuf),
}

/// The folder `target` is in and its name: the temporary, old and spare
/// trees live beside it, named after it.
pub fn folder_and_name(target: &Path) -> (&Path, String) {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// Test hook (debug builds on Unix only): `HEALTHPRESS_TEST_KILL_AT=<point>`
/// makes the build SIGKILL itself at that point, so tests can check that a
/// build killed at the worst moment still leaves complete trees.
pub fn kill_point(point: &str) {
    #[cfg(all(unix, debug_assertions))]
    if std::env::var("HEALTHPRESS_TEST_KILL_AT").is_ok_and(|p| p == point) {
        // SAFETY: sends a signal to this very process; nothing is shared.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
    #[cfg(not(all(unix, debug_assertions)))]
    let _ = point;
}

/// Threads that delete an old output tree. Deleting is bound by the disk,
/// not the CPU (on file systems mounted with `discard` each freed file waits
/// for the device), so more threads than cores overlap those waits; they are
/// a pool of their own so rendering's pool keeps one thread per core.
const DELETE_THREADS: usize = 8;

/// Removes `dir` and everything under it, deleting sibling subtrees in
/// parallel. Only called on a folder already renamed out of the way, so no
/// reader ever sees it half deleted. Falls back to `remove_dir_all` if the
/// pool cannot be created.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    on_disk_pool(|| remove_tree_in_pool(dir)).unwrap_or_else(|| fs::remove_dir_all(dir))
}

/// Runs `work` on a pool of `DELETE_THREADS` threads, for tree walks that
/// wait on the disk more than they compute; `None` if there is no pool.
pub fn on_disk_pool<R: Send>(work: impl FnOnce() -> R + Send) -> Option<R> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(DELETE_THREADS)
        .thread_name(|i| format!("healthpress-disk-{i}"))
        .build()
        .ok()
        .map(|pool| pool.install(work))
}

fn remove_tree_in_pool(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.into_par_iter().try_for_each(|entry| {
        // `file_type` does not follow symlinks, so a link to a folder is
        // removed as a link, never followed.
        if entry.file_type()?.is_dir() {
            remove_tree_in_pool(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
}
