//! YAML text into `serde_json` values, for the rule loader.
//!
//! The YAML grammar itself is `saphyr-parser`'s: a maintained, pure-Rust YAML 1.2 event parser
//! (no unsafe C port; the successor of yaml-rust/yaml-rust2, tested against the YAML test suite
//! and fuzzed). serde_yml carries a RustSec advisory, serde_yaml is archived and serde_yaml_ng
//! wraps the unsafe-libyaml C translation. This module only turns the parser's events into values:
//! plain scalars are resolved with YAML 1.2's core schema, anchors and aliases are expanded.
//! [`parse_located`] also notes where each mapping key and list item was written, so that a rule
//! error can name its line and column.
//!
//! Users paste rule files into the browser playground, where a panic or a stack overflow kills
//! the page, so the builder never recurses, nesting is capped at [`MAX_DEPTH`] (`serde_json`
//! drops values recursively) and aliases may not expand a document past [`MAX_NODES`] values
//! (the "billion laughs" document). Measured against the serde-saphyr deserializer it replaces:
//! 122 KB less gzipped engine wasm (941,788 -> 819,467 bytes).

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// Deepest nesting of lists and mappings accepted.
pub const MAX_DEPTH: usize = 128;
/// Most values a document may hold once its aliases are expanded.
pub const MAX_NODES: usize = 1_000_000;
/// A string counts as one value per this many bytes towards [`MAX_NODES`], so that the
/// expanded document is bounded in bytes too (64 MB of strings at most).
pub const STRING_BYTES_PER_VALUE: usize = 64;

/// A line and column in the YAML text, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    fn of(span: &Span) -> Pos {
        Pos { line: span.start.line(), column: span.start.col() + 1 }
    }
}

/// Text that is not YAML (or not a YAML document pyward reads), and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.pos.line, self.pos.column)
    }
}

impl std::error::Error for YamlError {}

/// Where each value of a document was written, by its path: `rules[0].severity` is where the
/// key `severity` of the first rule is, `rules[0]` where that list item starts and `` the root.
/// Values copied in by an alias are found at the alias (see [`Positions::find`]).
#[derive(Clone, Debug, Default)]
pub struct Positions(HashMap<String, Pos>);

impl Positions {
    /// The position of `path`, or of its nearest enclosing value that has one.
    pub fn find(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.0.get(p) {
                return Some(*pos);
            }
            p = &p[..p.rfind(['.', '['])?];
        }
    }
}

/// A parsed document and where its values were written.
#[derive(Debug)]
pub struct Located {
    pub value: Value,
    pub positions: Positions,
}

enum Frame {
    Seq { items: Vec<Value>, anchor: usize, nodes: usize, path: String },
    Map { map: Map<String, Value>, key: Option<String>, anchor: usize, nodes: usize, path: String },
}

struct Builder {
    stack: Vec<Frame>,
    /// Anchor id -> the value and how many values it holds.
    anchors: Vec<(usize, Value, usize)>,
    root: Option<Value>,
    documents: usize,
    total: usize,
    positions: Positions,
}

fn at(span: &Span, msg: impl fmt::Display) -> YamlError {
    YamlError { pos: Pos::of(span), message: msg.to_string() }
}

/// `path.key`, or `key` at the root.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Parses a single YAML document. An empty text is `null`. Errors read like
/// "did not find expected ',' or ']' at line 3 column 1".
pub fn parse(text: &str) -> Result<Value, YamlError> {
    parse_located(text).map(|l| l.value)
}

