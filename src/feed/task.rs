//! `use_task_feed`: a card's hold on the feed of its task, as a Leptos hook. It subscribes at
//! once (so the first request overlaps the first render), follows the inputs, turns updates into
//! what the card knows and into [`CardEvent`]s, and lets go when the card's owner is cleaned up.

use super::registry::{self, Subscription, Update as FeedUpdate};
use crate::i18n::{Locale, Text};
use crate::model::{CardData, RequestCredentials, failure_message};
use crate::oms::{Failure, Progress};
use crate::schedule::Cadence;
use leptos::prelude::*;
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
}

/// The inputs that pick a card's task and say how to fetch it.
pub struct FeedInputs {
    /// The OMS task id.
    pub project_id: Signal<String>,
    /// The proxy URL.
    pub proxy_url: Signal<String>,
    /// How often, and how long a request may take.
    pub cadence: Signal<Cadence>,
    /// Whether requests carry cookies.
    pub credentials: Signal<RequestCredentials>,
}

/// A card's view of its task.
#[derive(Clone, Copy)]
pub struct TaskFeed {
    /// What the card knows: last good progress, latest failure, when, a configuration problem.
    pub data: ReadSignal<CardData>,
    subscription: StoredValue<Option<Subscription>, LocalStorage>,
}

impl TaskFeed {
    /// Fetches now, replacing a request in flight.
    pub fn refresh(&self) {
        self.subscription.with_value(|s| s.iter().for_each(Subscription::refresh));
    }
}

/// Subscribes the current owner (a card) to the feed of its task.
pub fn use_task_feed(inputs: FeedInputs, locale: Signal<Locale>, on_event: Option<UnsyncCallback<CardEvent>>) -> TaskFeed {
    let FeedInputs { project_id, proxy_url, cadence, credentials } = inputs;
    let data = RwSignal::new(CardData::default());
    let subscription = StoredValue::new_local(None::<Subscription>);
    let connected = StoredValue::new_local((String::new(), String::new(), RequestCredentials::default()));

    // Dropping the old subscription aborts its request, so its answer never reaches the card.
    let connect = move |id: String, proxy: String, credentials: RequestCredentials| {
        connected.set_value((id.clone(), proxy.clone(), credentials));
        subscription.set_value(None);
        let id = id.trim().to_owned();
        let endpoint = super::resolve_endpoint(&proxy);
        let problem = match (&endpoint, id.is_empty()) {
            (_, true) => Some(Text::MissingProjectId),
            (None, _) if proxy.trim().is_empty() => Some(Text::MissingProxyUrl),
            (None, _) => Some(Text::InvalidProxyUrl),
            _ => None,
        };
        data.set(CardData { problem, ..CardData::default() });
        let Some(endpoint) = endpoint.filter(|_| problem.is_none()) else { return };
        let listener: registry::Listener = Rc::new(move |update: &FeedUpdate| apply(data, update, locale, on_event));
        subscription.set_value(Some(registry::subscribe(endpoint, id, credentials, cadence.get_untracked(), listener)));
    };
    connect(project_id.get_untracked(), proxy_url.get_untracked(), credentials.get_untracked());
    // Then whenever an input changes (also between now and the effect's first run).
    Effect::new(move |_| {
        let wanted = (project_id.get(), proxy_url.get(), credentials.get());
        let cadence = cadence.get();
        if connected.with_value(|c| *c != wanted) {
            connect(wanted.0, wanted.1, wanted.2);
        } else {
            subscription.with_value(|s| s.iter().for_each(|s| s.set_cadence(cadence)));
        }
    });
    TaskFeed { data: data.read_only(), subscription }
}

/// Applies an update from the feed to what the card knows, and tells the host. `try_*`
/// throughout: a card being torn down may still hear the update that was being delivered.
fn apply(data: RwSignal<CardData>, update: &FeedUpdate, locale: Signal<Locale>, on_event: Option<UnsyncCallback<CardEvent>>) {
    let emit = |event| {
        if let Some(callback) = on_event {
            callback.try_run(event);
        }
    };
    match update {
        FeedUpdate::Fresh(answer, at) => {
            let raw_status = |p: &Progress| p.status.as_ref().map(|c| c.raw.clone());
            let before = data.try_with_untracked(|d| d.progress.clone()).flatten();
            data.try_update(|d| {
                d.progress = Some(answer.progress.clone());
                d.failure = None;
                d.updated_ms = Some(*at);
            });
            emit(CardEvent::Progress { progress: answer.progress.clone(), data: answer.data.clone() });
            if let Some(before) = before {
                let (from, to) = (raw_status(&before), raw_status(&answer.progress));
                if from != to {
                    emit(CardEvent::StatusChange { from, to });
                }
            }
        }
        FeedUpdate::Failed(failure, _) => {
            data.try_update(|d| d.failure = Some((**failure).clone()));
            let locale = locale.try_get_untracked().unwrap_or_default();
            emit(CardEvent::Error { failure: (**failure).clone(), message: failure_message(failure, locale) });
        }
    }
}
