//! Project scans: flows across the files of a project (issue 15, item 10).
//!
//! The CLI, given a directory or several files, scans them as one project in two passes:
//!
//! 1. Every file is parsed once for its imports ([`Engine::imports_of`]). The modules that
//!    another scanned file imports get exported summaries of the functions imported from them
//!    ([`Engine::module_exports`], one [`ModuleExports`] per module: for each taint rule, what
//!    `taint::project` says). A module importing another scanned module is summarised again
//!    with the previous round's summaries, while they change, for at most
//!    [`MAX_ROUNDS`] rounds: chains of helpers across modules are followed that many modules
//!    deep, and import cycles end.
//! 2. Every file is analysed with the [`Project`] of those summaries ([`Engine::check_source_in`]):
//!    a call of an imported function gets its summary, as a function of the same file does.
//!
//! A file is known by the dotted names the CLI derives from its path (relative to the scan root,
//! and through the `__init__.py` of its packages); relative imports resolve against its package.
//! The browser playground analyses one file and never builds a project.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::matching::eval::{Evaluator, Rematch, Work};
use crate::matching::matcher::{work_budget, Matcher};
use crate::pipeline::{self, FileCtx, Plan, Selected};
use crate::prefilter::{Marks, Prefiltered};
use crate::rules::{Check, Confidence};
use crate::syntax::ast::{Span, Stmt, StmtKind};
use crate::syntax::parse;
use crate::syntax::visitor::{walk_body, Descend, Visitor};
use crate::taint::project::{absolute, FOREIGN};
use crate::taint::{self, TaintInput};
use crate::{Engine, FileResult, Options, TraceStep};
use std::collections::BTreeMap;

pub use crate::taint::project::{ForeignStep, ModuleExports, Project};

/// Most rounds of pass 1 (see the module documentation).
pub const MAX_ROUNDS: usize = 3;

/// One scanned file as a module.
#[derive(Clone, Copy, Debug)]
pub struct ModuleFile<'a> {
    /// The path the report shows.
    pub path: &'a str,
    /// The dotted names other files import it by.
    pub names: &'a [String],
    /// Its package, for relative imports: its name minus the last part, or its own name for a
    /// package's `__init__.py`.
    pub package: &'a str,
}

/// An import of a file: the module's dotted name (relative ones resolved) and, for
/// `from m import n`, the name imported from it.
pub type Import = (String, Option<String>);

/// Names of functions.
pub type Names = HashSet<String>;

/// By module: the functions other files import from it (`None`: any, `import m` was seen).
pub type Wanted = HashMap<String, Option<Names>>;

/// Collects the imports of a file, in every scope.
struct Imports<'p> {
    package: &'p str,
    out: Vec<Import>,
}

impl<'a> Visitor<'a> for Imports<'_> {
    fn enter_stmt(&mut self, s: &'a Stmt, _depth: u32) -> Descend {
        match &s.kind {
            StmtKind::Import(names) => self.out.extend(names.iter().map(|a| (a.name.to_string(), None))),
            StmtKind::ImportFrom { module, level, names } => {
                let base = absolute(&format!("{}{}", ".".repeat(*level as usize), module.as_deref().unwrap_or("")), self.package);
                for a in names.iter().filter(|a| &*a.name != "*") {
                    self.out.push((base.clone(), Some(a.name.to_string())));
                }
            }
            _ => {}
        }
        Descend::Yes
    }
}

/// Which functions of which scanned modules the files import: `from m import f` wants `f` of
/// `m` (or all of `m.f` when that is a module), `import m` all of `m`. `is_module` says which
/// dotted names are scanned modules.
pub fn wanted<'i>(imports: impl IntoIterator<Item = &'i Import>, is_module: impl Fn(&str) -> bool) -> Wanted {
    let mut out: Wanted = HashMap::default();
    for (m, name) in imports {
        match name {
            Some(n) if is_module(&format!("{m}.{n}")) => {
                out.insert(format!("{m}.{n}"), None);
            }
            Some(n) if is_module(m) => {
                if let Some(set) = out.entry(m.clone()).or_insert_with(|| Some(HashSet::default())) {
                    set.insert(n.clone());
                }
            }
            None if is_module(m) => {
                out.insert(m.clone(), None);
            }
            _ => {}
        }
    }
    out
}

