//! The prefilter's plan for a rule set, and its answers for one file: which rules can match
//! in the file at all (their *gates*: words every match needs), and which patterns the matcher
//! must try (marked through each rule's formula). Everything here only saves work: with the
//! prefilter off (`Engine::set_prefilter(false)`) every fixture gives the same findings
//! (tests/prefilter.rs).

use std::cell::Cell;

use crate::rules::pattern::MvRegex;
use crate::rules::{Check, Clause, Formula, RuleSet};

use super::{pattern_needs, Literals, Needs, Presence};

/// What the prefilter knows about a rule set, built once when the rules change.
#[derive(Debug, Default)]
pub struct Prefilter {
    /// Every literal the prefilter looks for.
    pub literals: Literals,
    /// By pattern id: the words the pattern needs.
    needs: Vec<Needs>,
    /// By rule: words every match of the rule needs (for a taint rule: a source's and a
    /// sink's). A file without them skips the rule before any formula is looked at.
    gates: Vec<Needs>,
    /// All `pattern-regex`es as one alternation: one search tells whether any can match.
    regex_union: Option<regex::Regex>,
}

/// The lazy DFA cache of the `pattern-regex` union, per thread (the `regex` crate's default is
/// 2 MiB).
const UNION_DFA_CACHE: usize = 32 << 20;

impl Prefilter {
    /// The prefilter of a rule set: each pattern's words, each rule's gate, the literals of
    /// `metavariable-regex` prefixes and the union of every `pattern-regex`.
    pub fn build(rules: &RuleSet) -> Prefilter {
        let mut literals = Literals::default();
        let needs: Vec<Needs> = rules.patterns.iter().map(|p| pattern_needs(p, &mut literals)).collect();
        let mut regexes = Vec::new();
        for f in rules.rules.iter().flat_map(|r| r.check.formulas()) {
            walk_formula(
                f,
                &mut |f| {
                    if let Formula::Regex(re) = f {
                        regexes.push(re.as_str());
                    }
                },
                &mut |c| {
                    if let Clause::MetavarRegex { regex, .. } = c {
                        for w in regex.words.iter().flatten() {
                            literals.intern(w, true);
                        }
                        for p in regex.prefixes.iter().flatten() {
                            literals.intern(p, false);
                        }
                    }
                },
            );
        }
        literals.build();
        let gates = rules.rules.iter().map(|r| rule_gate(&r.check, &needs)).collect();
        // Too big to compile, or a regex this cannot read: no shortcut, every `pattern-regex`
        // runs.
        let union: Option<Vec<String>> = regexes.iter().map(|r| without_word_boundaries(r).map(|r| format!("(?:{r})"))).collect();
        // The union's lazy DFA has many states: with the default cache it kept clearing and
        // rebuilding them on files where nothing matches (each is scanned whole).
        let regex_union = union
            .filter(|u| !u.is_empty())
            .and_then(|u| regex::RegexBuilder::new(&u.join("|")).dfa_size_limit(UNION_DFA_CACHE).build().ok());
        Prefilter { literals, needs, gates, regex_union }
    }

    /// What the literals of a file say, once the parser adapter has reported its identifiers
    /// to `present`. With `enabled` false, everything counts as present.
    pub fn for_file<'e>(&'e self, src: &'e str, present: Presence<'e>, enabled: bool) -> Prefiltered<'e> {
        Prefiltered {
            literals: &self.literals,
            present,
            needs: &self.needs,
            gates: &self.gates,
            regex_union: self.regex_union.as_ref().filter(|_| enabled),
            src,
            regex_hit: Cell::new(None),
        }
    }
}

/// The regex `re` with its word-boundary assertions (`\b`, `\B`, `\<`...) taken out: it
/// matches wherever `re` does, and more. In the union of every `pattern-regex` they would make
/// the regex engine give up its DFA for the slow NFA simulation on any file with a non-ASCII
/// character (Unicode word boundaries), which cost 0.3 s on a 750 KB file.
fn without_word_boundaries(re: &str) -> Option<String> {
    use regex_syntax::hir::{Hir, Look};
    crate::rules::regex_facts::rewrite_looks(re, &|l| {
        (!matches!(l, Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF)).then(Hir::empty)
    })
}

