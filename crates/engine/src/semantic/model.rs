//! The semantic model: scopes, imports and aliases resolved to qualified names, and the constant
//! value a name has where it is used (`shell = True` ... `shell=shell`, `KEY = "..."`): a name
//! bound once by a plain assignment, or a name whose last assignment before the use is a plain
//! assignment of a literal that always runs before it (`cmd = request.args["c"]` ...
//! `cmd = "ls"` ... `os.system(cmd)`).
//!
//! Built once per file from pyward's own tree; the matcher reads it, nothing writes back.

use rustc_hash::FxHashMap as HashMap;

use crate::syntax::ast::*;
use crate::syntax::visitor::{walk_body, Descend, Visitor};

/// A scope of the file: the module, a function body or a class body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(u32);

impl ScopeId {
    /// The module's own scope.
    pub const MODULE: ScopeId = ScopeId(0);

    fn index(self) -> usize {
        self.0 as usize
    }
}

/// A name after import resolution, as its dotted segments: `sp.run` is
/// `["subprocess", "run"]` after `import subprocess as sp`. Compare with
/// [`QualifiedName::is`] or match on [`QualifiedName::segments`], never on raw code text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualifiedName(String);

impl QualifiedName {
    /// The segments: `["os", "path", "join"]`.
    pub fn segments(&self) -> Vec<&str> {
        self.0.split('.').collect()
    }

    /// The dotted text: `os.path.join`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Is this exactly the name with these segments?
    pub fn is(&self, segments: &[&str]) -> bool {
        self.0.split('.').eq(segments.iter().copied())
    }

    /// Does the name start with these segments (`os.path.join` starts with `["os", "path"]`)?
    pub fn starts_with(&self, segments: &[&str]) -> bool {
        let mut mine = self.0.split('.');
        segments.iter().all(|s| mine.next() == Some(*s))
    }
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of definition a `def` or `class` statement makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefinitionKind {
    Function,
    Class,
}

/// A function or class definition of the file.
#[derive(Debug, Clone, Copy)]
pub struct Definition<'a> {
    pub kind: DefinitionKind,
    pub name: &'a str,
    /// The `def`/`class` statement.
    pub stmt: &'a Stmt,
    /// The scope the name is bound in.
    pub scope: ScopeId,
    /// The scope of its body.
    pub body_scope: ScopeId,
    /// The definition is reached from the top of its scope through `if`/`try` blocks only
    /// (not a loop, `with` or `match` body): it exists whenever its scope has run.
    pub unconditional_shape: bool,
}

#[derive(Debug)]
pub struct Binding {
    /// How many times the scope binds the name (assignments, loops, parameters, imports...).
    pub count: u32,
    /// The last of this name's entries in [`SemanticModel::defs`].
    last_def: u32,
    /// For a name bound more than once: its entries in [`SemanticModel::defs`] by offset, so
    /// that the binding a use sees is found by binary search (no walk over every binding per
    /// use, which made a file of many reassignments quadratic).
    by_offset: Box<[u32]>,
}

const NONE: u32 = u32::MAX;

/// One binding of a name, in source order per (scope, name) through `prev`.
#[derive(Debug)]
struct Def<'a> {
    /// The binding statement (or walrus, or parameter).
    span: Span,
    /// The value of a plain single-target assignment.
    value: Option<&'a Expr>,
    /// The innermost block or loop it is in (`NONE`: the scope's own body).
    region: u32,
    prev: u32,
}

/// A block that may run zero times or more than once relative to the code around it: each
/// branch body of an `if`/`match`/`try`/`with`, and each whole loop statement (`is_loop`).
#[derive(Debug)]
struct Region {
    span: Span,
    parent: u32,
    is_loop: bool,
    /// The scope whose code the region holds.
    scope: ScopeId,
}

#[derive(Debug, Default)]
pub struct Scope {
    pub parent: Option<ScopeId>,
    pub is_class: bool,
}

