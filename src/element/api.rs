//! The JS API for hosts that prefer a function to an element: `mount(target, options)`.

use crate::surface::{Attribute, TAG};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::Element;

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
    let element = document.create_element(TAG).map_err(|_| JsError::new("mount(): cannot create the card element"))?;
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
        let Some(attribute) = Attribute::from_property(&name) else {
            let known: Vec<&str> = Attribute::ALL.iter().map(|a| a.property()).collect();
            // Display, not Debug: the release build formats no Debug output.
            return Err(JsError::new(&["unknown option \"", &name, "\"; the options are ", &known.join(", ")].concat()));
        };
        let value = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        let text = if value.is_undefined() || value.is_null() {
            None
        } else if let Some(text) = value.as_string() {
            Some(text)
        } else if let Some(number) = value.as_f64() {
            Some(crate::view::intl::plain_number(number))
        } else {
            return Err(JsError::new(&["option \"", &name, "\" must be a string or a number"].concat()));
        };
        changes.push((attribute, text));
    }
    for (attribute, text) in changes {
        let _ = match text {
            Some(text) => element.set_attribute(attribute.name(), &text),
            None => element.remove_attribute(attribute.name()),
        };
    }
    Ok(())
}
