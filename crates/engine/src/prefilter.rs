//! File-level prefiltering: the literal text a pattern (or a rule's `metavariable-regex`) needs
//! the file to contain before it can match anywhere in it, in the spirit of Semgrep's and Ruff's
//! prefilters.
//!
//! A pattern *needs* words: identifiers that every match spells (`subprocess`, `loads`, a
//! keyword argument name). The parser adapter reports every identifier of the file's tree as it
//! builds it, and a table lookup records the words that occur. A `metavariable-regex` needs one
//! of the literals every match starts with (a substring of the text, looked for with a SIMD
//! search only when a rule gets that far). Every pattern or rule whose needs fail is skipped:
//! it could not have matched. The same analysis of the regexes gives the matcher cheap tests
//! (`regex_starts`, `regex_required`) that reject most candidates before the regex runs.
//!
//! Soundness, i.e. why skipping never loses a finding:
//! - every identifier a pattern spells (outside metavariables) must match an identifier of the
//!   code, or a segment of an imported module path that the import resolution produced, or code
//!   reached by following a constant; all of those are identifiers of the same file's tree,
//!   normalised like Python does (so `ｏｓ` is `os`), dotted import names split into segments;
//! - a `metavariable-regex` is anchored at the start of the bound code (or of the string literal
//!   without its quotes), which is a substring of the file, so the file contains one of the
//!   regex's prefix literals when the extracted prefix set is finite.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};
use rustc_hash::FxHashMap as HashMap;

use crate::ast::*;
use crate::pattern::{mv_name, Pattern, PatternKind, PARAM_ELLIPSIS};

/// Word literals that must all occur.
pub type Needs = Vec<u32>;

/// The literals of every rule, and the tables that find them.
#[derive(Debug, Default)]
pub struct Literals {
    texts: Vec<String>,
    words: Vec<bool>,
    word_ids: HashMap<String, u32>,
    substring_ids: HashMap<String, u32>,
    /// Open-addressing table of the word literals: (hash, literal id), `u32::MAX` when empty.
    table: Vec<(u64, u32)>,
    /// Length range of the word literals (shorter or longer identifiers are not looked up).
    min_word: usize,
    max_word: usize,
    /// Bloom filter over (first byte, last byte, length) of the words: most identifiers of a
    /// file are rejected without hashing them.
    shape: Vec<u64>,
    /// Substring searchers, by literal id (`None` for words).
    finders: Vec<Option<memchr::memmem::Finder<'static>>>,
    /// Identifier-like substring literals, by first byte (see [`Literals::starts_identifier`]):
    /// found while the file's identifiers and string values are seen, without a text search.
    prefix_buckets: Vec<Vec<u32>>,
}

const SHAPE_BITS: usize = 1 << 14;

/// A cheap key of a non-empty word for the `shape` filter.
fn shape_key(w: &[u8]) -> usize {
    let first = w.first().copied().unwrap_or(0) as usize;
    let last = w.last().copied().unwrap_or(0) as usize;
    (first.wrapping_mul(31) ^ last.wrapping_mul(1057) ^ w.len().wrapping_mul(8191)) & (SHAPE_BITS - 1)
}

