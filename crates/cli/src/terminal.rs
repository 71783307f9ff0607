//! Output for people at a terminal: colour (`--color`, `NO_COLOR`), rule docs rendered from
//! Markdown (`pyward explain`), and the per-rule counts of `--statistics`. Plain ANSI escapes:
//! no dependency for a handful of styles.

use std::collections::BTreeMap;

use clap::ValueEnum;
use pyward_engine::report::{escape_control, Report};
use pyward_engine::Severity;

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (to anything but an empty string).
    Auto,
    /// Always (even when `NO_COLOR` is set: the command line wins).
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour output that goes to a terminal (`is_tty`) or not.
    pub fn enabled(self, is_tty: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// A text style: an SGR escape, or nothing when colour is off.
#[derive(Clone, Copy)]
pub struct Paint {
    on: bool,
}

const RESET: &str = "\x1b[0m";

impl Paint {
    pub fn new(on: bool) -> Paint {
        Paint { on }
    }

    fn wrap(self, sgr: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{sgr}m{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    fn severity(self, sev: Severity, s: &str) -> String {
        let sgr = match sev {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
        self.wrap(sgr, s)
    }
}

/// The text report with its severities, errors and summary coloured. The report's text has
/// every control character of names and code escaped, so the only escapes are these.
pub fn color_text(text: &str, paint: Paint) -> String {
    if !paint.on {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        out.push_str(&color_line(body, paint));
        out.push_str(end);
    }
    out
}

fn color_line(line: &str, paint: Paint) -> String {
    if line.starts_with(' ') {
        return line.to_string();
    }
    // The first severity word after `path:line:col`; a message may hold others.
    let first = Severity::ALL.into_iter().filter_map(|sev| line.find(&format!(": {} ", sev.upper())).map(|at| (at, sev))).min_by_key(|(at, _)| *at);
    if let Some((at, sev)) = first {
        let (head, rest) = line.split_at(at + 2);
        let (w, tail) = rest.split_at(sev.upper().len());
        return format!("{head}{}{tail}", paint.severity(sev, w));
    }
    if let Some(at) = line.find(": ERROR ") {
        let (head, tail) = line.split_at(at + 2);
        return format!("{head}{}{}", paint.wrap("1;31", "ERROR"), &tail["ERROR".len()..]);
    }
    if line.starts_with("Found ") || line.starts_with("NO_") || line.starts_with("INCOMPLETE_") {
        return paint.bold(line);
    }
    line.to_string()
}

/// Markdown rendered for a terminal: headings bold and underlined, code blocks indented by four
/// spaces without their fences, bullets as `•`, links as `text <url>`, `**` and `__` dropped.
pub fn render_markdown(md: &str, paint: Paint) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for raw in md.lines() {
        let line = escape_control(raw);
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            } else {
                out.push_str(&format!("    {}\n", paint.wrap("2", &line)));
            }
            continue;
        }
        if let Some(f) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(f);
            continue;
        }
        out.push_str(&render_line(&line, paint));
        out.push('\n');
    }
    out
}

fn render_line(line: &str, paint: Paint) -> String {
    let trimmed = line.trim_start();
    let hashes = trimmed.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
        let title = inline(trimmed[hashes..].trim(), paint);
        let width = trimmed[hashes..].trim().chars().count().max(1);
        let rule = if hashes == 1 { "=" } else { "-" }.repeat(width);
        return format!("{}\n{rule}", paint.bold(&title));
    }
    let indent = &line[..line.len() - trimmed.len()];
    for bullet in ["- ", "* ", "+ "] {
        if let Some(item) = trimmed.strip_prefix(bullet) {
            return format!("{indent}  • {}", inline(item, paint));
        }
    }
    format!("{indent}{}", inline(trimmed, paint))
}

/// Inline Markdown: `[text](url)` as `text <url>`, emphasis markers dropped, code spans kept.
fn inline(s: &str, paint: Paint) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some((text, url, after)) = link_at(&rest[open..]) else {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        out.push_str(&format!("{text} <{}>", paint.wrap("4", url)));
        rest = after;
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "")
}

/// `[text](url)` at the start of `s`: the text, the url and what follows.
fn link_at(s: &str) -> Option<(&str, &str, &str)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    let after = &s[close + 2..];
    let end = after.find(')')?;
    (!text.contains('[')).then(|| (text, &after[..end], &after[end + 1..]))
}

/// `--statistics`: findings per rule, most first (then by id), with severity and title.
pub fn statistics_text(report: &Report, paint: Paint) -> String {
    let rows = statistics(report);
    let mut out = String::new();
    for (id, (count, sev, title)) in &rows {
        let label = format!("{:<8}", sev.upper());
        out.push_str(&format!("{count:>6}  {:<40} {}  {}\n", escape_control(id), paint.severity(*sev, &label), escape_control(title)));
    }
    let total: usize = rows.iter().map(|(_, (n, _, _))| n).sum();
    out.push_str(&paint.bold(&format!("{total} finding(s), {} rule(s)", rows.len())));
    out.push('\n');
    out
}

/// `--statistics --format json`: `[{"rule_id", "count", "severity", "title"}]`, most first.
pub fn statistics_json(report: &Report) -> String {
    let rows: Vec<serde_json::Value> = statistics(report)
        .into_iter()
        .map(|(id, (count, sev, title))| serde_json::json!({"rule_id": id, "count": count, "severity": sev.as_str(), "title": title}))
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n"
}

/// Per rule: the number of findings, severity and title, most findings first then by id.
fn statistics(report: &Report) -> Vec<(String, (usize, Severity, String))> {
    let mut by_rule: BTreeMap<&str, (usize, Severity, &str)> = BTreeMap::new();
    for f in &report.findings {
        by_rule.entry(&f.rule_id).or_insert((0, f.severity, &f.title)).0 += 1;
    }
    let mut rows: Vec<(String, (usize, Severity, String))> =
        by_rule.into_iter().map(|(id, (n, sev, title))| (id.to_string(), (n, sev, title.to_string()))).collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_for_a_terminal() {
        let md = "## What it does\nCalls [eval](https://x.y/e) with **input**.\n- one\n  * two\n```python\neval(x)\n```\n";
        let text = render_markdown(md, Paint::new(false));
        assert_eq!(text, "What it does\n------------\nCalls eval <https://x.y/e> with input.\n  • one\n    • two\n    eval(x)\n");
        let coloured = render_markdown(md, Paint::new(true));
        assert!(coloured.contains("\x1b[1mWhat it does\x1b[0m"), "{coloured:?}");
    }

    #[test]
    fn colour_marks_severities_and_only_with_colour_on() {
        let text = "a.py:1:1: HIGH r  m\nFound 1 issue(s)\n";
        assert_eq!(color_text(text, Paint::new(false)), text);
        assert_eq!(color_text(text, Paint::new(true)), "a.py:1:1: \x1b[31mHIGH\x1b[0m r  m\n\x1b[1mFound 1 issue(s)\x1b[0m\n");
    }

    #[test]
    fn never_and_always_ignore_the_terminal() {
        assert!(!ColorChoice::Never.enabled(true));
        assert!(ColorChoice::Always.enabled(false));
        assert!(!ColorChoice::Auto.enabled(false));
    }
}
