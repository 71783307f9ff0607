//! pyward's analysis engine.
//!
//! Stages, each in its own folder, data flowing one way:
//! 1. `syntax`: the parser adapter (with the `prescan` depth guard) -> pyward's own tree
//! 2. `semantic`: scopes, imports, qualified names, the constant a name holds where it is used
//! 3. `rules` (loaded once) and the `prefilter`: which rules and patterns can match in a file
//! 4. `matching` (patterns, Semgrep's operators), `taint` (flows), `checks` (native checks)
//! 5. `findings`: finding records, suppressions and report formats
//! 6. `deps`: dependency files (`requirements*.txt`, `pyproject.toml`, lock files) read and
//!    audited against the shipped advisory and popular-package data, as findings of the
//!    `dependencies` rules
//!
//! `pipeline` runs them in order for one file; this file is the `Engine` API.
//!
//! Nothing here panics on user input: every input, however broken, becomes findings and
//! errors.

pub mod checks;
pub mod deps;
pub mod findings;
pub mod matching;
mod pipeline;
pub mod prefilter;
pub mod project;
pub mod rules;
pub mod semantic;
pub mod syntax;
pub mod taint;
pub mod ruletest;

pub use findings::report;
pub use findings::{DependencyInfo, FileError, FileResult, Finding, TraceStep};

use crate::matching::matcher::PatternIndex;
use crate::pipeline::FileCtx;
use crate::prefilter::Prefilter;
use crate::rules::{Rule, RuleError, RuleSet};
pub use crate::rules::{Confidence, RuleMeta, Severity};
use crate::syntax::{parse, source};

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
    /// Rule ids, families, Bandit ids or Ruff codes to run (empty: every rule that is on by
    /// default, i.e. all but the opt-in families such as `naming`).
    pub select: Vec<String>,
    /// Rule ids, families, Bandit ids or Ruff codes to run as well as those `select` gives
    /// (how an opt-in family is added to the default rules).
    pub extend_select: Vec<String>,
    /// Rule ids, families, Bandit ids or Ruff codes to skip.
    pub ignore: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_severity: Severity::Low,
            min_confidence: Confidence::Low,
            select: Vec::new(),
            extend_select: Vec::new(),
            ignore: Vec::new(),
        }
    }
}

fn selector_matches(sel: &str, m: &RuleMeta) -> bool {
    sel == m.id || sel == m.family || m.bandit.iter().any(|b| b == sel) || m.ruff.iter().any(|r| r == sel)
}

impl Options {
    /// Whether rule `m` runs: named by `select` or `extend_select`, or on by default (no
    /// `select`, and not of an opt-in family), and not named by `ignore`.
    pub fn rule_enabled(&self, m: &RuleMeta) -> bool {
        let named = self.select.iter().chain(&self.extend_select).any(|s| selector_matches(s, m));
        let by_default = self.select.is_empty() && !rules::is_opt_in(&m.family);
        (named || by_default) && !self.ignore.iter().any(|s| selector_matches(s, m))
    }
}

pub struct Engine {
    rules: RuleSet,
    /// The dependency audit's data (see [`Engine::set_advisories`]).
    #[cfg(feature = "deps")]
    deps: DepsData,
    index: PatternIndex,
    prefilter: Prefilter,
    /// False only in tests: every pattern and rule is tried in every file.
    prefilter_on: bool,
}

impl Engine {
    /// The engine with the built-in rules embedded at build time.
    pub fn builtin() -> Result<Engine, RuleError> {
        let mut rs = RuleSet::with_lazy_regexes();
        rs.native_checks = native_check_names();
        // build.rs embeds the rule files as JSON: start-up (CLI and browser worker) measured 71.0M
        // -> 44.9M instructions natively (callgrind, one-line file), the YAML reader costing most;
        // in Node's V8 the engine wasm's first `new Analyzer()` 169-210 -> 104-152 ms (two runs each),
        // once warm 23.5 -> 16 ms.
        // The taint libraries first: rules include their source and sanitizer lists.
        let (libs, rules): (Vec<_>, Vec<_>) = BUILTIN_RULE_FILES.iter().partition(|(p, _)| p.starts_with("taint/"));
        for (path, text) in libs.into_iter().chain(rules) {
            rs.add_json(&format!("rules/{path}"), text)?;
        }
        // Only the built-in rules (a test compiles all of theirs) wait: a user's regex is
        // compiled when its file loads, so that one the regex crate refuses (`a{1000}{1000}`,
        // over its size limit) is an error at load, not a rule that silently never matches.
        rs.lazy_regexes = false;
        // A user's rules follow values as Semgrep does (README: what differs from Semgrep).
        rs.follow_any_value = false;
        Ok(Engine::from_rules(rs))
    }

