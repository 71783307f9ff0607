//! The browser-facing API over the engine.
//!
//! The playground runs this module inside a Web Worker (`web/worker.js`), so analysis never
//! blocks the page. Results cross to JavaScript through serde-wasm-bindgen as the types of
//! `pyward-contract`, which the page reads back with the same definitions: findings carry UTF-16
//! offsets for the editor (CodeMirror counts UTF-16 code units; the engine counts bytes and code
//! points).
//!
//! Everything here is also plain Rust (`analyze`, `export`), so it is tested natively.

use pyward_engine::report::Report;
use pyward_contract::{Analysis, Catalog, EditorError, EditorFinding, FamilyInfo, Remediation, RuleInfo, Settings, Summary};
use pyward_engine::{Engine, FileError, Finding, Options, RuleMeta};
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub mod files;
pub use files::Tab;
pub mod workshop;

/// The largest input the playground analyses (the editor shows a message above it).
pub const PLAYGROUND_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The engine's options for the playground's settings.
pub fn options(settings: &Settings) -> Options {
    Options {
        min_severity: settings.min_severity,
        min_confidence: settings.min_confidence,
        ignore: settings.disabled_families.clone(),
        extend_select: settings.enabled_families.clone(),
        ..Options::default()
    }
}

/// Maps byte offsets and (line, code-point column) positions of one text to UTF-16 offsets.
struct Utf16Map {
    /// For each line: (byte offset of its start, UTF-16 offset of its start).
    lines: Vec<(usize, u32)>,
}

impl Utf16Map {
    fn new(src: &str) -> Utf16Map {
        let mut lines = vec![(0usize, 0u32)];
        let mut u16 = 0u32;
        let bytes = src.as_bytes();
        for (i, c) in src.char_indices() {
            u16 += c.len_utf16() as u32;
            // `\n`, `\r\n` and a lone `\r` end a line, as for CPython and the engine.
            if c == '\n' || (c == '\r' && bytes.get(i + 1) != Some(&b'\n')) {
                lines.push((i + 1, u16));
            }
        }
        Utf16Map { lines }
    }

    fn line_of(&self, byte: usize) -> usize {
        self.lines.partition_point(|(b, _)| *b <= byte).saturating_sub(1)
    }

    /// UTF-16 offset of a byte offset (clamped to the text, snapped back to a char boundary).
    fn offset(&self, src: &str, byte: u32) -> u32 {
        let mut b = (byte as usize).min(src.len());
        while !src.is_char_boundary(b) {
            b -= 1;
        }
        let (start, u) = self.lines[self.line_of(b)];
        u + src[start..b].chars().map(|c| c.len_utf16() as u32).sum::<u32>()
    }

    /// UTF-16 offset of a 1-based line and 1-based code-point column.
    fn position(&self, src: &str, line: u32, column: u32) -> u32 {
        let li = (line.max(1) as usize - 1).min(self.lines.len() - 1);
        let (start, u) = self.lines[li];
        let end = self.lines.get(li + 1).map_or(src.len(), |(b, _)| *b);
        u + src[start..end].chars().take(column.max(1) as usize - 1).map(|c| c.len_utf16() as u32).sum::<u32>()
    }

    /// UTF-16 range of the whole lines holding bytes `from..to` (without the final newline).
    /// A finding with its ranges in the editor's units.
    fn editor_finding(&self, src: &str, f: Finding) -> EditorFinding {
        let (line_from, line_to) = self.line_range(src, f.start_offset, f.end_offset);
        EditorFinding {
            trace_ranges: f.trace.iter().map(|t| (self.offset(src, t.start_offset), self.offset(src, t.end_offset))).collect(),
            fix_edit_ranges: f.fix_edits.iter().map(|e| (self.offset(src, e.start_offset), self.offset(src, e.end_offset))).collect(),
            from: self.offset(src, f.start_offset),
            to: self.offset(src, f.end_offset),
            line_from,
            line_to,
            finding: f,
        }
    }

    /// An error with its position in the editor's units.
    fn editor_error(&self, src: &str, e: FileError) -> EditorError {
        EditorError { from: e.line.zip(e.column).map(|(l, c)| self.position(src, l, c)), error: e }
    }

