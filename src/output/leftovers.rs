//! Clearing up after builds that were killed. A build that dies (SIGKILL,
//! power loss, a CI timeout) leaves its staging tree
//! (`.healthpress-tmp-<name>-<pid>`) and, if it died inside the fallback
//! swap, the previous output (`.healthpress-old-<name>-<pid>`) beside the
//! output. The next build handles those of processes that no longer run:
//! an old tree whose output is missing is put back (the fallback's window),
//! the first other one becomes the spare tree that builds recycle (it is
//! checked file by file, never trusted), and the rest are deleted, so disk
//! use stays bounded however many builds were killed. Only folders that
//! carry healthpress's marker are ever deleted; an empty folder of that
//! name (a build killed before it wrote its marker) is removed with
//! `remove_dir`, which cannot delete anything else.

use std::fs;
use std::path::Path;

use super::base::remove_tree;
use super::guard::is_marked_folder;
use super::recycle;

/// Prefixes of the trees a build keeps beside the output named `name`.
pub fn staging_name(name: &str, pid: u32) -> String {
    format!(".healthpress-tmp-{name}-{pid}")
}

pub fn aside_name(name: &str, pid: u32) -> String {
    format!(".healthpress-old-{name}-{pid}")
}

/// Deals with the leftovers of dead builds of `target` (named `name`, in
/// `parent`). Best effort: what cannot be removed now is tried again by
/// the next build.
pub fn clear(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let tmp_prefix = format!(".healthpress-tmp-{name}-");
    let old_prefix = format!(".healthpress-old-{name}-");
    let mut found: Vec<(bool, std::path::PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let (is_old, pid) = if let Some(pid) = file_name.strip_prefix(&old_prefix) {
            (true, pid)
        } else if let Some(pid) = file_name.strip_prefix(&tmp_prefix) {
            (false, pid)
        } else {
            continue;
        };
        let Some(pid) = parse_pid(pid) else { continue };
        if pid == std::process::id() || is_running(pid) {
            continue;
        }
        found.push((is_old, entry.path()));
    }
    // Old trees first: one of them may be the only complete output left.
    found.sort();
    found.reverse();
    for (is_old, path) in found {
        if !is_marked_folder(&path) {
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                let _ = fs::remove_dir(&path); // only succeeds if empty
            }
            continue;
        }
        if is_old && fs::symlink_metadata(target).is_err() && fs::rename(&path, target).is_ok() {
            continue;
        }
        if !recycle::spare_path(target).exists() {
            let _ = recycle::keep_as_spare(target, &path);
        } else {
            let _ = remove_tree(&path);
        }
    }
}

fn parse_pid(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&p| p > 0 && p <= i32::MAX as u32)
}

/// Whether a process with this id exists. Signal 0 checks without sending
/// anything; EPERM means it exists but belongs to someone else.
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    // SAFETY: kill with signal 0 has no effect beyond the existence check.
    let rc = unsafe { libc::kill(pid as libc::pid_t, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Without a portable check, assume the build is still running: its tree
/// is left alone rather than deleted under it.
#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_are_digits_only() {
        assert_eq!(parse_pid("123"), Some(123));
        assert_eq!(parse_pid(""), None);
        assert_eq!(parse_pid("12x"), None);
        assert_eq!(parse_pid("0"), None);
        assert_eq!(parse_pid("99999999999"), None);
    }
}
