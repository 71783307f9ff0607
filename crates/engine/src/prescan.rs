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

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_string_prefix(word: &[u8]) -> Option<(bool, bool)> {
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
pub fn check_depth(src: &str) -> Option<DepthError> {
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
                    return Some(too_many_brackets(i));
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
                i = skip_string(bytes, i);
            }
            b'(' | b'[' | b'{' => {
                bump!(i);
                brackets += 1;
                if brackets > MAX_BRACKET_DEPTH {
                    return Some(too_many_brackets(i));
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
            _ if is_ident_byte(b) => {
                let start = i;
                while i < bytes.len() && is_ident_byte(bytes[i]) {
                    i += 1;
                }
                let word = &bytes[start..i];
                if i < bytes.len() && (bytes[i] == b'\'' || bytes[i] == b'"') {
                    if let Some((interp, raw)) = is_string_prefix(word) {
                        if interp {
                            i = open_interpolated(bytes, i, raw, &mut stack);
                        } else {
                            i = skip_string(bytes, i);
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

#[cfg(test)]
mod tests {
    use super::*;

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
