//! The rule file format as serde types: what a file may hold, before anything in it is compiled
//! (see `compile.rs`).
//!
//! The format is Semgrep's: `rules:`, each with `id`, `message`, `severity`, `languages`,
//! `metadata`, `fix`/`fix-regex` and either one pattern operator or `mode: taint` with
//! `pattern-sources`/`-sinks`/`-sanitizers`/`-propagators`; plus pyward's `taint-library:` files
//! of shared sources and sanitizers. Unknown keys are refused where Semgrep refuses them (a
//! rule's keys, operators, taint entries, `metavariable-pattern`); `metadata` and the mappings
//! inside it are free-form. A key given as `null` is refused like any other value of the wrong
//! type (see [`present`]), except where any value is accepted and ignored.

use std::collections::BTreeMap;

use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// For an optional key: absent is `None`, but `key: null` must hold a `T` like any other value.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Reads a struct only from a mapping: serde's derive also reads one from a list of its fields
/// in order (`metadata: [HIGH]`), which no rule file means. Each struct derives `Deserialize`
/// with `#[serde(remote = "Self")]`, which makes the derived code an inherent `deserialize`,
/// and gets its `Deserialize` from [`mapping_only!`].
trait FromMap<'de>: Sized {
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: FromMap<'de>> Visitor<'de> for MapVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// `Deserialize` for structs derived with `#[serde(remote = "Self")]`: from a mapping only.
macro_rules! mapping_only {
    ($($name:ident),*) => {$(
        impl<'de> FromMap<'de> for $name {
            fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
                $name::deserialize(MapAccessDeserializer::new(map))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(MapVisitor(PhantomData))
            }
        }
    )*};
}

mapping_only!(
    RuleFile, LibraryFile, RawLibrary, RawRule, MetavariableRegex, MetavariableComparison, MetavariablePattern, SourceEntry, SanitizerEntry, SinkEntry,
    PropagatorEntry, RawFixRegex, RawMetadata, RawPyward, RawRemediation, RawVerdict, NotInsideFormula, MetavariableAnalysis, MetavariableType
);

/// A file of rules.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct RuleFile {
    pub rules: Vec<RawRule>,
}

/// A file of the taint library: named lists of sources and sanitizers that rules include.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct LibraryFile {
    #[serde(rename = "taint-library")]
    pub library: RawLibrary,
}

/// `taint-library:`: set name -> entries, for each kind.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct RawLibrary {
    #[serde(default, deserialize_with = "present")]
    pub sources: Option<BTreeMap<String, Vec<SourceEntry>>>,
    #[serde(default, deserialize_with = "present")]
    pub sanitizers: Option<BTreeMap<String, Vec<SanitizerEntry>>>,
    #[serde(default, deserialize_with = "present")]
    pub propagation: Option<RawPropagation>,
}

/// `taint-library: propagation:`: how unresolved calls treat their data, by the called name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPropagation {
    #[serde(default, rename = "passes-through")]
    pub passes_through: Vec<String>,
    #[serde(default, rename = "returns-clean")]
    pub returns_clean: Vec<String>,
    #[serde(default, rename = "stores-into-receiver")]
    pub stores_into_receiver: Vec<String>,
}

