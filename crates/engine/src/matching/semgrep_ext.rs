//! Matching Semgrep's pattern extras (see `rules/semgrep_syntax.rs`): string patterns
//! (`"..."`, `"=~/regex/"`, `"$X"`) and deep expressions (`<... P ...>`).

use super::matcher::{Bindings, Matcher, MAX_MATCH_DEPTH};
use crate::rules::pcre::string_regex;
use crate::rules::semgrep_syntax::StrPattern;
use crate::semantic::ScopeId;
use crate::syntax::ast::{Expr, Span};

/// How many sub-expressions of one code expression a deep pattern is tried at.
const MAX_DEEP_NODES: usize = 4096;

impl<'a, 'p> Matcher<'a, 'p> {
    /// Does the pattern string `ps` match the code string literal `c` (content `cs`)?
    pub(super) fn m_str(&self, ps: &'p str, c: &'a Expr, cs: &str, b: &mut Bindings<'p>) -> bool {
        match StrPattern::of(ps) {
            StrPattern::Any => true,
            StrPattern::Literal(l) => l == cs,
            StrPattern::Regex(text) => string_regex(text).is_some_and(|re| re.is_match(cs)),
            StrPattern::Metavar(mv) => self.bind(mv, self.content_span(c.span), b),
        }
    }

    /// The span of a string literal's content, without prefix and quotes; the whole literal's
    /// when it is not a single literal (implicit concatenation) or has no quotes.
    fn content_span(&self, span: Span) -> Span {
        let Some(text) = self.src.get(span.start as usize..span.end as usize) else { return span };
        let prefix = text.len() - text.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len();
        let body = &text[prefix..];
        for q in ["\"\"\"", "'''", "\"", "'"] {
            let n = q.len();
            if body.len() >= 2 * n && body.starts_with(q) && body.ends_with(q) && !body[n..body.len() - n].contains(q) {
                let start = span.start + (prefix + n) as u32;
                return Span { start, end: span.end - n as u32 };
            }
        }
        span
    }

    /// Deep expression `<... P ...>`: does `inner` match `c` or an expression inside it? The
    /// first match (in pre-order) binds.
    pub(super) fn m_deep(&self, inner: &'p Expr, c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId, d: u32) -> bool {
        let mut stack: Vec<(&'a Expr, u32)> = vec![(c, 0)];
        let mut tried = 0;
        while let Some((e, nesting)) = stack.pop() {
            tried += 1;
            if tried > MAX_DEEP_NODES {
                return false;
            }
            let save = b.len();
            if self.m_expr(inner, e, b, scope, d + 1) {
                return true;
            }
            b.truncate(save);
            if nesting < MAX_MATCH_DEPTH {
                let mut children = Vec::new();
                e.for_each_child(|ch| children.push((ch, nesting + 1)));
                stack.extend(children.into_iter().rev());
            }
        }
        false
    }
}
