//! The rule workshop's part of the browser API: loading the user's rules with the position of a
//! load error (for the rule editor's marker), checking the `# ruleid:` / `# ok:` annotations of
//! the code against the rules on every run (Semgrep `--test` semantics, from
//! `pyward_engine::ruletest`), and a built-in rule as YAML to start a new rule from.

use pyward_engine::ruletest::{self, AnnotationKind, FailureKind};
use pyward_engine::{Engine, BUILTIN_RULE_FILES};
use serde::Serialize;

use crate::Analyzer;

/// The outcome of loading the user's rules: how many, or why not and where (1-based line and
/// column in the YAML, when the engine knows them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesOutcome {
    pub ok: bool,
    pub count: usize,
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// One annotation of the code and whether the rules agree with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnotationResult {
    /// `ruleid`, `ok`, `todoruleid` or `todook`.
    pub kind: &'static str,
    pub rule: String,
    /// 1-based line of the comment, and of the code line it applies to.
    pub line: u32,
    pub target_line: u32,
    pub pass: bool,
    /// What is wrong (empty when it passes).
    pub message: String,
}

/// Every annotation of the code, checked, and the findings on lines no annotation covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnnotationReport {
    pub annotations: Vec<AnnotationResult>,
    /// Findings of an annotated rule on a line without an annotation for it (each fails the test,
    /// as in Semgrep): (line, rule, message).
    pub unexpected: Vec<(u32, String, String)>,
    /// The code does not parse: the annotations were checked on what did.
    pub syntax_errors: usize,
}

impl AnnotationReport {
    /// How many annotations pass, and how many there are.
    pub fn passing(&self) -> (usize, usize) {
        (self.annotations.iter().filter(|a| a.pass).count(), self.annotations.len())
    }
}

/// Does the text hold an annotation comment at all? (A quick look before parsing.)
fn has_annotations(src: &str) -> bool {
    ["ruleid:", "ok:"].iter().any(|k| src.contains(k))
}

fn kind_name(k: AnnotationKind) -> &'static str {
    match k {
        AnnotationKind::RuleId => "ruleid",
        AnnotationKind::Ok => "ok",
        AnnotationKind::TodoRuleId => "todoruleid",
        AnnotationKind::TodoOk => "todook",
    }
}

impl Analyzer {
    /// As [`Analyzer::set_custom_rules`], with the position of a load error.
    pub fn load_rules(&mut self, yaml: &str) -> RulesOutcome {
        let mut engine = match Engine::builtin() {
            Ok(e) => e,
            Err(e) => return RulesOutcome { ok: false, count: 0, message: e.to_string(), line: None, column: None },
        };
        let count = if yaml.trim().is_empty() {
            0
        } else {
            match engine.add_rules_yaml("custom-rules.yaml", yaml) {
                Ok(n) => n,
                Err(e) => {
                    let (line, column) = (e.line, e.column);
                    return RulesOutcome { ok: false, count: 0, message: e.to_string(), line, column };
                }
            }
        };
        if let Some((advisories, popular)) = &self.dependency_data {
            engine.set_advisories(advisories);
            engine.set_popular(popular);
        }
        self.engine = engine;
        RulesOutcome { ok: true, count, message: String::new(), line: None, column: None }
    }