    /// The engine over a rule set. The set's native checks are the registry's (whatever it
    /// was given), so that rules added later may name them.
    pub fn from_rules(mut rules: RuleSet) -> Engine {
        rules.native_checks = native_check_names();
        let mut e = Engine {
            rules,
            #[cfg(feature = "deps")]
            deps: DepsData::default(),
            index: PatternIndex::default(),
            prefilter: Prefilter::default(),
            prefilter_on: true,
        };
        e.rebuild();
        e
    }

    /// Rebuilds the pattern index and the prefilter after the rules changed.
    fn rebuild(&mut self) {
        self.rules.share_identical_patterns();
        self.index = PatternIndex::build(&self.rules.patterns);
        self.prefilter = Prefilter::build(&self.rules);
    }

    /// Switches the file-level prefilter off (or on again). Findings must be the same either
    /// way; the prefilter only saves work. Used by the equivalence test over every fixture.
    pub fn set_prefilter(&mut self, on: bool) {
        self.prefilter_on = on;
    }

    /// Adds the rules of one more YAML file (`--rules`, or a rule typed in the playground).
    pub fn add_rules_yaml(&mut self, file: &str, text: &str) -> Result<usize, RuleError> {
        let n = self.rules.add_yaml(file, text)?;
        self.rebuild();
        Ok(n)
    }

    /// What loading the rules did that the user should know (a custom rule that replaced a
    /// built-in rule of the same id, rule options pyward ignores), in load order.
    pub fn rule_notices(&self) -> &[String] {
        &self.rules.notices
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
        self.check_source_with(path, src, opts, None)
    }

    /// [`Engine::check_source`], in a project scan with the project and the file's package
    /// (see [`project`]).
    fn check_source_with(&self, path: &str, src: &str, opts: &Options, project: Option<(&project::Project, &str)>) -> FileResult {
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
        let lits = &self.prefilter.literals;
        let present = if self.prefilter_on { lits.presence(src) } else { lits.assume_all(src) };
        let parsed = parse::parse_module_with_names(src, |n, dotted| present.see(n, dotted));
        result.no_code = parsed.module.body.is_empty() && parsed.errors.is_empty();
        let mut cx = FileCtx::new(path, src, &parsed.module, opts);
        cx.project = project;
        for e in &parsed.errors {
            let (line, column) = cx.lines().position(e.span.start);
            let message = format!("syntax error: {}", e.message);
            result.errors.push(FileError { path: path.to_string(), message, line: Some(line), column: Some(column) });
        }
        if let Some(at) = parsed.unresolved_names {
            let (line, column) = cx.lines().position(at.start);
            let message = "not analysed fully: the `\\N{...}` escapes of this file were not resolved (the Unicode name table did not load), so the strings that use them are not known; the rest of the file was analysed".to_string();
            result.errors.push(FileError { path: path.to_string(), message, line: Some(line), column: Some(column) });
        }
        if !parsed.module.body.is_empty() {
            let pre = self.prefilter.for_file(src, present, self.prefilter_on);
            let done = pipeline::analyse(self, &cx, &pre);
            result.findings = done.findings;
            result.scopes = findings::fingerprint::scopes(&parsed.module.body, &result.findings);
            result.suppressed = done.suppressed;
            result.work = done.work;
            for message in done.incomplete {
                result.errors.push(FileError { path: path.to_string(), message: format!("not analysed fully: {message}"), line: None, column: None });
            }
        }
        result
    }
}

/// The native checks rules may name: the code checks' and the dependency checks'.
fn native_check_names() -> Vec<&'static str> {
    let mut names = checks::names();
    names.extend_from_slice(deps::CHECK_NAMES);
    names
}

/// The data of the dependency audit, given by the caller: the CLI embeds both tables, the
/// browser passes the advisory table once it has fetched it.
#[cfg(feature = "deps")]
#[derive(Default)]
struct DepsData {
    advisories: Option<deps::data::Advisories>,
    popular: Option<deps::typosquat::Popular>,
}

