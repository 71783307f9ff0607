//! Constant folding for the taint analysis: the value of an expression built from literals and
//! names bound to them, so that a branch that can never run is not followed.
//!
//! `num = 86` then `if (7 * 42) - num > 200:` always runs its body; `"safe" if 7 * 18 + num >
//! 200 else param` is always `"safe"`; `match "ABC"[1]:` runs only `case "B":`. Folded:
//! integer, float, string, boolean and `None` literals; arithmetic, comparisons, `and`/`or`/
//! `not` and conditional expressions on them; string indexing and slicing; tuples and lists of
//! constants; a few builtins (`len`, `str`, `int`, `bool`, `abs`) and string methods. A name
//! counts as a constant when the semantic model knows its value (bound once, or the literal of
//! the binding that reaches the use).
//!
//! Everything is bounded: the nesting of one fold (names followed count as nesting), the
//! expressions it visits, and the size of the strings and sequences it builds (`"a" * 10**9`
//! is unknown, and allocates nothing). Whatever cannot be folded is unknown (`None`), and an
//! unknown condition is followed both ways, as before.

use crate::semantic::{ScopeId, SemanticModel};
use crate::syntax::ast::*;

/// Longest string a fold builds, in bytes; a longer result is unknown.
const MAX_STR: usize = 4096;
/// Most elements of a tuple or list a fold builds.
const MAX_ITEMS: usize = 64;
/// Nesting bound of one fold; following a name to its value is one level.
const MAX_FOLD_DEPTH: u32 = 48;
/// Expressions one fold may visit: names bound to expressions of other names could otherwise
/// make a fold exponential in the number of names.
const MAX_FOLD_NODES: u32 = 512;

/// A constant value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    None,
    /// A tuple (`true`) or list (`false`) of constants.
    Seq(Vec<Value>, bool),
}

impl Value {
    /// Python's truth value.
    pub(super) fn truthy(&self) -> bool {
        match self {
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::None => false,
            Value::Seq(items, _) => !items.is_empty(),
        }
    }

    /// A value that no code can change after it is bound (no list inside).
    fn immutable(&self) -> bool {
        match self {
            Value::Seq(items, tuple) => *tuple && items.iter().all(Value::immutable),
            _ => true,
        }
    }

    fn num(&self) -> Option<Num> {
        match self {
            Value::Int(i) => Some(Num::I(*i)),
            Value::Bool(b) => Some(Num::I(i64::from(*b))),
            Value::Float(f) => Some(Num::F(*f)),
            _ => None,
        }
    }

    /// An integer operand (`bool` is one), for indexing and repetition.
    fn int(&self) -> Option<i64> {
        match self.num()? {
            Num::I(i) => Some(i),
            Num::F(_) => None,
        }
    }
}

#[derive(Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
}

impl Num {
    fn f(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        }
    }
}

fn string(s: String) -> Option<Value> {
    (s.len() <= MAX_STR).then_some(Value::Str(s))
}

/// One fold query (or a few sharing a budget): see the module's documentation.
pub(super) struct Folder<'s, 'a> {
    sem: &'s SemanticModel<'a>,
    src: &'s str,
    nodes: u32,
}

impl<'s, 'a> Folder<'s, 'a> {
    pub(super) fn new(sem: &'s SemanticModel<'a>, src: &'s str) -> Self {
        Folder { sem, src, nodes: 0 }
    }

    /// Expressions visited so far (the work to charge).
    pub(super) fn work(&self) -> u64 {
        u64::from(self.nodes)
    }

    /// The value of `e`, in code of `scope`, if it is a constant.
    pub(super) fn value(&mut self, scope: ScopeId, e: &Expr) -> Option<Value> {
        self.eval(scope, e, 0)
    }

    /// Whether the condition `e` always holds (`Some(true)`), never does (`Some(false)`), or
    /// is unknown. `and`/`or`/`not` are decided by any operand that decides them (`x and
    /// False` never holds, whatever `x` is).
    pub(super) fn truth(&mut self, scope: ScopeId, e: &Expr) -> Option<bool> {
        self.truth_at(scope, e, 0)
    }

