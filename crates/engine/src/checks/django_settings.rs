//! Django settings that are missing or switched off: a settings module (one that assigns
//! `INSTALLED_APPS` or `MIDDLEWARE`) without `SECURE_SSL_REDIRECT`, `SECURE_HSTS_SECONDS`,
//! `SESSION_COOKIE_SECURE`/`CSRF_COOKIE_SECURE` or `AUTH_PASSWORD_VALIDATORS`, or with the
//! first two set to `False`/`0` and the validators to `[]`. A missing setting is reported on
//! the `MIDDLEWARE` (or `INSTALLED_APPS`) assignment, where the settings live; one switched
//! off on its value. Transport settings are not asked of a development module, one that sets
//! `DEBUG = True` (which `django-debug-enabled` reports).

use crate::matching::matcher::Match;
use crate::syntax::ast::*;
use crate::syntax::visitor::NodeObserver;

use super::{NativeCheck, Registered};

/// `django-ssl-redirect-missing`'s check.
pub const SSL_REDIRECT: Registered =
    Registered { name: "django-ssl-redirect", start: || SettingsWalk::start(Want::SslRedirect), needs: SETTINGS_NEEDS };
/// `django-hsts-missing`'s check.
pub const HSTS: Registered = Registered { name: "django-hsts", start: || SettingsWalk::start(Want::Hsts), needs: SETTINGS_NEEDS };
/// `django-secure-cookies-missing`'s check.
pub const SECURE_COOKIES: Registered =
    Registered { name: "django-secure-cookies", start: || SettingsWalk::start(Want::SecureCookies), needs: SETTINGS_NEEDS };
/// `django-password-validators-missing`'s check.
pub const PASSWORD_VALIDATORS: Registered = Registered {
    name: "django-password-validators",
    start: || SettingsWalk::start(Want::PasswordValidators),
    needs: SETTINGS_NEEDS,
};

/// Each check reports a missing setting on `MIDDLEWARE`/`INSTALLED_APPS`, and a setting
/// switched off where it is set: one of these names is in every file it reports in.
const SETTINGS_NEEDS: &[&str] = &["MIDDLEWARE", "INSTALLED_APPS", "SECURE_", "COOKIE_SECURE", "AUTH_PASSWORD_VALIDATORS"];

/// Which setting a check asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    SslRedirect,
    Hsts,
    SecureCookies,
    PasswordValidators,
}

/// This module's checks and what each asks for.
const CHECKS: [(&Registered, Want); 4] =
    [(&SSL_REDIRECT, Want::SslRedirect), (&HSTS, Want::Hsts), (&SECURE_COOKIES, Want::SecureCookies), (&PASSWORD_VALIDATORS, Want::PasswordValidators)];

impl Want {
    /// The check registered as `name`, if it is one of this module's.
    fn named(name: &str) -> Option<Want> {
        super::registered_as(&CHECKS, name)
    }

    /// The name this check is registered under.
    fn registered_name(self) -> &'static str {
        CHECKS.iter().find(|(_, w)| *w == self).map_or("", |(r, _)| r.name)
    }

    /// The settings the check needs (all of them), and whether it applies to a module that
    /// sets `DEBUG = True`.
    fn names(self) -> &'static [&'static str] {
        match self {
            Want::SslRedirect => &["SECURE_SSL_REDIRECT"],
            Want::Hsts => &["SECURE_HSTS_SECONDS"],
            Want::SecureCookies => &["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"],
            Want::PasswordValidators => &["AUTH_PASSWORD_VALIDATORS"],
        }
    }

    fn applies_in_debug(self) -> bool {
        self == Want::PasswordValidators
    }

    /// Whether `value` switches the setting off (reported where it is written).
    fn is_off(self, value: &Expr) -> bool {
        match self {
            Want::SslRedirect => matches!(value.kind, ExprKind::Bool(false)),
            Want::Hsts => matches!(&value.kind, ExprKind::Number(n) if n.trim_start_matches('0').is_empty()),
            Want::PasswordValidators => matches!(&value.kind, ExprKind::List(v) | ExprKind::Tuple(v) if v.is_empty()),
            // `= False` is `insecure-cookie-flags`' finding.
            Want::SecureCookies => false,
        }
    }
}

