//! Positions: byte offsets to 1-based lines and columns (columns count Unicode code points, as
//! Python does), plus UTF-16 offsets for editors such as CodeMirror.
//!
//! Line breaks are those of CPython: `\n`, `\r\n` and a lone `\r` (old Mac files) each end a line.

/// The offsets just past each line break of `src` (`\r\n` is one break), in order.
fn break_ends(src: &str) -> impl Iterator<Item = usize> + '_ {
    let b = src.as_bytes();
    // memchr's SIMD search: the plain byte filter is not vectorised and cost ~4 instructions a byte.
    memchr::memchr2_iter(b'\n', b'\r', b).filter(move |&i| !(b[i] == b'\r' && b.get(i + 1) == Some(&b'\n'))).map(|i| i + 1)
}

/// How many lines the text has (a last line without a break counts; an empty text has none).
pub fn text_lines(src: &str) -> usize {
    if src.is_empty() {
        return 0;
    }
    break_ends(src).count() + usize::from(!src.ends_with(['\n', '\r']))
}

/// The lines of `src` without their breaks, split at `\n`, `\r\n` and a lone `\r` (as
/// `str::lines`, which knows only the first two).
pub fn split_lines(src: &str) -> impl Iterator<Item = &str> + '_ {
    let mut start = 0;
    let mut ends = break_ends(src);
    std::iter::from_fn(move || {
        if start >= src.len() {
            return None;
        }
        let line_start = start;
        start = ends.next().unwrap_or(src.len());
        Some(strip_break(&src[line_start..start]))
    })
}

pub struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> Self {
        let mut starts = Vec::with_capacity(src.len() / 32 + 1);
        starts.push(0u32);
        starts.extend(break_ends(src).map(|i| i as u32));
        LineIndex { src, starts }
    }

    /// Clamps an offset into the text and onto a character boundary.
    fn clamp(&self, offset: u32) -> usize {
        let mut o = (offset as usize).min(self.src.len());
        while o > 0 && !self.src.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// 0-based line of an offset.
    pub fn line_of(&self, offset: u32) -> usize {
        let o = self.clamp(offset) as u32;
        match self.starts.binary_search(&o) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// 1-based (line, column); the column counts code points.
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let o = self.clamp(offset);
        let line = self.line_of(o as u32);
        let start = self.starts[line] as usize;
        let col = self.src[start..o].chars().count();
        (line as u32 + 1, col as u32 + 1)
    }

    /// The text of a 0-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else { return "" };
        let end = self.starts.get(line + 1).map(|e| *e as usize).unwrap_or(self.src.len());
        strip_break(&self.src[start as usize..end])
    }

    /// Byte offset where a 0-based line starts (`None` past the last line).
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).map(|&s| s as usize)
    }

    /// Byte offset where a 0-based line's text ends, before its line break.
    pub fn line_end(&self, line: usize) -> usize {
        let start = self.line_start(line).unwrap_or(self.src.len());
        start + self.line_text(line).len()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// UTF-16 code-unit offset of a byte offset (what JavaScript strings and CodeMirror use).
    pub fn utf16_offset(&self, offset: u32) -> u32 {
        let o = self.clamp(offset);
        self.src[..o].chars().map(|c| c.len_utf16() as u32).sum()
    }
}

/// A line without its one line break (`\n`, `\r\n` or `\r`).
fn strip_break(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Can substring literal `t` be looked for among the starts of the identifiers and string
/// values of a file, instead of in its whole text? The substring literals are the
/// prefixes that every match of a `metavariable-regex` starts with, and a regex runs on
/// the text of a bound node (string literals also without their quotes). That text starts
/// with an identifier, a keyword, a string prefix or quote, a digit or a symbol. For a
/// literal of identifier characters that starts with no digit and that begins no keyword
/// or string prefix, the text can only start with it if an identifier, or a string value,
/// of the file does (the parser adapter reports both).
pub fn starts_identifier(t: &str) -> bool {
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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_points() {
        let src = "a = 1\nb = '😀' + x\n";
        let li = LineIndex::new(src);
        let x = src.find('x').unwrap() as u32;
        assert_eq!(li.position(0), (1, 1));
        assert_eq!(li.position(x), (2, 11));
        assert_eq!(li.utf16_offset(x), 6 + 11);
        assert_eq!(li.line_text(1), "b = '😀' + x");
        assert_eq!(li.position(10_000), (3, 1));
        for t in ["", "a", "a\n", "\n", "a\nb", "a\r\nb\r\n", "\n\n"] {
            assert_eq!(text_lines(t), t.lines().count(), "{t:?}");
            assert_eq!(split_lines(t).collect::<Vec<_>>(), t.lines().collect::<Vec<_>>(), "{t:?}");
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        for src in ["a = 1\rb = x\r", "a = 1\r\nb = x\r\n", "a = 1\nb = x\r"] {
            let li = LineIndex::new(src);
            let x = src.find('x').unwrap() as u32;
            assert_eq!(li.position(x), (2, 5), "{src:?}");
            assert_eq!(li.line_text(0), "a = 1", "{src:?}");
            assert_eq!(li.line_text(1), "b = x", "{src:?}");
            assert_eq!(li.line_end(1), x as usize + 1, "{src:?}");
            assert_eq!(text_lines(src), 2, "{src:?}");
            assert_eq!(split_lines(src).collect::<Vec<_>>(), ["a = 1", "b = x"], "{src:?}");
        }
        // Mixed: `\r\r\n` is a lone `\r` (an empty line) then `\r\n`.
        let src = "a\r\r\nb\nc\rd";
        assert_eq!(split_lines(src).collect::<Vec<_>>(), ["a", "", "b", "c", "d"]);
        assert_eq!(text_lines(src), 5);
        assert_eq!(LineIndex::new(src).position(src.len() as u32 - 1), (5, 1));
    }
}
