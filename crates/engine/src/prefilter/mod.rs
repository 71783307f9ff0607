//! Stage 3, the prefilter: which rules and patterns can match in a file at all, decided from
//! the words and literals the file holds before any pattern is tried. The matcher's per-node
//! quick rejects (call shapes, node kinds) are in `matching/`; this stage answers per file.

mod literals;
pub mod needs;
mod plan;

pub use literals::*;
pub use needs::pattern_needs;
pub use plan::{Marks, Prefilter, Prefiltered};
pub(crate) use plan::walk_formula;
