// Nothing left behind: mount/remove cycles and long fast polling, measured through the Chrome
// DevTools Protocol (DOM nodes, JS event listeners, JS heap, wasm memory); removed cards and
// hidden pages send no requests. The figures are printed as test diagnostics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { testbed, waitFor } from "./harness.mjs";

// Test pages are served by the real static server: a page Playwright fulfils itself has no
// address, and Chromium's local network access rules then block its requests to 127.0.0.1.
const bed = testbed();
const pages = bed.pages;

async function openPage(name, body) {
  pages[`/${name}.html`] = `<!doctype html><html lang="en"><body><div id="cards"></div>${body}
    <script type="module">
      import init, { configure } from "/pkg/oms_progress_card.js";
      window.configure = configure;
      window.wasm = await init();
      window.ready = true;
    </script></body></html>`;
  const page = await bed.browser.newPage();
  await page.goto(`${bed.server.url}/${name}.html`);
  await page.waitForFunction(() => window.ready);
  const cdp = await page.context().newCDPSession(page);
  const measure = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.collectGarbage");
    const dom = await cdp.send("Memory.getDOMCounters");
    const heap = await cdp.send("Runtime.getHeapUsage");
    const wasm = await page.evaluate(() => window.wasm.memory.buffer.byteLength);
    return { nodes: dom.nodes, listeners: dom.jsEventListeners, heapKB: Math.round(heap.usedSize / 1024), wasmKB: wasm / 1024 };
  };
  return { page, measure };
}

/** Adds `n` cards polling every second; card i shows task `${prefix}_${i % tasks}`. */
function addCards(page, n, prefix, tasks) {
  return page.evaluate(([n, prefix, tasks, url]) => {
    for (let i = 0; i < n; i++) {
      const card = document.createElement("oms-progress-card");
      card.setAttribute("project-id", `${prefix}_${i % tasks}`);
      card.setAttribute("proxy-url", url);
      card.setAttribute("interval", "1");
      document.getElementById("cards").append(card);
    }
  }, [n, prefix, tasks, bed.fixture.url]);
}

const allReady = (n) => `(() => {
  const cards = [...document.querySelectorAll("#cards oms-progress-card")];
  return cards.length === ${n} && cards.every((c) => c.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state === "ready");
})()`;

test("hundreds of mount/remove cycles leave nothing behind", { timeout: 180000 }, async (t) => {
  const { page, measure } = await openPage("cycles", "");
  const batch = async () => {
    await addCards(page, 20, "np_cycle", 10);
    await page.waitForFunction(allReady(20), null, { timeout: 15000 });
    // Removal completes in a microtask (a move keeps the card): let it run.
    await page.evaluate(() => { document.getElementById("cards").replaceChildren(); return new Promise((r) => setTimeout(r)); });
  };
  for (let round = 0; round < 3; round++) await batch(); // warm up allocators and caches
  const before = await measure();
  for (let round = 3; round < 18; round++) await batch(); // 300 more cards
  const after = await measure();
  t.diagnostic(`after 60 warm-up cards: ${JSON.stringify(before)}`);
  t.diagnostic(`after 300 more mounted and removed: ${JSON.stringify(after)}`);

  const requestsAfterRemoval = await Promise.all([...Array(10).keys()].map((i) => bed.fixture.count(`np_cycle_${i}`)));
  // A control card keeps polling at 1 s: three of its requests show that the time has passed.
  await addCards(page, 1, "np_cycle_control", 1);
  const control = await bed.fixture.count("np_cycle_control_0");
  await waitFor(async () => (await bed.fixture.count("np_cycle_control_0")) >= control + 3, 15000);
  const requestsLater = await Promise.all([...Array(10).keys()].map((i) => bed.fixture.count(`np_cycle_${i}`)));
  assert.deepEqual(requestsLater, requestsAfterRemoval, "removed cards sent requests");

  // A card that meets its first failed refresh on a busy machine writes its alert's words for
  // the first time (a few text nodes, once per card: +36 seen once in CI); a leak of one node per
  // request would be +900 here.
  assert.ok(after.nodes <= before.nodes + 60, `DOM nodes ${before.nodes} → ${after.nodes}`);
  assert.ok(after.listeners <= before.listeners, `JS listeners ${before.listeners} → ${after.listeners}`);
  assert.ok(after.wasmKB <= before.wasmKB + 128, `wasm memory ${before.wasmKB} KB → ${after.wasmKB} KB`);
  assert.ok(after.heapKB <= before.heapKB + 512, `JS heap ${before.heapKB} KB → ${after.heapKB} KB`);
  await page.close();
});

