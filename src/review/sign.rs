//! Making the signature of an approval: an SSHSIG (namespace
//! `healthpress`, SHA-512 as `ssh-keygen -Y sign` uses) over the approval's
//! statement, with the reviewer's own SSH key: either a private key file
//! that is not passphrase-protected, or any key held by a running
//! `ssh-agent` (the way git's `gpg.format=ssh` signing works with
//! protected keys and hardware tokens). The signature is checked against
//! the public key before it is returned. Cryptography is `ssh-key`'s; the
//! agent protocol is `ssh-agent-client-rs`'s.

use std::path::{Path, PathBuf};

use ssh_key::private::{KeypairData, RsaKeypair};
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
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
            SigningKey::Private(k) => match k.key_data() {
                KeypairData::Rsa(rsa_key) => sign_rsa(rsa_key, k.public_key(), statement)?,
                _ => k
                    .sign(NAMESPACE, HashAlg::Sha512, statement.as_bytes())
                    .map_err(|e| failed(&e))?,
            },
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

/// SSHSIG with an RSA key, as `ssh-keygen -Y sign` makes it: PKCS #1 v1.5
/// over the signed data with SHA-512 (`rsa-sha2-512`). `ssh-key` 0.6.7's own
/// RSA signing cannot work (it builds the private key from the prime p
/// twice, RustCrypto/SSH#217), so the key is assembled here from its p and
/// q; the `rsa` crate checks it and does the arithmetic.
/// The smallest RSA key `ssh-key` verifies (and NIST still accepts).
const MIN_RSA_BITS: usize = 2048;

fn sign_rsa(key: &RsaKeypair, public: &PublicKey, statement: &str) -> Result<SshSig, SignError> {
    use rsa::signature::{SignatureEncoding, Signer as _};
    let failed = |e: &dyn std::fmt::Display| SignError::Failed(format!("RSA: {e}"));
    let int =
        |m: &ssh_key::Mpint| rsa::BigUint::from_bytes_be(m.as_positive_bytes().unwrap_or(&[]));
    let private = rsa::RsaPrivateKey::from_components(
        int(&key.public.n),
        int(&key.public.e),
        int(&key.private.d),
        vec![int(&key.private.p), int(&key.private.q)],
    )
    .map_err(|e| failed(&e))?;
    let bits = rsa::traits::PublicKeyParts::size(&private) * 8;
    if bits < MIN_RSA_BITS {
        return Err(SignError::Failed(format!(
            "the RSA key has {bits} bits; RSA keys under {MIN_RSA_BITS} bits are too weak and are not verified, make a new key (`ssh-keygen -t ed25519`)"
        )));
    }
    let data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, statement.as_bytes())
        .map_err(|e| failed(&e))?;
    let raw = rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(private)
        .try_sign(&data)
        .map_err(|e| failed(&e))?
        .to_vec();
    let signature = ssh_key::Signature::new(
        Algorithm::Rsa {
            hash: Some(HashAlg::Sha512),
        },
        raw,
    )
    .map_err(|e| failed(&e))?;
    SshSig::new(
        public.key_data().clone(),
        NAMESPACE,
        HashAlg::Sha512,
        signature,
    )
    .map_err(|e| failed(&e))
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
        let key = PrivateKey::from_openssh(text.trim()).map_err(|e| match e {
            // ssh-key 0.6 expects an ECDSA private scalar at its full
            // width; OpenSSH writes it as an mpint without leading zero
            // bytes, so about half of all P-521 keys (and 1 in 256 P-256 or
            // P-384 keys) do not load. The agent signs them fine.
            ssh_key::Error::Encoding(_) => {
                unreadable(format!(
                    "{e}: the signing library cannot load this private key (it happens with some ECDSA keys); load it into ssh-agent (`ssh-add {shown}`) and sign with `--key {shown}.pub` or `--agent`"
                ))
            }
            _ => unreadable(e.to_string()),
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A TEST-ONLY private key from tests/keys/ (see its README).
    fn test_key(name: &str) -> PrivateKey {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/keys")
            .join(name);
        PrivateKey::from_openssh(std::fs::read_to_string(path).unwrap().trim())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    const STATEMENT: &str =
        "healthpress approval\nreviewer: dr-li\ndate: 2026-11-20\nfingerprint: sha256v2:00\n";

    /// Signs with every key type OpenSSH makes (Ed25519, ECDSA P-256/384/521,
    /// RSA as rsa-sha2-512) and checks the SSHSIG as a verifier would.
    #[test]
    fn every_key_type_signs_a_verifiable_sshsig() {
        for (name, algorithm) in [
            ("dr-li", "ssh-ed25519"),
            ("dr-fang", "ecdsa-sha2-nistp256"),
            ("dr-chen", "ecdsa-sha2-nistp384"),
            ("ecdsa-p521", "ecdsa-sha2-nistp521"),
            ("rsa-3072", "rsa-sha2-512"),
        ] {
            let key = SigningKey::Private(Box::new(test_key(name)));
            let signed = key
                .sign(STATEMENT)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let sig = SshSig::from_pem(&signed.armored)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{}", signed.armored));
            assert_eq!(sig.namespace(), NAMESPACE, "{name}");
            assert_eq!(sig.hash_alg(), HashAlg::Sha512, "{name}");
            assert_eq!(sig.signature().algorithm().as_str(), algorithm, "{name}");
            let public = key.public();
            assert_eq!(
                signed.key_fingerprint,
                public.fingerprint(HashAlg::Sha256).to_string()
            );
            public
                .verify(NAMESPACE, STATEMENT.as_bytes(), &sig)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let other = STATEMENT.replace("dr-li", "dr-wang");
            assert!(
                public.verify(NAMESPACE, other.as_bytes(), &sig).is_err(),
                "{name}: a signature holds for its statement only"
            );
            assert!(public.verify("git", STATEMENT.as_bytes(), &sig).is_err());
        }
    }

    #[test]
    fn an_ecdsa_key_the_library_cannot_load_points_to_the_agent() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys/ecdsa-p521-short");
        let err = read_key(&path).err().expect("unreadable").to_string();
        assert!(err.contains("ssh-add") && err.contains("--agent"), "{err}");
    }

    #[test]
    fn a_short_rsa_key_is_refused_with_the_reason() {
        let key = SigningKey::Private(Box::new(test_key("rsa-1024")));
        let err = key.sign(STATEMENT).expect_err("refused").to_string();
        assert!(
            err.contains("1024 bits") && err.contains("ssh-keygen -t ed25519"),
            "{err}"
        );
    }
}
