//! The page: toolbar, editor, findings and detail. Owns the state and starts the engine worker.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::detail::Detail;
use super::editor::EditorPane;
use super::findings::FindingsPanel;
use super::settings::SettingsPanel;
use super::toolbar::Toolbar;
use super::{AppContext, Services};
use crate::state::{Action, State};
use crate::{browser, worker::Bridge};

/// What the page opens with: the code (a share link's, or the first example) and the state.
#[derive(PartialEq, Properties)]
pub struct Props {
    pub code: Rc<str>,
    pub state: Rc<State>,
}

/// The code and settings the page opens with: a share link's, or the first example.
pub async fn initial() -> Props {
    let mut state = State::default();
    if let Some(s) = browser::load_settings() {
        state.settings = s;
    }
    if let Some(r) = browser::load_rules() {
        state.custom_rules = r;
    }
    state.theme = browser::load_theme();
    state.system_dark = browser::prefers_dark();
    let code = match crate::share::decode(&browser::fragment()).await {
        Ok(Some(shared)) => {
            state.settings = shared.settings;
            state.custom_rules = shared.rules;
            Rc::from(shared.code)
        }
        Ok(None) => Rc::from(crate::EXAMPLES.first().map_or("", |e| e.code)),
        Err(e) => {
            state.notice = Some(e);
            Rc::from("")
        }
    };
    Props { code, state: Rc::new(state) }
}

#[function_component(App)]
pub fn app(init: &Props) -> Html {
    let state = use_reducer({
        let init = init.state.clone();
        move || (*init).clone()
    });
    let services = {
        let dispatcher = state.dispatcher();
        let settings = init.state.settings.clone();
        let rules = init.state.custom_rules.clone();
        use_memo((), move |_| {
            let dispatch = Callback::from(move |a: Action| dispatcher.dispatch(a));
            let notify = dispatch.clone();
            let on_export = Callback::from(move |(format, text): (String, String)| {
                let (name, mime) = match format.as_str() {
                    "markdown" => ("pyward-report.md", "text/markdown"),
                    "sarif" => ("pyward-report.sarif", "application/sarif+json"),
                    _ => ("pyward-report.json", "application/json"),
                };
                let msg = match browser::download(name, mime, &text) {
                    Ok(()) => format!("Downloaded {name}"),
                    Err(_) => "The download could not be started".to_string(),
                };
                notify.emit(Action::Notice(Some(msg)));
            });
            let system = dispatch.clone();
            browser::on_color_scheme_change(move |dark| system.emit(Action::SystemDark(dark)));
            let bridge = Bridge::start(dispatch, on_export, settings);
            if !rules.trim().is_empty() {
                bridge.set_rules(&rules);
            }
            Services { editor: RefCell::new(None), bridge }
        })
    };
    // Settings: remembered, sent with every request, and applied at once.
    {
        let services = services.clone();
        use_effect_with(state.settings.clone(), move |s| {
            browser::save_settings(s);
            services.bridge.set_settings(s);
            if services.editor.borrow().is_some() {
                services.analyze_now();
            }
        });
    }
    // The theme: remembered and applied to the page (the editor follows it in EditorPane).
    use_effect_with(state.theme, |t| browser::set_theme(*t));
    // Notices disappear after a few seconds.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.notice.clone(), move |n| {
            let t = n.as_ref().map(|_| gloo_timers::callback::Timeout::new(6000, move || dispatcher.dispatch(Action::Notice(None))));
            move || drop(t)
        });
    }
    let ctx = AppContext { state: state.clone(), services: services.clone() };
    let dismiss = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Notice(None)))
    };
    html! {
        <ContextProvider<AppContext> context={ctx}>
            <div class="page">
                <Toolbar />
                if let Some(n) = state.notice.clone() {
                    <div class="notice" role="status" data-testid="notice">
                        <span>{n}</span>
                        <button class="link" onclick={dismiss} aria-label="Dismiss">{"×"}</button>
                    </div>
                }
                if let Some(e) = state.engine_error.clone() {
                    <div class="notice error" role="alert" data-testid="engine-error">{e}</div>
                }
                if state.settings_open {
                    <SettingsPanel />
                }
                <main class="layout">
                    <EditorPane initial={init.code.clone()} />
                    <aside class="side" aria-label="Findings">
                        <FindingsPanel />
                        <Detail />
                    </aside>
                </main>
                <div class="sr-only" role="status" aria-live="polite" data-testid="live">{state.announcement()}</div>
                <footer class="footer">
                    <span class="version" data-testid="version">{concat!("pyward ", env!("CARGO_PKG_VERSION"))}</span>
                    {" · pyward runs entirely in your browser: your code is analysed by WebAssembly on this page and is never uploaded. Share links keep the code in the URL fragment (#), which browsers do not send to servers."}
                </footer>
            </div>
        </ContextProvider<AppContext>>
    }
}
