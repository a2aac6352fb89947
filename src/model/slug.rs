//! Slugs: the ASCII, URL-safe last segment of an article's URL. A Chinese
//! file name is transliterated (冬季防跌倒 -> dong-ji-fang-die-dao) rather than
//! percent-encoded, because percent-encoded paths break in e-mail clients,
//! chat apps and printed QR codes. The transliteration is phrase-aware
//! pinyin (`crate::pinyin`: 高血压 -> gao-xue-ya, 重庆 -> chong-qing).

/// Makes an ASCII slug: phrase-aware pinyin for Chinese, Latin letters and
/// digits as words of their own, lowercase, joined by single hyphens.
pub fn slugify(text: &str) -> String {
    collapse(&crate::pinyin::slug(text))
}

/// The slug versions before 0.2 derived from a file name: deunicode,
/// character by character (高血压 -> gao-xie-ya). Only used to warn when an
/// article's derived URL changed (`check`'s `derived-slug-changed`).
pub fn legacy_slugify(text: &str) -> String {
    collapse(&deunicode::deunicode(text))
}

/// Lowercases ASCII letters and digits and joins runs of anything else
/// with single hyphens.
fn collapse(ascii: &str) -> String {
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// Why a slug written in front matter is refused, or `None` if it is fine.
/// Only lowercase ASCII letters, digits and inner hyphens are allowed, which
/// rules out `..`, `/`, `\`, NUL, drive letters and percent-encoding at once.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        return Some("the slug is empty");
    }
    if slug.len() > 120 {
        return Some("the slug is longer than 120 characters");
    }
    if slug.contains("..") || slug.contains('/') || slug.contains('\\') || slug.contains('\0') {
        return Some(
            "a slug may not contain `..`, `/`, `\\` or NUL: it would leave the article's folder",
        );
    }
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("a slug may contain only lowercase ASCII letters, digits and hyphens");
    }
    if slug.starts_with('-') || slug.ends_with('-') {
        return Some("a slug may not start or end with a hyphen");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_chinese() {
        assert_eq!(slugify("儿童发热"), "er-tong-fa-re");
        assert_eq!(slugify("Winter Heart -- Health!"), "winter-heart-health");
        assert_eq!(slugify("2型糖尿病"), "2-xing-tang-niao-bing");
        assert_eq!(slugify("高血压"), "gao-xue-ya");
        assert_eq!(legacy_slugify("高血压"), "gao-xie-ya");
        assert_eq!(legacy_slugify("2型糖尿病"), "2xing-tang-niao-bing");
    }

    #[test]
    fn refuses_unsafe_slugs() {
        for bad in [
            "..",
            "a/b",
            "a\\b",
            "a\0b",
            "../etc",
            "Caps",
            "有中文",
            "a%20b",
            "-a",
            "",
        ] {
            assert!(slug_problem(bad).is_some(), "{bad:?} should be refused");
        }
        assert_eq!(slug_problem("winter-heart-health-2026"), None);
    }
}
