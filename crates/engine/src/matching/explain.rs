//! "Explain a match" for the rule workshop: an opt-in trace of how the operators of a rule's
//! formula (`pattern`, `pattern-inside`, `pattern-not`, `metavariable-regex`, ...) kept or
//! dropped each candidate match, and the metavariable bindings of the matches that remain.
//!
//! Off by default and then free: the evaluator asks [`on`] (a thread-local flag read) once per
//! operator step and records nothing. [`explain`] turns it on for one analysis of one rule on
//! the calling thread, and returns what was recorded. Only the rule's top-level formula is
//! traced (the formulas nested in `pattern-not:` and the like are its operators' inputs), and at
//! most [`MAX_STEPS`] steps of at most [`MAX_CANDIDATES`] candidates each are kept.

use std::cell::{Cell, RefCell};

use crate::matching::matcher::Match;
use crate::syntax::ast::Span;

/// Most operator steps recorded.
pub const MAX_STEPS: usize = 64;
/// Most candidates recorded per step (the rest are counted, not listed).
pub const MAX_CANDIDATES: usize = 500;

/// A candidate match: its byte range and its bindings as (metavariable, code text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub start: u32,
    pub end: u32,
    pub bindings: Vec<(String, String)>,
}

/// One operator applied to the candidates: which it kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `pattern`, `pattern-inside`, `pattern-not`, `pattern-not-inside`, `metavariable-regex`,
    /// `metavariable-pattern`, `metavariable-comparison`, `focus-metavariable`; with the
    /// metavariable for the metavariable operators (`metavariable-regex $NAME`).
    pub operator: String,
    /// The candidates going in (at most [`MAX_CANDIDATES`]) and whether each came out.
    pub candidates: Vec<(Candidate, bool)>,
    /// How many candidates went in, and came out, in all.
    pub before: usize,
    pub after: usize,
}

/// What one traced analysis recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    pub steps: Vec<Step>,
    /// The formula's matches, with their bindings (at most [`MAX_CANDIDATES`]).
    pub matches: Vec<Candidate>,
    /// More steps happened than were recorded.
    pub truncated: bool,
}

thread_local! {
    static TRACE: RefCell<Option<Trace>> = const { RefCell::new(None) };
    static ON: Cell<bool> = const { Cell::new(false) };
    /// How deep the evaluator is in nested formulas (1: the rule's own formula).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The rule's formula has returned: nothing more is recorded.
    static DONE: Cell<bool> = const { Cell::new(false) };
}

/// Is a trace being recorded?
#[inline]
pub fn on() -> bool {
    ON.with(|c| c.get())
}

/// Runs `f` with the trace on and returns its result and the trace.
pub fn explain<R>(f: impl FnOnce() -> R) -> (R, Trace) {
    TRACE.with(|t| *t.borrow_mut() = Some(Trace::default()));
    ON.with(|c| c.set(true));
    DEPTH.with(|d| d.set(0));
    DONE.with(|d| d.set(false));
    let r = f();
    ON.with(|c| c.set(false));
    let trace = TRACE.with(|t| t.borrow_mut().take()).unwrap_or_default();
    (r, trace)
}

/// The evaluator enters (true) or leaves (false) a formula; returns the depth after entering.
pub(crate) fn enter(entering: bool) -> u32 {
    DEPTH.with(|d| {
        let v = if entering { d.get().saturating_add(1) } else { d.get().saturating_sub(1) };
        d.set(v);
        if entering {
            v
        } else {
            v + 1
        }
    })
}

/// Inside the rule's own formula, and before it returned (later formulas, such as the taint
/// parts a verdict evaluates, are not the rule's).
fn is_top() -> bool {
    DEPTH.with(|d| d.get() == 1) && !DONE.with(|d| d.get())
}

