//! `pyward scan --fix`, `--diff` and `--unsafe-fixes`, as Ruff has them: the safe fixes (the
//! rule's `fix-kind: safe`) are applied in place, or shown as a unified diff without writing;
//! unsafe ones only with `--unsafe-fixes`. The fixes themselves are the engine's
//! (`findings::fix`): non-overlapping edits, kept only where the file still parses.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

use pyward_engine::findings::fix::{apply_checked, unified_diff};
use pyward_engine::rules::FixKind;
use pyward_engine::report::escape_control;
use pyward_engine::{Engine, FileError, FileResult, Finding, Options};

use crate::{analyse_file, display_path, print_out, project, read_source};

/// A fix can make a finding of another rule fixable, or wait behind an overlapping one: the
/// file is analysed again and fixed again, this many times at most.
const MAX_ROUNDS: usize = 4;

/// What fixing the scanned files did.
#[derive(Default)]
pub struct Summary {
    /// Fixes applied (or, with `--diff`, that would be).
    pub fixed: usize,
    /// `path:line: rule`: fixes left out because the code would no longer parse.
    pub breaking: BTreeSet<String>,
    /// Findings left whose fix is unsafe, when unsafe fixes were not asked for.
    pub unsafe_left: usize,
    /// The unified diffs of the files changed.
    pub diff: String,
}

impl Summary {
    /// The lines for standard error: what was (or would be) fixed, what was not and why.
    pub fn message(&self, wrote: bool, remaining: usize) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut out = String::new();
        for b in &self.breaking {
            out.push_str(&format!("pyward: not fixed: {b}: the fix would leave code that does not parse\n"));
        }
        let n = self.fixed;
        if wrote {
            out.push_str(&format!("Fixed {n} finding{} ({remaining} remaining).\n", plural(n)));
        } else {
            out.push_str(&format!("Would fix {n} finding{}.\n", plural(n)));
        }
        if self.unsafe_left > 0 {
            let u = self.unsafe_left;
            out.push_str(&format!("{u} more fix{} available with --unsafe-fixes.\n", if u == 1 { "" } else { "es" }));
        }
        out
    }
}

/// `--diff`'s output: the diff on standard output; what would be fixed and the scan's `errors`
/// on standard error. Exit 2 on errors, else 1 when there is a diff.
pub fn print_diff<'a>(summary: &Summary, errors: impl Iterator<Item = &'a FileError>) -> Result<ExitCode, String> {
    print_out(&summary.diff)?;
    eprint!("{}", summary.message(false, 0));
    let mut any_error = false;
    for e in errors {
        eprintln!("pyward: error: {}: {}", escape_control(&e.path), escape_control(&e.message));
        any_error = true;
    }
    Ok(ExitCode::from(if any_error { 2 } else { u8::from(!summary.diff.is_empty()) }))
}

/// Which fixes to apply: the safe ones, and the unsafe ones too when asked.
pub struct Policy {
    kinds: HashMap<String, FixKind>,
    unsafe_fixes: bool,
}

impl Policy {
    pub fn new(engine: &Engine, unsafe_fixes: bool) -> Policy {
        let kinds = engine.rules().iter().map(|r| (r.meta.id.clone(), r.meta.fix_kind)).collect();
        Policy { kinds, unsafe_fixes }
    }

    fn kind(&self, f: &Finding) -> FixKind {
        self.kinds.get(&f.rule_id).copied().unwrap_or_default()
    }

    /// Is `f`'s fix to be applied?
    fn allows(&self, f: &Finding) -> bool {
        f.fix.is_some() && (self.unsafe_fixes || self.kind(f) == FixKind::Safe)
    }
}

/// One file fixed in memory.
struct Fixed {
    text: String,
    applied: usize,
}

