//! The parser adapter: the only module that names the parser crates.
//!
//! It runs the depth pre-scan, parses with `ruff_python_parser` (error-recovering, Python 3.12+
//! syntax), converts the tree into pyward's own [`crate::syntax::ast`] types and reports every syntax
//! error with its position. Replacing the parser means rewriting this file only.

use ruff_python_ast as ra;
use ruff_python_parser as rp;
use ruff_text_size::Ranged;

use crate::syntax::ast::*;
use crate::syntax::prescan;

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

#[derive(Debug)]
pub struct Parsed {
    pub module: Module,
    pub errors: Vec<SyntaxError>,
    /// Where the first `\N{...}` escape is, when the Unicode name table was not there to resolve
    /// them (the playground before [`install_unicode_names`]): those strings hold U+FFFD instead.
    pub unresolved_names: Option<Span>,
}

/// Installs the Unicode name table (the bytes of the file the build writes as
/// `unicode-names.bin`) for `\N{...}` escapes. Natively it is built in, and this only checks the
/// bytes; the playground's wasm leaves it out (113 KB gzipped) and its worker fetches the file
/// when a text has `\N{`. A damaged file is refused with the reason.
pub fn install_unicode_names(bytes: Vec<u8>) -> Result<(), String> {
    unicode_names2::install(bytes)
}

/// Is the Unicode name table there (always natively)?
pub fn unicode_names_available() -> bool {
    unicode_names2::available()
}

/// Nodes deeper than this become [`ExprKind::Error`]; the pre-scan makes it unreachable in
/// practice, this is the second line of defence that keeps every later walk bounded.
pub const MAX_TREE_DEPTH: u32 = 1200;

/// Parses a whole file. Never panics; syntax errors are returned next to the recovered tree.
pub fn parse_module(source: &str) -> Parsed {
    parse_module_with_names(source, |_, _| {})
}

/// [`parse_module`], calling `names` with every identifier of the tree as it is built: names,
/// attributes, keyword arguments, parameters, definitions, and imported module and member
/// names (`true`: a dotted module path). They are the normalised (NFKC) identifiers that later
/// stages compare. The value of every plain string literal, and of every bytes literal that is
/// UTF-8, is passed too (`false`), so that a prefilter can tell which literals a file has.
pub fn parse_module_with_names<F: FnMut(&str, bool)>(source: &str, names: F) -> Parsed {
    let (text, skipped) = match skip_too_deep(source) {
        Ok(x) => x,
        Err(errors) => return Parsed { module: Module { body: Vec::new() }, errors, unresolved_names: None },
    };
    let unresolved = unicode_names2::unresolved();
    let parsed = rp::parse_unchecked_source(text.as_deref().unwrap_or(source), ra::PySourceType::Python);
    let unresolved_names = (unicode_names2::unresolved() != unresolved).then(|| {
        let at = source.find("\\N{").unwrap_or(0) as u32;
        Span::new(at, at)
    });
    let mut errors: Vec<SyntaxError> = parsed
        .errors()
        .iter()
        .map(|e| SyntaxError { message: e.error.to_string(), span: span(e.location) })
        .chain(skipped)
        .collect();
    errors.sort_by_key(|e| e.span);
    errors.dedup_by_key(|e| e.span.start);
    // The conversion consumes the parser's tree: each node is freed right after it is
    // converted (while it is still in cache, and for the allocator to hand out again), and
    // long string literals keep their allocation.
    let mut conv = Converter { depth: 0, names };
    let body = conv.stmts(parsed.into_syntax().body);
    Parsed { module: Module { body }, errors, unresolved_names }
}

/// At most this many statements of one file are skipped for nesting too deep; past that the
/// whole file is refused (each skip costs a pre-scan of the file).
pub const MAX_SKIPPED_STATEMENTS: usize = 16;