/// [`parse`], also noting where each key and list item was written.
pub fn parse_located(text: &str) -> Result<Located, YamlError> {
    let mut b = Builder { stack: Vec::new(), anchors: Vec::new(), root: None, documents: 0, total: 0, positions: Positions::default() };
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| YamlError {
            pos: Pos { line: e.marker().line(), column: e.marker().col() + 1 },
            message: e.info().to_string(),
        })?;
        match ev {
            Event::DocumentStart(_) => {
                b.documents += 1;
                if b.documents > 1 {
                    return Err(at(&span, "more than one YAML document (one `---` section per file)"));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                // A long string weighs one value per 64 bytes: aliases of a 100 KB string,
                // nested ten times four levels deep, must not pass as a few values each.
                let weight = 1 + text.len() / STRING_BYTES_PER_VALUE;
                let v = scalar(text, style, tag.as_deref()).map_err(|m| at(&span, m))?;
                b.note_item(&span);
                b.value(v, weight, anchor, &span)?;
            }
            Event::Alias(id) => {
                let (v, nodes) = match b.anchors.iter().rev().find(|a| a.0 == id) {
                    Some((_, v, n)) => (v.clone(), *n),
                    None => return Err(at(&span, "alias to an unknown anchor")),
                };
                b.note_item(&span);
                b.value(v, nodes, 0, &span)?;
            }
            Event::SequenceStart(anchor, _) => {
                b.open(|path| Frame::Seq { items: Vec::new(), anchor, nodes: 1, path }, &span)?;
            }
            Event::MappingStart(anchor, _) => {
                b.open(|path| Frame::Map { map: Map::new(), key: None, anchor, nodes: 1, path }, &span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor, nodes) = match b.stack.pop() {
                    Some(Frame::Seq { items, anchor, nodes, .. }) => (Value::Array(items), anchor, nodes),
                    Some(Frame::Map { map, anchor, nodes, .. }) => (Value::Object(map), anchor, nodes),
                    None => return Err(at(&span, "unbalanced end of a collection")),
                };
                // The values inside were counted as they were read; `value` counts them again.
                b.total -= nodes - 1;
                b.value(v, nodes, anchor, &span)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    Ok(Located { value: b.root.unwrap_or(Value::Null), positions: b.positions })
}

impl Builder {
    /// The path of the value about to be added to the open collection (`` at the root).
    fn child_path(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq { items, path, .. }) => format!("{path}[{}]", items.len()),
            Some(Frame::Map { key, path, .. }) => join(path, key.as_deref().unwrap_or("")),
        }
    }

    /// Notes where a list item (or the root) starts; a mapping's keys are noted as they are read.
    fn note_item(&mut self, span: &Span) {
        if !matches!(self.stack.last(), Some(Frame::Map { .. })) {
            let path = self.child_path();
            self.positions.0.insert(path, Pos::of(span));
        }
    }

    fn open(&mut self, frame: impl FnOnce(String) -> Frame, span: &Span) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(at(span, format!("lists and mappings nested more than {MAX_DEPTH} deep")));
        }
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            return Err(at(span, "a mapping key must be a plain value, not a list or mapping"));
        }
        self.note_item(span);
        let path = self.child_path();
        self.stack.push(frame(path));
        Ok(())
    }

    /// Adds a finished value holding `nodes` values to the open collection (or makes it the root).
    fn value(&mut self, v: Value, nodes: usize, anchor: usize, span: &Span) -> Result<(), YamlError> {
        self.total += nodes;
        if self.total > MAX_NODES {
            return Err(at(span, format!("the document expands to more than {MAX_NODES} values")));
        }
        if anchor != 0 {
            self.anchors.push((anchor, v.clone(), nodes));
        }
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Seq { items, nodes: n, .. }) => {
                items.push(v);
                *n += nodes;
            }
            Some(Frame::Map { map, key, nodes: n, path, .. }) => match key.take() {
                None => {
                    let k = match v {
                        Value::String(s) => s,
                        Value::Bool(x) => x.to_string(),
                        Value::Number(x) => x.to_string(),
                        Value::Null => String::new(),
                        _ => return Err(at(span, "a mapping key must be a plain value, not a list or mapping")),
                    };
                    self.positions.0.insert(join(path, &k), Pos::of(span));
                    *key = Some(k);
                }
                Some(k) => {
                    if map.contains_key(&k) {
                        return Err(at(span, format!("duplicate key `{k}`")));
                    }
                    map.insert(k, v);
                    *n += nodes;
                }
            },
        }
        Ok(())
    }
}

