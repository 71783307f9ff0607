//! Unification of expression patterns with code: metavariables bind, `...` skips, dotted
//! names resolve through imports and names through their single constant value.

use super::matcher::{Bindings, Matcher, MAX_MATCH_DEPTH, MAX_PROPAGATION};
use super::memo::State;
use super::shape::{is_ellipsis, is_plain_dotted, plain_dotted};
use crate::rules::pattern::mv_name;
use crate::rules::semgrep_syntax::StrPattern;
use crate::semantic::ScopeId;
use crate::syntax::ast::ExprKind as K2;
use crate::syntax::ast::*;

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

/// Is `e` a value Semgrep's constant propagation knows: a literal, or literals combined with
/// `+` or a sign?
fn is_literal(e: &Expr) -> bool {
    let mut stack = vec![e];
    let mut seen = 0;
    while let Some(e) = stack.pop() {
        seen += 1;
        if seen > 64 {
            return false;
        }
        match &e.kind {
            ExprKind::Str(_) | ExprKind::Bytes | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::NoneLit => {}
            ExprKind::FString(parts) if parts.iter().all(|p| matches!(p, FStringPart::Literal(..))) => {}
            ExprKind::BinOp { left, op: BinOp::Add, right } => {
                stack.push(left);
                stack.push(right);
            }
            ExprKind::UnaryOp { operand, .. } => stack.push(operand),
            _ => return false,
        }
    }
    true
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

impl<'a, 'p> Matcher<'a, 'p> {
    /// Does expression pattern `p` match code `c`? Bindings are added to `b` (on failure `b`
    /// may hold partial bindings: callers truncate to what they saved). A code name bound once
    /// to a constant is also matched through its value.
    pub fn m_expr(&self, p: &'p Expr, c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, depth: u32) -> bool {
        if depth > MAX_MATCH_DEPTH || !self.charge() {
            return false;
        }
        match &p.kind {
            ExprKind::Name(n) if mv_name(n).is_some() => {
                return self.bind(mv_name(n).unwrap_or("_"), c.span, b);
            }
            ExprKind::Ellipsis => return true,
            ExprKind::Call { func, args, .. } => {
                if let Some(inner) = crate::rules::semgrep_syntax::deep_inner(p) {
                    return self.m_deep(inner, c, b, scope, depth);
                }
                if matches!(&func.kind, ExprKind::Name(n) if n == super::semgrep_ext::TYPED_MV) {
                    return self.m_typed(args, c, b, scope);
                }
            }
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
                let literal_only = self.patterns.get(self.current.get()).is_some_and(|p| p.literal_values);
                if let Some(v) = self.sem.constant_value(scope, n, c.span.start).filter(|v| !literal_only || is_literal(v)) {
                    if self.m_expr(p, v, b, scope, depth + 8) {
                        return true;
                    }
                    b.truncate(save);
                }
            }
        }
        false
    }

    /// An assignment target: a name there is being bound, not read, so unlike
    /// [`Matcher::m_expr`] it is not followed to its value (`$D[$K] = $V` must not match
    /// `pw = form["password"]` through the value `pw` is given).
    pub(super) fn m_target(&self, p: &'p Expr, c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, depth: u32) -> bool {
        let follows = matches!(c.kind, ExprKind::Name(_)) && !matches!(&p.kind, ExprKind::Ellipsis | ExprKind::Name(_));
        if !follows {
            return self.m_expr(p, c, b, scope, depth);
        }
        if depth > MAX_MATCH_DEPTH || !self.charge() {
            return false;
        }
        self.m_expr_direct(p, c, b, scope, depth)
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

    /// An optional part (slice bounds, `yield` value): a pattern `...` also matches none.
    fn m_opt(&self, p: &'p Option<Box<Expr>>, c: &'a Option<Box<Expr>>, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        match (p, c) {
            (None, None) => true,
            (Some(p), Some(c)) => self.m_expr(p, c, b, scope, d + 1),
            (Some(p), None) => is_ellipsis(p),
            (None, Some(_)) => false,
        }
    }

    /// `m_expr` without the metavariable, `...` and constant-following cases: node by node.
    pub(super) fn m_expr_direct(&self, p: &'p Expr, c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        use ExprKind as K;
        if let K::Attribute { value: pv, attr: pa } = &p.kind {
            if pa.name == crate::rules::pattern::CHAIN_ELLIPSIS {
                return self.m_chain(pv, c, b, scope, d);
            }
        }
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
            (K::Str(ps), K::Str(cs)) => self.m_str(ps, c, cs, b),
            // `"..."` is any string, an f-string without placeholders too.
            (K::Str(ps), K::FString(cp)) => {
                matches!(StrPattern::of(ps), StrPattern::Any)
                    && cp.iter().all(|x| matches!(x, FStringPart::Literal(..)))
            }
            // `{...}` (a set of `...` to the parser) is any dict.
            (K::Set(pe), K::Dict(_)) => matches!(pe.as_slice(), [only] if is_ellipsis(only)),

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
                    Self::attempt(b, |b| {
                        (match (pk, ck) {
                            (Some(pk), Some(ck)) => self.m_expr(pk, ck, b, scope, d + 1),
                            (None, None) => true,
                            _ => false,
                        }) && self.m_expr(pv, cv, b, scope, d + 1)
                    })
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

    /// `P. ... .` against code `c`: `P` matches `c` or what `c` is an attribute, call or
    /// subscript of, some levels down (each level is a choice, see `choices.rs`).
    fn m_chain(&self, p: &'p Expr, c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        let ch = self.choice_enter();
        let mut cur = c;
        let mut level = 0u32;
        while level <= MAX_MATCH_DEPTH {
            if level >= ch.from {
                self.choice_take(ch, level, super::choices::UNKNOWN);
                let save = b.len();
                if self.m_expr(p, cur, b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
            }
            cur = match &cur.kind {
                ExprKind::Attribute { value, .. } | ExprKind::Subscript { value, .. } => value,
                ExprKind::Call { func, .. } => func,
                _ => break,
            };
            level += 1;
        }
        self.choice_fail(ch);
        false
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
    pub(super) fn m_expr_seq(&self, ps: &'p [Expr], cs: &'a [Expr], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if d > MAX_MATCH_DEPTH || !self.charge() {
            return false;
        }
        let Some((first, rest)) = ps.split_first() else { return cs.is_empty() };
        let save = b.len();
        if is_ellipsis(first) {
            if rest.is_empty() {
                return true;
            }
            let ch = self.choice_enter();
            let key = ch.worth_remembering().then(|| self.memo_key(State { ps, from: first.span.start, cs, scope, depth: d, full: true }, b));
            if key.as_ref().is_some_and(|k| self.known_failure(k)) {
                return false;
            }
            let n = u32::try_from(cs.len() + 1).unwrap_or(u32::MAX);
            for k in ch.from as usize..=cs.len() {
                self.choice_take(ch, k as u32, n);
                if self.m_expr_seq(rest, &cs[k..], b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
            }
            self.choice_fail(ch);
            if let Some(key) = key {
                self.remember_failure(key);
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
            // Each code keyword the pattern's may stand for is a choice.
            let ch = self.choice_enter();
            let n = u32::try_from(ck.len()).unwrap_or(u32::MAX);
            let found = ck.iter().enumerate().skip(ch.from as usize).any(|(i, c)| {
                self.choice_take(ch, i as u32, n);
                Self::attempt(b, |b| {
                    (match (&k.arg, &c.arg) {
                        (Some(pn), Some(cn)) => self.m_ident(&pn.name, cn, b),
                        (None, None) => true,
                        _ => false,
                    }) && self.m_expr(&k.value, &c.value, b, scope, d + 1)
                })
            });
            if !found {
                self.choice_fail(ch);
                return false;
            }
        }
        true
    }

    /// f-strings: `f"..."` matches any that interpolates something, others part by part.
    fn m_fstring(&self, pp: &'p [FStringPart], cp: &'a [FStringPart], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        // `f"..."` matches any f-string that interpolates something.
        if let [FStringPart::Literal(l, _)] = pp {
            if l == "..." {
                return cp.iter().any(|x| matches!(x, FStringPart::Expr(_)));
            }
        }
        self.m_fparts(pp, cp, b, scope, d)
    }

    /// f-string parts, where a literal containing `...` matches any run of parts.
    fn m_fparts(&self, pp: &'p [FStringPart], cp: &'a [FStringPart], b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        if d > MAX_MATCH_DEPTH {
            return false;
        }
        let Some((first, rest)) = pp.split_first() else { return cp.is_empty() };
        let save = b.len();
        match first {
            FStringPart::Literal(l, _) if l.contains("...") => {
                // A literal with `...` matches any run of parts whose text starts/ends as written.
                for k in 0..=cp.len() {
                    if self.m_fparts(rest, &cp[k..], b, scope, d + 1) {
                        return true;
                    }
                    b.truncate(save);
                }
                false
            }
            FStringPart::Literal(l, _) => match (cp.split_first(), StrPattern::of(l)) {
                (Some((FStringPart::Literal(cl, _), crest)), _) if cl == l => self.m_fparts(rest, crest, b, scope, d + 1),
                // `f"$X{...}"`: a literal part that is one metavariable binds the code's literal
                // run (its text, without quotes), as `"$X"` does for a whole string.
                (Some((FStringPart::Literal(_, at), crest)), StrPattern::Metavar(mv)) => {
                    if self.bind(mv, *at, b) && self.m_fparts(rest, crest, b, scope, d + 1) {
                        return true;
                    }
                    b.truncate(save);
                    false
                }
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
}
