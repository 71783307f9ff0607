//! Taint tracking: does data from a source reach a sink without passing a sanitizer?
//!
//! Runs after matching: the rule's `pattern-sources`, `pattern-sinks`, `pattern-sanitizers` and
//! `pattern-propagators` are ordinary formulas, evaluated by the matcher into ranges of the file.
//! This stage only knows those ranges and the tree. It interprets each function's statements in
//! order, carrying an environment from access paths (`q`, `self.q`, `d["k"]`) to the taint they
//! hold:
//!
//! - assignments (strong update of a name: a constant overwrites taint), augmented assignments,
//!   unpacking, `with ... as`, loop variables, comprehensions and walrus;
//! - string building, containers, subscripts and attributes propagate; `.append`/`.update`
//!   and friends taint their receiver;
//! - dicts with literal keys, lists of known length, `configparser` objects and `io.StringIO`
//!   buffers are followed item by item where every operation on them is known
//!   (`containers.rs`);
//! - branches are joined (tainted on one path stays tainted); a branch whose condition folds to
//!   a constant (see [`fold`]: `num = 86; if 7 * 42 - num > 200:`) is followed only if it can
//!   run, and so is a `case` of a `match` on a constant; a branch that returns or raises ends
//!   its path;
//! - guards (`by-guard` sanitizers, `if x in ALLOWED:`) clean a variable where they hold,
//!   including the early-return shape `if not ok(x): abort(400)`, and a check on the parts of
//!   a parsed URL cleans the URL (`guards.rs`);
//! - functions of the same file get a summary (which parameters reach the return value and
//!   which reach a sink), computed once and applied at each call, `self.method(...)` included;
//!   nested functions see their enclosing function's variables;
//! - route parameters are sources, except those the framework converts (see [`typed`]:
//!   `<int:id>`, FastAPI's `id: int`).
//!
//! A call that cannot be resolved still passes taint through, but the finding's confidence is
//! lowered. Every finding carries the steps the data took, from the source to the sink.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::syntax::ast::*;
use crate::rules::{Confidence, Guard, Propagation};
use crate::semantic::{Definition, DefinitionKind, ScopeId, SemanticModel};
use crate::syntax::visitor::{walk_body, walk_expr, walk_stmt, Descend, Visitor};

mod containers;
mod env;
mod flow;
mod request;
mod files;
mod fold;
mod guards;
mod typed;
pub mod verdict;
pub mod project;

use env::{Delta, Env, Vars};
use flow::{LoopExits, LoopHead, TryParts};
use request::Obj;

/// Ranges of one taint rule's parts in one file, from the matcher.
#[derive(Default, Clone)]
pub struct TaintInput {
    /// (range, confidence of the source).
    pub sources: Vec<(Span, Confidence)>,
    /// (range, confidence): sources that are the web request object itself (see `request.rs`).
    pub objects: Vec<(Span, Confidence)>,
    /// (range, focused): a focused sink (`focus-metavariable`) is the value itself; an
    /// unfocused call receives its arguments and receiver.
    pub sinks: Vec<(Span, bool)>,
    /// (range, guard kind, by side effect).
    pub sanitizers: Vec<(Span, Guard, bool)>,
    /// (range of the match, range bound to `from`, range bound to `to`).
    pub propagators: Vec<(Span, Span, Span)>,
    /// Following the rule from every value the analysis cannot know, to prove sinks clean
    /// (see `verdict.rs`): only the definitions that hold a sink are interpreted, and calls
    /// to the file's functions are not followed. Every parameter and every such call is
    /// itself a source then, so a callee's effects and a caller's arguments change nothing.
    pub proof: bool,
}

/// One source-to-sink flow.
#[derive(Debug, Clone)]
pub struct TaintFinding {
    pub sink: Span,
    pub confidence: Confidence,
    /// (range, label) from the source to the sink.
    pub steps: Vec<(Span, String)>,
}

/// What following one taint rule through a file found, and what it left out.
#[derive(Debug, Default)]
pub struct TaintOutcome {
    /// One flow per sink.
    pub findings: Vec<TaintFinding>,
    /// The sinks that a parameter of one of the file's functions reaches (whatever its callers
    /// pass), sorted: with `verdict`'s sources, the value there is not known.
    pub param_sinks: Vec<Span>,
    /// The sinks whose value was interpreted at least once, sorted (code the analysis does not
    /// interpret, such as a lambda's body, has none).
    pub sinks_seen: Vec<Span>,
    /// Calls nested deeper than [`MAX_CALL_NESTING`] were not followed.
    pub calls_cut: bool,
    /// The file's work budget ran out before every statement was interpreted.
    pub budget_spent: bool,
    /// Work units spent: statements interpreted and paths of the taint state written, undone
    /// or joined at branches, in the matcher's units (see `matching::matcher::work_budget`).
    pub work: u64,
}

/// Work units of one interpreted statement (one unification step of the matcher is one unit).
const STMT_WORK: u64 = 64;
/// Work units of one access path written, undone or joined in the taint state.
const PATH_WORK: u64 = 8;

/// Longest trace kept (the middle of longer ones is dropped).
const MAX_STEPS: usize = 24;
/// At most this many distinct origins are tracked per value.
const MAX_LABELS: usize = 4;
/// Recursion bound for expressions and nested blocks (the tree is already depth-bounded).
const MAX_DEPTH: u32 = 400;
/// How many calls of the file's own functions are followed inside each other. Each level is
/// a summary computed while its caller's is in progress, costing stack; a chain of 800 helpers
/// each calling the next overflowed it. Deeper calls are treated as unresolved, and the file's
/// result says that flows were not followed past this depth.
pub const MAX_CALL_NESTING: usize = 24;

/// What a trace step says. Labels that quote code keep the code's range and are written out
/// only when a trace is read (most traces end in no finding), not at every step interpreted.
#[derive(Clone, Debug, PartialEq)]
enum StepLabel {
    Text(String),
    /// `{0}` then the code at `{1}`, then `{2}`: `source: request.args["q"]`.
    Code(&'static str, Span, &'static str),
    /// `sink: {code at 0} in {code at 1}`: an argument and the call it goes into.
    SinkIn(Span, Span),
}

impl From<String> for StepLabel {
    fn from(s: String) -> Self {
        StepLabel::Text(s)
    }
}

impl StepLabel {
    fn render(&self, src: &str) -> String {
        match self {
            StepLabel::Text(t) => t.clone(),
            StepLabel::Code(before, span, after) => format!("{before}{}{after}", code_text(src, *span)),
            StepLabel::SinkIn(sink, call) => format!("sink: {} in {}", code_text(src, *sink), code_text(src, *call)),
        }
    }
}

