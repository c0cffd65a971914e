//! The OMS actions a card's feed asks, each described once: how its answer is read, when it is
//! asked, and what a refusal means. The feed runs every row the same way, through one request
//! slot each (`registry`). Adding an action: a row of api/actions.json, its decoder, a row here.

use crate::model::constants::{HISTORY_POINTS, HISTORY_SECONDS};
use crate::model::story::SeriesKind;
use crate::oms::{Action, Failure, ListedTask, MetricSeries, read_listed, Progress, ProjectInfo, Step, StepStatus, TaskStep, Verification, read_metric, read_progress, read_project, read_steps, read_verification};
use std::sync::Arc;

/// An action's answer, decoded.
#[derive(Debug)]
pub enum Answered {
    /// `DescribeProjectProgress`.
    Progress(Arc<Progress>),
    /// `DescribeProjectSteps`.
    Steps(Arc<Vec<TaskStep>>),
    /// `DescribeProject`.
    Project(Arc<ProjectInfo>),
    /// `ListProjectFullVerifyResult`.
    Verification(Arc<Verification>),
    /// `DescribeProjectStepMetric`: OMS's series of the step its slot asked.
    Series(SeriesKind, Arc<MetricSeries>),
    /// `ListProjects`: one page of the fleet (the list's feed asks it, never a card's).
    Projects(Arc<Vec<ListedTask>>),
}

/// What a feed knows of its task when it decides what to ask next.
pub struct Known<'a> {
    /// The latest progress.
    pub progress: &'a Progress,
    /// The latest steps, if any came.
    pub steps: Option<&'a [TaskStep]>,
}

/// When an action is asked.
#[derive(Clone, Copy, Debug)]
pub enum Ask {
    /// At every poll: its answer is the card's freshness, its failure the card's alert and
    /// backoff.
    EveryPoll,
    /// After an answer, when due: only while `key` of what the feed knows is something; at
    /// once the first time and whenever that key changes; with every poll while the task runs
    /// (`while_running`), else every `at_rest` polls. A proxy that refuses it ([`refuses`]) is
    /// not asked again: the card shows what it has without it.
    WhenDue {
        /// What, when it changes, makes the action due at once; `None`: not asked.
        key: fn(&Known) -> Option<String>,
        /// Asked with every poll while the task runs (rows, rates and lag move).
        while_running: bool,
        /// Polls between asks otherwise.
        at_rest: u32,
    },
    /// OMS's series of a step's metric: while `step` of what the feed knows names a step, at
    /// once when it changes, then every [`HISTORY_EVERY_SECONDS`](crate::model::constants::HISTORY_EVERY_SECONDS)
    /// (checked at each poll), whatever its answers were. A refusal as for `WhenDue`.
    Series {
        /// The step whose series to ask (its raw name); `None`: not asked.
        step: fn(&Known) -> Option<String>,
        /// The metric asked.
        metric: &'static str,
    },
}

/// Polls between asks of what changes slowly (every 30 s at the default interval).
const AT_REST: u32 = 6;

/// The raw status and step of the task.
fn status_and_step(known: &Known) -> Option<String> {
    let raw = |code: Option<&str>| code.unwrap_or_default().to_owned();
    let p = known.progress;
    Some([raw(p.status.as_ref().map(|c| &*c.raw)), raw(p.current_step.as_ref().map(|c| &*c.raw))].join("/"))
}

/// The full verification step's status, once it has started.
fn verifier_started(known: &Known) -> Option<String> {
    let verifier = known.steps?.iter().find(|s| s.known_step() == Some(Step::FullVerification))?;
    let status = verifier.status.as_ref()?;
    (status.known != Some(StepStatus::Init)).then(|| status.raw.to_string())
}

/// The step of `known` whose `metric` OMS keeps: the first of `wanted` that the steps show
/// started and matching `started`, or before any steps, the progress's current step (so the
/// series is asked beside the first steps, not after them).
fn series_step(known: &Known, wanted: &[Step], metric: &str, started: impl Fn(StepStatus) -> bool) -> Option<String> {
    let raw = match known.steps {
        Some(steps) => wanted.iter().find_map(|want| {
            steps.iter().find(|s| s.known_step() == Some(*want) && s.known_status().is_some_and(&started)).and_then(|s| s.name.as_ref())
        })?,
        None => known.progress.current_step.as_ref().filter(|c| c.known.is_some_and(|k| wanted.contains(&k)))?,
    };
    // OMS refuses a step it keeps no such metric of (and so would the proxy).
    oms_progress_api::is_step_metric(&raw.raw, metric).then(|| raw.raw.to_string())
}

/// The incremental sync whose lag the card charts (the forward one, else the reverse), once
/// it has started.
fn lag_step(known: &Known) -> Option<String> {
    series_step(known, &[Step::IncrSync, Step::ReverseIncrSync], "DELAY", |status| status != StepStatus::Init)
}

/// The full migration, while it runs (its rate is the first ETA's).
fn rate_step(known: &Known) -> Option<String> {
    series_step(known, &[Step::FullMigration], "RPS", |status| status == StepStatus::Running).filter(|_| known.progress.is_running())
}

/// One row: an action the card asks.
pub struct ActionSpec {
    /// The action (its name and body: `oms_progress_api`).
    pub action: Action,
    /// When it is asked.
    pub ask: Ask,
    /// Reads its answer's `data`; `None` when it has the wrong shape.
    pub read: fn(&wasm_bindgen::JsValue) -> Option<Answered>,
}

