//! The review deliverables (`pyward scan --format markdown --output-dir DIR`): a report
//! `security-analysis-YYYY-MM-DD.md` (scope, counts, overall risk, summary, the OWASP matrix,
//! the dependency table, prioritized action items linking to the finding files, next steps)
//! and one file per finding, `security-analysis-YYYY-MM-DD/finding-NNN-<rule-id>.md`, with the
//! user's code and its fix. Everything that comes from the scanned files is escaped as in the
//! Markdown report ([`super::markdown`]).

use std::fmt::Write as _;

use super::markdown::{code_block_lang, code_span, errors_section, md_inline, owasp_table, rating_lines};
use super::{cwe_url, dependencies_line, OwaspStatus, Report, INCOMPLETE_ANALYSIS, NO_ACTIONABLE_INPUT, NO_SECURITY_ISSUES};
use crate::findings::snippet::ELLIPSIS;
use crate::rules::{Confidence, RuleMeta, Severity};
use crate::Finding;

/// Files of the scope listed by name at most; beyond, a count.
const MAX_LISTED_FILES: usize = 100;

/// One file of the review: its path relative to the output directory, and its Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewFile {
    pub path: String,
    pub text: String,
}

/// The review: the report and one file per finding (in the order of the action items).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub report: ReviewFile,
    pub findings: Vec<ReviewFile>,
}

impl Review {
    /// Every file, the report first.
    pub fn files(&self) -> impl Iterator<Item = &ReviewFile> {
        std::iter::once(&self.report).chain(&self.findings)
    }
}

/// `YYYY-MM-DD` (UTC) of a time in seconds since the Unix epoch (the civil calendar from days,
/// after Howard Hinnant's `civil_from_days`).
pub fn utc_date(epoch_secs: i64) -> String {
    let z = epoch_secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A rule id as part of a file name: ASCII letters, digits, `-`, `_` and `.` kept, anything
/// else `-`, at most 60 characters.
fn file_slug(id: &str) -> String {
    let slug: String =
        id.chars().take(60).map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect();
    if slug.is_empty() || slug.starts_with('.') {
        format!("rule{slug}")
    } else {
        slug
    }
}

/// The findings most urgent first: severity, then confidence, then file and line.
fn priority_order(findings: &[Finding]) -> Vec<&Finding> {
    let mut order: Vec<&Finding> = findings.iter().collect();
    order.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.confidence.cmp(&a.confidence))
            .then_with(|| a.path.cmp(&b.path))
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
    });
    order
}

/// The code block language of a finding's file: `python`, or `text` for a dependency file.
fn lang(f: &Finding) -> &'static str {
    if f.dependency.is_some() {
        "text"
    } else {
        "python"
    }
}