    fn truth_at(&mut self, scope: ScopeId, e: &Expr, depth: u32) -> Option<bool> {
        if depth > MAX_FOLD_DEPTH {
            return None;
        }
        match &e.kind {
            ExprKind::UnaryOp { op: UnaryOp::Not, operand } => self.truth_at(scope, operand, depth + 1).map(|b| !b),
            ExprKind::BoolOp { op, values } => {
                // `and` is decided by a false operand, `or` by a true one.
                let decisive = *op == BoolOp::Or;
                let mut known = true;
                for v in values {
                    match self.truth_at(scope, v, depth + 1) {
                        Some(b) if b == decisive => return Some(decisive),
                        Some(_) => {}
                        None => known = false,
                    }
                }
                known.then_some(!decisive)
            }
            _ => self.eval(scope, e, depth).map(|v| v.truthy()),
        }
    }

    /// Whether a `case` runs when the `match` reaches it: `Some(true)` always, `Some(false)`
    /// never, `None` maybe. `subject` is the folded subject, if known.
    pub(super) fn case_runs(&mut self, scope: ScopeId, subject: Option<&Value>, pattern: &CasePattern, guard: Option<&Expr>) -> Option<bool> {
        let matched = match pattern {
            CasePattern::Any(_) => Some(true),
            CasePattern::Values(vs) => self.matches_one_of(scope, subject, vs),
            CasePattern::Other => None,
        };
        // A guard after a capture reads the captured name, which the semantic model does not
        // know: it is not folded.
        let capture = matches!(pattern, CasePattern::Any(Some(_)));
        let guarded = match guard {
            None => Some(true),
            Some(_) if capture => None,
            Some(g) => self.truth(scope, g),
        };
        match (matched, guarded) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }

    fn matches_one_of(&mut self, scope: ScopeId, subject: Option<&Value>, values: &[Expr]) -> Option<bool> {
        let subject = subject?;
        let mut all_known = true;
        for v in values {
            let Some(pv) = self.eval(scope, v, 1) else {
                all_known = false;
                continue;
            };
            // `case None:`, `case True:` compare by identity; other literals by equality.
            let hit = match (&pv, subject) {
                (Value::Bool(a), s) => matches!(s, Value::Bool(b) if a == b),
                (Value::None, s) => *s == Value::None,
                (pv, s) => equal(pv, s),
            };
            if hit {
                return Some(true);
            }
        }
        all_known.then_some(false)
    }

