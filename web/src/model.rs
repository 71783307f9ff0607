//! What the page receives from the engine worker, in the JSON contract's shape (plus the UTF-16
//! offsets the editor needs). Read from the worker's JavaScript objects by the `read` functions
//! below (see `value.rs`).
//!
//! These mirror the engine's types on purpose: the page reads the published JSON contract, as any
//! outside consumer does, and does not link the engine crate, so the UI's WebAssembly stays small
//! and the engine can change its internals freely. The contract itself is checked on both sides
//! (tests/cli.rs for the engine's JSON, the browser tests for what the page reads).

use crate::value::{self as v, Res, Val};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    fn read<V: Val>(x: &V, key: &str) -> Res<Severity> {
        let s = v::text(x, key)?;
        Severity::parse(&s).ok_or_else(|| format!("`{key}`: unknown severity `{s}`"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    fn read<V: Val>(x: &V, key: &str) -> Res<Confidence> {
        let s = v::text(x, key)?;
        Confidence::parse(&s).ok_or_else(|| format!("`{key}`: unknown confidence `{s}`"))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Remediation {
    pub before: String,
    pub after: String,
}

/// A rule's metadata and docs.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Option<u32>,
    pub cwe_title: Option<String>,
    pub owasp: Option<String>,
    pub references: Vec<String>,
    pub family: String,
    pub bandit: Vec<String>,
    pub ruff: Vec<String>,
    /// The docs as HTML, rendered by the worker (see crates/wasm/src/docs.rs): the explanation
    /// and the references section.
    pub docs_html: String,
    pub references_html: String,
    pub remediation: Option<Remediation>,
    /// Links the engine builds for the CWE entry and the OWASP Top 10 2021 page.
    pub cwe_url: Option<String>,
    pub owasp_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
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
    pub trace: Vec<TraceStep>,
    /// UTF-16 offsets `[from, to]` of each step of `trace`, in the same order.
    pub trace_ranges: Vec<(u32, u32)>,
}

/// One step of a taint trace (1-based lines and code-point columns, as findings).
#[derive(Clone, Debug, PartialEq)]
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

#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// UTF-16 offset of the position.
    pub from: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub suppressed: usize,
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

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    pub errors: Vec<AnalysisError>,
    pub summary: Summary,
    /// `FINDINGS`, `NO_SECURITY_ISSUES` or `NO_ACTIONABLE_INPUT`.
    pub status: String,
    pub categories_checked: Vec<String>,
}

/// The user's settings: remembered in localStorage and carried in share links.
#[derive(Clone, Debug, PartialEq, Eq)]
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

// Readers: required fields must be there; the ones marked optional in the contract may be
// missing (or null), and lists default to empty.

impl Remediation {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Remediation { before: v::text(x, "before")?, after: v::text(x, "after")? })
    }
}

impl RuleInfo {
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(RuleInfo {
            id: v::text(x, "id")?,
            title: v::text(x, "title")?,
            severity: Severity::read(x, "severity")?,
            confidence: Confidence::read(x, "confidence")?,
            cwe: v::opt_uint(x, "cwe")?,
            cwe_title: v::opt_text(x, "cwe_title")?,
            owasp: v::opt_text(x, "owasp")?,
            references: v::texts_or_empty(x, "references")?,
            family: v::text(x, "family")?,
            bandit: v::texts_or_empty(x, "bandit")?,
            ruff: v::texts_or_empty(x, "ruff")?,
            docs_html: v::text_or_empty(x, "docs_html")?,
            references_html: v::text_or_empty(x, "references_html")?,
            remediation: v::opt_object(x, "remediation", Remediation::read)?,
            cwe_url: v::opt_text(x, "cwe_url")?,
            owasp_url: v::opt_text(x, "owasp_url")?,
        })
    }
}

impl TraceStep {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(TraceStep {
            line: v::uint(x, "line")?,
            column: v::uint(x, "column")?,
            end_line: v::uint(x, "end_line")?,
            end_column: v::uint(x, "end_column")?,
            label: v::text(x, "label")?,
        })
    }
}

