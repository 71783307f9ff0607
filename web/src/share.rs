//! Share links: the code, settings and custom rules as JSON, deflated (raw deflate, RFC 1951) and
//! base64url-encoded into the URL fragment (`#code/v1/<data>`). A fragment never reaches any
//! server; opening the link restores the editor exactly.
//!
//! The deflating and the JSON are the browser's own (CompressionStream and DecompressionStream
//! in `web/share.js`, `JSON.stringify` and `JSON.parse`), so the app's wasm carries neither; the
//! base64url layer and the payload's shape are tested natively, the whole round trip in the
//! browser tests (share.test.mjs).

use crate::model::{write_settings, Read, Settings};
use crate::value::{self as v, Res, Val};

/// Prefix of the fragment format (`#code/v1/<data>`), so the format can change later.
const PREFIX: &str = "code/v1/";
/// Decompressed payloads above this are refused (a crafted link must not exhaust memory).
pub const MAX_PAYLOAD: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub code: String,
    pub settings: Settings,
    /// The user's own rules (YAML), if any.
    pub rules: String,
}

impl Shared {
    /// `{"code", "settings", "rules"}`; without custom rules the key is left out.
    pub fn write<V: Val>(&self) -> V {
        let mut fields = vec![("code", V::text(&self.code)), ("settings", write_settings(&self.settings))];
        if !self.rules.is_empty() {
            fields.push(("rules", V::text(&self.rules)));
        }
        V::object(fields)
    }

    /// Only the code is required: a link without settings gets the defaults.
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Shared {
            code: v::text(x, "code")?,
            settings: v::opt_object(x, "settings", Settings::read)?.unwrap_or_default(),
            rules: v::text_or_empty(x, "rules")?,
        })
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url, with or without padding; `None` for anything else.
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=').as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = B64.iter().position(|&b| b == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// The JSON the link carries (written by the browser's `JSON.stringify`).
pub fn payload(code: &str, settings: &Settings, rules: &str) -> String {
    let shared = Shared { code: code.to_string(), settings: settings.clone(), rules: rules.to_string() };
    crate::browser::to_json(&shared.write()).unwrap_or_default()
}

/// Reads the JSON of a link (with the browser's `JSON.parse`).
pub fn parse_payload(json: &[u8]) -> Result<Shared, String> {
    let text = std::str::from_utf8(json).map_err(|_| "the share link holds unreadable data (not UTF-8)".to_string())?;
    crate::browser::from_json(text)
        .and_then(|val| Shared::read(&val))
        .map_err(|e| format!("the share link holds unreadable data ({e})"))
}

/// The fragment (without `#`) for deflated data.
pub fn fragment(deflated: &[u8]) -> String {
    format!("{PREFIX}{}", base64url(deflated))
}

/// The deflated data of a fragment (with or without `#`); `Ok(None)` when it is not a share link.
pub fn deflated(fragment: &str) -> Result<Option<Vec<u8>>, String> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = f.strip_prefix(PREFIX) else {
        return Ok(None);
    };
    from_base64url(data).map(Some).ok_or_else(|| "the share link is damaged (not base64url)".to_string())
}

mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(raw_module = "./share.js")]
    extern "C" {
        #[wasm_bindgen(js_name = deflateRaw)]
        pub fn deflate_raw(bytes: &[u8]) -> js_sys::Promise;
        #[wasm_bindgen(js_name = inflateRaw)]
        pub fn inflate_raw(bytes: &[u8], limit: f64) -> js_sys::Promise;
    }

    pub async fn run(p: js_sys::Promise) -> Result<Vec<u8>, JsValue> {
        let v = wasm_bindgen_futures::JsFuture::from(p).await?;
        Ok(js_sys::Uint8Array::new(&v).to_vec())
    }
}

/// The fragment (without `#`) for some code, settings and custom rules.
pub async fn encode(code: &str, settings: &Settings, rules: &str) -> Option<String> {
    let json = payload(code, settings, rules);
    js::run(js::deflate_raw(json.as_bytes())).await.ok().map(|d| fragment(&d))
}

