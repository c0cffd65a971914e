// The task's story (DescribeProjectSteps) as a host page meets it: real cards in Chromium, the
// simulated OMS in fixture mode answering scripted progress and steps, assertions on the hooks
// of the public surface. Progress that moves is a script of answers served one per request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { testbed, waitFor, cardPage, inCard, untilCard, untilState, ACTION } from "./harness.mjs";

const bed = testbed();
const STEPS = ACTION.Steps;

const ok = (data) => ({ json: { success: true, requestId: "r", data } });
const unix = () => Math.floor(Date.now() / 1000);
/** OMS's time format: UTC without an offset. */
const omsTime = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 19);

/** Progress of a task in full migration (incremental sync configured, not started). */
const migrating = (id) => ok({
  projectId: id, status: "RUNNING", alarmLevel: "LOW", currentStep: "FULL_TRANSFER",
  enableStructTransfer: true, structTransferProgress: 100, enableFullTransfer: true, fullTransferProgress: 40,
  enableIncrSync: true, incrSyncCheckpoint: null, enableReverseIncrTransfer: false,
});

/** Progress of a task in incremental sync; its checkpoint is `checkpoint` (unix s). */
const syncing = (id, checkpoint) => ok({
  projectId: id, status: "RUNNING", alarmLevel: "LOW", currentStep: "INCR_TRANSFER",
  enableStructTransfer: true, structTransferProgress: 100, enableFullTransfer: true, fullTransferProgress: 100,
  enableIncrSync: true, incrSyncCheckpoint: checkpoint, enableReverseIncrTransfer: false,
});

/** The steps of a task in full migration, `processed` rows of 3 000 000 so far, the steps given
 * out of order with orders that skip. */
const fullMigrationSteps = (processed, started) => [
  { order: 7, name: "INCR_TRANSFER", status: "INIT", progress: 0, startTime: null, finishTime: null, stepInfo: { incrTimestampCheckpoint: null, checkpointSampleTimestamp: null }, extraInfo: {} },
  { order: 1, name: "TRANSFER_PRECHECK", status: "FINISHED", progress: 100, startTime: omsTime(started - 300), finishTime: omsTime(started - 280), stepInfo: null, extraInfo: {} },
  { order: 4, name: "FULL_TRANSFER", description: "全量迁移", status: "RUNNING", progress: Math.round(processed / 30000), startTime: omsTime(started), finishTime: null,
    stepInfo: { processedRecords: processed, capacity: 3000000, srcRps: 21000, srcRt: 9, dstRps: 20000, dstRt: 2, dstRpsRef: 25000 },
    extraInfo: { errorDetails: null, errorCode: null, errorMsg: null, errorParam: null, failedTime: null } },
  { order: 3, name: "STRUCT_TRANSFER", status: "FINISHED", progress: 100, startTime: omsTime(started - 270), finishTime: omsTime(started - 10), stepInfo: null, extraInfo: {} },
];

