//! Reports over one or more files, and their formats: text, JSON (the contract), SARIF 2.1.0
//! and Markdown. The CLI and the playground both use these.

mod json;
mod markdown;
mod owasp;
mod review;
mod risk;
mod sarif;
mod text;

pub use owasp::{matrix as owasp_matrix, OwaspRow, OwaspStatus, OWASP_TOP10};
pub use review::{utc_date, Review, ReviewFile};
pub use risk::{assess as assess_risk, Risk};

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::rules::{FixKind, RuleMeta, Severity, FAMILIES};
use crate::{FileError, FileResult, Finding, VERSION};

pub const NO_ACTIONABLE_INPUT: &str = "NO_ACTIONABLE_INPUT";
pub const NO_SECURITY_ISSUES: &str = "NO_SECURITY_ISSUES";
pub const FINDINGS: &str = "FINDINGS";
/// No finding, but some input could not be analysed (or not fully): see the errors.
pub const INCOMPLETE_ANALYSIS: &str = "INCOMPLETE_ANALYSIS";

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
    /// `FINDINGS`, `INCOMPLETE_ANALYSIS` (no finding, but errors), `NO_SECURITY_ISSUES` (every
    /// input analysed fully, nothing found) or `NO_ACTIONABLE_INPUT`.
    pub status: &'static str,
    /// The rule families that ran (listed for clean scans).
    pub categories_checked: Vec<String>,
    /// The kind of fix (`safe`: `--fix` applies it; `unsafe`: only with `--unsafe-fixes`) of
    /// each rule with a finding that has a fix, by rule id. Left out of the JSON when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fix_kinds: BTreeMap<String, FixKind>,
    /// Whether a dependency file (`FileResult::dependency_file`) was among the inputs: clean
    /// reports say "Vulnerable dependencies ✓" only then.
    pub dependencies_checked: bool,
    /// The overall risk rating and 0-100 security score (README, "Risk rating and security score").
    pub risk: Risk,
    /// The OWASP Top 10 2021 compliance matrix: the rules that ran per category, the findings
    /// and a status.
    pub owasp_top10: Vec<OwaspRow>,
    /// The names of the files analysed, in input order (the review's scope lists them).
    #[serde(skip)]
    pub paths: Vec<String>,
    /// The raw bytes of file names that are not UTF-8, by the path the findings and errors
    /// show: SARIF percent-encodes these bytes, so the name stays recoverable.
    #[serde(skip)]
    pub raw_paths: BTreeMap<String, Vec<u8>>,
    /// The enclosing function or class of the findings, by path then start offset: the part of
    /// their fingerprints the findings lack (see [`Report::fingerprints`]).
    #[serde(skip)]
    pub scopes: BTreeMap<String, crate::findings::fingerprint::Scopes>,
}

impl Report {
    /// Builds a report. `rules` are the rules that ran (for the list of categories checked).
    pub fn new(files: Vec<FileResult>, rules: &[&RuleMeta]) -> Report {
        let mut summary = Summary { files: files.len(), ..Summary::default() };
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        let mut any_code = false;
        let mut scopes = BTreeMap::new();
        let dependencies_checked = files.iter().any(|f| f.dependency_file);
        let paths = files.iter().filter(|f| !f.path.is_empty()).map(|f| f.path.clone()).collect();
        for f in files {
            if !f.scopes.is_empty() {
                scopes.insert(f.path.clone(), f.scopes);
            }
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
        let fixable: BTreeSet<&str> = findings.iter().filter(|f| f.fix.is_some()).map(|f| f.rule_id.as_str()).collect();
        let fix_kinds = rules.iter().filter(|r| fixable.contains(r.id.as_str())).map(|r| (r.id.clone(), r.fix_kind)).collect();
        let present: BTreeSet<&str> = rules.iter().map(|r| r.family.as_str()).collect();
        let categories_checked =
            FAMILIES.iter().filter(|(f, _)| present.contains(f)).map(|(_, label)| label.to_string()).collect();
        let status = if !findings.is_empty() {
            FINDINGS
        } else if !any_code {
            NO_ACTIONABLE_INPUT
        } else if !errors.is_empty() {
            INCOMPLETE_ANALYSIS
        } else {
            NO_SECURITY_ISSUES
        };
        let risk = risk::assess(&findings);
        let owasp_top10 = owasp::matrix(rules, &findings);
        Report {
            tool: Tool { name: "pyward", version: VERSION },
            findings,
            errors,
            summary,
            status,
            categories_checked,
            fix_kinds,
            dependencies_checked,
            risk,
            owasp_top10,
            paths,
            raw_paths: BTreeMap::new(),
            scopes,
        }
    }
}

/// `s` with its control characters (line breaks, tabs, ANSI escapes, DEL, C1 controls) and
/// bidirectional-text controls written as escapes (`\n`, `\t`, `\x1b`, `\u{202e}`), so file
/// names and code can neither move the cursor, colour a terminal nor start a new line.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// The guard-clause line about dependencies in a clean report.
pub fn dependencies_line(checked: bool) -> &'static str {
    if checked {
        "Vulnerable dependencies ✓"
    } else {
        "dependencies: not checked (no requirements file found)"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("app.py"), "app.py");
        assert_eq!(escape_control("a\x1b[31mb\nc\rd\te\x7f\u{85}\u{202e}f"), "a\\x1b[31mb\\nc\\rd\\te\\x7f\\x85\\u{202e}f");
    }
}
