//! Link policy: decides, for every Markdown link and image destination,
//! whether it is an internal article link (`other.md#part`) that must be
//! resolved to its published URL, an ordinary URL that may pass through, or a
//! dangerous scheme (`javascript:`, `data:` ...) that must never reach a page.
//!
//! pulldown-cmark has already decoded entities and backslash escapes in the
//! destination, so `&#106;avascript:` arrives here as `javascript:`. What is
//! left to defeat is the leniency of browsers' URL parsers: they ignore
//! leading control characters and spaces and delete tabs and newlines
//! anywhere, and schemes are case-insensitive. We mimic that before looking
//! at the scheme, and then allow only a short list of schemes: http, https,
//! mailto, tel and sms, plus those site.yaml adds under `content:
//! link_schemes:` (`weixin` for WeChat). A scheme is what the URL standard
//! calls one (a letter, then letters, digits, `+`, `-`, `.`), so `foo):`
//! (from `[x](foo\):)`) is a relative path, as a browser reads it.

use std::path::{Component, Path, PathBuf};

use pulldown_cmark::CowStr;

use super::{LinkProblem, LinkResolver, MarkdownInput, UrlCheck};
use crate::diagnostics::Diagnostic;

use crate::config::content::{DEFAULT_SCHEMES, FORBIDDEN_SCHEMES};

/// Whether an article may link to `scheme`: one of the defaults or of
/// `extra` (site.yaml), and never one that runs code. Everything else is
/// refused rather than listed as bad, so new browser schemes cannot slip
/// through.
pub(crate) fn scheme_allowed(scheme: &str, extra: &[String]) -> bool {
    !FORBIDDEN_SCHEMES.contains(&scheme)
        && (DEFAULT_SCHEMES.contains(&scheme) || extra.iter().any(|s| s == scheme))
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LinkKind<'u> {
    /// A relative link to another article's Markdown source.
    Article {
        path: &'u str,
        fragment: Option<&'u str>,
    },
    /// Safe to emit unchanged.
    PassThrough,
    /// A scheme outside the allowlist; carries the scheme as the browser
    /// would see it, for the diagnostic.
    Unsafe { scheme: String },
}

pub(crate) fn classify<'u>(url: &'u str, schemes: &[String]) -> LinkKind<'u> {
    if let Some(scheme) = scheme_of(url) {
        return if scheme_allowed(&scheme, schemes) {
            LinkKind::PassThrough
        } else {
            LinkKind::Unsafe { scheme }
        };
    }
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if trimmed.is_empty() || trimmed.starts_with(['/', '\\', '#', '?']) {
        return LinkKind::PassThrough;
    }
    let (before_fragment, fragment) = match trimmed.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (trimmed, None),
    };
    // A query string on a source link means nothing once it is rewritten.
    let path = before_fragment.split('?').next().unwrap_or("");
    let is_md = path.len() >= 3
        && path.is_char_boundary(path.len() - 3)
        && path[path.len() - 3..].eq_ignore_ascii_case(".md");
    if is_md {
        LinkKind::Article { path, fragment }
    } else {
        LinkKind::PassThrough
    }
}

/// Checks a link destination and rewrites article links to their URLs.
/// Returns the destination to emit (`None`: show the text only) and a
/// diagnostic without a position (the caller knows where the link is).
pub(crate) fn check<'a>(
    dest: CowStr<'a>,
    input: &MarkdownInput,
    resolver: &dyn LinkResolver,
    urls: Option<&dyn UrlCheck>,
    what: &str,
) -> (Option<CowStr<'a>>, Option<Diagnostic>) {
    let (path, fragment) = match classify(&dest, input.settings.link_schemes) {
        LinkKind::PassThrough => {
            let Some(urls) = urls else {
                return (Some(dest), None);
            };
            return match urls.check(&dest) {
                Ok(()) => (Some(dest), None),
                Err(problem) => {
                    let (keep, d) = problem_diagnostic(problem, input, &dest, what, None);
                    (keep.map(|_| dest), Some(d))
                }
            };
        }
        LinkKind::Unsafe { scheme } => {
            return (
                None,
                Some(unsafe_link(
                    input.file,
                    &dest,
                    &scheme,
                    what,
                    input.settings.link_schemes,
                )),
            )
        }
        LinkKind::Article { path, fragment } => (path, fragment),
    };
    let Some(target) = resolve_path(input.source_dir, path) else {
        return (None, Some(Diagnostic::error(
            "broken-link",
            input.file,
            format!("link `{dest}` points outside the content directory"),
        )
        .hint("links between articles are relative to this file and must stay inside content/")));
    };
    let with_fragment = |mut url: String| {
        if let Some(fragment) = fragment {
            url.push('#');
            url.push_str(fragment);
        }
        CowStr::from(url)
    };
    match resolver.resolve(&target) {
        Ok(url) => (Some(with_fragment(url)), None),
        Err(problem) => {
            let (keep, d) = problem_diagnostic(problem, input, &dest, what, Some(&target));
            (keep.map(with_fragment), Some(d))
        }
    }
}

