//! Writing output atomically. A build renders into a sibling staging folder
//! (`.healthpress-tmp-public-<pid>`) and only when everything succeeded swaps
//! it in place of `public/`; a failed build discards the staging folder and
//! leaves the previous output byte-identical. The staging folder starts
//! empty, or as the tree the previous swap took out (`recycle.rs`), and
//! files equal to the current output's are hard-linked from it (`reuse`):
//! on a rebuild that is most of them, and creating and deleting ~15,000
//! files and folders per build was most of the time a rebuild took.
//!
//! Output folders carry a marker file. A non-empty folder without it is not
//! ours, so we refuse to replace it rather than delete someone's files, and
//! we never write into the site root or a folder holding the site's sources.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use thiserror::Error;

mod recycle;
mod written;

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
    /// The file system refused a write (full disk, quota, read-only): one
    /// error for the whole build instead of one per file.
    #[error("cannot write {dir}: {source} (at {path}); {files} file(s) ({written}) had been written to the staging folder, which was removed; free disk space (or choose another folder with --out) and build again")]
    Environment {
        dir: PathBuf,
        path: PathBuf,
        source: io::Error,
        files: usize,
        written: String,
    },
    /// A write after an environment failure, not attempted.
    #[error("not written: an earlier write to the output failed")]
    Stopped,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A folder being filled; becomes the real output on `commit`.
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    /// The current output, if it is ours: unchanged files are hard-linked
    /// from it instead of written again (see `reuse`).
    previous: Option<PathBuf>,
    /// `temp` started as the previous build's spare tree, so files in it may
    /// be stale: each write checks what is there, and `commit` prunes what
    /// this build did not write.
    recycled: bool,
    written: Mutex<HashSet<PathBuf>>,
    /// Bytes and files written, and the first write the file system refused.
    log: written::Written,
    committed: bool,
}

