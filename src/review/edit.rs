//! Recording a sign-off by editing the front matter as text. Re-serializing
//! the YAML would drop comments, reorder keys and reflow strings, turning a
//! one-line approval into a noisy diff a reviewer has to re-read; instead
//! only the lines of the `review:` block change. Existing `status`,
//! `reviewer`, `date` and `fingerprint` lines get new values in place (their
//! trailing comments kept), missing ones are added at the block's end, and a
//! file without a `review:` block gets one before the closing `---`. The
//! line ending used is the file's own (LF or CRLF). The result is parsed
//! again and must give the same title, summary and body and the intended
//! approval, so a file the editor cannot handle is refused, never damaged.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use crate::config::yaml;
use crate::diagnostics::Diagnostic;
use crate::load::frontmatter::{parse_article, split};
use crate::model::article::{Article, ReviewStatus};

#[derive(Debug, Error)]
pub enum EditError {
    /// The file does not parse as an article (the diagnostic says where).
    #[error("{0}")]
    Parse(Diagnostic),
    /// The edit would not have produced the intended file; nothing written.
    #[error("{file}: cannot record the approval safely: {reason}")]
    Unsafe { file: PathBuf, reason: String },
}

/// What `approve` records.
#[derive(Debug, Clone)]
pub struct Approval<'a> {
    pub reviewer: &'a str,
    pub date: NaiveDate,
    /// Armored SSHSIG over the approval's statement, or `None` for an
    /// unsigned approval (an old signature is then removed).
    pub signature: Option<String>,
}

/// The result of [`approve_text`]: the new file text and the article parsed
/// from it (what `approve` reports the review rules of).
#[derive(Debug)]
pub struct Approved {
    pub text: String,
    pub article: Article,
}

/// The v2 fingerprint `before` gets when `reviewer` approves it on `date`
/// (v2 covers the reviewer and the date): what the reviewer signs.
pub fn fingerprint_for(before: &Article, reviewer: &str, date: NaiveDate) -> String {
    let mut approved = before.clone();
    approved.review.reviewer = Some(reviewer.to_string());
    approved.review.date = Some(date);
    approved.fingerprint_v2()
}

/// Returns the text of `before` (an article as loaded, with its embedded
/// files) with an approval by `approval.reviewer` on `approval.date` bound
/// to its current content by a v2 fingerprint, and the article it parses to.
pub fn approve_text(before: &Article, approval: &Approval) -> Result<Approved, EditError> {
    let source = &before.source;
    let text = &*before.raw;
    let parse = |t: &str| {
        parse_article(
            source.to_path_buf(),
            before.content_path.clone(),
            t.to_string(),
            &before.lang,
        )
        .map(|mut a| {
            a.embedded = before.embedded.clone();
            a
        })
    };
    let fingerprint = fingerprint_for(before, approval.reviewer, approval.date);
    let signature = approval.signature.as_deref().map(str::trim_end);
    let values = [
        ("status", Some("approved".to_string())),
        ("reviewer", Some(yaml::scalar(approval.reviewer))),
        ("date", Some(approval.date.to_string())),
        ("fingerprint", Some(fingerprint.clone())),
        ("signature", signature.map(str::to_string)),
    ];
    let edited = replace_review_block(source, text, &values)?;
    let unsafe_edit = |reason: String| EditError::Unsafe {
        file: source.to_path_buf(),
        reason,
    };
    let after = parse(&edited).map_err(|problems| {
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        unsafe_edit(format!(
            "the edited front matter does not parse ({})",
            messages.join("; ")
        ))
    })?;
    let same_text = after.title == before.title
        && after.summary == before.summary
        && after.body() == before.body()
        && after.raw[after.body_offset..] == text[before.body_offset..];
    let recorded = after.review.status == Some(ReviewStatus::Approved)
        && after.review.reviewer.as_deref() == Some(approval.reviewer)
        && after.review.date == Some(approval.date)
        && after.review.fingerprint.as_deref() == Some(fingerprint.as_str())
        && after.review.signature.as_deref().map(str::trim_end) == signature
        && after.approval_matches();
    if !same_text || !recorded {
        return Err(unsafe_edit(
            "the `review:` block has a form this command does not edit (e.g. quoted keys or flow style over several lines); write it as `review:` followed by indented `key: value` lines".into(),
        ));
    }
    Ok(Approved {
        text: edited,
        article: after,
    })
}

