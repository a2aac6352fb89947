//! Readings of common medical terms, checked against 现代汉语词典 usage.
use super::*;

/// (term, expected slug). Each one a word a health-education site titles
/// articles with; many hold a character with several readings.
const MEDICAL_TERMS: &[(&str, &str)] = &[
    ("高血压", "gao-xue-ya"),
    ("乳腺癌", "ru-xian-ai"),
    ("重庆", "chong-qing"),
    ("维生素D与钙", "wei-sheng-su-d-yu-gai"),
    ("糖尿病", "tang-niao-bing"),
    ("2型糖尿病", "2-xing-tang-niao-bing"),
    ("高血糖", "gao-xue-tang"),
    ("低血糖", "di-xue-tang"),
    ("血脂异常", "xue-zhi-yi-chang"),
    ("血小板", "xue-xiao-ban"),
    ("贫血", "pin-xue"),
    ("脑出血", "nao-chu-xue"),
    ("牙龈出血", "ya-yin-chu-xue"),
    ("脑卒中", "nao-cu-zhong"),
    ("冠心病", "guan-xin-bing"),
    ("心律失常", "xin-lv-shi-chang"),
    ("心肌梗死", "xin-ji-geng-si"),
    ("动脉粥样硬化", "dong-mai-zhou-yang-ying-hua"),
    ("骨质疏松", "gu-zhi-shu-song"),
    ("颈椎病", "jing-zhui-bing"),
    ("肩周炎", "jian-zhou-yan"),
    ("关节炎", "guan-jie-yan"),
    ("痛风", "tong-feng"),
    ("骨折", "gu-zhe"),
    ("落枕", "lao-zhen"),
    ("甲状腺结节", "jia-zhuang-xian-jie-jie"),
    ("幽门螺杆菌", "you-men-luo-gan-jun"),
    ("胃溃疡", "wei-kui-yang"),
    ("便秘", "bian-mi"),
    ("腹泻", "fu-xie"),
    ("呕吐", "ou-tu"),
    ("恶心", "e-xin"),
    ("咳嗽", "ke-sou"),
    ("哮喘", "xiao-chuan"),
    ("肺结核", "fei-jie-he"),
    ("感冒", "gan-mao"),
    ("着凉", "zhao-liang"),
    ("发热", "fa-re"),
    ("儿童发热", "er-tong-fa-re"),
    ("扁桃体炎", "bian-tao-ti-yan"),
    ("腮腺炎", "sai-xian-yan"),
    ("手足口病", "shou-zu-kou-bing"),
    ("水痘", "shui-dou"),
    ("带状疱疹", "dai-zhuang-pao-zhen"),
    ("荨麻疹", "xun-ma-zhen"),
    ("湿疹", "shi-zhen"),
    ("银屑病", "yin-xie-bing"),
    ("痤疮", "cuo-chuang"),
    ("白内障", "bai-nei-zhang"),
    ("近视", "jin-shi"),
    ("龋齿", "qu-chi"),
    ("膀胱炎", "pang-guang-yan"),
    ("肾结石", "shen-jie-shi"),
    ("疟疾", "nve-ji"),
    ("艾滋病", "ai-zi-bing"),
    ("阿尔茨海默病", "a-er-ci-hai-mo-bing"),
    ("抑郁症", "yi-yu-zheng"),
    ("失眠", "shi-mian"),
    ("睡觉打呼噜", "shui-jiao-da-hu-lu"),
    ("更年期", "geng-nian-qi"),
    ("哺乳期", "bu-ru-qi"),
    ("处方药", "chu-fang-yao"),
    ("长期服药", "chang-qi-fu-yao"),
    ("孩子长高", "hai-zi-zhang-gao"),
    ("传染病", "chuan-ran-bing"),
    ("重症监护", "zhong-zheng-jian-hu"),
    ("冬季防跌倒", "dong-ji-fang-die-dao"),
    ("流感疫苗", "liu-gan-yi-miao"),
    ("干眼症", "gan-yan-zheng"),
    ("中暑", "zhong-shu"),
];

#[test]
fn common_medical_terms_read_correctly() {
    assert!(MEDICAL_TERMS.len() >= 50);
    let wrong: Vec<String> = MEDICAL_TERMS
        .iter()
        .filter_map(|(term, want)| {
            let got = slug(term);
            (got != *want).then(|| format!("{term}: {got} (want {want})"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn latin_digits_and_punctuation_are_words_of_their_own() {
    assert_eq!(slug("Winter Heart -- Health!"), "winter-heart-health");
    assert_eq!(slug("COVID-19疫苗"), "covid-19-yi-miao");
    assert_eq!(slug("“三高”人群"), "san-gao-ren-qun");
    assert_eq!(slug("Café 咖啡"), "cafe-ka-fei");
    assert_eq!(slug(""), "");
    assert_eq!(slug("——"), "");
}

#[test]
fn segmentation_decides_where_a_phrase_applies() {
    // 长期 is chang-qi, but in 成长期 the word is 成长 (zhang) + 期.
    assert_eq!(slug("长期"), "chang-qi");
    assert_eq!(slug("青春成长期"), "qing-chun-cheng-zhang-qi");
    // Text without any phrase of the tables is read character by character.
    assert_eq!(slug("儿童发热怎么办"), "er-tong-fa-re-zen-me-ban");
}

#[test]
fn tables_parse_completely() {
    let t = tables();
    assert!(t.chars.len() > 20_000);
    assert!(t.phrases.len() > 3_000);
    assert!(t
        .chars
        .iter()
        .all(|(_, r)| !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase())));
    assert!(t
        .phrases
        .iter()
        .all(|(p, r)| p.chars().count() == r.split(' ').count()));
}
