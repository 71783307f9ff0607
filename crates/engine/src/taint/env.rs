//! The taint state of one function: what each access path holds, changed in place.
//!
//! Branches do not copy it. While a branch construct (`if`, `try`, loops, `match`) is open, each
//! change logs the value it replaced (an undo log, opened by [`Env::mark`]): the state before a
//! branch comes back by undoing, a branch's outcome is only the paths it changed
//! ([`Env::delta`]), and joining outcomes ([`Env::join`]) looks only at those paths. A function
//! with many variables and many `if`s is then linear in its size (copying the whole state at
//! each branch and joining whole copies made it quadratic).

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use super::containers::Shape;
use super::{union_into, Taint};

/// What each access path holds (a path that holds nothing is absent).
pub(super) type Vars = HashMap<String, Taint>;

/// A point in the undo log that [`Env::undo_to`] returns to; given back with [`Env::release`].
#[must_use]
pub(super) struct Mark {
    log_len: usize,
    shape_len: usize,
    dead: bool,
}

/// A point in the undo log kept by a construct that collects states from inside its body (a
/// loop's `break` and `continue`): [`Env::delta_from`] gives the state there as a delta from it.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Pos {
    log_len: usize,
    shape_len: usize,
}

impl Mark {
    /// The point in the logs this mark is at.
    pub(super) fn pos(&self) -> Pos {
        Pos { log_len: self.log_len, shape_len: self.shape_len }
    }
}

/// One branch's outcome: the paths it changed since a mark, with what they hold at its end
/// (`None`: nothing), in the order they were first changed.
#[derive(Default, Clone)]
pub(super) struct Delta {
    changed: Vec<(String, Option<Taint>)>,
    /// The containers whose shape changed, with their shape at its end (`None`: unknown).
    shapes: Vec<(String, Option<Shape>)>,
}

/// The state of one function being interpreted (see the module documentation).
#[derive(Default)]
pub(super) struct Env {
    vars: Vars,
    /// The paths with a part (`x.a`, `d["k"]`), sorted: a strong update of `x` removes the ones
    /// under it by a range lookup instead of a scan of every path.
    compound: BTreeSet<String>,
    /// No path reaches here (after `return`, `raise`, `break`, `continue`).
    pub(super) dead: bool,
    /// (path, what it held before) for each change since the oldest open mark.
    log: Vec<(String, Option<Taint>)>,
    /// Marks open (the log is kept while there is one).
    open: usize,
    /// Paths written or joined since [`Env::take_work`] (the engine's work units).
    work: u64,
    /// (path, what it was set to) for each write while a trail is open ([`Env::begin_trail`]):
    /// every value a path held inside a `try` body, where any statement may raise.
    trail: Vec<(String, Option<Taint>)>,
    /// Trails open.
    trailing: usize,
    /// What is known of the containers held by variables (see `containers.rs`); a variable
    /// without a shape is a container of unknown content.
    shapes: HashMap<String, Shape>,
    /// (variable, its shape before) for each shape change since the oldest open mark.
    shape_log: Vec<(String, Option<Shape>)>,
}

impl Env {
    /// What `path` holds, if anything.
    pub(super) fn get(&self, path: &str) -> Option<&Taint> {
        self.vars.get(path)
    }

    /// Whether `path` holds anything.
    pub(super) fn contains(&self, path: &str) -> bool {
        self.vars.contains_key(path)
    }

    /// All paths and what they hold.
    pub(super) fn vars(&self) -> &Vars {
        &self.vars
    }

    /// The work done since the last call, and starts counting again.
    pub(super) fn take_work(&mut self) -> u64 {
        std::mem::take(&mut self.work)
    }

    /// Sets what `path` holds (and nothing else), logging the old value while a mark is open.
    pub(super) fn put(&mut self, path: &str, t: Option<Taint>) {
        self.work += 1;
        let t = t.filter(|t| !t.is_empty());
        let old = match t {
            Some(t) => {
                if is_compound(path) && !self.vars.contains_key(path) {
                    self.compound.insert(path.to_string());
                }
                self.vars.insert(path.to_string(), t)
            }
            None => {
                let old = self.vars.remove(path);
                if old.is_some() && is_compound(path) {
                    self.compound.remove(path);
                }
                old
            }
        };
        if self.trailing > 0 {
            self.trail.push((path.to_string(), self.vars.get(path).cloned()));
        }
        if self.open > 0 {
            self.log.push((path.to_string(), old));
        }
    }

