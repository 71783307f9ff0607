//! Key-sensitive containers: what each item of a dict, list, `configparser` object or
//! `io.StringIO` buffer holds, where every operation on it is known.
//!
//! The taint state ([`super::env::Env`]) maps access paths to taint; a dict's items already
//! have their own paths (`d["k"]`). What it cannot say is that an item *not* stored is absent:
//! reading `d["b"]` then falls back to the whole dict, which holds `d["a"]`'s data. A *shape*,
//! kept per variable beside the paths (and undone and joined with them at branches), says what
//! is known of the container a variable holds:
//!
//! - [`Shape::Dict`]: a dict whose every key is a literal stored at its own path. Reading a
//!   literal key that is not stored (`d["b"]`, `d.get("b")`) is clean; assigning one replaces
//!   its old value, and the whole dict then holds the union of its items.
//! - [`Shape::List`]: a list (or tuple) of at most [`MAX_ELEMS`] elements, in order, with the
//!   literal value of those that are literals: `append`, `insert`, `extend`, `pop()`,
//!   `pop(i)`, `remove(lit)`, `clear`, `reverse`, `del l[i]` and literal indices are followed.
//! - [`Shape::Config`]: a `configparser` object; `set(section, key, v)` stores at
//!   `conf["section"]["key"]`, read back by `get(section, key)` or `conf["section"]["key"]`.
//! - [`Shape::Buffer`]: an `io.StringIO`/`BytesIO`; `write` stores into it, so `getvalue()`
//!   holds only what was written.
//!
//! Any operation not understood (an unknown method, an index that is not a literal, the
//! container passed to a call that may change it, an alias) forgets the shape: the container
//! is then read as a whole, as before. Branches that leave different shapes join into the
//! element-wise union when they agree on the layout, else into no shape.

use super::env::same_taint;
use super::*;

/// Most elements tracked in one list; a longer one has no shape.
pub(super) const MAX_ELEMS: usize = 64;
/// Most literal keys tracked in one dict.
const MAX_KEYS: usize = 64;
/// Most variables with a shape in one function.
const MAX_SHAPES: usize = 64;

/// What is known of the container a variable holds (see the module documentation).
#[derive(Clone)]
pub(super) enum Shape {
    /// Its keys (as in access paths: `"k"` with quotes, or a number); each item is stored at
    /// `var[key]`.
    Dict(Vec<String>),
    /// Its elements, in order.
    List(Vec<Elem>),
    /// A `configparser` object: options stored at `var["section"]["key"]`.
    Config,
    /// An in-memory text or bytes buffer: holds what was written into it.
    Buffer,
    /// The parts of a URL (`urlparse(u)`, `urlsplit(u)`), with the access path of the URL
    /// they were parsed from: a guard on them can clean it (see `guards.rs`).
    Url(String),
}

/// One element of a list.
#[derive(Clone)]
pub(super) struct Elem {
    taint: Taint,
    /// The value, when the element is a string or number literal (for `remove`).
    lit: Option<String>,
}

impl Shape {
    /// Its size in work units.
    pub(super) fn size(&self) -> usize {
        match self {
            Shape::Dict(keys) => keys.len(),
            Shape::List(elems) => elems.len(),
            Shape::Config | Shape::Buffer | Shape::Url(_) => 1,
        }
    }

    /// The shape after a branch left `self` and another `other`: dicts join their keys,
    /// lists of the same length join element by element; anything else is unknown.
    pub(super) fn join(self, other: &Shape) -> Option<Shape> {
        match (self, other) {
            (Shape::Dict(mut a), Shape::Dict(b)) => {
                for k in b {
                    if !a.contains(k) {
                        a.push(k.clone());
                    }
                }
                (a.len() <= MAX_KEYS).then_some(Shape::Dict(a))
            }
            (Shape::List(mut a), Shape::List(b)) if a.len() == b.len() => {
                for (x, y) in a.iter_mut().zip(b) {
                    union_into(&mut x.taint, &y.taint);
                    if x.lit != y.lit {
                        x.lit = None;
                    }
                }
                Some(Shape::List(a))
            }
            (Shape::Config, Shape::Config) => Some(Shape::Config),
            (Shape::Buffer, Shape::Buffer) => Some(Shape::Buffer),
            (Shape::Url(a), Shape::Url(b)) if a == *b => Some(Shape::Url(a)),
            _ => None,
        }
    }

