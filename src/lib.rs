//! A live progress card for OceanBase Migration Service (OMS) tasks.
//!
//! The data's path through the crate (ARCHITECTURE.md draws it):
//! [`oms`] (wire types and decoding, pure Rust) → `feed` (fetching and polling: timers,
//! backoff, visibility, request sharing, one request slot per OMS action) → [`model`] (what the
//! card shows, computed once per answer, pure Rust) → `view` (the Leptos components) →
//! `element` (the `<oms-progress-card>` custom element and the JS entry points).
//!
//! [`oms`], [`model`], `feed::schedule` and `element::surface` build and test natively; the
//! rest only for `wasm32`.
//!
//! # In a Leptos app
//!
//! ```toml
//! [dependencies]
//! # Without `define-on-init` (the npm build's start function): your app has its own `main`.
//! oms-progress-card = { version = "0.1", default-features = false }
//! ```
//!
//! Render `ProgressCard` (its props are documented on the component) after calling
//! `adopt_stylesheet()` once; or call `element::define()` and use `<oms-progress-card>` for full
//! style isolation in a shadow root. `CardView` renders a card from data you already hold.
//!
//! # In any web page
//!
//! The npm package (`make build` → `pkg/`) defines `<oms-progress-card>`; see the README.

pub mod element;
pub mod feed;
pub mod model;
pub mod oms;
#[cfg(target_arch = "wasm32")]
pub mod view;

#[cfg(target_arch = "wasm32")]
pub use feed::CardEvent;
#[cfg(target_arch = "wasm32")]
pub use model::{Layout, RequestCredentials, StepsMode, Theme};
#[cfg(target_arch = "wasm32")]
pub use view::{CardView, ListEvent, ProgressCard, ProjectList, STYLESHEET, adopt_stylesheet};

/// Runs when the module is instantiated (by the default-exported `init()`): defines the
/// custom element. Leptos apps with a `main` of their own turn the `define-on-init` feature off
/// (a wasm module has one start function) and call [`element::define`] if they want the element.
#[cfg(all(target_arch = "wasm32", feature = "define-on-init"))]
#[wasm_bindgen::prelude::wasm_bindgen(start, skip_typescript, js_name = "__omsDefineOnInit")]
fn start() {
    element::define();
    element::define_list_element();
}
