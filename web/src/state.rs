//! The playground's state and the actions that change it. `reduce` is pure, so it is tested
//! natively; components only dispatch actions and render.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use yew::Reducible;

use crate::model::{Analysis, Catalog, Confidence, EditorFinding, FamilyInfo, RuleInfo, Settings, Severity};
use crate::tabs::Tab;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// Rule metadata by id, once the engine worker has started.
    pub rules: Rc<BTreeMap<String, RuleInfo>>,
    /// The rule families the engine knows, in its order, for the settings.
    pub families: Rc<Vec<FamilyInfo>>,
    pub engine_ready: bool,
    pub engine_error: Option<String>,
    pub engine_init_ms: Option<f64>,
    /// The latest analysis and the text it ran on.
    pub analysis: Option<Rc<Analysis>>,
    pub analyzed_source: Rc<str>,
    pub elapsed_ms: Option<f64>,
    /// The sequence number of the newest request; older results are dropped.
    pub latest_request: u64,
    pub pending: bool,
    /// Why the page stopped the analysis of the current text (it ran too long); cleared by the
    /// next result. While it is set, nothing is known about the code: no finding, no clean status.
    pub stopped: Option<String>,
    /// The user's own settings (remembered in localStorage).
    pub settings: Settings,
    /// Settings for this view only, never saved: a share link's, or "show all findings". The
    /// analysis uses these when set ([`State::effective_settings`]).
    pub view: Option<ViewSettings>,
    /// Why the share link in the address could not be opened (shown until dismissed).
    pub link_error: Option<String>,
    /// The example last loaded from the menu, and whether the user edited it since.
    pub example: Option<LoadedExample>,
    /// Severities hidden from the findings list by the count filters.
    pub hidden: BTreeSet<Severity>,
    /// Index into `analysis.findings` of the finding shown in detail.
    pub selected: Option<usize>,
    /// Index into `analysis.findings` of the finding row under the pointer (or keyboard focus):
    /// its trace is drawn in the editor instead of the selected finding's while it is there.
    pub hovered: Option<usize>,
    /// A short message for the user (link copied, download ready, engine restarted…).
    pub notice: Option<String>,
    pub settings_open: bool,
    /// The user's own rules (YAML) and the outcome of loading them: how many, or why not.
    pub custom_rules: String,
    pub custom_rules_status: Option<Result<usize, String>>,
    /// The colour theme the user chose, and whether the system prefers dark (for `System`).
    pub theme: Theme,
    pub system_dark: bool,
    /// Bumped when a finding is opened from its row: the detail panel takes the focus then (and
    /// only then, not when the editor's cursor selects a finding).
    pub detail_focus: u64,
    /// How many custom rules the engine uses now (from the last rules it accepted).
    pub custom_rules_active: usize,
    /// The editor's file tabs (`crate::tabs`) and the one in the editor. The active tab's text
    /// here is the editor's as of the last analysis; the editor holds the current one.
    pub tabs: Rc<Vec<Tab>>,
    pub active: usize,
    /// The rule workshop (web/src/workshop.rs).
    pub workshop: crate::workshop::Workshop,
}

/// The colour theme: the system's, or always light or dark. Remembered in localStorage, never
/// carried by share links.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    pub fn parse(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether the page is dark with this theme, given the system's preference.
    pub fn is_dark(self, system_dark: bool) -> bool {
        match self {
            Theme::System => system_dark,
            Theme::Light => false,
            Theme::Dark => true,
        }
    }
}

/// Settings that apply to the current view only.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewSettings {
    pub settings: Settings,
    /// True for a share link's settings, false for "show all findings".
    pub from_link: bool,
}

