//! The Markdown report: overview, then findings by severity. Everything that comes from the
//! scanned files (names, code, messages that quote code) is escaped: code blocks are fenced
//! with more backticks than any run inside them, code spans likewise, and other text has its
//! HTML and Markdown punctuation escaped, so a file can add no heading, link or HTML.

use std::fmt::Write as _;

use super::{cwe_url, dependencies_line, escape_control, owasp_url, OwaspRow, Report, INCOMPLETE_ANALYSIS, NO_ACTIONABLE_INPUT, NO_SECURITY_ISSUES};
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
        if self.status != NO_ACTIONABLE_INPUT {
            let _ = writeln!(out, "{}\n", self.risk_line());
        }
        match self.status {
            NO_ACTIONABLE_INPUT => {
                let _ = writeln!(out, "**Status: `{NO_ACTIONABLE_INPUT}`** — there was no Python code to analyse.\n");
            }
            NO_SECURITY_ISSUES => {
                let _ = writeln!(out, "**Status: `{NO_SECURITY_ISSUES}`** — no security issue found.\n\nCategories checked:\n");
                for c in &self.categories_checked {
                    let _ = writeln!(out, "- {c}");
                }
                let _ = writeln!(out, "- {}", dependencies_line(self.dependencies_checked));
                out.push('\n');
            }
            INCOMPLETE_ANALYSIS => {
                let _ = writeln!(out, "**Status: `{INCOMPLETE_ANALYSIS}`** — no issue found in what could be analysed, but see the errors below.\n");
            }
            _ => {}
        }
        if self.status != NO_ACTIONABLE_INPUT {
            let _ = writeln!(out, "## OWASP Top 10 (2021) compliance\n\n{}", owasp_table(&self.owasp_top10));
        }
        for sev in Severity::ALL {
            let group: Vec<&Finding> = self.findings.iter().filter(|f| f.severity == sev).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "## {} findings\n", title_case(sev.as_str()));
            for f in group {
                md_finding(&mut out, f, rules.iter().find(|r| r.id == f.rule_id).copied());
            }
        }
        errors_section(&mut out, &self.errors);
        out
    }
}

impl Report {
    /// `**Overall risk: High** · security score **62/100**` (the rating's word alone: "Overall
    /// risk: High risk" said risk twice).
    pub(super) fn risk_line(&self) -> String {
        format!("**Overall risk: {}** · security score **{}/100**", self.risk.rating.label(), self.risk.score)
    }
}

/// The compliance matrix as a Markdown table (and a line break).
pub(super) fn owasp_table(rows: &[OwaspRow]) -> String {
    let mut out = String::from("| Category | Checks run | Findings | Status |\n|---|---|---|---|\n");
    for r in rows {
        let checks = if r.rules.is_empty() {
            "—".to_string()
        } else {
            r.rules.iter().map(|id| code_span(id, 1)).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(out, "| {} {} | {checks} | {} | {} |", r.id, r.name, r.findings, r.status.label());
    }
    out
}

/// `- **Likelihood:** HIGH · **Impact:** MEDIUM`, for what the rule says; empty otherwise.
pub(super) fn likelihood_impact_line(f: &Finding) -> String {
    let parts: Vec<String> = [("Likelihood", &f.likelihood), ("Impact", &f.impact)]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("**{k}:** {}", md_inline(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("- {}\n", parts.join(" · "))
    }
}

/// The `## Errors` section: each error with its position (nothing when there are none).
pub(super) fn errors_section(out: &mut String, errors: &[crate::FileError]) {
    if errors.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Errors\n");
    for e in errors {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", e.path),
            _ => e.path.clone(),
        };
        let _ = writeln!(out, "- {} {}", code_span(&at, 1), md_inline(&e.message));
    }
}

/// A finding's severity, confidence, likelihood and impact, and its CWE and OWASP links, as
/// list items (the report's section and the review's finding file share them).
pub(super) fn rating_lines(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "- **Severity:** {} · **Confidence:** {}", f.severity.upper(), f.confidence.as_str());
    out.push_str(&likelihood_impact_line(f));
    let mut refs = Vec::new();
    if let Some(c) = f.cwe {
        refs.push(format!("[CWE-{c}]({})", cwe_url(c)));
    }
    if let Some(o) = &f.owasp {
        refs.push(format!("[{}]({})", md_inline(o), owasp_url(o)));
    }
    if !refs.is_empty() {
        let _ = writeln!(out, "- **References:** {}", refs.join(" · "));
    }
}

