//! Reports over one or more files, and their formats: text, JSON (the contract), SARIF 2.1.0
//! and Markdown. The CLI and the playground both use these.

mod json;
mod markdown;
mod sarif;
mod text;

use std::collections::BTreeSet;

use serde::Serialize;

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
}

pub fn cwe_url(cwe: u32) -> String {
    format!("https://cwe.mitre.org/data/definitions/{cwe}.html")
}

pub fn owasp_url(o: &str) -> String {
    // "A03:2021-Injection" -> https://owasp.org/Top10/A03_2021-Injection/
    let slug = o.replacen(':', "_", 1).replace(' ', "_");
    format!("https://owasp.org/Top10/{slug}/")
}
