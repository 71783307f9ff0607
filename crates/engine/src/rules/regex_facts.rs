//! What a regex says about the text it can match, read off its syntax tree once when a rule is
//! loaded: the literals every match starts with, the words it accepts exactly, and literals every
//! match contains. The prefilter looks for them in a file before any regex runs, and the matcher
//! uses them to reject candidates cheaply.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::syntax::source::starts_identifier;

/// What the prefilter and the matcher know about a `metavariable-regex` (its text parsed once).
#[derive(Debug, Default)]
pub struct RegexFacts {
    /// See [`starts_of`].
    pub starts: Option<Vec<String>>,
    /// See [`prefixes_of`].
    pub prefixes: Option<Vec<String>>,
    /// Identifiers one of which every match is exactly (the regex is anchored at both ends and
    /// spells out each accepted text); see [`exact_words`].
    pub words: Option<Vec<String>>,
    /// See [`required_of`].
    pub required: Option<Vec<String>>,
    /// See [`first_bytes`].
    pub first: Option<ByteSet>,
    /// See [`names_only`].
    pub names_only: bool,
}

/// Parses and analyses the regex text `re`; the error is the parser's message.
pub fn regex_facts(re: &str) -> Result<RegexFacts, String> {
    let hir = regex_syntax::Parser::new().parse(re).map_err(|e| e.to_string())?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let starts = starts_of(&seq);
    Ok(RegexFacts {
        prefixes: starts.clone().and_then(prefixes_of),
        words: exact_words(&hir, &seq),
        starts,
        required: required_of(&hir),
        first: first_bytes(&hir),
        names_only: names_only(&hir),
    })
}

/// Does every match of the regex (anchored at both ends of the text) consist only of word
/// characters, dots, quotes and non-ASCII characters? Then only code whose text can be such,
/// a name, a dotted name or a literal, can be accepted; a call, subscript or operator cannot.
pub fn names_only(hir: &Hir) -> bool {
    fn alphabet(h: &Hir, set: &mut ByteSet, depth: u32) -> bool {
        if depth > 50 {
            return false;
        }
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => true,
            HirKind::Literal(l) => {
                l.0.iter().for_each(|&b| set.add_range(b, b));
                true
            }
            HirKind::Class(_) => first_of(h, depth).is_some_and(|(s, _)| {
                set.union(&s);
                true
            }),
            HirKind::Repetition(r) => alphabet(&r.sub, set, depth + 1),
            HirKind::Capture(c) => alphabet(&c.sub, set, depth + 1),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().all(|h| alphabet(h, set, depth + 1)),
        }
    }
    let mut set = ByteSet::default();
    if !ends_at_end_of_text(hir, 0) || !alphabet(hir, &mut set, 0) {
        return false;
    }
    (0u8..0x80).filter(|&b| set.contains(b)).all(|b| b.is_ascii_alphanumeric() || b"_.'\"".contains(&b))
}

/// The regex `re` with each assertion that `map` gives a replacement for replaced, printed
/// back as regex text (`None` when `re` does not parse or nests too deep).
pub fn rewrite_looks(re: &str, map: &dyn Fn(regex_syntax::hir::Look) -> Option<Hir>) -> Option<String> {
    use regex_syntax::hir::{Capture, Repetition};
    fn go(h: &Hir, map: &dyn Fn(regex_syntax::hir::Look) -> Option<Hir>, depth: u32) -> Option<Hir> {
        if depth > 100 {
            return None;
        }
        Some(match h.kind() {
            HirKind::Look(l) => map(*l).unwrap_or_else(|| h.clone()),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => h.clone(),
            HirKind::Repetition(r) => Hir::repetition(Repetition { sub: Box::new(go(&r.sub, map, depth + 1)?), ..r.clone() }),
            HirKind::Capture(c) => Hir::capture(Capture { sub: Box::new(go(&c.sub, map, depth + 1)?), ..c.clone() }),
            HirKind::Concat(parts) => Hir::concat(parts.iter().map(|p| go(p, map, depth + 1)).collect::<Option<Vec<_>>>()?),
            HirKind::Alternation(alts) => Hir::alternation(alts.iter().map(|p| go(p, map, depth + 1)).collect::<Option<Vec<_>>>()?),
        })
    }
    let hir = regex_syntax::ParserBuilder::new().nest_limit(100).build().parse(re).ok()?;
    Some(go(&hir, map, 0)?.to_string())
}

