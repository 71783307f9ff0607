//! Heuristics over the views of a web application (Flask, FastAPI and Django function views):
//!
//! - `rate-limit`: a login, sign-in or token view with no rate-limit decorator, in a file with
//!   no application-wide default limit;
//! - `session-regeneration`: a login view that writes the session or calls `login_user` without
//!   first clearing or cycling the session (Django's `login()` cycles it and is not reported);
//! - `admin-auth`: an `/admin` view without the authentication decorator the file's other
//!   views use;
//! - `get-state-change`: a view reachable by GET that deletes, commits or removes files,
//!   unless it looks at `request.method` (reported on the view's name, naming the call);
//! - `untyped-body`: a FastAPI body parameter typed `dict`, or `await request.json()`, instead
//!   of a Pydantic model.
//!
//! A view is a function with a route decorator (`@app.route`, `@app.get`, `@router.post`...)
//! or a module-level function whose first parameter is `request` (Django).

use regex::Regex;
use std::sync::OnceLock;

use crate::matching::matcher::Match;
use crate::syntax::ast::*;
use crate::syntax::visitor::NodeObserver;

use super::facts::{decorator_name, dotted, keyword, last_segment, str_value, Mentions};
use super::{NativeCheck, Registered};

/// `login-rate-limit-missing`'s check.
pub const RATE_LIMIT: Registered = Registered { name: "rate-limit", start: || ViewWalk::start(Want::RateLimit), needs: &[] };
/// `session-not-regenerated-on-login`'s check.
pub const SESSION_REGENERATION: Registered =
    Registered { name: "session-regeneration", start: || ViewWalk::start(Want::SessionRegeneration), needs: &[] };
/// `admin-route-without-auth`'s check.
pub const ADMIN_AUTH: Registered = Registered { name: "admin-auth", start: || ViewWalk::start(Want::AdminAuth), needs: &[] };
/// `state-change-on-get`'s check.
pub const GET_STATE_CHANGE: Registered =
    Registered { name: "get-state-change", start: || ViewWalk::start(Want::GetStateChange), needs: &[] };
/// `fastapi-untyped-request-body`'s check.
pub const UNTYPED_BODY: Registered = Registered { name: "untyped-body", start: || ViewWalk::start(Want::UntypedBody), needs: &[] };

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    RateLimit,
    SessionRegeneration,
    AdminAuth,
    GetStateChange,
    UntypedBody,
}

impl Want {
    /// The check registered as `name`, if it is one of this module's.
    fn named(name: &str) -> Option<Want> {
        let table = [
            (&RATE_LIMIT, Want::RateLimit),
            (&SESSION_REGENERATION, Want::SessionRegeneration),
            (&ADMIN_AUTH, Want::AdminAuth),
            (&GET_STATE_CHANGE, Want::GetStateChange),
            (&UNTYPED_BODY, Want::UntypedBody),
        ];
        super::registered_as(&table, name)
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("static regex"))
}

/// Paths and names of login and token views.
fn login_like() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)log_?-?in|sign_?-?in|token|authenticate|/auth(?:/|$)")
}

/// Names and strings that show a view handles credentials.
fn credential_like() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)passw|passwd|pwd|credential|PasswordRequestForm|check_password|verify_password|authenticate|login_user|access_token|api_key")
}

/// Session keys that record who is logged in.
fn identity_key() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)user|uid|account|logged|auth|member|customer|principal|_id$|^id$")
}

/// Decorators that authenticate the caller.
fn auth_decorator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)login|auth|jwt|token_required|permission|roles?_|_roles?$|admin_required|staff|superuser|user_passes_test|requires?_|protect")
}

/// Decorators that limit the request rate.
fn limit_decorator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)limit|throttle")
}

/// Dependencies (FastAPI `Depends(...)`) that authenticate the caller.
fn auth_dependency() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?i)user|auth|admin|token|login|verify|principal|session")
}

