//! The cue words that context.rs reads a match by: negation and hedging,
//! myths and warnings, speakers, definitions and categories, rates. They
//! are data, the `lexicon:` of builtin_rules.yaml; this is their shape.

use serde::Deserialize;

/// Cue words, each matched on word boundaries (ASCII case-insensitively).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lexicon {
    /// Negate a claim that follows closely in the same clause.
    pub negation: Vec<String>,
    /// Negate or hedge a claim anywhere later in the same clause.
    pub hedge: Vec<String>,
    /// Carry a negation across a longer distance ("no treatment CAN cure").
    pub modal: Vec<String>,
    /// Break a negation ("不开刀也能根治": 也).
    pub concession: Vec<String>,
    /// Right after a claim, reverse it ("根治不了"; "最有效的方法之一").
    pub after: Vec<String>,
    /// Later in the clause, refute it ("没有副作用的药是不存在的").
    pub refuted: Vec<String>,
    /// Earlier in the sentence, across commas: the claim is denied ("there
    /// is no evidence that these, or any, products can cure…").
    pub evidence_denied: Vec<String>,
    /// Anywhere in the sentence: the claim is reported, not made.
    pub myth: Vec<String>,
    /// Anywhere in the sentence: the text warns against, condemns or forbids
    /// claims (警惕, 虚假, 不得, "be skeptical", "scam"). With the claim
    /// attributed to someone else (quoted, or a `reporting` cue), the
    /// sentence busts a myth and reports nothing.
    pub warning: Vec<String>,
    /// Just before a warning cue, a rejection that sells (拒绝套路, 不忽悠,
    /// "no scams"): no warning.
    pub reject: Vec<String>,
    /// Later in a warning's clause, a warning that sells (谨防假冒, "beware of
    /// imitations"): not a warning against claims.
    pub counterfeit: Vec<String>,
    /// Anywhere in the sentence: the claim is someone else's words, said or
    /// cited as an example (商家宣称, 等字眼, "ads promising", "words like").
    pub reporting: Vec<String>,
    /// Next to a claim in its clause, a definition (不复发即被视为痊愈, "we
    /// consider that cured"): the claim is a criterion, not a promise.
    pub definition: Vec<String>,
    /// Before a claim in its sentence, a turn (但, 才, "but", "really"):
    /// warnings and reports before it do not reach the claim.
    pub contrast: Vec<String>,
    /// A relapse: a definition of cure is one of remission.
    pub relapse: Vec<String>,
    /// Right after a term, a class of things (减肥类产品, 降糖类药物): the term
    /// names a category, it claims nothing.
    pub category: Vec<String>,
    /// Just before a product word, advice to consume less of it (减少咖啡的
    /// 摄入, "cut down on coffee"): the product is the object, not the speaker.
    pub restrict: Vec<String>,
    /// The institution or its staff speaking about itself.
    pub institution: Vec<String>,
    /// A product or a branded treatment.
    pub product: Vec<String>,
    /// A population, a disease or a study being described.
    pub population: Vec<String>,
    /// A first person plural that means people in general, the reader
    /// included ("our chances", "our bodies", 我们的身体): not the
    /// institution speaking.
    pub inclusive: Vec<String>,
    /// A disease's figures in a population (发病率, 死亡率, incidence): a
    /// ranking or a superlative said of them in their clause (我国…死亡率居
    /// 世界第一) describes the burden of a disease, not a service.
    pub statistic: Vec<String>,
    /// Advice and possibility (可以, 有助于, may, can help) before a claim in
    /// its clause: patient-education register, used by rules with `advice`.
    pub soft: Vec<String>,
    /// Last characters of a disease name (肺结核, 宫颈癌, 感染…).
    pub disease_suffix: Vec<String>,
    /// Words of outcome that make a number a rate claim (有效, cured…).
    pub efficacy: Vec<String>,
    /// Explicit rate words (治愈率, "success rate").
    pub rate_words: Vec<String>,
    /// Between a rate word and its figure, a fall (复苏成功率下降7%~10%,
    /// "the success rate drops by 10%"): a risk statistic, never a
    /// promotion of results.
    pub decline: Vec<String>,
}