/// One line of the front matter: byte range including its line ending.
struct Line<'a> {
    start: usize,
    end: usize,
    /// The line without its line ending.
    text: &'a str,
}

fn lines_of(text: &str, from: usize, to: usize) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = from;
    while pos < to {
        let end = text[pos..to].find('\n').map_or(to, |i| pos + i + 1);
        let content = text[pos..end].trim_end_matches('\n').trim_end_matches('\r');
        out.push(Line {
            start: pos,
            end,
            text: content,
        });
        pos = end;
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Splits `  key: value  # note` into (value, "  # note").
fn value_and_comment(rest: &str) -> (&str, &str) {
    let bytes = rest.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            let value_end = rest[..i].trim_end().len();
            return (&rest[..value_end], &rest[value_end..]);
        }
    }
    (rest.trim_end(), "")
}

/// `key: value` lines for `values` (`None` values are left out); a value
/// with line breaks becomes a literal block scalar (`key: |`), indented two
/// more spaces than the key.
fn entry(indent: &str, key: &str, value: &str, nl: &str) -> String {
    if !value.contains('\n') {
        return format!("{indent}{key}: {value}");
    }
    let mut out = format!("{indent}{key}: |");
    for line in value.lines() {
        out += nl;
        out += indent;
        out += "  ";
        out += line;
    }
    out
}

