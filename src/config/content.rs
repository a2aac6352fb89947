//! `content:` in site.yaml: what article bodies may contain beyond plain
//! Markdown. The emergency number shown in `> [!EMERGENCY]` boxes, the link
//! schemes allowed on top of the safe defaults (`weixin:` for WeChat
//! accounts), the video hosts whose players may be embedded (none unless
//! listed), and the limits on images. Everything is documented in
//! docs/content.md.

use serde::Deserialize;

/// Schemes every site allows: web pages, e-mail, phone calls and texts.
pub const DEFAULT_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms"];

/// Schemes that run code or read local data; never allowed, whatever
/// site.yaml says.
pub const FORBIDDEN_SCHEMES: &[&str] = &[
    "javascript",
    "vbscript",
    "data",
    "file",
    "blob",
    "filesystem",
    "about",
    "view-source",
    "jar",
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentConfig {
    /// Number printed in `> [!EMERGENCY]` boxes, e.g. `"120"`.
    #[serde(default)]
    pub emergency_number: Option<String>,
    /// Extra link schemes, e.g. `[weixin, alipays]`.
    #[serde(default)]
    pub link_schemes: Vec<String>,
    /// Video hosts whose players may be embedded: `bilibili`,
    /// `tencent-video`, `youtube`, or the `name` of one of `embed_hosts`.
    /// Empty: no embeds.
    #[serde(default)]
    pub embeds: Vec<String>,
    /// Video hosts beyond the built-in ones (a hospital's own video
    /// platform), each embeddable once listed in `embeds`.
    #[serde(default)]
    pub embed_hosts: Vec<EmbedHost>,
    #[serde(default)]
    pub images: ImageLimits,
}

/// A video host defined in site.yaml: which page addresses name a video
/// and the player address to frame for it. `{id}` stands for the video's
/// id (ASCII letters, digits, `-` and `_`, at most 64), the only part of
/// the author's address that reaches the player's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbedHost {
    /// What `embeds:` lists, e.g. `hospital-tv` (lowercase, digits, `-`).
    pub name: String,
    /// Shown in "在{label}观看：" under the player.
    pub label: String,
    /// The same in English pages (default: `label`).
    #[serde(default)]
    pub label_en: Option<String>,
    /// Video page addresses, e.g. `https://tv.example.org/v/{id}`; the
    /// first is the text link under the player.
    pub pages: Vec<String>,
    /// The player to frame, `https://` with `{id}` in its path or query.
    pub player: String,
    /// Frame the player in a `sandbox` without `allow-same-origin` (the
    /// default). `false` for a player that needs its own cookies or
    /// storage: it then keeps its origin, which must not be the site's.
    #[serde(default = "sandboxed_by_default")]
    pub sandbox: bool,
}

fn sandboxed_by_default() -> bool {
    true
}

/// The host name of an `https://host[:port]/...` URL, lower-cased.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

impl EmbedHost {
    /// What is wrong with this definition, if anything.
    fn problem(&self) -> Option<String> {
        let name_ok = !self.name.is_empty()
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !name_ok {
            return Some(format!(
                "embed host name `{}` must be lowercase ASCII letters, digits and hyphens",
                self.name
            ));
        }
        if KNOWN_EMBEDS.contains(&self.name.as_str()) {
            return Some(format!(
                "`{}` is a built-in host; give yours another name",
                self.name
            ));
        }
        if self.label.trim().is_empty() {
            return Some(format!("embed host `{}` needs a label", self.name));
        }
        if self.pages.is_empty() {
            return Some(format!(
                "embed host `{}` needs at least one page pattern",
                self.name
            ));
        }
        let pattern_problem = |pattern: &str, https_only: bool| -> Option<String> {
            let rest = pattern.strip_prefix("https://").or_else(|| {
                (!https_only)
                    .then(|| pattern.strip_prefix("http://"))
                    .flatten()
            });
            let Some(rest) = rest else {
                let schemes = if https_only {
                    "https://"
                } else {
                    "https:// or http://"
                };
                return Some(format!("`{pattern}` must start with {schemes}"));
            };
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host_ok = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
            if !host_ok {
                return Some(format!("`{pattern}` must name a host before any `{{id}}`"));
            }
            if pattern.matches("{id}").count() != 1 {
                return Some(format!("`{pattern}` must hold `{{id}}` exactly once"));
            }
            if pattern.contains(['"', '<', '>', '\'', ' ', '\\']) {
                return Some(format!("`{pattern}` holds characters a URL cannot"));
            }
            None
        };
        self.pages
            .iter()
            .find_map(|p| pattern_problem(p, false))
            .or_else(|| pattern_problem(&self.player, true))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageLimits {
    /// Largest source file accepted, in bytes.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    /// Largest source image accepted, in pixels (width x height): decoding
    /// needs 4 bytes per pixel, so this bounds the memory a build uses.
    #[serde(default = "default_max_pixels")]
    pub max_pixels: u64,
    /// Widths of the responsive variants, in pixels; only those narrower
    /// than the source are made.
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_bytes: default_max_bytes(),
            max_pixels: default_max_pixels(),
            widths: default_widths(),
        }
    }
}

