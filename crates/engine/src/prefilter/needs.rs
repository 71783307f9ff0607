//! The words a compiled pattern needs the file to contain (see `literals.rs` for why skipping a
//! pattern whose words are missing is sound).

use crate::syntax::ast::*;
use crate::rules::pattern::{mv_name, Pattern, PatternKind, PARAM_ELLIPSIS};
use super::literals::{Literals, Needs};

/// Collects the words a pattern spells, following the matcher's rules (`matcher.rs`): only
/// pattern parts that every match must match are visited.
struct Collector<'l> {
    lits: &'l mut Literals,
    out: Needs,
}

impl Collector<'_> {
    fn word(&mut self, w: &str) {
        if w.is_empty() || !w.is_ascii() || mv_name(w).is_some() || w == PARAM_ELLIPSIS || w.contains('.') {
            return;
        }
        let id = self.lits.intern(w, true);
        if !self.out.contains(&id) {
            self.out.push(id);
        }
    }

    fn expr(&mut self, e: &Expr, depth: u32) {
        if depth > 100 {
            return;
        }
        let d = depth + 1;
        match &e.kind {
            ExprKind::Name(n) => self.word(n),
            ExprKind::Attribute { value, attr } => {
                self.word(&attr.name);
                self.expr(value, d);
            }
            ExprKind::Call { func, args, keywords } => {
                self.expr(func, d);
                args.iter().for_each(|a| self.expr(a, d));
                for k in keywords {
                    if let Some(a) = &k.arg {
                        self.word(&a.name);
                    }
                    self.expr(&k.value, d);
                }
            }
            ExprKind::FString(parts) => {
                for p in parts {
                    if let FStringPart::Expr(x) = p {
                        self.expr(x, d);
                    }
                }
            }
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left, d);
                self.expr(right, d);
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand, d),
            ExprKind::BoolOp { values, .. } => values.iter().for_each(|v| self.expr(v, d)),
            ExprKind::Compare { left, comparators, .. } => {
                self.expr(left, d);
                comparators.iter().for_each(|c| self.expr(c, d));
            }
            ExprKind::List(es) | ExprKind::Tuple(es) | ExprKind::Set(es) => es.iter().for_each(|x| self.expr(x, d)),
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(k, d);
                    }
                    self.expr(v, d);
                }
            }
            ExprKind::Subscript { value, slice } => {
                self.expr(value, d);
                self.expr(slice, d);
            }
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step].into_iter().flatten() {
                    self.expr(x, d);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test, d);
                self.expr(body, d);
                self.expr(orelse, d);
            }
            ExprKind::Await(x) | ExprKind::Starred(x) | ExprKind::YieldFrom(x) => self.expr(x, d),
            ExprKind::Yield(x) => {
                if let Some(x) = x {
                    self.expr(x, d);
                }
            }
            ExprKind::Named { target, value } => {
                self.expr(target, d);
                self.expr(value, d);
            }
            // A string literal only matches an equal code literal (or a name bound to one): the
            // parser adapter reports the value of every string literal of the file like a word.
            ExprKind::Str(v) if v != "..." => {
                let id = self.lits.intern(v, true);
                if !self.out.contains(&id) {
                    self.out.push(id);
                }
            }
            // Compared as text, or literals: no words needed.
            ExprKind::Lambda { .. }
            | ExprKind::Comp { .. }
            | ExprKind::DictComp { .. }
            | ExprKind::Str(_)
            | ExprKind::Bytes
            | ExprKind::Number(_)
            | ExprKind::Bool(_)
            | ExprKind::NoneLit
            | ExprKind::Ellipsis
            | ExprKind::Error => {}
        }
    }

    fn opt(&mut self, e: Option<&Expr>, d: u32) {
        if let Some(e) = e {
            self.expr(e, d);
        }
    }

    fn body(&mut self, b: &[Stmt], d: u32) {
        for s in b {
            self.stmt(s, d);
        }
    }

    fn stmt(&mut self, s: &Stmt, depth: u32) {
        if depth > 100 {
            return;
        }
        let d = depth + 1;
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e, d),
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| self.expr(t, d));
                self.expr(value, d);
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(target, d);
                self.expr(value, d);
            }
            StmtKind::AnnAssign { target, annotation, value } => {
                // `x: T = v` patterns are only matched against annotated assignments, but plain
                // `x = v` patterns also match them: the annotation is not needed then.
                self.expr(target, d);
                self.expr(annotation, d);
                self.opt(value.as_deref(), d);
            }
            StmtKind::FunctionDef(f) => {
                self.word(&f.name.name);
                f.decorators.iter().for_each(|x| self.expr(x, d));
                for p in &f.params {
                    self.word(&p.name.name);
                    self.opt(p.default.as_ref(), d);
                }
                self.body(&f.body, d);
            }
            StmtKind::ClassDef(c) => {
                self.word(&c.name.name);
                c.bases.iter().for_each(|x| self.expr(x, d));
                self.body(&c.body, d);
            }
            StmtKind::Return(v) => self.opt(v.as_ref(), d),
            StmtKind::Delete(ts) => ts.iter().for_each(|t| self.expr(t, d)),
            StmtKind::If { branches } => {
                for b in branches {
                    self.opt(b.test.as_ref(), d);
                    self.body(&b.body, d);
                }
            }
            StmtKind::For { target, iter, body, .. } => {
                self.expr(target, d);
                self.expr(iter, d);
                self.body(body, d);
            }
            StmtKind::While { test, body, .. } => {
                self.expr(test, d);
                self.body(body, d);
            }
            StmtKind::With { items, body, .. } => {
                for i in items {
                    self.expr(&i.context, d);
                    self.opt(i.target.as_ref(), d);
                }
                self.body(body, d);
            }
            StmtKind::Raise { exc, cause } => {
                self.opt(exc.as_deref(), d);
                self.opt(cause.as_deref(), d);
            }
            StmtKind::Try { body, handlers, .. } => {
                self.body(body, d);
                for h in handlers {
                    self.opt(h.type_.as_ref(), d);
                    if let Some(n) = &h.name {
                        self.word(&n.name);
                    }
                    self.body(&h.body, d);
                }
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test, d);
                self.opt(msg.as_deref(), d);
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                for n in names {
                    self.word(&n.name);
                }
            }
            // Compared as text (imports), matched only by kind, or not matched at all.
            StmtKind::Import(_)
            | StmtKind::ImportFrom { .. }
            | StmtKind::Match { .. }
            | StmtKind::Pass
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Other => {}
        }
    }
}

/// The words a compiled pattern needs the file to contain.
pub fn pattern_needs(p: &Pattern, lits: &mut Literals) -> Needs {
    let mut c = Collector { lits, out: Vec::new() };
    match p.kind {
        PatternKind::Expr | PatternKind::Stmt | PatternKind::Seq => c.body(&p.module.body, 0),
    }
    c.out
}