impl Report {
    /// The review for `date` (`YYYY-MM-DD`, see [`utc_date`]): `scope` is the inputs as the
    /// user named them, `rules` the rules that ran.
    pub fn to_review(&self, rules: &[&RuleMeta], date: &str, scope: &[String]) -> Review {
        let dir = format!("security-analysis-{date}");
        let order = priority_order(&self.findings);
        let findings: Vec<ReviewFile> = order
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let meta = rules.iter().find(|r| r.id == f.rule_id).copied();
                ReviewFile {
                    path: format!("{dir}/finding-{:03}-{}.md", i + 1, file_slug(&f.rule_id)),
                    text: finding_file(i + 1, f, meta, &format!("../{dir}.md")),
                }
            })
            .collect();
        let mut text = String::new();
        let _ = writeln!(text, "# Security analysis — {date}\n");
        self.review_scope(&mut text, rules, scope);
        self.review_risk(&mut text);
        self.review_summary(&mut text, &order);
        let _ = writeln!(text, "## OWASP Top 10 (2021) compliance\n\n{}", owasp_table(&self.owasp_top10));
        self.review_dependencies(&mut text);
        review_actions(&mut text, &order, &findings);
        self.review_next_steps(&mut text);
        self.review_errors(&mut text);
        Review { report: ReviewFile { path: format!("{dir}.md"), text }, findings }
    }

    fn review_scope(&self, out: &mut String, rules: &[&RuleMeta], scope: &[String]) {
        let s = &self.summary;
        let _ = writeln!(out, "## Scope\n");
        let inputs: Vec<String> = scope.iter().map(|p| code_span(p, 1)).collect();
        let _ = writeln!(out, "- **Inputs:** {}", if inputs.is_empty() { "—".to_string() } else { inputs.join(", ") });
        let _ = writeln!(out, "- **Files analysed:** {} ({} lines)", s.files, s.lines);
        let _ = writeln!(out, "- **Checks:** {} rules in {} categories; {}", rules.len(), self.categories_checked.len(), dependencies_line(self.dependencies_checked));
        let _ = writeln!(out, "- **Tool:** {} {}\n", self.tool.name, self.tool.version);
        if !self.paths.is_empty() {
            let _ = writeln!(out, "<details><summary>Files analysed</summary>\n");
            for p in self.paths.iter().take(MAX_LISTED_FILES) {
                let _ = writeln!(out, "- {}", code_span(p, 1));
            }
            if self.paths.len() > MAX_LISTED_FILES {
                let _ = writeln!(out, "- … and {} more", self.paths.len() - MAX_LISTED_FILES);
            }
            let _ = writeln!(out, "\n</details>\n");
        }
    }

    fn review_risk(&self, out: &mut String) {
        let s = &self.summary;
        let _ = writeln!(out, "## Overall risk\n\n{}\n", self.risk_line());
        let _ = writeln!(out, "| Severity | Findings |\n|---|---|");
        let _ = writeln!(out, "| 🔴 Critical | {} |\n| 🟠 High | {} |\n| 🟡 Medium | {} |\n| 🟢 Low | {} |\n", s.critical, s.high, s.medium, s.low);
    }

    fn review_summary(&self, out: &mut String, order: &[&Finding]) {
        let s = &self.summary;
        let _ = writeln!(out, "## Summary\n");
        match self.status {
            NO_ACTIONABLE_INPUT => {
                let _ = writeln!(out, "`{NO_ACTIONABLE_INPUT}`: there was no code to analyse.\n");
            }
            NO_SECURITY_ISSUES | INCOMPLETE_ANALYSIS => {
                let _ = writeln!(out, "`{}`: no security issue found. Checks performed:\n", self.status);
                for c in &self.categories_checked {
                    let _ = writeln!(out, "- {c}");
                }
                let _ = writeln!(out, "- {}\n", dependencies_line(self.dependencies_checked));
            }
            _ => {
                let files: std::collections::BTreeSet<&str> = self.findings.iter().map(|f| f.path.as_str()).collect();
                let _ = writeln!(
                    out,
                    "pyward found **{}** issue(s) in {} of {} file(s): {} critical, {} high, {} medium, {} low.",
                    self.findings.len(),
                    files.len(),
                    s.files,
                    s.critical,
                    s.high,
                    s.medium,
                    s.low
                );
                if let Some(top) = order.first() {
                    let _ = writeln!(out, "The most urgent: {} at {}.", md_inline(&top.title), code_span(&format!("{}:{}", top.path, top.line), 1));
                }
                let hit: Vec<String> = self
                    .owasp_top10
                    .iter()
                    .filter(|r| r.status == OwaspStatus::IssuesFound)
                    .map(|r| format!("{} {}", r.id, r.name))
                    .collect();
                if !hit.is_empty() {
                    let _ = writeln!(out, "OWASP Top 10 categories with issues: {}.", hit.join("; "));
                }
                out.push('\n');
            }
        }
        if s.suppressed > 0 {
            let _ = writeln!(out, "{} finding(s) were suppressed by comments in the code (`# nosec`, `# noqa`, `# pyward: ignore`).\n", s.suppressed);
        }
    }

    fn review_dependencies(&self, out: &mut String) {
        let _ = writeln!(out, "## Dependencies\n");
        let deps: Vec<&Finding> = priority_order(&self.findings).into_iter().filter(|f| f.dependency.is_some()).collect();
        if deps.is_empty() {
            let line = if self.dependencies_checked { "No dependency issue found." } else { dependencies_line(false) };
            let _ = writeln!(out, "{line}\n");
            return;
        }
        let _ = writeln!(out, "| Package | Version | Issue | Severity | Action |\n|---|---|---|---|---|");
        for f in deps {
            let Some(d) = f.dependency.as_deref() else { continue };
            let mut issue = md_inline(&f.title);
            if !d.advisories.is_empty() {
                let _ = write!(issue, " ({})", md_inline(&d.advisories.join(", ")));
            }
            if let Some(target) = &d.imitates {
                let _ = write!(issue, " (imitates {})", code_span(target, 1));
            }
            let version = d.version.as_deref().map_or_else(|| "—".to_string(), |v| code_span(v, 1));
            let _ = writeln!(out, "| {} | {version} | {issue} | {} | {} |", code_span(&d.package, 1), f.severity.label(), md_inline(&d.action));
        }
        out.push('\n');
    }

    fn review_next_steps(&self, out: &mut String) {
        let s = &self.summary;
        let _ = writeln!(out, "## Next steps\n");
        let urgent = s.critical + s.high;
        if urgent > 0 {
            let _ = writeln!(out, "1. Fix the {urgent} critical and high finding(s) first (action items 1–{urgent}): each finding file shows the fix for your code and how to test it.");
        }
        if s.medium + s.low > 0 {
            let _ = writeln!(out, "1. Plan the {} medium and low finding(s); suppress a false positive with `# pyward: ignore[<rule-id>]` and a reason.", s.medium + s.low);
        }
        if self.findings.iter().any(|f| f.dependency.is_some()) {
            let _ = writeln!(out, "1. Upgrade the packages in the dependency table and pin exact versions (or commit a lock file).");
        }
        if !self.dependencies_checked {
            let _ = writeln!(out, "1. Scan the project's `requirements.txt` or `pyproject.toml` too: dependencies were not checked.");
        }
        if !self.errors.is_empty() {
            let _ = writeln!(out, "1. Fix the {} error(s) below and scan again: those files were not fully analysed.", self.errors.len());
        }
        let uncovered: Vec<&str> = self.owasp_top10.iter().filter(|r| r.status == OwaspStatus::NotCovered).map(|r| r.id.as_str()).collect();
        if !uncovered.is_empty() {
            let _ = writeln!(out, "1. Review by hand what static analysis does not cover ({}): design, access rules, logging.", uncovered.join(", "));
        }
        let _ = writeln!(out, "1. Re-run `pyward scan` after the fixes, and run it in CI (`--format sarif` for code scanning) so new issues are caught.\n");
    }

    fn review_errors(&self, out: &mut String) {
        if self.errors.is_empty() {
            return;
        }
        errors_section(out, &self.errors);
        out.push('\n');
    }
}

