//! Combining pattern matches with Semgrep's operators (`patterns`, `pattern-either`,
//! `pattern-not`, `pattern-inside`, `metavariable-*`, `focus-metavariable`).

use crate::syntax::ast::Span;
use std::cell::Cell;
use crate::matching::explain;
use crate::matching::matcher::{Bindings, Match, Matcher};
use crate::rules::{Clause, Formula, MAX_CONSTANT_HOPS};

/// Re-matches pattern `id` at the node with exactly `span`, seeded with bindings (see
/// `Matcher::rematch`).
pub type Rematch<'s, 'p> = dyn Fn(usize, Span, &Bindings<'p>) -> Option<Bindings<'p>> + 's;

/// The range of the constant value of the name at exactly `span`, when it is a name bound once
/// to a constant (see `Matcher::constant_value_at`).
pub type ConstantOf<'s> = dyn Fn(Span) -> Option<Span> + 's;

/// The type of the expression at exactly `span`, when known (see `Matcher::type_at`).
pub type TypeOf<'s> = dyn Fn(Span) -> Option<String> + 's;

/// Evaluates rule formulas over the matches of their patterns in one file.
pub struct Evaluator<'s, 'p> {
    pub src: &'s str,
    /// Matches of every compiled pattern, by pattern id.
    pub leaves: &'s [Vec<Match<'p>>],
    /// Re-matches a pattern at a node with seed bindings (see `Matcher::rematch`).
    pub rematch: Option<&'s Rematch<'s, 'p>>,
    /// Finds the constant value of a bound name, for `constant-value-propagation` regexes.
    pub constant: Option<&'s ConstantOf<'s>>,
    /// Set when a `pattern-regex` had more than [`MAX_REGEX_MATCHES`] matches (the rest were
    /// dropped: the file's result must say so).
    pub truncated: &'s std::cell::Cell<bool>,
    /// The work spent, against each rule's budget.
    pub work: &'s Work,
    /// The type of bound code, for `metavariable-type`.
    pub type_of: Option<&'s TypeOf<'s>>,
    /// The compiled patterns, to read a pattern against a bound identifier's text.
    pub patterns: &'p [crate::rules::pattern::Pattern],
}

/// The evaluator's work in the matcher's units (one per match, pair or group looked at),
/// against a budget per rule and file (the matcher's, [`work_budget`]): a formula whose
/// combinations grow faster than the file (`patterns: [$X, $Y]` pairs every expression with
/// every one around it) stops there, and the rule says so, instead of running for minutes.
///
/// [`work_budget`]: crate::matching::matcher::work_budget
pub struct Work {
    spent: Cell<u64>,
    /// Spent on the rule being evaluated.
    rule: Cell<u64>,
    limit: u64,
    /// Intermediate results (pairs and combined matches) the rule being evaluated has built,
    /// and how many it may build: the budget bounds time, this bounds memory (a join of deep
    /// `$X + $Y` matches built 3.5 GB of pairs within its time budget).
    held: Cell<u64>,
    max_held: u64,
    /// Has the rule being evaluated run out? (Its matches are then incomplete.)
    cut: Cell<bool>,
}

impl Work {
    /// No work spent yet; each rule may spend `limit`.
    pub fn new(limit: u64) -> Work {
        Work::with_memory(limit, MAX_HELD)
    }

    /// As [`Work::new`], with each rule building at most `max_held` intermediate results.
    pub fn with_memory(limit: u64, max_held: u64) -> Work {
        Work { spent: Cell::new(0), rule: Cell::new(0), limit, held: Cell::new(0), max_held, cut: Cell::new(false) }
    }

    /// Starts a rule: its own budget, not cut.
    pub fn begin_rule(&self) {
        self.rule.set(0);
        self.held.set(0);
        self.cut.set(false);
    }

    /// Counts one intermediate result built for the rule; false (and the rule is cut, as when
    /// its budget is spent) once it has built more than it may hold.
    pub fn hold(&self) -> bool {
        self.held.set(self.held.get() + 1);
        if self.held.get() > self.max_held {
            self.cut.set(true);
        }
        !self.cut.get()
    }

    /// Charges `n` units to the rule; false once its budget is spent (then every later charge
    /// for the rule fails too, and the evaluation stops).
    pub fn charge(&self, n: usize) -> bool {
        if self.cut.get() {
            return false;
        }
        let n = n as u64;
        self.spent.set(self.spent.get().saturating_add(n));
        self.rule.set(self.rule.get().saturating_add(n));
        if self.rule.get() > self.limit {
            self.cut.set(true);
        }
        !self.cut.get()
    }

