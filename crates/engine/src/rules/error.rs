//! A rule file that cannot be loaded, and where the problem is.

use std::fmt;

use crate::rules::yaml::{Pos, YamlError};

/// Why a rule file was refused: the file, the rule when known, the key's path in the file
/// (`rules[0].metadata.cwe`), its line and column when the file was YAML, and the reason.
///
/// Displays as `file:line:column: rule `id`: path: message`, leaving out what is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file as the caller named it.
    pub file: String,
    /// The id of the rule the problem is in, when there is one and it is known.
    pub rule: Option<String>,
    /// Where in the file: `rules[0].patterns[1].pattern-not`; empty for the whole file.
    pub path: String,
    /// Line of the key (or list item) the path names, from 1; YAML files only.
    pub line: Option<u32>,
    /// Column of that key, from 1.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl RuleError {
    /// An error at `path` of `file`, with no rule or position yet.
    pub fn new(file: &str, path: &str, message: impl Into<String>) -> RuleError {
        RuleError { file: file.to_string(), rule: None, path: path.to_string(), line: None, column: None, message: message.into() }
    }

    /// The same error at a line and column.
    pub fn at(self, pos: Option<Pos>) -> RuleError {
        let num = |n: usize| u32::try_from(n).ok();
        RuleError { line: pos.and_then(|p| num(p.line)), column: pos.and_then(|p| num(p.column)), ..self }
    }

    /// The same error in the rule `id`.
    pub fn in_rule(self, id: Option<&str>) -> RuleError {
        RuleError { rule: id.map(str::to_string), ..self }
    }

    /// A file that is not YAML.
    pub fn yaml(file: &str, e: YamlError) -> RuleError {
        RuleError::new(file, "", format!("invalid YAML: {}", e.message)).at(Some(e.pos))
    }

    /// A file that is not JSON (the embedded built-in rules).
    pub fn json(file: &str, e: &serde_json::Error) -> RuleError {
        RuleError::new(file, "", format!("invalid JSON: {e}"))
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(id) = &self.rule {
            write!(f, ": rule `{id}`")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RuleError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_leaves_out_what_is_not_known() {
        let e = RuleError::new("r.yaml", "rules[0].severity", "`X` is not one of CRITICAL, HIGH, MEDIUM, LOW");
        assert_eq!(e.to_string(), "r.yaml: rules[0].severity: `X` is not one of CRITICAL, HIGH, MEDIUM, LOW");
        let e = e.at(Some(Pos { line: 7, column: 5 })).in_rule(Some("demo"));
        assert_eq!(e.to_string(), "r.yaml:7:5: rule `demo`: rules[0].severity: `X` is not one of CRITICAL, HIGH, MEDIUM, LOW");
        assert_eq!(RuleError::new("r.yaml", "", "invalid YAML: x").to_string(), "r.yaml: invalid YAML: x");
    }
}