fn replace_review_block(
    source: &Path,
    text: &str,
    values: &[(&str, Option<String>)],
) -> Result<String, EditError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let parts = split(source, &text[bom..]).map_err(EditError::Parse)?;
    let yaml_start = parts.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml_end = yaml_start + parts.yaml.len();
    let nl = if text[bom..].starts_with("---\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines = lines_of(text, yaml_start, yaml_end);
    let fresh_block = |indent: &str| {
        let mut block = format!("review:{nl}");
        for (key, value) in values {
            if let Some(value) = value {
                block += &entry(indent, key, value, nl);
                block += nl;
            }
        }
        block
    };

    let Some(head) = lines.iter().position(|l| {
        l.text.starts_with("review:")
            || l.text.starts_with("\"review\":")
            || l.text.starts_with("'review':")
    }) else {
        // No review block: add one at the end of the front matter.
        let mut out = String::with_capacity(text.len() + 160);
        out.push_str(&text[..yaml_end]);
        if yaml_end > yaml_start && !text[..yaml_end].ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(&fresh_block("  "));
        out.push_str(&text[yaml_end..]);
        return Ok(out);
    };
    // Children: indented lines, and blank or comment lines between them.
    let mut last_child = head;
    for (i, line) in lines.iter().enumerate().skip(head + 1) {
        if line.text.trim().is_empty() {
            continue;
        }
        if indent_of(line.text) == 0 {
            break;
        }
        last_child = i;
    }
    let after_key = lines[head].text.split_once(':').map_or("", |x| x.1);
    let (inline, _) = value_and_comment(after_key.trim_start());
    let children = &lines[head + 1..=last_child];
    let mut out = String::with_capacity(text.len() + 160);
    out.push_str(&text[..lines[head].start]);
    if !inline.is_empty() {
        // `review: { status: draft }` or similar: replace it with a block.
        if !children.is_empty() && !inline.starts_with(['{', '[']) {
            return Err(EditError::Unsafe {
                file: source.to_path_buf(),
                reason: "the `review:` key has both an inline value and indented lines".into(),
            });
        }
        out.push_str(&fresh_block("  "));
        out.push_str(&text[lines[last_child].end..]);
        return Ok(out);
    }
    let indent = children
        .iter()
        .map(|l| l.text)
        .find(|t| !t.trim().is_empty() && !t.trim_start().starts_with('#'))
        .map_or("  ".to_string(), |t| t[..indent_of(t)].to_string());
    out.push_str(&text[lines[head].start..lines[head].end]);
    if !text[..lines[head].end].ends_with('\n') {
        out.push_str(nl);
    }
    let mut written = vec![false; values.len()];
    let mut last_end = lines[head].end;
    // Inside the old value of a key being replaced: its continuation lines
    // (more indented, or blank) go with it.
    // `Some(true)` for a block scalar, whose blank lines are its own too.
    let mut in_old_value: Option<bool> = None;
    for line in children {
        if let Some(block) = in_old_value {
            let blank = line.text.trim().is_empty();
            if (blank && block) || (!blank && indent_of(line.text) > indent.len()) {
                last_end = line.end;
                continue;
            }
        }
        in_old_value = None;
        let direct = indent_of(line.text) == indent.len() && line.text.starts_with(indent.as_str());
        let key_hit = direct.then(|| {
            values.iter().position(|(key, _)| {
                line.text[indent.len()..]
                    .strip_prefix(key)
                    .is_some_and(|r| r.starts_with(':'))
            })
        });
        match key_hit.flatten() {
            Some(k) if !written[k] => {
                let (key, value) = &values[k];
                let rest = &line.text[indent.len() + key.len() + 1..];
                let (old, comment) = value_and_comment(rest);
                let ending = &text[line.start + line.text.len()..line.end];
                if let Some(value) = value {
                    // A block scalar's comment belongs to its header only.
                    let comment = if value.contains('\n') { "" } else { comment };
                    out.push_str(&entry(&indent, key, value, nl));
                    out.push_str(comment);
                    out.push_str(if ending.is_empty() { nl } else { ending });
                }
                written[k] = true;
                in_old_value =
                    Some(old.trim().is_empty() || old.trim_start().starts_with(['|', '>']));
            }
            _ => out.push_str(&text[line.start..line.end]),
        }
        last_end = line.end;
    }
    for (k, (key, value)) in values.iter().enumerate() {
        if let (false, Some(value)) = (written[k], value) {
            out.push_str(&entry(&indent, key, value, nl));
            out.push_str(nl);
        }
    }
    out.push_str(&text[last_end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::dates::parse_date;

    fn parsed(text: &str) -> Result<Article, EditError> {
        parse_article("content/a.md".into(), "a.md".into(), text.into(), "zh-Hans")
            .map_err(|mut ds| EditError::Parse(ds.remove(0)))
    }

    fn approve_with(text: &str, signature: Option<&str>) -> Result<Approved, EditError> {
        approve_text(
            &parsed(text)?,
            &Approval {
                reviewer: "dr-wang",
                date: parse_date("2026-11-20").unwrap(),
                signature: signature.map(str::to_string),
            },
        )
    }

    fn approve(text: &str) -> Result<String, EditError> {
        approve_with(text, None).map(|approved| approved.text)
    }

    const HEAD: &str = "---\n# 冬季专题\ntitle: 冬季防跌倒   # 标题\ndate: 2026-12-01\nsummary: 摘要\naudience: [seniors]\nspecialty: [cardiology]\nseason: [winter]\n";
    const BODY: &str = "正文第一段。\n\n  代码  \n\n\n";

    fn fp(text: &str) -> String {
        fingerprint_for(
            &parsed(text).unwrap(),
            "dr-wang",
            parse_date("2026-11-20").unwrap(),
        )
    }

    #[test]
    fn updates_an_existing_block_in_place_keeping_comments() {
        let text = format!("{HEAD}review:\n  # 审核记录\n  status: in-review   # 等待审核\n  reviewer: dr-li\nsources: [指南]\n---\n{BODY}");
        let out = approve(&text).unwrap();
        let expected = format!("{HEAD}review:\n  # 审核记录\n  status: approved   # 等待审核\n  reviewer: dr-wang\n  date: 2026-11-20\n  fingerprint: {}\nsources: [指南]\n---\n{BODY}", fp(&text));
        assert_eq!(out, expected);
        assert!(fp(&text).starts_with("sha256v2:"));
    }

    #[test]
    fn returns_the_article_as_approved() {
        let text = format!("{HEAD}review:\n  status: draft\n  reviewer: dr-li\n---\n{BODY}");
        let approved = approve_with(&text, None).unwrap();
        let review = &approved.article.review;
        assert_eq!(review.reviewer.as_deref(), Some("dr-wang"));
        assert_eq!(review.fingerprint.as_deref(), Some(fp(&text).as_str()));
        assert_eq!(&*approved.article.raw, approved.text.as_str());
        assert!(approved.article.approval_matches());
    }

    #[test]
    fn adds_a_block_when_there_is_none() {
        let text = format!("{HEAD}---\n{BODY}");
        let out = approve(&text).unwrap();
        let expected = format!("{HEAD}review:\n  status: approved\n  reviewer: dr-wang\n  date: 2026-11-20\n  fingerprint: {}\n---\n{BODY}", fp(&text));
        assert_eq!(out, expected);
    }

    #[test]
    fn replaces_an_inline_block_and_reapproves() {
        let text = format!("{HEAD}review: {{ status: draft }}\n---\n{BODY}");
        let once = approve(&text).unwrap();
        assert!(once.contains("review:\n  status: approved\n"));
        // Approving again only changes nothing but values.
        assert_eq!(approve(&once).unwrap(), once);
    }

    const SIG: &str = "-----BEGIN SSH SIGNATURE-----\nAAAA\nBBBB\n-----END SSH SIGNATURE-----\n";

    #[test]
    fn writes_replaces_and_removes_a_signature_block() {
        let text = format!("{HEAD}review:\n  status: draft\nsources: [指南]\n---\n{BODY}");
        let signed = approve_with(&text, Some(SIG)).unwrap();
        let block = "  signature: |\n    -----BEGIN SSH SIGNATURE-----\n    AAAA\n    BBBB\n    -----END SSH SIGNATURE-----\nsources: [指南]\n";
        assert!(signed.text.contains(block), "{}", signed.text);
        assert_eq!(signed.article.review.signature.as_deref(), Some(SIG));
        // A new signature replaces the old block whole.
        let other = SIG.replace("BBBB", "CCCC\nDDDD");
        let resigned = approve_with(&signed.text, Some(&other)).unwrap();
        assert!(resigned
            .text
            .contains("    CCCC\n    DDDD\n    -----END SSH SIGNATURE-----\nsources:"));
        assert!(!resigned.text.contains("BBBB"));
        // An unsigned approval drops it.
        let unsigned = approve(&resigned.text).unwrap();
        assert!(!unsigned.contains("signature"), "{unsigned}");
        assert!(unsigned.contains("  fingerprint: sha256v2:"));
        assert!(unsigned.ends_with(&format!("sources: [指南]\n---\n{BODY}")));
    }

    #[test]
    fn keeps_crlf_and_the_body_bytes() {
        let text = format!("{HEAD}review:\r\n    status: draft\r\n---\n{BODY}")
            .replace('\n', "\r\n")
            .replace("\r\r\n", "\r\n");
        let out = approve_with(&text, Some(SIG)).unwrap().text;
        assert!(
            !out.replace("\r\n", "").contains('\n'),
            "only CRLF endings: {out:?}"
        );
        assert!(out.contains("\r\n    status: approved\r\n    reviewer: dr-wang\r\n"));
        assert!(out.contains("\r\n    signature: |\r\n      -----BEGIN SSH SIGNATURE-----\r\n"));
        let body_at = |t: &str| t.find("---\r\n正文").unwrap();
        assert_eq!(out[body_at(&out)..], text[body_at(&text)..]);
    }

    #[test]
    fn replaces_a_folded_value_and_refuses_what_it_cannot_edit() {
        assert!(matches!(
            approve("no front matter").unwrap_err(),
            EditError::Parse(_)
        ));
        let folded = format!(
            "{HEAD}review:\n  status: draft\n  fingerprint: >\n    sha256:abc\n---\n{BODY}"
        );
        let out = approve(&folded).unwrap();
        assert!(!out.contains("sha256:abc") && !out.contains('>'), "{out}");
        let quoted = format!("{HEAD}review:\n  \"status\": draft\n---\n{BODY}");
        assert!(matches!(
            approve(&quoted).unwrap_err(),
            EditError::Unsafe { .. }
        ));
    }
}
