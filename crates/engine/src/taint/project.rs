//! Flows across files: the summaries of one module's functions, exported for the other files
//! of a project scan, and their use at the calls of the files that import them.
//!
//! A project scan (the CLI given a directory or several files) runs in two passes (see
//! `crate::project`). Pass 1 computes, for each module that another scanned file imports and
//! for each taint rule, the same [`Summary`] a function of the importing file would get (which
//! parameters reach the return value, which reach a sink, which sources the return value
//! carries), and turns it into an [`ExportedFn`]: plain data, positions already resolved in the
//! exporting file ([`ForeignStep`]), so that it can be shared between threads. Pass 2 analyses
//! each file with a [`Linked`] view of the project: a call of an imported function
//! (`from .db import run_query`, `import helpers.utils as u; u.f(x)`) gets the exported
//! summary, applied by the same code as a call of the file's own function; its steps in the
//! other file carry ranges past [`FOREIGN`], which the finding's trace resolves to that file's
//! positions ([`Project::step`]).
//!
//! A rule with no source, sink, sanitizer or propagator in a module gets the module's generic
//! summary (computed once, with no rule parts): a helper that returns its argument passes it
//! on, one that returns a constant does not.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::rules::Propagation;
use crate::semantic::SemanticModel;
use crate::syntax::ast::*;
use crate::syntax::source::LineIndex;

use super::env::Vars;
use super::request::Obj;
use super::{trace_vec, Analyzer, FileFunctions, FnRef, Label, Origin, Starts, Summary, TaintInput, Taint};

/// Ranges at or past this offset name a step in another file (files are at most 16 MiB):
/// `FOREIGN + i` is the project's step `i`.
pub const FOREIGN: u32 = 1 << 31;

/// The origin of a label whose source is in another file (no source index of this file).
const FOREIGN_SOURCE: u32 = u32::MAX - 1;

/// One step of a flow in another file, with its position there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignStep {
    /// The file's path as the report shows it.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start: u32,
    pub end: u32,
    pub label: String,
}

/// A label of an exported summary.
#[derive(Clone, Debug)]
struct ExLabel {
    /// The parameter it comes from; `None`: a source read in the exporting module.
    param: Option<u32>,
    uncertain: bool,
    obj: Obj,
    steps: Vec<ForeignStep>,
    /// The index of its first step in the project's table (set when the project is built).
    first: u32,
}

/// What callers can observe of a summary: the return value's (parameter, uncertain) labels and
/// the parameters reaching a sink.
pub type Shape = (Vec<(Option<u32>, bool)>, Vec<u32>);

/// One function's summary for one taint rule, as another file sees it.
#[derive(Clone, Debug)]
pub struct ExportedFn {
    /// The definition's signature (its body is left out).
    def: FunctionDef,
    /// The return value's labels.
    ret: Vec<ExLabel>,
    /// (parameter, the flow from it to a sink).
    sinks: Vec<(u32, ExLabel)>,
}

impl ExportedFn {
    /// What a caller can observe, to tell when iterating summaries changed nothing.
    fn shape(&self) -> Shape {
        let mut ret: Vec<(Option<u32>, bool)> = self.ret.iter().map(|l| (l.param, l.uncertain)).collect();
        ret.sort_unstable();
        let mut sinks: Vec<u32> = self.sinks.iter().map(|(p, _)| *p).collect();
        sinks.sort_unstable();
        sinks.dedup();
        (ret, sinks)
    }

    fn labels_mut(&mut self) -> impl Iterator<Item = &mut ExLabel> {
        self.ret.iter_mut().chain(self.sinks.iter_mut().map(|(_, l)| l))
    }
}

/// The exported summaries of one module: for each taint rule with a part in it, and the
/// generic ones for the other rules.
#[derive(Clone, Debug, Default)]
pub struct ModuleExports {
    /// The file's path as the report shows it.
    pub path: String,
    /// The dotted names the module is imported by.
    pub names: Vec<String>,
    generic: HashMap<String, ExportedFn>,
    by_rule: HashMap<String, HashMap<String, ExportedFn>>,
}

impl ModuleExports {
    /// No summaries yet, for the module at `path` known by `names`.
    pub fn new(path: &str, names: Vec<String>) -> Self {
        ModuleExports { path: path.to_string(), names, ..ModuleExports::default() }
    }

    /// Stores the summaries for `rule` (`None`: the generic ones).
    pub fn insert(&mut self, rule: Option<&str>, fns: HashMap<String, ExportedFn>) {
        match rule {
            Some(r) => {
                self.by_rule.insert(r.to_string(), fns);
            }
            None => self.generic = fns,
        }
    }