fn read_range<V: Val>(x: &V) -> Res<(u32, u32)> {
    let pair = x.as_items().filter(|p| p.len() == 2).ok_or("a range is not a pair")?;
    let n = |i: usize| pair[i].as_num().filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX)).map(|n| n as u32).ok_or("a range is not two offsets");
    Ok((n(0)?, n(1)?))
}

impl Finding {
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Finding {
            rule_id: v::text(x, "rule_id")?,
            title: v::text(x, "title")?,
            severity: Severity::read(x, "severity")?,
            confidence: Confidence::read(x, "confidence")?,
            cwe: v::opt_uint(x, "cwe")?,
            owasp: v::opt_text(x, "owasp")?,
            line: v::uint(x, "line")?,
            column: v::uint(x, "column")?,
            end_line: v::uint(x, "end_line")?,
            end_column: v::uint(x, "end_column")?,
            message: v::text(x, "message")?,
            snippet: v::text(x, "snippet")?,
            fix: v::opt_text(x, "fix")?,
            family: v::text(x, "family")?,
            from: v::uint(x, "from")?,
            to: v::uint(x, "to")?,
            line_from: v::uint(x, "line_from")?,
            line_to: v::uint(x, "line_to")?,
            trace: v::list_or_empty(x, "trace", TraceStep::read)?,
            trace_ranges: v::list_or_empty(x, "trace_ranges", read_range)?,
        })
    }
}

impl AnalysisError {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(AnalysisError {
            message: v::text(x, "message")?,
            line: v::opt_uint(x, "line")?,
            column: v::opt_uint(x, "column")?,
            from: v::opt_uint(x, "from")?,
        })
    }
}

impl Summary {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Summary {
            critical: v::uint(x, "critical")?,
            high: v::uint(x, "high")?,
            medium: v::uint(x, "medium")?,
            low: v::uint(x, "low")?,
            suppressed: v::uint_or_zero(x, "suppressed")?,
            lines: v::uint_or_zero(x, "lines")?,
        })
    }
}

impl Analysis {
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Analysis {
            findings: v::list(x, "findings", Finding::read)?,
            errors: v::list(x, "errors", AnalysisError::read)?,
            summary: Summary::read(&v::field(x, "summary")?).map_err(|e| format!("summary: {e}"))?,
            status: v::text(x, "status")?,
            categories_checked: v::texts_or_empty(x, "categories_checked")?,
        })
    }
}

impl Settings {
    /// Every field may be missing (then its default), as in settings saved by older versions.
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        let d = Settings::default();
        Ok(Settings {
            min_severity: if x.get("min_severity").is_some() { Severity::read(x, "min_severity")? } else { d.min_severity },
            min_confidence: if x.get("min_confidence").is_some() { Confidence::read(x, "min_confidence")? } else { d.min_confidence },
            disabled_families: v::texts_or_empty(x, "disabled_families")?,
        })
    }

    pub fn write<V: Val>(&self) -> V {
        V::object(vec![
            ("min_severity", V::text(self.min_severity.as_str())),
            ("min_confidence", V::text(self.min_confidence.as_str())),
            ("disabled_families", v::texts(&self.disabled_families)),
        ])
    }
}

/// A rule family, as the engine lists them for the settings: the id rules carry (and
/// `disabled_families` names) and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Family {
    pub id: String,
    pub label: String,
}

impl Family {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Family { id: v::text(x, "id")?, label: v::text(x, "label")? })
    }
}

/// The rules and rule families of the engine (the worker's `catalog`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub rules: Vec<RuleInfo>,
    pub families: Vec<Family>,
}

impl Catalog {
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Catalog { rules: v::list(x, "rules", RuleInfo::read)?, families: v::list(x, "families", Family::read)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(json: &str) -> Res<Finding> {
        Finding::read(&serde_json::from_str::<serde_json::Value>(json).expect("JSON"))
    }

    const PATTERN: &str = r#"{"rule_id":"r","title":"t","severity":"high","confidence":"high","cwe":78,"owasp":null,
        "path":"playground.py","line":10,"column":5,"end_line":10,"end_column":19,"message":"m","snippet":"s","fix":null,
        "family":"injection","start_offset":1,"end_offset":2,"from":1,"to":2,"line_from":0,"line_to":3,"trace_ranges":[]}"#;

