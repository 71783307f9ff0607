//! The rule workshop's state: whether it is open, the position of the rules' load error, the
//! code's annotations as the engine checked them, and the exercise in progress. The reducer is
//! pure (tested natively); `state.rs` holds one [`Workshop`] and forwards [`WorkshopAction`]s.

use std::rc::Rc;

use crate::exercises::{Exercise, Progress, EXERCISES};
use crate::model::Analysis;
use crate::value::{self as v, Res, Val};

/// One annotation comment and whether the rules agree with it.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotationResult {
    pub kind: String,
    pub rule: String,
    /// 1-based line of the comment, and of the code line it applies to.
    pub line: u32,
    pub target_line: u32,
    pub pass: bool,
    pub message: String,
}

/// The worker's check of the code's annotations (crates/wasm/src/workshop.rs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnnotationReport {
    pub annotations: Vec<AnnotationResult>,
    /// Findings of an annotated rule on lines without an annotation: (line, rule, message).
    pub unexpected: Vec<(u32, String, String)>,
    pub syntax_errors: usize,
}

impl AnnotationReport {
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        let annotations = v::list_or_empty(x, "annotations", |a| {
            Ok(AnnotationResult {
                kind: v::text(a, "kind")?,
                rule: v::text(a, "rule")?,
                line: v::uint(a, "line")?,
                target_line: v::uint(a, "target_line")?,
                pass: v::flag_or_false(a, "pass")?,
                message: v::text_or_empty(a, "message")?,
            })
        })?;
        let unexpected = x
            .get("unexpected")
            .and_then(|u| u.as_items())
            .unwrap_or_default()
            .iter()
            .filter_map(|t| {
                let t = t.as_items()?;
                let line = t.first()?.as_num()?;
                Some((line.max(0.0) as u32, t.get(1)?.as_text()?, t.get(2)?.as_text()?))
            })
            .collect();
        Ok(AnnotationReport { annotations, unexpected, syntax_errors: v::uint_or_zero(x, "syntax_errors")? })
    }

    pub fn passing(&self) -> usize {
        self.annotations.iter().filter(|a| a.pass).count()
    }

    /// "5 of 6 annotations pass", and the unexpected findings; None without annotations.
    pub fn summary(&self) -> Option<String> {
        let n = self.annotations.len();
        if n == 0 && self.unexpected.is_empty() {
            return None;
        }
        let mut s = format!("{} of {n} annotation{}", self.passing(), if n == 1 { " passes" } else { "s pass" });
        match self.unexpected.len() {
            0 => {}
            1 => s.push_str("; 1 finding on a line without an annotation"),
            u => s.push_str(&format!("; {u} findings on lines without an annotation")),
        }
        Some(s)
    }

    /// The editor's gutter marks: one per annotation comment, and one per unexpected finding.
    pub fn gutter<V: Val>(&self) -> V {
        let mut items: Vec<V> = self
            .annotations
            .iter()
            .map(|a| {
                let title = if a.pass { format!("passes: {} {}", a.kind, a.rule) } else { format!("fails: {}", a.message) };
                V::object(vec![("line", V::num(a.line.into())), ("pass", V::flag(a.pass)), ("title", V::text(&title))])
            })
            .collect();
        items.extend(self.unexpected.iter().map(|(line, rule, _)| {
            let title = format!("fails: `{rule}` flags this line, which has no annotation");
            V::object(vec![("line", V::num((*line).into())), ("pass", V::flag(false)), ("title", V::text(&title))])
        }));
        V::items(items)
    }
}

/// A candidate match in an explanation: byte range, 1-based line, bindings (metavariable, code).
#[derive(Clone, Debug, PartialEq)]
pub struct ExplainedMatch {
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub bindings: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExplainedStep {
    pub operator: String,
    pub before: usize,
    pub after: usize,
    pub candidates: Vec<(ExplainedMatch, bool)>,
}

/// How a rule matched the code, operator by operator (the worker's `explain`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanation {
    pub rule: String,
    pub steps: Vec<ExplainedStep>,
    pub matches: Vec<ExplainedMatch>,
    pub untraced: bool,
    pub truncated: bool,
}