/// What the prefilter found in one file.
pub struct Prefiltered<'e> {
    literals: &'e Literals,
    pub present: Presence<'e>,
    /// By pattern id: the words the pattern needs (looked up when the pattern is reached).
    needs: &'e [Needs],
    /// By rule: its gate (see [`Prefilter`]).
    gates: &'e [Needs],
    regex_union: Option<&'e regex::Regex>,
    src: &'e str,
    /// Does some `pattern-regex` match the file (looked up once, when first needed)?
    regex_hit: Cell<Option<bool>>,
}

impl<'e> Prefiltered<'e> {
    /// The gate of rule `index` (of the rule set the prefilter was built from): words every
    /// match of the rule needs.
    pub fn gate(&self, index: usize) -> &'e [u32] {
        self.gates.get(index).map_or(&[], Vec::as_slice)
    }

    fn any_regex_matches(&self) -> bool {
        if let Some(hit) = self.regex_hit.get() {
            return hit;
        }
        let hit = self.regex_union.is_none_or(|re| re.is_match(self.src));
        self.regex_hit.set(Some(hit));
        hit
    }

    /// Can a `metavariable-regex` accept any code of this file?
    fn possible_clause(&self, c: &Clause) -> bool {
        match c {
            Clause::MetavarRegex { regex: MvRegex { words: Some(ws), .. }, .. } => {
                ws.iter().any(|w| self.literals.id(w, true).is_none_or(|id| self.present.has(id)))
            }
            Clause::MetavarRegex { regex: MvRegex { prefixes: Some(lits), .. }, .. } => {
                lits.iter().any(|l| self.literals.id(l, false).is_none_or(|id| self.present.has(id)))
            }
            _ => true,
        }
    }

    /// Marks the patterns that can contribute to the formula's matches in this file, and
    /// returns whether the formula can match at all. Marks made under an impossible `patterns`
    /// are undone: such a conjunction produces nothing whatever its parts match.
    pub fn mark(&self, f: &Formula, marks: &mut Marks) -> bool {
        match f {
            Formula::Pattern(id) => {
                let ok = self.needs.get(*id).is_none_or(|n| self.present.satisfies(n));
                if ok {
                    marks.set(*id);
                }
                ok
            }
            Formula::Regex(_) => self.any_regex_matches(),
            Formula::Either(fs) => fs.iter().fold(false, |any, f| self.mark(f, marks) | any),
            Formula::And(cs) => {
                let start = marks.log.len();
                // Every positive term, `pattern-inside` and `metavariable-pattern` must match,
                // then every `metavariable-regex` must accept some code of the file (checked
                // last: it may search the text).
                let ok = cs.iter().all(|c| match c {
                    Clause::Pos(f) | Clause::Inside(f) => self.mark(f, marks),
                    Clause::MetavarPattern { formula, .. } => self.mark(formula, marks),
                    _ => true,
                }) && cs.iter().all(|c| self.possible_clause(c));
                if !ok {
                    marks.undo_to(start);
                    return false;
                }
                for c in cs {
                    if let Clause::Not(f) | Clause::NotInside(f) = c {
                        self.mark(f, marks);
                    }
                }
                true
            }
        }
    }
}

/// Which patterns the matcher must try, by pattern id, with a log to undo marks.
#[derive(Debug, Default)]
pub struct Marks {
    pub on: Vec<bool>,
    log: Vec<usize>,
}

impl Marks {
    pub fn new(patterns: usize) -> Marks {
        Marks { on: vec![false; patterns], log: Vec::new() }
    }