/// Runs the depth pre-scan. A statement whose expression nests too deeply for the parser to
/// follow safely (CPython accepts `1 + 1 + ...` with 1,200 terms; pyward's tree would be as
/// deep) is skipped on its own: its text is replaced by a statement of the same shape (`pass`,
/// or `if 1:` for a block header) padded with spaces, so every offset after it is unchanged, and an error names it. Anything else the pre-scan refuses (more brackets
/// or indentation levels than CPython allows) refuses the file. Returns the text to parse when
/// it differs from `source`, and the errors of the skipped statements.
fn skip_too_deep(source: &str) -> Result<(Option<String>, Vec<SyntaxError>), Vec<SyntaxError>> {
    let mut text: Option<String> = None;
    let mut skipped: Vec<SyntaxError> = Vec::new();
    loop {
        let current = text.as_deref().unwrap_or(source);
        let Some(e) = prescan::check_depth(current) else { return Ok((text, skipped)) };
        let line = prescan::logical_line_at(current, e.span.start as usize);
        let refuse = e.kind != prescan::DepthKind::Expression || skipped.len() >= MAX_SKIPPED_STATEMENTS;
        if refuse {
            skipped.push(SyntaxError { message: e.message, span: e.span });
            return Err(skipped);
        }
        let mut patched = text.take().unwrap_or_else(|| source.to_string()).into_bytes();
        stub_out(&mut patched, line.start as usize, line.end as usize);
        skipped.push(SyntaxError {
            message: format!("{}: this statement was not analysed (the rest of the file was)", e.message.split(';').next().unwrap_or(&e.message)),
            span: line,
        });
        // Only ASCII bytes were written over whole characters: still UTF-8.
        text = Some(String::from_utf8(patched).unwrap_or_default());
    }
}

/// Writes a statement of the same shape over `bytes[start..end]`: after its indentation,
/// `pass`, or for a block header (ending in `:`) `if 1:` (`elif 1:` after `elif`), then spaces.
fn stub_out(bytes: &mut [u8], start: usize, end: usize) {
    let end = end.min(bytes.len());
    let Some(region) = bytes.get(start..end) else { return };
    let indent = region.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let code = &region[indent..];
    let header = code.iter().rev().find(|b| !b.is_ascii_whitespace()) == Some(&b':');
    let stub: &[u8] = match (header, code.starts_with(b"elif")) {
        (true, true) => b"elif 1:",
        (true, false) => b"if 1:",
        _ => b"pass",
    };
    // Line breaks inside the statement become spaces too: positions are read off the original
    // text, so only the parser sees one long line.
    let from = start + indent;
    for (k, b) in bytes[from..end].iter_mut().enumerate() {
        *b = stub.get(k).copied().unwrap_or(b' ');
    }
}

fn span(r: ruff_text_size::TextRange) -> Span {
    Span::new(r.start().to_u32(), r.end().to_u32())
}

struct Converter<F> {
    depth: u32,
    names: F,
}

impl<F: FnMut(&str, bool)> Converter<F> {
    fn name(&mut self, s: &str) -> IStr {
        (self.names)(s, false);
        IStr::new(s)
    }

    /// An imported module or member name, possibly dotted.
    fn module_name(&mut self, s: &str) -> IStr {
        (self.names)(s, true);
        IStr::new(s)
    }

    fn ident(&mut self, i: ra::Identifier) -> Ident {
        Ident { name: self.name(i.as_str()), span: span(i.range) }
    }

    fn alias(&mut self, a: ra::Alias) -> ImportAlias {
        ImportAlias {
            name: self.module_name(a.name.as_str()),
            asname: a.asname.map(|i| self.ident(i)),
            span: span(a.range),
        }
    }

    fn stmts(&mut self, body: ra::Suite) -> Vec<Stmt> {
        let mut out = Vec::with_capacity(body.len());
        for s in body {
            let s = self.stmt(s);
            out.push(s);
        }
        out
    }

