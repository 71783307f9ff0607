//! Structural matching of compiled patterns against the code's tree.
//!
//! One walk over the file visits every statement and expression once and offers each node only
//! to the patterns that can match its kind (calls are further keyed by the called name), in the
//! style of oxc's node-kind dispatch. The result is, for every pattern, the list of places it
//! matched with its metavariable bindings; `eval.rs` combines them into rule matches.

use rustc_hash::FxHashMap as HashMap;

use crate::syntax::ast::*;
use crate::syntax::ast::ExprKind as K2;
use crate::rules::pattern::{mv_name, Pattern, PatternKind, PARAM_ELLIPSIS};
use crate::syntax::visitor::NodeObserver;
use crate::semantic::{ScopeId, SemanticModel};

/// Metavariable bindings: name -> the bound code's span.
pub type Bindings<'p> = Vec<(&'p str, Span)>;

#[derive(Debug, Clone)]
pub struct Match<'p> {
    pub span: Span,
    pub bindings: Bindings<'p>,
    /// The pattern that produced this match directly, if any (for seeded re-matching).
    pub pattern: Option<usize>,
}

/// How far a name is followed through single assignments (`q = f"..."; run(q)`).
const MAX_PROPAGATION: u32 = 3;
/// Recursion bound for matching one pattern against one node.
const MAX_MATCH_DEPTH: u32 = 200;

#[derive(Clone, Copy)]
enum Node<'a> {
    Expr(&'a Expr),
    Stmt(&'a Stmt),
}

fn kind_tag(e: &ExprKind) -> u8 {
    match e {
        ExprKind::Name(_) => 0,
        ExprKind::Attribute { .. } => 1,
        ExprKind::Call { .. } => 2,
        ExprKind::Str(_) => 3,
        ExprKind::Bytes => 4,
        ExprKind::FString(_) => 5,
        ExprKind::Number(_) => 6,
        ExprKind::Bool(_) => 7,
        ExprKind::NoneLit => 8,
        ExprKind::Ellipsis => 9,
        ExprKind::BinOp { .. } => 10,
        ExprKind::UnaryOp { .. } => 11,
        ExprKind::BoolOp { .. } => 12,
        ExprKind::Compare { .. } => 13,
        ExprKind::List(_) => 14,
        ExprKind::Tuple(_) => 15,
        ExprKind::Set(_) => 16,
        ExprKind::Dict(_) => 17,
        ExprKind::Subscript { .. } => 18,
        ExprKind::Slice { .. } => 19,
        ExprKind::Lambda { .. } => 20,
        ExprKind::IfExp { .. } => 21,
        ExprKind::Comp { .. } => 22,
        ExprKind::DictComp { .. } => 23,
        ExprKind::Await(_) => 24,
        ExprKind::Yield(_) => 25,
        ExprKind::YieldFrom(_) => 26,
        ExprKind::Starred(_) => 27,
        ExprKind::Named { .. } => 28,
        ExprKind::Error => 29,
    }
}

/// The `stmt_tag` of `from ... import ...`.
const IMPORT_FROM_TAG: u8 = 16;

fn stmt_tag(s: &StmtKind) -> u8 {
    match s {
        StmtKind::Expr(_) => 0,
        StmtKind::Assign { .. } | StmtKind::AnnAssign { .. } => 1,
        StmtKind::AugAssign { .. } => 2,
        StmtKind::FunctionDef(_) => 3,
        StmtKind::ClassDef(_) => 4,
        StmtKind::Return(_) => 5,
        StmtKind::Delete(_) => 6,
        StmtKind::If { .. } => 7,
        StmtKind::For { .. } => 8,
        StmtKind::While { .. } => 9,
        StmtKind::With { .. } => 10,
        StmtKind::Match { .. } => 11,
        StmtKind::Raise { .. } => 12,
        StmtKind::Try { .. } => 13,
        StmtKind::Assert { .. } => 14,
        StmtKind::Import(_) => 15,
        StmtKind::ImportFrom { .. } => IMPORT_FROM_TAG,
        StmtKind::Global(_) => 17,
        StmtKind::Nonlocal(_) => 18,
        StmtKind::Pass => 19,
        StmtKind::Break => 20,
        StmtKind::Continue => 21,
        StmtKind::Other => 22,
    }
}

fn last_segment(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

fn is_ellipsis(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Ellipsis)
}

fn is_ellipsis_stmt(s: &Stmt) -> bool {
    matches!(&s.kind, StmtKind::Expr(e) if is_ellipsis(e))
}

/// A dotted name without metavariables (`subprocess.Popen`), matched after import resolution.
fn plain_dotted(e: &Expr) -> Option<String> {
    if is_plain_dotted(e) {
        e.dotted_name()
    } else {
        None
    }
}

/// `plain_dotted(e).is_some()`, without allocating.
fn is_plain_dotted(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Name(n) => mv_name(n).is_none(),
        ExprKind::Attribute { value, attr } => mv_name(&attr.name).is_none() && is_plain_dotted(value),
        _ => false,
    }
}

/// Do two `Name`/`Attribute` chains spell the same dotted name?
fn chain_eq(p: &Expr, c: &Expr) -> bool {
    match (&p.kind, &c.kind) {
        (ExprKind::Name(a), ExprKind::Name(b)) => a == b,
        (ExprKind::Attribute { value: pv, attr: pa }, ExprKind::Attribute { value: cv, attr: ca }) => {
            pa.name == ca.name && chain_eq(pv, cv)
        }
        _ => false,
    }
}

/// Does the chain `p` spell exactly the dotted string `q`?
fn chain_eq_str(p: &Expr, q: &str) -> bool {
    match &p.kind {
        ExprKind::Name(n) => n == q,
        ExprKind::Attribute { value, attr } => q
            .strip_suffix(attr.name.as_str())
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|rest| chain_eq_str(value, rest)),
        _ => false,
    }
}

/// Where the code import alias's dotted name is written, if it is written without spaces.
fn alias_name_span(src: &str, a: &ImportAlias) -> Option<Span> {
    let span = Span::new(a.span.start, a.span.start.checked_add(u32::try_from(a.name.len()).ok()?)?);
    (src.get(span.start as usize..span.end as usize) == Some(a.name.as_str())).then_some(span)
}

/// Where the module of the code statement `from <module> import ...` at `stmt` is written, if
/// it is written without spaces.
fn from_module_span(src: &str, stmt: Span, module: &str) -> Option<Span> {
    let text = src.get(stmt.start as usize..stmt.end as usize)?;
    let after = text.strip_prefix("from")?;
    let rest = after.trim_start_matches(|c: char| c.is_whitespace() || c == '.' || c == '\\');
    let start = stmt.start as usize + (text.len() - rest.len());
    rest.starts_with(module).then(|| Span::new(start as u32, (start + module.len()) as u32))
}

/// Can pattern statement `p` match code statement `c`, judging by their kinds? Equal kinds
/// (`x = v` covers annotated assignments too) and `import a.b` against `from a import b`.
fn stmt_kinds_may_match(p: &StmtKind, c: &StmtKind) -> bool {
    stmt_tag(p) == stmt_tag(c) || matches!((p, c), (StmtKind::Import(_), StmtKind::ImportFrom { .. }))
}

/// Number of distinct `kind_tag`s and `stmt_tag`s.
const EXPR_TAGS: usize = 30;
const STMT_TAGS: usize = 23;

/// A cheap necessary condition for a call pattern to match a call: the argument counts and the
/// keyword names that `m_args` requires (checked before the callee is resolved).
#[derive(Debug, Default)]
struct CallShape {
    /// Non-`...` positional pattern arguments: each needs its own code argument.
    min_pos: usize,
    /// No `...` among the positional arguments: the counts must be equal, keywords included.
    exact: bool,
    keywords: usize,
    /// Keyword names the call must pass (each pattern keyword must match some code keyword).
    names: Vec<String>,
    /// A `$K=...` keyword: the call must pass some named keyword.
    any_named: bool,
    /// A `**$KW` pattern keyword: the call must pass `**something`.
    double_star: bool,
    /// The callee and the positional arguments before the first `...` (at fixed positions),
    /// for `kind_may_match`.
    func: Option<Expr>,
    fixed: Vec<(usize, Expr)>,
    /// `$K=...` keywords whose metavariable has a `metavariable-regex`: some keyword name of
    /// the call must hold one of the literals that every match of the regex holds.
    named_required: Vec<crate::rules::pattern::Required>,
    /// The callee is `X.$M` with a `metavariable-regex` on `$M`: a code callee that is an
    /// attribute must have a name that starts with one of these.
    attr_starts: Option<Vec<String>>,
    /// The callee is `X.$M` with `X` a plain dotted name.
    base: Option<Base>,
}

