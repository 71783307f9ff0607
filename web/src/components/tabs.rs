//! The file tabs above the editor: one button per file (with its count of findings), a remove
//! button on each, and a field to add one. The name picks how a file is analysed (see
//! `crate::tabs`). Opening a tab puts its text in the editor and analyses every tab again.

use std::rc::Rc;

use yew::prelude::*;

use super::{use_app, AppContext};
use crate::state::Action;
use crate::tabs::{self, Tab};

/// Puts `tabs` in place with tab `active` in the editor, and analyses them.
pub fn open_tabs(app: &AppContext, tabs: Vec<Tab>, active: usize) {
    if tabs.is_empty() {
        return;
    }
    let active = active.min(tabs.len() - 1);
    app.services.bridge.set_tabs(&tabs, active);
    let text = tabs[active].text.clone();
    app.state.dispatch(Action::SetTabs { tabs, active });
    app.services.with_editor(|e| e.set_doc(&text));
    app.services.analyze_now();
}

/// Opens tab `to` (the editor's text is kept in the tab it leaves).
pub fn switch_to(app: &AppContext, to: usize) {
    if to == app.state.active || to >= app.state.tabs.len() {
        return;
    }
    let doc = app.services.doc();
    open_tabs(app, tabs::with_doc(&app.state.tabs, app.state.active, &doc), to);
}

/// Opens the tab of file `path`, if it is not the one in the editor.
pub fn switch_to_file(app: &AppContext, path: &str) {
    if let Some(i) = app.state.tabs.iter().position(|t| *t.name == *path) {
        switch_to(app, i);
    }
}

#[function_component(TabBar)]
pub fn tab_bar() -> Html {
    let app = use_app();
    let name = use_node_ref();
    let error = use_state(|| None::<String>);
    let s = &app.state;
    let count = |t: &Tab| s.analysis.as_ref().map_or(0, |a| a.findings.iter().filter(|f| f.path == *t.name).count());
    let add = {
        let app = app.clone();
        let name = name.clone();
        let error = error.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = name.cast::<web_sys::HtmlInputElement>() else { return };
            let doc = app.services.doc();
            let current = tabs::with_doc(&app.state.tabs, app.state.active, &doc);
            match tabs::check_name(&input.value(), &current) {
                Ok(n) => {
                    let mut next = current;
                    next.push(Tab::new(&n, ""));
                    let last = next.len() - 1;
                    input.set_value("");
                    error.set(None);
                    open_tabs(&app, next, last);
                    app.services.with_editor(|e| e.focus());
                }
                Err(why) => error.set(Some(why)),
            }
        })
    };
    let clear_error = {
        let error = error.clone();
        Callback::from(move |_: InputEvent| error.set(None))
    };
    let tab = |i: usize, t: &Tab| {
        let active = i == s.active;
        let open = {
            let app = app.clone();
            Callback::from(move |_| switch_to(&app, i))
        };
        let remove = {
            let app = app.clone();
            let removed: Rc<str> = t.name.clone();
            Callback::from(move |_| {
                let doc = app.services.doc();
                let current = tabs::with_doc(&app.state.tabs, app.state.active, &doc);
                if let Some((next, active)) = tabs::remove(&current, app.state.active, i) {
                    open_tabs(&app, next, active);
                    app.state.dispatch(Action::Notice(Some(format!("Removed the tab {removed}"))));
                }
            })
        };
        let n = count(t);
        let kind = if t.is_dependency_file() { "dependencies" } else { "python" };
        html! {
            <span class={classes!("tab", active.then_some("active"))} key={t.name.to_string()}>
                <button aria-current={active.then_some("true")}
                        data-testid="tab" data-name={t.name.to_string()} data-index={i.to_string()} data-kind={kind}
                        title={if t.is_dependency_file() { "Dependency file: audited for known vulnerabilities, typosquats and unsafe sources" } else { "Python file" }}
                        onclick={open}>
                    <span class="tab-name">{t.name.to_string()}</span>
                    if n > 0 { <span class="tab-count" data-testid="tab-count" aria-label={format!("{n} findings")}>{n}</span> }
                </button>
                if s.tabs.len() > 1 {
                    <button class="tab-remove" data-testid="tab-remove" aria-label={format!("Remove {}", t.name)} title={format!("Remove {}", t.name)} onclick={remove}>{"×"}</button>
                }
            </span>
        }
    };
    html! {
        <div class="tabbar">
            <nav class="tabs" aria-label="Files">
                { for s.tabs.iter().enumerate().map(|(i, t)| tab(i, t)) }
            </nav>
            <form class="tab-add" onsubmit={add}>
                <label class="sr-only" for="new-tab-name">{"New file name"}</label>
                <input id="new-tab-name" ref={name} data-testid="tab-name" placeholder="utils.py, pyproject.toml…" maxlength="64"
                       autocomplete="off" spellcheck="false" oninput={clear_error}
                       aria-invalid={error.is_some().then_some("true")} aria-describedby={error.is_some().then_some("tab-error")} />
                <button type="submit" data-testid="tab-add" title="Add a file">{"+ Add file"}</button>
            </form>
            if let Some(e) = (*error).clone() {
                <span id="tab-error" class="tab-error" role="alert" data-testid="tab-error">{e}</span>
            }
        </div>
    }
}