/// The walk: which settings a module assigns and where its settings lists are (one walk
/// serves every check of this module).
#[derive(Debug)]
pub struct SettingsWalk {
    /// By check served: what it asks for, which of its settings are assigned, and where one
    /// is switched off.
    wants: Vec<Wanted>,
    /// The `MIDDLEWARE` assignment's name, else `INSTALLED_APPS`'.
    anchor: Option<(Span, bool)>,
    debug_on: bool,
}

#[derive(Debug)]
struct Wanted {
    want: Want,
    seen: Vec<bool>,
    off: Vec<Span>,
}

impl Wanted {
    fn new(want: Want) -> Self {
        Wanted { want, seen: vec![false; want.names().len()], off: Vec::new() }
    }
}

impl SettingsWalk {
    fn new(want: Want) -> Self {
        SettingsWalk { wants: vec![Wanted::new(want)], anchor: None, debug_on: false }
    }

    fn start(want: Want) -> Box<dyn NativeCheck> {
        Box::new(Self::new(want))
    }

    fn assigned(&mut self, name: &str, name_span: Span, value: &Expr) {
        match name {
            "MIDDLEWARE" | "MIDDLEWARE_CLASSES" | "INSTALLED_APPS" => {
                let middleware = name != "INSTALLED_APPS";
                if matches!(value.kind, ExprKind::List(_) | ExprKind::Tuple(_))
                    && self.anchor.is_none_or(|(_, m)| middleware && !m)
                {
                    self.anchor = Some((name_span, middleware));
                }
            }
            "DEBUG" => self.debug_on |= matches!(value.kind, ExprKind::Bool(true)),
            _ => {}
        }
        for w in &mut self.wants {
            if let Some(i) = w.want.names().iter().position(|n| *n == name) {
                w.seen[i] = true;
                if w.want.is_off(value) {
                    w.off.push(value.span);
                }
            }
        }
    }
}

impl NodeObserver for SettingsWalk {
    fn stmt(&mut self, s: &Stmt) {
        let (targets, value): (&[Expr], &Expr) = match &s.kind {
            StmtKind::Assign { targets, value } => (targets, value),
            StmtKind::AnnAssign { target, value: Some(value), .. } => (std::slice::from_ref(target.as_ref()), value),
            _ => return,
        };
        for t in targets {
            if let ExprKind::Name(n) = &t.kind {
                self.assigned(n.as_str(), t.span, value);
            }
        }
    }

    fn expr(&mut self, _e: &Expr, _depth: u32) {}
}

impl NativeCheck for SettingsWalk {
    fn serve(&mut self, name: &str) -> bool {
        Want::named(name).map(|w| self.wants.push(Wanted::new(w))).is_some()
    }

    fn finish(self: Box<Self>) -> Vec<Vec<Match<'static>>> {
        let one = |w: &Wanted| {
            let mut out: Vec<Match<'static>> =
                w.off.iter().map(|&span| Match::at(span)).collect();
            let skip_debug = self.debug_on && !w.want.applies_in_debug();
            if let Some((span, _)) = self.anchor {
                if !skip_debug && w.seen.iter().any(|s| !s) {
                    out.push(Match::at(span));
                }
            }
            out
        };
        self.wants.iter().map(one).collect()
    }
}

