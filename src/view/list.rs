//! The fleet's list (list.html, list.css): [`ProjectList`], every task `ListProjects` returns,
//! one row per task in the order a person acts on it, each row the card's own compact view fed
//! from the list's answer (`model::fleet`), a task's full card in place on demand.
//!
//! A thousand rows stay cheap: a row is one element holding its room and its `data-attention`;
//! rows go in blocks of [`BLOCK`], which the browser skips while off screen and the list watches
//! (ten thousand rows are 167 boxes to track each frame, not 10 000); a row's card is
//! drawn only while the row is on screen or near it (an `IntersectionObserver` on the blocks,
//! and on the rows of the blocks near the screen), and a row whose task did not change is not
//! touched. The order holds while the pointer is over the rows or the keyboard's focus is in
//! them, so nothing moves under either.

use super::alert::AlertDom;
use super::dom::{Attr, Listener, Presence, Text};
use super::freshness::FreshnessDom;
use crate::feed::{ListQuery, ListSubscription, ListUpdate, subscribe_list, use_clock, use_task_feed};
use crate::model::fleet::{BLOCK, Listing, Place, block_sizes, card_data, order, summary, unmoved};
use crate::model::settings::{INTERVAL, LIST_MAX, TIMEOUT};
use crate::model::{AlertContent, Attention, CardData, CardModel, Layout, ListSettings, Locale, Phase, RequestCredentials, Sentence, Settings, StepsMode, Text as Words, Theme, fill};
use crate::oms::{Failure, ListFilters, ListedTask};
use leptos::html::Section;
use leptos::prelude::*;
use std::any::Any;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// The list's markup (build.rs, from list.html).
const MARKUP: &str = include_str!(concat!(env!("OUT_DIR"), "/list.html"));

/// One row's markup: the task's name while its card is not drawn, the expand button, the card's
/// place. No server string is in it; they are set as text.
const ROW: &str = "<div class=\"oms-task\" part=\"row\" role=\"listitem\"><span class=\"oms-task-name\"></span><button type=\"button\" class=\"oms-expand\" part=\"expand\" data-action=\"expand\" aria-expanded=\"false\"><svg viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\"><path d=\"M4 6l4 4 4-4\"></path></svg></button><div class=\"oms-task-card\"></div></div>";

/// How far beyond the screen a row's card is drawn, so a scroll finds it ready.
const DRAW_MARGIN: &str = "600px 0px";

/// A block of rows.
struct Block {
    element: Element,
    /// On screen or near it: its rows are watched.
    seen: bool,
    /// Its `style`: the room of its rows when it is not full (list.css's `--_n`).
    room: Attr,
}

