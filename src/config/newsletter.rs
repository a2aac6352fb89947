//! The `newsletter:` section of `site.yaml`: which e-mail platform sends the
//! digests, and so which placeholder tokens the e-mail footer carries
//! (unsubscribe, preferences, web archive). Tokens are emitted byte-exact
//! into `email.html` and `email.txt`; a custom token is checked here, at load
//! time, so it can never break out of the `href="…"` attribute it goes into.

use serde::Deserialize;

/// Platform placeholders the e-mail footer links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    /// Mailchimp merge tags: `*|UNSUB|*`, `*|UPDATE_PROFILE|*`.
    #[default]
    Mailchimp,
    /// listmonk template tags: `{{ UnsubscribeURL }}`, `{{ MessageURL }}`.
    Listmonk,
    /// Tokens given in `unsubscribe:` / `preferences:`.
    Custom,
}

/// A platform placeholder such as `%unsubscribe_url%`. It goes into an
/// `href="…"` attribute and the plain-text part unchanged, so it may not hold
/// quotes, angle brackets, backticks, or whitespace other than plain spaces (which could end the
/// attribute or inject markup); everything else passes byte-exact.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Placeholder(String);

impl Placeholder {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Placeholder {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value.is_empty() || value.len() > 200 {
            return Err("a placeholder must be 1 to 200 characters long".into());
        }
        if let Some(bad) = value.chars().find(|c| {
            matches!(c, '"' | '\'' | '`' | '<' | '>')
                || (c.is_whitespace() && *c != ' ')
                || c.is_control()
        }) {
            return Err(format!(
                "placeholder `{value}` contains {bad:?}; quotes, angle brackets, backticks, tabs and line breaks are not allowed because the token is written into an href attribute unescaped"
            ));
        }
        Ok(Placeholder(value))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsletterConfig {
    #[serde(default)]
    pub sender: Sender,
    /// `sender: custom` only: the unsubscribe-link token (required there).
    #[serde(default)]
    pub unsubscribe: Option<Placeholder>,
    /// `sender: custom` only: the manage-preferences token (optional).
    #[serde(default)]
    pub preferences: Option<Placeholder>,
    /// Sender name shown in the e-mail header (default: the publisher or
    /// site title).
    #[serde(default)]
    pub from_name: Option<String>,
    /// Postal address for the footer (anti-spam laws ask for one).
    #[serde(default)]
    pub address: Option<String>,
    /// Extra footer text, shown escaped like any other text.
    #[serde(default)]
    pub footer: Option<String>,
}

/// One footer link: which label it uses and the platform token it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterLink {
    /// i18n label key, e.g. `digest_unsubscribe`.
    pub label: &'static str,
    pub token: String,
}

impl NewsletterConfig {
    /// The footer links for the configured platform, unsubscribe first.
    /// `Err` explains a `sender: custom` without an `unsubscribe:` token, or
    /// custom tokens given for another platform.
    pub fn footer_links(&self) -> Result<Vec<FooterLink>, String> {
        let link = |label, token: &str| FooterLink {
            label,
            token: token.to_string(),
        };
        match self.sender {
            Sender::Custom => {
                let unsub = self.unsubscribe.as_ref().ok_or(
                    "`sender: custom` needs `unsubscribe:` (the platform's unsubscribe-link token)",
                )?;
                let mut links = vec![link("digest_unsubscribe", unsub.as_str())];
                if let Some(p) = &self.preferences {
                    links.push(link("digest_preferences", p.as_str()));
                }
                Ok(links)
            }
            _ if self.unsubscribe.is_some() || self.preferences.is_some() => {
                Err("`unsubscribe:` and `preferences:` are only used with `sender: custom`".into())
            }
            Sender::Mailchimp => Ok(vec![
                link("digest_unsubscribe", "*|UNSUB|*"),
                link("digest_preferences", "*|UPDATE_PROFILE|*"),
            ]),
            Sender::Listmonk => Ok(vec![
                link("digest_unsubscribe", "{{ UnsubscribeURL }}"),
                link("digest_archive", "{{ MessageURL }}"),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<NewsletterConfig, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    #[test]
    fn defaults_to_mailchimp() {
        let c = parse("{}").unwrap();
        assert_eq!(c.footer_links().unwrap()[0].token, "*|UNSUB|*");
    }

    fn tokens(yaml: &str) -> Vec<String> {
        let config = parse(yaml).unwrap();
        config
            .footer_links()
            .unwrap()
            .into_iter()
            .map(|l| l.token)
            .collect()
    }

    #[test]
    fn listmonk_and_custom_tokens() {
        assert_eq!(
            tokens("sender: listmonk"),
            ["{{ UnsubscribeURL }}", "{{ MessageURL }}"]
        );
        assert_eq!(
            tokens("sender: custom\nunsubscribe: '%unsubscribe_url%'\npreferences: '[[PREFS]]'"),
            ["%unsubscribe_url%", "[[PREFS]]"]
        );
    }

    #[test]
    fn custom_tokens_cannot_inject_markup() {
        for bad in ["'x\" onclick=\"alert(1)'", "'<script>'", "\"a\\tb\"", "''"] {
            let err = parse(&format!("sender: custom\nunsubscribe: {bad}")).unwrap_err();
            assert!(err.to_string().contains("placeholder"), "{err}");
        }
        assert!(parse("sender: custom").unwrap().footer_links().is_err());
        assert!(parse("sender: mailchimp\nunsubscribe: x")
            .unwrap()
            .footer_links()
            .is_err());
        assert!(parse("sender: sendgrid").is_err());
        assert!(parse("sendr: custom").is_err());
    }
}
