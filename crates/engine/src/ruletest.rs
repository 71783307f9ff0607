//! Rule tests with Semgrep's `--test` annotations, for `pyward test` and the built-in rules'
//! own harness (tests/fixtures.rs).
//!
//! An annotation is a comment alone on its line, naming one or more rule ids (comma-separated);
//! it applies to the next line that is not an annotation:
//! - `# ruleid: <id>`: the rule must flag the line;
//! - `# ok: <id>`: the rule must not flag it;
//! - `# todoruleid: <id>`: a known miss: the rule should flag the line but does not yet (the
//!   test fails once it does, so that the annotation becomes `ruleid`);
//! - `# todook: <id>`: a known false positive: the rule flags the line but should not (the
//!   test fails once it no longer does, so that the annotation becomes `ok`).
//!
//! As in Semgrep, the lines a rule flags must be exactly those annotated `ruleid` or `todook`
//! for it: a finding on any other line fails.

use std::fmt;

use crate::rules::{RuleError, RuleSet};
use crate::{Engine, Options, BUILTIN_RULE_FILES};

/// What an annotation says about the line it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationKind {
    /// `# ruleid:`: must be flagged.
    RuleId,
    /// `# ok:`: must not be flagged.
    Ok,
    /// `# todoruleid:`: should be flagged, is not yet.
    TodoRuleId,
    /// `# todook:`: should not be flagged, still is.
    TodoOk,
}

impl AnnotationKind {
    /// The kinds by their comment prefix; `todo` ones first, as `ok:` ends `todook:`.
    const PREFIXES: [(&'static str, AnnotationKind); 4] = [
        ("todoruleid:", AnnotationKind::TodoRuleId),
        ("todook:", AnnotationKind::TodoOk),
        ("ruleid:", AnnotationKind::RuleId),
        ("ok:", AnnotationKind::Ok),
    ];

    /// Whether the rule flags the line today, by the annotation.
    pub fn expects_finding(self) -> bool {
        matches!(self, AnnotationKind::RuleId | AnnotationKind::TodoOk)
    }
}

/// One annotation in a rule's test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub kind: AnnotationKind,
    pub rule: String,
    /// 1-based line the annotation applies to (the next non-annotation line).
    pub target_line: u32,
    /// 1-based line of the comment itself.
    pub comment_line: u32,
}

/// The kind and rule ids of an annotation comment line, or `None` for any other line.
fn parse_line(line: &str) -> Option<(AnnotationKind, Vec<String>)> {
    let body = line.trim().strip_prefix('#')?.trim();
    let (kind, rest) = AnnotationKind::PREFIXES.iter().find_map(|(p, k)| body.strip_prefix(p).map(|r| (*k, r)))?;
    Some((kind, rest.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()))
}

/// The annotations of a test file, in line order.
pub fn parse_annotations(src: &str) -> Vec<Annotation> {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some((kind, rules)) = parse_line(l) else { continue };
        let mut j = i + 1;
        while j < lines.len() && parse_line(lines[j]).is_some() {
            j += 1;
        }
        for rule in rules {
            out.push(Annotation { kind, rule, target_line: j as u32 + 1, comment_line: i as u32 + 1 });
        }
    }
    out
}

/// Why a line of a test file fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The file does not parse.
    SyntaxError { column: u32, message: String },
    /// An annotation names a rule that is not in the rule file.
    UnknownRule { origin: String },
    /// `# ruleid:` line the rule does not flag.
    Missing { comment_line: u32 },
    /// `# ok:` line the rule flags.
    FalsePositive,
    /// `# todoruleid:` line the rule now flags.
    TodoRuleIdFlagged,
    /// `# todook:` line the rule no longer flags.
    TodoOkClean,
    /// A finding on a line with no annotation for its rule.
    Unexpected { column: u32, message: String },
}

