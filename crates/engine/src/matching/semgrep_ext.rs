//! Matching Semgrep's pattern extras (see `rules/semgrep_syntax.rs`): string patterns
//! (`"..."`, `"=~/regex/"`, `"$X"`) and deep expressions (`<... P ...>`).

use super::choices::UNKNOWN;
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
        // Each sub-expression is an alternative (see `choices.rs`).
        let ch = self.choice_enter();
        while let Some((e, nesting)) = stack.pop() {
            tried += 1;
            if tried > MAX_DEEP_NODES {
                break;
            }
            if tried > ch.from as usize {
                self.choice_take(ch, (tried - 1) as u32, UNKNOWN);
                let save = b.len();
                if self.m_expr(inner, e, b, scope, d + 1) {
                    return true;
                }
                b.truncate(save);
            }
            if nesting < MAX_MATCH_DEPTH {
                let mut children = Vec::new();
                e.for_each_child(|ch| children.push((ch, nesting + 1)));
                stack.extend(children.into_iter().rev());
            }
        }
        self.choice_fail(ch);
        false
    }
}

/// The pattern call a typed metavariable `($X : T)` is rewritten to (`rules/pattern.rs`).
pub const TYPED_MV: &str = "__pyw_typed";

/// Most single assignments followed to find a name's type.
const MAX_TYPE_HOPS: u32 = 4;

/// Is `have` (a type as [`Matcher::expr_type`] spells it) the rule's type `want`? Equal, or
/// equal in their last segment when one of them is qualified (`Foo` and `pkg.mod.Foo`).
pub fn type_is(have: &str, want: &str) -> bool {
    let want = want.trim();
    let last = |t: &str| t.rsplit('.').next().unwrap_or(t).to_string();
    have == want || (have.contains('.') || want.contains('.')) && last(have) == last(want)
}

impl<'a, 'p> Matcher<'a, 'p> {
    /// The type of code `c`, as far as the file tells it: a literal's (`str`, `int`, `list`,
    /// ...), a constructor call's class (`Foo(...)`, qualified through its import), a name
    /// bound once to such a value, and a name with a declared type (a parameter's or an
    /// annotated assignment's annotation). `None` when not known.
    pub fn expr_type(&self, c: &'a Expr, scope: ScopeId) -> Option<String> {
        use crate::syntax::ast::ExprKind as K;
        let mut c = c;
        for _ in 0..=MAX_TYPE_HOPS {
            return Some(match &c.kind {
                K::Str(_) | K::FString(_) => "str".into(),
                K::Bytes => "bytes".into(),
                K::Number(_) => {
                    let t = self.text(c.span);
                    if t.ends_with(['j', 'J']) {
                        "complex".into()
                    } else if !t.starts_with("0x") && !t.starts_with("0X") && t.contains(['.', 'e', 'E']) {
                        "float".into()
                    } else {
                        "int".into()
                    }
                }
                K::Bool(_) => "bool".into(),
                K::NoneLit => "None".into(),
                K::List(_) => "list".into(),
                K::Tuple(_) => "tuple".into(),
                K::Set(_) => "set".into(),
                K::Dict(_) | K::DictComp { .. } => "dict".into(),
                K::Call { func, .. } if matches!(func.kind, K::Name(_) | K::Attribute { .. }) => {
                    let q = self.sem.qualified_name(scope, func).or_else(|| func.dotted_name())?;
                    // A class by convention: capitalised, or a builtin type constructor.
                    let last = q.rsplit('.').next().unwrap_or(&q);
                    let builtin = matches!(last, "str" | "int" | "float" | "bool" | "list" | "dict" | "set" | "tuple" | "bytes");
                    if !(builtin || last.starts_with(|ch: char| ch.is_ascii_uppercase())) {
                        return None;
                    }
                    q
                }
                K::Name(n) => {
                    // A declared type first (`def f(x: Foo)`, `x: Foo = make()`), as Semgrep
                    // reads it; else the value of a name bound once.
                    if let Some((at, ann)) = self.sem.annotation(scope, n) {
                        return self.annotation_type(ann, at, 0);
                    }
                    c = self.sem.constant_value(scope, n, c.span.start)?;
                    continue;
                }
                _ => return None,
            });
        }
        None
    }

    /// The type an annotation names, spelled as [`Matcher::expr_type`] spells types: a class
    /// (qualified through its import), a string annotation's text (`"Foo"`), the container of a
    /// generic (`list[int]` is `list`), and the one type of `Optional[T]`, `Annotated[T, ...]`
    /// and `T | None`.
    fn annotation_type(&self, ann: &'a Expr, scope: ScopeId, depth: u32) -> Option<String> {
        use crate::syntax::ast::{BinOp, ExprKind as K};
        if depth > MAX_TYPE_HOPS {
            return None;
        }
        match &ann.kind {
            K::Name(_) | K::Attribute { .. } => self.sem.qualified_name(scope, ann).or_else(|| ann.dotted_name()),
            K::Str(text) => {
                let t = text.trim();
                let dotted = !t.is_empty() && t.split('.').all(|p| !p.is_empty() && p.chars().all(|ch| ch == '_' || ch.is_alphanumeric()));
                dotted.then(|| t.to_string())
            }
            K::Subscript { value, slice } => {
                let container = self.annotation_type(value, scope, depth + 1)?;
                let last = container.rsplit('.').next().unwrap_or(&container);
                if matches!(last, "Optional" | "Annotated") {
                    let first = match &slice.kind {
                        K::Tuple(items) => items.first()?,
                        _ => slice,
                    };
                    self.annotation_type(first, scope, depth + 1)
                } else {
                    Some(container)
                }
            }
            K::BinOp { left, op: BinOp::BitOr, right } => match (&left.kind, &right.kind) {
                (_, K::NoneLit) => self.annotation_type(left, scope, depth + 1),
                (K::NoneLit, _) => self.annotation_type(right, scope, depth + 1),
                _ => None,
            },
            _ => None,
        }
    }

    /// A typed metavariable `($X : T)` (the call `__pyw_typed($X, T)`) against code `c`: binds
    /// `$X` when `c` is of type `T`.
    pub(super) fn m_typed(&self, args: &'p [Expr], c: &'a Expr, b: &mut Bindings<'p>, scope: ScopeId) -> bool {
        let [mv, ty] = args else { return false };
        let (crate::syntax::ast::ExprKind::Name(n), Some(want)) = (&mv.kind, ty.dotted_name()) else { return false };
        let Some(name) = crate::rules::pattern::mv_name(n) else { return false };
        self.expr_type(c, scope).is_some_and(|t| type_is(&t, &want)) && self.bind(name, c.span, b)
    }

    /// The type of the expression at exactly `span` (see [`Matcher::expr_type`]).
    pub fn type_at(&self, module: &'a crate::syntax::ast::Module, span: Span) -> Option<String> {
        let mut found = None;
        self.find_expr_at(module, span, &mut |e, scope| {
            if found.is_none() {
                found = self.expr_type(e, scope);
            }
        });
        found
    }
}
