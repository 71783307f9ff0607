//! Guards that clean more than the expression they test.
//!
//! A rule's `by-guard` sanitizers say which expression a condition cleans
//! ([`Analyzer::guards`]). A check on the parts of a parsed URL cleans the URL too:
//! `parsed = urlparse(url)`, then `if parsed.netloc not in ALLOWED: abort(400)` leaves `url`
//! clean where the check passed, when the rule's guard cleans `parsed` (the SSRF and
//! open-redirect rules' host and scheme checks do).

//!
//! A helper of the file can guard its caller's value too:
//! - a check that raises: `def reject_traversal(name): if ".." in name: raise ValueError()`,
//!   called as a statement (`reject_traversal(name)`), leaves the argument clean after the call
//!   as the check itself would ([`Analyzer::rejected_by_call`]);
//! - a predicate: `def is_safe(name): return ".." not in name` cleans the argument where
//!   `is_safe(name)` holds, in any condition ([`Analyzer::guards`]).
//!
//! Each helper is read once per rule (cached by its range); a helper reached again while it is
//! being read (recursion) guards nothing.

use super::containers::Shape;
use super::*;


/// What a helper of the file guards, by parameter index.
#[derive(Default)]
pub(super) struct HelperGuards {
    /// Parameters that hold no bad value once the helper returns (it raises on one).
    rejects: Vec<u32>,
    /// Parameters cleaned where the helper's (boolean) result is true, and where it is false.
    when_true: Vec<u32>,
    when_false: Vec<u32>,
}

impl<'a> Analyzer<'a> {
    /// Paths cleaned where the condition holds (`.0`) and where it fails (`.1`).
    pub(super) fn guards(&self, fr: &Frame<'a>, test: &'a Expr, depth: u32) -> (Vec<String>, Vec<String>) {
        if depth > MAX_DEPTH {
            return Default::default();
        }
        let mut when_true = Vec::new();
        let mut when_false = Vec::new();
        match &test.kind {
            ExprKind::UnaryOp { op: UnaryOp::Not, operand } => {
                let (t, f) = self.guards(fr, operand, depth + 1);
                return (f, t);
            }
            ExprKind::BoolOp { op: BoolOp::And, values } => {
                for v in values {
                    when_true.extend(self.guards(fr, v, depth + 1).0);
                }
            }
            ExprKind::BoolOp { op: BoolOp::Or, values } => {
                for v in values {
                    when_false.extend(self.guards(fr, v, depth + 1).1);
                }
            }
            // `is_safe(name)`: a predicate of the file.
            ExprKind::Call { func, args, keywords } => {
                if let Some(f) = self.resolve(fr, func) {
                    let g = self.helper_guards(f, depth);
                    when_true.extend(self.argument_paths(f, args, keywords, &g.when_true));
                    when_false.extend(self.argument_paths(f, args, keywords, &g.when_false));
                }
            }
            _ => {}
        }
        // Guard sanitizers whose match lies in this condition (not inside a nested and/or,
        // which the cases above handle).
        let inner_bool = matches!(test.kind, ExprKind::BoolOp { .. } | ExprKind::UnaryOp { op: UnaryOp::Not, .. });
        if !inner_bool {
            for &(span, guard) in self.guard_sanitizers.inside(test.span) {
                let Some(p) = find_expr(test, span).and_then(|x| self.path_of(x)) else { continue };
                match guard {
                    Guard::WhenTrue => when_true.push(p),
                    Guard::WhenFalse => when_false.push(p),
                    Guard::No => {}
                }
            }
        }
        (when_true, when_false)
    }

    /// The argument paths a statement `helper(x)` leaves clean: those of the parameters the
    /// helper rejects bad values of.
    pub(super) fn rejected_by_call(&self, fr: &Frame<'a>, e: &'a Expr) -> Vec<String> {
        let ExprKind::Call { func, args, keywords } = &e.kind else { return Vec::new() };
        if self.guard_sanitizers.is_empty() {
            return Vec::new();
        }
        match self.resolve(fr, func) {
            Some(f) => {
                let g = self.helper_guards(f, 0);
                self.argument_paths(f, args, keywords, &g.rejects)
            }
            None => Vec::new(),
        }
    }

