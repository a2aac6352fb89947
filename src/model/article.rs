//! The article: front matter and body of one `content/**.md` file, plus the
//! facts derived from them (slug, current fingerprint, publishing state).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::fingerprint::{fingerprint_v2, EmbeddedFile, V2Input};
use super::verdict::{SignOff, Verdict};

/// Where an article stands in the editorial workflow, as of one day.
/// Only `Published` articles may appear anywhere under `public/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Draft,
    InReview,
    ChangesRequested,
    /// Approved, but the text changed after sign-off: treated as not approved.
    StaleApproval,
    /// Approved without a signature on a site that requires signed
    /// approvals (`review.require_signature`): treated as not approved.
    Unsigned,
    /// Approved with a signature that does not prove the approval (another
    /// person's key, a key no longer listed, another statement, damaged).
    BadSignature,
    /// Approved with a publish date after today.
    Scheduled,
    /// Approved, but `expires` is today or earlier.
    Expired,
    /// `withdrawn:` is today or earlier, whatever the review says.
    Withdrawn,
    /// Approved and due, but the compliance linter found an error in it
    /// (a prohibited claim or a patient identifier): withheld from every
    /// output until the text is fixed and approved again.
    ComplianceWithheld,
    /// The article's own file is wrong (front matter that does not read,
    /// an unknown key, a bad date or enum, an unknown term or person, a
    /// duplicate slug …): withheld from every output until it is fixed,
    /// while the rest of the site is built. `check` reports the errors.
    Invalid,
    Published,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::InReview => "in review",
            State::ChangesRequested => "changes requested",
            State::StaleApproval => "stale approval",
            State::Unsigned => "unsigned",
            State::BadSignature => "bad signature",
            State::Scheduled => "scheduled",
            State::Expired => "expired",
            State::Withdrawn => "withdrawn",
            State::ComplianceWithheld => "withheld (compliance)",
            State::Invalid => "withheld (errors)",
            State::Published => "published",
        }
    }

    pub fn is_public(self) -> bool {
        self == State::Published
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    Draft,
    InReview,
    ChangesRequested,
    Approved,
}

impl ReviewStatus {
    /// The words front matter writes for each status.
    pub const CHOICES: [(&'static str, ReviewStatus); 4] = [
        ("draft", ReviewStatus::Draft),
        ("in-review", ReviewStatus::InReview),
        ("changes-requested", ReviewStatus::ChangesRequested),
        ("approved", ReviewStatus::Approved),
    ];
}

#[derive(Debug, Clone, Default)]
pub struct Review {
    pub status: Option<ReviewStatus>,
    pub reviewer: Option<String>,
    pub date: Option<NaiveDate>,
    pub fingerprint: Option<String>,
    /// Armored SSHSIG over the approval's statement (`model::signoff`).
    pub signature: Option<String>,
}

impl Review {
    /// The day this review is due to be repeated (`review.max_age_days`
    /// in site.yaml after its date).
    pub fn due_on(&self, max_age_days: i64) -> Option<NaiveDate> {
        self.date.map(|d| d + chrono::Duration::days(max_age_days))
    }