/// The regex `re` with Unicode word boundaries (`\b`, `\B`, `\<`, `\>`...) made ASCII ones, as
/// in Semgrep's PCRE regexes, when it has any: the regex engine's DFA cannot run Unicode word
/// boundaries on non-ASCII text and falls back to its slow NFA simulation.
pub fn ascii_word_boundaries(re: &str) -> Option<String> {
    use regex_syntax::hir::Look;
    let ascii = |l: Look| match l {
        Look::WordUnicode => Some(Look::WordAscii),
        Look::WordUnicodeNegate => Some(Look::WordAsciiNegate),
        Look::WordStartUnicode => Some(Look::WordStartAscii),
        Look::WordEndUnicode => Some(Look::WordEndAscii),
        Look::WordStartHalfUnicode => Some(Look::WordStartHalfAscii),
        Look::WordEndHalfUnicode => Some(Look::WordEndHalfAscii),
        _ => None,
    };
    if !re.contains('\\') {
        return None;
    }
    let changed = std::cell::Cell::new(false);
    let out = rewrite_looks(re, &|l| {
        let a = ascii(l)?;
        changed.set(true);
        Some(Hir::look(a))
    })?;
    changed.get().then_some(out)
}

/// A set of bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    fn add_range(&mut self, from: u8, to: u8) {
        for b in from..=to {
            self.0[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    }

    /// Every byte from 0x80 (the first bytes of non-ASCII characters, and more).
    fn add_high(&mut self) {
        self.0[2] = u64::MAX;
        self.0[3] = u64::MAX;
    }

    fn union(&mut self, o: &ByteSet) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a |= b;
        }
    }

    /// Is `b` in the set?
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
}

/// The bytes that every non-empty match of the regex (its first byte) is among; `None` when
/// the regex can match the empty text or when the tree is too deep to tell. A character class
/// with non-ASCII characters admits every byte from 0x80 (their UTF-8 forms start there).
pub fn first_bytes(hir: &Hir) -> Option<ByteSet> {
    match first_of(hir, 0)? {
        (set, false) => Some(set),
        (_, true) => None,
    }
}

/// The first bytes of `h`'s non-empty matches, and whether it can match the empty text.
fn first_of(h: &Hir, depth: u32) -> Option<(ByteSet, bool)> {
    if depth > 50 {
        return None;
    }
    let mut set = ByteSet::default();
    let nullable = match h.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => match l.0.first() {
            Some(&b) => {
                set.add_range(b, b);
                false
            }
            None => true,
        },
        HirKind::Class(Class::Unicode(c)) => {
            for r in c.ranges() {
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                if lo <= 0x7F {
                    set.add_range(lo as u8, hi.min(0x7F) as u8);
                }
                if hi >= 0x80 {
                    set.add_high();
                }
            }
            false
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                set.add_range(r.start(), r.end());
            }
            false
        }
        HirKind::Repetition(r) => {
            let (s, n) = first_of(&r.sub, depth + 1)?;
            set = s;
            n || r.min == 0
        }
        HirKind::Capture(c) => {
            let (s, n) = first_of(&c.sub, depth + 1)?;
            set = s;
            n
        }
        HirKind::Concat(parts) => {
            let mut all_nullable = true;
            for p in parts {
                let (s, n) = first_of(p, depth + 1)?;
                set.union(&s);
                if !n {
                    all_nullable = false;
                    break;
                }
            }
            all_nullable
        }
        HirKind::Alternation(alts) => {
            let mut any_nullable = false;
            for a in alts {
                let (s, n) = first_of(a, depth + 1)?;
                set.union(&s);
                any_nullable |= n;
            }
            any_nullable
        }
    };
    Some((set, nullable))
}

