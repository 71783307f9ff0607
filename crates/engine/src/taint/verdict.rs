//! Proving the value at a sink clean, for the pattern rules that defer to dataflow
//! (`metadata.pyward.verdict`).
//!
//! A taint rule follows data from its sources: a value it does not flag may still come from
//! anywhere (a parameter of unknown callers, a configuration object, a database row). To prove
//! that a value is *clean* (built only from constants and the rule's sanitizers), the same rule
//! is followed from every value the analysis cannot know instead ([`unknown_values`]):
//! parameters, calls it cannot see into, attributes, imported and unbound names, non-constant
//! globals, `yield`, exceptions. A sink that the analysis interpreted and that none of them
//! reaches ([`Proof::is_clean`]) receives a value that is the same whatever runs around it: `subprocess.run("ls -l", shell=True)`,
//! `cmd = "ls"; os.system(cmd)`, `"ls " + shlex.quote(name)`. `subprocess.run(cmd, shell=True)`
//! with `cmd` a parameter is not proven clean.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::rules::Propagation;
use crate::semantic::{ScopeId, SemanticModel};
use crate::syntax::ast::*;
use crate::syntax::visitor::{walk_body, walk_expr, Descend, Visitor};

use super::TaintOutcome;

/// Module functions whose value depends only on their arguments (the qualified name starts
/// with one of these): string, path and encoding helpers.
const PURE_MODULES: &[&str] = &[
    "os.path.", "posixpath.", "ntpath.", "shlex.", "base64.", "binascii.", "json.", "html.", "urllib.parse.", "string.",
    "textwrap.", "markupsafe.", "math.",
];

/// Single module functions and classes whose value depends only on their arguments.
const PURE_FUNCTIONS: &[&str] = &["re.escape", "pickle.dumps", "pathlib.Path", "pathlib.PurePath", "pathlib.PurePosixPath", "pathlib.PosixPath"];

/// Calls the propagation lists name that read data from outside the program (a file, a socket,
/// a response, the terminal): their value is never known.
const READS_OUTSIDE: &[&str] = &["read", "readline", "readlines", "recv", "recv_into", "recvfrom", "read_text", "read_bytes", "text", "json", "input"];

/// The ranges of the values that the analysis cannot know in `module`, to use as the sources of
/// a taint rule (see the module documentation), and the name of each function.
pub fn unknown_values(module: &Module, sem: &SemanticModel<'_>, propagation: &Propagation) -> Vec<Span> {
    let mut u = Unknowns { sem, propagation, scopes: vec![ScopeId::MODULE], out: Vec::new(), known: HashMap::default(), caught: HashSet::default() };
    walk_body(&mut u, &module.body, 0);
    u.out
}

/// Collects the unknown values (see [`unknown_values`]).
struct Unknowns<'s, 'a> {
    sem: &'s SemanticModel<'a>,
    propagation: &'s Propagation,
    /// The scope of the code being walked, innermost last.
    scopes: Vec<ScopeId>,
    out: Vec<Span>,
    /// [`Unknowns::known_value`] of the values of enclosing scopes' names, by their range.
    known: HashMap<Span, bool>,
    /// The names `except ... as name` binds, by scope: the exception is not a known value (the
    /// taint analysis binds the name to a clean one).
    caught: HashSet<(ScopeId, &'a str)>,
}

/// How deep [`Unknowns::known_value`] looks into a value (and the values its names hold).
const MAX_KNOWN_DEPTH: u32 = 8;

impl<'s, 'a> Unknowns<'s, 'a> {
    fn scope(&self) -> ScopeId {
        self.scopes.last().copied().unwrap_or(ScopeId::MODULE)
    }

    /// A name read here holds an unknown value: an import, a name no scope binds, a name
    /// rebound through `global`/`nonlocal`, or an enclosing scope's name without a literal
    /// value. (Names the code's own scope binds are followed by the taint analysis.)
    fn unknown_name(&mut self, name: &str, at: u32, depth: u32) -> bool {
        let scope = self.scope();
        if self.sem.resolve_import(scope, name).is_some() || self.sem.is_shared(name) || self.caught.contains(&(scope, name)) {
            return true;
        }
        match self.sem.binding_scope(scope, name) {
            Some(s) if s == scope => false,
            // A function's interpretation does not see its module's or enclosing function's
            // code run: only a value bound once, from constants, is known there.
            Some(_) => match self.sem.constant_value(scope, name, at) {
                Some(v) => !self.known_value(v, depth + 1),
                None => true,
            },
            None => true,
        }
    }

