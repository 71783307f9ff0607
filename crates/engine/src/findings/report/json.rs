//! The JSON report: the contract (every field of every finding).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use super::Report;

impl Report {
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        match self.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Pretty::default())) {
            // serde_json writes UTF-8 only.
            Ok(()) => String::from_utf8(out).unwrap_or_default(),
            Err(e) => format!("{{\"error\": \"{e}\"}}"),
        }
    }

    /// Writes the JSON report (and a final line break) to `w` as it is serialised, without
    /// holding the whole text in memory: a report of many findings is tens of megabytes.
    pub fn write_json(&self, w: &mut impl Write) -> io::Result<()> {
        self.serialize(&mut serde_json::Serializer::with_formatter(&mut *w, Pretty::default()))?;
        w.write_all(b"\n")
    }
}

/// A line break and the indentation of the levels that fit (two spaces a level).
const BREAK: &[u8] = b"\n                                                                ";

/// serde_json's pretty layout (two-space indentation), byte for byte, written with fewer calls:
/// a line break and its indentation go out as one slice, where `PrettyFormatter` writes the
/// indentation two bytes at a time (a report has about twenty fields a finding, each on its
/// own indented line; the JSON output of a large scan was ~8% of its instructions).
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn new_line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        let width = 2 * self.depth;
        match BREAK.get(..1 + width) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(BREAK)?;
                (BREAK.len() - 1..width).try_for_each(|_| w.write_all(b" "))
            }
        }
    }
}

impl Pretty {
    /// `[` or `{`: one level deeper.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`: on a line of its own after any value.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an array value or an object key: a comma after the first, then a new line.
    fn entry<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.new_line(w)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.entry(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.entry(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_json_is_the_json_text() {
        let report = Report::new(Vec::new(), &[]);
        let mut out = Vec::new();
        report.write_json(&mut out).expect("writes to memory");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            report.to_json() + "\n"
        );
    }

    /// The same bytes as serde_json's own pretty printer, at every depth (past the depth the
    /// indentation slice covers too) and for empty arrays and objects.
    #[test]
    fn the_layout_is_serde_jsons_pretty_layout() {
        let mut deep = serde_json::json!({"leaf": [1, {"a": []}, {}, "x\n\"y\""]});
        for i in 0..40 {
            deep = serde_json::json!({ "level": i, "next": deep, "list": [i, [], {}, [[]]] });
        }
        let mut ours = Vec::new();
        deep.serialize(&mut serde_json::Serializer::with_formatter(&mut ours, Pretty::default())).expect("writes to memory");
        assert_eq!(String::from_utf8(ours).expect("UTF-8"), serde_json::to_string_pretty(&deep).expect("serialises"));
        for v in [serde_json::json!([]), serde_json::json!({}), serde_json::json!(null), serde_json::json!([[], [[]], {"": {}}])] {
            let mut ours = Vec::new();
            v.serialize(&mut serde_json::Serializer::with_formatter(&mut ours, Pretty::default())).expect("writes to memory");
            assert_eq!(String::from_utf8(ours).expect("UTF-8"), serde_json::to_string_pretty(&v).expect("serialises"));
        }
    }
}
