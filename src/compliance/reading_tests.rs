//! Tests of the readings that keep patient education and myth-busting
//! clean (docs/compliance.md, "Clean text that reads like a claim"): each
//! reading is tested on sentences unlike the dev-set ones it was found on,
//! beside a prohibited claim of the same shape that is still reported.

use super::tests::{all, tier};

#[test]
fn a_product_to_cut_down_on_is_not_the_speaker() {
    all(
        "none",
        &[
            "限制咖啡的摄入也是预防心律失常的办法之一。",
            "少喝咖啡、规律作息是预防失眠的好习惯。",
        ],
    );
    all(
        "error",
        &[
            "这款咖啡是预防骨质疏松的有效手段。",
            "每天喝咖啡可以预防糖尿病。",
        ],
    );
}

#[test]
fn a_category_of_products_is_named_not_claimed() {
    all(
        "none",
        &[
            "降压类产品效果因人而异，请在医生指导下使用。",
            "市面上的排毒类保健品种类繁多，购买前请咨询医生。",
        ],
    );
    // A disclaimer in another clause hides nothing, and 类风湿 is a disease.
    all(
        "error",
        &["这款产品能降压，效果因人而异。", "本品治疗类风湿关节炎。"],
    );
}

#[test]
fn a_definition_of_cure_is_a_criterion_not_a_promise() {
    all(
        "none",
        &[
            "If there is no relapse for five years, we consider it cured.",
            "术后两年不复发即可视为临床治愈。",
        ],
    );
    all(
        "error",
        &[
            "We cured it in five years, with no relapse.",
            "本疗法三个月不复发。",
            // Only an outcome is defined: a ranking stays a ranking.
            "Our clinic is considered the best clinic in the region.",
            // A product's course is no definition of remission.
            "连续服用本品三个月，即可视为痊愈。",
        ],
    );
    // Nor is a definition without a relapse.
    assert_eq!(
        tier("Customers who finish the programme are considered cured."),
        "review"
    );
}

#[test]
fn someone_elses_claim_in_a_warning_is_myth_busting() {
    all(
        "none",
        &[
            "对宣称能“根治”鼻炎的广告要保持警惕。",
            "Be skeptical of websites claiming to cure arthritis.",
            "Be wary of 'miracle cures' sold online.",
            "有的保健品宣称能降血糖，纯属虚假宣传。",
            "违法广告常用“三天见效”“永不复发”等字眼误导患者。",
        ],
    );
    // The institution or a product speaking keeps its tier; a warning
    // against counterfeits sells the genuine article.
    // Reported speech alone busts nothing, and a warning before a turn
    // (但, "but") does not reach the claim after it.
    all("error", &["专家说本品可以根治鼻炎。"]);
    assert_eq!(tier("宣称根治的广告都是骗局，但XX膏真的能根治。"), "review");
    // Nor does a warning that sells: against counterfeits, or rejected.
    for text in [
        "本保健品能降血糖，谨防假冒。",
        "Beware of cheap copies: this supplement cures arthritis.",
        "小心别人家的假货，“根治”颈椎病就用XX贴。",
        "拒绝套路，“三天根治鼻炎”看得见。",
        "No gimmicks, no scams: \"cures arthritis in 7 days\".",
    ] {
        assert_ne!(tier(text), "none", "{text}");
    }
    assert_ne!(tier("警惕虚假广告，本院专家团队三天根治鼻炎。"), "none");
    assert_ne!(tier("谨防假冒，认准“三天根治鼻炎”的正品。"), "none");
}

#[test]
fn a_rule_forbidding_a_claim_does_not_make_it() {
    all(
        "none",
        &[
            "It is illegal to claim that a supplement can cure diabetes.",
            "保健食品不得宣称具有治疗疾病的作用。",
            "Products sold with claims to cure, treat or prevent cancer have not been evaluated by regulators.",
        ],
    );
    all(
        "error",
        &[
            "This supplement can cure diabetes, and it is illegal to copy it.",
            "本品具有治疗糖尿病的作用。",
            "Our drops cure, treat and prevent cancer.",
        ],
    );
}

#[test]
fn hedged_relief_is_advice_but_a_hedged_cure_is_still_a_claim() {
    all(
        "none",
        &[
            "Regular walks may help relieve back pain.",
            "Most colds are likely to get better within 7 to 10 days.",
        ],
    );
    all("error", &["Our cream relieves back pain."]);
    // Relief with a deadline is a promise, hedged or not.
    assert_eq!(
        tier("It may help relieve arthritis pain in just 3 days!"),
        "review"
    );
    assert_eq!(tier("Relieves back pain in 3 days."), "review");
    assert_eq!(tier("It can now be cured!"), "review");
    assert_eq!(tier("坚持服用可根治糖尿病。"), "review");
}

#[test]
fn only_a_price_or_a_count_makes_only_needing_a_promotion() {
    all("none", &["多数甲状腺结节是良性的，只需要定期复查。"]);
    assert_eq!(tier("种植牙只需2980元。"), "review");
    assert_ne!(tier("黑发重生，只需坚持使用两个疗程。"), "none");
}

#[test]
fn diseases_and_drug_classes_are_described_not_sold() {
    // A disease's success rate is a review note (cite the study), not an
    // error; a generic drug class is a population subject, like 药物.
    assert_eq!(
        tier("After cataract surgery, the success rate is about 95 percent."),
        "review"
    );
    all(
        "none",
        &["Antibiotics treat bacterial infections such as pneumonia, not colds or flu."],
    );
    all(
        "error",
        &[
            "This supplement is 95% effective against colds.",
            "Our cataract surgery has a success rate of 99 percent.",
        ],
    );
}

#[test]
fn a_falling_success_rate_is_no_improvement_figure() {
    all("none", &["每延误一小时，溶栓成功率下降约10%。"]);
    assert_eq!(tier("本院治疗后并发症下降90%。"), "error");
}
