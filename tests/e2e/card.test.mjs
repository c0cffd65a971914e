// The element as a host page meets it: real cards in Chromium, real requests to the simulated OMS
// (fixture mode, scripted answers), and assertions on the hooks of the public surface only.
// Every wait is for a state or an event; absence is shown against a control card that keeps
// polling (its requests prove the time has passed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { testbed, waitFor, cardPage, inCard, untilCard, untilState, ACTION } from "./harness.mjs";

const bed = testbed();
const openCards = (name, cards) => cardPage(bed, name, cards);
const state = (page, id) => inCard(page, id, (r) => r.querySelector("[data-oms-card]")?.dataset.state);

const ok = (data) => ({ json: { success: true, requestId: "r", data } });

test("the documented answer, shown through every hook", async () => {
  // Progress alone: with steps, the lag would come from OMS's own sample (see story.test.mjs).
  const { page, errors } = await openCards("documented", [{ "project-id": "np_documented", steps: "off" }]);
  await untilState(page, "np_documented", "ready");
  const hooks = await inCard(page, "np_documented", (r) => {
    const el = (s) => r.querySelector(s);
    const ring = (s) => ({ role: el(s).getAttribute("role"), min: el(s).getAttribute("aria-valuemin"), max: el(s).getAttribute("aria-valuemax"), now: el(s).getAttribute("aria-valuenow"), named: !!el(s).getAttribute("aria-label") });
    return {
      id: el('[data-field="project-id"]').textContent,
      status: [el('[data-field="status"]').textContent, el('[data-field="status"]').dataset.value, el("[data-oms-card]").dataset.status],
      alarm: [el('[data-field="alarm-level"]').textContent, el('[data-field="alarm-level"]').dataset.value],
      step: [el('[data-field="current-step"]').textContent, el('[data-field="current-step"]').dataset.value],
      rings: [ring('[data-field="struct-progress"]'), ring('[data-field="full-progress"]')],
      checkpoint: [el('[data-field="incr-checkpoint"]').tagName, el('[data-field="incr-checkpoint"]').getAttribute("datetime")],
      latency: Number(el('[data-field="incr-latency"]').dataset.seconds),
      reverse: el('[data-field="reverse-checkpoint"]').tagName,
      updated: el('[data-field="updated"]').tagName,
      alert: !!el('[role="alert"]'),
      lang: el("[data-oms-card]").getAttribute("lang"),
    };
  });
  assert.equal(hooks.id, "np_documented");
  assert.deepEqual(hooks.status, ["Running", "RUNNING", "RUNNING"]);
  assert.deepEqual(hooks.alarm, ["Medium", "MEDIUM"]);
  assert.deepEqual(hooks.step, ["Incremental sync", "INCR_TRANSFER"]);
  for (const ring of hooks.rings) assert.deepEqual(ring, { role: "progressbar", min: "0", max: "100", now: "100", named: true });
  assert.equal(hooks.checkpoint[0], "TIME");
  assert.match(hooks.checkpoint[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(hooks.latency >= 12 && hooks.latency <= 20, `latency ${hooks.latency}`);
  assert.deepEqual([hooks.reverse, hooks.updated, hooks.alert, hooks.lang], ["TIME", "TIME", false, "en"]);
  const { bodies } = await bed.fixture.seen("np_documented");
  assert.equal(bodies[0], '{"id":"np_documented"}', "the documented request body");
  assert.deepEqual(errors, []);
  await page.close();
});

test("odd values are shown as they came, clamped only for drawing", async () => {
  await bed.fixture.script("np_odd", [ok({
    status: "RUNNING_ON_MARS", currentStep: "WARP_DRIVE", alarmLevel: "CRITICAL", enableStructTransfer: false, structTransferProgress: 0,
    enableFullTransfer: true, fullTransferProgress: "140", enableIncrSync: true, incrSyncCheckpoint: "100,30",
    enableReverseIncrTransfer: false, reverseIncrTransferCheckpoint: 1689248075,
  })]);
  // A Sybase task's incremental step carries no timestamps either.
  await bed.fixture.script("np_odd", [ok([{ order: 1, name: "INCR_TRANSFER", status: "RUNNING", progress: 0, stepInfo: { incrTimestampCheckpoint: null, checkpointSampleTimestamp: null }, extraInfo: {} }])], ACTION.Steps);
  const { page } = await openCards("odd", [{ "project-id": "np_odd" }]);
  await untilCard(page, "np_odd", (r) => r.querySelector('[data-step="INCR_TRANSFER"]'));
  const seen = await inCard(page, "np_odd", (r) => ({
    labels: ["status", "current-step", "alarm-level"].map((f) => r.querySelector(`[data-field="${f}"]`).textContent),
    structEnabled: r.querySelector('[data-field="struct-progress"]').dataset.enabled,
    full: [r.querySelector('[data-field="full-progress"]').getAttribute("aria-valuenow"), r.querySelector('[data-field="full-progress"]').textContent],
    checkpoint: [r.querySelector('[data-field="incr-checkpoint"]').tagName, r.querySelector('[data-field="incr-checkpoint"]').textContent],
    latency: !!r.querySelector('[data-field="incr-latency"]'),
    reverse: !!r.querySelector('[data-field="reverse-checkpoint"]'),
  }));
  assert.deepEqual(seen.labels, ["RUNNING_ON_MARS", "WARP_DRIVE", "CRITICAL"]);
  assert.equal(seen.structEnabled, "false");
  assert.equal(seen.full[0], "100", "clamped for drawing");
  assert.match(seen.full[1], /140/, "shown as sent");
  assert.deepEqual(seen.checkpoint, ["SPAN", "100,30"]);
  assert.equal(seen.latency, false, "no latency for a Sybase checkpoint");
  assert.equal(seen.reverse, false, "reverse sync off");
  await page.close();
});

test("an API error fills the alert and the oms-error event; a refused connection is a network error", async () => {
  await bed.fixture.script("np_gone", [{ json: { success: false, errorDetail: { code: "GHANA-PROJECT000001", level: "ERROR", message: "The project does not exist.", proposal: "Check the project id." }, code: "GHANA-PROJECT000001", message: "The project does not exist.", requestId: "req-404", data: null } }]);
  const { page } = await openCards("errors", [{ "project-id": "np_gone" }, { "project-id": "np_refused", "proxy-url": "http://127.0.0.1:9/oms" }]);
  await untilState(page, "np_gone", "error");
  await untilState(page, "np_refused", "error");
  const alert = await inCard(page, "np_gone", (r) => r.querySelector('[role="alert"]').textContent);
  for (const part of ["GHANA-PROJECT000001", "The project does not exist.", "Check the project id.", "req-404"]) assert.ok(alert.includes(part), `${alert} lacks ${part}`);
  await page.waitForFunction(() => window.events.filter((e) => e.name === "oms-error").length >= 2);
  const events = await page.evaluate(() => window.events.filter((e) => e.name === "oms-error"));
  assert.deepEqual(events.find((e) => e.id === "np_gone").detail, { kind: "api", code: "GHANA-PROJECT000001", message: "The project does not exist." });
  assert.equal(events.find((e) => e.id === "np_refused").detail.kind, "network");
  await page.close();
});

test("progress and status changes are events; no change event on the first load", async () => {
  await bed.fixture.script("np_events", [ok({ projectId: "np_events", status: "RUNNING" }), ok({ projectId: "np_events", status: "SUSPEND" })]);
  const { page } = await openCards("events", [{ "project-id": "np_events", interval: 1 }]);
  await page.waitForFunction(() => window.events.filter((e) => e.name === "oms-progress").length >= 2);
  const events = await page.evaluate(() => window.events);
  assert.equal(events[0].name, "oms-progress");
  assert.equal(events[0].detail.projectId, "np_events");
  const changes = events.filter((e) => e.name === "oms-status-change");
  assert.deepEqual(changes.map((e) => e.detail), [{ from: "RUNNING", to: "SUSPEND" }]);
  await page.close();
});

test("changing the task never shows the older task's slower answer", async () => {
  await bed.fixture.script("np_slow_old", [{ delayMs: 1500, json: { success: true, data: { status: "FAILED" } } }]);
  await bed.fixture.script("np_fast_new", [ok({ status: "FINISHED" })]);
  const { page } = await openCards("switch", [{ "project-id": "np_slow_old" }]);
  // Switch as soon as the first request is out.
  await waitFor(async () => (await bed.fixture.count("np_slow_old")) > 0);
  await page.evaluate(() => document.querySelector("oms-progress-card").setAttribute("project-id", "np_fast_new"));
  await untilState(page, "np_fast_new", "ready");
  // Wait until the old answer has certainly been sent, then look again.
  await waitFor(async () => (await bed.fixture.seen("np_slow_old")).answered.length === 1);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  const shown = await inCard(page, "np_fast_new", (r) => [r.querySelector('[data-field="status"]').textContent, r.querySelector('[data-field="project-id"]').textContent]);
  assert.deepEqual(shown, ["Completed", "np_fast_new"]);
  await page.close();
});

test("cards of one task share one request per interval; the refresh button fetches at once", async () => {
  const cards = Array.from({ length: 5 }, () => ({ "project-id": "np_shared", interval: 1 }));
  const { page } = await openCards("shared", [...cards, { "project-id": "np_refresh", interval: 60 }]);
  await page.waitForFunction(() => [...document.querySelectorAll("oms-progress-card")].every((c) => c.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state === "ready"));
  const start = await bed.fixture.seen("np_shared");
  await waitFor(async () => (await bed.fixture.count("np_shared")) >= start.count + 3, 15000);
  const { times } = await bed.fixture.seen("np_shared");
  const gaps = times.slice(start.count).map((t, i, all) => (i ? t - all[i - 1] : null)).filter((g) => g != null);
  assert.ok(gaps.every((g) => g >= 900), `five cards at 1 s made requests ${gaps} ms apart`);

  const before = await bed.fixture.count("np_refresh");
  await page.locator('oms-progress-card[project-id="np_refresh"]').locator('[part="refresh"]').click();
  await waitFor(async () => (await bed.fixture.count("np_refresh")) === before + 1);
  await page.close();
});

test("a moved card keeps its data; a removed card sends nothing more", async () => {
  const { page } = await openCards("lifecycle", [{ "project-id": "np_moved" }, { "project-id": "np_removed", interval: 1 }, { "project-id": "np_control", interval: 1 }]);
  await untilState(page, "np_moved", "ready");
  await untilState(page, "np_removed", "ready");
  await page.evaluate(() => {
    const moved = document.querySelector('[project-id="np_moved"]');
    const box = document.body.appendChild(document.createElement("div"));
    box.append(moved);
  });
  assert.equal(await state(page, "np_moved"), "ready");
  assert.equal(await inCard(page, "np_moved", (r) => r.querySelector('[data-field="status"]').textContent), "Running");

  await page.evaluate(() => document.querySelector('[project-id="np_removed"]').remove());
  const removedAt = await bed.fixture.count("np_removed");
  const controlAt = await bed.fixture.count("np_control");
  await waitFor(async () => (await bed.fixture.count("np_control")) >= controlAt + 3, 15000);
  assert.equal(await bed.fixture.count("np_removed"), removedAt, "the removed card kept polling");
  await page.close();
});

test("missing attributes get a clear message, and the card starts once they are set", async () => {
  const { page } = await openCards("missing", []);
  await page.evaluate(() => {
    const el = document.createElement("oms-progress-card");
    el.setAttribute("locale", "en");
    el.id = "late";
    document.body.append(el);
  });
  const alert = () => page.evaluate(() => document.getElementById("late").shadowRoot?.querySelector('[role="alert"]')?.textContent ?? "");
  await page.waitForFunction(() => document.getElementById("late").shadowRoot?.querySelector('[role="alert"]')?.textContent.includes("project-id"));
  assert.equal(await page.evaluate(() => document.getElementById("late").shadowRoot.querySelector("[data-oms-card]").dataset.state), "error");
  await page.evaluate(() => document.getElementById("late").setAttribute("project-id", "np_late"));
  await page.waitForFunction(() => document.getElementById("late").shadowRoot.querySelector('[role="alert"]')?.textContent.includes("proxy-url"));
  await page.evaluate((url) => document.getElementById("late").setAttribute("proxy-url", url), bed.fixture.url);
  await untilState(page, "np_late", "ready");
  assert.equal(await alert(), "");
  await page.close();
});

test("Chinese labels, raw values unchanged; styles are adopted, never inline", async () => {
  const { page } = await openCards("zh", [{ "project-id": "np_zh", locale: "zh-CN", theme: "dark" }]);
  await untilState(page, "np_zh", "ready");
  const zh = await inCard(page, "np_zh", (r) => ({
    status: [r.querySelector('[data-field="status"]').textContent, r.querySelector('[data-field="status"]').dataset.value],
    lang: r.querySelector("[data-oms-card]").getAttribute("lang"),
    theme: r.querySelector("[data-oms-card]").dataset.theme,
    sheets: r.adoptedStyleSheets.length,
    inline: r.querySelectorAll("style, [style], link").length,
    mode: r.mode,
  }));
  assert.deepEqual(zh, { status: ["运行中", "RUNNING"], lang: "zh-CN", theme: "dark", sheets: 1, inline: 0, mode: "open" });
  await page.evaluate(() => document.querySelector("oms-progress-card").setAttribute("locale", "en"));
  await page.waitForFunction(() => document.querySelector("oms-progress-card").shadowRoot.querySelector('[data-field="status"]').textContent === "Running");
  await page.close();
});
