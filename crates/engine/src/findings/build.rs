//! A finding from a rule and the range (and metavariable bindings) it matched.

use crate::rules::RuleMeta;
use crate::syntax::ast::Span;
use crate::syntax::source::LineIndex;

use super::message::{interpolate, interpolate_message};
use super::fix::add_argument;
use super::snippet::{excerpt, Excerpt};
use super::Finding;

/// The finding rule `meta` reports for `span` of `src`, its message and fix filled in from the
/// metavariable `bindings`.
pub fn build(meta: &RuleMeta, span: Span, bindings: &[(&str, Span)], path: &str, src: &str, lines: &LineIndex<'_>) -> Finding {
    let (line, column) = lines.position(span.start);
    let (end_line, end_column) = lines.position(span.end);
    let Excerpt { snippet, region } = excerpt(src, lines, span.start, span.end);
    Finding {
        rule_id: meta.id.clone(),
        title: meta.title.clone(),
        severity: meta.severity,
        confidence: meta.confidence,
        cwe: meta.cwe,
        owasp: meta.owasp.clone(),
        path: path.to_string(),
        line,
        column,
        end_line,
        end_column,
        message: interpolate_message(&meta.message, bindings, src),
        snippet,
        region,
        fix: fix_text(meta, span, bindings, src),
        fix_edits: Vec::new(),
        family: meta.family.clone(),
        start_offset: span.start,
        end_offset: span.end,
        trace: Vec::new(),
        likelihood: meta.likelihood.clone(),
        impact: meta.impact.clone(),
        dependency: None,
    }
}

/// The replacement text for the matched range: the rule's `fix` with its metavariables, else
/// its `fix-regex` applied to the matched text, else its `fix-argument` added to the matched
/// call. `None` when none of them gives one.
fn fix_text(meta: &RuleMeta, span: Span, bindings: &[(&str, Span)], src: &str) -> Option<String> {
    if let Some(f) = &meta.fix {
        return Some(interpolate(f, bindings, src));
    }
    let matched = src.get(span.start as usize..span.end as usize)?;
    meta.fix_regex.as_ref().and_then(|fr| fr.apply(matched)).or_else(|| add_argument(matched, meta.fix_argument.as_deref()?))
}
