//! What the page receives from the engine worker, in the JSON contract's shape (plus the UTF-16
//! offsets the editor needs). Deserialised with serde-wasm-bindgen.
//!
//! These mirror the engine's types on purpose: the page reads the published JSON contract, as any
//! outside consumer does, and does not link the engine crate, so the UI's WebAssembly stays small
//! and the engine can change its internals freely. The contract itself is checked on both sides
//! (tests/cli.rs for the engine's JSON, the browser tests for what the page reads).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most severe first, as the findings list and the counts show them.
    pub const ALL: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
        }
    }
    pub fn icon(self) -> &'static str {
        match self {
            Severity::Critical => "🔴",
            Severity::High => "🟠",
            Severity::Medium => "🟡",
            Severity::Low => "🟢",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::High, Confidence::Medium, Confidence::Low];
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Confidence::High => "High",
            Confidence::Medium => "Medium",
            Confidence::Low => "Low",
        }
    }
    pub fn parse(s: &str) -> Option<Confidence> {
        Confidence::ALL.into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Remediation {
    pub before: String,
    pub after: String,
}

/// A rule's metadata and docs.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Option<u32>,
    #[serde(default)]
    pub cwe_title: Option<String>,
    pub owasp: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    pub family: String,
    #[serde(default)]
    pub bandit: Vec<String>,
    #[serde(default)]
    pub ruff: Vec<String>,
    #[serde(default)]
    pub docs: String,
    pub remediation: Option<Remediation>,
    /// Links the engine builds for the CWE entry and the OWASP Top 10 2021 page.
    pub cwe_url: Option<String>,
    pub owasp_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Option<u32>,
    pub owasp: Option<String>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    pub snippet: String,
    pub fix: Option<String>,
    pub family: String,
    /// UTF-16 offsets of the range, and of the whole lines it spans.
    pub from: u32,
    pub to: u32,
    pub line_from: u32,
    pub line_to: u32,
    /// For taint rules: the steps the data took from the source to the sink, in order. The key is
    /// absent for pattern rules.
    #[serde(default)]
    pub trace: Vec<TraceStep>,
    /// UTF-16 offsets `[from, to]` of each step of `trace`, in the same order.
    #[serde(default)]
    pub trace_ranges: Vec<(u32, u32)>,
}

/// One step of a taint trace (1-based lines and code-point columns, as findings).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TraceStep {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// What happens here: `source: request.args.get("q")`, `assigned to q`, `sink: os.system(...)`.
    pub label: String,
}

/// Where a step sits in its trace, for numbering and styling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Source,
    Step,
    Sink,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Source => "source",
            StepKind::Step => "step",
            StepKind::Sink => "sink",
        }
    }
}

/// One step of a finding's trace as the page shows it: number (1-based), kind and editor range.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceView<'a> {
    pub n: usize,
    pub kind: StepKind,
    pub step: &'a TraceStep,
    /// UTF-16 offsets, when the engine sent them.
    pub range: Option<(u32, u32)>,
}

impl Finding {
    /// The trace's steps, numbered; the first is the source and the last the sink.
    pub fn trace_view(&self) -> Vec<TraceView<'_>> {
        let last = self.trace.len().saturating_sub(1);
        self.trace
            .iter()
            .enumerate()
            .map(|(i, step)| TraceView {
                n: i + 1,
                kind: match i {
                    0 => StepKind::Source,
                    i if i == last => StepKind::Sink,
                    _ => StepKind::Step,
                },
                step,
                range: self.trace_ranges.get(i).copied(),
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AnalysisError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// UTF-16 offset of the position.
    pub from: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    #[serde(default)]
    pub suppressed: usize,
    #[serde(default)]
    pub lines: usize,
}

impl Summary {
    pub fn count(&self, s: Severity) -> usize {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    pub errors: Vec<AnalysisError>,
    pub summary: Summary,
    /// `FINDINGS`, `NO_SECURITY_ISSUES` or `NO_ACTIONABLE_INPUT`.
    pub status: String,
    #[serde(default)]
    pub categories_checked: Vec<String>,
}

/// The user's settings: remembered in localStorage and carried in share links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub min_severity: Severity,
    pub min_confidence: Confidence,
    pub disabled_families: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { min_severity: Severity::Low, min_confidence: Confidence::Low, disabled_families: Vec::new() }
    }
}

/// The rule families, in the order the settings list them (ids as in `rules/<family>/`).
pub const FAMILIES: &[(&str, &str)] = &[
    ("injection", "Injection"),
    ("deserialization", "Deserialization"),
    ("secrets", "Secrets"),
    ("configuration", "Configuration"),
    ("xss", "Cross-site scripting"),
    ("crypto", "Cryptography"),
    ("tls", "TLS & certificates"),
    ("network", "Network"),
    ("xml", "XML"),
    ("files", "Files & paths"),
    ("jwt", "JWT"),
    ("other", "Other"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const PATTERN: &str = r#"{"rule_id":"r","title":"t","severity":"high","confidence":"high","cwe":78,"owasp":null,
        "path":"playground.py","line":10,"column":5,"end_line":10,"end_column":19,"message":"m","snippet":"s","fix":null,
        "family":"injection","start_offset":1,"end_offset":2,"from":1,"to":2,"line_from":0,"line_to":3,"trace_ranges":[]}"#;

    #[test]
    fn a_pattern_finding_without_the_trace_key_has_an_empty_trace() {
        let f: Finding = serde_json::from_str(PATTERN).expect("finding");
        assert!(f.trace.is_empty() && f.trace_ranges.is_empty());
        // Older results had no trace_ranges either.
        let f: Finding = serde_json::from_str(&PATTERN.replace(r#","trace_ranges":[]"#, "")).expect("finding");
        assert!(f.trace_ranges.is_empty());
    }

    #[test]
    fn a_taint_finding_carries_its_steps_and_their_editor_ranges() {
        let json = PATTERN.replace(
            r#""trace_ranges":[]"#,
            r#""trace":[{"line":8,"column":12,"end_line":8,"end_column":36,"label":"source: request.args.get(\"host\")","start_offset":100,"end_offset":124},
                       {"line":10,"column":5,"end_line":10,"end_column":19,"label":"sink: os.system(cmd)","start_offset":150,"end_offset":164}],
               "trace_ranges":[[100,124],[150,164]]"#,
        );
        let f: Finding = serde_json::from_str(&json).expect("finding");
        assert_eq!(f.trace.len(), 2);
        assert_eq!(f.trace[0].label, r#"source: request.args.get("host")"#);
        assert_eq!((f.trace[1].line, f.trace[1].column), (10, 5));
        assert_eq!(f.trace_ranges, vec![(100, 124), (150, 164)]);
    }
}
