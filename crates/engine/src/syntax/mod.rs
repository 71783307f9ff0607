//! Stage 1, syntax: the parser adapter (the only module that names the parser crates), its
//! depth pre-scan, pyward's own syntax tree, source positions, and the one tree visitor every
//! later stage walks with.

pub mod ast;
pub mod parse;
pub mod prescan;
pub mod source;
pub mod visitor;
