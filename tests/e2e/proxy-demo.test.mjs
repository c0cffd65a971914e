// `make demo`'s setup: the demo page served by the reference proxy, which forwards to the
// simulated OMS with its credentials (no service worker in the way).
import { test } from "node:test";
import assert from "node:assert/strict";
import { testbed, cardStates, cardsSettled } from "./harness.mjs";

const bed = testbed({ fixture: false, server: false, demo: { timeScale: 20 } });

test("the demo page's cards fill with progress fetched through the proxy", async () => {
  const page = await bed.browser.newPage();
  const viaProxy = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/v2")) viaProxy.push(!r.fromServiceWorker() && r.headers()["cache-control"] === "no-store");
  });
  await page.goto(bed.demo.url + "/");
  await cardsSettled(page);
  const states = await cardStates(page);
  assert.ok(states.filter((s) => s.state === "ready").length >= 6, JSON.stringify(states));
  assert.match(await page.textContent("#backend"), /reference proxy/);
  assert.ok(viaProxy.length >= 8 && viaProxy.every(Boolean), JSON.stringify(viaProxy));
  // At 20x, the first project's lifecycle has left pre-check within a few seconds.
  await page.waitForFunction(
    () => document.querySelector('[project-id="np_4w8s2k_mysql_orders"]').shadowRoot
      .querySelector('[data-field="current-step"]').dataset.value !== "TRANSFER_PRECHECK",
    null,
    { timeout: 20000 },
  );
  assert.match(bed.demo.log(), /path=\/api\/v2 status=200/);
  await page.close();
});

test("make demo serves the demo's own files, never the checkout", async () => {
  for (const path of ["/", "/pkg/oms_progress_card.js", "/pkg/oms_progress_card_bg.wasm", "/demo/demo.js", "/demo-sw.js", "/sim/scenarios.json"]) {
    assert.equal((await fetch(bed.demo.url + path)).status, 200, path);
  }
  for (const path of ["/.git/config", "/.git/HEAD", "/.gitignore", "/Cargo.toml", "/Makefile", "/proxy/src/lib.rs",
    "/target/release/oms-progress-proxy", "/sim/server.mjs", "/scripts/demo.sh", "/node_modules/.package-lock.json"]) {
    const response = await fetch(bed.demo.url + path);
    assert.equal(response.status, 404, path);
    assert.equal((await response.json()).code, "PROXY_NOT_FOUND", path);
  }
  // The precompressed wasm is what a browser gets.
  const wasm = await fetch(bed.demo.url + "/pkg/oms_progress_card_bg.wasm", { headers: { "Accept-Encoding": "br" } });
  assert.equal(wasm.headers.get("content-encoding"), "br");
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
});
