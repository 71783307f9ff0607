//! Structural matching of compiled patterns against the code's tree.
//!
//! One walk over the file visits every statement and expression once and offers each node only
//! to the patterns that can match its kind (calls are further keyed by the called name), in the
//! style of oxc's node-kind dispatch. The result is, for every pattern, the list of places it
//! matched with its metavariable bindings; `eval.rs` combines them into rule matches.

use super::gates::Gates;
use super::index::{kind_tag, stmt_tag, Active};
use super::shape::{may_be_name_or_literal, last_segment, starts_with_any, stmt_kinds_may_match, stmt_may_match};
use crate::rules::pattern::{may_start, mv_name, MvRegex, Pattern, PatternKind};
use crate::semantic::{ScopeId, SemanticModel};
use crate::syntax::ast::*;
use crate::syntax::visitor::{walk_body, Descend, NodeObserver, Visitor, MAX_DEPTH};

/// Re-exported here, where the rest of the engine has always found it.
pub use super::index::PatternIndex;

/// Metavariable bindings: name -> the bound code's span.
pub type Bindings<'p> = Vec<(&'p str, Span)>;

#[derive(Debug, Clone)]
pub struct Match<'p> {
    pub span: Span,
    pub bindings: Bindings<'p>,
    /// The pattern that produced this match directly, if any (for seeded re-matching).
    pub pattern: Option<usize>,
}

impl Match<'_> {
    /// A match of `span` with no bindings and no pattern (a native check's, a regex's).
    pub fn at(span: Span) -> Self {
        Match { span, bindings: Vec::new(), pattern: None }
    }
}

/// How far a name is followed through single assignments (`q = f"..."; run(q)`).
pub(super) const MAX_PROPAGATION: u32 = 3;
/// How many later ends of a statement sequence (with bindings already seen) widen the match of
/// one start (see `try_seqs`).
const MAX_WIDENINGS: u32 = 8;
/// Recursion bound for matching one pattern against one node.
pub(super) const MAX_MATCH_DEPTH: u32 = 200;

