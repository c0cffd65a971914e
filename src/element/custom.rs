//! The `<oms-progress-card>` custom element: [`ProgressCard`](crate::ProgressCard) in an open shadow root, with its
//! attributes observed live and its [`CardEvent`]s dispatched as DOM events.

use super::surface::{Attribute, Event, TAG};
use crate::feed::{CardEvent, TaskFeed};
use crate::model::settings::{INTERVAL, TIMEOUT};
use crate::model::{Layout, Locale, RequestCredentials, Settings, StepsMode, Theme};
use crate::view::browser_locale;
use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};


#[wasm_bindgen(module = "/src/element/define.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(name: &str, attributes: &Array, task_attributes: &Array, hooks: &Object, sheet: &JsValue);
    #[wasm_bindgen(js_name = emitData)]
    fn emit_data(host: &HtmlElement, name: &str, property: &str, data: &JsValue);
    #[wasm_bindgen(js_name = emitStatusChange)]
    fn emit_status_change(host: &HtmlElement, name: &str, from: Option<String>, to: Option<String>);
    #[wasm_bindgen(js_name = emitError)]
    fn emit_error(host: &HtmlElement, name: &str, kind: &str, code: Option<&str>, message: &str, status: Option<u16>);
    #[wasm_bindgen(js_name = emitCutoverReady)]
    fn emit_cutover_ready(host: &HtmlElement, name: &str);
    /// Tells the host element, when the card is in one, its new `data-state`.
    #[wasm_bindgen(js_name = announceState)]
    fn announce_state(card: &web_sys::Element, state: &str);
}

/// The card's inputs: every attribute, read into one signal (attributes change rarely, and one
/// signal is one reactive node per card).
#[derive(Clone, Default)]
struct Inputs(ArcRwSignal<Settings>);

impl Inputs {
    /// The inputs of an element's current attributes (absent ones take their defaults).
    fn read(host: &HtmlElement) -> Self {
        let mut settings = Settings::default();
        for attribute in Attribute::ALL {
            apply(&mut settings, attribute, host.get_attribute(attribute.name()).as_deref());
        }
        Inputs(ArcRwSignal::new(settings))
    }

    /// Applies one attribute's new value.
    fn set(&self, attribute: Attribute, value: Option<&str>) {
        self.0.update(|settings| apply(settings, attribute, value));
    }
}

/// Reads one attribute into the settings.
fn apply(settings: &mut Settings, attribute: Attribute, value: Option<&str>) {
    match attribute {
        Attribute::ProjectId => settings.project_id = value.unwrap_or_default().trim().to_owned(),
        Attribute::ProxyUrl => settings.proxy_url = value.unwrap_or_default().to_owned(),
        Attribute::Interval => settings.cadence.interval_ms = INTERVAL.read(value),
        Attribute::Timeout => settings.cadence.timeout_ms = TIMEOUT.read(value),
        Attribute::Locale => settings.locale = locale_from_attribute(value),
        Attribute::Theme => settings.theme = Theme::from_attribute(value),
        Attribute::Layout => settings.layout = Layout::from_attribute(value),
        Attribute::Steps => settings.steps = StepsMode::from_attribute(value),
        Attribute::Credentials => settings.credentials = value.and_then(RequestCredentials::parse),
    }
}

/// The `locale` attribute if it names a supported language, else the browser's.
pub(super) fn locale_from_attribute(value: Option<&str>) -> Locale {
    value.and_then(Locale::from_tag).unwrap_or_else(browser_locale)
}

/// A card mounted in an element; dropping it unmounts the view and releases everything.
struct MountedCard {
    inputs: Inputs,
    /// The card's hold on its task's feed, for `refresh()`.
    task: Option<TaskFeed>,
    _view: Box<dyn Any>,
}

thread_local! {
    static CARDS: RefCell<Vec<(u32, MountedCard)>> = RefCell::default();
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    static DEFINED: Cell<bool> = const { Cell::new(false) };
}

/// Defines `<oms-progress-card>`; harmless when it is already defined.
pub fn define() {
    if DEFINED.replace(true) {
        return;
    }
    let hooks = element_hooks(connect, disconnect, attribute, refresh);
    let names = |list: &[Attribute]| list.iter().map(|a| JsValue::from_str(a.name())).collect::<Array>();
    // A new task id or proxy is another task: the element forgets the last `data`.
    let sheet = crate::view::stylesheet().map_or(JsValue::UNDEFINED, JsValue::from);
    define_element(TAG, &names(&Attribute::ALL), &names(&[Attribute::ProjectId, Attribute::ProxyUrl]), &hooks, &sheet);
    crate::view::on_state_change(announce_state);
}