    /// Is the value of `e` the same whatever runs: literals, names bound once to such values,
    /// and containers, operators and [`Unknowns::known_call`]s of them?
    fn known_value(&mut self, e: &Expr, depth: u32) -> bool {
        if depth > MAX_KNOWN_DEPTH {
            return false;
        }
        if let Some(&k) = self.known.get(&e.span) {
            return k;
        }
        let k = match &e.kind {
            ExprKind::Str(_) | ExprKind::Bytes | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::NoneLit => true,
            ExprKind::Name(n) => !self.unknown_name(n, e.span.start, depth),
            ExprKind::Call { func, args, keywords } => {
                let receiver = match &func.kind {
                    ExprKind::Attribute { value, .. } if self.sem.qualified_name(self.scope(), func).is_none() => Some(&**value),
                    _ => None,
                };
                self.known_call(func)
                    && receiver.is_none_or(|r| self.known_value(r, depth + 1))
                    && args.iter().chain(keywords.iter().map(|k| &k.value)).all(|a| self.known_value(a, depth + 1))
            }
            ExprKind::BinOp { .. }
            | ExprKind::UnaryOp { .. }
            | ExprKind::BoolOp { .. }
            | ExprKind::Compare { .. }
            | ExprKind::FString(_)
            | ExprKind::List(_)
            | ExprKind::Tuple(_)
            | ExprKind::Set(_)
            | ExprKind::Dict(_)
            | ExprKind::Subscript { .. }
            | ExprKind::IfExp { .. } => {
                let mut parts = Vec::new();
                e.for_each_child(|c| parts.push(c));
                parts.into_iter().all(|c| self.known_value(c, depth + 1))
            }
            _ => false,
        };
        self.known.insert(e.span, k);
        k
    }

    /// Does the call's value depend only on its arguments and receiver (which the taint
    /// analysis follows)? A pure module function, a builtin or method that the propagation
    /// lists name (`str`, `.format`, `.join`, `len`), except those reading outside data.
    fn known_call(&self, func: &Expr) -> bool {
        let scope = self.scope();
        if let Some(q) = self.sem.qualified_name(scope, func) {
            return PURE_FUNCTIONS.contains(&q.as_str()) || PURE_MODULES.iter().any(|m| q.starts_with(m));
        }
        let name = match &func.kind {
            // A builtin: not a name the file binds (its own function, or a variable).
            ExprKind::Name(n) if self.sem.binding_scope(scope, n).is_none() => n.as_str(),
            ExprKind::Attribute { attr, .. } => attr.name.as_str(),
            _ => return false,
        };
        let p = self.propagation;
        (p.passes_through.contains(name) || p.returns_clean.contains(name)) && !READS_OUTSIDE.contains(&name)
    }

    /// A call: unknown unless [`Unknowns::known_call`]; its receiver (for a method) and its
    /// arguments are values, the path of a module function is not.
    fn call(&mut self, e: &'a Expr, func: &'a Expr, args: &'a [Expr], keywords: &'a [Keyword], depth: u32) {
        if !self.known_call(func) {
            self.out.push(e.span);
        }
        match &func.kind {
            ExprKind::Attribute { value, .. } if self.sem.qualified_name(self.scope(), func).is_none() => walk_expr(self, value, depth + 1),
            ExprKind::Attribute { .. } | ExprKind::Name(_) => {}
            _ => walk_expr(self, func, depth + 1),
        }
        for a in args {
            walk_expr(self, a, depth + 1);
        }
        for k in keywords {
            walk_expr(self, &k.value, depth + 1);
        }
    }
}

impl<'s, 'a> Visitor<'a> for Unknowns<'s, 'a> {
    fn enter_stmt(&mut self, s: &'a Stmt, _depth: u32) -> Descend {
        match &s.kind {
            // The name's range too: the analysis interprets only functions with a source in
            // them, and every function's sinks must be seen (an interpreted sink with no
            // unknown value reaching it is what proves it clean).
            StmtKind::FunctionDef(f) => self.out.extend(f.params.iter().map(|p| p.span).chain([f.name.span])),
            StmtKind::Try { handlers, .. } => {
                let scope = self.scope();
                self.caught.extend(handlers.iter().filter_map(|h| h.name.as_ref()).map(|n| (scope, n.name.as_str())));
            }
            _ => {}
        }
        Descend::Yes
    }

