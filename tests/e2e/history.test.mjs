// OMS's own last hour (DescribeProjectStepMetric) as a host page meets it: real cards in
// Chromium, through the reference proxy in front of the simulated OMS (whose series come from the
// same models as its live answers), and with scripted answers from the simulated OMS in fixture
// mode where the point is a proxy that refuses the action or the unit of OMS's timestamps.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testbed, waitFor, cardPage, inCard, untilCard, demoStack, ACTION } from "./harness.mjs";

const bed = testbed();
const { Steps: STEPS, StepMetric: METRIC } = ACTION;
const surface = JSON.parse(fs.readFileSync(new URL("../../src/element/surface.json", import.meta.url), "utf8"));
const WINDOW = surface.constants.historySeconds.value;

const ok = (data) => ({ json: { success: true, requestId: "r", data } });
/** OMS's time format: UTC without an offset. */
const omsTime = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 19);
const unix = () => Math.floor(Date.now() / 1000);

/** The reference proxy in front of the simulated OMS (real time), letting the test bed's pages in. */
async function proxied() {
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-history-"));
  return demoStack({ staticDir, proxyArgs: ["--allow-origin", bed.server.url] });
}

/** Records, in the test, every DescribeProjectStepMetric answer the page gets: {body, points}. */
function metricAnswers(page) {
  const seen = [];
  page.on("response", async (response) => {
    if (!response.url().includes(`Action=${METRIC}`) || response.status() !== 200) return;
    const body = JSON.parse(response.request().postData());
    const points = (await response.json()).data.metrics[0]?.dataPoints ?? [];
    seen.push({ body, points });
  });
  return seen;
}

/** The lag chart's hooks and its path's vertices. */
const chart = (r) => {
  const el = r.querySelector('[data-field="lag-trend"]');
  return el && {
    source: el.dataset.source, window: el.dataset.window ?? null, points: Number(el.dataset.points),
    trend: el.dataset.trend, vertices: el.querySelector("path").getAttribute("d").split(/[ML]/).filter(Boolean).length,
    key: r.querySelector(".oms-trend-row > .oms-key").textContent,
  };
};

test("a card opened on a syncing task charts OMS's last hour at once, every point it gave, in seconds and in milliseconds", async () => {
  const stack = await proxied();
  try {
    // np_5k2m9q_oracle_billing, syncing for more than an hour: OMS's timestamps in seconds;
    // np_1r7d3w_lag_rising, syncing between full migrations: in milliseconds.
    const ids = ["np_5k2m9q_oracle_billing", "np_1r7d3w_lag_rising"];
    const cards = ids.map((id) => ({ "project-id": id, "proxy-url": stack.url + "/" }));
    const answers = [];
    const { page, errors } = await cardPage(bed, "history-hour", cards, { prepare: (p) => answers.push(metricAnswers(p)) });
    for (const id of ids) {
      const shown = await untilCard(page, id, (r) => {
        const el = r.querySelector('[data-field="lag-trend"]');
        return el?.dataset.source === "oms" && el;
      });
      assert.ok(shown);
      const mine = () => answers[0].filter((a) => a.body.projectId === id);
      await waitFor(() => mine().length > 0);
      const seen = mine();
      assert.equal(seen.length, 1, `one question for ${id} so far: ${JSON.stringify(seen.map((s) => s.body))}`);
      const { body, points } = seen[0];
      // The body: the lag of the incremental step over the last hour, ending on the minute.
      assert.deepEqual([body.stepName, body.metricType, body.aggregator, body.endTimestamp - body.beginTimestamp, body.endTimestamp % 60, body.maxPointNum],
        ["INCR_TRANSFER", "DELAY", "AVG", WINDOW, 0, surface.constants.historyPoints.value]);
      assert.ok(body.endTimestamp <= unix() && body.endTimestamp > unix() - 120, `${body.endTimestamp}`);
      assert.ok(points.length >= (id === ids[0] ? 12 : 3), `${id}: ${points.length} points`);
      const units = points.every((p) => p.timestamp > 1e11) ? "ms" : "s";
      assert.equal(units, id === "np_1r7d3w_lag_rising" ? "ms" : "s", "the simulated OMS sends both units");
      const c = await inCard(page, id, chart);
      assert.equal(c.source, "oms");
      assert.equal(c.window, String(WINDOW));
      assert.equal(c.points, points.length, "every point OMS gave");
      assert.ok(c.vertices >= points.length, `the chart draws them: ${c.vertices} vertices`);
      assert.match(c.key, /1\s?h/, "labelled as the last hour");
    }
    assert.equal(await inCard(page, ids[0], (r) => r.querySelector('[data-field="alert"]')), null);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await stack.stop();
  }
});