fn read_match<V: Val>(x: &V) -> Res<ExplainedMatch> {
    let bindings = x
        .get("bindings")
        .and_then(|b| b.as_items())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let p = p.as_items()?;
            Some((p.first()?.as_text()?, p.get(1)?.as_text()?))
        })
        .collect();
    Ok(ExplainedMatch { start: v::uint(x, "start")?, end: v::uint(x, "end")?, line: v::uint(x, "line")?, bindings })
}

impl Explanation {
    pub fn read<V: Val>(x: &V) -> Res<Self> {
        let steps = v::list_or_empty(x, "steps", |s| {
            let candidates = s
                .get("candidates")
                .and_then(|c| c.as_items())
                .unwrap_or_default()
                .iter()
                .filter_map(|pair| {
                    let pair = pair.as_items()?;
                    Some((read_match(pair.first()?).ok()?, pair.get(1)?.as_flag()?))
                })
                .collect();
            Ok(ExplainedStep { operator: v::text(s, "operator")?, before: v::uint_or_zero(s, "before")?, after: v::uint_or_zero(s, "after")?, candidates })
        })?;
        Ok(Explanation {
            rule: v::text(x, "rule")?,
            steps,
            matches: v::list_or_empty(x, "matches", read_match)?,
            untraced: v::flag_or_false(x, "untraced")?,
            truncated: v::flag_or_false(x, "truncated")?,
        })
    }

    /// The match a finding at bytes `start..end` came from: the same range, else the narrowest
    /// one around it.
    pub fn match_for(&self, start: u32, end: u32) -> Option<&ExplainedMatch> {
        self.matches
            .iter()
            .find(|m| m.start == start && m.end == end)
            .or_else(|| self.matches.iter().filter(|m| m.start <= start && m.end >= end).min_by_key(|m| m.end - m.start))
    }

    /// For each step: the operator, whether it kept the finding's candidate (None when the
    /// candidate was not among its inputs), and the lines of the candidates it dropped.
    pub fn story(&self, start: u32, end: u32) -> Vec<(String, Option<bool>, Vec<u32>)> {
        self.steps
            .iter()
            .map(|s| {
                // The finding's candidate: the one holding its range (candidates before a
                // `focus-metavariable` are wider than the finding).
                let mine = s.candidates.iter().filter(|(c, _)| c.start <= start && c.end >= end).min_by_key(|(c, _)| c.end - c.start).map(|(_, k)| *k);
                let mut dropped: Vec<u32> = s.candidates.iter().filter(|(_, k)| !k).map(|(c, _)| c.line).collect();
                dropped.dedup();
                (s.operator.clone(), mine, dropped)
            })
            .collect()
    }
}

/// Where the rules failed to load.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleErrorAt {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The exercise in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseRun {
    pub index: usize,
    /// How many hints are shown.
    pub hints: usize,
    pub solved: bool,
}