#[derive(Clone, Copy)]
enum Node<'a> {
    Expr(&'a Expr),
    Stmt(&'a Stmt),
}

type Results<'p> = Vec<Vec<Match<'p>>>;

/// Matches the compiled patterns against one file's tree, in one walk (see the module docs).
pub struct Matcher<'a, 'p> {
    pub src: &'a str,
    pub sem: &'a SemanticModel<'a>,
    pub patterns: &'p [Pattern],
    pub(super) index: &'p PatternIndex,
    /// Only patterns with `active[id]` are tried.
    pub(super) active: Vec<bool>,
    pub results: Results<'p>,
    /// The pattern being matched (for its metavariable constraints).
    pub(super) current: std::cell::Cell<usize>,
    /// Reused bindings buffer of the walk: a match copies it out, a failed attempt allocates nothing.
    pub(super) scratch: std::cell::Cell<Bindings<'p>>,
    /// Work units (unification steps) each pattern has spent in this file, by pattern id.
    spent: Vec<std::cell::Cell<u64>>,
    /// What one pattern may spend in this file (see [`work_budget`]).
    limit: u64,
    /// The `...` states known to fail in this file (see `memo.rs`).
    pub(super) memo: std::cell::RefCell<super::memo::Memo<'p>>,
    /// Which patterns wait for their `pattern-inside` to match (see `gates.rs`).
    gates: Gates,
    /// What each `metavariable-regex` said of short bound texts (see `regex_accepts`).
    regex_memo: std::cell::RefCell<rustc_hash::FxHashMap<(usize, &'a str), bool>>,
    /// The choice points of the run under way (see `choices.rs`).
    pub(super) choices: std::cell::RefCell<super::choices::Choices>,
}

/// Work units a pattern may spend on one file: a fixed allowance plus an amount per byte.
/// Ordinary patterns spend a few units per node they are tried at; a pattern whose `...`s
/// backtrack polynomially (`f(..., $A, ..., $B, ..., $C, ..., 0)` on a 200-argument call)
/// runs out instead of running for minutes, and the rules that use it say so.
pub fn work_budget(src_len: usize) -> u64 {
    const BASE: u64 = 2_000_000;
    const PER_BYTE: u64 = 64;
    BASE + PER_BYTE * src_len as u64
}

/// The matcher's walk: every active pattern offered at the nodes it can match, in one pass
/// of the shared visitor, with the scope of each block and any native checks riding along.
struct Walk<'m, 'a, 'p, 'n> {
    m: &'m Matcher<'a, 'p>,
    act: &'m Active,
    out: Results<'p>,
    native: Option<&'n mut dyn NodeObserver>,
    /// The scope of the code being walked, innermost last.
    scopes: Vec<ScopeId>,
    /// Level of the statement whose expressions are being walked (native checks see an
    /// expression's depth below its statement).
    stmt_depth: u32,
    /// The gates open at the node being walked (see `gates.rs`), and for each node entered,
    /// how many were open before it.
    open_gates: Vec<usize>,
    gate_marks: Vec<usize>,
}

impl<'a, 'p> Walk<'_, 'a, 'p, '_> {
    fn scope(&self) -> ScopeId {
        self.scopes.last().copied().unwrap_or(ScopeId::MODULE)
    }

    /// After the tries at a node: opens the gates that matched there and retries the gated
    /// patterns skipped there (`retry` tries one).
    fn open_gates(&mut self, retry: impl Fn(&Matcher<'a, 'p>, usize, &mut Results<'p>)) {
        if !self.m.gates.any {
            return;
        }
        self.gate_marks.push(self.open_gates.len());
        for id in self.m.gates.open_here(&mut self.open_gates) {
            if self.m.gates.is_open(self.m.index, id) {
                retry(self.m, id, &mut self.out);
            }
        }
    }

    /// Closes the gates opened at the node the walk leaves.
    fn close_gates(&mut self) {
        if let Some(from) = self.gate_marks.pop() {
            self.m.gates.close(&mut self.open_gates, from);
        }
    }
}

impl<'a> Visitor<'a> for Walk<'_, 'a, '_, '_> {
    fn body(&mut self, body: &'a [Stmt], _depth: u32) {
        let scope = self.scope();
        self.m.try_seqs(body, scope, self.act, &mut self.out);
    }

    fn enter_stmt(&mut self, s: &'a Stmt, depth: u32) -> Descend {
        if let Some(n) = self.native.as_deref_mut() {
            n.stmt(s);
        }
        let scope = self.scope();
        self.m.try_stmts(s, scope, self.act, &mut self.out);
        self.open_gates(|m, id, out| m.try_stmt(id, s, scope, out));
        self.stmt_depth = depth;
        Descend::Yes
    }

    fn exprs_of(&mut self, _s: &'a Stmt) -> Descend {
        if self.act.exprs { Descend::Yes } else { Descend::No }
    }

    fn enter_expr(&mut self, e: &'a Expr, depth: u32) -> Descend {
        if let Some(n) = self.native.as_deref_mut() {
            n.expr(e, depth.saturating_sub(self.stmt_depth + 1));
        }
        let scope = self.scope();
        self.m.try_exprs(e, scope, self.act, &mut self.out);
        self.open_gates(|m, id, out| m.try_expr(id, e, scope, out));
        Descend::Yes
    }

    fn leave_expr(&mut self, _e: &'a Expr) {
        self.close_gates();
    }

    /// A definition's blocks are its own scope (its decorators and defaults are not).
    fn blocks_of(&mut self, s: &'a Stmt) -> Descend {
        let scope = match &s.kind {
            StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => self.m.sem.body_scope(s.span.start).unwrap_or(self.scope()),
            _ => self.scope(),
        };
        self.scopes.push(scope);
        Descend::Yes
    }

    fn leave_stmt(&mut self, _s: &'a Stmt) {
        self.scopes.pop();
        self.close_gates();
    }
}

impl<'a, 'p> Matcher<'a, 'p> {
    /// A matcher over `src` for the patterns marked in `active`; `run` fills `results`.
    pub fn new(
        src: &'a str,
        sem: &'a SemanticModel<'a>,
        patterns: &'p [Pattern],
        index: &'p PatternIndex,
        active: Vec<bool>,
    ) -> Self {
        Matcher {
            src,
            sem,
            patterns,
            index,
            results: std::iter::repeat_with(Vec::new).take(patterns.len()).collect(),
            current: std::cell::Cell::new(usize::MAX),
            scratch: std::cell::Cell::new(Vec::new()),
            spent: std::iter::repeat_with(|| std::cell::Cell::new(0)).take(patterns.len()).collect(),
            limit: work_budget(src.len()),
            memo: Default::default(),
            gates: Gates::new(index, &active),
            regex_memo: Default::default(),
            choices: Default::default(),
            active,
        }
    }

    /// Charges one work unit to the pattern being matched; false once its budget is spent
    /// (the attempt then fails, and [`Matcher::exhausted`] names the pattern).
    #[inline]
    pub(super) fn charge(&self) -> bool {
        match self.spent.get(self.current.get()) {
            Some(c) => {
                let n = c.get() + 1;
                c.set(n);
                n <= self.limit
            }
            None => true,
        }
    }

    /// Has the pattern being matched spent its budget?
    pub(super) fn current_over_budget(&self) -> bool {
        self.over_budget(self.current.get())
    }

    /// Has pattern `id` spent its budget?
    fn over_budget(&self, id: usize) -> bool {
        self.spent.get(id).is_some_and(|c| c.get() > self.limit)
    }

    /// The patterns that ran out of work budget in this file: their matches are incomplete.
    pub fn exhausted(&self) -> Vec<usize> {
        (0..self.spent.len()).filter(|&id| self.over_budget(id)).collect()
    }

    /// Work units spent in this file, all patterns together.
    pub fn work(&self) -> u64 {
        self.spent.iter().map(std::cell::Cell::get).sum()
    }

    /// Runs every active pattern over the module.
    pub fn run(&mut self, module: &'a Module) {
        self.run_with(module, None);
    }

    /// Runs every active pattern over the module, and shows every statement and expression to
    /// `native` on the way (the walk is the same as the native check's own).
    pub fn run_with(&mut self, module: &'a Module, mut native: Option<&mut dyn NodeObserver>) {
        let mut act = Active::new(self.index, &self.active);
        if native.is_some() {
            act.exprs = true;
        } else if act.is_empty() {
            return;
        }
        let out = std::mem::take(&mut self.results);
        let mut walk = Walk { m: self, act: &act, out, native: native.take(), scopes: vec![ScopeId::MODULE], stmt_depth: 0, open_gates: Vec::new(), gate_marks: Vec::new() };
        walk_body(&mut walk, &module.body, 0);
        self.results = walk.out;
    }

    /// Statement-sequence patterns at each position of a block.
    fn try_seqs(&self, body: &'a [Stmt], scope: ScopeId, act: &Active, out: &mut Results<'p>) {
        if !act.seq.is_empty() {
            for i in 0..body.len() {
                for &id in &act.seq {
                    if self.over_budget(id) || self.gates.closed(self.index, id) {
                        continue;
                    }
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
                    let start = body[i].span.start;
                    // One match per distinct binding of the sequence from here, spanning to its
                    // last end: a later end with bindings of a text already seen widens that
                    // match instead of adding one (each start would otherwise pair with every
                    // later match of the last statement, which grows with the square of the
                    // block). For `pattern-inside`, the union of Semgrep's ranges [start, end_k]
                    // is that one range, so what lies inside any of them lies inside it. Each
                    // later end costs a replay of the sequence, so a start widens at most
                    // MAX_WIDENINGS times: the work per start stays bounded.
                    let mut seen: Vec<(Vec<(&'p str, &'a str)>, usize)> = Vec::new();
                    let mut widened = 0;
                    self.each_match(
                        &Vec::new(),
                        &mut b,
                        |b| self.m_stmts(pats, &body[i..], b, scope, false, start, 0),
                        |b, end| {
                            // Bindings compare as code text, as the evaluation reads them.
                            let key: Vec<(&'p str, &'a str)> = b.iter().map(|(n, s)| (*n, self.text(*s))).collect();
                            let end = end.max(body[i].span.end);
                            if let Some((_, k)) = seen.iter().find(|(sk, _)| *sk == key) {
                                if let Some(m) = out[id].get_mut(*k) {
                                    m.span.end = m.span.end.max(end);
                                }
                                widened += 1;
                                return widened < MAX_WIDENINGS;
                            }
                            seen.push((key, out[id].len()));
                            out[id].push(Match { span: Span::new(start, end), bindings: b.clone(), pattern: Some(id) });
                            true
                        },
                    );
                    self.scratch.set(b);
                }
            }
        }
    }

    /// Statement patterns at `s`.
    fn try_stmts(&self, s: &'a Stmt, scope: ScopeId, act: &Active, out: &mut Results<'p>) {
        for &id in &act.stmt[stmt_tag(&s.kind) as usize] {
            if self.gates.admits(self.index, id) {
                self.try_stmt(id, s, scope, out);
            }
        }
    }

    /// Tries statement pattern `id` at `s`.
    fn try_stmt(&self, id: usize, s: &'a Stmt, scope: ScopeId, out: &mut Results<'p>) {
        if self.over_budget(id) {
            return;
        }
        let Some(p) = self.patterns[id].module.body.first() else { return };
        if !stmt_may_match(p, s) {
            return;
        }
        self.current.set(id);
        let mut b = self.scratch.take();
        let mut any = false;
        self.each_match(&Vec::new(), &mut b, |b| self.m_stmt(p, s, b, scope, 0).then_some(()), |b, ()| {
            out[id].push(Match { span: s.span, bindings: b.clone(), pattern: Some(id) });
            any = true;
            true
        });
        if any {
            self.gates.matched(self.index, id);
        }
        self.scratch.set(b);
    }

    /// Tries expression pattern `id` at `e`.
    fn try_expr(&self, id: usize, e: &'a Expr, scope: ScopeId, out: &mut Results<'p>) {
        if !self.active[id] || self.over_budget(id) || !self.gates.admits(self.index, id) {
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
        if shape.names_only && !may_be_name_or_literal(e) || shape.first.as_ref().is_some_and(|f| !may_start(f, self.text(e.span))) {
            return;
        }
        if shape.lone.as_ref().is_some_and(|re| !self.regex_accepts(re, self.text(e.span))) {
            return;
        }
        if let (ExprKind::Attribute { attr, .. }, Some(re)) = (&e.kind, &shape.attr_regex) {
            if !self.regex_accepts(re, self.text(attr.span)) {
                return;
            }
        }
        if let (ExprKind::Call { func, .. }, Some(re)) = (&e.kind, &shape.callee_regex) {
            if !self.regex_accepts(re, self.text(func.span)) {
                return;
            }
        }
        self.current.set(id);
        let mut b = self.scratch.take();
        let mut any = false;
        self.each_match(&Vec::new(), &mut b, |b| self.m_expr(p, e, b, scope, 0).then_some(()), |b, ()| {
            out[id].push(Match { span: e.span, bindings: b.clone(), pattern: Some(id) });
            any = true;
            true
        });
        if any {
            self.gates.matched(self.index, id);
        }
        self.scratch.set(b);
    }

    /// Expression patterns at `e`: those indexed by its kind, by the base of a call, by an
    /// attribute name, by a called or used name (as written or through its import).
    fn try_exprs(&self, e: &'a Expr, scope: ScopeId, act: &Active, out: &mut Results<'p>) {
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

    /// The code text at `span` (empty when out of range).
    pub(super) fn text(&self, span: Span) -> &'a str {
        self.src.get(span.start as usize..span.end as usize).unwrap_or("")
    }

    /// Two bound code fragments are equal when their text is, ignoring whitespace. Both spans
    /// are offsets into `src`: code bound by metavariables, never a pattern's own nodes.
    pub fn same_code(src: &str, a: Span, b: Span) -> bool {
        let ta = src.get(a.start as usize..a.end as usize).unwrap_or("");
        let tb = src.get(b.start as usize..b.end as usize).unwrap_or("");
        ta.chars().filter(|c| !c.is_whitespace()).eq(tb.chars().filter(|c| !c.is_whitespace()))
    }

    /// Binds metavariable `name` to the code at `span`: the same code as an earlier binding
    /// of the name, and accepted by the name's `metavariable-regex` if it has one. `$_` binds
    /// nothing.
    pub(super) fn bind(&self, name: &'p str, span: Span, b: &mut Bindings<'p>) -> bool {
        if name == "_" || name.starts_with('_') && name.len() == 1 {
            return true;
        }
        if let Some((_, prev)) = b.iter().find(|(n, _)| *n == name) {
            return Self::same_code(self.src, *prev, span);
        }
        if let Some(p) = self.patterns.get(self.current.get()) {
            for (mv, re) in &p.constraints {
                if mv == name && !self.regex_accepts(re, self.text(span)) {
                    return false;
                }
            }
        }
        b.push((name, span));
        true
    }

    /// Does `re` accept the bound code `text`? Short texts (names, mostly, which recur) are
    /// judged once per file and regex.
    fn regex_accepts(&self, re: &MvRegex, text: &'a str) -> bool {
        const MEMO_MAX_LEN: usize = 64;
        if text.len() > MEMO_MAX_LEN {
            return re.matches(text);
        }
        let key = (re.key(), text);
        if let Some(&v) = self.regex_memo.borrow().get(&key) {
            return v;
        }
        let v = re.matches(text);
        self.regex_memo.borrow_mut().insert(key, v);
        v
    }

    /// One matching attempt: when it fails, the bindings it added are dropped again.
    pub(super) fn attempt(b: &mut Bindings<'p>, f: impl FnOnce(&mut Bindings<'p>) -> bool) -> bool {
        let save = b.len();
        let ok = f(b);
        if !ok {
            b.truncate(save);
        }
        ok
    }

    /// An identifier: a metavariable binds the code's, any other name must be equal.
    pub(super) fn m_ident(&self, p: &'p str, c: &Ident, b: &mut Bindings<'p>) -> bool {
        match mv_name(p) {
            Some(mv) => self.bind(mv, c.span, b),
            None => p == c.name,
        }
    }

    /// The code text bound at `span`.
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
        self.find_nodes(&module.body, ScopeId::MODULE, span, 0, &mut |node, scope| {
            if found.is_some() {
                return;
            }
            let mut b = Vec::new();
            self.each_match(
                seed,
                &mut b,
                |b| {
                    let ok = match (node, pat.kind) {
                        (Node::Expr(e), PatternKind::Expr) => pat.expr().is_some_and(|p| self.m_expr(p, e, b, scope, 0)),
                        (Node::Stmt(s), PatternKind::Stmt) => pat.module.body.first().is_some_and(|p| self.m_stmt(p, s, b, scope, 0)),
                        _ => false,
                    };
                    ok.then_some(())
                },
                |b, ()| {
                    found = Some(b.clone());
                    false
                },
            );
        });
        found
    }

    /// The range of the value of the name at exactly `span`, when that name is bound once to a
    /// constant as seen from where it is used (see `SemanticModel::constant_value`).
    pub fn constant_value_at(&self, module: &'a Module, span: Span) -> Option<Span> {
        let mut found = None;
        self.find_nodes(&module.body, ScopeId::MODULE, span, 0, &mut |node, scope| {
            if let (None, Node::Expr(Expr { kind: ExprKind::Name(n), .. })) = (found, node) {
                found = self.sem.constant_value(scope, n, span.start).map(|v| v.span);
            }
        });
        found
    }

    /// Calls `f` with each expression at exactly `span` and its scope.
    pub(super) fn find_expr_at(&self, module: &'a Module, span: Span, f: &mut dyn FnMut(&'a Expr, ScopeId)) {
        self.find_nodes(&module.body, ScopeId::MODULE, span, 0, &mut |node, scope| {
            if let Node::Expr(e) = node {
                f(e, scope);
            }
        });
    }

    /// A targeted descent, not a walk: only the nodes whose range holds `span`, found by
    /// binary search in each block (it runs once per candidate), bounded like every walk.
    fn find_nodes(&self, body: &'a [Stmt], scope: ScopeId, span: Span, depth: u32, f: &mut dyn FnMut(Node<'a>, ScopeId)) {
        if depth > MAX_DEPTH {
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
        if depth > MAX_DEPTH || !e.span.contains(span) {
            return;
        }
        if e.span == span {
            f(Node::Expr(e), scope);
        }
        e.for_each_child(&mut |c| Self::find_exprs(c, scope, span, depth + 1, f));
    }
}