/// One formula operator of a mapping, borrowed: `pattern`, `patterns`, `pattern-either` or
/// `pattern-regex`.
#[derive(Clone, Copy, Debug)]
pub enum Operator<'a> {
    Pattern(&'a str),
    Patterns(&'a [PatternsItem]),
    Either(&'a [EitherItem]),
    Regex(&'a str),
}

/// A mapping that holds one formula operator beside its own keys.
pub trait HasFormula {
    /// The formula operators present, with their keys, in key order.
    fn operators(&self) -> Vec<(&'static str, Operator<'_>)>;
}

/// Declares a mapping of its own keys plus the four formula operators, refusing unknown keys,
/// and its [`HasFormula`].
macro_rules! formula_mapping {
    ($(#[$attr:meta])* $name:ident { $($(#[$fattr:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$attr])*
        #[derive(Debug, Deserialize)]
        #[serde(remote = "Self", deny_unknown_fields, rename_all = "kebab-case")]
        pub struct $name {
            #[serde(default, deserialize_with = "present")]
            pub pattern: Option<String>,
            #[serde(default, deserialize_with = "present")]
            pub patterns: Option<Vec<PatternsItem>>,
            #[serde(default, deserialize_with = "present")]
            pub pattern_either: Option<Vec<EitherItem>>,
            #[serde(default, deserialize_with = "present")]
            pub pattern_regex: Option<String>,
            $($(#[$fattr])* pub $field: $ty,)*
        }

        impl HasFormula for $name {
            fn operators(&self) -> Vec<(&'static str, Operator<'_>)> {
                let ops = [
                    ("pattern", self.pattern.as_deref().map(Operator::Pattern)),
                    ("pattern-either", self.pattern_either.as_deref().map(Operator::Either)),
                    ("pattern-regex", self.pattern_regex.as_deref().map(Operator::Regex)),
                    ("patterns", self.patterns.as_deref().map(Operator::Patterns)),
                ];
                ops.into_iter().filter_map(|(k, op)| Some((k, op?))).collect()
            }
        }
    };
}

formula_mapping! {
    /// One rule.
    RawRule {
        id: String,
        #[serde(default, deserialize_with = "present")]
        languages: Option<Vec<AnyText>>,
        severity: String,
        message: String,
        #[serde(default, deserialize_with = "present")]
        metadata: Option<RawMetadata>,
        #[serde(default, deserialize_with = "present")]
        fix: Option<String>,
        #[serde(default, deserialize_with = "present")]
        fix_regex: Option<RawFixRegex>,
        #[serde(default, deserialize_with = "present")]
        mode: Option<Mode>,
        #[serde(default, deserialize_with = "present")]
        pattern_sources: Option<Vec<SourceEntry>>,
        #[serde(default, deserialize_with = "present")]
        pattern_sinks: Option<Vec<SinkEntry>>,
        #[serde(default, deserialize_with = "present")]
        pattern_sanitizers: Option<Vec<SanitizerEntry>>,
        #[serde(default, deserialize_with = "present")]
        pattern_propagators: Option<Vec<PropagatorEntry>>,
        /// Accepted and ignored: pyward reads every file it is given, with Python's grammar.
        paths: Option<IgnoredAny>,
        /// Semgrep's engine options: pyward implements none of them, and says so (see
        /// [`RawRule::ignored_options`]).
        #[serde(default, deserialize_with = "present")]
        options: Option<Value>,
        min_version: Option<IgnoredAny>,
        max_version: Option<IgnoredAny>,
    }
}

impl RawRule {
    /// The Semgrep features this rule uses that pyward accepts but does not implement, each as
    /// its path in the rule: `options` keys, taint labels (sinks' and propagators' `label`,
    /// `requires`, `replace-labels`), sanitizers' `not-conflicting`, propagators' `by-side-effect`, and
    /// `exact`, `control`, `at-exit`.
    pub fn ignored_options(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(Value::Object(m)) = &self.options {
            out.extend(m.keys().map(|k| format!("options.{k}")));
        }
        for (i, e) in self.pattern_sources.iter().flatten().enumerate() {
            // A source's label is kept (it names the source); labels only act with `requires`.
            for (k, present) in [("requires", e.requires.is_some()), ("exact", e.exact.is_some()), ("control", e.control.is_some())] {
                if present {
                    out.push(format!("pattern-sources[{i}].{k}"));
                }
            }
        }
        for (i, e) in self.pattern_sinks.iter().flatten().enumerate() {
            for (k, present) in [("label", e.label.is_some()), ("requires", e.requires.is_some()), ("exact", e.exact.is_some()), ("at-exit", e.at_exit.is_some())] {
                if present {
                    out.push(format!("pattern-sinks[{i}].{k}"));
                }
            }
        }
        for (i, e) in self.pattern_sanitizers.iter().flatten().enumerate() {
            for (k, present) in [("exact", e.exact.is_some()), ("not-conflicting", e.not_conflicting.is_some())] {
                if present {
                    out.push(format!("pattern-sanitizers[{i}].{k}"));
                }
            }
        }
        for (i, e) in self.pattern_propagators.iter().flatten().enumerate() {
            for (k, present) in [
                ("label", e.label.is_some()),
                ("requires", e.requires.is_some()),
                ("replace-labels", e.replace_labels.is_some()),
                ("by-side-effect", e.by_side_effect.as_ref().is_some_and(|v| v != &Value::Bool(true))),
            ] {
                if present {
                    out.push(format!("pattern-propagators[{i}].{k}"));
                }
            }
        }
        out
    }

    /// The taint keys present, in key order.
    pub fn taint_keys(&self) -> Vec<&'static str> {
        let keys = [
            ("pattern-propagators", self.pattern_propagators.is_some()),
            ("pattern-sanitizers", self.pattern_sanitizers.is_some()),
            ("pattern-sinks", self.pattern_sinks.is_some()),
            ("pattern-sources", self.pattern_sources.is_some()),
        ];
        keys.into_iter().filter(|k| k.1).map(|k| k.0).collect()
    }
}

/// `mode:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Search,
    Taint,
}

/// An item of `patterns:`: one operator.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PatternsItem {
    Pattern(String),
    Patterns(Vec<PatternsItem>),
    PatternEither(Vec<EitherItem>),
    PatternRegex(String),
    PatternNot(NotInside),
    PatternInside(String),
    PatternNotInside(NotInside),
    PatternNotRegex(String),
    MetavariableRegex(MetavariableRegex),
    MetavariablePattern(Box<MetavariablePattern>),
    MetavariableComparison(MetavariableComparison),
    MetavariableAnalysis(MetavariableAnalysis),
    MetavariableType(MetavariableType),
    FocusMetavariable(StrList),
}

impl PatternsItem {
    /// The item's key.
    pub fn key(&self) -> &'static str {
        match self {
            PatternsItem::Pattern(_) => "pattern",
            PatternsItem::Patterns(_) => "patterns",
            PatternsItem::PatternEither(_) => "pattern-either",
            PatternsItem::PatternRegex(_) => "pattern-regex",
            PatternsItem::PatternNot(_) => "pattern-not",
            PatternsItem::PatternInside(_) => "pattern-inside",
            PatternsItem::PatternNotInside(_) => "pattern-not-inside",
            PatternsItem::PatternNotRegex(_) => "pattern-not-regex",
            PatternsItem::MetavariableRegex(_) => "metavariable-regex",
            PatternsItem::MetavariablePattern(_) => "metavariable-pattern",
            PatternsItem::MetavariableComparison(_) => "metavariable-comparison",
            PatternsItem::MetavariableAnalysis(_) => "metavariable-analysis",
            PatternsItem::MetavariableType(_) => "metavariable-type",
            PatternsItem::FocusMetavariable(_) => "focus-metavariable",
        }
    }
}

/// What `pattern-not-inside:` takes: a pattern, as in Semgrep, or (pyward) a formula mapping
/// (`patterns:`, `pattern-either:`), for a region no single pattern describes, such as a
/// synchronous function, which is a `def` pattern's match that is not an `async def`'s.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum NotInside {
    Pattern(String),
    Formula(Box<NotInsideFormula>),
}

formula_mapping! {
    /// `pattern-not-inside:` written as a formula mapping.
    NotInsideFormula {}
}

/// An item of `pattern-either:`. `pattern-inside` reads as `pattern` there.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EitherItem {
    Pattern(String),
    Patterns(Vec<PatternsItem>),
    PatternEither(Vec<EitherItem>),
    PatternRegex(String),
    PatternInside(String),
}

