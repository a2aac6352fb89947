//! The last search index built for a site, remembered between builds:
//! Pagefind reads pages one at a time and is most of a large build (20 s
//! of one core at 10,000 articles), while a rebuild often indexes exactly
//! what the last build did (a rebuild after a template change, a daily
//! build on a day nothing was published or withdrawn, a benchmark).
//!
//! The key is a SHA-256 of the program (as for the compliance scans:
//! another build of healthpress may index differently) and of every
//! document Pagefind would read, in order, with its URL. Only the same key
//! reuses the files, so the index is always the one a fresh indexing would
//! give, byte for byte. The cache is one file,
//! `.healthpress-cache/search-index` in the site folder, replaced
//! atomically; a missing, damaged or foreign file is a miss, and a failed
//! write only costs the next build its speed, never its correctness.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::indexer::IndexFile;

const MAGIC: &[u8; 8] = b"hpsrch01";
pub type Key = [u8; 32];

/// Computes the key from the documents, in the order they are indexed.
pub struct KeyHasher(Sha256);

impl KeyHasher {
    pub fn new() -> KeyHasher {
        let mut h = Sha256::new();
        h.update(crate::model::scan_cache::program_identity("search"));
        KeyHasher(h)
    }

    pub fn add(&mut self, url: &str, document: &str) {
        for part in [url, document] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part.as_bytes());
        }
    }

    pub fn finish(self) -> Key {
        self.0.finalize().into()
    }
}

/// Where the site at `root` keeps its last index.
pub fn file(root: &Path) -> PathBuf {
    root.join(".healthpress-cache").join("search-index")
}

/// The files remembered under `key`, if the cache holds that key.
pub fn load(file: &Path, key: &Key) -> Option<Vec<IndexFile>> {
    let bytes = fs::read(file).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (stored, mut rest) = rest.split_at_checked(32)?;
    if stored != key {
        return None;
    }
    let mut files = Vec::new();
    while !rest.is_empty() {
        let (path, after) = field(rest)?;
        let (contents, after) = field(after)?;
        files.push(IndexFile {
            path: PathBuf::from(std::str::from_utf8(path).ok()?),
            bytes: contents.to_vec(),
        });
        rest = after;
    }
    Some(files)
}

/// One length-prefixed field and what follows it.
fn field(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = bytes.split_at_checked(8)?;
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    rest.split_at_checked(len)
}

/// Remembers `files` under `key`, replacing what was there. Errors are
/// ignored (see the module doc).
pub fn store(file: &Path, key: &Key, files: &[IndexFile]) {
    let size: usize = files.iter().map(|f| f.bytes.len() + 64).sum();
    let mut bytes = Vec::with_capacity(40 + size);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(key);
    for f in files {
        let path = f.path.to_string_lossy().replace('\\', "/");
        for part in [path.as_bytes(), &f.bytes] {
            bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
            bytes.extend_from_slice(part);
        }
    }
    crate::output::cache_file::replace_quietly(file, &bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(docs: &[(&str, &str)]) -> Key {
        let mut h = KeyHasher::new();
        for (url, doc) in docs {
            h.add(url, doc);
        }
        h.finish()
    }

    #[test]
    fn files_come_back_only_under_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = file(dir.path());
        let key = key_of(&[("/a/", "<p>甲</p>")]);
        assert!(load(&file, &key).is_none());
        let files = vec![
            IndexFile {
                path: "pagefind-entry.json".into(),
                bytes: b"{}".to_vec(),
            },
            IndexFile {
                path: "fragment/zh_1.pf_fragment".into(),
                bytes: vec![0, 1, 2, 255],
            },
        ];
        store(&file, &key, &files);
        let back = load(&file, &key).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].path, PathBuf::from("fragment/zh_1.pf_fragment"));
        assert_eq!(back[1].bytes, vec![0, 1, 2, 255]);
        // Another document, another order or a moved boundary: a miss.
        assert!(load(&file, &key_of(&[("/a/", "<p>乙</p>")])).is_none());
        assert!(load(&file, &key_of(&[("/a/<p>", "甲</p>")])).is_none());
        // A damaged file is a miss, not a panic.
        let mut bytes = fs::read(&file).unwrap();
        bytes.truncate(bytes.len() - 3);
        fs::write(&file, &bytes).unwrap();
        assert!(load(&file, &key).is_none());
        fs::write(&file, b"hpsrch01").unwrap();
        assert!(load(&file, &key).is_none());
    }
}
