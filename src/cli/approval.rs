//! `healthpress approval FILE [--statement | --signature | --fingerprints]` and
//! `healthpress approval --allowed-signers`: shows how an article's
//! sign-off stands (fingerprint version, whether it still matches, the
//! signature and its key), and prints exactly the files an auditor needs to
//! check the signature with stock OpenSSH, without trusting healthpress:
//!
//! ```text
//! healthpress approval --allowed-signers > allowed_signers
//! healthpress approval content/a.md --statement > statement
//! healthpress approval content/a.md --signature > a.sig
//! ssh-keygen -Y verify -f allowed_signers -I dr-wang -n healthpress -s a.sig < statement
//! ```
//!
//! (`scripts/fingerprint.py --statement` writes the statement independently.)

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::load::{read_article, read_config};
use crate::model::fingerprint::Version;
use crate::model::signoff::{self, article_statement, Keyring, Signature, Verdict};

/// `healthpress approval`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The article (a Markdown file under content/).
    #[arg(required_unless_present = "allowed_signers")]
    pub file: Option<PathBuf>,
    /// Print the exact statement the reviewer signed (bytes as signed).
    #[arg(long, conflicts_with_all = ["signature", "allowed_signers"])]
    pub statement: bool,
    /// Print the recorded signature (armored SSHSIG).
    #[arg(long, conflicts_with = "allowed_signers")]
    pub signature: bool,
    /// Print the article's current v1 and v2 fingerprints and the files v2
    /// covers (`v1 …`, `v2 …`, `file PATH SHA256|missing` lines), approved
    /// or not; `scripts/fingerprint.py --json` computes the same.
    #[arg(long, conflicts_with_all = ["statement", "signature", "allowed_signers"])]
    pub fingerprints: bool,
    /// Print an OpenSSH allowed_signers file of every signing key in site.yaml.
    #[arg(long)]
    pub allowed_signers: bool,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<i32> {
    let config = match read_config(root) {
        Ok((config, _)) => config,
        Err(d) => {
            super::shared::print_diagnostics(&[d]);
            bail!("the site configuration is unusable")
        }
    };
    let (keys, bad) = Keyring::new(&config);
    for b in &bad {
        eprintln!(
            "warning: site.yaml people.{}.signing_keys[{}] is not an OpenSSH public key ({}); left out",
            b.person, b.index, b.reason
        );
    }
    let mut out = std::io::stdout().lock();
    if args.allowed_signers {
        out.write_all(keys.allowed_signers().as_bytes())?;
        return Ok(0);
    }
    let Some(file) = &args.file else {
        bail!("name the article: healthpress approval FILE");
    };
    let source = super::approve::site_relative(root, file)
        .with_context(|| format!("{} is not a Markdown file under content/", file.display()))?;
    let content_path = source
        .strip_prefix("content")
        .unwrap_or(&source)
        .to_path_buf();
    let article = read_article(root, content_path, &config.language).map_err(|ds| {
        anyhow::anyhow!(
            "{}",
            ds.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let shown = source.display();
    if args.statement {
        let Some(text) = article_statement(&article) else {
            eprintln!(
                "error: {shown} records no complete approval (reviewer, date and fingerprint)"
            );
            return Ok(1);
        };
        out.write_all(text.as_bytes())?;
        return Ok(0);
    }
    if args.fingerprints {
        writeln!(out, "v1 {}", article.current_fingerprint)?;
        writeln!(out, "v2 {}", article.fingerprint_v2())?;
        for f in &article.embedded {
            writeln!(
                out,
                "file {} {}",
                f.target,
                f.sha256.as_deref().unwrap_or("missing")
            )?;
        }
        return Ok(0);
    }
    if args.signature {
        let Some(sig) = &article.review.signature else {
            eprintln!("error: {shown} has no `review.signature`");
            return Ok(1);
        };
        writeln!(out, "{}", sig.trim_end())?;
        return Ok(0);
    }
    let judged = signoff::assess(&config.review, &keys, &article);
    let reviewer = article.review.reviewer.as_deref().unwrap_or("?");
    writeln!(out, "{shown}")?;
    if judged.verdict == Verdict::NotApproved {
        writeln!(out, "  not approved (review.status is not `approved`)")?;
        return Ok(1);
    }
    let recorded = article.review.fingerprint.as_deref().unwrap_or("none");
    let current = match judged.version {
        Some(Version::V1) => article.current_fingerprint.clone(),
        _ => article.fingerprint_v2(),
    };
    writeln!(
        out,
        "  reviewer:    {reviewer}, on {}",
        article.review.date.map_or("?".into(), |d| d.to_string())
    )?;
    writeln!(
        out,
        "  fingerprint: {recorded} ({})",
        judged.version.map_or("unknown version", Version::label)
    )?;
    writeln!(out, "  current:     {current}")?;
    for f in &article.embedded {
        writeln!(
            out,
            "  embeds:      {} -> {} ({})",
            f.target,
            f.path
                .as_ref()
                .map_or("outside the site".into(), |p| p.display().to_string()),
            f.sha256
                .as_deref()
                .map_or("missing", |h| &h[..h.len().min(16)])
        )?;
    }
    let signature = match &judged.signature {
        Signature::None => "none".to_string(),
        Signature::Valid { key } => format!("valid, by {key}"),
        Signature::Invalid { key } => {
            format!(
                "INVALID{}",
                key.as_ref().map_or(String::new(), |k| format!(", by {k}"))
            )
        }
    };
    writeln!(out, "  signature:   {signature}")?;
    let verdict = match &judged.verdict {
        Verdict::Holds => "approved".to_string(),
        Verdict::Stale => "NOT approved: the article changed after sign-off".into(),
        Verdict::V1NotAccepted => "NOT approved: v1 fingerprint, site.yaml requires v2".into(),
        Verdict::Unsigned => "NOT approved: unsigned, site.yaml requires signatures".into(),
        Verdict::BadSignature(why) => format!("NOT approved: {why}"),
        Verdict::NotApproved => unreachable!("handled above"),
    };
    writeln!(out, "  verdict:     {verdict}")?;
    if article.review.signature.is_some() {
        writeln!(out, "  verify with OpenSSH:")?;
        writeln!(
            out,
            "    healthpress approval --allowed-signers > allowed_signers"
        )?;
        writeln!(
            out,
            "    healthpress approval {shown} --statement > statement"
        )?;
        writeln!(
            out,
            "    healthpress approval {shown} --signature > approval.sig"
        )?;
        writeln!(
            out,
            "    ssh-keygen -Y verify -f allowed_signers -I {reviewer} -n {} -s approval.sig < statement",
            signoff::NAMESPACE
        )?;
    }
    Ok(if judged.verdict == Verdict::Holds {
        0
    } else {
        1
    })
}
