//! The dependency audit end to end: the engine with the shipped data (real advisories, checked
//! against the PyPA database snapshot), and the `pyward` binary on dependency files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pyward_engine::{Engine, FileResult, Finding, Options};
use pyward_tests::{engine_with_dependency_data, pyward_bin};

fn check(engine: &Engine, path: &str, text: &str) -> FileResult {
    engine.check_dependency_file(path, text, &Options::default()).result
}

fn rule<'a>(r: &'a FileResult, id: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.rule_id == id).collect()
}

/// The vulnerability finding on `line`, with its fixed version and advisory ids.
fn vuln_on(r: &FileResult, line: u32) -> (String, Vec<String>, String) {
    let f = rule(r, "vulnerable-dependency").into_iter().find(|f| f.line == line).unwrap_or_else(|| panic!("no vulnerability on line {line}: {:#?}", r.findings));
    let d = f.dependency.as_ref().expect("dependency info");
    (d.fixed.clone().unwrap_or_default(), d.advisories.clone(), d.action.clone())
}

#[test]
fn vulnerable_pins_carry_the_real_fixed_version() {
    let engine = engine_with_dependency_data();
    let text = "django==2.2.0\nPyYAML==5.3\njinja2==2.10\nrequests==2.19.0\ndjango==4.2.16\nrequests==2.32.3\n";
    let r = check(&engine, "requirements.txt", text);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let (fixed, ids, action) = vuln_on(&r, 1);
    assert_eq!(fixed, "2.2.28");
    assert_eq!(action, "upgrade django to 2.2.28 or later");
    assert!(ids.iter().any(|i| i.starts_with("PYSEC-")) && ids.iter().any(|i| i.starts_with("CVE-")) && ids.iter().any(|i| i.starts_with("GHSA-")), "{ids:?}");
    assert_eq!(vuln_on(&r, 2).0, "5.4", "pyyaml 5.3: CVE-2020-14343, fixed in 5.4");
    assert!(vuln_on(&r, 2).1.iter().any(|i| i == "CVE-2020-14343"));
    assert_eq!(vuln_on(&r, 3).0, "2.11.3");
    assert_eq!(vuln_on(&r, 4).0, "2.31.0");
    let lines: Vec<u32> = rule(&r, "vulnerable-dependency").iter().map(|f| f.line).collect();
    assert_eq!(lines, [1, 2, 3, 4], "the safe pins on lines 5 and 6 are clean");
    let django = rule(&r, "vulnerable-dependency")[0];
    assert_eq!(django.confidence, pyward_engine::Confidence::High);
    assert_eq!(django.severity, pyward_engine::Severity::High, "none of these advisories has a CVSS vector in the table: high");
}

#[test]
fn severity_comes_from_cvss_when_the_advisory_has_it() {
    let engine = engine_with_dependency_data();
    // PYSEC-2023-262 (CVE-2023-43364): CVSS:3.1 vector scoring 9.8, fixed in 2.4.2.
    let r = check(&engine, "requirements.txt", "searchor==2.4.0\n");
    let f = rule(&r, "vulnerable-dependency")[0];
    assert_eq!(f.severity, pyward_engine::Severity::Critical);
    assert_eq!(vuln_on(&r, 1).0, "2.4.2");
    assert!(f.message.contains("<2.4.2"), "{}", f.message);
    // apache-iotdb 1.2.0: PYSEC-2024-11 scores 9.8 (critical), and PYSEC-2023-8 affects every
    // version (OSV: introduced 0, never fixed), so no release fixes both.
    let r = check(&engine, "requirements.txt", "apache-iotdb==1.2.0\n");
    let f = rule(&r, "vulnerable-dependency")[0];
    assert_eq!(f.severity, pyward_engine::Severity::Critical);
    assert!(f.message.contains("no release of apache-iotdb fixes every advisory"), "{}", f.message);
}

