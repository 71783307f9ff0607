//! Rules as data: loading and validating the Semgrep-style YAML rule files.
//!
//! Every problem is reported as `file: key: reason`, e.g.
//! `rules/injection/x.yaml: rules[0].metadata.cwe: expected "CWE-<number>..."`.

use std::fmt;

use regex::Regex;
use serde::Serialize;
use serde_json::Value;

use crate::rules::pattern::{compile_pattern, MvRegex, Pattern};

pub use pyward_contract::{Confidence, Severity};

/// The rule families, in the order reports list them.
pub const FAMILIES: &[(&str, &str)] = &[
    ("injection", "Injection (SQL, OS command, code)"),
    ("deserialization", "Unsafe deserialization"),
    ("secrets", "Hard-coded secrets"),
    ("configuration", "Insecure framework configuration"),
    ("xss", "Cross-site scripting and template injection"),
    ("crypto", "Weak cryptography and randomness"),
    ("tls", "TLS and certificate verification"),
    ("network", "Network timeouts and cleartext protocols"),
    ("xml", "XML external entities"),
    ("files", "File system and path handling"),
    ("jwt", "JSON Web Tokens"),
    ("other", "Error handling and assertions"),
    ("web", "Web request handling (redirects, headers, server-side requests)"),
    ("custom", "Custom rules"),
];

#[derive(Clone, Debug, Serialize)]
pub struct Remediation {
    pub before: String,
    pub after: String,
}

/// Semgrep's `fix-regex`: `regex` is replaced by `replacement` (`\1` or `${1}` name groups) in the
/// matched text, `count` times (all when absent). No fix when the regex does not match.
#[derive(Clone, Debug, Serialize)]
pub struct FixRegex {
    #[serde(serialize_with = "serialize_regex")]
    pub regex: Regex,
    pub replacement: String,
    pub count: Option<usize>,
}

fn serialize_regex<S: serde::Serializer>(r: &Regex, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.as_str())
}

impl FixRegex {
    /// The fixed text, or `None` when the regex does not match `matched`.
    pub fn apply(&self, matched: &str) -> Option<String> {
        if !self.regex.is_match(matched) {
            return None;
        }
        let rep = self.replacement.as_str();
        Some(match self.count {
            Some(n) => self.regex.replacen(matched, n, rep).into_owned(),
            None => self.regex.replace_all(matched, rep).into_owned(),
        })
    }
}

/// Semgrep writes groups as `\1`; the regex crate as `${1}`.
fn semgrep_replacement(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            let mut n = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(*d);
                chars.next();
            }
            out.push_str(&format!("${{{n}}}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// What a rule is and how to present it: everything except its patterns.
#[derive(Clone, Debug, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub message: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub likelihood: Option<String>,
    pub impact: Option<String>,
    pub cwe: Option<u32>,
    pub cwe_title: Option<String>,
    pub owasp: Option<String>,
    pub references: Vec<String>,
    pub family: String,
    pub bandit: Vec<String>,
    pub ruff: Vec<String>,
    pub docs: String,
    pub remediation: Option<Remediation>,
    pub fix: Option<String>,
    /// Semgrep's `fix-regex`: a regex replacement applied to the matched text.
    pub fix_regex: Option<FixRegex>,
    /// Where the rule came from (`injection/sql-injection-format.yaml`).
    pub source: String,
    /// `mode: taint` rules.
    pub taint: bool,
    /// Pattern rules whose finding on the same range this rule's finding replaces
    /// (`metadata.pyward.supersedes`): a taint rule that proves where the data came from
    /// supersedes the pattern rule that only saw a non-literal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Formula {
    Pattern(usize),
    Regex(Regex),
    Either(Vec<Formula>),
    And(Vec<Clause>),
}

#[derive(Debug, Clone)]
pub enum Clause {
    Pos(Formula),
    Not(Formula),
    Inside(Formula),
    NotInside(Formula),
    MetavarRegex { mv: String, regex: MvRegex },
    MetavarPattern { mv: String, formula: Formula },
    Focus(Vec<String>),
}

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

#[derive(Debug, Clone)]
pub struct TaintSource {
    pub formula: Formula,
    /// pyward's `confidence:` on a source: findings from it are no more certain than this
    /// (`os.environ` and `sys.argv` are LOW: their values are usually the operator's).
    pub confidence: Confidence,
    /// Semgrep's `label:` (kept for the trace's wording).
    pub label: Option<String>,
    /// For an entry of the taint library: its number among the library's source entries
    /// ([`RuleSet::shared_sources`] in all). The rules that include it share its matches.
    pub shared: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct TaintSanitizer {
    pub formula: Formula,
    pub guard: Guard,
    /// Semgrep's `by-side-effect: true`: the focused variable stays clean after the call.
    pub by_side_effect: bool,
}

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
struct TaintLibrary {
    sources: LibrarySets<TaintSource>,
    sanitizers: LibrarySets<TaintSanitizer>,
}

/// Named sets of one kind of taint entry.
type LibrarySets<T> = Vec<(String, Vec<T>)>;
/// Which sets of the library a list draws on (its sources or its sanitizers).
type SetsOf<T> = fn(&mut TaintLibrary) -> &mut LibrarySets<T>;
/// Parses one entry of a taint list.
type EntryParser<T> = fn(&mut RuleSet, &Ctx, &str, &Value) -> Result<T, RuleError>;

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
    library: TaintLibrary,
    shared_sources: u32,
    /// Compile `metavariable-regex`es when they first run instead of when they load (for the
    /// built-in rules, which a test compiles in full).
    pub lazy_regexes: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub key: String,
    pub reason: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.file, self.key, self.reason)
        }
    }
}

