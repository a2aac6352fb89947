//! What the words around a match say about it: a claim negated or hedged in
//! its own clause (目前没有哪种疗法可以保证根治, "there is no cure") is
//! honest information; a claim quoted or framed as a myth ("根治"的说法) is
//! a review note, not an error, and someone else's claim in a sentence that
//! warns against it (警惕宣称"根治"的广告) is myth-busting, nothing to
//! report; a definition (不复发即被视为痊愈) or a category's name (减肥类
//! 产品) claims nothing; and who makes it matters: the
//! institution, its doctors or its product promising a cure is an error,
//! a disease or a population being described (多数早期宫颈癌患者经规范治疗可以
//! 治愈) is not. The cue words are data, in the `lexicon:` of
//! builtin_rules.yaml. Negation is looked for only before the claim and
//! inside its clause, so "没有副作用，一次根治" still flags 根治.

pub use super::lexicon::Lexicon;
use super::segment::{self, Word};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Speaker {
    Other,
    Population,
    Product,
    Institution,
}

/// The reading of one match in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub negated: bool,
    /// A criterion of a definition or the name of a category: mentioned,
    /// not claimed.
    pub mentioned: bool,
    /// Quoted, framed as a myth or asked as a question.
    pub reported: bool,
    /// Someone else's claim (quoted or reported) in a sentence that warns
    /// against it: myth-busting.
    pub busted: bool,
    pub question: bool,
    /// An advice or possibility cue earlier in the claim's clause.
    pub soft: bool,
    /// A population statistic of a disease earlier in the claim's clause.
    pub statistic: bool,
    pub speaker: Speaker,
}

/// A sentence with its words, built once per sentence that has a match.
pub struct Sentence<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub words: Vec<Word<'a>>,
    lower: String,
}

