//! Remembered failures of `...` in element lists and statement sequences.
//!
//! A `...` followed by more pattern tries every place where the rest could start, and each of
//! those tries the next `...` at every later place: without memory the work grows with the
//! input to the power of the number of `...`s (`f(..., $A, ..., $B, ..., $C, ..., 0)` on a
//! 200-argument call ran for 43 s). Whether the rest of a pattern matches the rest of a list
//! depends only on where both start, on the pattern, scope and depth, and on the code bound so
//! far to the metavariables that the rest of the pattern uses. Bindings only grow, so a failure
//! under the same such bindings is a failure again: it is remembered, and each state is worked
//! out once, which makes the matching polynomial of low degree (the list's length squared per
//! `...`).

use super::matcher::{Bindings, Matcher};
use crate::semantic::ScopeId;
use crate::syntax::ast::Span;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::Hasher;
use std::rc::Rc;

/// Most failures remembered in one file: past it, failures are worked out again (the work
/// budget still bounds them), so the memory stays bounded (some 30 MB at most).
const MAX_REMEMBERED: usize = 1 << 18;

/// One state of `...` matching: the rest of a pattern list against the rest of a code list.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pattern: usize,
    /// The pattern list's address and length (a list of the pattern's tree).
    ps: (usize, usize),
    /// The code list's address and length (a list of the file's tree).
    cs: (usize, usize),
    scope: ScopeId,
    depth: u32,
    /// Must the match cover the whole code list?
    full: bool,
    /// For each metavariable the rest of the pattern uses: 0 when unbound, else 1 + the id of
    /// its bound code's text.
    bound: Box<[u32]>,
}

/// The failures remembered in one file, and what building their keys needs.
#[derive(Default)]
pub(super) struct Memo<'p> {
    failed: FxHashSet<Key>,
    /// The metavariables used from a place of a pattern's text to its end, by (pattern, offset).
    used: FxHashMap<(usize, u32), Rc<[&'p str]>>,
    /// The id of each bound code range's text (equal texts, ignoring whitespace, share one).
    ids: FxHashMap<Span, u32>,
    /// The ranges given ids so far, by the hash of their text without whitespace.
    by_text: FxHashMap<u64, Vec<(Span, u32)>>,
}

/// The distinct metavariable names written in `text` (as the rewriting spells them, `__MV_X`).
fn mv_names(text: &str) -> Vec<&str> {
    let prefix = crate::rules::pattern::MV_PREFIX;
    let mut out: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let tail = &rest[at + prefix.len()..];
        let len = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(tail.len());
        let name = &tail[..len];
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
        rest = &tail[len..];
    }
    out
}

/// A hash of `text` without its whitespace.
fn text_hash(text: &str) -> u64 {
    let mut h = FxHasher::default();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        h.write_u32(c as u32);
    }
    h.finish()
}

/// Where a `...` state starts: the pattern list (from its first element, whose text starts at
/// `from` in the pattern's parsed text) and the code list.
pub(super) struct State<'s, P, C> {
    pub ps: &'s [P],
    pub from: u32,
    pub cs: &'s [C],
    pub scope: ScopeId,
    pub depth: u32,
    pub full: bool,
}

#[cfg(test)]
impl Memo<'_> {
    /// How many failed states are remembered.
    pub(super) fn remembered(&self) -> usize {
        self.failed.len()
    }
}

impl<'a, 'p> Matcher<'a, 'p> {
    /// The key of state `s` under bindings `b`. The metavariables the rest of the pattern uses
    /// are taken from its text, from `s.from` to the end: all that the rest can read, and
    /// maybe a few more (any written later in the pattern), which only makes keys differ.
    pub(super) fn memo_key<P, C>(&self, s: State<'_, P, C>, b: &Bindings<'p>) -> Key {
        let pattern = self.current.get();
        let mut memo = self.memo.borrow_mut();
        let used = match memo.used.get(&(pattern, s.from)) {
            Some(u) => Rc::clone(u),
            None => {
                let text = self.patterns.get(pattern).and_then(|p| p.parsed.get(s.from as usize..)).unwrap_or("");
                let u: Rc<[&'p str]> = mv_names(text).into();
                memo.used.insert((pattern, s.from), Rc::clone(&u));
                u
            }
        };
        let bound = used
            .iter()
            .map(|name| match b.iter().find(|(n, _)| n == name) {
                Some((_, span)) => 1 + self.text_id(&mut memo, *span),
                None => 0,
            })
            .collect();
        Key {
            pattern,
            ps: (s.ps.as_ptr() as usize, s.ps.len()),
            cs: (s.cs.as_ptr() as usize, s.cs.len()),
            scope: s.scope,
            depth: s.depth,
            full: s.full,
            bound,
        }
    }

    /// The id of the text at `span`: equal for equal code (as [`Matcher::same_code`] tells).
    fn text_id(&self, memo: &mut Memo<'p>, span: Span) -> u32 {
        if let Some(&id) = memo.ids.get(&span) {
            return id;
        }
        let next = u32::try_from(memo.ids.len()).unwrap_or(u32::MAX);
        let same = memo.by_text.entry(text_hash(self.text(span))).or_default();
        let id = match same.iter().find(|(s, _)| Self::same_code(self.src, *s, span)) {
            Some(&(_, id)) => id,
            None => {
                same.push((span, next));
                next
            }
        };
        memo.ids.insert(span, id);
        id
    }

    /// Has the state with this key failed before?
    pub(super) fn known_failure(&self, key: &Key) -> bool {
        self.memo.borrow().failed.contains(key)
    }

    /// Remembers that the state with this key fails (up to [`MAX_REMEMBERED`] states).
    pub(super) fn remember_failure(&self, key: Key) {
        let mut memo = self.memo.borrow_mut();
        if memo.failed.len() < MAX_REMEMBERED {
            memo.failed.insert(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_the_rewritten_text() {
        assert_eq!(mv_names("f(__MV_A, __MV_B.x, g(__MV_A), __MV_C2)"), vec!["A", "B", "C2"]);
        assert!(mv_names("f(..., 0)").is_empty());
    }

    #[test]
    fn equal_text_hashes_equally_whatever_the_whitespace() {
        assert_eq!(text_hash("a + b"), text_hash("a+b"));
        assert_ne!(text_hash("a + b"), text_hash("a + c"));
    }
}
