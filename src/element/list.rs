//! The `<oms-project-list>` custom element: [`ProjectList`](crate::ProjectList) in an open
//! shadow root, with its attributes observed live and its events dispatched as DOM events.

use super::surface::{Event, LIST_TAG, ListAttribute};
use crate::model::settings::{INTERVAL, LIST_MAX, TIMEOUT};
use crate::model::{ListSettings, RequestCredentials, Theme};
use crate::view::ListEvent;
use js_sys::{Array, Object};
use leptos::prelude::*;
use std::any::Any;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

#[wasm_bindgen(module = "/src/element/define.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineList)]
    fn define_list(name: &str, attributes: &Array, hooks: &Object, sheet: &JsValue);
    #[wasm_bindgen(js_name = emitDetail)]
    fn emit_detail(host: &HtmlElement, name: &str, detail: &JsValue);
    #[wasm_bindgen(js_name = emitError)]
    fn emit_error(host: &HtmlElement, name: &str, kind: &str, code: Option<&str>, message: &str, status: Option<u16>);
    #[wasm_bindgen(js_name = setHostState)]
    fn set_host_state(host: &HtmlElement, state: &str);
}

/// Reads one attribute into the list's settings.
fn apply(settings: &mut ListSettings, attribute: ListAttribute, value: Option<&str>) {
    let text = || value.map(str::to_owned).filter(|v| !v.trim().is_empty());
    match attribute {
        ListAttribute::ProxyUrl => settings.proxy_url = value.unwrap_or_default().to_owned(),
        ListAttribute::Interval => settings.cadence.interval_ms = INTERVAL.read(value),
        ListAttribute::Timeout => settings.cadence.timeout_ms = TIMEOUT.read(value),
        ListAttribute::Locale => settings.locale = super::custom::locale_from_attribute(value),
        ListAttribute::Theme => settings.theme = Theme::from_attribute(value),
        ListAttribute::Credentials => settings.credentials = value.and_then(RequestCredentials::parse),
        ListAttribute::Status => settings.status = text(),
        ListAttribute::Type => settings.kind = text(),
        ListAttribute::Search => settings.search = text(),
        ListAttribute::Max => settings.max = LIST_MAX.read(value),
    }
}

/// A list mounted in an element; dropping it unmounts the view and releases everything.
struct MountedList {
    settings: ArcRwSignal<ListSettings>,
    _view: Box<dyn Any>,
}

thread_local! {
    static LISTS: RefCell<Vec<(u32, MountedList)>> = RefCell::default();
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    static DEFINED: Cell<bool> = const { Cell::new(false) };
}

/// Defines `<oms-project-list>`; harmless when it is already defined.
pub fn define_list_element() {
    if DEFINED.replace(true) {
        return;
    }
    let hooks = super::custom::element_hooks(connect, disconnect, attribute, refresh);
    let names = ListAttribute::ALL.iter().map(|a| JsValue::from_str(a.name())).collect::<Array>();
    let sheet = crate::view::stylesheet().map_or(JsValue::UNDEFINED, JsValue::from);
    define_list(LIST_TAG, &names, &hooks, &sheet);
}

fn connect(host: HtmlElement) -> u32 {
    let Some(root) = host.shadow_root() else { return 0 };
    root.replace_children_with_node_0();
    let Some(container) = host.owner_document().and_then(|d| d.create_element("div").ok()) else { return 0 };
    let _ = root.append_child(&container);
    let Ok(container) = container.dyn_into::<HtmlElement>() else { return 0 };
    let mut read = ListSettings::default();
    for attribute in ListAttribute::ALL {
        apply(&mut read, attribute, host.get_attribute(attribute.name()).as_deref());
    }
    let settings = ArcRwSignal::new(read);
    let of_view = settings.clone();
    let view = leptos::mount::mount_to(container, move || {
        let on_event = UnsyncCallback::new(move |event: ListEvent| dispatch(&host, event));
        crate::view::list_view(Signal::derive(move || of_view.get()), Some(on_event))
    });
    let id = NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    LISTS.with_borrow_mut(|lists| lists.push((id, MountedList { settings, _view: Box::new(view) })));
    id
}

/// The element's `refresh()`: the list's refresh button, pressed.
fn refresh(host: HtmlElement) {
    let button = host.shadow_root().and_then(|r| r.query_selector(".oms-list-head .oms-refresh").ok().flatten());
    if let Some(button) = button.and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
        button.click();
    }
}

fn disconnect(id: u32) {
    // Taken out first and dropped after the borrow ends: unmounting runs cleanups.
    let list = LISTS.with_borrow_mut(|lists| lists.iter().position(|(i, _)| *i == id).map(|at| lists.swap_remove(at)));
    drop(list);
}

fn attribute(id: u32, name: String, value: Option<String>) {
    let Some(attribute) = ListAttribute::ALL.into_iter().find(|a| a.name() == name) else { return };
    let settings = LISTS.with_borrow(|lists| lists.iter().find(|(i, _)| *i == id).map(|(_, l)| l.settings.clone()));
    if let Some(settings) = settings {
        settings.update(|s| apply(s, attribute, value.as_deref()));
    }
}

/// Dispatches a list event on the host (define.js builds it: bubbling and composed).
fn dispatch(host: &HtmlElement, event: ListEvent) {
    match event {
        ListEvent::Listed { data } => emit_detail(host, Event::List.name(), &data),
        ListEvent::Error { failure, message } => emit_error(host, Event::Error.name(), failure.kind().as_str(), failure.code(), &message, failure.http_status()),
        ListEvent::State(state) => set_host_state(host, state),
    }
}
