//! Training the claim classifier (classifier.rs) from labelled sentences:
//! L2-regularised logistic regression fitted by AdaGrad in a fixed order, so
//! the same sentences always give the same file. The threshold is set on
//! scores the model never trained on: each source file is left out in turn,
//! a model is fitted on the rest, and the left-out file's clean sentences
//! are scored. The threshold is the higher of two scores: the one that
//! `NOTE_RATE` of those clean sentences exceed, and the one that
//! `PAGE_NOTE_RATE` of the clean pages' lines exceed (whole pages have
//! many short list items and advice lines, unlike single sentences). So
//! the share of clean text that gets a note is a measured figure.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::classifier::{for_each_feature, Classifier};

/// One labelled sentence; `group` is its source file, for leaving out.
pub struct Example<'a> {
    pub text: &'a str,
    pub claim: bool,
    pub group: &'a str,
    /// A line of a whole clean page rather than a collected sentence.
    pub page: bool,
}

/// The share of clean sentences (scored by models that never saw them)
/// allowed a note.
pub const NOTE_RATE: f64 = 0.04;
/// The share of clean pages' lines allowed a note.
pub const PAGE_NOTE_RATE: f64 = 0.02;

const EPOCHS: usize = 10;
const LEARNING_RATE: f64 = 0.5;
const L2: f64 = 1e-4;
/// Weights are written with three decimals; smaller ones are dropped.
const PRECISION: f64 = 1000.0;

/// Every example's distinct features as indices into one shared list of
/// names: found once, so fitting many folds is arithmetic only.
struct Featurised {
    names: Vec<String>,
    rows: Vec<Vec<usize>>,
}

