//! Adversarial inputs: each reproducer of a crash, blow-up or silent loss, generated here at
//! a size that used to fail. Each test asserts that the analysis completes, that it says so
//! where part of the file was not analysed, and that nothing is lost silently.

use pyward_engine::{Engine, FileResult, Options};

fn scan(src: &str) -> FileResult {
    let engine = Engine::builtin().expect("built-in rules load");
    engine.check_source("adversarial.py", src, &Options::default())
}

const FLASK: &str = "from flask import Flask, request\nimport os\napp = Flask(__name__)\n";

/// `n` helpers, each calling the previous two: traces used to grow exponentially with `n`
/// (24 helpers overflowed the stack freeing them; 28 used 1 GB).
fn fibonacci_helpers(n: usize) -> String {
    let mut out = format!("{FLASK}def f0(x):\n    return x\ndef f1(x):\n    return x\n");
    for i in 2..n {
        out.push_str(&format!("def f{i}(x):\n    x = f{}(x)\n    x = f{}(x)\n    return x\n", i - 2, i - 1));
    }
    out.push_str(&format!("@app.route('/')\ndef r():\n    os.system(f{}(request.args['q']))\n", n - 1));
    out
}

/// `n` helpers, each calling the next, the last one running its argument: building their
/// summaries recursed once per helper (800 overflowed the CLI's stack).
fn call_chain(n: usize) -> String {
    let mut out = format!("{FLASK}def f{n}(x):\n    os.system(x)\n");
    for i in (0..n).rev() {
        out.push_str(&format!("def f{i}(x):\n    f{}(x)\n", i + 1));
    }
    out.push_str("@app.route('/')\ndef r():\n    f0(request.args['q'])\n");
    out
}

/// `n` tainted variables, each cleaned under its own `if`, all reaching one sink: copying the
/// taint state at each branch made this quadratic.
fn tainted_branches(n: usize) -> String {
    let mut out = format!("{FLASK}@app.route('/')\ndef r():\n");
    for i in 0..n {
        out.push_str(&format!("    v{i} = request.args['a{i}']\n    if v{i}:\n        v{i} = v{i}.strip()\n"));
    }
    let used: Vec<String> = (0..n).step_by((n / 20).max(1)).map(|i| format!("v{i}")).collect();
    out.push_str(&format!("    os.system({})\n", used.join(" + ")));
    out
}

#[test]
fn helpers_calling_the_previous_two_keep_bounded_traces() {
    for n in [16, 24, 32] {
        let r = scan(&fibonacci_helpers(n));
        let flows: Vec<_> = r.findings.iter().filter(|f| f.rule_id == "tainted-os-command").collect();
        assert_eq!(flows.len(), 1, "n={n}: one flow into os.system: {:?}", r.findings.iter().map(|f| &f.rule_id).collect::<Vec<_>>());
        assert!(flows[0].trace.len() <= 24, "n={n}: trace of {} steps", flows[0].trace.len());
        assert!(flows[0].trace.first().is_some_and(|s| s.label.starts_with("source")));
        assert!(flows[0].trace.last().is_some_and(|s| s.label.starts_with("sink")));
    }
}

#[test]
fn a_long_chain_of_helpers_completes_and_says_where_it_stopped() {
    // Short chains are followed to the sink.
    let r = scan(&call_chain(10));
    assert!(r.findings.iter().any(|f| f.rule_id == "tainted-os-command"), "{:?}", r.findings);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    // Long ones complete, and the result says the flow was not followed to the end.
    for n in [100, 800, 1600] {
        let r = scan(&call_chain(n));
        assert!(
            r.errors.iter().any(|e| e.message.contains("not followed")),
            "n={n}: the cut must be reported: {:?}",
            r.errors
        );
    }
}

/// Valid code that CPython compiles is not refused: a long `and` chain is analysed whole, and
/// a statement nested too deeply for pyward's tree is skipped on its own, with an error at it,
/// while the vulnerable line after it is still found. The file never reads as clean.
#[test]
fn deep_valid_code_is_skipped_by_statement_not_by_file() {
    let ands = vec!["a"; 1100].join(" and ");
    let r = scan(&format!("import os\nx = {ands}\nos.system(input())\n"));
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert!(r.findings.iter().any(|f| f.line == 3), "{:?}", r.findings);

    let sum = vec!["1"; 1200].join(" + ");
    let r = scan(&format!("import os\nx = {sum}\nos.system(input())\n"));
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].line, Some(2));
    assert!(r.errors[0].message.contains("not analysed"), "{}", r.errors[0].message);
    assert!(r.findings.iter().any(|f| f.line == 3), "{:?}", r.findings);
}

