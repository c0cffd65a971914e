//! A badge: an icon and a word on a tinted background, so colour is never the only signal.

use super::dom::{Attr, Text, find};
use crate::model::BadgeModel;
use leptos::prelude::*;
use web_sys::Element;

/// A badge whose `[data-field]` element holds exactly the human label and the raw value in
/// `data-value`.
#[component]
pub fn Badge(
    /// The `data-field` hook of the label.
    field: &'static str,
    /// The `part` names of the badge, for `::part()` styling.
    part: &'static str,
) -> impl IntoView {
    view! {
        <span class="oms-badge" part=part data-badge=field>
            <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path /></svg>
            <span data-field=field></span>
        </span>
    }
}

/// A badge's live parts.
pub struct BadgeDom {
    tone: Attr,
    glyph: Attr,
    value: Attr,
    label: Text,
}

impl BadgeDom {
    /// The badge of `field` in the card.
    pub fn find(root: &Element, field: &str) -> Self {
        let badge = find(root, &["[data-badge=\"", field, "\"]"].concat());
        let label = Text::find(&badge, "[data-field]");
        BadgeDom {
            tone: Attr::of(&badge, "data-tone"),
            glyph: Attr::of(&find(&badge, "path"), "d"),
            value: Attr::of(label.element(), "data-value"),
            label,
        }
    }

    /// Shows `badge`.
    pub fn patch(&mut self, badge: &BadgeModel) {
        self.tone.set(Some(badge.tone.as_str()));
        self.glyph.set(Some(badge.glyph.path()));
        self.value.set(Some(&badge.raw));
        self.label.set(&badge.label);
    }
}