/// Calls that change state (by last segment), and callees that do.
const STATE_CALLS: &[&str] = &["delete", "delete_one", "delete_many", "commit", "drop", "truncate", "rmtree", "unlink", "rmdir"];
const STATE_CALLEES: &[&str] = &["os.remove", "os.unlink", "os.rmdir", "shutil.rmtree", "shutil.move"];
/// Receivers whose `delete` is an outgoing HTTP request, not a change here.
const HTTP_CLIENTS: &[&str] = &["requests", "httpx", "client", "session.http", "aiohttp"];
/// Calls that give a session a new identifier or empty it.
const SESSION_RESETS: &[&str] = &["clear", "cycle_key", "regenerate", "invalidate", "flush", "rotate", "regenerate_id"];
/// Identifiers that show a view checks who the user is in its body.
const AUTH_IN_BODY: &[&str] =
    &["current_user", "is_authenticated", "is_admin", "is_staff", "is_superuser", "has_role", "has_permission", "has_perm"];

/// One view: how it is routed and what its body does.
struct View<'a> {
    def: &'a FunctionDef,
    path: Option<String>,
    /// Methods the view answers; `None` when unknown (a Django view).
    methods: Option<Vec<String>>,
    routed: bool,
}

impl<'a> View<'a> {
    /// The view `def` is, if it is one (`module_level`: a Django view needs it).
    fn of(def: &'a FunctionDef, module_level: bool) -> Option<View<'a>> {
        let mut view = View { def, path: None, methods: None, routed: false };
        for d in &def.decorators {
            view.decorator(d);
        }
        let django = module_level && def.params.first().is_some_and(|p| p.name.name == "request");
        (view.routed || django).then_some(view)
    }

    fn decorator(&mut self, d: &Expr) {
        let ExprKind::Call { func, args, keywords } = &d.kind else { return };
        let name = last_segment(func).unwrap_or_default();
        let attr = matches!(func.kind, ExprKind::Attribute { .. });
        let methods = |v: Option<&Expr>| match v.map(|e| &e.kind) {
            Some(ExprKind::List(items) | ExprKind::Tuple(items)) => {
                Some(items.iter().filter_map(str_value).map(|m| m.to_ascii_uppercase()).collect::<Vec<_>>())
            }
            _ => None,
        };
        match name {
            "route" | "api_route" if attr => {
                self.routed = true;
                self.methods = Some(methods(keyword(keywords, "methods")).unwrap_or_else(|| vec!["GET".into()]));
            }
            "get" | "post" | "put" | "patch" | "delete" if attr => {
                self.routed = true;
                self.methods = Some(vec![name.to_ascii_uppercase()]);
            }
            "require_http_methods" | "api_view" => self.methods = methods(args.first()),
            _ => return,
        }
        let path = args.first().or_else(|| keyword(keywords, "rule")).or_else(|| keyword(keywords, "path"));
        if let Some(p) = path.and_then(str_value) {
            self.path = Some(p.to_string());
        }
    }

    fn decorator_names(&self) -> impl Iterator<Item = &str> {
        self.def.decorators.iter().filter_map(decorator_name)
    }

    fn answers_get(&self) -> bool {
        let safe = self.decorator_names().any(|n| n == "require_GET" || n == "require_safe");
        safe || self.methods.as_ref().is_some_and(|m| m.iter().any(|x| x == "GET"))
    }

    /// Whether a decorator, or a FastAPI dependency, authenticates the caller.
    fn authenticated(&self) -> bool {
        if self.decorator_names().any(|n| auth_decorator().is_match(n)) {
            return true;
        }
        let dependency = |e: &Expr| {
            Mentions::of_expr(e).calls.iter().any(|c| {
                matches!(c.name, "Depends" | "Security") && c.first_name().is_some_and(|n| auth_dependency().is_match(&n))
            })
        };
        let in_params = self.def.params.iter().filter_map(|p| p.default.as_ref()).any(dependency);
        in_params || self.def.decorators.iter().any(dependency)
    }

    /// Whether the view may answer a method other than GET and HEAD (unknown counts as yes).
    fn may_write(&self) -> bool {
        self.methods.as_ref().is_none_or(|m| m.iter().any(|x| x != "GET" && x != "HEAD"))
    }

    /// Whether the view's parameters or body (whose mentions `body` gives) mention a
    /// password, a credential or a token.
    fn handles_credentials<'m>(&self, body: impl FnOnce() -> &'m Mentions<'a>) -> bool
    where
        'a: 'm, {
        let params = self.def.params.iter().any(|p| {
            credential_like().is_match(&p.name.name)
                || p.annotation.as_ref().and_then(dotted).is_some_and(|a| credential_like().is_match(&a))
        });
        params || {
            let body = body();
            body.idents.iter().any(|i| credential_like().is_match(i)) || body.strings.iter().any(|t| credential_like().is_match(t))
        }
    }

    fn names_login(&self) -> bool {
        login_like().is_match(&self.def.name.name) || self.path.as_deref().is_some_and(|p| login_like().is_match(p))
    }

    fn is_admin(&self) -> bool {
        let path = self.path.as_deref().is_some_and(|p| p.to_ascii_lowercase().contains("/admin"));
        path || self.def.name.name.to_ascii_lowercase().starts_with("admin")
    }
}

/// The walk over one file: its views, in order, and what the file as a whole sets up. One walk
/// serves every check of this module: each view is looked at once, its body's mentions
/// gathered at most once.
pub struct ViewWalk {
    /// By check served: what it asks for and what it found so far.
    wants: Vec<(Want, Vec<Match<'static>>)>,
    /// Views that need the file's other views to judge them (admin views).
    admin_candidates: Vec<Span>,
    any_view_authenticated: bool,
    default_limits: bool,
    /// Function bodies entered so far but not left (to tell module-level functions).
    open_functions: Vec<Span>,
}

impl ViewWalk {
    fn start(want: Want) -> Box<dyn NativeCheck> {
        Box::new(ViewWalk {
            wants: vec![(want, Vec::new())],
            admin_candidates: Vec::new(),
            any_view_authenticated: false,
            default_limits: false,
            open_functions: Vec::new(),
        })
    }

