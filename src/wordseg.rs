//! The one jieba word segmenter of the process. Loading jieba's built-in
//! dictionary costs tens of milliseconds and several megabytes, and both
//! the compliance lint (terms must sit on word boundaries) and pinyin
//! slugs (a character's reading depends on its word) need it, so it lives
//! here, below both, loaded lazily on first use and shared.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jieba_rs::Jieba;

static JIEBA: OnceLock<(Jieba, Duration)> = OnceLock::new();

/// The shared segmenter, loading its dictionary on the first call.
pub fn jieba() -> &'static Jieba {
    &JIEBA
        .get_or_init(|| {
            let started = Instant::now();
            let jieba = Jieba::new();
            (jieba, started.elapsed())
        })
        .0
}

/// How long loading the dictionary took, if this process has loaded it.
pub fn dictionary_load_time() -> Option<Duration> {
    JIEBA.get().map(|(_, took)| *took)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_instance_is_shared() {
        let a = jieba() as *const Jieba;
        let b = jieba() as *const Jieba;
        assert_eq!(a, b);
        assert!(dictionary_load_time().is_some());
        let text = "高血压患者";
        let words: Vec<&str> = jieba()
            .cut(text, false)
            .iter()
            .map(|t| &text[t.byte_start..t.byte_end])
            .collect();
        assert!(words.contains(&"高血压"), "{words:?}");
    }
}
