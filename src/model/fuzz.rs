//! Property tests of the whole way a hostile answer goes: each action's `data` in the shape the
//! card reads it (the api crate's shapes) with arbitrary values where its fields go, read by the
//! shipped readers, recorded over polls, told as the card's story and shown as its model in both
//! languages; and a list's pages through the fleet's order and summary. In the wasm a panic is an
//! abort that stops every card on the page, so nothing here may panic; and whatever came, the
//! verdicts hold to what the card promises ([`check_verdicts`]).

use super::announce::Verdicts;
use super::card::{Attention, CardData, CardModel, Phase, Readiness};
use super::fleet::{Listing, Place, card_data, order, row_history, summary, unmoved};
use super::labels::Locale;
use super::story::{EtaBasis, SeriesKind, SharedHistory};
use crate::oms::fuzz::json;
use crate::oms::{Code, Failure, ListFilters, ProjectStatus, pages_for, read_listed, read_metric, read_progress, read_project, read_steps, read_verification};
use oms_progress_api::Shape;
use oms_progress_api::fields::{PROGRESS_ANSWER, PROJECT_ANSWER, PROJECTS_ANSWER, STEP_METRIC_ANSWER, STEPS_ANSWER, VERIFICATION_ANSWER};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Words OMS uses where the card branches on them (statuses, steps, types, metrics).
const DOMAIN: &[&str] = &[
    "RUNNING", "FINISHED", "FAILED", "SUSPEND", "MONITORING", "INIT", "PAUSED", "DELETED", "RELEASED", "STOPPED",
    "PRE_CHECK", "STRUCT_TRANSFER", "FULL_TRANSFER", "FULL_VERIFIER", "INCR_TRANSFER", "REVERSE_INCR_TRANSFER",
    "CONNECTOR_FULL_SYNC", "CONNECTOR_INCR_SYNC", "INDEX_TRANSFER", "MIGRATION", "SYNC", "VERIFY", "DELAY", "RPS",
    "HIGH", "MEDIUM", "LOW", "NONE", "true", "false",
];

/// A value where the card reads a field: mostly OMS's words and numbers, sometimes anything.
fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => prop::sample::select(DOMAIN).prop_map(Value::from),
        2 => (0i64..=2_000_000_000).prop_map(Value::from),
        1 => (-1.0e3f64..1.0e3).prop_map(Value::from),
        4 => json(),
    ]
    .boxed()
}

/// Data of `shape`, its fields each there or not, each holding its own shape (or, sometimes,
/// anything at all in its place).
fn shaped(shape: Shape) -> BoxedStrategy<Value> {
    match shape {
        Shape::Scalar => leaf(),
        Shape::Items(item) => prop_oneof![9 => prop::collection::vec(shaped(*item), 0..5).prop_map(Value::Array), 1 => json()].boxed(),
        Shape::Object(names, nested) => {
            let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = names
                .split(',')
                .map(|name| {
                    let inner = nested.iter().find(|(n, _)| *n == name).map_or_else(leaf, |(_, s)| shaped(*s));
                    prop::option::weighted(0.7, inner.prop_map(move |v| (name.to_owned(), v))).boxed()
                })
                .collect();
            let object = fields.prop_map(|kv| Value::Object(kv.into_iter().flatten().collect::<Map<_, _>>()));
            prop_oneof![9 => object, 1 => json()].boxed()
        }
    }
}

/// The `data` an answer of `shape` holds.
fn data_of(answer: Shape) -> BoxedStrategy<Value> {
    shaped(answer.field("data").expect("every answer has data"))
}

/// A task of a list's `data`.
fn listed_task() -> Shape {
    let Some(Shape::Items(task)) = PROJECTS_ANSWER.field("data") else { unreachable!("a list's data is a list") };
    *task
}

/// One poll of a card: what each action answered, and how long after the last poll (s).
fn poll() -> impl Strategy<Value = (Value, Value, Value, Value, Value, f64)> {
    (
        data_of(PROGRESS_ANSWER),
        data_of(STEPS_ANSWER),
        data_of(PROJECT_ANSWER),
        data_of(VERIFICATION_ANSWER),
        data_of(STEP_METRIC_ANSWER),
        prop_oneof![Just(5.0), 0.0f64..4.0e5],
    )
}