    fn stmt(&mut self, s: ra::Stmt) -> Stmt {
        let sp = span(s.range());
        if self.depth > MAX_TREE_DEPTH {
            return Stmt { kind: StmtKind::Other, span: sp };
        }
        self.depth += 1;
        let kind = match s {
            ra::Stmt::FunctionDef(f) => StmtKind::FunctionDef(Box::new(FunctionDef {
                name: self.ident(f.name),
                params: self.params(*f.parameters),
                body: self.stmts(f.body),
                decorators: f.decorator_list.into_iter().map(|d| self.expr(d.expression)).collect(),
                returns: f.returns.map(|e| self.expr(*e)),
                is_async: f.is_async,
            })),
            ra::Stmt::ClassDef(c) => {
                let (bases, keywords) = match c.arguments {
                    Some(a) => {
                        let a = *a;
                        (self.exprs(a.args.into_vec()), a.keywords.into_iter().map(|k| self.keyword(k)).collect())
                    }
                    None => (Vec::new(), Vec::new()),
                };
                StmtKind::ClassDef(Box::new(ClassDef {
                    name: self.ident(c.name),
                    bases,
                    keywords,
                    body: self.stmts(c.body),
                    decorators: c.decorator_list.into_iter().map(|d| self.expr(d.expression)).collect(),
                }))
            }
            ra::Stmt::Return(r) => StmtKind::Return(r.value.map(|e| self.expr(*e))),
            ra::Stmt::Delete(d) => StmtKind::Delete(self.exprs(d.targets)),
            ra::Stmt::TypeAlias(_) | ra::Stmt::IpyEscapeCommand(_) => StmtKind::Other,
            ra::Stmt::Assign(a) => {
                StmtKind::Assign { targets: self.exprs(a.targets), value: self.expr(*a.value) }
            }
            ra::Stmt::AugAssign(a) => StmtKind::AugAssign {
                target: self.boxed(a.target),
                op: binop(a.op),
                value: self.boxed(a.value),
            },
            ra::Stmt::AnnAssign(a) => StmtKind::AnnAssign {
                target: self.boxed(a.target),
                annotation: self.boxed(a.annotation),
                value: a.value.map(|e| self.boxed(e)),
            },
            ra::Stmt::For(f) => StmtKind::For {
                target: self.boxed(f.target),
                iter: self.boxed(f.iter),
                body: self.stmts(f.body),
                orelse: self.stmts(f.orelse),
                is_async: f.is_async,
            },
            ra::Stmt::While(w) => StmtKind::While {
                test: self.boxed(w.test),
                body: self.stmts(w.body),
                orelse: self.stmts(w.orelse),
            },
            ra::Stmt::If(i) => {
                let mut branches = Vec::with_capacity(1 + i.elif_else_clauses.len());
                branches.push(Branch { test: Some(self.expr(*i.test)), body: self.stmts(i.body), span: sp });
                for c in i.elif_else_clauses {
                    branches.push(Branch {
                        test: c.test.map(|t| self.expr(t)),
                        body: self.stmts(c.body),
                        span: span(c.range),
                    });
                }
                StmtKind::If { branches }
            }
            ra::Stmt::With(w) => StmtKind::With {
                items: w
                    .items
                    .into_iter()
                    .map(|it| WithItem {
                        context: self.expr(it.context_expr),
                        target: it.optional_vars.map(|e| self.expr(*e)),
                    })
                    .collect(),
                body: self.stmts(w.body),
                is_async: w.is_async,
            },
            ra::Stmt::Match(m) => {
                let mut cases = Vec::with_capacity(m.cases.len());
                let mut patterns = Vec::with_capacity(m.cases.len());
                for c in m.cases {
                    patterns.push(self.case_pattern(c.pattern));
                    cases.push(Branch { test: c.guard.map(|g| self.expr(*g)), body: self.stmts(c.body), span: span(c.range) });
                }
                StmtKind::Match { subject: self.boxed(m.subject), cases, patterns }
            }
            ra::Stmt::Raise(r) => StmtKind::Raise {
                exc: r.exc.map(|e| self.boxed(e)),
                cause: r.cause.map(|e| self.boxed(e)),
            },
            ra::Stmt::Try(t) => StmtKind::Try {
                body: self.stmts(t.body),
                handlers: t
                    .handlers
                    .into_iter()
                    .map(|h| {
                        let ra::ExceptHandler::ExceptHandler(h) = h;
                        Handler {
                            type_: h.type_.map(|e| self.expr(*e)),
                            name: h.name.map(|i| self.ident(i)),
                            body: self.stmts(h.body),
                            span: span(h.range),
                        }
                    })
                    .collect(),
                orelse: self.stmts(t.orelse),
                finalbody: self.stmts(t.finalbody),
            },
            ra::Stmt::Assert(a) => StmtKind::Assert {
                test: self.boxed(a.test),
                msg: a.msg.map(|e| self.boxed(e)),
            },
            ra::Stmt::Import(i) => StmtKind::Import(i.names.into_iter().map(|a| self.alias(a)).collect()),
            ra::Stmt::ImportFrom(i) => StmtKind::ImportFrom {
                module: i.module.map(|m| self.module_name(m.as_str()).to_string()),
                level: i.level,
                names: i.names.into_iter().map(|a| self.alias(a)).collect(),
            },
            ra::Stmt::Global(g) => StmtKind::Global(g.names.into_iter().map(|i| self.ident(i)).collect()),
            ra::Stmt::Nonlocal(g) => StmtKind::Nonlocal(g.names.into_iter().map(|i| self.ident(i)).collect()),
            ra::Stmt::Expr(e) => StmtKind::Expr(self.expr(*e.value)),
            ra::Stmt::Pass(_) => StmtKind::Pass,
            ra::Stmt::Break(_) => StmtKind::Break,
            ra::Stmt::Continue(_) => StmtKind::Continue,
        };
        self.depth -= 1;
        Stmt { kind, span: sp }
    }