    /// Checks the annotations of `source` against the rules they name (the user's and the
    /// built-in ones), each rule run alone and at every severity, as `pyward test` does.
    pub fn annotations(&self, source: &str) -> AnnotationReport {
        if !has_annotations(source) || source.len() > crate::PLAYGROUND_MAX_BYTES {
            return AnnotationReport::default();
        }
        let found = ruletest::parse_annotations(source);
        if found.is_empty() {
            return AnnotationReport::default();
        }
        // The rules the annotations name that exist; the others fail as unknown.
        let mut ids: Vec<String> = found.iter().map(|a| a.rule.clone()).filter(|id| self.engine.rule(id).is_some()).collect();
        ids.sort();
        ids.dedup();
        // No rule named exists: each annotation fails as unknown (an empty selection would
        // select every rule).
        let outcome = if ids.is_empty() {
            let failures = found
                .iter()
                .map(|a| ruletest::Failure { file: "playground.py".into(), line: a.comment_line, rule: a.rule.clone(), kind: FailureKind::UnknownRule { origin: "the rules".into() } })
                .collect();
            ruletest::FileOutcome { failures, counts: Vec::new() }
        } else {
            ruletest::check_annotated(&self.engine, &ids, "the rules", "playground.py", source)
        };
        let mut report = AnnotationReport::default();
        for f in &outcome.failures {
            match &f.kind {
                FailureKind::SyntaxError { .. } => report.syntax_errors += 1,
                FailureKind::Unexpected { message, .. } => report.unexpected.push((f.line, f.rule.clone(), message.clone())),
                _ => {}
            }
        }
        for a in &found {
            // The failure about this annotation, if any: an unknown rule is reported at the
            // comment, the others at the line the annotation applies to.
            let failure = outcome.failures.iter().find(|f| {
                f.rule == a.rule
                    && match f.kind {
                        FailureKind::UnknownRule { .. } => f.line == a.comment_line,
                        FailureKind::Missing { .. } | FailureKind::FalsePositive | FailureKind::TodoRuleIdFlagged | FailureKind::TodoOkClean => {
                            f.line == a.target_line
                        }
                        _ => false,
                    }
            });
            let message = match failure.map(|f| &f.kind) {
                None => String::new(),
                Some(FailureKind::UnknownRule { .. }) => format!("no rule `{}` is loaded", a.rule),
                Some(FailureKind::Missing { .. }) => format!("`{}` should flag line {} but does not", a.rule, a.target_line),
                Some(FailureKind::FalsePositive) => format!("`{}` flags line {}, which should be clean", a.rule, a.target_line),
                Some(FailureKind::TodoRuleIdFlagged) => format!("`{}` now flags line {}: make it `# ruleid`", a.rule, a.target_line),
                Some(FailureKind::TodoOkClean) => format!("`{}` no longer flags line {}: make it `# ok`", a.rule, a.target_line),
                Some(_) => String::new(),
            };
            report.annotations.push(AnnotationResult {
                kind: kind_name(a.kind),
                rule: a.rule.clone(),
                line: a.comment_line,
                target_line: a.target_line,
                pass: failure.is_none(),
                message,
            });
        }
        report
    }
}

/// A candidate match of an explanation: its byte range (as the findings' `start_offset` and
/// `end_offset`), its 1-based line, and its bindings (metavariable, code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedMatch {
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub bindings: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedStep {
    pub operator: String,
    pub before: usize,
    pub after: usize,
    /// The candidates going in, each with whether the operator kept it.
    pub candidates: Vec<(ExplainedMatch, bool)>,
}

/// How rule `rule` came to its matches in the code: each operator of its formula in the order
/// the engine applies them, with the candidates it kept and dropped, and the matches' bindings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub rule: String,
    pub steps: Vec<ExplainedStep>,
    pub matches: Vec<ExplainedMatch>,
    /// The rule is not a pattern rule (taint and native rules are not traced).
    pub untraced: bool,
    pub truncated: bool,
}

impl Analyzer {
    /// Explains rule `rule` on `source` (the engine's opt-in trace, `matching::explain`).
    pub fn explain(&self, source: &str, rule: &str) -> Explanation {
        use pyward_engine::matching::explain as x;
        let traced = matches!(self.engine.rule(rule).map(|r| &r.check), Some(pyward_engine::rules::Check::Formula(_)));
        if !traced || source.len() > crate::PLAYGROUND_MAX_BYTES {
            return Explanation { rule: rule.to_string(), untraced: true, ..Explanation::default() };
        }
        let (_, trace) = x::explain_rule(&self.engine, "playground.py", source, rule);
        // 1-based line of a byte offset.
        let starts: Vec<usize> = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let line = |b: u32| starts.partition_point(|s| *s <= b as usize) as u32;
        let m = |c: x::Candidate| ExplainedMatch { start: c.start, end: c.end, line: line(c.start), bindings: c.bindings };
        Explanation {
            rule: rule.to_string(),
            steps: trace
                .steps
                .into_iter()
                .map(|s| ExplainedStep { operator: s.operator, before: s.before, after: s.after, candidates: s.candidates.into_iter().map(|(c, k)| (m(c), k)).collect() })
                .collect(),
            matches: trace.matches.into_iter().map(m).collect(),
            untraced: false,
            truncated: trace.truncated,
        }
    }
}

