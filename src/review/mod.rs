//! The review workflow: the rules `check` applies to sign-offs (stale
//! approvals, re-review due, reviewer outside the article's specialty,
//! imminent articles not yet approved, articles without sources), who may
//! sign off at all (the clinical-title rule), and the two commands that
//! change files: `approve` (a textual edit of the `review:` block, see
//! [`edit`]) and the whole-site `check` (see [`check`]).

pub mod check;
pub mod edit;
pub mod links;
pub mod moved;
pub mod sign;

use chrono::NaiveDate;

use crate::config::site::Person;
use crate::config::{yaml, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::model::article::{Article, ReviewStatus};
use crate::model::fingerprint::Version;
use crate::model::schedule::AT_RISK_DAYS;
use crate::model::signoff::{SignOff, Verdict};

/// The review rules `check` applies: id, severity, what it means.
pub const REVIEW_RULES: &[(&str, &str, &str)] = &[
    (
        "stale-approval",
        "error",
        "approved, but what the fingerprint covers changed after sign-off",
    ),
    (
        "bad-signature",
        "error",
        "review.signature does not prove the approval (wrong or removed key, another statement, damaged)",
    ),
    (
        "unsigned-approval",
        "error/warning",
        "approval without review.signature (an error when site.yaml review.require_signature is on)",
    ),
    (
        "fingerprint-v1",
        "error/warning",
        "approval with a v1 fingerprint (an error when review.require_v2 or require_signature is on)",
    ),
    (
        "review-due",
        "warning",
        "approval older than site.yaml review.max_age_days",
    ),
    (
        "review-date-future",
        "warning",
        "review date later than today",
    ),
    (
        "reviewer-specialty",
        "warning",
        "the reviewer's specialty is not among the article's",
    ),
    (
        "unapproved-due-soon",
        "warning",
        "publish date within 7 days and not approved",
    ),
    ("missing-sources", "warning", "the article lists no sources"),
    ("updated-future", "warning", "`updated:` later than today"),
    (
        "updated-before-date",
        "warning",
        "`updated:` earlier than the publish `date:`",
    ),
];

/// Words that make a `title` (or `title_en`) clinical: a physician,
/// pharmacist, nurse or medical technologist grade (主任医师, 主治医师, 主管药师,
/// 主任护师, 主管技师 …) or an English clinical title. Matched as substrings;
/// English words case-insensitively. `Dr` only counts as a whole word.
const CLINICAL_TITLE_WORDS: &[&str] = &[
    "医师",
    "医生",
    "药师",
    "护师",
    "技师",
    "physician",
    "doctor",
    "surgeon",
    "pharmacist",
    "nurse",
    "clinician",
];

/// Whether `person` may sign off an article: their `title` or `title_en`
/// names a clinical grade. A communication editor (健康传播编辑) may not.
pub fn has_clinical_title(person: &Person) -> bool {
    [person.title.as_deref(), person.title_en.as_deref()]
        .into_iter()
        .flatten()
        .any(is_clinical_title)
}

fn is_clinical_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    if CLINICAL_TITLE_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // "Dr", "Dr.", "MD" as whole words.
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "dr" || w == "md")
}

