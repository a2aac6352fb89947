//! Trains the claim classifier (`src/compliance/claim_classifier.tsv`) from
//! the development set's labelled sentences, every `*.tsv` in
//! `tests/compliance_devset/` (text, label, category, lang, source).
//!
//! ```sh
//! cargo run --release --example compliance_train                 # rewrite the shipped model
//! cargo run --release --example compliance_train -- --leave-out heldout_batch12.tsv  # a model that never saw that file
//! cargo run --release --example compliance_train -- --check      # exit 1 if the shipped model is not what training gives
//! ```
//! `tests/compliance_devset.rs` runs the same check.

use std::path::Path;

#[allow(dead_code)]
#[path = "compliance_score.rs"]
mod score;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let leave_out: Vec<&str> = args
        .windows(2)
        .filter(|w| w[0] == "--leave-out")
        .map(|w| w[1].as_str())
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compliance_devset");
    let sentences = match score::training_set(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("compliance_train: {e}");
            std::process::exit(2);
        }
    };
    let model = score::train_on(&sentences, &leave_out);
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/compliance/claim_classifier.tsv");
    if args.iter().any(|a| a == "--check") {
        let shipped = std::fs::read_to_string(&out).unwrap_or_default();
        if shipped != model {
            eprintln!("{} is not what training gives: run `cargo run --release --example compliance_train`", out.display());
            std::process::exit(1);
        }
        println!("{} matches a retraining", out.display());
        return;
    }
    if let Err(e) = std::fs::write(&out, &model) {
        eprintln!("compliance_train: {}: {e}", out.display());
        std::process::exit(2);
    }
    println!("wrote {} ({} lines)", out.display(), model.lines().count());
}