#[test]
fn a_range_that_allows_affected_versions_is_low_confidence() {
    let engine = engine_with_dependency_data();
    let r = check(&engine, "requirements.txt", "urllib3>=1.24,<1.25\nurllib3>=2.2.3,<3\n");
    let v = rule(&r, "vulnerable-dependency");
    assert_eq!(v.len(), 1, "{:#?}", r.findings);
    assert_eq!(v[0].line, 1);
    assert_eq!(v[0].confidence, pyward_engine::Confidence::Low);
}

#[test]
fn pyproject_and_lock_files_are_audited() {
    let engine = engine_with_dependency_data();
    let pyproject = "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\n  \"django==2.2.0\",\n]\n";
    let r = check(&engine, "pyproject.toml", pyproject);
    assert_eq!(vuln_on(&r, 5).0, "2.2.28");
    let poetry = "[[package]]\nname = \"pyyaml\"\nversion = \"5.3\"\n";
    assert_eq!(vuln_on(&check(&engine, "poetry.lock", poetry), 2).0, "5.4");
    let uv = "version = 1\n\n[[package]]\nname = \"jinja2\"\nversion = \"2.10\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
    assert_eq!(vuln_on(&check(&engine, "uv.lock", uv), 4).0, "2.11.3");
    let pipfile_lock = "{\n  \"_meta\": {\"sources\": []},\n  \"default\": {\n    \"requests\": {\"version\": \"==2.19.0\"}\n  }\n}\n";
    assert_eq!(vuln_on(&check(&engine, "Pipfile.lock", pipfile_lock), 4).0, "2.31.0");
    let lock = check(&engine, "poetry.lock", "[[package]]\nname = \"zzz-internal-thing\"\nversion = \"1.0\"\n");
    assert!(lock.findings.is_empty(), "lock files get no loose-range or uncommon notes: {:#?}", lock.findings);
}

#[test]
fn typosquats_name_their_target() {
    let engine = engine_with_dependency_data();
    let r = check(&engine, "requirements.txt", "reqeusts==2.32.3\nbeautifulsoup==3.2.2\ndateutil==2.8.2\nrequests==2.32.3\nsome-unheard-of-package==1.0\n");
    let t: Vec<(u32, String)> = rule(&r, "typosquat-dependency").iter().map(|f| (f.line, f.dependency.as_ref().and_then(|d| d.imitates.clone()).unwrap_or_default())).collect();
    assert_eq!(t, [(1, "requests".into()), (2, "beautifulsoup4".into()), (3, "python-dateutil".into())]);
    let vet: Vec<u32> = rule(&r, "uncommon-dependency").iter().map(|f| f.line).collect();
    assert_eq!(vet, [5], "only the unknown name is a vet-this note");
}

#[test]
fn loose_ranges_and_bad_sources() {
    let engine = engine_with_dependency_data();
    let text = "--index-url http://pypi.internal/simple\n--extra-index-url https://corp.example/simple\n--trusted-host corp.example\nflask>=2.0\nrequests\nsix==1.16.0\ngit+https://github.com/a/b.git@main#egg=b\n";
    let r = check(&engine, "requirements.txt", text);
    let loose: Vec<u32> = rule(&r, "unpinned-dependency").iter().map(|f| f.line).collect();
    assert_eq!(loose, [4, 5]);
    let untrusted: Vec<(u32, pyward_engine::Severity)> = rule(&r, "untrusted-package-source").iter().map(|f| (f.line, f.severity)).collect();
    use pyward_engine::Severity::{High, Medium};
    assert_eq!(untrusted, [(1, High), (2, Medium), (3, Medium), (7, Medium)]);
    let library = check(&engine, "pyproject.toml", "[build-system]\nrequires = [\"hatchling\"]\n[project]\nname = \"lib\"\nversion = \"1\"\ndependencies = [\"requests>=2\"]\n");
    assert!(rule(&library, "unpinned-dependency").is_empty(), "a package's ranges are meant to be open");
}

