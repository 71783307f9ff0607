//! The last stage: findings, suppressions and reports.

mod build;
pub mod message;
pub mod report;
pub mod snippet;
pub mod suppress;

pub use build::build;

use serde::Serialize;

use crate::rules::{Confidence, Severity};

#[derive(Clone, Debug, Serialize)]
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
    /// The lines of the finding, cut to the region plus bounded context (see [`snippet`]).
    pub snippet: String,
    /// The flagged text as in the file (SARIF's `region.snippet`); `None` when too long to quote.
    #[serde(skip)]
    pub region: Option<String>,
    /// Replacement text for the finding's range, when the rule has a `fix`.
    pub fix: Option<String>,
    pub family: String,
    /// Byte offsets of the range in the file.
    pub start_offset: u32,
    pub end_offset: u32,
    /// For taint rules: the path the data took, from the source through each assignment or
    /// call to the sink. Empty (and left out of the JSON) for pattern rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceStep>,
}

/// One step of a taint trace (1-based lines and code-point columns, as findings).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TraceStep {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// What happens here: `source: request.args.get("q")`, `assigned to q`, `sink: cursor.execute`.
    pub label: String,
    pub start_offset: u32,
    pub end_offset: u32,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileError {
    pub path: String,
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FileResult {
    pub path: String,
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub lines: usize,
    /// True when the file holds no code at all (empty, blank or only comments).
    pub no_code: bool,
    /// Findings hidden by `# nosec` / `# noqa` / `# pyward: ignore`.
    pub suppressed: usize,
}
