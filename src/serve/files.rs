//! Writing into the serve folder: only files whose bytes changed, each
//! through a temporary file and a rename so the server never sends a
//! half-written page, and removal of pages a rebuild no longer produces.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::incremental::RebuildError;

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
    let temp = path.with_file_name(format!(".healthpress-write-{}", std::process::id()));
    fs::write(&temp, bytes).map_err(io)?;
    fs::rename(&temp, &path).map_err(io)?;
    Ok(true)
}

/// Removes `base/index.html` and `base/page/N/index.html` files that the
/// new render did not produce (a term that lost pages or vanished).
pub fn remove_stale_listing(
    dir: &Path,
    base: &str,
    produced: &BTreeSet<String>,
) -> Result<usize, RebuildError> {
    let mut candidates = vec![format!("{base}index.html")];
    if let Ok(entries) = fs::read_dir(dir.join(base).join("page")) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.chars().all(|c| c.is_ascii_digit()) {
                candidates.push(format!("{base}page/{n}/index.html"));
            }
        }
    }
    let mut removed = 0;
    for rel in candidates {
        if !produced.contains(&rel) && remove_file_and_empty_dirs(dir, &rel)? {
            removed += 1;
        }
    }
    Ok(removed)
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

    #[test]
    fn stale_pagination_pages_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "t/x/index.html",
            "t/x/page/2/index.html",
            "t/x/page/3/index.html",
            "t/x/atom.xml",
        ] {
            write_if_changed(dir.path(), rel, b"p").unwrap();
        }
        let produced: BTreeSet<String> = [
            "t/x/index.html".to_string(),
            "t/x/page/2/index.html".to_string(),
        ]
        .into();
        assert_eq!(
            remove_stale_listing(dir.path(), "t/x/", &produced).unwrap(),
            1
        );
        assert!(!dir.path().join("t/x/page/3").exists());
        assert!(dir.path().join("t/x/atom.xml").exists());
    }
}
