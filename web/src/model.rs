//! What the page receives from the engine worker: the types of `pyward-contract`, the very
//! definitions the engine and its wasm API use, read from the worker's JavaScript objects by the
//! [`Read`] implementations below (over `value.rs`), plus the page's own views of them.
//!
//! The page reads them by hand rather than with serde's derived readers: those measured +18 KB
//! gzipped on the app's wasm with serde-wasm-bindgen, +31 KB with serde_json (README). The types
//! stay shared, so a field added to the contract fails to compile here until it is read.

pub use pyward_contract::{
    Analysis, Catalog, Confidence, DependencyInfo, EditorError, EditorFinding, FamilyInfo, FileError, Finding, FixEdit, OwaspRow, OwaspStatus, Remediation, Risk, RuleInfo, Settings,
    Severity, Summary, TraceStep,
};

use crate::value::{self as v, Res, Val};

/// A contract type read from a JavaScript object (or, in the tests, from JSON). Required fields
/// must be there; the ones optional in the contract may be missing (or null), and lists default
/// to empty.
pub trait Read: Sized {
    fn read<V: Val>(x: &V) -> Res<Self>;
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

/// A finding's trace steps, numbered; the first is the source and the last the sink.
pub fn trace_view(f: &EditorFinding) -> Vec<TraceView<'_>> {
    let last = f.trace.len().saturating_sub(1);
    f.trace
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
            range: f.trace_ranges.get(i).copied(),
        })
        .collect()
}

fn severity<V: Val>(x: &V, key: &str) -> Res<Severity> {
    let s = v::text(x, key)?;
    Severity::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("`{key}`: unknown severity `{s}`"))
}

fn confidence<V: Val>(x: &V, key: &str) -> Res<Confidence> {
    let s = v::text(x, key)?;
    Confidence::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("`{key}`: unknown confidence `{s}`"))
}

impl Read for Remediation {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Remediation { before: v::text(x, "before")?, after: v::text(x, "after")? })
    }
}

impl Read for RuleInfo {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(RuleInfo {
            id: v::text(x, "id")?,
            title: v::text(x, "title")?,
            severity: severity(x, "severity")?,
            confidence: confidence(x, "confidence")?,
            cwe: v::opt_uint(x, "cwe")?,
            cwe_title: v::opt_text(x, "cwe_title")?,
            owasp: v::opt_text(x, "owasp")?,
            references: v::texts_or_empty(x, "references")?,
            family: v::text(x, "family")?,
            bandit: v::texts_or_empty(x, "bandit")?,
            ruff: v::texts_or_empty(x, "ruff")?,
            docs: v::text_or_empty(x, "docs")?,
            remediation: v::opt_object(x, "remediation", Remediation::read)?,
            cwe_url: v::opt_text(x, "cwe_url")?,
            owasp_url: v::opt_text(x, "owasp_url")?,
        })
    }
}

impl Read for FamilyInfo {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(FamilyInfo { id: v::text(x, "id")?, label: v::text(x, "label")?, opt_in: v::flag_or_false(x, "opt_in")? })
    }
}

impl Read for Catalog {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Catalog { rules: v::list(x, "rules", RuleInfo::read)?, families: v::list(x, "families", FamilyInfo::read)? })
    }
}

impl Read for TraceStep {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(TraceStep {
            line: v::uint(x, "line")?,
            column: v::uint(x, "column")?,
            end_line: v::uint(x, "end_line")?,
            end_column: v::uint(x, "end_column")?,
            label: v::text(x, "label")?,
            start_offset: v::uint(x, "start_offset")?,
            end_offset: v::uint(x, "end_offset")?,
            file: None,
        })
    }
}

impl Read for FixEdit {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(FixEdit { start_offset: v::uint(x, "start_offset")?, end_offset: v::uint(x, "end_offset")?, text: v::text(x, "text")? })
    }
}

fn read_range<V: Val>(x: &V) -> Res<(u32, u32)> {
    let pair = x.as_items().filter(|p| p.len() == 2).ok_or("a range is not a pair")?;
    let n = |i: usize| pair[i].as_num().filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX)).map(|n| n as u32).ok_or("a range is not two offsets");
    Ok((n(0)?, n(1)?))
}

