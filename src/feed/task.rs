//! `use_task_feed`: a card's hold on the feed of its task, as a Leptos hook. It subscribes at
//! once (so the first request overlaps the first render), follows the inputs, turns updates into
//! what the card knows and into [`CardEvent`]s, and lets go when the card's owner is cleaned up.

use super::actions::Answered;
use super::registry::{self, Subscription, Update as FeedUpdate};
use crate::model::labels::{Locale, Text};
use crate::model::{CardData, CardInputs, RequestCredentials, StepsMode, failure_message};
use crate::oms::{Action, Failure, Progress};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// What the card tells its host (the custom element turns these into DOM events).
#[derive(Clone, Debug)]
pub enum CardEvent {
    /// Fresh progress (`oms-progress`): decoded, and `data` as the browser parsed it.
    Progress {
        /// The decoded progress.
        progress: Arc<Progress>,
        /// The answer's `data` object.
        data: JsValue,
    },
    /// `status` changed between two refreshes of the same task (`oms-status-change`).
    StatusChange {
        /// The raw status before, if there was one.
        from: Option<String>,
        /// The raw status now, if there is one.
        to: Option<String>,
    },
    /// A refresh failed (`oms-error`); `message` is the text the alert shows.
    Error {
        /// The classified failure.
        failure: Failure,
        /// The message shown in the alert region.
        message: String,
    },
    /// Fresh steps (`oms-steps`): `data` as the browser parsed it.
    Steps {
        /// The answer's `data` array.
        data: JsValue,
    },
    /// The task turned ready to switch over (`oms-cutover-ready`).
    CutoverReady,
}

/// A card's view of its task.
#[derive(Clone)]
pub struct TaskFeed {
    /// What the card knows: last good progress, latest failure, when, a configuration problem.
    pub data: ReadSignal<CardData>,
    /// The card's hold on its feed; it lets go when the last clone goes.
    subscription: Rc<RefCell<Option<Subscription>>>,
}

impl TaskFeed {
    /// Fetches now, replacing a request in flight.
    pub fn refresh(&self) {
        self.subscription.borrow().iter().for_each(Subscription::refresh);
    }
}

/// The inputs a feed was subscribed with.
type Wanted = (String, String, Option<RequestCredentials>, StepsMode);

/// Subscribes the current owner (a card) to the feed of its task.
pub fn use_task_feed(inputs: impl CardInputs, on_event: Option<UnsyncCallback<CardEvent>>) -> TaskFeed {
    let data = RwSignal::new(CardData::default());
    let subscription = Rc::new(RefCell::new(None::<Subscription>));

    // Dropping the old subscription aborts its request, so its answer never reaches the card.
    let connect = {
        let (subscription, inputs) = (subscription.clone(), inputs.clone());
        move |(id, proxy, credentials, steps): &Wanted| {
            subscription.replace(None);
            let id = id.trim().to_owned();
            let base = super::resolve_proxy(proxy);
            let problem = match (&base, id.is_empty()) {
                (_, true) => Some(Text::MissingProjectId),
                (None, _) if proxy.trim().is_empty() => Some(Text::MissingProxyUrl),
                (None, _) => Some(Text::InvalidProxyUrl),
                _ => None,
            };
            let steps_pending = *steps == StepsMode::Auto && problem.is_none();
            data.update(|d| *d = CardData { problem, steps_pending, project_pending: steps_pending, revision: d.revision.wrapping_add(1), ..CardData::default() });
            let Some(base) = base.filter(|_| problem.is_none()) else { return };
            let steps = *steps;
            let listener: registry::Listener = {
                let inputs = inputs.clone();
                Rc::new(move |update: &FeedUpdate| apply(data, update, steps, untrack(|| inputs.locale()), on_event))
            };
            subscription.replace(Some(registry::subscribe(base, id, *credentials, untrack(|| inputs.cadence()), steps, listener)));
        }
    };
    // At once, so the first request overlaps the first render; then whenever an input changes
    // (also between now and the effect's first run).
    let first = untrack(|| wanted(&inputs));
    connect(&first);
    Effect::new({
        let subscription = subscription.clone();
        move |connected: Option<Wanted>| {
            let inputs_now = wanted(&inputs);
            let cadence = inputs.cadence();
            if connected.as_ref().unwrap_or(&first) != &inputs_now {
                connect(&inputs_now);
            } else {
                subscription.borrow().iter().for_each(|s| s.set_cadence(cadence));
            }
            inputs_now
        }
    });
    TaskFeed { data: data.read_only(), subscription }
}