/// The code at `span` for a trace step: on one line, cut to 60 characters.
fn code_text(src: &str, span: Span) -> String {
    let t = src.get(span.start as usize..span.end as usize).unwrap_or("");
    // Most texts are short and on one line with single spaces: as they are.
    let plain = t.len() <= 60
        && t.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        && !t.contains("  ")
        && !t.starts_with(' ')
        && !t.ends_with(' ');
    if plain {
        return t.to_string();
    }
    let one_line: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

struct StepNode {
    span: Span,
    label: StepLabel,
    prev: Option<Rc<StepNode>>,
    len: usize,
}

type Trace = Option<Rc<StepNode>>;

/// Freed node by node: a trace can be thousands of steps long (a chain of helpers), and the
/// default recursive drop of a linked list would use one stack frame per step.
impl Drop for StepNode {
    fn drop(&mut self) {
        let mut next = self.prev.take();
        while let Some(rc) = next {
            match Rc::try_unwrap(rc) {
                Ok(mut node) => next = node.prev.take(),
                // Shared with another trace: that one frees it.
                Err(_) => break,
            }
        }
    }
}

/// Longest trace stored: longer ones keep their first [`MAX_STEPS`]` / 2` steps, a step saying
/// how many were left out, and their last steps. Without it, helpers that call each other
/// (each calling the previous two) grow traces exponentially with the number of helpers.
const TRACE_CAP: usize = 2 * MAX_STEPS;

fn push_step(t: &Trace, span: Span, label: StepLabel) -> Trace {
    if let Some(n) = t {
        // Same place twice in a row (a loop's second pass): keep one.
        if n.span == span && n.label == label {
            return t.clone();
        }
    }
    let base = match t {
        Some(n) if n.len >= TRACE_CAP => compact(n),
        _ => t.clone(),
    };
    let len = base.as_ref().map_or(0, |n| n.len) + 1;
    Some(Rc::new(StepNode { span, label, prev: base, len }))
}

/// A trace of [`TRACE_CAP`] steps or more, rebuilt as its first `MAX_STEPS / 2` steps, one step
/// that says how many were left out, and its last `MAX_STEPS / 2` steps. Amortised over the
/// pushes that fill a trace again, each push costs O(1).
fn compact(n: &Rc<StepNode>) -> Trace {
    let mut steps: Vec<(Span, &StepLabel, usize)> = Vec::with_capacity(n.len);
    let mut cur = Some(n);
    while let Some(x) = cur {
        steps.push((x.span, &x.label, x.len));
        cur = x.prev.as_ref();
    }
    steps.reverse();
    let keep = MAX_STEPS / 2;
    if steps.len() <= 2 * keep + 1 {
        return Some(n.clone());
    }
    let left_out = steps.len() - 2 * keep;
    let mut out: Trace = None;
    let mut len = 0;
    let mut add = |out: &mut Trace, span: Span, label: StepLabel| {
        len += 1;
        *out = Some(Rc::new(StepNode { span, label, prev: out.take(), len }));
    };
    for &(span, label, _) in &steps[..keep] {
        add(&mut out, span, label.clone());
    }
    let gap = steps[keep].0;
    add(&mut out, gap, format!("... {left_out} steps through helper calls left out ...").into());
    for &(span, label, _) in &steps[steps.len() - keep..] {
        add(&mut out, span, label.clone());
    }
    out
}

/// `tail`'s steps (a callee's flow) appended after `head`'s.
fn chain(head: Trace, tail: &Trace) -> Trace {
    let mut steps = Vec::new();
    let mut cur = tail.as_ref();
    while let Some(n) = cur {
        steps.push(n);
        cur = n.prev.as_ref();
    }
    steps.into_iter().rev().fold(head, |t, n| push_step(&t, n.span, n.label.clone()))
}

/// The steps of a trace, from the source on, with their labels written out (`src` is the
/// text of the file whose code the labels quote).
fn trace_vec(t: &Trace, src: &str) -> Vec<(Span, String)> {
    let mut nodes = Vec::new();
    let mut cur = t.as_ref();
    while let Some(n) = cur {
        nodes.push(n);
        cur = n.prev.as_ref();
    }
    // A longer trace keeps its first and its last `MAX_STEPS / 2` steps.
    let keep = |i: usize| nodes.len() <= MAX_STEPS || i < MAX_STEPS / 2 || i >= nodes.len() - MAX_STEPS / 2;
    nodes.iter().rev().enumerate().filter(|(i, _)| keep(*i)).map(|(_, n)| (n.span, n.label.render(src))).collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Origin {
    /// Index into `TaintInput::sources`.
    Source(u32),
    /// A parameter of the function being summarised.
    Param(u32),
}

#[derive(Clone)]
struct Label {
    origin: Origin,
    /// Passed through a call pyward could not resolve.
    uncertain: bool,
    trace: Trace,
    /// The request object or data (see `request.rs`).
    obj: Obj,
}

type Taint = Vec<Label>;

fn union_into(a: &mut Taint, b: &[Label]) {
    for l in b {
        match a.iter_mut().find(|x| x.origin == l.origin && x.obj == l.obj) {
            Some(x) => {
                if x.uncertain && !l.uncertain {
                    *x = l.clone();
                }
            }
            None => {
                if a.len() < MAX_LABELS {
                    a.push(l.clone());
                }
            }
        }
    }
}

/// `t` with one more step; the label is only written when there is taint to carry it (most
/// values are clean).
fn with_step(t: &[Label], span: Span, label: impl FnOnce() -> StepLabel) -> Taint {
    if t.is_empty() {
        return Taint::new();
    }
    let label = label();
    t.iter().map(|l| Label { trace: push_step(&l.trace, span, label.clone()), ..l.clone() }).collect()
}

/// `t` passed through a call pyward could not resolve. A request object that survives one (in
/// an instance of the file's class built from it) is still certainly the request.
fn uncertain(mut t: Taint) -> Taint {
    for l in &mut t {
        l.uncertain |= l.obj != Obj::Object;
    }
    t
}

/// Which parameters reach the return value and which reach a sink.
#[derive(Default)]
struct Summary {
    /// Taint of the return value: `Param(i)` labels, and sources read inside the function.
    ret: Taint,
    /// (parameter, the flow from it to a sink): its trace starts after the parameter.
    sinks: Vec<(u32, Span, Label)>,
    /// For `__init__`: the attributes of `self` it sets from sources (see `request.rs`).
    fields: Vec<(String, Taint)>,
}

/// The file's own functions and methods that calls resolve to, built once per file from the
/// semantic model's definitions and shared by every taint rule.
pub struct FileFunctions<'a> {
    /// Module-level functions by name (a name defined more than once has each definition).
    functions: HashMap<&'a str, Vec<FnRef<'a>>>,
    /// Methods by class name, then method name.
    methods: HashMap<&'a str, HashMap<&'a str, FnRef<'a>>>,
    /// The names each definition outside functions calls (`f(...)` gives `f`, `x.m(...)` gives
    /// `m`), nested functions included, by the definition's range: see
    /// [`FileFunctions::reaching_sinks`].
    calls: HashMap<Span, Vec<&'a str>>,
    /// The ranges of module-level code that `Analyzer::module_block` interprets (statements
    /// other than definitions, and the decorators of functions), sorted by start, and the
    /// names called there.
    module_code: Vec<Span>,
    module_calls: Vec<&'a str>,
    /// The names of all methods.
    method_names: HashSet<&'a str>,
    /// From `calls`, `functions` and `methods`: the definitions calling each name, and the
    /// names each resolvable definition goes by.
    callers: HashMap<&'a str, Vec<Span>>,
    names_of: HashMap<Span, Vec<&'a str>>,
    /// Enumerations and the framework, for typed route parameters.
    types: typed::FileTypes<'a>,
}

impl<'a> FileFunctions<'a> {
    /// Those that exist whenever their module or class body has run (defined at its top level
    /// or in `if`/`try` blocks), in classes defined the same way.
    pub fn new(module: &'a Module, sem: &SemanticModel<'a>) -> Self {
        let mut out = FileFunctions {
            functions: HashMap::default(),
            methods: HashMap::default(),
            calls: HashMap::default(),
            module_code: Vec::new(),
            module_calls: Vec::new(),
            method_names: HashSet::default(),
            callers: HashMap::default(),
            names_of: HashMap::default(),
            types: typed::FileTypes::new(sem),
        };
        let mut module_calls = Calls(Vec::new());
        for s in &module.body {
            match &s.kind {
                StmtKind::FunctionDef(f) => {
                    for d in &f.decorators {
                        out.module_code.push(d.span);
                        walk_expr(&mut module_calls, d, 1);
                    }
                }
                StmtKind::ClassDef(_) => {}
                _ => {
                    out.module_code.push(s.span);
                    walk_stmt(&mut module_calls, s, 0);
                }
            }
        }
        out.module_code.sort_by_key(|sp| sp.start);
        module_calls.0.sort_unstable();
        module_calls.0.dedup();
        out.module_calls = module_calls.0;
        for (d, _) in outside_functions(sem, false) {
            if let StmtKind::FunctionDef(f) = &d.stmt.kind {
                out.calls.insert(d.stmt.span, called_names(f));
            }
        }
        for (d, class) in outside_functions(sem, true) {
            let (DefinitionKind::Function, StmtKind::FunctionDef(f)) = (d.kind, &d.stmt.kind) else { continue };
            match class {
                Some(c) => {
                    let r = FnRef { def: f, span: d.stmt.span, method: !is_static(f), class: Some(c) };
                    out.methods.entry(c).or_default().insert(d.name, r);
                    out.method_names.insert(d.name);
                }
                None => out.functions.entry(d.name).or_default().push(FnRef { def: f, span: d.stmt.span, method: false, class: None }),
            }
        }
        for (span, names) in &out.calls {
            for n in names {
                out.callers.entry(*n).or_default().push(*span);
            }
        }
        for (name, defs) in &out.functions {
            for d in defs {
                out.names_of.entry(d.span).or_default().push(name);
            }
        }
        for methods in out.methods.values() {
            for (name, d) in methods {
                out.names_of.entry(d.span).or_default().push(name);
            }
        }
        out
    }

    /// The definitions outside functions (by range) whose interpretation can reach a sink:
    /// those with a sink inside them (`has_sink`), and, transitively, those calling a name that
    /// a call could resolve to one of them (a function of that name, a method of that name in
    /// any class). Over-approximates what `Analyzer::resolve` can resolve; the rest cannot
    /// produce a finding, since flows are only recorded at sinks and a function's effects on
    /// its caller are its summary, computed when called. Linear in the calls: a worklist over
    /// the reverse call edges. (Given the source ranges instead, it gives the definitions that
    /// read a source or can get a source's data back from a call.)
    fn reaching_sinks(&self, has_sink: impl Fn(Span) -> bool) -> HashSet<Span> {
        let (callers, names_of) = (&self.callers, &self.names_of);
        let mut out: HashSet<Span> = self.calls.keys().copied().filter(|s| has_sink(*s)).collect();
        let mut todo: Vec<Span> = out.iter().copied().collect();
        let mut names_done: HashSet<&'a str> = HashSet::default();
        while let Some(d) = todo.pop() {
            for name in names_of.get(&d).map(Vec::as_slice).unwrap_or(&[]) {
                if !names_done.insert(name) {
                    continue;
                }
                for caller in callers.get(name).map(Vec::as_slice).unwrap_or(&[]) {
                    if out.insert(*caller) {
                        todo.push(*caller);
                    }
                }
            }
        }
        out
    }
}

/// Collects the names called (`f(...)` gives `f`, `x.m(...)` gives `m`).
struct Calls<'a>(Vec<&'a str>);

impl<'a> Visitor<'a> for Calls<'a> {
    fn enter_expr(&mut self, e: &'a Expr, _depth: u32) -> Descend {
        if let ExprKind::Call { func, .. } = &e.kind {
            match &func.kind {
                ExprKind::Name(n) => self.0.push(n.as_str()),
                ExprKind::Attribute { attr, .. } => self.0.push(attr.name.as_str()),
                _ => {}
            }
        }
        Descend::Yes
    }
}

/// The names a function calls, in its body, decorators and defaults, nested functions included.
fn called_names(f: &FunctionDef) -> Vec<&str> {
    let mut c = Calls(Vec::new());
    walk_body(&mut c, &f.body, 1);
    for e in f.decorators.iter().chain(f.params.iter().filter_map(|p| p.default.as_ref())) {
        walk_expr(&mut c, e, 1);
    }
    c.0.sort_unstable();
    c.0.dedup();
    c.0
}

/// The definitions outside any function: at module level, or in classes that are themselves
/// outside functions; each with the name of the class it is directly in. With `fixed_shape`,
/// only those reached through `if`/`try` blocks (see `Definition::unconditional_shape`), in
/// classes defined the same way.
fn outside_functions<'s, 'a>(sem: &'s SemanticModel<'a>, fixed_shape: bool) -> impl Iterator<Item = (&'s Definition<'a>, Option<&'a str>)> {
    // Class body scopes outside any function, with the class's name.
    let mut classes: HashMap<ScopeId, &'a str> = HashMap::default();
    sem.definitions().iter().filter(move |d| !fixed_shape || d.unconditional_shape).filter_map(move |d| {
        let class = classes.get(&d.scope).copied();
        if d.scope != ScopeId::MODULE && class.is_none() {
            return None;
        }
        if d.kind == DefinitionKind::Class {
            classes.insert(d.body_scope, d.name);
        }
        Some((d, class))
    })
}

/// Ranges with a value, sorted by start, to find those inside a range in logarithmic time
/// (each statement looks for the sanitizers inside it: a scan of all of them per statement made
/// long files quadratic).
struct Within<T> {
    sorted: Vec<(Span, T)>,
}

impl<T> Within<T> {
    fn new(items: impl IntoIterator<Item = (Span, T)>) -> Self {
        let mut sorted: Vec<(Span, T)> = items.into_iter().collect();
        sorted.sort_by_key(|(s, _)| (s.start, s.end));
        Within { sorted }
    }

    fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The entries whose range starts inside `outer` (in start order); those that also end
    /// inside it are the ones `outer` contains.
    fn starting_in(&self, outer: Span) -> &[(Span, T)] {
        let from = self.sorted.partition_point(|(s, _)| s.start < outer.start);
        let to = self.sorted.partition_point(|(s, _)| s.start <= outer.end);
        self.sorted.get(from..to).unwrap_or(&[])
    }

    /// The entries whose range lies inside `outer`.
    fn inside(&self, outer: Span) -> impl Iterator<Item = &(Span, T)> {
        self.starting_in(outer).iter().filter(move |(s, _)| s.end <= outer.end)
    }
}

#[derive(Clone, Copy)]
struct FnRef<'a> {
    def: &'a FunctionDef,
    span: Span,
    /// A method (its first parameter is the receiver).
    method: bool,
    /// The class it is defined in.
    class: Option<&'a str>,
}

struct Analyzer<'a> {
    src: &'a str,
    /// The rule's sources, then its request objects (from `first_object` on).
    sources: Vec<(Span, Confidence)>,
    first_object: u32,
    sem: &'a SemanticModel<'a>,
    input: &'a TaintInput,
    propagation: &'a Propagation,
    source_at: HashMap<Span, u32>,
    /// Sink ranges, and whether the sink is focused.
    sink_at: HashMap<Span, bool>,
    sanitizer_at: HashMap<Span, (Guard, bool)>,
    /// By-side-effect sanitizers (`validate(x)` on its own), to find those in a statement.
    side_sanitizers: Within<()>,
    /// Guard sanitizers (`by-guard`), to find those in a condition.
    guard_sanitizers: Within<Guard>,
    /// The ranges whose access path is read back (propagators' `to`, by-side-effect
    /// sanitizers): only those are recorded in `Frame::paths`.
    path_wanted: HashSet<Span>,
    /// Propagators by the range of their match: (from, to).
    prop_at: HashMap<Span, Vec<(Span, Span)>>,
    /// The file's own functions and methods.
    fns: &'a FileFunctions<'a>,
    summaries: RefCell<HashMap<Span, Rc<Summary>>>,
    /// What each helper of the file guards (see `guards.rs`).
    helper_guards: RefCell<HashMap<Span, Rc<guards::HelperGuards>>>,
    in_progress: RefCell<HashSet<Span>>,
    /// A call was not followed because of [`MAX_CALL_NESTING`].
    calls_cut: Cell<bool>,
    findings: RefCell<Vec<(Span, Label)>>,
    /// The sinks interpreted so far.
    sinks_seen: RefCell<HashSet<Span>>,
    /// Statements left to interpret: a bound on the work for pathological files.
    budget: Cell<u64>,
    module_env: RefCell<Rc<Vars>>,
    /// In a project scan: the functions other scanned modules export (see `project.rs`).
    linked: Option<project::Linked<'a>>,
}

