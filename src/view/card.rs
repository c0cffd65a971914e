//! The card (card.html, card.css): [`ProgressCard`], the Leptos component that polls its task,
//! and [`CardView`], the view alone for data its caller holds. The markup is HTML assembled
//! from the parts beside this file (build.rs) into one `<template>` per page that every card
//! clones; each part's live behaviour (finding its nodes, patching them) is in the part's file.
//! One effect keeps a card current, patching only what changed, and, once a second while the
//! card can be seen, the "… ago"s and the latency.

use super::alarm::AlarmDom;
use super::alert::AlertDom;
use super::badge::BadgeDom;
use super::checkpoint::{CheckpointDom, LatencyDom};
use super::dom::{Attr, Presence, Text};
use super::failure::FailureDom;
use super::freshness::FreshnessDom;
use super::header::HeaderDom;
use super::inputs::PropInputs;
use super::ring::RingDom;
use super::story::StoryDom;
use super::verification::VerificationDom;
use crate::feed::{CardEvent, ClockUse, use_clock, use_task_feed};
use crate::model::settings::{INTERVAL, TIMEOUT};
use crate::model::{CardData, CardInputs, CardModel, FailedStage, Layout, Locale, Phase, RequestCredentials, Sentence, StepsMode, Text as Words, Theme, Verdicts, fill};
use leptos::html::Article;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTemplateElement};

/// The card's markup, its parts included (build.rs, from card.html).
const MARKUP: &str = include_str!(concat!(env!("OUT_DIR"), "/card.html"));

thread_local! {
    /// The markup parsed once per page; each card clones it.
    static TEMPLATE: Option<HtmlTemplateElement> = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        let template = d.create_element("template").ok()?.dyn_into::<HtmlTemplateElement>().ok()?;
        template.set_inner_html(MARKUP);
        Some(template)
    });

    /// Who hears each change of a card's `data-state` (the custom element: its custom states).
    static STATE_HOOK: std::cell::Cell<Option<fn(&Element, &str)>> = const { std::cell::Cell::new(None) };
}

/// Calls `hook` with a card's root and its new `data-state` each time it changes, for every
/// card on the page (the custom element keeps its `:state()` in step).
pub fn on_state_change(hook: fn(&Element, &str)) {
    STATE_HOOK.with(|h| h.set(Some(hook)));
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
///     let (task, set_task) = signal("np_5k2m9q_oracle_billing".to_string());
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
    /// Milliseconds between refreshes: default 5 s, never below 1 s ([`INTERVAL`]).
    #[prop(into, default = Signal::stored(INTERVAL.default_ms))]
    interval_ms: Signal<u32>,
    /// Milliseconds before a request is abandoned as a timeout: default 10 s ([`TIMEOUT`]).
    #[prop(into, default = Signal::stored(TIMEOUT.default_ms))]
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
    /// Whether requests carry cookies: `Some` same-origin, include or omit; `None` (default):
    /// the page's `configure({ credentials })`, else same-origin.
    #[prop(into, optional)]
    credentials: Signal<Option<RequestCredentials>>,
    /// Hears every refresh, status change and failure.
    #[prop(optional)]
    on_event: Option<UnsyncCallback<CardEvent>>,
) -> impl IntoView {
    let locale = locale.unwrap_or_else(|| Signal::stored(browser_locale()));
    let inputs = PropInputs { project_id, proxy_url, interval_ms, timeout_ms, credentials, locale, theme, layout, steps };
    let task = use_task_feed(inputs, on_event);
    let data = task.data;
    card_view(inputs, data, use_clock(), UnsyncCallback::new(move |()| task.refresh()))
}

/// The card's view alone, fed what a card knows: [`ProgressCard`] feeds it from the task's
/// feed; tests and apps with data of their own can feed it directly (then call
/// [`CardData::retell`] when they change it, so its story follows).
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

