//! One shared 1 Hz clock for every "… ago" label on the page, running while any card uses it.

use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

struct Clock {
    now: ArcRwSignal<f64>,
    users: usize,
    interval: Option<i32>,
    _tick: Closure<dyn FnMut()>,
}

thread_local! {
    static CLOCK: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

/// A card's use of the clock; the clock stops when the last one is dropped.
pub struct ClockUse {
    /// The current time in unix milliseconds, updated once a second.
    pub now: ArcReadSignal<f64>,
}

/// Starts using the shared clock.
pub fn use_clock() -> ClockUse {
    CLOCK.with_borrow_mut(|slot| {
        let clock = slot.get_or_insert_with(|| {
            let now = ArcRwSignal::new(js_sys::Date::now());
            let writer = now.clone();
            let tick = Closure::<dyn FnMut()>::new(move || writer.set(js_sys::Date::now()));
            let interval = web_sys::window().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 1000).ok()
            });
            Clock { now, users: 0, interval, _tick: tick }
        });
        clock.users += 1;
        // A card mounted later starts from the current time, not the last tick.
        clock.now.set(js_sys::Date::now());
        ClockUse { now: clock.now.read_only() }
    })
}

impl Drop for ClockUse {
    fn drop(&mut self) {
        let stopped = CLOCK.with_borrow_mut(|slot| {
            let clock = slot.as_mut()?;
            clock.users -= 1;
            if clock.users > 0 {
                return None;
            }
            if let (Some(id), Some(w)) = (clock.interval, web_sys::window()) {
                w.clear_interval_with_handle(id);
            }
            slot.take()
        });
        drop(stopped);
    }
}
