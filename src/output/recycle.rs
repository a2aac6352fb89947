//! Recycling the previous output tree. After a swap, the tree that was
//! `public/` is not deleted but kept as a spare in `.healthpress-cache/`
//! beside it; the next build starts from the spare instead of an empty
//! folder. Unchanged pages then cost one read (no new inode, no data
//! write), folders are not created again, and nothing is deleted at the
//! swap. Deleting and re-creating ~15,000 folders per build was most of a
//! rebuild's time on ext4 (mount option `discard`, and new inodes skip
//! recently deleted ones one by one).
//!
//! The spare is never trusted: every file written is compared with what the
//! spare holds and replaced (unlinked first, never overwritten in place,
//! since spare files may be hard links to the served output), and whatever
//! the build did not write is pruned before the swap. So the result is
//! byte-identical to a build into an empty folder.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::base::{folder_and_name, remove_tree, MARKER};
use super::digests::Record;

/// Folder beside the output that holds the spare tree.
const CACHE_DIR: &str = ".healthpress-cache";

/// Where the spare tree of `target` lives.
pub fn spare_path(target: &Path) -> PathBuf {
    let (parent, name) = folder_and_name(target);
    parent.join(CACHE_DIR).join(format!("spare-{name}"))
}

/// Where the records of `target`'s served tree (`live`) or of its spare
/// are kept (see [`super::digests`]).
pub fn digests_path(target: &Path, live: bool) -> PathBuf {
    let (parent, name) = folder_and_name(target);
    let which = if live { "live" } else { "spare" };
    parent
        .join(CACHE_DIR)
        .join(format!("digests-{name}-{which}"))
}

/// Moves the spare tree of `target` to `temp` (which must not exist).
/// Returns false, leaving nothing at `temp`, if there is no usable spare.
/// Renaming is atomic, so two builds at once cannot both take it.
pub fn take_spare(target: &Path, temp: &Path) -> bool {
    let spare = spare_path(target);
    let is_ours =
        fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir()) && spare.join(MARKER).is_file();
    is_ours && fs::rename(&spare, temp).is_ok()
}

/// Keeps `old` (the tree just swapped out) as the spare of `target`, or
/// deletes it if it cannot be kept (e.g. another build left a spare).
pub fn keep_as_spare(target: &Path, old: &Path) -> io::Result<()> {
    let spare = spare_path(target);
    if spare.parent().is_some_and(make_cache_dir)
        && !spare.exists()
        && fs::rename(old, &spare).is_ok()
    {
        return Ok(());
    }
    remove_tree(old)
}

/// Creates the cache folder `dir` if needed, git-ignored (it is a build
/// artefact); false if it cannot be made.
pub fn make_cache_dir(dir: &Path) -> bool {
    if fs::create_dir_all(dir).is_err() {
        return false;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = fs::write(ignore, "*\n");
    }
    true
}

/// Makes `path` ready for new contents `bytes` (whose hash is `hash`):
/// returns the file's metadata if it already holds exactly them (nothing
/// to write); otherwise removes whatever is there, so the caller creates a
/// fresh file. `known` is what the build that wrote the file recorded: if
/// the file is still the one recorded, its hash says whether it changed
/// without reading it.
pub fn settle(
    path: &Path,
    bytes: &[u8],
    hash: u64,
    known: Option<&Record>,
) -> io::Result<Option<fs::Metadata>> {
    // Not there (or a file sits where a parent folder should be, which the
    // caller clears): nothing to keep. Real I/O errors surface on writing.
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(None);
    };
    if meta.is_dir() {
        remove_tree(path)?;
        return Ok(None);
    }
    if holds(path, &meta, bytes, hash, known) {
        return Ok(Some(meta));
    }
    fs::remove_file(path)?;
    Ok(None)
}

/// Whether the file at `path` (with metadata `meta`) holds exactly `bytes`
/// (whose hash is `hash`): by its record when it is still the file the
/// record describes, else by reading it.
pub fn holds(
    path: &Path,
    meta: &fs::Metadata,
    bytes: &[u8],
    hash: u64,
    known: Option<&Record>,
) -> bool {
    meta.is_file()
        && meta.len() == bytes.len() as u64
        && match known.filter(|r| r.describes(meta)) {
            Some(record) => record.hash == hash,
            None => same_bytes(path, bytes),
        }
}

/// Whether the file at `path` holds exactly `bytes`.
pub fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let mut current = Vec::with_capacity(bytes.len() + 1);
    fs::File::open(path)
        .and_then(|f| f.take(bytes.len() as u64 + 1).read_to_end(&mut current))
        .is_ok_and(|_| current == bytes)
}

/// Whether each existing step of `rel_dir` under `root` is a real folder
/// (no symlinks), so a path below it stays inside `root`.
pub fn only_folders(root: &Path, rel_dir: &Path) -> bool {
    let mut at = root.to_path_buf();
    for part in rel_dir.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return false,
            Err(_) => return true,
        }
    }
    true
}

/// Removes non-folders (files, symlinks: the link, never its target) in
/// the way of folder `rel_dir` under `root`, so that creating it and
/// writing below it cannot leave `root`.
pub fn clear_folder_path(root: &Path, rel_dir: &Path) -> io::Result<()> {
    let mut at = root.to_path_buf();
    for part in rel_dir.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => fs::remove_file(&at)?,
            Err(_) => break,
        }
    }
    Ok(())
}

/// Deletes everything under `root` that this build did not write.
/// `written` holds lower-cased relative paths (see `Staging::write`); the
/// marker file at the root is kept. Folders left empty are removed.
pub fn prune(root: &Path, written: &HashSet<PathBuf>) -> io::Result<()> {
    prune_dir(root, Path::new(""), written).map(|_| ())
}

/// Returns whether `dir` still holds anything.
fn prune_dir(dir: &Path, rel: &Path, written: &HashSet<PathBuf>) -> io::Result<bool> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    let kept: Vec<bool> = entries
        .into_par_iter()
        .map(|entry| {
            let name = entry.file_name();
            let child_rel = rel.join(&name);
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                let keep = prune_dir(&path, &child_rel, written)?;
                if !keep {
                    fs::remove_dir(&path)?;
                }
                Ok(keep)
            } else if (rel.as_os_str().is_empty() && name == MARKER)
                || written.contains(&PathBuf::from(child_rel.to_string_lossy().to_lowercase()))
            {
                Ok(true)
            } else {
                fs::remove_file(&path)?;
                Ok(false)
            }
        })
        .collect::<io::Result<_>>()?;
    Ok(kept.into_iter().any(|k| k))
}
