//! A linear pre-scan that bounds how deep the syntax tree can get, before the (recursive
//! descent) parser runs.
//!
//! In WebAssembly the stack is small and cannot grow, so 5,000 nested brackets would overflow
//! it and kill the page. Like CPython's tokenizer we refuse more than 200 nested brackets, and
//! like CPython's compiler we refuse expressions whose operator chains would nest deeper than a
//! fixed bound. After this check every recursive walk over the tree is bounded.
//!
//! The scan runs on every file before the parser, so it is written for speed, in two tiers:
//!
//! * Expression nesting (the operator chains' total plus the open brackets) can only exceed
//!   its bound on a long logical line: the chains start from zero on each logical line, and
//!   each byte of code adds at most 1 to their total (an operator, an opening bracket, the
//!   first byte of an operator keyword). So while a logical line's bytes of code plus its
//!   open brackets stay within [`FAST_LINE_BUDGET`], it cannot be refused for nesting, and
//!   the fast tier ([`Scanner::code_fast`]) follows only what delimits logical lines:
//!   brackets, strings, comments, line breaks and continuations. It jumps over everything
//!   else.
//! * A longer logical line is scanned again from its start by the exact tier
//!   ([`Scanner::code`]), which counts every operator and operator keyword.
//!
//! Runs of bytes that change nothing (names, indentation, string and comment bodies) are
//! skipped eight at a time with word-sized bit tricks ("SWAR": plain safe `u64` arithmetic, so
//! the same code runs in WebAssembly) or with `memchr`. The test module keeps the first,
//! byte-at-a-time implementation and checks on random input that both agree exactly.

use crate::syntax::ast::Span;

/// CPython's own limit (`MAXLEVEL` in the tokenizer).
pub const MAX_BRACKET_DEPTH: usize = 200;
/// An upper bound on expression nesting (brackets plus operator chains).
pub const MAX_EXPR_NESTING: u32 = 1000;
/// CPython's limit on indentation levels (`MAXINDENT`).
pub const MAX_INDENT_LEVELS: usize = 100;

/// What a logical line may have, for the fast tier, in bytes of code (string and comment
/// bodies not counted) plus open brackets. One less than [`MAX_EXPR_NESTING`]: the check at
/// an opening bracket comes before it opens.
const FAST_LINE_BUDGET: usize = MAX_EXPR_NESTING as usize - 1;

#[derive(Debug, Clone, PartialEq)]
pub struct DepthError {
    pub kind: DepthKind,
    pub message: String,
    pub span: Span,
}

/// What the pre-scan refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepthKind {
    /// More than [`MAX_BRACKET_DEPTH`] open brackets (CPython refuses them too).
    Brackets,
    /// Operator chains and brackets nested past [`MAX_EXPR_NESTING`] in one expression: its
    /// brackets balance, so the statement can be skipped on its own.
    Expression,
    /// More than [`MAX_INDENT_LEVELS`] indentation levels (CPython refuses them too).
    Indentation,
}

/// Returns the first place where the source nests too deeply, if any.
pub fn check_depth(src: &str) -> Option<DepthError> {
    let mut scanner = Scanner {
        bytes: src.as_bytes(),
        stack: Vec::new(),
        brackets: 0,
        chain: 0,
        total: 0,
        lambdas: 0,
        indents: vec![0],
        continued: false,
        line: 0,
        line_limit: FAST_LINE_BUDGET,
    };
    scanner.run().err().map(|e| *e)
}