    fn blocks_of(&mut self, s: &'a Stmt) -> Descend {
        if matches!(s.kind, StmtKind::FunctionDef(_) | StmtKind::ClassDef(_)) {
            let inner = self.sem.body_scope(s.span.start).unwrap_or_else(|| self.scope());
            self.scopes.push(inner);
        }
        Descend::Yes
    }

    fn leave_stmt(&mut self, s: &'a Stmt) {
        if matches!(s.kind, StmtKind::FunctionDef(_) | StmtKind::ClassDef(_)) && self.scopes.len() > 1 {
            self.scopes.pop();
        }
    }

    fn enter_expr(&mut self, e: &'a Expr, depth: u32) -> Descend {
        match &e.kind {
            ExprKind::Name(n) => {
                if self.unknown_name(n, e.span.start, 0) {
                    self.out.push(e.span);
                }
                Descend::No
            }
            // An attribute read as a value (`self.cmd`, `settings.QUERY`, `os.environ`).
            ExprKind::Attribute { .. } => {
                self.out.push(e.span);
                Descend::No
            }
            ExprKind::Call { func, args, keywords } => {
                self.call(e, func, args, keywords, depth);
                Descend::No
            }
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => {
                self.out.push(e.span);
                Descend::Yes
            }
            _ => Descend::Yes,
        }
    }
}

/// What following a taint rule from [`unknown_values`] proved: which of its sinks were
/// interpreted, and which an unknown value reaches.
pub struct Proof {
    /// The rule's sink ranges that the analysis interpreted, sorted by start.
    seen: Vec<Span>,
    /// The sinks an unknown value reaches (directly, or through a parameter), sorted.
    reached: Vec<Span>,
    /// The analysis ran to its end (no budget or call depth cut it short).
    complete: bool,
}

impl Proof {
    /// From the rule's sinks in the file and the outcome of following it from the unknown
    /// values.
    pub fn new(outcome: &TaintOutcome) -> Proof {
        let mut reached: Vec<Span> = outcome.findings.iter().map(|f| f.sink).chain(outcome.param_sinks.iter().copied()).collect();
        reached.sort_unstable_by_key(|s| (s.start, s.end));
        Proof { seen: outcome.sinks_seen.clone(), reached, complete: !outcome.budget_spent && !outcome.calls_cut }
    }

    /// Is the value reaching the sink inside `at` (a pattern rule's match) proven clean: the
    /// analysis interpreted a sink of the rule there, and no unknown value reaches any sink
    /// there?
    pub fn is_clean(&self, at: Span) -> bool {
        let inside = |list: &[Span]| {
            let from = list.partition_point(|s| s.start < at.start);
            let to = list.partition_point(|s| s.start <= at.end);
            list.get(from..to).unwrap_or(&[]).iter().any(|s| s.end <= at.end)
        };
        self.complete && inside(&self.seen) && !inside(&self.reached)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Options, Severity};

    /// The (rule, line, severity) of each finding of the built-in rules in `src`.
    fn found(src: &str) -> Vec<(String, u32, Severity)> {
        let engine = Engine::builtin().expect("built-in rules load");
        let r = engine.check_source("t.py", src, &Options::default());
        r.findings.iter().map(|f| (f.rule_id.clone(), f.line, f.severity)).collect()
    }

    #[test]
    fn a_constant_or_quoted_command_is_not_reported_and_an_unknown_one_is() {
        let head = "import os, shlex, subprocess\n";
        for clean in [
            "subprocess.run(\"ls -l\", shell=True)\n".to_string(),
            "def f():\n    cmd = \"ls\"\n    subprocess.run(cmd, shell=True)\n".to_string(),
            "def f(name):\n    cmd = \"ls \" + shlex.quote(name)\n    subprocess.run(cmd, shell=True)\n".to_string(),
            "def f(name):\n    os.system(\"grep -r {} .\".format(shlex.quote(name)))\n".to_string(),
            "CMD = \"uptime\"\ndef f():\n    os.system(CMD)\n".to_string(),
        ] {
            let src = format!("{head}{clean}");
            assert!(found(&src).is_empty(), "{src}: {:?}", found(&src));
        }
        for unknown in [
            "def f(cmd):\n    subprocess.run(cmd, shell=True)\n",
            "def f(self):\n    subprocess.run(self.cmd, shell=True)\n",
            "def f():\n    cmd = load_command()\n    os.system(cmd)\n",
            "from config import CMD\ndef f():\n    os.system(CMD)\n",
            "def f(**kw):\n    os.system(kw[\"cmd\"])\n",
            "def f():\n    with open(\"c.txt\") as fh:\n        os.system(fh.read())\n",
            "def f(name):\n    cmd = \"ls\"\n    if name:\n        cmd = name\n    os.system(cmd)\n",
            "def f():\n    try:\n        run()\n    except Exception as e:\n        os.system(\"echo %s\" % e)\n",
            "handler = lambda c: os.system(c)\n",
            "CMD = \"ls \" + \"-l\"\ndef set_cmd(c):\n    global CMD\n    CMD = c\ndef f():\n    os.system(CMD)\n",
            "def f(cmds):\n    for c in cmds:\n        os.system(c)\n",
            "def f(name):\n    def g():\n        os.system(name)\n    g()\n",
        ] {
            let src = format!("{head}{unknown}");
            assert!(!found(&src).is_empty(), "{src}: {:?}", found(&src));
        }
    }

