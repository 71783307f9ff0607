//! The web request object as a value of its own.
//!
//! A source entry with `request-object: true` (Flask's `request`, a Django view's `request`
//! parameter) marks the request object itself. It is not data: its labels are [`Obj::Object`],
//! which reach no sink and pass no unresolved call. They follow the object through assignments,
//! helper parameters and return values, attributes (`self.req = request`), and instances of the
//! file's classes built from it (`Input(request)`). Reading one of its data attributes
//! (`.args`, `.form`, `.GET`, `.headers`...) or calling one of its data methods
//! (`.get_json()`, `.json()`...) turns the label into data, of the same source and confidence.
//! Anything else made from the object (`request.method == "POST"`, `str(request)`) is clean.
//!
//! A parameter's label records what the function did to the parameter's value, so that a
//! helper's summary applies to the request object and to data alike:
//! - [`Obj::Object`]: the value itself, or an attribute chain of it that read no data;
//! - [`Obj::Read`]: a data attribute was read from it (an object given here becomes data);
//! - [`Obj::Data`]: anything else derived from it (an object given here gives nothing).
//!
//! Data given to a parameter is data whatever the function did to it.

use super::{Analyzer, Label, Origin, Taint};
use crate::syntax::ast::*;

/// The attributes of a Flask, Django or Starlette request that hold what the client sent.
const DATA_ATTRIBUTES: &[&str] = &[
    "args", "form", "values", "json", "data", "cookies", "headers", "files", "view_args", "query_string", "stream", "GET", "POST",
    "COOKIES", "META", "body", "FILES", "query_params", "path_params",
];

/// The methods of a request that return what the client sent.
const DATA_METHODS: &[&str] = &["get_json", "get_data", "json", "form", "body"];

/// What a label's value is, with respect to the request object (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(super) enum Obj {
    /// Data (for a parameter: derived from it in a way that keeps data only).
    #[default]
    Data,
    /// The request object itself (for a parameter: its value, or an attribute chain of it).
    Object,
    /// For a parameter only: data read from it as from a request object.
    Read,
}

/// What a value of state `before` becomes through a step of kind `step` (a parameter's label,
/// or an operation: `Read` for a data attribute, `Data` for any other derivation). `None`: an
/// object that gives no data.
fn then(before: Obj, step: Obj, source: bool) -> Option<Obj> {
    match (before, step) {
        (Obj::Data | Obj::Read, _) => Some(before),
        (Obj::Object, Obj::Object) => Some(Obj::Object),
        (Obj::Object, Obj::Read) => Some(if source { Obj::Data } else { Obj::Read }),
        (Obj::Object, Obj::Data) => (!source).then_some(Obj::Data),
    }
}

fn is_source(l: &Label) -> bool {
    matches!(l.origin, Origin::Source(_))
}

/// `t` through a step of kind `step` (see [`then`]); labels that give no data are dropped.
fn step(t: Taint, step: Obj) -> Taint {
    if t.iter().all(|l| l.obj != Obj::Object) {
        return t;
    }
    t.into_iter()
        .filter_map(|l| {
            let obj = then(l.obj, step, is_source(&l))?;
            Some(Label { obj, ..l })
        })
        .collect()
}

/// A value derived from `t` other than by reading an attribute: a request object in it gives
/// nothing (`str(request)`, `request == other`, `[request]`).
pub(super) fn derive(t: Taint) -> Taint {
    step(t, Obj::Data)
}

/// `value.attr`, where `value` holds `t`: a data attribute of a request object is data; another
/// attribute keeps the object (`self.req`, `request.user` lead on to attributes of their own).
pub(super) fn attribute(t: Taint, attr: &str) -> Taint {
    if DATA_ATTRIBUTES.contains(&attr) {
        step(t, Obj::Read)
    } else {
        t
    }
}

/// The receiver's taint of a method call `recv.name(...)`: a request's data method reads data.
pub(super) fn receiver(t: Taint, name: &str) -> Taint {
    if DATA_METHODS.contains(&name) {
        step(t, Obj::Read)
    } else {
        t
    }
}

/// The request objects in `t` (what a method's receiver, or an instance built from it, passes).
pub(super) fn objects(t: &[Label]) -> Taint {
    t.iter().filter(|l| l.obj == Obj::Object).cloned().collect()
}

/// Whether a flow of this label into a sink is one: not a request object itself.
pub(super) fn is_data(l: &Label) -> bool {
    !(is_source(l) && l.obj == Obj::Object)
}

/// An argument's label `a` through the callee's label `inner` of the parameter it was given to.
pub(super) fn through(a: &Label, inner: Obj) -> Option<Obj> {
    then(a.obj, inner, is_source(a))
}

impl<'a> Analyzer<'a> {
    /// Whether the expression kind passes the request object on unchanged (names, attribute
    /// chains, calls that handle it themselves, choices between values).
    pub(super) fn keeps_objects(e: &Expr) -> bool {
        matches!(
            e.kind,
            ExprKind::Name(_)
                | ExprKind::Attribute { .. }
                | ExprKind::Call { .. }
                | ExprKind::IfExp { .. }
                | ExprKind::BoolOp { .. }
                | ExprKind::Named { .. }
                | ExprKind::Await(_)
                | ExprKind::Starred(_)
        )
    }

