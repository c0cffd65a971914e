//! The incremental sync section (incremental.html, checkpoint.css): a checkpoint with its age,
//! and the sync latency; and [`Ago`], the "… ago" that ticks, which the footer shares. A
//! timestamp that moves on every poll only changes text and attributes.

use super::dom::{Attr, Presence, Text};
use super::intl;
use crate::oms::time::iso_utc;
use crate::model::labels::{Locale, Sentence, Text as Words, fill};
use crate::model::latency::SyncLatency;
use crate::model::clip;
use crate::oms::Checkpoint;
use crate::model::story::{Lag, SAMPLING_STOPPED_SECONDS};
use web_sys::Element;

/// How long ago a moment was ("12s ago"), kept current by the clock: the words are
/// rewritten only when they change.
pub struct Ago {
    text: Text,
    /// The moment (unix ms) and the locale.
    since: Option<(f64, Locale)>,
    /// The words written: value, unit, locale.
    written: Option<(i64, &'static str, Locale)>,
}

impl Ago {
    /// The age written into `text`.
    pub fn of(text: Text) -> Self {
        Ago { text, since: None, written: None }
    }

    /// From now on, how long ago `since` (unix ms, in a locale) was; `None`: nothing ticks.
    pub fn since(&mut self, since: Option<(f64, Locale)>) {
        if self.since != since {
            self.since = since;
            self.written = None;
        }
    }

    /// Brings the words up to `now_ms`.
    pub fn tick(&mut self, now_ms: f64) {
        let Some((since, locale)) = self.since else { return };
        let (value, unit) = intl::ago_parts((now_ms - since) / 1000.0);
        if self.written != Some((value, unit, locale)) {
            self.text.set(&intl::ago(locale, value, unit));
            self.written = Some((value, unit, locale));
        }
    }
}

/// A checkpoint row's live parts.
pub struct CheckpointDom {
    row: Presence,
    key: Text,
    when: Presence,
    time: Text,
    datetime: Attr,
    title: Attr,
    age: Ago,
    raw: Presence,
    raw_text: Text,
    none: Presence,
    none_text: Text,
    /// The checkpoint shown, as unix seconds, and the locale its date was written in.
    shown: Option<(i64, Locale)>,
}

impl CheckpointDom {
    /// The checkpoint row `[data-row="<field>"]` of the card.
    pub fn find(root: &Element, field: &str) -> Self {
        let row = Presence::find(root, &["[data-row=\"", field, "\"]"].concat());
        let r = row.element().clone();
        let time = Text::find(&r, "time");
        CheckpointDom {
            key: Text::find(&r, ".oms-key"),
            when: Presence::find(&r, ".oms-when"),
            datetime: Attr::of(time.element(), "datetime"),
            title: Attr::of(time.element(), "title"),
            time,
            age: Ago::of(Text::find(&r, ".oms-age")),
            raw: Presence::find(&r, ".oms-raw"),
            raw_text: Text::find(&r, ".oms-raw"),
            none: Presence::find(&r, ".oms-none"),
            none_text: Text::find(&r, ".oms-none"),
            row,
            shown: None,
        }
    }

    /// Shows `checkpoint` under `label`; no row for `None`.
    pub fn patch(&mut self, checkpoint: Option<&Checkpoint>, label: Words, locale: Locale) {
        self.row.show(checkpoint.is_some());
        let Some(checkpoint) = checkpoint else { return };
        self.key.set(locale.text(label));
        let unix = match checkpoint {
            Checkpoint::Unix(seconds) => Some(*seconds),
            _ => None,
        };
        self.when.show(unix.is_some());
        self.raw.show(matches!(checkpoint, Checkpoint::Raw(_)));
        self.none.show(*checkpoint == Checkpoint::None);
        match checkpoint {
            Checkpoint::Unix(seconds) if self.shown != Some((*seconds, locale)) => {
                let iso = iso_utc(*seconds);
                self.time.set(&intl::local_date_time(locale, *seconds as f64 * 1000.0));
                self.title.set(Some(&["UTC ", &iso].concat()));
                self.datetime.set(Some(&iso));
                self.shown = Some((*seconds, locale));
                self.age.since(Some((*seconds as f64 * 1000.0, locale)));
            }
            Checkpoint::Raw(text) => self.raw_text.set(&clip(text)),
            Checkpoint::None => self.none_text.set(locale.text(Words::NotStarted)),
            Checkpoint::Unix(_) => {}
        }
    }

