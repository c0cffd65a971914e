//! What the card shows, computed in plain Rust from what the card knows: its state, the labels,
//! tones and icons of the badges, the stages and checkpoints to draw, the alert. The view only
//! reads this model (and formats numbers and times with the browser's `Intl`), so every
//! decision about what to show is tested natively here.

use super::glyphs::Glyph;
use super::labels::{Locale, Text};
use super::latency::{LatencyLevel, SyncLatency};
use super::story::{Beyond, Blocker, Eta, SharedHistory, Story, VerificationView};
use crate::oms::{Alarm, AlarmLevel, Checkpoint, Code, Failure, IncrementalStage, KnownCode, ProjectInfo, ProjectStatus, Progress, Stage, Step, TaskStep, Tone, Verification};
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
    /// What `DescribeProject` said: the task's name, its firing alarm.
    pub project: Option<Arc<ProjectInfo>>,
    /// What full verification found (`ListProjectFullVerifyResult`).
    pub verification: Option<Arc<Verification>>,
    /// The proxy does not forward the verification result.
    pub verification_refused: bool,
    /// What the page has seen of the task over its polls.
    pub history: SharedHistory,
    /// The task's story, as [`CardData::retell`] last told it.
    pub story: Option<Arc<Story>>,
    /// Whether the task was last seen ready to switch over.
    pub ready: bool,
    /// Steps are wanted and none has been heard of yet (the card keeps their room meanwhile).
    pub steps_pending: bool,
    /// `DescribeProject` is wanted and has not answered yet (its alarms decide readiness).
    pub project_pending: bool,
    /// A row of the fleet's list: what the list's answer tells, nothing asked of its own.
    pub listed: bool,
    /// Changes with every change of the above, so a view can tell cheaply whether to redraw.
    pub revision: u32,
}

impl CardData {
    /// Tells the task's story anew from what the card knows, at `now_ms` (once per answer:
    /// the readiness the card announces and the view it shows read the same story).
    pub fn retell(&mut self, now_ms: f64) {
        self.story = self.progress.as_deref().map(|progress| {
            let beyond = Beyond {
                project: self.project.as_deref(),
                verification: self.verification.as_deref(),
                verification_refused: self.verification_refused,
                pending: self.steps_pending || self.project_pending,
                listed: self.listed,
            };
            let history = self.history.lock().unwrap_or_else(|e| e.into_inner());
            Arc::new(Story::new(progress, self.steps.as_deref().map(Vec::as_slice), &history, now_ms, beyond))
        });
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
    /// An attribute's value is wrong, said with the value (the list's filters); nothing was fetched.
    Invalid(String),
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
    pub story: Arc<Story>,
    /// The task's name, from `DescribeProject`.
    pub name: Option<String>,
    /// An alarm firing now.
    pub firing: Option<Alarm>,
    /// The task failed: where and why.
    pub failure: Option<TaskFailure>,
    /// Which ring's stage failed: schema migration, full migration (or verification).
    pub failed_stage: Option<FailedStage>,
    /// Readiness to switch over, for tasks with incremental sync; never from data the latest
    /// refresh could not confirm.
    pub readiness: Option<Readiness>,
    /// The one word a dashboard sorts and colours by.
    pub attention: Attention,
    /// Time left, while the estimate is honest and confirmed by the latest refresh.
    pub eta: Option<Eta>,
    /// Whether the lag's level (caught up, lagging) may be said: the latest refresh confirmed it.
    pub lag_confirmed: bool,
    /// Full verification, for tasks with it: its status and what it found.
    pub verification: Option<VerificationView>,
}

/// The ring whose stage failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailedStage {
    /// Schema migration.
    Schema,
    /// Full migration or verification.
    Full,
}

/// A task that failed: the failed step and its error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskFailure {
    /// The failed step (raw name), when a step says so.
    pub step: Option<String>,
    /// Its meaning, when known (for its label).
    pub known: Option<crate::oms::Step>,
    /// `errorCode`.
    pub code: Option<String>,
    /// `errorMsg`.
    pub message: Option<String>,
    /// Failing since (unix s).
    pub since: Option<i64>,
    /// What OMS proposes.
    pub proposal: Option<String>,
}

