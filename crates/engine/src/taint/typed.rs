//! Typed route inputs: a route parameter that the framework has already converted to a
//! number, a UUID, a date, a boolean or one of a fixed set of values cannot carry SQL, shell,
//! path or markup syntax, so it is not a source.
//!
//! - Flask converts `<int:id>`, `<float:x>`, `<uuid:u>` and `<any(a, b):x>` placeholders
//!   before the view runs (a request that does not convert gets a 404). Its views' annotations
//!   are not enforced, so they are ignored there.
//! - FastAPI (and Django Ninja, Litestar) validate parameters against their annotations: `int`,
//!   `float`, `bool`, `UUID`, `datetime`/`date`/`time`, `Decimal`, `Literal[...]`, `Enum`
//!   subclasses of the file, and `Optional`/`Union`/`Annotated`/`list` of those.

use rustc_hash::FxHashSet as HashSet;

use crate::semantic::{DefinitionKind, SemanticModel};
use crate::syntax::ast::*;

/// Flask converters whose values are numbers, UUIDs or one of the listed words.
const SAFE_CONVERTERS: [&str; 4] = ["int", "float", "uuid", "any"];

/// Annotations (last segment of the name) whose values are not text.
const SCALAR_TYPES: [&str; 28] = [
    "int", "float", "bool", "complex", "Decimal", "UUID", "UUID1", "UUID3", "UUID4", "UUID5", "datetime", "date", "time",
    "timedelta", "PositiveInt", "NegativeInt", "NonNegativeInt", "NonPositiveInt", "PositiveFloat", "NegativeFloat",
    "NonNegativeFloat", "NonPositiveFloat", "StrictInt", "StrictFloat", "StrictBool", "conint", "confloat", "condecimal",
];

/// Generic types whose arguments decide (`Optional[int]`, `list[UUID]`).
const WRAPPERS: [&str; 13] = [
    "Optional", "Union", "list", "List", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple", "Sequence", "Iterable", "Annotated",
];

/// Base classes that make a class an enumeration.
const ENUM_BASES: [&str; 5] = ["Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"];

/// Nesting bound of an annotation (`Optional[list[Annotated[int, ...]]]`).
const MAX_TYPE_DEPTH: u32 = 12;

/// What a file says about typed inputs, computed once per file.
#[derive(Default)]
pub(super) struct FileTypes<'a> {
    /// Enumerations defined in the file (`class Color(str, Enum)`), subclasses included.
    enums: HashSet<&'a str>,
    /// The file uses a framework that validates parameters against their annotations.
    validated: bool,
}

/// The last segment of a `Name`/`Attribute` chain (`uuid.UUID` gives `UUID`).
fn last_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.as_str()),
        ExprKind::Attribute { attr, .. } => Some(attr.name.as_str()),
        _ => None,
    }
}

impl<'a> FileTypes<'a> {
    pub(super) fn new(sem: &SemanticModel<'a>) -> Self {
        let mut enums: HashSet<&'a str> = HashSet::default();
        // In source order: a subclass of an enumeration defined above is one too.
        for d in sem.definitions() {
            let (DefinitionKind::Class, StmtKind::ClassDef(c)) = (d.kind, &d.stmt.kind) else { continue };
            if c.bases.iter().filter_map(last_name).any(|b| ENUM_BASES.contains(&b) || enums.contains(b)) {
                enums.insert(d.name);
            }
        }
        let validated = sem.imports.values().any(|q| {
            let root = q.split('.').next().unwrap_or(q);
            matches!(root, "fastapi" | "ninja" | "litestar")
        });
        FileTypes { enums, validated }
    }

    /// For each parameter of `f`, whether its value is typed (not text): converted by a safe
    /// Flask converter in every route placeholder naming it, or, in a validating framework,
    /// annotated with a scalar type.
    pub(super) fn typed_params(&self, f: &FunctionDef) -> Vec<bool> {
        let placeholders = route_placeholders(f);
        f.params
            .iter()
            .map(|p| {
                let name = p.name.name.as_str();
                let mut named = placeholders.iter().filter(|(n, _)| *n == name).peekable();
                if named.peek().is_some() {
                    return named.all(|(_, safe)| *safe);
                }
                self.validated && p.annotation.as_ref().is_some_and(|a| self.is_scalar(a, 0))
            })
            .collect()
    }