/// The logical line (a statement, or a compound statement's header) holding byte `pos`: from
/// the start of its first physical line to the end of its last (brackets, strings and
/// backslash continuations followed), without the line break.
pub fn logical_line_at(src: &str, pos: usize) -> Span {
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut start = 0usize;
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < n {
        match bytes[i] {
            b'#' => i = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(n, |k| i + k),
            b'\'' | b'"' => i = skip_string(bytes, i),
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\\' => i += 2,
            b'\n' | b'\r' if depth == 0 => {
                if i >= pos {
                    return Span::new(start as u32, i as u32);
                }
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    Span::new(start.min(n) as u32, n as u32)
}

/// Boxed, so that the scanner's results fit in registers.
type Scan<T> = Result<T, Box<DepthError>>;

#[derive(Clone, Copy)]
enum Frame {
    /// An open bracket (or an f-string replacement field). `outer` is the operator chain of the
    /// enclosing level, given back when the bracket closes; `in_fstring`: it was opened in the
    /// literal part of an f-string, which goes on after it.
    Bracket { outer: u32, in_fstring: bool, outer_lambdas: u32 },
    /// Inside the literal part of an f-/t-string; `outer` as for brackets.
    Interpolated { quote: u8, triple: bool, raw: bool, outer: u32 },
}

/// The scanner's state between bytes.
///
/// Operator chains (exact tier only): every level (the top level, each bracket) counts the
/// operators and operator keywords since its last separator (`,` `;` `:` newline, assignment
/// `=`); `total` is the sum over all open levels, and `total + brackets` may not exceed
/// [`MAX_EXPR_NESTING`]. Only the innermost level's counter is live (`chain`); the enclosing
/// ones wait in the bracket frames. The fast tier leaves them all at zero.
struct Scanner<'a> {
    bytes: &'a [u8],
    stack: Vec<Frame>,
    brackets: u32,
    chain: u32,
    total: u32,
    /// `lambda`s of the innermost level whose `:` has not come yet. A lambda's parameters and
    /// body nest inside it, so until then `,` and `=` do not end its chain, and its `:` does
    /// not either: `lambda: lambda: ...` nests as deep as `not not ...`.
    lambdas: u32,
    /// Widths of the open indentation levels; `indents[0]` is 0.
    indents: Vec<usize>,
    /// The current line was continued with a backslash (it is not a new logical line).
    continued: bool,
    /// Where the current logical line's code starts. There no bracket is open, every chain is
    /// zero and `continued` is false: the exact tier can start again from here.
    line: usize,
    /// The fast tier gives the line up at this index (less the open brackets): `line` plus
    /// the budget plus the string and comment bytes skipped since.
    line_limit: usize,
}

impl Scanner<'_> {
    fn run(&mut self) -> Scan<()> {
        let n = self.bytes.len();
        let mut i = self.line_start(0)?;
        self.new_line(i);
        while i < n {
            if let Some(&Frame::Interpolated { quote, triple, raw, .. }) = self.stack.last() {
                i = self.fstring_literal(i, quote, triple, raw)?;
                continue;
            }
            i = match self.code_fast(i)? {
                Some(next) => next,
                None => {
                    // Too long for the fast tier: scan the logical line again, exactly.
                    self.stack.clear();
                    self.brackets = 0;
                    self.lambdas = 0;
                    self.continued = false;
                    let end = self.exact_line(self.line)?;
                    self.new_line(end);
                    end
                }
            };
        }
        Ok(())
    }

    /// Code at `i` starts a logical line.
    fn new_line(&mut self, i: usize) {
        self.line = i;
        self.line_limit = i + FAST_LINE_BUDGET;
    }

    /// The fast tier: scans code from `i`, following only brackets, strings, comments and line
    /// breaks, until the end, the start of an f-string's literal part, or (`None`) the
    /// current logical line outgrows its budget.
    fn code_fast(&mut self, mut i: usize) -> Scan<Option<usize>> {
        let bytes = self.bytes;
        let n = bytes.len();
        let mut stops = Stops::new(bytes, i);
        loop {
            i = stops.next(bytes, i);
            // The bytes up to `i` (the brackets are the same since the last stop) are within
            // the budget.
            if i + self.brackets as usize >= self.line_limit {
                return Ok(None);
            }
            let Some(&b) = bytes.get(i) else { return Ok(Some(i)) };
            match b {
                b'\n' => {
                    i += 1;
                    if self.brackets == 0 {
                        i = self.line_start(i)?;
                        self.new_line(i);
                    }
                }
                b'(' | b'[' | b'{' => {
                    self.open_bracket(i, false)?;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    i += 1;
                    if let Some(&Frame::Bracket { in_fstring, .. }) = self.stack.last() {
                        self.stack.pop();
                        self.brackets -= 1;
                        if in_fstring {
                            return Ok(Some(i));
                        }
                    }
                }
                b'\'' | b'"' => {
                    // The name right before the quote, if any, may be a string prefix. (Code
                    // always resumes after a byte that cannot be part of a name, so this name
                    // is the one the exact tier would have read.)
                    let mut start = i;
                    while start > 0 && i - start < 3 && is_ident_byte(bytes[start - 1]) {
                        start -= 1;
                    }
                    if let Some((true, raw)) = is_string_prefix(&bytes[start..i]) {
                        return Ok(Some(self.open_fstring(i, raw)));
                    }
                    let end = skip_string(bytes, i);
                    self.line_limit += end - i;
                    i = end;
                }
                b'#' => {
                    // A comment ends at any line break: CPython reads a lone `\r` as one.
                    let end = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(n, |k| i + k);
                    self.line_limit += end - i;
                    i = end;
                }
                b'\\' => i = self.backslash(i)?,
                _ => i += 1,
            }
        }
    }

    /// The exact tier over the logical line starting at `i` (no bracket open, every chain
    /// zero): returns where the next one starts, or the end.
    fn exact_line(&mut self, mut i: usize) -> Scan<usize> {
        let n = self.bytes.len();
        while i < n {
            i = match self.stack.last() {
                Some(&Frame::Interpolated { quote, triple, raw, .. }) => {
                    self.fstring_literal(i, quote, triple, raw)?
                }
                _ => {
                    let next = self.code(i)?;
                    if self.stack.is_empty() {
                        return Ok(next);
                    }
                    next
                }
            };
        }
        Ok(i)
    }

    /// The exact tier: scans code from `i` until the end of the logical line, the end of the
    /// input, or the start of an f-string's literal part.
    fn code(&mut self, mut i: usize) -> Scan<usize> {
        let bytes = self.bytes;
        let n = bytes.len();
        while i < n {
            match CLASS[bytes[i] as usize] {
                C_IDENT => {
                    // A name, keyword, number or string prefix. Its first eight bytes tell
                    // its length and, when it is shorter, its value as a number.
                    let start = i;
                    let x = load8(bytes, i);
                    let stops = !ident_bytes(x) & HI;
                    if stops == 0 {
                        // Eight bytes or more: no keyword, no string prefix.
                        i = ident_end(bytes, i + 8);
                        continue;
                    }
                    let len = stops.trailing_zeros() as usize / 8;
                    i += len;
                    let next = (x >> (8 * len)) as u8;
                    if next == b'\'' || next == b'"' {
                        if let Some((interpolated, raw)) = is_string_prefix(&bytes[start..i]) {
                            if interpolated {
                                return Ok(self.open_fstring(i, raw));
                            }
                            i = skip_string(bytes, i);
                            continue;
                        }
                    }
                    let word = x & ((1 << (8 * len)) - 1);
                    if is_keyword(word) {
                        self.bump(start)?;
                        if word == LAMBDA {
                            self.lambdas += 1;
                        }
                    }
                }
                C_OPERATOR => {
                    self.bump(i)?;
                    i += 1;
                }
                C_SEPARATOR => {
                    match bytes[i] {
                        // A lambda's own `:` (and the `,` between its parameters) go on with
                        // its chain.
                        b':' if self.lambdas > 0 => self.lambdas -= 1,
                        b',' if self.lambdas > 0 => {}
                        _ => {
                            self.reset_chain();
                            self.lambdas = 0;
                        }
                    }
                    i += 1;
                }
                C_OPEN => {
                    self.bump(i)?;
                    self.open_bracket(i, false)?;
                    i += 1;
                }
                C_CLOSE => {
                    i += 1;
                    // In code the innermost frame is a bracket, or there is none (a stray
                    // closing bracket, which the parser reports).
                    if let Some(&Frame::Bracket { outer, in_fstring, outer_lambdas }) = self.stack.last() {
                        self.stack.pop();
                        self.total -= self.chain;
                        self.chain = outer;
                        self.lambdas = outer_lambdas;
                        self.brackets -= 1;
                        if in_fstring {
                            return Ok(i);
                        }
                    }
                }
                C_NEWLINE => {
                    i += 1;
                    if self.brackets == 0 {
                        self.reset_chain();
                        self.lambdas = 0;
                        return self.line_start(i);
                    }
                    i = skip_spaces(bytes, i);
                }
                C_EQUALS => {
                    // An assignment (not `==`, `<=`, `>=`, `!=`) ends the chain.
                    let prev = if i > 0 { bytes[i - 1] } else { b' ' };
                    let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                    // A lambda's parameter default (`lambda a=...:`) goes on with its chain.
                    if next != b'=' && !matches!(prev, b'=' | b'<' | b'>' | b'!') && self.lambdas == 0 {
                        self.reset_chain();
                    }
                    i += 1;
                }
                C_QUOTE => i = skip_string(bytes, i),
                C_HASH => i = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(n, |k| i + k),
                C_BACKSLASH => i = self.backslash(i)?,
                // Spaces, and bytes that change nothing.
                _ => i = skip_spaces(bytes, i + 1),
            }
        }
        Ok(i)
    }

    /// A backslash in code at `i`: a line continuation (LF or CRLF) or a stray one.
    fn backslash(&mut self, i: usize) -> Scan<usize> {
        let bytes = self.bytes;
        let after = if bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else if bytes.get(i + 1..i + 3) == Some(b"\r\n") {
            i + 3
        } else {
            return Ok(i + 1);
        };
        self.continued = true;
        if self.brackets == 0 {
            // Not a new logical line: `continued` keeps the indentation as it is.
            return self.line_start(after);
        }
        Ok(after)
    }

    /// Scans the literal part of an f-string from `i` until a replacement field opens, the
    /// string ends, or the input ends.
    fn fstring_literal(&mut self, mut i: usize, quote: u8, triple: bool, raw: bool) -> Scan<usize> {
        let bytes = self.bytes;
        loop {
            // Only these bytes matter; the rest is skipped eight at a time.
            i = find_byte4(bytes, i, [b'\\', b'{', quote, b'\n']);
            let Some(&b) = bytes.get(i) else { return Ok(i) };
            match b {
                // An escape, except in raw strings.
                b'\\' => i += if raw { 1 } else { 2 },
                b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'{' => {
                    self.open_bracket(i, true)?;
                    return Ok(i + 1);
                }
                b'\n' if !triple => {
                    // Unterminated single-quoted f-string: leave it.
                    self.close_fstring();
                    return Ok(i + 1);
                }
                b'\n' => i += 1,
                _ if !triple => {
                    self.close_fstring();
                    return Ok(i + 1);
                }
                _ if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) => {
                    self.close_fstring();
                    return Ok(i + 3);
                }
                _ => i += 1,
            }
        }
    }

    /// Measures the indentation of the line starting at `i` and returns where its content
    /// starts; a new logical line that is neither blank nor a comment opens or closes levels.
    #[inline(always)]
    fn line_start(&mut self, i: usize) -> Scan<usize> {
        let bytes = self.bytes;
        // Spaces eight at a time (the first byte that is not a space stops `trailing_zeros`),
        // then tabs and form feeds, which are rare, one by one.
        let mut j = skip_spaces(bytes, i);
        let mut width = j - i;
        while let Some(&x @ (b'\t' | b'\x0c' | b' ')) = bytes.get(j) {
            width += if x == b'\t' { 8 - width % 8 } else { 1 };
            j += 1;
        }
        let continued = std::mem::take(&mut self.continued);
        // Most lines keep the indentation of the line before.
        if self.indents.last() == Some(&width) || continued {
            return Ok(j);
        }
        if matches!(bytes.get(j), None | Some(b'\n' | b'\r' | b'#')) {
            // A blank or comment line.
            return Ok(j);
        }
        while self.indents.len() > 1 && self.indents.last().is_some_and(|&w| w > width) {
            self.indents.pop();
        }
        if self.indents.last().is_some_and(|&w| w < width) {
            self.indents.push(width);
            if self.indents.len() > MAX_INDENT_LEVELS + 1 {
                return Err(too_much_indentation(i, j));
            }
        }
        Ok(j)
    }

    /// One more operator in the innermost chain.
    #[inline(always)]
    fn bump(&mut self, at: usize) -> Scan<()> {
        self.chain += 1;
        self.total += 1;
        if self.total + self.brackets > MAX_EXPR_NESTING {
            return Err(too_deeply_nested(at));
        }
        Ok(())
    }

    #[inline(always)]
    fn reset_chain(&mut self) {
        self.total -= self.chain;
        self.chain = 0;
    }

    /// A bracket (or replacement field) at `at` opens a new level.
    #[inline(always)]
    fn open_bracket(&mut self, at: usize, in_fstring: bool) -> Scan<()> {
        self.brackets += 1;
        if self.brackets as usize > MAX_BRACKET_DEPTH {
            return Err(too_many_brackets(at));
        }
        self.stack.push(Frame::Bracket { outer: self.chain, in_fstring, outer_lambdas: self.lambdas });
        self.chain = 0;
        self.lambdas = 0;
        Ok(())
    }

    /// An f-string whose (first) quote is at `i`: returns where its literal part starts.
    fn open_fstring(&mut self, i: usize, raw: bool) -> usize {
        let bytes = self.bytes;
        let quote = bytes[i];
        let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
        self.stack.push(Frame::Interpolated { quote, triple, raw, outer: self.chain });
        if triple {
            i + 3
        } else {
            i + 1
        }
    }

    fn close_fstring(&mut self) {
        if let Some(Frame::Interpolated { outer, .. }) = self.stack.pop() {
            self.chain = outer;
        }
    }
}