impl std::error::Error for RuleError {}

/// Native checks implemented in Rust (see `native.rs`).
pub const NATIVE_CHECKS: &[&str] = &["secret-entropy"];

struct Ctx<'f> {
    file: &'f str,
}

impl Ctx<'_> {
    fn err(&self, key: &str, reason: impl Into<String>) -> RuleError {
        RuleError { file: self.file.to_string(), key: key.to_string(), reason: reason.into() }
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

impl RuleSet {
    /// Parses one YAML rule file and adds its rules. `file` is only used in messages.
    pub fn add_yaml(&mut self, file: &str, text: &str) -> Result<usize, RuleError> {
        let doc: Value = crate::rules::yaml::parse(text).map_err(|e| Ctx { file }.err("", format!("invalid YAML: {e}")))?;
        self.add_document(file, &doc)
    }

    /// [`RuleSet::add_yaml`] for a rule file already turned into JSON (the built-in rules: see
    /// build.rs).
    pub fn add_json(&mut self, file: &str, text: &str) -> Result<usize, RuleError> {
        let doc: Value = serde_json::from_str(text).map_err(|e| Ctx { file }.err("", format!("invalid JSON: {e}")))?;
        self.add_document(file, &doc)
    }

    fn add_document(&mut self, file: &str, doc: &Value) -> Result<usize, RuleError> {
        let cx = Ctx { file };
        if let Some(lib) = doc.get("taint-library") {
            if let Some(k) = doc.as_object().and_then(|o| o.keys().find(|k| k.as_str() != "taint-library")) {
                return Err(cx.err(k, "unknown top-level key in a taint library (expected only `taint-library`)"));
            }
            self.add_library(&cx, lib)?;
            return Ok(0);
        }
        let rules = doc
            .get("rules")
            .ok_or_else(|| cx.err("rules", "missing: a rule file is a mapping with a `rules:` list"))?;
        let list = rules.as_array().ok_or_else(|| cx.err("rules", format!("expected a list, found {}", describe(rules))))?;
        if let Some(obj) = doc.as_object() {
            if let Some(k) = obj.keys().find(|k| k.as_str() != "rules") {
                return Err(cx.err(k, "unknown top-level key (expected only `rules`)"));
            }
        }
        let mut added = 0;
        for (i, r) in list.iter().enumerate() {
            let key = format!("rules[{i}]");
            let rule = self.rule(&cx, &key, r)?;
            if self.rules.iter().any(|x| x.meta.id == rule.meta.id) {
                return Err(cx.err(&format!("{key}.id"), format!("duplicate rule id `{}`", rule.meta.id)));
            }
            self.rules.push(rule);
            added += 1;
        }
        Ok(added)
    }

    /// A rule set whose `metavariable-regex`es compile when they first run (the built-in rules).
    pub fn with_lazy_regexes() -> RuleSet {
        RuleSet { lazy_regexes: true, ..RuleSet::default() }
    }

    /// How many source entries the taint library has (see [`TaintSource::shared`]).
    pub fn shared_sources(&self) -> usize {
        self.shared_sources as usize
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }

    fn add_library(&mut self, cx: &Ctx, lib: &Value) -> Result<(), RuleError> {
        let obj = lib.as_object().ok_or_else(|| cx.err("taint-library", format!("expected a mapping, found {}", describe(lib))))?;
        for (kind, sets) in obj {
            let key = format!("taint-library.{kind}");
            if kind != "sources" && kind != "sanitizers" {
                return Err(cx.err(&key, "unknown kind (expected `sources` or `sanitizers`)"));
            }
            let sets = sets.as_object().ok_or_else(|| cx.err(&key, "expected a mapping of set names to lists"))?;
            for (name, list) in sets {
                let skey = format!("{key}.{name}");
                let items = list.as_array().ok_or_else(|| cx.err(&skey, format!("expected a list, found {}", describe(list))))?;
                if kind == "sources" {
                    self.library_set(cx, &skey, kind, name, items, |l| &mut l.sources, Self::taint_source)?;
                    if let Some((_, set)) = self.library.sources.last_mut() {
                        for s in set {
                            s.shared = Some(self.shared_sources);
                            self.shared_sources += 1;
                        }
                    }
                } else {
                    self.library_set(cx, &skey, kind, name, items, |l| &mut l.sanitizers, Self::taint_sanitizer)?;
                }
            }
        }
        Ok(())
    }

    /// Compiles one named set of the taint library and adds it to the sets of its kind.
    #[allow(clippy::too_many_arguments)]
    fn library_set<T>(
        &mut self,
        cx: &Ctx,
        skey: &str,
        kind: &str,
        name: &str,
        items: &[Value],
        sets: SetsOf<T>,
        parse: EntryParser<T>,
    ) -> Result<(), RuleError> {
        if sets(&mut self.library).iter().any(|(n, _)| n == name) {
            return Err(cx.err(skey, format!("duplicate {kind} set `{name}`")));
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            out.push(parse(self, cx, &format!("{skey}[{i}]"), item)?);
        }
        sets(&mut self.library).push((name.to_string(), out));
        Ok(())
    }

    /// The entries of a rule's `pattern-sources` or `pattern-sanitizers`, with each
    /// `include: <name>` replaced by that set of the library.
    fn taint_list<T: Clone>(&mut self, cx: &Ctx, key: &str, v: &Value, sets: SetsOf<T>, parse: EntryParser<T>) -> Result<Vec<T>, RuleError> {
        let items = v.as_array().ok_or_else(|| cx.err(key, format!("expected a list, found {}", describe(v))))?;
        let mut out = Vec::new();
        for (i, e) in items.iter().enumerate() {
            let k = format!("{key}[{i}]");
            let Some(name) = e.get("include") else {
                out.push(parse(self, cx, &k, e)?);
                continue;
            };
            let name = name.as_str().unwrap_or("");
            let known = sets(&mut self.library);
            let Some((_, set)) = known.iter().find(|(n, _)| n == name) else {
                let names: Vec<&str> = known.iter().map(|(n, _)| n.as_str()).collect();
                return Err(cx.err(&format!("{k}.include"), format!("no taint library set `{name}` (known: {})", names.join(", "))));
            };
            out.extend(set.iter().cloned());
        }
        Ok(out)
    }

    /// The pattern part of a taint entry: exactly one of the pattern operators, plus the
    /// entry's own options (`allowed`).
    fn entry_formula(&mut self, cx: &Ctx, key: &str, v: &Value, allowed: &[&str]) -> Result<Formula, RuleError> {
        let obj = v.as_object().ok_or_else(|| cx.err(key, format!("expected a mapping, found {}", describe(v))))?;
        let mut op = None;
        for k in obj.keys() {
            if matches!(k.as_str(), "pattern" | "patterns" | "pattern-either" | "pattern-regex") {
                if op.is_some() {
                    return Err(cx.err(key, "has more than one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`"));
                }
                op = Some(k.as_str());
            } else if !allowed.contains(&k.as_str()) {
                return Err(cx.err(&format!("{key}.{k}"), format!("unknown or unsupported key (allowed here: {})", allowed.join(", "))));
            }
        }
        let op = op.ok_or_else(|| cx.err(key, "needs one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`"))?;
        self.formula(cx, &format!("{key}.{op}"), op, &obj[op])
    }

    fn taint_source(&mut self, cx: &Ctx, key: &str, v: &Value) -> Result<TaintSource, RuleError> {
        let formula = self.entry_formula(cx, key, v, &["label", "confidence", "exact", "requires", "control"])?;
        let confidence = match v.get("confidence") {
            None => Confidence::High,
            Some(c) => Confidence::parse(c.as_str().unwrap_or(""))
                .ok_or_else(|| cx.err(&format!("{key}.confidence"), format!("`{c}` is not one of HIGH, MEDIUM, LOW")))?,
        };
        let label = v.get("label").and_then(|l| l.as_str()).map(str::to_string);
        Ok(TaintSource { formula, confidence, label, shared: None })
    }

    fn taint_sanitizer(&mut self, cx: &Ctx, key: &str, v: &Value) -> Result<TaintSanitizer, RuleError> {
        let formula = self.entry_formula(cx, key, v, &["by-side-effect", "by-guard", "exact", "not-conflicting"])?;
        let guard = match v.get("by-guard") {
            None | Some(Value::Bool(false)) => Guard::No,
            Some(Value::Bool(true)) => Guard::WhenTrue,
            Some(Value::String(s)) if s == "negated" => Guard::WhenFalse,
            Some(other) => return Err(cx.err(&format!("{key}.by-guard"), format!("`{other}` is not `true`, `false` or `negated`"))),
        };
        let by_side_effect = match v.get("by-side-effect") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s == "only" => true,
            Some(other) => return Err(cx.err(&format!("{key}.by-side-effect"), format!("`{other}` is not a boolean"))),
        };
        Ok(TaintSanitizer { formula, guard, by_side_effect })
    }

    fn taint_spec(&mut self, cx: &Ctx, key: &str, obj: &serde_json::Map<String, Value>) -> Result<TaintSpec, RuleError> {
        let mut spec = TaintSpec::default();
        let list = |k: &str| obj.get(k);
        let Some(sources) = list("pattern-sources") else { return Err(cx.err(&format!("{key}.pattern-sources"), "missing (a taint rule needs sources and sinks)")) };
        let Some(sinks) = list("pattern-sinks") else { return Err(cx.err(&format!("{key}.pattern-sinks"), "missing (a taint rule needs sources and sinks)")) };
        spec.sources = self.taint_list(cx, &format!("{key}.pattern-sources"), sources, |l| &mut l.sources, Self::taint_source)?;
        let sinks = sinks.as_array().ok_or_else(|| cx.err(&format!("{key}.pattern-sinks"), format!("expected a list, found {}", describe(sinks))))?;
        for (i, e) in sinks.iter().enumerate() {
            let k = format!("{key}.pattern-sinks[{i}]");
            spec.sinks.push(self.entry_formula(cx, &k, e, &["label", "requires", "exact", "at-exit"])?);
        }
        if let Some(san) = list("pattern-sanitizers") {
            spec.sanitizers = self.taint_list(cx, &format!("{key}.pattern-sanitizers"), san, |l| &mut l.sanitizers, Self::taint_sanitizer)?;
        }
        if let Some(props) = list("pattern-propagators") {
            let items = props.as_array().ok_or_else(|| cx.err(&format!("{key}.pattern-propagators"), "expected a list"))?;
            for (i, e) in items.iter().enumerate() {
                let k = format!("{key}.pattern-propagators[{i}]");
                let formula = self.entry_formula(cx, &k, e, &["from", "to", "label", "requires", "replace-labels", "by-side-effect"])?;
                let from = metavariable(cx, &format!("{k}.from"), e.get("from"))?;
                let to = metavariable(cx, &format!("{k}.to"), e.get("to"))?;
                spec.propagators.push(TaintPropagator { formula, from, to });
            }
        }
        if spec.sources.is_empty() || spec.sinks.is_empty() {
            return Err(cx.err(key, "a taint rule needs at least one source and one sink"));
        }
        Ok(spec)
    }

    fn rule(&mut self, cx: &Ctx, key: &str, v: &Value) -> Result<Rule, RuleError> {
        let obj = v.as_object().ok_or_else(|| cx.err(key, format!("expected a mapping, found {}", describe(v))))?;
        const KNOWN: &[&str] = &[
            "id", "languages", "severity", "message", "metadata", "pattern", "patterns", "pattern-either",
            "pattern-regex", "fix", "fix-regex", "paths", "options", "min-version", "max-version", "mode",
            "pattern-sources", "pattern-sinks", "pattern-sanitizers", "pattern-propagators",
        ];
        for k in obj.keys() {
            if !KNOWN.contains(&k.as_str()) {
                return Err(cx.err(&format!("{key}.{k}"), "unknown or unsupported rule key"));
            }
        }
        let id = req_str(cx, obj, key, "id")?;
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
            return Err(cx.err(&format!("{key}.id"), "must be non-empty and use only letters, digits, `-`, `_`, `.`"));
        }
        let taint = match obj.get("mode") {
            None => false,
            Some(m) if m.as_str() == Some("search") => false,
            Some(m) if m.as_str() == Some("taint") => true,
            Some(_) => return Err(cx.err(&format!("{key}.mode"), "expected `search` or `taint`")),
        };
        let taint_keys: Vec<&String> = obj.keys().filter(|k| k.starts_with("pattern-s") || k.as_str() == "pattern-propagators").collect();
        if !taint {
            if let Some(k) = taint_keys.first() {
                return Err(cx.err(&format!("{key}.{k}"), "only allowed with `mode: taint`"));
            }
        }
        if let Some(langs) = obj.get("languages") {
            let ok = langs
                .as_array()
                .map(|a| a.iter().any(|l| matches!(l.as_str(), Some("python" | "py" | "python3"))))
                .unwrap_or(false);
            if !ok {
                return Err(cx.err(&format!("{key}.languages"), "must be a list containing `python`"));
            }
        }
        let message = req_str(cx, obj, key, "message")?.trim().to_string();
        let sev_text = req_str(cx, obj, key, "severity")?;
        let severity = Severity::parse(&sev_text).ok_or_else(|| {
            cx.err(&format!("{key}.severity"), format!("`{sev_text}` is not one of CRITICAL, HIGH, MEDIUM, LOW"))
        })?;
        let empty = serde_json::Map::new();
        let mkey = format!("{key}.metadata");
        let meta = match obj.get("metadata") {
            Some(Value::Object(m)) => m,
            Some(other) => return Err(cx.err(&mkey, format!("expected a mapping, found {}", describe(other)))),
            None => &empty,
        };
        let confidence = match meta.get("confidence") {
            Some(c) => {
                let s = c.as_str().unwrap_or("");
                Confidence::parse(s).ok_or_else(|| {
                    cx.err(&format!("{mkey}.confidence"), format!("`{c}` is not one of HIGH, MEDIUM, LOW"))
                })?
            }
            // A taint finding's own confidence comes from its flow (see `taint.rs`).
            None if taint => Confidence::High,
            None => Confidence::Medium,
        };
        let (cwe, cwe_title) = match meta.get("cwe") {
            None => (None, None),
            Some(v) => {
                let first = match v {
                    Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
                    other => other.clone(),
                };
                let text = match &first {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => format!("CWE-{n}"),
                    _ => String::new(),
                };
                let num = text
                    .trim()
                    .strip_prefix("CWE-")
                    .map(|rest| &rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())])
                    .and_then(|digits| digits.parse::<u32>().ok())
                    .ok_or_else(|| cx.err(&format!("{mkey}.cwe"), "expected \"CWE-<number>: <title>\""))?;
                let title = text.split_once(':').map(|(_, t)| t.trim().to_string()).filter(|t| !t.is_empty());
                (Some(num), title)
            }
        };
        let owasp = match meta.get("owasp") {
            None => None,
            Some(v) => {
                let first = match v {
                    Value::Array(a) => a.first().and_then(|x| x.as_str()).map(str::to_string),
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                };
                let text = first.ok_or_else(|| cx.err(&format!("{mkey}.owasp"), "expected a string such as \"A03:2021 - Injection\""))?;
                Some(normalize_owasp(&text).ok_or_else(|| {
                    cx.err(&format!("{mkey}.owasp"), format!("`{text}` is not an OWASP Top 10 2021 category (A01:2021 ... A10:2021)"))
                })?)
            }
        };
        let references = match meta.get("references") {
            None => Vec::new(),
            Some(v) => str_list(cx, v, &format!("{mkey}.references"))?,
        };
        let level = |k: &str| -> Result<Option<String>, RuleError> {
            match meta.get(k) {
                None => Ok(None),
                Some(v) => {
                    let s = v.as_str().unwrap_or("");
                    if Confidence::parse(s).is_none() {
                        return Err(cx.err(&format!("{mkey}.{k}"), format!("`{v}` is not one of HIGH, MEDIUM, LOW")));
                    }
                    Ok(Some(s.to_ascii_uppercase()))
                }
            }
        };
        let likelihood = level("likelihood")?;
        let impact = level("impact")?;
        let title = meta.get("title").and_then(|t| t.as_str()).map(str::to_string).unwrap_or_else(|| id.clone());

        let pkey = format!("{mkey}.pyward");
        let py = match meta.get("pyward") {
            Some(Value::Object(m)) => m.clone(),
            Some(other) => return Err(cx.err(&pkey, format!("expected a mapping, found {}", describe(other)))),
            None => serde_json::Map::new(),
        };
        let family = py.get("family").and_then(|f| f.as_str()).unwrap_or("custom").to_string();
        if !FAMILIES.iter().any(|(f, _)| *f == family) {
            return Err(cx.err(&format!("{pkey}.family"), format!("`{family}` is not a known family")));
        }
        let bandit = match py.get("bandit") {
            Some(v) => str_list(cx, v, &format!("{pkey}.bandit"))?,
            None => Vec::new(),
        };
        let ruff = match py.get("ruff") {
            Some(v) => str_list(cx, v, &format!("{pkey}.ruff"))?,
            None => Vec::new(),
        };
        for b in &bandit {
            if !(b.len() == 4 && b.starts_with('B') && b[1..].chars().all(|c| c.is_ascii_digit())) {
                return Err(cx.err(&format!("{pkey}.bandit"), format!("`{b}` is not a Bandit id like B602")));
            }
        }
        for r in &ruff {
            if !(r.len() == 4 && r.starts_with('S') && r[1..].chars().all(|c| c.is_ascii_digit())) {
                return Err(cx.err(&format!("{pkey}.ruff"), format!("`{r}` is not a Ruff code like S602")));
            }
        }
        let docs = py.get("docs").and_then(|d| d.as_str()).unwrap_or("").to_string();
        let remediation = match py.get("remediation") {
            None => None,
            Some(Value::Object(r)) => {
                let get = |k: &str| -> Result<String, RuleError> {
                    r.get(k)
                        .and_then(|v| v.as_str())
                        .map(|s| s.trim_end().to_string())
                        .ok_or_else(|| cx.err(&format!("{pkey}.remediation.{k}"), "missing or not a string"))
                };
                Some(Remediation { before: get("before")?, after: get("after")? })
            }
            Some(other) => {
                return Err(cx.err(&format!("{pkey}.remediation"), format!("expected a mapping, found {}", describe(other))))
            }
        };
        let fix = match obj.get("fix") {
            None => None,
            Some(Value::String(s)) => Some(s.trim_end_matches('\n').to_string()),
            Some(other) => return Err(cx.err(&format!("{key}.fix"), format!("expected a string, found {}", describe(other)))),
        };
        let fix_regex = match obj.get("fix-regex") {
            None => None,
            Some(Value::Object(m)) => {
                let fkey = format!("{key}.fix-regex");
                let regex = match m.get("regex") {
                    Some(v) => regex(cx, &format!("{fkey}.regex"), v)?,
                    None => return Err(cx.err(&format!("{fkey}.regex"), "missing")),
                };
                let replacement = match m.get("replacement") {
                    Some(Value::String(r)) => semgrep_replacement(r),
                    _ => return Err(cx.err(&format!("{fkey}.replacement"), "missing or not a string")),
                };
                let count = match m.get("count") {
                    None => None,
                    Some(v) => Some(v.as_u64().filter(|n| *n > 0).ok_or_else(|| cx.err(&format!("{fkey}.count"), "expected a positive integer"))? as usize),
                };
                Some(FixRegex { regex, replacement, count })
            }
            Some(other) => return Err(cx.err(&format!("{key}.fix-regex"), format!("expected a mapping with regex and replacement, found {}", describe(other)))),
        };

        let pattern_keys: Vec<&String> =
            obj.keys().filter(|k| matches!(k.as_str(), "pattern" | "patterns" | "pattern-either" | "pattern-regex")).collect();
        let check = match (py.get("native"), pattern_keys.len()) {
            _ if taint => {
                if let Some(k) = pattern_keys.first() {
                    return Err(cx.err(&format!("{key}.{k}"), "a taint rule has `pattern-sources` and `pattern-sinks` instead"));
                }
                Check::Taint(self.taint_spec(cx, key, obj)?)
            }
            (Some(n), 0) => {
                let name = n.as_str().unwrap_or("");
                if !NATIVE_CHECKS.contains(&name) {
                    return Err(cx.err(&format!("{pkey}.native"), format!("`{n}` is not a native check ({})", NATIVE_CHECKS.join(", "))));
                }
                Check::Native(name.to_string())
            }
            (Some(_), _) => return Err(cx.err(&pkey, "a native rule must not also have patterns")),
            (None, 1) => {
                let k = pattern_keys[0];
                Check::Formula(self.formula(cx, &format!("{key}.{k}"), k, &obj[k.as_str()])?)
            }
            (None, 0) => return Err(cx.err(key, "needs one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`")),
            (None, _) => {
                return Err(cx.err(key, "has more than one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`"))
            }
        };
        Ok(Rule {
            meta: RuleMeta {
                id,
                title,
                message,
                severity,
                confidence,
                likelihood,
                impact,
                cwe,
                cwe_title,
                owasp,
                references,
                family,
                bandit,
                ruff,
                docs,
                remediation,
                fix,
                fix_regex,
                source: cx.file.to_string(),
                taint,
                supersedes: match py.get("supersedes") {
                    Some(v) => str_list(cx, v, &format!("{pkey}.supersedes"))?,
                    None => Vec::new(),
                },
            },
            check,
        })
    }

    fn add_pattern(&mut self, cx: &Ctx, key: &str, v: &Value) -> Result<usize, RuleError> {
        let text = v.as_str().ok_or_else(|| cx.err(key, format!("expected pattern text, found {}", describe(v))))?;
        let p = compile_pattern(text).map_err(|reason| cx.err(key, reason))?;
        self.patterns.push(p);
        Ok(self.patterns.len() - 1)
    }

    /// A formula from one operator key and its value.
    fn formula(&mut self, cx: &Ctx, key: &str, op: &str, v: &Value) -> Result<Formula, RuleError> {
        match op {
            "pattern" => Ok(Formula::Pattern(self.add_pattern(cx, key, v)?)),
            "pattern-regex" => Ok(Formula::Regex(regex(cx, key, v)?)),
            "pattern-either" => {
                let items = v.as_array().ok_or_else(|| cx.err(key, format!("expected a list, found {}", describe(v))))?;
                if items.is_empty() {
                    return Err(cx.err(key, "must not be empty"));
                }
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let ikey = format!("{key}[{i}]");
                    let (k, val) = single_entry(cx, &ikey, item)?;
                    let k = if k == "pattern-inside" { "pattern" } else { k };
                    if !matches!(k, "pattern" | "patterns" | "pattern-either" | "pattern-regex") {
                        return Err(cx.err(&format!("{ikey}.{k}"), "not allowed inside pattern-either"));
                    }
                    out.push(self.formula(cx, &format!("{ikey}.{k}"), k, val)?);
                }
                Ok(Formula::Either(out))
            }
            "patterns" => {
                let items = v.as_array().ok_or_else(|| cx.err(key, format!("expected a list, found {}", describe(v))))?;
                let mut clauses = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let ikey = format!("{key}[{i}]");
                    let (k, val) = single_entry(cx, &ikey, item)?;
                    let ckey = format!("{ikey}.{k}");
                    let clause = match k {
                        "pattern" | "patterns" | "pattern-either" | "pattern-regex" => Clause::Pos(self.formula(cx, &ckey, k, val)?),
                        "pattern-not" => Clause::Not(self.formula(cx, &ckey, "pattern", val)?),
                        "pattern-inside" => Clause::Inside(self.formula(cx, &ckey, "pattern", val)?),
                        "pattern-not-inside" => Clause::NotInside(self.formula(cx, &ckey, "pattern", val)?),
                        "pattern-not-regex" => Clause::Not(Formula::Regex(regex(cx, &ckey, val)?)),
                        "metavariable-regex" => {
                            let m = val.as_object().ok_or_else(|| cx.err(&ckey, "expected a mapping with `metavariable` and `regex`"))?;
                            let mv = metavariable(cx, &ckey, m.get("metavariable"))?;
                            let re_text = m
                                .get("regex")
                                .and_then(|r| r.as_str())
                                .ok_or_else(|| cx.err(&format!("{ckey}.regex"), "missing or not a string"))?;
                            let bad = |e: String| cx.err(&format!("{ckey}.regex"), format!("invalid regex: {e}"));
                            let regex = MvRegex::new(re_text).map_err(bad)?;
                            // The built-in rules' regexes are compiled when they first run.
                            if !self.lazy_regexes {
                                regex.compile().map_err(bad)?;
                            }
                            Clause::MetavarRegex { mv, regex }
                        }
                        "metavariable-pattern" => {
                            let m = val.as_object().ok_or_else(|| cx.err(&ckey, "expected a mapping with `metavariable` and a pattern"))?;
                            let mv = metavariable(cx, &ckey, m.get("metavariable"))?;
                            let keys: Vec<&String> = m
                                .keys()
                                .filter(|k| matches!(k.as_str(), "pattern" | "patterns" | "pattern-either" | "pattern-regex"))
                                .collect();
                            if let Some(bad) = m.keys().find(|k| !matches!(k.as_str(), "metavariable" | "pattern" | "patterns" | "pattern-either" | "pattern-regex" | "language")) {
                                return Err(cx.err(&format!("{ckey}.{bad}"), "unknown key in metavariable-pattern"));
                            }
                            if keys.len() != 1 {
                                return Err(cx.err(&ckey, "needs exactly one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`"));
                            }
                            let formula = self.formula(cx, &format!("{ckey}.{}", keys[0]), keys[0], &m[keys[0].as_str()])?;
                            Clause::MetavarPattern { mv, formula }
                        }
                        "focus-metavariable" => {
                            let list = match val {
                                Value::Array(a) => a.iter().map(|x| metavariable(cx, &ckey, Some(x))).collect::<Result<Vec<_>, _>>()?,
                                other => vec![metavariable(cx, &ckey, Some(other))?],
                            };
                            Clause::Focus(list)
                        }
                        other => return Err(cx.err(&ckey, format!("unknown or unsupported operator `{other}`"))),
                    };
                    clauses.push(clause);
                }
                // Push metavariable-regex conditions down into the positive patterns.
                let constraints: Vec<(String, MvRegex)> = clauses
                    .iter()
                    .filter_map(|c| if let Clause::MetavarRegex { mv, regex, .. } = c { Some((mv.clone(), regex.clone())) } else { None })
                    .collect();
                if !constraints.is_empty() {
                    for c in &clauses {
                        if let Clause::Pos(f) = c {
                            self.constrain(f, &constraints);
                        }
                    }
                }
                if !clauses.iter().any(|c| matches!(c, Clause::Pos(_) | Clause::Inside(_))) {
                    return Err(cx.err(key, "needs at least one positive pattern (`pattern`, `pattern-either`, `pattern-regex` or `pattern-inside`)"));
                }
                Ok(Formula::And(clauses))
            }
            other => Err(cx.err(key, format!("unknown operator `{other}`"))),
        }
    }
}