test("steps, rows, throughput and an ETA from how the rows moved", async () => {
  const id = "np_story_rows";
  const started = unix() - 600;
  await bed.fixture.script(id, [migrating(id)]);
  // 100 000 rows per answer, one answer per second: about 10 s per million rows.
  await bed.fixture.script(id, Array.from({ length: 12 }, (_, i) => ok(fullMigrationSteps(1000000 + i * 100000, started))), STEPS);
  const { page, errors } = await cardPage(bed, "story-rows", [{ "project-id": id, interval: 1 }]);
  const eta = await untilCard(page, id, (r) => r.querySelector('[data-field="eta"]')?.dataset.seconds);
  const hooks = await inCard(page, id, (r) => {
    const el = (s) => r.querySelector(s);
    return {
      steps: [...r.querySelectorAll('[data-field="steps"] [data-step]')].map((s) => [s.dataset.step, s.dataset.status, s.dataset.progress ?? null, s.textContent]),
      rows: [el('[data-field="rows"]').dataset.processed, el('[data-field="rows"]').dataset.capacity, el('[data-field="rows"]').textContent],
      throughput: [el('[data-field="throughput"]').dataset.rps, el('[data-field="throughput"]').textContent],
      eta: el('[data-field="eta"]').textContent,
      rowsLine: el('[part="rows"]').textContent,
      // Where the rows, the rate and the ETA stand: one line of the card, while they fit in it.
      tops: ['[data-field="rows"]', '[data-field="throughput"]', '[data-field="eta"]'].map((s) => Math.round(el(s).getBoundingClientRect().top)),
      widths: [el('[part="rows"]').getBoundingClientRect().width, ...['[data-field="rows"]', '[data-field="throughput"]', '[data-field="eta"]'].map((s) => {
        const text = document.createRange();
        text.selectNodeContents(el(s));
        return text.getBoundingClientRect().width + 12;
      })],
    };
  });
  const [line, ...parts] = hooks.widths;
  assert.ok(parts.reduce((a, b) => a + b + 10, 0) < line, `the three fit in ${line}px: ${parts}`);
  assert.deepEqual(hooks.tops.map((top) => top - hooks.tops[0]), [0, 0, 0], "rows, rate and ETA on one line");
  assert.deepEqual(hooks.steps.map((s) => s.slice(0, 3)), [
    ["TRANSFER_PRECHECK", "FINISHED", "100"], ["STRUCT_TRANSFER", "FINISHED", "100"], ["FULL_TRANSFER", "RUNNING", hooks.steps[2][2]], ["INCR_TRANSFER", "INIT", "0"],
  ], "in order, the orders skipping");
  assert.match(hooks.steps[2][3], /Full migration/, "the human label, not the server's localized description");
  assert.match(hooks.steps[0][3], /Pre-check/);
  assert.equal(Number(hooks.rows[1]), 3000000);
  assert.ok(Number(hooks.rows[0]) >= 1100000, `processed ${hooks.rows[0]}`);
  // A value and its unit never break apart (a non-breaking space).
  assert.match(hooks.rows[2], /of 3,000,000\u00a0rows/);
  assert.deepEqual([hooks.throughput[0], /20,000\u00a0rows\/s/.test(hooks.throughput[1]), /25,000/.test(hooks.throughput[1])], ["20000", true, true]);
  // The ETA comes from the rows' own pace across polls (about 10 s per million here), not
  // from the task's start (which would say about 20 minutes).
  assert.ok(Number.isInteger(Number(eta)) && Number(eta) >= 5 && Number(eta) <= 60, `eta ${eta}`);
  assert.match(hooks.eta, /left/);
  assert.match(hooks.rowsLine, /source reads are the bottleneck/, "srcRt above dstRt");
  const stepsEvents = await page.evaluate(() => window.events.filter((e) => e.name === "oms-steps"));
  assert.ok(stepsEvents.length >= 2 && Array.isArray(stepsEvents[0].detail) && stepsEvents[0].detail.length === 4, "oms-steps carries the data array");

  // Once the rows stop moving (the last answer repeats), the ETA goes: no honest estimate.
  await untilCard(page, id, (r) => !r.querySelector('[data-field="eta"]') && r.querySelector('[data-field="rows"]'), 60000);
  assert.deepEqual(errors, []);
  await page.close();
});