impl EitherItem {
    /// The item's key and operator.
    pub fn operator(&self) -> (&'static str, Operator<'_>) {
        match self {
            EitherItem::Pattern(t) => ("pattern", Operator::Pattern(t)),
            EitherItem::Patterns(items) => ("patterns", Operator::Patterns(items)),
            EitherItem::PatternEither(items) => ("pattern-either", Operator::Either(items)),
            EitherItem::PatternRegex(t) => ("pattern-regex", Operator::Regex(t)),
            EitherItem::PatternInside(t) => ("pattern-inside", Operator::Pattern(t)),
        }
    }
}

/// `metavariable-regex:`. Other keys are ignored.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct MetavariableRegex {
    pub metavariable: String,
    pub regex: String,
    /// Semgrep's `constant-value-propagation`: when the metavariable is bound to a name bound
    /// once to a constant, the regex may also match that constant's code (see
    /// [`crate::rules::Clause::MetavarRegex`]).
    #[serde(default, rename = "constant-value-propagation", deserialize_with = "present")]
    pub constant_value_propagation: Option<bool>,
}

/// `metavariable-analysis:` (see [`crate::rules::mv_analysis`]). Other keys are ignored.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct MetavariableAnalysis {
    pub metavariable: String,
    pub analyzer: String,
}

/// `metavariable-type:`: the metavariable's code must be of this type (or one of these).
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct MetavariableType {
    pub metavariable: String,
    #[serde(default, deserialize_with = "present")]
    pub r#type: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub types: Option<Vec<String>>,
    /// Accepted: the types are Python's.
    pub language: Option<IgnoredAny>,
}

