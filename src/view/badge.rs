//! A badge: an icon and a word on a tinted background, so colour is never the only signal.

use crate::model::{BadgeModel, CardModel};
use leptos::prelude::*;

/// A badge whose `[data-field]` element holds exactly the human label and the raw value in
/// `data-value`.
#[component]
pub fn Badge(
    /// The `data-field` hook of the label.
    field: &'static str,
    /// The `part` names of the badge, for `::part()` styling.
    part: &'static str,
    /// The card's model.
    model: Memo<CardModel>,
    /// Which badge of the model this is.
    pick: fn(&CardModel) -> &BadgeModel,
) -> impl IntoView {
    view! {
        <span class="oms-badge" part=part data-tone=move || model.with(|m| pick(m).tone.as_str())>
            <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <path d=move || model.with(|m| pick(m).glyph.path()) />
            </svg>
            <span data-field=field data-value=move || model.with(|m| pick(m).raw.clone())>
                {move || model.with(|m| pick(m).label.clone())}
            </span>
        </span>
    }
}
