//! One 1 Hz clock for every "… ago" on the page. It ticks only the cards that can be seen (an
//! `IntersectionObserver` tells which), and nothing while the page is hidden: a dashboard of 200
//! cards pays for the dozen on screen.

use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry};

struct Watched {
    id: u32,
    now: ArcRwSignal<f64>,
    element: Option<Element>,
    visible: bool,
}

struct Clock {
    cards: Vec<Watched>,
    next_id: u32,
    interval: Option<i32>,
    observer: Option<IntersectionObserver>,
    _tick: Closure<dyn FnMut()>,
    _seen: Closure<dyn FnMut(js_sys::Array)>,
}

thread_local! {
    static CLOCK: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

/// A card's use of the clock; dropping it stops watching the card, and the last one out stops
/// the clock.
pub struct ClockUse {
    id: u32,
    /// The current time in unix milliseconds, updated once a second while the card is visible.
    pub now: ArcReadSignal<f64>,
}

fn tick() {
    if super::page::is_hidden() {
        return;
    }
    let now = js_sys::Date::now();
    // Set outside the borrow: the effects that hear it may use the clock.
    let visible: Vec<ArcRwSignal<f64>> =
        CLOCK.with_borrow(|c| c.iter().flat_map(|c| &c.cards).filter(|w| w.visible).map(|w| w.now.clone()).collect());
    for signal in visible {
        signal.set(now);
    }
}

fn seen(entries: js_sys::Array) {
    let now = js_sys::Date::now();
    let mut shown = Vec::new();
    CLOCK.with_borrow_mut(|clock| {
        let Some(clock) = clock else { return };
        for entry in entries.iter() {
            let entry: IntersectionObserverEntry = entry.unchecked_into();
            let target = entry.target();
            if let Some(card) = clock.cards.iter_mut().find(|w| w.element.as_ref().is_some_and(|e| e == &target)) {
                if entry.is_intersecting() && !card.visible {
                    shown.push(card.now.clone());
                }
                card.visible = entry.is_intersecting();
            }
        }
    });
    // A card scrolled into view catches up at once.
    for signal in shown {
        signal.set(now);
    }
}

/// Starts using the shared clock.
pub fn use_clock() -> ClockUse {
    CLOCK.with_borrow_mut(|slot| {
        let clock = slot.get_or_insert_with(|| {
            let tick = Closure::<dyn FnMut()>::new(tick);
            let seen = Closure::<dyn FnMut(js_sys::Array)>::new(seen);
            let interval = web_sys::window().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 1000).ok()
            });
            let observer = IntersectionObserver::new(seen.as_ref().unchecked_ref()).ok();
            Clock { cards: Vec::new(), next_id: 0, interval, observer, _tick: tick, _seen: seen }
        });
        clock.next_id += 1;
        let now = ArcRwSignal::new(js_sys::Date::now());
        let use_ = ClockUse { id: clock.next_id, now: now.read_only() };
        // Visible until the observer says otherwise (also where there is no observer).
        clock.cards.push(Watched { id: clock.next_id, now, element: None, visible: true });
        use_
    })
}

impl ClockUse {
    /// Ticks this card only while `element` is on screen.
    pub fn watch(&self, element: &Element) {
        CLOCK.with_borrow_mut(|clock| {
            let Some(clock) = clock else { return };
            if let (Some(card), Some(observer)) = (clock.cards.iter_mut().find(|w| w.id == self.id), &clock.observer) {
                card.element = Some(element.clone());
                observer.observe(element);
            }
        });
    }
}

impl Drop for ClockUse {
    fn drop(&mut self) {
        let stopped = CLOCK.with_borrow_mut(|slot| {
            let clock = slot.as_mut()?;
            if let Some(at) = clock.cards.iter().position(|w| w.id == self.id) {
                let card = clock.cards.swap_remove(at);
                if let (Some(element), Some(observer)) = (card.element, &clock.observer) {
                    observer.unobserve(&element);
                }
            }
            if !clock.cards.is_empty() {
                return None;
            }
            if let (Some(id), Some(w)) = (clock.interval, web_sys::window()) {
                w.clear_interval_with_handle(id);
            }
            if let Some(observer) = &clock.observer {
                observer.disconnect();
            }
            slot.take()
        });
        drop(stopped);
    }
}
