//! Rule files into the engine's rules: the file is read into the types of `schema.rs` (which
//! checks its shape), then each rule is checked for what types cannot say (a valid regex, a
//! known family, a Python pattern...) and compiled into [`Rule`]s, [`Formula`]s and the
//! [`RuleSet`]'s patterns.
//!
//! Every error names the file, the rule and the key's path (`rules[0].metadata.cwe`), and for a
//! YAML file the line and column of that key.

use regex::Regex;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::rules::comparison::Comparison;
use crate::rules::pcre::PcreRegex;
use crate::rules::family::Family;
use crate::rules::transform;
use crate::rules::metadata::{cwe, level, owasp_2021, references};
use crate::rules::meta::{semgrep_replacement, Confidence, FixKind, FixRegex, LazyRegex, Remediation, RuleMeta, Severity, Verdict, WhenClean};
use crate::rules::pattern::{compile_pattern, MvRegex, PatternKind};
use crate::rules::schema::{
    only_includes,
    EitherItem, HasFormula, LibraryFile, Mode, NotInside, Operator, PatternsItem, PropagatorEntry, RawFixRegex, RawLibrary, RawMetadata, RawPyward, RawRule, RawVerdict,
    RuleFile, SanitizerEntry, SourceEntry, StrList,
};
use crate::rules::yaml::Positions;
use crate::rules::{
    Check, Clause, Formula, Guard, Rule, RuleError, RuleSet, LibrarySets, TaintLibrary, TaintPropagator, TaintSanitizer, TaintSource, TaintSpec,
};

/// The file being compiled: names errors and places them.
struct Ctx<'a> {
    file: &'a str,
    positions: Option<&'a Positions>,
    /// The id of the rule being compiled.
    rule: Option<&'a str>,
}

impl Ctx<'_> {
    fn err(&self, path: &str, message: impl Into<String>) -> RuleError {
        RuleError::new(self.file, path, message).at(self.positions.and_then(|p| p.find(path))).in_rule(self.rule)
    }

    /// `doc` read as a `T`; an error names the path serde stopped at.
    fn read<T: DeserializeOwned>(&self, doc: &Value) -> Result<T, RuleError> {
        serde_path_to_error::deserialize(doc).map_err(|e| {
            let (path, rule) = locate(e.path(), doc, &e.inner().to_string());
            Ctx { rule: rule.as_deref(), ..*self }.err(&path, e.inner().to_string())
        })
    }
}