#[test]
fn malformed_lines_are_errors_with_positions_and_the_rest_is_checked() {
    let engine = engine_with_dependency_data();
    let r = check(&engine, "requirements.txt", "flask==3.0.3\nrequests>=>2\ndjango==2.2.0\n");
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].line, Some(2));
    assert!(r.errors[0].column.is_some_and(|c| c >= 1));
    assert_eq!(vuln_on(&r, 3).0, "2.2.28", "the line after the bad one is still checked");
    let t = check(&engine, "pyproject.toml", "[project]\ndependencies = [\"django==2.2.0\", \"requests ===\"]\n");
    assert_eq!(t.errors.len(), 1, "{:?}", t.errors);
    assert_eq!(t.errors[0].line, Some(2));
    assert_eq!(vuln_on(&t, 2).0, "2.2.28");
}

#[test]
fn typosquat_search_is_near_linear() {
    // 20,000 distinct made-up names against the 15,000 popular ones: with an index this is a few
    // hash look-ups per name; a scan of the list per name would be 300 million distance checks.
    let engine = engine_with_dependency_data();
    let text: String = (0..20_000).map(|i| format!("pkg-{i:05}-reqeusts==1.0\n")).collect();
    let start = std::time::Instant::now();
    let r = check(&engine, "requirements.txt", &text);
    let took = start.elapsed();
    assert_eq!(r.findings.iter().filter(|f| f.rule_id == "uncommon-dependency").count(), 20_000);
    eprintln!("20,000 requirements audited in {took:?}");
    assert!(took.as_secs() < 20, "took {took:?}");
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pyward-deps-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(pyward_bin()).args(args).current_dir(dir).output().expect("pyward runs")
}

#[test]
fn the_cli_audits_dependency_files_by_name_and_path_in_every_format() {
    let dir = workdir("cli");
    std::fs::write(dir.join("requirements.txt"), "-r base.txt\nrequests==2.32.3\n").expect("write");
    std::fs::write(dir.join("base.txt"), "# base\ndjango==2.2.0\n").expect("write");
    std::fs::write(dir.join("app.py"), "import os\n").expect("write");
    let text = run(&dir, &["scan", "."]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.status.code(), Some(1), "{out}");
    assert!(out.contains("base.txt:2"), "the included file's finding points at its line: {out}");
    assert!(out.contains("2.2.28"), "{out}");
    assert!(!out.contains("syntax error"), "requirements are not parsed as Python: {out}");
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert!(stderr.contains("advisory data from 2024-10-10"), "{stderr}");
    let explicit = run(&dir, &["scan", "requirements.txt", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&explicit.stdout).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    let django = findings.iter().find(|f| f["rule_id"] == "vulnerable-dependency").expect("django finding");
    assert_eq!(django["line"], 2);
    assert_eq!(django["dependency"]["fixed"], "2.2.28");
    let sarif = run(&dir, &["scan", "requirements.txt", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(region["region"]["startLine"], 2, "{region}");
    assert!(region["artifactLocation"]["uri"].as_str().is_some_and(|u| u.ends_with("base.txt")), "{region}");
    let md = run(&dir, &["scan", "requirements.txt", "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&md.stdout).contains("base.txt"), "markdown names the file");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn version_prints_the_data_date() {
    let out = run(&std::env::temp_dir(), &["--version"]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("advisory data 2024-10-10"), "{s}");
}

#[test]
fn stale_data_warns_with_an_injected_clock() {
    use pyward_engine::deps::data::{days_since_epoch, staleness_warning};
    let table = std::fs::read_to_string(pyward_tests::repo_root().join("crates/engine/data/advisories.tsv")).expect("table");
    let date = pyward_engine::deps::data::Advisories::parse(&table).date.expect("the table has a date");
    let day = days_since_epoch(&date).expect("a date");
    assert!(staleness_warning(&date, day + 30).is_none());
    let w = staleness_warning(&date, day + 400).expect("stale after 90 days");
    assert!(w.contains("scripts/update-advisories") && !w.contains('\n'), "{w}");
}