    fn eval(&mut self, scope: ScopeId, e: &Expr, depth: u32) -> Option<Value> {
        if depth > MAX_FOLD_DEPTH || self.nodes >= MAX_FOLD_NODES {
            return None;
        }
        self.nodes += 1;
        let d = depth + 1;
        match &e.kind {
            ExprKind::Str(s) => string(s.to_string()),
            ExprKind::Number(n) => self.number(e.span, n),
            ExprKind::Bool(b) => Some(Value::Bool(*b)),
            ExprKind::NoneLit => Some(Value::None),
            ExprKind::Name(n) => {
                let (bound_in, v) = self.sem.constant_binding(scope, n, e.span.start)?;
                // A list bound once can still be changed in place (`append`).
                self.eval(bound_in, v, d).filter(Value::immutable)
            }
            ExprKind::UnaryOp { op, operand } => {
                if *op == UnaryOp::Not {
                    return self.truth_at(scope, operand, d).map(|b| Value::Bool(!b));
                }
                unary(*op, &self.eval(scope, operand, d)?)
            }
            ExprKind::BinOp { left, op, right } => {
                let l = self.eval(scope, left, d)?;
                let r = self.eval(scope, right, d)?;
                binary(&l, *op, &r)
            }
            ExprKind::BoolOp { op, values } => {
                // The first operand that decides, else the last one (Python's semantics).
                let decisive = *op == BoolOp::Or;
                let (last, rest) = values.split_last()?;
                for v in rest {
                    let x = self.eval(scope, v, d)?;
                    if x.truthy() == decisive {
                        return Some(x);
                    }
                }
                self.eval(scope, last, d)
            }
            ExprKind::Compare { left, ops, comparators } => {
                let mut l = self.eval(scope, left, d)?;
                for (op, c) in ops.iter().zip(comparators.iter()) {
                    let r = self.eval(scope, c, d)?;
                    if !compare(&l, *op, &r)? {
                        return Some(Value::Bool(false));
                    }
                    l = r;
                }
                Some(Value::Bool(true))
            }
            ExprKind::IfExp { test, body, orelse } => {
                let branch = if self.truth_at(scope, test, d)? { body } else { orelse };
                self.eval(scope, branch, d)
            }
            ExprKind::Tuple(es) | ExprKind::List(es) => {
                if es.len() > MAX_ITEMS {
                    return None;
                }
                let tuple = matches!(e.kind, ExprKind::Tuple(_));
                let mut items = Vec::with_capacity(es.len());
                for x in es {
                    if matches!(x.kind, ExprKind::Starred(_)) {
                        return None;
                    }
                    items.push(self.eval(scope, x, d)?);
                }
                Some(Value::Seq(items, tuple))
            }
            ExprKind::Subscript { value, slice } => {
                let v = self.eval(scope, value, d)?;
                match &slice.kind {
                    ExprKind::Slice { lower, upper, step } => {
                        let mut bound = |b: &Option<Box<Expr>>| -> Option<Option<i64>> {
                            match b {
                                None => Some(None),
                                Some(x) => match self.eval(scope, x, d)? {
                                    Value::None => Some(None),
                                    v => v.int().map(Some),
                                },
                            }
                        };
                        let (lo, hi, st) = (bound(lower)?, bound(upper)?, bound(step)?);
                        slice_of(&v, lo, hi, st)
                    }
                    _ => index(&v, &self.eval(scope, slice, d)?),
                }
            }
            ExprKind::Call { func, args, keywords } if keywords.is_empty() => {
                if args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_))) {
                    return None;
                }
                match &func.kind {
                    ExprKind::Name(f) if !self.sem.binds(scope, f) => {
                        let [a] = &args[..] else { return None };
                        builtin(f, &self.eval(scope, a, d)?)
                    }
                    ExprKind::Attribute { value, attr } => {
                        let recv = self.eval(scope, value, d)?;
                        let mut vals = Vec::with_capacity(args.len());
                        for a in args.iter() {
                            vals.push(self.eval(scope, a, d)?);
                        }
                        method(&recv, &attr.name, &vals)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A number literal: its text in the source tells an integer from a float (the tree keeps
    /// `1.0` as `1`); complex numbers and integers beyond 64 bits are unknown.
    fn number(&self, span: Span, n: &str) -> Option<Value> {
        let raw = self.src.get(span.start as usize..span.end as usize).unwrap_or(n).to_ascii_lowercase();
        if raw.contains('j') {
            return None;
        }
        let radix = raw.starts_with("0x") || raw.starts_with("0o") || raw.starts_with("0b");
        let float = !radix && (raw.contains(['.', 'e']) || raw.contains("inf") || raw.contains("nan"));
        if float {
            n.parse::<f64>().ok().map(Value::Float)
        } else {
            n.parse::<i64>().ok().map(Value::Int)
        }
    }
}

fn unary(op: UnaryOp, v: &Value) -> Option<Value> {
    match (op, v.num()?) {
        (UnaryOp::USub, Num::I(i)) => i.checked_neg().map(Value::Int),
        (UnaryOp::USub, Num::F(f)) => Some(Value::Float(-f)),
        (UnaryOp::UAdd, Num::I(i)) => Some(Value::Int(i)),
        (UnaryOp::UAdd, Num::F(f)) => Some(Value::Float(f)),
        (UnaryOp::Invert, Num::I(i)) => Some(Value::Int(!i)),
        _ => None,
    }
}

/// `s * n` or `seq * n`, unknown when the result would be too large (checked before anything
/// is allocated).
fn repeat(v: &Value, n: i64) -> Option<Value> {
    let n = usize::try_from(n.max(0)).ok()?;
    match v {
        Value::Str(s) => {
            if s.len().checked_mul(n)? > MAX_STR {
                return None;
            }
            Some(Value::Str(s.repeat(n)))
        }
        Value::Seq(items, tuple) => {
            if items.len().checked_mul(n)? > MAX_ITEMS {
                return None;
            }
            let mut out = Vec::with_capacity(items.len() * n);
            for _ in 0..n {
                out.extend(items.iter().cloned());
            }
            Some(Value::Seq(out, *tuple))
        }
        _ => None,
    }
}

fn binary(l: &Value, op: BinOp, r: &Value) -> Option<Value> {
    match (l, op, r) {
        (Value::Str(a), BinOp::Add, Value::Str(b)) => string(format!("{a}{b}")),
        (Value::Seq(a, ta), BinOp::Add, Value::Seq(b, tb)) if ta == tb && a.len() + b.len() <= MAX_ITEMS => {
            Some(Value::Seq(a.iter().chain(b.iter()).cloned().collect(), *ta))
        }
        (Value::Str(_) | Value::Seq(..), BinOp::Mult, n) => repeat(l, n.int()?),
        (n, BinOp::Mult, Value::Str(_) | Value::Seq(..)) => repeat(r, n.int()?),
        (Value::Bool(a), BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor, Value::Bool(b)) => Some(Value::Bool(match op {
            BinOp::BitAnd => a & b,
            BinOp::BitOr => a | b,
            _ => a ^ b,
        })),
        _ => arithmetic(l.num()?, op, r.num()?),
    }
}

/// Python's arithmetic: integers stay integers (unknown on overflow), `/` gives a float, `//`
/// and `%` round toward negative infinity, division by zero is unknown (it raises).
fn arithmetic(a: Num, op: BinOp, b: Num) -> Option<Value> {
    if let (Num::I(x), Num::I(y)) = (a, b) {
        return int_arithmetic(x, op, y);
    }
    let (x, y) = (a.f(), b.f());
    let v = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mult => x * y,
        BinOp::Div if y != 0.0 => x / y,
        BinOp::FloorDiv if y != 0.0 => (x / y).floor(),
        BinOp::Mod if y != 0.0 => {
            let m = x % y;
            if m != 0.0 && (m < 0.0) != (y < 0.0) {
                m + y
            } else {
                m
            }
        }
        BinOp::Pow => x.powf(y),
        _ => return None,
    };
    // A negative number to a fractional power is complex in Python.
    (!v.is_nan()).then_some(Value::Float(v))
}

fn int_arithmetic(x: i64, op: BinOp, y: i64) -> Option<Value> {
    let v = match op {
        BinOp::Add => x.checked_add(y)?,
        BinOp::Sub => x.checked_sub(y)?,
        BinOp::Mult => x.checked_mul(y)?,
        BinOp::Div if y != 0 => return Some(Value::Float(x as f64 / y as f64)),
        BinOp::FloorDiv if y != 0 => {
            let q = x.checked_div(y)?;
            if x % y != 0 && (x < 0) != (y < 0) {
                q - 1
            } else {
                q
            }
        }
        BinOp::Mod if y != 0 => {
            let m = x.checked_rem(y)?;
            if m != 0 && (m < 0) != (y < 0) {
                m + y
            } else {
                m
            }
        }
        BinOp::Pow if y >= 0 => x.checked_pow(u32::try_from(y).ok()?)?,
        BinOp::Pow => return Some(Value::Float((x as f64).powf(y as f64))),
        BinOp::LShift if (0..63).contains(&y) => x.checked_mul(1i64 << y)?,
        BinOp::RShift if y >= 0 => x >> y.min(63),
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        _ => return None,
    };
    Some(Value::Int(v))
}

/// `==` between constants: numbers by value (`True == 1`), strings by text, sequences item by
/// item; values of different kinds are unequal.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::None, Value::None) => true,
        (Value::Seq(x, tx), Value::Seq(y, ty)) => tx == ty && x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q)),
        _ => match (a.num(), b.num()) {
            (Some(Num::I(x)), Some(Num::I(y))) => x == y,
            (Some(x), Some(y)) => x.f() == y.f(),
            _ => false,
        },
    }
}

