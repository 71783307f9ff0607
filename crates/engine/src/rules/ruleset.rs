//! The engine's rules: what a rule file compiles into (see `compile.rs` for how).

use crate::rules::meta::{Confidence, RuleMeta};
use crate::rules::pattern::{MvRegex, Pattern};

/// What a rule matches: a pattern (by its number in [`RuleSet::patterns`]), a regex over the
/// source text, any of several formulas, or all of a list of clauses (`patterns:`).
#[derive(Debug, Clone)]
pub enum Formula {
    Pattern(usize),
    /// `pattern-regex`: PCRE, on `regex` or (look-around, backreferences) `fancy-regex`.
    Regex(crate::rules::pcre::PcreRegex),
    Either(Vec<Formula>),
    And(Vec<Clause>),
}

/// How many names bound to names a `constant-value-propagation` regex follows.
pub const MAX_CONSTANT_HOPS: usize = 4;

/// One item of `patterns:`.
#[derive(Debug, Clone)]
pub enum Clause {
    Pos(Formula),
    Not(Formula),
    Inside(Formula),
    NotInside(Formula),
    /// `metavariable-regex`; with `constants` (`constant-value-propagation: true`), a name bound
    /// once to a constant also matches when the regex matches the constant's code (followed
    /// through at most [`MAX_CONSTANT_HOPS`] such names).
    MetavarRegex { mv: String, regex: MvRegex, constants: bool },
    MetavarPattern { mv: String, formula: Formula },
    /// `metavariable-comparison` (see [`crate::rules::comparison`]).
    MetavarComparison(Box<crate::rules::comparison::Comparison>),
    /// `metavariable-analysis` (see [`crate::rules::mv_analysis`]).
    MetavarAnalysis { mv: String, analyzer: crate::rules::mv_analysis::Analyzer },
    /// `metavariable-type`, and a typed metavariable `($X: T)`: the bound code's type is one of
    /// these (see `Matcher::type_at`).
    MetavarType { mv: String, types: Vec<String> },
    Focus(Vec<String>),
}

/// How a rule finds its findings.
#[derive(Debug)]
pub enum Check {
    Formula(Formula),
    Native(String),
    /// `mode: taint` (see `taint.rs`).
    Taint(TaintSpec),
}

/// How a sanitizer cleans data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// The matched expression's value is clean (`int(x)`, `shlex.quote(x)`).
    No,
    /// pyward's `by-guard: true`: a condition; where it holds, the focused variable is clean
    /// (`if x in ALLOWED:` ..., and after `if not ok(x): return`).
    WhenTrue,
    /// `by-guard: negated`: where the condition fails, the variable is clean
    /// (`if x not in ALLOWED: abort(400)`).
    WhenFalse,
}

/// A `pattern-sources` entry: where tainted data comes from.
#[derive(Debug, Clone)]
pub struct TaintSource {
    pub formula: Formula,
    /// pyward's `confidence:` on a source: findings from it are no more certain than this
    /// (`os.environ` and `sys.argv` are LOW: their values are usually the operator's).
    pub confidence: Confidence,
    /// Semgrep's `label:` (kept for the trace's wording).
    pub label: Option<String>,
    /// pyward's `request-object: true`: the match is the web request object itself. It is not
    /// data, but is followed through aliases, helper parameters and attributes, and what is
    /// read from its data attributes (`.args`, `.GET`, `.get_json()`...) is.
    pub request_object: bool,
    /// For an entry of the taint library: its number among the library's source entries
    /// ([`RuleSet::shared_sources`] in all). The rules that include it share its matches.
    pub shared: Option<u32>,
}

/// A `pattern-sanitizers` entry: what cleans tainted data.
#[derive(Debug, Clone)]
pub struct TaintSanitizer {
    pub formula: Formula,
    pub guard: Guard,
    /// Semgrep's `by-side-effect: true`: the focused variable stays clean after the call.
    pub by_side_effect: bool,
}

/// A `pattern-propagators` entry: taint flows from the metavariable `from` to `to`.
#[derive(Debug)]
pub struct TaintPropagator {
    pub formula: Formula,
    pub from: String,
    pub to: String,
}

