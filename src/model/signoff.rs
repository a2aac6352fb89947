//! Signed sign-offs: whether an article's recorded approval still holds,
//! and whether it was signed by the named reviewer.
//!
//! A signed approval carries `review.signature`: an OpenSSH SSHSIG
//! (namespace `healthpress`) over the approval's [`statement`], made with a
//! key listed under the reviewer's `signing_keys` in site.yaml. It verifies
//! with stock OpenSSH (README, "Signed approvals"):
//! `ssh-keygen -Y verify -f allowed_signers -I ID -n healthpress -s SIG < statement`.
//! A key that is removed from site.yaml (rotated, a doctor who left) voids
//! every approval it signed. Cryptography is the `ssh-key` crate's.

use std::collections::BTreeMap;

use ssh_key::public::KeyData;
use ssh_key::{HashAlg, PublicKey, SshSig};

use super::article::{Article, ReviewStatus};
use super::fingerprint::Version;
pub use super::verdict::{SignOff, Signature, Verdict};
use crate::config::site::ReviewPolicy;
use crate::config::SiteConfig;

/// The SSHSIG namespace of approvals; `ssh-keygen -n healthpress`.
pub const NAMESPACE: &str = "healthpress";

/// The text a reviewer signs: what they approve, by whom, on which day.
/// The fingerprint binds it to the article's content (v2 covers reviewer
/// and date too); the namespace keeps it apart from git commit signatures.
pub fn statement(reviewer: &str, date: &str, fingerprint: &str) -> String {
    format!(
        "healthpress approval\nreviewer: {reviewer}\ndate: {date}\nfingerprint: {fingerprint}\n"
    )
}

/// The statement of an article's recorded approval, if it has one.
pub fn article_statement(article: &Article) -> Option<String> {
    let review = &article.review;
    Some(statement(
        review.reviewer.as_deref()?,
        &review.date?.to_string(),
        review.fingerprint.as_deref()?,
    ))
}

/// One listed signing key.
#[derive(Debug, Clone)]
pub struct ListedKey {
    pub person: String,
    pub key: PublicKey,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
}

/// The `signing_keys` of every person in site.yaml, parsed once.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    keys: Vec<ListedKey>,
}

/// A `signing_keys` entry that is not an OpenSSH public key line.
#[derive(Debug, Clone)]
pub struct BadKey {
    pub person: String,
    pub index: usize,
    pub reason: String,
}

impl Keyring {
    /// Parses every listed key; the unreadable ones are returned apart (the
    /// validator reports them) and never match a signature.
    pub fn new(config: &SiteConfig) -> (Keyring, Vec<BadKey>) {
        let mut keys = Vec::new();
        let mut bad = Vec::new();
        for (person, p) in &config.people {
            for (index, line) in p.signing_keys.iter().enumerate() {
                match PublicKey::from_openssh(line.trim()) {
                    Ok(key) => keys.push(ListedKey {
                        person: person.clone(),
                        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
                        key,
                    }),
                    Err(e) => bad.push(BadKey {
                        person: person.clone(),
                        index,
                        reason: e.to_string(),
                    }),
                }
            }
        }
        (Keyring { keys }, bad)
    }

    pub fn of_person<'a>(&'a self, person: &'a str) -> impl Iterator<Item = &'a ListedKey> + 'a {
        self.keys.iter().filter(move |k| k.person == person)
    }

    pub fn find(&self, key: &KeyData) -> Option<&ListedKey> {
        self.keys.iter().find(|k| k.key.key_data() == key)
    }

    /// The person a listed key (by its `SHA256:…` fingerprint) belongs to.
    pub fn owner_of(&self, fingerprint: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|k| k.fingerprint == fingerprint)
            .map(|k| k.person.as_str())
    }

    /// Keys listed for more than one person: (key fingerprint, people).
    pub fn shared_keys(&self) -> Vec<(String, Vec<String>)> {
        let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for k in &self.keys {
            let people = by_key.entry(k.fingerprint.clone()).or_default();
            if !people.contains(&k.person) {
                people.push(k.person.clone());
            }
        }
        by_key.into_iter().filter(|(_, p)| p.len() > 1).collect()
    }

    /// `allowed_signers` lines (ssh-keygen(1) ALLOWED SIGNERS) for every
    /// listed key: `ID namespaces="healthpress" KEY`.
    pub fn allowed_signers(&self) -> String {
        let mut out = String::new();
        for k in &self.keys {
            let key = k.key.to_openssh().unwrap_or_default();
            out.push_str(&format!("{} namespaces=\"{NAMESPACE}\" {key}\n", k.person));
        }
        out
    }
}

