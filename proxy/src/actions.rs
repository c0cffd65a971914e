//! The actions the proxy forwards, from one table (`oms_progress_api::Action`, generated from
//! api/actions.json): each with the schema of its request body, which the proxy checks and then
//! writes itself (a client's body never reaches OMS), and the shape of its answers the card
//! reads, which is all of an answer that leaves the proxy (never OMS's connection info,
//! configuration or mappings).

use crate::refusal::Refusal;
use oms_progress_api::{
    AGGREGATORS, Action, BodyKind, MAX_LABEL_IDS, MAX_PAGE_NUMBER, MAX_PAGE_SIZE, MAX_POINT_NUM, MAX_SEARCH_KEY_CHARS, MAX_WINDOW_SECONDS, MIN_POINT_NUM,
    MIN_WINDOW_SECONDS, PROJECT_STATUSES, PROJECT_TYPES, SORT_FIELDS, SORT_ORDERS, STEP_METRICS, Shape, is_step_metric, is_valid_id,
};
use serde_json::{Map, Value};

/// The actions forwarded: exactly the card's, all read-only.
pub const FORWARDED: [Action; Action::ALL.len()] = Action::ALL;

/// A request body the proxy wrote itself from a checked one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// Its JSON text, fields in the schema's order: what OMS receives, and the cache key.
    pub json: String,
    /// The task it names; `None` for a list of tasks.
    pub project: Option<String>,
}

/// How far a viewer's clock may run ahead of the proxy's and its metric window still count as
/// ending now (s).
pub const CLOCK_SKEW_SECONDS: i64 = 120;

/// Checks a client's body against `action`'s schema (a JSON object with exactly its fields,
/// each of its kind) and writes the body OMS will get, at the proxy's present time.
pub fn rebuild(action: Action, bytes: &[u8]) -> Result<Body, Refusal> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    rebuild_at(action, bytes, now)
}

/// [`rebuild`] at unix time `now` (s). A metric window is written on the minute: its end is
/// the proxy's own minute when the viewer's is within [`CLOCK_SKEW_SECONDS`] of now, else its
/// own minute; its length whole minutes. So viewers whose clocks differ ask one window, and OMS
/// answers them with one call a minute.
pub fn rebuild_at(action: Action, bytes: &[u8], now: i64) -> Result<Body, Refusal> {
    // An object: serde would also read a map from other shapes of JSON.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(Refusal::BadBody);
    }
    let mut given: Map<String, Value> = serde_json::from_slice(bytes).map_err(|_| Refusal::BadBody)?;
    let mut body = Map::new();
    let mut project = None;
    for (field, kind) in action.body() {
        let value = match given.remove(*field) {
            // A filter left out (or null) filters nothing.
            None | Some(Value::Null) if kind.is_optional() => continue,
            value => value.ok_or(Refusal::BadBody)?,
        };
        let checked = match kind {
            BodyKind::ProjectId => {
                let Value::String(id) = value else { return Err(Refusal::BadBody) };
                if !is_valid_id(&id) {
                    return Err(Refusal::InvalidId);
                }
                project = Some(id.clone());
                Value::String(id)
            }
            BodyKind::PageNumber => Value::from(whole_number(&value, MAX_PAGE_NUMBER)?),
            BodyKind::PageSize => Value::from(whole_number(&value, MAX_PAGE_SIZE)?),
            BodyKind::StepName => one_of(value, STEP_METRICS.iter().map(|(step, _)| *step))?,
            BodyKind::MetricType => one_of(value, STEP_METRICS.iter().flat_map(|(_, metrics)| metrics.iter().copied()))?,
            BodyKind::Aggregator => one_of(value, AGGREGATORS.into_iter())?,
            BodyKind::BeginTimestamp | BodyKind::EndTimestamp => Value::from(value.as_i64().filter(|t| *t > 0).ok_or(Refusal::BadBody)?),
            BodyKind::MaxPointNum => Value::from(
                value.as_u64().filter(|n| (u64::from(MIN_POINT_NUM)..=u64::from(MAX_POINT_NUM)).contains(n)).ok_or(Refusal::BadBody)?,
            ),
            BodyKind::SearchKey => search_key(value)?,
            BodyKind::ProjectType => one_of(value, PROJECT_TYPES.into_iter())?,
            BodyKind::SortField => one_of(value, SORT_FIELDS.into_iter())?,
            BodyKind::SortOrder => one_of(value, SORT_ORDERS.into_iter())?,
            BodyKind::ProjectStatuses => some_of(value, PROJECT_STATUSES.len(), |status| PROJECT_STATUSES.contains(&status))?,
            BodyKind::LabelIds => some_of(value, MAX_LABEL_IDS, is_valid_id)?,
        };
        body.insert((*field).to_owned(), checked);
    }
    if !given.is_empty() {
        return Err(Refusal::BadBody); // a field the action does not take
    }
    // Every action but a list names its task.
    if project.is_none() && action.body().iter().any(|(_, kind)| *kind == BodyKind::ProjectId) {
        return Err(Refusal::BadBody);
    }
    if action.body().iter().any(|(_, kind)| *kind == BodyKind::EndTimestamp) {
        on_the_minute(action, &mut body, now)?;
    }
    Ok(Body { json: Value::Object(body).to_string(), project })
}

