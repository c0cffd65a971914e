//! `ProgressCard`: the whole card. Its markup is one static `view!`, which tachys clones from
//! `<template>`s parsed once per page; the parts' live behaviour is in their own files (badge,
//! ring, checkpoint, alert), each with its CSS. One effect keeps the card current, patching only
//! what changed, and, once a second while the card can be seen, the "… ago"s and the latency.

use super::alert::AlertDom;
use super::badge::BadgeDom;
use super::checkpoint::{CheckpointDom, LatencyDom};
use super::dom::{Attr, Listener, Presence, Text};
use super::intl;
use super::ring::RingDom;
use super::story::StoryDom;
use super::inputs::{CardInputs, PropInputs};
use crate::feed::{CardEvent, ClockUse, TaskFeed, use_clock, use_task_feed};
use crate::i18n::{Locale, Text as Words};
use crate::model::{CardData, CardModel, Layout, Phase, RequestCredentials, StepsMode, Theme};
use crate::schedule::{DEFAULT_INTERVAL_MS, REQUEST_TIMEOUT_MS};
use leptos::html::Article;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::Element;

#[wasm_bindgen(module = "/src/element/define.js")]
extern "C" {
    /// Tells the host element, when the card is in one, its new `data-state`.
    #[wasm_bindgen(js_name = announceState)]
    fn announce_state(card: &Element, state: &str);
}

/// The browser's preferred languages, best first.
pub fn browser_locale() -> Locale {
    let languages = web_sys::window().map(|w| w.navigator().languages()).unwrap_or_default();
    let tags: Vec<String> = languages.iter().filter_map(|v| v.as_string()).collect();
    Locale::negotiate(tags.iter().map(String::as_str))
}

/// A live progress card for one OMS task, polling through a proxy: status and alarm, the current
/// step, the progress rings, incremental-sync checkpoints and lag, and (with `steps`) the task's
/// story: step timeline, rows, write rate, ETA, lag on OMS's clock and readiness to switch over.
///
/// Every prop but `project_id` and `proxy_url` is optional; each accepts a constant or a signal,
/// and the card follows a signal's changes (a new task id or proxy refetches at once). Call
/// [`adopt_stylesheet`](crate::adopt_stylesheet) once, so the document has the card's styles.
///
/// ```ignore
/// use leptos::prelude::*;
/// use oms_progress_card::{CardEvent, Layout, ProgressCard, adopt_stylesheet};
///
/// #[component]
/// fn Tasks() -> impl IntoView {
///     adopt_stylesheet();
///     let (task, set_task) = signal("np_4w8s2k".to_string());
///     let on_event = UnsyncCallback::new(move |event: CardEvent| match event {
///         CardEvent::StatusChange { to: Some(to), .. } => leptos::logging::log!("now {to}"),
///         CardEvent::CutoverReady => leptos::logging::log!("ready to switch over"),
///         _ => {}
///     });
///     view! {
///         <button on:click=move |_| set_task.set("np_5k2m9q".into())>"Next task"</button>
///         <ProgressCard project_id=task proxy_url="/oms" layout=Layout::Compact interval_ms=10_000 on_event=on_event />
///     }
/// }
/// ```
/// (Not compiled as a doc test: the view exists for `wasm32` only; `examples/dashboard` builds
/// the same code in `make test`.)
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
    let inputs = PropInputs { project_id, proxy_url, interval_ms, timeout_ms, credentials, locale, theme, layout, steps };
    view! { <Card inputs=inputs on_event=on_event /> }
}

/// The card itself, reading whatever [`CardInputs`] it is given: [`ProgressCard`]'s props, or
/// the custom element's attributes (one signal of them all). It subscribes to the feed of its
/// task and to the clock, and shows what it hears with [`CardView`].
#[component]
pub fn Card<I: CardInputs>(
    /// What the card shows and how.
    inputs: I,
    /// Hears every refresh, status change and failure.
    #[prop(default = None)]
    on_event: Option<UnsyncCallback<CardEvent>>,
) -> impl IntoView {
    card(inputs, on_event)
}

