//! Aliases: old URLs of an article (front matter `aliases:`), each kept
//! alive by a redirect page to its current URL. An alias is a site path
//! relative to the site's base path, written as it appeared in the old
//! address bar: `/articles/old-slug/`, `/2019/05/flu.html`. This module
//! owns their syntax, the file a redirect page for one is written to, and
//! the URL space the build's own pages occupy (an alias there would
//! replace a real page).

/// Why `alias` is not a usable old URL, or `None` if it is.
pub fn alias_problem(alias: &str) -> Option<&'static str> {
    if !alias.starts_with('/') {
        return Some(
            "an alias is a path on the site starting with `/`, e.g. `/articles/old-slug/`",
        );
    }
    if alias == "/" {
        return Some("`/` is the home page");
    }
    if alias.len() > 300 {
        return Some("the alias is longer than 300 characters");
    }
    if alias.contains(['?', '#']) {
        return Some("a static redirect page cannot match a query (`?`) or fragment (`#`)");
    }
    if !alias
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~'))
    {
        return Some("an alias may contain only ASCII letters, digits and `/ - _ . ~`");
    }
    if alias.split('/').skip(1).enumerate().any(|(i, seg)| {
        seg == "." || seg == ".." || (seg.is_empty() && i + 2 < alias.split('/').count())
    }) {
        return Some("an alias may not contain `.` or `..` segments or `//`");
    }
    if alias
        .split('/')
        .any(|seg| seg.starts_with('.') && !seg.is_empty())
    {
        return Some("an alias may not name a hidden file or folder (a segment starting with `.`)");
    }
    None
}

/// The page an alias is served from, relative to the output's base path:
/// `/old/` and `/old` -> `old/index.html`, `/old.html` -> `old.html`.
pub fn alias_file(alias: &str) -> String {
    let rel = alias.trim_start_matches('/');
    if rel.ends_with(".html") || rel.ends_with(".htm") {
        rel.to_string()
    } else if rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        format!("{rel}/index.html")
    }
}

/// The canonical form of an alias, as compared with other URLs: a folder
/// path ends in `/` (`/old` and `/old/` are one URL on static hosts).
pub fn alias_key(alias: &str) -> String {
    let file = alias_file(alias);
    match file.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{file}"),
    }
}

/// Top-level folders and files the build writes itself (besides articles
/// and taxonomy terms): an alias inside one would collide with a page.
pub const RESERVED_ROOTS: &[&str] = &[
    "s",
    "articles",
    "search",
    "digests",
    "static",
    "pagefind",
    ".healthpress",
    "index.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "_redirects",
];

/// Whether the canonical alias `key` (see [`alias_key`]) lies in the URL
/// space of the build's own pages: a reserved root other than `articles/`,
/// a taxonomy listing, or an article's page and what is under it
/// (`slug_taken` says whether a slug belongs to an article, public or not).
pub fn collides_with_pages(
    key: &str,
    taxonomies: &[&str],
    slug_taken: &dyn Fn(&str) -> bool,
) -> bool {
    let rel = key.trim_start_matches('/');
    let first = rel.split('/').next().unwrap_or("");
    if first == "articles" {
        // `/articles/` itself, or the folder of a real article.
        let slug = rel.split('/').nth(1).unwrap_or("");
        return slug.is_empty() || slug_taken(slug.trim_end_matches(".html"));
    }
    RESERVED_ROOTS.contains(&first) || taxonomies.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_syntax() {
        for good in ["/articles/old/", "/old", "/2019/05/flu.html", "/a_b~c/"] {
            assert_eq!(alias_problem(good), None, "{good}");
        }
        for bad in [
            "articles/old/",
            "/",
            "/a?p=1",
            "/a#x",
            "/a b/",
            "/中文/",
            "/a/../b/",
            "/a//b/",
            "/./a",
            "/.git/config",
            "/a\\b",
        ] {
            assert!(alias_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn alias_files_and_keys() {
        assert_eq!(alias_file("/articles/old/"), "articles/old/index.html");
        assert_eq!(alias_file("/old"), "old/index.html");
        assert_eq!(alias_file("/2019/flu.html"), "2019/flu.html");
        assert_eq!(alias_key("/old"), alias_key("/old/"));
        assert_eq!(alias_key("/old"), "/old/");
        assert_eq!(alias_key("/x/flu.html"), "/x/flu.html");
    }

    #[test]
    fn the_build_s_own_url_space() {
        let taken = |slug: &str| slug == "flu";
        let tax = ["audience", "specialty", "season"];
        assert!(collides_with_pages("/articles/flu/", &tax, &taken));
        assert!(collides_with_pages("/articles/flu/poster/", &tax, &taken));
        assert!(collides_with_pages("/articles/", &tax, &taken));
        assert!(!collides_with_pages("/articles/old-flu/", &tax, &taken));
        assert!(collides_with_pages("/s/abc/", &tax, &taken));
        assert!(collides_with_pages("/audience/seniors/", &tax, &taken));
        assert!(collides_with_pages("/sitemap.xml", &tax, &taken));
        assert!(!collides_with_pages("/2019/flu.html", &tax, &taken));
    }
}