/// A built-in rule as a YAML rule file to start a new rule from: its id gets a `my-` prefix (the
/// built-in one stays loaded) and its long documentation is left out. `None` for an unknown id.
pub fn builtin_rule_yaml(id: &str) -> Option<String> {
    for (_, json) in BUILTIN_RULE_FILES.iter().filter(|(p, _)| !p.starts_with("taint/")) {
        let Ok(file) = serde_json::from_str::<serde_json::Value>(json) else { continue };
        let Some(rule) = file.get("rules").and_then(|r| r.as_array()).and_then(|rs| rs.iter().find(|r| r.get("id").and_then(|i| i.as_str()) == Some(id)))
        else {
            continue;
        };
        let mut rule = rule.clone();
        if let Some(obj) = rule.as_object_mut() {
            obj.insert("id".into(), serde_json::Value::String(format!("my-{id}")));
        }
        if let Some(p) = rule.pointer_mut("/metadata/pyward").and_then(|p| p.as_object_mut()) {
            p.remove("docs");
        }
        let mut out = String::from("rules:\n");
        let mut item = String::new();
        write_yaml(&rule, 4, &mut item, MAX_YAML_DEPTH);
        // The rule is the first item of the list.
        out.push_str("  - ");
        out.push_str(item.trim_start());
        return Some(out);
    }
    None
}

/// How deep the YAML writer goes (rule files are a few levels deep; deeper values are written
/// as JSON, which YAML also reads).
const MAX_YAML_DEPTH: usize = 24;

/// A scalar as YAML: plain when it reads back as the same string, else double-quoted (JSON's
/// string syntax is YAML's double-quoted style).
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_alphanumeric() || " _-./()$,".contains(c))
        && !s.starts_with(['-', ' ', '$'])
        && !s.ends_with(' ')
        && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~")
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::Value::String(s.to_string()).to_string()
    }
}

/// Writes `v` as block-style YAML indented by `indent` spaces, each entry on its own line.
fn write_yaml(v: &serde_json::Value, indent: usize, out: &mut String, depth: usize) {
    use serde_json::Value;
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) if depth > 0 => {
            for (k, x) in map {
                out.push_str(&pad);
                out.push_str(&scalar(k));
                out.push(':');
                write_value(x, indent, out, depth - 1);
            }
        }
        Value::Array(items) if depth > 0 => {
            for x in items {
                out.push_str(&pad);
                out.push('-');
                match x {
                    Value::Object(_) | Value::Array(_) if !is_empty(x) => {
                        let mut inner = String::new();
                        write_yaml(x, indent + 2, &mut inner, depth - 1);
                        out.push(' ');
                        out.push_str(inner.trim_start());
                    }
                    _ => write_value(x, indent, out, depth - 1),
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&other.to_string());
            out.push('\n');
        }
    }
}