/// `metavariable-comparison:` (see [`crate::rules::comparison`]). Other keys are ignored.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct MetavariableComparison {
    /// Needed only with `strip: true`.
    #[serde(default, deserialize_with = "present")]
    pub metavariable: Option<String>,
    pub comparison: String,
    #[serde(default, deserialize_with = "present")]
    pub strip: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    pub base: Option<u32>,
}

formula_mapping! {
    /// `metavariable-pattern:`: a formula the metavariable's text must match.
    MetavariablePattern {
        metavariable: String,
        /// `generic` reads the text as tokens (see `mv_analysis::generic_regex`); Python is
        /// the default; another language does not load (pyward cannot parse it).
        #[serde(default, deserialize_with = "present")]
        language: Option<String>,
    }
}

formula_mapping! {
    /// An entry of `pattern-sources` (or of the library's sources).
    SourceEntry {
        /// `include: <set>`: the library's set of that name instead of this entry (whose other
        /// keys are then ignored: see [`only_includes`]).
        #[serde(default, deserialize_with = "present")]
        include: Option<Value>,
        /// Semgrep's label; a value that is not text is ignored.
        #[serde(default)]
        label: AnyText,
        #[serde(default, deserialize_with = "present")]
        confidence: Option<String>,
        /// pyward's `request-object: true`: the match is the web request object itself (see
        /// [`crate::rules::TaintSource::request_object`]).
        #[serde(default, deserialize_with = "present")]
        request_object: Option<bool>,
        exact: Option<IgnoredAny>,
        requires: Option<IgnoredAny>,
        control: Option<IgnoredAny>,
    }
}

formula_mapping! {
    /// An entry of `pattern-sanitizers` (or of the library's sanitizers).
    SanitizerEntry {
        /// `include: <set>`: the library's set of that name instead of this entry (whose other
        /// keys are then ignored: see [`only_includes`]).
        #[serde(default, deserialize_with = "present")]
        include: Option<Value>,
        /// `true`, `false` or `only`.
        #[serde(default, deserialize_with = "present")]
        by_side_effect: Option<Value>,
        /// `true`, `false` or `negated`.
        #[serde(default, deserialize_with = "present")]
        by_guard: Option<Value>,
        exact: Option<IgnoredAny>,
        not_conflicting: Option<IgnoredAny>,
    }
}

formula_mapping! {
    /// An entry of `pattern-sinks`.
    SinkEntry {
        label: Option<IgnoredAny>,
        requires: Option<IgnoredAny>,
        exact: Option<IgnoredAny>,
        at_exit: Option<IgnoredAny>,
    }
}

formula_mapping! {
    /// An entry of `pattern-propagators`: taint flows from `from` to `to` where it matches.
    PropagatorEntry {
        from: String,
        to: String,
        label: Option<IgnoredAny>,
        requires: Option<IgnoredAny>,
        replace_labels: Option<IgnoredAny>,
        /// pyward's propagators act by side effect (`to` takes the taint), Semgrep's default;
        /// `false` is reported as not implemented.
        #[serde(default, deserialize_with = "present")]
        by_side_effect: Option<Value>,
    }
}

/// `fix-regex:`. Other keys are ignored.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct RawFixRegex {
    pub regex: String,
    pub replacement: String,
    #[serde(default, deserialize_with = "present")]
    pub count: Option<u64>,
}

/// `metadata:`: free-form, as in Semgrep, which never validates it. pyward reads these keys
/// when their values are what it can show (see `rule_meta`), and ignores them otherwise; only
/// `pyward:`, which says how pyward runs the rule, is checked.
#[derive(Debug, Default, Deserialize)]
#[serde(remote = "Self")]
pub struct RawMetadata {
    #[serde(default)]
    pub confidence: AnyText,
    /// `CWE-78: title`, a number, or a list of those.
    #[serde(default)]
    pub cwe: Option<Value>,
    /// `A03:2021 - Injection`, or a list of entries (2017's and 2021's).
    #[serde(default)]
    pub owasp: Option<Value>,
    /// A URL or a list of them; other values are ignored.
    #[serde(default)]
    pub references: Option<Value>,
    #[serde(default)]
    pub likelihood: AnyText,
    #[serde(default)]
    pub impact: AnyText,
    #[serde(default)]
    pub title: AnyText,
    #[serde(default, deserialize_with = "present")]
    pub pyward: Option<RawPyward>,
}