/// Reads a fragment (with or without `#`). `Ok(None)` when it is not a share link at all.
pub async fn decode(fragment: &str) -> Result<Option<Shared>, String> {
    let Some(packed) = deflated(fragment)? else { return Ok(None) };
    let json = js::run(js::inflate_raw(&packed, MAX_PAYLOAD as f64))
        .await
        .map_err(|_| "the share link is damaged or too large to open".to_string())?;
    parse_payload(&json).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Severity};
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    /// Made by the app before deflating moved to the browser (miniz_oxide, level 9): the links
    /// people already shared must keep opening. The browser tests open it too.
    const OLD_LINK: &str = "code/v1/NY9NasMwEIWvMiibBGIfQBdoeoY4BNka2wPSyGjkFBMCvUM3XRR6t56gR-i4JquB7_3w5m665NFYswMZXUYP7QKOIQWPGdqZgoefrw_4_f58b5jilHKBJA037LGHPPO-i_5gFZQktSxSMP4jgB0U11akRi7oGzZHI1gK8SDG3k0kvgreMFNZdMBIw6iOlXaJe9JUtw4L6U2xJ3FtQH_tXaRAqA1nbesyFjGXx9HkOaxwuzoHoALyFjhVeHNhBQDB8TC7QQ1wnpYyJr5swnOHhdPry2ljEUXUa2HNAwl4TWNOs2z65ErBzJu-r-v6oC8-_gA";

    fn inflate(d: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec(d).expect("raw deflate")
    }

    // The app turns the payload into text with the browser's JSON (see the browser tests);
    // natively serde_json does, around the same readers and writers.
    fn read(json: &[u8]) -> Shared {
        Shared::read(&serde_json::from_slice::<serde_json::Value>(json).expect("JSON")).expect("a payload")
    }

    fn write(s: &Shared) -> String {
        s.write::<serde_json::Value>().to_string()
    }

    #[test]
    fn an_old_link_still_reads() {
        let packed = deflated(&format!("#{OLD_LINK}")).expect("base64url").expect("a share link");
        let s = read(&inflate(&packed));
        assert_eq!(s.code, "# shared by an older build ✓ 😀\nimport os\n\ndef run(cmd):\n\tos.system(cmd)  # tab-indented\n");
        assert_eq!(s.settings, Settings { min_severity: Severity::High, min_confidence: Confidence::Low, disabled_families: vec!["secrets".into()] });
        assert!(s.rules.starts_with("rules:\n  - id: no-eval\n") && s.rules.ends_with("pattern: eval(...)\n"));
    }

    #[test]
    fn base64url_is_rfc_4648_without_padding() {
        let mut data = Vec::new();
        for len in 0..300usize {
            let ours = base64url(&data);
            assert_eq!(ours, URL_SAFE_NO_PAD.encode(&data), "len {len}");
            assert_eq!(from_base64url(&ours).as_deref(), Some(&data[..]), "len {len}");
            data.push((len * 151 % 256) as u8);
        }
        assert_eq!(from_base64url("AQID=="), Some(vec![1, 2, 3]), "padding is ignored");
        assert_eq!(from_base64url("_-8"), Some(vec![0xff, 0xef]));
        for bad in ["!!!", "A", "AAAAA", "ab+/", "a b"] {
            assert_eq!(from_base64url(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_payload_keeps_code_settings_and_rules() {
        let shared = Shared {
            code: "import os\r\n\tos.system(f\"rm {x}\")  # 😀 é \u{0}\n\n".into(),
            settings: Settings { min_severity: Severity::High, min_confidence: Confidence::Medium, disabled_families: vec!["secrets".into()] },
            rules: "rules:\n  - id: mine\n    pattern: f()\n".into(),
        };
        assert_eq!(read(write(&shared).as_bytes()), shared);
        // Without custom rules the key is left out, and reads back empty.
        let plain = write(&Shared { code: "x".into(), settings: Settings::default(), rules: String::new() });
        assert_eq!(plain, r#"{"code":"x","settings":{"disabled_families":[],"min_confidence":"low","min_severity":"low"}}"#);
        // A link holding only code gets the default settings.
        assert_eq!(read(br#"{"code":"x"}"#).settings, Settings::default());
    }

    #[test]
    fn fragments_carry_url_safe_text() {
        let frag = fragment(&miniz_oxide::deflate::compress_to_vec(br#"{"code":"a = '#%&?+/='\n"}"#, 6));
        assert!(frag.starts_with(PREFIX));
        assert!(frag.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/".contains(&b)), "{frag}");
        let packed = deflated(&frag).expect("base64url").expect("a share link");
        assert_eq!(read(&inflate(&packed)).code, "a = '#%&?+/='\n");
    }

    #[test]
    fn other_fragments_are_not_share_links() {
        assert_eq!(deflated(""), Ok(None));
        assert_eq!(deflated("#findings"), Ok(None));
    }

    #[test]
    fn damaged_links_give_an_error_not_a_panic() {
        assert!(deflated("#code/v1/!!!").unwrap_err().contains("damaged"));
        assert!(parse_payload(&[0xff, 0xfe]).unwrap_err().contains("unreadable"));
    }
}
