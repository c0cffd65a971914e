//! `data` of `DescribeProject` (the task's name and type, whether it verifies, its firing alarm)
//! and of `ListProjectFullVerifyResult` (the rows full verification found different, by table).

use super::fields::{ALARM_STATS, PROJECT, TABLE_STATISTIC, VERIFICATION};
use super::loose::{JsonValue, Loose};

/// What `DescribeProject` says of a task beyond its progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectInfo {
    /// `name`: what people call the task.
    pub name: Option<String>,
    /// `type` is `SYNC`: a data synchronization task (to Kafka, DataHub, …), which streams for
    /// good and has no switch-over.
    pub data_sync: bool,
    /// `enableFullVerify`: whether the task verifies its data after full migration.
    pub full_verify: Option<bool>,
    /// An alarm firing now (`alarmStats.alarming`); `None` when none is.
    pub alarm: Option<Alarm>,
}

/// A firing alarm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alarm {
    /// `alarmContent`: what it says, as OMS wrote it.
    pub content: Option<String>,
    /// `recentlyTriggerCount`: how often it fired lately.
    pub count: Option<u64>,
}

/// What full verification found: the rows that differ, and where.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verification {
    /// `differentNumber`: rows that differ in all; `None` while OMS does not say.
    pub differences: Option<u64>,
    /// The tables of the answer with rows that differ.
    pub tables: Vec<TableDifference>,
}

/// A table whose rows differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableDifference {
    /// `sourceSchemaName`.
    pub schema: String,
    /// `sourceTableName`.
    pub table: String,
    /// `mismatchedCount`: rows on both sides that differ.
    pub mismatched: u64,
    /// `sourceOnlyCount`: rows only the source has.
    pub source_only: u64,
    /// `destOnlyCount`: rows only the destination has.
    pub dest_only: u64,
}

impl TableDifference {
    /// Every row of the table that differs.
    pub fn total(&self) -> u64 {
        self.mismatched.saturating_add(self.source_only).saturating_add(self.dest_only)
    }
}

/// A count: a number from 0 up (OMS sends longs, sometimes as text).
fn count(value: &Loose) -> Option<u64> {
    value.number().filter(|n| *n >= 0.0).map(|n| n as u64)
}

impl ProjectInfo {
    /// Reads a `data` object; `None` for anything else.
    pub fn from_json<V: JsonValue>(data: &V) -> Option<Self> {
        let [_id, name, kind, _status, full_verify, stats] = <[V; 6]>::try_from(data.fields(PROJECT)?).ok()?;
        let alarm = stats.fields(ALARM_STATS).and_then(|f| <[V; 3]>::try_from(f).ok()).and_then(|[alarming, content, count_of]| {
            (alarming.loose().flag() == Some(true)).then(|| Alarm { content: content.loose().non_blank_text(), count: count(&count_of.loose()) })
        });
        let data_sync = kind.loose().non_blank_text().is_some_and(|k| k.trim().eq_ignore_ascii_case("SYNC"));
        Some(ProjectInfo { name: name.loose().non_blank_text(), data_sync, full_verify: full_verify.loose().flag(), alarm })
    }
}