impl Read for Finding {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Finding {
            rule_id: v::text(x, "rule_id")?,
            title: v::text(x, "title")?,
            severity: severity(x, "severity")?,
            confidence: confidence(x, "confidence")?,
            cwe: v::opt_uint(x, "cwe")?,
            owasp: v::opt_text(x, "owasp")?,
            path: v::text(x, "path")?,
            line: v::uint(x, "line")?,
            column: v::uint(x, "column")?,
            end_line: v::uint(x, "end_line")?,
            end_column: v::uint(x, "end_column")?,
            message: v::text(x, "message")?,
            snippet: v::text(x, "snippet")?,
            region: None,
            fix: v::opt_text(x, "fix")?,
            fix_edits: v::list_or_empty(x, "fix_edits", FixEdit::read)?,
            family: v::text(x, "family")?,
            start_offset: v::uint(x, "start_offset")?,
            end_offset: v::uint(x, "end_offset")?,
            trace: v::list_or_empty(x, "trace", TraceStep::read)?,
            likelihood: v::opt_text(x, "likelihood")?,
            impact: v::opt_text(x, "impact")?,
            dependency: v::opt_object(x, "dependency", DependencyInfo::read)?.map(Box::new),
        })
    }
}

impl Read for DependencyInfo {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(DependencyInfo {
            package: v::text(x, "package")?,
            version: v::opt_text(x, "version")?,
            advisories: v::texts_or_empty(x, "advisories")?,
            fixed: v::opt_text(x, "fixed")?,
            imitates: v::opt_text(x, "imitates")?,
            action: v::text(x, "action")?,
        })
    }
}

/// The finding's own fields and the editor's offsets are one object.
impl Read for EditorFinding {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(EditorFinding {
            finding: Finding::read(x)?,
            from: v::uint(x, "from")?,
            to: v::uint(x, "to")?,
            line_from: v::uint(x, "line_from")?,
            line_to: v::uint(x, "line_to")?,
            trace_ranges: v::list_or_empty(x, "trace_ranges", read_range)?,
            fix_edit_ranges: v::list_or_empty(x, "fix_edit_ranges", read_range)?,
        })
    }
}

impl Read for EditorError {
    fn read<V: Val>(x: &V) -> Res<Self> {
        let error = FileError {
            path: v::text(x, "path")?,
            message: v::text(x, "message")?,
            line: v::opt_uint(x, "line")?,
            column: v::opt_uint(x, "column")?,
        };
        Ok(EditorError { error, from: v::opt_uint(x, "from")? })
    }
}

impl Read for Summary {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Summary {
            critical: v::uint(x, "critical")?,
            high: v::uint(x, "high")?,
            medium: v::uint(x, "medium")?,
            low: v::uint(x, "low")?,
            suppressed: v::uint_or_zero(x, "suppressed")?,
            lines: v::uint_or_zero(x, "lines")?,
            hidden: v::uint_or_zero(x, "hidden")?,
        })
    }
}

impl Read for Analysis {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Analysis {
            findings: v::list(x, "findings", EditorFinding::read)?,
            errors: v::list(x, "errors", EditorError::read)?,
            summary: Summary::read(&v::field(x, "summary")?).map_err(|e| format!("summary: {e}"))?,
            status: v::text(x, "status")?,
            categories_checked: v::texts_or_empty(x, "categories_checked")?,
            risk: v::opt_object(x, "risk", Risk::read)?.unwrap_or_default(),
            owasp_top10: v::list_or_empty(x, "owasp_top10", OwaspRow::read)?,
        })
    }
}

impl Read for Risk {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Risk { rating: severity(x, "rating")?, score: v::uint(x, "score")? })
    }
}

impl Read for OwaspRow {
    fn read<V: Val>(x: &V) -> Res<Self> {
        let status = v::text(x, "status")?;
        Ok(OwaspRow {
            id: v::text(x, "id")?,
            name: v::text(x, "name")?,
            rules: v::texts_or_empty(x, "rules")?,
            findings: v::uint(x, "findings")?,
            status: OwaspStatus::parse(&status).ok_or_else(|| format!("`status`: unknown OWASP status `{status}`"))?,
        })
    }
}

/// Every field may be missing (then its default), as in settings saved by older versions.
impl Read for Settings {
    fn read<V: Val>(x: &V) -> Res<Self> {
        let d = Settings::default();
        Ok(Settings {
            min_severity: if x.get("min_severity").is_some() { severity(x, "min_severity")? } else { d.min_severity },
            min_confidence: if x.get("min_confidence").is_some() { confidence(x, "min_confidence")? } else { d.min_confidence },
            disabled_families: v::texts_or_empty(x, "disabled_families")?,
            enabled_families: v::texts_or_empty(x, "enabled_families")?,
        })
    }
}

