//! Gated patterns: a positive pattern of a `patterns:` with a `pattern-inside` is only tried
//! where the walk is within a match of that inside pattern (its *gate*, see
//! [`Pattern::gate`](crate::rules::pattern::Pattern::gate)). Outside every such match its
//! matches could not count, so trying it there is wasted work: `$E` of "the exception of an
//! `except ... as $E:`" would otherwise be tried at every name of the file.
//!
//! A gate is open from the statement or expression it matched until the walk leaves that
//! node. A gated pattern skipped at a node is retried there if a gate opens at the same node
//! (a gate and its pattern may match the same node).

use std::cell::{Cell, RefCell};

use super::index::PatternIndex;

/// The gate state of one walk.
#[derive(Debug, Default)]
pub(super) struct Gates {
    /// By pattern: is it gated in this walk? Only when every pattern of its gate runs in the
    /// same walk (a gate matched by another walk is not seen opening).
    gated: Vec<bool>,
    /// By gate pattern: how many of its matches hold the node being walked.
    open: Vec<Cell<u32>>,
    /// Gate patterns that matched at the node being walked.
    opened: RefCell<Vec<usize>>,
    /// Gated patterns skipped at the node being walked, with their gates closed.
    deferred: RefCell<Vec<usize>>,
    /// Does any pattern have a gate in this walk?
    pub(super) any: bool,
}

impl Gates {
    pub(super) fn new(index: &PatternIndex, active: &[bool]) -> Gates {
        let on = |id: &usize| active.get(*id).copied().unwrap_or(false);
        let gated: Vec<bool> =
            index.gates.iter().enumerate().map(|(id, g)| on(&id) && !g.is_empty() && g.iter().all(on)).collect();
        let any = gated.contains(&true);
        Gates {
            open: if any { std::iter::repeat_with(|| Cell::new(0)).take(active.len()).collect() } else { Vec::new() },
            gated,
            opened: RefCell::default(),
            deferred: RefCell::default(),
            any,
        }
    }

    /// May pattern `id` be tried at the current node? A gated pattern whose gates are all
    /// closed is not, and is remembered for [`Gates::take_deferred`].
    #[inline]
    pub(super) fn admits(&self, index: &PatternIndex, id: usize) -> bool {
        if !self.gated.get(id).copied().unwrap_or(false) || self.is_open(index, id) {
            return true;
        }
        self.deferred.borrow_mut().push(id);
        false
    }

    /// Is pattern `id` gated, with every gate closed? (For statement sequences, which are
    /// tried at a block: their gates open at the statement that holds it.)
    pub(super) fn closed(&self, index: &PatternIndex, id: usize) -> bool {
        self.gated.get(id).copied().unwrap_or(false) && !self.is_open(index, id)
    }

    /// Is some gate of pattern `id` open?
    pub(super) fn is_open(&self, index: &PatternIndex, id: usize) -> bool {
        index.gates.get(id).is_some_and(|g| g.iter().any(|&g| self.open.get(g).is_some_and(|c| c.get() > 0)))
    }

    /// Notes that pattern `id` matched at the current node (if it is a gate, it opens).
    #[inline]
    pub(super) fn matched(&self, index: &PatternIndex, id: usize) {
        if self.any && index.is_gate.get(id).copied().unwrap_or(false) {
            self.opened.borrow_mut().push(id);
        }
    }

    /// After the tries at a node: opens the gates that matched there, appending them to
    /// `stack` (closed by [`Gates::close`]), and returns the skipped patterns to retry there
    /// now that a gate opened (empty when none did).
    pub(super) fn open_here(&self, stack: &mut Vec<usize>) -> Vec<usize> {
        let opened = std::mem::take(&mut *self.opened.borrow_mut());
        let deferred = std::mem::take(&mut *self.deferred.borrow_mut());
        if opened.is_empty() {
            return Vec::new();
        }
        for &g in &opened {
            if let Some(c) = self.open.get(g) {
                c.set(c.get() + 1);
            }
        }
        stack.extend(opened);
        deferred
    }

    /// Closes the gates opened at a node the walk leaves: those on `stack` from `from` on.
    pub(super) fn close(&self, stack: &mut Vec<usize>, from: usize) {
        for g in stack.drain(from.min(stack.len())..) {
            if let Some(c) = self.open.get(g) {
                c.set(c.get().saturating_sub(1));
            }
        }
    }
}
