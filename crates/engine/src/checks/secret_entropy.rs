//! `secret-entropy`: a string literal of a credential's length and randomness assigned to a
//! name, keyword or dict key that says it is a secret (rules/secrets/secret-entropy.yaml).

use regex::Regex;
use std::sync::OnceLock;

use crate::syntax::ast::*;
use crate::matching::matcher::Match;
use crate::syntax::visitor::NodeObserver;

use super::{NativeCheck, Registered};

/// The check's entry in the registry (`checks/mod.rs`).
pub const REGISTERED: Registered = Registered { name: "secret-entropy", start: || Box::new(EntropyWalk::default()), needs: &[] };

fn secret_name() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(secret|token|api_?key|apikey|access_?key|private_?key|auth_?key|credential|signing_?key|client_?secret|webhook)")
            .expect("static regex")
    })
}

/// Token shapes that `hardcoded-api-token` reports with a more precise message.
fn known_shape() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_|xox[abprs]-|[sr]k_live_|-----BEGIN",
            r"|sk-ant-|sk-(proj|svcacct|admin)-|T3BlbkFJ|^sk-[A-Za-z0-9]{48}$|^hf_|^glpat-|^AIza|AccountKey=|^SK[0-9a-fA-F]{32}$|^SG\.|^npm_|^pypi-|^eyJ.*\.eyJ",
        ))
            .expect("static regex")
    })
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n as f64;
            -p * p.log2()
        })
        .sum()
}

/// The first test of `looks_like_secret`: credentials are 16 to 512 bytes long.
fn plausible_length(value: &str) -> bool {
    (16..=512).contains(&value.trim().len())
}

/// A literal that looks like a real credential rather than a placeholder, a word or a path.
pub fn looks_like_secret(value: &str) -> bool {
    let v = value.trim();
    if !plausible_length(v) || v.chars().any(char::is_whitespace) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    const PLACEHOLDERS: &[&str] = &["xxxx", "example", "changeme", "change-me", "your", "dummy", "placeholder", "<", "{", "${", "%s", "redacted", "test", "fake", "sample"];
    if PLACEHOLDERS.iter().any(|p| lower.contains(p)) || v.contains("://") || v.starts_with('/') {
        return false;
    }
    if known_shape().is_match(v) {
        return false;
    }
    let classes = [
        v.bytes().any(|b| b.is_ascii_lowercase()),
        v.bytes().any(|b| b.is_ascii_uppercase()),
        v.bytes().any(|b| b.is_ascii_digit()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    let is_hex = v.bytes().all(|b| b.is_ascii_hexdigit());
    let e = entropy(v);
    if is_hex {
        v.len() >= 32 && e >= 3.0
    } else {
        classes >= 2 && e >= 3.5
    }
}

fn target_name(e: &Expr) -> Option<(&str, Span)> {
    match &e.kind {
        ExprKind::Name(n) => Some((n.as_str(), e.span)),
        ExprKind::Attribute { attr, .. } => Some((attr.name.as_str(), attr.span)),
        ExprKind::Subscript { slice, .. } => match &slice.kind {
            ExprKind::Str(s) => Some((s.as_str(), slice.span)),
            _ => None,
        },
        _ => None,
    }
}

fn covered_elsewhere(name: &str) -> bool {
    // `SECRET_KEY` has framework-secret-key-literal; passwords have hardcoded-password.
    let l = name.to_ascii_lowercase();
    l == "secret_key" || l.contains("passw") || l == "pwd"
}

/// The secret-entropy check, node by node: the matcher's walk feeds it every statement and
/// expression (`Matcher::run_with`), so it costs no walk of its own.
#[derive(Debug, Default)]
pub struct EntropyWalk {
    out: Vec<Match<'static>>,
}

impl EntropyWalk {
    /// `value` assigned to `name`. Inlined, so that the common case (not a string literal
    /// of a credential's length) costs no call.
    #[inline]
    fn consider(&mut self, name: &str, name_span: Span, value: &Expr) {
        let ExprKind::Str(s) = &value.kind else { return };
        // The cheap length test of `looks_like_secret` first: most strings are short (and
        // trimming never makes a string longer).
        if s.len() >= 16 && plausible_length(s) {
            self.consider_string(name, name_span, s, value.span);
        }
    }

    #[inline(never)]
    fn consider_string(&mut self, name: &str, name_span: Span, s: &str, span: Span) {
        if !secret_name().is_match(name) || covered_elsewhere(name) || !looks_like_secret(s) {
            return;
        }
        self.out.push(Match { span, bindings: vec![("NAME", name_span)], pattern: None });
    }

    /// One expression, `depth` levels below its statement (its children are visited apart).
    /// Inlined into the matcher's walk: only calls and dicts hold assignments to names.
    #[inline]
    pub fn visit_expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Call { keywords, .. } if !keywords.is_empty() => {
                self.visit_keywords(keywords)
            }
            ExprKind::Dict(items) => self.visit_dict(items),
            _ => {}
        }
    }

    #[inline(never)]
    fn visit_keywords(&mut self, keywords: &[Keyword]) {
        for k in keywords {
            if let Some(arg) = &k.arg {
                self.consider(&arg.name, arg.span, &k.value);
            }
        }
    }

    #[inline(never)]
    fn visit_dict(&mut self, items: &[(Option<Expr>, Expr)]) {
        for (k, v) in items {
            if let Some(Expr { kind: ExprKind::Str(key), span }) = k {
                self.consider(key, *span, v);
            }
        }
    }

    /// One statement, before its expressions (its expressions and blocks are visited apart).
    /// Inlined into the matcher's walk, like [`EntropyWalk::visit_expr`].
    #[inline]
    pub fn visit_stmt(&mut self, s: &Stmt) {
        if matches!(
            s.kind,
            StmtKind::Assign { .. } | StmtKind::AnnAssign { value: Some(_), .. } | StmtKind::FunctionDef(_)
        ) {
            self.visit_assignments(s);
        }
    }

    #[inline(never)]
    fn visit_assignments(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                for t in targets {
                    if let Some((n, sp)) = target_name(t) {
                        self.consider(n, sp, value);
                    }
                }
            }
            StmtKind::AnnAssign { target, value: Some(value), .. } => {
                if let Some((n, sp)) = target_name(target) {
                    self.consider(n, sp, value);
                }
            }
            StmtKind::FunctionDef(def) => {
                for p in &def.params {
                    if let Some(d) = &p.default {
                        self.consider(&p.name.name, p.name.span, d);
                    }
                }
            }
            _ => {}
        }
    }
}

