//! Every match of a pattern at a node, not only the first (Semgrep reports each binding a
//! `...` can give: `def $F(..., $X, ...)` binds each parameter in turn).
//!
//! The unifier is a backtracking search whose choice points (where a `...` ends, which keyword
//! argument, which sub-expression of a deep pattern) only backtrack locally: once a choice
//! point has returned a match, a later failure in its caller (the body of the `def` after the
//! parameters) does not come back to it. Rather than rewrite the unifier in continuation
//! style, the node is matched again by replay:
//!
//! - each run records its *trace*: the choice points met on the way, in order, with the
//!   alternative each took and how many it has (a choice point that fails removes what it and
//!   the choice points inside it recorded);
//! - the next run is given a *script*: the trace up to its deepest choice point with an
//!   alternative left, that choice point moved on by one. A choice point at a position the
//!   script still covers starts from the script's alternative; the others start from the
//!   first, as before.
//!
//! Runs are deterministic, so the runs enumerate the choices like an odometer, in the order a
//! full backtracking search would meet them: a run that fails after a choice point returned is
//! continued from that choice point's next alternative. The runs per node are capped
//! ([`MAX_RUNS`]) and their matches too ([`MAX_MATCHES`]); each run's unification steps are
//! charged to the pattern's work budget like any other.

use super::matcher::{Bindings, Matcher};

/// Most runs of one pattern at one node (the first included).
pub(super) const MAX_RUNS: usize = 48;
/// Most distinct matches of one pattern at one node.
pub(super) const MAX_MATCHES: usize = 24;
/// The alternatives of a choice point whose count is not known in advance.
pub(super) const UNKNOWN: u32 = u32::MAX;

/// The choice points of the run under way.
#[derive(Default)]
pub(super) struct Choices {
    /// The alternatives the run starts from, by position (see the module docs).
    script: Vec<u32>,
    /// (alternative taken, number of alternatives) of each choice point met.
    trace: Vec<(u32, u32)>,
}

/// A choice point being tried: its position in the trace and the first alternative to try.
#[derive(Clone, Copy)]
pub(super) struct Choice {
    pos: usize,
    pub from: u32,
    /// Is it constrained by the script? (Then its failures are not failures of the state in
    /// general, and are not remembered.)
    pub scripted: bool,
}

impl Choice {
    /// May the state at this choice point fail here and be reached again later in the run,
    /// so that remembering its failure saves work (see `memo.rs`)? Not when it is scripted
    /// (its failure belongs to the script), nor when it is the first choice point of the run:
    /// then no choice point encloses it that could come back to it, and if it fails the run
    /// fails with it. (A pattern such as `$F(..., $ARG, ...)` meets one such state per call
    /// of a file, and remembering each of them only cost memory.)
    pub(super) fn worth_remembering(&self) -> bool {
        !self.scripted && self.pos > 0
    }
}

impl<'a, 'p> Matcher<'a, 'p> {
    /// Enters a choice point with `n` alternatives ([`UNKNOWN`] if not known).
    pub(super) fn choice_enter(&self) -> Choice {
        let c = self.choices.borrow();
        let pos = c.trace.len();
        let scripted = pos < c.script.len() && c.trace.iter().zip(&c.script).all(|(t, s)| t.0 == *s);
        Choice { pos, from: if scripted { c.script[pos] } else { 0 }, scripted }
    }

    /// The choice point tries alternative `alt` of `n`.
    pub(super) fn choice_take(&self, ch: Choice, alt: u32, n: u32) {
        let mut c = self.choices.borrow_mut();
        c.trace.truncate(ch.pos);
        c.trace.push((alt, n));
    }

    /// The choice point failed: what it recorded goes.
    pub(super) fn choice_fail(&self, ch: Choice) {
        self.choices.borrow_mut().trace.truncate(ch.pos);
    }

    /// Runs `run` at one node until the choices are exhausted or a cap is reached: `found` is
    /// given each distinct binding set that matched with what `run` returned (a sequence's end:
    /// each end is a match), in order; it returns false to stop.
    /// `seed` is where each run's bindings start.
    pub(super) fn each_match<R: PartialEq + Clone>(
        &self,
        seed: &Bindings<'p>,
        b: &mut Bindings<'p>,
        mut run: impl FnMut(&mut Bindings<'p>) -> Option<R>,
        mut found: impl FnMut(&Bindings<'p>, R) -> bool,
    ) {
        {
            let mut c = self.choices.borrow_mut();
            c.script.clear();
            c.trace.clear();
        }
        let mut seen: Vec<(Bindings<'p>, R)> = Vec::new();
        for _ in 0..MAX_RUNS {
            b.clear();
            b.extend_from_slice(seed);
            if let Some(r) = run(b) {
                if !seen.iter().any(|(sb, sr)| sb == b && *sr == r) {
                    seen.push((b.clone(), r.clone()));
                    if !found(b, r) || seen.len() >= MAX_MATCHES {
                        break;
                    }
                }
            }
            if self.current_over_budget() {
                break;
            }
            let mut c = self.choices.borrow_mut();
            let Some(i) = c.trace.iter().rposition(|&(alt, n)| alt.saturating_add(1) < n) else { break };
            let next: Vec<u32> = c.trace[..i].iter().map(|t| t.0).chain(std::iter::once(c.trace[i].0 + 1)).collect();
            c.script = next;
            c.trace.clear();
        }
        let mut c = self.choices.borrow_mut();
        c.script.clear();
        c.trace.clear();
    }
}
