//! The fleet's feed: `ListProjects`, every page up to the list's `max`, asked again every
//! interval. Like a task's feed it owns its timer, backoff and page visibility; a poll asks the
//! first page (which says how many there are, and how many tasks OMS holds a page to), then the
//! others at once, and waits for them all before it schedules the next. Each page is told in a
//! task of its own, after the one that decoded it: a thousand tasks' pages never hold the page in
//! one long task. Nothing is held across a call to the listener.

use super::actions::{Answered, LIST};
use super::client::{self, Outcome};
use super::page::{PageWatch, Timer};
use super::schedule::next_delay_ms;
use crate::model::{Cadence, RequestCredentials};
use crate::oms::{Failure, ListFilters, ListedTask, paging};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

/// Tasks per page: OMS's largest page, so a thousand tasks are seven requests.
const PAGE_SIZE: u32 = crate::model::constants::LIST_PAGE_SIZE as u32;

/// What the list hears from its feed.
pub enum ListUpdate {
    /// Page `page` (from 1) answered: its tasks, `data` as the browser parsed it, OMS's
    /// `totalCount`, and how many pages the list has now.
    Page { page: u32, pages: u32, tasks: Arc<Vec<ListedTask>>, data: JsValue, total: Option<u64> },
    /// Page `page`'s request failed.
    Failed { page: u32, failure: Failure },
    /// Every page of a poll has answered or failed; `complete`: every one answered.
    Polled { complete: bool },
}

/// What the feed asks: where, with which filters, how many tasks at most, how.
#[derive(Clone, PartialEq)]
pub struct ListQuery {
    /// The proxy's base URL, made absolute.
    pub base: String,
    /// OMS's filters.
    pub filters: ListFilters,
    /// The most tasks listed.
    pub max: usize,
    /// The request credentials mode.
    pub credentials: Option<RequestCredentials>,
}

struct ListFeed {
    query: ListQuery,
    endpoint: String,
    cadence: Cadence,
    /// Requests in flight: the page, its sequence number, its abort handle.
    in_flight: Vec<(u32, u64, AbortController)>,
    next_seq: u64,
    /// Tasks each page after the first asks in this poll: OMS's own page when it holds one to
    /// fewer than were asked ([`paging`]).
    poll_size: u32,
    /// Some page of the current poll failed.
    poll_failed: bool,
    consecutive_failures: u32,
    timer: Option<Timer>,
    /// What the listener has yet to hear: `deliver` fires `tell_next`, one update a task.
    untold: VecDeque<ListUpdate>,
    deliver: Option<Timer>,
    listener: Rc<dyn Fn(ListUpdate)>,
    _watch: Option<PageWatch>,
}

/// The list's hold on its feed: dropping it stops the timer, the listeners and every request.
pub struct ListSubscription(Rc<RefCell<ListFeed>>);

/// Starts the feed of `query` at `cadence`, telling `listener` of every page.
pub fn subscribe_list(query: ListQuery, cadence: Cadence, listener: Rc<dyn Fn(ListUpdate)>) -> ListSubscription {
    let endpoint = crate::oms::Action::Projects.endpoint(&query.base).unwrap_or_default();
    let feed = Rc::new(RefCell::new(ListFeed {
        query,
        endpoint,
        cadence,
        in_flight: Vec::new(),
        next_seq: 0,
        poll_size: PAGE_SIZE,
        poll_failed: false,
        consecutive_failures: 0,
        timer: None,
        untold: VecDeque::new(),
        deliver: None,
        listener,
        _watch: None,
    }));
    let weak = Rc::downgrade(&feed);
    let (wake, sleep) = (weak.clone(), weak.clone());
    {
        let mut f = feed.borrow_mut();
        let tell = weak.clone();
        f.deliver = Some(Timer::new(move || tell_next(&tell)));
        f.timer = Some(Timer::new(move || {
            if let Some(feed) = weak.upgrade() {
                feed.borrow_mut().timer.iter_mut().for_each(Timer::fired);
            }
            poll(&weak, false)
        }));
        f._watch = Some(PageWatch::install(
            Rc::new(move || poll(&wake, false)),
            Rc::new(move || {
                if let Some(feed) = sleep.upgrade() {
                    feed.borrow_mut().timer.iter_mut().for_each(Timer::clear);
                }
            }),
        ));
    }
    poll(&Rc::downgrade(&feed), false);
    ListSubscription(feed)
}

impl ListSubscription {
    /// Asks every page now, replacing requests in flight.
    pub fn refresh(&self) {
        poll(&Rc::downgrade(&self.0), true);
    }

