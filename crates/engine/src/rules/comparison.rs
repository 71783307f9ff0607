//! Semgrep's `metavariable-comparison`: a Python expression over the match's metavariables
//! (`$SIZE < 2048`, `int($PORT) in [21, 23]`, `str($A) == str($B)`, `re.match("^md5", $H)`,
//! `$D < today()`), evaluated on the bound code.
//!
//! A metavariable's value is the literal it is bound to (a number, a string's content, a
//! boolean); `str($X)` is the bound code's text, `int($X)` its number (`base:` sets the base).
//! With `strip: true`, the quotes of a string literal bound to `metavariable` are removed and
//! its content read as a number when it is one. A comparison on code that has no value
//! (`$SIZE < 2048` with `$SIZE` bound to a call) does not hold, as in Semgrep.

use crate::rules::pattern::{compile_pattern, mv_name};
use crate::rules::pcre::PcreRegex;
use crate::syntax::ast::{BinOp, BoolOp, CmpOp, Expr, ExprKind, UnaryOp};

/// How deep a comparison expression is evaluated (they are one line long).
const MAX_DEPTH: u32 = 64;

/// A compiled `metavariable-comparison`.
#[derive(Debug, Clone)]
pub struct Comparison {
    expr: Expr,
    /// `metavariable:` with `strip: true`: its string content is read as a number.
    strip: Option<String>,
    /// `base:`: the base `int()` and stripped values read numbers in.
    base: u32,
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Int(i128),
    Float(f64),
    Str(String),
    Bool(bool),
    List(Vec<Val>),
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Int(n) => *n != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
            Val::List(v) => !v.is_empty(),
        }
    }

    fn num(&self) -> Option<f64> {
        match self {
            Val::Int(n) => Some(*n as f64),
            Val::Float(f) => Some(*f),
            Val::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }
}

/// A Python integer literal (`1_024`, `0x400`, `0o2000`, `0b1`), in `base` when it has no prefix.
fn parse_int(text: &str, base: u32) -> Option<i128> {
    let t = text.trim().replace('_', "");
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = match lower.get(..2) {
        Some("0x") => (&lower[2..], 16),
        Some("0o") => (&lower[2..], 8),
        Some("0b") => (&lower[2..], 2),
        _ => (lower.as_str(), base),
    };
    let n = i128::from_str_radix(digits, radix).ok()?;
    Some(if neg { -n } else { n })
}

/// A string literal's content: the text without prefix and quotes.
fn unquote(text: &str) -> Option<&str> {
    let t = text.trim().trim_start_matches(['r', 'R', 'u', 'U', 'b', 'B']);
    ["\"\"\"", "'''", "\"", "'"].iter().find_map(|q| {
        (t.len() >= 2 * q.len() && t.starts_with(q) && t.ends_with(q)).then(|| &t[q.len()..t.len() - q.len()])
    })
}

/// The value of bound code: its literal, or `None` for code without one.
fn literal_value(text: &str) -> Option<Val> {
    let t = text.trim();
    if let Some(n) = parse_int(t, 10) {
        return Some(Val::Int(n));
    }
    if let Ok(f) = t.replace('_', "").parse::<f64>() {
        return Some(Val::Float(f));
    }
    match t {
        "True" => return Some(Val::Bool(true)),
        "False" => return Some(Val::Bool(false)),
        _ => {}
    }
    unquote(t).map(|s| Val::Str(s.to_string()))
}

/// Seconds since 1970-01-01 of a date `YYYY-MM-DD` (days from the civil calendar).
fn date_seconds(s: &str) -> Option<i128> {
    let date = s.trim().get(..10)?;
    let mut it = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(i128::from((era * 146_097 + doe - 719_468) * 86_400))
}

/// Today at 00:00 UTC, in seconds since 1970 (`None` where there is no clock: the browser's
/// wasm build).
fn today() -> Option<i128> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
        Some(i128::from(secs - secs % 86_400))
    }
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
}

impl Comparison {
    /// Compiles `comparison:` (with `$X` metavariables); `strip` is `metavariable:` when
    /// `strip: true`.
    pub fn new(text: &str, strip: Option<String>, base: Option<u32>) -> Result<Comparison, String> {
        let p = compile_pattern(text)?;
        let expr = p.expr().cloned().ok_or_else(|| "the comparison must be one expression".to_string())?;
        let base = base.unwrap_or(10);
        if !(2..=36).contains(&base) {
            return Err(format!("base {base} is not between 2 and 36"));
        }
        Ok(Comparison { expr, strip, base })
    }

