//! What the card shows, computed in plain Rust from what the card knows: its state, the labels,
//! tones and icons of the badges, the stages and checkpoints to draw, the alert. The view only
//! reads this model (and formats numbers and times with the browser's `Intl`), so every
//! decision about what to show is tested natively here.

use crate::i18n::{Locale, Text};
use crate::oms::{AlarmLevel, Checkpoint, Code, Failure, IncrementalStage, KnownCode, ProjectStatus, Progress, Stage, TaskStep, Tone};
use crate::story::{SharedHistory, Story};
use std::sync::Arc;

/// What the card knows about its task: the last good progress, the latest failure, when it
/// last refreshed, and a configuration problem that stops it from asking at all.
#[derive(Clone, Debug, Default)]
pub struct CardData {
    /// The last progress that arrived.
    pub progress: Option<Arc<Progress>>,
    /// Set while the latest refresh failed.
    pub failure: Option<Failure>,
    /// When the last progress arrived (unix ms).
    pub updated_ms: Option<f64>,
    /// A missing or invalid attribute.
    pub problem: Option<Text>,
    /// The latest steps, unless the card shows progress alone.
    pub steps: Option<Arc<Vec<TaskStep>>>,
    /// What the page has seen of the task over its polls.
    pub history: SharedHistory,
    /// Whether the task was last seen ready to switch over.
    pub ready: bool,
    /// Steps are wanted and none has been heard of yet (the card keeps their room meanwhile).
    pub steps_pending: bool,
    /// Changes with every change of the above, so a view can tell cheaply whether to redraw.
    pub revision: u32,
}

impl CardData {
    /// The task's story at `now_ms`, once there is progress.
    pub fn story(&self, now_ms: f64) -> Option<Story> {
        let progress = self.progress.as_deref()?;
        Some(Story::new(progress, self.steps.as_deref().map(Vec::as_slice), &self.history.lock().unwrap_or_else(|e| e.into_inner()), now_ms))
    }
}

/// The card's lifecycle, as in the `data-state` hook.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    /// Nothing yet.
    #[default]
    Loading,
    /// Fresh data.
    Ready,
    /// The last good data, while the latest refresh failed.
    Stale,
    /// Failed, no data yet.
    Error,
}

impl Phase {
    /// The `data-state` token.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Loading => "loading",
            Phase::Ready => "ready",
            Phase::Stale => "stale",
            Phase::Error => "error",
        }
    }
}

/// A badge: the raw code, its label, its colour and its icon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BadgeModel {
    /// The value as the server sent it (`data-value`), empty when missing.
    pub raw: String,
    /// The human label: translated when known, raw when not, "Unknown" when missing.
    pub label: String,
    /// The colour family.
    pub tone: Tone,
    /// The icon.
    pub glyph: Glyph,
}

/// What the alert region reports.
#[derive(Clone, Debug, PartialEq)]
pub enum AlertContent {
    /// The latest refresh failed.
    Failure(Failure),
    /// An attribute is missing or invalid; nothing was fetched.
    Problem(Text),
}

/// Everything the card shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardModel {
    /// `data-state`.
    pub phase: Phase,
    /// Progress is shown and its steps are still on their way (`data-steps="pending"`).
    pub steps_pending: bool,
    /// The status badge.
    pub status: BadgeModel,
    /// The alarm badge.
    pub alarm: BadgeModel,
    /// The current step: raw (`data-value`) and label.
    pub step: BadgeModel,
    /// Schema migration.
    pub schema: Stage,
    /// Full migration.
    pub full: Stage,
    /// The incremental checkpoint; `None` when incremental sync is off.
    pub incremental: Option<Checkpoint>,
    /// The reverse checkpoint; `None` when reverse sync is not shown.
    pub reverse: Option<Checkpoint>,
    /// The alert, while there is something to report.
    pub alert: Option<AlertContent>,
    /// When the last progress arrived (unix ms).
    pub updated_ms: Option<f64>,
    /// The task's story.
    pub story: Story,
}

