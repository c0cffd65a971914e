//! The `<oms-progress-card>` custom element: [`ProgressCard`] in an open shadow root, with its
//! attributes observed live and its [`CardEvent`]s dispatched as DOM events.

use crate::i18n::Locale;
use crate::model::{RequestCredentials, StepsMode};
use crate::schedule::{interval_from_attribute, timeout_from_attribute};
use crate::surface::{Attribute, Event, TAG};
use crate::feed::CardEvent;
use crate::view::{Layout, ProgressCard, Theme, browser_locale};
use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use std::any::Any;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

mod api;
pub use api::{CardHandle, mount};

#[wasm_bindgen(module = "/src/element/define.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(name: &str, attributes: &Array, hooks: &Object);
}

/// The card's inputs, one signal per attribute.
#[derive(Clone, Default)]
struct Inputs {
    project_id: ArcRwSignal<String>,
    proxy_url: ArcRwSignal<String>,
    interval_ms: ArcRwSignal<u32>,
    timeout_ms: ArcRwSignal<u32>,
    locale: ArcRwSignal<Locale>,
    theme: ArcRwSignal<Theme>,
    layout: ArcRwSignal<Layout>,
    steps: ArcRwSignal<StepsMode>,
    credentials: ArcRwSignal<RequestCredentials>,
}

impl Inputs {
    /// The inputs of an element's current attributes (absent ones take their defaults).
    fn read(host: &HtmlElement) -> Self {
        let inputs = Inputs::default();
        for attribute in Attribute::ALL {
            inputs.apply(attribute, host.get_attribute(attribute.name()));
        }
        inputs
    }

    /// Applies one attribute's new value.
    fn apply(&self, attribute: Attribute, value: Option<String>) {
        let value = value.as_deref();
        match attribute {
            Attribute::ProjectId => self.project_id.set(value.unwrap_or_default().trim().to_owned()),
            Attribute::ProxyUrl => self.proxy_url.set(value.unwrap_or_default().to_owned()),
            Attribute::Interval => self.interval_ms.set(interval_from_attribute(value)),
            Attribute::Timeout => self.timeout_ms.set(timeout_from_attribute(value)),
            Attribute::Locale => self.locale.set(locale_from_attribute(value)),
            Attribute::Theme => self.theme.set(Theme::from_attribute(value)),
            Attribute::Layout => self.layout.set(Layout::from_attribute(value)),
            Attribute::Steps => self.steps.set(StepsMode::from_attribute(value)),
            Attribute::Credentials => self.credentials.set(RequestCredentials::from_attribute(value)),
        }
    }
}

/// The `locale` attribute if it names a supported language, else the browser's.
fn locale_from_attribute(value: Option<&str>) -> Locale {
    value.and_then(Locale::from_tag).unwrap_or_else(browser_locale)
}

/// A card mounted in an element; dropping it unmounts the view and releases everything.
struct MountedCard {
    inputs: Inputs,
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
    let hooks = Object::new();
    let connect = Closure::<dyn Fn(HtmlElement) -> u32>::new(connect);
    let disconnect = Closure::<dyn Fn(u32)>::new(disconnect);
    let attribute = Closure::<dyn Fn(u32, String, Option<String>)>::new(attribute);
    let _ = Reflect::set(&hooks, &"connect".into(), connect.as_ref());
    let _ = Reflect::set(&hooks, &"disconnect".into(), disconnect.as_ref());
    let _ = Reflect::set(&hooks, &"attribute".into(), attribute.as_ref());
    let attributes: Array = Attribute::ALL.iter().map(|a| JsValue::from_str(a.name())).collect();
    define_element(TAG, &attributes, &hooks);
    // The hooks live as long as the page: the element class holds them.
    connect.forget();
    disconnect.forget();
    attribute.forget();
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
    let i = inputs.clone();
    let view = leptos::mount::mount_to(container, move || {
        let on_event = UnsyncCallback::new(move |event: CardEvent| dispatch(&host, event));
        view! {
            <ProgressCard
                project_id=i.project_id
                proxy_url=i.proxy_url
                interval_ms=i.interval_ms
                timeout_ms=i.timeout_ms
                locale=Signal::from(i.locale)
                theme=i.theme
                layout=i.layout
                steps=i.steps
                credentials=i.credentials
                on_event=on_event
            />
        }
    });
    let id = NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    CARDS.with_borrow_mut(|cards| cards.push((id, MountedCard { inputs, _view: Box::new(view) })));
    id
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
            card.inputs.apply(attribute, value);
        }
    });
}

/// Dispatches a card event on the host: bubbling and composed, so it leaves the shadow root.
fn dispatch(host: &HtmlElement, event: CardEvent) {
    let (name, detail) = match event {
        CardEvent::Progress { data, .. } => (Event::Progress, data),
        CardEvent::StatusChange { from, to } => {
            let detail = Object::new();
            let _ = Reflect::set(&detail, &"from".into(), &from.map_or(JsValue::NULL, JsValue::from));
            let _ = Reflect::set(&detail, &"to".into(), &to.map_or(JsValue::NULL, JsValue::from));
            (Event::StatusChange, detail.into())
        }
        CardEvent::Error { failure, message } => {
            let detail = Object::new();
            let _ = Reflect::set(&detail, &"kind".into(), &failure.kind().as_str().into());
            let _ = Reflect::set(&detail, &"code".into(), &failure.code().map_or(JsValue::NULL, JsValue::from));
            let _ = Reflect::set(&detail, &"message".into(), &message.into());
            if let Some(status) = failure.http_status() {
                let _ = Reflect::set(&detail, &"status".into(), &status.into());
            }
            (Event::Error, detail.into())
        }
    };
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name.name(), &init) {
        let _ = host.dispatch_event(&event);
    }
}