/// What the list tells its host (the custom element turns these into DOM events).
#[derive(Clone, Debug)]
pub enum ListEvent {
    /// Every page of a poll has answered (`oms-list`): the tasks as the pages' `data` gave
    /// them, in OMS's order.
    Listed {
        /// An array of the pages' tasks.
        data: JsValue,
    },
    /// A page's request failed (`oms-error`); `message` is what the alert shows.
    Error {
        /// The classified failure.
        failure: Failure,
        /// The message shown.
        message: String,
    },
    /// The list's `data-state` changed.
    State(&'static str),
}

/// Every task of an OMS, listed through a proxy (`ListProjects`, every page up to `max`), in the
/// order a person acts on it (failed, alarm, lagging, stale, ok, done; then the soonest ETA, then
/// the name), with the fleet's counts; each task a compact card that opens in place to its full
/// card (which then asks for its own steps, verification and history).
///
/// Call [`adopt_stylesheet`](crate::adopt_stylesheet) once, so the document has the styles.
#[component]
pub fn ProjectList(
    /// The URL that stands in for the OMS origin (`proxy-url`).
    #[prop(into)]
    proxy_url: Signal<String>,
    /// OMS statuses to list, comma-separated (`RUNNING,FAILED`); all when empty.
    #[prop(into, optional)]
    status: Signal<String>,
    /// `MIGRATION`, `SYNC` or `VERIFY`; all when empty.
    #[prop(into, optional)]
    kind: Signal<String>,
    /// OMS's `searchKey`: part of a task's name or id.
    #[prop(into, optional)]
    search: Signal<String>,
    /// The most tasks listed: default 1 000 ([`LIST_MAX`]).
    #[prop(into, default = Signal::stored(LIST_MAX.default))]
    max: Signal<usize>,
    /// Milliseconds between refreshes: default 5 s, never below 1 s.
    #[prop(into, default = Signal::stored(INTERVAL.default_ms))]
    interval_ms: Signal<u32>,
    /// Milliseconds before a request is abandoned: default 10 s.
    #[prop(into, default = Signal::stored(TIMEOUT.default_ms))]
    timeout_ms: Signal<u32>,
    /// The language; the browser's when not given.
    #[prop(into, optional)]
    locale: Option<Signal<Locale>>,
    /// Light, dark, or following the system (the default).
    #[prop(into, optional)]
    theme: Signal<Theme>,
    /// Whether requests carry cookies (see `ProgressCard`).
    #[prop(into, optional)]
    credentials: Signal<Option<RequestCredentials>>,
    /// Hears every refresh of the list and every failure.
    #[prop(optional)]
    on_event: Option<UnsyncCallback<ListEvent>>,
) -> impl IntoView {
    let locale = locale.unwrap_or_else(|| Signal::stored(super::browser_locale()));
    let text = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let settings = Signal::derive(move || ListSettings {
        proxy_url: proxy_url.get(),
        cadence: crate::model::Cadence { interval_ms: interval_ms.get().max(INTERVAL.min_ms), timeout_ms: timeout_ms.get().clamp(TIMEOUT.min_ms, TIMEOUT.max_ms) },
        credentials: credentials.get(),
        locale: locale.get(),
        theme: theme.get(),
        status: text(status.get()),
        kind: text(kind.get()),
        search: text(search.get()),
        max: max.get().clamp(LIST_MAX.min, LIST_MAX.max),
    });
    list_view(settings, on_event)
}

/// [`ProjectList`] without a component layer: the custom element mounts this.
pub(crate) fn list_view(settings: Signal<ListSettings>, on_event: Option<UnsyncCallback<ListEvent>>) -> impl IntoView {
    let root = NodeRef::<Section>::new();
    let fleet: Rc<RefCell<Option<Fleet>>> = Rc::default();
    let clock = use_clock();
    let now = clock.now.clone();

    // One effect follows the settings: the first time it builds the list; a new proxy, filter
    // or size asks anew (the rows it had stay until the new answer replaces them); a new look
    // or cadence is applied in place.
    Effect::new({
        let fleet = fleet.clone();
        move |_| {
            let settings = settings.get();
            let Some(element) = root.get() else { return };
            let element: &Element = &element;
            let mut slot = fleet.borrow_mut();
            let fleet_now = slot.get_or_insert_with(|| {
                TEMPLATE.with(|t| t.as_ref().map(|t| element.append_child(&t.content().clone_node_with_deep(true).ok()?).ok()));
                clock.watch(element);
                Fleet::build(element, on_event)
            });
            let events = fleet_now.configure(settings, &Rc::downgrade(&fleet));
            drop(slot);
            emit(on_event, events);
        }
    });
    // The "… ago" of the freshness line, once a second while the list can be seen.
    Effect::new({
        let fleet = fleet.clone();
        move |_| {
            let now = now.get();
            if let Some(fleet) = fleet.borrow_mut().as_mut() {
                fleet.dom.freshness.tick(now);
            }
        }
    });
    // Dropped with the view: the feed, the observer, every row's card. (`on_cleanup` asks for
    // `Send`; the wrapper holds it to the page's one thread.)
    on_cleanup({
        let fleet = send_wrapper::SendWrapper::new(fleet);
        move || drop(fleet.borrow_mut().take())
    });
    view! { <section class="oms-list" part="list" data-oms-list="" node_ref=root></section> }
}

fn emit(on_event: Option<UnsyncCallback<ListEvent>>, events: Vec<ListEvent>) {
    if let Some(callback) = on_event {
        for event in events {
            callback.try_run(event);
        }
    }
}

thread_local! {
    static TEMPLATE: Option<web_sys::HtmlTemplateElement> = template(MARKUP);
    static ROW_TEMPLATE: Option<web_sys::HtmlTemplateElement> = template(ROW);
}

/// `markup` parsed once per page into a template.
fn template(markup: &str) -> Option<web_sys::HtmlTemplateElement> {
    let document = web_sys::window()?.document()?;
    let template = document.create_element("template").ok()?.dyn_into::<web_sys::HtmlTemplateElement>().ok()?;
    template.set_inner_html(markup);
    Some(template)
}

/// The list's header parts.
struct ListDom {
    root: Element,
    state: Attr,
    total: Attr,
    shown: Attr,
    busy: Attr,
    theme: Attr,
    lang: Attr,
    label: Attr,
    title: Text,
    count: Text,
    summary: Text,
    counts: [Attr; 5],
    refresh_label: Attr,
    freshness: FreshnessDom,
    alert: AlertDom,
    loading: Presence,
    loading_text: Text,
    empty: Presence,
    empty_text: Text,
    rows: Element,
}

/// The rows, sorted by task id (found by a binary search: smaller code than a hash map; boxed,
/// so an insertion moves pointers, not rows).
#[derive(Default)]
struct Rows(Vec<(String, Box<Row>)>);

impl Rows {
    fn at(&self, id: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(held, _)| held.as_str().cmp(id))
    }
    fn get(&self, id: &str) -> Option<&Row> {
        self.at(id).ok().map(|at| &*self.0[at].1)
    }
    fn get_mut(&mut self, id: &str) -> Option<&mut Row> {
        self.at(id).ok().map(|at| &mut *self.0[at].1)
    }
    fn contains_key(&self, id: &str) -> bool {
        self.at(id).is_ok()
    }
    fn insert(&mut self, id: String, row: Row) {
        if let Err(at) = self.at(&id) {
            self.0.insert(at, (id, Box::new(row)));
        }
    }
    fn remove(&mut self, id: &str) -> Option<Row> {
        self.at(id).ok().map(|at| *self.0.remove(at).1)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn iter(&self) -> impl Iterator<Item = (&String, &Row)> {
        self.0.iter().map(|(id, row)| (id, &**row))
    }
    fn values(&self) -> impl Iterator<Item = &Row> {
        self.0.iter().map(|(_, row)| &**row)
    }
    fn values_mut(&mut self) -> impl Iterator<Item = &mut Row> {
        self.0.iter_mut().map(|(_, row)| &mut **row)
    }
}

impl std::ops::Index<&String> for Rows {
    type Output = Row;
    fn index(&self, id: &String) -> &Row {
        self.get(id).unwrap_or_else(|| unreachable!())
    }
}

/// One task's row.
struct Row {
    element: Element,
    attention: Attr,
    name: Text,
    expand: Attr,
    expand_label: Attr,
    /// Where its card goes.
    place: HtmlElement,
    /// What its card shows.
    data: CardData,
    /// Its card, while drawn: what feeds it, and the mounted view.
    drawn: Option<(ArcRwSignal<CardData>, Box<dyn Any>)>,
    /// Its full card, while open.
    open: Option<Box<dyn Any>>,
    /// On screen or near it.
    seen: bool,
    /// The block it stands in (`usize::MAX`: none yet).
    block: usize,
    /// Watched for coming on screen: its block is near it.
    watched: bool,
    /// Its place in the order, and whether it runs.
    rank: Place,
    running: bool,
    /// In the latest listing.
    listed: bool,
    /// Its task changed since it was last told: told anew by the next `retell`.
    redraw: bool,
    /// Told anew since its row and card were last written.
    repaint: bool,
}

/// The list's state: its header, what the pages said, the rows, the feed.
struct Fleet {
    dom: ListDom,
    settings: ListSettings,
    /// What the feed asks now (`None`: a problem, nothing asked).
    query: Option<ListQuery>,
    listing: Listing,
    /// Each page's `data`, for `oms-list`.
    pages_data: Vec<JsValue>,
    rows: Rows,
    /// The rows' ids, in the order shown.
    order: Vec<String>,
    /// The blocks the rows stand in, [`BLOCK`] each, in order.
    blocks: Vec<Block>,
    /// The pointer is over the rows: the order holds (as it does while focus is in them).
    held: bool,
    problem: Option<AlertContent>,
    subscription: Option<ListSubscription>,
    observer: Option<IntersectionObserver>,
    _seen: Option<Closure<dyn FnMut(js_sys::Array)>>,
    _listeners: Vec<Listener>,
    on_event: Option<UnsyncCallback<ListEvent>>,
    /// The latest `data-state` told.
    told_state: &'static str,
}

impl Fleet {
    fn build(root: &Element, on_event: Option<UnsyncCallback<ListEvent>>) -> Self {
        let summary = super::dom::find(root, "[data-field=\"summary\"]");
        let refresh = super::dom::find(root, ".oms-list-head .oms-refresh");
        let rows = super::dom::find(root, ".oms-tasks");
        let count = |name| Attr::of(&summary, name);
        let dom = ListDom {
            state: Attr::of(root, "data-state"),
            total: Attr::of(root, "data-total"),
            shown: Attr::of(root, "data-shown"),
            busy: Attr::of(root, "aria-busy"),
            theme: Attr::of(root, "data-theme"),
            lang: Attr::of(root, "lang"),
            label: Attr::of(root, "aria-label"),
            title: Text::find(root, ".oms-list-title"),
            count: Text::find(root, ".oms-list-count"),
            counts: [count("data-failed"), count("data-alarm"), count("data-lagging"), count("data-running"), count("data-done")],
            summary: Text::of(summary),
            refresh_label: Attr::of(&refresh, "aria-label"),
            freshness: FreshnessDom::find(root),
            alert: AlertDom::find(root),
            loading: Presence::find(root, ".oms-loading"),
            loading_text: Text::find(root, ".oms-loading"),
            empty: Presence::find(root, ".oms-empty"),
            empty_text: Text::find(root, ".oms-empty"),
            rows,
            root: root.clone(),
        };
        Fleet {
            dom,
            settings: ListSettings::default(),
            query: None,
            listing: Listing::default(),
            pages_data: Vec::new(),
            rows: Rows::default(),
            order: Vec::new(),
            blocks: Vec::new(),
            held: false,
            problem: None,
            subscription: None,
            observer: None,
            _seen: None,
            _listeners: Vec::new(),
            on_event,
            told_state: "",
        }
    }

