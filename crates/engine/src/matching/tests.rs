//! Matcher and formula tests, one function per construct, in oxc's pass/fail style: a pattern,
//! code it must match and code it must not.

use crate::matching::matcher::{Matcher, PatternIndex};
use crate::rules::pattern::compile_pattern;
use crate::rules::RuleSet;
use crate::semantic::SemanticModel;
use crate::syntax::parse::parse_module;
use crate::{Engine, Options};

/// The text of every place `pattern` matches in `code`, in the order the walk finds them.
fn found(pattern: &str, code: &str) -> Vec<String> {
    let p = compile_pattern(pattern).unwrap_or_else(|e| panic!("pattern `{pattern}`: {e}"));
    let pats = [p];
    let idx = PatternIndex::build(&pats);
    let parsed = parse_module(code);
    assert!(parsed.errors.is_empty(), "test code does not parse: {code}");
    let sem = SemanticModel::build(&parsed.module);
    let mut m = Matcher::new(code, &sem, &pats, &idx, &[true]);
    m.run(&parsed.module);
    m.results[0].iter().map(|x| code[x.span.start as usize..x.span.end as usize].to_string()).collect()
}

/// `pattern` must match somewhere in each `pass` snippet and nowhere in each `fail` snippet.
fn check(pattern: &str, pass: &[&str], fail: &[&str]) {
    for code in pass {
        assert!(!found(pattern, code).is_empty(), "`{pattern}` must match:\n{code}");
    }
    for code in fail {
        let got = found(pattern, code);
        assert!(got.is_empty(), "`{pattern}` must not match:\n{code}\nbut matched {got:?}");
    }
}

/// The lines a one-rule YAML file (rule id `t`) reports in `code`, through the whole engine
/// (rule loading, prefilter, index, formula evaluation).
fn rule_lines(rule_body: &str, code: &str) -> Vec<u32> {
    let mut e = Engine::from_rules(RuleSet::default());
    let yaml = format!("rules:\n  - id: t\n    message: m\n    severity: HIGH\n    languages: [python]\n{rule_body}");
    e.add_rules_yaml("t.yaml", &yaml).unwrap_or_else(|err| panic!("{err}\n{yaml}"));
    let mut lines: Vec<u32> = e.check_source("t.py", code, &Options::default()).findings.iter().map(|f| f.line).collect();
    lines.sort_unstable();
    lines
}

/// A rule with the single `pattern`, through the engine.
fn pattern_lines(pattern: &str, code: &str) -> Vec<u32> {
    rule_lines(&format!("    pattern: |\n      {}\n", pattern.replace('\n', "\n      ")), code)
}

// ---- imports ---------------------------------------------------------------------------

#[test]
fn imports_compare_names_not_pattern_offsets() {
    // The pattern's own offsets used to be read out of the user's file.
    assert_eq!(found("import os", "import re\nimport re\n"), Vec::<String>::new());
    assert_eq!(found("import os", "x = 1\nimport os\n"), vec!["import os"]);
    assert_eq!(pattern_lines("import os", "import re\nimport re\n"), Vec::<u32>::new());
    assert_eq!(pattern_lines("import os", "x = 1\nimport os\n"), vec![2]);
    assert_eq!(pattern_lines("from a import b", "x = 1\nfrom a import c, b\n"), vec![2]);
}

#[test]
fn imports() {
    check(
        "import os",
        &["import os", "import os as o", "import sys, os", "def f():\n    import os"],
        &["import re", "import os.path", "import oss", "from os import path", "import sys"],
    );
    check(
        "import a.b.c",
        &["import a.b.c", "from a.b import c", "from a.b import (x, c)", "from a.b import c as d"],
        &["import a.b", "from a import b", "from a.b import d", "from .a.b import c", "from a.b.c import x"],
    );
    check(
        "from a import b",
        &["from a import b", "from a import b, c", "from a import (c, b)", "from a import b as x"],
        &["from a import c", "from b import b", "import a.b", "from .a import b", "from a.x import b"],
    );
    check("from . import b", &["from . import b", "from . import a, b"], &["from a import b", "from .. import b"]);
    check("from ..m import b", &["from ..m import b"], &["from .m import b", "from m import b"]);
    check("import a as x", &["import a as x"], &["import a", "import a as y", "import b as x"]);
    check("from a import b as x", &["from a import b as x", "from a import c, b as x"], &["from a import b", "from a import x"]);
    check("from a import *", &["from a import *"], &["from a import b", "from b import *"]);
    check("import os, sys", &["import sys, os", "import os, re, sys"], &["import os", "import sys"]);
}

