//! The fleet's list (`ListProjects`) in the order a person acts on it: each task read as a card
//! would know it, so the card's own model decides its attention word; tasks ordered by that word
//! (failed, alarm, lagging, stale, ok, done), then by the soonest ETA, then by name; and the
//! summary's counts. Pure, tested natively; the list element (issue 22) shows it.

use super::card::{Attention, CardData, CardModel};
use crate::oms::{Failure, ListedTask};
use std::cmp::Ordering;
use std::sync::Arc;

/// Samples a listed task keeps of its rows and of its lag (a minute at the default interval:
/// enough for the ETA's rate and the lag's trend in a row; its open card keeps its own minutes).
pub const ROW_SAMPLES: usize = 12;

/// What the page has seen of a listed task: a history keeping [`ROW_SAMPLES`].
pub fn row_history() -> super::story::SharedHistory {
    std::sync::Arc::new(std::sync::Mutex::new(super::story::History::keeping(ROW_SAMPLES)))
}

/// One page of the list, as its latest answer gave it.
#[derive(Clone, Debug)]
pub struct ListedPage {
    /// Its tasks.
    pub tasks: Arc<Vec<ListedTask>>,
    /// When it came (local ms).
    pub at_ms: f64,
    /// Whether the latest request of this page answered (else its tasks are from an earlier poll).
    pub confirmed: bool,
}

/// What the list knows: each page's latest tasks (a page that fails keeps its earlier ones,
/// unconfirmed), OMS's total, and the failure while any page's latest request failed.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    pages: Vec<Option<ListedPage>>,
    /// OMS's `totalCount`, from the latest first page that gave one.
    pub total: Option<u64>,
    /// The latest failure, while some page's latest request failed.
    pub failure: Option<Failure>,
    /// When the latest page answered (local ms).
    pub updated_ms: Option<f64>,
    /// A whole poll has been heard: the list draws a later poll's pages once, at its end (one
    /// pass, not one a page: sixty-seven at the largest `max`), and the first's as they come.
    pub polled: bool,
}

impl Listing {
    /// Page `page` (from 1) answered with `tasks`; `total` is OMS's count, `pages` how many
    /// pages the list now has (a first page drops pages past the end).
    pub fn answered(&mut self, page: u32, tasks: Arc<Vec<ListedTask>>, total: Option<u64>, pages: u32, at_ms: f64) {
        let at = page.saturating_sub(1) as usize;
        if page == 1 {
            self.total = total.or(self.total);
            self.pages.truncate(pages as usize);
        }
        if self.pages.len() <= at {
            self.pages.resize(at + 1, None);
        }
        self.pages[at] = Some(ListedPage { tasks, at_ms, confirmed: true });
        self.updated_ms = Some(at_ms);
        if self.pages.iter().flatten().all(|p| p.confirmed) {
            self.failure = None;
        }
    }

    /// Page `page`'s request failed: its tasks stay, unconfirmed.
    pub fn failed(&mut self, page: u32, failure: Failure) {
        let at = page.saturating_sub(1) as usize;
        if self.pages.len() <= at {
            self.pages.resize(at + 1, None);
        }
        // A page that never answered holds no task, and is not confirmed either.
        let held = self.pages[at].get_or_insert_with(|| ListedPage { tasks: Arc::default(), at_ms: 0.0, confirmed: false });
        held.confirmed = false;
        self.failure = Some(failure);
    }

    /// The tasks page `page` (from 1) holds now.
    pub fn page(&self, page: u32) -> &[ListedTask] {
        self.pages.get(page.saturating_sub(1) as usize).and_then(Option::as_ref).map_or(&[], |p| p.tasks.as_slice())
    }

    /// Whether any page has answered (a page that only failed holds nothing to show).
    pub fn has_data(&self) -> bool {
        self.updated_ms.is_some()
    }

