//! The page's visibility and connectivity: no requests while hidden, a refresh on return.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Whether the page is hidden (a background tab, a minimised window).
pub fn is_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// The `visibilitychange` and `online` listeners, installed while any feed exists.
pub(super) struct PageWatch {
    on_visibility: Closure<dyn FnMut()>,
    on_online: Closure<dyn FnMut()>,
}

impl PageWatch {
    pub(super) fn install() -> Self {
        let watch = PageWatch {
            on_visibility: Closure::new(|| {
                if is_hidden() { super::registry::sleep_all() } else { super::registry::wake_all() }
            }),
            on_online: Closure::new(super::registry::wake_all),
        };
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("online", watch.on_online.as_ref().unchecked_ref());
            if let Some(document) = window.document() {
                let _ = document
                    .add_event_listener_with_callback("visibilitychange", watch.on_visibility.as_ref().unchecked_ref());
            }
        }
        watch
    }
}

impl Drop for PageWatch {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback("online", self.on_online.as_ref().unchecked_ref());
            if let Some(document) = window.document() {
                let _ = document
                    .remove_event_listener_with_callback("visibilitychange", self.on_visibility.as_ref().unchecked_ref());
            }
        }
    }
}
