//! pyward's analysis engine.
//!
//! Stages, each in its own module, data flowing one way:
//! 1. `parse` (the parser adapter, with the `prescan` depth guard) -> pyward's own `ast`
//! 2. `semantic`: scopes, imports, qualified names, single-assignment constants
//! 3. `matcher` + `eval` (pattern rules from `rules`) and `native` checks
//! 4. findings here, `suppress`ions, and `report` formats
//!
//! Nothing here panics on user input: every input, however broken, becomes findings and
//! errors.

pub mod checks;
pub mod findings;
pub mod matching;
pub mod prefilter;
pub mod rules;
pub mod semantic;
pub mod syntax;
pub mod taint;

pub use findings::report;
pub use findings::{FileError, FileResult, Finding, TraceStep};

use crate::checks::secret_entropy as native;
use crate::findings::message::interpolate;
use crate::findings::suppress;
use crate::matching::eval;
use crate::matching::matcher::{Match, Matcher, PatternIndex};
use crate::prefilter::{Literals, Needs};
use crate::rules::pattern::MvRegex;
use crate::rules::{Check, Clause, Formula, Rule, RuleError, RuleSet};
pub use crate::rules::{Confidence, RuleMeta, Severity};
use crate::syntax::ast::{Module, Span, Stmt};
use crate::syntax::parse;
use crate::syntax::source::{self, LineIndex};

/// Helpers shared by the unit tests of several modules.
#[cfg(test)]
pub(crate) mod testing {
    /// A small deterministic pseudo-random sequence (xorshift64) for generated inputs.
    pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }
}

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

pub use builtin::BUILTIN_RULE_FILES;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Files larger than this are refused with a clear error instead of being analysed.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Which rules run and which findings are kept.
#[derive(Clone, Debug)]
pub struct Options {
    pub min_severity: Severity,
    pub min_confidence: Confidence,
    /// Rule ids, families, Bandit ids or Ruff codes to run (empty: all).
    pub select: Vec<String>,
    /// Rule ids, families, Bandit ids or Ruff codes to skip.
    pub ignore: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_severity: Severity::Low, min_confidence: Confidence::Low, select: Vec::new(), ignore: Vec::new() }
    }
}

fn selector_matches(sel: &str, m: &RuleMeta) -> bool {
    sel == m.id || sel == m.family || m.bandit.iter().any(|b| b == sel) || m.ruff.iter().any(|r| r == sel)
}

impl Options {
    pub fn rule_enabled(&self, m: &RuleMeta) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| selector_matches(s, m)))
            && !self.ignore.iter().any(|s| selector_matches(s, m))
    }
}

pub struct Engine {
    rules: RuleSet,
    index: PatternIndex,
    /// Every literal the prefilter looks for, and each pattern's needs (see `prefilter.rs`).
    literals: Literals,
    needs: Vec<Needs>,
    /// By rule: words every match of the rule needs (for a taint rule: a source's and a
    /// sink's). A file without them skips the rule before any formula is looked at.
    gates: Vec<Needs>,
    /// All `pattern-regex`es as one alternation: one search tells whether any can match.
    regex_union: Option<regex::Regex>,
    /// False only in tests: every pattern and rule is tried in every file.
    prefilter: bool,
}

/// What the prefilter found in one file.
struct Prefiltered<'e> {
    literals: &'e Literals,
    present: prefilter::Presence<'e>,
    /// By pattern id: the words the pattern needs (looked up when the pattern is reached).
    needs: &'e [Needs],
    regex_union: Option<&'e regex::Regex>,
    src: &'e str,
    /// Does some `pattern-regex` match the file (looked up once, when first needed)?
    regex_hit: std::cell::Cell<Option<bool>>,
}