    fn line_range(&self, src: &str, from: u32, to: u32) -> (u32, u32) {
        let first = self.line_of((from as usize).min(src.len()));
        let last = self.line_of((to as usize).min(src.len()));
        let start = self.lines[first].1;
        let end_byte = self.lines.get(last + 1).map_or(src.len(), |(b, _)| b.saturating_sub(1));
        let end_byte = if src[..end_byte].ends_with('\r') { end_byte - 1 } else { end_byte };
        (start, self.offset(src, end_byte as u32).max(start))
    }
}

/// A rule's metadata with the links the detail view shows.
pub fn rule_info(meta: &RuleMeta) -> RuleInfo {
    RuleInfo {
        id: meta.id.clone(),
        title: meta.title.clone(),
        severity: meta.severity,
        confidence: meta.confidence,
        cwe: meta.cwe,
        cwe_title: meta.cwe_title.clone(),
        owasp: meta.owasp.clone(),
        references: meta.references.clone(),
        family: meta.family.clone(),
        bandit: meta.bandit.clone(),
        ruff: meta.ruff.clone(),
        docs: meta.docs.clone(),
        remediation: meta.remediation.as_ref().map(|r| Remediation { before: r.before.clone(), after: r.after.clone() }),
        cwe_url: meta.cwe.map(pyward_engine::report::cwe_url),
        owasp_url: meta.owasp.as_deref().map(pyward_engine::report::owasp_url),
    }
}

/// The engine's rule families, in its order (the settings offer each one).
pub fn families() -> Vec<FamilyInfo> {
    pyward_engine::rules::FAMILIES
        .iter()
        .map(|(id, label)| FamilyInfo { id: id.to_string(), label: label.to_string(), opt_in: pyward_engine::rules::is_opt_in(id) })
        .collect()
}

/// The built-in engine plus any rules the user added.
pub struct Analyzer {
    engine: Engine,
    /// The dependency audit's data as given (advisory table, popular names), kept to load
    /// again when the user's rules rebuild the engine.
    dependency_data: Option<(String, String)>,
}

fn enabled_metas<'a>(engine: &'a Engine, opts: &Options) -> Vec<&'a RuleMeta> {
    engine.rules().iter().map(|r| &r.meta).filter(|m| opts.rule_enabled(m)).collect()
}

impl Analyzer {
    pub fn builtin() -> Result<Analyzer, String> {
        Engine::builtin().map(|engine| Analyzer { engine, dependency_data: None }).map_err(|e| e.to_string())
    }

    /// Replaces the user's own rules with those of `yaml` (Semgrep-style, as `--rules` takes).
    /// Empty text removes them. On an error the previous rules stay and the message names the
    /// key and the reason.
    pub fn set_custom_rules(&mut self, yaml: &str) -> Result<usize, String> {
        let mut engine = Engine::builtin().map_err(|e| e.to_string())?;
        let n = if yaml.trim().is_empty() { 0 } else { engine.add_rules_yaml("custom-rules.yaml", yaml).map_err(|e| e.to_string())? };
        if let Some((advisories, popular)) = &self.dependency_data {
            engine.set_advisories(advisories);
            engine.set_popular(popular);
        }
        self.engine = engine;
        Ok(n)
    }

    /// The metadata of every rule (ids, docs, remediation, links), for the finding detail view.
    pub fn rule_infos(&self) -> Vec<RuleInfo> {
        self.engine.rules().iter().map(|r| rule_info(&r.meta)).collect()
    }

    /// Every rule and the rule families, for the page.
    pub fn catalog(&self) -> Catalog {
        Catalog { rules: self.rule_infos(), families: families() }
    }

    fn report(&self, path: &str, source: &str, settings: &Settings) -> (Report, Options) {
        let opts = options(settings);
        let result = if source.len() > PLAYGROUND_MAX_BYTES {
            pyward_engine::FileResult {
                path: path.to_string(),
                errors: vec![FileError {
                    path: path.to_string(),
                    message: format!(
                        "the input is {:.1} MB, over the playground's {} MB limit; it was not analysed (the pyward CLI handles files up to 16 MB)",
                        source.len() as f64 / 1048576.0,
                        PLAYGROUND_MAX_BYTES / 1048576
                    ),
                    line: None,
                    column: None,
                }],
                ..Default::default()
            }
        } else {
            self.engine.check_source(path, source, &opts)
        };
        (Report::new(vec![result], &enabled_metas(&self.engine, &opts)), opts)
    }

