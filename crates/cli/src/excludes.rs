//! Which paths a scan leaves out: Ruff's default excludes, the configured `exclude`,
//! `extend-exclude` and `per-file-ignores` globs (matched as Ruff matches them), and `.pyi`
//! stubs unless asked for.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::Resolver;

/// The directories and files no scan walks into unless `exclude` replaces this list: Ruff's
/// defaults (virtual environments, version control, caches, build output).
pub const DEFAULT_EXCLUDES: [&str; 18] = [
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// Glob patterns matched as Ruff matches `exclude`: a path matches when a pattern matches its
/// name (so `.venv` leaves out every directory of that name, at any depth, as the walk reaches
/// it) or its path relative to `root` (`src/gen/*.py`, relative to the configuration file's
/// directory, or to the current directory for patterns given on the command line).
pub struct Globs {
    root: PathBuf,
    patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    /// The patterns, checked; the error names the bad pattern and why.
    pub fn new(root: &Path, patterns: &[String]) -> Result<Globs, String> {
        let mut b = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for p in patterns {
            // `./src/` and `src` are the same pattern.
            let norm = p.strip_prefix("./").unwrap_or(p).trim_end_matches('/');
            let glob = Glob::new(norm).map_err(|e| format!("bad glob `{p}`: {}", e.kind()))?;
            b.add(glob);
            kept.push(p.clone());
        }
        let set = b.build().map_err(|e| format!("bad glob: {e}"))?;
        Ok(Globs { root: root.to_path_buf(), patterns: kept, set })
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// The first pattern matching the absolute path `abs` (by name or relative path).
    pub fn matching(&self, abs: &Path) -> Option<&str> {
        if self.patterns.is_empty() {
            return None;
        }
        let mut hits = self.set.matches(abs.file_name()?);
        if let Ok(rel) = abs.strip_prefix(&self.root) {
            if !rel.as_os_str().is_empty() {
                hits.extend(self.set.matches(rel));
            }
        }
        hits.into_iter().min().and_then(|i| self.patterns.get(i)).map(String::as_str)
    }
}

/// The exclude lists of one configuration, layered with the command line's.
pub struct Excludes {
    /// `exclude` (or `--exclude`, or the defaults), `extend-exclude`, `--extend-exclude`.
    pub lists: Vec<Globs>,
}

impl Excludes {
    /// The pattern that leaves out the absolute path `abs` (looking at its own name only).
    pub fn matching(&self, abs: &Path) -> Option<&str> {
        self.lists.iter().find_map(|g| g.matching(abs))
    }

    /// For a path named on the command line (with `--force-exclude`): the pattern that leaves
    /// out it or one of its directories below `root` (the directory of its configuration; a
    /// `build` directory above the project does not exclude the project).
    pub fn matching_named(&self, abs: &Path, root: &Path) -> Option<&str> {
        if !abs.starts_with(root) {
            return self.matching(abs);
        }
        // Bounded by the path's depth; the outermost match is the one a walk stops at.
        let below: Vec<&Path> = abs.ancestors().take_while(|a| *a != root && a.starts_with(root)).collect();
        below.into_iter().rev().find_map(|a| self.matching(a))
    }
}

/// Whether `path` is a Python stub (`.pyi`).
pub fn is_stub(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "pyi")
}

/// `p` as an absolute path below `cwd`, without `.` components (`..` stays: the name the user
/// gave is what patterns see).
pub fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) };
    joined.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

/// The walk's filter: whether the walk keeps `entry` (a directory it enters or a file it
/// yields). The walk's roots (named on the command line) are always kept; below them, a
/// directory or Python file matching the excludes of its directory's configuration is left out,
/// and so is a `.pyi` stub unless `include-stubs` is on. Other files are kept (the walk picks
/// Python files out of them).
pub fn walk_filter(resolver: Arc<Resolver>) -> impl Fn(&ignore::DirEntry) -> bool + Send + Sync + 'static {
    move |entry| {
        if entry.depth() == 0 {
            return true;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        let path = entry.path();
        if !is_dir && !crate::is_python(path) && !is_stub(path) {
            return true;
        }
        let abs = resolver.absolute(path);
        let settings = resolver.for_file(&abs);
        if settings.excludes.matching(&abs).is_some() {
            return false;
        }
        is_dir || !is_stub(path) || settings.include_stubs
    }
}