impl CardModel {
    /// The model for what the card knows, in `locale`, at `now_ms`.
    pub fn new(data: &CardData, locale: Locale, now_ms: f64) -> Self {
        let failed = data.failure.is_some() || data.problem.is_some();
        let phase = match (data.progress.is_some(), failed) {
            (false, false) => Phase::Loading,
            (true, false) => Phase::Ready,
            (true, true) => Phase::Stale,
            (false, true) => Phase::Error,
        };
        let alert = match (&data.problem, &data.failure) {
            (Some(problem), _) => Some(AlertContent::Problem(*problem)),
            (None, Some(failure)) => Some(AlertContent::Failure(failure.clone())),
            (None, None) => None,
        };
        let Some(p) = data.progress.as_deref() else {
            return CardModel { phase, alert, updated_ms: data.updated_ms, ..CardModel::default() };
        };
        let status_known = known::<ProjectStatus>(&p.status);
        CardModel {
            phase,
            steps_pending: data.steps_pending && phase == Phase::Ready,
            status: BadgeModel {
                raw: raw(&p.status),
                label: label(&p.status, locale, Locale::status),
                tone: status_known.map_or(Tone::Neutral, ProjectStatus::tone),
                glyph: Glyph::for_status(status_known),
            },
            alarm: BadgeModel {
                raw: raw(&p.alarm_level),
                label: label(&p.alarm_level, locale, Locale::alarm),
                tone: known::<AlarmLevel>(&p.alarm_level).map_or(Tone::Neutral, AlarmLevel::tone),
                glyph: Glyph::Bell,
            },
            step: BadgeModel {
                raw: raw(&p.current_step),
                label: label(&p.current_step, locale, Locale::step),
                tone: Tone::Neutral,
                glyph: Glyph::Circle,
            },
            schema: p.schema,
            full: p.full,
            incremental: (p.incremental.enabled != Some(false)).then(|| p.incremental.visible_checkpoint().clone()),
            reverse: reverse_shown(&p.reverse).then(|| p.reverse.visible_checkpoint().clone()),
            alert,
            updated_ms: data.updated_ms,
            story: data.story(now_ms).unwrap_or_default(),
        }
    }

    /// Whether there is progress to show (fresh or stale).
    pub fn has_data(&self) -> bool {
        matches!(self.phase, Phase::Ready | Phase::Stale)
    }

    /// The incremental checkpoint as unix seconds, when it is a timestamp (for the latency).
    pub fn incremental_unix(&self) -> Option<i64> {
        match self.incremental {
            Some(Checkpoint::Unix(seconds)) => Some(seconds),
            _ => None,
        }
    }
}

/// Reverse sync is shown when it is on, or when the server did not say but sent a checkpoint.
fn reverse_shown(stage: &IncrementalStage) -> bool {
    stage.enabled == Some(true) || (stage.enabled.is_none() && stage.checkpoint != Checkpoint::None)
}

fn known<K: KnownCode>(code: &Option<Code<K>>) -> Option<K> {
    code.as_ref().and_then(|c| c.known)
}

fn raw<K>(code: &Option<Code<K>>) -> String {
    code.as_ref().map(|c| c.raw.clone()).unwrap_or_default()
}

/// The human label of a code: translated when known, raw when not, "Unknown" when missing.
fn label<K: KnownCode>(code: &Option<Code<K>>, locale: Locale, translate: fn(Locale, K) -> &'static str) -> String {
    match code {
        Some(Code { known: Some(k), .. }) => translate(locale, *k).to_owned(),
        Some(Code { raw, .. }) => clip(raw),
        None => locale.text(Text::Unknown).to_owned(),
    }
}

/// The colour scheme of the card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Follows `prefers-color-scheme`.
    #[default]
    Auto,
    /// Light, whatever the system says.
    Light,
    /// Dark, whatever the system says.
    Dark,
}

impl Theme {
    /// Reads the `theme` attribute; anything but `light` or `dark` means auto.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("light") => Self::Light,
            Some("dark") => Self::Dark,
            _ => Self::Auto,
        }
    }

    /// The token used in the `data-theme` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

/// How much of the card to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Everything, stacked.
    #[default]
    Full,
    /// One dense column with small rings and only the sync latency: for dashboards of many
    /// tasks.
    Compact,
}

impl Layout {
    /// Reads the `layout` attribute; anything but `compact` means full.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("compact") => Self::Compact,
            _ => Self::Full,
        }
    }

    /// The token used in the `data-layout` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Compact => "compact",
        }
    }
}

/// Whether the card also asks `DescribeProjectSteps` (the `steps` attribute).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StepsMode {
    /// Ask for steps too, unless the proxy refuses the operation.
    #[default]
    Auto,
    /// Progress only.
    Off,
}

impl StepsMode {
    /// Reads the `steps` attribute; anything but `off` means auto.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("off") => Self::Off,
            _ => Self::Auto,
        }
    }
}

/// Whether requests carry cookies and HTTP authentication (the `credentials` attribute), as in
/// `fetch()`'s `credentials` option.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RequestCredentials {
    /// No attribute: the page's `configure({ credentials })`, else `same-origin`.
    #[default]
    PageDefault,
    /// Only to the page's own origin.
    SameOrigin,
    /// Also to a cross-origin proxy (which must allow it).
    Include,
    /// Never.
    Omit,
}