/// An example program loaded from the menu.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedExample {
    pub id: String,
    pub edited: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The rules and rule families, and how long the engine took to start (ms).
    EngineReady { catalog: Catalog, init_ms: f64 },
    EngineFailed(String),
    Requested(u64),
    Analyzed { seq: u64, source: Rc<str>, analysis: Analysis, ms: f64 },
    /// The page stopped request `seq`, which ran too long; the message says what was too slow.
    Stopped { seq: u64, message: String },
    Select(Option<usize>),
    /// The user activated a finding's row: select it and move the focus to its detail.
    Open(usize),
    /// The pointer entered (Some) or left (None) a finding row.
    Hover(Option<usize>),
    /// The user moved the editor's cursor to this UTF-16 offset: the finding there is selected.
    CursorAt(u32),
    ToggleSeverity(Severity),
    SetMinSeverity(Severity),
    SetMinConfidence(Confidence),
    ToggleFamily(String),
    SetSettings(Settings),
    /// A share link was opened: its settings apply to this view only (when they differ from the
    /// user's own).
    LinkOpened(Settings),
    /// A share link could not be opened; the message stays until dismissed (None).
    LinkFailed(Option<String>),
    /// Back to the user's own settings for this view.
    UseOwnSettings,
    /// Show every finding in this view (the user's saved settings stay as they are).
    ShowAllFindings,
    /// An example was loaded into the editor.
    ExampleLoaded(String),
    /// The code changed to this (reported with the debounced analysis, not per keystroke).
    Edited(Rc<str>),
    Notice(Option<String>),
    ToggleSettings,
    /// The user edited or applied their rules text.
    SetCustomRules(String),
    /// The engine's answer to new rules, with the full rule list when they loaded.
    CustomRulesLoaded(Result<usize, String>, Vec<RuleInfo>),
    SetTheme(Theme),
    /// The system's colour scheme changed (true: dark).
    SystemDark(bool),
    /// Back to the default settings, theme and severity filters (custom rules stay).
    ResetSettings,
    /// The tabs changed (added, removed, another one opened, an example or a link loaded):
    /// these tabs, with this one in the editor.
    SetTabs { tabs: Vec<Tab>, active: usize },
    /// The rule workshop's own actions (web/src/workshop.rs).
    Workshop(crate::workshop::WorkshopAction),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Cursor moves and hovers come often and mostly change nothing: answer those without
        // cloning and comparing the whole state.
        match &action {
            Action::CursorAt(pos) if self.finding_at(*pos).is_none_or(|i| self.selected == Some(i)) => return self,
            Action::Hover(i) if self.hovered == *i => return self,
            Action::Edited(code) if self.example.as_ref().is_none_or(|e| e.edited) && self.tabs.get(self.active).is_none_or(|t| t.text == *code) => return self,
            _ => {}
        }
        let mut s = (*self).clone();
        match action {
            Action::EngineReady { catalog, init_ms } => {
                s.engine_init_ms = Some(init_ms);
                s.families = Rc::new(catalog.families);
                s.rules = Rc::new(catalog.rules.into_iter().map(|r| (r.id.clone(), r)).collect());
                s.engine_ready = true;
                s.engine_error = None;
            }
            Action::EngineFailed(msg) => {
                s.engine_error = Some(msg);
                s.pending = false;
            }
            Action::Requested(seq) => {
                s.latest_request = s.latest_request.max(seq);
                s.pending = true;
            }
            Action::Analyzed { seq, source, analysis, ms } => {
                if seq < s.latest_request {
                    return self; // a newer request is on its way
                }
                // Keep the same finding selected when it is still there after an edit.
                let keep = s.selected_finding().map(|f| (f.rule_id.clone(), f.snippet.clone()));
                s.selected = keep.and_then(|(rule, snippet)| {
                    analysis.findings.iter().position(|f| f.rule_id == rule && f.snippet == snippet)
                });
                // Indices change with the new list; the row under the pointer reports itself again.
                s.hovered = None;
                s.analysis = Some(Rc::new(analysis));
                s.analyzed_source = source;
                s.elapsed_ms = Some(ms);
                s.pending = false;
                s.stopped = None;
            }
            Action::Stopped { seq, message } => {
                if seq < s.latest_request {
                    // The user edited meanwhile, and that newer text is analysed next: say what
                    // happened without hiding the coming result.
                    s.notice = Some(message);
                } else {
                    // The findings shown belong to older text: what is on screen must not read as
                    // this code's result.
                    s.analysis = None;
                    s.selected = None;
                    s.hovered = None;
                    s.pending = false;
                    s.stopped = Some(message);
                }
            }
            Action::Select(i) => {
                s.selected = i.filter(|i| s.analysis.as_ref().is_some_and(|a| *i < a.findings.len()));
            }
            Action::Open(i) => {
                if s.analysis.as_ref().is_some_and(|a| i < a.findings.len()) {
                    s.selected = Some(i);
                    s.detail_focus += 1;
                }
            }
            Action::Hover(i) => {
                s.hovered = i.filter(|i| s.analysis.as_ref().is_some_and(|a| *i < a.findings.len()));
            }
            Action::CursorAt(pos) => {
                if let Some(i) = s.finding_at(pos) {
                    s.selected = Some(i);
                }
            }
            Action::ToggleSeverity(sev) => {
                if !s.hidden.remove(&sev) {
                    s.hidden.insert(sev);
                }
            }
            // Changes made while a view's settings apply change those, never the saved ones.
            Action::SetMinSeverity(sev) => s.effective_settings_mut().min_severity = sev,
            Action::SetMinConfidence(c) => s.effective_settings_mut().min_confidence = c,
            Action::ToggleFamily(f) => {
                // An opt-in family is listed when on, any other when off.
                let opt_in = s.families.iter().any(|x| x.id == f && x.opt_in);
                let set = s.effective_settings_mut();
                let list = if opt_in { &mut set.enabled_families } else { &mut set.disabled_families };
                if let Some(i) = list.iter().position(|x| *x == f) {
                    list.remove(i);
                } else {
                    list.push(f);
                    list.sort();
                }
            }
            Action::SetSettings(set) => *s.effective_settings_mut() = set,
            Action::LinkOpened(set) => {
                // A link with the user's own settings changes nothing: no notice.
                s.view = (set != s.settings).then_some(ViewSettings { settings: set, from_link: true });
                s.link_error = None;
                s.example = None;
                s.selected = None;
            }
            Action::LinkFailed(e) => s.link_error = e,
            Action::UseOwnSettings => s.view = None,
            Action::ShowAllFindings => {
                s.view = Some(ViewSettings { settings: Settings::default(), from_link: false });
                s.hidden.clear();
            }
            Action::ExampleLoaded(id) => {
                s.example = Some(LoadedExample { id, edited: false });
                s.selected = None;
            }
            Action::Edited(code) => {
                let active = s.active;
                if let Some(t) = Rc::make_mut(&mut s.tabs).get_mut(active) {
                    t.text = code.clone();
                }
                if let Some(e) = s.example.as_mut() {
                    // Edited once any tab differs from the example's.
                    e.edited = crate::EXAMPLES.iter().find(|x| x.id == e.id).is_none_or(|x| {
                        if s.tabs.is_empty() {
                            *x.code != *code
                        } else {
                            *s.tabs != crate::tabs::initial(x.code, x.requirements)
                        }
                    });
                }
            }
            Action::SetTabs { tabs, active } => {
                if tabs.is_empty() {
                    return self;
                }
                s.active = active.min(tabs.len() - 1);
                s.tabs = Rc::new(tabs);
                // The selection stays only when its finding is in the tab now in the editor.
                let name = s.active_name().to_string();
                if s.selected_finding().is_some_and(|f| f.path != name) {
                    s.selected = None;
                }
                s.hovered = None;
            }
            Action::Notice(n) => s.notice = n,
            Action::ToggleSettings => s.settings_open = !s.settings_open,
            Action::SetCustomRules(yaml) => s.custom_rules = yaml,
            Action::CustomRulesLoaded(outcome, rules) => {
                if let Ok(n) = outcome {
                    s.rules = Rc::new(rules.into_iter().map(|r| (r.id.clone(), r)).collect());
                    s.custom_rules_active = n;
                }
                s.custom_rules_status = Some(outcome);
            }
            Action::SetTheme(t) => s.theme = t,
            Action::SystemDark(d) => s.system_dark = d,
            Action::ResetSettings => {
                s.settings = Settings::default();
                s.theme = Theme::System;
                s.hidden.clear();
            }
            Action::Workshop(a) => s.workshop.apply(a, s.latest_request),
        }
        // An exercise in progress is checked against each new result.
        if s.workshop.exercise.is_some() {
            let rules_ok = !matches!(s.custom_rules_status, Some(Err(_)));
            let code = s.analyzed_source.clone();
            s.workshop.check(&code, s.analysis.as_deref(), rules_ok);
        }
        if s == *self {
            self
        } else {
            Rc::new(s)
        }
    }
}

