//! Inline suppressions: `# nosec`, `# nosec B602,B607`, `# noqa: S602`, `# pyward: ignore[id]`.

use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::rules::RuleMeta;
use crate::syntax::ast::{Span, Stmt};
use crate::syntax::source::LineIndex;
use crate::syntax::visitor::{walk_body, Descend, Visitor};
use crate::syntax::source::split_lines;

#[derive(Debug, Default, Clone)]
pub struct LineSuppression {
    /// A bare `# nosec`, `# noqa` or `# pyward: ignore`.
    pub all: bool,
    /// Bandit ids, Ruff codes or pyward rule ids named on the line.
    pub codes: Vec<String>,
}

fn re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)\#\s*(?:
                nosec\b(?P<nosec>(?:[\s:]*[A-Z][0-9]{3}\b(?:\s*,)?)*)
              | noqa\b(?:\s*:\s*(?P<noqa>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?
              | pyward\s*:\s*ignore(?:\[(?P<ids>[^\]]*)\])?
            )",
        )
        .expect("static regex")
    })
}

/// What one pass over the text finds for later stages.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks {
    /// `nosec`, `noqa` or `pyward` occur: every suppression names one of them (most files
    /// have none, and then `scan` has nothing to find).
    pub suppression: bool,
    /// `:=` occurs (else the file has no walrus target).
    pub walrus: bool,
}

impl Marks {
    pub fn find(src: &str) -> Marks {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| Regex::new("nosec|noqa|pyward|:=").expect("static regex"));
        let mut m = Marks::default();
        for hit in re.find_iter(src) {
            if hit.as_str() == ":=" {
                m.walrus = true;
            } else {
                m.suppression = true;
            }
            if m.walrus && m.suppression {
                break;
            }
        }
        m
    }
}

/// Suppressions by 0-based line (lines end at `\n`, `\r\n` or a lone `\r`, as in CPython).
pub fn scan(src: &str) -> HashMap<usize, LineSuppression> {
    let mut out: HashMap<usize, LineSuppression> = HashMap::new();
    for (i, line) in split_lines(src).enumerate() {
        if !line.contains('#') {
            continue;
        }
        for cap in re().captures_iter(line) {
            let entry = out.entry(i).or_default();
            let list = cap.name("nosec").or_else(|| cap.name("noqa")).or_else(|| cap.name("ids"));
            let codes: Vec<String> = list
                .map(|m| {
                    m.as_str()
                        .split(|c: char| c == ',' || c == ':' || c.is_whitespace())
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            if codes.is_empty() {
                entry.all = true;
            } else {
                entry.codes.extend(codes);
            }
        }
    }
    out
}

pub fn suppresses(s: &LineSuppression, rule: &RuleMeta) -> bool {
    s.all
        || s.codes.iter().any(|c| {
            c == &rule.id || rule.bandit.iter().any(|b| b == c) || rule.ruff.iter().any(|r| r == c)
        })
}

/// Is a finding of rule `meta` at `span` suppressed? A suppression counts on the first or last
/// line of the range, and on the first or (for a simple statement) last line of the innermost
/// statement holding it.
pub fn is_suppressed(body: &[Stmt], span: Span, lines: &LineIndex<'_>, sup: &HashMap<usize, LineSuppression>, meta: &RuleMeta) -> bool {
    if sup.is_empty() {
        return false;
    }
    let start = lines.line_of(span.start);
    let end = lines.line_of(span.end.saturating_sub(1).max(span.start));
    let mut candidates = vec![start, end];
    if let Some((stmt, compound)) = enclosing_stmt(body, span.start) {
        candidates.push(lines.line_of(stmt.span.start));
        if !compound {
            candidates.push(lines.line_of(stmt.span.end.saturating_sub(1).max(stmt.span.start)));
        }
    }
    candidates.iter().any(|l| sup.get(l).is_some_and(|s| suppresses(s, meta)))
}

/// The innermost statement containing `offset`, and whether it is a compound statement.
fn enclosing_stmt(body: &[Stmt], offset: u32) -> Option<(&Stmt, bool)> {
    struct Innermost<'a> {
        offset: u32,
        found: Option<(&'a Stmt, bool)>,
    }
    impl<'a> Visitor<'a> for Innermost<'a> {
        fn enter_stmt(&mut self, s: &'a Stmt, _depth: u32) -> Descend {
            // Statements of a block are disjoint: only the one holding the offset is entered.
            if !(s.span.start <= self.offset && self.offset < s.span.end.max(s.span.start + 1)) {
                return Descend::No;
            }
            let mut compound = false;
            s.for_each_block(|_| compound = true);
            self.found = Some((s, compound));
            Descend::Yes
        }

        fn exprs_of(&mut self, _s: &'a Stmt) -> Descend {
            Descend::No
        }
    }
    let mut v = Innermost { offset, found: None };
    walk_body(&mut v, body, 0);
    v.found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_syntaxes() {
        let s = scan("a()  # nosec\nb()  # nosec B602, B607\nc()  # noqa: S602,S603\nd()  # pyward: ignore[sql-injection-format]\ne() # noqa\nf()  # pyward: ignore\n");
        assert!(s[&0].all);
        assert_eq!(s[&1].codes, vec!["B602", "B607"]);
        assert!(!s[&1].all);
        assert_eq!(s[&2].codes, vec!["S602", "S603"]);
        assert_eq!(s[&3].codes, vec!["sql-injection-format"]);
        assert!(s[&4].all);
        assert!(s[&5].all);
    }

    #[test]
    fn every_line_break_ends_a_comment() {
        for src in ["a()\rb()  # nosec\rc()\r", "a()\r\nb()  # nosec\r\nc()\r\n", "a()\rb()  # nosec\nc()\r\n"] {
            let s = scan(src);
            assert_eq!(s.keys().collect::<Vec<_>>(), [&1], "{src:?}");
        }
    }
}
