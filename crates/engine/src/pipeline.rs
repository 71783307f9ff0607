//! The analysis of one parsed file, as a sequence of named stages over a [`FileCtx`]:
//! select rules → plan the prefilter → match patterns (and native checks) → find taint
//! sources → match taint parts → evaluate → build findings → suppress and order.
//!
//! Each stage is a function of the context and of what earlier stages produced; nothing flows
//! back.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use crate::checks::Running;
use crate::findings::suppress::{self, LineSuppression};
use crate::findings::{self, Finding, FixEdit, TraceStep};
use crate::matching::eval::{self, ConstantOf, Evaluator, Rematch, TypeOf, Work};
use crate::matching::matcher::{work_budget, Match, Matcher};
use crate::prefilter::{Marks, Prefiltered};
use crate::rules::{Check, Clause, Confidence, Formula, Propagation, Rule, RuleMeta, Severity, TaintSpec, WhenClean};
use crate::semantic::SemanticModel;
use crate::syntax::ast::{Module, Span};
use crate::syntax::source::LineIndex;
use crate::syntax::visitor::NodeObserver;
use crate::taint::{self, TaintFinding, TaintInput};
use crate::{Engine, Options};

/// One file under analysis: its text, tree and semantic model, and the options it runs with.
pub(crate) struct FileCtx<'s> {
    pub path: &'s str,
    pub src: &'s str,
    pub module: &'s Module,
    pub opts: &'s Options,
    pub sem: SemanticModel<'s>,
    /// `nosec`/`noqa`/`pyward` or `:=` occur somewhere in the text.
    pub marks: suppress::Marks,
    /// Built on first use: most files have no finding.
    lines: OnceCell<LineIndex<'s>>,
    /// The file's functions for taint rules, built on first use and shared by all of them.
    functions: OnceCell<taint::FileFunctions<'s>>,
    /// In a project scan: the other modules' summaries, and this file's package (see
    /// `crate::project`).
    pub project: Option<(&'s taint::project::Project, &'s str)>,
}

impl<'s> FileCtx<'s> {
    pub fn new(path: &'s str, src: &'s str, module: &'s Module, opts: &'s Options) -> Self {
        let marks = suppress::Marks::find(src);
        let sem = SemanticModel::build_with(module, marks.walrus);
        FileCtx { path, src, module, opts, sem, marks, lines: OnceCell::new(), functions: OnceCell::new(), project: None }
    }

    pub fn lines(&self) -> &LineIndex<'s> {
        self.lines.get_or_init(|| LineIndex::new(self.src))
    }

    pub fn functions(&self) -> &taint::FileFunctions<'s> {
        self.functions.get_or_init(|| taint::FileFunctions::new(self.module, &self.sem))
    }
}

/// What the analysis of one file produced.
pub(crate) struct Analysed {
    pub findings: Vec<Finding>,
    /// Findings hidden by inline suppressions.
    pub suppressed: usize,
    /// Parts of the analysis that were cut short, each with the reason (shown as errors: the
    /// file was not analysed fully).
    pub incomplete: Vec<String>,
    /// Work units spent (see `FileResult::work`).
    pub work: u64,
}

