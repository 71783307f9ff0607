//! Regexes with Semgrep's PCRE features: look-around and backreferences.
//!
//! A regex the linear `regex` crate accepts runs there (no backtracking, no blow-up). Only a
//! regex it refuses for a PCRE feature goes to `fancy-regex`, whose backtracking is cut off
//! after [`BACKTRACK_LIMIT`] steps: a match attempt that hits the limit counts as no match, so
//! a user's regex cannot hang the analysis (or the playground's page).

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

/// Backtracking steps one match attempt of a `fancy-regex` may take.
pub const BACKTRACK_LIMIT: usize = 200_000;

/// A compiled regex: `regex` when it can, `fancy-regex` for PCRE features.
#[derive(Clone, Debug)]
pub enum PcreRegex {
    Linear(regex::Regex),
    Backtracking(Arc<fancy_regex::Regex>),
}

impl PcreRegex {
    /// Compiles `pattern`: with `regex`, or, when only a backtracking engine can run it, with
    /// `fancy-regex`. The error is `regex`'s when neither accepts it.
    pub fn new(pattern: &str) -> Result<PcreRegex, String> {
        match regex::Regex::new(pattern) {
            Ok(re) => Ok(PcreRegex::Linear(re)),
            Err(linear) => fancy_regex::RegexBuilder::new(pattern)
                .backtrack_limit(BACKTRACK_LIMIT)
                .build()
                .map(|re| PcreRegex::Backtracking(Arc::new(re)))
                .map_err(|_| linear.to_string()),
        }
    }

    /// Does the regex match somewhere in `text`? A backtracking run over its step limit does not.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            PcreRegex::Linear(re) => re.is_match(text),
            PcreRegex::Backtracking(re) => re.is_match(text).unwrap_or(false),
        }
    }

    /// The non-empty matches in `text`, as byte ranges, in order. A backtracking run that hits
    /// its step limit ends the list.
    pub fn find_ranges<'t>(&'t self, text: &'t str) -> Box<dyn Iterator<Item = (usize, usize)> + 't> {
        match self {
            PcreRegex::Linear(re) => Box::new(re.find_iter(text).map(|m| (m.start(), m.end()))),
            PcreRegex::Backtracking(re) => Box::new(re.find_iter(text).map_while(Result::ok).map(|m| (m.start(), m.end()))),
        }
    }

    /// The regex's text.
    pub fn as_str(&self) -> &str {
        match self {
            PcreRegex::Linear(re) => re.as_str(),
            PcreRegex::Backtracking(re) => re.as_str(),
        }
    }
}

/// Semgrep's `"=~/regex/flags"` string pattern: the regex (with its flags applied), or `None`
/// when `text` is not one. Flags: `i` (case), `m` (multi-line), `s` (dot matches newline),
/// `x` (extended).
pub fn string_regex_text(text: &str) -> Option<String> {
    let body = text.strip_prefix("=~/")?;
    let end = body.rfind('/')?;
    let (re, flags) = (&body[..end], &body[end + 1..]);
    if !flags.chars().all(|f| matches!(f, 'i' | 'm' | 's' | 'x')) {
        return None;
    }
    Some(if flags.is_empty() { re.to_string() } else { format!("(?{flags}){re}") })
}

/// Compiled string-pattern regexes, by their text: a pattern's literal is compiled once.
type Cache = Mutex<FxHashMap<String, Option<PcreRegex>>>;

/// The compiled regex of a `"=~/regex/"` pattern literal (compiled on first use, then kept), or
/// `None` when it is not one or does not compile (rule loading reports the latter).
pub fn string_regex(text: &str) -> Option<PcreRegex> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let re = string_regex_text(text)?;
    let cache = CACHE.get_or_init(Cache::default);
    let mut map = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(hit) = map.get(text) {
        return hit.clone();
    }
    let compiled = PcreRegex::new(&re).ok();
    // Bounded: a rule set has few such literals; past the bound they are compiled each time.
    if map.len() < 4096 {
        map.insert(text.to_string(), compiled.clone());
    }
    compiled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcre_features_fall_back_to_backtracking() {
        assert!(matches!(PcreRegex::new("^a+b$"), Ok(PcreRegex::Linear(_))));
        let look = PcreRegex::new(r"^(?!test_)\w+$").expect("look-ahead compiles");
        assert!(matches!(look, PcreRegex::Backtracking(_)));
        assert!(look.is_match("password") && !look.is_match("test_password"));
        let backref = PcreRegex::new(r"^(['\x22]).*\1$").expect("backreference compiles");
        assert!(backref.is_match("'abc'") && !backref.is_match("'abc\""));
        assert!(PcreRegex::new("(a").is_err());
        let spans: Vec<_> = look.find_ranges("x").collect();
        assert_eq!(spans, vec![(0, 1)]);
    }

    /// A catastrophic regex stops at the step limit and answers no match.
    #[test]
    fn backtracking_is_bounded() {
        let re = PcreRegex::new(r"^(a+)+(?=b)\1$").expect("compiles");
        let text = format!("{}c", "a".repeat(40));
        let start = std::time::Instant::now();
        assert!(!re.is_match(&text));
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn string_regexes_take_semgrep_flags() {
        assert_eq!(string_regex_text("=~/^http:/").as_deref(), Some("^http:"));
        assert_eq!(string_regex_text("=~/^http:/i").as_deref(), Some("(?i)^http:"));
        assert_eq!(string_regex_text("=~/a/b/").as_deref(), Some("a/b"));
        assert_eq!(string_regex_text("abc"), None);
        assert_eq!(string_regex_text("=~/a/q"), None);
        let re = string_regex("=~/^HTTP:/i").expect("compiles");
        assert!(re.is_match("http://x") && !re.is_match("https://x"));
    }
}
