//! What each file of an output tree held when this build wrote it: its
//! length, modification time, inode and a 64-bit hash of its bytes, kept
//! in `.healthpress-cache/` beside the tree (`digests-<name>-live` for the
//! tree being served, `digests-<name>-spare` once it becomes the spare).
//!
//! A rebuild compares every file it writes with the one already in the
//! recycled tree, and reading them back was most of what an unchanged
//! file cost (5 % of a warm 10k build: 20,000 WeChat files, 300 MB). With
//! the record, a file whose length, modification time and inode are the
//! ones recorded is known by its hash without being read. Any other file
//! (touched, replaced, a record lost or left over from a killed build) is
//! read and compared as before, so a stale record can only cost a read,
//! never keep wrong bytes.

use std::collections::HashMap;
use std::fs;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

/// First line of a digests file: the format and the hash function.
const HEADER: &str = "healthpress-digests 1 foldhash-0.2-quality-0";

/// The hash of a file's bytes.
pub fn hash(bytes: &[u8]) -> u64 {
    foldhash::quality::FixedState::with_seed(0).hash_one(bytes)
}

/// One file as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub len: u64,
    pub mtime: (i64, i64),
    pub ino: u64,
    pub hash: u64,
}

impl Record {
    /// The record of a file with metadata `meta` and hash `hash`.
    pub fn of(meta: &fs::Metadata, hash: u64) -> Record {
        let (mtime, ino) = identity(meta);
        Record {
            len: meta.len(),
            mtime,
            ino,
            hash,
        }
    }

    /// Whether `meta` is still the file this record describes.
    pub fn describes(&self, meta: &fs::Metadata) -> bool {
        let (mtime, ino) = identity(meta);
        meta.is_file() && meta.len() == self.len && mtime == self.mtime && ino == self.ino
    }
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> ((i64, i64), u64) {
    use std::os::unix::fs::MetadataExt;
    ((meta.mtime(), meta.mtime_nsec()), meta.ino())
}

/// Without inode numbers no record can be trusted: every file is read.
#[cfg(not(unix))]
fn identity(_meta: &fs::Metadata) -> ((i64, i64), u64) {
    ((i64::MIN, 0), u64::MAX)
}

/// The records of one tree, by path relative to it.
#[derive(Debug, Default)]
pub struct Digests {
    records: HashMap<PathBuf, Record>,
}

impl Digests {
    /// Reads `path`; empty if it is missing, of another format or damaged
    /// (a damaged line is skipped: its file is then read and compared).
    pub fn load(path: &Path) -> Digests {
        let Ok(text) = fs::read_to_string(path) else {
            return Digests::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Digests::default();
        }
        let records = lines.filter_map(parse_line).collect();
        Digests { records }
    }

    pub fn get(&self, rel: &Path) -> Option<&Record> {
        self.records.get(rel)
    }

    /// Writes `records` to `path`, replacing it whole (a killed build
    /// leaves the old file or none); a failure only costs reads next time.
    pub fn save(path: &Path, records: &[(PathBuf, Record)]) {
        let mut text = String::with_capacity(records.len() * 64 + HEADER.len() + 1);
        text.push_str(HEADER);
        text.push('\n');
        for (rel, r) in records {
            let Some(rel) = rel.to_str().filter(|p| !p.contains('\n')) else {
                continue; // not recorded: read and compared next time
            };
            text.push_str(&format!(
                "{} {} {} {} {:016x} {rel}\n",
                r.len, r.mtime.0, r.mtime.1, r.ino, r.hash
            ));
        }
        super::cache_file::replace_quietly(path, text.as_bytes());
    }
}

fn parse_line(line: &str) -> Option<(PathBuf, Record)> {
    let mut parts = line.splitn(6, ' ');
    let len = parts.next()?.parse().ok()?;
    let secs = parts.next()?.parse().ok()?;
    let nanos = parts.next()?.parse().ok()?;
    let ino = parts.next()?.parse().ok()?;
    let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
    let rel = parts.next().filter(|p| !p.is_empty())?;
    Some((
        PathBuf::from(rel),
        Record {
            len,
            mtime: (secs, nanos),
            ino,
            hash,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_damage_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a b.html");
        fs::write(&file, "<p>x</p>").unwrap();
        let meta = fs::symlink_metadata(&file).unwrap();
        let record = Record::of(&meta, hash(b"<p>x</p>"));
        let saved = dir.path().join("digests");
        let records = vec![
            (PathBuf::from("dir/a b.html"), record),
            (PathBuf::from("bad\nname"), record),
        ];
        Digests::save(&saved, &records);
        let mut text = fs::read_to_string(&saved).unwrap();
        text.push_str("12 not a record\n");
        fs::write(&saved, text).unwrap();
        let loaded = Digests::load(&saved);
        assert_eq!(loaded.records.len(), 1);
        assert_eq!(loaded.get(Path::new("dir/a b.html")), Some(&record));
        assert!(record.describes(&meta));
        // Another header: nothing is trusted.
        fs::write(&saved, "healthpress-digests 0\n1 2 3 4 5 x\n").unwrap();
        assert!(Digests::load(&saved).records.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_rewritten_file_is_no_longer_described() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "one").unwrap();
        let record = Record::of(&fs::metadata(&file).unwrap(), hash(b"one"));
        // Replaced by a new file of the same length: another inode.
        let other = dir.path().join("g");
        fs::write(&other, "two").unwrap();
        fs::rename(&other, &file).unwrap();
        assert!(!record.describes(&fs::metadata(&file).unwrap()));
        assert_ne!(hash(b"one"), hash(b"two"));
    }
}