impl RequestCredentials {
    /// Reads the `credentials` attribute; absent or unknown means the page's default.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("include") => Self::Include,
            Some("omit") => Self::Omit,
            Some("same-origin") => Self::SameOrigin,
            _ => Self::PageDefault,
        }
    }

    /// The `fetch()` option value; empty for the page's default (resolved in `fetch.js`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PageDefault => "",
            Self::SameOrigin => "same-origin",
            Self::Include => "include",
            Self::Omit => "omit",
        }
    }
}

/// The message a failure shows: the server's own, or what its kind means in `locale`.
/// A refused viewer is always told in the card's own words and language (the code stays).
pub fn failure_message(failure: &Failure, locale: Locale) -> String {
    let own = failure.kind() == crate::oms::FailureKind::Auth;
    failure.report().and_then(|r| r.message.clone()).filter(|_| !own).unwrap_or_else(|| locale.failure(failure).to_owned())
}

/// Longest server string shown: a hostile or broken server may send megabytes.
pub const MAX_SHOWN_CHARS: usize = 400;

/// A server string cut to [`MAX_SHOWN_CHARS`] characters, with an ellipsis when cut.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((cut, _)) => [&text[..cut], "…"].concat(),
        None => text.to_owned(),
    }
}

/// The icon of a badge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Glyph {
    Play,
    Check,
    Pause,
    Cross,
    Warning,
    #[default]
    Circle,
    Dash,
    Question,
    Bell,
}

impl Glyph {
    /// The icon for a status; a question mark for a status this version does not know.
    pub fn for_status(status: Option<ProjectStatus>) -> Self {
        use ProjectStatus::*;
        match status {
            Some(Running | RunningModifying | RunningMerging) => Glyph::Play,
            Some(RunningAlarming) => Glyph::Warning,
            Some(Suspend) => Glyph::Pause,
            Some(Failed) => Glyph::Cross,
            Some(Finished) => Glyph::Check,
            Some(Init | Unconfigured) => Glyph::Circle,
            Some(Releasing | Released | Deleted) => Glyph::Dash,
            None => Glyph::Question,
        }
    }