/// [`Card`] as a plain function: the custom element mounts this, with no component layer of its
/// own to compile into the npm package.
pub(crate) fn card(inputs: impl CardInputs, on_event: Option<UnsyncCallback<CardEvent>>) -> impl IntoView {
    let task = use_task_feed(inputs.clone(), on_event);
    card_of(inputs, task)
}

/// The card of a task feed the caller holds too (the custom element, for its `refresh()`).
pub(crate) fn card_of(inputs: impl CardInputs, task: TaskFeed) -> impl IntoView {
    let data = task.data;
    card_view(inputs, data, use_clock(), UnsyncCallback::new(move |()| task.refresh()))
}

/// The card's view alone, fed what a card knows: its markup (one static `view!`, built from
/// templates) kept current by one effect that patches only what changed. [`Card`] feeds it from
/// the task's feed; tests and apps with data of their own can feed it directly.
#[component]
pub fn CardView<I: CardInputs>(
    /// The task id, language, theme and layout (the task itself comes with `data`).
    inputs: I,
    /// What the card knows: progress, failure, when, a configuration problem.
    data: ReadSignal<CardData>,
    /// The clock of the "… ago"s (see [`use_clock`]).
    clock: ClockUse,
    /// Called when the refresh button is pressed.
    on_refresh: UnsyncCallback<()>,
) -> impl IntoView {
    card_view(inputs, data, clock, on_refresh)
}