/// The diagnostic for a link `dest` the resolver objected to, and the URL
/// to emit if the link is kept. `target` is the `.md` path it resolved to.
pub(crate) fn problem_diagnostic(
    problem: LinkProblem,
    input: &MarkdownInput,
    dest: &str,
    what: &str,
    target: Option<&Path>,
) -> (Option<String>, Diagnostic) {
    let looked = target.map_or(String::new(), |t| {
        format!(" (looked for `content/{}`)", t.display())
    });
    match problem {
        LinkProblem::Missing(reason) => (
            None,
            Diagnostic::error(
                "broken-link",
                input.file,
                format!("{what} `{dest}` cannot be resolved: {reason}{looked}"),
            )
            .hint("check the file name and folder; until then the link text is shown without a link"),
        ),
        LinkProblem::NotPublic(reason) => (
            None,
            Diagnostic::warning(
                "link-to-unpublished",
                input.file,
                format!("{what} `{dest}`: {reason}"),
            )
            .hint("the public page shows the link text without a link and names nothing of the target; the link works again once the target is public"),
        ),
        LinkProblem::EndingSoon { url, message } => (
            Some(url),
            Diagnostic::warning(
                "link-ending-soon",
                input.file,
                format!("{what} `{dest}` {message}"),
            )
            .hint("from that day on the link is shown as plain text; link to the replacement, or extend the target's review"),
        ),
    }
}

/// The error for a link or image whose scheme is not allowed: what was
/// done with it and what the author can do.
pub(crate) fn unsafe_link(
    file: &Path,
    url: &str,
    scheme: &str,
    what: &str,
    extra: &[String],
) -> Diagnostic {
    let shown: String = url.chars().take(60).collect();
    let ellipsis = if url.chars().count() > 60 { "…" } else { "" };
    let done = if what == "image" {
        "its description is shown instead of the image"
    } else {
        "its text is shown without a link"
    };
    let mut allowed: Vec<&str> = DEFAULT_SCHEMES.to_vec();
    allowed.extend(
        extra
            .iter()
            .map(String::as_str)
            .filter(|s| !FORBIDDEN_SCHEMES.contains(s)),
    );
    let hint = if FORBIDDEN_SCHEMES.contains(&scheme) {
        format!(
            "`{scheme}:` URLs can run code or read the reader's files and are never allowed; link to a web page instead (allowed: {}, and relative paths)",
            allowed.join(", ")
        )
    } else {
        format!(
            "allowed: {}, and relative paths; if readers need `{scheme}:` links, add `{scheme}` under `content: link_schemes:` in site.yaml",
            allowed.join(", ")
        )
    };
    Diagnostic::error(
        "unsafe-link",
        file,
        format!("{what} `{shown}{ellipsis}` uses the `{scheme}:` scheme, which this site does not allow: {done}"),
    )
    .hint(hint)
}

/// The lower-cased scheme as a browser would parse it, or `None` for a
/// relative reference: no `:` before the first `/`, `?` or `#`, or
/// something before the `:` that cannot be a scheme (`foo):`, `图:`), which
/// the URL standard reads as a relative path.
pub fn scheme_of(url: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in url.trim_start_matches(|c: char| c <= ' ').chars() {
        match c {
            '\t' | '\n' | '\r' => continue,
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => {
                scheme.push(c)
            }
            _ => return None,
        }
    }
    None
}

