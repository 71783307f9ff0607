//! Compiling Semgrep-style pattern text into a tree of pyward's own syntax.
//!
//! Pattern text is Python with a few extras. Before parsing, `$X` becomes the identifier
//! `__MV_X`, `$...X` becomes `...`, and a `...` parameter inside `def f(...)` becomes the
//! identifier `__pyw_ellipsis`. The adapter's parser then does the rest.

use std::sync::{Arc, OnceLock};
use crate::rules::meta::LazyRegex;
use crate::rules::regex_facts::ByteSet;
use crate::syntax::ast::*;
use crate::syntax::parse::parse_module;

pub const MV_PREFIX: &str = "__MV_";
pub const PARAM_ELLIPSIS: &str = "__pyw_ellipsis";
/// The attribute name `$X. ... .$Y` is written with: any chain between `$X` and `.$Y`.
pub const CHAIN_ELLIPSIS: &str = "__pyw_chain";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// A single expression: matches any expression node.
    Expr,
    /// A single non-expression statement: matches statements.
    Stmt,
    /// Several statements: matches a run of statements in one block.
    Seq,
}

#[derive(Debug)]
pub struct Pattern {
    pub kind: PatternKind,
    pub module: Module,
    pub text: String,
    /// The text `module` was parsed from (`$X` written `__MV_X`): its nodes' spans point here.
    pub parsed: String,
    /// `metavariable-regex` conditions of the enclosing `patterns`, checked as soon as the
    /// metavariable is bound so that the matcher backtracks to other candidates (the other
    /// keyword arguments, dict entries or list elements) instead of failing later.
    pub constraints: Vec<(String, MvRegex)>,
    /// The `pattern-inside` patterns of the enclosing `patterns`: a match of this pattern
    /// can only count where it lies within a match of one of these (the matcher tries it
    /// only there, see `matching/gates.rs`). Empty when no such condition is known.
    pub gate: Vec<usize>,
    /// Follow a name to its value only when the value is a literal, as Semgrep's constant
    /// propagation does (user rules); the built-in rules follow any single assignment
    /// (`q = f"..." + x; run(q)`), see `Matcher::m_expr`.
    pub literal_values: bool,
}

/// A `metavariable-regex`, with what the prefilter knows about it (see `prefilter/`).
///
/// The regex is checked and analysed when the rule loads, and compiled when it first runs: most
/// rules' regexes never run on a given file set (their patterns never match), and compiling
/// them all cost more than any other part of loading the built-in rules.
#[derive(Debug, Clone)]
pub struct MvRegex {
    /// The regex as compiled: anchored at the start (`\A(?:...)`), compiled on first use
    /// (or the reason it does not compile, kept so that a failure is not recompiled).
    regex: LazyRegex,
    /// Literals one of which every match starts with.
    pub prefixes: Option<Vec<String>>,
    /// Lowercase ASCII literals one of which every match contains (ASCII case ignored), as
    /// one searcher.
    pub required: Option<Required>,
    /// Literals one of which every match starts with (unlike `prefixes`, none is left out
    /// for containing another).
    pub starts: Option<Vec<String>>,
    /// Identifiers one of which every match is exactly (then `prefixes` is `None`).
    pub words: Option<Vec<String>>,
    /// The bytes every match starts with, if the regex cannot match the empty text.
    pub first: Option<ByteSet>,
    /// Only names, dotted names and literals can match (see `regex_facts::names_only`).
    pub names_only: bool,
    /// A regex only a backtracking engine runs (look-around, backreferences: see `pcre.rs`);
    /// then the facts above are all unknown.
    pcre: Option<crate::rules::pcre::PcreRegex>,
}

impl MvRegex {
    /// A rule's regex, anchored at the start of the bound code. Syntax errors are reported
    /// here (the `regex` crate parses with the same `regex-syntax` and the same features).
    pub fn new(user_regex: &str) -> Result<MvRegex, String> {
        let text = format!(r"\A(?:{user_regex})");
        let f = match crate::rules::regex_facts::regex_facts(&text) {
            Ok(f) => f,
            Err(e) => return Self::backtracking(&text).ok_or(e),
        };
        let text = crate::rules::regex_facts::ascii_word_boundaries(&text).unwrap_or(text);
        let required = f.required.and_then(|r| Required::new(&r));
        let prefixes = if f.words.is_some() { None } else { f.prefixes };
        Ok(MvRegex {
            regex: LazyRegex::new(&text),
            prefixes,
            required,
            starts: f.starts,
            words: f.words,
            first: f.first,
            names_only: f.names_only,
            pcre: None,
        })
    }

    /// The regex as compiled (anchored at the start).
    pub fn text(&self) -> &str {
        self.regex.as_str()
    }