/// What a subscription depends on, read (tracked) from the inputs.
fn wanted(inputs: &impl CardInputs) -> Wanted {
    (inputs.project_id(), inputs.proxy_url(), inputs.credentials(), inputs.steps())
}

/// Applies an update from the feed to what the card knows, and tells the host. `try_*`
/// throughout: a card being torn down may still hear the update that was being delivered.
fn apply(data: RwSignal<CardData>, update: &FeedUpdate, steps: StepsMode, locale: Locale, on_event: Option<UnsyncCallback<CardEvent>>) {
    let emit = |event| {
        if let Some(callback) = on_event {
            callback.try_run(event);
        }
    };
    match update {
        FeedUpdate::Answer(answer, at, history) => match &answer.value {
            Answered::Progress(progress) => {
                let raw_status = |p: &Progress| p.status.as_ref().map(|c| c.raw.to_string());
                let before = data.try_with_untracked(|d| d.progress.clone()).flatten();
                data.try_update(|d| {
                    d.progress = Some(progress.clone());
                    d.failure = None;
                    d.updated_ms = Some(*at);
                    d.history = history.clone();
                    d.revision = d.revision.wrapping_add(1);
                });
                emit(CardEvent::Progress { progress: progress.clone(), data: answer.data.clone() });
                if let Some(before) = before {
                    let (from, to) = (raw_status(&before), raw_status(progress));
                    if from != to {
                        emit(CardEvent::StatusChange { from, to });
                    }
                }
            }
            // A card with `steps="off"` shows progress alone.
            Answered::Steps(_) | Answered::Project(_) | Answered::Verification(_) | Answered::Series(..) if steps == StepsMode::Off => return,
            // A card's feed never asks for a list.
            Answered::Projects(_) => return,
            Answered::Steps(task_steps) => {
                data.try_update(|d| {
                    d.steps = Some(task_steps.clone());
                    d.steps_pending = false;
                    d.history = history.clone();
                    d.revision = d.revision.wrapping_add(1);
                });
                emit(CardEvent::Steps { data: answer.data.clone() });
            }
            Answered::Project(project) => {
                data.try_update(|d| {
                    d.project = Some(project.clone());
                    d.project_pending = false;
                    d.revision = d.revision.wrapping_add(1);
                });
            }
            // OMS's series is in the history the feed keeps: the story is told anew from it.
            Answered::Series(..) => {
                data.try_update(|d| {
                    d.history = history.clone();
                    d.revision = d.revision.wrapping_add(1);
                });
            }
            Answered::Verification(found) => {
                data.try_update(|d| {
                    d.verification = Some(found.clone());
                    d.verification_refused = false;
                    d.revision = d.revision.wrapping_add(1);
                });
            }
        },
        FeedUpdate::Failed(failure, _) => {
            // Readiness is unknown until a refresh confirms it again (and may then turn true anew).
            data.try_update(|d| {
                d.failure = Some((**failure).clone());
                d.ready = false;
                d.revision = d.revision.wrapping_add(1);
            });
            emit(CardEvent::Error { failure: (**failure).clone(), message: failure_message(failure, locale) });
            return;
        }
        FeedUpdate::Refused(_, _) if steps == StepsMode::Off => return,
        FeedUpdate::Refused(Action::Steps, history) => {
            data.try_update(|d| {
                d.steps = None;
                d.steps_pending = false;
                d.history = history.clone();
                d.revision = d.revision.wrapping_add(1);
            });
        }
        FeedUpdate::Refused(Action::Project, _) => {
            data.try_update(|d| {
                d.project = None;
                d.project_pending = false;
                d.revision = d.revision.wrapping_add(1);
            });
        }
        FeedUpdate::Refused(Action::Verification, _) => {
            data.try_update(|d| {
                d.verification = None;
                d.verification_refused = true;
                d.revision = d.revision.wrapping_add(1);
            });
        }
        // Progress refused is a failure (above); without OMS's series, the page's own samples
        // (nothing to say: the card shows what it had).
        FeedUpdate::Refused(Action::Progress | Action::StepMetric | Action::Projects, _) => return,
    }
    // Each time readiness to switch over turns true (the first time it is seen too), and only
    // on data the latest refresh confirmed: an answer of another action may come while the
    // polls fail.
    let now = js_sys::Date::now();
    let turned_ready = data.try_update(|d| {
        d.retell(now);
        let ready = d.failure.is_none() && d.story.as_ref().and_then(|s| s.cutover.as_ref()).is_some_and(|blockers| blockers.is_empty());
        let turned = ready && !d.ready;
        d.ready = ready;
        turned
    });
    if turned_ready == Some(true) {
        emit(CardEvent::CutoverReady);
    }
}
