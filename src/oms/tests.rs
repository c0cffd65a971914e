//! Decoding of whole answers: the documented example, every error shape of NOTES.md, odd types.

use super::*;

const SEED: &str = r#"{
    "success":true, "errorDetail":null, "code":null, "message":null, "advice":null,
    "requestId":"xfez****", "pageNumber":1, "pageSize":5, "totalCount":50, "cost":"27 ms",
    "data":{
        "projectId":"np_4w****", "status":"RUNNING", "alarmLevel":"MEDIUM", "enableIncrSync":true,
        "currentStep":"PRE_CHECK", "incrSyncCheckpoint":1689248064, "enableStructTransfer":true,
        "enableFullTransfer":true, "structTransferProgress":100, "fullTransferProgress":100,
        "enableReverseIncrTransfer":true, "reverseIncrTransferCheckpoint":1689248075
    }
}"#;

fn ok(body: &str) -> Progress {
    decode_progress(200, body).unwrap_or_else(|f| panic!("expected progress, got {f:?}"))
}

fn err(status: u16, body: &str) -> Failure {
    decode_progress(status, body).expect_err("expected a failure")
}

fn report(f: &Failure) -> ServerReport {
    f.report().cloned().unwrap_or_default()
}

fn issue(f: &Failure) -> Option<DecodeIssue> {
    match f {
        Failure::Decode { issue, .. } => Some(*issue),
        _ => None,
    }
}

#[test]
fn the_documented_example() {
    let p = ok(SEED);
    assert_eq!(p.project_id.as_deref(), Some("np_4w****"));
    assert_eq!(p.known_status(), Some(ProjectStatus::Running));
    assert_eq!(p.alarm_level.as_ref().unwrap().known, Some(AlarmLevel::Medium));
    assert_eq!(p.current_step.as_ref().unwrap().known, Some(Step::PreCheck));
    assert_eq!(p.schema, Stage { enabled: Some(true), percent: Some(100.0) });
    assert_eq!(p.full, Stage { enabled: Some(true), percent: Some(100.0) });
    assert_eq!(p.incremental, IncrementalStage { enabled: Some(true), checkpoint: Checkpoint::Unix(1689248064) });
    assert_eq!(p.reverse, IncrementalStage { enabled: Some(true), checkpoint: Checkpoint::Unix(1689248075) });
    assert!(!p.is_terminal());
}

#[test]
fn project_not_found() {
    let f = err(
        200,
        r#"{"success":false,"errorDetail":{"code":"GHANA-PROJECT000001","level":"ERROR",
            "message":"The project does not exist.","reason":null,"proposal":"Check the project id."},
            "code":"GHANA-PROJECT000001","message":"The project does not exist.","advice":null,
            "requestId":"req-1","cost":"13 ms","data":null}"#,
    );
    assert_eq!(f.kind(), FailureKind::Api);
    assert_eq!(f.code(), Some("GHANA-PROJECT000001"));
    assert_eq!(report(&f).message.as_deref(), Some("The project does not exist."));
    assert_eq!(report(&f).advice.as_deref(), Some("Check the project id."), "advice falls back to errorDetail.proposal");
    assert_eq!(report(&f).request_id.as_deref(), Some("req-1"));
}

#[test]
fn cm_service_unavailable_without_a_success_field() {
    let f = err(
        200,
        r#"{"code":"GHANA-OPERAT000001","message":"Pay attention that the CM service may be not available.",
            "requestId":"r-2","cost":"1"}"#,
    );
    assert_eq!(f.kind(), FailureKind::Api);
    assert_eq!(f.code(), Some("GHANA-OPERAT000001"));
    assert_eq!(report(&f).message.as_deref(), Some("Pay attention that the CM service may be not available."));
}

#[test]
fn internal_error_detail_in_chinese() {
    let f = err(
        200,
        r#"{"success":false,"errorDetail":{"code":"GHANA-OPERIE000000","level":"FATAL",
            "message":"内部错误：连接元数据库失败","reason":"数据库不可用","proposal":"请联系管理员"},
            "requestId":"r-3","cost":56,"data":null}"#,
    );
    assert_eq!(f.kind(), FailureKind::Api);
    assert_eq!(f.code(), Some("GHANA-OPERIE000000"), "code from errorDetail");
    assert_eq!(report(&f).message.as_deref(), Some("内部错误：连接元数据库失败"));
    assert_eq!(report(&f).advice.as_deref(), Some("请联系管理员"));
}

