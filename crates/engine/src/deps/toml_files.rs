//! The TOML dependency files (`pyproject.toml`, `Pipfile`, `poetry.lock`, `uv.lock`), read with
//! the `toml` crate's spanned document (`toml::de::DeTable`), so that every requirement keeps its
//! place in the file; and `Pipfile.lock`, which is JSON.
//!
//! Only fixed paths are visited (no walk of the document); the TOML parser bounds its nesting.

use std::str::FromStr;

use pep508_rs::pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::Requirement as Pep508;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::requirements::{pep508_allowed, url_is_pinned};
use super::{allowed_of, normalize, Allowed, FileKind, ParseError, Parsed, Requirement, Source, SourceKind};

type Value<'i> = Spanned<DeValue<'i>>;

/// The entry `key` of a table.
fn get<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a Value<'i>> {
    t.iter().find(|(k, _)| &**k.get_ref() == key).map(|(_, v)| v)
}

fn table<'a, 'i>(v: Option<&'a Value<'i>>) -> Option<&'a DeTable<'i>> {
    match v.map(Spanned::get_ref) {
        Some(DeValue::Table(t)) => Some(t),
        _ => None,
    }
}

fn array<'a, 'i>(v: Option<&'a Value<'i>>) -> &'a [Value<'i>] {
    match v.map(Spanned::get_ref) {
        Some(DeValue::Array(a)) => &a[..],
        _ => &[],
    }
}

fn string<'a>(v: Option<&'a Value<'_>>) -> Option<&'a str> {
    match v.map(Spanned::get_ref) {
        Some(DeValue::String(s)) => Some(&**s),
        _ => None,
    }
}

/// The table at a dotted path (`["tool", "poetry", "dependencies"]`).
fn path<'a, 'i>(root: &'a DeTable<'i>, keys: &[&str]) -> Option<&'a DeTable<'i>> {
    keys.iter().try_fold(root, |t, k| table(get(t, k)))
}

/// Reads a TOML dependency file of the given kind.
pub fn parse(kind: FileKind, text: &str) -> Parsed {
    let mut out = Parsed::default();
    let (doc, errors) = DeTable::parse_recoverable(text);
    for e in errors {
        let offset = e.span().map_or(0, |s| s.start) as u32;
        out.errors.push(ParseError { message: format!("invalid TOML: {}", e.message().trim()), offset });
    }
    let root = doc.get_ref();
    match kind {
        FileKind::PyProject => pyproject(root, &mut out),
        FileKind::Pipfile => pipfile(root, &mut out),
        FileKind::PoetryLock | FileKind::UvLock => lock(root, &mut out),
        FileKind::Requirements | FileKind::PipfileLock => {}
    }
    out
}

/// PEP 621 `[project]` dependencies and optional dependencies, PEP 735 `[dependency-groups]`,
/// Poetry's dependency tables and sources.
fn pyproject(root: &DeTable<'_>, out: &mut Parsed) {
    out.library = get(root, "build-system").is_some();
    let project = table(get(root, "project"));
    pep508_array(project.and_then(|p| get(p, "dependencies")), out);
    let lists = [project.and_then(|p| table(get(p, "optional-dependencies"))), table(get(root, "dependency-groups"))];
    for t in lists.into_iter().flatten() {
        for (_, v) in t.iter() {
            pep508_array(Some(v), out);
        }
    }
    if let Some(poetry) = path(root, &["tool", "poetry"]) {
        for key in ["dependencies", "dev-dependencies"] {
            poetry_table(table(get(poetry, key)), out);
        }
        for (_, group) in table(get(poetry, "group")).into_iter().flat_map(|g| g.iter()) {
            poetry_table(table(Some(group)).and_then(|g| table(get(g, "dependencies"))), out);
        }
        for s in array(get(poetry, "source")) {
            let Some(t) = table(Some(s)) else { continue };
            let priority = string(get(t, "priority")).unwrap_or("primary");
            let kind = if matches!(priority, "primary" | "default") { SourceKind::Index } else { SourceKind::ExtraIndex };
            push_source(t, kind, out);
        }
    }
}

