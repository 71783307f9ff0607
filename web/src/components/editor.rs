//! The code editor (CodeMirror 6) and what ties it to the analysis: debounced requests while the
//! user types, the findings drawn as underlines, gutter markers and hover tooltips, the data-flow
//! trace of the selected (or hovered) finding, and the cursor selecting the finding it is in.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_app;
use crate::editor_js::create_editor;
use crate::model::{trace_view, Analysis, EditorFinding};
use crate::state::Action;
use crate::value::Val;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub initial: Rc<str>,
}

#[derive(Debug, PartialEq)]
pub struct Mark<'a> {
    from: u32,
    to: u32,
    severity: &'a str,
    title: &'a str,
    rule: &'a str,
}

/// The editor marks for an analysis: every finding, and every syntax error with a position, of
/// the files `in_editor` accepts (the tab in the editor).
pub fn marks<'a>(a: &'a Analysis, in_editor: impl Fn(&str) -> bool) -> Vec<Mark<'a>> {
    let mut marks: Vec<Mark> = a
        .findings
        .iter()
        .filter(|f| in_editor(&f.path))
        .map(|f| Mark { from: f.from, to: f.to, severity: f.severity.as_str(), title: &f.title, rule: &f.rule_id })
        .collect();
    marks.extend(
        a.errors
            .iter()
            .filter(|e| in_editor(&e.path))
            .filter_map(|e| e.from.map(|p| Mark { from: p, to: p, severity: "error", title: &e.message, rule: "syntax-error" })),
    );
    marks
}

#[derive(Debug, PartialEq)]
pub struct TraceMark<'a> {
    from: u32,
    to: u32,
    label: &'a str,
    /// 1-based step number.
    step: usize,
    /// `source`, `step` or `sink`.
    kind: &'a str,
}

/// The editor's trace highlight for a finding: one numbered range per step (none clears it).
pub fn trace_marks(f: Option<&EditorFinding>) -> Vec<TraceMark<'_>> {
    let Some(f) = f else { return Vec::new() };
    trace_view(f)
        .into_iter()
        .filter_map(|s| s.range.map(|(from, to)| TraceMark { from, to, label: &s.step.label, step: s.n, kind: s.kind.as_str() }))
        .collect()
}

impl Mark<'_> {
    pub fn write<V: Val>(&self) -> V {
        V::object(vec![
            ("from", V::num(self.from.into())),
            ("to", V::num(self.to.into())),
            ("severity", V::text(self.severity)),
            ("title", V::text(self.title)),
            ("rule", V::text(self.rule)),
        ])
    }
}

impl TraceMark<'_> {
    pub fn write<V: Val>(&self) -> V {
        V::object(vec![
            ("from", V::num(self.from.into())),
            ("to", V::num(self.to.into())),
            ("label", V::text(self.label)),
            ("step", V::num(self.step as f64)),
            ("kind", V::text(self.kind)),
        ])
    }
}

/// A duration in ms with one decimal ("12.3"). Rounded by hand: formatting an `f64` would bring
/// core's float printing (about 10 KB of wasm) into the app for this one figure.
fn tenths(ms: f64) -> String {
    let t = (ms.max(0.0) * 10.0 + 0.5) as u64;
    format!("{}.{}", t / 10, t % 10)
}

/// How long to wait after a keystroke before analysing: longer for larger documents.
fn debounce_ms(len: usize) -> u32 {
    match len {
        0..=20_000 => 120,
        20_001..=200_000 => 250,
        _ => 400,
    }
}

/// Whether an edit that changed the document's length by `jump` bytes is a block edit (a paste,
/// a cut, an undo of either), analysed without waiting: typing, even fast or with auto-inserted
/// brackets and indentation, changes a few bytes at a time. Measured with bench/web.mjs: a pasted
/// 1,000 lines were on screen 350-391 ms after the paste, 250 ms of it the debounce.
fn is_block_edit(jump: usize) -> bool {
    jump >= 256
}