    /// Whether both say the same.
    pub(super) fn same(&self, other: &Shape) -> bool {
        match (self, other) {
            (Shape::Dict(a), Shape::Dict(b)) => a.len() == b.len() && a.iter().all(|k| b.contains(k)),
            (Shape::List(a), Shape::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.lit == y.lit && same_taint(Some(&x.taint), Some(&y.taint)))
            }
            (Shape::Config, Shape::Config) | (Shape::Buffer, Shape::Buffer) => true,
            (Shape::Url(a), Shape::Url(b)) => a == b,
            _ => false,
        }
    }
}

/// A literal key as it appears in access paths: a string's value quoted (`'k'` and `"k"` are
/// one key), a number as written.
pub(super) fn key_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Str(s) => Some(format!("{:?}", s.as_str())),
        ExprKind::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A literal integer index, negative ones included.
fn literal_index(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Number(n) => n.parse().ok(),
        ExprKind::UnaryOp { op: UnaryOp::USub, operand } => match &operand.kind {
            ExprKind::Number(n) => n.parse::<i64>().ok().map(|i| -i),
            _ => None,
        },
        _ => None,
    }
}

/// The position `i` names in a list of `len` elements (Python's negative indices), if any.
fn position(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let at = if i < 0 { len + i } else { i };
    usize::try_from(at).ok().filter(|_| (0..len).contains(&at))
}

/// The literal value of a string or number, for comparing list elements.
fn literal_value(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Str(s) => Some(format!("s{s}")),
        ExprKind::Number(n) => Some(format!("n{n}")),
        _ => None,
    }
}

/// Names of calls that make an empty container of a known shape.
fn made_by(callee: &str, has_args: bool) -> Option<Shape> {
    match callee {
        "list" | "deque" if !has_args => Some(Shape::List(Vec::new())),
        "dict" | "OrderedDict" if !has_args => Some(Shape::Dict(Vec::new())),
        "StringIO" | "BytesIO" => Some(Shape::Buffer),
        "ConfigParser" | "RawConfigParser" | "SafeConfigParser" => Some(Shape::Config),
        _ => None,
    }
}

/// Methods that neither change a container nor let it escape (their value is read as the
/// whole container's, as for any call).
const READS: &[&str] = &[
    "copy", "count", "index", "keys", "values", "items", "get", "getint", "getfloat", "getboolean", "getvalue", "read", "sections",
    "options", "has_section", "has_option", "seek", "tell", "close",
];

impl<'a> Analyzer<'a> {
    /// The variable `e` names, if it has a shape.
    fn shaped<'e>(&self, fr: &Frame<'a>, e: &'e Expr) -> Option<&'e str> {
        match &e.kind {
            ExprKind::Name(n) if fr.env.shape(n).is_some() => Some(n.as_str()),
            _ => None,
        }
    }

    /// What `value[slice]` holds when the container's shape decides it.
    pub(super) fn item_read(&self, fr: &Frame<'a>, value: &Expr, slice: &Expr) -> Option<Taint> {
        if let Some(var) = self.shaped(fr, value) {
            return match fr.env.shape(var)? {
                Shape::List(elems) => position(literal_index(slice)?, elems.len()).and_then(|i| elems.get(i)).map(|e| e.taint.clone()),
                Shape::Dict(_) => Some(fr.env.get(&format!("{var}[{}]", key_text(slice)?)).cloned().unwrap_or_default()),
                Shape::Config | Shape::Buffer | Shape::Url(_) => None,
            };
        }
        // `conf["section"]["key"]`
        let ExprKind::Subscript { value: inner, slice: section } = &value.kind else { return None };
        let var = self.shaped(fr, inner)?;
        matches!(fr.env.shape(var), Some(Shape::Config)).then_some(())?;
        let path = format!("{var}[{}][{}]", key_text(section)?, key_text(slice)?);
        Some(fr.env.get(&path).cloned().unwrap_or_default())
    }

