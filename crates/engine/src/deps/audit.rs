//! From a parsed dependency file to findings of the `dependencies` rules: known vulnerabilities,
//! typosquats and uncommon packages, loose version ranges, untrusted package sources. Each
//! finding points at the requirement (or option) in the file and carries a
//! [`DependencyInfo`](crate::DependencyInfo).

use pep508_rs::pep440_rs::{Operator, Version, VersionSpecifiers};

use super::data::{Advisories, Advisory};
use super::imports::TopImport;
use super::typosquat::Popular;
use super::{Allowed, Parsed, Requirement, Source, SourceKind};
use crate::findings::build;
use crate::rules::RuleMeta;
use crate::syntax::ast::Span;
use crate::syntax::source::LineIndex;
use crate::{Confidence, DependencyInfo, Finding, Options, Severity};

pub use super::{LOOSE, TYPOSQUAT, UNCOMMON, UNTRUSTED, VULNERABLE};

/// The data the checks read.
pub struct Data<'a> {
    /// The advisory table; `None` when the caller has none (the vulnerability check is then
    /// skipped, and says so in an error).
    pub advisories: Option<&'a Advisories>,
    pub popular: &'a Popular,
}

/// What the audit of one file needs besides the parse.
pub struct Audit<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// The rule of each native check, when it is selected (others are skipped).
    pub rules: &'a dyn Fn(&str) -> Option<&'a RuleMeta>,
    pub data: Data<'a>,
    pub opts: &'a Options,
    /// A lock file: versions chosen by a resolver (no loose-range or uncommon notes).
    pub lock: bool,
}