impl Engine {
    /// Pass 1: the imports of a file (see [`Import`]); `package` resolves relative ones.
    pub fn imports_of(&self, src: &str, package: &str) -> Vec<Import> {
        let parsed = parse::parse_module(src);
        let mut v = Imports { package, out: Vec::new() };
        walk_body(&mut v, &parsed.module.body, 0);
        v.out
    }

    /// Pass 1: the enabled taint rules one of whose sources may occur in the file (by the
    /// prefilter's words, without matching): only those can start a flow there, and only their
    /// summaries are worth exporting to it.
    pub fn live_rules(&self, src: &str, opts: &Options) -> Names {
        let present = if self.prefilter_on { self.prefilter.literals.presence(src) } else { self.prefilter.literals.assume_all(src) };
        // Every word of the text as an identifier, without parsing: more than the parser
        // reports (words in strings and comments), so never fewer rules.
        for w in src.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()) {
            present.see(w, false);
        }
        let pre = self.prefilter.for_file(src, present, self.prefilter_on);
        let mut scratch = Marks::new(self.rules.patterns.len());
        pipeline::select_rules(self, opts)
            .into_iter()
            .filter_map(|s| match &s.rule.check {
                Check::Taint(t) if t.sources.iter().any(|src| pre.mark(&src.formula, &mut scratch)) => Some(s.rule.meta.id.clone()),
                _ => None,
            })
            .collect()
    }

    /// Pass 1: the summaries one module exports, of the functions named in `wanted` (all with
    /// `None`), for the taint rules in `live` (see [`Engine::live_rules`]) and the generic ones;
    /// `project` holds the previous round's.
    pub fn module_exports(&self, file: &ModuleFile<'_>, src: &str, opts: &Options, wanted: Option<&Names>, live: &Names, project: Option<&Project>) -> ModuleExports {
        let mut out = ModuleExports::new(file.path, file.names.to_vec());
        if src.len() > crate::MAX_FILE_BYTES || live.is_empty() {
            return out;
        }
        let lits = &self.prefilter.literals;
        let present = if self.prefilter_on { lits.presence(src) } else { lits.assume_all(src) };
        let parsed = parse::parse_module_with_names(src, |n, dotted| present.see(n, dotted));
        let mut cx = FileCtx::new(file.path, src, &parsed.module, opts);
        cx.project = project.map(|p| (p, file.package));
        let pre = self.prefilter.for_file(src, present, self.prefilter_on);
        let rules: Vec<Selected<'_>> =
            pipeline::select_rules(self, opts).into_iter().filter(|s| matches!(s.rule.check, Check::Taint(_)) && live.contains(&s.rule.meta.id)).collect();
        let mut marks = Marks::new(self.rules.patterns.len());
        for s in &rules {
            let Check::Taint(t) = &s.rule.check else { continue };
            let sources = t.sources.iter().map(|s| &s.formula);
            let parts = sources.chain(&t.sinks).chain(t.sanitizers.iter().map(|s| &s.formula)).chain(t.propagators.iter().map(|p| &p.formula));
            for f in parts {
                pre.mark(f, &mut marks);
            }
        }
        let mut m = Matcher::new(cx.src, &cx.sem, &self.rules.patterns, &self.index, marks.on);
        m.run(cx.module);
        let leaves = std::mem::take(&mut m.results);
        let rematch: &Rematch<'_, '_> = &|id, span, seed| m.rematch(cx.module, id, span, seed);
        let truncated = std::cell::Cell::new(false);
        let work = Work::new(work_budget(src.len()));
        let constant: &crate::matching::eval::ConstantOf<'_> = &|span| m.constant_value_at(cx.module, span);
        let type_of: &crate::matching::eval::TypeOf<'_> = &|span| m.type_at(cx.module, span);
        let ev = Evaluator { src, leaves: &leaves, rematch: Some(rematch), constant: Some(constant), truncated: &truncated, work: &work, type_of: Some(type_of), patterns: &self.rules.patterns };
        let propagation = &self.rules.propagation;
        let fns = cx.functions();
        for s in &rules {
            let Check::Taint(t) = &s.rule.check else { continue };
            let id = s.rule.meta.id.as_str();
            ev.work.begin_rule();
            let sources: Vec<(Span, Confidence, bool)> =
                t.sources.iter().flat_map(|src| ev.eval(&src.formula).into_iter().map(|m| (m.span, src.confidence, src.request_object))).collect();
            let input = pipeline::taint_input(&ev, t, sources);
            let cut = ev.work.cut() || !m.exhausted().is_empty();
            let linked = cx.project.map(|(p, package)| p.link(id, package, &cx.sem));
            let through = linked.as_ref().is_some_and(|l| l.has_sinks() || l.has_sources());
            if !cut && !through && is_empty(&input) {
                // The generic summaries hold for this rule.
                continue;
            }
            // An analysis cut short exports nothing for the rule: its calls stay unresolved.
            let fns = if cut { None } else { taint::project::export(file.path, src, &cx.sem, fns, &input, propagation, linked, wanted) };
            out.insert(Some(id), fns.unwrap_or_default());
        }
        let empty = TaintInput::default();
        let linked = cx.project.map(|(p, package)| p.link("", package, &cx.sem));
        let generic = taint::project::export(file.path, src, &cx.sem, fns, &empty, propagation, linked, wanted);
        out.insert(None, generic.unwrap_or_default());
        out
    }

    /// Pass 2: [`Engine::check_source`] for one file of a project scan.
    pub fn check_source_in(&self, file: &ModuleFile<'_>, src: &str, opts: &Options, project: &Project) -> FileResult {
        self.check_source_with(file.path, src, opts, Some((project, file.package)))
    }
}