/// The findings of one file, how many were suppressed, and what was not analysed.
pub(crate) fn analyse(e: &Engine, cx: &FileCtx<'_>, pre: &Prefiltered<'_>) -> Analysed {
    let rules = select_rules(e, cx.opts);
    let plan = plan_prefilter(pre, &rules, e.rules.patterns.len(), e.rules.shared_sources());
    let plan = crate::project::widen_plan(cx, pre, &rules, plan);
    let mut natives = start_natives(&rules, cx.src);
    let mut m = match_patterns(e, cx, &plan.first.on, &mut natives);
    let mut leaves = std::mem::take(&mut m.results);
    let m = m;
    let rematch: &Rematch<'_, '_> = &|id, span, seed| m.rematch(cx.module, id, span, seed);
    let constant: &ConstantOf<'_> = &|span| m.constant_value_at(cx.module, span);
    let type_of: &TypeOf<'_> = &|span| m.type_at(cx.module, span);
    // Set by either evaluator when a `pattern-regex` had too many matches.
    let truncated = std::cell::Cell::new(false);
    // Both evaluators (taint sources, then every rule) charge one tally, with a budget per rule.
    let work = Work::new(work_budget(cx.src.len()));
    let mut tally = Tally::default();
    let ev = Evaluator { src: cx.src, leaves: &leaves, rematch: Some(rematch), constant: Some(constant), truncated: &truncated, work: &work, type_of: Some(type_of), patterns: &e.rules.patterns };
    let sources = taint_sources(&ev, &rules, &plan, e.rules.shared_sources(), &mut tally.incomplete);
    let mut matched = plan.first.on.clone();
    let (mut exhausted, taint_match_work) = match_taint_parts(e, cx, pre, &rules, &sources, &mut matched, &mut leaves);
    let ev = Evaluator { src: cx.src, leaves: &leaves, rematch: Some(rematch), constant: Some(constant), truncated: &truncated, work: &work, type_of: Some(type_of), patterns: &e.rules.patterns };
    tally.work = taint_match_work;
    let found = Found { possible: &plan.possible, sources, natives: natives.finish(), propagation: &e.rules.propagation };
    let hits = evaluate(cx, &ev, &rules, found, &mut tally);
    let deferring = Deferring { pre, matched, rematch, constant, type_of, truncated: &truncated, work: &work };
    let hits = verdicts(e, cx, deferring, hits, &mut leaves, &mut tally);
    exhausted.extend(m.exhausted());
    // After evaluation: re-matching at a `pattern-inside` charges the first walk's matcher.
    tally.work += m.work() + work.spent();
    let Tally { mut incomplete, work } = tally;
    if truncated.get() {
        incomplete.push(format!("a pattern-regex matched more than {} times in this file; later matches were not looked at", eval::MAX_REGEX_MATCHES));
    }
    let cap = MAX_FINDINGS_PER_RULE.max(cx.lines().line_count());
    let hits = check_budgets(&rules, &exhausted, hits, cap, &mut incomplete);
    let findings = build_findings(cx, hits);
    let (findings, suppressed) = suppress_and_order(cx, findings);
    Analysed { findings, suppressed, incomplete, work }
}

/// A rule that runs on this file.
pub(crate) struct Selected<'e> {
    pub rule: &'e Rule,
    /// Its index in the rule set.
    pub index: usize,
}

/// Stage 1: the rules the options enable, at or above the severity and confidence floors
/// (findings under the confidence floor are dropped, not counted as suppressed).
pub(crate) fn select_rules<'e>(e: &'e Engine, opts: &Options) -> Vec<Selected<'e>> {
    e.rules
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| opts.rule_enabled(&r.meta) && r.meta.severity >= opts.min_severity && r.meta.confidence >= opts.min_confidence)
        .map(|(index, rule)| Selected { rule, index })
        .collect()
}

/// What the prefilter decided for this file.
pub(crate) struct Plan {
    /// The patterns the first walk tries: every pattern rule's and every taint source's.
    pub first: Marks,
    /// By selected rule: can it match at all in this file?
    pub possible: Vec<bool>,
    /// In a project scan, by selected taint rule: do this file's imports return a source's data,
    /// and do they reach a sink (in other modules)? Empty otherwise.
    pub linked: Vec<(bool, bool)>,
}