    /// The shape of the container a variable holds, if known.
    pub(super) fn shape(&self, var: &str) -> Option<&Shape> {
        self.shapes.get(var)
    }

    /// Sets (or forgets, with `None`) the shape of a variable's container, logging the old one
    /// while a mark is open. Costs work in proportion to the shape's size.
    pub(super) fn put_shape(&mut self, var: &str, shape: Option<Shape>) {
        if shape.is_none() && !self.shapes.contains_key(var) {
            return;
        }
        self.work += 1 + shape.as_ref().map_or(0, Shape::size) as u64;
        let old = match shape {
            Some(s) => self.shapes.insert(var.to_string(), s),
            None => self.shapes.remove(var),
        };
        if self.open > 0 {
            self.shape_log.push((var.to_string(), old));
        }
    }

    /// How many variables have a shape.
    pub(super) fn shape_count(&self) -> usize {
        self.shapes.len()
    }

    /// Strong update of a path: it and everything under it now hold `t` (a variable's
    /// container shape is forgotten: it holds another value now).
    pub(super) fn set(&mut self, path: &str, t: Taint) {
        if !self.shapes.is_empty() {
            self.put_shape(path, None);
        }
        if !self.compound.is_empty() {
            let under: Vec<String> = [('.', '/'), ('[', '\\')]
                .into_iter()
                .flat_map(|(sep, after)| self.compound.range(format!("{path}{sep}")..format!("{path}{after}")).cloned().collect::<Vec<_>>())
                .collect();
            for k in under {
                self.put(&k, None);
            }
        }
        self.put(path, Some(t));
    }

    /// Weak update: adds `t` to what the path holds.
    pub(super) fn add(&mut self, path: &str, t: &[super::Label]) {
        if !t.is_empty() {
            let mut now = self.vars.get(path).cloned().unwrap_or_default();
            union_into(&mut now, t);
            self.put(path, Some(now));
        }
    }

    /// Opens a mark at the current state.
    pub(super) fn mark(&mut self) -> Mark {
        self.open += 1;
        Mark { log_len: self.log.len(), shape_len: self.shape_log.len(), dead: self.dead }
    }

    /// Closes a mark, keeping the current state.
    pub(super) fn release(&mut self, m: Mark) {
        debug_assert!(self.log.len() >= m.log_len);
        self.open = self.open.saturating_sub(1);
        if self.open == 0 {
            self.log.clear();
            self.shape_log.clear();
        }
    }

    /// Returns to the state at `m` (which stays open).
    pub(super) fn undo_to(&mut self, m: &Mark) {
        while self.log.len() > m.log_len {
            let Some((path, old)) = self.log.pop() else { break };
            self.work += 1;
            match old {
                Some(t) => {
                    if is_compound(&path) {
                        self.compound.insert(path.clone());
                    }
                    self.vars.insert(path, t);
                }
                None => {
                    if self.vars.remove(&path).is_some() && is_compound(&path) {
                        self.compound.remove(&path);
                    }
                }
            }
        }
        while self.shape_log.len() > m.shape_len {
            let Some((var, old)) = self.shape_log.pop() else { break };
            self.work += 1;
            match old {
                Some(s) => self.shapes.insert(var, s),
                None => self.shapes.remove(&var),
            };
        }
        self.dead = m.dead;
    }

    /// The paths changed since `m`, with what they hold now.
    pub(super) fn delta(&mut self, m: &Mark) -> Delta {
        self.delta_from(m.pos())
    }

    /// The paths changed since `p` (a point of a mark still open), with what they hold now.
    pub(super) fn delta_from(&mut self, p: Pos) -> Delta {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut changed = Vec::new();
        for (path, _) in self.log.get(p.log_len..).unwrap_or(&[]) {
            if seen.insert(path.as_str()) {
                changed.push((path.clone(), self.vars.get(path).cloned()));
            }
        }
        let mut shapes = Vec::new();
        let mut seen_shapes = rustc_hash::FxHashSet::default();
        for (var, _) in self.shape_log.get(p.shape_len..).unwrap_or(&[]) {
            if seen_shapes.insert(var.as_str()) {
                shapes.push((var.clone(), self.shapes.get(var).cloned()));
            }
        }
        self.work += (changed.len() + shapes.len()) as u64;
        Delta { changed, shapes }
    }