fn featurise(examples: &[Example]) -> Featurised {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut names = Vec::new();
    let rows = examples
        .iter()
        .map(|e| {
            let mut ids = Vec::new();
            for_each_feature(e.text, &mut |name| {
                let id = *index.entry(name.to_string()).or_insert_with(|| {
                    names.push(name.to_string());
                    names.len() - 1
                });
                ids.push(id);
            });
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    Featurised { names, rows }
}

/// A fitted model: a weight per shared feature index (rounded as written,
/// so a fold scores as its file would), and the bias.
struct Fit {
    weights: Vec<f64>,
    bias: f64,
}

impl Fit {
    fn score(&self, ids: &[usize]) -> f64 {
        self.bias + ids.iter().map(|&i| self.weights[i]).sum::<f64>()
    }
}

fn round(x: f64) -> f64 {
    (x * PRECISION).round() / PRECISION
}

/// Logistic regression over binary features on the examples `keep` admits.
fn fit(examples: &[Example], features: &Featurised, keep: impl Fn(&Example) -> bool) -> Fit {
    let rows: Vec<(&[usize], f64)> = examples
        .iter()
        .zip(&features.rows)
        .filter(|(e, _)| keep(e))
        .map(|(e, ids)| (ids.as_slice(), if e.claim { 1.0 } else { 0.0 }))
        .collect();
    let mut w = vec![0.0f64; features.names.len()];
    let mut g2 = vec![1e-8f64; features.names.len()];
    let (mut bias, mut gb) = (0.0f64, 1e-8f64);
    let order = shuffled(rows.len());
    for _ in 0..EPOCHS {
        for &r in &order {
            let (ids, y) = rows[r];
            let z = bias + ids.iter().map(|&i| w[i]).sum::<f64>();
            let p = 1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp());
            let g = p - y;
            for &i in ids {
                let gi = g + L2 * w[i];
                g2[i] += gi * gi;
                w[i] -= LEARNING_RATE * gi / g2[i].sqrt();
            }
            gb += g * g;
            bias -= LEARNING_RATE * g / gb.sqrt();
        }
    }
    Fit {
        weights: w.into_iter().map(round).collect(),
        bias: round(bias),
    }
}

/// 0..n in a fixed pseudo-random order (a linear congruential generator:
/// SGD needs the classes interleaved, the file needs to be reproducible).
fn shuffled(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// Clean sentences' and clean page lines' scores, each from a model
/// fitted without its file, sorted.
fn held_out_clean_scores(examples: &[Example], features: &Featurised) -> (Vec<f64>, Vec<f64>) {
    let groups: BTreeSet<&str> = examples.iter().map(|e| e.group).collect();
    let (mut scores, mut page_scores) = (Vec::new(), Vec::new());
    for group in groups {
        let model = fit(examples, features, |e| e.group != group);
        for (e, ids) in examples.iter().zip(&features.rows) {
            if e.group != group || e.claim {
                continue;
            }
            let score = model.score(ids);
            if e.page {
                page_scores.push(score);
            } else {
                scores.push(score);
            }
        }
    }
    scores.sort_by(f64::total_cmp);
    page_scores.sort_by(f64::total_cmp);
    (scores, page_scores)
}

/// The score that `rate` of the sorted `scores` exceed.
fn exceeded_by(scores: &[f64], rate: f64) -> f64 {
    match scores.len() {
        0 => f64::NEG_INFINITY,
        n => scores[(((n as f64) * (1.0 - rate)) as usize).min(n - 1)],
    }
}

/// The model file for `examples`: header, bias, threshold, then weights by
/// feature name.
pub fn train(examples: &[Example]) -> String {
    let features = featurise(examples);
    let (clean, page_lines) = held_out_clean_scores(examples, &features);
    let threshold = exceeded_by(&clean, NOTE_RATE).max(exceeded_by(&page_lines, PAGE_NOTE_RATE));
    let threshold = if threshold.is_finite() {
        threshold
    } else {
        0.0
    };
    let model = fit(examples, &features, |_| true);
    let claims = examples.iter().filter(|e| e.claim).count();
    let files: BTreeSet<&str> = examples.iter().map(|e| e.group).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# claim classifier, written by `cargo run --example compliance_train`; do not edit.\n\
         # {} sentences ({claims} claims, {} clean) from {} files of tests/compliance_devset/.\n\
         # threshold: the higher score of those {:.0}% of clean sentences and {:.0}% of clean page lines exceed\n\
         # when their file is left out.",
        examples.len(),
        examples.len() - claims,
        files.len(),
        NOTE_RATE * 100.0,
        PAGE_NOTE_RATE * 100.0
    );
    let _ = writeln!(out, "# bias\t{:.3}", model.bias);
    let _ = writeln!(out, "# threshold\t{:.3}", round(threshold));
    let weighted: BTreeMap<&str, f64> = features
        .names
        .iter()
        .zip(&model.weights)
        .filter(|(_, w)| **w != 0.0)
        .map(|(name, w)| (name.as_str(), *w))
        .collect();
    for (name, weight) in weighted {
        let _ = writeln!(out, "{name}\t{weight:.3}");
    }
    out
}

/// A model fitted on `examples` alone (for cross-validation by tools).
pub fn fit_classifier(examples: &[Example]) -> Classifier {
    Classifier::parse(&train(examples)).expect("train writes what parse reads")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<Example<'static>> {
        let claims = [
            "本院独家疗法，保证根治，永不复发！",
            "三天见效，无效退款。",
            "Guaranteed to cure arthritis permanently!",
            "Our clinic is the best in the country.",
        ];
        let clean = [
            "发热是身体对感染的一种反应。",
            "高血压患者应按医嘱规律服药。",
            "Flu vaccines are offered every autumn.",
            "Wash your hands with soap and water.",
        ];
        let mut out = Vec::new();
        for (i, t) in claims.iter().enumerate() {
            out.push(Example {
                text: t,
                claim: true,
                group: ["a", "b"][i % 2],
                page: false,
            });
        }
        for (i, t) in clean.iter().enumerate() {
            out.push(Example {
                text: t,
                claim: false,
                group: ["a", "b"][i % 2],
                page: i == 3,
            });
        }
        out
    }

    #[test]
    fn training_is_reproducible_and_separates_the_classes() {
        let examples = toy();
        let file = train(&examples);
        assert_eq!(file, train(&examples), "same sentences, same file");
        let model = Classifier::parse(&file).unwrap();
        let claim = model.score("保证根治，永不复发");
        let clean = model.score("发热是身体对感染的一种反应");
        assert!(claim > clean, "{claim} vs {clean}");
    }

    #[test]
    fn a_bad_model_line_is_named() {
        let err = Classifier::parse("# bias\t0.1\nc:根治 2.0\n")
            .err()
            .unwrap();
        assert!(err.contains(":2: no tab"), "{err}");
        let err = Classifier::parse("c:根治\t2.0\n").err().unwrap();
        assert!(err.contains("bias"), "{err}");
    }

    #[test]
    fn features_cover_both_scripts_rates_and_marks() {
        let mut names = Vec::new();
        for_each_feature("保证ＣＵＲＥ 95 % 八成以上!", &mut |n| {
            names.push(n.to_string())
        });
        for expected in [
            "c:^保",
            "c:保证",
            "c:证$",
            "w:cure",
            "w:0",
            "b:cure_0",
            "p:0%",
            "p:成以上",
            "x:!",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
    }
}
