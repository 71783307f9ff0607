//! Rules as data: the YAML reader, the rule schema and its validation, pattern compilation and
//! what a regex says about the text it matches.

pub mod pattern;
pub mod regex_facts;
mod ruleset;
pub mod yaml;

pub use ruleset::*;
