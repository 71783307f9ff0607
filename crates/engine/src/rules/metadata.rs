//! Reading a rule's free-form `metadata` as Semgrep's rule authors write it.
//!
//! Semgrep never validates metadata, and its community rules hold every shape: `owasp` lists
//! with 2017 and 2021 entries, mappings (`- A1: Injection`), en dashes, `cwe` lists, levels in
//! any case. pyward derives its display fields (CWE number and title, OWASP 2021 category,
//! confidence, likelihood, impact, references) where the value says them, and leaves them
//! empty otherwise: a value it cannot read is never a load error.

use serde_json::Value;

use crate::rules::meta::{normalize_owasp, parse_cwe, Confidence};
use crate::rules::schema::AnyText;

/// The strings of a string or a list (nested lists and mappings' keys and values included,
/// one level), in order.
fn texts(v: &Value) -> Vec<String> {
    let one = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Number(n) => vec![n.to_string()],
            // `- A1: Injection` is a mapping in YAML: its key and value were one text.
            Value::Object(m) => m.iter().map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default())).collect(),
            _ => Vec::new(),
        }
    };
    match v {
        Value::Array(items) => items.iter().flat_map(one).collect(),
        other => one(other),
    }
}

/// `metadata.cwe`: the first entry that reads `CWE-<number>...` (or is a number).
pub fn cwe(v: &Value) -> Option<(u32, Option<String>)> {
    texts(v).iter().find_map(|t| if t.bytes().all(|b| b.is_ascii_digit()) { parse_cwe(&format!("CWE-{t}")) } else { parse_cwe(t) })
}

/// `metadata.owasp`: the OWASP Top 10 2021 category among its entries, normalised
/// (`A03:2021-Injection`); `None` when it names none (a 2017-only list).
pub fn owasp_2021(v: &Value) -> Option<String> {
    texts(v).iter().find_map(|t| normalize_owasp(t))
}

/// `HIGH`, `medium`...: a level, or `None` for any other value.
pub fn level(v: &AnyText) -> Option<Confidence> {
    v.0.as_deref().and_then(Confidence::parse)
}

/// `metadata.references`: the texts of a string or a list.
pub fn references(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn owasp_lists_show_their_2021_entry() {
        assert_eq!(owasp_2021(&json!("A03:2021 - Injection")).as_deref(), Some("A03:2021-Injection"));
        let both = json!(["A01:2017 - Injection", "A03:2021 - Injection"]);
        assert_eq!(owasp_2021(&both).as_deref(), Some("A03:2021-Injection"));
        assert_eq!(owasp_2021(&json!("A03:2021 – Injection")).as_deref(), Some("A03:2021-Injection"), "en dash");
        assert_eq!(owasp_2021(&json!(["A3:2021 — Injection"])).as_deref(), Some("A03:2021-Injection"), "em dash, one digit");
        assert_eq!(owasp_2021(&json!([{"A1": "Injection"}])), None, "2017 only");
        assert_eq!(owasp_2021(&json!("A11:2017 - Something")), None);
        assert_eq!(owasp_2021(&json!({"a": [1]})), None);
    }

    #[test]
    fn cwe_reads_the_first_entry_that_is_one() {
        assert_eq!(cwe(&json!("CWE-78: OS Command Injection")), Some((78, Some("OS Command Injection".into()))));
        assert_eq!(cwe(&json!(["see below", "CWE-79"])), Some((79, None)));
        assert_eq!(cwe(&json!(89)), Some((89, None)));
        assert_eq!(cwe(&json!("78x")), None);
        assert_eq!(cwe(&json!(null)), None);
    }

    #[test]
    fn levels_and_references_ignore_what_they_cannot_read() {
        assert_eq!(level(&AnyText(Some("medium".into()))), Some(Confidence::Medium));
        assert_eq!(level(&AnyText(Some("SURE".into()))), None);
        assert_eq!(references(&json!(["https://a", 3, "https://b"])), vec!["https://a", "https://b"]);
        assert!(references(&json!({"a": 1})).is_empty());
    }
}