#[cold]
fn too_many_brackets(at: usize) -> Box<DepthError> {
    Box::new(DepthError {
        kind: DepthKind::Brackets,
        message: format!(
            "too many nested parentheses (more than {MAX_BRACKET_DEPTH}); pyward, like CPython, refuses them"
        ),
        span: Span::new(at as u32, at as u32 + 1),
    })
}

#[cold]
fn too_deeply_nested(at: usize) -> Box<DepthError> {
    Box::new(DepthError {
        kind: DepthKind::Expression,
        message: format!(
            "expression is too deeply nested (more than {MAX_EXPR_NESTING} levels); \
             pyward, like CPython, refuses it"
        ),
        span: Span::new(at as u32, at as u32 + 1),
    })
}

#[cold]
fn too_much_indentation(start: usize, end: usize) -> Box<DepthError> {
    Box::new(DepthError {
        kind: DepthKind::Indentation,
        message: format!("too many levels of indentation (more than {MAX_INDENT_LEVELS})"),
        span: Span::new(start as u32, end as u32),
    })
}

/// Returns (interpolated, raw) when `word` is a string prefix.
fn is_string_prefix(word: &[u8]) -> Option<(bool, bool)> {
    let lower = |k: usize| word.get(k).map(u8::to_ascii_lowercase);
    match (word.len(), lower(0), lower(1)) {
        (0, _, _) => Some((false, false)),
        (1, Some(b'b' | b'u'), _) => Some((false, false)),
        (1, Some(b'r'), _) => Some((false, true)),
        (1, Some(b'f' | b't'), _) => Some((true, false)),
        (2, Some(b'r'), Some(b'b')) | (2, Some(b'b'), Some(b'r')) => Some((false, true)),
        (2, Some(b'r'), Some(b'f' | b't')) | (2, Some(b'f' | b't'), Some(b'r')) => Some((true, true)),
        _ => None,
    }
}