    /// A number that tells this regex from every other one alive (its text's address):
    /// the key of a cache of its answers.
    pub fn key(&self) -> usize {
        self.regex.key()
    }

    /// A regex with PCRE features, on the backtracking engine (`None` if it does not compile).
    fn backtracking(text: &str) -> Option<MvRegex> {
        let re = crate::rules::pcre::PcreRegex::new(text).ok()?;
        Some(MvRegex {
            regex: LazyRegex::new(text),
            prefixes: None,
            required: None,
            starts: None,
            words: None,
            first: None,
            names_only: false,
            pcre: Some(re),
        })
    }

    /// Is the regex valid (compiled now if it was not yet)?
    pub fn check(&self) -> Result<(), String> {
        match &self.pcre {
            Some(_) => Ok(()),
            None => self.compile().map(|_| ()),
        }
    }

    /// The compiled regex (compiled now if it was not yet), or the reason it does not compile
    /// (only size limits are left to fail after [`MvRegex::new`]).
    pub fn compile(&self) -> Result<&regex::Regex, String> {
        self.regex.compile()
    }

    /// Does the regex accept this bound code (see [`mv_regex_matches`])? A regex too big to
    /// compile accepts nothing (user rules are compiled when they load, so only a built-in
    /// rule could get here, and a test compiles all of those).
    pub fn matches(&self, text: &str) -> bool {
        if let Some(re) = &self.pcre {
            return mv_text_matches(text, |t| re.is_match(t));
        }
        if self.first.as_ref().is_some_and(|f| !may_start(f, text)) {
            return false;
        }
        // The text without quotes is part of the text: without a required literal in the
        // text, neither can match. (Checked for ASCII text, where only ASCII matches.)
        if self.required.as_ref().is_some_and(|r| !r.admits(text)) {
            return false;
        }
        // An exact word set is the whole language of the regex (see `prefilter::exact_words`).
        if let Some(ws) = &self.words {
            return mv_text_matches(text, |t| ws.binary_search_by(|w| w.as_str().cmp(t)).is_ok());
        }
        self.compile().is_ok_and(|re| mv_regex_matches(re, text))
    }
}

/// Literals one of which some text must contain, ASCII case ignored. Their searcher is built
/// when it is first needed (like the regex it guards).
#[derive(Debug, Clone)]
pub struct Required {
    lits: Arc<[String]>,
    searcher: Arc<OnceLock<Option<aho_corasick::AhoCorasick>>>,
}

impl Required {
    pub fn new(lits: &[String]) -> Option<Required> {
        (!lits.is_empty()).then(|| Required { lits: lits.into(), searcher: Arc::new(OnceLock::new()) })
    }

    /// Can a regex that needs one of the literals match `text`? (Only ASCII text is judged,
    /// since case folding outside ASCII can create the literals.)
    pub fn admits(&self, text: &str) -> bool {
        if !text.is_ascii() {
            return true;
        }
        let searcher = self.searcher.get_or_init(|| {
            // A DFA without prefilter: the texts are short (mostly names), where a table
            // lookup per byte beats the set-up of a faster scan.
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .prefilter(false)
                .build(self.lits.iter())
                .ok()
        });
        searcher.as_ref().is_none_or(|s| s.is_match(text))
    }
}

/// Does a metavariable-regex accept this bound code? String literals are tried both with and
/// without their quotes, since rule authors write either.
pub fn mv_regex_matches(re: &regex::Regex, text: &str) -> bool {
    mv_text_matches(text, |t| re.is_match(t))
}

/// Can a regex whose matches start with a byte of `first` accept the bound code `text` (see
/// [`mv_text_matches`])? A string literal always may: its text without quotes is tried too.
pub fn may_start(first: &ByteSet, text: &str) -> bool {
    let Some(&b) = text.as_bytes().first() else { return false };
    first.contains(b) || text.trim_start_matches(['r', 'R', 'u', 'U', 'b', 'B']).starts_with(['"', '\''])
}

/// Does `accepts` take the bound code, or a string literal's text without its quotes?
fn mv_text_matches(text: &str, accepts: impl Fn(&str) -> bool) -> bool {
    if accepts(text) {
        return true;
    }
    let t = text.trim_start_matches(['r', 'R', 'u', 'U', 'b', 'B']);
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if t.len() >= 2 * q.len() && t.starts_with(q) && t.ends_with(q) {
            return accepts(&t[q.len()..t.len() - q.len()]);
        }
    }
    false
}

impl Pattern {
    pub fn expr(&self) -> Option<&Expr> {
        match (&self.kind, self.module.body.first().map(|s| &s.kind)) {
            (PatternKind::Expr, Some(StmtKind::Expr(e))) => Some(e),
            _ => None,
        }
    }
}

/// The metavariable name of an identifier produced by the rewriting, if it is one.
pub fn mv_name(ident: &str) -> Option<&str> {
    ident.strip_prefix(MV_PREFIX)
}

