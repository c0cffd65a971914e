//! Feeds: one per (proxy, task, credentials), shared by every card on the page that shows it.
//!
//! A feed owns its timer and backoff state, one request slot per action of [`ACTIONS`] (the
//! first asked at every poll, the others after it when they are due), and what the page has
//! seen of the task (its [`History`](crate::model::story::History)); the registry owns the page
//! listeners while any feed exists. Nothing here is held across a call to a listener, so a
//! listener may subscribe or unsubscribe (a host page's event handler may remove a card).

use super::actions::{ACTIONS, ActionSpec, Answered, Ask, Known, SeriesAsk, body, refuses};
use crate::model::constants::HISTORY_EVERY_SECONDS;
use super::client::{self, Outcome};
use super::page::{PageWatch, Timer};
use crate::model::{Cadence, RequestCredentials, StepsMode};
use crate::oms::{Action, Failure};
use super::schedule::next_delay_ms;
use crate::model::story::SharedHistory;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

/// A fresh answer: the decoded value and `data` as the browser parsed it (the `detail` of the
/// card's events).
pub struct Delivered {
    /// What the answer says.
    pub value: Answered,
    /// The answer's `data`.
    pub data: JsValue,
}

/// What a subscriber hears from its feed, with what the page has seen of the task so far.
pub enum Update {
    /// A fresh answer, received at the given time (unix ms).
    Answer(Rc<Delivered>, f64, SharedHistory),
    /// The latest refresh failed at the given time (unix ms); earlier answers stay valid.
    Failed(Rc<Failure>, f64),
    /// The proxy does not forward this action: show the task without it.
    Refused(Action, SharedHistory),
}

/// A subscriber's callback.
pub type Listener = Rc<dyn Fn(&Update)>;

/// Why a feed is asked to fetch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Trigger {
    /// Its timer fired.
    Timer,
    /// The page became visible or the browser came back online.
    Wake,
    /// The refresh button: replaces a request in flight.
    Manual,
    /// An action fell due after a progress answer.
    Due,
}

/// (the proxy's base URL, made absolute; project id; credentials mode).
type Key = (String, String, Option<RequestCredentials>);

struct Subscriber {
    id: u64,
    cadence: Cadence,
    steps: StepsMode,
    listener: Listener,
}

impl Subscriber {
    /// Whether this card wants `action` asked: progress always; the rest of the task's story
    /// unless it shows progress alone.
    fn wants(&self, action: Action) -> bool {
        action == Action::Progress || self.steps == StepsMode::Auto
    }
}

/// One action's request slot in a feed.
struct Slot {
    spec: &'static ActionSpec,
    /// Where it is sent, and the body: fixed for the feed's proxy and task (a series's body is
    /// written each time it falls due: its window moves).
    endpoint: String,
    body: String,
    /// The request in flight: its sequence number and abort handle.
    in_flight: Option<(u64, AbortController)>,
    /// The latest answer, and when it came.
    last: Option<(Rc<Delivered>, f64)>,
    /// The proxy refused the action: it is not asked again.
    refused: bool,
    /// Progress answers since the action was last asked.
    polls_since: u32,
    /// What made it due last (see [`Ask::WhenDue`]; for [`Ask::Series`], its step).
    key: Option<String>,
    /// When it was last asked (local ms).
    asked_at: Option<f64>,
}

impl Slot {
    /// Whether to ask the action now (see [`Ask`]): `wanted`, a card wants it; `key`, what its
    /// key says of the task now; `running`, the task runs; `polled`, a progress answer just
    /// came (a poll to count); `now`, local ms.
    fn due(&mut self, wanted: bool, key: Option<String>, running: bool, polled: bool, now: f64) -> bool {
        // A series in flight answers for the step it asked: its key stays until it is back.
        if self.refused || !wanted || key.is_none() || (matches!(self.spec.ask, Ask::Series { .. }) && self.in_flight.is_some()) {
            return false;
        }
        let changed = self.key != key;
        self.key = key;
        let (while_running, at_rest) = match self.spec.ask {
            Ask::EveryPoll => return false,
            Ask::WhenDue { while_running, at_rest, .. } => (while_running, at_rest),
            Ask::Series { .. } => {
                return changed || self.asked_at.is_none_or(|at| now - at >= HISTORY_EVERY_SECONDS as f64 * 1000.0);
            }
        };
        if polled {
            self.polls_since += 1;
        }
        let due = self.last.is_none() || changed || (polled && ((running && while_running) || self.polls_since >= at_rest));
        if due {
            self.polls_since = 0;
        }
        due && self.in_flight.is_none()
    }
}

