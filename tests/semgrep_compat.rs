//! Semgrep compatibility harness: runs rule files on their annotated test files and judges them
//! as `semgrep --test` does.
//!
//! A rule file `x.yaml` (or `x.yml`) is tested on the Python file beside it (`x.py`). The lines
//! expected to be reported are those annotated `ruleid:` or `todook:`; the rule passes when the
//! lines it reports are exactly those (so `ok:`, `todoruleid:` and unannotated lines must stay
//! clean). An annotation alone on its line applies to the next line that is not an annotation;
//! one after code on a line applies to that line.
//!
//! - `tests/semgrep-compat/features/`: pyward's own rule and code pairs, one per Semgrep feature
//!   (written from Semgrep's documentation); every one must pass.
//! - `PYWARD_SEMGREP_RULES=<dir>`: Semgrep's community rules (`semgrep/semgrep-rules`, whose
//!   licence does not allow shipping them: `scripts/semgrep-compat.sh` downloads them). Prints
//!   the pass count and each failure's cause; `PYWARD_SEMGREP_MIN=<n>` fails below n passes.
//!
//! The checker is kept to this file so that it can later be pointed at `pyward test`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pyward_engine::rules::RuleSet;
use pyward_engine::{Engine, Options};
use pyward_tests::repo_root;

/// What an annotation expects of its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// `ruleid:` or `todook:`: the line is reported.
    Reported,
    /// `ok:` or `todoruleid:`: the line is not.
    Clean,
}

/// The comment's annotation kind and rule ids, when `comment` (text after `#`) is one.
fn annotation(comment: &str) -> Option<(Expect, Vec<&str>)> {
    let body = comment.trim();
    let kinds = [("ruleid:", Expect::Reported), ("todook:", Expect::Reported), ("ok:", Expect::Clean), ("todoruleid:", Expect::Clean)];
    let (rest, expect) = kinds.iter().find_map(|(k, e)| body.strip_prefix(k).map(|r| (r, *e)))?;
    Some((expect, rest.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()))
}

/// The annotation in `line`, with the offset of its `#`.
fn parsed(line: &str) -> Option<(usize, (Expect, Vec<&str>))> {
    let hash = line.find('#')?;
    annotation(&line[hash + 1..]).map(|a| (hash, a))
}

/// The lines (1-based) that `rule` is expected to report and those it must not, read from the
/// test file's annotations.
fn expectations(src: &str, rule: &str) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let lines: Vec<&str> = src.lines().collect();
    let (mut reported, mut clean) = (BTreeSet::new(), BTreeSet::new());
    for (i, line) in lines.iter().enumerate() {
        let Some((hash, (expect, ids))) = parsed(line) else { continue };
        if !ids.contains(&rule) {
            continue;
        }
        let target = if line[..hash].trim().is_empty() {
            // Alone on its line: the next line that is not an annotation too.
            let skip = lines[i + 1..].iter().take_while(|l| l.trim_start().starts_with('#') && parsed(l).is_some()).count();
            i + 1 + skip
        } else {
            i
        };
        let line_no = u32::try_from(target + 1).unwrap_or(u32::MAX);
        match expect {
            Expect::Reported => reported.insert(line_no),
            Expect::Clean => clean.insert(line_no),
        };
    }
    (reported, clean)
}

/// How one rule file fared.
#[derive(Debug)]
enum Verdict {
    Pass,
    /// The rule file did not load: the error.
    Load(String),
    /// It loaded: the lines it missed and the lines it reported wrongly.
    Lines { missed: Vec<u32>, wrong: Vec<u32> },
}

/// Runs the rules of `yaml` alone on `src`, judged as `semgrep --test` judges.
fn judge(file: &str, yaml: &str, src: &str) -> Verdict {
    let mut engine = Engine::from_rules(RuleSet::default());
    if let Err(e) = engine.add_rules_yaml(file, yaml) {
        return Verdict::Load(e.to_string());
    }
    let ids: Vec<String> = engine.rules().iter().map(|r| r.meta.id.clone()).collect();
    let opts = Options { select: ids.clone(), ..Options::default() };
    let result = engine.check_source("test.py", src, &opts);
    let (mut missed, mut wrong) = (Vec::new(), Vec::new());
    for id in &ids {
        let got: BTreeSet<u32> = result.findings.iter().filter(|f| &f.rule_id == id).map(|f| f.line).collect();
        let (expected, _) = expectations(src, id);
        missed.extend(expected.difference(&got));
        wrong.extend(got.difference(&expected));
    }
    if missed.is_empty() && wrong.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Lines { missed, wrong }
    }
}

