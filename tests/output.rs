//! Output integrity and line handling (the reliability reproducers): what a scanned file can
//! put into a report (file names, code, messages quoting code) must not change the report's
//! structure, in any format; `\r`, `\n` and `\r\n` all end lines; one finding quotes a bounded
//! excerpt; the status says when some input was not analysed.

use pyward_engine::report::{Report, INCOMPLETE_ANALYSIS, NO_ACTIONABLE_INPUT, NO_SECURITY_ISSUES};
use pyward_engine::{Engine, FileResult, Options, RuleMeta};

fn engine() -> Engine {
    Engine::builtin().expect("built-in rules")
}

fn metas(e: &Engine) -> Vec<&RuleMeta> {
    e.rules().iter().map(|r| &r.meta).collect()
}

fn report(e: &Engine, files: &[(&str, &str)]) -> Report {
    let results: Vec<FileResult> = files.iter().map(|(p, s)| e.check_source(p, s, &Options::default())).collect();
    Report::new(results, &metas(e))
}

/// The lines of Markdown that are outside fenced code blocks (CommonMark: a fence closes
/// only with at least as many backticks as it opened with).
fn outside_fences(md: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for line in md.lines() {
        let ticks = line.len() - line.trim_start_matches('`').len();
        match open {
            Some(n) if ticks >= n && line[ticks..].trim().is_empty() => open = None,
            Some(_) => {}
            None if ticks >= 3 => open = Some(ticks),
            None => out.push(line),
        }
    }
    out
}

const HOSTILE: &str = "eval(\"\"\"\n```\n# Injected heading\n\"\"\" + \"<script>x</script><img src=x onerror=alert(1)>[a](javascript:alert(1))\" + s)\n";

#[test]
fn markdown_keeps_code_in_its_place() {
    let e = engine();
    let md = report(&e, &[("we`ird.py", HOSTILE)]).to_markdown(&metas(&e));
    let outside = outside_fences(&md);
    let headings: Vec<&&str> = outside.iter().filter(|l| l.starts_with('#')).collect();
    assert!(!headings.iter().any(|h| h.contains("Injected")), "the snippet closed its fence: {headings:?}\n{md}");
    let prose = outside.join("\n");
    for raw in ["<script>", "<img", "](javascript:"] {
        assert!(!prose.contains(raw), "{raw} passes into the Markdown text:\n{prose}");
    }
    let impact = outside.iter().find(|l| l.starts_with("**Impact:**")).expect("impact line");
    assert!(impact.contains("&lt;script&gt;") && impact.contains("\\[a\\]\\(javascript:"), "{impact}");
    // The file name with a backtick stays one code span: `` we`ird.py:1:1 ``.
    assert!(md.contains("- **Location:** `` we`ird.py:1:1 ``"), "{md}");
}

#[test]
fn sarif_regions_uris_and_column_kind() {
    let e = engine();
    let long = format!("a = [{}, eval(x)]\n", "1".repeat(400));
    let r = report(&e, &[("dir name/a\\b#?%.py", &long)]);
    let v: serde_json::Value = serde_json::from_str(&r.to_sarif(&metas(&e))).expect("valid SARIF JSON");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let loc = &run["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "dir%20name/a%5Cb%23%3F%25.py");
    assert_eq!(loc["region"]["snippet"]["text"], "eval(x)");
    assert_eq!(loc["region"]["startColumn"], 408);

    // A name that is not UTF-8 is shown with `\xNN`; its URI holds the raw byte.
    let mut r = report(&e, &[("caf\\xe9.py", "eval(x)\n")]);
    r.raw_paths.insert("caf\\xe9.py".into(), b"caf\xe9.py".to_vec());
    let v: serde_json::Value = serde_json::from_str(&r.to_sarif(&metas(&e))).unwrap();
    assert_eq!(v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "caf%E9.py");
}

#[test]
fn text_escapes_control_characters() {
    let e = engine();
    let text = report(&e, &[("e\x1b[31mred\nfake.py", "eval(x)\n")]).to_text();
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.starts_with("e\\x1b[31mred\\nfake.py:1:1: HIGH code-injection-eval  "), "{text:?}");
    // Code quoted in a message: a string holding a line break and an escape sequence.
    let text = report(&e, &[("a.py", "eval(\"\\\n\x1b[2J\" + s)\n")]).to_text();
    // Three lines: the finding, the summary and the overall risk.
    assert!(!text.contains('\x1b') && text.lines().count() == 3, "{text:?}");
}

#[test]
fn a_message_substitutes_each_metavariable_once() {
    let mut e = Engine::builtin().unwrap();
    e.add_rules_yaml(
        "t.yaml",
        "rules:\n  - id: t\n    languages: [python]\n    severity: LOW\n    message: first=$A second=$B\n    pattern: f($A, $B)\n",
    )
    .unwrap();
    let opts = Options { select: vec!["t".into()], ..Options::default() };
    let r = e.check_source("i.py", "f(\"$B\", secret_value)\n", &opts);
    assert_eq!(r.findings[0].message, "first=\"$B\" second=secret_value");
}

