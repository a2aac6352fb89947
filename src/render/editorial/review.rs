//! The review dashboard: per reviewer, the articles awaiting review; then
//! stale approvals, approvals due for re-review, and changes requested;
//! last every recorded approval with how its sign-off stands: signed or
//! not, by which key (`SHA256:…`, and whose it is in site.yaml), and the
//! fingerprint version (v1 or v2). Every row of an approval carries the same
//! sign-off columns.

use serde::Serialize;

use super::labels::{editorial_context, Labels};
use crate::diagnostics::Diagnostic;
use crate::model::article::ReviewStatus;
use crate::model::fingerprint::Version;
use crate::model::schedule::article_plan_state;
use crate::model::schedule::review::ReviewQueues;
use crate::model::signoff::{Signature, Verdict};
use crate::model::Site;
use crate::render::theme::Theme;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub title: String,
    pub slug: String,
    pub source: String,
    pub date: String,
    pub state: &'static str,
    pub label: String,
    pub reviewer: String,
    pub review_date: Option<String>,
    /// Age of the approval in days (re-review list only).
    pub age_days: Option<i64>,
    pub due_on: Option<String>,
    /// How the recorded approval stands; `None` when nothing is approved.
    pub signoff: Option<SignOffView>,
}

/// One approval's sign-off as the dashboard shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SignOffView {
    /// `v1`, `v2`, or `unknown` for a value with neither prefix.
    pub version: &'static str,
    /// `valid`, `invalid` or `none`.
    pub signature: &'static str,
    /// `SHA256:…` of the key that signed, when the signature is readable.
    pub key: Option<String>,
    /// The person site.yaml lists that key for, if anyone.
    pub key_owner: Option<String>,
    /// Whether the approval counts (`holds`, or why not).
    pub verdict: String,
    pub holds: bool,
}

/// One section of the dashboard: a reviewer's queue or one of the lists.
#[derive(Debug, Clone, Serialize)]
struct Section {
    id: String,
    /// `awaiting`, `stale`, `due` or `changes`.
    kind: &'static str,
    heading: String,
    note: Option<String>,
    rows: Vec<Row>,
}

fn row(site: &Site, labels: &Labels, i: usize) -> Row {
    let a = &site.articles[i];
    let state = article_plan_state(site.states[i], a.date, site.today);
    let reviewer = a.review.reviewer.clone().unwrap_or_default();
    Row {
        title: a.title.clone(),
        slug: a.slug.clone(),
        source: a.source.to_string_lossy().replace('\\', "/"),
        date: a.date.to_string(),
        state: state.key(),
        label: labels.state(state),
        reviewer: site
            .config
            .people
            .get(&reviewer)
            .map_or(reviewer.clone(), |p| p.name.clone()),
        review_date: a.review.date.map(|d| d.to_string()),
        age_days: None,
        due_on: None,
        signoff: signoff_view(site, labels, i),
    }
}

fn signoff_view(site: &Site, labels: &Labels, i: usize) -> Option<SignOffView> {
    if site.articles[i].review.status != Some(ReviewStatus::Approved) {
        return None;
    }
    let judged = &site.signoffs[i];
    let (signature, key) = match &judged.signature {
        Signature::None => ("none", None),
        Signature::Valid { key } => ("valid", Some(key.clone())),
        Signature::Invalid { key } => ("invalid", key.clone()),
    };
    let verdict = match &judged.verdict {
        Verdict::Holds => labels.get("ed_signoff_holds", "holds"),
        Verdict::Stale => labels.get("ed_signoff_stale", "stale: changed after sign-off"),
        Verdict::V1NotAccepted => labels.get("ed_signoff_v1", "v1 no longer accepted"),
        Verdict::Unsigned => labels.get("ed_signoff_unsigned", "unsigned, signature required"),
        Verdict::BadSignature(why) => {
            format!("{}: {why}", labels.get("ed_signoff_bad", "bad signature"))
        }
        Verdict::NotApproved => return None,
    };
    Some(SignOffView {
        version: judged.version.map_or("unknown", Version::label),
        signature,
        key_owner: key
            .as_deref()
            .and_then(|k| site.keyring.owner_of(k))
            .map(str::to_string),
        key,
        verdict,
        holds: judged.verdict == Verdict::Holds,
    })
}

pub fn page(
    site: &Site,
    theme: &Theme,
    labels: &Labels,
    q: &ReviewQueues,
) -> Result<String, Diagnostic> {
    let awaiting = labels.get("ed_awaiting", "Awaiting review");
    let mut sections: Vec<Section> = q
        .awaiting
        .iter()
        .map(|(id, list)| {
            let name = if id.is_empty() {
                labels.get("ed_unassigned", "no reviewer named")
            } else {
                site.config
                    .people
                    .get(id)
                    .map_or(id.clone(), |p| p.name.clone())
            };
            Section {
                id: format!("awaiting-{}", if id.is_empty() { "unassigned" } else { id }),
                kind: "awaiting",
                heading: format!("{awaiting}: {name}"),
                note: None,
                rows: list.iter().map(|&i| row(site, labels, i)).collect(),
            }
        })
        .collect();
    if sections.is_empty() {
        sections.push(Section {
            id: "awaiting".into(),
            kind: "awaiting",
            heading: awaiting,
            note: None,
            rows: Vec::new(),
        });
    }
    let max_age = site.config.review.max_age_days;
    let due: Vec<Row> = q
        .due
        .iter()
        .map(|&(i, age)| {
            let mut r = row(site, labels, i);
            r.age_days = Some(age);
            r.due_on = site.articles[i]
                .review
                .due_on(max_age)
                .map(|d| d.to_string());
            r
        })
        .collect();
    sections.push(Section {
        id: "stale".into(),
        kind: "stale",
        heading: labels.get("ed_stale", "Stale approvals (text changed after sign-off)"),
        note: None,
        rows: q.stale.iter().map(|&i| row(site, labels, i)).collect(),
    });
    sections.push(Section {
        id: "due".into(),
        kind: "due",
        heading: labels.get("ed_due", "Due for re-review"),
        note: Some(format!("review.max_age_days = {max_age}")),
        rows: due,
    });
    sections.push(Section {
        id: "changes".into(),
        kind: "changes",
        heading: labels.get("ed_changes", "Changes requested"),
        note: None,
        rows: q
            .changes_requested
            .iter()
            .map(|&i| row(site, labels, i))
            .collect(),
    });
    sections.push(Section {
        id: "signoffs".into(),
        kind: "signoffs",
        heading: labels.get("ed_signoffs", "Approvals: signatures and fingerprints"),
        note: Some(format!(
            "review.require_signature = {}, review.require_v2 = {}",
            site.config.review.require_signature,
            !site.config.review.accepts_v1()
        )),
        rows: (0..site.articles.len())
            .filter(|&i| site.articles[i].review.status == Some(ReviewStatus::Approved))
            .map(|i| row(site, labels, i))
            .collect(),
    });
    let title = labels.get("ed_review", "Review dashboard");
    let mut ctx = editorial_context(site, labels, &title, "../");
    ctx.insert("sections", &sections);
    theme.render("editorial/review.html", &ctx)
}