    /// Sets a variable's shape (a new one only while fewer than [`MAX_SHAPES`] are kept).
    fn keep_shape(&self, fr: &mut Frame<'a>, var: &str, shape: Shape) {
        if fr.env.shape(var).is_some() || fr.env.shape_count() < MAX_SHAPES {
            fr.env.put_shape(var, Some(shape));
        }
    }

    /// A list's new elements: the variable then holds their union (and no part paths, which
    /// could name the wrong element once indices shift).
    fn set_elems(&self, fr: &mut Frame<'a>, var: &str, elems: Vec<Elem>) {
        if elems.len() > MAX_ELEMS {
            let all = fr.env.get(var).cloned().unwrap_or_default();
            fr.env.set(var, all);
            return;
        }
        let mut all = Taint::new();
        for e in &elems {
            union_into(&mut all, &e.taint);
        }
        fr.env.set(var, all);
        self.keep_shape(fr, var, Shape::List(elems));
    }

    /// A dict's keys: the variable then holds the union of its items.
    fn set_keys(&self, fr: &mut Frame<'a>, var: &str, keys: Vec<String>) {
        if keys.len() > MAX_KEYS {
            fr.env.put_shape(var, None);
            return;
        }
        let mut all = Taint::new();
        for k in &keys {
            if let Some(t) = fr.env.get(&format!("{var}[{k}]")) {
                union_into(&mut all, t);
            }
        }
        fr.env.put(var, Some(all));
        self.keep_shape(fr, var, Shape::Dict(keys));
    }

    /// The shape of a freshly built value, with the taint of each element or item (from the
    /// evaluation of `value`, just done).
    fn shape_of_value(&self, fr: &Frame<'a>, value: &Expr) -> Option<(Shape, Vec<(String, Taint)>)> {
        let seen = |e: &Expr| fr.seen.get(&e.span).cloned().unwrap_or_default();
        match &value.kind {
            ExprKind::List(es) | ExprKind::Tuple(es) => {
                if es.len() > MAX_ELEMS || es.iter().any(|e| matches!(e.kind, ExprKind::Starred(_))) {
                    return None;
                }
                Some((Shape::List(es.iter().map(|e| Elem { taint: seen(e), lit: literal_value(e) }).collect()), Vec::new()))
            }
            ExprKind::Dict(items) => {
                let mut keys = Vec::with_capacity(items.len());
                let mut stored = Vec::with_capacity(items.len());
                for (k, v) in items {
                    let k = key_text(k.as_ref()?)?;
                    if !keys.contains(&k) {
                        keys.push(k.clone());
                    }
                    stored.retain(|(x, _)| *x != k);
                    stored.push((k, seen(v)));
                }
                (keys.len() <= MAX_KEYS).then_some((Shape::Dict(keys), stored))
            }
            ExprKind::Call { func, args, keywords } => {
                let name = callee_name(func);
                if matches!(name, "dict" | "OrderedDict") && args.is_empty() && keywords.iter().all(|k| k.arg.is_some()) {
                    let stored: Vec<(String, Taint)> = keywords.iter().filter_map(|k| Some((format!("{:?}", k.arg.as_ref()?.name.as_str()), seen(&k.value)))).collect();
                    let keys = stored.iter().map(|(k, _)| k.clone()).collect();
                    return (stored.len() <= MAX_KEYS).then_some((Shape::Dict(keys), stored));
                }
                if matches!(name, "urlparse" | "urlsplit") {
                    return Some((Shape::Url(self.path_of(args.first()?)?), Vec::new()));
                }
                Some((made_by(name, !args.is_empty() || !keywords.is_empty())?, Vec::new()))
            }
            _ => None,
        }
    }

