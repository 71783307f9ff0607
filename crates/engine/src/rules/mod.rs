//! Rules as data: the YAML reader, the rule file schema and its compilation into rules, pattern
//! compilation and what a regex says about the text it matches.

pub mod comparison;
mod compile;
mod error;
mod family;
mod meta;
mod metadata;
pub mod mv_analysis;
pub mod pattern;
pub mod pcre;
pub mod regex_facts;
mod ruleset;
mod share;
pub mod semgrep_syntax;
pub mod schema;
pub mod transform;
pub mod yaml;

pub use error::RuleError;
pub use family::{is_opt_in, Family, FAMILIES};
pub use meta::*;
pub use ruleset::*;