/// Judges `article`'s approval under `policy` with the site's `keys`.
pub fn assess(policy: &ReviewPolicy, keys: &Keyring, article: &Article) -> SignOff {
    let review = &article.review;
    if review.status != Some(ReviewStatus::Approved) {
        return SignOff::not_approved();
    }
    let recorded = review.fingerprint.as_deref().unwrap_or("");
    let version = Version::of(recorded);
    let mut signature = Signature::None;
    let matches = match version {
        Some(Version::V1) => recorded == article.current_fingerprint,
        Some(Version::V2) => recorded == article.fingerprint_v2(),
        None => false,
    };
    // The signature is judged even on a stale approval, so the dashboard
    // can say who signed what the article no longer is.
    let signed = review
        .signature
        .as_deref()
        .map(|armored| check_signature(keys, article, version, armored));
    if let Some((_, sig)) = &signed {
        signature = sig.clone();
    }
    let verdict = match signed {
        _ if !matches => Verdict::Stale,
        Some((verdict, _)) => verdict,
        None if policy.require_signature => Verdict::Unsigned,
        None if version == Some(Version::V1) && !policy.accepts_v1() => Verdict::V1NotAccepted,
        None => Verdict::Holds,
    };
    SignOff {
        verdict,
        version,
        signature,
    }
}

fn check_signature(
    keys: &Keyring,
    article: &Article,
    version: Option<Version>,
    armored: &str,
) -> (Verdict, Signature) {
    let bad =
        |why: String, key: Option<String>| (Verdict::BadSignature(why), Signature::Invalid { key });
    let sig = match SshSig::from_pem(armored.trim()) {
        Ok(sig) => sig,
        Err(e) => {
            return bad(
                format!(
                "`review.signature` is not a readable SSH signature (damaged or truncated: {e})"
            ),
                None,
            )
        }
    };
    let signer = PublicKey::from(sig.public_key().clone());
    let signer_fp = signer.fingerprint(HashAlg::Sha256).to_string();
    let reviewer = article.review.reviewer.as_deref().unwrap_or("");
    if version != Some(Version::V2) {
        return bad(
            "a signature covers a v2 (`sha256v2:`) fingerprint only, this approval records v1"
                .into(),
            Some(signer_fp),
        );
    }
    if sig.namespace() != NAMESPACE {
        return bad(
            format!(
                "signed for the namespace `{}`, not `{NAMESPACE}` (a signature made for another purpose)",
                sig.namespace()
            ),
            Some(signer_fp),
        );
    }
    match keys.find(sig.public_key()) {
        Some(listed) if listed.person == reviewer => {}
        Some(listed) => {
            return bad(
                format!(
                    "signed with {signer_fp}, a key of `{}`, not of the reviewer `{reviewer}`",
                    listed.person
                ),
                Some(signer_fp),
            )
        }
        None => {
            return bad(
                format!(
                    "signed with {signer_fp}, which is not (or no longer) among `{reviewer}`'s signing_keys in site.yaml; approvals signed with a removed or rotated key no longer count"
                ),
                Some(signer_fp),
            )
        }
    }
    let Some(text) = article_statement(article) else {
        return bad(
            "the approval has no reviewer or date to sign".into(),
            Some(signer_fp),
        );
    };
    match signer.verify(NAMESPACE, text.as_bytes(), &sig) {
        Ok(()) => (Verdict::Holds, Signature::Valid { key: signer_fp }),
        Err(_) => bad(
            format!(
                "the signature by {signer_fp} is not over this approval's statement (it was made for another article, reviewer, date or text)"
            ),
            Some(signer_fp),
        ),
    }
}
