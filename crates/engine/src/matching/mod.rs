//! Stage 4, matching: the pattern index, the walk that offers each node to the patterns that
//! can match it, unification of pattern and code, and the evaluation of rule formulas.

pub mod eval;
pub mod matcher;

#[cfg(test)]
mod tests;