/// Stage 2: which selected rules can match here, and which patterns the first walk tries.
/// A taint rule's sinks, sanitizers and propagators are only probed here: they are matched in
/// a second walk, when the file really has one of the rule's sources.
fn plan_prefilter(pre: &Prefiltered<'_>, rules: &[Selected<'_>], patterns: usize, shared: usize) -> Plan {
    let mut first = Marks::new(patterns);
    let mut probe = Marks::new(patterns);
    // By shared source of the taint library: can it match in this file?
    let mut shared_possible: Vec<Option<bool>> = vec![None; shared];
    let possible = rules
        .iter()
        .map(|s| match &s.rule.check {
            _ if !pre.present.satisfies(pre.gate(s.index)) => false,
            Check::Formula(f) => pre.mark(f, &mut first),
            Check::Native(_) => true,
            Check::Taint(t) => {
                let mut src = false;
                for source in &t.sources {
                    src |= match source.shared.and_then(|k| shared_possible.get_mut(k as usize)) {
                        // Marked for an earlier rule: the same patterns are marked already.
                        Some(Some(known)) => *known,
                        Some(slot) => *slot.insert(pre.mark(&source.formula, &mut first)),
                        None => pre.mark(&source.formula, &mut first),
                    };
                }
                let sink = t.sinks.iter().any(|f| pre.mark(f, &mut probe));
                src && sink
            }
        })
        .collect();
    Plan { first, possible, linked: Vec::new() }
}

/// The native checks of the selected rules, ready to ride on the first walk.
fn start_natives(rules: &[Selected<'_>], src: &str) -> Running {
    let mut running = Running::default();
    for (i, s) in rules.iter().enumerate() {
        if let Check::Native(name) = &s.rule.check {
            // Rule loading refuses names that are not registered.
            running.start(i, name, src);
        }
    }
    running
}

/// Stage 3: the first walk: every marked pattern at every node it can match, and every
/// native check shown every node on the way.
fn match_patterns<'a, 'p>(e: &'p Engine, cx: &'a FileCtx<'_>, active: &[bool], natives: &mut Running) -> Matcher<'a, 'p> {
    let mut m = Matcher::new(cx.src, &cx.sem, &e.rules.patterns, &e.index, active.to_vec());
    let observer = (!natives.is_empty()).then_some(natives as &mut dyn NodeObserver);
    m.run_with(cx.module, observer);
    m
}

/// The source matches of each selected taint rule that has some here (by selected rule).
type Sources = Vec<Option<Vec<(Span, Confidence, bool)>>>;

/// Stage 4: the matches of each taint rule's sources. A shared source of the taint library is
/// evaluated once, for the first rule that includes it. A rule whose sources ran out of the
/// evaluation's budget follows no flow here (its sources would be incomplete) and is named in
/// `incomplete`.
fn taint_sources<'p>(ev: &Evaluator<'_, 'p>, rules: &[Selected<'p>], plan: &Plan, shared: usize, incomplete: &mut Vec<String>) -> Sources {
    let mut shared_found: Vec<Option<Vec<Span>>> = vec![None; shared];
    rules
        .iter()
        .zip(&plan.possible)
        .enumerate()
        .map(|(i, (s, p))| match &s.rule.check {
            Check::Taint(t) if *p => {
                ev.work.begin_rule();
                let mut found: Vec<(Span, Confidence, bool)> = Vec::new();
                for source in &t.sources {
                    let spans = match source.shared.and_then(|k| shared_found.get_mut(k as usize)) {
                        Some(Some(known)) => known,
                        Some(slot) => {
                            let spans: Vec<Span> = ev.eval(&source.formula).into_iter().map(|m| m.span).collect();
                            // Matches cut short are not kept for the next rule.
                            if ev.work.cut() {
                                break;
                            }
                            slot.insert(spans)
                        }
                        None => &ev.eval(&source.formula).into_iter().map(|m| m.span).collect(),
                    };
                    found.extend(spans.iter().map(|&sp| (sp, source.confidence, source.request_object)));
                }
                if ev.work.cut() {
                    incomplete.push(out_of_evaluation_budget(&s.rule.meta.id));
                    return None;
                }
                // In a project scan, an import may return a source's data.
                (!found.is_empty() || plan.linked.get(i).is_some_and(|l| l.0)).then_some(found)
            }
            _ => None,
        })
        .collect()
}

/// What is said of a rule whose evaluation ran out of its work budget in a file.
fn out_of_evaluation_budget(id: &str) -> String {
    format!("{id}: the rule ran out of its work budget in this file (its pattern combinations grow too fast); its matches here were dropped")
}

