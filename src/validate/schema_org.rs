//! The schema.org `MedicalSpecialty` enumeration: the values a specialty's
//! `schema:` in site.yaml may take, since they become `specialty` URLs in
//! every article's JSON-LD (https://schema.org/MedicalSpecialty, checked
//! 2026-12). A misspelt value would give invalid structured data on every
//! page of the specialty, so `validate` refuses it with a suggestion.

/// Every member of https://schema.org/MedicalSpecialty.
pub const MEDICAL_SPECIALTIES: &[&str] = &[
    "Anesthesia",
    "Cardiovascular",
    "CommunityHealth",
    "Dentistry",
    "Dermatologic",
    "Dermatology",
    "DietNutrition",
    "Emergency",
    "Endocrine",
    "Gastroenterologic",
    "Genetic",
    "Geriatric",
    "Gynecologic",
    "Hematologic",
    "Infectious",
    "LaboratoryScience",
    "Midwifery",
    "Musculoskeletal",
    "Neurologic",
    "Nursing",
    "Obstetric",
    "Oncologic",
    "Optometric",
    "Otolaryngologic",
    "Pathology",
    "Pediatric",
    "PharmacySpecialty",
    "Physiotherapy",
    "PlasticSurgery",
    "Podiatric",
    "PrimaryCare",
    "Psychiatric",
    "PublicHealth",
    "Pulmonary",
    "Radiography",
    "Renal",
    "RespiratoryTherapy",
    "Rheumatologic",
    "SpeechPathology",
    "Surgical",
    "Toxicologic",
    "Urologic",
];

/// Whether `value` is a member, exactly as schema.org spells it.
pub fn is_medical_specialty(value: &str) -> bool {
    MEDICAL_SPECIALTIES.contains(&value)
}

/// The member an editor most likely meant by `value`: the same word in
/// another case, a member that starts with it (`Pharmacy` ->
/// `PharmacySpecialty`), the member sharing the longest beginning of at
/// least five letters (`Cardiology` -> `Cardiovascular`, `Surgery` ->
/// `Surgical`), else the nearest spelling.
pub fn suggest_medical_specialty(value: &str) -> Option<&'static str> {
    let lower = value.to_lowercase();
    let members = MEDICAL_SPECIALTIES.iter().copied();
    if let Some(m) = members.clone().find(|m| m.to_lowercase() == lower) {
        return Some(m);
    }
    if lower.len() >= 4 {
        if let Some(m) = members
            .clone()
            .find(|m| m.to_lowercase().starts_with(&lower))
        {
            return Some(m);
        }
    }
    let common = |m: &str| {
        m.to_lowercase()
            .chars()
            .zip(lower.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    if let Some((n, m)) = members
        .clone()
        .map(|m| (common(m), m))
        .max_by_key(|(n, _)| *n)
    {
        if n >= 5 || (n >= 4 && n * 2 >= lower.len()) {
            return Some(m);
        }
    }
    let all: Vec<&'static str> = members.collect();
    crate::load::fields::did_you_mean(value, &all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_common_slips() {
        for (typed, meant) in [
            ("Pharmacy", "PharmacySpecialty"),
            ("pediatric", "Pediatric"),
            ("Pediatrics", "Pediatric"),
            ("Cardiology", "Cardiovascular"),
            ("Neurology", "Neurologic"),
            ("Oncology", "Oncologic"),
            ("Surgery", "Surgical"),
            ("Psychiatry", "Psychiatric"),
            ("Urology", "Urologic"),
            ("Gastroenterology", "Gastroenterologic"),
        ] {
            assert_eq!(suggest_medical_specialty(typed), Some(meant), "{typed}");
        }
        assert_eq!(suggest_medical_specialty("Xyzzy"), None);
        assert!(MEDICAL_SPECIALTIES.iter().all(|m| is_medical_specialty(m)));
    }
}
