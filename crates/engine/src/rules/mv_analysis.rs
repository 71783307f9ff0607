//! Semgrep's `metavariable-analysis` analyzers, and the token patterns of a
//! `metavariable-pattern` in `language: generic`.
//!
//! - `entropy`: is a string literal random-looking, likely a secret? Its characters are scored
//!   against English: the mean surprisal of each character under English letter frequencies
//!   (digits, capitals and symbols are rare in English text), together with the string's own
//!   Shannon entropy (a long run of one character is not random).
//! - `redos`: can a regex backtrack catastrophically? The classic shapes: a repetition of
//!   something that itself repeats without bound (`(a+)+`, `(\w*\s?)*`), and a repetition of
//!   alternatives that can match the same text (`(a|ab)*`, `(\w|\d)+`).

use regex_syntax::hir::{Class, Hir, HirKind};

/// A `metavariable-analysis` analyzer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analyzer {
    Entropy,
    Redos,
}

impl Analyzer {
    /// The analyzer named `name`, as Semgrep spells it.
    pub fn named(name: &str) -> Option<Analyzer> {
        match name {
            "entropy" => Some(Analyzer::Entropy),
            "redos" => Some(Analyzer::Redos),
            _ => None,
        }
    }

    /// Does the analyzer accept `code`, a bound metavariable's text? Both read a string
    /// literal's content: the literal's, or the text itself when it is a string's content
    /// already (`"$V"` binds that).
    pub fn accepts(self, code: &str) -> bool {
        let content = string_content(code).unwrap_or(code);
        match self {
            Analyzer::Entropy => high_entropy(content),
            Analyzer::Redos => redos(content),
        }
    }
}

/// The content of a single string literal (`b`, `r`, `u` prefixes allowed, not f-strings).
fn string_content(code: &str) -> Option<&str> {
    let code = code.trim();
    let body = code.trim_start_matches(['r', 'R', 'b', 'B', 'u', 'U']);
    if code.len() - body.len() > 2 {
        return None;
    }
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if body.len() >= 2 * q.len() && body.starts_with(q) && body.ends_with(q) {
            let inner = &body[q.len()..body.len() - q.len()];
            if !inner.contains(q) {
                return Some(inner);
            }
        }
    }
    None
}

/// Shortest string judged: shorter ones are words, not keys.
const MIN_SECRET_LEN: usize = 8;
/// Mean surprisal (bits per character, against English) from which a string is random-looking.
const MIN_SURPRISAL: f64 = 5.5;
/// Shannon entropy (bits per character) a random-looking string must also have.
const MIN_SHANNON: f64 = 3.0;

/// How often each lowercase letter occurs in English text, per thousand letters.
const ENGLISH: [f64; 26] = [
    82.0, 15.0, 28.0, 43.0, 127.0, 22.0, 20.0, 61.0, 70.0, 1.5, 7.7, 40.0, 24.0, 67.0, 75.0, 19.0, 0.95, 60.0, 63.0, 91.0,
    28.0, 9.8, 24.0, 1.5, 20.0, 0.74,
];

/// The probability of character `c` in English text: letters by their frequency (a capital
/// much rarer), a space often, other characters rarely.
fn english_probability(c: char) -> f64 {
    // Letters take 80% of the text, spaces 15%, the rest share 5%.
    let letter = |l: char| ENGLISH[(l as u8 - b'a') as usize] / 1000.0 * 0.8;
    match c {
        'a'..='z' => letter(c),
        'A'..='Z' => letter(c.to_ascii_lowercase()) * 0.05,
        ' ' => 0.15,
        '.' | ',' | '\'' | '-' => 0.01,
        _ => 0.001,
    }
}

/// Is `s` random-looking relative to English (see the module docs)?
pub fn high_entropy(s: &str) -> bool {
    let n = s.chars().count();
    if n < MIN_SECRET_LEN {
        return false;
    }
    let surprisal: f64 = s.chars().map(|c| -english_probability(c).log2()).sum::<f64>() / n as f64;
    let mut counts: rustc_hash::FxHashMap<char, usize> = Default::default();
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
    }
    let shannon: f64 = counts.values().map(|&k| {
        let p = k as f64 / n as f64;
        -p * p.log2()
    }).sum();
    surprisal >= MIN_SURPRISAL && shannon >= MIN_SHANNON
}

/// Deepest regex tree looked at.
const MAX_REGEX_DEPTH: u32 = 64;

/// Can the regex `re` backtrack catastrophically (see the module docs)? A regex that does not
/// parse is not judged vulnerable.
pub fn redos(re: &str) -> bool {
    let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(re) else { return false };
    vulnerable(&hir, 0)
}

fn vulnerable(h: &Hir, depth: u32) -> bool {
    if depth > MAX_REGEX_DEPTH {
        return false;
    }
    match h.kind() {
        HirKind::Repetition(r) => {
            let unbounded = r.max.is_none_or(|m| m > 16);
            if unbounded && (repeats_unbounded(&r.sub, depth + 1) || overlapping_alternatives(&r.sub)) {
                return true;
            }
            vulnerable(&r.sub, depth + 1)
        }
        HirKind::Capture(c) => vulnerable(&c.sub, depth + 1),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(|x| vulnerable(x, depth + 1)),
        _ => false,
    }
}