    /// The summaries for `rule`: its own (for the functions where one of its parts matters),
    /// else the generic ones.
    fn for_rule<'s>(&'s self, rule: &str) -> impl Iterator<Item = (&'s String, &'s ExportedFn)> {
        let own = self.by_rule.get(rule);
        own.into_iter().flatten().chain(self.generic.iter().filter(move |(n, _)| !own.is_some_and(|o| o.contains_key(*n))))
    }

    /// A function's summary for `rule`, with the function's name.
    fn function(&self, rule: &str, name: &str) -> Option<(&str, &ExportedFn)> {
        let own = self.by_rule.get(rule).and_then(|o| o.get_key_value(name));
        own.or_else(|| self.generic.get_key_value(name)).map(|(n, f)| (n.as_str(), f))
    }

    /// What callers can observe of every summary, sorted (equal: nothing changed).
    pub fn shape(&self) -> Vec<(String, String, Shape)> {
        let generic = self.generic.iter().map(|(n, f)| (String::new(), n.clone(), f.shape()));
        let by_rule = self.by_rule.iter().flat_map(|(r, fns)| fns.iter().map(move |(n, f)| (r.clone(), n.clone(), f.shape())));
        let mut out: Vec<_> = generic.chain(by_rule).collect();
        out.sort();
        out
    }
}

/// The summaries of every module of a project scan that another scanned file imports.
#[derive(Debug, Default)]
pub struct Project {
    modules: Vec<ModuleExports>,
    /// Module index by dotted name (a name two files claim is left out: ambiguous).
    by_name: HashMap<String, usize>,
    /// Every exported step, by `first + i` (see [`FOREIGN`]).
    steps: Vec<ForeignStep>,
}

impl Project {
    /// The project of these modules' summaries.
    pub fn new(mut modules: Vec<ModuleExports>) -> Project {
        let mut steps = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::default();
        let mut ambiguous: HashSet<String> = HashSet::default();
        for (i, m) in modules.iter_mut().enumerate() {
            for n in &m.names {
                if by_name.insert(n.clone(), i).is_some_and(|j| j != i) {
                    ambiguous.insert(n.clone());
                }
            }
            let fns = m.generic.values_mut().chain(m.by_rule.values_mut().flat_map(|f| f.values_mut()));
            for l in fns.flat_map(ExportedFn::labels_mut) {
                l.first = steps.len() as u32;
                steps.extend(l.steps.iter().cloned());
            }
        }
        for n in ambiguous {
            by_name.remove(&n);
        }
        Project { modules, by_name, steps }
    }

    /// Does the project hold the module of this dotted name?
    pub fn has_module(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The exported step `i` (a range's start minus [`FOREIGN`]).
    pub fn step(&self, i: u32) -> Option<&ForeignStep> {
        self.steps.get(i as usize)
    }

    /// The module of a dotted name.
    fn module(&self, name: &str) -> Option<(usize, &ModuleExports)> {
        let &i = self.by_name.get(name)?;
        Some((i, self.modules.get(i)?))
    }

    /// This project seen from one file, for one taint rule. `package` is the file's package
    /// (for relative imports): its module's name, minus the last part unless it is a package's
    /// `__init__.py`.
    pub fn link<'p>(&'p self, rule: &'p str, package: &'p str, sem: &SemanticModel<'_>) -> Linked<'p> {
        let mut l = Linked { project: self, rule, package, sink_names: HashSet::default(), source_names: HashSet::default(), cache: RefCell::default() };
        for (&(_, local), q) in &sem.imports {
            let q = l.absolute(q);
            if let Some((_, _, f)) = l.function(&q) {
                l.note(local, f);
                let name = q.rsplit('.').next().unwrap_or(&q).to_string();
                l.note(&name, f);
            } else if let Some((_, m)) = self.module(&q) {
                for (n, f) in m.for_rule(rule) {
                    l.note(n, f);
                }
            }
        }
        l
    }
}

/// A project as one file sees it for one taint rule (see [`Project::link`]).
pub struct Linked<'p> {
    project: &'p Project,
    rule: &'p str,
    package: &'p str,
    /// Names called in this file that may be an imported function reaching a sink, or returning
    /// a source's data (over-approximated: only to skip code that cannot matter).
    sink_names: HashSet<String>,
    source_names: HashSet<String>,
    /// The summaries converted so far, by module index and function name.
    cache: RefCell<HashMap<(usize, String), Rc<Summary>>>,
}

impl<'p> Linked<'p> {
    fn note(&mut self, name: &str, f: &ExportedFn) {
        if !f.sinks.is_empty() {
            self.sink_names.insert(name.to_string());
        }
        if f.ret.iter().any(|l| l.param.is_none()) {
            self.source_names.insert(name.to_string());
        }
    }