impl Audit<'_> {
    /// The findings for a parsed file, in file order.
    pub fn run(&self, parsed: &Parsed) -> Vec<Finding> {
        let lines = LineIndex::new(self.text);
        let mut out = Vec::new();
        for r in &parsed.requirements {
            self.vulnerable(r, &lines, &mut out);
            self.typosquat(r, &lines, &mut out);
            if !self.lock && !parsed.library {
                self.loose(r, &lines, &mut out);
            }
            self.untrusted_url(r, &lines, &mut out);
        }
        for s in &parsed.sources {
            self.untrusted_source(s, &lines, &mut out);
        }
        out.retain(|f| f.severity >= self.opts.min_severity && f.confidence >= self.opts.min_confidence);
        out.sort_by_key(|f| (f.start_offset, f.rule_id.clone()));
        out
    }

    /// A finding of the rule behind `check` at `start..end`, when that rule runs.
    #[allow(clippy::too_many_arguments)]
    fn emit(&self, check: &str, (start, end): (u32, u32), lines: &LineIndex<'_>, message: String, dep: DependencyInfo, sev: Option<Severity>, conf: Option<Confidence>, out: &mut Vec<Finding>) {
        let Some(meta) = (self.rules)(check).filter(|m| self.opts.rule_enabled(m)) else { return };
        let mut f = build(meta, Span { start, end }, &[], self.path, self.text, lines);
        f.message = message;
        f.severity = sev.unwrap_or(meta.severity);
        f.confidence = conf.unwrap_or(meta.confidence);
        f.dependency = Some(Box::new(dep));
        out.push(f);
    }

    fn vulnerable(&self, r: &Requirement, lines: &LineIndex<'_>, out: &mut Vec<Finding>) {
        let Some(table) = self.data.advisories else { return };
        let advisories = table.of(&r.normalized);
        if advisories.is_empty() {
            return;
        }
        let (hit, version, confidence): (Vec<&Advisory>, String, Confidence) = match &r.allowed {
            Allowed::Exact(v) => (advisories.iter().filter(|a| a.affecting(v).is_some()).collect(), v.to_string(), Confidence::High),
            Allowed::Range(specs) => (advisories.iter().filter(|a| range_hits(specs, a)).collect(), r.spec_text.clone(), Confidence::Low),
            _ => return,
        };
        if hit.is_empty() {
            return;
        }
        let start = match &r.allowed {
            Allowed::Exact(v) => v.clone(),
            _ => lowest_affected(&r.allowed, &hit).unwrap_or_else(|| Version::new([0])),
        };
        let fixed = lowest_fix(&start, advisories);
        let ids: Vec<String> = hit.iter().flat_map(|a| std::iter::once(a.id.clone()).chain(a.aliases.iter().cloned())).collect();
        let ranges: Vec<String> = hit.iter().filter_map(|a| a.affecting(&start).or(a.spans.first())).map(|s| s.describe()).collect();
        let action = match &fixed {
            Some(f) => format!("upgrade {} to {f} or later", r.name),
            None => format!("no release of {} fixes every advisory: replace it or remove it", r.name),
        };
        let what = if confidence == Confidence::High { format!("{} {version}", r.name) } else { format!("{} {version} (a range that allows affected versions)", r.name) };
        let message = format!(
            "{what} has {} known vulnerabilit{} ({}); affected: {}; {action}.",
            hit.len(),
            if hit.len() == 1 { "y" } else { "ies" },
            shorten(&hit.iter().map(|a| a.id.as_str()).collect::<Vec<_>>()),
            shorten(&dedup(ranges).iter().map(String::as_str).collect::<Vec<_>>()),
        );
        let severity = hit.iter().map(|a| a.cvss.map_or(Severity::High, severity_of_cvss)).max();
        let dep = DependencyInfo { package: r.name.clone(), version: Some(version), advisories: dedup(ids), fixed: fixed.map(|v| v.to_string()), imitates: None, action };
        self.emit(VULNERABLE, (r.start, r.end), lines, message, dep, severity, Some(confidence), out);
    }

    fn typosquat(&self, r: &Requirement, lines: &LineIndex<'_>, out: &mut Vec<Finding>) {
        if r.normalized.is_empty() || matches!(r.allowed, Allowed::Local) {
            return;
        }
        let popular = self.data.popular;
        let version = version_of(r);
        if let Some(target) = popular.imitated(&r.normalized) {
            let on_list = popular.rank(&r.normalized).is_some();
            let message = format!(
                "`{}` looks like a typosquat of the popular package `{target}`{}: check the name before installing.",
                r.name,
                if on_list { " (an old or rarely used name next to a far more used one)" } else { "" }
            );
            let action = format!("replace {} with {target} if that is what you meant", r.name);
            let dep = DependencyInfo { package: r.name.clone(), version, imitates: Some(target.to_string()), action, ..DependencyInfo::default() };
            let conf = on_list.then_some(Confidence::Low);
            self.emit(TYPOSQUAT, (r.start, r.end), lines, message, dep, None, conf, out);
        } else if !self.lock && popular.rank(&r.normalized).is_none() && !popular.is_empty() {
            let message = format!(
                "`{}` is not among the {} most-downloaded PyPI packages: vet it (maintainer, age, source repository) before depending on it.",
                r.name,
                popular.len()
            );
            let dep = DependencyInfo { package: r.name.clone(), version, action: format!("vet {} before installing it", r.name), ..DependencyInfo::default() };
            self.emit(UNCOMMON, (r.start, r.end), lines, message, dep, None, None, out);
        }
    }

    /// Typosquat findings for the undeclared imports of a Python file (see `deps::imports`),
    /// at the import.
    pub fn imports(&self, imports: &[(&TopImport, String)]) -> Vec<Finding> {
        let lines = LineIndex::new(self.text);
        let mut out = Vec::new();
        for (import, package) in imports {
            let Some(target) = self.data.popular.imitated(package) else { continue };
            if self.data.popular.rank(package).is_some() {
                // A popular name next to a more popular one: fine as an import.
                continue;
            }
            let message = format!(
                "`import {}` is not provided by any declared dependency and looks like a typosquat of the popular package `{target}`: check the name before installing `{package}`.",
                import.module
            );
            let dep = DependencyInfo { package: package.clone(), imitates: Some(target.to_string()), action: format!("install {target}, not {package}"), ..DependencyInfo::default() };
            self.emit(TYPOSQUAT, (import.span.start, import.span.end), &lines, message, dep, None, None, &mut out);
        }
        out.retain(|f| f.severity >= self.opts.min_severity && f.confidence >= self.opts.min_confidence);
        out
    }

    fn loose(&self, r: &Requirement, lines: &LineIndex<'_>, out: &mut Vec<Finding>) {
        let why = match &r.allowed {
            Allowed::Any => "has no version constraint",
            Allowed::Range(specs) if !has_upper_bound(specs) => "has no upper bound",
            _ => return,
        };
        let message = format!("`{}` {why}: any future release (or a hijacked one) is installed. Pin an exact version (`==`) or use a lock file.", r.name);
        let dep = DependencyInfo { package: r.name.clone(), version: version_of(r), action: format!("pin {} to an exact version or lock it", r.name), ..DependencyInfo::default() };
        self.emit(LOOSE, (r.start, r.end), lines, message, dep, None, None, out);
    }

    fn untrusted_url(&self, r: &Requirement, lines: &LineIndex<'_>, out: &mut Vec<Finding>) {
        let Allowed::Url { url, pinned } = &r.allowed else { return };
        let plain = url.to_ascii_lowercase().contains("http://");
        if *pinned && !plain {
            return;
        }
        let (message, severity) = if plain {
            (format!("`{}` is installed from a plain-HTTP URL ({url}): anyone on the network path can replace it.", display_name(r)), Severity::High)
        } else {
            (format!("`{}` is installed from a URL or VCS reference without a hash or a pinned commit ({url}): what it installs can change.", display_name(r)), Severity::Medium)
        };
        let dep = DependencyInfo { package: display_name(r), version: Some(url.clone()), action: "pin a full commit id or add a --hash, over HTTPS".into(), ..DependencyInfo::default() };
        self.emit(UNTRUSTED, (r.start, r.end), lines, message, dep, Some(severity), None, out);
    }

    fn untrusted_source(&self, s: &Source, lines: &LineIndex<'_>, out: &mut Vec<Finding>) {
        let plain = s.url.to_ascii_lowercase().starts_with("http://");
        let (message, severity, action) = match s.kind {
            SourceKind::TrustedHost => (
                format!("`--trusted-host {}` turns off TLS certificate checks for that host: packages from it can be swapped in transit.", s.url),
                Severity::Medium,
                "remove --trusted-host and serve the index over HTTPS with a valid certificate",
            ),
            _ if plain => (format!("Packages are fetched over plain HTTP from {}: anyone on the network path can swap them.", s.url), Severity::High, "use an https:// index URL"),
            SourceKind::ExtraIndex if !is_pypi(&s.url) => (
                format!("Extra index {} is searched besides PyPI: a public package with the same name as a private one can win (dependency confusion).", s.url),
                Severity::Medium,
                "use a single index that proxies PyPI, or pin with --hash / a lock file",
            ),
            _ => return,
        };
        let dep = DependencyInfo { package: s.url.clone(), action: action.to_string(), ..DependencyInfo::default() };
        self.emit(UNTRUSTED, (s.start, s.end), lines, message, dep, Some(severity), None, out);
    }
}