#[function_component(EditorPane)]
pub fn editor_pane(props: &Props) -> Html {
    let app = use_app();
    let host = use_node_ref();
    // Callbacks handed to JavaScript live as long as the editor.
    let keep = use_memo((), |_| RefCell::new(Vec::<Closure<dyn FnMut(JsValue)>>::new()));
    {
        let services = app.services.clone();
        let host = host.clone();
        let initial = props.initial.clone();
        let keep = keep.clone();
        let dispatcher = app.state.dispatcher();
        use_effect_with((), move |_| {
            let timer: Rc<RefCell<Option<Timeout>>> = Rc::new(RefCell::new(None));
            let on_change = {
                let services = services.clone();
                let dispatcher = dispatcher.clone();
                let mut prev_len = initial.len();
                Closure::<dyn FnMut(JsValue)>::new(move |doc: JsValue| {
                    let len = doc.as_string().map_or(0, |d| d.len());
                    let jump = len.abs_diff(prev_len);
                    prev_len = len;
                    let edited = {
                        let (services, dispatcher) = (services.clone(), dispatcher.clone());
                        move || dispatcher.dispatch(Action::Edited(services.edited()))
                    };
                    if is_block_edit(jump) {
                        // A paste (or cutting or undoing a block) is one edit, not a burst of
                        // keystrokes: analyse it at once. Dropping the handle cancels a pending run.
                        timer.borrow_mut().take();
                        edited();
                        return;
                    }
                    let t = Timeout::new(debounce_ms(len), edited);
                    // Replacing the handle cancels the previous timer.
                    *timer.borrow_mut() = Some(t);
                })
            };
            // The editor reports where the user moved the cursor (not the app's own selections).
            let on_cursor = Closure::<dyn FnMut(JsValue)>::new(move |pos: JsValue| {
                if let Some(p) = pos.as_f64().filter(|p| *p >= 0.0) {
                    dispatcher.dispatch(Action::CursorAt(p as u32));
                }
            });
            if let Some(el) = host.cast::<web_sys::Element>() {
                let ed = create_editor(&el, &initial, on_change.as_ref().unchecked_ref(), on_cursor.as_ref().unchecked_ref());
                *services.editor.borrow_mut() = Some(ed);
                services.analyze_now();
            }
            keep.borrow_mut().push(on_change);
            keep.borrow_mut().push(on_cursor);
            move || {
                if let Some(e) = services.editor.borrow_mut().take() {
                    e.destroy();
                }
            }
        });
    }
    // The theme (declared after the effect that creates the editor, so it runs after it).
    {
        let services = app.services.clone();
        use_effect_with(app.state.dark(), move |dark| {
            services.with_editor(|e| e.set_dark(*dark));
        });
    }
    // Draw the findings of each new analysis that are in the tab in the editor.
    {
        let services = app.services.clone();
        let state = app.state.clone();
        use_effect_with((app.state.analysis.clone(), app.state.active, app.state.tabs.len()), move |(a, _, _)| {
            let marks = JsValue::items(a.as_deref().map(|a| marks(a, |p| state.in_editor(p))).unwrap_or_default().iter().map(Mark::write).collect());
            services.with_editor(|e| e.set_marks(&marks));
        });
    }
    // Draw the trace of the hovered, else the selected, finding (when it is in this tab).
    {
        let services = app.services.clone();
        let shown = app.state.hovered.or(app.state.selected);
        let state = app.state.clone();
        use_effect_with((app.state.analysis.clone(), shown, app.state.active), move |(a, shown, _)| {
            let f = a.as_ref().zip(*shown).and_then(|(a, i)| a.findings.get(i)).filter(|f| state.in_editor(&f.path));
            let marks = JsValue::items(trace_marks(f).iter().map(TraceMark::write).collect());
            services.with_editor(|e| e.set_trace(&marks));
        });
    }
    let s = &app.state;
    let info = match (&s.analysis, s.elapsed_ms) {
        _ if !s.engine_ready && s.engine_error.is_none() => "Loading the analysis engine…".to_string(),
        _ if s.stopped.is_some() && !s.pending => "Analysis stopped: it ran too long".to_string(),
        (Some(a), Some(ms)) => format!("{} lines · analysed in {} ms{}", a.summary.lines, tenths(ms), if s.pending { " · updating…" } else { "" }),
        _ => "Analysing…".to_string(),
    };
    html! {
        <section class="editor-pane" aria-label="Code">
            <super::tabs::TabBar />
            <div class="editor-host" data-testid="editor" ref={host}></div>
            <div class="editor-status">
                <span data-testid="analysis-info"
                      data-engine-init-ms={s.engine_init_ms.map(|m| ((m.max(0.0) + 0.5) as u64).to_string())}>{info}</span>
                <span class="keys" data-testid="editor-keys"><kbd>{"Tab"}</kbd>{" indents · "}<kbd>{"Esc"}</kbd>{" then "}<kbd>{"Tab"}</kbd>{" leaves the editor · "}<kbd>{"Ctrl"}</kbd>{"+"}<kbd>{"F"}</kbd>{" search"}</span>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::{Confidence, Finding, Severity, TraceStep};

    #[test]
    fn durations_show_one_decimal() {
        for ms in [0.0, 0.04, 0.05, 1.0, 12.34, 12.36, 99.96, 1234.5678, 1e9] {
            assert_eq!(tenths(ms), format!("{ms:.1}"), "{ms}");
        }
        assert_eq!(tenths(-3.0), "0.0");
    }

    #[test]
    fn trace_marks_number_the_steps_and_skips_those_without_a_range() {
        let step =
            |line: u32, label: &str| TraceStep { line, column: 1, end_line: line, end_column: 2, label: label.into(), start_offset: 0, end_offset: 1, file: None };
        let f = EditorFinding {
            finding: Finding {
                rule_id: "t".into(),
                title: "t".into(),
                severity: Severity::High,
                confidence: Confidence::High,
                cwe: None,
                owasp: None,
                path: "playground.py".into(),
                line: 3,
                column: 1,
                end_line: 3,
                end_column: 2,
                message: String::new(),
                snippet: String::new(),
                region: None,
                fix: None,
                fix_edits: vec![],
                family: "injection".into(),
                start_offset: 20,
                end_offset: 30,
                trace: vec![step(1, "source: <b>x</b>"), step(2, "assigned to y"), step(3, "sink: f(y)")],
                likelihood: None,
                impact: None,
                dependency: None,
            },
            from: 20,
            to: 30,
            line_from: 20,
            line_to: 30,
            trace_ranges: vec![(0, 5), (10, 15)],
            fix_edit_ranges: vec![],
        };
        assert_eq!(trace_marks(Some(&f)), vec![
            TraceMark { from: 0, to: 5, label: "source: <b>x</b>", step: 1, kind: "source" },
            TraceMark { from: 10, to: 15, label: "assigned to y", step: 2, kind: "step" },
        ]);
        assert_eq!(trace_marks(None), vec![]);
        let written: Vec<serde_json::Value> = trace_marks(Some(&f)).iter().map(TraceMark::write).collect();
        assert_eq!(written[1], serde_json::json!({"from": 10, "to": 15, "label": "assigned to y", "step": 2, "kind": "step"}));
    }
}
