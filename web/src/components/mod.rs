//! One component per file. They read the shared state from `AppContext` and dispatch actions.

pub mod app;
pub mod banners;
pub mod detail;
pub mod editor;
pub mod findings;
pub mod settings;
pub mod tabs;
pub mod toolbar;
pub mod workshop;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::editor_js::EditorHandle;
use crate::state::State;
use crate::worker::Bridge;

/// What components share: the state and the two services (editor and engine worker).
#[derive(Clone)]
pub struct AppContext {
    pub state: UseReducerHandle<State>,
    pub services: Rc<Services>,
}

impl PartialEq for AppContext {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && Rc::ptr_eq(&self.services, &other.services)
    }
}

pub struct Services {
    pub editor: RefCell<Option<EditorHandle>>,
    pub bridge: Rc<Bridge>,
    /// The tabs of the share link in the address bar (`tabs::signature`), if there is one: when
    /// the tabs no longer match it, the link is taken out of the address bar (a reload then
    /// opens the autosave).
    pub link_code: RefCell<Option<Rc<str>>>,
}

impl Services {
    /// Runs `f` on the editor when it exists.
    pub fn with_editor<R>(&self, f: impl FnOnce(&EditorHandle) -> R) -> Option<R> {
        self.editor.borrow().as_ref().map(f)
    }

    /// The editor's text.
    pub fn doc(&self) -> Rc<str> {
        self.with_editor(|e| Rc::from(e.get_doc())).unwrap_or_else(|| Rc::from(""))
    }

    /// Analyses the editor's current text now.
    pub fn analyze_now(&self) {
        self.bridge.analyze(self.doc());
    }

    /// After an edit (debounced): analyses the code, autosaves it (every tab), and takes a share
    /// link that no longer matches the tabs out of the address bar. Returns the code.
    pub fn edited(&self) -> Rc<str> {
        let doc = self.doc();
        self.bridge.analyze(doc.clone());
        let tabs = self.bridge.all_tabs(&doc);
        let signature = if tabs.is_empty() { doc.to_string() } else { crate::tabs::signature(&tabs) };
        crate::browser::save_draft(tabs.first().map_or(&*doc, |t| &*t.text));
        if tabs.len() > 1 {
            crate::browser::save_files(&tabs[1..]);
        }
        let stale = self.link_code.borrow().as_ref().is_some_and(|c| **c != *signature);
        if stale {
            self.link_code.borrow_mut().take();
            crate::browser::clear_fragment();
        }
        doc
    }
}

#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("AppContext is provided by App")
}