    /// Polls at `cadence` from the next poll on.
    pub fn set_cadence(&self, cadence: Cadence) {
        let mut feed = self.0.borrow_mut();
        if feed.cadence != cadence {
            feed.cadence = cadence;
            if feed.in_flight.is_empty() {
                feed.schedule();
            }
        }
    }
}

impl Drop for ListFeed {
    fn drop(&mut self) {
        for (_, _, controller) in self.in_flight.drain(..) {
            controller.abort();
        }
    }
}

impl ListFeed {
    /// (Re)arms the timer for the next poll; none while the page is hidden.
    fn schedule(&mut self) {
        let delay = next_delay_ms(self.cadence.interval_ms, self.consecutive_failures, false, js_sys::Math::random());
        self.timer.iter_mut().for_each(|t| t.arm(delay));
    }

    /// Tasks a page: OMS's most, or fewer when the list shows fewer.
    fn page_size(&self) -> u32 {
        PAGE_SIZE.min(self.query.max.max(1) as u32)
    }

    /// Sends the request of page `page`.
    fn send(&mut self, feed: &Weak<RefCell<ListFeed>>, page: u32) {
        self.next_seq += 1;
        let seq = self.next_seq;
        let body = self.query.filters.body(page, if page == 1 { self.page_size() } else { self.poll_size });
        let done = feed.clone();
        let controller = client::send(&LIST, &self.endpoint, &body, self.query.credentials, self.cadence.timeout_ms, move |outcome| {
            answered(&done, page, seq, outcome)
        });
        self.in_flight.push((page, seq, controller));
    }
}

/// Starts a poll: the first page (the others follow its answer). A poll in flight is left to
/// finish, but for `manual` (the refresh button), which replaces it.
fn poll(feed: &Weak<RefCell<ListFeed>>, manual: bool) {
    let Some(rc) = feed.upgrade() else { return };
    let mut f = rc.borrow_mut();
    if super::page::is_hidden() && !manual {
        return;
    }
    if !f.in_flight.is_empty() {
        if !manual {
            return;
        }
        for (_, _, controller) in f.in_flight.drain(..) {
            controller.abort();
        }
    }
    f.timer.iter_mut().for_each(Timer::clear);
    f.poll_failed = false;
    f.send(feed, 1);
}

/// Records the outcome of request `seq` (page `page`), asks the other pages after the first,
/// queues what the listener is to hear, and once the poll is complete, schedules the next.
fn answered(feed: &Weak<RefCell<ListFeed>>, page: u32, seq: u64, outcome: Outcome) {
    let Some(rc) = feed.upgrade() else { return };
    let mut f = rc.borrow_mut();
    let Some(at) = f.in_flight.iter().position(|(_, s, _)| *s == seq) else { return };
    f.in_flight.swap_remove(at);
    match outcome {
        Outcome::Answer(decoded) => {
            let Answered::Projects(tasks) = decoded.value else { return };
            // The first page says how many pages there are, and how many tasks OMS holds a page.
            let (pages, size) = paging(tasks.len(), decoded.total, decoded.page_size, f.query.max, f.page_size());
            if page == 1 {
                f.poll_size = size;
                for next in 2..=pages {
                    f.send(feed, next);
                }
            }
            f.untold.push_back(ListUpdate::Page { page, pages, tasks, data: decoded.data, total: decoded.total });
        }
        Outcome::Failed(failure) => {
            f.poll_failed = true;
            f.untold.push_back(ListUpdate::Failed { page, failure });
        }
        Outcome::Cancelled => {}
    }
    if f.in_flight.is_empty() {
        f.consecutive_failures = if f.poll_failed { f.consecutive_failures.saturating_add(1) } else { 0 };
        f.schedule();
        let complete = !f.poll_failed;
        f.untold.push_back(ListUpdate::Polled { complete });
    }
    if !f.untold.is_empty() {
        f.deliver.iter_mut().for_each(Timer::soon);
    }
}

/// Tells the listener the oldest untold update, and leaves the next to a task of its own.
fn tell_next(feed: &Weak<RefCell<ListFeed>>) {
    let Some(rc) = feed.upgrade() else { return };
    let (listener, update) = {
        let mut f = rc.borrow_mut();
        f.deliver.iter_mut().for_each(Timer::fired);
        let Some(update) = f.untold.pop_front() else { return };
        if !f.untold.is_empty() {
            f.deliver.iter_mut().for_each(Timer::soon);
        }
        (f.listener.clone(), update)
    };
    drop(rc);
    listener(update);
}