/// No part of the rule matched in the file.
fn is_empty(input: &TaintInput) -> bool {
    input.sources.is_empty() && input.objects.is_empty() && input.sinks.is_empty() && input.sanitizers.is_empty() && input.propagators.is_empty()
}

/// In a project scan: the taint rules whose flows may go through an imported function can run
/// in a file without one of their sources (an import returns one) or sinks (an import reaches
/// one).
pub(crate) fn widen_plan(cx: &FileCtx<'_>, pre: &Prefiltered<'_>, rules: &[Selected<'_>], mut plan: Plan) -> Plan {
    let Some((project, package)) = cx.project else { return plan };
    let mut probe = Marks::new(plan.first.on.len());
    plan.linked = rules
        .iter()
        .map(|s| match &s.rule.check {
            Check::Taint(_) => {
                let l = project.link(&s.rule.meta.id, package, &cx.sem);
                (l.has_sources(), l.has_sinks())
            }
            _ => (false, false),
        })
        .collect();
    for ((s, &(src, sink)), possible) in rules.iter().zip(&plan.linked).zip(plan.possible.iter_mut()) {
        let Check::Taint(t) = &s.rule.check else { continue };
        if *possible || !(src || sink) {
            continue;
        }
        let mut has_source = src;
        for source in &t.sources {
            has_source |= pre.mark(&source.formula, &mut plan.first);
        }
        let has_sink = sink || t.sinks.iter().any(|f| pre.mark(f, &mut probe));
        *possible = has_source && has_sink;
    }
    plan
}

/// A trace step in another file (a range past [`FOREIGN`]), with that file's position.
pub(crate) fn foreign_step(cx: &FileCtx<'_>, span: Span) -> Option<TraceStep> {
    if span.start < FOREIGN {
        return None;
    }
    let s = cx.project?.0.step(span.start - FOREIGN)?;
    Some(TraceStep {
        line: s.line,
        column: s.column,
        end_line: s.end_line,
        end_column: s.end_column,
        label: s.label.clone(),
        start_offset: s.start,
        end_offset: s.end,
        file: Some(s.file.clone()),
    })
}

/// One file of a project scan, for [`build`].
pub struct ProjectFile<'a> {
    pub file: ModuleFile<'a>,
    /// Its text (`None`: unreadable, or not UTF-8).
    pub src: Option<&'a str>,
}

