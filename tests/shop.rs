//! End-to-end test on a realistic application: `tests/shop/vulnerable_shop.py`, a small Flask
//! shop with the vulnerabilities documented in `tests/shop/VULNERABILITIES.md`, and its fixed twin
//! `tests/shop/clean_shop.py`.
//!
//! The test reads the table of `VULNERABILITIES.md` (so the document and the test cannot drift)
//! and asserts:
//! 1. every row with status `found` is reported by its rule on its *Reported* line (the sink, or
//!    the call that passes the data into the helper holding the sink), at HIGH confidence, with a
//!    trace from the documented source line to the sink line;
//! 2. nothing in the clean twin is reported at HIGH confidence;
//! 3. no taint rule reports anything else at HIGH confidence in the vulnerable app (its safe code
//!    stays unflagged).
//!
//! Rows with status `missed` are known misses: they are printed, not failed on.

use std::collections::BTreeSet;

use pyward_engine::{Confidence, Engine, FileResult, Finding, Options};
use pyward_tests::repo_root;

const VULNERABLE: &str = "tests/shop/vulnerable_shop.py";
const CLEAN: &str = "tests/shop/clean_shop.py";
const DOC: &str = "tests/shop/VULNERABILITIES.md";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Found,
    Missed,
}

#[derive(Debug)]
struct Row {
    number: String,
    rule: String,
    sink: u32,
    /// Where the finding is: the sink, or the call in the caller that passes the data in.
    reported: u32,
    source: u32,
    status: Status,
    /// 1-based line of the row in the document.
    doc_line: usize,
}

impl Row {
    fn name(&self) -> String {
        format!("row #{} ({DOC}:{}) `{}` sink {VULNERABLE}:{} source line {}", self.number, self.doc_line, self.rule, self.sink, self.source)
    }
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

/// Parses the vulnerability table: the first Markdown table whose header has the columns `#`,
/// `Rule`, `Sink`, `Source` and `Status` (found by name, in any order).
fn parse_table(doc: &str) -> Vec<Row> {
    let lines: Vec<&str> = doc.lines().collect();
    let header_at = lines
        .iter()
        .position(|l| {
            let c = cells(l);
            l.trim_start().starts_with('|') && ["#", "Rule", "Sink", "Reported", "Source", "Status"].iter().all(|h| c.iter().any(|x| x == h))
        })
        .unwrap_or_else(|| panic!("{DOC}: no table with the columns #, Rule, Sink, Reported, Source, Status"));
    let header = cells(lines[header_at]);
    let col = |name: &str| header.iter().position(|h| h == name).expect("column checked above");
    let (c_num, c_rule, c_sink, c_source, c_status) = (col("#"), col("Rule"), col("Sink"), col("Source"), col("Status"));
    let c_reported = col("Reported");
    let separator = lines.get(header_at + 1).map(|l| cells(l)).unwrap_or_default();
    assert!(
        separator.len() == header.len() && separator.iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':'))),
        "{DOC}:{}: the table header must be followed by a `|---|---|` separator row",
        header_at + 2
    );
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(header_at + 2) {
        if !line.trim_start().starts_with('|') {
            break;
        }
        let doc_line = i + 1;
        let c = cells(line);
        if c.len() != header.len() {
            problems.push(format!("{DOC}:{doc_line}: {} cells, the header has {} (a `|` inside a cell?)", c.len(), header.len()));
            continue;
        }
        let number = c[c_num].clone();
        let rule = c[c_rule].trim_matches('`').to_string();
        let line_no = |s: &str, what: &str, problems: &mut Vec<String>| -> u32 {
            s.parse().unwrap_or_else(|_| {
                problems.push(format!("{DOC}:{doc_line}: row #{number}: {what} `{s}` is not a line number"));
                0
            })
        };
        let sink = line_no(&c[c_sink], "Sink", &mut problems);
        let reported = line_no(&c[c_reported], "Reported", &mut problems);
        let source = line_no(&c[c_source], "Source", &mut problems);
        let status = match c[c_status].trim_matches('`') {
            "found" => Status::Found,
            "missed" => Status::Missed,
            other => {
                problems.push(format!("{DOC}:{doc_line}: row #{number}: status `{other}` is neither `found` nor `missed`"));
                continue;
            }
        };
        if rule.is_empty() || rule.contains(char::is_whitespace) {
            problems.push(format!("{DOC}:{doc_line}: row #{number}: `{rule}` is not a rule id"));
        }
        rows.push(Row { number, rule, sink, reported, source, status, doc_line });
    }
    assert!(problems.is_empty(), "{DOC}: malformed vulnerability table:\n  {}", problems.join("\n  "));
    assert!(!rows.is_empty(), "{DOC}: the vulnerability table has no rows");
    rows
}

struct Setup {
    engine: Engine,
    rows: Vec<Row>,
    vulnerable_src: String,
    vulnerable: FileResult,
    clean: FileResult,
}

fn setup() -> Setup {
    let engine = Engine::builtin().unwrap_or_else(|e| panic!("built-in rules failed to load: {e}"));
    let rows = parse_table(&read(DOC));
    let vulnerable_src = read(VULNERABLE);
    let clean_src = read(CLEAN);
    let vulnerable = engine.check_source(VULNERABLE, &vulnerable_src, &Options::default());
    let clean = engine.check_source(CLEAN, &clean_src, &Options::default());
    for r in [&vulnerable, &clean] {
        let errors: Vec<String> = r.errors.iter().map(|e| format!("{}:{}: {}", e.path, e.line.unwrap_or(0), e.message)).collect();
        assert!(errors.is_empty(), "the shop apps must parse:\n  {}", errors.join("\n  "));
    }
    Setup { engine, rows, vulnerable_src, vulnerable, clean }
}