/// For a pattern `X.$M` with `X` a plain dotted name (`os.$F`, `ssl.$V`): what the code
/// attribute's value must look like. `X` only matches a name that spells it, is imported or
/// has a constant (`m_expr` follows it), or an attribute with the same last name; a bare code
/// name (imported from `X`, or a constant) may match the whole pattern.
#[derive(Debug)]
struct Base {
    /// Last segment of `X`.
    last: String,
    /// `X` is a single name.
    single: bool,
}

impl Base {
    fn of(p: &Expr) -> Option<Base> {
        let ExprKind::Attribute { value, attr } = &p.kind else { return None };
        mv_name(&attr.name)?;
        let d = plain_dotted(value)?;
        Some(Base { last: last_segment(&d).to_string(), single: matches!(value.kind, ExprKind::Name(_)) })
    }

    /// Can code `c` match `X.$M`?
    fn admits(&self, c: &Expr, sem: &SemanticModel<'_>) -> bool {
        let name_ok = |n: &str| sem.may_be_import(n) || sem.may_be_constant(n);
        match &c.kind {
            ExprKind::Attribute { value, .. } => match &value.kind {
                ExprKind::Name(n) => (self.single && n == self.last.as_str()) || name_ok(n),
                ExprKind::Attribute { attr, .. } => attr.name == self.last.as_str(),
                _ => false,
            },
            ExprKind::Name(n) => name_ok(n),
            _ => false,
        }
    }
}

/// Cheap necessary conditions for a pattern to match at a node, checked before `m_expr`.
#[derive(Debug, Default)]
struct Shape {
    call: Option<CallShape>,
    /// The pattern is `X.$M` with a `metavariable-regex` on `$M`: a code attribute must have a
    /// name that starts with one of these.
    attr_starts: Option<Vec<String>>,
    /// The pattern is `X.$M` with `X` a plain dotted name.
    base: Option<Base>,
}

/// For a pattern `X.$M` (`X` anything): the literals that the attribute name of a matching code
/// attribute starts with, from the `metavariable-regex` on `$M` (bound to that name, first
/// thing, whichever branch of `m_expr_direct` matches).
fn attr_starts(p: &Expr, constraints: &[(String, crate::rules::pattern::MvRegex)]) -> Option<Vec<String>> {
    let ExprKind::Attribute { attr, .. } = &p.kind else { return None };
    let mv = mv_name(&attr.name)?;
    constraints.iter().find(|(n, _)| n == mv).and_then(|(_, re)| re.starts.clone())
}

fn starts_with_any(name: &str, starts: &[String]) -> bool {
    starts.iter().any(|s| name.starts_with(s.as_str()))
}

/// Can pattern `p` match code `c`, judging by node kinds alone? Every arm of `m_expr_direct`
/// pairs equal kinds (a plain dotted name only matches a name, directly or through its
/// import, and an attribute chain matches attributes and imported names); a code name may
/// also stand for any constant (`m_expr` follows it); metavariables and `...` match anything.
fn kind_may_match(p: &Expr, c: &Expr) -> bool {
    match &p.kind {
        ExprKind::Name(n) if mv_name(n).is_some() => true,
        ExprKind::Ellipsis => true,
        _ if matches!(c.kind, ExprKind::Name(_)) => true,
        pk => kind_tag(pk) == kind_tag(&c.kind),
    }
}

/// Can statement pattern `p` match code statement `c` of the same kind, judging by cheap
/// counts and node kinds alone (as `m_stmt` pairs them)? Most statements that a pattern of
/// their kind is offered fail here: a decorated-function pattern against an undecorated
/// function, `$X = $Y / $Z` against an assignment of a call.
fn stmt_may_match(p: &Stmt, c: &Stmt) -> bool {
    match (&p.kind, &c.kind) {
        (StmtKind::FunctionDef(pf), StmtKind::FunctionDef(cf)) => {
            (pf.decorators.is_empty() || !cf.decorators.is_empty()) && params_may_match(&pf.params, &cf.params)
        }
        (StmtKind::Assign { targets: pt, value: pv }, StmtKind::Assign { targets: ct, value: cv }) => {
            pt.len() == 1 && kind_may_match(pv, cv) && ct.iter().any(|t| kind_may_match(&pt[0], t))
        }
        (StmtKind::Assign { targets: pt, value: pv }, StmtKind::AnnAssign { target: ct, value: Some(cv), .. }) => {
            pt.len() == 1 && kind_may_match(pv, cv) && kind_may_match(&pt[0], ct)
        }
        _ => true,
    }
}

/// The counts `m_params` needs: as many code parameters as the pattern's (at least as many
/// with a `...`), and a default for each pattern parameter that has one.
fn params_may_match(pp: &[Param], cp: &[Param]) -> bool {
    let fixed = pp.iter().filter(|p| p.name.name != PARAM_ELLIPSIS).count();
    let count_ok = if fixed == pp.len() { cp.len() == fixed } else { cp.len() >= fixed };
    let defaults = |ps: &[Param]| ps.iter().filter(|p| p.default.is_some()).count();
    count_ok && defaults(pp) <= defaults(cp)
}

impl CallShape {
    fn of(func: &Expr, args: &[Expr], keywords: &[Keyword]) -> CallShape {
        let exact = !args.iter().any(is_ellipsis);
        let mut shape = CallShape {
            min_pos: args.iter().filter(|a| !is_ellipsis(a)).count(),
            exact,
            keywords: keywords.len(),
            func: Some(func.clone()),
            fixed: args.iter().take_while(|a| !is_ellipsis(a)).cloned().enumerate().collect(),
            ..CallShape::default()
        };
        for k in keywords {
            match &k.arg {
                Some(a) if mv_name(&a.name).is_some() => shape.any_named = true,
                Some(a) => shape.names.push(a.name.to_string()),
                None => shape.double_star = true,
            }
        }
        shape
    }

    /// Adds what the pattern's `metavariable-regex`es tell (see the fields).
    fn constrained(mut self, call: &Expr, constraints: &[(String, crate::rules::pattern::MvRegex)]) -> CallShape {
        let ExprKind::Call { func, keywords, .. } = &call.kind else { return self };
        self.attr_starts = attr_starts(func, constraints);
        self.base = Base::of(func);
        for k in keywords {
            let Some(mv) = k.arg.as_ref().and_then(|a| mv_name(&a.name)) else { continue };
            // Only a keyword metavariable that occurs nowhere else: it is then first bound to
            // the code keyword's name, where its regex is checked.
            if mv == "_" || mv_occurrences(call, mv, 0) != 1 {
                continue;
            }
            if let Some(req) = constraints.iter().find(|(n, _)| n == mv).and_then(|(_, re)| re.required.clone()) {
                self.named_required.push(req);
            }
        }
        self
    }

    fn fits(&self, func: &Expr, args: &[Expr], keywords: &[Keyword], sem: &SemanticModel<'_>) -> bool {
        if self.exact {
            if args.len() != self.min_pos || keywords.len() != self.keywords {
                return false;
            }
        } else if args.len() < self.min_pos {
            return false;
        }
        self.func.as_ref().is_none_or(|p| kind_may_match(p, func))
            && self.fixed.iter().all(|(i, p)| args.get(*i).is_none_or(|c| kind_may_match(p, c)))
            && self.names.iter().all(|n| keywords.iter().any(|k| k.arg.as_ref().is_some_and(|a| a.name == *n)))
            && (!self.any_named || keywords.iter().any(|k| k.arg.is_some()))
            && (!self.double_star || keywords.iter().any(|k| k.arg.is_none()))
            && self.attr_starts.as_ref().is_none_or(|st| match &func.kind {
                ExprKind::Attribute { attr, .. } => starts_with_any(&attr.name, st),
                _ => true,
            })
            && self.base.as_ref().is_none_or(|b| b.admits(func, sem))
            && self.named_required.iter().all(|req| keywords.iter().any(|k| k.arg.as_ref().is_some_and(|a| req.admits(&a.name))))
    }
}

