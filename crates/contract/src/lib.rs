//! The data that crosses from pyward's engine to the programs that show it: findings and their
//! taint traces, file errors, the rules' metadata and families, and the playground's settings
//! and analysis results.
//!
//! Defined once, with serde: the engine builds these values (it re-exports [`Finding`],
//! [`TraceStep`], [`FileError`], [`Severity`] and [`Confidence`]) and the wasm API serialises
//! them to JavaScript in the engine's Web Worker. The field names are the JSON contract's (the
//! CLI's `--format json`). The playground reads them with its own small readers (`web/src/
//! model.rs`): serde's derived readers there cost more wasm than the project allows (README).

use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most severe first, as reports and the findings list show them.
    pub const ALL: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];

    /// Our names in any case, and Semgrep's (`ERROR`, `WARNING`, `INFO`).
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_uppercase().as_str() {
            "CRITICAL" => Some(Severity::Critical),
            "HIGH" | "ERROR" => Some(Severity::High),
            "MEDIUM" | "WARNING" => Some(Severity::Medium),
            "LOW" | "INFO" => Some(Severity::Low),
            _ => None,
        }
    }

    /// The JSON name: `critical`, `high`, `medium`, `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    /// As the text report writes it: `CRITICAL`, `HIGH`…
    pub fn upper(self) -> &'static str {
        match self {
            Severity::Critical => "CRITICAL",
            Severity::High => "HIGH",
            Severity::Medium => "MEDIUM",
            Severity::Low => "LOW",
        }
    }

    /// As people read it: `Critical`, `High`…
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
        }
    }
}

/// How sure a rule is that a match is a real problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    /// Surest first.
    pub const ALL: [Confidence; 3] = [Confidence::High, Confidence::Medium, Confidence::Low];

    /// `high`, `medium` or `low`, in any case.
    pub fn parse(s: &str) -> Option<Confidence> {
        match s.to_ascii_uppercase().as_str() {
            "HIGH" => Some(Confidence::High),
            "MEDIUM" => Some(Confidence::Medium),
            "LOW" => Some(Confidence::Low),
            _ => None,
        }
    }

    /// The JSON name: `high`, `medium`, `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }

    /// As people read it: `High`, `Medium`, `Low`.
    pub fn label(self) -> &'static str {
        match self {
            Confidence::High => "High",
            Confidence::Medium => "Medium",
            Confidence::Low => "Low",
        }
    }
}

/// One problem found in a file. Lines are 1-based, columns 1-based code points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Option<u32>,
    pub owasp: Option<String>,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    /// The lines of the finding, cut to the region plus bounded context.
    pub snippet: String,
    /// The flagged text as in the file (SARIF's `region.snippet`); `None` when too long to
    /// quote. Not sent: reports read it from the finding itself.
    #[serde(skip)]
    pub region: Option<String>,
    /// Replacement text for the finding's range, when the rule has a `fix`.
    pub fix: Option<String>,
    /// Further edits the fix needs besides replacing the range: the imports it uses that the
    /// file lacks (`import secrets`). Applied together with `fix`; empty without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_edits: Vec<FixEdit>,
    pub family: String,
    /// Byte offsets of the range in the file.
    pub start_offset: u32,
    pub end_offset: u32,
    /// For taint rules: the path the data took, from the source through each assignment or
    /// call to the sink. Empty (and left out of the JSON) for pattern rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceStep>,
    /// How likely the issue is to be exploited (the rule's `likelihood`: `HIGH`, `MEDIUM`,
    /// `LOW`), when the rule says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<String>,
    /// How bad an exploit would be (the rule's `impact`), when the rule says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
    /// For findings in a dependency file (`requirements.txt`, `pyproject.toml`, lock files):
    /// the package concerned and what to do about it. `None` for code findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependency: Option<Box<DependencyInfo>>,
}

/// What a dependency finding is about: reports build their dependency table from it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependencyInfo {
    /// The package's name as written in the file.
    pub package: String,
    /// The pinned or locked version, or the version specifier as written (`>=2.0`); `None`
    /// when the requirement names no version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Advisory ids (PYSEC, CVE, GHSA) of a known vulnerability; empty for other checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisories: Vec<String>,
    /// The lowest version that fixes every advisory listed, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// For a likely typosquat: the popular package whose name it imitates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imitates: Option<String>,
    /// The action, in words: "upgrade django to 2.2.28 or later", "pin an exact version".
    pub action: String,
}

