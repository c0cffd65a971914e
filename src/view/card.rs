//! `ProgressCard`: the whole card, fed by one subscription to the feed of its task.

use super::alert::{AlertContent, FailureAlert};
use super::badge::{Badge, Glyph};
use super::checkpoint::{CheckpointRow, LatencyRow};
use super::intl;
use super::ring::ProgressRing;
use crate::feed::{self, Subscription, Update};
use crate::i18n::{Locale, Text};
use crate::oms::{Checkpoint, Failure, IncrementalStage, KnownCode, Progress, Stage, Tone};
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

/// The colour scheme of the card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Follows `prefers-color-scheme`.
    #[default]
    Auto,
    /// Light, whatever the system says.
    Light,
    /// Dark, whatever the system says.
    Dark,
}

impl Theme {
    /// Reads the `theme` attribute; anything but `light` or `dark` means auto.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("light") => Self::Light,
            Some("dark") => Self::Dark,
            _ => Self::Auto,
        }
    }

    /// The token used in the `data-theme` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

/// How much of the card to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Everything, stacked.
    #[default]
    Full,
    /// Rings and sync side by side, smaller: for dashboards of many tasks.
    Compact,
}

impl Layout {
    /// Reads the `layout` attribute; anything but `compact` means full.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("compact") => Self::Compact,
            _ => Self::Full,
        }
    }

    /// The token used in the `data-layout` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Compact => "compact",
        }
    }
}

/// The card's lifecycle, as in the `data-state` hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Loading,
    Ready,
    Stale,
    Error,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::Loading => "loading",
            Phase::Ready => "ready",
            Phase::Stale => "stale",
            Phase::Error => "error",
        }
    }
}

/// What the card knows about its task; reset when the task or proxy changes.
#[derive(Clone, Copy)]
struct CardState {
    progress: RwSignal<Option<Arc<Progress>>>,
    failure: RwSignal<Option<Failure>>,
    updated_ms: RwSignal<Option<f64>>,
    /// A configuration problem (missing attribute): nothing is fetched.
    misconfigured: RwSignal<Option<Text>>,
}

impl CardState {
    fn new() -> Self {
        CardState {
            progress: RwSignal::new(None),
            failure: RwSignal::new(None),
            updated_ms: RwSignal::new(None),
            misconfigured: RwSignal::new(None),
        }
    }

    fn reset(self, problem: Option<Text>) {
        self.progress.set(None);
        self.failure.set(None);
        self.updated_ms.set(None);
        self.misconfigured.set(problem);
    }

