//! Cheap per-node rejects: what a pattern needs of a node (kinds, call argument counts and
//! keyword names, the base of `X.$M`), checked before unification, and small helpers about the
//! forms of pattern nodes.

use super::index::{kind_tag, stmt_tag};
use crate::rules::pattern::{mv_name, MvRegex, PARAM_ELLIPSIS};
use crate::rules::regex_facts::ByteSet;
use crate::semantic::SemanticModel;
use crate::syntax::ast::*;
use crate::syntax::visitor::{walk_expr, Descend, Visitor};

/// The last segment of a dotted name (`os.path.join` -> `join`).
pub(super) fn last_segment(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

/// Is the pattern expression `...`?
pub(super) fn is_ellipsis(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Ellipsis)
}

/// Is the pattern statement a lone `...`?
pub(super) fn is_ellipsis_stmt(s: &Stmt) -> bool {
    matches!(&s.kind, StmtKind::Expr(e) if is_ellipsis(e))
}

/// A dotted name without metavariables (`subprocess.Popen`), matched after import resolution.
pub(super) fn plain_dotted(e: &Expr) -> Option<String> {
    if is_plain_dotted(e) {
        e.dotted_name()
    } else {
        None
    }
}

/// `plain_dotted(e).is_some()`, without allocating.
pub(super) fn is_plain_dotted(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Name(n) => mv_name(n).is_none(),
        ExprKind::Attribute { value, attr } => {
            mv_name(&attr.name).is_none() && attr.name != crate::rules::pattern::CHAIN_ELLIPSIS && is_plain_dotted(value)
        }
        _ => false,
    }
}

/// Can pattern statement `p` match code statement `c`, judging by their kinds? Equal kinds
/// (`x = v` covers annotated assignments too) and `import a.b` against `from a import b`.
pub(super) fn stmt_kinds_may_match(p: &StmtKind, c: &StmtKind) -> bool {
    stmt_tag(p) == stmt_tag(c) || matches!((p, c), (StmtKind::Import(_), StmtKind::ImportFrom { .. }))
}

/// A cheap necessary condition for a call pattern to match a call: the argument counts and the
/// keyword names that `m_args` requires (checked before the callee is resolved).
#[derive(Debug, Default)]
pub(super) struct CallShape {
    /// Non-`...` positional pattern arguments: each needs its own code argument.
    min_pos: usize,
    /// No `...` among the positional arguments: the counts must be equal, keywords included.
    exact: bool,
    keywords: usize,
    /// Keyword names the call must pass (each pattern keyword must match some code keyword).
    names: Vec<String>,
    /// A `$K=...` keyword: the call must pass some named keyword.
    any_named: bool,
    /// A `**$KW` pattern keyword: the call must pass `**something`.
    double_star: bool,
    /// The callee and the positional arguments before the first `...` (at fixed positions),
    /// for `kind_may_match`.
    func: Option<Expr>,
    fixed: Vec<(usize, Expr)>,
    /// `$K=...` keywords whose metavariable has a `metavariable-regex`: some keyword name of
    /// the call must hold one of the literals that every match of the regex holds.
    named_required: Vec<crate::rules::pattern::Required>,
    /// The callee is `X.$M` with a `metavariable-regex` on `$M`: a code callee that is an
    /// attribute must have a name that starts with one of these.
    attr_starts: Option<Vec<String>>,
    /// The callee is `X.$M` with `X` a plain dotted name.
    base: Option<Base>,
}

/// For a pattern `X.$M` with `X` a plain dotted name (`os.$F`, `ssl.$V`): what the code
/// attribute's value must look like. `X` only matches a name that spells it, is imported or
/// has a constant (`m_expr` follows it), or an attribute with the same last name; a bare code
/// name (imported from `X`, or a constant) may match the whole pattern.
#[derive(Debug)]
pub(super) struct Base {
    /// Last segment of `X`.
    pub(super) last: String,
    /// `X` is a single name.
    single: bool,
}

impl Base {
    /// The base of a pattern `X.$M`, if it is one with `X` a plain dotted name.
    pub(super) fn of(p: &Expr) -> Option<Base> {
        let ExprKind::Attribute { value, attr } = &p.kind else { return None };
        mv_name(&attr.name)?;
        let d = plain_dotted(value)?;
        Some(Base { last: last_segment(&d).to_string(), single: matches!(value.kind, ExprKind::Name(_)) })
    }