    fn params(&mut self, p: ra::Parameters) -> Vec<Param> {
        let n = p.posonlyargs.len()
            + p.args.len()
            + p.kwonlyargs.len()
            + usize::from(p.vararg.is_some())
            + usize::from(p.kwarg.is_some());
        let mut out = Vec::with_capacity(n);
        for pw in p.posonlyargs.into_iter().chain(p.args) {
            out.push(self.param_with_default(pw, ParamKind::Positional));
        }
        if let Some(v) = p.vararg {
            out.push(self.param(*v, None, ParamKind::VarArgs));
        }
        for pw in p.kwonlyargs {
            out.push(self.param_with_default(pw, ParamKind::KwOnly));
        }
        if let Some(k) = p.kwarg {
            out.push(self.param(*k, None, ParamKind::KwArgs));
        }
        out
    }

    fn param_with_default(&mut self, pw: ra::ParameterWithDefault, kind: ParamKind) -> Param {
        let sp = span(pw.range);
        let mut p = self.param(pw.parameter, pw.default.map(|d| *d), kind);
        p.span = sp;
        p
    }

    fn param(&mut self, p: ra::Parameter, default: Option<ra::Expr>, kind: ParamKind) -> Param {
        Param {
            name: self.ident(p.name),
            default: default.map(|d| self.expr(d)),
            annotation: p.annotation.map(|a| self.expr(*a)),
            kind,
            span: span(p.range),
        }
    }

    /// A `case` pattern, as far as constant folding reads it (iterative over `as` wrappers; an
    /// alternative of literals is one level deep).
    fn case_pattern(&mut self, mut p: ra::Pattern) -> CasePattern {
        loop {
            match p {
                ra::Pattern::MatchAs(ra::PatternMatchAs { pattern: Some(inner), .. }) => p = *inner,
                ra::Pattern::MatchAs(a) => return CasePattern::Any(a.name.map(|n| self.ident(n))),
                ra::Pattern::MatchOr(o) => {
                    let mut values = Vec::with_capacity(o.patterns.len());
                    for alt in o.patterns {
                        match self.literal_pattern(alt) {
                            Some(v) => values.push(v),
                            None => return CasePattern::Other,
                        }
                    }
                    return CasePattern::Values(values);
                }
                other => return self.literal_pattern(other).map_or(CasePattern::Other, |v| CasePattern::Values(vec![v])),
            }
        }
    }

    /// The literal of a value or singleton pattern (`"A"`, `-1`, `None`); `None` for the rest.
    fn literal_pattern(&mut self, p: ra::Pattern) -> Option<Expr> {
        match p {
            ra::Pattern::MatchValue(v) => {
                let e = self.expr(*v.value);
                // Dotted names (`Color.RED`) are looked up at run time: not a literal.
                (!matches!(e.kind, ExprKind::Name(_) | ExprKind::Attribute { .. })).then_some(e)
            }
            ra::Pattern::MatchSingleton(s) => {
                let kind = match s.value {
                    ra::Singleton::None => ExprKind::NoneLit,
                    ra::Singleton::True => ExprKind::Bool(true),
                    ra::Singleton::False => ExprKind::Bool(false),
                };
                Some(Expr { kind, span: span(s.range) })
            }
            _ => None,
        }
    }

    fn keyword(&mut self, k: ra::Keyword) -> Keyword {
        Keyword { arg: k.arg.map(|i| self.ident(i)), value: self.expr(k.value), span: span(k.range) }
    }