    /// Applies an update from the feed and tells the host. `try_*` throughout: a card being
    /// torn down may still hear the update that was being delivered.
    fn apply(self, update: &Update, locale: Locale, on_event: Option<UnsyncCallback<CardEvent>>) {
        let emit = |event| {
            if let Some(callback) = on_event {
                callback.try_run(event);
            }
        };
        match update {
            Update::Fresh(answer, at) => {
                let raw_status = |p: &Progress| p.status.as_ref().map(|c| c.raw.clone());
                let before = self.progress.try_get_untracked().flatten();
                self.progress.try_set(Some(answer.progress.clone()));
                self.failure.try_set(None);
                self.updated_ms.try_set(Some(*at));
                emit(CardEvent::Progress { progress: answer.progress.clone(), data: answer.data.clone() });
                if let Some(before) = before {
                    let (from, to) = (raw_status(&before), raw_status(&answer.progress));
                    if from != to {
                        emit(CardEvent::StatusChange { from, to });
                    }
                }
            }
            Update::Failed(failure, _) => {
                self.failure.try_set(Some((**failure).clone()));
                let message = failure.message.clone().unwrap_or_else(|| locale.failure(failure.kind, failure.decode_issue).to_owned());
                emit(CardEvent::Error { failure: (**failure).clone(), message });
            }
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
    /// Hears every refresh, status change and failure.
    #[prop(optional)]
    on_event: Option<UnsyncCallback<CardEvent>>,
) -> impl IntoView {
    let locale = locale.unwrap_or_else(|| Signal::stored(browser_locale()));
    let state = CardState::new();
    let subscription = StoredValue::new_local(None::<Subscription>);
    let clock = StoredValue::new_local(Some(feed::clock::use_clock()));
    let now: Signal<f64> = clock.with_value(|c| c.as_ref().map(|c| c.now.clone())).map(Signal::from).unwrap_or_default();

    // (Re)subscribe whenever the task or the proxy changes; the old subscription's request
    // is aborted by dropping it, so its answer can never reach this card.
    Effect::new(move |_| {
        let id = project_id.get().trim().to_owned();
        let endpoint = feed::resolve_endpoint(&proxy_url.get());
        subscription.set_value(None);
        let problem = match (&endpoint, id.is_empty()) {
            (_, true) => Some(Text::MissingProjectId),
            (None, _) if proxy_url.get_untracked().trim().is_empty() => Some(Text::MissingProxyUrl),
            (None, _) => Some(Text::InvalidProxyUrl),
            _ => None,
        };
        state.reset(problem);
        let Some(endpoint) = endpoint.filter(|_| problem.is_none()) else { return };
        let listener: feed::Listener = Rc::new(move |update: &Update| {
            state.apply(update, locale.try_get_untracked().unwrap_or_default(), on_event)
        });
        let cadence = Cadence { interval_ms: interval_ms.get_untracked(), timeout_ms: timeout_ms.get_untracked() };
        subscription.set_value(Some(feed::subscribe(endpoint, id, cadence, listener)));
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

    let phase = Memo::new(move |_| {
        let has_data = state.progress.with(Option::is_some);
        let failed = state.failure.with(Option::is_some) || state.misconfigured.with(Option::is_some);
        match (has_data, failed) {
            (false, false) => Phase::Loading,
            (true, false) => Phase::Ready,
            (true, true) => Phase::Stale,
            (false, true) => Phase::Error,
        }
    });
    let field = move |pick: fn(&Progress) -> Option<String>| {
        Memo::new(move |_| state.progress.with(|p| p.as_deref().and_then(pick)))
    };
    let status_raw = field(|p| p.status.as_ref().map(|c| c.raw.clone()));
    let alarm_raw = field(|p| p.alarm_level.as_ref().map(|c| c.raw.clone()));
    let step_raw = field(|p| p.current_step.as_ref().map(|c| c.raw.clone()));
    let stage = move |pick: fn(&Progress) -> Stage| {
        Memo::new(move |_| state.progress.with(|p| p.as_deref().map(pick).unwrap_or_default()))
    };
    let schema = stage(|p| p.schema);
    let full = stage(|p| p.full);
    let incremental = Memo::new(move |_| state.progress.with(|p| p.as_deref().map(|p| p.incremental.clone())));
    let reverse = Memo::new(move |_| state.progress.with(|p| p.as_deref().map(|p| p.reverse.clone())));
    let incr_checkpoint = Memo::new(move |_| incremental.with(|s| s.as_ref().map(|s| s.visible_checkpoint().clone()).unwrap_or_default()));
    let reverse_checkpoint = Memo::new(move |_| reverse.with(|s| s.as_ref().map(|s| s.visible_checkpoint().clone()).unwrap_or_default()));
    let has_data = move || matches!(phase.get(), Phase::Ready | Phase::Stale);

    let t = move |text: Text| locale.get().text(text);
    let status_badge = move || {
        let label = Signal::derive(move || code_label::<crate::oms::ProjectStatus>(status_raw.get(), locale.get(), Locale::status));
        let tone = Signal::derive(move || code_known::<crate::oms::ProjectStatus>(&status_raw.get()).map_or(Tone::Neutral, |s| s.tone()));
        let glyph = Signal::derive(move || Glyph::for_status(code_known(&status_raw.get())));
        view! { <Badge field="status" part="badge status-badge" raw=status_raw label=label tone=tone glyph=glyph /> }
    };
    let alarm_badge = move || {
        let label = Signal::derive(move || code_label::<crate::oms::AlarmLevel>(alarm_raw.get(), locale.get(), Locale::alarm));
        let tone = Signal::derive(move || code_known::<crate::oms::AlarmLevel>(&alarm_raw.get()).map_or(Tone::Neutral, |a| a.tone()));
        view! {
            <span class="oms-alarm">
                <span class="oms-key">{move || t(Text::Alarm)}</span>
                <Badge field="alarm-level" part="badge alarm-badge" raw=alarm_raw label=label tone=tone glyph=Signal::stored(Glyph::Bell) />
            </span>
        }
    };
    let step_label = move || code_label::<crate::oms::Step>(step_raw.get(), locale.get(), Locale::step);
    let incremental_on = move || incremental.with(|s| s.as_ref().is_none_or(|s| s.enabled != Some(false)));
    let reverse_on = move || {
        reverse.with(|s| {
            s.as_ref().is_some_and(|s: &IncrementalStage| {
                s.enabled == Some(true) || (s.enabled.is_none() && s.checkpoint != Checkpoint::None)
            })
        })
    };
    let incr_unix = Signal::derive(move || match incr_checkpoint.get() {
        Checkpoint::Unix(s) => Some(s),
        _ => None,
    });
    let updated_iso = move || state.updated_ms.get().map(|ms| crate::datetime::iso_utc((ms / 1000.0) as i64));
    let updated_text = move || match state.updated_ms.get() {
        Some(ms) => intl::ago(locale.get(), (now.get() - ms) / 1000.0),
        None => t(Text::Never).to_owned(),
    };
    let updated_title = move || state.updated_ms.get().map(|ms| intl::local_date_time(locale.get(), ms));
    // A memo: the same failure repeating during an outage does not rebuild the alert.
    let alert = Memo::new(move |_| {
        if let Some(problem) = state.misconfigured.get() {
            return Some(AlertContent::Problem(problem));
        }
        state.failure.get().map(AlertContent::Failure)
    });
    let refresh = move |_| subscription.with_value(|s| s.iter().for_each(Subscription::refresh));
    let card_label = move || [t(Text::Card), ": ", &project_id.get()].concat();

    view! {
        <article
            class="oms-card"
            part="card"
            data-oms-card=""
            data-layout=move || layout.get().as_str()
            data-state=move || phase.get().as_str()
            data-status=move || status_raw.get().unwrap_or_default()
            data-theme=move || theme.get().as_str()
            lang=move || locale.get().tag()
            aria-label=card_label
            aria-busy=move || (phase.get() == Phase::Loading).then_some("true")
        >
            <header class="oms-head" part="header">
                <span class="oms-id" part="project-id" data-field="project-id" title=move || project_id.get()>{move || project_id.get()}</span>
                <button type="button" class="oms-refresh" part="refresh" on:click=refresh aria-label=move || t(Text::Refresh) title=move || t(Text::Refresh)>
                    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                        <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v2.8h-2.8" />
                    </svg>
                </button>
            </header>
            <Show when=has_data fallback=move || (phase.get() == Phase::Loading).then(|| view! { <p class="oms-loading oms-muted">{move || t(Text::Loading)}</p> })>
                <div class="oms-badges" part="badges">{status_badge}{alarm_badge}</div>
                <p class="oms-step" part="step">
                    <span class="oms-key">{move || t(Text::CurrentStep)}</span>
                    <span data-field="current-step" data-value=move || step_raw.get().unwrap_or_default()>{step_label}</span>
                </p>
                <div class="oms-stages" part="stages">
                    <ProgressRing field="struct-progress" label=Signal::derive(move || t(Text::SchemaMigration)) stage=schema locale=locale />
                    <ProgressRing field="full-progress" label=Signal::derive(move || t(Text::FullMigration)) stage=full locale=locale />
                </div>
                <section class="oms-incremental" part="incremental" aria-label=move || t(Text::IncrementalSync)>
                    <h3 class="oms-section-title">{move || t(Text::IncrementalSync)}</h3>
                    <Show
                        when=incremental_on
                        fallback=move || view! { <p class="oms-wide oms-muted">{move || t(Text::Off)}</p> }
                    >
                        <CheckpointRow field="incr-checkpoint" label=Signal::derive(move || t(Text::Checkpoint)) checkpoint=incr_checkpoint now=now locale=locale />
                        <LatencyRow checkpoint=incr_unix now=now locale=locale />
                    </Show>
                    <Show when=reverse_on>
                        <CheckpointRow field="reverse-checkpoint" label=Signal::derive(move || t(Text::ReverseIncremental)) checkpoint=reverse_checkpoint now=now locale=locale />
                    </Show>
                </section>
                <footer class="oms-foot" part="footer">
                    <span class="oms-updated">
                        <span class="oms-key">{move || t(Text::Updated)}</span>
                        " "
                        <time data-field="updated" datetime=updated_iso title=updated_title>{updated_text}</time>
                    </span>
                    <Show when=move || phase.get() == Phase::Stale>
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

/// The known meaning of a raw code, if any.
fn code_known<K: KnownCode>(raw: &Option<String>) -> Option<K> {
    raw.as_deref().and_then(K::recognise)
}

/// The human label of a code: translated when known, raw when not, "Unknown" when missing.
fn code_label<K: KnownCode>(raw: Option<String>, locale: Locale, label: fn(Locale, K) -> &'static str) -> String {
    match raw {
        Some(raw) => match K::recognise(&raw) {
            Some(known) => label(locale, known).to_owned(),
            None => super::clip(&raw),
        },
        None => locale.text(Text::Unknown).to_owned(),
    }
}
