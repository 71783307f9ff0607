//! Checks written in Rust, for what patterns cannot say. Each still has a `rules/` entry for
//! its metadata and docs (`metadata.pyward.native: <name>`).

pub mod secret_entropy;