    /// Is every value of this annotation a non-text value?
    fn is_scalar(&self, ann: &Expr, depth: u32) -> bool {
        if depth > MAX_TYPE_DEPTH {
            return false;
        }
        match &ann.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } => {
                last_name(ann).is_some_and(|n| SCALAR_TYPES.contains(&n) || self.enums.contains(n))
            }
            ExprKind::NoneLit => true,
            // `conint(gt=0)`.
            ExprKind::Call { func, .. } => last_name(func).is_some_and(|n| SCALAR_TYPES.contains(&n)),
            // `int | None`.
            ExprKind::BinOp { left, op: BinOp::BitOr, right } => self.is_scalar(left, depth + 1) && self.is_scalar(right, depth + 1),
            ExprKind::Subscript { value, slice } => match last_name(value) {
                Some("Literal") => true,
                Some("Annotated") => match &slice.kind {
                    ExprKind::Tuple(args) => args.first().is_some_and(|a| self.is_scalar(a, depth + 1)),
                    _ => self.is_scalar(slice, depth + 1),
                },
                Some(w) if WRAPPERS.contains(&w) => match &slice.kind {
                    ExprKind::Tuple(args) => args.iter().all(|a| matches!(a.kind, ExprKind::Ellipsis) || self.is_scalar(a, depth + 1)),
                    _ => self.is_scalar(slice, depth + 1),
                },
                _ => false,
            },
            _ => false,
        }
    }
}

/// The placeholders of the route strings in `f`'s decorators (`@app.route("/u/<int:id>")`),
/// each with whether its converter is safe: (`id`, true).
fn route_placeholders(f: &FunctionDef) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    for d in &f.decorators {
        let ExprKind::Call { args, keywords, .. } = &d.kind else { continue };
        let rules = args.first().into_iter().chain(keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| a.name == "rule")).map(|k| &k.value));
        for r in rules {
            if let ExprKind::Str(path) = &r.kind {
                placeholders(path, &mut out);
            }
        }
    }
    out
}

/// `<conv:name>` and `<name>` in a Flask rule.
fn placeholders<'s>(path: &'s str, out: &mut Vec<(&'s str, bool)>) {
    let mut rest = path;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        let inner = &after[..close];
        let (conv, name) = match inner.rfind(':') {
            Some(c) => (inner[..c].split('(').next().unwrap_or("").trim(), inner[c + 1..].trim()),
            None => ("string", inner.trim()),
        };
        out.push((name, SAFE_CONVERTERS.contains(&conv)));
        rest = &after[close + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse::parse_module;

    /// The typed parameters of the file's last function.
    fn typed(code: &str) -> Vec<bool> {
        let parsed = parse_module(code);
        let sem = SemanticModel::build(&parsed.module);
        let types = FileTypes::new(&sem);
        let Some(Stmt { kind: StmtKind::FunctionDef(f), .. }) = parsed.module.body.last() else { panic!("no function") };
        types.typed_params(f)
    }

    #[test]
    fn flask_converters() {
        let head = "from flask import Flask\napp = Flask(__name__)\n";
        assert_eq!(typed(&format!("{head}@app.route('/u/<int:uid>/<name>')\ndef v(uid, name): pass\n")), vec![true, false]);
        assert_eq!(typed(&format!("{head}@app.get('/f/<float:x>/<uuid:u>/<path:p>')\ndef v(x, u, p): pass\n")), vec![true, true, false]);
        assert_eq!(typed(&format!("{head}@app.route('/l/<any(en, fr):lang>')\ndef v(lang): pass\n")), vec![true]);
        // Stacked routes: typed only if every placeholder of that name is.
        assert_eq!(typed(&format!("{head}@app.route('/a/<int:x>')\n@app.route('/b/<x>')\ndef v(x): pass\n")), vec![false]);
        // Flask does not enforce annotations.
        assert_eq!(typed(&format!("{head}@app.route('/u/<uid>')\ndef v(uid: int): pass\n")), vec![false]);
    }

    #[test]
    fn validated_annotations() {
        let head = "from enum import Enum\nfrom typing import Literal, Optional, Annotated\nfrom uuid import UUID\nfrom fastapi import FastAPI, Query\n\
                    class Color(str, Enum):\n    red = 'red'\nclass Shade(Color):\n    pass\napp = FastAPI()\n";
        let f = "@app.get('/i/{a}')\ndef v(a: int, b: UUID, c: Optional[float] = None, d: Literal['x', 'y'] = 'x', e: Shade = Shade.red, \
                 f: str = '', g: Annotated[int, Query(gt=0)] = 1, h: int | None = None, i: list[str] = [], j: 'int' = 0): pass\n";
        assert_eq!(typed(&format!("{head}{f}")), vec![true, true, true, true, true, false, true, true, false, false]);
        // Without a validating framework, annotations are only hints.
        assert_eq!(typed("def v(a: int): pass\n"), vec![false]);
    }
}