#[test]
fn imports_bind_metavariables() {
    assert_eq!(found("import $M", "import os\nimport a.b\n"), vec!["import os", "import a.b"]);
    assert_eq!(
        rule_lines(
            "    patterns:\n      - pattern: import $M as $A\n      - metavariable-regex:\n          metavariable: $A\n          regex: ^np$\n",
            "import numpy as np\nimport numpy as nm\nimport numpy\n",
        ),
        vec![1]
    );
    assert_eq!(
        rule_lines(
            "    patterns:\n      - pattern: from $M import $N\n      - metavariable-regex:\n          metavariable: $N\n          regex: ^loads$\n",
            "from pickle import dumps\nfrom pickle import dumps, loads\nfrom json import loads as l\n",
        ),
        vec![2, 3]
    );
    assert_eq!(
        rule_lines(
            "    patterns:\n      - pattern: from $M import $N\n      - metavariable-regex:\n          metavariable: $M\n          regex: ^os\\.path$\n",
            "from os.path import join\nfrom os import path\n",
        ),
        vec![1]
    );
    // One metavariable twice: the same name both times.
    check("import $X as $X", &["import x as x"], &["import x as y"]);
    // A metavariable alias needs an alias.
    check("import os as $A", &["import os as o"], &["import os"]);
}

// ---- lambda and comprehensions -----------------------------------------------------------

#[test]
fn lambdas() {
    check(
        "lambda x: x + 1",
        &["f = lambda x: x + 1", "g(lambda x: x+1)"],
        &["f = lambda y: y + 1", "f = lambda x: x + 2", "f = lambda x, y: x + 1"],
    );
    check("lambda $P: eval($P)", &["f = lambda s: eval(s)"], &["f = lambda s: eval(t)", "f = lambda: eval(s)"]);
    check("lambda $A, $B: os.system($B)", &["h = lambda a, b: os.system(b)"], &["h = lambda a, b: os.system(a)", "h = lambda a: os.system(a)"]);
    check("lambda: ...", &["f = lambda: 1", "f = lambda: g(x)"], &["f = lambda x: 1"]);
    // Lambdas are looked into: a call in the body is found as any call.
    check("eval(...)", &["f = lambda s: eval(s)"], &[]);
}

#[test]
fn comprehensions() {
    check(
        "[$E for $X in $Y]",
        &["l = [a for a in b]", "l = [f(a) for a in range(3)]"],
        &["l = {a for a in b}", "l = (a for a in b)", "l = [a for a in b if a]", "l = [a for a in b for c in a]"],
    );
    check("[$X for $X in $Y]", &["l = [a for a in b]"], &["l = [b for a in b]"]);
    // `...` among the conditions matches any number of them, none included.
    check("[... for $X in $Y if ...]", &["l = [a for a in b if a]", "l = [a for a in b if a if c]", "l = [a for a in b]"], &["l = {a for a in b}"]);
    check("[... for $X in $Y if $C]", &["l = [a for a in b if a]"], &["l = [a for a in b]", "l = [a for a in b if a if c]"]);
    check("{$K: $V for $K, $V in $D.items()}", &["d = {k: v for k, v in m.items()}"], &["d = {v: k for k, v in m.items()}", "d = {k: v for k, v in m.values()}"]);
    check("($E for $X in os.listdir(...))", &["g = (p for p in os.listdir('.'))"], &["g = [p for p in os.listdir('.')]", "g = (p for p in os.walk('.'))"]);
    check("{x for x in s}", &["t = {x for x in s}"], &["t = {y for y in s}", "t = [x for x in s]"]);
    // Through the engine: the pattern's own text is no longer compared with the file's.
    assert_eq!(pattern_lines("[x for x in y]", "z = 0\nl = [x for x in y]\nm = [q for q in y]\n"), vec![2]);
    assert_eq!(pattern_lines("lambda: 0", "a = 1\nf = lambda: 0\ng = lambda: 1\n"), vec![2]);
}