/// Joins an article-relative link path to the article's directory and
/// normalizes it, refusing to climb above `content/`. Returns `None` when the
/// link escapes the content root.
pub(crate) fn resolve_path(source_dir: &Path, link_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(link_path);
    let mut parts: Vec<&str> = Vec::new();
    for component in source_dir.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => {}
        }
    }
    // Browsers treat `\` like `/`, so a link must not use it to hide `..`.
    for segment in decoded.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.iter().collect())
}

/// Authors write `my%20file.md` because Markdown link destinations cannot
/// contain spaces; the resolver wants the real file name. Invalid escapes or
/// non-UTF-8 results keep the original text.
pub(crate) fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return s.into();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => decoded.into(),
        Err(_) => s.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_found_the_way_browsers_find_them() {
        assert_eq!(
            scheme_of("JaVaScRiPt:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme_of("java\tscript:x").as_deref(), Some("javascript"));
        assert_eq!(
            scheme_of(" \u{1}java\nscript:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme_of("dir/a:b"), None);
        assert_eq!(scheme_of("#x:y"), None);
        // `[x](foo\\):)` arrives as `foo):`: relative, as browsers read it.
        assert_eq!(scheme_of("foo):"), None);
        assert_eq!(scheme_of("1abc:x"), None);
        assert_eq!(scheme_of("图:x"), None);
        assert_eq!(scheme_of(":x"), None);
        assert_eq!(scheme_of("weixin://dl/x").as_deref(), Some("weixin"));
        assert_eq!(scheme_of("web+app:x").as_deref(), Some("web+app"));
    }

    fn classify(url: &str) -> LinkKind<'_> {
        super::classify(url, &[])
    }

    #[test]
    fn configured_schemes_are_allowed_but_never_dangerous_ones() {
        let extra = vec!["weixin".to_string(), "javascript".to_string()];
        assert_eq!(
            super::classify("weixin://dl/officialaccounts", &extra),
            LinkKind::PassThrough
        );
        assert!(matches!(
            super::classify("weixin://x", &[]),
            LinkKind::Unsafe { .. }
        ));
        assert!(matches!(
            super::classify("javascript:x", &extra),
            LinkKind::Unsafe { .. }
        ));
        assert_eq!(classify("sms:+8610086"), LinkKind::PassThrough);
        assert_eq!(classify("foo):"), LinkKind::PassThrough);
    }

    #[test]
    fn classifies_links() {
        assert_eq!(
            classify("../a/b.md#x"),
            LinkKind::Article {
                path: "../a/b.md",
                fragment: Some("x")
            }
        );
        assert_eq!(
            classify("B.MD"),
            LinkKind::Article {
                path: "B.MD",
                fragment: None
            }
        );
        assert_eq!(classify("https://x.org/a.md"), LinkKind::PassThrough);
        assert_eq!(classify("/abs/a.md"), LinkKind::PassThrough);
        assert_eq!(classify("img/a.png"), LinkKind::PassThrough);
        assert_eq!(classify("tel:+861234"), LinkKind::PassThrough);
        assert!(matches!(
            classify("data:text/html,x"),
            LinkKind::Unsafe { .. }
        ));
        assert!(matches!(classify("vbscript:x"), LinkKind::Unsafe { .. }));
        assert!(matches!(
            classify("file:///etc/passwd"),
            LinkKind::Unsafe { .. }
        ));
    }

    #[test]
    fn resolves_and_refuses_escapes() {
        let p = |d: &str, l: &str| resolve_path(Path::new(d), l);
        assert_eq!(p("kids", "fever.md"), Some(PathBuf::from("kids/fever.md")));
        assert_eq!(
            p("kids", "../seniors/./fall.md"),
            Some(PathBuf::from("seniors/fall.md"))
        );
        assert_eq!(p("", "a%20b.md"), Some(PathBuf::from("a b.md")));
        assert_eq!(p("kids", "../../etc.md"), None);
        assert_eq!(p("kids", "..\\..\\etc.md"), None);
        assert_eq!(p("", "../x.md"), None);
    }
}
