//! Short links: every public article has a permanent URL `/s/<id>/` made
//! from its stable id (front matter `id:`), which never changes with its
//! slug, so a QR code printed on a ward poster keeps working for years.
//! The page there redirects to the article's current URL, or to its
//! tombstone once the advice is withdrawn. This module owns the URL shape,
//! the id syntax, the tracking parameters printed codes carry, and the ids
//! `healthpress new` proposes; the redirect pages themselves are rendered
//! by `render::redirects`.

/// The folder of the short links under the site's base path.
pub const SHORT_LINK_DIR: &str = "s";

/// Longest id accepted: it is printed under every QR code.
pub const MAX_ID_LEN: usize = 40;

/// The root-relative short link of `id` on a site whose base path is
/// `base_path` (`/` or `/edu/`): `/s/<id>/`.
pub fn short_link_path(base_path: &str, id: &str) -> String {
    format!("{base_path}{SHORT_LINK_DIR}/{id}/")
}

/// The absolute short link of `id`: `origin` (`https://health.example.org`)
/// plus [`short_link_path`].
pub fn short_link_url(origin: &str, base_path: &str, id: &str) -> String {
    format!("{origin}{}", short_link_path(base_path, id))
}

/// Where a printed or shared link was found, for the site's analytics:
/// `utm_medium` (`poster`, `wechat`), `utm_source` (the article's id) and
/// an optional `utm_campaign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracking<'a> {
    pub medium: &'a str,
    pub source: &'a str,
    pub campaign: Option<&'a str>,
}

impl Tracking<'_> {
    /// `url` with the tracking parameters appended to its query (before any
    /// `#fragment`), each value percent-encoded.
    pub fn tag(&self, url: &str) -> String {
        let (base, fragment) = match url.find('#') {
            Some(i) => url.split_at(i),
            None => (url, ""),
        };
        let mut tagged = String::from(base);
        tagged.push(if base.contains('?') { '&' } else { '?' });
        tagged.push_str("utm_medium=");
        tagged.push_str(&encode_query_value(self.medium));
        tagged.push_str("&utm_source=");
        tagged.push_str(&encode_query_value(self.source));
        if let Some(campaign) = self.campaign.filter(|c| !c.is_empty()) {
            tagged.push_str("&utm_campaign=");
            tagged.push_str(&encode_query_value(campaign));
        }
        tagged.push_str(fragment);
        tagged
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why `id` cannot be an article id, or `None` if it can: lowercase ASCII
/// letters, digits and inner hyphens, at most [`MAX_ID_LEN`] characters
/// (it is a path segment and is printed under QR codes).
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        return Some("the id is empty");
    }
    if id.len() > MAX_ID_LEN {
        return Some("the id is longer than 40 characters");
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("an id may contain only lowercase ASCII letters, digits and hyphens");
    }
    if id.starts_with('-') || id.ends_with('-') {
        return Some("an id may not start or end with a hyphen");
    }
    None
}

/// Letters of generated ids: lowercase, no `0 1 i l o`, so an id printed
/// under a QR code can be typed back without confusion.
const ID_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// Length of generated ids: 31^6 ≈ 890 million, so collisions in one site
/// are rare and `taken` resolves the rest.
const ID_LEN: usize = 6;

/// A new short id derived from `seed` (e.g. the file name and the current
/// time), different from every id for which `taken` is true.
pub fn generate_id(seed: &str, taken: impl Fn(&str) -> bool) -> String {
    use sha2::{Digest, Sha256};
    let mut round = 0u32;
    loop {
        let digest = Sha256::digest(format!("{seed}\n{round}").as_bytes());
        let id: String = digest
            .iter()
            .take(ID_LEN)
            .map(|b| ID_ALPHABET[*b as usize % ID_ALPHABET.len()] as char)
            .collect();
        // A digit-only id would read as a number in a spreadsheet.
        if !taken(&id) && id.bytes().any(|b| b.is_ascii_lowercase()) {
            return id;
        }
        round += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_link_shapes() {
        assert_eq!(short_link_path("/", "k3x9qd"), "/s/k3x9qd/");
        assert_eq!(short_link_path("/edu/", "k3x9qd"), "/edu/s/k3x9qd/");
        assert_eq!(
            short_link_url("https://h.org", "/edu/", "flu"),
            "https://h.org/edu/s/flu/"
        );
    }

    #[test]
    fn tracking_parameters_are_appended_and_encoded() {
        let poster = Tracking {
            medium: "poster",
            source: "k3x9qd",
            campaign: None,
        };
        assert_eq!(
            poster.tag("https://h.org/s/k3x9qd/"),
            "https://h.org/s/k3x9qd/?utm_medium=poster&utm_source=k3x9qd"
        );
        let campaign = Tracking {
            campaign: Some("冬季 病房"),
            ..poster
        };
        assert_eq!(
            campaign.tag("https://h.org/s/a/?x=1#top"),
            "https://h.org/s/a/?x=1&utm_medium=poster&utm_source=k3x9qd&utm_campaign=%E5%86%AC%E5%AD%A3%20%E7%97%85%E6%88%BF#top"
        );
    }

    #[test]
    fn id_syntax() {
        assert_eq!(id_problem("k3x9qd"), None);
        assert_eq!(id_problem("winter-heart"), None);
        for bad in ["", "A1", "a/b", "../x", "-a", "a-", "中文", &"a".repeat(41)] {
            assert!(id_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn generated_ids_are_valid_short_and_avoid_taken_ones() {
        let first = generate_id("content/flu.md 1", |_| false);
        assert_eq!(first.len(), ID_LEN);
        assert_eq!(id_problem(&first), None);
        assert_eq!(first, generate_id("content/flu.md 1", |_| false));
        let second = generate_id("content/flu.md 1", |id| id == first);
        assert_ne!(first, second);
        assert_eq!(id_problem(&second), None);
    }
}