    /// Can code `c` match `X.$M`?
    pub(super) fn admits(&self, c: &Expr, sem: &SemanticModel<'_>) -> bool {
        let name_ok = |n: &str| sem.may_be_import(n) || sem.may_be_constant(n);
        match &c.kind {
            ExprKind::Attribute { value, .. } => match &value.kind {
                ExprKind::Name(n) => (self.single && n == self.last.as_str()) || name_ok(n),
                ExprKind::Attribute { attr, .. } => attr.name == self.last.as_str(),
                _ => false,
            },
            ExprKind::Name(n) => name_ok(n),
            _ => false,
        }
    }
}

/// Cheap necessary conditions for a pattern to match at a node, checked before `m_expr`.
#[derive(Debug, Default)]
pub(super) struct Shape {
    pub(super) call: Option<CallShape>,
    /// The pattern is `X.$M` with a `metavariable-regex` on `$M`: a code attribute must have a
    /// name that starts with one of these.
    pub(super) attr_starts: Option<Vec<String>>,
    /// The pattern is `X.$M` with `X` a plain dotted name.
    pub(super) base: Option<Base>,
    /// The pattern is a lone `$X` with a `metavariable-regex` on `$X` that no empty text
    /// matches: the code's text must start with one of these bytes (see `may_start`).
    pub(super) first: Option<ByteSet>,
    /// The pattern is a lone `$X` whose `metavariable-regex` accepts only names, dotted names
    /// and literals: other code is not tried.
    pub(super) names_only: bool,
    /// The pattern is a lone `$X` with a `metavariable-regex`: binding `$X` is all there is to
    /// matching, so the regex decides before anything else is done.
    pub(super) lone: Option<MvRegex>,
    /// The pattern is `X.$M` with a `metavariable-regex` on `$M`: against a code attribute,
    /// `$M` binds its name, so the regex must accept that name.
    pub(super) attr_regex: Option<MvRegex>,
    /// The pattern is a call `$F(...)` whose callee metavariable occurs nowhere else and has a
    /// `metavariable-regex`: against a code call, `$F` binds the callee, so the regex must
    /// accept the callee's text.
    pub(super) callee_regex: Option<MvRegex>,
}

/// For a call pattern `$F(...)`: the `metavariable-regex` on `$F`, if `$F` occurs only there.
pub(super) fn callee_regex(call: &Expr, constraints: &[(String, MvRegex)]) -> Option<MvRegex> {
    let ExprKind::Call { func, .. } = &call.kind else { return None };
    let ExprKind::Name(n) = &func.kind else { return None };
    let mv = mv_name(n)?;
    if mv == "_" || mv_occurrences(call, mv) != 1 {
        return None;
    }
    constraints.iter().find(|(n, _)| n == mv).map(|(_, re)| re.clone())
}

/// For a lone metavariable pattern `$X`: the `metavariable-regex` on `$X`.
pub(super) fn lone_mv_regex<'c>(p: &Expr, constraints: &'c [(String, crate::rules::pattern::MvRegex)]) -> Option<&'c crate::rules::pattern::MvRegex> {
    let ExprKind::Name(n) = &p.kind else { return None };
    let mv = mv_name(n)?;
    constraints.iter().find(|(n, _)| n == mv).map(|(_, re)| re)
}

/// Can code of this kind have a text made of word characters, dots and quotes only?
pub(super) fn may_be_name_or_literal(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Str(_) | ExprKind::Bytes | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::NoneLit | ExprKind::Ellipsis
    )
}

/// For a pattern `X.$M` (`X` anything): the literals that the attribute name of a matching code
/// attribute starts with, from the `metavariable-regex` on `$M` (bound to that name, first
/// thing, whichever branch of `m_expr_direct` matches).
pub(super) fn attr_starts(p: &Expr, constraints: &[(String, crate::rules::pattern::MvRegex)]) -> Option<Vec<String>> {
    let ExprKind::Attribute { attr, .. } = &p.kind else { return None };
    let mv = mv_name(&attr.name)?;
    constraints.iter().find(|(n, _)| n == mv).and_then(|(_, re)| re.starts.clone())
}

/// For a pattern `X.$M` (`X` anything): the `metavariable-regex` on `$M`.
pub(super) fn attr_regex(p: &Expr, constraints: &[(String, MvRegex)]) -> Option<MvRegex> {
    let ExprKind::Attribute { attr, .. } = &p.kind else { return None };
    let mv = mv_name(&attr.name)?;
    constraints.iter().find(|(n, _)| n == mv).map(|(_, re)| re.clone())
}

