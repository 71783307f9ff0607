//! Small wrappers over browser APIs: localStorage, the URL fragment, the clipboard, downloads and
//! the system colour scheme. Failures (storage disabled, no clipboard) degrade quietly.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::model::{write_settings, Read, Settings};
use crate::state::Theme;
use crate::value::Val;

/// A value as JSON text, written by the browser's `JSON.stringify` (the app's wasm carries no
/// JSON writer or reader of its own).
pub fn to_json(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// Reads JSON text with the browser's `JSON.parse`.
pub fn from_json(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text).map_err(|e| e.dyn_into::<js_sys::Error>().map_or_else(|_| "not JSON".into(), |e| String::from(e.message())))
}

const SETTINGS_KEY: &str = "pyward.settings.v1";

pub fn load_settings() -> Option<Settings> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let text = storage.get_item(SETTINGS_KEY).ok()??;
    Settings::read(&from_json(&text).ok()?).ok()
}

pub fn save_settings(s: &Settings) {
    if let (Some(storage), Some(text)) = (web_sys::window().and_then(|w| w.local_storage().ok().flatten()), to_json(&write_settings(s))) {
        let _ = storage.set_item(SETTINGS_KEY, &text);
    }
}

const RULES_KEY: &str = "pyward.rules.v1";

pub fn load_rules() -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(RULES_KEY).ok()?
}

pub fn save_rules(yaml: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = if yaml.trim().is_empty() { storage.remove_item(RULES_KEY) } else { storage.set_item(RULES_KEY, yaml) };
    }
}

/// The analysis time limit in ms set by the `pyward.watchdog-ms` localStorage key (the browser
/// tests use it to stop a slow analysis sooner; see `worker::watchdog_ms`).
pub fn watchdog_override() -> Option<u32> {
    let text = web_sys::window()?.local_storage().ok()??.get_item("pyward.watchdog-ms").ok()??;
    text.trim().parse().ok().filter(|ms| *ms > 0)
}

const THEME_KEY: &str = "pyward.theme.v1";

/// The theme the user chose here before (System when none, or an unknown one).
pub fn load_theme() -> Theme {
    let saved = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(THEME_KEY).ok().flatten());
    saved.as_deref().and_then(Theme::parse).unwrap_or_default()
}

/// Remembers the theme and applies it to the page: `data-theme` on the root element picks the
/// style sheet's colours (`color-scheme`), absent for the system's.
pub fn set_theme(theme: Theme) {
    let Some(w) = web_sys::window() else { return };
    if let Some(storage) = w.local_storage().ok().flatten() {
        let _ = match theme {
            Theme::System => storage.remove_item(THEME_KEY),
            t => storage.set_item(THEME_KEY, t.as_str()),
        };
    }
    if let Some(root) = w.document().and_then(|d| d.document_element()) {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            t => root.set_attribute("data-theme", t.as_str()),
        };
    }
}

const DRAFT_KEY: &str = "pyward.draft.v1";

/// The code the user last edited in this browser (autosaved), if any.
pub fn load_draft() -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(DRAFT_KEY).ok()?
}

/// Remembers the editor's code, so a reload brings it back. A text over the storage quota
/// keeps the previous draft (storage errors are quiet).
pub fn save_draft(code: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(DRAFT_KEY, code);
    }
}

const FILES_KEY: &str = "pyward.files.v1";

/// The other tabs the user last had (name, text), autosaved as the draft is; None when none
/// were saved (a first visit, or a browser used before tabs).
pub fn load_files() -> Option<Vec<(String, String)>> {
    let text = web_sys::window()?.local_storage().ok()??.get_item(FILES_KEY).ok()??;
    let v = from_json(&text).ok()?;
    let items = js_sys::Array::from(&v);
    let files: Vec<(String, String)> = items
        .iter()
        .filter_map(|f| {
            let get = |k: &str| js_sys::Reflect::get(&f, &JsValue::from_str(k)).ok().and_then(|x| x.as_string());
            Some((get("name")?, get("text")?))
        })
        .collect();
    Some(files)
}

/// Remembers the tabs after the first (name, text).
pub fn save_files(files: &[crate::tabs::Tab]) {
    let items = JsValue::items(files.iter().map(|t| JsValue::object(vec![("name", JsValue::text(&t.name)), ("text", JsValue::text(&t.text))])).collect());
    if let (Some(storage), Some(json)) = (web_sys::window().and_then(|w| w.local_storage().ok().flatten()), to_json(&items)) {
        let _ = storage.set_item(FILES_KEY, &json);
    }
}

/// Calls `f` each time the address's `#` part changes (a link pasted into the same tab). The
/// returned closure must be kept; dropping it after `remove_hash_listener` stops the calls.
pub fn on_hash_change(f: impl Fn() + 'static) -> Option<Closure<dyn Fn()>> {
    let w = web_sys::window()?;
    let cb = Closure::<dyn Fn()>::new(f);
    w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref()).ok()?;
    Some(cb)
}

/// Stops a listener added by [`on_hash_change`].
pub fn remove_hash_listener(cb: &Closure<dyn Fn()>) {
    if let Some(w) = web_sys::window() {
        let _ = w.remove_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    }
}

/// Takes the `#` part out of the address bar (no reload, no history entry), so a reload opens
/// the autosaved code rather than a link that no longer matches it.
pub fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    if let (Ok(path), Ok(search), Ok(h)) = (loc.pathname(), loc.search(), w.history()) {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

pub fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Puts `fragment` in the address bar without reloading or adding a history entry, and returns
/// the full link.
pub fn set_fragment(fragment: &str) -> Option<String> {
    let w = web_sys::window()?;
    let loc = w.location();
    let base = format!("{}{}{}", loc.origin().ok()?, loc.pathname().ok()?, loc.search().ok()?);
    let link = format!("{base}#{fragment}");
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&link));
    }
    Some(link)
}

/// Copies text to the clipboard; the returned future resolves to whether it worked.
pub async fn copy(text: &str) -> bool {
    let Some(w) = web_sys::window() else { return false };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Offers `bytes` as a download named `name` (a Blob URL, revoked at once).
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let w = web_sys::window().ok_or("no window")?;
    let doc = w.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Today's date (`YYYY-MM-DD`, UTC), from the browser's clock.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_utc_full_year(), d.get_utc_month() + 1, d.get_utc_date())
}

/// Offers `text` as a file download (a Blob holds a string as its UTF-8 bytes).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    download_bytes(name, mime, text.as_bytes())
}

pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Calls `f` whenever the system colour scheme changes. The listener lives as long as the page.
pub fn on_color_scheme_change(f: impl Fn(bool) + 'static) {
    let Some(mql) = web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()) else { return };
    let cb = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(move |e: web_sys::MediaQueryListEvent| f(e.matches()));
    let _ = mql.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
    cb.forget(); // page-lifetime listener
}

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