impl RuleSet {
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

fn single_entry<'v>(cx: &Ctx, key: &str, item: &'v Value) -> Result<(&'v str, &'v Value), RuleError> {
    let m = item.as_object().ok_or_else(|| cx.err(key, format!("expected a mapping with one operator, found {}", describe(item))))?;
    if m.len() != 1 {
        return Err(cx.err(key, format!("expected exactly one operator, found {}", m.len())));
    }
    let (k, v) = m.iter().next().ok_or_else(|| cx.err(key, "empty mapping"))?;
    Ok((k.as_str(), v))
}

fn metavariable(cx: &Ctx, key: &str, v: Option<&Value>) -> Result<String, RuleError> {
    let s = v.and_then(|v| v.as_str()).ok_or_else(|| cx.err(&format!("{key}.metavariable"), "missing or not a string"))?;
    let name = s.strip_prefix('$').ok_or_else(|| cx.err(&format!("{key}.metavariable"), format!("`{s}` must start with `$`")))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
        return Err(cx.err(&format!("{key}.metavariable"), format!("`{s}` is not a metavariable like $X")));
    }
    Ok(name.to_string())
}

fn regex(cx: &Ctx, key: &str, v: &Value) -> Result<Regex, RuleError> {
    let s = v.as_str().ok_or_else(|| cx.err(key, format!("expected a regex string, found {}", describe(v))))?;
    Regex::new(s).map_err(|e| cx.err(key, format!("invalid regex: {e}")))
}