/// One edit of a fix: replace the bytes `start_offset..end_offset` (equal for an insertion)
/// with `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixEdit {
    pub start_offset: u32,
    pub end_offset: u32,
    pub text: String,
}

/// One step of a taint trace (1-based lines and code-point columns, as findings).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceStep {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// What happens here: `source: request.args.get("q")`, `assigned to q`, `sink: cursor.execute`.
    pub label: String,
    pub start_offset: u32,
    pub end_offset: u32,
    /// The file of a step in another file than the finding's (a project scan following a flow
    /// into an imported module's function); its line, columns and offsets are that file's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A file that could not be read or parsed (completely or in part).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileError {
    pub path: String,
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// A rule family: the id rules carry (`rules/<family>/`, `disabled_families`) and its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyInfo {
    pub id: String,
    pub label: String,
    /// Off unless switched on (the `naming` policy): listed in `enabled_families`, not
    /// `disabled_families`.
    #[serde(default)]
    pub opt_in: bool,
}

/// A rule's example, before and after the fix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Remediation {
    pub before: String,
    pub after: String,
}

/// A rule as the playground presents it: its metadata, its docs rendered to HTML, and links.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Option<u32>,
    pub cwe_title: Option<String>,
    pub owasp: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    pub family: String,
    #[serde(default)]
    pub bandit: Vec<String>,
    #[serde(default)]
    pub ruff: Vec<String>,
    /// The docs (Markdown) as written in the rule.
    #[serde(default)]
    pub docs: String,
    pub remediation: Option<Remediation>,
    /// The link to the CWE entry and to the OWASP Top 10 2021 page.
    pub cwe_url: Option<String>,
    pub owasp_url: Option<String>,
}

/// The rules and rule families an engine has (the playground's catalogue).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub rules: Vec<RuleInfo>,
    pub families: Vec<FamilyInfo>,
}

/// A finding with the offsets an editor needs: the editor counts UTF-16 code units, the engine
/// bytes and code points. In JSON, the finding's own fields plus these; in Rust it reads as its
/// [`Finding`] (`Deref`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// UTF-16 offsets of the finding's range.
    pub from: u32,
    pub to: u32,
    /// UTF-16 offsets of the whole lines the finding spans (for the fix diff).
    pub line_from: u32,
    pub line_to: u32,
    /// UTF-16 ranges of the taint trace's steps, in the order of `trace` (empty for pattern rules).
    #[serde(default)]
    pub trace_ranges: Vec<(u32, u32)>,
    /// UTF-16 ranges of the fix's further edits, in the order of `fix_edits`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_edit_ranges: Vec<(u32, u32)>,
}

impl Deref for EditorFinding {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.finding
    }
}

/// A file error with the UTF-16 offset of its position, when it has one. Reads as its
/// [`FileError`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorError {
    #[serde(flatten)]
    pub error: FileError,
    pub from: Option<u32>,
}

impl Deref for EditorError {
    type Target = FileError;
    fn deref(&self) -> &FileError {
        &self.error
    }
}

/// Counts over one analysis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Findings hidden by `# nosec` / `# noqa` / `# pyward: ignore`.
    #[serde(default)]
    pub suppressed: usize,
    #[serde(default)]
    pub lines: usize,
    /// Findings the settings hide (minimum severity or confidence, rule families switched
    /// off): what the same code gives with every rule on, beyond the findings above.
    #[serde(default)]
    pub hidden: usize,
}

impl Summary {
    /// The number of findings of severity `s`.
    pub fn count(&self, s: Severity) -> usize {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

/// The overall risk of a report: a rating and a 0-100 security score (the formula is in
/// the engine's `report::risk` and the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    /// `critical`, `high`, `medium` or `low`.
    pub rating: Severity,
    /// 0 (worst) to 100 (no finding).
    pub score: u8,
}

impl Default for Risk {
    /// No finding: low risk, 100.
    fn default() -> Risk {
        Risk { rating: Severity::Low, score: 100 }
    }
}

impl Risk {
    /// The rating as people read it: `High risk`.
    pub fn label(&self) -> String {
        format!("{} risk", self.rating.label())
    }
}

/// A category's status in the OWASP Top 10 compliance matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwaspStatus {
    /// At least one finding in the category.
    IssuesFound,
    /// Rules for the category ran and found nothing.
    NoIssuesFound,
    /// No rule that ran covers the category.
    NotCovered,
}