/// Does `name` start with one of `starts`?
pub(super) fn starts_with_any(name: &str, starts: &[String]) -> bool {
    starts.iter().any(|s| name.starts_with(s.as_str()))
}

/// Can pattern `p` match code `c`, judging by node kinds alone? Every arm of `m_expr_direct`
/// pairs equal kinds (a plain dotted name only matches a name, directly or through its
/// import, and an attribute chain matches attributes and imported names); a code name may
/// also stand for any constant (`m_expr` follows it); metavariables and `...` match anything.
fn kind_may_match(p: &Expr, c: &Expr) -> bool {
    match &p.kind {
        ExprKind::Name(n) if mv_name(n).is_some() => true,
        ExprKind::Ellipsis => true,
        // A deep expression `<... P ...>` may match any code that holds P.
        ExprKind::Call { .. } if crate::rules::semgrep_syntax::deep_inner(p).is_some() => true,
        // A typed metavariable `($X : T)` may match code of any kind.
        ExprKind::Call { func, .. } if matches!(&func.kind, ExprKind::Name(n) if n == super::semgrep_ext::TYPED_MV) => true,
        _ if matches!(c.kind, ExprKind::Name(_)) => true,
        // `{...}` is any dict, `"..."` any string (an f-string without placeholders too),
        // `P. ... .x` any chain ending in `.x`.
        ExprKind::Set(es) if matches!(c.kind, ExprKind::Dict(_)) => matches!(es.as_slice(), [e] if matches!(e.kind, ExprKind::Ellipsis)),
        ExprKind::Str(_) if matches!(c.kind, ExprKind::FString(_)) => true,
        ExprKind::Attribute { .. } if has_chain_ellipsis(p) => true,
        pk => kind_tag(pk) == kind_tag(&c.kind),
    }
}

/// Does the pattern chain `p` hold `. ... .` (see `rules/pattern.rs`)?
fn has_chain_ellipsis(p: &Expr) -> bool {
    let mut cur = p;
    for _ in 0..64 {
        cur = match &cur.kind {
            ExprKind::Attribute { value, attr } => {
                if attr.name == crate::rules::pattern::CHAIN_ELLIPSIS {
                    return true;
                }
                value
            }
            ExprKind::Call { func, .. } => func,
            ExprKind::Subscript { value, .. } => value,
            _ => return false,
        };
    }
    false
}

/// Can statement pattern `p` match code statement `c` of the same kind, judging by cheap
/// counts and node kinds alone (as `m_stmt` pairs them)? Most statements that a pattern of
/// their kind is offered fail here: a decorated-function pattern against an undecorated
/// function, `$X = $Y / $Z` against an assignment of a call.
pub(super) fn stmt_may_match(p: &Stmt, c: &Stmt) -> bool {
    match (&p.kind, &c.kind) {
        (StmtKind::FunctionDef(pf), StmtKind::FunctionDef(cf)) => {
            (pf.decorators.is_empty() || !cf.decorators.is_empty()) && params_may_match(&pf.params, &cf.params)
        }
        (StmtKind::Assign { targets: pt, value: pv }, StmtKind::Assign { targets: ct, value: cv }) => {
            pt.len() == 1 && kind_may_match(pv, cv) && ct.iter().any(|t| kind_may_match(&pt[0], t))
        }
        (StmtKind::Assign { targets: pt, value: pv }, StmtKind::AnnAssign { target: ct, value: Some(cv), .. }) => {
            pt.len() == 1 && kind_may_match(pv, cv) && kind_may_match(&pt[0], ct)
        }
        _ => true,
    }
}

/// The counts `m_params` needs: as many code parameters as the pattern's (at least as many
/// with a `...`), and a default for each pattern parameter that has one.
fn params_may_match(pp: &[Param], cp: &[Param]) -> bool {
    let fixed = pp.iter().filter(|p| p.name.name != PARAM_ELLIPSIS).count();
    let count_ok = if fixed == pp.len() { cp.len() == fixed } else { cp.len() >= fixed };
    let defaults = |ps: &[Param]| ps.iter().filter(|p| p.default.is_some()).count();
    count_ok && defaults(pp) <= defaults(cp)
}

