//! Positions: byte offsets to 1-based lines and columns (columns count Unicode code points, as
//! Python does), plus UTF-16 offsets for editors such as CodeMirror.

/// How many lines `str::lines` yields, counted with a vectorisable loop.
pub fn text_lines(src: &str) -> usize {
    if src.is_empty() {
        return 0;
    }
    // memchr's SIMD search: the plain byte filter is not vectorised and cost ~4 instructions a byte.
    let newlines = memchr::memchr_iter(b'\n', src.as_bytes()).count();
    newlines + usize::from(!src.ends_with('\n'))
}

pub struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> Self {
        let mut starts = Vec::with_capacity(src.len() / 32 + 1);
        starts.push(0u32);
        starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i as u32 + 1));
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
        self.src[start as usize..end].trim_end_matches(['\n', '\r'])
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
        }
    }
}