impl OwaspStatus {
    /// As the reports write it: `issues found`, `no issues found`, `not covered by static analysis`.
    pub fn label(self) -> &'static str {
        match self {
            OwaspStatus::IssuesFound => "issues found",
            OwaspStatus::NoIssuesFound => "no issues found",
            OwaspStatus::NotCovered => "not covered by static analysis",
        }
    }

    /// The JSON name: `issues_found`, `no_issues_found`, `not_covered`.
    pub fn as_str(self) -> &'static str {
        match self {
            OwaspStatus::IssuesFound => "issues_found",
            OwaspStatus::NoIssuesFound => "no_issues_found",
            OwaspStatus::NotCovered => "not_covered",
        }
    }

    /// The status of a JSON name.
    pub fn parse(s: &str) -> Option<OwaspStatus> {
        [OwaspStatus::IssuesFound, OwaspStatus::NoIssuesFound, OwaspStatus::NotCovered].into_iter().find(|x| x.as_str() == s)
    }
}

/// One row of the OWASP Top 10 (2021) compliance matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwaspRow {
    /// `A03:2021`.
    pub id: String,
    /// `Injection`.
    pub name: String,
    /// The ids of the rules that ran for the category, sorted.
    pub rules: Vec<String>,
    /// Findings in the category.
    pub findings: usize,
    pub status: OwaspStatus,
}

/// The result of analysing one text in an editor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub findings: Vec<EditorFinding>,
    pub errors: Vec<EditorError>,
    pub summary: Summary,
    /// `FINDINGS`, `NO_SECURITY_ISSUES` or `NO_ACTIONABLE_INPUT`.
    pub status: String,
    /// The labels of the rule families that ran (listed for clean scans).
    #[serde(default)]
    pub categories_checked: Vec<String>,
    /// The overall risk rating and security score.
    #[serde(default)]
    pub risk: Risk,
    /// The OWASP Top 10 (2021) compliance matrix.
    #[serde(default)]
    pub owasp_top10: Vec<OwaspRow>,
}

/// What the user chose to see. Every field may be missing (then its default), as in settings
/// saved by older versions of the playground.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub min_severity: Severity,
    pub min_confidence: Confidence,
    /// Ids of the rule families switched off.
    pub disabled_families: Vec<String>,
    /// Ids of the opt-in rule families switched on (see [`FamilyInfo::opt_in`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub enabled_families: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { min_severity: Severity::Low, min_confidence: Confidence::Low, disabled_families: Vec::new(), enabled_families: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn severities_and_confidences_read_as_written() {
        assert_eq!(serde_json::to_value(Severity::Critical).ok(), Some(json!("critical")));
        assert_eq!(serde_json::from_value::<Confidence>(json!("medium")).ok(), Some(Confidence::Medium));
        assert!(serde_json::from_value::<Severity>(json!("huge")).is_err());
        assert_eq!(Severity::parse("warning"), Some(Severity::Medium));
        assert!(Severity::Critical > Severity::High && Confidence::High > Confidence::Low);
    }

    #[test]
    fn a_pattern_finding_leaves_out_its_empty_trace_and_reads_back() {
        let f = Finding {
            rule_id: "r".into(),
            title: "t".into(),
            severity: Severity::High,
            confidence: Confidence::High,
            cwe: Some(78),
            owasp: None,
            path: "a.py".into(),
            line: 2,
            column: 1,
            end_line: 2,
            end_column: 9,
            message: "m".into(),
            snippet: "s".into(),
            region: None,
            fix: None,
            fix_edits: vec![],
            family: "injection".into(),
            start_offset: 10,
            end_offset: 18,
            trace: vec![],
            likelihood: None,
            impact: None,
            dependency: None,
        };
        let v = serde_json::to_value(&f).expect("json");
        assert!(v.get("trace").is_none());
        assert_eq!(serde_json::from_value::<Finding>(v).ok(), Some(f));
    }

    #[test]
    fn settings_default_what_is_missing_and_refuse_wrong_values() {
        let s: Settings = serde_json::from_value(json!({"min_severity": "high"})).expect("settings");
        assert_eq!(s, Settings { min_severity: Severity::High, ..Settings::default() });
        assert_eq!(serde_json::from_value::<Settings>(json!({})).ok(), Some(Settings::default()));
        assert!(serde_json::from_value::<Settings>(json!({"min_severity": 3})).is_err());
    }
}