test("a running full migration shows an ETA from OMS's rate on the first answers, near rows left over the rate OMS gave", async () => {
  const stack = await proxied();
  try {
    const id = "np_6t3f7h_ledger_bulk";
    const answers = [];
    let steps = null;
    const { page, errors } = await cardPage(bed, "history-eta", [{ "project-id": id, "proxy-url": stack.url + "/" }], {
      prepare: (p) => {
        answers.push(metricAnswers(p));
        p.on("response", async (r) => {
          if (r.url().includes(`Action=${STEPS}`) && !steps) steps = (await r.json()).data;
        });
      },
    });
    const eta = await untilCard(page, id, (r) => {
      const el = r.querySelector('[data-field="eta"]');
      return el && { basis: el.dataset.basis, seconds: Number(el.dataset.seconds), text: el.textContent };
    });
    assert.equal(eta.basis, "oms-rate", JSON.stringify(eta));
    const progressRequests = await page.evaluate((action) => performance.getEntriesByType("resource").filter((e) => e.name.includes(`Action=${action}`)).length, ACTION.Progress);
    assert.equal(progressRequests, 1, "on the first answers, before a second poll");
    await waitFor(() => answers[0].some((a) => a.body.metricType === "RPS") && steps);
    const rate = answers[0].find((a) => a.body.metricType === "RPS");
    assert.deepEqual([rate.body.stepName, rate.body.endTimestamp - rate.body.beginTimestamp], ["FULL_TRANSFER", WINDOW]);
    // Rows left over the median of OMS's points of the last 15 minutes (its last three).
    assert.equal(surface.constants.recentRateSeconds.value, 3 * WINDOW / surface.constants.historyPoints.value);
    const recent = rate.points.slice(-3).map((p) => p.value).sort((a, b) => a - b);
    const full = steps.find((s) => s.name === "FULL_TRANSFER").stepInfo;
    const expected = (full.capacity - full.processedRecords) / recent[1];
    assert.ok(Math.abs(eta.seconds - expected) / expected < 0.1, `ETA ${eta.seconds} s, rows left over OMS's rate ${expected} s (${recent})`);
    assert.match(eta.text, /left/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await stack.stop();
  }
});

/** Progress and steps of a task syncing 10 s behind, sampled at `sampled` (unix s; by default
 * at each answer); its full migration long finished. */
async function scriptSyncing(id, sampled = "{{now}}") {
  await bed.fixture.script(id, [ok({
    projectId: id, status: "RUNNING", alarmLevel: "LOW", currentStep: "INCR_TRANSFER",
    enableStructTransfer: true, structTransferProgress: 100, enableFullTransfer: true, fullTransferProgress: 100,
    enableIncrSync: true, incrSyncCheckpoint: "{{now-10}}", enableReverseIncrTransfer: false,
  })]);
  const t = unix();
  await bed.fixture.script(id, [ok([
    { order: 1, name: "FULL_TRANSFER", status: "FINISHED", progress: 100, startTime: omsTime(t - 7200), finishTime: omsTime(t - 5400), stepInfo: { processedRecords: 10, capacity: 10 }, extraInfo: {} },
    { order: 2, name: "INCR_TRANSFER", status: "MONITORING", progress: 100, startTime: omsTime(t - 5400), finishTime: null,
      stepInfo: { incrTimestampCheckpoint: sampled === "{{now}}" ? "{{now-10}}" : sampled - 10, checkpointSampleTimestamp: sampled }, extraInfo: {} },
  ])], STEPS);
}

test("the same series in seconds or in milliseconds draws the same chart", async () => {
  const end = Math.floor(unix() / 60) * 60;
  const points = Array.from({ length: 12 }, (_, k) => ({ t: end - (11 - k) * 300, value: k === 4 ? 200 : 10 + k }));
  const series = (scale) => ok({ metrics: [{ metricType: "DELAY", aggregator: "AVG", dataPoints: points.map((p) => ({ timestamp: p.t * scale, value: p.value })) }] });
  const ids = { s: "np_history_seconds", ms: "np_history_millis" };
  for (const [unit, id] of Object.entries(ids)) {
    // Sampled when OMS's newest point was: the page adds no point of its own to the chart.
    await scriptSyncing(id, end);
    await bed.fixture.script(id, [series(unit === "ms" ? 1000 : 1)], METRIC);
  }
  const { page, errors } = await cardPage(bed, "history-units", Object.values(ids).map((id) => ({ "project-id": id, steps: "auto", interval: 60 })));
  const drawn = [];
  for (const id of Object.values(ids)) {
    drawn.push(await untilCard(page, id, (r) => {
      const el = r.querySelector('[data-field="lag-trend"]');
      return el?.dataset.source === "oms" && { points: el.dataset.points, window: el.dataset.window, d: el.querySelector("path").getAttribute("d") };
    }));
  }
  assert.equal(drawn[0].points, "12");
  assert.equal(drawn[0].window, String(WINDOW));
  assert.deepEqual(drawn[1], drawn[0], "milliseconds read as seconds");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a proxy that refuses the action leaves the page's own samples, with no alert and no second try", async () => {
  const id = "np_history_refused";
  await scriptSyncing(id);
  await bed.fixture.script(id, [{ status: 403, json: { success: false, code: "PROXY_FORBIDDEN_ACTION", message: "not forwarded" } }], METRIC);
  const { page, errors } = await cardPage(bed, "history-refused", [{ "project-id": id, interval: 1 }]);
  const c = await untilCard(page, id, (r) => {
    const el = r.querySelector('[data-field="lag-trend"]');
    return el && Number(el.dataset.points) >= 3 && el;
  }, 20000);
  assert.ok(c);
  const shown = await inCard(page, id, (r) => ({
    source: r.querySelector('[data-field="lag-trend"]').dataset.source,
    window: r.querySelector('[data-field="lag-trend"]').dataset.window ?? null,
    alert: r.querySelector('[data-field="alert"]')?.textContent ?? null,
    state: r.querySelector("[data-oms-card]").dataset.state,
  }));
  assert.deepEqual(shown, { source: "page", window: null, alert: null, state: "ready" });
  assert.equal(await bed.fixture.count(id, METRIC), 1, "asked once, then never again");
  assert.deepEqual(errors, []);
  await page.close();
});
