//! Shared helpers for pyward's cross-crate tests.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("repo root")
}

/// One Semgrep-style annotation in a rule's test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub kind: AnnotationKind,
    pub rule: String,
    /// 1-based line the annotation applies to (the next non-annotation line).
    pub target_line: u32,
    /// 1-based line of the comment itself.
    pub comment_line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationKind {
    RuleId,
    Ok,
    TodoRuleId,
}

/// Parses `# ruleid: a, b`, `# ok: a` and `# todoruleid: a` comments that stand alone on a line.
pub fn parse_annotations(src: &str) -> Vec<Annotation> {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Vec::new();
    let parse = |l: &str| -> Option<(AnnotationKind, Vec<String>)> {
        let t = l.trim();
        let body = t.strip_prefix('#')?.trim();
        let (kind, rest) = if let Some(r) = body.strip_prefix("ruleid:") {
            (AnnotationKind::RuleId, r)
        } else if let Some(r) = body.strip_prefix("todoruleid:") {
            (AnnotationKind::TodoRuleId, r)
        } else if let Some(r) = body.strip_prefix("ok:") {
            (AnnotationKind::Ok, r)
        } else {
            return None;
        };
        Some((kind, rest.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()))
    };
    for (i, l) in lines.iter().enumerate() {
        let Some((kind, rules)) = parse(l) else { continue };
        let mut j = i + 1;
        while j < lines.len() && parse(lines[j]).is_some() {
            j += 1;
        }
        for rule in rules {
            out.push(Annotation { kind, rule, target_line: j as u32 + 1, comment_line: i as u32 + 1 });
        }
    }
    out
}

/// The built-in engine with the shipped dependency data (`crates/engine/data/`), as the CLI
/// loads it.
pub fn engine_with_dependency_data() -> pyward_engine::Engine {
    let mut engine = pyward_engine::Engine::builtin().unwrap_or_else(|e| panic!("built-in rules failed to load: {e}"));
    let data = repo_root().join("crates/engine/data");
    let read = |f: &str| std::fs::read_to_string(data.join(f)).unwrap_or_else(|e| panic!("crates/engine/data/{f}: {e}"));
    engine.set_advisories(&read("advisories.tsv"));
    engine.set_popular(&read("popular.txt"));
    engine
}

/// The `pyward` binary, built (debug) if needed.
pub fn pyward_bin() -> PathBuf {
    let root = repo_root();
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--bin", "pyward"])
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building pyward failed");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    target.join("debug/pyward")
}
