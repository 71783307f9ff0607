//! pyward's own Python syntax tree.
//!
//! The parser adapter (`parse.rs`) converts the parser crate's tree into these types; every
//! later stage (semantic model, matcher, native checks) works only on them, so the parser can be
//! swapped without touching the analysis. The tree is deliberately smaller than CPython's:
//! it keeps what matching and dataflow need and folds the rest (`elif` chains stay flat so that
//! long chains never make the tree deep).

/// Names and short literals: up to 24 bytes are stored inline, so most identifiers cost no
/// allocation when the tree is built or dropped.
pub type IStr = compact_str::CompactString;

/// A byte range into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn len(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: IStr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub default: Option<Expr>,
    pub annotation: Option<Expr>,
    pub kind: ParamKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Positional,
    VarArgs,
    KwOnly,
    KwArgs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportAlias {
    /// Dotted module or member name as written (`os.path`, `system`).
    pub name: IStr,
    pub asname: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Handler {
    pub type_: Option<Expr>,
    pub name: Option<Ident>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Expr>,
}

/// One `if`/`elif`/`else` branch: `test` is `None` for `else`.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    pub test: Option<Expr>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// What a `case` pattern matches, as far as the analysis folds constants (the rest is kept as
/// [`CasePattern::Other`]).
#[derive(Clone, Debug, PartialEq)]
pub enum CasePattern {
    /// Literals (`case "A":`, `case 1 | 2:`, `case None:`): the subject equals one of them.
    Values(Vec<Expr>),
    /// `case _:` or a capture `case x:` (with its name): matches any subject.
    Any(Option<Ident>),
    /// Class, sequence, mapping and dotted-name patterns, and alternatives mixing them.
    Other,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    pub name: Ident,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    pub returns: Option<Expr>,
    pub is_async: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    pub name: Ident,
    pub bases: Vec<Expr>,
    pub keywords: Vec<Keyword>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
}

/// The rarer statements keep their expressions boxed so that every statement stays small (112
/// bytes instead of 224): bodies are vectors of statements, walked several times per file.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    Assign { targets: Vec<Expr>, value: Expr },
    AugAssign { target: Box<Expr>, op: BinOp, value: Box<Expr> },
    AnnAssign { target: Box<Expr>, annotation: Box<Expr>, value: Option<Box<Expr>> },
    FunctionDef(Box<FunctionDef>),
    ClassDef(Box<ClassDef>),
    Return(Option<Expr>),
    Delete(Vec<Expr>),
    If { branches: Vec<Branch> },
    For { target: Box<Expr>, iter: Box<Expr>, body: Vec<Stmt>, orelse: Vec<Stmt>, is_async: bool },
    While { test: Box<Expr>, body: Vec<Stmt>, orelse: Vec<Stmt> },
    With { items: Vec<WithItem>, body: Vec<Stmt>, is_async: bool },
    /// `cases[i]` is the i-th `case` (its `test` is the guard); `patterns[i]` its pattern.
    Match { subject: Box<Expr>, cases: Vec<Branch>, patterns: Vec<CasePattern> },
    Raise { exc: Option<Box<Expr>>, cause: Option<Box<Expr>> },
    Try { body: Vec<Stmt>, handlers: Vec<Handler>, orelse: Vec<Stmt>, finalbody: Vec<Stmt> },
    Assert { test: Box<Expr>, msg: Option<Box<Expr>> },
    Import(Vec<ImportAlias>),
    ImportFrom { module: Option<String>, level: u32, names: Vec<ImportAlias> },
    Global(Vec<Ident>),
    Nonlocal(Vec<Ident>),
    Pass,
    Break,
    Continue,
    /// Anything pyward does not model (type aliases, IPython escapes).
    Other,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// `None` for `**kwargs`.
    pub arg: Option<Ident>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FStringPart {
    /// A literal run, and where its text is in the source (adjacent runs are merged, so the span
    /// covers them all; `$X` in a pattern's literal part binds to it).
    Literal(IStr, Span),
    Expr(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    FloorDiv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Invert,
    Not,
    UAdd,
    USub,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Generator,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Name(IStr),
    Attribute { value: Box<Expr>, attr: Ident },
    Call { func: Box<Expr>, args: Box<[Expr]>, keywords: Box<[Keyword]> },
    /// A string literal (implicit concatenations joined).
    Str(IStr),
    Bytes,
    FString(Vec<FStringPart>),
    /// Integer, float or complex literal, as written.
    Number(IStr),
    Bool(bool),
    NoneLit,
    Ellipsis,
    BinOp { left: Box<Expr>, op: BinOp, right: Box<Expr> },
    UnaryOp { op: UnaryOp, operand: Box<Expr> },
    BoolOp { op: BoolOp, values: Vec<Expr> },
    Compare { left: Box<Expr>, ops: Box<[CmpOp]>, comparators: Box<[Expr]> },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// Keys are `None` for `**mapping`.
    Dict(Vec<(Option<Expr>, Expr)>),
    Subscript { value: Box<Expr>, slice: Box<Expr> },
    Slice { lower: Option<Box<Expr>>, upper: Option<Box<Expr>>, step: Option<Box<Expr>> },
    Lambda { params: Vec<Param>, body: Box<Expr> },
    IfExp { test: Box<Expr>, body: Box<Expr>, orelse: Box<Expr> },
    Comp { kind: CompKind, elt: Box<Expr>, generators: Vec<Comprehension> },
    DictComp { key: Box<Expr>, value: Box<Expr>, generators: Vec<Comprehension> },
    Await(Box<Expr>),
    Yield(Option<Box<Expr>>),
    YieldFrom(Box<Expr>),
    Starred(Box<Expr>),
    Named { target: Box<Expr>, value: Box<Expr> },
    /// Unparseable or too deeply nested code.
    Error,
}

impl Expr {
    /// Calls `f` on each direct child expression, in source order.
    #[inline]
    pub fn for_each_child<'a, F: FnMut(&'a Expr)>(&'a self, mut f: F) {
        match &self.kind {
            ExprKind::Attribute { value, .. } => f(value),
            ExprKind::Call { func, args, keywords } => {
                f(func);
                args.iter().for_each(&mut f);
                keywords.iter().for_each(|k| f(&k.value));
            }
            ExprKind::FString(parts) => {
                for p in parts {
                    if let FStringPart::Expr(e) = p {
                        f(e);
                    }
                }
            }
            ExprKind::BinOp { left, right, .. } => {
                f(left);
                f(right);
            }
            ExprKind::UnaryOp { operand, .. } => f(operand),
            ExprKind::BoolOp { values, .. } => values.iter().for_each(&mut f),
            ExprKind::Compare { left, comparators, .. } => {
                f(left);
                comparators.iter().for_each(&mut f);
            }
            ExprKind::List(e) | ExprKind::Tuple(e) | ExprKind::Set(e) => e.iter().for_each(&mut f),
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        f(k);
                    }
                    f(v);
                }
            }
            ExprKind::Subscript { value, slice } => {
                f(value);
                f(slice);
            }
            ExprKind::Slice { lower, upper, step } => {
                for e in [lower, upper, step].into_iter().flatten() {
                    f(e);
                }
            }
            ExprKind::Lambda { params, body } => {
                for p in params {
                    if let Some(d) = &p.default {
                        f(d);
                    }
                }
                f(body);
            }
            ExprKind::IfExp { test, body, orelse } => {
                f(body);
                f(test);
                f(orelse);
            }
            ExprKind::Comp { elt, generators, .. } => {
                f(elt);
                for g in generators {
                    f(&g.target);
                    f(&g.iter);
                    g.ifs.iter().for_each(&mut f);
                }
            }
            ExprKind::DictComp { key, value, generators } => {
                f(key);
                f(value);
                for g in generators {
                    f(&g.target);
                    f(&g.iter);
                    g.ifs.iter().for_each(&mut f);
                }
            }
            ExprKind::Await(e) | ExprKind::YieldFrom(e) | ExprKind::Starred(e) => f(e),
            ExprKind::Yield(e) => {
                if let Some(e) = e {
                    f(e)
                }
            }
            ExprKind::Named { target, value } => {
                f(target);
                f(value);
            }
            ExprKind::Name(_)
            | ExprKind::Str(_)
            | ExprKind::Bytes
            | ExprKind::Number(_)
            | ExprKind::Bool(_)
            | ExprKind::NoneLit
            | ExprKind::Ellipsis
            | ExprKind::Error => {}
        }
    }

    /// The dotted name of a `Name`/`Attribute` chain (`os.path.join`), if it is one.
    pub fn dotted_name(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.to_string()),
            ExprKind::Attribute { value, attr } => {
                let mut base = value.dotted_name()?;
                base.push('.');
                base.push_str(&attr.name);
                Some(base)
            }
            _ => None,
        }
    }

    pub fn is_string_literal(&self) -> bool {
        matches!(self.kind, ExprKind::Str(_))
    }
}