fn default_max_bytes() -> u64 {
    8 * 1024 * 1024
}
fn default_max_pixels() -> u64 {
    40_000_000
}
fn default_widths() -> Vec<u32> {
    vec![480, 960, 1440]
}

/// The video hosts healthpress knows how to embed, by the name site.yaml
/// uses for them.
pub const KNOWN_EMBEDS: &[&str] = &["bilibili", "tencent-video", "youtube"];

impl ContentConfig {
    /// Every allowed link scheme, lower-cased: the defaults and site.yaml's.
    pub fn schemes(&self) -> Vec<String> {
        let mut all: Vec<String> = DEFAULT_SCHEMES.iter().map(|s| s.to_string()).collect();
        for s in &self.link_schemes {
            let s = s.trim_end_matches(':').to_ascii_lowercase();
            if !all.contains(&s) {
                all.push(s);
            }
        }
        all
    }

    /// Problems with the section, as (key, message, hint).
    pub fn problems(&self) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        for s in &self.link_schemes {
            let scheme = s.trim_end_matches(':').to_ascii_lowercase();
            let well_formed = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if FORBIDDEN_SCHEMES.contains(&scheme.as_str()) {
                out.push((
                    "link_schemes",
                    format!("link scheme `{scheme}:` can never be allowed: it runs code or reads the reader's files"),
                    "remove it; only schemes that open a page or an app (weixin, sms) can be added".to_string(),
                ));
            } else if !well_formed {
                out.push((
                    "link_schemes",
                    format!("`{s}` is not a URL scheme"),
                    "write the scheme alone, e.g. `weixin` for weixin:// links".to_string(),
                ));
            }
        }
        for host in &self.embeds {
            let defined = self.embed_hosts.iter().any(|h| &h.name == host);
            if !KNOWN_EMBEDS.contains(&host.as_str()) && !defined {
                let mut known: Vec<&str> = KNOWN_EMBEDS.to_vec();
                known.extend(self.embed_hosts.iter().map(|h| h.name.as_str()));
                out.push((
                    "embeds",
                    format!("unknown video host `{host}`"),
                    format!(
                        "known hosts: {}; define another under `content: embed_hosts:` (see docs/content.md)",
                        known.join(", ")
                    ),
                ));
            }
        }
        for (n, host) in self.embed_hosts.iter().enumerate() {
            if let Some(why) = host.problem() {
                out.push((
                    "embed_hosts",
                    why,
                    "write { name: hospital-tv, label: 院内视频, pages: [\"https://tv.example.org/v/{id}\"], player: \"https://tv.example.org/embed/{id}\" }".to_string(),
                ));
            } else if self.embed_hosts[..n].iter().any(|h| h.name == host.name) {
                out.push((
                    "embed_hosts",
                    format!("embed host `{}` is defined twice", host.name),
                    "give each host its own name".to_string(),
                ));
            }
        }
        if let Some(number) = &self.emergency_number {
            if number.trim().is_empty()
                || !number
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
            {
                out.push((
                    "emergency_number",
                    format!("emergency_number `{number}` is not a phone number"),
                    "write the digits to dial, e.g. \"120\"".to_string(),
                ));
            }
        }
        let limits = &self.images;
        if limits.widths.is_empty() || limits.widths.iter().any(|w| !(16..=8192).contains(w)) {
            out.push((
                "images",
                "images.widths must list widths between 16 and 8192 pixels".to_string(),
                "the default is [480, 960, 1440]".to_string(),
            ));
        }
        if limits.max_bytes == 0 || limits.max_pixels == 0 {
            out.push((
                "images",
                "images.max_bytes and images.max_pixels must be above 0".to_string(),
                "the defaults are 8388608 bytes and 40000000 pixels".to_string(),
            ));
        }
        out
    }

    /// Problems that need the site's address: a host framed without a
    /// sandbox whose player is on the site's own host name would share the
    /// site's origin and could script its pages.
    pub fn frame_problems(&self, base_url: &str) -> Vec<(&'static str, String, String)> {
        let Some(site) = url_host(base_url) else {
            return Vec::new();
        };
        self.embed_hosts
            .iter()
            .filter(|h| !h.sandbox && url_host(&h.player).as_deref() == Some(site.as_str()))
            .map(|h| {
                (
                    "embed_hosts",
                    format!(
                        "embed host `{}` has `sandbox: false` but its player is on the site's own host `{site}`: it could read and change the site's pages",
                        h.name
                    ),
                    "keep the default `sandbox: true`, or serve the player from another host name (e.g. tv.example.org)".to_string(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_add_to_the_defaults_and_dangerous_ones_are_refused() {
        let c: ContentConfig =
            serde_yaml::from_str("link_schemes: [weixin, 'SMS:', javascript, 'a b']").unwrap();
        assert_eq!(
            c.schemes(),
            [
                "http",
                "https",
                "mailto",
                "tel",
                "sms",
                "weixin",
                "javascript",
                "a b"
            ]
        );
        let problems: Vec<String> = c.problems().into_iter().map(|p| p.1).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("`javascript:` can never be allowed"));
        assert!(problems[1].contains("`a b` is not a URL scheme"));
    }

    #[test]
    fn custom_embed_hosts_are_checked() {
        let host = |name: &str, pages: &str, player: &str| {
            format!("embeds: []\nembed_hosts:\n  - {{ name: {name}, label: 院内视频, pages: {pages}, player: '{player}' }}\n")
        };
        let pages = "['https://tv.example.org/v/{id}']";
        let good = host("hospital-tv", pages, "https://tv.example.org/embed/{id}")
            .replace("embeds: []", "embeds: [hospital-tv]");
        let c: ContentConfig = serde_yaml::from_str(&good).unwrap();
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        for (text, why) in [
            (
                host("tv", pages, "http://tv.example.org/e/{id}"),
                "must start with https://",
            ),
            (
                host("tv", pages, "https://{id}.example.org/"),
                "must name a host",
            ),
            (
                host("tv", pages, "https://tv.example.org/embed/"),
                "exactly once",
            ),
            (
                host("youtube", pages, "https://tv.example.org/e/{id}"),
                "built-in",
            ),
            (
                host("tv", "[]", "https://tv.example.org/e/{id}"),
                "at least one page",
            ),
            (
                host("TV!", pages, "https://tv.example.org/e/{id}"),
                "lowercase",
            ),
        ] {
            let c: ContentConfig = serde_yaml::from_str(&text).unwrap();
            let problems: Vec<String> = c.problems().into_iter().map(|p| p.1).collect();
            assert!(
                problems.len() == 1 && problems[0].contains(why),
                "{text}: {problems:?}"
            );
        }
    }

    #[test]
    fn an_unsandboxed_player_cannot_share_the_sites_host() {
        let yaml = |sandbox: bool, player: &str| {
            format!("embeds: [tv]\nembed_hosts:\n  - {{ name: tv, label: 院内视频, pages: ['https://tv.example.org/v/{{id}}'], player: '{player}', sandbox: {sandbox} }}\n")
        };
        let site = "https://www.example.org/";
        let problems = |text: String| {
            let c: ContentConfig = serde_yaml::from_str(&text).unwrap();
            assert!(c.problems().is_empty(), "{:?}", c.problems());
            c.frame_problems(site)
        };
        let same = "https://WWW.example.org:8443/embed/{id}";
        let found = problems(yaml(false, same));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("site's own host `www.example.org`"));
        assert!(problems(yaml(true, same)).is_empty());
        assert!(problems(yaml(false, "https://tv.example.org/embed/{id}")).is_empty());
        let c: ContentConfig =
            serde_yaml::from_str(&yaml(true, same).replace(", sandbox: true", "")).unwrap();
        assert!(
            c.embed_hosts[0].sandbox,
            "sandboxed unless site.yaml says otherwise"
        );
    }

    #[test]
    fn unknown_embed_hosts_and_bad_numbers_are_reported() {
        let c: ContentConfig =
            serde_yaml::from_str("embeds: [bilibili, vimeo]\nemergency_number: call us").unwrap();
        let problems: Vec<String> = c.problems().into_iter().map(|p| p.1).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("vimeo"));
        assert!(problems[1].contains("call us"));
    }
}
