//! Applying fixes: the edits of a set of findings (each finding's `fix` replaces its range, its
//! `fix_edits` add the imports it needs) applied to a source at once, without overlaps, and
//! kept only when the result still parses. The CLI (`--fix`, `--diff`), the tests and the
//! playground share this code.

use super::{Finding, FixEdit};
use crate::syntax::parse::parse_module;

/// The edits of `f`'s fix: the replacement of its range, then the further edits it needs.
/// `None` when the finding has no fix.
pub fn edits_of(f: &Finding) -> Option<Vec<FixEdit>> {
    let text = f.fix.as_ref()?;
    let mut edits = vec![FixEdit { start_offset: f.start_offset, end_offset: f.end_offset, text: text.clone() }];
    edits.extend(f.fix_edits.iter().cloned());
    Some(edits)
}

/// The call `call` (the text of `f(...)`) with the keyword argument `arg` (`timeout=10`) added
/// after its last argument, keeping a trailing comma and the closing parenthesis's line. `None`
/// when `call` does not end with `)`, already passes that keyword, or its last argument line
/// holds a comment (where the comma would go cannot be told without tokens).
pub fn add_argument(call: &str, arg: &str) -> Option<String> {
    let name = arg.split_once('=')?.0.trim();
    if passes_keyword(call, name) {
        return None;
    }
    let body = call.strip_suffix(')')?;
    let head = body.trim_end();
    let tail = &body[head.len()..];
    if head.ends_with('(') {
        return Some(format!("{head}{arg}{tail})"));
    }
    let last_line = &head[head.rfind('\n').map_or(0, |i| i + 1)..];
    if last_line.contains('#') {
        return None;
    }
    Some(match head.strip_suffix(',') {
        Some(_) => format!("{head} {arg},{tail})"),
        None => format!("{head}, {arg}{tail})"),
    })
}

/// Does `call`'s text pass the keyword `name` (`name=`, not `name==`)?
fn passes_keyword(call: &str, name: &str) -> bool {
    call.match_indices(name).any(|(i, _)| {
        let before = call[..i].chars().next_back();
        let after = call[i + name.len()..].trim_start();
        !before.is_some_and(|c| c == '_' || c == '.' || c.is_alphanumeric()) && after.starts_with('=') && !after.starts_with("==")
    })
}

/// What applying a set of fixes did. Indices are into the slice of findings given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fixed {
    /// The source with the applied fixes.
    pub text: String,
    /// The findings whose fix was applied.
    pub applied: Vec<usize>,
    /// The findings whose fix overlaps one applied before it (or points outside the source):
    /// not applied; a later pass over the fixed source may apply it.
    pub overlapping: Vec<usize>,
    /// The findings whose fix would leave code that does not parse: not applied.
    pub breaking: Vec<usize>,
}

/// Do two edits touch the same bytes? Two insertions at one point do not (both are kept, in
/// order); an insertion conflicts with a replacement only strictly inside it.
fn overlaps(a: &FixEdit, b: &FixEdit) -> bool {
    let (a0, a1, b0, b1) = (a.start_offset, a.end_offset, b.start_offset, b.end_offset);
    if a0 == a1 || b0 == b1 {
        let (p, (s, e)) = if a0 == a1 { (a0, (b0, b1)) } else { (b0, (a0, a1)) };
        return s < p && p < e;
    }
    a0 < b1 && b0 < a1
}

/// Is `e` a valid edit of `src` (in range, on character boundaries)?
fn valid(src: &str, e: &FixEdit) -> bool {
    let (s, t) = (e.start_offset as usize, e.end_offset as usize);
    s <= t && t <= src.len() && src.is_char_boundary(s) && src.is_char_boundary(t)
}