    fn set(&mut self, id: usize) {
        if let Some(a) = self.on.get_mut(id) {
            if !*a {
                *a = true;
                self.log.push(id);
            }
        }
    }

    fn undo_to(&mut self, start: usize) {
        for id in self.log.drain(start..) {
            if let Some(a) = self.on.get_mut(id) {
                *a = false;
            }
        }
    }
}

/// Words that every match of `f` needs: all of a pattern's, those common to every branch of a
/// `pattern-either`, and those of each part a `patterns` requires.
fn formula_needs(f: &Formula, needs: &[Needs]) -> Needs {
    match f {
        Formula::Pattern(id) => needs.get(*id).cloned().unwrap_or_default(),
        Formula::Regex(_) => Vec::new(),
        Formula::Either(fs) => common_needs(fs.iter().map(|f| formula_needs(f, needs))),
        Formula::And(cs) => {
            let mut out: Needs = cs
                .iter()
                .flat_map(|c| match c {
                    Clause::Pos(f) | Clause::Inside(f) | Clause::MetavarPattern { formula: f, .. } => formula_needs(f, needs),
                    _ => Vec::new(),
                })
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        }
    }
}

/// The words that every one of `sets` has (none when there are no sets).
fn common_needs(mut sets: impl Iterator<Item = Needs>) -> Needs {
    let Some(mut out) = sets.next() else { return Vec::new() };
    for s in sets {
        out.retain(|w| s.contains(w));
    }
    out
}

/// A rule's gate: the words it needs in a file to match there at all. A taint rule needs one
/// of its sources and one of its sinks.
fn rule_gate(check: &Check, needs: &[Needs]) -> Needs {
    match check {
        Check::Formula(f) => formula_needs(f, needs),
        Check::Native(_) => Vec::new(),
        Check::Taint(t) => {
            let mut out = common_needs(t.sources.iter().map(|s| formula_needs(&s.formula, needs)));
            out.extend(common_needs(t.sinks.iter().map(|f| formula_needs(f, needs))));
            out.sort_unstable();
            out.dedup();
            out
        }
    }
}

/// Calls `on_formula` on `f` and every formula nested in it, and `on_clause` on every clause.
pub(crate) fn walk_formula<'f>(f: &'f Formula, on_formula: &mut impl FnMut(&'f Formula), on_clause: &mut impl FnMut(&'f Clause)) {
    on_formula(f);
    match f {
        Formula::Pattern(_) | Formula::Regex(_) => {}
        Formula::Either(fs) => fs.iter().for_each(|f| walk_formula(f, on_formula, on_clause)),
        Formula::And(cs) => {
            for c in cs {
                on_clause(c);
                match c {
                    Clause::Pos(f) | Clause::Not(f) | Clause::Inside(f) | Clause::NotInside(f) => walk_formula(f, on_formula, on_clause),
                    Clause::MetavarPattern { formula, .. } => walk_formula(formula, on_formula, on_clause),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::without_word_boundaries;

    #[test]
    fn word_boundaries_are_taken_out_of_the_prefilter_regex_and_nothing_else() {
        let loose = |re: &str| regex::Regex::new(&without_word_boundaries(re).expect("readable")).expect("compiles");
        let re = loose(r"\bsk-[a-z]{4}\b");
        assert!(re.is_match("xsk-abcdx") && re.is_match("é sk-abcd é") && !re.is_match("sk-ab"));
        let re = loose(r"(?i)^\Bpostgres://");
        assert!(re.is_match("POSTGRES://h") && !re.is_match(" postgres://h"));
        // What `re` matches, the loose regex matches too.
        for (re, text) in [(r"\bAKIA[0-9A-Z]{16}\b", "k = 'AKIAABCDEFGHIJKLMNOP'"), (r"\<y\b", "a y.")] {
            assert!(regex::Regex::new(re).is_ok_and(|r| r.is_match(text)) && loose(re).is_match(text), "{re}");
        }
        assert_eq!(without_word_boundaries("(unclosed"), None);
    }
}