    /// The access paths of the arguments that a call passes to parameters `params` of `f`
    /// (plain positional or keyword parameters; starred arguments end the positional match).
    fn argument_paths(&self, f: FnRef<'a>, args: &'a [Expr], keywords: &'a [Keyword], params: &[u32]) -> Vec<String> {
        if params.is_empty() {
            return Vec::new();
        }
        let skip = usize::from(f.method);
        let mut out = Vec::new();
        for &i in params {
            let i = i as usize;
            let Some(p) = f.def.params.get(i) else { continue };
            let by_position = i.checked_sub(skip).filter(|_| p.kind == ParamKind::Positional).and_then(|j| {
                let before = args.get(..=j)?;
                if before.iter().any(|a| matches!(a.kind, ExprKind::Starred(_))) {
                    return None;
                }
                args.get(j)
            });
            let by_name = || keywords.iter().find(|k| k.arg.as_ref().is_some_and(|a| a.name == p.name.name)).map(|k| &k.value);
            if let Some(path) = by_position.or_else(by_name).and_then(|a| self.path_of(a)) {
                out.push(path);
            }
        }
        out
    }

    /// What helper `f` guards, read once per rule.
    fn helper_guards(&self, f: FnRef<'a>, depth: u32) -> Rc<HelperGuards> {
        if let Some(g) = self.helper_guards.borrow().get(&f.span) {
            return g.clone();
        }
        // Recursion (and helpers nested too deep) guard nothing.
        self.helper_guards.borrow_mut().insert(f.span, Rc::default());
        let g = Rc::new(self.read_helper_guards(f, depth));
        self.helper_guards.borrow_mut().insert(f.span, g.clone());
        g
    }

    fn read_helper_guards(&self, f: FnRef<'a>, depth: u32) -> HelperGuards {
        let mut g = HelperGuards::default();
        if depth > MAX_DEPTH {
            return g;
        }
        let scope = self.sem.body_scope(f.span.start).unwrap_or(ScopeId::MODULE);
        let hfr = Frame::new(None, f.class, scope);
        // A path names a parameter that the helper never binds again.
        let param_of = |path: &String| -> Option<u32> {
            let i = f.def.params.iter().position(|p| p.name.name == path.as_str() && matches!(p.kind, ParamKind::Positional | ParamKind::KwOnly))?;
            (self.sem.times_bound(scope, path) == 1).then_some(i as u32)
        };
        let body = match f.def.body.as_slice() {
            [Stmt { kind: StmtKind::Expr(doc), .. }, rest @ ..] if matches!(doc.kind, ExprKind::Str(_)) => rest,
            all => all,
        };
        // A predicate: `return <condition>` is all it does.
        if let [Stmt { kind: StmtKind::Return(Some(v)), .. }] = body {
            let (t, f_) = self.guards(&hfr, v, depth + 1);
            g.when_true = params_in(t.iter().filter_map(param_of));
            g.when_false = params_in(f_.iter().filter_map(param_of));
            return g;
        }
        // Checks that raise, before anything that can return.
        for s in body {
            self.spend(STMT_WORK);
            if has_return(s) {
                break;
            }
            if let StmtKind::If { branches } = &s.kind {
                if let [Branch { test: Some(test), body: b, .. }] = branches.as_slice() {
                    if b.last().is_some_and(ends_path) {
                        let (_, when_false) = self.guards(&hfr, test, depth + 1);
                        g.rejects.extend(when_false.iter().filter_map(param_of));
                    }
                }
            }
        }
        g.rejects = params_in(g.rejects.drain(..));
        g
    }
    /// Paths cleaned where `test` holds (`.0`) and where it fails (`.1`): the rule's guards,
    /// and the URLs that the cleaned variables were parsed from.
    pub(super) fn guard_paths(&self, fr: &Frame<'a>, test: &'a Expr) -> (Vec<String>, Vec<String>) {
        let (mut when_true, mut when_false) = self.guards(fr, test, 0);
        for paths in [&mut when_true, &mut when_false] {
            let parsed_from: Vec<String> = paths
                .iter()
                .filter_map(|p| match fr.env.shape(p) {
                    Some(Shape::Url(url)) => Some(url.clone()),
                    _ => None,
                })
                .collect();
            paths.extend(parsed_from);
        }
        (when_true, when_false)
    }
}