impl NativeCheck for EntropyWalk {
    fn finish(self: Box<Self>) -> Vec<Vec<Match<'static>>> {
        vec![self.out]
    }
}

impl NodeObserver for EntropyWalk {
    #[inline]
    fn stmt(&mut self, s: &Stmt) {
        self.visit_stmt(s);
    }

    #[inline]
    fn expr(&mut self, e: &Expr, _depth: u32) {
        self.visit_expr(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_separates_keys_from_words() {
        assert!(looks_like_secret("q8Fz2LmP0vXc7RtY1bNw4KsJ"));
        assert!(looks_like_secret("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        assert!(!looks_like_secret("not-a-secret-at-all"));
        assert!(!looks_like_secret("your-api-key-here-please"));
        assert!(!looks_like_secret("AKIAIOSFODNN7EXAMPL3"));
        assert!(!looks_like_secret("short"));
    }

    #[test]
    fn token_shapes_left_to_hardcoded_api_token() {
        // hardcoded-api-token reports these with a precise message; the entropy check stays quiet.
        assert!(!looks_like_secret("sk-ant-api03-q8Fz2LmP0vXc7RtY1bNw4KsJq8Fz2LmP0vXc7RtY"));
        assert!(!looks_like_secret("sk-proj-q8Fz2LmP0vXc7RtY1bNw4KsJq8Fz2LmP0vXc7RtY"));
        assert!(!looks_like_secret("SG.q8Fz2LmP0vXc7RtY1bNw4K.sJq8Fz2LmP0vXc7RtYq8Fz2LmP0vXc7RtY1bNw4KsJq8F"));
        assert!(!looks_like_secret("AIzaSyq8Fz2LmP0vXc7RtY1bNw4KsJq8Fz2LmP0"));
        assert!(looks_like_secret("Xq8Fz2LmP0vXc7RtY1bNw4KsJ"));
    }
}
