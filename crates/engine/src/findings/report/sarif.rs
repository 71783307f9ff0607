//! The SARIF 2.1.0 report, as GitHub code scanning reads it.

use std::collections::BTreeSet;

use serde_json::json;

use super::Report;
use crate::rules::{RuleMeta, Severity};
use crate::{Finding, VERSION};

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
        let results: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                let index = rule_list.iter().position(|r| r.id == f.rule_id).unwrap_or(0);
                let mut result = json!({
                    "ruleId": f.rule_id,
                    "ruleIndex": index,
                    "level": sarif_level(f.severity),
                    "message": {"text": f.message},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": f.path.replace('\\', "/")},
                            "region": {
                                "startLine": f.line, "startColumn": f.column,
                                "endLine": f.end_line, "endColumn": f.end_column,
                                "snippet": {"text": f.snippet}
                            }
                        }
                    }],
                    "partialFingerprints": {"primaryLocationLineHash": fingerprint(f)},
                    "properties": {"security-severity": security_severity(f.severity), "confidence": f.confidence.as_str()}
                });
                if !f.trace.is_empty() {
                    // The data flow from source to sink, as a SARIF code flow.
                    let locations: Vec<serde_json::Value> = f
                        .trace
                        .iter()
                        .map(|t| {
                            json!({"location": {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.path.replace('\\', "/")},
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
                let mut loc = json!({"physicalLocation": {"artifactLocation": {"uri": e.path}}});
                if let (Some(l), Some(c)) = (e.line, e.column) {
                    loc["physicalLocation"]["region"] = json!({"startLine": l, "startColumn": c});
                }
                json!({"level": "error", "message": {"text": e.message}, "locations": [loc]})
            })
            .collect();
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
                "results": results,
                "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}]
            }]
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
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

/// A stable fingerprint: rule id + path + the finding's line text (whitespace-normalised), so
/// it survives unrelated edits that move the line.
fn fingerprint(f: &Finding) -> String {
    let norm: String = f.snippet.lines().next().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    let mut h: u64 = 0xcbf29ce484222325;
    for b in f.rule_id.bytes().chain([0]).chain(f.path.bytes()).chain([0]).chain(norm.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}
