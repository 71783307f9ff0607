//! Protections missing from a Flask or FastAPI application file, reported on the call that
//! creates the application (`app = Flask(__name__)`), where the protection is to be added:
//!
//! - `flask-csrf`: POST/PUT/PATCH/DELETE routes that read `request.form`, and no
//!   `CSRFProtect`, SeaSurf or Flask-WTF form in the file;
//! - `flask-security-headers`: routes, and neither Talisman nor a security header set by hand;
//! - `flask-https`: routes, and nothing that enforces HTTPS (Talisman without
//!   `force_https=False`, SSLify, a redirect on `request.is_secure`, `ssl_context=`);
//! - `flask-max-content-length`: `request.files` read, no `MAX_CONTENT_LENGTH`, and no
//!   configuration loaded from elsewhere (`from_object`, `from_pyfile`...);
//! - `fastapi-production-middleware`: a FastAPI application configured for production (docs
//!   turned off, or "production" named in the file) without `HTTPSRedirectMiddleware` or
//!   without `TrustedHostMiddleware`.

use crate::matching::matcher::Match;
use crate::syntax::ast::*;
use crate::syntax::visitor::NodeObserver;

use super::facts::{is_dotted, keyword, last_segment, str_value};
use super::{NativeCheck, Registered};

/// `flask-csrf-protection-missing`'s check.
pub const FLASK_CSRF: Registered = Registered { name: "flask-csrf", start: || AppWalk::start(Want::FlaskCsrf), needs: &["Flask"] };
/// `flask-security-headers-missing`'s check.
pub const FLASK_HEADERS: Registered =
    Registered { name: "flask-security-headers", start: || AppWalk::start(Want::FlaskHeaders), needs: &["Flask"] };
/// `flask-https-not-enforced`'s check.
pub const FLASK_HTTPS: Registered = Registered { name: "flask-https", start: || AppWalk::start(Want::FlaskHttps), needs: &["Flask"] };
/// `flask-max-content-length-missing`'s check.
pub const FLASK_MAX_CONTENT: Registered =
    Registered { name: "flask-max-content-length", start: || AppWalk::start(Want::FlaskMaxContent), needs: &["Flask"] };
/// `fastapi-production-middleware-missing`'s check.
pub const FASTAPI_MIDDLEWARE: Registered = Registered {
    name: "fastapi-production-middleware",
    start: || AppWalk::start(Want::FastapiMiddleware),
    needs: &["FastAPI"],
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    FlaskCsrf,
    FlaskHeaders,
    FlaskHttps,
    FlaskMaxContent,
    FastapiMiddleware,
}

impl Want {
    /// The check registered as `name`, if it is one of this module's.
    fn named(name: &str) -> Option<Want> {
        let table = [
            (&FLASK_CSRF, Want::FlaskCsrf),
            (&FLASK_HEADERS, Want::FlaskHeaders),
            (&FLASK_HTTPS, Want::FlaskHttps),
            (&FLASK_MAX_CONTENT, Want::FlaskMaxContent),
            (&FASTAPI_MIDDLEWARE, Want::FastapiMiddleware),
        ];
        super::registered_as(&table, name)
    }
}

/// Header names whose presence in the file shows that security headers are set by hand.
const SECURITY_HEADERS: &[&str] =
    &["content-security-policy", "strict-transport-security", "x-frame-options", "x-content-type-options"];
/// Names that mean CSRF tokens are checked.
const CSRF_NAMES: &[&str] = &["CSRFProtect", "SeaSurf", "FlaskForm", "csrf_protect", "validate_csrf"];
/// Configuration loaded from another file or the environment, which may set anything.
const EXTERNAL_CONFIG: &[&str] = &["from_object", "from_pyfile", "from_envvar", "from_file", "from_prefixed_env"];
/// HTTP methods that change state.
const WRITE_METHODS: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];

/// What the walk learnt about the file.
#[derive(Debug, Default)]
struct Facts {
    flask_app: Option<Span>,
    fastapi_app: Option<Span>,
    routes: bool,
    write_routes: bool,
    reads_form: bool,
    reads_files: bool,
    csrf: bool,
    talisman: bool,
    talisman_no_https: bool,
    headers_by_hand: bool,
    https_other: bool,
    max_content: bool,
    external_config: bool,
    production: bool,
    https_redirect_mw: bool,
    trusted_host_mw: bool,
}

/// The walk over one file: the facts are the same for every check, so one walk serves all
/// of them.
#[derive(Debug)]
pub struct AppWalk {
    wants: Vec<Want>,
    f: Facts,
}

impl AppWalk {
    fn start(want: Want) -> Box<dyn NativeCheck> {
        Box::new(AppWalk { wants: vec![want], f: Facts::default() })
    }