/// The review rules for one article as of `today`. Unknown reviewers and
/// incomplete approvals are `validate`'s; these rules add the judgement on
/// top.
/// `signoff` is the model's assessment of the article's approval.
pub fn check_review(
    config: &SiteConfig,
    article: &Article,
    signoff: &SignOff,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let file = &article.source;
    let front = &article.raw[..article.body_offset];
    let at = |keys: &[&str]| yaml::locate(front, keys, None).unwrap_or((1, 1));
    let mut out = Vec::new();
    let review = &article.review;
    let approved = review.status == Some(ReviewStatus::Approved);
    let reapprove = format!(
        "healthpress approve {} --reviewer {} --key ~/.ssh/id_ed25519",
        file.display(),
        review.reviewer.as_deref().unwrap_or("ID")
    );

    if approved && review.fingerprint.is_some() {
        out.extend(sign_off_findings(config, article, signoff, &reapprove, &at));
    }

    if approved && signoff.verdict == Verdict::Holds {
        if let Some(date) = review.date {
            if let Some(due) = review.due_by(config.review.max_age_days, today) {
                let (l, c) = at(&["review", "date"]);
                out.push(
                    Diagnostic::warning(
                        "review-due",
                        file,
                        format!(
                            "approved on {date}, more than {} days ago (re-review was due {due})",
                            config.review.max_age_days
                        ),
                    )
                    .at(l, c)
                    .hint("have a reviewer check the article against current guidelines and approve it again"),
                );
            }
            if date > today {
                let (l, c) = at(&["review", "date"]);
                out.push(
                    Diagnostic::warning(
                        "review-date-future",
                        file,
                        format!("review date {date} is in the future"),
                    )
                    .at(l, c)
                    .hint("record the day the review actually happened"),
                );
            }
        }
    }

    if let Some(id) = &review.reviewer {
        if let Some(spec) = config.people.get(id).and_then(|p| p.specialty.as_ref()) {
            if !article.specialty.is_empty() && !article.specialty.contains(spec) {
                let (l, c) = at(&["review", "reviewer"]);
                out.push(
                    Diagnostic::warning(
                        "reviewer-specialty",
                        file,
                        format!(
                            "reviewer `{id}` specialises in `{spec}`, the article is about {}",
                            article.specialty.join(", ")
                        ),
                    )
                    .at(l, c)
                    .hint("ask a reviewer from the article's specialty, or add theirs to `specialty:` if it fits"),
                );
            }
        }
    }

    let days_ahead = (article.date - today).num_days();
    let unapproved = unapproved_label(review.status);
    if let Some(status) = unapproved.filter(|_| (0..=AT_RISK_DAYS).contains(&days_ahead)) {
        let (l, c) = at(&["date"]);
        out.push(
            Diagnostic::warning(
                "unapproved-due-soon",
                file,
                format!(
                    "publishes on {} ({days_ahead} day(s) from {today}) but is still {status}",
                    article.date
                ),
            )
            .at(l, c)
            .hint("get it reviewed and approved, or move `date:` later; it will not go live unapproved"),
        );
    }

    if let Some(d) = derived_slug_changed(article) {
        out.push(d);
    }

    if let Some(updated) = article.updated {
        let (l, c) = at(&["updated"]);
        if updated > today {
            out.push(
                Diagnostic::warning(
                    "updated-future",
                    file,
                    format!("`updated: {updated}` is in the future (today is {today})"),
                )
                .at(l, c)
                .hint("write the day the text was last changed; pages and feeds would show a date that has not come"),
            );
        }
        if updated < article.date {
            out.push(
                Diagnostic::warning(
                    "updated-before-date",
                    file,
                    format!(
                        "`updated: {updated}` is before the publish date `date: {}`",
                        article.date
                    ),
                )
                .at(l, c)
                .hint("an article cannot be updated before it is published: fix `updated:` or remove it"),
            );
        }
    }

    if article.sources.is_empty() {
        let (l, c) = yaml::locate(front, &["sources"], None).unwrap_or_else(|| at(&["title"]));
        out.push(
            Diagnostic::warning("missing-sources", file, "the article cites no sources")
                .at(l, c)
                .hint("add `sources:` with the guideline or study the advice follows, e.g. 中国高血压防治指南(2024年修订版)"),
        );
    }
    out
}

/// An article without `slug:` whose file name now derives another slug than
/// the character-by-character transliteration of earlier versions did: its
/// URL would move silently, so the editor is told to pin one.
fn derived_slug_changed(article: &Article) -> Option<Diagnostic> {
    if article.positions.find("slug", None).is_some() {
        return None;
    }
    let stem = article.content_path.file_stem()?.to_str()?;
    let old = crate::model::slug::legacy_slugify(stem);
    if old == article.slug || old.is_empty() {
        return None;
    }
    Some(
        Diagnostic::warning(
            "derived-slug-changed",
            &article.source,
            format!(
                "the URL derived from the file name is now /articles/{}/ (phrase-aware pinyin); earlier versions derived /articles/{old}/",
                article.slug
            ),
        )
        .at(1, 1)
        .hint(format!(
            "if /articles/{old}/ was ever published, add `slug: {old}` to the front matter to keep that URL; otherwise add `slug: {}` to accept the new one",
            article.slug
        )),
    )
}

