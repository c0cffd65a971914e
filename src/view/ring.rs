//! A progress ring for a migration stage: `role="progressbar"`, drawn from the clamped value,
//! labelled with the value as sent.

use super::dom::{Attr, Text, find};
use super::intl;
use crate::i18n::{Locale, Text as Words};
use crate::oms::Stage;
use leptos::prelude::*;
use web_sys::Element;

/// The ring's radius in viewBox units: its circumference is exactly 100, so the dash offset is
/// `100 − percent`.
const RADIUS: &str = "15.9155";

/// One stage's ring and caption.
#[component]
pub fn ProgressRing(
    /// The `data-field` hook (`struct-progress`, `full-progress`).
    field: &'static str,
) -> impl IntoView {
    view! {
        <div class="oms-stage">
            <div class="oms-ring" part="ring" data-field=field role="progressbar" aria-valuemin="0" aria-valuemax="100">
                <svg class="oms-ring-svg" viewBox="0 0 36 36" aria-hidden="true" focusable="false">
                    <circle class="oms-ring-track" cx="18" cy="18" r=RADIUS />
                    <circle class="oms-ring-arc" cx="18" cy="18" r=RADIUS transform="rotate(-90 18 18)" stroke-dasharray="100 100" stroke-dashoffset="100" />
                </svg>
                <span class="oms-ring-value" part="ring-value" aria-hidden="true"></span>
            </div>
            <span class="oms-stage-label" part="ring-label" aria-hidden="true"></span>
        </div>
    }
}

/// A ring's live parts.
pub struct RingDom {
    now: Attr,
    text: Attr,
    name: Attr,
    enabled: Attr,
    offset: Attr,
    value: Text,
    label: Text,
}

impl RingDom {
    /// The ring of `field` in the card.
    pub fn find(root: &Element, field: &str) -> Self {
        let ring = find(root, &["[data-field=\"", field, "\"]"].concat());
        let stage = ring.parent_element().unwrap_or_else(|| ring.clone());
        RingDom {
            now: Attr::of(&ring, "aria-valuenow"),
            text: Attr::of(&ring, "aria-valuetext"),
            name: Attr::of(&ring, "aria-label"),
            enabled: Attr::of(&ring, "data-enabled"),
            offset: Attr::of(&find(&ring, ".oms-ring-arc"), "stroke-dashoffset"),
            value: Text::find(&ring, ".oms-ring-value"),
            label: Text::find(&stage, ".oms-stage-label"),
        }
    }

    /// Shows `stage`, named `name`.
    pub fn patch(&mut self, stage: Stage, name: Words, locale: Locale) {
        let clamped = stage.clamped();
        let shown = match (stage.is_disabled(), stage.percent) {
            (true, _) => locale.text(Words::Off).to_owned(),
            (false, Some(p)) => intl::percent(locale, p),
            (false, None) => "—".to_owned(),
        };
        let spoken = if stage.percent.is_none() && !stage.is_disabled() { locale.text(Words::Unknown) } else { &shown };
        self.now.set(clamped.map(intl::plain_number).as_deref());
        self.text.set(Some(spoken));
        self.name.set(Some(locale.text(name)));
        self.enabled.set(Some(if stage.is_disabled() { "false" } else { "true" }));
        self.offset.set(Some(&intl::plain_number(100.0 - clamped.unwrap_or(0.0))));
        self.value.set(&shown);
        self.label.set(locale.text(name));
    }
}
