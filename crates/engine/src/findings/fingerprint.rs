//! Finding fingerprints that survive code moving up and down a file: the key of a baseline
//! (`pyward scan --baseline`) and SARIF's `partialFingerprints`.
//!
//! A fingerprint hashes the rule id, the file's path, the flagged code without its whitespace,
//! the name of the enclosing function or class (`Class.method`, empty at module level) and the
//! occurrence index among the file's findings with the same four values. Line numbers take no
//! part: blank lines or new functions above a finding leave it unchanged.

use std::collections::{BTreeMap, HashMap};

use crate::syntax::ast::{Stmt, StmtKind};
use crate::syntax::visitor::{walk_body, Descend, Visitor};
use crate::report::Report;
use crate::{FileResult, Finding};

/// The enclosing function or class of each finding, by the finding's start offset; findings
/// at module level have no entry.
pub type Scopes = BTreeMap<u32, String>;

/// The enclosing scope of each finding of a file parsed as `body`: one walk collects the
/// functions and classes with their dotted names (in start order, ranges that nest or are
/// disjoint), then one sweep over the findings' offsets, in order, keeps the stack of those
/// holding the offset. A walk per finding made a file with many findings quadratic.
pub fn scopes(body: &[Stmt], findings: &[Finding]) -> Scopes {
    struct Defs<'a> {
        names: Vec<&'a str>,
        out: Vec<(u32, u32, String)>,
    }
    impl<'a> Visitor<'a> for Defs<'a> {
        fn enter_stmt(&mut self, s: &'a Stmt, _depth: u32) -> Descend {
            let name = match &s.kind {
                StmtKind::FunctionDef(def) => def.name.name.as_str(),
                StmtKind::ClassDef(def) => def.name.name.as_str(),
                _ => return Descend::Yes,
            };
            self.names.push(name);
            self.out.push((s.span.start, s.span.end.max(s.span.start + 1), self.names.join(".")));
            Descend::Yes
        }

        fn leave_stmt(&mut self, s: &'a Stmt) {
            if matches!(s.kind, StmtKind::FunctionDef(_) | StmtKind::ClassDef(_)) {
                self.names.pop();
            }
        }

        fn exprs_of(&mut self, _s: &'a Stmt) -> Descend {
            Descend::No
        }
    }
    let mut out = Scopes::new();
    if findings.is_empty() {
        return out;
    }
    let mut defs = Defs { names: Vec::new(), out: Vec::new() };
    walk_body(&mut defs, body, 0);
    let mut offsets: Vec<u32> = findings.iter().map(|f| f.start_offset).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut open: Vec<&(u32, u32, String)> = Vec::new();
    let mut next = defs.out.iter().peekable();
    for offset in offsets {
        while let Some(d) = next.next_if(|d| d.0 <= offset) {
            while open.last().is_some_and(|o| o.1 <= d.0) {
                open.pop();
            }
            open.push(d);
        }
        while open.last().is_some_and(|o| o.1 <= offset) {
            open.pop();
        }
        if let Some(d) = open.last() {
            out.insert(offset, d.2.clone());
        }
    }
    out
}

/// The flagged code without its whitespace (line breaks and indentation included), so that
/// reformatting (`f(a,b)` to `f(a, b)`, a call wrapped over lines) keeps the fingerprint: the
/// region when the finding quotes it, else its lines.
pub fn normalised_snippet(f: &Finding) -> String {
    let text = f.region.as_deref().unwrap_or(&f.snippet);
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The fingerprints of `findings`, in their order; `scope` gives a finding's enclosing scope
/// (from the table of its file, see [`scopes`]). Equal keys are numbered in the order the
/// findings come (the path is part of the key: a list may hold several files).
pub fn fingerprints<'a>(findings: &[Finding], scope: impl Fn(&Finding) -> Option<&'a str>) -> Vec<String> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let snippet = normalised_snippet(f);
            let key = fnv1a([f.rule_id.as_str(), f.path.as_str(), scope(f).unwrap_or(""), snippet.as_str()]);
            let n = seen.entry(key).or_insert(0);
            let index = *n;
            *n += 1;
            format!("{:016x}", fnv1a([key.to_string().as_str(), index.to_string().as_str()]))
        })
        .collect()
}

/// The fingerprints of one file's findings, in their order.
pub fn file_fingerprints(file: &FileResult) -> Vec<String> {
    fingerprints(&file.findings, |f| file.scopes.get(&f.start_offset).map(String::as_str))
}

