//! Hugo shortcodes (`{{< figure >}}`, `{{% notice %}}`) and Jekyll/Liquid
//! tags (`{% include %}`) in pages migrated from other generators.
//! healthpress has no template syntax in articles, so these would be
//! published as literal text; each opening one is a warning at its line,
//! with the Markdown that does the same job (docs/migrating-from-hugo.md).
//! Code blocks and code spans are skipped: articles may show the syntax.

/// One shortcode found: byte offset in the body, the syntax and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shortcode {
    pub offset: usize,
    pub syntax: &'static str,
    pub name: String,
}

/// Every opening shortcode or tag in `body`, outside code.
pub(crate) fn scan(body: &str) -> Vec<Shortcode> {
    let mut found = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let offset = line_start;
        line_start += line.len();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(c) = marker {
            let run = trimmed.chars().take_while(|x| *x == c).count();
            if run >= 3 && indent < 4 {
                match fence {
                    None => fence = Some((c, run)),
                    Some((fc, frun))
                        if fc == c && run >= frun && trimmed[run..].trim().is_empty() =>
                    {
                        fence = None
                    }
                    _ => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        scan_line(line, offset, &mut found);
    }
    found
}

fn scan_line(line: &str, offset: usize, found: &mut Vec<Shortcode>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_code: Option<usize> = None; // backtick run length of an open code span
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            in_code = match in_code {
                None => Some(run),
                Some(open) if open == run => None,
                other => other,
            };
            i += run;
            continue;
        }
        if in_code.is_none() && bytes[i] == b'{' {
            let rest = &line[i..];
            let syntax = if rest.starts_with("{{<") {
                Some(("{{<", "Hugo shortcode"))
            } else if rest.starts_with("{{%") {
                Some(("{{%", "Hugo shortcode"))
            } else if rest.starts_with("{%") {
                Some(("{%", "Liquid tag"))
            } else {
                None
            };
            if let Some((open, syntax)) = syntax {
                let after = rest[open.len()..].trim_start();
                if !after.starts_with('/') && !after.starts_with("end") {
                    let name: String = after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    found.push(Shortcode {
                        offset: offset + i,
                        syntax,
                        name,
                    });
                }
                i += open.len();
                continue;
            }
        }
        i += 1;
    }
}

/// What to write instead of shortcode `name`.
pub(crate) fn hint(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    let what = match name.as_str() {
        "figure" | "img" | "image" | "imgproc" | "picture" => {
            "use a Markdown image with a description: ![浴室扶手的安装位置](handrail.png \"caption\")"
        }
        "notice" | "alert" | "admonition" | "callout" | "hint" | "tip" | "note" | "warning"
        | "info" | "danger" | "caution" => {
            "use a callout: a blockquote starting with > [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], [!CAUTION] or [!EMERGENCY]"
        }
        "youtube" | "bilibili" | "video" | "vimeo" | "tencent" | "qqvideo" => {
            "put the video page's link alone in a paragraph, [标题](https://www.bilibili.com/video/BV...), and list the host under `content: embeds:` in site.yaml"
        }
        "ref" | "relref" | "link" | "post_url" => {
            "link to the other article's .md file: [更多](../other-article.md)"
        }
        "highlight" | "code" | "gist" => "use a fenced code block: ```python ... ```",
        "details" | "expand" | "collapse" | "spoiler" => {
            "use <details><summary>标题</summary>…</details>"
        }
        "include" | "partial" | "readfile" => {
            "copy the text into the article; articles cannot include other files"
        }
        _ => "write it in Markdown; articles have no shortcodes or template tags",
    };
    format!("{what} (see docs/migrating-from-hugo.md)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_openings_outside_code() {
        let body = "a {{< figure src=\"x.png\" >}} b\n{{% notice warning %}}\ntext\n{{% /notice %}}\n`{{< ref x >}}` {% include note.html %} {% endif %}\n```\n{{< highlight go >}}\n```\n";
        let found = scan(body);
        let names: Vec<(&str, &str)> = found.iter().map(|s| (s.syntax, s.name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("Hugo shortcode", "figure"),
                ("Hugo shortcode", "notice"),
                ("Liquid tag", "include")
            ]
        );
        assert_eq!(found[0].offset, 2);
        assert!(hint("notice").contains("[!WARNING]"));
    }
}
