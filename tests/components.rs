//! The view alone, in headless Chromium: `CardView` mounted against a model each test feeds
//! (no network), checked through the hooks a host page sees. `make test` runs them
//! (wasm-bindgen-test, `scripts/test-browser.sh`).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use oms_progress_card::CardView;
use oms_progress_card::feed::use_clock;
use oms_progress_card::model::{CardData, Layout, Locale, Settings, Text};
use oms_progress_card::oms::{DecodeIssue, Failure, ServerReport, TaskStep, decode, read_progress, read_steps};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

const DOCUMENTED: &str = r#"{"success":true,"requestId":"xfez****","cost":"27 ms","data":{"projectId":"np_4w****","status":"RUNNING","alarmLevel":"MEDIUM","enableIncrSync":true,"currentStep":"PRE_CHECK","incrSyncCheckpoint":1689248064,"enableStructTransfer":true,"enableFullTransfer":true,"structTransferProgress":100,"fullTransferProgress":100,"enableReverseIncrTransfer":true,"reverseIncrTransferCheckpoint":1689248075}}"#;

/// A mounted view: its card element, the signals the test feeds it, and how often its refresh
/// button called back.
struct Mounted {
    card: Element,
    data: RwSignal<CardData>,
    settings: ArcRwSignal<Settings>,
    refreshes: Rc<Cell<u32>>,
    _view: Box<dyn std::any::Any>,
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a `CardView` showing `project_id` in English.
async fn mount(project_id: &str) -> Mounted {
    let container: web_sys::HtmlElement = document().create_element("div").unwrap().dyn_into().unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let settings = ArcRwSignal::new(Settings { project_id: project_id.into(), locale: Locale::En, ..Settings::default() });
    let refreshes = Rc::new(Cell::new(0));
    let data_out = Rc::new(Cell::new(None));
    let (inputs, counter, out) = (settings.clone(), refreshes.clone(), data_out.clone());
    let view = leptos::mount::mount_to(container.clone(), move || {
        let data = RwSignal::new(CardData::default());
        out.set(Some(data));
        let on_refresh = UnsyncCallback::new(move |()| counter.set(counter.get() + 1));
        view! { <CardView inputs=inputs data=data.read_only() clock=use_clock() on_refresh=on_refresh /> }
    });
    settle().await;
    let card = container.query_selector("[data-oms-card]").unwrap().expect("the card is rendered");
    Mounted { card, data: data_out.get().unwrap(), settings, refreshes, _view: Box::new(view) }
}

/// Lets the effects run.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

impl Mounted {
    /// Feeds the view what the card knows, and lets it patch.
    async fn feed(&self, change: impl FnOnce(&mut CardData)) {
        self.data.update(|d| {
            change(d);
            d.retell(js_sys::Date::now());
            d.revision += 1;
        });
        settle().await;
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.card.query_selector(selector).unwrap()
    }

    fn text(&self, selector: &str) -> String {
        self.find(selector).and_then(|e| e.text_content()).unwrap_or_default()
    }

    fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.find(selector)?.get_attribute(name)
    }

    fn state(&self) -> String {
        self.card.get_attribute("data-state").unwrap_or_default()
    }
}

/// A full migration failing at 42 % (docs/oms-api.md), with a hostile error message, and an
/// unknown step.
const FAILING_STEPS: &str = r#"{"success":true,"data":[
 {"order":3,"name":"FULL_TRANSFER","status":"FAILED","progress":42,"startTime":"2025-03-02T01:02:45","finishTime":null,
  "stepInfo":{"processedRecords":12600000,"capacity":30000000,"srcRps":0,"dstRps":0,"dstRpsRef":12000},
  "extraInfo":{"errorCode":"INNER_ERROR","errorMsg":"<b>A system error</b> occurred.","failedTime":"2025-03-02T02:31:07"}},
 {"order":2,"name":"STRUCT_TRANSFER","status":"FINISHED","progress":100,"startTime":"2025-03-02T01:00:15","finishTime":"2025-03-02T01:02:40","stepInfo":null,"extraInfo":{}},
 {"order":9,"name":"QUANTUM_SYNC","status":"WARPING","progress":null,"stepInfo":null,"extraInfo":null}]}"#;

fn steps(answer: &str) -> Arc<Vec<TaskStep>> {
    Arc::new(decode(200, answer, |text| js_sys::JSON::parse(text).ok(), read_steps).expect("the steps decode").value)
}

fn documented() -> Arc<oms_progress_card::oms::Progress> {
    let decoded = decode(200, DOCUMENTED, |text| js_sys::JSON::parse(text).ok(), read_progress).expect("the documented answer decodes");
    Arc::new(decoded.value)
}

