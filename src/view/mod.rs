//! The Leptos components of the card, one file each with its CSS beside it.

mod alert;
mod badge;
mod card;
mod checkpoint;
pub(crate) mod intl;
mod ring;

pub use card::{CardEvent, ProgressCard, Theme, browser_locale};

/// Every style the card needs, in one sheet: theme tokens first, then each component's CSS.
/// The custom element adopts it into its shadow root; Rust apps can add it to their page.
pub const STYLESHEET: &str = concat!(
    include_str!("../../style/tokens.css"),
    include_str!("card.css"),
    include_str!("badge.css"),
    include_str!("ring.css"),
    include_str!("checkpoint.css"),
    include_str!("alert.css"),
);

/// Longest server string shown: a hostile or broken server may send megabytes.
const MAX_SHOWN_CHARS: usize = 400;

/// A server string cut to [`MAX_SHOWN_CHARS`] characters, with an ellipsis when cut.
pub(crate) fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((cut, _)) => [&text[..cut], "…"].concat(),
        None => text.to_owned(),
    }
}
