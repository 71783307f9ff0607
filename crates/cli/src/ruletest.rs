//! `pyward test PATH`: each rule file under PATH runs against the annotated `.py` file beside
//! it (same stem) and any `*.py` in the folder of that stem, with `semgrep --test`'s
//! annotations (see `pyward_engine::ruletest`). Prints PASS or FAIL per rule with the lines
//! that differ; any failure makes the exit code 1.

use std::path::{Path, PathBuf};

use pyward_engine::report::escape_control;
use pyward_engine::ruletest::{check_annotated, engine_for_rule_file, Failure, RuleFileEngine};

/// What one rule file's test gave: per rule, its failures.
struct RuleFileOutcome {
    rules: Vec<(String, Vec<Failure>)>,
    /// Failures of the file as a whole (no test file, a file that cannot be read or loaded).
    file_errors: Vec<String>,
}

/// Runs the tests under `paths`; writes the report to `out`. Returns whether all passed.
pub fn run(paths: &[PathBuf], out: &mut String) -> Result<bool, String> {
    let mut files = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
        files.extend(crate::rule_files(p));
    }
    if files.is_empty() {
        return Err("no rule files (.yaml, .yml) to test".into());
    }
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        let outcome = test_rule_file(file);
        for e in &outcome.file_errors {
            failed += 1;
            out.push_str(&format!("FAIL {}: {}\n", show(file), escape_control(e)));
        }
        for (rule, failures) in &outcome.rules {
            if failures.is_empty() {
                passed += 1;
                out.push_str(&format!("PASS {rule} ({})\n", show(file)));
            } else {
                failed += 1;
                out.push_str(&format!("FAIL {rule} ({})\n", show(file)));
                for f in failures {
                    out.push_str(&format!("    {}\n", escape_control(&f.to_string())));
                }
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    Ok(failed == 0)
}

fn show(p: &Path) -> String {
    escape_control(&p.display().to_string()).into_owned()
}

/// The test files of a rule file: `<stem>.py`, then the `*.py` of the folder `<stem>/`, in
/// name order (for rules that judge a whole file, one case a file).
fn test_files(rule_file: &Path) -> Vec<PathBuf> {
    let stem = rule_file.with_extension("");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&stem)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "py")).collect())
        .unwrap_or_default();
    files.sort();
    let beside = stem.with_extension("py");
    if beside.is_file() {
        files.insert(0, beside);
    }
    files
}

fn test_rule_file(file: &Path) -> RuleFileOutcome {
    let mut outcome = RuleFileOutcome { rules: Vec::new(), file_errors: Vec::new() };
    let name = file.display().to_string();
    let loaded = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read: {e}"))
        .and_then(|text| engine_for_rule_file(&name, &text).map_err(|e| e.to_string()));
    let RuleFileEngine { engine, rule_ids: ids } = match loaded {
        Ok(l) => l,
        Err(e) => {
            outcome.file_errors.push(e);
            return outcome;
        }
    };
    // A file of taint sources and sanitizers only has no rule to test.
    if ids.is_empty() {
        return outcome;
    }
    let tests = test_files(file);
    if tests.is_empty() {
        outcome.file_errors.push(format!("no test file {}", file.with_extension("py").display()));
        return outcome;
    }
    outcome.rules = ids.iter().map(|id| (id.clone(), Vec::new())).collect();
    for t in &tests {
        let src = match std::fs::read_to_string(t) {
            Ok(s) => s,
            Err(e) => {
                outcome.file_errors.push(format!("{}: cannot read: {e}", t.display()));
                continue;
            }
        };
        let result = check_annotated(&engine, &ids, &name, &t.display().to_string(), &src);
        for f in result.failures {
            // An annotation of a rule the file lacks concerns the file; a syntax error, every rule.
            if !f.rule.is_empty() && !ids.contains(&f.rule) {
                outcome.file_errors.push(f.to_string());
                continue;
            }
            for (_, failures) in outcome.rules.iter_mut().filter(|(r, _)| f.rule.is_empty() || *r == f.rule) {
                failures.push(f.clone());
            }
        }
    }
    outcome
}
