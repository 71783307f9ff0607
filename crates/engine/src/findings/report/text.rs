//! The text report: one line a finding, then the errors and a summary line.

use std::fmt::Write as _;

use super::{Report, NO_ACTIONABLE_INPUT, NO_SECURITY_ISSUES};

impl Report {
    /// `app.py:12:5: HIGH sql-injection-format  message`
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let _ = writeln!(out, "{}:{}:{}: {} {}  {}", f.path, f.line, f.column, f.severity.upper(), f.rule_id, f.message);
            // A taint finding: the path the data took, one step a line.
            for (i, t) in f.trace.iter().enumerate() {
                let _ = writeln!(out, "    {:>2}. {}:{}:{}: {}", i + 1, f.path, t.line, t.column, t.label);
            }
        }
        for e in &self.errors {
            match (e.line, e.column) {
                (Some(l), Some(c)) => {
                    let _ = writeln!(out, "{}:{}:{}: ERROR {}", e.path, l, c, e.message);
                }
                _ => {
                    let _ = writeln!(out, "{}: ERROR {}", e.path, e.message);
                }
            }
        }
        let s = &self.summary;
        match self.status {
            NO_ACTIONABLE_INPUT => {
                let _ = writeln!(out, "{NO_ACTIONABLE_INPUT}: no Python code to analyse ({} file(s)).", s.files);
            }
            NO_SECURITY_ISSUES => {
                let _ = writeln!(out, "{NO_SECURITY_ISSUES}: {} file(s), {} line(s) checked. Categories checked:", s.files, s.lines);
                for c in &self.categories_checked {
                    let _ = writeln!(out, "  - {c}");
                }
            }
            _ => {
                let _ = writeln!(
                    out,
                    "Found {} issue(s) in {} file(s): {} critical, {} high, {} medium, {} low{}.",
                    self.findings.len(),
                    s.files,
                    s.critical,
                    s.high,
                    s.medium,
                    s.low,
                    if s.suppressed > 0 { format!(" ({} suppressed)", s.suppressed) } else { String::new() }
                );
            }
        }
        out
    }
}