    /// Sets the dependency audit's data: the advisory table (`crates/engine/data/advisories.tsv`,
    /// which the page fetches as a separate same-origin file: it is never embedded in the wasm)
    /// and the popular package names (`popular.txt`, likewise). Returns the table's date.
    pub fn set_dependency_data(&mut self, advisories: &str, popular: &str) -> Option<String> {
        let date = self.engine.set_advisories(advisories);
        self.engine.set_popular(popular);
        self.dependency_data = Some((advisories.to_string(), popular.to_string()));
        date
    }

    /// Audits one dependency file (`requirements.txt`, `pyproject.toml`, ...; its name picks
    /// the format) and returns the report in the JSON contract (the CLI's `--format json`).
    /// Without [`Analyzer::set_dependency_data`] only the checks that need no data run.
    pub fn analyze_dependency_json(&self, path: &str, text: &str, settings: &Settings) -> String {
        let opts = options(settings);
        let result = self.engine.check_dependency_file(path, text, &opts).result;
        Report::new(vec![result], &enabled_metas(&self.engine, &opts)).to_json()
    }

    /// Analyses one source text.
    pub fn analyze(&self, source: &str, settings: &Settings) -> Analysis {
        let (report, _) = self.report("playground.py", source, settings);
        let map = Utf16Map::new(source);
        let findings: Vec<EditorFinding> = report.findings.into_iter().map(|f| map.editor_finding(source, f)).collect();
        let errors = report.errors.into_iter().map(|e| map.editor_error(source, e)).collect();
        let hidden = self.hidden_by(source, settings, findings.len());
        let s = report.summary;
        Analysis {
            findings,
            errors,
            summary: Summary {
                critical: s.critical,
                high: s.high,
                medium: s.medium,
                low: s.low,
                suppressed: s.suppressed,
                lines: s.lines,
                hidden,
            },
            status: report.status.to_string(),
            categories_checked: report.categories_checked,
            risk: report.risk,
            owasp_top10: report.owasp_top10,
        }
    }

    /// How many more findings `source` gives with every rule on than the `shown` ones `settings`
    /// let through: a page that hides findings must say so, never report the code as clean.
    /// Zero (and no second analysis) with the default settings, which hide nothing.
    fn hidden_by(&self, source: &str, settings: &Settings, shown: usize) -> usize {
        if *settings == Settings::default() || source.len() > PLAYGROUND_MAX_BYTES {
            return 0;
        }
        // Every rule on: the default rules and the opt-in families the user switched on.
        let every = Options { extend_select: settings.enabled_families.clone(), ..Options::default() };
        let all = self.engine.check_source("playground.py", source, &every);
        all.findings.len().saturating_sub(shown)
    }

    /// The report in one of the CLI's formats: `markdown`, `sarif`, `json` or `text`.
    pub fn export(&self, source: &str, settings: &Settings, format: &str) -> Result<String, String> {
        let (report, opts) = self.report("playground.py", source, settings);
        self.formatted(&report, &opts, format)
    }

    /// A report in one of the CLI's formats, with the metadata of the rules `opts` enables.
    fn formatted(&self, report: &Report, opts: &Options, format: &str) -> Result<String, String> {
        let metas = enabled_metas(&self.engine, opts);
        match format {
            "markdown" | "md" => Ok(report.to_markdown(&metas)),
            "sarif" => Ok(report.to_sarif(&metas)),
            "json" => Ok(report.to_json()),
            "text" => Ok(report.to_text()),
            other => Err(format!("unknown export format `{other}` (expected markdown, sarif, json or text)")),
        }
    }
}

/// Kept for callers that want the plain JSON contract.
pub fn analyze_to_json(engine: &Engine, path: &str, source: &str, opts: &Options) -> String {
    let result = engine.check_source(path, source, opts);
    Report::new(vec![result], &enabled_metas(engine, opts)).to_json()
}

// ---- wasm-bindgen surface -------------------------------------------------------------------

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