/// The folder `target` is in and its name: the temporary, old and spare
/// trees live beside it, named after it.
fn folder_and_name(target: &Path) -> (&Path, String) {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

impl Staging {
    /// Prepares to replace `target`. `site_root` is the folder with site.yaml.
    pub fn new(site_root: &Path, target: &Path) -> Result<Staging, OutputError> {
        check_target(site_root, target)?;
        let (parent, name) = folder_and_name(target);
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        let temp = parent.join(format!(".healthpress-tmp-{name}-{}", std::process::id()));
        if temp.exists() {
            remove_tree(&temp).map_err(io_err(&temp))?;
        }
        let recycled = recycle::take_spare(target, &temp);
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
        let previous = target.join(MARKER).is_file().then(|| target.to_path_buf());
        Ok(Staging {
            target: target.to_path_buf(),
            temp,
            previous,
            recycled,
            written: Mutex::new(HashSet::new()),
            log: written::Written::default(),
            committed: false,
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
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
        if self.recycled {
            // A recycled tree was public/, where anyone may have put a
            // symlink or a file where this build needs a folder. Replace
            // those first, so nothing below ever reads, deletes or writes
            // through a link to outside the output.
            recycle::clear_folder_path(&self.temp, rel_dir).map_err(io_err(&path))?;
            if recycle::settle(&path, bytes).map_err(io_err(&path))? {
                return Ok(());
            }
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        if let Some(previous) = &self.previous {
            if recycle::only_folders(previous, rel_dir) && reuse(&previous.join(rel), &path, bytes)
            {
                return Ok(());
            }
        }
        fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// Number of files written so far (the marker not counted).
    pub fn count(&self) -> usize {
        self.written.lock().map(|w| w.len()).unwrap_or(0)
    }

    /// Swaps the staged folder in place of the target.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if self.recycled {
            let written = self.written.lock().expect("output registry poisoned");
            let prune = || recycle::prune(&self.temp, &written);
            on_disk_pool(prune)
                .unwrap_or_else(prune)
                .map_err(io_err(&self.temp))?;
        }
        let (parent, name) = folder_and_name(&self.target);
        let old = parent.join(format!(".healthpress-old-{name}-{}", std::process::id()));
        if self.target.exists() {
            if old.exists() {
                remove_tree(&old).map_err(io_err(&old))?;
            }
            fs::rename(&self.target, &old).map_err(io_err(&self.target))?;
        }
        if let Err(source) = fs::rename(&self.temp, &self.target) {
            // Put the previous output back so a failed swap changes nothing.
            if old.exists() {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(OutputError::Io {
                path: self.target.clone(),
                source,
            });
        }
        self.committed = true;
        if old.exists() {
            recycle::keep_as_spare(&self.target, &old).map_err(io_err(&old))?;
        }
        Ok(())
    }
}

/// Hard-links `old` (the same file in the current output) at `new` if it
/// already holds exactly `bytes`; returns whether it did. On a rebuild most
/// pages are unchanged, and a link costs no new inode, no data write, and
/// no freeing when the old tree is deleted, which is where a rebuild spent
/// its time. The old file is only read, never changed, so a failed build
/// still leaves the previous output byte-identical. Files with other links
/// are skipped: sharing their inode would let an edit elsewhere reach the
/// new output.
fn reuse(old: &Path, new: &Path, bytes: &[u8]) -> bool {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;

    let Ok(meta) = fs::symlink_metadata(old) else {
        return false;
    };
    #[cfg(unix)]
    let single = meta.nlink() == 1;
    #[cfg(not(unix))]
    let single = true;
    if !meta.is_file() || !single || meta.len() != bytes.len() as u64 {
        return false;
    }
    recycle::same_bytes(old, bytes) && fs::hard_link(old, new).is_ok()
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
fn on_disk_pool<R: Send>(work: impl FnOnce() -> R + Send) -> Option<R> {
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

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A tree that came from the spare goes back there: its files are
            // checked on every use, and deleting it would make the next
            // build (e.g. after fixing the error) start from nothing.
            let _ = if self.recycled {
                recycle::keep_as_spare(&self.target, &self.temp)
            } else {
                remove_tree(&self.temp)
            };
        }
    }
}

/// Refuses targets that are, or contain, the site's sources, and existing
/// non-empty folders that healthpress did not create.
fn check_target(site_root: &Path, target: &Path) -> Result<(), OutputError> {
    let refuse = |why: &str| OutputError::Refused {
        dir: target.to_path_buf(),
        why: why.to_string(),
    };
    let root = absolute(site_root);
    let abs_target = absolute(target);
    if root.starts_with(&abs_target) {
        return Err(refuse(
            "it is the site root or contains it; choose a folder such as public/",
        ));
    }
    for source_dir in ["content", "themes", "static", ".git"] {
        if abs_target.starts_with(root.join(source_dir)) {
            return Err(refuse(&format!(
                "it is inside the site's {source_dir}/ folder"
            )));
        }
    }
    if let Ok(mut entries) = fs::read_dir(target) {
        let non_empty = entries.next().is_some();
        if non_empty && !target.join(MARKER).exists() {
            return Err(refuse(&format!(
                "it is not empty and was not written by healthpress (no {MARKER} file); move its files away or choose another folder"
            )));
        }
    } else if target.exists() {
        return Err(refuse("it exists and is not a folder"));
    }
    Ok(())
}

/// Absolute, `..`-free form of `path` for containment checks (`public/../x`
/// and a symlinked site root cannot fool them). `.` and `..` are dropped
/// lexically, then the longest existing ancestor is canonicalized (resolving
/// symlinks) and the rest re-appended, so it also works for folders that do
/// not exist yet.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");

        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("a/index.html", b"two").unwrap();
        drop(s); // a failed build never commits
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp folder removed"
        );
    }

    #[test]
    fn unchanged_files_are_linked_and_the_old_output_survives_failure() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("same/index.html", b"same").unwrap();
        s.write("changed/index.html", b"old").unwrap();
        s.commit().unwrap();

        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("same/index.html", b"same").unwrap();
        s.write("changed/index.html", b"new!").unwrap();
        let staged = |rel: &str| s.temp.join(rel);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: PathBuf| fs::metadata(p).unwrap().ino();
            assert_eq!(
                ino(staged("same/index.html")),
                ino(target.join("same/index.html"))
            );
            assert_ne!(
                ino(staged("changed/index.html")),
                ino(target.join("changed/index.html"))
            );
        }
        drop(s); // failed build: the previous output is untouched
        assert_eq!(fs::read(target.join("same/index.html")).unwrap(), b"same");
        assert_eq!(fs::read(target.join("changed/index.html")).unwrap(), b"old");

        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("same/index.html", b"same").unwrap();
        s.write("changed/index.html", b"new!").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(target.join("same/index.html")).unwrap(), b"same");
        assert_eq!(
            fs::read(target.join("changed/index.html")).unwrap(),
            b"new!"
        );
    }

    /// Every file under `dir` with its bytes, as relative paths.
    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn recycled_spare_gives_the_same_tree_as_an_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let builds: [&[(&str, &[u8])]; 4] = [
            &[
                ("a/index.html", b"one"),
                ("b/index.html", b"bee"),
                ("gone/x/index.html", b"x"),
                ("f", b"file"),
            ],
            &[
                ("a/index.html", b"two"),
                ("b/index.html", b"bee"),
                ("c/index.html", b"sea"),
            ],
            &[
                ("a/index.html", b"one"),
                ("f/index.html", b"now a folder"),
                ("c/index.html", b"sea"),
            ],
            &[
                ("a/index.html", b"one"),
                ("b/index.html", b"bee!"),
                ("f", b"file again"),
            ],
        ];
        for (n, files) in builds.into_iter().enumerate() {
            let s = Staging::new(dir.path(), &target).unwrap();
            for (rel, bytes) in files {
                s.write(rel, bytes).unwrap();
            }
            s.commit().unwrap();
            let mut expected: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|(rel, bytes)| (rel.to_string(), bytes.to_vec()))
                .collect();
            expected.push((MARKER.to_string(), fs::read(target.join(MARKER)).unwrap()));
            expected.sort();
            assert_eq!(tree(&target), expected);
            assert_eq!(
                target.join("gone").exists(),
                n == 0,
                "emptied folders are removed"
            );
        }
        assert!(recycle::spare_path(&target).join(MARKER).is_file());

        // A failed build that started from the spare leaves public/ as is.
        let before = tree(&target);
        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("a/index.html", b"broken").unwrap();
        s.write("b/index.html", b"bee!").unwrap();
        drop(s);
        assert_eq!(tree(&target), before);
        assert!(
            recycle::spare_path(&target).join(MARKER).is_file(),
            "the spare is kept"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".healthpress-tmp") || n.starts_with(".healthpress-old"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_old_output_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let outside = dir.path().join("elsewhere");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("index.html"), "precious").unwrap();
        for _ in 0..2 {
            let s = Staging::new(dir.path(), &target).unwrap();
            s.write("a/index.html", b"page").unwrap();
            s.commit().unwrap();
        }
        // Someone replaces a folder of the output with a link to elsewhere;
        // the spare tree (the previous output) gets one too.
        fs::remove_dir_all(target.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, target.join("a")).unwrap();
        let spare = recycle::spare_path(&target);
        fs::remove_dir_all(spare.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("a")).unwrap();

        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("a/index.html", b"page").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(outside.join("index.html")).unwrap(), b"precious");
        assert!(fs::symlink_metadata(target.join("a")).unwrap().is_dir());
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"page");
    }

    #[test]
    fn remove_tree_deletes_nested_folders_but_not_link_targets() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("old");
        for i in 0..50 {
            let sub = tree.join(format!("articles/a{i}/page/2"));
            fs::create_dir_all(&sub).unwrap();
            fs::write(sub.join("index.html"), "x").unwrap();
        }
        fs::write(tree.join("sitemap.xml"), "x").unwrap();
        let outside = dir.path().join("keep");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("file"), "kept").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(fs::read(outside.join("file")).unwrap(), b"kept");
    }

    #[test]
    fn refuses_dangerous_targets_and_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        assert!(Staging::new(dir.path(), dir.path()).is_err());
        assert!(Staging::new(dir.path(), &dir.path().join("content/out")).is_err());
        let foreign = dir.path().join("docs");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(Staging::new(dir.path(), &foreign).is_err());
        let s = Staging::new(dir.path(), &dir.path().join("public")).unwrap();
        assert!(matches!(s.write("../x", b""), Err(OutputError::Escapes(_))));
        assert!(matches!(
            s.write("/etc/x", b""),
            Err(OutputError::Escapes(_))
        ));
        s.write("A/index.html", b"").unwrap();
        assert!(matches!(
            s.write("a/index.html", b""),
            Err(OutputError::Collision(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_root_does_not_hide_a_target_in_its_sources() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content")).unwrap();
        std::os::unix::fs::symlink(&site, dir.path().join("link")).unwrap();
        // The target does not exist yet; the root is reached through a link.
        let target = dir.path().join("link/content/out");
        assert!(Staging::new(&site, &target).is_err());
    }
}
