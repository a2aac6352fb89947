//! What every file of a digest issue is made from: the issue's view (its
//! articles with bodies, UTM-tagged links, footer links), the state shared
//! by one build's issues ([`Digests`]), and the footer-link placeholders
//! that survive escaping. The web, e-mail and text renderings all read
//! these; none of them is read by this module.

use std::borrow::Cow;

use chrono::Duration;
use serde::Serialize;
use tera::Context;

use crate::config::calendar::Newsletter;
use crate::config::newsletter::FooterLink;
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkResolver;
use crate::model::newsletter::Issue;
use crate::render::index::{AnyLinks, Index, PublicLinks};
use crate::render::views::person_view;

use super::links::{self, Utm};

/// One article as a digest shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DigestArticle {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub date: String,
    pub lang: String,
    /// Root-relative URL, for the web view (on-site links are not tagged).
    pub path: String,
    /// Absolute URL with the issue's UTM tags, for e-mail.
    pub email_url: String,
    /// Rendered body for e-mail (absolute, tagged links); `None` once the
    /// size budget has cut it down to the summary.
    pub body: Option<String>,
    /// "Name, title" of the reviewing doctor.
    pub reviewer: Option<String>,
}

/// A footer link as templates see it: its label and an opaque sentinel
/// `href` that is swapped for the platform token after rendering.
#[derive(Debug, Clone, Serialize)]
pub struct FooterLinkView {
    pub label: String,
    pub href: String,
}

/// Everything the three issue templates receive as `issue`.
#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    pub segment: String,
    pub name: String,
    pub from_name: String,
    pub date: String,
    /// First day the issue covers (the day after the previous issue).
    pub from: String,
    pub lang: String,
    pub web_url: String,
    pub list_url: String,
    pub feed_url: String,
    pub articles: Vec<DigestArticle>,
    /// Articles left out of the e-mail to stay under the size budget; the
    /// web view always has all of them.
    pub hidden: usize,
    pub preheader: String,
    pub preview: bool,
    pub footer_links: Vec<FooterLinkView>,
    pub address: Option<String>,
    pub footer: Option<String>,
}

/// What every issue of one build shares.
pub struct Digests<'a> {
    pub index: &'a Index<'a>,
    resolver: Box<dyn LinkResolver + Sync + 'a>,
    footer: Vec<FooterLink>,
    preview: bool,
}

/// Root-relative URL of a segment's digest folder.
pub fn segment_path(index: &Index, segment: &str) -> String {
    format!("{}digests/{segment}/", index.urls.base_path)
}

