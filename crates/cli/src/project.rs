//! A scan of several files as one project: pass 1 of `pyward_engine::project` (the summaries
//! of the functions files import from each other), run here over the worker threads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use pyward_engine::project::{self, Import, ModuleExports, ModuleFile, ModuleText, Names, Project, ProjectFile};
use pyward_engine::{Engine, FileResult, Options};

/// `f` over every item on the available cores; the results in the items' order. Workers take
/// the next item from a shared counter and block only when the list is done: no idle spinning,
/// so the CPU time is the work itself.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len()).max(1);
    let mut slots: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(i, item)));
                    }
                    mine
                })
            })
            .collect();
        // The engine does not panic on any input; if it ever did, the panic is passed on.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    slots.sort_unstable_by_key(|(i, _)| *i);
    slots.into_iter().map(|(_, r)| r).collect()
}

/// A file as a module: the dotted names it is imported by, and its package.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Naming {
    pub names: Vec<String>,
    pub package: String,
}

/// The dotted names of the Python file `file`: through the `__init__.py` of the directories
/// above it (`pkg/sub/m.py` with `pkg/__init__.py` and `pkg/sub/__init__.py` is `pkg.sub.m`),
/// and relative to each scanned directory `roots` holding it. A package's `__init__.py` is
/// the package. The package (for relative imports) is taken from the longest name.
pub fn naming(file: &Path, roots: &[PathBuf]) -> Naming {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let mut parts: Vec<String> = Vec::new();
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    let mut dir = file.parent();
    // Bounded by the path's depth.
    while let Some(d) = dir.filter(|d| d.join("__init__.py").is_file()) {
        match d.file_name().and_then(|n| n.to_str()) {
            Some(n) => parts.insert(0, n.to_string()),
            None => break,
        }
        dir = d.parent();
    }
    let mut names = vec![parts.join(".")];
    for root in roots {
        let Ok(rel) = file.strip_prefix(root) else { continue };
        let rel: Vec<&str> = rel.components().filter_map(|c| c.as_os_str().to_str()).collect();
        names.push(project::relative_naming(&rel.join("/")).0);
    }
    names.retain(|n| !n.is_empty() && n.split('.').all(|p| !p.is_empty() && !p.contains(char::is_whitespace)));
    names.sort();
    names.dedup();
    let longest = names.iter().max_by_key(|n| n.len()).cloned().unwrap_or_default();
    let package = match stem {
        "__init__" => longest,
        _ => longest.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default(),
    };
    Naming { names, package }
}

/// The project of a scan, with the sources read for it.
pub struct Scan {
    sources: Vec<Result<Vec<u8>, String>>,
    naming: Vec<Naming>,
    project: Project,
}

impl Scan {
    /// Pass 2 for file `i`: its analysis with the project; `None` if it could not be read (or
    /// is not UTF-8: the plain analysis says so).
    pub fn check(&self, engine: &Engine, i: usize, path: &str, opts: &Options) -> Option<FileResult> {
        let src = std::str::from_utf8(self.sources.get(i)?.as_ref().ok()?).ok()?;
        let n = self.naming.get(i)?;
        let file = ModuleFile { path, names: &n.names, package: &n.package };
        Some(engine.check_source_in(&file, src, opts, &self.project))
    }
}

/// Pass 1 over `files` (read with `read`, shown as `show` names them) when a directory
/// (`roots`) is scanned: `None` when no scanned file imports another, or no directory was named
/// (the files are then analysed one by one, as always). Pass 1 costs up to several times the
/// plain analysis where many modules import each other (the standard library: 9x in a debug
/// build), so a list of files (how bench/run.py scans) stays per file for now.
pub fn build(
    engine: &Engine,
    files: &[PathBuf],
    roots: &[PathBuf],
    opts: &Options,
    read: impl Fn(&Path) -> Result<Vec<u8>, String> + Sync,
    show: impl Fn(&Path) -> String + Sync,
) -> Option<Scan> {
    if files.len() < 2 || roots.is_empty() {
        return None;
    }
    let naming: Vec<Naming> = files.iter().map(|f| naming(f, roots)).collect();
    let paths: Vec<String> = files.iter().map(|f| show(f)).collect();
    let sources: Vec<Result<Vec<u8>, String>> = par_map(files, |_, f| read(f));
    let text = |i: usize| sources.get(i).and_then(|s| s.as_ref().ok()).and_then(|b| std::str::from_utf8(b).ok());
    // No file where a flow can start: nothing to follow across files (and no file is parsed
    // twice).
    let live: Vec<Names> = par_map(files, |i, _| text(i).map(|s| engine.live_rules(s, opts)).unwrap_or_default());
    if live.iter().all(Names::is_empty) {
        return None;
    }
    let imports: Vec<Vec<Import>> = par_map(&naming, |i, n| text(i).map(|s| engine.imports_of(s, &n.package)).unwrap_or_default());
    let project_files: Vec<ProjectFile<'_>> = naming
        .iter()
        .zip(&paths)
        .enumerate()
        .map(|(i, (n, path))| ProjectFile { file: ModuleFile { path, names: &n.names, package: &n.package }, src: text(i) })
        .collect();
    let map = |todo: &[usize], job: &(dyn Fn(usize) -> ModuleExports + Sync)| par_map(todo, |_, &i| job(i));
    let project = project::build(engine, &project_files, &imports, &live, opts, &map)?;
    drop(project_files);
    Some(Scan { sources, naming, project })
}

/// After a directory scan: Django settings split over modules (see
/// `Engine::settings_inherited`). Files are read again only when some file has a
/// missing-settings finding.
pub fn settings_inherited(
    engine: &Engine,
    files: &[PathBuf],
    roots: &[PathBuf],
    results: &mut [FileResult],
    read: impl Fn(&Path) -> Result<Vec<u8>, String>,
) -> usize {
    if roots.is_empty() || files.len() < 2 {
        return 0;
    }
    let module = |i: usize| {
        let f = files.get(i)?;
        let text = String::from_utf8(read(f).ok()?).ok()?;
        let Naming { names, package } = naming(f, roots);
        Some(ModuleText { names, package, text })
    };
    let n = files.len().min(results.len());
    engine.settings_inherited(&mut results[..n], &module)
}
