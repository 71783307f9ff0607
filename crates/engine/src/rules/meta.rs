//! What a rule says about itself: severity, confidence and the rest of [`RuleMeta`], and how
//! the metadata's values are read (`CWE-78: ...`, `A03:2021 - Injection`, Semgrep's `\1`).

use std::sync::{Arc, OnceLock};

use regex::Regex;
use serde::Serialize;

/// Severity and confidence are the contract's types: reports and the playground read the same.
pub use pyward_contract::{Confidence, Severity};

/// `metadata.pyward.remediation`: code before and after the fix, for the rule's docs.
#[derive(Clone, Debug, Serialize)]
pub struct Remediation {
    pub before: String,
    pub after: String,
}

/// Semgrep's `fix-regex`: `regex` is replaced by `replacement` (`\1` or `${1}` name groups) in the
/// matched text, `count` times (all when absent). No fix when the regex does not match.
///
/// A built-in rule's regex is compiled when a finding first needs it (`RuleSet::lazy_regexes`,
/// like a `metavariable-regex`'s, see `MvRegex`): most rules' fixes are never applied in a
/// scan, and parsing and compiling the fix regexes was an eighth of loading the built-in rules.
/// A user's rule file compiles it when it loads, so a bad regex is an error naming the key.
#[derive(Clone, Debug, Serialize)]
pub struct FixRegex {
    #[serde(serialize_with = "serialize_regex")]
    pub regex: LazyRegex,
    pub replacement: String,
    pub count: Option<usize>,
}

fn serialize_regex<S: serde::Serializer>(r: &LazyRegex, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.as_str())
}

impl FixRegex {
    /// The fixed text, or `None` when the regex does not match `matched` (or does not compile).
    pub fn apply(&self, matched: &str) -> Option<String> {
        let re = self.regex.get()?;
        if !re.is_match(matched) {
            return None;
        }
        let rep = self.replacement.as_str();
        Some(match self.count {
            Some(n) => re.replacen(matched, n, rep).into_owned(),
            None => re.replace_all(matched, rep).into_owned(),
        })
    }
}

/// A regex compiled when first used (then kept, and shared by the clones), or at once.
#[derive(Clone, Debug)]
pub struct LazyRegex {
    text: Arc<str>,
    compiled: Arc<OnceLock<Result<Regex, String>>>,
}

impl LazyRegex {
    /// `text`, not compiled yet: nothing is checked.
    pub fn new(text: &str) -> LazyRegex {
        LazyRegex { text: text.into(), compiled: Arc::new(OnceLock::new()) }
    }

    /// A regex compiled already.
    pub fn compiled(re: Regex) -> LazyRegex {
        LazyRegex { text: re.as_str().into(), compiled: Arc::new(OnceLock::from(Ok(re))) }
    }

    /// The compiled regex (compiled now if it was not yet), or the regex crate's error.
    pub fn compile(&self) -> Result<&Regex, String> {
        self.compiled.get_or_init(|| Regex::new(&self.text).map_err(|e| e.to_string())).as_ref().map_err(Clone::clone)
    }

    /// The compiled regex, `None` if it does not compile.
    pub fn get(&self) -> Option<&Regex> {
        self.compile().ok()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A number that tells this regex from every other one alive (its text's address, shared
    /// by the clones): the key of a cache of its answers.
    pub fn key(&self) -> usize {
        Arc::as_ptr(&self.text) as *const u8 as usize
    }
}

/// Semgrep writes groups as `\1`; the regex crate as `${1}`.
pub fn semgrep_replacement(s: &str) -> String {
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

/// Whether a rule's fix may change what the code does (`metadata.pyward.fix-kind`), as Ruff
/// sorts its fixes: `--fix` applies only safe ones, `--unsafe-fixes` the others too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    /// Removes the danger and nothing else: code that worked before works the same way.
    Safe,
    /// May change behaviour beyond the danger (another API, a new default, a timeout): a person
    /// should review it. The default when a rule does not say.
    #[default]
    Unsafe,
}

impl FixKind {
    /// `safe` or `unsafe`, as rule files and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }

    /// Reads `safe` / `unsafe`.
    pub fn parse(s: &str) -> Option<FixKind> {
        match s {
            "safe" => Some(FixKind::Safe),
            "unsafe" => Some(FixKind::Unsafe),
            _ => None,
        }
    }
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
    /// `metadata.pyward.fix-argument` (`timeout=10`): a keyword argument the fix adds to the
    /// matched call, when neither `fix` nor a matching `fix-regex` gives the fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_argument: Option<String>,
    /// Whether the fix (`fix`, `fix-regex` or `fix-argument`) is safe to apply without review.
    pub fix_kind: FixKind,
    /// Where the rule came from (`injection/sql-injection-format.yaml`).
    pub source: String,
    /// `mode: taint` rules.
    pub taint: bool,
    /// Pattern rules whose finding on the same range this rule's finding replaces
    /// (`metadata.pyward.supersedes`): a taint rule that proves where the data came from
    /// supersedes the pattern rule that only saw a non-literal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
    /// Modules the fix uses (`metadata.pyward.fix-imports`), imported by the fix when the
    /// file lacks them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fix_imports: Vec<String>,
    /// `metadata.pyward.verdict`: a pattern rule's sink that a taint rule covers too, and what
    /// the pattern rule does where dataflow proves the value reaching it clean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

/// `metadata.pyward.verdict`: the pattern rule defers to dataflow. Where the value reaching its
/// sink is proven clean (built only from constants and the taint rule's sanitizers), it
/// reports nothing, or (a call dangerous by itself) a LOW finding saying why.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// The taint rule whose sinks, sanitizers and propagators cover the same sink.
    pub taint_rule: String,
    /// What the pattern rule reports where the value is proven clean.
    pub when_clean: WhenClean,
}

/// What a pattern rule with a [`Verdict`] reports where dataflow proves its value clean.
#[derive(Clone, Debug, Serialize)]
pub enum WhenClean {
    /// Nothing: the danger was only in what the value could hold.
    Nothing,
    /// A LOW-severity finding with this message: the call is dangerous whatever it is given.
    Low(String),
}

/// `"A03:2021 - Injection"` -> `"A03:2021-Injection"`; an en or em dash stands for the hyphen,
/// and `A3:2021` for `A03:2021`. `None` for anything but a 2021 category.
pub fn normalize_owasp(s: &str) -> Option<String> {
    let s = s.trim().replace(['\u{2013}', '\u{2014}'], "-");
    let (code, rest) = s.split_once(" - ").or_else(|| s.split_once('-'))?;
    let (num, year) = code.trim().strip_prefix('A')?.split_once(':')?;
    let ok = year == "2021" && (1..=2).contains(&num.len()) && num.bytes().all(|b| b.is_ascii_digit());
    if !ok || rest.trim().is_empty() {
        return None;
    }
    Some(format!("A{num:0>2}:2021-{}", rest.trim()))
}

/// `metadata.cwe`'s number and title from `CWE-78: Improper Neutralization ...`; `None` when the
/// text does not start with `CWE-<number>`.
pub fn parse_cwe(text: &str) -> Option<(u32, Option<String>)> {
    let rest = text.trim().strip_prefix("CWE-")?;
    let num = rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())].parse::<u32>().ok()?;
    let title = text.split_once(':').map(|(_, t)| t.trim().to_string()).filter(|t| !t.is_empty());
    Some((num, title))
}
