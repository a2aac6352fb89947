//! What a staging folder has received, and the first write that failed.
//! A full disk, a quota or a read-only mount makes every later write fail
//! too: instead of one diagnostic per file (a thousand lines that hide the
//! cause), the first failure is kept, later writes stop at once, and the
//! build ends with one environment error (exit 2) that names the folder and
//! how much had been written.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::base::OutputError;

#[derive(Default)]
pub(super) struct Written {
    files: AtomicUsize,
    bytes: AtomicU64,
    failed: AtomicBool,
    first_failure: Mutex<Option<(PathBuf, io::Error)>>,
}

impl Written {
    pub(super) fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    pub(super) fn wrote(&self, len: usize) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
    }

    /// Keeps the first environment failure (a copy: the caller returns
    /// the original).
    pub(super) fn fail(&self, path: &Path, error: &io::Error) {
        self.failed.store(true, Ordering::Relaxed);
        let mut first = self.first_failure.lock().unwrap_or_else(|p| p.into_inner());
        if first.is_none() {
            *first = Some((
                path.to_path_buf(),
                io::Error::new(error.kind(), error.to_string()),
            ));
        }
    }

    /// The failure as one error about `dir`, if a write failed.
    pub(super) fn take_failure(&self, dir: &Path) -> Option<OutputError> {
        let (path, source) = self
            .first_failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()?;
        Some(OutputError::Environment {
            dir: dir.to_path_buf(),
            path,
            source,
            files: self.files.load(Ordering::Relaxed),
            written: human_size(self.bytes.load(Ordering::Relaxed)),
        })
    }
}

/// `1.5 MB`, `312 KB`, `12 bytes`.
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{} KB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_failure_and_counts() {
        let w = Written::default();
        w.wrote(2 << 20);
        w.wrote(100);
        assert!(!w.failed());
        let full = io::Error::from_raw_os_error(28);
        w.fail(Path::new("/o/a.html"), &full);
        w.fail(Path::new("/o/b.html"), &io::Error::other("later"));
        assert!(w.failed());
        let err = w.take_failure(Path::new("public")).unwrap().to_string();
        assert!(err.starts_with("cannot write public: "), "{err}");
        assert!(err.contains("/o/a.html") && !err.contains("later"), "{err}");
        assert!(err.contains("2 file(s) (2.0 MB)"), "{err}");
        assert_eq!(human_size(312 * 1024), "312 KB");
    }
}