/// How often a metavariable occurs in a pattern expression (names, attribute names, keyword
/// names); lambdas and comprehensions, whose parameters and targets bind names this does not
/// count, count as many.
fn mv_occurrences(e: &Expr, mv: &str, depth: u32) -> usize {
    if depth > 100 {
        return usize::MAX / 4;
    }
    let here = match &e.kind {
        ExprKind::Name(n) => usize::from(mv_name(n) == Some(mv)),
        ExprKind::Attribute { attr, .. } => usize::from(mv_name(&attr.name) == Some(mv)),
        ExprKind::Call { keywords, .. } => {
            keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| mv_name(&a.name) == Some(mv))).count()
        }
        ExprKind::Lambda { .. } | ExprKind::Comp { .. } | ExprKind::DictComp { .. } => usize::MAX / 4,
        _ => 0,
    };
    let mut n = here;
    e.for_each_child(|c| n = n.saturating_add(mv_occurrences(c, mv, depth + 1)));
    n
}

/// Which patterns each node kind is offered to.
#[derive(Debug, Default)]
pub struct PatternIndex {
    /// Expression patterns offered every node of one kind (by `kind_tag`): patterns keyed by
    /// their root's kind, patterns whose root is a metavariable or `...` (in every list) and
    /// call patterns whose callee has no fixed name (in the `Call` list).
    by_kind: Vec<Vec<usize>>,
    /// Call patterns by the last segment of the callee (`subprocess.run` -> `run`).
    calls: HashMap<String, Vec<usize>>,
    /// Plain dotted name patterns by their last segment.
    names: HashMap<String, Vec<usize>>,
    /// `X.$M(...)` call patterns (`X` a plain dotted name) by the last segment of `X`: only
    /// calls whose callee can stand for something under `X` are offered them (see
    /// [`Matcher::base_keys`]).
    call_bases: HashMap<String, Vec<usize>>,
    /// `$X.attr` patterns (a metavariable somewhere in the value, a fixed attribute name) by
    /// the attribute name: offered to attributes of that name and to names bound to one.
    attrs: HashMap<String, Vec<usize>>,
    /// Statement patterns by `stmt_tag`.
    stmt: Vec<Vec<usize>>,
    /// Statement-sequence patterns.
    seq: Vec<usize>,
    /// Call-shape prefilters of root call patterns, by pattern id.
    shapes: Vec<Shape>,
}

impl PatternIndex {
    pub fn build(patterns: &[Pattern]) -> Self {
        let mut idx = PatternIndex {
            by_kind: vec![Vec::new(); EXPR_TAGS],
            stmt: vec![Vec::new(); STMT_TAGS],
            shapes: Vec::with_capacity(patterns.len()),
            ..PatternIndex::default()
        };
        let mut any_expr = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            idx.shapes.push(match p.expr() {
                Some(e @ Expr { kind: ExprKind::Call { func, args, keywords }, .. }) => Shape {
                    call: Some(CallShape::of(func, args, keywords).constrained(e, &p.constraints)),
                    attr_starts: None,
                    base: None,
                },
                Some(e) => Shape { call: None, attr_starts: attr_starts(e, &p.constraints), base: Base::of(e) },
                None => Shape::default(),
            });
            match p.kind {
                PatternKind::Seq => idx.seq.push(id),
                PatternKind::Stmt => {
                    if let Some(s) = p.module.body.first() {
                        // `x = v` patterns also cover annotated assignments (same tag).
                        idx.stmt[stmt_tag(&s.kind) as usize].push(id);
                        if let StmtKind::Import(_) = s.kind {
                            // `import a.b` also matches `from a import b`.
                            idx.stmt[IMPORT_FROM_TAG as usize].push(id);
                        }
                    }
                }
                PatternKind::Expr => {
                    let Some(e) = p.expr() else { continue };
                    match &e.kind {
                        ExprKind::Name(n) if mv_name(n).is_some() => any_expr.push(id),
                        ExprKind::Ellipsis => any_expr.push(id),
                        ExprKind::Call { func, .. } => match plain_dotted(func) {
                            Some(d) => idx.calls.entry(last_segment(&d).to_string()).or_default().push(id),
                            None => match (&func.kind, Base::of(func)) {
                                (ExprKind::Attribute { attr, .. }, _) if mv_name(&attr.name).is_none() => {
                                    idx.calls.entry(attr.name.to_string()).or_default().push(id)
                                }
                                (_, Some(base)) => idx.call_bases.entry(base.last).or_default().push(id),
                                _ => idx.by_kind[kind_tag(&e.kind) as usize].push(id),
                            },
                        },
                        ExprKind::Name(_) | ExprKind::Attribute { .. } => match plain_dotted(e) {
                            Some(d) => idx.names.entry(last_segment(&d).to_string()).or_default().push(id),
                            None if matches!(&e.kind, ExprKind::Attribute { attr, .. } if mv_name(&attr.name).is_none()) => {
                                if let ExprKind::Attribute { attr, .. } = &e.kind {
                                    idx.attrs.entry(attr.name.to_string()).or_default().push(id);
                                }
                            }
                            None => {
                                // `ssl.$V` also matches a bare name imported from `ssl`.
                                idx.by_kind[kind_tag(&ExprKind::Name(IStr::default())) as usize].push(id);
                                idx.by_kind[kind_tag(&e.kind) as usize].push(id);
                            }
                        },
                        other => idx.by_kind[kind_tag(other) as usize].push(id),
                    }
                }
            }
        }
        for list in &mut idx.by_kind {
            list.extend_from_slice(&any_expr);
            list.sort_unstable();
            list.dedup();
        }
        idx
    }
}

/// The index restricted to the patterns that run on one file.
struct Active {
    by_kind: Vec<Vec<usize>>,
    calls: bool,
    names: bool,
    call_bases: bool,
    attrs: bool,
    stmt: Vec<Vec<usize>>,
    seq: Vec<usize>,
    /// Does any expression pattern run at all?
    exprs: bool,
}

impl Active {
    fn new(idx: &PatternIndex, active: &[bool]) -> Active {
        let on = |id: &usize| active.get(*id).copied().unwrap_or(false);
        let keep = |v: &Vec<usize>| v.iter().copied().filter(on).collect::<Vec<usize>>();
        let by_kind: Vec<Vec<usize>> = idx.by_kind.iter().map(keep).collect();
        let calls = idx.calls.values().any(|v| v.iter().any(on));
        let names = idx.names.values().any(|v| v.iter().any(on));
        let call_bases = idx.call_bases.values().any(|v| v.iter().any(on));
        let attrs = idx.attrs.values().any(|v| v.iter().any(on));
        let exprs = calls || names || call_bases || attrs || by_kind.iter().any(|v| !v.is_empty());
        Active {
            by_kind,
            calls,
            names,
            call_bases,
            attrs,
            stmt: idx.stmt.iter().map(keep).collect(),
            seq: keep(&idx.seq),
            exprs,
        }
    }

    fn is_empty(&self) -> bool {
        !self.exprs && self.seq.is_empty() && self.stmt.iter().all(Vec::is_empty)
    }
}

type Results<'p> = Vec<Vec<Match<'p>>>;

pub struct Matcher<'a, 'p> {
    pub src: &'a str,
    pub sem: &'a SemanticModel<'a>,
    pub patterns: &'p [Pattern],
    index: &'p PatternIndex,
    /// Only patterns with `active[id]` are tried.
    active: &'p [bool],
    pub results: Results<'p>,
    /// The pattern being matched (for its metavariable constraints).
    current: std::cell::Cell<usize>,
    /// Reused bindings buffer of the walk: a match copies it out, a failed attempt allocates nothing.
    scratch: std::cell::Cell<Bindings<'p>>,
}

