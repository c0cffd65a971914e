//! Fetching and polling: the one owner of timers, backoff, page visibility and request sharing.
//!
//! Cards never fetch or set timers themselves: they [`use_task_feed`] and [`use_clock`]. Cards on
//! one page that show the same (endpoint, task) share one feed, so one request per interval
//! serves them all.

pub mod schedule;

#[cfg(target_arch = "wasm32")]
pub mod actions;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
pub mod clock;
#[cfg(target_arch = "wasm32")]
mod list;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod registry;
#[cfg(target_arch = "wasm32")]
mod task;

#[cfg(target_arch = "wasm32")]
pub use clock::{ClockUse, use_clock};
#[cfg(target_arch = "wasm32")]
pub use list::{ListQuery, ListSubscription, ListUpdate, subscribe_list};
#[cfg(target_arch = "wasm32")]
pub use registry::{Delivered, Listener, Subscription, Update, subscribe};
#[cfg(target_arch = "wasm32")]
pub use task::{CardEvent, TaskFeed, use_task_feed};

#[cfg(target_arch = "wasm32")]
/// Resolves a `proxy-url` attribute into the absolute URL of the proxy, against the page's base
/// URL, so `/oms` and `https://this.host/oms/` name one feed; `None` when blank or no URL.
pub fn resolve_proxy(proxy_url: &str) -> Option<String> {
    client::absolute(&[crate::oms::proxy_base(proxy_url)?, "/"].concat())
}