fn word_hash(w: &[u8]) -> u64 {
    let mut h = w.len() as u64;
    for c in w.chunks(8) {
        let mut buf = [0u8; 8];
        buf[..c.len()].copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h
}

impl Literals {
    pub fn intern(&mut self, text: &str, word: bool) -> u32 {
        if let Some(id) = self.id(text, word) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.to_string());
        self.words.push(word);
        if word { &mut self.word_ids } else { &mut self.substring_ids }.insert(text.to_string(), id);
        id
    }

    pub fn id(&self, text: &str, word: bool) -> Option<u32> {
        if word { &self.word_ids } else { &self.substring_ids }.get(text).copied()
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Builds the lookup tables; call after the last `intern`.
    pub fn build(&mut self) {
        let nwords = self.words.iter().filter(|w| **w).count();
        let size = (nwords * 4).next_power_of_two().max(16);
        self.table = vec![(0, u32::MAX); size];
        self.min_word = usize::MAX;
        self.max_word = 0;
        self.shape = vec![0; SHAPE_BITS / 64];
        for (id, t) in self.texts.iter().enumerate() {
            if !self.words[id] {
                continue;
            }
            self.min_word = self.min_word.min(t.len());
            self.max_word = self.max_word.max(t.len());
            let k = shape_key(t.as_bytes());
            self.shape[k / 64] |= 1 << (k % 64);
            let h = word_hash(t.as_bytes());
            let mut slot = (h as usize) & (size - 1);
            while self.table[slot].1 != u32::MAX {
                slot = (slot + 1) & (size - 1);
            }
            self.table[slot] = (h, id as u32);
        }
        self.prefix_buckets = vec![Vec::new(); 256];
        self.finders = Vec::with_capacity(self.texts.len());
        for (id, (t, w)) in self.texts.iter().zip(&self.words).enumerate() {
            if *w {
                self.finders.push(None);
            } else if Self::starts_identifier(t) {
                self.prefix_buckets[t.as_bytes()[0] as usize].push(id as u32);
                self.finders.push(None);
            } else {
                self.finders.push(Some(memchr::memmem::Finder::new(t.as_bytes()).into_owned()));
            }
        }
    }

    /// Can substring literal `t` be looked for among the starts of the identifiers and string
    /// values of a file, instead of in its whole text? The substring literals are the
    /// prefixes that every match of a `metavariable-regex` starts with, and a regex runs on
    /// the text of a bound node (string literals also without their quotes). That text starts
    /// with an identifier, a keyword, a string prefix or quote, a digit or a symbol. For a
    /// literal of identifier characters that starts with no digit and that begins no keyword
    /// or string prefix, the text can only start with it if an identifier, or a string value,
    /// of the file does (the parser adapter reports both).
    pub(crate) fn starts_identifier(t: &str) -> bool {
        const STARTERS: &[&str] = &[
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "case", "class",
            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
            "import", "in", "is", "lambda", "match", "nonlocal", "not", "or", "pass", "raise", "return",
            "try", "type", "while", "with", "yield", "_",
            // String prefixes, in any case and order.
            "rb", "br", "Rb", "bR", "RB", "BR", "rB", "Br", "fr", "rf", "Fr", "fR", "FR", "RF", "rF", "Rf",
            "tr", "rt", "Tr", "tR", "TR", "RT", "rT", "Rt", "u", "U",
        ];
        let b = t.as_bytes();
        !b.is_empty()
            && !b[0].is_ascii_digit()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
            && !STARTERS.iter().any(|k| k.starts_with(t))
    }

    fn word_id(&self, w: &[u8]) -> Option<u32> {
        let size = self.table.len();
        if size == 0 {
            return None;
        }
        let h = word_hash(w);
        let mut slot = (h as usize) & (size - 1);
        loop {
            let (sh, id) = self.table[slot];
            if id == u32::MAX {
                return None;
            }
            if sh == h && self.texts.get(id as usize).is_some_and(|t| t.as_bytes() == w) {
                return Some(id);
            }
            slot = (slot + 1) & (size - 1);
        }
    }

    /// The literals of `src`, none seen yet: feed it the file's identifiers with
    /// [`Presence::see`]; substrings are looked up on demand.
    pub fn presence<'s>(&'s self, src: &'s str) -> Presence<'s> {
        // 0: absent, 1: present, 2: not looked for yet (substrings searched in the text).
        let state = self.finders.iter().map(|f| std::cell::Cell::new(if f.is_none() { 0 } else { 2 })).collect();
        Presence { lits: self, src, state }
    }
}

/// The literals found in one file.
pub struct Presence<'s> {
    lits: &'s Literals,
    src: &'s str,
    state: Vec<std::cell::Cell<u8>>,
}

impl Presence<'_> {
    /// Records an identifier of the file; a `dotted` module name counts as its segments.
    pub fn see(&self, name: &str, dotted: bool) {
        if dotted {
            name.split('.').for_each(|seg| self.see_word(seg.as_bytes()));
        } else {
            self.see_word(name.as_bytes());
        }
    }

    fn see_word(&self, w: &[u8]) {
        let l = self.lits;
        if let Some(bucket) = w.first().and_then(|b| l.prefix_buckets.get(*b as usize)) {
            for &id in bucket {
                if w.starts_with(l.texts[id as usize].as_bytes()) {
                    self.state[id as usize].set(1);
                }
            }
        }
        let n = w.len();
        if n < l.min_word || n > l.max_word {
            return;
        }
        let k = shape_key(w);
        if (l.shape[k / 64] >> (k % 64)) & 1 == 0 {
            return;
        }
        if let Some(c) = l.word_id(w).and_then(|id| self.state.get(id as usize)) {
            c.set(1);
        }
    }

    /// Does literal `id` occur in the file? Unknown ids count as present.
    pub fn has(&self, id: u32) -> bool {
        let Some(c) = self.state.get(id as usize) else { return true };
        match c.get() {
            0 => false,
            1 => true,
            _ => {
                let found = match self.lits.finders.get(id as usize) {
                    Some(Some(f)) => f.find(self.src.as_bytes()).is_some(),
                    _ => true,
                };
                c.set(found as u8);
                found
            }
        }
    }

    /// Do all the words of `needs` occur?
    pub fn satisfies(&self, needs: &Needs) -> bool {
        needs.iter().all(|&w| self.state.get(w as usize).is_none_or(|c| c.get() == 1))
    }
}

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
    })
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
    seq_strings(seq, 256, Literals::starts_identifier)
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
    if kept.is_empty() || kept.len() > 16 || kept.iter().any(|k| k.len() < 2) {
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

/// Collects the words a pattern spells, following the matcher's rules (`matcher.rs`): only
/// pattern parts that every match must match are visited.
struct Collector<'l> {
    lits: &'l mut Literals,
    out: Needs,
}