    /// Applies a delta to the current state.
    pub(super) fn apply(&mut self, d: &Delta) {
        for (path, t) in &d.changed {
            self.put(path, t.clone());
        }
        for (var, s) in &d.shapes {
            self.put_shape(var, s.clone());
        }
    }

    /// Forgets every path (a state no path reaches).
    pub(super) fn clear(&mut self) {
        let all: Vec<String> = self.vars.keys().cloned().collect();
        for k in all {
            self.put(&k, None);
        }
        let all: Vec<String> = self.shapes.keys().cloned().collect();
        for k in all {
            self.put_shape(&k, None);
        }
    }

    /// Returns to the state at `m` and makes it the join of the outcomes (deltas from that
    /// state), in order: a path holds what it holds in any of them. No outcome: no path
    /// reaches here (dead, and nothing held). Closes `m`.
    pub(super) fn join(&mut self, m: Mark, outcomes: &[Delta]) {
        self.undo_to(&m);
        if outcomes.is_empty() {
            self.clear();
            self.dead = true;
        } else {
            let d = self.fold(outcomes);
            self.apply(&d);
            self.dead = false;
        }
        self.release(m);
    }

    /// The join of outcomes (deltas from the current state), as one delta from it. For each
    /// path, the union of what it holds in each outcome in order, where an outcome that did not
    /// change it holds what it holds now. Only the first such outcome counts: a union with what
    /// is already in it changes nothing. The work is linear in the outcomes' sizes.
    pub(super) fn fold(&mut self, outcomes: &[Delta]) -> Delta {
        // Path -> (index of the outcome, what it holds there), in outcome order.
        let mut by_path: HashMap<&str, Vec<(usize, Option<&Taint>)>> = HashMap::default();
        let mut order: Vec<&str> = Vec::new();
        for (i, o) in outcomes.iter().enumerate() {
            for (path, t) in &o.changed {
                let v = by_path.entry(path.as_str()).or_insert_with(|| {
                    order.push(path.as_str());
                    Vec::new()
                });
                v.push((i, t.as_ref()));
            }
        }
        let mut changed = Vec::with_capacity(order.len());
        for path in order {
            let Some(vals) = by_path.get(path) else { continue };
            self.work += vals.len() as u64;
            // The first outcome that left the path as it was.
            let gap = vals.iter().enumerate().find(|(k, (i, _))| k != i).map_or(vals.len(), |(k, _)| k);
            let base = (gap < outcomes.len()).then(|| self.vars.get(path)).flatten();
            let mut t = Taint::new();
            for (k, (_, v)) in vals.iter().enumerate() {
                if k == gap {
                    union_into(&mut t, base.map_or(&[][..], Vec::as_slice));
                }
                union_into(&mut t, v.map_or(&[][..], Vec::as_slice));
            }
            if gap == vals.len() {
                union_into(&mut t, base.map_or(&[][..], Vec::as_slice));
            }
            changed.push((path.to_string(), (!t.is_empty()).then_some(t)));
        }
        Delta { changed, shapes: self.fold_shapes(outcomes) }
    }

    /// The join of the outcomes' container shapes: for each variable whose shape some outcome
    /// changed, the join of its shape in every outcome (an outcome that did not change it has
    /// the current one); unknown in one outcome, or shapes that do not join: unknown.
    fn fold_shapes(&mut self, outcomes: &[Delta]) -> Vec<(String, Option<Shape>)> {
        let mut order: Vec<&str> = Vec::new();
        for o in outcomes {
            for (var, _) in &o.shapes {
                if !order.contains(&var.as_str()) {
                    order.push(var.as_str());
                }
            }
        }
        let mut out = Vec::with_capacity(order.len());
        for var in order {
            let mut acc: Option<Shape> = None;
            let mut known = true;
            for o in outcomes {
                self.work += 1;
                let s = match o.shapes.iter().find(|(v, _)| v == var) {
                    Some((_, s)) => s.as_ref(),
                    None => self.shapes.get(var),
                };
                let Some(s) = s else {
                    known = false;
                    break;
                };
                acc = match acc {
                    None => Some(s.clone()),
                    Some(a) => a.join(s),
                };
                if acc.is_none() {
                    known = false;
                    break;
                }
            }
            out.push((var.to_string(), acc.filter(|_| known)));
        }
        out
    }

