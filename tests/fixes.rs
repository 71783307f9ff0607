//! Fixes: every built-in rule's fix applied to each `# ruleid:` line of its test file (the
//! result parses, the finding is gone), and the CLI's `--fix`, `--diff` and `--unsafe-fixes`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pyward_engine::findings::fix::{apply_checked, parses};
use pyward_engine::rules::FixKind;
use pyward_engine::{Engine, Finding, Options, RuleMeta};
use pyward_tests::{parse_annotations, pyward_bin, repo_root, rule_test_files, AnnotationKind};

fn has_fix(m: &RuleMeta) -> bool {
    m.fix.is_some() || m.fix_regex.is_some() || m.fix_argument.is_some()
}

/// The line a finding at byte `at` is on after the fix's further edits (imports inserted
/// above it) are made.
fn shifted_line(f: &Finding, line: u32) -> u32 {
    let added: usize = f.fix_edits.iter().filter(|e| e.end_offset <= f.start_offset).map(|e| e.text.matches('\n').count()).sum();
    line + added as u32
}

/// Applies the fix of the finding of `rule` on `line` alone; `Err` says what went wrong,
/// `Ok(false)` that the finding has no fix there.
fn fix_one(engine: &Engine, opts: &Options, display: &str, src: &str, found: &[Finding], rule: &str, line: u32) -> Result<bool, String> {
    let f = found.iter().find(|f| f.rule_id == rule && f.line == line).ok_or_else(|| format!("{display}:{line}: no finding"))?;
    if f.fix.is_none() {
        return Ok(false);
    }
    let fixed = apply_checked(src, &[f]);
    if fixed.applied != [0] || fixed.text == src {
        return Err(format!("{display}:{line}: fix {:?} not applied (breaks parsing: {:?})", f.fix, fixed.breaking));
    }
    if !parses(&fixed.text) {
        return Err(format!("{display}:{line}: fixed code does not parse"));
    }
    let new_line = shifted_line(f, line);
    let again = engine.check_source(display, &fixed.text, opts);
    if let Some(g) = again.findings.iter().find(|g| g.rule_id == rule && g.line == new_line) {
        let text = fixed.text.lines().nth(new_line as usize - 1).unwrap_or("");
        return Err(format!("{display}:{line}: still flagged after the fix: `{}` ({})", text.trim(), g.message));
    }
    Ok(true)
}

#[test]
fn every_fix_removes_its_finding_and_the_code_still_parses() {
    let engine = Engine::builtin().expect("built-in rules load");
    let root = repo_root().join("rules");
    let mut failures: Vec<String> = Vec::new();
    let mut without_fix: Vec<String> = Vec::new();
    let (mut rules, mut fixed) = (0, 0);
    for r in engine.rules().iter().filter(|r| has_fix(&r.meta)) {
        rules += 1;
        let id = r.meta.id.as_str();
        let stem = r.meta.source.trim_start_matches("rules/").trim_end_matches(".yaml");
        let opts = Options { select: vec![id.to_string()], ..Options::default() };
        let mut fixed_here = 0;
        for file in rule_test_files(&root, stem) {
            let src = std::fs::read_to_string(&file).expect("test file");
            let display = format!("rules/{}", file.strip_prefix(&root).unwrap_or(&file).to_string_lossy());
            let found = engine.check_source(&display, &src, &opts).findings;
            let lines = parse_annotations(&src).into_iter().filter(|a| a.kind == AnnotationKind::RuleId && a.rule == id);
            for a in lines {
                match fix_one(&engine, &opts, &display, &src, &found, id, a.target_line) {
                    Ok(true) => fixed_here += 1,
                    Ok(false) => without_fix.push(format!("{display}:{}", a.target_line)),
                    Err(e) => failures.push(e),
                }
            }
        }
        if fixed_here == 0 {
            failures.push(format!("{id}: has a fix, but none of its `# ruleid:` lines gets one"));
        }
        fixed += fixed_here;
    }
    eprintln!("{rules} rules with a fix; {fixed} `# ruleid:` lines fixed; without a fix there: {}", without_fix.join(", "));
    assert!(rules >= 30, "only {rules} built-in rules have a fix");
    assert!(failures.is_empty(), "{} fix failure(s):\n  {}", failures.len(), failures.join("\n  "));
}

#[test]
fn the_fixes_the_issues_ask_for_exist_with_their_kind() {
    let engine = Engine::builtin().expect("built-in rules load");
    let kind = |id: &str| engine.rule(id).filter(|r| has_fix(&r.meta)).map(|r| r.meta.fix_kind);
    for id in ["tls-verification-disabled", "insecure-random-for-secrets", "fastapi-debug-enabled"] {
        assert_eq!(kind(id), Some(FixKind::Safe), "{id}");
    }
    for id in [
        "yaml-unsafe-load",
        "subprocess-shell-injection",
        "request-without-timeout",
        "tempfile-mktemp",
        "jwt-decode-without-algorithms",
        "tarfile-extractall-no-filter",
        "flask-debug-enabled",
        "django-debug-enabled",
        "jinja2-autoescape-disabled",
        "weak-hash-for-security",
    ] {
        assert_eq!(kind(id), Some(FixKind::Unsafe), "{id}");
    }
}


fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(pyward_bin()).args(args).current_dir(dir).output().expect("pyward runs")
}

fn workdir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pyward-fixes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    for (name, text) in files {
        std::fs::write(d.join(name), text).expect("write");
    }
    d
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// One safe fix (verify=False) and two unsafe ones (a missing timeout; random for a token,
/// which adds an import).
const CLIENT: &str = "import random\nimport requests\n\n\ndef fetch(url):\n    return requests.get(url, verify=False, timeout=5)\n\n\ndef ping(url):\n    return requests.get(url)\n";

#[test]
fn diff_shows_the_safe_fixes_and_writes_nothing() {
    let d = workdir("diff", &[("client.py", CLIENT)]);
    let o = run(&d, &["scan", "client.py", "--diff"]);
    let out = text(&o.stdout);
    let want = "--- a/client.py\n+++ b/client.py\n@@ -3,7 +3,7 @@\n \n \n def fetch(url):\n-    return requests.get(url, verify=False, timeout=5)\n+    return requests.get(url, verify=True, timeout=5)\n \n \n def ping(url):\n";
    assert_eq!(out, want);
    let err = text(&o.stderr);
    assert!(err.contains("Would fix 1 finding.") && err.contains("1 more fix available with --unsafe-fixes"), "{err}");
    assert_eq!(o.status.code(), Some(1), "a diff exits 1");
    assert_eq!(std::fs::read_to_string(d.join("client.py")).expect("read"), CLIENT, "--diff writes nothing");
    // With unsafe fixes the timeout is added too.
    let o = run(&d, &["scan", "client.py", "--diff", "--unsafe-fixes"]);
    assert!(text(&o.stdout).contains("+    return requests.get(url, timeout=10)\n"), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("Would fix 2 findings."), "{}", text(&o.stderr));
    // Nothing to fix: no diff, exit 0.
    let clean = workdir("diff-clean", &[("ok.py", "print(1)\n")]);
    let o = run(&clean, &["scan", "ok.py", "--diff"]);
    assert_eq!((text(&o.stdout).as_str(), o.status.code()), ("", Some(0)));
}

#[test]
fn fix_writes_the_safe_fixes_and_reports_what_remains() {
    let d = workdir("fix", &[("client.py", CLIENT)]);
    let o = run(&d, &["scan", "client.py", "--fix", "--format", "json"]);
    let fixed = std::fs::read_to_string(d.join("client.py")).expect("read");
    assert_eq!(fixed, CLIENT.replace("verify=False", "verify=True"));
    let err = text(&o.stderr);
    assert!(err.contains("Fixed 1 finding (1 remaining)."), "{err}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json report");
    let rules: Vec<&str> = report["findings"].as_array().expect("findings").iter().filter_map(|f| f["rule_id"].as_str()).collect();
    assert_eq!(rules, ["request-without-timeout"], "the report shows what remains");
    assert_eq!(report["fix_kinds"]["request-without-timeout"], "unsafe");
    assert_eq!(o.status.code(), Some(1));
    // The unsafe fixes, with the import one needs.
    let src = "import random\n\ntoken = random.random()\n";
    let d = workdir("fix-unsafe", &[("t.py", src), ("c.py", CLIENT)]);
    let o = run(&d, &["scan", ".", "--fix", "--unsafe-fixes"]);
    assert!(text(&o.stderr).contains("Fixed 3 findings (0 remaining)."), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(d.join("t.py")).expect("read"), "import random\nimport secrets\n\ntoken = secrets.SystemRandom().random()\n");
    assert!(std::fs::read_to_string(d.join("c.py")).expect("read").contains("requests.get(url, timeout=10)"));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_fix_that_would_break_parsing_is_not_applied_and_said() {
    let rule = "rules:\n  - id: broken-fix\n    languages: [python]\n    severity: LOW\n    message: m\n    pattern: danger($X)\n    fix: safe($X\n    metadata:\n      pyward:\n        fix-kind: safe\n";
    let src = "danger(1)\n";
    let d = workdir("broken", &[("r.yaml", rule), ("a.py", src)]);
    let o = run(&d, &["scan", "a.py", "--rules", "r.yaml", "--select", "broken-fix", "--fix"]);
    let err = text(&o.stderr);
    assert!(err.contains("not fixed: a.py:1: broken-fix: the fix would leave code that does not parse"), "{err}");
    assert!(err.contains("Fixed 0 findings (1 remaining)."), "{err}");
    assert_eq!(std::fs::read_to_string(d.join("a.py")).expect("read"), src);
}

#[test]
fn fix_options_are_checked() {
    let d = workdir("options", &[("a.py", "x = 1\n")]);
    let o = run(&d, &["scan", "a.py", "--unsafe-fixes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--unsafe-fixes applies with --fix or --diff"));
    let o = run(&d, &["scan", "-", "--fix"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--fix cannot write standard input"));
}
