//! Incremental sync rows: a checkpoint with its age, and the sync latency.

use super::intl;
use crate::datetime::iso_utc;
use crate::i18n::{Locale, Text};
use crate::latency::{LatencyLevel, SyncLatency};
use crate::oms::Checkpoint;
use leptos::prelude::*;

/// A checkpoint: a `<time>` in local time with its age, raw text, or "Not started".
#[component]
pub fn CheckpointRow(
    /// The `data-field` hook (`incr-checkpoint`, `reverse-checkpoint`).
    field: &'static str,
    /// The row's label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The checkpoint to show (already `None` when the stage is off).
    #[prop(into)]
    checkpoint: Signal<Checkpoint>,
    /// The shared clock (unix ms).
    #[prop(into)]
    now: Signal<f64>,
    /// The language.
    #[prop(into)]
    locale: Signal<Locale>,
) -> impl IntoView {
    // The DOM is built once per kind of checkpoint; a timestamp that moves on every poll only
    // changes the text and attributes that show it.
    let unix = Memo::new(move |_| match checkpoint.get() {
        Checkpoint::Unix(seconds) => Some(seconds),
        _ => None,
    });
    let raw = Memo::new(move |_| match checkpoint.get() {
        Checkpoint::Raw(text) => Some(super::clip(&text)),
        _ => None,
    });
    // Which view to build depends on the kind only (a closure that returns a view must not
    // re-run on every new value: rebuilding views with reactive children per poll also leaks
    // memory in Leptos 0.8.23).
    let kind = Memo::new(move |_| match checkpoint.get() {
        Checkpoint::Unix(_) => 0u8,
        Checkpoint::Raw(_) => 1,
        Checkpoint::None => 2,
    });
    let value = move || {
        let kind = kind.get();
        if kind == 0 {
            let seconds = move || unix.get().unwrap_or_default();
            let ms = move || seconds() as f64 * 1000.0;
            view! {
                <time data-field=field datetime=move || iso_utc(seconds()) title=move || ["UTC ", &iso_utc(seconds())].concat()>
                    {move || intl::local_date_time(locale.get(), ms())}
                </time>
                <span class="oms-age">{move || intl::ago(locale.get(), (now.get() - ms()) / 1000.0)}</span>
            }
            .into_any()
        } else if kind == 2 {
            view! { <span class="oms-muted">{move || locale.get().text(Text::NotStarted)}</span> }.into_any()
        } else {
            view! { <span data-field=field class="oms-raw">{move || raw.get().unwrap_or_default()}</span> }.into_any()
        }
    };
    view! {
        <p class="oms-row">
            <span class="oms-key">{move || label.get()}</span>
            <span class="oms-value">{value}</span>
        </p>
    }
}

/// The incremental sync latency, with its level in words; only for timestamp checkpoints.
#[component]
pub fn LatencyRow(
    /// The checkpoint as unix seconds, when it is a timestamp.
    #[prop(into)]
    checkpoint: Signal<Option<i64>>,
    /// The shared clock (unix ms).
    #[prop(into)]
    now: Signal<f64>,
    /// The language.
    #[prop(into)]
    locale: Signal<Locale>,
) -> impl IntoView {
    // Only text and attributes change each second; the row is built once per checkpoint kind.
    let latency = Memo::new(move |_| checkpoint.get().map(|c| SyncLatency::at(now.get(), c)));
    let seconds = move || latency.get().map_or(0, |l| l.seconds);
    let level = Memo::new(move |_| latency.get().map(SyncLatency::level).unwrap_or(LatencyLevel::CaughtUp));
    view! {
        <Show when=move || latency.with(Option::is_some)>
            <p class="oms-row oms-latency" part="latency" data-level=move || level.get().as_str()>
                <span class="oms-key">{move || locale.get().text(Text::Latency)}</span>
                <span class="oms-value">
                    <span data-field="incr-latency" data-seconds=move || seconds().to_string() data-level=move || level.get().as_str()>
                        {move || intl::duration(locale.get(), seconds())}
                    </span>
                    <span class="oms-level">
                        <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="3.5" /></svg>
                        {move || locale.get().latency(level.get())}
                    </span>
                </span>
            </p>
        </Show>
    }
}
