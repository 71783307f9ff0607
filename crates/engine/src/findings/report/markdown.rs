//! The Markdown report: overview, then findings by severity.

use std::fmt::Write as _;

use super::{cwe_url, owasp_url, Report, NO_ACTIONABLE_INPUT, NO_SECURITY_ISSUES};
use crate::rules::{RuleMeta, Severity};
use crate::Finding;

impl Report {
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