/// Fixes `text` (analysed as `result`) in rounds: apply the allowed fixes, analyse again, until
/// nothing more applies. Fixes that would break parsing go to `summary.breaking`.
fn fix_text(engine: &Engine, opts: &Options, policy: &Policy, path: &str, text: &str, result: &FileResult, summary: &mut Summary) -> Fixed {
    let mut out = Fixed { text: text.to_string(), applied: 0 };
    let mut findings = result.findings.clone();
    for _ in 0..MAX_ROUNDS {
        let chosen: Vec<&Finding> = findings.iter().filter(|f| policy.allows(f)).collect();
        if chosen.is_empty() {
            break;
        }
        let fixed = apply_checked(&out.text, &chosen);
        summary.breaking.extend(fixed.breaking.iter().map(|&i| format!("{path}:{}: {}", chosen[i].line, chosen[i].rule_id)));
        if fixed.applied.is_empty() || fixed.text == out.text {
            break;
        }
        out.applied += fixed.applied.len();
        out.text = fixed.text;
        findings = engine.check_source(path, &out.text, opts).findings;
    }
    out
}

/// The scan's inputs and their results: `results[offset + i]` is `files[i]`'s, and
/// `results[0]` standard input's when `stdin` holds its text.
pub struct Scanned<'a> {
    pub files: &'a [PathBuf],
    pub roots: &'a [PathBuf],
    pub stdin: Option<&'a str>,
    pub results: &'a mut Vec<FileResult>,
}

/// Fixes every scanned file without errors. With `write`, the fixed files are written and
/// their results replaced by a new analysis (in the project, as the scan had it); otherwise
/// only `summary.diff` holds the changes.
pub fn run(engine: &Engine, opts: &Options, policy: &Policy, scanned: Scanned<'_>, write: bool) -> Result<Summary, String> {
    let mut summary = Summary::default();
    let offset = usize::from(scanned.stdin.is_some());
    let mut changed: Vec<usize> = Vec::new();
    // (index into `files`, or `None` for standard input; name; text)
    let mut texts: Vec<(Option<usize>, String, String)> = Vec::new();
    if let (Some(text), Some(r)) = (scanned.stdin, scanned.results.first().filter(|r| r.errors.is_empty())) {
        texts.push((None, r.path.clone(), text.to_string()));
    }
    for (i, f) in scanned.files.iter().enumerate() {
        let fixable = scanned.results.get(offset + i).is_some_and(|r| r.errors.is_empty() && r.findings.iter().any(|f| f.fix.is_some()));
        if let (true, Ok(bytes)) = (fixable, read_source(f)) {
            if let Ok(text) = String::from_utf8(bytes) {
                texts.push((Some(i), display_path(f), text));
            }
        }
    }
    for (i, path, text) in texts {
        let slot = i.map_or(0, |i| offset + i);
        let Some(result) = scanned.results.get(slot) else { continue };
        let fixed = fix_text(engine, opts, policy, &path, &text, result, &mut summary);
        if fixed.applied == 0 {
            continue;
        }
        summary.fixed += fixed.applied;
        if let (true, Some(i)) = (write, i) {
            let file = &scanned.files[i];
            std::fs::write(file, &fixed.text).map_err(|e| format!("{}: cannot write the fixed file: {e}", display_path(file)))?;
            changed.push(i);
        } else {
            summary.diff.push_str(&unified_diff(&path, &text, &fixed.text));
        }
    }
    if write && !changed.is_empty() {
        let again = analyse_again(engine, opts, scanned.files, scanned.roots, &changed);
        for (i, r) in again {
            if let Some(slot) = scanned.results.get_mut(offset + i) {
                *slot = r;
            }
        }
    }
    summary.unsafe_left = if policy.unsafe_fixes {
        0
    } else {
        scanned.results.iter().flat_map(|r| &r.findings).filter(|f| f.fix.is_some() && policy.kind(f) == FixKind::Unsafe).count()
    };
    Ok(summary)
}

/// A new analysis of the `changed` files (indices into `files`), in the project as the first
/// analysis had it.
fn analyse_again(engine: &Engine, opts: &Options, files: &[PathBuf], roots: &[PathBuf], changed: &[usize]) -> Vec<(usize, FileResult)> {
    let linked = project::build(engine, files, roots, opts, read_source, display_path);
    project::par_map(changed, |_, &i| (i, analyse_file(engine, linked.as_ref(), i, &files[i], opts)))
}
