//! Browser tests: the real `<oms-progress-card>` element in headless Chromium, making real
//! requests to the fixture server (tests/fixture/server.mjs) that `make test` starts on
//! 127.0.0.1. Assertions read the DOM hooks of CONTRACT.md, as a host page would.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::ops::Not;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The fixture server, as `make test` started it.
const FIXTURE: &str = match option_env!("OMS_FIXTURE_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:47800",
};

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Gives the project id a script of answers (JSON array of steps; see the fixture server).
async fn script(id: &str, steps: &str) {
    let response = gloo_net::http::Request::post(&format!("{FIXTURE}/__script/{id}"))
        .body(steps.to_owned())
        .unwrap()
        .send()
        .await
        .expect("the fixture server is running (make test starts it)");
    assert_eq!(response.status(), 200);
}

/// How many progress requests the fixture has seen for the id.
async fn requests(id: &str) -> u32 {
    let response = gloo_net::http::Request::get(&format!("{FIXTURE}/__count/{id}")).send().await.unwrap();
    let json = js_sys::JSON::parse(&response.text().await.unwrap()).unwrap();
    js_sys::Reflect::get(&json, &"count".into()).unwrap().as_f64().unwrap() as u32
}

/// Mounts a card for `id` through the fixture, with extra attributes.
fn card(id: &str, extra: &[(&str, &str)]) -> HtmlElement {
    oms_progress_card::element::define();
    let el: HtmlElement = document().create_element("oms-progress-card").unwrap().dyn_into().unwrap();
    el.set_attribute("project-id", id).unwrap();
    el.set_attribute("proxy-url", &format!("{FIXTURE}/oms/")).unwrap();
    el.set_attribute("locale", "en").unwrap();
    for (name, value) in extra {
        el.set_attribute(name, value).unwrap();
    }
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn find(card: &HtmlElement, selector: &str) -> Option<Element> {
    card.shadow_root()?.query_selector(selector).ok()?
}

fn text(card: &HtmlElement, selector: &str) -> String {
    find(card, selector).and_then(|e| e.text_content()).unwrap_or_default()
}

fn attr(card: &HtmlElement, selector: &str, name: &str) -> Option<String> {
    find(card, selector)?.get_attribute(name)
}

fn state(card: &HtmlElement) -> String {
    attr(card, "[data-oms-card]", "data-state").unwrap_or_default()
}

/// Waits up to `ms` for `condition`, checking every 25 ms.
async fn until(ms: i32, condition: impl Fn() -> bool) -> bool {
    for _ in 0..(ms / 25).max(1) {
        if condition() {
            return true;
        }
        sleep(25).await;
    }
    condition()
}

/// Collects the `detail` of every `name` event the element dispatches.
fn events(el: &HtmlElement, name: &str) -> Rc<RefCell<Vec<JsValue>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        sink.borrow_mut().push(e.detail());
    });
    el.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref()).unwrap();
    listener.forget();
    seen
}

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