/// Reads, records and tells one poll as a card does; returns the models in both languages.
fn card_poll(data: &mut CardData, history: &SharedHistory, answers: &(Value, Value, Value, Value, Value, f64), now_ms: f64) -> Vec<CardModel> {
    let (progress, steps, project, verification, metric, _) = answers;
    if let Some(progress) = read_progress(progress) {
        data.progress = Some(Arc::new(progress));
    }
    data.steps = read_steps(steps).map(Arc::new).or(data.steps.take());
    data.project = read_project(project).map(Arc::new).or(data.project.take());
    data.verification = read_verification(verification).map(Arc::new).or(data.verification.take());
    if let Some(progress) = &data.progress {
        let mut held = history.lock().unwrap();
        held.record(now_ms, progress, data.steps.as_deref().map(Vec::as_slice), true);
        if let Some(series) = read_metric(metric) {
            let steps = data.steps.as_deref().map(Vec::as_slice);
            held.record_series(now_ms, SeriesKind::Lag, "INCR_TRANSFER", &series.points, steps);
            held.record_series(now_ms, SeriesKind::Rate, "FULL_TRANSFER", &series.points, steps);
        }
    }
    data.updated_ms = Some(now_ms);
    data.retell(now_ms);
    [Locale::En, Locale::ZhCn].into_iter().map(|locale| CardModel::new(data, locale)).collect()
}

/// A task as a real OMS tells it at `now_s`, poll `poll` of a run: copying rows (`copying`), or
/// done copying, verified and in sync, ready to switch over. Edits make it hostile.
fn real_task(now_s: i64, poll: i64, copying: bool) -> [Value; 5] {
    let (full, incr) = if copying { ("RUNNING", "INIT") } else { ("FINISHED", "MONITORING") };
    let processed = if copying { 100_000 * (poll + 1) } else { 1_000_000 };
    let progress = json!({
        "projectId": "np_fuzz", "status": "RUNNING", "alarmLevel": "LOW", "currentStep": if copying { "FULL_TRANSFER" } else { "INCR_TRANSFER" },
        "enableStructTransfer": true, "structTransferProgress": 100, "enableFullTransfer": true,
        "fullTransferProgress": processed / 10_000, "enableIncrSync": true, "incrSyncCheckpoint": now_s - 3,
        "enableReverseIncrTransfer": false,
    });
    let steps = json!([
        { "order": 1, "name": "STRUCT_TRANSFER", "status": "FINISHED", "progress": 100, "startTime": now_s - 900, "finishTime": now_s - 800 },
        { "order": 2, "name": "FULL_TRANSFER", "status": full, "progress": processed / 10_000, "startTime": now_s - 800,
          "stepInfo": { "processedRecords": processed, "capacity": 1_000_000, "srcRps": 2000, "dstRps": 1900, "dstRpsRef": 2000 } },
        { "order": 3, "name": "FULL_VERIFIER", "status": full, "progress": if copying { 0 } else { 100 } },
        { "order": 4, "name": "INCR_TRANSFER", "status": incr, "startTime": now_s - 100,
          "stepInfo": { "incrTimestampCheckpoint": now_s - 3, "checkpointSampleTimestamp": now_s - 1 } },
    ]);
    let project = json!({ "id": "np_fuzz", "name": "Orders", "type": "MIGRATION", "enableFullVerify": true,
        "alarmStats": { "alarming": false, "alarmContent": null, "recentlyTriggerCount": 0 } });
    let verification = json!({ "differentNumber": 0, "fullVerifyTableStatistics": [
        { "sourceSchemaName": "shop", "sourceTableName": "orders", "mismatchedCount": 0, "sourceOnlyCount": 0, "destOnlyCount": 0, "consistentCount": 500 } ] });
    let metric = json!({ "metrics": [{ "metricType": "DELAY", "aggregator": "AVG",
        "dataPoints": [{ "timestamp": now_s - 120, "value": 4 }, { "timestamp": now_s - 60, "value": 3 }] }] });
    [progress, steps, project, verification, metric]
}

