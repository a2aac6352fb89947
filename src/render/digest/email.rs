//! `email.html`: the issue as e-mail clients need it. The template
//! (`digest_email.html`) uses a table layout at most 600 px wide and one
//! `<style>` block; css-inline then moves every rule into `style=""`
//! attributes and keeps only `@media` rules in a `<style>` (Gmail supports
//! those, Outlook ignores them harmlessly).
//!
//! Size budget: Gmail clips messages above about 102 KB, hiding the footer
//! with the unsubscribe link. An issue over [`WARN_BYTES`] (90 KB) gets a
//! warning and is cut down until it fits: first the oldest articles lose
//! their bodies (summary and link stay), then, if summaries alone are too
//! long, the oldest articles are left out behind a "more in the web view"
//! link. An issue that cannot get under [`MAX_BYTES`] fails the build.
//!
//! Placeholders: footer links are rendered with opaque sentinels and the
//! platform tokens (`*|UNSUB|*`, `{{ UnsubscribeURL }}`, …) are put in after
//! escaping and inlining, so no escaping step can touch them.

use css_inline::CSSInliner;

use crate::diagnostics::Diagnostic;

use super::{DigestArticle, Digests, IssueView};

/// Above this many bytes an e-mail is cut down (and a warning given).
pub const WARN_BYTES: usize = 90 * 1024;
/// Gmail clips messages above about this size.
pub const MAX_BYTES: usize = 102 * 1024;
/// Longest preheader text, in characters (clients show 40-140).
const PREHEADER_CHARS: usize = 140;

/// The placeholder sentinel for footer link `n`: letters, digits and `-`
/// only, so HTML escaping and re-serialisation leave it alone.
pub fn sentinel(n: usize) -> String {
    format!("x-healthpress-placeholder-{n}-9f2c")
}

/// Puts the platform tokens in place of the sentinels.
pub fn fill_placeholders(text: &str, digests: &Digests) -> String {
    let mut out = text.to_string();
    for (n, link) in digests.footer.iter().enumerate() {
        out = out.replace(&sentinel(n), &link.token);
    }
    out
}