    /// After `targets = value`: the shape of what a variable now holds, the items of a dict
    /// literal at their paths, an element or item assigned in place; an alias of a shaped
    /// container forgets its shape (changes through the alias are not followed).
    pub(super) fn container_assign(&self, fr: &mut Frame<'a>, targets: &'a [Expr], value: &'a Expr) {
        if let Some(var) = self.shaped(fr, value) {
            fr.env.put_shape(var, None);
        }
        for target in targets {
            match &target.kind {
                ExprKind::Name(var) if targets.len() == 1 => {
                    let Some((shape, items)) = self.shape_of_value(fr, value) else { continue };
                    for (k, t) in items {
                        let stepped = with_step(&t, target.span, || format!("assigned to {var}[{k}]").into());
                        fr.env.set(&format!("{var}[{k}]"), stepped);
                    }
                    match shape {
                        Shape::List(elems) => self.set_elems(fr, var, elems),
                        Shape::Dict(keys) => self.set_keys(fr, var, keys),
                        other => self.keep_shape(fr, var, other),
                    }
                }
                ExprKind::Subscript { value: base, slice } => self.item_assigned(fr, base, slice, value),
                _ => {}
            }
        }
    }

    /// `var[slice] = value` on a shaped container (the generic assignment has stored the item
    /// at its path already).
    fn item_assigned(&self, fr: &mut Frame<'a>, base: &Expr, slice: &Expr, value: &Expr) {
        let Some(var) = self.shaped(fr, base) else { return };
        match fr.env.shape(var).cloned() {
            Some(Shape::List(mut elems)) => match literal_index(slice).and_then(|i| position(i, elems.len())) {
                Some(i) => {
                    let taint = fr.seen.get(&value.span).cloned().unwrap_or_default();
                    elems[i] = Elem { taint, lit: literal_value(value) };
                    self.set_elems(fr, var, elems);
                }
                None => fr.env.put_shape(var, None),
            },
            Some(Shape::Dict(mut keys)) => match key_text(slice) {
                Some(k) => {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                    self.set_keys(fr, var, keys);
                }
                None => fr.env.put_shape(var, None),
            },
            _ => fr.env.put_shape(var, None),
        }
    }

    /// `del var[slice]` on a shaped container.
    pub(super) fn item_deleted(&self, fr: &mut Frame<'a>, target: &Expr) {
        let ExprKind::Subscript { value: base, slice } = &target.kind else { return };
        let Some(var) = self.shaped(fr, base) else { return };
        match fr.env.shape(var).cloned() {
            Some(Shape::List(mut elems)) => match literal_index(slice).and_then(|i| position(i, elems.len())) {
                Some(i) => {
                    elems.remove(i);
                    self.set_elems(fr, var, elems);
                }
                None => fr.env.put_shape(var, None),
            },
            Some(Shape::Dict(mut keys)) => match key_text(slice) {
                Some(k) => {
                    keys.retain(|x| *x != k);
                    self.set_keys(fr, var, keys);
                }
                None => fr.env.put_shape(var, None),
            },
            _ => fr.env.put_shape(var, None),
        }
    }

    /// `var += value` on a shaped list: the elements of a list or tuple literal are appended.
    /// True when handled (the variable then holds its elements' union).
    pub(super) fn container_extended(&self, fr: &mut Frame<'a>, target: &Expr, value: &Expr) -> bool {
        let Some(var) = self.shaped(fr, target) else { return false };
        if let (Some(Shape::List(mut elems)), ExprKind::List(es) | ExprKind::Tuple(es)) = (fr.env.shape(var).cloned(), &value.kind) {
            if !es.iter().any(|e| matches!(e.kind, ExprKind::Starred(_))) {
                for e in es.iter() {
                    let taint = with_step(&fr.seen.get(&e.span).cloned().unwrap_or_default(), target.span, || format!("appended to {var}").into());
                    elems.push(Elem { taint, lit: literal_value(e) });
                }
                self.set_elems(fr, var, elems);
                return true;
            }
        }
        fr.env.put_shape(var, None);
        false
    }