impl State {
    /// The name of the tab in the editor (`app.py` before there are tabs).
    pub fn active_name(&self) -> &str {
        self.tabs.get(self.active).map_or(crate::tabs::APP, |t| &t.name)
    }

    /// Whether a finding (or error) of file `path` is in the tab in the editor. An analysis of
    /// the editor alone (no tabs) names its file `playground.py`.
    pub fn in_editor(&self, path: &str) -> bool {
        path == self.active_name() || (self.tabs.is_empty() && path == "playground.py")
    }

    /// The settings the analysis uses: the view's, else the user's own.
    pub fn effective_settings(&self) -> &Settings {
        self.view.as_ref().map_or(&self.settings, |v| &v.settings)
    }

    fn effective_settings_mut(&mut self) -> &mut Settings {
        match self.view.as_mut() {
            Some(v) => &mut v.settings,
            None => &mut self.settings,
        }
    }

    /// What a share link's settings hide, for the notice above the page ("injection rules;
    /// minimum severity: high"); "nothing" when they hide nothing. None without a link's settings.
    pub fn link_hides(&self) -> Option<String> {
        let set = &self.view.as_ref().filter(|v| v.from_link)?.settings;
        let label = |id: &String| self.families.iter().find(|f| f.id == *id).map_or_else(|| id.clone(), |f| f.label.clone());
        let mut parts: Vec<String> = set.disabled_families.iter().map(|id| format!("{} rules", label(id))).collect();
        if set.min_severity != Severity::Low {
            parts.push(format!("minimum severity: {}", set.min_severity.label().to_lowercase()));
        }
        if set.min_confidence != Confidence::Low {
            parts.push(format!("minimum confidence: {}", set.min_confidence.label().to_lowercase()));
        }
        Some(if parts.is_empty() { "nothing".to_string() } else { parts.join("; ") })
    }

    /// Findings the settings keep out of the analysis (the engine counts them), plus those the
    /// severity buttons keep out of the list.
    pub fn hidden_findings(&self) -> usize {
        self.analysis.as_ref().map_or(0, |a| a.summary.hidden + a.findings.len() - self.visible().len())
    }

    /// Each rule family the engine sent, with whether it is switched on, in the engine's order.
    pub fn family_toggles(&self) -> Vec<(&FamilyInfo, bool)> {
        let set = self.effective_settings();
        self.families
            .iter()
            .map(|f| (f, if f.opt_in { set.enabled_families.contains(&f.id) } else { !set.disabled_families.contains(&f.id) }))
            .collect()
    }

    pub fn selected_finding(&self) -> Option<&EditorFinding> {
        self.analysis.as_ref().and_then(|a| a.findings.get(self.selected?))
    }

    /// The finding whose trace the editor draws: the hovered row's, else the selected one's.
    pub fn traced_finding(&self) -> Option<&EditorFinding> {
        let a = self.analysis.as_ref()?;
        a.findings.get(self.hovered.or(self.selected)?)
    }

    /// The finding a cursor at `pos` is in: the selected one if the cursor is inside it (so
    /// overlapping findings do not steal the selection), else the shown finding with the smallest
    /// range there (the most severe on a tie). None outside every shown finding.
    pub fn finding_at(&self, pos: u32) -> Option<usize> {
        let a = self.analysis.as_ref()?;
        let inside = |i: usize| a.findings.get(i).is_some_and(|f| f.from <= pos && pos <= f.to && self.in_editor(&f.path));
        if let Some(i) = self.selected.filter(|i| inside(*i)) {
            return Some(i);
        }
        // `visible` is sorted most severe first, and min_by_key keeps the first of equals.
        self.visible().into_iter().filter(|i| inside(*i)).min_by_key(|i| a.findings[*i].to - a.findings[*i].from)
    }

