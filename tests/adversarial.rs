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