/// [`CardView`] without a component layer: the custom element mounts this.
pub(crate) fn card_view(inputs: impl CardInputs, data: ReadSignal<CardData>, clock: ClockUse, on_refresh: UnsyncCallback<()>) -> impl IntoView {
    let root = NodeRef::<Article>::new();

    // One effect keeps the card current. The first time, it fills the card with its markup.
    // When what the card knows, or how it looks and speaks, has changed: patch what differs.
    // Otherwise the clock ticked (once a second, while the card can be seen): bring the
    // "… ago"s and the latency up to date.
    Effect::new(move |state: Option<Option<(CardDom, Seen)>>| {
        let now = clock.now.get();
        let element = root.get()?;
        let frame = Frame { project_id: inputs.project_id(), layout: inputs.layout(), theme: inputs.theme(), locale: inputs.locale() };
        let seen = (data.with(|d| d.revision), frame);
        let (mut dom, last) = match state.flatten() {
            Some((dom, last)) => (dom, Some(last)),
            None => {
                TEMPLATE.with(|t| t.as_ref().map(|t| element.append_child(&t.content().clone_node_with_deep(true).ok()?).ok()));
                clock.watch(&element);
                super::intl::warm(seen.1.locale);
                (CardDom::find(&element, move || on_refresh.run(())), None)
            }
        };
        if last.as_ref() != Some(&seen) {
            let model = data.with(|d| CardModel::new(d, seen.1.locale));
            dom.patch(&model, &seen.1, now);
        } else {
            dom.tick(now);
        }
        Some((dom, seen))
    });

    view! { <article class="oms-card" part="card" data-oms-card="" node_ref=root></article> }
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

/// The card's live parts, found once in its markup: the card's own attributes, and each part's.
struct CardDom {
    layout: Attr,
    state: Attr,
    /// `data-steps="pending"` while the steps are on their way (the card keeps their room).
    steps_pending: Attr,
    status: Attr,
    attention: Attr,
    theme: Attr,
    lang: Attr,
    label: Attr,
    busy: Attr,
    header: HeaderDom,
    freshness: FreshnessDom,
    failure: FailureDom,
    alarm_firing: AlarmDom,
    loading: Presence,
    loading_text: Text,
    body: Presence,
    status_badge: BadgeDom,
    status_key: Text,
    alarm_key: Text,
    alarm_badge: BadgeDom,
    /// The polite live region, and the verdicts it last heard.
    announcement: Text,
    verdicts: Option<Verdicts>,
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
    alert: AlertDom,
    verification: VerificationDom,
    story: StoryDom,
    /// The card's root, whose host element hears its state.
    root: Element,
}

impl CardDom {
    fn find(root: &Element, on_refresh: impl FnMut() + 'static) -> Self {
        let step = Text::find(root, "[data-field=\"current-step\"]");
        let incremental = super::dom::find(root, ".oms-incremental");
        CardDom {
            layout: Attr::of(root, "data-layout"),
            state: Attr::of(root, "data-state"),
            steps_pending: Attr::of(root, "data-steps"),
            status: Attr::of(root, "data-status"),
            attention: Attr::of(root, "data-attention"),
            theme: Attr::of(root, "data-theme"),
            lang: Attr::of(root, "lang"),
            label: Attr::of(root, "aria-label"),
            busy: Attr::of(root, "aria-busy"),
            header: HeaderDom::find(root, on_refresh),
            freshness: FreshnessDom::find(root),
            failure: FailureDom::find(root),
            alarm_firing: AlarmDom::find(root),
            loading: Presence::find(root, ".oms-loading"),
            loading_text: Text::find(root, ".oms-loading"),
            body: Presence::find(root, ".oms-body"),
            status_badge: BadgeDom::find(root, "status"),
            status_key: Text::find(root, ".oms-status-key"),
            alarm_key: Text::find(root, ".oms-alarm-key"),
            announcement: Text::find(root, "[data-field=\"announcement\"]"),
            verdicts: None,
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
            alert: AlertDom::find(root),
            verification: VerificationDom::find(root),
            story: StoryDom::find(root),
            root: root.clone(),
        }
    }

    fn patch(&mut self, m: &CardModel, frame: &Frame, now_ms: f64) {
        let l = frame.locale;
        let t = |words| l.text(words);
        self.layout.set(Some(frame.layout.as_str()));
        self.steps_pending.set(m.steps_pending.then_some("pending"));
        if self.state.set(Some(m.phase.as_str())) {
            if let Some(hook) = STATE_HOOK.with(std::cell::Cell::get) {
                hook(&self.root, m.phase.as_str());
            }
        }
        self.status.set(Some(&m.status.raw));
        self.attention.set((m.phase != Phase::Loading).then_some(m.attention.as_str()));
        self.theme.set(Some(frame.theme.as_str()));
        self.lang.set(Some(l.tag()));
        // The task as a person knows it: its name, and its id, which tells apart tasks of one name.
        let task = match m.name.as_deref() {
            Some(name) => fill(l.sentence(Sentence::NamedTask), &[("name", name), ("id", &frame.project_id)]),
            None => frame.project_id.clone(),
        };
        let task = task.as_str();
        self.label.set(Some(&fill(l.sentence(Sentence::CardLabel), &[("task", task)])));
        self.busy.set(Some(if m.phase == Phase::Loading { "true" } else { "false" }));
        // Said aloud: what changed since the card last showed data, never the first data.
        let verdicts = Verdicts::of(m);
        if let (Some(before), Some(now)) = (&self.verdicts, &verdicts) {
            if let Some(news) = now.news_since(before, l) {
                self.announcement.set(&fill(l.sentence(Sentence::Announce), &[("task", task), ("news", &news)]));
            }
        }
        if verdicts.is_some() || m.phase == Phase::Loading {
            self.verdicts = verdicts;
        }
        self.header.patch(&frame.project_id, m.name.as_deref(), task, l);
        self.freshness.patch(m.updated_ms, m.phase == Phase::Stale, m.has_data() || m.alert.is_some(), l);
        self.loading.show(m.phase == Phase::Loading);
        self.loading_text.set(t(Words::Loading));
        self.body.show(m.has_data());
        if m.has_data() {
            self.failure.patch(m.failure.as_ref(), l);
            self.alarm_firing.patch(m.firing.as_ref(), l);
            self.status_badge.patch(&m.status);
            self.status_key.set(t(Words::Status));
            self.alarm_key.set(t(Words::Alarm));
            self.alarm_badge.patch(&m.alarm);
            self.step_key.set(t(Words::CurrentStep));
            self.step.set(&m.step.label);
            self.step_value.set(Some(&m.step.raw));
            self.schema.patch(m.schema, Words::SchemaMigration, m.failed_stage == Some(FailedStage::Schema), l);
            self.full.patch(m.full, if m.story.data_sync { Words::FullSync } else { Words::FullMigration }, m.failed_stage == Some(FailedStage::Full), l);
            self.incremental_label.set(Some(t(Words::IncrementalSync)));
            self.incremental_title.set(t(Words::IncrementalSync));
            self.off.show(m.incremental.is_none());
            self.off_text.set(t(Words::IncrementalOff));
            self.incremental.patch(m.incremental.as_ref(), Words::Checkpoint, l);
            self.latency.patch(m.story.lag.as_ref().filter(|_| m.incremental.is_some()), m.lag_confirmed, l, now_ms);
            self.reverse.patch(m.reverse.as_ref(), Words::ReverseIncremental, l);
            self.verification.patch(m.verification.as_ref(), l);
            self.story.patch(&m.story, m.readiness.as_ref(), m.eta, l);
        }
        self.alert.patch(m.alert.as_ref(), !m.has_data(), l);
        self.tick(now_ms);
    }

    /// Brings what depends on the clock up to `now_ms`, formatting only words that change.
    fn tick(&mut self, now_ms: f64) {
        self.freshness.tick(now_ms);
        self.incremental.tick(now_ms);
        self.reverse.tick(now_ms);
        self.latency.tick(now_ms);
        self.story.tick(now_ms);
    }
}
