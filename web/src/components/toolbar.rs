//! The top bar: examples menu, settings, export and the share link.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_app;
use crate::state::Action;
use crate::{browser, share, EXAMPLES};

/// Whether loading an example over `before` replaces code of the user's own (not blank, not
/// an example as it was loaded).
fn replaces_own_code(before: &str, example: &str) -> bool {
    !before.trim().is_empty() && before != example && !EXAMPLES.iter().any(|e| e.code == before)
}

/// What "Copy link" tells the user: where the link is, and a warning for long links.
fn copied_message(len: usize, copied: bool) -> String {
    let mut msg = if copied {
        format!("Link copied ({len} characters) and shown in the address bar. The code travels in the # part, which is never sent to a server.")
    } else {
        "The link is in the address bar; copy it from there (clipboard access was refused).".to_string()
    };
    if len > share::LONG_LINK {
        msg.push_str(&format!(
            " Warning: this link is {} KB long, and some chat tools and mail clients cut links over 8 KB; check that it arrives whole.",
            len.div_ceil(1024)
        ));
    }
    msg
}

#[function_component(Toolbar)]
pub fn toolbar() -> Html {
    let app = use_app();
    let on_example = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else { return };
            if let Some(ex) = EXAMPLES.iter().find(|x| x.id == sel.value()) {
                // One undoable change: the code it replaces is one Undo away, and the notice says so.
                let tabs = app.services.bridge.all_tabs(&app.services.doc());
                let before = tabs.first().map_or_else(|| app.services.doc(), |t| t.text.clone());
                super::tabs::open_tabs(&app, crate::tabs::initial(ex.code, ex.requirements), 0);
                app.services.with_editor(|ed| ed.focus());
                app.state.dispatch(Action::ExampleLoaded(ex.id.to_string()));
                if replaces_own_code(&before, ex.code) {
                    let msg = format!("Loaded the example \u{201c}{}\u{201d}. Your previous code is one Undo away (Ctrl+Z in the editor).", ex.title);
                    app.state.dispatch(Action::Notice(Some(msg)));
                }
            }
            // The menu's first entry names the loaded example; choosing the same one again reloads it.
            sel.set_value("");
        })
    };
    let toggle_settings = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ToggleSettings))
    };
    let toggle_workshop = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Workshop(crate::workshop::WorkshopAction::Toggle)))
    };
    let share = {
        let app = app.clone();
        Callback::from(move |_| {
            // The link carries what this view shows: its settings and custom rules.
            let (tabs, settings, rules) = (app.services.bridge.all_tabs(&app.services.doc()), app.state.effective_settings().clone(), app.state.custom_rules.clone());
            let d = app.state.dispatcher();
            let services = app.services.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(frag) = share::encode(&tabs, &settings, &rules).await else { return };
                let Some(link) = browser::set_fragment(&frag) else { return };
                *services.link_code.borrow_mut() = Some(std::rc::Rc::from(crate::tabs::signature(&tabs)));
                let copied = browser::copy(&link).await;
                d.dispatch(Action::Notice(Some(copied_message(link.len(), copied))));
            });
        })
    };
    let menu_title = match app.state.example.as_ref().and_then(|l| EXAMPLES.iter().find(|e| e.id == l.id).map(|e| (e, l.edited))) {
        Some((e, false)) => format!("Example: {}", e.title),
        Some((e, true)) => format!("Edited: {}", e.title),
        None => "Examples…".to_string(),
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
    let review = {
        let app = app.clone();
        let menu = export_menu.clone();
        Callback::from(move |_| {
            app.services.bridge.review(app.services.doc(), &browser::today());
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
                        <option value="" selected=true>{menu_title}</option>
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
                        <button onclick={review} data-testid="export-review" title="The security review the CLI writes with --output-dir: the report and one file per finding">{"Review (.zip)"}</button>
                    </div>
                </details>
                <button class="primary" onclick={share} data-testid="share">{"Copy link"}</button>
                <button onclick={toggle_workshop} aria-expanded={app.state.workshop.open.to_string()} data-testid="workshop-toggle"
                        title="Write and test your own rules beside the code, with templates and exercises">{"Rule workshop"}</button>
            </nav>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_links_warn_and_examples_over_own_code_say_undo() {
        assert!(!copied_message(share::LONG_LINK, true).contains("Warning"));
        let long = copied_message(share::LONG_LINK + 1, true);
        assert!(long.starts_with("Link copied (8193 characters)") && long.contains("cut links over 8 KB") && long.contains("9 KB"), "{long}");
        assert!(copied_message(20_000, false).contains("address bar") && copied_message(20_000, false).contains("Warning"));
        let (a, b) = (EXAMPLES[0].code, EXAMPLES[1].code);
        assert!(!replaces_own_code(a, b), "an example over an unedited example");
        assert!(!replaces_own_code("  \n", b), "over a blank editor");
        assert!(replaces_own_code("x = 1\n", b));
        assert!(replaces_own_code(&format!("{a}# mine\n"), b), "an edited example is the user's code");
    }
}
