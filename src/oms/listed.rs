//! A task of `ListProjects`' `data`, read into what a card knows of a task (its progress, steps
//! and project), so the fleet's list shows each task through the card's own model. OMS's list
//! has no `currentStep`, stage percent or checkpoint at the top: they are read from its steps.

use super::codes::{Code, Step};
use super::fields::LISTED_PROJECT;
use super::loose::JsonValue;
use super::progress::{Checkpoint, IncrementalStage, Progress, Stage};
use super::project::ProjectInfo;
use super::steps::{StepStatus, TaskStep, read_steps};
use oms_progress_api::page_holds;
use std::sync::Arc;

/// One task of a list (each part shared, so what a card knows of it is not a copy).
#[derive(Clone, Debug, PartialEq)]
pub struct ListedTask {
    /// What `DescribeProjectProgress` would say, as far as the list tells it.
    pub progress: Arc<Progress>,
    /// Its steps, as `DescribeProjectSteps` has them.
    pub steps: Arc<Vec<TaskStep>>,
    /// Its name, type and firing alarm.
    pub project: Arc<ProjectInfo>,
}

impl ListedTask {
    /// Reads one task of the list; `None` for anything but an object with an id.
    pub fn from_json<V: JsonValue>(item: &V) -> Option<Self> {
        let v = item.fields(LISTED_PROJECT)?;
        let value = |name: &str| LISTED_PROJECT.split(',').position(|f| f == name).map(|at| &v[at]);
        let field = |name: &str| value(name).map(JsonValue::loose);
        let id = field("id")?.non_blank_text()?;
        let steps = value("steps").and_then(read_steps).unwrap_or_default();
        let of = |step: Step| steps.iter().find(|s| s.known_step() == Some(step));
        let percent = |step| of(step).and_then(|s| s.progress);
        let checkpoint = |step| of(step).and_then(|s| s.info.checkpoint).map_or(Checkpoint::None, Checkpoint::Unix);
        let flag = |name: &str| field(name).and_then(|f| f.flag());
        // The step OMS is at: the last one that has started.
        let current = steps.iter().rfind(|s| s.known_status().is_some_and(|status| status != StepStatus::Init)).and_then(|s| s.name.clone());
        let progress = Progress {
            project_id: Some(id),
            status: field("status").and_then(|s| s.non_blank_text()).map(Code::new),
            alarm_level: None,
            current_step: current,
            schema: Stage { enabled: flag("enablestructtransfer"), percent: percent(Step::SchemaMigration) },
            full: Stage { enabled: flag("enablefulltransfer"), percent: percent(Step::FullMigration).or_else(|| percent(Step::FullSync)) },
            incremental: IncrementalStage { enabled: flag("enableincrtransfer"), checkpoint: checkpoint(Step::IncrSync) },
            reverse: IncrementalStage { enabled: flag("enablereverseincrtransfer"), checkpoint: checkpoint(Step::ReverseIncrSync) },
        };
        Some(ListedTask {
            project: Arc::new(ProjectInfo::from_json(item)?),
            progress: Arc::new(progress),
            steps: Arc::new(steps),
        })
    }
}

/// Reads `data` of a `ListProjects` answer: an array of tasks (anything else in it, or a task
/// without an id, is left out), at most a page of OMS's largest (`MAX_PAGE_SIZE`, what the list
/// asks): more is a server that ignored `pageSize`, and the wasm's memory never gives back what
/// a page of thousands would take. `None` when it is not an array.
pub fn read_listed<V: JsonValue>(data: &V) -> Option<Vec<ListedTask>> {
    Some(data.items()?.iter().take(oms_progress_api::MAX_PAGE_SIZE as usize).filter_map(ListedTask::from_json).collect())
}

/// The filters of a list, as OMS takes them (`status`, `type`, `searchKey`); empty: all tasks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilters {
    /// OMS statuses to list (`status[]`), known ones, each once.
    pub statuses: Vec<String>,
    /// `MIGRATION`, `SYNC` or `VERIFY`.
    pub kind: Option<String>,
    /// OMS's `searchKey`: a name or id, at most [`MAX_SEARCH_KEY_CHARS`](oms_progress_api::MAX_SEARCH_KEY_CHARS) characters.
    pub search: Option<String>,
}

