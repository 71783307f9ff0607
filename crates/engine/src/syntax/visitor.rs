//! Walking pyward's syntax tree.

use super::ast::{Expr, Stmt};

/// Sees every statement and expression of a walk that someone else drives (a native check
/// riding on the matcher's walk, so that it costs no walk of its own).
pub trait NodeObserver {
    /// A statement, before its expressions and blocks.
    fn stmt(&mut self, s: &Stmt);
    /// An expression `depth` levels below its statement, before its children.
    fn expr(&mut self, e: &Expr, depth: u32);
}
