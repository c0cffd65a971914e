//! The card's bottom row (footer.html, footer.css): when it last refreshed, "… ago" ticking,
//! and the stale marker while the latest refresh failed.

use super::checkpoint::Ago;
use super::dom::{Attr, Presence, Text};
use super::intl;
use crate::model::{Locale, Text as Words};
use web_sys::Element;

/// The bottom row's live parts.
pub struct FooterDom {
    key: Text,
    updated: Ago,
    datetime: Attr,
    title: Attr,
    /// The refresh whose local date the title holds, and in which locale.
    titled: Option<(f64, Locale)>,
    stale: Presence,
    stale_text: Text,
}

impl FooterDom {
    /// The bottom row of the card at `root`.
    pub fn find(root: &Element) -> Self {
        let updated = Text::find(root, "[data-field=\"updated\"]");
        FooterDom {
            key: Text::find(root, ".oms-updated > .oms-key"),
            datetime: Attr::of(updated.element(), "datetime"),
            title: Attr::of(updated.element(), "title"),
            updated: Ago::of(updated),
            titled: None,
            stale: Presence::find(root, ".oms-stale-mark"),
            stale_text: Text::find(root, ".oms-stale-text"),
        }
    }

    /// Shows the last refresh (`updated_ms`, unix ms) and whether the data is stale.
    pub fn patch(&mut self, updated_ms: Option<f64>, stale: bool, locale: Locale) {
        self.key.set(locale.text(Words::Updated));
        match updated_ms {
            Some(ms) => {
                self.datetime.set(Some(&crate::oms::time::iso_utc((ms / 1000.0) as i64)));
                if self.titled != Some((ms, locale)) {
                    self.title.set(Some(&intl::local_date_time(locale, ms)));
                    self.titled = Some((ms, locale));
                }
                self.updated.since(Some((ms, locale)));
            }
            None => {
                self.updated.since(None);
                self.updated.text().set(locale.text(Words::Never));
                self.titled = None;
            }
        }
        self.stale.show(stale);
        self.stale_text.set(locale.text(Words::Stale));
    }

    /// Brings "… ago" up to `now_ms`.
    pub fn tick(&mut self, now_ms: f64) {
        self.updated.tick(now_ms);
    }
}
