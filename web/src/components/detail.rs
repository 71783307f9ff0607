//! The selected finding: what it is, for taint rules the data flow from source to sink (each step
//! jumps to its code), why it is dangerous, CWE and OWASP links, the rule's before/after
//! remediation, and for rules with a `fix`, the user's own line fixed, with a button that applies it.

use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::use_app;
use crate::markdown;

/// Focuses the detail, at its top. In the one-column layout (phones, `max-width: 900px` as in
/// style.css), where the detail follows the whole list, the list box scrolls the selected row to
/// its bottom edge and the page scrolls that row to the top of the screen: the detail opens right
/// under the tapped row. Side by side, nothing moves but the focus.
fn focus_near_row(detail: &web_sys::HtmlElement) {
    detail.set_scroll_top(0);
    let opts = web_sys::FocusOptions::new();
    opts.set_prevent_scroll(true);
    let _ = detail.focus_with_options(&opts);
    let Some(w) = web_sys::window() else { return };
    if !w.match_media("(max-width: 900px)").ok().flatten().is_some_and(|m| m.matches()) {
        return;
    }
    let row = detail.parent_element().and_then(|side| side.query_selector(".finding[aria-current=true]").ok().flatten());
    let list = row.as_ref().and_then(|r| r.closest(".findings").ok().flatten());
    match (row, list) {
        (Some(row), Some(list)) => {
            let (r, l) = (row.get_bounding_client_rect(), list.get_bounding_client_rect());
            list.set_scroll_top(list.scroll_top() + (r.bottom() - l.bottom() + 12.0).round() as i32);
            w.scroll_by_with_x_and_y(0.0, row.get_bounding_client_rect().top() - 8.0);
        }
        _ => detail.scroll_into_view(),
    }
}

