// The verdicts a DBA acts on, as a host page meets them: real cards in Chromium, scripted OMS
// answers from the simulated OMS in fixture mode, through the reference proxy where the proxy is
// what fails. Readiness is never shown from data the latest refresh could not confirm, nor from a
// verification that found differences; a firing alarm and a failed task look like what they are.
import { test } from "node:test";
import assert from "node:assert/strict";
import { testbed, waitFor, cardPage, inCard, untilCard, untilState, proxyServer, ACTION } from "./harness.mjs";

const bed = testbed();
const { Steps: STEPS, Project: PROJECT, Verification: VERIFICATION } = ACTION;

const ok = (data) => ({ json: { success: true, requestId: "r", data } });
/** OMS's time format: UTC without an offset. */
const omsTime = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 19);
const unix = () => Math.floor(Date.now() / 1000);

/** Progress of a task in incremental sync, its checkpoint 4 s old at each answer. */
const syncing = (id) => ok({
  projectId: id, status: "RUNNING", alarmLevel: "LOW", currentStep: "INCR_TRANSFER",
  enableStructTransfer: true, structTransferProgress: 100, enableFullTransfer: true, fullTransferProgress: 100,
  enableIncrSync: true, incrSyncCheckpoint: "{{now-4}}", enableReverseIncrTransfer: false,
});

/** Steps of a task that migrated, verified (FULL_VERIFIER `verifier`) and syncs 4 s behind,
 * sampled at each answer. */
const caughtUp = (verifier = "FINISHED") => {
  const t = unix();
  return ok([
    { order: 1, name: "FULL_TRANSFER", status: "FINISHED", progress: 100, startTime: omsTime(t - 3600), finishTime: omsTime(t - 2400), stepInfo: { processedRecords: 5000, capacity: 5000, dstRps: 0 }, extraInfo: {} },
    { order: 2, name: "FULL_VERIFIER", status: verifier, progress: verifier === "FINISHED" ? 100 : 50, startTime: omsTime(t - 2400), finishTime: verifier === "FINISHED" ? omsTime(t - 1200) : null, stepInfo: null, extraInfo: {} },
    { order: 3, name: "INCR_TRANSFER", status: "MONITORING", progress: 100, startTime: omsTime(t - 1200), finishTime: null,
      stepInfo: { incrTimestampCheckpoint: "{{now-4}}", checkpointSampleTimestamp: "{{now}}" }, extraInfo: {} },
  ]);
};

const project = (id, alarm = null, type = "MIGRATION") => ok({
  id, name: `Task ${id}`, type, status: "RUNNING", enableFullVerify: true,
  alarmStats: { target: null, alarming: !!alarm, recentlyTriggerCount: alarm?.count ?? null, alarmContent: alarm?.content ?? null, openMonitor: true },
});

const table = (schema, name, mismatched, sourceOnly, destOnly, consistent = 1000) => ({
  sourceSchemaName: schema, sourceTableName: name, destSchemaName: schema, mismatchedCount: mismatched, sourceOnlyCount: sourceOnly, destOnlyCount: destOnly, consistentCount: consistent,
});
const verified = (tables) => ok({ differentNumber: tables.reduce((n, t) => n + t.mismatchedCount + t.sourceOnlyCount + t.destOnlyCount, 0), fullVerifyTableStatistics: tables });
const clean = verified([table("orders", "items", 0, 0, 0)]);

/** Scripts every action of a caught-up, verified task: its answers as given. */
async function scriptReady(id, { verification = [clean], projectAnswers = [project(id)], steps = [caughtUp()], progress = [syncing(id)] } = {}) {
  await bed.fixture.script(id, progress);
  await bed.fixture.script(id, steps, STEPS);
  await bed.fixture.script(id, projectAnswers, PROJECT);
  await bed.fixture.script(id, verification, VERIFICATION);
}

