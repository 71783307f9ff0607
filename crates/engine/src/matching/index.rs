//! Which patterns each node is offered to: the pattern index (by node kind, callee name,
//! attribute name, statement kind) and its restriction to the patterns active on one file.

use rustc_hash::FxHashMap as HashMap;

use super::shape::{attr_regex, attr_starts, callee_regex, last_segment, lone_mv_regex, plain_dotted, Base, CallShape, Shape};
use crate::rules::pattern::{mv_name, Pattern, PatternKind};
use crate::syntax::ast::*;

/// A small number per expression kind: the index's key for expression patterns.
pub(super) fn kind_tag(e: &ExprKind) -> u8 {
    match e {
        ExprKind::Name(_) => 0,
        ExprKind::Attribute { .. } => 1,
        ExprKind::Call { .. } => 2,
        ExprKind::Str(_) => 3,
        ExprKind::Bytes => 4,
        ExprKind::FString(_) => 5,
        ExprKind::Number(_) => 6,
        ExprKind::Bool(_) => 7,
        ExprKind::NoneLit => 8,
        ExprKind::Ellipsis => 9,
        ExprKind::BinOp { .. } => 10,
        ExprKind::UnaryOp { .. } => 11,
        ExprKind::BoolOp { .. } => 12,
        ExprKind::Compare { .. } => 13,
        ExprKind::List(_) => 14,
        ExprKind::Tuple(_) => 15,
        ExprKind::Set(_) => 16,
        ExprKind::Dict(_) => 17,
        ExprKind::Subscript { .. } => 18,
        ExprKind::Slice { .. } => 19,
        ExprKind::Lambda { .. } => 20,
        ExprKind::IfExp { .. } => 21,
        ExprKind::Comp { .. } => 22,
        ExprKind::DictComp { .. } => 23,
        ExprKind::Await(_) => 24,
        ExprKind::Yield(_) => 25,
        ExprKind::YieldFrom(_) => 26,
        ExprKind::Starred(_) => 27,
        ExprKind::Named { .. } => 28,
        ExprKind::Error => 29,
    }
}

/// The `stmt_tag` of `from ... import ...`.
const IMPORT_FROM_TAG: u8 = 16;

/// A small number per statement kind: the index's key for statement patterns.
pub(super) fn stmt_tag(s: &StmtKind) -> u8 {
    match s {
        StmtKind::Expr(_) => 0,
        StmtKind::Assign { .. } | StmtKind::AnnAssign { .. } => 1,
        StmtKind::AugAssign { .. } => 2,
        StmtKind::FunctionDef(_) => 3,
        StmtKind::ClassDef(_) => 4,
        StmtKind::Return(_) => 5,
        StmtKind::Delete(_) => 6,
        StmtKind::If { .. } => 7,
        StmtKind::For { .. } => 8,
        StmtKind::While { .. } => 9,
        StmtKind::With { .. } => 10,
        StmtKind::Match { .. } => 11,
        StmtKind::Raise { .. } => 12,
        StmtKind::Try { .. } => 13,
        StmtKind::Assert { .. } => 14,
        StmtKind::Import(_) => 15,
        StmtKind::ImportFrom { .. } => IMPORT_FROM_TAG,
        StmtKind::Global(_) => 17,
        StmtKind::Nonlocal(_) => 18,
        StmtKind::Pass => 19,
        StmtKind::Break => 20,
        StmtKind::Continue => 21,
        StmtKind::Other => 22,
    }
}

/// Number of distinct `kind_tag`s and `stmt_tag`s.
const EXPR_TAGS: usize = 30;
const STMT_TAGS: usize = 23;