#[derive(Debug)]
pub struct SemanticModel<'a> {
    pub scopes: Vec<Scope>,
    /// Start offset of a `def`/`class` statement -> the scope of its body.
    pub scope_of_def: HashMap<u32, ScopeId>,
    /// (scope, local name) -> fully qualified imported name. One table for all scopes.
    pub imports: HashMap<(ScopeId, &'a str), String>,
    /// (scope, name) -> how the scope binds the name.
    pub bindings: HashMap<(ScopeId, &'a str), Binding>,
    /// Every local name that some import binds, in any scope: other names never resolve.
    imported: HashMap<&'a str, ()>,
    /// Every name that some scope binds exactly once to a value: other names have no constant.
    constants: HashMap<&'a str, ()>,
    /// Look for walrus targets (`false` when the file has no `:=`).
    walrus: bool,
    defs: Vec<Def<'a>>,
    regions: Vec<Region>,
    /// Every `def` and `class` of the file, in source order.
    definitions: Vec<Definition<'a>>,
    /// By scope: its loops that are in no other loop, by offset.
    outer_loops: HashMap<ScopeId, Vec<u32>>,
    /// By region: the outermost loop it is in (itself for such a loop; `NONE` if none).
    outer_loop_of: Vec<u32>,
    /// The region being collected.
    region: u32,
    /// Names some scope declares `global` or `nonlocal`: code elsewhere may rebind them at any
    /// call, so only their single-assignment value counts.
    shared: HashMap<&'a str, ()>,
    /// (scope, name) -> the name's declared type there: a parameter's annotation, or the first
    /// annotated assignment (`x: Foo = ...`, `x: Foo`) of the name in that scope.
    annotations: HashMap<(ScopeId, &'a str), &'a Expr>,
}

impl<'a> SemanticModel<'a> {
    pub fn build(module: &'a Module) -> Self {
        Self::build_with(module, true)
    }

    /// `walrus: false` promises that the module has no `:=` (its text has none), which saves
    /// a walk over every expression.
    pub fn build_with(module: &'a Module, walrus: bool) -> Self {
        let mut model = SemanticModel {
            scopes: vec![Scope::default()],
            scope_of_def: HashMap::default(),
            imports: HashMap::default(),
            bindings: HashMap::default(),
            imported: HashMap::default(),
            constants: HashMap::default(),
            walrus,
            defs: Vec::new(),
            regions: Vec::new(),
            definitions: Vec::new(),
            outer_loops: HashMap::default(),
            outer_loop_of: Vec::new(),
            region: NONE,
            shared: HashMap::default(),
            annotations: HashMap::default(),
        };
        walk_body(&mut Collect { model: &mut model, frames: Vec::new() }, &module.body, 0);
        model.index_bindings();
        let constants = model
            .bindings
            .iter()
            .filter(|(_, b)| model.any_value(b.last_def))
            .map(|((_, n), _)| (*n, ()))
            .collect();
        model.constants = constants;
        model
    }

    /// Orders the entries of each name bound more than once by offset, and lists each scope's
    /// outermost loops by offset (see [`SemanticModel::reaching_value`]).
    fn index_bindings(&mut self) {
        let defs = &self.defs;
        for b in self.bindings.values_mut().filter(|b| b.count > 1) {
            let mut order = Vec::with_capacity(b.count as usize);
            let mut d = b.last_def;
            while let Some(def) = defs.get(d as usize) {
                order.push(d);
                d = def.prev;
            }
            order.sort_by_key(|&d| (defs[d as usize].span.start, d));
            b.by_offset = order.into_boxed_slice();
        }
        // Each region's outermost loop (a region's parent comes before it).
        let regions = &self.regions;
        let mut outer = vec![NONE; regions.len()];
        for (i, r) in regions.iter().enumerate() {
            let up = outer.get(r.parent as usize).copied().unwrap_or(NONE);
            outer[i] = if up != NONE { up } else if r.is_loop { i as u32 } else { NONE };
            if outer[i] == i as u32 {
                self.outer_loops.entry(r.scope).or_default().push(i as u32);
            }
        }
        for loops in self.outer_loops.values_mut() {
            loops.sort_by_key(|&i| regions[i as usize].span.start);
        }
        self.outer_loop_of = outer;
    }

    /// The outermost loop of `scope` around offset `at` (the scope's outermost loops do not
    /// overlap, so a binary search finds it).
    fn outer_loop_around(&self, scope: ScopeId, at: u32) -> Option<(u32, &Region)> {
        let loops = self.outer_loops.get(&scope)?;
        let i = loops.partition_point(|&l| self.regions[l as usize].span.start <= at);
        let l = *loops.get(i.checked_sub(1)?)?;
        let r = self.regions.get(l as usize)?;
        r.span.contains(Span::new(at, at)).then_some((l, r))
    }

    fn any_value(&self, mut d: u32) -> bool {
        while let Some(def) = self.defs.get(d as usize) {
            if def.value.is_some() {
                return true;
            }
            d = def.prev;
        }
        false
    }

    fn import(&mut self, scope: ScopeId, local: &'a str, qualified: String) {
        self.imported.insert(local, ());
        self.imports.insert((scope, local), qualified);
    }

    fn new_scope(&mut self, parent: ScopeId, is_class: bool) -> ScopeId {
        self.scopes.push(Scope { parent: Some(parent), is_class });
        ScopeId(self.scopes.len() as u32 - 1)
    }

    /// Records a binding of `name` by the statement (or expression) `span`.
    fn bind(&mut self, scope: ScopeId, name: &'a str, value: Option<&'a Expr>, span: Span) {
        let def = self.defs.len() as u32;
        let b = self.bindings.entry((scope, name)).or_insert(Binding { count: 0, last_def: NONE, by_offset: Box::default() });
        b.count += 1;
        let prev = std::mem::replace(&mut b.last_def, def);
        self.defs.push(Def { span, value, region: self.region, prev });
    }

    fn bind_target(&mut self, scope: ScopeId, target: &'a Expr, value: Option<&'a Expr>, span: Span) {
        match &target.kind {
            ExprKind::Name(n) => self.bind(scope, n, value, span),
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                for e in elts {
                    self.bind_target(scope, e, None, span);
                }
            }
            ExprKind::Starred(e) => self.bind_target(scope, e, None, span),
            _ => {}
        }
    }

    /// Records what statement `s` binds in `scope` (not what its blocks bind). For a `def` or
    /// `class`: its name, and the scope of its body (returned).
    fn bind_stmt(&mut self, scope: ScopeId, s: &'a Stmt) -> Option<ScopeId> {
        let at = s.span;
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                let single = if targets.len() == 1 { Some(value) } else { None };
                for t in targets {
                    self.bind_target(scope, t, single, at);
                }
            }
            StmtKind::AnnAssign { target, annotation, value } => {
                if let ExprKind::Name(n) = &target.kind {
                    self.annotations.entry((scope, n)).or_insert(annotation);
                }
                if value.is_some() {
                    self.bind_target(scope, target, value.as_deref(), at);
                }
            }
            StmtKind::AugAssign { target, .. } => self.bind_target(scope, target, None, at),
            StmtKind::For { target, .. } => self.bind_target(scope, target, None, at),
            StmtKind::With { items, .. } => {
                for i in items {
                    if let Some(t) = &i.target {
                        self.bind_target(scope, t, None, at);
                    }
                }
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.bind_target(scope, t, None, at);
                }
            }
            StmtKind::Match { patterns, .. } => {
                // `case x:` binds the subject to `x`.
                for p in patterns {
                    if let CasePattern::Any(Some(n)) = p {
                        self.bind(scope, &n.name, None, at);
                    }
                }
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                for n in names {
                    // The name is shared with another scope: never treat it as a local constant.
                    self.bind(scope, &n.name, None, at);
                    self.bind(scope, &n.name, None, at);
                    self.shared.insert(&n.name, ());
                }
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    match &a.asname {
                        Some(asname) => {
                            self.import(scope, &asname.name, a.name.to_string());
                            self.bind(scope, &asname.name, None, at);
                        }
                        None => {
                            let first = a.name.split('.').next().unwrap_or(&a.name);
                            self.import(scope, first, first.to_string());
                            self.bind(scope, first, None, at);
                        }
                    }
                }
            }
            StmtKind::ImportFrom { module, level, names } => {
                let mut base = ".".repeat(*level as usize);
                if let Some(m) = module {
                    base.push_str(m);
                }
                for a in names {
                    if a.name == "*" {
                        continue;
                    }
                    let local: &'a str = a.asname.as_ref().map(|i| &*i.name).unwrap_or(&a.name);
                    let qualified = if base.is_empty() {
                        a.name.to_string()
                    } else if base.ends_with('.') {
                        format!("{base}{}", a.name)
                    } else {
                        format!("{base}.{}", a.name)
                    };
                    self.import(scope, local, qualified);
                    self.bind(scope, local, None, at);
                }
            }
            StmtKind::FunctionDef(def) => {
                self.bind(scope, &def.name.name, None, at);
                let inner = self.new_scope(scope, false);
                self.define(DefinitionKind::Function, &def.name.name, s, scope, inner);
                self.scope_of_def.insert(at.start, inner);
                let outer = std::mem::replace(&mut self.region, NONE);
                for p in &def.params {
                    self.bind(inner, &p.name.name, None, p.span);
                    if let Some(a) = &p.annotation {
                        self.annotations.entry((inner, &p.name.name)).or_insert(a);
                    }
                }
                self.region = outer;
                return Some(inner);
            }
            StmtKind::ClassDef(def) => {
                self.bind(scope, &def.name.name, None, at);
                let inner = self.new_scope(scope, true);
                self.define(DefinitionKind::Class, &def.name.name, s, scope, inner);
                self.scope_of_def.insert(at.start, inner);
                return Some(inner);
            }
            StmtKind::Try { handlers, .. } => {
                for h in handlers {
                    if let Some(n) = &h.name {
                        self.bind(scope, &n.name, None, at);
                    }
                }
            }
            _ => {}
        }
        None
    }

    fn define(&mut self, kind: DefinitionKind, name: &'a str, stmt: &'a Stmt, scope: ScopeId, body_scope: ScopeId) {
        // Set by the walk once it knows the blocks around the statement.
        self.definitions.push(Definition { kind, name, stmt, scope, body_scope, unconditional_shape: false });
    }

    fn enter(&mut self, span: Span, is_loop: bool, scope: ScopeId) {
        self.regions.push(Region { span, parent: self.region, is_loop, scope });
        self.region = self.regions.len() as u32 - 1;
    }

    fn leave(&mut self) {
        self.region = self.regions.get(self.region as usize).map_or(NONE, |r| r.parent);
    }

    /// The scopes to search for a name used in `scope`, innermost first (class bodies are
    /// skipped for nested functions, as in Python).
    fn chain(&self, scope: ScopeId) -> impl Iterator<Item = (bool, ScopeId)> + '_ {
        let mut cur = Some(scope);
        let mut first = true;
        std::iter::from_fn(move || {
            while let Some(id) = cur {
                let s = self.scopes.get(id.index())?;
                cur = s.parent;
                let is_first = first;
                first = false;
                if s.is_class && !is_first {
                    continue;
                }
                return Some((is_first, id));
            }
            None
        })
    }

    /// The scope that binds `name` as used in `scope` (the innermost of its chain that does),
    /// or `None` for a name no enclosing scope binds (a builtin, or a global set elsewhere).
    pub fn binding_scope(&self, scope: ScopeId, name: &str) -> Option<ScopeId> {
        self.chain(scope).map(|(_, id)| id).find(|&id| self.bindings.contains_key(&(id, name)))
    }

    /// Does some scope declare the name `global` or `nonlocal` (code elsewhere may rebind it)?
    pub fn is_shared(&self, name: &str) -> bool {
        self.shared.contains_key(name)
    }

    /// Could the name stand for an import somewhere in the file (else it never resolves)?
    pub fn may_be_import(&self, name: &str) -> bool {
        self.imported.contains_key(name)
    }

    /// Could the name have a constant value somewhere in the file (else it never has)?
    pub fn may_be_constant(&self, name: &str) -> bool {
        self.constants.contains_key(name)
    }

    /// The qualified name that an imported local name stands for.
    pub fn resolve_import(&self, scope: ScopeId, name: &str) -> Option<&str> {
        // The table's own copy of the name (the keys below borrow from the tree).
        let (&name, _) = self.imported.get_key_value(name)?;
        for (_, id) in self.chain(scope) {
            if let Some(q) = self.imports.get(&(id, name)) {
                return Some(q);
            }
            if self.bindings.contains_key(&(id, name)) {
                // A local binding shadows outer imports.
                return None;
            }
        }
        None
    }

    /// The qualified name of a `Name`/`Attribute` chain used in `scope`, after import
    /// resolution: `sp.run` is `subprocess.run` after `import subprocess as sp`. `None` when
    /// the chain does not start at an import.
    pub fn resolve_qualified_name(&self, scope: ScopeId, e: &Expr) -> Option<QualifiedName> {
        // Iterative: the chain's length is the input's.
        let mut attrs: Vec<&str> = Vec::new();
        let mut cur = e;
        let base = loop {
            match &cur.kind {
                ExprKind::Name(n) => break self.resolve_import(scope, n)?,
                ExprKind::Attribute { value, attr } => {
                    attrs.push(&attr.name);
                    cur = value;
                }
                _ => return None,
            }
        };
        let mut q = base.to_string();
        for a in attrs.iter().rev() {
            q.push('.');
            q.push_str(a);
        }
        Some(QualifiedName(q))
    }

    /// [`SemanticModel::resolve_qualified_name`] as dotted text.
    pub fn qualified_name(&self, scope: ScopeId, e: &Expr) -> Option<String> {
        self.resolve_qualified_name(scope, e).map(|q| q.0)
    }

    /// Every `def` and `class` statement of the file, in source order.
    pub fn definitions(&self) -> &[Definition<'a>] {
        &self.definitions
    }

    /// The scope of the body of a `def`/`class` statement starting at `offset`.
    pub fn body_scope(&self, offset: u32) -> Option<ScopeId> {
        self.scope_of_def.get(&offset).copied()
    }

    /// The scope a scope is nested in (none for the module).
    pub fn parent_scope(&self, scope: ScopeId) -> Option<ScopeId> {
        self.scopes.get(scope.index()).and_then(|s| s.parent)
    }

    /// Is the scope a class body?
    pub fn is_class_scope(&self, scope: ScopeId) -> bool {
        self.scopes.get(scope.index()).is_some_and(|s| s.is_class)
    }

    /// The declared type of `name` as used in `scope`: the annotation of the parameter or the
    /// annotated assignment that declares it in the innermost scope that binds or declares it,
    /// with that scope (where the annotation's own names are looked up). `None` when that
    /// scope has no annotation for it.
    pub fn annotation(&self, scope: ScopeId, name: &str) -> Option<(ScopeId, &'a Expr)> {
        if self.annotations.is_empty() {
            return None;
        }
        for (_, id) in self.chain(scope) {
            if let Some((_, a)) = self.annotations.get_key_value(&(id, name)) {
                return Some((id, *a));
            }
            if self.bindings.contains_key(&(id, name)) {
                return None;
            }
        }
        None
    }

    /// The value of a name bound exactly once by a plain assignment, as seen from `scope` at
    /// offset `at` (a use before the assignment in the same scope does not see it); or, for a
    /// name the scope binds more than once, see [`SemanticModel::reaching_value`].
    pub fn constant_value(&self, scope: ScopeId, name: &str, at: u32) -> Option<&'a Expr> {
        self.constant_binding(scope, name, at).map(|(_, v)| v)
    }

    /// [`SemanticModel::constant_value`], with the scope that binds the name (the scope in
    /// which the value's own names are to be looked up).
    pub fn constant_binding(&self, scope: ScopeId, name: &str, at: u32) -> Option<(ScopeId, &'a Expr)> {
        let (&name, _) = self.constants.get_key_value(name)?;
        for (is_first, id) in self.chain(scope) {
            if let Some(b) = self.bindings.get(&(id, name)) {
                if b.count != 1 {
                    // From a nested function there is no telling when it runs.
                    return if is_first && !self.shared.contains_key(name) { self.reaching_value(id, b, at).map(|v| (id, v)) } else { None };
                }
                let only = self.defs.get(b.last_def as usize)?;
                let v = only.value?;
                if is_first && only.span.start > at {
                    return None;
                }
                if v.span.contains(Span::new(at, at)) {
                    return None;
                }
                return Some((id, v));
            }
        }
        None
    }

    /// How many times `scope` itself binds the name (assignments, loop targets, parameters...).
    pub fn times_bound(&self, scope: ScopeId, name: &str) -> u32 {
        self.bindings.get(&(scope, name)).map_or(0, |b| b.count)
    }

    /// Does a scope that code in `scope` sees bind the name (so that it is not a builtin)?
    pub fn binds(&self, scope: ScopeId, name: &str) -> bool {
        self.chain(scope).any(|(_, id)| self.bindings.contains_key(&(id, name)))
    }

    /// The literal a use at `at` sees for a name its own scope binds several times: the last
    /// binding before the use, if it is a plain assignment of a literal that always runs before
    /// the use (it is not in a branch or loop body that the use is outside of), and no later
    /// binding in a loop around the use can reach it on the loop's next round. Anything else has
    /// no known value.
    fn reaching_value(&self, scope: ScopeId, b: &Binding, at: u32) -> Option<&'a Expr> {
        let start = |d: u32| self.defs.get(d as usize).map_or(u32::MAX, |def| def.span.start);
        let i = b.by_offset.partition_point(|&d| start(d) < at);
        // A later binding in a loop around the use: seen on the next round. Such a binding is
        // in the same outermost loop as the use, so it lies within that loop's span; the only
        // others there are the loop header's own (a `for` target), which are few.
        let around = self.outer_loop_around(scope, at);
        if let Some((l, r)) = around {
            for &d in b.by_offset.get(i..).unwrap_or(&[]) {
                let Some(def) = self.defs.get(d as usize) else { break };
                if def.span.start >= r.span.end {
                    break;
                }
                if self.outer_loop_of.get(def.region as usize) == Some(&l) {
                    return None;
                }
            }
        }
        let def_at = |k: usize| b.by_offset.get(k).and_then(|&d| self.defs.get(d as usize));
        let mut k = i.checked_sub(1)?;
        let mut last = def_at(k)?;
        // A use in the value of its own reassignment (`url = url + p`) reads the binding before
        // it, as Semgrep's flow-sensitive constant propagation does, unless a loop around the
        // use runs that reassignment again before the next read.
        if last.value.is_some_and(|v| v.span.contains(Span::new(at, at))) {
            if around.is_some_and(|(l, _)| self.outer_loop_of.get(last.region as usize) == Some(&l)) {
                return None;
            }
            k = k.checked_sub(1)?;
            last = def_at(k)?;
        }
        self.literal_seen_at(last, at)
    }

    /// The literal that binding `last` (the last one before the use) gives a use at `at`.
    fn literal_seen_at(&self, last: &Def<'a>, at: u32) -> Option<&'a Expr> {
        // Only literals, as in Semgrep's constant propagation: following a reassigned name to an
        // arbitrary expression would let a pattern (a taint sanitizer, say) match the wrong value.
        let v = last.value.filter(|v| {
            matches!(v.kind, ExprKind::Str(_) | ExprKind::Bytes | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::NoneLit)
        })?;
        // The use reads the previous value inside its own assignment (`x = x + "a"`).
        if last.span.contains(Span::new(at, at)) {
            return None;
        }
        match self.regions.get(last.region as usize) {
            Some(r) if !r.span.contains(Span::new(at, at)) => None,
            _ => Some(v),
        }
    }

    /// Is there a loop among `region` and its enclosing regions that contains offset `at`?
    #[cfg(test)]
    fn loop_around(&self, mut region: u32, at: u32) -> bool {
        while let Some(r) = self.regions.get(region as usize) {
            if r.is_loop && r.span.contains(Span::new(at, at)) {
                return true;
            }
            region = r.parent;
        }
        false
    }
}

