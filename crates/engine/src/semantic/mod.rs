//! Stage 2, the semantic model: scopes, imports, qualified names, definitions and the constant
//! a name holds where it is used.

mod model;

pub use model::*;