    fn view(&mut self, v: &View) {
        let mentions = std::cell::OnceCell::new();
        let body = || mentions.get_or_init(|| Mentions::of_body(&v.def.body));
        // Only the admin check asks whether views authenticate.
        let authenticated = self.wants.iter().any(|(w, _)| *w == Want::AdminAuth) && v.authenticated();
        self.any_view_authenticated |= authenticated;
        for (want, out) in &mut self.wants {
            match want {
                Want::RateLimit => {
                    let limited = v.decorator_names().any(|n| limit_decorator().is_match(n) && !n.contains("exempt"));
                    if v.names_login() && v.may_write() && !limited && v.handles_credentials(body) {
                        out.push(Match::at(v.def.name.span));
                    }
                }
                Want::SessionRegeneration => out.extend(session_regeneration(v, body).map(Match::at)),
                // The body is read only for an admin view without an authenticating decorator.
                Want::AdminAuth => {
                    if v.is_admin() && !authenticated && !AUTH_IN_BODY.iter().any(|n| body().has_ident(n)) {
                        self.admin_candidates.push(v.def.name.span);
                    }
                }
                Want::GetStateChange => out.extend(state_change(v, body)),
                Want::UntypedBody => out.extend(untyped_body(v, body).into_iter().map(Match::at)),
            }
        }
    }