test("rows of a full verification say they are verified rows, in either language", async () => {
  // A verification task: both migration rings are off, so the rows line is the verifier's alone
  // and must not read as rows migrated.
  const id = "np_story_verify";
  const started = unix() - 600;
  await bed.fixture.script(id, [ok({ projectId: id, status: "RUNNING", alarmLevel: "IGNORE", currentStep: "FULL_VERIFIER",
    enableStructTransfer: false, enableFullTransfer: false, enableIncrSync: false, enableReverseIncrTransfer: false })]);
  await bed.fixture.script(id, [ok([
    { order: 1, name: "TRANSFER_PRECHECK", status: "FINISHED", progress: 100, startTime: omsTime(started - 20), finishTime: omsTime(started), stepInfo: null, extraInfo: {} },
    { order: 2, name: "FULL_VERIFIER", status: "RUNNING", progress: 68, startTime: omsTime(started), finishTime: null,
      stepInfo: { processedRecords: 2055073, capacity: 3000000, dstRps: 5022 }, extraInfo: {} },
  ])], STEPS);
  const { page, errors } = await cardPage(bed, "story-verify", [{ "project-id": id, locale: "en" }]);
  const rows = () => inCard(page, id, (r) => r.querySelector('[data-field="rows"]')?.textContent);
  await untilCard(page, id, (r) => r.querySelector('[data-field="rows"]')?.dataset.processed === "2055073");
  assert.equal(await rows(), "2,055,073 of 3,000,000\u00a0rows verified");
  await page.evaluate((id) => document.querySelector(`[project-id="${id}"]`).setAttribute("locale", "zh-CN"), id);
  await untilCard(page, id, (r) => r.querySelector('[data-field="rows"]')?.textContent.includes("校验"));
  assert.equal(await rows(), "已校验 2,055,073 / 3,000,000\u00a0行");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a failed step: its error as text, since when, and hostile strings stay text", async () => {
  const id = "np_story_failed";
  const failed = unix() - 3600;
  const hostile = '<img src=x onerror="window.pwned=1">';
  await bed.fixture.script(id, [ok({ projectId: id, status: "FAILED", alarmLevel: "HIGH", currentStep: "FULL_TRANSFER", enableFullTransfer: true, fullTransferProgress: 42, enableIncrSync: false })]);
  await bed.fixture.script(id, [ok([
    { order: 2, name: "STRUCT_TRANSFER", status: "FINISHED", progress: 100, startTime: omsTime(failed - 5400), finishTime: omsTime(failed - 5300), stepInfo: null, extraInfo: {} },
    { order: 3, name: "FULL_TRANSFER", description: hostile, status: "FAILED", progress: 42, startTime: omsTime(failed - 5200), finishTime: null,
      stepInfo: { processedRecords: 12600000, capacity: 30000000, srcRps: 0, dstRps: 0, dstRpsRef: 12000 },
      extraInfo: { errorCode: "INNER_ERROR", errorMsg: `Write failed ${hostile}`, failedTime: omsTime(failed),
        errorDetails: [{ code: "INNER_ERROR", level: "ERROR", message: "A system error occurred.", proposal: "Contact the administrator." }] } },
    { order: 9, name: "<b>NEW_STEP</b>", status: "<i>ODD</i>", progress: null, stepInfo: null, extraInfo: null },
  ])], STEPS);
  const { page, errors } = await cardPage(bed, "story-failed", [{ "project-id": id }]);
  const error = await untilCard(page, id, (r) => r.querySelector('[data-step="FULL_TRANSFER"] [data-field="step-error"]')?.textContent);
  assert.match(error, /INNER_ERROR/);
  assert.ok(error.includes(`Write failed ${hostile}`), error);
  assert.match(error, /failing since/);
  const odd = await inCard(page, id, (r) => {
    const step = [...r.querySelectorAll("[data-step]")].at(-1);
    return { step: step.dataset.step, status: step.dataset.status, text: step.textContent, markup: r.querySelectorAll("img, b, i").length };
  });
  assert.deepEqual([odd.step, odd.status, odd.markup], ["<b>NEW_STEP</b>", "<i>ODD</i>", 0]);
  assert.match(odd.text, /<b>NEW_STEP<\/b>/, "an unknown step shows its raw name, as text");
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await inCard(page, id, (r) => r.querySelector('[data-step="FULL_TRANSFER"]').dataset.status), "FAILED");
  assert.deepEqual(errors, []);
  await page.close();
});

