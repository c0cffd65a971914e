//! Feeds: one per (endpoint, project id), shared by every card on the page that shows it.
//!
//! A feed owns its timer, its requests (progress, then steps) and its backoff state, and what the
//! page has seen of the task (its [`History`]); the registry owns the page listeners while any
//! feed exists. Nothing here is held across a call to a listener, so a listener may subscribe or
//! unsubscribe (a host page's event handler may remove a card).

use super::client::{self, Answered, Outcome};
use super::page::PageWatch;
use crate::model::{RequestCredentials, StepsMode};
use crate::oms::{Action, Failure, ProjectStatus, Progress, TaskStep};
use crate::story::SharedHistory;
use crate::schedule::{Cadence, next_delay_ms};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen::closure::Closure;
use web_sys::AbortController;

/// A successful answer: the decoded progress and `data` as the browser parsed it (the `detail`
/// of the `oms-progress` event).
pub struct Answer {
    /// The decoded progress.
    pub progress: Arc<Progress>,
    /// The answer's `data` object.
    pub data: JsValue,
}

/// A successful steps answer: the steps and `data` as the browser parsed it (the `detail` of the
/// `oms-steps` event).
pub struct StepsAnswer {
    /// The steps, in order.
    pub steps: Arc<Vec<TaskStep>>,
    /// The answer's `data` array.
    pub data: JsValue,
}

/// What a subscriber hears from its feed. Each update brings what the page has seen of the
/// task so far.
pub enum Update {
    /// Fresh progress, received at the given time (unix ms).
    Fresh(Rc<Answer>, f64, SharedHistory),
    /// The latest refresh failed at the given time (unix ms); earlier progress stays valid.
    Failed(Rc<Failure>, f64),
    /// Fresh steps; or `None`: the proxy does not forward them, show progress alone.
    Steps(Option<Rc<StepsAnswer>>, SharedHistory),
}

/// After this many progress answers without asking, steps are asked again even if nothing
/// seems to move.
const STEPS_EVERY: u32 = 6;

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
}

/// (endpoint, project id, credentials mode).
type Key = (String, String, RequestCredentials);

struct Subscriber {
    id: u64,
    cadence: Cadence,
    steps: StepsMode,
    listener: Listener,
}

struct Feed {
    key: Key,
    subscribers: Vec<Subscriber>,
    consecutive_failures: u32,
    terminal: bool,
    in_flight: Option<(u64, AbortController)>,
    timer: Option<i32>,
    /// Fires the timer; one closure per feed, reused for every tick.
    tick: Closure<dyn FnMut()>,
    last_good: Option<(Rc<Answer>, f64)>,
    /// Set while the latest outcome is a failure.
    last_failure: Option<(Rc<Failure>, f64)>,
    /// The steps request in flight.
    steps_in_flight: Option<(u64, AbortController)>,
    /// The latest steps.
    last_steps: Option<Rc<StepsAnswer>>,
    /// The proxy refused the steps operation: stop asking.
    steps_refused: bool,
    /// Progress answers since steps were last asked for, and the (status, step) they saw.
    polls_since_steps: u32,
    story_key: Option<(String, String)>,
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

/// Subscribes to the progress (and, with `steps`, the steps) of `project_id` at `endpoint` at the
/// given cadence, with `credentials`. What the feed already knows is replayed to `listener`.
pub fn subscribe(
    endpoint: String,
    project_id: String,
    credentials: RequestCredentials,
    cadence: Cadence,
    steps: StepsMode,
    listener: Listener,
) -> Subscription {
    let key = (endpoint, project_id, credentials);
    let (id, replay, is_new) = with_registry(|r| {
        r.next_id += 1;
        let id = r.next_id;
        r.page.get_or_insert_with(PageWatch::install);
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
        let replay = [
            feed.last_good.clone().map(|(answer, at)| Update::Fresh(answer, at, feed.history.clone())),
            feed.last_steps.clone().map(|steps| Update::Steps(Some(steps), feed.history.clone())),
            feed.last_failure.clone().map(|(failure, at)| Update::Failed(failure, at)),
        ];
        (id, replay, is_new)
    });
    if is_new {
        poll(&key, Trigger::Wake);
    }
    for update in replay.into_iter().flatten() {
        listener(&update);
    }
    Subscription { key, id }
}

impl Subscription {
    /// Fetches now, replacing a request in flight (the refresh button).
    pub fn refresh(&self) {
        poll(&self.key, Trigger::Manual);
    }

