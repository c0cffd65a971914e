//! Fetching and polling: the one owner of timers, backoff, page visibility and request sharing.
//!
//! Cards never fetch or set timers themselves: they [`use_task_feed`] and [`use_clock`]. Cards on
//! one page that show the same (endpoint, task) share one feed, so one request per interval
//! serves them all.

mod client;
pub mod clock;
mod page;
mod registry;
mod task;

pub use clock::{ClockUse, use_clock};
pub use registry::{Answer, Listener, Subscription, Update, subscribe};
pub use task::{CardEvent, TaskFeed, use_task_feed};

/// Resolves a `proxy-url` attribute into the absolute progress endpoint, against the page's
/// base URL, so `/oms` and `https://this.host/oms` share one feed.
pub fn resolve_endpoint(proxy_url: &str) -> Option<String> {
    client::absolute(&crate::oms::Action::Progress.endpoint(proxy_url)?)
}
