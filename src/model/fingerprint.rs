//! The approval fingerprint (product.md): a sign-off is bound to the exact
//! text the doctor read, so any later edit to the title, summary or body
//! voids it.

use sha2::{Digest, Sha256};

/// `sha256:` + hex SHA-256 of `title + "\n" + summary + "\n" + body`, with the
/// body's CRLF turned into LF and trailing whitespace removed from its end.
pub fn fingerprint(title: &str, summary: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let mut hasher = Sha256::new();
    hasher.update(title.as_bytes());
    hasher.update(b"\n");
    hasher.update(summary.as_bytes());
    hasher.update(b"\n");
    hasher.update(body.trim_end().as_bytes());
    let digest = hasher.finalize();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
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
}