    /// Changes this subscriber's cadence; the feed polls at the shortest interval and waits
    /// for the longest timeout any subscriber asked for.
    pub fn set_cadence(&self, cadence: Cadence) {
        with_registry(|r| {
            if let Some(feed) = find(&mut r.feeds, &self.key) {
                for s in feed.subscribers.iter_mut().filter(|s| s.id == self.id) {
                    s.cadence = cadence;
                }
                if feed.in_flight.is_none() {
                    feed.schedule();
                }
            }
        });
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // Dropped outside the borrow: dropping a feed drops its closures and controller.
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
        self.clear_timer();
        for (_, controller) in [self.in_flight.take(), self.steps_in_flight.take()].into_iter().flatten() {
            controller.abort();
        }
    }
}

impl Feed {
    fn new(key: &Key) -> Self {
        let tick_key = key.clone();
        Feed {
            key: key.clone(),
            subscribers: Vec::new(),
            consecutive_failures: 0,
            terminal: false,
            in_flight: None,
            timer: None,
            tick: Closure::new(move || poll(&tick_key, Trigger::Timer)),
            last_good: None,
            last_failure: None,
            steps_in_flight: None,
            last_steps: None,
            steps_refused: false,
            polls_since_steps: 0,
            story_key: None,
            history: SharedHistory::default(),
        }
    }

    /// Whether to ask for steps after this progress answer: when any card wants them and the
    /// proxy forwards them; the first time, when the status or the step changed, while the task
    /// runs (rows, rates and lag move), and otherwise every [`STEPS_EVERY`] answers.
    /// The subscribers' listeners, to call once the registry is released.
    fn listeners(&self) -> Vec<Listener> {
        self.subscribers.iter().map(|s| s.listener.clone()).collect()
    }

    fn steps_due(&mut self, progress: &Progress) -> bool {
        if self.steps_refused || !self.subscribers.iter().any(|s| s.steps == StepsMode::Auto) {
            return false;
        }
        fn raw<K>(code: &Option<crate::oms::Code<K>>) -> String {
            code.as_ref().map(|c| c.raw.clone()).unwrap_or_default()
        }
        let key = (raw(&progress.status), raw(&progress.current_step));
        let changed = self.story_key.as_ref() != Some(&key);
        self.story_key = Some(key);
        let running = matches!(
            progress.known_status(),
            Some(ProjectStatus::Running | ProjectStatus::RunningModifying | ProjectStatus::RunningMerging | ProjectStatus::RunningAlarming)
        );
        self.polls_since_steps += 1;
        let due = self.last_steps.is_none() || changed || running || self.polls_since_steps >= STEPS_EVERY;
        if due {
            self.polls_since_steps = 0;
        }
        due && self.steps_in_flight.is_none()
    }

    /// The shortest interval any subscriber asked for.
    fn interval_ms(&self) -> u32 {
        self.subscribers.iter().map(|s| s.cadence.interval_ms).min().unwrap_or(Cadence::default().interval_ms)
    }

    /// The longest timeout any subscriber asked for.
    fn timeout_ms(&self) -> u32 {
        self.subscribers.iter().map(|s| s.cadence.timeout_ms).max().unwrap_or(Cadence::default().timeout_ms)
    }

    fn clear_timer(&mut self) {
        if let (Some(id), Some(window)) = (self.timer.take(), web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }

    /// (Re)arms the timer for the next refresh; none while the page is hidden.
    fn schedule(&mut self) {
        self.clear_timer();
        if super::page::is_hidden() {
            return;
        }
        let delay = next_delay_ms(self.interval_ms(), self.consecutive_failures, self.terminal, js_sys::Math::random());
        self.timer = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(self.tick.as_ref().unchecked_ref(), delay as i32).ok()
        });
    }
}

/// Asks every feed to refresh now (the page became visible, or the browser came online).
pub(super) fn wake_all() {
    let keys: Vec<Key> = with_registry(|r| r.feeds.iter().map(|f| f.key.clone()).collect());
    for key in keys {
        poll(&key, Trigger::Wake);
    }
}

/// Stops every timer (the page was hidden); requests in flight may finish.
pub(super) fn sleep_all() {
    with_registry(|r| r.feeds.iter_mut().for_each(Feed::clear_timer));
}

/// Starts a request for the feed at `key`, unless `trigger` says not to.
fn poll(key: &Key, trigger: Trigger) {
    let started = with_registry(|r| {
        let feed = find(&mut r.feeds, key)?;
        if trigger == Trigger::Timer {
            feed.timer = None; // it has fired
        }
        if trigger != Trigger::Manual && (feed.in_flight.is_some() || super::page::is_hidden()) {
            return None;
        }
        feed.clear_timer();
        if let Some((_, previous)) = feed.in_flight.take() {
            previous.abort();
        }
        r.next_id += 1;
        Some((feed.key.clone(), feed.timeout_ms(), r.next_id))
    });
    let Some(((endpoint, project_id, credentials), timeout_ms, seq)) = started else { return };
    let done_key = key.clone();
    let controller = client::send(Action::Progress, &endpoint, &project_id, credentials, timeout_ms, move |outcome| {
        complete(&done_key, seq, outcome)
    });
    with_registry(|r| {
        if let Some(feed) = find(&mut r.feeds, key) {
            feed.in_flight = Some((seq, controller));
        }
    });
}