impl CallShape {
    /// The counts and keyword names a call pattern needs.
    pub(super) fn of(func: &Expr, args: &[Expr], keywords: &[Keyword]) -> CallShape {
        let exact = !args.iter().any(is_ellipsis);
        let mut shape = CallShape {
            min_pos: args.iter().filter(|a| !is_ellipsis(a)).count(),
            exact,
            keywords: keywords.len(),
            func: Some(func.clone()),
            fixed: args.iter().take_while(|a| !is_ellipsis(a)).cloned().enumerate().collect(),
            ..CallShape::default()
        };
        for k in keywords {
            match &k.arg {
                Some(a) if mv_name(&a.name).is_some() => shape.any_named = true,
                Some(a) => shape.names.push(a.name.to_string()),
                None => shape.double_star = true,
            }
        }
        shape
    }

    /// Adds what the pattern's `metavariable-regex`es tell (see the fields).
    pub(super) fn constrained(mut self, call: &Expr, constraints: &[(String, crate::rules::pattern::MvRegex)]) -> CallShape {
        let ExprKind::Call { func, keywords, .. } = &call.kind else { return self };
        self.attr_starts = attr_starts(func, constraints);
        self.base = Base::of(func);
        for k in keywords {
            let Some(mv) = k.arg.as_ref().and_then(|a| mv_name(&a.name)) else { continue };
            // Only a keyword metavariable that occurs nowhere else: it is then first bound to
            // the code keyword's name, where its regex is checked.
            if mv == "_" || mv_occurrences(call, mv) != 1 {
                continue;
            }
            if let Some(req) = constraints.iter().find(|(n, _)| n == mv).and_then(|(_, re)| re.required.clone()) {
                self.named_required.push(req);
            }
        }
        self
    }

    /// Can the call `func(args, keywords)` match, judging by the cheap conditions alone?
    pub(super) fn fits(&self, func: &Expr, args: &[Expr], keywords: &[Keyword], sem: &SemanticModel<'_>) -> bool {
        if self.exact {
            if args.len() != self.min_pos || keywords.len() != self.keywords {
                return false;
            }
        } else if args.len() < self.min_pos {
            return false;
        }
        self.func.as_ref().is_none_or(|p| kind_may_match(p, func))
            && self.fixed.iter().all(|(i, p)| args.get(*i).is_none_or(|c| kind_may_match(p, c)))
            && self.names.iter().all(|n| keywords.iter().any(|k| k.arg.as_ref().is_some_and(|a| a.name == *n)))
            && (!self.any_named || keywords.iter().any(|k| k.arg.is_some()))
            && (!self.double_star || keywords.iter().any(|k| k.arg.is_none()))
            && self.attr_starts.as_ref().is_none_or(|st| match &func.kind {
                ExprKind::Attribute { attr, .. } => starts_with_any(&attr.name, st),
                _ => true,
            })
            && self.base.as_ref().is_none_or(|b| b.admits(func, sem))
            && self.named_required.iter().all(|req| keywords.iter().any(|k| k.arg.as_ref().is_some_and(|a| req.admits(&a.name))))
    }
}

/// How often a metavariable occurs in a pattern expression (names, attribute names, keyword
/// names); lambdas and comprehensions, whose parameters and targets bind names this does not
/// count, count as many.
fn mv_occurrences(e: &Expr, mv: &str) -> usize {
    struct Count<'m> {
        mv: &'m str,
        n: usize,
    }
    impl<'a> Visitor<'a> for Count<'_> {
        fn enter_expr(&mut self, e: &'a Expr, _depth: u32) -> Descend {
            let mv = self.mv;
            let here = match &e.kind {
                ExprKind::Name(n) => usize::from(mv_name(n) == Some(mv)),
                ExprKind::Attribute { attr, .. } => usize::from(mv_name(&attr.name) == Some(mv)),
                ExprKind::Call { keywords, .. } => {
                    keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| mv_name(&a.name) == Some(mv))).count()
                }
                ExprKind::Lambda { .. } | ExprKind::Comp { .. } | ExprKind::DictComp { .. } => {
                    self.n = self.n.saturating_add(usize::MAX / 4);
                    return Descend::No;
                }
                _ => 0,
            };
            self.n = self.n.saturating_add(here);
            Descend::Yes
        }
    }
    let mut c = Count { mv, n: 0 };
    walk_expr(&mut c, e, 0);
    c.n
}
