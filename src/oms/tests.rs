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
