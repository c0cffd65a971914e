//! A badge (markup in the card's `view!`): an icon and a word on a tinted background, so colour
//! is never the only signal.

use super::dom::{Attr, Text, find};
use crate::model::BadgeModel;
use web_sys::Element;

/// A badge's live parts: its `[data-field]` label holds exactly the human label, with the raw
/// value in `data-value`.
pub struct BadgeDom {
    tone: Attr,
    glyph: Attr,
    value: Attr,
    label: Text,
}

impl BadgeDom {
    /// The badge whose label is `[data-field="<field>"]` in the card.
    pub fn find(root: &Element, field: &str) -> Self {
        let label = Text::find(root, &["[data-field=\"", field, "\"]"].concat());
        let badge = label.element().parent_element().unwrap_or_else(|| label.element().clone());
        BadgeDom { tone: Attr::of(&badge, "data-tone"), glyph: Attr::of(&find(&badge, "path"), "d"), value: Attr::of(label.element(), "data-value"), label }
    }

    /// Shows `badge`.
    pub fn patch(&mut self, badge: &BadgeModel) {
        self.tone.set(Some(badge.tone.as_str()));
        self.glyph.set(Some(badge.glyph.path()));
        self.value.set(Some(&badge.raw));
        self.label.set(&badge.label);
    }
}