/// An array of PEP 508 strings.
fn pep508_array(v: Option<&Value<'_>>, out: &mut Parsed) {
    for item in array(v) {
        let Some(s) = string(Some(item)) else { continue };
        let span = item.span();
        match Pep508::<pep508_rs::VerbatimUrl>::from_str(s) {
            Ok(r) => {
                let (allowed, spec) = pep508_allowed(&r, false);
                out.requirements.push(req(r.name.as_ref(), allowed, spec, span, false));
            }
            Err(e) => out.errors.push(ParseError {
                message: format!("invalid requirement `{s}`: {}", e.message),
                offset: span.start as u32 + 1 + e.start.min(s.len()) as u32,
            }),
        }
    }
}

fn req(name: &str, allowed: Allowed, spec_text: String, span: std::ops::Range<usize>, locked: bool) -> Requirement {
    Requirement { name: name.to_string(), normalized: normalize(name), allowed, spec_text, start: span.start as u32, end: span.end as u32, locked }
}

/// A Poetry or Pipfile dependency table: `name = "^1.2"` or `name = { version = "…", git = "…" }`.
fn poetry_table(t: Option<&DeTable<'_>>, out: &mut Parsed) {
    for (k, v) in t.into_iter().flat_map(|t| t.iter()) {
        let name: &str = k.get_ref();
        if name == "python" {
            continue;
        }
        let span = k.span().start..v.span().end;
        let allowed = match v.get_ref() {
            DeValue::String(s) => poetry_spec(s, span.start, out),
            DeValue::Table(t) => table_spec(t, span.start, out),
            _ => Allowed::Any,
        };
        let spec = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            _ => String::new(),
        };
        out.requirements.push(req(name, allowed, spec, span, false));
    }
}

/// The `{ version = …, git = …, url = …, path = … }` form.
fn table_spec(t: &DeTable<'_>, at: usize, out: &mut Parsed) -> Allowed {
    if let Some(url) = string(get(t, "git")).or_else(|| string(get(t, "url"))) {
        let rev = string(get(t, "rev")).or_else(|| string(get(t, "ref"))).unwrap_or("");
        return Allowed::Url { url: url.to_string(), pinned: url_is_pinned(&format!("{url}@{rev}")) };
    }
    if get(t, "path").is_some() || get(t, "file").is_some() {
        return Allowed::Local;
    }
    string(get(t, "version")).map_or(Allowed::Any, |s| poetry_spec(s, at, out))
}

/// A Poetry or Pipfile version constraint: `*`, `1.2.3` (exact), `^1.2`, `~1.2`, or PEP 440
/// specifiers (`>=1,<2`, `==1.*`).
fn poetry_spec(s: &str, at: usize, out: &mut Parsed) -> Allowed {
    let s = s.trim();
    if s.is_empty() || s == "*" {
        return Allowed::Any;
    }
    let parts: Option<Vec<String>> = s.split(',').map(|p| poetry_part(p.trim())).collect();
    let parsed = parts.and_then(|p| VersionSpecifiers::from_str(&p.join(",")).ok());
    match parsed {
        Some(specs) => allowed_of(&specs),
        None => {
            out.errors.push(ParseError { message: format!("invalid version constraint `{s}`"), offset: at as u32 });
            Allowed::Any
        }
    }
}

/// One Poetry constraint as PEP 440: `^1.2.3` -> `>=1.2.3,<2`, `~1.2` -> `>=1.2,<1.3`, `1.2` -> `==1.2`.
fn poetry_part(p: &str) -> Option<String> {
    let bound = |v: &str, index: usize| -> Option<String> {
        let nums: Vec<u64> = Version::from_str(v).ok()?.release().to_vec();
        let mut up: Vec<u64> = nums.iter().take(index + 1).copied().collect();
        let last = up.len().checked_sub(1)?;
        up[last] += 1;
        Some(format!(">={v},<{}", up.iter().map(u64::to_string).collect::<Vec<_>>().join(".")))
    };
    if let Some(v) = p.strip_prefix('^') {
        let nums = Version::from_str(v.trim()).ok()?.release().to_vec();
        let first_nonzero = nums.iter().position(|n| *n != 0).unwrap_or(nums.len().saturating_sub(1));
        return bound(v.trim(), first_nonzero);
    }
    if let Some(v) = p.strip_prefix('~').filter(|v| !v.starts_with('=')) {
        let n = Version::from_str(v.trim()).ok()?.release().len();
        return bound(v.trim(), if n > 1 { 1 } else { 0 });
    }
    if p.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("=={p}"));
    }
    Some(p.to_string())
}

