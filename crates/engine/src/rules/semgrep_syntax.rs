//! Pattern syntax of Semgrep's that is not Python, as pyward's pattern compiler reads it.
//!
//! - `<... P ...>` (deep expression): rewritten to the call `__pyw_deep(P)`, which the matcher
//!   takes as "P matches this expression or one inside it".
//! - String literals: `"..."` (any string), `"=~/regex/flags"` (a string whose content the
//!   PCRE regex matches), `"$X"` (any string, its content bound to `$X`), others by equality
//!   (see [`StrPattern`]).

use crate::rules::pattern::mv_name;
use crate::rules::pcre::{string_regex_text, PcreRegex};
use crate::syntax::ast::{Expr, ExprKind, Module};
use crate::syntax::visitor::{walk_body, Descend, Visitor};

/// The callee a deep expression `<... P ...>` is rewritten to.
pub const DEEP: &str = "__pyw_deep";

/// What a string literal of a pattern matches.
#[derive(Debug, PartialEq, Eq)]
pub enum StrPattern<'s> {
    /// `"..."`: any string literal.
    Any,
    /// `"=~/regex/"`: a literal whose content the regex matches (the literal's text).
    Regex(&'s str),
    /// `"$X"`: any string literal, whose content `$X` binds.
    Metavar(&'s str),
    /// Any other text: a literal with this content.
    Literal(&'s str),
}

impl<'s> StrPattern<'s> {
    /// Reads a pattern string literal's content (after `$X` became `__MV_X`).
    pub fn of(content: &'s str) -> StrPattern<'s> {
        if content == "..." {
            StrPattern::Any
        } else if string_regex_text(content).is_some() {
            StrPattern::Regex(content)
        } else if let Some(mv) = mv_name(content).filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) {
            StrPattern::Metavar(mv)
        } else {
            StrPattern::Literal(content)
        }
    }
}

/// The pattern inside a deep expression `__pyw_deep(P)`, if `e` is one.
pub fn deep_inner(e: &Expr) -> Option<&Expr> {
    match &e.kind {
        ExprKind::Call { func, args, keywords } if keywords.is_empty() && args.len() == 1 => match &func.kind {
            ExprKind::Name(n) if n == DEEP => args.first(),
            _ => None,
        },
        _ => None,
    }
}

/// `<... P ...>` -> `__pyw_deep(P)`, outside string literals. Text without `<...` is returned
/// as it is.
pub fn rewrite_deep(text: &str) -> String {
    if !text.contains("<...") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut quote: Option<char> = None;
    let mut open = 0usize;
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        if let Some(q) = quote {
            if ch == '\\' {
                let n = rest.chars().take(2).map(char::len_utf8).sum::<usize>();
                out.push_str(&rest[..n]);
                rest = &rest[n..];
                continue;
            }
            if ch == q {
                quote = None;
            }
        } else if rest.starts_with("<...") {
            out.push_str(DEEP);
            out.push('(');
            open += 1;
            rest = &rest[4..];
            continue;
        } else if open > 0 && rest.starts_with("...>") {
            out.push(')');
            open -= 1;
            rest = &rest[4..];
            continue;
        } else if ch == '"' || ch == '\'' {
            quote = Some(ch);
        }
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}

/// The first `"=~/regex/"` literal of a compiled pattern whose regex compiles in neither regex
/// engine, with the reason.
pub fn bad_string_regex(module: &Module) -> Option<String> {
    struct Find(Option<String>);
    impl<'a> Visitor<'a> for Find {
        fn enter_expr(&mut self, e: &'a Expr, _depth: u32) -> Descend {
            if let ExprKind::Str(s) = &e.kind {
                if let (None, Some(re)) = (&self.0, string_regex_text(s)) {
                    if let Err(err) = PcreRegex::new(&re) {
                        self.0 = Some(format!("invalid regex in \"{s}\": {err}"));
                    }
                }
            }
            Descend::Yes
        }
    }
    let mut f = Find(None);
    walk_body(&mut f, &module.body, 0);
    f.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_expressions_are_rewritten_outside_strings() {
        assert_eq!(rewrite_deep("if <... $X ...>:\n  ..."), "if __pyw_deep( $X ):\n  ...");
        assert_eq!(rewrite_deep("f(<... <... a ...> ...>)"), "f(__pyw_deep( __pyw_deep( a ) ))");
        assert_eq!(rewrite_deep("f(\"<... a ...>\")"), "f(\"<... a ...>\")");
        assert_eq!(rewrite_deep("f(...)"), "f(...)");
    }

    #[test]
    fn string_patterns_are_classified() {
        assert_eq!(StrPattern::of("..."), StrPattern::Any);
        assert_eq!(StrPattern::of("=~/^a/i"), StrPattern::Regex("=~/^a/i"));
        assert_eq!(StrPattern::of("__MV_X"), StrPattern::Metavar("X"));
        assert_eq!(StrPattern::of("__MV_X y"), StrPattern::Literal("__MV_X y"));
        assert_eq!(StrPattern::of("abc"), StrPattern::Literal("abc"));
    }
}