impl ExerciseRun {
    pub fn exercise(&self) -> Option<&'static Exercise> {
        EXERCISES.get(self.index)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workshop {
    pub open: bool,
    /// The annotations of the latest analysis (None before one).
    pub annotations: Option<Rc<AnnotationReport>>,
    /// The load error of the rules, when they have one with a position.
    pub rule_error: Option<RuleErrorAt>,
    pub exercise: Option<ExerciseRun>,
    /// Exercises solved in this session, by id.
    pub solved: Vec<&'static str>,
    /// Bumped when the app puts new rules text in the rule editor (a template, an exercise).
    pub loads: u64,
    /// The latest "explain a match" answer.
    pub explanation: Option<Rc<Explanation>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum WorkshopAction {
    Toggle,
    /// The annotations of request `seq`.
    Annotated { seq: u64, report: AnnotationReport },
    /// The rules loaded (None) or failed at a position.
    RuleError(Option<RuleErrorAt>),
    /// Rules text was loaded into the rule editor from a template or an exercise.
    RulesLoaded,
    StartExercise(usize),
    StopExercise,
    MoreHint,
    Explained(Explanation),
}

impl Workshop {
    /// Applies `a`; `latest` is the newest analysis request.
    pub fn apply(&mut self, a: WorkshopAction, latest: u64) {
        match a {
            WorkshopAction::Toggle => self.open = !self.open,
            WorkshopAction::Annotated { seq, report } => {
                if seq >= latest {
                    self.annotations = Some(Rc::new(report));
                }
            }
            WorkshopAction::RuleError(e) => self.rule_error = e,
            WorkshopAction::RulesLoaded => self.loads += 1,
            WorkshopAction::StartExercise(i) => {
                if i < EXERCISES.len() {
                    self.exercise = Some(ExerciseRun { index: i, hints: 0, solved: false });
                    self.open = true;
                    self.loads += 1;
                }
            }
            WorkshopAction::StopExercise => self.exercise = None,
            WorkshopAction::Explained(e) => self.explanation = Some(Rc::new(e)),
            WorkshopAction::MoreHint => {
                if let Some(run) = self.exercise.as_mut() {
                    let n = run.exercise().map_or(0, |e| e.hints.len());
                    run.hints = (run.hints + 1).min(n);
                }
            }
        }
    }

    /// Re-checks the exercise in progress against the latest results; it stays solved once
    /// solved (until another one starts).
    pub fn check(&mut self, code: &str, analysis: Option<&Analysis>, rules_ok: bool) {
        let Some(run) = self.exercise.as_mut() else { return };
        let (Some(ex), Some(a)) = (run.exercise(), analysis) else { return };
        if run.solved {
            return;
        }
        let ann = self.annotations.as_deref().cloned().unwrap_or_default();
        let p = Progress {
            code,
            findings: a.findings.len(),
            hidden: a.summary.hidden,
            errors: a.errors.len(),
            rules_ok,
            passing: ann.passing(),
            annotations: ann.annotations.len(),
            unexpected: ann.unexpected.len(),
        };
        if ex.solved(&p) {
            run.solved = true;
            if !self.solved.contains(&ex.id) {
                self.solved.push(ex.id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(passes: &[bool]) -> AnnotationReport {
        AnnotationReport {
            annotations: passes
                .iter()
                .enumerate()
                .map(|(i, p)| AnnotationResult {
                    kind: "ruleid".into(),
                    rule: "r".into(),
                    line: 2 * i as u32 + 1,
                    target_line: 2 * i as u32 + 2,
                    pass: *p,
                    message: if *p { String::new() } else { "`r` should flag it".into() },
                })
                .collect(),
            ..AnnotationReport::default()
        }
    }

    #[test]
    fn reads_the_worker_s_report_and_sums_it_up() {
        let x = json!({"annotations": [
            {"kind": "ruleid", "rule": "r", "line": 1, "target_line": 2, "pass": true, "message": ""},
            {"kind": "ok", "rule": "r", "line": 3, "target_line": 4, "pass": false, "message": "`r` flags line 4"}
        ], "unexpected": [[9, "r", "m"]], "syntax_errors": 0});
        let r = AnnotationReport::read(&x).expect("reads");
        assert_eq!(r.passing(), 1);
        assert_eq!(r.unexpected, vec![(9, "r".to_string(), "m".to_string())]);
        assert_eq!(r.summary().as_deref(), Some("1 of 2 annotations pass; 1 finding on a line without an annotation"));
        assert_eq!(report(&[true]).summary().as_deref(), Some("1 of 1 annotation passes"));
        assert_eq!(report(&[true, true, true, true, true, false]).summary().as_deref(), Some("5 of 6 annotations pass"));
        assert_eq!(AnnotationReport::default().summary(), None);
        let g: serde_json::Value = r.gutter();
        assert_eq!(g[0], json!({"line": 1, "pass": true, "title": "passes: ruleid r"}));
        assert_eq!(g[1]["pass"], false);
        assert_eq!(g[2]["line"], 9);
    }

    #[test]
    fn an_explanation_tells_the_story_of_one_finding() {
        let x = json!({"rule": "r", "untraced": false, "truncated": false,
            "matches": [{"start": 10, "end": 20, "line": 2, "bindings": [["$M", "get"]]}],
            "steps": [
                {"operator": "pattern", "before": 2, "after": 2, "candidates": [
                    [{"start": 10, "end": 20, "line": 2, "bindings": [["$M", "get"]]}, true],
                    [{"start": 30, "end": 50, "line": 3, "bindings": [["$M", "get"]]}, true]]},
                {"operator": "pattern-not", "before": 2, "after": 1, "candidates": [
                    [{"start": 10, "end": 20, "line": 2, "bindings": [["$M", "get"]]}, true],
                    [{"start": 30, "end": 50, "line": 3, "bindings": [["$M", "get"]]}, false]]}
            ]});
        let e = Explanation::read(&x).expect("reads");
        assert_eq!(e.match_for(10, 20).map(|m| m.bindings.clone()), Some(vec![("$M".to_string(), "get".to_string())]));
        assert_eq!(e.match_for(12, 15).map(|m| m.line), Some(2), "a narrower finding inside the match");
        assert_eq!(e.match_for(60, 70), None);
        assert_eq!(e.story(10, 20), vec![("pattern".to_string(), Some(true), vec![]), ("pattern-not".to_string(), Some(true), vec![3])]);
        assert_eq!(e.story(30, 50)[1].1, Some(false), "dropped by pattern-not");
    }

    #[test]
    fn stale_annotations_are_dropped_and_hints_are_bounded() {
        let mut w = Workshop::default();
        w.apply(WorkshopAction::Annotated { seq: 1, report: report(&[true]) }, 2);
        assert!(w.annotations.is_none(), "an older request's report is dropped");
        w.apply(WorkshopAction::Annotated { seq: 2, report: report(&[true]) }, 2);
        assert_eq!(w.annotations.as_ref().map(|r| r.passing()), Some(1));
        w.apply(WorkshopAction::StartExercise(3), 2);
        assert!(w.open && w.loads == 1);
        for _ in 0..10 {
            w.apply(WorkshopAction::MoreHint, 2);
        }
        assert_eq!(w.exercise.as_ref().map(|r| r.hints), Some(EXERCISES[3].hints.len()));
        w.apply(WorkshopAction::StartExercise(999), 2);
        assert_eq!(w.exercise.as_ref().map(|r| r.index), Some(3), "an unknown exercise changes nothing");
    }

    #[test]
    fn an_exercise_is_solved_by_the_results_not_by_the_start() {
        let mut w = Workshop::default();
        let rule_ex = EXERCISES.iter().position(|e| e.goal == crate::exercises::Goal::AnnotationsPass).expect("a rule exercise");
        w.apply(WorkshopAction::StartExercise(rule_ex), 0);
        let ex = &EXERCISES[rule_ex];
        let n = crate::exercises::annotation_lines(ex.code);
        let a = Analysis::default();
        w.apply(WorkshopAction::Annotated { seq: 0, report: report(&vec![true; n - 1].into_iter().chain([false]).collect::<Vec<_>>()) }, 0);
        w.check(ex.code, Some(&a), true);
        assert!(!w.exercise.as_ref().is_some_and(|r| r.solved));
        // All pass, but with a rule that did not load: not solved.
        w.apply(WorkshopAction::Annotated { seq: 0, report: report(&vec![true; n]) }, 0);
        w.check(ex.code, Some(&a), false);
        assert!(!w.exercise.as_ref().is_some_and(|r| r.solved));
        // Deleting annotations is no way out.
        w.apply(WorkshopAction::Annotated { seq: 0, report: report(&[true]) }, 0);
        w.check(ex.code, Some(&a), true);
        assert!(!w.exercise.as_ref().is_some_and(|r| r.solved));
        w.apply(WorkshopAction::Annotated { seq: 0, report: report(&vec![true; n]) }, 0);
        w.check(ex.code, Some(&a), true);
        assert!(w.exercise.as_ref().is_some_and(|r| r.solved));
        assert_eq!(w.solved, vec![ex.id]);
    }
}
