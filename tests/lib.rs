//! Shared helpers for pyward's cross-crate tests.

use std::path::{Path, PathBuf};

pub mod bin;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("repo root")
}

/// The annotations of rule test files: the engine's, which `pyward test` uses too.
pub use pyward_engine::ruletest::{parse_annotations, Annotation, AnnotationKind};

/// The `pyward` binary (built if needed) and a fresh temporary directory per test.
pub use bin::{pyward_bin, temp_workdir as workdir};

/// A rule's test files: `rules/<family>/<id>.py` (when there is one), then any `*.py` or
/// dependency file with `#` comments in `rules/<family>/<id>/` (for rules that judge a whole
/// file, one case per file), in name order.
pub fn rule_test_files(root: &std::path::Path, stem: &str) -> Vec<std::path::PathBuf> {
    let annotatable = |p: &std::path::Path| {
        let name = p.to_string_lossy();
        // Pipfile.lock is JSON, which has no comments to annotate.
        p.extension().is_some_and(|x| x == "py") || (pyward_engine::Engine::is_dependency_file(&name) && !name.ends_with("Pipfile.lock"))
    };
    let mut extra: Vec<std::path::PathBuf> = std::fs::read_dir(root.join(stem))
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| annotatable(p)).collect())
        .unwrap_or_default();
    extra.sort();
    let main = root.join(format!("{stem}.py"));
    let mut files = if main.exists() { vec![main] } else { Vec::new() };
    files.extend(extra);
    files
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