/// One failed expectation of a test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The test file, as shown.
    pub file: String,
    /// The line concerned (the annotation's own line for an unknown rule).
    pub line: u32,
    /// The rule concerned (empty for a syntax error).
    pub rule: String,
    pub kind: FailureKind,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (file, line, rule) = (&self.file, self.line, &self.rule);
        match &self.kind {
            FailureKind::SyntaxError { column, message } => {
                write!(f, "{file}:{line}:{column}: test file has a syntax error: {message}")
            }
            FailureKind::UnknownRule { origin } => {
                write!(f, "{file}:{line}: annotation names `{rule}`, which is not a rule of {origin}")
            }
            FailureKind::Missing { comment_line } => write!(
                f,
                "{file}:{line}: missing finding: `{rule}` should flag this line (annotated on line {comment_line})"
            ),
            FailureKind::FalsePositive => write!(f, "{file}:{line}: false positive: `{rule}` flags a line annotated `# ok`"),
            FailureKind::TodoRuleIdFlagged => write!(
                f,
                "{file}:{line}: `{rule}` now flags a line annotated `# todoruleid`: make it `# ruleid`"
            ),
            FailureKind::TodoOkClean => write!(
                f,
                "{file}:{line}: `{rule}` no longer flags a line annotated `# todook`: make it `# ok`"
            ),
            FailureKind::Unexpected { column, message } => {
                write!(f, "{file}:{line}:{column}: unexpected finding: `{rule}` ({message}) on a line with no annotation")
            }
        }
    }
}

/// The outcome of one annotated test file.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub failures: Vec<Failure>,
    /// For each rule id asked about, in order: its `ruleid` and `ok` annotations in the file.
    pub counts: Vec<(usize, usize)>,
}

/// Runs the rules `rule_ids` of `engine` (and only them) on the annotated test file `src`
/// (shown as `display`) and checks every annotation and finding. `origin` names the rule file
/// in messages about annotations of other rules.
pub fn check_annotated(engine: &Engine, rule_ids: &[String], origin: &str, display: &str, src: &str) -> FileOutcome {
    let opts = Options { select: rule_ids.to_vec(), ..Options::default() };
    let result = if Engine::is_dependency_file(display) {
        engine.check_dependency_file(display, src, &opts).result
    } else {
        engine.check_source(display, src, &opts)
    };
    let fail = |line: u32, rule: &str, kind: FailureKind| Failure { file: display.to_string(), line, rule: rule.to_string(), kind };
    let mut failures: Vec<Failure> = Vec::new();
    for e in &result.errors {
        let kind = FailureKind::SyntaxError { column: e.column.unwrap_or(0), message: e.message.clone() };
        failures.push(fail(e.line.unwrap_or(0), "", kind));
    }
    let annotations = parse_annotations(src);
    for a in annotations.iter().filter(|a| !rule_ids.contains(&a.rule)) {
        failures.push(fail(a.comment_line, &a.rule, FailureKind::UnknownRule { origin: origin.to_string() }));
    }
    let flagged = |rule: &str, line: u32| result.findings.iter().any(|f| f.rule_id == rule && f.line == line);
    for a in &annotations {
        let hit = flagged(&a.rule, a.target_line);
        let kind = match a.kind {
            AnnotationKind::RuleId if !hit => FailureKind::Missing { comment_line: a.comment_line },
            AnnotationKind::Ok if hit => FailureKind::FalsePositive,
            AnnotationKind::TodoRuleId if hit => FailureKind::TodoRuleIdFlagged,
            AnnotationKind::TodoOk if !hit => FailureKind::TodoOkClean,
            _ => continue,
        };
        failures.push(fail(a.target_line, &a.rule, kind));
    }
    for f in &result.findings {
        // A finding on an annotated line was judged above, once per annotation.
        let annotated = annotations.iter().any(|a| a.rule == f.rule_id && a.target_line == f.line);
        if !annotated {
            failures.push(fail(f.line, &f.rule_id, FailureKind::Unexpected { column: f.column, message: f.message.clone() }));
        }
    }
    let counts = rule_ids
        .iter()
        .map(|id| {
            let count = |k: AnnotationKind| annotations.iter().filter(|a| a.kind == k && &a.rule == id).count();
            (count(AnnotationKind::RuleId), count(AnnotationKind::Ok))
        })
        .collect();
    FileOutcome { failures, counts }
}

/// A rule file under test: an engine to run it with, and the ids of its rules.
pub struct RuleFileEngine {
    pub engine: Engine,
    /// The file's rules, in file order (empty for a file of taint sources and sanitizers only).
    pub rule_ids: Vec<String>,
}

/// An empty rule set that knows the native checks.
fn base_rules(lazy: bool) -> RuleSet {
    let mut rs = if lazy { RuleSet::with_lazy_regexes() } else { RuleSet::default() };
    rs.native_checks = crate::native_check_names();
    rs
}

/// The built-in rule files, taint libraries first (rules include them), as (name, JSON).
fn builtin_files() -> impl Iterator<Item = (String, &'static str)> {
    let (libs, rules): (Vec<_>, Vec<_>) = BUILTIN_RULE_FILES.iter().partition(|(p, _)| p.starts_with("taint/"));
    libs.into_iter().chain(rules).map(|&(p, text)| (format!("rules/{p}"), text))
}