/// The name of `action`'s body field of `kind` (empty when it has none).
pub fn field_of(action: Action, kind: BodyKind) -> &'static str {
    action.body().iter().find(|(_, k)| *k == kind).map_or("", |(field, _)| *field)
}

/// Checks a metric request's step, metric and window (the fields of `action` of those kinds),
/// and writes its window on the minute.
fn on_the_minute(action: Action, body: &mut Map<String, Value>, now: i64) -> Result<(), Refusal> {
    let field = |kind| field_of(action, kind);
    let text = |kind| body.get(field(kind)).and_then(Value::as_str).unwrap_or_default().to_owned();
    if !is_step_metric(&text(BodyKind::StepName), &text(BodyKind::MetricType)) {
        return Err(Refusal::BadBody);
    }
    let time = |kind| body.get(field(kind)).and_then(Value::as_i64).unwrap_or_default();
    let (begin, end) = (time(BodyKind::BeginTimestamp), time(BodyKind::EndTimestamp));
    let window = end - begin;
    if end > now + CLOCK_SKEW_SECONDS || !(i64::from(MIN_WINDOW_SECONDS)..=i64::from(MAX_WINDOW_SECONDS)).contains(&window) {
        return Err(Refusal::BadBody);
    }
    let end = if end >= now - CLOCK_SKEW_SECONDS { now } else { end };
    let end = end - end.rem_euclid(60);
    let window = (window + 30) / 60 * 60;
    body.insert(field(BodyKind::BeginTimestamp).into(), Value::from(end - window));
    body.insert(field(BodyKind::EndTimestamp).into(), Value::from(end));
    Ok(())
}

/// `value` when it is one of `names`, exactly.
fn one_of<'a>(value: Value, mut names: impl Iterator<Item = &'a str>) -> Result<Value, Refusal> {
    match &value {
        Value::String(name) if names.any(|n| n == name) => Ok(value),
        _ => Err(Refusal::BadBody),
    }
}

/// A list's search: text of 1 to [`MAX_SEARCH_KEY_CHARS`] characters, none of them a control
/// character.
fn search_key(value: Value) -> Result<Value, Refusal> {
    match &value {
        Value::String(text) if (1..=MAX_SEARCH_KEY_CHARS).contains(&text.chars().count()) && !text.chars().any(char::is_control) => Ok(value),
        _ => Err(Refusal::BadBody),
    }
}

/// A list of 1 to `most` distinct strings, each `allowed`.
fn some_of(value: Value, most: usize, allowed: impl Fn(&str) -> bool) -> Result<Value, Refusal> {
    let Value::Array(items) = &value else { return Err(Refusal::BadBody) };
    let texts: Vec<&str> = items.iter().map(Value::as_str).collect::<Option<_>>().ok_or(Refusal::BadBody)?;
    let distinct = texts.iter().enumerate().all(|(i, t)| !texts[..i].contains(t));
    if texts.is_empty() || texts.len() > most || !distinct || !texts.iter().all(|t| allowed(t)) {
        return Err(Refusal::BadBody);
    }
    Ok(value)
}

/// A whole number from 1 to `max`, as JSON writes it (`3`, not `3.0` or `"3"`).
fn whole_number(value: &Value, max: u32) -> Result<u32, Refusal> {
    value.as_u64().filter(|n| (1..=u64::from(max)).contains(n)).map(|n| n as u32).ok_or(Refusal::BadBody)
}

/// The schema lists of a task, as OMS needs them beside a verification request
/// (`sourceSchemas`, `destSchemas`): from `transferMapping.databases[]` (`name`, `mappedName`) of
/// its `DescribeProject` answer, which the proxy reads and never passes on. Empty when the
/// answer has none.
pub fn schemas_of(project: &Value) -> (Vec<Value>, Vec<Value>) {
    let databases = member(project, "data").and_then(|d| member(d, "transfermapping")).and_then(|m| member(m, "databases"));
    let mut lists = (Vec::new(), Vec::new());
    for database in databases.and_then(Value::as_array).into_iter().flatten() {
        // A schema not mapped to another name keeps its own.
        if let Some(Value::String(source)) = member(database, "name") {
            let dest = match member(database, "mappedname") {
                Some(Value::String(dest)) if !dest.is_empty() => dest,
                _ => source,
            };
            lists.0.push(Value::String(source.clone()));
            lists.1.push(Value::String(dest.clone()));
        }
    }
    lists
}

