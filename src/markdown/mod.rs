//! Placeholder with the agreed interface; replaced by the markdown branch (sanitizing renderer).
use crate::diagnostics::Diagnostic;
use std::path::Path;
pub struct MarkdownInput<'a> {
    pub body: &'a str,
    pub body_line: usize,
    pub file: &'a Path,
    pub source_dir: &'a Path,
}
pub trait LinkResolver: Sync {
    fn resolve(&self, target: &Path) -> Result<String, String>;
}
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}
pub struct ReadingStats {
    pub cjk_chars: usize,
    pub words: usize,
    pub minutes: u32,
}
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub reading: ReadingStats,
}
pub fn render(input: &MarkdownInput, _resolver: &dyn LinkResolver) -> (Rendered, Vec<Diagnostic>) {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(input.body));
    (
        Rendered {
            html,
            headings: vec![],
            reading: ReadingStats {
                cjk_chars: 0,
                words: 0,
                minutes: 1,
            },
        },
        vec![],
    )
}