/// Semgrep's taint mode: data from a source that reaches a sink without passing a sanitizer.
#[derive(Debug, Default)]
pub struct TaintSpec {
    pub sources: Vec<TaintSource>,
    pub sinks: Vec<Formula>,
    pub sanitizers: Vec<TaintSanitizer>,
    pub propagators: Vec<TaintPropagator>,
}

/// Named lists of taint sources and sanitizers that several rules share (`include: web-input`
/// in a rule's `pattern-sources`). They live in `rules/taint/*.yaml` under `taint-library:`.
/// Each list is compiled once: the rules that include it share its patterns, so the matcher
/// tries them once per node however many rules use them.
#[derive(Debug, Default)]
pub(crate) struct TaintLibrary {
    pub(crate) sources: LibrarySets<TaintSource>,
    pub(crate) sanitizers: LibrarySets<TaintSanitizer>,
}

/// How an unresolved call treats the data it is given, by the called name (a function's or a
/// method's): see `rules/taint/propagation.yaml`.
#[derive(Debug, Default)]
pub struct Propagation {
    /// The value carries the arguments' and the receiver's data, unchanged in kind.
    pub passes_through: rustc_hash::FxHashSet<String>,
    /// The value carries none of the arguments' data.
    pub returns_clean: rustc_hash::FxHashSet<String>,
    /// The method stores its arguments into its receiver.
    pub stores_into_receiver: rustc_hash::FxHashSet<String>,
}

/// Named sets of one kind of taint entry.
pub(crate) type LibrarySets<T> = Vec<(String, Vec<T>)>;

impl Check {
    /// Every formula of the rule: a pattern rule's one, or a taint rule's sources, sinks,
    /// sanitizers and propagators.
    pub fn formulas(&self) -> Vec<&Formula> {
        match self {
            Check::Formula(f) => vec![f],
            Check::Native(_) => Vec::new(),
            Check::Taint(t) => t
                .sources
                .iter()
                .map(|s| &s.formula)
                .chain(&t.sinks)
                .chain(t.sanitizers.iter().map(|s| &s.formula))
                .chain(t.propagators.iter().map(|p| &p.formula))
                .collect(),
        }
    }
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

/// Every pattern of every rule, stored once so that a single tree walk can serve them all.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub patterns: Vec<Pattern>,
    pub(crate) library: TaintLibrary,
    pub(crate) shared_sources: u32,
    /// Compile `metavariable-regex`es when they first run instead of when they load (for the
    /// built-in rules, which a test compiles in full).
    pub lazy_regexes: bool,
    /// Patterns added now follow a name to any value it is bound to once (the built-in
    /// rules); otherwise only to a literal one, as Semgrep does (see
    /// [`crate::rules::pattern::Pattern::literal_values`]).
    pub follow_any_value: bool,
    /// Compiling the formula of a `metavariable-pattern` (its `patterns` may be only
    /// `pattern-not`s).
    pub(crate) mv_pattern_top: bool,
    /// How calls the taint engine cannot follow treat their data (from the taint library's
    /// `propagation:` lists; `rules/taint/propagation.yaml` for the built-in rules).
    pub propagation: Propagation,
    /// The native checks a rule may name (`metadata.pyward.native`). The engine fills it from
    /// its registry (`checks/mod.rs`), the one place native checks are listed; a bare rule set
    /// knows none.
    pub native_checks: Vec<&'static str>,
    /// The ids of `rules`, to refuse a duplicate without a pass over every rule.
    pub(crate) ids: rustc_hash::FxHashSet<String>,
    /// What loading the rules did that the user should know: a rule that replaced another of
    /// the same id (see `add_document`), options of a rule that pyward does not implement.
    pub notices: Vec<String>,
}

impl RuleSet {
    /// A rule set whose `metavariable-regex`es compile when they first run (the built-in rules).
    pub fn with_lazy_regexes() -> RuleSet {
        RuleSet { lazy_regexes: true, follow_any_value: true, ..RuleSet::default() }
    }

    /// How many source entries the taint library has (see [`TaintSource::shared`]).
    pub fn shared_sources(&self) -> usize {
        self.shared_sources as usize
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }
}