    /// Applies new settings: a new question subscribes anew; the rest patches in place.
    fn configure(&mut self, settings: ListSettings, me: &Weak<RefCell<Option<Fleet>>>) -> Vec<ListEvent> {
        if self.observer.is_none() {
            self.listen(me);
        }
        let look_changed = (settings.locale, settings.theme) != (self.settings.locale, self.settings.theme);
        let filters = ListFilters::read(settings.status.as_deref(), settings.kind.as_deref(), settings.search.as_deref());
        let base = crate::feed::resolve_proxy(&settings.proxy_url);
        self.problem = match (&base, &filters) {
            (None, _) if settings.proxy_url.trim().is_empty() => Some(AlertContent::Problem(Words::MissingProxyUrl)),
            (None, _) => Some(AlertContent::Problem(Words::InvalidProxyUrl)),
            (_, Err(unknown)) => {
                let attribute = settings.locale.text(if unknown.attribute == "type" { Words::TaskType } else { Words::TaskStatus });
                Some(AlertContent::Invalid(fill(settings.locale.sentence(Sentence::UnknownFilter), &[("attribute", attribute), ("value", &unknown.value)])))
            }
            _ => None,
        };
        let query = match (base, filters) {
            (Some(base), Ok(filters)) if self.problem.is_none() => Some(ListQuery { base, filters, max: settings.max, credentials: settings.credentials }),
            _ => None,
        };
        let cadence = settings.cadence;
        // An open card follows the list's proxy, cadence, credentials and look: opened anew.
        let card_changed = look_changed || (settings.proxy_url.as_str(), settings.cadence, settings.credentials) != (self.settings.proxy_url.as_str(), self.settings.cadence, self.settings.credentials);
        self.settings = settings;
        if card_changed {
            let open: Vec<String> = self.rows.iter().filter(|(_, r)| r.open.is_some()).map(|(id, _)| id.clone()).collect();
            for id in open {
                self.toggle(&id);
                self.toggle(&id);
            }
        }
        if query != self.query {
            self.subscription = None;
            self.listing = Listing::default();
            self.pages_data.clear();
            self.query = query.clone();
            if let Some(query) = query {
                let me = me.clone();
                let listener: Rc<dyn Fn(ListUpdate)> = Rc::new(move |update| heard(&me, update));
                self.subscription = Some(subscribe_list(query, cadence, listener));
            } else {
                // Nothing is asked: nothing listed stays.
                self.listing = Listing::default();
            }
        } else if let Some(subscription) = &self.subscription {
            subscription.set_cadence(cadence);
        }
        if look_changed {
            // Every row names its task in the new language.
            let locale = self.settings.locale;
            for (id, row) in self.rows.0.iter_mut() {
                row.name_words(id, locale);
            }
            // Every drawn card speaks and looks anew (a row's place does not depend on the language).
            let drawn: Vec<String> = self.rows.iter().filter(|(_, r)| r.drawn.is_some()).map(|(id, _)| id.clone()).collect();
            for id in drawn {
                self.undraw(&id);
                self.draw(&id);
            }
        }
        self.show()
    }