fn req_str(cx: &Ctx, obj: &serde_json::Map<String, Value>, key: &str, k: &str) -> Result<String, RuleError> {
    match obj.get(k) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(cx.err(&format!("{key}.{k}"), format!("expected a string, found {}", describe(other)))),
        None => Err(cx.err(&format!("{key}.{k}"), "missing")),
    }
}

fn str_list(cx: &Ctx, v: &Value, key: &str) -> Result<Vec<String>, RuleError> {
    match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| x.as_str().map(str::to_string).ok_or_else(|| cx.err(&format!("{key}[{i}]"), "expected a string")))
            .collect(),
        Value::String(s) => Ok(vec![s.clone()]),
        other => Err(cx.err(key, format!("expected a list of strings, found {}", describe(other)))),
    }
}

/// `"A03:2021 - Injection"` -> `"A03:2021-Injection"`.
pub fn normalize_owasp(s: &str) -> Option<String> {
    let s = s.trim();
    let (code, rest) = s.split_once(" - ").or_else(|| s.split_once('-'))?;
    let code = code.trim();
    let ok = code.len() == 8
        && code.starts_with('A')
        && code.ends_with(":2021")
        && code[1..3].chars().all(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    Some(format!("{code}-{}", rest.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in rules compile their `metavariable-regex`es on first use: every one of them
    /// must compile. A user's rule file is compiled when it loads, so a bad regex is an error
    /// naming the key.
    #[test]
    fn every_metavariable_regex_compiles() {
        let engine = crate::Engine::builtin().expect("built-in rules load");
        let mut n = 0;
        for f in engine.rules().iter().flat_map(|r| r.check.formulas()) {
            crate::prefilter::walk_formula(f, &mut |_| {}, &mut |c| {
                if let Clause::MetavarRegex { regex, .. } = c {
                    n += 1;
                    if let Err(e) = regex.compile() {
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

    #[test]
    fn errors_name_file_key_and_reason() {
        let cases = [
            (GOOD.replace("severity: ERROR", "severity: SEVERE"), "rules[0].severity", "not one of"),
            (GOOD.replace("CWE-78", "78x"), "rules[0].metadata.cwe", "CWE-"),
            (GOOD.replace("A03:2021", "A11:2017"), "rules[0].metadata.owasp", "OWASP"),
            (GOOD.replace("pattern-not:", "pattern-nope:"), "rules[0].patterns[1].pattern-nope", "unknown"),
            (GOOD.replace("os.system($X)", "os.system($X"), "rules[0].patterns[0].pattern", ""),
            (GOOD.replace("  - id: demo\n", "  - idx: demo\n"), "rules[0].idx", "unknown"),
            ("rules: [".to_string(), "", "invalid YAML"),
        ];
        for (text, key, reason) in cases {
            let mut rs = RuleSet::default();
            let e = rs.add_yaml("bad.yaml", &text).unwrap_err();
            assert_eq!(e.file, "bad.yaml");
            assert_eq!(e.key, key, "{e}");
            assert!(e.reason.contains(reason), "{e}");
        }
    }
}
