//! The rule workshop: a YAML rule editor beside the code, re-run on every edit (debounced, in
//! the worker, under its time limit), the load error marked at its YAML line, the code's
//! `# ruleid:` / `# ok:` annotations checked on every run (marks in the code editor's gutter and
//! a summary), templates, "start from a built-in rule", and exercises with hints.
//!
//! The rules text is the page's custom rules (`State::custom_rules`): the Settings panel shows
//! the same text, and share links carry it with the code.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{use_app, AppContext};
use crate::editor_js::{create_rule_editor, RuleEditorHandle};
use crate::exercises::{Goal, EXERCISES, TEMPLATES};
use crate::state::Action;
use crate::workshop::WorkshopAction;

/// How long the rule editor waits after a keystroke before the rules are loaded and the code
/// analysed again (loading rebuilds the engine, a few ms; the analysis follows).
const RULE_DEBOUNCE_MS: u32 = 300;

/// Loads `yaml` as the user's rules and analyses the code again.
fn apply_rules(app: &AppContext, yaml: &str) {
    app.state.dispatch(Action::SetCustomRules(yaml.to_string()));
    crate::browser::save_rules(yaml);
    app.services.bridge.set_rules(yaml);
    app.services.analyze_now();
}

fn select_value(e: &Event) -> Option<web_sys::HtmlSelectElement> {
    e.target()?.dyn_into::<web_sys::HtmlSelectElement>().ok()
}

