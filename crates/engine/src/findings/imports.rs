//! The imports a fix needs: a fix that writes `secrets.SystemRandom()` must leave code that
//! runs, so when the file does not import `secrets` the fix adds `import secrets` where the
//! file's imports are (after the module docstring and the leading import block, as an editor's
//! "add import" does).

use crate::rules::RuleMeta;
use crate::semantic::{ScopeId, SemanticModel};
use crate::syntax::ast::{Module, StmtKind};

use super::FixEdit;

/// The edits that add the modules `meta`'s fix uses and the file does not import at module
/// level. Empty for a rule without `fix-imports`.
pub fn import_edits(meta: &RuleMeta, sem: &SemanticModel<'_>, module: &Module, src: &str) -> Vec<FixEdit> {
    let missing: Vec<&String> = meta.fix_imports.iter().filter(|m| !imported(sem, m)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let (at, newline_first) = insertion_point(module, src);
    let eol = line_ending(src);
    let body = missing.iter().map(|m| format!("import {m}")).collect::<Vec<_>>().join(eol);
    let text = if newline_first { format!("{eol}{body}") } else { format!("{body}{eol}") };
    vec![FixEdit { start_offset: at, end_offset: at, text }]
}

/// Does the module scope import `module` (or, for `a.b`, the package `a`) under its own name?
fn imported(sem: &SemanticModel<'_>, module: &str) -> bool {
    let root = module.split('.').next().unwrap_or(module);
    sem.resolve_import(ScopeId::MODULE, root).is_some_and(|q| q == root || q == module)
}

/// Where new imports go, and whether the text must start with a line break (the last import
/// is on the file's last line, with no line break after it).
fn insertion_point(module: &Module, src: &str) -> (u32, bool) {
    let mut after: Option<u32> = None;
    for (i, stmt) in module.body.iter().enumerate() {
        let docstring = i == 0 && matches!(&stmt.kind, StmtKind::Expr(e) if e.is_string_literal());
        let import = matches!(stmt.kind, StmtKind::Import(_) | StmtKind::ImportFrom { .. });
        if !(docstring || import) {
            break;
        }
        after = Some(stmt.span.end);
    }
    match after {
        Some(end) => match next_line_start(src, end as usize) {
            Some(start) => (start as u32, false),
            None => (src.len() as u32, true),
        },
        None => (after_leading_comments(src) as u32, false),
    }
}

/// The start of the line after the one holding byte `at` (`\n`, `\r\n` and `\r` end lines, as
/// in CPython), or `None` on the last line.
fn next_line_start(src: &str, at: usize) -> Option<usize> {
    let rest = src.get(at..)?;
    let i = rest.find(['\n', '\r'])?;
    let crlf = rest[i..].starts_with("\r\n");
    Some(at + i + if crlf { 2 } else { 1 })
}

/// The start of the first line that is not a comment (shebang, encoding, licence header) or
/// blank, at the top of the file.
fn after_leading_comments(src: &str) -> usize {
    let mut at = 0;
    while let Some(line) = src.get(at..) {
        let t = line.trim_start_matches([' ', '\t', '\x0c']);
        let skippable = t.starts_with('#') || t.starts_with(['\n', '\r']);
        if !skippable {
            break;
        }
        match next_line_start(src, at) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// The file's line ending: the first one it uses, `\n` when it has none.
fn line_ending(src: &str) -> &'static str {
    match src.find(['\n', '\r']) {
        Some(i) if src[i..].starts_with("\r\n") => "\r\n",
        Some(i) if src[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Options};

    /// Applies a finding's fix and its edits to `src`.
    fn apply(src: &str, rule: &str) -> String {
        let engine = Engine::builtin().expect("built-in rules load");
        let r = engine.check_source("t.py", src, &Options::default());
        let f = r.findings.iter().find(|f| f.rule_id == rule).expect("finding");
        let mut edits: Vec<(u32, u32, String)> = f.fix_edits.iter().map(|e| (e.start_offset, e.end_offset, e.text.clone())).collect();
        edits.push((f.start_offset, f.end_offset, f.fix.clone().expect("fix")));
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut out = src.to_string();
        for (s, e, t) in edits {
            out.replace_range(s as usize..e as usize, &t);
        }
        out
    }

    const RULE: &str = "insecure-random-for-secrets";

    #[test]
    fn several_missing_imports_go_on_lines_of_their_own() {
        let mut engine = Engine::builtin().expect("built-in rules load");
        let rule = "rules:\n  - id: two\n    languages: [python]\n    severity: LOW\n    message: m\n    pattern: weak($X)\n    fix: hmac.compare_digest(secrets.token_hex(), $X)\n    metadata:\n      pyward:\n        fix-imports: [hmac, secrets]\n";
        engine.add_rules_yaml("two.yaml", rule).expect("rule loads");
        let src = "import os\nweak(t)\n";
        let r = engine.check_source("t.py", src, &Options::default());
        let f = r.findings.iter().find(|f| f.rule_id == "two").expect("finding");
        assert_eq!(f.fix_edits.iter().map(|e| (e.start_offset, e.text.as_str())).collect::<Vec<_>>(), [(10, "import hmac\nimport secrets\n")]);
    }

    #[test]
    fn a_fix_adds_the_import_it_needs_after_the_imports() {
        let src = "\"\"\"Tokens.\"\"\"\nimport random\nimport os\n\nreset_token = random.randint(0, 10)\n";
        let fixed = apply(src, RULE);
        assert_eq!(fixed, "\"\"\"Tokens.\"\"\"\nimport random\nimport os\nimport secrets\n\nreset_token = secrets.SystemRandom().randint(0, 10)\n");
    }

    #[test]
    fn no_import_when_the_file_has_it_and_line_endings_are_kept() {
        let src = "import random, secrets\nreset_token = random.randint(0, 10)\n";
        assert_eq!(apply(src, RULE), "import random, secrets\nreset_token = secrets.SystemRandom().randint(0, 10)\n");
        let crlf = "#!/usr/bin/env python\r\nimport random\r\nreset_token = random.randint(0, 10)";
        assert_eq!(apply(crlf, RULE), "#!/usr/bin/env python\r\nimport random\r\nimport secrets\r\nreset_token = secrets.SystemRandom().randint(0, 10)");
        // The import is the file's last line: the new one goes on a line of its own.
        let last = "def f():\n    import random\n    token = random.random()\n";
        assert_eq!(apply(last, RULE), "import secrets\ndef f():\n    import random\n    token = secrets.SystemRandom().random()\n");
    }
}