fn answer(data: &str) -> String {
    format!(r#"{{"json":{{"success":true,"requestId":"r","data":{data}}}}}"#)
}

const FAIL_PROJECT: &str = r#"{"json":{"success":false,"errorDetail":{"code":"GHANA-PROJECT000001","level":"ERROR","message":"The project does not exist.","proposal":"Check the project id."},"code":"GHANA-PROJECT000001","message":"The project does not exist.","advice":null,"requestId":"req-404","data":null}}"#;

#[wasm_bindgen_test]
async fn shows_the_documented_answer() {
    let el = card("np_seed_show", &[]);
    assert!(until(5000, || state(&el) == "ready").await, "state: {}", state(&el));
    assert_eq!(text(&el, "[data-field=project-id]"), "np_seed_show");
    assert_eq!(text(&el, "[data-field=status]"), "Running");
    assert_eq!(attr(&el, "[data-field=status]", "data-value").as_deref(), Some("RUNNING"));
    assert_eq!(attr(&el, "[data-oms-card]", "data-status").as_deref(), Some("RUNNING"));
    assert_eq!(text(&el, "[data-field=alarm-level]"), "Medium");
    assert_eq!(text(&el, "[data-field=current-step]"), "Incremental sync");
    assert_eq!(attr(&el, "[data-field=current-step]", "data-value").as_deref(), Some("INCR_TRANSFER"));
    for ring in ["[data-field=struct-progress]", "[data-field=full-progress]"] {
        assert_eq!(attr(&el, ring, "role").as_deref(), Some("progressbar"));
        assert_eq!(attr(&el, ring, "aria-valuemin").as_deref(), Some("0"));
        assert_eq!(attr(&el, ring, "aria-valuemax").as_deref(), Some("100"));
        assert_eq!(attr(&el, ring, "aria-valuenow").as_deref(), Some("100"));
        assert!(attr(&el, ring, "aria-label").is_some_and(|l| !l.is_empty()));
    }
    let checkpoint = find(&el, "[data-field=incr-checkpoint]").unwrap();
    assert_eq!(checkpoint.tag_name(), "TIME");
    let datetime = checkpoint.get_attribute("datetime").unwrap();
    assert!(datetime.len() == 20 && datetime.ends_with('Z'), "{datetime}");
    let latency: u32 = attr(&el, "[data-field=incr-latency]", "data-seconds").unwrap().parse().unwrap();
    assert!((12..=20).contains(&latency), "latency {latency}");
    assert_eq!(find(&el, "[data-field=reverse-checkpoint]").unwrap().tag_name(), "TIME");
    assert_eq!(find(&el, "[data-field=updated]").unwrap().tag_name(), "TIME");
    assert!(find(&el, "[role=alert]").is_none());
    el.remove();
}

#[wasm_bindgen_test]
async fn sends_the_documented_request() {
    let el = card("np_request_shape", &[]);
    assert!(until(5000, || state(&el) == "ready").await);
    let response = gloo_net::http::Request::get(&format!("{FIXTURE}/__count/np_request_shape")).send().await.unwrap();
    let json = js_sys::JSON::parse(&response.text().await.unwrap()).unwrap();
    let bodies = get(&json, "bodies");
    let first = js_sys::Array::from(&bodies).get(0).as_string().unwrap();
    assert_eq!(first, r#"{"id":"np_request_shape"}"#);
    el.remove();
}

#[wasm_bindgen_test]
async fn an_api_error_fills_the_alert_and_the_error_event() {
    script("np_missing", &format!("[{FAIL_PROJECT}]")).await;
    let el = card("np_missing", &[]);
    let errors = events(&el, "oms-error");
    assert!(until(5000, || state(&el) == "error").await);
    let alert = text(&el, "[role=alert]");
    for part in ["GHANA-PROJECT000001", "The project does not exist.", "Check the project id.", "req-404"] {
        assert!(alert.contains(part), "alert {alert:?} lacks {part:?}");
    }
    assert!(until(1000, || !errors.borrow().is_empty()).await);
    let detail = errors.borrow()[0].clone();
    assert_eq!(get(&detail, "kind").as_string().as_deref(), Some("api"));
    assert_eq!(get(&detail, "code").as_string().as_deref(), Some("GHANA-PROJECT000001"));
    assert_eq!(get(&detail, "message").as_string().as_deref(), Some("The project does not exist."));
    el.remove();
}

#[wasm_bindgen_test]
async fn keeps_the_last_good_data_through_failures_and_recovers() {
    let good = answer(r#"{"status":"RUNNING","fullTransferProgress":42,"enableFullTransfer":true}"#);
    let down = r#"{"status":502,"json":{"success":false,"code":"UPSTREAM_UNREACHABLE","message":"OMS did not answer"}}"#;
    script("np_flaky", &format!("[{good},{down},{good}]")).await;
    let el = card("np_flaky", &[("interval", "1")]);
    assert!(until(5000, || state(&el) == "ready").await);
    assert!(until(5000, || state(&el) == "stale").await, "state {}", state(&el));
    assert_eq!(text(&el, "[data-field=status]"), "Running", "data kept while stale");
    assert_eq!(attr(&el, "[data-field=full-progress]", "aria-valuenow").as_deref(), Some("42"));
    let alert = text(&el, "[role=alert]");
    assert!(alert.contains("UPSTREAM_UNREACHABLE") && alert.contains("502"), "{alert}");
    assert!(until(8000, || state(&el) == "ready").await, "recovers by itself");
    assert!(find(&el, "[role=alert]").is_none());
    el.remove();
}

#[wasm_bindgen_test]
async fn an_html_login_page_is_a_decode_error() {
    script("np_login", r#"[{"status":200,"headers":{"Content-Type":"text/html"},"body":"<!doctype html><form action=/login>"}]"#).await;
    let el = card("np_login", &[]);
    let errors = events(&el, "oms-error");
    assert!(until(5000, || state(&el) == "error").await);
    assert!(text(&el, "[role=alert]").contains("HTML"));
    assert!(find(&el, "form").is_none(), "the page is text, never markup");
    assert!(until(1000, || !errors.borrow().is_empty()).await);
    assert_eq!(get(&errors.borrow()[0], "kind").as_string().as_deref(), Some("decode"));
    el.remove();
}

#[wasm_bindgen_test]
async fn a_hung_request_times_out() {
    script("np_hang", r#"[{"hang":true}]"#).await;
    let el = card("np_hang", &[("timeout", "1")]);
    let errors = events(&el, "oms-error");
    assert!(until(4000, || state(&el) == "error").await);
    assert_eq!(get(&errors.borrow()[0], "kind").as_string().as_deref(), Some("timeout"));
    el.remove();
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error() {
    let el = card("np_refused", &[]);
    // Port 9 (discard) is closed on the test host: the connection is refused.
    el.set_attribute("proxy-url", "http://127.0.0.1:9/oms").unwrap();
    let errors = events(&el, "oms-error");
    assert!(until(5000, || !errors.borrow().is_empty()).await);
    assert_eq!(get(&errors.borrow().last().unwrap(), "kind").as_string().as_deref(), Some("network"));
    assert_eq!(state(&el), "error");
    el.remove();
}

#[wasm_bindgen_test]
async fn changing_the_project_never_shows_the_older_answer() {
    let slow = r#"[{"delayMs":1500,"json":{"success":true,"data":{"status":"FAILED"}}}]"#;
    script("np_slow_old", slow).await;
    script("np_fast_new", &format!("[{}]", answer(r#"{"status":"FINISHED"}"#))).await;
    let el = card("np_slow_old", &[]);
    sleep(200).await;
    el.set_attribute("project-id", "np_fast_new").unwrap();
    assert!(until(3000, || text(&el, "[data-field=status]") == "Completed").await);
    sleep(1800).await; // the old answer has arrived by now, and must have been dropped
    assert_eq!(text(&el, "[data-field=status]"), "Completed");
    assert_eq!(text(&el, "[data-field=project-id]"), "np_fast_new");
    el.remove();
}

#[wasm_bindgen_test]
async fn status_changes_and_progress_are_events() {
    let steps = format!("[{},{}]", answer(r#"{"projectId":"np_events","status":"RUNNING"}"#), answer(r#"{"status":"SUSPEND"}"#));
    script("np_events", &steps).await;
    let el = card("np_events", &[("interval", "1")]);
    let progress = events(&el, "oms-progress");
    let changes = events(&el, "oms-status-change");
    assert!(until(5000, || progress.borrow().len() >= 2).await);
    assert_eq!(get(&progress.borrow()[0], "projectId").as_string().as_deref(), Some("np_events"));
    assert!(until(1000, || !changes.borrow().is_empty()).await);
    let change = changes.borrow()[0].clone();
    assert_eq!(get(&change, "from").as_string().as_deref(), Some("RUNNING"));
    assert_eq!(get(&change, "to").as_string().as_deref(), Some("SUSPEND"));
    assert_eq!(changes.borrow().len(), 1, "no change event on the first load");
    el.remove();
}

#[wasm_bindgen_test]
async fn odd_values_are_shown_as_they_came() {
    let data = r#"{"status":"RUNNING_ON_MARS","currentStep":"WARP_DRIVE","alarmLevel":"CRITICAL",
        "enableStructTransfer":false,"structTransferProgress":0,
        "enableFullTransfer":true,"fullTransferProgress":"140",
        "enableIncrSync":true,"incrSyncCheckpoint":"100,30","enableReverseIncrTransfer":false,"reverseIncrTransferCheckpoint":1689248075}"#;
    script("np_odd", &format!("[{}]", answer(data))).await;
    let el = card("np_odd", &[]);
    assert!(until(5000, || state(&el) == "ready").await);
    assert_eq!(text(&el, "[data-field=status]"), "RUNNING_ON_MARS");
    assert_eq!(text(&el, "[data-field=current-step]"), "WARP_DRIVE");
    assert_eq!(text(&el, "[data-field=alarm-level]"), "CRITICAL");
    assert_eq!(attr(&el, "[data-field=struct-progress]", "data-enabled").as_deref(), Some("false"));
    assert_eq!(attr(&el, "[data-field=full-progress]", "aria-valuenow").as_deref(), Some("100"), "clamped");
    assert!(text(&el, "[data-field=full-progress]").contains("140"), "shown as sent");
    let checkpoint = find(&el, "[data-field=incr-checkpoint]").unwrap();
    assert_ne!(checkpoint.tag_name(), "TIME");
    assert_eq!(checkpoint.text_content().as_deref(), Some("100,30"));
    assert!(find(&el, "[data-field=incr-latency]").is_none());
    assert!(find(&el, "[data-field=reverse-checkpoint]").is_none(), "reverse stage off");
    el.remove();
}

#[wasm_bindgen_test]
async fn hostile_strings_stay_text() {
    let payload = r#"<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>"#;
    let body = format!(
        r#"[{{"json":{{"success":false,"code":"{payload}","message":"{payload}","advice":"{payload}","requestId":"{payload}"}}}}]"#
    );
    script("np_hostile", &body).await;
    let el = card("np_hostile", &[]);
    assert!(until(5000, || state(&el) == "error").await);
    sleep(100).await;
    assert!(find(&el, "img").is_none() && find(&el, "script").is_none());
    assert!(text(&el, "[role=alert]").contains("<img src=x"));
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
    el.remove();
}

#[wasm_bindgen_test]
async fn cards_of_one_task_share_one_request_per_interval() {
    let cards: Vec<_> = (0..5).map(|_| card("np_shared", &[("interval", "1")])).collect();
    assert!(until(5000, || cards.iter().all(|c| state(c) == "ready")).await);
    let before = requests("np_shared").await;
    sleep(3200).await;
    let during = requests("np_shared").await - before;
    // One card alone makes at most 4 requests in 3.2 s at 1 s; five sharing must not make more.
    assert!((1..=4).contains(&during), "{during} requests in 3.2 s for five cards at 1 s");
    cards.iter().for_each(|c| c.remove());
}

#[wasm_bindgen_test]
async fn a_removed_card_sends_nothing_more() {
    let el = card("np_removed", &[("interval", "1")]);
    assert!(until(5000, || state(&el) == "ready").await);
    el.remove();
    sleep(100).await;
    let after_removal = requests("np_removed").await;
    sleep(2500).await;
    assert_eq!(requests("np_removed").await, after_removal);
}

#[wasm_bindgen_test]
async fn a_moved_card_keeps_its_data() {
    let el = card("np_moved", &[]);
    assert!(until(5000, || state(&el) == "ready").await);
    let other = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&other).unwrap();
    other.append_child(&el).unwrap();
    sleep(50).await;
    assert_eq!(state(&el), "ready");
    assert_eq!(text(&el, "[data-field=status]"), "Running");
    other.remove();
}

#[wasm_bindgen_test]
async fn failures_back_off() {
    script("np_backoff", r#"[{"status":503,"body":"unavailable"}]"#).await;
    let el = card("np_backoff", &[("interval", "1")]);
    sleep(6000).await;
    // At 1 s without backoff: 6 requests. Backoff doubles from 1 s (jittered): at most 4.
    let seen = requests("np_backoff").await;
    assert!((1..=4).contains(&seen), "{seen} requests in 6 s");
    el.remove();
}

#[wasm_bindgen_test]
async fn refresh_button_fetches_now() {
    let el = card("np_refresh", &[("interval", "60")]);
    assert!(until(5000, || state(&el) == "ready").await);
    let before = requests("np_refresh").await;
    let button: HtmlElement = find(&el, "button").unwrap().dyn_into().unwrap();
    button.click();
    sleep(1000).await;
    assert_eq!(requests("np_refresh").await, before + 1);
    el.remove();
}

#[wasm_bindgen_test]
async fn speaks_chinese() {
    let el = card("np_zh", &[("locale", "zh-CN")]);
    assert!(until(5000, || state(&el) == "ready").await);
    assert_eq!(text(&el, "[data-field=status]"), "运行中");
    assert_eq!(attr(&el, "[data-field=status]", "data-value").as_deref(), Some("RUNNING"));
    assert_eq!(attr(&el, "[data-oms-card]", "lang").as_deref(), Some("zh-CN"));
    el.set_attribute("locale", "en").unwrap();
    assert!(until(1000, || text(&el, "[data-field=status]") == "Running").await);
    el.remove();
}

#[wasm_bindgen_test]
async fn missing_attributes_get_a_clear_message() {
    oms_progress_card::element::define();
    let el: HtmlElement = document().create_element("oms-progress-card").unwrap().dyn_into().unwrap();
    el.set_attribute("locale", "en").unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    assert!(until(2000, || text(&el, "[role=alert]").contains("project-id")).await);
    assert_eq!(state(&el), "error");
    el.set_attribute("project-id", "np_late").unwrap();
    assert!(until(2000, || text(&el, "[role=alert]").contains("proxy-url")).await);
    el.set_attribute("proxy-url", &format!("{FIXTURE}/oms")).unwrap();
    assert!(until(5000, || state(&el) == "ready").await);
    el.remove();
}

#[wasm_bindgen_test]
async fn styles_are_adopted_not_inline() {
    let el = card("np_styles", &[("theme", "dark")]);
    assert!(until(5000, || state(&el) == "ready").await);
    let root = el.shadow_root().unwrap();
    assert_eq!(root.mode(), web_sys::ShadowRootMode::Open);
    assert_eq!(root.adopted_style_sheets().length(), 1);
    assert!(root.query_selector("style, [style], link").unwrap().is_none());
    assert_eq!(attr(&el, "[data-oms-card]", "data-theme").as_deref(), Some("dark"));
    el.remove();
}

#[wasm_bindgen_test]
async fn defining_twice_is_harmless() {
    oms_progress_card::element::define();
    oms_progress_card::element::define();
    assert!(web_sys::window().unwrap().custom_elements().get("oms-progress-card").is_undefined().not());
}