struct Feed {
    key: Key,
    subscribers: Vec<Subscriber>,
    consecutive_failures: u32,
    terminal: bool,
    timer: Timer,
    /// One per action of [`ACTIONS`], in its order.
    slots: Vec<Slot>,
    /// Set while the latest poll failed.
    last_failure: Option<(Rc<Failure>, f64)>,
    /// What the page has seen of the task: bounded, shared by its cards.
    history: SharedHistory,
}

/// The feeds, looked up by key: a page has a few dozen at most, so a list does.
#[derive(Default)]
struct Registry {
    feeds: Vec<Feed>,
    next_id: u64,
    page: Option<PageWatch>,
}

/// The feed of `key`.
fn find<'a>(feeds: &'a mut [Feed], key: &Key) -> Option<&'a mut Feed> {
    feeds.iter_mut().find(|f| f.key == *key)
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::default();
}

fn with_registry<T>(f: impl FnOnce(&mut Registry) -> T) -> T {
    REGISTRY.with(|r| f(&mut r.borrow_mut()))
}

/// A card's hold on a feed; dropping it unsubscribes, and the last one out stops the feed.
pub struct Subscription {
    key: Key,
    id: u64,
}

/// Subscribes to the task `project_id` behind the proxy at `base` (an absolute URL) at the given
/// cadence, with `credentials`, asking the actions the card wants (its steps too, with `steps`).
/// What the feed already knows is replayed to `listener`.
pub fn subscribe(
    base: String,
    project_id: String,
    credentials: Option<RequestCredentials>,
    cadence: Cadence,
    steps: StepsMode,
    listener: Listener,
) -> Subscription {
    let key = (base, project_id, credentials);
    let (id, replay, is_new) = with_registry(|r| {
        r.next_id += 1;
        let id = r.next_id;
        r.page.get_or_insert_with(|| PageWatch::install(std::rc::Rc::new(wake_all), std::rc::Rc::new(sleep_all)));
        let at = r.feeds.iter().position(|f| f.key == key).unwrap_or_else(|| {
            r.feeds.push(Feed::new(&key));
            r.feeds.len() - 1
        });
        let feed = &mut r.feeds[at];
        let is_new = feed.subscribers.is_empty();
        let interval_before = feed.interval_ms();
        feed.subscribers.push(Subscriber { id, cadence, steps, listener: listener.clone() });
        if !is_new && feed.interval_ms() < interval_before {
            feed.schedule();
        }
        let mut replay = Vec::new();
        for slot in &feed.slots {
            if let Some((answer, at)) = &slot.last {
                replay.push(Update::Answer(answer.clone(), *at, feed.history.clone()));
            } else if slot.refused {
                replay.push(Update::Refused(slot.spec.action, feed.history.clone()));
            }
        }
        if let Some((failure, at)) = &feed.last_failure {
            replay.push(Update::Failed(failure.clone(), *at));
        }
        (id, replay, is_new)
    });
    if is_new {
        start(&key, 0, Trigger::Wake);
    }
    for update in replay {
        listener(&update);
    }
    Subscription { key, id }
}

impl Subscription {
    /// Fetches now, replacing a request in flight (the refresh button).
    pub fn refresh(&self) {
        start(&self.key, 0, Trigger::Manual);
    }

    /// Changes this subscriber's cadence; the feed polls at the shortest interval and waits
    /// for the longest timeout any subscriber asked for.
    pub fn set_cadence(&self, cadence: Cadence) {
        with_registry(|r| {
            if let Some(feed) = find(&mut r.feeds, &self.key) {
                for s in feed.subscribers.iter_mut().filter(|s| s.id == self.id) {
                    s.cadence = cadence;
                }
                if feed.slots[0].in_flight.is_none() {
                    feed.schedule();
                }
            }
        });
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // Dropped outside the borrow: dropping a feed drops its closures and controllers.
        let (_gone_feed, _gone_page) = with_registry(|r| {
            let Some(at) = r.feeds.iter().position(|f| f.key == self.key) else { return (None, None) };
            r.feeds[at].subscribers.retain(|s| s.id != self.id);
            if !r.feeds[at].subscribers.is_empty() {
                return (None, None);
            }
            let feed = r.feeds.swap_remove(at);
            let page = if r.feeds.is_empty() { r.page.take() } else { None };
            (Some(feed), page)
        });
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.timer.clear();
        for (_, controller) in self.slots.iter_mut().filter_map(|s| s.in_flight.take()) {
            controller.abort();
        }
    }
}