/// Literals one of which every match of `re` starts with (none left out); `None` when they
/// are unknown, too many, or one is empty.
pub fn regex_starts(re: &str) -> Option<Vec<String>> {
    regex_facts(re).ok()?.starts
}

/// The literals of a finite sequence, sorted and without repeats, if there are 1 to `max` of
/// them and each is UTF-8 that `ok` accepts.
fn seq_strings(seq: &regex_syntax::hir::literal::Seq, max: usize, ok: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    let lits = seq.literals()?;
    if lits.is_empty() || lits.len() > max {
        return None;
    }
    let mut out = Vec::with_capacity(lits.len());
    for l in lits {
        let s = std::str::from_utf8(l.as_bytes()).ok()?;
        if !ok(s) {
            return None;
        }
        out.push(s.to_string());
    }
    out.sort();
    out.dedup();
    Some(out)
}

fn starts_of(seq: &regex_syntax::hir::literal::Seq) -> Option<Vec<String>> {
    let out = seq_strings(seq, 1000, |s| !s.is_empty())?;
    // Any-of: a literal that starts with another one adds nothing.
    let mut kept: Vec<String> = Vec::new();
    for s in out {
        if !kept.iter().any(|k| s.starts_with(k.as_str())) {
            kept.push(s);
        }
    }
    (kept.len() <= 64).then_some(kept)
}

/// The whole texts a regex accepts, when they are few identifiers: the regex ends with an
/// end-of-text assertion and the prefix literals are exact (every match is one of them, the
/// start and end assertions matching the empty string). Such literals can be looked up among
/// the file's words: a bound node whose text, or string value without quotes, is exactly an
/// identifier that is no keyword is a name, an attribute, a parameter, ... or a string whose
/// value is that word, all of which the parser adapter reports.
///
/// The words are then exactly the texts the regex accepts (the matcher tests them instead of
/// running the regex): besides the start and end of the text the regex asserts nothing (a `\b`
/// or `\B` would be ignored by the literal extraction).
fn exact_words(hir: &Hir, seq: &regex_syntax::hir::literal::Seq) -> Option<Vec<String>> {
    if !seq.is_exact() || !ends_at_end_of_text(hir, 0) || !only_text_anchors(hir, 0) {
        return None;
    }
    seq_strings(seq, 256, starts_identifier)
}

/// Are the start and the end of the text the only things `h` asserts?
fn only_text_anchors(h: &Hir, depth: u32) -> bool {
    use regex_syntax::hir::Look;
    if depth > 50 {
        return false;
    }
    match h.kind() {
        HirKind::Look(l) => matches!(l, Look::Start | Look::End),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => true,
        HirKind::Repetition(r) => only_text_anchors(&r.sub, depth + 1),
        HirKind::Capture(c) => only_text_anchors(&c.sub, depth + 1),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().all(|h| only_text_anchors(h, depth + 1)),
    }
}

/// Must every match of `h` end at the end of the text (`$` or `\z` last)?
fn ends_at_end_of_text(h: &Hir, depth: u32) -> bool {
    use regex_syntax::hir::Look;
    if depth > 50 {
        return false;
    }
    match h.kind() {
        HirKind::Look(Look::End) => true,
        HirKind::Capture(c) => ends_at_end_of_text(&c.sub, depth + 1),
        HirKind::Concat(hs) => hs.last().is_some_and(|l| ends_at_end_of_text(l, depth + 1)),
        HirKind::Alternation(hs) => hs.iter().all(|h| ends_at_end_of_text(h, depth + 1)),
        _ => false,
    }
}

/// The prefix literals that every match of `re` starts with, when there are few and they are
/// long enough to be worth looking for; `None` when nothing useful is known.
pub fn regex_prefixes(re: &str) -> Option<Vec<String>> {
    regex_facts(re).ok()?.prefixes
}

fn prefixes_of(mut out: Vec<String>) -> Option<Vec<String>> {
    if out.iter().any(|s| s.len() < 3) {
        return None;
    }
    // Any-of: a literal containing another one adds nothing.
    out.sort_by_key(|s| (s.len(), s.clone()));
    out.dedup();
    let mut kept: Vec<String> = Vec::new();
    for s in out {
        if !kept.iter().any(|k| s.contains(k.as_str())) {
            kept.push(s);
        }
    }
    // Each literal is one substring search over the file (when the rule gets that far).
    if kept.len() > 64 {
        return None;
    }
    Some(kept)
}