test("the proxy dies: readiness turns unknown within an interval, the card does not grow, and only a fresh answer makes it ready again", async () => {
  const id = "np_verdict_stale";
  await scriptReady(id);
  const env = { OMS_USERNAME: "oms", OMS_PASSWORD: "pw" };
  const args = ["--upstream", bed.fixture.url, "--allow-origin", bed.server.url, "--cache-ttl", "0", "--rate-limit", "0"];
  let proxy = await proxyServer(args, { env });
  const { page, errors } = await cardPage(bed, "verdict-stale", [{ "project-id": id, "proxy-url": proxy.url, interval: 1 }]);
  const ready = await untilCard(page, id, (r) => r.querySelector('[data-field="cutover"]')?.dataset.ready === "true" && r.querySelector('[data-field="task-name"]') && {
    text: r.querySelector('[data-field="cutover"]').textContent,
    name: r.querySelector('[data-field="task-name"]').textContent,
    level: r.querySelector('[data-field="incr-latency"]').dataset.level,
    height: r.host.getBoundingClientRect().height,
  });
  assert.match(ready.text, /Ready to switch over/);
  assert.equal(ready.name, `Task ${id}`, "the task's name from DescribeProject");
  assert.equal(ready.level, "caught-up");
  await waitFor(() => page.evaluate(() => window.events.some((e) => e.name === "oms-cutover-ready")));
  const announced = await page.evaluate(() => window.events.filter((e) => e.name === "oms-cutover-ready").map((e) => e.detail));
  assert.deepEqual(announced, [{ projectId: id }], "once: not from progress alone before the steps, the alarms and the verification came");

  // The proxy dies.
  const port = new URL(proxy.url).port;
  const killedAt = Date.now();
  await proxy.stop();
  const stale = await untilCard(page, id, (r) => r.querySelector('[data-field="cutover"]')?.dataset.ready === "unknown" && {
    state: r.querySelector("[data-oms-card]").dataset.state,
    attention: r.querySelector("[data-oms-card]").dataset.attention,
    text: r.querySelector('[data-field="cutover"]').textContent,
    level: r.querySelector('[data-field="incr-latency"]').dataset.level ?? null,
    levelWord: r.querySelector(".oms-level-word").textContent,
    height: r.host.getBoundingClientRect().height,
    alertTop: r.querySelector('[role="alert"]').getBoundingClientRect().top,
    badgesTop: r.querySelector('[data-field="status"]').getBoundingClientRect().top,
    updated: !!r.querySelector('[data-field="updated"]'),
  }, 5000);
  const unknownAfter = Date.now() - killedAt;
  assert.equal(stale.state, "stale");
  assert.equal(stale.attention, "stale");
  assert.match(stale.text, /unknown/);
  assert.doesNotMatch(stale.text, /Ready to switch over/);
  assert.equal(stale.level, null, "no latency level from data the latest refresh could not confirm");
  assert.equal(stale.levelWord, "unconfirmed");
  assert.ok(stale.alertTop < stale.badgesTop, "the stale notice stands at the top");
  assert.equal(stale.height, ready.height, "the card does not grow");
  assert.ok(stale.updated, "when it was last confirmed stays");
  // Three more failed polls: still no readiness announced.
  await waitFor(() => page.evaluate(() => window.events.filter((e) => e.name === "oms-error").length >= 3), 15000);
  assert.equal(await page.evaluate(() => window.events.filter((e) => e.name === "oms-cutover-ready").length), 1, "never from stale data");

  // The proxy comes back on its address: ready again once a fresh answer confirms it, and said so.
  proxy = await proxyServer(args, { env, listen: `127.0.0.1:${port}` });
  await untilState(page, id, "ready", 15000);
  await untilCard(page, id, (r) => r.querySelector('[data-field="cutover"]')?.dataset.ready === "true");
  await waitFor(() => page.evaluate(() => window.events.filter((e) => e.name === "oms-cutover-ready").length === 2));
  const back = await inCard(page, id, (r) => ({ attention: r.querySelector("[data-oms-card]").dataset.attention, alert: !!r.querySelector('[role="alert"]') }));
  assert.deepEqual(back, { attention: "ok", alert: false });
  console.log(`readiness unknown ${unknownAfter} ms after the proxy died (interval 1 s)`);
  assert.deepEqual(errors, []);
  await page.close();
  await proxy.stop();
});

