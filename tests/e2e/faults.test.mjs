// The fault matrix: every kind of failure a real deployment meets, each injected by the
// fixture server between good answers. For each: no crash, a clear message in the alert region,
// the last good data kept and marked stale, backoff instead of hammering, and recovery to fresh
// data by itself once the fault ends. Also: hostile strings stay inert text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { testbed, waitFor } from "./harness.mjs";

// Test pages are served by the real static server: a page Playwright fulfils itself has no
// address, and Chromium's local network access rules then block its requests to 127.0.0.1.
const bed = testbed();
const pages = bed.pages;

const GOOD = { json: { success: true, requestId: "ok", data: { status: "RUNNING", fullTransferProgress: 50, enableFullTransfer: true } } };
const SEED_TEXT = JSON.stringify(GOOD.json);
const envelope = (fields) => ({ json: { success: false, data: null, ...fields } });

// name → the fault step, the oms-error kind, and what the alert must say.
const FAULTS = {
  http_500: [{ status: 500, body: "Internal Server Error" }, "http", /HTTP status 500/],
  http_502: [{ status: 502, json: { success: false, code: "PROXY_UPSTREAM_UNREACHABLE", message: "OMS could not be reached." } }, "http", /PROXY_UPSTREAM_UNREACHABLE.*OMS could not be reached.*502/],
  http_503: [{ status: 503, body: "" }, "http", /HTTP error.*503/],
  http_504: [{ status: 504, json: { success: false, code: "PROXY_UPSTREAM_TIMEOUT", message: "OMS did not answer in time." } }, "http", /PROXY_UPSTREAM_TIMEOUT.*504/],
  hung: [{ hang: true }, "timeout", /did not answer in time/],
  dropped: [{ drop: true }, "network", /Could not reach/],
  malformed_json: [{ body: '{"success": true, "data": {"status": RUNNING}}' }, "decode", /not valid JSON/],
  truncated_json: [{ body: SEED_TEXT.slice(0, SEED_TEXT.length / 2) }, "decode", /not valid JSON/],
  login_page: [{ status: 200, headers: { "Content-Type": "text/html" }, body: "<!doctype html><title>Sign in</title><form action=/login><input name=user></form>" }, "decode", /HTML page.*login/],
  empty_body: [{ body: "" }, "decode", /empty/],
  data_missing: [{ json: { success: true, requestId: "r-nodata" } }, "decode", /no progress data/],
  ten_megabytes: [{ sizeBytes: 10 * 1024 * 1024 }, "decode", /too large/],
  trickle: [{ trickleMs: 400, json: GOOD.json }, "timeout", /did not answer in time/],
  project_gone: [envelope({ code: "GHANA-PROJECT000001", message: "The project does not exist.", errorDetail: { code: "GHANA-PROJECT000001", level: "ERROR", message: "The project does not exist.", proposal: "Check the project id." }, requestId: "r-1" }), "api", /GHANA-PROJECT000001.*does not exist.*Check the project id.*r-1/],
  cm_unavailable: [{ json: { code: "GHANA-OPERAT000001", message: "Pay attention that the CM service may be not available.", requestId: "r-2" } }, "api", /GHANA-OPERAT000001.*CM service/],
  internal_zh: [envelope({ errorDetail: { code: "GHANA-OPERIE000000", level: "FATAL", message: "内部错误", proposal: "请联系管理员" }, requestId: "r-3" }), "api", /GHANA-OPERIE000000.*内部错误.*请联系管理员/],
  param_error: [envelope({ code: "PARAM_ERROR", message: "id must not be empty" }), "api", /PARAM_ERROR.*id must not be empty/],
  inner_error: [envelope({ code: "INNER_ERROR", message: "A system error occurred.", advice: "Contact the administrator." }), "api", /INNER_ERROR.*A system error occurred.*Contact the administrator/],
};

