//! schema.org `MedicalWebPage` JSON-LD for an article: who reviewed it and
//! when (`reviewedBy`, `lastReviewed`), for whom it is written
//! (`medicalAudience`) and which specialty it belongs to, so search engines
//! can show the page as reviewed medical content.

use serde_json::{json, Map, Value};

use crate::config::SiteConfig;
use crate::model::Article;

/// schema.org MedicalSpecialty member for common specialty ids, used when
/// site.yaml gives no `schema:` for the term.
fn default_schema_specialty(id: &str) -> Option<&'static str> {
    Some(match id {
        "cardiology" => "Cardiovascular",
        "pediatrics" => "Pediatric",
        "endocrinology" => "Endocrine",
        "obstetrics" => "Obstetric",
        "gynecology" => "Gynecologic",
        "respiratory" | "pulmonology" => "Pulmonary",
        "dermatology" => "Dermatology",
        "pharmacy" => "PharmacySpecialty",
        "ophthalmology" | "optometry" => "Optometric",
        "dentistry" | "stomatology" => "Dentistry",
        "psychiatry" | "psychology" => "Psychiatric",
        "oncology" => "Oncologic",
        "orthopedics" => "Musculoskeletal",
        "rehabilitation" => "Physiotherapy",
        "neurology" => "Neurologic",
        "geriatrics" => "Geriatric",
        "nutrition" => "DietNutrition",
        "infectious-diseases" | "infectious" => "Infectious",
        "emergency" => "Emergency",
        "gastroenterology" => "Gastroenterologic",
        "urology" => "Urologic",
        "nephrology" => "Renal",
        "rheumatology" => "Rheumatologic",
        "public-health" => "PublicHealth",
        "otolaryngology" | "ent" => "Otolaryngologic",
        _ => return None,
    })
}

fn person(config: &SiteConfig, id: &str, publisher: &Value) -> Option<Value> {
    let p = config.people.get(id)?;
    let mut v = Map::new();
    v.insert("@type".into(), json!("Person"));
    v.insert("name".into(), json!(p.name));
    if let Some(title) = &p.title {
        v.insert("jobTitle".into(), json!(title));
    }
    if !publisher.is_null() {
        v.insert("affiliation".into(), publisher.clone());
    }
    Some(Value::Object(v))
}

/// The JSON-LD object, serialized so it can sit inside a `<script>` element:
/// `<`, `>` and `&` are written as `\u003c` etc., so no text in an article can
/// close the script element early.
pub fn article_json_ld(config: &SiteConfig, article: &Article, url: &str) -> String {
    let publisher = config
        .publisher
        .as_ref()
        .map(|p| {
            let mut v = json!({"@type": "Hospital", "name": p.name});
            if let Some(u) = &p.url {
                v["url"] = json!(u);
            }
            v
        })
        .unwrap_or(Value::Null);
    let mut page = Map::new();
    page.insert("@context".into(), json!("https://schema.org"));
    page.insert("@type".into(), json!("MedicalWebPage"));
    page.insert("headline".into(), json!(article.title));
    page.insert("name".into(), json!(article.title));
    page.insert("description".into(), json!(article.summary));
    page.insert("inLanguage".into(), json!(article.lang));
    page.insert("url".into(), json!(url));
    page.insert("datePublished".into(), json!(article.date.to_string()));
    page.insert(
        "dateModified".into(),
        json!(article.last_modified().to_string()),
    );
    if let Some(date) = article.review.date {
        page.insert("lastReviewed".into(), json!(date.to_string()));
    }
    if let Some(reviewer) = article
        .review
        .reviewer
        .as_deref()
        .and_then(|id| person(config, id, &publisher))
    {
        page.insert("reviewedBy".into(), reviewer);
    }
    let authors: Vec<Value> = article
        .authors
        .iter()
        .filter_map(|id| person(config, id, &Value::Null))
        .collect();
    if !authors.is_empty() {
        page.insert("author".into(), Value::Array(authors));
    }
    if !publisher.is_null() {
        page.insert("publisher".into(), publisher.clone());
    }
    let specialties: Vec<Value> = article
        .specialty
        .iter()
        .filter_map(|id| {
            let explicit = config
                .taxonomies
                .specialty
                .get(id)
                .and_then(|t| t.schema.clone());
            explicit.or_else(|| default_schema_specialty(id).map(str::to_string))
        })
        .map(|s| json!(format!("https://schema.org/{s}")))
        .collect();
    match specialties.len() {
        0 => {}
        1 => {
            page.insert("specialty".into(), specialties[0].clone());
        }
        _ => {
            page.insert("specialty".into(), Value::Array(specialties));
        }
    }
    let audiences: Vec<Value> = article
        .audience
        .iter()
        .filter_map(|id| {
            let term = config.taxonomies.audience.get(id)?;
            let mut v = json!({"@type": "MedicalAudience", "audienceType": term.name});
            if let Some(min) = term.min_age {
                v["suggestedMinAge"] = json!(min);
            }
            if let Some(max) = term.max_age {
                v["suggestedMaxAge"] = json!(max);
            }
            Some(v)
        })
        .collect();
    if !audiences.is_empty() {
        page.insert("medicalAudience".into(), Value::Array(audiences));
    }
    page.insert("audience".into(), json!("https://schema.org/Patient"));
    if !article.sources.is_empty() {
        page.insert("citation".into(), json!(article.sources));
    }
    page.insert(
        "mainContentOfPage".into(),
        json!({"@type": "WebPageElement", "cssSelector": "main article"}),
    );
    let text = serde_json::to_string(&Value::Object(page)).expect("JSON values always serialize");
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