#[function_component(WorkshopPanel)]
pub fn workshop_panel() -> Html {
    let app = use_app();
    let host = use_node_ref();
    let editor: Rc<RefCell<Option<RuleEditorHandle>>> = (*use_memo((), |_| Rc::new(RefCell::new(None)))).clone();
    let keep = use_memo((), |_| RefCell::new(Vec::<Closure<dyn FnMut(JsValue)>>::new()));
    // The rule editor, created once; every edit applies the rules after a pause.
    {
        let app = app.clone();
        let host = host.clone();
        let editor = editor.clone();
        let keep = keep.clone();
        use_effect_with((), move |_| {
            let timer: Rc<RefCell<Option<Timeout>>> = Rc::new(RefCell::new(None));
            let on_change = {
                let app = app.clone();
                Closure::<dyn FnMut(JsValue)>::new(move |doc: JsValue| {
                    let yaml = doc.as_string().unwrap_or_default();
                    let app = app.clone();
                    *timer.borrow_mut() = Some(Timeout::new(RULE_DEBOUNCE_MS, move || apply_rules(&app, &yaml)));
                })
            };
            if let Some(el) = host.cast::<web_sys::Element>() {
                let ed = create_rule_editor(&el, &app.state.custom_rules, on_change.as_ref().unchecked_ref());
                ed.set_dark(app.state.dark());
                *editor.borrow_mut() = Some(ed);
            }
            keep.borrow_mut().push(on_change);
            // The rules in the editor are the ones in use (a link's or the saved ones).
            if !app.state.custom_rules.trim().is_empty() {
                apply_rules(&app, &app.state.custom_rules);
            }
            let services = app.services.clone();
            move || {
                if let Some(e) = editor.borrow_mut().take() {
                    e.destroy();
                }
                // The annotation marks belong to the workshop.
                services.with_editor(|e| e.set_annotations(&JsValue::from(js_sys::Array::new())));
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with(app.state.dark(), move |dark| {
            if let Some(e) = editor.borrow().as_ref() {
                e.set_dark(*dark);
            }
        });
    }
    // Rules text loaded by the app (a template, an exercise, a built-in rule) goes into the editor;
    // its change event then applies it.
    {
        let editor = editor.clone();
        let yaml = app.state.custom_rules.clone();
        use_effect_with(app.state.workshop.loads, move |_| {
            if let Some(e) = editor.borrow().as_ref() {
                e.set_doc(&yaml);
            }
        });
    }
    // The load error at its YAML position.
    {
        let editor = editor.clone();
        use_effect_with(app.state.workshop.rule_error.clone(), move |err| {
            if let Some(e) = editor.borrow().as_ref() {
                match err {
                    Some(at) => e.set_error(at.line, at.column, &at.message),
                    None => e.clear_error(),
                }
            }
        });
    }
    // The annotations in the code editor's gutter.
    {
        let services = app.services.clone();
        use_effect_with(app.state.workshop.annotations.clone(), move |r| {
            let marks: JsValue = r.as_deref().map_or_else(|| JsValue::from(js_sys::Array::new()), |r| r.gutter());
            services.with_editor(|e| e.set_annotations(&marks));
        });
    }

    let ws = &app.state.workshop;
    let close = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Workshop(WorkshopAction::Toggle)))
    };
    let on_template = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = select_value(&e) else { return };
            let value = sel.value();
            sel.set_value("");
            if let Some(t) = TEMPLATES.iter().find(|t| t.id == value) {
                app.state.dispatch(Action::SetCustomRules(t.yaml.to_string()));
                app.state.dispatch(Action::Workshop(WorkshopAction::RulesLoaded));
                // The template's own annotated example goes into an empty editor only.
                if app.services.doc().trim().is_empty() {
                    app.services.with_editor(|ed| ed.set_doc(t.code));
                }
            } else if let Some(id) = value.strip_prefix("builtin:") {
                app.services.bridge.request_rule_yaml(id);
            }
        })
    };
    let on_exercise = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = select_value(&e) else { return };
            let value = sel.value();
            sel.set_value("");
            if let Some(i) = EXERCISES.iter().position(|x| x.id == value) {
                let ex = &EXERCISES[i];
                let before = app.services.doc();
                app.state.dispatch(Action::SetCustomRules(ex.rules.to_string()));
                app.state.dispatch(Action::Workshop(WorkshopAction::StartExercise(i)));
                // An exercise without rules starts from none: the editor's change applies that.
                app.services.with_editor(|ed| ed.set_doc(ex.code));
                if !before.trim().is_empty() && before.as_ref() != ex.code {
                    app.state.dispatch(Action::Notice(Some("Started the exercise. Your previous code is one Undo away (Ctrl+Z in the editor).".into())));
                }
            }
        })
    };
    let more_hint = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Workshop(WorkshopAction::MoreHint)))
    };
    let stop = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Workshop(WorkshopAction::StopExercise)))
    };
    let status = match (&app.state.custom_rules_status, &ws.rule_error) {
        (Some(Err(e)), at) => html! {
            <p class="rules-error" role="alert" data-testid="workshop-rules-status">
                {match at { Some(a) if a.line > 0 => format!("Line {}: ", a.line), _ => String::new() }}
                {format!("the rules do not load: {}", e.trim_end_matches('.'))}
            </p>
        },
        (Some(Ok(n)), _) => html! { <p class="hint ok" data-testid="workshop-rules-status">{format!("{n} rule(s) loaded; they run on every edit.")}</p> },
        _ => html! { <p class="hint" data-testid="workshop-rules-status">{"Write a rule: it runs on the code on every edit."}</p> },
    };
    let annotations = ws.annotations.as_deref();
    let summary = annotations.and_then(|r| r.summary());
    let all_pass = annotations.is_some_and(|r| !r.annotations.is_empty() && r.passing() == r.annotations.len() && r.unexpected.is_empty());
    let failing: Vec<Html> = annotations
        .map(|r| {
            r.annotations
                .iter()
                .filter(|a| !a.pass)
                .map(|a| html! { <li>{format!("line {}: {}", a.line, a.message)}</li> })
                .chain(r.unexpected.iter().map(|(line, rule, _)| html! { <li>{format!("line {line}: `{rule}` flags it, with no annotation")}</li> }))
                .collect()
        })
        .unwrap_or_default();
    let exercise = ws.exercise.as_ref().and_then(|run| run.exercise().map(|e| (run, e)));
    // Explain the selected finding: its bindings, and what each operator did.
    let selected = app.state.selected_finding().map(|f| (f.rule_id.clone(), f.start_offset, f.end_offset, f.line));
    let explain = {
        let app = app.clone();
        let rule = selected.as_ref().map(|s| s.0.clone());
        Callback::from(move |_| {
            if let Some(rule) = &rule {
                app.services.bridge.request_explain(&app.state.analyzed_source, rule);
            }
        })
    };
    let explanation = match (&selected, ws.explanation.as_deref()) {
        (Some((rule, start, end, _)), Some(e)) if e.rule == *rule => Some(explain_view(e, *start, *end)),
        _ => None,
    };
    let builtin: Vec<(String, String)> = app.state.rules.values().filter(|r| !r.id.starts_with("my-")).map(|r| (r.id.clone(), r.title.clone())).collect();
    html! {
        <section class="workshop" aria-label="Rule workshop" data-testid="workshop">
            <div class="workshop-bar">
                <h2>{"Rule workshop"}</h2>
                <select onchange={on_template} data-testid="workshop-template" title="Start from a template or a built-in rule">
                    <option value="" selected=true>{"Start from…"}</option>
                    { for TEMPLATES.iter().map(|t| html! { <option value={t.id}>{t.label}</option> }) }
                    <optgroup label="A built-in rule">
                        { for builtin.iter().map(|(id, title)| html! { <option value={format!("builtin:{id}")} title={title.clone()}>{id.clone()}</option> }) }
                    </optgroup>
                </select>
                <select onchange={on_exercise} data-testid="workshop-exercises" title="Exercises">
                    <option value="" selected=true>{"Exercises…"}</option>
                    { for EXERCISES.iter().map(|e| {
                        let done = if ws.solved.contains(&e.id) { " ✓" } else { "" };
                        html! { <option value={e.id}>{format!("{}{done}", e.title)}</option> }
                    }) }
                </select>
                <button class="link" onclick={close}>{"Close"}</button>
            </div>
            if let Some((run, ex)) = exercise {
                <div class={classes!("exercise", run.solved.then_some("solved"))} data-testid="exercise">
                    <h3>{ex.title}</h3>
                    <p>{ex.task}</p>
                    <p class="hint">{match ex.goal {
                        Goal::Clean => "Done when the analysis finds nothing.",
                        Goal::AnnotationsPass => "Done when every annotation passes.",
                    }}</p>
                    if run.solved {
                        <p class="exercise-done" role="status" data-testid="exercise-done">{"Solved: the engine agrees. Pick another exercise from the menu."}</p>
                    }
                    if run.hints > 0 {
                        <ol class="hints" data-testid="hints">{ for ex.hints[..run.hints].iter().map(|h| html! { <li>{*h}</li> }) }</ol>
                    }
                    <div class="settings-row">
                        if run.hints < ex.hints.len() && !run.solved {
                            <button onclick={more_hint} data-testid="hint">{"Hint"}</button>
                        }
                        <button class="link" onclick={stop}>{"Leave the exercise"}</button>
                    </div>
                </div>
            }
            {status}
            <div class={classes!("annotations", all_pass.then_some("all-pass"))} data-testid="annotation-summary" role="status">
                {summary.unwrap_or_else(|| "Annotate the code to test the rule: a comment `# ruleid: <id>` above a line it must flag, `# ok: <id>` above one it must not.".to_string())}
            </div>
            if !failing.is_empty() {
                <ul class="annotation-failures" data-testid="annotation-failures">{ for failing }</ul>
            }
            <div class="rule-editor-host" data-testid="rule-editor" ref={host}></div>
            <div class="explain" data-testid="explain">
                if let Some((rule, _, _, line)) = &selected {
                    <button onclick={explain} data-testid="explain-button">{format!("Explain the match of `{rule}` on line {line}")}</button>
                } else {
                    <p class="hint">{"Select a finding to explain its match: the metavariables it bound, and which operator kept or dropped it."}</p>
                }
                {explanation.unwrap_or_default()}
            </div>
        </section>
    }
}