/// Stage 5: for the taint rules with a real source here, a second, narrower walk matches
/// their sinks, sanitizers and propagators (most files never need it). Patterns the first
/// walk tried keep its matches.
fn match_taint_parts<'p>(
    e: &'p Engine,
    cx: &FileCtx<'_>,
    pre: &Prefiltered<'_>,
    rules: &[Selected<'p>],
    sources: &Sources,
    matched: &mut [bool],
    leaves: &mut [Vec<Match<'p>>],
) -> (Vec<usize>, u64) {
    let specs: Vec<&TaintSpec> = rules
        .iter()
        .zip(sources)
        .filter_map(|(s, found)| match &s.rule.check {
            Check::Taint(t) if found.is_some() => Some(t),
            _ => None,
        })
        .collect();
    if specs.is_empty() {
        return (Vec::new(), 0);
    }
    let mut second = Marks::new(e.rules.patterns.len());
    for t in &specs {
        let parts = t.sinks.iter().chain(t.sanitizers.iter().map(|s| &s.formula)).chain(t.propagators.iter().map(|p| &p.formula));
        for f in parts {
            pre.mark(f, &mut second);
        }
    }
    match_more(e, cx, second, matched, leaves)
}

/// A further walk matching the patterns marked in `more` that no walk has matched yet (as
/// `matched` says, updated), their matches stored in `leaves`. Returns the patterns that ran
/// out of budget and the work spent.
pub(crate) fn match_more<'p>(e: &'p Engine, cx: &FileCtx<'_>, mut more: Marks, matched: &mut [bool], leaves: &mut [Vec<Match<'p>>]) -> (Vec<usize>, u64) {
    for (on, done) in more.on.iter_mut().zip(matched.iter()) {
        *on &= !*done;
    }
    if !more.on.contains(&true) {
        return (Vec::new(), 0);
    }
    let mut m = Matcher::new(cx.src, &cx.sem, &e.rules.patterns, &e.index, more.on.clone());
    m.run(cx.module);
    for (id, on) in more.on.iter().enumerate() {
        if *on {
            if let (Some(slot), Some(found), Some(done)) = (leaves.get_mut(id), m.results.get_mut(id), matched.get_mut(id)) {
                *slot = std::mem::take(found);
                *done = true;
            }
        }
    }
    (m.exhausted(), m.work())
}

/// What one rule found at one place, before it becomes a finding.
struct Hit<'e, 'p> {
    meta: &'e RuleMeta,
    span: Span,
    bindings: Vec<(&'p str, Span)>,
    /// For a taint rule: the flow's confidence and trace.
    flow: Option<TaintFinding>,
    /// Reported at LOW severity with this message: a pattern rule whose value dataflow proved
    /// clean, but whose call is dangerous whatever it is given (`metadata.pyward.verdict`).
    low: Option<&'e str>,
}

/// What the earlier stages found for the evaluation.
struct Found<'a> {
    /// By selected rule: can it match here?
    possible: &'a [bool],
    sources: Sources,
    /// The native checks' matches, with the index of their rule.
    natives: Vec<(usize, Vec<Match<'static>>)>,
    propagation: &'a Propagation,
}

/// What the analysis left out (shown as errors) and the work it spent.
#[derive(Default)]
struct Tally {
    incomplete: Vec<String>,
    work: u64,
}

/// Stage 6: each rule's formula evaluated over the matches (Semgrep's operators), native
/// checks' matches taken over, and each taint rule's flows followed from source to sink.
fn evaluate<'e, 'p>(cx: &FileCtx<'_>, ev: &Evaluator<'_, 'p>, rules: &[Selected<'e>], found: Found<'_>, tally: &mut Tally) -> Vec<Hit<'e, 'p>>
where
    'e: 'p,
{
    let Found { possible, sources, natives, propagation } = found;
    let Tally { incomplete, work } = tally;
    let mut natives: HashMap<usize, Vec<Match<'static>>> = natives.into_iter().collect();
    let mut hits = Vec::new();
    for (i, ((s, possible), sources)) in rules.iter().zip(possible).zip(sources).enumerate() {
        let meta = &s.rule.meta;
        ev.work.begin_rule();
        let mut matches: Vec<Match<'p>> = match &s.rule.check {
            Check::Formula(_) if !possible => Vec::new(),
            Check::Formula(f) => ev.eval(f),
            Check::Native(_) => natives.remove(&i).unwrap_or_default(),
            Check::Taint(spec) => {
                // No source in this file: nothing to follow.
                let Some(sources) = sources else { continue };
                let input = taint_input(ev, spec, sources);
                if ev.work.cut() {
                    incomplete.push(out_of_evaluation_budget(&meta.id));
                    continue;
                }
                let linked = cx.project.map(|(p, package)| p.link(&meta.id, package, &cx.sem));
                let outcome = taint::analyze_linked(cx.src, cx.module, &cx.sem, cx.functions(), &input, propagation, linked);
                *work += outcome.work;
                if outcome.calls_cut {
                    incomplete.push(format!(
                        "{}: calls nested more than {} functions deep were not followed; flows through them may be missed",
                        meta.id,
                        taint::MAX_CALL_NESTING
                    ));
                }
                if outcome.budget_spent {
                    incomplete.push(format!(
                        "{}: the rule ran out of its work budget in this file (taint analysis); flows through the code after that point were not followed",
                        meta.id
                    ));
                }
                for flow in outcome.findings {
                    hits.push(Hit { meta, span: flow.sink, bindings: Vec::new(), flow: Some(flow), low: None });
                }
                continue;
            }
        };
        if ev.work.cut() {
            incomplete.push(out_of_evaluation_budget(&meta.id));
            continue;
        }
        eval::dedup_ranges(&mut matches);
        hits.extend(matches.into_iter().map(|m| Hit { meta, span: m.span, bindings: m.bindings, flow: None, low: None }));
    }
    hits
}