/// The settings as the worker, localStorage and share links take them.
/// `enabled_families` is written only when an opt-in family is on, so that the links and
/// saved settings of everyone else stay as they were.
pub fn write_settings<V: Val>(s: &Settings) -> V {
    let mut fields = vec![
        ("min_severity", V::text(s.min_severity.as_str())),
        ("min_confidence", V::text(s.min_confidence.as_str())),
        ("disabled_families", v::texts(&s.disabled_families)),
    ];
    if !s.enabled_families.is_empty() {
        fields.push(("enabled_families", v::texts(&s.enabled_families)));
    }
    V::object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(json: &str) -> Res<EditorFinding> {
        EditorFinding::read(&serde_json::from_str::<serde_json::Value>(json).expect("JSON"))
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
            r#"{{"findings":[{PATTERN}],"errors":[{{"path":"playground.py","message":"bad","line":2,"column":null}}],
                "summary":{{"critical":0,"high":1,"medium":0,"low":0,"lines":12}},"status":"FINDINGS"}}"#
        );
        let a = Analysis::read(&serde_json::from_str::<serde_json::Value>(&json).expect("JSON")).expect("analysis");
        assert_eq!((a.findings.len(), a.findings[0].cwe, a.findings[0].owasp.clone()), (1, Some(78), None));
        let error = FileError { path: "playground.py".into(), message: "bad".into(), line: Some(2), column: None };
        assert_eq!(a.errors, vec![EditorError { error, from: None }]);
        assert_eq!((a.summary.high, a.summary.lines, a.summary.suppressed), (1, 12, 0));
        assert!(a.categories_checked.is_empty());
        let rules = serde_json::json!([{
            "id": "r", "title": "T", "severity": "critical", "confidence": "medium", "cwe": 89, "owasp": "A03:2021",
            "family": "injection", "docs": "## What it does", "remediation": {"before": "b", "after": "a"},
            "cwe_url": "https://cwe.mitre.org/data/definitions/89.html", "bandit": ["B608"]
        }]);
        let catalog = Catalog::read(&serde_json::json!({"rules": rules, "families": [{"id": "web", "label": "Web request handling"}]})).expect("catalog");
        assert_eq!(catalog.families, vec![FamilyInfo { id: "web".into(), label: "Web request handling".into(), opt_in: false }]);
        let r = &catalog.rules[0];
        assert_eq!((r.severity, r.confidence, r.cwe, r.bandit.clone()), (Severity::Critical, Confidence::Medium, Some(89), vec!["B608".into()]));
        assert_eq!(r.remediation, Some(Remediation { before: "b".into(), after: "a".into() }));
        assert!(r.ruff.is_empty() && r.references.is_empty() && r.cwe_title.is_none() && r.owasp_url.is_none());
    }

    #[test]
    fn the_risk_and_the_owasp_matrix_read_as_the_engine_sends_them() {
        let a = Analysis {
            risk: Risk { rating: Severity::High, score: 61 },
            owasp_top10: vec![OwaspRow {
                id: "A03:2021".into(),
                name: "Injection".into(),
                rules: vec!["os-command-injection".into()],
                findings: 2,
                status: OwaspStatus::IssuesFound,
            }],
            ..Analysis::default()
        };
        let json = serde_json::to_value(&a).expect("JSON");
        assert_eq!(json["owasp_top10"][0]["status"], "issues_found");
        assert_eq!(Analysis::read(&json), Ok(a));
        // Older results without them: low risk, 100, no matrix.
        let old = Analysis::read(&serde_json::json!({"findings": [], "errors": [], "summary": {"critical": 0, "high": 0, "medium": 0, "low": 0}, "status": "NO_SECURITY_ISSUES"}))
            .expect("analysis");
        assert_eq!((old.risk, old.owasp_top10.len()), (Risk::default(), 0));
        let bad = serde_json::json!({"id": "A01:2021", "name": "n", "rules": [], "findings": 0, "status": "fine"});
        assert_eq!(OwaspRow::read(&bad), Err("`status`: unknown OWASP status `fine`".into()));
    }

    #[test]
    fn settings_round_trip_and_default_what_is_missing() {
        let s = Settings { min_severity: Severity::High, min_confidence: Confidence::Medium, disabled_families: vec!["secrets".into()], ..Settings::default() };
        let json: serde_json::Value = write_settings(&s);
        assert_eq!(json, serde_json::json!({"min_severity": "high", "min_confidence": "medium", "disabled_families": ["secrets"]}));
        assert_eq!(Settings::read(&json), Ok(s));
        assert_eq!(Settings::read(&serde_json::json!({})), Ok(Settings::default()));
        assert!(Settings::read(&serde_json::json!({"min_severity": 3})).is_err());
        // An opt-in family switched on is written, and read back.
        let on = Settings { enabled_families: vec!["naming".into()], ..Settings::default() };
        let json: serde_json::Value = write_settings(&on);
        assert_eq!(json["enabled_families"], serde_json::json!(["naming"]));
        assert_eq!(Settings::read(&json), Ok(on));
    }
}
