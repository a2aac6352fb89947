//! Tests per rule: text each rule must flag, and ordinary health text it must
//! leave alone (the false positives editors would otherwise learn to ignore).

use std::path::Path;

use super::*;

fn linter() -> Linter {
    Linter::new(&ComplianceConfig::default()).expect("built-in rules load")
}

fn rules_in(linter: &Linter, text: &str) -> Vec<String> {
    linter
        .scan(Path::new("content/a.md"), text)
        .diagnostics
        .into_iter()
        .map(|d| d.rule)
        .collect()
}

/// Asserts every text is flagged by `rule` (and only once).
fn flags(rule: &str, texts: &[&str]) {
    let l = linter();
    for text in texts {
        let found = rules_in(&l, text);
        assert_eq!(
            found,
            vec![rule.to_string()],
            "expected one {rule} in {text:?}"
        );
    }
}

fn clean(texts: &[&str]) {
    let l = linter();
    for text in texts {
        let scan = l.scan(Path::new("content/a.md"), text);
        assert!(
            scan.diagnostics.is_empty(),
            "{text:?}: {:#?}",
            scan.diagnostics
        );
    }
}

#[test]
fn absolute_terms() {
    flags(
        "absolute-terms",
        &[
            "本院是治疗颈椎病的最佳选择。",
            "我们拥有最先进的设备",
            "国家级重点专科",
            "全国领先的技术",
            "排名第一。",
            "全国第一家",
            "唯一的办法是手术",
            "首选医院",
            "最好的医院",
            "这里疗效最好",
            "A No.1 clinic",
            "Our world-class team",
        ],
    );
}

#[test]
fn absolute_terms_ordinary_text() {
    clean(&[
        "第一次发热时家长不要慌。",
        "第一步：测量体温。第一时间就医。",
        "用药第一天、第一周要多观察。",
        "第一，保持规律作息；第二，均衡饮食。",
        "最好在饭后服用，最好在医生指导下用药。",
        "很多人等到症状加重才来医院，往往错过了最佳干预时机。",
        "| 往往错过了最佳 |",
        "二甲双胍是2型糖尿病的首选药物。",
        "发布最高级别预警。",
        "See item no.10 in the list.",
        "It is one of the most common reasons people visit our clinics.",
    ]);
}

#[test]
fn cure_guarantee() {
    flags(
        "cure-guarantee",
        &[
            "中药可以根治高血压",
            "保证治愈",
            "彻底治愈不复发",
            "本疗法能治愈糖尿病",
            "药到病除",
            "一次见效",
            "效果立竿见影",
            "永不复发",
            "减重不反弹",
            "A miracle cure for arthritis",
            "Guaranteed results in weeks",
            "This herb is a cure-all.",
        ],
    );
}

#[test]
fn cure_guarantee_ordinary_text() {
    clean(&[
        "规范治疗可以有效地控制血压。",
        "治疗有效，症状缓解。",
        "高血压目前无法根治，需要长期服药。",
        "糖尿病无法彻底治愈，但可以控制。",
        "乳腺癌根治术后需要定期复查。",
        "治愈后仍需复查。",
        "运动降压不会立竿见影。",
        "There is no miracle cure for back pain.",
        "Security matters: secure-all settings.",
    ]);
}

#[test]
fn cure_rate() {
    flags(
        "cure-rate",
        &[
            "治愈率高达95%",
            "总有效率",
            "手术成功率",
            "100%有效",
            "百分之百康复",
            "3天康复",
            "七日痊愈",
            "Our cure rate is high.",
        ],
    );
}

#[test]
fn cure_rate_ordinary_text() {
    clean(&[
        "正常血氧饱和度为95%～100%。",
        "疫苗不能百分之百预防感染。",
        "医生建议每3到6个月复查一次。",
        "发热一般3天内好转。",
    ]);
}