/// Runs a job for each of some file indices (in parallel where the caller can), returning the
/// results in the indices' order.
pub type MapFiles<'m> = dyn Fn(&[usize], &(dyn Fn(usize) -> ModuleExports + Sync)) -> Vec<ModuleExports> + 'm;

/// Pass 1 of a project scan (see the module documentation): the summaries of the functions
/// the files import from each other, given each file's [`Engine::imports_of`]. `None` when no
/// file imports another. `map` runs the summaries of a round's files.
pub fn build(engine: &Engine, files: &[ProjectFile<'_>], imports: &[Vec<Import>], live: &[Names], opts: &Options, map: &MapFiles<'_>) -> Option<Project> {
    if live.iter().all(HashSet::is_empty) {
        return None;
    }
    let mut module_of: HashMap<&str, usize> = HashMap::default();
    for (i, f) in files.iter().enumerate() {
        for name in f.file.names {
            module_of.insert(name.as_str(), i);
        }
    }
    let wanted = wanted(imports.iter().flatten(), |m| module_of.contains_key(m));
    if wanted.is_empty() {
        return None;
    }
    // The files other files import, and which of their functions (`None`: all).
    let mut needed: BTreeMap<usize, Option<Names>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        for w in f.file.names.iter().filter_map(|name| wanted.get(name)) {
            let slot = needed.entry(i).or_insert_with(|| Some(Names::default()));
            match (slot.as_mut(), w) {
                (Some(a), Some(b)) => a.extend(b.iter().cloned()),
                _ => *slot = None,
            }
        }
    }
    let live = live_through_imports(files.len(), imports, live, |m| module_of.get(m).copied());
    let mut exports: BTreeMap<usize, ModuleExports> = BTreeMap::new();
    let mut project: Option<Project> = None;
    let mut todo: Vec<usize> = needed.keys().copied().collect();
    // Each round summarises the modules importing one that changed in the last (all, first).
    for _ in 0..MAX_ROUNDS {
        if todo.is_empty() {
            break;
        }
        let current = project.as_ref();
        let job = |i: usize| {
            let f = &files[i];
            match f.src {
                Some(src) => engine.module_exports(&f.file, src, opts, needed.get(&i).and_then(Option::as_ref), &live[i], current),
                None => ModuleExports::new(f.file.path, f.file.names.to_vec()),
            }
        };
        let done = map(&todo, &job);
        let mut changed: HashSet<&str> = HashSet::default();
        for (&i, ex) in todo.iter().zip(done) {
            if exports.get(&i).is_none_or(|old| old.shape() != ex.shape()) {
                changed.extend(files[i].file.names.iter().map(String::as_str));
                exports.insert(i, ex);
            }
        }
        project = Some(Project::new(exports.values().cloned().collect()));
        let imports_changed = |i: &usize| {
            imports[*i].iter().any(|(m, n)| changed.contains(m.as_str()) || n.as_ref().is_some_and(|n| changed.contains(format!("{m}.{n}").as_str())))
        };
        todo = needed.keys().copied().filter(imports_changed).collect();
    }
    project
}

