//! A linear pre-scan that bounds how deep the syntax tree can get, before the (recursive
//! descent) parser runs.
//!
//! In WebAssembly the stack is small and cannot grow, so 5,000 nested brackets would overflow
//! it and kill the page. Like CPython's tokenizer we refuse more than 200 nested brackets, and
//! like CPython's compiler we refuse expressions whose operator chains would nest deeper than a
//! fixed bound. After this check every recursive walk over the tree is bounded.

use crate::ast::Span;

/// CPython's own limit (`MAXLEVEL` in the tokenizer).
pub const MAX_BRACKET_DEPTH: usize = 200;
/// An upper bound on expression nesting (brackets plus operator chains).
pub const MAX_EXPR_NESTING: u32 = 1000;
/// CPython's limit on indentation levels (`MAXINDENT`).
pub const MAX_INDENT_LEVELS: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct DepthError {
    pub message: String,
    pub span: Span,
}

enum Frame {
    /// An open bracket (or an f-string replacement field) and the operator chain inside it.
    Bracket { chain: u32 },
    /// Inside the literal part of an f-/t-string.
    Interpolated { quote: u8, triple: bool, raw: bool },
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

const fn byte_classes() -> [u8; 256] {
    let mut t = [C_SKIP; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
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

fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

/// Returns the first place where the source nests too deeply, if any.
///
/// One pass over the bytes: runs of bytes that change nothing (spaces, digits and letters of
/// names, string and comment bodies) are skipped in bulk.
pub fn check_depth(src: &str) -> Option<DepthError> {
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut stack: Vec<Frame> = Vec::new();
    // The innermost frame is an f-string literal: (quote, triple, raw).
    let mut literal: Option<(u8, bool, bool)> = None;
    let mut brackets = 0usize;
    // Chain counter of the outermost level and the running total of all chain counters.
    let mut top_chain = 0u32;
    let mut total = 0u32;
    let mut indents: Vec<usize> = vec![0];
    let mut at_line_start = true;
    let mut continued = false;
    let mut i = 0usize;

    macro_rules! sync_literal {
        () => {
            literal = match stack.last() {
                Some(Frame::Interpolated { quote, triple, raw }) => Some((*quote, *triple, *raw)),
                _ => None,
            }
        };
    }
    macro_rules! bump {
        ($at:expr) => {{
            match stack.last_mut() {
                Some(Frame::Bracket { chain }) => *chain += 1,
                _ => top_chain += 1,
            }
            total += 1;
            if total + brackets as u32 > MAX_EXPR_NESTING {
                return Some(DepthError {
                    message: format!(
                        "expression is too deeply nested (more than {MAX_EXPR_NESTING} levels); \
                         pyward, like CPython, refuses it"
                    ),
                    span: Span::new($at as u32, $at as u32 + 1),
                });
            }
        }};
    }
    macro_rules! reset_chain {
        () => {{
            match stack.last_mut() {
                Some(Frame::Bracket { chain }) => {
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

    'outer: while i < n {
        // Literal part of an f-string.
        if let Some((quote, triple, raw)) = literal {
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
                    return Some(too_many_brackets(i));
                }
                stack.push(Frame::Bracket { chain: 0 });
                literal = None;
                i += 1;
                continue;
            }
            if b == quote {
                if !triple {
                    stack.pop();
                    sync_literal!();
                    i += 1;
                    continue;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    stack.pop();
                    sync_literal!();
                    i += 3;
                    continue;
                }
            }
            if b == b'\n' && !triple {
                // Unterminated single-quoted f-string: leave it.
                stack.pop();
                sync_literal!();
            }
            i += 1;
            continue;
        }

        if at_line_start && brackets == 0 {
            // Measure indentation of a logical line.
            let mut j = i;
            let mut width = 0usize;
            for &x in &bytes[i..] {
                match x {
                    b' ' | b'\x0c' => width += 1,
                    b'\t' => width += 8 - width % 8,
                    _ => break,
                }
                j += 1;
            }
            let blank = j >= n || matches!(bytes[j], b'\n' | b'\r' | b'#');
            if !blank && !continued {
                while indents.len() > 1 && *indents.last().unwrap_or(&0) > width {
                    indents.pop();
                }
                if *indents.last().unwrap_or(&0) < width {
                    indents.push(width);
                    if indents.len() > MAX_INDENT_LEVELS + 1 {
                        return Some(DepthError {
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
        // The common bytes (names, spaces, dots) in a tight loop of plain branches; the rest
        // through the jump table below.
        let mut c = class(bytes[i]);
        loop {
            if c == C_IDENT {
                // A name, keyword, number or string prefix.
                let start = i;
                i += 1 + bytes[i + 1..].iter().position(|&x| class(x) != C_IDENT).unwrap_or(n - i - 1);
                let word = &bytes[start..i];
                if word.len() <= 6 {
                    if i < n && (bytes[i] == b'\'' || bytes[i] == b'"') {
                        if let Some((interp, raw)) = is_string_prefix(word) {
                            if interp {
                                i = open_interpolated(bytes, i, raw, &mut stack);
                                sync_literal!();
                            } else {
                                i = skip_string(bytes, i);
                            }
                            continue 'outer;
                        }
                    }
                    if matches!(word, b"not" | b"lambda" | b"await" | b"if" | b"else" | b"and" | b"or") {
                        bump!(start);
                    }
                }
            } else if c == C_SKIP {
                i += 1;
            } else if bytes[i] == b'.' {
                bump!(i);
                i += 1;
            } else {
                break;
            }
            if i >= n {
                break 'outer;
            }
            c = class(bytes[i]);
        }
        match c {
            C_NEWLINE => {
                if brackets == 0 {
                    reset_chain!();
                    at_line_start = true;
                }
                i += 1;
            }
            C_BACKSLASH => {
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
            C_HASH => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(n, |k| i + k);
            }
            C_QUOTE => {
                i = skip_string(bytes, i);
            }
            C_OPEN => {
                bump!(i);
                brackets += 1;
                if brackets > MAX_BRACKET_DEPTH {
                    return Some(too_many_brackets(i));
                }
                stack.push(Frame::Bracket { chain: 0 });
                i += 1;
            }
            C_CLOSE => {
                if let Some(Frame::Bracket { chain }) = stack.last() {
                    total -= *chain;
                    stack.pop();
                    brackets -= 1;
                    sync_literal!();
                }
                i += 1;
            }
            C_SEPARATOR => {
                reset_chain!();
                i += 1;
            }
            C_EQUALS => {
                let prev = if i > 0 { bytes[i - 1] } else { b' ' };
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                if next != b'=' && !matches!(prev, b'=' | b'<' | b'>' | b'!') {
                    reset_chain!();
                }
                i += 1;
            }
            C_OPERATOR => {
                bump!(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

fn too_many_brackets(at: usize) -> DepthError {
    DepthError {
        message: format!(
            "too many nested parentheses (more than {MAX_BRACKET_DEPTH}); pyward, like CPython, refuses them"
        ),
        span: Span::new(at as u32, at as u32 + 1),
    }
}

fn open_interpolated(bytes: &[u8], i: usize, raw: bool, stack: &mut Vec<Frame>) -> usize {
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
fn skip_string(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    let mut j = if triple { i + 3 } else { i + 1 };
    // Most strings are short: look at the first bytes one by one before a vector search.
    while let Some(&b) = bytes.get(j) {
        if j > i + 24 {
            break;
        }
        if b == b'\\' {
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
        } else if b == b'\n' && !triple {
            return j;
        }
        j += 1;
    }
    loop {
        let Some(rest) = bytes.get(j..) else { return bytes.len() };
        let found = if triple { memchr::memchr2(quote, b'\\', rest) } else { memchr::memchr3(quote, b'\\', b'\n', rest) };
        let Some(k) = found else { return bytes.len() };
        j += k;
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
            let mut total = 0u32;
            let mut indents: Vec<usize> = vec![0];
            let mut at_line_start = true;
            let mut continued = false;
            let mut i = 0usize;

            macro_rules! bump {
                ($at:expr) => {{
                    match stack.last_mut() {
                        Some(Frame::Bracket { chain }) => *chain += 1,
                        _ => top_chain += 1,
                    }
                    total += 1;
                    if total + brackets as u32 > MAX_EXPR_NESTING {
                        return Some(DepthError {
                            message: format!(
                                "expression is too deeply nested (more than {MAX_EXPR_NESTING} levels); \
                                 pyward, like CPython, refuses it"
                            ),
                            span: Span::new($at as u32, $at as u32 + 1),
                        });
                    }
                }};
            }
            macro_rules! reset_chain {
                () => {{
                    match stack.last_mut() {
                        Some(Frame::Bracket { chain }) => {
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
                        stack.push(Frame::Bracket { chain: 0 });
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
                        while i < bytes.len() && bytes[i] != b'\n' {
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
                        stack.push(Frame::Bracket { chain: 0 });
                        i += 1;
                    }
                    b')' | b']' | b'}' => {
                        if let Some(Frame::Bracket { chain }) = stack.last() {
                            total -= *chain;
                            stack.pop();
                            brackets -= 1;
                        }
                        i += 1;
                    }
                    b',' | b';' | b':' => {
                        reset_chain!();
                        i += 1;
                    }
                    b'=' => {
                        let prev = if i > 0 { bytes[i - 1] } else { b' ' };
                        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                        if next != b'=' && !matches!(prev, b'=' | b'<' | b'>' | b'!') {
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
                        if matches!(word, b"not" | b"lambda" | b"await" | b"if" | b"else" | b"and" | b"or") {
                            bump!(start);
                        }
                    }
                    _ => i += 1,
                }
            }
            None
        }

        fn ref_too_many_brackets(at: usize) -> DepthError {
            DepthError {
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
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
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
