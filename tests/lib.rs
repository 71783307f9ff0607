//! Shared helpers for pyward's cross-crate tests.

use std::path::{Path, PathBuf};

pub mod bin;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("repo root")
}

/// The annotations of rule test files: the engine's, which `pyward test` uses too.
pub use pyward_engine::ruletest::{parse_annotations, Annotation, AnnotationKind};

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

/// A fresh, empty temporary directory for one test (`name`) of this process.
pub fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pyward-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
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