#[test]
fn money_back_safety_and_endorsement() {
    flags(
        "money-back",
        &[
            "无效退款",
            "不治愈不收费",
            "保险公司承保",
            "Money-back guarantee!",
        ],
    );
    flags(
        "safety-guarantee",
        &[
            "无毒副作用",
            "绝对安全",
            "零风险",
            "无痛无创",
            "100% safe",
            "This cream has no side effects.",
        ],
    );
    flags(
        "endorsement-testimonial",
        &[
            "专家推荐",
            "权威推荐",
            "XX指定医院",
            "祖传秘方",
            "名医传授",
            "患者感谢信",
            "治疗前后对比",
            "a secret ingredient",
        ],
    );
    flags(
        "health-fraud-claims",
        &["A scientific breakthrough in diabetes care"],
    );
    clean(&[
        "任何药物都并非无副作用。",
        "用药并不绝对安全，也不是零风险，需要遵医嘱。",
        "Most people have no side effects after the vaccine.",
        "被狗咬伤后请到指定医院接种狂犬病疫苗。",
        "目前流感没有特效药。",
    ]);
}

#[test]
fn english_terms_are_case_insensitive_and_word_bounded() {
    flags("cure-guarantee", &["MIRACLE CURE", "Miracle Cure!"]);
    clean(&["miraclecure", "a miracle cureless tale"]);
}

#[test]
fn resident_id_numbers_need_a_valid_check_digit() {
    flags(
        "patient-id-number",
        &["身份证号11010519491231002X。", "id 370101190102039973"],
    );
    clean(&["身份证号110105194912310021", "订单11010519491231002X9"]);
}

#[test]
fn phone_numbers_need_digit_boundaries() {
    flags(
        "patient-phone",
        &[
            "联系电话13800138000。",
            "+86 13800138000",
            "tel: 138-0013-8000",
            "手机：139 1234 5678",
        ],
    );
    clean(&[
        "日期 2026-11-22，20261122。",
        "编号13800138000123",
        "fingerprint: sha256:9f2c13800138000ab4e1380013800012345678901234567890abcdefabcdef12",
        "  fingerprint: sha256:13800138000e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4",
        "体重12345678901公斤",
    ]);
}

#[test]
fn emails_and_record_numbers() {
    flags(
        "patient-email",
        &["请发邮件至 zhang.san@example.com。", "13800138000@163.com"],
    );
    flags(
        "patient-record-number",
        &["住院号：20260012", "病案号 A123456", "床号:12", "门诊号123"],
    );
    clean(&["请携带门诊号到窗口。", "[相关文章](@/articles/a00001.md)"]);
}

#[test]
fn position_and_message_quote_the_match() {
    let text = "---\ntitle: \"冬季\"\n---\n正文：本院最先进。\n";
    let scan = linter().scan(Path::new("content/a.md"), text);
    let d = &scan.diagnostics[0];
    assert_eq!((d.line, d.column), (4, 6));
    assert!(d.message.contains("“最先进”"), "{}", d.message);
    assert!(d.hint.is_some());
    assert_eq!(d.file, Path::new("content/a.md"));
}

#[test]
fn suppression_with_reason_covers_same_or_next_line() {
    let l = linter();
    let same = "本院最先进 <!-- healthpress-allow: absolute-terms: 引用卫健委通报原文 -->\n";
    let scan = l.scan(Path::new("a.md"), same);
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    assert_eq!(
        scan.suppressions,
        vec![Suppression {
            file: "a.md".into(),
            line: 1,
            rule: "absolute-terms".into(),
            reason: "引用卫健委通报原文".into(),
        }]
    );

    let next = "<!-- healthpress-allow: cure-rate: 引用指南数据 -->\n<!-- healthpress-allow: absolute-terms: 同上 -->\n\n治愈率为最先进\n最先进\n";
    let scan = l.scan(Path::new("a.md"), next);
    let lines: Vec<_> = scan
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.line))
        .collect();
    assert_eq!(lines, vec![("absolute-terms", 5)]);
    assert_eq!(scan.suppressions.len(), 2);
}

#[test]
fn suppression_without_reason_is_an_error_and_does_not_apply() {
    let l = linter();
    let text = "<!-- healthpress-allow: absolute-terms -->\n本院最先进\n";
    let found = rules_in(&l, text);
    assert_eq!(found, vec!["suppression-without-reason", "absolute-terms"]);
    let empty = "本院最先进 <!-- healthpress-allow: absolute-terms:   -->";
    assert_eq!(
        rules_in(&l, empty),
        vec!["absolute-terms", "suppression-without-reason"]
    );
}