/// A comparison, unknown where Python would raise or the answer depends on identity.
fn compare(a: &Value, op: CmpOp, b: &Value) -> Option<bool> {
    let order = || -> Option<std::cmp::Ordering> {
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
            _ => a.num()?.f().partial_cmp(&b.num()?.f()),
        }
    };
    Some(match op {
        CmpOp::Eq => equal(a, b),
        CmpOp::NotEq => !equal(a, b),
        CmpOp::Lt => order()?.is_lt(),
        CmpOp::LtE => order()?.is_le(),
        CmpOp::Gt => order()?.is_gt(),
        CmpOp::GtE => order()?.is_ge(),
        CmpOp::Is | CmpOp::IsNot => {
            let same = match (a, b) {
                (Value::None, _) | (_, Value::None) => *a == Value::None && *b == Value::None,
                (Value::Bool(x), Value::Bool(y)) => x == y,
                // Identity of other objects is the implementation's choice.
                _ => return None,
            };
            same == (op == CmpOp::Is)
        }
        CmpOp::In | CmpOp::NotIn => {
            let found = match b {
                Value::Str(hay) => match a {
                    Value::Str(needle) => hay.contains(needle.as_str()),
                    _ => return None,
                },
                Value::Seq(items, _) => items.iter().any(|x| equal(a, x)),
                _ => return None,
            };
            found == (op == CmpOp::In)
        }
    })
}