    /// Did the rule being evaluated run out of its budget?
    pub fn cut(&self) -> bool {
        self.cut.get()
    }

    /// All the work spent.
    pub fn spent(&self) -> u64 {
        self.spent.get()
    }
}

/// Most intermediate results (pairs, combined matches) one rule builds in one file: about
/// some tens of MB at most, far above what the built-in rules build on real code.
pub const MAX_HELD: u64 = 1 << 18;

/// Most matches one `pattern-regex` contributes in one file.
pub const MAX_REGEX_MATCHES: usize = 100_000;

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
    /// Does a `metavariable-regex` accept the code at `span`? With `constants`, also when the
    /// code is a name bound once to a constant that the regex accepts (through a few names).
    fn regex_accepts(&self, regex: &crate::rules::pattern::MvRegex, span: Span, constants: bool) -> bool {
        let mut span = span;
        for _ in 0..=MAX_CONSTANT_HOPS {
            let text = self.src.get(span.start as usize..span.end as usize).unwrap_or("");
            if regex.matches(text) {
                return true;
            }
            // Only a name has a constant value: other code is not looked up.
            let is_name = !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_');
            match self.constant.filter(|_| constants && is_name).and_then(|c| c(span)) {
                Some(value) if value != span => span = value,
                _ => return false,
            }
        }
        false
    }

    /// The matches of formula `f`, without exact duplicates.
    pub fn eval(&self, f: &'p Formula) -> Vec<Match<'p>> {
        // "Explain a match" (the rule workshop): off, this is one flag read.
        if !explain::on() {
            return self.eval_formula(f);
        }
        explain::enter(true);
        let out = self.eval_formula(f);
        if explain::enter(false) == 1 {
            explain::matches(self.src, &out);
        }
        out
    }

    fn eval_formula(&self, f: &'p Formula) -> Vec<Match<'p>> {
        if !self.work.charge(1) {
            return Vec::new();
        }
        let mut out = match f {
            Formula::Pattern(id) => self.leaves.get(*id).cloned().unwrap_or_default(),
            Formula::Regex(re) => {
                let mut ms: Vec<Match<'p>> = re
                    .find_ranges(self.src)
                    .filter(|(start, end)| end > start)
                    .map(|(start, end)| Match::at(Span::new(start as u32, end as u32)))
                    .take(MAX_REGEX_MATCHES + 1)
                    .collect();
                if ms.len() > MAX_REGEX_MATCHES {
                    ms.truncate(MAX_REGEX_MATCHES);
                    self.truncated.set(true);
                }
                ms
            }
            Formula::Either(fs) => fs.iter().flat_map(|f| self.eval(f)).collect(),
            Formula::And(clauses) => self.eval_and(clauses),
        };
        if !self.work.charge(out.len()) {
            return Vec::new();
        }
        dedup(&mut out);
        out
    }

    /// `pattern-inside` without a `focus-metavariable` after it: each match combined with one
    /// enclosing match per distinct text of the enclosing bindings. Consistency and every later
    /// clause read bindings as code text, so enclosing matches that bind the same text give the
    /// same combinations; taking one of each keeps a file of many `$APP = Flask(...)` / `...`
    /// blocks (each enclosing the rest of the module) linear instead of quadratic.
    fn inside_by_text(&self, current: Vec<Match<'p>>, outer: &[Match<'p>]) -> Vec<Match<'p>> {
        let groups = TextGroups::new(self.src, outer);
        let mut out = Vec::new();
        for m in &current {
            if !self.work.charge(groups.groups.len()) {
                return Vec::new();
            }
            for g in &groups.groups {
                if let Some(j) = g.enclosing(m.span) {
                    if !self.work.hold() {
                        return Vec::new();
                    }
                    out.extend(self.inside_one(m, &outer[j]));
                }
            }
        }
        out
    }

    /// Match `m` combined with the enclosing match `o`, when their bindings agree.
    fn inside_one(&self, m: &Match<'p>, o: &Match<'p>) -> Option<Match<'p>> {
        if consistent(self.src, &m.bindings, &o.bindings) {
            return Some(Match { span: m.span, bindings: merge(&m.bindings, &o.bindings), pattern: None });
        }
        // The first match took other candidates at a choice point (`f(..., $V, ...)`); retry
        // seeded with the enclosing bindings.
        let (Some(pid), Some(rematch)) = (m.pattern, self.rematch) else { return None };
        rematch(pid, m.span, &o.bindings).map(|b| Match { span: m.span, bindings: merge(&b, &o.bindings), pattern: None })
    }

    fn eval_and(&self, clauses: &'p [Clause]) -> Vec<Match<'p>> {
        // Positive terms: the first one seeds, later ones must match the same range.
        let mut current: Option<Vec<Match<'p>>> = None;
        // A `patterns` of `pattern-inside`s alone intersects them, as positive terms.
        let only_insides = !clauses.iter().any(|c| matches!(c, Clause::Pos(_)))
            && clauses.iter().filter(|c| matches!(c, Clause::Inside(_))).count() > 1;
        for c in clauses {
            let positive = match c {
                Clause::Pos(f) => Some(f),
                Clause::Inside(f) if only_insides => Some(f),
                _ => None,
            };
            if let Some(f) = positive {
                let ms = self.eval(f);
                let traced = explain::before(self.src, current.as_deref().unwrap_or(&ms));
                let total = current.as_ref().map_or(ms.len(), Vec::len);
                current = Some(match current {
                    None => ms,
                    // Semgrep intersects positive terms by range inclusion: the narrower
                    // range is the one reported.
                    Some(cur) => in_pair_order(self.work, nested_pairs(&cur, &ms, self.work).filter_map(|(i, j)| {
                        let (m, o) = (&cur[i], &ms[j]);
                        consistent(self.src, &m.bindings, &o.bindings).then(|| {
                            let span = if o.span.contains(m.span) { m.span } else { o.span };
                            ((i, j), Match { span, bindings: merge(&m.bindings, &o.bindings), pattern: None })
                        })
                    })),
                });
                explain::step(|| explain::operator(c), traced, total, current.as_deref().unwrap_or(&[]), self.src);
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
                if only_insides {
                    continue;
                }
                if inside_used_as_positive && !first_inside_skipped {
                    first_inside_skipped = true;
                    continue;
                }
                let outer = self.eval(f);
                let (traced, total) = (explain::before(self.src, &current), current.len());
                if !clauses.iter().any(|c| matches!(c, Clause::Focus(_))) {
                    current = self.inside_by_text(current, &outer);
                    dedup(&mut current);
                    explain::step(|| explain::operator(c), traced, total, &current, self.src);
                    continue;
                }
                // Every enclosing match gives one combination: later clauses (regexes,
                // `pattern-not`) may accept only some of them.
                current = in_pair_order(
                    self.work,
                    inside_pairs(&current, &outer, self.work).filter_map(|(i, j)| self.inside_one(&current[i], &outer[j]).map(|m| ((i, j), m))),
                );
                dedup(&mut current);
                explain::step(|| explain::operator(c), traced, total, &current, self.src);
            }
        }
        for c in clauses {
            if current.is_empty() {
                return current;
            }
            let metavar = matches!(c, Clause::MetavarRegex { .. } | Clause::MetavarComparison(_) | Clause::MetavarPattern { .. });
            let (traced, total) = if metavar { (explain::before(self.src, &current), current.len()) } else { (None, 0) };
            match c {
                Clause::MetavarRegex { mv, regex, constants } => {
                    current.retain(|m| {
                        m.bindings.iter().find(|(n, _)| n == mv).is_some_and(|(_, s)| self.regex_accepts(regex, *s, *constants))
                    });
                }
                Clause::MetavarComparison(cmp) => {
                    let src = self.src;
                    current.retain(|m| {
                        cmp.holds(|mv| m.bindings.iter().find(|(n, _)| *n == mv).and_then(|(_, s)| src.get(s.start as usize..s.end as usize)))
                    });
                }
                // Only `pattern-not`s: the bound code itself is the positive term.
                Clause::MetavarPattern { mv, formula: Formula::And(cs) } if only_negative(cs) => {
                    let nots: Vec<(bool, Vec<Match<'p>>)> = cs
                        .iter()
                        .filter_map(|c| match c {
                            Clause::Not(f) => Some((matches!(f, Formula::Regex(_)), self.eval(f))),
                            _ => None,
                        })
                        .collect();
                    current.retain(|m| {
                        let Some((_, bound)) = m.bindings.iter().find(|(n, _)| n == mv) else { return false };
                        let text = self.src.get(bound.start as usize..bound.end as usize).unwrap_or("");
                        !nots.iter().any(|(regex, bad)| {
                            bad.iter().any(|o| if *regex { bound.contains(o.span) } else { o.span == *bound })
                                || is_identifier(text) && cs.iter().any(|c| matches!(c, Clause::Not(f) if self.text_matches(f, text)))
                        })
                    });
                }
                Clause::MetavarPattern { mv, formula } => {
                    let inner = self.eval(formula);
                    let index = ByStart::new(&inner);
                    current = current
                        .into_iter()
                        .filter_map(|m| {
                            let (_, bound) = m.bindings.iter().find(|(n, _)| n == mv)?;
                            // The first (in `inner`'s order) consistent match inside the bound code.
                            let o = index
                                .within(*bound)
                                .take_while(|_| self.work.charge(1))
                                .filter(|&j| consistent(self.src, &m.bindings, &inner[j].bindings))
                                .min()
                                .map(|j| &inner[j]);
                            match o {
                                Some(o) => Some(Match { span: m.span, bindings: merge(&m.bindings, &o.bindings), pattern: None }),
                                // An identifier (an attribute's or a function's name) is no
                                // expression of the tree: its text is read against the formula.
                                None => {
                                    let text = self.src.get(bound.start as usize..bound.end as usize).unwrap_or("");
                                    (is_identifier(text) && self.text_matches(formula, text)).then_some(m)
                                }
                            }
                        })
                        .collect();
                }
                Clause::MetavarAnalysis { mv, analyzer } => {
                    let src = self.src;
                    current.retain(|m| {
                        m.bindings.iter().find(|(n, _)| n == mv).is_some_and(|(_, s)| analyzer.accepts(src.get(s.start as usize..s.end as usize).unwrap_or("")))
                    });
                }
                Clause::MetavarType { mv, types } => {
                    current.retain(|m| {
                        let Some((_, s)) = m.bindings.iter().find(|(n, _)| n == mv) else { return false };
                        let Some(t) = self.type_of.and_then(|f| f(*s)) else { return false };
                        types.iter().any(|want| crate::matching::semgrep_ext::type_is(&t, want))
                    });
                }
                _ => {}
            }
            explain::step(|| explain::operator(c), traced, total, &current, self.src);
        }
        for c in clauses {
            if current.is_empty() {
                return current;
            }
            let negative = matches!(c, Clause::Not(_) | Clause::NotInside(_));
            let (traced, total) = if negative { (explain::before(self.src, &current), current.len()) } else { (None, 0) };
            match c {
                // `pattern-not-regex` drops a match when the regex matches inside its range
                // (as Semgrep's difference of ranges has it), not only at exactly its range.
                Clause::Not(f @ Formula::Regex(_)) => {
                    let bad = self.eval(f);
                    let index = ByStart::new(&bad);
                    current.retain(|m| self.work.charge(1) && index.within(m.span).next().is_none());
                }
                Clause::Not(f) => {
                    let bad = self.eval(f);
                    let mut by_span: rustc_hash::FxHashMap<Span, Vec<usize>> = Default::default();
                    for (j, o) in bad.iter().enumerate() {
                        by_span.entry(o.span).or_default().push(j);
                    }
                    current.retain(|m| {
                        !by_span.get(&m.span).is_some_and(|js| {
                            self.work.charge(js.len()) && js.iter().any(|&j| consistent(self.src, &m.bindings, &bad[j].bindings))
                        })
                    });
                }
                Clause::NotInside(f) => {
                    let bad = self.eval(f);
                    let mut dropped = vec![false; current.len()];
                    for (i, j) in inside_pairs(&current, &bad, self.work) {
                        if !dropped[i] && consistent(self.src, &current[i].bindings, &bad[j].bindings) {
                            dropped[i] = true;
                        }
                    }
                    let mut k = 0;
                    current.retain(|_| {
                        k += 1;
                        !dropped[k - 1]
                    });
                }
                _ => {}
            }
            explain::step(|| explain::operator(c), traced, total, &current, self.src);
        }
        // `focus-metavariable: [$A, $B]` focuses on each in turn (a match for each, their
        // union); several `focus-metavariable` clauses intersect (the match is where all of
        // them are, the narrowest, when the ranges nest).
        let mut focused = false;
        for c in clauses {
            if let Clause::Focus(mvs) = c {
                let (traced, total) = (explain::before(self.src, &current), current.len());
                let mut next = Vec::new();
                for m in current {
                    for mv in mvs {
                        let Some((_, s)) = m.bindings.iter().find(|(n, _)| n == mv) else { continue };
                        // A later focus keeps the overlap with the earlier one.
                        let span = if !focused || m.span.contains(*s) {
                            *s
                        } else if s.contains(m.span) {
                            m.span
                        } else {
                            continue;
                        };
                        next.push(Match { span, bindings: m.bindings.clone(), pattern: None });
                    }
                }
                current = next;
                focused = true;
                explain::focusing(true);
                explain::step(|| explain::operator(c), traced, total, &current, self.src);
                explain::focusing(false);
            }
        }
        if self.work.cut() {
            return Vec::new();
        }
        dedup(&mut current);
        current
    }
}

/// Is `cs` a conjunction of negative terms only (`pattern-not`, `pattern-not-regex`)?
fn only_negative(cs: &[Clause]) -> bool {
    !cs.is_empty() && cs.iter().all(|c| matches!(c, Clause::Not(_)))
}

/// Is `text` one identifier?
fn is_identifier(text: &str) -> bool {
    text.starts_with(|c: char| c.is_alphabetic() || c == '_') && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}

impl<'p> Evaluator<'_, 'p> {
    /// Does formula `f` match the identifier `text` on its own (a `metavariable-pattern` on a
    /// name that is no expression: `hashes.$SHA(...)` with `SHA1`)? A pattern matches when it is
    /// that name, a metavariable, or `...`; a regex when it matches the text.
    fn text_matches(&self, f: &Formula, text: &str) -> bool {
        use crate::syntax::ast::ExprKind;
        match f {
            Formula::Pattern(id) => match self.patterns.get(*id).and_then(|p| p.expr()).map(|e| &e.kind) {
                Some(ExprKind::Name(n)) => crate::rules::pattern::mv_name(n).is_some() || n.as_str() == text,
                Some(ExprKind::Ellipsis) => true,
                _ => false,
            },
            Formula::Regex(re) => re.find_ranges(text).next().is_some(),
            Formula::Either(fs) => fs.iter().any(|f| self.text_matches(f, text)),
            Formula::And(cs) => {
                let mut any_pos = false;
                for c in cs {
                    match c {
                        Clause::Pos(f) | Clause::Inside(f) => {
                            any_pos = true;
                            if !self.text_matches(f, text) {
                                return false;
                            }
                        }
                        Clause::Not(f) | Clause::NotInside(f) if self.text_matches(f, text) => return false,
                        _ => {}
                    }
                }
                any_pos || only_negative(cs)
            }
        }
    }
}