/// What the verdict stage needs of the earlier ones: the prefilter, which patterns have been
/// matched, and the evaluation's re-matching, truncation flag and work tally.
struct Deferring<'a, 'r, 'p> {
    pre: &'a Prefiltered<'a>,
    matched: Vec<bool>,
    rematch: &'a Rematch<'r, 'p>,
    constant: &'a ConstantOf<'r>,
    type_of: &'a TypeOf<'r>,
    truncated: &'a std::cell::Cell<bool>,
    work: &'a Work,
}

/// Stage 6b: pattern rules that defer to dataflow (`metadata.pyward.verdict`). For each taint
/// rule they name, its sinks, sanitizers and propagators are matched (a further walk, only for
/// files with such a pattern finding) and followed from every value the analysis cannot know
/// (`taint::verdict`); a pattern finding whose sink value is proven clean is dropped or, by the
/// rule's verdict, reported at LOW with the rule's reason. A taint rule the set lacks, or an
/// analysis cut short, proves nothing.
fn verdicts<'e, 'p>(e: &'p Engine, cx: &FileCtx<'_>, d: Deferring<'_, '_, 'p>, mut hits: Vec<Hit<'e, 'p>>, leaves: &mut [Vec<Match<'p>>], tally: &mut Tally) -> Vec<Hit<'e, 'p>>
where
    'e: 'p,
{
    let Deferring { pre, mut matched, rematch, constant, type_of, truncated, work } = d;
    let mut by_rule: Vec<&'e str> = hits.iter().filter(|h| h.flow.is_none()).filter_map(|h| h.meta.verdict.as_ref()).map(|v| v.taint_rule.as_str()).collect();
    by_rule.sort_unstable();
    by_rule.dedup();
    let mut unknown: Option<Vec<(Span, Confidence)>> = None;
    for id in by_rule {
        let Some(Check::Taint(spec)) = e.rules.get(id).map(|r| &r.check) else { continue };
        // Only the sinks inside the pattern findings that wait for this verdict: the analysis
        // then interprets just the functions that hold one (their parameters are unknown
        // values, so their callers do not matter), not the whole file again.
        let waiting = waiting_for(&hits, id);
        if waiting.is_empty() {
            continue;
        }
        let mut more = Marks::new(e.rules.patterns.len());
        for f in spec.sinks.iter().chain(spec.sanitizers.iter().map(|s| &s.formula)).chain(spec.propagators.iter().map(|p| &p.formula)) {
            pre.mark(f, &mut more);
        }
        let (exhausted, match_work) = match_more(e, cx, more, &mut matched, leaves);
        tally.work += match_work;
        let sources = unknown.get_or_insert_with(|| taint::verdict::unknown_values(cx.module, &cx.sem, &e.rules.propagation).into_iter().map(|s| (s, Confidence::High)).collect());
        let ev = Evaluator { src: cx.src, leaves: &*leaves, rematch: Some(rematch), constant: Some(constant), truncated, work, type_of: Some(type_of), patterns: &e.rules.patterns };
        ev.work.begin_rule();
        let mut input = taint_input(&ev, spec, sources.iter().map(|&(s, c)| (s, c, false)).collect());
        input.proof = true;
        if ev.work.cut() || !exhausted.is_empty() {
            continue;
        }
        input.sinks.retain(|(sink, _)| {
            let i = waiting.partition_point(|h| h.start <= sink.start);
            // A sink not found inside one is left out: its finding is then not proven clean.
            waiting[i.saturating_sub(8)..i].iter().any(|h| h.contains(*sink))
        });
        let outcome = taint::analyze(cx.src, cx.module, &cx.sem, cx.functions(), &input, &e.rules.propagation);
        tally.work += outcome.work;
        let proof = taint::verdict::Proof::new(&outcome);
        hits.retain_mut(|h| {
            let Some(v) = h.meta.verdict.as_ref().filter(|v| h.flow.is_none() && v.taint_rule == id) else { return true };
            if !proof.is_clean(h.span) {
                return true;
            }
            match &v.when_clean {
                WhenClean::Nothing => false,
                WhenClean::Low(why) => {
                    h.low = Some(why.as_str());
                    true
                }
            }
        });
    }
    hits
}

