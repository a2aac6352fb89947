//! Remembers which article files the compliance linter found without
//! errors (clean, for withholding: review notes do not withhold), so a
//! build (or a `serve` rebuild) scans only the files that changed. Scanning
//! with Chinese segmentation is the most expensive step of a build (minutes
//! of CPU at 10,000 articles); most files are unchanged between builds.
//!
//! A file is keyed by a SHA-256 of the linter's identity (the running
//! program, which holds the built-in rules, and the site's `compliance:`
//! and contact settings), the file's path and its whole text. Only clean
//! results are kept: a file with any finding is scanned again, so its
//! errors are always reported fresh, with their own lines and messages
//! (within one process, e.g. `serve`, a file's errors are remembered in
//! memory, since the same text always gives the same errors).
//! The cache is `.healthpress-cache/compliance-clean` in the site folder;
//! a missing, unreadable or foreign file is an empty cache, and a failed
//! write only costs the next build its speed, never its correctness.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::diagnostics::Diagnostic;

use sha2::{Digest, Sha256};

/// Errors found in this process, by key: `serve` re-models the site on
/// every edit, and files with errors (withheld articles) would otherwise be
/// scanned again each time. Kept in memory only, so a new build always
/// reports them from a fresh scan.
fn errors_seen() -> &'static Mutex<HashMap<Key, Vec<Diagnostic>>> {
    static SEEN: OnceLock<Mutex<HashMap<Key, Vec<Diagnostic>>>> = OnceLock::new();
    SEEN.get_or_init(Default::default)
}

/// First bytes of the cache file, then the 16-byte identity, then keys.
const MAGIC: &[u8; 8] = b"hpscan01";
type Key = [u8; 16];

pub struct ScanCache {
    file: Option<PathBuf>,
    identity: Key,
    /// Clean keys read from the file.
    known: HashSet<Key>,
    /// Clean keys of this run (known or newly scanned): what is saved.
    clean: Mutex<Vec<Key>>,
}

impl ScanCache {
    /// The cache for the site at `root` (none if `root` is `None`), for a
    /// linter described by `settings` (its configuration, in any stable
    /// textual form).
    pub fn open(root: Option<&Path>, settings: &str) -> ScanCache {
        let identity = program_identity(settings);
        let file = root.map(|r| r.join(".healthpress-cache").join("compliance-clean"));
        let known = file
            .as_deref()
            .and_then(|f| fs::read(f).ok())
            .map(|bytes| parse(&bytes, &identity))
            .unwrap_or_default();
        ScanCache {
            file,
            identity,
            known,
            clean: Mutex::new(Vec::new()),
        }
    }

    /// The key of one file's text.
    pub fn key(&self, path: &Path, text: &str) -> Key {
        let mut h = Sha256::new();
        h.update(self.identity);
        h.update(path.to_string_lossy().as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        let digest = h.finalize();
        let mut key = [0; 16];
        key.copy_from_slice(&digest[..16]);
        key
    }

    /// True if `key` was found clean by an earlier run (and is kept).
    pub fn is_clean(&self, key: &Key) -> bool {
        let known = self.known.contains(key);
        if known {
            self.record_clean(*key);
        }
        known
    }

    /// The errors this process found earlier for `key`, if any.
    pub fn errors(&self, key: &Key) -> Option<Vec<Diagnostic>> {
        errors_seen().lock().ok()?.get(key).cloned()
    }

    pub fn record_errors(&self, key: Key, errors: &[Diagnostic]) {
        if let Ok(mut seen) = errors_seen().lock() {
            seen.insert(key, errors.to_vec());
        }
    }

    pub fn record_clean(&self, key: Key) {
        if let Ok(mut clean) = self.clean.lock() {
            clean.push(key);
        }
    }

    /// Writes this run's clean keys (replacing the file atomically) if they
    /// differ from what was read. Errors are ignored: see the module doc.
    pub fn save(self) {
        let Some(file) = self.file else { return };
        let mut clean = self.clean.into_inner().unwrap_or_default();
        clean.sort_unstable();
        clean.dedup();
        if clean.len() == self.known.len() && clean.iter().all(|k| self.known.contains(k)) {
            return;
        }
        let mut bytes = Vec::with_capacity(24 + clean.len() * 16);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.identity);
        for key in &clean {
            bytes.extend_from_slice(key);
        }
        crate::output::cache_file::replace_quietly(&file, &bytes);
    }
}

/// The linter's identity: the running program (its size and modification
/// time: a rebuilt program may have other rules) and `settings`. Other
/// caches of a build (the search index) key on it too.
pub fn program_identity(settings: &str) -> Key {
    let mut h = Sha256::new();
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|e| fs::metadata(e).ok())
    {
        h.update(meta.len().to_le_bytes());
        if let Ok(modified) = meta.modified() {
            h.update(format!("{modified:?}").as_bytes());
        }
    } else {
        // Without a known program there is nothing to tie the rules to:
        // a fresh identity per run is a cache that never hits.
        h.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
    }
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(settings.as_bytes());
    let digest = h.finalize();
    let mut key = [0; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

fn parse(bytes: &[u8], identity: &Key) -> HashSet<Key> {
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return HashSet::new();
    };
    if rest.len() < 16 || &rest[..16] != identity || (rest.len() - 16) % 16 != 0 {
        return HashSet::new();
    }
    rest[16..]
        .chunks_exact(16)
        .map(|c| {
            let mut key = [0; 16];
            key.copy_from_slice(c);
            key
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_keys_survive_a_save_and_other_settings_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ScanCache::open(Some(dir.path()), "rules: a");
        let key = cache.key(Path::new("content/a.md"), "text");
        assert!(!cache.is_clean(&key));
        cache.record_clean(key);
        cache.save();

        let again = ScanCache::open(Some(dir.path()), "rules: a");
        assert!(again.is_clean(&again.key(Path::new("content/a.md"), "text")));
        assert!(!again.is_clean(&again.key(Path::new("content/a.md"), "text!")));
        assert!(!again.is_clean(&again.key(Path::new("content/b.md"), "text")));
        let other = ScanCache::open(Some(dir.path()), "rules: b");
        assert!(!other.is_clean(&other.key(Path::new("content/a.md"), "text")));
    }

    #[test]
    fn a_damaged_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".healthpress-cache/compliance-clean");
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, b"hpscan01short").unwrap();
        let cache = ScanCache::open(Some(dir.path()), "x");
        assert!(cache.known.is_empty());
    }
}