/// Every place in `value` an edit can reach: object fields and list items, as paths.
fn places(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => return,
    };
    for (key, child) in children {
        at.push(key);
        out.push(at.clone());
        places(child, at, out);
        at.pop();
    }
}

/// Replaces (or, with `None`, removes) what `path` names in `value`, if it is still there.
fn edit(value: &mut Value, path: &[String], new: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut here = value;
    for key in parents {
        here = match here {
            Value::Object(map) => match map.get_mut(key) { Some(v) => v, None => return },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) { Some(v) => v, None => return },
            _ => return,
        };
    }
    match (here, new) {
        (Value::Object(map), Some(new)) => { map.insert(last.clone(), new); }
        (Value::Object(map), None) => { map.remove(last); }
        (Value::Array(items), new) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|i| *i < items.len()) {
                match new { Some(new) => items[i] = new, None => { items.remove(i); } }
            }
        }
        _ => {}
    }
}

/// Edits of a real task's answers: which answer, which place in it (an index into its places,
/// wrapped), and what goes there (nothing: the field is gone).
fn edits() -> impl Strategy<Value = Vec<(usize, usize, Option<Value>)>> {
    prop::collection::vec((0usize..5, any::<usize>(), prop::option::weighted(0.8, leaf())), 0..4)
}

/// What the verdicts people act on never say: ready beside a failure, a firing alarm or a
/// verification that found differences; any verdict or ETA from unconfirmed data; a switch-over
/// verdict for a data sync; an ETA without rows left to count; news when nothing changed; a task
/// that is over said to lag.
fn check_verdicts(model: &CardModel) -> Result<(), TestCaseError> {
    if model.readiness == Some(Readiness::Ready) {
        prop_assert_eq!(model.phase, Phase::Ready);
        prop_assert!(model.firing.is_none());
        prop_assert!(model.attention != Attention::Failed);
        if let Some(verification) = &model.verification {
            prop_assert!(verification.differences.unwrap_or(0) == 0 && verification.worst.is_empty(), "{:?}", verification);
        }
    }
    // What a card says aloud is news only: the same verdicts again say nothing.
    if let Some(verdicts) = Verdicts::of(model) {
        prop_assert_eq!(verdicts.news_since(&verdicts, Locale::En), None);
    }
    if model.phase != Phase::Ready {
        prop_assert!(!matches!(model.readiness, Some(Readiness::Ready | Readiness::NotReady(_))), "a verdict from unconfirmed data");
        prop_assert!(model.eta.is_none(), "an ETA from unconfirmed data");
    }
    if model.attention == Attention::Lagging {
        let over = Code::<ProjectStatus>::new(model.status.raw.clone()).known.is_some_and(ProjectStatus::is_terminal);
        prop_assert!(!over, "a task that is over lags no more");
    }
    if model.story.data_sync {
        prop_assert!(model.readiness.is_none(), "a data sync never switches over");
    }
    if let Some(eta) = &model.eta {
        // Only from rows counted towards a known total not yet reached, or, for a step that
        // counts no rows, from its percent.
        let rows = model.story.rows.as_ref();
        let counted = rows.and_then(|r| Some(r.capacity? - r.processed?)).is_some_and(|left| left > 0.0);
        let by_percent = eta.basis == EtaBasis::Percent && rows.is_some_and(|r| r.processed.is_none());
        prop_assert!(counted || by_percent, "an ETA of {:?} beside {:?}", eta, rows);
        if let Some((low, high)) = eta.range {
            prop_assert!(low <= high);
        }
    }
    Ok(())
}

