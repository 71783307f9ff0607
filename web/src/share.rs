//! Share links: the code and settings, deflated and base64url-encoded into the URL fragment.
//! A fragment never reaches any server; opening the link restores the editor exactly.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::model::Settings;

/// Prefix of the fragment format (`#code/v1/<data>`), so the format can change later.
const PREFIX: &str = "code/v1/";
/// Decompressed payloads above this are refused (a crafted link must not exhaust memory).
const MAX_PAYLOAD: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub code: String,
    #[serde(default)]
    pub settings: Settings,
    /// The user's own rules (YAML), if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rules: String,
}

/// The fragment (without `#`) for some code, settings and custom rules.
pub fn encode(code: &str, settings: &Settings, rules: &str) -> String {
    let json = serde_json::to_vec(&Shared { code: code.to_string(), settings: settings.clone(), rules: rules.to_string() })
        .unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment (with or without `#`). `Ok(None)` when it is not a share link at all.
pub fn decode(fragment: &str) -> Result<Option<Shared>, String> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = f.strip_prefix(PREFIX) else {
        return Ok(None);
    };
    let packed = URL_SAFE_NO_PAD.decode(data.trim_end_matches('=')).map_err(|_| "the share link is damaged (not base64url)".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_PAYLOAD)
        .map_err(|_| "the share link is damaged or too large to open".to_string())?;
    serde_json::from_slice(&json).map(Some).map_err(|e| format!("the share link holds unreadable data ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Severity};

    #[test]
    fn round_trips_code_and_settings_exactly() {
        let code = "import os\r\n\tos.system(f\"rm {x}\")  # 😀 é \u{0}\n\n";
        let settings = Settings {
            min_severity: Severity::High,
            min_confidence: Confidence::Medium,
            disabled_families: vec!["secrets".into()],
        };
        let rules = "rules:\n  - id: mine\n    pattern: f()\n";
        let frag = encode(code, &settings, rules);
        assert!(frag.starts_with(PREFIX));
        assert!(frag.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/".contains(&b)), "{frag}");
        let back = decode(&format!("#{frag}")).expect("decodes").expect("is a share link");
        assert_eq!(back.code, code);
        assert_eq!(back.settings, settings);
        assert_eq!(back.rules, rules);
        let plain = decode(&encode("x = 1\n", &Settings::default(), "")).expect("decodes").expect("link");
        assert_eq!(plain.rules, "");
    }

    #[test]
    fn other_fragments_are_not_share_links() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#findings"), Ok(None));
    }

    #[test]
    fn damaged_links_give_an_error_not_a_panic() {
        assert!(decode("#code/v1/!!!").is_err());
        assert!(decode("#code/v1/AAAA").is_err());
        let not_json = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"{nope", 6));
        assert!(decode(&format!("code/v1/{not_json}")).unwrap_err().contains("unreadable"));
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let huge = vec![b' '; MAX_PAYLOAD + 1024];
        let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&huge, 9));
        assert!(bomb.len() < 20_000);
        assert!(decode(&format!("code/v1/{bomb}")).is_err());
    }
}