    /// The value of a call pyward cannot follow: a request object in it gives nothing, except
    /// in an instance of the file's own class built from it (`Input(request)`), which carries it
    /// to its methods.
    pub(super) fn unresolved_call(&self, func: &Expr, t: Taint) -> Taint {
        let own_class = matches!(&func.kind, ExprKind::Name(c) if self.fns.methods.contains_key(c.as_str()));
        if own_class {
            t
        } else {
            derive(t)
        }
    }

    /// The attributes of `self` that the class's `__init__` sets from a source or the request
    /// object (`self.req = request`), for its other methods to start with.
    pub(super) fn init_fields(&self, class: Option<&'a str>, name: &str) -> Vec<(String, Taint)> {
        let Some(class) = class else { return Vec::new() };
        if name == "__init__" {
            return Vec::new();
        }
        let Some(init) = self.fns.methods.get(class).and_then(|m| m.get("__init__")).copied() else { return Vec::new() };
        let closure = Some(self.module_env.borrow().clone());
        self.summary(init, closure, Some(class)).map(|s| s.fields.clone()).unwrap_or_default()
    }
}

/// What `__init__` leaves in `self`'s attributes from sources (not from its parameters).
pub(super) fn fields_of(vars: &super::Vars) -> Vec<(String, Taint)> {
    let mut out: Vec<(String, Taint)> = vars
        .iter()
        .filter(|(k, _)| k.starts_with("self."))
        .filter_map(|(k, t)| {
            let t: Taint = t.iter().filter(|l| is_source(l)).cloned().collect();
            (!t.is_empty()).then(|| (k.clone(), t))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Findings of the built-in command-injection taint rule (its sources include the request
    /// object), by line of `code` (after an import line).
    fn lines(code: &str) -> Vec<u32> {
        super::super::tests::lines_of(None, "tainted-os-command", "import os\nfrom flask import request\n", code)
    }

    #[test]
    fn an_alias_of_the_request_reads_data_and_nothing_else() {
        assert_eq!(lines("def v():\n    rq = request\n    os.system(rq.args.get('x'))\n"), vec![3]);
        assert_eq!(lines("def v():\n    rq = request\n    os.system(rq.get_json()['x'])\n"), vec![3]);
        // Not data: the method, the object itself, a string made of it, an unresolved call.
        assert!(lines("def v():\n    rq = request\n    os.system(rq.method)\n").is_empty());
        assert!(lines("def v():\n    rq = request\n    os.system(rq)\n").is_empty());
        assert!(lines("def v():\n    os.system(str(request))\n").is_empty());
        assert!(lines("def v():\n    os.system(describe(request))\n").is_empty());
    }

    #[test]
    fn a_helper_given_the_request_returns_what_it_reads() {
        let helpers = "def arg(req, name):\n    return req.args.get(name)\n\
                       def verb(req):\n    return req.method\n\
                       def const(req):\n    return 'fixed'\n\
                       def same(req):\n    return req\n\
                       def run(r):\n    os.system(r.form['cmd'])\n";
        let code = format!("{helpers}def v():\n    os.system(arg(request, 'id'))\n    os.system(verb(request))\n    os.system(const(request))\n    os.system(same(request).args['q'])\n    run(request)\n");
        assert_eq!(lines(&code), vec![12, 15, 16]);
        // Data given to the same helpers: as before.
        let code = format!("{helpers}def v():\n    os.system(verb(request.args['x']))\n");
        assert_eq!(lines(&code), vec![12]);
        // Django: the view's `request` parameter.
        let code = "def helper(r):\n    return r.GET.get('x')\ndef view(request):\n    os.system(helper(request))\n    os.system(request.method)\n";
        assert_eq!(lines(code), vec![4]);
    }

    #[test]
    fn the_request_stored_on_self_or_wrapped_in_a_class_is_followed() {
        let wrapper = "class Input:\n    def __init__(self, r):\n        self.r = r\n    def get(self, k):\n        return self.r.args.get(k)\n    def verb(self):\n        return self.r.method\n    def name(self):\n        return 'input'\n";
        let code = format!("{wrapper}def v():\n    inp = Input(request)\n    os.system(inp.get('id'))\n    os.system(inp.verb())\n    os.system(inp.name())\n");
        assert_eq!(lines(&code), vec![12]);
        // An instance built from something else holds no request.
        let code = format!("{wrapper}def v():\n    inp = Input(make())\n    os.system(inp.get('id'))\n");
        assert!(lines(&code).is_empty());
        let view = "class View:\n    def __init__(self):\n        self.req = request\n    def get(self):\n        q = self.req.args['q']\n        os.system(q)\n    def head(self):\n        os.system(self.req.method)\n";
        assert_eq!(lines(view), vec![6]);
    }

    #[test]
    fn composition_keeps_data_and_turns_objects_by_the_step() {
        for step in [Obj::Data, Obj::Object, Obj::Read] {
            assert_eq!(then(Obj::Data, step, true), Some(Obj::Data));
            assert_eq!(then(Obj::Read, step, false), Some(Obj::Read));
        }
        assert_eq!(then(Obj::Object, Obj::Read, true), Some(Obj::Data));
        assert_eq!(then(Obj::Object, Obj::Read, false), Some(Obj::Read));
        assert_eq!(then(Obj::Object, Obj::Data, true), None);
        assert_eq!(then(Obj::Object, Obj::Data, false), Some(Obj::Data));
        assert_eq!(then(Obj::Object, Obj::Object, true), Some(Obj::Object));
    }
}