    /// Indices of the findings the list shows: severity filters applied, sorted by severity
    /// (most severe first), then line and column.
    pub fn visible(&self) -> Vec<usize> {
        let Some(a) = &self.analysis else { return Vec::new() };
        let mut v: Vec<usize> = (0..a.findings.len()).filter(|i| !self.hidden.contains(&a.findings[*i].severity)).collect();
        v.sort_by_key(|i| {
            let f = &a.findings[*i];
            (std::cmp::Reverse(f.severity), f.line, f.column)
        });
        v
    }

    /// Whether the page is drawn dark.
    pub fn dark(&self) -> bool {
        self.theme.is_dark(self.system_dark)
    }

    /// What the live region tells screen-reader users after an analysis: the status and the
    /// number of findings (per severity). Empty before the first analysis.
    pub fn announcement(&self) -> String {
        let Some(a) = &self.analysis else { return String::new() };
        let partial = if a.errors.is_empty() { "" } else { " Part of the code was not analysed." };
        let text = match a.status.as_str() {
            "NO_ACTIONABLE_INPUT" if a.errors.iter().any(|e| e.line.is_none()) => "The input was not analysed.".to_string(),
            "NO_ACTIONABLE_INPUT" => "Nothing to analyse.".to_string(),
            "NO_SECURITY_ISSUES" => "No security issues found.".to_string(),
            "INCOMPLETE_ANALYSIS" => "No findings in what was analysed.".to_string(),
            _ => {
                let n = a.findings.len();
                let per: Vec<String> = Severity::ALL
                    .iter()
                    .filter(|s| a.summary.count(**s) > 0)
                    .map(|s| format!("{} {}", a.summary.count(*s), s.label().to_ascii_lowercase()))
                    .collect();
                let hidden = n - self.visible().len();
                let hidden = if hidden > 0 { format!(" {hidden} hidden by the severity filters.") } else { String::new() };
                format!("{n} finding{}: {}.{hidden}", if n == 1 { "" } else { "s" }, per.join(", "))
            }
        };
        format!("{text}{partial}")
    }

