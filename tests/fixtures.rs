//! The rule harness: every built-in rule file runs against the annotated test file beside it.
//!
//! `# ruleid: <id>` on its own line: the next line must be flagged by <id>.
//! `# ok: <id>`: the next line must not be. `# todoruleid: <id>`: a known miss (must not be
//! flagged yet); `# todook: <id>`: a known false positive (must still be flagged), as in
//! `semgrep --test` (the engine's `ruletest` module, shared with `pyward test`).
//! Any other finding of the rule fails, and every failure names the file and line. A rule that judges a whole file (a missing setting) may
//! have more cases in `rules/<family>/<id>/*.py`, one module each; the counts add up.
//! `PYWARD_RULES_FILTER=<substring>` limits the run to matching
//! rule files.

use std::collections::BTreeSet;

use pyward_engine::ruletest::check_annotated;
use pyward_engine::{Engine, BUILTIN_RULE_FILES};
use pyward_tests::{repo_root, rule_test_files};

const REQUIRED_DOC_SECTIONS: &[&str] = &["## What it does", "## Why is this bad?", "## Example", "Use instead", "## References"];

#[test]
fn every_rule_passes_its_annotated_test_file() {
    let engine = pyward_tests::engine_with_dependency_data();
    let filter = std::env::var("PYWARD_RULES_FILTER").unwrap_or_default();
    let root = repo_root().join("rules");
    let mut failures: Vec<String> = Vec::new();
    let mut checked_rules = 0;
    let mut checked_files = 0;
    for (path, _) in BUILTIN_RULE_FILES {
        if !path.contains(&filter) {
            continue;
        }
        let rule_ids: Vec<String> = engine
            .rules()
            .iter()
            .filter(|r| r.meta.source == format!("rules/{path}"))
            .map(|r| r.meta.id.clone())
            .collect();
        // Taint libraries (`rules/taint/`) hold shared sources and sanitizers, no rules: the
        // rules that include them test them.
        if rule_ids.is_empty() && path.starts_with("taint/") {
            continue;
        }
        let stem = path.trim_end_matches(".yaml").trim_end_matches(".yml").to_string();
        let test_path = root.join(format!("{stem}.py"));
        let files = rule_test_files(&root, &stem);
        if files.is_empty() {
            failures.push(format!("rules/{stem}.py: missing test file for rules/{path} ({})", test_path.display()));
            continue;
        }
        let mut counts: Vec<(usize, usize)> = vec![(0, 0); rule_ids.len()];
        for file in files {
            checked_files += 1;
            let display = format!("rules/{}", file.strip_prefix(&root).unwrap_or(&file).to_string_lossy().replace('\\', "/"));
            let src = match std::fs::read_to_string(&file) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(format!("{display}: cannot read ({e})"));
                    continue;
                }
            };
            for (i, c) in check_test_file(&engine, path, &rule_ids, &display, &src, &mut failures).into_iter().enumerate() {
                counts[i].0 += c.0;
                counts[i].1 += c.1;
            }
        }
        for (id, (ruleid, ok)) in rule_ids.iter().zip(counts) {
            checked_rules += 1;
            if ruleid < 2 || ok < 2 {
                failures.push(format!(
                    "rules/{stem}.py: rule `{id}` needs at least 2 `# ruleid:` and 2 `# ok:` cases (has {ruleid} and {ok})"
                ));
            }
            check_metadata(&engine, path, id, &mut failures);
        }
    }
    assert!(checked_files > 0, "no rule files matched PYWARD_RULES_FILTER={filter:?}");
    eprintln!("checked {checked_rules} rules in {checked_files} files");
    if !failures.is_empty() {
        panic!("{} rule test failure(s):\n  {}", failures.len(), failures.join("\n  "));
    }
}

/// Runs the rules of `rules/<path>` on one annotated test file (with the engine's
/// `semgrep --test` semantics, as `pyward test` does), records every failure, and returns each
/// rule's number of `ruleid` and `ok` annotations in it.
fn check_test_file(
    engine: &Engine,
    path: &str,
    rule_ids: &[String],
    display: &str,
    src: &str,
    failures: &mut Vec<String>,
) -> Vec<(usize, usize)> {
    let outcome = check_annotated(engine, rule_ids, &format!("rules/{path}"), display, src);
    failures.extend(outcome.failures.iter().map(|f| f.to_string()));
    outcome.counts
}

/// The metadata every built-in rule must have: docs sections, remediation, CWE, OWASP,
/// references and a title.
fn check_metadata(engine: &Engine, path: &str, id: &str, failures: &mut Vec<String>) {
    let meta = &engine.rule(id).expect("rule exists").meta;
    for s in REQUIRED_DOC_SECTIONS {
        if !meta.docs.contains(s) {
            failures.push(format!("rules/{path}: rule `{id}` docs lack the section `{s}`"));
        }
    }
    if meta.remediation.is_none() {
        failures.push(format!("rules/{path}: rule `{id}` has no metadata.pyward.remediation"));
    }
    if meta.cwe.is_none() || meta.owasp.is_none() || meta.references.is_empty() {
        failures.push(format!("rules/{path}: rule `{id}` needs metadata cwe, owasp and references"));
    }
    if meta.title == meta.id {
        failures.push(format!("rules/{path}: rule `{id}` needs metadata.title"));
    }
}

#[test]
fn there_are_at_least_40_builtin_rules() {
    let engine = Engine::builtin().expect("built-in rules load");
    assert!(engine.rules().len() >= 40, "only {} built-in rules", engine.rules().len());
}

#[test]
fn readme_lists_every_builtin_rule() {
    let engine = Engine::builtin().expect("built-in rules load");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let listed: BTreeSet<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(id, _)| id))
        .collect();
    let rules: BTreeSet<&str> = engine.rules().iter().map(|r| r.meta.id.as_str()).collect();
    assert_eq!(listed, rules, "README.md's rule table differs from the built-in rules");
    let count = format!("{} built-in rules", rules.len());
    assert!(readme.contains(&count), "README.md should say \"{count}\"");
}
