//! The last stage: findings, suppressions and reports.

pub mod report;
pub mod suppress;