/// A filter value OMS does not know: the attribute and the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFilter {
    /// `status` or `type`.
    pub attribute: &'static str,
    /// The value as written.
    pub value: String,
}

impl ListFilters {
    /// The filters of the element's attributes: `status` comma-separated (any case), `type`,
    /// `search` (trimmed; cut at OMS's limit). A status or type OMS does not know is an error.
    pub fn read(status: Option<&str>, kind: Option<&str>, search: Option<&str>) -> Result<Self, UnknownFilter> {
        let known = |list: &[&str], value: &str, attribute| {
            let upper = value.trim().to_ascii_uppercase();
            list.contains(&upper.as_str()).then_some(upper).ok_or_else(|| UnknownFilter { attribute, value: value.trim().to_owned() })
        };
        let mut statuses: Vec<String> = Vec::new();
        for value in status.unwrap_or_default().split(',').filter(|v| !v.trim().is_empty()) {
            let status = known(&oms_progress_api::PROJECT_STATUSES, value, "status")?;
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        let kind = kind.filter(|k| !k.trim().is_empty()).map(|k| known(&oms_progress_api::PROJECT_TYPES, k, "type")).transpose()?;
        let search = search.map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().filter(|c| !c.is_control()).take(oms_progress_api::MAX_SEARCH_KEY_CHARS).collect());
        Ok(ListFilters { statuses, kind, search })
    }

    /// The body of `ListProjects` for page `page` (from 1) of `size` tasks, with these filters;
    /// field names from the action's table.
    pub fn body(&self, page: u32, size: u32) -> String {
        use oms_progress_api::BodyKind;
        let mut body = String::from("{");
        for (field, kind) in super::Action::Projects.body() {
            let at = body.len();
            body.push_str(if body.len() > 1 { "," } else { "" });
            super::push_json_string(&mut body, field);
            body.push(':');
            match kind {
                BodyKind::PageNumber => body.push_str(&super::decimal(i64::from(page))),
                BodyKind::PageSize => body.push_str(&super::decimal(i64::from(size))),
                BodyKind::SearchKey if self.search.is_some() => super::push_json_string(&mut body, self.search.as_deref().unwrap_or_default()),
                BodyKind::ProjectType if self.kind.is_some() => super::push_json_string(&mut body, self.kind.as_deref().unwrap_or_default()),
                BodyKind::ProjectStatuses if !self.statuses.is_empty() => {
                    body.push('[');
                    for (i, status) in self.statuses.iter().enumerate() {
                        body.push_str(if i > 0 { "," } else { "" });
                        super::push_json_string(&mut body, status);
                    }
                    body.push(']');
                }
                // A filter not given, and the ones the list does not use (labels, sorting).
                _ => body.truncate(at),
            }
        }
        body.push('}');
        body
    }
}

/// The pages of `size` to ask for a list of `total` tasks shown up to `max`: at least one.
pub fn pages_for(total: Option<u64>, max: usize, size: u32) -> u32 {
    let shown = total.map_or(max as u64, |t| t.min(max as u64));
    shown.div_ceil(u64::from(size.max(1))).clamp(1, u64::from(oms_progress_api::MAX_PAGE_NUMBER)) as u32
}

/// OMS's page when a request names none: the fewest tasks a page of a real OMS holds.
pub const SMALLEST_OMS_PAGE: u32 = 10;

