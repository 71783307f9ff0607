//! Control flow of the taint interpreter: loops to a fixed point, `break` and `continue`,
//! `try`/`except`/`else`/`finally`, and `with` blocks that may swallow an exception.
//!
//! The interpreter stays structured (it walks the tree, not a graph), with the semantics of a
//! control-flow graph:
//! - a loop's head is the join of its entry and of every way back to it (the end of the body
//!   and each `continue`), iterated until it no longer changes, at most [`MAX_LOOP_PASSES`]
//!   times (the last head is kept: tainted if tainted after any pass);
//! - a loop is left from its head when the test fails (then `else:` runs) and at each `break`,
//!   whose states are collected where they happen and joined into the state after the loop;
//! - any statement of a `try` body may raise: handlers start from every value a path held in the
//!   body (a trail of the writes, see `Env::begin_trail`), not only from its end;
//! - `finally:` runs after the statement on its normal way out, and also, for its sinks, from
//!   every state the statement held (an exception passing through, a `return`, a `break`).

use super::env::{Delta, Pos};
use super::{Analyzer, Frame, Taint};
use crate::syntax::ast::*;

/// Passes over a loop body at most: the first, and those while the head's state still grows.
pub(super) const MAX_LOOP_PASSES: usize = 4;

/// The ways out of a loop being interpreted, collected where they happen.
#[derive(Default)]
pub(super) struct LoopExits {
    /// The loop's entry in the undo log: `break` and `continue` states are deltas from it.
    from: Pos,
    breaks: Vec<Delta>,
    continues: Vec<Delta>,
}