    /// Does the comparison hold, with `bound(mv)` the text of the code `$mv` is bound to?
    pub fn holds<'t>(&self, bound: impl Fn(&str) -> Option<&'t str>) -> bool {
        self.eval(&self.expr, &bound, 0).is_some_and(|v| v.truthy())
    }

    fn metavar(&self, mv: &str, text: &str) -> Option<Val> {
        if self.strip.as_deref().and_then(|s| s.strip_prefix('$')) == Some(mv) {
            let inner = unquote(text).unwrap_or(text);
            return Some(parse_int(inner, self.base).map(Val::Int).or_else(|| literal_value(inner)).unwrap_or(Val::Str(inner.to_string())));
        }
        literal_value(text)
    }

    fn eval<'t>(&self, e: &Expr, bound: &impl Fn(&str) -> Option<&'t str>, d: u32) -> Option<Val> {
        if d > MAX_DEPTH {
            return None;
        }
        let ev = |x: &Expr| self.eval(x, bound, d + 1);
        Some(match &e.kind {
            ExprKind::Name(n) => {
                let mv = mv_name(n)?;
                self.metavar(mv, bound(mv)?)?
            }
            ExprKind::Number(n) => literal_value(n)?,
            ExprKind::Str(s) => Val::Str(s.to_string()),
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => Val::List(items.iter().map(ev).collect::<Option<_>>()?),
            ExprKind::UnaryOp { op, operand } => {
                let v = ev(operand)?;
                match op {
                    UnaryOp::Not => Val::Bool(!v.truthy()),
                    UnaryOp::USub => match v {
                        Val::Int(n) => Val::Int(-n),
                        other => Val::Float(-other.num()?),
                    },
                    UnaryOp::UAdd => v,
                    UnaryOp::Invert => match v {
                        Val::Int(n) => Val::Int(!n),
                        _ => return None,
                    },
                }
            }
            ExprKind::BoolOp { op, values } => {
                let mut last = Val::Bool(*op == BoolOp::And);
                for v in values {
                    last = ev(v)?;
                    if last.truthy() == (*op == BoolOp::Or) {
                        break;
                    }
                }
                last
            }
            ExprKind::BinOp { left, op, right } => arith(ev(left)?, *op, ev(right)?)?,
            ExprKind::Compare { left, ops, comparators } => {
                let mut l = ev(left)?;
                for (op, r) in ops.iter().zip(comparators.iter()) {
                    let r = ev(r)?;
                    if !compare(&l, *op, &r)? {
                        return Some(Val::Bool(false));
                    }
                    l = r;
                }
                Val::Bool(true)
            }
            ExprKind::Call { func, args, .. } => self.call(func, args, bound, d)?,
            _ => return None,
        })
    }

    /// `int(x)`, `str(x)`, `float(x)`, `len(x)`, `re.match(p, x)`, `today()`, `strptime(s)`.
    fn call<'t>(&self, func: &Expr, args: &[Expr], bound: &impl Fn(&str) -> Option<&'t str>, d: u32) -> Option<Val> {
        let name = match &func.kind {
            ExprKind::Name(n) => n.to_string(),
            ExprKind::Attribute { value, attr } => match &value.kind {
                ExprKind::Name(m) => format!("{m}.{}", attr.name),
                _ => return None,
            },
            _ => return None,
        };
        // `str($X)` is the code's text, whatever its value.
        let arg_text = |i: usize| -> Option<String> {
            match &args.get(i)?.kind {
                ExprKind::Name(n) if mv_name(n).is_some() => bound(mv_name(n)?).map(str::to_string),
                _ => match self.eval(args.get(i)?, bound, d + 1)? {
                    Val::Str(s) => Some(s),
                    Val::Int(n) => Some(n.to_string()),
                    Val::Float(f) => Some(f.to_string()),
                    Val::Bool(b) => Some(if b { "True" } else { "False" }.to_string()),
                    Val::List(_) => None,
                },
            }
        };
        Some(match (name.as_str(), args.len()) {
            ("str", 1) => Val::Str(arg_text(0)?),
            ("int", 1) => {
                let t = arg_text(0)?;
                Val::Int(parse_int(unquote(&t).unwrap_or(&t), self.base)?)
            }
            ("float", 1) => {
                let t = arg_text(0)?;
                Val::Float(unquote(&t).unwrap_or(&t).trim().parse().ok()?)
            }
            ("len", 1) => match self.eval(&args[0], bound, d + 1)? {
                Val::Str(s) => Val::Int(s.chars().count() as i128),
                Val::List(v) => Val::Int(v.len() as i128),
                _ => return None,
            },
            ("re.match", 2) => {
                let (pattern, text) = (arg_text(0)?, arg_text(1)?);
                let re = PcreRegex::new(&format!(r"\A(?:{pattern})")).ok()?;
                Val::Bool(re.is_match(&text))
            }
            ("today", 0) => Val::Int(today()?),
            ("strptime", 1) => Val::Int(date_seconds(&arg_text(0)?)?),
            _ => return None,
        })
    }
}

