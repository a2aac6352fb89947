//! The verdict on an approved article's sign-off, as data: computed by
//! `model::signoff::assess`, read by the publishing rule
//! (`Article::state`), `check` and the review dashboard. Apart from
//! `signoff` so that the article model does not depend on the verifier.

use super::fingerprint::Version;

/// What became of an approved article's sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Not approved at all (draft, in review …): nothing to judge.
    NotApproved,
    /// The sign-off holds.
    Holds,
    /// The recorded fingerprint does not match the article as it is now.
    Stale,
    /// A v1 fingerprint on a site that requires v2 (`review.require_v2`).
    V1NotAccepted,
    /// No signature on a site that requires one.
    Unsigned,
    /// A signature that does not prove this approval; says why.
    BadSignature(String),
}

/// The signature on an approval, as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    None,
    /// Valid, by this listed key (`SHA256:…`).
    Valid {
        key: String,
    },
    /// Present but not valid; the key that made it, when readable.
    Invalid {
        key: Option<String>,
    },
}

/// The assessment of one article's recorded approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub verdict: Verdict,
    /// Version of the recorded fingerprint.
    pub version: Option<Version>,
    pub signature: Signature,
}

impl SignOff {
    pub fn not_approved() -> SignOff {
        SignOff {
            verdict: Verdict::NotApproved,
            version: None,
            signature: Signature::None,
        }
    }
}