/// The explanation of the finding at bytes `start..end`: its bindings, then each operator with
/// what it did to that match and which lines it dropped.
fn explain_view(e: &crate::workshop::Explanation, start: u32, end: u32) -> Html {
    if e.untraced {
        return html! { <p class="hint" data-testid="explain-result">{"Only pattern rules are explained step by step; this is a taint or native rule (its finding's detail shows the data flow)."}</p> };
    }
    let bindings = e.match_for(start, end).map(|m| m.bindings.clone()).unwrap_or_default();
    let story = e.story(start, end);
    html! {
        <div data-testid="explain-result">
            if bindings.is_empty() {
                <p class="hint">{"No metavariables bound."}</p>
            } else {
                <table class="bindings" data-testid="bindings">
                    { for bindings.iter().map(|(mv, code)| html! { <tr><th><code>{mv.clone()}</code></th><td><code>{code.clone()}</code></td></tr> }) }
                </table>
            }
            <ol class="explain-steps">
                { for story.iter().map(|(op, mine, dropped)| {
                    let verdict = match mine {
                        Some(true) => "kept it",
                        Some(false) => "dropped it",
                        None => "did not see it",
                    };
                    let others = if dropped.is_empty() {
                        String::new()
                    } else {
                        format!("; dropped line{} {}", if dropped.len() == 1 { "" } else { "s" }, dropped.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
                    };
                    html! { <li data-testid="explain-step" data-kept={mine.map(|k| k.to_string())}><code>{op.clone()}</code>{format!(" {verdict}{others}")}</li> }
                }) }
            </ol>
            if e.steps.is_empty() {
                <p class="hint">{"A single pattern: every match is a finding."}</p>
            }
        </div>
    }
}
