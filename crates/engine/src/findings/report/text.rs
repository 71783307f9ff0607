//! The text report: one line a finding, then the errors and a summary line. File names and
//! code are printed with their control characters escaped (see [`escape_control`]).

use std::fmt::Write as _;

use super::{dependencies_line, escape_control as esc, Report, INCOMPLETE_ANALYSIS, NO_ACTIONABLE_INPUT, NO_SECURITY_ISSUES};

impl Report {
    /// `app.py:12:5: HIGH sql-injection-format  message`, then the summary.
    pub fn to_text(&self) -> String {
        let mut out = self.findings_text();
        self.write_summary(&mut out);
        out
    }

    /// The findings and errors of [`Report::to_text`] without the summary (`--quiet`).
    pub fn findings_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let path = esc(&f.path);
            let _ = writeln!(
                out,
                "{}:{}:{}: {} {}  {}{}",
                path,
                f.line,
                f.column,
                f.severity.upper(),
                esc(&f.rule_id),
                esc(&f.message),
                likelihood_impact(f)
            );
            // A taint finding: the path the data took, one step a line.
            for (i, t) in f.trace.iter().enumerate() {
                // A step in another file (a flow into an imported function) names it.
                let at = t.file.as_deref().map_or_else(|| path.to_string(), |p| esc(p).to_string());
                let _ = writeln!(out, "    {:>2}. {}:{}:{}: {}", i + 1, at, t.line, t.column, esc(&t.label));
            }
        }
        for e in &self.errors {
            match (e.line, e.column) {
                (Some(l), Some(c)) => {
                    let _ = writeln!(out, "{}:{}:{}: ERROR {}", esc(&e.path), l, c, esc(&e.message));
                }
                _ => {
                    let _ = writeln!(out, "{}: ERROR {}", esc(&e.path), esc(&e.message));
                }
            }
        }
        out
    }

    /// The summary line(s) closing the text report.
    fn write_summary(&self, out: &mut String) {
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
                let _ = writeln!(out, "  - {}", dependencies_line(self.dependencies_checked));
            }
            INCOMPLETE_ANALYSIS => {
                let _ = writeln!(
                    out,
                    "{INCOMPLETE_ANALYSIS}: no issue found in what could be analysed, but {} error(s) in {} file(s), {} line(s).",
                    self.errors.len(),
                    s.files,
                    s.lines
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "Found {} issue(s) in {} file(s): {} critical, {} high, {} medium, {} low{}{}.",
                    self.findings.len(),
                    s.files,
                    s.critical,
                    s.high,
                    s.medium,
                    s.low,
                    if s.suppressed > 0 { format!(" ({} suppressed)", s.suppressed) } else { String::new() },
                    if self.errors.is_empty() { String::new() } else { format!("; {} error(s)", self.errors.len()) }
                );
            }
        }
        if self.status != NO_ACTIONABLE_INPUT {
            let _ = writeln!(out, "Overall risk: {} (security score {}/100).", self.risk.rating.label(), self.risk.score);
        }
    }
}

/// ` [likelihood high, impact medium]` after a finding's message, for what the rule says.
fn likelihood_impact(f: &crate::Finding) -> String {
    let parts: Vec<String> = [("likelihood", &f.likelihood), ("impact", &f.impact)]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {}", esc(v).to_lowercase())))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" [{}]", parts.join(", "))
    }
}
