//! Walking pyward's syntax tree: one visitor, one depth policy.
//!
//! Every stage that walks a tree (the matcher, the prefilter's pattern collector, native
//! checks, semantic collection, the taint helpers, suppressions) goes through [`walk_body`],
//! [`walk_stmt`] and [`walk_expr`], which call a [`Visitor`]'s hooks and count depth the same
//! way: one level per statement and per expression, from the module down.
//!
//! Why [`MAX_DEPTH`] is enough: the parser adapter turns any node deeper than it into an
//! `Other`/`Error` leaf (`parse.rs`), after the pre-scan has refused input that would make the
//! parser itself recurse too deep (`prescan.rs`). So no tree pyward builds is deeper, and a
//! walk that stops there loses nothing; the check here is the second line of defence that keeps
//! every walk bounded even over a tree built some other way. Each level of a walk costs a few
//! hundred bytes of stack at most, well inside WebAssembly's 1 MiB and a native thread's 2 MiB.

use super::ast::{Expr, Stmt};
use super::parse::MAX_TREE_DEPTH;

/// How deep any walk goes (statements and expressions counted alike).
pub const MAX_DEPTH: u32 = MAX_TREE_DEPTH;

/// Whether a walk goes into a node's children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Descend {
    Yes,
    No,
}

/// What a walk shows. Every hook has a default, so a visitor names only the nodes it cares
/// about; `depth` is the node's level (module statements are at 0).
pub trait Visitor<'a> {
    /// A block of statements (the module, a function body, a branch...), before its
    /// statements.
    fn body(&mut self, _body: &'a [Stmt], _depth: u32) {}

    /// A block of statements, after its statements.
    fn leave_body(&mut self, _body: &'a [Stmt]) {}

    /// A statement, before its expressions and blocks. `Descend::No` skips both.
    fn enter_stmt(&mut self, _s: &'a Stmt, _depth: u32) -> Descend {
        Descend::Yes
    }

    /// A statement, after its expressions and blocks.
    fn leave_stmt(&mut self, _s: &'a Stmt) {}

    /// An expression, before its children. `Descend::No` skips them.
    fn enter_expr(&mut self, _e: &'a Expr, _depth: u32) -> Descend {
        Descend::Yes
    }

    /// After an expression's children (only when `enter_expr` descended).
    fn leave_expr(&mut self, _e: &'a Expr) {}

    /// Whether the walk goes into the expressions of statement `s` (after `enter_stmt`).
    fn exprs_of(&mut self, _s: &'a Stmt) -> Descend {
        Descend::Yes
    }

    /// Whether the walk goes into the blocks of statement `s` (after its expressions).
    fn blocks_of(&mut self, _s: &'a Stmt) -> Descend {
        Descend::Yes
    }
}

/// Walks a block of statements at `depth`.
pub fn walk_body<'a, V: Visitor<'a> + ?Sized>(v: &mut V, body: &'a [Stmt], depth: u32) {
    if depth > MAX_DEPTH {
        return;
    }
    v.body(body, depth);
    for s in body {
        walk_stmt(v, s, depth);
    }
    v.leave_body(body);
}

/// Walks a statement at `depth`: the statement, its expressions (one level below it), then
/// its blocks (one level below it).
pub fn walk_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, s: &'a Stmt, depth: u32) {
    if depth > MAX_DEPTH || v.enter_stmt(s, depth) == Descend::No {
        return;
    }
    if v.exprs_of(s) == Descend::Yes {
        s.for_each_expr(|e| walk_expr(v, e, depth + 1));
    }
    if v.blocks_of(s) == Descend::Yes {
        s.for_each_block(|b| walk_body(v, b, depth + 1));
    }
    v.leave_stmt(s);
}

/// Walks an expression at `depth`, then its children one level below.
pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, e: &'a Expr, depth: u32) {
    if depth > MAX_DEPTH || v.enter_expr(e, depth) == Descend::No {
        return;
    }
    e.for_each_child(|c| walk_expr(v, c, depth + 1));
    v.leave_expr(e);
}

/// Sees every statement and expression of a walk that someone else drives (a native check
/// riding on the matcher's walk, so that it costs no walk of its own).
pub trait NodeObserver {
    /// A statement, before its expressions and blocks.
    fn stmt(&mut self, s: &Stmt);
    /// An expression at `depth`, before its children.
    fn expr(&mut self, e: &Expr, depth: u32);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::{ExprKind, StmtKind};
    use crate::syntax::parse::parse_module;

    #[derive(Default)]
    struct Count {
        stmts: usize,
        exprs: usize,
        deepest: u32,
        calls: usize,
    }

    impl<'a> Visitor<'a> for Count {
        fn enter_stmt(&mut self, _s: &'a Stmt, depth: u32) -> Descend {
            self.stmts += 1;
            self.deepest = self.deepest.max(depth);
            Descend::Yes
        }

        fn enter_expr(&mut self, e: &'a Expr, depth: u32) -> Descend {
            self.exprs += 1;
            self.deepest = self.deepest.max(depth);
            if matches!(e.kind, ExprKind::Call { .. }) {
                self.calls += 1;
                // Arguments of calls are not looked at.
                return Descend::No;
            }
            Descend::Yes
        }
    }

    #[test]
    fn visits_every_node_in_order_with_depths() {
        let m = parse_module("x = 1\ndef f(a):\n    if a:\n        return g(h(a))\n").module;
        let mut c = Count::default();
        walk_body(&mut c, &m.body, 0);
        // x = 1; def f; if a; return
        assert_eq!(c.stmts, 4);
        // x, 1 | a | g(h(a)) (its children skipped)
        assert_eq!(c.exprs, 4);
        assert_eq!(c.calls, 1);
        // module 0 -> def 0 -> if 1 -> return 2 -> call 3
        assert_eq!(c.deepest, 3);
    }

    #[test]
    fn blocks_can_be_skipped() {
        struct Top(usize);
        impl<'a> Visitor<'a> for Top {
            fn enter_stmt(&mut self, _s: &'a Stmt, _d: u32) -> Descend {
                self.0 += 1;
                Descend::Yes
            }
            fn blocks_of(&mut self, s: &'a Stmt) -> Descend {
                if matches!(s.kind, StmtKind::FunctionDef(_)) { Descend::No } else { Descend::Yes }
            }
        }
        let m = parse_module("def f():\n    a = 1\n    b = 2\nif x:\n    c = 3\n").module;
        let mut t = Top(0);
        walk_body(&mut t, &m.body, 0);
        assert_eq!(t.0, 3);
    }

    #[test]
    fn the_deepest_tree_the_parser_builds_is_walked_without_overflow() {
        // 150 nested brackets (under the pre-scan's 200) around a chain of 600 additions: as
        // deep as the pre-scan lets an expression nest (brackets plus chain under 1,000).
        let src = format!("x = {}{}{}\n", "(".repeat(150), vec!["1"; 600].join(" + "), ")".repeat(150));
        let parsed = parse_module(&src);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.first());
        let m = parsed.module;
        let mut c = Count::default();
        walk_body(&mut c, &m.body, 0);
        assert!(c.deepest <= MAX_DEPTH);
        assert!(c.exprs >= 1199, "every operand and operation is visited: {}", c.exprs);
        assert!(c.deepest >= 600);
    }
}
