//! The status line, the counts per severity (which filter the list) and the findings list.
//!
//! Long lists are windowed: only the rows near the screen are in the DOM (rows of a fixed height,
//! the list as tall as all of them), so 10,000 findings render as fast as a few dozen.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_app;
use crate::model::{EditorError, EditorFinding, OwaspRow, Risk, Severity};
use crate::state::Action;

/// Lists longer than this are windowed; shorter ones render every row (their natural height).
pub const WINDOW_FROM: usize = 150;
/// The height of a windowed row in CSS pixels, gap included (style.css: `.finding-list.windowed`).
pub const ROW_PX: f64 = 60.0;
/// Rows rendered above and below the screen, so fast scrolling shows no blank.
const OVERSCAN: usize = 10;

/// The rows `[first, end)` of a windowed list of `total` rows to render, when the list's top is
/// `list_top` px from the top of a viewport `viewport_h` px tall (negative when scrolled past).
pub fn window_range(list_top: f64, viewport_h: f64, total: usize) -> (usize, usize) {
    let rows = |px: f64| if px.is_finite() && px > 0.0 { (px / ROW_PX) as usize } else { 0 };
    let first = rows(-list_top).saturating_sub(OVERSCAN).min(total);
    let shown = rows(viewport_h.max(0.0) - list_top.max(0.0)) + 1;
    let end = (rows(-list_top) + shown + OVERSCAN).min(total).max(first);
    (first, end)
}

/// Where the analysis was partial, for the status line: the first position the engine skipped
/// (a statement too deep, a syntax error), or that a rule was cut short (no position). None when
/// every line and rule was analysed.
pub fn partial_note(errors: &[EditorError]) -> Option<String> {
    let first = errors.first()?;
    let more = match errors.len() - 1 {
        0 => String::new(),
        1 => " and 1 more place".to_string(),
        n => format!(" and {n} more places"),
    };
    Some(match errors.iter().find_map(|e| e.line.zip(e.column)) {
        Some((l, c)) => format!("part of the code was not analysed, at line {l}:{c}{more}"),
        None => format!("part of the analysis was cut short ({}){more}", first.message),
    })
}

/// One finding's row: selects it on click, previews its trace on hover and focus.
fn row(app: &super::AppContext, f: &EditorFinding, i: usize, selected: bool) -> Html {
    let onclick = {
        let app = app.clone();
        let (from, to) = (f.from, f.to);
        let path = f.path.clone();
        Callback::from(move |_| {
            // A finding in another tab opens that tab first.
            super::tabs::switch_to_file(&app, &path);
            // The detail takes the focus: the editor shows the range without it (a keyboard
            // user's next Tab must not indent the selected code; no on-screen keyboard on touch).
            app.state.dispatch(Action::Open(i));
            app.services.with_editor(|e| e.reveal(from, to));
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
                    data-testid="finding" data-file={f.path.clone()} data-rule={f.rule_id.clone()} data-severity={f.severity.as_str()}
                    data-line={f.line.to_string()} aria-current={selected.then_some("true")} {onclick}
                    onmouseenter={enter} onmouseleave={leave} onfocus={focus} onblur={blur}>
                <span class="finding-main">
                    <span class="finding-title">{&f.title}</span>
                    <span class="finding-meta">
                        if app.state.tabs.len() > 1 { <span class="file" data-testid="finding-file">{f.path.clone()}</span> }
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
}

/// The rows of a windowed list near the screen, updated as the page or the panel scrolls (one
/// capturing listener on the window sees both) and as the window is resized. It also sizes the
/// list through the CSS object model (the page's CSP forbids style attributes): as tall as all
/// its rows, the rendered ones pushed down to their place.
#[hook]
fn use_window(list: NodeRef, total: usize) -> UseStateHandle<(usize, usize)> {
    let range = use_state(|| (0usize, 0usize));
    {
        let list = list.clone();
        let range = range.clone();
        use_effect_with(total, move |total| {
            let total = *total;
            // The handle's value is the one of its render: remember what was set since.
            let last = Cell::new(*range);
            let update: Rc<dyn Fn()> = Rc::new(move || {
                let Some(el) = list.cast::<web_sys::HtmlElement>() else { return };
                let h = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|v| v.as_f64()).unwrap_or(800.0);
                let r = window_range(el.get_bounding_client_rect().top(), h, total);
                if last.replace(r) != r {
                    range.set(r);
                }
            });
            update();
            let cb = {
                let update = update.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |_| update())
            };
            let win = web_sys::window();
            let opts = web_sys::AddEventListenerOptions::new();
            opts.set_capture(true);
            opts.set_passive(true);
            if let Some(w) = &win {
                for ev in ["scroll", "resize"] {
                    let _ = w.add_event_listener_with_callback_and_add_event_listener_options(ev, cb.as_ref().unchecked_ref(), &opts);
                }
            }
            move || {
                if let Some(w) = &win {
                    for ev in ["scroll", "resize"] {
                        let _ = w.remove_event_listener_with_callback_and_bool(ev, cb.as_ref().unchecked_ref(), true);
                    }
                }
            }
        });
    }
    {
        let first = range.0;
        use_effect_with((total, first), move |(total, first)| {
            if let Some(el) = list.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let (height, pad) = if *total > WINDOW_FROM { (format!("{}px", *total as f64 * ROW_PX), format!("{}px", *first as f64 * ROW_PX)) } else { (String::new(), String::new()) };
                let _ = style.set_property("height", &height);
                let _ = style.set_property("padding-top", &pad);
            }
        });
    }
    range
}

