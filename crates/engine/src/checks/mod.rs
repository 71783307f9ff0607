//! Checks written in Rust, for what patterns cannot say. Each still has a `rules/` entry for
//! its metadata and docs (`metadata.pyward.native: <name>`).
//!
//! A native check observes the nodes of the matcher's walk (so it costs no walk of its own) and
//! hands over its matches at the end. Adding one is a file here plus one line in [`REGISTRY`].

pub mod app_setup;
pub mod django_settings;
pub mod facts;
pub mod hardcoded_pii;
pub mod route_heuristics;
pub mod secret_entropy;

use crate::matching::matcher::Match;
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::visitor::NodeObserver;

/// A native check in progress over one file.
pub trait NativeCheck: NodeObserver {
    /// The check's matches, once the walk is over.
    fn finish(self: Box<Self>) -> Vec<Match<'static>>;
}

/// A native check's name (as rules name it) and how to start it on a file.
pub struct Registered {
    pub name: &'static str,
    pub start: fn() -> Box<dyn NativeCheck>,
    /// Words of which a file must contain one (anywhere in its text) for the check to report
    /// anything there; empty when any file may. The check does not run in other files.
    pub needs: &'static [&'static str],
}

impl Registered {
    /// May the check report anything in a file with this text (see `needs`)?
    pub fn may_report(&self, src: &str) -> bool {
        self.needs.is_empty() || self.needs.iter().any(|w| memchr::memmem::find(src.as_bytes(), w.as_bytes()).is_some())
    }
}

/// Every native check.
pub const REGISTRY: &[Registered] = &[
    secret_entropy::REGISTERED,
    hardcoded_pii::REGISTERED,
    django_settings::SSL_REDIRECT,
    django_settings::HSTS,
    django_settings::SECURE_COOKIES,
    django_settings::PASSWORD_VALIDATORS,
    app_setup::FLASK_CSRF,
    app_setup::FLASK_HEADERS,
    app_setup::FLASK_HTTPS,
    app_setup::FLASK_MAX_CONTENT,
    app_setup::FASTAPI_MIDDLEWARE,
    route_heuristics::RATE_LIMIT,
    route_heuristics::SESSION_REGENERATION,
    route_heuristics::ADMIN_AUTH,
    route_heuristics::GET_STATE_CHANGE,
    route_heuristics::UNTYPED_BODY,
];

/// The names of every native check (for rule loading, which refuses others).
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|r| r.name).collect()
}

/// The native check called `name`.
pub fn find(name: &str) -> Option<&'static Registered> {
    REGISTRY.iter().find(|r| r.name == name)
}

/// Several native checks riding on one walk, each with the index of the rule it runs for.
#[derive(Default)]
pub struct Running {
    checks: Vec<(usize, Box<dyn NativeCheck>)>,
}

impl Running {
    /// Starts the check named `name` for rule `rule` on a file with text `src`, unless it can
    /// report nothing there; false when there is no such check.
    pub fn start(&mut self, rule: usize, name: &str, src: &str) -> bool {
        let Some(r) = find(name) else { return false };
        if r.may_report(src) {
            self.checks.push((rule, (r.start)()));
        }
        true
    }

    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// The matches of each check, with the index of its rule.
    pub fn finish(self) -> Vec<(usize, Vec<Match<'static>>)> {
        self.checks.into_iter().map(|(rule, c)| (rule, c.finish())).collect()
    }
}

impl NodeObserver for Running {
    fn stmt(&mut self, s: &Stmt) {
        for (_, c) in &mut self.checks {
            c.stmt(s);
        }
    }

    fn expr(&mut self, e: &Expr, depth: u32) {
        for (_, c) in &mut self.checks {
            c.expr(e, depth);
        }
    }
}
