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
//!
//! A directory whose name ends in `-project` is one project, scanned as the CLI scans a
//! directory (flows across its files, `Engine::check_project`, module names relative to it);
//! there the two directions are needed in the project, not in each file.

use std::path::{Path, PathBuf};

use pyward_engine::project::{relative_naming, ModuleFile, ProjectFile};
use pyward_engine::{Engine, FileResult, Options};
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
    // Each file with its result and its unit (the file, or its project's directory).
    let mut checked: Vec<(String, String, FileResult, PathBuf)> = Vec::new();
    let (projects, single): (Vec<&PathBuf>, Vec<&PathBuf>) = files.iter().partition(|p| project_of(p).is_some());
    for path in single {
        let display = path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{display}: {e}"));
        let result = engine.check_source(&display, &src, &Options::default());
        checked.push((display, src, result, path.clone()));
    }
    let mut dirs: Vec<PathBuf> = projects.iter().filter_map(|p| project_of(p)).collect();
    dirs.dedup();
    for dir in dirs {
        checked.extend(check_project(&engine, &root, &dir, projects.iter().filter(|p| p.starts_with(&dir))));
    }
    let mut directions: std::collections::BTreeMap<PathBuf, (usize, usize, String)> = Default::default();
    for (display, src, result, unit) in &checked {
        if !src.lines().next().is_some_and(|l| l.starts_with("# exercises: ") && l.len() > 20) {
            failures.push(format!("{display}:1: the first line must say `# exercises: <what this file tests>`"));
        }
        for e in &result.errors {
            failures.push(format!("{display}:{}: analysis error: {}", e.line.unwrap_or(0), e.message));
        }
        let annotations = parse_annotations(src);
        for a in &annotations {
            if !ids.contains(&a.rule) {
                failures.push(format!("{display}:{}: `{}` is not a built-in rule", a.comment_line, a.rule));
            }
        }
        let count = |k: AnnotationKind| annotations.iter().filter(|a| a.kind == k).count();
        let d = directions.entry(unit.clone()).or_insert((0, 0, display.clone()));
        d.0 += count(AnnotationKind::RuleId) + count(AnnotationKind::TodoRuleId);
        d.1 += count(AnnotationKind::Ok);
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
    for (vulnerable, safe, display) in directions.values() {
        if *vulnerable == 0 || *safe == 0 {
            failures.push(format!("{display}: needs both a vulnerable twin (`# ruleid:`) and a safe twin (`# ok:`)"));
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

/// The project directory (named `*-project`) a file is in, if any.
fn project_of(path: &Path) -> Option<PathBuf> {
    path.ancestors().skip(1).find(|d| d.file_name().is_some_and(|n| n.to_string_lossy().ends_with("-project"))).map(Path::to_path_buf)
}

/// The files of one project directory, scanned together: (shown path, text, result, the
/// project directory) each.
fn check_project<'p>(engine: &Engine, root: &Path, dir: &Path, files: impl Iterator<Item = &'p &'p PathBuf>) -> Vec<(String, String, FileResult, PathBuf)> {
    let files: Vec<&PathBuf> = files.copied().collect();
    let shown: Vec<String> = files.iter().map(|p| p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")).collect();
    let srcs: Vec<String> = files.iter().zip(&shown).map(|(p, d)| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{d}: {e}"))).collect();
    let naming: Vec<(Vec<String>, String)> = files
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/");
            let (name, package) = relative_naming(&rel);
            (vec![name], package)
        })
        .collect();
    let project: Vec<ProjectFile<'_>> = shown
        .iter()
        .zip(&srcs)
        .zip(&naming)
        .map(|((path, src), (names, package))| ProjectFile { file: ModuleFile { path, names, package }, src: Some(src) })
        .collect();
    let results = engine.check_project(&project, &Options::default());
    shown.into_iter().zip(srcs).zip(results).map(|((d, s), r)| (d, s, r, dir.to_path_buf())).collect()
}
