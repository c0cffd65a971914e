//! The actions the proxy forwards, from one table (`oms_progress_api::Action`, generated from
//! api/actions.json): each with the schema of its request body, which the proxy checks and then
//! writes itself (a client's body never reaches OMS), and the shape of its answers the card
//! reads, which is all of an answer that leaves the proxy (never OMS's connection info,
//! configuration or mappings).

use crate::refusal::Refusal;
use oms_progress_api::{Action, BodyKind, MAX_PAGE_NUMBER, MAX_PAGE_SIZE, Shape, is_valid_id};
use serde_json::{Map, Value};

/// The actions forwarded: exactly the card's, all read-only.
pub const FORWARDED: [Action; Action::ALL.len()] = Action::ALL;

/// A request body the proxy wrote itself from a checked one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// Its JSON text, fields in the schema's order: what OMS receives, and the cache key.
    pub json: String,
    /// The task it names.
    pub project: String,
}

/// Checks a client's body against `action`'s schema (a JSON object with exactly its fields,
/// each of its kind) and writes the body OMS will get.
pub fn rebuild(action: Action, bytes: &[u8]) -> Result<Body, Refusal> {
    // An object: serde would also read a map from other shapes of JSON.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(Refusal::BadBody);
    }
    let mut given: Map<String, Value> = serde_json::from_slice(bytes).map_err(|_| Refusal::BadBody)?;
    let mut body = Map::new();
    let mut project = None;
    for (field, kind) in action.body() {
        let value = given.remove(*field).ok_or(Refusal::BadBody)?;
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
        };
        body.insert((*field).to_owned(), checked);
    }
    if !given.is_empty() {
        return Err(Refusal::BadBody); // a field the action does not take
    }
    let project = project.ok_or(Refusal::BadBody)?;
    Ok(Body { json: Value::Object(body).to_string(), project })
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
    let field = |value: &Value, name: &str| -> Option<Value> {
        value.as_object()?.iter().find(|(key, _)| oms_progress_api::is_field(key, name)).map(|(_, v)| v.clone())
    };
    let databases = field(project, "data").and_then(|d| field(&d, "transfermapping")).and_then(|m| field(&m, "databases"));
    let mut lists = (Vec::new(), Vec::new());
    for database in databases.as_ref().and_then(Value::as_array).into_iter().flatten() {
        // A schema not mapped to another name keeps its own.
        if let Some(Value::String(source)) = field(database, "name") {
            let dest = match field(database, "mappedname") {
                Some(Value::String(dest)) if !dest.is_empty() => dest,
                _ => source.clone(),
            };
            lists.0.push(Value::String(source));
            lists.1.push(Value::String(dest));
        }
    }
    lists
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
        assert_eq!(body, Body { json: r#"{"id":"np_4w8s2k"}"#.into(), project: "np_4w8s2k".into() });
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
