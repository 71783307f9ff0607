//! The SARIF 2.1.0 report, as GitHub code scanning reads it.

use std::collections::BTreeSet;

use serde_json::json;

use super::Report;
use crate::rules::{RuleMeta, Severity};
use crate::VERSION;

impl Report {
    /// SARIF 2.1.0, as GitHub code scanning reads it.
    pub fn to_sarif(&self, rules: &[&RuleMeta]) -> String {
        let used: BTreeSet<&str> = self.findings.iter().map(|f| f.rule_id.as_str()).collect();
        let rule_list: Vec<&&RuleMeta> = rules.iter().filter(|r| used.contains(r.id.as_str())).collect();
        let sarif_rules: Vec<serde_json::Value> = rule_list
            .iter()
            .map(|r| {
                let mut tags = vec!["security".to_string()];
                if let Some(c) = r.cwe {
                    tags.push(format!("external/cwe/cwe-{c}"));
                }
                json!({
                    "id": r.id,
                    "name": r.title,
                    "shortDescription": {"text": r.title},
                    "fullDescription": {"text": r.message},
                    "help": {"text": r.docs, "markdown": r.docs},
                    "helpUri": r.references.first(),
                    "defaultConfiguration": {"level": sarif_level(r.severity)},
                    "properties": {
                        "security-severity": security_severity(r.severity),
                        "precision": r.confidence.as_str(),
                        "tags": tags,
                    }
                })
            })
            .collect();
        let fingerprints = self.fingerprints();
        let results: Vec<serde_json::Value> = self
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let index = rule_list.iter().position(|r| r.id == f.rule_id).unwrap_or(0);
                let uri = self.uri(&f.path);
                let mut region = json!({"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column});
                if let Some(text) = &f.region {
                    region["snippet"] = json!({"text": text});
                }
                let mut result = json!({
                    "ruleId": f.rule_id,
                    "ruleIndex": index,
                    "level": sarif_level(f.severity),
                    "message": {"text": f.message},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri},
                            "region": region
                        }
                    }],
                    "partialFingerprints": {"primaryLocationLineHash": fingerprints.get(i)},
                    "properties": {"security-severity": security_severity(f.severity), "confidence": f.confidence.as_str()}
                });
                // The rule's exploitability and impact, when it says (`HIGH`, `MEDIUM`, `LOW`).
                for (key, value) in [("likelihood", &f.likelihood), ("impact", &f.impact)] {
                    if let Some(v) = value {
                        result["properties"][key] = json!(v.to_ascii_lowercase());
                    }
                }
                if !f.trace.is_empty() {
                    // The data flow from source to sink, as a SARIF code flow.
                    let locations: Vec<serde_json::Value> = f
                        .trace
                        .iter()
                        .map(|t| {
                            json!({"location": {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": t.file.as_deref().map_or_else(|| uri.clone(), |p| self.uri(p))},
                                    "region": {"startLine": t.line, "startColumn": t.column, "endLine": t.end_line, "endColumn": t.end_column}
                                },
                                "message": {"text": t.label}
                            }})
                        })
                        .collect();
                    result["codeFlows"] = json!([{"threadFlows": [{"locations": locations}]}]);
                }
                result
            })
            .collect();
        let notifications: Vec<serde_json::Value> = self
            .errors
            .iter()
            .map(|e| {
                let mut loc = json!({"physicalLocation": {"artifactLocation": {"uri": self.uri(&e.path)}}});
                if let (Some(l), Some(c)) = (e.line, e.column) {
                    loc["physicalLocation"]["region"] = json!({"startLine": l, "startColumn": c});
                }
                json!({"level": "error", "message": {"text": e.message}, "locations": [loc]})
            })
            .collect();
        // Every input analysed fully: SARIF's "the tool completed without errors".
        let successful = notifications.is_empty();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "pyward",
                    "version": VERSION,
                    "informationUri": "https://github.com/pyward/pyward",
                    "rules": sarif_rules
                }},
                // Columns count Unicode code points, as Python does.
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [{"executionSuccessful": successful, "toolExecutionNotifications": notifications}],
                // The overall rating and 0-100 score (README, "Risk rating and security score").
                "properties": {"risk": self.risk.rating.as_str(), "securityScore": self.risk.score}
            }]
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

impl Report {
    /// The SARIF `uri` of a file: its name (the raw bytes of a name that is not UTF-8)
    /// percent-encoded, `/` kept as the separator.
    fn uri(&self, path: &str) -> String {
        percent_encode(self.raw_paths.get(path).map_or(path.as_bytes(), Vec::as_slice))
    }
}

/// Every byte but the URI's unreserved characters and `/` as `%XX`: spaces, line breaks and
/// control characters, `%`, `#`, `?`, `\` (a character of Unix file names, not a separator)
/// and the bytes of non-ASCII characters.
fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(percent_encode(b"src/app.py"), "src/app.py");
        assert_eq!(percent_encode(b"a b\\c%d#e?f\n.py"), "a%20b%5Cc%25d%23e%3Ff%0A.py");
        assert_eq!(percent_encode("é.py".as_bytes()), "%C3%A9.py");
        assert_eq!(percent_encode(b"caf\xe9.py"), "caf%E9.py");
    }
}
