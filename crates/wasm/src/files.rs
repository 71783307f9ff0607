//! The playground's tabs: several files analysed together, as the CLI scans a project's files.
//!
//! Python tabs are analysed as Python, dependency-file tabs (`requirements.txt`,
//! `pyproject.toml`, … — the name picks the kind, as in the CLI) by the dependency audit. When
//! at least one dependency file is among the tabs, the Python tabs' top-level imports that no
//! declared dependency provides get the typosquat check (`Engine::check_imports`), with the
//! other Python tabs as the project's own modules, as `pyward scan` does. The playground does
//! not follow `-r other.txt` includes (another tab is not a file on disk) and says so.
//!
//! The review (the CLI's `--output-dir` deliverables) is built from the same report and
//! packed into a `.zip` ([`Analyzer::review_zip`]).

use std::collections::HashSet;
use std::io::{Cursor, Write as _};

use pyward_contract::{Analysis, EditorFinding, Settings, Summary};
use pyward_engine::report::Report;
use pyward_engine::{Engine, FileError, FileResult, Options};
use serde::Deserialize;

use crate::{enabled_metas, options, Analyzer, Utf16Map, PLAYGROUND_MAX_BYTES};

/// At most this many tabs are analysed; the rest are reported as not analysed.
pub const MAX_TABS: usize = 16;

/// One editor tab: its file name and its text.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Tab {
    pub name: String,
    pub text: String,
}

impl Tab {
    pub fn new(name: &str, text: &str) -> Tab {
        Tab { name: name.to_string(), text: text.to_string() }
    }

    fn is_dependency_file(&self) -> bool {
        Engine::is_dependency_file(&self.name)
    }
}

fn error(path: &str, message: String) -> FileError {
    FileError { path: path.to_string(), message, line: None, column: None }
}

fn too_large(path: &str, len: usize) -> FileResult {
    FileResult {
        path: path.to_string(),
        errors: vec![error(
            path,
            format!(
                "the file is {:.1} MB, over the playground's {} MB limit; it was not analysed (the pyward CLI handles files up to 16 MB)",
                len as f64 / 1048576.0,
                PLAYGROUND_MAX_BYTES / 1048576
            ),
        )],
        ..Default::default()
    }
}

/// The module name a Python tab is imported by (`app.py`: `app`).
fn module_stem(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.strip_suffix(".py").unwrap_or(base)
}

impl Analyzer {
    /// Each tab's result, in tab order (tabs past [`MAX_TABS`] get one error saying so).
    pub fn tab_results(&self, tabs: &[Tab], opts: &Options) -> Vec<FileResult> {
        let analysed = &tabs[..tabs.len().min(MAX_TABS)];
        let mut declared: HashSet<String> = HashSet::new();
        let mut any_dependency_file = false;
        let mut out: Vec<FileResult> = analysed
            .iter()
            .map(|t| {
                if t.text.len() > PLAYGROUND_MAX_BYTES {
                    return too_large(&t.name, t.text.len());
                }
                if !t.is_dependency_file() {
                    return self.engine.check_source(&t.name, &t.text, opts);
                }
                any_dependency_file = true;
                let done = self.engine.check_dependency_file(&t.name, &t.text, opts);
                declared.extend(done.declared);
                let mut result = done.result;
                if self.dependency_data.is_none() {
                    result.errors.push(error(
                        &t.name,
                        "the advisory data could not be loaded, so the pinned versions were not checked for known vulnerabilities (the other dependency checks ran)".into(),
                    ));
                }
                for inc in &done.includes {
                    result.errors.push(error(&t.name, format!("`{inc}` is included but not read: the playground reads only its tabs; scan the project with the pyward CLI")));
                }
                result
            })
            .collect();
        if any_dependency_file {
            let local: HashSet<String> = analysed.iter().filter(|t| !t.is_dependency_file()).map(|t| module_stem(&t.name).to_string()).collect();
            for (t, r) in analysed.iter().zip(out.iter_mut()) {
                if !t.is_dependency_file() && t.text.len() <= PLAYGROUND_MAX_BYTES {
                    r.findings.extend(self.engine.check_imports(&t.name, &t.text, &local, &declared, opts));
                }
            }
        }
        for t in tabs.iter().skip(MAX_TABS) {
            out.push(FileResult { path: t.name.clone(), errors: vec![error(&t.name, format!("not analysed: the playground analyses at most {MAX_TABS} tabs"))], ..Default::default() });
        }
        out
    }

    fn tabs_report(&self, tabs: &[Tab], settings: &Settings) -> (Report, Options) {
        let opts = options(settings);
        let results = self.tab_results(tabs, &opts);
        (Report::new(results, &enabled_metas(&self.engine, &opts)), opts)
    }