    /// Brings the age ("12s ago") up to `now_ms`.
    pub fn tick(&mut self, now_ms: f64) {
        self.age.tick(now_ms);
    }
}

/// The latency row's live parts.
pub struct LatencyDom {
    row: Presence,
    key: Text,
    row_level: Attr,
    stalled: Attr,
    value: Text,
    seconds: Attr,
    level: Attr,
    source: Attr,
    word: Text,
    sampled: Presence,
    sampled_text: Text,
    /// The lag shown (it ticks: the viewer's lag grows with the clock, OMS's sample ages) and
    /// the locale.
    ticking: Option<(Lag, Locale)>,
    /// The seconds written, and in which locale.
    written: Option<(u64, Locale)>,
    /// Whether the latest refresh confirmed the lag (else its level is not said).
    confirmed: bool,
    /// The sample's age written: its value and unit, the locale, and whether it said stopped.
    sampled_written: Option<(i64, &'static str, Locale, bool)>,
}

impl LatencyDom {
    /// The latency row in `root`.
    pub fn find(root: &Element) -> Self {
        let row = Presence::find(root, ".oms-latency");
        let r = row.element().clone();
        let value = Text::find(&r, "[data-field=\"incr-latency\"]");
        LatencyDom {
            key: Text::find(&r, ".oms-key"),
            row_level: Attr::of(&r, "data-level"),
            stalled: Attr::of(&r, "data-stalled"),
            seconds: Attr::of(value.element(), "data-seconds"),
            level: Attr::of(value.element(), "data-level"),
            source: Attr::of(value.element(), "data-source"),
            value,
            word: Text::find(&r, ".oms-level-word"),
            sampled: Presence::find(&r, ".oms-sampled"),
            sampled_text: Text::find(&r, ".oms-sampled"),
            row,
            ticking: None,
            written: None,
            confirmed: true,
            sampled_written: None,
        }
    }

    /// Shows `lag`; no row without one. Unless the latest refresh `confirmed` it, its level
    /// ("caught up") is withdrawn: the figure stays, as of the last refresh.
    pub fn patch(&mut self, lag: Option<&Lag>, confirmed: bool, locale: Locale, now_ms: f64) {
        self.row.show(lag.is_some());
        let Some(lag) = lag else {
            self.ticking = None;
            return;
        };
        if self.confirmed != confirmed {
            self.confirmed = confirmed;
            self.written = None;
        }
        self.key.set(locale.text(Words::Latency));
        self.source.set(Some(lag.source.as_str()));
        self.sampled.show(lag.sampled_local_ms.is_some());
        self.ticking = Some((*lag, locale));
        self.tick(now_ms);
    }

    /// Brings the lag and the sample's age up to `now_ms`.
    pub fn tick(&mut self, now_ms: f64) {
        let Some((lag, locale)) = self.ticking else { return };
        self.write(lag.seconds_at(now_ms), locale);
        let ago = lag.sampled_ago(now_ms);
        let stalled = ago.is_some_and(|ago| ago >= SAMPLING_STOPPED_SECONDS);
        self.stalled.set(stalled.then_some("true"));
        if let Some(ago) = ago {
            let (value, unit) = intl::ago_parts(ago as f64);
            if self.sampled_written != Some((value, unit, locale, stalled)) {
                let said = if stalled { Sentence::SamplingStopped } else { Sentence::Sampled };
                self.sampled_text.set(&fill(locale.sentence(said), &[("ago", &intl::ago(locale, value, unit))]));
                self.sampled_written = Some((value, unit, locale, stalled));
            }
        }
    }

    fn write(&mut self, seconds: u64, locale: Locale) {
        if self.written == Some((seconds, locale)) {
            return;
        }
        self.written = Some((seconds, locale));
        let level = SyncLatency { seconds }.level();
        self.seconds.set(Some(&crate::oms::decimal(seconds as i64)));
        let confirmed = self.confirmed;
        self.level.set(confirmed.then_some(level.as_str()));
        self.row_level.set(Some(if confirmed { level.as_str() } else { "unconfirmed" }));
        self.value.set(&intl::duration(locale, seconds));
        self.word.set(if confirmed { locale.latency(level) } else { locale.text(Words::Unconfirmed) });
    }
}
