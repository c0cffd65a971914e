//! Fetching and polling: the one owner of timers, backoff, page visibility and request sharing.
//!
//! Cards never fetch or set timers themselves: they [`subscribe`] to a feed and hear
//! [`Update`]s. Cards on one page that show the same (endpoint, project id) share one feed, so
//! one request per interval serves them all.

mod client;
pub mod clock;
mod page;
mod registry;

pub use client::Answer;
pub use registry::{Listener, Subscription, Update, subscribe};

/// Resolves a `proxy-url` attribute into the absolute progress endpoint, against the page's
/// base URL, so `/oms` and `https://this.host/oms` share one feed.
pub fn resolve_endpoint(proxy_url: &str) -> Option<String> {
    let joined = crate::oms::Action::Progress.endpoint(proxy_url)?;
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    web_sys::Url::new_with_base(&joined, &base).ok().map(|u| u.href())
}
