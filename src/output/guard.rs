//! What healthpress refuses to write to, decided before anything is
//! written: the site's own folders, folders it did not create, output
//! folders reached through a symbolic link that healthpress did not mark,
//! and a public and an editorial folder that overlap (one would publish the
//! other's drafts, and replacing one would destroy the other).

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::base::{OutputError, MARKER};

fn refused(dir: &Path, why: impl Into<String>) -> OutputError {
    OutputError::Refused {
        dir: dir.to_path_buf(),
        why: why.into(),
    }
}

/// Whether `dir` is a real folder (not a link) holding healthpress's marker.
pub(crate) fn is_marked_folder(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Checks `target` and returns the real folder to replace: `target` itself,
/// or, when `target` is or is reached through a symbolic link, the folder
/// the link leads to. That case is allowed only if the real folder carries
/// the marker, so a link to a web root healthpress did not create is never
/// replaced; the link itself is left alone and keeps pointing at the
/// (swapped) real folder.
///
/// Refuses targets that are, or contain, the site's sources, and existing
/// non-empty folders that healthpress did not create.
pub(crate) fn check_target(site_root: &Path, target: &Path) -> Result<PathBuf, OutputError> {
    let refuse = |why: &str| refused(target, why);
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
    let real = match symlink_on_the_way(site_root, target) {
        None => lexical_absolute(target),
        Some(link) => {
            let real = abs_target.clone();
            if !is_marked_folder(&real) {
                return Err(refuse(&format!(
                    "{} is a symbolic link (to {}) and the folder it leads to does not carry healthpress's {MARKER} marker, \
                     so healthpress will not replace it; build once into the real folder with --out {} (it must be empty), \
                     or point the link at a folder healthpress wrote",
                    link.display(),
                    real.display(),
                    real.display()
                )));
            }
            real
        }
    };
    match fs::symlink_metadata(&real) {
        Ok(meta) if meta.is_dir() => {
            let non_empty = fs::read_dir(&real).map_or(true, |mut e| e.next().is_some());
            if non_empty && !is_marked_folder(&real) {
                return Err(refuse(&format!(
                    "it is not empty and was not written by healthpress (no {MARKER} file); move its files away or choose another folder"
                )));
            }
        }
        Ok(_) => return Err(refuse("it exists and is not a folder")),
        Err(_) => {}
    }
    Ok(real)
}

/// The first symbolic link among `target` and its ancestors, looking only
/// at the part of the path the site does not share: a site root that is
/// itself reached through a link (a symlinked home folder) is the user's
/// setup and applies to the sources as much as to the output.
fn symlink_on_the_way(site_root: &Path, target: &Path) -> Option<PathBuf> {
    let root = lexical_absolute(site_root);
    let target = lexical_absolute(target);
    for ancestor in target.ancestors() {
        if root.starts_with(ancestor) {
            break;
        }
        if fs::symlink_metadata(ancestor).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(ancestor.to_path_buf());
        }
    }
    None
}

/// Refuses a public and an editorial folder that are the same, or one
/// inside the other (through links too). Checked before either is written.
pub(crate) fn check_separate(public: &Path, editorial: &Path) -> Result<(), OutputError> {
    let (p, e) = (absolute(public), absolute(editorial));
    let why = if p == e {
        Some("it is the same folder as the public output")
    } else if e.starts_with(&p) {
        Some("it is inside the public output, which must never hold drafts")
    } else if p.starts_with(&e) {
        Some("it contains the public output, and replacing it would replace the public site")
    } else {
        None
    };
    match why {
        Some(why) => Err(refused(
            editorial,
            format!(
                "{why} ({}); choose separate folders, e.g. public/ and editorial/",
                public.display()
            ),
        )),
        None => Ok(()),
    }
}

/// The nearest folder at or above `path` that carries the output marker,
/// if any: a file written there would be replaced (or published) by the
/// next build, so commands other than `build` must not write there.
pub fn marked_ancestor(path: &Path) -> Option<PathBuf> {
    absolute(path)
        .ancestors()
        .find(|dir| dir.join(MARKER).is_file())
        .map(Path::to_path_buf)
}

/// `path` made absolute with `.` and `..` removed, without resolving links.
fn lexical_absolute(path: &Path) -> PathBuf {
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
    lexical
}

/// Absolute, `..`-free form of `path` for containment checks (`public/../x`
/// and a symlinked site root cannot fool them). `.` and `..` are dropped
/// lexically, then the longest existing ancestor is canonicalized (resolving
/// symlinks) and the rest re-appended, so it also works for folders that do
/// not exist yet.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let lexical = lexical_absolute(path);
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