/// Which patterns each node kind is offered to.
#[derive(Debug, Default)]
pub struct PatternIndex {
    /// Expression patterns offered every node of one kind (by `kind_tag`): patterns keyed by
    /// their root's kind, patterns whose root is a metavariable or `...` (in every list) and
    /// call patterns whose callee has no fixed name (in the `Call` list).
    pub(super) by_kind: Vec<Vec<usize>>,
    /// Call patterns by the last segment of the callee (`subprocess.run` -> `run`).
    pub(super) calls: HashMap<String, Vec<usize>>,
    /// Plain dotted name patterns by their last segment.
    pub(super) names: HashMap<String, Vec<usize>>,
    /// `X.$M(...)` call patterns (`X` a plain dotted name) by the last segment of `X`: only
    /// calls whose callee can stand for something under `X` are offered them (see
    /// [`Matcher::base_keys`]).
    pub(super) call_bases: HashMap<String, Vec<usize>>,
    /// `$X.attr` patterns (a metavariable somewhere in the value, a fixed attribute name) by
    /// the attribute name: offered to attributes of that name and to names bound to one.
    pub(super) attrs: HashMap<String, Vec<usize>>,
    /// Statement patterns by `stmt_tag`.
    pub(super) stmt: Vec<Vec<usize>>,
    /// Statement-sequence patterns.
    pub(super) seq: Vec<usize>,
    /// Call-shape prefilters of root call patterns, by pattern id.
    pub(super) shapes: Vec<Shape>,
    /// By pattern id: its gate (see `gates.rs`), empty if it has none. A pattern that is
    /// itself a gate has none (gates open in one step, before their patterns are retried).
    pub(super) gates: Vec<Vec<usize>>,
    /// By pattern id: is it some pattern's gate?
    pub(super) is_gate: Vec<bool>,
}

impl PatternIndex {
    /// Files every pattern under the node kinds and names it can match.
    pub fn build(patterns: &[Pattern]) -> Self {
        let mut idx = PatternIndex {
            by_kind: vec![Vec::new(); EXPR_TAGS],
            stmt: vec![Vec::new(); STMT_TAGS],
            shapes: Vec::with_capacity(patterns.len()),
            ..PatternIndex::default()
        };
        let mut any_expr = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            idx.shapes.push(match p.expr() {
                Some(e @ Expr { kind: ExprKind::Call { func, args, keywords }, .. }) => Shape {
                    call: Some(CallShape::of(func, args, keywords).constrained(e, &p.constraints)),
                    attr_starts: None,
                    base: None,
                    first: None,
                    names_only: false,
                    lone: None,
                    attr_regex: None,
                    callee_regex: callee_regex(e, &p.constraints),
                },
                Some(e) => {
                    let lone = lone_mv_regex(e, &p.constraints);
                    Shape {
                        call: None,
                        attr_starts: attr_starts(e, &p.constraints),
                        base: Base::of(e),
                        first: lone.and_then(|r| r.first),
                        names_only: lone.is_some_and(|r| r.names_only),
                        lone: lone.cloned(),
                        attr_regex: attr_regex(e, &p.constraints),
                        callee_regex: None,
                    }
                }
                None => Shape::default(),
            });
            match p.kind {
                PatternKind::Seq => idx.seq.push(id),
                PatternKind::Stmt => {
                    if let Some(s) = p.module.body.first() {
                        // `x = v` patterns also cover annotated assignments (same tag).
                        idx.stmt[stmt_tag(&s.kind) as usize].push(id);
                        if let StmtKind::Import(_) = s.kind {
                            // `import a.b` also matches `from a import b`.
                            idx.stmt[IMPORT_FROM_TAG as usize].push(id);
                        }
                    }
                }
                PatternKind::Expr => {
                    let Some(e) = p.expr() else { continue };
                    match &e.kind {
                        ExprKind::Name(n) if mv_name(n).is_some() => any_expr.push(id),
                        ExprKind::Ellipsis => any_expr.push(id),
                        ExprKind::Call { func, .. } => match plain_dotted(func) {
                            Some(d) => idx.calls.entry(last_segment(&d).to_string()).or_default().push(id),
                            None => match (&func.kind, Base::of(func)) {
                                (ExprKind::Attribute { attr, .. }, _) if mv_name(&attr.name).is_none() => {
                                    idx.calls.entry(attr.name.to_string()).or_default().push(id)
                                }
                                (_, Some(base)) => idx.call_bases.entry(base.last).or_default().push(id),
                                _ => idx.by_kind[kind_tag(&e.kind) as usize].push(id),
                            },
                        },
                        ExprKind::Name(_) | ExprKind::Attribute { .. } => match plain_dotted(e) {
                            Some(d) => idx.names.entry(last_segment(&d).to_string()).or_default().push(id),
                            None if matches!(&e.kind, ExprKind::Attribute { attr, .. } if mv_name(&attr.name).is_none()) => {
                                if let ExprKind::Attribute { attr, .. } = &e.kind {
                                    idx.attrs.entry(attr.name.to_string()).or_default().push(id);
                                }
                            }
                            None => {
                                // `ssl.$V` also matches a bare name imported from `ssl`.
                                idx.by_kind[kind_tag(&ExprKind::Name(IStr::default())) as usize].push(id);
                                idx.by_kind[kind_tag(&e.kind) as usize].push(id);
                            }
                        },
                        // `{...}` is any dict as well as a set; a string pattern also
                        // matches an f-string (`"..."` one without placeholders).
                        ExprKind::Set(items) if matches!(items.as_slice(), [only] if matches!(only.kind, ExprKind::Ellipsis)) => {
                            idx.by_kind[kind_tag(&e.kind) as usize].push(id);
                            idx.by_kind[kind_tag(&ExprKind::Dict(Vec::new())) as usize].push(id);
                        }
                        ExprKind::Str(_) => {
                            idx.by_kind[kind_tag(&e.kind) as usize].push(id);
                            idx.by_kind[kind_tag(&ExprKind::FString(Vec::new())) as usize].push(id);
                        }
                        other => idx.by_kind[kind_tag(other) as usize].push(id),
                    }
                }
            }
        }
        for list in &mut idx.by_kind {
            list.extend_from_slice(&any_expr);
            list.sort_unstable();
            list.dedup();
        }
        idx.is_gate = vec![false; patterns.len()];
        for g in patterns.iter().flat_map(|p| &p.gate) {
            if let Some(x) = idx.is_gate.get_mut(*g) {
                *x = true;
            }
        }
        idx.gates = patterns
            .iter()
            .enumerate()
            .map(|(id, p)| if idx.is_gate[id] || p.gate.iter().any(|g| *g >= patterns.len()) { Vec::new() } else { p.gate.clone() })
            .collect();
        idx
    }
}

