//! Settings: minimum severity and confidence, and rule families on or off (opt-in ones, such as
//! the naming policy, off until ticked; remembered in localStorage and carried in share links);
//! the colour theme (remembered, not shared); a reset.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_app;
use crate::model::{Confidence, Severity};
use crate::state::{Action, Theme};

fn select_value(e: &Event) -> Option<String> {
    e.target()?.dyn_into::<web_sys::HtmlSelectElement>().ok().map(|s| s.value())
}

/// A node ref for a `<select>` whose shown option follows `value`: the `selected` attribute of an
/// option stops counting once the user has picked another one, so after a reset the value is set
/// on the element itself.
#[hook]
fn use_select_value(value: &'static str) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(value, move |v| {
            if let Some(sel) = node.cast::<web_sys::HtmlSelectElement>() {
                sel.set_value(v);
            }
        });
    }
    node
}

const RULES_PLACEHOLDER: &str = "rules:\n  - id: no-print-of-secrets\n    languages: [python]\n    severity: MEDIUM\n    message: A secret is printed\n    pattern: print(..., $X.secret, ...)\n";

#[function_component(SettingsPanel)]
pub fn settings_panel() -> Html {
    let app = use_app();
    let st = app.state.effective_settings();
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
    let on_theme = {
        let d = app.state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(t) = select_value(&e).as_deref().and_then(Theme::parse) {
                d.dispatch(Action::SetTheme(t));
            }
        })
    };
    let reset = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ResetSettings))
    };
    let theme = app.state.theme;
    let (sev_ref, conf_ref, theme_ref) =
        (use_select_value(st.min_severity.as_str()), use_select_value(st.min_confidence.as_str()), use_select_value(theme.as_str()));
    let close = {
        let d = app.state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ToggleSettings))
    };
    let families = app.state.family_toggles().into_iter().map(|(family, on)| {
        let d = app.state.dispatcher();
        let id = family.id.clone();
        let onchange = Callback::from(move |_| d.dispatch(Action::ToggleFamily(id.clone())));
        // An opt-in family (the naming policy) is off until ticked, and says so on hover.
        let title = family.opt_in.then_some("Off by default: ticking it adds these rules to the analysis");
        html! {
            <label class="family" {title}>
                <input type="checkbox" checked={on} {onchange} data-family={family.id.clone()} data-opt-in={family.opt_in.to_string()} />
                {family.label.clone()}
            </label>
        }
    });
    let on_rules_input = {
        let d = app.state.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                d.dispatch(Action::SetCustomRules(t.value()));
            }
        })
    };
    let apply_rules = {
        let app = app.clone();
        Callback::from(move |_| {
            let yaml = app.state.custom_rules.clone();
            crate::browser::save_rules(&yaml);
            app.services.bridge.set_rules(&yaml);
            app.services.analyze_now();
        })
    };
    let clear_rules = {
        let app = app.clone();
        Callback::from(move |_| {
            app.state.dispatch(Action::SetCustomRules(String::new()));
            crate::browser::save_rules("");
            app.services.bridge.set_rules("");
            app.services.analyze_now();
        })
    };
    let rules_status = match &app.state.custom_rules_status {
        Some(Ok(0)) => html! { <p class="hint" data-testid="rules-status">{"No custom rules loaded."}</p> },
        Some(Ok(n)) => html! { <p class="hint ok" data-testid="rules-status">{format!("{n} custom rule(s) loaded; their findings show with the built-in ones.")}</p> },
        Some(Err(e)) => html! {
            <p class="rules-error" role="alert" data-testid="rules-status">
                {format!("Not applied: {}. ", e.trim_end_matches('.'))}<strong>{super::banners::active_rules(app.state.custom_rules_active)}</strong>
            </p>
        },
        None => html! {},
    };
    html! {
        <section class="settings" data-testid="settings" aria-label="Settings">
            <div class="settings-row">
                <label>{"Minimum severity "}
                    <select onchange={on_sev} data-testid="min-severity" ref={sev_ref}>
                        { for Severity::ALL.iter().rev().map(|s| html!{
                            <option value={s.as_str()} selected={*s == st.min_severity}>{s.label()}</option>
                        }) }
                    </select>
                </label>
                <label>{"Minimum confidence "}
                    <select onchange={on_conf} data-testid="min-confidence" ref={conf_ref}>
                        { for Confidence::ALL.iter().rev().map(|c| html!{
                            <option value={c.as_str()} selected={*c == st.min_confidence}>{c.label()}</option>
                        }) }
                    </select>
                </label>
                <label>{"Theme "}
                    <select onchange={on_theme} data-testid="theme" ref={theme_ref}>
                        { for Theme::ALL.iter().map(|t| html!{
                            <option value={t.as_str()} selected={*t == theme}>{t.label()}</option>
                        }) }
                    </select>
                </label>
                <button onclick={reset} data-testid="reset-settings"
                        title="Minimum severity and confidence, rule families, severity filters and theme back to their defaults (your custom rules stay)">{"Reset settings"}</button>
                <button class="link" onclick={close}>{"Close"}</button>
            </div>
            if app.state.view.is_some() {
                <p class="hint" data-testid="settings-view-only">{"These settings apply to this view only; your saved settings are unchanged (\"Use my settings\" above goes back to them)."}</p>
            }
            <fieldset class="families">
                <legend>{"Rule families"}</legend>
                { for families }
            </fieldset>
            <details class="custom-rules" open={!app.state.custom_rules.is_empty()}>
                <summary>{"Custom rules"}</summary>
                <p class="hint">{"Write rules in the same Semgrep-style YAML as the built-in ones ("}<code>{"pattern"}</code>{", "}<code>{"patterns"}</code>{", "}<code>{"pattern-either"}</code>{", "}<code>{"pattern-not"}</code>{", "}<code>{"pattern-inside"}</code>{", "}<code>{"metavariable-regex"}</code>{", "}<code>{"fix"}</code>{"…). The CLI runs the same file with "}<code>{"pyward scan --rules FILE"}</code>{"."}</p>
                <textarea data-testid="custom-rules" spellcheck="false" rows="8" aria-label="Custom rules (YAML)"
                          placeholder={RULES_PLACEHOLDER} value={app.state.custom_rules.clone()} oninput={on_rules_input} />
                <div class="settings-row">
                    <button class="primary" onclick={apply_rules} data-testid="apply-rules">{"Apply rules"}</button>
                    <button onclick={clear_rules}>{"Remove"}</button>
                </div>
                {rules_status}
            </details>
        </section>
    }
}