/// The ranges of the pattern findings that wait for the verdict of taint rule `id`, sorted by
/// start. A finding that holds the sink of one of that rule's own flows is not among them: a
/// value a source reaches is never proven clean (every source is a value the proof cannot
/// know), and the flow's finding replaces it anyway; so a file whose flagged calls all carry
/// flows needs no second analysis.
fn waiting_for(hits: &[Hit<'_, '_>], id: &str) -> Vec<Span> {
    let mut flows: Vec<Span> = hits.iter().filter(|h| h.flow.is_some() && h.meta.id == id).map(|h| h.span).collect();
    flows.sort_unstable_by_key(|s| (s.start, s.end));
    let holds_flow = |at: Span| {
        let from = flows.partition_point(|s| s.start < at.start);
        flows[from..].iter().take_while(|s| s.start <= at.end).any(|s| at.contains(*s))
    };
    let mut waiting: Vec<Span> = hits
        .iter()
        .filter(|h| h.flow.is_none() && h.meta.verdict.as_ref().is_some_and(|v| v.taint_rule == id))
        .map(|h| h.span)
        .filter(|&at| !holds_flow(at))
        .collect();
    waiting.sort_unstable_by_key(|s| (s.start, s.end));
    waiting
}

/// The ranges of a taint rule's parts, from their formulas' matches.
pub(crate) fn taint_input<'p>(ev: &Evaluator<'_, 'p>, spec: &'p TaintSpec, sources: Vec<(Span, Confidence, bool)>) -> TaintInput {
    let (objects, sources): (Vec<_>, Vec<_>) = sources.into_iter().partition(|s| s.2);
    TaintInput {
        sources: sources.into_iter().map(|(sp, c, _)| (sp, c)).collect(),
        objects: objects.into_iter().map(|(sp, c, _)| (sp, c)).collect(),
        sinks: spec.sinks.iter().flat_map(|f| ev.eval(f).into_iter().map(move |m| (m.span, has_focus(f)))).collect(),
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
        proof: false,
    }
}

