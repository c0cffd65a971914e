// Nothing left behind: mount/remove cycles and long fast polling, measured through the Chrome
// DevTools Protocol (DOM nodes, JS event listeners, JS heap, wasm memory); removed cards and
// hidden pages send no requests. The figures are printed as test diagnostics.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { staticServer, fixtureServer, launchChromium } from "./harness.mjs";

let fixture, server, browser;
const pages = {};
before(async () => {
  fixture = await fixtureServer();
  server = await staticServer({ pages });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  fixture?.stop();
});

async function openPage(name, body) {
  pages[`/${name}.html`] = `<!doctype html><html lang="en"><body><div id="cards"></div>${body}
    <script type="module">
      import init from "/pkg/oms_progress_card.js";
      window.wasm = await init();
      window.ready = true;
    </script></body></html>`;
  const page = await browser.newPage();
  await page.goto(`${server.url}/${name}.html`);
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

const allReady = (n) => `(() => {
  const cards = [...document.querySelectorAll("#cards oms-progress-card")];
  return cards.length === ${n} && cards.every((c) => c.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state === "ready");
})()`;

test("hundreds of mount/remove cycles leave nothing behind", { timeout: 180000 }, async (t) => {
  const { page, measure } = await openPage("cycles", "");
  const batch = async (round) => {
    await page.evaluate(([round, url]) => {
      for (let i = 0; i < 20; i++) {
        const card = document.createElement("oms-progress-card");
        card.setAttribute("project-id", `np_cycle_${i % 10}`);
        card.setAttribute("proxy-url", url);
        card.setAttribute("interval", "1");
        document.getElementById("cards").append(card);
      }
    }, [round, fixture.url]);
    await page.waitForFunction(allReady(20), null, { timeout: 15000 });
    await page.evaluate(() => document.getElementById("cards").replaceChildren());
    await page.waitForTimeout(20); // removal completes in a microtask; let it run
  };
  for (let round = 0; round < 3; round++) await batch(round); // warm up allocators and caches
  const before = await measure();
  for (let round = 3; round < 18; round++) await batch(round); // 300 more cards
  await page.waitForTimeout(200);
  const after = await measure();
  t.diagnostic(`after 60 warm-up cards: ${JSON.stringify(before)}`);
  t.diagnostic(`after 300 more mounted and removed: ${JSON.stringify(after)}`);

  const requestsAfterRemoval = await Promise.all([...Array(10).keys()].map((i) => fixture.count(`np_cycle_${i}`)));
  await page.waitForTimeout(2500);
  const requestsLater = await Promise.all([...Array(10).keys()].map((i) => fixture.count(`np_cycle_${i}`)));
  assert.deepEqual(requestsLater, requestsAfterRemoval, "removed cards sent requests");

  assert.ok(after.nodes <= before.nodes + 20, `DOM nodes ${before.nodes} → ${after.nodes}`);
  assert.ok(after.listeners <= before.listeners, `JS listeners ${before.listeners} → ${after.listeners}`);
  assert.ok(after.wasmKB <= before.wasmKB + 128, `wasm memory ${before.wasmKB} KB → ${after.wasmKB} KB`);
  assert.ok(after.heapKB <= before.heapKB + 512, `JS heap ${before.heapKB} KB → ${after.heapKB} KB`);
  await page.close();
});

test("a long run of fast polling with many cards does not grow", { timeout: 180000 }, async (t) => {
  const { page, measure } = await openPage("polling", "");
  await page.evaluate((url) => {
    for (let i = 0; i < 60; i++) {
      const card = document.createElement("oms-progress-card");
      card.setAttribute("project-id", `np_poll_${i % 30}`);
      card.setAttribute("proxy-url", url);
      card.setAttribute("interval", "1");
      document.getElementById("cards").append(card);
    }
  }, fixture.url);
  await page.waitForFunction(allReady(60), null, { timeout: 20000 });
  await page.waitForTimeout(5000);
  const before = await measure();
  const requestsBefore = await fixture.count("np_poll_0");
  await page.waitForTimeout(30000);
  const after = await measure();
  const requests = (await fixture.count("np_poll_0")) - requestsBefore;
  t.diagnostic(`60 cards (30 tasks) at 1 s, after 5 s: ${JSON.stringify(before)}`);
  t.diagnostic(`30 s later (${requests} requests for one task, shared by two cards): ${JSON.stringify(after)}`);
  assert.ok(requests <= 32, `${requests} requests in 30 s for a task two cards share at 1 s`);
  assert.ok(after.nodes <= before.nodes + 20, `DOM nodes ${before.nodes} → ${after.nodes}`);
  assert.ok(after.listeners <= before.listeners, `JS listeners ${before.listeners} → ${after.listeners}`);
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
  await page.evaluate((url) => {
    const card = document.createElement("oms-progress-card");
    card.setAttribute("project-id", "np_hidden");
    card.setAttribute("proxy-url", url);
    card.setAttribute("interval", "1");
    document.getElementById("cards").append(card);
  }, fixture.url);
  await page.waitForFunction(allReady(1));
  await setHidden(page, true);
  await page.waitForTimeout(100);
  const hiddenAt = await fixture.count("np_hidden");
  await page.waitForTimeout(3000);
  assert.equal(await fixture.count("np_hidden"), hiddenAt, "requests while hidden");

  await setHidden(page, false);
  await page.waitForTimeout(400); // well under the 1 s interval: only the wake-up refresh
  assert.equal(await fixture.count("np_hidden"), hiddenAt + 1, "no refresh when shown again");

  await page.waitForTimeout(200);
  const beforeOnline = await fixture.count("np_hidden");
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.waitForTimeout(150);
  assert.equal(await fixture.count("np_hidden"), beforeOnline + 1, "no refresh when back online");
  await page.close();
});