// OMS's connector steps: a data sync's full copy is a "full sync" (全量同步), not a migration.
const connectorSteps = () => {
  const t = unix();
  return ok([
    { order: 1, name: "CONNECTOR_FULL_SYNC", status: "FINISHED", progress: 100, startTime: omsTime(t - 3600), finishTime: omsTime(t - 2400), stepInfo: { processedRecords: 5000, capacity: 5000 }, extraInfo: {} },
    { order: 2, name: "CONNECTOR_INCR_SYNC", status: "MONITORING", progress: 100, startTime: omsTime(t - 2400), finishTime: null,
      stepInfo: { incrTimestampCheckpoint: "{{now-4}}", checkpointSampleTimestamp: "{{now}}" }, extraInfo: {} },
  ]);
};

// Caught up and verified as the migration above, but a data sync: OMS streams such a task for good
// and never switches an application over to its sink. DescribeProject's `type: SYNC` says so, and
// so do its steps where a proxy does not forward DescribeProject.
for (const [told, id, projectAnswers] of [
  ["by DescribeProject", "np_verdict_sync", (id) => [project(id, null, "SYNC")]],
  ["by its steps alone (DescribeProject refused)", "np_verdict_sync_steps", () => [{ status: 400, json: { success: false, code: "PROXY_UNSUPPORTED_ACTION", message: "Not forwarded." } }]],
]) {
  test(`a data sync task (to Kafka, DataHub …), told ${told}, has no switch-over: its full sync and lag show, and no readiness verdict or event`, async () => {
    await scriptReady(id, { projectAnswers: projectAnswers(id), steps: [connectorSteps()] });
    const { page, errors } = await cardPage(bed, id, [{ "project-id": id, interval: 1 }]);
    const shown = await untilCard(page, id, (r) => r.querySelector('[data-step="CONNECTOR_FULL_SYNC"]') && r.querySelector('[data-field="incr-latency"]')?.dataset.level && {
      level: r.querySelector('[data-field="incr-latency"]').dataset.level,
      cutover: r.querySelector('[data-field="cutover"]')?.dataset.ready ?? null,
      ring: r.querySelector('[data-field="full-progress"]').getAttribute("aria-label"),
      step: r.querySelector('[data-step="CONNECTOR_FULL_SYNC"]').textContent,
    });
    assert.equal(shown.ring, "Full sync");
    assert.match(shown.step, /^Full sync/);
    // DescribeProject answered (or was refused), and two more answers: a verdict would have had every chance to show.
    await waitFor(async () => (await bed.fixture.count(id, PROJECT)) >= 1, 15000);
    const asked = await bed.fixture.count(id);
    await waitFor(async () => (await bed.fixture.count(id)) >= asked + 2, 15000);
    const after = await inCard(page, id, (r) => ({ cutover: r.querySelector('[data-field="cutover"]')?.dataset.ready ?? null, alert: !!r.querySelector('[role="alert"]') }));
    assert.deepEqual([shown.level, shown.cutover, after], ["caught-up", null, { cutover: null, alert: false }]);
    assert.deepEqual(await page.evaluate(() => window.events.filter((e) => e.name === "oms-cutover-ready")), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// Caught up and verified, but the task itself has stopped or failed: OMS's steps may still say
// MONITORING (they are the last the step reported), and a switch-over then would meet a task that
// does not run. The first was found by the model's property test (src/model/fuzz.rs), the others
// by reading the rule it broke; each was "ready".
for (const [what, id, status, extraStep, words] of [
  ["the task's status is FAILED", "np_verdict_status_failed", "FAILED", null, /the task failed/],
  ["its reverse sync step failed", "np_verdict_reverse_failed", "RUNNING", "REVERSE_INCR_TRANSFER", /the task failed/],
  ["the task is paused (SUSPEND)", "np_verdict_paused", "SUSPEND", null, /incremental sync not running/],
]) {
  test(`caught up and verified, but ${what}: not ready, and no oms-cutover-ready`, async () => {
    const steps = caughtUp().json;
    if (extraStep) {
      steps.data.push({ order: 4, name: extraStep, status: "FAILED", progress: 0, startTime: omsTime(unix() - 60), finishTime: null, stepInfo: null,
        extraInfo: { errorCode: "GHANA-TRANSFER000013", errorMsg: "Reverse writer stopped", failedTime: omsTime(unix() - 30) } });
    }
    await scriptReady(id, { steps: [{ json: steps }], progress: [ok({ ...syncing(id).json.data, status })] });
    const { page, errors } = await cardPage(bed, id, [{ "project-id": id, interval: 1 }]);
    await waitFor(async () => (await bed.fixture.count(id, VERIFICATION)) >= 1 && (await bed.fixture.count(id, PROJECT)) >= 1, 15000);
    const asked = await bed.fixture.count(id);
    await waitFor(async () => (await bed.fixture.count(id)) >= asked + 2, 15000);
    const seen = await untilCard(page, id, (r) => r.querySelector('[data-field="cutover"]') && {
      ready: r.querySelector('[data-field="cutover"]').dataset.ready,
      text: r.querySelector('[data-field="cutover"]').textContent,
      status: r.querySelector('[data-field="status"]').dataset.value,
    });
    assert.equal(seen.status, status);
    assert.equal(seen.ready, "false", seen.text);
    assert.match(seen.text, words);
    assert.deepEqual(await page.evaluate(() => window.events.filter((e) => e.name === "oms-cutover-ready")), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// A migration that switched over and finished: its incremental sync was on, and its checkpoint
// stays where the sync stopped, an hour ago. Shown from progress alone (steps="off", or a proxy
// that refuses the steps), the lag is now − checkpoint and grows for good: done, not lagging.
for (const status of ["FINISHED", "RELEASED"]) {
  test(`a ${status} task whose incremental sync stopped an hour ago is done, not lagging`, async () => {
    const id = `np_verdict_over_${status.toLowerCase()}`;
    await bed.fixture.script(id, [ok({ ...syncing(id).json.data, status, incrSyncCheckpoint: unix() - 3600 })]);
    const { page, errors } = await cardPage(bed, id, [{ "project-id": id, interval: 1, steps: "off" }]);
    const seen = await untilCard(page, id, (r) => {
      const card = r.querySelector("[data-oms-card]");
      return card.dataset.state === "ready" && { status: card.dataset.status, attention: card.dataset.attention, seconds: Number(r.querySelector('[data-field="incr-latency"]')?.dataset.seconds) };
    });
    assert.equal(seen.status, status);
    assert.ok(seen.seconds >= 3600, "the lag as the contract reads it, now − checkpoint");
    assert.equal(seen.attention, "done");
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("differences found by full verification block readiness and are listed, worst first", async () => {
  const id = "np_verdict_differences";
  const tables = [
    table("orders", "items", 8400, 2100, 0), table("orders", "clean", 0, 0, 0), table("billing", "invoices", 0, 0, 45),
    table("orders", "orders", 1200, 0, 300), table("crm", "<b>notes</b>", 3, 0, 0), table("crm", "contacts", 0, 7, 0),
  ];
  await scriptReady(id, { verification: [verified(tables), clean] });
  const { page, errors } = await cardPage(bed, "verdict-differences", [{ "project-id": id, interval: 1 }]);
  const found = await untilCard(page, id, (r) => {
    const v = r.querySelector('[data-field="verification"]');
    return v?.dataset.differences && {
      status: v.dataset.status, differences: v.dataset.differences, text: v.textContent,
      tables: [...v.querySelectorAll("[data-table]")].map((t) => [t.dataset.table, t.dataset.mismatched, t.dataset.sourceOnly, t.dataset.destOnly]),
      cutover: r.querySelector('[data-field="cutover"]').dataset.ready, cutoverText: r.querySelector('[data-field="cutover"]').textContent,
      markup: v.querySelectorAll("b").length,
    };
  });
  assert.equal(found.status, "FINISHED");
  assert.equal(found.differences, "12055");
  assert.deepEqual(found.tables, [["orders.items", "8400", "2100", "0"], ["orders.orders", "1200", "0", "300"], ["billing.invoices", "0", "0", "45"]]);
  assert.match(found.text, /12,055 rows differ/);
  assert.match(found.text, /and 2 more tables/);
  assert.equal(found.markup, 0);
  assert.equal(found.cutover, "false");
  assert.match(found.cutoverText, /full verification found 12,055 rows that differ/);

  // OMS verifies again and finds none (asked again at rest cadence): ready.
  const after = await untilCard(page, id, (r) => r.querySelector('[data-field="verification"]')?.dataset.differences === "0" && {
    text: r.querySelector('[data-field="verification"]').textContent, tables: r.querySelectorAll("[data-table]").length, ready: r.querySelector('[data-field="cutover"]').dataset.ready, cutoverText: r.querySelector('[data-field="cutover"]').textContent,
  }, 20000);
  assert.match(after.text, /no differences/);
  assert.equal(after.tables, 0);
  assert.equal(after.ready, "true");
  assert.ok(await bed.fixture.count(id, VERIFICATION) <= Math.ceil((await bed.fixture.count(id)) / 5) + 1, "asked rarely");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a proxy that refuses the verification result: not ready, honestly", async () => {
  const id = "np_verdict_unverified";
  await scriptReady(id, { verification: [{ status: 400, json: { success: false, code: "PROXY_UNSUPPORTED_ACTION", message: "Not forwarded." } }] });
  const { page, errors } = await cardPage(bed, "verdict-unverified", [{ "project-id": id, interval: 1 }]);
  const seen = await untilCard(page, id, (r) => /not available/.test(r.querySelector('[data-field="cutover"]')?.textContent ?? "") && {
    ready: r.querySelector('[data-field="cutover"]').dataset.ready, cutoverText: r.querySelector('[data-field="cutover"]').textContent, verification: r.querySelector('[data-field="verification"]').textContent, alert: !!r.querySelector('[role="alert"]'),
  });
  assert.equal(seen.ready, "false");
  assert.match(seen.cutoverText, /verification result not available/);
  assert.match(seen.verification, /not available/);
  assert.equal(seen.alert, false, "a refused action is no failure of the card");
  await waitFor(async () => (await bed.fixture.count(id)) >= 8, 20000);
  assert.equal(await bed.fixture.count(id, VERIFICATION), 1, "not asked again");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a firing alarm shows as a banner, blocks readiness, and clears", async () => {
  const id = "np_verdict_alarm";
  const content = "Incremental sync delay exceeds 300 s <script>window.pwned=1</script>";
  await scriptReady(id, { projectAnswers: [project(id, { content, count: 3 }), project(id)] });
  const { page, errors } = await cardPage(bed, "verdict-alarm", [{ "project-id": id, interval: 1 }, { "project-id": id, interval: 1, layout: "compact" }]);
  const firing = await untilCard(page, id, (r) => {
    const a = r.querySelector('[data-field="alarm-firing"]');
    return a && { text: a.textContent, count: a.dataset.count, visible: a.checkVisibility(), attention: r.querySelector("[data-oms-card]").dataset.attention, ready: r.querySelector('[data-field="cutover"]').dataset.ready, cutoverText: r.querySelector('[data-field="cutover"]').textContent };
  });
  assert.deepEqual([firing.text, firing.count, firing.visible, firing.attention, firing.ready], [content, "3", true, "alarm", "false"]);
  assert.match(firing.text, /<script>/, "as text");
  const compact = await page.evaluate(() => {
    const r = document.querySelectorAll("oms-progress-card")[1].shadowRoot;
    return r.querySelector('[data-field="alarm-firing"]')?.checkVisibility();
  });
  assert.equal(compact, true, "in the compact layout too");
  // DescribeProject is asked again at rest cadence: the alarm has cleared.
  const cleared = await untilCard(page, id, (r) => !r.querySelector('[data-field="alarm-firing"]') && { attention: r.querySelector("[data-oms-card]").dataset.attention, ready: r.querySelector('[data-field="cutover"]').dataset.ready, cutoverText: r.querySelector('[data-field="cutover"]').textContent }, 20000);
  assert.deepEqual([cleared.attention, cleared.ready], ["ok", "true"]);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a failed task looks failed, full and compact: its error at the top, a danger ring with ✕, no rates, its time frozen", async () => {
  const id = "np_verdict_failed";
  const failed = unix() - 600;
  await bed.fixture.script(id, [ok({ projectId: id, status: "FAILED", alarmLevel: "HIGH", currentStep: "FULL_TRANSFER", enableStructTransfer: true, structTransferProgress: 100, enableFullTransfer: true, fullTransferProgress: 63, enableIncrSync: true })]);
  await bed.fixture.script(id, [ok([
    { order: 1, name: "STRUCT_TRANSFER", status: "FINISHED", progress: 100, startTime: omsTime(failed - 900), finishTime: omsTime(failed - 600), stepInfo: null, extraInfo: {} },
    { order: 2, name: "FULL_TRANSFER", status: "FAILED", progress: 63, startTime: omsTime(failed - 287), finishTime: null,
      stepInfo: { processedRecords: 6048000, capacity: 9600000, srcRps: 0, dstRps: 0, dstRpsRef: 40000, srcRt: 3, dstRt: 1 },
      extraInfo: { errorCode: "GHANA-TRANSFER000012", errorMsg: "Failed to write to the target: duplicate key.", failedTime: omsTime(failed),
        errorDetails: [{ code: "GHANA-TRANSFER000012", level: "ERROR", message: "Duplicate key in inventory.stock_item.", proposal: "Check the target table for rows written outside the migration." }] } },
    { order: 3, name: "INCR_TRANSFER", status: "INIT", progress: 0, startTime: null, finishTime: null, stepInfo: null, extraInfo: {} },
  ])], STEPS);
  const { page, errors } = await cardPage(bed, "verdict-failed", [{ "project-id": id, interval: 1 }, { "project-id": id, interval: 1, layout: "compact" }]);
  await untilCard(page, id, (r) => r.querySelector('[data-field="task-failure"]') && r.querySelector('[data-step="FULL_TRANSFER"]'));
  const cards = () => page.evaluate(() => [...document.querySelectorAll("oms-progress-card")].map((el) => {
    const r = el.shadowRoot;
    const banner = r.querySelector('[data-field="task-failure"]');
    return {
      attention: r.querySelector("[data-oms-card]").dataset.attention,
      banner: banner?.textContent, bannerVisible: banner?.checkVisibility(),
      bannerAboveRings: banner && banner.getBoundingClientRect().top < r.querySelector('[data-field="full-progress"]').getBoundingClientRect().top,
      failedRing: r.querySelector('[data-field="full-progress"]').dataset.failed ?? null,
      schemaRing: r.querySelector('[data-field="struct-progress"]').dataset.failed ?? null,
      ringLabel: r.querySelector('[data-field="full-progress"]').getAttribute("aria-valuetext"),
      throughput: !!r.querySelector('[data-field="throughput"]'),
      bottleneck: r.querySelector('[part="rows"]')?.textContent.includes("bottleneck") ?? false,
      duration: r.querySelector('[data-step="FULL_TRANSFER"] .oms-tl-time')?.textContent,
      seen: r.querySelector("[data-oms-card]").innerText,
    };
  }));
  const [full, compact] = await cards();
  for (const card of [full, compact]) {
    assert.equal(card.attention, "failed");
    assert.ok(card.bannerVisible && card.bannerAboveRings, JSON.stringify(card));
    assert.match(card.banner, /Full migration failed/);
    assert.match(card.banner, /since/);
    assert.match(card.banner, /GHANA-TRANSFER000012/);
    assert.match(card.banner, /duplicate key/);
    assert.match(card.banner, /Check the target table/);
    assert.match(card.seen, /duplicate key/, "the error can be seen");
    assert.deepEqual([card.failedRing, card.schemaRing], ["true", null]);
    assert.match(card.ringLabel, /63%, Failed/);
    assert.equal(card.throughput, false, "no rate for a stage that is not running");
    assert.equal(card.bottleneck, false);
  }
  assert.equal(full.duration, "4m\u00a047s", "from its start to its failure (on one line)");
  // Two refreshes later (the time of the last one, to the second, has moved twice), the failed
  // step's time has not moved.
  const updated = () => document.querySelector("oms-progress-card").shadowRoot.querySelector('[data-field="updated"]').getAttribute("datetime");
  for (let tick = 0; tick < 2; tick++) {
    const before = await page.evaluate(updated);
    await page.waitForFunction(([f, before]) => new Function(`return (${f})()`)() !== before, [updated.toString(), before]);
  }
  assert.equal((await cards())[0].duration, "4m\u00a047s", "frozen at its failure");
  assert.deepEqual(errors, []);
  await page.close();
});
