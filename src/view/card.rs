//! `ProgressCard`: the whole card, fed by one subscription to the feed of its task.

use super::alert::FailureAlert;
use super::badge::Badge;
use super::checkpoint::{CheckpointRow, LatencyRow};
use super::intl;
use super::ring::ProgressRing;
use crate::feed::{self, Subscription, Update as FeedUpdate};
use crate::i18n::{Locale, Text};
use crate::model::{CardData, CardModel, Layout, Phase, RequestCredentials, StepsMode, Theme, failure_message};
use crate::oms::{Failure, Progress};
use crate::schedule::{Cadence, DEFAULT_INTERVAL_MS, REQUEST_TIMEOUT_MS};
use leptos::prelude::*;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// What the card tells its host (the custom element turns these into DOM events).
#[derive(Clone, Debug)]
pub enum CardEvent {
    /// Fresh progress (`oms-progress`): decoded, and `data` as the browser parsed it.
    Progress {
        /// The decoded progress.
        progress: Arc<Progress>,
        /// The answer's `data` object.
        data: JsValue,
    },
    /// `status` changed between two refreshes of the same task (`oms-status-change`).
    StatusChange {
        /// The raw status before, if there was one.
        from: Option<String>,
        /// The raw status now, if there is one.
        to: Option<String>,
    },
    /// A refresh failed (`oms-error`); `message` is the text the alert shows.
    Error {
        /// The classified failure.
        failure: Failure,
        /// The message shown in the alert region.
        message: String,
    },
}

/// Applies an update from the feed to what the card knows, and tells the host. `try_*`
/// throughout: a card being torn down may still hear the update that was being delivered.
fn apply(state: RwSignal<CardData>, update: &FeedUpdate, locale: Locale, on_event: Option<UnsyncCallback<CardEvent>>) {
    let emit = |event| {
        if let Some(callback) = on_event {
            callback.try_run(event);
        }
    };
    match update {
        FeedUpdate::Fresh(answer, at) => {
            let raw_status = |p: &Progress| p.status.as_ref().map(|c| c.raw.clone());
            let before = state.try_with_untracked(|d| d.progress.clone()).flatten();
            state.try_update(|d| {
                d.progress = Some(answer.progress.clone());
                d.failure = None;
                d.updated_ms = Some(*at);
            });
            emit(CardEvent::Progress { progress: answer.progress.clone(), data: answer.data.clone() });
            if let Some(before) = before {
                let (from, to) = (raw_status(&before), raw_status(&answer.progress));
                if from != to {
                    emit(CardEvent::StatusChange { from, to });
                }
            }
        }
        FeedUpdate::Failed(failure, _) => {
            state.try_update(|d| d.failure = Some((**failure).clone()));
            emit(CardEvent::Error { failure: (**failure).clone(), message: failure_message(failure, locale) });
        }
    }
}

/// The browser's preferred languages, best first.
pub fn browser_locale() -> Locale {
    let languages = web_sys::window().map(|w| w.navigator().languages()).unwrap_or_default();
    let tags: Vec<String> = languages.iter().filter_map(|v| v.as_string()).collect();
    Locale::negotiate(tags.iter().map(String::as_str))
}

