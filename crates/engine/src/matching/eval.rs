//! Combining pattern matches with Semgrep's operators (`patterns`, `pattern-either`,
//! `pattern-not`, `pattern-inside`, `metavariable-*`, `focus-metavariable`).

use crate::syntax::ast::Span;
use crate::matching::matcher::{Bindings, Match, Matcher};
use crate::rules::{Clause, Formula};

/// Re-matches pattern `id` at the node with exactly `span`, seeded with bindings (see
/// `Matcher::rematch`).
pub type Rematch<'s, 'p> = dyn Fn(usize, Span, &Bindings<'p>) -> Option<Bindings<'p>> + 's;

/// Evaluates rule formulas over the matches of their patterns in one file.
pub struct Evaluator<'s, 'p> {
    pub src: &'s str,
    /// Matches of every compiled pattern, by pattern id.
    pub leaves: &'s [Vec<Match<'p>>],
    /// Re-matches a pattern at a node with seed bindings (see `Matcher::rematch`).
    pub rematch: Option<&'s Rematch<'s, 'p>>,
}

fn consistent(src: &str, a: &Bindings<'_>, b: &Bindings<'_>) -> bool {
    a.iter().all(|(n, sa)| b.iter().find(|(m, _)| m == n).is_none_or(|(_, sb)| Matcher::same_code(src, *sa, *sb)))
}

fn merge<'p>(a: &Bindings<'p>, b: &Bindings<'p>) -> Bindings<'p> {
    let mut out = a.clone();
    for (n, s) in b {
        if !out.iter().any(|(m, _)| m == n) {
            out.push((n, *s));
        }
    }
    out
}