    /// Every task, in OMS's order, each once (a task that moved between pages between two
    /// answers is where it was seen first), at most `max`; with whether its page is confirmed
    /// and when its page came.
    pub fn tasks(&self, max: usize) -> Vec<(&ListedTask, bool, f64)> {
        let all: Vec<(&ListedTask, bool, f64)> =
            self.pages.iter().flatten().flat_map(|page| page.tasks.iter().map(move |t| (t, page.confirmed, page.at_ms))).collect();
        // A repeat is a task whose id an earlier one had: sorted by id (stably, so the first
        // stays first), it follows its own. A sort, not a search per task: `max` may be 10 000.
        let id = |at: usize| all[at].0.progress.project_id.as_deref().unwrap_or_default();
        let mut by_id: Vec<usize> = (0..all.len()).collect();
        by_id.sort_by(|a, b| id(*a).cmp(id(*b)));
        let mut repeat = vec![false; all.len()];
        for pair in by_id.windows(2) {
            repeat[pair[1]] = id(pair[0]) == id(pair[1]);
        }
        all.iter().zip(repeat).filter(|(_, repeat)| !repeat).map(|(task, _)| *task).take(max).collect()
    }
}

/// What a card would know of `task` from the list's answer of `at_ms` (local ms): its progress,
/// steps and project, its story not told yet ([`CardData::retell`]). `history` is what the page
/// has seen of the task.
pub fn card_data(task: &ListedTask, at_ms: f64, history: super::story::SharedHistory) -> CardData {
    CardData {
        progress: Some(task.progress.clone()),
        steps: Some(task.steps.clone()),
        project: Some(task.project.clone()),
        updated_ms: Some(at_ms),
        history,
        listed: true,
        ..CardData::default()
    }
}

/// The counts of the list's summary (`[data-field="summary"]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FleetSummary {
    /// Tasks that failed (`data-failed`).
    pub failed: usize,
    /// Tasks with an alarm firing (`data-alarm`).
    pub alarm: usize,
    /// Tasks whose sync lags (`data-lagging`).
    pub lagging: usize,
    /// Tasks that run (`data-running`), whatever their word.
    pub running: usize,
    /// Tasks finished (`data-done`).
    pub done: usize,
}

/// The summary of tasks by their word and whether each runs.
pub fn summary(tasks: impl IntoIterator<Item = (Attention, bool)>) -> FleetSummary {
    let mut counts = FleetSummary::default();
    for (attention, running) in tasks {
        match attention {
            Attention::Failed => counts.failed += 1,
            Attention::Alarm => counts.alarm += 1,
            Attention::Lagging => counts.lagging += 1,
            Attention::Done => counts.done += 1,
            Attention::Stale | Attention::Ok => {}
        }
        counts.running += usize::from(running);
    }
    counts
}

/// One task's place in the list: its word, its ETA (s), its name (else its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// `data-attention`.
    pub attention: Attention,
    /// Seconds left, when the card has an honest estimate.
    pub eta: Option<u64>,
    /// What the task is called.
    pub name: String,
}

impl Place {
    /// The place of a task its card's `model` describes, `id` naming it without a name.
    pub fn of(model: &CardModel, id: &str) -> Self {
        Place { attention: model.attention, eta: model.eta.map(|e| e.seconds), name: model.name.clone().unwrap_or_else(|| id.to_owned()) }
    }
}

impl Ord for Place {
    fn cmp(&self, other: &Self) -> Ordering {
        // The soonest ETA first; a task without one after those with one.
        let eta = |p: &Place| p.eta.map_or((1, 0), |s| (0, s));
        self.attention.cmp(&other.attention).then_with(|| eta(self).cmp(&eta(other))).then_with(|| self.name.cmp(&other.name))
    }
}