test("a long run of fast polling with many cards does not grow", { timeout: 180000 }, async (t) => {
  const { page, measure } = await openPage("polling", "");
  // The host's headers, from a function called before every request.
  await page.evaluate(() => window.configure({ headers: async () => ({ Authorization: "Bearer t" + Date.now() }) }));
  await addCards(page, 60, "np_poll", 30);
  await page.waitForFunction(allReady(60), null, { timeout: 20000 });
  // Every card has heard every action once (its steps, its name), then a few seconds of polling.
  await page.waitForFunction(() => [...document.querySelectorAll("#cards oms-progress-card")].every((c) =>
    c.shadowRoot.querySelector('[data-field="task-name"]') && c.shadowRoot.querySelector("[data-step]")), null, { timeout: 20000 });
  await page.waitForTimeout(5000);
  const before = await measure();
  const requestsBefore = await bed.fixture.count("np_poll_0");
  await page.waitForTimeout(30000);
  const after = await measure();
  const requests = (await bed.fixture.count("np_poll_0")) - requestsBefore;
  t.diagnostic(`60 cards (30 tasks) at 1 s, after 5 s: ${JSON.stringify(before)}`);
  t.diagnostic(`30 s later (${requests} requests for one task, shared by two cards): ${JSON.stringify(after)}`);
  assert.ok(requests <= 32, `${requests} requests in 30 s for a task two cards share at 1 s`);
  // A card that meets its first failed refresh on a busy machine writes its alert's words for
  // the first time (a few text nodes, once per card: +36 seen once in CI); a leak of one node per
  // request would be +900 here.
  assert.ok(after.nodes <= before.nodes + 60, `DOM nodes ${before.nodes} → ${after.nodes}`);
  // Requests in flight at the moment of measuring (at most one per task) hold a few listeners
  // of their own: ±10 between snapshots here. A leak of one per request would be +900.
  assert.ok(after.listeners <= before.listeners + 30, `JS listeners ${before.listeners} → ${after.listeners}`);
  assert.ok(after.wasmKB <= before.wasmKB + 128, `wasm memory ${before.wasmKB} KB → ${after.wasmKB} KB`);
  assert.ok(after.heapKB <= before.heapKB + 1024, `JS heap ${before.heapKB} KB → ${after.heapKB} KB`);
  await page.close();
});

// Headless Chromium never hides a tab, so the test plays the browser's part: it sets
// document.hidden / visibilityState and fires visibilitychange, which is all the card watches.
const setHidden = (page, hidden) => page.evaluate((hidden) => {
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  document.dispatchEvent(new Event("visibilitychange"));
}, hidden);

test("a hidden page sends no requests, and refreshes at once when shown or back online", async () => {
  const { page } = await openPage("hidden", "");
  await addCards(page, 1, "np_hidden", 1);
  await page.waitForFunction(allReady(1));
  await setHidden(page, true);
  // A request already on its way may finish; then nothing for three intervals (no card on a
  // hidden page polls, so there is no event to wait for: this one window is a plain wait).
  await waitFor(async () => { const seen = await bed.fixture.seen("np_hidden_0"); return seen.answered.length === seen.count; });
  const hiddenAt = await bed.fixture.count("np_hidden_0");
  await page.waitForTimeout(3000);
  assert.equal(await bed.fixture.count("np_hidden_0"), hiddenAt, "requests while hidden");

  // Shown again: a refresh at once, well before the 1 s interval would have brought one.
  const shownAt = Date.now();
  await setHidden(page, false);
  await waitFor(async () => (await bed.fixture.count("np_hidden_0")) === hiddenAt + 1, 5000);
  const { times } = await bed.fixture.seen("np_hidden_0");
  assert.ok(times[hiddenAt] - shownAt < 500, `refreshed ${times[hiddenAt] - shownAt} ms after being shown`);

  // Back online: the same.
  await waitFor(async () => (await bed.fixture.seen("np_hidden_0")).answered.length === hiddenAt + 1);
  const beforeOnline = await bed.fixture.count("np_hidden_0");
  const onlineAt = Date.now();
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await waitFor(async () => (await bed.fixture.count("np_hidden_0")) === beforeOnline + 1, 5000);
  const after = (await bed.fixture.seen("np_hidden_0")).times[beforeOnline];
  assert.ok(after - onlineAt < 500, `refreshed ${after - onlineAt} ms after coming back online`);
  await page.close();
});