impl Prefiltered<'_> {
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
    /// returns whether the formula can match at all (as `possible`). Marks made under an
    /// impossible `patterns` are undone: such a conjunction produces nothing whatever its parts
    /// match. `log` lists the patterns this call switched on.
    fn mark(&self, f: &Formula, active: &mut [bool], log: &mut Vec<usize>) -> bool {
        match f {
            Formula::Pattern(id) => {
                let ok = self.needs.get(*id).is_none_or(|n| self.present.satisfies(n));
                if ok {
                    if let Some(a) = active.get_mut(*id) {
                        if !*a {
                            *a = true;
                            log.push(*id);
                        }
                    }
                }
                ok
            }
            Formula::Regex(_) => self.any_regex_matches(),
            Formula::Either(fs) => fs.iter().fold(false, |any, f| self.mark(f, active, log) | any),
            Formula::And(cs) => {
                let start = log.len();
                // Every positive term, `pattern-inside` and `metavariable-pattern` must match,
                // then every `metavariable-regex` must accept some code of the file (checked
                // last: it may search the text).
                let ok = cs.iter().all(|c| match c {
                    Clause::Pos(f) | Clause::Inside(f) => self.mark(f, active, log),
                    Clause::MetavarPattern { formula, .. } => self.mark(formula, active, log),
                    _ => true,
                }) && cs.iter().all(|c| self.possible_clause(c));
                if !ok {
                    for id in log.drain(start..) {
                        if let Some(a) = active.get_mut(id) {
                            *a = false;
                        }
                    }
                    return false;
                }
                for c in cs {
                    if let Clause::Not(f) | Clause::NotInside(f) = c {
                        self.mark(f, active, log);
                    }
                }
                true
            }
        }
    }
}