    #[test]
    fn a_pattern_finding_without_the_trace_key_has_an_empty_trace() {
        let f = finding(PATTERN).expect("finding");
        assert!(f.trace.is_empty() && f.trace_ranges.is_empty());
        // Older results had no trace_ranges either.
        let f = finding(&PATTERN.replace(r#","trace_ranges":[]"#, "")).expect("finding");
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
        let f = finding(&json).expect("finding");
        assert_eq!(f.trace.len(), 2);
        assert_eq!(f.trace[0].label, r#"source: request.args.get("host")"#);
        assert_eq!((f.trace[1].line, f.trace[1].column), (10, 5));
        assert_eq!(f.trace_ranges, vec![(100, 124), (150, 164)]);
    }

    #[test]
    fn missing_or_wrong_fields_are_reported_by_name() {
        assert_eq!(finding(&PATTERN.replace(r#""rule_id":"r","#, "")), Err("missing field `rule_id`".into()));
        assert_eq!(finding(&PATTERN.replace(r#""line":10"#, r#""line":"10""#)), Err("`line` is not a number".into()));
        assert_eq!(finding(&PATTERN.replace(r#""severity":"high""#, r#""severity":"huge""#)), Err("`severity`: unknown severity `huge`".into()));
        assert!(finding(&PATTERN.replace(r#""trace_ranges":[]"#, r#""trace_ranges":[[1]]"#)).unwrap_err().starts_with("trace_ranges: "));
    }

    #[test]
    fn an_analysis_and_the_rules_read_as_the_engine_sends_them() {
        let json = format!(
            r#"{{"findings":[{PATTERN}],"errors":[{{"message":"bad","line":2,"column":null}}],
                "summary":{{"critical":0,"high":1,"medium":0,"low":0,"lines":12}},"status":"FINDINGS"}}"#
        );
        let a = Analysis::read(&serde_json::from_str::<serde_json::Value>(&json).expect("JSON")).expect("analysis");
        assert_eq!((a.findings.len(), a.findings[0].cwe, a.findings[0].owasp.clone()), (1, Some(78), None));
        assert_eq!(a.errors, vec![AnalysisError { message: "bad".into(), line: Some(2), column: None, from: None }]);
        assert_eq!((a.summary.high, a.summary.lines, a.summary.suppressed), (1, 12, 0));
        assert!(a.categories_checked.is_empty());
        let rules = serde_json::json!([{
            "id": "r", "title": "T", "severity": "critical", "confidence": "medium", "cwe": 89, "owasp": "A03:2021",
            "family": "injection", "docs_html": "<h4>What it does</h4>", "remediation": {"before": "b", "after": "a"},
            "cwe_url": "https://cwe.mitre.org/data/definitions/89.html", "bandit": ["B608"]
        }]);
        let catalog = Catalog::read(&serde_json::json!({"rules": rules, "families": [{"id": "web", "label": "Web request handling"}]})).expect("catalog");
        assert_eq!(catalog.families, vec![Family { id: "web".into(), label: "Web request handling".into() }]);
        let r = &catalog.rules[0];
        assert_eq!((r.severity, r.confidence, r.cwe, r.bandit.clone()), (Severity::Critical, Confidence::Medium, Some(89), vec!["B608".into()]));
        assert_eq!(r.remediation, Some(Remediation { before: "b".into(), after: "a".into() }));
        assert!(r.ruff.is_empty() && r.references.is_empty() && r.cwe_title.is_none() && r.owasp_url.is_none());
    }

    #[test]
    fn settings_round_trip_and_default_what_is_missing() {
        let s = Settings { min_severity: Severity::High, min_confidence: Confidence::Medium, disabled_families: vec!["secrets".into()] };
        let json: serde_json::Value = s.write();
        assert_eq!(json, serde_json::json!({"min_severity": "high", "min_confidence": "medium", "disabled_families": ["secrets"]}));
        assert_eq!(Settings::read(&json), Ok(s));
        assert_eq!(Settings::read(&serde_json::json!({})), Ok(Settings::default()));
        assert!(Settings::read(&serde_json::json!({"min_severity": 3})).is_err());
    }
}