/// 20,000 nested lambdas used to overflow the stack (5,000 in WebAssembly), and 1,300 passed
/// the pre-scan but lost the code after them without a word.
#[test]
fn nested_lambdas_are_refused_with_an_error_never_silently() {
    for n in [1300, 5000, 20_000] {
        let r = scan(&format!("import os\nf = {}0\nos.system(input())\n", "lambda: ".repeat(n)));
        let said = !r.errors.is_empty();
        let found = r.findings.iter().any(|f| f.line == 3);
        assert!(said, "n={n}: the deep statement must be reported");
        // Only that statement is skipped: the vulnerable line after it is still found.
        assert!(found, "n={n}: {:?}", r.findings);
    }
}

fn scan_with_rule(rule: &str, src: &str) -> FileResult {
    let mut engine = Engine::builtin().expect("built-in rules load");
    engine.add_rules_yaml("user.yaml", rule).expect("the user rule loads");
    engine.check_source("adversarial.py", src, &Options::default())
}

/// A user rule whose matching is inherently of high degree (a metavariable bound by one `...`
/// and compared after another, over distinct arguments) runs out of its work budget: the
/// error names it, and the built-in rules' findings in the same file still show.
#[test]
fn a_backtracking_user_rule_runs_out_of_budget_and_says_so() {
    let rule = user_rule("slow-rule", "pattern: f(..., $A, ..., $B, ..., $A, ..., $B, ..., 0)");
    let args = (0..200).map(|i| format!("x{i}")).collect::<Vec<_>>().join(", ");
    let src = format!("import os\nf({args})\nos.system(input())\n");
    let r = scan_with_rule(&rule, &src);
    assert!(r.errors.iter().any(|e| e.message.contains("slow-rule") && e.message.contains("work budget")), "{:?}", r.errors);
    // The work is bounded in the engine's own units: the pattern's budget, plus the others'.
    let budget = pyward_engine::matching::matcher::work_budget(src.len());
    assert!(r.work <= 2 * budget, "work {} against a budget of {budget}", r.work);
    assert!(r.findings.iter().any(|f| f.line == 3), "built-in findings still show: {:?}", r.findings);
    // The budget is a bound on work, whatever the machine: a second, larger call costs no more
    // than the budget allows (it is per pattern and file).
    let src = format!("import os\nf({args})\nf({args}, {args})\nos.system(input())\n");
    let r = scan_with_rule(&rule, &src);
    assert_eq!(r.errors.iter().filter(|e| e.message.contains("slow-rule")).count(), 1, "{:?}", r.errors);
}

/// A user rule `id` whose matching part is `body` (one line of YAML).
fn user_rule(id: &str, body: &str) -> String {
    format!("rules:\n  - id: {id}\n    languages: [python]\n    severity: LOW\n    message: m\n    {body}\n")
}