/// A scalar's value: quoted and block scalars are strings; plain ones follow the core schema
/// (null, booleans, integers, floats, else a string). `!!str` and the other core tags are obeyed;
/// other tags are ignored.
fn scalar(text: Cow<str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let core = tag.filter(|t| t.is_yaml_core_schema()).map(|t| t.suffix.as_str());
    let string = || Value::String(text.to_string());
    match core {
        Some("str") => return Ok(string()),
        Some(kind @ ("null" | "bool" | "int" | "float")) => {
            let v = resolve(&text);
            let ok = matches!(
                (kind, &v),
                ("null", Value::Null) | ("bool", Value::Bool(_)) | ("int", Value::Number(_)) | ("float", Value::Number(_))
            ) && (kind != "int" || v.as_f64().is_none() || v.is_i64() || v.is_u64());
            return if ok { Ok(v) } else { Err(format!("`{text}` is not a valid !!{kind}")) };
        }
        _ => {}
    }
    Ok(if style == ScalarStyle::Plain { resolve(&text) } else { string() })
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    let (sign, body) = match s.as_bytes()[0] {
        b'-' => (-1i128, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (1, s),
    };
    let int = if digits(body, 10) {
        body.parse::<i128>().ok()
    } else if let Some(h) = s.strip_prefix("0x").filter(|h| digits(h, 16)) {
        i128::from_str_radix(h, 16).ok()
    } else if let Some(o) = s.strip_prefix("0o").filter(|o| digits(o, 8)) {
        i128::from_str_radix(o, 8).ok()
    } else {
        None
    };
    if let Some(i) = int.map(|i| i * sign) {
        if let Ok(i) = i64::try_from(i) {
            return Value::Number(i.into());
        }
        if let Ok(u) = u64::try_from(i) {
            return Value::Number(u.into());
        }
    }
    if is_float(body) {
        if let Some(n) = s.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    // `.inf` and `.nan` have no JSON number: they stay text.
    Value::String(s.to_string())
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?` (the sign already taken off).
fn is_float(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    let run = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    let whole = run(&mut i);
    let mut frac = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac = run(&mut i);
    }
    if whole == 0 && frac == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if run(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn block_and_flow_collections() {
        let v = parse("rules:\n  - id: a\n    languages: [python]\n    pattern: |\n      f($X)\n    n: 3\n").unwrap();
        assert_eq!(v, json!({"rules": [{"id": "a", "languages": ["python"], "pattern": "f($X)\n", "n": 3}]}));
        assert_eq!(parse("{a: [1, {b: c}], 'd': \"e\\tf\"}").unwrap(), json!({"a": [1, {"b": "c"}], "d": "e\tf"}));
        assert_eq!(parse("").unwrap(), Value::Null);
        assert_eq!(parse("# only a comment\n").unwrap(), Value::Null);
    }

    #[test]
    fn core_schema_scalars() {
        let v = parse("[~, null, '', true, False, 'true', 12, -3, 0x1F, 0o17, 1.5, -.5e3, 1e, .inf, 1_000, CWE-78, 'A03:2021', 99999999999999999999999]").unwrap();
        assert_eq!(
            v,
            json!([null, null, "", true, false, "true", 12, -3, 31, 15, 1.5, -500.0, "1e", ".inf", "1_000", "CWE-78", "A03:2021", 1e23])
        );
        assert_eq!(parse("[!!str 12, !!int '7', !!bool 'true']").unwrap(), json!(["12", 7, true]));
        assert!(parse("!!int abc").unwrap_err().to_string().contains("not a valid !!int"));
        assert_eq!(parse("a: !custom x").unwrap(), json!({"a": "x"}));
    }

    #[test]
    fn positions_of_keys_and_items() {
        let text = "rules:\n  - id: a\n    languages: [python, py]\n    patterns:\n      - pattern: f($X)\n  - id: b\n";
        let l = parse_located(text).unwrap();
        let at = |p: &str| l.positions.find(p).map(|p| (p.line, p.column));
        assert_eq!(at("rules"), Some((1, 1)));
        assert_eq!(at("rules[0]"), Some((2, 5)));
        assert_eq!(at("rules[0].id"), Some((2, 5)));
        assert_eq!(at("rules[0].languages"), Some((3, 5)));
        assert_eq!(at("rules[0].languages[1]"), Some((3, 25)));
        assert_eq!(at("rules[0].patterns[0].pattern"), Some((5, 9)));
        assert_eq!(at("rules[1].id"), Some((6, 5)));
        // No position of its own: the nearest enclosing value's.
        assert_eq!(at("rules[0].patterns[0].pattern.x[3]"), Some((5, 9)));
        let l = parse_located("a: &x {b: 1}\nc: *x\n").unwrap();
        assert_eq!(l.positions.find("c.b").map(|p| p.line), Some(2), "an alias's values are at the alias");
    }

    #[test]
    fn anchors_and_aliases_expand() {
        assert_eq!(parse("a: &x [1, 2]\nb: *x\n").unwrap(), json!({"a": [1, 2], "b": [1, 2]}));
        assert!(parse("a: *nowhere\n").is_err());
    }

    /// A 100 KB string aliased ten times through four levels expanded to gigabytes while it
    /// counted as a few thousand values: strings weigh by their length.
    #[test]
    fn aliased_long_strings_are_bounded_in_bytes() {
        let mut doc = format!("s0: &s0 \"{}\"\n", "x".repeat(100_000));
        for level in 1..=4 {
            let prev = level - 1;
            let items = vec![format!("*s{prev}"); 10].join(", ");
            doc.push_str(&format!("s{level}: &s{level} [{items}]\n"));
        }
        let e = parse(&doc).expect_err("refused");
        assert!(e.message.contains("expands to more than"), "{}", e.message);
        // One long string on its own is fine.
        assert!(parse(&format!("s: \"{}\"\n", "x".repeat(1_000_000))).is_ok());
    }

    /// 200,000 aliases took 69 s when each alias re-walked what it copied: expansion and the
    /// position index are linear (about 0.14 s in the release CLI, 4x the aliases 4.7x the time).
    #[test]
    fn two_hundred_thousand_aliases_load() {
        let doc = format!("base: &a {{k: v}}\nmany: [{}]\n", vec!["*a"; 200_000].join(", "));
        let v = parse(&doc).expect("within the value cap");
        assert_eq!(v["many"].as_array().map(Vec::len), Some(200_000));
        assert_eq!(v["many"][199_999], json!({"k": "v"}));
    }

    #[test]
    fn errors_carry_a_position() {
        let e = parse("rules:\n  - id: [a, b\n  - id: c\n").unwrap_err().to_string();
        assert!(e.contains("line 3"), "{e}");
        let e = parse("a: 1\na: 2\n").unwrap_err().to_string();
        assert!(e.contains("duplicate key `a`") && e.contains("line 2"), "{e}");
        let e = parse("{[a]: b}").unwrap_err().to_string();
        assert!(e.contains("mapping key"), "{e}");
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err().to_string();
        assert!(e.contains("more than one YAML document"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for open in ["[", "{a: ", "- "] {
            let text = open.repeat(100_000);
            let e = parse(&text).unwrap_err().to_string();
            assert!(!e.is_empty());
        }
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}1{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().to_string().contains("nested more than"));
    }

    /// The built-in rules are embedded as JSON by build.rs: the same values as their YAML files.
    #[test]
    fn embedded_builtin_rules_are_their_yaml_files() {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        assert!(crate::BUILTIN_RULE_FILES.len() > 40);
        for (path, json) in crate::BUILTIN_RULE_FILES {
            let yaml = std::fs::read_to_string(rules.join(path)).unwrap();
            let embedded: Value = serde_json::from_str(json).unwrap();
            assert_eq!(parse(&yaml).unwrap(), embedded, "{path}");
        }
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            doc += &format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n");
        }
        let e = parse(&doc).unwrap_err().to_string();
        assert!(e.contains("expands to more than"), "{e}");
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        let alphabet = b"[]{}:-?,&*!|>'\"#%@` \n\t  abc01.~\\";
        for _ in 0..20_000 {
            let len = (next() % 64) as usize;
            let s: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char).collect();
            let _ = parse(&s);
        }
    }
}