// Byte classes of the scanner outside f-string literals.
const C_SKIP: u8 = 0;
const C_IDENT: u8 = 1;
const C_NEWLINE: u8 = 2;
const C_BACKSLASH: u8 = 3;
const C_HASH: u8 = 4;
const C_QUOTE: u8 = 5;
const C_OPEN: u8 = 6;
const C_CLOSE: u8 = 7;
const C_SEPARATOR: u8 = 8;
const C_EQUALS: u8 = 9;
const C_OPERATOR: u8 = 10;

const fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

const fn byte_classes() -> [u8; 256] {
    let mut t = [C_SKIP; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if is_ident_byte(b) {
            C_IDENT
        } else {
            match b {
                b'\n' => C_NEWLINE,
                b'\\' => C_BACKSLASH,
                b'#' => C_HASH,
                b'\'' | b'"' => C_QUOTE,
                b'(' | b'[' | b'{' => C_OPEN,
                b')' | b']' | b'}' => C_CLOSE,
                b',' | b';' | b':' => C_SEPARATOR,
                b'=' => C_EQUALS,
                b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'~' | b'.' => C_OPERATOR,
                _ => C_SKIP,
            }
        };
        i += 1;
    }
    t
}

static CLASS: [u8; 256] = byte_classes();

// The operator keywords, each read as a little-endian number (its bytes, zero-padded), found
// with a multiplicative hash into a 16-slot table: one multiply, one load, one compare.
// `and` and `or` are not among them: a chain of them is one flat node (`BoolOp`) in the
// parser's tree and in pyward's, however long; CPython accepts thousands.
const KEYWORDS: [&[u8]; 5] = [b"not", b"lambda", b"await", b"if", b"else"];
const KEYWORD_HASH: u64 = 0x0585_a01c_4c7d_6df1;
/// `lambda` as such a number.
const LAMBDA: u64 = u64::from_le_bytes(*b"lambda\0\0");

const fn keyword_slot(word: u64) -> usize {
    (word.wrapping_mul(KEYWORD_HASH) >> 60) as usize
}

const fn keyword_table() -> [u64; 16] {
    let mut table = [0u64; 16];
    let mut k = 0;
    while k < KEYWORDS.len() {
        let word = KEYWORDS[k];
        let mut value = 0u64;
        let mut j = 0;
        while j < word.len() {
            value |= (word[j] as u64) << (8 * j);
            j += 1;
        }
        let slot = keyword_slot(value);
        // A compile-time check that the hash is perfect for these keywords.
        assert!(table[slot] == 0, "keyword hash collision: pick another KEYWORD_HASH");
        table[slot] = value;
        k += 1;
    }
    table
}

static KEYWORD_TABLE: [u64; 16] = keyword_table();

/// Whether `word` (a name's bytes as a zero-padded little-endian number, a name of eight or
/// more bytes is never passed) is an operator keyword. Empty slots hold 0, which no name is.
#[inline(always)]
fn is_keyword(word: u64) -> bool {
    KEYWORD_TABLE[keyword_slot(word)] == word
}

// SWAR: eight bytes in a u64, little-endian, so byte k of the input is bits 8k..8k+8 and
// `trailing_zeros() / 8` of a mask is the index of its first marked byte.
const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

const fn splat(b: u8) -> u64 {
    LO * b as u64
}

/// The eight bytes at `i`, zero-padded past the end (a zero byte is not a name byte and not
/// one that any search looks for, so the padding stops every scan).
#[inline(always)]
fn load8(bytes: &[u8], i: usize) -> u64 {
    if let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        return u64::from_le_bytes(*chunk);
    }
    let mut chunk = [0u8; 8];
    if let Some(rest) = bytes.get(i..) {
        chunk[..rest.len()].copy_from_slice(rest);
    }
    u64::from_le_bytes(chunk)
}

/// The high bit of every zero byte of `x`. Borrows can also mark bytes above a zero byte, so
/// only the lowest marked byte is exact: use it with `trailing_zeros` only.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// The high bit of every byte of `x` that may be part of a name ([`is_ident_byte`]):
/// ASCII letters, digits, `_` and every non-ASCII byte. Exact for all eight bytes.
#[inline(always)]
fn ident_bytes(x: u64) -> u64 {
    let low = x & !HI;
    // For a 7-bit byte y, y + (0x80 - k) sets the byte's high bit exactly when y >= k, and
    // cannot carry into the next byte.
    let at_least = |y: u64, k: u8| y.wrapping_add(splat(0x80 - k));
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    // Setting bit 5 maps 'A'..='Z' onto 'a'..='z' (and nothing else onto them).
    let folded = low | splat(0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    // (y ^ '_') + 0x7f sets the high bit exactly when y != '_'.
    let underscore = !(low ^ splat(b'_')).wrapping_add(splat(0x7f));
    (digit | letter | underscore | x) & HI
}

/// The first index at or after `i` that does not hold a space (or the end).
#[inline(always)]
fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    loop {
        let not_space = load8(bytes, i) ^ splat(b' ');
        if not_space != 0 {
            return (i + not_space.trailing_zeros() as usize / 8).min(bytes.len());
        }
        i += 8;
    }
}

/// The end of the name whose bytes go on at least up to `i`.
fn ident_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        let stops = !ident_bytes(load8(bytes, i)) & HI;
        if stops != 0 {
            return i + stops.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
}

