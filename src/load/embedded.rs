//! Reading the local files an article embeds (images, videos with their
//! captions and poster, downloads: `markdown::local_files`, the same list a
//! build publishes), so that fingerprint v2 covers their bytes: an image
//! swapped after sign-off voids the approval like an edited sentence does.
//! A file that is missing, not a regular file or a symbolic link is
//! recorded as missing, so adding it later voids the approval too.

use std::fs;
use std::path::Path;

use crate::markdown::local_files;
use crate::model::fingerprint::{sha256_hex, EmbeddedFile};

/// The embedded files of the article at site-relative `source`, sorted by
/// path (relative to `content/`, `/`-separated).
pub fn embedded_files(root: &Path, source: &Path, body: &str) -> Vec<EmbeddedFile> {
    let dir = source
        .strip_prefix("content")
        .unwrap_or(source)
        .parent()
        .unwrap_or(Path::new(""));
    let mut files: Vec<EmbeddedFile> = local_files(body, dir)
        .into_iter()
        .map(|f| {
            let path = Path::new("content").join(&f.path);
            EmbeddedFile {
                target: f.path.to_string_lossy().replace('\\', "/"),
                sha256: digest(&root.join(&path)),
                path: Some(path),
            }
        })
        .collect();
    files.sort_by(|a, b| a.target.cmp(&b.target));
    files.dedup_by(|a, b| a.target == b.target);
    files
}

fn digest(path: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    fs::read(path).ok().map(|bytes| sha256_hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_real_files_and_marks_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/kids/img")).unwrap();
        fs::write(dir.path().join("content/kids/img/a.png"), b"PNG").unwrap();
        let files = embedded_files(
            dir.path(),
            Path::new("content/kids/a.md"),
            "![b](img/b.png) ![a](img/a.png) [讲义](../handout.pdf)",
        );
        let found: Vec<_> = files
            .iter()
            .map(|f| (f.target.as_str(), f.sha256.is_some()))
            .collect();
        assert_eq!(
            found,
            [
                ("handout.pdf", false),
                ("kids/img/a.png", true),
                ("kids/img/b.png", false)
            ]
        );
        assert_eq!(
            files[1].sha256.as_deref(),
            Some(sha256_hex(b"PNG").as_str())
        );
    }
}