/// Does `h` hold an unbounded repetition of something non-empty?
fn repeats_unbounded(h: &Hir, depth: u32) -> bool {
    if depth > MAX_REGEX_DEPTH {
        return false;
    }
    match h.kind() {
        HirKind::Repetition(r) => r.max.is_none() && r.sub.properties().minimum_len().is_some_and(|m| m > 0) || repeats_unbounded(&r.sub, depth + 1),
        HirKind::Capture(c) => repeats_unbounded(&c.sub, depth + 1),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(|x| repeats_unbounded(x, depth + 1)),
        _ => false,
    }
}

/// Is `h` (under its captures) an alternation two of whose branches can start with the same
/// character?
fn overlapping_alternatives(h: &Hir) -> bool {
    let mut h = h;
    while let HirKind::Capture(c) = h.kind() {
        h = &c.sub;
    }
    let HirKind::Alternation(branches) = h.kind() else { return false };
    let firsts: Vec<Vec<(u32, u32)>> = branches.iter().map(first_chars).collect();
    for (i, a) in firsts.iter().enumerate() {
        for b in &firsts[i + 1..] {
            if a.iter().any(|x| b.iter().any(|y| x.0 <= y.1 && y.0 <= x.1)) {
                return true;
            }
        }
    }
    false
}

/// The ranges of characters a match of `h` can start with (empty when not known simply).
fn first_chars(h: &Hir) -> Vec<(u32, u32)> {
    let mut h = h;
    loop {
        match h.kind() {
            HirKind::Capture(c) => h = &c.sub,
            HirKind::Repetition(r) if r.min > 0 => h = &r.sub,
            HirKind::Concat(hs) if !hs.is_empty() => h = &hs[0],
            _ => break,
        }
    }
    match h.kind() {
        HirKind::Literal(l) => std::str::from_utf8(&l.0).ok().and_then(|s| s.chars().next()).map(|c| vec![(c as u32, c as u32)]).unwrap_or_default(),
        HirKind::Class(Class::Unicode(u)) => u.ranges().iter().map(|r| (r.start() as u32, r.end() as u32)).collect(),
        HirKind::Class(Class::Bytes(b)) => b.ranges().iter().map(|r| (r.start() as u32, r.end() as u32)).collect(),
        _ => Vec::new(),
    }
}

/// Semgrep's generic (token) pattern as a regex: `...` is any text (within a bounded span),
/// `$X` one word, whitespace any whitespace, everything else itself.
pub fn generic_regex(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("...") {
            out.push_str(r"[\s\S]{0,2000}?");
            rest = r;
        } else if rest.starts_with(char::is_whitespace) {
            out.push_str(r"\s*");
            rest = rest.trim_start();
        } else if let Some(r) = rest.strip_prefix('$').filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')) {
            let len = r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(r.len());
            out.push_str(r"[\w.\-]+");
            rest = &r[len..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push_str(&regex_syntax::escape(&c.to_string()));
            if !c.is_alphanumeric() {
                out.push_str(r"\s*");
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_looking_and_words_are_not() {
        assert!(Analyzer::Entropy.accepts("\"AKIAZ3J9QX7P2LRT8VW4\""));
        assert!(Analyzer::Entropy.accepts("'x9F$kq2!Lm0pZr7T'"));
        assert!(!Analyzer::Entropy.accepts("\"hello world, how are you\""));
        assert!(!Analyzer::Entropy.accepts("\"password\""));
        assert!(!Analyzer::Entropy.accepts("\"AAAAAAAAAAAAAAAAAAAA\""));
        assert!(!Analyzer::Entropy.accepts("some_name"));
        assert!(Analyzer::Entropy.accepts("AKIAZ3J9QX7P2LRT8VW4"));
    }

    #[test]
    fn nested_and_overlapping_repetitions_are_redos() {
        assert!(redos("(a+)+$"));
        assert!(redos(r"^(\w+\s?)*$"));
        assert!(redos("(a|ab)*c"));
        assert!(!redos("^[a-z]+$"));
        assert!(!redos(r"^\d{3}-\d{4}$"));
        assert!(!redos("(ab|cd)*"));
        assert!(Analyzer::Redos.accepts("r\"(x+x+)+y\""));
        assert!(!Analyzer::Redos.accepts("\"abc\""));
    }

    #[test]
    fn generic_patterns_read_as_tokens() {
        let re = regex::Regex::new(&generic_regex("password = $X")).unwrap_or_else(|e| panic!("{e}"));
        assert!(re.is_match("password=hunter2"));
        assert!(re.is_match("password   =  'x'") || re.is_match("password = x"));
        assert!(!re.is_match("user = x"));
        let re = regex::Regex::new(&generic_regex("<script ...>")).unwrap_or_else(|e| panic!("{e}"));
        assert!(re.is_match("<script src=x>"));
    }
}
