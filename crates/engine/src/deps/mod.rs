//! The dependency audit: the stage after `findings` for dependency files (`requirements*.txt`,
//! `pyproject.toml`, `poetry.lock`, `uv.lock`, `Pipfile`, `Pipfile.lock`).
//!
//! 1. `requirements` and `toml_files` read a file into [`Parsed`]: the requirements it declares
//!    (name, what versions it allows, where in the file), the package indexes it names, the
//!    files it includes (`-r`/`-c`; the CLI resolves and reads them) and its malformed lines.
//! 2. `data` holds the shipped tables: the advisories (`data/advisories.tsv`, passed in by the
//!    CLI or the browser, never embedded here) and the popular package names (`typosquat`).
//! 3. `audit` turns both into findings of the `dependencies` rules; `imports` gives it the
//!    imports of Python files that no declared dependency provides (typosquats there too).
//!
//! Nothing here panics on user input; a malformed line is an error at its line and column and
//! the rest of the file is still read.

#[cfg(feature = "deps")]
pub mod audit;
#[cfg(feature = "deps")]
pub mod data;
#[cfg(feature = "deps")]
pub mod imports;
#[cfg(feature = "deps")]
pub mod requirements;
#[cfg(feature = "deps")]
pub mod toml_files;
#[cfg(feature = "deps")]
pub mod typosquat;

#[cfg(feature = "deps")]
use pep508_rs::pep440_rs::{Version, VersionSpecifiers};

/// The native check names of the dependency rules (`metadata.pyward.native`).
pub const VULNERABLE: &str = "dependency-vulnerable";
pub const TYPOSQUAT: &str = "dependency-typosquat";
pub const UNCOMMON: &str = "dependency-uncommon";
pub const LOOSE: &str = "dependency-loose-range";
pub const UNTRUSTED: &str = "dependency-untrusted-source";

/// Every dependency check, for rule loading (also in a build without the `deps` feature: the
/// rules that name them still load, and find nothing).
pub const CHECK_NAMES: &[&str] = &[VULNERABLE, TYPOSQUAT, UNCOMMON, LOOSE, UNTRUSTED];

/// The kinds of dependency file pyward reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `requirements*.txt`, `*requirements.txt`, `constraints*.txt`, `requirements*.in`.
    Requirements,
    PyProject,
    PoetryLock,
    UvLock,
    Pipfile,
    PipfileLock,
}

impl FileKind {
    /// The kind of a file, from its name (the last path component), or `None` for other files.
    pub fn of(path: &str) -> Option<FileKind> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "pyproject.toml" => return Some(FileKind::PyProject),
            "poetry.lock" => return Some(FileKind::PoetryLock),
            "uv.lock" => return Some(FileKind::UvLock),
            "pipfile" => return Some(FileKind::Pipfile),
            "pipfile.lock" => return Some(FileKind::PipfileLock),
            _ => {}
        }
        let stem = lower.strip_suffix(".txt").or_else(|| lower.strip_suffix(".in"))?;
        let named = stem.starts_with("requirements") || stem.ends_with("requirements") || stem.starts_with("constraints");
        named.then_some(FileKind::Requirements)
    }

    /// Whether the file is a lock file (every version exact, chosen by a resolver).
    pub fn is_lock(self) -> bool {
        matches!(self, FileKind::PoetryLock | FileKind::UvLock | FileKind::PipfileLock)
    }
}

/// What versions a requirement allows.
#[cfg(feature = "deps")]
#[derive(Clone, Debug, PartialEq)]
pub enum Allowed {
    /// One version: `==1.2.3`, `===1.2.3`, or a lock file's entry.
    Exact(Version),
    /// A specifier set other than one exact version (`>=2.0`, `~=1.4`, `==1.*`, `<3`).
    Range(VersionSpecifiers),
    /// Any version: no specifier, or `*`.
    Any,
    /// A direct URL or VCS requirement; `pinned` when it carries a hash or names a full commit.
    Url { url: String, pinned: bool },
    /// A local path (`-e .`, `./pkg`, `{path = "..."}`): nothing to look up.
    Local,
}