/// Bytes per mask of [`Stops`]: fewer are wasted when the scan jumps ahead (past strings,
/// comments and indentation), more make fewer masks. 32 measured best.
const BLOCK: usize = 32;

/// Finds the bytes where the fast tier must stop: line breaks, brackets, quotes, `#` and
/// backslashes, and a few that it just steps over (`$ % & * |`, tabs and other control
/// characters, and non-ASCII bytes whose low seven bits are one of those).
///
/// It marks them `BLOCK` bytes at a time in a bit mask, which then serves every stop in those
/// bytes: most are close together (`f(x)\n`).
struct Stops {
    /// Bit k: the byte at `base + k` is a stop.
    base: usize,
    mask: u64,
}

impl Stops {
    fn new(bytes: &[u8], i: usize) -> Self {
        Stops { base: i, mask: Self::block(bytes, i) }
    }

    /// The first stop at or after `i` (never before the last one returned), or the end.
    #[inline(always)]
    fn next(&mut self, bytes: &[u8], i: usize) -> usize {
        let offset = i.wrapping_sub(self.base);
        if offset < BLOCK {
            let rest = self.mask >> offset;
            if rest != 0 {
                return i + rest.trailing_zeros() as usize;
            }
            // No stop from `i` to the end of these bytes.
            self.base += BLOCK;
        } else {
            self.base = i;
        }
        while self.base < bytes.len() {
            self.mask = Self::block(bytes, self.base);
            if self.mask != 0 {
                return self.base + self.mask.trailing_zeros() as usize;
            }
            self.base += BLOCK;
        }
        bytes.len()
    }

    /// The stops among the `BLOCK` bytes at `base` (none past the end).
    #[inline(always)]
    fn block(bytes: &[u8], base: usize) -> u64 {
        if let Some(block) = bytes.get(base..).and_then(<[u8]>::first_chunk::<BLOCK>) {
            return Self::block_mask(block);
        }
        // The end of the input: zeros are not stops.
        let mut block = [0; BLOCK];
        if let Some(rest) = bytes.get(base..) {
            block[..rest.len()].copy_from_slice(rest);
        }
        Self::block_mask(&block)
    }