/// Applies the fixes of `findings` in order, each unless it overlaps one applied before it.
/// The same edit asked for twice (two findings adding `import secrets`) is made once. Does not
/// check that the result parses: see [`apply_checked`].
pub fn apply(src: &str, findings: &[&Finding]) -> Fixed {
    let mut kept: Vec<FixEdit> = Vec::new();
    let mut fixed = Fixed::default();
    for (i, f) in findings.iter().enumerate() {
        let Some(edits) = edits_of(f) else { continue };
        let new: Vec<FixEdit> = edits.into_iter().filter(|e| !kept.contains(e)).collect();
        let clash = new.iter().any(|e| !valid(src, e) || kept.iter().any(|k| overlaps(k, e)));
        if clash {
            fixed.overlapping.push(i);
            continue;
        }
        kept.extend(new);
        fixed.applied.push(i);
    }
    fixed.text = splice(src, kept);
    fixed
}

/// `src` with the (valid, non-overlapping) `edits` made. Insertions at one point keep their
/// order, and come before a replacement starting there.
fn splice(src: &str, mut edits: Vec<FixEdit>) -> String {
    edits.sort_by_key(|e| (e.start_offset, e.end_offset > e.start_offset));
    let mut out = String::with_capacity(src.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut at = 0usize;
    for e in &edits {
        out.push_str(&src[at..e.start_offset as usize]);
        out.push_str(&e.text);
        at = e.end_offset as usize;
    }
    out.push_str(&src[at..]);
    out
}

/// Does `src` parse without a syntax error?
pub fn parses(src: &str) -> bool {
    parse_module(src).errors.is_empty()
}

/// [`apply`], keeping the result only if it parses. When the fixes together break the code,
/// they are tried one at a time in order, and each fix after which the code no longer parses
/// is left out (listed in `breaking`). A source that does not parse to begin with is not
/// fixed at all: every fix is `breaking`.
pub fn apply_checked(src: &str, findings: &[&Finding]) -> Fixed {
    let all = apply(src, findings);
    if all.applied.is_empty() || parses(&all.text) {
        return all;
    }
    let mut fixed = Fixed { text: src.to_string(), overlapping: all.overlapping, ..Fixed::default() };
    if !parses(src) {
        fixed.breaking = all.applied;
        return fixed;
    }
    let mut chosen: Vec<&Finding> = Vec::new();
    for i in all.applied {
        chosen.push(findings[i]);
        let attempt = apply(src, &chosen);
        if attempt.overlapping.is_empty() && parses(&attempt.text) {
            fixed.text = attempt.text;
            fixed.applied.push(i);
        } else {
            chosen.pop();
            fixed.breaking.push(i);
        }
    }
    fixed
}

/// One line-level operation of a diff: keep, delete (old line) or insert (new line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Keep,
    Delete,
    Insert,
}

/// Past this many differing lines the diff stops looking for the shortest edit script and
/// replaces the whole differing middle (fixes change a few lines; this bounds time and memory).
const MAX_DIFF_DISTANCE: usize = 1000;

/// Lines kept around each change in a unified diff.
const CONTEXT: usize = 3;

/// A unified diff (`diff -u`, three lines of context) from `old` to `new`, with `a/` and `b/`
/// headers naming `path`. Empty when the texts are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = line_ops(&a, &b);
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for (from, to) in hunks(&ops) {
        write_hunk(&mut out, &ops[..to], from, &a, &b);
    }
    out
}

/// The operations turning lines `a` into lines `b`: the common start and end kept, the middle
/// by Myers' shortest edit script (or replaced whole past [`MAX_DIFF_DISTANCE`]).
fn line_ops(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let middle = myers(ma, mb).unwrap_or_else(|| {
        let mut ops = vec![Op::Delete; ma.len()];
        ops.extend(std::iter::repeat_n(Op::Insert, mb.len()));
        ops
    });
    let mut ops = vec![Op::Keep; prefix];
    ops.extend(middle);
    ops.extend(std::iter::repeat_n(Op::Keep, suffix));
    ops
}