/// The live rules of each file (see [`Engine::live_rules`]) with those of every file importing
/// it, directly or through other files: a flow starting in one may run through the modules it
/// imports and the ones they import. A worklist over the import edges (each file's set only
/// grows, so it ends).
fn live_through_imports(n: usize, imports: &[Vec<Import>], live: &[Names], module_of: impl Fn(&str) -> Option<usize>) -> Vec<Names> {
    let mut out: Vec<Names> = live.to_vec();
    out.resize_with(n, Names::default);
    // The files each file imports.
    let edges: Vec<Vec<usize>> = imports
        .iter()
        .map(|imps| {
            let mut to: Vec<usize> =
                imps.iter().flat_map(|(m, name)| [module_of(m), name.as_ref().and_then(|x| module_of(&format!("{m}.{x}")))]).flatten().collect();
            to.sort_unstable();
            to.dedup();
            to
        })
        .collect();
    let mut todo: Vec<usize> = (0..n).collect();
    while let Some(i) = todo.pop() {
        let from = out.get(i).cloned().unwrap_or_default();
        for &j in edges.get(i).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(target) = out.get_mut(j) else { continue };
            let before = target.len();
            target.extend(from.iter().cloned());
            if target.len() > before {
                todo.push(j);
            }
        }
    }
    out
}

impl Engine {
    /// A whole project on one thread (tests, embedders): pass 1, then each file's analysis with
    /// the project (see the module documentation). Results in the files' order.
    pub fn check_project(&self, files: &[ProjectFile<'_>], opts: &Options) -> Vec<FileResult> {
        let imports: Vec<Vec<Import>> = files.iter().map(|f| f.src.map(|s| self.imports_of(s, f.file.package)).unwrap_or_default()).collect();
        let live: Vec<Names> = files.iter().map(|f| f.src.map(|s| self.live_rules(s, opts)).unwrap_or_default()).collect();
        let map = |todo: &[usize], job: &(dyn Fn(usize) -> ModuleExports + Sync)| todo.iter().map(|&i| job(i)).collect();
        let project = build(self, files, &imports, &live, opts, &map);
        let mut results: Vec<FileResult> = files
            .iter()
            .map(|f| match (f.src, &project) {
                (Some(src), Some(p)) => self.check_source_in(&f.file, src, opts, p),
                (Some(src), None) => self.check_source(f.file.path, src, opts),
                (None, _) => FileResult { path: f.file.path.to_string(), ..FileResult::default() },
            })
            .collect();
        let module = |i: usize| {
            let f = files.get(i)?;
            Some(ModuleText { names: f.file.names.to_vec(), package: f.file.package.to_string(), text: f.src?.to_string() })
        };
        self.settings_inherited(&mut results, &module);
        results
    }
}

/// A scanned file as a module, with its text (see [`Engine::settings_inherited`]).
pub struct ModuleText {
    /// The dotted names other files import it by, and its package (see [`ModuleFile`]).
    pub names: Vec<String>,
    pub package: String,
    pub text: String,
}

impl Engine {
    /// Django settings split over modules: `base.py` holds `MIDDLEWARE` and the common
    /// settings, `production.py` does `from .base import *` and adds the HTTPS ones. A missing
    /// setting reported on the base module is dropped when every module built on it (a scanned
    /// file importing everything from it, development modules aside where the check spares
    /// them) assigns that setting, itself or through another module it imports everything
    /// from. A base that no such module completes keeps its finding. `module(i)` is the file
    /// whose result is `results[i]`; it is asked for only when some file has a
    /// missing-settings finding. Returns how many findings were dropped.
    pub fn settings_inherited(&self, results: &mut [FileResult], module: &dyn Fn(usize) -> Option<ModuleText>) -> usize {
        use crate::checks::django_settings::{asked_in_debug, ModuleSettings};
        // Rule id -> the settings check it runs.
        let checks: HashMap<&str, &'static str> = self
            .rules
            .rules
            .iter()
            .filter_map(|r| match &r.check {
                Check::Native(n) => crate::checks::find(n).filter(|reg| asked_in_debug(reg.name).is_some()).map(|reg| (r.meta.id.as_str(), reg.name)),
                _ => None,
            })
            .collect();
        let n = results.len();
        let candidate: Vec<bool> = results.iter().map(|r| r.findings.iter().any(|f| checks.contains_key(f.rule_id.as_str()))).collect();
        if !candidate.contains(&true) {
            return 0;
        }
        // Each file's names and package, and the settings of the candidates, of every file that
        // may import everything from one, and of every file that may assign a setting (the
        // others have none to add). One text is held at a time.
        let mut names: Vec<(Vec<String>, String)> = Vec::with_capacity(n);
        let mut facts: Vec<Option<ModuleSettings>> = Vec::with_capacity(n);
        for (i, is_candidate) in candidate.iter().enumerate() {
            let Some(ModuleText { names: dotted, package, text }) = module(i) else {
                names.push((Vec::new(), String::new()));
                facts.push(None);
                continue;
            };
            let wanted = *is_candidate
                || (text.contains("import") && text.contains('*'))
                || crate::checks::django_settings::SSL_REDIRECT.may_report(&text);
            facts.push(wanted.then(|| ModuleSettings::of(&parse::parse_module(&text).module.body)));
            names.push((dotted, package));
        }
        let mut module_of: HashMap<&str, usize> = HashMap::default();
        for (i, (dotted, _)) in names.iter().enumerate() {
            for name in dotted {
                module_of.insert(name.as_str(), i);
            }
        }
        // By file: the scanned modules it imports everything from, and the files that import
        // everything from it.
        let star: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                let Some(f) = &facts[i] else { return Vec::new() };
                let mut to: Vec<usize> =
                    f.star_imports.iter().filter_map(|q| module_of.get(absolute(q, &names[i].1).as_str()).copied()).filter(|&j| j != i).collect();
                to.sort_unstable();
                to.dedup();
                to
            })
            .collect();
        let mut importers: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, to) in star.iter().enumerate() {
            for &j in to {
                importers[j].push(i);
            }
        }
        let complete = |i: usize, check: &str| facts[i].as_ref().is_some_and(|f| f.complete.contains(&check));
        let mut dropped = 0;
        for c in (0..n).filter(|&c| candidate[c]) {
            let Some(anchor) = facts[c].as_ref().and_then(|f| f.anchor) else { continue };
            results[c].findings.retain(|f| {
                let Some(&check) = checks.get(f.rule_id.as_str()) else { return true };
                if f.start_offset != anchor.start {
                    // A setting switched off where it is written: reported as it is.
                    return true;
                }
                let in_debug = asked_in_debug(check).unwrap_or(true);
                let finals: Vec<usize> =
                    importers[c].iter().copied().filter(|&i| in_debug || !facts[i].as_ref().is_some_and(|f| f.debug_on)).collect();
                let completed = !finals.is_empty()
                    && finals.iter().all(|&i| complete(i, check) || star[i].iter().any(|&j| j != c && complete(j, check)));
                dropped += usize::from(completed);
                !completed
            });
        }
        dropped
    }
}

