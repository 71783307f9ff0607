//! End-to-end tests of the review deliverables (`pyward scan --format markdown --output-dir`)
//! and of the risk, matrix and guard clauses in the CLI's formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pyward_tests::{pyward_bin, repo_root};


/// Runs pyward in `dir` on 2026-12-07 (SOURCE_DATE_EPOCH).
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(pyward_bin()).args(args).current_dir(dir).env("SOURCE_DATE_EPOCH", "1796601600").output().expect("pyward runs")
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pyward-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The `](target)` link targets of a Markdown text that are relative paths.
fn relative_links(md: &str) -> Vec<String> {
    md.match_indices("](")
        .filter_map(|(i, _)| md[i + 2..].split_once(')').map(|(t, _)| t.to_string()))
        .filter(|t| !t.starts_with("http") && !t.contains(' '))
        .collect()
}

/// The finding files written, sorted.
fn finding_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("security-analysis-2026-12-07"))
        .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn output_dir_writes_the_report_and_one_file_per_finding() {
    let dir = workdir("review");
    let out = dir.join("out");
    let shop = repo_root().join("examples");
    let o = run(&dir, &["scan", shop.to_str().expect("UTF-8 path"), "--format", "markdown", "--output-dir", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let report = read(&out.join("security-analysis-2026-12-07.md"));
    for section in ["# Security analysis — 2026-12-07", "## Scope", "## Overall risk", "## Summary", "## OWASP Top 10 (2021) compliance", "## Dependencies", "## Prioritized action items", "## Next steps"] {
        assert!(report.contains(section), "{section} missing:\n{report}");
    }
    assert!(report.contains("flask_shop.py"), "{report}");
    assert!(report.contains("**Overall risk: Critical**") || report.contains("**Overall risk: High**"), "{report}");
    // The JSON report of the same scan counts the same findings.
    let json: serde_json::Value = serde_json::from_slice(&run(&dir, &["scan", shop.to_str().unwrap_or("."), "--format", "json"]).stdout).expect("JSON");
    let n = json["findings"].as_array().map_or(0, Vec::len);
    let files = finding_files(&out);
    assert_eq!(files.len(), n, "{files:?}");
    assert!(n >= 5, "{n}");
    for (i, name) in files.iter().enumerate() {
        assert!(name.starts_with(&format!("finding-{:03}-", i + 1)) && name.ends_with(".md"), "{name}");
        let text = read(&out.join("security-analysis-2026-12-07").join(name));
        for section in ["## Issue description", "## Location", "## Current code", "## Recommended solution", "## Why this helps", "## Implementation steps", "## How to test the fix"] {
            assert!(text.contains(section), "{section} missing in {name}");
        }
        // The link back resolves.
        for link in relative_links(&text) {
            assert!(out.join("security-analysis-2026-12-07").join(&link).is_file(), "{name}: broken link {link}");
        }
    }
    // Every action item links to a finding file that exists, each file once.
    let links: Vec<String> = relative_links(&report).into_iter().filter(|l| l.contains("/finding-")).collect();
    assert_eq!(links.len(), n);
    for l in &links {
        assert!(out.join(l).is_file(), "broken link {l}");
    }
    // The risk in the JSON is the one of the report.
    let rating = json["risk"]["rating"].as_str().expect("risk.rating");
    let score = json["risk"]["score"].as_u64().expect("risk.score");
    assert!(report.contains(&format!("security score **{score}/100**")), "{rating} {score}\n{report}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_run_replaces_the_finding_files() {
    let dir = workdir("rerun");
    std::fs::write(dir.join("app.py"), "import os\nos.system(input())\neval(input())\n").expect("write");
    assert_eq!(run(&dir, &["scan", "app.py", "--format", "markdown", "--output-dir", "out"]).status.code(), Some(1));
    let before = finding_files(&dir.join("out"));
    assert!(before.len() >= 2, "{before:?}");
    std::fs::write(dir.join("app.py"), "import os\nos.system(input())\n").expect("write");
    assert_eq!(run(&dir, &["scan", "app.py", "--format", "markdown", "--output-dir", "out"]).status.code(), Some(1));
    let after = finding_files(&dir.join("out"));
    assert!(!after.is_empty() && after.len() < before.len(), "{before:?} -> {after:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether every occurrence of `needle` in `md` is inside a code span on its line (an odd
/// number of backticks before it), where Markdown reads it as text.
fn only_in_code_spans(md: &str, needle: &str) -> bool {
    md.lines().all(|l| l.match_indices(needle).all(|(i, _)| l[..i].matches('`').count() % 2 == 1))
}

#[test]
fn output_dir_escapes_file_names_and_code() {
    let dir = workdir("escape");
    let name = "x<img src=q onerror=alert(1)>[a](javascript:b).py";
    std::fs::write(dir.join(name), "eval(\"```\\n# Title <script>alert(1)</script>\" + input())\n").expect("write");
    let o = run(&dir, &["scan", name, "--format", "markdown", "--output-dir", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let report = read(&dir.join("out/security-analysis-2026-12-07.md"));
    let files = finding_files(&dir.join("out"));
    assert!(!files.is_empty());
    for f in &files {
        // File names come from rule ids only.
        assert!(f.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "{f}");
        let text = read(&dir.join("out/security-analysis-2026-12-07").join(f));
        // The code is quoted in a fence longer than its own backtick run, and no line of the
        // file starts a heading from the code.
        assert!(text.contains("````python\neval(\"```"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("# Title")), "{text}");
        assert!(only_in_code_spans(&text, "](javascript:"), "{text}");
    }
    // The file name appears only in code spans: never as a raw tag or a link.
    assert!(only_in_code_spans(&report, "](javascript:"), "{report}");
    for (i, _) in report.match_indices("<img") {
        assert!(report[..i].ends_with("`x") || report[..i].ends_with("` x"), "raw <img in:\n{report}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_dir_needs_the_markdown_format() {
    let dir = workdir("format");
    std::fs::write(dir.join("app.py"), "x = 1\n").expect("write");
    let o = run(&dir, &["scan", "app.py", "--output-dir", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format markdown"));
    assert!(!dir.join("out").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clean_reports_list_the_checks_and_say_whether_dependencies_were_checked() {
    let dir = workdir("guard");
    std::fs::write(dir.join("app.py"), "x = 1\n").expect("write");
    let text = String::from_utf8_lossy(&run(&dir, &["scan", "app.py"]).stdout).into_owned();
    assert!(text.contains("NO_SECURITY_ISSUES") && text.contains("dependencies: not checked (no requirements file found)"), "{text}");
    assert!(!text.contains("Vulnerable dependencies ✓"));
    assert!(text.contains("Overall risk: Low (security score 100/100)."), "{text}");
    let md = String::from_utf8_lossy(&run(&dir, &["scan", "app.py", "--format", "markdown"]).stdout).into_owned();
    assert!(md.contains("- dependencies: not checked (no requirements file found)") && md.contains("| A03:2021 Injection |"), "{md}");
    let o = run(&dir, &["scan", "app.py", "--format", "markdown", "--output-dir", "out"]);
    assert_eq!(o.status.code(), Some(0));
    let review = read(&dir.join("out/security-analysis-2026-12-07.md"));
    assert!(review.contains("`NO_SECURITY_ISSUES`") && review.contains("None: no finding."), "{review}");
    assert!(finding_files(&dir.join("out")).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn risk_and_likelihood_reach_every_format() {
    let dir = workdir("formats");
    std::fs::write(dir.join("app.py"), "import yaml\nyaml.load(open('f'))\n").expect("write");
    let sarif: serde_json::Value = serde_json::from_slice(&run(&dir, &["scan", "app.py", "--format", "sarif"]).stdout).expect("SARIF");
    let props = &sarif["runs"][0]["properties"];
    let json: serde_json::Value = serde_json::from_slice(&run(&dir, &["scan", "app.py", "--format", "json"]).stdout).expect("JSON");
    assert_eq!(props["risk"], json["risk"]["rating"]);
    assert_eq!(props["securityScore"], json["risk"]["score"]);
    let f = &json["findings"][0];
    let r = &sarif["runs"][0]["results"][0];
    assert!(f["likelihood"].is_string() && f["impact"].is_string(), "{f}");
    assert_eq!(r["properties"]["likelihood"].as_str(), f["likelihood"].as_str().map(str::to_lowercase).as_deref());
    assert_eq!(r["properties"]["impact"].as_str(), f["impact"].as_str().map(str::to_lowercase).as_deref());
    let text = String::from_utf8_lossy(&run(&dir, &["scan", "app.py"]).stdout).into_owned();
    let expected = format!("[likelihood {}, impact {}]", f["likelihood"].as_str().unwrap_or("").to_lowercase(), f["impact"].as_str().unwrap_or("").to_lowercase());
    assert!(text.contains(&expected), "{text}");
    let md = String::from_utf8_lossy(&run(&dir, &["scan", "app.py", "--format", "markdown"]).stdout).into_owned();
    assert!(md.contains(&format!("- **Likelihood:** {} · **Impact:** {}", f["likelihood"].as_str().unwrap_or(""), f["impact"].as_str().unwrap_or(""))), "{md}");
    let rows = json["owasp_top10"].as_array().expect("owasp_top10");
    assert_eq!(rows.len(), 10);
    let a08 = rows.iter().find(|r| r["id"] == "A08:2021").expect("A08");
    assert_eq!(a08["status"], "issues_found", "{a08}");
    let _ = std::fs::remove_dir_all(&dir);
}