/// A poll's pages after its first answered with `got` tasks of the `asked` a page: how many
/// pages (the first among them) and the size the others ask. OMS's count is read over the
/// tasks its pages really hold: an OMS that holds a page to fewer than were asked (a
/// deployment's own cap, or its default when it ignores the size) is paged at that size, so no
/// task past its cap goes unlisted; one that gave more than was asked needs fewer pages. Never
/// smaller than [`SMALLEST_OMS_PAGE`], so a short page of another cause cannot multiply the
/// requests. Without OMS's count, a first page shorter than the answer's `page_size` says a
/// page holds ([`page_holds`], the proxy's rule too) is the only one.
pub fn paging(got: usize, total: Option<u64>, page_size: Option<u64>, max: usize, asked: u32) -> (u32, u32) {
    let got = u32::try_from(got).unwrap_or(u32::MAX);
    let Some(count) = total else {
        let holds = page_holds(page_size, asked).max(SMALLEST_OMS_PAGE).min(asked);
        return if got < holds { (1, asked) } else { (pages_for(None, max, holds), holds) };
    };
    if u64::from(got) >= count.min(max as u64) {
        return (1, asked);
    }
    match got {
        // An empty first page says nothing of OMS's page: as asked.
        0 => (pages_for(total, max, asked), asked),
        got if got < asked => {
            let size = got.max(SMALLEST_OMS_PAGE).min(asked);
            (pages_for(total, max, size), size)
        }
        got => (pages_for(total, max, got), asked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oms::{ProjectStatus, StepStatus};
    use serde_json::json;

    /// The task of ODC's on-prem ListProjects answer (OmsClientTest.java), values made up.
    fn odc_shaped() -> serde_json::Value {
        json!({
            "workerGradeId": "wg", "id": "np_odc", "type": "MIGRATION", "name": "orders", "labels": null, "owner": "admin", "importance": "LOW",
            "status": "RUNNING", "gmtCreate": "2024-09-13T09:08:34", "gmtStart": "2024-09-13T09:08:35", "gmtFinish": null,
            "isMerging": false, "isModifying": false, "sourceEndpointType": "MYSQL", "sinkEndpointType": "OB_MYSQL",
            "enableStructTransfer": false, "enableFullTransfer": false, "enableFullVerify": false, "enableIncrTransfer": true, "enableReverseIncrTransfer": false,
            "sourceConnectInfo": {"host": "10.0.0.1", "username": "root"},
            "steps": [
                {"order": 3, "name": "INCR_TRANSFER", "status": "MONITORING", "progress": 100, "startTime": "2024-09-13T09:09:17",
                 "stepInfo": {"incrTimestampCheckpoint": 1726642901, "checkpointSampleTimestamp": 1726642905}},
                {"order": 1, "name": "TRANSFER_PRECHECK", "status": "FINISHED", "progress": 100},
                {"order": 4, "name": "TRANSFER_APP_SWITCH", "status": "INIT", "progress": 0, "stepInfo": {"checkpointSampleTimestamp": null}}
            ],
            "alarmStats": {"alarming": true, "alarmContent": "delay above 300 s", "recentlyTriggerCount": 2}
        })
    }

    #[test]
    fn a_listed_task_reads_as_a_card_would_know_it() {
        let task = ListedTask::from_json(&odc_shaped()).unwrap();
        assert_eq!(task.progress.project_id.as_deref(), Some("np_odc"));
        assert_eq!(task.progress.known_status(), Some(ProjectStatus::Running));
        assert_eq!(task.progress.current_step.as_ref().map(|c| &*c.raw), Some("INCR_TRANSFER"), "the last step that started");
        assert_eq!((task.progress.incremental.enabled, &task.progress.incremental.checkpoint), (Some(true), &Checkpoint::Unix(1726642901)));
        assert_eq!((task.progress.full.enabled, task.progress.full.percent), (Some(false), None));
        assert_eq!(task.steps.iter().map(|s| s.order).collect::<Vec<_>>(), vec![Some(1.0), Some(3.0), Some(4.0)], "in order");
        assert_eq!(task.steps[1].known_status(), Some(StepStatus::Monitoring));
        assert_eq!(task.project.name.as_deref(), Some("orders"));
        assert_eq!(task.project.alarm.as_ref().and_then(|a| a.count), Some(2));
        assert!(!task.project.data_sync, "a MIGRATION");
    }

    #[test]
    fn a_listed_data_syncs_full_ring_follows_its_full_copy() {
        let task = ListedTask::from_json(&json!({
            "id": "np_kafka", "type": "SYNC", "status": "RUNNING", "enableFullTransfer": true, "enableIncrTransfer": true,
            "steps": [{"order": 2, "name": "CONNECTOR_FULL_SYNC", "status": "RUNNING", "progress": 37}, {"order": 3, "name": "CONNECTOR_INCR_SYNC", "status": "INIT"}]
        }))
        .unwrap();
        assert_eq!((task.progress.full.enabled, task.progress.full.percent), (Some(true), Some(37.0)));
        assert!(task.project.data_sync);
    }

    #[test]
    fn filters_are_read_from_attributes_and_written_as_oms_takes_them() {
        let f = ListFilters::read(Some(" running, failed,RUNNING ,"), Some("sync"), Some("  orders\u{7}  ")).unwrap();
        assert_eq!((f.statuses.clone(), f.kind.as_deref(), f.search.as_deref()), (vec!["RUNNING".to_owned(), "FAILED".to_owned()], Some("SYNC"), Some("orders")));
        let body: serde_json::Value = serde_json::from_str(&f.body(2, 150)).unwrap();
        assert_eq!(body, json!({"pageNumber": 2, "pageSize": 150, "searchKey": "orders", "type": "SYNC", "status": ["RUNNING", "FAILED"]}));
        let none = ListFilters::read(None, Some(" "), Some("")).unwrap();
        assert_eq!(none, ListFilters::default());
        assert_eq!(none.body(1, 150), r#"{"pageNumber":1,"pageSize":150}"#);
        assert_eq!(ListFilters::read(Some("RUNNING,SLEEPING"), None, None), Err(UnknownFilter { attribute: "status", value: "SLEEPING".into() }));
        assert_eq!(ListFilters::read(None, Some("copy"), None).unwrap_err().attribute, "type");
        let long = "x".repeat(100);
        assert_eq!(ListFilters::read(None, None, Some(&long)).unwrap().search.unwrap().len(), oms_progress_api::MAX_SEARCH_KEY_CHARS);
    }

    #[test]
    fn an_oms_that_holds_a_page_to_fewer_is_paged_at_its_own_size() {
        assert_eq!(paging(150, Some(320), None, 1000, 150), (3, 150), "OMS's pages as asked");
        assert_eq!(paging(100, Some(320), None, 1000, 150), (4, 100), "a cap of 100: four pages of 100");
        assert_eq!(paging(10, Some(320), None, 1000, 150), (32, 10), "its default page, the size ignored");
        assert_eq!(paging(3, Some(320), None, 1000, 150), (32, SMALLEST_OMS_PAGE), "never pages smaller than OMS's default");
        assert_eq!(paging(0, Some(320), None, 1000, 150), (3, 150), "an empty first page says nothing of OMS's page");
        assert_eq!(paging(100, Some(100), None, 1000, 150), (1, 150), "a first page that holds every task is the only one");
        assert_eq!(paging(100, Some(5000), None, 100, 150), (1, 150), "… or every task the list shows");
        assert_eq!(paging(120, Some(320), None, 1000, 100), (3, 100), "more than asked: fewer pages");
        assert_eq!(paging(100, None, None, 1000, 150), (1, 150), "without a count, a short page is the last");
        assert_eq!(paging(150, None, None, 1000, 150), (7, 150));
        // Without a count, what the answer says a page holds tells its last page (as the proxy).
        assert_eq!(paging(100, None, Some(100), 1000, 150), (10, 100), "a cap of 100 it says: pages of 100");
        assert_eq!(paging(60, None, Some(100), 1000, 150), (1, 150), "shorter than it holds: the last");
        assert_eq!(paging(100, None, Some(150), 1000, 150), (1, 150), "it says 150 and gave 100: the last");
        assert_eq!(paging(1, None, Some(1), 1000, 150), (1, 150), "a page of one is no cap: never pages smaller than OMS's default");
        assert_eq!(paging(150, None, Some(0), 1000, 150), (7, 150), "no page size: as asked");
        assert_eq!(paging(1, Some(u64::MAX), None, usize::MAX, 150).0, oms_progress_api::MAX_PAGE_NUMBER);
    }

    #[test]
    fn whatever_oms_holds_a_page_to_the_pages_asked_cover_every_task_the_list_shows() {
        // An OMS of `total` tasks that holds a page to `cap` (its offset counted in pages of that
        // size, as OMS pages), asked with the list's sizes; the tasks read cover the first `max`.
        let asked = oms_progress_api::MAX_PAGE_SIZE;
        for cap in [SMALLEST_OMS_PAGE, 11, 37, 100, 149, 150, 500] {
            for total in [0_u64, 1, 9, 10, 99, 100, 101, 150, 151, 320, 999, 1000, 1001, 1237] {
                for max in [1_usize, 10, 100, 150, 320, 1000] {
                    let page = |number: u32, size: u32| {
                        let size = u64::from(size.min(cap));
                        let start = u64::from(number - 1) * size;
                        start.min(total)..(start + size).min(total)
                    };
                    let first = page(1, asked);
                    let (pages, size) = paging((first.end - first.start) as usize, Some(total), None, max, asked);
                    let mut read: std::collections::BTreeSet<u64> = first.clone().collect();
                    for number in 2..=pages {
                        read.extend(page(number, size));
                    }
                    let wanted = total.min(max as u64);
                    assert!((0..wanted).all(|t| read.contains(&t)), "cap {cap}, total {total}, max {max}: {pages} pages of {size}");
                    assert!(u64::from(pages) <= wanted.div_ceil(u64::from(cap.min(asked))).max(1), "no more pages than needed: cap {cap}, total {total}, max {max}");
                    // Without OMS's count, but its answer saying the cap: every task still listed.
                    let (pages, size) = paging((first.end - first.start) as usize, None, Some(u64::from(cap)), max, asked);
                    let mut read: std::collections::BTreeSet<u64> = first.clone().collect();
                    for number in 2..=pages {
                        read.extend(page(number, size));
                    }
                    assert!((0..wanted).all(|t| read.contains(&t)), "no count, cap {cap}, total {total}, max {max}: {pages} pages of {size}");
                }
            }
        }
    }

    #[test]
    fn pages_cover_the_tasks_up_to_max() {
        assert_eq!(pages_for(Some(320), 1000, 150), 3);
        assert_eq!(pages_for(Some(1235), 1000, 150), 7);
        assert_eq!(pages_for(Some(0), 1000, 150), 1);
        assert_eq!(pages_for(None, 1000, 150), 7, "without a total: as many as max needs");
        assert_eq!(pages_for(Some(u64::MAX), usize::MAX, 1), oms_progress_api::MAX_PAGE_NUMBER);
    }

    #[test]
    fn a_list_answer_gives_its_total() {
        let answer = json!({"success": true, "totalCount": "320", "pageNumber": 1, "pageSize": 150, "data": [odc_shaped()]}).to_string();
        let decoded = crate::oms::decode(200, &answer, |t| serde_json::from_str::<serde_json::Value>(t).ok(), read_listed).unwrap();
        assert_eq!((decoded.total, decoded.value.len()), (Some(320), 1));
        let odd = json!({"success": true, "totalCount": -3, "data": []}).to_string();
        assert_eq!(crate::oms::decode(200, &odd, |t| serde_json::from_str::<serde_json::Value>(t).ok(), read_listed).unwrap().total, None);
    }

    #[test]
    fn a_list_keeps_what_it_can_read() {
        let tasks = read_listed(&json!([odc_shaped(), "not a task", {"name": "no id"}, {"id": "np_bare"}, null])).unwrap();
        assert_eq!(tasks.iter().map(|t| t.progress.project_id.clone().unwrap()).collect::<Vec<_>>(), vec!["np_odc", "np_bare"]);
        assert_eq!((tasks[1].steps.len(), tasks[1].progress.current_step.clone(), tasks[1].project.alarm.clone()), (0, None, None));
        assert_eq!(read_listed(&json!({"id": "np_1"})), None);
    }

    #[test]
    fn a_page_holds_at_most_what_the_list_asks() {
        let ignored_page_size: Vec<_> = (0..400).map(|i| json!({"id": format!("np_{i:03}")})).collect();
        let tasks = read_listed(&serde_json::Value::Array(ignored_page_size)).unwrap();
        assert_eq!(tasks.len(), oms_progress_api::MAX_PAGE_SIZE as usize);
        assert_eq!(tasks.last().unwrap().progress.project_id.as_deref(), Some("np_149"), "the page's first tasks");
    }
}