/// One declared dependency and where it is in the file.
#[cfg(feature = "deps")]
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// The name as written.
    pub name: String,
    /// The name normalised as PEP 503 says (lower case, runs of `-_.` as one `-`).
    pub normalized: String,
    pub allowed: Allowed,
    /// The specifier as written (`==2.2.0`, `>=2`), or the URL; empty when none.
    pub spec_text: String,
    /// Byte offsets of the requirement in the file.
    pub start: u32,
    pub end: u32,
    /// True for a lock file's entries.
    pub locked: bool,
}

/// What a package source option says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// `--index-url` / `-i`, Poetry's primary source, Pipfile's first `[[source]]`.
    Index,
    /// `--extra-index-url`, a secondary or supplemental source.
    ExtraIndex,
    /// `--trusted-host`, `verify_ssl = false`.
    TrustedHost,
    /// `--find-links` / `-f`.
    FindLinks,
}

/// A package source the file names.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub kind: SourceKind,
    /// The URL or host as written.
    pub url: String,
    pub start: u32,
    pub end: u32,
}

/// A malformed line or table: the message and its byte offset in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub offset: u32,
}

/// Everything read from one dependency file.
#[cfg(feature = "deps")]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub requirements: Vec<Requirement>,
    pub sources: Vec<Source>,
    /// The files named by `-r` (requirements) and `-c` (constraints), as written, relative to
    /// the including file: the caller reads them (the engine does no file access).
    pub includes: Vec<String>,
    pub errors: Vec<ParseError>,
    /// A `pyproject.toml` with a `[build-system]`: a package others install, whose ranges are
    /// meant to be loose (no loose-range notes).
    pub library: bool,
}

/// Reads a dependency file of the given kind.
#[cfg(feature = "deps")]
pub fn parse(kind: FileKind, text: &str) -> Parsed {
    match kind {
        FileKind::Requirements => requirements::parse(text),
        FileKind::PipfileLock => toml_files::parse_pipfile_lock(text),
        _ => toml_files::parse(kind, text),
    }
}

/// The PEP 503 normal form of a package name: lower case, each run of `-`, `_`, `.` one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The [`Allowed`] versions of a specifier set: one exact version, a range, or any.
#[cfg(feature = "deps")]
pub fn allowed_of(specs: &VersionSpecifiers) -> Allowed {
    use pep508_rs::pep440_rs::Operator;
    if specs.is_empty() {
        return Allowed::Any;
    }
    if let [one] = &specs[..] {
        if matches!(one.operator(), Operator::Equal | Operator::ExactEqual) {
            return Allowed::Exact(one.version().clone());
        }
    }
    Allowed::Range(specs.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_file_name() {
        assert_eq!(FileKind::of("requirements.txt"), Some(FileKind::Requirements));
        assert_eq!(FileKind::of("a/b/requirements-dev.txt"), Some(FileKind::Requirements));
        assert_eq!(FileKind::of("dev-requirements.txt"), Some(FileKind::Requirements));
        assert_eq!(FileKind::of("requirements.in"), Some(FileKind::Requirements));
        assert_eq!(FileKind::of("x/pyproject.toml"), Some(FileKind::PyProject));
        assert_eq!(FileKind::of("Pipfile.lock"), Some(FileKind::PipfileLock));
        assert_eq!(FileKind::of("notes.txt"), None);
        assert_eq!(FileKind::of("app.py"), None);
    }

    #[test]
    fn names_normalise_as_pep_503_says() {
        assert_eq!(normalize("Flask_SQLAlchemy"), "flask-sqlalchemy");
        assert_eq!(normalize("zope.interface"), "zope-interface");
        assert_eq!(normalize("a--_b"), "a-b");
    }
}