/// Whether this build has the dependency audit (the `deps` feature; the playground's first wasm
/// leaves it out and loads the build with it when a dependency file is analysed).
pub const HAS_DEPENDENCY_AUDIT: bool = cfg!(feature = "deps");

/// A dependency file's findings and errors, and the files it includes (`-r`/`-c`, as written,
/// relative to it) for the caller to read and check in turn.
#[derive(Debug, Default)]
pub struct DependencyResult {
    pub result: FileResult,
    pub includes: Vec<String>,
    /// The normalised names of the packages the file declares.
    pub declared: Vec<String>,
}

impl Engine {
    /// The rule that runs the native check `check`.
    #[cfg(feature = "deps")]
    fn native_rule(&self, check: &str) -> Option<&RuleMeta> {
        self.rules.rules.iter().find(|r| matches!(&r.check, rules::Check::Native(n) if n == check)).map(|r| &r.meta)
    }

    /// Sets the advisory table (the text of `data/advisories.tsv`); returns its date.
    #[cfg(feature = "deps")]
    pub fn set_advisories(&mut self, table: &str) -> Option<String> {
        let t = deps::data::Advisories::parse(table);
        let date = t.date.clone();
        self.deps.advisories = Some(t);
        date
    }

    /// Sets the popular package names (the text of `data/popular.txt`), for typosquats.
    #[cfg(feature = "deps")]
    pub fn set_popular(&mut self, names: &str) {
        self.deps.popular = Some(deps::typosquat::Popular::parse(names));
    }

    /// The advisory table's date, when one is set.
    #[cfg(feature = "deps")]
    pub fn advisories_date(&self) -> Option<&str> {
        self.deps.advisories.as_ref().and_then(|a| a.date.as_deref())
    }

    /// Without the dependency audit, the data is not kept.
    #[cfg(not(feature = "deps"))]
    pub fn set_advisories(&mut self, _table: &str) -> Option<String> {
        None
    }

    #[cfg(not(feature = "deps"))]
    pub fn set_popular(&mut self, _names: &str) {}

    #[cfg(not(feature = "deps"))]
    pub fn advisories_date(&self) -> Option<&str> {
        None
    }

    /// Whether `path` names a dependency file (by its file name).
    pub fn is_dependency_file(path: &str) -> bool {
        deps::FileKind::of(path).is_some()
    }

    /// Audits one dependency file (`requirements*.txt`, `pyproject.toml`, `poetry.lock`,
    /// `uv.lock`, `Pipfile`, `Pipfile.lock`; the kind comes from the file name). Malformed lines
    /// are errors at their line and column; the rest of the file is still checked.
    pub fn check_dependency_file(&self, path: &str, text: &str, opts: &Options) -> DependencyResult {
        match deps::FileKind::of(path) {
            Some(kind) => self.check_dependency_text(path, kind, text, opts),
            None => {
                let error = FileError { path: path.to_string(), message: "not a dependency file pyward reads".into(), line: None, column: None };
                DependencyResult { result: FileResult { path: path.to_string(), errors: vec![error], ..FileResult::default() }, ..DependencyResult::default() }
            }
        }
    }

    /// Without the dependency audit: the file is not read, and its result says so.
    #[cfg(not(feature = "deps"))]
    pub fn check_dependency_text(&self, path: &str, _kind: deps::FileKind, text: &str, _opts: &Options) -> DependencyResult {
        let message = "not analysed: this build of pyward has no dependency audit".to_string();
        let error = FileError { path: path.to_string(), message, line: None, column: None };
        let result = FileResult { path: path.to_string(), lines: source::text_lines(text), dependency_file: true, errors: vec![error], ..FileResult::default() };
        DependencyResult { result, ..DependencyResult::default() }
    }