fn card_view(inputs: impl CardInputs, data: ReadSignal<CardData>, clock: ClockUse, on_refresh: UnsyncCallback<()>) -> impl IntoView {
    let root = NodeRef::<Article>::new();

    // One effect keeps the card current. When what the card knows, or how it looks and speaks,
    // has changed: patch what differs. Otherwise the clock ticked (once a second, while the card
    // can be seen): bring the "… ago"s and the latency up to date.
    Effect::new(move |state: Option<Option<(CardDom, Seen)>>| {
        let now = clock.now.get();
        let element = root.get()?;
        let frame = Frame { project_id: inputs.project_id(), layout: inputs.layout(), theme: inputs.theme(), locale: inputs.locale() };
        let seen = (data.with(|d| d.revision), frame);
        let (mut dom, last) = match state.flatten() {
            Some((dom, last)) => (dom, Some(last)),
            None => {
                clock.watch(&element);
                (CardDom::find(&element, move || on_refresh.run(())), None)
            }
        };
        if last.as_ref() != Some(&seen) {
            let model = data.with(|d| CardModel::new(d, seen.1.locale, now));
            dom.patch(&model, &seen.1, now);
        } else {
            dom.tick(now);
        }
        Some((dom, seen))
    });

    view! {
        <article class="oms-card" part="card" data-oms-card="" node_ref=root>
            <header class="oms-head" part="header">
                // In the custom element, a host's `slot="title"` (a display name) shows above the
                // id, and `slot="actions"` (links, buttons) beside the refresh button.
                <span class="oms-title" part="title">
                    <slot name="title"></slot>
                    <span class="oms-id" part="project-id" data-field="project-id"></span>
                </span>
                <slot name="actions"></slot>
                <button type="button" class="oms-refresh" part="refresh">
                    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v2.8h-2.8"></path></svg>
                </button>
            </header>
            <p class="oms-loading oms-muted"></p>
            <div class="oms-body">
                <div class="oms-badges" part="badges">
                    <span class="oms-badge" part="badge status-badge">
                        <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path></path></svg>
                        <span data-field="status"></span>
                    </span>
                    <span class="oms-alarm">
                        <span class="oms-key"></span>
                        <span class="oms-badge" part="badge alarm-badge">
                            <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path></path></svg>
                            <span data-field="alarm-level"></span>
                        </span>
                    </span>
                </div>
                <p class="oms-step" part="step"><span class="oms-key"></span><span data-field="current-step"></span></p>
                <div class="oms-stages" part="stages">
                    <div class="oms-stage">
                        <div class="oms-ring" part="ring" data-field="struct-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100">
                            <svg class="oms-ring-svg" viewBox="0 0 36 36" aria-hidden="true" focusable="false">
                                <circle class="oms-ring-track" cx="18" cy="18" r="15.9155"></circle>
                                <circle class="oms-ring-arc" cx="18" cy="18" r="15.9155" transform="rotate(-90 18 18)" stroke-dasharray="100 100" stroke-dashoffset="100"></circle>
                            </svg>
                            <span class="oms-ring-value" part="ring-value" aria-hidden="true"></span>
                        </div>
                        <span class="oms-stage-label" part="ring-label" aria-hidden="true"></span>
                    </div>
                    <div class="oms-stage">
                        <div class="oms-ring" part="ring" data-field="full-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100">
                            <svg class="oms-ring-svg" viewBox="0 0 36 36" aria-hidden="true" focusable="false">
                                <circle class="oms-ring-track" cx="18" cy="18" r="15.9155"></circle>
                                <circle class="oms-ring-arc" cx="18" cy="18" r="15.9155" transform="rotate(-90 18 18)" stroke-dasharray="100 100" stroke-dashoffset="100"></circle>
                            </svg>
                            <span class="oms-ring-value" part="ring-value" aria-hidden="true"></span>
                        </div>
                        <span class="oms-stage-label" part="ring-label" aria-hidden="true"></span>
                    </div>
                </div>
                <p class="oms-rows" part="rows">
                    <span data-field="rows"></span>
                    <span data-field="throughput"></span>
                    <span class="oms-bottleneck"></span>
                    <span data-field="eta"></span>
                </p>
                <section class="oms-incremental" part="incremental">
                    <h3 class="oms-section-title"></h3>
                    <p class="oms-wide oms-muted oms-off"></p>
                    <p class="oms-row" data-row="incr-checkpoint">
                        <span class="oms-key"></span>
                        <span class="oms-value">
                            <span class="oms-when"><time data-field="incr-checkpoint"></time>" "<span class="oms-age"></span></span>
                            <span class="oms-raw" data-field="incr-checkpoint"></span>
                            <span class="oms-muted oms-none"></span>
                        </span>
                    </p>
                    <p class="oms-row oms-latency" part="latency">
                        <span class="oms-key"></span>
                        <span class="oms-value">
                            <span data-field="incr-latency"></span>
                            " "
                            <span class="oms-level">
                                <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="3.5"></circle></svg>
                                <span class="oms-level-word"></span>
                            </span>
                            <span class="oms-sampled"></span>
                        </span>
                    </p>
                    <p class="oms-row" data-row="reverse-checkpoint">
                        <span class="oms-key"></span>
                        <span class="oms-value">
                            <span class="oms-when"><time data-field="reverse-checkpoint"></time>" "<span class="oms-age"></span></span>
                            <span class="oms-raw" data-field="reverse-checkpoint"></span>
                            <span class="oms-muted oms-none"></span>
                        </span>
                    </p>
                    <p class="oms-row oms-trend-row">
                        <span class="oms-key"></span>
                        <span class="oms-value">
                            <span data-field="lag-trend" part="lag-trend" role="img">
                                <svg class="oms-spark" viewBox="0 0 100 24" preserveAspectRatio="none" aria-hidden="true" focusable="false"><path></path></svg>
                                <span class="oms-trend-word"></span>
                            </span>
                        </span>
                    </p>
                    <p class="oms-wide oms-cutover" data-field="cutover" part="cutover">
                        <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path></path></svg>
                        <span class="oms-cutover-text"></span>
                    </p>
                </section>
                <section class="oms-timeline" part="timeline">
                    <h3 class="oms-section-title"></h3>
                    <ol data-field="steps">
                        <template>
                            <li class="oms-tl-step" part="timeline-step">
                                <span class="oms-tl-label"></span>
                                <span class="oms-tl-status"></span>
                                <span class="oms-tl-time"></span>
                                <span class="oms-tl-error" data-field="step-error" part="step-error"></span>
                            </li>
                        </template>
                    </ol>
                </section>
                <footer class="oms-foot" part="footer">
                    <span class="oms-updated"><span class="oms-key"></span>" "<time data-field="updated"></time></span>
                    <span class="oms-stale-mark" part="stale">
                        <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M8 1.5 15 14H1zM8 6v4M8 11.5v1"></path></svg>
                        <span class="oms-stale-text"></span>
                    </span>
                </footer>
            </div>
            <div role="alert" class="oms-alert" part="alert">
                <p class="oms-alert-message"><span class="oms-alert-coded"><code class="oms-alert-code"></code>" "</span><span class="oms-alert-text"></span></p>
                <p class="oms-alert-advice"><span class="oms-key"></span>" "<span class="oms-advice-text"></span></p>
                <p class="oms-alert-meta">
                    <span class="oms-alert-http"><span class="oms-http-key"></span>" "<span class="oms-http-status"></span></span>
                    <span class="oms-alert-rid"><span class="oms-rid-key"></span>" "<code class="oms-request-id"></code></span>
                    <span class="oms-alert-retry"></span>
                </p>
            </div>
        </article>
    }
}

