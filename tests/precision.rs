//! The precision suite: for each dataflow capability, a vulnerable twin and a safe twin, in
//! the style of real Flask, Django and FastAPI code (`tests/precision/*.py`).
//!
//! Every file runs with all built-in rules, as a user would run pyward. It states what it
//! exercises on a first line `# exercises: ...`, and marks lines with the rule harness's
//! annotations (see `tests/fixtures.rs`):
//! - `# ruleid: <id>`: the next line must be flagged by <id> (the vulnerable twin);
//! - `# ok: <id>`: the next line must not be flagged by <id> (the safe twin);
//! - `# todoruleid: <id>`: a known miss, allowed either way and listed.
//!
//! The check is stricter than the rule harness: a finding of *any* rule on a line that is not
//! annotated `ruleid`/`todoruleid` for that rule fails, so a safe twin is clean of every rule,
//! not just of the one it names. Every file needs both directions: at least one `ruleid` and
//! one `ok`. `PYWARD_PRECISION_FILTER=<substring>` limits the run to matching files.

use std::path::{Path, PathBuf};

use pyward_engine::{Engine, Options};
use pyward_tests::{parse_annotations, repo_root, AnnotationKind};

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            python_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}

#[test]
fn every_vulnerable_twin_is_flagged_and_every_safe_twin_is_clean() {
    let engine = Engine::builtin().unwrap_or_else(|e| panic!("built-in rules failed to load: {e}"));
    let filter = std::env::var("PYWARD_PRECISION_FILTER").unwrap_or_default();
    let root = repo_root();
    let mut files = Vec::new();
    python_files(&root.join("tests").join("precision"), &mut files);
    files.retain(|p| p.to_string_lossy().contains(&filter));
    assert!(!files.is_empty(), "no precision files matched PYWARD_PRECISION_FILTER={filter:?}");
    let ids: Vec<String> = engine.rules().iter().map(|r| r.meta.id.clone()).collect();
    let mut failures = Vec::new();
    let (mut vulnerable, mut safe, mut todo) = (0, 0, Vec::new());
    for path in &files {
        let display = path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{display}: {e}"));
        if !src.lines().next().is_some_and(|l| l.starts_with("# exercises: ") && l.len() > 20) {
            failures.push(format!("{display}:1: the first line must say `# exercises: <what this file tests>`"));
        }
        let result = engine.check_source(&display, &src, &Options::default());
        for e in &result.errors {
            failures.push(format!("{display}:{}: analysis error: {}", e.line.unwrap_or(0), e.message));
        }
        let annotations = parse_annotations(&src);
        for a in &annotations {
            if !ids.contains(&a.rule) {
                failures.push(format!("{display}:{}: `{}` is not a built-in rule", a.comment_line, a.rule));
            }
        }
        let count = |k: AnnotationKind| annotations.iter().filter(|a| a.kind == k).count();
        if count(AnnotationKind::RuleId) + count(AnnotationKind::TodoRuleId) == 0 || count(AnnotationKind::Ok) == 0 {
            failures.push(format!("{display}: needs both a vulnerable twin (`# ruleid:`) and a safe twin (`# ok:`)"));
        }
        vulnerable += count(AnnotationKind::RuleId);
        safe += count(AnnotationKind::Ok);
        let hit = |rule: &str, line: u32| result.findings.iter().any(|f| f.rule_id == rule && f.line == line);
        for a in &annotations {
            match a.kind {
                AnnotationKind::RuleId if !hit(&a.rule, a.target_line) => {
                    failures.push(format!("{display}:{}: missed: `{}` should flag this line", a.target_line, a.rule))
                }
                AnnotationKind::Ok if hit(&a.rule, a.target_line) => {
                    failures.push(format!("{display}:{}: false alarm: `{}` flags a safe line", a.target_line, a.rule))
                }
                AnnotationKind::TodoRuleId if !hit(&a.rule, a.target_line) => todo.push(format!("{display}:{} `{}`", a.target_line, a.rule)),
                _ => {}
            }
        }
        for f in &result.findings {
            let expected = annotations.iter().any(|a| {
                a.rule == f.rule_id && a.target_line == f.line && matches!(a.kind, AnnotationKind::RuleId | AnnotationKind::TodoRuleId)
            });
            if !expected {
                failures.push(format!("{display}:{}:{}: unexpected `{}`: {}", f.line, f.column, f.rule_id, f.message));
            }
        }
    }
    eprintln!("precision suite: {} files, {vulnerable} vulnerable lines, {safe} safe lines", files.len());
    for t in &todo {
        eprintln!("  known miss: {t}");
    }
    if !failures.is_empty() {
        panic!("{} precision failure(s):\n  {}", failures.len(), failures.join("\n  "));
    }
}