/// The member of an object named `name` (lower case) in any letter case and spelling OMS's
/// servers use (`is_field`).
pub fn member<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.as_object()?.iter().find(|(key, _)| oms_progress_api::is_field(key, name)).map(|(_, v)| v)
}

/// `body` (JSON the proxy wrote) with the schema lists added.
pub fn with_schemas(body: &str, (sources, dests): (Vec<Value>, Vec<Value>)) -> String {
    let mut object: Map<String, Value> = serde_json::from_str(body).unwrap_or_default();
    object.insert("sourceSchemas".into(), Value::Array(sources));
    object.insert("destSchemas".into(), Value::Array(dests));
    Value::Object(object).to_string()
}

/// What the card reads of `value`, an answer (or part of one) of `shape`; `None` when nothing
/// of it is read (an object or list where a scalar belongs).
pub fn project(value: Value, shape: Shape) -> Option<Value> {
    match (shape, value) {
        (_, Value::Null) => Some(Value::Null),
        (Shape::Scalar, value @ (Value::Bool(_) | Value::Number(_) | Value::String(_))) => Some(value),
        (Shape::Object(..), Value::Object(members)) => Some(Value::Object(
            members
                .into_iter()
                .filter_map(|(key, member)| {
                    let inner = shape.field(&key)?;
                    Some((key, project(member, inner)?))
                })
                .collect(),
        )),
        // Some servers send an object as its JSON text: read as that object.
        (Shape::Object(..), Value::String(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(object @ Value::Object(_)) => project(object, shape),
            _ => None,
        },
        (Shape::Items(item), Value::Array(items)) => {
            Some(Value::Array(items.into_iter().map(|i| project(i, *item).unwrap_or(Value::Null)).collect()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_checked_and_rewritten() {
        let body = rebuild(Action::Progress, br#" {"id":"np_4w8s2k"}"#).unwrap();
        assert_eq!(body, Body { json: r#"{"id":"np_4w8s2k"}"#.into(), project: Some("np_4w8s2k".into()) });
        for (bad, refusal) in [
            (&br#"["np_1"]"#[..], Refusal::BadBody),
            (br#"{"id":42}"#, Refusal::BadBody),
            (br#"{}"#, Refusal::BadBody),
            (br#"{"id":"np_1","pageSize":1000}"#, Refusal::BadBody),
            (br#"{"id":"np_1\r\nX: 1"}"#, Refusal::InvalidId),
            (br#"{"id":""}"#, Refusal::InvalidId),
            (b"{id: np_1", Refusal::BadBody),
        ] {
            assert_eq!(rebuild(Action::Steps, bad), Err(refusal), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn pages_are_whole_numbers_in_range() {
        let body = |json: &str| rebuild(Action::Verification, json.as_bytes());
        let ok = body(r#"{"projectId":"np_1","pageNumber":1,"pageSize":150}"#).unwrap();
        assert_eq!(ok.json, r#"{"pageNumber":1,"pageSize":150,"projectId":"np_1"}"#);
        for bad in [
            r#"{"projectId":"np_1","pageNumber":0,"pageSize":10}"#,
            r#"{"projectId":"np_1","pageNumber":1,"pageSize":151}"#,
            r#"{"projectId":"np_1","pageNumber":1.5,"pageSize":10}"#,
            r#"{"projectId":"np_1","pageNumber":"1","pageSize":10}"#,
            r#"{"projectId":"np_1","pageNumber":1}"#,
            r#"{"projectId":"np_1","pageNumber":1,"pageSize":10,"sourceSchemas":["x"]}"#,
        ] {
            assert_eq!(body(bad), Err(Refusal::BadBody), "{bad}");
        }
    }

    /// A step metric's body at unix time `end`, a window of `window` seconds.
    fn metric(step: &str, metric: &str, end: i64, window: i64, points: u64) -> String {
        json!({"projectId": "np_1", "stepName": step, "metricType": metric, "aggregator": "AVG", "beginTimestamp": end - window, "endTimestamp": end, "maxPointNum": points}).to_string()
    }

    #[test]
    fn a_metric_window_is_checked_and_written_on_the_proxys_minute() {
        let now = 1_796_590_263; // 03:31:03 into a minute
        let minute = now - now % 60;
        let body = |json: String| rebuild_at(Action::StepMetric, json.as_bytes(), now).map(|b| serde_json::from_str::<Value>(&b.json).unwrap());
        let written = body(metric("INCR_TRANSFER", "DELAY", now, 3600, 60)).unwrap();
        assert_eq!((written["beginTimestamp"].as_i64(), written["endTimestamp"].as_i64()), (Some(minute - 3600), Some(minute)));
        // Viewers whose clocks are 30 s behind or ahead ask the same window.
        for skew in [-30, -1, 29, 30] {
            assert_eq!(body(metric("INCR_TRANSFER", "DELAY", now + skew, 3600 + skew.abs() % 7, 60)).unwrap(), written, "{skew}");
        }
        // An older window keeps its own minute.
        let old = body(metric("FULL_TRANSFER", "RPS", now - 7200, 7200, 120)).unwrap();
        assert_eq!(old["endTimestamp"].as_i64(), Some(now - 7200 - (now - 7200) % 60));
        for bad in [
            metric("INCR_TRANSFER", "SOURCE_READ_TIME", now, 3600, 60), // not a metric of that step
            metric("STRUCT_TRANSFER", "RPS", now, 3600, 60),            // a step without metrics
            metric("INCR_TRANSFER", "DELAY", now, 3599, 60),            // under an hour
            metric("INCR_TRANSFER", "DELAY", now, 86_401, 60),          // over a day
            metric("INCR_TRANSFER", "DELAY", now + 600, 3600, 60),      // ends in the future
            metric("INCR_TRANSFER", "DELAY", now, 3600, 4),             // too few points
            metric("INCR_TRANSFER", "DELAY", now, 3600, 1441),          // too many
            metric("INCR_TRANSFER", "DELAY", now, 3600, 60).replace("\"AVG\"", "\"SUM\""),
            metric("INCR_TRANSFER", "DELAY", now, 3600, 60).replace("\"maxPointNum\"", "\"extra\":1,\"maxPointNum\""),
            metric("INCR_TRANSFER", "DELAY", now, 3600, 60).replace(&format!("\"endTimestamp\":{now}"), &format!("\"endTimestamp\":\"{now}\"")),
            json!({"projectId": "np_1", "stepName": "INCR_TRANSFER", "metricType": "DELAY"}).to_string(),
        ] {
            assert_eq!(body(bad.clone()), Err(Refusal::BadBody), "{bad}");
        }
    }

    #[test]
    fn schema_lists_come_from_the_tasks_mapping() {
        let project = json!({"success": true, "data": {"transferMapping": {"mode": "SPECIFIC", "databases": [
            {"name": "orders", "mappedName": "orders_ob", "tables": []}, {"name": "billing", "mappedName": "billing"}, {"name": 3}
        ]}}});
        let lists = schemas_of(&project);
        assert_eq!(lists, (vec![json!("orders"), json!("billing")], vec![json!("orders_ob"), json!("billing")]));
        let body = with_schemas(r#"{"pageNumber":1,"pageSize":150,"projectId":"np_1"}"#, lists);
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["destSchemas"], json!(["orders_ob", "billing"]));
        assert_eq!(schemas_of(&json!({"data": null})), (vec![], vec![]));
    }

    #[test]
    fn answers_keep_only_what_the_card_reads() {
        let answer = json!({
            "success": true, "RequestId": "r1", "cost": "5 ms", "sourceConnectInfo": {"host": "10.0.0.1", "username": "root"},
            "data": {"projectId": "np_1", "status": "RUNNING", "sinkConnectInfo": {"password": "x"}, "transferMapping": [1],
                     "fullTransferProgress": {"nested": "object where a number belongs"}}
        });
        let kept = project(answer, *Action::Progress.answer()).unwrap();
        assert_eq!(kept, json!({"success": true, "RequestId": "r1", "cost": "5 ms", "data": {"projectId": "np_1", "status": "RUNNING"}}));
        let steps = json!({"success": true, "data": [
            {"name": "FULL_TRANSFER", "order": 3, "stepInfo": {"processedRecords": 5, "capacity": 9, "dbConfig": "jdbc:..."},
             "extraInfo": {"errorCode": "E", "errorDetails": [{"code": "C", "message": "m", "host": "h"}], "secret": 1}, "config": {}},
            "not an object"
        ]});
        let kept = project(steps, *Action::Steps.answer()).unwrap();
        assert_eq!(kept["data"][0], json!({"name": "FULL_TRANSFER", "order": 3, "stepInfo": {"processedRecords": 5, "capacity": 9},
            "extraInfo": {"errorCode": "E", "errorDetails": [{"code": "C", "message": "m"}]}}));
        assert_eq!(kept["data"][1], Value::Null);
    }

    #[test]
    fn data_sent_as_json_text_is_read_as_its_object() {
        let answer = json!({"success": true, "data": "{\"projectId\":\"np_1\",\"password\":\"x\"}"});
        let kept = project(answer, *Action::Progress.answer()).unwrap();
        assert_eq!(kept["data"], json!({"projectId": "np_1"}));
    }

}