    fn exprs(&mut self, es: Vec<ra::Expr>) -> Vec<Expr> {
        let mut out = Vec::with_capacity(es.len());
        for e in es {
            let e = self.expr(e);
            out.push(e);
        }
        out
    }

    /// A child the parser boxed: its box is freed once the child is moved out of it.
    #[allow(clippy::boxed_local)]
    fn boxed(&mut self, e: Box<ra::Expr>) -> Box<Expr> {
        Box::new(self.expr(*e))
    }

    fn comprehensions(&mut self, gens: Vec<ra::Comprehension>) -> Vec<Comprehension> {
        gens.into_iter()
            .map(|g| Comprehension { target: self.expr(g.target), iter: self.expr(g.iter), ifs: self.exprs(g.ifs) })
            .collect()
    }

    /// The parts of an f- or t-string. They are taken out of the parser's tree, which only
    /// lends them (a placeholder takes each expression's place).
    fn interpolated(&mut self, elements: &mut ra::InterpolatedStringElements, out: &mut Vec<FStringPart>) {
        for el in elements.iter_mut() {
            match el {
                ra::InterpolatedStringElement::Literal(l) => {
                    push_literal(out, std::mem::take(&mut l.value), span(l.range));
                }
                ra::InterpolatedStringElement::Interpolation(i) => {
                    let e = std::mem::replace(&mut *i.expression, ra::Expr::NoneLiteral(Default::default()));
                    out.push(FStringPart::Expr(self.expr(e)));
                }
            }
        }
    }