    /// The re-review due date, if it has come by `today` (the due day
    /// itself counts). `check`, the review dashboard and the article page
    /// all judge by this.
    pub fn due_by(&self, max_age_days: i64, today: NaiveDate) -> Option<NaiveDate> {
        self.due_on(max_age_days).filter(|&due| due <= today)
    }
}

#[derive(Debug, Clone)]
pub struct Article {
    /// Site-relative source path, e.g. `content/seniors/falls.md`.
    pub source: PathBuf,
    /// Path relative to `content/`, the form relative links resolve to.
    pub content_path: PathBuf,
    pub slug: String,
    /// The stable id of front matter `id:`: the short link `/s/<id>/`
    /// printed in QR codes, which never changes with the slug. Read it
    /// through [`Article::short_id`].
    pub id: Option<String>,
    /// Old URLs of the article (front matter `aliases:`), as written:
    /// each gets a redirect page to the current URL (`model::aliases`).
    pub aliases: Vec<String>,
    pub title: String,
    pub summary: String,
    pub date: NaiveDate,
    pub updated: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    /// The day the advice was withdrawn (front matter `withdrawn:`): from
    /// then on it is not public, and leaves a tombstone if it was.
    pub withdrawn: Option<NaiveDate>,
    /// Slug of the article that replaces this one, linked from its
    /// tombstone (front matter `replaced_by:`).
    pub replaced_by: Option<String>,
    pub lang: String,
    /// Slug of the article this one translates (front matter
    /// `translation_of:`); see `model::translations`.
    pub translation_of: Option<String>,
    /// A key shared by translations of one another (`translation_key:`).
    pub translation_key: Option<String>,
    pub audience: Vec<String>,
    pub specialty: Vec<String>,
    pub season: Vec<String>,
    pub authors: Vec<String>,
    pub sources: Vec<String>,
    pub review: Review,
    /// The whole source file as read (front matter and body).
    /// Shared: `serve` copies every article into each new model.
    pub raw: std::sync::Arc<str>,
    /// Byte offset in `raw` of the body: everything after the closing `---`.
    pub body_offset: usize,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// v1 fingerprint of the text as it is now.
    pub current_fingerprint: String,
    /// The local files the body embeds, with their digests (filled in by
    /// `load`, which can read them; empty when parsed from text alone).
    pub embedded: Vec<EmbeddedFile>,
    /// `lang:` as the front matter writes it (`lang` is it or the site's);
    /// fingerprint v2 covers this, so a new site default does not void
    /// every approval.
    pub declared_lang: Option<String>,
    /// Where each front matter key and value is written in `raw`.
    pub positions: crate::config::marked::Positions,
}

impl Article {
    /// The publishing rule of product.md, evaluated for `today`, given the
    /// assessment of the sign-off (`model::signoff::assess`).
    pub fn state(&self, today: NaiveDate, signoff: &SignOff) -> State {
        if self.withdrawn.is_some_and(|w| w <= today) {
            return State::Withdrawn;
        }
        match self.review.status {
            None | Some(ReviewStatus::Draft) => State::Draft,
            Some(ReviewStatus::InReview) => State::InReview,
            Some(ReviewStatus::ChangesRequested) => State::ChangesRequested,
            Some(ReviewStatus::Approved) => match signoff.verdict {
                Verdict::Stale | Verdict::V1NotAccepted | Verdict::NotApproved => {
                    State::StaleApproval
                }
                Verdict::Unsigned => State::Unsigned,
                Verdict::BadSignature(_) => State::BadSignature,
                Verdict::Holds if self.date > today => State::Scheduled,
                Verdict::Holds if self.expires.is_some_and(|e| e <= today) => State::Expired,
                Verdict::Holds => State::Published,
            },
        }
    }

    /// The id of its short link: `id:`, or the slug for an article that
    /// has none yet (`check` hints to write it down, so that a later slug
    /// change does not move the short link).
    pub fn short_id(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.slug)
    }

    /// The first day the article is no longer public by its own dates: the
    /// earlier of `expires` and `withdrawn`.
    pub fn ends_on(&self) -> Option<NaiveDate> {
        match (self.expires, self.withdrawn) {
            (Some(e), Some(w)) => Some(e.min(w)),
            (e, w) => e.or(w),
        }
    }

    /// The day shown on the tombstone at the article's old URL, if it gets
    /// one as of `today`: it has ended (expired or withdrawn) by today, and
    /// by its own dates it was public before that: approved (a sign-off
    /// dated before the end, if dated) and dated before the end. Articles
    /// that never were public leave no trace.
    pub fn tombstone_date(&self, today: NaiveDate) -> Option<NaiveDate> {
        let end = self.ends_on().filter(|&end| end <= today)?;
        let approved = self.review.status == Some(ReviewStatus::Approved)
            && self.review.date.is_none_or(|r| r < end);
        (approved && self.date < end).then_some(end)
    }

    /// Whether the recorded fingerprint (v1 or v2) is that of the article
    /// as it is now; says nothing of signatures or site policy.
    pub fn approval_matches(&self) -> bool {
        match self.review.fingerprint.as_deref() {
            Some(fp) if fp.starts_with(super::fingerprint::V2_PREFIX) => {
                fp == self.fingerprint_v2()
            }
            Some(fp) => fp == self.current_fingerprint,
            None => false,
        }
    }

    /// The v2 fingerprint of the article as it is now, with its recorded
    /// reviewer and review date.
    pub fn fingerprint_v2(&self) -> String {
        let review_date = self.review.date.map(|d| d.to_string()).unwrap_or_default();
        fingerprint_v2(&V2Input {
            title: &self.title,
            summary: &self.summary,
            body: self.body(),
            lang: self.declared_lang.as_deref().unwrap_or(""),
            audience: &self.audience,
            specialty: &self.specialty,
            season: &self.season,
            sources: &self.sources,
            reviewer: self.review.reviewer.as_deref().unwrap_or(""),
            review_date: &review_date,
            files: &self.embedded,
        })
    }

    pub fn body(&self) -> &str {
        &self.raw[self.body_offset..]
    }

    pub fn terms(&self, taxonomy: &str) -> &[String] {
        match taxonomy {
            "audience" => &self.audience,
            "specialty" => &self.specialty,
            "season" => &self.season,
            _ => &[],
        }
    }

    /// The local files the body embeds or links to (images, videos and
    /// their captions and posters, downloads), as paths relative to
    /// `content/`, in order of appearance. What a build publishes with the
    /// article, and what a sign-off must cover: hash `root/content/<path>`.
    /// Entries with `optional` (a video's captions and poster, looked for
    /// beside it) are published only when they exist.
    pub fn embedded_files(&self) -> Vec<crate::markdown::LocalRef> {
        let dir = self
            .content_path
            .parent()
            .unwrap_or(std::path::Path::new(""));
        crate::markdown::local_files(self.body(), dir)
    }

