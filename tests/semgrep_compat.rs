//! Semgrep compatibility harness: runs rule files on their annotated test files and judges them
//! as `semgrep --test` does.
//!
//! A rule file `x.yaml` (or `x.yml`) is tested on the Python file beside it (`x.py`), with
//! Semgrep's algorithm (its `semgrep --test` in `test.py`): a line holding `# ruleid: <ids>`
//! (also `#ruleid:`, anywhere on the line) expects a finding that starts on the next line;
//! `todoruleid:` and `todook:` lines are left out of both the expected and the reported lines;
//! a rule passes when the start lines of its findings are exactly the expected lines (so `ok:`
//! and unannotated lines must stay clean).
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

/// An annotation's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    RuleId,
    Ok,
    /// `todoruleid:` or `todook:`: the line is judged neither way.
    Todo,
}

/// The annotation in `line` and its rule ids, as Semgrep finds it: `#ruleid:` or `# ruleid:`
/// anywhere in the line, ids after the colon, comma-separated.
fn annotation(line: &str) -> Option<(Kind, Vec<&str>)> {
    let has = |word: &str| line.contains(&format!("#{word}")) || line.contains(&format!("# {word}"));
    let kind = if has("todoruleid") || has("todook") {
        Kind::Todo
    } else if has("ruleid") {
        Kind::RuleId
    } else if has("ok") {
        Kind::Ok
    } else {
        return None;
    };
    let (_, ids) = line.split_once(':')?;
    Some((kind, ids.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()))
}

/// For `rule`: the lines (1-based) expected to be reported, and the `todo` lines, which are
/// judged neither way. An annotation applies to the line after it.
fn expectations(src: &str, rule: &str) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let (mut expected, mut todo) = (BTreeSet::new(), BTreeSet::new());
    for (i, line) in src.split('\n').enumerate() {
        let Some((kind, ids)) = annotation(line) else { continue };
        if !ids.contains(&rule) {
            continue;
        }
        let target = u32::try_from(i + 2).unwrap_or(u32::MAX);
        match kind {
            Kind::RuleId => expected.insert(target),
            Kind::Todo => todo.insert(target),
            Kind::Ok => false,
        };
    }
    let expected = expected.difference(&todo).copied().collect();
    (expected, todo)
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
        let (expected, todo) = expectations(src, id);
        let got: BTreeSet<u32> = result.findings.iter().filter(|f| &f.rule_id == id).map(|f| f.line).filter(|l| !todo.contains(l)).collect();
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
    let src = "# ruleid: r\nbad()\n#ok:r, other\ngood()\n# todoruleid: r\nmissed()\nx = 1  # ruleid: r\nbad()\n# todook: r\nflagged_but_fine()\n# ruleid: other\nz()\n";
    let (expected, todo) = expectations(src, "r");
    assert_eq!(expected.into_iter().collect::<Vec<_>>(), vec![2, 8]);
    assert_eq!(todo.into_iter().collect::<Vec<_>>(), vec![6, 10]);
    let (expected, _) = expectations(src, "other");
    assert_eq!(expected.into_iter().collect::<Vec<_>>(), vec![12]);
    let yaml = "rules:\n  - id: r\n    languages: [python]\n    severity: ERROR\n    message: m\n    pattern: bad()\n";
    assert!(matches!(judge("r.yaml", yaml, "# ruleid: r\nbad()\n# ok: r\ngood()\n# todook: r\nbad()\n"), Verdict::Pass));
    let v = judge("r.yaml", yaml, "# ok: r\nbad()\n# ruleid: r\ngood()\nbad()\n");
    assert!(matches!(&v, Verdict::Lines { missed, wrong } if missed == &[4] && wrong == &[2, 5]), "{v:?}");
    assert!(matches!(judge("r.yaml", "rules: [", ""), Verdict::Load(_)));
}