/// The state of one function being interpreted.
struct Frame<'a> {
    env: Env,
    /// The enclosing function's variables (for nested functions).
    closure: Option<Rc<Vars>>,
    /// Functions defined inside this one, by name.
    local_defs: HashMap<&'a str, FnRef<'a>>,
    /// The class whose method this is.
    class: Option<&'a str>,
    summary: Summary,
    /// Taint of the expressions evaluated so far in the current statement, by range (for
    /// propagators and guards).
    seen: HashMap<Span, Taint>,
    /// Access path of each evaluated expression that has one, by range.
    paths: HashMap<Span, String>,
    /// The calls whose arguments are being evaluated (for the wording of sink steps).
    calls: Vec<Span>,
    /// Variables holding an instance of a class of this file (`repo = Repo(db)`).
    instances: HashMap<&'a str, &'a str>,
    /// The scope whose code this is (for name resolution in the semantic model).
    scope: ScopeId,
    /// The loops the statement being interpreted is in, innermost last.
    loops: Vec<LoopExits>,
}

impl<'a> Frame<'a> {
    fn new(closure: Option<Rc<Vars>>, class: Option<&'a str>, scope: ScopeId) -> Self {
        Frame {
            scope,
            env: Env::default(),
            closure,
            local_defs: HashMap::default(),
            class,
            summary: Summary::default(),
            seen: HashMap::default(),
            paths: HashMap::default(),
            calls: Vec::new(),
            instances: HashMap::default(),
            loops: Vec::new(),
        }
    }
}

fn callee_name(func: &Expr) -> &str {
    match &func.kind {
        ExprKind::Name(n) => n.as_str(),
        ExprKind::Attribute { attr, .. } => attr.name.as_str(),
        _ => "",
    }
}

impl<'a> Analyzer<'a> {