/// Parameter indices, each once (`p(x) or p(x)` names `x` twice: kept twice, a chain of
/// such helpers would double the list at each level).
fn params_in(ps: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut v: Vec<u32> = ps.collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A statement that ends the path (its caller's too): `raise`, `abort(...)`, `sys.exit(...)`.
pub(super) fn ends_path(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::Raise { .. } => true,
        StmtKind::Expr(Expr { kind: ExprKind::Call { func, .. }, .. }) => matches!(callee_name(func), "abort" | "exit" | "_exit"),
        _ => false,
    }
}

/// Does a statement hold a `return` of its own function (not of a nested one)?
fn has_return(s: &Stmt) -> bool {
    struct Find(bool);
    impl<'a> Visitor<'a> for Find {
        fn enter_stmt(&mut self, s: &'a Stmt, _depth: u32) -> Descend {
            match &s.kind {
                StmtKind::Return(_) => {
                    self.0 = true;
                    Descend::No
                }
                StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => Descend::No,
                _ if self.0 => Descend::No,
                _ => Descend::Yes,
            }
        }
        fn exprs_of(&mut self, _s: &'a Stmt) -> Descend {
            Descend::No
        }
    }
    let mut v = Find(false);
    walk_stmt(&mut v, s, 0);
    v.0
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Options};

    /// A rule whose guard cleans the variable whose host is checked (as the SSRF rule's), and
    /// the generic allow-list (which cleans only the checked expression).
    const RULE: &str = r#"
rules:
  - id: t-url
    mode: taint
    message: request data reaches a fetch
    severity: HIGH
    pattern-sources:
      - pattern: flask.request.args
    pattern-sinks:
      - patterns:
          - pattern: fetch($U)
          - focus-metavariable: $U
    pattern-sanitizers:
      - by-guard: negated
        patterns:
          - pattern: $X not in $ALLOWED
          - focus-metavariable: $X
      - by-guard: negated
        patterns:
          - pattern: $P.netloc not in $ALLOWED
          - focus-metavariable: $P
"#;

    fn lines(body: &str) -> Vec<u32> {
        let prelude = "from flask import request, abort\nfrom urllib.parse import urlparse, urlsplit\ndef v(c):\n    u = request.args['u']\n";
        super::super::tests::lines_of(Some(RULE), "t-url", prelude, &super::super::tests::in_function(body))
    }

    #[test]
    fn a_check_on_a_parsed_url_cleans_the_url_it_was_parsed_from() {
        assert_eq!(lines("p = urlparse(u)\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), Vec::<u32>::new());
        assert_eq!(lines("p = urlsplit(u)\nif p.netloc not in OK:\n    return None\nfetch(u)\nfetch(p.geturl())\n"), Vec::<u32>::new());
        // Where the check fails, or when it does not stop the request: still tainted.
        assert_eq!(lines("p = urlparse(u)\nif p.netloc not in OK:\n    fetch(u)\n"), vec![3]);
        assert_eq!(lines("p = urlparse(u)\nif p.netloc not in OK:\n    print(p)\nfetch(u)\n"), vec![4]);
        // A variable parsed from another URL, or bound again since, cleans nothing of `u`.
        assert_eq!(lines("p = urlparse(c)\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), vec![4]);
        assert_eq!(lines("p = urlparse(u)\np = c\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), vec![5]);
        // Parsed on one path only: the link is not known after the join.
        assert_eq!(lines("p = c\nif c:\n    p = urlparse(u)\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), vec![6]);
    }

    /// Checks in helpers of the file, with the rule's guard `$X not in $ALLOWED` (negated).
    fn with_helpers(helpers: &str, body: &str) -> Vec<u32> {
        let prelude = format!("from flask import request, abort\n{helpers}def v(c):\n    u = request.args['u']\n");
        super::super::tests::lines_of(Some(RULE), "t-url", &prelude, &super::super::tests::in_function(body))
    }

    #[test]
    fn a_helper_that_raises_on_a_bad_value_guards_its_argument() {
        let h = "def check(x, y=None):\n    '''Refuses what is not allowed.'''\n    if x not in OK:\n        raise ValueError(x)\n";
        assert_eq!(with_helpers(h, "check(u)\nfetch(u)\n"), Vec::<u32>::new());
        assert_eq!(with_helpers(h, "check(x=u)\nfetch(u)\n"), Vec::<u32>::new());
        // The other parameter, a call in an expression, or before the check: no guard.
        assert_eq!(with_helpers(h, "check(c, u)\nfetch(u)\n"), vec![2]);
        assert_eq!(with_helpers(h, "fetch(u)\ncheck(u)\n"), vec![1]);
        assert_eq!(with_helpers(h, "check(*[u])\nfetch(u)\n"), vec![2]);
        // A helper that can return before its check, that rebinds the parameter, or that only
        // logs: no guard.
        let early = "def check(x, strict):\n    if not strict:\n        return\n    if x not in OK:\n        raise ValueError(x)\n";
        assert_eq!(with_helpers(early, "check(u, c)\nfetch(u)\n"), vec![2]);
        let rebinds = "def check(x):\n    x = x.strip()\n    if x not in OK:\n        raise ValueError(x)\n";
        assert_eq!(with_helpers(rebinds, "check(u)\nfetch(u)\n"), vec![2]);
        let logs = "def check(x):\n    if x not in OK:\n        print(x)\n";
        assert_eq!(with_helpers(logs, "check(u)\nfetch(u)\n"), vec![2]);
    }

    #[test]
    fn a_predicate_helper_guards_where_it_holds() {
        let h = "def blocked(x):\n    return x not in OK\n";
        assert_eq!(with_helpers(h, "if blocked(u):\n    abort(400)\nfetch(u)\n"), Vec::<u32>::new());
        assert_eq!(with_helpers(h, "if not blocked(u):\n    fetch(u)\nfetch(u)\n"), vec![3]);
        assert_eq!(with_helpers(h, "blocked(u)\nfetch(u)\n"), vec![2]);
    }

    /// Helpers calling each other: each is read once per rule, so a chain that doubles at every
    /// level costs linear work, and recursion guards nothing (and ends).
    #[test]
    fn helpers_are_read_once_and_recursion_ends() {
        let mut chain = String::from("def p0(x):\n    return x not in OK\n");
        for i in 1..40 {
            chain.push_str(&format!("def p{i}(x):\n    return p{j}(x) or p{j}(x)\n", j = i - 1));
        }
        assert_eq!(with_helpers(&chain, "if p39(u):\n    abort(400)\nfetch(u)\n"), Vec::<u32>::new());
        let mutual = "def a(x):\n    return b(x)\ndef b(x):\n    return a(x)\n";
        assert_eq!(with_helpers(mutual, "if a(u):\n    abort(400)\nfetch(u)\n"), vec![3]);
    }

    #[test]
    fn the_generic_allow_list_cleans_only_the_part_it_checks() {
        // `$X not in $ALLOWED` cleans `p.netloc` itself, not the URL: a rule must say that a
        // host check is enough (as the SSRF and open-redirect rules do).
        let rule = RULE.replace("          - pattern: $P.netloc not in $ALLOWED\n          - focus-metavariable: $P\n", "          - pattern: $P.nothing not in $ALLOWED\n          - focus-metavariable: $P\n");
        let mut e = Engine::builtin().expect("rules");
        e.add_rules_yaml("t.yaml", &rule).expect("rule");
        let opts = Options { select: vec!["t-url".into()], ..Options::default() };
        let src = "from flask import request, abort\nfrom urllib.parse import urlparse\ndef v():\n    u = request.args['u']\n    p = urlparse(u)\n    if p.netloc not in OK:\n        abort(400)\n    fetch(u)\n";
        let lines: Vec<u32> = e.check_source("t.py", src, &opts).findings.into_iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![8]);
    }
}
