//! The semantic model: scopes, imports and aliases resolved to qualified names, and simple
//! single-assignment bindings (`shell = True` ... `shell=shell`, `KEY = "..."`).
//!
//! Built once per file from pyward's own tree; the matcher reads it, nothing writes back.

use rustc_hash::FxHashMap as HashMap;

use crate::ast::*;

pub type ScopeId = usize;

#[derive(Debug, Default)]
pub struct Binding<'a> {
    /// How many times the scope binds the name (assignments, loops, parameters, imports...).
    pub count: u32,
    /// The assigned value when the only binding is a plain `name = value`.
    pub value: Option<&'a Expr>,
    /// Where that assignment starts.
    pub at: u32,
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
    pub bindings: HashMap<(ScopeId, &'a str), Binding<'a>>,
    /// Every local name that some import binds, in any scope: other names never resolve.
    imported: HashMap<&'a str, ()>,
    /// Every name that some scope binds exactly once to a value: other names have no constant.
    constants: HashMap<&'a str, ()>,
    /// Look for walrus targets (`false` when the file has no `:=`).
    walrus: bool,
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
        };
        model.collect_block(0, &module.body);
        let constants = model.bindings.iter().filter(|(_, b)| b.count == 1 && b.value.is_some()).map(|((_, n), _)| (*n, ())).collect();
        model.constants = constants;
        model
    }

    fn import(&mut self, scope: ScopeId, local: &'a str, qualified: String) {
        self.imported.insert(local, ());
        self.imports.insert((scope, local), qualified);
    }

    fn new_scope(&mut self, parent: ScopeId, is_class: bool) -> ScopeId {
        self.scopes.push(Scope { parent: Some(parent), is_class });
        self.scopes.len() - 1
    }

    fn bind(&mut self, scope: ScopeId, name: &'a str, value: Option<&'a Expr>, at: u32) {
        let b = self.bindings.entry((scope, name)).or_default();
        b.count += 1;
        if b.count == 1 {
            b.value = value;
            b.at = at;
        } else {
            b.value = None;
        }
    }

    fn bind_target(&mut self, scope: ScopeId, target: &'a Expr, value: Option<&'a Expr>, at: u32) {
        match &target.kind {
            ExprKind::Name(n) => self.bind(scope, n, value, at),
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                for e in elts {
                    self.bind_target(scope, e, None, at);
                }
            }
            ExprKind::Starred(e) => self.bind_target(scope, e, None, at),
            _ => {}
        }
    }

    fn collect_block(&mut self, scope: ScopeId, body: &'a [Stmt]) {
        for s in body {
            self.collect_stmt(scope, s);
        }
    }

    fn collect_stmt(&mut self, scope: ScopeId, s: &'a Stmt) {
        let at = s.span.start;
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                let single = if targets.len() == 1 { Some(value) } else { None };
                for t in targets {
                    self.bind_target(scope, t, single, at);
                }
            }
            StmtKind::AnnAssign { target, value: value @ Some(_), .. } => {
                self.bind_target(scope, target, value.as_deref(), at);
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
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                for n in names {
                    // The name is shared with another scope: never treat it as a local constant.
                    self.bind(scope, &n.name, None, at);
                    self.bind(scope, &n.name, None, at);
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
                self.scope_of_def.insert(at, inner);
                for p in &def.params {
                    self.bind(inner, &p.name.name, None, p.span.start);
                }
                self.collect_block(inner, &def.body);
                return;
            }
            StmtKind::ClassDef(def) => {
                self.bind(scope, &def.name.name, None, at);
                let inner = self.new_scope(scope, true);
                self.scope_of_def.insert(at, inner);
                self.collect_block(inner, &def.body);
                return;
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
        // Walrus targets anywhere in this statement's own expressions.
        if self.walrus {
            s.for_each_expr(&mut |e| self.collect_walrus(scope, e, 0));
        }
        let mut blocks: Vec<&'a [Stmt]> = Vec::new();
        s.for_each_block(&mut |b| blocks.push(b));
        for b in blocks {
            self.collect_block(scope, b);
        }
    }

    fn collect_walrus(&mut self, scope: ScopeId, e: &'a Expr, depth: u32) {
        if depth > 64 {
            return;
        }
        if let ExprKind::Named { target, .. } = &e.kind {
            self.bind_target(scope, target, None, e.span.start);
        }
        if matches!(e.kind, ExprKind::Lambda { .. } | ExprKind::Comp { .. } | ExprKind::DictComp { .. }) {
            return;
        }
        e.for_each_child(&mut |c| self.collect_walrus(scope, c, depth + 1));
    }

    /// The scopes to search for a name used in `scope`, innermost first (class bodies are
    /// skipped for nested functions, as in Python).
    fn chain(&self, scope: ScopeId) -> impl Iterator<Item = (bool, ScopeId)> + '_ {
        let mut cur = Some(scope);
        let mut first = true;
        std::iter::from_fn(move || {
            while let Some(id) = cur {
                let s = &self.scopes[id];
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

    /// The fully qualified name of a `Name`/`Attribute` chain after import resolution:
    /// `sp.run` -> `subprocess.run` after `import subprocess as sp`.
    pub fn qualified_name(&self, scope: ScopeId, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Name(n) => self.resolve_import(scope, n).map(str::to_string),
            ExprKind::Attribute { value, attr } => {
                let mut q = self.qualified_name(scope, value)?;
                q.push('.');
                q.push_str(&attr.name);
                Some(q)
            }
            _ => None,
        }
    }

    /// The value of a name bound exactly once by a plain assignment, as seen from `scope` at
    /// offset `at` (a use before the assignment in the same scope does not see it).
    pub fn constant_value(&self, scope: ScopeId, name: &str, at: u32) -> Option<&'a Expr> {
        let (&name, _) = self.constants.get_key_value(name)?;
        for (is_first, id) in self.chain(scope) {
            if let Some(b) = self.bindings.get(&(id, name)) {
                if b.count != 1 {
                    return None;
                }
                let v = b.value?;
                if is_first && b.at > at {
                    return None;
                }
                if v.span.contains(Span::new(at, at)) {
                    return None;
                }
                return Some(v);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_module;

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
        let q = |i| m.qualified_name(0, call_func(&p.module, i));
        assert_eq!(q(5).as_deref(), Some("subprocess.run"));
        assert_eq!(q(6).as_deref(), Some("os.system"));
        assert_eq!(q(7).as_deref(), Some("yaml.load"));
        assert_eq!(q(8).as_deref(), Some("hashlib.new"));
        assert_eq!(q(9).as_deref(), Some("os.path.join"));
    }

    #[test]
    fn tracks_single_assignments() {
        let p = parse_module("shell = True\nKEY = 'abc'\nn = 1\nn = 2\ndef f():\n    return shell\n");
        let m = SemanticModel::build(&p.module);
        assert!(matches!(m.constant_value(0, "shell", 100).map(|e| &e.kind), Some(ExprKind::Bool(true))));
        assert!(matches!(m.constant_value(0, "KEY", 100).map(|e| &e.kind), Some(ExprKind::Str(s)) if s == "abc"));
        assert!(m.constant_value(0, "n", 100).is_none());
        // Seen from inside the function too.
        assert!(m.constant_value(1, "shell", 0).is_some());
        // Not before the assignment in the same scope.
        assert!(m.constant_value(0, "KEY", 0).is_none());
    }
}
