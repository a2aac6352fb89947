//! Remembers which of the eight masks each QR symbol took. Choosing the
//! mask means drawing the symbol under every mask and scoring each
//! (ISO/IEC 18004 penalties): most of the cost of a QR code, and a 10,000
//! article site draws 20,000 of them (posters and WeChat images) on every
//! build. The choice depends only on the text, the error correction level
//! and the program, so `.healthpress-cache/qr-masks` keeps it, keyed by a
//! SHA-256 of those, and a later build draws each known symbol once. A
//! missing, damaged or foreign file is an empty cache; a failed write only
//! costs the next build its speed. The symbol is the same either way.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// First bytes of the file, then the 16-byte identity, then entries of a
/// 16-byte key and the mask's number.
const MAGIC: &[u8; 8] = b"hpqrmsk1";
type Key = [u8; 16];
const ENTRY: usize = 17;

#[derive(Default)]
pub struct QrMasks {
    file: Option<PathBuf>,
    identity: Key,
    known: HashMap<Key, u8>,
    /// Choices made in this run, kept (with the known ones used) on save.
    used: Mutex<HashMap<Key, u8>>,
}

impl QrMasks {
    /// A cache that remembers nothing beyond this process's use of it.
    pub fn none() -> QrMasks {
        QrMasks::default()
    }

    /// The cache of the site at `root`.
    pub fn open(root: &Path) -> QrMasks {
        let file = root.join(".healthpress-cache").join("qr-masks");
        let identity = crate::model::scan_cache::program_identity("qr-masks");
        let known = fs::read(&file)
            .map(|bytes| parse(&bytes, &identity))
            .unwrap_or_default();
        QrMasks {
            file: Some(file),
            identity,
            known,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The key of a symbol: its text and error correction level.
    pub fn key(&self, text: &str, level: u8) -> Key {
        let mut h = Sha256::new();
        h.update(self.identity);
        h.update([level]);
        h.update(text.as_bytes());
        let mut key = [0; 16];
        key.copy_from_slice(&h.finalize()[..16]);
        key
    }

    /// The mask chosen earlier for `key`, if any.
    pub fn get(&self, key: &Key) -> Option<u8> {
        let mask = self.known.get(key).copied().filter(|&m| m < 8)?;
        if let Ok(mut used) = self.used.lock() {
            used.insert(*key, mask);
        }
        Some(mask)
    }

    pub fn record(&self, key: Key, mask: u8) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, mask);
        }
    }

    /// Writes the choices this run used (replacing the file atomically),
    /// unless they are what was read. Errors are ignored (module doc).
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let Ok(used) = self.used.lock() else { return };
        if used.len() == self.known.len() && used.iter().all(|(k, m)| self.known.get(k) == Some(m))
        {
            return;
        }
        let mut entries: Vec<(&Key, &u8)> = used.iter().collect();
        entries.sort_unstable();
        let mut bytes = Vec::with_capacity(24 + entries.len() * ENTRY);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.identity);
        for (key, mask) in entries {
            bytes.extend_from_slice(key);
            bytes.push(*mask);
        }
        crate::output::cache_file::replace_quietly(file, &bytes);
    }
}

fn parse(bytes: &[u8], identity: &Key) -> HashMap<Key, u8> {
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return HashMap::new();
    };
    let Some(entries) = rest.strip_prefix(identity.as_slice()) else {
        return HashMap::new();
    };
    if entries.len() % ENTRY != 0 {
        return HashMap::new();
    }
    entries
        .chunks_exact(ENTRY)
        .map(|e| {
            let mut key = [0; 16];
            key.copy_from_slice(&e[..16]);
            (key, e[16])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_survive_a_save_and_damage_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let first = QrMasks::open(dir.path());
        let key = first.key("https://h.example.org/s/abc/", 0);
        assert_eq!(first.get(&key), None);
        first.record(key, 5);
        first.save();
        let again = QrMasks::open(dir.path());
        assert_eq!(again.get(&key), Some(5));
        assert_ne!(again.key("https://h.example.org/s/abd/", 0), key);
        assert_ne!(again.key("https://h.example.org/s/abc/", 1), key);
        let file = dir.path().join(".healthpress-cache/qr-masks");
        let mut bytes = fs::read(&file).unwrap();
        bytes.pop();
        fs::write(&file, bytes).unwrap();
        assert_eq!(QrMasks::open(dir.path()).get(&key), None);
    }
}