/// The ids of the rules of `text`, loaded after the built-in taint libraries (which its rules
/// may include) or, for a copy of one of them, alone. Errors are the file's.
fn rule_ids_of(file: &str, text: &str) -> Result<Vec<String>, RuleError> {
    let ids = |rs: &RuleSet| rs.rules.iter().filter(|r| r.meta.source == file).map(|r| r.meta.id.clone()).collect();
    let mut with_libs = base_rules(false);
    for (name, json) in builtin_files().filter(|(n, _)| n.starts_with("rules/taint/")) {
        with_libs.add_json(&name, json)?;
    }
    match with_libs.add_yaml(file, text) {
        Ok(_) => Ok(ids(&with_libs)),
        Err(first) => {
            let mut alone = base_rules(false);
            alone.add_yaml(file, text).map_err(|_| first)?;
            Ok(ids(&alone))
        }
    }
}

/// The engine `pyward test` runs one rule file (named `file` in rule sources and errors) with:
/// the built-in rules, as in a scan with `--rules`, then the file's. A built-in rule file under
/// test (`pyward test rules/`) replaces its built-in copy, so that an edited rule is the one
/// tested.
pub fn engine_for_rule_file(file: &str, text: &str) -> Result<RuleFileEngine, RuleError> {
    let rule_ids = rule_ids_of(file, text)?;
    if rule_ids.is_empty() {
        return Ok(RuleFileEngine { engine: Engine::from_rules(base_rules(false)), rule_ids });
    }
    // The built-in files that define one of the file's rule ids are the ones it replaces.
    let builtin = Engine::builtin()?;
    let replaced: Vec<&str> =
        builtin.rules().iter().filter(|r| rule_ids.contains(&r.meta.id)).map(|r| r.meta.source.as_str()).collect();
    let mut rs = base_rules(true);
    for (name, json) in builtin_files().filter(|(n, _)| !replaced.contains(&n.as_str())) {
        rs.add_json(&name, json)?;
    }
    rs.lazy_regexes = false;
    rs.add_yaml(file, text)?;
    Ok(RuleFileEngine { engine: Engine::from_rules(rs), rule_ids })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    const RULE: &str = "rules:
  - id: no-eval
    languages: [python]
    severity: HIGH
    message: eval
    pattern: eval(...)
";

    fn run(src: &str) -> Vec<String> {
        let mut rs = RuleSet::default();
        rs.add_yaml("no-eval.yaml", RULE).expect("rule loads");
        let engine = Engine::from_rules(rs);
        check_annotated(&engine, &["no-eval".to_string()], "no-eval.yaml", "t.py", src).failures.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn parses_every_kind_and_stacked_comments() {
        let a = parse_annotations("# todook: a\n# ruleid: b, c\nx()\n# ok: d\ny()\n# todoruleid: e\nz()\n");
        let kinds: Vec<(AnnotationKind, &str, u32)> = a.iter().map(|a| (a.kind, a.rule.as_str(), a.target_line)).collect();
        assert_eq!(
            kinds,
            [
                (AnnotationKind::TodoOk, "a", 3),
                (AnnotationKind::RuleId, "b", 3),
                (AnnotationKind::RuleId, "c", 3),
                (AnnotationKind::Ok, "d", 5),
                (AnnotationKind::TodoRuleId, "e", 7)
            ]
        );
    }

    #[test]
    fn semgrep_semantics() {
        assert!(run("# ruleid: no-eval\neval(a)\n# ok: no-eval\nprint(a)\n# todoruleid: no-eval\nexec(a)\n# todook: no-eval\neval('1')\n").is_empty());
        assert_eq!(run("# ruleid: no-eval\nprint(a)\n"), ["t.py:2: missing finding: `no-eval` should flag this line (annotated on line 1)"]);
        assert_eq!(run("# ok: no-eval\neval(a)\n"), ["t.py:2: false positive: `no-eval` flags a line annotated `# ok`"]);
        assert_eq!(run("# todoruleid: no-eval\neval(a)\n").len(), 1);
        assert_eq!(run("# todook: no-eval\nprint(a)\n").len(), 1);
        assert_eq!(run("eval(a)\n"), ["t.py:1:1: unexpected finding: `no-eval` (eval) on a line with no annotation"]);
        assert_eq!(run("# ruleid: other\neval(a)\n").len(), 3, "an unknown rule, its missing finding, and the unannotated finding");
    }
}