impl<'a> Sentence<'a> {
    pub fn around(text: &'a str, at: usize) -> Sentence<'a> {
        let (start, end) = segment::sentence(text, at);
        Sentence {
            text,
            start,
            end,
            words: segment::words(text, start, end),
            lower: text[start..end].to_ascii_lowercase(),
        }
    }

    /// Whether `[start, end)` may be a term: on word boundaries.
    pub fn bounded(&self, start: usize, end: usize) -> bool {
        segment::on_word_boundaries(&self.words, start, end)
    }

    /// Occurrences of any cue of `list` within `[from, to)`, on word boundaries.
    pub fn find(&self, list: &[String], from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let (from, to) = (from.max(self.start), to.min(self.end));
        if from >= to {
            return out;
        }
        let hay = &self.lower[from - self.start..to - self.start];
        for cue in list {
            let cue = cue.to_ascii_lowercase();
            // A one-character cue (不, 无) must be a whole word; a longer one
            // may be glued to a neighbour by the segmenter (明显改善).
            let loose = cue.chars().count() > 1 && cue.chars().all(segment::is_cjk);
            for (i, _) in hay.match_indices(cue.as_str()) {
                let (s, e) = (from + i, from + i + cue.len());
                let ok = if loose {
                    self.words.iter().any(|w| w.start == s || w.end == e)
                } else {
                    self.bounded(s, e)
                };
                if ok {
                    out.push((s, e));
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn words_between(&self, from: usize, to: usize) -> usize {
        self.words
            .iter()
            .filter(|w| w.start >= from && w.end <= to)
            .count()
    }

    pub fn read(&self, lex: &Lexicon, start: usize, end: usize) -> Reading {
        // A pattern may run past the sentence's end (across a table cell's
        // `|`); the reading is of the part inside the sentence.
        let end = end.clamp(start, self.end.max(start));
        let clause = self.negation_clause(
            segment::clause_start(self.text, self.start, start),
            start,
            end,
        );
        let clause_end = self.text[end..self.end]
            .find(['，', ',', '。', '；', ';'])
            .map_or(self.end, |i| end + i);
        let mut negated = false;
        if let Some(&(_, cue_end)) = self.find(&lex.negation, clause, start).last() {
            let broken = !self.find(&lex.concession, cue_end, start).is_empty();
            let near = self.words_between(cue_end, start) <= 3;
            let carried = !self.find(&lex.modal, cue_end, start).is_empty();
            negated = !broken && (near || carried);
        }
        if !self.find(&lex.hedge, clause, start).is_empty() {
            negated = true;
        }
        // 根治不了 negates a plain claim and un-negates 没有根治不了的病.
        if self
            .find(&lex.after, end, clause_end)
            .first()
            .is_some_and(|&(s, _)| self.words_between(end, s) <= 1)
        {
            negated = !negated;
        }
        if !self
            .find(&lex.refuted, end, self.list_end(end, clause_end))
            .is_empty()
            || !self
                .find(&lex.evidence_denied, self.start, start)
                .is_empty()
        {
            negated = true;
        }
        // A success rate falling (复苏成功率下降7%~10%) is a risk statistic,
        // for the figure rules as for the rate detector.
        let falls = self
            .find(&lex.decline, start, end)
            .first()
            .is_some_and(|&(s, _)| s == start)
            && self
                .find(&lex.rate_words, clause, start)
                .last()
                .is_some_and(|&(_, e)| self.words_between(e, start) == 0);
        negated |= falls;
        let question = self.text[self.end..].starts_with(['？', '?']);
        let quoted = self.quoted(start, end);
        let reported = quoted || !self.find(&lex.myth, self.start, self.end).is_empty();
        // Busting is read after the last contrast before the claim: in
        // "claims to cure cancer are scams, but X really does cure cancer"
        // the second claim is X's own.
        let from = self
            .find(&lex.contrast, self.start, start)
            .last()
            .map_or(self.start, |&(_, e)| e);
        let attributed = quoted
            || self.single_quoted(start, end)
            || !self.find(&lex.reporting, from, self.end).is_empty();
        let speaker = self.speaker(lex, start, end);
        // A definition of cure is one of remission (不复发即被视为痊愈, "no
        // recurrence in five years, we consider that cured"), never a
        // product's (服用本品三个月，即可视为痊愈).
        let defined = speaker != Speaker::Product
            && !self.find(&lex.efficacy, start, end).is_empty()
            && !self.find(&lex.relapse, self.start, self.end).is_empty()
            && self.defines(lex, clause, start, end, clause_end);
        Reading {
            negated,
            // Only an outcome is defined (“considered the best” still ranks).
            mentioned: defined
                || lex
                    .category
                    .iter()
                    .any(|c| self.text[end..self.end].starts_with(c.as_str())),
            reported,
            busted: attributed && self.warns(lex, from),
            question,
            // A soft cue opening the sentence (建议…, "Ask your doctor…")
            // makes every clause of it advice.
            soft: !self.find(&lex.soft, clause, start).is_empty()
                || self
                    .find(&lex.soft, self.start, start)
                    .first()
                    .is_some_and(|&(s, _)| self.text[self.start..s].trim().is_empty()),
            statistic: !self
                .find(
                    &lex.statistic,
                    segment::clause_start(self.text, self.start, start),
                    start,
                )
                .is_empty(),
            speaker,
        }
    }

    /// Where a list the claim is an item of ends: "claims to cure, treat or
    /// prevent diabetes have not been evaluated" refutes every item. Only a
    /// claim that is a bare item (a comma right after it) starts a list; it
    /// runs over enumeration commas (、), over commas followed by a short
    /// item, and ends with the item after "or" / "and", unless a new clause
    /// starts there (", and it is illegal to copy it").
    fn list_end(&self, end: usize, clause_end: usize) -> usize {
        let bare = |from: usize, to: usize| self.text[from..to].split_whitespace().count() <= 1;
        if !bare(end, clause_end) {
            return clause_end;
        }
        let subject = |w: &str| {
            matches!(
                w,
                "it" | "this" | "that" | "they" | "we" | "you" | "he" | "she" | "there" | "i"
            )
        };
        let mut at = clause_end;
        for _ in 0..6 {
            let Some(sep) = self.text[at..self.end].chars().next() else {
                break;
            };
            if sep != '、' && sep != ',' {
                break;
            }
            let from = at + sep.len_utf8();
            let next = self.text[from..self.end]
                .find(['，', ',', '。', '；', ';', '、'])
                .map_or(self.end, |i| from + i);
            if sep == '、' {
                at = next;
                continue;
            }
            let item = &self.lower[from - self.start..next - self.start];
            let words: Vec<&str> = item.split_whitespace().collect();
            let coordinated = words
                .iter()
                .take(3)
                .position(|w| matches!(*w, "or" | "and"));
            let new_clause =
                coordinated.is_some_and(|i| words.get(i + 1).is_some_and(|w| subject(w)));
            if new_clause || words.len() > 2 && coordinated.is_none() {
                break;
            }
            at = next;
            if coordinated.is_some() {
                break;
            }
        }
        at
    }

    /// A warning against claims anywhere in the sentence, not one that
    /// sells: against counterfeits later in its clause (谨防假冒, 小心别人家
    /// 的假货), or rejected right before it (拒绝套路, 不忽悠, "no scams").
    fn warns(&self, lex: &Lexicon, from: usize) -> bool {
        self.find(&lex.warning, from, self.end)
            .iter()
            .any(|&(s, e)| {
                let clause_end = self.text[e..self.end]
                    .find(['，', ',', '。', '；', ';', '：', ':'])
                    .map_or(self.end, |i| e + i);
                let counterfeit = !self.find(&lex.counterfeit, e, clause_end).is_empty();
                let clause = segment::clause_start(self.text, self.start, s);
                let rejected = self
                    .find(&lex.reject, clause, s)
                    .last()
                    .is_some_and(|&(_, re)| self.words_between(re, s) <= 1);
                !counterfeit && !rejected
            })
    }

    /// A definition cue beside the claim in its clause, at most two words
    /// away: before it (视为痊愈, "consider that cured") or after it (不复发即被
    /// 视为…).
    fn defines(
        &self,
        lex: &Lexicon,
        clause: usize,
        start: usize,
        end: usize,
        clause_end: usize,
    ) -> bool {
        let before = self
            .find(&lex.definition, clause, start)
            .last()
            .is_some_and(|&(_, e)| self.words_between(e, start) <= 2);
        let after = self
            .find(&lex.definition, end, clause_end)
            .first()
            .is_some_and(|&(s, _)| self.words_between(end, s) <= 2);
        before || after
    }

    /// Where negation and hedging may come from: the claim's clause, or the
    /// clause before it when the claim continues an enumeration there
    /// (不能预防、治疗; "aren't meant to treat, prevent or cure"; "not
    /// intended to diagnose, treat, cure or prevent"): an enumeration comma
    /// (、), or an English comma when the claim is a list item ("X or
    /// claim", "claim or Y"). "No side effects, and cures…" is no list:
    /// nothing stands before the coordinator.
    fn negation_clause(&self, clause: usize, start: usize, end: usize) -> usize {
        let words = |from: usize, to: usize| self.text[from..to].split_whitespace().count();
        let coordinator = |w: &str| matches!(w, "or" | "and" | "nor");
        let head = self.text[clause..start].to_ascii_lowercase();
        let head: Vec<&str> = head.split_whitespace().collect();
        let after = self.text[end..self.end].trim_start().to_ascii_lowercase();
        // The claim is an item of a list: "…, prevent or cure" / "…, cure or prevent".
        let in_list = (2..=3).contains(&head.len()) && head.last().is_some_and(|w| coordinator(w))
            || head.is_empty()
                && (after.starts_with(',')
                    || after.split_whitespace().next().is_some_and(coordinator));
        let mut clause = clause;
        // Walk back over the list's earlier items (bare words: "diagnose, treat,").
        for _ in 0..6 {
            let Some(sep) = self.text[self.start..clause].chars().next_back() else {
                break;
            };
            let continues = match sep {
                '、' => true,
                ',' => in_list,
                _ => false,
            };
            if !continues {
                break;
            }
            let before = clause - sep.len_utf8();
            let previous = segment::clause_start(self.text, self.start, before);
            clause = previous;
            // A longer segment is the list's head (…not intended to diagnose).
            if words(previous, before) > 2 {
                break;
            }
        }
        clause
    }

    /// A brand as subject: an English word with a capital inside it or
    /// letters and digits mixed (NeuroPlus, ProstAid, Activ8) opening the
    /// sentence before the claim. Products are named, not described.
    fn brand_before(&self, at: usize) -> bool {
        // Units, lab tests and platforms are spelled the same way.
        const NOT_BRANDS: [&str; 12] = [
            "mmhg",
            "hba1c",
            "mrna",
            "egfr",
            "covid",
            "medlineplus",
            "pubmed",
            "youtube",
            "wechat",
            "whatsapp",
            "webmd",
            "iphone",
        ];
        // The subject: among the first three words of the sentence.
        self.words.iter().take(3).any(|w| {
            let t = w.text;
            w.end <= at
                && t.len() >= 4
                && !NOT_BRANDS.contains(&t.to_ascii_lowercase().as_str())
                && t.is_ascii()
                && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && (t.chars().skip(1).any(|c| c.is_ascii_uppercase())
                    && t.chars().any(|c| c.is_ascii_lowercase())
                    || t.chars().any(|c| c.is_ascii_digit())
                        && t.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3)
        })
    }

    fn speaker(&self, lex: &Lexicon, at: usize, end: usize) -> Speaker {
        // An English subject pronoun speaks before its claim: after it,
        // "we" is a relative clause ("the best protection we have").
        let pronoun = |t: &str| matches!(t, "we" | "us" | "we're" | "we've");
        // "our chances", 我们的身体: everyone, the reader included.
        let inclusive: Vec<usize> = self
            .find(&lex.inclusive, self.start, self.end)
            .iter()
            .map(|&(s, _)| s)
            .collect();
        if self
            .find(&lex.institution, self.start, self.end)
            .iter()
            .filter(|(s, _)| !inclusive.contains(s))
            .any(|&(s, e)| s < at || !pronoun(&self.lower[s - self.start..e - self.start]))
        {
            return Speaker::Institution;
        }
        // A product warned against (不要轻信偏方, "beware of supplements")
        // is the object of advice, not the speaker of the sentence.
        let warned = |s: usize| {
            let clause = segment::clause_start(self.text, self.start, s);
            !self.find(&lex.negation, clause, s).is_empty()
                || !self.find(&lex.myth, clause, s).is_empty()
                // 减少(大量)咖啡: a product to cut down on, one word between at most.
                || self
                    .find(&lex.restrict, clause, s)
                    .last()
                    .is_some_and(|&(_, e)| self.words_between(e, s) <= 1)
        };
        // A product reported on (有的产品宣称…, 保健食品虚假宣传…) in a
        // sentence that warns is the subject of the warning, not a speaker.
        let warns = self.warns(lex, self.start);
        let reported_on = |e: usize| {
            warns && {
                let next = |list: &[String]| {
                    self.find(list, e, self.end)
                        .first()
                        .is_some_and(|&(s, _)| self.words_between(e, s) <= 1)
                };
                next(&lex.warning) || next(&lex.reporting)
            }
        };
        if self
            .find(&lex.product, self.start, self.end)
            .iter()
            .any(|&(s, e)| !warned(s) && !reported_on(e))
            || self.brand_before(at)
        {
            return Speaker::Product;
        }
        // 防癌, 抗幽菌, 杀菌 end like a disease but act on it: a product's
        // word, not a disease as the subject.
        // The segmenter may cut the verb off (常吃抗 + 幽菌): the word before counts.
        let acts_on = |t: &str| {
            t.starts_with([
                '防', '抗', '治', '杀', '灭', '降', '除', '消', '护', '保', '养', '清', '补',
            ])
        };
        let disease = self.words.iter().enumerate().any(|(i, w)| {
            // …or sit one word further back (抗 + 新冠 + 病毒).
            let verb_before = (1..=2).any(|back| {
                i >= back && {
                    let p = &self.words[i - back];
                    p.text.chars().count() == 1 && acts_on(p.text)
                        || p.text.ends_with(['抗', '杀', '灭'])
                }
            });
            w.end <= at
                && w.text.chars().count() >= 2
                && !acts_on(w.text)
                && !verb_before
                && lex
                    .disease_suffix
                    .iter()
                    .any(|s| w.text.ends_with(s.as_str()))
        });
        // The population must come before the claim, as its subject:
        // "癫痫不再发作，孩子从此…" is not about a population.
        if disease
            || !self.find(&lex.population, self.start, at).is_empty()
            || self.quantifies(lex, end)
        {
            return Speaker::Population;
        }
        Speaker::Other
    }

    /// A figure that counts cases of a disease right after it ("95% of TB
    /// cases", "90%的肺结核患者") describes that population.
    fn quantifies(&self, lex: &Lexicon, end: usize) -> bool {
        let rest = &self.lower[end.clamp(self.start, self.end) - self.start..];
        let Some(tail) = rest
            .strip_prefix(" of ")
            .or_else(|| rest.strip_prefix("的"))
            .or_else(|| rest.strip_prefix("以上的"))
        else {
            return false;
        };
        let from = self.end - tail.len();
        // The counted noun: within a few words after "of" / 的.
        let to = tail
            .char_indices()
            .nth(16)
            .map_or(self.end, |(i, _)| from + i);
        // Cases of a disease, not "users" or "patients": "95%的患者症状缓解"
        // is still an unsourced efficacy figure.
        let cases = ["cases".to_string(), "病例".to_string()];
        !self.find(&cases, from, to).is_empty()
            || self.words.iter().any(|w| {
                w.start >= from
                    && w.end <= to
                    && lex
                        .disease_suffix
                        .iter()
                        .any(|s| w.text.chars().count() >= 2 && w.text.ends_with(s.as_str()))
            })
    }

    /// Inside a pair of quotation marks (or a title 《…》) of this sentence.
    fn quoted(&self, start: usize, end: usize) -> bool {
        let before = &self.text[self.start..start];
        let after = &self.text[end..self.end];
        let pairs = [
            ('“', '”'),
            ('「', '」'),
            ('『', '』'),
            ('‘', '’'),
            ('《', '》'),
        ];
        let paired = pairs.iter().any(|&(open, close)| {
            let opened = before.rfind(open);
            let closed_before = before.rfind(close);
            opened.is_some_and(|o| closed_before.is_none_or(|c| c < o)) && after.contains(close)
        });
        let straight = before.matches('"').count() % 2 == 1 && after.contains('"');
        paired || straight
    }

    /// Inside ASCII single quotes ('miracle cures'): an opening quote at a
    /// word's start before the claim, a closing one at a word's end after
    /// it; apostrophes inside words (there's) are neither.
    fn single_quoted(&self, start: usize, end: usize) -> bool {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
        let quotes = |from: usize, to: usize| {
            self.text[from..to]
                .char_indices()
                .filter(|&(_, c)| c == '\'')
                .map(move |(i, _)| from + i)
                .map(|i| {
                    (
                        i,
                        word(self.text[..i].chars().next_back()),
                        word(self.text[i + 1..].chars().next()),
                    )
                })
                .collect::<Vec<_>>()
        };
        // The nearest quote before that is not inside a word opens.
        let opened = quotes(self.start, start)
            .iter()
            .rev()
            .find(|&&(_, before, after)| !(before && after))
            .is_some_and(|&(_, before, after)| !before && after);
        let closed = quotes(end, self.end)
            .iter()
            .any(|&(_, before, after)| before && !after);
        opened && closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        super::super::rules::builtin_lexicon().expect("lexicon parses")
    }

    fn read(text: &str, term: &str) -> Reading {
        let at = text.find(term).unwrap();
        Sentence::around(text, at).read(&lex(), at, at + term.len())
    }

    #[test]
    fn negation_stays_in_its_clause() {
        assert!(read("目前没有哪种疗法可以保证根治", "根治").negated);
        assert!(read("控制不代表痊愈", "痊愈").negated);
        assert!(read("There is no treatment that can guarantee a cure.", "cure").negated);
        assert!(!read("没有任何副作用，一次根治", "根治").negated);
        assert!(!read("不开刀也能根治", "根治").negated);
        assert!(read("这种病根治不了", "根治").negated);
        assert!(!read("没有根治不了的病", "根治").negated);
        let denied = "There is no evidence that these, or any, products can cure COVID-19.";
        assert!(read(denied, "cure").negated);
        assert!(read("Testimonials are not proof that it works.", "Testimonials").negated);
    }

    #[test]
    fn speaker_and_reporting() {
        assert_eq!(
            read("我院专家团队可彻底治愈", "治愈").speaker,
            Speaker::Institution
        );
        assert_eq!(
            read("多数早期宫颈癌患者经规范治疗可以治愈", "治愈").speaker,
            Speaker::Population
        );
        assert_eq!(
            read("肺结核是可以治愈的", "治愈").speaker,
            Speaker::Population
        );
        assert!(read("警惕宣称“根治”的广告", "根治").reported);
        assert!(read("高血压能根治吗？", "根治").question);
        assert_eq!(
            read("癌症患者应到正规医院接受规范治疗，不要轻信偏方。", "治疗").speaker,
            Speaker::Population
        );
        assert_eq!(read("这款胶囊能治疗胃病", "治疗").speaker, Speaker::Product);
        let generic = "Vaccination is the best protection we have against a virus.";
        assert_ne!(read(generic, "the best").speaker, Speaker::Institution);
        assert_eq!(
            read("We are the best clinic in town.", "the best").speaker,
            Speaker::Institution
        );
        // A figure counting cases of a disease describes them.
        assert_eq!(
            read(
                "If taken properly, more than 95% of TB cases can be cured.",
                "95%"
            )
            .speaker,
            Speaker::Population
        );
        assert_eq!(read("95%的患者症状缓解", "95%").speaker, Speaker::Other);
        // A product that acts on a germ is not the germ as the subject.
        assert_ne!(
            read("常吃抗幽菌，远离牙周病。", "远离").speaker,
            Speaker::Population
        );
    }
}
