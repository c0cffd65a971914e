//! `ProgressCard`: the whole card. Its markup is built once, by `view!`; two effects keep it
//! current by patching only what changed: one when what the card knows (or how it speaks)
//! changes, one for the "… ago"s and the latency, once a second while the card can be seen.

use super::alert::{AlertDom, FailureAlert};
use super::badge::{Badge, BadgeDom};
use super::checkpoint::{CheckpointDom, CheckpointRow, LatencyDom, LatencyRow};
use super::dom::{Attr, Presence, Text};
use super::intl;
use super::ring::{ProgressRing, RingDom};
use crate::feed::{CardEvent, FeedInputs, use_clock, use_task_feed};
use crate::i18n::{Locale, Text as Words};
use crate::model::{CardModel, Layout, Phase, RequestCredentials, StepsMode, Theme};
use crate::schedule::{Cadence, DEFAULT_INTERVAL_MS, REQUEST_TIMEOUT_MS};
use leptos::html::Article;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Element;

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
    let cadence = Signal::derive(move || Cadence { interval_ms: interval_ms.get(), timeout_ms: timeout_ms.get() });
    let _ = steps; // the task's story (DescribeProjectSteps) reads it
    let task = use_task_feed(FeedInputs { project_id, proxy_url, cadence, credentials }, locale, on_event);
    let clock = StoredValue::new_local(use_clock());
    let now = clock.with_value(|c| c.now.clone());
    let root = NodeRef::<Article>::new();
    let dom = Rc::new(RefCell::new(None::<CardDom>));

    // Whenever what the card knows or how it speaks changes: patch what differs.
    Effect::new({
        let (dom, now) = (dom.clone(), now.clone());
        move |_| {
            let Some(element) = root.get() else { return };
            let locale = locale.get();
            let model = task.data.with(|d| CardModel::new(d, locale));
            let frame = Frame { project_id: project_id.get(), layout: layout.get(), theme: theme.get(), locale };
            let mut dom = dom.borrow_mut();
            let dom = dom.get_or_insert_with(|| {
                clock.with_value(|c| c.watch(&element));
                CardDom::find(&element)
            });
            dom.patch(&model, &frame, now.get_untracked());
        }
    });
    // Once a second while the card can be seen: the "… ago"s and the latency.
    Effect::new(move |_| {
        let now = now.get();
        if let Some(dom) = dom.borrow_mut().as_mut() {
            dom.tick(now);
        }
    });

    view! {
        <article class="oms-card" part="card" data-oms-card="" node_ref=root>
            <header class="oms-head" part="header">
                <span class="oms-id" part="project-id" data-field="project-id"></span>
                <button type="button" class="oms-refresh" part="refresh" on:click=move |_| task.refresh()>
                    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                        <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v2.8h-2.8" />
                    </svg>
                </button>
            </header>
            <p class="oms-loading oms-muted"></p>
            <div class="oms-body">
                <div class="oms-badges" part="badges">
                    <Badge field="status" part="badge status-badge" />
                    <span class="oms-alarm">
                        <span class="oms-key"></span>
                        <Badge field="alarm-level" part="badge alarm-badge" />
                    </span>
                </div>
                <p class="oms-step" part="step">
                    <span class="oms-key"></span>
                    <span data-field="current-step"></span>
                </p>
                <div class="oms-stages" part="stages">
                    <ProgressRing field="struct-progress" />
                    <ProgressRing field="full-progress" />
                </div>
                <section class="oms-incremental" part="incremental">
                    <h3 class="oms-section-title"></h3>
                    <p class="oms-wide oms-muted oms-off"></p>
                    <CheckpointRow field="incr-checkpoint" />
                    <LatencyRow />
                    <CheckpointRow field="reverse-checkpoint" />
                </section>
                <footer class="oms-foot" part="footer">
                    <span class="oms-updated"><span class="oms-key"></span>" "<time data-field="updated"></time></span>
                    <span class="oms-stale-mark" part="stale">
                        <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M8 1.5 15 14H1zM8 6v4M8 11.5v1" /></svg>
                        <span class="oms-stale-text"></span>
                    </span>
                </footer>
            </div>
            <FailureAlert />
        </article>
    }
}

/// What the card shows besides its model: the task id as given, and how it looks and speaks.
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
}

impl CardDom {
    fn find(root: &Element) -> Self {
        let id = Text::find(root, "[data-field=\"project-id\"]");
        let refresh = super::dom::find(root, ".oms-refresh");
        let step = Text::find(root, "[data-field=\"current-step\"]");
        let incremental = super::dom::find(root, ".oms-incremental");
        let updated = Text::find(root, "[data-field=\"updated\"]");
        CardDom {
            layout: Attr::of(root, "data-layout"),
            state: Attr::of(root, "data-state"),
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
        }
    }

    fn patch(&mut self, m: &CardModel, frame: &Frame, now_ms: f64) {
        let l = frame.locale;
        let t = |words| l.text(words);
        self.layout.set(Some(frame.layout.as_str()));
        self.state.set(Some(m.phase.as_str()));
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
            self.latency.patch(m.incremental_unix(), l, now_ms);
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
    }
}
