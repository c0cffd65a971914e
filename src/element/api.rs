//! The JS API for hosts that prefer a function to an element: `mount(target, options)`.

use super::ELEMENT_NAME;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// `mount()` / `update()` option names and the attributes they set.
const OPTIONS: [(&str, &str); 7] = [
    ("projectId", "project-id"),
    ("proxyUrl", "proxy-url"),
    ("interval", "interval"),
    ("timeout", "timeout"),
    ("locale", "locale"),
    ("theme", "theme"),
    ("layout", "layout"),
];

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options of `mount()` and `CardHandle.update()`; each maps to the attribute of the same meaning. */
export interface MountOptions {
  /** The OMS task id (`project-id`). */
  projectId?: string;
  /** The URL that stands in for the OMS origin (`proxy-url`). */
  proxyUrl?: string;
  /** Seconds between refreshes: default 5, never below 1. */
  interval?: number | string;
  /** Seconds before a request is abandoned: default 10. */
  timeout?: number | string;
  /** `en` or `zh-CN`; default from the browser. */
  locale?: string;
  /** `light`, `dark` or `auto` (default). */
  theme?: "light" | "dark" | "auto";
  /** `full` (default) or `compact`. */
  layout?: "full" | "compact";
}

/** The attributes of `<oms-progress-card>` (for JSX and template typings). */
export interface OmsProgressCardAttributes {
  /** The OMS task id (required). */
  "project-id": string;
  /** The URL that stands in for the OMS origin (required); relative or absolute. */
  "proxy-url": string;
  /** Seconds between refreshes: default 5, never below 1. */
  interval?: string | number;
  /** Seconds before a request is abandoned: default 10. */
  timeout?: string | number;
  /** `en` or `zh-CN`; default from the browser. */
  locale?: string;
  /** `light`, `dark` or `auto` (default). */
  theme?: "light" | "dark" | "auto";
  /** `full` (default) or `compact`. */
  layout?: "full" | "compact";
}

/** `detail` of the `oms-progress` event: the answer's `data` object. */
export interface OmsProgressDetail {
  projectId?: string | null;
  status?: string | null;
  alarmLevel?: string | null;
  currentStep?: string | null;
  enableStructTransfer?: boolean | null;
  structTransferProgress?: number | string | null;
  enableFullTransfer?: boolean | null;
  fullTransferProgress?: number | string | null;
  enableIncrSync?: boolean | null;
  incrSyncCheckpoint?: number | string | null;
  enableReverseIncrTransfer?: boolean | null;
  reverseIncrTransferCheckpoint?: number | string | null;
  [field: string]: unknown;
}

/** `detail` of the `oms-status-change` event: raw statuses. */
export interface OmsStatusChangeDetail {
  from: string | null;
  to: string | null;
}

/** `detail` of the `oms-error` event. */
export interface OmsErrorDetail {
  kind: "network" | "timeout" | "http" | "decode" | "api";
  code: string | null;
  message: string;
  /** The HTTP status, when an answer arrived. */
  status?: number;
}

/** The `<oms-progress-card>` element. */
export interface OmsProgressCardElement extends HTMLElement {
  addEventListener<K extends keyof OmsProgressCardEventMap>(type: K, listener: (this: OmsProgressCardElement, ev: OmsProgressCardEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** The events of the card (they bubble and cross shadow roots). */
export interface OmsProgressCardEventMap extends HTMLElementEventMap {
  "oms-progress": CustomEvent<OmsProgressDetail>;
  "oms-status-change": CustomEvent<OmsStatusChangeDetail>;
  "oms-error": CustomEvent<OmsErrorDetail>;
}

declare global {
  interface HTMLElementTagNameMap {
    "oms-progress-card": OmsProgressCardElement;
  }
  interface HTMLElementEventMap {
    "oms-progress": CustomEvent<OmsProgressDetail>;
    "oms-status-change": CustomEvent<OmsStatusChangeDetail>;
    "oms-error": CustomEvent<OmsErrorDetail>;
  }
}
"#;

/// A card mounted by [`mount`].
#[wasm_bindgen]
pub struct CardHandle {
    element: Element,
}

#[wasm_bindgen]
impl CardHandle {
    /// Changes some options; an option set to `null` goes back to its default.
    pub fn update(&self, #[wasm_bindgen(unchecked_param_type = "MountOptions")] options: JsValue) -> Result<(), JsError> {
        apply(&self.element, &options)
    }

    /// Removes the card: its timers, listeners and requests stop.
    pub fn unmount(self) {
        self.element.remove();
    }

    /// The `<oms-progress-card>` element, to listen to its events.
    #[wasm_bindgen(getter, unchecked_return_type = "OmsProgressCardElement")]
    pub fn element(&self) -> Element {
        self.element.clone()
    }
}

/// Mounts a card inside `target` (an `<oms-progress-card>` appended to it) and returns its
/// handle. Events bubble from the card through `target`.
#[wasm_bindgen]
pub fn mount(target: &Element, #[wasm_bindgen(unchecked_param_type = "MountOptions")] options: JsValue) -> Result<CardHandle, JsError> {
    super::define();
    let document = target.owner_document().ok_or_else(|| JsError::new("mount(): the target is not in a document"))?;
    let element = document.create_element(ELEMENT_NAME).map_err(|_| JsError::new("mount(): cannot create the card element"))?;
    apply(&element, &options)?;
    target.append_child(&element).map_err(|_| JsError::new("mount(): cannot append the card to the target"))?;
    Ok(CardHandle { element })
}

/// Sets the attributes named by `options`; unknown names and unusable values are errors.
fn apply(element: &Element, options: &JsValue) -> Result<(), JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(());
    }
    let object = options.dyn_ref::<Object>().filter(|_| !options.is_function()).ok_or_else(|| {
        JsError::new("mount()/update(): options must be an object such as { projectId, proxyUrl }")
    })?;
    // Check everything before changing anything.
    let mut changes = Vec::new();
    for key in Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        let Some((_, attribute)) = OPTIONS.iter().find(|(option, _)| *option == name) else {
            let known: Vec<&str> = OPTIONS.iter().map(|(o, _)| *o).collect();
            return Err(JsError::new(&format!("unknown option {name:?}; the options are {}", known.join(", "))));
        };
        let value = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        let text = if value.is_undefined() || value.is_null() {
            None
        } else if let Some(text) = value.as_string() {
            Some(text)
        } else if let Some(number) = value.as_f64() {
            Some(crate::view::intl::plain_number(number))
        } else {
            return Err(JsError::new(&format!("option {name:?} must be a string or a number")));
        };
        changes.push((*attribute, text));
    }
    for (attribute, text) in changes {
        let _ = match text {
            Some(text) => element.set_attribute(attribute, &text),
            None => element.remove_attribute(attribute),
        };
    }
    Ok(())
}
