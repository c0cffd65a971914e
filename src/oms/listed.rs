//! A task of `ListProjects`' `data`, read into what a card knows of a task (its progress, steps
//! and project), so the fleet's list shows each task through the card's own model. OMS's list
//! has no `currentStep`, stage percent or checkpoint at the top: they are read from its steps.

use super::codes::{Code, Step};
use super::fields::LISTED_PROJECT;
use super::loose::JsonValue;
use super::progress::{Checkpoint, IncrementalStage, Progress, Stage};
use super::project::ProjectInfo;
use super::steps::{StepStatus, TaskStep, read_steps};

/// One task of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedTask {
    /// What `DescribeProjectProgress` would say, as far as the list tells it.
    pub progress: Progress,
    /// Its steps, as `DescribeProjectSteps` has them.
    pub steps: Vec<TaskStep>,
    /// Its name and firing alarm.
    pub project: ProjectInfo,
    /// `type`: `MIGRATION`, `SYNC` or `VERIFY`, as sent.
    pub kind: Option<String>,
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
            full: Stage { enabled: flag("enablefulltransfer"), percent: percent(Step::FullMigration) },
            incremental: IncrementalStage { enabled: flag("enableincrtransfer"), checkpoint: checkpoint(Step::IncrSync) },
            reverse: IncrementalStage { enabled: flag("enablereverseincrtransfer"), checkpoint: checkpoint(Step::ReverseIncrSync) },
        };
        Some(ListedTask { project: ProjectInfo::from_json(item)?, kind: field("type").and_then(|t| t.non_blank_text()), progress, steps })
    }
}

/// Reads `data` of a `ListProjects` answer: an array of tasks (anything else in it, or a task
/// without an id, is left out); `None` when it is not an array.
pub fn read_listed<V: JsonValue>(data: &V) -> Option<Vec<ListedTask>> {
    Some(data.items()?.iter().filter_map(ListedTask::from_json).collect())
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
        assert_eq!(task.progress.current_step.as_ref().map(|c| c.raw.as_str()), Some("INCR_TRANSFER"), "the last step that started");
        assert_eq!((task.progress.incremental.enabled, &task.progress.incremental.checkpoint), (Some(true), &Checkpoint::Unix(1726642901)));
        assert_eq!((task.progress.full.enabled, task.progress.full.percent), (Some(false), None));
        assert_eq!(task.steps.iter().map(|s| s.order).collect::<Vec<_>>(), vec![Some(1.0), Some(3.0), Some(4.0)], "in order");
        assert_eq!(task.steps[1].known_status(), Some(StepStatus::Monitoring));
        assert_eq!(task.project.name.as_deref(), Some("orders"));
        assert_eq!(task.project.alarm.as_ref().and_then(|a| a.count), Some(2));
        assert_eq!(task.kind.as_deref(), Some("MIGRATION"));
    }

    #[test]
    fn a_list_keeps_what_it_can_read() {
        let tasks = read_listed(&json!([odc_shaped(), "not a task", {"name": "no id"}, {"id": "np_bare"}, null])).unwrap();
        assert_eq!(tasks.iter().map(|t| t.progress.project_id.clone().unwrap()).collect::<Vec<_>>(), vec!["np_odc", "np_bare"]);
        assert_eq!((tasks[1].steps.len(), tasks[1].progress.current_step.clone(), tasks[1].project.alarm.clone()), (0, None, None));
        assert_eq!(read_listed(&json!({"id": "np_1"})), None);
    }
}