/// How the walk of semantic collection is inside one statement.
struct Frame {
    /// The scope of the statement's blocks.
    scope: ScopeId,
    /// A `def` or `class`: its blocks are a scope of their own, outside any region.
    definition: bool,
    is_loop: bool,
    /// An `if` or `try` statement (a definition in its blocks still has a fixed shape).
    branch: bool,
    /// The region to restore when a definition is left.
    saved_region: u32,
    /// Level of the statement in the walk (walrus targets are looked for 64 levels below it).
    depth: u32,
}

/// Semantic collection, as a visitor: bindings, imports, scopes and regions, statement by
/// statement, in source order.
struct Collect<'m, 'a> {
    model: &'m mut SemanticModel<'a>,
    frames: Vec<Frame>,
}

impl Collect<'_, '_> {
    fn scope(&self) -> ScopeId {
        self.frames.last().map_or(ScopeId::MODULE, |f| f.scope)
    }
}

impl<'a> Visitor<'a> for Collect<'_, 'a> {
    fn enter_stmt(&mut self, s: &'a Stmt, depth: u32) -> Descend {
        let outer = self.scope();
        let saved_region = self.model.region;
        let inner = self.model.bind_stmt(outer, s);
        if inner.is_some() {
            // A body runs when called, outside the regions around its definition.
            self.model.region = NONE;
            // Reached through `if`/`try` blocks only from the top of its scope?
            let shape = self.frames.iter().rev().take_while(|f| !f.definition).all(|f| f.branch);
            if let Some(d) = self.model.definitions.last_mut() {
                d.unconditional_shape = shape;
            }
        }
        let is_loop = matches!(s.kind, StmtKind::For { .. } | StmtKind::While { .. });
        let branch = matches!(s.kind, StmtKind::If { .. } | StmtKind::Try { .. });
        self.frames.push(Frame { scope: inner.unwrap_or(outer), definition: inner.is_some(), is_loop, branch, saved_region, depth });
        Descend::Yes
    }

