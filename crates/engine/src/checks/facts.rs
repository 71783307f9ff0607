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

/// One call seen by [`Mentions`]: its dotted callee (or last segment) and where it is.
#[derive(Debug, Clone)]
pub struct CallSite {
    /// `os.remove`, `db.session.commit`; for a callee that is no chain, its last segment.
    pub callee: String,
    /// The last segment of the callee (`commit`).
    pub name: String,
    /// Whether the callee is an attribute (`x.commit()`, `a().delete()`), not a plain name.
    pub method: bool,
    /// The call's range.
    pub span: Span,
    /// The first positional argument's string value, if it is a literal.
    pub first_str: Option<String>,
    /// The first positional argument's dotted name, if it is a name.
    pub first_name: Option<String>,
}

/// What a block of code mentions, gathered by a bounded walk that does not enter nested
/// functions or classes.
#[derive(Debug, Default)]
pub struct Mentions {
    /// Every name and attribute segment used.
    pub idents: Vec<String>,
    /// Every call.
    pub calls: Vec<CallSite>,
    /// `x[key] = v` targets whose `x` is `session` or ends in `.session`: their range, and
    /// the key when it is a string literal.
    pub session_writes: Vec<(Span, Option<String>)>,
    /// Every short string literal (under 64 bytes).
    pub strings: Vec<String>,
}

impl Mentions {
    /// The mentions of `body`.
    pub fn of_body(body: &[Stmt]) -> Mentions {
        let mut m = Mentions::default();
        walk_body(&mut m, body, 1);
        m
    }

    /// The mentions of one expression.
    pub fn of_expr(e: &Expr) -> Mentions {
        let mut m = Mentions::default();
        walk_expr(&mut m, e, 1);
        m
    }

    /// Whether a name or attribute segment equals `name`.
    pub fn has_ident(&self, name: &str) -> bool {
        self.idents.iter().any(|i| i == name)
    }

    /// The first call whose last segment is one of `names`.
    pub fn call_named(&self, names: &[&str]) -> Option<&CallSite> {
        self.calls.iter().find(|c| names.contains(&c.name.as_str()))
    }

    fn note_session_write(&mut self, target: &Expr) {
        if let ExprKind::Subscript { value, slice } = &target.kind {
            if last_segment(value) == Some("session") {
                self.session_writes.push((target.span, str_value(slice).map(str::to_string)));
            }
        }
    }
}

impl<'a> Visitor<'a> for Mentions {
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
            ExprKind::Name(n) => self.idents.push(n.to_string()),
            ExprKind::Str(v) if v.len() < 64 => self.strings.push(v.to_string()),
            ExprKind::Attribute { attr, .. } => self.idents.push(attr.name.to_string()),
            ExprKind::Call { func, args, .. } => {
                let name = last_segment(func).unwrap_or_default().to_string();
                self.calls.push(CallSite {
                    callee: dotted(func).unwrap_or_else(|| name.clone()),
                    name,
                    method: matches!(func.kind, ExprKind::Attribute { .. }),
                    span: e.span,
                    first_str: args.first().and_then(str_value).map(str::to_string),
                    first_name: args.first().and_then(dotted),
                });
            }
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
        assert!(m.call_named(&["remove"]).is_some_and(|c| c.callee == "os.remove"));
        assert!(m.call_named(&["hidden"]).is_none(), "nested functions are not entered");
        assert_eq!(m.session_writes.len(), 1);
    }
}