impl<'a> Digests<'a> {
    /// `preview` resolves links to any article (the CLI's `--preview`);
    /// otherwise only public articles are link targets.
    pub fn new(index: &'a Index<'a>, preview: bool) -> Result<Digests<'a>, Diagnostic> {
        let site = index.site;
        // Validation reports a bad `newsletter:` section at its line; a
        // site that got this far has a valid one.
        let footer = site
            .config
            .newsletter
            .footer_links()
            .map_err(|why| Diagnostic::error("newsletter-config", "site.yaml", why))?;
        let resolver: Box<dyn LinkResolver + Sync + 'a> = if preview {
            Box::new(AnyLinks::new(site, &index.urls))
        } else {
            Box::new(PublicLinks::new(site, &index.urls))
        };
        Ok(Digests {
            index,
            resolver,
            footer,
            preview,
        })
    }

    /// Article `i`'s body HTML: the public page's (rendered once per build,
    /// see [`Index::public_body`]), or in preview one whose links may lead
    /// to articles not yet public.
    pub(super) fn body(&self, i: usize) -> Cow<'_, str> {
        if self.preview {
            Cow::Owned(
                self.index
                    .body_renderer
                    .render(&self.index.site.articles[i], self.resolver.as_ref())
                    .0
                    .html,
            )
        } else {
            Cow::Borrowed(self.index.public_body(i, self.resolver.as_ref()))
        }
    }

    /// The labels of an issue in `lang`.
    fn labels(&self, lang: &str) -> &std::collections::BTreeMap<String, String> {
        &self.index.lang(lang).labels
    }

    /// The view of one issue, with full bodies (e-mail fitting may drop them).
    pub fn issue_view(&self, newsletter: &Newsletter, issue: &Issue) -> IssueView {
        let index = self.index;
        let site = index.site;
        let config = &site.config;
        let urls = &index.urls;
        let lang = newsletter.language(&config.language).to_string();
        let utm = Utm::new(&issue.segment, issue.date);
        let seg_path = segment_path(index, &issue.segment);
        let articles: Vec<DigestArticle> = issue
            .articles
            .iter()
            .map(|&i| {
                let a = &site.articles[i];
                let path = urls.article(&a.slug);
                let body = self.body(i);
                let reviewer = a.review.reviewer.as_ref().and_then(|id| {
                    config.people.get(id).map(|p| {
                        let v = person_view(id, p, &lang);
                        match v.title {
                            Some(t) => format!("{} {t}", v.name),
                            None => v.name,
                        }
                    })
                });
                DigestArticle {
                    slug: a.slug.clone(),
                    title: a.title.clone(),
                    summary: a.summary.clone(),
                    date: a.date.to_string(),
                    lang: a.lang.clone(),
                    email_url: utm.tag(&urls.absolute(&path), &a.slug),
                    path,
                    body: Some(links::rewrite_body(
                        &crate::markdown::for_email(&links::prefix_ids(
                            &body,
                            &format!("{}--", a.slug),
                        )),
                        &urls.origin,
                        &urls.base_path,
                        Some(&utm),
                        &a.title,
                    )),
                    reviewer,
                }
            })
            .collect();
        let labels = self.labels(&lang);
        let name = newsletter.display_name(&lang).to_string();
        let nl = &config.newsletter;
        let site_in_lang = &index.lang(&lang).site;
        // The sender name and footer text of site.yaml are in the default
        // language: an issue in another uses its publisher's name and the
        // theme's footer labels only (the postal address stays as written).
        let default_lang = lang == config.language;
        IssueView {
            segment: issue.segment.clone(),
            from_name: nl
                .from_name
                .clone()
                .filter(|_| default_lang)
                .or_else(|| site_in_lang.publisher.as_ref().map(|p| p.name.clone()))
                .unwrap_or_else(|| site_in_lang.title.clone()),
            name,
            date: issue.date.to_string(),
            from: (issue.window_start + Duration::days(1)).to_string(),
            lang,
            web_url: urls.absolute(&format!("{seg_path}{}/", issue.date)),
            list_url: urls.absolute(&seg_path),
            feed_url: urls.absolute(&format!("{seg_path}atom.xml")),
            preheader: preheader(&articles),
            articles,
            hidden: 0,
            preview: self.preview,
            footer_links: self
                .footer
                .iter()
                .enumerate()
                .map(|(n, l)| FooterLinkView {
                    label: labels.get(l.label).cloned().unwrap_or_default(),
                    href: sentinel(n),
                })
                .collect(),
            address: nl.address.clone(),
            footer: nl.footer.clone().filter(|_| default_lang),
        }
    }

    /// Context shared by the e-mail and text templates.
    pub(super) fn context(&self, view: &IssueView) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &self.index.lang(&view.lang).site);
        ctx.insert("t", self.labels(&view.lang));
        ctx.insert("issue", view);
        ctx
    }
}

/// Longest preheader text, in characters (clients show 40-140).
const PREHEADER_CHARS: usize = 140;

/// Start of every placeholder sentinel.
const SENTINEL_PREFIX: &str = "x-healthpress-placeholder-";
/// End of every placeholder sentinel.
const SENTINEL_SUFFIX: &str = "-9f2c";

/// The placeholder sentinel for footer link `n`: letters, digits and `-`
/// only, so HTML escaping and re-serialisation leave it alone.
pub fn sentinel(n: usize) -> String {
    format!("{SENTINEL_PREFIX}{n}{SENTINEL_SUFFIX}")
}

/// Puts the platform tokens in place of the sentinels, in one pass over
/// the text (it runs on every e-mail tried while fitting the size budget).
pub fn fill_placeholders(text: &str, digests: &Digests) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(SENTINEL_PREFIX) {
        out.push_str(&rest[..at]);
        let after = &rest[at + SENTINEL_PREFIX.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let link = after[digits..]
            .strip_prefix(SENTINEL_SUFFIX)
            .and(after[..digits].parse::<usize>().ok())
            .and_then(|n| digests.footer.get(n));
        match link {
            Some(link) => {
                out.push_str(&link.token);
                rest = &after[digits + SENTINEL_SUFFIX.len()..];
            }
            None => {
                out.push_str(SENTINEL_PREFIX);
                rest = after;
            }
        }
    }
    out.push_str(rest);
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

#[cfg(test)]
mod tests {
    use super::*;

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