    /// Analyses every tab; each finding and error carries its file's name (`finding.path`) and
    /// UTF-16 offsets into that file's text.
    pub fn analyze_tabs(&self, tabs: &[Tab], settings: &Settings) -> Analysis {
        let (report, _) = self.tabs_report(tabs, settings);
        let maps: Vec<(&str, &str, Utf16Map)> = tabs.iter().map(|t| (t.name.as_str(), t.text.as_str(), Utf16Map::new(&t.text))).collect();
        let empty = Utf16Map::new("");
        let map_of = |path: &str| maps.iter().find(|(n, _, _)| *n == path).map_or(("", &empty), |(_, text, m)| (*text, m));
        let findings: Vec<EditorFinding> = report
            .findings
            .into_iter()
            .map(|f| {
                let (src, map) = map_of(&f.path);
                map.editor_finding(src, f)
            })
            .collect();
        let errors = report
            .errors
            .into_iter()
            .map(|e| {
                let (src, map) = map_of(&e.path);
                map.editor_error(src, e)
            })
            .collect();
        let hidden = if *settings == Settings::default() {
            0
        } else {
            let every = Options { extend_select: settings.enabled_families.clone(), ..Options::default() };
            let all: usize = self.tab_results(tabs, &every).iter().map(|r| r.findings.len()).sum();
            all.saturating_sub(findings.len())
        };
        let s = report.summary;
        Analysis {
            findings,
            errors,
            summary: Summary { critical: s.critical, high: s.high, medium: s.medium, low: s.low, suppressed: s.suppressed, lines: s.lines, hidden },
            status: report.status.to_string(),
            categories_checked: report.categories_checked,
            risk: report.risk,
            owasp_top10: report.owasp_top10,
        }
    }

    /// The report of every tab in one of the CLI's formats (see [`Analyzer::export`]).
    pub fn export_tabs(&self, tabs: &[Tab], settings: &Settings, format: &str) -> Result<String, String> {
        let (report, opts) = self.tabs_report(tabs, settings);
        self.formatted(&report, &opts, format)
    }

    /// The review the CLI writes with `--format markdown --output-dir DIR`, for `date`
    /// (`YYYY-MM-DD`): `security-analysis-DATE.md` and `security-analysis-DATE/finding-NNN-<rule>.md`.
    pub fn review(&self, tabs: &[Tab], settings: &Settings, date: &str) -> pyward_engine::report::Review {
        let (report, opts) = self.tabs_report(tabs, settings);
        let scope: Vec<String> = tabs.iter().map(|t| t.name.clone()).collect();
        report.to_review(&enabled_metas(&self.engine, &opts), date, &scope)
    }

    /// The review as a `.zip` (deflated), every file dated `date`.
    pub fn review_zip(&self, tabs: &[Tab], settings: &Settings, date: &str) -> Result<Vec<u8>, String> {
        let review = self.review(tabs, settings, date);
        zip_files(review.files().map(|f| (f.path.as_str(), f.text.as_bytes())), date)
    }
}