proptest! {
    // Deep hostile shapes are dear to make in a debug build: fewer of them, more of the real task.
    #![proptest_config(ProptestConfig { cases: 250, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_answers_of_every_action_never_panic_a_card(polls in prop::collection::vec(poll(), 1..5), start in 0.0f64..4.0e12) {
        let history = row_history();
        let mut data = CardData { history: history.clone(), ..CardData::default() };
        let mut now_ms = start;
        let mut before: Option<Verdicts> = None;
        for answers in &polls {
            now_ms += answers.5 * 1000.0;
            for model in card_poll(&mut data, &history, answers, now_ms) {
                let verdicts = Verdicts::of(&model);
                if let (Some(before), Some(now)) = (&before, &verdicts) {
                    let _ = now.news_since(before, Locale::En);
                }
                check_verdicts(&model)?;
                before = verdicts;
            }
        }
    }

    #[test]
    fn hostile_list_pages_never_panic_the_fleet(
        pages in prop::collection::vec(prop::collection::vec(shaped(listed_task()), 0..8), 1..4),
        total in prop_oneof![Just(None), any::<u64>().prop_map(Some)],
        max in 0usize..20_000,
        size in any::<u32>(),
        filters in (".{0,40}", ".{0,20}", ".{0,80}"),
    ) {
        let count = pages_for(total, max, size);
        prop_assert!(count >= 1);
        let _ = ListFilters::read(Some(&filters.0), Some(&filters.1), Some(&filters.2)).map(|f| f.body(count, size));
        let mut listing = Listing::default();
        for (at, tasks) in pages.iter().enumerate() {
            let tasks = read_listed(&Value::Array(tasks.clone())).unwrap_or_default();
            listing.answered(at as u32 + 1, Arc::new(tasks), total, count, 1.0e12 + at as f64);
        }
        let listed = listing.tasks(max);
        let mut places: Vec<Place> = Vec::new();
        let mut words = Vec::new();
        for (task, _, at) in &listed {
            let mut data = card_data(task, *at, row_history());
            data.history.lock().unwrap().record(*at, &task.progress, Some(&task.steps), true);
            data.retell(*at + 5.0);
            let model = CardModel::new(&data, Locale::En);
            words.push((model.attention, task.progress.is_running()));
            places.push(Place::of(&model, task.progress.project_id.as_deref().unwrap_or_default()));
        }
        let shown = order(&places);
        let mut sorted = shown.clone();
        sorted.sort_unstable();
        prop_assert_eq!(sorted, (0..places.len()).collect::<Vec<_>>(), "the order shows every task once");
        let now: Vec<Option<usize>> = shown.iter().rev().map(|i| Some(*i)).collect();
        prop_assert_eq!(unmoved(&now).len(), places.len());
        let counts = summary(words.iter().copied());
        prop_assert!(counts.failed + counts.alarm + counts.lagging + counts.done <= places.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_real_task_with_hostile_edits_never_panics_nor_shows_a_false_verdict(
        copying in any::<bool>(),
        polls in prop::collection::vec((edits(), prop_oneof![4 => Just(5i64), 1 => 0i64..4000], prop::bool::weighted(0.2)), 1..6),
        start in 1_600_000_000i64..1_900_000_000,
    ) {
        let history = row_history();
        let mut data = CardData { history: history.clone(), ..CardData::default() };
        let mut now_s = start;
        for (poll, (edits, after, fails)) in polls.iter().enumerate() {
            now_s += after;
            if *fails {
                // The refresh failed: the card keeps what it showed, unconfirmed.
                data.failure = Some(Failure::Timeout);
                data.retell(now_s as f64 * 1000.0);
                for locale in [Locale::En, Locale::ZhCn] {
                    check_verdicts(&CardModel::new(&data, locale))?;
                }
                continue;
            }
            data.failure = None;
            let mut answers = real_task(now_s, poll as i64, copying);
            for (answer, place, new) in edits {
                let mut all = Vec::new();
                places(&answers[*answer], &mut Vec::new(), &mut all);
                if !all.is_empty() {
                    edit(&mut answers[*answer], &all[place % all.len()], new.clone());
                }
            }
            let [progress, steps, project, verification, metric] = answers;
            for model in card_poll(&mut data, &history, &(progress, steps, project, verification, metric, 0.0), now_s as f64 * 1000.0) {
                check_verdicts(&model)?;
            }
        }
    }
}