test("every fault: message, stale data kept, backoff, recovery", { timeout: 120000 }, async (t) => {
  for (const [name, [fault]] of Object.entries(FAULTS)) {
    await bed.fixture.script(`np_fault_${name}`, [GOOD, fault, fault, fault, GOOD]);
  }
  const cards = Object.keys(FAULTS).map((name) =>
    `<oms-progress-card project-id="np_fault_${name}" proxy-url="${bed.fixture.url}" interval="1" timeout="2" locale="en"></oms-progress-card>`).join("");
  const page = await bed.browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  pages["/faults.html"] = `<!doctype html><html lang="en"><body>${cards}
    <script type="module">
      import init from "/pkg/oms_progress_card.js";
      await init();
      // Every distinct look of every card, as the user saw it.
      window.history_ = {};
      window.errors_ = {};
      for (const el of document.querySelectorAll("oms-progress-card")) {
        const id = el.getAttribute("project-id");
        const seen = (window.history_[id] = []);
        window.errors_[id] = [];
        el.addEventListener("oms-error", (e) => window.errors_[id].push(e.detail.kind));
        const snap = () => {
          const root = el.shadowRoot;
          const s = {
            state: root.querySelector("[data-oms-card]")?.dataset.state,
            alert: root.querySelector('[role="alert"]')?.textContent ?? null,
            status: root.querySelector('[data-field="status"]')?.textContent ?? null,
            full: root.querySelector('[data-field="full-progress"]')?.getAttribute("aria-valuenow") ?? null,
            staleMark: !!root.querySelector('[part="stale"]'),
          };
          const last = seen[seen.length - 1];
          if (!last || JSON.stringify(last) !== JSON.stringify(s)) seen.push(s);
        };
        new MutationObserver(snap).observe(el.shadowRoot, { subtree: true, childList: true, attributes: true, characterData: true });
        snap();
      }
    </script></body></html>`;
  await page.goto(bed.server.url + "/faults.html");

  // Recovered: each card has been stale and is ready again.
  const recovered = (h) => h.some((s) => s.state === "stale") && h[h.length - 1].state === "ready" && h[h.length - 1].alert === null;
  await page
    .waitForFunction(`Object.values(window.history_ ?? {}).length > 0 && Object.values(window.history_).every(${recovered})`, null, { timeout: 100000, polling: 250 })
    .catch(async (e) => {
      const stuck = Object.entries(await page.evaluate(() => window.history_)).filter(([, h]) => !recovered(h));
      throw new Error(`${e.message}\nnot recovered: ${JSON.stringify(stuck, null, 1)}`);
    });
  const history = await page.evaluate(() => window.history_);
  const errors = await page.evaluate(() => window.errors_);

  for (const [name, [, kind, message]] of Object.entries(FAULTS)) {
    const id = `np_fault_${name}`;
    const h = history[id];
    const stale = h.filter((s) => s.state === "stale");
    assert.ok(stale.length > 0, `${name}: never stale`);
    assert.ok(stale.every((s) => s.status === "Running" && s.full === "50"), `${name}: data lost while stale: ${JSON.stringify(stale)}`);
    assert.ok(stale.some((s) => s.alert && message.test(s.alert) && s.staleMark), `${name}: alert ${JSON.stringify(stale.map((s) => s.alert))} does not match ${message}`);
    // Never an error, and never back to loading once data was shown (before the card is
    // mounted and filled, its shadow root may be empty or still a template).
    const firstReady = h.findIndex((s) => s.state === "ready");
    assert.ok(firstReady >= 0 && !h.some((s, i) => s.state === "error" || (s.state === "loading" && i > firstReady)), `${name}: blanked: ${JSON.stringify(h)}`);
    assert.deepEqual(errors[id], [kind, kind, kind], `${name}: oms-error kinds`);

    // Backoff: timers never fire early, so these lower bounds hold however loaded the host is.
    // After one failure the wait is 1–2 s, after two 2–4 s, after three 4–8 s (interval 1 s).
    const { times } = await bed.fixture.seen(id);
    assert.ok(times.length >= 5, `${name}: ${times.length} requests`);
    assert.ok(times[2] - times[1] >= 950, `${name}: retried after ${times[2] - times[1]} ms`);
    assert.ok(times[3] - times[2] >= 1950, `${name}: second retry after ${times[3] - times[2]} ms`);
    assert.ok(times[4] - times[3] >= 3950, `${name}: third retry after ${times[4] - times[3]} ms`);
    const shown = stale.find((s) => s.alert && message.test(s.alert)).alert.replace(/\s+/g, " ").slice(0, 70);
    const gaps = [2, 3, 4].map((i) => ((times[i] - times[i - 1]) / 1000).toFixed(1) + "s").join(" ");
    t.diagnostic(`${name.padEnd(15)} ${kind.padEnd(8)} kept data, stale; retries after ${gaps}; recovered; alert: ${shown}`);
  }
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test("an older answer arriving after a newer one is never shown", async () => {
  await bed.fixture.script("np_fault_order", [
    { delayMs: 2500, json: { success: true, data: { status: "FAILED" } } },
    { json: { success: true, data: { status: "RUNNING" } } },
  ]);
  const page = await bed.browser.newPage();
  pages["/order.html"] = `<!doctype html><html lang="en"><body>
    <oms-progress-card project-id="np_fault_order" proxy-url="${bed.fixture.url}" interval="60" locale="en"></oms-progress-card>
    <script type="module">import init from "/pkg/oms_progress_card.js"; await init();</script></body></html>`;
  await page.goto(bed.server.url + "/order.html");
  await waitFor(async () => (await bed.fixture.count("np_fault_order")) === 1);
  await page.locator("oms-progress-card").locator('[part="refresh"]').click();
  const status = () => page.evaluate(() => document.querySelector("oms-progress-card").shadowRoot.querySelector('[data-field="status"]')?.textContent);
  await page.waitForFunction(() => document.querySelector("oms-progress-card").shadowRoot.querySelector('[data-field="status"]')?.textContent === "Running");
  // The first, slower answer has been sent; one frame later it has still not been shown.
  await waitFor(async () => (await bed.fixture.seen("np_fault_order")).answered.length === 2);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  assert.equal(await status(), "Running");
  assert.equal((await bed.fixture.seen("np_fault_order")).count, 2);
  await page.close();
});

const PAYLOAD = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><svg onload="window.__pwned=3">`;

test("markup and script in every string field and attribute stay inert text", async () => {
  const data = Object.fromEntries(["projectId", "status", "alarmLevel", "currentStep", "incrSyncCheckpoint", "reverseIncrTransferCheckpoint"].map((k) => [k, PAYLOAD]));
  await bed.fixture.script("np_hostile_data", [{ json: { success: true, requestId: PAYLOAD, cost: PAYLOAD, data: { ...data, enableReverseIncrTransfer: true } } }]);
  await bed.fixture.script("np_hostile_error", [{ json: { success: false, code: PAYLOAD, message: PAYLOAD, advice: PAYLOAD, requestId: PAYLOAD, errorDetail: { code: PAYLOAD, message: PAYLOAD, reason: PAYLOAD, proposal: PAYLOAD } } }]);
  await bed.fixture.script("np_hostile_http", [{ status: 500, headers: { "Content-Type": "text/html" }, body: PAYLOAD }]);
  const attr = PAYLOAD.replaceAll('"', "&quot;");
  const page = await bed.browser.newPage();
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  pages["/hostile.html"] = `<!doctype html><html lang="en"><body>
    <oms-progress-card project-id="np_hostile_data" proxy-url="${bed.fixture.url}" locale="${attr}" theme="${attr}" interval="${attr}"></oms-progress-card>
    <oms-progress-card project-id="np_hostile_error" proxy-url="${bed.fixture.url}"></oms-progress-card>
    <oms-progress-card project-id="np_hostile_http" proxy-url="${bed.fixture.url}"></oms-progress-card>
    <oms-progress-card project-id="${attr}" proxy-url="${bed.fixture.url}"></oms-progress-card>
    <oms-progress-card project-id="np_x" proxy-url="javascript:window.__pwned=4"></oms-progress-card>
    <script type="module">import init from "/pkg/oms_progress_card.js"; await init();</script></body></html>`;
  await page.goto(bed.server.url + "/hostile.html");
  await page.waitForFunction(() => [...document.querySelectorAll("oms-progress-card")].every((el) =>
    ["ready", "error"].includes(el.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state)), null, { timeout: 15000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  const result = await page.evaluate(() => {
    const roots = [...document.querySelectorAll("oms-progress-card")].map((el) => el.shadowRoot);
    return {
      pwned: window.__pwned ?? null,
      injected: roots.flatMap((r) => [...r.querySelectorAll("img, script, iframe, object, embed, foreignObject, svg [onload]")]).length,
      handlers: roots.flatMap((r) => [...r.querySelectorAll("*")]).filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
      texts: roots.map((r) => r.textContent),
    };
  });
  assert.equal(result.pwned, null);
  assert.equal(result.injected, 0);
  assert.equal(result.handlers, 0);
  assert.ok(result.texts[0].includes("<img src=x"), "data fields shown as text");
  assert.ok(result.texts[1].includes("<script>"), "error fields shown as text");
  assert.ok(result.texts[3].includes("<svg onload"), "the project-id attribute shown as text");
  assert.deepEqual(dialogs, []);
  await page.close();
});
