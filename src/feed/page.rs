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
    pub(super) fn install(wake: std::rc::Rc<dyn Fn()>, sleep: std::rc::Rc<dyn Fn()>) -> Self {
        let on_wake = wake.clone();
        let watch = PageWatch {
            on_visibility: Closure::new(move || {
                if is_hidden() { sleep() } else { wake() }
            }),
            wake: Closure::new(move || on_wake()),
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

/// A one-shot timer and its callback (one closure, reused for every arming): re-armed at will,
/// cleared when dropped.
pub(super) struct Timer {
    id: Option<i32>,
    tick: Closure<dyn FnMut()>,
}

impl Timer {
    /// A timer that runs `tick` when it fires.
    pub(super) fn new(tick: impl FnMut() + 'static) -> Self {
        Timer { id: None, tick: Closure::new(tick) }
    }

    /// Fires after `delay_ms`, replacing an earlier arming; not while the page is hidden.
    pub(super) fn arm(&mut self, delay_ms: u32) {
        self.clear();
        if is_hidden() {
            return;
        }
        self.set(delay_ms as i32);
    }

    /// Fires in a task of its own as soon as the page's other work lets it, hidden or not; an
    /// arming that has not fired yet stands.
    pub(super) fn soon(&mut self) {
        if self.id.is_none() {
            self.set(0);
        }
    }

    fn set(&mut self, delay_ms: i32) {
        self.id = web_sys::window().and_then(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(self.tick.as_ref().unchecked_ref(), delay_ms).ok());
    }

    /// Will not fire.
    pub(super) fn clear(&mut self) {
        if let (Some(id), Some(window)) = (self.id.take(), web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }

    /// It has fired: nothing to clear.
    pub(super) fn fired(&mut self) {
        self.id = None;
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.clear();
    }
}
