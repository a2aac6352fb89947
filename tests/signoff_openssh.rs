//! Signed approvals against stock OpenSSH (issue 16): with keys made by
//! `ssh-keygen` now (Ed25519, ECDSA P-256, RSA 3072), a signature written
//! by `healthpress approve --key` verifies with `ssh-keygen -Y verify`
//! exactly as docs/review-workflow.md gives the command; a signature made
//! by `ssh-keygen -Y sign` over `healthpress approval --statement` is
//! accepted by the build; and `approve` signs through a running ssh-agent
//! (`--agent`, `--key KEY.pub`). Skipped, with a message, only when
//! ssh-keygen is absent (CI installs openssh-client in .ci/run).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{output_text, Fixture, CALENDAR_YAML, SITE_YAML};

const AS_OF: &str = "2026-11-23";

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-?")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// `ssh-keygen ARGS` in `dir`; panics with its output on failure.
fn ssh_keygen(dir: &Path, args: &[&str], stdin: Option<&Path>) -> std::process::Output {
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(args).current_dir(dir);
    if let Some(input) = stdin {
        cmd.stdin(fs::File::open(input).unwrap());
    }
    cmd.output().expect("run ssh-keygen")
}

/// Makes a key pair with ssh-keygen: (private key path, public key line).
fn keygen(dir: &Path, name: &str, kind: &[&str]) -> (PathBuf, String) {
    let mut args = vec!["-q", "-N", "", "-C", "test-only", "-f", name];
    args.extend_from_slice(kind);
    let out = ssh_keygen(dir, &args, None);
    assert!(out.status.success(), "{}", output_text(&out));
    let public = fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
    (dir.join(name), public.trim().to_string())
}

/// The fixture site requiring signatures, dr-li's keys being `keys`.
fn site_with_keys(keys: &[String]) -> Fixture {
    let listed: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
    let yaml = SITE_YAML
        .replace("[\"DR_LI_KEY\"]", &format!("[{}]", listed.join(", ")))
        .replace(
            "review:\n  max_age_days: 730\n",
            "review:\n  max_age_days: 730\n  require_signature: true\n",
        );
    Fixture::with_config(&yaml, CALENDAR_YAML)
}

fn article(site: &Fixture, slug: &str) -> String {
    let spec = common::ArticleSpec::new(slug, "儿童发热怎么办").status("in-review");
    site.article(&spec);
    format!("content/{slug}.md")
}

/// The README's / docs' audit: export allowed_signers, statement and
/// signature with healthpress, then verify with `ssh-keygen -Y verify`.
fn openssh_verify(site: &Fixture, file: &str, reviewer: &str) -> std::process::Output {
    let dir = site.root();
    let export = |args: &[&str], to: &str| {
        let out = site.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            output_text(&out)
        );
        fs::write(dir.join(to), &out.stdout).unwrap();
    };
    export(&["approval", "--allowed-signers"], "allowed_signers");
    export(&["approval", file, "--statement"], "statement");
    export(&["approval", file, "--signature"], "approval.sig");
    ssh_keygen(
        dir,
        &[
            "-Y",
            "verify",
            "-f",
            "allowed_signers",
            "-I",
            reviewer,
            "-n",
            "healthpress",
            "-s",
            "approval.sig",
        ],
        Some(&dir.join("statement")),
    )
}

fn published(site: &Fixture, slug: &str) -> bool {
    site.root()
        .join(format!("public/articles/{slug}/index.html"))
        .exists()
}