/// One finding's section.
fn md_finding(out: &mut String, f: &Finding, meta: Option<&RuleMeta>) {
    let _ = writeln!(out, "### {} — {}\n", md_inline(&f.title), code_span(&f.rule_id, 1));
    let _ = writeln!(out, "- **Location:** {}", code_span(&format!("{}:{}:{}", f.path, f.line, f.column), 1));
    rating_lines(out, f);
    let _ = writeln!(out, "\n**Evidence**\n\n{}\n", code_block(&f.snippet));
    if !f.trace.is_empty() {
        let _ = writeln!(out, "**Data flow**\n");
        for (i, t) in f.trace.iter().enumerate() {
            match &t.file {
                Some(file) => {
                    let _ = writeln!(out, "{}. {} line {}: {}", i + 1, code_span(file, 2), t.line, code_span(&t.label, 2));
                }
                None => {
                    let _ = writeln!(out, "{}. line {}: {}", i + 1, t.line, code_span(&t.label, 2));
                }
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "**Impact:** {}\n", md_inline(&f.message));
    if let Some(rem) = meta.and_then(|m| m.remediation.as_ref()) {
        let _ = writeln!(out, "**Remediation**\n\nBefore:\n\n{}\n\nAfter:\n\n{}\n", code_block(&rem.before), code_block(&rem.after));
    }
    if let Some(fix) = &f.fix {
        let _ = write!(out, "Suggested fix for this line: {}", code_span(fix, 1));
        for e in &f.fix_edits {
            let _ = write!(out, ", and add {}", code_span(e.text.trim(), 1));
        }
        let _ = writeln!(out, "\n");
    }
}

/// The longest run of backticks in `s`.
pub(super) fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A fenced Python code block whose fence is longer than any backtick run of `code`, so no
/// line of the code can close it.
pub(super) fn code_block(code: &str) -> String {
    code_block_lang(code, "python")
}

/// A fenced code block of `lang` (a fixed word) whose fence outlasts any backtick run of `code`.
pub(super) fn code_block_lang(code: &str, lang: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(code) + 1).max(3));
    format!("{fence}{lang}\n{code}\n{fence}")
}

/// Text as a code span of at least `min` backticks (more than any run inside), on one line:
/// control characters are escaped, so nothing in it is read as Markdown or HTML.
pub(super) fn code_span(s: &str, min: usize) -> String {
    let s = escape_control(s);
    let ticks = "`".repeat((longest_backtick_run(&s) + 1).max(min));
    let pad = ticks.len() > 1 || s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']);
    let sp = if pad { " " } else { "" };
    format!("{ticks}{sp}{s}{sp}{ticks}")
}

/// Plain text on one line with its HTML and Markdown punctuation escaped (it may quote code).
pub(super) fn md_inline(s: &str) -> String {
    let s = escape_control(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_spans_outlast_backtick_runs() {
        assert_eq!(code_block("x = 1"), "```python\nx = 1\n```");
        assert_eq!(code_block("s = '''\n```\n# heading'''"), "````python\ns = '''\n```\n# heading'''\n````");
        assert_eq!(code_span("a.py:1:1", 1), "`a.py:1:1`");
        assert_eq!(code_span("a`b.py", 1), "`` a`b.py ``");
        assert_eq!(code_span("x\n# h", 2), "`` x\\n# h ``");
    }

    #[test]
    fn inline_text_has_no_markup() {
        assert_eq!(md_inline("<script>alert(1)</script>"), "&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
        assert_eq!(md_inline("[a](javascript:x)"), "\\[a\\]\\(javascript:x\\)");
        assert_eq!(md_inline("a\n# b"), "a\\\\n\\# b");
    }
}