test("lag on OMS's clock, cutover readiness and its event, the lag trend", async () => {
  const id = "np_story_ready";
  // OMS's clock is a day behind the viewer's: now − checkpoint would say a day; the step's own
  // sample says 5 s.
  const oms = unix() - 86400;
  await bed.fixture.script(id, [syncing(id, oms - 5)]);
  // OMS samples the checkpoint anew for every answer (`at` seconds on).
  const steps = (lag, at = 0) => ok([
    { order: 1, name: "FULL_TRANSFER", status: "FINISHED", progress: 100, startTime: omsTime(oms - 900), finishTime: omsTime(oms - 600), stepInfo: { processedRecords: 1000, capacity: 1000, dstRps: 0 }, extraInfo: {} },
    { order: 2, name: "FULL_VERIFIER", status: "FINISHED", progress: 100, startTime: omsTime(oms - 600), finishTime: omsTime(oms - 300), stepInfo: null, extraInfo: {} },
    { order: 3, name: "INCR_TRANSFER", status: "MONITORING", progress: 100, startTime: omsTime(oms - 300), finishTime: null,
      stepInfo: { incrTimestampCheckpoint: oms + at - lag, checkpointSampleTimestamp: oms + at, enableIncrStatistics: null }, extraInfo: {} },
  ]);
  await bed.fixture.script(id, [steps(5)], STEPS);
  // OMS keeps no series of this task's lag: the trend is the page's own.
  await bed.fixture.script(id, [ok({ metrics: [] })], ACTION.StepMetric);
  const { page, errors } = await cardPage(bed, "story-ready", [{ "project-id": id, interval: 1 }]);
  const latency = await untilCard(page, id, (r) => {
    const l = r.querySelector('[data-field="incr-latency"]');
    return l?.dataset.source === "oms" && { seconds: l.dataset.seconds, source: l.dataset.source };
  });
  assert.deepEqual(latency, { seconds: "5", source: "oms" }, "the difference of two OMS times, whatever the viewer's clock");
  const cutover = await untilCard(page, id, (r) => r.querySelector('[data-field="cutover"]')?.dataset.ready === "true" && r.querySelector('[data-field="cutover"]').textContent);
  assert.match(cutover, /Ready to switch over/);
  await waitFor(() => page.evaluate(() => window.events.some((e) => e.name === "oms-cutover-ready")));
  const ready = await page.evaluate(() => window.events.filter((e) => e.name === "oms-cutover-ready"));
  assert.deepEqual(ready.map((e) => e.detail), [{ projectId: id }], "once, when readiness turned true");

  // The lag then rises by 30 s a poll: the trend says so in a word, the cutover line says what is missing.
  await bed.fixture.script(id, Array.from({ length: 8 }, (_, i) => steps(40 + 30 * i, 1 + i)), STEPS);
  const trend = await untilCard(page, id, (r) => {
    const t = r.querySelector('[data-field="lag-trend"]');
    return t?.dataset.trend === "rising" && { points: Number(t.dataset.points), source: t.dataset.source, label: t.getAttribute("aria-label"), role: t.getAttribute("role"), text: t.textContent };
  }, 30000);
  assert.ok(trend.points >= 3, `points ${trend.points}`);
  assert.equal(trend.source, "page");
  assert.equal(trend.role, "img");
  assert.match(trend.label, /rising/, "a text alternative for the chart");
  assert.match(trend.text, /rising/, "a word beside the chart: colour is not the only signal");
  const notReady = await untilCard(page, id, (r) => r.querySelector('[data-field="cutover"]')?.dataset.ready === "false" && r.querySelector('[data-field="cutover"]').textContent);
  assert.match(notReady, /Not ready to switch over/);
  assert.match(notReady, /lag/);

  assert.deepEqual(errors, []);
  await page.close();
});