fn arith(l: Val, op: BinOp, r: Val) -> Option<Val> {
    if let (Val::Int(a), Val::Int(b)) = (&l, &r) {
        let (a, b) = (*a, *b);
        return Some(Val::Int(match op {
            BinOp::Add => a.checked_add(b)?,
            BinOp::Sub => a.checked_sub(b)?,
            BinOp::Mult => a.checked_mul(b)?,
            BinOp::FloorDiv => a.checked_div_euclid(b)?,
            BinOp::Mod => a.checked_rem_euclid(b)?,
            BinOp::Pow => a.checked_pow(u32::try_from(b).ok()?)?,
            BinOp::Div => return Some(Val::Float(a as f64 / b as f64)),
            _ => return None,
        }));
    }
    if let (BinOp::Add, Val::Str(a), Val::Str(b)) = (op, &l, &r) {
        return Some(Val::Str(format!("{a}{b}")));
    }
    let (a, b) = (l.num()?, r.num()?);
    Some(Val::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mult => a * b,
        BinOp::Div => a / b,
        _ => return None,
    }))
}

fn compare(l: &Val, op: CmpOp, r: &Val) -> Option<bool> {
    use std::cmp::Ordering;
    let ord = match (l, r) {
        (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
        _ => match (l.num(), r.num()) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
    };
    Some(match op {
        CmpOp::Eq | CmpOp::Is => ord == Some(Ordering::Equal) || l == r,
        CmpOp::NotEq | CmpOp::IsNot => !(ord == Some(Ordering::Equal) || l == r),
        CmpOp::Lt => ord? == Ordering::Less,
        CmpOp::LtE => ord? != Ordering::Greater,
        CmpOp::Gt => ord? == Ordering::Greater,
        CmpOp::GtE => ord? != Ordering::Less,
        CmpOp::In | CmpOp::NotIn => {
            let found = match r {
                Val::List(items) => items.iter().any(|i| compare(l, CmpOp::Eq, i) == Some(true)),
                Val::Str(s) => matches!(l, Val::Str(x) if s.contains(x.as_str())),
                _ => return None,
            };
            found == (op == CmpOp::In)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(cmp: &str, binds: &[(&str, &str)]) -> bool {
        let c = Comparison::new(cmp, None, None).unwrap_or_else(|e| panic!("{cmp}: {e}"));
        c.holds(|mv| binds.iter().find(|(n, _)| *n == mv).map(|(_, t)| *t))
    }

    #[test]
    fn semgrep_operators_on_bound_values() {
        assert!(holds("$SIZE < 2048", &[("SIZE", "1024")]));
        assert!(!holds("$SIZE < 2048", &[("SIZE", "4096")]));
        assert!(!holds("$SIZE < 2048", &[("SIZE", "os.getenv(\"K\")")]), "code without a value");
        assert!(holds("$A > 1 and $A <= 0x10 or $A == 99", &[("A", "16")]));
        assert!(holds("$P in [21, 23]", &[("P", "23")]) && holds("$P not in [21, 23]", &[("P", "22")]));
        assert!(holds("$X * 2 + 1 == 7 and not $X == 4", &[("X", "3")]));
        assert!(holds("$S == \"md5\"", &[("S", "'md5'")]));
        assert!(holds("1 < $N < 3", &[("N", "2")]) && !holds("1 < $N < 3", &[("N", "3")]));
    }

    #[test]
    fn int_str_and_re_match() {
        assert!(holds("int($P) == 8080", &[("P", "\"8080\"")]));
        assert!(holds("str($A) == str($B)", &[("A", "x"), ("B", "x")]));
        assert!(!holds("str($A) == str($B)", &[("A", "x"), ("B", "y")]));
        assert!(holds("re.match(\"^md\", str($H))", &[("H", "md5")]));
        assert!(!holds("re.match(\"^md\", str($H))", &[("H", "sha1")]));
        assert!(holds("len(str($K)) > 3", &[("K", "abcd")]));
    }

    #[test]
    fn strip_base_and_dates() {
        let c = Comparison::new("$V > 10", Some("$V".into()), None).expect("compiles");
        assert!(c.holds(|_| Some("'12'")) && !c.holds(|_| Some("'9'")));
        let c = Comparison::new("int($M) == 511", None, Some(8)).expect("compiles");
        assert!(c.holds(|_| Some("777")));
        assert_eq!(date_seconds("1970-01-02"), Some(86_400));
        assert!(holds("strptime(\"2020-01-01\") < today()", &[]));
        assert!(Comparison::new("$X <", None, None).is_err());
        assert!(Comparison::new("$X", None, Some(99)).is_err());
    }
}