    /// Opens a trail: from now on, every value written is kept (see [`Env::trail_join`]). Returns
    /// where it starts, for [`Env::trail_join`] and [`Env::end_trail`].
    pub(super) fn begin_trail(&mut self) -> usize {
        self.trailing += 1;
        self.trail.len()
    }

    /// Closes a trail; its values stay for the trails still open around it.
    pub(super) fn end_trail(&mut self) {
        self.trailing = self.trailing.saturating_sub(1);
        if self.trailing == 0 {
            self.trail.clear();
        }
    }

    /// As a delta from the current state: each path written since the trail's `start` holds
    /// what it holds now joined with every value written to it since (the state wherever an
    /// exception may have left the trail's code, when the current state is where it began).
    pub(super) fn trail_join(&mut self, start: usize) -> Delta {
        let mut at: HashMap<&str, usize> = HashMap::default();
        let mut changed: Vec<(String, Option<Taint>)> = Vec::new();
        for (path, t) in self.trail.get(start..).unwrap_or(&[]) {
            self.work += 1;
            let i = *at.entry(path.as_str()).or_insert_with(|| {
                changed.push((path.clone(), self.vars.get(path).cloned()));
                changed.len() - 1
            });
            if let (Some(t), Some(slot)) = (t, changed.get_mut(i)) {
                union_into(slot.1.get_or_insert_with(Taint::new), t);
            }
        }
        // The containers written to: their content is no longer known by key.
        let mut shapes: Vec<(String, Option<Shape>)> = Vec::new();
        for (path, _) in &changed {
            let root = path.split(['.', '[']).next().unwrap_or(path);
            if self.shapes.contains_key(root) && !shapes.iter().any(|(v, _)| v == root) {
                shapes.push((root.to_string(), None));
            }
        }
        Delta { changed, shapes }
    }

    /// Whether the outcome holds the same as the current state (same origins and certainty
    /// for each path it changed).
    pub(super) fn same(&self, d: &Delta) -> bool {
        d.changed.iter().all(|(path, t)| same_taint(self.vars.get(path), t.as_ref()))
            && d.shapes.iter().all(|(var, s)| match (self.shapes.get(var), s) {
                (None, None) => true,
                (Some(a), Some(b)) => a.same(b),
                _ => false,
            })
    }
}

/// Whether two values hold the same origins with the same certainty.
pub(super) fn same_taint(a: Option<&Taint>, b: Option<&Taint>) -> bool {
    let (a, b) = (a.map_or(&[][..], Vec::as_slice), b.map_or(&[][..], Vec::as_slice));
    a.len() == b.len() && a.iter().all(|l| b.iter().any(|m| m.origin == l.origin && m.uncertain == l.uncertain && m.obj == l.obj))
}

fn is_compound(path: &str) -> bool {
    path.contains(['.', '['])
}

#[cfg(test)]
mod tests {
    use super::super::{Label, Origin};
    use super::*;

    fn taint(origins: &[u32]) -> Taint {
        origins.iter().map(|&o| Label { origin: Origin::Source(o), uncertain: false, trace: None, obj: Default::default() }).collect()
    }

    fn origins(env: &Env, path: &str) -> Vec<u32> {
        env.get(path).map_or(Vec::new(), |t| t.iter().map(|l| if let Origin::Source(o) = l.origin { o } else { u32::MAX }).collect())
    }

    /// `x` tainted on entry, then an `if` whose branches are given as changes: the state after
    /// the join, computed the old way (a copy per branch, whole copies joined) and the new way.
    /// A branch's changes: (path, sources it now holds, or none: cleaned).
    type Branch<'a> = &'a [(&'a str, Option<&'a [u32]>)];
    /// Each path and the sources it holds, sorted.
    type State = Vec<(String, Vec<u32>)>;

