//! Reading the local files an article embeds (images, handouts), so that
//! fingerprint v2 covers their bytes: an image swapped after sign-off voids
//! the approval like an edited sentence does.
//!
//! A target (see `markdown::embeds`) resolves like this: one starting with
//! `/` names a file under `static/` (copied to the site's root); any other
//! is relative to the article's folder. `.` and `..` are applied; a path
//! that leaves the site root, a missing file, a folder or a symbolic link
//! counts as missing (recorded so, and adding the file later voids the
//! approval too).

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::markdown::embeds::local_targets;
use crate::model::fingerprint::{sha256_hex, EmbeddedFile};

/// The embedded files of an article whose site-relative path is `source`.
pub fn embedded_files(root: &Path, source: &Path, body: &str) -> Vec<EmbeddedFile> {
    local_targets(body)
        .into_iter()
        .map(|target| {
            let path = resolve(source, &target);
            let sha256 = path.as_ref().and_then(|p| digest(&root.join(p)));
            EmbeddedFile {
                target,
                path,
                sha256,
            }
        })
        .collect()
}

/// The site-relative path `target` names from the article at `source`,
/// or `None` when it leaves the site (or, for `/…`, static/).
pub fn resolve(source: &Path, target: &str) -> Option<PathBuf> {
    // A `/` target may not climb out of static/, a relative one not out
    // of the site.
    let (base, rest, floor) = match target.strip_prefix('/') {
        Some(rest) => (PathBuf::from("static"), rest, 1),
        None => (
            source.parent().map(Path::to_path_buf).unwrap_or_default(),
            target,
            0,
        ),
    };
    let mut out: Vec<std::ffi::OsString> = base
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_os_string()),
            _ => None,
        })
        .collect();
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.len() <= floor {
                    return None;
                }
                out.pop();
            }
            p => out.push(p.into()),
        }
    }
    if out.is_empty() {
        return None;
    }
    Some(out.iter().collect())
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
    fn resolution() {
        let src = Path::new("content/kids/fever.md");
        let r = |t: &str| resolve(src, t).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(r("img/a.png").as_deref(), Some("content/kids/img/a.png"));
        assert_eq!(r("./a.png").as_deref(), Some("content/kids/a.png"));
        assert_eq!(
            r("../shared/a.png").as_deref(),
            Some("content/shared/a.png")
        );
        assert_eq!(r("/images/a.png").as_deref(), Some("static/images/a.png"));
        assert_eq!(r("../../../etc/passwd"), None);
        assert_eq!(r("/../x"), None);
    }

    #[test]
    fn digests_real_files_and_marks_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/img")).unwrap();
        fs::write(dir.path().join("content/img/a.png"), b"PNG").unwrap();
        let files = embedded_files(
            dir.path(),
            Path::new("content/a.md"),
            "![a](img/a.png) ![b](img/b.png) ![dir](img)",
        );
        let digests: Vec<_> = files.iter().map(|f| f.sha256.is_some()).collect();
        assert_eq!(digests, vec![false, true, false]);
        assert_eq!(
            files[1].sha256.as_deref(),
            Some(sha256_hex(b"PNG").as_str())
        );
    }
}
