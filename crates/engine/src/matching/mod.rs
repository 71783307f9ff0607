//! Stage 4, matching: the pattern index, the walk that offers each node to the patterns that
//! can match it, unification of pattern and code, and the evaluation of rule formulas.
//!
//! - `index.rs`: which patterns each node kind is offered to ([`matcher::PatternIndex`]).
//! - `shape.rs`: cheap per-node rejects checked before unification.
//! - `unify_expr.rs`, `unify_stmt.rs`: unification of pattern and code.
//! - `semgrep_ext.rs`: Semgrep's string patterns and deep expressions `<... P ...>`.
//! - `choices.rs`: every match of a pattern at a node, by replaying its choice points.
//! - `memo.rs`: remembered failures, which keep `...` matching polynomial.
//! - `matcher.rs`: the [`matcher::Matcher`], its walk and its results.
//! - `eval.rs`: rule formulas over the matches.
//! - `explain.rs`: the opt-in trace of which operator kept or dropped each candidate.

mod choices;
pub mod eval;
pub mod explain;
mod gates;
mod index;
pub mod matcher;
mod memo;
mod semgrep_ext;
pub use semgrep_ext::TYPED_MV;
mod shape;
mod unify_expr;
mod unify_stmt;

#[cfg(test)]
mod tests;
