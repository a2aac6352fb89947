//! Writing output atomically. A build renders into a sibling staging folder
//! (`.healthpress-tmp-public-<pid>`) and only when everything succeeded swaps
//! it in place of `public/`; a failed build discards the staging folder and
//! leaves the previous output byte-identical. The staging folder starts
//! empty, or as the tree the previous swap took out (`recycle.rs`), and
//! files equal to the current output's are hard-linked from it (`reuse`):
//! on a rebuild that is most of them, and creating and deleting ~15,000
//! files and folders per build was most of the time a rebuild took.
//!
//! The swap itself is one atomic exchange (`swap.rs`), so the output path
//! always names a complete tree; trees left by killed builds are cleared by
//! the next one (`leftovers.rs`).
//!
//! Output folders carry a marker file. A non-empty folder without it is not
//! ours, so we refuse to replace it rather than delete someone's files, and
//! we never write into the site root or a folder holding the site's sources
//! (`guard.rs`). An output that is a symbolic link to a folder healthpress
//! marked is replaced where the link points, and the link is left alone.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

mod base;
pub mod cache_file;
mod digests;
mod guard;
mod leftovers;
mod recycle;
mod swap;
mod written;

use base::{folder_and_name, kill_point, on_disk_pool};
pub use base::{remove_tree, OutputError, MARKER};

pub(crate) use guard::absolute;
pub(crate) use guard::check_separate;
pub use guard::marked_ancestor;

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where a renderer writes its files: a build's [`Staging`] folder, or the
/// folder `serve` keeps up to date. Paths are relative to the output folder
/// (`articles/x/index.html`); safe to call from many threads.
pub trait Writer: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError>;
}

impl Writer for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        Staging::write(self, rel, bytes)
    }
}

/// A folder being filled; becomes the real output on `commit`.
pub struct Staging {
    /// The output folder as the user named it (for messages).
    target: PathBuf,
    /// The folder actually replaced: `target`, or where a link at `target`
    /// leads (see `guard::check_target`).
    real: PathBuf,
    temp: PathBuf,
    /// The current output, if it is ours: unchanged files are hard-linked
    /// from it instead of written again (see `reuse`).
    previous: Option<PathBuf>,
    /// `temp` started as the previous build's spare tree, so files in it may
    /// be stale: each write checks what is there, and `commit` prunes what
    /// this build did not write.
    recycled: bool,
    written: Mutex<HashSet<PathBuf>>,
    /// Folders (relative) this build has made sure of: real folders, no
    /// link or file in their way. Most files share their folder with
    /// others or with a page before them, and checking the path again
    /// cost two to four system calls per file.
    ready_dirs: Mutex<HashSet<PathBuf>>,
    /// What was recorded of the files in `temp` (when recycled) and in
    /// `previous` when their trees were written (see [`digests`]).
    known_temp: digests::Digests,
    known_previous: digests::Digests,
    /// Each file of this build's tree as written, saved at the commit.
    records: Mutex<Vec<(PathBuf, digests::Record)>>,
    /// Bytes and files written, and the first write the file system refused.
    log: written::Written,
    committed: bool,
}