fn is_pypi(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    u.starts_with("https://pypi.org/") || u.starts_with("https://pypi.python.org/") || u.starts_with("https://files.pythonhosted.org/")
}

fn display_name(r: &Requirement) -> String {
    if r.name.is_empty() {
        r.spec_text.clone()
    } else {
        r.name.clone()
    }
}

fn version_of(r: &Requirement) -> Option<String> {
    (!r.spec_text.is_empty()).then(|| r.spec_text.clone())
}

/// CVSS v3 base score to severity, as the specification's qualitative scale.
pub fn severity_of_cvss(score: f32) -> Severity {
    match score {
        s if s >= 9.0 => Severity::Critical,
        s if s >= 7.0 => Severity::High,
        s if s >= 4.0 => Severity::Medium,
        _ => Severity::Low,
    }
}

/// Whether a specifier set caps the versions it allows (`<`, `<=`, `==`, `~=`, `===`).
fn has_upper_bound(specs: &VersionSpecifiers) -> bool {
    specs.iter().any(|s| {
        matches!(
            s.operator(),
            Operator::LessThan | Operator::LessThanEqual | Operator::Equal | Operator::EqualStar | Operator::ExactEqual | Operator::TildeEqual
        )
    })
}

/// The versions worth trying against a range: the advisory's own bounds and the specifiers'.
fn probes<'a>(specs: &'a VersionSpecifiers, a: &'a Advisory) -> impl Iterator<Item = Version> + 'a {
    let bounds = a.spans.iter().flat_map(|s| [s.introduced.clone().or_else(|| Some(Version::new([0]))), s.end.as_ref().filter(|(_, last)| *last).map(|(v, _)| v.clone())]);
    bounds.flatten().chain(specs.iter().map(|s| s.version().clone()))
}

/// Whether a range allows a version the advisory affects.
fn range_hits(specs: &VersionSpecifiers, a: &Advisory) -> bool {
    probes(specs, a).any(|v| specs.contains(&v) && a.affecting(&v).is_some())
}

/// The lowest probe version the range allows that some hit advisory affects.
fn lowest_affected(allowed: &Allowed, hit: &[&Advisory]) -> Option<Version> {
    let Allowed::Range(specs) = allowed else { return None };
    hit.iter().flat_map(|a| probes(specs, a).filter(|v| specs.contains(v) && a.affecting(v).is_some()).collect::<Vec<_>>()).min()
}

/// The lowest version at or above `v` that no advisory affects, following fixes (at most 64
/// steps); `None` when some affecting advisory has no fix.
fn lowest_fix(v: &Version, advisories: &[Advisory]) -> Option<Version> {
    let mut cur = v.clone();
    for _ in 0..64 {
        let affecting: Vec<_> = advisories.iter().filter_map(|a| a.affecting(&cur)).collect();
        if affecting.is_empty() {
            return (cur != *v).then_some(cur);
        }
        cur = affecting.iter().map(|s| s.fixed().cloned()).collect::<Option<Vec<_>>>()?.into_iter().max()?;
    }
    None
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v
}

/// A list for a message: the first eight items, then "and N more".
fn shorten(items: &[&str]) -> String {
    if items.len() <= 8 {
        return items.join(", ");
    }
    format!("{}, and {} more", items[..8].join(", "), items.len() - 8)
}