/// The hooks an element class calls into Rust with (`connect`, `disconnect`, `attribute`,
/// `refresh`), as an object for define.js. They live as long as the page: the class holds them.
pub(super) fn element_hooks<R: wasm_bindgen::convert::FromWasmAbi + 'static>(
    connect: fn(HtmlElement) -> u32,
    disconnect: fn(u32),
    attribute: fn(u32, String, Option<String>),
    refresh: fn(R),
) -> Object {
    let hooks = Object::new();
    let set = |name: &str, hook: JsValue| {
        let _ = Reflect::set(&hooks, &name.into(), &hook);
    };
    set("connect", Closure::<dyn Fn(HtmlElement) -> u32>::new(connect).into_js_value());
    set("disconnect", Closure::<dyn Fn(u32)>::new(disconnect).into_js_value());
    set("attribute", Closure::<dyn Fn(u32, String, Option<String>)>::new(attribute).into_js_value());
    set("refresh", Closure::<dyn Fn(R)>::new(refresh).into_js_value());
    hooks
}

/// The element's open shadow root, created on first connection, with the shared stylesheet
/// adopted (no inline styles, so a strict `style-src 'self'` CSP still shows a styled card).
fn shadow_root(host: &HtmlElement) -> Option<ShadowRoot> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?,
    };
    if let Some(sheet) = crate::view::stylesheet() {
        root.set_adopted_style_sheets(&Array::of1(&sheet));
    }
    root.replace_children_with_node_0();
    Some(root)
}

fn connect(host: HtmlElement) -> u32 {
    let Some(root) = shadow_root(&host) else { return 0 };
    let Some(container) = host.owner_document().and_then(|d| d.create_element("div").ok()) else { return 0 };
    let _ = root.append_child(&container);
    let Ok(container) = container.dyn_into::<HtmlElement>() else { return 0 };

    let inputs = Inputs::read(&host);
    let settings = inputs.0.clone();
    // The feed is made inside the view's reactive owner; mounting runs at once and hands it out.
    let task = Rc::new(RefCell::new(None));
    let task_of_view = task.clone();
    let view = leptos::mount::mount_to(container, move || {
        let on_event = UnsyncCallback::new(move |event: CardEvent| dispatch(&host, event));
        let feed = crate::feed::use_task_feed(settings.clone(), Some(on_event));
        task_of_view.replace(Some(feed.clone()));
        let data = feed.data;
        crate::view::card_view(settings, data, crate::feed::use_clock(), UnsyncCallback::new(move |()| feed.refresh()))
    });
    let task = task.take();
    let id = NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    CARDS.with_borrow_mut(|cards| cards.push((id, MountedCard { inputs, task, _view: Box::new(view) })));
    id
}

/// The element's `refresh()`: fetches now, as the refresh button does.
fn refresh(id: u32) {
    let task = CARDS.with_borrow(|cards| cards.iter().find(|(i, _)| *i == id).and_then(|(_, card)| card.task.clone()));
    if let Some(task) = task {
        task.refresh();
    }
}

fn disconnect(id: u32) {
    // Taken out first and dropped after the borrow ends: unmounting runs cleanups.
    let card = CARDS.with_borrow_mut(|cards| cards.iter().position(|(i, _)| *i == id).map(|at| cards.swap_remove(at)));
    drop(card);
}

fn attribute(id: u32, name: String, value: Option<String>) {
    let Some(attribute) = Attribute::from_name(&name) else { return };
    CARDS.with_borrow(|cards| {
        if let Some((_, card)) = cards.iter().find(|(i, _)| *i == id) {
            card.inputs.set(attribute, value.as_deref());
        }
    });
}

/// Dispatches a card event on the host (define.js builds it: bubbling and composed).
fn dispatch(host: &HtmlElement, event: CardEvent) {
    match event {
        CardEvent::Progress { data, .. } => emit_data(host, Event::Progress.name(), Event::Progress.property().unwrap_or_default(), &data),
        CardEvent::Steps { data } => emit_data(host, Event::Steps.name(), Event::Steps.property().unwrap_or_default(), &data),
        CardEvent::StatusChange { from, to } => emit_status_change(host, Event::StatusChange.name(), from, to),
        CardEvent::Error { failure, message } => {
            emit_error(host, Event::Error.name(), failure.kind().as_str(), failure.code(), &message, failure.http_status())
        }
        CardEvent::CutoverReady => emit_cutover_ready(host, Event::CutoverReady.name()),
    }
}