/// Whether the task can switch over, as far as the card can confirm.
#[derive(Clone, Debug, PartialEq)]
pub enum Readiness {
    /// Every condition met, on fresh data.
    Ready,
    /// What still blocks it.
    NotReady(Vec<Blocker>),
    /// The latest refresh failed: nothing is confirmed (`data-ready="unknown"`).
    Unknown,
}

impl Readiness {
    /// The `data-ready` token.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ready => "true",
            Self::NotReady(_) => "false",
            Self::Unknown => "unknown",
        }
    }
}

/// The one word of `data-attention`, in the order a dashboard sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attention {
    /// The task (or a step of it) failed.
    Failed,
    /// An alarm is firing.
    Alarm,
    /// Incremental sync lags behind.
    Lagging,
    /// The latest refresh failed: what is shown is not confirmed.
    Stale,
    /// Nothing needs anyone.
    #[default]
    Ok,
    /// Finished (or released).
    Done,
}

impl Attention {
    /// The `data-attention` token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Failed => "failed",
            Self::Alarm => "alarm",
            Self::Lagging => "lagging",
            Self::Stale => "stale",
            Self::Ok => "ok",
            Self::Done => "done",
        }
    }
}

impl CardModel {
    /// The model for what the card knows, in `locale`.
    pub fn new(data: &CardData, locale: Locale) -> Self {
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
            let attention = if phase == Phase::Error { Attention::Stale } else { Attention::Ok };
            return CardModel { phase, alert, updated_ms: data.updated_ms, attention, ..CardModel::default() };
        };
        let status_known = known::<ProjectStatus>(&p.status);
        let story = data.story.clone().unwrap_or_default();
        let fresh = phase == Phase::Ready;
        let failure = task_failure(status_known, data.steps.as_deref().map(Vec::as_slice));
        let failed_stage = failure.as_ref().and_then(|f| match f.known {
            Some(Step::SchemaMigration | Step::SchemaSync | Step::IndexMigration) => Some(FailedStage::Schema),
            Some(Step::FullMigration | Step::FullSync | Step::FullVerification) => Some(FailedStage::Full),
            _ => None,
        });
        let firing = data.project.as_ref().and_then(|p| p.alarm.clone());
        let readiness = story.cutover.as_ref().map(|blockers| match (fresh, blockers.is_empty()) {
            (false, _) => Readiness::Unknown,
            (true, true) => Readiness::Ready,
            (true, false) => Readiness::NotReady(blockers.clone()),
        });
        let lagging = story.lag.is_some_and(|lag| SyncLatency { seconds: lag.seconds }.level() != LatencyLevel::CaughtUp);
        let attention = if failure.is_some() {
            Attention::Failed
        } else if firing.is_some() {
            Attention::Alarm
        } else if !fresh {
            Attention::Stale
        } else if status_known.is_some_and(ProjectStatus::is_terminal) {
            // Over: a sync that stopped when the task finished lags no more, though now − its last
            // checkpoint grows for good.
            Attention::Done
        } else if lagging && p.incremental.enabled != Some(false) {
            Attention::Lagging
        } else {
            Attention::Ok
        };
        CardModel {
            eta: story.rows.as_ref().and_then(|r| r.eta).filter(|_| fresh),
            lag_confirmed: fresh,
            verification: story.verification.clone(),
            name: data.project.as_ref().and_then(|p| p.name.as_deref()).map(clip),
            firing,
            failure,
            failed_stage,
            readiness,
            attention,
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
            story,
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

/// The task's failure: its failed step (the first of them) with its error, or a status of
/// FAILED with none.
fn task_failure(status: Option<ProjectStatus>, steps: Option<&[TaskStep]>) -> Option<TaskFailure> {
    super::story::failure_of(status, steps.unwrap_or_default()).map(|failed| match failed {
        Some(step) => TaskFailure {
            step: step.name.as_ref().map(|c| c.raw.to_string()),
            known: step.known_step(),
            code: step.error.code.clone(),
            message: step.error.message.clone(),
            since: step.error.failed,
            proposal: step.error.proposal.clone(),
        },
        None => TaskFailure::default(),
    })
}

/// Reverse sync is shown when it is on, or when the server did not say but sent a checkpoint.
fn reverse_shown(stage: &IncrementalStage) -> bool {
    stage.enabled == Some(true) || (stage.enabled.is_none() && stage.checkpoint != Checkpoint::None)
}

fn known<K: KnownCode>(code: &Option<Code<K>>) -> Option<K> {
    code.as_ref().and_then(|c| c.known)
}

fn raw<K>(code: &Option<Code<K>>) -> String {
    code.as_ref().map(|c| c.raw.to_string()).unwrap_or_default()
}

/// The human label of a code: translated when known, raw when not, "Unknown" when missing.
fn label<K: KnownCode>(code: &Option<Code<K>>, locale: Locale, translate: fn(Locale, K) -> &'static str) -> String {
    match code {
        Some(Code { known: Some(k), .. }) => translate(locale, *k).to_owned(),
        Some(Code { raw, .. }) => clip(raw),
        None => locale.text(Text::Unknown).to_owned(),
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
        assert_eq!(CardModel::new(&data(false, false), Locale::En).phase, Phase::Loading);
        assert_eq!(CardModel::new(&data(true, false), Locale::En).phase, Phase::Ready);
        assert_eq!(CardModel::new(&data(true, true), Locale::En).phase, Phase::Stale);
        assert_eq!(CardModel::new(&data(false, true), Locale::En).phase, Phase::Error);
        let problem = CardData { problem: Some(Text::MissingProxyUrl), ..CardData::default() };
        let model = CardModel::new(&problem, Locale::En);
        assert_eq!((model.phase, model.alert), (Phase::Error, Some(AlertContent::Problem(Text::MissingProxyUrl))));
    }

    #[test]
    fn a_stale_card_keeps_its_data_and_reports_the_failure() {
        let data = CardData { progress: Some(progress("SUSPEND")), failure: Some(Failure::Timeout), ..CardData::default() };
        let model = CardModel::new(&data, Locale::En);
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
        let model = CardModel::new(&CardData { progress: Some(progress("FINISHED")), ..CardData::default() }, Locale::ZhCn);
        assert_eq!((model.status.raw.as_str(), model.status.label.as_str()), ("FINISHED", "已完成"));
        assert_eq!((model.status.tone, model.status.glyph), (Tone::Success, Glyph::Check));
        let model = CardModel::new(&CardData { progress: Some(progress("MOVING_TO_MARS")), ..CardData::default() }, Locale::En);
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
        let model = CardModel::new(&CardData { progress: Some(Arc::new(p.clone())), ..CardData::default() }, Locale::En);
        assert_eq!(model.incremental, None, "off");
        assert_eq!(model.reverse, Some(Checkpoint::Unix(7)), "not said, but a checkpoint came");
        p.incremental.enabled = None;
        p.reverse = IncrementalStage::default();
        let model = CardModel::new(&CardData { progress: Some(Arc::new(p)), ..CardData::default() }, Locale::En);
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

    /// A task syncing caught up, migrated, verified equal: its card, fresh or stale.
    fn ready_task(stale: bool, alarm: Option<crate::oms::Alarm>) -> CardModel {
        use crate::oms::StepInfo;
        let mut p = Progress { status: Some(Code::new("RUNNING")), ..Progress::default() };
        p.incremental = IncrementalStage { enabled: Some(true), checkpoint: Checkpoint::Unix(1_000_000) };
        let step = |name: &str, status: &str| TaskStep { name: Some(Code::new(name)), status: Some(Code::new(status)), ..TaskStep::default() };
        let mut incr = step("INCR_TRANSFER", "MONITORING");
        incr.info = StepInfo { checkpoint: Some(1_000_000), sampled: Some(1_000_002), ..StepInfo::default() }.into();
        let steps = vec![step("FULL_TRANSFER", "FINISHED"), step("FULL_VERIFIER", "FINISHED"), incr];
        let mut data = CardData {
            progress: Some(Arc::new(p)),
            steps: Some(Arc::new(steps)),
            project: Some(Arc::new(ProjectInfo { name: Some("orders".into()), alarm, ..ProjectInfo::default() })),
            verification: Some(Arc::new(Verification { differences: Some(0), tables: Vec::new() })),
            failure: stale.then_some(Failure::Network),
            ..CardData::default()
        };
        data.retell(1_000_005_000.0);
        CardModel::new(&data, Locale::En)
    }

    #[test]
    fn a_task_that_is_over_is_done_however_old_its_last_checkpoint() {
        for (status, attention) in [("FINISHED", Attention::Done), ("RELEASED", Attention::Done), ("RUNNING", Attention::Lagging), ("SUSPEND", Attention::Lagging)] {
            let mut p = Progress { status: Some(Code::new(status)), ..Progress::default() };
            p.incremental = IncrementalStage { enabled: Some(true), checkpoint: Checkpoint::Unix(1_000_000) };
            let mut data = CardData { progress: Some(Arc::new(p)), updated_ms: Some(1_003_600_000.0), ..CardData::default() };
            data.retell(1_003_600_000.0);
            assert_eq!(CardModel::new(&data, Locale::En).attention, attention, "{status}, an hour behind");
        }
    }

    #[test]
    fn readiness_is_never_said_from_stale_data() {
        let fresh = ready_task(false, None);
        assert_eq!((fresh.readiness, fresh.attention, fresh.lag_confirmed), (Some(Readiness::Ready), Attention::Ok, true));
        assert_eq!(fresh.name.as_deref(), Some("orders"));
        let stale = ready_task(true, None);
        assert_eq!((stale.readiness.clone(), stale.attention, stale.lag_confirmed, stale.eta), (Some(Readiness::Unknown), Attention::Stale, false, None));
        assert_eq!(stale.readiness.unwrap().as_str(), "unknown");
        let alarm = ready_task(false, Some(crate::oms::Alarm { content: Some("delay".into()), count: None }));
        assert_eq!(alarm.attention, Attention::Alarm);
        assert_eq!(alarm.readiness, Some(Readiness::NotReady(vec![Blocker::AlarmFiring])));
        assert_eq!(ready_task(true, alarm.firing.clone()).attention, Attention::Alarm, "an alarm outranks staleness");
    }

    #[test]
    fn a_failed_task_says_where_why_and_what_to_do() {
        use crate::oms::StepError;
        let mut failed = TaskStep { name: Some(Code::new("FULL_TRANSFER")), status: Some(Code::new("FAILED")), ..TaskStep::default() };
        failed.error = StepError { code: Some("E12".into()), message: Some("duplicate key".into()), failed: Some(1_500), proposal: Some("Check the target.".into()) }.into();
        let data = CardData { progress: Some(progress("FAILED")), steps: Some(Arc::new(vec![failed])), ..CardData::default() };
        let model = CardModel::new(&data, Locale::En);
        assert_eq!(model.attention, Attention::Failed);
        assert_eq!(model.failed_stage, Some(FailedStage::Full));
        let failure = model.failure.unwrap();
        assert_eq!((failure.known, failure.code.as_deref(), failure.since, failure.proposal.as_deref()), (Some(Step::FullMigration), Some("E12"), Some(1_500), Some("Check the target.")));
        // A FAILED status without steps still looks failed.
        let model = CardModel::new(&CardData { progress: Some(progress("FAILED")), ..CardData::default() }, Locale::En);
        assert_eq!((model.attention, model.failure, model.failed_stage), (Attention::Failed, Some(TaskFailure::default()), None));
        assert_eq!(CardModel::new(&CardData { progress: Some(progress("FINISHED")), ..CardData::default() }, Locale::En).attention, Attention::Done);
        assert!(Attention::Failed < Attention::Alarm && Attention::Alarm < Attention::Lagging && Attention::Stale < Attention::Ok && Attention::Ok < Attention::Done);
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
