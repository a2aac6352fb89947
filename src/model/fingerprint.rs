//! Approval fingerprints (product.md, README "Fingerprint v2"): a sign-off
//! is bound to what the doctor read, so any later edit to it voids the
//! sign-off.
//!
//! - v1, `sha256:…`: title, summary and body only. Still accepted unless
//!   site.yaml sets `review.require_v2` or `review.require_signature`.
//! - v2, `sha256v2:…`: everything the reviewer vouches for: title, summary,
//!   body, lang, audience, specialty, season, sources, the reviewer id, the
//!   review date and the bytes of every local file the body embeds. Not the
//!   publish `date`, `expires`, `updated` or `slug`: editors schedule and
//!   move articles without a new review.
//!
//! `scripts/fingerprint.py` implements both independently; keep the README's
//! byte-exact description, this file and the script in step.

use sha2::{Digest, Sha256};

pub const V1_PREFIX: &str = "sha256:";
pub const V2_PREFIX: &str = "sha256v2:";
/// First line of the v2 hash input.
const V2_HEADER: &[u8] = b"healthpress-fingerprint-v2\n";

/// Which definition a recorded fingerprint uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Version {
    V1,
    V2,
}

impl Version {
    /// The version of a recorded `review.fingerprint` value, by its prefix.
    pub fn of(recorded: &str) -> Option<Version> {
        if recorded.starts_with(V2_PREFIX) {
            Some(Version::V2)
        } else if recorded.starts_with(V1_PREFIX) {
            Some(Version::V1)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
        }
    }
}

/// v1: `sha256:` + hex SHA-256 of `title + "\n" + summary + "\n" + body`,
/// with the body's CRLF turned into LF and trailing whitespace removed.
pub fn fingerprint(title: &str, summary: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let mut hasher = Sha256::new();
    hasher.update(title.as_bytes());
    hasher.update(b"\n");
    hasher.update(summary.as_bytes());
    hasher.update(b"\n");
    hasher.update(body.trim_end().as_bytes());
    format!("{V1_PREFIX}{}", hex(&hasher.finalize()))
}

/// A local file the article embeds, as fingerprint v2 covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedFile {
    /// Its path relative to `content/` (see `markdown::local_files`).
    pub target: String,
    /// Site-relative path it resolves to, when that is inside the site.
    pub path: Option<std::path::PathBuf>,
    /// Hex SHA-256 of the file's bytes; `None` when it does not exist, is
    /// not a regular file or lies outside the site.
    pub sha256: Option<String>,
}

/// Everything fingerprint v2 covers.
pub struct V2Input<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub lang: &'a str,
    pub audience: &'a [String],
    pub specialty: &'a [String],
    pub season: &'a [String],
    pub sources: &'a [String],
    pub reviewer: &'a str,
    /// `YYYY-MM-DD`, or empty when no review date is recorded.
    pub review_date: &'a str,
    /// Sorted by target (bytes), without duplicates.
    pub files: &'a [EmbeddedFile],
}

/// v2: `sha256v2:` + hex SHA-256 of the header line
/// `healthpress-fingerprint-v2\n` followed by records `NAME SP LEN LF VALUE
/// LF` (LEN = the byte length of the UTF-8 VALUE, in decimal), in this
/// order: title, summary, body (CRLF -> LF, trailing spaces, tabs, CR and
/// LF removed), lang (as the front matter writes it, empty if absent), one `audience` / `specialty` / `season` / `source`
/// record per list item in the order written, reviewer, review-date, then
/// per embedded file a `file` record (its target) and a `file-sha256`
/// record (hex digest, or `missing`).
pub fn fingerprint_v2(input: &V2Input) -> String {
    let mut hasher = Sha256::new();
    hasher.update(V2_HEADER);
    let mut record = |name: &str, value: &str| {
        hasher.update(name.as_bytes());
        hasher.update(format!(" {}\n", value.len()).as_bytes());
        hasher.update(value.as_bytes());
        hasher.update(b"\n");
    };
    let body = input.body.replace("\r\n", "\n");
    record("title", input.title);
    record("summary", input.summary);
    record("body", body.trim_end_matches([' ', '\t', '\r', '\n']));
    record("lang", input.lang);
    for (name, items) in [
        ("audience", input.audience),
        ("specialty", input.specialty),
        ("season", input.season),
        ("source", input.sources),
    ] {
        for item in items {
            record(name, item);
        }
    }
    record("reviewer", input.reviewer);
    record("review-date", input.review_date);
    for file in input.files {
        record("file", &file.target);
        record("file-sha256", file.sha256.as_deref().unwrap_or("missing"));
    }
    format!("{V2_PREFIX}{}", hex(&hasher.finalize()))
}

/// Hex SHA-256 of `bytes` (embedded files).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    let mut out = String::with_capacity(digest.len() * 2);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_definition() {
        // python3 -c 'import hashlib;print(hashlib.sha256("T\nS\nbody".encode()).hexdigest())'
        let expected = "sha256:73992cee7d37197cf853c6a0c900ed549f7fb6121aff1d040a8e6ea2038c4be9";
        assert_eq!(fingerprint("T", "S", "body\r\n\r\n  \n"), expected);
        assert_eq!(fingerprint("T", "S", "body"), expected);
        assert_ne!(fingerprint("T", "S", "Body"), expected);
    }

    fn input<'a>(files: &'a [EmbeddedFile], audience: &'a [String]) -> V2Input<'a> {
        V2Input {
            title: "T",
            summary: "S",
            body: "正文\r\n\r\n",
            lang: "zh-Hans",
            audience,
            specialty: &[],
            season: &[],
            sources: &[],
            reviewer: "dr-wang",
            review_date: "2026-11-20",
            files,
        }
    }

    #[test]
    fn v2_matches_the_byte_exact_definition() {
        // The README's definition, spelled out.
        let text = "healthpress-fingerprint-v2\ntitle 1\nT\nsummary 1\nS\nbody 6\n正文\nlang 7\nzh-Hans\naudience 7\nseniors\nreviewer 7\ndr-wang\nreview-date 10\n2026-11-20\nfile 5\na.png\nfile-sha256 7\nmissing\n";
        let expected = format!("sha256v2:{}", sha256_hex(text.as_bytes()));
        let files = [EmbeddedFile {
            target: "a.png".into(),
            path: None,
            sha256: None,
        }];
        let audience = ["seniors".to_string()];
        assert_eq!(fingerprint_v2(&input(&files, &audience)), expected);
        assert_ne!(fingerprint_v2(&input(&[], &audience)), expected);
    }

    #[test]
    fn list_boundaries_are_unambiguous() {
        let one = ["ab".to_string()];
        let two = ["a".to_string(), "b".to_string()];
        assert_ne!(
            fingerprint_v2(&input(&[], &one)),
            fingerprint_v2(&input(&[], &two))
        );
    }

    #[test]
    fn versions_by_prefix() {
        assert_eq!(Version::of("sha256:ab"), Some(Version::V1));
        assert_eq!(Version::of("sha256v2:ab"), Some(Version::V2));
        assert_eq!(Version::of("md5:ab"), None);
    }
}