    /// The access path of an expression: `x`, `self.x`, `d["k"]`, `d[0]`.
    fn path_of(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Name(n) => Some(n.to_string()),
            ExprKind::Attribute { value, attr } => Some(format!("{}.{}", self.path_of(value)?, attr.name)),
            ExprKind::Subscript { value, slice } => {
                let base = self.path_of(value)?;
                match containers::key_text(slice) {
                    Some(k) => Some(format!("{base}[{k}]")),
                    None => Some(base),
                }
            }
            _ => None,
        }
    }

    /// Whether a condition always holds, never does, or is unknown, by constant folding (see
    /// [`fold`]); the expressions the fold visits are charged.
    fn truth(&self, fr: &Frame<'a>, test: &Expr) -> Option<bool> {
        let mut f = fold::Folder::new(self.sem, self.src);
        let t = f.truth(fr.scope, test);
        self.spend(f.work());
        t
    }

    /// Charges a statement and the state changes since the last charge; false once the budget
    /// is spent (the statement is then not interpreted).
    fn charge(&self, fr: &mut Frame<'a>) -> bool {
        self.spend(STMT_WORK + PATH_WORK * fr.env.take_work())
    }

    /// Charges `units` of work; false once the budget is spent.
    fn spend(&self, units: u64) -> bool {
        let b = self.budget.get();
        if b == 0 {
            return false;
        }
        self.budget.set(b.saturating_sub(units));
        true
    }

    // ---- functions -------------------------------------------------------------------

    fn resolve(&self, fr: &Frame<'a>, func: &Expr) -> Option<FnRef<'a>> {
        match &func.kind {
            ExprKind::Name(n) => {
                // A local variable of that name (holding data, not a function of the file).
                if fr.env.contains(n.as_str()) {
                    return None;
                }
                if let Some(f) = fr.local_defs.get(n.as_str()) {
                    return Some(*f);
                }
                if self.sem.resolve_import(fr.scope, n).is_some() {
                    return None;
                }
                match self.fns.functions.get(n.as_str()).map(Vec::as_slice) {
                    Some([f]) => Some(*f),
                    // Defined more than once (a conditional definition): the last one.
                    Some([.., f]) => Some(*f),
                    _ => None,
                }
            }
            ExprKind::Attribute { value, attr } => {
                let m = attr.name.as_str();
                match &value.kind {
                    ExprKind::Name(recv) if recv == "self" || recv == "cls" => self.fns.methods.get(fr.class?)?.get(m).copied(),
                    // `Repo(db).search(...)`: a class of this file.
                    ExprKind::Call { func, .. } => match &func.kind {
                        ExprKind::Name(class) => self.fns.methods.get(class.as_str())?.get(m).copied(),
                        _ => None,
                    },
                    // `repo = Repo(db)` ... `repo.search(...)`.
                    ExprKind::Name(recv) => self.fns.methods.get(fr.instances.get(recv.as_str())?)?.get(m).copied(),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn summary(&self, f: FnRef<'a>, closure: Option<Rc<Vars>>, class: Option<&'a str>) -> Option<Rc<Summary>> {
        if let Some(s) = self.summaries.borrow().get(&f.span) {
            return Some(s.clone());
        }
        if self.in_progress.borrow().len() >= MAX_CALL_NESTING {
            // Too deep a chain of helpers: not followed further (and said so).
            self.calls_cut.set(true);
            return None;
        }
        if !self.in_progress.borrow_mut().insert(f.span) {
            // Recursion: the call is treated as unresolved.
            return None;
        }
        let s = Rc::new(self.analyze_function(f, closure, class));
        self.in_progress.borrow_mut().remove(&f.span);
        self.summaries.borrow_mut().insert(f.span, s.clone());
        Some(s)
    }

    fn analyze_function(&self, f: FnRef<'a>, closure: Option<Rc<Vars>>, class: Option<&'a str>) -> Summary {
        let scope = self.sem.body_scope(f.span.start).unwrap_or(ScopeId::MODULE);
        let mut fr = Frame::new(closure, class, scope);
        // A parameter that is itself a source (a route parameter): the route's other
        // parameters come from the request too, except injected dependencies (`= Depends(...)`).
        let source_of = |p: &Param| self.source_at.get(&p.span).or_else(|| self.source_at.get(&p.name.span)).copied();
        let param_source = f.def.params.iter().filter_map(source_of).find(|&k| k < self.first_object);
        // Converted by the framework (`<int:id>`, `id: int` in FastAPI): not text, not a source.
        let typed = if param_source.is_some() { self.fns.types.typed_params(f.def) } else { Vec::new() };
        for (i, p) in f.def.params.iter().enumerate() {
            // A typed value is a number (or the like) whoever passes it: not even its caller's
            // data reaches a sink through it (a sink it reaches is not a parameter's sink).
            let typed = typed.get(i).copied().unwrap_or(false);
            let mut t = match typed {
                true => Taint::new(),
                false => vec![Label { origin: Origin::Param(i as u32), uncertain: false, trace: None, obj: Obj::Object }],
            };
            if f.method && i == 0 {
                // The receiver: only a request object it holds is followed (see `request.rs`).
                fr.env.set(&p.name.name, t);
                continue;
            }
            if let Some(k) = source_of(p).filter(|&k| k >= self.first_object) {
                let label = format!("source: parameter {} (the request object)", p.name.name);
                t.push(Label { origin: Origin::Source(k), uncertain: false, trace: push_step(&None, p.name.span, label.into()), obj: Obj::Object });
            }
            let injected = matches!(p.default.as_ref().map(|d| &d.kind), Some(ExprKind::Call { .. }));
            let src = param_source.as_ref().filter(|_| !injected && p.kind != ParamKind::KwArgs && !typed);
            if let Some(&k) = src {
                let label = format!("source: parameter {}", p.name.name);
                t.push(Label { origin: Origin::Source(k), uncertain: false, trace: push_step(&None, p.name.span, label.into()), obj: Obj::Data });
            }
            if let Some(d) = &p.default {
                let dt = self.eval(&mut fr, d, 0);
                union_into(&mut t, &dt);
            }
            fr.env.set(&p.name.name, t);
        }
        for (path, t) in self.init_fields(f.class.filter(|_| f.method), &f.def.name.name) {
            fr.env.set(&path, t);
        }
        self.block(&mut fr, &f.def.body, 0);
        self.spend(PATH_WORK * fr.env.take_work());
        if f.method && f.def.name.name == "__init__" {
            fr.summary.fields = request::fields_of(fr.env.vars());
        }
        fr.summary
    }

    /// Applies a callee's summary at a call: reports the flows from the arguments into the
    /// callee's sinks, and returns the taint of the call's value.
    fn apply_call(
        &self,
        fr: &mut Frame<'a>,
        call: &Expr,
        f: FnRef<'a>,
        s: &Summary,
        arg_taints: &[(Option<&str>, Span, Taint)],
        recv: Option<(Span, Taint)>,
    ) -> Taint {
        let params = &f.def.params;
        let skip = usize::from(f.method);
        let name = f.def.name.name.as_str();
        // Which argument feeds which parameter.
        let mut bound: Vec<Option<usize>> = vec![None; params.len()];
        let mut pos = skip;
        for (ai, (kw, _, _)) in arg_taints.iter().enumerate() {
            let target = match kw {
                None => {
                    let t = params.iter().enumerate().skip(pos).find(|(_, p)| p.kind == ParamKind::Positional);
                    match t {
                        Some((i, _)) => {
                            pos = i + 1;
                            Some(i)
                        }
                        None => params.iter().position(|p| p.kind == ParamKind::VarArgs),
                    }
                }
                Some(k) => params
                    .iter()
                    .position(|p| p.name.name == *k && p.kind != ParamKind::VarArgs && p.kind != ParamKind::KwArgs)
                    .or_else(|| params.iter().position(|p| p.kind == ParamKind::KwArgs)),
            };
            if let Some(i) = target {
                if bound[i].is_none() {
                    bound[i] = Some(ai);
                }
            }
        }
        // A method's receiver: the request objects it holds (see `request.rs`).
        let recv_arg = recv.filter(|_| f.method).map(|(sp, t)| (None, sp, t));
        let arg_for = |i: u32| -> Option<&(Option<&str>, Span, Taint)> {
            if i == 0 && recv_arg.is_some() {
                return recv_arg.as_ref();
            }
            bound.get(i as usize).copied().flatten().map(|ai| &arg_taints[ai])
        };
        // Flows into the callee's sinks are reported here, at the argument that carries the
        // data in: that is where the caller must act (a helper called safely by four callers
        // and unsafely by one gives one finding, at that call). The trace runs on into the
        // helper, to the sink. Inside a helper, the flow becomes the helper's own summary
        // entry at this argument, so its callers report at their calls in turn.
        for (pi, _sink, inner) in &s.sinks {
            let Some((_, aspan, t)) = arg_for(*pi) else { continue };
            let pname = params.get(*pi as usize).map(|p| p.name.name.as_str()).unwrap_or("?");
            for l in t {
                let Some(obj) = request::through(l, inner.obj) else { continue };
                let trace = chain(push_step(&l.trace, *aspan, format!("passed to {name}() as {pname}").into()), &inner.trace);
                let flow = Label { origin: l.origin, uncertain: l.uncertain || inner.uncertain, trace, obj };
                self.record(fr, *aspan, flow);
            }
        }
        // The value of the call.
        let mut out = Taint::new();
        for l in &s.ret {
            match l.origin {
                Origin::Param(pi) => {
                    if let Some((_, aspan, t)) = arg_for(pi) {
                        let pname = params.get(pi as usize).map(|p| p.name.name.as_str()).unwrap_or("?");
                        for a in t {
                            let Some(obj) = request::through(a, l.obj) else { continue };
                            let passed = chain(push_step(&a.trace, *aspan, format!("passed to {name}() as {pname}").into()), &l.trace);
                            let trace = push_step(&passed, call.span, format!("returned from {name}()").into());
                            union_into(&mut out, &[Label { origin: a.origin, uncertain: a.uncertain || l.uncertain, trace, obj }]);
                        }
                    }
                }
                Origin::Source(_) => {
                    let trace = push_step(&l.trace, call.span, format!("returned from {name}()").into());
                    union_into(&mut out, &[Label { trace, ..l.clone() }]);
                }
            }
        }
        out
    }

    fn sink_label(&self, fr: &Frame<'a>, sink: Span) -> StepLabel {
        match fr.calls.last() {
            // The sink is an argument: name the call it goes into.
            Some(call) if *call != sink && call.contains(sink) => StepLabel::SinkIn(sink, *call),
            _ => StepLabel::Code("sink: ", sink, ""),
        }
    }

    fn reach_sink(&self, fr: &mut Frame<'a>, sink: Span, l: Label) {
        let label = self.sink_label(fr, sink);
        let trace = push_step(&l.trace, sink, label);
        self.record(fr, sink, Label { trace, ..l });
    }

    /// A flow whose trace already ends at the sink.
    fn record(&self, fr: &mut Frame<'a>, sink: Span, l: Label) {
        match l.origin {
            Origin::Source(_) => {
                if request::is_data(&l) {
                    self.findings.borrow_mut().push((sink, l));
                }
            }
            Origin::Param(i) => {
                if !fr.summary.sinks.iter().any(|(p, s, _)| *p == i && *s == sink) {
                    fr.summary.sinks.push((i, sink, l));
                }
            }
        }
    }

    // ---- expressions -----------------------------------------------------------------

    /// What was stored at exactly `path`: in this function, else (when this function does not
    /// bind the path's root name) among the enclosing function's variables.
    fn stored(&self, fr: &Frame<'a>, path: &str) -> Option<Taint> {
        if let Some(t) = fr.env.get(path) {
            return Some(t.clone());
        }
        let root = path.split(['.', '[']).next().unwrap_or(path);
        if fr.env.contains(root) {
            return None;
        }
        fr.closure.as_ref()?.get(path).cloned()
    }

    /// An attribute or item of an object: what was stored at exactly that path, else the
    /// object's own taint (`vt`, which carries any source matched on the way).
    fn part_of(&self, fr: &mut Frame<'a>, e: &'a Expr, vt: Taint) -> Taint {
        let Some(p) = self.path_of(e) else { return vt };
        let exact = self.stored(fr, &p);
        if self.path_wanted.contains(&e.span) {
            fr.paths.insert(e.span, p);
        }
        exact.unwrap_or(vt)
    }

    fn eval(&self, fr: &mut Frame<'a>, e: &'a Expr, depth: u32) -> Taint {
        if depth > MAX_DEPTH {
            return Taint::new();
        }
        let mut t = self.eval_kind(fr, e, depth);
        if !Self::keeps_objects(e) {
            t = request::derive(t);
        }
        if let Some(&k) = self.source_at.get(&e.span) {
            let (obj, label) = match k >= self.first_object {
                true => (Obj::Object, StepLabel::Code("source: ", e.span, " (the request object)")),
                false => (Obj::Data, StepLabel::Code("source: ", e.span, "")),
            };
            union_into(&mut t, &[Label { origin: Origin::Source(k), uncertain: false, trace: push_step(&None, e.span, label), obj }]);
        }
        if let Some((Guard::No, false)) = self.sanitizer_at.get(&e.span) {
            t.clear();
        }
        if self.sink_at.contains_key(&e.span) {
            self.sinks_seen.borrow_mut().insert(e.span);
            // A sink that is a whole call (`os.system(...)` without a focus) receives its
            // arguments and receiver; a focused sink receives its own value.
            let focused = self.sink_at.get(&e.span).copied().unwrap_or(false);
            let sanitized = matches!(self.sanitizer_at.get(&e.span), Some((Guard::No, false)));
            let reaching = match &e.kind {
                _ if sanitized => Taint::new(),
                ExprKind::Call { func, args, keywords } if !focused => {
                    let mut u = Taint::new();
                    // The receiver too (`template.format(...)` with a tainted template).
                    let recv = match &func.kind {
                        ExprKind::Attribute { value, .. } => Some(&**value),
                        _ => None,
                    };
                    for a in recv.into_iter().chain(args.iter()).chain(keywords.iter().map(|k| &k.value)) {
                        if let Some(at) = fr.seen.get(&a.span) {
                            union_into(&mut u, at);
                        }
                    }
                    u
                }
                _ => t.clone(),
            };
            for l in reaching {
                self.reach_sink(fr, e.span, l);
            }
        }
        if let Some(props) = self.prop_at.get(&e.span) {
            for (from, to) in props.clone() {
                let ft = fr.seen.get(&from).cloned().unwrap_or_default();
                if let Some(p) = fr.paths.get(&to).cloned() {
                    fr.env.add(&p, &ft);
                }
            }
        }
        if !t.is_empty() || self.sink_at.contains_key(&e.span) {
            fr.seen.insert(e.span, t.clone());
        }
        t
    }

    fn eval_all(&self, fr: &mut Frame<'a>, es: impl IntoIterator<Item = &'a Expr>, depth: u32) -> Taint {
        let mut t = Taint::new();
        for e in es {
            let x = self.eval(fr, e, depth + 1);
            union_into(&mut t, &x);
        }
        t
    }

    fn eval_kind(&self, fr: &mut Frame<'a>, e: &'a Expr, depth: u32) -> Taint {
        match &e.kind {
            ExprKind::Name(n) => {
                if self.path_wanted.contains(&e.span) {
                    fr.paths.insert(e.span, n.to_string());
                }
                self.stored(fr, n).unwrap_or_default()
            }
            ExprKind::Attribute { value, attr } => {
                let vt = request::attribute(self.eval(fr, value, depth + 1), &attr.name);
                self.part_of(fr, e, vt)
            }
            ExprKind::Subscript { value, slice } => {
                let vt = request::derive(self.eval(fr, value, depth + 1));
                self.eval(fr, slice, depth + 1);
                let t = self.part_of(fr, e, vt);
                self.item_read(fr, value, slice).unwrap_or(t)
            }
            ExprKind::Call { func, args, keywords } => self.eval_call(fr, e, func, args, keywords, depth),
            ExprKind::FString(parts) => {
                let es = parts.iter().filter_map(|p| if let FStringPart::Expr(x) = p { Some(x) } else { None });
                self.eval_all(fr, es, depth)
            }
            ExprKind::BinOp { left, right, .. } => self.eval_all(fr, [&**left, &**right], depth),
            ExprKind::BoolOp { values, .. } => self.eval_all(fr, values, depth),
            ExprKind::IfExp { test, body, orelse } => {
                self.eval(fr, test, depth + 1);
                match self.truth(fr, test) {
                    Some(true) => self.eval(fr, body, depth + 1),
                    Some(false) => self.eval(fr, orelse, depth + 1),
                    None => self.eval_all(fr, [&**body, &**orelse], depth),
                }
            }
            ExprKind::List(es) | ExprKind::Tuple(es) | ExprKind::Set(es) => self.eval_all(fr, es, depth),
            ExprKind::Dict(items) => {
                let mut t = Taint::new();
                for (k, v) in items {
                    if let Some(k) = k {
                        let kt = self.eval(fr, k, depth + 1);
                        union_into(&mut t, &kt);
                    }
                    let vt = self.eval(fr, v, depth + 1);
                    union_into(&mut t, &vt);
                }
                t
            }
            ExprKind::Starred(x) | ExprKind::Await(x) | ExprKind::YieldFrom(x) => self.eval(fr, x, depth + 1),
            ExprKind::Yield(x) => x.as_ref().map(|x| self.eval(fr, x, depth + 1)).unwrap_or_default(),
            ExprKind::Compare { left, comparators, .. } => {
                self.eval_all(fr, std::iter::once(&**left).chain(comparators.iter()), depth);
                Taint::new()
            }
            ExprKind::UnaryOp { op, operand } => {
                let t = self.eval(fr, operand, depth + 1);
                if *op == UnaryOp::Not {
                    Taint::new()
                } else {
                    t
                }
            }
            ExprKind::Named { target, value } => {
                let t = self.eval(fr, value, depth + 1);
                self.assign(fr, target, &t, depth);
                t
            }
            ExprKind::Comp { elt, generators, .. } => self.comprehension(fr, generators, &[&**elt], depth),
            ExprKind::DictComp { key, value, generators } => self.comprehension(fr, generators, &[&**key, &**value], depth),
            ExprKind::Slice { lower, upper, step } => {
                self.eval_all(fr, [lower, upper, step].into_iter().flatten().map(|b| &**b), depth);
                Taint::new()
            }
            ExprKind::Lambda { .. }
            | ExprKind::Str(_)
            | ExprKind::Bytes
            | ExprKind::Number(_)
            | ExprKind::Bool(_)
            | ExprKind::NoneLit
            | ExprKind::Ellipsis
            | ExprKind::Error => Taint::new(),
        }
    }

    fn comprehension(&self, fr: &mut Frame<'a>, gens: &'a [Comprehension], out: &[&'a Expr], depth: u32) -> Taint {
        // The loop variables are local to the comprehension: restore the outer ones after.
        let mut names = Vec::new();
        for g in gens {
            collect_names(&g.target, &mut names);
        }
        let saved: Vec<(String, Option<Taint>)> = names.iter().map(|n| (n.clone(), fr.env.get(n).cloned())).collect();
        for g in gens {
            let it = self.eval(fr, &g.iter, depth + 1);
            self.assign_quiet(fr, &g.target, &it);
            for c in &g.ifs {
                self.eval(fr, c, depth + 1);
            }
        }
        let t = self.eval_all(fr, out.iter().copied(), depth);
        for (n, old) in saved {
            fr.env.put(&n, old);
        }
        t
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call(&self, fr: &mut Frame<'a>, e: &'a Expr, func: &'a Expr, args: &'a [Expr], keywords: &'a [Keyword], depth: u32) -> Taint {
        // The receiver of a method call (`q.format(...)`: `q`).
        let recv = match &func.kind {
            ExprKind::Attribute { value, .. } => Some(&**value),
            _ => None,
        };
        // A callee that is itself a source (`hashlib.md5` in `hashlib.md5(pw)`): the call's
        // result carries it, as in Semgrep, where a call's taint includes its function's.
        let callee_is_source = self.source_at.contains_key(&func.span);
        let (recv_t, callee_t) = match recv {
            Some(r) => {
                let recv_t = request::receiver(self.eval(fr, r, depth + 1), callee_name(func));
                (recv_t, if callee_is_source { self.eval(fr, func, depth + 1) } else { Taint::new() })
            }
            None => {
                let t = self.eval(fr, func, depth + 1);
                (Taint::new(), if callee_is_source { t } else { Taint::new() })
            }
        };
        let mut arg_taints: Vec<(Option<&str>, Span, Taint)> = Vec::with_capacity(args.len() + keywords.len());
        fr.calls.push(e.span);
        for a in args {
            let t = self.eval(fr, a, depth + 1);
            arg_taints.push((None, a.span, t));
        }
        for k in keywords {
            let t = self.eval(fr, &k.value, depth + 1);
            arg_taints.push((k.arg.as_ref().map(|i| i.name.as_str()), k.value.span, t));
        }
        fr.calls.pop();
        let name = callee_name(func);
        // A dict, list, config or buffer whose content is known item by item.
        if let Some(t) = recv.and_then(|r| self.container_call(fr, r, name, args, &arg_taints)) {
            return t;
        }
        self.containers_escape(fr, name, args, keywords);
        // A function of this file: its summary (not when proving: see `TaintInput::proof`).
        if let Some(f) = self.resolve(fr, func).filter(|_| !self.input.proof) {
            let closure = fr.closure.clone().or_else(|| Some(self.module_env.borrow().clone()));
            if let Some(s) = self.summary(f, closure, f.class.or(if f.method { fr.class } else { None })) {
                let recv_objects = recv.map(|r| (r.span, request::objects(&recv_t)));
                return self.apply_call(fr, e, f, &s, &arg_taints, recv_objects);
            }
        }
        if let Some(t) = self.linked_call(fr, e, func, &arg_taints) {
            return t;
        }
        // `lst.append(x)` and friends: the receiver now holds the data.
        if self.propagation.stores_into_receiver.contains(name) {
            if let Some(p) = recv.and_then(|r| self.path_of(r)) {
                let mut all = Taint::new();
                for (_, sp, t) in &arg_taints {
                    let stepped = with_step(&request::derive(t.clone()), *sp, || format!("stored into {p}").into());
                    union_into(&mut all, &stepped);
                }
                fr.env.add(&p, &all);
            }
            return Taint::new();
        }
        // The file object of `open(path)` is not the path's data (see `files`).
        if self.propagation.returns_clean.contains(name) || files::opens_by_path(self.sem, fr.scope, func) {
            return Taint::new();
        }
        let mut t = recv_t;
        union_into(&mut t, &callee_t);
        for (_, _, at) in &arg_taints {
            union_into(&mut t, at);
        }
        let t = self.unresolved_call(func, t);
        if t.is_empty() || self.propagation.passes_through.contains(name) {
            t
        } else {
            uncertain(t)
        }
    }

    // ---- statements ------------------------------------------------------------------

    /// Binds `t` to an assignment target, recording the step in the trace.
    fn assign(&self, fr: &mut Frame<'a>, target: &'a Expr, t: &Taint, depth: u32) {
        match &target.kind {
            ExprKind::Tuple(es) | ExprKind::List(es) => {
                for x in es {
                    self.assign(fr, x, t, depth + 1);
                }
            }
            ExprKind::Starred(x) => self.assign(fr, x, t, depth + 1),
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => {
                let Some(p) = self.path_of(target) else { return };
                // Evaluate sub-expressions of the target (`d[key] = ...`) for sinks.
                if let ExprKind::Subscript { value, slice } = &target.kind {
                    self.eval(fr, value, depth + 1);
                    self.eval(fr, slice, depth + 1);
                }
                let stepped = with_step(t, target.span, || StepLabel::Code("assigned to ", target.span, ""));
                match &target.kind {
                    ExprKind::Name(_) => fr.env.set(&p, stepped),
                    // `d[key] = x` with a key that is not a literal: one unknown item changes.
                    ExprKind::Subscript { slice, .. } if containers::key_text(slice).is_none() => fr.env.add(&p, &stepped),
                    _ => {
                        // A part of an object: the part is replaced, and the whole now holds
                        // the data too (`d["k"] = x; run(d)`).
                        fr.env.set(&p, stepped.clone());
                        let root = self.path_of(match &target.kind {
                            ExprKind::Attribute { value, .. } | ExprKind::Subscript { value, .. } => value,
                            _ => target,
                        });
                        if let Some(root) = root {
                            if root != p {
                                fr.env.add(&root, &stepped);
                            }
                        }
                    }
                }
                if self.sink_at.contains_key(&target.span) {
                    for l in t.clone() {
                        self.reach_sink(fr, target.span, l);
                    }
                }
            }
            _ => {
                self.eval(fr, target, depth + 1);
            }
        }
    }

    /// Binds without a trace step (loop variables of comprehensions).
    fn assign_quiet(&self, fr: &mut Frame<'a>, target: &'a Expr, t: &Taint) {
        let mut names = Vec::new();
        collect_names(target, &mut names);
        for n in names {
            fr.env.set(&n, t.clone());
        }
    }

    fn block(&self, fr: &mut Frame<'a>, body: &'a [Stmt], depth: u32) {
        if depth > MAX_DEPTH {
            return;
        }
        // Functions defined in this block can be called from anywhere in it.
        for s in body {
            if let StmtKind::FunctionDef(d) = &s.kind {
                fr.local_defs.insert(d.name.name.as_str(), FnRef { def: d, span: s.span, method: false, class: None });
            }
        }
        for s in body {
            if fr.env.dead {
                return;
            }
            if !self.charge(fr) {
                return;
            }
            self.stmt(fr, s, depth);
            fr.seen.clear();
            fr.paths.clear();
        }
    }

    fn clean(env: &mut Env, paths: &[String]) {
        for p in paths {
            env.set(p, Taint::new());
        }
    }

    fn stmt(&self, fr: &mut Frame<'a>, s: &'a Stmt, depth: u32) {
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval(fr, e, 0);
                // `abort(403)`, `sys.exit(1)`: the path ends here.
                if guards::ends_path(s) {
                    fr.env.dead = true;
                }
                // `reject_traversal(name)`: a helper of the file that raises on a bad value.
                let cleaned = self.rejected_by_call(fr, e);
                Self::clean(&mut fr.env, &cleaned);
            }
            StmtKind::Assign { targets, value } => {
                let t = self.eval(fr, value, 0);
                if let ([Expr { kind: ExprKind::Name(var), .. }], ExprKind::Call { func, .. }) = (targets.as_slice(), &value.kind) {
                    match &func.kind {
                        ExprKind::Name(class) if self.fns.methods.contains_key(class.as_str()) => {
                            fr.instances.insert(var.as_str(), class.as_str());
                        }
                        _ => {
                            fr.instances.remove(var.as_str());
                        }
                    }
                }
                match (&value.kind, targets.as_slice()) {
                    // `a, b = x, y`: element by element.
                    (ExprKind::Tuple(vs) | ExprKind::List(vs), [Expr { kind: ExprKind::Tuple(ts) | ExprKind::List(ts), .. }])
                        if vs.len() == ts.len() && !vs.iter().any(|v| matches!(v.kind, ExprKind::Starred(_))) =>
                    {
                        let parts: Vec<Taint> = vs.iter().map(|v| fr.seen.get(&v.span).cloned().unwrap_or_default()).collect();
                        for (tgt, pt) in ts.iter().zip(parts) {
                            self.assign(fr, tgt, &pt, depth);
                        }
                    }
                    _ => {
                        for tgt in targets {
                            self.assign(fr, tgt, &t, depth);
                        }
                    }
                }
                self.container_assign(fr, targets, value);
            }
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(v) = value {
                    let t = self.eval(fr, v, 0);
                    self.assign(fr, target, &t, depth);
                }
            }
            StmtKind::AugAssign { target, value, .. } => {
                let old = self.eval(fr, target, 0);
                let t = self.eval(fr, value, 0);
                if self.container_extended(fr, target, value) {
                    // A list of known elements: the new ones were appended to it.
                } else if let Some(p) = self.path_of(target) {
                    let stepped = with_step(&t, target.span, || StepLabel::Code("appended to ", target.span, ""));
                    let mut all = old;
                    union_into(&mut all, &stepped);
                    fr.env.set(&p, all);
                }
            }
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    let t = self.eval(fr, v, 0);
                    union_into(&mut fr.summary.ret, &t);
                }
                fr.env.dead = true;
            }
            StmtKind::Raise { exc, cause } => {
                for e in [exc, cause].into_iter().flatten() {
                    self.eval(fr, e, 0);
                }
                fr.env.dead = true;
            }
            StmtKind::Break => self.jump(fr, true),
            StmtKind::Continue => self.jump(fr, false),
            StmtKind::If { branches } => self.if_stmt(fr, branches, depth),
            StmtKind::For { target, iter, body, orelse, .. } => {
                let items = self.eval(fr, iter, 0);
                self.assign(fr, target, &items, depth);
                self.loop_stmt(fr, LoopHead::For { target, items }, body, orelse, depth);
            }
            StmtKind::While { test, body, orelse } => {
                let always = self.truth(fr, test);
                if always == Some(false) {
                    self.block(fr, orelse, depth + 1);
                    return;
                }
                self.loop_stmt(fr, LoopHead::While { test, endless: always == Some(true) }, body, orelse, depth);
            }
            StmtKind::With { items, body, .. } => {
                for it in items {
                    let t = self.eval(fr, &it.context, 0);
                    if let Some(tgt) = &it.target {
                        self.assign(fr, tgt, &t, depth);
                    }
                }
                self.with_body(fr, items, body, depth);
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => self.try_stmt(fr, TryParts { body, handlers, orelse, finalbody }, depth),
            StmtKind::Match { subject, cases, patterns } => {
                let t = self.eval(fr, subject, 0);
                // Only the cases that can run: the first that surely runs ends the `match`.
                let mut folder = fold::Folder::new(self.sem, self.src);
                let subject_value = folder.value(fr.scope, subject);
                let entry = fr.env.mark();
                let mut outcomes = Vec::new();
                let mut exhaustive = false;
                for (c, pat) in cases.iter().zip(patterns) {
                    let runs = folder.case_runs(fr.scope, subject_value.as_ref(), pat, c.test.as_ref());
                    if runs == Some(false) {
                        continue;
                    }
                    fr.env.undo_to(&entry);
                    if let Some(p) = &c.test {
                        // Capture names in the pattern take the subject's data.
                        let mut names = Vec::new();
                        collect_names(p, &mut names);
                        for n in names {
                            fr.env.set(&n, t.clone());
                        }
                    }
                    if let CasePattern::Any(Some(n)) = pat {
                        fr.env.set(&n.name, t.clone());
                    }
                    self.block(fr, &c.body, depth + 1);
                    if !fr.env.dead {
                        outcomes.push(fr.env.delta(&entry));
                    }
                    if runs == Some(true) {
                        exhaustive = true;
                        break;
                    }
                }
                self.spend(folder.work());
                if !exhaustive {
                    outcomes.push(Delta::default());
                }
                fr.env.join(entry, &outcomes);
            }
            StmtKind::Assert { test, msg } => {
                self.eval(fr, test, 0);
                if let Some(m) = msg {
                    self.eval(fr, m, 0);
                }
                let (when_true, _) = self.guard_paths(fr, test);
                Self::clean(&mut fr.env, &when_true);
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    if let Some(p) = self.path_of(t) {
                        fr.env.set(&p, Taint::new());
                    }
                    self.item_deleted(fr, t);
                }
            }
            StmtKind::FunctionDef(d) => {
                for dec in &d.decorators {
                    self.eval(fr, dec, 0);
                }
                // A nested function sees this one's variables as they are now.
                let snapshot = Rc::new(self.closure_of(fr));
                let f = FnRef { def: d, span: s.span, method: false, class: None };
                self.summary(f, Some(snapshot), fr.class);
                fr.env.set(&d.name.name, Taint::new());
            }
            StmtKind::ClassDef(c) => {
                for b in &c.bases {
                    self.eval(fr, b, 0);
                }
                // Methods are analysed from the top (see `run`); nested classes here.
            }
            StmtKind::Import(_) | StmtKind::ImportFrom { .. } => {}
            StmtKind::Global(_) | StmtKind::Nonlocal(_) | StmtKind::Pass | StmtKind::Other => {}
        }
        // By-side-effect sanitizers: `validate(x)` on its own leaves `x` clean.
        let cleaned: Vec<String> = self.side_sanitizers.inside(s.span).filter_map(|(sp, ())| fr.paths.get(sp).cloned()).collect();
        Self::clean(&mut fr.env, &cleaned);
    }

    fn closure_of(&self, fr: &Frame<'a>) -> Vars {
        let mut vars = match &fr.closure {
            Some(c) => (**c).clone(),
            None => Vars::default(),
        };
        for (k, v) in fr.env.vars() {
            vars.insert(k.clone(), v.clone());
        }
        vars
    }

    fn if_stmt(&self, fr: &mut Frame<'a>, branches: &'a [Branch], depth: u32) {
        // The state before the `if`; each branch's outcome is kept as a delta from it, and
        // the state where the next condition is tested is the last condition's, undone to.
        let entry = fr.env.mark();
        let mut outcomes = Vec::new();
        let mut else_reached = true;
        for b in branches {
            let Some(test) = &b.test else {
                // `else:`
                self.block(fr, &b.body, depth + 1);
                if !fr.env.dead {
                    outcomes.push(fr.env.delta(&entry));
                }
                else_reached = false;
                break;
            };
            self.eval(fr, test, 0);
            let after_test = fr.env.mark();
            let literal = self.truth(fr, test);
            let (when_true, when_false) = self.guard_paths(fr, test);
            if literal != Some(false) {
                Self::clean(&mut fr.env, &when_true);
                self.block(fr, &b.body, depth + 1);
                if !fr.env.dead {
                    outcomes.push(fr.env.delta(&entry));
                }
            }
            fr.env.undo_to(&after_test);
            fr.env.release(after_test);
            if literal == Some(true) {
                else_reached = false;
                break;
            }
            Self::clean(&mut fr.env, &when_false);
        }
        if else_reached {
            outcomes.push(fr.env.delta(&entry));
        }
        fr.env.join(entry, &outcomes);
    }

    // ---- whole file ------------------------------------------------------------------

    fn run(&self, module: &'a Module) {
        // Module-level statements first (nested functions are analysed where defined, module
        // functions below, with the module's final variables as their globals).
        if self.module_matters() {
            let mut fr = Frame::new(None, None, ScopeId::MODULE);
            self.module_block(&mut fr, &module.body, 0);
            *self.module_env.borrow_mut() = Rc::new(fr.env.vars().clone());
        }
        self.all_functions();
    }

    /// Can interpreting the module-level code find a flow, or leave a tainted global for the
    /// functions? Only if a source or sink of this rule is in that code, or it calls a name that
    /// may be one of the file's functions (which may return a source). Otherwise every global
    /// is clean, the same as unknown, and the module's statements are not interpreted (in a
    /// long file of route handlers they were half of each rule's time).
    fn module_matters(&self) -> bool {
        let code = &self.fns.module_code;
        let inside = |at: u32| {
            let i = code.partition_point(|sp| sp.start <= at);
            // Module-level ranges do not overlap: only the last one starting before can hold it.
            i > 0 && code.get(i - 1).is_some_and(|sp| at < sp.end)
        };
        // Proving: the functions see no global but constants, which need no interpretation.
        if self.input.proof {
            return self.input.sinks.iter().any(|(sp, _)| inside(sp.start));
        }
        self.sources.iter().any(|(sp, _)| inside(sp.start))
            || self.input.sinks.iter().any(|(sp, _)| inside(sp.start))
            || self.fns.module_calls.iter().any(|n| self.fns.functions.contains_key(n) || self.fns.method_names.contains(n))
            || self.module_calls_linked()
    }

    /// The module's statements, without descending into function bodies.
    fn module_block(&self, fr: &mut Frame<'a>, body: &'a [Stmt], depth: u32) {
        for s in body {
            if !self.charge(fr) || depth > MAX_DEPTH {
                return;
            }
            match &s.kind {
                StmtKind::FunctionDef(d) => {
                    for dec in &d.decorators {
                        self.eval(fr, dec, 0);
                    }
                }
                StmtKind::ClassDef(_) => {}
                _ => self.stmt(fr, s, depth),
            }
            fr.seen.clear();
            fr.paths.clear();
            if fr.env.dead {
                fr.env.dead = false;
            }
        }
    }

    /// Analyses the functions that read a source or call one that does (the others are
    /// summarised when one of them calls them: a flow always starts at a source): module-level
    /// functions and the
    /// methods of classes outside functions, in source order (nested functions are reached
    /// through their enclosing function).
    fn all_functions(&self) {
        // Source ranges by start: a definition reads a source when one starts inside it (the
        // ranges of expressions nest, so it also ends inside it).
        let sources = Starts::of(self.sources.iter().map(|(sp, _)| *sp));
        let reads_source = |span: Span| sources.any_in(span) || self.calls_linked(span, false);
        // Sinks by start, the same way: a function that can reach none (in itself or in what it
        // calls) cannot produce a finding, and is not interpreted.
        let sinks = Starts::of(self.input.sinks.iter().map(|(sp, _)| *sp));
        // Proving (see `TaintInput::proof`): just the definitions that hold a sink.
        let (reaching, sourced) = if self.input.proof {
            (None, None)
        } else {
            // A function that calls one reading a source gets the source's data back from
            // it (`token = make_token()`, with `random` inside `make_token`): it starts flows
            // too.
            (Some(self.fns.reaching_sinks(|span| sinks.any_in(span) || self.calls_linked(span, true))), Some(self.fns.reaching_sinks(reads_source)))
        };
        for (d, class) in outside_functions(self.sem, false) {
            let (DefinitionKind::Function, StmtKind::FunctionDef(f)) = (d.kind, &d.stmt.kind) else { continue };
            // A method also starts from what its class's `__init__` reads (`self.req = request`).
            let init_reads = || class.and_then(|c| self.fns.methods.get(c)?.get("__init__")).is_some_and(|i| reads_source(i.span));
            let start = match (&reaching, &sourced) {
                (Some(reaching), Some(sourced)) => (sourced.contains(&d.stmt.span) || init_reads()) && reaching.contains(&d.stmt.span),
                _ => sinks.any_in(d.stmt.span),
            };
            if start {
                let r = FnRef { def: f, span: d.stmt.span, method: class.is_some() && !is_static(f), class };
                let closure = Some(self.module_env.borrow().clone());
                self.summary(r, closure, class);
            }
        }
    }
}

/// The starts of some ranges, sorted: does one start inside a given range?
struct Starts(Vec<u32>);

impl Starts {
    fn of(spans: impl Iterator<Item = Span>) -> Starts {
        let mut v: Vec<u32> = spans.map(|s| s.start).collect();
        v.sort_unstable();
        Starts(v)
    }

    fn any_in(&self, span: Span) -> bool {
        let i = self.0.partition_point(|&s| s < span.start);
        self.0.get(i).is_some_and(|&s| s < span.end)
    }
}

fn is_static(d: &FunctionDef) -> bool {
    d.decorators.iter().any(|x| matches!(&x.kind, ExprKind::Name(n) if n == "staticmethod"))
}

fn collect_names(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Name(n) => out.push(n.to_string()),
        ExprKind::Tuple(es) | ExprKind::List(es) => es.iter().for_each(|x| collect_names(x, out)),
        ExprKind::Starred(x) => collect_names(x, out),
        _ => {}
    }
}

