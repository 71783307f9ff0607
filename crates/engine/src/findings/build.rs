//! A finding from a rule and the range (and metavariable bindings) it matched.

use crate::rules::RuleMeta;
use crate::syntax::ast::Span;
use crate::syntax::source::LineIndex;

use super::message::{interpolate, interpolate_message};
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
        fix: match (&meta.fix, &meta.fix_regex) {
            (Some(f), _) => Some(interpolate(f, bindings, src)),
            (None, Some(fr)) => src.get(span.start as usize..span.end as usize).and_then(|t| fr.apply(t)),
            (None, None) => None,
        },
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
