//! Property tests of the shipped decoder ([`decode`], as the browser runs it, with serde_json as
//! the parser): arbitrary JSON, envelope-shaped JSON with hostile values, and mutated bytes of the
//! documented answer. Whatever comes in, decoding never panics and yields
//! either progress or a classified failure, and what the card draws stays in range.

use super::*;
use crate::oms::time::iso_utc;
use proptest::prelude::*;
use serde_json::{Map, Value};

const SEED: &str = r#"{"success":true,"errorDetail":null,"code":null,"message":null,"advice":null,"requestId":"xfez****","pageNumber":1,"pageSize":5,"totalCount":50,"cost":"27 ms","data":{"projectId":"np_4w****","status":"RUNNING","alarmLevel":"MEDIUM","enableIncrSync":true,"currentStep":"PRE_CHECK","incrSyncCheckpoint":1689248064,"enableStructTransfer":true,"enableFullTransfer":true,"structTransferProgress":100,"fullTransferProgress":100,"enableReverseIncrTransfer":true,"reverseIncrTransferCheckpoint":1689248075}}"#;

const ENVELOPE_KEYS: &[&str] = &["success", "errorDetail", "code", "message", "advice", "requestId", "cost", "data", "Data", "Success"];
const DATA_KEYS: &[&str] = &[
    "projectId", "status", "alarmLevel", "enableIncrSync", "currentStep", "incrSyncCheckpoint", "enableStructTransfer",
    "enableFullTransfer", "structTransferProgress", "fullTransferProgress", "enableReverseIncrTransfer",
    "reverseIncrTransferCheckpoint", "current_step", "STATUS",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (0i64..=253_402_300_799).prop_map(Value::from),
        (-200.0f64..300.0).prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        "[0-9]{0,20}".prop_map(Value::from),
        "[0-9]{1,5},[0-9]{1,9}".prop_map(Value::from),
        prop::sample::select(vec!["RUNNING", "FINISHED", "true", "false", "", " ", "<script>", "100%", "1e9", "-0"]).prop_map(Value::from),
    ]
}

/// Any JSON value, nested a few levels, with the values servers get wrong.
pub(crate) fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".{0,12}", inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn object_with(keys: &'static [&'static str], values: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(keys), values), 0..keys.len() + 2)
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>()))
}

fn envelope() -> impl Strategy<Value = Value> {
    (object_with(ENVELOPE_KEYS, json()), object_with(DATA_KEYS, json()), any::<bool>()).prop_map(|(mut env, data, put)| {
        if put {
            env["data"] = data;
        }
        env
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![Just(200u16), Just(204), Just(302), Just(401), Just(404), Just(429), Just(500), Just(502), Just(504), 100u16..600]
}

/// Everything the card relies on, for one decoded answer.
fn check(status: u16, body: &str) -> Result<(), TestCaseError> {
    match decode_progress(status, body) {
        Ok(progress) => {
            prop_assert!(is_success(status), "progress from HTTP {status}");
            for stage in [progress.schema, progress.full] {
                if let Some(p) = stage.clamped() {
                    prop_assert!((0.0..=100.0).contains(&p));
                }
            }
            for checkpoint in [&progress.incremental.checkpoint, &progress.reverse.checkpoint] {
                if let Checkpoint::Unix(s) = checkpoint {
                    prop_assert!(*s >= 1 && *s <= 253_402_300_799, "{s}");
                    prop_assert_eq!(iso_utc(*s).len(), 20);
                }
            }
        }
        Err(failure) => {
            if !is_success(status) {
                let kind = if matches!(status, 401 | 403) { FailureKind::Auth } else { FailureKind::Http };
                prop_assert_eq!(failure.kind(), kind);
                prop_assert_eq!(failure.http_status(), Some(status));
            }
            let answered = matches!(failure, Failure::Http { .. } | Failure::Decode { .. } | Failure::Api { .. });
            prop_assert!(answered, "{:?}", failure);
            // What the alert and the event show can always be written out.
            prop_assert!(!failure.to_string().is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(status in status(), value in json()) {
        check(status, &value.to_string())?;
    }

    #[test]
    fn hostile_envelopes_are_decoded_or_classified(status in status(), value in envelope()) {
        check(status, &value.to_string())?;
    }

    #[test]
    fn mutated_bytes_of_a_real_answer(edits in prop::collection::vec((0..SEED.len(), any::<u8>(), 0u8..3), 1..12)) {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match op {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => { bytes.remove(at); }
            }
        }
        check(200, &String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn arbitrary_text(body in ".{0,300}", status in status()) {
        check(status, &body)?;
    }

    #[test]
    fn steps_answers_never_panic(status in status(), steps in prop::collection::vec(object_with(STEP_KEYS, json()), 0..6), info in object_with(INFO_KEYS, json())) {
        let mut steps = steps;
        if let Some(first) = steps.first_mut() {
            first["stepInfo"] = info;
        }
        let body = serde_json::json!({ "success": true, "data": steps }).to_string();
        if let Ok(steps) = decode_steps(status, &body) {
            prop_assert!(is_success(status));
            for pair in steps.windows(2) {
                prop_assert!(pair[0].order.unwrap_or(f64::MAX) <= pair[1].order.unwrap_or(f64::MAX) || pair[1].order.is_none());
            }
            for step in &steps {
                for time in [step.started, step.finished, step.error.failed, step.info.checkpoint, step.info.sampled].into_iter().flatten() {
                    prop_assert!(time >= 0 && time <= 253_402_300_799, "{}", time);
                }
            }
        }
    }
}

const STEP_KEYS: &[&str] = &["order", "name", "description", "status", "progress", "startTime", "finishTime", "extraInfo", "stepInfo", "Order", "NAME"];
const INFO_KEYS: &[&str] = &["processedRecords", "capacity", "srcRps", "dstRps", "dstRpsRef", "srcRt", "dstRt", "incrTimestampCheckpoint", "checkpointSampleTimestamp"];

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(r#"{{"success":true,"data":{{"status":{}1{}}}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    let failure = decode_progress(200, &deep).expect_err("too deep for any real answer");
    assert_eq!(failure.kind(), FailureKind::Decode);
}

#[test]
fn a_valid_envelope_with_a_data_object_always_decodes() {
    proptest!(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() }, |(data in object_with(DATA_KEYS, json()))| {
        let body = serde_json::json!({ "success": true, "data": data }).to_string();
        prop_assert!(decode_progress(200, &body).is_ok(), "{}", body);
    });
}
