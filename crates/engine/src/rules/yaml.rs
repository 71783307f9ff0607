//! YAML text into `serde_json` values, for the rule loader.
//!
//! The YAML grammar itself is `saphyr-parser`'s: a maintained, pure-Rust YAML 1.2 event parser
//! (no unsafe C port; the successor of yaml-rust/yaml-rust2, tested against the YAML test suite
//! and fuzzed). serde_yml carries a RustSec advisory, serde_yaml is archived and serde_yaml_ng
//! wraps the unsafe-libyaml C translation. This module only turns the parser's events into values:
//! plain scalars are resolved with YAML 1.2's core schema, anchors and aliases are expanded.
//!
//! Users paste rule files into the browser playground, where a panic or a stack overflow kills
//! the page, so the builder never recurses, nesting is capped at [`MAX_DEPTH`] (`serde_json`
//! drops values recursively) and aliases may not expand a document past [`MAX_NODES`] values
//! (the "billion laughs" document). Measured against the serde-saphyr deserializer it replaces:
//! 122 KB less gzipped engine wasm (941,788 -> 819,467 bytes).

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// Deepest nesting of lists and mappings accepted.
pub const MAX_DEPTH: usize = 128;
/// Most values a document may hold once its aliases are expanded.
pub const MAX_NODES: usize = 1_000_000;

enum Frame {
    Seq { items: Vec<Value>, anchor: usize, nodes: usize },
    Map { map: Map<String, Value>, key: Option<String>, anchor: usize, nodes: usize },
}

struct Builder {
    stack: Vec<Frame>,
    /// Anchor id -> the value and how many values it holds.
    anchors: Vec<(usize, Value, usize)>,
    root: Option<Value>,
    documents: usize,
    total: usize,
}

fn at(span: &Span, msg: impl std::fmt::Display) -> String {
    format!("{msg} at line {} column {}", span.start.line(), span.start.col() + 1)
}

/// Parses a single YAML document. An empty text is `null`. Errors read like
/// "did not find expected ',' or ']' at line 3 column 1".
pub fn parse(text: &str) -> Result<Value, String> {
    let mut b = Builder { stack: Vec::new(), anchors: Vec::new(), root: None, documents: 0, total: 0 };
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| {
            format!("{} at line {} column {}", e.info(), e.marker().line(), e.marker().col() + 1)
        })?;
        match ev {
            Event::DocumentStart(_) => {
                b.documents += 1;
                if b.documents > 1 {
                    return Err(at(&span, "more than one YAML document (one `---` section per file)"));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let v = scalar(text, style, tag.as_deref()).map_err(|m| at(&span, m))?;
                b.value(v, 1, anchor, &span)?;
            }
            Event::Alias(id) => {
                let (v, nodes) = match b.anchors.iter().rev().find(|a| a.0 == id) {
                    Some((_, v, n)) => (v.clone(), *n),
                    None => return Err(at(&span, "alias to an unknown anchor")),
                };
                b.value(v, nodes, 0, &span)?;
            }
            Event::SequenceStart(anchor, _) => {
                b.open(Frame::Seq { items: Vec::new(), anchor, nodes: 1 }, &span)?;
            }
            Event::MappingStart(anchor, _) => {
                b.open(Frame::Map { map: Map::new(), key: None, anchor, nodes: 1 }, &span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor, nodes) = match b.stack.pop() {
                    Some(Frame::Seq { items, anchor, nodes }) => (Value::Array(items), anchor, nodes),
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
    Ok(b.root.unwrap_or(Value::Null))
}

impl Builder {
    fn open(&mut self, f: Frame, span: &Span) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(at(span, format!("lists and mappings nested more than {MAX_DEPTH} deep")));
        }
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            return Err(at(span, "a mapping key must be a plain value, not a list or mapping"));
        }
        self.stack.push(f);
        Ok(())
    }

    /// Adds a finished value holding `nodes` values to the open collection (or makes it the root).
    fn value(&mut self, v: Value, nodes: usize, anchor: usize, span: &Span) -> Result<(), String> {
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
            Some(Frame::Map { map, key, nodes: n, .. }) => match key.take() {
                None => match v {
                    Value::String(s) => *key = Some(s),
                    Value::Bool(x) => *key = Some(x.to_string()),
                    Value::Number(x) => *key = Some(x.to_string()),
                    Value::Null => *key = Some(String::new()),
                    _ => return Err(at(span, "a mapping key must be a plain value, not a list or mapping")),
                },
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
            ) && !(kind == "int" && v.as_f64().is_some() && !v.is_i64() && !v.is_u64());
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
        assert!(parse("!!int abc").unwrap_err().contains("not a valid !!int"));
        assert_eq!(parse("a: !custom x").unwrap(), json!({"a": "x"}));
    }

    #[test]
    fn anchors_and_aliases_expand() {
        assert_eq!(parse("a: &x [1, 2]\nb: *x\n").unwrap(), json!({"a": [1, 2], "b": [1, 2]}));
        assert!(parse("a: *nowhere\n").is_err());
    }

    #[test]
    fn errors_carry_a_position() {
        let e = parse("rules:\n  - id: [a, b\n  - id: c\n").unwrap_err();
        assert!(e.contains("line 3"), "{e}");
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert!(e.contains("duplicate key `a`") && e.contains("line 2"), "{e}");
        let e = parse("{[a]: b}").unwrap_err();
        assert!(e.contains("mapping key"), "{e}");
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.contains("more than one YAML document"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for open in ["[", "{a: ", "- "] {
            let text = open.repeat(100_000);
            let e = parse(&text).unwrap_err();
            assert!(!e.is_empty());
        }
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}1{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().contains("nested more than"));
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
        let e = parse(&doc).unwrap_err();
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
