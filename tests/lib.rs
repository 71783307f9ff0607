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