/// A Pipfile: `[packages]`, `[dev-packages]` and `[[source]]` (the first is the index).
fn pipfile(root: &DeTable<'_>, out: &mut Parsed) {
    for key in ["packages", "dev-packages"] {
        poetry_table(table(get(root, key)), out);
    }
    for (i, s) in array(get(root, "source")).iter().enumerate() {
        let Some(t) = table(Some(s)) else { continue };
        push_source(t, if i == 0 { SourceKind::Index } else { SourceKind::ExtraIndex }, out);
        if matches!(get(t, "verify_ssl").map(Spanned::get_ref), Some(DeValue::Boolean(false))) {
            push_source(t, SourceKind::TrustedHost, out);
        }
    }
}

fn push_source(t: &DeTable<'_>, kind: SourceKind, out: &mut Parsed) {
    if let Some(v) = get(t, "url") {
        if let DeValue::String(url) = v.get_ref() {
            let span = v.span();
            out.sources.push(Source { kind, url: url.to_string(), start: span.start as u32, end: span.end as u32 });
        }
    }
}

/// `poetry.lock` and `uv.lock`: `[[package]]` tables with `name` and `version`; uv's editable
/// or virtual entries (the project itself) are skipped.
fn lock(root: &DeTable<'_>, out: &mut Parsed) {
    for p in array(get(root, "package")) {
        let Some(t) = table(Some(p)) else { continue };
        let (Some(name), Some(version)) = (string(get(t, "name")), get(t, "version")) else { continue };
        let source = table(get(t, "source"));
        if source.is_some_and(|s| get(s, "editable").is_some() || get(s, "virtual").is_some() || get(s, "directory").is_some()) {
            continue;
        }
        let Some(v) = string(Some(version)) else { continue };
        let span = get(t, "name").map_or(version.span(), |n| n.span().start..version.span().end);
        let allowed = match Version::from_str(v) {
            Ok(v) => Allowed::Exact(v),
            Err(e) => {
                out.errors.push(ParseError { message: format!("invalid version `{v}`: {e}"), offset: version.span().start as u32 });
                continue;
            }
        };
        out.requirements.push(req(name, allowed, format!("=={v}"), span, true));
    }
}

/// `Pipfile.lock` (JSON): `default` and `develop` map names to `{"version": "==1.2.3"}`; the
/// sources are in `_meta.sources`. serde_json bounds its nesting (128).
pub fn parse_pipfile_lock(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let offset = offset_of_line_col(text, e.line(), e.column());
            out.errors.push(ParseError { message: format!("invalid JSON: {e}"), offset });
            return out;
        }
    };
    for section in ["default", "develop"] {
        let Some(entries) = doc.get(section).and_then(|v| v.as_object()) else { continue };
        let base = text.find(&format!("\"{section}\"")).unwrap_or(0);
        for (name, entry) in entries {
            let key = format!("\"{name}\"");
            let start = text[base..].find(&key).map_or(base, |i| base + i);
            let Some(version) = entry.get("version").and_then(|v| v.as_str()) else { continue };
            let bare = version.trim_start_matches("==");
            match Version::from_str(bare) {
                Ok(v) => out.requirements.push(req(name, Allowed::Exact(v), version.to_string(), start..start + key.len(), true)),
                Err(e) => out.errors.push(ParseError { message: format!("invalid version `{version}`: {e}"), offset: start as u32 }),
            }
        }
    }
    let sources = doc.pointer("/_meta/sources").and_then(|v| v.as_array()).map(Vec::as_slice).unwrap_or(&[]);
    for (i, s) in sources.iter().enumerate() {
        let Some(url) = s.get("url").and_then(|u| u.as_str()) else { continue };
        let start = text.find(url).unwrap_or(0);
        let mk = |kind| Source { kind, url: url.to_string(), start: start as u32, end: (start + url.len()) as u32 };
        out.sources.push(mk(if i == 0 { SourceKind::Index } else { SourceKind::ExtraIndex }));
        if s.get("verify_ssl").and_then(|v| v.as_bool()) == Some(false) {
            out.sources.push(mk(SourceKind::TrustedHost));
        }
    }
    out
}

