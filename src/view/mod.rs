//! The card's view: `ProgressCard` and `CardView` (card.rs), and the parts a card is made of,
//! each a file with its markup (`.html`), its live behaviour (finding its nodes, patching them)
//! and its CSS side by side: header, freshness (with the alert), failure, alarm, badges, ring
//! (the two progress rings), verification, checkpoint (the incremental section; the "… ago"
//! part the freshness line shares), story (rows, lag trend, switch-over, timeline). Nothing is
//! rebuilt after the first render: the card patches what changed (see `dom`).

mod alarm;
mod alert;
mod badge;
mod card;
mod checkpoint;
mod dom;
mod failure;
mod freshness;
mod header;
mod inputs;
pub(crate) mod intl;
mod list;
mod ring;
mod story;
mod verification;

pub use card::{CardView, ProgressCard, browser_locale, on_state_change};
pub(crate) use card::card_view;
pub use list::{ListEvent, ProjectList};
pub(crate) use list::list_view;


/// Every style the card needs, in one sheet: theme tokens first, then each component's CSS
/// (minified by `build.rs`). The custom element adopts it into its shadow root; Rust apps can
/// adopt it with [`adopt_stylesheet`].
pub const STYLESHEET: &str = include_str!(concat!(env!("OUT_DIR"), "/card.min.css"));

thread_local! {
    static SHEET: Option<web_sys::CssStyleSheet> = {
        let sheet = web_sys::CssStyleSheet::new().ok();
        if let Some(sheet) = &sheet {
            let _ = sheet.replace_sync(STYLESHEET);
        }
        sheet
    };
}

/// [`STYLESHEET`] as one constructed stylesheet, shared by every card on the page.
pub fn stylesheet() -> Option<web_sys::CssStyleSheet> {
    SHEET.with(Clone::clone)
}

/// Adds the card's stylesheet to the document (once), for Leptos apps that render
/// [`ProgressCard`] in their own DOM. Adopted stylesheets pass a strict `style-src 'self'` CSP,
/// where a `<style>` element would not.
pub fn adopt_stylesheet() {
    let (Some(document), Some(sheet)) = (web_sys::window().and_then(|w| w.document()), stylesheet()) else { return };
    let adopted = document.adopted_style_sheets();
    if !adopted.includes(&sheet, 0) {
        adopted.push(&sheet);
        document.set_adopted_style_sheets(&adopted);
    }
}