impl Report {
    /// Each finding's fingerprint, in the order of `findings`.
    pub fn fingerprints(&self) -> Vec<String> {
        fingerprints(&self.findings, |f| self.scopes.get(&f.path).and_then(|s| s.get(&f.start_offset)).map(String::as_str))
    }
}

/// 64-bit FNV-1a over the parts, each followed by a zero byte (so parts cannot run together).
fn fnv1a<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Options};

    /// The reference for [`scopes`]: one walk per offset.
    /// The dotted name of the innermost functions and classes holding `offset` (`Service.run`),
    /// or an empty string at module level. The walk is depth-bounded like every walk of the tree.
    fn enclosing_scope(body: &[Stmt], offset: u32) -> String {
        struct Path<'a> {
            offset: u32,
            names: Vec<&'a str>,
        }
        impl<'a> Visitor<'a> for Path<'a> {
            fn enter_stmt(&mut self, s: &'a Stmt, _depth: u32) -> Descend {
                // Statements of a block are disjoint: only the one holding the offset is entered.
                if !(s.span.start <= self.offset && self.offset < s.span.end.max(s.span.start + 1)) {
                    return Descend::No;
                }
                match &s.kind {
                    StmtKind::FunctionDef(def) => self.names.push(def.name.name.as_str()),
                    StmtKind::ClassDef(def) => self.names.push(def.name.name.as_str()),
                    _ => {}
                }
                Descend::Yes
            }

            fn exprs_of(&mut self, _s: &'a Stmt) -> Descend {
                Descend::No
            }
        }
        let mut v = Path { offset, names: Vec::new() };
        walk_body(&mut v, body, 0);
        v.names.join(".")
    }

    fn prints(src: &str) -> Vec<(u32, String)> {
        let engine = Engine::builtin().expect("built-in rules load");
        let r = engine.check_source("app.py", src, &Options::default());
        r.findings.iter().map(|f| f.line).zip(file_fingerprints(&r)).collect()
    }

    #[test]
    fn scope_names_nest() {
        let src = "x = 1\nclass A:\n    def run(self):\n        eval(x)\n";
        let parsed = crate::syntax::parse::parse_module(src);
        let at = |needle: &str| src.find(needle).expect("needle") as u32;
        assert_eq!(enclosing_scope(&parsed.module.body, at("eval")), "A.run");
        assert_eq!(enclosing_scope(&parsed.module.body, at("x = 1")), "");
    }

    /// The one-sweep table agrees with the walk per offset, at every offset of a file with
    /// nested and sibling functions and classes.
    #[test]
    fn one_sweep_gives_each_offset_its_innermost_scope() {
        let src = "x = 1\nclass A:\n    def run(self):\n        def inner():\n            eval(data)\n        eval(data)\n    y = 2\ndef f():\n    eval(data)\neval(data)\nclass B:\n    pass\n";
        let engine = Engine::builtin().expect("built-in rules load");
        let r = engine.check_source("app.py", src, &Options::default());
        let template = r.findings.first().expect("a finding").clone();
        let parsed = crate::syntax::parse::parse_module(src);
        let n = src.len() as u32;
        // In reverse order, twice: the table does not depend on the findings' order.
        let findings: Vec<Finding> = (0..n).rev().chain(0..n).map(|o| Finding { start_offset: o, ..template.clone() }).collect();
        let table = scopes(&parsed.module.body, &findings);
        for o in 0..n {
            assert_eq!(table.get(&o).map(String::as_str).unwrap_or(""), enclosing_scope(&parsed.module.body, o), "offset {o}");
        }
        assert!(table.values().any(|v| v == "A.run.inner") && table.values().any(|v| v == "B"));
    }

    #[test]
    fn moving_code_keeps_fingerprints_and_duplicates_are_numbered() {
        let before = "def f(x):\n    eval(x)\n    eval(x)\n";
        let after = "import os\n\n\ndef g():\n    pass\n\n\ndef f(x):\n\n    eval( x )\n    eval(x)\n";
        let (a, b) = (prints(before), prints(after));
        assert_eq!(a.len(), 2, "{a:?}");
        assert_ne!(a[0].1, a[1].1, "equal findings are told apart by their index");
        let fa: Vec<&String> = a.iter().map(|p| &p.1).collect();
        let fb: Vec<&String> = b.iter().map(|p| &p.1).collect();
        assert_eq!(fa, fb);
        assert_ne!(a[0].0, b[0].0, "the lines moved");
        let other_scope = prints("def h(x):\n    eval(x)\n");
        assert_ne!(other_scope[0].1, a[0].1, "another function is another finding");
    }
}
