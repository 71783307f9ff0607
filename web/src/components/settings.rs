//! Settings: minimum severity and confidence, and rule families on or off. Remembered in
//! localStorage and carried in share links.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_app;
use crate::model::{Confidence, Severity, FAMILIES};
use crate::state::Action;

fn select_value(e: &Event) -> Option<String> {
    e.target()?.dyn_into::<web_sys::HtmlSelectElement>().ok().map(|s| s.value())
}

#[function_component(SettingsPanel)]
pub fn settings_panel() -> Html {
    let app = use_app();
    let st = &app.state.settings;
    let on_sev = {
        let d = app.state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(s) = select_value(&e).as_deref().and_then(Severity::parse) {
                d.dispatch(Action::SetMinSeverity(s));
            }
        })
    };
    let on_conf = {
        let d = app.state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(c) = select_value(&e).as_deref().and_then(Confidence::parse) {
                d.dispatch(Action::SetMinConfidence(c));
            }
        })
    };
    let close = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ToggleSettings))
    };
    let families = FAMILIES.iter().map(|(id, label)| {
        let on = !st.disabled_families.iter().any(|f| f == id);
        let d = app.state.dispatcher();
        let id_s = id.to_string();
        let onchange = Callback::from(move |_| d.dispatch(Action::ToggleFamily(id_s.clone())));
        html! {
            <label class="family">
                <input type="checkbox" checked={on} {onchange} data-family={*id} />
                {*label}
            </label>
        }
    });
    html! {
        <section class="settings" data-testid="settings" aria-label="Settings">
            <div class="settings-row">
                <label>{"Minimum severity "}
                    <select onchange={on_sev} data-testid="min-severity">
                        { for Severity::ALL.iter().rev().map(|s| html!{
                            <option value={s.as_str()} selected={*s == st.min_severity}>{s.label()}</option>
                        }) }
                    </select>
                </label>
                <label>{"Minimum confidence "}
                    <select onchange={on_conf} data-testid="min-confidence">
                        { for Confidence::ALL.iter().rev().map(|c| html!{
                            <option value={c.as_str()} selected={*c == st.min_confidence}>{c.label()}</option>
                        }) }
                    </select>
                </label>
                <button class="link" onclick={close}>{"Close"}</button>
            </div>
            <fieldset class="families">
                <legend>{"Rule families"}</legend>
                { for families }
            </fieldset>
        </section>
    }
}
