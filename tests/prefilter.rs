//! The prefilter only saves work: every rule fixture, example and shop file gives the same
//! findings with it switched off (every pattern tried at every node, every rule in every file).

use pyward_engine::{Engine, FileResult, Options, BUILTIN_RULE_FILES};
use pyward_tests::repo_root;

fn key(r: &FileResult) -> Vec<(String, u32, u32, u32, u32, String)> {
    r.findings
        .iter()
        .map(|f| (f.rule_id.clone(), f.start_offset, f.end_offset, f.line, f.column, f.message.clone()))
        .collect()
}

#[test]
fn findings_are_identical_with_the_prefilter_off() {
    let on = Engine::builtin().expect("built-in rules load");
    let mut off = Engine::builtin().expect("built-in rules load");
    off.set_prefilter(false);
    let root = repo_root();
    let mut files: Vec<std::path::PathBuf> = BUILTIN_RULE_FILES
        .iter()
        .map(|(p, _)| root.join("rules").join(p.trim_end_matches(".yaml").to_string() + ".py"))
        .filter(|p| p.exists())
        .collect();
    for dir in ["examples", "tests/shop", "web/examples"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "py")));
        }
    }
    assert!(files.len() > 60, "expected the rule fixtures and examples, found {}", files.len());
    let opts = Options::default();
    let mut total = 0;
    for f in &files {
        let src = std::fs::read_to_string(f).expect("readable fixture");
        let path = f.display().to_string();
        let a = on.check_source(&path, &src, &opts);
        let b = off.check_source(&path, &src, &opts);
        assert_eq!(key(&a), key(&b), "{path}: findings differ with the prefilter off");
        assert_eq!(a.suppressed, b.suppressed, "{path}: suppressions differ with the prefilter off");
        total += a.findings.len();
    }
    assert!(total > 300, "the fixtures should produce many findings, got {total}");
}