fn settings_from_js(v: JsValue) -> Result<Settings, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(Settings::default());
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&format!("invalid settings: {e}")))
}

fn tabs_from_js(v: JsValue) -> Result<Vec<Tab>, JsError> {
    serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&format!("invalid tabs: {e}")))
}

/// The engine as JavaScript sees it.
#[wasm_bindgen(js_name = Analyzer)]
pub struct JsAnalyzer {
    inner: Analyzer,
}

#[wasm_bindgen(js_class = Analyzer)]
impl JsAnalyzer {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<JsAnalyzer, JsError> {
        Analyzer::builtin().map(|inner| JsAnalyzer { inner }).map_err(|e| JsError::new(&e))
    }

    /// `{rules, families}`: every rule's metadata (id, title, severity, cwe, owasp, docs,
    /// remediation, links) and the rule families the settings can switch off.
    pub fn catalog(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.catalog())
    }

    /// Analyses `source`; `settings` is `{min_severity, min_confidence, disabled_families}`.
    pub fn analyze(&self, source: &str, settings: JsValue) -> Result<JsValue, JsError> {
        to_js(&self.inner.analyze(source, &settings_from_js(settings)?))
    }

    /// As `analyze`, as one JSON string: the page reads one string faster than an object tree
    /// field by field (one wasm-bindgen crossing instead of one per field), and building the
    /// string here is faster than building the JavaScript objects.
    #[wasm_bindgen(js_name = analyzeJson)]
    pub fn analyze_json(&self, source: &str, settings: JsValue) -> Result<String, JsError> {
        let analysis = self.inner.analyze(source, &settings_from_js(settings)?);
        serde_json::to_string(&analysis).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Loads the user's own rules (YAML); returns how many were loaded. Empty text removes them.
    #[wasm_bindgen(js_name = setCustomRules)]
    pub fn set_custom_rules(&mut self, yaml: &str) -> Result<usize, JsError> {
        self.inner.set_custom_rules(yaml).map_err(|e| JsError::new(&e))
    }

    /// As `setCustomRules`, for the rule workshop: `{ok, count, message, line, column}`, with the
    /// YAML position of a load error.
    #[wasm_bindgen(js_name = loadRules)]
    pub fn load_rules(&mut self, yaml: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.load_rules(yaml))
    }

    /// The `# ruleid:` / `# ok:` annotations of `source` checked against the rules, as JSON
    /// (`workshop::AnnotationReport`).
    #[wasm_bindgen(js_name = annotationsJson)]
    pub fn annotations_json(&self, source: &str) -> Result<String, JsError> {
        serde_json::to_string(&self.inner.annotations(source)).map_err(|e| JsError::new(&e.to_string()))
    }

    /// How rule `rule` matched `source`, operator by operator, as JSON (`workshop::Explanation`).
    #[wasm_bindgen(js_name = explainJson)]
    pub fn explain_json(&self, source: &str, rule: &str) -> Result<String, JsError> {
        serde_json::to_string(&self.inner.explain(source, rule)).map_err(|e| JsError::new(&e.to_string()))
    }

    /// A built-in rule as YAML, renamed `my-<id>`, to start a new rule from.
    #[wasm_bindgen(js_name = builtinRuleYaml)]
    pub fn builtin_rule_yaml(id: &str) -> Option<String> {
        workshop::builtin_rule_yaml(id)
    }

    /// The report as Markdown, SARIF, JSON or text.
    pub fn export(&self, source: &str, settings: JsValue, format: &str) -> Result<String, JsError> {
        self.inner.export(source, &settings_from_js(settings)?, format).map_err(|e| JsError::new(&e))
    }

    /// Whether a file of this name is a dependency file (`requirements*.txt`, `pyproject.toml`…).
    #[wasm_bindgen(js_name = isDependencyFile)]
    pub fn is_dependency_file(name: &str) -> bool {
        Engine::is_dependency_file(name)
    }

    pub fn version() -> String {
        pyward_engine::VERSION.to_string()
    }

    /// Installs the Unicode name table for `\N{...}` escapes (the bytes of `unicode-names.bin`,
    /// which the worker fetches only for a text with `\N{`; this wasm leaves the table out).
    /// Returns the reason a damaged file is refused. Without it such strings are unknown, and
    /// the file's result says it was not analysed fully.
    #[wasm_bindgen(js_name = setUnicodeNames)]
    pub fn set_unicode_names(bytes: Vec<u8>) -> Option<String> {
        pyward_engine::syntax::parse::install_unicode_names(bytes).err()
    }

    /// Does this build have the dependency audit? (The page's first build does not: the worker
    /// loads the one that does when a dependency file is analysed.)
    #[wasm_bindgen(js_name = hasDependencyAudit)]
    pub fn has_dependency_audit() -> bool {
        pyward_engine::HAS_DEPENDENCY_AUDIT
    }

    /// Is the Unicode name table there?
    #[wasm_bindgen(js_name = hasUnicodeNames)]
    pub fn has_unicode_names() -> bool {
        pyward_engine::syntax::parse::unicode_names_available()
    }

    /// Loads the dependency audit's data (the advisory table and the popular names, fetched
    /// as same-origin files); returns the table's date.
    #[wasm_bindgen(js_name = setDependencyData)]
    pub fn set_dependency_data(&mut self, advisories: &str, popular: &str) -> Option<String> {
        self.inner.set_dependency_data(advisories, popular)
    }

    /// Analyses every tab (`[{name, text}]`: Python files and dependency files, the name picks
    /// the kind); the analysis as one JSON string, each finding with its file's `path`.
    #[wasm_bindgen(js_name = analyzeTabsJson)]
    pub fn analyze_tabs_json(&self, tabs: JsValue, settings: JsValue) -> Result<String, JsError> {
        let analysis = self.inner.analyze_tabs(&tabs_from_js(tabs)?, &settings_from_js(settings)?);
        serde_json::to_string(&analysis).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The report of every tab as Markdown, SARIF, JSON or text.
    #[wasm_bindgen(js_name = exportTabs)]
    pub fn export_tabs(&self, tabs: JsValue, settings: JsValue, format: &str) -> Result<String, JsError> {
        self.inner.export_tabs(&tabs_from_js(tabs)?, &settings_from_js(settings)?, format).map_err(|e| JsError::new(&e))
    }

    /// The review (the CLI's `--output-dir` files) of every tab as `.zip` bytes, dated `date`.
    #[wasm_bindgen(js_name = reviewZip)]
    pub fn review_zip(&self, tabs: JsValue, settings: JsValue, date: &str) -> Result<Vec<u8>, JsError> {
        self.inner.review_zip(&tabs_from_js(tabs)?, &settings_from_js(settings)?, date).map_err(|e| JsError::new(&e))
    }

    /// Audits a dependency file; the report as JSON text.
    #[wasm_bindgen(js_name = analyzeDependencyJson)]
    pub fn analyze_dependency_json(&self, path: &str, text: &str, settings: JsValue) -> Result<String, JsError> {
        Ok(self.inner.analyze_dependency_json(path, text, &settings_from_js(settings)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_findings_as_json() {
        let engine = Engine::builtin().expect("rules");
        let json = analyze_to_json(&engine, "snippet.py", "import pickle\npickle.loads(data)\n", &Options::default());
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(v["findings"][0]["rule_id"], "unsafe-deserialization-pickle");
        assert_eq!(v["findings"][0]["line"], 2);
    }

    #[test]
    fn utf16_offsets_account_for_emoji_and_non_bmp() {
        let a = Analyzer::builtin().expect("rules");
        // '😀' is one code point, two UTF-16 units, four bytes; 'é' is two bytes, one unit.
        let src = "import os\nx = '😀é'; os.system(cmd)\n";
        let r = a.analyze(src, &Settings::default());
        let f = r.findings.iter().find(|f| f.finding.rule_id == "os-command-injection").expect("finding");
        let utf16: Vec<u16> = src.encode_utf16().collect();
        let text = String::from_utf16(&utf16[f.from as usize..f.to as usize]).expect("utf16");
        assert_eq!(text, "os.system(cmd)");
        let line = String::from_utf16(&utf16[f.line_from as usize..f.line_to as usize]).expect("utf16");
        assert_eq!(line, "x = '😀é'; os.system(cmd)");
        assert_eq!(f.finding.column, 11, "columns count code points");
    }

    /// A file with old-Mac (`\r`) or Windows line endings: the editor ranges are those of the
    /// flagged code and its line, as with `\n`.
    #[test]
    fn editor_ranges_follow_every_line_break() {
        let a = Analyzer::builtin().expect("rules");
        for nl in ["\r", "\r\n", "\n"] {
            let src = format!("import os{nl}x = 1{nl}os.system(cmd){nl}");
            let r = a.analyze(&src, &Settings::default());
            let f = r.findings.iter().find(|f| f.finding.rule_id == "os-command-injection").expect("finding");
            assert_eq!(f.finding.line, 3, "{nl:?}");
            let utf16: Vec<u16> = src.encode_utf16().collect();
            assert_eq!(String::from_utf16(&utf16[f.from as usize..f.to as usize]).unwrap(), "os.system(cmd)", "{nl:?}");
            assert_eq!(String::from_utf16(&utf16[f.line_from as usize..f.line_to as usize]).unwrap(), "os.system(cmd)", "{nl:?}");
        }
    }

    #[test]
    fn syntax_errors_carry_utf16_positions_and_findings_survive() {
        let a = Analyzer::builtin().expect("rules");
        let src = "s = '😀'\ndef f(:\n    pass\nimport pickle\npickle.loads(b)\n";
        let r = a.analyze(src, &Settings::default());
        assert!(!r.errors.is_empty());
        let from = r.errors[0].from.expect("position");
        let utf16: Vec<u16> = src.encode_utf16().collect();
        assert!((from as usize) < utf16.len());
        // The error is on line 2, after the emoji line (8 units + newline).
        assert!(from >= 9, "error offset {from} should be on line 2");
        assert!(r.findings.iter().any(|f| f.finding.line == 5));
    }

    #[test]
    fn settings_filter_families_and_severity() {
        let a = Analyzer::builtin().expect("rules");
        let src = "import pickle, os\npickle.loads(b)\nos.system(c)\n";
        let all = a.analyze(src, &Settings::default());
        assert!(all.findings.len() >= 2);
        let no_deser = a.analyze(src, &Settings { disabled_families: vec!["deserialization".into()], ..Default::default() });
        assert!(no_deser.findings.iter().all(|f| f.finding.family != "deserialization"));
        assert!(!no_deser.findings.is_empty());
        let crit = a.analyze(src, &Settings { min_severity: pyward_contract::Severity::Critical, ..Default::default() });
        assert!(crit.findings.iter().all(|f| f.finding.severity == pyward_contract::Severity::Critical));
    }

    #[test]
    fn findings_hidden_by_the_settings_are_counted_not_reported_as_clean() {
        let a = Analyzer::builtin().expect("rules");
        let src = "import pickle, os\npickle.loads(b)\nos.system(c)\n";
        let all = a.analyze(src, &Settings::default());
        assert_eq!(all.summary.hidden, 0, "the defaults hide nothing");
        let n = all.findings.len();
        let none = a.analyze(src, &Settings { disabled_families: vec!["deserialization".into(), "injection".into()], ..Default::default() });
        assert!(none.findings.is_empty(), "{:?}", none.findings);
        assert_eq!(none.summary.hidden, n, "every finding is counted as hidden");
        let some = a.analyze(src, &Settings { disabled_families: vec!["deserialization".into()], ..Default::default() });
        assert_eq!(some.summary.hidden + some.findings.len(), n);
        assert!(some.summary.hidden >= 1);
        // Clean code hides nothing, whatever the settings.
        let clean = a.analyze("x = 1\n", &Settings { min_severity: pyward_contract::Severity::Critical, ..Default::default() });
        assert_eq!((clean.summary.hidden, clean.status.as_str()), (0, "NO_SECURITY_ISSUES"));
    }

    #[test]
    fn every_engine_family_is_offered_and_can_be_switched_off() {
        let families = families();
        let ids: Vec<&str> = families.iter().map(|f| f.id.as_str()).collect();
        let engine: Vec<&str> = pyward_engine::rules::FAMILIES.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, engine);
        assert!(ids.contains(&"web"), "{ids:?}");
        // Each family a built-in rule belongs to is listed, so none is stuck on.
        let a = Analyzer::builtin().expect("rules");
        assert!(a.rule_infos().iter().all(|r| ids.contains(&r.family.as_str())));
        let src = "from flask import redirect, request\ndef f():\n    return redirect(request.args.get('next'))\n";
        let on = a.analyze(src, &Settings::default());
        assert!(on.findings.iter().any(|f| f.finding.rule_id == "open-redirect"), "{:?}", on.findings);
        let off = a.analyze(src, &Settings { disabled_families: vec!["web".into()], ..Default::default() });
        assert!(off.findings.iter().all(|f| f.finding.family != "web"));
    }

    #[test]
    fn the_naming_policy_is_offered_off_and_runs_when_switched_on() {
        let naming = families().into_iter().find(|f| f.id == "naming").expect("the naming family is offered");
        assert!(naming.opt_in);
        assert!(families().iter().filter(|f| f.id != "naming").all(|f| !f.opt_in));
        let a = Analyzer::builtin().expect("rules");
        let src = "def get_user(user_id):\n    return user_id\n";
        let off = a.analyze(src, &Settings::default());
        assert!(off.findings.is_empty() && off.summary.hidden == 0, "off by default, and not counted as hidden: {:?}", off.findings);
        let on = a.analyze(src, &Settings { enabled_families: vec!["naming".into()], ..Default::default() });
        let f = on.findings.iter().find(|f| f.finding.rule_id == "naming-function-name").expect("switched on");
        assert_eq!(f.finding.fix.as_deref(), Some("func_getUser"));
        assert_eq!(on.summary.hidden, 0, "the switched-on pack's findings are shown, not hidden");
    }

    #[test]
    fn oversized_input_is_refused_with_a_message() {
        let a = Analyzer::builtin().expect("rules");
        let src = "x = 1\n".repeat(PLAYGROUND_MAX_BYTES / 6 + 10);
        let r = a.analyze(&src, &Settings::default());
        assert!(r.findings.is_empty());
        assert!(r.errors[0].error.message.contains("limit"), "{}", r.errors[0].error.message);
    }

    #[test]
    fn custom_rules_are_added_replaced_and_validated() {
        let mut a = Analyzer::builtin().expect("rules");
        let builtin = a.rule_infos().len();
        let rule = "rules:\n  - id: no-print\n    languages: [python]\n    severity: LOW\n    message: print() left in the code\n    pattern: print(...)\n";
        assert_eq!(a.set_custom_rules(rule), Ok(1));
        assert_eq!(a.rule_infos().len(), builtin + 1);
        let r = a.analyze("print('hi')\n", &Settings::default());
        assert_eq!(r.findings.iter().map(|f| f.finding.rule_id.as_str()).collect::<Vec<_>>(), vec!["no-print"]);
        // A broken file is refused with a message naming the key; the previous rules stay.
        let err = a.set_custom_rules("rules:\n  - id: x\n    severity: HUGE\n    message: m\n    pattern: f()\n").unwrap_err();
        assert!(err.contains("severity"), "{err}");
        assert_eq!(a.rule_infos().len(), builtin + 1);
        assert!(a.set_custom_rules("rules: [").is_err());
        // Empty text removes them.
        assert_eq!(a.set_custom_rules("  \n"), Ok(0));
        assert_eq!(a.rule_infos().len(), builtin);
    }

    #[test]
    fn exports_every_format() {
        let a = Analyzer::builtin().expect("rules");
        let src = "import pickle\npickle.loads(b)\n";
        let md = a.export(src, &Settings::default(), "markdown").expect("md");
        assert!(md.contains("# pyward security report") && md.contains("unsafe-deserialization-pickle"));
        let sarif: serde_json::Value = serde_json::from_str(&a.export(src, &Settings::default(), "sarif").expect("sarif")).expect("json");
        assert_eq!(sarif["version"], "2.1.0");
        let json: serde_json::Value = serde_json::from_str(&a.export(src, &Settings::default(), "json").expect("json")).expect("json");
        assert_eq!(json["findings"][0]["line"], 2);
        assert!(a.export(src, &Settings::default(), "pdf").is_err());
    }
}