/// The expression of range `span` inside `e`, if any.
fn find_expr(e: &Expr, span: Span) -> Option<&Expr> {
    struct Find<'a> {
        span: Span,
        found: Option<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Find<'a> {
        fn enter_expr(&mut self, e: &'a Expr, _depth: u32) -> Descend {
            if self.found.is_some() || !e.span.contains(self.span) {
                return Descend::No;
            }
            if e.span == self.span {
                self.found = Some(e);
                return Descend::No;
            }
            Descend::Yes
        }
    }
    let mut f = Find { span, found: None };
    walk_expr(&mut f, e, 0);
    f.found
}

impl<'a> Analyzer<'a> {
    /// The analyzer of one taint rule over a file, with its work budget.
    fn new(
        src: &'a str,
        sem: &'a SemanticModel<'a>,
        fns: &'a FileFunctions<'a>,
        input: &'a TaintInput,
        propagation: &'a Propagation,
        linked: Option<project::Linked<'a>>,
    ) -> Self {
        let sources: Vec<(Span, Confidence)> = input.sources.iter().chain(&input.objects).copied().collect();
        let budget = crate::matching::matcher::work_budget(src.len());
        #[cfg(test)]
        let budget = tests::BUDGET.with(|b| b.get()).unwrap_or(budget);
        let mut prop_at: HashMap<Span, Vec<(Span, Span)>> = HashMap::default();
        for (m, f, t) in &input.propagators {
            prop_at.entry(*m).or_default().push((*f, *t));
        }
        Analyzer {
            src,
            sem,
            input,
            propagation,
            first_object: input.sources.len() as u32,
            // A range that is both a source and a request object is the source.
            source_at: sources.iter().enumerate().rev().map(|(i, (s, _))| (*s, i as u32)).collect(),
            sources,
            sink_at: input.sinks.iter().copied().collect(),
            sanitizer_at: input.sanitizers.iter().map(|(s, g, b)| (*s, (*g, *b))).collect(),
            path_wanted: input.propagators.iter().map(|p| p.2).chain(input.sanitizers.iter().filter(|s| s.1 == Guard::No && s.2).map(|s| s.0)).collect(),
            side_sanitizers: Within::new(input.sanitizers.iter().filter(|(_, g, side)| *side && *g == Guard::No).map(|(s, _, _)| (*s, ()))),
            guard_sanitizers: Within::new(input.sanitizers.iter().filter(|(_, g, _)| *g != Guard::No).map(|(s, g, _)| (*s, *g))),
            prop_at,
            fns,
            summaries: RefCell::default(),
            helper_guards: RefCell::default(),
            in_progress: RefCell::default(),
            calls_cut: Cell::new(false),
            findings: RefCell::default(),
            sinks_seen: RefCell::default(),
            budget: Cell::new(budget),
            module_env: RefCell::new(Rc::new(Vars::default())),
            linked,
        }
    }
}

