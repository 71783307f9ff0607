//! The top bar: examples menu, settings, export and the share link.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_app;
use crate::state::Action;
use crate::{browser, share, EXAMPLES};

#[function_component(Toolbar)]
pub fn toolbar() -> Html {
    let app = use_app();
    let on_example = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else { return };
            if let Some(ex) = EXAMPLES.iter().find(|x| x.id == sel.value()) {
                app.services.with_editor(|ed| {
                    ed.set_doc(ex.code);
                    ed.focus();
                });
                app.state.dispatch(Action::Select(None));
                app.services.analyze_now();
            }
            sel.set_value("");
        })
    };
    let toggle_settings = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ToggleSettings))
    };
    let share = {
        let app = app.clone();
        Callback::from(move |_| {
            let (code, settings, rules) = (app.services.doc(), app.state.settings.clone(), app.state.custom_rules.clone());
            let d = app.state.dispatcher();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(frag) = share::encode(&code, &settings, &rules).await else { return };
                let Some(link) = browser::set_fragment(&frag) else { return };
                let msg = if browser::copy(&link).await {
                    format!("Link copied ({} characters). The code travels in the # part, which is never sent to a server.", link.len())
                } else {
                    "The link is in the address bar; copy it from there (clipboard access was refused).".to_string()
                };
                d.dispatch(Action::Notice(Some(msg)));
            });
        })
    };
    let export_menu = use_node_ref();
    let export = |format: &'static str| {
        let app = app.clone();
        let menu = export_menu.clone();
        Callback::from(move |_| {
            app.services.bridge.export(app.services.doc(), format);
            if let Some(d) = menu.cast::<web_sys::HtmlDetailsElement>() {
                d.set_open(false);
            }
        })
    };
    html! {
        <header class="topbar">
            <div class="brand">
                <img class="logo" src="favicon.svg" alt="" width="22" height="22" />
                <h1>{"pyward"}</h1>
                <span class="tagline">{"Python security playground · runs in your browser, your code never leaves it"}</span>
            </div>
            <nav class="actions" aria-label="Playground actions">
                <label class="examples">
                    <span class="sr-only">{"Load an example"}</span>
                    <select onchange={on_example} data-testid="examples" title="Load an example program">
                        <option value="" selected=true>{"Examples…"}</option>
                        { for EXAMPLES.iter().map(|e| html!{ <option value={e.id} title={e.description}>{e.title}</option> }) }
                    </select>
                </label>
                <button onclick={toggle_settings} aria-expanded={app.state.settings_open.to_string()} data-testid="settings-toggle">{"Settings"}</button>
                <details class="export" ref={export_menu.clone()}>
                    <summary>{"Export ▾"}</summary>
                    <div class="menu">
                        <button onclick={export("markdown")} data-testid="export-markdown">{"Markdown report"}</button>
                        <button onclick={export("sarif")} data-testid="export-sarif">{"SARIF 2.1.0"}</button>
                        <button onclick={export("json")} data-testid="export-json">{"JSON"}</button>
                    </div>
                </details>
                <button class="primary" onclick={share} data-testid="share">{"Copy link"}</button>
            </nav>
        </header>
    }
}