/// The prioritized action items, each linking to its finding file.
fn review_actions(out: &mut String, order: &[&Finding], files: &[ReviewFile]) {
    let _ = writeln!(out, "## Prioritized action items\n");
    if order.is_empty() {
        let _ = writeln!(out, "None: no finding.\n");
        return;
    }
    for (f, file) in order.iter().zip(files) {
        let what = match f.dependency.as_deref() {
            Some(d) => md_inline(&d.action),
            None => md_inline(&f.message),
        };
        let _ = writeln!(
            out,
            "1. **{}** [{}]({}) at {}: {what}",
            f.severity.upper(),
            md_inline(&f.title),
            file.path,
            code_span(&format!("{}:{}", f.path, f.line), 1),
        );
    }
    out.push('\n');
}

/// One finding's file.
/// One finding's file; `back` links to the report.
fn finding_file(n: usize, f: &Finding, meta: Option<&RuleMeta>, back: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Finding {n:03}: {}\n", md_inline(&f.title));
    let _ = writeln!(out, "- **Rule:** {}", code_span(&f.rule_id, 1));
    rating_lines(&mut out, f);
    let _ = writeln!(out, "\n[← Back to the report]({back})\n");
    let _ = writeln!(out, "## Issue description\n\n{}\n", md_inline(&f.message));
    finding_location(&mut out, f);
    let _ = writeln!(out, "## Current code\n\n{}\n", code_block_lang(&f.snippet, lang(f)));
    finding_solution(&mut out, f, meta);
    let _ = writeln!(out, "## Why this helps\n\n{}\n", why_it_helps(f, meta));
    finding_steps(&mut out, f);
    finding_test(&mut out, f);
    out
}

