//! The engine's analysis arrives as one JSON string, read here into a small tree that the
//! [`Val`] readers walk. Reading the worker's structured JavaScript objects field by field cost
//! one wasm-bindgen crossing per field: about 100,000 for 10,000 findings, over a second of the
//! page's main thread. One string is one crossing, and parsing it in wasm is linear and quick.
//!
//! The text comes from our own worker, but it is still read as untrusted input: nesting is
//! bounded ([`MAX_DEPTH`]), every error is a value, and nothing panics.

use std::rc::Rc;

use crate::value::{Res, Val};

/// Deepest nesting of arrays and objects accepted (the analysis is four levels deep).
pub const MAX_DEPTH: usize = 64;

/// A JSON value. Arrays, objects and strings are shared, so handing out a field is cheap.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<[Json]>),
    Obj(Rc<[(Rc<str>, Json)]>),
}

/// Parses a whole JSON text.
pub fn parse(text: &str) -> Res<Json> {
    let mut p = Parser { s: text.as_bytes(), i: 0 };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("unexpected text after the value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        format!("invalid JSON at byte {}: {what}", self.i)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    /// One value; `depth` counts the arrays and objects around it (recursion is bounded by it).
    fn value(&mut self, depth: usize) -> Res<Json> {
        self.ws();
        match self.s.get(self.i) {
            None => Err(self.err("unexpected end")),
            Some(b'{' | b'[') if depth >= MAX_DEPTH => Err(self.err("nested too deeply")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => Ok(Json::Str(self.string()?.into())),
            Some(b't') if self.eat("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.eat("null") => Ok(Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("expected a value")),
        }
    }

    fn array(&mut self, depth: usize) -> Res<Json> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat("]") {
            return Ok(Json::Arr(items.into()));
        }
        loop {
            items.push(self.value(depth)?);
            self.ws();
            if self.eat("]") {
                return Ok(Json::Arr(items.into()));
            }
            if !self.eat(",") {
                return Err(self.err("expected `,` or `]`"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Res<Json> {
        self.i += 1;
        let mut fields: Vec<(Rc<str>, Json)> = Vec::new();
        self.ws();
        if self.eat("}") {
            return Ok(Json::Obj(fields.into()));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("expected a key"));
            }
            let key = self.string()?;
            self.ws();
            if !self.eat(":") {
                return Err(self.err("expected `:`"));
            }
            let v = self.value(depth)?;
            fields.push((key.into(), v));
            self.ws();
            if self.eat("}") {
                return Ok(Json::Obj(fields.into()));
            }
            if !self.eat(",") {
                return Err(self.err("expected `,` or `}`"));
            }
        }
    }

    fn number(&mut self) -> Res<Json> {
        let start = self.i;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|n| n.is_finite())
            .map(Json::Num)
            .ok_or_else(|| self.err("invalid number"))
    }

    /// A string at `"`: its text with escapes resolved.
    fn string(&mut self) -> Res<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            // The run up to the next quote or backslash is copied whole (the input is a &str,
            // and both bytes are ASCII, so the run is valid UTF-8).
            let run = self.s[self.i..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            let Some(n) = run else { return Err(self.err("unterminated string")) };
            out.push_str(std::str::from_utf8(&self.s[self.i..self.i + n]).map_err(|_| self.err("invalid UTF-8"))?);
            self.i += n;
            match self.s[self.i] {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    self.escape(&mut out)?;
                }
                _ => return Err(self.err("control character in a string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Res<()> {
        let Some(&c) = self.s.get(self.i) else { return Err(self.err("unterminated escape")) };
        self.i += 1;
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) && self.eat("\\u") {
                    let lo = self.hex4()?;
                    if (0xDC00..0xE000).contains(&lo) {
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    } else {
                        // An unpaired high surrogate, then another escape: both as U+FFFD.
                        out.push('\u{FFFD}');
                        lo
                    }
                } else {
                    hi
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            _ => return Err(self.err("unknown escape")),
        }
        Ok(())
    }

    fn hex4(&mut self) -> Res<u32> {
        let digits = self.s.get(self.i..self.i + 4).and_then(|d| std::str::from_utf8(d).ok()).ok_or_else(|| self.err("short \\u escape"))?;
        let n = u32::from_str_radix(digits, 16).map_err(|_| self.err("invalid \\u escape"))?;
        self.i += 4;
        Ok(n)
    }
}

impl Val for Json {
    fn get(&self, key: &str) -> Option<Self> {
        match self {
            Json::Obj(fields) => fields.iter().find(|(k, _)| &**k == key).map(|(_, v)| v.clone()).filter(|v| *v != Json::Null),
            _ => None,
        }
    }
    fn as_text(&self) -> Option<String> {
        match self {
            Json::Str(s) => Some(s.to_string()),
            _ => None,
        }
    }
    fn as_num(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }
    fn as_flag(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn as_items(&self) -> Option<Vec<Self>> {
        match self {
            Json::Arr(items) => Some(items.to_vec()),
            _ => None,
        }
    }
    fn text(s: &str) -> Self {
        Json::Str(s.into())
    }
    fn num(n: f64) -> Self {
        Json::Num(n)
    }
    fn flag(b: bool) -> Self {
        Json::Bool(b)
    }
    fn items(items: Vec<Self>) -> Self {
        Json::Arr(items.into())
    }
    fn object(fields: Vec<(&str, Self)>) -> Self {
        Json::Obj(fields.into_iter().map(|(k, v)| (Rc::from(k), v)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Analysis, Read};

    /// The same text read by serde_json, for comparison.
    fn same_as_serde(text: &str) {
        fn conv(v: &serde_json::Value) -> Json {
            match v {
                serde_json::Value::Null => Json::Null,
                serde_json::Value::Bool(b) => Json::Bool(*b),
                serde_json::Value::Number(n) => Json::Num(n.as_f64().unwrap_or(f64::NAN)),
                serde_json::Value::String(s) => Json::Str(s.as_str().into()),
                serde_json::Value::Array(a) => Json::Arr(a.iter().map(conv).collect()),
                serde_json::Value::Object(o) => Json::Obj(o.iter().map(|(k, v)| (Rc::from(k.as_str()), conv(v))).collect()),
            }
        }
        let theirs: serde_json::Value = serde_json::from_str(text).expect("serde_json reads it");
        assert_eq!(parse(text), Ok(conv(&theirs)), "{text}");
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for t in [
            r#"{"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d"}, "e": []}"#,
            r#""quote \" backslash \\ slash \/ controls \b\f\n\r\t""#,
            r#""\u00e9 \u20ac \ud83d\ude00 😀 é""#,
            r#"  [ {} , [ ] , "" ]  "#,
            "0",
            "-0.5e-3",
        ] {
            same_as_serde(t);
        }
    }

    #[test]
    fn refuses_broken_text_without_panicking() {
        for t in ["", "{", "[1,", r#"{"a" 1}"#, r#""abc"#, "tru", "[1] x", r#""\x""#, r#""\u12""#, "\"a\nb\"", "{1: 2}", "1e999", "-"] {
            assert!(parse(t).is_err(), "{t:?} should be refused");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().contains("nested too deeply"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        // Lone surrogates become U+FFFD rather than an error or a panic.
        assert_eq!(parse(r#""\ud800x""#), Ok(Json::Str("\u{FFFD}x".into())));
    }

    /// The analysis the worker sends, as the engine's wasm API serialises it, reads into the
    /// same `Analysis` through this reader and through serde_json's values.
    #[test]
    fn an_analysis_reads_the_same_as_through_serde_json() {
        let text = r#"{"findings":[{"rule_id":"os-command-injection","title":"t","severity":"high","confidence":"high","cwe":78,"owasp":null,
            "path":"playground.py","line":2,"column":1,"end_line":2,"end_column":15,"message":"m \"q\"","snippet":"os.system(cmd)","fix":null,
            "family":"injection","start_offset":10,"end_offset":24,"from":10,"to":24,"line_from":10,"line_to":24,"trace_ranges":[[1,2]],
            "trace":[{"line":1,"column":1,"end_line":1,"end_column":2,"label":"source: x","start_offset":0,"end_offset":1}]}],
            "errors":[{"path":"playground.py","message":"e","line":3,"column":4,"from":30}],
            "summary":{"critical":0,"high":1,"medium":0,"low":0,"suppressed":0,"lines":2},"status":"FINDINGS"}"#;
        let ours = Analysis::read(&parse(text).expect("parses")).expect("reads");
        let theirs = Analysis::read(&serde_json::from_str::<serde_json::Value>(text).expect("json")).expect("reads");
        assert_eq!(ours, theirs);
        assert_eq!(ours.findings[0].message, "m \"q\"");
        assert_eq!(ours.errors[0].from, Some(30));
    }
}