/// What one settings module sets, for settings split over modules (`production.py` doing
/// `from .base import *` and adding the HTTPS settings): see `project::settings_inherited`.
#[derive(Debug, Default)]
pub struct ModuleSettings {
    /// Where the module's missing settings are reported (its `MIDDLEWARE`/`INSTALLED_APPS`).
    pub anchor: Option<Span>,
    pub debug_on: bool,
    /// The checks (by registered name) whose settings the module assigns, none switched off.
    pub complete: Vec<&'static str>,
    /// The modules it imports everything from (`from .base import *`), as written (relative
    /// ones keep their dots).
    pub star_imports: Vec<String>,
}

impl ModuleSettings {
    /// The facts of a parsed module.
    pub fn of(body: &[Stmt]) -> ModuleSettings {
        struct Walk {
            settings: SettingsWalk,
            star: Vec<String>,
        }
        impl<'a> crate::syntax::visitor::Visitor<'a> for Walk {
            fn enter_stmt(&mut self, s: &'a Stmt, _d: u32) -> crate::syntax::visitor::Descend {
                if let StmtKind::ImportFrom { module, level, names } = &s.kind {
                    if names.iter().any(|a| &*a.name == "*") {
                        self.star.push(format!("{}{}", ".".repeat(*level as usize), module.as_deref().unwrap_or("")));
                    }
                }
                self.settings.stmt(s);
                crate::syntax::visitor::Descend::Yes
            }
        }
        // One walk serving every check of the module.
        let settings = SettingsWalk { wants: CHECKS.iter().map(|(_, w)| Wanted::new(*w)).collect(), anchor: None, debug_on: false };
        let mut walk = Walk { settings, star: Vec::new() };
        crate::syntax::visitor::walk_body(&mut walk, body, 0);
        let Walk { settings, star } = walk;
        ModuleSettings {
            anchor: settings.anchor.map(|(span, _)| span),
            debug_on: settings.debug_on,
            complete: settings.wants.iter().filter(|w| w.seen.iter().all(|s| *s) && w.off.is_empty()).map(|w| w.want.registered_name()).collect(),
            star_imports: star,
        }
    }
}

/// Whether the check registered as `name` asks its settings of a development module (one
/// with `DEBUG = True`); `None` when it is not a settings check.
pub fn asked_in_debug(name: &str) -> Option<bool> {
    Want::named(name).map(Want::applies_in_debug)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::Drive;
    use crate::syntax::parse::parse_module;
    use crate::syntax::visitor::walk_body;

    fn lines(want: Want, src: &str) -> Vec<usize> {
        let module = parse_module(src).module;
        let mut walk = SettingsWalk::new(want);
        walk_body(&mut Drive(&mut walk), &module.body, 0);
        let mut out: Vec<usize> = Box::new(walk)
            .finish()
            .concat()
            .iter()
            .map(|m| src[..m.span.start as usize].matches('\n').count() + 1)
            .collect();
        out.sort();
        out
    }

    #[test]
    fn missing_settings_are_reported_on_the_middleware_list() {
        let src = "INSTALLED_APPS = []\nMIDDLEWARE = []\nSECURE_HSTS_SECONDS = 0\n";
        assert_eq!(lines(Want::SslRedirect, src), vec![2]);
        assert_eq!(lines(Want::Hsts, src), vec![3]);
        assert_eq!(lines(Want::SecureCookies, "INSTALLED_APPS = []\nSESSION_COOKIE_SECURE = True\n"), vec![1]);
    }

    #[test]
    fn present_settings_debug_modules_and_other_files_stay_clean() {
        let full = "MIDDLEWARE = []\nif not DEBUG:\n    SECURE_SSL_REDIRECT = True\n";
        assert!(lines(Want::SslRedirect, full).is_empty());
        assert!(lines(Want::SslRedirect, "DEBUG = True\nMIDDLEWARE = []\n").is_empty());
        assert_eq!(lines(Want::PasswordValidators, "DEBUG = True\nMIDDLEWARE = []\n"), vec![2]);
        assert!(lines(Want::Hsts, "SECURE_SSL_REDIRECT = True\n").is_empty());
    }
}
