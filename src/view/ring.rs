//! A progress ring for a migration stage (markup in the card's `view!`): `role="progressbar"`,
//! drawn from the clamped value, labelled with the value as sent. Its radius, 15.9155, makes the
//! circumference exactly 100, so the dash offset is `100 − percent`.

use super::dom::{Attr, Text, find};
use super::intl;
use crate::model::labels::{Locale, Sentence, Text as Words, fill};
use crate::oms::Stage;
use web_sys::Element;

/// A ring's live parts.
pub struct RingDom {
    now: Attr,
    text: Attr,
    name: Attr,
    enabled: Attr,
    failed: Attr,
    offset: Attr,
    value: Text,
    label: Text,
}

impl RingDom {
    /// The ring `[data-field="<field>"]` of the card.
    pub fn find(root: &Element, field: &str) -> Self {
        let ring = find(root, &["[data-field=\"", field, "\"]"].concat());
        let stage = ring.parent_element().unwrap_or_else(|| ring.clone());
        RingDom {
            now: Attr::of(&ring, "aria-valuenow"),
            text: Attr::of(&ring, "aria-valuetext"),
            name: Attr::of(&ring, "aria-label"),
            enabled: Attr::of(&ring, "data-enabled"),
            failed: Attr::of(&ring, "data-failed"),
            offset: Attr::of(&find(&ring, ".oms-ring-arc"), "stroke-dashoffset"),
            value: Text::find(&ring, ".oms-ring-value"),
            label: Text::find(&stage, ".oms-stage-label"),
        }
    }

    /// Shows `stage`, named `name`; `failed`: the stage failed (a danger ring with ✕).
    pub fn patch(&mut self, stage: Stage, name: Words, failed: bool, locale: Locale) {
        let clamped = stage.clamped();
        // A stage that is off shows a dash in its ring and says so beside it ("Schema migration
        // off"): a word would not fit a small ring in every language.
        let shown = match (stage.is_disabled(), stage.percent) {
            (false, Some(p)) => intl::percent(locale, p),
            _ => "—".to_owned(),
        };
        let spoken = match (stage.is_disabled(), stage.percent) {
            (true, _) => locale.text(Words::Off),
            (false, None) => locale.text(Words::Unknown),
            (false, Some(_)) => &shown,
        };
        let failed_word = locale.step_status(crate::oms::StepStatus::Failed);
        self.now.set(clamped.map(intl::plain_number).as_deref());
        self.text.set(Some(&if failed { [spoken, ", ", failed_word].concat() } else { spoken.to_owned() }));
        self.failed.set(failed.then_some("true"));
        self.name.set(Some(locale.text(name)));
        self.enabled.set(Some(if stage.is_disabled() { "false" } else { "true" }));
        self.offset.set(Some(&intl::plain_number(100.0 - clamped.unwrap_or(0.0))));
        self.value.set(&shown);
        self.label.set(&if stage.is_disabled() { fill(locale.sentence(Sentence::StageOff), &[("stage", locale.text(name))]) } else { locale.text(name).to_owned() });
    }
}
