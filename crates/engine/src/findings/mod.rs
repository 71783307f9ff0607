//! The last stage: findings, suppressions and reports.

mod build;
pub mod fingerprint;
pub mod fix;
pub mod flows;
pub mod imports;
pub mod message;
pub mod report;
pub mod snippet;
pub mod suppress;

pub use build::build;

use serde::Serialize;

/// Findings, their traces and file errors are the contract's types: the wasm API and the
/// playground read the same definitions.
pub use pyward_contract::{DependencyInfo, FileError, Finding, FixEdit, TraceStep};

#[derive(Clone, Debug, Default, Serialize)]
pub struct FileResult {
    pub path: String,
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub lines: usize,
    /// True when the file holds no code at all (empty, blank or only comments).
    pub no_code: bool,
    /// True for a dependency file (`requirements.txt`, `pyproject.toml`, a lock file...)
    /// audited as such: reports then count dependencies as checked.
    #[serde(skip)]
    pub dependency_file: bool,
    /// Findings hidden by `# nosec` / `# noqa` / `# pyward: ignore`.
    pub suppressed: usize,
    /// The engine's work on the file, in its own units: unification steps of the matcher and
    /// statements the taint engine interpreted (for tests that bound work without a clock).
    #[serde(skip)]
    pub work: u64,
    /// The enclosing function or class of each finding (for its fingerprint; see
    /// [`fingerprint`]).
    #[serde(skip)]
    pub scopes: fingerprint::Scopes,
}