#[test]
fn snippets_are_bounded_on_a_long_line() {
    let e = engine();
    let src = format!("x = [{}]\n", vec!["eval(a)"; 3000].join(", "));
    let r = e.check_source("long.py", &src, &Options::default());
    assert_eq!(r.findings.len(), 3000);
    let total: usize = r.findings.iter().map(|f| f.snippet.len()).sum();
    assert!(total < 3000 * 500, "snippets hold {total} bytes");
    let f = &r.findings[1500];
    assert!(f.snippet.starts_with('…') && f.snippet.ends_with('…') && f.snippet.contains("eval(a)"), "{}", f.snippet);
    assert_eq!(f.region.as_deref(), Some("eval(a)"));
    // A short line is still quoted whole.
    let r = e.check_source("s.py", "import os\nos.system(cmd)  # run\n", &Options::default());
    assert_eq!(r.findings[0].snippet, "os.system(cmd)  # run");
}

#[test]
fn every_kind_of_line_break_counts() {
    let e = engine();
    let lf = "import os\nos.system(a)  # nosec\nos.system(b)\neval(c)\n";
    for (name, src) in [("lf", lf.to_string()), ("cr", lf.replace('\n', "\r")), ("crlf", lf.replace('\n', "\r\n"))] {
        let r = e.check_source("f.py", &src, &Options::default());
        let lines: Vec<u32> = r.findings.iter().map(|f| f.line).collect();
        assert_eq!(lines, [3, 4], "{name}: {:?}", r.findings);
        assert_eq!(r.suppressed, 1, "{name}");
        assert_eq!(r.lines, 4, "{name}");
        assert_eq!(r.findings[0].snippet, "os.system(b)", "{name}");
        let text = Report::new(vec![r], &metas(&e)).to_text();
        assert!(text.starts_with("f.py:3:1: HIGH os-command-injection"), "{name}: {text}");
    }
    // Mixed: `\r\n`, a lone `\r` and `\n` in one file.
    let r = e.check_source("m.py", "import os\r\nos.system(a)  # nosec\ros.system(b)\neval(c)\r\n", &Options::default());
    assert_eq!(r.findings.iter().map(|f| (f.line, f.column)).collect::<Vec<_>>(), [(3, 1), (4, 1)]);
    assert_eq!(r.suppressed, 1);
    // A multi-line finding across `\r` breaks quotes its lines with `\n`.
    let r = e.check_source("c.py", "import os\ros.system(\r    cmd\r)\r", &Options::default());
    assert_eq!(r.findings[0].snippet, "os.system(\n    cmd\n)");
    assert_eq!((r.findings[0].end_line, r.findings[0].end_column), (4, 2));
}

#[test]
fn errors_make_the_status_incomplete_in_every_format() {
    let e = engine();
    let r = report(&e, &[("ok.py", "x = 1\n"), ("bad.py", "def f(:\n")]);
    assert_eq!(r.status, INCOMPLETE_ANALYSIS);
    assert!(r.to_text().contains("bad.py:1:7: ERROR syntax error"), "{}", r.to_text());
    assert!(!r.to_text().contains(NO_SECURITY_ISSUES));
    let md = r.to_markdown(&metas(&e));
    assert!(md.contains(INCOMPLETE_ANALYSIS) && md.contains("## Errors") && md.contains("`bad.py:1:7`"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["status"], INCOMPLETE_ANALYSIS);
    assert_eq!(json["errors"][0]["path"], "bad.py");
    let sarif: serde_json::Value = serde_json::from_str(&r.to_sarif(&metas(&e))).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bad.py");
    assert_eq!(sarif["runs"][0]["invocations"][0]["executionSuccessful"], false, "an input was not analysed fully");
    let clean: serde_json::Value = serde_json::from_str(&report(&e, &[("ok.py", "x = 1\n")]).to_sarif(&metas(&e))).unwrap();
    assert_eq!(clean["runs"][0]["invocations"][0]["executionSuccessful"], true);
    // Findings and errors: the findings status, with the errors still listed.
    let r = report(&e, &[("ev.py", "eval(x)\n"), ("bad.py", "def f(:\n")]);
    assert!(r.to_text().contains("; 2 error(s)."), "{}", r.to_text());
    // Clean and empty inputs keep their states.
    assert_eq!(report(&e, &[("ok.py", "x = 1\n")]).status, NO_SECURITY_ISSUES);
    assert_eq!(report(&e, &[("e.py", "")]).status, NO_ACTIONABLE_INPUT);
}
