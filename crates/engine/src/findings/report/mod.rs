//! Reports over one or more files, and their formats: text, JSON (the contract), SARIF 2.1.0
//! and Markdown. The CLI and the playground both use these.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use crate::rules::{RuleMeta, Severity, FAMILIES};
use crate::{FileError, FileResult, Finding, VERSION};

pub const NO_ACTIONABLE_INPUT: &str = "NO_ACTIONABLE_INPUT";
pub const NO_SECURITY_ISSUES: &str = "NO_SECURITY_ISSUES";
pub const FINDINGS: &str = "FINDINGS";

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub suppressed: usize,
    pub lines: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub tool: Tool,
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub summary: Summary,
    /// `FINDINGS`, `NO_SECURITY_ISSUES` or `NO_ACTIONABLE_INPUT`.
    pub status: &'static str,
    /// The rule families that ran (listed for clean scans).
    pub categories_checked: Vec<String>,
}

impl Report {
    /// Builds a report. `rules` are the rules that ran (for the list of categories checked).
    pub fn new(files: Vec<FileResult>, rules: &[&RuleMeta]) -> Report {
        let mut summary = Summary { files: files.len(), ..Summary::default() };
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        let mut any_code = false;
        for f in files {
            summary.suppressed += f.suppressed;
            summary.lines += f.lines;
            any_code |= !f.no_code && (f.errors.is_empty() || !f.findings.is_empty() || f.lines > 0);
            findings.extend(f.findings);
            errors.extend(f.errors);
        }
        for f in &findings {
            match f.severity {
                Severity::Critical => summary.critical += 1,
                Severity::High => summary.high += 1,
                Severity::Medium => summary.medium += 1,
                Severity::Low => summary.low += 1,
            }
        }
        let present: BTreeSet<&str> = rules.iter().map(|r| r.family.as_str()).collect();
        let categories_checked =
            FAMILIES.iter().filter(|(f, _)| present.contains(f)).map(|(_, label)| label.to_string()).collect();
        let status = if !findings.is_empty() {
            FINDINGS
        } else if !any_code {
            NO_ACTIONABLE_INPUT
        } else {
            NO_SECURITY_ISSUES
        };
        Report { tool: Tool { name: "pyward", version: VERSION }, findings, errors, summary, status, categories_checked }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// `app.py:12:5: HIGH sql-injection-format  message`
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let _ = writeln!(out, "{}:{}:{}: {} {}  {}", f.path, f.line, f.column, f.severity.upper(), f.rule_id, f.message);
            // A taint finding: the path the data took, one step a line.
            for (i, t) in f.trace.iter().enumerate() {
                let _ = writeln!(out, "    {:>2}. {}:{}:{}: {}", i + 1, f.path, t.line, t.column, t.label);
            }
        }
        for e in &self.errors {
            match (e.line, e.column) {
                (Some(l), Some(c)) => {
                    let _ = writeln!(out, "{}:{}:{}: ERROR {}", e.path, l, c, e.message);
                }
                _ => {
                    let _ = writeln!(out, "{}: ERROR {}", e.path, e.message);
                }
            }
        }
        let s = &self.summary;
        match self.status {
            NO_ACTIONABLE_INPUT => {
                let _ = writeln!(out, "{NO_ACTIONABLE_INPUT}: no Python code to analyse ({} file(s)).", s.files);
            }
            NO_SECURITY_ISSUES => {
                let _ = writeln!(out, "{NO_SECURITY_ISSUES}: {} file(s), {} line(s) checked. Categories checked:", s.files, s.lines);
                for c in &self.categories_checked {
                    let _ = writeln!(out, "  - {c}");
                }
            }
            _ => {
                let _ = writeln!(
                    out,
                    "Found {} issue(s) in {} file(s): {} critical, {} high, {} medium, {} low{}.",
                    self.findings.len(),
                    s.files,
                    s.critical,
                    s.high,
                    s.medium,
                    s.low,
                    if s.suppressed > 0 { format!(" ({} suppressed)", s.suppressed) } else { String::new() }
                );
            }
        }
        out
    }

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

    /// A security-analysis report: overview, then findings by severity.
    pub fn to_markdown(&self, rules: &[&RuleMeta]) -> String {
        let mut out = String::new();
        let s = &self.summary;
        let _ = writeln!(out, "# pyward security report\n");
        let _ = writeln!(out, "## Overview\n");
        let _ = writeln!(out, "| Severity | Findings |\n|---|---|");
        let _ = writeln!(out, "| 🔴 Critical | {} |\n| 🟠 High | {} |\n| 🟡 Medium | {} |\n| 🟢 Low | {} |", s.critical, s.high, s.medium, s.low);
        let _ = writeln!(out, "\nFiles scanned: {} · lines: {} · suppressed findings: {} · errors: {}\n", s.files, s.lines, s.suppressed, self.errors.len());
        match self.status {
            NO_ACTIONABLE_INPUT => {
                let _ = writeln!(out, "**Status: `{NO_ACTIONABLE_INPUT}`** — there was no Python code to analyse.\n");
            }
            NO_SECURITY_ISSUES => {
                let _ = writeln!(out, "**Status: `{NO_SECURITY_ISSUES}`** — no security issue found.\n\nCategories checked:\n");
                for c in &self.categories_checked {
                    let _ = writeln!(out, "- {c}");
                }
                out.push('\n');
            }
            _ => {}
        }
        for sev in Severity::ALL {
            let group: Vec<&Finding> = self.findings.iter().filter(|f| f.severity == sev).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "## {} findings\n", title_case(sev.as_str()));
            for f in group {
                let meta = rules.iter().find(|r| r.id == f.rule_id);
                let _ = writeln!(out, "### {} — `{}`\n", f.title, f.rule_id);
                let _ = writeln!(out, "- **Location:** `{}:{}:{}`", f.path, f.line, f.column);
                let _ = writeln!(out, "- **Severity:** {} · **Confidence:** {}", f.severity.upper(), f.confidence.as_str());
                let mut refs = Vec::new();
                if let Some(c) = f.cwe {
                    refs.push(format!("[CWE-{c}]({})", cwe_url(c)));
                }
                if let Some(o) = &f.owasp {
                    refs.push(format!("[{o}]({})", owasp_url(o)));
                }
                if !refs.is_empty() {
                    let _ = writeln!(out, "- **References:** {}", refs.join(" · "));
                }
                let _ = writeln!(out, "\n**Evidence**\n\n```python\n{}\n```\n", f.snippet);
                if !f.trace.is_empty() {
                    let _ = writeln!(out, "**Data flow**\n");
                    for (i, t) in f.trace.iter().enumerate() {
                        let _ = writeln!(out, "{}. line {}: {}", i + 1, t.line, md_text(&t.label));
                    }
                    out.push('\n');
                }
                let _ = writeln!(out, "**Impact:** {}\n", f.message);
                if let Some(rem) = meta.and_then(|m| m.remediation.as_ref()) {
                    let _ = writeln!(out, "**Remediation**\n\nBefore:\n\n```python\n{}\n```\n\nAfter:\n\n```python\n{}\n```\n", rem.before, rem.after);
                }
                if let Some(fix) = &f.fix {
                    let _ = writeln!(out, "Suggested fix for this line: `{fix}`\n");
                }
            }
        }
        if !self.errors.is_empty() {
            let _ = writeln!(out, "## Errors\n");
            for e in &self.errors {
                match (e.line, e.column) {
                    (Some(l), Some(c)) => {
                        let _ = writeln!(out, "- `{}:{}:{}` {}", e.path, l, c, e.message);
                    }
                    _ => {
                        let _ = writeln!(out, "- `{}` {}", e.path, e.message);
                    }
                }
            }
        }
        out
    }
}

/// A label that quotes the user's code, as a Markdown code span (never interpreted as markup).
fn md_text(s: &str) -> String {
    format!("`` {} ``", s.replace('`', "'"))
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub fn cwe_url(cwe: u32) -> String {
    format!("https://cwe.mitre.org/data/definitions/{cwe}.html")
}

pub fn owasp_url(o: &str) -> String {
    // "A03:2021-Injection" -> https://owasp.org/Top10/A03_2021-Injection/
    let slug = o.replacen(':', "_", 1).replace(' ', "_");
    format!("https://owasp.org/Top10/{slug}/")
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
