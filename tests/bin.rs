//! Running the `pyward` binary from tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::repo_root;

/// The `pyward` binary, built (once up to date, `cargo build` is quick) in the target
/// directory cargo uses (`CARGO_TARGET_DIR`, else the repository's `target/`).
pub fn pyward_bin() -> PathBuf {
    let root = repo_root();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--bin", "pyward"])
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building pyward failed");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let target = if target.is_absolute() { target } else { root.join(target) };
    target.join("debug/pyward")
}

/// Runs `pyward ARGS` in `dir`.
pub fn run_pyward(dir: &Path, args: &[&str]) -> Output {
    Command::new(pyward_bin()).args(args).current_dir(dir).output().expect("pyward runs")
}

/// A fresh empty directory under the system's temporary directory, for test `name`.
pub fn temp_workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pyward-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}
