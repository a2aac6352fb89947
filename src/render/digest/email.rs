//! `email.html`: the issue as e-mail clients need it. The template
//! (`digest_email.html`) uses a table layout at most 600 px wide and one
//! `<style>` block; [`crate::render::inline`] then moves every rule into
//! `style=""` attributes and keeps only `@media` rules in a `<style>` (Gmail supports
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

use crate::diagnostics::Diagnostic;

use super::view::{fill_placeholders, Digests, IssueView};

/// Above this many bytes an e-mail is cut down (and a warning given).
pub const WARN_BYTES: usize = 90 * 1024;
/// Gmail clips messages above about this size.
pub const MAX_BYTES: usize = 102 * 1024;
/// The e-mail before CSS inlining: one Tera render, cheap next to
/// inlining, so the search for the largest view that fits is run on these
/// and only its candidates are inlined.
fn render_raw(digests: &Digests, view: &IssueView) -> Result<String, Diagnostic> {
    digests
        .index
        .theme
        .render("digest_email.html", &digests.context(view))
}

/// Inlines a raw render's CSS and puts the platform tokens in.
fn finish(digests: &Digests, raw: &str) -> Result<String, Diagnostic> {
    let inlined = crate::render::inline::for_email(raw).map_err(|e| {
        Diagnostic::error(
            "digest-css",
            "themes/default/templates/digest_email.html",
            format!("cannot inline the e-mail's CSS: {e}"),
        )
    })?;
    Ok(fill_placeholders(&inlined, digests))
}

/// A view's finished e-mail: rendered, inlined, placeholders filled.
fn render_once(digests: &Digests, view: &IssueView) -> Result<String, Diagnostic> {
    finish(digests, &render_raw(digests, view)?)
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

/// Bytes of the `<style>` blocks in a raw render: the only part inlining
/// takes away (it adds `style=""` attributes everywhere else).
fn style_bytes(raw: &str) -> usize {
    let mut total = 0;
    let mut rest = raw;
    while let Some(start) = rest.find("<style") {
        let Some(len) = rest[start..].find("</style>") else {
            break;
        };
        total += len + "</style>".len();
        rest = &rest[start + len..];
    }
    total
}

/// Renders `email.html` within the size budget. Returns the HTML, the view
/// actually used (the text part lists the same articles) and warnings.
///
/// Inlining CSS is the costly step (it adds about half again to the size),
/// so an issue that must be cut is inlined as few times as possible. A raw
/// render far over the budget is not inlined in full at all. The
/// summaries-only e-mail is inlined once; the bodies that fit beside it are
/// then estimated from their raw length and the inlined/raw ratio of bodies
/// (first assumed to be that of the rest of the e-mail, then measured on
/// each candidate), and each candidate is inlined to check, until the
/// estimate names no count of bodies that is not yet known to fit or not
/// to fit. The e-mail written is always a real render that fits.
pub fn render_fitted(
    digests: &Digests,
    full: IssueView,
) -> Result<(String, IssueView, Vec<Diagnostic>), Diagnostic> {
    let n = full.articles.len();
    let raw = render_raw(digests, &full)?;
    let lower_bound = raw.len().saturating_sub(style_bytes(&raw));
    let full_html = if lower_bound > WARN_BYTES + WARN_BYTES / 5 {
        None
    } else {
        let html = finish(digests, &raw)?;
        if html.len() <= WARN_BYTES {
            return Ok((html, full, Vec::new()));
        }
        Some(html)
    };
    let full_size = match &full_html {
        Some(html) => format!("{} KB", html.len() / 1024),
        None => format!("over {} KB", lower_bound / 1024),
    };
    let summaries_view = cut(&full, 0, n);
    let summaries_raw = render_raw(digests, &summaries_view)?;
    let summaries = finish(digests, &summaries_raw)?;
    let (view, html) = if summaries.len() <= WARN_BYTES {
        // Raw bytes each body adds: its HTML plus the template's wrapper,
        // the same for every article.
        let body_lengths: Vec<usize> = full
            .articles
            .iter()
            .map(|a| a.body.as_ref().map_or(0, String::len))
            .collect();
        let bodies_raw = raw.len().saturating_sub(summaries_raw.len());
        let wrapper = bodies_raw.saturating_sub(body_lengths.iter().sum()) as f64 / n as f64;
        let ratio_of = |html: usize, raw: usize| {
            (html.saturating_sub(summaries.len()) as f64
                / raw.saturating_sub(summaries_raw.len()).max(1) as f64)
                .max(1.0)
        };
        let mut ratio = match &full_html {
            Some(html) => ratio_of(html.len(), raw.len()),
            None => summaries.len() as f64 / summaries_raw.len() as f64,
        };
        // Bodies known to fit (`fitted`) and at most possible (`most`);
        // each inlined candidate narrows the range and corrects the ratio.
        let (mut fitted, mut most) = (0, n - 1);
        let mut best = (summaries_view, summaries.clone());
        loop {
            let mut added = 0.0;
            let mut bodies = 0;
            while bodies < most {
                let next = added + (body_lengths[bodies] as f64 + wrapper) * ratio;
                if summaries.len() as f64 + next > WARN_BYTES as f64 {
                    break;
                }
                added = next;
                bodies += 1;
            }
            if bodies <= fitted {
                break best;
            }
            let view = cut(&full, bodies, n);
            let raw = render_raw(digests, &view)?;
            let html = finish(digests, &raw)?;
            ratio = ratio_of(html.len(), raw.len());
            if html.len() <= WARN_BYTES {
                fitted = bodies;
                best = (view, html);
            } else {
                most = bodies - 1;
            }
        }
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
                "the e-mail is {} KB even with one summary; Gmail clips messages above {} KB",
                html.len() / 1024,
                MAX_BYTES / 1024
            ),
        )
        .hint("shorten the articles' summaries or the e-mail template"));
    }
    let kept = view.articles.iter().filter(|a| a.body.is_some()).count();
    let warning = Diagnostic::warning(
        "digest-size",
        &file,
        format!(
            "with every article in full the e-mail would be {full_size} (over the {} KB warning level; Gmail clips above {} KB): now {} KB with {kept} of {n} articles in full, {} as summaries{}",
            WARN_BYTES / 1024,
            MAX_BYTES / 1024,
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
    fn largest_fitting_finds_the_edge() {
        assert_eq!(largest_fitting(10, |k| Ok(k <= 7)).unwrap(), 7);
        assert_eq!(largest_fitting(10, |k| Ok(k == 0)).unwrap(), 0);
        assert_eq!(largest_fitting(10, |_| Ok(true)).unwrap(), 10);
    }

    #[test]
    fn style_bytes_counts_every_style_block() {
        let raw = "<head><style>p{}</style></head><body><style>@media x{}</style>";
        assert_eq!(
            style_bytes(raw),
            "<style>p{}</style>".len() + "<style>@media x{}</style>".len()
        );
        assert_eq!(style_bytes("<p>no style</p>"), 0);
    }
}