#[function_component(FindingsPanel)]
pub fn findings_panel() -> Html {
    let app = use_app();
    let s = &app.state;
    let list = use_node_ref();
    let total = s.analysis.as_ref().map_or(0, |_| s.visible().len());
    let range = use_window(list.clone(), if s.stopped.is_some() { 0 } else { total });
    if let Some(msg) = &s.stopped {
        return html! {
            <section class="findings">
                <div class="status status-analysis_stopped" data-testid="status" role="alert">
                    <code class="status-code">{"ANALYSIS_STOPPED"}</code>
                    <span class="status-text">{msg.clone()}</span>
                    <p class="hint">{"The analyser was restarted; the next edit is analysed."}</p>
                </div>
            </section>
        };
    }
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
            format!("No findings in what was analysed, but {}.", partial_note(&a.errors).unwrap_or_else(|| "part of the code was not analysed".into())),
            Some("See the errors below: the code they point at was not checked."),
        ),
        _ => {
            let n = a.findings.len();
            let partial = partial_note(&a.errors).map(|p| format!(" ({p}: see the errors below)")).unwrap_or_default();
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
    let windowed = visible.len() > WINDOW_FROM;
    let (first, end) = if windowed { *range } else { (0, visible.len()) };
    let rows = visible[first.min(visible.len())..end.min(visible.len())].iter().map(|&i| row(&app, &a.findings[i], i, s.selected == Some(i)));
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
                if a.status != "NO_ACTIONABLE_INPUT" { {risk(&a.risk, hidden_all > 0)} }
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
            if a.status != "NO_ACTIONABLE_INPUT" && !a.owasp_top10.is_empty() { {owasp_matrix(&a.owasp_top10)} }
            if !visible.is_empty() {
                <ol class={classes!("finding-list", windowed.then_some("windowed"))} aria-label="Findings" ref={list.clone()}
                    data-testid="finding-list" data-total={visible.len().to_string()} data-first={first.to_string()}>{ for rows }</ol>
            }
            if hidden_n > 0 {
                <p class="hint">{format!("{hidden_n} finding(s) hidden by the severity filters.")}</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileError;

    #[test]
    fn the_window_covers_the_screen_and_a_margin_and_stays_in_the_list() {
        // The list starts 300 px down a 720 px screen: the rows up to its bottom, and the margin.
        assert_eq!(window_range(300.0, 720.0, 10_000), (0, 7 + 1 + OVERSCAN));
        // Scrolled 6,000 px past the list's top: rows 100.. are on screen.
        assert_eq!(window_range(-6_000.0, 720.0, 10_000), (100 - OVERSCAN, 100 + 13 + OVERSCAN));
        // Past the end, or below the screen: nothing out of range.
        assert_eq!(window_range(-1e9, 720.0, 10_000), (10_000, 10_000));
        assert_eq!(window_range(5_000.0, 720.0, 10_000), (0, 1 + OVERSCAN));
        assert_eq!(window_range(f64::NAN, 720.0, 3), (0, 3));
    }

    #[test]
    fn a_partial_analysis_says_where() {
        let e = |line: Option<u32>, msg: &str| EditorError {
            error: FileError { path: "p.py".into(), message: msg.into(), line, column: line.map(|_| 5) },
            from: None,
        };
        assert_eq!(partial_note(&[]), None);
        assert_eq!(partial_note(&[e(Some(2), "deep")]).as_deref(), Some("part of the code was not analysed, at line 2:5"));
        assert_eq!(
            partial_note(&[e(None, "not analysed fully: r: budget"), e(Some(9), "deep"), e(Some(12), "deep")]).as_deref(),
            Some("part of the code was not analysed, at line 9:5 and 2 more places")
        );
        assert_eq!(partial_note(&[e(None, "not analysed fully: r: budget")]).as_deref(), Some("part of the analysis was cut short (not analysed fully: r: budget)"));
    }
}

/// The overall risk rating and security score; `partial` when filters hide findings (the
/// rating then covers only the findings shown).
fn risk(r: &Risk, partial: bool) -> Html {
    let sev = r.rating.as_str();
    html! {
        <p class={classes!("risk", format!("sev-{sev}"))} data-testid="risk">
            <span class={classes!("dot", format!("sev-{sev}"))} aria-hidden="true"></span>
            <strong data-testid="risk-rating">{r.label()}</strong>
            <span class="risk-score" data-testid="risk-score">{format!("security score {}/100", r.score)}</span>
            if partial { <span class="risk-note">{"(of the findings shown)"}</span> }
        </p>
    }
}

/// The OWASP Top 10 (2021) compliance matrix, folded under its heading.
fn owasp_matrix(rows: &[OwaspRow]) -> Html {
    let rows = rows.iter().map(|r| {
        let checks = if r.rules.is_empty() { "—".to_string() } else { r.rules.join(", ") };
        html! {
            <tr data-testid={format!("owasp-{}", r.id.get(..3).unwrap_or(""))} class={classes!(format!("owasp-{}", r.status.as_str()))}>
                <th scope="row">{format!("{} {}", r.id, r.name)}</th>
                <td class="owasp-checks">{checks}</td>
                <td class="owasp-n">{r.findings}</td>
                <td class="owasp-status">{r.status.label()}</td>
            </tr>
        }
    });
    html! {
        <details class="owasp" data-testid="owasp">
            <summary>{"OWASP Top 10 (2021) compliance"}</summary>
            <table>
                <thead><tr><th scope="col">{"Category"}</th><th scope="col">{"Checks run"}</th><th scope="col">{"Findings"}</th><th scope="col">{"Status"}</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </details>
    }
}
