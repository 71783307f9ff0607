//! Small facts about expressions that the web-application checks share: the dotted name of a
//! callee or decorator, string literals, and a bounded walk that gathers what a block of code
//! mentions (names, attributes, calls, strings).

use crate::syntax::ast::*;
use crate::syntax::visitor::{walk_body, walk_expr, Descend, Visitor};

/// How many links of an attribute chain [`dotted`] follows (`a.b.c.d...`).
const MAX_CHAIN: usize = 16;

/// The dotted text of a name or attribute chain (`app.config.update`), if it is one.
pub fn dotted(e: &Expr) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut cur = e;
    for _ in 0..MAX_CHAIN {
        match &cur.kind {
            ExprKind::Name(n) => {
                parts.push(n.as_str());
                parts.reverse();
                return Some(parts.join("."));
            }
            ExprKind::Attribute { value, attr } => {
                parts.push(attr.name.as_str());
                cur = value;
            }
            _ => return None,
        }
    }
    None
}

/// Whether `e` is a dotted name that [`dotted`] spells (without building the text).
pub fn is_dotted(e: &Expr) -> bool {
    let mut cur = e;
    for _ in 0..MAX_CHAIN {
        match &cur.kind {
            ExprKind::Name(_) => return true,
            ExprKind::Attribute { value, .. } => cur = value,
            _ => return false,
        }
    }
    false
}

/// The last segment of a name or attribute (`update` for `app.config.update`).
pub fn last_segment(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.as_str()),
        ExprKind::Attribute { attr, .. } => Some(attr.name.as_str()),
        _ => None,
    }
}

/// The name a decorator is known by: `login_required` for `@login_required`,
/// `@auth.login_required` and `@login_required(role="x")`.
pub fn decorator_name(d: &Expr) -> Option<&str> {
    match &d.kind {
        ExprKind::Call { func, .. } => last_segment(func),
        _ => last_segment(d),
    }
}

/// The string value of a literal, if `e` is one.
pub fn str_value(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Str(s) => Some(s.as_str()),
        _ => None,
    }
}

/// The keyword argument `name` of a call's keywords.
pub fn keyword<'a>(keywords: &'a [Keyword], name: &str) -> Option<&'a Expr> {
    keywords.iter().find(|k| k.arg.as_ref().is_some_and(|a| a.name == name)).map(|k| &k.value)
}

/// One call seen by [`Mentions`]: its callee and where it is (the texts are the tree's).
#[derive(Debug, Clone)]
pub struct CallSite<'a> {
    func: &'a Expr,
    first: Option<&'a Expr>,
    /// The last segment of the callee (`commit`; empty for a callee that has none).
    pub name: &'a str,
    /// Whether the callee is an attribute (`x.commit()`, `a().delete()`), not a plain name.
    pub method: bool,
    /// The call's range.
    pub span: Span,
}

impl<'a> CallSite<'a> {
    /// `os.remove`, `db.session.commit`; for a callee that is no chain, its last segment.
    pub fn callee(&self) -> String {
        dotted(self.func).unwrap_or_else(|| self.name.to_string())
    }

    /// The first positional argument's string value, if it is a literal.
    pub fn first_str(&self) -> Option<&'a str> {
        self.first.and_then(str_value)
    }

    /// The first positional argument's dotted name, if it is a name.
    pub fn first_name(&self) -> Option<String> {
        self.first.and_then(dotted)
    }
}

/// What a block of code mentions, gathered by a bounded walk that does not enter nested
/// functions or classes.
#[derive(Debug, Default)]
pub struct Mentions<'a> {
    /// Every name and attribute segment used.
    pub idents: Vec<&'a str>,
    /// Every call.
    pub calls: Vec<CallSite<'a>>,
    /// `x[key] = v` targets whose `x` is `session` or ends in `.session`: their range, and
    /// the key when it is a string literal.
    pub session_writes: Vec<(Span, Option<&'a str>)>,
    /// Every short string literal (under 64 bytes).
    pub strings: Vec<&'a str>,
}

impl<'a> Mentions<'a> {
    /// The mentions of `body`.
    pub fn of_body(body: &'a [Stmt]) -> Self {
        let mut m = Mentions::default();
        walk_body(&mut m, body, 1);
        m
    }

    /// The mentions of one expression.
    pub fn of_expr(e: &'a Expr) -> Self {
        let mut m = Mentions::default();
        walk_expr(&mut m, e, 1);
        m
    }

    /// Whether a name or attribute segment equals `name`.
    pub fn has_ident(&self, name: &str) -> bool {
        self.idents.contains(&name)
    }

    /// The first call whose last segment is one of `names`.
    pub fn call_named(&self, names: &[&str]) -> Option<&CallSite<'a>> {
        self.calls.iter().find(|c| names.contains(&c.name))
    }

    fn note_session_write(&mut self, target: &'a Expr) {
        if let ExprKind::Subscript { value, slice } = &target.kind {
            if last_segment(value) == Some("session") {
                self.session_writes.push((target.span, str_value(slice)));
            }
        }
    }
}

impl<'a> Visitor<'a> for Mentions<'a> {
    fn enter_stmt(&mut self, s: &'a Stmt, _depth: u32) -> Descend {
        match &s.kind {
            StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => return Descend::No,
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| self.note_session_write(t)),
            _ => {}
        }
        Descend::Yes
    }

    fn enter_expr(&mut self, e: &'a Expr, _depth: u32) -> Descend {
        match &e.kind {
            ExprKind::Name(n) => self.idents.push(n.as_str()),
            ExprKind::Str(v) if v.len() < 64 => self.strings.push(v.as_str()),
            ExprKind::Attribute { attr, .. } => self.idents.push(attr.name.as_str()),
            ExprKind::Call { func, args, .. } => self.calls.push(CallSite {
                func,
                first: args.first(),
                name: last_segment(func).unwrap_or_default(),
                method: matches!(func.kind, ExprKind::Attribute { .. }),
                span: e.span,
            }),
            _ => {}
        }
        Descend::Yes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse::parse_module;

    #[test]
    fn mentions_gather_calls_names_and_session_writes() {
        let src = "session['uid'] = 1\nos.remove(path)\ndef inner():\n    hidden()\n";
        let module = parse_module(src).module;
        let m = Mentions::of_body(&module.body);
        assert!(m.has_ident("remove") && m.has_ident("path"));
        assert!(m.call_named(&["remove"]).is_some_and(|c| c.callee() == "os.remove"));
        assert!(m.call_named(&["hidden"]).is_none(), "nested functions are not entered");
        assert_eq!(m.session_writes.len(), 1);
    }
}
