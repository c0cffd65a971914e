//! A progress ring for a migration stage: `role="progressbar"`, drawn from the clamped value,
//! labelled with the value as sent.

use super::intl;
use crate::i18n::{Locale, Text};
use crate::model::CardModel;
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
    label: Text,
    /// The card's model.
    model: Memo<CardModel>,
    /// Which stage of the model this is.
    pick: fn(&CardModel) -> Stage,
    /// The language of the value text.
    #[prop(into)]
    locale: Signal<Locale>,
) -> impl IntoView {
    let stage = move || model.with(pick);
    let value_text = move || {
        let s = stage();
        match (s.is_disabled(), s.percent) {
            (true, _) => locale.get().text(Text::Off).to_owned(),
            (false, Some(p)) => intl::percent(locale.get(), p),
            (false, None) => "—".to_owned(),
        }
    };
    let name = move || locale.get().text(label);
    view! {
        <div class="oms-stage">
            <div
                class="oms-ring"
                part="ring"
                data-field=field
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || stage().clamped().map(intl::plain_number)
                aria-valuetext=move || if stage().percent.is_none() && !stage().is_disabled() { locale.get().text(Text::Unknown).to_owned() } else { value_text() }
                aria-label=name
                data-enabled=move || if stage().is_disabled() { "false" } else { "true" }
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
                        stroke-dashoffset=move || intl::plain_number(100.0 - stage().clamped().unwrap_or(0.0))
                    />
                </svg>
                <span class="oms-ring-value" part="ring-value" aria-hidden="true">{value_text}</span>
            </div>
            <span class="oms-stage-label" part="ring-label" aria-hidden="true">{name}</span>
        </div>
    }
}