/// Syntax errors that Semgrep's own pattern grammar allows and the Python parser recovers from
/// with the intended tree.
const BENIGN_ERRORS: &[&str] = &[
    "Positional argument cannot follow keyword argument",
    "Parameter without a default cannot follow a parameter with a default",
    "Positional argument cannot follow keyword argument unpacking",
];

/// A typed metavariable `($X : T)` -> the call `__pyw_typed($X, T)` (matched in
/// `matching/semgrep_ext.rs`).
fn rewrite_typed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("($") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let mv_len = 1 + tail[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(tail.len() - 1);
        let (mv, after) = tail.split_at(mv_len);
        let typed = after.trim_start().strip_prefix(':').and_then(|t| {
            let t = t.trim_start();
            let len = t.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(t.len());
            let (ty, close) = t.split_at(len);
            let close = close.trim_start();
            (!ty.is_empty() && mv.len() > 1 && close.starts_with(')')).then(|| (ty, &close[1..]))
        });
        match typed {
            Some((ty, after_close)) => {
                out.push_str(&format!("{}({mv}, {ty})", crate::matching::TYPED_MV));
                rest = after_close;
            }
            None => {
                out.push('(');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn rewrite(text: &str) -> String {
    let text = &rewrite_typed(text);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'$' {
            if text[i + 1..].starts_with("...") {
                // `$...ARGS`: any sequence, bound to nothing.
                let mut j = i + 4;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                out.push_str("...");
                i = j;
                continue;
            }
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            if j > i + 1 {
                out.push_str(MV_PREFIX);
                out.push_str(&text[i + 1..j]);
                i = j;
                continue;
            }
        }
        // Advance by one UTF-8 character.
        let ch_len = text[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        out.push_str(&text[i..i + ch_len]);
        i += ch_len;
    }
    rewrite_def_ellipsis(&rewrite_ellipsis_targets(&rewrite_chain_ellipsis(&rewrite_dict_ellipsis(&out))))
}

/// `{..., "k": v, ...}` is not Python; dict patterns match as subsets anyway, so drop the dots
/// (with their comma, wherever the lines break) of a `{...}` group that holds a `:`. A lone
/// `{...}` stays: it parses as a set and matches any dict (see `m_expr_direct`).
fn rewrite_dict_ellipsis(s: &str) -> String {
    if !s.contains(':') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    // (start, end) byte ranges to drop.
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut stack: Vec<u8> = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'\'' | b'"' => quote = Some(c),
            b'(' | b'[' | b'{' => stack.push(c),
            b')' | b']' | b'}' => {
                stack.pop();
            }
            b'.' if stack.last() == Some(&b'{') && s[i..].starts_with("...") => {
                let prev = s[..i].trim_end();
                let after = &s[i + 3..];
                let next = after.trim_start();
                let next_at = i + 3 + (after.len() - next.len());
                if prev.ends_with('{') && next.starts_with(',') {
                    drop.push((i, next_at + 1));
                } else if prev.ends_with(',') && (next.starts_with('}') || next.starts_with(',')) {
                    drop.push((prev.len() - 1, i + 3));
                }
                i += 3;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (from, to) in drop {
        if from >= at {
            out.push_str(&s[at..from]);
            at = to;
        }
    }
    out.push_str(&s[at..]);
    out
}

/// `$X. ... .$Y` -> `$X.__pyw_chain.$Y` (outside strings).
fn rewrite_chain_ellipsis(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quote: Option<char> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            out.push(c);
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
        }
        if c == '.' {
            let after = &s[i + 1..];
            let t = after.trim_start_matches([' ', '\t']);
            if let Some(rest) = t.strip_prefix("...") {
                let r = rest.trim_start_matches([' ', '\t']);
                let before_ok = s[..i].ends_with(|ch: char| ch.is_alphanumeric() || ch == '_' || ch == ')' || ch == ']');
                if before_ok && r.starts_with('.') && !r.starts_with("..") {
                    out.push('.');
                    out.push_str(CHAIN_ELLIPSIS);
                    out.push('.');
                    let skip = s.len() - (i + 1) - (r.len() - 1);
                    for _ in 0..skip {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// A `...` where Python wants an assignment target (`... = f()`, `for ... in xs:`,
/// `with f() as ...:`) stands for any target: it becomes the anonymous metavariable `$_`.
fn rewrite_ellipsis_targets(s: &str) -> String {
    let any = format!("{MV_PREFIX}_");
    let mut out = String::with_capacity(s.len());
    for (n, line) in s.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start().len();
        let body = &line[indent..];
        let mut fixed = match body.strip_prefix("...") {
            Some(rest) if rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("==") => {
                format!("{}{any}{rest}", &line[..indent])
            }
            _ => line.to_string(),
        };
        for (from, to) in [("for ... in ", format!("for {any} in ")), (" as ...:", format!(" as {any}:")), (" as ...,", format!(" as {any},"))] {
            fixed = fixed.replace(from, &to);
        }
        out.push_str(&fixed);
    }
    out
}

/// `def f(..., x=1, ...)` -> `def f(__pyw_ellipsis, x=1, __pyw_ellipsis)`.
fn rewrite_def_ellipsis(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find("def ") {
        let (head, tail) = rest.split_at(pos);
        out.push_str(head);
        let Some(open) = tail.find('(') else {
            out.push_str(tail);
            return out;
        };
        out.push_str(&tail[..=open]);
        let mut depth = 1;
        let mut end = open + 1;
        for (k, ch) in tail[open + 1..].char_indices() {
            match ch {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + 1 + k;
                        break;
                    }
                }
                _ => {}
            }
            end = open + 1 + k + ch.len_utf8();
        }
        let params = &tail[open + 1..end];
        let replaced: Vec<String> = split_top_level(params)
            .into_iter()
            .map(|p| if p.trim() == "..." { p.replace("...", PARAM_ELLIPSIS) } else { p.to_string() })
            .collect();
        out.push_str(&replaced.join(","));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut quote: Option<char> = None;
    for (i, ch) in s.char_indices() {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '\'' | '"' => quote = Some(ch),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

pub fn compile_pattern(text: &str) -> Result<Pattern, String> {
    let trimmed = dedent(text);
    if trimmed.trim().is_empty() {
        return Err("empty pattern".to_string());
    }
    let rewritten = rewrite(&crate::rules::semgrep_syntax::rewrite_deep(&trimmed));
    let parsed = parse_module(&rewritten);
    if let Some(e) = parsed.errors.iter().find(|e| !BENIGN_ERRORS.iter().any(|b| e.message.contains(b))) {
        let start = e.span.start as usize;
        let line = rewritten[..start.min(rewritten.len())].matches('\n').count() + 1;
        return Err(format!("pattern is not valid Python: {} (pattern line {line})", e.message));
    }
    if let Some(e) = crate::rules::semgrep_syntax::bad_string_regex(&parsed.module) {
        return Err(e);
    }
    let body = &parsed.module.body;
    let kind = match body.as_slice() {
        [] => return Err("pattern has no code".to_string()),
        [Stmt { kind: StmtKind::Expr(_), .. }] => PatternKind::Expr,
        [_] => PatternKind::Stmt,
        _ => PatternKind::Seq,
    };
    Ok(Pattern { kind, module: parsed.module, text: text.to_string(), parsed: rewritten, constraints: Vec::new(), gate: Vec::new(), literal_values: false })
}

fn dedent(text: &str) -> String {
    let min = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines().map(|l| if l.len() >= min { &l[min..] } else { l.trim_start() }).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A regex whose language is a few identifiers is answered from its word list: the same
    /// answers as the regex, for code and for string literals with their quotes.
    #[test]
    fn exact_word_regexes_answer_as_the_regex() {
        let texts = ["get", "GET", "pUt", "post", "getter", "xget", "'get'", "\"post\"", "b'get'", "f'get'", "get ", "", "'getter'", "r\"get\""];
        for re in [r"^(get|post)$", r"(?i)^(get|put)$", r"(get|post)$", r"^get$|^post$", r"^(request|req)$"] {
            let mv = MvRegex::new(re).expect("valid regex");
            assert!(mv.words.is_some(), "{re}");
            let full = regex::Regex::new(&format!(r"\A(?:{re})")).expect("valid regex");
            for t in texts {
                assert_eq!(mv.matches(t), mv_regex_matches(&full, t), "{re} on {t:?}");
            }
        }
        // Assertions other than the text's start and end: the regex runs.
        assert!(MvRegex::new(r"^(get\b|post)$").expect("valid regex").words.is_none());
    }

    #[test]
    fn compiles_semgrep_forms() {
        for (text, kind) in [
            ("subprocess.call(..., shell=True, ...)", PatternKind::Expr),
            ("$X = \"...\"", PatternKind::Stmt),
            ("def $F(..., $P=\"...\", ...):\n  ...", PatternKind::Stmt),
            ("try:\n    ...\nexcept:\n    pass", PatternKind::Stmt),
            ("$Q = f\"...\"\n...\n$C.execute($Q)", PatternKind::Seq),
            ("jwt.decode(..., options={..., \"verify_signature\": False, ...}, ...)", PatternKind::Expr),
            ("$F($...ARGS)", PatternKind::Expr),
        ] {
            let p = compile_pattern(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.kind, kind, "{text}");
        }
        assert!(compile_pattern("os.system(").is_err());
        assert!(compile_pattern("").is_err());
    }
}