fn describe(f: &Finding) -> String {
    let trace: Vec<String> = f.trace.iter().map(|s| format!("{}: {}", s.line, s.label)).collect();
    let trace = if trace.is_empty() { String::new() } else { format!("\n      trace: {}", trace.join(" -> ")) };
    format!("{}:{}:{} `{}` confidence {:?}: {}{trace}", f.path, f.line, f.column, f.rule_id, f.confidence, f.message.trim())
}

fn is_taint(engine: &Engine, rule_id: &str) -> bool {
    engine.rule(rule_id).is_some_and(|r| r.meta.taint)
}

#[test]
fn every_documented_vulnerability_is_found_with_its_trace() {
    let s = setup();
    let file_lines = s.vulnerable_src.lines().count() as u32;
    let mut failures = Vec::new();
    let mut found = 0;
    let mut missed_notes = Vec::new();
    for row in &s.rows {
        let name = row.name();
        for (what, l) in [("sink", row.sink), ("reported", row.reported), ("source", row.source)] {
            if l == 0 || l > file_lines || s.vulnerable_src.lines().nth(l as usize - 1).is_some_and(|t| t.trim().is_empty()) {
                failures.push(format!("{name}: the {what} line {l} is blank or outside {VULNERABLE} (stale line numbers?)"));
            }
        }
        let Some(rule) = s.engine.rule(&row.rule) else {
            failures.push(format!("{name}: no rule `{}` is loaded (not written yet, or renamed?)", row.rule));
            continue;
        };
        if !rule.meta.taint {
            failures.push(format!("{name}: `{}` is not a taint rule; the table documents taint flows", row.rule));
            continue;
        }
        let at_sink: Vec<&Finding> = s.vulnerable.findings.iter().filter(|f| f.rule_id == row.rule && f.line == row.reported).collect();
        if row.status == Status::Missed {
            if at_sink.is_empty() {
                missed_notes.push(format!("{name}: still missed (known miss)"));
            } else {
                missed_notes.push(format!("{name}: now reported ({}); mark the row `found`", describe(at_sink[0])));
            }
            continue;
        }
        if at_sink.is_empty() {
            let same_rule: Vec<String> = s.vulnerable.findings.iter().filter(|f| f.rule_id == row.rule).map(describe).collect();
            let others: Vec<String> = s.vulnerable.findings.iter().filter(|f| f.line == row.reported).map(describe).collect();
            failures.push(format!(
                "{name}: `{}` reports nothing on line {}.\n    its findings in the file: {}\n    other findings on the line: {}",
                row.rule,
                row.reported,
                if same_rule.is_empty() { "none".into() } else { same_rule.join("\n      ") },
                if others.is_empty() { "none".into() } else { others.join("\n      ") },
            ));
            continue;
        }
        // Several findings of the rule may share the sink line; one of them must match the row.
        let mut row_errors = Vec::new();
        let mut ok = false;
        for f in &at_sink {
            let mut errs = Vec::new();
            if f.confidence != Confidence::High {
                errs.push(format!("confidence is {:?}, expected High", f.confidence));
            }
            match (f.trace.first(), f.trace.last()) {
                (Some(first), Some(last)) => {
                    if first.line != row.source {
                        errs.push(format!("the trace starts on line {}, expected the source line {}", first.line, row.source));
                    }
                    if last.line != row.sink {
                        errs.push(format!("the trace ends on line {}, expected the sink line {}", last.line, row.sink));
                    }
                }
                _ => errs.push("the trace is empty".into()),
            }
            if errs.is_empty() {
                ok = true;
                break;
            }
            row_errors.push(format!("{}\n      {}", describe(f), errs.join("; ")));
        }
        if ok {
            found += 1;
        } else {
            failures.push(format!("{name}: reported, but not as documented:\n    {}", row_errors.join("\n    ")));
        }
    }
    let expected = s.rows.iter().filter(|r| r.status == Status::Found).count();
    eprintln!("shop: {found}/{expected} documented vulnerabilities found as documented; {} known miss(es)", missed_notes.len());
    for n in &missed_notes {
        eprintln!("  {n}");
    }
    assert!(failures.is_empty(), "{} of {expected} documented vulnerabilities are not found as documented:\n  {}", failures.len(), failures.join("\n  "));
}

#[test]
fn the_clean_twin_has_no_high_confidence_finding() {
    let s = setup();
    let offenders: Vec<String> = s.clean.findings.iter().filter(|f| f.confidence == Confidence::High).map(describe).collect();
    assert!(offenders.is_empty(), "{} high-confidence finding(s) in {CLEAN}:\n  {}", offenders.len(), offenders.join("\n  "));
}

#[test]
fn no_undocumented_high_confidence_taint_finding_in_the_vulnerable_app() {
    let s = setup();
    let documented: BTreeSet<(&str, u32)> = s.rows.iter().map(|r| (r.rule.as_str(), r.reported)).collect();
    let extra: Vec<String> = s
        .vulnerable
        .findings
        .iter()
        .filter(|f| f.confidence == Confidence::High && is_taint(&s.engine, &f.rule_id))
        .filter(|f| !documented.contains(&(f.rule_id.as_str(), f.line)))
        .map(describe)
        .collect();
    assert!(
        extra.is_empty(),
        "{} undocumented high-confidence taint finding(s) in {VULNERABLE} (safe code flagged, or a vulnerability missing from {DOC}):\n  {}",
        extra.len(),
        extra.join("\n  ")
    );
}