    fn join_both_ways(branches: &[Branch<'_>], with_else: bool) -> (Env, State) {
        let mut env = Env::default();
        env.set("x", taint(&[1]));
        env.set("y", taint(&[2]));
        // The old way: each branch a copy of the entry; unions of whole maps, in order.
        let entry: Vars = env.vars().clone();
        let mut old: Option<Vars> = None;
        let mut copies: Vec<Vars> = Vec::new();
        for b in branches {
            let mut copy = entry.clone();
            for (p, t) in b.iter() {
                match t {
                    Some(t) => copy.insert(p.to_string(), taint(t)),
                    None => copy.remove(*p),
                };
            }
            copies.push(copy);
        }
        if !with_else {
            copies.push(entry.clone());
        }
        for c in copies {
            old = Some(match old {
                None => c,
                Some(mut o) => {
                    for (k, v) in &c {
                        union_into(o.entry(k.clone()).or_default(), v);
                    }
                    o
                }
            });
        }
        // The new way: changes in place, undone, joined as deltas.
        let m = env.mark();
        let mut outcomes = Vec::new();
        for b in branches {
            for (p, t) in b.iter() {
                match t {
                    Some(t) => env.set(p, taint(t)),
                    None => env.set(p, Taint::new()),
                }
            }
            outcomes.push(env.delta(&m));
            env.undo_to(&m);
        }
        if !with_else {
            outcomes.push(env.delta(&m));
        }
        env.join(m, &outcomes);
        let mut want: Vec<(String, Vec<u32>)> = old
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.iter().map(|l| if let Origin::Source(o) = l.origin { o } else { u32::MAX }).collect()))
            .collect();
        want.sort();
        (env, want)
    }

    fn state(env: &Env) -> State {
        let mut got: Vec<(String, Vec<u32>)> = env.vars().keys().map(|k| (k.clone(), origins(env, k))).collect();
        got.sort();
        got
    }

    #[test]
    fn joins_keep_what_is_tainted_after_either_branch() {
        // Tainted in one branch only (no `else`): tainted after.
        let (env, want) = join_both_ways(&[&[("z", Some(&[3]))]], false);
        assert_eq!(state(&env), want);
        assert_eq!(origins(&env, "z"), vec![3]);
        // Cleaned in one branch only: still tainted after.
        let (env, want) = join_both_ways(&[&[("x", None)]], false);
        assert_eq!(state(&env), want);
        assert_eq!(origins(&env, "x"), vec![1]);
        // Cleaned in both branches: clean after; the untouched `y` keeps its taint.
        let (env, want) = join_both_ways(&[&[("x", None)], &[("x", None)]], true);
        assert_eq!(state(&env), want);
        assert!(env.get("x").is_none());
        assert_eq!(origins(&env, "y"), vec![2]);
        // Different sources on each path: the union, in branch order.
        let (env, want) = join_both_ways(&[&[("x", Some(&[4]))], &[("y", Some(&[5])), ("x", Some(&[6]))]], false);
        assert_eq!(state(&env), want);
        assert_eq!(origins(&env, "x"), vec![4, 6, 1]);
        assert_eq!(origins(&env, "y"), vec![2, 5]);
    }

    #[test]
    fn undo_restores_paths_and_their_parts() {
        let mut env = Env::default();
        env.set("d[\"k\"]", taint(&[1]));
        env.set("d.a", taint(&[2]));
        env.set("dd", taint(&[3]));
        let m = env.mark();
        // A strong update of `d` removes what is under it, not `dd`.
        env.set("d", taint(&[4]));
        assert_eq!(state(&env), vec![("d".into(), vec![4]), ("dd".into(), vec![3])]);
        env.undo_to(&m);
        env.release(m);
        assert_eq!(state(&env), vec![("d.a".into(), vec![2]), ("d[\"k\"]".into(), vec![1]), ("dd".into(), vec![3])]);
        // After the undo, the parts are known again to a later strong update.
        env.set("d", Taint::new());
        assert_eq!(state(&env), vec![("dd".into(), vec![3])]);
    }

    #[test]
    fn no_outcome_is_a_dead_state_holding_nothing() {
        let mut env = Env::default();
        env.set("x", taint(&[1]));
        let m = env.mark();
        env.dead = true;
        env.join(m, &[]);
        assert!(env.dead && env.vars().is_empty());
    }

    #[test]
    fn work_is_linear_in_the_changes_not_the_state() {
        let mut env = Env::default();
        for i in 0..1000 {
            env.set(&format!("v{i}"), taint(&[1]));
        }
        env.take_work();
        let m = env.mark();
        env.set("v0", Taint::new());
        let d = env.delta(&m);
        env.join(m, &[d, Delta::default()]);
        assert!(env.take_work() < 20, "a branch changing one path costs a few units, whatever the state's size");
        assert_eq!(origins(&env, "v0"), vec![1]);
    }
}