/// `metadata.pyward:`: what pyward adds to Semgrep's format. Other keys are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(remote = "Self")]
pub struct RawPyward {
    /// A family id; a value that is not text reads as no family (`custom`).
    #[serde(default)]
    pub family: AnyText,
    #[serde(default, deserialize_with = "present")]
    pub bandit: Option<StrList>,
    #[serde(default, deserialize_with = "present")]
    pub ruff: Option<StrList>,
    #[serde(default)]
    pub docs: AnyText,
    #[serde(default, deserialize_with = "present")]
    pub remediation: Option<RawRemediation>,
    /// The name of a native check (read only for rules that are not taint rules).
    #[serde(default, deserialize_with = "present")]
    pub native: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub supersedes: Option<StrList>,
    /// Modules the rule's fix uses (`[secrets]`): a fix adds `import secrets` when the file
    /// lacks it.
    #[serde(default, rename = "fix-imports", deserialize_with = "present")]
    pub fix_imports: Option<StrList>,
    /// A keyword argument (`timeout=10`) the fix adds to the matched call.
    #[serde(default, rename = "fix-argument", deserialize_with = "present")]
    pub fix_argument: Option<String>,
    /// `safe` or `unsafe` (the default): whether the rule's fix may change behaviour.
    #[serde(default, rename = "fix-kind", deserialize_with = "present")]
    pub fix_kind: Option<String>,
    /// The taint rule covering the same sink, and what to report where it proves the value
    /// clean.
    #[serde(default, deserialize_with = "present")]
    pub verdict: Option<RawVerdict>,
}

/// `metadata.pyward.verdict:`. Other keys are ignored.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct RawVerdict {
    #[serde(rename = "taint-rule")]
    pub taint_rule: String,
    /// `nothing` or `low`.
    #[serde(rename = "when-clean")]
    pub when_clean: String,
    /// The LOW finding's message (with `when-clean: low`).
    #[serde(default, deserialize_with = "present")]
    pub message: Option<String>,
}

/// `metadata.pyward.remediation:`. Other keys are ignored.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct RawRemediation {
    pub before: String,
    pub after: String,
}

/// Any value, of which only text is kept (keys whose other values have always been ignored).
#[derive(Debug, Default)]
pub struct AnyText(pub Option<String>);

impl<'de> Deserialize<'de> for AnyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AnyText, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => AnyText(Some(s)),
            _ => AnyText(None),
        })
    }
}

/// A string or a list of strings.
#[derive(Debug)]
pub enum StrList {
    One(String),
    Many(Vec<String>),
}

impl StrList {
    /// The strings, each with its path under `path`.
    pub fn items(&self, path: &str) -> Vec<(String, &str)> {
        match self {
            StrList::One(s) => vec![(path.to_string(), s.as_str())],
            StrList::Many(v) => v.iter().enumerate().map(|(i, s)| (format!("{path}[{i}]"), s.as_str())).collect(),
        }
    }

    /// The strings.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            StrList::One(s) => vec![s.clone()],
            StrList::Many(v) => v.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StrList, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<StrList, E> {
                Ok(StrList::One(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(StrList::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A rule's `pattern-sources` or `pattern-sanitizers` entry with `include:` stands for a set of
/// the taint library, and pyward has always ignored its other keys: `doc` without those keys,
/// or `None` when no entry has any.
pub fn only_includes(doc: &Value) -> Option<Value> {
    const LISTS: [&str; 2] = ["pattern-sources", "pattern-sanitizers"];
    let beside_include = |e: &Value| e.as_object().is_some_and(|m| m.len() > 1 && m.contains_key("include"));
    let rules = doc.get("rules")?.as_array()?;
    let entries = |r: &Value| LISTS.iter().filter_map(|k| r.get(k)?.as_array()).flatten().any(beside_include);
    if !rules.iter().any(entries) {
        return None;
    }
    let mut doc = doc.clone();
    let rules = doc.get_mut("rules").and_then(Value::as_array_mut).into_iter().flatten();
    for list in rules.flat_map(|r| r.as_object_mut()).flat_map(|r| r.iter_mut().filter(|(k, _)| LISTS.contains(&k.as_str()))) {
        let entries = list.1.as_array_mut().into_iter().flatten().filter_map(Value::as_object_mut);
        for entry in entries.filter(|e| e.contains_key("include")) {
            entry.retain(|k, _| k == "include");
        }
    }
    Some(doc)
}
