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

use rustc_hash::FxHashMap as HashMap;

use crate::syntax::source::starts_identifier;


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
    /// Identifier-like substring literals, by first byte (see [`starts_identifier`]):
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
            } else if starts_identifier(t) {
                self.prefix_buckets[t.as_bytes()[0] as usize].push(id as u32);
                self.finders.push(None);
            } else {
                self.finders.push(Some(memchr::memmem::Finder::new(t.as_bytes()).into_owned()));
            }
        }
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

    /// A presence in which every literal counts as found: the prefilter switched off (the
    /// equivalence test runs every fixture both ways).
    pub fn assume_all<'s>(&'s self, src: &'s str) -> Presence<'s> {
        Presence { lits: self, src, state: Vec::new() }
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
        if self.state.is_empty() {
            return;
        }
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
    pub fn satisfies(&self, needs: &[u32]) -> bool {
        needs.iter().all(|&w| self.state.get(w as usize).is_none_or(|c| c.get() == 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefilter::needs::pattern_needs;
    use crate::rules::pattern::compile_pattern;
    use crate::rules::regex_facts::*;

    fn words(text: &str) -> Vec<String> {
        let mut lits = Literals::default();
        let p = compile_pattern(text).unwrap();
        let needs = pattern_needs(&p, &mut lits);
        // A set of words: the order they were found in does not matter.
        let mut out: Vec<String> = needs.iter().map(|&w| lits.texts[w as usize].clone()).collect();
        out.sort();
        out
    }

    #[test]
    fn collects_required_words() {
        assert_eq!(words("subprocess.$FN($CMD, ..., shell=True, ...)"), vec!["shell", "subprocess"]);
        assert_eq!(words("$M.objects.raw(f\"...\", ...)"), vec!["objects", "raw"]);
        assert!(words("$F(..., $NAME=$VALUE, ...)").is_empty());
        assert_eq!(words("$F((\"0.0.0.0\", $PORT), \"...\")"), vec!["0.0.0.0"]);
        assert_eq!(words("try:\n    ...\nexcept Exception:\n    pass"), vec!["Exception"]);
        // Optional parts of a pattern need nothing: a loop's `else`, a definition's annotations.
        assert_eq!(words("for $X in items:\n    run($X)\nelse:\n    extra()"), vec!["items", "run"]);
        assert_eq!(words("def handler(req: Request) -> Response:\n    ..."), vec!["handler", "req"]);
        // Compared structurally: an import needs no words of the file.
        assert!(words("import pickle").is_empty());
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
            crate::syntax::parse::parse_module_with_names(src, |n, d| p.see(n, d));
            (p.has(os), p.has(sys), p.has(ex))
        };
        // Identifier-like prefixes are found at the start of identifiers and string values
        // (a comment holds no node); others, and those that begin a keyword, in the text.
        let more = |src: &str| {
            let p = lits.presence(src);
            crate::syntax::parse::parse_module_with_names(src, |n, d| p.see(n, d));
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
            crate::syntax::parse::parse_module_with_names(src, |n, d| p.see(n, d));
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