/// A `.zip` of `(path, bytes)`, deflated, each entry dated `date` (`YYYY-MM-DD`, midnight; an
/// unreadable date gives the zip format's default, 1980-01-01).
///
/// The `zip` crate (zip-rs, the maintained Rust implementation) with its default features off:
/// no encryption, no other compressors, no clock; Deflate through `flate2`'s pure-Rust backend
/// (miniz_oxide, which the page already links for share links). Size: see bench/web.mjs.
pub fn zip_files<'a>(files: impl Iterator<Item = (&'a str, &'a [u8])>, date: &str) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let mut parts = date.split('-').map(|p| p.parse::<u16>().ok());
    let when = match (parts.next().flatten(), parts.next().flatten(), parts.next().flatten()) {
        (Some(y), Some(m), Some(d)) => zip::DateTime::from_date_and_time(y, m as u8, d as u8, 0, 0, 0).unwrap_or_default(),
        _ => zip::DateTime::default(),
    };
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).last_modified_time(when);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in files {
        w.start_file(path, options).map_err(|e| e.to_string())?;
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    w.finish().map(Cursor::into_inner).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADVISORIES: &str = include_str!("../../engine/data/advisories.tsv");
    const POPULAR: &str = include_str!("../../engine/data/popular.txt");

    fn with_data() -> Analyzer {
        let mut a = Analyzer::builtin().expect("rules");
        a.set_dependency_data(ADVISORIES, POPULAR);
        a
    }

    fn tabs() -> Vec<Tab> {
        vec![
            Tab::new("app.py", "import flask\nimport reqeusts\nimport helpers\nimport os\nos.system(cmd)\n"),
            Tab::new("helpers.py", "x = 1\n"),
            Tab::new("requirements.txt", "--extra-index-url http://pypi.example.com/simple\ndjango==2.2.0\nflask==3.0.0\n"),
        ]
    }

    #[test]
    fn tabs_are_analysed_by_kind_with_their_own_offsets() {
        let a = with_data();
        let tabs = tabs();
        let r = a.analyze_tabs(&tabs, &Settings::default());
        let of = |path: &str| r.findings.iter().filter(|f| f.finding.path == path).collect::<Vec<_>>();
        let app = of("app.py");
        let cmd = app.iter().find(|f| f.finding.rule_id == "os-command-injection").expect("python finding");
        let units: Vec<u16> = tabs[0].text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[cmd.from as usize..cmd.to as usize]).unwrap(), "os.system(cmd)");
        // The undeclared import that imitates a popular package; `helpers` is a tab, `os` stdlib.
        let squat = app.iter().find(|f| f.finding.rule_id == "typosquat-dependency").expect("import typosquat");
        assert_eq!(squat.finding.dependency.as_ref().and_then(|d| d.imitates.as_deref()), Some("requests"));
        assert_eq!(app.iter().filter(|f| f.finding.rule_id == "typosquat-dependency").count(), 1, "{app:?}");
        let req = of("requirements.txt");
        let django = req.iter().find(|f| f.finding.dependency.as_ref().is_some_and(|d| d.package == "django")).expect("django advisory");
        let text: Vec<u16> = tabs[2].text.encode_utf16().collect();
        assert!(String::from_utf16(&text[django.from as usize..django.to as usize]).unwrap().contains("django"));
        assert!(django.finding.dependency.as_ref().and_then(|d| d.fixed.clone()).is_some());
        assert!(req.iter().any(|f| f.finding.message.contains("http://")), "{req:?}");
        assert!(of("helpers.py").is_empty());
    }

    #[test]
    fn without_the_data_the_dependency_tab_says_what_was_not_checked() {
        let a = Analyzer::builtin().expect("rules");
        let r = a.analyze_tabs(&tabs(), &Settings::default());
        assert!(r.errors.iter().any(|e| e.error.path == "requirements.txt" && e.error.message.contains("advisory data")), "{:?}", r.errors);
        assert_ne!(r.status, "NO_SECURITY_ISSUES");
    }

    #[test]
    fn tabs_past_the_limit_are_reported_not_analysed() {
        let a = Analyzer::builtin().expect("rules");
        let many: Vec<Tab> = (0..MAX_TABS + 2).map(|i| Tab::new(&format!("m{i}.py"), "import pickle\npickle.loads(b)\n")).collect();
        let r = a.analyze_tabs(&many, &Settings::default());
        assert_eq!(r.findings.iter().filter(|f| f.finding.rule_id == "unsafe-deserialization-pickle").count(), MAX_TABS);
        assert_eq!(r.errors.iter().filter(|e| e.error.message.contains("at most")).count(), 2);
    }

    #[test]
    fn includes_are_named_as_not_read() {
        let a = with_data();
        let r = a.analyze_tabs(&[Tab::new("requirements.txt", "-r base.txt\nflask==3.0.0\n")], &Settings::default());
        assert!(r.errors.iter().any(|e| e.error.message.contains("base.txt")), "{:?}", r.errors);
    }

    #[test]
    fn the_review_zip_holds_the_report_and_one_file_per_finding() {
        let a = with_data();
        let tabs = tabs();
        let review = a.review(&tabs, &Settings::default(), "2026-12-07");
        assert_eq!(review.report.path, "security-analysis-2026-12-07.md");
        assert!(review.report.text.contains("**Overall risk: High**") && !review.report.text.contains(" risk**"), "{}", review.report.text);
        assert!(!review.findings.is_empty());
        let bytes = a.review_zip(&tabs, &Settings::default(), "2026-12-07").expect("zip");
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a readable zip");
        assert_eq!(z.len(), review.findings.len() + 1);
        let names: Vec<String> = z.file_names().filter_map(Result::ok).map(|n| n.to_string()).collect();
        assert!(names.contains(&"security-analysis-2026-12-07.md".to_string()));
        assert!(names.iter().any(|n| n.starts_with("security-analysis-2026-12-07/finding-001-") && n.ends_with(".md")), "{names:?}");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut z.by_name("security-analysis-2026-12-07.md").expect("report"), &mut text).expect("utf-8");
        assert_eq!(text, review.report.text, "stored as the review wrote it");
    }
}
