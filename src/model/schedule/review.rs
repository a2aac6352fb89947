//! Review queues for the review dashboard: what each reviewer has waiting,
//! approvals voided by later edits, approvals old enough to need a fresh
//! medical review (`review.max_age_days` in site.yaml), and articles sent
//! back with changes requested.

use std::collections::BTreeMap;

use crate::model::{Site, State};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewQueues {
    /// Reviewer id (`""` when no reviewer is named) -> articles in review,
    /// earliest publish date first.
    pub awaiting: BTreeMap<String, Vec<usize>>,
    /// Approved, but the text changed after sign-off.
    pub stale: Vec<usize>,
    /// Published or scheduled with an approval older than `max_age_days`:
    /// (article, age of the approval in days).
    pub due: Vec<(usize, i64)>,
    pub changes_requested: Vec<usize>,
}

impl ReviewQueues {
    pub fn build(site: &Site) -> ReviewQueues {
        let mut q = ReviewQueues::default();
        let max_age = site.config.review.max_age_days;
        for (i, (a, state)) in site.articles.iter().zip(&site.states).enumerate() {
            match state {
                State::InReview => q
                    .awaiting
                    .entry(a.review.reviewer.clone().unwrap_or_default())
                    .or_default()
                    .push(i),
                State::StaleApproval => q.stale.push(i),
                State::ChangesRequested => q.changes_requested.push(i),
                State::Published | State::Scheduled => {
                    if let (Some(on), Some(_)) =
                        (a.review.date, a.review.due_by(max_age, site.today))
                    {
                        q.due.push((i, (site.today - on).num_days()));
                    }
                }
                _ => {}
            }
        }
        let by_date = |v: &mut Vec<usize>| {
            v.sort_by(|&x, &y| {
                let (a, b) = (&site.articles[x], &site.articles[y]);
                a.date.cmp(&b.date).then_with(|| a.slug.cmp(&b.slug))
            })
        };
        for list in q.awaiting.values_mut() {
            by_date(list);
        }
        by_date(&mut q.stale);
        by_date(&mut q.changes_requested);
        // Oldest approval first.
        q.due.sort_by(|x, y| {
            y.1.cmp(&x.1)
                .then_with(|| site.articles[x.0].slug.cmp(&site.articles[y.0].slug))
        });
        q
    }
}