/// Most findings one rule reports in one file, unless the file has more lines (one finding per
/// line is a real pattern); past this the rule's findings there are cut and the file's result
/// says so (`pattern-regex: .` would report every byte).
pub const MAX_FINDINGS_PER_RULE: usize = 20_000;

/// The rules whose patterns ran out of work budget in this file are named in `incomplete`
/// (their other findings are kept: what they found is real); every rule's findings are capped
/// at `cap`.
fn check_budgets<'e, 'p>(rules: &[Selected<'e>], exhausted: &[usize], hits: Vec<Hit<'e, 'p>>, cap: usize, incomplete: &mut Vec<String>) -> Vec<Hit<'e, 'p>> {
    if !exhausted.is_empty() {
        for s in rules {
            let mut uses = false;
            for f in s.rule.check.formulas() {
                crate::prefilter::walk_formula(f, &mut |f| uses |= matches!(f, Formula::Pattern(id) if exhausted.contains(id)), &mut |_| {});
            }
            if uses {
                incomplete.push(format!(
                    "{}: the rule ran out of its work budget in this file (a pattern that backtracks too much); its matches here may be incomplete",
                    s.rule.meta.id
                ));
            }
        }
    }
    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        let n = per_rule.entry(h.meta.id.as_str()).or_default();
        *n += 1;
        if *n <= cap {
            out.push(h);
        } else if *n == cap + 1 {
            incomplete.push(format!("{}: more than {cap} findings in this file; only the first {cap} are reported", h.meta.id));
        }
    }
    out
}

/// Does the formula narrow its matches with `focus-metavariable`? A focused sink is the value
/// itself; an unfocused call receives its arguments and receiver.
fn has_focus(f: &Formula) -> bool {
    match f {
        Formula::Pattern(_) | Formula::Regex(_) => false,
        Formula::Either(fs) => fs.iter().any(has_focus),
        Formula::And(cs) => cs.iter().any(|c| matches!(c, Clause::Focus(_))),
    }
}

/// A finding, the rule that reported it, whether it is a taint flow, and its place in the order
/// the findings were built (the tie-break of the report order).
struct Built<'e> {
    finding: Finding,
    meta: &'e RuleMeta,
    flow: bool,
    at: usize,
}

/// Stage 7: findings with positions, messages, fixes and (for flows) confidence and trace.
fn build_findings<'e>(cx: &FileCtx<'_>, hits: Vec<Hit<'e, '_>>) -> Vec<Built<'e>> {
    let lines = cx.lines();
    // The imports each rule's fix needs, computed once per rule.
    let mut imports: HashMap<&str, Vec<FixEdit>> = HashMap::new();
    hits.into_iter()
        .enumerate()
        .map(|(at, h)| {
            let mut finding = findings::build(h.meta, h.span, &h.bindings, cx.path, cx.src, lines);
            if finding.fix.is_some() && !h.meta.fix_imports.is_empty() {
                finding.fix_edits = imports
                    .entry(h.meta.id.as_str())
                    .or_insert_with(|| findings::imports::import_edits(h.meta, &cx.sem, cx.module, cx.src))
                    .clone();
            }
            if let Some(why) = h.low {
                finding.severity = Severity::Low;
                finding.message = why.to_string();
            }
            let flow = h.flow.is_some();
            if let Some(t) = h.flow {
                finding.confidence = t.confidence;
                finding.trace = t.steps.iter().map(|(span, label)| crate::project::foreign_step(cx, *span).unwrap_or_else(|| trace_step(lines, *span, label))).collect();
            }
            Built { finding, meta: h.meta, flow, at }
        })
        .collect()
}

fn trace_step(lines: &LineIndex<'_>, span: Span, label: &str) -> TraceStep {
    let (line, column) = lines.position(span.start);
    let (end_line, end_column) = lines.position(span.end);
    TraceStep { line, column, end_line, end_column, label: label.to_string(), start_offset: span.start, end_offset: span.end, file: None }
}