    #[inline(always)]
    fn block_mask(block: &[u8; BLOCK]) -> u64 {
        let mut mask = 0;
        for (k, eight) in block.as_chunks::<8>().0.iter().enumerate() {
            // The marks are the bytes' high bits: gather them into eight bits (bit j of the
            // product's top byte is bit 8j of the multiplicand).
            let marks = Self::mark(u64::from_le_bytes(*eight)) >> 7;
            mask |= (marks.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
        }
        mask
    }

    /// Marks (the high bit of) the bytes whose low seven bits, with bit 5 set, are in
    /// '"'..='*' (so "\n" too, and a few rare ones) or in '{'..='}' (so '['..=']' too).
    /// The range tests are those of `ident_bytes`.
    #[inline(always)]
    fn mark(x: u64) -> u64 {
        let in_range = |y: u64, first: u8, last: u8| {
            y.wrapping_add(splat(0x80 - first)) & !y.wrapping_add(splat(0x80 - last - 1))
        };
        let folded = x & !HI | splat(0x20);
        (in_range(folded, b'"', b'*') | in_range(folded, b'{', b'}')) & HI
    }
}

/// The first index at or after `i` holding one of `needles` (none of them 0), or an index at
/// or past the end.
#[inline]
fn find_byte4(bytes: &[u8], mut i: usize, needles: [u8; 4]) -> usize {
    while i < bytes.len() {
        let x = load8(bytes, i);
        let found = zero_bytes(x ^ splat(needles[0]))
            | zero_bytes(x ^ splat(needles[1]))
            | zero_bytes(x ^ splat(needles[2]))
            | zero_bytes(x ^ splat(needles[3]));
        if found != 0 {
            return i + found.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i
}

/// Skips a plain string literal starting at the quote at `i`; returns the index after it.
fn skip_string(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    let mut j = if triple { i + 3 } else { i + 1 };
    // A single-quoted string also ends (unterminated) at a line break.
    let end_of_line = if triple { quote } else { b'\n' };
    // Most strings are short: eight bytes at a time over the first 32, then a vector search.
    let mut short = 4;
    loop {
        if short > 0 {
            short -= 1;
            let x = load8(bytes, j);
            let found = zero_bytes(x ^ splat(quote))
                | zero_bytes(x ^ splat(b'\\'))
                | zero_bytes(x ^ splat(end_of_line));
            if found == 0 {
                j += 8;
                if j >= bytes.len() {
                    return bytes.len();
                }
                continue;
            }
            j += found.trailing_zeros() as usize / 8;
        } else {
            let Some(rest) = bytes.get(j..) else { return bytes.len() };
            let found = if triple {
                memchr::memchr2(quote, b'\\', rest)
            } else {
                memchr::memchr3(quote, b'\\', b'\n', rest)
            };
            let Some(k) = found else { return bytes.len() };
            j += k;
        }
        let Some(&b) = bytes.get(j) else { return bytes.len() };
        if b == b'\\' {
            // Even in raw strings a backslash keeps the next quote inside the literal.
            j += 2;
            continue;
        }
        if b == quote {
            if !triple {
                return j + 1;
            }
            if bytes.get(j + 1) == Some(&quote) && bytes.get(j + 2) == Some(&quote) {
                return j + 3;
            }
            j += 1;
            continue;
        }
        // An unterminated single-quoted string ends at the line break.
        return j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, byte-at-a-time implementation: the fast one must agree with it.
    mod reference {
        use super::super::*;

        enum Frame {
            Bracket { chain: u32, lambdas: u32 },
            Interpolated { quote: u8, triple: bool, raw: bool },
        }

        fn ref_is_ident_byte(b: u8) -> bool {
            b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
        }

        fn ref_is_string_prefix(word: &[u8]) -> Option<(bool, bool)> {
            // Returns (interpolated, raw).
            if word.len() > 2 {
                return None;
            }
            let lower: Vec<u8> = word.iter().map(|b| b.to_ascii_lowercase()).collect();
            match lower.as_slice() {
                b"" | b"b" | b"u" => Some((false, false)),
                b"r" | b"rb" | b"br" => Some((false, true)),
                b"f" | b"t" => Some((true, false)),
                b"rf" | b"fr" | b"rt" | b"tr" => Some((true, true)),
                _ => None,
            }
        }

        /// Returns the first place where the source nests too deeply, if any.
        pub fn check_depth_reference(src: &str) -> Option<DepthError> {
            let bytes = src.as_bytes();
            let mut stack: Vec<Frame> = Vec::new();
            let mut brackets = 0usize;
            // Chain counter of the outermost level and the running total of all chain counters.
            let mut top_chain = 0u32;
            let mut top_lambdas = 0u32;
            let mut total = 0u32;
            let mut indents: Vec<usize> = vec![0];
            let mut at_line_start = true;
            let mut continued = false;
            let mut i = 0usize;

            macro_rules! bump {
                ($at:expr) => {{
                    match stack.last_mut() {
                        Some(Frame::Bracket { chain, .. }) => *chain += 1,
                        _ => top_chain += 1,
                    }
                    total += 1;
                    if total + brackets as u32 > MAX_EXPR_NESTING {
                        return Some(DepthError {
                            kind: DepthKind::Expression,
                            message: format!(
                                "expression is too deeply nested (more than {MAX_EXPR_NESTING} levels); \
                                 pyward, like CPython, refuses it"
                            ),
                            span: Span::new($at as u32, $at as u32 + 1),
                        });
                    }
                }};
            }
            macro_rules! lambdas {
                () => {
                    match stack.last_mut() {
                        Some(Frame::Bracket { lambdas, .. }) => lambdas,
                        _ => &mut top_lambdas,
                    }
                };
            }
            macro_rules! reset_chain {
                () => {{
                    match stack.last_mut() {
                        Some(Frame::Bracket { chain, .. }) => {
                            total -= *chain;
                            *chain = 0;
                        }
                        _ => {
                            total -= top_chain;
                            top_chain = 0;
                        }
                    }
                }};
            }

            while i < bytes.len() {
                // Literal part of an f-string.
                if let Some(Frame::Interpolated { quote, triple, raw }) = stack.last() {
                    let (quote, triple, raw) = (*quote, *triple, *raw);
                    let b = bytes[i];
                    if b == b'\\' && !raw {
                        i += 2;
                        continue;
                    }
                    if b == b'{' {
                        if bytes.get(i + 1) == Some(&b'{') {
                            i += 2;
                            continue;
                        }
                        brackets += 1;
                        if brackets > MAX_BRACKET_DEPTH {
                            return Some(ref_too_many_brackets(i));
                        }
                        stack.push(Frame::Bracket { chain: 0, lambdas: 0 });
                        i += 1;
                        continue;
                    }
                    if b == quote {
                        if !triple {
                            stack.pop();
                            i += 1;
                            continue;
                        }
                        if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                            stack.pop();
                            i += 3;
                            continue;
                        }
                    }
                    if b == b'\n' && !triple {
                        // Unterminated single-quoted f-string: leave it.
                        stack.pop();
                    }
                    i += 1;
                    continue;
                }

                let b = bytes[i];
                if at_line_start && brackets == 0 {
                    // Measure indentation of a logical line.
                    let mut j = i;
                    let mut width = 0usize;
                    while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\x0c') {
                        width += if bytes[j] == b'\t' { 8 - width % 8 } else { 1 };
                        j += 1;
                    }
                    let blank = j >= bytes.len() || matches!(bytes[j], b'\n' | b'\r' | b'#');
                    if !blank && !continued {
                        while indents.len() > 1 && *indents.last().unwrap_or(&0) > width {
                            indents.pop();
                        }
                        if *indents.last().unwrap_or(&0) < width {
                            indents.push(width);
                            if indents.len() > MAX_INDENT_LEVELS + 1 {
                                return Some(DepthError {
                                    kind: DepthKind::Indentation,
                                    message: format!(
                                        "too many levels of indentation (more than {MAX_INDENT_LEVELS})"
                                    ),
                                    span: Span::new(i as u32, j as u32),
                                });
                            }
                        }
                    }
                    at_line_start = false;
                    continued = false;
                    i = j;
                    continue;
                }
                match b {
                    b'\n' => {
                        if brackets == 0 {
                            reset_chain!();
                            top_lambdas = 0;
                            at_line_start = true;
                        }
                        i += 1;
                    }
                    b'\\' => {
                        // Line continuation.
                        if bytes.get(i + 1) == Some(&b'\n')
                            || (bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n'))
                        {
                            continued = true;
                            i += if bytes.get(i + 1) == Some(&b'\n') { 2 } else { 3 };
                            if brackets == 0 {
                                at_line_start = true;
                            }
                        } else {
                            i += 1;
                        }
                    }
                    b'#' => {
                        while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                            i += 1;
                        }
                    }
                    b'\'' | b'"' => {
                        i = ref_skip_string(bytes, i);
                    }
                    b'(' | b'[' | b'{' => {
                        bump!(i);
                        brackets += 1;
                        if brackets > MAX_BRACKET_DEPTH {
                            return Some(ref_too_many_brackets(i));
                        }
                        stack.push(Frame::Bracket { chain: 0, lambdas: 0 });
                        i += 1;
                    }
                    b')' | b']' | b'}' => {
                        if let Some(Frame::Bracket { chain, .. }) = stack.last() {
                            total -= *chain;
                            stack.pop();
                            brackets -= 1;
                        }
                        i += 1;
                    }
                    b',' | b';' | b':' => {
                        let l = lambdas!();
                        let in_lambda = *l > 0 && b != b';';
                        if in_lambda {
                            if b == b':' {
                                *l -= 1;
                            }
                        } else {
                            *l = 0;
                            reset_chain!();
                        }
                        i += 1;
                    }
                    b'=' => {
                        let prev = if i > 0 { bytes[i - 1] } else { b' ' };
                        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                        if next != b'=' && !matches!(prev, b'=' | b'<' | b'>' | b'!') && *lambdas!() == 0 {
                            reset_chain!();
                        }
                        i += 1;
                    }
                    b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'~' | b'.' => {
                        bump!(i);
                        i += 1;
                    }
                    _ if ref_is_ident_byte(b) => {
                        let start = i;
                        while i < bytes.len() && ref_is_ident_byte(bytes[i]) {
                            i += 1;
                        }
                        let word = &bytes[start..i];
                        if i < bytes.len() && (bytes[i] == b'\'' || bytes[i] == b'"') {
                            if let Some((interp, raw)) = ref_is_string_prefix(word) {
                                if interp {
                                    i = ref_open_interpolated(bytes, i, raw, &mut stack);
                                } else {
                                    i = ref_skip_string(bytes, i);
                                }
                                continue;
                            }
                        }
                        if matches!(word, b"not" | b"lambda" | b"await" | b"if" | b"else") {
                            bump!(start);
                            if word == b"lambda" {
                                *lambdas!() += 1;
                            }
                        }
                    }
                    _ => i += 1,
                }
            }
            None
        }

        fn ref_too_many_brackets(at: usize) -> DepthError {
            DepthError {
                kind: DepthKind::Brackets,
                message: format!(
                    "too many nested parentheses (more than {MAX_BRACKET_DEPTH}); pyward, like CPython, refuses them"
                ),
                span: Span::new(at as u32, at as u32 + 1),
            }
        }

        fn ref_open_interpolated(bytes: &[u8], i: usize, raw: bool, stack: &mut Vec<Frame>) -> usize {
            let quote = bytes[i];
            let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
            stack.push(Frame::Interpolated { quote, triple, raw });
            if triple {
                i + 3
            } else {
                i + 1
            }
        }

        /// Skips a plain string literal starting at the quote at `i`; returns the index after it.
        fn ref_skip_string(bytes: &[u8], i: usize) -> usize {
            let quote = bytes[i];
            let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
            let mut j = if triple { i + 3 } else { i + 1 };
            while j < bytes.len() {
                let b = bytes[j];
                if b == b'\\' {
                    // Even in raw strings a backslash keeps the next quote inside the literal.
                    j += 2;
                    continue;
                }
                if b == quote {
                    if !triple {
                        return j + 1;
                    }
                    if bytes.get(j + 1) == Some(&quote) && bytes.get(j + 2) == Some(&quote) {
                        return j + 3;
                    }
                }
                if b == b'\n' && !triple {
                    return j;
                }
                j += 1;
            }
            bytes.len()
        }


    }

    #[test]
    fn agrees_with_the_reference_scanner() {
        // Random Python-ish text, heavy in the bytes the scanner cares about.
        const ALPHABET: &[&str] = &[
            "(", ")", "[", "]", "{", "}", "{{", "}}", "'", "\"", "\"\"\"", "'''", "f'", "rf\"", "b'", "t\"", "\\",
            "\\\n", "\n", "\r\n", "    ", "\t", " ", "#", "=", "==", "<=", "!=", ",", ":", ";", ".", "+", "-", "*",
            "not ", "lambda ", "and ", "or ", "if ", "else ", "await ", "x", "abc", "é", "1", "\x0c",
        ];
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        for round in 0..20_000 {
            let len = (next() % 400) as usize;
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
            }
            if round % 7 == 0 {
                s = s.repeat(30);
            }
            assert_eq!(check_depth(&s), reference::check_depth_reference(&s), "{s:?}");
        }
    }

    /// `check_depth` and the reference on `src`, and on `src` followed by probes whose verdict
    /// depends on the scanner's state where `src` ends: open brackets, the operator chains,
    /// the indentation levels.
    fn assert_agrees(src: &str) {
        let mut cases = vec![src.to_string()];
        for k in [195, 199, 200, 201] {
            cases.push(format!("{src}{}x{}", "(".repeat(k), ")".repeat(k)));
        }
        for k in [990, 998, 999, 1000, 1001] {
            cases.push(format!("{src} {}", "+a".repeat(k)));
            cases.push(format!("{src} {}", "not ".repeat(k)));
        }
        let mut deep = src.to_string();
        for d in 0..101 {
            deep.push('\n');
            deep.push_str(&" ".repeat(d));
            deep.push_str("if x:");
        }
        cases.push(deep);
        for case in cases {
            assert_eq!(check_depth(&case), reference::check_depth_reference(&case), "{case:?}");
        }
    }

    #[test]
    fn fast_paths_agree_on_edge_cases() {
        let snippets = [
            // Brackets in strings and comments.
            "x = '((('\ny = \"]]]\"\n",
            "x = '''\n(((\n''' + \"\"\"[[[\n\"\"\"\n",
            "x = 1  # (((\ny = [  # ]]]\n  2]\n",
            "# {{{\n    # ((\nx = (1,\n# ))\n 2)\n",
            "x = 'a\\'(' + \"b\\\"[\" + '\\\\' + ')'\n",
            "x = r'\\'(' + rb\"\\\"[\" + Rb'' + bR'(' + u'[' + B\"{\"\n",
            // Unterminated strings end at the line break (or the end).
            "x = '(((\ny = (\n",
            "x = \"[[[",
            "x = '''(((",
            // f- and t-strings: nested fields, doubled braces, nested strings, format specs.
            "x = f\"{a[{'k': f'{b}'}['k']]}\"\n",
            "x = f'{{(((' + f'}}]]' + f'{x!r:>{width}}'\n",
            "x = rf'{a}\\{b}' + fr\"\\{(c)}\" + t'{d}' + Tr'{(e)}'\n",
            "x = f'''{\n  a +\n  b\n}''' + F\"{'(' if x else ')'}\"\n",
            "x = f'{a'\ny = (\n",
            "x = f\"{f'{f\"{1}\"}'}\" + f'{{}}'\n",
            "x = f'{(a,\n b)}'\n",
            // Names that end like string prefixes, and keywords right before a quote.
            "x = elf'a' + xf'(' + ab'[' + rbx'{' + not'x' + if'y' else'z'\n",
            "x = é'(' + éf'[' + _f'{'\n",
            "x = xrf'{((' + abfr'{[[' + _rb'{' + 1f'{'\n",
            // Line continuations, inside and outside brackets, LF and CRLF.
            "x = 1 + \\\n    2\nif x:\n    y = \\\n3\n",
            "x = (1 + \\\n 2)\n  y = 3\n",
            "x = 1 + \\\r\n    2\r\nif x:\r\n    y = (\r\n 3)\r\n",
            "if x:\r\n\ty = 1\r\n\tif y:\r\n\t    z = [\r\n1]\r\n",
            "x = 1 \\ 2\n\\",
            // Indentation: tabs, form feeds, blank and comment lines.
            "if x:\n\tif y:\n\t\tz\n        w\n\x0c    v\n  \n   # c\n",
            // Stray closing brackets.
            ")]}\nx = (1))\n",
        ];
        for snippet in snippets {
            assert_agrees(snippet);
            // Shifted against the fast tier's 32-byte blocks, and in or after a long logical
            // line (past the fast tier's budget, so the exact tier scans it again).
            for pad in 1..40 {
                assert_agrees(&format!("{}{snippet}", " ".repeat(pad)));
            }
            assert_agrees(&format!("x = [\n{}]\n{snippet}", "a, ".repeat(400)));
            assert_agrees(&format!("x = [{}\n{snippet}", "a, ".repeat(400)));
        }
    }

    #[test]
    fn long_logical_lines_agree_near_the_limits() {
        // Chains near the nesting limit, spread over long logical lines with strings, comments
        // (which the fast tier's budget does not count), brackets, keywords and continuations.
        let pieces = [
            "+a", "'(('", "# ))\n", "(", ")", "not ", " if b else ", "\\\n", "\n", ", ", "f'{a}'", "\"\"\"[\n\"\"\"",
        ];
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..300 {
            let mut s = String::from("x = (");
            let len = 200 + next() % 1500;
            for _ in 0..len {
                // Mostly operators, so that the chains get long.
                let k = next() as usize % (pieces.len() * 3);
                s.push_str(pieces.get(k).copied().unwrap_or("+a"));
            }
            assert_agrees(&s);
            assert_agrees(&s.replace('(', " "));
        }
        // Around the fast tier's budget: 999 bytes of code plus open brackets.
        for extra in 0..4 {
            assert_agrees(&format!("x = {}a\n", "+".repeat(993 + extra)));
            assert_agrees(&format!("x = ({}a\n", "+(a)".repeat(330 + extra)));
            assert_agrees(&format!("x = {}a\n", "+'(((('".repeat(990 + extra)));
            assert_agrees(&format!("{}(a)", "+".repeat(997 + extra)));
            for open in [1, 100, 199, 200] {
                // Each open bracket counts twice: an operator and a level.
                let chain = 1000 - 2 * open + extra - 2;
                assert_agrees(&format!("{}{}a", "(".repeat(open), "+".repeat(chain)));
                assert_agrees(&format!("{}{}a", "(".repeat(open), "+'[['".repeat(chain)));
            }
        }
    }

    #[test]
    fn accepts_ordinary_code() {
        assert_eq!(check_depth("x = [(1, 2), {'a': f\"{b['c']}\"}]\n"), None);
        let sum = (0..500).map(|i| format!("a{i}")).collect::<Vec<_>>().join(" + ");
        assert_eq!(check_depth(&format!("x = {sum}\n")), None);
        let data = (0..5000).map(|i| format!("{i}.5 * 2")).collect::<Vec<_>>().join(", ");
        assert_eq!(check_depth(&format!("x = [{data}]\n")), None);
        assert_eq!(check_depth(&format!("{}1{}", "(".repeat(200), ")".repeat(200))), None);
    }

    #[test]
    fn refuses_deep_brackets_and_chains() {
        let deep = format!("{}1{}", "(".repeat(201), ")".repeat(201));
        let e = check_depth(&deep).expect("too deep");
        assert!(e.message.contains("too many nested parentheses"), "{}", e.message);
        assert_eq!(e.span.start, 200);
        let chain = vec!["a"; 2000].join(" + ");
        assert!(check_depth(&chain).is_some());
        let nots = format!("{}x", "not ".repeat(2000));
        assert!(check_depth(&nots).is_some());
        // Brackets inside strings and comments do not count.
        let s = format!("x = '{}'  # {}\n", "(".repeat(500), "[".repeat(500));
        assert_eq!(check_depth(&s), None);
    }

    /// A comment ends at a lone `\r` too: in a file with old-Mac line endings the brackets
    /// after the first comment used to go unseen.
    #[test]
    fn comments_end_at_any_line_break() {
        let deep = format!("# c\rx = {}1{}\r", "(".repeat(300), ")".repeat(300));
        assert!(check_depth(&deep).is_some_and(|e| e.message.contains("too many nested parentheses")));
    }

    /// `and`/`or` chains are flat: 20,000 terms pass the scan, parse and are analysed.
    #[test]
    fn boolean_chains_are_flat() {
        for op in [" and ", " or "] {
            let chain = vec!["a"; 20_000].join(op);
            let src = format!("x = {chain}\nimport os\n");
            assert_eq!(check_depth(&src), None);
            let p = crate::syntax::parse::parse_module(&src);
            assert!(p.errors.is_empty());
            assert_eq!(p.module.body.len(), 2);
        }
    }

    /// A lambda's body nests inside it: its `:` (and the `,` and `=` of its parameters) do not
    /// end the chain. 1,300 nested lambdas used to pass the scan and lose the code after them;
    /// 20,000 overflowed the stack.
    #[test]
    fn nested_lambdas_count() {
        for form in ["lambda: ", "lambda a=", "lambda a, b=", "lambda *a, b=1: "] {
            let deep = format!("f = {}0\nimport os\n", form.repeat(20_000));
            let e = check_depth(&deep).unwrap_or_else(|| panic!("{form:?} x 20,000 must be refused"));
            assert!(e.message.contains("too deeply nested"), "{}", e.message);
        }
        // Ordinary lambdas, dicts and slices after a lambda are fine.
        assert_eq!(check_depth("f = lambda a, b=1: {a: b[1:2]}\ng = [lambda: 0, lambda x=1: x]\n"), None);
        let many = vec!["lambda x: x"; 2000].join(", ");
        assert_eq!(check_depth(&format!("fs = [{many}]\n")), None);
        // Each statement starts afresh.
        let lines = "f = lambda: lambda: 0\n".repeat(2000);
        assert_eq!(check_depth(&lines), None);
    }

    #[test]
    fn nested_fstrings_count() {
        let mut s = String::from("x");
        for _ in 0..300 {
            s = format!("f\"{{{s}}}\"");
        }
        assert!(check_depth(&s).is_some());
    }

    #[test]
    fn refuses_deep_indentation() {
        let mut s = String::new();
        for d in 0..150 {
            s.push_str(&" ".repeat(d));
            s.push_str("if x:\n");
        }
        assert!(check_depth(&s).unwrap().message.contains("indentation"));
    }
}