impl Collector<'_> {
    fn word(&mut self, w: &str) {
        if w.is_empty() || !w.is_ascii() || mv_name(w).is_some() || w == PARAM_ELLIPSIS || w.contains('.') {
            return;
        }
        let id = self.lits.intern(w, true);
        if !self.out.contains(&id) {
            self.out.push(id);
        }
    }

    fn expr(&mut self, e: &Expr, depth: u32) {
        if depth > 100 {
            return;
        }
        let d = depth + 1;
        match &e.kind {
            ExprKind::Name(n) => self.word(n),
            ExprKind::Attribute { value, attr } => {
                self.word(&attr.name);
                self.expr(value, d);
            }
            ExprKind::Call { func, args, keywords } => {
                self.expr(func, d);
                args.iter().for_each(|a| self.expr(a, d));
                for k in keywords {
                    if let Some(a) = &k.arg {
                        self.word(&a.name);
                    }
                    self.expr(&k.value, d);
                }
            }
            ExprKind::FString(parts) => {
                for p in parts {
                    if let FStringPart::Expr(x) = p {
                        self.expr(x, d);
                    }
                }
            }
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left, d);
                self.expr(right, d);
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand, d),
            ExprKind::BoolOp { values, .. } => values.iter().for_each(|v| self.expr(v, d)),
            ExprKind::Compare { left, comparators, .. } => {
                self.expr(left, d);
                comparators.iter().for_each(|c| self.expr(c, d));
            }
            ExprKind::List(es) | ExprKind::Tuple(es) | ExprKind::Set(es) => es.iter().for_each(|x| self.expr(x, d)),
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(k, d);
                    }
                    self.expr(v, d);
                }
            }
            ExprKind::Subscript { value, slice } => {
                self.expr(value, d);
                self.expr(slice, d);
            }
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step].into_iter().flatten() {
                    self.expr(x, d);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test, d);
                self.expr(body, d);
                self.expr(orelse, d);
            }
            ExprKind::Await(x) | ExprKind::Starred(x) | ExprKind::YieldFrom(x) => self.expr(x, d),
            ExprKind::Yield(x) => {
                if let Some(x) = x {
                    self.expr(x, d);
                }
            }
            ExprKind::Named { target, value } => {
                self.expr(target, d);
                self.expr(value, d);
            }
            // A string literal only matches an equal code literal (or a name bound to one): the
            // parser adapter reports the value of every string literal of the file like a word.
            ExprKind::Str(v) if v != "..." => {
                let id = self.lits.intern(v, true);
                if !self.out.contains(&id) {
                    self.out.push(id);
                }
            }
            // Compared as text, or literals: no words needed.
            ExprKind::Lambda { .. }
            | ExprKind::Comp { .. }
            | ExprKind::DictComp { .. }
            | ExprKind::Str(_)
            | ExprKind::Bytes
            | ExprKind::Number(_)
            | ExprKind::Bool(_)
            | ExprKind::NoneLit
            | ExprKind::Ellipsis
            | ExprKind::Error => {}
        }
    }

    fn opt(&mut self, e: Option<&Expr>, d: u32) {
        if let Some(e) = e {
            self.expr(e, d);
        }
    }

    fn body(&mut self, b: &[Stmt], d: u32) {
        for s in b {
            self.stmt(s, d);
        }
    }

    fn stmt(&mut self, s: &Stmt, depth: u32) {
        if depth > 100 {
            return;
        }
        let d = depth + 1;
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e, d),
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| self.expr(t, d));
                self.expr(value, d);
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(target, d);
                self.expr(value, d);
            }
            StmtKind::AnnAssign { target, annotation, value } => {
                // `x: T = v` patterns are only matched against annotated assignments, but plain
                // `x = v` patterns also match them: the annotation is not needed then.
                self.expr(target, d);
                self.expr(annotation, d);
                self.opt(value.as_deref(), d);
            }
            StmtKind::FunctionDef(f) => {
                self.word(&f.name.name);
                f.decorators.iter().for_each(|x| self.expr(x, d));
                for p in &f.params {
                    self.word(&p.name.name);
                    self.opt(p.default.as_ref(), d);
                }
                self.body(&f.body, d);
            }
            StmtKind::ClassDef(c) => {
                self.word(&c.name.name);
                c.bases.iter().for_each(|x| self.expr(x, d));
                self.body(&c.body, d);
            }
            StmtKind::Return(v) => self.opt(v.as_ref(), d),
            StmtKind::Delete(ts) => ts.iter().for_each(|t| self.expr(t, d)),
            StmtKind::If { branches } => {
                for b in branches {
                    self.opt(b.test.as_ref(), d);
                    self.body(&b.body, d);
                }
            }
            StmtKind::For { target, iter, body, .. } => {
                self.expr(target, d);
                self.expr(iter, d);
                self.body(body, d);
            }
            StmtKind::While { test, body, .. } => {
                self.expr(test, d);
                self.body(body, d);
            }
            StmtKind::With { items, body, .. } => {
                for i in items {
                    self.expr(&i.context, d);
                    self.opt(i.target.as_ref(), d);
                }
                self.body(body, d);
            }
            StmtKind::Raise { exc, cause } => {
                self.opt(exc.as_deref(), d);
                self.opt(cause.as_deref(), d);
            }
            StmtKind::Try { body, handlers, .. } => {
                self.body(body, d);
                for h in handlers {
                    self.opt(h.type_.as_ref(), d);
                    if let Some(n) = &h.name {
                        self.word(&n.name);
                    }
                    self.body(&h.body, d);
                }
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test, d);
                self.opt(msg.as_deref(), d);
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                for n in names {
                    self.word(&n.name);
                }
            }
            // Compared as text (imports), matched only by kind, or not matched at all.
            StmtKind::Import(_)
            | StmtKind::ImportFrom { .. }
            | StmtKind::Match { .. }
            | StmtKind::Pass
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Other => {}
        }
    }
}

