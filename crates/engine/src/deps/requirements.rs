//! `requirements*.txt` (pip's requirements file format): one requirement or option per logical
//! line (a trailing `\` continues a line), `#` comments, per-requirement `--hash` options,
//! `-r`/`-c` includes, `-e` editables, `--index-url`, `--extra-index-url`, `--trusted-host` and
//! `--find-links`. Requirements are PEP 508 strings read with `pep508_rs` (names, extras,
//! specifiers, markers, `name @ url`); bare URLs and VCS links take their name from `#egg=`.

use std::str::FromStr;

use pep508_rs::{Requirement as Pep508, VersionOrUrl};

use super::{allowed_of, normalize, Allowed, ParseError, Parsed, Requirement, Source, SourceKind};

/// One logical line: its text (continuations joined, comment cut) and the file offset of its
/// first byte and of each later piece (after a joined `\` newline).
struct Logical {
    text: String,
    /// (offset in `text`, offset in the file) at the start of each physical piece.
    pieces: Vec<(usize, u32)>,
}

impl Logical {
    /// The file offset of byte `i` of the logical text.
    fn file_offset(&self, i: usize) -> u32 {
        let (at, file) = self.pieces.iter().rev().find(|(at, _)| *at <= i).copied().unwrap_or((0, 0));
        file + (i - at) as u32
    }
}

/// Reads a requirements file.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    for line in logical_lines(text) {
        let trimmed = line.text.trim_end();
        let lead = trimmed.len() - trimmed.trim_start().len();
        let body = &trimmed[lead..];
        if body.is_empty() {
            continue;
        }
        if body.starts_with('-') {
            option(&line, lead, body, &mut out);
        } else {
            requirement(&line, lead, body, &mut out);
        }
    }
    out
}

/// Splits the file into logical lines: `\` at the end of a line joins the next one, and a `#`
/// at the start or after whitespace starts a comment.
fn logical_lines(text: &str) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut cur: Option<Logical> = None;
    let mut offset = 0u32;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len() as u32;
        let line = raw.trim_end_matches(['\n', '\r']);
        let line = cut_comment(line);
        let (piece, continues) = match line.strip_suffix('\\') {
            Some(p) => (p, true),
            None => (line, false),
        };
        let l = cur.get_or_insert_with(|| Logical { text: String::new(), pieces: Vec::new() });
        l.pieces.push((l.text.len(), start));
        l.text.push_str(piece);
        if !continues {
            out.extend(cur.take());
        }
    }
    out.extend(cur);
    out
}

fn cut_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// An option line: `-r file`, `--index-url URL`, `-e ./pkg`…
fn option(line: &Logical, lead: usize, body: &str, out: &mut Parsed) {
    let (name, value, value_at) = split_option(body);
    let value_start = line.file_offset(lead + value_at);
    let value_end = line.file_offset(lead + value_at + value.len());
    let source = |kind| Source { kind, url: value.to_string(), start: value_start, end: value_end };
    match name {
        "-r" | "--requirement" | "-c" | "--constraint" if !value.is_empty() => out.includes.push(value.to_string()),
        "-i" | "--index-url" => out.sources.push(source(SourceKind::Index)),
        "--extra-index-url" => out.sources.push(source(SourceKind::ExtraIndex)),
        "--trusted-host" => out.sources.push(source(SourceKind::TrustedHost)),
        "-f" | "--find-links" => out.sources.push(source(SourceKind::FindLinks)),
        "-e" | "--editable" if !value.is_empty() => requirement(line, lead + value_at, &body[value_at..], out),
        _ => {}
    }
}

/// The option's name, its value (the rest of the line after `=` or whitespace; `-rfile` too)
/// and the value's offset in `body`.
fn split_option(body: &str) -> (&str, &str, usize) {
    let name_end = body.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(body.len());
    let (mut name, mut rest_at) = (&body[..name_end], name_end);
    if !name.starts_with("--") && name.len() > 2 && name.is_char_boundary(2) {
        // `-rfile`: a short option glued to its value.
        rest_at = 2;
        name = &body[..2];
    }
    let rest = &body[rest_at..];
    let skip = rest.len() - rest.trim_start_matches(|c: char| c == '=' || c.is_whitespace()).len();
    let value = rest[skip..].split_whitespace().next().unwrap_or("");
    (name, value, rest_at + skip)
}

/// A requirement line (or an editable's target), with its options (`--hash=…`).
fn requirement(line: &Logical, at: usize, body: &str, out: &mut Parsed) {
    let req_text = match body.find(" --").or_else(|| body.find("\t--")) {
        Some(i) => body[..i].trim_end(),
        None => body.trim_end(),
    };
    let hashed = body.contains("--hash");
    let start = line.file_offset(at);
    let end = line.file_offset(at + req_text.len());
    let mk = |name: &str, allowed: Allowed, spec_text: String| Requirement {
        name: name.to_string(),
        normalized: normalize(name),
        allowed,
        spec_text,
        start,
        end,
        locked: false,
    };
    if looks_like_path(req_text) {
        out.requirements.push(mk(&egg_name(req_text), Allowed::Local, req_text.to_string()));
        return;
    }
    if looks_like_url(req_text) {
        let pinned = hashed || url_is_pinned(req_text);
        out.requirements.push(mk(&egg_name(req_text), Allowed::Url { url: req_text.to_string(), pinned }, req_text.to_string()));
        return;
    }
    match Pep508::<pep508_rs::VerbatimUrl>::from_str(req_text) {
        Ok(r) => {
            let (allowed, spec) = pep508_allowed(&r, hashed);
            out.requirements.push(mk(r.name.as_ref(), allowed, spec));
        }
        Err(e) => {
            let mut i = e.start.min(req_text.len());
            while !req_text.is_char_boundary(i) {
                i -= 1;
            }
            out.errors.push(ParseError { message: format!("invalid requirement `{req_text}`: {}", e.message), offset: line.file_offset(at + i) });
        }
    }
}