#[test]
fn suppression_with_unknown_rule_warns_and_is_not_scanned() {
    let l = linter();
    let text = "<!-- healthpress-allow: no-such-rule: 最先进 13800138000 -->\n正文\n";
    let scan = l.scan(Path::new("a.md"), text);
    assert_eq!(scan.diagnostics.len(), 1, "{:?}", scan.diagnostics);
    assert_eq!(scan.diagnostics[0].rule, "suppression-unknown-rule");
    assert_eq!(scan.diagnostics[0].severity, Severity::Warning);
    assert!(scan.suppressions.is_empty());
}

fn config(yaml: &str) -> ComplianceConfig {
    serde_yaml::from_str(yaml).expect("config parses")
}

#[test]
fn config_disables_and_changes_severity() {
    let l = Linter::new(&config(
        "disable: [absolute-terms]\nseverity: { cure-rate: warning }",
    ))
    .unwrap();
    assert!(l.rules().all(|r| r.id != "absolute-terms"));
    let scan = l.scan(Path::new("a.md"), "最先进 治愈率");
    assert_eq!(scan.diagnostics.len(), 1);
    assert_eq!(scan.diagnostics[0].severity, Severity::Warning);
    // A suppression naming a disabled rule is not "unknown".
    let text = "<!-- healthpress-allow: absolute-terms: 已停用 -->\n正文";
    assert!(l.scan(Path::new("a.md"), text).diagnostics.is_empty());
}

#[test]
fn config_adds_and_overrides_rules() {
    let l = Linter::new(&config(
        r#"
rules:
  - id: clinic-promotion
    severity: warning
    category: disguised-ad
    message: 促销用语
    hint: 删除促销信息
    terms: [免费治疗, { term: 限时优惠, not_preceded_by: [谨防] }]
  - id: cure-guarantee
    hint: 自定义提示
"#,
    ))
    .unwrap();
    let scan = l.scan(
        Path::new("a.md"),
        "免费治疗，限时优惠。谨防限时优惠。保证治愈",
    );
    let got: Vec<_> = scan
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("clinic-promotion", Some("删除促销信息")),
            ("clinic-promotion", Some("删除促销信息")),
            ("cure-guarantee", Some("自定义提示")),
        ]
    );
}

#[test]
fn config_errors_name_the_rule() {
    let cases = [
        ("disable: [no-such-rule]", "no-such-rule"),
        ("severity: { nope: warning }", "nope"),
        ("rules: [{ id: my-rule, terms: [x] }]", "my-rule"),
        ("rules: [{ id: my-rule, message: m }]", "my-rule"),
        (
            "rules: [{ id: my-rule, message: m, terms: [最先进] }]",
            "absolute-terms",
        ),
        (
            "rules: [{ id: my-rule, message: m, patterns: ['('] }]",
            "my-rule",
        ),
        (
            "rules: [{ id: patient-phone, terms: [x] }]",
            "patient-phone",
        ),
        ("rules: [{ id: Bad_Id, message: m, terms: [x] }]", "Bad_Id"),
    ];
    for (yaml, name) in cases {
        let err = Linter::new(&config(yaml))
            .err()
            .unwrap_or_else(|| panic!("{yaml} should fail"));
        assert!(err.contains(name), "{yaml}: {err}");
    }
    assert!(serde_yaml::from_str::<ComplianceConfig>("disabled: [x]").is_err());
}

#[test]
fn every_rule_has_message_hint_and_category() {
    let l = linter();
    let ids: Vec<_> = l.rules().map(|r| r.id.as_str()).collect();
    for id in [
        "absolute-terms",
        "cure-guarantee",
        "cure-rate",
        "money-back",
        "safety-guarantee",
        "endorsement-testimonial",
        "health-fraud-claims",
        "patient-id-number",
        "patient-phone",
        "patient-email",
        "patient-record-number",
        "suppression-without-reason",
        "suppression-unknown-rule",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    for r in l.rules() {
        assert!(r.hint.is_some() && !r.category.is_empty(), "{}", r.id);
    }
}

#[test]
fn linter_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Linter>();
}
