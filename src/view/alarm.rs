//! The alarm banner (alarm.html, alarm.css): present while an alarm of the task is firing
//! (`alarmStats.alarming` of DescribeProject), with its content as OMS wrote it (as text) and how
//! often it fired lately.

use super::dom::{Attr, Presence, Text, find};
use super::intl;
use crate::model::labels::{Locale, Sentence, Text as Words, fill};
use crate::model::{Glyph, clip};
use crate::oms::{Alarm, decimal};
use web_sys::Element;

/// The banner's live parts.
pub struct AlarmDom {
    banner: Presence,
    glyph: Attr,
    key: Text,
    content: Text,
    count: Attr,
    count_text: Text,
}

impl AlarmDom {
    /// The banner of the card at `root`.
    pub fn find(root: &Element) -> Self {
        let banner = Presence::find(root, ".oms-alarm-banner");
        let b = banner.element().clone();
        let content = Text::find(&b, "[data-field=\"alarm-firing\"]").titled();
        AlarmDom {
            glyph: Attr::of(&find(&b, "path"), "d"),
            key: Text::find(&b, ".oms-key"),
            count: Attr::of(content.element(), "data-count"),
            content,
            count_text: Text::find(&b, ".oms-alarm-count"),
            banner,
        }
    }

    /// Shows the alarm firing; no banner for `None`.
    pub fn patch(&mut self, alarm: Option<&Alarm>, locale: Locale) {
        self.banner.show(alarm.is_some());
        let Some(alarm) = alarm else { return };
        self.glyph.set(Some(Glyph::Bell.path()));
        self.key.set(locale.text(Words::AlarmFiring));
        self.content.set(&clip(alarm.content.as_deref().unwrap_or_default()));
        self.count.set(alarm.count.map(|c| decimal(c.min(i64::MAX as u64) as i64)).as_deref());
        self.count_text.set(&alarm.count.map(|c| fill(locale.sentence(Sentence::AlarmCount), &[("count", &intl::count(locale, c as f64))])).unwrap_or_default());
    }
}