impl<'a, 'p> Matcher<'a, 'p> {
    pub fn new(
        src: &'a str,
        sem: &'a SemanticModel<'a>,
        patterns: &'p [Pattern],
        index: &'p PatternIndex,
        active: &'p [bool],
    ) -> Self {
        Matcher {
            src,
            sem,
            patterns,
            index,
            active,
            results: std::iter::repeat_with(Vec::new).take(patterns.len()).collect(),
            current: std::cell::Cell::new(usize::MAX),
            scratch: std::cell::Cell::new(Vec::new()),
        }
    }

    /// Runs every active pattern over the module.
    pub fn run(&mut self, module: &'a Module) {
        self.run_with(module, None);
    }

    /// Runs every active pattern over the module, and shows every statement and expression to
    /// `native` on the way (the walk is the same as the native check's own).
    pub fn run_with(&mut self, module: &'a Module, mut native: Option<&mut dyn NodeObserver>) {
        let mut act = Active::new(self.index, self.active);
        if native.is_some() {
            act.exprs = true;
        } else if act.is_empty() {
            return;
        }
        let mut out = std::mem::take(&mut self.results);
        self.walk_block(&module.body, 0, 0, &act, &mut out, &mut native);
        self.results = out;
    }

    fn walk_block(
        &self,
        body: &'a [Stmt],
        scope: ScopeId,
        depth: u32,
        act: &Active,
        out: &mut Results<'p>,
        native: &mut Option<&mut dyn NodeObserver>,
    ) {
        if depth > 300 {
            return;
        }
        if !act.seq.is_empty() {
            for i in 0..body.len() {
                for &id in &act.seq {
                    let pats = &self.patterns[id].module.body;
                    // A first statement other than `...` or an expression must match `body[i]`
                    // itself, with `m_stmt`.
                    if let Some(first) = pats.first() {
                        if !matches!(first.kind, StmtKind::Expr(_))
                            && (!stmt_kinds_may_match(&first.kind, &body[i].kind) || !stmt_may_match(first, &body[i]))
                        {
                            continue;
                        }
                    }
                    self.current.set(id);
                    let mut b = self.scratch.take();
                    b.clear();
                    if let Some(end) = self.m_stmts(pats, &body[i..], &mut b, scope, false, body[i].span.start, 0) {
                        let span = Span::new(body[i].span.start, end.max(body[i].span.end));
                        out[id].push(Match { span, bindings: b.clone(), pattern: Some(id) });
                    }
                    self.scratch.set(b);
                }
            }
        }
        for s in body {
            self.walk_stmt(s, scope, depth, act, out, native);
        }
    }

    fn walk_stmt(
        &self,
        s: &'a Stmt,
        scope: ScopeId,
        depth: u32,
        act: &Active,
        out: &mut Results<'p>,
        native: &mut Option<&mut dyn NodeObserver>,
    ) {
        if let Some(n) = native {
            n.stmt(s);
        }
        for &id in &act.stmt[stmt_tag(&s.kind) as usize] {
            let Some(p) = self.patterns[id].module.body.first() else { continue };
            if !stmt_may_match(p, s) {
                continue;
            }
            self.current.set(id);
            let mut b = self.scratch.take();
            b.clear();
            if self.m_stmt(p, s, &mut b, scope, 0) {
                out[id].push(Match { span: s.span, bindings: b.clone(), pattern: Some(id) });
            }
            self.scratch.set(b);
        }
        if act.exprs {
            s.for_each_expr(&mut |e| self.walk_expr(e, scope, 0, act, out, native));
        }
        let inner = match &s.kind {
            StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => {
                self.sem.scope_of_def.get(&s.span.start).copied().unwrap_or(scope)
            }
            _ => scope,
        };
        s.for_each_block(&mut |b| self.walk_block(b, inner, depth + 1, act, out, native));
    }

    /// Tries expression pattern `id` at `e`.
    fn try_expr(&self, id: usize, e: &'a Expr, scope: ScopeId, out: &mut Results<'p>) {
        if !self.active[id] {
            return;
        }
        let Some(p) = self.patterns[id].expr() else { return };
        let shape = &self.index.shapes[id];
        match &e.kind {
            ExprKind::Call { func, args, keywords }
                if shape.call.as_ref().is_some_and(|c| !c.fits(func, args, keywords, self.sem)) =>
            {
                return;
            }
            ExprKind::Attribute { attr, .. }
                if shape.attr_starts.as_ref().is_some_and(|st| !starts_with_any(&attr.name, st))
                    || shape.base.as_ref().is_some_and(|b| !b.admits(e, self.sem)) =>
            {
                return;
            }
            ExprKind::Name(_) if shape.base.as_ref().is_some_and(|b| !b.admits(e, self.sem)) => return,
            _ => {}
        }
        self.current.set(id);
        let mut b = self.scratch.take();
        b.clear();
        if self.m_expr(p, e, &mut b, scope, 0) {
            out[id].push(Match { span: e.span, bindings: b.clone(), pattern: Some(id) });
        }
        self.scratch.set(b);
    }

    fn walk_expr(
        &self,
        e: &'a Expr,
        scope: ScopeId,
        depth: u32,
        act: &Active,
        out: &mut Results<'p>,
        native: &mut Option<&mut dyn NodeObserver>,
    ) {
        if depth > 1500 {
            return;
        }
        if let Some(n) = native {
            n.expr(e, depth);
        }
        for &id in &act.by_kind[kind_tag(&e.kind) as usize] {
            self.try_expr(id, e, scope, out);
        }
        // Each pattern sits in exactly one list, and the lists below differ from each other and
        // from the kind lists: no pattern is tried twice at one node.
        let idx = self.index;
        if act.call_bases {
            if let ExprKind::Call { func, .. } = &e.kind {
                let mut keys = Vec::new();
                if self.base_keys(func, scope, 0, &mut keys) {
                    keys.sort_unstable();
                    keys.dedup();
                    for k in keys {
                        for &id in idx.call_bases.get(k).map_or(&[][..], Vec::as_slice) {
                            self.try_expr(id, e, scope, out);
                        }
                    }
                } else {
                    for &id in idx.call_bases.values().flatten() {
                        self.try_expr(id, e, scope, out);
                    }
                }
            }
        }
        if act.attrs {
            match &e.kind {
                ExprKind::Attribute { attr, .. } => {
                    for &id in idx.attrs.get(attr.name.as_str()).map_or(&[][..], Vec::as_slice) {
                        self.try_expr(id, e, scope, out);
                    }
                }
                ExprKind::Name(n) => {
                    // `m_expr` follows a name to its constant value.
                    if let Some(ExprKind::Attribute { attr, .. }) =
                        self.sem.constant_value(scope, n, e.span.start).map(|v| &v.kind)
                    {
                        for &id in idx.attrs.get(attr.name.as_str()).map_or(&[][..], Vec::as_slice) {
                            self.try_expr(id, e, scope, out);
                        }
                    }
                }
                _ => {}
            }
        }
        match &e.kind {
            ExprKind::Call { func, .. } if act.calls => {
                let raw = match &func.kind {
                    ExprKind::Name(n) => Some(n.as_str()),
                    ExprKind::Attribute { attr, .. } => Some(attr.name.as_str()),
                    _ => None,
                };
                if let Some(v) = raw.and_then(|r| idx.calls.get(r)) {
                    for &id in v {
                        self.try_expr(id, e, scope, out);
                    }
                }
                if let ExprKind::Name(n) = &func.kind {
                    if let Some(q) = self.sem.resolve_import(scope, n) {
                        let last = last_segment(q);
                        if last != n {
                            if let Some(v) = idx.calls.get(last) {
                                for &id in v {
                                    self.try_expr(id, e, scope, out);
                                }
                            }
                        }
                    }
                }
            }
            ExprKind::Name(n) if act.names => {
                if let Some(v) = idx.names.get(n.as_str()) {
                    for &id in v {
                        self.try_expr(id, e, scope, out);
                    }
                }
                if let Some(q) = self.sem.resolve_import(scope, n) {
                    let last = last_segment(q);
                    if last != n {
                        if let Some(v) = idx.names.get(last) {
                            for &id in v {
                                self.try_expr(id, e, scope, out);
                            }
                        }
                    }
                }
            }
            ExprKind::Attribute { attr, .. } if act.names => {
                if let Some(v) = idx.names.get(attr.name.as_str()) {
                    for &id in v {
                        self.try_expr(id, e, scope, out);
                    }
                }
            }
            _ => {}
        }
        e.for_each_child(&mut |c| self.walk_expr(c, scope, depth + 1, act, out, native));
    }