/// The findings on an approval's fingerprint and signature.
fn sign_off_findings(
    config: &SiteConfig,
    article: &Article,
    signoff: &SignOff,
    reapprove: &str,
    at: &dyn Fn(&[&str]) -> (usize, usize),
) -> Vec<Diagnostic> {
    let file = &article.source;
    let policy = &config.review;
    let mut out = Vec::new();
    let sign_hint = format!("the reviewer signs the approval with their key: `{reapprove}` (keys are listed under `signing_keys:` in site.yaml)");
    match &signoff.verdict {
        Verdict::Stale => {
            let (l, c) = at(&["review", "fingerprint"]);
            let covered = if signoff.version == Some(Version::V2) {
                "its title, summary, body, terms, sources, language, reviewer, review date or an embedded file"
            } else {
                "its title, summary or body"
            };
            out.push(
                Diagnostic::error(
                    "stale-approval",
                    file,
                    format!("the article changed after it was approved ({covered}); the approval no longer applies and the article is not published"),
                )
                .at(l, c)
                .hint(format!("ask the reviewer to read the changes and run `{reapprove}`")),
            );
        }
        Verdict::BadSignature(why) => {
            let (l, c) = at(&["review", "signature"]);
            out.push(
                Diagnostic::error(
                    "bad-signature",
                    file,
                    format!("the approval's signature does not hold: {why}; the article is not published"),
                )
                .at(l, c)
                .hint(sign_hint.clone()),
            );
        }
        Verdict::Unsigned => {
            let (l, c) = at(&["review", "status"]);
            out.push(
                Diagnostic::error(
                    "unsigned-approval",
                    file,
                    "the approval is not signed and site.yaml requires signed approvals (review.require_signature); the article is not published",
                )
                .at(l, c)
                .hint(sign_hint.clone()),
            );
        }
        Verdict::V1NotAccepted => {
            let (l, c) = at(&["review", "fingerprint"]);
            out.push(
                Diagnostic::error(
                    "fingerprint-v1",
                    file,
                    "the approval has a v1 (`sha256:`) fingerprint and site.yaml requires v2 (review.require_v2); the article is not published",
                )
                .at(l, c)
                .hint(format!("ask the reviewer to approve it again, which records v2: `{reapprove}`")),
            );
        }
        Verdict::Holds | Verdict::NotApproved => {}
    }
    if signoff.verdict == Verdict::Holds {
        if signoff.version == Some(Version::V1) {
            let (l, c) = at(&["review", "fingerprint"]);
            out.push(
                Diagnostic::warning(
                    "fingerprint-v1",
                    file,
                    "still approved with a v1 (`sha256:`) fingerprint, which covers only the title, summary and body",
                )
                .at(l, c)
                .hint(format!("approve it again to record v2 before setting review.require_v2: `{reapprove}`")),
            );
        }
        if review_unsigned(article) && !policy.require_signature {
            let (l, c) = at(&["review", "status"]);
            out.push(
                Diagnostic::warning(
                    "unsigned-approval",
                    file,
                    "the approval is not signed: anyone with write access could have recorded it",
                )
                .at(l, c)
                .hint(sign_hint),
            );
        }
    }
    out
}

fn review_unsigned(article: &Article) -> bool {
    article.review.signature.is_none()
}

