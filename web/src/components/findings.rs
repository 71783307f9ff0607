//! The status line, the counts per severity (which filter the list) and the findings list.

use yew::prelude::*;

use super::use_app;
use crate::model::Severity;
use crate::state::Action;

#[function_component(FindingsPanel)]
pub fn findings_panel() -> Html {
    let app = use_app();
    let s = &app.state;
    let Some(a) = s.analysis.clone() else {
        return html! {
            <section class="findings">
                <div class="status" data-testid="status">{ if s.engine_error.is_some() { "The engine is not available" } else { "Analysing…" } }</div>
            </section>
        };
    };
    let refused = a.errors.iter().find(|e| e.line.is_none()).map(|e| e.message.clone());
    // Findings the filters hide are never reported as clean.
    let hidden_all = s.hidden_findings();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (code, text, hint) = match a.status.as_str() {
        "NO_SECURITY_ISSUES" if hidden_all > 0 => (
            "FINDINGS_HIDDEN",
            format!("{hidden_all} finding{} hidden by your filters", plural(hidden_all)),
            Some("Your settings (minimum severity or confidence, rule families switched off) hide them; nothing is shown, but the code is not clean."),
        ),
        "NO_ACTIONABLE_INPUT" if refused.is_some() => (
            "NO_ACTIONABLE_INPUT",
            "The input was not analysed.".to_string(),
            Some("Paste a smaller part of the file here, or scan the whole file with the pyward CLI."),
        ),
        "NO_ACTIONABLE_INPUT" => (
            "NO_ACTIONABLE_INPUT",
            "Nothing to analyse yet.".to_string(),
            Some("Type or paste Python code in the editor, or pick a program from the Examples menu."),
        ),
        "NO_SECURITY_ISSUES" => ("NO_SECURITY_ISSUES", "No security issues found.".to_string(), None),
        "INCOMPLETE_ANALYSIS" => (
            "INCOMPLETE_ANALYSIS",
            "No findings in what was analysed, but part of the code was not analysed.".to_string(),
            Some("See the errors below: the code they point at was not checked."),
        ),
        _ => {
            let n = a.findings.len();
            let partial = if a.errors.is_empty() { "" } else { " (part of the code was not analysed: see the errors below)" };
            ("FINDINGS", format!("{n} finding{}{partial}", if n == 1 { "" } else { "s" }), None)
        }
    };
    let show_all = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowAllFindings))
    };
    let counts = Severity::ALL.iter().map(|sev| {
        let sev = *sev;
        let shown = !s.hidden.contains(&sev);
        let d = app.state.dispatcher();
        let onclick = Callback::from(move |_| d.dispatch(Action::ToggleSeverity(sev)));
        let title = if shown { format!("Hide {} findings", sev.label()) } else { format!("Show {} findings", sev.label()) };
        html! {
            <button class={classes!("count", format!("sev-{}", sev.as_str()), (!shown).then_some("off"))}
                    aria-pressed={shown.to_string()} {title} {onclick}>
                <span class={classes!("dot", format!("sev-{}", sev.as_str()))} aria-hidden="true"></span>
                <span class="count-label">{sev.label()}</span>
                <span class="count-n" data-testid={format!("count-{}", sev.as_str())}>{a.summary.count(sev)}</span>
            </button>
        }
    });
    let visible = s.visible();
    let rows = visible.iter().map(|&i| {
        let f = &a.findings[i];
        let selected = s.selected == Some(i);
        let onclick = {
            let app = app.clone();
            let (from, to) = (f.from, f.to);
            Callback::from(move |_| {
                app.state.dispatch(Action::Select(Some(i)));
                app.services.with_editor(|e| e.select(from, to));
            })
        };
        // Pointing at a row (or tabbing to it) previews its data-flow trace in the editor.
        let hover = {
            let d = app.state.dispatcher();
            Callback::from(move |on: bool| d.dispatch(Action::Hover(on.then_some(i))))
        };
        let (enter, leave) = (hover.reform(|_: MouseEvent| true), hover.reform(|_: MouseEvent| false));
        let (focus, blur) = (hover.reform(|_: FocusEvent| true), hover.reform(|_: FocusEvent| false));
        let steps = f.trace.len();
        html! {
            <li key={i}>
                <button class={classes!("finding", format!("sev-{}", f.severity.as_str()), selected.then_some("selected"))}
                        data-testid="finding" data-rule={f.rule_id.clone()} data-severity={f.severity.as_str()}
                        data-line={f.line.to_string()} aria-current={selected.then_some("true")} {onclick}
                        onmouseenter={enter} onmouseleave={leave} onfocus={focus} onblur={blur}>
                    <span class="finding-main">
                        <span class="finding-title">{&f.title}</span>
                        <span class="finding-meta">
                            <span class="loc">{format!("line {}:{}", f.line, f.column)}</span>
                            <code class="rule-id">{&f.rule_id}</code>
                            if let Some(c) = f.cwe { <span class="cwe">{format!("CWE-{c}")}</span> }
                            if steps > 0 { <span class="flow" data-testid="flow-steps">{format!("data flow · {steps} step{}", if steps == 1 { "" } else { "s" })}</span> }
                        </span>
                    </span>
                    <span class={classes!("sev-label", format!("sev-{}", f.severity.as_str()))}>{f.severity.label()}</span>
                </button>
            </li>
        }
    });
    let hidden_n = a.findings.len() - visible.len();
    let errors = a.errors.iter().map(|e| {
        let pos = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("line {l}:{c}: "),
            _ => String::new(),
        };
        let onclick = {
            let app = app.clone();
            let from = e.from;
            Callback::from(move |_| {
                if let Some(p) = from {
                    app.services.with_editor(|ed| ed.select(p, p));
                }
            })
        };
        let testid = if e.line.is_some() { "syntax-error" } else { "input-error" };
        html! { <li><button class="error-row" data-testid={testid} {onclick}>{format!("{pos}{}", e.message)}</button></li> }
    });
    html! {
        <section class="findings">
            <div class={classes!("status", format!("status-{}", code.to_ascii_lowercase()))} data-testid="status">
                <code class="status-code">{code}</code>
                <span class="status-text">{text}</span>
                if let Some(h) = hint { <p class="hint">{h}</p> }
                if code == "NO_SECURITY_ISSUES" {
                    <p class="hint">{format!("Categories checked ({}):", a.categories_checked.len())}</p>
                    <ul class="categories" data-testid="categories">
                        { for a.categories_checked.iter().map(|c| html!{ <li>{c}</li> }) }
                    </ul>
                }
                if hidden_all > 0 {
                    <p class="hidden-findings" data-testid="hidden-findings">
                        if code != "FINDINGS_HIDDEN" { {format!("{hidden_all} finding{} hidden by your filters. ", plural(hidden_all))} }
                        <button class="link" onclick={show_all} data-testid="show-hidden">{"Show them"}</button>
                    </p>
                }
                if a.summary.suppressed > 0 {
                    <p class="hint">{format!("{} finding(s) suppressed by # nosec / # noqa / # pyward: ignore comments.", a.summary.suppressed)}</p>
                }
            </div>
            if !a.errors.is_empty() {
                <ul class="errors" aria-label="Syntax errors">{ for errors }</ul>
            }
            <div class="counts" role="group" aria-label="Filter by severity">{ for counts }</div>
            if !visible.is_empty() {
                <ol class="finding-list" aria-label="Findings">{ for rows }</ol>
            }
            if hidden_n > 0 {
                <p class="hint">{format!("{hidden_n} finding(s) hidden by the severity filters.")}</p>
            }
        </section>
    }
}