/// Lowercase ASCII literals one of which every match of `re` contains, comparing ASCII text
/// without regard to case (only ASCII parts of the regex can match ASCII text); `None` when
/// nothing useful is known.
pub fn regex_required(re: &str) -> Option<Vec<String>> {
    regex_facts(re).ok()?.required
}

fn required_of(hir: &Hir) -> Option<Vec<String>> {
    let mut set = required(hir, 0)?;
    set.sort_by_key(|s| (s.len(), s.clone()));
    set.dedup();
    let mut kept: Vec<String> = Vec::new();
    for s in set {
        if !kept.iter().any(|k| s.contains(k.as_str())) {
            kept.push(s);
        }
    }
    if kept.is_empty() || kept.len() > 64 || kept.iter().any(|k| k.len() < 2) {
        return None;
    }
    Some(kept)
}

/// The lowercase ASCII strings a node matches exactly in ASCII text, if there are few.
fn exact(h: &Hir, depth: u32) -> Option<Vec<String>> {
    const CAP: usize = 64;
    if depth > 50 {
        return None;
    }
    match h.kind() {
        HirKind::Empty => Some(vec![String::new()]),
        HirKind::Literal(l) => {
            let s = std::str::from_utf8(&l.0).ok()?;
            s.is_ascii().then(|| vec![s.to_ascii_lowercase()])
        }
        HirKind::Class(Class::Unicode(c)) => {
            // The ASCII members must be one character, or one letter in both cases.
            let mut first: Option<u8> = None;
            for r in c.ranges() {
                let (lo, hi) = (r.start() as u32, (r.end() as u32).min(0x7f));
                for x in lo..=hi {
                    let x = (x as u8).to_ascii_lowercase();
                    if *first.get_or_insert(x) != x {
                        return None;
                    }
                }
            }
            first.map(|f| vec![(f as char).to_string()])
        }
        HirKind::Capture(c) => exact(&c.sub, depth + 1),
        HirKind::Repetition(r) if r.max.is_some_and(|m| m <= 1) => {
            let mut set = exact(&r.sub, depth + 1)?;
            if r.min == 0 {
                set.push(String::new());
            }
            Some(set)
        }
        HirKind::Concat(parts) => {
            let mut acc = vec![String::new()];
            for p in parts {
                acc = cross(&acc, &exact(p, depth + 1)?)?;
            }
            Some(acc)
        }
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(exact(a, depth + 1)?);
                if out.len() > CAP {
                    return None;
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn cross(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() * b.len() > 64 {
        return None;
    }
    Some(a.iter().flat_map(|x| b.iter().map(move |y| format!("{x}{y}"))).collect())
}

fn required(h: &Hir, depth: u32) -> Option<Vec<String>> {
    if depth > 50 {
        return None;
    }
    if let Some(set) = exact(h, depth) {
        return (!set.iter().any(String::is_empty)).then_some(set);
    }
    match h.kind() {
        HirKind::Capture(c) => required(&c.sub, depth + 1),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub, depth + 1),
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(required(a, depth + 1)?);
                if out.len() > 64 {
                    return None;
                }
            }
            Some(out)
        }
        HirKind::Concat(parts) => {
            // Candidates: each run of parts with exact strings, combined, and each other
            // part's own set; the best has the longest shortest literal.
            fn score(v: &[String]) -> usize {
                v.iter().map(String::len).min().unwrap_or(0)
            }
            let mut best: Option<Vec<String>> = None;
            let consider = |cand: Vec<String>, best: &mut Option<Vec<String>>| {
                if cand.iter().any(String::is_empty) {
                    return;
                }
                if best.as_ref().is_none_or(|b| score(&cand) > score(b) || (score(&cand) == score(b) && cand.len() < b.len())) {
                    *best = Some(cand);
                }
            };
            let mut run: Option<Vec<String>> = None;
            for p in parts {
                if let Some(set) = exact(p, depth + 1) {
                    run = match run {
                        None => Some(set),
                        Some(r) => match cross(&r, &set) {
                            Some(c) => Some(c),
                            None => {
                                consider(r, &mut best);
                                Some(set)
                            }
                        },
                    };
                    continue;
                }
                if let Some(r) = run.take() {
                    consider(r, &mut best);
                }
                if let Some(set) = required(p, depth + 1) {
                    consider(set, &mut best);
                }
            }
            if let Some(r) = run {
                consider(r, &mut best);
            }
            best
        }
        _ => None,
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn first(re: &str) -> Option<Vec<u8>> {
        let hir = regex_syntax::Parser::new().parse(re).expect("regex parses");
        first_bytes(&hir).map(|s| (0..=255u8).filter(|&b| s.contains(b)).collect())
    }

    #[test]
    fn first_bytes_are_those_every_match_starts_with() {
        assert_eq!(first(r"\A(?:abc|xyz)"), Some(b"ax".to_vec()));
        assert_eq!(first(r"\A(?:[rb]*[\x22']http)"), Some(b"\"'br".to_vec()));
        assert_eq!(first(r"\A(?:(?:settings\.)?[A-C]_)"), Some(b"ABCs".to_vec()));
        // Case folding: `k` is also the Kelvin sign, which starts with a byte from 0x80.
        let f = first(r"(?i)\Ak").expect("known");
        assert!(f.contains(&b'K') && f.contains(&b'k') && !f.contains(&b'j'));
        // Non-ASCII characters start with a byte from 0x80.
        let f = first(r"\A(?:é|a)").expect("known");
        assert!(f.contains(&b'a') && f.contains(&0xC3) && !f.contains(&b'b'));
    }

    #[test]
    fn a_regex_that_matches_the_empty_text_has_no_first_bytes() {
        assert_eq!(first(r"\A(?:a*)"), None);
        assert_eq!(first(r"\A(?:a|)"), None);
        assert_eq!(first(r"^"), None);
    }

    #[test]
    fn bound_code_is_rejected_by_its_first_byte_unless_it_is_a_string_literal() {
        use crate::rules::pattern::may_start;
        let hir = regex_syntax::Parser::new().parse(r"\A(?:[A-Z]|http)").expect("regex parses");
        let f = first_bytes(&hir).expect("known");
        assert!(may_start(&f, "API_BASE + path") && may_start(&f, "http_url"));
        assert!(!may_start(&f, "url") && !may_start(&f, ""));
        // A string literal's text without quotes is matched too.
        assert!(may_start(&f, "'https://x'") && may_start(&f, "rb\"x\"") && may_start(&f, "f'{x}'") == f.contains(b'f'));
    }

    #[test]
    fn names_only_regexes_accept_only_names_dotted_names_and_literals() {
        let names_only_of = |re: &str| names_only(&regex_syntax::Parser::new().parse(re).expect("regex parses"));
        assert!(names_only_of(r"\A(?:(?i)(?:[a-z_][a-z0-9_]*\.)*(?:password|secret)$)"));
        assert!(names_only_of(r#"\A(?:(?i)^["']?[a-z0-9_]*token["']?$)"#));
        // Not anchored at the end: `password(x)` matches too.
        assert!(!names_only_of(r"\A(?:password)"));
        // A match may hold other characters.
        assert!(!names_only_of(r"\A(?:.*password$)") && !names_only_of(r"\A(?:a\(b$)"));
    }

    #[test]
    fn word_boundaries_become_ascii_as_in_pcre() {
        let t = ascii_word_boundaries(r"(?i)\bsk-[a-z]+\b").expect("has a boundary");
        let re = regex::Regex::new(&t).expect("compiles");
        assert!(re.is_match("key = 'sk-abc'") && re.is_match("SK-ABC") && !re.is_match("xsk-abc"));
        // Around a non-ASCII letter an ASCII boundary holds, as in PCRE without UCP.
        assert!(re.is_match("ésk-abc"));
        assert_eq!(ascii_word_boundaries("plain"), None);
        assert_eq!(ascii_word_boundaries(r"\d+"), None);
    }
}