    fn expr(&mut self, e: ra::Expr) -> Expr {
        let sp = span(e.range());
        if self.depth > MAX_TREE_DEPTH {
            return Expr { kind: ExprKind::Error, span: sp };
        }
        self.depth += 1;
        let kind = match e {
            ra::Expr::BoolOp(b) => ExprKind::BoolOp {
                op: match b.op {
                    ra::BoolOp::And => BoolOp::And,
                    ra::BoolOp::Or => BoolOp::Or,
                },
                values: self.exprs(b.values),
            },
            ra::Expr::Named(n) => ExprKind::Named { target: self.boxed(n.target), value: self.boxed(n.value) },
            ra::Expr::BinOp(b) => ExprKind::BinOp {
                left: self.boxed(b.left),
                op: binop(b.op),
                right: self.boxed(b.right),
            },
            ra::Expr::UnaryOp(u) => ExprKind::UnaryOp {
                op: match u.op {
                    ra::UnaryOp::Invert => UnaryOp::Invert,
                    ra::UnaryOp::Not => UnaryOp::Not,
                    ra::UnaryOp::UAdd => UnaryOp::UAdd,
                    ra::UnaryOp::USub => UnaryOp::USub,
                },
                operand: self.boxed(u.operand),
            },
            ra::Expr::Lambda(l) => ExprKind::Lambda {
                params: l.parameters.map(|p| self.params(*p)).unwrap_or_default(),
                body: self.boxed(l.body),
            },
            ra::Expr::If(i) => ExprKind::IfExp {
                test: self.boxed(i.test),
                body: self.boxed(i.body),
                orelse: self.boxed(i.orelse),
            },
            ra::Expr::Dict(d) => ExprKind::Dict(
                d.items.into_iter().map(|it| (it.key.map(|k| self.expr(k)), self.expr(it.value))).collect(),
            ),
            ra::Expr::Set(s) => ExprKind::Set(self.exprs(s.elts)),
            ra::Expr::ListComp(c) => ExprKind::Comp {
                kind: CompKind::List,
                elt: self.boxed(c.elt),
                generators: self.comprehensions(c.generators),
            },
            ra::Expr::SetComp(c) => ExprKind::Comp {
                kind: CompKind::Set,
                elt: self.boxed(c.elt),
                generators: self.comprehensions(c.generators),
            },
            ra::Expr::Generator(c) => ExprKind::Comp {
                kind: CompKind::Generator,
                elt: self.boxed(c.elt),
                generators: self.comprehensions(c.generators),
            },
            ra::Expr::DictComp(c) => ExprKind::DictComp {
                key: match c.key {
                    Some(k) => self.boxed(k),
                    None => Box::new(Expr { kind: ExprKind::Error, span: sp }),
                },
                value: self.boxed(c.value),
                generators: self.comprehensions(c.generators),
            },
            ra::Expr::Await(a) => ExprKind::Await(self.boxed(a.value)),
            ra::Expr::Yield(y) => ExprKind::Yield(y.value.map(|v| self.boxed(v))),
            ra::Expr::YieldFrom(y) => ExprKind::YieldFrom(self.boxed(y.value)),
            ra::Expr::Compare(c) => ExprKind::Compare {
                left: self.boxed(c.left),
                ops: c.ops.iter().map(|o| cmpop(*o)).collect(),
                comparators: self.exprs(c.comparators.into_vec()).into(),
            },
            ra::Expr::Call(c) => ExprKind::Call {
                func: self.boxed(c.func),
                args: self.exprs(c.arguments.args.into_vec()).into(),
                keywords: c.arguments.keywords.into_iter().map(|k| self.keyword(k)).collect(),
            },
            ra::Expr::FString(mut f) => {
                let mut parts = Vec::new();
                for part in f.value.iter_mut() {
                    match part {
                        ra::FStringPart::Literal(l) => push_literal(&mut parts, std::mem::take(&mut l.value), span(l.range)),
                        ra::FStringPart::FString(fs) => self.interpolated(&mut fs.elements, &mut parts),
                    }
                }
                ExprKind::FString(parts)
            }
            ra::Expr::TString(mut t) => {
                let mut parts = Vec::new();
                for ts in t.value.iter_mut() {
                    self.interpolated(&mut ts.elements, &mut parts);
                }
                ExprKind::FString(parts)
            }
            ra::Expr::StringLiteral(mut s) => {
                let v = string_value(&mut s.value);
                (self.names)(&v, false);
                ExprKind::Str(v)
            }
            ra::Expr::BytesLiteral(b) => {
                // Reported like a string's value: a `metavariable-regex` also runs on a bytes
                // literal's text without its quotes.
                match b.value.as_slice() {
                    [one] => {
                        if let Ok(v) = std::str::from_utf8(&one.value) {
                            (self.names)(v, false);
                        }
                    }
                    parts => {
                        let v: Vec<u8> = parts.iter().flat_map(|p| p.value.iter().copied()).collect();
                        if let Ok(v) = std::str::from_utf8(&v) {
                            (self.names)(v, false);
                        }
                    }
                }
                ExprKind::Bytes
            }
            ra::Expr::NumberLiteral(n) => ExprKind::Number(match n.value {
                ra::Number::Int(i) => match i.as_u64() {
                    Some(v) => compact_str::ToCompactString::to_compact_string(&v),
                    None => compact_str::format_compact!("{i}"),
                },
                // `Display`, as before: compact_str's own float formatting differs.
                ra::Number::Float(f) => compact_str::format_compact!("{f}"),
                ra::Number::Complex { real, imag } => compact_str::format_compact!("{real}+{imag}j"),
            }),
            ra::Expr::BooleanLiteral(b) => ExprKind::Bool(b.value),
            ra::Expr::NoneLiteral(_) => ExprKind::NoneLit,
            ra::Expr::EllipsisLiteral(_) => ExprKind::Ellipsis,
            ra::Expr::Attribute(a) => ExprKind::Attribute { value: self.boxed(a.value), attr: self.ident(a.attr) },
            ra::Expr::Subscript(s) => ExprKind::Subscript { value: self.boxed(s.value), slice: self.boxed(s.slice) },
            ra::Expr::Starred(s) => ExprKind::Starred(self.boxed(s.value)),
            ra::Expr::Name(n) => {
                if n.id.is_empty() {
                    ExprKind::Error
                } else {
                    ExprKind::Name(self.name(n.id.as_str()))
                }
            }
            ra::Expr::List(l) => ExprKind::List(self.exprs(l.elts)),
            ra::Expr::Tuple(t) => ExprKind::Tuple(self.exprs(t.elts)),
            ra::Expr::Slice(s) => ExprKind::Slice {
                lower: s.lower.map(|e| self.boxed(e)),
                upper: s.upper.map(|e| self.boxed(e)),
                step: s.step.map(|e| self.boxed(e)),
            },
            ra::Expr::IpyEscapeCommand(_) => ExprKind::Error,
        };
        self.depth -= 1;
        Expr { kind, span: sp }
    }
}