    /// Does some import of this file reach a sink (in another module)?
    pub fn has_sinks(&self) -> bool {
        !self.sink_names.is_empty()
    }

    /// Does some import of this file return a source's data?
    pub fn has_sources(&self) -> bool {
        !self.source_names.is_empty()
    }

    /// May calling `name` reach a sink in another module?
    pub(super) fn sinks_in(&self, name: &str) -> bool {
        self.sink_names.contains(name)
    }

    /// May calling `name` return a source's data from another module?
    pub(super) fn sources_in(&self, name: &str) -> bool {
        self.source_names.contains(name)
    }

    fn absolute(&self, q: &str) -> String {
        absolute(q, self.package)
    }

    /// The exported function a resolved dotted name stands for.
    fn function(&self, q: &str) -> Option<(usize, &'p str, &'p ExportedFn)> {
        let project: &'p Project = self.project;
        let (module, name) = q.rsplit_once('.')?;
        let (i, m) = project.module(module)?;
        let (name, f) = m.function(self.rule, name)?;
        Some((i, name, f))
    }

    /// The summary of an exported function, with its steps as ranges past [`FOREIGN`].
    fn summary(&self, module: usize, name: &str, f: &ExportedFn) -> Rc<Summary> {
        let key = (module, name.to_string());
        if let Some(s) = self.cache.borrow().get(&key) {
            return s.clone();
        }
        let s = Rc::new(Summary {
            ret: f.ret.iter().map(to_label).collect(),
            sinks: f.sinks.iter().map(|(p, l)| (*p, foreign_span(l.first + l.steps.len().saturating_sub(1) as u32), to_label(l))).collect(),
            fields: Vec::new(),
        });
        self.cache.borrow_mut().insert(key, s.clone());
        s
    }
}

fn foreign_span(i: u32) -> Span {
    let at = FOREIGN.saturating_add(i);
    Span::new(at, at)
}

/// An exported label as a label of the importing file's analysis.
fn to_label(l: &ExLabel) -> Label {
    let origin = match l.param {
        Some(p) => Origin::Param(p),
        None => Origin::Source(FOREIGN_SOURCE),
    };
    let trace = l.steps.iter().enumerate().fold(None, |t, (j, s)| super::push_step(&t, foreign_span(l.first + j as u32), s.label.clone().into()));
    Label { origin, uncertain: l.uncertain, trace, obj: l.obj }
}

impl<'a> Analyzer<'a> {
    /// A call of a function another scanned module exports: its summary applied (see
    /// `Analyzer::apply_call`), or `None` when the callee is not one.
    pub(super) fn linked_call(&self, fr: &mut super::Frame<'a>, call: &'a Expr, func: &'a Expr, arg_taints: &[(Option<&str>, Span, Taint)]) -> Option<Taint> {
        let l = self.linked.as_ref()?;
        let q = self.sem.qualified_name(fr.scope, func)?;
        let (module, name, f) = l.function(&l.absolute(&q))?;
        let s = l.summary(module, name, f);
        let r = FnRef { def: &f.def, span: foreign_span(u32::MAX - FOREIGN), method: false, class: None };
        Some(self.apply_call(fr, call, r, &s, arg_taints, None))
    }

    /// Does the definition at `span` call a function of another module that may reach a sink
    /// (`sinks`) or return a source's data (else)?
    pub(super) fn calls_linked(&self, span: Span, sinks: bool) -> bool {
        let Some(l) = &self.linked else { return false };
        let names = self.fns.calls.get(&span).map(Vec::as_slice).unwrap_or(&[]);
        names.iter().any(|n| if sinks { l.sinks_in(n) } else { l.sources_in(n) })
    }

    /// Does the module-level code call such a function?
    pub(super) fn module_calls_linked(&self) -> bool {
        let Some(l) = &self.linked else { return false };
        self.fns.module_calls.iter().any(|n| l.sinks_in(n) || l.sources_in(n))
    }