impl Verification {
    /// Reads a `data` object; `None` for anything else. Tables without a difference are left
    /// out.
    pub fn from_json<V: JsonValue>(data: &V) -> Option<Self> {
        let [different, statistics] = <[V; 2]>::try_from(data.fields(VERIFICATION)?).ok()?;
        let mut tables = Vec::new();
        for item in statistics.items().unwrap_or_default() {
            let Some([schema, table, mismatched, source_only, dest_only, _consistent]) = item.fields(TABLE_STATISTIC).and_then(|f| <[V; 6]>::try_from(f).ok()) else {
                continue;
            };
            let counted = |v: &V| count(&v.loose()).unwrap_or(0);
            let row = TableDifference {
                schema: schema.loose().non_blank_text().unwrap_or_default(),
                table: table.loose().non_blank_text().unwrap_or_default(),
                mismatched: counted(&mismatched),
                source_only: counted(&source_only),
                dest_only: counted(&dest_only),
            };
            if row.total() > 0 {
                tables.push(row);
            }
        }
        // Never fewer than the tables listed say (a hostile or inconsistent answer must not
        // read as equal).
        let listed = tables.iter().fold(0u64, |sum, t| sum.saturating_add(t.total()));
        let differences = match count(&different.loose()) {
            Some(said) => Some(said.max(listed)),
            None => (listed > 0).then_some(listed),
        };
        Some(Verification { differences, tables })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_real_shaped_project_gives_its_name_and_firing_alarm() {
        // As ODC's OmsClientTest shows a project, with an alarm firing.
        let data = json!({
            "workerGradeId": "w1", "id": "np_1", "type": "MIGRATION", "name": "orders to OceanBase", "importance": "LOW",
            "status": "RUNNING", "enableFullVerify": true, "transferMapping": {"databases": [{"name": "orders"}]},
            "sourceConnectInfo": {"host": "10.0.0.1", "username": "root"},
            "alarmStats": {"target": null, "alarming": true, "recentlyTriggerCount": 3, "ruleToRecentlyTriggerCount": null,
                           "alarmContent": "Incremental sync delay over 300 s", "openMonitor": null}
        });
        let project = ProjectInfo::from_json(&data).unwrap();
        assert_eq!(project.name.as_deref(), Some("orders to OceanBase"));
        assert_eq!(project.full_verify, Some(true));
        assert!(!project.data_sync, "a MIGRATION");
        assert_eq!(project.alarm, Some(Alarm { content: Some("Incremental sync delay over 300 s".into()), count: Some(3) }));
        for (kind, data_sync) in [(json!("SYNC"), true), (json!(" sync "), true), (json!("VERIFY"), false), (json!(null), false), (json!(7), false)] {
            assert_eq!(ProjectInfo::from_json(&json!({"name": "x", "type": kind})).unwrap().data_sync, data_sync, "{kind}");
        }
        let quiet = json!({"name": "x", "alarmStats": {"alarming": false, "alarmContent": "old"}});
        assert_eq!(ProjectInfo::from_json(&quiet).unwrap().alarm, None);
        assert_eq!(ProjectInfo::from_json(&json!({"alarmStats": null})).unwrap(), ProjectInfo::default());
        assert_eq!(ProjectInfo::from_json(&json!([1])), None);
    }

    #[test]
    fn verification_keeps_the_tables_that_differ() {
        let data = json!({"differentNumber": "12000", "fullVerifyTableStatistics": [
            {"sourceSchemaName": "orders", "sourceTableName": "items", "mismatchedCount": 10000, "sourceOnlyCount": 1500, "destOnlyCount": 0, "consistentCount": 5},
            {"sourceSchemaName": "orders", "sourceTableName": "clean", "mismatchedCount": 0, "sourceOnlyCount": 0, "destOnlyCount": 0, "consistentCount": 9},
            {"sourceSchemaName": "billing", "sourceTableName": "lines", "mismatchedCount": null, "sourceOnlyCount": null, "destOnlyCount": 500},
            "not a table"
        ]});
        let found = Verification::from_json(&data).unwrap();
        assert_eq!(found.differences, Some(12000));
        assert_eq!(found.tables.iter().map(|t| (t.table.as_str(), t.total())).collect::<Vec<_>>(), vec![("items", 11500), ("lines", 500)]);
        let pending = Verification::from_json(&json!({"differentNumber": null, "fullVerifyTableStatistics": null})).unwrap();
        assert_eq!(pending, Verification::default());
        let inconsistent = json!({"differentNumber": 0, "fullVerifyTableStatistics": [{"sourceSchemaName": "a", "sourceTableName": "b", "destOnlyCount": 7}]});
        assert_eq!(Verification::from_json(&inconsistent).unwrap().differences, Some(7), "the tables listed win over a zero");
        let unsaid = json!({"fullVerifyTableStatistics": [{"sourceSchemaName": "a", "sourceTableName": "b", "mismatchedCount": 2}]});
        assert_eq!(Verification::from_json(&unsaid).unwrap().differences, Some(2));
    }
}