    fn exprs_of(&mut self, _s: &'a Stmt) -> Descend {
        // Walrus targets in the statement's own expressions (a definition's are not looked at).
        let definition = self.frames.last().is_some_and(|f| f.definition);
        if self.model.walrus && !definition { Descend::Yes } else { Descend::No }
    }

    fn enter_expr(&mut self, e: &'a Expr, depth: u32) -> Descend {
        let Some(f) = self.frames.last() else { return Descend::No };
        if depth > f.depth + 65 {
            return Descend::No;
        }
        let scope = f.scope;
        if let ExprKind::Named { target, .. } = &e.kind {
            self.model.bind_target(scope, target, None, e.span);
        }
        if matches!(e.kind, ExprKind::Lambda { .. } | ExprKind::Comp { .. } | ExprKind::DictComp { .. }) {
            return Descend::No;
        }
        Descend::Yes
    }

    fn blocks_of(&mut self, _s: &'a Stmt) -> Descend {
        // A loop is a region as a whole too (its header runs again after its body).
        if let Some(f) = self.frames.last().filter(|f| f.is_loop) {
            let scope = f.scope;
            self.model.enter(_s.span, true, scope);
        }
        Descend::Yes
    }

    fn body(&mut self, body: &'a [Stmt], _depth: u32) {
        // Each nested block (but a definition's body) is a region: a branch, a loop body...
        if let (Some(f), Some(first), Some(last)) = (self.frames.last(), body.first(), body.last()) {
            if !f.definition {
                let scope = f.scope;
                self.model.enter(first.span.cover(last.span), false, scope);
            }
        }
    }