    /// The summaries of the module's functions named in `wanted` (all with `None`), as other
    /// files see them.
    fn export(&self, path: &str, lines: &LineIndex<'_>, wanted: Option<&HashSet<String>>) -> HashMap<String, ExportedFn> {
        let mut out = HashMap::default();
        // For a rule's own summaries, only the functions where one of its parts (here, or in a
        // module they call) can matter: the generic summary is the same for the others.
        let i = self.input;
        let parts = i.sources.iter().chain(&i.objects).map(|s| s.0).chain(i.sinks.iter().map(|s| s.0));
        let parts = Starts::of(parts.chain(i.sanitizers.iter().map(|s| s.0)).chain(i.propagators.iter().map(|p| p.0)));
        let generic = parts.0.is_empty() && self.linked.as_ref().is_none_or(|l| !l.has_sinks() && !l.has_sources());
        let relevant = match generic {
            true => HashSet::default(),
            false => self.fns.reaching_sinks(|span| parts.any_in(span) || self.calls_linked(span, true) || self.calls_linked(span, false)),
        };
        for (name, defs) in &self.fns.functions {
            let Some(&r) = defs.last() else { continue };
            if wanted.is_some_and(|w| !w.contains(*name)) || !generic && !relevant.contains(&r.span) {
                continue;
            }
            let Some(s) = self.summary(r, Some(Rc::new(Vars::default())), None) else { continue };
            let ex = |l: &Label| ExLabel {
                param: match l.origin {
                    Origin::Param(p) => Some(p),
                    Origin::Source(_) => None,
                },
                uncertain: l.uncertain || self.source_confidence(l) < crate::rules::Confidence::High,
                obj: l.obj,
                steps: trace_vec(&l.trace, self.src).into_iter().filter_map(|(sp, label)| self.foreign_step(path, lines, sp, label)).collect(),
                first: 0,
            };
            let mut def = r.def.clone();
            def.body = Vec::new();
            def.decorators = Vec::new();
            for p in &mut def.params {
                p.default = None;
            }
            let f = ExportedFn { def, ret: s.ret.iter().map(ex).collect(), sinks: s.sinks.iter().map(|(p, _, l)| (*p, ex(l))).collect() };
            out.insert(name.to_string(), f);
        }
        out
    }

    fn source_confidence(&self, l: &Label) -> crate::rules::Confidence {
        match l.origin {
            Origin::Source(k) => self.sources.get(k as usize).map_or(crate::rules::Confidence::High, |s| s.1),
            Origin::Param(_) => crate::rules::Confidence::High,
        }
    }

    /// A step of this file (or, past [`FOREIGN`], one it took over from another) as another
    /// file's trace shows it.
    fn foreign_step(&self, path: &str, lines: &LineIndex<'_>, sp: Span, label: String) -> Option<ForeignStep> {
        if sp.start >= FOREIGN {
            let l = self.linked.as_ref()?;
            return l.project.step(sp.start - FOREIGN).cloned();
        }
        let (line, column) = lines.position(sp.start);
        let (end_line, end_column) = lines.position(sp.end);
        Some(ForeignStep { file: path.to_string(), line, column, end_line, end_column, start: sp.start, end: sp.end, label })
    }
}

/// The summaries one module exports for one taint rule (`input` its parts in the module; an
/// empty input gives the generic summaries), for the functions named in `wanted` (all with
/// `None`). `linked`: the project as this module sees it, from an earlier round. `None` when
/// the analysis was cut short (its budget, or calls nested too deep).
#[allow(clippy::too_many_arguments)]
pub fn export<'a>(
    path: &str,
    src: &'a str,
    sem: &'a SemanticModel<'a>,
    fns: &'a FileFunctions<'a>,
    input: &'a TaintInput,
    propagation: &'a Propagation,
    linked: Option<Linked<'a>>,
    wanted: Option<&HashSet<String>>,
) -> Option<HashMap<String, ExportedFn>> {
    let a = Analyzer::new(src, sem, fns, input, propagation, linked);
    let lines = LineIndex::new(src);
    let out = a.export(path, &lines, wanted);
    (a.budget.get() > 0 && !a.calls_cut.get()).then_some(out)
}

/// A dotted name with its leading dots (a relative import) resolved against `package`:
/// `.db` in package `app` is `app.db`, `..x` is `x`.
pub fn absolute(q: &str, package: &str) -> String {
    let rest = q.trim_start_matches('.');
    let dots = q.len() - rest.len();
    if dots == 0 {
        return q.to_string();
    }
    let mut base: Vec<&str> = if package.is_empty() { Vec::new() } else { package.split('.').collect() };
    for _ in 1..dots {
        base.pop();
    }
    if !rest.is_empty() {
        base.push(rest);
    }
    base.join(".")
}