/// Runs one taint rule over a file.
pub fn analyze<'a>(
    src: &'a str,
    module: &'a Module,
    sem: &'a SemanticModel<'a>,
    fns: &'a FileFunctions<'a>,
    input: &'a TaintInput,
    propagation: &'a Propagation,
) -> TaintOutcome {
    analyze_linked(src, module, sem, fns, input, propagation, None)
}

/// [`analyze`] in a project scan: calls of functions that other scanned modules export get
/// their summaries (see `project.rs`).
/// A sink that is a whole statement (`return $X`, `$O.field = $V` without a focus) receives
/// what each of its expressions holds: the statement's sink range is replaced by theirs. `None`
/// when no sink is a statement other than an expression statement (the input is kept as is).
fn statement_sinks(module: &Module, input: &TaintInput) -> Option<TaintInput> {
    let wanted: HashMap<Span, bool> = input.sinks.iter().filter(|(_, focused)| !focused).copied().collect();
    if wanted.is_empty() {
        return None;
    }
    let mut extra: Vec<(Span, bool)> = Vec::new();
    let mut found: Vec<Span> = Vec::new();
    let mut stack: Vec<&[Stmt]> = vec![&module.body];
    while let Some(body) = stack.pop() {
        for s in body {
            if wanted.contains_key(&s.span) && !matches!(s.kind, StmtKind::Expr(_)) {
                found.push(s.span);
                s.for_each_expr(&mut |e: &Expr| extra.push((e.span, true)));
            }
            s.for_each_block(&mut |b| stack.push(b));
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut out = input.clone();
    out.sinks.retain(|(sp, _)| !found.contains(sp));
    out.sinks.extend(extra);
    Some(out)
}

pub fn analyze_linked<'a>(
    src: &'a str,
    module: &'a Module,
    sem: &'a SemanticModel<'a>,
    fns: &'a FileFunctions<'a>,
    input: &'a TaintInput,
    propagation: &'a Propagation,
    linked: Option<project::Linked<'a>>,
) -> TaintOutcome {
    let no_sources = input.sources.is_empty() && input.objects.is_empty() && !linked.as_ref().is_some_and(|l| l.has_sources());
    if no_sources || input.sinks.is_empty() && !linked.as_ref().is_some_and(|l| l.has_sinks()) {
        return TaintOutcome::default();
    }
    let expanded = statement_sinks(module, input);
    let input = expanded.as_ref().unwrap_or(input);
    let a = Analyzer::new(src, sem, fns, input, propagation, linked);
    let budget = a.budget.get();
    a.run(module);
    let mut param_sinks: Vec<Span> = a.summaries.borrow().values().flat_map(|s| s.sinks.iter().map(|(_, sink, _)| *sink)).collect();
    param_sinks.sort_unstable_by_key(|s| (s.start, s.end));
    param_sinks.dedup();
    let mut sinks_seen: Vec<Span> = a.sinks_seen.borrow().iter().copied().collect();
    sinks_seen.sort_unstable_by_key(|s| (s.start, s.end));
    // One finding per sink: the most certain flow, then the shortest.
    // (sink, confidence, trace, steps shown): the labels are written out for the chosen flows only.
    let mut best: Vec<(Span, Confidence, Trace, usize)> = Vec::new();
    let mut best_at: HashMap<Span, usize> = HashMap::default();
    for (sink, l) in a.findings.into_inner() {
        let Origin::Source(k) = l.origin else { continue };
        let src_conf = a.sources.get(k as usize).map_or(Confidence::High, |s| s.1);
        let conf = if l.uncertain { src_conf.min(Confidence::Medium) } else { src_conf };
        // As many steps as `trace_vec` gives.
        let shown = l.trace.as_ref().map_or(0, |n| n.len.min(MAX_STEPS));
        match best_at.get(&sink).and_then(|&i| best.get_mut(i)) {
            Some(f) => {
                if (conf, std::cmp::Reverse(shown)) > (f.1, std::cmp::Reverse(f.3)) {
                    *f = (sink, conf, l.trace, shown);
                }
            }
            None => {
                best_at.insert(sink, best.len());
                best.push((sink, conf, l.trace, shown));
            }
        }
    }
    let mut best: Vec<TaintFinding> =
        best.into_iter().map(|(sink, confidence, trace, _)| TaintFinding { sink, confidence, steps: trace_vec(&trace, a.src) }).collect();
    best.sort_by_key(|f| f.sink);
    TaintOutcome { findings: best, param_sinks, sinks_seen, calls_cut: a.calls_cut.get(), budget_spent: a.budget.get() == 0, work: budget - a.budget.get() }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use crate::{Confidence, Engine, Options};

    thread_local! {
        /// A smaller work budget for each taint rule, in the tests that set it.
        pub(super) static BUDGET: Cell<Option<u64>> = const { Cell::new(None) };
    }

    pub(super) const RULE: &str = r#"
rules:
  - id: t-cmd
    mode: taint
    message: request data reaches a shell
    severity: HIGH
    pattern-sources:
      - pattern: flask.request.args
      - pattern: input(...)
        confidence: LOW
    pattern-sinks:
      - patterns:
          - pattern: os.system($C)
          - focus-metavariable: $C
    pattern-sanitizers:
      - pattern: shlex.quote(...)
      - by-guard: negated
        patterns:
          - pattern: $X not in $A
          - focus-metavariable: $X
"#;

    /// A finding's line, confidence and trace steps (line, label).
    pub(super) type Seen = (u32, Confidence, Vec<(u32, String)>);

    pub(super) fn run(code: &str) -> Vec<Seen> {
        let mut e = Engine::builtin().expect("rules");
        e.add_rules_yaml("t.yaml", RULE).expect("rule");
        let opts = Options { select: vec!["t-cmd".into()], ..Options::default() };
        let src = format!("from flask import request\nimport os, shlex\n{code}");
        e.check_source("t.py", &src, &opts)
            .findings
            .into_iter()
            .map(|f| (f.line - 2, f.confidence, f.trace.into_iter().map(|t| (t.line - 2, t.label)).collect()))
            .collect()
    }

    pub(super) fn lines(code: &str) -> Vec<u32> {
        run(code).into_iter().map(|f| f.0).collect()
    }

    /// The lines where rule `id` reports on `prelude` then `code`, counted from `code`'s first
    /// line; `rules` is YAML added to the built-in rules.
    pub(super) fn lines_of(rules: Option<&str>, id: &str, prelude: &str, code: &str) -> Vec<u32> {
        let mut e = Engine::builtin().expect("rules");
        if let Some(r) = rules {
            e.add_rules_yaml("t.yaml", r).expect("rule");
        }
        let opts = Options { select: vec![id.into()], ..Options::default() };
        let skip = prelude.lines().count() as u32;
        e.check_source("t.py", &format!("{prelude}{code}"), &opts).findings.into_iter().map(|f| f.line - skip).collect()
    }

    /// `body`'s lines inside a function `v(c)` (4 spaces in).
    pub(super) fn in_function(body: &str) -> String {
        body.lines().map(|l| format!("    {l}\n")).collect()
    }

    #[test]
    fn a_read_trace_keeps_its_first_and_last_steps_and_quotes_the_code() {
        use super::{push_step, trace_vec, StepLabel, MAX_STEPS};
        use crate::syntax::ast::Span;
        let src = "abcdefghijklmnopqrstuvwxyz0123456789";
        let steps = |n: u32| (0..n).fold(None, |t, i| push_step(&t, Span::new(i, i + 1), StepLabel::Code("at ", Span::new(i, i + 1), "")));
        let short = trace_vec(&steps(5), src);
        assert_eq!(short.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(), ["at a", "at b", "at c", "at d", "at e"]);
        let long = trace_vec(&steps(30), src);
        let starts: Vec<u32> = long.iter().map(|(s, _)| s.start).collect();
        let half = (MAX_STEPS / 2) as u32;
        assert_eq!(starts, (0..half).chain(30 - half..30).collect::<Vec<_>>());
        assert_eq!(long.last().map(|(_, l)| l.as_str()), Some("at 3"));
    }

    #[test]
    fn follows_assignments_fstrings_and_dicts_with_a_trace() {
        let f = run("def v():\n    h = request.args['h']\n    d = {'k': f'ping {h}'}\n    os.system(d['k'])\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, 4);
        assert_eq!(f[0].1, Confidence::High);
        let steps: Vec<u32> = f[0].2.iter().map(|s| s.0).collect();
        assert_eq!(steps, vec![2, 2, 3, 4], "{:?}", f[0].2);
        assert!(f[0].2[0].1.starts_with("source: request.args"), "{:?}", f[0].2);
        assert!(f[0].2[3].1.starts_with("sink: d['k'] in os.system"), "{:?}", f[0].2);
    }

    #[test]
    fn sanitizers_constants_and_dead_branches_clean() {
        assert_eq!(lines("def v():\n    h = shlex.quote(request.args['h'])\n    os.system(h)\n"), Vec::<u32>::new());
        assert_eq!(lines("def v():\n    h = request.args['h']\n    h = 'x'\n    os.system(h)\n"), Vec::<u32>::new());
        assert_eq!(lines("def v():\n    if False:\n        os.system(request.args['h'])\n"), Vec::<u32>::new());
        assert_eq!(lines("def v():\n    h = request.args['h']\n    if h not in OK:\n        abort(400)\n    os.system(h)\n"), Vec::<u32>::new());
        // Tainted on one path only: still tainted after the `if`.
        assert_eq!(lines("def v(c):\n    h = 'x'\n    if c:\n        h = request.args['h']\n    os.system(h)\n"), vec![5]);
    }

    /// Conditions, conditional expressions and `match` subjects that fold to a constant are
    /// followed one way only; unknown ones both ways.
    #[test]
    fn constant_conditions_prune_branches() {
        let branch = |cond: &str| format!("def v():\n    num = 86\n    if {cond}:\n        h = 'x'\n    else:\n        h = request.args['h']\n    os.system(h)\n");
        assert_eq!(lines(&branch("(7 * 42) - num > 200")), Vec::<u32>::new());
        assert_eq!(lines(&branch("(7 * 42) - num < 200")), vec![7]);
        assert_eq!(lines(&branch("num > 200 or 'a' in 'abc'")), Vec::<u32>::new());
        assert_eq!(lines(&branch("num > limit")), vec![7]);
        // A module constant, an `elif`, a conditional expression.
        let code = "LIMIT = 10\ndef v():\n    p = request.args['p']\n    if LIMIT > 100:\n        h = p\n    elif LIMIT * 2 == 20:\n        h = 'ok'\n    else:\n        h = p\n    os.system(h)\n\
                    def w():\n    p = request.args['p']\n    os.system('x' if LIMIT // 3 == 3 else p)\n    os.system(p if LIMIT % 3 == 1 else 'x')\n";
        assert_eq!(lines(code), vec![14]);
        // `while` on a false constant never runs; on a true one, it does.
        let code = "def v():\n    h = 'x'\n    while len('ab') > 2:\n        h = request.args['h']\n    os.system(h)\n\
                    def w():\n    h = 'x'\n    while 'ab'[0] == 'a':\n        h = request.args['h']\n        break\n    os.system(h)\n";
        assert_eq!(lines(code), vec![11]);
        // A name bound twice has no known value.
        assert_eq!(lines("def v(c):\n    num = 1\n    if c:\n        num = 500\n    h = 'x' if num > 200 else request.args['h']\n    os.system(h)\n"), vec![6]);
    }

    #[test]
    fn match_on_a_constant_runs_the_matching_case_only() {
        let m = |subject: &str| {
            format!(
                "def v():\n    p = request.args['p']\n    guess = {subject}\n    match guess:\n        case 'A':\n            h = p\n        case 'B':\n            h = 'b'\n        case 'C' | 'D':\n            h = p\n        case _:\n            h = 'z'\n    os.system(h)\n"
            )
        };
        assert_eq!(lines(&m("'ABC'[1]")), Vec::<u32>::new());
        assert_eq!(lines(&m("'ABC'[2]")), vec![13]);
        assert_eq!(lines(&m("'xa'[1:].upper()")), vec![13]);
        assert_eq!(lines(&m("'Q'")), Vec::<u32>::new());
        assert_eq!(lines(&m("request.args['g']")), vec![13]);
        // A guard that folds to false skips its case; a capture takes the subject's data.
        let code = "def v():\n    p = request.args['p']\n    match 'B':\n        case 'B' if 1 > 2:\n            h = p\n        case 'B':\n            h = 'b'\n    os.system(h)\n\
                    def w():\n    match request.args['p']:\n        case 'a':\n            h = 'a'\n        case other:\n            h = other\n    os.system(h)\n";
        assert_eq!(lines(code), vec![15]);
    }

    /// Route values the framework converts (`<int:id>`, FastAPI's `id: int`) are not sources.
    #[test]
    fn typed_route_parameters_are_not_sources() {
        let e = Engine::builtin().expect("rules");
        let opts = Options { select: vec!["tainted-os-command".into()], ..Options::default() };
        let found = |src: &str| -> Vec<u32> { e.check_source("t.py", src, &opts).findings.iter().map(|f| f.line).collect() };
        let flask = "import os\nfrom flask import Flask\napp = Flask(__name__)\n@app.route('/t/<int:n>/<name>')\ndef v(n, name):\n    os.system('tail -n %d log' % n)\n    os.system('cat ' + name)\n";
        assert_eq!(found(flask), vec![7]);
        let fastapi = "import os\nfrom uuid import UUID\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.get('/t/{n}')\ndef v(n: int, u: UUID, name: str):\n    os.system(f'tail -n {n} {u}.log')\n    os.system('cat ' + name)\n";
        assert_eq!(found(fastapi), vec![8]);
        // Parsed from request data: `int()`, `float()`, `bool()` and `uuid.UUID()` clean it.
        let parsed = "import os, uuid\nfrom flask import request\ndef v():\n    a = int(request.args['a'])\n    b = uuid.UUID(request.args['b'])\n    c = bool(request.args['c'])\n    d = float(request.args['d'])\n    os.system(f'x {a} {b} {c} {d}')\n    os.system(request.args['e'])\n";
        assert_eq!(found(parsed), vec![9]);
    }

    #[test]
    fn follows_helpers_methods_and_closures() {
        let code = "def run(c):\n    os.system(c)\n\
                    def ident(x):\n    return x\n\
                    class R:\n    def go(self, q):\n        os.system(q)\n    def v(self):\n        self.go(request.args['a'])\n\
                    def v():\n    run(request.args['h'])\n    os.system(ident(request.args['i']))\n\
                    def outer():\n    h = request.args['h']\n    def inner():\n        os.system(h)\n    inner()\n";
        // A flow into a helper's sink is reported at the call that passes the data in, with
        // the trace running on to the sink in the helper.
        assert_eq!(lines(code), vec![9, 11, 12, 16]);
        let f = run(code);
        let steps: Vec<(u32, &str)> = f[1].2.iter().map(|s| (s.0, s.1.as_str())).collect();
        assert_eq!(steps.first().map(|s| s.0), Some(11), "{steps:?}");
        assert!(steps.contains(&(11, "passed to run() as c")), "{steps:?}");
        assert!(steps.last().is_some_and(|s| s.0 == 2 && s.1.starts_with("sink: c in os.system")), "{steps:?}");
        // Methods of the file's classes called on an instance.
        let code = "class Repo:\n    def find(self, t):\n        os.system(t)\n\
                    def a():\n    Repo().find(request.args['q'])\n\
                    def b():\n    r = Repo()\n    r.find(request.args['q'])\n";
        assert_eq!(lines(code), vec![5, 8]);
        assert_eq!(run(code)[0].2.iter().filter(|s| s.1 == "passed to find() as t").count(), 1);
        // A helper called safely by several callers and unsafely by one: one finding, there.
        let code = "def run(c):\n    os.system(c)\n\
                    def a():\n    run('ls')\n\
                    def b():\n    run(CONST)\n\
                    def c():\n    run(request.args['x'])\n\
                    def d():\n    run('date')\n";
        assert_eq!(lines(code), vec![8]);
        // Through two helpers: reported at the outermost call that passes request data in.
        let code = "def run(c):\n    os.system(c)\n\
                    def relay(x):\n    run(x)\n\
                    def v():\n    relay(request.args['x'])\n";
        let f = run(code);
        assert_eq!(f.iter().map(|f| f.0).collect::<Vec<_>>(), vec![6]);
        let steps: Vec<u32> = f[0].2.iter().map(|s| s.0).collect();
        assert_eq!(steps, vec![6, 6, 4, 2], "{:?}", f[0].2);
    }

    /// Calls resolve in the scope they are made in: an import inside the function shadows a
    /// module function of the same name (it used to be looked up in the module scope only).
    #[test]
    fn calls_resolve_in_their_own_scope() {
        let helper = "def run(c):\n    os.system(c)\n";
        assert_eq!(lines(&format!("{helper}def v():\n    run(request.args['x'])\n")), vec![4]);
        assert!(lines(&format!("{helper}def v():\n    from tools import run\n    run(request.args['x'])\n")).is_empty());
        // A method or a function defined under `if` is known; one defined in a loop is not.
        assert_eq!(lines("if True:\n    def run(c):\n        os.system(c)\ndef v():\n    run(request.args['x'])\n"), vec![5]);
        assert!(lines("for _ in range(2):\n    def run(c):\n        os.system(c)\ndef v():\n    run(request.args['x'])\n").is_empty());
    }

    /// Functions that can reach no sink of the rule, and module code with no source, sink or
    /// call of the file's functions, are not interpreted; flows through the rest are found.
    #[test]
    fn code_that_cannot_reach_a_sink_is_skipped_and_flows_still_found() {
        // Through two levels of helpers, the last one a method called on an instance.
        let code = "class Shell:\n    def run(self, c):\n        os.system(c)\n\
                    def relay(c):\n    Shell().run(c)\n\
                    def v():\n    relay(request.args['x'])\n";
        assert_eq!(lines(code), vec![7]);
        // Module code: a flow there, and one through a call of the file's function.
        assert_eq!(lines("os.system(request.args['x'])\n"), vec![1]);
        assert_eq!(lines("def read():\n    return request.args['x']\nos.system(read())\n"), vec![3]);
        // Work: many handlers that reach no sink cost the pre-pass only, not an interpretation.
        let handler = "def h{i}():\n    a = request.args['a']\n    b = a.strip()\n    c = [a, b]\n    print(c)\n";
        let work = |n: usize, sink: bool| {
            let mut code: String = (0..n).map(|i| handler.replace("{i}", &i.to_string())).collect();
            if sink {
                code = code.replace("print(c)", "os.system(c)");
            }
            let mut e = Engine::builtin().expect("rules");
            e.add_rules_yaml("t.yaml", RULE).expect("rule");
            let opts = Options { select: vec!["t-cmd".into()], ..Options::default() };
            e.check_source("t.py", &format!("from flask import request\nimport os\n{code}os.system('x')\n"), &opts).work
        };
        let (skipped, followed) = (work(200, false), work(200, true));
        assert!(skipped * 4 < followed, "skipped {skipped} followed {followed}");
    }

    #[test]
    fn confidence_follows_the_source_and_unresolved_calls() {
        let f = run("def v():\n    os.system(input())\n    os.system(request.args['x'].frob())\n");
        assert_eq!(f.iter().map(|f| (f.0, f.1)).collect::<Vec<_>>(), vec![(2, Confidence::Low), (3, Confidence::Medium)]);
        let mut e = Engine::builtin().expect("rules");
        e.add_rules_yaml("t.yaml", RULE).expect("rule");
        let opts = Options { select: vec!["t-cmd".into()], min_confidence: Confidence::High, ..Options::default() };
        let src = "from flask import request\nimport os\nos.system(input())\nos.system(request.args['x'])\n";
        let lines: Vec<u32> = e.check_source("t.py", src, &opts).findings.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![4]);
    }

    #[test]
    fn loops_comprehensions_walrus_and_containers() {
        let code = "def v():\n    acc = []\n    for x in request.args.getlist('x'):\n        acc.append(x)\n    os.system(' '.join(acc))\n\
                    def w():\n    ys = [y.strip() for y in request.args['y'].split(',')]\n    os.system(ys[0])\n\
                    def z():\n    if (q := request.args.get('q')):\n        os.system(q)\n";
        assert_eq!(lines(code), vec![5, 8, 11]);
    }

    /// A taint rule whose work budget runs out stops with an error naming it; what it found
    /// before still shows, and so do the other rules' findings.
    #[test]
    fn a_spent_budget_stops_the_rule_and_says_so() {
        let code = "def v():\n    os.system(request.args['a'])\n    x = 1\n    y = 2\n    os.system(request.args['b'])\n\
                    yaml.load(data)\n";
        let mut e = Engine::builtin().expect("rules");
        e.add_rules_yaml("t.yaml", RULE).expect("rule");
        let src = format!("from flask import request\nimport os, shlex, yaml\n{code}");
        let full = e.check_source("t.py", &src, &Options::default());
        let lines = |r: &crate::FileResult, id: &str| r.findings.iter().filter(|f| f.rule_id == id).map(|f| f.line).collect::<Vec<_>>();
        assert_eq!(lines(&full, "t-cmd"), vec![4, 7]);
        // Enough for two of the function's statements (the module's own hold no source or
        // sink of the rule, and are not interpreted).
        BUDGET.with(|b| b.set(Some(super::STMT_WORK + 2 * super::PATH_WORK)));
        let cut = e.check_source("t.py", &src, &Options::default());
        BUDGET.with(|b| b.set(None));
        assert_eq!(lines(&cut, "t-cmd"), vec![4]);
        assert!(cut.errors.iter().any(|x| x.message.contains("t-cmd: the rule ran out of its work budget")), "{:?}", cut.errors);
        assert!(!lines(&cut, "yaml-unsafe-load").is_empty(), "{:?}", cut.findings);
        assert!(!full.errors.iter().any(|x| x.message.contains("work budget")), "{:?}", full.errors);
    }

    #[test]
    fn a_pattern_regex_source_is_not_prefiltered_away() {
        // The prefilter's union of `pattern-regex`es covers taint rules' formulas too.
        let mut e = Engine::builtin().expect("rules");
        let rule = "rules:\n  - id: rx\n    mode: taint\n    message: m\n    severity: HIGH\n    pattern-sources:\n      - pattern-regex: 'tainted_input\\(\\)'\n    pattern-sinks:\n      - pattern: os.system(...)\n";
        e.add_rules_yaml("rx.yaml", rule).expect("rule");
        let opts = Options { select: vec!["rx".into()], ..Options::default() };
        let lines: Vec<u32> = e.check_source("t.py", "import os\nx = tainted_input()\nos.system(x)\n", &opts).findings.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![3]);
    }

    #[test]
    fn malformed_taint_rules_name_the_key() {
        let mut e = Engine::builtin().expect("rules");
        let bad = "rules:\n  - id: x\n    mode: taint\n    message: m\n    severity: HIGH\n    pattern-sinks:\n      - pattern: f(...)\n";
        let err = e.add_rules_yaml("bad.yaml", bad).expect_err("no sources").to_string();
        assert!(err.contains("bad.yaml") && err.contains("pattern-sources"), "{err}");
        let bad2 = "rules:\n  - id: x\n    mode: taint\n    message: m\n    severity: HIGH\n    pattern-sources:\n      - include: nope\n    pattern-sinks:\n      - pattern: f(...)\n";
        let err = e.add_rules_yaml("bad.yaml", bad2).expect_err("unknown set").to_string();
        assert!(err.contains("include") && err.contains("nope"), "{err}");
    }
}