    fn call(&mut self, e: &Expr, func: &Expr, keywords: &[Keyword]) {
        let name = last_segment(func).unwrap_or_default();
        match name {
            "Flask" => {
                self.f.flask_app.get_or_insert(e.span);
            }
            "FastAPI" => {
                self.f.fastapi_app.get_or_insert(e.span);
                let docs_off = ["docs_url", "openapi_url", "redoc_url"]
                    .iter()
                    .any(|k| keyword(keywords, k).is_some_and(|v| matches!(v.kind, ExprKind::NoneLit)));
                self.f.production |= docs_off;
            }
            "Talisman" => {
                self.f.talisman = true;
                self.f.talisman_no_https |=
                    keyword(keywords, "force_https").is_some_and(|v| matches!(v.kind, ExprKind::Bool(false)));
            }
            _ => {}
        }
        if EXTERNAL_CONFIG.contains(&name) {
            self.f.external_config = true;
        }
        if keyword(keywords, "MAX_CONTENT_LENGTH").is_some() {
            self.f.max_content = true;
        }
        if keyword(keywords, "ssl_context").is_some() {
            self.f.https_other = true;
        }
    }

    fn decorator(&mut self, d: &Expr) {
        let ExprKind::Call { func, keywords, .. } = &d.kind else { return };
        let Some(method) = last_segment(func) else { return };
        if !matches!(func.kind, ExprKind::Attribute { .. }) {
            return;
        }
        match method {
            "route" | "api_route" => {
                self.f.routes = true;
                if let Some(ExprKind::List(items) | ExprKind::Tuple(items)) = keyword(keywords, "methods").map(|m| &m.kind) {
                    let writes = items.iter().filter_map(str_value).any(|m| WRITE_METHODS.contains(&m.to_ascii_uppercase().as_str()));
                    self.f.write_routes |= writes;
                }
            }
            "get" => self.f.routes = true,
            "post" | "put" | "patch" | "delete" => {
                self.f.routes = true;
                self.f.write_routes = true;
            }
            _ => {}
        }
    }

    fn ident(&mut self, name: &str) {
        match name {
            "HTTPSRedirectMiddleware" => self.f.https_redirect_mw = true,
            "TrustedHostMiddleware" => self.f.trusted_host_mw = true,
            "SSLify" | "is_secure" => self.f.https_other = true,
            "MAX_CONTENT_LENGTH" | "max_content_length" => self.f.max_content = true,
            _ => {}
        }
        if CSRF_NAMES.contains(&name) || name.eq_ignore_ascii_case("csrf") {
            self.f.csrf = true;
        }
        if name.len() >= 10 && name.as_bytes().windows(10).any(|w| w.eq_ignore_ascii_case(b"production")) {
            self.f.production = true;
        }
    }

    fn string(&mut self, s: &str) {
        self.f.headers_by_hand |= SECURITY_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(s));
        self.f.production |= s.eq_ignore_ascii_case("production") || s.eq_ignore_ascii_case("prod");
        self.f.max_content |= s == "MAX_CONTENT_LENGTH";
    }

    fn request_attribute(&mut self, value: &Expr, attr: &str) {
        // `request.form`, `flask.request.files`...: a dotted name whose last segment is `request`.
        if matches!(attr, "form" | "files") && last_segment(value) == Some("request") && is_dotted(value) {
            self.f.reads_form |= attr == "form";
            self.f.reads_files |= attr == "files";
        }
    }

    fn report(&self, want: Want) -> Option<Span> {
        let f = &self.f;
        match want {
            Want::FlaskCsrf => (f.write_routes && f.reads_form && !f.csrf).then_some(f.flask_app?),
            Want::FlaskHeaders => (f.routes && !f.talisman && !f.headers_by_hand).then_some(f.flask_app?),
            Want::FlaskHttps => {
                let enforced = (f.talisman && !f.talisman_no_https) || f.https_other;
                (f.routes && !enforced).then_some(f.flask_app?)
            }
            Want::FlaskMaxContent => {
                (f.reads_files && !f.max_content && !f.external_config).then_some(f.flask_app?)
            }
            Want::FastapiMiddleware => {
                (f.production && !(f.https_redirect_mw && f.trusted_host_mw)).then_some(f.fastapi_app?)
            }
        }
    }
}

impl NodeObserver for AppWalk {
    fn stmt(&mut self, s: &Stmt) {
        if let StmtKind::FunctionDef(def) = &s.kind {
            def.decorators.iter().for_each(|d| self.decorator(d));
        }
    }

    fn expr(&mut self, e: &Expr, _depth: u32) {
        match &e.kind {
            ExprKind::Call { func, keywords, .. } => self.call(e, func, keywords),
            ExprKind::Name(n) => self.ident(n.as_str()),
            ExprKind::Attribute { value, attr } => {
                self.ident(attr.name.as_str());
                self.request_attribute(value, attr.name.as_str());
            }
            ExprKind::Str(s) if s.len() < 64 => self.string(s.as_str()),
            _ => {}
        }
    }
}

impl NativeCheck for AppWalk {
    fn serve(&mut self, name: &str) -> bool {
        Want::named(name).map(|w| self.wants.push(w)).is_some()
    }

    fn finish(self: Box<Self>) -> Vec<Vec<Match<'static>>> {
        let one = |w: &Want| self.report(*w).map(Match::at).into_iter().collect();
        self.wants.iter().map(one).collect()
    }
}
