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
    /// Takes on the registered check `name` as well, answered from the facts this walk
    /// gathers anyway (the checks of one module gather the same facts for several rules);
    /// false when it cannot, and `name` gets a walk of its own.
    fn serve(&mut self, _name: &str) -> bool {
        false
    }

    /// The matches of each check the walk serves, once it is over: the one it was started
    /// for, then each one `serve` took on, in that order.
    fn finish(self: Box<Self>) -> Vec<Vec<Match<'static>>>;
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

/// Of a module's checks, `table`, the one registered as `name` (what a walk serving several
/// checks asks of it).
fn registered_as<W: Copy>(table: &[(&Registered, W)], name: &str) -> Option<W> {
    table.iter().find(|(r, _)| r.name == name).map(|(_, w)| *w)
}

/// The names of every native check (for rule loading, which refuses others).
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|r| r.name).collect()
}

/// The native check called `name`.
pub fn find(name: &str) -> Option<&'static Registered> {
    REGISTRY.iter().find(|r| r.name == name)
}

/// Several native checks riding on one walk, each with the indexes of the rules it runs for
/// (see [`NativeCheck::serve`]).
#[derive(Default)]
pub struct Running {
    checks: Vec<(Vec<usize>, Box<dyn NativeCheck>)>,
}

impl Running {
    /// Starts the check named `name` for rule `rule` on a file with text `src`, unless it can
    /// report nothing there, or a running check takes it on; false when there is no such check.
    pub fn start(&mut self, rule: usize, name: &str, src: &str) -> bool {
        let Some(r) = find(name) else { return false };
        if !r.may_report(src) {
            return true;
        }
        for (rules, c) in &mut self.checks {
            if c.serve(name) {
                rules.push(rule);
                return true;
            }
        }
        self.checks.push((vec![rule], (r.start)()));
        true
    }

    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// The matches of each check, with the index of its rule.
    pub fn finish(self) -> Vec<(usize, Vec<Match<'static>>)> {
        self.checks.into_iter().flat_map(|(rules, c)| rules.into_iter().zip(c.finish())).collect()
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::syntax::ast::Span;
    use crate::syntax::parse::parse_module;
    use crate::syntax::visitor::{walk_body, Descend, Visitor};

    /// Shows every statement and expression to a check, as the matcher's walk does.
    pub(crate) struct Drive<'r, O: NodeObserver>(pub &'r mut O);
    impl<'a, O: NodeObserver> Visitor<'a> for Drive<'_, O> {
        fn enter_stmt(&mut self, s: &'a Stmt, _d: u32) -> Descend {
            self.0.stmt(s);
            Descend::Yes
        }
        fn enter_expr(&mut self, e: &'a Expr, d: u32) -> Descend {
            self.0.expr(e, d);
            Descend::Yes
        }
    }

    /// The spans each rule's check found, with `names[i]` run for rule `i`: all in one
    /// `Running`, or each in its own.
    fn run(src: &str, names: &[&str], together: bool) -> (usize, Vec<(usize, Vec<Span>)>) {
        let module = parse_module(src).module;
        let mut runs: Vec<Running> = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if together && !runs.is_empty() {
                assert!(runs[0].start(i, n, src));
            } else {
                let mut r = Running::default();
                assert!(r.start(i, n, src));
                runs.push(r);
            }
        }
        let walks = runs.iter().map(|r| r.checks.len()).sum();
        let mut out = Vec::new();
        for mut r in runs {
            walk_body(&mut Drive(&mut r), &module.body, 0);
            out.extend(r.finish().into_iter().map(|(i, ms)| (i, ms.iter().map(|m| m.span).collect::<Vec<_>>())));
        }
        out.sort_by_key(|(i, _)| *i);
        (walks, out)
    }

    #[test]
    fn checks_of_one_module_share_a_walk_and_keep_their_own_findings() {
        let src = "from flask import Flask, request, session\nimport os\napp = Flask(__name__)\n\n\
@app.route('/login', methods=['POST'])\ndef login():\n    password = request.form['password']\n    session['user_id'] = 1\n    return 'ok'\n\n\
@app.route('/admin/purge')\ndef admin_purge():\n    os.remove(request.args['p'])\n    return 'gone'\n\n\
@app.route('/me')\n@login_required\ndef me():\n    return 'me'\n\n\
INSTALLED_APPS = []\nMIDDLEWARE = []\nSECURE_HSTS_SECONDS = 0\n";
        let names: Vec<&str> = REGISTRY.iter().map(|r| r.name).collect();
        let (alone_walks, alone) = run(src, &names, false);
        let (shared_walks, shared) = run(src, &names, true);
        assert_eq!(shared, alone, "a shared walk finds what separate walks find, rule by rule");
        // Route, application and settings checks each share one walk; the others run alone.
        assert_eq!(alone_walks, names.len() - 1, "only the FastAPI check needs a word this file lacks");
        assert_eq!(shared_walks, 5, "entropy, PII, settings, application and route walks");
        // Every family reported something here, so the comparison is not between empty lists.
        let found: Vec<&str> = shared.iter().filter(|(_, s)| !s.is_empty()).map(|(i, _)| names[*i]).collect();
        for n in ["rate-limit", "session-regeneration", "admin-auth", "get-state-change", "flask-csrf", "flask-https", "django-ssl-redirect", "django-hsts"] {
            assert!(found.contains(&n), "{n} found nothing: {found:?}");
        }
    }
}