/// What is done at the top of each pass over a loop body.
pub(super) enum LoopHead<'a> {
    /// `for target in ...`: the target takes the iterable's data again (the body may have
    /// rebound it).
    For { target: &'a Expr, items: Taint },
    /// `while test:`: the test is evaluated, and its guards hold in the body. `endless`: the
    /// test always holds (`while True:`), the loop is only left by `break`.
    While { test: &'a Expr, endless: bool },
}

impl<'a> Analyzer<'a> {
    /// `break` (`is_break`) or `continue`: the state here leaves for the loop's exit or head.
    pub(super) fn jump(&self, fr: &mut Frame<'a>, is_break: bool) {
        if let Some(from) = fr.loops.last().map(|l| l.from) {
            let d = fr.env.delta_from(from);
            if let Some(l) = fr.loops.last_mut() {
                if is_break { l.breaks.push(d) } else { l.continues.push(d) }
            }
        }
        fr.env.dead = true;
    }

    /// A `for` or `while` loop (for `for`, the iterable is evaluated and the target bound
    /// before). See the module documentation.
    pub(super) fn loop_stmt(&self, fr: &mut Frame<'a>, head: LoopHead<'a>, body: &'a [Stmt], orelse: &'a [Stmt], depth: u32) {
        let (test, endless) = match &head {
            LoopHead::While { test, endless } => (Some(*test), *endless),
            LoopHead::For { .. } => (None, false),
        };
        let entry = fr.env.mark();
        // The head's state, as a delta from the entry.
        let mut state = Delta::default();
        let mut breaks = Vec::new();
        for pass in 0..MAX_LOOP_PASSES {
            fr.env.undo_to(&entry);
            fr.env.apply(&state);
            fr.env.dead = false;
            match &head {
                LoopHead::For { target, items } if pass > 0 => self.assign_quiet(fr, target, items),
                LoopHead::For { .. } => {}
                LoopHead::While { test, .. } => {
                    self.eval(fr, test, 0);
                    let (when_true, _) = self.guard_paths(fr, test);
                    Self::clean(&mut fr.env, &when_true);
                }
            }
            fr.loops.push(LoopExits { from: entry.pos(), ..LoopExits::default() });
            self.block(fr, body, depth + 1);
            let exits = fr.loops.pop().unwrap_or_default();
            breaks.extend(exits.breaks);
            let mut back = vec![state.clone()];
            if !fr.env.dead {
                back.push(fr.env.delta(&entry));
            }
            back.extend(exits.continues);
            fr.env.undo_to(&entry);
            let next = fr.env.fold(&back);
            // Converged when the ways back add nothing to the head.
            fr.env.apply(&state);
            let done = fr.env.same(&next);
            fr.env.undo_to(&entry);
            state = next;
            if done || !self.spend(0) {
                break;
            }
        }
        // Leaving from the head when the test fails (the iterator is exhausted): `else:` runs.
        fr.env.apply(&state);
        fr.env.dead = false;
        let mut outs = Vec::new();
        if !endless {
            if let Some(test) = test {
                self.eval(fr, test, 0);
                let (_, when_false) = self.guard_paths(fr, test);
                Self::clean(&mut fr.env, &when_false);
            }
            self.block(fr, orelse, depth + 1);
            if !fr.env.dead {
                outs.push(fr.env.delta(&entry));
            }
        }
        outs.extend(breaks);
        fr.env.join(entry, &outs);
    }

    /// `try:` with its handlers, `else:` and `finally:`. See the module documentation.
    pub(super) fn try_stmt(&self, fr: &mut Frame<'a>, t: TryParts<'a>, depth: u32) {
        let entry = fr.env.mark();
        let trail = fr.env.begin_trail();
        self.block(fr, t.body, depth + 1);
        let body_dead = fr.env.dead;
        let after_body = fr.env.delta(&entry);
        fr.env.undo_to(&entry);
        // An exception can come from any statement of the body: handlers start from every
        // value the body held, joined with the entry's.
        let handler_entry = fr.env.trail_join(trail);
        fr.env.apply(&handler_entry);
        fr.env.dead = false;
        let handler_mark = fr.env.mark();
        let mut handled = Vec::new();
        for h in t.handlers {
            fr.env.undo_to(&handler_mark);
            if let Some(n) = &h.name {
                fr.env.set(&n.name, Taint::new());
            }
            self.block(fr, &h.body, depth + 1);
            if !fr.env.dead {
                handled.push(fr.env.delta(&entry));
            }
        }
        fr.env.release(handler_mark);
        // `else:` runs after the body.
        fr.env.undo_to(&entry);
        fr.env.apply(&after_body);
        fr.env.dead = body_dead;
        self.block(fr, t.orelse, depth + 1);
        let mut outcomes = Vec::new();
        if !fr.env.dead {
            outcomes.push(fr.env.delta(&entry));
        }
        if !handled.is_empty() {
            fr.env.undo_to(&entry);
            outcomes.push(fr.env.fold(&handled));
        }
        if !t.finalbody.is_empty() {
            // Every other way out passes `finally:` too, from any state the statement held.
            fr.env.undo_to(&entry);
            let escaped = fr.env.trail_join(trail);
            if !fr.env.same(&escaped) || outcomes.is_empty() {
                fr.env.apply(&escaped);
                fr.env.dead = false;
                let loops = std::mem::take(&mut fr.loops);
                self.block(fr, t.finalbody, depth + 1);
                fr.loops = loops;
                fr.env.undo_to(&entry);
            }
        }
        fr.env.end_trail();
        if outcomes.is_empty() {
            // No normal way out: an exception, a `return` or a jump left.
            fr.env.undo_to(&entry);
            fr.env.dead = true;
            fr.env.release(entry);
            return;
        }
        fr.env.join(entry, &outcomes);
        if !t.finalbody.is_empty() && !fr.env.dead {
            self.block(fr, t.finalbody, depth + 1);
        }
    }

    /// A `with` block. An exception inside it reaches an enclosing `try` as any other; a
    /// context that may swallow it (`contextlib.suppress`) is also left from any state the
    /// block held.
    pub(super) fn with_body(&self, fr: &mut Frame<'a>, items: &'a [WithItem], body: &'a [Stmt], depth: u32) {
        let swallows = items.iter().any(|it| matches!(&it.context.kind, ExprKind::Call { func, .. } if super::callee_name(func) == "suppress"));
        if !swallows {
            self.block(fr, body, depth + 1);
            return;
        }
        let entry = fr.env.mark();
        let trail = fr.env.begin_trail();
        self.block(fr, body, depth + 1);
        let mut outs = Vec::new();
        if !fr.env.dead {
            outs.push(fr.env.delta(&entry));
        }
        fr.env.undo_to(&entry);
        outs.push(fr.env.trail_join(trail));
        fr.env.end_trail();
        fr.env.join(entry, &outs);
    }
}

/// The parts of a `try` statement.
pub(super) struct TryParts<'a> {
    pub(super) body: &'a [Stmt],
    pub(super) handlers: &'a [Handler],
    pub(super) orelse: &'a [Stmt],
    pub(super) finalbody: &'a [Stmt],
}

#[cfg(test)]
mod tests {
    use super::super::tests::lines;

    /// The shape: a loop picks one header name and leaves with `break`.
    #[test]
    fn a_value_set_before_break_reaches_the_loop_exit() {
        let code = "def v():\n    param = ''\n    for name in request.args.keys():\n        if name in COMMON:\n            continue\n        param = name\n        break\n    os.system('echo ' + param)\n";
        assert_eq!(lines(code), vec![8]);
        // Set in an `if` branch that ends in `break`: the branch's state leaves the loop.
        let code = "def v(xs):\n    p = 'x'\n    for k in xs:\n        if k == 'id':\n            p = request.args[k]\n            break\n    os.system(p)\n";
        assert_eq!(lines(code), vec![7]);
        // The only way out of `while True:` is the `break`, where the value is constant.
        let code = "def v():\n    while True:\n        p = request.args['p']\n        if ok(p):\n            p = 'fixed'\n            break\n    os.system(p)\n";
        assert!(lines(code).is_empty());
        // ... and where it is not.
        let code = "def v():\n    p = 'fixed'\n    while True:\n        if ok():\n            p = request.args['p']\n            break\n    os.system(p)\n";
        assert_eq!(lines(code), vec![7]);
    }