#[test]
fn healthpress_and_openssh_accept_each_others_signatures() {
    if !have("ssh-keygen") {
        println!(
            "SKIPPED: ssh-keygen not found; install openssh-client to run the OpenSSH round trip"
        );
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let made = [
        (
            "ed25519",
            keygen(keys.path(), "ed25519", &["-t", "ed25519"]),
        ),
        (
            "ecdsa",
            keygen(keys.path(), "ecdsa", &["-t", "ecdsa", "-b", "256"]),
        ),
        (
            "rsa",
            keygen(keys.path(), "rsa", &["-t", "rsa", "-b", "3072"]),
        ),
    ];
    let site = site_with_keys(&made.iter().map(|(_, (_, p))| p.clone()).collect::<Vec<_>>());

    for (kind, (private, _)) in &made {
        // healthpress signs, OpenSSH verifies.
        let file = article(&site, &format!("hp-{kind}"));
        let out = site.run(&[
            "approve",
            &file,
            "--reviewer",
            "dr-li",
            "--date",
            "2026-11-20",
            "--key",
            private.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", output_text(&out));
        let verified = openssh_verify(&site, &file, "dr-li");
        assert!(
            verified.status.success(),
            "{kind}: {}",
            output_text(&verified)
        );
        assert!(
            output_text(&verified).contains("Good \"healthpress\" signature for dr-li"),
            "{kind}: {}",
            output_text(&verified)
        );
        // OpenSSH rejects it for another signer identity or another statement.
        let as_other = openssh_verify(&site, &file, "dr-wang");
        assert!(!as_other.status.success(), "{kind}");
        let statement = site.root().join("statement");
        let text = fs::read_to_string(&statement).unwrap();
        fs::write(&statement, text.replace("2026-11-20", "2026-11-21")).unwrap();
        let tampered = ssh_keygen(
            site.root(),
            &[
                "-Y",
                "verify",
                "-f",
                "allowed_signers",
                "-I",
                "dr-li",
                "-n",
                "healthpress",
                "-s",
                "approval.sig",
            ],
            Some(&statement),
        );
        assert!(
            !tampered.status.success(),
            "{kind}: {}",
            output_text(&tampered)
        );

        // OpenSSH signs the statement, healthpress accepts it.
        let file = article(&site, &format!("ssh-{kind}"));
        let unsigned = site.run(&[
            "approve",
            &file,
            "--reviewer",
            "dr-li",
            "--date",
            "2026-11-20",
        ]);
        assert_eq!(
            unsigned.status.code(),
            Some(1),
            "require_signature refuses an unsigned approval"
        );
        let with_key = site.run(&[
            "approve",
            &file,
            "--reviewer",
            "dr-li",
            "--date",
            "2026-11-20",
            "--key",
            private.to_str().unwrap(),
        ]);
        assert_eq!(
            with_key.status.code(),
            Some(0),
            "{}",
            output_text(&with_key)
        );
        let out = site.run(&["approval", &file, "--statement"]);
        fs::write(site.root().join("to-sign"), &out.stdout).unwrap();
        let signed = ssh_keygen(
            site.root(),
            &[
                "-Y",
                "sign",
                "-f",
                private.to_str().unwrap(),
                "-n",
                "healthpress",
                "to-sign",
            ],
            None,
        );
        assert!(signed.status.success(), "{kind}: {}", output_text(&signed));
        let sig = fs::read_to_string(site.root().join("to-sign.sig")).unwrap();
        fs::remove_file(site.root().join("to-sign.sig")).unwrap();
        let path = site.root().join(&file);
        let text = fs::read_to_string(&path).unwrap();
        let start = text.find("  signature: |\n").unwrap() + "  signature: |\n".len();
        let end = start + text[start..].find("\n---\n").unwrap() + 1;
        let block: String = sig.lines().map(|l| format!("    {l}\n")).collect();
        if *kind != "ecdsa" {
            // Ed25519 and RSA PKCS #1 v1.5 are deterministic: healthpress
            // must have written exactly OpenSSH's bytes.
            assert_eq!(&text[start..end], block, "{kind}: same bytes as ssh-keygen");
        }
        // A damaged signature first, to see the one from OpenSSH make the difference.
        let damaged = text[start..end].replacen("U1NIU0lH", "U1NIU0lI", 1);
        fs::write(
            &path,
            format!("{}{damaged}{}", &text[..start], &text[end..]),
        )
        .unwrap();
        assert_eq!(
            site.run(&["approval", &file]).status.code(),
            Some(1),
            "{kind}"
        );
        fs::write(&path, format!("{}{block}{}", &text[..start], &text[end..])).unwrap();
        let judged = site.run(&["approval", &file]);
        assert_eq!(
            judged.status.code(),
            Some(0),
            "{kind}: {}",
            output_text(&judged)
        );
        assert!(
            output_text(&judged).contains("signature:   valid, by SHA256:"),
            "{}",
            output_text(&judged)
        );
    }
    site.build(AS_OF);
    for (kind, _) in &made {
        assert!(published(&site, &format!("hp-{kind}")), "{kind}");
        assert!(published(&site, &format!("ssh-{kind}")), "{kind}");
    }
}

/// An ssh-agent started for one test, stopped when dropped.
struct Agent {
    child: Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Agent {
    fn start() -> Agent {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("agent.sock");
        let child = Command::new("ssh-agent")
            .args(["-D", "-a"])
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ssh-agent");
        for _ in 0..200 {
            if socket.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(socket.exists(), "ssh-agent did not create its socket");
        Agent {
            child,
            socket,
            _dir: dir,
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn approve_signs_through_ssh_agent() {
    if !have("ssh-keygen") || !have("ssh-agent") || !have("ssh-add") {
        println!("SKIPPED: ssh-keygen, ssh-agent or ssh-add not found; install openssh-client to run the agent test");
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let (ed25519, ed_pub) = keygen(keys.path(), "ed25519", &["-t", "ed25519"]);
    let (rsa, rsa_pub) = keygen(keys.path(), "rsa", &["-t", "rsa", "-b", "3072"]);
    let site = site_with_keys(&[ed_pub, rsa_pub]);
    let agent = Agent::start();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args(args)
            .current_dir(site.root())
            .env("SSH_AUTH_SOCK", &agent.socket)
            .output()
            .unwrap()
    };
    // Nothing loaded yet: a clear refusal naming ssh-add.
    let file = article(&site, "agent-rsa");
    let out = run(&["approve", &file, "--reviewer", "dr-li", "--agent"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        output_text(&out).contains("ssh-add"),
        "{}",
        output_text(&out)
    );

    // RSA through the agent (rsa-sha2-512), by `--key KEY.pub`.
    let added = Command::new("ssh-add")
        .arg(&rsa)
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", output_text(&added));
    let rsa_pub_path = format!("{}.pub", rsa.display());
    let out = run(&[
        "approve",
        &file,
        "--reviewer",
        "dr-li",
        "--date",
        "2026-11-20",
        "--key",
        &rsa_pub_path,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let verified = openssh_verify(&site, &file, "dr-li");
    assert!(verified.status.success(), "{}", output_text(&verified));
    assert!(
        output_text(&verified).contains("RSA key"),
        "{}",
        output_text(&verified)
    );

    // Ed25519 by `--agent` (the first agent key listed for the reviewer).
    let added = Command::new("ssh-add")
        .arg(&ed25519)
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", output_text(&added));
    let file = article(&site, "agent-ed25519");
    let out = run(&[
        "approve",
        &file,
        "--reviewer",
        "dr-li",
        "--date",
        "2026-11-20",
        "--agent",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(openssh_verify(&site, &file, "dr-li").status.success());
    drop(agent);
    site.build(AS_OF);
    assert!(published(&site, "agent-rsa") && published(&site, "agent-ed25519"));
}