    /// The observer that draws the cards of rows on screen, the hold of the order under the
    /// pointer, the expand buttons (one listener for every row).
    fn listen(&mut self, me: &Weak<RefCell<Option<Fleet>>>) {
        let seen = {
            let me = me.clone();
            Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                with_fleet(&me, |fleet| {
                    for entry in entries.iter() {
                        let entry: IntersectionObserverEntry = entry.unchecked_into();
                        let (target, seen) = (entry.target(), entry.is_intersecting());
                        if let Some(id) = target.get_attribute("data-project") {
                            fleet.seen(&id, seen);
                        } else if let Some(block) = fleet.blocks.iter().position(|b| b.element == target) {
                            fleet.block_seen(block, seen);
                        }
                    }
                    Vec::new()
                });
            })
        };
        let options = IntersectionObserverInit::new();
        options.set_root_margin(DRAW_MARGIN);
        self.observer = IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &options).ok();
        self._seen = Some(seen);
        let rows = self.dom.rows.clone();
        let hold = |held: bool| {
            let me = me.clone();
            move || {
                with_fleet(&me, |fleet| {
                    fleet.held = held;
                    if held { Vec::new() } else { fleet.show() }
                })
            }
        };
        let clicked = {
            let me = me.clone();
            move |event: web_sys::Event| {
                let button = event.target().and_then(|t| t.dyn_into::<Element>().ok()).and_then(|t| t.closest("[data-action=\"expand\"]").ok().flatten());
                let id = button.and_then(|b| b.closest("[data-project]").ok().flatten()).and_then(|row| row.get_attribute("data-project"));
                if let Some(id) = id {
                    with_fleet(&me, |fleet| {
                        fleet.toggle(&id);
                        Vec::new()
                    });
                }
            }
        };
        let refresh = super::dom::find(&self.dom.root, ".oms-list-head .oms-refresh");
        let me_refresh = me.clone();
        self._listeners = vec![
            Listener::with_event(&rows, "click", clicked),
            Listener::on(&rows, "pointerenter", hold(true)),
            Listener::on(&rows, "pointerleave", hold(false)),
            Listener::on(&refresh, "click", move || {
                with_fleet(&me_refresh, |fleet| {
                    fleet.subscription.iter().for_each(ListSubscription::refresh);
                    Vec::new()
                })
            }),
        ];
    }

    /// A block came near the screen or left it: its rows are watched, or their cards let go.
    fn block_seen(&mut self, block: usize, seen: bool) {
        self.blocks[block].seen = seen;
        let rows: Vec<String> = self.rows.iter().filter(|(_, r)| r.block == block).map(|(id, _)| id.clone()).collect();
        for id in rows {
            self.watch(&id, seen);
        }
    }

    /// Watches row `id` for coming on screen (its block is near it), or stops: its card goes.
    fn watch(&mut self, id: &str, watched: bool) {
        let Some(row) = self.rows.get_mut(id) else { return };
        if std::mem::replace(&mut row.watched, watched) == watched {
            return;
        }
        if let Some(observer) = &self.observer {
            if watched {
                observer.observe(&row.element);
            } else {
                observer.unobserve(&row.element);
            }
        }
        if !watched {
            self.seen(id, false);
        }
    }

    /// A row came on screen (or near it) or left: its card is drawn or let go.
    fn seen(&mut self, id: &str, seen: bool) {
        let Some(row) = self.rows.get_mut(id) else { return };
        // An entry the observer had queued before the row's block left the screen comes late.
        let seen = seen && row.watched;
        row.seen = seen;
        if seen && row.drawn.is_none() && row.open.is_none() {
            self.draw(id);
        } else if !seen && row.drawn.is_some() {
            self.undraw(id);
        }
    }

    /// Draws the compact card of row `id` from what the list knows of its task.
    fn draw(&mut self, id: &str) {
        let settings = self.card_settings(id, Layout::Compact);
        let Some(row) = self.rows.get_mut(id) else { return };
        if row.data.story.is_none() {
            row.data.retell(js_sys::Date::now());
        }
        let signal = ArcRwSignal::new(row.data.clone());
        let data = signal.clone();
        let place = row.place.clone();
        let view = leptos::mount::mount_to(place, move || {
            let data: ReadSignal<CardData> = data.read_only().into();
            super::card_view(ArcRwSignal::new(settings), data, use_clock(), UnsyncCallback::new(|()| {}))
        });
        row.drawn = Some((signal, Box::new(view)));
        let _ = row.element.set_attribute("data-drawn", "");
    }

    /// Lets go of row `id`'s compact card.
    fn undraw(&mut self, id: &str) {
        if let Some(row) = self.rows.get_mut(id) {
            let drawn = row.drawn.take();
            let _ = row.element.remove_attribute("data-drawn");
            row.data.story = None;
            drop(drawn);
        }
    }

    /// Opens row `id`'s full card in place (it polls its task itself), or closes it.
    fn toggle(&mut self, id: &str) {
        let open = self.rows.get(id).is_some_and(|r| r.open.is_some());
        if open {
            if let Some(row) = self.rows.get_mut(id) {
                drop(row.open.take());
                row.expand.set(Some("false"));
                let _ = row.element.remove_attribute("data-drawn");
            }
            if self.rows.get(id).is_some_and(|r| r.seen) {
                self.draw(id);
            }
            return;
        }
        self.undraw(id);
        let settings = self.card_settings(id, Layout::Full);
        let Some(row) = self.rows.get_mut(id) else { return };
        let view = leptos::mount::mount_to(row.place.clone(), move || {
            let settings = ArcRwSignal::new(settings);
            let feed = use_task_feed(settings.clone(), None);
            let data = feed.data;
            super::card_view(settings, data, use_clock(), UnsyncCallback::new(move |()| feed.refresh()))
        });
        row.open = Some(Box::new(view));
        row.expand.set(Some("true"));
        let _ = row.element.set_attribute("data-drawn", "");
    }

    /// What a row's card is told: its task, the list's proxy, cadence, language and look.
    fn card_settings(&self, id: &str, layout: Layout) -> Settings {
        let s = &self.settings;
        Settings {
            project_id: id.to_owned(),
            proxy_url: s.proxy_url.clone(),
            cadence: s.cadence,
            credentials: s.credentials,
            locale: s.locale,
            theme: s.theme,
            layout,
            steps: StepsMode::Auto,
        }
    }

    /// Hears the feed.
    fn heard(&mut self, update: ListUpdate) -> Vec<ListEvent> {
        let now = js_sys::Date::now();
        let mut events = Vec::new();
        match update {
            ListUpdate::Page { page, pages, tasks, data, total } => {
                self.listing.answered(page, tasks, total, pages, now);
                self.pages_data.truncate(pages as usize);
                if self.pages_data.len() < page as usize {
                    self.pages_data.resize(page as usize, JsValue::UNDEFINED);
                }
                self.pages_data[page as usize - 1] = data;
                if self.listing.polled {
                    // Drawn at the poll's end; the rows take this page's copy of their tasks now,
                    // so the last poll's copy goes page by page (the wasm's memory keeps its
                    // highest mark: both polls' copies at once cost a page of 1 000 tasks 1 MB),
                    // and their stories are told now, a page a task, not all at the poll's end.
                    let locale = self.settings.locale;
                    for task in self.listing.page(page) {
                        if let Some((id, row)) = task.progress.project_id.as_deref().and_then(|id| Some((id, self.rows.get_mut(id)?))) {
                            row.retell(id, task, now, None, now, locale);
                        }
                    }
                }
            }
            ListUpdate::Failed { page, failure } => {
                events.push(ListEvent::Error { message: crate::model::failure_message(&failure, self.settings.locale), failure: failure.clone() });
                self.listing.failed(page, failure);
            }
            ListUpdate::Polled { complete } => {
                self.listing.polled = true;
                // Told once every page answered; the pages' data is not kept past it (a host
                // that wants it keeps the event's).
                let pages = std::mem::take(&mut self.pages_data);
                if complete {
                    let all = js_sys::Array::new();
                    for data in &pages {
                        if js_sys::Array::is_array(data) {
                            for task in data.unchecked_ref::<js_sys::Array>().iter() {
                                all.push(&task);
                            }
                        }
                    }
                    events.push(ListEvent::Listed { data: all.into() });
                }
                self.update_rows(now);
                return [self.show(), events].concat();
            }
        }
        // A failure is drawn at once, with its event.
        if !self.listing.polled || !events.is_empty() {
            self.update_rows(now);
            events = [self.show(), events].concat();
        }
        events
    }

    /// Brings each row up to what the pages say: a row whose task is as it was is not touched.
    fn update_rows(&mut self, now: f64) {
        let locale = self.settings.locale;
        let failure = self.listing.failure.clone();
        let listed = self.listing.tasks(self.settings.max);
        for row in self.rows.values_mut() {
            row.listed = false;
        }
        for (task, confirmed, at) in listed {
            let Some(id) = task.progress.project_id.as_deref() else { continue };
            if !self.rows.contains_key(id) {
                let Some(row) = Row::new(id, task) else { continue };
                self.rows.insert(id.to_owned(), row);
            }
            let Some(row) = self.rows.get_mut(id) else { continue };
            row.listed = true;
            row.retell(id, task, at, if confirmed { None } else { failure.clone() }, now, locale);
            row.repaint(id, locale);
        }
        // Tasks no longer listed go, with their cards.
        let gone: Vec<String> = self.rows.iter().filter(|(_, r)| !r.listed).map(|(id, _)| id.clone()).collect();
        for id in gone {
            if let Some(row) = self.rows.remove(&id) {
                if let Some(observer) = &self.observer {
                    observer.unobserve(&row.element);
                }
                row.element.remove();
            }
        }
    }

    /// Shows the header and the rows' order; the events of a new state.
    fn show(&mut self) -> Vec<ListEvent> {
        let l = self.settings.locale;
        let has_data = self.listing.has_data();
        let phase = match (&self.problem, has_data, &self.listing.failure) {
            (Some(_), ..) => Phase::Error,
            (None, true, Some(_)) => Phase::Stale,
            // Ready says the list is whole: a host that waits for it counts every task. The rows
            // of the first poll's pages show as they come, the list still loading.
            (None, true, None) if !self.listing.polled => Phase::Loading,
            (None, true, None) => Phase::Ready,
            (None, false, Some(_)) => Phase::Error,
            (None, false, None) => Phase::Loading,
        };
        let d = &mut self.dom;
        d.state.set(Some(phase.as_str()));
        d.busy.set(Some(if phase == Phase::Loading { "true" } else { "false" }));
        d.theme.set(Some(self.settings.theme.as_str()));
        d.lang.set(Some(l.tag()));
        d.title.set(l.text(Words::Tasks));
        d.label.set(Some(l.text(Words::Tasks)));
        d.refresh_label.set(Some(l.text(Words::Refresh)));
        d.loading.show(phase == Phase::Loading && !has_data);
        d.loading_text.set(l.text(Words::Loading));
        let shown = self.rows.len();
        let total = self.listing.total;
        d.total.set(total.map(|t| crate::oms::decimal(t as i64)).as_deref());
        d.shown.set(has_data.then(|| crate::oms::decimal(shown as i64)).as_deref());
        // Numbers are written only when there is data to count: the list's first show, before
        // any answer, then does not pay for the page's first Intl formatter (ICU's start).
        let count = |n: u64| super::intl::count(l, n as f64);
        d.count.set(&match total {
            _ if !has_data => String::new(),
            Some(t) if t as usize > shown => fill(l.sentence(Sentence::ListCount), &[("shown", &count(shown as u64)), ("total", &count(t))]),
            _ => fill(l.sentence(Sentence::AllListed), &[("total", &count(shown as u64))]),
        });
        d.empty.show(has_data && shown == 0);
        d.empty_text.set(l.text(Words::NoTasks));
        let counts = summary(self.rows.values().map(|r| (r.rank.attention, r.running)));
        let values = [counts.failed, counts.alarm, counts.lagging, counts.running, counts.done];
        for (attr, value) in d.counts.iter_mut().zip(values) {
            attr.set(has_data.then(|| crate::oms::decimal(value as i64)).as_deref());
        }
        d.summary.set(&if has_data {
            let words: Vec<String> = values.iter().map(|v| count(*v as u64)).collect();
            fill(l.sentence(Sentence::Summary), &[("failed", &words[0]), ("alarm", &words[1]), ("lagging", &words[2]), ("running", &words[3]), ("done", &words[4])])
        } else {
            String::new()
        });
        d.freshness.patch(self.listing.updated_ms, phase == Phase::Stale, has_data || phase == Phase::Error, l);
        let alert = self.problem.clone().or_else(|| self.listing.failure.clone().map(AlertContent::Failure));
        d.alert.patch(alert.as_ref(), !has_data, l);
        d.freshness.tick(js_sys::Date::now());
        self.reorder();
        if self.told_state != phase.as_str() {
            self.told_state = phase.as_str();
            return vec![ListEvent::State(phase.as_str())];
        }
        Vec::new()
    }

    /// Puts the rows in attention order, moving the fewest (a row that changes its place moves
    /// alone); while the pointer is over the rows or the keyboard's focus in them, those already
    /// shown keep their places, in their blocks, and new ones go last (a row moved loses focus).
    fn reorder(&mut self) {
        let held = self.held || self.dom.rows.matches(":focus-within").unwrap_or(false);
        // Where each row stands: its place in the order last shown (`None`: new since).
        let mut standing: Vec<Option<usize>> = vec![None; self.rows.len()];
        for (place, id) in self.order.iter().enumerate() {
            if let Ok(row) = self.rows.at(id) {
                standing[row] = Some(place);
            }
        }
        let stands = |id: &str| self.rows.at(id).ok().and_then(|row| standing[row]);
        let wanted: Vec<String> = if held {
            let mut kept: Vec<String> = self.order.iter().filter(|id| self.rows.contains_key(id)).cloned().collect();
            let mut new: Vec<&String> = self.rows.iter().filter(|(id, _)| stands(id).is_none()).map(|(id, _)| id).collect();
            new.sort_by(|a, b| self.rows[*a].rank.cmp(&self.rows[*b].rank));
            kept.extend(new.into_iter().cloned());
            kept
        } else {
            // OMS's order first (a stable sort keeps it among equals), then attention.
            let listed: Vec<String> = self.listing.tasks(self.settings.max).iter().filter_map(|(t, ..)| t.progress.project_id.clone()).filter(|id| self.rows.contains_key(id)).collect();
            let places: Vec<Place> = listed.iter().map(|id| self.rows[id].rank.clone()).collect();
            order(&places).into_iter().map(|at| listed[at].clone()).collect()
        };
        if wanted == self.order {
            return;
        }
        // While held, each block keeps its rows; the new ones go last.
        let sizes = block_sizes(wanted.len(), held.then(|| {
            let (mut now, mut new) = (vec![0; self.blocks.len()], 0);
            for id in &wanted {
                match now.get_mut(self.rows[id].block) {
                    Some(size) => *size += 1,
                    None => new += 1,
                }
            }
            (now, new)
        }));
        // Block by block, the rows that already stand in order in that block stay; each other
        // row goes before the row after it (new rows stand nowhere yet: they always go), from
        // the last, so that row is placed. A row that moves far also moves one row across each
        // block boundary it passes.
        let blocks = sizes.len();
        while self.blocks.len() < blocks {
            let Some(element) = self.dom.rows.owner_document().and_then(|d| d.create_element("div").ok()) else { return };
            element.set_class_name("oms-block");
            let _ = self.dom.rows.append_child(&element);
            if let Some(observer) = &self.observer {
                observer.observe(&element);
            }
            self.blocks.push(Block { room: Attr::of(&element, "style"), element, seen: false });
        }
        let mut moved = Vec::new();
        let mut rest = wanted.as_slice();
        for (at, (block, size)) in self.blocks.iter().zip(&sizes).enumerate() {
            let chunk;
            (chunk, rest) = rest.split_at(*size);
            let keep = unmoved(&chunk.iter().map(|id| stands(id).filter(|_| self.rows[id].block == at)).collect::<Vec<_>>());
            let mut next: Option<web_sys::Node> = None;
            for (id, keep) in chunk.iter().zip(keep).rev() {
                let element = &self.rows[id].element;
                if !keep {
                    let _ = block.element.insert_before(element, next.as_ref());
                    moved.push((id.clone(), at, block.seen));
                }
                next = Some(element.clone().into());
            }
        }
        // The blocks left over are empty: every row stands before them.
        for block in self.blocks.drain(blocks..) {
            if let Some(observer) = &self.observer {
                observer.unobserve(&block.element);
            }
            block.element.remove();
        }
        // A block not full takes the room of its rows alone (list.css).
        for (block, &rows) in self.blocks.iter_mut().zip(&sizes) {
            block.room.set((rows < BLOCK).then(|| ["--_n:", &crate::oms::decimal(rows as i64)].concat()).as_deref());
        }
        for (id, block, seen) in moved {
            if let Some(row) = self.rows.get_mut(&id) {
                row.block = block;
            }
            self.watch(&id, seen);
        }
        self.order = wanted;
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

impl Row {
    /// A new row for task `id`, in no block yet.
    fn new(id: &str, task: &ListedTask) -> Option<Self> {
        let element: Element = ROW_TEMPLATE.with(|t| t.as_ref()?.content().first_element_child()?.clone_node_with_deep(true).ok()?.dyn_into().ok())?;
        let _ = element.set_attribute("data-project", id);
        let button = super::dom::find(&element, ".oms-expand");
        let name = task.project.name.clone().unwrap_or_else(|| id.to_owned());
        Some(Row {
            attention: Attr::of(&element, "data-attention"),
            name: Text::find(&element, ".oms-task-name"),
            expand: Attr::of(&button, "aria-expanded"),
            expand_label: Attr::of(&button, "aria-label"),
            place: super::dom::find(&element, ".oms-task-card").dyn_into().ok()?,
            element,
            data: CardData { history: crate::model::fleet::row_history(), ..CardData::default() },
            drawn: None,
            open: None,
            seen: false,
            block: usize::MAX,
            watched: false,
            rank: Place { attention: Attention::Ok, eta: None, name },
            running: false,
            listed: true,
            redraw: true,
            repaint: false,
        })
    }

    /// Names the row's task in `locale`: its placeholder text and its button's label.
    fn name_words(&mut self, id: &str, locale: Locale) {
        let name = self.data.project.as_ref().and_then(|p| p.name.as_deref());
        let task = name.map_or_else(|| id.to_owned(), |name| fill(locale.sentence(Sentence::NamedTask), &[("name", name), ("id", id)]));
        self.expand_label.set(Some(&fill(locale.sentence(Sentence::OpenTask), &[("task", &task)])));
        self.name.set(&task);
    }

    /// Brings the row's card data, place and attention up to `task` (listed at `at`; `failure`:
    /// why its page is not confirmed), without touching the page: `repaint` writes it.
    fn retell(&mut self, id: &str, task: &ListedTask, at: f64, failure: Option<Failure>, now: f64, locale: Locale) {
        self.adopt(task);
        let same = !std::mem::take(&mut self.redraw);
        if same && self.data.failure == failure {
            return;
        }
        if !same {
            if let Ok(mut held) = self.data.history.lock() {
                held.record(at, &task.progress, Some(&task.steps), true);
            }
            let ready = self.data.ready;
            self.data = card_data(task, at, self.data.history.clone());
            self.data.ready = ready;
        }
        self.data.failure = failure;
        self.data.retell(now.max(at));
        self.data.revision = self.data.revision.wrapping_add(1);
        let model = CardModel::new(&self.data, locale);
        self.rank = Place::of(&model, id);
        self.running = task.progress.is_running();
        // A row not drawn keeps no story: told again when it is drawn.
        if self.drawn.is_none() {
            self.data.story = None;
        }
        self.repaint = true;
    }

    /// Writes what `retell` changed: the row's attention and words, its drawn card.
    fn repaint(&mut self, id: &str, locale: Locale) {
        if !std::mem::take(&mut self.repaint) {
            return;
        }
        self.attention.set(Some(self.rank.attention.as_str()));
        self.name_words(id, locale);
        if let Some((signal, _)) = &self.drawn {
            signal.set(self.data.clone());
        }
    }

    /// Takes `task`'s copy of the row's parts, so the page's and the row's are one and the old
    /// one goes; a row whose task changed is marked to be redrawn.
    fn adopt(&mut self, task: &ListedTask) {
        self.redraw |= !self.same(task);
        self.data.progress = Some(task.progress.clone());
        self.data.steps = Some(task.steps.clone());
        self.data.project = Some(task.project.clone());
    }

    /// Whether `task` is what the row already shows.
    fn same(&self, task: &ListedTask) -> bool {
        // The very answer (a page that did not answer again) is known without looking inside.
        fn same<T: PartialEq>(held: Option<&Arc<T>>, new: &Arc<T>) -> bool {
            held.is_some_and(|held| Arc::ptr_eq(held, new) || **held == **new)
        }
        same(self.data.progress.as_ref(), &task.progress) && same(self.data.steps.as_ref(), &task.steps) && same(self.data.project.as_ref(), &task.project)
    }
}

/// Runs `f` on the list, then tells its host what `f` returned (outside the borrow).
fn with_fleet(me: &Weak<RefCell<Option<Fleet>>>, f: impl FnOnce(&mut Fleet) -> Vec<ListEvent>) {
    let Some(rc) = me.upgrade() else { return };
    let (events, on_event) = {
        let Ok(mut slot) = rc.try_borrow_mut() else { return };
        let Some(fleet) = slot.as_mut() else { return };
        (f(fleet), fleet.on_event)
    };
    emit(on_event, events);
}

/// The feed's listener.
fn heard(me: &Weak<RefCell<Option<Fleet>>>, update: ListUpdate) {
    with_fleet(me, |fleet| fleet.heard(update));
}