/// A string literal's value, implicit concatenations joined. A single literal keeps the
/// parser's allocation.
fn string_value(value: &mut ra::StringLiteralValue) -> IStr {
    let mut parts = value.iter_mut();
    let Some(first) = parts.next() else { return IStr::default() };
    let mut out = IStr::from(std::mem::take(&mut first.value));
    for part in parts {
        out.push_str(&part.value);
    }
    out
}

fn push_literal(parts: &mut Vec<FStringPart>, s: Box<str>, at: Span) {
    if let Some(FStringPart::Literal(prev, prev_at)) = parts.last_mut() {
        prev.push_str(&s);
        prev_at.end = at.end;
    } else {
        parts.push(FStringPart::Literal(IStr::from(s), at));
    }
}

fn binop(op: ra::Operator) -> BinOp {
    match op {
        ra::Operator::Add => BinOp::Add,
        ra::Operator::Sub => BinOp::Sub,
        ra::Operator::Mult => BinOp::Mult,
        ra::Operator::MatMult => BinOp::MatMult,
        ra::Operator::Div => BinOp::Div,
        ra::Operator::Mod => BinOp::Mod,
        ra::Operator::Pow => BinOp::Pow,
        ra::Operator::LShift => BinOp::LShift,
        ra::Operator::RShift => BinOp::RShift,
        ra::Operator::BitOr => BinOp::BitOr,
        ra::Operator::BitXor => BinOp::BitXor,
        ra::Operator::BitAnd => BinOp::BitAnd,
        ra::Operator::FloorDiv => BinOp::FloorDiv,
    }
}