fn looks_like_path(s: &str) -> bool {
    s.starts_with('.') || s.starts_with('/') || s.starts_with("file:") || s.starts_with('~')
}

fn looks_like_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    ["git+", "hg+", "svn+", "bzr+", "http://", "https://"].iter().any(|p| lower.starts_with(p))
}

/// The `#egg=name` of a URL requirement, or empty.
pub(crate) fn egg_name(url: &str) -> String {
    url.split_once("#egg=")
        .or_else(|| url.split_once("&egg="))
        .map(|(_, rest)| rest.split(['&', '[', ' ']).next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Whether a URL requirement fixes what it installs: a `#sha256=`-style hash, or a VCS
/// reference that is a full commit id (`@<40 or 64 hex digits>`).
/// What a parsed PEP 508 requirement allows, and its version specifier or URL as written. A
/// URL counts as pinned when it names a commit or hash, or when the line carries a `--hash`.
pub(crate) fn pep508_allowed(r: &Pep508<pep508_rs::VerbatimUrl>, hashed: bool) -> (Allowed, String) {
    match &r.version_or_url {
        None => (Allowed::Any, String::new()),
        Some(VersionOrUrl::VersionSpecifier(s)) => (allowed_of(s), s.to_string()),
        Some(VersionOrUrl::Url(u)) => {
            let url = u.given().map(str::to_string).unwrap_or_else(|| u.to_string());
            let pinned = hashed || url_is_pinned(&url);
            (Allowed::Url { url: url.clone(), pinned }, url)
        }
    }
}

pub(crate) fn url_is_pinned(url: &str) -> bool {
    let no_frag = url.split('#').next().unwrap_or(url);
    let has_hash = url.contains("#sha256=") || url.contains("#sha512=") || url.contains("&sha256=");
    let revision = no_frag.rsplit_once('@').map(|(head, rev)| (head.contains("://"), rev)).filter(|(_, rev)| !rev.contains('/'));
    let commit = revision.is_some_and(|(_, rev)| (rev.len() == 40 || rev.len() == 64) && rev.bytes().all(|b| b.is_ascii_hexdigit()));
    has_hash || commit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::Allowed;

    fn at(text: &str, offset: u32) -> &str {
        &text[offset as usize..]
    }

    #[test]
    fn reads_pins_ranges_extras_markers_and_hashes() {
        let text = "# top\nDjango==2.2.0  # old\nrequests[socks]>=2.0 ; python_version > \"3.8\"\nflask\nPyYAML==5.3 \\\n    --hash=sha256:abc\n";
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let names: Vec<&str> = p.requirements.iter().map(|r| r.normalized.as_str()).collect();
        assert_eq!(names, ["django", "requests", "flask", "pyyaml"]);
        assert!(matches!(&p.requirements[0].allowed, Allowed::Exact(v) if v.to_string() == "2.2.0"));
        assert!(matches!(p.requirements[1].allowed, Allowed::Range(_)));
        assert_eq!(p.requirements[2].allowed, Allowed::Any);
        assert!(at(text, p.requirements[0].start).starts_with("Django==2.2.0"));
        assert!(at(text, p.requirements[3].start).starts_with("PyYAML==5.3"));
    }

    #[test]
    fn reads_options_and_includes() {
        let text = "-r base.txt\n--constraint=constraints.txt\n-i http://pypi.internal/simple\n--extra-index-url https://corp.example/simple\n--trusted-host corp.example\n-e git+https://github.com/a/b.git@main#egg=b\nc @ https://x.example/c-1.0.tar.gz#sha256=00\n";
        let p = parse(text);
        assert_eq!(p.includes, ["base.txt", "constraints.txt"]);
        let kinds: Vec<SourceKind> = p.sources.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SourceKind::Index, SourceKind::ExtraIndex, SourceKind::TrustedHost]);
        assert!(at(text, p.sources[0].start).starts_with("http://pypi.internal/simple"));
        assert_eq!(p.requirements[0].normalized, "b");
        assert!(matches!(p.requirements[0].allowed, Allowed::Url { pinned: false, .. }));
        assert!(matches!(p.requirements[1].allowed, Allowed::Url { pinned: true, .. }));
    }

    #[test]
    fn a_malformed_line_is_an_error_and_the_rest_is_read() {
        let text = "django==2.2.0\nrequests>=>2\nflask==1.0\n";
        let p = parse(text);
        assert_eq!(p.requirements.len(), 2);
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].offset >= 14 && p.errors[0].offset < 26, "{:?}", p.errors);
    }

    #[test]
    fn commits_pin_and_branches_do_not() {
        assert!(url_is_pinned("git+https://github.com/a/b.git@0123456789abcdef0123456789abcdef01234567#egg=b"));
        assert!(!url_is_pinned("git+https://github.com/a/b.git@v1.0#egg=b"));
        assert!(!url_is_pinned("git+https://github.com/a/b.git#egg=b"));
    }
}
