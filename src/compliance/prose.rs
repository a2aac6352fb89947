//! The sentences of an article's source that a reader sees as prose, for
//! the claim classifier: the front matter's `summary:` value and the
//! body's paragraphs, list items and quotations; not the title,
//! front-matter keys, headings, tables, fenced code, raw HTML lines, HTML
//! comments or shortcodes. Headings, the title (the page's `<h1>`) and
//! table cells are labels (症状, "When to see a doctor", 冬季心脑血管疾病预防:
//! a disease's name weighed as a claim), and a claim in one is the rules' to find;
//! the rules read the whole file, since a patient's phone number is a leak
//! wherever it is. Lines are read as they are written, not parsed as
//! Markdown: a line is what the rules' sentences end at, too.

/// Byte ranges (into `text`) of prose sentences long enough to judge,
/// in order, trimmed of spaces and list or heading marks.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut front = false;
    let mut fence: Option<&str> = None;
    let mut comment = false;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if content.trim_end() == "---" && (n == 0 || front) {
            front = n == 0;
            continue;
        }
        if front {
            for key in ["summary:"] {
                if let Some(value) = content.strip_prefix(key) {
                    let at = start + key.len();
                    split(text, at, at + value.len(), &mut out);
                }
            }
            continue;
        }
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(open);
            continue;
        }
        if comment {
            comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.starts_with("<!--") {
            comment = !trimmed.contains("-->");
            continue;
        }
        if ["<", "{{", "{%", "#", "|"]
            .iter()
            .any(|m| trimmed.starts_with(m))
        {
            continue;
        }
        let lead = content.len() - trimmed.len();
        split(text, start + lead, start + content.len(), &mut out);
    }
    out
}

/// Adds the sentences of `text[from..to]` to `out`.
fn split(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let mut at = from;
    while at < to {
        let (_, end) = super::segment::sentence(&text[..to], at);
        let end = end.min(to);
        if end > at {
            push(text, at, end, out);
        }
        // Step past the closing mark.
        at = text[end..to]
            .chars()
            .next()
            .map_or(to, |c| end + c.len_utf8());
    }
}

/// Keeps a sentence with enough words to judge: four Chinese characters or
/// three English words. Headings such as "预防" or "Symptoms" are not claims.
fn push(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let s = &text[start..end];
    let lead = s.len()
        - s.trim_start_matches(['>', '-', '*', '+', ' ', '\t', '"', '“'])
            .len();
    let mut s = s[lead..].trim_end();
    // A numbered item's mark ("1. ", "2、") is not part of its sentence.
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        if let Some(rest) = s[digits..]
            .strip_prefix(". ")
            .or_else(|| s[digits..].strip_prefix('、'))
        {
            s = rest.trim_start();
        }
    }
    let lead = (s.as_ptr() as usize) - (text[start..].as_ptr() as usize);
    let cjk = s.chars().filter(|&c| super::segment::is_cjk(c)).count();
    let words = s
        .split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .count();
    if cjk >= 4 || words >= 3 {
        out.push((start + lead, start + lead + s.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::sentences;

    fn texts(src: &str) -> Vec<&str> {
        sentences(src)
            .into_iter()
            .map(|(s, e)| &src[s..e])
            .collect()
    }

    #[test]
    fn runs_of_closing_marks_are_stepped_over() {
        let src = "“妈妈……难受……”凌晨三点，孩子蜷缩在小床上。！？Really? Yes it is true.\n";
        assert_eq!(
            texts(src),
            vec!["”凌晨三点，孩子蜷缩在小床上", "Yes it is true"]
        );
    }

    #[test]
    fn prose_only_from_summary_and_body() {
        let src = "---\ntitle: 本院保证根治糖尿病\naudience: [parents]\nsummary: 孩子发烧怎么办。\n---\n\n## 预防\n\n- 发热是身体对感染的反应。多喝水！\n\n```\n保证治愈的代码块内容\n```\n\n<div>保证治愈的网页标签</div>\n<!-- healthpress: allow x: 注释里的说明文字 -->\n| 药物 | 剂量 |\n|---|---|\n| 对乙酰氨基酚 | 按体重 |\nWe guarantee results. Call now.\n";
        assert_eq!(
            texts(src),
            vec![
                "孩子发烧怎么办",
                "发热是身体对感染的反应",
                "We guarantee results",
            ]
        );
    }
}