impl Staging {
    /// Prepares to replace `target`. `site_root` is the folder with site.yaml.
    pub fn new(site_root: &Path, target: &Path) -> Result<Staging, OutputError> {
        let real = guard::check_target(site_root, target)?;
        let (parent, name) = folder_and_name(&real);
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        leftovers::clear(parent, &name, &real);
        let temp = parent.join(leftovers::staging_name(&name, std::process::id()));
        remove_ours(&temp).map_err(io_err(&temp))?;
        let recycled = recycle::take_spare(&real, &temp);
        if !recycled {
            fs::create_dir_all(&temp).map_err(io_err(&temp))?;
        }
        // Never write into a recycled file in place: it may be a hard link
        // to a file of the output being served.
        let _ = fs::remove_file(temp.join(MARKER));
        fs::write(
            temp.join(MARKER),
            "This folder is written by healthpress build; it is replaced on every build.\n",
        )
        .map_err(io_err(&temp))?;
        let previous = guard::is_marked_folder(&real).then(|| real.clone());
        let known_temp = match recycled {
            true => digests::Digests::load(&recycle::digests_path(&real, false)),
            false => digests::Digests::default(),
        };
        let known_previous = match previous {
            Some(_) => digests::Digests::load(&recycle::digests_path(&real, true)),
            None => digests::Digests::default(),
        };
        Ok(Staging {
            target: target.to_path_buf(),
            real,
            temp,
            previous,
            recycled,
            written: Mutex::new(HashSet::new()),
            ready_dirs: Mutex::new(HashSet::new()),
            known_temp,
            known_previous,
            records: Mutex::new(Vec::new()),
            log: written::Written::default(),
            committed: false,
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` at `rel` (a relative path with only normal components).
    /// Safe to call from many threads. After the file system refused one
    /// write, later ones fail at once ([`Staging::check_environment`]).
    pub fn write(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<(), OutputError> {
        if self.log.failed() {
            return Err(OutputError::Stopped);
        }
        match self.write_file(rel.as_ref(), bytes) {
            Ok(()) => {
                self.log.wrote(bytes.len());
                Ok(())
            }
            Err(OutputError::Io { path, source }) => {
                self.log.fail(&path, &source);
                Err(OutputError::Io { path, source })
            }
            Err(other) => Err(other),
        }
    }

    /// The one error to report if the file system refused a write (full
    /// disk, quota, read-only mount), naming the folder and how much had
    /// been written; the per-file errors it caused are then noise.
    pub fn check_environment(&self) -> Result<(), OutputError> {
        match self.log.take_failure(&self.target) {
            Some(failure) => Err(failure),
            None => Ok(()),
        }
    }

    /// Writes `bytes` at `rel` (see [`Staging::write`], which logs it).
    fn write_file(&self, rel: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        if rel.as_os_str().is_empty()
            || !rel.components().all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(OutputError::Escapes(rel.to_path_buf()));
        }
        // Case-insensitive file systems (macOS, Windows hosts) would merge
        // paths that differ only by case, so treat those as collisions too.
        let key = PathBuf::from(rel.to_string_lossy().to_lowercase());
        if !self
            .written
            .lock()
            .expect("output registry poisoned")
            .insert(key)
        {
            return Err(OutputError::Collision(rel.to_path_buf()));
        }
        let path = self.temp.join(rel);
        let rel_dir = rel.parent().unwrap_or(Path::new(""));
        let dir_ready = self
            .ready_dirs
            .lock()
            .map(|ready| ready.contains(rel_dir))
            .unwrap_or(false);
        if self.recycled && !dir_ready {
            // A recycled tree was public/, where anyone may have put a
            // symlink or a file where this build needs a folder. Replace
            // those first, so nothing below ever reads, deletes or writes
            // through a link to outside the output.
            recycle::clear_folder_path(&self.temp, rel_dir).map_err(io_err(&path))?;
        }
        let hash = digests::hash(bytes);
        if self.recycled {
            let known = self.known_temp.get(rel);
            if let Some(meta) = recycle::settle(&path, bytes, hash, known).map_err(io_err(&path))? {
                self.mark_ready(rel_dir);
                self.record(rel, &meta, hash);
                return Ok(());
            }
        }
        if !dir_ready {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(io_err(dir))?;
            }
            self.mark_ready(rel_dir);
        }
        if let Some(previous) = &self.previous {
            let known = self.known_previous.get(rel);
            if recycle::only_folders(previous, rel_dir) {
                if let Some(meta) = reuse(&previous.join(rel), &path, bytes, hash, known) {
                    self.record(rel, &meta, hash);
                    return Ok(());
                }
            }
        }
        let mut file = fs::File::create(&path).map_err(io_err(&path))?;
        file.write_all(bytes).map_err(io_err(&path))?;
        if let Ok(meta) = file.metadata() {
            self.record(rel, &meta, hash);
        }
        Ok(())
    }

    fn record(&self, rel: &Path, meta: &fs::Metadata, hash: u64) {
        if let Ok(mut records) = self.records.lock() {
            records.push((rel.to_path_buf(), digests::Record::of(meta, hash)));
        }
    }

    fn mark_ready(&self, rel_dir: &Path) {
        if let Ok(mut ready) = self.ready_dirs.lock() {
            ready.insert(rel_dir.to_path_buf());
        }
    }

    /// Number of files written so far (the marker not counted).
    pub fn count(&self) -> usize {
        self.written.lock().map(|w| w.len()).unwrap_or(0)
    }

    /// Swaps the staged folder in place of the target. Once this returns
    /// Ok the new tree is live; tidying up after it is best effort (what is
    /// left is cleared by the next build), so an error always means the
    /// previous output is still in place.
    pub fn commit(self) -> Result<(), OutputError> {
        commit_all(vec![self]).map_err(|failed| failed.error)
    }

    /// Step one of a commit: the new tree goes live.
    fn swap(&mut self) -> Result<swap::Swapped, OutputError> {
        if self.recycled {
            let written = self.written.lock().expect("output registry poisoned");
            let prune = || recycle::prune(&self.temp, &written);
            on_disk_pool(prune)
                .unwrap_or_else(prune)
                .map_err(io_err(&self.temp))?;
        }
        let aside = self.aside();
        remove_ours(&aside).map_err(io_err(&aside))?;
        let name = self.name();
        kill_point(&format!("before-swap:{name}"));
        let swapped =
            swap::swap_in(&self.temp, &self.real, &aside, &name).map_err(io_err(&self.target))?;
        kill_point(&format!("after-swap:{name}"));
        Ok(swapped)
    }

    /// Puts the previous tree back after `swap` (another output failed to
    /// swap). Returns whether the previous output is in place again.
    fn undo(&mut self, swapped: &swap::Swapped) -> bool {
        match swapped {
            swap::Swapped::Fresh => fs::rename(&self.real, &self.temp).is_ok(),
            swap::Swapped::Exchanged => {
                swap::swap_in(&self.temp, &self.real, &self.aside(), &self.name()).is_ok()
            }
            swap::Swapped::MovedAside => {
                fs::rename(&self.real, &self.temp).is_ok()
                    && fs::rename(self.aside(), &self.real).is_ok()
            }
        }
    }

    /// Step two: the tree that was swapped out becomes the spare.
    fn finish(mut self, swapped: swap::Swapped) {
        self.committed = true;
        self.save_records();
        let previous = match swapped {
            swap::Swapped::Fresh => return,
            swap::Swapped::Exchanged => self.temp.clone(),
            swap::Swapped::MovedAside => self.aside(),
        };
        if guard::is_marked_folder(&previous) {
            let _ = recycle::keep_as_spare(&self.real, &previous);
        } else {
            // An empty folder the user made for the first build: only
            // `remove_dir`, which cannot delete anything in it.
            let _ = fs::remove_dir(&previous);
        }
    }

    /// The tree just swapped out (described by the live records) is about
    /// to become the spare: its records follow it, and this build's tree's
    /// records become the live ones. Best effort: a missing or stale record
    /// only costs a read next time.
    fn save_records(&mut self) {
        let (live, spare) = (
            recycle::digests_path(&self.real, true),
            recycle::digests_path(&self.real, false),
        );
        if !live.parent().is_some_and(recycle::make_cache_dir) {
            return;
        }
        if fs::rename(&live, &spare).is_err() {
            let _ = fs::remove_file(&spare);
        }
        let mut records = std::mem::take(&mut *self.records.lock().expect("records poisoned"));
        records.sort_by(|a, b| a.0.cmp(&b.0));
        digests::Digests::save(&live, &records);
    }

    fn name(&self) -> String {
        folder_and_name(&self.real).1
    }

    fn aside(&self) -> PathBuf {
        let (parent, name) = folder_and_name(&self.real);
        parent.join(leftovers::aside_name(&name, std::process::id()))
    }
}

/// Why `commit_all` failed, and what it left where.
#[derive(Debug)]
pub struct CommitFailed {
    pub error: OutputError,
    /// Outputs that were swapped in and could not be put back: these hold
    /// the new tree, all others their previous one.
    pub updated: Vec<PathBuf>,
}

/// Swaps several staged outputs in, all or none: if one cannot be swapped,
/// those already swapped are swapped back, so a failure leaves every output
/// as it was (each step is atomic on its own; the set is not, if the
/// process dies between two swaps).
pub fn commit_all(mut stagings: Vec<Staging>) -> Result<(), CommitFailed> {
    let mut swapped = Vec::with_capacity(stagings.len());
    for k in 0..stagings.len() {
        match stagings[k].swap() {
            Ok(s) => swapped.push(s),
            Err(error) => {
                let mut updated = Vec::new();
                for (staging, how) in stagings.iter_mut().zip(&swapped) {
                    if !staging.undo(how) {
                        updated.push(staging.target.clone());
                    }
                }
                return Err(CommitFailed { error, updated });
            }
        }
    }
    for (staging, how) in stagings.into_iter().zip(swapped) {
        staging.finish(how);
    }
    Ok(())
}

/// Removes `path` if it is a link (the link, not its target), an empty
/// folder, or a folder carrying the marker; refuses anything else.
fn remove_ours(path: &Path) -> io::Result<()> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return fs::remove_file(path);
    }
    if guard::is_marked_folder(path) {
        return remove_tree(path);
    }
    fs::remove_dir(path).map_err(|_| {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{MARKER} is missing, so it is not healthpress's to delete"),
        )
    })
}

/// Hard-links `old` (the same file in the current output) at `new` if it
/// already holds exactly `bytes`; returns the linked file's metadata if it
/// did (a link changes neither its length, time nor inode). On a rebuild most
/// pages are unchanged, and a link costs no new inode, no data write, and
/// no freeing when the old tree is deleted, which is where a rebuild spent
/// its time. The old file is only read, never changed, so a failed build
/// still leaves the previous output byte-identical. Files with other links
/// are skipped: sharing their inode would let an edit elsewhere reach the
/// new output.
fn reuse(
    old: &Path,
    new: &Path,
    bytes: &[u8],
    hash: u64,
    known: Option<&digests::Record>,
) -> Option<fs::Metadata> {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;

    let meta = fs::symlink_metadata(old).ok()?;
    #[cfg(unix)]
    let single = meta.nlink() == 1;
    #[cfg(not(unix))]
    let single = true;
    let linked =
        single && recycle::holds(old, &meta, bytes, hash, known) && fs::hard_link(old, new).is_ok();
    linked.then_some(meta)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A tree that came from the spare goes back there: its files are
            // checked on every use, and deleting it would make the next
            // build (e.g. after fixing the error) start from nothing.
            let _ = if self.recycled {
                recycle::keep_as_spare(&self.real, &self.temp)
            } else {
                remove_tree(&self.temp)
            };
        }
    }
}

#[cfg(test)]
mod tests;