/// Enclosing matches grouped by the code text of their bindings, each group indexed to tell
/// whether one of its matches encloses a range, and which.
struct TextGroups {
    groups: Vec<TextGroup>,
}

struct TextGroup {
    /// (start, end, index), sorted by start.
    spans: Vec<(u32, u32, usize)>,
    /// `widest[k]`: the position in `spans[..=k]` of the match that ends last.
    widest: Vec<usize>,
}

impl TextGroups {
    fn new(src: &str, ms: &[Match<'_>]) -> TextGroups {
        let mut by_key: rustc_hash::FxHashMap<Vec<(&str, &str)>, usize> = Default::default();
        let mut groups: Vec<TextGroup> = Vec::new();
        for (j, m) in ms.iter().enumerate() {
            let mut key: Vec<(&str, &str)> =
                m.bindings.iter().map(|(n, s)| (*n, src.get(s.start as usize..s.end as usize).unwrap_or(""))).collect();
            key.sort_unstable();
            let g = *by_key.entry(key).or_insert_with(|| {
                groups.push(TextGroup { spans: Vec::new(), widest: Vec::new() });
                groups.len() - 1
            });
            groups[g].spans.push((m.span.start, m.span.end, j));
        }
        for g in &mut groups {
            g.spans.sort_unstable();
            let mut best = 0;
            g.widest = (0..g.spans.len())
                .map(|k| {
                    if g.spans[k].1 > g.spans[best].1 {
                        best = k;
                    }
                    best
                })
                .collect();
        }
        TextGroups { groups }
    }
}

impl TextGroup {
    /// The index of a match of this group that encloses `span`, if any.
    fn enclosing(&self, span: Span) -> Option<usize> {
        let k = self.spans.partition_point(|s| s.0 <= span.start).checked_sub(1)?;
        let w = self.spans[self.widest[k]];
        (w.1 >= span.end).then_some(w.2)
    }
}

/// Matches in order of their start (the longer first), to find the ones inside a range by
/// binary search instead of a pass over all of them.
struct ByStart {
    /// (start, end, index in the matches), sorted.
    spans: Vec<(u32, std::cmp::Reverse<u32>, usize)>,
}

impl ByStart {
    fn new(ms: &[Match<'_>]) -> ByStart {
        let mut spans: Vec<_> = ms.iter().enumerate().map(|(i, m)| (m.span.start, std::cmp::Reverse(m.span.end), i)).collect();
        spans.sort_unstable();
        ByStart { spans }
    }

    /// Indices of the matches whose range lies inside `outer`.
    fn within(&self, outer: Span) -> impl Iterator<Item = usize> + '_ {
        let from = self.spans.partition_point(|s| s.0 < outer.start);
        self.spans[from..].iter().take_while(move |s| s.0 <= outer.end).filter(move |s| s.1 .0 <= outer.end).map(|s| s.2)
    }
}

/// The pairs `(i, j)` where `a[i]` and `b[j]` nest (either inside the other), in no order.
/// Found from each side's ranges (matches of code nest or are disjoint, so the work follows
/// the number of pairs, not the product of the lengths).
/// Each pair looked at is charged to `work`; the pairs stop when it runs out.
fn nested_pairs<'v>(a: &'v [Match<'_>], b: &'v [Match<'_>], work: &'v Work) -> impl Iterator<Item = (usize, usize)> + 'v {
    let (ia, ib) = (ByStart::new(a), ByStart::new(b));
    let a_in_b: Vec<(usize, usize)> = b
        .iter()
        .enumerate()
        // Equal ranges are paired from `a`'s side below.
        .flat_map(|(j, o)| ia.within(o.span).filter(move |&i| a[i].span != o.span).map(move |i| (i, j)))
        .take_while(|_| work.charge(1) && work.hold())
        .collect();
    a.iter()
        .enumerate()
        .flat_map(move |(i, m)| ib.within(m.span).map(move |j| (i, j)).collect::<Vec<_>>())
        .take_while(move |_| work.charge(1))
        .chain(a_in_b)
}

/// The pairs `(i, j)` where `inner[i]` lies inside `outer[j]`, in no order. Each pair looked
/// at is charged to `work`; the pairs stop when it runs out.
fn inside_pairs<'v>(inner: &'v [Match<'_>], outer: &'v [Match<'_>], work: &'v Work) -> impl Iterator<Item = (usize, usize)> + 'v {
    let ii = ByStart::new(inner);
    outer
        .iter()
        .enumerate()
        .flat_map(move |(j, o)| ii.within(o.span).map(move |i| (i, j)).collect::<Vec<_>>())
        .take_while(move |_| work.charge(1))
}

/// The matches in the order a loop over the first list, then the second, would give them
/// (the order decides which bindings a finding's message shows).
/// Each match is held against `work` ([`Work::hold`]); none are when it runs out.
fn in_pair_order<'p>(work: &Work, found: impl Iterator<Item = ((usize, usize), Match<'p>)>) -> Vec<Match<'p>> {
    let mut v: Vec<((usize, usize), Match<'p>)> = found.take_while(|_| work.hold()).collect();
    if work.cut() {
        return Vec::new();
    }
    v.sort_by_key(|(k, _)| *k);
    v.into_iter().map(|(_, m)| m).collect()
}

/// Drops exact duplicates; matches of one range with different bindings or from different
/// patterns are kept, since a later clause may accept only one of them.
fn dedup(ms: &mut Vec<Match<'_>>) {
    ms.sort_by_key(|m| (m.span.start, m.span.end, m.pattern));
    ms.dedup_by(|a, b| a.span == b.span && a.pattern == b.pattern && a.bindings == b.bindings);
}

/// One match per start: what a rule reports. Of the matches that start at one place (the ends
/// of a `...` sequence, a call and the chain around it), the widest, which holds the others
/// (Semgrep reports no match inside another of the same rule).
pub fn dedup_ranges(ms: &mut Vec<Match<'_>>) {
    ms.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    ms.dedup_by(|a, b| a.span.start == b.span.start);
}