    fn limiter(&mut self, func: &Expr, keywords: &[Keyword]) {
        if last_segment(func) == Some("Limiter")
            && ["default_limits", "application_limits"].iter().any(|k| keyword(keywords, k).is_some())
        {
            self.default_limits = true;
        }
    }
}

/// A login view that records who is logged in without a new session: where it does.
fn session_regeneration<'m, 'a: 'm>(v: &View<'a>, body: impl FnOnce() -> &'m Mentions<'a>) -> Option<Span> {
    if !v.names_login() {
        return None;
    }
    let body = body();
    let reset = body.calls.iter().any(|c| SESSION_RESETS.contains(&c.name) && c.callee().contains("session"));
    let django_login = body.calls.iter().any(|c| {
        matches!(c.name, "login" | "auth_login" | "django_login") && c.first_name().as_deref() == Some("request")
    });
    if reset || django_login {
        return None;
    }
    let login_user = body.call_named(&["login_user"]).map(|c| c.span);
    let identity = body
        .session_writes
        .iter()
        .find(|(_, key)| key.is_none_or(|k| identity_key().is_match(k)))
        .map(|(span, _)| *span);
    identity.into_iter().chain(login_user).min_by_key(|s| s.start)
}

/// A view reachable by GET that changes state: the finding on its name, naming the call.
fn state_change<'m, 'a: 'm>(v: &View<'a>, body: impl FnOnce() -> &'m Mentions<'a>) -> Option<Match<'static>> {
    if !v.answers_get() {
        return None;
    }
    let body = body();
    if body.has_ident("method") {
        return None;
    }
    let dml = |c: &super::facts::CallSite| {
        c.name == "execute"
            && c.first_str().is_some_and(|q| {
                let q = q.trim_start();
                ["DELETE", "UPDATE", "INSERT", "DROP"].iter().any(|k| q.get(..k.len()).is_some_and(|p| p.eq_ignore_ascii_case(k)))
            })
    };
    let change = body.calls.iter().find(|c| {
        let state_call = STATE_CALLS.contains(&c.name) && c.method;
        // The dotted callee is only spelled out for a call whose last segment may change state.
        let callee = (state_call || STATE_CALLEES.iter().any(|s| s.rsplit('.').next() == Some(c.name))).then(|| c.callee());
        let client = |callee: &str| {
            let receiver = callee.rsplit_once('.').map(|(r, _)| r).unwrap_or_default();
            HTTP_CLIENTS.iter().any(|h| receiver == *h || receiver.ends_with(&format!(".{h}")))
        };
        (state_call && callee.as_deref().is_some_and(|c| !client(c)))
            || callee.as_deref().is_some_and(|c| STATE_CALLEES.contains(&c))
            || dml(c)
    });
    change.map(|c| Match { span: v.def.name.span, bindings: vec![("CALL", c.span)], pattern: None })
}

/// A routed view with a `dict` body parameter, or that reads `await request.json()`: where.
fn untyped_body<'m, 'a: 'm>(v: &View<'a>, body: impl FnOnce() -> &'m Mentions<'a>) -> Vec<Span> {
    if !v.routed {
        return Vec::new();
    }
    let is_dict = |e: &Expr| {
        let head = match &e.kind {
            ExprKind::Subscript { value, .. } => value.as_ref(),
            _ => e,
        };
        matches!(dotted(head).as_deref(), Some("dict" | "Dict" | "typing.Dict"))
    };
    let mut out: Vec<Span> = v.def.params.iter().filter(|p| p.annotation.as_ref().is_some_and(is_dict)).map(|p| p.span).collect();
    let requests: Vec<&str> = v
        .def
        .params
        .iter()
        .filter(|p| p.annotation.as_ref().and_then(last_segment) == Some("Request"))
        .map(|p| p.name.name.as_str())
        .collect();
    if requests.is_empty() {
        return out;
    }
    for c in &body().calls {
        if c.name == "json" && c.callee().rsplit_once('.').is_some_and(|(r, _)| requests.contains(&r)) {
            out.push(c.span);
        }
    }
    out
}

impl NodeObserver for ViewWalk {
    fn stmt(&mut self, s: &Stmt) {
        self.open_functions.retain(|f| f.end > s.span.start);
        if let StmtKind::FunctionDef(def) = &s.kind {
            if let Some(v) = View::of(def, self.open_functions.is_empty()) {
                self.view(&v);
            }
            self.open_functions.push(s.span);
        }
    }

    fn expr(&mut self, e: &Expr, _depth: u32) {
        if let ExprKind::Call { func, keywords, .. } = &e.kind {
            self.limiter(func, keywords);
        }
    }
}

impl NativeCheck for ViewWalk {
    fn serve(&mut self, name: &str) -> bool {
        Want::named(name).map(|w| self.wants.push((w, Vec::new()))).is_some()
    }

    fn finish(self: Box<Self>) -> Vec<Vec<Match<'static>>> {
        let walk = *self;
        let (default_limits, authenticated) = (walk.default_limits, walk.any_view_authenticated);
        let admin = walk.admin_candidates;
        walk.wants
            .into_iter()
            .map(|(want, out)| match want {
                Want::RateLimit if default_limits => Vec::new(),
                Want::AdminAuth if authenticated => admin.iter().copied().map(Match::at).collect(),
                _ => out,
            })
            .collect()
    }
}