/// The byte offset of a 1-based line and column (serde_json's error position).
fn offset_of_line_col(text: &str, line: usize, column: usize) -> u32 {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len()) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Parsed) -> Vec<(String, String)> {
        p.requirements.iter().map(|r| (r.normalized.clone(), r.spec_text.clone())).collect()
    }

    #[test]
    fn pyproject_reads_pep_621_groups_and_poetry() {
        let text = r#"
[project]
name = "app"
dependencies = ["django==2.2.0", "requests>=2"]
[project.optional-dependencies]
yaml = ["PyYAML==5.3"]
[dependency-groups]
dev = ["pytest", {include-group = "x"}]
[tool.poetry.dependencies]
python = "^3.9"
flask = "^1.0"
jinja2 = { version = "2.10" }
lib = { git = "https://github.com/a/lib.git", rev = "main" }
[[tool.poetry.source]]
name = "corp"
url = "https://corp.example/simple"
priority = "supplemental"
"#;
        let p = parse(FileKind::PyProject, text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let n = names(&p);
        assert!(n.contains(&("django".into(), "==2.2.0".into())), "{n:?}");
        assert!(n.iter().any(|(k, _)| k == "pyyaml") && n.iter().any(|(k, _)| k == "pytest"));
        let flask = p.requirements.iter().find(|r| r.normalized == "flask").expect("flask");
        assert!(matches!(&flask.allowed, Allowed::Range(s) if s.to_string() == ">=1.0, <2"), "{:?}", flask.allowed);
        let jinja = p.requirements.iter().find(|r| r.normalized == "jinja2").expect("jinja2");
        assert!(matches!(&jinja.allowed, Allowed::Exact(v) if v.to_string() == "2.10"));
        assert!(text[jinja.start as usize..].starts_with("jinja2"));
        let django = &p.requirements[0];
        assert!(text[django.start as usize..].starts_with("\"django==2.2.0\""));
        assert!(matches!(p.requirements.iter().find(|r| r.normalized == "lib").map(|r| &r.allowed), Some(Allowed::Url { pinned: false, .. })));
        assert_eq!(p.sources.len(), 1);
        assert_eq!(p.sources[0].kind, SourceKind::ExtraIndex);
    }

    #[test]
    fn lock_files_lock_exact_versions() {
        let poetry = "[[package]]\nname = \"django\"\nversion = \"2.2.0\"\n\n[[package]]\nname = \"six\"\nversion = \"1.16.0\"\n";
        let p = parse(FileKind::PoetryLock, poetry);
        assert_eq!(names(&p), [("django".into(), "==2.2.0".into()), ("six".into(), "==1.16.0".into())]);
        assert!(p.requirements.iter().all(|r| r.locked));
        let uv = "version = 1\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n[[package]]\nname = \"jinja2\"\nversion = \"2.10\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        assert_eq!(names(&parse(FileKind::UvLock, uv)), [("jinja2".into(), "==2.10".into())]);
        let pipfile_lock = r#"{"_meta": {"sources": [{"url": "http://pypi.internal/simple", "verify_ssl": false}]}, "default": {"requests": {"version": "==2.19.0"}}, "develop": {}}"#;
        let p = parse_pipfile_lock(pipfile_lock);
        assert_eq!(names(&p), [("requests".into(), "==2.19.0".into())]);
        assert_eq!(p.sources.iter().map(|s| s.kind).collect::<Vec<_>>(), [SourceKind::Index, SourceKind::TrustedHost]);
    }

    #[test]
    fn pipfile_and_broken_toml() {
        let text = "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\n\n[packages]\nrequests = \"==2.19.0\"\nflask = \"*\"\n";
        let p = parse(FileKind::Pipfile, text);
        let mut n = names(&p);
        n.sort();
        assert_eq!(n, [("flask".into(), "*".into()), ("requests".into(), "==2.19.0".into())]);
        assert_eq!(p.requirements.iter().find(|r| r.normalized == "flask").map(|r| &r.allowed), Some(&Allowed::Any));
        let broken = parse(FileKind::PyProject, "[project]\ndependencies = [\"django==2.2.0\"\nname = \n");
        assert!(!broken.errors.is_empty());
    }
}
