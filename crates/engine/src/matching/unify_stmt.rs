//! Unification of statement patterns with code: single statements, nested bodies, parameter
//! lists, imports, and statement sequences with `...`.

use super::choices::UNKNOWN;
use super::matcher::{Bindings, Matcher, MAX_MATCH_DEPTH};
use super::memo::State;
use super::shape::is_ellipsis_stmt;
use crate::rules::pattern::{mv_name, PARAM_ELLIPSIS};
use crate::semantic::ScopeId;
use crate::syntax::ast::*;

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

/// Is the pattern's plain dotted module name `p` the code's module `c` or a package of it
/// (`a` of `a.b`)? Metavariables are matched elsewhere.
fn is_module_prefix(p: &str, c: &str) -> bool {
    mv_name(p).is_none() && !p.split('.').any(|s| mv_name(s).is_some()) && (c == p || c.strip_prefix(p).is_some_and(|r| r.starts_with('.')))
}

/// A parameter's star: `*args` and `**kwargs` only match their own kind; plain and
/// keyword-only parameters match each other.
fn star_of(k: ParamKind) -> u8 {
    match k {
        ParamKind::Positional | ParamKind::KwOnly => 0,
        ParamKind::VarArgs => 1,
        ParamKind::KwArgs => 2,
    }
}