fn finding_location(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "## Location\n");
    let at = code_span(&format!("{}:{}:{}", f.path, f.line, f.column), 1);
    let _ = match f.end_line > f.line {
        true => writeln!(out, "{at}, lines {}–{}\n", f.line, f.end_line),
        false => writeln!(out, "{at}, line {}\n", f.line),
    };
    if !f.trace.is_empty() {
        let _ = writeln!(out, "How the data gets there:\n");
        for (i, t) in f.trace.iter().enumerate() {
            let file = t.file.as_deref().unwrap_or(&f.path);
            let _ = writeln!(out, "{}. {} {}", i + 1, code_span(&format!("{file}:{}", t.line), 1), code_span(&t.label, 2));
        }
        out.push('\n');
    }
}

/// The finding's lines with its fix applied, when the fixed range starts in the quoted lines
/// as the finding says; the imports the fix needs come first.
fn fixed_code(f: &Finding) -> Option<String> {
    let fix = f.fix.as_ref()?;
    let region = f.region.as_ref()?;
    if f.snippet.starts_with(ELLIPSIS) {
        return None;
    }
    let first = f.snippet.split('\n').next().unwrap_or("");
    let col = (f.column as usize).checked_sub(1)?;
    let start = first.char_indices().map(|(i, _)| i).chain([first.len()]).nth(col)?;
    let end = start.checked_add(region.len())?;
    if f.snippet.get(start..end) != Some(region.as_str()) {
        return None;
    }
    let mut out = String::new();
    for e in &f.fix_edits {
        let _ = writeln!(out, "{}", e.text.trim_end());
    }
    if !f.fix_edits.is_empty() {
        out.push_str("…\n");
    }
    out.push_str(&f.snippet[..start]);
    out.push_str(fix);
    out.push_str(&f.snippet[end..]);
    Some(out)
}

fn finding_solution(out: &mut String, f: &Finding, meta: Option<&RuleMeta>) {
    let _ = writeln!(out, "## Recommended solution\n");
    if let Some(d) = f.dependency.as_deref() {
        let _ = writeln!(out, "{}\n", md_inline(&d.action));
        if let Some(fixed) = &d.fixed {
            let _ = writeln!(out, "{}\n", code_block_lang(&format!("{}>={fixed}", d.package), "text"));
        }
        return;
    }
    if let Some(code) = fixed_code(f) {
        let _ = writeln!(out, "Your code, fixed:\n\n{}\n", code_block_lang(&code, lang(f)));
        return;
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "Replace the flagged code with:\n\n{}\n", code_block_lang(fix, lang(f)));
        return;
    }
    match meta.and_then(|m| m.remediation.as_ref()) {
        Some(rem) => {
            let _ = writeln!(
                out,
                "The rule's example; apply the same change to your code above.\n\nBefore:\n\n{}\n\nAfter:\n\n{}\n",
                code_block_lang(&rem.before, "python"),
                code_block_lang(&rem.after, "python")
            );
        }
        None => {
            let _ = writeln!(out, "See the rule's documentation: {}.\n", code_span(&format!("pyward explain {}", f.rule_id), 1));
        }
    }
}