/// What the card last showed: the revision of what it knew, and the frame.
type Seen = (u32, Frame);

/// What the card shows besides its model: the task id as given, and how it looks and speaks.
#[derive(Clone, PartialEq)]
struct Frame {
    project_id: String,
    layout: Layout,
    theme: Theme,
    locale: Locale,
}

/// The card's live parts, found once in its markup.
struct CardDom {
    layout: Attr,
    state: Attr,
    /// `data-steps="pending"` while the steps are on their way (the card keeps their room).
    steps_pending: Attr,
    status: Attr,
    theme: Attr,
    lang: Attr,
    label: Attr,
    busy: Attr,
    id: Text,
    id_title: Attr,
    refresh_label: Attr,
    refresh_title: Attr,
    loading: Presence,
    loading_text: Text,
    body: Presence,
    status_badge: BadgeDom,
    alarm_key: Text,
    alarm_badge: BadgeDom,
    step_key: Text,
    step: Text,
    step_value: Attr,
    schema: RingDom,
    full: RingDom,
    incremental_label: Attr,
    incremental_title: Text,
    off: Presence,
    off_text: Text,
    incremental: CheckpointDom,
    latency: LatencyDom,
    reverse: CheckpointDom,
    updated_key: Text,
    updated: Text,
    updated_datetime: Attr,
    updated_title: Attr,
    /// When the card last refreshed, the locale, and the "… ago" words written for it.
    updated_at: Option<(f64, Locale)>,
    updated_key_written: Option<(i64, &'static str, Locale)>,
    stale: Presence,
    stale_text: Text,
    alert: AlertDom,
    story: StoryDom,
    _refresh: Listener,
    /// The card's root, whose host element hears its state.
    root: Element,
}

impl CardDom {
    fn find(root: &Element, refresh_action: impl FnMut() + 'static) -> Self {
        let id = Text::find(root, "[data-field=\"project-id\"]");
        let refresh = super::dom::find(root, ".oms-refresh");
        let step = Text::find(root, "[data-field=\"current-step\"]");
        let incremental = super::dom::find(root, ".oms-incremental");
        let updated = Text::find(root, "[data-field=\"updated\"]");
        CardDom {
            layout: Attr::of(root, "data-layout"),
            state: Attr::of(root, "data-state"),
            steps_pending: Attr::of(root, "data-steps"),
            status: Attr::of(root, "data-status"),
            theme: Attr::of(root, "data-theme"),
            lang: Attr::of(root, "lang"),
            label: Attr::of(root, "aria-label"),
            busy: Attr::of(root, "aria-busy"),
            id_title: Attr::of(id.element(), "title"),
            id,
            refresh_label: Attr::of(&refresh, "aria-label"),
            refresh_title: Attr::of(&refresh, "title"),
            loading: Presence::find(root, ".oms-loading"),
            loading_text: Text::find(root, ".oms-loading"),
            body: Presence::find(root, ".oms-body"),
            status_badge: BadgeDom::find(root, "status"),
            alarm_key: Text::find(root, ".oms-alarm > .oms-key"),
            alarm_badge: BadgeDom::find(root, "alarm-level"),
            step_key: Text::find(root, ".oms-step > .oms-key"),
            step_value: Attr::of(step.element(), "data-value"),
            step,
            schema: RingDom::find(root, "struct-progress"),
            full: RingDom::find(root, "full-progress"),
            incremental_label: Attr::of(&incremental, "aria-label"),
            incremental_title: Text::find(&incremental, ".oms-section-title"),
            off: Presence::find(&incremental, ".oms-off"),
            off_text: Text::find(&incremental, ".oms-off"),
            incremental: CheckpointDom::find(&incremental, "incr-checkpoint"),
            latency: LatencyDom::find(&incremental),
            reverse: CheckpointDom::find(&incremental, "reverse-checkpoint"),
            updated_key: Text::find(root, ".oms-updated > .oms-key"),
            updated_datetime: Attr::of(updated.element(), "datetime"),
            updated_title: Attr::of(updated.element(), "title"),
            updated,
            updated_at: None,
            updated_key_written: None,
            stale: Presence::find(root, ".oms-stale-mark"),
            stale_text: Text::find(root, ".oms-stale-text"),
            alert: AlertDom::find(root),
            story: StoryDom::find(root),
            _refresh: Listener::on(&refresh, "click", refresh_action),
            root: root.clone(),
        }
    }

