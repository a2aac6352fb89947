//! Making the signature of an approval: an SSHSIG (namespace
//! `healthpress`, SHA-512 as `ssh-keygen -Y sign` uses) over the approval's
//! statement, with the reviewer's own SSH key: either a private key file
//! that is not passphrase-protected, or any key held by a running
//! `ssh-agent` (the way git's `gpg.format=ssh` signing works with
//! protected keys and hardware tokens). The signature is checked against
//! the public key before it is returned. Cryptography is `ssh-key`'s; the
//! agent protocol is `ssh-agent-client-rs`'s.

use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use thiserror::Error;

use crate::model::signoff::{Keyring, NAMESPACE};

/// Which key signs.
#[derive(Debug, Clone)]
pub enum Signer {
    /// `--key PATH`: a private key file, or a public key (`.pub`) whose
    /// private half is loaded in ssh-agent.
    Key(PathBuf),
    /// `--agent`: the first key in ssh-agent listed for the reviewer.
    Agent,
}

#[derive(Debug, Error)]
pub enum SignError {
    #[error("cannot read the key {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path} is passphrase-protected; load it into ssh-agent (`ssh-add {path}`) and pass its public key: `--key {path}.pub` (or `--agent`)")]
    Encrypted { path: String },
    #[error("the key {fingerprint} is not among `{reviewer}`'s signing_keys in site.yaml; add its public line (`{public}`) there first, in a reviewed change")]
    NotListed {
        reviewer: String,
        fingerprint: String,
        public: String,
    },
    #[error("`{reviewer}` has no signing_keys in site.yaml; add the public half of their SSH key (one `ssh-ed25519 AAAA… comment` line) first")]
    NoKeys { reviewer: String },
    #[error("ssh-agent: {0}")]
    Agent(String),
    #[error("signing failed: {0}")]
    Failed(String),
}

/// A signature made for an approval.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The armored `-----BEGIN SSH SIGNATURE-----` block.
    pub armored: String,
    /// `SHA256:…` of the key that signed.
    pub key_fingerprint: String,
}

/// The public key `signer` will sign with, checked to be one of
/// `reviewer`'s listed keys; call before asking for anything else.
pub fn signing_key(
    signer: &Signer,
    keys: &Keyring,
    reviewer: &str,
) -> Result<SigningKey, SignError> {
    let listed: Vec<_> = keys.of_person(reviewer).collect();
    if listed.is_empty() {
        return Err(SignError::NoKeys {
            reviewer: reviewer.into(),
        });
    }
    let key = match signer {
        Signer::Key(path) => read_key(path)?,
        Signer::Agent => {
            let held = agent_identities()?;
            let found = held
                .into_iter()
                .find(|k| listed.iter().any(|l| l.key.key_data() == k.key_data()));
            match found {
                Some(public) => SigningKey::Agent(public),
                None => {
                    return Err(SignError::Agent(format!(
                        "none of the agent's keys is among `{reviewer}`'s signing_keys ({}); `ssh-add` the right key or pass --key",
                        listed.iter().map(|l| l.fingerprint.as_str()).collect::<Vec<_>>().join(", ")
                    )))
                }
            }
        }
    };
    let public = key.public();
    if !listed.iter().any(|l| l.key.key_data() == public.key_data()) {
        return Err(SignError::NotListed {
            reviewer: reviewer.into(),
            fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
            public: public.to_openssh().unwrap_or_default(),
        });
    }
    Ok(key)
}

/// A key ready to sign.
pub enum SigningKey {
    Private(Box<PrivateKey>),
    /// Held by ssh-agent.
    Agent(PublicKey),
}

impl SigningKey {
    pub fn public(&self) -> PublicKey {
        match self {
            SigningKey::Private(k) => k.public_key().clone(),
            SigningKey::Agent(k) => k.clone(),
        }
    }

    /// Signs `statement`.
    pub fn sign(&self, statement: &str) -> Result<Signed, SignError> {
        let failed = |e: &dyn std::fmt::Display| SignError::Failed(e.to_string());
        let sig = match self {
            SigningKey::Private(k) => k
                .sign(NAMESPACE, HashAlg::Sha512, statement.as_bytes())
                .map_err(|e| failed(&e))?,
            SigningKey::Agent(public) => {
                let data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, statement.as_bytes())
                    .map_err(|e| failed(&e))?;
                let mut client = agent()?;
                let raw = client
                    .sign(public, &data)
                    .map_err(|e| SignError::Agent(format!("the agent refused to sign: {e}")))?;
                SshSig::new(public.key_data().clone(), NAMESPACE, HashAlg::Sha512, raw)
                    .map_err(|e| failed(&e))?
            }
        };
        let public = self.public();
        public
            .verify(NAMESPACE, statement.as_bytes(), &sig)
            .map_err(|e| SignError::Failed(format!("the new signature does not verify: {e}")))?;
        Ok(Signed {
            armored: sig.to_pem(LineEnding::LF).map_err(|e| failed(&e))?,
            key_fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
        })
    }
}

fn read_key(path: &Path) -> Result<SigningKey, SignError> {
    let shown = path.display().to_string();
    let unreadable = |reason: String| SignError::Unreadable {
        path: shown.clone(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    if text
        .trim_start()
        .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
    {
        let key = PrivateKey::from_openssh(text.trim()).map_err(|e| unreadable(e.to_string()))?;
        if key.is_encrypted() {
            return Err(SignError::Encrypted { path: shown });
        }
        return Ok(SigningKey::Private(Box::new(key)));
    }
    if text.contains("PRIVATE KEY-----") {
        return Err(unreadable(
            "only OpenSSH private keys are read (`ssh-keygen -p -f KEY` converts a PEM key)".into(),
        ));
    }
    // A public key: its private half must be in ssh-agent.
    let public = PublicKey::from_openssh(text.trim()).map_err(|e| {
        unreadable(format!(
            "neither an OpenSSH private key nor a public key line ({e})"
        ))
    })?;
    let held = agent_identities()?;
    if !held.iter().any(|k| k.key_data() == public.key_data()) {
        return Err(SignError::Agent(format!(
            "{shown} is a public key, and ssh-agent does not hold its private half; run `ssh-add` with the private key"
        )));
    }
    Ok(SigningKey::Agent(public))
}

fn agent() -> Result<ssh_agent_client_rs::Client, SignError> {
    let sock = std::env::var_os("SSH_AUTH_SOCK").ok_or_else(|| {
        SignError::Agent("no agent is running (SSH_AUTH_SOCK is not set); start one with `eval $(ssh-agent)` and `ssh-add`, or pass a private key file".into())
    })?;
    ssh_agent_client_rs::Client::connect(Path::new(&sock)).map_err(|e| {
        SignError::Agent(format!(
            "cannot connect to {}: {e}",
            Path::new(&sock).display()
        ))
    })
}

fn agent_identities() -> Result<Vec<PublicKey>, SignError> {
    let mut client = agent()?;
    let identities = client
        .list_all_identities()
        .map_err(|e| SignError::Agent(format!("cannot list the agent's keys: {e}")))?;
    Ok(identities
        .iter()
        .filter_map(|id| match id {
            ssh_agent_client_rs::Identity::PublicKey(k) => Some(k.as_ref().clone().into_owned()),
            ssh_agent_client_rs::Identity::Certificate(_) => None,
        })
        .collect())
}