    /// The keys of `call_bases` whose patterns `X.$M(...)` may match a call of `func`: the last
    /// segment of what the callee's value can stand for, as `m_expr` resolves it (the name as
    /// written, through its import, or through its constant value). `false` when that is not
    /// known (constants nested too deep): every such pattern is tried then.
    fn base_keys(&self, func: &'a Expr, scope: ScopeId, depth: u32, keys: &mut Vec<&'a str>) -> bool {
        if depth > 4 {
            return false;
        }
        match &func.kind {
            // `X.$M` against `value.attr`: `value` must match `X`.
            ExprKind::Attribute { value, .. } => self.chain_keys(value, scope, depth, keys),
            // A bare name: through its import (`from os import system`) or its constant value.
            ExprKind::Name(n) => {
                if let Some(q) = self.sem.resolve_import(scope, n) {
                    let mut segs = q.rsplit('.');
                    segs.next();
                    keys.extend(segs.next());
                }
                match self.sem.constant_value(scope, n, func.span.start) {
                    Some(v) => self.base_keys(v, scope, depth + 1, keys),
                    None => true,
                }
            }
            _ => true,
        }
    }

    /// The last segments that the plain dotted pattern `X` can match in code `c` (see
    /// [`Matcher::base_keys`]).
    fn chain_keys(&self, c: &'a Expr, scope: ScopeId, depth: u32, keys: &mut Vec<&'a str>) -> bool {
        if depth > 4 {
            return false;
        }
        match &c.kind {
            ExprKind::Attribute { attr, .. } => {
                keys.push(&attr.name);
                true
            }
            ExprKind::Name(n) => {
                keys.push(n);
                if let Some(q) = self.sem.resolve_import(scope, n) {
                    keys.push(last_segment(q));
                }
                match self.sem.constant_value(scope, n, c.span.start) {
                    Some(v) => self.chain_keys(v, scope, depth + 1, keys),
                    None => true,
                }
            }
            _ => true,
        }
    }

    // ---- binding helpers -------------------------------------------------------------