    fn patch(&mut self, m: &CardModel, frame: &Frame, now_ms: f64) {
        let l = frame.locale;
        let t = |words| l.text(words);
        self.layout.set(Some(frame.layout.as_str()));
        self.steps_pending.set(m.steps_pending.then_some("pending"));
        if self.state.set(Some(m.phase.as_str())) {
            announce_state(&self.root, m.phase.as_str());
        }
        self.status.set(Some(&m.status.raw));
        self.theme.set(Some(frame.theme.as_str()));
        self.lang.set(Some(l.tag()));
        self.label.set(Some(&[t(Words::Card), ": ", &frame.project_id].concat()));
        self.busy.set(Some(if m.phase == Phase::Loading { "true" } else { "false" }));
        self.id.set(&frame.project_id);
        self.id_title.set(Some(&frame.project_id));
        self.refresh_label.set(Some(t(Words::Refresh)));
        self.refresh_title.set(Some(t(Words::Refresh)));
        self.loading.show(m.phase == Phase::Loading);
        self.loading_text.set(t(Words::Loading));
        self.body.show(m.has_data());
        if m.has_data() {
            self.status_badge.patch(&m.status);
            self.alarm_key.set(t(Words::Alarm));
            self.alarm_badge.patch(&m.alarm);
            self.step_key.set(t(Words::CurrentStep));
            self.step.set(&m.step.label);
            self.step_value.set(Some(&m.step.raw));
            self.schema.patch(m.schema, Words::SchemaMigration, l);
            self.full.patch(m.full, Words::FullMigration, l);
            self.incremental_label.set(Some(t(Words::IncrementalSync)));
            self.incremental_title.set(t(Words::IncrementalSync));
            self.off.show(m.incremental.is_none());
            self.off_text.set(t(Words::Off));
            self.incremental.patch(m.incremental.as_ref(), Words::Checkpoint, l);
            self.latency.patch(m.story.lag.as_ref().filter(|_| m.incremental.is_some()), l, now_ms);
            self.reverse.patch(m.reverse.as_ref(), Words::ReverseIncremental, l);
            self.updated_key.set(t(Words::Updated));
            match m.updated_ms {
                Some(ms) => {
                    self.updated_datetime.set(Some(&crate::datetime::iso_utc((ms / 1000.0) as i64)));
                    if self.updated_at != Some((ms, l)) {
                        self.updated_title.set(Some(&intl::local_date_time(l, ms)));
                        self.updated_at = Some((ms, l));
                        self.updated_key_written = None;
                    }
                }
                None => {
                    self.updated.set(t(Words::Never));
                    self.updated_at = None;
                }
            }
            self.stale.show(m.phase == Phase::Stale);
            self.stale_text.set(t(Words::Stale));
            self.story.patch(&m.story, l);
        }
        self.alert.patch(m.alert.as_ref(), l);
        self.tick(now_ms);
    }

    /// Brings what depends on the clock up to `now_ms`, formatting only words that change.
    fn tick(&mut self, now_ms: f64) {
        if let Some((at, locale)) = self.updated_at {
            let (value, unit) = intl::ago_parts((now_ms - at) / 1000.0);
            if self.updated_key_written != Some((value, unit, locale)) {
                self.updated.set(&intl::ago(locale, value, unit));
                self.updated_key_written = Some((value, unit, locale));
            }
        }
        self.incremental.tick(now_ms);
        self.reverse.tick(now_ms);
        self.latency.tick(now_ms);
        self.story.tick(now_ms);
    }
}