test("a proxy that refuses the steps action: progress alone, no alert, and no more asking", async () => {
  const refusals = [
    ["np_story_refused_400", { status: 400, json: { success: false, code: "PROXY_UNSUPPORTED_ACTION", message: "Only Action=DescribeProjectProgress is forwarded to OMS." } }],
    ["np_story_refused_403", { status: 403, headers: { "Content-Type": "text/html" }, body: "<html>Forbidden</html>" }],
    ["np_story_unsupported", { json: { success: false, code: "OMS_ACTION_NOT_SUPPORTED", message: "Unsupported action." } }],
  ];
  for (const [id, refusal] of refusals) {
    await bed.fixture.script(id, [migrating(id)]);
    await bed.fixture.script(id, [refusal], STEPS);
  }
  const { page, errors } = await cardPage(bed, "story-refused", refusals.map(([id]) => ({ "project-id": id, interval: 1 })));
  for (const [id] of refusals) {
    await untilState(page, id, "ready");
    // Polled four more times: steps were asked once, and the card shows progress alone.
    await waitFor(async () => (await bed.fixture.count(id)) >= 5, 20000);
    assert.equal(await bed.fixture.count(id, STEPS), 1, id);
    const seen = await inCard(page, id, (r) => ({
      state: r.querySelector("[data-oms-card]").dataset.state,
      alert: !!r.querySelector('[role="alert"]'),
      steps: r.querySelectorAll("[data-step]").length,
      full: r.querySelector('[data-field="full-progress"]').getAttribute("aria-valuenow"),
    }));
    assert.deepEqual(seen, { state: "ready", alert: false, steps: 0, full: "40" }, id);
  }
  const failures = await page.evaluate(() => window.events.filter((e) => e.name === "oms-error"));
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("steps=\"off\" never asks; the PascalCase envelope of real servers is read", async () => {
  const off = "np_story_off";
  const pascal = "np_story_pascal";
  await bed.fixture.script(off, [migrating(off)]);
  await bed.fixture.script(pascal, [migrating(pascal)]);
  await bed.fixture.script(pascal, [{ json: { Code: 200, Cost: 56, Data: [
    { name: "TRANSFER_INCR_LOG_PULL", progress: 0, order: 3, status: "INIT", extraInfo: {} },
    { name: "FULL_TRANSFER", progress: 0, stepInfo: { processedRecords: 100 }, order: 4, status: "INIT", extraInfo: {} },
  ], Deletable: false, ErrorCode: "", Message: "successful", Success: true, TotalCount: 0 } }], STEPS);
  const { page, errors } = await cardPage(bed, "story-off", [{ "project-id": off, steps: "off", interval: 1 }, { "project-id": pascal, interval: 1 }]);
  const steps = await untilCard(page, pascal, (r) => r.querySelectorAll("[data-step]").length === 2 && [...r.querySelectorAll("[data-step]")].map((s) => s.dataset.step));
  assert.deepEqual(steps, ["TRANSFER_INCR_LOG_PULL", "FULL_TRANSFER"]);
  await waitFor(async () => (await bed.fixture.count(off)) >= 3, 20000);
  assert.equal(await bed.fixture.count(off, STEPS), 0);
  assert.equal(await inCard(page, off, (r) => r.querySelectorAll("[data-step]").length), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("cards of one task share steps, asked no more often than progress", async () => {
  const id = "np_story_shared";
  const started = unix() - 600;
  await bed.fixture.script(id, [migrating(id)]);
  await bed.fixture.script(id, Array.from({ length: 40 }, (_, i) => ok(fullMigrationSteps(1000000 + i * 50000, started))), STEPS);
  const { page, errors } = await cardPage(bed, "story-shared", Array.from({ length: 50 }, () => ({ "project-id": id, interval: 1 })));
  await waitFor(async () => (await bed.fixture.count(id)) >= 6, 30000);
  const [progress, steps] = [await bed.fixture.count(id), await bed.fixture.count(id, STEPS)];
  assert.ok(steps >= 1 && steps <= progress, `progress ${progress}, steps ${steps}`);
  const shown = await page.evaluate(() => [...document.querySelectorAll("oms-progress-card")].filter((c) => c.shadowRoot.querySelectorAll("[data-step]").length === 4).length);
  assert.equal(shown, 50, "every card shows the steps");
  assert.deepEqual(errors, []);
  await page.close();
});

test("compact layout: the ETA, the switch-over line and the trend stay in view", async () => {
  const id = "np_story_compact";
  const started = unix() - 600;
  await bed.fixture.script(id, [migrating(id)]);
  await bed.fixture.script(id, Array.from({ length: 10 }, (_, i) => ok(fullMigrationSteps(1000000 + i * 100000, started))), STEPS);
  const { page, errors } = await cardPage(bed, "story-compact", [{ "project-id": id, interval: 1, layout: "compact" }]);
  await untilCard(page, id, (r) => r.querySelector('[data-field="eta"]'));
  const visible = await inCard(page, id, (r) => ({
    eta: r.querySelector('[data-field="eta"]').checkVisibility(),
    cutover: r.querySelector('[data-field="cutover"]').checkVisibility(),
    timeline: r.querySelector('[part="timeline"]').checkVisibility(),
  }));
  assert.deepEqual(visible, { eta: true, cutover: true, timeline: false });
  assert.deepEqual(errors, []);
  await page.close();
});

test("an answer of thousands of steps: the card reads a task's worth of them", async () => {
  const id = "np_story_hostile_steps";
  await bed.fixture.script(id, [migrating(id)]);
  // 15 000 steps in reverse order, under the proxy's size limit (OMS names about 25 kinds).
  const many = Array.from({ length: 15000 }, (_, i) => ({ order: 15000 - i, name: "TRANSFER_PRECHECK", status: "FINISHED" }));
  await bed.fixture.script(id, [ok(many)], STEPS);
  const { page, errors } = await cardPage(bed, "story-hostile-steps", [{ "project-id": id }]);
  await untilState(page, id, "ready");
  const shown = await untilCard(page, id, (r) => r.querySelectorAll('[data-field="steps"] [data-step]').length);
  assert.equal(shown, 64, "the first 64 items of the answer");
  assert.deepEqual(errors, []);
  await page.close();
});
