//! Writing into the serve folder: only files whose bytes changed, each
//! through a temporary file and a rename so the server never sends a
//! half-written page, and removal of pages a rebuild no longer produces.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::report::RebuildError;

/// Writes `bytes` at `dir/rel` unless the file already holds them; writes
/// go through a temporary file and a rename so the server never sends a
/// half-written page. Returns whether it wrote.
pub fn write_if_changed(dir: &Path, rel: &str, bytes: &[u8]) -> Result<bool, RebuildError> {
    let path = dir.join(rel);
    if fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let io = |source| RebuildError::Io {
        path: path.clone(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    // Unique per write: the background search re-index writes while the
    // next rebuild may be writing too.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let temp = path.with_file_name(format!(".healthpress-write-{}-{n}", std::process::id()));
    fs::write(&temp, bytes).map_err(io)?;
    fs::rename(&temp, &path).map_err(io)?;
    Ok(true)
}

/// Removes `dir/rel` if it is a file, then the folders it leaves empty.
pub fn remove_file_and_empty_dirs(dir: &Path, rel: &str) -> Result<bool, RebuildError> {
    let path = dir.join(rel);
    if !path.is_file() {
        return Ok(false);
    }
    fs::remove_file(&path).map_err(|source| RebuildError::Io {
        path: path.clone(),
        source,
    })?;
    let mut parent = path.parent();
    while let Some(p) = parent {
        if p == dir || fs::remove_dir(p).is_err() {
            break;
        }
        parent = p.parent();
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_if_changed_skips_identical_bytes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_if_changed(dir.path(), "a/index.html", b"x").unwrap());
        assert!(!write_if_changed(dir.path(), "a/index.html", b"x").unwrap());
        assert!(write_if_changed(dir.path(), "a/index.html", b"y").unwrap());
        assert_eq!(fs::read(dir.path().join("a/index.html")).unwrap(), b"y");
    }
}
