//! A progress ring for a migration stage: `role="progressbar"`, drawn from the clamped value,
//! labelled with the value as sent.

use super::intl;
use crate::i18n::{Locale, Text};
use crate::oms::Stage;
use leptos::prelude::*;

/// The ring's radius in viewBox units: its circumference is exactly 100, so the dash offset
/// is `100 − percent`.
const RADIUS: &str = "15.9155";

/// One stage's ring and caption.
#[component]
pub fn ProgressRing(
    /// The `data-field` hook (`struct-progress`, `full-progress`).
    field: &'static str,
    /// The stage's name, also the ring's accessible name.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The stage as decoded.
    #[prop(into)]
    stage: Signal<Stage>,
    /// The language of the value text.
    #[prop(into)]
    locale: Signal<Locale>,
) -> impl IntoView {
    let disabled = move || stage.get().is_disabled();
    let clamped = move || stage.get().clamped();
    let value_text = move || {
        let s = stage.get();
        match (s.is_disabled(), s.percent) {
            (true, _) => locale.get().text(Text::Off).to_owned(),
            (false, Some(p)) => intl::percent(locale.get(), p),
            (false, None) => "—".to_owned(),
        }
    };
    let aria_value_text = move || match (stage.get().is_disabled(), stage.get().percent) {
        (false, None) => locale.get().text(Text::Unknown).to_owned(),
        _ => value_text(),
    };
    let offset = move || intl::plain_number(100.0 - clamped().unwrap_or(0.0));
    view! {
        <div class="oms-stage">
            <div
                class="oms-ring"
                part="ring"
                data-field=field
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || clamped().map(intl::plain_number)
                aria-valuetext=aria_value_text
                aria-label=move || label.get()
                aria-disabled=move || disabled().then_some("true")
                data-enabled=move || if disabled() { "false" } else { "true" }
            >
                <svg class="oms-ring-svg" viewBox="0 0 36 36" aria-hidden="true" focusable="false">
                    <circle class="oms-ring-track" cx="18" cy="18" r=RADIUS />
                    <circle
                        class="oms-ring-arc"
                        cx="18"
                        cy="18"
                        r=RADIUS
                        transform="rotate(-90 18 18)"
                        stroke-dasharray="100 100"
                        stroke-dashoffset=offset
                    />
                </svg>
                <span class="oms-ring-value" part="ring-value" aria-hidden="true">{value_text}</span>
            </div>
            <span class="oms-stage-label" part="ring-label" aria-hidden="true">{move || label.get()}</span>
        </div>
    }
}