impl<'a, 'p> Matcher<'a, 'p> {
    /// Parameter lists, where a `...` parameter matches any run of parameters.
    pub(super) fn m_params(&self, pp: &'p [Param], cp: &'a [Param], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if d > MAX_MATCH_DEPTH {
            return false;
        }
        let Some((first, rest)) = pp.split_first() else { return cp.is_empty() };
        let save = b.len();
        if first.name.name == PARAM_ELLIPSIS {
            if rest.is_empty() {
                return true;
            }
            let ch = self.choice_enter();
            let n = u32::try_from(cp.len() + 1).unwrap_or(u32::MAX);
            for k in ch.from as usize..=cp.len() {
                self.choice_take(ch, k as u32, n);
                if self.m_params(rest, &cp[k..], b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
            }
            self.choice_fail(ch);
            return false;
        }
        let Some((c, crest)) = cp.split_first() else { return false };
        let ok = star_of(first.kind) == star_of(c.kind)
            && self.m_ident(&first.name.name, &c.name, b)
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

    /// A nested body. Without `...` the whole block must match; with one, as in Semgrep's deep
    /// statement matching, a `...` also reaches into the nested blocks of the statements it
    /// skips (`if`, `try`, `with`, ...) and the statements after the pattern's last one are
    /// left over (`...` then `S` finds `S` where it is not last).
    fn m_body(&self, ps: &'p [Stmt], cs: &'a [Stmt], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if let [only] = ps {
            if is_ellipsis_stmt(only) {
                return true;
            }
        }
        let deep = ps.iter().any(is_ellipsis_stmt);
        self.m_stmts(ps, cs, b, scope, !deep, 0, d + 1).is_some()
    }

    /// Does statement pattern `p` match code statement `c`? (Bindings as in `m_expr`.)
    pub fn m_stmt(&self, p: &'p Stmt, c: &'a Stmt, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        use StmtKind as S;
        if d > MAX_MATCH_DEPTH || !self.charge() {
            return false;
        }
        let inner_scope = |s: &Stmt| self.sem.scope_of_def.get(&s.span.start).copied().unwrap_or(scope);
        match (&p.kind, &c.kind) {
            (S::Expr(pe), S::Expr(ce)) => self.m_expr(pe, ce, b, scope, d + 1),
            (S::Assign { targets: pt, value: pv }, S::Assign { targets: ct, value: cv }) => {
                pt.len() == 1
                    && ct.iter().any(|t| Self::attempt(b, |b| self.m_target(&pt[0], t, b, scope, d + 1)))
                    && self.m_expr(pv, cv, b, scope, d + 1)
            }
            (S::Assign { targets: pt, value: pv }, S::AnnAssign { target: ct, value: Some(cv), .. }) => {
                pt.len() == 1 && self.m_target(&pt[0], ct, b, scope, d + 1) && self.m_expr(pv, cv, b, scope, d + 1)
            }
            (S::AnnAssign { target: pt, annotation: pa, value: pv }, S::AnnAssign { target: ct, annotation: ca, value: cv }) => {
                self.m_target(pt, ct, b, scope, d + 1)
                    && self.m_expr(pa, ca, b, scope, d + 1)
                    && match (pv, cv) {
                        (None, _) => true,
                        (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
                        _ => false,
                    }
            }
            (S::AugAssign { target: pt, op: po, value: pv }, S::AugAssign { target: ct, op: co, value: cv }) => {
                po == co && self.m_target(pt, ct, b, scope, d + 1) && self.m_expr(pv, cv, b, scope, d + 1)
            }
            (S::FunctionDef(pf), S::FunctionDef(cf)) => {
                // `async def` only matches `async def`; `def` matches both.
                (!pf.is_async || cf.is_async)
                    && self.m_ident(&pf.name.name, &cf.name, b)
                    && pf.decorators.iter().all(|pd| {
                        cf.decorators.iter().any(|cd| Self::attempt(b, |b| self.m_expr(pd, cd, b, scope, d + 1)))
                    })
                    && self.m_params(&pf.params, &cf.params, b, scope, d + 1)
                    && self.m_body(&pf.body, &cf.body, b, inner_scope(c), d)
            }
            (S::ClassDef(pc), S::ClassDef(cc)) => {
                self.m_ident(&pc.name.name, &cc.name, b)
                    // A decorator the pattern writes is required, as for functions.
                    && pc.decorators.iter().all(|pd| {
                        cc.decorators.iter().any(|cd| Self::attempt(b, |b| self.m_expr(pd, cd, b, scope, d + 1)))
                    })
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
            (S::For { target: pt, iter: pi, body: pb, is_async: pa, .. }, S::For { target: ct, iter: ci, body: cb, is_async: ca, .. }) => {
                (!pa || *ca)
                    && self.m_expr(pt, ct, b, scope, d + 1)
                    && self.m_expr(pi, ci, b, scope, d + 1)
                    && self.m_body(pb, cb, b, scope, d)
            }
            (S::While { test: pt, body: pb, .. }, S::While { test: ct, body: cb, .. }) => {
                self.m_expr(pt, ct, b, scope, d + 1) && self.m_body(pb, cb, b, scope, d)
            }
            (S::With { items: pi, body: pb, is_async: pa }, S::With { items: ci, body: cb, is_async: ca }) => {
                (!pa || *ca)
                    && pi.iter().all(|p| {
                        ci.iter().any(|c| {
                            Self::attempt(b, |b| {
                                self.m_expr(&p.context, &c.context, b, scope, d + 1)
                                    && match (&p.target, &c.target) {
                                        (None, _) => true,
                                        (Some(pt), Some(ct)) => self.m_expr(pt, ct, b, scope, d + 1),
                                        _ => false,
                                    }
                            })
                        })
                    })
                    && self.m_body(pb, cb, b, scope, d)
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
            // `import a.b.c` also matches `from a.b import c`, and `import a` matches
            // `from a.x import y` (as in Semgrep).
            (S::Import(pn), S::ImportFrom { module: Some(cm), level: 0, names: cn }) => {
                let module = from_module_span(self.src, c.span, cm);
                pn.iter().all(|p| {
                    if p.asname.is_none() && is_module_prefix(&p.name, cm) {
                        return true;
                    }
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
            // `import a` also matches `import a.b` (Semgrep: the import of a submodule imports
            // its package).
            if asname.is_none() && is_module_prefix(name, &c.name) && c.name.len() > name.len() {
                return true;
            }
            Self::attempt(b, |b| {
                self.m_dotted(name, &c.name, alias_name_span(self.src, c), b)
                    && match (asname, &c.asname) {
                        (None, _) => true,
                        (Some(pa), Some(ca)) => self.m_ident(&pa.name, ca, b),
                        (Some(_), None) => false,
                    }
            })
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

    /// Does `p` match `e` or any expression inside it?
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
    pub(super) fn m_stmts(
        &self,
        ps: &'p [Stmt],
        cs: &'a [Stmt],
        b: &mut Bindings<'p>,
        scope: ScopeId,
        full: bool,
        last_end: u32,
        d: u32,
    ) -> Option<u32> {
        if d > MAX_MATCH_DEPTH || !self.charge() {
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
            // Where the match ends (`last_end`) only matters when it succeeds.
            let ch = self.choice_enter();
            let key = ch.worth_remembering().then(|| self.memo_key(State { ps, from: first.span.start, cs, scope, depth: d, full }, b));
            if key.as_ref().is_some_and(|k| self.known_failure(k)) {
                return None;
            }
            // The alternatives, in order: the rest from each statement on, each followed (in
            // a partial match) by the statement's nested blocks.
            let mut alt = 0u32;
            for k in 0..cs.len() {
                if alt >= ch.from {
                    self.choice_take(ch, alt, UNKNOWN);
                    if let Some(e) = self.m_stmts(rest, &cs[k..], b, scope, full, last_end, d + 1) {
                        return Some(e);
                    }
                    b.truncate(save);
                }
                alt += 1;
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
                        if alt >= ch.from {
                            self.choice_take(ch, alt, UNKNOWN);
                            if let Some(e) = self.m_stmts(ps, blk, b, nested_scope, false, last_end, d + 1) {
                                return Some(e);
                            }
                            b.truncate(save);
                        }
                        alt += 1;
                    }
                }
            }
            self.choice_fail(ch);
            if let Some(key) = key {
                self.remember_failure(key);
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
}