/// The path serde stopped at as text, and the id of the rule it is in. serde names a missing key
/// and an unknown operator (an enum variant written as a mapping key) only in its message: the
/// path then gets that key too, so that it names the key and not the mapping (whose position a
/// missing key's path finds).
fn locate(path: &serde_path_to_error::Path, doc: &Value, message: &str) -> (String, Option<String>) {
    let mut out = String::new();
    let mut node = Some(doc);
    let mut rule = None;
    for seg in path.iter() {
        let key = match seg {
            Segment::Seq { index } => {
                out.push_str(&format!("[{index}]"));
                node = node.and_then(|n| n.get(index));
                if out.starts_with("rules[") && rule.is_none() {
                    rule = node.and_then(|n| n.get("id")).and_then(Value::as_str).map(str::to_string);
                }
                continue;
            }
            Segment::Map { key } | Segment::Enum { variant: key } => key.as_str(),
            Segment::Unknown => "?",
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(key);
        node = node.and_then(|n| n.get(key));
    }
    let named = |prefix: &str| message.strip_prefix(prefix).and_then(|m| m.split_once('`')).map(|(name, _)| name);
    let unknown = named("unknown variant `").filter(|name| node.is_some_and(|n| n.get(name).is_some()));
    if let Some(name) = unknown.or_else(|| named("missing field `")) {
        out.push('.');
        out.push_str(name);
    }
    (out, rule)
}

impl RuleSet {
    /// Parses one YAML rule file and adds its rules. `file` is only used in messages.
    pub fn add_yaml(&mut self, file: &str, text: &str) -> Result<usize, RuleError> {
        let doc = crate::rules::yaml::parse_located(text).map_err(|e| RuleError::yaml(file, e))?;
        self.add_document(&Ctx { file, positions: Some(&doc.positions), rule: None }, &doc.value)
    }

    /// [`RuleSet::add_yaml`] for a rule file already turned into JSON (the built-in rules: see
    /// build.rs).
    pub fn add_json(&mut self, file: &str, text: &str) -> Result<usize, RuleError> {
        let doc: Value = serde_json::from_str(text).map_err(|e| RuleError::json(file, &e))?;
        self.add_document(&Ctx { file, positions: None, rule: None }, &doc)
    }

    fn add_document(&mut self, cx: &Ctx, doc: &Value) -> Result<usize, RuleError> {
        if doc.get("taint-library").is_some() {
            let lib: LibraryFile = cx.read(doc)?;
            self.add_library(cx, &lib.library)?;
            return Ok(0);
        }
        let file: RuleFile = match only_includes(doc) {
            Some(doc) => cx.read(&doc)?,
            None => cx.read(doc)?,
        };
        // Rule ids are per configuration: within one file an id is given once; a rule of a
        // later file with the id of an earlier file's rule (a built-in rule's) replaces it,
        // and the set says so in its notices.
        let mut here: rustc_hash::FxHashSet<&str> = Default::default();
        let mut compiled = Vec::with_capacity(file.rules.len());
        // A rule for other languages only is skipped with a notice, as Semgrep runs each rule
        // on its own languages' files; a file with no rule for Python at all is an error.
        let mut other_language: Option<RuleError> = None;
        for (i, raw) in file.rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            let cx = Ctx { rule: Some(&raw.id), ..*cx };
            if !here.insert(raw.id.as_str()) {
                return Err(cx.err(&format!("{path}.id"), format!("duplicate rule id `{}`", raw.id)));
            }
            if let Some(langs) = raw.languages.as_ref().filter(|ls| !ls.iter().any(|l| is_python(l.0.as_deref()))) {
                let names: Vec<&str> = langs.iter().filter_map(|l| l.0.as_deref()).collect();
                self.notices.push(format!("rule `{}` of {} is for {}, not Python: skipped", raw.id, cx.file, names.join(", ")));
                other_language.get_or_insert_with(|| cx.err(&format!("{path}.languages"), "must be a list containing `python`"));
                continue;
            }
            compiled.push(self.rule(&cx, &path, raw)?);
        }
        if let (true, Some(e)) = (compiled.is_empty(), other_language) {
            return Err(e);
        }
        let compiled_count = compiled.len();
        for rule in compiled {
            if !self.ids.insert(rule.meta.id.clone()) {
                if let Some(old) = self.rules.iter().position(|r| r.meta.id == rule.meta.id) {
                    let old = self.rules.remove(old);
                    self.notices.push(format!(
                        "rule `{}` of {} replaces the rule with the same id from {}",
                        rule.meta.id, rule.meta.source, old.meta.source
                    ));
                }
            }
            self.rules.push(rule);
        }
        Ok(compiled_count)
    }

    fn add_library(&mut self, cx: &Ctx, lib: &RawLibrary) -> Result<(), RuleError> {
        if let Some(p) = &lib.propagation {
            let to = &mut self.propagation;
            to.passes_through.extend(p.passes_through.iter().cloned());
            to.returns_clean.extend(p.returns_clean.iter().cloned());
            to.stores_into_receiver.extend(p.stores_into_receiver.iter().cloned());
        }
        for (name, items) in lib.sanitizers.iter().flatten() {
            let path = format!("taint-library.sanitizers.{name}");
            self.library_set(cx, &path, "sanitizers", name, items, |l| &mut l.sanitizers, Self::taint_sanitizer)?;
        }
        for (name, items) in lib.sources.iter().flatten() {
            let path = format!("taint-library.sources.{name}");
            self.library_set(cx, &path, "sources", name, items, |l| &mut l.sources, Self::taint_source)?;
            if let Some((_, set)) = self.library.sources.last_mut() {
                for s in set {
                    s.shared = Some(self.shared_sources);
                    self.shared_sources += 1;
                }
            }
        }
        Ok(())
    }

    /// Compiles one named set of the taint library and adds it to the sets of its kind.
    #[allow(clippy::too_many_arguments)]
    fn library_set<E, T>(
        &mut self,
        cx: &Ctx,
        path: &str,
        kind: &str,
        name: &str,
        items: &[E],
        sets: SetsOf<T>,
        parse: EntryParser<E, T>,
    ) -> Result<(), RuleError> {
        if sets(&mut self.library).iter().any(|(n, _)| n == name) {
            return Err(cx.err(path, format!("duplicate {kind} set `{name}`")));
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            out.push(parse(self, cx, &format!("{path}[{i}]"), item)?);
        }
        sets(&mut self.library).push((name.to_string(), out));
        Ok(())
    }

    /// The entries of a rule's `pattern-sources` or `pattern-sanitizers`, with each
    /// `include: <name>` replaced by that set of the library.
    fn taint_list<E: Includes, T: Clone>(
        &mut self,
        cx: &Ctx,
        path: &str,
        items: &[E],
        sets: SetsOf<T>,
        parse: EntryParser<E, T>,
    ) -> Result<Vec<T>, RuleError> {
        let mut out = Vec::new();
        for (i, e) in items.iter().enumerate() {
            let path = format!("{path}[{i}]");
            let Some(name) = e.include() else {
                out.push(parse(self, cx, &path, e)?);
                continue;
            };
            let name = name.as_str().unwrap_or("");
            let known = sets(&mut self.library);
            let Some((_, set)) = known.iter().find(|(n, _)| n == name) else {
                let names: Vec<&str> = known.iter().map(|(n, _)| n.as_str()).collect();
                return Err(cx.err(&format!("{path}.include"), format!("no taint library set `{name}` (known: {})", names.join(", "))));
            };
            out.extend(set.iter().cloned());
        }
        Ok(out)
    }

    /// The formula of a taint entry: it must have exactly one operator.
    fn entry_formula(&mut self, cx: &Ctx, path: &str, entry: &impl HasFormula) -> Result<Formula, RuleError> {
        match entry.operators()[..] {
            [(key, op)] => self.operator(cx, &format!("{path}.{key}"), op),
            [] => Err(cx.err(path, "needs one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
            _ => Err(cx.err(path, "has more than one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
        }
    }

    fn taint_source(&mut self, cx: &Ctx, path: &str, e: &SourceEntry) -> Result<TaintSource, RuleError> {
        not_included(cx, path, e)?;
        let formula = self.entry_formula(cx, path, e)?;
        let confidence = match &e.confidence {
            None => Confidence::High,
            Some(c) => Confidence::parse(c).ok_or_else(|| cx.err(&format!("{path}.confidence"), format!("`{c}` is not one of HIGH, MEDIUM, LOW")))?,
        };
        Ok(TaintSource { formula, confidence, label: e.label.0.clone(), request_object: e.request_object == Some(true), shared: None })
    }

    fn taint_sanitizer(&mut self, cx: &Ctx, path: &str, e: &SanitizerEntry) -> Result<TaintSanitizer, RuleError> {
        not_included(cx, path, e)?;
        let formula = self.entry_formula(cx, path, e)?;
        let guard = match &e.by_guard {
            None | Some(Value::Bool(false)) => Guard::No,
            Some(Value::Bool(true)) => Guard::WhenTrue,
            Some(Value::String(s)) if s == "negated" => Guard::WhenFalse,
            Some(other) => return Err(cx.err(&format!("{path}.by-guard"), format!("`{other}` is not `true`, `false` or `negated`"))),
        };
        let by_side_effect = match &e.by_side_effect {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s == "only" => true,
            Some(other) => return Err(cx.err(&format!("{path}.by-side-effect"), format!("`{other}` is not a boolean"))),
        };
        Ok(TaintSanitizer { formula, guard, by_side_effect })
    }

    fn taint_propagator(&mut self, cx: &Ctx, path: &str, e: &PropagatorEntry) -> Result<TaintPropagator, RuleError> {
        let formula = self.entry_formula(cx, path, e)?;
        let from = metavariable(cx, &format!("{path}.from"), &e.from)?;
        let to = metavariable(cx, &format!("{path}.to"), &e.to)?;
        Ok(TaintPropagator { formula, from, to })
    }

    fn taint_spec(&mut self, cx: &Ctx, path: &str, raw: &RawRule) -> Result<TaintSpec, RuleError> {
        let missing = |key: &str| cx.err(&format!("{path}.{key}"), "missing (a taint rule needs sources and sinks)");
        let sources = raw.pattern_sources.as_deref().ok_or_else(|| missing("pattern-sources"))?;
        let sinks = raw.pattern_sinks.as_deref().ok_or_else(|| missing("pattern-sinks"))?;
        let mut spec = TaintSpec {
            sources: self.taint_list(cx, &format!("{path}.pattern-sources"), sources, |l| &mut l.sources, Self::taint_source)?,
            ..TaintSpec::default()
        };
        for (i, e) in sinks.iter().enumerate() {
            spec.sinks.push(self.entry_formula(cx, &format!("{path}.pattern-sinks[{i}]"), e)?);
        }
        if let Some(san) = &raw.pattern_sanitizers {
            spec.sanitizers = self.taint_list(cx, &format!("{path}.pattern-sanitizers"), san, |l| &mut l.sanitizers, Self::taint_sanitizer)?;
        }
        for (i, e) in raw.pattern_propagators.iter().flatten().enumerate() {
            spec.propagators.push(self.taint_propagator(cx, &format!("{path}.pattern-propagators[{i}]"), e)?);
        }
        if spec.sources.is_empty() || spec.sinks.is_empty() {
            return Err(cx.err(path, "a taint rule needs at least one source and one sink"));
        }
        Ok(spec)
    }

    fn rule(&mut self, cx: &Ctx, path: &str, raw: &RawRule) -> Result<Rule, RuleError> {
        let id = &raw.id;
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
            return Err(cx.err(&format!("{path}.id"), "must be non-empty and use only letters, digits, `-`, `_`, `.`"));
        }
        let taint = raw.mode == Some(Mode::Taint);
        if let Some(k) = raw.taint_keys().first().filter(|_| !taint) {
            return Err(cx.err(&format!("{path}.{k}"), "only allowed with `mode: taint`"));
        }
        let meta = rule_meta(cx, path, raw, taint, self.lazy_regexes)?;
        let check = self.check(cx, path, raw, raw.metadata.as_ref().and_then(|m| m.pyward.as_ref()), taint)?;
        let ignored = raw.ignored_options();
        if !ignored.is_empty() {
            self.notices.push(format!("rule `{id}` of {}: pyward does not implement {} and ignores it", cx.file, ignored.join(", ")));
        }
        Ok(Rule { meta, check })
    }

    /// What the rule looks for: its taint spec, native check or formula.
    fn check(&mut self, cx: &Ctx, path: &str, raw: &RawRule, py: Option<&RawPyward>, taint: bool) -> Result<Check, RuleError> {
        let ops = raw.operators();
        let native = py.and_then(|p| p.native.as_ref());
        Ok(match (native, &ops[..]) {
            _ if taint => {
                if let Some((k, _)) = ops.first() {
                    return Err(cx.err(&format!("{path}.{k}"), "a taint rule has `pattern-sources` and `pattern-sinks` instead"));
                }
                Check::Taint(self.taint_spec(cx, path, raw)?)
            }
            (Some(n), []) => {
                let name = n.as_str().unwrap_or("");
                if !self.native_checks.contains(&name) {
                    let msg = format!("`{n}` is not a native check ({})", self.native_checks.join(", "));
                    return Err(cx.err(&format!("{path}.metadata.pyward.native"), msg));
                }
                Check::Native(name.to_string())
            }
            (Some(_), _) => return Err(cx.err(&format!("{path}.metadata.pyward"), "a native rule must not also have patterns")),
            (None, [(k, op)]) => Check::Formula(self.operator(cx, &format!("{path}.{k}"), *op)?),
            (None, []) => return Err(cx.err(path, "needs one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
            (None, _) => return Err(cx.err(path, "has more than one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
        })
    }

    fn add_pattern(&mut self, cx: &Ctx, path: &str, text: &str) -> Result<usize, RuleError> {
        let mut p = compile_pattern(text).map_err(|reason| cx.err(path, reason))?;
        p.literal_values = !self.follow_any_value;
        self.patterns.push(p);
        Ok(self.patterns.len() - 1)
    }

    /// The formula of one operator, written at `path`.
    fn operator(&mut self, cx: &Ctx, path: &str, op: Operator) -> Result<Formula, RuleError> {
        match op {
            Operator::Pattern(text) => Ok(Formula::Pattern(self.add_pattern(cx, path, text)?)),
            Operator::Regex(text) => Ok(Formula::Regex(pcre_regex(cx, path, text)?)),
            Operator::Either(items) => self.either(cx, path, items),
            Operator::Patterns(items) => self.patterns(cx, path, items),
        }
    }

    /// An operator of a `metavariable-pattern` in `language: generic`: its patterns are token
    /// patterns, matched as regexes (see `mv_analysis::generic_regex`); they bind nothing.
    fn generic_operator(&mut self, cx: &Ctx, path: &str, op: Operator) -> Result<Formula, RuleError> {
        let generic = |t: &str| pcre_regex(cx, path, &crate::rules::mv_analysis::generic_regex(t)).map(Formula::Regex);
        match op {
            Operator::Pattern(text) => generic(text),
            Operator::Regex(text) => Ok(Formula::Regex(pcre_regex(cx, path, text)?)),
            Operator::Either(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let (key, op) = item.operator();
                    out.push(self.generic_operator(cx, &format!("{path}[{i}].{key}"), op)?);
                }
                Ok(Formula::Either(out))
            }
            Operator::Patterns(items) => {
                let mut clauses = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{i}].{}", item.key());
                    clauses.push(match item {
                        PatternsItem::Pattern(t) => Clause::Pos(generic(t)?),
                        PatternsItem::PatternNot(NotInside::Pattern(t)) => Clause::Not(generic(t)?),
                        PatternsItem::PatternInside(t) => Clause::Inside(generic(t)?),
                        PatternsItem::PatternNotInside(NotInside::Pattern(t)) => Clause::NotInside(generic(t)?),
                        PatternsItem::Patterns(inner) => Clause::Pos(self.generic_operator(cx, &p, Operator::Patterns(inner))?),
                        PatternsItem::PatternEither(inner) => Clause::Pos(self.generic_operator(cx, &p, Operator::Either(inner))?),
                        other => self.clause(cx, &p, other)?,
                    });
                }
                Ok(Formula::And(clauses))
            }
        }
    }

    fn either(&mut self, cx: &Ctx, path: &str, items: &[EitherItem]) -> Result<Formula, RuleError> {
        if items.is_empty() {
            return Err(cx.err(path, "must not be empty"));
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let (key, op) = item.operator();
            out.push(self.operator(cx, &format!("{path}[{i}].{key}"), op)?);
        }
        Ok(Formula::Either(out))
    }

    fn patterns(&mut self, cx: &Ctx, path: &str, items: &[PatternsItem]) -> Result<Formula, RuleError> {
        // The `patterns` of a `metavariable-pattern` may hold only `pattern-not`s: the bound
        // code is their positive term.
        let negatives_only_ok = std::mem::take(&mut self.mv_pattern_top);
        let mut clauses = Vec::new();
        for (i, item) in items.iter().enumerate() {
            clauses.push(self.clause(cx, &format!("{path}[{i}].{}", item.key()), item)?);
        }
        // Push metavariable-regex conditions down into the positive patterns.
        let constraints: Vec<(String, MvRegex)> = clauses
            .iter()
            // A regex that may match a constant's value instead of the bound code is checked
            // after matching only (the matcher checks the bound code's text).
            .filter_map(|c| match c {
                Clause::MetavarRegex { mv, regex, constants: false } => Some((mv.clone(), regex.clone())),
                _ => None,
            })
            .collect();
        if !constraints.is_empty() {
            for c in &clauses {
                if let Clause::Pos(f) = c {
                    self.constrain(f, &constraints);
                }
            }
        }
        let only_nots = !clauses.is_empty() && clauses.iter().all(|c| matches!(c, Clause::Not(_)));
        let positive = clauses.iter().any(|c| matches!(c, Clause::Pos(_) | Clause::Inside(_)));
        if !(positive || negatives_only_ok && only_nots) {
            return Err(cx.err(path, "needs at least one positive pattern (`pattern`, `pattern-either`, `pattern-regex` or `pattern-inside`)"));
        }
        self.gate_positives(&clauses);
        Ok(Formula::And(clauses))
    }

    /// Records the `pattern-inside` of a conjunction as the gate of its positive patterns (see
    /// `Pattern::gate`): the matcher then tries them only within the inside's matches.
    /// Only where the conjunction's results are exactly its positive's matches: one positive
    /// term (two intersect to the narrower range, so the wider need not lie inside) and no
    /// focus (a focused part may lie inside where the whole does not).
    fn gate_positives(&mut self, clauses: &[Clause]) {
        let Some(pos) = single_positive(clauses) else { return };
        let Some(gate) = clauses.iter().find_map(|c| match c {
            Clause::Inside(f) => self.gate_of(f),
            _ => None,
        }) else {
            return;
        };
        self.set_gate(pos, &gate);
    }

    /// The patterns whose matches hold every match of `f`, if they are single statements or
    /// expressions (a statement sequence's range is not one node's: the matcher cannot tell
    /// cheaply where it ends).
    fn gate_of(&self, f: &Formula) -> Option<Vec<usize>> {
        match f {
            Formula::Pattern(id) => {
                matches!(self.patterns.get(*id)?.kind, PatternKind::Expr | PatternKind::Stmt).then(|| vec![*id])
            }
            Formula::Either(fs) => {
                let mut out = Vec::new();
                for f in fs {
                    out.extend(self.gate_of(f)?);
                }
                Some(out)
            }
            Formula::And(cs) => single_positive(cs).and_then(|p| self.gate_of(p)),
            Formula::Regex(_) => None,
        }
    }

    /// Gives `f`'s patterns the gate `gate`, where their matches are `f`'s (see
    /// [`RuleSet::gate_positives`]); a pattern keeps the first gate it gets.
    fn set_gate(&mut self, f: &Formula, gate: &[usize]) {
        match f {
            Formula::Pattern(id) => {
                if let Some(p) = self.patterns.get_mut(*id) {
                    if p.gate.is_empty() && !gate.contains(id) {
                        p.gate = gate.to_vec();
                    }
                }
            }
            Formula::Either(fs) => fs.iter().for_each(|f| self.set_gate(f, gate)),
            Formula::And(cs) => {
                if let Some(p) = single_positive(cs) {
                    self.set_gate(p, gate);
                }
            }
            Formula::Regex(_) => {}
        }
    }

    /// One item of `patterns:`, written at `path`.
    fn clause(&mut self, cx: &Ctx, path: &str, item: &PatternsItem) -> Result<Clause, RuleError> {
        Ok(match item {
            PatternsItem::Pattern(t) => Clause::Pos(Formula::Pattern(self.add_pattern(cx, path, t)?)),
            PatternsItem::Patterns(items) => Clause::Pos(self.patterns(cx, path, items)?),
            PatternsItem::PatternEither(items) => Clause::Pos(self.either(cx, path, items)?),
            PatternsItem::PatternRegex(t) => Clause::Pos(Formula::Regex(pcre_regex(cx, path, t)?)),
            PatternsItem::PatternNot(NotInside::Pattern(t)) => Clause::Not(Formula::Pattern(self.add_pattern(cx, path, t)?)),
            // `pattern-not:` holding `patterns:` (or another operator): its matches are removed.
            PatternsItem::PatternNot(NotInside::Formula(m)) => Clause::Not(match m.operators()[..] {
                [(key, op)] => self.operator(cx, &format!("{path}.{key}"), op)?,
                _ => return Err(cx.err(path, "needs exactly one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
            }),
            PatternsItem::PatternInside(t) => Clause::Inside(Formula::Pattern(self.add_pattern(cx, path, t)?)),
            PatternsItem::PatternNotInside(NotInside::Pattern(t)) => Clause::NotInside(Formula::Pattern(self.add_pattern(cx, path, t)?)),
            PatternsItem::PatternNotInside(NotInside::Formula(m)) => Clause::NotInside(match m.operators()[..] {
                [(key, op)] => self.operator(cx, &format!("{path}.{key}"), op)?,
                _ => return Err(cx.err(path, "needs exactly one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
            }),
            PatternsItem::PatternNotRegex(t) => Clause::Not(Formula::Regex(pcre_regex(cx, path, t)?)),
            PatternsItem::MetavariableRegex(m) => {
                let mv = metavariable(cx, &format!("{path}.metavariable"), &m.metavariable)?;
                let bad = |e: String| cx.err(&format!("{path}.regex"), format!("invalid regex: {e}"));
                let regex = MvRegex::new(&m.regex).map_err(bad)?;
                // The built-in rules' regexes are compiled when they first run.
                if !self.lazy_regexes {
                    regex.check().map_err(bad)?;
                }
                Clause::MetavarRegex { mv, regex, constants: m.constant_value_propagation.unwrap_or(false) }
            }
            PatternsItem::MetavariablePattern(m) => {
                let mv = metavariable(cx, &format!("{path}.metavariable"), &m.metavariable)?;
                let language = m.language.as_deref().map(str::to_ascii_lowercase);
                let formula = match (language.as_deref(), &m.operators()[..]) {
                    (None | Some("python" | "py" | "python3"), [(key, op)]) => {
                        self.mv_pattern_top = true;
                        let f = self.operator(cx, &format!("{path}.{key}"), *op);
                        self.mv_pattern_top = false;
                        f?
                    }
                    // Generic text: each pattern is read as tokens (see `mv_analysis`).
                    (Some("generic"), [(key, op)]) => self.generic_operator(cx, &format!("{path}.{key}"), *op)?,
                    (Some(other), [_]) => {
                        return Err(cx.err(
                            &format!("{path}.language"),
                            format!("`{other}` is not a language pyward can parse: it reads Python and `generic` text only"),
                        ))
                    }
                    _ => return Err(cx.err(path, "needs exactly one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
                };
                Clause::MetavarPattern { mv, formula }
            }
            PatternsItem::MetavariableAnalysis(m) => {
                let mv = metavariable(cx, &format!("{path}.metavariable"), &m.metavariable)?;
                let analyzer = crate::rules::mv_analysis::Analyzer::named(&m.analyzer).ok_or_else(|| {
                    cx.err(&format!("{path}.analyzer"), format!("unknown analyzer `{}`: pyward has `entropy` and `redos`", m.analyzer))
                })?;
                Clause::MetavarAnalysis { mv, analyzer }
            }
            PatternsItem::MetavariableType(m) => {
                let mv = metavariable(cx, &format!("{path}.metavariable"), &m.metavariable)?;
                let types: Vec<String> = m.r#type.iter().chain(m.types.iter().flatten()).map(|t| t.trim().to_string()).collect();
                if types.is_empty() {
                    return Err(cx.err(path, "needs `type` or `types`"));
                }
                Clause::MetavarType { mv, types }
            }
            PatternsItem::MetavariableComparison(m) => {
                let strip = match (&m.metavariable, m.strip) {
                    (Some(mv), Some(true)) => Some(format!("${}", metavariable(cx, &format!("{path}.metavariable"), mv)?)),
                    (None, Some(true)) => return Err(cx.err(&format!("{path}.strip"), "`strip: true` needs `metavariable`")),
                    _ => None,
                };
                let cmp = Comparison::new(&m.comparison, strip, m.base).map_err(|e| cx.err(&format!("{path}.comparison"), e))?;
                Clause::MetavarComparison(Box::new(cmp))
            }
            PatternsItem::FocusMetavariable(list) => {
                Clause::Focus(list.items(path).iter().map(|(p, mv)| metavariable(cx, p, mv)).collect::<Result<_, _>>()?)
            }
        })
    }

    fn constrain(&mut self, f: &Formula, constraints: &[(String, MvRegex)]) {
        match f {
            Formula::Pattern(id) => {
                if let Some(p) = self.patterns.get_mut(*id) {
                    p.constraints.extend(constraints.iter().cloned());
                }
            }
            Formula::Either(fs) => fs.iter().for_each(|f| self.constrain(f, constraints)),
            Formula::And(cs) => {
                for c in cs {
                    if let Clause::Pos(f) = c {
                        self.constrain(f, constraints);
                    }
                }
            }
            Formula::Regex(_) => {}
        }
    }
}

/// The positive term of a conjunction whose results are exactly that term's matches: the
/// only positive term, with no `focus-metavariable`.
fn single_positive(clauses: &[Clause]) -> Option<&Formula> {
    let mut pos = clauses.iter().filter_map(|c| if let Clause::Pos(f) = c { Some(f) } else { None });
    let first = pos.next()?;
    (pos.next().is_none() && !clauses.iter().any(|c| matches!(c, Clause::Focus(_)))).then_some(first)
}

/// Which sets of the library a list draws on (its sources or its sanitizers).
type SetsOf<T> = fn(&mut TaintLibrary) -> &mut LibrarySets<T>;
/// Compiles one entry of a taint list.
type EntryParser<E, T> = fn(&mut RuleSet, &Ctx, &str, &E) -> Result<T, RuleError>;

/// Taint entries that may stand for a set of the library (`include: <name>`).
trait Includes {
    fn include(&self) -> Option<&Value>;
}

impl Includes for SourceEntry {
    fn include(&self) -> Option<&Value> {
        self.include.as_ref()
    }
}

impl Includes for SanitizerEntry {
    fn include(&self) -> Option<&Value> {
        self.include.as_ref()
    }
}

/// The library's own entries cannot include other sets.
fn not_included(cx: &Ctx, path: &str, e: &impl Includes) -> Result<(), RuleError> {
    match e.include() {
        Some(_) => Err(cx.err(&format!("{path}.include"), "only a rule's `pattern-sources` and `pattern-sanitizers` can include a library set")),
        None => Ok(()),
    }
}

/// What the rule at `path` says about itself: everything but its patterns.
fn rule_meta(cx: &Ctx, rule_path: &str, raw: &RawRule, taint: bool, lazy_regexes: bool) -> Result<RuleMeta, RuleError> {
    let severity = Severity::parse(&raw.severity)
        .ok_or_else(|| cx.err(&format!("{rule_path}.severity"), format!("`{}` is not one of CRITICAL, HIGH, MEDIUM, LOW", raw.severity)))?;
    let empty = RawMetadata::default();
    let meta = raw.metadata.as_ref().unwrap_or(&empty);
    // The keys below are under `metadata`.
    let path = &format!("{rule_path}.metadata");
    // Semgrep never validates metadata: a value pyward cannot read is left out (see `metadata.rs`).
    let confidence = match level(&meta.confidence) {
        Some(c) => c,
        // A taint finding's own confidence comes from its flow (see `taint.rs`).
        None if taint => Confidence::High,
        None => Confidence::Medium,
    };
    let (cwe, cwe_title) = meta.cwe.as_ref().and_then(cwe).map_or((None, None), |(n, t)| (Some(n), t));
    let owasp = meta.owasp.as_ref().and_then(owasp_2021);
    let likelihood = level(&meta.likelihood).map(|l| l.as_str().to_ascii_uppercase());
    let impact = level(&meta.impact).map(|l| l.as_str().to_ascii_uppercase());
    let empty = RawPyward::default();
    let py = meta.pyward.as_ref().unwrap_or(&empty);
    let ppath = format!("{path}.pyward");
    let family = py.family.0.as_deref().unwrap_or(Family::Custom.id());
    if Family::parse(family).is_none() {
        return Err(cx.err(&format!("{ppath}.family"), format!("`{family}` is not a known family")));
    }
    let bandit = codes(cx, &format!("{ppath}.bandit"), py.bandit.as_ref(), is_bandit_id, "a Bandit id like B602")?;
    let ruff = codes(cx, &format!("{ppath}.ruff"), py.ruff.as_ref(), is_ruff_code, "a Ruff code like S602 or ASYNC210")?;
    for (key, template) in [("fix", raw.fix.as_deref()), ("message", Some(raw.message.as_str()))] {
        if let Some(t) = template {
            transform::check_template(t).map_err(|e| cx.err(&format!("{rule_path}.{key}"), e))?;
        }
    }
    let remediation =
        py.remediation.as_ref().map(|r| Remediation { before: r.before.trim_end().to_string(), after: r.after.trim_end().to_string() });
    let fix_regex = match &raw.fix_regex {
        None => None,
        Some(f) => Some(fix_regex(cx, &format!("{rule_path}.fix-regex"), f, lazy_regexes)?),
    };
    let fix_imports = py.fix_imports.as_ref().map(StrList::to_vec).unwrap_or_default();
    if let Some(bad) = fix_imports.iter().find(|m| !is_module_name(m)) {
        return Err(cx.err(&format!("{ppath}.fix-imports"), format!("`{bad}` is not a module name like `secrets` or `xml.sax`")));
    }
    let verdict = py.verdict.as_ref().map(|v| verdict(cx, &format!("{ppath}.verdict"), v, taint)).transpose()?;
    let fix_argument = py.fix_argument.as_deref().map(|a| fix_argument(cx, &format!("{ppath}.fix-argument"), a)).transpose()?;
    let has_fix = raw.fix.is_some() || raw.fix_regex.is_some() || fix_argument.is_some();
    let fix_kind = fix_kind(cx, &format!("{ppath}.fix-kind"), py.fix_kind.as_deref(), has_fix)?;
    Ok(RuleMeta {
        id: raw.id.clone(),
        title: meta.title.0.clone().unwrap_or_else(|| raw.id.clone()),
        message: raw.message.trim().to_string(),
        severity,
        confidence,
        likelihood,
        impact,
        cwe,
        cwe_title,
        owasp,
        references: meta.references.as_ref().map(references).unwrap_or_default(),
        family: family.to_string(),
        bandit,
        ruff,
        docs: py.docs.0.clone().unwrap_or_default(),
        remediation,
        fix: raw.fix.as_ref().map(|s| s.trim_end_matches('\n').to_string()),
        fix_regex,
        fix_argument,
        fix_kind,
        source: cx.file.to_string(),
        taint,
        supersedes: py.supersedes.as_ref().map(StrList::to_vec).unwrap_or_default(),
        fix_imports,
        verdict,
    })
}

/// `metadata.pyward.verdict:`, written at `path` (only a pattern rule defers to a taint rule).
fn verdict(cx: &Ctx, path: &str, v: &RawVerdict, taint: bool) -> Result<Verdict, RuleError> {
    if taint {
        return Err(cx.err(path, "a taint rule has no verdict to defer: only pattern rules name the taint rule covering their sink"));
    }
    let when_clean = match (v.when_clean.as_str(), &v.message) {
        ("nothing", _) => WhenClean::Nothing,
        ("low", Some(m)) if !m.trim().is_empty() => WhenClean::Low(m.trim().to_string()),
        ("low", _) => return Err(cx.err(&format!("{path}.message"), "`when-clean: low` needs the message of the LOW finding")),
        (other, _) => return Err(cx.err(&format!("{path}.when-clean"), format!("`{other}` is not one of nothing, low"))),
    };
    Ok(Verdict { taint_rule: v.taint_rule.clone(), when_clean })
}

/// `metadata.pyward.fix-argument:`, written at `path`: one keyword argument, `name=value`.
fn fix_argument(cx: &Ctx, path: &str, arg: &str) -> Result<String, RuleError> {
    let arg = arg.trim();
    let keyword = arg.split_once('=').is_some_and(|(name, _)| is_module_name(name.trim()) && !name.contains('.'));
    if !keyword || !crate::syntax::parse::parse_module(&format!("f({arg})\n")).errors.is_empty() {
        return Err(cx.err(path, format!("`{arg}` is not a keyword argument like `timeout=10`")));
    }
    Ok(arg.to_string())
}

/// `metadata.pyward.fix-kind:`, written at `path`: `safe` or `unsafe` (the default), and only on
/// a rule that has a fix.
fn fix_kind(cx: &Ctx, path: &str, kind: Option<&str>, has_fix: bool) -> Result<FixKind, RuleError> {
    let Some(k) = kind else { return Ok(FixKind::default()) };
    let parsed = FixKind::parse(k).ok_or_else(|| cx.err(path, format!("`{k}` is not one of safe, unsafe")))?;
    if !has_fix {
        return Err(cx.err(path, "the rule has no `fix` or `fix-regex` to be safe or unsafe"));
    }
    Ok(parsed)
}

/// A dotted Python module name in ASCII: `secrets`, `xml.sax.saxutils`.
fn is_module_name(m: &str) -> bool {
    m.len() <= 200
        && m.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic()) && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        })
}

/// `fix-regex:`, written at `path`: its regex with ASCII word boundaries (see [`regex`]): compiled now, or, for
/// the built-in rules (`lazy`), when first applied (see [`FixRegex`]; a test compiles them all).
fn fix_regex(cx: &Ctx, path: &str, f: &RawFixRegex, lazy: bool) -> Result<FixRegex, RuleError> {
    let count = match f.count {
        Some(0) => return Err(cx.err(&format!("{path}.count"), "expected a positive integer")),
        n => n.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let regex = if lazy {
        LazyRegex::new(&crate::rules::regex_facts::ascii_word_boundaries(&f.regex).unwrap_or_else(|| f.regex.clone()))
    } else {
        LazyRegex::compiled(regex(cx, &format!("{path}.regex"), &f.regex)?)
    };
    Ok(FixRegex { regex, replacement: semgrep_replacement(&f.replacement), count })
}

/// Bandit or Ruff codes: `letter` and three digits.
fn codes(cx: &Ctx, path: &str, list: Option<&StrList>, valid: fn(&str) -> bool, what: &str) -> Result<Vec<String>, RuleError> {
    let codes = list.map(StrList::to_vec).unwrap_or_default();
    if let Some(c) = codes.iter().find(|c| !valid(c)) {
        return Err(cx.err(path, format!("`{c}` is not {what}")));
    }
    Ok(codes)
}

/// `B602`: a B and three digits.
fn is_bandit_id(c: &str) -> bool {
    c.len() == 4 && c.starts_with('B') && c[1..].bytes().all(|b| b.is_ascii_digit())
}

/// `S602`, `ASYNC210`, `N802`: a Ruff linter prefix (capitals) and three digits.
fn is_ruff_code(c: &str) -> bool {
    let letters = c.bytes().take_while(u8::is_ascii_uppercase).count();
    (1..=6).contains(&letters) && c.len() == letters + 3 && c[letters..].bytes().all(|b| b.is_ascii_digit())
}

fn metavariable(cx: &Ctx, path: &str, s: &str) -> Result<String, RuleError> {
    let name = s.strip_prefix('$').ok_or_else(|| cx.err(path, format!("`{s}` must start with `$`")))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
        return Err(cx.err(path, format!("`{s}` is not a metavariable like $X")));
    }
    Ok(name.to_string())
}

/// A `pattern-regex`: [`regex`]'s when the `regex` crate runs it, else (look-around,
/// backreferences) a backtracking one with a step limit (see `pcre.rs`).
fn pcre_regex(cx: &Ctx, path: &str, s: &str) -> Result<PcreRegex, RuleError> {
    match regex(cx, path, s) {
        Ok(re) => Ok(PcreRegex::Linear(re)),
        Err(e) => PcreRegex::new(s).map_err(|_| e),
    }
}

/// A rule's regex, with ASCII word boundaries where it has `\b`, as in Semgrep (see
/// `regex_facts::ascii_word_boundaries`). The rewritten text is compiled first and the rule's
/// own text only when that fails (for its error): compiling a regex costs more than anything
/// else in loading the rules, and it was compiled twice.
fn regex(cx: &Ctx, path: &str, s: &str) -> Result<Regex, RuleError> {
    if let Some(re) = crate::rules::regex_facts::ascii_word_boundaries(s).and_then(|t| Regex::new(&t).ok()) {
        return Ok(re);
    }
    Regex::new(s).map_err(|e| cx.err(path, format!("invalid regex: {e}")))
}
/// Is a `languages` entry Python's?
fn is_python(lang: Option<&str>) -> bool {
    matches!(lang, Some("python" | "py" | "python3"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Clause, RuleSet, Severity};

    /// The built-in rules compile their `metavariable-regex`es and `fix-regex`es on first use:
    /// every one of them must compile. A user's rule file is compiled when it loads, so a bad
    /// regex is an error naming the key.
    #[test]
    fn every_metavariable_regex_compiles() {
        let engine = crate::Engine::builtin().expect("built-in rules load");
        let mut n = 0;
        for r in engine.rules() {
            if let Some(fr) = &r.meta.fix_regex {
                n += 1;
                if let Err(e) = fr.regex.compile() {
                    panic!("the fix-regex of {} does not compile: {e}", r.meta.id);
                }
            }
        }
        for f in engine.rules().iter().flat_map(|r| r.check.formulas()) {
            crate::prefilter::walk_formula(f, &mut |_| {}, &mut |c| {
                if let Clause::MetavarRegex { regex, .. } = c {
                    n += 1;
                    if let Err(e) = regex.check() {
                        panic!("a built-in metavariable-regex does not compile: {e}");
                    }
                }
            });
        }
        assert!(n > 50, "only {n} metavariable-regexes found");
        let bad = "rules:\n  - id: r\n    severity: LOW\n    message: m\n    patterns:\n      - pattern: f($X)\n      - metavariable-regex:\n          metavariable: $X\n          regex: '(unclosed'\n";
        let err = RuleSet::default().add_yaml("bad.yaml", bad).expect_err("an invalid regex is an error").to_string();
        assert!(err.contains("bad.yaml") && err.contains("metavariable-regex.regex") && err.contains("invalid regex"), "{err}");
        let huge = bad.replace("(unclosed", "\\w{1000}\\w{1000}\\w{1000}");
        let err = RuleSet::default().add_yaml("huge.yaml", &huge).expect_err("a regex too big to compile is an error").to_string();
        assert!(err.contains("huge.yaml") && err.contains("invalid regex"), "{err}");
    }

    const GOOD: &str = r#"
rules:
  - id: demo
    languages: [python]
    severity: ERROR
    message: found $X
    metadata:
      cwe: "CWE-78: OS Command Injection"
      owasp: ["A03:2021 - Injection"]
      confidence: HIGH
      pyward: {family: injection, bandit: [B605], ruff: [S605]}
    patterns:
      - pattern: os.system($X)
      - pattern-not: os.system("...")
"#;

    #[test]
    fn ruff_codes_of_any_linter_and_known_fix_transforms() {
        assert!(is_ruff_code("S602") && is_ruff_code("ASYNC210") && is_ruff_code("N802"));
        assert!(!is_ruff_code("S60") && !is_ruff_code("s602") && !is_ruff_code("TOOLONG123") && !is_ruff_code("ASYNC21a"));
        assert!(is_bandit_id("B602") && !is_bandit_id("S602"));
        let yaml = |fix: &str| format!("rules:\n  - id: tr\n    severity: LOW\n    message: m\n    pattern: f($X)\n    fix: {fix}\n");
        let mut rs = RuleSet::default();
        rs.add_yaml("t.yaml", &yaml("g(${X:camel})")).expect("a known transform loads");
        let err = RuleSet::default().add_yaml("t.yaml", &yaml("g(${X:shout})")).unwrap_err().to_string();
        assert!(err.contains("fix") && err.contains("unknown transform `shout`"), "{err}");
    }

    #[test]
    fn pattern_not_inside_takes_a_formula() {
        let yaml = |not_inside: &str| {
            format!("rules:\n  - id: ni\n    severity: LOW\n    message: m\n    patterns:\n      - pattern: f()\n      - pattern-not-inside:\n{not_inside}")
        };
        let formula = "          patterns:\n            - pattern: |\n                def $G(...):\n                    ...\n            - pattern-not: |\n                async def $G(...):\n                    ...\n";
        let mut rs = RuleSet::default();
        rs.add_yaml("t.yaml", &yaml(formula)).expect("a formula loads");
        let engine = crate::Engine::from_rules(rs);
        let src = "async def a():\n    f()\n    def b():\n        f()\n";
        let lines: Vec<u32> = engine.check_source("t.py", src, &crate::Options::default()).findings.iter().map(|f| f.line).collect();
        assert_eq!(lines, [2], "only the call outside the synchronous def");
        let two = "          pattern: g()\n          pattern-regex: x\n";
        let err = RuleSet::default().add_yaml("t.yaml", &yaml(two)).unwrap_err().to_string();
        assert!(err.contains("pattern-not-inside") && err.contains("exactly one"), "{err}");
    }

    #[test]
    fn fix_imports_are_module_names() {
        let yaml = |imports: &str| format!("rules:\n  - id: fi\n    severity: LOW\n    message: m\n    pattern: f($X)\n    fix: g($X)\n    metadata:\n      pyward:\n        fix-imports: {imports}\n");
        let mut rs = RuleSet::default();
        rs.add_yaml("fi.yaml", &yaml("[secrets, xml.sax]")).expect("valid module names");
        assert_eq!(rs.rules[0].meta.fix_imports, ["secrets", "xml.sax"]);
        for bad in ["[\"os; import x\"]", "[\"1abc\"]", "[\"a..b\"]", "[\"\"]"] {
            let err = RuleSet::default().add_yaml("fi.yaml", &yaml(bad)).expect_err(bad).to_string();
            assert!(err.contains("fix-imports") && err.contains("not a module name"), "{bad}: {err}");
        }
    }

    #[test]
    fn fix_kind_and_fix_argument_are_validated() {
        let yaml = |fix: &str, py: &str| format!("rules:\n  - id: fk\n    severity: LOW\n    message: m\n    pattern: f($X)\n{fix}    metadata:\n      pyward: {{{py}}}\n");
        let load = |fix: &str, py: &str| {
            let mut rs = RuleSet::default();
            rs.add_yaml("fk.yaml", &yaml(fix, py)).map(|_| rs.rules[0].meta.clone()).map_err(|e| e.to_string())
        };
        let fix = "    fix: g($X)\n";
        assert_eq!(load(fix, "").map(|m| m.fix_kind), Ok(FixKind::Unsafe), "unsafe unless the rule says");
        assert_eq!(load(fix, "fix-kind: safe").map(|m| m.fix_kind), Ok(FixKind::Safe));
        let err = load(fix, "fix-kind: maybe").unwrap_err();
        assert!(err.contains("fix-kind") && err.contains("not one of safe, unsafe"), "{err}");
        let err = load("", "fix-kind: safe").unwrap_err();
        assert!(err.contains("fix-kind") && err.contains("no `fix`"), "{err}");
        let m = load("", "fix-argument: 'timeout=10', fix-kind: unsafe").expect("an argument is a fix");
        assert_eq!((m.fix_argument.as_deref(), m.fix_kind), (Some("timeout=10"), FixKind::Unsafe));
        for bad in ["timeout", "'a.b=1'", "'timeout=(10'", "'=1'"] {
            let err = load("", &format!("fix-argument: {bad}")).unwrap_err();
            assert!(err.contains("fix-argument") && err.contains("not a keyword argument"), "{bad}: {err}");
        }
    }

    #[test]
    fn fix_regex_takes_semgrep_group_syntax_and_validates() {
        let yaml = "rules:\n  - id: fr\n    severity: LOW\n    message: m\n    pattern: yaml.load($X)\n    fix-regex:\n      regex: '^yaml\\.load\\((.*)\\)$'\n      replacement: 'yaml.safe_load(\\1)'\n";
        let mut rs = RuleSet::default();
        rs.add_yaml("fr.yaml", yaml).unwrap();
        let fr = rs.rules[0].meta.fix_regex.as_ref().expect("fix-regex");
        assert_eq!(fr.replacement, "yaml.safe_load(${1})");
        assert_eq!(fr.apply("yaml.load(f)").as_deref(), Some("yaml.safe_load(f)"));
        assert_eq!(fr.apply("load(f)"), None, "no fix when the regex does not match");
        let bad = yaml.replace("replacement", "replace");
        let err = RuleSet::default().add_yaml("fr.yaml", &bad).unwrap_err().to_string();
        assert!(err.contains("fix-regex.replacement"), "{err}");
        let bad = yaml.replace("'^yaml", "'(^yaml");
        let err = RuleSet::default().add_yaml("fr.yaml", &bad).unwrap_err().to_string();
        assert!(err.contains("fix-regex.regex") && err.contains("regex"), "{err}");
    }

    #[test]
    fn loads_a_semgrep_rule() {
        let mut rs = RuleSet::default();
        rs.add_yaml("demo.yaml", GOOD).unwrap();
        let r = &rs.rules[0];
        assert_eq!(r.meta.severity, Severity::High);
        assert_eq!(r.meta.cwe, Some(78));
        assert_eq!(r.meta.owasp.as_deref(), Some("A03:2021-Injection"));
        assert_eq!(rs.patterns.len(), 2);
    }

    /// Metadata is free-form, as in Semgrep: values pyward cannot show load as nothing.
    #[test]
    fn metadata_values_pyward_cannot_read_are_left_out() {
        let cases = [
            ("CWE-78", "78x", None, Some("A03:2021-Injection")),
            ("A03:2021", "A11:2017", Some(78), None),
            ("[\"A03:2021 - Injection\"]", "[{A1: Injection}, 7]", Some(78), None),
        ];
        for (from, to, cwe, owasp) in cases {
            let mut rs = RuleSet::default();
            rs.add_yaml("demo.yaml", &GOOD.replace(from, to)).unwrap_or_else(|e| panic!("{to}: {e}"));
            let m = &rs.rules[0].meta;
            assert_eq!((m.cwe, m.owasp.as_deref()), (cwe, owasp), "{to}");
        }
        let text = LINES.replace("{confidence: HIGH}", "{confidence: SURE, likelihood: [x], impact: null, references: {a: 1}, asvs: {version: '4'}}");
        let mut rs = RuleSet::default();
        rs.add_yaml("l.yaml", &text).expect("any metadata value loads");
        let m = &rs.rules[0].meta;
        assert_eq!((m.confidence, m.likelihood.as_deref(), m.impact.as_deref(), m.references.len()), (Confidence::Medium, None, None, 0));
        let both = GOOD.replace("[\"A03:2021 - Injection\"]", "[\"A01:2017 - Injection\", \"A03:2021 \u{2013} Injection\"]");
        let mut rs = RuleSet::default();
        rs.add_yaml("demo.yaml", &both).unwrap();
        assert_eq!(rs.rules[0].meta.owasp.as_deref(), Some("A03:2021-Injection"), "the 2021 entry of a 2017+2021 list");
    }

    #[test]
    fn errors_name_file_key_and_reason() {
        let cases = [
            (GOOD.replace("severity: ERROR", "severity: SEVERE"), "rules[0].severity", "not one of"),
            (GOOD.replace("pattern-not:", "pattern-nope:"), "rules[0].patterns[1].pattern-nope", "unknown"),
            (GOOD.replace("os.system($X)", "os.system($X"), "rules[0].patterns[0].pattern", ""),
            (GOOD.replace("  - id: demo\n", "  - idx: demo\n"), "rules[0].idx", "unknown"),
            ("rules: [".to_string(), "", "invalid YAML"),
        ];
        for (text, key, reason) in cases {
            let mut rs = RuleSet::default();
            let e = rs.add_yaml("bad.yaml", &text).unwrap_err();
            assert_eq!(e.file, "bad.yaml");
            assert_eq!(e.path, key, "{e}");
            assert!(e.message.contains(reason), "{e}");
        }
    }

    /// A rule whose severity is on line 7; each case below breaks one key of it.
    const LINES: &str = "# a rule file
rules:
  - id: demo
    languages: [python]
    message: found $X
    metadata: {confidence: HIGH}
    severity: ERROR
    patterns:
      - pattern: os.system($X)
      - pattern-not: os.system(\"...\")
      - metavariable-regex:
          metavariable: $X
          regex: '^x'
";

    /// Each kind of invalid rule: (from, to, path, line, column, part of the message).
    const BROKEN: &[(&str, &str, &str, u32, u32, &str)] = &[
        ("severity: ERROR", "severity: SEVERE", "rules[0].severity", 7, 5, "`SEVERE` is not one of CRITICAL"),
        ("severity: ERROR", "severity: [ERROR]", "rules[0].severity", 7, 5, "invalid type: sequence, expected a string"),
        ("pattern-not:", "pattern-nope:", "rules[0].patterns[1].pattern-nope", 10, 9, "unknown variant `pattern-nope`"),
        ("regex: '^x'", "regex: '(x'", "rules[0].patterns[2].metavariable-regex.regex", 13, 11, "invalid regex"),
        ("metavariable: $X", "metavariable: X", "rules[0].patterns[2].metavariable-regex.metavariable", 12, 11, "must start with `$`"),
        ("pattern: os.system($X)", "pattern: os.system($X", "rules[0].patterns[0].pattern", 9, 9, "not valid Python"),
        ("confidence: HIGH", "pyward: {family: webb}", "rules[0].metadata.pyward.family", 6, 25, "`webb` is not a known family"),
        ("confidence: HIGH", "pyward: {bandit: [B6]}", "rules[0].metadata.pyward.bandit", 6, 25, "`B6` is not a Bandit id"),
        ("[python]", "[java]", "rules[0].languages", 4, 5, "must be a list containing `python`"),
        ("message:", "massage:", "rules[0].massage", 5, 5, "unknown field `massage`"),
        ("    message: found $X\n", "", "rules[0].message", 3, 5, "missing field `message`"),
        ("id: demo", "id: demo!", "rules[0].id", 3, 5, "must be non-empty"),
        ("    metadata: {confidence: HIGH}\n", "    fix: null\n", "rules[0].fix", 6, 5, "invalid type: null, expected a string"),
        ("    metadata: {confidence: HIGH}\n", "    mode: taint\n", "rules[0].patterns", 8, 5, "a taint rule has `pattern-sources`"),
        ("    metadata: {confidence: HIGH}\n", "    mode: TAINT\n", "rules[0].mode", 6, 5, "unknown variant `TAINT`"),
        ("      - pattern: os.system($X)\n", "", "rules[0].patterns", 8, 5, "needs at least one positive pattern"),
        ("      - pattern: os.system($X)\n", "      - {pattern: a, pattern-not: b}\n", "rules[0].patterns[0]", 9, 9, "map with a single key"),
    ];

    #[test]
    fn a_rule_for_another_language_is_skipped_alone() {
        let text = "rules:\n  - {id: j, languages: [java], severity: INFO, message: m, pattern: f()}\n  - {id: p, languages: [python], severity: INFO, message: m, pattern: g()}\n";
        let mut rs = RuleSet::default();
        assert_eq!(rs.add_yaml("mixed.yaml", text).expect("the Python rule loads"), 1);
        assert_eq!(rs.rules.iter().map(|r| r.meta.id.as_str()).collect::<Vec<_>>(), ["p"]);
        assert!(rs.notices.iter().any(|n| n.contains("rule `j`") && n.contains("java") && n.contains("skipped")), "{:?}", rs.notices);
        // Only other languages: nothing would run, so it is an error.
        let only = "rules:\n  - {id: j, languages: [java], severity: INFO, message: m, pattern: f()}\n";
        assert!(RuleSet::default().add_yaml("java.yaml", only).expect_err("no Python rule").message.contains("python"));
    }

    #[test]
    fn errors_name_the_path_line_and_column() {
        let mut rs = RuleSet::default();
        rs.add_yaml("lines.yaml", LINES).expect("the unbroken rule loads");
        for (from, to, path, line, column, message) in BROKEN {
            assert!(LINES.contains(from), "{from}");
            let text = LINES.replacen(from, to, 1);
            let e = RuleSet::default().add_yaml("bad.yaml", &text).expect_err(to);
            assert_eq!(
                (e.file.as_str(), e.rule.as_deref(), e.path.as_str(), e.line, e.column),
                ("bad.yaml", Some(to.strip_prefix("id: ").unwrap_or("demo")), *path, Some(*line), Some(*column)),
                "{e}"
            );
            assert!(e.message.contains(message), "{e}");
            assert!(e.to_string().starts_with(&format!("bad.yaml:{line}:{column}: rule `{}`: {path}: ", e.rule.as_deref().unwrap_or(""))), "{e}");
            // The same file as JSON: the same error, without a position.
            let json = crate::rules::yaml::parse(&text).expect("still YAML").to_string();
            let j = RuleSet::default().add_json("bad.json", &json).expect_err(to);
            assert_eq!((j.path.as_str(), j.line, j.message.as_str()), (*path, None, e.message.as_str()));
        }
    }

    #[test]
    fn yaml_errors_have_a_position_and_no_path() {
        let e = RuleSet::default().add_yaml("bad.yaml", "rules:\n  - id: [a, b\n  - id: c\n").unwrap_err();
        assert_eq!((e.path.as_str(), e.rule.as_deref(), e.line), ("", None, Some(3)), "{e}");
        assert!(e.to_string().starts_with("bad.yaml:3:") && e.message.starts_with("invalid YAML: "), "{e}");
    }

    const TAINT: &str = "taint-library:
  sources:
    web: [{pattern: request.args}]
";

    const TAINT_RULE: &str = "rules:
  - id: t
    mode: taint
    severity: HIGH
    message: m
    pattern-sources:
      - include: web
      - {pattern: input(), confidence: LOW, label: 3}
    pattern-sanitizers:
      - {pattern: int($X), by-guard: negated}
    pattern-sinks:
      - pattern: eval($X)
    pattern-propagators:
      - {pattern: $T.append($F), from: $F, to: $T}
";

    #[test]
    fn taint_rules_and_the_library() {
        let mut rs = RuleSet::default();
        rs.add_yaml("lib.yaml", TAINT).unwrap();
        rs.add_yaml("t.yaml", TAINT_RULE).unwrap();
        let Check::Taint(spec) = &rs.rules[0].check else { panic!("a taint rule") };
        assert_eq!(spec.sources.len(), 2);
        assert_eq!((spec.sources[0].shared, spec.sources[1].shared), (Some(0), None));
        assert_eq!((spec.sources[1].confidence, spec.sources[1].label.as_deref()), (Confidence::Low, None));
        assert_eq!(spec.sanitizers[0].guard, Guard::WhenFalse);
        assert_eq!((spec.propagators[0].from.as_str(), spec.propagators[0].to.as_str()), ("F", "T"));
        let cases = [
            ("include: web", "include: mobile", "rules[0].pattern-sources[0].include", 7, "no taint library set `mobile` (known: web)"),
            ("label: 3", "lable: 3", "rules[0].pattern-sources[1].lable", 8, "unknown field `lable`"),
            ("by-guard: negated", "by-guard: always", "rules[0].pattern-sanitizers[0].by-guard", 10, "is not `true`, `false` or `negated`"),
            ("from: $F", "from: F", "rules[0].pattern-propagators[0].from", 14, "must start with `$`"),
            ("mode: taint", "mode: search", "rules[0].pattern-propagators", 13, "only allowed with `mode: taint`"),
            ("      - pattern: eval($X)\n", "      - {label: x}\n", "rules[0].pattern-sinks[0]", 12, "needs one of `pattern`"),
        ];
        for (from, to, path, line, message) in cases {
            let mut rs = RuleSet::default();
            rs.add_yaml("lib.yaml", TAINT).unwrap();
            let e = rs.add_yaml("t.yaml", &TAINT_RULE.replacen(from, to, 1)).expect_err(to);
            assert_eq!((e.path.as_str(), e.line), (path, Some(line)), "{e}");
            assert!(e.message.contains(message), "{e}");
        }
        // An `include:` entry is only its include: its other keys were always ignored.
        let mut rs = RuleSet::default();
        rs.add_yaml("lib.yaml", TAINT).unwrap();
        rs.add_yaml("t.yaml", &TAINT_RULE.replace("- include: web", "- {include: web, typo: 1, confidence: 5}")).unwrap();
        let e = RuleSet::default().add_yaml("lib.yaml", &TAINT.replace("pattern:", "include:")).unwrap_err();
        assert_eq!(e.path, "taint-library.sources.web[0].include", "{e}");
        let e = RuleSet::default().add_yaml("lib.yaml", &TAINT.replace("sources", "sinks")).unwrap_err();
        assert!(e.path == "taint-library.sinks" && e.line == Some(2) && e.message.contains("unknown field"), "{e}");
    }

    /// Free-form and lenient keys stay as they were: metadata takes any other key, a `title`,
    /// `docs`, `family` or source `label` that is not text is ignored, and `paths`/`options`
    /// take anything.
    #[test]
    fn lenient_keys_are_still_lenient() {
        let text = "rules:
  - id: l
    severity: info
    message: ' m '
    pattern: f()
    paths: {include: [a]}
    options: null
    metadata:
      title: [not, text]
      category: security
      references: https://example.com
      cwe: [79, junk]
      owasp: ['A03:2021 - Injection', 7]
      pyward: {family: 3, docs: {}, whatever: 1, native: nope}
";
        let mut rs = RuleSet::default();
        assert!(rs.add_yaml("l.yaml", text).is_err(), "a native check that does not exist is refused");
        let text = text.replace("native: nope", "extra: 2");
        rs.add_yaml("l.yaml", &text).unwrap();
        let m = &rs.rules[0].meta;
        assert_eq!((m.title.as_str(), m.message.as_str(), m.severity, m.family.as_str()), ("l", "m", Severity::Low, "custom"));
        assert_eq!((m.cwe, m.owasp.as_deref(), m.references.len()), (Some(79), Some("A03:2021-Injection"), 1));
        // serde would read a struct from a list of its fields; a rule file never could.
        let min = "rules:\n  - id: l\n    severity: LOW\n    message: m\n    pattern: f()\n";
        for (key, list) in [("metadata", "[]"), ("metadata", "[{pyward: [custom]}]"), ("fix-regex", "[a, b]")] {
            let e = RuleSet::default().add_yaml("l.yaml", &format!("{min}    {key}: {list}\n")).unwrap_err();
            assert!(e.path == format!("rules[0].{key}") && e.message.contains("expected a mapping"), "{e}");
        }
        let e = RuleSet::default().add_yaml("l.yaml", &format!("{min}    metadata: {{pyward: []}}\n")).unwrap_err();
        assert_eq!(e.path, "rules[0].metadata.pyward", "{e}");
        for (from, to) in [("options: null", "fix: null"), ("category", "pyward")] {
            assert!(RuleSet::default().add_yaml("l.yaml", &text.replacen(from, to, 1)).is_err(), "{to}");
        }
    }

    /// Rule ids are per configuration: a later file's rule replaces an earlier rule of the same
    /// id, and the set says which replaced which; within one file an id is given once.
    #[test]
    fn a_later_file_replaces_a_rule_of_the_same_id() {
        let rule = |msg: &str| format!("rules:\n  - id: r\n    languages: [python]\n    severity: INFO\n    message: {msg}\n    pattern: f()\n");
        let mut rs = RuleSet::default();
        rs.add_yaml("builtin.yaml", &rule("old")).unwrap();
        rs.add_yaml("mine.yaml", &rule("new")).unwrap();
        assert_eq!(rs.rules.len(), 1);
        assert_eq!(rs.rules[0].meta.message, "new");
        assert!(rs.notices.iter().any(|n| n.contains("`r` of mine.yaml replaces") && n.contains("builtin.yaml")), "{:?}", rs.notices);
        let twice = format!("{}{}", rule("a"), rule("b").replacen("rules:\n", "", 1));
        let e = RuleSet::default().add_yaml("t.yaml", &twice).unwrap_err();
        assert!(e.message.contains("duplicate rule id `r`"), "{e}");
    }

    /// Options pyward does not implement load, and are named in the set's notices.
    #[test]
    fn ignored_options_are_reported() {
        let text = "rules:\n  - id: t\n    languages: [python]\n    severity: INFO\n    message: m\n    mode: taint\n    options:\n      symbolic_propagation: true\n    pattern-sources:\n      - pattern: source()\n    pattern-sinks:\n      - pattern: sink(...)\n        requires: A\n    pattern-sanitizers:\n      - pattern: clean(...)\n        not-conflicting: true\n";
        let mut rs = RuleSet::default();
        rs.add_yaml("t.yaml", text).unwrap();
        let n = rs.notices.join("\n");
        for key in ["options.symbolic_propagation", "pattern-sinks[0].requires", "pattern-sanitizers[0].not-conflicting"] {
            assert!(n.contains(key), "{key} in {n}");
        }
    }

    /// Duplicate ids are found through a set (80,000 rules took 14 s with a pass per rule).
    #[test]
    fn duplicate_ids_are_refused_in_a_large_file() {
        let mut text = String::from("rules:\n");
        for i in 0..5000 {
            text.push_str(&format!("  - id: r{i}\n    languages: [python]\n    severity: LOW\n    message: m\n    pattern: f{i}()\n"));
        }
        let mut ok = RuleSet::default();
        assert_eq!(ok.add_yaml("big.yaml", &text).expect("5,000 distinct rules load"), 5000);
        text.push_str("  - id: r17\n    languages: [python]\n    severity: LOW\n    message: m\n    pattern: g()\n");
        let e = RuleSet::default().add_yaml("big.yaml", &text).expect_err("duplicate");
        assert!(e.message.contains("duplicate rule id `r17`"), "{e}");
        assert_eq!(e.path, "rules[5000].id");
    }

    /// Every built-in rule file loads the same from its YAML as from its embedded JSON.
    #[test]
    fn builtin_rules_load_from_yaml_as_from_json() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let (mut from_yaml, mut from_json) = (RuleSet::with_lazy_regexes(), RuleSet::with_lazy_regexes());
        from_yaml.native_checks = crate::native_check_names();
        from_json.native_checks = crate::native_check_names();
        // The taint libraries first, as `Engine::builtin` loads them.
        let (libs, rules): (Vec<_>, Vec<_>) = crate::BUILTIN_RULE_FILES.iter().partition(|(p, _)| p.starts_with("taint/"));
        for (path, json) in libs.into_iter().chain(rules) {
            let yaml = std::fs::read_to_string(dir.join(path)).unwrap();
            let n = from_yaml.add_yaml(path, &yaml).unwrap();
            assert_eq!(from_json.add_json(path, json).unwrap(), n, "{path}");
        }
        let metas = |rs: &RuleSet| serde_json::to_string(&rs.rules.iter().map(|r| &r.meta).collect::<Vec<_>>()).unwrap();
        assert!(from_yaml.rules.len() > 40);
        assert_eq!(metas(&from_yaml), metas(&from_json));
        assert_eq!(from_yaml.patterns.len(), from_json.patterns.len());
        assert_eq!(from_yaml.shared_sources(), from_json.shared_sources());
    }

    /// Operators nested as deep as YAML allows are an error or a rule, never a crash.
    #[test]
    fn deeply_nested_operators_do_not_crash() {
        for depth in [20, 61, 62, 200] {
            let mut text = String::from("rules:\n  - id: d\n    severity: LOW\n    message: m\n    patterns: ");
            text += &"[{patterns: ".repeat(depth);
            text += "[{pattern: f()}]";
            text += &"}]".repeat(depth);
            let r = RuleSet::default().add_yaml("deep.yaml", &text);
            assert_eq!(r.is_ok(), 2 * depth + 6 <= crate::rules::yaml::MAX_DEPTH, "{depth}: {r:?}");
        }
    }
}