/// Does the formula narrow its matches with `focus-metavariable`?
fn has_focus(f: &Formula) -> bool {
    match f {
        Formula::Pattern(_) | Formula::Regex(_) => false,
        Formula::Either(fs) => fs.iter().any(has_focus),
        Formula::And(cs) => cs.iter().any(|c| matches!(c, Clause::Focus(_))),
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
fn walk_formula<'f>(f: &'f Formula, on_formula: &mut impl FnMut(&'f Formula), on_clause: &mut impl FnMut(&'f Clause)) {
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

/// The innermost statement containing `offset`, and whether it is a compound statement.
fn enclosing_stmt(body: &[Stmt], offset: u32, depth: u32) -> Option<(&Stmt, bool)> {
    if depth > 300 {
        return None;
    }
    let s = body.iter().find(|s| s.span.start <= offset && offset < s.span.end.max(s.span.start + 1))?;
    let mut inner = None;
    s.for_each_block(&mut |b| {
        if inner.is_none() {
            inner = enclosing_stmt(b, offset, depth + 1);
        }
    });
    let mut compound = false;
    s.for_each_block(&mut |_| compound = true);
    inner.or(Some((s, compound)))
}

impl Engine {
    /// The engine with the built-in rules embedded at build time.
    pub fn builtin() -> Result<Engine, RuleError> {
        let mut rs = RuleSet::with_lazy_regexes();
        // build.rs embeds the rule files as JSON: start-up (CLI and browser worker) measured 71.0M
        // -> 44.9M instructions natively (callgrind, one-line file), the YAML reader costing most;
        // in Node's V8 the engine wasm's first `new Analyzer()` 169-210 -> 104-152 ms (two runs each),
        // once warm 23.5 -> 16 ms.
        // The taint libraries first: rules include their source and sanitizer lists.
        let (libs, rules): (Vec<_>, Vec<_>) = BUILTIN_RULE_FILES.iter().partition(|(p, _)| p.starts_with("taint/"));
        for (path, text) in libs.into_iter().chain(rules) {
            rs.add_json(&format!("rules/{path}"), text)?;
        }
        Ok(Engine::from_rules(rs))
    }

    pub fn from_rules(rules: RuleSet) -> Engine {
        let mut e = Engine {
            rules,
            index: PatternIndex::default(),
            literals: Literals::default(),
            needs: Vec::new(),
            gates: Vec::new(),
            regex_union: None,
            prefilter: true,
        };
        e.rebuild();
        e
    }

    /// Rebuilds the pattern index and the prefilter after the rules changed.
    fn rebuild(&mut self) {
        self.index = PatternIndex::build(&self.rules.patterns);
        let mut literals = Literals::default();
        self.needs = self.rules.patterns.iter().map(|p| prefilter::pattern_needs(p, &mut literals)).collect();
        // The literals of `metavariable-regex` prefixes and every `pattern-regex`, over every
        // formula of every rule (taint rules' sources, sinks, ... included).
        let mut regexes = Vec::new();
        for f in self.rules.rules.iter().flat_map(|r| r.check.formulas()) {
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
        self.literals = literals;
        self.gates = self.rules.rules.iter().map(|r| rule_gate(&r.check, &self.needs)).collect();
        let union = regexes.iter().map(|r| format!("(?:{r})")).collect::<Vec<_>>().join("|");
        // Too big to compile: no shortcut, every `pattern-regex` runs.
        self.regex_union = if regexes.is_empty() { None } else { regex::Regex::new(&union).ok() };
    }

    /// Switches the file-level prefilter off (or on again). Findings must be the same either
    /// way; the prefilter only saves work. Used by the equivalence test over every fixture.
    pub fn set_prefilter(&mut self, on: bool) {
        self.prefilter = on;
    }

    /// Adds the rules of one more YAML file (`--rules`, or a rule typed in the playground).
    pub fn add_rules_yaml(&mut self, file: &str, text: &str) -> Result<usize, RuleError> {
        let n = self.rules.add_yaml(file, text)?;
        self.rebuild();
        Ok(n)
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules.rules
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.get(id)
    }

    /// Analyses raw file bytes: non-UTF-8 and oversized input become errors.
    pub fn check_bytes(&self, path: &str, bytes: &[u8], opts: &Options) -> FileResult {
        match std::str::from_utf8(bytes) {
            Ok(s) => self.check_source(path, s, opts),
            Err(e) => FileResult {
                path: path.to_string(),
                errors: vec![FileError {
                    path: path.to_string(),
                    message: format!("file is not valid UTF-8 (invalid byte at offset {}); it was not analysed", e.valid_up_to()),
                    line: None,
                    column: None,
                }],
                ..FileResult::default()
            },
        }
    }

    /// Analyses one Python source text.
    pub fn check_source(&self, path: &str, src: &str, opts: &Options) -> FileResult {
        let mut result = FileResult { path: path.to_string(), ..FileResult::default() };
        if src.len() > MAX_FILE_BYTES {
            result.errors.push(FileError {
                path: path.to_string(),
                message: format!(
                    "file is {} bytes, over the {} byte limit; it was not analysed",
                    src.len(),
                    MAX_FILE_BYTES
                ),
                line: None,
                column: None,
            });
            return result;
        }
        result.lines = source::text_lines(src);
        // Built on first use: most files have no finding and no error.
        let line_index = std::cell::OnceCell::new();
        let lines = || line_index.get_or_init(|| LineIndex::new(src));
        let present = if self.prefilter { self.literals.presence(src) } else { self.literals.assume_all(src) };
        let parsed = parse::parse_module_with_names(src, |n, dotted| present.see(n, dotted));
        for e in &parsed.errors {
            let (line, column) = lines().position(e.span.start);
            result.errors.push(FileError {
                path: path.to_string(),
                message: format!("syntax error: {}", e.message),
                line: Some(line),
                column: Some(column),
            });
        }
        result.no_code = parsed.module.body.is_empty() && parsed.errors.is_empty();
        if !parsed.module.body.is_empty() {
            self.analyse(path, src, opts, &parsed.module, present, &lines, &mut result);
        }
        result
    }

    /// Runs the enabled rules over a parsed module: findings and suppressions into `result`.
    #[allow(clippy::too_many_arguments)]
    fn analyse<'s>(
        &self,
        path: &str,
        src: &'s str,
        opts: &Options,
        module: &Module,
        present: prefilter::Presence<'_>,
        lines: &dyn Fn() -> &'s LineIndex<'s>,
        result: &mut FileResult,
    ) {
        let (enabled, gates): (Vec<&Rule>, Vec<&Needs>) = self
            .rules
            .rules
            .iter()
            .zip(&self.gates)
            .filter(|(r, _)| opts.rule_enabled(&r.meta) && r.meta.severity >= opts.min_severity)
            // Findings under the confidence floor are dropped (not counted as suppressed).
            .filter(|(r, _)| r.meta.confidence >= opts.min_confidence)
            .unzip();
        let pre = Prefiltered {
            literals: &self.literals,
            needs: &self.needs,
            present,
            regex_union: self.regex_union.as_ref().filter(|_| self.prefilter),
            src,
            regex_hit: std::cell::Cell::new(None),
        };
        let mut active = vec![false; self.rules.patterns.len()];
        let mut second = vec![false; self.rules.patterns.len()];
        // Scratch marks for "could this match at all" questions.
        let mut probe = vec![false; self.rules.patterns.len()];
        let mut probe_log = Vec::new();
        let mut log = Vec::new();
        // By shared source of the taint library: can it match in this file?
        let mut shared_possible: Vec<Option<bool>> = vec![None; self.rules.shared_sources()];
        // By rule, as `enabled`: can the rule match at all in this file?
        let possible: Vec<bool> = enabled
            .iter()
            .zip(gates)
            .map(|(r, gate)| match &r.check {
                _ if !pre.present.satisfies(gate) => false,
                Check::Formula(f) => pre.mark(f, &mut active, &mut log),
                Check::Native(_) => true,
                Check::Taint(t) => {
                    let mut src = false;
                    for s in &t.sources {
                        src |= match s.shared.and_then(|k| shared_possible.get_mut(k as usize)) {
                            // Marked for an earlier rule: the same patterns are active already.
                            Some(Some(known)) => *known,
                            Some(slot) => *slot.insert(pre.mark(&s.formula, &mut active, &mut log)),
                            None => pre.mark(&s.formula, &mut active, &mut log),
                        };
                    }
                    // Sinks, sanitizers and propagators are matched in a second pass, only
                    // when the file really has a source of the rule (see below); here only
                    // whether they could match.
                    let sink = t.sinks.iter().any(|f| pre.mark(f, &mut probe, &mut probe_log));
                    src && sink
                }
            })
            .collect();
        let marks = suppress::Marks::find(src);
        let sem = semantic::SemanticModel::build_with(module, marks.walrus);
        let mut m = Matcher::new(src, &sem, &self.rules.patterns, &self.index, &active);
        // The native check rides on the matcher's walk.
        let mut entropy = enabled
            .iter()
            .any(|r| matches!(&r.check, Check::Native(n) if n == "secret-entropy"))
            .then(native::EntropyWalk::new);
        m.run_with(module, entropy.as_mut().map(|e| e as &mut dyn syntax::visitor::NodeObserver));
        let entropy = entropy.map(native::EntropyWalk::finish).unwrap_or_default();
        let mut leaves = std::mem::take(&mut m.results);
        let rematch_ref: &eval::Rematch<'_, '_> = &|id, span, seed| m.rematch(module, id, span, seed);
        // By rule, as `enabled`: the source matches of each taint rule that has some here (the
        // sources are all matched by the first walk).
        let taint_sources: Vec<Option<Vec<(Span, Confidence)>>> = {
            let ev = eval::Evaluator { src, leaves: &leaves, rematch: Some(rematch_ref) };
            // The matches of a shared source, evaluated for the first rule that includes it.
            let mut shared_found: Vec<Option<Vec<Span>>> = vec![None; self.rules.shared_sources()];
            enabled
                .iter()
                .zip(&possible)
                .map(|(r, p)| match &r.check {
                    Check::Taint(t) if *p => {
                        let mut found: Vec<(Span, Confidence)> = Vec::new();
                        for s in &t.sources {
                            let spans = match s.shared.and_then(|k| shared_found.get_mut(k as usize)) {
                                Some(Some(known)) => known,
                                Some(slot) => slot.insert(ev.eval(&s.formula).into_iter().map(|m| m.span).collect()),
                                None => &ev.eval(&s.formula).into_iter().map(|m| m.span).collect(),
                            };
                            found.extend(spans.iter().map(|&sp| (sp, s.confidence)));
                        }
                        (!found.is_empty()).then_some(found)
                    }
                    _ => None,
                })
                .collect()
        };
        // Taint rules with a real source here: match their sinks, sanitizers and propagators
        // too (a second, narrower walk; most files never need it).
        let needs_more: Vec<&rules::TaintSpec> = enabled
            .iter()
            .zip(&taint_sources)
            .filter_map(|(r, found)| match &r.check {
                Check::Taint(t) if found.is_some() => Some(t),
                _ => None,
            })
            .collect();
        if !needs_more.is_empty() {
            for t in &needs_more {
                for f in &t.sinks {
                    pre.mark(f, &mut second, &mut log);
                }
                for s in &t.sanitizers {
                    pre.mark(&s.formula, &mut second, &mut log);
                }
                for p in &t.propagators {
                    pre.mark(&p.formula, &mut second, &mut log);
                }
            }
            let mut m2 = Matcher::new(src, &sem, &self.rules.patterns, &self.index, &second);
            m2.run(module);
            for (id, on) in second.iter().enumerate() {
                if *on && !active[id] {
                    leaves[id] = std::mem::take(&mut m2.results[id]);
                }
            }
        }
        let ev = eval::Evaluator { src, leaves: &leaves, rematch: Some(rematch_ref) };
        let suppressions = if marks.suppression { suppress::scan(src) } else { Default::default() };
        let mut findings = Vec::new();
        // (rule ids, range) of each taint finding whose rule supersedes pattern rules.
        let mut superseding: Vec<(&[String], u32, u32)> = Vec::new();
        for ((r, possible), sources) in enabled.into_iter().zip(possible).zip(taint_sources) {
            let mut matches: Vec<Match<'_>> = match &r.check {
                Check::Formula(_) if !possible => Vec::new(),
                Check::Formula(f) => ev.eval(f),
                Check::Native(name) if name == "secret-entropy" => entropy.clone(),
                Check::Native(name) => native::run(name, module),
                Check::Taint(spec) => {
                    // No source in this file: nothing to follow.
                    let Some(sources) = sources else { continue };
                    let input = taint::TaintInput {
                        sources,
                        sinks: spec.sinks.iter().flat_map(|f| ev.eval(f).into_iter().map(|m| (m.span, has_focus(f)))).collect(),
                        sanitizers: spec
                            .sanitizers
                            .iter()
                            .flat_map(|s| ev.eval(&s.formula).into_iter().map(|m| (m.span, s.guard, s.by_side_effect)))
                            .collect(),
                        propagators: spec
                            .propagators
                            .iter()
                            .flat_map(|p| {
                                ev.eval(&p.formula).into_iter().filter_map(|m| {
                                    let get = |mv: &str| m.bindings.iter().find(|(n, _)| *n == mv).map(|(_, s)| *s);
                                    Some((m.span, get(&p.from)?, get(&p.to)?))
                                })
                            })
                            .collect(),
                    };
                    for tf in taint::analyze(src, module, &sem, &input) {
                        let mt = Match { span: tf.sink, bindings: Vec::new(), pattern: None };
                        if self.is_suppressed(module, &mt, lines(), &suppressions, &r.meta) {
                            result.suppressed += 1;
                            continue;
                        }
                        let mut f = self.finding(r, &mt, path, src, lines());
                        f.confidence = tf.confidence;
                        f.trace = tf
                            .steps
                            .iter()
                            .map(|(span, label)| {
                                let (line, column) = lines().position(span.start);
                                let (end_line, end_column) = lines().position(span.end);
                                TraceStep { line, column, end_line, end_column, label: label.clone(), start_offset: span.start, end_offset: span.end }
                            })
                            .collect();
                        if !r.meta.supersedes.is_empty() {
                            superseding.push((&r.meta.supersedes, f.start_offset, f.end_offset));
                        }
                        findings.push(f);
                    }
                    continue;
                }
            };
            eval::dedup_ranges(&mut matches);
            for mt in matches {
                let f = self.finding(r, &mt, path, src, lines());
                if self.is_suppressed(module, &mt, lines(), &suppressions, &r.meta) {
                    result.suppressed += 1;
                    continue;
                }
                findings.push(f);
            }
        }
        // A taint finding replaces the pattern findings it supersedes on the same range.
        if !superseding.is_empty() {
            findings.retain(|f| {
                !superseding
                    .iter()
                    .any(|(ids, s, e)| ids.contains(&f.rule_id) && f.start_offset < *e && *s < f.end_offset)
            });
        }
        // Per-finding confidence (taint findings through unresolved calls) under the floor.
        findings.retain(|f| f.confidence >= opts.min_confidence);
        findings.sort_by(|a, b| {
            (a.start_offset, std::cmp::Reverse(a.severity), &a.rule_id).cmp(&(b.start_offset, std::cmp::Reverse(b.severity), &b.rule_id))
        });
        result.findings = findings;
    }

    fn is_suppressed(
        &self,
        module: &Module,
        m: &Match<'_>,
        lines: &LineIndex<'_>,
        sup: &std::collections::HashMap<usize, suppress::LineSuppression>,
        meta: &RuleMeta,
    ) -> bool {
        if sup.is_empty() {
            return false;
        }
        let start = lines.line_of(m.span.start);
        let end = lines.line_of(m.span.end.saturating_sub(1).max(m.span.start));
        let mut candidates = vec![start, end];
        if let Some((stmt, compound)) = enclosing_stmt(&module.body, m.span.start, 0) {
            candidates.push(lines.line_of(stmt.span.start));
            if !compound {
                candidates.push(lines.line_of(stmt.span.end.saturating_sub(1).max(stmt.span.start)));
            }
        }
        candidates.iter().any(|l| sup.get(l).is_some_and(|s| suppress::suppresses(s, meta)))
    }

    fn finding(&self, r: &Rule, m: &Match<'_>, path: &str, src: &str, lines: &LineIndex<'_>) -> Finding {
        let (line, column) = lines.position(m.span.start);
        let (end_line, end_column) = lines.position(m.span.end);
        let findings::snippet::Excerpt { snippet, region } = findings::snippet::excerpt(src, lines, m.span.start, m.span.end);
        Finding {
            rule_id: r.meta.id.clone(),
            title: r.meta.title.clone(),
            severity: r.meta.severity,
            confidence: r.meta.confidence,
            cwe: r.meta.cwe,
            owasp: r.meta.owasp.clone(),
            path: path.to_string(),
            line,
            column,
            end_line,
            end_column,
            message: interpolate(&r.meta.message, &m.bindings, src),
            snippet,
            region,
            fix: match (&r.meta.fix, &r.meta.fix_regex) {
                (Some(f), _) => Some(interpolate(f, &m.bindings, src)),
                (None, Some(fr)) => src.get(m.span.start as usize..m.span.end as usize).and_then(|t| fr.apply(t)),
                (None, None) => None,
            },
            family: r.meta.family.clone(),
            start_offset: m.span.start,
            end_offset: m.span.end,
            trace: Vec::new(),
        }
    }
}