/// Every action a feed may ask; the first is the one asked at every poll.
pub const ACTIONS: [ActionSpec; 6] = [
    ActionSpec { action: Action::Progress, ask: Ask::EveryPoll, read: |data| read_progress(data).map(|p| Answered::Progress(Arc::new(p))) },
    ActionSpec {
        action: Action::Steps,
        ask: Ask::WhenDue { key: status_and_step, while_running: true, at_rest: AT_REST },
        read: |data| read_steps(data).map(|s| Answered::Steps(Arc::new(s))),
    },
    ActionSpec {
        action: Action::Project,
        ask: Ask::WhenDue { key: |known| known.progress.status.as_ref().map(|s| s.raw.to_string()), while_running: false, at_rest: AT_REST },
        read: |data| read_project(data).map(|p| Answered::Project(Arc::new(p))),
    },
    ActionSpec {
        action: Action::Verification,
        ask: Ask::WhenDue { key: verifier_started, while_running: false, at_rest: AT_REST },
        read: |data| read_verification(data).map(|v| Answered::Verification(Arc::new(v))),
    },
    ActionSpec {
        action: Action::StepMetric,
        ask: Ask::Series { step: lag_step, metric: "DELAY" },
        read: |data| read_metric(data).map(|m| Answered::Series(SeriesKind::Lag, Arc::new(m))),
    },
    ActionSpec {
        action: Action::StepMetric,
        ask: Ask::Series { step: rate_step, metric: "RPS" },
        read: |data| read_metric(data).map(|m| Answered::Series(SeriesKind::Rate, Arc::new(m))),
    },
];

/// The fleet's list, asked by the list's own feed (`feed::list`), page by page.
pub static LIST: ActionSpec = ActionSpec { action: Action::Projects, ask: Ask::EveryPoll, read: |data| read_listed(data).map(|t| Answered::Projects(Arc::new(t))) };

/// What a step's metric is asked for: the step, the metric, and the window's end (unix s).
pub struct SeriesAsk<'a> {
    /// The step's raw name.
    pub step: &'a str,
    /// The metric.
    pub metric: &'a str,
    /// The end of the window, on the minute (so every viewer of the task asks the same).
    pub end_s: i64,
}

/// Each point of a series averages its 5 minutes (`NONE` would pick one sample of them).
const AGGREGATOR: &str = "AVG";

/// The request body of `action` for task `id`: each field the action takes, as JSON (a task id
/// field takes `id`; of a list, the first page, as large as OMS allows; of a step's metric,
/// what `series` says, over the last [`HISTORY_SECONDS`] in [`HISTORY_POINTS`] points); `None`
/// for a step's metric without `series`.
pub fn body(action: Action, id: &str, series: Option<&SeriesAsk>) -> Option<String> {
    use oms_progress_api::BodyKind;
    let mut body = String::from("{");
    // A list's filters are left out: the card asks for no list.
    for (i, (field, kind)) in action.body().iter().filter(|(_, kind)| !kind.is_optional()).enumerate() {
        if i > 0 {
            body.push(',');
        }
        crate::oms::push_json_string(&mut body, field);
        body.push(':');
        match kind {
            BodyKind::ProjectId => crate::oms::push_json_string(&mut body, id),
            BodyKind::PageNumber => body.push('1'),
            BodyKind::PageSize => body.push_str(&crate::oms::decimal(i64::from(oms_progress_api::MAX_PAGE_SIZE))),
            BodyKind::StepName => crate::oms::push_json_string(&mut body, series?.step),
            BodyKind::MetricType => crate::oms::push_json_string(&mut body, series?.metric),
            BodyKind::Aggregator => crate::oms::push_json_string(&mut body, AGGREGATOR),
            BodyKind::BeginTimestamp => body.push_str(&crate::oms::decimal(series?.end_s - HISTORY_SECONDS as i64)),
            BodyKind::EndTimestamp => body.push_str(&crate::oms::decimal(series?.end_s)),
            BodyKind::MaxPointNum => body.push_str(&crate::oms::decimal(HISTORY_POINTS as i64)),
            BodyKind::SearchKey | BodyKind::ProjectType | BodyKind::ProjectStatuses | BodyKind::LabelIds | BodyKind::SortField | BodyKind::SortOrder => return None,
        }
    }
    body.push('}');
    Some(body)
}

/// Whether a failed request means the proxy does not forward the action: any 4xx but those
/// about the viewer or the moment, or an envelope saying the action is unsupported.
pub fn refuses(failure: &Failure) -> bool {
    let says = |word: &[u8]| failure.code().is_some_and(|code| code.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word)));
    // A viewer whose sign-in lapsed (401, or the proxy's 403 for the viewer rather than the
    // operation), a slow body (408) or a rate limit (429) says nothing about the operation:
    // it is asked again. Another 403 (nginx allowing progress only) refuses the operation.
    let viewer = failure.code().is_some_and(|c| c == crate::oms::UNAUTHENTICATED_CODE || c == crate::oms::FORBIDDEN_PROJECT_CODE);
    let passing = |status: u16| viewer || matches!(status, 401 | 408 | 429);
    says(b"UNSUPPORTED") || says(b"NOT_SUPPORT") || failure.http_status().is_some_and(|status| (400..500).contains(&status) && !passing(status))
}
