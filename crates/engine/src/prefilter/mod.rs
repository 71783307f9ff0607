//! Stage 3, the prefilter: which patterns and rules can match in a file at all, decided from
//! the words and literals the file holds before any pattern is tried.

mod literals;
pub mod needs;

pub use literals::*;
pub use needs::pattern_needs;
