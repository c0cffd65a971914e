//! The page's visibility, connectivity and request settings: no requests while hidden, a
//! refresh on return, and at once when `configure()` changes the host's credentials.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Whether the page is hidden (a background tab, a minimised window).
pub fn is_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// The `visibilitychange`, `online` and `configure()` listeners, installed while any feed exists.
pub(super) struct PageWatch {
    on_visibility: Closure<dyn FnMut()>,
    wake: Closure<dyn FnMut()>,
    configure: Option<web_sys::EventTarget>,
}

impl PageWatch {
    /// Calls `wake` when the page becomes visible, the browser comes back online or
    /// `configure()` changes the settings, and `sleep` when the page is hidden, until dropped.
    pub(super) fn install(wake: fn(), sleep: fn()) -> Self {
        let watch = PageWatch {
            on_visibility: Closure::new(move || {
                if is_hidden() { sleep() } else { wake() }
            }),
            wake: Closure::new(wake),
            configure: super::client::configure_changes(),
        };
        if let Some(changes) = &watch.configure {
            let _ = changes.add_event_listener_with_callback("change", watch.wake.as_ref().unchecked_ref());
        }
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("online", watch.wake.as_ref().unchecked_ref());
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
        if let Some(changes) = &self.configure {
            let _ = changes.remove_event_listener_with_callback("change", self.wake.as_ref().unchecked_ref());
        }
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback("online", self.wake.as_ref().unchecked_ref());
            if let Some(document) = window.document() {
                let _ = document
                    .remove_event_listener_with_callback("visibilitychange", self.on_visibility.as_ref().unchecked_ref());
            }
        }
    }
}