/// The operator of a clause, as the rule file names it.
pub(crate) fn operator(c: &crate::rules::Clause) -> String {
    use crate::rules::{Clause, Formula};
    let positive = |f: &Formula| match f {
        Formula::Pattern(_) => "pattern",
        Formula::Regex(_) => "pattern-regex",
        Formula::Either(_) => "pattern-either",
        Formula::And(_) => "patterns",
    };
    // Metavariables are stored without their `$`; the rule file writes it.
    let mv = |m: &str| if m.starts_with('$') { m.to_string() } else { format!("${m}") };
    match c {
        Clause::Pos(f) => positive(f).to_string(),
        Clause::Not(_) => "pattern-not".to_string(),
        Clause::Inside(_) => "pattern-inside".to_string(),
        Clause::NotInside(_) => "pattern-not-inside".to_string(),
        Clause::MetavarRegex { mv: m, .. } => format!("metavariable-regex {}", mv(m)),
        Clause::MetavarPattern { mv: m, .. } => format!("metavariable-pattern {}", mv(m)),
        Clause::MetavarComparison(_) => "metavariable-comparison".to_string(),
        Clause::MetavarAnalysis { mv: m, .. } => format!("metavariable-analysis {}", mv(m)),
        Clause::MetavarType { mv: m, .. } => format!("metavariable-type {}", mv(m)),
        Clause::Focus(mvs) => format!("focus-metavariable {}", mvs.iter().map(|m| mv(m)).collect::<Vec<_>>().join(", ")),
    }
}

fn candidate(src: &str, m: &Match<'_>) -> Candidate {
    Candidate {
        start: m.span.start,
        end: m.span.end,
        bindings: m.bindings.iter().map(|(n, s)| (if n.starts_with('$') { n.to_string() } else { format!("${n}") }, text(src, *s))).collect(),
    }
}

fn text(src: &str, s: Span) -> String {
    src.get(s.start as usize..s.end as usize).unwrap_or("").to_string()
}

