//! The words a compiled pattern needs the file to contain (see `literals.rs` for why skipping a
//! pattern whose words are missing is sound).

use crate::syntax::ast::*;
use crate::rules::pattern::{mv_name, Pattern, PatternKind, CHAIN_ELLIPSIS, PARAM_ELLIPSIS};
use crate::rules::semgrep_syntax::{StrPattern, DEEP};
use crate::syntax::visitor::{walk_body, walk_expr, Descend, Visitor};

use super::literals::{Literals, Needs};

/// Collects the words a pattern spells, following the matcher's rules (`matcher.rs`): only
/// pattern parts that every match must match are visited.
struct Collector<'l> {
    lits: &'l mut Literals,
    out: Needs,
}

impl Collector<'_> {
    fn word(&mut self, w: &str) {
        if w.is_empty() || !w.is_ascii() || mv_name(w).is_some() || w == PARAM_ELLIPSIS || w == DEEP || w == CHAIN_ELLIPSIS || w.contains('.') {
            return;
        }
        let id = self.lits.intern(w, true);
        if !self.out.contains(&id) {
            self.out.push(id);
        }
    }

    fn literal(&mut self, v: &str) {
        let id = self.lits.intern(v, true);
        if !self.out.contains(&id) {
            self.out.push(id);
        }
    }
}

impl<'a> Visitor<'a> for Collector<'_> {
    fn enter_expr(&mut self, e: &'a Expr, _depth: u32) -> Descend {
        match &e.kind {
            ExprKind::Name(n) => self.word(n),
            ExprKind::Attribute { attr, .. } => self.word(&attr.name),
            // A typed metavariable `($X : T)`: the type's name need not be written in the file.
            ExprKind::Call { func, .. } if matches!(&func.kind, ExprKind::Name(n) if n == crate::matching::TYPED_MV) => return Descend::No,
            ExprKind::Call { keywords, .. } => {
                for a in keywords.iter().filter_map(|k| k.arg.as_ref()) {
                    self.word(&a.name);
                }
            }
            // A string literal only matches an equal code literal (or a name bound to one): the
            // parser adapter reports the value of every string literal of the file like a word.
            ExprKind::Str(v) => {
                if let StrPattern::Literal(l) = StrPattern::of(v) {
                    self.literal(l);
                }
            }
            // Compared as text: no words needed.
            ExprKind::Lambda { .. } | ExprKind::Comp { .. } | ExprKind::DictComp { .. } => return Descend::No,
            _ => {}
        }
        Descend::Yes
    }

    /// Statements whose every part every match must match are walked whole; for the others
    /// only the parts the matcher requires (`else` blocks of loops and `try`, a definition's
    /// annotations, a class's decorators and keywords are optional in a pattern).
    fn enter_stmt(&mut self, s: &'a Stmt, depth: u32) -> Descend {
        let d = depth + 1;
        match &s.kind {
            StmtKind::FunctionDef(f) => {
                self.word(&f.name.name);
                f.decorators.iter().for_each(|x| walk_expr(self, x, d));
                for p in &f.params {
                    self.word(&p.name.name);
                    if let Some(x) = &p.default {
                        walk_expr(self, x, d);
                    }
                }
                walk_body(self, &f.body, d);
            }
            StmtKind::ClassDef(c) => {
                self.word(&c.name.name);
                c.bases.iter().for_each(|x| walk_expr(self, x, d));
                walk_body(self, &c.body, d);
            }
            StmtKind::For { target, iter, body, .. } => {
                walk_expr(self, target, d);
                walk_expr(self, iter, d);
                walk_body(self, body, d);
            }
            StmtKind::While { test, body, .. } => {
                walk_expr(self, test, d);
                walk_body(self, body, d);
            }
            StmtKind::Try { body, handlers, .. } => {
                walk_body(self, body, d);
                for h in handlers {
                    if let Some(t) = &h.type_ {
                        walk_expr(self, t, d);
                    }
                    if let Some(n) = &h.name {
                        self.word(&n.name);
                    }
                    walk_body(self, &h.body, d);
                }
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => names.iter().for_each(|n| self.word(&n.name)),
            // The rest: every expression and block is required.
            StmtKind::Expr(_)
            | StmtKind::Assign { .. }
            | StmtKind::AugAssign { .. }
            | StmtKind::AnnAssign { .. }
            | StmtKind::Return(_)
            | StmtKind::Delete(_)
            | StmtKind::If { .. }
            | StmtKind::With { .. }
            | StmtKind::Raise { .. }
            | StmtKind::Assert { .. } => return Descend::Yes,
            // Compared structurally without words, matched only by kind, or not matched at all.
            StmtKind::Import(_)
            | StmtKind::ImportFrom { .. }
            | StmtKind::Match { .. }
            | StmtKind::Pass
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Other => {}
        }
        Descend::No
    }
}

/// The words a compiled pattern needs the file to contain.
pub fn pattern_needs(p: &Pattern, lits: &mut Literals) -> Needs {
    let mut c = Collector { lits, out: Vec::new() };
    match p.kind {
        PatternKind::Expr | PatternKind::Stmt | PatternKind::Seq => walk_body(&mut c, &p.module.body, 0),
    }
    c.out
}