#[test]
fn param_error_and_inner_error() {
    let f = err(200, r#"{"success":false,"code":"PARAM_ERROR","message":"id must not be empty"}"#);
    assert_eq!((f.kind(), f.code()), (FailureKind::Api, Some("PARAM_ERROR")));
    let f = err(
        200,
        r#"{"success":false,"code":"INNER_ERROR","message":"A system error occurred.",
            "advice":"Contact the administrator.","requestId":"r-4"}"#,
    );
    assert_eq!(report(&f).message.as_deref(), Some("A system error occurred."));
    assert_eq!(report(&f).advice.as_deref(), Some("Contact the administrator."));
}

#[test]
fn message_falls_back_to_error_detail_reason() {
    let f = err(200, r#"{"success":false,"errorDetail":{"reason":"disk full"}}"#);
    assert_eq!(report(&f).message.as_deref(), Some("disk full"));
}

#[test]
fn http_errors_keep_the_status_and_any_envelope() {
    let f = err(502, r#"{"success":false,"code":"UPSTREAM_UNREACHABLE","message":"OMS did not answer"}"#);
    assert_eq!((f.kind(), f.http_status()), (FailureKind::Http, Some(502)));
    assert_eq!(f.code(), Some("UPSTREAM_UNREACHABLE"));
    let f = err(408, "Request Timeout");
    assert_eq!((f.kind(), f.http_status(), f.code()), (FailureKind::Http, Some(408), None));
    let f = err(500, "");
    assert_eq!((f.kind(), f.http_status()), (FailureKind::Http, Some(500)));
    // Even a body that looks like success does not make a 503 good.
    assert_eq!(err(503, SEED).kind(), FailureKind::Http);
}

#[test]
fn a_refused_viewer_is_an_auth_failure_with_its_status_and_code() {
    let f = err(401, r#"{"success":false,"code":"PROXY_UNAUTHENTICATED","message":"Sign in again"}"#);
    assert_eq!((f.kind(), f.http_status(), f.code()), (FailureKind::Auth, Some(401), Some("PROXY_UNAUTHENTICATED")));
    let f = err(403, "<html>Forbidden</html>");
    assert_eq!((f.kind(), f.http_status()), (FailureKind::Auth, Some(403)));
    assert_eq!(FailureKind::Auth.as_str(), "auth");
    assert_eq!(Failure::NoCredentials.kind(), FailureKind::Auth);
}

#[test]
fn bodies_that_are_not_envelopes() {
    let f = err(200, "<!DOCTYPE html><html><body><form action=/login>");
    assert_eq!((f.kind(), issue(&f)), (FailureKind::Decode, Some(DecodeIssue::Html)));
    let f = err(200, "   ");
    assert_eq!(issue(&f), Some(DecodeIssue::Empty));
    let f = err(200, &SEED[..SEED.len() / 2]);
    assert_eq!((f.kind(), issue(&f)), (FailureKind::Decode, Some(DecodeIssue::NotJson)));
    for body in ["[]", "\"ok\"", "42", "null", "true"] {
        let f = err(200, body);
        assert_eq!((f.kind(), issue(&f)), (FailureKind::Decode, Some(DecodeIssue::NotAnObject)), "{body}");
    }
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(MAX_ANSWER_BYTES));
    assert_eq!(issue(&err(200, &huge)), Some(DecodeIssue::TooLarge));
}

#[test]
fn success_without_data() {
    for body in [
        r#"{"success":true}"#,
        r#"{"success":true,"data":null}"#,
        r#"{"success":true,"data":[1,2]}"#,
        r#"{"success":true,"data":"not json"}"#,
    ] {
        let f = err(200, body);
        assert_eq!((f.kind(), issue(&f)), (FailureKind::Decode, Some(DecodeIssue::NoData)), "{body}");
    }
}

#[test]
fn data_as_a_json_string() {
    let p = ok(r#"{"success":true,"data":"{\"status\":\"FINISHED\",\"fullTransferProgress\":\"100\"}"}"#);
    assert_eq!(p.known_status(), Some(ProjectStatus::Finished));
    assert!(p.is_terminal());
    assert_eq!(p.full.percent, Some(100.0));
}

#[test]
fn success_in_odd_shapes() {
    assert!(decode_progress(200, r#"{"success":"true","data":{}}"#).is_ok());
    assert!(decode_progress(200, r#"{"success":1,"data":{}}"#).is_ok());
    assert_eq!(err(200, r#"{"success":"false","data":{}}"#).kind(), FailureKind::Api);
    assert_eq!(err(200, r#"{"success":"perhaps","data":{}}"#).kind(), FailureKind::Api);
    // No verdict and no error, but a data object: a lenient server; show the data.
    assert!(decode_progress(200, r#"{"data":{"status":"RUNNING"}}"#).is_ok());
    assert_eq!(err(200, "{}").kind(), FailureKind::Api);
}

#[test]
fn one_odd_field_never_costs_the_rest() {
    let p = ok(r#"{
        "success":true, "cost":{"ms":3}, "errorDetail":"none", "requestId":12345,
        "data":{
            "projectId":42, "status":["RUNNING"], "alarmLevel":{"x":1}, "currentStep":"FULL_TRANSFER",
            "enableStructTransfer":"yes", "structTransferProgress":"87.5",
            "enableFullTransfer":1, "fullTransferProgress":133,
            "enableIncrSync":"false", "incrSyncCheckpoint":"100,30",
            "enableReverseIncrTransfer":null, "reverseIncrTransferCheckpoint":true,
            "somethingNew":{"deep":[1,2,{"a":null}]}
        }
    }"#);
    assert_eq!(p.project_id.as_deref(), Some("42"));
    assert_eq!(p.status, None);
    assert_eq!(p.alarm_level, None);
    assert_eq!(p.current_step.as_ref().unwrap().known, Some(Step::FullMigration));
    assert_eq!(p.schema, Stage { enabled: Some(true), percent: Some(87.5) });
    assert_eq!(p.full, Stage { enabled: Some(true), percent: Some(133.0) });
    assert_eq!(p.full.clamped(), Some(100.0));
    assert_eq!(p.incremental.checkpoint, Checkpoint::Raw("100,30".into()));
    assert_eq!(p.incremental.visible_checkpoint(), &Checkpoint::None, "stage disabled");
    assert_eq!(p.reverse.checkpoint, Checkpoint::None);
}

#[test]
fn unknown_codes_are_kept_raw() {
    let p = ok(r#"{"success":true,"data":{"status":"RUNNING_ON_MARS","currentStep":"WARP","alarmLevel":"CRITICAL"}}"#);
    assert_eq!(p.status, Some(Code { raw: "RUNNING_ON_MARS".into(), known: None }));
    assert_eq!(p.current_step, Some(Code { raw: "WARP".into(), known: None }));
    assert_eq!(p.alarm_level, Some(Code { raw: "CRITICAL".into(), known: None }));
    assert!(!p.is_terminal());
}

#[test]
fn field_names_in_other_case_styles() {
    let p = ok(r#"{"Success":true,"RequestId":"r","Data":{"ProjectId":"np_1","Status":"SUSPEND","full_transfer_progress":5}}"#);
    assert_eq!(p.project_id.as_deref(), Some("np_1"));
    assert_eq!(p.known_status(), Some(ProjectStatus::Suspend));
    assert_eq!(p.full.percent, Some(5.0));
}

#[test]
fn a_later_duplicate_key_wins_as_in_javascript() {
    let p = ok(r#"{"success":false,"success":true,"data":{"status":"INIT","status":"FAILED"}}"#);
    assert_eq!(p.known_status(), Some(ProjectStatus::Failed));
}

#[test]
fn every_field_may_be_missing() {
    let p = ok(r#"{"success":true,"data":{}}"#);
    assert_eq!(p, Progress::default());
}

#[test]
fn endpoint_from_proxy_url() {
    assert_eq!(Action::Progress.endpoint("/oms").as_deref(), Some("/oms/api/v2?Action=DescribeProjectProgress"));
    assert_eq!(Action::Progress.endpoint("/oms/").as_deref(), Some("/oms/api/v2?Action=DescribeProjectProgress"));
    assert_eq!(
        Action::Progress.endpoint(" https://oms.example:8089// ").as_deref(),
        Some("https://oms.example:8089/api/v2?Action=DescribeProjectProgress")
    );
    assert_eq!(Action::Progress.endpoint("/").as_deref(), Some("/api/v2?Action=DescribeProjectProgress"), "the page's own origin");
    assert_eq!(Action::Progress.endpoint("   "), None);
    assert_eq!(Action::Progress.endpoint(""), None);
}

// DescribeProjectSteps

const STEPS_EXAMPLE_1: &str = r#"{"success":true,"data":[{"order":3,"name":"FULL_TRANSFER","description":"全量迁移","status":"FINISHED",
  "extraInfo":{"errorDetails":null,"errorCode":null,"errorMsg":null,"errorParam":null,"failedTime":null},
  "startTime":"2023-05-31T04:08:42","finishTime":"2023-05-31T04:09:02","progress":100,
  "stepInfo":{"processedRecords":1000,"capacity":1000,"srcRps":0,"srcRt":0,"srcIops":0,"dstRps":0,"dstRt":0,"dstIops":0,
              "srcRpsRef":4000,"srcRtRef":1,"dstRpsRef":4000,"dstRtRef":1,"srcIopsRef":4194304}},
 {"order":4,"name":"INCR_TRANSFER","description":"增量同步","status":"MONITORING",
  "extraInfo":{"errorDetails":null,"errorCode":null,"errorMsg":null,"errorParam":null,"failedTime":null},
  "startTime":"2023-05-31T04:09:07","finishTime":null,"progress":100,
  "stepInfo":{"incrTimestampCheckpoint":1685796846,"checkpointSampleTimestamp":1685796847,"enableIncrStatistics":null}}]}"#;

#[test]
fn steps_as_real_servers_send_them() {
    let steps = decode_steps(200, STEPS_EXAMPLE_1).unwrap();
    assert_eq!(steps.len(), 2);
    let full = &steps[0];
    assert_eq!(full.known_step(), Some(Step::FullMigration));
    assert_eq!(full.known_status(), Some(StepStatus::Finished));
    assert_eq!((full.started, full.finished), (Some(1_685_506_122), Some(1_685_506_142)));
    assert_eq!((full.info.processed, full.info.capacity, full.info.dst_rps_ref), (Some(1000.0), Some(1000.0), Some(4000.0)));
    assert_eq!(*full.error, StepError::default(), "all-null extraInfo is no error");
    let incr = &steps[1];
    assert_eq!(incr.known_status(), Some(StepStatus::Monitoring));
    assert_eq!((incr.info.checkpoint, incr.info.sampled), (Some(1_685_796_846), Some(1_685_796_847)));
    assert_eq!(incr.finished, None);
}

/// A fleet holds thousands of steps: a step keeps no room for an error or records it lacks,
/// and a code spelled as OMS spells it is no copy of its own.
#[test]
fn a_step_holds_only_what_it_has() {
    let steps = decode_steps(200, STEPS_EXAMPLE_1).unwrap();
    let (full, incr) = (&steps[0], &steps[1]);
    assert_eq!(full.error, crate::oms::Sparse::default(), "an all-null extraInfo holds nothing");
    assert_ne!(full.info, crate::oms::Sparse::default(), "records are held");
    assert_eq!(incr.error.code, None, "a missing part reads as empty");
    for code in [full.name.as_ref().unwrap(), incr.name.as_ref().unwrap()] {
        assert!(matches!(code.raw, std::borrow::Cow::Borrowed(_)), "{code:?} is the table's text");
    }
    let mut written = incr.clone();
    written.error.code = None;
    assert_eq!(written.error, incr.error, "a part written empty reads as the part missing");
    let odd = crate::oms::Code::<Step>::new("incr_transfer");
    assert_eq!((&*odd.raw, odd.known), ("incr_transfer", Some(Step::IncrSync)), "another spelling is kept as sent");
}

#[test]
fn a_pascal_case_envelope_with_partial_steps() {
    let steps = decode_steps(
        200,
        r#"{"Code":200,"Cost":56,"Data":[{"name":"TRANSFER_INCR_LOG_PULL","progress":0,"order":3,"status":"INIT","extraInfo":{}},
        {"name":"FULL_TRANSFER","progress":0,"stepInfo":{"processedRecords":100},"order":4,"status":"INIT","extraInfo":{}}],
        "Deletable":false,"ErrorCode":"","Message":"successful","Success":true,"TotalCount":0}"#,
    )
    .unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[1].info.processed, Some(100.0));
    assert_eq!(steps[1].info.capacity, None);
}

#[test]
fn a_failed_step_carries_its_error_and_since_when() {
    let steps = decode_steps(
        200,
        r#"{"success":true,"data":[
        {"order":4,"name":"INCR_TRANSFER","status":"INIT","progress":0,"stepInfo":{"incrTimestampCheckpoint":null,"checkpointSampleTimestamp":null},"extraInfo":{}},
        {"order":2,"name":"STRUCT_TRANSFER","status":"FINISHED","progress":100,"stepInfo":null,"extraInfo":{}},
        {"order":3,"name":"FULL_TRANSFER","status":"FAILED","progress":42,"startTime":"2025-03-02T01:02:45","finishTime":null,
         "stepInfo":{"processedRecords":12600000,"capacity":30000000,"srcRps":0,"dstRps":0,"dstRpsRef":12000},
         "extraInfo":{"errorCode":"INNER_ERROR","errorMsg":"A system error occurred.","failedTime":"2025-03-02T02:31:07",
           "errorDetails":[{"code":"INNER_ERROR","level":"ERROR","message":"A system error occurred.","proposal":"Contact the administrator."}]}}]}"#,
    )
    .unwrap();
    let names: Vec<_> = steps.iter().map(|s| s.name.as_ref().unwrap().raw.as_ref()).collect();
    assert_eq!(names, ["STRUCT_TRANSFER", "FULL_TRANSFER", "INCR_TRANSFER"], "sorted by order");
    let failed = &steps[1];
    assert_eq!(failed.known_status(), Some(StepStatus::Failed));
    assert_eq!(failed.error.code.as_deref(), Some("INNER_ERROR"));
    assert_eq!(failed.error.message.as_deref(), Some("A system error occurred."));
    assert_eq!(failed.error.failed, Some(1_740_882_667));
    assert_eq!(steps[2].info.checkpoint, None);
}

#[test]
fn odd_steps_shapes() {
    // Orders that skip or are missing, details that stand in for the message, junk items.
    let steps = decode_steps(
        200,
        r#"{"success":true,"data":[7,"x",null,{"name":"WARP","status":"DANCING"},{"order":"9","name":"B"},{"order":1,"name":"A",
           "extraInfo":{"errorDetails":[{"code":"E1","message":"first"},{"code":"E2"}]},"startTime":"not a time","stepInfo":{"capacity":-5}}]}"#,
    )
    .unwrap();
    let names: Vec<_> = steps.iter().map(|s| s.name.as_ref().unwrap().raw.as_ref()).collect();
    assert_eq!(names, ["A", "B", "WARP"]);
    assert_eq!((steps[0].error.code.as_deref(), steps[0].error.message.as_deref()), (Some("E1"), Some("first")));
    assert_eq!(steps[0].started, None);
    assert_eq!(steps[0].info.capacity, None, "a negative estimate is no estimate");
    assert_eq!(steps[2].known_status(), None);
    assert_eq!(steps[2].status.as_ref().unwrap().raw, "DANCING");
    // Not an array: no steps data.
    assert!(matches!(decode_steps(200, r#"{"success":true,"data":{"order":1}}"#), Err(Failure::Decode { issue: DecodeIssue::NoData, .. })));
    assert_eq!(decode_steps(200, r#"{"success":true,"data":[]}"#).unwrap(), vec![]);
}

/// A hostile answer under the size limit: thousands of steps in reverse order. Read as the
/// first `MAX_STEPS` of them, in order (sorting them all once froze a card for seconds).
#[test]
fn a_hostile_number_of_steps_is_read_as_a_task_has_them() {
    let items: Vec<String> = (0..20_000).rev().map(|i| format!(r#"{{"order":{i},"name":"FULL_TRANSFER"}}"#)).collect();
    let steps = decode_steps(200, &format!(r#"{{"success":true,"data":[{}]}}"#, items.join(","))).unwrap();
    assert_eq!(steps.len(), crate::oms::MAX_STEPS);
    let orders: Vec<f64> = steps.iter().filter_map(|s| s.order).collect();
    assert!(orders.windows(2).all(|w| w[0] <= w[1]), "in order");
    assert_eq!(orders.first(), Some(&(20_000.0 - crate::oms::MAX_STEPS as f64)), "the first items of the answer");
}
