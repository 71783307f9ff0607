//! Configuration files and excludes, end to end through the `pyward` binary: which file is in
//! force where, how flags override it, its errors, `pyward config`, and what a scan leaves out.

use std::path::Path;
use std::process::Output;

use pyward_tests::bin::{run_pyward as run, temp_workdir};

const EVAL: &str = "eval(x)\n"; // code-injection-eval: HIGH, Bandit B307
const PICKLE: &str = "import pickle\npickle.loads(x)\n"; // unsafe-deserialization-pickle: MEDIUM
const YAML: &str = "import yaml\nyaml.load(x)\n"; // yaml-unsafe-load: MEDIUM, Bandit B506

/// Writes `files` (path, text) under `d`, making directories.
fn write(d: &Path, files: &[(&str, &str)]) {
    for (p, text) in files {
        let p = d.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// The (path, rule id) of each finding of a JSON report, sorted.
fn findings(o: &Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)));
    let mut out: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["rule_id"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out
}

fn scan_json(d: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    findings(&run(d, &all))
}

fn pair(path: &str, rule: &str) -> (String, String) {
    (path.to_string(), rule.to_string())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_nearest_configuration_governs_each_file() {
    let d = temp_workdir("conf-nearest");
    write(
        &d,
        &[
            ("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.pyward]\nignore = [\"B307\"]\n"),
            ("a.py", EVAL),
            ("a2.py", PICKLE),
            // sub/ has its own file: the root's `ignore` does not reach it (no merging, as Ruff).
            ("sub/pyward.toml", "select = [\"code-injection-eval\"]\n"),
            ("sub/b.py", &format!("{EVAL}{PICKLE}")),
            // A pyproject.toml without [tool.pyward] is passed over: deep/ gets the root's.
            ("deep/pyproject.toml", "[tool.ruff]\nline-length = 100\n"),
            ("deep/c.py", EVAL),
        ],
    );
    assert_eq!(
        scan_json(&d, &["."]),
        vec![pair("a2.py", "unsafe-deserialization-pickle"), pair("sub/b.py", "code-injection-eval")]
    );
    // Run from inside sub/, or naming the file: the same file governs it.
    assert_eq!(scan_json(&d, &["sub/b.py"]), vec![pair("sub/b.py", "code-injection-eval")]);
    assert_eq!(scan_json(&d.join("sub"), &["b.py"]), vec![pair("b.py", "code-injection-eval")]);
    assert_eq!(scan_json(&d.join("deep"), &["."]), vec![]);
    // --config: one file for every path, relative paths in it taken from its own directory.
    write(&d, &[("other/strict.toml", "min-severity = \"medium\"\nselect = [\"deserialization\"]\n")]);
    assert_eq!(
        scan_json(&d, &[".", "--config", "other/strict.toml"]),
        vec![pair("a2.py", "unsafe-deserialization-pickle"), pair("sub/b.py", "unsafe-deserialization-pickle")]
    );
}

#[test]
fn pyward_toml_wins_over_pyproject_in_the_same_directory() {
    let d = temp_workdir("conf-precedence");
    write(
        &d,
        &[
            ("pyproject.toml", "[tool.pyward]\nselect = [\"deserialization\"]\n"),
            ("pyward.toml", "select = [\"injection\"]\n"),
            ("a.py", &format!("{EVAL}{PICKLE}")),
        ],
    );
    assert_eq!(scan_json(&d, &["."]), vec![pair("a.py", "code-injection-eval")]);
    let out = String::from_utf8_lossy(&run(&d, &["config"]).stdout).into_owned();
    assert!(out.contains(&format!("# from {}", d.join("pyward.toml").display())), "{out}");
    std::fs::remove_file(d.join("pyward.toml")).unwrap();
    assert_eq!(scan_json(&d, &["."]), vec![pair("a.py", "unsafe-deserialization-pickle")]);
}

#[test]
fn flags_override_the_configuration() {
    let d = temp_workdir("conf-flags");
    write(
        &d,
        &[
            ("pyward.toml", "min-severity = \"high\"\nformat = \"json\"\nignore = [\"yaml-unsafe-load\"]\n"),
            ("a.py", &format!("{EVAL}{PICKLE}{YAML}")),
        ],
    );
    // The configured format and threshold.
    let o = run(&d, &["scan", "."]);
    assert_eq!(findings(&o), vec![pair("a.py", "code-injection-eval")]);
    // The flags win; --ignore adds to the configured ignores.
    let o = run(&d, &["scan", ".", "--min-severity", "low", "--format", "json", "--ignore", "B307"]);
    assert_eq!(findings(&o), vec![pair("a.py", "unsafe-deserialization-pickle")]);
    let text = String::from_utf8_lossy(&run(&d, &["scan", ".", "--format", "text"]).stdout).into_owned();
    assert!(text.starts_with("a.py:1:1: HIGH code-injection-eval"), "{text}");
    // --select replaces the configured selection (ignores still apply).
    assert_eq!(scan_json(&d, &[".", "--select", "deserialization", "--min-severity", "low"]), vec![pair("a.py", "unsafe-deserialization-pickle")]);
}

#[test]
fn per_file_ignores() {
    let d = temp_workdir("conf-pfi");
    write(
        &d,
        &[
            (
                "pyproject.toml",
                "[tool.pyward.per-file-ignores]\n\"tests/*\" = [\"B307\", \"deserialization\"]\n\"legacy.py\" = [\"code-injection-eval\"]\n",
            ),
            ("tests/test_a.py", &format!("{EVAL}{PICKLE}{YAML}")),
            ("app.py", EVAL),
            ("pkg/legacy.py", EVAL),
        ],
    );
    assert_eq!(scan_json(&d, &["."]), vec![pair("app.py", "code-injection-eval")]);
    let out = String::from_utf8_lossy(&run(&d, &["config", "tests/test_a.py"]).stdout).into_owned();
    assert!(out.contains("# per-file-ignores for this file: B307, deserialization"), "{out}");
    // Standard input is matched by its --stdin-filename.
    let stdin = |name: &str| {
        let mut child = std::process::Command::new(pyward_tests::bin::pyward_bin())
            .args(["scan", "-", "--format", "json", "--stdin-filename", name])
            .current_dir(&d)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), EVAL.as_bytes()).unwrap();
        findings(&child.wait_with_output().unwrap())
    };
    assert_eq!(stdin("tests/t.py"), vec![]);
    assert_eq!(stdin("app2.py"), vec![pair("app2.py", "code-injection-eval")]);
}