    fn leave_body(&mut self, body: &'a [Stmt]) {
        if self.frames.last().is_some_and(|f| !f.definition) && !body.is_empty() {
            self.model.leave();
        }
    }

    fn leave_stmt(&mut self, _s: &'a Stmt) {
        let Some(f) = self.frames.pop() else { return };
        if f.is_loop {
            self.model.leave();
        }
        if f.definition {
            self.model.region = f.saved_region;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse::parse_module;

    fn call_func(m: &Module, idx: usize) -> &Expr {
        match &m.body[idx].kind {
            StmtKind::Expr(Expr { kind: ExprKind::Call { func, .. }, .. }) => func,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn resolves_imports_and_aliases() {
        let p = parse_module(
            "import subprocess as sp\nfrom os import system as s\nfrom yaml import load\nimport hashlib as h\nimport os.path\n\
             sp.run(x)\ns(x)\nload(x)\nh.new('md5')\nos.path.join(a)\n",
        );
        let m = SemanticModel::build(&p.module);
        let q = |i| m.qualified_name(ScopeId::MODULE, call_func(&p.module, i));
        assert_eq!(q(5).as_deref(), Some("subprocess.run"));
        assert_eq!(q(6).as_deref(), Some("os.system"));
        assert_eq!(q(7).as_deref(), Some("yaml.load"));
        assert_eq!(q(8).as_deref(), Some("hashlib.new"));
        assert_eq!(q(9).as_deref(), Some("os.path.join"));
    }

    #[test]
    fn qualified_names_are_matched_on_segments() {
        let p = parse_module("import os.path as op\nfrom django.db import connection as c\nop.join(a)\nc.cursor().execute(q)\nlocal.x(y)\n");
        let m = SemanticModel::build(&p.module);
        let q = |i| m.resolve_qualified_name(ScopeId::MODULE, call_func(&p.module, i));
        let join = q(2).expect("resolved");
        assert_eq!(join.segments(), ["os", "path", "join"]);
        assert!(join.is(&["os", "path", "join"]));
        assert!(!join.is(&["os", "path"]));
        assert!(join.starts_with(&["os", "path"]));
        assert!(!join.starts_with(&["os", "pathlib"]));
        // A call in the chain ends the qualified name; a name that is not imported has none.
        assert!(q(3).is_none());
        assert!(q(4).is_none());
        // A chain as long as the pre-scan allows is resolved without recursion.
        let long = format!("import a\na{}()\n", ".b".repeat(900));
        let p = parse_module(&long);
        let m = SemanticModel::build(&p.module);
        assert_eq!(m.resolve_qualified_name(ScopeId::MODULE, call_func(&p.module, 1)).map(|q| q.segments().len()), Some(901));
    }

    #[test]
    fn records_definitions_with_their_scopes() {
        let p = parse_module(
            "def f():\n    def inner():\n        pass\nclass C:\n    def m(self):\n        import x\n    if DEBUG:\n        def g(self):\n            pass\nfor i in r:\n    def h():\n        pass\n",
        );
        let m = SemanticModel::build(&p.module);
        let defs: Vec<(&str, DefinitionKind, bool, bool)> = m
            .definitions()
            .iter()
            .map(|d| (d.name, d.kind, d.scope == ScopeId::MODULE, d.unconditional_shape))
            .collect();
        assert_eq!(
            defs,
            [
                ("f", DefinitionKind::Function, true, true),
                ("inner", DefinitionKind::Function, false, true),
                ("C", DefinitionKind::Class, true, true),
                ("m", DefinitionKind::Function, false, true),
                ("g", DefinitionKind::Function, false, true),
                ("h", DefinitionKind::Function, true, false),
            ]
        );
        let c = m.definitions()[2];
        assert!(m.is_class_scope(c.body_scope));
        assert_eq!(m.definitions()[3].scope, c.body_scope);
        assert_eq!(m.parent_scope(c.body_scope), Some(ScopeId::MODULE));
        // The import inside `m` binds in m's scope only.
        let m_scope = m.definitions()[3].body_scope;
        assert_eq!(m.resolve_import(m_scope, "x"), Some("x"));
        assert_eq!(m.resolve_import(ScopeId::MODULE, "x"), None);
    }

    /// The first implementation of `reaching_value`: a walk over every binding of the name.
    fn reaching_value_by_walk<'a>(m: &SemanticModel<'a>, b: &Binding, at: u32) -> Option<&'a Expr> {
        let mut before: Vec<&Def<'a>> = Vec::new();
        let mut d = b.last_def;
        while let Some(def) = m.defs.get(d as usize) {
            if def.span.start < at {
                before.push(def);
            } else if m.loop_around(def.region, at) {
                return None;
            }
            d = def.prev;
        }
        before.sort_by_key(|def| def.span.start);
        let mut last = before.pop()?;
        // Read in the value of its own reassignment: the binding before, outside loops.
        if last.value.is_some_and(|v| v.span.contains(Span::new(at, at))) {
            if m.loop_around(last.region, at) {
                return None;
            }
            last = before.pop()?;
        }
        // Which binding is last is what the index must get right; the literal check is shared.
        m.literal_seen_at(last, at)
    }

    /// The indexed lookup gives the same answer as the walk over every binding, at every
    /// offset of random programs of reassignments, branches, loops and nested functions.
    #[test]
    fn indexed_reaching_values_agree_with_the_walk() {
        let mut next = crate::testing::xorshift(0x51_7cc1_b727_220a);
        let stmts = ["n = 1", "n = 'a'", "n = f()", "n += 1", "use(n)", "m = n", "for n in xs:", "while c:", "if c:", "else:", "try:", "except E:", "def g():", "with w as n:", "break", "return n", "global n"];
        let mut checked = 0;
        for _ in 0..2000 {
            let mut src = String::new();
            let mut indent = 0usize;
            let mut pending_block = false;
            for _ in 0..(5 + next() % 25) {
                let s = stmts[(next() % stmts.len() as u64) as usize];
                if !pending_block && indent > 0 && next().is_multiple_of(3) {
                    indent -= 1;
                }
                src.push_str(&"    ".repeat(indent));
                src.push_str(s);
                src.push('\n');
                pending_block = s.ends_with(':');
                if pending_block {
                    indent += 1;
                }
            }
            if pending_block {
                src.push_str(&"    ".repeat(indent));
                src.push_str("pass\n");
            }
            let p = parse_module(&src);
            if !p.errors.is_empty() {
                continue;
            }
            let m = SemanticModel::build(&p.module);
            for ((scope, name), b) in &m.bindings {
                if b.count < 2 {
                    continue;
                }
                for at in 0..=src.len() as u32 {
                    let want = reaching_value_by_walk(&m, b, at).map(|e| e.span);
                    let got = m.reaching_value(*scope, b, at).map(|e| e.span);
                    assert_eq!(got, want, "{name} at {at} in:\n{src}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 30_000, "checked {checked}");
    }

    #[test]
    fn tracks_single_assignments() {
        let p = parse_module("shell = True\nKEY = 'abc'\nn = 1\nn = 2\ndef f():\n    return shell\n");
        let m = SemanticModel::build(&p.module);
        assert!(matches!(m.constant_value(ScopeId::MODULE, "shell", 100).map(|e| &e.kind), Some(ExprKind::Bool(true))));
        assert!(matches!(m.constant_value(ScopeId::MODULE, "KEY", 100).map(|e| &e.kind), Some(ExprKind::Str(s)) if s == "abc"));
        // `n` is bound twice: the second assignment reaches the end of the module.
        assert!(matches!(m.constant_value(ScopeId::MODULE, "n", 100).map(|e| &e.kind), Some(ExprKind::Number(s)) if s == "2"));
        assert!(matches!(m.constant_value(ScopeId::MODULE, "n", 31).map(|e| &e.kind), Some(ExprKind::Number(s)) if s == "1"));
        // Seen from inside the function too.
        assert!(m.constant_value(ScopeId(1), "shell", 0).is_some());
        // Not before the assignment in the same scope.
        assert!(m.constant_value(ScopeId::MODULE, "KEY", 0).is_none());
    }

    /// Declared types: parameters and annotated assignments, in the scope that declares them;
    /// a scope that binds the name without an annotation hides an outer one.
    #[test]
    fn annotations_declare_types_per_scope() {
        let p = parse_module("limit: int = 5\nlabel: str\ndef f(a: Foo, b, c: \"Bar\" = None):\n    d: list[int] = []\n    def g(a):\n        return a\n    return limit\n");
        let m = SemanticModel::build(&p.module);
        let ann = |scope: u32, name: &str| m.annotation(ScopeId(scope), name).map(|(s, a)| (s.0, a.dotted_name().unwrap_or_else(|| format!("{:?}", a.kind))));
        assert_eq!(ann(0, "limit"), Some((0, "int".into())));
        assert_eq!(ann(0, "label"), Some((0, "str".into())));
        assert_eq!(ann(1, "a"), Some((1, "Foo".into())));
        assert_eq!(ann(1, "b"), None);
        assert!(matches!(m.annotation(ScopeId(1), "c").map(|(_, a)| &a.kind), Some(ExprKind::Str(s)) if s == "Bar"));
        assert!(matches!(m.annotation(ScopeId(1), "d").map(|(_, a)| &a.kind), Some(ExprKind::Subscript { .. })));
        // Seen from the function (the module declares it); hidden in `g`, which binds its own `a`.
        assert_eq!(ann(1, "limit"), Some((0, "int".into())));
        assert_eq!(ann(2, "a"), None);
        assert_eq!(ann(0, "a"), None);
    }

    /// The value that reaches `os.system(x)` (the last statement of each case) in `f`.
    fn reaching(body: &str) -> Option<String> {
        let src = format!("def f(a):\n{body}    os.system(x)\n");
        let p = parse_module(&src);
        assert!(p.errors.is_empty(), "{src}: {:?}", p.errors);
        let m = SemanticModel::build(&p.module);
        let at = src.rfind("os.system").unwrap() as u32;
        m.constant_value(ScopeId(1), "x", at).map(|e| match &e.kind {
            ExprKind::Str(s) => s.to_string(),
            other => format!("{other:?}"),
        })
    }

    #[test]
    fn the_last_assignment_that_always_runs_reaches_the_use() {
        let known = |body: &str| assert_eq!(reaching(body).as_deref(), Some("ls"), "{body}");
        let unknown = |body: &str| assert_eq!(reaching(body), None, "{body}");
        known("    x = a\n    x = 'ls'\n");
        known("    x = 'pwd'\n    if a:\n        pass\n    x = 'ls'\n");
        known("    x = a\n    if a:\n        x = 'pwd'\n        x = 'ls'\n        os.system(x)\n    x = 'ls'\n");
        known("    for i in a:\n        x = a\n        x = 'ls'\n        os.system(x)\n    x = 'ls'\n");
        // The last binding is not a plain assignment of a literal.
        unknown("    x = 'ls'\n    x = a\n");
        unknown("    x = 'ls'\n    x = 'ls' + a\n");
        unknown("    x = 'ls'\n    x += a\n");
        unknown("    x = 'ls'\n    x, y = a\n");
        unknown("    x = 'ls'\n    for x in a:\n        pass\n");
        unknown("    x = 'ls'\n    with a as x:\n        pass\n");
        unknown("    x = 'ls'\n    del x\n");
        unknown("    x = 'ls'\n    if (x := a):\n        pass\n");
        // The constant is assigned in a branch, a loop or a try body: it may not have run.
        unknown("    x = a\n    if a:\n        x = 'ls'\n");
        unknown("    x = a\n    if a:\n        pass\n    else:\n        x = 'ls'\n");
        unknown("    x = a\n    for i in a:\n        x = 'ls'\n");
        unknown("    x = a\n    while a:\n        x = 'ls'\n");
        unknown("    x = a\n    try:\n        x = 'ls'\n    except E:\n        pass\n");
        unknown("    x = a\n    with a:\n        x = 'ls'\n");
    }

    #[test]
    fn loops_globals_and_closures_hide_the_value() {
        // A later assignment in a loop around the use is seen on the next round.
        assert_eq!(reaching("    x = 'pwd'\n    x = 'ls'\n    for i in a:\n        os.system(x)\n        x = a\n"), None);
        assert_eq!(reaching("    x = 'pwd'\n    x = 'ls'\n    while a:\n        if a:\n            os.system(x)\n        else:\n            x = a\n"), None);
        // Shared with another scope: a call may rebind it.
        assert_eq!(reaching("    global x\n    x = a\n    x = 'ls'\n"), None);
        // Seen from a nested function: there is no telling when it runs.
        let src = "def f(a):\n    x = a\n    x = 'ls'\n    def g():\n        os.system(x)\n";
        let p = parse_module(src);
        let m = SemanticModel::build(&p.module);
        assert!(m.constant_value(ScopeId(2), "x", src.rfind("os.system").unwrap() as u32).is_none());
        // Read inside its own assignment: the previous value.
        let src = "def f(a):\n    x = a\n    x = 'ls' + x\n";
        let p = parse_module(src);
        let m = SemanticModel::build(&p.module);
        assert!(m.constant_value(ScopeId(1), "x", src.rfind("+ x").unwrap() as u32 + 2).is_none());
        // ... which is a literal here (Semgrep's flow-sensitive constant propagation agrees),
        // unless a loop around runs the reassignment again before the next read.
        let read_in_own_value = |src: &str, scope: u32| {
            let p = parse_module(src);
            let m = SemanticModel::build(&p.module);
            m.constant_value(ScopeId(scope), "x", src.rfind("x + a").unwrap() as u32).map(|e| matches!(&e.kind, ExprKind::Str(s) if s == "ls"))
        };
        assert_eq!(read_in_own_value("def f(a):\n    x = 'ls'\n    x = x + a\n", 1), Some(true));
        assert_eq!(read_in_own_value("def f(a):\n    x = 'ls'\n    for i in a:\n        x = x + a\n", 1), None);
        assert_eq!(read_in_own_value("def f(a):\n    x = b\n    x = 'ls'\n    x = x + a\n    x = x + a\n", 1), None);
    }
}