fn is_empty(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(m) => m.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The value after `key:` or `-`: inline for scalars, a literal block for multi-line strings, a
/// nested block for maps and lists.
fn write_value(v: &serde_json::Value, indent: usize, out: &mut String, depth: usize) {
    use serde_json::Value;
    match v {
        Value::String(s) if s.contains('\n') && !s.starts_with(' ') => {
            out.push_str(if s.ends_with('\n') { " |\n" } else { " |-\n" });
            for l in s.trim_end_matches('\n').split('\n') {
                if !l.is_empty() {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str(l);
                }
                out.push('\n');
            }
        }
        Value::String(s) => {
            out.push(' ');
            out.push_str(&scalar(s));
            out.push('\n');
        }
        Value::Object(_) | Value::Array(_) if is_empty(v) || depth == 0 => {
            out.push(' ');
            out.push_str(&v.to_string());
            out.push('\n');
        }
        Value::Object(_) | Value::Array(_) => {
            out.push('\n');
            write_yaml(v, indent + 2, out, depth);
        }
        other => {
            out.push(' ');
            out.push_str(&other.to_string());
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyward_contract::Settings;

    const RULE: &str = "rules:\n  - id: no-eval\n    languages: [python]\n    severity: LOW\n    message: eval\n    pattern: eval(...)\n";

    #[test]
    fn a_load_error_carries_its_yaml_position() {
        let mut a = Analyzer::builtin().expect("rules");
        let bad = "rules:\n  - id: no-eval\n    languages: [python]\n    severity: HUGE\n    message: eval\n    pattern: eval(...)\n";
        let out = a.load_rules(bad);
        assert!(!out.ok);
        assert_eq!(out.line, Some(4), "{out:?}");
        assert!(out.message.contains("severity"), "{}", out.message);
        let syntax = a.load_rules("rules:\n  - id: x\n    pattern: [\n");
        assert!(!syntax.ok && syntax.line.is_some(), "{syntax:?}");
        let ok = a.load_rules(RULE);
        assert_eq!((ok.ok, ok.count), (true, 1));
        // A failure keeps the rules that loaded.
        assert!(!a.load_rules(bad).ok);
        assert!(a.rule_infos().iter().any(|r| r.id == "no-eval"));
    }

    #[test]
    fn annotations_pass_and_fail_as_in_semgrep() {
        let mut a = Analyzer::builtin().expect("rules");
        assert!(a.load_rules(RULE).ok);
        let src = "# ruleid: no-eval\neval(x)\n# ok: no-eval\nprint(x)\n# ruleid: no-eval\nprint(y)\n# ok: no-eval\neval(z)\neval(w)\n# ruleid: nothing-here\nf()\n";
        let r = a.annotations(src);
        let got: Vec<(u32, &str, bool)> = r.annotations.iter().map(|x| (x.line, x.kind, x.pass)).collect();
        assert_eq!(got, [(1, "ruleid", true), (3, "ok", true), (5, "ruleid", false), (7, "ok", false), (10, "ruleid", false)]);
        assert_eq!(r.passing(), (2, 5));
        assert!(r.annotations[2].message.contains("should flag line 6"), "{}", r.annotations[2].message);
        assert!(r.annotations[4].message.contains("no rule `nothing-here`"));
        assert_eq!(r.unexpected.iter().map(|u| u.0).collect::<Vec<_>>(), [9], "eval(w) has no annotation");
        // The settings of the page do not change the test: the rule runs at every severity.
        let shown = a.analyze(src, &Settings { min_severity: pyward_contract::Severity::High, ..Settings::default() });
        assert!(shown.findings.iter().all(|f| f.finding.rule_id != "no-eval"));
        assert_eq!(a.annotations(src).passing(), (2, 5));
        // Built-in rules can be annotated too.
        let b = a.annotations("import pickle\n# ruleid: unsafe-deserialization-pickle\npickle.loads(data)\n");
        assert_eq!(b.passing(), (1, 1));
        assert_eq!(a.annotations("x = 1\n"), AnnotationReport::default());
        // Annotations of a rule that is not loaded fail, and the other rules' findings are not
        // reported as unexpected.
        let none = a.annotations("import pickle\n# ruleid: not-loaded\npickle.loads(data)\n");
        assert_eq!((none.passing(), none.unexpected.len()), ((0, 1), 0), "{none:?}");
    }

    #[test]
    fn a_match_is_explained_operator_by_operator() {
        let mut a = Analyzer::builtin().expect("rules");
        let rule = "rules:\n  - id: no-timeout\n    languages: [python]\n    severity: LOW\n    message: m\n    patterns:\n      - pattern: requests.$M(...)\n      - pattern-not: requests.$M(..., timeout=$T, ...)\n";
        assert!(a.load_rules(rule).ok);
        let src = "import requests\nrequests.get(url)\nrequests.get(url, timeout=3)\n";
        let e = a.explain(src, "no-timeout");
        assert_eq!(e.steps.iter().map(|s| s.operator.as_str()).collect::<Vec<_>>(), ["pattern", "pattern-not"]);
        let not = &e.steps[1];
        assert_eq!(not.candidates.iter().map(|(c, k)| (c.line, *k)).collect::<Vec<_>>(), [(2, true), (3, false)]);
        assert_eq!(e.matches.len(), 1);
        assert_eq!((e.matches[0].line, e.matches[0].bindings.clone()), (2, vec![("$M".to_string(), "get".to_string())]));
        // The finding's byte range is the match's.
        let f = a.analyze(src, &Settings::default()).findings.into_iter().find(|f| f.finding.rule_id == "no-timeout").expect("finding");
        assert_eq!((f.finding.start_offset, f.finding.end_offset), (e.matches[0].start, e.matches[0].end));
        // Taint rules are not traced.
        assert!(a.explain(src, "tainted-code-execution").untraced);
    }

    #[test]
    fn every_builtin_rule_can_start_a_new_one() {
        let ids: Vec<String> = Analyzer::builtin().expect("rules").rule_infos().into_iter().map(|r| r.id).collect();
        let mut tried = 0;
        let mut a = Analyzer::builtin().expect("rules");
        for id in &ids {
            let Some(yaml) = builtin_rule_yaml(id) else { continue };
            tried += 1;
            let out = a.load_rules(&yaml);
            assert!(out.ok, "{id}: {}\n{yaml}", out.message);
            assert_eq!(out.count, 1, "{id}");
            assert!(a.rule_infos().iter().any(|r| r.id == format!("my-{id}")), "{id}");
        }
        assert!(tried * 10 >= ids.len() * 8, "most rules are YAML rules: {tried} of {}", ids.len());
        assert_eq!(builtin_rule_yaml("no-such-rule"), None);
        // The copy finds what the rule finds.
        let mut a = Analyzer::builtin().expect("rules");
        assert!(a.load_rules(&builtin_rule_yaml("unsafe-deserialization-pickle").expect("yaml")).ok);
        let r = a.analyze("import pickle\npickle.loads(data)\n", &Settings::default());
        assert!(r.findings.iter().any(|f| f.finding.rule_id == "my-unsafe-deserialization-pickle"));
    }
}

/// The workshop's templates and exercises (the page's own data file), checked by the engine.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../../web/src/exercises.rs"]
mod exercises;

#[cfg(test)]
mod exercise_tests {
    use super::exercises::{Progress, EXERCISES, TEMPLATES};
    use crate::Analyzer;
    use pyward_contract::Settings;

    /// The progress of `code` with `rules`, as the page computes it from the worker's answers.
    fn progress<'a>(a: &mut Analyzer, code: &'a str, rules: &str) -> Progress<'a> {
        let loaded = a.load_rules(rules);
        let r = a.analyze(code, &Settings::default());
        let ann = a.annotations(code);
        let (passing, annotations) = ann.passing();
        Progress {
            code,
            findings: r.findings.len(),
            hidden: r.summary.hidden,
            errors: r.errors.len(),
            rules_ok: loaded.ok,
            passing,
            annotations,
            unexpected: ann.unexpected.len(),
        }
    }

    #[test]
    fn every_template_loads_and_passes_its_own_annotations() {
        for t in TEMPLATES {
            let mut a = Analyzer::builtin().expect("rules");
            let p = progress(&mut a, t.code, t.yaml);
            assert!(p.rules_ok, "{}: {:?}", t.id, a.load_rules(t.yaml));
            assert!(p.annotations >= 2 && p.passing == p.annotations && p.unexpected == 0, "{}: {p:?} {:?}", t.id, a.annotations(t.code));
        }
    }

    #[test]
    fn every_exercise_starts_unsolved_and_its_solution_solves_it() {
        assert!(EXERCISES.len() >= 5);
        let mut wrong = Vec::new();
        for e in EXERCISES {
            let mut a = Analyzer::builtin().expect("rules");
            let start = progress(&mut a, e.code, e.rules);
            if e.solved(&start) {
                wrong.push(format!("{}: solved from the start: {start:?}", e.id));
            }
            let code = e.solution_code();
            let done = progress(&mut a, code, e.solution_rules);
            if !e.solved(&done) {
                wrong.push(format!(
                    "{}: the solution does not solve it: {done:?}\n{:?}\n{:?}",
                    e.id,
                    a.analyze(code, &Settings::default()).findings.iter().map(|f| &f.finding.rule_id).collect::<Vec<_>>(),
                    a.annotations(code)
                ));
            }
            assert!(!e.hints.is_empty(), "{}", e.id);
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // Deleting the code is no fix.
        let e = &EXERCISES[0];
        let mut a = Analyzer::builtin().expect("rules");
        assert!(!e.solved(&progress(&mut a, "", "")));
    }
}