/// The dotted name and package of a Python file from its path relative to the project's root
/// (`/`-separated): `app/db.py` is `app.db` in package `app`; `app/__init__.py` is `app`, its
/// own package.
pub fn relative_naming(rel: &str) -> (String, String) {
    let mut parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let init = parts.last().is_some_and(|l| *l == "__init__.py");
    if let Some(last) = parts.last_mut() {
        *last = last.strip_suffix(".pyw").or_else(|| last.strip_suffix(".py")).unwrap_or(last);
    }
    if init {
        parts.pop();
    }
    let name = parts.join(".");
    let package = match init {
        true => name.clone(),
        false => parts.get(..parts.len().saturating_sub(1)).map(|p| p.join(".")).unwrap_or_default(),
    };
    (name, package)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The findings (file, rule, line) of a project of (relative path, text) files, and each
    /// finding's trace steps in another file (file, line, label).
    /// (file, rule, line) of each finding, and (file, line, label) of each step in another file.
    type Scanned = (Vec<(String, String, u32)>, Vec<(String, u32, String)>);

    fn scan(files: &[(&str, &str)]) -> Scanned {
        let engine = Engine::builtin().expect("rules");
        let naming: Vec<(Vec<String>, String)> = files.iter().map(|(p, _)| relative_naming(p)).map(|(n, p)| (vec![n], p)).collect();
        let project: Vec<ProjectFile<'_>> = files
            .iter()
            .zip(&naming)
            .map(|((path, src), (names, package))| ProjectFile { file: ModuleFile { path, names, package }, src: Some(src) })
            .collect();
        let results = engine.check_project(&project, &Options::default());
        let mut found = Vec::new();
        let mut steps = Vec::new();
        for r in results {
            assert!(r.errors.is_empty(), "{:?}", r.errors);
            for f in r.findings {
                found.push((r.path.clone(), f.rule_id.clone(), f.line));
                steps.extend(f.trace.iter().filter_map(|t| Some((t.file.clone()?, t.line, t.label.clone()))));
            }
        }
        (found, steps)
    }

    /// The settings rules reported in each file of a split Django settings package.
    fn settings_findings(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let (found, _) = scan(files);
        let mut out: Vec<(String, String)> = found
            .into_iter()
            .filter(|(_, rule, _)| ["ssl-redirect", "hsts", "secure-cookies", "password-validators"].iter().any(|k| rule == &format!("django-{k}-missing")))
            .map(|(file, rule, _)| (file.rsplit('/').next().unwrap_or_default().to_string(), rule.trim_start_matches("django-").trim_end_matches("-missing").to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn settings_a_base_module_lacks_count_when_no_module_built_on_it_adds_them() {
        let base = "DEBUG = False\nINSTALLED_APPS = ['django.contrib.auth']\nMIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\nAUTH_PASSWORD_VALIDATORS = [{'NAME': 'x'}]\n";
        let prod = "from .base import *\n\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n";
        let dev = "from .base import *\nDEBUG = True\n";
        let all = |v: &[&str]| v.iter().map(|k| ("base.py".to_string(), k.to_string())).collect::<Vec<_>>();
        // Alone, the base lacks the three transport settings.
        assert_eq!(settings_findings(&[("site/settings/base.py", base)]), all(&["hsts", "secure-cookies", "ssl-redirect"]));
        // Production adds them; a development module (DEBUG on) is not asked for them.
        let split = [("site/settings/base.py", base), ("site/settings/production.py", prod), ("site/settings/development.py", dev)];
        assert_eq!(settings_findings(&split), Vec::<(String, String)>::new());
        // A non-development module built on the base without them keeps what it lacks reported.
        let staging = "from site.settings.base import *\nSECURE_SSL_REDIRECT = True\n";
        let mut with_staging = split.to_vec();
        with_staging.push(("site/settings/staging.py", staging));
        assert_eq!(settings_findings(&with_staging), all(&["hsts", "secure-cookies"]));
        // A setting switched off in production: reported there, and the base still lacks it.
        let off = prod.replace("SECURE_HSTS_SECONDS = 31536000", "SECURE_HSTS_SECONDS = 0");
        let found = settings_findings(&[("site/settings/base.py", base), ("site/settings/production.py", &off)]);
        assert_eq!(found, vec![("base.py".into(), "hsts".into()), ("production.py".into(), "hsts".into())]);
        // A package `__init__` that imports everything from the base and from production.
        let init = "from .base import *\nfrom .production import *\n";
        let prod_only = prod.replace("from .base import *\n", "");
        let found = settings_findings(&[("site/settings/__init__.py", init), ("site/settings/base.py", base), ("site/settings/production.py", &prod_only)]);
        assert_eq!(found, Vec::<(String, String)>::new());
        // Development modules alone complete nothing: the base keeps its findings.
        assert_eq!(settings_findings(&[("site/settings/base.py", base), ("site/settings/development.py", dev)]).len(), 3);
    }

    const VIEW: &str = "from flask import request, make_response\n";

    #[test]
    fn a_sink_in_an_imported_helper_is_reported_at_the_call_with_the_trace_in_the_helper() {
        let db = "import sqlite3\ndef run_query(q):\n    cur = sqlite3.connect('a').cursor()\n    cur.execute(q)\n";
        let views = format!("{VIEW}from .db import run_query\ndef v():\n    run_query(request.args['q'])\n");
        let (found, steps) = scan(&[("app/db.py", db), ("app/views.py", &views)]);
        assert!(found.contains(&("app/views.py".into(), "tainted-sql-query".into(), 4)), "{found:?}");
        assert!(steps.iter().any(|(file, line, label)| file == "app/db.py" && *line == 4 && label.starts_with("sink:")), "{steps:?}");
        // Alone, the call is not followed into the other file.
        let alone = Engine::builtin().expect("rules").check_source("app/views.py", &views, &Options::default());
        assert!(alone.findings.iter().all(|f| f.rule_id != "tainted-sql-query"), "{:?}", alone.findings);
    }

    #[test]
    fn an_imported_escape_helper_sanitizes_and_a_pass_through_one_does_not() {
        let utils = "import html\ndef esc(s):\n    return html.escape(s)\ndef same(s):\n    return s.strip()\ndef const(s):\n    return 'x'\n";
        let views = format!(
            "{VIEW}import helpers.utils as u\nfrom helpers.utils import esc, same, const\ndef a():\n    return make_response(esc(request.args['n']))\ndef b():\n    return make_response(u.same(request.args['n']))\ndef c():\n    return make_response(const(request.args['n']))\n"
        );
        let (found, _) = scan(&[("helpers/utils.py", utils), ("views.py", &views)]);
        let xss: Vec<u32> = found.iter().filter(|f| f.1 == "reflected-xss").map(|f| f.2).collect();
        assert_eq!(xss, vec![7], "{found:?}");
    }

    #[test]
    fn a_helper_returning_request_data_is_a_source_and_import_cycles_end() {
        let a = "from flask import request\nfrom pkg import b\ndef term():\n    return request.args['q']\ndef hop(x, n):\n    return b.back(x, n) if n else x\n";
        let b = "from pkg.a import hop\ndef back(x, n):\n    return hop(x, n - 1)\n";
        let views = "import os\nfrom pkg.a import term, hop\ndef v():\n    os.system(term())\ndef w(p):\n    os.system(hop(p, 2))\n";
        let (found, steps) = scan(&[("pkg/a.py", a), ("pkg/b.py", b), ("views.py", views)]);
        assert!(found.contains(&("views.py".into(), "tainted-os-command".into(), 4)), "{found:?}");
        assert!(steps.iter().any(|(file, line, label)| file == "pkg/a.py" && *line == 4 && label.starts_with("source:")), "{steps:?}");
    }

    #[test]
    fn module_names_and_relative_imports() {
        assert_eq!(relative_naming("app/db.py"), ("app.db".to_string(), "app".to_string()));
        assert_eq!(relative_naming("app/__init__.py"), ("app".to_string(), "app".to_string()));
        assert_eq!(relative_naming("views.py"), ("views".to_string(), String::new()));
        assert_eq!(absolute(".db", "app.web"), "app.web.db");
        assert_eq!(absolute("..db", "app.web"), "app.db");
        assert_eq!(absolute(".", "app"), "app");
        assert_eq!(absolute("x.y", "app"), "x.y");
        let engine = Engine::builtin().expect("rules");
        let imports = engine.imports_of("from .db import q, r\nimport a.b as c\ndef f():\n    from ..x import y\n", "app.web");
        let want: Vec<Import> = vec![
            ("app.web.db".into(), Some("q".into())),
            ("app.web.db".into(), Some("r".into())),
            ("a.b".into(), None),
            ("app.x".into(), Some("y".into())),
        ];
        assert_eq!(imports, want);
        let w = wanted(&want, |m| m == "app.web.db" || m == "a.b");
        assert_eq!(w.get("app.web.db").cloned().flatten().map(|s| s.len()), Some(2));
        assert_eq!(w.get("a.b"), Some(&None));
        assert!(!w.contains_key("app.x"));
    }
}