/// How an article that is not approved yet is described ("… but is still
/// {label}"); `None` for an approved one.
fn unapproved_label(status: Option<ReviewStatus>) -> Option<&'static str> {
    match status {
        None | Some(ReviewStatus::Draft) => Some("a draft"),
        Some(ReviewStatus::InReview) => Some("in review"),
        Some(ReviewStatus::ChangesRequested) => Some("waiting on requested changes"),
        Some(ReviewStatus::Approved) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::dates::parse_date;
    use crate::load::frontmatter::parse_article;
    use crate::model::fingerprint::fingerprint;

    const SITE: &str = "title: t\nbase_url: https://x.org\ntaxonomies:\n  audience:\n    seniors: { name: 银发族 }\n  specialty:\n    cardiology: { name: 心内科 }\n    pediatrics: { name: 儿科 }\n  season: [winter]\npeople:\n  dr-wang: { name: 王明, title: 主任医师, specialty: cardiology }\n  dr-li: { name: 李静, title: 主任医师, specialty: pediatrics }\n  editor-sun: { name: 孙悦, title: 健康传播编辑 }\nreview:\n  max_age_days: 365\n";

    fn config() -> SiteConfig {
        serde_yaml::from_str(SITE).unwrap()
    }

    fn article(date: &str, review: &str, sources: bool, body: &str) -> Article {
        let fp = fingerprint("T", "S", "正文");
        let review = review.replace("FP", &fp);
        let sources = if sources { "sources: [指南]\n" } else { "" };
        let text = format!("---\ntitle: T\ndate: {date}\nsummary: S\naudience: [seniors]\nspecialty: [cardiology]\nseason: [winter]\n{sources}{review}---\n{body}\n");
        parse_article("content/a.md".into(), "a.md".into(), text, "zh-Hans").unwrap()
    }

    fn rules(a: &Article, today: &str) -> Vec<(String, usize)> {
        let config = config();
        let (keys, _) = crate::model::signoff::Keyring::new(&config);
        let judged = crate::model::signoff::assess(&config.review, &keys, a);
        check_review(&config, a, &judged, parse_date(today).unwrap())
            .into_iter()
            .map(|d| (d.rule, d.line))
            // These fixtures carry unsigned v1 approvals: the sign-off rules
            // have their own tests below.
            .filter(|(rule, _)| rule != "fingerprint-v1" && rule != "unsigned-approval")
            .collect()
    }

    const APPROVED: &str =
        "review:\n  status: approved\n  reviewer: dr-wang\n  date: 2026-01-10\n  fingerprint: FP\n";

    #[test]
    fn a_current_approval_with_sources_is_clean() {
        let a = article("2026-02-01", APPROVED, true, "正文");
        assert!(rules(&a, "2026-03-01").is_empty());
    }

    #[test]
    fn edited_after_approval_is_stale() {
        let a = article("2026-02-01", APPROVED, true, "正文改过了");
        assert_eq!(rules(&a, "2026-03-01"), vec![("stale-approval".into(), 13)]);
    }

    #[test]
    fn old_approval_is_due_for_review() {
        let a = article("2026-02-01", APPROVED, true, "正文");
        assert!(rules(&a, "2027-01-09").is_empty());
        assert_eq!(rules(&a, "2027-01-10"), vec![("review-due".into(), 12)]);
    }

    #[test]
    fn reviewer_from_another_specialty_warns() {
        let a = article(
            "2026-02-01",
            &APPROVED.replace("dr-wang", "dr-li"),
            true,
            "正文",
        );
        assert_eq!(
            rules(&a, "2026-03-01"),
            vec![("reviewer-specialty".into(), 11)]
        );
    }

    #[test]
    fn unapproved_article_due_within_a_week_warns() {
        let draft = "review:\n  status: in-review\n";
        let a = article("2026-03-08", draft, true, "正文");
        assert_eq!(
            rules(&a, "2026-03-01"),
            vec![("unapproved-due-soon".into(), 3)]
        );
        assert!(
            rules(&a, "2026-02-28").is_empty(),
            "8 days ahead is not due soon"
        );
        assert!(rules(&a, "2026-03-09").is_empty(), "already past");
        // An approved article dated tomorrow is simply scheduled.
        let b = article("2026-03-02", APPROVED, true, "正文");
        assert!(rules(&b, "2026-03-01").is_empty());
    }

    #[test]
    fn updated_in_the_future_or_before_the_date_warns() {
        let with_updated = |updated: &str| {
            let a = article("2026-02-01", APPROVED, true, "正文");
            let text = a.raw.replacen(
                "date: 2026-02-01\n",
                &format!("date: 2026-02-01\nupdated: {updated}\n"),
                1,
            );
            parse_article("content/a.md".into(), "a.md".into(), text, "zh-Hans").unwrap()
        };
        assert!(rules(&with_updated("2026-02-20"), "2026-03-01").is_empty());
        assert!(rules(&with_updated("2026-03-01"), "2026-03-01").is_empty());
        assert_eq!(
            rules(&with_updated("2026-03-02"), "2026-03-01"),
            vec![("updated-future".into(), 4)]
        );
        assert_eq!(
            rules(&with_updated("2026-01-31"), "2026-03-01"),
            vec![("updated-before-date".into(), 4)]
        );
    }

    #[test]
    fn no_sources_warns() {
        let a = article("2026-02-01", APPROVED, false, "正文");
        assert_eq!(rules(&a, "2026-03-01"), vec![("missing-sources".into(), 2)]);
    }

    #[test]
    fn clinical_titles() {
        for t in [
            "主任医师",
            "副主任医师",
            "主治医师",
            "全科医生",
            "主管药师",
            "主任护师",
            "Attending Physician",
            "Dr. Wang",
            "MD",
        ] {
            assert!(is_clinical_title(t), "{t}");
        }
        for t in ["健康传播编辑", "Editor", "Drafting lead", "护理部干事", ""] {
            assert!(!is_clinical_title(t), "{t}");
        }
    }
}