    /// A shaped container passed whole to a call that may change it or keep it (anything but
    /// the library's known readers) forgets its shape.
    pub(super) fn containers_escape(&self, fr: &mut Frame<'a>, name: &str, args: &'a [Expr], keywords: &'a [Keyword]) {
        if fr.env.shape_count() == 0 || self.propagation.passes_through.contains(name) || self.propagation.returns_clean.contains(name) {
            return;
        }
        for a in args.iter().chain(keywords.iter().map(|k| &k.value)) {
            let a = match &a.kind {
                ExprKind::Starred(x) => &**x,
                _ => a,
            };
            if let Some(var) = self.shaped(fr, a) {
                fr.env.put_shape(var, None);
            }
        }
    }

    /// A method called on a container (`recv.name(args)`): the value of the call when the
    /// container's shape (or a stored item) decides it, after applying its change to the shape.
    /// `None`: the call is treated as any other.
    pub(super) fn container_call(&self, fr: &mut Frame<'a>, recv: &'a Expr, name: &str, args: &'a [Expr], arg_taints: &[(Option<&str>, Span, Taint)]) -> Option<Taint> {
        if args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_))) {
            return None;
        }
        let positional: Vec<&Taint> = arg_taints.iter().filter(|a| a.0.is_none()).map(|a| &a.2).collect();
        let Some(var) = self.shaped(fr, recv) else { return self.keyed_call(fr, recv, name, args, &positional) };
        let shape = fr.env.shape(var).cloned()?;
        let out = match shape {
            Shape::List(elems) => self.list_call(fr, var, elems, name, args, &positional),
            Shape::Dict(keys) => self.dict_call(fr, var, keys, name, args, &positional),
            Shape::Config => {
                if matches!(name, "getint" | "getfloat" | "getboolean") {
                    return Some(Taint::new());
                }
                match name {
                    "set" | "get" => self.keyed_call(fr, recv, name, args, &positional),
                    "add_section" => Some(Taint::new()),
                    _ => None,
                }
            }
            Shape::Buffer => match name {
                "write" | "writelines" => {
                    let mut all = Taint::new();
                    for (t, a) in positional.iter().zip(args.iter()) {
                        union_into(&mut all, &with_step(t, a.span, || format!("written into {var}").into()));
                    }
                    fr.env.add(var, &all);
                    Some(Taint::new())
                }
                _ => None,
            },
            Shape::Url(_) => None,
        };
        if out.is_none() && !READS.contains(&name) {
            fr.env.put_shape(var, None);
        }
        out
    }

    /// `recv.set(section, key, v)` (configparser) and `recv.get(...)` with literal keys, on any
    /// receiver with an access path: the option is stored at `recv["section"]["key"]` (and the
    /// whole receiver holds it too); a read finds what was stored there. On a receiver whose
    /// shape is a config object, an option never set is clean.
    fn keyed_call(&self, fr: &mut Frame<'a>, recv: &'a Expr, name: &str, args: &'a [Expr], positional: &[&Taint]) -> Option<Taint> {
        let base = self.path_of(recv)?;
        let config = matches!(fr.env.shape(&base), Some(Shape::Config));
        match (name, args) {
            ("set", [section, key, value]) => {
                let path = format!("{base}[{}][{}]", key_text(section)?, key_text(key)?);
                let t = with_step(positional.get(2)?, value.span, || format!("stored into {path}").into());
                fr.env.set(&path, t.clone());
                fr.env.add(&base, &t);
                Some(Taint::new())
            }
            ("get", [section, key, ..]) if args.len() == 2 || config => {
                let path = format!("{base}[{}][{}]", key_text(section)?, key_text(key)?);
                match self.stored(fr, &path) {
                    Some(t) => Some(t),
                    None => config.then(Taint::new),
                }
            }
            ("get", [key, ..]) => {
                // `d.get("k")` on a dict whose item "k" was stored.
                let mut t = self.stored(fr, &format!("{base}[{}]", key_text(key)?))?;
                if let Some(default) = positional.get(1) {
                    union_into(&mut t, default);
                }
                Some(t)
            }
            _ => None,
        }
    }

    fn list_call(&self, fr: &mut Frame<'a>, var: &str, mut elems: Vec<Elem>, name: &str, args: &'a [Expr], positional: &[&Taint]) -> Option<Taint> {
        let stepped = |i: usize| -> Taint {
            match (positional.get(i), args.get(i)) {
                (Some(t), Some(a)) => with_step(t, a.span, || format!("stored into {var}").into()),
                _ => Taint::new(),
            }
        };
        let out = match (name, args) {
            ("append" | "appendleft", [x]) => {
                let e = Elem { taint: stepped(0), lit: literal_value(x) };
                if name == "append" {
                    elems.push(e);
                } else {
                    elems.insert(0, e);
                }
                Taint::new()
            }
            ("insert", [i, x]) => {
                let i = literal_index(i)?;
                let len = i64::try_from(elems.len()).ok()?;
                let at = if i < 0 { (len + i).max(0) } else { i.min(len) };
                elems.insert(usize::try_from(at).ok()?, Elem { taint: stepped(1), lit: literal_value(x) });
                Taint::new()
            }
            ("extend", [arg]) => {
                let (ExprKind::List(es) | ExprKind::Tuple(es)) = &arg.kind else { return None };
                if es.iter().any(|e| matches!(e.kind, ExprKind::Starred(_))) {
                    return None;
                }
                for e in es.iter() {
                    let taint = with_step(&fr.seen.get(&e.span).cloned().unwrap_or_default(), e.span, || format!("stored into {var}").into());
                    elems.push(Elem { taint, lit: literal_value(e) });
                }
                Taint::new()
            }
            ("pop", []) => elems.pop()?.taint,
            ("popleft", []) => {
                if elems.is_empty() {
                    return None;
                }
                elems.remove(0).taint
            }
            ("pop", [i]) => {
                let i = position(literal_index(i)?, elems.len())?;
                elems.remove(i).taint
            }
            ("remove", [x]) => {
                // The first element equal to the literal; an element of unknown value before
                // it might be the one removed.
                let v = literal_value(x)?;
                let i = elems.iter().position(|e| e.lit.as_ref().is_none_or(|l| *l == v))?;
                if elems[i].lit.as_ref() != Some(&v) {
                    return None;
                }
                elems.remove(i);
                Taint::new()
            }
            ("clear", []) => {
                elems.clear();
                Taint::new()
            }
            ("reverse", []) => {
                elems.reverse();
                Taint::new()
            }
            _ => return None,
        };
        self.set_elems(fr, var, elems);
        Some(out)
    }

    fn dict_call(&self, fr: &mut Frame<'a>, var: &str, mut keys: Vec<String>, name: &str, args: &'a [Expr], positional: &[&Taint]) -> Option<Taint> {
        let key = args.first().and_then(key_text);
        let item = |fr: &Frame<'a>, k: &str| fr.env.get(&format!("{var}[{k}]")).cloned().unwrap_or_default();
        let default = positional.get(1).map(|t| (*t).clone()).unwrap_or_default();
        match name {
            "get" => {
                let k = key?;
                let mut t = item(fr, &k);
                union_into(&mut t, &default);
                Some(t)
            }
            "pop" => {
                let k = key?;
                let mut t = item(fr, &k);
                union_into(&mut t, &default);
                fr.env.set(&format!("{var}[{k}]"), Taint::new());
                keys.retain(|x| *x != k);
                self.set_keys(fr, var, keys);
                Some(t)
            }
            "setdefault" => {
                let k = key?;
                if !keys.contains(&k) {
                    let stepped = match args.get(1) {
                        Some(a) => with_step(&default, a.span, || format!("stored into {var}[{k}]").into()),
                        None => Taint::new(),
                    };
                    fr.env.set(&format!("{var}[{k}]"), stepped);
                    keys.push(k.clone());
                    self.set_keys(fr, var, keys);
                }
                Some(item(fr, &k))
            }
            "update" => {
                let [ExprKind::Dict(items)] = args.iter().map(|a| &a.kind).collect::<Vec<_>>()[..] else { return None };
                for (k, v) in items {
                    let k = key_text(k.as_ref()?)?;
                    let t = with_step(&fr.seen.get(&v.span).cloned().unwrap_or_default(), v.span, || format!("stored into {var}[{k}]").into());
                    fr.env.set(&format!("{var}[{k}]"), t);
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                self.set_keys(fr, var, keys);
                Some(Taint::new())
            }
            "clear" => {
                for k in &keys {
                    fr.env.set(&format!("{var}[{k}]"), Taint::new());
                }
                self.set_keys(fr, var, Vec::new());
                Some(Taint::new())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{in_function, lines_of, RULE};

    /// The lines (from the first line of `body`, inside `def v(c):` where `p` holds request
    /// data) where the test rule reports.
    fn lines(body: &str) -> Vec<u32> {
        let prelude = "from flask import request\nimport os, io, configparser\ndef v(c):\n    p = request.args['p']\n";
        lines_of(Some(RULE), "t-cmd", prelude, &in_function(body))
    }

    #[test]
    fn dict_items_with_literal_keys_are_tracked_one_by_one() {
        // A literal: the clean item is clean, the tainted one tainted; quotes do not matter.
        assert_eq!(lines("d = {'a': p, \"b\": 'safe'}\nos.system(d['b'])\nos.system(d[\"a\"])\nos.system(d.get('b'))\n"), vec![3]);
        // Assigned item by item: another key is clean; a strong update replaces the value.
        assert_eq!(lines("d = {}\nd['a'] = p\nos.system(d['b'])\nd['a'] = 'x'\nos.system(d['a'])\nos.system(' '.join(d))\n"), Vec::<u32>::new());
        // An unknown key may be any item: the whole dict.
        assert_eq!(lines("d = {'a': p, 'b': 'x'}\nos.system(d[c])\n"), vec![2]);
        // pop, update, setdefault, and a dict of unknown content read as a whole.
        assert_eq!(lines("d = dict(a='x')\nd.update({'b': p})\nos.system(d.pop('b'))\nos.system(d['b'])\nd.setdefault('c', p)\nos.system(d['c'])\n"), vec![3, 6]);
        assert_eq!(lines("d = make()\nd['a'] = p\nos.system(d['b'])\n"), vec![3]);
    }

    #[test]
    fn a_dict_passed_away_or_assigned_an_unknown_key_is_read_as_a_whole() {
        assert_eq!(lines("d = {'a': p, 'b': 'x'}\nfill(d)\nos.system(d['b'])\n"), vec![3]);
        assert_eq!(lines("d = {'a': 'x', 'b': 'x'}\nd[c] = p\nos.system(d['b'])\n"), vec![3]);
        // An alias may change it: its items are no longer known one by one.
        assert_eq!(lines("d = {'a': p, 'b': 'x'}\ne = d\nos.system(d['b'])\n"), vec![3]);
    }

    #[test]
    fn lists_follow_append_pop_insert_remove_and_indices() {
        let base = "l = ['safe']\nl.append(p)\nl.append('moresafe')\nl.pop(0)\n";
        assert_eq!(lines(&format!("{base}os.system(l[1])\n")), Vec::<u32>::new());
        assert_eq!(lines(&format!("{base}os.system(l[0])\n")), vec![5]);
        assert_eq!(lines(&format!("{base}os.system(l[-2])\nos.system(l.pop())\nos.system(l.pop())\n")), vec![5, 7]);
        assert_eq!(lines("l = ['a', 'b']\nl.insert(1, p)\nos.system(l[2])\nos.system(l[1])\n"), vec![4]);
        // `remove` of a literal: only when every element before the match is known.
        assert_eq!(lines("l = ['a', p, 'b']\nl.remove('a')\nos.system(l[1])\n"), Vec::<u32>::new());
        assert_eq!(lines("l = [p, 'a', 'b']\nl.remove('a')\nos.system(l[1])\n"), vec![3]);
        // `del`, `+=` and an element assigned in place.
        assert_eq!(lines("l = [p, 'a']\ndel l[0]\nl += ['b', p]\nl[2] = 'c'\nos.system(l[0])\nos.system(l[2])\nos.system(l[1])\n"), Vec::<u32>::new());
        // The whole list is the union of what it holds now.
        assert_eq!(lines("l = [p]\nl.pop()\nos.system(' '.join(l))\n"), Vec::<u32>::new());
    }

    #[test]
    fn list_operations_not_understood_fall_back_to_the_whole_list() {
        assert_eq!(lines("l = ['a', p]\nl.sort()\nos.system(l[0])\n"), vec![3]);
        assert_eq!(lines("l = ['a', p]\nl.pop(c)\nos.system(l[0])\n"), vec![3]);
        assert_eq!(lines("l = ['a', 'b']\nl.insert(c, p)\nos.system(l[0])\n"), vec![3]);
        assert_eq!(lines("l = ['a', 'b']\nl[c] = p\nos.system(l[0])\n"), vec![3]);
        assert_eq!(lines("l = ['a']\nfor x in request.args.getlist('x'):\n    l.append(x)\nos.system(l[0])\n"), vec![4]);
        // At most MAX_ELEMS elements are tracked.
        let many: String = (0..super::MAX_ELEMS).map(|_| "l.append('x')\n").collect();
        assert_eq!(lines(&format!("l = [p]\n{many}l.pop(0)\nos.system(l[0])\n")), vec![super::MAX_ELEMS as u32 + 3]);
    }

    #[test]
    fn branches_join_element_by_element_or_forget_the_shape() {
        // Same length on both paths: element by element.
        assert_eq!(lines("l = ['a', 'b']\nif c:\n    l[0] = p\nelse:\n    l[0] = 'z'\nos.system(l[1])\nos.system(l[0])\n"), vec![7]);
        // Different lengths: the whole list.
        assert_eq!(lines("l = ['a']\nif c:\n    l.insert(0, p)\nos.system(l[0])\nos.system(l[-1])\n"), vec![4, 5]);
        // Dicts join their keys.
        assert_eq!(lines("d = {}\nif c:\n    d['a'] = p\nelse:\n    d['b'] = 'x'\nos.system(d['b'])\nos.system(d['a'])\n"), vec![7]);
    }

    #[test]
    fn configparser_options_and_string_buffers() {
        let conf = "conf = configparser.ConfigParser()\nconf.add_section('s')\nconf.set('s', 'a', 'x')\nconf.set('s', 'b', p)\n";
        assert_eq!(lines(&format!("{conf}os.system(conf.get('s', 'a'))\nos.system(conf.get('s', 'b'))\nos.system(conf['s']['a'])\nos.system(conf['s']['b'])\n")), vec![6, 8]);
        assert_eq!(lines(&format!("{conf}conf.set('s', 'b', 'y')\nos.system(conf.get('s', 'b'))\n")), Vec::<u32>::new());
        // A config object of unknown content: the whole object, which holds what was set.
        assert_eq!(lines("self_conf = load()\nself_conf.set('s', 'b', p)\nos.system(self_conf.get('s', 'c'))\n"), vec![3]);
        assert_eq!(lines("b = io.StringIO()\nb.write('x')\nos.system(b.getvalue())\nb.write(p)\nos.system(b.getvalue())\n"), vec![5]);
    }

    #[test]
    fn container_work_is_charged_and_bounded() {
        // Many operations on one list: linear work, and the result still right.
        let ops: String = (0..2000).map(|_| "l.append('x')\nl.pop()\n").collect();
        assert_eq!(lines(&format!("l = ['a', p]\n{ops}os.system(l[0])\nos.system(l[1])\n")), vec![4003]);
    }
}
