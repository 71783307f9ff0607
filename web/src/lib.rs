//! The pyward playground: a Yew app. The engine runs in a Web Worker (see `worker.rs`); this
//! module renders the editor, the findings and their explanations.

pub mod browser;
pub mod components;
pub mod editor_js;
pub mod exercises;
pub mod json;
pub mod markdown;
pub mod model;
pub mod share;
pub mod state;
pub mod tabs;
pub mod value;
pub mod worker;
pub mod workshop;

/// A workshop example program, embedded at build time from `web/examples/`.
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub code: &'static str,
    /// Its `requirements.txt` tab ("" for the examples without one).
    pub requirements: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // Opening a share link inflates it first (the browser's DecompressionStream is asynchronous).
    wasm_bindgen_futures::spawn_local(async {
        let props = components::app::initial().await;
        let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
        match root {
            Some(root) => {
                yew::Renderer::<components::app::App>::with_root_and_props(root, props).render();
            }
            None => {
                yew::Renderer::<components::app::App>::with_props(props).render();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_embedded_in_menu_order() {
        assert!(EXAMPLES.len() >= 10);
        assert_eq!(EXAMPLES[0].id, "flask_sqli_xss");
        assert!(EXAMPLES.iter().any(|e| e.id == "clean_app"));
        assert!(EXAMPLES.iter().all(|e| !e.code.trim().is_empty() && !e.title.is_empty()));
    }
}