/// The items of a string (its characters) or a sequence.
fn items_of(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::Str(s) => Some(s.chars().map(|c| Value::Str(c.to_string())).collect()),
        Value::Seq(items, _) => Some(items.clone()),
        _ => None,
    }
}

fn index(v: &Value, i: &Value) -> Option<Value> {
    let i = i.int()?;
    let len = i64::try_from(match v {
        Value::Str(s) => s.chars().count(),
        Value::Seq(items, _) => items.len(),
        _ => return None,
    })
    .ok()?;
    let at = if i < 0 { i + len } else { i };
    if !(0..len).contains(&at) {
        return None;
    }
    let at = usize::try_from(at).ok()?;
    match v {
        Value::Str(s) => s.chars().nth(at).map(|c| Value::Str(c.to_string())),
        Value::Seq(items, _) => items.get(at).cloned(),
        _ => None,
    }
}

/// `v[lo:hi:step]` with Python's clamping of the bounds.
fn slice_of(v: &Value, lo: Option<i64>, hi: Option<i64>, step: Option<i64>) -> Option<Value> {
    let items = items_of(v)?;
    let len = i64::try_from(items.len()).ok()?;
    let step = step.unwrap_or(1);
    if step == 0 {
        return None;
    }
    // Bounds as in `slice.indices`: negative ones count from the end, then clamped.
    let (min, max) = if step > 0 { (0, len) } else { (-1, len - 1) };
    let clamp = |x: i64| {
        let x = if x < 0 { x.saturating_add(len) } else { x };
        x.clamp(min, max)
    };
    let start = lo.map_or(if step > 0 { 0 } else { len - 1 }, clamp);
    let stop = hi.map_or(if step > 0 { len } else { -1 }, clamp);
    let mut picked = Vec::new();
    let mut at = start;
    while (step > 0 && at < stop) || (step < 0 && at > stop) {
        if let Some(x) = usize::try_from(at).ok().and_then(|k| items.get(k)) {
            picked.push(x.clone());
        }
        at = at.checked_add(step)?;
    }
    match v {
        Value::Str(_) => Some(Value::Str(picked.into_iter().filter_map(|x| if let Value::Str(c) = x { Some(c) } else { None }).collect())),
        Value::Seq(_, tuple) => Some(Value::Seq(picked, *tuple)),
        _ => None,
    }
}

/// The parts of a split string as a list, unknown past [`MAX_ITEMS`] parts (the rest are not
/// built).
fn split_parts<'t>(parts: impl Iterator<Item = &'t str>) -> Option<Value> {
    let parts: Vec<Value> = parts.take(MAX_ITEMS + 1).map(|p| Value::Str(p.to_string())).collect();
    (parts.len() <= MAX_ITEMS).then_some(Value::Seq(parts, false))
}

/// A builtin called on one constant: `len`, `str`, `int`, `bool`, `abs`.
fn builtin(name: &str, v: &Value) -> Option<Value> {
    match (name, v) {
        ("len", Value::Str(s)) => i64::try_from(s.chars().count()).ok().map(Value::Int),
        ("len", Value::Seq(items, _)) => i64::try_from(items.len()).ok().map(Value::Int),
        ("str", Value::Str(s)) => Some(Value::Str(s.clone())),
        ("str", Value::Int(i)) => Some(Value::Str(i.to_string())),
        ("str", Value::Bool(b)) => Some(Value::Str(if *b { "True" } else { "False" }.to_string())),
        ("str", Value::None) => Some(Value::Str("None".to_string())),
        ("int", Value::Str(s)) => s.trim().parse::<i64>().ok().map(Value::Int),
        ("int", Value::Float(f)) if f.is_finite() && f.abs() < 9.0e18 => Some(Value::Int(f.trunc() as i64)),
        ("int", v) => v.int().map(Value::Int),
        ("bool", v) => Some(Value::Bool(v.truthy())),
        ("abs", v) => match v.num()? {
            Num::I(i) => i.checked_abs().map(Value::Int),
            Num::F(f) => Some(Value::Float(f.abs())),
        },
        _ => None,
    }
}