/// Records the outcome of request `seq` and tells the subscribers, unless a newer request
/// replaced it or the feed is gone: an older answer never replaces a newer one. A progress
/// answer may be followed by a steps request.
fn complete(key: &Key, seq: u64, outcome: Outcome) {
    let now = js_sys::Date::now();
    let mut steps_now = false;
    let delivery = with_registry(|r| {
        let feed = find(&mut r.feeds, key)?;
        if !finish(&mut feed.in_flight, seq) {
            return None;
        }
        let update = match outcome {
            Outcome::Answer(decoded) => {
                let Answered::Progress(progress) = decoded.value else { return None };
                let answer = Rc::new(Answer { progress: Arc::new(progress), data: decoded.data });
                feed.consecutive_failures = 0;
                feed.terminal = answer.progress.is_terminal();
                let steps = feed.last_steps.as_ref().map(|s| s.steps.as_slice());
                feed.history.lock().unwrap_or_else(|e| e.into_inner()).record(now, &answer.progress, steps, false);
                steps_now = feed.steps_due(&answer.progress);
                feed.last_good = Some((answer.clone(), now));
                feed.last_failure = None;
                Some(Update::Fresh(answer, now, feed.history.clone()))
            }
            Outcome::Failed(failure) => {
                let failure = Rc::new(failure);
                feed.consecutive_failures = feed.consecutive_failures.saturating_add(1);
                feed.last_failure = Some((failure.clone(), now));
                Some(Update::Failed(failure, now))
            }
            Outcome::Cancelled => None,
        };
        feed.schedule();
        Some((feed.listeners(), update?))
    });
    deliver(delivery);
    if steps_now {
        ask_steps(key);
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

/// Asks for the steps of the feed at `key`.
fn ask_steps(key: &Key) {
    let started = with_registry(|r| {
        let feed = find(&mut r.feeds, key)?;
        r.next_id += 1;
        Some((feed.key.clone(), feed.timeout_ms(), r.next_id))
    });
    let Some(((endpoint, project_id, credentials), timeout_ms, seq)) = started else { return };
    let Some(endpoint) = steps_endpoint(&endpoint) else { return };
    let done_key = key.clone();
    let controller = client::send(Action::Steps, &endpoint, &project_id, credentials, timeout_ms, move |outcome| {
        complete_steps(&done_key, seq, outcome)
    });
    with_registry(|r| {
        if let Some(feed) = find(&mut r.feeds, key) {
            feed.steps_in_flight = Some((seq, controller));
        }
    });
}

/// The steps endpoint beside a progress endpoint.
fn steps_endpoint(progress: &str) -> Option<String> {
    let base = progress.strip_suffix(Action::Progress.as_str())?;
    Some([base, Action::Steps.as_str()].concat())
}

/// Records a steps answer. A proxy that refuses the operation (any 4xx, or an envelope saying
/// the action is unsupported) is not asked again, and the cards show progress alone: it is not
/// a failure of the card. Other failures keep the last steps until the next try.
fn complete_steps(key: &Key, seq: u64, outcome: Outcome) {
    let now = js_sys::Date::now();
    let delivery = with_registry(|r| {
        let feed = find(&mut r.feeds, key)?;
        if !finish(&mut feed.steps_in_flight, seq) {
            return None;
        }
        let update = match outcome {
            Outcome::Answer(decoded) => {
                let Answered::Steps(steps) = decoded.value else { return None };
                let answer = Rc::new(StepsAnswer { steps: Arc::new(steps), data: decoded.data });
                if let Some((good, _)) = &feed.last_good {
                    feed.history.lock().unwrap_or_else(|e| e.into_inner()).record(now, &good.progress, Some(&answer.steps), true);
                }
                feed.last_steps = Some(answer.clone());
                Update::Steps(Some(answer), feed.history.clone())
            }
            Outcome::Failed(failure) if refuses_steps(&failure) => {
                feed.steps_refused = true;
                feed.last_steps = None;
                Update::Steps(None, feed.history.clone())
            }
            Outcome::Failed(_) | Outcome::Cancelled => return None,
        };
        Some((feed.listeners(), update))
    });
    deliver(delivery);
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

/// Whether a failed steps request means the proxy does not forward the operation.
fn refuses_steps(failure: &Failure) -> bool {
    let says = |word: &[u8]| failure.code().is_some_and(|code| code.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word)));
    // A viewer whose sign-in lapsed (401, or the proxy's 403 for the viewer rather than the
    // operation), a slow body (408) or a rate limit (429) says nothing about the operation:
    // steps are asked again. Another 403 (nginx allowing progress only) refuses the operation.
    let viewer = failure.code().is_some_and(|c| c == crate::oms::UNAUTHENTICATED_CODE || c == crate::oms::FORBIDDEN_PROJECT_CODE);
    let passing = |status: u16| viewer || matches!(status, 401 | 408 | 429);
    says(b"UNSUPPORTED") || says(b"NOT_SUPPORT") || failure.http_status().is_some_and(|status| (400..500).contains(&status) && !passing(status))
}