/// The "Why is this bad?" section of the rule's docs, as plain text; else the finding's message.
fn why_it_helps(f: &Finding, meta: Option<&RuleMeta>) -> String {
    let why = meta.and_then(|m| docs_section(&m.docs, "Why"));
    let weakness = match f.cwe {
        Some(c) => format!("It removes the weakness [CWE-{c}]({}). ", cwe_url(c)),
        None => String::new(),
    };
    match why {
        Some(text) => format!("{weakness}{}", md_inline(&text)),
        None => format!("{weakness}{}", md_inline(&f.message)),
    }
}

/// The text of the docs section whose heading starts with `heading`, lines joined by spaces
/// (at most 1,500 characters).
fn docs_section(docs: &str, heading: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|l| !l.trim_start_matches('#').trim_start().starts_with(heading) || !l.starts_with('#'));
    lines.next()?;
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with('#')).map(str::trim).filter(|l| !l.is_empty()).collect();
    let text: String = body.join(" ").chars().take(1_500).collect();
    (!text.is_empty()).then_some(text)
}

fn finding_steps(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "## Implementation steps\n");
    let _ = writeln!(out, "1. Open {} at line {}.", code_span(&f.path, 1), f.line);
    if f.dependency.is_some() {
        let _ = writeln!(out, "1. Change the requirement as shown above, then reinstall and update the lock file if there is one.");
    } else if f.fix.is_some() {
        let _ = writeln!(out, "1. Replace the flagged code as shown in the fixed code above.");
        for e in &f.fix_edits {
            let _ = writeln!(out, "1. Add {} at the top of the file.", code_span(e.text.trim(), 1));
        }
    } else {
        let _ = writeln!(out, "1. Rewrite the flagged code following the rule's example above.");
    }
    if let Some(source) = f.trace.first() {
        let _ = writeln!(out, "1. Check where the data comes from ({}, line {}): validate it there too.", code_span(&source.label, 2), source.line);
    }
    let _ = writeln!(out, "1. Look for the same pattern elsewhere: {}.\n", code_span(&format!("pyward scan . --select {}", f.rule_id), 1));
}