    #[test]
    fn a_call_dangerous_by_itself_stays_at_low_severity_on_constant_data() {
        let src = "import pickle\ndef f():\n    return pickle.loads(b\"\\x80\\x04K\\x01.\")\n";
        let f = found(src);
        assert_eq!(f, vec![("unsafe-deserialization-pickle".to_string(), 3, Severity::Low)], "{f:?}");
        let src = "import pickle\ndef f(blob):\n    return pickle.loads(blob)\n";
        let f = found(src);
        assert_eq!(f, vec![("unsafe-deserialization-pickle".to_string(), 3, Severity::Medium)], "{f:?}");
    }

    #[test]
    fn a_taint_finding_and_a_pattern_finding_on_one_line_and_cwe_are_one() {
        let src = "import os\nfrom flask import request\ndef r():\n    os.system(\"ping \" + request.args[\"h\"])\n";
        let f = found(src);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "tainted-os-command");
    }

    /// The work units of analysing `src` with the built-in rules, without those in `ignore`.
    fn work(src: &str, ignore: &[&str]) -> u64 {
        let engine = Engine::builtin().expect("built-in rules load");
        let opts = Options { ignore: ignore.iter().map(|s| s.to_string()).collect(), ..Options::default() };
        engine.check_source("t.py", src, &opts).work
    }

    #[test]
    fn a_pattern_finding_that_holds_a_flow_is_not_proven_again() {
        // The work the pattern rule adds: its own evaluation, and the proof of its findings
        // that wait for one.
        let added = |src: &str| work(src, &[]) - work(src, &["os-command-injection"]);
        let handlers = |route: &str, arg: &str| {
            let mut src = String::from("import os\nfrom flask import Flask, request\napp = Flask(__name__)\n");
            for i in 0..50 {
                src.push_str(&format!("{route}\ndef p{i}(h):\n    x = h.strip()\n    os.system('ping ' + {arg})\n    return 'ok'\n"));
            }
            src
        };
        // Every `os.system` call carries a flow from the request: nothing waits for a proof.
        // (Only the command findings: file-level rules may also report the Flask app.)
        let commands = |src: &str| found(src).into_iter().filter(|f| f.0.contains("command")).count();
        let flows = handlers("@app.route('/p')", "request.args['h']");
        assert_eq!(commands(&flows), 50);
        // Helpers, not views, without a flow: each call is proven (here: not clean, from a
        // parameter).
        let params = handlers("", "x");
        assert_eq!(commands(&params), 50);
        let (with_flows, without) = (added(&flows), added(&params));
        assert!(with_flows * 4 < without, "{with_flows} {without}");
    }

    #[test]
    fn the_proof_interprets_only_the_definitions_that_hold_a_sink() {
        // The proof's work does not grow with functions that hold no sink, even when they
        // call the one that does.
        let with = |n: usize| {
            let mut src = String::from("import os\ndef run():\n    os.system(\"ls\")\n");
            for i in 0..n {
                src.push_str(&format!("def f{i}(x):\n    y = x + '{i}'\n    run()\n    return f{}(y)\n", i + 1));
            }
            assert!(!found(&src).iter().any(|f| f.0.contains("command")), "{src}");
            // The work the pattern rule adds: its evaluation and the proof of its finding.
            work(&src, &[]) - work(&src, &["os-command-injection"])
        };
        let (small, big) = (with(10), with(400));
        assert!(big < small + 2_000, "{small} {big}");
        // A value from one of the file's functions is still not known.
        let src = "import os\ndef cmd():\n    return \"ls\"\ndef f():\n    os.system(cmd())\n";
        assert_eq!(found(src).len(), 1, "{:?}", found(src));
    }
}