/// Every rule file under `dir` (recursively) that has a `.py` test file beside it.
fn rule_files(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let py = p.with_extension("py");
                if py.is_file() {
                    out.push((p, py));
                }
            }
        }
    }
    out.sort();
    out
}

/// Judges every rule file under `dir`: (file, verdict) in path order.
fn judge_dir(dir: &Path) -> Vec<(String, Verdict)> {
    rule_files(dir)
        .into_iter()
        .map(|(yaml, py)| {
            let name = yaml.strip_prefix(dir).unwrap_or(&yaml).to_string_lossy().into_owned();
            let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
            let verdict = judge(&name, &read(&yaml), &read(&py));
            (name, verdict)
        })
        .collect()
}

fn describe(results: &[(String, Verdict)]) -> (usize, String) {
    let mut text = String::new();
    let mut passed = 0;
    for (name, v) in results {
        match v {
            Verdict::Pass => passed += 1,
            Verdict::Load(e) => text.push_str(&format!("FAIL {name}: does not load: {e}\n")),
            Verdict::Lines { missed, wrong } => text.push_str(&format!("FAIL {name}: missed lines {missed:?}, wrong lines {wrong:?}\n")),
        }
    }
    (passed, text)
}

/// pyward's own pair for each Semgrep feature: all pass.
#[test]
fn every_feature_pair_passes() {
    let dir = repo_root().join("tests/semgrep-compat/features");
    let results = judge_dir(&dir);
    assert!(results.len() >= 7, "expected a rule and code pair per feature in {}", dir.display());
    let (passed, failures) = describe(&results);
    assert_eq!(passed, results.len(), "{failures}");
}

/// Semgrep's community rules, when `PYWARD_SEMGREP_RULES` names a copy of them.
#[test]
fn community_rules() {
    let Ok(dir) = std::env::var("PYWARD_SEMGREP_RULES") else {
        eprintln!("PYWARD_SEMGREP_RULES is not set: skipped (see scripts/semgrep-compat.sh)");
        return;
    };
    let results = judge_dir(Path::new(&dir));
    let (passed, failures) = describe(&results);
    println!("{failures}semgrep-compat: {passed} of {} rule files pass", results.len());
    let min = std::env::var("PYWARD_SEMGREP_MIN").ok().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
    assert!(passed >= min, "{passed} of {} pass, fewer than PYWARD_SEMGREP_MIN={min}", results.len());
}

/// The checker itself, on a file with each kind of annotation.
#[test]
fn annotations_are_read_as_semgrep_reads_them() {
    let src = "# ruleid: r\nbad()\n# ok: r, other\ngood()\n# todoruleid: r\n# ruleid: other\nmissed()\nx = bad()  # ruleid: r\n# todook: r\nflagged_but_fine()\n";
    let (reported, clean) = expectations(src, "r");
    assert_eq!(reported.into_iter().collect::<Vec<_>>(), vec![2, 8, 10]);
    assert_eq!(clean.into_iter().collect::<Vec<_>>(), vec![4, 7]);
    let (reported, _) = expectations(src, "other");
    assert_eq!(reported.into_iter().collect::<Vec<_>>(), vec![7]);
    let yaml = "rules:\n  - id: r\n    languages: [python]\n    severity: ERROR\n    message: m\n    pattern: bad()\n";
    assert!(matches!(judge("r.yaml", yaml, "# ruleid: r\nbad()\n# ok: r\ngood()\n"), Verdict::Pass));
    let v = judge("r.yaml", yaml, "# ok: r\nbad()\n# ruleid: r\ngood()\nbad()\n");
    assert!(matches!(&v, Verdict::Lines { missed, wrong } if missed == &[4] && wrong == &[2, 5]), "{v:?}");
    assert!(matches!(judge("r.yaml", "rules: [", ""), Verdict::Load(_)));
}