#[test]
fn unknown_keys_and_bad_values_are_errors_naming_file_and_key() {
    let d = temp_workdir("conf-errors");
    write(&d, &[("a.py", EVAL), ("pyproject.toml", "[tool.other]\nx = 1\n\n[tool.pyward]\nselect = [\"injection\"]\nselct = [\"x\"]\n")]);
    let o = run(&d, &["scan", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let file = d.join("pyproject.toml").display().to_string();
    assert!(err.contains(&format!("{file}:6: key `selct`: unknown key `selct`, expected one of")), "{err}");
    assert_eq!(o.stdout, b"", "no report from a bad configuration");
    let bad = |text: &str| {
        std::fs::write(d.join("pyproject.toml"), text).unwrap();
        let o = run(&d, &["scan", "."]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        stderr(&o)
    };
    let err = bad("[tool.pyward]\nmin-severity = \"huge\"\n");
    assert!(err.contains(&format!("{file}:2: key `min-severity`: `huge` is not one of: low, medium, high, critical")), "{err}");
    let err = bad("[tool.pyward]\n\nselect = \"injection\"\n");
    assert!(err.contains(&format!("{file}:3: key `select`: invalid type")), "{err}");
    let err = bad("[tool.pyward]\nignore = [\"no-such-rule\"]\n");
    assert!(err.contains(&format!("{file}:2: key `ignore`: `no-such-rule` names no rule")), "{err}");
    let err = bad("[tool.pyward]\nexclude = [\"a[\"]\n");
    assert!(err.contains(&format!("{file}:2: key `exclude`: bad glob `a[`")), "{err}");
    let err = bad("[tool.pyward]\nselect = [\n");
    assert!(err.contains(&format!("{file}:")), "{err}");
    // `pyward config` reports the same error.
    let o = run(&d, &["config"]);
    assert_eq!(o.status.code(), Some(2));
    // A missing --config file.
    let o = run(&d, &["scan", ".", "--config", "nope.toml"]);
    assert!(o.status.code() == Some(2) && stderr(&o).contains("nope.toml: cannot read"), "{}", stderr(&o));
}

#[test]
fn config_prints_the_effective_configuration() {
    let d = temp_workdir("conf-show");
    write(&d, &[("a.py", EVAL)]);
    let o = run(&d, &["config"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("# no configuration file"), "{out}");
    assert!(out.contains("min-severity = \"low\"  # default\n"), "{out}");
    assert!(out.contains("exclude = [\".eggs\", \".git\", "), "{out}");
    write(&d, &[("pyproject.toml", "[tool.pyward]\n# strict\nmin-severity = \"high\"\nextend-exclude = [\"gen\"]\nbaseline = \"base.json\"\n")]);
    let out = String::from_utf8_lossy(&run(&d, &["config", "a.py"]).stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# pyward configuration for a.py");
    assert_eq!(lines[1], format!("# from {} [tool.pyward]", d.join("pyproject.toml").display()));
    assert!(lines.contains(&"min-severity = \"high\"  # line 3"), "{out}");
    assert!(lines.contains(&"extend-exclude = [\"gen\"]  # line 4"), "{out}");
    assert!(lines.contains(&"baseline = \"base.json\"  # line 5"), "{out}");
    assert!(lines.contains(&"format = \"text\"  # default"), "{out}");
    // One line per key.
    for key in ["select", "extend-select", "ignore", "exclude", "per-file-ignores", "min-confidence", "rules", "force-exclude", "include-stubs"] {
        assert!(lines.iter().any(|l| l.starts_with(&format!("{key} = "))), "{key}: {out}");
    }
    let out = String::from_utf8_lossy(&run(&d, &["config", "gen/x.py"]).stdout).into_owned();
    assert!(out.contains("# this file is excluded by `gen`"), "{out}");
}

#[test]
fn default_excludes_and_force_exclude() {
    let d = temp_workdir("conf-excl");
    write(
        &d,
        &[
            ("app.py", EVAL),
            (".venv/lib/python3.12/site-packages/pkg/x.py", EVAL),
            ("venv/y.py", EVAL),
            ("build/lib/z.py", EVAL),
            ("node_modules/n.py", EVAL),
            ("src/__pycache__/c.py", EVAL),
        ],
    );
    assert_eq!(scan_json(&d, &["."]), vec![pair("app.py", "code-injection-eval")]);
    // Named on the command line: scanned, unless --force-exclude (pre-commit names files).
    let venv_file = ".venv/lib/python3.12/site-packages/pkg/x.py";
    assert_eq!(scan_json(&d, &[venv_file]), vec![pair(venv_file, "code-injection-eval")]);
    assert_eq!(scan_json(&d, &["venv"]), vec![pair("venv/y.py", "code-injection-eval")]);
    let o = run(&d, &["scan", "--format", "json", "--force-exclude", venv_file, "app.py"]);
    assert_eq!(findings(&o), vec![pair("app.py", "code-injection-eval")]);
    assert!(stderr(&o).contains(&format!("pyward: skipped {venv_file}: excluded by `.venv` (--force-exclude)")), "{}", stderr(&o));
    // The `force-exclude` key does the same.
    write(&d, &[("pyward.toml", "force-exclude = true\n")]);
    assert_eq!(scan_json(&d, &["build/lib/z.py"]), vec![]);
    // `exclude` replaces the defaults.
    write(&d, &[("pyward.toml", "exclude = [\"app.py\"]\n")]);
    assert_eq!(scan_json(&d, &["."]).len(), 5);
    // --exclude replaces the configured `exclude`.
    assert_eq!(scan_json(&d, &[".", "--exclude", ".venv,venv,build,node_modules,__pycache__"]), vec![pair("app.py", "code-injection-eval")]);
}

#[test]
fn extend_exclude_in_the_configuration_and_on_the_command_line() {
    let d = temp_workdir("conf-extend");
    write(
        &d,
        &[
            ("pyproject.toml", "[tool.pyward]\nextend-exclude = [\"generated\", \"src/legacy_*.py\"]\n"),
            ("src/app.py", EVAL),
            ("src/legacy_db.py", EVAL),
            ("other/legacy_db.py", EVAL),
            ("src/generated/g.py", EVAL),
            ("migrations/0001.py", EVAL),
            (".venv/x.py", EVAL),
        ],
    );
    // A name pattern matches at any depth; a path pattern relative to the configuration's
    // directory only there; the defaults still apply.
    assert_eq!(
        scan_json(&d, &["."]),
        vec![pair("migrations/0001.py", "code-injection-eval"), pair("other/legacy_db.py", "code-injection-eval"), pair("src/app.py", "code-injection-eval")]
    );
    // From a subdirectory the configuration's patterns are still relative to its directory.
    assert_eq!(scan_json(&d.join("src"), &["."]), vec![pair("app.py", "code-injection-eval")]);
    assert_eq!(
        scan_json(&d, &[".", "--extend-exclude", "migrations"]),
        vec![pair("other/legacy_db.py", "code-injection-eval"), pair("src/app.py", "code-injection-eval")]
    );
}

#[test]
fn stubs_are_skipped_unless_asked_for() {
    let d = temp_workdir("conf-stubs");
    write(&d, &[("pkg/mod.py", EVAL), ("pkg/mod.pyi", EVAL)]);
    assert_eq!(scan_json(&d, &["."]), vec![pair("pkg/mod.py", "code-injection-eval")]);
    let both = vec![pair("pkg/mod.py", "code-injection-eval"), pair("pkg/mod.pyi", "code-injection-eval")];
    assert_eq!(scan_json(&d, &[".", "--include-stubs"]), both);
    // A stub named on the command line is scanned.
    assert_eq!(scan_json(&d, &["pkg/mod.pyi"]), vec![pair("pkg/mod.pyi", "code-injection-eval")]);
    write(&d, &[("pyward.toml", "include-stubs = true\n")]);
    assert_eq!(scan_json(&d, &["."]), both);
}

#[test]
fn configured_rules_are_relative_to_the_file_and_run_only_under_it() {
    let d = temp_workdir("conf-rules");
    let rule = "rules:\n  - id: no-log-secret\n    languages: [python]\n    severity: LOW\n    message: do not log $X\n    pattern: log($X)\n";
    write(
        &d,
        &[
            ("svc/pyward.toml", "rules = [\"../shared/mine.yaml\"]\n"),
            ("shared/mine.yaml", rule),
            ("svc/a.py", "log(secret)\n"),
            ("other/b.py", "log(secret)\n"),
        ],
    );
    assert_eq!(scan_json(&d, &["."]), vec![pair("svc/a.py", "no-log-secret")]);
    assert_eq!(scan_json(&d.join("svc"), &["a.py"]), vec![pair("a.py", "no-log-secret")]);
    // A missing rule file names the configuration key.
    write(&d, &[("svc/pyward.toml", "\nrules = [\"nope.yaml\"]\n")]);
    let o = run(&d, &["scan", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!("{}:2: key `rules`:", d.join("svc/pyward.toml").display())), "{}", stderr(&o));
}
