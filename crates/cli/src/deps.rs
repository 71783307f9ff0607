//! The dependency audit in the CLI: the shipped data (embedded at build time), the data's date
//! for `--version` and reports, and the scan of dependency files with their `-r`/`-c` includes.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pyward_engine::deps::data::staleness_warning;
use pyward_engine::deps::FileKind;
use pyward_engine::{Engine, FileError, FileResult, Options};

/// The advisory table `scripts/update-advisories` builds (PyPA advisory database, CC-BY 4.0).
pub const ADVISORIES: &str = include_str!("../../engine/data/advisories.tsv");
/// The most-downloaded PyPI names (hugovk/top-pypi-packages).
pub const POPULAR: &str = include_str!("../../engine/data/popular.txt");

/// Includes followed from one file at most this deep (`-r` chains), and at most this many files.
const MAX_INCLUDE_DEPTH: usize = 16;
const MAX_INCLUDED_FILES: usize = 256;

/// The advisory data's date, from the table's header.
pub fn data_date() -> &'static str {
    static DATE: LazyLock<String> = LazyLock::new(|| {
        ADVISORIES.lines().take_while(|l| l.starts_with('#')).find_map(|l| l.trim_start_matches('#').trim().strip_prefix("date:").map(|d| d.trim().to_string())).unwrap_or_else(|| "unknown".into())
    });
    &DATE
}

/// `pyward --version`'s text: the version and the advisory data's date.
pub fn version_line() -> &'static str {
    static LINE: LazyLock<String> = LazyLock::new(|| format!("{} (advisory data {})", pyward_engine::VERSION, data_date()));
    &LINE
}

/// Loads the embedded data into the engine.
pub fn load_data(engine: &mut Engine) {
    engine.set_advisories(ADVISORIES);
    engine.set_popular(POPULAR);
}

/// Today, in days since 1970-01-01, from the system clock.
pub fn today_days() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| (d.as_secs() / 86_400) as i64)
}

/// The lines to print on standard error about the data when dependency files were checked:
/// its date, and the stale-data warning (with `today` from the caller's clock).
pub fn data_notes(today: i64) -> Vec<String> {
    let mut notes = vec![format!("pyward: dependency files checked against advisory data from {}", data_date())];
    notes.extend(staleness_warning(data_date(), today).map(|w| format!("pyward: {w}")));
    notes
}

/// Audits the dependency files `files` and every file they include (`-r`, `-c`, resolved from
/// the including file's folder), each file once. `read` reads a file; `display` names it.
/// Returns each file's result and the normalised names of every package they declare.
pub fn scan(
    engine: &Engine,
    files: &[PathBuf],
    opts: &Options,
    read: impl Fn(&Path) -> Result<Vec<u8>, String>,
    display: impl Fn(&Path) -> String,
) -> (Vec<FileResult>, HashSet<String>) {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut declared = HashSet::new();
    let mut out = Vec::new();
    let mut queue: Vec<(PathBuf, usize)> = files.iter().rev().map(|f| (f.clone(), 0)).collect();
    while let Some((file, depth)) = queue.pop() {
        let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        if !seen.insert(key) || seen.len() > MAX_INCLUDED_FILES {
            continue;
        }
        let path = display(&file);
        let text = match read(&file).and_then(|b| String::from_utf8(b).map_err(|_| "file is not valid UTF-8; it was not analysed".to_string())) {
            Ok(t) => t,
            Err(message) => {
                out.push(FileResult { errors: vec![FileError { path: path.clone(), message, line: None, column: None }], path, ..FileResult::default() });
                continue;
            }
        };
        // An included file is read as a requirements file whatever its name.
        let kind = FileKind::of(&path).unwrap_or(FileKind::Requirements);
        let mut done = engine.check_dependency_text(&path, kind, &text, opts);
        declared.extend(done.declared.drain(..));
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        for inc in done.includes.iter().rev() {
            if depth + 1 > MAX_INCLUDE_DEPTH {
                done.result.errors.push(FileError { path: path.clone(), message: format!("`{inc}` not read: includes nested over {MAX_INCLUDE_DEPTH} deep"), line: None, column: None });
                continue;
            }
            queue.push((dir.join(inc), depth + 1));
        }
        out.push(done.result);
    }
    (out, declared)
}

/// The names a Python file of the project can be imported by: every folder and file stem on
/// the way to each scanned file (`src/shop/app.py`: `src`, `shop`, `app`).
pub fn local_modules(files: &[PathBuf]) -> HashSet<String> {
    let stems = files.iter().flat_map(|f| f.components().filter_map(|c| Path::new(c.as_os_str()).file_stem().and_then(OsStr::to_str).map(str::to_string)));
    stems.collect()
}

/// The typosquat findings of each Python file's undeclared imports (same order as `files`).
pub fn import_findings(
    engine: &Engine,
    files: &[PathBuf],
    declared: &HashSet<String>,
    opts: &Options,
    read: impl Fn(&Path) -> Result<Vec<u8>, String> + Sync,
    display: impl Fn(&Path) -> String + Sync,
) -> Vec<Vec<pyward_engine::Finding>> {
    let local = local_modules(files);
    crate::project::par_map(files, |_, f| {
        let Ok(bytes) = read(f) else { return Vec::new() };
        let Ok(src) = std::str::from_utf8(&bytes) else { return Vec::new() };
        engine.check_imports(&display(f), src, &local, declared, opts)
    })
}