/// Patterns with several `...` in an argument list, a list or a statement sequence: each
/// reproducer backtracked for minutes (43.6 s on a 200-argument call; over 120 s on 300
/// statements) or ran out of its budget. Failures are remembered, so each completes with the
/// right answer, and twice the input costs about four times the work (the square of the
/// length, not its power by the number of `...`s).
#[test]
fn ellipsis_matching_completes_in_polynomial_work() {
    let seq = "pattern: |\n      $X = 1\n      ...\n      $Y = 2\n      ...\n      $Z = 3\n      ...\n      foo()";
    type Family = (&'static str, String, fn(usize, bool) -> String);
    let families: Vec<Family> = vec![
        ("call", user_rule("dots", "pattern: f(..., $A, ..., $B, ..., $C, ..., $D, ..., 0)"), |n, hit| {
            format!("f({}{})\n", vec!["x"; n].join(", "), if hit { ", 0" } else { "" })
        }),
        ("list", user_rule("dots", "pattern: '[..., $A, ..., $B, ..., $C, ..., 0]'"), |n, hit| {
            format!("y = [{}{}]\n", vec!["x"; n].join(", "), if hit { ", 0" } else { "" })
        }),
        ("statements", user_rule("dots", seq), |n, hit| {
            // Every assignment matches one of the pattern's; `foo()` comes first when it must
            // not match (the prefilter would skip the rule for a file without it).
            let body = "a = 1\nb = 2\nc = 3\n".repeat(n / 3);
            if hit { format!("{body}foo()\n") } else { format!("foo()\n{body}") }
        }),
    ];
    for (name, rule, make) in families {
        let run = |n: usize, hit: bool| {
            let src = make(n, hit);
            let r = scan_with_rule(&rule, &src);
            assert!(r.errors.is_empty(), "{name}: {:?}", r.errors);
            let found = r.findings.iter().any(|f| f.rule_id == "dots");
            assert_eq!(found, hit, "{name} at {n}: {:?}", r.findings);
            r.work
        };
        let (small, large) = (run(150, false), run(300, false));
        assert!(large <= 9 * small / 2, "{name}: twice the input took {large} units against {small}");
        run(300, true);
    }
}

/// `pattern-regex: .` gives one finding per byte (1.16 GB on 2 MB): the findings are capped and
/// the cap is reported.
#[test]
fn a_finding_per_byte_is_capped_and_reported() {
    let rule = "rules:\n  - id: every-byte\n    languages: [python]\n    severity: LOW\n    message: m\n    pattern-regex: .\n";
    let src = format!("x = '{}'\n", "a".repeat(300_000));
    let r = scan_with_rule(rule, &src);
    let n = r.findings.iter().filter(|f| f.rule_id == "every-byte").count();
    assert!(n <= 20_000, "{n}");
    assert!(r.errors.iter().any(|e| e.message.contains("every-byte") && e.message.contains("only the first")), "{:?}", r.errors);
}

/// A user's `metavariable-regex` that the regex crate refuses (over its size limit) is an
/// error when the rule loads, not a rule that silently never matches.
#[test]
fn an_oversized_user_regex_is_refused_at_load() {
    let mut engine = Engine::builtin().expect("built-in rules load");
    let rule = "rules:\n  - id: big-regex\n    languages: [python]\n    severity: LOW\n    message: m\n    patterns:\n      - pattern: f($X)\n      - metavariable-regex:\n          metavariable: $X\n          regex: 'a{1000}{1000}'\n";
    let e = engine.add_rules_yaml("user.yaml", rule).expect_err("refused at load");
    assert!(e.to_string().contains("invalid regex"), "{e}");
    assert!(e.to_string().contains("regex"), "{e}");
}

/// Work in the engine's own units (unification steps; taint statements and the paths of the
/// taint state written, undone and joined at branches) grows about linearly with the input for
/// each family that used to be quadratic or worse.
#[test]
fn work_grows_linearly_with_the_input() {
    let flask = std::fs::read_to_string(pyward_tests::repo_root().join("examples/flask_shop.py")).expect("example");
    let xy = "rules:\n  - id: xy\n    languages: [python]\n    severity: LOW\n    message: m\n    patterns:\n      - pattern: $X\n      - pattern: $Y\n";
    type Family = (&'static str, Box<dyn Fn(usize) -> String>, Option<&'static str>);
    let families: Vec<Family> = vec![
        ("Flask example repeated", Box::new(move |n| flask.repeat(n)), None),
        ("constant verify= repeated", Box::new(|n| format!("import requests\n{}", "v = True\nrequests.get(u, verify=v, timeout=5)\n".repeat(n))), None),
        ("CORS settings repeated", Box::new(|n| "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n".repeat(n)), None),
        ("patterns: [$X, $Y]", Box::new(|n| "x = a + b\n".repeat(n)), Some(xy)),
        ("helpers calling the previous two", Box::new(fibonacci_helpers), None),
        ("chain of helpers", Box::new(call_chain), None),
        ("tainted variables with ifs", Box::new(|n| tainted_branches(n * 25)), None),
    ];
    for (name, make, rule) in families {
        let work = |n: usize| {
            let src = make(n);
            match rule {
                Some(r) => scan_with_rule(r, &src).work,
                None => scan(&src).work,
            }
        };
        let (small, large) = (work(20), work(80));
        assert!(small > 0, "{name}: work is counted");
        assert!(large <= 6 * small, "{name}: 4x the input took {large} units against {small}");
    }
}

/// A taint source written as a `pattern-regex` with more matches than are looked at: the cut
/// is reported there too (it was only for pattern rules).
#[test]
fn a_taint_source_regex_cut_short_is_reported() {
    let rule = "rules:\n  - id: regex-source\n    languages: [python]\n    severity: LOW\n    message: m\n    mode: taint\n    pattern-sources:\n      - pattern-regex: .\n    pattern-sinks:\n      - pattern: os.system(...)\n";
    let src = format!("import os\nx = '{}'\nos.system(x)\n", "a".repeat(150_000));
    let r = scan_with_rule(rule, &src);
    assert!(r.errors.iter().any(|e| e.message.contains("pattern-regex matched more than")), "{:?}", r.errors);
}

/// Formulas whose combinations grow faster than the file: `patterns: [$X, $Y]` pairs every
/// expression with every one around it (a sum of 1000 terms nests 1000 deep), and
/// `pattern-inside: $Y` joins every expression with every distinct enclosing text. The
/// evaluation charges its work to the rule's budget: it stops, the error names the rule, and
/// the other rules still report.
#[test]
fn a_formula_that_combines_too_much_runs_out_of_budget_and_says_so() {
    let xy = user_rule("xy", "patterns:\n      - pattern: $X\n      - pattern: $Y");
    let chain = format!("x = {}\n", vec!["a"; 1000].join(" + "));
    let inside = user_rule("inside", "patterns:\n      - pattern: $X\n      - pattern-inside: $Y");
    let names: String = (0..1000).map(|i| format!("x{i} = y{i}\n")).collect();
    for (id, rule, code) in [("xy", xy, chain.repeat(4)), ("inside", inside, names)] {
        let src = format!("import os\n{code}os.system(input())\n");
        let r = scan_with_rule(&rule, &src);
        let said = format!("{id}: the rule ran out of its work budget");
        assert!(r.errors.iter().any(|e| e.message.contains(&said)), "{id}: {:?}", r.errors);
        assert!(!r.findings.iter().any(|f| f.rule_id == id), "{id}: matches cut short are dropped");
        let line = src.lines().count() as u32;
        assert!(r.findings.iter().any(|f| f.line == line), "{id}: built-in findings still show: {:?}", r.findings);
        // The matcher's budget and the evaluation's, and the built-in rules' work.
        let budget = pyward_engine::matching::matcher::work_budget(src.len());
        assert!(r.work <= 3 * budget, "{id}: work {} against a budget of {budget}", r.work);
    }
}

/// A join of deep `$X + $Y` matches built 3.5 GB of intermediate pairs within its time budget
/// (80 lines of 1,000-term sums). Each rule now builds at most `MAX_HELD` intermediate results:
/// the rule stops with an error naming it, and the built-in rules still report.
#[test]
fn a_join_that_builds_too_much_stops_on_its_memory_bound() {
    let rule = user_rule("pairs", "patterns:\n      - pattern: $A + $B\n      - pattern-inside: $X + $Y");
    let sum = (0..1000).map(|i| format!("a{i}")).collect::<Vec<_>>().join(" + ");
    let src = format!("import os\n{}os.system(input())\n", (0..20).map(|j| format!("x{j} = {sum}\n")).collect::<String>());
    let r = scan_with_rule(&rule, &src);
    assert!(r.errors.iter().any(|e| e.message.contains("pairs") && e.message.contains("work budget")), "{:?}", r.errors);
    assert!(r.findings.iter().all(|f| f.rule_id != "pairs"), "no half-joined matches are reported");
    assert!(r.findings.iter().any(|f| f.rule_id == "tainted-os-command"), "other rules still report");
    // Cut by what it built, long before its time budget (2M + 64 units per byte) is spent.
    let budget = 2_000_000 + 64 * src.len() as u64;
    assert!(r.work < budget / 2, "work {} of a budget of {budget}", r.work);
}