impl<'s, 'p> Evaluator<'s, 'p> {
    /// The matches of formula `f`, without exact duplicates.
    pub fn eval(&self, f: &'p Formula) -> Vec<Match<'p>> {
        let mut out = match f {
            Formula::Pattern(id) => self.leaves.get(*id).cloned().unwrap_or_default(),
            Formula::Regex(re) => re
                .find_iter(self.src)
                .filter(|m| !m.as_str().is_empty())
                .map(|m| Match { span: Span::new(m.start() as u32, m.end() as u32), bindings: Vec::new(), pattern: None })
                .collect(),
            Formula::Either(fs) => fs.iter().flat_map(|f| self.eval(f)).collect(),
            Formula::And(clauses) => self.eval_and(clauses),
        };
        dedup(&mut out);
        out
    }

    fn eval_and(&self, clauses: &'p [Clause]) -> Vec<Match<'p>> {
        // Positive terms: the first one seeds, later ones must match the same range.
        let mut current: Option<Vec<Match<'p>>> = None;
        for c in clauses {
            if let Clause::Pos(f) = c {
                let ms = self.eval(f);
                current = Some(match current {
                    None => ms,
                    // Semgrep intersects positive terms by range inclusion: the narrower
                    // range is the one reported.
                    Some(cur) => cur
                        .into_iter()
                        .flat_map(|m| {
                            ms.iter()
                                .filter(|o| {
                                    (o.span.contains(m.span) || m.span.contains(o.span))
                                        && consistent(self.src, &m.bindings, &o.bindings)
                                })
                                .map(|o| {
                                    let span = if o.span.contains(m.span) { m.span } else { o.span };
                                    Match { span, bindings: merge(&m.bindings, &o.bindings), pattern: None }
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect(),
                });
                if current.as_ref().is_some_and(|c| c.is_empty()) {
                    return Vec::new();
                }
            }
        }
        let mut inside_used_as_positive = false;
        let mut current = match current {
            Some(c) => c,
            None => {
                // Only `pattern-inside`: it is the positive term.
                inside_used_as_positive = true;
                match clauses.iter().find_map(|c| if let Clause::Inside(f) = c { Some(f) } else { None }) {
                    Some(f) => self.eval(f),
                    None => return Vec::new(),
                }
            }
        };
        let mut first_inside_skipped = false;
        for c in clauses {
            if current.is_empty() {
                return current;
            }
            if let Clause::Inside(f) = c {
                if inside_used_as_positive && !first_inside_skipped {
                    first_inside_skipped = true;
                    continue;
                }
                let outer = self.eval(f);
                // Every enclosing match gives one combination: later clauses (regexes,
                // `pattern-not`) may accept only some of them.
                current = current
                    .into_iter()
                    .flat_map(|m| {
                        outer
                            .iter()
                            .filter(|o| o.span.contains(m.span))
                            .filter_map(|o| {
                                if consistent(self.src, &m.bindings, &o.bindings) {
                                    return Some(Match { span: m.span, bindings: merge(&m.bindings, &o.bindings), pattern: None });
                                }
                                // The first match took other candidates at a choice point
                                // (`f(..., $V, ...)`); retry seeded with the enclosing bindings.
                                let (Some(pid), Some(rematch)) = (m.pattern, self.rematch) else { return None };
                                rematch(pid, m.span, &o.bindings)
                                    .map(|b| Match { span: m.span, bindings: merge(&b, &o.bindings), pattern: None })
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                dedup(&mut current);
            }
        }
        for c in clauses {
            if current.is_empty() {
                return current;
            }
            match c {
                Clause::MetavarRegex { mv, regex, .. } => {
                    current.retain(|m| {
                        m.bindings.iter().find(|(n, _)| n == mv).is_some_and(|(_, s)| {
                            let text = self.src.get(s.start as usize..s.end as usize).unwrap_or("");
                            regex.matches(text)
                        })
                    });
                }
                Clause::MetavarPattern { mv, formula } => {
                    let inner = self.eval(formula);
                    current = current
                        .into_iter()
                        .filter_map(|m| {
                            let (_, bound) = m.bindings.iter().find(|(n, _)| n == mv)?;
                            inner
                                .iter()
                                .find(|o| bound.contains(o.span) && consistent(self.src, &m.bindings, &o.bindings))
                                .map(|o| Match { span: m.span, bindings: merge(&m.bindings, &o.bindings), pattern: None })
                        })
                        .collect();
                }
                _ => {}
            }
        }
        for c in clauses {
            if current.is_empty() {
                return current;
            }
            match c {
                Clause::Not(f) => {
                    let bad = self.eval(f);
                    current.retain(|m| !bad.iter().any(|o| o.span == m.span && consistent(self.src, &m.bindings, &o.bindings)));
                }
                Clause::NotInside(f) => {
                    let bad = self.eval(f);
                    current.retain(|m| {
                        !bad.iter().any(|o| o.span.contains(m.span) && consistent(self.src, &m.bindings, &o.bindings))
                    });
                }
                _ => {}
            }
        }
        for c in clauses {
            if let Clause::Focus(mvs) = c {
                current = current
                    .into_iter()
                    .filter_map(|m| {
                        let mut span: Option<Span> = None;
                        for mv in mvs {
                            let (_, s) = m.bindings.iter().find(|(n, _)| n == mv)?;
                            span = Some(span.map_or(*s, |x| x.cover(*s)));
                        }
                        span.map(|s| Match { span: s, bindings: m.bindings.clone(), pattern: None })
                    })
                    .collect();
            }
        }
        dedup(&mut current);
        current
    }
}

/// Drops exact duplicates; matches of one range with different bindings or from different
/// patterns are kept, since a later clause may accept only one of them.
fn dedup(ms: &mut Vec<Match<'_>>) {
    ms.sort_by_key(|m| (m.span.start, m.span.end, m.pattern));
    ms.dedup_by(|a, b| a.span == b.span && a.pattern == b.pattern && a.bindings == b.bindings);
}

/// One match per range: what a rule reports.
pub fn dedup_ranges(ms: &mut Vec<Match<'_>>) {
    ms.sort_by_key(|m| (m.span.start, m.span.end));
    ms.dedup_by(|a, b| a.span == b.span);
}