/// Stage 8: inline suppressions, one finding per flow (`findings::flows`), taint findings
/// replacing the pattern findings they supersede on the same range, the per-finding
/// confidence floor, and the report order. The findings are filtered and sorted where they
/// are (a file can have tens of thousands, each one about a kilobyte): no copy of the list.
fn suppress_and_order(cx: &FileCtx<'_>, mut found: Vec<Built<'_>>) -> (Vec<Finding>, usize) {
    let sup: HashMap<usize, LineSuppression> = if cx.marks.suppression { suppress::scan(cx.src) } else { HashMap::new() };
    let before = found.len();
    found.retain(|b| {
        let span = Span::new(b.finding.start_offset, b.finding.end_offset);
        !suppress::is_suppressed(&cx.module.body, span, cx.lines(), &sup, b.meta)
    });
    let suppressed = before - found.len();
    // The ranges of the taint findings that supersede each pattern rule: the sink, and the
    // source (a pattern rule that flags the source, such as a `random` call stored under a
    // secret-looking name, saw the start of the same flaw: one finding, the flow's).
    let mut superseding: HashMap<&str, Ranges> = HashMap::new();
    for b in found.iter().filter(|b| b.flow) {
        for id in &b.meta.supersedes {
            let ranges = superseding.entry(id.as_str()).or_default();
            ranges.add(b.finding.start_offset, b.finding.end_offset);
            if let Some(source) = b.finding.trace.first() {
                ranges.add(source.start_offset, source.end_offset);
            }
        }
    }
    superseding.values_mut().for_each(Ranges::index);
    // One flaw on one line is one finding: a flow's CWE on its line merges the pattern
    // findings of the same CWE there into it.
    let flow_cwes: HashSet<(u32, u32)> = found
        .iter()
        .filter(|b| b.flow && b.finding.confidence >= cx.opts.min_confidence)
        .filter_map(|b| Some((b.finding.line, b.finding.cwe?)))
        .collect();
    let superseded = |f: &Finding| {
        superseding.get(f.rule_id.as_str()).is_some_and(|r| r.overlaps(f.start_offset, f.end_offset))
            || f.trace.is_empty() && f.cwe.is_some_and(|c| flow_cwes.contains(&(f.line, c)))
    };
    let mut first = findings::flows::first_of_each_flow(found.iter().map(|b| (&b.finding, b.flow))).into_iter();
    // Per-finding confidence (taint findings through unresolved calls) under the floor.
    found.retain(|b| {
        let f = &b.finding;
        first.next().unwrap_or(true) && !superseded(f) && f.confidence >= cx.opts.min_confidence && f.severity >= cx.opts.min_severity
    });
    // Ties keep the order of building (`at` differs for every finding): the same order as a
    // stable sort, sorted in place.
    found.sort_unstable_by(|a, b| {
        let (a_, b_) = (&a.finding, &b.finding);
        (a_.start_offset, std::cmp::Reverse(a_.severity), &a_.rule_id, a.at).cmp(&(b_.start_offset, std::cmp::Reverse(b_.severity), &b_.rule_id, b.at))
    });
    (found.into_iter().map(|b| b.finding).collect(), suppressed)
}

/// Byte ranges, indexed once so that "does any overlap this range?" takes a binary search
/// (a file can have thousands of findings on each side).
#[derive(Default)]
struct Ranges {
    /// (start, end), sorted by start.
    ranges: Vec<(u32, u32)>,
    /// `max_end[i]`: the largest end among `ranges[..=i]`.
    max_end: Vec<u32>,
}

impl Ranges {
    fn add(&mut self, start: u32, end: u32) {
        self.ranges.push((start, end));
    }

    fn index(&mut self) {
        self.ranges.sort_unstable();
        let mut m = 0;
        self.max_end = self.ranges.iter().map(|r| {
            m = m.max(r.1);
            m
        }).collect();
    }

    /// Does a range overlap `start..end`? (Some range starts before `end` and ends after
    /// `start`.)
    fn overlaps(&self, start: u32, end: u32) -> bool {
        let before_end = self.ranges.partition_point(|r| r.0 < end);
        before_end > 0 && self.max_end.get(before_end - 1).is_some_and(|&m| m > start)
    }
}
