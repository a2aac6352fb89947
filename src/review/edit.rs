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
}

/// The result of [`approve_text`]: the new file text and the article parsed
/// from it (what `approve` reports the review rules of).
#[derive(Debug)]
pub struct Approved {
    pub text: String,
    pub article: Article,
}

/// Returns `text` with an approval by `approval.reviewer` on `approval.date`
/// bound to the file's current title, summary and body, and the article it
/// parses to. `source` and `content_path` are as in [`parse_article`].
pub fn approve_text(
    source: &Path,
    content_path: &Path,
    text: &str,
    approval: &Approval,
) -> Result<Approved, EditError> {
    let parse = |t: &str| {
        parse_article(
            source.to_path_buf(),
            content_path.to_path_buf(),
            t.to_string(),
            "und",
        )
    };
    // approve refuses files with check errors before editing; the first
    // problem is enough to say why this one cannot be edited.
    let before = parse(text).map_err(|mut problems| EditError::Parse(problems.remove(0)))?;
    let fingerprint = before.current_fingerprint.clone();
    let values = [
        ("status", "approved".to_string()),
        ("reviewer", yaml::scalar(approval.reviewer)),
        ("date", approval.date.to_string()),
        ("fingerprint", fingerprint.clone()),
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
        && after.approval_matches();
    if !same_text || !recorded {
        return Err(unsafe_edit(
            "the `review:` block has a form this command does not edit (e.g. multi-line values); write it as `review:` followed by indented `key: value` lines".into(),
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

fn replace_review_block(
    source: &Path,
    text: &str,
    values: &[(&str, String)],
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
            block += &format!("{indent}{key}: {value}{nl}");
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
    for line in children {
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
                let (_, comment) = value_and_comment(rest);
                let ending = &text[line.start + line.text.len()..line.end];
                out.push_str(&format!("{indent}{key}: {value}{comment}"));
                out.push_str(if ending.is_empty() { nl } else { ending });
                written[k] = true;
            }
            _ => out.push_str(&text[line.start..line.end]),
        }
        last_end = line.end;
    }
    for (k, (key, value)) in values.iter().enumerate() {
        if !written[k] {
            out.push_str(&format!("{indent}{key}: {value}{nl}"));
        }
    }
    out.push_str(&text[last_end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::dates::parse_date;
    use crate::model::fingerprint::fingerprint;

    fn approve(text: &str) -> Result<String, EditError> {
        approve_text(
            Path::new("content/a.md"),
            Path::new("a.md"),
            text,
            &Approval {
                reviewer: "dr-wang",
                date: parse_date("2026-11-20").unwrap(),
            },
        )
        .map(|approved| approved.text)
    }

    const HEAD: &str = "---\n# 冬季专题\ntitle: 冬季防跌倒   # 标题\ndate: 2026-12-01\nsummary: 摘要\naudience: [seniors]\nspecialty: [cardiology]\nseason: [winter]\n";
    const BODY: &str = "正文第一段。\n\n  代码  \n\n\n";

    fn fp() -> String {
        fingerprint("冬季防跌倒", "摘要", BODY)
    }

    #[test]
    fn updates_an_existing_block_in_place_keeping_comments() {
        let text = format!("{HEAD}review:\n  # 审核记录\n  status: in-review   # 等待审核\n  reviewer: dr-li\nsources: [指南]\n---\n{BODY}");
        let out = approve(&text).unwrap();
        let expected = format!("{HEAD}review:\n  # 审核记录\n  status: approved   # 等待审核\n  reviewer: dr-wang\n  date: 2026-11-20\n  fingerprint: {}\nsources: [指南]\n---\n{BODY}", fp());
        assert_eq!(out, expected);
    }

    #[test]
    fn returns_the_article_as_approved() {
        let text = format!("{HEAD}review:\n  status: draft\n  reviewer: dr-li\n---\n{BODY}");
        let approved = approve_text(
            Path::new("content/a.md"),
            Path::new("a.md"),
            &text,
            &Approval {
                reviewer: "dr-wang",
                date: parse_date("2026-11-20").unwrap(),
            },
        )
        .unwrap();
        let review = &approved.article.review;
        assert_eq!(review.reviewer.as_deref(), Some("dr-wang"));
        assert_eq!(review.fingerprint.as_deref(), Some(fp().as_str()));
        assert_eq!(approved.article.raw, approved.text);
    }

    #[test]
    fn adds_a_block_when_there_is_none() {
        let text = format!("{HEAD}---\n{BODY}");
        let out = approve(&text).unwrap();
        let expected = format!("{HEAD}review:\n  status: approved\n  reviewer: dr-wang\n  date: 2026-11-20\n  fingerprint: {}\n---\n{BODY}", fp());
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

    #[test]
    fn keeps_crlf_and_the_body_bytes() {
        let text = format!("{HEAD}review:\r\n    status: draft\r\n---\n{BODY}")
            .replace('\n', "\r\n")
            .replace("\r\r\n", "\r\n");
        let out = approve(&text).unwrap();
        assert!(
            !out.replace("\r\n", "").contains('\n'),
            "only CRLF endings: {out:?}"
        );
        assert!(out.contains("\r\n    status: approved\r\n    reviewer: dr-wang\r\n"));
        let body_at = |t: &str| t.find("---\r\n正文").unwrap();
        assert_eq!(out[body_at(&out)..], text[body_at(&text)..]);
    }

    #[test]
    fn refuses_what_it_cannot_edit() {
        let err = approve("no front matter").unwrap_err();
        assert!(matches!(err, EditError::Parse(_)));
        let multi = format!(
            "{HEAD}review:\n  status: draft\n  fingerprint: >\n    sha256:abc\n---\n{BODY}"
        );
        assert!(matches!(
            approve(&multi).unwrap_err(),
            EditError::Unsafe { .. }
        ));
    }
}