/// The index restricted to the patterns that run on one file.
pub(super) struct Active {
    pub(super) by_kind: Vec<Vec<usize>>,
    pub(super) calls: bool,
    pub(super) names: bool,
    pub(super) call_bases: bool,
    pub(super) attrs: bool,
    pub(super) stmt: Vec<Vec<usize>>,
    pub(super) seq: Vec<usize>,
    /// Does any expression pattern run at all?
    pub(super) exprs: bool,
}

impl Active {
    /// The index's lists with only the patterns marked in `active`.
    pub(super) fn new(idx: &PatternIndex, active: &[bool]) -> Active {
        let on = |id: &usize| active.get(*id).copied().unwrap_or(false);
        let keep = |v: &Vec<usize>| v.iter().copied().filter(on).collect::<Vec<usize>>();
        let by_kind: Vec<Vec<usize>> = idx.by_kind.iter().map(keep).collect();
        let calls = idx.calls.values().any(|v| v.iter().any(on));
        let names = idx.names.values().any(|v| v.iter().any(on));
        let call_bases = idx.call_bases.values().any(|v| v.iter().any(on));
        let attrs = idx.attrs.values().any(|v| v.iter().any(on));
        let exprs = calls || names || call_bases || attrs || by_kind.iter().any(|v| !v.is_empty());
        Active {
            by_kind,
            calls,
            names,
            call_bases,
            attrs,
            stmt: idx.stmt.iter().map(keep).collect(),
            seq: keep(&idx.seq),
            exprs,
        }
    }

    /// Does no pattern run at all?
    pub(super) fn is_empty(&self) -> bool {
        !self.exprs && self.seq.is_empty() && self.stmt.iter().all(Vec::is_empty)
    }
}