#[wasm_bindgen_test]
async fn loading_shows_only_the_id_and_a_loading_line() {
    let view = mount("np_loading").await;
    assert_eq!(view.state(), "loading");
    assert_eq!(view.card.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(view.text("[data-field=project-id]"), "np_loading");
    assert_eq!(view.text(".oms-loading"), "Loading…");
    assert!(view.find("[data-field=status]").is_none(), "no data, no badges");
    assert!(view.find("[role=alert]").is_none());
}

#[wasm_bindgen_test]
async fn the_documented_answer_through_every_hook() {
    let view = mount("np_4w****").await;
    view.feed(|d| {
        d.progress = Some(documented());
        d.updated_ms = Some(js_sys::Date::now());
    })
    .await;
    assert_eq!(view.state(), "ready");
    assert_eq!(view.card.get_attribute("data-status").as_deref(), Some("RUNNING"));
    assert_eq!((view.text("[data-field=status]"), view.attr("[data-field=status]", "data-value")), ("Running".into(), Some("RUNNING".into())));
    assert_eq!(view.text("[data-field=alarm-level]"), "Medium");
    assert_eq!((view.text("[data-field=current-step]"), view.attr("[data-field=current-step]", "data-value")), ("Pre-check".into(), Some("PRE_CHECK".into())));
    for ring in ["[data-field=struct-progress]", "[data-field=full-progress]"] {
        assert_eq!(view.attr(ring, "role").as_deref(), Some("progressbar"));
        assert_eq!(view.attr(ring, "aria-valuenow").as_deref(), Some("100"));
        assert!(view.attr(ring, "aria-label").is_some_and(|l| !l.is_empty()));
    }
    let checkpoint = view.find("[data-field=incr-checkpoint]").unwrap();
    assert_eq!(checkpoint.tag_name(), "TIME");
    assert_eq!(checkpoint.get_attribute("datetime").as_deref(), Some("2023-07-13T11:34:24Z"));
    assert_eq!(view.find("[data-field=reverse-checkpoint]").unwrap().tag_name(), "TIME");
    let latency: u64 = view.attr("[data-field=incr-latency]", "data-seconds").unwrap().parse().unwrap();
    assert!(latency > 86_400 * 365, "the documented checkpoint is years old: {latency}");
    assert_eq!(view.attr("[data-field=incr-latency]", "data-level").as_deref(), Some("far-behind"));
    assert_eq!(view.find("[data-field=updated]").unwrap().tag_name(), "TIME");
    assert!(view.find("[part=stale]").is_none());
}

#[wasm_bindgen_test]
async fn a_failure_after_data_is_stale_data_and_an_alert() {
    let view = mount("np_stale").await;
    view.feed(|d| d.progress = Some(documented())).await;
    let report = ServerReport { code: Some("PROXY_UPSTREAM_TIMEOUT".into()), message: Some("OMS did not answer in time.".into()), advice: Some("Check OMS.".into()), request_id: Some("r-7".into()) };
    view.feed(|d| d.failure = Some(Failure::Http { status: 504, report })).await;
    assert_eq!(view.state(), "stale");
    assert_eq!(view.text("[data-field=status]"), "Running", "the data stays");
    assert!(view.find("[part=stale]").is_some());
    let alert = view.text("[role=alert]");
    for part in ["PROXY_UPSTREAM_TIMEOUT", "OMS did not answer in time.", "Check OMS.", "HTTP status 504", "r-7", "Retrying"] {
        assert!(alert.contains(part), "{alert:?} lacks {part:?}");
    }
    assert_eq!(view.attr("[role=alert]", "data-kind").as_deref(), Some("http"));

    // Recovered: the alert and the stale mark go.
    view.feed(|d| d.failure = None).await;
    assert_eq!(view.state(), "ready");
    assert!(view.find("[role=alert]").is_none() && view.find("[part=stale]").is_none());
}

#[wasm_bindgen_test]
async fn a_failure_before_any_data_is_an_error_without_a_body() {
    let view = mount("np_error").await;
    view.feed(|d| d.failure = Some(Failure::undecodable(200, DecodeIssue::Html))).await;
    assert_eq!(view.state(), "error");
    assert!(view.find("[data-field=status]").is_none());
    assert!(view.text("[role=alert]").contains("HTML page"));
    assert_eq!(view.attr("[role=alert]", "data-kind").as_deref(), Some("decode"));
}

#[wasm_bindgen_test]
async fn a_configuration_problem_says_which_attribute() {
    let view = mount("").await;
    view.feed(|d| d.problem = Some(Text::MissingProjectId)).await;
    assert_eq!(view.state(), "error");
    assert_eq!(view.attr("[role=alert]", "data-kind").as_deref(), Some("config"));
    assert!(view.text("[role=alert]").contains("project-id"));
}

#[wasm_bindgen_test]
async fn language_and_layout_follow_the_inputs() {
    let view = mount("np_zh").await;
    view.feed(|d| d.progress = Some(documented())).await;
    view.settings.update(|s| {
        s.locale = Locale::ZhCn;
        s.layout = Layout::Compact;
    });
    settle().await;
    assert_eq!(view.text("[data-field=status]"), "运行中");
    assert_eq!(view.attr("[data-field=status]", "data-value").as_deref(), Some("RUNNING"), "raw values stay");
    assert_eq!(view.card.get_attribute("lang").as_deref(), Some("zh-CN"));
    assert_eq!(view.card.get_attribute("data-layout").as_deref(), Some("compact"));
}

#[wasm_bindgen_test]
async fn an_answer_that_changes_nothing_writes_nothing() {
    let view = mount("np_quiet").await;
    view.feed(|d| {
        d.progress = Some(documented());
        d.updated_ms = Some(1_700_000_000_000.0);
    })
    .await;
    let mutations = Rc::new(Cell::new(0u32));
    let counter = mutations.clone();
    let seen = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| counter.set(counter.get() + records.length()));
    let observer = web_sys::MutationObserver::new(seen.as_ref().unchecked_ref()).unwrap();
    let options = web_sys::MutationObserverInit::new();
    options.set_subtree(true);
    options.set_child_list(true);
    options.set_attributes(true);
    options.set_character_data(true);
    observer.observe_with_options(&view.card, &options).unwrap();
    // A new answer with the same progress (and the same time, so no "… ago" moves).
    view.feed(|d| d.progress = Some(documented())).await;
    let pending = observer.take_records().length();
    observer.disconnect();
    assert_eq!(mutations.get() + pending, 0, "an unchanged answer touched the DOM");
}

