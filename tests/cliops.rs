//! The command line in CI and at a terminal: baselines, `pyward test`, `--statistics`, colour,
//! `explain`, `rules --format json`, `--quiet`, exit codes in `--help`, standard input, and the
//! pre-commit hook (issue 18).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use pyward_tests::{pyward_bin, repo_root, workdir};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(pyward_bin()).args(args).current_dir(dir).env_remove("NO_COLOR").output().expect("pyward runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// Two findings in one function (equal code: told apart by the occurrence index) and one in a
/// method.
const APP: &str = "import os
import pickle


def run(cmd):
    os.system(cmd)
    os.system(cmd)


class Loader:
    def load(self, data):
        return pickle.loads(data)
";

/// APP after edits that add no finding: an import, blank lines, a new function above, the
/// class moved above the function, re-indented whitespace inside a call.
const APP_MOVED: &str = "import os
import pickle
import json


class Loader:

    def load(self, data):


        return pickle.loads( data )


def helper():
    return json.dumps({})


def run(cmd):
    print('running')

    os.system(cmd)
    os.system(cmd)
";

fn findings(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_baseline_survives_code_moving_and_reports_only_new_findings() {
    let d = workdir("cliops-baseline");
    std::fs::write(d.join("app.py"), APP).unwrap();
    let o = run(&d, &["scan", "app.py", "--write-baseline", "base.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let all = findings(&json_of(&o));
    assert_eq!(all.len(), 3, "{all:?}");
    let base: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(d.join("base.json")).unwrap()).unwrap();
    assert_eq!(base["baseline_version"], 1);
    let prints: Vec<String> = findings(&base).iter().map(|f| f["fingerprint"].as_str().unwrap().to_string()).collect();
    assert_eq!(prints.len(), 3);
    assert_eq!(prints.iter().collect::<std::collections::BTreeSet<_>>().len(), 3, "equal code twice: two fingerprints");

    // The same fingerprints go to SARIF.
    let sarif: serde_json::Value = serde_json::from_slice(&run(&d, &["scan", "app.py", "--format", "sarif"]).stdout).unwrap();
    let sarif_prints: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sarif_prints, prints);

    // Moved code, blank lines, a new function above: nothing new.
    std::fs::write(d.join("app.py"), APP_MOVED).unwrap();
    let moved = run(&d, &["scan", "app.py", "--format", "json"]);
    assert_eq!(findings(&json_of(&moved)).len(), 3, "still three findings, on other lines");
    let o = run(&d, &["scan", "app.py", "--baseline", "base.json"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).starts_with("NO_SECURITY_ISSUES"), "{}", stdout(&o));
    assert!(stderr(&o).contains("3 finding(s) in the baseline not shown"), "{}", stderr(&o));

    // One new vulnerable line (a third equal call in the same function): exactly one new.
    let added = APP_MOVED.replace("    os.system(cmd)\n    os.system(cmd)\n", "    os.system(cmd)\n    os.system(cmd)\n    os.system(cmd)\n");
    std::fs::write(d.join("app.py"), added).unwrap();
    let o = run(&d, &["scan", "app.py", "--baseline", "base.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let new = findings(&json_of(&o));
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["path"], "app.py");

    // The same line in another function is new too.
    let elsewhere = format!("{APP_MOVED}\n\ndef other(cmd):\n    os.system(cmd)\n");
    std::fs::write(d.join("app.py"), elsewhere).unwrap();
    let o = run(&d, &["scan", "app.py", "--baseline", "base.json", "--format", "json"]);
    let new = findings(&json_of(&o));
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["line"], 26);
}

#[test]
fn a_bad_baseline_is_an_error_naming_the_file() {
    let d = workdir("cliops-badbase");
    std::fs::write(d.join("app.py"), APP).unwrap();
    std::fs::write(d.join("report.json"), "{\"findings\": []}").unwrap();
    let o = run(&d, &["scan", "app.py", "--baseline", "report.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("report.json: not a pyward baseline: no baseline_version"), "{}", stderr(&o));
    let o = run(&d, &["scan", "app.py", "--baseline", "missing.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.json: cannot read baseline"), "{}", stderr(&o));
    let o = run(&d, &["scan", "app.py", "--write-baseline", "app.py"]);
    assert_eq!(o.status.code(), Some(2), "never overwrites an input");
    assert_eq!(std::fs::read_to_string(d.join("app.py")).unwrap(), APP);
}

const RULE: &str = "rules:
  - id: no-eval
    languages: [python]
    severity: HIGH
    message: eval of $X
    pattern: eval($X)
  - id: no-exec
    languages: [python]
    severity: HIGH
    message: exec
    pattern: exec(...)
";

#[test]
fn pyward_test_runs_rule_files_against_their_annotated_files() {
    let d = workdir("cliops-ruletest");
    std::fs::create_dir_all(d.join("rules/sub")).unwrap();
    std::fs::write(d.join("rules/sub/calls.yaml"), RULE).unwrap();
    let passing = "# ruleid: no-eval\neval(a)\n# ok: no-eval\nprint(a)\n# todoruleid: no-eval\nglobals()['eval'](a)\n# todook: no-exec\nexec('1')\n# ruleid: no-exec, no-eval\nexec(eval(a))\n";
    std::fs::write(d.join("rules/sub/calls.py"), passing).unwrap();
    let o = run(&d, &["test", "rules"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("PASS no-eval (rules/sub/calls.yaml)"), "{out}");
    assert!(out.contains("PASS no-exec (rules/sub/calls.yaml)"), "{out}");
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");

    // A missed line, a false positive and an unannotated finding: FAIL with each line.
    let failing = "# ruleid: no-eval\nprint(a)\n# ok: no-eval\neval(b)\nexec(c)\n# todook: no-exec\nprint(d)\n";
    std::fs::write(d.join("rules/sub/calls.py"), failing).unwrap();
    let o = run(&d, &["test", "rules/sub/calls.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("FAIL no-eval"), "{out}");
    assert!(out.contains("rules/sub/calls.py:2: missing finding: `no-eval`"), "{out}");
    assert!(out.contains("rules/sub/calls.py:4: false positive: `no-eval`"), "{out}");
    assert!(out.contains("FAIL no-exec"), "{out}");
    assert!(out.contains("rules/sub/calls.py:5:1: unexpected finding: `no-exec`"), "{out}");
    assert!(out.contains("rules/sub/calls.py:7: `no-exec` no longer flags a line annotated `# todook`"), "{out}");
    assert!(out.ends_with("0 passed, 2 failed\n"), "{out}");

    // A rule file without a test file fails; a missing path is a usage error.
    std::fs::remove_file(d.join("rules/sub/calls.py")).unwrap();
    let o = run(&d, &["test", "rules"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("FAIL rules/sub/calls.yaml: no test file rules/sub/calls.py"), "{}", stdout(&o));
    assert_eq!(run(&d, &["test", "nowhere"]).status.code(), Some(2));
}

/// The built-in rules pass `pyward test` as they pass their own harness (the same code).
#[test]
fn pyward_test_passes_the_builtin_rules() {
    let root = repo_root();
    let o = run(&root, &["test", "rules/injection"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("PASS sql-injection-format (rules/injection/sql-injection-format.yaml)"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn statistics_quiet_and_colour() {
    let d = workdir("cliops-stats");
    std::fs::write(d.join("app.py"), APP).unwrap();
    let o = run(&d, &["scan", "app.py", "--statistics"]);
    assert_eq!(o.status.code(), Some(1), "the exit code is the scan's");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].trim_start().starts_with("2  "), "most findings first: {out}");
    assert!(lines[2].starts_with("3 finding(s), 2 rule(s)"), "{out}");
    let v = json_of(&run(&d, &["scan", "app.py", "--statistics", "--format", "json"]));
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["count"], 2);
    assert_eq!(run(&d, &["scan", "app.py", "--statistics", "--format", "sarif"]).status.code(), Some(2));

    // --quiet: the findings only, nothing on standard error.
    let o = run(&d, &["scan", "app.py", ".", "--quiet"]);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(out.lines().all(|l| l.starts_with("app.py:")), "{out}");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));

    // Not a terminal: no colour unless asked; NO_COLOR yields to --color always.
    let plain = stdout(&run(&d, &["scan", "app.py"]));
    assert!(!plain.contains('\x1b'), "{plain}");
    let coloured = Command::new(pyward_bin()).args(["scan", "app.py", "--color", "always"]).current_dir(&d).env("NO_COLOR", "1").output().unwrap();
    let coloured = stdout(&coloured);
    assert!(coloured.contains("\x1b[1;31mCRITICAL\x1b[0m") || coloured.contains("\x1b[31mHIGH\x1b[0m"), "{coloured:?}");
    assert_eq!(coloured.replace("\x1b[1;31m", "").replace("\x1b[31m", "").replace("\x1b[33m", "").replace("\x1b[36m", "").replace("\x1b[1m", "").replace("\x1b[0m", ""), plain);
    assert!(!stdout(&run(&d, &["scan", "app.py", "--color", "never"])).contains('\x1b'));
}

/// `--color auto` colours a terminal (a pseudo-terminal from `script`), unless NO_COLOR is set.
#[cfg(unix)]
#[test]
fn colour_on_a_terminal_respects_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is not installed; no pseudo-terminal to test with");
        return;
    }
    let d = workdir("cliops-tty");
    std::fs::write(d.join("app.py"), APP).unwrap();
    let bin = pyward_bin();
    let on_tty = |no_color: Option<&str>| {
        let mut c = Command::new("script");
        c.args(["-qec", &format!("{} scan app.py", bin.display()), "/dev/null"]).current_dir(&d).stdin(Stdio::null()).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        stdout(&c.output().expect("script runs"))
    };
    assert!(on_tty(None).contains("\x1b["), "{:?}", on_tty(None));
    assert!(!on_tty(Some("1")).contains("\x1b["), "NO_COLOR");
    assert!(on_tty(Some("")).contains("\x1b["), "an empty NO_COLOR is unset");
}

#[test]
fn explain_renders_markdown_and_rules_lists_json() {
    let d = workdir("cliops-explain");
    let o = run(&d, &["explain", "sql-injection-format"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.contains("What it does\n------------\n"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("#") || l.starts_with("```")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("    ") && l.contains("execute(")), "code indented: {text}");
    assert!(text.contains("  • "), "bullets: {text}");
    assert!(!text.contains('\x1b'), "no colour off a terminal");
    let md = stdout(&run(&d, &["explain", "sql-injection-format", "--markdown"]));
    assert!(md.contains("## What it does") && md.contains("```"), "{md}");

    let o = run(&d, &["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let rules = json_of(&o);
    let text = stdout(&run(&d, &["rules"]));
    let count: usize = text.lines().last().and_then(|l| l.split(' ').next()).and_then(|n| n.parse().ok()).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), count);
    let sql = rules.as_array().unwrap().iter().find(|r| r["id"] == "sql-injection-format").unwrap();
    assert_eq!(sql["cwe"], 89);
    assert_eq!(sql["severity"], "high");
    assert_eq!(sql["opt_in"], false);
}

#[test]
fn help_documents_exit_codes() {
    let d = workdir("cliops-help");
    for args in [&["--help"][..], &["scan", "--help"], &["test", "--help"]] {
        let out = stdout(&run(&d, args));
        assert!(out.contains("Exit codes:\n  0  "), "{args:?}: {out}");
        assert!(out.contains("\n  1  ") && out.contains("\n  2  "), "{args:?}: {out}");
    }
}

/// `pyward scan -` reads standard input, named by `--stdin-filename` (default `<stdin>`), with
/// files alongside.
#[test]
fn standard_input_is_scanned_and_named() {
    use std::io::Write as _;
    let d = workdir("cliops-stdin");
    std::fs::write(d.join("app.py"), APP).unwrap();
    let scan_stdin = |args: &[&str]| {
        let mut child = Command::new(pyward_bin()).args(args).current_dir(&d).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(b"import os\nos.system(cmd)\n").unwrap();
        child.wait_with_output().unwrap()
    };
    let o = scan_stdin(&["scan", "-"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).lines().any(|l| l.starts_with("<stdin>:2:1: ")), "{}", stdout(&o));
    let o = scan_stdin(&["scan", "-", "app.py", "--stdin-filename", "src/piped.py", "--quiet"]);
    let out = stdout(&o);
    assert!(out.lines().next().is_some_and(|l| l.starts_with("src/piped.py:2:1: ")), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("app.py:")).count(), 3, "{out}");
}

/// The root package that pre-commit builds has the CLI's dependencies.
#[test]
fn the_pre_commit_package_has_the_cli_dependencies() {
    let root = repo_root();
    let deps = |path: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap();
        let section = text.split("\n[dependencies]\n").nth(1).unwrap_or_default();
        let section = section.split("\n[").next().unwrap_or_default();
        section
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.replace("\"../engine\"", "\"crates/engine\""))
            .collect()
    };
    assert_eq!(deps(&root.join("Cargo.toml")), deps(&root.join("crates/cli/Cargo.toml")));
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    for s in ["- id: pyward", "language: rust", "entry: pyward-pre-commit scan", "types: [python]"] {
        assert!(hooks.contains(s), "{s}: {hooks}");
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for s in ["cargo install --path crates/cli", ".pre-commit-config.yaml", "github/codeql-action/upload-sarif", "--write-baseline", "pyward test"] {
        assert!(readme.contains(s), "README.md should show `{s}`");
    }
}

/// pre-commit (from PyPI) runs the hook of this repository on a temporary git repository,
/// offline: it builds the scanner with cargo from the local crates and fails on a vulnerable
/// file. Skipped, with a message, where pre-commit is not installed (scripts/test.sh installs
/// it when it can).
#[test]
fn the_pre_commit_hook_flags_a_vulnerable_file() {
    let home = std::env::var("HOME").unwrap_or_default();
    let pre_commit = ["pre-commit".to_string(), format!("{home}/.local/bin/pre-commit")]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(pre_commit) = pre_commit else {
        eprintln!("SKIPPED: pre-commit is not installed (pip install --user pre-commit)");
        return;
    };
    let root = repo_root();
    let d = workdir("cliops-pre-commit");
    let git = |args: &[&str]| {
        let o = Command::new("git").args(args).current_dir(&d).output().expect("git runs");
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "test@example.invalid"]);
    git(&["config", "user.name", "test"]);
    std::fs::write(d.join("vuln.py"), "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n").unwrap();
    std::fs::write(d.join("clean.py"), "print('hello')\n").unwrap();
    git(&["add", "vuln.py", "clean.py"]);
    // The build is the release profile's (pre-commit runs `cargo install`): without LTO and in
    // a kept target folder, so that a second run costs nothing; no network.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), std::path::PathBuf::from);
    let hook = |file: &str| {
        Command::new(&pre_commit)
            .args(["try-repo", root.to_str().unwrap(), "pyward", "--files", file, "--verbose"])
            .current_dir(&d)
            .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
            .env("CARGO_TARGET_DIR", target.join("pre-commit"))
            .env("CARGO_NET_OFFLINE", "true")
            .env("CARGO_PROFILE_RELEASE_LTO", "off")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
            .output()
            .expect("pre-commit runs")
    };
    let o = hook("vuln.py");
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("vuln.py:5:5: "), "{out}");
    let o = hook("clean.py");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}
