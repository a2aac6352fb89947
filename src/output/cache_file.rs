//! Files a build keeps between runs under `.healthpress-cache/` (compliance
//! scans, the search index, QR masks, image variants): each is replaced
//! whole, through a temporary name and a rename, so a killed build never
//! leaves half a file under the real name. A cache that cannot be written
//! only costs the next build its speed, so failures are ignored.

use std::fs;
use std::path::Path;

/// Writes `bytes` as `file` (creating its folder), or nothing on failure.
pub fn replace_quietly(file: &Path, bytes: &[u8]) {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return;
    };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let temp = dir.join(format!(
        ".{}.{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    if fs::write(&temp, bytes).is_err() || fs::rename(&temp, file).is_err() {
        let _ = fs::remove_file(&temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/cache");
        replace_quietly(&file, b"one");
        replace_quietly(&file, b"two");
        assert_eq!(fs::read(&file).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path().join("a/b")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
