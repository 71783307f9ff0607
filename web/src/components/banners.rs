//! Messages above the page that stay until acted on: a share link that could not be opened, the
//! settings of a share link (or "show all") applying to this view only, and custom rules that
//! did not load.

use yew::prelude::*;

use super::use_app;
use crate::state::Action;

#[function_component(Banners)]
pub fn banners() -> Html {
    let app = use_app();
    let s = &app.state;
    let dismiss_link_error = {
        let d = s.dispatcher();
        Callback::from(move |_| d.dispatch(Action::LinkFailed(None)))
    };
    let use_own = {
        let app = app.clone();
        Callback::from(move |_| {
            // A link's custom rules go too: back to the user's saved ones.
            if app.state.view.as_ref().is_some_and(|v| v.from_link) {
                let own = crate::browser::load_rules().unwrap_or_default();
                app.state.dispatch(Action::SetCustomRules(own.clone()));
                app.services.bridge.set_rules(&own);
            }
            app.state.dispatch(Action::UseOwnSettings);
        })
    };
    let open_settings = {
        let d = s.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ToggleSettings))
    };
    let view = s.view.as_ref().map(|v| {
        let text = match s.link_hides() {
            Some(hides) if v.from_link => {
                let rules = if s.custom_rules.trim().is_empty() { "" } else { " It also brings its own custom rules (see Settings)." };
                html! { <>{"This link's settings apply to this view only; your saved settings are unchanged. "}<strong>{format!("This link hides: {hides}.")}</strong>{rules}</> }
            }
            _ => html! { {"Showing every finding in this view; your saved settings are unchanged."} },
        };
        html! {
            <div class="notice view-settings" role="status" data-testid="view-settings">
                <span>{text}</span>
                <button onclick={use_own} data-testid="use-own-settings">{"Use my settings"}</button>
            </div>
        }
    });
    let rules_error = match (&s.custom_rules_status, s.settings_open) {
        (Some(Err(e)), false) => Some(html! {
            <div class="notice error" role="alert" data-testid="rules-error-banner">
                <span>{format!("Your custom rules did not load: {}. {}", e.trim_end_matches('.'), active_rules(s.custom_rules_active))}</span>
                <button onclick={open_settings}>{"Open settings"}</button>
            </div>
        }),
        _ => None,
    };
    html! {
        <>
            if let Some(e) = s.link_error.clone() {
                <div class="notice error" role="alert" data-testid="link-error">
                    <span>{e}</span>
                    <button class="link" onclick={dismiss_link_error} aria-label="Dismiss">{"×"}</button>
                </div>
            }
            { for view }
            { for rules_error }
        </>
    }
}

/// Which rules are in use after custom rules failed to load.
pub fn active_rules(custom: usize) -> String {
    match custom {
        0 => "Active now: the built-in rules only.".to_string(),
        n => format!("Active now: the built-in rules and the {n} custom rule{} last applied.", if n == 1 { "" } else { "s" }),
    }
}

#[cfg(test)]
mod tests {
    use super::active_rules;

    #[test]
    fn the_active_rules_are_named_after_a_failure() {
        assert_eq!(active_rules(0), "Active now: the built-in rules only.");
        assert_eq!(active_rules(1), "Active now: the built-in rules and the 1 custom rule last applied.");
        assert_eq!(active_rules(3), "Active now: the built-in rules and the 3 custom rules last applied.");
    }
}
