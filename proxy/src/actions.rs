//! The actions the proxy forwards, from one table (`oms_progress_api::Action`, generated from
//! api/actions.json): each with the schema of its request body, which the proxy checks and then
//! writes itself (a client's body never reaches OMS), and the shape of its answers the card
//! reads, which is all of an answer that leaves the proxy (never OMS's connection info,
//! configuration or mappings).

use crate::refusal::Refusal;
use oms_progress_api::{Action, BodyKind, Shape, is_valid_id};
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
        match kind {
            BodyKind::ProjectId => {
                let Value::String(id) = value else { return Err(Refusal::BadBody) };
                if !is_valid_id(&id) {
                    return Err(Refusal::InvalidId);
                }
                project = Some(id.clone());
                body.insert((*field).to_owned(), Value::String(id));
            }
        }
    }
    if !given.is_empty() {
        return Err(Refusal::BadBody); // a field the action does not take
    }
    let project = project.ok_or(Refusal::BadBody)?;
    Ok(Body { json: Value::Object(body).to_string(), project })
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
