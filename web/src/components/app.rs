//! The page: toolbar, editor, findings and detail. Owns the state and starts the engine worker.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::detail::Detail;
use super::editor::EditorPane;
use super::findings::FindingsPanel;
use super::settings::SettingsPanel;
use super::banners::Banners;
use super::toolbar::Toolbar;
use super::{AppContext, Services};
use crate::state::{Action, LoadedExample, State, ViewSettings};
use crate::{browser, worker::Bridge};

/// What the page opens with: the code (a share link's, the autosaved draft, or the first
/// example) and the state.
#[derive(PartialEq, Properties)]
pub struct Props {
    pub code: Rc<str>,
    pub state: Rc<State>,
    /// True when the code is the share link's in the address bar.
    pub from_link: bool,
}

/// The user's autosaved code (and other tabs), else the first example (marked as loaded).
fn own_code(state: &mut State) -> Rc<str> {
    if let Some(draft) = browser::load_draft() {
        let files = browser::load_files().unwrap_or_default();
        let mut tabs = vec![crate::tabs::Tab::new(crate::tabs::APP, &draft)];
        for (name, text) in files {
            // Saved by this page, but storage is the user's: each name is checked again.
            if let Ok(n) = crate::tabs::check_name(&name, &tabs) {
                tabs.push(crate::tabs::Tab::new(&n, &text));
            }
        }
        if tabs.len() == 1 {
            tabs = crate::tabs::initial(&draft, "");
        }
        state.example = crate::EXAMPLES.iter().find(|e| crate::tabs::initial(e.code, e.requirements) == tabs).map(|e| LoadedExample { id: e.id.into(), edited: false });
        state.tabs = Rc::new(tabs);
        return Rc::from(draft);
    }
    let first = crate::EXAMPLES.first();
    state.example = first.map(|e| LoadedExample { id: e.id.into(), edited: false });
    state.tabs = Rc::new(crate::tabs::initial(first.map_or("", |e| e.code), first.map_or("", |e| e.requirements)));
    Rc::from(first.map_or("", |e| e.code))
}

/// The code and settings the page opens with. A share link's settings apply to this view only;
/// a link that cannot be opened says why and never opens other code in its place.
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
    let fragment = browser::fragment();
    let (code, from_link) = match crate::share::decode(&fragment).await {
        Ok(Some(shared)) => {
            if crate::share::unchecked(&fragment) {
                state.notice = Some(crate::share::UNCHECKED.into());
            }
            state.tabs = Rc::new(shared.tabs());
            state.view = (shared.settings != state.settings).then_some(ViewSettings { settings: shared.settings, from_link: true });
            state.custom_rules = shared.rules;
            (Rc::from(shared.code), true)
        }
        Ok(None) => (own_code(&mut state), false),
        Err(e) => {
            state.link_error = Some(e);
            let draft: Rc<str> = browser::load_draft().map_or_else(|| Rc::from(""), Rc::from);
            state.tabs = Rc::new(crate::tabs::initial(&draft, ""));
            (draft, false)
        }
    };
    Props { code, state: Rc::new(state), from_link }
}

/// Opens a share link pasted into this tab (only the `#` part changed): its code replaces the
/// editor's in one undoable step, its settings apply to this view only.
fn open_pasted_link(app: &AppContext) {
    let app = app.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let d = app.state.dispatcher();
        match crate::share::decode(&browser::fragment()).await {
            Ok(Some(shared)) => {
                let tabs = shared.tabs();
                *app.services.link_code.borrow_mut() = Some(Rc::from(crate::tabs::signature(&tabs)));
                let before = app.services.bridge.all_tabs(&app.services.doc());
                d.dispatch(Action::LinkOpened(shared.settings));
                // The link's rules (none when it has none) are in use for this view; they are not saved.
                d.dispatch(Action::SetCustomRules(shared.rules.clone()));
                app.services.bridge.set_rules(&shared.rules);
                super::tabs::open_tabs(&app, tabs.clone(), 0);
                if before.iter().any(|t| !t.text.trim().is_empty()) && before != tabs {
                    d.dispatch(Action::Notice(Some("Opened the share link. Your previous code is one Undo away (Ctrl+Z).".into())));
                }
            }
            Ok(None) => {}
            Err(e) => d.dispatch(Action::LinkFailed(Some(e))),
        }
    });
}

#[function_component(App)]
pub fn app(init: &Props) -> Html {
    let state = use_reducer({
        let init = init.state.clone();
        move || (*init).clone()
    });
    let services = {
        let dispatcher = state.dispatcher();
        let settings = init.state.effective_settings().clone();
        let rules = init.state.custom_rules.clone();
        let link_code = init.from_link.then(|| Rc::from(crate::tabs::signature(&init.state.tabs)));
        let (tabs, active) = (init.state.tabs.clone(), init.state.active);
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
            let zipped = dispatch.clone();
            let bridge = Bridge::start(dispatch, on_export, settings);
            bridge.set_tabs(&tabs, active);
            bridge.on_review(Callback::from(move |bytes: Vec<u8>| {
                let name = format!("security-analysis-{}.zip", browser::today());
                let msg = match browser::download_bytes(&name, "application/zip", &bytes) {
                    Ok(()) => format!("Downloaded {name}"),
                    Err(_) => "The download could not be started".to_string(),
                };
                zipped.emit(Action::Notice(Some(msg)));
            }));
            if !rules.trim().is_empty() {
                bridge.set_rules(&rules);
            }
            Services { editor: RefCell::new(None), bridge, link_code: RefCell::new(link_code) }
        })
    };
    // The user's own settings are remembered when they change them; a view's (a share link's)
    // never are.
    {
        let first = use_mut_ref(|| true);
        use_effect_with(state.settings.clone(), move |s| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                browser::save_settings(s);
            }
        });
    }
    // The settings in use are sent with every request, and applied at once.
    {
        let services = services.clone();
        use_effect_with(state.effective_settings().clone(), move |s| {
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
    // A share link pasted into this tab opens.
    {
        let ctx = ctx.clone();
        use_effect_with((), move |_| {
            let listener = browser::on_hash_change(move || open_pasted_link(&ctx));
            move || {
                if let Some(l) = listener {
                    browser::remove_hash_listener(&l);
                }
            }
        });
    }
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
                <Banners />
                if let Some(e) = state.engine_error.clone() {
                    <div class="notice error" role="alert" data-testid="engine-error">{e}</div>
                }
                if state.settings_open {
                    <SettingsPanel />
                }
                <main class={classes!("layout", state.workshop.open.then_some("with-workshop"))}>
                    <EditorPane initial={init.code.clone()} />
                    if state.workshop.open {
                        <super::workshop::WorkshopPanel />
                    }
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