#[wasm_bindgen_test]
async fn the_refresh_button_calls_back() {
    let view = mount("np_refresh").await;
    let button: web_sys::HtmlElement = view.find("[part=refresh]").unwrap().dyn_into().unwrap();
    button.click();
    button.click();
    assert_eq!(view.refreshes.get(), 2);
}

#[wasm_bindgen_test]
async fn the_timeline_in_order_with_a_failed_steps_error_as_text() {
    let view = mount("np_steps").await;
    view.feed(|d| {
        d.progress = Some(documented());
        d.steps = Some(steps(FAILING_STEPS));
    })
    .await;
    let items = view.card.query_selector_all("[data-field=steps] [data-step]").unwrap();
    let names: Vec<String> = (0..items.length()).map(|i| items.get(i).unwrap().dyn_into::<Element>().unwrap().get_attribute("data-step").unwrap()).collect();
    assert_eq!(names, ["STRUCT_TRANSFER", "FULL_TRANSFER", "QUANTUM_SYNC"]);
    assert_eq!(view.attr("[data-step=FULL_TRANSFER]", "data-status").as_deref(), Some("FAILED"));
    assert_eq!(view.attr("[data-step=FULL_TRANSFER]", "data-progress").as_deref(), Some("42"));
    assert!(view.text("[data-step=FULL_TRANSFER]").contains("Full migration"));
    assert!(view.text("[data-step=QUANTUM_SYNC]").contains("QUANTUM_SYNC"), "an unknown step shows its raw name");
    let error = view.text("[data-step=FULL_TRANSFER] [data-field=step-error]");
    assert!(error.contains("INNER_ERROR") && error.contains("<b>A system error</b> occurred."), "{error:?}");
    assert!(view.find("[data-step] b").is_none(), "server strings stay text");
    assert!(view.find("[data-step=STRUCT_TRANSFER] [data-field=step-error]").is_none());
    assert_eq!((view.attr("[data-field=rows]", "data-processed"), view.attr("[data-field=rows]", "data-capacity")), (Some("12600000".into()), Some("30000000".into())));
    assert!(view.find("[data-field=eta]").is_none(), "no ETA for a failed step");

    // Fewer steps: the timeline follows, reusing its items.
    view.feed(|d| d.steps = Some(steps(r#"{"success":true,"data":[{"order":1,"name":"TRANSFER_PRECHECK","status":"RUNNING","progress":10}]}"#))).await;
    assert_eq!(view.card.query_selector_all("[data-step]").unwrap().length(), 1);
    assert_eq!(view.attr("[data-step]", "data-step").as_deref(), Some("TRANSFER_PRECHECK"));
    // No steps at all (a proxy that refuses them): no timeline.
    view.feed(|d| d.steps = None).await;
    assert!(view.find("[data-field=steps]").is_none());
}

#[wasm_bindgen_test]
async fn the_lag_from_omss_samples_and_readiness_to_switch_over() {
    let view = mount("np_ready").await;
    let ready = r#"{"success":true,"data":[
      {"order":3,"name":"FULL_TRANSFER","status":"FINISHED","progress":100,"stepInfo":{"processedRecords":1000,"capacity":1000}},
      {"order":4,"name":"INCR_TRANSFER","status":"MONITORING","progress":100,"stepInfo":{"incrTimestampCheckpoint":1685796846,"checkpointSampleTimestamp":1685796847}}]}"#;
    view.feed(|d| {
        d.progress = Some(documented());
        d.steps = Some(steps(ready));
    })
    .await;
    assert_eq!(view.attr("[data-field=incr-latency]", "data-source").as_deref(), Some("oms"));
    assert_eq!(view.attr("[data-field=incr-latency]", "data-seconds").as_deref(), Some("1"), "the documented checkpoint is years old; OMS's own sample says 1 s");
    assert_eq!(view.attr("[data-field=cutover]", "data-ready").as_deref(), Some("true"));
    assert!(view.text("[data-field=cutover]").contains("Ready to switch over"));
    view.settings.update(|s| s.locale = Locale::ZhCn);
    settle().await;
    assert!(view.text("[data-field=cutover]").contains("可以切换"), "{}", view.text("[data-field=cutover]"));
}