    #[test]
    fn continue_goes_back_to_the_head_and_else_runs_only_without_break() {
        // `continue` with tainted data: the next pass and the exit see it.
        let code = "def v(xs):\n    last = ''\n    for x in xs:\n        if x:\n            last = request.args['a']\n            continue\n        os.system(last)\n    os.system(last)\n";
        assert_eq!(lines(code), vec![7, 8]);
        // `else:` of a loop: not after a `break`.
        let code = "def v(xs):\n    for x in xs:\n        if x:\n            p = 'a'\n            break\n    else:\n        p = request.args['p']\n    os.system(p)\n";
        assert_eq!(lines(code), vec![8]);
        let code = "def v(xs):\n    for x in xs:\n        p = request.args['p']\n        break\n    else:\n        p = 'a'\n    p = 'b'\n    os.system(p)\n";
        assert!(lines(code).is_empty());
    }

    /// Data that moves one variable further on each pass needs as many passes as variables.
    #[test]
    fn loops_run_to_a_fixed_point() {
        let code = "def v(n):\n    a = b = c = ''\n    for i in range(n):\n        os.system(c)\n        c = b\n        b = a\n        a = request.args['x']\n";
        assert_eq!(lines(code), vec![4]);
        let code = "def v(n):\n    a = b = ''\n    while n:\n        b = a\n        a = request.args['x']\n    os.system(b)\n";
        assert_eq!(lines(code), vec![6]);
        // Never tainted on any pass: clean.
        let code = "def v(n):\n    a = b = ''\n    for i in range(n):\n        b = a\n        a = 'k'\n    os.system(b)\n";
        assert!(lines(code).is_empty());
    }

    #[test]
    fn handlers_see_every_value_the_try_body_held() {
        // Cleaned at the end of the body, but an exception may come before.
        let code = "def v():\n    try:\n        p = request.args['p']\n        p = shlex.quote(p)\n        check(p)\n    except ValueError:\n        os.system('echo ' + p)\n";
        assert_eq!(lines(code), vec![7]);
        // Clean on every path into the handler and after it.
        let code = "def v():\n    try:\n        p = shlex.quote(request.args['p'])\n    except ValueError:\n        p = 'none'\n    os.system('echo ' + p)\n";
        assert!(lines(code).is_empty());
        // A `raise` in a branch: the handler sees that branch's state.
        let code = "def v():\n    p = 'x'\n    try:\n        if bad():\n            p = request.args['p']\n            raise ValueError()\n    except ValueError:\n        os.system(p)\n";
        assert_eq!(lines(code), vec![8]);
    }

    #[test]
    fn finally_runs_on_every_way_out() {
        // After a `return` in the body.
        let code = "def v():\n    p = request.args['p']\n    try:\n        return p\n    finally:\n        os.system(p)\n";
        assert_eq!(lines(code), vec![6]);
        // Nothing tainted on any way: clean; and the normal way on continues after it.
        let code = "def v():\n    try:\n        p = 'a'\n    finally:\n        os.system('ls')\n    os.system(p)\n";
        assert!(lines(code).is_empty());
        let code = "def v():\n    try:\n        p = request.args['p']\n    finally:\n        log()\n    os.system(p)\n";
        assert_eq!(lines(code), vec![6]);
        // Every way out of the body returns: the code after is not reached.
        let code = "def v():\n    try:\n        return 1\n    finally:\n        log()\n    os.system(request.args['p'])\n";
        assert!(lines(code).is_empty());
    }

    #[test]
    fn a_with_block_that_swallows_exceptions_is_left_from_any_state() {
        let code = "def v():\n    with suppress(KeyError):\n        p = request.args['p']\n        p = shlex.quote(p)\n    os.system(p)\n";
        assert_eq!(lines(code), vec![5]);
        let code = "def v():\n    with open('f') as fh:\n        p = request.args['p']\n        p = shlex.quote(p)\n    os.system(p)\n";
        assert!(lines(code).is_empty());
        // A `break` inside `with` inside a loop leaves the loop.
        let code = "def v(xs):\n    p = ''\n    for x in xs:\n        with lock:\n            p = request.args['p']\n            break\n    os.system(p)\n";
        assert_eq!(lines(code), vec![7]);
    }
}