    fn text(&self, span: Span) -> &'a str {
        self.src.get(span.start as usize..span.end as usize).unwrap_or("")
    }

    /// Two bound code fragments are equal when their text is, ignoring whitespace. Both spans
    /// are offsets into `src`: code bound by metavariables, never a pattern's own nodes.
    pub fn same_code(src: &str, a: Span, b: Span) -> bool {
        let ta = src.get(a.start as usize..a.end as usize).unwrap_or("");
        let tb = src.get(b.start as usize..b.end as usize).unwrap_or("");
        ta.chars().filter(|c| !c.is_whitespace()).eq(tb.chars().filter(|c| !c.is_whitespace()))
    }

    fn bind(&self, name: &'p str, span: Span, b: &mut Bindings<'p>) -> bool {
        if name == "_" || name.starts_with('_') && name.len() == 1 {
            return true;
        }
        if let Some((_, prev)) = b.iter().find(|(n, _)| *n == name) {
            return Self::same_code(self.src, *prev, span);
        }
        if let Some(p) = self.patterns.get(self.current.get()) {
            for (mv, re) in &p.constraints {
                if mv == name && !re.matches(self.text(span)) {
                    return false;
                }
            }
        }
        b.push((name, span));
        true
    }

    fn m_ident(&self, p: &'p str, c: &Ident, b: &mut Bindings<'p>) -> bool {
        match mv_name(p) {
            Some(mv) => self.bind(mv, c.span, b),
            None => p == c.name,
        }
    }

    // ---- expressions -----------------------------------------------------------------

    pub fn m_expr(&self, p: &'p Expr, c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, depth: u32) -> bool {
        if depth > MAX_MATCH_DEPTH {
            return false;
        }
        match &p.kind {
            ExprKind::Name(n) if mv_name(n).is_some() => {
                return self.bind(mv_name(n).unwrap_or("_"), c.span, b);
            }
            ExprKind::Ellipsis => return true,
            _ => {}
        }
        let save = b.len();
        if self.m_expr_direct(p, c, b, scope, depth) {
            return true;
        }
        b.truncate(save);
        // Follow a name bound exactly once to its value.
        if let ExprKind::Name(n) = &c.kind {
            if depth < MAX_PROPAGATION * 8 {
                if let Some(v) = self.sem.constant_value(scope, n, c.span.start) {
                    if self.m_expr(p, v, b, scope, depth + 8) {
                        return true;
                    }
                    b.truncate(save);
                }
            }
        }
        false
    }

    /// Does the code chain `c`, with its root resolved through imports, spell the pattern chain `p`?
    fn qualified_eq(&self, p: &Expr, c: &Expr, scope: ScopeId) -> bool {
        match (&p.kind, &c.kind) {
            (_, K2::Name(n)) => self.sem.resolve_import(scope, n).is_some_and(|q| chain_eq_str(p, q)),
            (K2::Attribute { value: pv, attr: pa }, K2::Attribute { value: cv, attr: ca }) => {
                pa.name == ca.name && self.qualified_eq(pv, cv, scope)
            }
            // A pattern shorter than the code chain cannot match.
            _ => false,
        }
    }

    fn m_opt(&self, p: &'p Option<Box<Expr>>, c: &'a Option<Box<Expr>>, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        match (p, c) {
            (None, None) => true,
            (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
            (Some(p), None) => is_ellipsis(p),
            (None, Some(_)) => false,
        }
    }

    fn m_expr_direct(&self, p: &'p Expr, c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        use ExprKind as K;
        match (&p.kind, &c.kind) {
            (K::Name(_), _) | (K::Attribute { .. }, _) if is_plain_dotted(p) => {
                chain_eq(p, c) || self.qualified_eq(p, c, scope)
            }
            (K::Attribute { value: pv, attr: pa }, _) => {
                if let K::Attribute { value: cv, attr: ca } = &c.kind {
                    let save = b.len();
                    if self.m_ident(&pa.name, ca, b) && self.m_expr(pv, cv, b, scope, d + 1) {
                        return true;
                    }
                    b.truncate(save);
                }
                // `subprocess.$FN` also matches `check_output` after
                // `from subprocess import check_output`.
                if !is_plain_dotted(pv) || !matches!(c.kind, K::Name(_) | K::Attribute { .. }) {
                    return false;
                }
                let (Some(mv), Some(base)) = (mv_name(&pa.name), plain_dotted(pv)) else { return false };
                let Some(q) = self.sem.qualified_name(scope, c) else { return false };
                let Some(last) = q.strip_prefix(base.as_str()).and_then(|r| r.strip_prefix('.')) else { return false };
                if last.contains('.') {
                    return false;
                }
                let span = match &c.kind {
                    K::Attribute { attr, .. } => attr.span,
                    _ => c.span,
                };
                self.bind(mv, span, b)
            }
            (K::Call { func: pf, args: pa, keywords: pk }, K::Call { func: cf, args: ca, keywords: ck }) => {
                self.m_expr(pf, cf, b, scope, d + 1) && self.m_args(pa, pk, ca, ck, b, scope, d)
            }
            (K::Str(ps), K::Str(cs)) => ps == "..." || ps == cs,
            (K::Bytes, K::Bytes) => true,
            (K::FString(pp), K::FString(cp)) => self.m_fstring(pp, cp, b, scope, d),
            (K::Number(pn), K::Number(cn)) => pn == cn,
            (K::Bool(x), K::Bool(y)) => x == y,
            (K::NoneLit, K::NoneLit) => true,
            (K::BinOp { left: pl, op: po, right: pr }, K::BinOp { left: cl, op: co, right: cr }) => {
                if po != co {
                    return false;
                }
                let save = b.len();
                if self.m_expr(pl, cl, b, scope, d + 1) && self.m_expr(pr, cr, b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
                // `"..." + $X` also matches the longer chain `"a" + x + "b"`.
                *po == BinOp::Add
                    && matches!(&cl.kind, K::BinOp { op: BinOp::Add, .. })
                    && self.m_expr_direct(p, cl, b, scope, d + 1)
            }
            (K::UnaryOp { op: po, operand: pe }, K::UnaryOp { op: co, operand: ce }) => {
                po == co && self.m_expr(pe, ce, b, scope, d + 1)
            }
            (K::BoolOp { op: po, values: pv }, K::BoolOp { op: co, values: cv }) => {
                po == co && self.m_expr_seq(pv, cv, b, scope, d)
            }
            (K::Compare { left: pl, ops: po, comparators: pc }, K::Compare { left: cl, ops: co, comparators: cc }) => {
                po == co
                    && self.m_expr(pl, cl, b, scope, d + 1)
                    && pc.len() == cc.len()
                    && pc.iter().zip(cc.iter()).all(|(p, c)| self.m_expr(p, c, b, scope, d + 1))
            }
            (K::List(pe), K::List(ce)) | (K::Tuple(pe), K::Tuple(ce)) | (K::Set(pe), K::Set(ce)) => {
                self.m_expr_seq(pe, ce, b, scope, d)
            }
            (K::Dict(pi), K::Dict(ci)) => pi.iter().all(|(pk, pv)| {
                ci.iter().any(|(ck, cv)| {
                    let save = b.len();
                    let ok = match (pk, ck) {
                        (Some(pk), Some(ck)) => self.m_expr(pk, ck, b, scope, d + 1),
                        (None, None) => true,
                        _ => false,
                    } && self.m_expr(pv, cv, b, scope, d + 1);
                    if !ok {
                        b.truncate(save);
                    }
                    ok
                })
            }),
            (K::Subscript { value: pv, slice: ps }, K::Subscript { value: cv, slice: cs }) => {
                self.m_expr(pv, cv, b, scope, d + 1) && self.m_expr(ps, cs, b, scope, d + 1)
            }
            (K::Slice { lower: pl, upper: pu, step: ps }, K::Slice { lower: cl, upper: cu, step: cs }) => {
                self.m_opt(pl, cl, b, scope, d) && self.m_opt(pu, cu, b, scope, d) && self.m_opt(ps, cs, b, scope, d)
            }
            (K::IfExp { test: pt, body: pb, orelse: po }, K::IfExp { test: ct, body: cb, orelse: co }) => {
                self.m_expr(pt, ct, b, scope, d + 1)
                    && self.m_expr(pb, cb, b, scope, d + 1)
                    && self.m_expr(po, co, b, scope, d + 1)
            }
            (K::Await(pe), K::Await(ce)) | (K::Starred(pe), K::Starred(ce)) | (K::YieldFrom(pe), K::YieldFrom(ce)) => {
                self.m_expr(pe, ce, b, scope, d + 1)
            }
            (K::Yield(pe), K::Yield(ce)) => self.m_opt(pe, ce, b, scope, d),
            (K::Named { target: pt, value: pv }, K::Named { target: ct, value: cv }) => {
                self.m_expr(pt, ct, b, scope, d + 1) && self.m_expr(pv, cv, b, scope, d + 1)
            }
            (K::Lambda { params: pp, body: pb }, K::Lambda { params: cp, body: cb }) => {
                self.m_params(pp, cp, b, scope, d + 1) && self.m_expr(pb, cb, b, scope, d + 1)
            }
            (K::Comp { kind: pk, elt: pe, generators: pg }, K::Comp { kind: ck, elt: ce, generators: cg }) => {
                pk == ck && self.m_expr(pe, ce, b, scope, d + 1) && self.m_generators(pg, cg, b, scope, d)
            }
            (K::DictComp { key: pk, value: pv, generators: pg }, K::DictComp { key: ck, value: cv, generators: cg }) => {
                self.m_expr(pk, ck, b, scope, d + 1)
                    && self.m_expr(pv, cv, b, scope, d + 1)
                    && self.m_generators(pg, cg, b, scope, d)
            }
            _ => false,
        }
    }

    /// The `for ... in ... if ...` clauses of a comprehension, one for one.
    fn m_generators(&self, ps: &'p [Comprehension], cs: &'a [Comprehension], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        ps.len() == cs.len()
            && ps.iter().zip(cs).all(|(p, c)| {
                self.m_expr(&p.target, &c.target, b, scope, d + 1)
                    && self.m_expr(&p.iter, &c.iter, b, scope, d + 1)
                    && self.m_expr_seq(&p.ifs, &c.ifs, b, scope, d + 1)
            })
    }

    /// Element lists where a `...` element matches any run of elements.
    fn m_expr_seq(&self, ps: &'p [Expr], cs: &'a [Expr], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if d > MAX_MATCH_DEPTH {
            return false;
        }
        let Some((first, rest)) = ps.split_first() else { return cs.is_empty() };
        let save = b.len();
        if is_ellipsis(first) {
            for k in 0..=cs.len() {
                if self.m_expr_seq(rest, &cs[k..], b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
            }
            return false;
        }
        let Some((c, crest)) = cs.split_first() else { return false };
        if self.m_expr(first, c, b, scope, d + 1) && self.m_expr_seq(rest, crest, b, scope, d + 1) {
            return true;
        }
        b.truncate(save);
        false
    }

    #[allow(clippy::too_many_arguments)]
    fn m_args(
        &self,
        pa: &'p [Expr],
        pk: &'p [Keyword],
        ca: &'a [Expr],
        ck: &'a [Keyword],
        b: &mut Bindings<'p>,
        scope: ScopeId,
        d: u32,
    ) -> bool {
        let open = pa.iter().any(is_ellipsis);
        if !open && pk.len() != ck.len() {
            return false;
        }
        if !self.m_expr_seq(pa, ca, b, scope, d + 1) {
            return false;
        }
        for k in pk {
            let found = ck.iter().any(|c| {
                let save = b.len();
                let name_ok = match (&k.arg, &c.arg) {
                    (Some(pn), Some(cn)) => self.m_ident(&pn.name, cn, b),
                    (None, None) => true,
                    _ => false,
                };
                if name_ok && self.m_expr(&k.value, &c.value, b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
                false
            });
            if !found {
                return false;
            }
        }
        true
    }

    fn m_fstring(&self, pp: &'p [FStringPart], cp: &'a [FStringPart], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        // `f"..."` matches any f-string that interpolates something.
        if let [FStringPart::Literal(l)] = pp {
            if l == "..." {
                return cp.iter().any(|x| matches!(x, FStringPart::Expr(_)));
            }
        }
        self.m_fparts(pp, cp, b, scope, d)
    }

    fn m_fparts(&self, pp: &'p [FStringPart], cp: &'a [FStringPart], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if d > MAX_MATCH_DEPTH {
            return false;
        }
        let Some((first, rest)) = pp.split_first() else { return cp.is_empty() };
        let save = b.len();
        match first {
            FStringPart::Literal(l) if l.contains("...") => {
                // A literal with `...` matches any run of parts whose text starts/ends as written.
                for k in 0..=cp.len() {
                    if self.m_fparts(rest, &cp[k..], b, scope, d + 1) {
                        return true;
                    }
                    b.truncate(save);
                }
                false
            }
            FStringPart::Literal(l) => match cp.split_first() {
                Some((FStringPart::Literal(cl), crest)) if cl == l => self.m_fparts(rest, crest, b, scope, d + 1),
                _ => false,
            },
            FStringPart::Expr(pe) => match cp.split_first() {
                Some((FStringPart::Expr(ce), crest)) => {
                    if self.m_expr(pe, ce, b, scope, d + 1) && self.m_fparts(rest, crest, b, scope, d + 1) {
                        return true;
                    }
                    b.truncate(save);
                    false
                }
                _ => false,
            },
        }
    }

    // ---- statements ------------------------------------------------------------------

    fn m_params(&self, pp: &'p [Param], cp: &'a [Param], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if d > MAX_MATCH_DEPTH {
            return false;
        }
        let Some((first, rest)) = pp.split_first() else { return cp.is_empty() };
        let save = b.len();
        if first.name.name == PARAM_ELLIPSIS {
            for k in 0..=cp.len() {
                if self.m_params(rest, &cp[k..], b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
            }
            return false;
        }
        let Some((c, crest)) = cp.split_first() else { return false };
        let ok = self.m_ident(&first.name.name, &c.name, b)
            && match (&first.default, &c.default) {
                (None, _) => true,
                (Some(pd), Some(cd)) => self.m_expr(pd, cd, b, scope, d + 1),
                (Some(_), None) => false,
            }
            && self.m_params(rest, crest, b, scope, d + 1);
        if !ok {
            b.truncate(save);
        }
        ok
    }

    /// A nested body: the whole block must match (with `...` skipping statements).
    fn m_body(&self, ps: &'p [Stmt], cs: &'a [Stmt], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if let [only] = ps {
            if is_ellipsis_stmt(only) {
                return true;
            }
        }
        self.m_stmts(ps, cs, b, scope, true, 0, d + 1).is_some()
    }

    pub fn m_stmt(&self, p: &'p Stmt, c: &'a Stmt, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        use StmtKind as S;
        if d > MAX_MATCH_DEPTH {
            return false;
        }
        let inner_scope = |s: &Stmt| self.sem.scope_of_def.get(&s.span.start).copied().unwrap_or(scope);
        match (&p.kind, &c.kind) {
            (S::Expr(pe), S::Expr(ce)) => self.m_expr(pe, ce, b, scope, d + 1),
            (S::Assign { targets: pt, value: pv }, S::Assign { targets: ct, value: cv }) => {
                pt.len() == 1
                    && ct.iter().any(|t| {
                        let save = b.len();
                        let ok = self.m_expr(&pt[0], t, b, scope, d + 1);
                        if !ok {
                            b.truncate(save);
                        }
                        ok
                    })
                    && self.m_expr(pv, cv, b, scope, d + 1)
            }
            (S::Assign { targets: pt, value: pv }, S::AnnAssign { target: ct, value: Some(cv), .. }) => {
                pt.len() == 1 && self.m_expr(&pt[0], ct, b, scope, d + 1) && self.m_expr(pv, cv, b, scope, d + 1)
            }
            (S::AnnAssign { target: pt, annotation: pa, value: pv }, S::AnnAssign { target: ct, annotation: ca, value: cv }) => {
                self.m_expr(pt, ct, b, scope, d + 1)
                    && self.m_expr(pa, ca, b, scope, d + 1)
                    && match (pv, cv) {
                        (None, _) => true,
                        (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
                        _ => false,
                    }
            }
            (S::AugAssign { target: pt, op: po, value: pv }, S::AugAssign { target: ct, op: co, value: cv }) => {
                po == co && self.m_expr(pt, ct, b, scope, d + 1) && self.m_expr(pv, cv, b, scope, d + 1)
            }
            (S::FunctionDef(pf), S::FunctionDef(cf)) => {
                self.m_ident(&pf.name.name, &cf.name, b)
                    && pf.decorators.iter().all(|pd| {
                        cf.decorators.iter().any(|cd| {
                            let save = b.len();
                            let ok = self.m_expr(pd, cd, b, scope, d + 1);
                            if !ok {
                                b.truncate(save);
                            }
                            ok
                        })
                    })
                    && self.m_params(&pf.params, &cf.params, b, scope, d + 1)
                    && self.m_body(&pf.body, &cf.body, b, inner_scope(c), d)
            }
            (S::ClassDef(pc), S::ClassDef(cc)) => {
                self.m_ident(&pc.name.name, &cc.name, b)
                    && (pc.bases.is_empty() || self.m_expr_seq(&pc.bases, &cc.bases, b, scope, d + 1))
                    && self.m_body(&pc.body, &cc.body, b, inner_scope(c), d)
            }
            (S::Return(pv), S::Return(cv)) => match (pv, cv) {
                (None, None) => true,
                (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
                _ => false,
            },
            (S::Delete(pt), S::Delete(ct)) => self.m_expr_seq(pt, ct, b, scope, d + 1),
            (S::If { branches: pb }, S::If { branches: cb }) => {
                pb.len() <= cb.len()
                    && pb.iter().zip(cb.iter()).all(|(p, c)| {
                        (match (&p.test, &c.test) {
                            (Some(pt), Some(ct)) => self.m_expr(pt, ct, b, scope, d + 1),
                            (None, None) => true,
                            _ => false,
                        }) && self.m_body(&p.body, &c.body, b, scope, d)
                    })
            }
            (S::For { target: pt, iter: pi, body: pb, .. }, S::For { target: ct, iter: ci, body: cb, .. }) => {
                self.m_expr(pt, ct, b, scope, d + 1) && self.m_expr(pi, ci, b, scope, d + 1) && self.m_body(pb, cb, b, scope, d)
            }
            (S::While { test: pt, body: pb, .. }, S::While { test: ct, body: cb, .. }) => {
                self.m_expr(pt, ct, b, scope, d + 1) && self.m_body(pb, cb, b, scope, d)
            }
            (S::With { items: pi, body: pb, .. }, S::With { items: ci, body: cb, .. }) => {
                pi.iter().all(|p| {
                    ci.iter().any(|c| {
                        let save = b.len();
                        let ok = self.m_expr(&p.context, &c.context, b, scope, d + 1)
                            && match (&p.target, &c.target) {
                                (None, _) => true,
                                (Some(pt), Some(ct)) => self.m_expr(pt, ct, b, scope, d + 1),
                                _ => false,
                            };
                        if !ok {
                            b.truncate(save);
                        }
                        ok
                    })
                }) && self.m_body(pb, cb, b, scope, d)
            }
            (S::Raise { exc: pe, cause: pc }, S::Raise { exc: ce, cause: cc }) => {
                (match (pe, ce) {
                    (None, None) => true,
                    (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
                    _ => false,
                }) && match (pc, cc) {
                    (None, _) => true,
                    (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
                    _ => false,
                }
            }
            (S::Try { body: pb, handlers: ph, .. }, S::Try { body: cb, handlers: ch, .. }) => {
                if !self.m_body(pb, cb, b, scope, d) {
                    return false;
                }
                // Each pattern handler must match a distinct later code handler, in order.
                let mut next = 0;
                for p in ph {
                    let mut found = false;
                    while next < ch.len() {
                        let c = &ch[next];
                        next += 1;
                        let save = b.len();
                        let ok = (match (&p.type_, &c.type_) {
                            (None, None) => true,
                            (Some(pt), Some(ct)) => self.m_expr(pt, ct, b, scope, d + 1),
                            _ => false,
                        }) && (match (&p.name, &c.name) {
                            (None, _) => true,
                            (Some(pn), Some(cn)) => self.m_ident(&pn.name, cn, b),
                            _ => false,
                        }) && self.m_body(&p.body, &c.body, b, scope, d);
                        if ok {
                            found = true;
                            break;
                        }
                        b.truncate(save);
                    }
                    if !found {
                        return false;
                    }
                }
                true
            }
            (S::Assert { test: pt, msg: pm }, S::Assert { test: ct, msg: cm }) => {
                self.m_expr(pt, ct, b, scope, d + 1)
                    && match (pm, cm) {
                        (None, _) => true,
                        (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
                        _ => false,
                    }
            }
            (S::Import(pn), S::Import(cn)) => self.m_aliases(pn, cn, b),
            (S::ImportFrom { module: pm, level: pl, names: pn }, S::ImportFrom { module: cm, level: cl, names: cn }) => {
                pl == cl
                    && match (pm, cm) {
                        (Some(pm), Some(cm)) => self.m_dotted(pm, cm, from_module_span(self.src, c.span, cm), b),
                        (None, None) => true,
                        _ => false,
                    }
                    && self.m_aliases(pn, cn, b)
            }
            // `import a.b.c` also matches `from a.b import c`.
            (S::Import(pn), S::ImportFrom { module: Some(cm), level: 0, names: cn }) => {
                let module = from_module_span(self.src, c.span, cm);
                pn.iter().all(|p| {
                    let Some((pm, member)) = p.name.rsplit_once('.') else { return false };
                    self.m_dotted(pm, cm, module, b) && self.m_alias_any(member, p.asname.as_ref(), cn, b)
                })
            }
            (S::Pass, S::Pass) | (S::Break, S::Break) | (S::Continue, S::Continue) => true,
            (S::Global(pn), S::Global(cn)) | (S::Nonlocal(pn), S::Nonlocal(cn)) => {
                pn.len() == cn.len() && pn.iter().zip(cn.iter()).all(|(p, c)| self.m_ident(&p.name, c, b))
            }
            _ => false,
        }
    }

    /// Each pattern import name matches one of the code's (`import a` matches `import b, a`).
    fn m_aliases(&self, ps: &'p [ImportAlias], cs: &'a [ImportAlias], b: &mut Bindings<'p>) -> bool {
        ps.iter().all(|p| self.m_alias_any(&p.name, p.asname.as_ref(), cs, b))
    }

    /// Does some code alias match the pattern's dotted `name` and `asname`? A pattern without
    /// `as` matches a code alias with one; a pattern `as $X` binds the code's alias.
    fn m_alias_any(&self, name: &'p str, asname: Option<&'p Ident>, cs: &'a [ImportAlias], b: &mut Bindings<'p>) -> bool {
        cs.iter().any(|c| {
            let save = b.len();
            let ok = self.m_dotted(name, &c.name, alias_name_span(self.src, c), b)
                && match (asname, &c.asname) {
                    (None, _) => true,
                    (Some(pa), Some(ca)) => self.m_ident(&pa.name, ca, b),
                    (Some(_), None) => false,
                };
            if !ok {
                b.truncate(save);
            }
            ok
        })
    }

    /// A dotted module name: a whole-name metavariable binds the code's name (at `span`, its
    /// place in the code when known), other names match segment by segment, a metavariable
    /// segment binding the code's segment.
    fn m_dotted(&self, p: &'p str, c: &str, span: Option<Span>, b: &mut Bindings<'p>) -> bool {
        if let Some(mv) = mv_name(p) {
            if !p.contains('.') {
                return span.is_some_and(|s| self.bind(mv, s, b));
            }
        }
        if p.split('.').count() != c.split('.').count() {
            return false;
        }
        let mut offset = 0u32;
        p.split('.').zip(c.split('.')).all(|(ps, cs)| {
            let seg = span.map(|s| Span::new(s.start + offset, s.start + offset + cs.len() as u32));
            offset += cs.len() as u32 + 1;
            match mv_name(ps) {
                Some(mv) => seg.is_some_and(|s| self.bind(mv, s, b)),
                None => ps == cs,
            }
        })
    }

    /// Inside a statement sequence an expression pattern also matches a statement that
    /// contains the expression (`open($V)` matches `f = open(v)`).
    fn m_stmt_in_seq(&self, p: &'p Stmt, c: &'a Stmt, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        let save = b.len();
        if self.m_stmt(p, c, b, scope, d) {
            return true;
        }
        b.truncate(save);
        if let StmtKind::Expr(pe) = &p.kind {
            let mut found = false;
            c.for_each_expr(&mut |e| {
                if !found {
                    found = self.find_in_expr(pe, e, b, scope, 0);
                }
            });
            return found;
        }
        false
    }

    fn find_in_expr(&self, p: &'p Expr, e: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, depth: u32) -> bool {
        if depth > MAX_MATCH_DEPTH {
            return false;
        }
        let save = b.len();
        if self.m_expr(p, e, b, scope, 0) {
            return true;
        }
        b.truncate(save);
        let mut found = false;
        e.for_each_child(&mut |c| {
            if !found {
                found = self.find_in_expr(p, c, b, scope, depth + 1);
            }
        });
        found
    }

    /// Matches the pattern statements `ps` against a prefix of `cs` (all of `cs` when `full`).
    /// Returns the end offset of the last statement the match covers.
    #[allow(clippy::too_many_arguments)]
    fn m_stmts(
        &self,
        ps: &'p [Stmt],
        cs: &'a [Stmt],
        b: &mut Bindings<'p>,
        scope: ScopeId,
        full: bool,
        last_end: u32,
        d: u32,
    ) -> Option<u32> {
        if d > MAX_MATCH_DEPTH {
            return None;
        }
        let Some((first, rest)) = ps.split_first() else {
            return if !full || cs.is_empty() { Some(last_end) } else { None };
        };
        let save = b.len();
        if is_ellipsis_stmt(first) {
            if rest.is_empty() {
                return Some(cs.last().map(|s| s.span.end).unwrap_or(last_end));
            }
            for k in 0..cs.len() {
                if let Some(e) = self.m_stmts(rest, &cs[k..], b, scope, full, last_end, d + 1) {
                    return Some(e);
                }
                b.truncate(save);
                if !full {
                    // `...` also reaches into nested blocks of the statement it skips.
                    let mut blocks: Vec<&'a [Stmt]> = Vec::new();
                    cs[k].for_each_block(&mut |blk| blocks.push(blk));
                    let nested_scope = match &cs[k].kind {
                        StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => {
                            self.sem.scope_of_def.get(&cs[k].span.start).copied().unwrap_or(scope)
                        }
                        _ => scope,
                    };
                    for blk in blocks {
                        if let Some(e) = self.m_stmts(ps, blk, b, nested_scope, false, last_end, d + 1) {
                            return Some(e);
                        }
                        b.truncate(save);
                    }
                }
            }
            return None;
        }
        let (c, crest) = cs.split_first()?;
        if self.m_stmt_in_seq(first, c, b, scope, d + 1) {
            if let Some(e) = self.m_stmts(rest, crest, b, scope, full, c.span.end, d + 1) {
                return Some(e);
            }
        }
        b.truncate(save);
        None
    }

    pub fn binding_text(&self, span: Span) -> &'a str {
        self.text(span)
    }

    /// Matches pattern `id` again at the node with exactly `span`, starting from `seed`
    /// bindings (those of an enclosing `pattern-inside`). The first match of a pattern picks
    /// the first candidate at each choice point (`f(..., $V, ...)` binds the first argument);
    /// seeding steers those choices to the ones consistent with the enclosing match.
    pub fn rematch(&self, module: &'a Module, id: usize, span: Span, seed: &Bindings<'p>) -> Option<Bindings<'p>> {
        let pat = self.patterns.get(id)?;
        self.current.set(id);
        let mut found = None;
        self.find_nodes(&module.body, 0, span, 0, &mut |node, scope| {
            if found.is_some() {
                return;
            }
            let mut b = seed.clone();
            let ok = match (node, pat.kind) {
                (Node::Expr(e), PatternKind::Expr) => pat.expr().is_some_and(|p| self.m_expr(p, e, &mut b, scope, 0)),
                (Node::Stmt(s), PatternKind::Stmt) => pat.module.body.first().is_some_and(|p| self.m_stmt(p, s, &mut b, scope, 0)),
                _ => false,
            };
            if ok {
                found = Some(b);
            }
        });
        found
    }

    fn find_nodes(&self, body: &'a [Stmt], scope: ScopeId, span: Span, depth: u32, f: &mut dyn FnMut(Node<'a>, ScopeId)) {
        if depth > 300 {
            return;
        }
        // Only the statements containing `span`, in order, as a filter over the whole body would
        // give, without the pass over every statement of the module per call (`rematch` runs once
        // per candidate, so that pass was quadratic in the file's length). The statements of a
        // body are in source order and disjoint (each ends before the next starts; the parser
        // adapter converts them one for one, parse.rs tests `bodies_are_ordered_and_disjoint`),
        // so the ends before `span.start` are a prefix, found by binary search, and no statement
        // starting after `span.start` can contain it.
        let first = body.partition_point(|s| s.span.end < span.start);
        for s in body[first..].iter().take_while(|s| s.span.start <= span.start).filter(|s| s.span.contains(span)) {
            if s.span == span {
                f(Node::Stmt(s), scope);
            }
            s.for_each_expr(&mut |e| Self::find_exprs(e, scope, span, 0, f));
            let inner = match &s.kind {
                StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => self.sem.scope_of_def.get(&s.span.start).copied().unwrap_or(scope),
                _ => scope,
            };
            s.for_each_block(&mut |b| self.find_nodes(b, inner, span, depth + 1, f));
        }
    }

    fn find_exprs(e: &'a Expr, scope: ScopeId, span: Span, depth: u32, f: &mut dyn FnMut(Node<'a>, ScopeId)) {
        if depth > 1500 || !e.span.contains(span) {
            return;
        }
        if e.span == span {
            f(Node::Expr(e), scope);
        }
        e.for_each_child(&mut |c| Self::find_exprs(c, scope, span, depth + 1, f));
    }
}