/// Myers' O(ND) shortest edit script from `a` to `b`, or `None` past [`MAX_DIFF_DISTANCE`].
/// `trace[d]` keeps the furthest x reached on diagonals -d-1..=d+1 before step d.
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = MAX_DIFF_DISTANCE.min(a.len() + b.len()) as isize;
    let off = limit + 1;
    let mut v = vec![0isize; (2 * limit + 3) as usize];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=limit {
        trace.push(v[(off - d - 1) as usize..=(off + d + 1) as usize].to_vec());
        for k in (-d..=d).step_by(2) {
            let down = k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]);
            let mut x = if down { v[(off + k + 1) as usize] } else { v[(off + k - 1) as usize] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(off + k) as usize] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, n, m));
            }
        }
    }
    None
}

/// The edit script from Myers' `trace`, walked back from (n, m).
fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Op> {
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let at = |k: isize| v[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) { k + 1 } else { k - 1 };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Keep);
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            ops.push(if x == prev_x { Op::Insert } else { Op::Delete });
            x = prev_x;
            y = prev_y;
        }
    }
    ops.reverse();
    ops
}

/// The hunks of `ops` as ranges of operations: each change with [`CONTEXT`] kept lines around
/// it, changes closer than twice that joined.
fn hunks(ops: &[Op]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, _) in ops.iter().enumerate().filter(|(_, o)| **o != Op::Keep) {
        let (from, to) = (i.saturating_sub(CONTEXT), (i + 1 + CONTEXT).min(ops.len()));
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = to,
            _ => out.push((from, to)),
        }
    }
    out
}