/// The words a compiled pattern needs the file to contain.
pub fn pattern_needs(p: &Pattern, lits: &mut Literals) -> Needs {
    let mut c = Collector { lits, out: Vec::new() };
    match p.kind {
        PatternKind::Expr | PatternKind::Stmt | PatternKind::Seq => c.body(&p.module.body, 0),
    }
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::compile_pattern;

    fn words(text: &str) -> Vec<String> {
        let mut lits = Literals::default();
        let p = compile_pattern(text).unwrap();
        let needs = pattern_needs(&p, &mut lits);
        needs.iter().map(|&w| lits.texts[w as usize].clone()).collect()
    }

    #[test]
    fn collects_required_words() {
        assert_eq!(words("subprocess.$FN($CMD, ..., shell=True, ...)"), vec!["subprocess", "shell"]);
        assert_eq!(words("$M.objects.raw(f\"...\", ...)"), vec!["raw", "objects"]);
        assert!(words("$F(..., $NAME=$VALUE, ...)").is_empty());
        assert_eq!(words("$F((\"0.0.0.0\", $PORT), \"...\")"), vec!["0.0.0.0"]);
        assert_eq!(words("try:\n    ...\nexcept Exception:\n    pass"), vec!["Exception"]);
    }

    #[test]
    fn finds_words_and_prefixes() {
        let mut lits = Literals::default();
        let os = lits.intern("os", true);
        let sys = lits.intern("system", true);
        let ex = lits.intern("execute", false);
        let cookie = lits.intern("SESSION_COOKIE_SECURE", false);
        let non = lits.intern("Non", false);
        let quoted = lits.intern("'-c'", false);
        lits.build();
        let scan = |src: &str| {
            let p = lits.presence(src);
            crate::parse::parse_module_with_names(src, |n, d| p.see(n, d));
            (p.has(os), p.has(sys), p.has(ex))
        };
        // Identifier-like prefixes are found at the start of identifiers and string values
        // (a comment holds no node); others, and those that begin a keyword, in the text.
        let more = |src: &str| {
            let p = lits.presence(src);
            crate::parse::parse_module_with_names(src, |n, d| p.see(n, d));
            (p.has(cookie), p.has(non), p.has(quoted))
        };
        assert_eq!(more("app.config['SESSION_COOKIE_SECURE_X'] = False"), (true, false, false));
        assert_eq!(more("SESSION_COOKIE_SECURE = x  # None"), (true, true, false));
        assert_eq!(more("# SESSION_COOKIE_SECURE\nx = None\nrun(['-c'])"), (false, true, true));
        assert_eq!(scan("import pos\nx.systems()\ncur.executemany(q)\n"), (false, false, true));
        assert_eq!(scan("os.system(x)"), (true, true, false));
        assert_eq!(scan("import os.path as p\nfrom x import system\n"), (true, true, false));
        // Python normalises identifiers: this is `os.system`.
        assert_eq!(scan("\u{ff4f}\u{ff53}.system()"), (true, true, false));
        // A string literal's value counts (patterns may need the literal), a comment does not.
        assert_eq!(scan("'os' # system"), (true, false, false));
        assert_eq!(scan("'o' 's'"), (true, false, false));
        assert_eq!(regex_prefixes(r"\A(?:(execute|executemany|executescript)$)"), Some(vec!["execute".to_string()]));
        assert_eq!(regex_prefixes(r"\A(?:^(flask\.)?request\.)"), Some(vec!["request.".to_string()]));
        assert_eq!(regex_prefixes(r"\A(?:(?i).*token)"), None);
        assert_eq!(
            regex_starts(r"\A(?:(execute|executemany|xexecute)$)"),
            Some(vec!["execute".to_string(), "xexecute".to_string()])
        );
        let req = |r: &str| regex_required(&format!(r"\A(?:{r})"));
        let name = r"(?i)(?:\w+\.)*(?:\w*(?:password|passwd|passwrd|passphrase|pass_phrase)|(?:\w*_)?(?:pwd|pass|pw))$";
        assert_eq!(req(name), Some(vec!["pw".to_string(), "pass".to_string()]));
        assert_eq!(req(r"(?is).*\b(?:is_admin|authori[sz]ed|roles?|token)\b"), Some(vec!["role".into(), "token".into(), "authori".into(), "is_admin".into()]));
        assert_eq!(req(r"(?i).*"), None);
        let cookie = r#"\A(?:["']?(?:SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|REMEMBER_COOKIE_HTTPONLY)["']?$)"#;
        assert_eq!(regex_prefixes(cookie).map(|p| p.len()), Some(3));
        // A regex anchored at both ends that spells out each accepted identifier: those are
        // looked up as whole words.
        let words = |r: &str| regex_facts(&format!(r"\A(?:{r})")).ok().and_then(|f| f.words);
        let v = |ws: &[&str]| Some(ws.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        assert_eq!(words(r"^(route|get|post)$"), v(&["get", "post", "route"]));
        assert_eq!(words(r"(get|post)$|^put$"), v(&["get", "post", "put"]));
        assert_eq!(words(r"(?i)^get$"), v(&["GET", "GEt", "GeT", "Get", "gET", "gEt", "geT", "get"]));
        // Not anchored at the end (`getter` matches), not exact, or not identifiers.
        assert_eq!(words(r"^(get|post)"), None);
        assert_eq!(words(r"^(get|post)$|x"), None);
        assert_eq!(words(r"^get\w*$"), None);
        assert_eq!(words(r"^(None|get)$"), None);
        assert_eq!(words(r"^(a\.b)$"), None);
        assert_eq!(words(r"(?m)^(get|post)$"), None);
        assert_eq!(words(r"^(get\B|post)$"), None);
        assert_eq!(words(r"^(get|post)\b$"), None);
    }

    /// The words of an exact `metavariable-regex` are found as identifiers and as the values of
    /// string and bytes literals, which the regex also runs on (without their quotes).
    #[test]
    fn finds_exact_regex_words_in_every_place_a_regex_runs() {
        let mut lits = Literals::default();
        let get = lits.intern("get", true);
        lits.build();
        let has = |src: &str| {
            let p = lits.presence(src);
            crate::parse::parse_module_with_names(src, |n, d| p.see(n, d));
            p.has(get)
        };
        assert!(has("requests.get(u)"));
        assert!(has("def get(): pass"));
        assert!(has("f(method='get')"));
        assert!(has("f(method=b'get')"));
        assert!(has("f(method=b'ge' b't')"));
        assert!(!has("f(method='getter')  # get"));
    }
}