impl Feed {
    fn new(key: &Key) -> Self {
        let tick_key = key.clone();
        let (base, project_id, _) = key;
        let slot = |spec: &'static ActionSpec| Slot {
            spec,
            endpoint: spec.action.endpoint(base).unwrap_or_default(),
            // A series's body is written when it falls due.
            body: body(spec.action, project_id, None).unwrap_or_default(),
            in_flight: None,
            last: None,
            refused: false,
            polls_since: 0,
            key: None,
            asked_at: None,
        };
        Feed {
            key: key.clone(),
            subscribers: Vec::new(),
            consecutive_failures: 0,
            terminal: false,
            timer: Timer::new(move || start(&tick_key, 0, Trigger::Timer)),
            slots: ACTIONS.iter().map(slot).collect(),
            last_failure: None,
            history: SharedHistory::default(),
        }
    }

    /// The subscribers' listeners, to call once the registry is released.
    fn listeners(&self) -> Vec<Listener> {
        self.subscribers.iter().map(|s| s.listener.clone()).collect()
    }

    /// The latest answer of the action that reads into `pick`.
    fn latest<T: ?Sized>(&self, pick: impl Fn(&Answered) -> Option<&T>) -> Option<&T> {
        self.slots.iter().find_map(|s| pick(&s.last.as_ref()?.0.value))
    }

    /// Adds an answer to what the page has seen of the task (`key`: what its slot asked).
    fn remember(&self, now: f64, answer: &Answered, key: Option<&str>) {
        let progress = self.latest(|a| match a {
            Answered::Progress(p) => Some(&**p),
            _ => None,
        });
        let steps = self.latest(|a| match a {
            Answered::Steps(s) => Some(s.as_slice()),
            _ => None,
        });
        let mut history = self.history.lock().unwrap_or_else(|e| e.into_inner());
        match answer {
            Answered::Progress(p) => history.record(now, p, steps, false),
            Answered::Steps(s) => {
                if let Some(p) = progress {
                    history.record(now, p, Some(s), true);
                }
            }
            Answered::Series(kind, series) => history.record_series(now, *kind, key.unwrap_or_default(), &series.points, steps),
            Answered::Project(_) | Answered::Verification(_) | Answered::Projects(_) => {}
        }
    }

    /// The slots whose actions fall due at `now` (local ms) that an answer came (`polled`: a
    /// progress answer); a series due has its body written for its step and a window ending on
    /// the minute.
    fn due_now(&mut self, polled: bool, now: f64) -> Vec<usize> {
        let Some(progress) = self.latest(|a| match a {
            Answered::Progress(p) => Some(&**p),
            _ => None,
        }) else {
            return Vec::new();
        };
        let known = Known { progress, steps: self.latest(|a| match a {
            Answered::Steps(s) => Some(s.as_slice()),
            _ => None,
        }) };
        let running = progress.is_running();
        let keys: Vec<Option<String>> = self.slots.iter().map(|s| match s.spec.ask {
            Ask::WhenDue { key, .. } => key(&known),
            Ask::Series { step, .. } => step(&known),
            Ask::EveryPoll => None,
        }).collect();
        let subscribers = &self.subscribers;
        let mut due = Vec::new();
        for (at, key) in keys.into_iter().enumerate() {
            let wanted = subscribers.iter().any(|s| s.wants(self.slots[at].spec.action));
            let slot = &mut self.slots[at];
            if slot.due(wanted, key, running, polled, now) {
                if let (Ask::Series { metric, .. }, Some(step)) = (slot.spec.ask, slot.key.as_deref()) {
                    let end_s = (now / 1000.0 / 60.0).floor() as i64 * 60;
                    slot.body = body(slot.spec.action, &self.key.1, Some(&SeriesAsk { step, metric, end_s })).unwrap_or_default();
                }
                due.push(at);
            }
        }
        due
    }

    /// The shortest interval any subscriber asked for.
    fn interval_ms(&self) -> u32 {
        self.subscribers.iter().map(|s| s.cadence.interval_ms).min().unwrap_or(Cadence::default().interval_ms)
    }

    /// The longest timeout any subscriber asked for.
    fn timeout_ms(&self) -> u32 {
        self.subscribers.iter().map(|s| s.cadence.timeout_ms).max().unwrap_or(Cadence::default().timeout_ms)
    }

    /// (Re)arms the timer for the next refresh; none while the page is hidden.
    fn schedule(&mut self) {
        let delay = next_delay_ms(self.interval_ms(), self.consecutive_failures, self.terminal, js_sys::Math::random());
        self.timer.arm(delay);
    }
}

/// Asks every feed to refresh now (the page became visible, or the browser came online).
fn wake_all() {
    let keys: Vec<Key> = with_registry(|r| r.feeds.iter().map(|f| f.key.clone()).collect());
    for key in keys {
        start(&key, 0, Trigger::Wake);
    }
}

