//! Identical patterns share one id.
//!
//! Rules often repeat a pattern (`$CLIENT.$METHOD($URL, ...)` in two SSRF rules, `def $F(...):
//! ...` in many `pattern-inside`s). Each id is offered to every node it can match, so each copy
//! cost a full round of matching. After the rules are compiled, patterns that would match
//! exactly alike (same kind, text, metavariable constraints, gate and value following) get the
//! id of the first of them: every formula, taint entry and gate is rewritten to it, and the
//! copies are never marked for a walk again.

use rustc_hash::FxHashMap as HashMap;

use super::ruleset::{Check, Clause, Formula, RuleSet};

impl RuleSet {
    /// Gives identical patterns the id of the first of them (see the module docs).
    pub(crate) fn share_identical_patterns(&mut self) {
        let mut canon: Vec<usize> = (0..self.patterns.len()).collect();
        {
            type Key<'a> = (u8, &'a str, Vec<(&'a str, &'a str)>, Vec<usize>, bool);
            let mut first: HashMap<Key<'_>, usize> = HashMap::default();
            for (id, p) in self.patterns.iter().enumerate() {
                // A gate already known to be a copy counts as its first.
                let gate: Vec<usize> = p.gate.iter().map(|g| canon.get(*g).copied().unwrap_or(*g)).collect();
                let constraints = p.constraints.iter().map(|(mv, re)| (mv.as_str(), re.text())).collect();
                let key = (p.kind as u8, p.text.as_str(), constraints, gate, p.literal_values);
                let to = *first.entry(key).or_insert(id);
                if let Some(c) = canon.get_mut(id) {
                    *c = to;
                }
            }
        }
        if canon.iter().enumerate().all(|(i, c)| i == *c) {
            return;
        }
        for rule in &mut self.rules {
            match &mut rule.check {
                Check::Formula(f) => remap(f, &canon),
                Check::Native(_) => {}
                Check::Taint(t) => {
                    t.sources.iter_mut().for_each(|s| remap(&mut s.formula, &canon));
                    t.sinks.iter_mut().for_each(|f| remap(f, &canon));
                    t.sanitizers.iter_mut().for_each(|s| remap(&mut s.formula, &canon));
                    t.propagators.iter_mut().for_each(|p| remap(&mut p.formula, &canon));
                }
            }
        }
        for (_, items) in &mut self.library.sources {
            items.iter_mut().for_each(|s| remap(&mut s.formula, &canon));
        }
        for (_, items) in &mut self.library.sanitizers {
            items.iter_mut().for_each(|s| remap(&mut s.formula, &canon));
        }
        for p in &mut self.patterns {
            for g in &mut p.gate {
                *g = canon.get(*g).copied().unwrap_or(*g);
            }
        }
    }
}

/// Rewrites every pattern id of `f` to its first copy's. Formulas are as deep as the rule
/// file's nesting, which the YAML reader bounds.
fn remap(f: &mut Formula, canon: &[usize]) {
    match f {
        Formula::Pattern(id) => *id = canon.get(*id).copied().unwrap_or(*id),
        Formula::Regex(_) => {}
        Formula::Either(fs) => fs.iter_mut().for_each(|f| remap(f, canon)),
        Formula::And(cs) => {
            for c in cs {
                match c {
                    Clause::Pos(f) | Clause::Not(f) | Clause::Inside(f) | Clause::NotInside(f) => remap(f, canon),
                    Clause::MetavarPattern { formula, .. } => remap(formula, canon),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Check, Formula, RuleSet};
    use crate::{Engine, Options};

    fn pattern_id(e: &Engine, id: &str) -> usize {
        match e.rules().iter().find(|r| r.meta.id == id).map(|r| &r.check) {
            Some(Check::Formula(Formula::Pattern(p))) => *p,
            Some(Check::Formula(Formula::And(cs))) => match cs.first() {
                Some(crate::rules::Clause::Pos(Formula::Pattern(p))) => *p,
                other => panic!("{id}: {other:?}"),
            },
            other => panic!("{id}: {other:?}"),
        }
    }

    #[test]
    fn identical_patterns_share_an_id_and_each_rule_still_reports() {
        let yaml = r#"
rules:
  - {id: a, languages: [python], severity: WARNING, message: a, pattern: "os.system($X)"}
  - {id: b, languages: [python], severity: WARNING, message: b, pattern: "os.system($X)"}
  - id: c
    languages: [python]
    severity: WARNING
    message: c
    patterns:
      - pattern: os.system($X)
      - metavariable-regex: {metavariable: $X, regex: ^cmd}
  - {id: d, languages: [python], severity: WARNING, message: d, pattern: "os.system($Y)"}
"#;
        let mut e = Engine::from_rules(RuleSet::default());
        e.add_rules_yaml("r.yaml", yaml).expect("rules load");
        // Same text: one id. Another constraint or another metavariable name: its own.
        assert_eq!(pattern_id(&e, "a"), pattern_id(&e, "b"));
        assert_ne!(pattern_id(&e, "a"), pattern_id(&e, "c"));
        assert_ne!(pattern_id(&e, "a"), pattern_id(&e, "d"));
        let opts = Options { select: ["a", "b", "c", "d"].map(String::from).to_vec(), ..Options::default() };
        let r = e.check_source("t.py", "import os\nos.system(cmd)\nos.system(other)\n", &opts);
        let got: Vec<(String, u32)> = r.findings.iter().map(|f| (f.rule_id.clone(), f.line)).collect();
        for (id, line) in [("a", 2), ("a", 3), ("b", 2), ("b", 3), ("c", 2), ("d", 2), ("d", 3)] {
            assert!(got.contains(&(id.to_string(), line)), "{id} at line {line}: {got:?}");
        }
        assert!(!got.contains(&("c".to_string(), 3)), "{got:?}");
    }
}