/// A live progress card for one OMS task, polling through a proxy.
///
/// ```ignore
/// view! { <ProgressCard project_id="np_4w8s" proxy_url="/oms" /> }
/// ```
#[component]
pub fn ProgressCard(
    /// The OMS task id (`project-id`).
    #[prop(into)]
    project_id: Signal<String>,
    /// The URL that stands in for the OMS origin (`proxy-url`), relative or absolute.
    #[prop(into)]
    proxy_url: Signal<String>,
    /// Milliseconds between refreshes: default 5 s, never below 1 s (see [`crate::schedule`]).
    #[prop(into, default = Signal::stored(DEFAULT_INTERVAL_MS))]
    interval_ms: Signal<u32>,
    /// Milliseconds before a request is abandoned as a timeout: default 10 s.
    #[prop(into, default = Signal::stored(REQUEST_TIMEOUT_MS))]
    timeout_ms: Signal<u32>,
    /// The language; the browser's when not given.
    #[prop(into, optional)]
    locale: Option<Signal<Locale>>,
    /// Light, dark, or following the system (the default).
    #[prop(into, optional)]
    theme: Signal<Theme>,
    /// The full card (default) or the compact one for dense dashboards.
    #[prop(into, optional)]
    layout: Signal<Layout>,
    /// Whether to ask for the task's steps too (default) or progress only.
    #[prop(into, optional)]
    steps: Signal<StepsMode>,
    /// Whether requests carry cookies: same-origin (default), include or omit.
    #[prop(into, optional)]
    credentials: Signal<RequestCredentials>,
    /// Hears every refresh, status change and failure.
    #[prop(optional)]
    on_event: Option<UnsyncCallback<CardEvent>>,
) -> impl IntoView {
    let locale = locale.unwrap_or_else(|| Signal::stored(browser_locale()));
    let state = RwSignal::new(CardData::default());
    let subscription = StoredValue::new_local(None::<Subscription>);
    let clock = StoredValue::new_local(Some(feed::clock::use_clock()));
    let now: Signal<f64> = clock.with_value(|c| c.as_ref().map(|c| c.now.clone())).map(Signal::from).unwrap_or_default();

    // Subscribes to the feed of the current task and proxy (dropping the old subscription
    // aborts its request, so its answer can never reach this card).
    // The (project id, proxy URL) of the current subscription.
    let connected = StoredValue::new_local((String::new(), String::new(), RequestCredentials::default()));
    let connect = move |id: String, proxy: String, credentials: RequestCredentials| {
        connected.set_value((id.clone(), proxy.clone(), credentials));
        let id = id.trim().to_owned();
        let endpoint = feed::resolve_endpoint(&proxy);
        subscription.set_value(None);
        let problem = match (&endpoint, id.is_empty()) {
            (_, true) => Some(Text::MissingProjectId),
            (None, _) if proxy.trim().is_empty() => Some(Text::MissingProxyUrl),
            (None, _) => Some(Text::InvalidProxyUrl),
            _ => None,
        };
        state.set(CardData { problem, ..CardData::default() });
        let Some(endpoint) = endpoint.filter(|_| problem.is_none()) else { return };
        let listener: feed::Listener = Rc::new(move |update: &FeedUpdate| {
            apply(state, update, locale.try_get_untracked().unwrap_or_default(), on_event)
        });
        let cadence = Cadence { interval_ms: interval_ms.get_untracked(), timeout_ms: timeout_ms.get_untracked() };
        subscription.set_value(Some(feed::subscribe(endpoint, id, credentials, cadence, listener)));
    };
    // At once, so the first request overlaps the first render; then whenever one changes
    // (including between now and the effect's first run).
    connect(project_id.get_untracked(), proxy_url.get_untracked(), credentials.get_untracked());
    Effect::new(move |_| {
        let wanted = (project_id.get(), proxy_url.get(), credentials.get());
        let _ = steps.get(); // the steps timeline arrives with the task's story
        if connected.with_value(|c| *c != wanted) {
            connect(wanted.0, wanted.1, wanted.2);
        }
    });
    Effect::new(move |_| {
        let cadence = Cadence { interval_ms: interval_ms.get(), timeout_ms: timeout_ms.get() };
        subscription.with_value(|s| s.iter().for_each(|s| s.set_cadence(cadence)));
    });
    on_cleanup(move || {
        // Stops this card's share of polling and of the clock before its signals go away.
        drop(subscription.try_update_value(Option::take));
        drop(clock.try_update_value(Option::take));
    });

    // Everything shown comes from this model; the leaves below only read it.
    let model = Memo::new(move |_| state.with(|d| CardModel::new(d, locale.get())));
    let alert = Memo::new(move |_| model.with(|m| m.alert.clone()));
    let phase = move || model.with(|m| m.phase);
    let t = move |text: Text| locale.get().text(text);
    let updated_ms = move || state.with(|d| d.updated_ms);
    let refresh = move |_| subscription.with_value(|s| s.iter().for_each(Subscription::refresh));

    view! {
        <article
            class="oms-card"
            part="card"
            data-oms-card=""
            data-layout=move || layout.get().as_str()
            data-state=move || phase().as_str()
            data-status=move || model.with(|m| m.status.raw.clone())
            data-theme=move || theme.get().as_str()
            lang=move || locale.get().tag()
            aria-label=move || [t(Text::Card), ": ", &project_id.get()].concat()
            aria-busy=move || if phase() == Phase::Loading { "true" } else { "false" }
        >
            <header class="oms-head" part="header">
                <span class="oms-id" part="project-id" data-field="project-id" title=move || project_id.get()>{move || project_id.get()}</span>
                <button type="button" class="oms-refresh" part="refresh" on:click=refresh aria-label=move || t(Text::Refresh) title=move || t(Text::Refresh)>
                    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                        <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v2.8h-2.8" />
                    </svg>
                </button>
            </header>
            <Show when=move || phase() == Phase::Loading>
                <p class="oms-loading oms-muted">{move || t(Text::Loading)}</p>
            </Show>
            <Show when=move || model.with(CardModel::has_data)>
                <div class="oms-badges" part="badges">
                    <Badge field="status" part="badge status-badge" model=model pick=|m| &m.status />
                    <span class="oms-alarm">
                        <span class="oms-key">{move || t(Text::Alarm)}</span>
                        <Badge field="alarm-level" part="badge alarm-badge" model=model pick=|m| &m.alarm />
                    </span>
                </div>
                <p class="oms-step" part="step">
                    <span class="oms-key">{move || t(Text::CurrentStep)}</span>
                    <span data-field="current-step" data-value=move || model.with(|m| m.step.raw.clone())>
                        {move || model.with(|m| m.step.label.clone())}
                    </span>
                </p>
                <div class="oms-stages" part="stages">
                    <ProgressRing field="struct-progress" label=Text::SchemaMigration model=model pick=|m| m.schema locale=locale />
                    <ProgressRing field="full-progress" label=Text::FullMigration model=model pick=|m| m.full locale=locale />
                </div>
                <section class="oms-incremental" part="incremental" aria-label=move || t(Text::IncrementalSync)>
                    <h3 class="oms-section-title">{move || t(Text::IncrementalSync)}</h3>
                    <Show when=move || model.with(|m| m.incremental.is_none())>
                        <p class="oms-wide oms-muted">{move || t(Text::Off)}</p>
                    </Show>
                    <Show when=move || model.with(|m| m.incremental.is_some())>
                        <CheckpointRow field="incr-checkpoint" label=Text::Checkpoint model=model pick=|m| m.incremental.as_ref() now=now locale=locale />
                        <LatencyRow model=model now=now locale=locale />
                    </Show>
                    <Show when=move || model.with(|m| m.reverse.is_some())>
                        <CheckpointRow field="reverse-checkpoint" label=Text::ReverseIncremental model=model pick=|m| m.reverse.as_ref() now=now locale=locale />
                    </Show>
                </section>
                <footer class="oms-foot" part="footer">
                    <span class="oms-updated">
                        <span class="oms-key">{move || t(Text::Updated)}</span>
                        " "
                        <time
                            data-field="updated"
                            datetime=move || updated_ms().map(|ms| crate::datetime::iso_utc((ms / 1000.0) as i64))
                            title=move || updated_ms().map(|ms| intl::local_date_time(locale.get(), ms))
                        >
                            {move || match updated_ms() {
                                Some(ms) => intl::ago(locale.get(), (now.get() - ms) / 1000.0),
                                None => t(Text::Never).to_owned(),
                            }}
                        </time>
                    </span>
                    <Show when=move || phase() == Phase::Stale>
                        <span class="oms-stale-mark" part="stale">
                            <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M8 1.5 15 14H1zM8 6v4M8 11.5v1" /></svg>
                            {move || t(Text::Stale)}
                        </span>
                    </Show>
                </footer>
            </Show>
            <FailureAlert content=alert locale=locale />
        </article>
    }
}