/// Stops every timer (the page was hidden); requests in flight may finish.
fn sleep_all() {
    with_registry(|r| r.feeds.iter_mut().for_each(|f| f.timer.clear()));
}

/// Starts the request of slot `at` of the feed at `key`, unless `trigger` says not to. A poll
/// (slot 0) waits for the one in flight, but for the refresh button, which replaces it.
fn start(key: &Key, at: usize, trigger: Trigger) {
    with_registry(|r| {
        let Some(feed) = find(&mut r.feeds, key) else { return };
        if at == 0 {
            if trigger == Trigger::Timer {
                feed.timer.fired();
            }
            if trigger != Trigger::Manual && (feed.slots[0].in_flight.is_some() || super::page::is_hidden()) {
                return;
            }
            feed.timer.clear();
        }
        r.next_id += 1;
        let (seq, timeout_ms, credentials) = (r.next_id, feed.timeout_ms(), feed.key.2);
        let slot = &mut feed.slots[at];
        slot.asked_at = Some(js_sys::Date::now());
        if let Some((_, previous)) = slot.in_flight.take() {
            previous.abort();
        }
        // The outcome always comes later (fetch.js answers from a promise), never within this
        // borrow of the registry.
        let done_key = key.clone();
        let controller = client::send(slot.spec, &slot.endpoint, &slot.body, credentials, timeout_ms, move |outcome| {
            complete(&done_key, at, seq, outcome)
        });
        slot.in_flight = Some((seq, controller));
    });
}

/// Records the outcome of request `seq` of slot `at` and tells the subscribers, unless a newer
/// request replaced it or the feed is gone: an older answer never replaces a newer one. A
/// progress answer may be followed by the actions that fell due. A proxy that refuses an action
/// asked after progress is not asked it again, and the cards show the task without it (not a
/// failure of the card); other failures of such an action keep its last answer until the next
/// try.
fn complete(key: &Key, at: usize, seq: u64, outcome: Outcome) {
    let now = js_sys::Date::now();
    let mut due = Vec::new();
    let delivery = with_registry(|r| {
        let feed = find(&mut r.feeds, key)?;
        if !finish(&mut feed.slots[at].in_flight, seq) {
            return None;
        }
        let polled = matches!(feed.slots[at].spec.ask, Ask::EveryPoll);
        let update = match outcome {
            Outcome::Answer(decoded) => {
                let answer = Rc::new(Delivered { value: decoded.value, data: decoded.data });
                feed.slots[at].last = Some((answer.clone(), now));
                feed.remember(now, &answer.value, feed.slots[at].key.as_deref());
                if polled {
                    feed.consecutive_failures = 0;
                    feed.last_failure = None;
                }
                if let Answered::Progress(progress) = &answer.value {
                    feed.terminal = progress.is_terminal();
                }
                due = feed.due_now(matches!(answer.value, Answered::Progress(_)), now);
                Some(Update::Answer(answer, now, feed.history.clone()))
            }
            Outcome::Failed(failure) if polled => {
                let failure = Rc::new(failure);
                feed.consecutive_failures = feed.consecutive_failures.saturating_add(1);
                feed.last_failure = Some((failure.clone(), now));
                Some(Update::Failed(failure, now))
            }
            Outcome::Failed(failure) if refuses(&failure) => {
                // The proxy does not forward the action, whatever the body: none of its slots
                // asks it again.
                let action = feed.slots[at].spec.action;
                for slot in feed.slots.iter_mut().filter(|s| s.spec.action == action) {
                    slot.refused = true;
                    slot.last = None;
                }
                Some(Update::Refused(action, feed.history.clone()))
            }
            Outcome::Failed(_) | Outcome::Cancelled => None,
        };
        if polled {
            feed.schedule();
        }
        Some((feed.listeners(), update?))
    });
    deliver(delivery);
    for at in due {
        start(key, at, Trigger::Due);
    }
}

/// Clears `slot` if it holds request `seq`, and says whether it did: an answer to any other
/// request is outdated.
fn finish(slot: &mut Option<(u64, AbortController)>, seq: u64) -> bool {
    let current = slot.as_ref().is_some_and(|(s, _)| *s == seq);
    if current {
        *slot = None;
    }
    current
}

/// Tells `listeners` of `update`, outside the registry's borrow (a listener may subscribe or
/// unsubscribe).
fn deliver(delivery: Option<(Vec<Listener>, Update)>) {
    if let Some((listeners, update)) = delivery {
        for listener in listeners {
            listener(&update);
        }
    }
}
