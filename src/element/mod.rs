//! `<oms-progress-card>`: the public surface's one table (`surface.json`, read into
//! [`surface`] by `build.rs`), the custom element (`custom.rs` and `define.js`), and the JS
//! entry points (`mount.js`).

pub mod surface;

#[cfg(target_arch = "wasm32")]
mod custom;
#[cfg(target_arch = "wasm32")]
mod list;
#[cfg(target_arch = "wasm32")]
pub use custom::*;
#[cfg(target_arch = "wasm32")]
pub use list::define_list_element;
