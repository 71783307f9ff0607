//! The engine never panics on user input, and refuses what would overflow the stack with a
//! clear error instead.

use std::path::{Path, PathBuf};

use pyward_engine::report::{Report, NO_ACTIONABLE_INPUT, NO_SECURITY_ISSUES};
use pyward_engine::{Engine, FileResult, Options};

fn engine() -> Engine {
    Engine::builtin().expect("built-in rules load")
}

fn check(src: &str) -> FileResult {
    engine().check_source("input.py", src, &Options::default())
}

fn status(r: FileResult) -> &'static str {
    let e = engine();
    let metas: Vec<_> = e.rules().iter().map(|r| &r.meta).collect();
    Report::new(vec![r], &metas).status
}

#[test]
fn empty_and_comment_only_input_is_not_actionable() {
    for src in ["", "   \n\n\t\n", "# just a comment\n# another\n", "\u{feff}"] {
        let r = check(src);
        assert!(r.findings.is_empty() && r.errors.is_empty(), "{src:?}: {r:?}");
        assert_eq!(status(r), NO_ACTIONABLE_INPUT, "{src:?}");
    }
    assert_eq!(status(check("x = 1\n")), NO_SECURITY_ISSUES);
}

#[test]
fn nul_bytes_and_garbage_give_errors_not_panics() {
    let r = check("import os\nos.system(cmd)\nx = 1\0\0\0 + \0\ny = (\0\n");
    assert!(!r.errors.is_empty());
    assert!(r.findings.iter().any(|f| f.rule_id == "os-command-injection"), "findings before the NUL bytes still show");
    for src in ["\0", "def", "class (", "f\"{", "'''", "\\", "@", "lambda: (yield)", "x = [1, 2", "if True:\n\tpass\n        pass"] {
        let _ = check(src);
    }
}

#[test]
fn non_utf8_bytes_are_an_error() {
    let r = engine().check_bytes("latin1.py", b"x = '\xe9t\xe9'\n", &Options::default());
    assert_eq!(r.errors.len(), 1);
    assert!(r.errors[0].message.contains("not valid UTF-8"), "{}", r.errors[0].message);
}

#[test]
fn a_syntax_error_does_not_hide_other_findings() {
    let r = check("import os\ndef broken(:\n    pass\n\nos.system(user_cmd)\n");
    assert!(r.errors.iter().any(|e| e.line == Some(2)), "{:?}", r.errors);
    assert!(r.findings.iter().any(|f| f.rule_id == "os-command-injection" && f.line == 5), "{:?}", r.findings);
}

fn deep_inputs() -> Vec<(&'static str, String)> {
    vec![
        ("5,000 nested parentheses", format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000))),
        ("5,000 nested lists", format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000))),
        ("5,000 nested calls", format!("x = {}1{}\n", "f(".repeat(5000), ")".repeat(5000))),
        ("a 100,000-term sum", format!("x = {}\n", vec!["a"; 100_000].join(" + "))),
        ("5,000 nots", format!("x = {}y\n", "not ".repeat(5000))),
        ("5,000 nested f-strings", {
            let mut s = String::from("x");
            for _ in 0..5000 {
                s = format!("f'{{{s}}}'");
            }
            format!("y = {s}\n")
        }),
    ]
}

#[test]
fn deep_nesting_is_a_clear_error() {
    for (what, src) in deep_inputs() {
        let r = check(&src);
        assert_eq!(r.errors.len(), 1, "{what}: {:?}", r.errors);
        let msg = &r.errors[0].message;
        assert!(msg.contains("nested") || msg.contains("too deeply"), "{what}: {msg}");
        assert_eq!(r.errors[0].line, Some(1));
    }
}

#[test]
fn deep_nesting_is_refused_on_a_1mb_stack() {
    // The browser build has a small, fixed stack: the guard must act before any recursion.
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let e = engine();
            let mut errors = 0;
            for (_, src) in deep_inputs() {
                errors += e.check_source("deep.py", &src, &Options::default()).errors.len();
            }
            // The deepest nesting that is allowed still fits.
            let ok = format!("x = {}eval(y){}\n", "(".repeat(100), ")".repeat(100));
            let r = e.check_source("ok.py", &ok, &Options::default());
            (errors, r.errors.len(), r.findings.len())
        })
        .expect("spawn");
    let (errors, ok_errors, ok_findings) = handle.join().expect("no stack overflow on a 1 MB stack");
    assert_eq!(errors, deep_inputs().len());
    assert_eq!(ok_errors, 0);
    assert_eq!(ok_findings, 1);
}

#[test]
fn a_10_mb_file_is_analysed() {
    let chunk = "import os\nimport subprocess\n\ndef handler(request, cur):\n    name = request.args.get('name')\n    cur.execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n    subprocess.run(['ls', name], check=True)\n    return [i * 2 for i in range(10) if i % 3]\n\n";
    let mut src = String::with_capacity(10 * 1024 * 1024 + chunk.len());
    while src.len() < 10 * 1024 * 1024 {
        src.push_str(chunk);
    }
    let r = check(&src);
    assert!(r.errors.is_empty(), "{:?}", &r.errors[..r.errors.len().min(3)]);
    let expected = src.len() / chunk.len();
    // `request` is a parameter holding the request object, so the query is also a taint flow: one
    // finding per line, of either SQL rule.
    let sql = r.findings.iter().filter(|f| f.rule_id == "sql-injection-format" || f.rule_id == "tainted-sql-query").count();
    assert_eq!(sql, expected);
}

#[test]
fn oversized_input_is_refused_clearly() {
    let big = "x = 1\n".repeat(pyward_engine::MAX_FILE_BYTES / 6 + 10);
    let r = check(&big);
    assert_eq!(r.errors.len(), 1);
    assert!(r.errors[0].message.contains("limit"));
}

fn python_stdlib() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    p.is_dir().then_some(p)
}

fn py_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() && !p.is_symlink() {
            py_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

#[test]
fn every_file_of_the_python_standard_library() {
    let root = python_stdlib().expect("python3 with a standard library is installed");
    let mut files = Vec::new();
    py_files(&root, &mut files);
    assert!(files.len() > 1000, "only {} files under {}", files.len(), root.display());
    let e = engine();
    let opts = Options::default();
    let mut panics = Vec::new();
    let mut findings = 0usize;
    for f in &files {
        let bytes = std::fs::read(f).expect("readable");
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| e.check_bytes(&f.display().to_string(), &bytes, &opts))) {
            Ok(r) => findings += r.findings.len(),
            Err(_) => panics.push(f.display().to_string()),
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:?}");
    assert!(findings > 0);
    eprintln!("{} stdlib files, {findings} findings", files.len());
}
