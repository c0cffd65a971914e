//! The OMS actions a card's feed asks, each described once: how its answer is read, when it is
//! asked, and what a refusal means. The feed runs every row the same way, through one request
//! slot each (`registry`). Adding an action: a row of api/actions.json, its decoder, a row here.

use crate::oms::{Action, Failure, Progress, ProjectInfo, Step, StepStatus, TaskStep, Verification, read_progress, read_project, read_steps, read_verification};
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
}

/// Polls between asks of what changes slowly (every 30 s at the default interval).
const AT_REST: u32 = 6;

/// The raw status and step of the task.
fn status_and_step(known: &Known) -> Option<String> {
    let raw = |code: Option<&str>| code.unwrap_or_default().to_owned();
    let p = known.progress;
    Some([raw(p.status.as_ref().map(|c| c.raw.as_str())), raw(p.current_step.as_ref().map(|c| c.raw.as_str()))].join("/"))
}

/// The full verification step's status, once it has started.
fn verifier_started(known: &Known) -> Option<String> {
    let verifier = known.steps?.iter().find(|s| s.known_step() == Some(Step::FullVerification))?;
    let status = verifier.status.as_ref()?;
    (status.known != Some(StepStatus::Init)).then(|| status.raw.clone())
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
pub const ACTIONS: [ActionSpec; 4] = [
    ActionSpec { action: Action::Progress, ask: Ask::EveryPoll, read: |data| read_progress(data).map(|p| Answered::Progress(Arc::new(p))) },
    ActionSpec {
        action: Action::Steps,
        ask: Ask::WhenDue { key: status_and_step, while_running: true, at_rest: AT_REST },
        read: |data| read_steps(data).map(|s| Answered::Steps(Arc::new(s))),
    },
    ActionSpec {
        action: Action::Project,
        ask: Ask::WhenDue { key: |known| known.progress.status.as_ref().map(|s| s.raw.clone()), while_running: false, at_rest: AT_REST },
        read: |data| read_project(data).map(|p| Answered::Project(Arc::new(p))),
    },
    ActionSpec {
        action: Action::Verification,
        ask: Ask::WhenDue { key: verifier_started, while_running: false, at_rest: AT_REST },
        read: |data| read_verification(data).map(|v| Answered::Verification(Arc::new(v))),
    },
];

/// The request body of `action` for task `id`: each field the action takes, as JSON (a task id
/// field takes `id`; of a list, the first page, as large as OMS allows); `None` for an action
/// whose body says more than which task (a step's metric names its step, metric and window).
pub fn body(action: Action, id: &str) -> Option<String> {
    use oms_progress_api::BodyKind;
    let mut body = String::from("{");
    for (i, (field, kind)) in action.body().iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        crate::oms::push_json_string(&mut body, field);
        body.push(':');
        match kind {
            BodyKind::ProjectId => crate::oms::push_json_string(&mut body, id),
            BodyKind::PageNumber => body.push('1'),
            BodyKind::PageSize => body.push_str(&crate::oms::decimal(i64::from(oms_progress_api::MAX_PAGE_SIZE))),
            BodyKind::StepName | BodyKind::MetricType | BodyKind::Aggregator | BodyKind::BeginTimestamp | BodyKind::EndTimestamp | BodyKind::MaxPointNum => return None,
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