    /// The user's own lines for a finding and the same lines with the rule's fix applied.
    pub fn fix_diff(&self, f: &EditorFinding) -> Option<(String, String)> {
        let fix = f.fix.as_ref()?;
        // The finding's own file: the editor's text as analysed, or another tab's.
        let source = if self.in_editor(&f.path) { &self.analyzed_source } else { &self.tabs.iter().find(|t| *t.name == f.path)?.text };
        let units: Vec<u16> = source.encode_utf16().collect();
        let (lf, lt, from, to) = (f.line_from as usize, f.line_to as usize, f.from as usize, f.to as usize);
        if !(lf <= from && from <= to && to <= lt && lt <= units.len()) {
            return None;
        }
        let before = String::from_utf16_lossy(&units[lf..lt]);
        // The imports the fix adds (at the top of the file) are shown above the fixed lines.
        let imports: String = f.fix_edits.iter().map(|e| e.text.as_str()).collect();
        let after = format!(
            "{imports}{}{}{}",
            String::from_utf16_lossy(&units[lf..from]),
            fix,
            String::from_utf16_lossy(&units[to..lt])
        );
        Some((before, after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, Summary};

    fn finding(rule: &str, sev: Severity, line: u32, from: u32, to: u32) -> EditorFinding {
        EditorFinding {
            finding: Finding {
                rule_id: rule.into(),
                title: rule.into(),
                severity: sev,
                confidence: Confidence::High,
                cwe: Some(78),
                owasp: None,
                path: "playground.py".into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
                message: String::new(),
                snippet: format!("{rule}@{line}"),
                region: None,
                fix: None,
                fix_edits: vec![],
                family: "injection".into(),
                start_offset: from,
                end_offset: to,
                trace: vec![],
                likelihood: None,
                impact: None,
                dependency: None,
            },
            from,
            to,
            line_from: from,
            line_to: to,
            trace_ranges: vec![],
            fix_edit_ranges: vec![],
        }
    }

    fn analysis(findings: Vec<EditorFinding>) -> Analysis {
        Analysis { findings, errors: vec![], summary: Summary::default(), status: "FINDINGS".into(), ..Analysis::default() }
    }

    fn analyzed(state: Rc<State>, seq: u64, findings: Vec<EditorFinding>) -> Rc<State> {
        state.reduce(Action::Analyzed { seq, source: Rc::from(""), analysis: analysis(findings), ms: 1.0 })
    }

    #[test]
    fn list_is_sorted_by_severity_then_line_and_filtered() {
        let s = analyzed(
            Rc::new(State::default()),
            0,
            vec![
                finding("a", Severity::Low, 1, 0, 1),
                finding("b", Severity::High, 9, 0, 1),
                finding("c", Severity::Critical, 20, 0, 1),
                finding("d", Severity::High, 3, 0, 1),
            ],
        );
        assert_eq!(s.visible(), vec![2, 3, 1, 0]);
        let s = s.reduce(Action::ToggleSeverity(Severity::High));
        assert_eq!(s.visible(), vec![2, 0]);
        let s = s.reduce(Action::ToggleSeverity(Severity::High));
        assert_eq!(s.visible().len(), 4);
    }

    #[test]
    fn stale_results_are_dropped() {
        let s = Rc::new(State::default()).reduce(Action::Requested(1)).reduce(Action::Requested(2));
        assert!(s.pending);
        let s = analyzed(s, 1, vec![finding("old", Severity::Low, 1, 0, 1)]);
        assert!(s.analysis.is_none() && s.pending);
        let s = analyzed(s, 2, vec![finding("new", Severity::Low, 1, 0, 1)]);
        assert_eq!(s.analysis.as_ref().map(|a| a.findings[0].rule_id.as_str()), Some("new"));
        assert!(!s.pending);
    }

    #[test]
    fn a_stopped_analysis_replaces_the_old_findings_until_the_next_result() {
        let s = analyzed(Rc::new(State::default()).reduce(Action::Requested(1)), 1, vec![finding("a", Severity::Low, 1, 0, 1)]);
        let s = s.reduce(Action::Select(Some(0))).reduce(Action::Requested(2));
        let s = s.reduce(Action::Stopped { seq: 2, message: "too slow".into() });
        assert_eq!(s.stopped.as_deref(), Some("too slow"));
        assert!(s.analysis.is_none() && s.selected.is_none() && !s.pending, "nothing is known about the stopped text");
        let s = analyzed(s.reduce(Action::Requested(3)), 3, vec![]);
        assert!(s.stopped.is_none() && s.analysis.is_some());
        // Stopped while a newer edit waits: a notice, and the newer request stays pending.
        let s = s.reduce(Action::Requested(4)).reduce(Action::Requested(5)).reduce(Action::Stopped { seq: 4, message: "slow".into() });
        assert_eq!((s.notice.as_deref(), s.stopped.as_deref(), s.pending), (Some("slow"), None, true));
        assert!(s.analysis.is_some());
    }

    #[test]
    fn selection_follows_the_same_finding_across_edits() {
        let s = analyzed(Rc::new(State::default()), 0, vec![finding("a", Severity::Low, 1, 0, 1), finding("b", Severity::High, 2, 2, 3)]);
        let s = s.reduce(Action::Select(Some(1)));
        assert_eq!(s.selected_finding().map(|f| f.rule_id.as_str()), Some("b"));
        // An edit above moves it to index 0; the selection follows it.
        let s = analyzed(s, 0, vec![finding("b", Severity::High, 2, 2, 3)]);
        assert_eq!(s.selected, Some(0));
        // When it is fixed, nothing is selected.
        let s = analyzed(s, 0, vec![finding("a", Severity::Low, 1, 0, 1)]);
        assert_eq!(s.selected, None);
        // Out-of-range selections are ignored.
        assert_eq!(s.reduce(Action::Select(Some(7))).selected, None);
    }

    #[test]
    fn settings_actions_change_only_settings() {
        let s = Rc::new(State::default());
        let s2 = s.clone().reduce(Action::ToggleFamily("secrets".into())).reduce(Action::SetMinSeverity(Severity::High));
        assert_eq!(s2.settings.disabled_families, vec!["secrets".to_string()]);
        assert_eq!(s2.settings.min_severity, Severity::High);
        let s3 = s2.reduce(Action::ToggleFamily("secrets".into()));
        assert!(s3.settings.disabled_families.is_empty());
        // A no-op returns the same Rc, so Yew skips the render.
        let same = s.clone().reduce(Action::Select(None));
        assert!(Rc::ptr_eq(&s, &same));
    }

    #[test]
    fn the_settings_offer_every_family_the_engine_sends() {
        let families: Vec<FamilyInfo> = pyward_engine::rules::FAMILIES
            .iter()
            .map(|(id, label)| FamilyInfo { id: id.to_string(), label: label.to_string(), opt_in: pyward_engine::rules::is_opt_in(id) })
            .collect();
        let s = Rc::new(State::default()).reduce(Action::EngineReady { catalog: Catalog { rules: vec![], families }, init_ms: 1.0 });
        let ids = |s: &State| s.family_toggles().into_iter().map(|(f, on)| (f.id.clone(), on)).collect::<Vec<_>>();
        // Every family is on except the opt-in naming policy.
        let defaults: Vec<(String, bool)> = pyward_engine::rules::FAMILIES.iter().map(|(id, _)| (id.to_string(), *id != "naming")).collect();
        assert_eq!(ids(&s), defaults);
        // Switching the naming policy on lists it as enabled, not as disabled; off again, it is gone.
        let on = s.clone().reduce(Action::ToggleFamily("naming".into()));
        assert_eq!((on.settings.enabled_families.clone(), on.settings.disabled_families.clone()), (vec!["naming".to_string()], vec![]));
        assert!(ids(&on).contains(&("naming".to_string(), true)));
        let off = on.reduce(Action::ToggleFamily("naming".into()));
        assert!(off.settings.enabled_families.is_empty() && off.settings == Settings::default());
        assert!(s.family_toggles().iter().any(|(f, _)| f.id == "web" && f.label.starts_with("Web request handling")));
        let s = s.reduce(Action::ToggleFamily("web".into()));
        assert_eq!(s.settings.disabled_families, vec!["web".to_string()]);
        assert!(ids(&s).contains(&("web".to_string(), false)));
        assert_eq!(ids(&s).iter().filter(|(_, on)| !on).map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["web", "naming"], "web, and the opt-in naming policy");
    }

    #[test]
    fn custom_rules_outcomes_update_the_rule_map_only_on_success() {
        let s = Rc::new(State::default()).reduce(Action::SetCustomRules("rules: []".into()));
        assert_eq!(s.custom_rules, "rules: []");
        let failed = s.clone().reduce(Action::CustomRulesLoaded(Err("bad".into()), vec![]));
        assert_eq!(failed.custom_rules_status, Some(Err("bad".into())));
        assert!(failed.rules.is_empty());
        assert_eq!(failed.custom_rules_active, 0);
        // After a success, a failure leaves the accepted rules active.
        let ok = s.reduce(Action::CustomRulesLoaded(Ok(2), vec![]));
        assert_eq!(ok.custom_rules_active, 2);
        let failed = ok.reduce(Action::CustomRulesLoaded(Err("bad".into()), vec![]));
        assert_eq!((failed.custom_rules_active, failed.custom_rules_status.clone()), (2, Some(Err("bad".into()))));
    }

    #[test]
    fn a_link_s_settings_apply_to_the_view_only() {
        let own = Settings { min_severity: Severity::Low, min_confidence: Confidence::Low, disabled_families: vec!["secrets".into()], ..Settings::default() };
        let s = Rc::new(State { settings: own.clone(), ..State::default() });
        assert_eq!(s.link_hides(), None, "no link, no notice");
        let link = Settings { min_severity: Severity::High, min_confidence: Confidence::Low, disabled_families: vec!["injection".into()], ..Settings::default() };
        let s = s.reduce(Action::LinkOpened(link.clone()));
        assert_eq!(s.effective_settings(), &link, "the analysis uses the link's settings");
        assert_eq!(s.settings, own, "the saved settings are untouched");
        assert_eq!(s.link_hides().as_deref(), Some("injection rules; minimum severity: high"));
        // Family labels come from the engine once it is ready.
        let families = vec![FamilyInfo { id: "injection".into(), label: "Injection".into(), opt_in: false }];
        let s = s.reduce(Action::EngineReady { catalog: Catalog { rules: vec![], families }, init_ms: 1.0 });
        assert_eq!(s.link_hides().as_deref(), Some("Injection rules; minimum severity: high"));
        // Changing the settings while the link's apply changes the view's, not the saved ones.
        let s = s.reduce(Action::ToggleFamily("injection".into())).reduce(Action::SetMinConfidence(Confidence::Medium));
        assert_eq!(s.effective_settings().disabled_families, Vec::<String>::new());
        assert_eq!(s.effective_settings().min_confidence, Confidence::Medium);
        assert_eq!(s.settings, own);
        assert_eq!(s.link_hides().as_deref(), Some("minimum severity: high; minimum confidence: medium"));
        // One click back to the user's own.
        let s = s.reduce(Action::UseOwnSettings);
        assert_eq!((s.effective_settings(), s.link_hides()), (&own, None));
        // Then changes are the user's own again.
        let s = s.reduce(Action::ToggleFamily("secrets".into()));
        assert!(s.settings.disabled_families.is_empty());
        // A link with the user's own settings changes nothing; one that hides nothing says so.
        let s = s.reduce(Action::LinkOpened(Settings::default()));
        assert_eq!((s.view.clone(), s.link_hides()), (None, None));
        let s = s.reduce(Action::SetMinSeverity(Severity::Medium)).reduce(Action::LinkOpened(Settings::default()));
        assert_eq!(s.link_hides().as_deref(), Some("nothing"));
    }

    #[test]
    fn hidden_findings_are_counted_and_show_all_reveals_them_for_this_view() {
        let own = Settings { min_severity: Severity::Critical, ..Settings::default() };
        let s = Rc::new(State { settings: own.clone(), ..State::default() });
        let mut a = analysis(vec![finding("a", Severity::Critical, 1, 0, 1), finding("b", Severity::Low, 2, 2, 3)]);
        a.summary.hidden = 3;
        let s = s.reduce(Action::Analyzed { seq: 0, source: Rc::from(""), analysis: a, ms: 1.0 });
        assert_eq!(s.hidden_findings(), 3, "the engine's count");
        let s = s.reduce(Action::ToggleSeverity(Severity::Low));
        assert_eq!(s.hidden_findings(), 4, "plus the rows the severity buttons hide");
        let s = s.reduce(Action::ShowAllFindings);
        assert_eq!(s.effective_settings(), &Settings::default(), "everything is analysed");
        assert!(s.hidden.is_empty(), "and listed");
        assert_eq!(s.settings, own, "the saved settings stay");
        assert_eq!(s.link_hides(), None, "not a link's settings");
        assert_eq!(s.clone().reduce(Action::UseOwnSettings).effective_settings(), &own);
    }

    #[test]
    fn a_failed_link_stays_until_dismissed_and_examples_are_tracked() {
        let s = Rc::new(State::default()).reduce(Action::LinkFailed(Some("damaged".into())));
        assert_eq!(s.link_error.as_deref(), Some("damaged"));
        let s = s.reduce(Action::Notice(None));
        assert_eq!(s.link_error.as_deref(), Some("damaged"), "not cleared with the notices");
        let s = s.reduce(Action::LinkFailed(None));
        assert_eq!(s.link_error, None);
        let s = s.reduce(Action::Edited(Rc::from("x")));
        assert_eq!(s.example, None);
        let ex = &crate::EXAMPLES[1];
        let s = s.reduce(Action::ExampleLoaded(ex.id.into()));
        assert_eq!(s.example, Some(LoadedExample { id: ex.id.into(), edited: false }));
        // The example's own code (the editor reports the load itself) is not an edit.
        let s = s.reduce(Action::Edited(Rc::from(ex.code)));
        assert_eq!(s.example, Some(LoadedExample { id: ex.id.into(), edited: false }));
        let s = s.reduce(Action::Edited(Rc::from(format!("{}\nx = 1\n", ex.code))));
        assert_eq!(s.example, Some(LoadedExample { id: ex.id.into(), edited: true }));
        // Opening a link replaces the example (and clears an old link error).
        let s = s.reduce(Action::LinkFailed(Some("x".into()))).reduce(Action::LinkOpened(Settings::default()));
        assert_eq!((s.example.clone(), s.link_error.clone()), (None, None));
    }

    #[test]
    fn fix_diff_replaces_the_range_within_its_lines() {
        let src = "import yaml\nx = '😀'; d = yaml.load(s)\n";
        let units: Vec<u16> = src.encode_utf16().collect();
        let line_from = 12u32;
        let line_to = (units.len() - 1) as u32;
        let text = String::from_utf16_lossy(&units);
        let start = text.find("yaml.load(s)").unwrap();
        let from = text[..start].encode_utf16().count() as u32;
        let to = from + "yaml.load(s)".len() as u32;
        let mut f = finding("yaml", Severity::High, 2, from, to);
        f.line_from = line_from;
        f.line_to = line_to;
        f.finding.fix = Some("yaml.safe_load(s)".into());
        let s = State { analyzed_source: Rc::from(src), ..State::default() };
        let (before, after) = s.fix_diff(&f).expect("diff");
        assert_eq!(before, "x = '😀'; d = yaml.load(s)");
        assert_eq!(after, "x = '😀'; d = yaml.safe_load(s)");
        // The import the fix adds is shown above the fixed line.
        f.finding.fix_edits = vec![crate::model::FixEdit { start_offset: 12, end_offset: 12, text: "import safe\n".into() }];
        assert_eq!(s.fix_diff(&f).map(|d| d.1).as_deref(), Some("import safe\nx = '😀'; d = yaml.safe_load(s)"));
        f.to = 999;
        assert!(s.fix_diff(&f).is_none(), "offsets outside the text give no diff");
    }

    #[test]
    fn hovering_a_row_shows_its_trace_and_leaving_restores_the_selected_one() {
        let s = analyzed(Rc::new(State::default()), 0, vec![finding("a", Severity::Low, 1, 0, 1), finding("b", Severity::High, 2, 2, 3)]);
        assert!(s.traced_finding().is_none(), "nothing selected or hovered: no trace");
        let s = s.reduce(Action::Hover(Some(1)));
        assert_eq!(s.traced_finding().map(|f| f.rule_id.as_str()), Some("b"));
        assert_eq!(s.selected, None, "hovering does not select");
        let s = s.reduce(Action::Hover(None));
        assert!(s.traced_finding().is_none());
        let s = s.reduce(Action::Select(Some(0))).reduce(Action::Hover(Some(1)));
        assert_eq!(s.traced_finding().map(|f| f.rule_id.as_str()), Some("b"), "the hovered row wins");
        let s = s.reduce(Action::Hover(None));
        assert_eq!(s.traced_finding().map(|f| f.rule_id.as_str()), Some("a"), "leaving restores the selection's trace");
        // Out of range rows are ignored, and a new analysis forgets the hovered index.
        assert_eq!(s.clone().reduce(Action::Hover(Some(9))).hovered, None);
        let s = s.reduce(Action::Hover(Some(1)));
        let s = analyzed(s, 0, vec![finding("a", Severity::Low, 1, 0, 1), finding("b", Severity::High, 2, 2, 3)]);
        assert_eq!(s.hovered, None);
        assert_eq!(s.traced_finding().map(|f| f.rule_id.as_str()), Some("a"));
    }

    #[test]
    fn moving_the_cursor_into_a_finding_selects_it() {
        // "outer" spans 0..20 and contains the smaller "inner" (5..9); "far" is 30..40.
        let s = analyzed(
            Rc::new(State::default()),
            0,
            vec![
                finding("outer", Severity::High, 1, 0, 20),
                finding("inner", Severity::Low, 1, 5, 9),
                finding("far", Severity::Medium, 3, 30, 40),
            ],
        );
        let s = s.reduce(Action::CursorAt(35));
        assert_eq!(s.selected, Some(2));
        // Outside every finding the selection stays (the detail stays open), and nothing changes.
        let same = s.clone().reduce(Action::CursorAt(25));
        assert!(Rc::ptr_eq(&s, &same));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::CursorAt(38))), "already selected");
        // Inside nested findings, the innermost one; the end of a range still counts.
        let s = s.reduce(Action::CursorAt(9));
        assert_eq!(s.selected, Some(1));
        let s = s.reduce(Action::CursorAt(2));
        assert_eq!(s.selected, Some(0));
        // A selected finding keeps the selection while the cursor is inside it.
        let s = s.reduce(Action::CursorAt(6));
        assert_eq!(s.selected, Some(0));
        // Findings hidden by the severity filters are not selected from the editor.
        let s = s.reduce(Action::Select(None)).reduce(Action::ToggleSeverity(Severity::Low)).reduce(Action::CursorAt(6));
        assert_eq!(s.selected, Some(0));
        // Without an analysis nothing happens.
        assert_eq!(Rc::new(State::default()).reduce(Action::CursorAt(0)).selected, None);
    }

    #[test]
    fn trace_steps_are_numbered_from_source_to_sink() {
        use crate::model::{trace_view, StepKind, TraceStep};
        let step =
            |line: u32, label: &str| TraceStep { line, column: 1, end_line: line, end_column: 2, label: label.into(), start_offset: 0, end_offset: 1, file: None };
        let mut f = finding("taint", Severity::High, 10, 40, 50);
        assert!(trace_view(&f).is_empty());
        f.finding.trace = vec![step(8, "source: request.args.get(\"host\")"), step(9, "assigned to cmd"), step(10, "sink: os.system(cmd)")];
        f.trace_ranges = vec![(5, 10), (20, 25)];
        let v = trace_view(&f);
        assert_eq!(v.iter().map(|s| (s.n, s.kind, s.step.line)).collect::<Vec<_>>(), vec![
            (1, StepKind::Source, 8),
            (2, StepKind::Step, 9),
            (3, StepKind::Sink, 10)
        ]);
        assert_eq!(v.iter().map(|s| s.range).collect::<Vec<_>>(), vec![Some((5, 10)), Some((20, 25)), None], "a missing range stays None");
    }

    #[test]
    fn opening_a_row_selects_it_and_asks_the_detail_for_the_focus() {
        let s = analyzed(Rc::new(State::default()), 0, vec![finding("a", Severity::Low, 1, 0, 1), finding("b", Severity::High, 2, 2, 3)]);
        let s = s.reduce(Action::Open(1));
        assert_eq!((s.selected, s.detail_focus), (Some(1), 1));
        let s = s.reduce(Action::Open(1));
        assert_eq!(s.detail_focus, 2, "opening the same row again focuses the detail again");
        // The cursor selecting a finding in the editor leaves the focus in the editor.
        let s = s.reduce(Action::CursorAt(0));
        assert_eq!((s.selected, s.detail_focus), (Some(0), 2));
        assert_eq!(s.clone().reduce(Action::Open(5)).detail_focus, 2, "out of range: nothing happens");
    }

    #[test]
    fn theme_follows_the_system_unless_chosen_and_reset_restores_the_defaults() {
        let s = Rc::new(State::default());
        assert!(!s.dark());
        let s = s.reduce(Action::SystemDark(true));
        assert!(s.dark(), "system theme follows the system");
        let s = s.reduce(Action::SetTheme(Theme::Light));
        assert!(!s.dark());
        let s = s.reduce(Action::SystemDark(false)).reduce(Action::SetTheme(Theme::Dark));
        assert!(s.dark());
        assert_eq!(Theme::ALL.map(|t| Theme::parse(t.as_str())), Theme::ALL.map(Some));
        assert_eq!(Theme::parse("purple"), None);
        let s = s
            .reduce(Action::SetMinSeverity(Severity::High))
            .reduce(Action::ToggleFamily("secrets".into()))
            .reduce(Action::ToggleSeverity(Severity::Low))
            .reduce(Action::SetCustomRules("rules: []".into()))
            .reduce(Action::ResetSettings);
        assert_eq!((s.theme, &s.settings, s.hidden.len()), (Theme::System, &Settings::default(), 0));
        assert_eq!(s.custom_rules, "rules: []", "the user's own rules are kept");
    }

    #[test]
    fn the_announcement_says_the_status_and_the_counts() {
        assert_eq!(State::default().announcement(), "");
        let mut a = analysis(vec![finding("a", Severity::Low, 1, 0, 1), finding("b", Severity::High, 2, 2, 3), finding("c", Severity::High, 3, 4, 5)]);
        a.summary = Summary { high: 2, low: 1, ..Summary::default() };
        let s = Rc::new(State::default()).reduce(Action::Analyzed { seq: 0, source: Rc::from(""), analysis: a, ms: 1.0 });
        assert_eq!(s.announcement(), "3 findings: 2 high, 1 low.");
        let s = s.reduce(Action::ToggleSeverity(Severity::Low));
        assert_eq!(s.announcement(), "3 findings: 2 high, 1 low. 1 hidden by the severity filters.");
        let clean = Analysis { status: "NO_SECURITY_ISSUES".into(), ..analysis(vec![]) };
        let s = s.reduce(Action::Analyzed { seq: 0, source: Rc::from(""), analysis: clean, ms: 1.0 });
        assert_eq!(s.announcement(), "No security issues found.");
    }

    #[test]
    fn tabs_keep_their_text_and_findings_stay_in_their_file() {
        let tabs = crate::tabs::initial("import os\n", "flask==3.0.0\n");
        let s = Rc::new(State::default()).reduce(Action::SetTabs { tabs: tabs.clone(), active: 0 });
        assert_eq!((s.active_name(), s.tabs.len()), ("app.py", 2));
        let mut a = finding("a", Severity::High, 1, 0, 9);
        a.finding.path = "app.py".into();
        let mut b = finding("b", Severity::High, 1, 0, 12);
        b.finding.path = "requirements.txt".into();
        let s = analyzed(s, 0, vec![a, b]);
        // The cursor selects only findings of the tab in the editor.
        let s = s.reduce(Action::CursorAt(10));
        assert_eq!(s.selected, None, "the finding at 10 is in requirements.txt, not in the editor");
        let s = s.reduce(Action::Select(Some(0)));
        // An edit lands in the tab in the editor.
        let s = s.reduce(Action::Edited(Rc::from("import os, sys\n")));
        assert_eq!(&*s.tabs[0].text, "import os, sys\n");
        assert_eq!(&*s.tabs[1].text, "flask==3.0.0\n");
        // Opening the other tab drops a selection of this one; a finding there can be selected.
        let now = (*s.tabs).clone();
        let s = s.reduce(Action::SetTabs { tabs: now, active: 1 });
        assert_eq!((s.active_name(), s.selected), ("requirements.txt", None));
        assert_eq!(s.clone().reduce(Action::CursorAt(10)).selected, Some(1));
        // An empty list changes nothing; an index past the end opens the last tab.
        assert_eq!(s.clone().reduce(Action::SetTabs { tabs: vec![], active: 0 }).tabs.len(), 2);
        assert_eq!(s.reduce(Action::SetTabs { tabs, active: 9 }).active, 1);
    }
}