/// The candidates going into a step of the rule's own formula, when tracing (else nothing is
/// copied).
pub(crate) fn before(src: &str, ms: &[Match<'_>]) -> Option<Vec<Candidate>> {
    if !on() || !is_top() {
        return None;
    }
    Some(ms.iter().take(MAX_CANDIDATES).map(|m| candidate(src, m)).collect())
}

/// Records a step: `before` (from [`before`]) and the candidates that came out. A candidate came
/// out when one with its range (or, after `focus-metavariable`, inside it) holds all its bindings.
pub(crate) fn step(operator: impl FnOnce() -> String, before: Option<Vec<Candidate>>, total_before: usize, after: &[Match<'_>], src: &str) {
    let Some(before) = before else { return };
    let focus = operator_is_focus(after);
    let out: Vec<Candidate> = after.iter().take(MAX_CANDIDATES.saturating_mul(4)).map(|m| candidate(src, m)).collect();
    let candidates = before
        .into_iter()
        .map(|c| {
            let kept = out.iter().any(|o| {
                let same_place = (o.start == c.start && o.end == c.end) || (focus && o.start >= c.start && o.end <= c.end);
                same_place && c.bindings.iter().all(|b| o.bindings.contains(b))
            });
            (c, kept)
        })
        .collect();
    let step = Step { operator: operator(), candidates, before: total_before, after: after.len() };
    TRACE.with(|t| {
        if let Some(t) = t.borrow_mut().as_mut() {
            if t.steps.len() < MAX_STEPS {
                t.steps.push(step);
            } else {
                t.truncated = true;
            }
        }
    });
}

/// Matches built by `focus-metavariable` carry no pattern id and may be narrower than their
/// candidate; any narrower match with the candidate's bindings counts as the candidate's.
fn operator_is_focus(_after: &[Match<'_>]) -> bool {
    FOCUS.with(|f| f.get())
}

thread_local! {
    static FOCUS: Cell<bool> = const { Cell::new(false) };
}

/// Marks the next recorded step as a `focus-metavariable` one.
pub(crate) fn focusing(on: bool) {
    FOCUS.with(|f| f.set(on));
}

/// Records the matches of the rule's formula (called as the top formula returns).
pub(crate) fn matches(src: &str, ms: &[Match<'_>]) {
    if !on() || DONE.with(|d| d.replace(true)) {
        return;
    }
    TRACE.with(|t| {
        if let Some(t) = t.borrow_mut().as_mut() {
            t.matches.extend(ms.iter().take(MAX_CANDIDATES.saturating_sub(t.matches.len())).map(|m| candidate(src, m)));
        }
    });
}

/// Analyses `src` with rule `rule` alone (at every severity), tracing its formula: the
/// findings, and how each operator kept or dropped the candidates.
pub fn explain_rule(engine: &crate::Engine, path: &str, src: &str, rule: &str) -> (crate::FileResult, Trace) {
    let opts = crate::Options { select: vec![rule.to_string()], ..crate::Options::default() };
    explain(|| engine.check_source(path, src, &opts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::Engine;

    fn engine(yaml: &str) -> Engine {
        let mut rs = RuleSet::default();
        rs.add_yaml("r.yaml", yaml).expect("rule loads");
        Engine::from_rules(rs)
    }

    #[test]
    fn each_operator_says_which_candidates_it_kept() {
        let e = engine(
            "rules:
  - id: secret
    languages: [python]
    severity: LOW
    message: m
    patterns:
      - pattern: $NAME = \"...\"
      - pattern-inside: |
          def $F(...):
            ...
      - pattern-not: $NAME = \"\"
      - metavariable-regex:
          metavariable: $NAME
          regex: (?i).*password.*
",
        );
        let src = "password = \"top\"\ndef f():\n    password = \"x\"\n    title = \"y\"\n    password = \"\"\n";
        let (result, trace) = explain_rule(&e, "t.py", src, "secret");
        assert_eq!(result.findings.iter().map(|f| f.line).collect::<Vec<_>>(), [3]);
        let ops: Vec<&str> = trace.steps.iter().map(|s| s.operator.as_str()).collect();
        assert_eq!(ops, ["pattern", "pattern-inside", "metavariable-regex $NAME", "pattern-not"]);
        let line = |c: &Candidate| src[..c.start as usize].matches('\n').count() + 1;
        let kept = |i: usize| trace.steps[i].candidates.iter().map(|(c, k)| (line(c), *k)).collect::<Vec<_>>();
        // The matcher already narrows the candidates (it looks for `password` names and inside
        // functions first), so the evaluator's steps see lines 3 and 5 only.
        assert!(trace.steps[0].candidates.iter().all(|(c, _)| line(c) != 1), "line 1 is outside a function");
        assert_eq!(kept(3), [(3, true), (5, false)], "the empty string is left out");
        assert_eq!(trace.matches.len(), 1);
        assert_eq!(trace.matches[0].bindings, [("$NAME".to_string(), "password".to_string()), ("$F".to_string(), "f".to_string())]);
    }

    #[test]
    fn off_records_nothing_and_nested_formulas_are_not_steps() {
        let e = engine("rules:\n  - id: r\n    languages: [python]\n    severity: LOW\n    message: m\n    patterns:\n      - pattern: f($X)\n      - pattern-not: f(1)\n");
        let r = e.check_source("t.py", "f(1)\nf(2)\n", &crate::Options::default());
        assert_eq!(r.findings.len(), 1);
        assert!(!on());
        let (_, trace) = explain_rule(&e, "t.py", "f(1)\nf(2)\n", "r");
        assert_eq!(trace.steps.iter().map(|s| (s.operator.as_str(), s.before, s.after)).collect::<Vec<_>>(), [("pattern", 2, 2), ("pattern-not", 2, 1)]);
        assert!(!on(), "the trace is off again after the call");
    }
}