    /// The date the content was last changed, for feeds and sitemaps.
    pub fn last_modified(&self) -> NaiveDate {
        self.updated.map_or(self.date, |u| u.max(self.date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::dates::parse_date;
    use crate::model::fingerprint::fingerprint;

    fn approved(date: &str, expires: Option<&str>) -> Article {
        let fp = fingerprint("T", "S", "body");
        Article {
            source: "content/a.md".into(),
            content_path: "a.md".into(),
            slug: "a".into(),
            id: None,
            aliases: Vec::new(),
            title: "T".into(),
            summary: "S".into(),
            date: parse_date(date).unwrap(),
            updated: None,
            expires: expires.map(|e| parse_date(e).unwrap()),
            withdrawn: None,
            replaced_by: None,
            lang: "zh-Hans".into(),
            translation_of: None,
            translation_key: None,
            audience: vec![],
            specialty: vec![],
            season: vec![],
            authors: vec![],
            sources: vec![],
            review: Review {
                status: Some(ReviewStatus::Approved),
                reviewer: Some("dr".into()),
                date: parse_date("2026-01-01"),
                fingerprint: Some(fp.clone()),
                signature: None,
            },
            raw: "body".into(),
            body_offset: 0,
            body_line: 5,
            current_fingerprint: fp,
            embedded: Vec::new(),
            declared_lang: None,
            positions: Default::default(),
        }
    }

    fn state_of(a: &Article, today: NaiveDate) -> State {
        let policy = crate::config::site::ReviewPolicy::default();
        a.state(
            today,
            &crate::model::signoff::assess(&policy, &Default::default(), a),
        )
    }

    #[test]
    fn publishing_rule() {
        let today = parse_date("2026-11-22").unwrap();
        assert_eq!(
            state_of(&approved("2026-11-22", None), today),
            State::Published
        );
        assert_eq!(
            state_of(&approved("2026-11-23", None), today),
            State::Scheduled
        );
        assert_eq!(
            state_of(&approved("2026-01-01", Some("2026-11-22")), today),
            State::Expired
        );
        assert_eq!(
            state_of(&approved("2026-01-01", Some("2026-11-23")), today),
            State::Published
        );
        let mut stale = approved("2026-01-01", None);
        stale.current_fingerprint = fingerprint("T", "S", "edited body");
        assert_eq!(state_of(&stale, today), State::StaleApproval);
        let mut draft = approved("2026-01-01", None);
        draft.review.status = Some(ReviewStatus::Draft);
        assert_eq!(state_of(&draft, today), State::Draft);
        draft.review.status = Some(ReviewStatus::InReview);
        assert_eq!(state_of(&draft, today), State::InReview);
    }

    #[test]
    fn withdrawal_and_tombstones() {
        let day = |d: &str| parse_date(d).unwrap();
        let mut a = approved("2026-03-01", Some("2026-12-01"));
        assert_eq!(a.tombstone_date(day("2026-11-30")), None, "still public");
        assert_eq!(a.tombstone_date(day("2026-12-01")), Some(day("2026-12-01")));
        a.withdrawn = Some(day("2026-06-10"));
        assert_eq!(state_of(&a, day("2026-06-09")), State::Published);
        assert_eq!(state_of(&a, day("2026-06-10")), State::Withdrawn);
        assert_eq!(a.tombstone_date(day("2026-06-10")), Some(day("2026-06-10")));
        // Never public: withdrawn before its date, or never approved.
        let mut early = approved("2026-07-01", None);
        early.withdrawn = Some(day("2026-06-10"));
        assert_eq!(state_of(&early, day("2026-08-01")), State::Withdrawn);
        assert_eq!(early.tombstone_date(day("2026-08-01")), None);
        let mut draft = approved("2026-03-01", Some("2026-04-01"));
        draft.review.status = Some(ReviewStatus::Draft);
        assert_eq!(draft.tombstone_date(day("2026-05-01")), None);
        // Approved only after it had expired: it never was public.
        let mut late = approved("2025-03-01", Some("2025-12-01"));
        late.review.date = Some(day("2025-12-05"));
        assert_eq!(late.tombstone_date(day("2026-05-01")), None);
    }

    #[test]
    fn re_review_is_due_on_the_due_day_itself() {
        let review = Review {
            date: parse_date("2026-01-10"),
            ..Review::default()
        };
        let due = parse_date("2026-01-20").unwrap();
        assert_eq!(review.due_on(10), Some(due));
        assert_eq!(review.due_by(10, due), Some(due));
        assert_eq!(review.due_by(10, parse_date("2026-01-19").unwrap()), None);
        assert_eq!(Review::default().due_by(10, due), None);
    }
}
