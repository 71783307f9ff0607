//! The code a finding quotes: its lines, cut to the flagged region plus bounded context, so
//! that thousands of findings on one long line do not each copy the whole line.

use crate::syntax::source::LineIndex;

/// Code points of context kept on each side of the flagged region.
pub const CONTEXT: usize = 200;
/// Code points of the flagged region quoted at most (beyond, its two ends around an ellipsis).
pub const MAX_REGION: usize = 2000;
/// Lines quoted at most.
pub const MAX_LINES: usize = 5;
/// Marks where quoted text was cut.
pub const ELLIPSIS: &str = "…";

/// What a finding quotes of the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Excerpt {
    /// The lines of the region (at most [`MAX_LINES`]), joined by `\n`, with at most
    /// [`CONTEXT`] code points before and after the region, cuts marked by [`ELLIPSIS`].
    pub snippet: String,
    /// The flagged text exactly as in the file, when at most [`MAX_REGION`] code points.
    pub region: Option<String>,
}

/// The excerpt of `src` for the byte range `start..end`.
pub fn excerpt(src: &str, lines: &LineIndex<'_>, start: u32, end: u32) -> Excerpt {
    let start = boundary(src, start as usize);
    let end = boundary(src, end as usize).max(start);
    let first = lines.line_of(start as u32);
    let last = lines.line_of(end as u32).min(first + MAX_LINES - 1);
    let line_start = lines.line_start(first).unwrap_or(start).min(start);
    let line_end = lines.line_end(last).max(start);
    let region_end = end.min(line_end);
    let lo = back(src, start, CONTEXT, line_start);
    let hi = forward(src, region_end, CONTEXT, line_end);
    let mut snippet = String::new();
    if lo > line_start {
        snippet.push_str(ELLIPSIS);
    }
    let head = forward(src, start, MAX_REGION / 2, region_end);
    let tail = back(src, region_end, MAX_REGION / 2, head);
    if head < tail {
        snippet.push_str(&src[lo..head]);
        snippet.push_str(ELLIPSIS);
        snippet.push_str(&src[tail..hi]);
    } else {
        snippet.push_str(&src[lo..hi]);
    }
    if hi < line_end {
        snippet.push_str(ELLIPSIS);
    }
    let region = &src[start..end];
    let short = region.len() <= MAX_REGION || region.chars().nth(MAX_REGION).is_none();
    Excerpt { snippet: one_kind_of_break(snippet), region: short.then(|| region.to_string()) }
}

/// `offset` clamped into `src` and moved back onto a character boundary.
fn boundary(src: &str, offset: usize) -> usize {
    let mut o = offset.min(src.len());
    while !src.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// The offset `n` code points before `from`, not before `floor`.
fn back(src: &str, from: usize, n: usize, floor: usize) -> usize {
    match src[floor..from].char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => floor + i,
        Some(_) => from,
        None => floor,
    }
}

/// The offset `n` code points after `from`, not after `ceil`.
fn forward(src: &str, from: usize, n: usize, ceil: usize) -> usize {
    src[from..ceil].char_indices().nth(n).map_or(ceil, |(i, _)| from + i)
}

/// The text with every line break (`\r\n`, lone `\r`) written as `\n`.
fn one_kind_of_break(s: String) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(src: &str, text: &str) -> Excerpt {
        let start = src.find(text).unwrap() as u32;
        excerpt(src, &LineIndex::new(src), start, start + text.len() as u32)
    }

    #[test]
    fn short_lines_are_quoted_whole() {
        let src = "import os\nos.system(\n    cmd\n)\nx = 1\n";
        let e = of(src, "os.system(\n    cmd\n)");
        assert_eq!(e.snippet, "os.system(\n    cmd\n)");
        assert_eq!(e.region.as_deref(), Some("os.system(\n    cmd\n)"));
        assert_eq!(of(src, "cmd").snippet, "    cmd");
        let cr = "a = 1\reval(x)\rb = 2\r";
        assert_eq!(of(cr, "eval(x)").snippet, "eval(x)");
        assert_eq!(of("f(\r\n  x)\r\n", "f(\r\n  x)").snippet, "f(\n  x)");
    }

    #[test]
    fn long_lines_keep_bounded_context() {
        let pad = "y".repeat(1000);
        let src = format!("a = [{pad}, eval(x), {pad}]\n");
        let e = of(&src, "eval(x)");
        let expect = format!("{ELLIPSIS}{}, eval(x), {}{ELLIPSIS}", &pad[..CONTEXT - 2], &pad[..CONTEXT - 2]);
        assert_eq!(e.snippet, expect);
        assert_eq!(e.region.as_deref(), Some("eval(x)"));
        // Multi-byte text is cut on code points.
        let wide = format!("s = '{}' + eval(x)\n", "é".repeat(500));
        let e = of(&wide, "eval(x)");
        assert_eq!(e.snippet.chars().count(), CONTEXT + 7 + 1);
    }

    #[test]
    fn a_long_region_keeps_its_two_ends() {
        let src = format!("f('{}')\n", "z".repeat(10_000));
        let e = excerpt(&src, &LineIndex::new(&src), 0, src.len() as u32 - 1);
        assert!(e.snippet.starts_with("f('zz") && e.snippet.ends_with("zz')"), "{}", &e.snippet[..20]);
        assert_eq!(e.snippet.chars().count(), MAX_REGION + 1);
        assert_eq!(e.region, None);
    }

    #[test]
    fn out_of_range_offsets_are_clamped() {
        let src = "é\n";
        let li = LineIndex::new(src);
        assert_eq!(excerpt(src, &li, 1, 2).snippet, "é");
        assert_eq!(excerpt(src, &li, 1, 99).snippet, "é\n", "a range over the line break quotes the next (empty) line");
        assert_eq!(excerpt(src, &li, 50, 60).snippet, "");
        assert_eq!(excerpt("", &LineIndex::new(""), 0, 0), Excerpt { snippet: String::new(), region: Some(String::new()) });
    }
}