/// A string method called on a constant with constant arguments.
fn method(recv: &Value, name: &str, args: &[Value]) -> Option<Value> {
    let Value::Str(s) = recv else { return None };
    let ascii = s.is_ascii();
    let text = |v: &Value| if let Value::Str(x) = v { Some(x.clone()) } else { None };
    match (name, args) {
        ("upper", []) if ascii => Some(Value::Str(s.to_ascii_uppercase())),
        ("lower", []) if ascii => Some(Value::Str(s.to_ascii_lowercase())),
        ("strip", []) => Some(Value::Str(s.trim().to_string())),
        ("lstrip", []) => Some(Value::Str(s.trim_start().to_string())),
        ("rstrip", []) => Some(Value::Str(s.trim_end().to_string())),
        ("strip" | "lstrip" | "rstrip", [Value::Str(chars)]) => {
            let set = |c: char| chars.contains(c);
            let out = match name {
                "strip" => s.trim_matches(set),
                "lstrip" => s.trim_start_matches(set),
                _ => s.trim_end_matches(set),
            };
            Some(Value::Str(out.to_string()))
        }
        ("replace", [Value::Str(from), Value::Str(to)]) => {
            // Checked before building: each match (or gap, for an empty `from`) adds `to`.
            let n = if from.is_empty() { s.chars().count() + 1 } else { s.matches(from.as_str()).count() };
            if s.len().checked_add(n.checked_mul(to.len())?)? > MAX_STR {
                return None;
            }
            Some(Value::Str(s.replace(from.as_str(), to)))
        }
        ("startswith" | "endswith", [arg]) => {
            let options: Vec<String> = match arg {
                Value::Seq(items, true) => items.iter().map(text).collect::<Option<_>>()?,
                v => vec![text(v)?],
            };
            let hit = options.iter().any(|o| if name == "startswith" { s.starts_with(o.as_str()) } else { s.ends_with(o.as_str()) });
            Some(Value::Bool(hit))
        }
        ("isdigit", []) if ascii => Some(Value::Bool(!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))),
        ("isalpha", []) if ascii => Some(Value::Bool(!s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic()))),
        ("isalnum", []) if ascii => Some(Value::Bool(!s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()))),
        ("split", []) => split_parts(s.split_whitespace()),
        ("split", [Value::Str(sep)]) if !sep.is_empty() => split_parts(s.split(sep.as_str())),
        ("join", [Value::Seq(items, _)]) => {
            let parts: Vec<String> = items.iter().map(text).collect::<Option<_>>()?;
            // Checked before building.
            let len = parts.iter().map(String::len).sum::<usize>() + s.len() * parts.len().saturating_sub(1);
            (len <= MAX_STR).then(|| Value::Str(parts.join(s.as_str())))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse::parse_module;

    /// The value of the last statement's expression in `code` (module scope).
    fn fold(code: &str) -> Option<Value> {
        let parsed = parse_module(code);
        let sem = SemanticModel::build(&parsed.module);
        let Some(Stmt { kind: StmtKind::Expr(e), .. }) = parsed.module.body.last() else { panic!("no expression") };
        Folder::new(&sem, code).value(ScopeId::MODULE, e)
    }

    fn s(x: &str) -> Option<Value> {
        Some(Value::Str(x.to_string()))
    }

    #[test]
    fn arithmetic_follows_python() {
        assert_eq!(fold("7 * 42 - 86"), Some(Value::Int(208)));
        assert_eq!(fold("num = 86\n(7 * 42) - num > 200"), Some(Value::Bool(true)));
        assert_eq!(fold("num = 196\n(500 / 42) + num > 200"), Some(Value::Bool(true)));
        assert_eq!(fold("num = 86\n(500 / 42) + num > 200"), Some(Value::Bool(false)));
        assert_eq!(fold("-7 // 2"), Some(Value::Int(-4)));
        assert_eq!(fold("-7 % 3"), Some(Value::Int(2)));
        assert_eq!(fold("7 / 2"), Some(Value::Float(3.5)));
        assert_eq!(fold("2 ** 10"), Some(Value::Int(1024)));
        assert_eq!(fold("1.0 + 1"), Some(Value::Float(2.0)));
        assert_eq!(fold("True + 1"), Some(Value::Int(2)));
        assert_eq!(fold("1 / 0"), None);
        assert_eq!(fold("2 ** 64"), None);
        assert_eq!(fold("1 < 2 < 3"), Some(Value::Bool(true)));
        assert_eq!(fold("1 < 3 < 2"), Some(Value::Bool(false)));
        assert_eq!(fold("'a' < 1"), None);
        assert_eq!(fold("1 == 1.0"), Some(Value::Bool(true)));
    }

    #[test]
    fn strings_index_slice_and_methods() {
        assert_eq!(fold("'ABC'[1]"), s("B"));
        assert_eq!(fold("g = 'ABC'\ng[-1]"), s("C"));
        assert_eq!(fold("'abcdef'[0:2]"), s("ab"));
        assert_eq!(fold("'abcdef'[::-2]"), s("fdb"));
        assert_eq!(fold("'abc'[5]"), None);
        assert_eq!(fold("'ab' + 'cd'"), s("abcd"));
        assert_eq!(fold("'ab' * 3"), s("ababab"));
        assert_eq!(fold("' Safe '.strip().lower()"), s("safe"));
        assert_eq!(fold("'a,b,c'.split(',')[1]"), s("b"));
        assert_eq!(fold("'-'.join(('a', 'b'))"), s("a-b"));
        assert_eq!(fold("'x' in 'xyz'"), Some(Value::Bool(true)));
        assert_eq!(fold("'q' in ('a', 'b')"), Some(Value::Bool(false)));
        assert_eq!(fold("len('abc') == 3"), Some(Value::Bool(true)));
    }

    #[test]
    fn sizes_are_capped_before_allocating() {
        assert_eq!(fold("'a' * 10**9"), None);
        assert_eq!(fold("'a' * 4096"), Some(Value::Str("a".repeat(4096))));
        assert_eq!(fold("('a',) * 10**9"), None);
        assert_eq!(fold("'ab'.replace('', 'x' * 4000)"), None);
        assert_eq!(fold("('x' * 4000).join(('a', 'b', 'c'))"), None);
        assert_eq!(fold("('a,' * 100).split(',')"), None);
        // A chain of names each doubling the previous: cut by the node budget.
        let mut code = String::from("a0 = 'x'\n");
        for i in 1..40 {
            code.push_str(&format!("a{i} = a{} + a{}\n", i - 1, i - 1));
        }
        code.push_str("a39\n");
        assert_eq!(fold(&code), None);
    }

    #[test]
    fn logic_conditions_and_names() {
        assert_eq!(fold("num = 106\n'safe' if 7 * 18 + num > 200 else param"), s("safe"));
        assert_eq!(fold("num = 106\n'safe' if 7 * 18 + num < 200 else param"), None);
        assert_eq!(fold("0 or 'x'"), s("x"));
        assert_eq!(fold("'' and unknown"), s(""));
        assert_eq!(fold("not None"), Some(Value::Bool(true)));
        // Bound twice: the value depends on the path.
        assert_eq!(fold("if c:\n    n = 1\nelse:\n    n = 2\nn"), None);
        // Rebound by an augmented assignment in a loop, or by a `case` capture.
        assert_eq!(fold("n = 0\nfor _ in y:\n    n += 1\nn > 5"), None);
        assert_eq!(fold("x = 'a'\nmatch y:\n    case x:\n        pass\nx"), None);
        // A list can change after it is bound.
        assert_eq!(fold("xs = ['a']\nxs.append(b)\nlen(xs)"), None);
        // A shadowed builtin is not folded.
        assert_eq!(fold("def len(x):\n    return 0\nlen('abc')"), None);
        let parsed = parse_module("x and False\nx or True\n");
        let sem = SemanticModel::build(&parsed.module);
        let truths: Vec<Option<bool>> = parsed
            .module
            .body
            .iter()
            .map(|st| match &st.kind {
                StmtKind::Expr(e) => Folder::new(&sem, "").truth(ScopeId::MODULE, e),
                _ => None,
            })
            .collect();
        assert_eq!(truths, vec![Some(false), Some(true)]);
    }
}