fn cmpop(op: ra::CmpOp) -> CmpOp {
    match op {
        ra::CmpOp::Eq => CmpOp::Eq,
        ra::CmpOp::NotEq => CmpOp::NotEq,
        ra::CmpOp::Lt => CmpOp::Lt,
        ra::CmpOp::LtE => CmpOp::LtE,
        ra::CmpOp::Gt => CmpOp::Gt,
        ra::CmpOp::GtE => CmpOp::GtE,
        ra::CmpOp::Is => CmpOp::Is,
        ra::CmpOp::IsNot => CmpOp::IsNot,
        ra::CmpOp::In => CmpOp::In,
        ra::CmpOp::NotIn => CmpOp::NotIn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_python_312_fstrings() {
        let p = parse_module("x = f\"{a[\"k\"]}\"\ny = f\"{\n  a\n}\"\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.module.body.len(), 2);
    }

    /// A statement nested too deeply to parse safely is skipped on its own, with an error at
    /// it; the code before and after it is analysed. (The whole file was refused before.)
    #[test]
    fn skips_only_the_statement_that_nests_too_deeply() {
        let chain = vec!["1"; 1200].join(" + ");
        let src = format!("import os\nx = {chain}\nif {chain}:\n    os.system(a)\nelse:\n    y = (\n{chain})\nz = 1\n");
        let p = parse_module(&src);
        assert_eq!(p.errors.len(), 3, "{:?}", p.errors.iter().map(|e| &e.message).collect::<Vec<_>>());
        assert!(p.errors.iter().all(|e| e.message.contains("not analysed")));
        // The skipped statements keep their place: the `if` body and the lines around them.
        let kinds: Vec<&str> = p.module.body.iter().map(|s| match s.kind {
            StmtKind::Import(_) => "import",
            StmtKind::Pass => "pass",
            StmtKind::If { .. } => "if",
            StmtKind::Assign { .. } => "assign",
            _ => "other",
        }).collect();
        assert_eq!(kinds, ["import", "pass", "if", "assign"]);
        // Each error spans its statement, and positions after it are the file's own.
        let z = p.module.body.last().expect("z = 1");
        assert_eq!(&src[z.span.start as usize..z.span.end as usize], "z = 1");
        // Too many brackets, as CPython: the file is refused.
        let deep = format!("x = {}1{}\nimport os\n", "(".repeat(300), ")".repeat(300));
        let p = parse_module(&deep);
        assert!(p.module.body.is_empty() && p.errors.len() == 1);
        // More than MAX_SKIPPED_STATEMENTS: refused, with every error.
        let many = format!("x = {chain}\n").repeat(MAX_SKIPPED_STATEMENTS + 1);
        let p = parse_module(&many);
        assert!(p.module.body.is_empty());
        assert_eq!(p.errors.len(), MAX_SKIPPED_STATEMENTS + 1);
    }

    #[test]
    fn recovers_after_syntax_errors() {
        let p = parse_module("def f(:\n    pass\nx = eval(y)\nz = (\n");
        assert!(!p.errors.is_empty());
        assert!(p.module.body.iter().any(|s| matches!(&s.kind, StmtKind::Assign { .. })));
    }

    /// `\N{NAME}` escapes go through the parser's `unicode_names2` dependency, which is pyward's
    /// own crates/unicode-names2-lite (patched in by the workspace Cargo.toml).
    #[test]
    fn named_unicode_escapes() {
        let mut values = Vec::new();
        let src = r#"x = "\N{BULLET} \N{bullet} \N{NBSP} \N{HANGUL SYLLABLE GA} \N{CJK UNIFIED IDEOGRAPH-4E00}""#;
        let p = parse_module_with_names(src, |v, dotted| {
            if !dotted {
                values.push(v.to_string());
            }
        });
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert!(values.iter().any(|v| v == "• • \u{a0} \u{ac00} \u{4e00}"), "{values:?}");

        for bad in ["NOT A REAL NAME", "BULLET ", "", "\u{e9}", &"A".repeat(10_000)] {
            let src = format!("x = \"\\N{{{bad}}}\"\ny = 1\n");
            let p = parse_module(&src);
            assert_eq!(p.errors.len(), 1, "{bad:?}: {:?}", p.errors);
            assert_eq!(p.module.body.len(), 2, "{bad:?}");
        }

        // Through the engine: a syntax error at the name (column 9, after `{`), and the rest of the
        // file analysed.
        let engine = crate::Engine::builtin().expect("rules");
        let opts = crate::Options::default();
        let ok = engine.check_source("t.py", "print(\"\\N{BULLET} item\")\n", &opts);
        assert!(ok.errors.is_empty(), "{:?}", ok.errors);
        let bad = engine.check_source("t.py", "s = \"\\N{NOT A REAL NAME}\"\neval(input())\n", &opts);
        assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
        assert!(bad.errors[0].message.starts_with("syntax error"), "{:?}", bad.errors);
        assert_eq!((bad.errors[0].line, bad.errors[0].column), (Some(1), Some(9)), "{:?}", bad.errors);
        assert!(bad.findings.iter().any(|f| f.line == 2), "{:?}", bad.findings);
    }

    /// Every body's statements in source order, each ending before the next starts (and no
    /// statement with start > end). `Matcher::find_nodes` binary-searches bodies on this.
    fn assert_ordered(body: &[Stmt], src: &str) {
        for w in body.windows(2) {
            assert!(w[0].span.end <= w[1].span.start, "{:?} then {:?} in {src:?}", w[0].span, w[1].span);
        }
        for s in body {
            assert!(s.span.start <= s.span.end, "{:?} in {src:?}", s.span);
            s.for_each_block(|b| assert_ordered(b, src));
        }
    }

    #[test]
    fn bodies_are_ordered_and_disjoint() {
        // The rule fixtures, the example files and the test shop.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut dirs = vec![root.join("rules"), root.join("web/examples"), root.join("tests/shop")];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("a test data directory").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "py") {
                    let src = std::fs::read_to_string(&path).expect("a UTF-8 test file");
                    assert_ordered(&parse_module(&src).module.body, &src);
                    files += 1;
                }
            }
        }
        assert!(files > 50, "{files}");

        // Random statement soup, mostly with syntax errors: the parser's recovery must keep it.
        const PARTS: &[&str] = &[
            "\n", "\n", "    ", "\t", " ", ";", ":", "(", ")", "[", "]", ",", "=", "@dec\n", "if x:", "elif y:",
            "else:", "for i in y:", "while 1:", "with a as b:", "try:", "except E as e:", "finally:",
            "def f(", "class C:", "async ", "await ", "lambda:", "return", "yield", "pass", "import a, b",
            "from . import c", "match x:", "case 1:", "x = 1", "f(x)", "\"", "'''", "\\", "#", "é", "\u{0}",
        ];
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..5_000 {
            let len = (next() % 120) as usize;
            let src: String = (0..len).map(|_| PARTS[(next() % PARTS.len() as u64) as usize]).collect();
            assert_ordered(&parse_module(&src).module.body, &src);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("x = {}1{}", "(".repeat(5000), ")".repeat(5000));
        let p = parse_module(&src);
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains("nested"));
    }
}