impl Stmt {
    /// Calls `f` on the expressions that belong to this statement itself (not to nested blocks).
    #[inline]
    pub fn for_each_expr<'a, F: FnMut(&'a Expr)>(&'a self, mut f: F) {
        match &self.kind {
            StmtKind::Expr(e) => f(e),
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(&mut f);
                f(value);
            }
            StmtKind::AugAssign { target, value, .. } => {
                f(target);
                f(value);
            }
            StmtKind::AnnAssign { target, annotation, value } => {
                f(target);
                f(annotation);
                if let Some(v) = value {
                    f(v);
                }
            }
            StmtKind::FunctionDef(def) => {
                def.decorators.iter().for_each(&mut f);
                for p in &def.params {
                    if let Some(d) = &p.default {
                        f(d);
                    }
                    if let Some(a) = &p.annotation {
                        f(a);
                    }
                }
                if let Some(r) = &def.returns {
                    f(r);
                }
            }
            StmtKind::ClassDef(def) => {
                def.decorators.iter().for_each(&mut f);
                def.bases.iter().for_each(&mut f);
                def.keywords.iter().for_each(|k| f(&k.value));
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    f(e)
                }
            }
            StmtKind::Delete(t) => t.iter().for_each(&mut f),
            StmtKind::If { branches } => {
                for b in branches {
                    if let Some(t) = &b.test {
                        f(t);
                    }
                }
            }
            StmtKind::For { target, iter, .. } => {
                f(target);
                f(iter);
            }
            StmtKind::While { test, .. } => f(test),
            StmtKind::With { items, .. } => {
                for i in items {
                    f(&i.context);
                    if let Some(t) = &i.target {
                        f(t);
                    }
                }
            }
            StmtKind::Match { subject, cases, .. } => {
                f(subject);
                for c in cases {
                    if let Some(t) = &c.test {
                        f(t);
                    }
                }
            }
            StmtKind::Raise { exc, cause } => {
                for e in [exc, cause].into_iter().flatten() {
                    f(e);
                }
            }
            StmtKind::Try { handlers, .. } => {
                for h in handlers {
                    if let Some(t) = &h.type_ {
                        f(t);
                    }
                }
            }
            StmtKind::Assert { test, msg } => {
                f(test);
                if let Some(m) = msg {
                    f(m);
                }
            }
            StmtKind::Import(_)
            | StmtKind::ImportFrom { .. }
            | StmtKind::Global(_)
            | StmtKind::Nonlocal(_)
            | StmtKind::Pass
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Other => {}
        }
    }

    /// Calls `f` on each nested statement block, in source order.
    #[inline]
    pub fn for_each_block<'a, F: FnMut(&'a [Stmt])>(&'a self, mut f: F) {
        match &self.kind {
            StmtKind::FunctionDef(def) => f(&def.body),
            StmtKind::ClassDef(def) => f(&def.body),
            StmtKind::If { branches } | StmtKind::Match { cases: branches, .. } => {
                for b in branches {
                    f(&b.body);
                }
            }
            StmtKind::For { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
                f(body);
                f(orelse);
            }
            StmtKind::With { body, .. } => f(body),
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                f(body);
                for h in handlers {
                    f(&h.body);
                }
                f(orelse);
                f(finalbody);
            }
            _ => {}
        }
    }
}
