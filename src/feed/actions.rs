//! The OMS actions a card's feed asks, each described once: how its answer is read, when it is
//! asked, and what a refusal means. The feed runs every row the same way, through one request
//! slot each (`registry`). Adding an action: a row of api/actions.json, its decoder, a row here.

use crate::oms::{Action, Failure, Progress, TaskStep, read_progress, read_steps};
use std::sync::Arc;

/// An action's answer, decoded.
#[derive(Debug)]
pub enum Answered {
    /// `DescribeProjectProgress`.
    Progress(Arc<Progress>),
    /// `DescribeProjectSteps`.
    Steps(Arc<Vec<TaskStep>>),
}

/// When an action is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// At every poll: its answer is the card's freshness, its failure the card's alert and
    /// backoff.
    EveryPoll,
    /// After a progress answer: the first time, when the status or the step has changed, at
    /// every poll while the task runs (`while_running`), else every `at_rest` polls. A proxy
    /// that refuses it ([`refuses`]) is not asked again: the card shows what it has without it.
    AfterProgress {
        /// Asked with every poll while the task runs (rows, rates and lag move).
        while_running: bool,
        /// Polls between asks otherwise.
        at_rest: u32,
    },
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
pub const ACTIONS: [ActionSpec; 2] = [
    ActionSpec { action: Action::Progress, ask: Ask::EveryPoll, read: |data| read_progress(data).map(|p| Answered::Progress(Arc::new(p))) },
    ActionSpec {
        action: Action::Steps,
        ask: Ask::AfterProgress { while_running: true, at_rest: 6 },
        read: |data| read_steps(data).map(|s| Answered::Steps(Arc::new(s))),
    },
];

/// The request body of `action` for task `id`: each field the action takes (a task id field
/// takes `id`), as JSON.
pub fn body(action: Action, id: &str) -> String {
    let mut body = String::from("{");
    for (i, (field, kind)) in action.body().iter().enumerate() {
        match kind {
            oms_progress_api::BodyKind::ProjectId => {
                if i > 0 {
                    body.push(',');
                }
                crate::oms::push_json_string(&mut body, field);
                body.push(':');
                crate::oms::push_json_string(&mut body, id);
            }
        }
    }
    body.push('}');
    body
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