impl PartialOrd for Place {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The order to show `places` in: indices into it (a stable sort, so equal places keep the
/// list's order, and a poll that changes nothing moves nothing).
pub fn order(places: &[Place]) -> Vec<usize> {
    let mut at: Vec<usize> = (0..places.len()).collect();
    at.sort_by(|a, b| places[*a].cmp(&places[*b]));
    at
}

/// The rows a block of the list holds (list.css: whole lines at 1 to 6 columns).
pub const BLOCK: usize = 60;

/// How many rows each block holds for `rows` rows in order: [`BLOCK`] each, the last the rest.
/// While the order is `held`, (the rows each block holds now, the new rows): the blocks keep
/// theirs (fewer when tasks went), the new rows fill the last, then blocks of their own. No
/// empty block ends the list.
pub fn block_sizes(rows: usize, held: Option<(Vec<usize>, usize)>) -> Vec<usize> {
    let chunks = |n: usize| (0..n.div_ceil(BLOCK)).map(move |b| (n - b * BLOCK).min(BLOCK));
    let mut sizes: Vec<usize> = match held {
        None => chunks(rows).collect(),
        Some((mut sizes, mut new)) => {
            if let Some(last) = sizes.last_mut() {
                let room = BLOCK.saturating_sub(*last).min(new);
                (*last, new) = (*last + room, new - room);
            }
            sizes.extend(chunks(new));
            sizes
        }
    };
    while sizes.last() == Some(&0) {
        sizes.pop();
    }
    sizes
}

/// Which rows of a new order can stay where they stand: `now[i]` is where the order's i-th row
/// stands now (`None`: not placed yet). Those kept are a longest run whose places rise (what
/// keyed lists keep), so the fewest rows move: one task changing its place moves alone.
pub fn unmoved(now: &[Option<usize>]) -> Vec<bool> {
    // Patience sorting: `ends[k]` is the row ending the best rising run of k + 1 rows so far;
    // `before[i]` the row before row i in its run.
    let mut ends: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; now.len()];
    for (i, place) in now.iter().enumerate() {
        let Some(place) = *place else { continue };
        let k = ends.partition_point(|&end| now[end] < Some(place));
        before[i] = k.checked_sub(1).map(|k| ends[k]);
        if k == ends.len() {
            ends.push(i);
        } else {
            ends[k] = i;
        }
    }
    let mut keep = vec![false; now.len()];
    let mut at = ends.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = before[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use crate::model::Locale;
    use crate::model::card::Readiness;
    use crate::model::story::Blocker;

    /// The card models of `tasks` as the list's answer of `at_ms` tells them, in `locale` (each
    /// with a history of its own, as a fresh page has).
    fn models(tasks: &[ListedTask], at_ms: f64, locale: Locale) -> Vec<CardModel> {
        tasks
            .iter()
            .map(|t| {
                let mut data = card_data(t, at_ms, Default::default());
                data.retell(at_ms);
                CardModel::new(&data, locale)
            })
            .collect()
    }

    fn task(id: &str, name: &str, status: &str, steps: serde_json::Value, alarming: bool) -> ListedTask {
        ListedTask::from_json(&json!({
            "id": id, "name": name, "status": status, "enableIncrTransfer": true, "enableFullTransfer": true, "steps": steps,
            "alarmStats": {"alarming": alarming, "alarmContent": if alarming { "delay" } else { "" }},
        }))
        .unwrap()
    }

    #[test]
    fn a_verified_row_sends_the_reader_to_its_card_for_what_verification_found() {
        // The list tells that full verification finished, not what it found; a row asks nothing.
        let now_s = 1_800_000_000_i64;
        let verified = task("np_v", "verified", "RUNNING", json!([
            {"order": 1, "name": "FULL_TRANSFER", "status": "FINISHED", "progress": 100},
            {"order": 2, "name": "FULL_VERIFIER", "status": "FINISHED", "progress": 100},
            {"order": 3, "name": "INCR_TRANSFER", "status": "MONITORING", "progress": 100, "stepInfo": {"incrTimestampCheckpoint": now_s - 3, "checkpointSampleTimestamp": now_s}},
        ]), false);
        let model = &models(&[verified], now_s as f64 * 1000.0, Locale::En)[0];
        assert_eq!(model.readiness, Some(Readiness::NotReady(vec![Blocker::VerificationInCard])));
        assert_eq!(model.attention, Attention::Ok);
    }

    #[test]
    fn the_fleet_in_the_order_a_person_acts_on_it() {
        let now_s = 1_800_000_000_i64;
        let syncing = |lag: i64| json!([
            {"order": 1, "name": "FULL_TRANSFER", "status": "FINISHED", "progress": 100},
            {"order": 2, "name": "INCR_TRANSFER", "status": "MONITORING", "progress": 100, "stepInfo": {"incrTimestampCheckpoint": now_s - lag, "checkpointSampleTimestamp": now_s}},
        ]);
        let failed = json!([{"order": 1, "name": "FULL_TRANSFER", "status": "FAILED", "progress": 63, "extraInfo": {"errorCode": "E1"}}]);
        let tasks = [
            task("np_ok_b", "b caught up", "RUNNING", syncing(3), false),
            task("np_done", "archive", "FINISHED", json!([{"order": 1, "name": "FULL_TRANSFER", "status": "FINISHED", "progress": 100}]), false),
            task("np_lag", "lagging", "RUNNING", syncing(900), false),
            task("np_alarm", "alarming", "RUNNING", syncing(3), true),
            task("np_failed", "failed", "FAILED", failed, false),
            task("np_ok_a", "a caught up", "RUNNING_VERIFYING", syncing(3), false),
        ];
        let models = models(&tasks, now_s as f64 * 1000.0, Locale::En);
        let places: Vec<Place> = models.iter().zip(&tasks).map(|(m, t)| Place::of(m, t.progress.project_id.as_deref().unwrap())).collect();
        let ids: Vec<&str> = order(&places).into_iter().map(|i| tasks[i].progress.project_id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["np_failed", "np_alarm", "np_lag", "np_ok_a", "np_ok_b", "np_done"]);
        let running = tasks.iter().map(|t| t.progress.is_running());
        assert_eq!(summary(models.iter().map(|m| m.attention).zip(running)), FleetSummary { failed: 1, alarm: 1, lagging: 1, running: 4, done: 1 });
    }

    #[test]
    fn a_failed_page_keeps_its_tasks_unconfirmed_and_pages_past_the_end_go() {
        let page = |ids: &[&str]| Arc::new(ids.iter().map(|id| task(id, id, "RUNNING", json!([]), false)).collect::<Vec<_>>());
        let mut listing = Listing::default();
        listing.answered(1, page(&["a", "b"]), Some(5), 3, 1.0);
        listing.answered(2, page(&["c", "d"]), None, 3, 2.0);
        listing.answered(3, page(&["e"]), None, 3, 3.0);
        let ids = |l: &Listing, max| l.tasks(max).iter().map(|(t, ok, _)| (t.progress.project_id.clone().unwrap(), *ok)).collect::<Vec<_>>();
        assert_eq!(ids(&listing, 4).len(), 4, "at most max");
        assert_eq!((listing.page(2).len(), listing.page(0).len(), listing.page(9).len()), (2, 2, 0), "page 0 reads as the first");
        // The next poll: page 1 answers (b moved to page 2), page 2 fails.
        listing.answered(1, page(&["x", "a"]), Some(6), 3, 4.0);
        listing.failed(2, Failure::Network);
        assert!(listing.failure.is_some());
        let now = ids(&listing, 100);
        assert_eq!(now.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["x", "a", "c", "d", "e"]);
        assert_eq!(now.iter().filter(|(_, ok)| !ok).count(), 2, "page 2's tasks from the last poll, unconfirmed");
        listing.answered(2, page(&["b", "c"]), None, 3, 5.0);
        assert!(listing.failure.is_none(), "every page confirmed again");
        let mut never = Listing::default();
        never.failed(1, Failure::Network);
        assert!(!never.has_data() && never.failure.is_some(), "a first poll that failed has no data to show");
        // A page that never answered stays a failure when the pages after it answer.
        let mut first = Listing::default();
        first.answered(1, page(&["a"]), Some(450), 3, 1.0);
        first.failed(2, Failure::Timeout);
        first.answered(3, page(&["z"]), None, 3, 2.0);
        assert_eq!((first.failure.is_some(), first.tasks(100).len()), (true, 2));
        // Fewer tasks now: one page.
        listing.answered(1, page(&["a"]), Some(1), 1, 6.0);
        assert_eq!(ids(&listing, 100), [("a".to_owned(), true)]);
        assert_eq!(listing.total, Some(1));
    }

    #[test]
    fn the_soonest_eta_first_then_the_name_and_equal_places_keep_their_order() {
        let place = |eta: Option<u64>, name: &str| Place { attention: Attention::Ok, eta, name: name.into() };
        let places = [place(None, "a"), place(Some(600), "z"), place(Some(60), "y"), place(None, "a"), place(Some(60), "b")];
        assert_eq!(order(&places), [4, 2, 1, 0, 3]);
    }

    #[test]
    fn a_task_on_two_pages_is_listed_once_where_it_was_seen_first() {
        let page = |ids: &[&str]| Arc::new(ids.iter().map(|id| task(id, id, "RUNNING", json!([]), false)).collect::<Vec<_>>());
        let mut listing = Listing::default();
        listing.answered(1, page(&["c", "a", "b"]), Some(6), 2, 1.0);
        listing.answered(2, page(&["b", "d", "c", "d"]), None, 2, 2.0);
        let ids: Vec<String> = listing.tasks(100).iter().map(|(t, ..)| t.progress.project_id.clone().unwrap()).collect();
        assert_eq!(ids, ["c", "a", "b", "d"]);
        assert_eq!(listing.tasks(2).len(), 2);
    }

    #[test]
    fn blocks_are_full_but_the_last_and_a_held_order_keeps_each_block_its_rows() {
        assert_eq!(block_sizes(0, None), Vec::<usize>::new());
        assert_eq!(block_sizes(60, None), [60]);
        assert_eq!(block_sizes(130, None), [60, 60, 10]);
        // Held: two tasks went from the first block, 70 came: the last block fills, then one more.
        assert_eq!(block_sizes(188, Some((vec![58, 60], 70))), [58, 60, 60, 10]);
        // Held: the last block emptied (its tasks went) and nothing came: it goes.
        assert_eq!(block_sizes(60, Some((vec![60, 0], 0))), [60]);
        // Held: an emptied block between others stays (its rows' places hold).
        assert_eq!(block_sizes(70, Some((vec![60, 0, 10], 0))), [60, 0, 10]);
        // Held: nothing shown before, new rows in blocks of their own.
        assert_eq!(block_sizes(61, Some((vec![], 61))), [60, 1]);
        // Every size sums to the rows.
        for rows in 0..200 {
            assert_eq!(block_sizes(rows, None).iter().sum::<usize>(), rows);
        }
    }

    #[test]
    fn the_rows_kept_in_place_are_the_most_that_already_stand_in_order() {
        // One row moving, either way, moves alone.
        assert_eq!(unmoved(&[Some(1), Some(2), Some(3), Some(0)]), [true, true, true, false]);
        assert_eq!(unmoved(&[Some(3), Some(0), Some(1), Some(2)]), [false, true, true, true]);
        // A row not placed yet always moves; nothing standing, nothing kept.
        assert_eq!(unmoved(&[None, Some(0), None, Some(1)]), [false, true, false, true]);
        assert_eq!(unmoved(&[]), Vec::<bool>::new());
        // Every order of five rows (and of five with one new): what is kept stands in rising
        // places, and no rising run is longer.
        fn longest(now: &[Option<usize>]) -> usize {
            (0..1u32 << now.len())
                .filter(|set| {
                    let places: Vec<Option<usize>> = (0..now.len()).filter(|i| set & (1 << i) != 0).map(|i| now[i]).collect();
                    places.iter().all(Option::is_some) && places.windows(2).all(|w| w[0] < w[1])
                })
                .map(u32::count_ones)
                .max()
                .unwrap_or(0) as usize
        }
        let mut orders: Vec<Vec<Option<usize>>> = vec![vec![]];
        for n in 0..5 {
            orders = orders.iter().flat_map(|o| (0..=o.len()).map(move |at| { let mut o = o.clone(); o.insert(at, Some(n)); o })).collect();
        }
        let with_new: Vec<Vec<Option<usize>>> = orders.iter().map(|o| { let mut o = o.clone(); o[2] = None; o }).collect();
        for now in orders.iter().chain(&with_new) {
            let keep = unmoved(now);
            let kept: Vec<Option<usize>> = now.iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| *p).collect();
            assert!(kept.iter().all(Option::is_some) && kept.windows(2).all(|w| w[0] < w[1]), "{now:?}");
            assert_eq!(kept.len(), longest(now), "{now:?}");
        }
    }
}
