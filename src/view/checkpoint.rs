//! Incremental sync rows: a checkpoint with its age, and the sync latency.
//!
//! The DOM of a row is built once per kind of checkpoint (`<Show>` memoises its condition);
//! a timestamp that moves on every poll only changes text and attributes. (Rebuilding a view
//! with reactive children on every poll also leaks memory in Leptos 0.8.23.)

use super::intl;
use crate::datetime::iso_utc;
use crate::i18n::{Locale, Text};
use crate::latency::SyncLatency;
use crate::model::CardModel;
use crate::oms::Checkpoint;
use leptos::prelude::*;

/// A checkpoint: a `<time>` in local time with its age, raw text, or "Not started".
#[component]
pub fn CheckpointRow(
    /// The `data-field` hook (`incr-checkpoint`, `reverse-checkpoint`).
    field: &'static str,
    /// The row's label.
    label: Text,
    /// The card's model.
    model: Memo<CardModel>,
    /// Which checkpoint of the model this is.
    pick: fn(&CardModel) -> Option<&Checkpoint>,
    /// The shared clock (unix ms).
    #[prop(into)]
    now: Signal<f64>,
    /// The language.
    #[prop(into)]
    locale: Signal<Locale>,
) -> impl IntoView {
    let unix = move || model.with(|m| match pick(m) {
        Some(Checkpoint::Unix(seconds)) => Some(*seconds),
        _ => None,
    });
    let seconds = move || unix().unwrap_or_default();
    let ms = move || seconds() as f64 * 1000.0;
    let is_raw = move || model.with(|m| matches!(pick(m), Some(Checkpoint::Raw(_))));
    let raw = move || model.with(|m| match pick(m) {
        Some(Checkpoint::Raw(text)) => crate::model::clip(text),
        _ => String::new(),
    });
    view! {
        <p class="oms-row">
            <span class="oms-key">{move || locale.get().text(label)}</span>
            <span class="oms-value">
                <Show when=move || unix().is_some()>
                    <time data-field=field datetime=move || iso_utc(seconds()) title=move || ["UTC ", &iso_utc(seconds())].concat()>
                        {move || intl::local_date_time(locale.get(), ms())}
                    </time>
                    <span class="oms-age">{move || intl::ago(locale.get(), (now.get() - ms()) / 1000.0)}</span>
                </Show>
                <Show when=is_raw>
                    <span data-field=field class="oms-raw">{raw}</span>
                </Show>
                <Show when=move || unix().is_none() && !is_raw()>
                    <span class="oms-muted">{move || locale.get().text(Text::NotStarted)}</span>
                </Show>
            </span>
        </p>
    }
}

/// The incremental sync latency, with its level in words; only for timestamp checkpoints.
#[component]
pub fn LatencyRow(
    /// The card's model.
    model: Memo<CardModel>,
    /// The shared clock (unix ms).
    #[prop(into)]
    now: Signal<f64>,
    /// The language.
    #[prop(into)]
    locale: Signal<Locale>,
) -> impl IntoView {
    let latency = move || model.with(CardModel::incremental_unix).map(|c| SyncLatency::at(now.get(), c));
    let seconds = move || latency().map_or(0, |l| l.seconds);
    let level = move || SyncLatency { seconds: seconds() }.level();
    view! {
        <Show when=move || model.with(|m| m.incremental_unix().is_some())>
            <p class="oms-row oms-latency" part="latency" data-level=move || level().as_str()>
                <span class="oms-key">{move || locale.get().text(Text::Latency)}</span>
                <span class="oms-value">
                    <span data-field="incr-latency" data-seconds=move || seconds().to_string() data-level=move || level().as_str()>
                        {move || intl::duration(locale.get(), seconds())}
                    </span>
                    <span class="oms-level">
                        <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="3.5" /></svg>
                        {move || locale.get().latency(level())}
                    </span>
                </span>
            </p>
        </Show>
    }
}
