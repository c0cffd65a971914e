//! The card's freshness line (freshness.html, freshness.css), right under its header: when it
//! last refreshed, "… ago" ticking, and while the latest refresh failed, the stale marker and the
//! alert beside them. It holds one line whether the card is fresh or stale, so a card whose
//! proxy dies does not grow; the alert's details open on demand.

use super::checkpoint::Ago;
use super::dom::{Attr, Presence, Text};
use super::intl;
use crate::model::{Locale, Text as Words};
use web_sys::Element;

/// The freshness line's live parts.
pub struct FreshnessDom {
    line: Presence,
    updated_row: Presence,
    key: Text,
    updated: Ago,
    datetime: Attr,
    title: Attr,
    /// The refresh whose local date the title holds, and in which locale.
    titled: Option<(f64, Locale)>,
    stale: Presence,
    stale_text: Text,
}

impl FreshnessDom {
    /// The freshness line of the card at `root`.
    pub fn find(root: &Element) -> Self {
        let updated = Text::find(root, "[data-field=\"updated\"]");
        FreshnessDom {
            line: Presence::find(root, ".oms-freshness"),
            updated_row: Presence::find(root, ".oms-updated"),
            key: Text::find(root, ".oms-updated > .oms-key"),
            datetime: Attr::of(updated.element(), "datetime"),
            title: Attr::of(updated.element(), "title"),
            updated: Ago::of(updated),
            titled: None,
            stale: Presence::find(root, ".oms-stale-mark"),
            stale_text: Text::find(root, ".oms-stale-text"),
        }
    }

    /// Shows the last refresh (`updated_ms`, unix ms; `None` before any), whether the data is
    /// stale, and whether the line has anything to say at all (data, or an alert).
    pub fn patch(&mut self, updated_ms: Option<f64>, stale: bool, shown: bool, locale: Locale) {
        self.line.show(shown);
        self.updated_row.show(updated_ms.is_some());
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