/// Hidden preview text: the first summaries, up to 140 characters.
pub fn preheader(articles: &[DigestArticle]) -> String {
    let joined = articles
        .iter()
        .map(|a| a.summary.trim())
        .collect::<Vec<_>>()
        .join(" · ");
    if joined.chars().count() <= PREHEADER_CHARS {
        return joined;
    }
    let mut cut: String = joined.chars().take(PREHEADER_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Inlines the CSS of a rendered e-mail, keeping only `@media` rules in a
/// `<style>` block. Remote stylesheets are never fetched.
pub fn inline_css(html: &str) -> Result<String, String> {
    let inliner = CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(true)
        .build();
    inliner.inline(html).map_err(|e| e.to_string())
}

fn render_once(digests: &Digests, view: &IssueView) -> Result<String, Diagnostic> {
    let html = digests
        .index
        .theme
        .render("digest_email.html", &digests.context(view))?;
    let inlined = inline_css(&html).map_err(|e| {
        Diagnostic::error(
            "digest-css",
            "themes/default/templates/digest_email.html",
            format!("cannot inline the e-mail's CSS: {e}"),
        )
    })?;
    Ok(fill_placeholders(&inlined, digests))
}

/// The view with bodies kept for the first `bodies` articles and only the
/// first `shown` articles listed.
fn cut(full: &IssueView, bodies: usize, shown: usize) -> IssueView {
    let mut view = full.clone();
    view.articles.truncate(shown);
    for a in view.articles.iter_mut().skip(bodies) {
        a.body = None;
    }
    view.hidden = full.articles.len() - view.articles.len();
    view
}

/// Largest `k` in `0..=hi` with `fits(k)`, given `fits` is monotone
/// (true up to some point, false after) and `fits(0)` is known to hold.
fn largest_fitting(
    hi: usize,
    mut fits: impl FnMut(usize) -> Result<bool, Diagnostic>,
) -> Result<usize, Diagnostic> {
    let (mut lo, mut hi) = (0, hi);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid)? {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(lo)
}

/// Renders `email.html` within the size budget. Returns the HTML, the view
/// actually used (the text part lists the same articles) and warnings.
pub fn render_fitted(
    digests: &Digests,
    full: IssueView,
) -> Result<(String, IssueView, Vec<Diagnostic>), Diagnostic> {
    let html = render_once(digests, &full)?;
    if html.len() <= WARN_BYTES {
        return Ok((html, full, Vec::new()));
    }
    let n = full.articles.len();
    let full_kb = html.len() / 1024;
    // The last render that fitted is the one kept, so no view is rendered twice.
    let fitting = |view: IssueView| -> Result<Option<(IssueView, String)>, Diagnostic> {
        let html = render_once(digests, &view)?;
        Ok((html.len() <= WARN_BYTES).then_some((view, html)))
    };
    let summaries = render_once(digests, &cut(&full, 0, n))?;
    let (view, html) = if summaries.len() <= WARN_BYTES {
        // Estimate how many bodies fit (each body's share of the extra
        // bytes is proportional to its length), then step down until the
        // real render fits: usually one or two renders, not a search.
        let lengths: Vec<usize> = full
            .articles
            .iter()
            .map(|a| a.body.as_ref().map_or(0, String::len))
            .collect();
        let total: usize = lengths.iter().sum::<usize>().max(1);
        let extra = html.len().saturating_sub(summaries.len());
        let room = WARN_BYTES - summaries.len();
        let mut used = 0;
        let mut bodies = 0;
        while bodies < n && (used + lengths[bodies]) * extra / total <= room {
            used += lengths[bodies];
            bodies += 1;
        }
        let mut found = None;
        while bodies > 0 && found.is_none() {
            found = fitting(cut(&full, bodies, n))?;
            bodies -= 1;
        }
        found.unwrap_or_else(|| (cut(&full, 0, n), summaries))
    } else {
        let shown = largest_fitting(n, |m| {
            Ok(render_once(digests, &cut(&full, 0, m))?.len() <= WARN_BYTES)
        })?;
        let view = cut(&full, 0, shown);
        let html = render_once(digests, &view)?;
        (view, html)
    };
    let file = format!("public/digests/{}/{}/email.html", full.segment, full.date);
    if view.articles.is_empty() || html.len() >= MAX_BYTES {
        return Err(Diagnostic::error(
            "digest-too-large",
            &file,
            format!(
                "the e-mail is {} KB even with one summary; Gmail clips messages above 102 KB",
                html.len() / 1024
            ),
        )
        .hint("shorten the articles' summaries or the e-mail template"));
    }
    let kept = view.articles.iter().filter(|a| a.body.is_some()).count();
    let warning = Diagnostic::warning(
        "digest-size",
        &file,
        format!(
            "with every article in full the e-mail would be {full_kb} KB (over the {} KB warning level; Gmail clips above 102 KB): now {} KB with {kept} of {n} articles in full, {} as summaries{}",
            WARN_BYTES / 1024,
            html.len() / 1024,
            view.articles.len() - kept,
            if view.hidden > 0 { format!(", {} only in the web view", view.hidden) } else { String::new() },
        ),
    )
    .hint("readers follow the links to the full articles; a shorter cadence keeps issues smaller");
    Ok((html, view, vec![warning]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_rules_stay_in_style_everything_else_inlined() {
        let html = "<html><head><style>p { color: #111; } @media (max-width: 620px) { .wrap { width: 100% !important; } }</style></head><body><p class=\"wrap\">x</p></body></html>";
        let out = inline_css(html).unwrap();
        assert!(
            out.contains("<p class=\"wrap\" style=\"color: #111;\">x</p>"),
            "{out}"
        );
        assert!(out.contains("<style>@media (max-width: 620px)"), "{out}");
        assert_eq!(out.matches("<style").count(), 1);
    }

    #[test]
    fn largest_fitting_finds_the_edge() {
        assert_eq!(largest_fitting(10, |k| Ok(k <= 7)).unwrap(), 7);
        assert_eq!(largest_fitting(10, |k| Ok(k == 0)).unwrap(), 0);
        assert_eq!(largest_fitting(10, |_| Ok(true)).unwrap(), 10);
    }

    #[test]
    fn preheader_is_cut_to_140_chars() {
        let a = DigestArticle {
            slug: "a".into(),
            title: "t".into(),
            summary: "长".repeat(300),
            date: "2026-01-01".into(),
            lang: "zh".into(),
            path: "/".into(),
            email_url: "/".into(),
            body: None,
            reviewer: None,
        };
        assert_eq!(preheader(&[a]).chars().count(), 140);
    }
}