    /// [`Engine::check_dependency_file`] for a file of a known kind, whatever its name (a file
    /// included with `-r base.txt` is a requirements file).
    #[cfg(feature = "deps")]
    pub fn check_dependency_text(&self, path: &str, kind: deps::FileKind, text: &str, opts: &Options) -> DependencyResult {
        let mut result = FileResult { path: path.to_string(), lines: source::text_lines(text), dependency_file: true, ..FileResult::default() };
        if text.len() > MAX_FILE_BYTES {
            result.errors.push(FileError { path: path.to_string(), message: format!("file is over the {MAX_FILE_BYTES} byte limit; it was not analysed"), line: None, column: None });
            return DependencyResult { result, ..DependencyResult::default() };
        }
        let parsed = deps::parse(kind, text);
        let lines = source::LineIndex::new(text);
        for e in &parsed.errors {
            let (line, column) = lines.position(e.offset.min(text.len() as u32));
            result.errors.push(FileError { path: path.to_string(), message: e.message.clone(), line: Some(line), column: Some(column) });
        }
        let empty = deps::typosquat::Popular::parse("");
        let rule_of = |check: &str| self.native_rule(check);
        let audit = deps::audit::Audit {
            path,
            text,
            rules: &rule_of,
            data: deps::audit::Data { advisories: self.deps.advisories.as_ref(), popular: self.deps.popular.as_ref().unwrap_or(&empty) },
            opts,
            lock: kind.is_lock(),
        };
        result.findings = audit.run(&parsed);
        result.no_code = parsed.requirements.is_empty() && parsed.sources.is_empty() && parsed.errors.is_empty();
        let declared = parsed.requirements.iter().map(|r| r.normalized.clone()).filter(|n| !n.is_empty()).collect();
        DependencyResult { result, includes: parsed.includes, declared }
    }

    /// Typosquat findings (rule `typosquat-dependency`) for the top-level imports of a Python
    /// source that no declared dependency (`declared`, normalised names) provides, that are not
    /// in the standard library and not modules of the project (`local`).
    #[cfg(feature = "deps")]
    pub fn check_imports(&self, path: &str, src: &str, local: &std::collections::HashSet<String>, declared: &std::collections::HashSet<String>, opts: &Options) -> Vec<Finding> {
        let Some(popular) = self.deps.popular.as_ref() else { return Vec::new() };
        let imports = deps::imports::top_level_imports(src);
        let todo = deps::imports::undeclared(&imports, local, declared);
        if todo.is_empty() {
            return Vec::new();
        }
        let rule_of = |check: &str| self.native_rule(check);
        let audit = deps::audit::Audit { path, text: src, rules: &rule_of, data: deps::audit::Data { advisories: None, popular }, opts, lock: false };
        audit.imports(&todo)
    }

    /// Without the dependency audit there is no popular-name table: nothing to check.
    #[cfg(not(feature = "deps"))]
    pub fn check_imports(&self, _path: &str, _src: &str, _local: &std::collections::HashSet<String>, _declared: &std::collections::HashSet<String>, _opts: &Options) -> Vec<Finding> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_RULES: &str = "rules:
  - id: default-rule
    languages: [python]
    severity: LOW
    message: m
    pattern: default_call()
    metadata:
      pyward:
        family: other
  - id: opt-in-rule
    languages: [python]
    severity: LOW
    message: m
    pattern: opt_in_call()
    metadata:
      pyward:
        family: naming
";

    fn ran(opts: &Options) -> Vec<String> {
        let mut rs = RuleSet::default();
        rs.add_yaml("t.yaml", TWO_RULES).expect("rules load");
        let engine = Engine::from_rules(rs);
        let mut ids: Vec<String> =
            engine.check_source("t.py", "default_call()\nopt_in_call()\n", opts).findings.into_iter().map(|f| f.rule_id).collect();
        ids.sort();
        ids
    }

    #[test]
    fn opt_in_families_run_only_when_named() {
        let opts = |select: &[&str], extend: &[&str], ignore: &[&str]| Options {
            select: select.iter().map(|s| s.to_string()).collect(),
            extend_select: extend.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            ..Options::default()
        };
        assert_eq!(ran(&Options::default()), ["default-rule"], "off by default");
        assert_eq!(ran(&opts(&["naming"], &[], &[])), ["opt-in-rule"], "--select naming runs only it");
        assert_eq!(ran(&opts(&["opt-in-rule"], &[], &[])), ["opt-in-rule"], "or by its id");
        assert_eq!(ran(&opts(&[], &["naming"], &[])), ["default-rule", "opt-in-rule"], "extend-select adds it");
        assert_eq!(ran(&opts(&["other"], &["naming"], &[])), ["default-rule", "opt-in-rule"]);
        assert_eq!(ran(&opts(&["other"], &[], &[])), ["default-rule"]);
        assert_eq!(ran(&opts(&[], &["naming"], &["naming"])), ["default-rule"], "ignore wins");
    }
}