    /// The icon's SVG path (a 16×16 view box, stroked).
    pub fn path(self) -> &'static str {
        match self {
            Glyph::Play => "M5 3.5v9l7-4.5z",
            Glyph::Check => "M3 8.5l3.2 3L13 4.5",
            Glyph::Pause => "M5.5 3.5v9M10.5 3.5v9",
            Glyph::Cross => "M4 4l8 8M12 4l-8 8",
            Glyph::Warning => "M8 2 14.5 13.5h-13zM8 6.5v3.5M8 11.5v.5",
            Glyph::Circle => "M8 3a5 5 0 1 0 0 10A5 5 0 1 0 8 3z",
            Glyph::Dash => "M4 8h8",
            Glyph::Question => "M6 6a2 2 0 1 1 3 1.7c-.6.4-1 .8-1 1.5V10M8 12v.5",
            Glyph::Bell => "M4 11V7.5a4 4 0 0 1 8 0V11l1 1H3zM6.5 13.5a1.5 1.5 0 0 0 3 0",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oms::Progress;

    fn progress(status: &str) -> Arc<Progress> {
        Arc::new(Progress { status: Some(Code::new(status)), ..Progress::default() })
    }

    #[test]
    fn phases() {
        let data = |with_progress: bool, failed: bool| CardData {
            progress: with_progress.then(|| progress("RUNNING")),
            failure: failed.then_some(Failure::Network),
            ..CardData::default()
        };
        assert_eq!(CardModel::new(&data(false, false), Locale::En, 0.0).phase, Phase::Loading);
        assert_eq!(CardModel::new(&data(true, false), Locale::En, 0.0).phase, Phase::Ready);
        assert_eq!(CardModel::new(&data(true, true), Locale::En, 0.0).phase, Phase::Stale);
        assert_eq!(CardModel::new(&data(false, true), Locale::En, 0.0).phase, Phase::Error);
        let problem = CardData { problem: Some(Text::MissingProxyUrl), ..CardData::default() };
        let model = CardModel::new(&problem, Locale::En, 0.0);
        assert_eq!((model.phase, model.alert), (Phase::Error, Some(AlertContent::Problem(Text::MissingProxyUrl))));
    }

    #[test]
    fn a_stale_card_keeps_its_data_and_reports_the_failure() {
        let data = CardData { progress: Some(progress("SUSPEND")), failure: Some(Failure::Timeout), ..CardData::default() };
        let model = CardModel::new(&data, Locale::En, 0.0);
        assert_eq!(model.status.label, "Paused");
        assert!(model.has_data());
        assert!(matches!(model.alert, Some(AlertContent::Failure(Failure::Timeout))));
    }

    #[test]
    fn a_refused_viewer_is_told_in_the_cards_own_words() {
        let report = crate::oms::ServerReport { message: Some("Sign in again: the proxy did not accept your credentials.".into()), ..Default::default() };
        let refused = Failure::Http { status: 403, report: report.clone() };
        assert_eq!(failure_message(&refused, Locale::ZhCn), "您无权查看此任务。");
        assert!(failure_message(&Failure::Http { status: 401, report }, Locale::En).starts_with("Sign in again"));
        let other = Failure::Http { status: 500, report: crate::oms::ServerReport { message: Some("boom".into()), ..Default::default() } };
        assert_eq!(failure_message(&other, Locale::ZhCn), "boom", "other failures keep the server's message");
    }

    #[test]
    fn badges_translate_known_codes_and_keep_unknown_ones() {
        let model = CardModel::new(&CardData { progress: Some(progress("FINISHED")), ..CardData::default() }, Locale::ZhCn, 0.0);
        assert_eq!((model.status.raw.as_str(), model.status.label.as_str()), ("FINISHED", "已完成"));
        assert_eq!((model.status.tone, model.status.glyph), (Tone::Success, Glyph::Check));
        let model = CardModel::new(&CardData { progress: Some(progress("MOVING_TO_MARS")), ..CardData::default() }, Locale::En, 0.0);
        assert_eq!(model.status.label, "MOVING_TO_MARS");
        assert_eq!((model.status.tone, model.status.glyph), (Tone::Neutral, Glyph::Question));
        assert_eq!(model.alarm.label, "Unknown", "a missing code");
        assert_eq!(model.alarm.raw, "");
    }

    #[test]
    fn incremental_and_reverse_rows() {
        let mut p = Progress::default();
        p.incremental = IncrementalStage { enabled: Some(false), checkpoint: Checkpoint::Unix(5) };
        p.reverse = IncrementalStage { enabled: None, checkpoint: Checkpoint::Unix(7) };
        let model = CardModel::new(&CardData { progress: Some(Arc::new(p.clone())), ..CardData::default() }, Locale::En, 0.0);
        assert_eq!(model.incremental, None, "off");
        assert_eq!(model.reverse, Some(Checkpoint::Unix(7)), "not said, but a checkpoint came");
        p.incremental.enabled = None;
        p.reverse = IncrementalStage::default();
        let model = CardModel::new(&CardData { progress: Some(Arc::new(p)), ..CardData::default() }, Locale::En, 0.0);
        assert_eq!(model.incremental_unix(), Some(5));
        assert_eq!(model.reverse, None);
    }

    #[test]
    fn failure_messages() {
        let f = Failure::undecodable(200, crate::oms::DecodeIssue::Html);
        assert!(failure_message(&f, Locale::En).contains("HTML page"));
        let report = crate::oms::ServerReport { message: Some("服务不可用".into()), ..Default::default() };
        let f = Failure::Http { status: 503, report };
        assert_eq!(failure_message(&f, Locale::En), "服务不可用", "the server's words win");
    }

    #[test]
    fn theme_and_layout_attributes() {
        assert_eq!(Theme::from_attribute(Some(" DARK ")), Theme::Dark);
        assert_eq!(Theme::from_attribute(Some("neon")), Theme::Auto);
        assert_eq!(Theme::from_attribute(None).as_str(), "auto");
        assert_eq!(Layout::from_attribute(Some("Compact")), Layout::Compact);
        assert_eq!(Layout::from_attribute(Some("tiny")).as_str(), "full");
        assert_eq!(StepsMode::from_attribute(Some(" OFF ")), StepsMode::Off);
        assert_eq!(StepsMode::from_attribute(Some("never")), StepsMode::Auto);
        assert_eq!(RequestCredentials::from_attribute(Some("Include")).as_str(), "include");
        assert_eq!(RequestCredentials::from_attribute(Some("omit")), RequestCredentials::Omit);
        assert_eq!(RequestCredentials::from_attribute(Some("same-origin")), RequestCredentials::SameOrigin);
        // Absent or unknown: whatever the page configured (resolved where the request is made).
        assert_eq!(RequestCredentials::from_attribute(Some("cookies please")), RequestCredentials::PageDefault);
        assert_eq!(RequestCredentials::from_attribute(None).as_str(), "");
    }

    #[test]
    fn long_server_strings_are_clipped() {
        let long = "x".repeat(5000);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), MAX_SHOWN_CHARS + 1);
        assert!(clipped.ends_with('…'));
        assert_eq!(clip("短い"), "短い");
    }
}