fn finding_test(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "## How to test the fix\n");
    let _ = writeln!(out, "1. Scan the file again: {} must no longer report this finding.", code_span(&format!("pyward scan {} --select {}", f.path, f.rule_id), 1));
    if f.dependency.is_some() {
        let _ = writeln!(out, "1. Install the upgraded package in a clean environment and run your test suite.\n");
        return;
    }
    if f.confidence >= Confidence::Medium && f.severity >= Severity::High {
        let _ = writeln!(out, "1. Add a test that sends an attacker's input to this code path and checks it is rejected or harmless.");
    }
    let _ = writeln!(out, "1. Run your test suite: the change must keep the code's behaviour for valid input.\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Options};

    fn review(files: &[(&str, &str)]) -> Review {
        let e = Engine::builtin().expect("built-in rules");
        let metas: Vec<&RuleMeta> = e.rules().iter().map(|r| &r.meta).filter(|m| Options::default().rule_enabled(m)).collect();
        let results = files.iter().map(|(p, src)| e.check_source(p, src, &Options::default())).collect();
        Report::new(results, &metas).to_review(&metas, "2026-12-07", &[".".to_string()])
    }

    /// The text outside fenced code blocks and code spans (where Markdown reads no markup).
    fn prose(text: &str) -> String {
        let mut out = String::new();
        let mut fence: Option<String> = None;
        for line in text.lines() {
            let ticks: String = line.chars().take_while(|&c| c == '`').collect();
            match &fence {
                Some(f) if line.trim_end() == f => fence = None,
                Some(_) => {}
                None if ticks.len() >= 3 => fence = Some(ticks),
                None => {
                    out.push_str(&without_spans(line));
                    out.push('\n');
                }
            }
        }
        out
    }

    /// A line without its code spans (a run of n backticks up to the next run of n).
    fn without_spans(line: &str) -> String {
        let runs: Vec<(usize, usize)> = {
            let mut v = Vec::new();
            let b = line.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'`' {
                    let s = i;
                    while i < b.len() && b[i] == b'`' {
                        i += 1;
                    }
                    v.push((s, i));
                } else {
                    i += 1;
                }
            }
            v
        };
        let mut out = String::new();
        let mut at = 0;
        let mut k = 0;
        while k < runs.len() {
            let (s, e) = runs[k];
            match runs[k + 1..].iter().position(|&(s2, e2)| e2 - s2 == e - s) {
                Some(j) => {
                    out.push_str(&line[at..s]);
                    at = runs[k + 1 + j].1;
                    k += j + 2;
                }
                None => k += 1,
            }
        }
        out.push_str(&line[at..]);
        out
    }

    #[test]
    fn dates_are_civil_utc_dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_796_601_599), "2026-12-06");
        assert_eq!(utc_date(1_796_601_600), "2026-12-07");
        assert_eq!(utc_date(-86_400), "1969-12-31");
    }

    #[test]
    fn rule_ids_become_safe_file_names() {
        assert_eq!(file_slug("sql-injection-format"), "sql-injection-format");
        assert_eq!(file_slug("../../etc/x y"), "rule..-..-etc-x-y");
        assert_eq!(file_slug(""), "rule");
        assert_eq!(file_slug(&"a".repeat(100)).len(), 60);
    }

    #[test]
    fn findings_are_numbered_most_urgent_first_and_linked() {
        let r = review(&[("app.py", "import hashlib, os\nh = hashlib.md5(b'x')\nos.system(input())\n")]);
        assert!(r.report.path == "security-analysis-2026-12-07.md");
        assert!(r.findings.len() >= 2, "{:?}", r.findings.iter().map(|f| &f.path).collect::<Vec<_>>());
        for (i, f) in r.findings.iter().enumerate() {
            assert!(f.path.starts_with(&format!("security-analysis-2026-12-07/finding-{:03}-", i + 1)), "{}", f.path);
            assert!(r.report.text.contains(&format!("]({})", f.path)), "no link to {}", f.path);
            assert!(f.text.contains("](../security-analysis-2026-12-07.md)"));
            for section in ["## Issue description", "## Location", "## Current code", "## Recommended solution", "## Why this helps", "## Implementation steps", "## How to test the fix"] {
                assert!(f.text.contains(section), "{section} missing in {}", f.path);
            }
        }
        // The command injection (high or critical) comes before the md5 finding (medium or low).
        let first = &r.findings[0].text;
        assert!(first.contains("os.system(input())"), "{first}");
        for section in ["## Scope", "## Overall risk", "## Summary", "## OWASP Top 10 (2021) compliance", "## Dependencies", "## Prioritized action items", "## Next steps"] {
            assert!(r.report.text.contains(section), "{section} missing");
        }
        assert!(r.report.text.contains("dependencies: not checked (no requirements file found)"));
        assert!(r.report.text.contains("| A03:2021 Injection |"));
    }

    #[test]
    fn a_rule_fix_is_applied_to_the_users_line() {
        let r = review(&[("app.py", "import yaml\n\ndef load(s):\n    return yaml.load(s)  # keep\n")]);
        let f = r.findings.iter().find(|f| f.path.contains("yaml")).expect("a yaml finding");
        assert!(f.text.contains("Your code, fixed:"), "{}", f.text);
        assert!(f.text.contains("    return yaml.safe_load(s)  # keep"), "{}", f.text);
    }

    #[test]
    fn what_the_files_hold_is_escaped() {
        let name = "<img src=x onerror=alert(1)>`](x).py";
        let code = "eval(\"```\\n# heading <script>\" + input())\n";
        let r = review(&[(name, code)]);
        assert!(!r.findings.is_empty());
        for f in r.files() {
            let p = prose(&f.text);
            assert!(!p.contains("<img") && !p.contains("<script>") && !p.contains("](x)"), "raw markup in {}:\n{p}", f.path);
        }
        let f = &r.findings[0].text;
        // The code block's fence is longer than the code's backtick run.
        assert!(f.contains("````python\neval(\"```"), "{f}");
    }
}