#[function_component(Detail)]
pub fn detail() -> Html {
    let app = use_app();
    let s = &app.state;
    // A finding opened from its row brings the focus here (Tab then reaches the links and Apply fix).
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(s.detail_focus, move |n| {
            if *n > 0 {
                if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                    focus_near_row(&el);
                }
            }
        });
    }
    let Some(f) = s.selected_finding().cloned() else {
        if s.analysis.as_ref().is_some_and(|a| !a.findings.is_empty()) {
            return html! { <section class="detail empty" data-testid="detail"><p class="hint">{"Select a finding to see why it is dangerous and how to fix it."}</p></section> };
        }
        return html! {};
    };
    let rule = s.rules.get(&f.rule_id).cloned();
    let docs = rule.as_ref().map(|r| r.docs.clone()).unwrap_or_default();
    let explain = markdown::render(&markdown::strip_sections(&docs, &["Example", "References"]));
    let refs = markdown::render(&markdown::strip_sections(&docs, &["What it does", "Why is this bad?", "Example"]));
    let diff = s.fix_diff(&f);
    let apply = {
        let app = app.clone();
        let f = f.clone();
        Callback::from(move |_| {
            if let Some(fix) = &f.fix {
                // The imports the fix needs go in with it, as one Undo step.
                let extra = js_sys::Array::new();
                for (edit, (from, to)) in f.fix_edits.iter().zip(&f.fix_edit_ranges) {
                    let one = js_sys::Array::of3(&JsValue::from(*from), &JsValue::from(*to), &JsValue::from_str(&edit.text));
                    extra.push(&one);
                }
                app.services.with_editor(|e| {
                    e.replace_range(f.from, f.to, fix, &extra);
                    e.focus();
                });
            }
        })
    };
    let sev = f.severity.as_str();
    let steps = crate::model::trace_view(&f).into_iter().map(|step| {
        let onclick = {
            let app = app.clone();
            let range = step.range;
            Callback::from(move |_| {
                if let Some((from, to)) = range {
                    app.services.with_editor(|e| e.select(from, to));
                }
            })
        };
        let kind = step.kind.as_str();
        html! {
            <li>
                <button class={classes!("trace-step", format!("step-{kind}"))} data-testid="trace-step"
                        data-line={step.step.line.to_string()} data-kind={kind}
                        disabled={step.range.is_none()} {onclick}
                        title={format!("Go to line {}, column {}", step.step.line, step.step.column)}>
                    <span class="step-n" aria-hidden="true">{step.n}</span>
                    <span class="step-loc">{format!("line {}", step.step.line)}</span>
                    <span class="step-label">{step.step.label.clone()}</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="detail" data-testid="detail" aria-label="Finding detail" tabindex="-1" ref={node}>
            <header class="detail-head">
                <span class={classes!("badge", format!("sev-{sev}"))}><span class={classes!("dot", format!("sev-{sev}"))} aria-hidden="true"></span>{f.severity.label()}</span>
                <h2>{&f.title}</h2>
                <div class="detail-meta">
                    <code>{&f.rule_id}</code>
                    if app.state.tabs.len() > 1 { <span class="file" data-testid="detail-file">{f.path.clone()}</span> }
                    <span>{format!("line {}:{}", f.line, f.column)}</span>
                    <span>{format!("confidence: {}", f.confidence.as_str())}</span>
                    if let Some(l) = &f.likelihood { <span data-testid="likelihood">{format!("likelihood: {}", l.to_lowercase())}</span> }
                    if let Some(i) = &f.impact { <span data-testid="impact">{format!("impact: {}", i.to_lowercase())}</span> }
                </div>
            </header>
            <p class="message">{&f.message}</p>
            if let Some(d) = f.dependency.as_deref() {
                <dl class="dependency-facts" data-testid="dependency">
                    <dt>{"Package"}</dt><dd data-testid="dep-package"><code>{d.package.clone()}</code></dd>
                    <dt>{"Version"}</dt><dd data-testid="dep-version">{d.version.clone().unwrap_or_else(|| "not pinned".into())}</dd>
                    if !d.advisories.is_empty() {
                        <dt>{"Advisories"}</dt><dd data-testid="dep-advisories">{d.advisories.join(", ")}</dd>
                    }
                    if let Some(v) = &d.fixed { <dt>{"Fixed in"}</dt><dd data-testid="dep-fixed">{v.clone()}</dd> }
                    if let Some(v) = &d.imitates { <dt>{"Looks like"}</dt><dd data-testid="dep-imitates"><code>{v.clone()}</code></dd> }
                    <dt>{"Action"}</dt><dd data-testid="dep-action">{d.action.clone()}</dd>
                </dl>
            }
            if !f.trace.is_empty() {
                <h3 id="trace-heading">{"Data flow"}</h3>
                <ol class="trace" data-testid="trace" aria-labelledby="trace-heading">{ for steps }</ol>
            }
            <div class="links">
                if let (Some(c), Some(url)) = (f.cwe, rule.as_ref().and_then(|r| r.cwe_url.clone())) {
                    <a href={url} target="_blank" rel="noopener noreferrer" data-testid="cwe-link">
                        {format!("CWE-{c}")}
                        if let Some(t) = rule.as_ref().and_then(|r| r.cwe_title.clone()) { {format!(": {t}")} }
                    </a>
                }
                if let (Some(o), Some(url)) = (f.owasp.clone(), rule.as_ref().and_then(|r| r.owasp_url.clone())) {
                    <a href={url} target="_blank" rel="noopener noreferrer" data-testid="owasp-link">{format!("OWASP {o}")}</a>
                }
                if let Some(r) = rule.as_ref().filter(|r| !r.bandit.is_empty() || !r.ruff.is_empty()) {
                    <span class="equiv">{format!("Bandit {} · Ruff {}",
                        if r.bandit.is_empty() { "–".to_string() } else { r.bandit.join(", ") },
                        if r.ruff.is_empty() { "–".to_string() } else { r.ruff.join(", ") })}</span>
                }
            </div>
            <div class="docs">{explain}</div>
            if let Some((before, after)) = diff {
                <h3>{"Fix for your code"}</h3>
                <div class="diff" data-testid="fix-diff">
                    <pre class="del"><code>{before}</code></pre>
                    <pre class="add"><code>{after}</code></pre>
                </div>
                <button class="primary" data-testid="apply-fix" onclick={apply}>{"Apply fix in the editor"}</button>
            }
            if let Some(rem) = rule.as_ref().and_then(|r| r.remediation.clone()) {
                <h3>{"How to fix"}</h3>
                <div class="before-after">
                    <figure data-testid="before">
                        <figcaption>{"✗ Before"}</figcaption>
                        <pre class="code"><code>{rem.before.trim_end().to_string()}</code></pre>
                    </figure>
                    <figure data-testid="after">
                        <figcaption>{"✓ After"}</figcaption>
                        <pre class="code"><code>{rem.after.trim_end().to_string()}</code></pre>
                    </figure>
                </div>
            }
            <div class="docs refs">{refs}</div>
        </section>
    }
}