/// Writes the hunk of operations `from..ops.len()` (`ops` ends where the hunk does).
fn write_hunk(out: &mut String, ops: &[Op], from: usize, a: &[&str], b: &[&str]) {
    let count = |ops: &[Op], side: Op| ops.iter().filter(|o| **o == Op::Keep || **o == side).count();
    let (old_at, new_at) = (count(&ops[..from], Op::Delete), count(&ops[..from], Op::Insert));
    let (old_len, new_len) = (count(&ops[from..], Op::Delete), count(&ops[from..], Op::Insert));
    let start = |at: usize, len: usize| if len == 0 { at } else { at + 1 };
    out.push_str(&format!("@@ -{},{old_len} +{},{new_len} @@\n", start(old_at, old_len), start(new_at, new_len)));
    let (mut i, mut j) = (old_at, new_at);
    for op in &ops[from..] {
        let (mark, line) = match op {
            Op::Keep => {
                i += 1;
                j += 1;
                (' ', a[i - 1])
            }
            Op::Delete => {
                i += 1;
                ('-', a[i - 1])
            }
            Op::Insert => {
                j += 1;
                ('+', b[j - 1])
            }
        };
        out.push(mark);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Options};

    fn finding(start: u32, end: u32, fix: &str, edits: &[(u32, &str)]) -> Finding {
        let v = serde_json::json!({"rule_id": "r", "title": "t", "severity": "high", "confidence": "high", "cwe": null, "owasp": null,
            "path": "t.py", "line": 1, "column": 1, "end_line": 1, "end_column": 1, "message": "m", "snippet": "s", "fix": null,
            "family": "other", "start_offset": 0, "end_offset": 0});
        let mut f: Finding = serde_json::from_value(v).expect("a finding");
        f.start_offset = start;
        f.end_offset = end;
        f.fix = Some(fix.to_string());
        f.fix_edits = edits.iter().map(|(at, t)| FixEdit { start_offset: *at, end_offset: *at, text: t.to_string() }).collect();
        f
    }

    #[test]
    fn an_added_argument_keeps_commas_and_is_not_added_twice() {
        let cases = [
            ("f()", Some("f(timeout=10)")),
            ("f(a)", Some("f(a, timeout=10)")),
            ("f(a, )", Some("f(a, timeout=10, )")),
            ("f(\n    a,\n)", Some("f(\n    a, timeout=10,\n)")),
            ("f(\n    a  # why\n)", None),
            ("f(a, timeout=None)", None),
            ("f(a, b=x == timeout)", Some("f(a, b=x == timeout, timeout=10)")),
            ("f(a, my_timeout=1)", Some("f(a, my_timeout=1, timeout=10)")),
            ("f[0]", None),
        ];
        for (call, want) in cases {
            assert_eq!(add_argument(call, "timeout=10").as_deref(), want, "{call}");
        }
    }

    #[test]
    fn overlapping_fixes_wait_and_shared_imports_are_added_once() {
        let src = "a(1)\nb(2)\n";
        let f1 = finding(0, 4, "x(1)", &[(0, "import s\n")]);
        let f2 = finding(2, 3, "9", &[]);
        let f3 = finding(5, 9, "y(2)", &[(0, "import s\n")]);
        let fixed = apply(src, &[&f1, &f2, &f3]);
        assert_eq!(fixed.text, "import s\nx(1)\ny(2)\n");
        assert_eq!((fixed.applied, fixed.overlapping), (vec![0, 2], vec![1]));
    }

    #[test]
    fn a_fix_that_breaks_parsing_is_left_out_and_the_others_kept() {
        let src = "a(1)\nb(2)\n";
        let good = finding(0, 4, "x(1)", &[]);
        let bad = finding(5, 9, "y(2", &[]);
        let fixed = apply_checked(src, &[&good, &bad]);
        assert_eq!(fixed.text, "x(1)\nb(2)\n");
        assert_eq!((fixed.applied, fixed.breaking), (vec![0], vec![1]));
        // A source that does not parse is not touched.
        let broken = apply_checked("a(1)\nb(\n", &[&good]);
        assert_eq!((broken.text.as_str(), broken.breaking), ("a(1)\nb(\n", vec![0]));
    }

    #[test]
    fn edits_outside_the_source_or_inside_a_character_are_refused() {
        let f = finding(1, 2, "x", &[]);
        assert_eq!(apply("é", &[&f]).overlapping, [0]);
        assert_eq!(apply("ab", &[&finding(1, 9, "x", &[])]).overlapping, [0]);
    }

    #[test]
    fn unified_diff_has_hunks_with_context_and_line_numbers() {
        let old: String = (1..=20).map(|i| format!("l{i}\n")).collect();
        let new = old.replace("l2\n", "L2\n").replace("l18\n", "").replace("l20\n", "l20");
        let d = unified_diff("m.py", &old, &new);
        let want = "--- a/m.py\n+++ b/m.py\n@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n\
                    @@ -15,6 +15,5 @@\n l15\n l16\n l17\n-l18\n l19\n-l20\n+l20\n\\ No newline at end of file\n";
        assert_eq!(d, want);
        assert_eq!(unified_diff("m.py", &old, &old), "");
        // Insertion into an empty file, deletion of everything.
        assert_eq!(unified_diff("e.py", "", "x\n"), "--- a/e.py\n+++ b/e.py\n@@ -0,0 +1,1 @@\n+x\n");
        assert_eq!(unified_diff("e.py", "x\n", ""), "--- a/e.py\n+++ b/e.py\n@@ -1,1 +0,0 @@\n-x\n");
    }

    #[test]
    fn a_built_in_fix_applies_with_its_import_and_the_finding_goes() {
        let engine = Engine::builtin().expect("built-in rules load");
        let src = "import random\nreset_token = random.randint(0, 10)\n";
        let r = engine.check_source("t.py", src, &Options::default());
        let found: Vec<&Finding> = r.findings.iter().collect();
        let fixed = apply_checked(src, &found);
        assert!(fixed.text.contains("import secrets\n") && parses(&fixed.text), "{}", fixed.text);
        let again = engine.check_source("t.py", &fixed.text, &Options::default());
        assert!(again.findings.iter().all(|f| f.rule_id != "insecure-random-for-secrets"), "{:?}", again.findings);
    }
}
