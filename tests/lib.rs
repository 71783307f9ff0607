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

/// A rule's test files: `rules/<family>/<id>.py`, then any `*.py` in `rules/<family>/<id>/`
/// (for rules that judge a whole file, one case per file), in name order.
pub fn rule_test_files(root: &std::path::Path, stem: &str) -> Vec<std::path::PathBuf> {
    let mut extra: Vec<std::path::PathBuf> = std::fs::read_dir(root.join(stem))
        .map(|entries| {
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "py")).collect()
        })
        .unwrap_or_default();
    extra.sort();
    let mut files = vec![root.join(format!("{stem}.py"))];
    files.extend(extra);
    files
}
